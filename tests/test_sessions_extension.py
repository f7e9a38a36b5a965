"""sessions works alone: with nothing registered in sessions.extension (no coaching), the
athlete checks in, trains the default routine and reads the session and the history."""

import pytest
from django.urls import reverse

from coaching.extension import CoachingExtension
from coaching.models import Routine
from sessions import extension
from sessions.default_routine import KEYS
from sessions.extension import SessionsExtension
from tests.test_sessions import open_workout

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions_alone():
    registered = extension.active()
    extension.register(SessionsExtension())
    yield
    extension.register(registered)


def start(client):
    return open_workout(client)


def test_coaching_registers_its_extension():
    assert isinstance(extension.active(), CoachingExtension)


def test_it_plans_the_default_routine_without_coaching(client, alice, library, sessions_alone):
    client.force_login(alice)
    workout = start(client)
    assert workout.routine_name == "Runner's home routine"
    slugs = list(workout.items.order_by("position").values_list("ladder__slug", flat=True))
    assert slugs == list(KEYS) == ["calf-raise", "squat", "hip-thrust", "step-up", "core"]
    assert workout.plan["rest_seconds"] == {
        "calf-raise": 90,
        "squat": 90,
        "hip-thrust": 90,
        "step-up": 90,
        "core": 60,
    }
    assert not Routine.objects.exists()  # coaching's template is not needed to train


def test_it_shows_the_session_without_a_thread_when_coaching_is_absent(
    client, alice, library, sessions_alone
):
    client.force_login(alice)
    workout = start(client)
    page = client.get(workout.get_absolute_url())
    assert page.status_code == 200
    assert 'id="comments"' not in page.content.decode()
    assert client.get(reverse("workout_sessions:list")).status_code == 200


def test_it_shows_coachings_thread_on_the_session_page(client, alice, library):
    client.force_login(alice)
    workout = start(client)
    assert 'id="comments"' in client.get(workout.get_absolute_url()).content.decode()
