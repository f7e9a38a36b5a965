"""Unit tests for sessions/volume/ against shared/docs/fatigue-adjusted-volume.md.

Pure module: no Django, no database. The worked examples of §11 use an established user
(10 sessions, last strength 72 h ago, 1 session in 7 days) and the seed routine.
"""

import ast
import dataclasses
import sys
from pathlib import Path

import pytest

from sessions.volume import (
    AREAS,
    REASON_PRIORITY,
    REGIONS,
    SEED_ROUTINE,
    TIERS,
    CheckIn,
    History,
    Pain,
    Plan,
    RoutineItem,
    RunContext,
    SessionLog,
    next_set_action,
    plan_session,
    progression_decision,
    remaining_leg_sets,
    round_half_away_from_zero,
)

VOLUME = Path(__file__).resolve().parents[1] / "sessions" / "volume"
LEG_KEYS = ("calf-raise", "squat", "hip-thrust", "step-up")
ALL_KEYS = LEG_KEYS + ("core",)
ESTABLISHED = History(completed_sessions=10, hours_since_strength=72, strength_sessions_last7=1)
FRESH = CheckIn(soreness=5, fatigue=5, sleep=5, stress=5)  # 30 points: PLUS
AVERAGE = CheckIn(soreness=3, fatigue=3, sleep=3, stress=3)  # 18 points: NORMAL
EASY_RUN_LONG_AGO = RunContext(hours_since_hard=100)


def make_plan(
    checkin: CheckIn = FRESH,
    run: RunContext = EASY_RUN_LONG_AGO,
    history: History = ESTABLISHED,
    routine: tuple[RoutineItem, ...] = SEED_ROUTINE,
    **kwargs: object,
) -> Plan:
    return plan_session(checkin=checkin, run=run, history=history, routine=routine, **kwargs)


def by_key(plan: Plan) -> dict:
    return {exercise.key: exercise for exercise in plan.exercises}


def with_levels(**levels: int) -> tuple[RoutineItem, ...]:
    names = {key.replace("-", "_"): key for key in ALL_KEYS}
    wanted = {names[name]: level for name, level in levels.items()}
    return tuple(
        dataclasses.replace(item, level=wanted.get(item.key, item.level)) for item in SEED_ROUTINE
    )


def assert_dose(plan: Plan, keys, tier: str, sets: int, rir: int, reason: str | None = None):
    exercises = by_key(plan)
    for key in keys:
        exercise = exercises[key]
        assert exercise.action == "do", key
        assert (exercise.tier, exercise.sets, exercise.target_rir) == (tier, sets, rir), key
        assert exercise.target_rpe == 10 - rir, key
        if reason is not None:
            assert exercise.reason == reason, key


def assert_skipped(plan: Plan, keys, reason: str):
    exercises = by_key(plan)
    for key in keys:
        exercise = exercises[key]
        assert exercise.action == "skip", key
        assert exercise.sets == 0, key
        assert exercise.rep_min is exercise.rep_max is None, key
        assert exercise.target_rir is exercise.target_rpe is exercise.level is None, key
        assert exercise.reason == reason, key


# --------------------------------------------------------------------------------------------
# §11 worked examples
# --------------------------------------------------------------------------------------------


def test_it_plans_e1_an_ordinary_day():
    plan = make_plan(AVERAGE, RunContext(hours_since_hard=50, rpe=7, minutes=50), time_available=40)
    assert_dose(plan, ALL_KEYS, "NORMAL", 3, 2, "BASE_NORMAL")
    assert plan.est_minutes == 36.5
    assert plan.headline_reason == "BASE_NORMAL"
    assert plan.tier == "NORMAL"
    assert (plan.readiness_points, plan.readiness_pct) == (18, 50)
    assert plan.advisories == ()
    assert plan.allow_progression is True


def test_it_plans_e2_a_fresh_day():
    plan = make_plan(
        CheckIn(soreness=5, fatigue=4, sleep=4, stress=4),
        RunContext(hours_since_hard=60, rpe=7, minutes=50),
        time_available=60,
    )
    assert_dose(plan, ALL_KEYS, "PLUS", 4, 2, "BASE_PLUS")
    assert plan.est_minutes == 47
    assert plan.headline_reason == "BASE_PLUS"
    assert plan.tier == "PLUS"


def test_it_plans_e3_sore_legs_after_a_big_run():
    plan = make_plan(
        CheckIn(soreness=2, fatigue=3, sleep=3, stress=3),
        RunContext(hours_since_hard=18, rpe=6, minutes=100),
        time_available=40,
    )
    assert_dose(plan, LEG_KEYS, "REDUCED", 2, 3, "S2")
    assert_dose(plan, ["core"], "NORMAL", 3, 2, "BASE_NORMAL")
    assert plan.est_minutes == 27.5
    assert plan.headline_reason == "S2"
    assert plan.tier == "REDUCED"


