"""A set's count in its ladder's unit: ``{{ s.reps|counted:item.ladder }}`` reads "30 s" for a
hold and "10" for reps, and ``{{ n|amount:ladder }}`` "30 seconds" or "1 rep", so a plank is
never shown in reps and one rep is never "1 reps"."""

from django import template

register = template.Library()


@register.filter
def counted(n, ladder) -> str:
    return ladder.short_amount(n)


@register.filter
def amount(n, counter) -> str:
    """``counter`` is a ladder, a level or a planned exercise (its level's slow breaths)."""
    return counter.amount(n)


@register.filter
def hold_range(exercise, ladder) -> str:
    """A level's range on its ladder as seconds when it counts slow breaths; else ""."""
    return exercise.hold_time_on(ladder, ladder.rep_min, ladder.rep_max)
