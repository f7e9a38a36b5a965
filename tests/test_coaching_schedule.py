"""Pure coaching rules, without a database: schedules into dates.

Fixed doses are the engine's now (spec v1.1 §5.7): tests/test_fixed_doses.py."""

from datetime import date

import pytest

from coaching import schedule

MONDAY = date(2026, 5, 4)


def test_it_expands_weekdays_between_two_dates_both_included():
    days = schedule.expand(MONDAY, date(2026, 5, 17), {0, 2, 4})
    assert days == (
        date(2026, 5, 4),
        date(2026, 5, 6),
        date(2026, 5, 8),
        date(2026, 5, 11),
        date(2026, 5, 13),
        date(2026, 5, 15),
    )


def test_it_starts_on_the_first_chosen_weekday_after_the_start():
    assert schedule.expand(date(2026, 5, 6), date(2026, 5, 12), {0}) == (date(2026, 5, 11),)


def test_it_gives_one_day_when_start_and_end_meet():
    assert schedule.expand(MONDAY, MONDAY, {0}) == (MONDAY,)
    assert schedule.expand(MONDAY, MONDAY, {1}) == ()


def test_it_covers_a_whole_year_of_mondays():
    days = schedule.expand(MONDAY, date(2027, 5, 4), {0})
    assert len(days) == 53 and all(d.weekday() == 0 for d in days)


@pytest.mark.parametrize(
    ("start", "end", "weekdays", "message"),
    [
        (MONDAY, date(2026, 5, 3), {0}, "before"),
        (MONDAY, date(2027, 5, 6), {0}, "longer"),
        (MONDAY, date(2026, 5, 10), {7}, "weekdays"),
    ],
)
def test_it_refuses_impossible_schedules(start, end, weekdays, message):
    with pytest.raises(ValueError, match=message):
        schedule.expand(start, end, weekdays)


def test_it_gives_the_first_day_alone_without_weekdays():
    assert schedule.recurrence(MONDAY, set(), 6) == (MONDAY,)


def test_it_repeats_chosen_weekdays_for_a_number_of_weeks():
    days = schedule.recurrence(MONDAY, {0, 3}, 6)  # Monday and Thursday for 6 weeks
    assert len(days) == 12
    assert days[0] == MONDAY and days[-1] == date(2026, 6, 11)
    assert {d.weekday() for d in days} == {0, 3}


def test_it_starts_the_weeks_on_the_first_day_chosen():
    wednesday = date(2026, 5, 6)
    assert schedule.recurrence(wednesday, {0}, 2) == (date(2026, 5, 11), date(2026, 5, 18))


@pytest.mark.parametrize("weeks", [0, -1, schedule.MAX_WEEKS + 1, 60])
def test_it_refuses_a_number_of_weeks_out_of_range(weeks):
    with pytest.raises(ValueError, match="weeks"):
        schedule.recurrence(MONDAY, {0}, weeks)


def test_a_year_of_weeks_stays_within_the_longest_span():
    days = schedule.recurrence(MONDAY, set(range(7)), schedule.MAX_WEEKS)
    assert len(days) == 7 * schedule.MAX_WEEKS
    assert (days[-1] - days[0]).days <= schedule.MAX_SPAN_DAYS