def test_it_plans_e4_a_very_tired_day():
    plan = make_plan(
        CheckIn(soreness=2, fatigue=1, sleep=1, stress=2),
        RunContext(hours_since_hard=30, rpe=7, minutes=60),
        time_available=40,
    )
    assert_dose(plan, ALL_KEYS, "MINIMUM", 1, 3, "F1")
    assert plan.est_minutes == 15.5
    assert plan.headline_reason == "F1"


def test_it_plans_e5_a_recovery_day():
    plan = make_plan(
        CheckIn(soreness=1, fatigue=1, sleep=1, stress=2),
        RunContext(hours_since_hard=30),
        time_available=40,
    )
    assert_skipped(plan, ALL_KEYS, "BASE_RECOVERY")
    assert plan.est_minutes == 0
    assert plan.headline_reason == "BASE_RECOVERY"
    assert plan.tier == "RECOVERY"
    assert plan.readiness_points == 7


def test_it_plans_e6_two_days_before_a_race():
    plan = make_plan(
        CheckIn(soreness=4, fatigue=4, sleep=4, stress=3),
        RunContext(hours_since_hard=72, days_to_race=2),
        time_available=40,
    )
    assert_skipped(plan, LEG_KEYS, "RACE_SKIP")
    assert_dose(plan, ["core"], "MINIMUM", 1, 3, "RACE_SKIP")
    assert plan.est_minutes == 6.5
    assert plan.headline_reason == "RACE_SKIP"
    assert plan.tier == "MINIMUM"
    assert plan.allow_progression is False


def test_it_plans_e7_mild_knee_pain():
    routine = with_levels(calf_raise=3, squat=3, hip_thrust=3, step_up=2, core=3)
    plan = make_plan(
        CheckIn(soreness=3, fatigue=3, sleep=3, stress=3, pains=(Pain("knee", 2),)),
        RunContext(hours_since_hard=50),
        routine=routine,
    )
    exercises = by_key(plan)
    expected = {
        "calf-raise": ("NORMAL", 3, 2, 3),
        "squat": ("REDUCED", 2, 3, 2),
        "hip-thrust": ("NORMAL", 3, 2, 3),
        "step-up": ("REDUCED", 2, 3, 1),
        "core": ("NORMAL", 3, 2, 3),
    }
    for key, dose in expected.items():
        exercise = exercises[key]
        assert (exercise.tier, exercise.sets, exercise.target_rir, exercise.level) == dose, key
    assert exercises["squat"].reason == exercises["step-up"].reason == "PAIN_MILD"
    assert exercises["squat"].pain_stop_nrs == 3
    assert plan.est_minutes == 31.5
    assert plan.headline_reason == "PAIN_MILD"
    assert plan.advisories == ()


def test_it_plans_e8_urgent_symptoms():
    plan = make_plan(CheckIn(soreness=5, fatigue=5, sleep=5, stress=5, urgent=True))
    assert_skipped(plan, ALL_KEYS, "URGENT")
    assert plan.est_minutes == 0
    assert plan.headline_reason == "URGENT"
    assert plan.advisories == ("URGENT",)
    assert plan.readiness_points == 0
    assert plan.tier == "RECOVERY"


def test_it_plans_e9_nothing_answered():
    plan = make_plan(CheckIn(), RunContext(hours_since_hard=75))
    assert_dose(plan, ALL_KEYS, "NORMAL", 3, 2, "BASE_NORMAL")
    assert plan.est_minutes == 36.5
    assert plan.headline_reason == "BASE_NORMAL"
    assert plan.readiness_points == 18


def test_it_plans_e10_a_new_user():
    plan = make_plan(
        CheckIn(soreness=4, fatigue=4, sleep=4, stress=4),
        RunContext(hours_since_hard=60),
        History(),
    )
    assert_dose(plan, ALL_KEYS, "REDUCED", 2, 3, "NEW_USER")
    assert [e.level for e in plan.exercises] == [item.level for item in SEED_ROUTINE]
    assert plan.est_minutes == 26
    assert plan.headline_reason == "NEW_USER"


def test_it_plans_e11_twenty_minutes():
    plan = make_plan(AVERAGE, RunContext(hours_since_hard=50, rpe=7, minutes=50), time_available=20)
    assert [e.sets for e in plan.exercises] == [2, 1, 1, 2, 1]
    assert_dose(plan, ["calf-raise", "step-up"], "NORMAL", 2, 2, "TIME")
    assert_dose(plan, ["squat", "hip-thrust", "core"], "NORMAL", 1, 2, "TIME")
    assert plan.est_minutes == 20
    assert plan.headline_reason == "TIME"


# --------------------------------------------------------------------------------------------
# §3 readiness points, personal baseline, weekly floor
# --------------------------------------------------------------------------------------------


def test_it_rounds_half_away_from_zero():
    assert [round_half_away_from_zero(x) for x in (2.5, -2.5, 0.5, 1.4, -1.6, 3)] == [
        3,
        -3,
        1,
        1,
        -2,
        3,
    ]


