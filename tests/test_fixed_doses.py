"""A coach's fixed dose (spec v1.1 §5.7): the engine caps it like any dose, progression
judges it against the coach's reps, and the routine builder says how it behaves."""

import dataclasses
import math

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.models import Ladder
from sessions import volume
from sessions.models import LadderProgress, WorkoutSession
from tests.app_days import check_in, finish, log_prefilled_sets
from tests.coaching import assign, make_routine

ESTABLISHED = volume.History(
    completed_sessions=10, hours_since_strength=72, strength_sessions_last7=1
)
AFTER_A_RUN = volume.RunContext(hours_since_hard=60)


def with_fixed(key, sets, reps, routine=volume.SEED_ROUTINE):
    return tuple(
        dataclasses.replace(item, fixed_sets=sets, fixed_reps=reps) if item.key == key else item
        for item in routine
    )


def calf(checkin, run=AFTER_A_RUN, history=ESTABLISHED, time_available=None, sets=5, reps=20):
    plan = volume.plan_session(
        checkin=checkin,
        run=run,
        history=history,
        routine=with_fixed("calf-raise", sets, reps),
        time_available=time_available,
    )
    return next(e for e in plan.exercises if e.key == "calf-raise")


def dose(exercise):
    return (exercise.action, exercise.sets, exercise.rep_min, exercise.rep_max, exercise.target_rir)


# --- The engine: the spec's example, 5 × 20 calf raises -------------------------------------


def test_a_normal_day_gives_the_coachs_dose_and_a_fresh_one_no_more():
    normal = calf(volume.CheckIn(soreness=3, fatigue=3, sleep=3, stress=3))
    assert dose(normal) == ("do", 5, 20, 20, 2)
    fresh = calf(volume.CheckIn(soreness=5, fatigue=5, sleep=5, stress=5))
    assert fresh.tier == volume.PLUS and dose(fresh) == ("do", 5, 20, 20, 2)


def test_a_reduced_day_halves_the_sets_rounded_up_and_keeps_the_reason():
    reduced = calf(volume.CheckIn(soreness=2, fatigue=3, sleep=3, stress=3))
    assert dose(reduced) == ("do", 3, 20, 20, 3) and reduced.reason == "S2"


def test_a_minimum_day_is_one_set():
    minimum = calf(volume.CheckIn(soreness=3, fatigue=1, sleep=3, stress=3))
    assert dose(minimum) == ("do", 1, 20, 20, 3) and minimum.reason == "F1"


@pytest.mark.parametrize(
    ("checkin", "run", "reason"),
    [
        (volume.CheckIn(pains=(volume.Pain("achilles_calf", 5),)), AFTER_A_RUN, "PAIN_SKIP"),
        (volume.CheckIn(ill=True), AFTER_A_RUN, "ILL"),
        (volume.CheckIn(), volume.RunContext(hours_since_hard=60, days_to_race=2), "RACE_SKIP"),
    ],
)
def test_pain_illness_and_a_race_in_two_days_still_skip_it(checkin, run, reason):
    skipped = calf(checkin, run)
    assert (skipped.action, skipped.sets, skipped.rep_min, skipped.reason) == (
        "skip",
        0,
        None,
        reason,
    )


def test_the_weekly_cap_and_the_time_budget_trim_it_like_any_exercise():
    week = dataclasses.replace(ESTABLISHED, sets_last7={"calf-raise": 8})
    capped = calf(volume.CheckIn(soreness=3, fatigue=3, sleep=3, stress=3), history=week)
    assert (capped.sets, capped.reason) == (2, "WEEKLY_CAP")
    short = calf(volume.CheckIn(soreness=3, fatigue=3, sleep=3, stress=3), time_available=20)
    assert short.sets < 5 and short.reason == "TIME"


def test_a_ten_set_dose_on_a_reduced_day_is_five_sets():
    assert calf(volume.CheckIn(soreness=2, fatigue=3, sleep=3, stress=3), sets=10).sets == 5


@pytest.mark.parametrize(
    ("sets", "reps", "field"),
    [
        (0, 20, "fixed_sets"),
        (11, 20, "fixed_sets"),
        (3, 0, "fixed_reps"),
        (3, 301, "fixed_reps"),
        (True, 20, "fixed_sets"),
        (3, None, "fixed_reps"),
        (None, 20, "fixed_sets"),
    ],
)
def test_it_refuses_an_impossible_dose_naming_the_field(sets, reps, field):
    with pytest.raises(ValueError, match=field):
        with_fixed("calf-raise", sets, reps)


def test_the_edges_of_a_possible_dose_are_accepted():
    for sets, reps in ((1, 1), (10, 300)):
        (item,) = with_fixed("core", sets, reps, routine=volume.SEED_ROUTINE[-1:])
        assert (item.fixed_sets, item.fixed_reps) == (sets, reps)


