"""Pure coaching rules, without a database: schedules into dates, fixed doses on a plan."""

from datetime import date

import pytest

from coaching import schedule
from coaching.prescription import FIXED, FixedDose, apply_fixed
from sessions import volume

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


def test_it_reads_dates_separated_any_way_and_names_the_bad_ones():
    days, bad = schedule.parse_dates("2026-05-06, 2026-05-04\n2026-05-06;  tomorrow 2026-13-01")
    assert days == (date(2026, 5, 4), date(2026, 5, 6))
    assert bad == ["tomorrow", "2026-13-01"]
    assert schedule.parse_dates("   ") == ((), [])


# --- Fixed doses on the engine's plan -----------------------------------------------------


def plan_for(checkin, run=None, history=None):
    return volume.plan_session(
        checkin=checkin,
        run=run or volume.RunContext(hours_since_hard=60),
        history=history
        or volume.History(
            completed_sessions=10, hours_since_strength=72, strength_sessions_last7=1
        ),
        routine=volume.SEED_ROUTINE,
    )


def test_it_gives_a_fixed_exercise_the_coachs_sets_and_reps_with_the_engines_effort():
    plan = plan_for(volume.CheckIn(soreness=2, fatigue=3, sleep=3, stress=3))  # S2: legs REDUCED
    fixed = apply_fixed(plan, volume.SEED_ROUTINE, {"squat": FixedDose(sets=5, reps=5)})
    squat = next(e for e in fixed.exercises if e.key == "squat")
    assert (squat.sets, squat.rep_min, squat.rep_max, squat.reason) == (5, 5, 5, FIXED)
    assert squat.target_rir == 3 and squat.target_rpe == 7  # REDUCED effort: 3 in reserve
    calf = next(e for e in fixed.exercises if e.key == "calf-raise")
    assert calf == next(e for e in plan.exercises if e.key == "calf-raise")  # untouched
    assert fixed.est_minutes == plan.est_minutes + (5 - squat_sets(plan)) * 2.5


def squat_sets(plan):
    return next(e for e in plan.exercises if e.key == "squat").sets


@pytest.mark.parametrize(
    ("checkin", "run", "reason"),
    [
        (volume.CheckIn(pains=(volume.Pain("knee", 5),)), None, "PAIN_SKIP"),
        (volume.CheckIn(ill=True), None, "ILL"),
        (volume.CheckIn(), volume.RunContext(hours_since_hard=60, days_to_race=1), "RACE_SKIP"),
    ],
)
def test_it_keeps_the_engines_skip_for_pain_illness_or_a_race(checkin, run, reason):
    plan = plan_for(checkin, run)
    fixed = apply_fixed(plan, volume.SEED_ROUTINE, {"squat": FixedDose(sets=3, reps=10)})
    squat = next(e for e in fixed.exercises if e.key == "squat")
    assert squat.action == "skip" and squat.sets == 0 and squat.reason == reason


def test_it_never_prescribes_a_fixed_dose_closer_to_failure_than_two_in_reserve():
    plan = plan_for(volume.CheckIn(soreness=5, fatigue=5, sleep=5, stress=5))  # PLUS @ RIR 2
    fixed = apply_fixed(plan, volume.SEED_ROUTINE, {"core": FixedDose(sets=2, reps=30)})
    assert all(e.target_rir >= 2 for e in fixed.exercises if e.action == "do")
