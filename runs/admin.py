from django.contrib import admin

from runs.models import ActivityImport, Race, Run


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = [
        "athlete",
        "start",
        "kind",
        "status",
        "duration",
        "distance_km",
        "rpe",
        "source",
    ]
    list_filter = ["status", "kind", "source"]
    search_fields = ["athlete__email"]
    raw_id_fields = ["athlete"]
    date_hierarchy = "start"


@admin.register(Race)
class RaceAdmin(admin.ModelAdmin):
    list_display = ["athlete", "date", "name", "distance_km", "priority"]
    list_filter = ["priority"]
    search_fields = ["athlete__email", "name"]
    raw_id_fields = ["athlete"]


@admin.register(ActivityImport)
class ActivityImportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "athlete", "name", "status", "attempts", "message"]
    list_filter = ["status"]
    search_fields = ["athlete__email", "name"]
    raw_id_fields = ["athlete", "run"]
    readonly_fields = ["status", "attempts", "message", "finished_at"]
