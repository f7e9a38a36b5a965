from django.contrib import admin

from exercises.models import Equipment, Exercise, Ladder


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    search_fields = ["name", "name_es", "slug"]
    filter_horizontal = ["substitutes"]
    prepopulated_fields = {"slug": ["name"]}


class ExerciseInline(admin.StackedInline):
    model = Exercise
    extra = 0
    ordering = ["level"]
    fields = [
        "level",
        "name",
        "name_es",
        "slug",
        "summary",
        "summary_es",
        "equipment",
        "fallback",
        "loadable",
        "video_url",
        "video_file",
    ]
    filter_horizontal = ["equipment"]
    show_change_link = True


@admin.register(Ladder)
class LadderAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "area", "rep_min", "rep_max", "keep_priority", "order", "owner"]
    list_filter = ["area", "private"]
    raw_id_fields = ["owner"]
    search_fields = ["name", "name_es", "slug", "why"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ExerciseInline]


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ["name", "ladder", "level", "loadable", "has_video"]
    list_filter = ["ladder__area", "ladder", "equipment", "loadable"]
    search_fields = ["name", "name_es", "slug", "summary", "cues"]
    list_select_related = ["ladder"]
    filter_horizontal = ["equipment"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["ladder__order", "level"]

    @admin.display(boolean=True, description="video")
    def has_video(self, obj):
        return bool(obj.video_url or obj.video_file)