def test_it_rounds_readiness_pct_half_away_from_zero():
    plan = make_plan(CheckIn(soreness=1, fatigue=1, sleep=2, stress=3))  # P = 9: 12.5 %
    assert (plan.readiness_points, plan.readiness_pct) == (9, 13)
    assert make_plan(FRESH).readiness_pct == 100


def test_it_counts_missing_soreness_as_2_soon_after_a_hard_run():
    plan = make_plan(CheckIn(fatigue=5, sleep=5, stress=5), RunContext(hours_since_hard=30))
    assert plan.readiness_points == 24
    assert_dose(plan, LEG_KEYS, "REDUCED", 2, 3, "ASSUMED_SORE")
    assert_dose(plan, ["core"], "NORMAL", 3, 2, "MISSING")


def test_it_lowers_the_tier_by_the_personal_baseline():
    history = dataclasses.replace(ESTABLISHED, readiness_history=(22,) * 14)  # offset 4 -> 3
    checkin = CheckIn(soreness=4, fatigue=4, sleep=4, stress=4)  # P = 24
    assert make_plan(checkin, history=history).tier == "PLUS"
    plan = make_plan(checkin, history=history, personal_baseline=True)
    assert plan.tier == "NORMAL"
    assert plan.readiness_points == 24  # the offset is for the tier only


def test_it_rounds_the_baseline_median_half_away_from_zero():
    checkin = CheckIn(soreness=5, fatigue=5, sleep=5, stress=3)  # P = 28
    high = dataclasses.replace(ESTABLISHED, readiness_history=(20,) * 7 + (21,) * 7)
    # median 20.5 -> offset +3 (banker's rounding would give 2 and keep PLUS)
    assert make_plan(checkin, history=high, personal_baseline=True).tier == "PLUS"
    checkin = CheckIn(soreness=4, fatigue=4, sleep=4, stress=3)  # P = 23
    assert make_plan(checkin, history=high, personal_baseline=True).tier == "NORMAL"
    low = dataclasses.replace(ESTABLISHED, readiness_history=(15,) * 7 + (16,) * 7)
    checkin = CheckIn(soreness=4, fatigue=4, sleep=3, stress=3)  # P = 22; -2.5 -> -3 -> 25
    assert make_plan(checkin, history=low, personal_baseline=True).tier == "PLUS"


def test_it_ignores_the_baseline_with_fewer_than_14_entries():
    history = dataclasses.replace(ESTABLISHED, readiness_history=(30,) * 13)
    checkin = CheckIn(soreness=4, fatigue=4, sleep=4, stress=4)
    assert make_plan(checkin, history=history, personal_baseline=True).tier == "PLUS"


RECOVERY_CHECKIN = CheckIn(soreness=1, fatigue=1, sleep=1, stress=2)


def test_it_keeps_a_weekly_floor_after_six_days_without_strength():
    history = dataclasses.replace(ESTABLISHED, hours_since_strength=150)
    plan = make_plan(RECOVERY_CHECKIN, RunContext(hours_since_hard=30), history)
    assert_dose(plan, ALL_KEYS, "MINIMUM", 1, 3, "FLOOR")
    assert plan.headline_reason == "FLOOR"


def test_it_counts_no_strength_history_as_never_for_the_floor():
    history = dataclasses.replace(ESTABLISHED, hours_since_strength=None)
    plan = make_plan(RECOVERY_CHECKIN, history=history)
    assert_dose(plan, ALL_KEYS, "MINIMUM", 1, 3, "FLOOR")


@pytest.mark.parametrize(
    "history, checkin, run",
    [
        (History(completed_sessions=10, hours_since_strength=143), RECOVERY_CHECKIN, None),
        (History(completed_sessions=0), RECOVERY_CHECKIN, None),
        (
            History(completed_sessions=10, hours_since_strength=150),
            dataclasses.replace(RECOVERY_CHECKIN, pains=(Pain("knee", 6),)),
            None,
        ),
        (
            History(completed_sessions=10, hours_since_strength=150),
            dataclasses.replace(RECOVERY_CHECKIN, pains=(Pain("knee", 1, red_flag=True),)),
            None,
        ),
        (
            History(completed_sessions=10, hours_since_strength=150),
            RECOVERY_CHECKIN,
            RunContext(hours_since_hard=100, days_to_race=2),
        ),
    ],
)
def test_it_does_not_keep_the_floor_when_a_condition_fails(history, checkin, run):
    plan = make_plan(checkin, run or EASY_RUN_LONG_AGO, history)
    assert all(e.sets == 0 for e in plan.exercises)
    assert plan.tier == "RECOVERY"


# --------------------------------------------------------------------------------------------
# §4 caps, §5.1-5.3 resolution and reasons
# --------------------------------------------------------------------------------------------


