"""A set's count in its ladder's unit: ``{{ s.reps|counted:item.ladder }}`` reads "30 s" for a
hold and "10" for reps, so a plank is never shown in reps."""

from django import template

register = template.Library()


@register.filter
def counted(n, ladder) -> str:
    return ladder.short_amount(n)
