"""The athlete's session page is cached per version of the session: it never shows stale data."""

import re
import uuid

import pytest
from django.urls import reverse

from coaching.models import Comment
from exercises.models import Exercise
from sessions.models import WorkoutExercise, WorkoutSession, WorkoutSet
from tests.test_sessions import NORMAL_DAY, log_url, open_workout, prescribed_set

pytestmark = pytest.mark.django_db


def page(client, workout):
    response = client.get(workout.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_it_serves_a_repeat_view_with_one_query(client, alice, library, django_assert_num_queries):
    client.force_login(alice)
    workout = open_workout(client)
    first = page(client, workout)
    with django_assert_num_queries(1):  # the session's version (the user comes from the cache)
        again = page(client, workout)
    token = 'name="csrfmiddlewaretoken"'
    assert again.split(token)[0] == first.split(token)[0]


def test_it_shows_a_logged_set_at_once(client, alice, library):
    client.force_login(alice)
    workout = open_workout(client)
    assert "Continue logging" not in page(client, workout)
    assert client.post(log_url(workout), prescribed_set(client, workout)).status_code == 302
    assert "Continue logging" in page(client, workout)


def test_it_shows_a_skipped_exercise_at_once(client, alice, library):
    client.force_login(alice)
    workout = open_workout(client)
    page(client, workout)
    for item in workout.items.filter(action="do"):
        client.post(reverse("workout_sessions:skip_item", args=[workout.pk, item.position]))
    html = page(client, workout)
    assert "Skipped" in html and "Finish the session" in html and ">Start<" not in html


def test_it_shows_the_finished_session_at_once(client, alice, library):
    client.force_login(alice)
    workout = open_workout(client)
    client.post(log_url(workout), prescribed_set(client, workout))
    assert "Today's plan" in page(client, workout)
    finish = reverse("workout_sessions:finish", args=[workout.pk])
    client.post(finish, {"session_rpe": "6", "duration_minutes": "25", "notes": "Felt good"})
    html = page(client, workout)
    assert "Session of" in html and "Felt good" in html and "Next time:" in html


def test_it_shows_a_new_comment_as_new_once(client, alice, carol, library):
    client.force_login(alice)
    workout = open_workout(client)
    page(client, workout)
    Comment.objects.create(workout=workout, author=carol, body="Nice work", client_id=uuid.uuid4())
    html = page(client, workout)
    assert "Nice work" in html and ">new</span>" in html
    html = page(client, workout)
    assert "Nice work" in html and ">new</span>" not in html


def test_it_shows_a_renamed_exercise_at_once(client, alice, library):
    client.force_login(alice)
    workout = open_workout(client)
    page(client, workout)
    exercise = Exercise.objects.get(pk=workout.items.filter(action="do").first().exercise_id)
    exercise.name = "Renamed by staff"
    exercise.save()
    assert "Renamed by staff" in page(client, workout)


def test_it_shows_loads_in_the_units_just_chosen(client, alice, library):
    client.force_login(alice)
    workout = open_workout(client)
    WorkoutExercise.objects.filter(workout=workout, action="do").update(load_kg=10)
    assert "10 kg" in page(client, workout)
    alice.units = "lb"
    alice.save()
    assert "22 lb" in page(client, workout)


def test_it_masks_the_csrf_token_afresh_and_gives_each_view_its_own_comment_id(
    client, alice, library
):
    client.force_login(alice)
    workout = open_workout(client)
    views = [page(client, workout) for _ in range(2)]
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', v)[1] for v in views]
    ids = [re.search(r'name="client_id" value="([^"]+)"', v)[1] for v in views]
    assert tokens[0] != tokens[1] and ids[0] != ids[1]
    for n, (token, client_id) in enumerate(zip(tokens, ids, strict=True)):
        url = reverse("coaching:comment_create", args=[workout.pk])
        client.post(url, {"csrfmiddlewaretoken": token, "client_id": client_id, "body": f"c{n}"})
    assert Comment.objects.filter(workout=workout).count() == 2  # neither was taken for a replay
    # No placeholder of the cached body reaches the browser: every token on the page (the
    # body's forms and the menu's logout form) is a masked CSRF token, every id a UUID.
    for view in views:
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', view)
        assert len(tokens) >= 2
        for token in tokens:
            assert re.fullmatch(r"[A-Za-z0-9]{64}", token), token
        for client_id in re.findall(r'name="client_id" value="([^"]*)"', view):
            assert str(uuid.UUID(client_id)) == client_id


def test_it_accepts_the_cached_pages_csrf_token(alice, library):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    # With CSRF checks on, the check-in needs a token too: take it from its page.
    checkin = client.get(reverse("today")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', checkin)[1]
    client.post(
        reverse("today"),
        {"csrfmiddlewaretoken": token, "client_id": str(uuid.uuid4()), **NORMAL_DAY},
    )
    workout = WorkoutSession.objects.get(athlete=alice)
    page(client, workout)  # fills the cache
    html = page(client, workout)  # served from it
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    close = reverse("workout_sessions:close", args=[workout.pk])
    assert client.post(close, {"csrfmiddlewaretoken": token}).status_code == 302
    assert WorkoutSession.objects.get(pk=workout.pk).is_finished


def test_it_keeps_another_athletes_cached_page_from_me(client, alice, bob, library):
    client.force_login(alice)
    workout = open_workout(client)
    page(client, workout)
    client.force_login(bob)
    assert client.get(workout.get_absolute_url()).status_code == 404


def test_it_puts_a_refused_comment_back_even_when_the_page_was_cached(client, alice, library):
    client.force_login(alice)
    workout = open_workout(client)
    page(client, workout)
    client.post(
        reverse("coaching:comment_create", args=[workout.pk]),
        {"client_id": str(uuid.uuid4()), "body": "x" * 2001},
    )
    html = page(client, workout)
    assert "x" * 2001 in html and "Keep it under 2000 characters" in html
    assert "x" * 2001 not in page(client, workout)  # given back once, then the page is clean
    assert WorkoutSet.objects.count() == 0