def test_it_skips_exercises_loading_a_red_pain_and_reduces_other_leg_work():
    plan = make_plan(CheckIn(5, 5, 5, 5, pains=(Pain("knee", 7),)))
    assert_skipped(plan, ["squat", "step-up"], "PAIN_RED")
    assert_dose(plan, ["calf-raise", "hip-thrust"], "REDUCED", 2, 3, "PAIN_OTHER")
    assert_dose(plan, ["core"], "PLUS", 4, 2, "BASE_PLUS")
    assert plan.headline_reason == "PAIN_RED"
    assert plan.advisories == ("PAIN_RED",)


def test_it_treats_a_red_flag_as_red_pain_whatever_the_score():
    plan = make_plan(CheckIn(5, 5, 5, 5, pains=(Pain("achilles_calf", 1, red_flag=True),)))
    assert_skipped(plan, ["calf-raise", "step-up"], "PAIN_RED")
    assert_dose(plan, ["squat", "hip-thrust"], "REDUCED", 2, 3, "PAIN_OTHER")


def test_it_skips_exercises_loading_a_moderate_pain():
    plan = make_plan(CheckIn(5, 5, 5, 5, pains=(Pain("low_back", 5),)))
    assert_skipped(plan, ["squat", "hip-thrust", "core"], "PAIN_SKIP")
    assert_dose(plan, ["calf-raise", "step-up"], "PLUS", 4, 2, "BASE_PLUS")
    assert plan.advisories == ("PAIN_SKIP",)
    assert plan.headline_reason == "PAIN_SKIP"


def test_it_counts_other_leg_pain_against_every_leg_exercise():
    plan = make_plan(CheckIn(5, 5, 5, 5, pains=(Pain("other_leg", 4),)))
    assert_skipped(plan, LEG_KEYS, "PAIN_SKIP")
    assert_dose(plan, ["core"], "PLUS", 4, 2, "BASE_PLUS")


def test_it_ignores_pain_scored_zero_without_a_red_flag():
    plan = make_plan(CheckIn(5, 5, 5, 5, pains=(Pain("knee", 0),)))
    assert_dose(plan, ALL_KEYS, "PLUS", 4, 2, "BASE_PLUS")


def test_it_prefers_pain_red_over_race_skip_as_the_skip_reason():
    plan = make_plan(
        CheckIn(5, 5, 5, 5, pains=(Pain("knee", 8), Pain("shin", 4))),
        RunContext(hours_since_hard=100, days_to_race=1),
    )
    assert_skipped(plan, ["squat", "step-up"], "PAIN_RED")
    assert_skipped(plan, ["calf-raise"], "PAIN_SKIP")
    assert_skipped(plan, ["hip-thrust"], "RACE_SKIP")
    assert plan.headline_reason == "PAIN_RED"


def test_it_caps_three_to_five_days_before_a_race():
    plan = make_plan(run=RunContext(hours_since_hard=100, days_to_race=4))
    assert_dose(plan, LEG_KEYS, "MINIMUM", 1, 3, "RACE_MIN")
    assert_dose(plan, ["core"], "REDUCED", 2, 3, "RACE_MIN")
    assert plan.allow_progression is False


def test_it_tapers_six_to_ten_days_before_a_race():
    plan = make_plan(run=RunContext(hours_since_hard=100, days_to_race=10))
    assert_dose(plan, ALL_KEYS, "REDUCED", 2, 3, "RACE_TAPER")
    assert plan.allow_progression is False
    assert make_plan(run=RunContext(hours_since_hard=100, days_to_race=11)).allow_progression


def test_it_caps_very_sore_legs_at_minimum():
    plan = make_plan(CheckIn(soreness=1, fatigue=5, sleep=5, stress=5))
    assert_dose(plan, LEG_KEYS, "MINIMUM", 1, 3, "S1")
    assert_dose(plan, ["core"], "PLUS", 4, 2, "BASE_PLUS")


def test_it_caps_legs_after_a_race():
    plan = make_plan(run=RunContext(hours_since_hard=30, is_race=True))
    assert_dose(plan, LEG_KEYS, "MINIMUM", 1, 3, "POST_RACE")
    plan = make_plan(run=RunContext(hours_since_hard=80, is_race=True))
    assert_dose(plan, LEG_KEYS, "REDUCED", 2, 3, "POST_RACE")
    plan = make_plan(run=RunContext(hours_since_hard=96, is_race=True))
    assert_dose(plan, LEG_KEYS, "PLUS", 4, 2, "BASE_PLUS")


def test_it_caps_legs_after_a_big_run():
    plan = make_plan(run=RunContext(hours_since_hard=30, rpe=6, minutes=100))
    assert_dose(plan, LEG_KEYS, "REDUCED", 2, 3, "RUN_BIG")
    assert_dose(plan, ["core"], "PLUS", 4, 2, "BASE_PLUS")
    plan = make_plan(run=RunContext(hours_since_hard=60, rpe=6, minutes=100))
    assert_dose(plan, LEG_KEYS, "NORMAL", 3, 2, "RUN_BIG")
    plan = make_plan(run=RunContext(hours_since_hard=72, rpe=6, minutes=100))
    assert_dose(plan, LEG_KEYS, "PLUS", 4, 2, "BASE_PLUS")


