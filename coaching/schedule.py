"""Turning an assign form into dates: pure functions, no Django, tested on their own.

A coach picks a first day and, to repeat it, weekdays and a number of weeks ("Monday and
Thursday for 6 weeks"); both end up as a sorted tuple of distinct dates. Limits live here
so the form and the tests agree on them.
"""

from __future__ import annotations

from datetime import date, timedelta

MAX_SPAN_DAYS = 366  # a schedule reaches at most a year (and a leap day) ahead
MAX_WEEKS = 52  # a recurrence repeats for a year at most


def expand(start: date, end: date, weekdays: frozenset[int] | set[int]) -> tuple[date, ...]:
    """Every date from ``start`` to ``end`` (both included) whose weekday (0 = Monday) is chosen.

    Raises ValueError when the range is backwards, longer than MAX_SPAN_DAYS, or a weekday
    is outside 0..6.
    """
    if end < start:
        raise ValueError("end is before start")
    if (end - start).days > MAX_SPAN_DAYS:
        raise ValueError(f"the range is longer than {MAX_SPAN_DAYS} days")
    if any(not isinstance(day, int) or not 0 <= day <= 6 for day in weekdays):
        raise ValueError("weekdays are 0 (Monday) to 6 (Sunday)")
    # Jump to the first chosen weekday, then step a week at a time.
    found = []
    for day in weekdays:
        first = start + timedelta(days=(day - start.weekday()) % 7)
        current = first
        while current <= end:
            found.append(current)
            current += timedelta(weeks=1)
    return tuple(sorted(found))


def recurrence(start: date, weekdays: frozenset[int] | set[int], weeks: int) -> tuple[date, ...]:
    """``start`` alone when no weekday is chosen; otherwise every chosen weekday in the
    ``weeks`` weeks that begin on ``start`` (Monday and Thursday for 6 weeks: 12 days).

    Raises ValueError when ``weeks`` is outside 1..MAX_WEEKS or a weekday is outside 0..6.
    """
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks are 1 to {MAX_WEEKS}")
    if not weekdays:
        return (start,)
    return expand(start, start + timedelta(days=7 * weeks - 1), weekdays)
