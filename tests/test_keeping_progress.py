"""Keeping progress (spec v1.1 §9): the stored level and load per ladder change only
through progression_decision, judged against the stored level. Each test trains through
the app's pages and reads the stored LadderProgress afterwards."""

from decimal import Decimal

import pytest

from exercises.models import Ladder
from sessions.models import LadderProgress
from tests.app_days import Clock, train_a_day
from tests.coaching import assign, make_routine

pytestmark = pytest.mark.django_db

DUMBBELLS = [4, 6, 8, 10]


@pytest.fixture
def dumbbell_athlete(alice, library):
    alice.dumbbells_kg = DUMBBELLS
    alice.save()
    return alice


def stored(athlete, slug):
    progress = LadderProgress.objects.get(athlete=athlete, ladder__slug=slug)
    return progress.level, progress.load_kg


def earned(athlete, slug, level, load_kg=None):
    """Where the athlete stands after earlier training (a goblet squat is squat level 3)."""
    LadderProgress.objects.update_or_create(
        athlete=athlete,
        ladder=Ladder.objects.get(slug=slug),
        defaults={"level": level, "load_kg": load_kg},
    )


def item(workout, slug):
    return workout.items.get(ladder__slug=slug)


def test_a_mild_pain_day_at_a_lower_level_keeps_the_stored_level_and_dumbbell(
    client, dumbbell_athlete
):
    earned(dumbbell_athlete, "squat", 3, Decimal("8"))
    client.force_login(dumbbell_athlete)
    workout, logged = train_a_day(client, pain_knee="2")
    squat = item(workout, "squat")
    assert (squat.reason, squat.prescribed_level) == ("PAIN_MILD", 2)  # one level easier today
    assert logged["squat"]
    assert stored(dumbbell_athlete, "squat") == (3, Decimal("8"))
    assert squat.decision == "hold"


def test_a_return_after_two_weeks_keeps_the_stored_level_and_dumbbell(client, dumbbell_athlete):
    client.force_login(dumbbell_athlete)
    with Clock() as clock:
        train_a_day(client)
        earned(dumbbell_athlete, "squat", 3, Decimal("6"))
        clock.advance(days=15)
        workout, _logged = train_a_day(client)
    squat = item(workout, "squat")
    assert (squat.reason, squat.prescribed_level) == ("REENTRY", 2)
    assert stored(dumbbell_athlete, "squat") == (3, Decimal("6"))


def test_a_coachs_start_level_does_not_become_the_athletes_level(client, dumbbell_athlete):
    earned(dumbbell_athlete, "squat", 3, Decimal("8"))
    routine = make_routine(dumbbell_athlete, slugs=("squat", "hip-thrust"))
    routine.items.filter(ladder__slug="squat").update(start_level=1)
    routine.items.filter(ladder__slug="hip-thrust").update(start_level=4)
    client.force_login(dumbbell_athlete)
    assignment = assign(routine, dumbbell_athlete, dumbbell_athlete.local_today())
    workout, _logged = train_a_day(client, assignment=str(assignment.pk))
    assert item(workout, "squat").prescribed_level == 1
    assert item(workout, "hip-thrust").prescribed_level == 4
    assert stored(dumbbell_athlete, "squat") == (3, Decimal("8"))
    # Never trained on it before: the ladder's own start level is stored, not the coach's 4.
    assert stored(dumbbell_athlete, "hip-thrust") == (1, None)


def test_two_sessions_at_the_top_of_the_range_move_to_the_next_dumbbell_i_own(
    client, dumbbell_athlete
):
    earned(dumbbell_athlete, "squat", 3, Decimal("6"))
    client.force_login(dumbbell_athlete)
    top = {"squat": {"reps": "12"}}  # goblet squat, 6–12 reps, at the planned effort
    with Clock() as clock:
        first, logged = train_a_day(client, changes=top)
        assert {reps for reps, _rir in logged["squat"]} == {12}
        assert item(first, "squat").load_kg == Decimal("6")  # the stored dumbbell, prefilled
        assert stored(dumbbell_athlete, "squat") == (3, Decimal("6"))
        clock.advance(days=3)
        second, _logged = train_a_day(client, changes=top)
    assert item(second, "squat").decision == "add_load"
    assert stored(dumbbell_athlete, "squat") == (3, Decimal("8"))
