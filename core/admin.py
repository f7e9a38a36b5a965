from django.contrib import admin

from core.models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Emails waiting or failed, with the reason of a failure; never their content."""

    list_display = ["created_at", "subject", "recipients", "status", "attempts", "error"]
    list_filter = ["status"]
    search_fields = ["recipients", "subject"]
    exclude = ["message"]
    readonly_fields = [
        "created_at",
        "subject",
        "recipients",
        "status",
        "attempts",
        "error",
    ]

    def has_add_permission(self, request):
        return False
