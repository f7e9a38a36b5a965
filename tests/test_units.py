"""Every load a page shows is in the reader's units: Alice or her coach Carol may pick pounds.

Loads are stored in kilograms; 10 kg reads "22 lb" to someone who chose pounds.
"""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.templatetags.units import weight
from exercises.models import Ladder
from sessions.models import LadderProgress, WorkoutExercise, WorkoutSet
from sessions.planning import finish_workout
from sessions.volume import FAST_TRACK_EXTRA_REPS
from tests.coaching import make_workout
from tests.test_sessions import log_url, open_workout, prescribed_set

pytestmark = pytest.mark.django_db


def choose_units(user, units):
    user.units = units
    user.save(update_fields=["units"])


def trained_with_10_kg(athlete):
    """A finished session of two sets of 10 reps at 10 kg; the ladder now holds 10 kg."""
    workout = make_workout(athlete, sets=2)
    WorkoutSet.objects.filter(item__workout=workout).update(load_kg=Decimal("10.0"))
    item = workout.items.get()
    item.decision = "hold"
    item.save(update_fields=["decision"])
    LadderProgress.objects.create(
        athlete=athlete, ladder=item.ladder, level=1, load_kg=Decimal("10.0")
    )
    return workout


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_it_writes_a_load_with_its_unit():
    assert weight(Decimal("10.0"), "lb") == "22 lb"
    assert weight(Decimal("12.5"), "kg") == "12.5 kg"
    assert weight(None, "lb") == ""


def test_a_pound_user_reads_their_logged_sets_in_pounds(client, alice, library):
    choose_units(alice, "lb")
    workout = trained_with_10_kg(alice)
    client.force_login(alice)
    html = get(client, workout.get_absolute_url())
    assert "Done: 10 reps with 22 lb, could do 2 more; 10 reps with 22 lb, could do 2 more" in html
    assert "10 kg" not in html


def test_a_kilogram_user_reads_their_logged_sets_in_kilograms(client, alice, library):
    workout = trained_with_10_kg(alice)
    client.force_login(alice)
    html = get(client, workout.get_absolute_url())
    assert "Done: 10 reps with 10 kg, could do 2 more; 10 reps with 10 kg, could do 2 more" in html


def test_a_pound_user_reads_their_progress_in_pounds(client, alice, library):
    choose_units(alice, "lb")
    trained_with_10_kg(alice)
    client.force_login(alice)
    html = get(client, reverse("workout_sessions:list"))
    assert "level 1 of 5, " in html
    assert " · 22 lb" in html  # where the ladder stands
    assert ": level 1 22 lb" in html  # the heaviest set of the session
    assert " kg" not in html


def test_a_pound_coach_reads_a_kilogram_athletes_sets_in_pounds(client, alice, carol, library):
    choose_units(carol, "lb")
    workout = trained_with_10_kg(alice)
    client.force_login(carol)
    html = get(client, reverse("coaching:athlete_workout", args=[alice.pk, workout.pk]))
    assert "Done: 10@22 lb (RIR 2), 10@22 lb (RIR 2)" in html
    html = get(client, reverse("coaching:athlete_detail", args=[alice.pk]))
    assert " · 22 lb" in html and ": level 1 22 lb" in html
    assert " kg" not in html


def test_a_kilogram_coach_reads_a_pound_athletes_sets_in_kilograms(client, alice, carol, library):
    choose_units(alice, "lb")
    workout = trained_with_10_kg(alice)
    client.force_login(carol)
    html = get(client, reverse("coaching:athlete_workout", args=[alice.pk, workout.pk]))
    assert "Done: 10@10 kg (RIR 2), 10@10 kg (RIR 2)" in html


def test_it_states_the_load_limit_in_pounds_to_a_pound_user(client, alice, library):
    choose_units(alice, "lb")
    client.force_login(alice)
    workout = open_workout(client)
    response = client.post(log_url(workout), prescribed_set(client, workout, load="700"))
    assert response.status_code == 400
    assert "That is more than 661.4 lb — check the number." in response.content.decode()
    assert not WorkoutSet.objects.exists()


# --- Loads typed in pounds keep their value (10 g precision) -----------------------------


def test_a_pound_user_reads_back_the_load_they_typed(client, alice, library):
    choose_units(alice, "lb")
    client.force_login(alice)
    workout = open_workout(client)
    client.post(log_url(workout), prescribed_set(client, workout, load="25"))
    assert WorkoutSet.objects.get().load_kg == Decimal("11.34")
    finish = reverse("workout_sessions:finish", args=[workout.pk])
    client.post(finish, {"session_rpe": "5", "duration_minutes": "20", "notes": ""})
    assert "reps with 25 lb, could do" in get(client, workout.get_absolute_url())


def test_a_plan_at_a_25_lb_dumbbell_reads_25_lb(client, alice, library):
    choose_units(alice, "lb")
    client.force_login(alice)
    workout = open_workout(client)
    WorkoutExercise.objects.filter(workout=workout, action="do").update(load_kg=Decimal("11.34"))
    html = get(client, workout.get_absolute_url())
    assert " · 25 lb</p>" in html
    assert "24.9" not in html


def test_a_pound_user_moves_on_to_their_next_dumbbell(alice, library):
    """25 lb is 11.34 kg: kept at 11.3 kg, the same dumbbell looked heavier every time."""
    choose_units(alice, "lb")
    alice.dumbbells_kg = [11.34, 15.88]  # 25 and 35 lb, as the profile stores them
    alice.save(update_fields=["dumbbells_kg"])
    ladder = Ladder.objects.get(slug="calf-raise")
    exercise = ladder.exercises.filter(loadable=True).first()
    LadderProgress.objects.create(
        athlete=alice, ladder=ladder, level=exercise.level, load_kg=Decimal("11.34")
    )
    workout = make_workout(alice, finished=False, sets=0)
    item = WorkoutExercise.objects.create(
        workout=workout,
        position=2,
        ladder=ladder,
        exercise=exercise,
        prescribed_level=exercise.level,
        action="do",
        tier="NORMAL",
        sets_planned=2,
        rep_min=ladder.rep_min,
        rep_max=ladder.rep_max,
        target_rir=2,
        reason="BASE_NORMAL",
        load_kg=Decimal("11.34"),
    )
    for n in (1, 2):  # far more reps than asked: the fast track to the next dumbbell
        WorkoutSet.objects.create(
            item=item,
            exercise=exercise,
            set_number=n,
            reps=ladder.rep_max + FAST_TRACK_EXTRA_REPS,
            rir=2,
            load_kg=Decimal("11.34"),
            action="continue",
            client_id=uuid.uuid4(),
        )
    finish_workout(workout, session_rpe=5, duration_minutes=20, notes="")
    item.refresh_from_db()
    assert item.decision == "add_load"
    assert LadderProgress.objects.get(athlete=alice, ladder=ladder).load_kg == Decimal("15.88")