def test_progression_of_a_fixed_item_is_judged_against_the_coachs_reps():
    # 20 calf raises at the planned effort: the top of a 20–20 range, not a fast track
    # against the ladder's 8–15 (which 20 reps would be: 15 + 5).
    one = volume.SessionLog(sets=((20, 2), (20, 2), (20, 2)), target_rir=2)
    decide = dict(level=2, max_level=5, rep_min=20, rep_max=20)
    assert volume.progression_decision(sessions=(one,), **decide)[0] == "hold"
    assert volume.progression_decision(sessions=(one, one), **decide)[:2] == ("advance", 3)


ratings = st.one_of(st.none(), st.integers(1, 5))


@settings(max_examples=200, deadline=None)
@given(
    checkin=st.builds(
        volume.CheckIn, soreness=ratings, fatigue=ratings, sleep=ratings, stress=ratings
    ),
    hours=st.one_of(st.none(), st.integers(0, 400)),
    days_to_race=st.one_of(st.none(), st.integers(0, 14)),
    done=st.integers(0, 12),
    sets=st.integers(1, 10),
    reps=st.integers(1, 300),
    minutes=st.one_of(st.none(), st.integers(0, 90)),
)
def test_a_fixed_dose_never_exceeds_the_coachs_sets_or_the_weekly_cap(
    checkin, hours, days_to_race, done, sets, reps, minutes
):
    history = dataclasses.replace(ESTABLISHED, sets_last7={"calf-raise": done})
    run = volume.RunContext(hours_since_hard=hours, days_to_race=days_to_race)
    exercise = calf(checkin, run, history, minutes, sets=sets, reps=reps)
    assert exercise.sets <= sets
    assert exercise.sets <= max(0, volume.WEEKLY_SET_LIMIT - done)
    if exercise.action == "do":
        assert exercise.rep_min == exercise.rep_max == reps
        assert exercise.target_rir >= 2
        if exercise.tier == volume.REDUCED and exercise.reason not in ("WEEKLY_CAP", "TIME"):
            assert exercise.sets == math.ceil(sets / 2)


# --- The app ------------------------------------------------------------------------------


@pytest.fixture
def calf_routine(alice, library):
    routine = make_routine(alice, slugs=("calf-raise", "core"), fixed={"calf-raise": (3, 20)})
    return routine


def test_a_coachs_20_reps_do_not_fast_track_the_athlete_up_the_ladder(client, alice, calf_routine):
    assignment = assign(calf_routine, alice, alice.local_today())
    client.force_login(alice)
    workout = check_in(client, assignment=str(assignment.pk))
    calf_item = workout.items.get(ladder__slug="calf-raise")
    # A new user's day is REDUCED: ⌈3/2⌉ sets of the coach's 20.
    assert (calf_item.sets_planned, calf_item.rep_min, calf_item.rep_max) == (2, 20, 20)
    logged = log_prefilled_sets(client, workout)
    assert logged["calf-raise"] == [(20, 3), (20, 3)]
    finish(client, workout)
    progress = LadderProgress.objects.get(athlete=alice, ladder__slug="calf-raise")
    assert progress.level == 2  # the ladder's start level, held
    calf_item.refresh_from_db()
    assert calf_item.decision == "hold"


def test_a_very_tired_day_gives_a_fixed_dose_one_set(client, alice, calf_routine):
    assignment = assign(calf_routine, alice, alice.local_today())
    client.force_login(alice)
    workout = check_in(client, assignment=str(assignment.pk), fatigue="1")
    calf_item = workout.items.get(ladder__slug="calf-raise")
    assert (calf_item.sets_planned, calf_item.reason) == (1, "F1")
    assert WorkoutSession.objects.filter(athlete=alice).count() == 1


def test_the_routine_builder_says_how_a_fixed_dose_behaves_on_a_bad_day(
    client, alice, calf_routine
):
    client.force_login(alice)
    html = client.get(calf_routine.get_absolute_url()).content.decode()
    assert "Fixed: 3 × 20 reps" in html
    assert "on a lighter day 2 sets, on a very light day 1" in html
    assert "half the sets, rounded up" in html  # the dose field's help


@pytest.mark.parametrize(
    ("sets", "reps", "message"),
    [
        ("0", "20", "A fixed dose is 1 to 10 sets."),
        ("11", "20", "A fixed dose is 1 to 10 sets."),
        ("3", "0", "A set is at least 1 rep (or 1 second for a hold)."),
        ("3", "301", "That is more than one set"),
    ],
)
def test_the_routine_builder_stops_an_impossible_dose_first(
    client, alice, library, sets, reps, message
):
    routine = make_routine(alice, slugs=())
    client.force_login(alice)
    data = {
        "ladder": str(Ladder.objects.get(slug="squat").pk),
        "mode": "fixed",
        "start_level": "",
        "fixed_sets": sets,
        "fixed_reps": reps,
        "rest_seconds": "90",
        "note": "",
    }
    response = client.post(reverse("coaching:item_create", args=[routine.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not routine.items.exists()