def test_it_does_not_count_a_run_below_600_srpe_as_big():
    plan = make_plan(run=RunContext(hours_since_hard=60, rpe=6, minutes=99))
    assert_dose(plan, LEG_KEYS, "PLUS", 4, 2, "BASE_PLUS")


def test_it_counts_a_spike_as_a_big_run_and_advises():
    plan = make_plan(run=RunContext(hours_since_hard=60, spike_ratio=1.2))
    assert_dose(plan, LEG_KEYS, "NORMAL", 3, 2, "RUN_BIG")
    assert plan.advisories == ("SPIKE",)
    plan = make_plan(run=RunContext(hours_since_hard=60, spike_ratio=1.10))
    assert_dose(plan, LEG_KEYS, "PLUS", 4, 2, "BASE_PLUS")
    assert plan.advisories == ()
    assert make_plan(run=RunContext(hours_since_hard=80, spike_ratio=1.5)).advisories == ()


def test_it_caps_legs_at_normal_after_a_hard_run():
    plan = make_plan(run=RunContext(hours_since_hard=30, rpe=7, minutes=40))
    assert_dose(plan, LEG_KEYS, "NORMAL", 3, 2, "RUN_HARD")
    assert_dose(plan, ["core"], "PLUS", 4, 2, "BASE_PLUS")


def test_it_caps_legs_at_normal_when_the_last_hard_run_is_unknown():
    plan = make_plan(run=RunContext())
    assert_dose(plan, LEG_KEYS, "NORMAL", 3, 2, "RUN_UNKNOWN")
    assert_dose(plan, ["core"], "PLUS", 4, 2, "BASE_PLUS")


def test_it_keeps_legs_fresh_before_a_key_run():
    plan = make_plan(run=RunContext(hours_since_hard=100, hours_to_next_key=12))
    assert_dose(plan, LEG_KEYS, "REDUCED", 2, 3, "NEXT_KEY")
    plan = make_plan(run=RunContext(hours_since_hard=100, hours_to_next_key=36))
    assert_dose(plan, LEG_KEYS, "NORMAL", 3, 2, "NEXT_KEY")
    assert_dose(plan, ["core"], "PLUS", 4, 2, "BASE_PLUS")


@pytest.mark.parametrize(
    "changes, tier, sets, rir, reason",
    [
        ({"hours_since_strength": 12}, "MINIMUM", 1, 3, "STRENGTH_24"),
        ({"hours_since_strength": 30}, "NORMAL", 3, 2, "STRENGTH_48"),
        ({"strength_sessions_last7": 3}, "REDUCED", 2, 3, "STRENGTH_FREQ"),
        ({"completed_sessions": 1}, "REDUCED", 2, 3, "NEW_USER"),
        ({"completed_sessions": 3}, "NORMAL", 3, 2, "NEW_USER_EARLY"),
        ({"completed_sessions": 4}, "PLUS", 4, 2, "BASE_PLUS"),
    ],
)
def test_it_caps_everything_from_strength_history(changes, tier, sets, rir, reason):
    plan = make_plan(history=dataclasses.replace(ESTABLISHED, **changes))
    assert_dose(plan, ALL_KEYS, tier, sets, rir, reason)


def test_it_eases_back_in_after_two_weeks_off():
    plan = make_plan(history=dataclasses.replace(ESTABLISHED, hours_since_strength=14 * 24))
    assert_dose(plan, ALL_KEYS, "REDUCED", 2, 3, "REENTRY")
    # one level easier for today, never below level 1
    assert [e.level for e in plan.exercises] == [1, 1, 1, 1, 1]


def test_it_caps_weak_links_separately_for_legs_and_the_rest():
    plan = make_plan(CheckIn(soreness=5, fatigue=5, sleep=5, stress=2))
    assert_dose(plan, ALL_KEYS, "NORMAL", 3, 2, "WEAK_LINK")
    plan = make_plan(CheckIn(soreness=2, fatigue=5, sleep=5, stress=5))
    assert_dose(plan, LEG_KEYS, "REDUCED", 2, 3, "S2")
    assert_dose(plan, ["core"], "PLUS", 4, 2, "BASE_PLUS")


def test_it_caps_at_normal_when_an_item_is_missing():
    plan = make_plan(CheckIn(soreness=5, fatigue=5, sleep=5))
    assert_dose(plan, ALL_KEYS, "NORMAL", 3, 2, "MISSING")


def test_it_does_not_let_a_no_bonus_cap_speak_on_an_ordinary_day():
    plan = make_plan(AVERAGE, RunContext(hours_since_hard=30, rpe=7, minutes=40))
    assert_dose(plan, ALL_KEYS, "NORMAL", 3, 2, "BASE_NORMAL")
    # base REDUCED with a NORMAL cap: the cap is not the reason
    plan = make_plan(CheckIn(soreness=3, fatigue=3, sleep=1), RunContext(hours_since_hard=100))
    assert plan.readiness_points == 16
    assert_dose(plan, ALL_KEYS, "REDUCED", 2, 3, "BASE_REDUCED")


