from django.contrib import admin

from coaching.models import Assignment, CalendarFeed, Comment, Group, Routine, RoutineItem


class RoutineItemInline(admin.TabularInline):
    model = RoutineItem
    extra = 0
    ordering = ["position"]
    raw_id_fields = ["ladder"]


@admin.register(Routine)
class RoutineAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "template_key", "created"]
    search_fields = ["name", "owner__email"]
    raw_id_fields = ["owner"]
    inlines = [RoutineItemInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["date", "routine", "athlete", "assigned_by", "workout"]
    list_filter = ["date"]
    search_fields = ["athlete__email", "assigned_by__email", "routine__name"]
    raw_id_fields = ["routine", "athlete", "assigned_by", "workout"]
    list_select_related = ["routine", "athlete", "assigned_by"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["workout", "author", "created"]
    search_fields = ["author__email", "body"]
    raw_id_fields = ["workout", "author"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["athlete", "rotated_at"]
    raw_id_fields = ["athlete"]
    # The token is a credential: never shown, never edited.
    exclude = ["token"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "coach", "created"]
    search_fields = ["name", "coach__email"]
    raw_id_fields = ["coach", "athletes"]
