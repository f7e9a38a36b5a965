"""Turning an assign form into dates: pure functions, no Django, tested on their own.

A coach picks either a list of dates or weekdays between two dates; both end up as a
sorted tuple of distinct dates. Limits live here so the form and the tests agree on them.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MAX_SPAN_DAYS = 366  # a schedule reaches at most a year (and a leap day) ahead
MAX_DATES = 120  # typed dates in one go; more is a weekly schedule

_SEPARATORS = re.compile(r"[\s,;]+")


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


def parse_dates(text: str) -> tuple[tuple[date, ...], list[str]]:
    """Read "2026-05-04, 2026-05-06" (commas, spaces or new lines between dates).

    Returns the distinct dates, sorted, and the pieces that are not ISO dates.
    """
    found: set[date] = set()
    bad: list[str] = []
    for piece in _SEPARATORS.split(text.strip()):
        if not piece:
            continue
        try:
            found.add(date.fromisoformat(piece))
        except ValueError:
            bad.append(piece)
    return tuple(sorted(found)), bad