def test_it_picks_the_earliest_reason_in_priority_order():
    plan = make_plan(
        CheckIn(soreness=1, fatigue=1, sleep=5, stress=5),
        RunContext(hours_since_hard=30, is_race=True),
        dataclasses.replace(ESTABLISHED, hours_since_strength=12),
    )
    assert_dose(plan, LEG_KEYS, "MINIMUM", 1, 3, "F1")


def test_it_headlines_the_first_kept_exercise_when_no_reason_is_in_the_list():
    history = dataclasses.replace(ESTABLISHED, sets_last7={"calf-raise": 8})
    plan = make_plan(history=history)
    assert plan.headline_reason == "WEEKLY_CAP"


# --------------------------------------------------------------------------------------------
# §5.4 weekly cap, §5.5 time budget
# --------------------------------------------------------------------------------------------


def test_it_limits_sets_to_ten_a_week_per_exercise():
    history = dataclasses.replace(ESTABLISHED, sets_last7={"squat": 8, "core": 6, "step-up": 7})
    plan = make_plan(AVERAGE, history=history)
    exercises = by_key(plan)
    assert (exercises["squat"].sets, exercises["squat"].reason) == (2, "WEEKLY_CAP")
    assert exercises["squat"].tier == "NORMAL"
    assert exercises["squat"].target_rir == 2
    assert (exercises["step-up"].sets, exercises["step-up"].reason) == (3, "BASE_NORMAL")
    assert (exercises["core"].sets, exercises["core"].reason) == (3, "BASE_NORMAL")


def test_it_skips_an_exercise_with_no_weekly_sets_left():
    history = dataclasses.replace(ESTABLISHED, sets_last7={"squat": 10, "core": 12})
    plan = make_plan(AVERAGE, history=history)
    assert_skipped(plan, ["squat", "core"], "WEEKLY_CAP")
    assert plan.est_minutes == 5 + 3 * (2 + 2 + 2.5)


def test_it_drops_the_lowest_priority_exercise_when_all_have_one_set():
    plan = make_plan(
        CheckIn(soreness=2, fatigue=1, sleep=1, stress=2),
        RunContext(hours_since_hard=30, rpe=7, minutes=60),
        time_available=12,
    )
    assert_skipped(plan, ["core", "squat"], "TIME_SKIP")
    assert_dose(plan, ["calf-raise", "hip-thrust", "step-up"], "MINIMUM", 1, 3, "F1")
    assert plan.est_minutes == 11.5
    assert plan.headline_reason == "F1"


def test_it_takes_sets_from_the_biggest_then_the_least_kept_exercise():
    plan = make_plan(AVERAGE, RunContext(hours_since_hard=100), time_available=35)
    assert [e.sets for e in plan.exercises] == [3, 3, 3, 3, 2]
    plan = make_plan(AVERAGE, RunContext(hours_since_hard=100), time_available=32.5)
    assert [e.sets for e in plan.exercises] == [3, 2, 3, 3, 2]
    assert [e.reason for e in plan.exercises][:2] == ["BASE_NORMAL", "TIME"]


def test_it_drops_everything_when_no_time_is_left():
    plan = make_plan(time_available=4)
    assert_skipped(plan, ALL_KEYS, "TIME_SKIP")
    assert plan.est_minutes == 0
    assert plan.tier == "RECOVERY"
    assert plan.headline_reason == "TIME_SKIP"


def test_it_leaves_a_plan_that_fits_untouched():
    plan = make_plan(AVERAGE, time_available=36.5)
    assert [e.sets for e in plan.exercises] == [3, 3, 3, 3, 3]


# --------------------------------------------------------------------------------------------
# §6 in-session rules
# --------------------------------------------------------------------------------------------


def set_action(**kwargs):
    values = dict(target_rir=2, set_number=1, reps=10, rir=2, rep_min=6, rep_max=12)
    values.update(kwargs)
    return next_set_action(**values)


def test_it_continues_when_the_set_went_as_planned():
    assert set_action() == ("continue", 10)


def test_it_reduces_reps_after_a_hard_first_set():
    assert set_action(target_rir=3, reps=9, rir=1) == ("reduce_reps", 7)
    assert set_action(target_rir=3, reps=7, rir=1) == ("reduce_reps", 6)


def test_it_regresses_the_level_when_a_hard_first_set_missed_the_range():
    assert set_action(target_rir=3, reps=4, rir=1) == ("regress_level", 6)


def test_it_stops_for_fatigue_on_a_second_hard_set():
    assert set_action(target_rir=3, set_number=2, reps=7, rir=1) == ("stop_fatigue", None)
    assert set_action(target_rir=3, reps=9, rir=1, harder_before=True) == ("stop_fatigue", None)


def test_it_advances_the_level_when_the_top_of_the_range_was_far_too_easy():
    assert set_action(reps=15, rir=5, rep_min=8, rep_max=15) == ("advance_level", 8)


