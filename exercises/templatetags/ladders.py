"""A set's count in its ladder's unit: ``{{ s.reps|counted:item.ladder }}`` reads "30 s" for a
hold and "10" for reps, and ``{{ n|amount:ladder }}`` "30 seconds" or "1 rep", so a plank is
never shown in reps and one rep is never "1 reps"."""

from django import template

register = template.Library()


@register.filter
def counted(n, ladder) -> str:
    return ladder.short_amount(n)


@register.filter
def amount(n, ladder) -> str:
    return ladder.amount(n)
