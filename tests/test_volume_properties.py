"""Property tests for sessions/volume/: the promises that must hold for every input."""

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from sessions.volume import (
    REGIONS,
    SEED_ROUTINE,
    TIERS,
    CheckIn,
    History,
    Pain,
    Plan,
    RunContext,
    plan_session,
)

RATINGS = ("soreness", "fatigue", "sleep", "stress")
LEG_KEYS = {item.key for item in SEED_ROUTINE if item.area == "legs"}
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)

ratings = st.one_of(st.none(), st.integers(1, 5))
hours = st.one_of(st.none(), st.integers(0, 400), st.floats(0, 400, allow_nan=False))
pains = st.lists(
    st.builds(
        Pain, region=st.sampled_from(REGIONS), nrs=st.integers(0, 10), red_flag=st.booleans()
    ),
    max_size=2,
).map(tuple)
checkins = st.builds(
    CheckIn,
    soreness=ratings,
    fatigue=ratings,
    sleep=ratings,
    stress=ratings,
    pains=pains,
)
runs = st.builds(
    RunContext,
    hours_since_hard=hours,
    rpe=st.one_of(st.none(), st.integers(0, 10)),
    minutes=st.one_of(st.none(), st.integers(0, 240)),
    is_race=st.booleans(),
    spike_ratio=st.one_of(st.none(), st.floats(0.5, 2.0, allow_nan=False)),
    hours_to_next_key=st.one_of(st.none(), st.integers(0, 72)),
    days_to_race=st.one_of(st.none(), st.integers(0, 14)),
)
histories = st.builds(
    History,
    completed_sessions=st.integers(0, 20),
    hours_since_strength=hours,
    strength_sessions_last7=st.integers(0, 5),
    sets_last7=st.dictionaries(st.sampled_from([i.key for i in SEED_ROUTINE]), st.integers(0, 12)),
    readiness_history=st.lists(st.integers(6, 30), max_size=20).map(tuple),
)
routines = st.tuples(*(st.integers(1, item.max_level) for item in SEED_ROUTINE)).map(
    lambda levels: tuple(
        dataclasses.replace(item, level=level)
        for item, level in zip(SEED_ROUTINE, levels, strict=True)
    )
)
budgets = st.one_of(st.none(), st.floats(0, 60, allow_nan=False))


def plan_for(checkin, run, history, routine, time_available=None, personal_baseline=False) -> Plan:
    return plan_session(
        checkin=checkin,
        run=run,
        history=history,
        routine=routine,
        time_available=time_available,
        personal_baseline=personal_baseline,
    )


def total_sets(plan: Plan) -> int:
    return sum(exercise.sets for exercise in plan.exercises)


@st.composite
def better_answers(draw):
    """A check-in and the same check-in with one answered rating raised."""
    checkin = draw(checkins)
    name = draw(st.sampled_from(RATINGS))
    value = draw(st.integers(1, 4))
    worse = dataclasses.replace(checkin, **{name: value})
    better = dataclasses.replace(checkin, **{name: draw(st.integers(value + 1, 5))})
    return worse, better


@PROPERTY_SETTINGS
@given(better_answers(), runs, histories, routines, st.booleans())
def test_it_never_gives_less_training_for_a_better_answer(answers, run, history, routine, base):
    worse, better = answers
    low = plan_for(worse, run, history, routine, personal_baseline=base)
    high = plan_for(better, run, history, routine, personal_baseline=base)
    assert total_sets(high) >= total_sets(low)
    for before, after in zip(low.exercises, high.exercises, strict=True):
        assert TIERS.index(after.tier) >= TIERS.index(before.tier), after.key


@PROPERTY_SETTINGS
@given(better_answers(), runs, histories, routines, budgets)
def test_it_never_lowers_a_tier_for_a_better_answer_within_a_time_budget(
    answers, run, history, routine, time_available
):
    # Total sets are only monotone without a budget: §5.5 takes sets from the exercise with
    # the most sets, so trimming a bigger plan can free more minutes than needed
    # (e.g. S1 vs S2 with 17 minutes: 6 sets vs 5). Tiers stay monotone.
    worse, better = answers
    low = plan_for(worse, run, history, routine, time_available)
    high = plan_for(better, run, history, routine, time_available)
    for before, after in zip(low.exercises, high.exercises, strict=True):
        assert TIERS.index(after.tier) >= TIERS.index(before.tier), after.key


@PROPERTY_SETTINGS
@given(checkins, runs, histories, routines, budgets, st.booleans())
def test_it_prescribes_zero_to_four_sets_never_near_failure(
    checkin, run, history, routine, time_available, base
):
    plan = plan_for(checkin, run, history, routine, time_available, base)
    assert [e.key for e in plan.exercises] == [item.key for item in routine]
    for exercise in plan.exercises:
        assert 0 <= exercise.sets <= 4
        if exercise.action == "do":
            assert exercise.sets >= 1
            assert exercise.target_rir >= 2
            assert exercise.target_rpe == 10 - exercise.target_rir
        else:
            assert exercise.action == "skip"
            assert exercise.sets == 0
            assert exercise.target_rir is None and exercise.level is None


@PROPERTY_SETTINGS
@given(checkins, runs, histories, routines, st.floats(0, 60, allow_nan=False))
def test_it_fits_the_time_available(checkin, run, history, routine, time_available):
    plan = plan_for(checkin, run, history, routine, time_available)
    nothing_left = all(exercise.action == "skip" for exercise in plan.exercises)
    assert plan.est_minutes <= time_available or nothing_left


@PROPERTY_SETTINGS
@given(checkins, runs, histories, routines, budgets, st.integers(0, 2))
def test_it_prescribes_no_leg_sets_within_two_days_of_a_race(
    checkin, run, history, routine, time_available, days
):
    run = dataclasses.replace(run, days_to_race=days)
    plan = plan_for(checkin, run, history, routine, time_available)
    assert all(e.sets == 0 for e in plan.exercises if e.key in LEG_KEYS)
    assert plan.allow_progression is False


@PROPERTY_SETTINGS
@given(checkins, runs, histories, routines, budgets, st.sampled_from(["urgent", "ill"]))
def test_it_prescribes_nothing_when_urgent_or_ill(
    checkin, run, history, routine, time_available, flag
):
    checkin = dataclasses.replace(checkin, **{flag: True})
    plan = plan_for(checkin, run, history, routine, time_available)
    assert total_sets(plan) == 0
    assert plan.est_minutes == 0
    assert plan.headline_reason == flag.upper()
    assert plan.advisories == (flag.upper(),)