def test_it_adds_reps_when_the_set_was_easy():
    assert set_action(reps=11, rir=4) == ("add_reps", 12)
    assert set_action(reps=8, rir=4) == ("add_reps", 10)


def test_it_flags_too_easy_at_the_top_of_the_range():
    assert set_action(reps=12, rir=4) == ("too_easy", 12)


def test_it_stops_for_pain_above_the_limit_before_anything_else():
    assert set_action(pain_nrs=4, rir=0) == ("stop_pain", None)
    assert set_action(pain_nrs=3) == ("continue", 10)
    assert set_action(pain_nrs=2, pain_stop_nrs=1) == ("stop_pain", None)


def test_it_stops_at_failure():
    assert set_action(rir=0, target_rir=0) == ("stop_failure", None)


def test_it_gives_remaining_leg_exercises_one_set_after_two_fatigue_stops():
    assert remaining_leg_sets(fatigue_stops=1, planned_sets=3) == 3
    assert remaining_leg_sets(fatigue_stops=2, planned_sets=3) == 1
    assert remaining_leg_sets(fatigue_stops=3, planned_sets=0) == 0


# --------------------------------------------------------------------------------------------
# §7 progression
# --------------------------------------------------------------------------------------------

TOP_SETS = SessionLog(sets=((15, 2), (15, 2), (15, 3)), target_rir=2)
TOO_HARD = SessionLog(sets=((8, 0.5), (8, 1)), target_rir=2)
ORDINARY = SessionLog(sets=((12, 2), (11, 2), (10, 2)), target_rir=2)


def progress(sessions, **kwargs):
    values = dict(level=3, max_level=5, sessions=tuple(sessions), rep_min=8, rep_max=15)
    values.update(kwargs)
    return progression_decision(**values)


def test_it_advances_after_two_successes_in_a_row():
    assert progress([TOP_SETS, TOP_SETS]) == ("advance", 4, None)


def test_it_adds_load_at_a_loadable_top_level():
    decision = progress(
        [TOP_SETS, TOP_SETS], level=5, loadable=True, load_kg=6, dumbbells=(4, 6, 8, 10)
    )
    assert decision == ("add_load", 5, 8)


def test_it_starts_with_the_lightest_dumbbell_when_unloaded():
    assert progress([TOP_SETS, TOP_SETS], loadable=True, dumbbells=(10, 4)) == ("add_load", 3, 4)


def test_it_advances_when_no_heavier_dumbbell_exists():
    decision = progress([TOP_SETS, TOP_SETS], loadable=True, load_kg=10, dumbbells=(4, 10))
    assert decision == ("advance", 4, 10)


def test_it_holds_at_the_top_level():
    assert progress([TOP_SETS, TOP_SETS], level=5) == ("hold", 5, None)
    assert progress([TOP_SETS, TOP_SETS], level=5, loadable=True, load_kg=10, dumbbells=(10,)) == (
        "hold",
        5,
        10,
    )


def test_it_regresses_after_two_too_hard_first_sets():
    assert progress([ORDINARY, TOO_HARD, TOO_HARD]) == ("regress", 2, None)
    assert progress([TOO_HARD, ORDINARY]) == ("hold", 3, None)


def test_it_regresses_after_a_regression_in_the_last_session():
    regressed = dataclasses.replace(ORDINARY, regressed_in_session=True)
    assert progress([TOP_SETS, regressed]) == ("regress", 2, None)
    assert progress([regressed], level=1) == ("regress", 1, None)


def test_it_holds_when_progression_is_not_allowed():
    assert progress([TOP_SETS, TOP_SETS], allow=False) == ("hold", 3, None)
    assert progress([TOO_HARD, TOO_HARD], allow=False) == ("regress", 2, None)


def test_it_fast_tracks_a_clearly_easy_first_set():
    easy = SessionLog(sets=((15, 5), (15, 4)), target_rir=2)
    assert progress([ORDINARY, easy]) == ("advance", 4, None)
    many = SessionLog(sets=((20, 2),), target_rir=2)
    assert progress([many]) == ("advance", 4, None)
    almost = SessionLog(sets=((19, 4),), target_rir=2)
    assert progress([almost]) == ("hold", 3, None)


def test_it_does_not_count_single_set_sessions_as_successes():
    single = SessionLog(sets=((15, 3),), target_rir=3)
    assert progress([single, single]) == ("hold", 3, None)


def test_it_needs_both_successes_at_the_same_level():
    earlier = dataclasses.replace(TOP_SETS, same_level=False)
    assert progress([earlier, TOP_SETS]) == ("hold", 3, None)
    assert progress([TOP_SETS]) == ("hold", 3, None)
    assert progress([]) == ("hold", 3, None)


# --------------------------------------------------------------------------------------------
# Interface, texts, validation
# --------------------------------------------------------------------------------------------


