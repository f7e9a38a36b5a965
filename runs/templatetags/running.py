"""How runs read on a page: 1:05 h, 8.4 km, 5:21 /km."""

from datetime import timedelta

from django import template

from runs.models import format_km

register = template.Library()


@register.filter
def hours_minutes(value) -> str:
    """A timedelta or a number of minutes as "45 min" or "1:05 h"."""
    if value is None or value == "":
        return ""
    minutes = value.total_seconds() / 60 if isinstance(value, timedelta) else float(value)
    minutes = round(minutes)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60}:{minutes % 60:02d} h"


@register.filter
def km(value) -> str:
    """8.40 → "8.4" ("8,4" in Spanish); empty for an unknown distance."""
    if value is None or value == "":
        return ""
    return format_km(value)


@register.filter
def pace(run) -> str:
    seconds = run.pace_seconds_per_km
    if seconds is None:
        return ""
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d} /km"
