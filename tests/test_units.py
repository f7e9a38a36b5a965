"""Every load a page shows is in the reader's units: Alice or her coach Carol may pick pounds.

Loads are stored in kilograms; 10 kg reads "22 lb" to someone who chose pounds.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.templatetags.units import weight
from sessions.models import LadderProgress, WorkoutSet
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
    assert "Done: 10@22 lb (RIR 2), 10@22 lb (RIR 2)" in html
    assert "10@10" not in html


def test_a_kilogram_user_reads_their_logged_sets_in_kilograms(client, alice, library):
    workout = trained_with_10_kg(alice)
    client.force_login(alice)
    html = get(client, workout.get_absolute_url())
    assert "Done: 10@10 kg (RIR 2), 10@10 kg (RIR 2)" in html


def test_a_pound_user_reads_their_progress_in_pounds(client, alice, library):
    choose_units(alice, "lb")
    trained_with_10_kg(alice)
    client.force_login(alice)
    html = get(client, reverse("workout_sessions:list"))
    assert "level 1, " in html
    assert " · 22 lb" in html  # where the ladder stands
    assert ": L1 22 lb" in html  # the heaviest set of the session
    assert " kg" not in html


def test_a_pound_coach_reads_a_kilogram_athletes_sets_in_pounds(client, alice, carol, library):
    choose_units(carol, "lb")
    workout = trained_with_10_kg(alice)
    client.force_login(carol)
    html = get(client, reverse("coaching:athlete_workout", args=[alice.pk, workout.pk]))
    assert "Done: 10@22 lb (RIR 2), 10@22 lb (RIR 2)" in html
    html = get(client, reverse("coaching:athlete_detail", args=[alice.pk]))
    assert " · 22 lb" in html and ": L1 22 lb" in html
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