def test_it_exposes_the_vocabulary():
    assert TIERS == ("RECOVERY", "MINIMUM", "REDUCED", "NORMAL", "PLUS")
    assert REGIONS == (
        "foot_ankle",
        "achilles_calf",
        "shin",
        "knee",
        "hip_groin",
        "hamstring_glute",
        "low_back",
        "other_leg",
    )
    assert AREAS == ("legs", "core", "upper")
    assert REASON_PRIORITY[:3] == ("URGENT", "ILL", "PAIN_RED")
    assert REASON_PRIORITY[-1] == "RUN_UNKNOWN"
    assert len(REASON_PRIORITY) == 27


def test_it_seeds_the_five_moves_at_their_starting_levels():
    summary = [
        (item.key, item.area, item.rep_min, item.rep_max, item.minutes_per_set, item.keep_priority)
        + (item.level, item.max_level)
        for item in SEED_ROUTINE
    ]
    assert summary == [
        ("calf-raise", "legs", 8, 15, 2.0, 1, 2, 5),
        ("squat", "legs", 6, 12, 2.5, 4, 2, 5),
        ("hip-thrust", "legs", 8, 15, 2.0, 3, 1, 5),
        ("step-up", "legs", 6, 12, 2.5, 2, 1, 4),
        ("core", "core", 8, 15, 1.5, 5, 2, 5),
    ]
    assert SEED_ROUTINE[4].regions == frozenset({"low_back"})


def test_it_returns_frozen_dataclasses_and_tuples():
    plan = make_plan(CheckIn(5, 5, 5, 5, pains=[Pain("knee", 2)]))
    assert isinstance(plan.exercises, tuple) and isinstance(plan.advisories, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.tier = "PLUS"
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.exercises[0].sets = 9
    assert isinstance(CheckIn(pains=[Pain("knee", 2)]).pains, tuple)
    assert isinstance(History(readiness_history=[18] * 3).readiness_history, tuple)
    assert [e.key for e in plan.exercises] == list(ALL_KEYS)


def test_it_advises_rest_when_ill():
    plan = make_plan(CheckIn(5, 5, 5, 5, ill=True))
    assert_skipped(plan, ALL_KEYS, "ILL")
    assert plan.advisories == ("ILL",)
    assert plan.headline_reason == "ILL"


@pytest.mark.parametrize(
    "build, field",
    [
        (lambda: CheckIn(soreness=0), "soreness"),
        (lambda: CheckIn(sleep=6), "sleep"),
        (lambda: CheckIn(fatigue=2.5), "fatigue"),
        (lambda: CheckIn(stress=True), "stress"),
        (lambda: Pain("knee", 11), "nrs"),
        (lambda: Pain("knee", -1), "nrs"),
        (lambda: Pain("elbow", 2), "region"),
        (lambda: RunContext(hours_since_hard=-1), "hours_since_hard"),
        (lambda: RunContext(rpe=11), "rpe"),
        (lambda: RunContext(minutes=-5), "minutes"),
        (lambda: RunContext(hours_to_next_key=-2), "hours_to_next_key"),
        (lambda: RunContext(days_to_race=-1), "days_to_race"),
        (lambda: History(hours_since_strength=-3), "hours_since_strength"),
        (lambda: History(completed_sessions=-1), "completed_sessions"),
        (lambda: History(sets_last7={"squat": -1}), "sets_last7"),
        (lambda: History(readiness_history=(31,)), "readiness_history"),
        (lambda: dataclasses.replace(SEED_ROUTINE[0], regions={"elbow"}), "regions"),
        (lambda: dataclasses.replace(SEED_ROUTINE[0], area="arms"), "area"),
        (lambda: dataclasses.replace(SEED_ROUTINE[0], level=6), "level"),
        (lambda: dataclasses.replace(SEED_ROUTINE[0], rep_max=4), "rep_max"),
        (lambda: make_plan(time_available=-1), "time_available"),
        (lambda: make_plan(routine=SEED_ROUTINE + SEED_ROUTINE[:1]), "routine"),
        (lambda: set_action(pain_nrs=11), "pain_nrs"),
        (lambda: set_action(set_number=0), "set_number"),
        (lambda: set_action(rir=-1), "rir"),
        (lambda: progress([], level=6), "level"),
        (lambda: progress([], dumbbells=(0,)), "dumbbells"),
        (lambda: SessionLog(sets=((10, -1),), target_rir=2), "rir"),
        (lambda: remaining_leg_sets(fatigue_stops=-1, planned_sets=3), "fatigue_stops"),
    ],
)
def test_it_rejects_invalid_input_naming_the_field(build, field):
    with pytest.raises(ValueError, match=field):
        build()


def test_it_imports_only_the_standard_library():
    modules = set()
    for path in sorted(VOLUME.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, "no relative imports"
                modules.add(node.module)
    # The package's own modules import each other; anything else is the standard library.
    outside = {name.split(".")[0] for name in modules if not name.startswith("sessions.volume.")}
    assert outside
    assert outside <= set(sys.stdlib_module_names), outside - set(sys.stdlib_module_names)
