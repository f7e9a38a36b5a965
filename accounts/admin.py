from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import CoachLink, Invitation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_coach", "is_staff", "date_joined"]
    list_filter = ["is_coach", "is_staff", "is_active"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name", "units", "timezone", "is_coach"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(CoachLink)
class CoachLinkAdmin(admin.ModelAdmin):
    list_display = ["coach", "athlete", "created", "ended_at", "ended_by"]
    list_filter = [("ended_at", admin.EmptyFieldListFilter)]
    search_fields = ["coach__email", "athlete__email"]
    raw_id_fields = ["coach", "athlete", "ended_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["coach", "email", "created", "expires_at", "used_at", "declined_at"]
    search_fields = ["coach__email", "email"]
    raw_id_fields = ["coach", "used_by"]
    # The token is a credential: never shown, never edited.
    exclude = ["token"]
