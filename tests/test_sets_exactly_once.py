"""Exactly-once answers for the offline queue: sets, skips and finishes, replayed at will.

The queue posts the plain forms with ``Accept: application/json`` (README, "Set logging:
exactly once"): a set is answered "stored" only when a row with its client id exists in
this session, whether it was stored now or before; anything else is refused with a reason.
"""

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions.models import WorkoutExercise, WorkoutSession, WorkoutSet
from tests.app_days import check_in
from tests.test_sessions import NORMAL_DAY

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def log_url(workout):
    return reverse("workout_sessions:log_set", args=[workout.pk])


def skip_url(workout, position):
    return reverse("workout_sessions:skip_item", args=[workout.pk, position])


def finish_url(workout):
    return reverse("workout_sessions:finish", args=[workout.pk])


def next_set(client, workout, **changes):
    """The next set as the log page prefills it, with a fresh client id."""
    initial = client.get(reverse("workout_sessions:log", args=[workout.pk])).context["form"].initial
    data = {key: initial[key] for key in ("client_id", "position", "set_number", "reps", "rir")}
    data.update({"load": initial.get("load") or "", "pain": 0, **changes})
    return {key: str(value) for key, value in data.items()}


FINISH = {"session_rpe": "6", "duration_minutes": "25", "notes": ""}


@pytest.fixture
def workout(client, alice, library):
    client.force_login(alice)
    return check_in(client)


def test_it_answers_a_new_set_stored(client, workout):
    data = next_set(client, workout)
    response = client.post(log_url(workout), data, **JSON)
    assert response.status_code == 201
    logged = WorkoutSet.objects.get()
    assert response.json() == {
        "status": "stored",
        "client_id": data["client_id"],
        "position": int(data["position"]),
        "set_number": 1,
        "action": logged.action,
        "next_reps": logged.next_reps,
    }
    assert str(logged.client_id) == data["client_id"]


def test_it_stores_a_set_replayed_a_hundred_times_once(client, workout):
    data = next_set(client, workout)
    first = client.post(log_url(workout), data, **JSON).json()
    for _ in range(100):
        response = client.post(log_url(workout), data, **JSON)
        assert response.status_code == 200
        assert response.json() == {**first, "status": "already_stored"}
    assert WorkoutSet.objects.count() == 1


def test_it_answers_a_replay_after_the_finish_as_stored(client, workout):
    data = next_set(client, workout)
    assert client.post(log_url(workout), data, **JSON).status_code == 201
    assert client.post(finish_url(workout), FINISH).status_code == 302
    response = client.post(log_url(workout), data, **JSON)
    assert response.status_code == 200
    assert response.json()["status"] == "already_stored"
    # The plain form too: back to the session, without "nothing more can be logged".
    page = client.post(log_url(workout), data, follow=True)
    assert page.status_code == 200
    assert "finished" not in page.content.decode()
    assert WorkoutSet.objects.count() == 1


def test_it_refuses_a_new_set_after_the_finish(client, workout):
    data = next_set(client, workout)
    assert client.post(finish_url(workout), FINISH).status_code == 302
    response = client.post(log_url(workout), data, **JSON)
    assert response.status_code == 409
    body = response.json()
    assert (body["status"], body["reason"]) == ("refused", "session_finished")
    assert "finished" in body["message"]
    assert not WorkoutSet.objects.exists()


def test_it_refuses_a_different_set_for_a_number_already_taken(client, workout):
    data = next_set(client, workout)
    assert client.post(log_url(workout), data, **JSON).status_code == 201
    other = {**data, "client_id": str(uuid.uuid4()), "reps": str(int(data["reps"]) + 1)}
    response = client.post(log_url(workout), other, **JSON)
    assert response.status_code == 409
    assert response.json()["reason"] == "set_number_taken"
    assert list(WorkoutSet.objects.values_list("client_id", flat=True)) == [
        uuid.UUID(data["client_id"])
    ]


def test_it_refuses_a_set_for_an_exercise_already_skipped(client, workout):
    data = next_set(client, workout)
    assert client.post(skip_url(workout, data["position"]), **JSON).status_code == 201
    response = client.post(log_url(workout), data, **JSON)
    assert response.status_code == 409
    assert response.json()["reason"] == "plan_moved_on"
    assert not WorkoutSet.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"client_id": ""}, "client_id"),
        ({"client_id": "not-a-uuid"}, "client_id"),
        ({"position": "first"}, "position"),
        ({"set_number": "0"}, "set_number"),
        ({"set_number": "-1"}, "set_number"),
        ({"reps": "lots"}, "reps"),
        ({"rir": "-1"}, "rir"),
        ({"load": "1e9999"}, "load"),
        ({"load": "NaN"}, "load"),
        ({"pain": "11"}, "pain"),
    ],
)
def test_it_answers_a_malformed_set_with_its_field_errors(client, workout, changes, field):
    response = client.post(log_url(workout), next_set(client, workout, **changes), **JSON)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "invalid"
    assert field in body["errors"]
    assert not WorkoutSet.objects.exists()


def test_it_refuses_a_set_number_far_ahead(client, workout):
    far = next_set(client, workout, set_number="99999999999999999999")
    response = client.post(log_url(workout), far, **JSON)
    assert response.status_code == 409
    assert response.json()["reason"] == "plan_moved_on"
    assert not WorkoutSet.objects.exists()


def test_it_answers_an_empty_post_with_field_errors(client, workout):
    response = client.post(log_url(workout), {}, **JSON)
    assert response.status_code == 400
    assert {"client_id", "position", "set_number", "reps", "rir"} <= response.json()[
        "errors"
    ].keys()


def test_it_answers_404_for_another_athletes_session(client, workout, bob):
    data = next_set(client, workout)
    intruder = Client()
    intruder.force_login(bob)
    assert intruder.post(log_url(workout), data, **JSON).status_code == 404
    assert intruder.post(log_url(workout), {}, **JSON).status_code == 404
    # Not even the id of a set stored there is acknowledged to him.
    assert client.post(log_url(workout), data, **JSON).status_code == 201
    assert intruder.post(log_url(workout), data, **JSON).status_code == 404
    assert intruder.post(skip_url(workout, 1), **JSON).status_code == 404
    assert intruder.post(finish_url(workout), FINISH, **JSON).status_code == 404
    assert WorkoutSet.objects.count() == 1
    assert not WorkoutSession.objects.get(pk=workout.pk).is_finished


def test_it_never_acknowledges_another_athletes_set_id(client, workout, bob):
    data = next_set(client, workout)
    assert client.post(log_url(workout), data, **JSON).status_code == 201
    bobs_client = Client()
    bobs_client.force_login(bob)
    bobs_workout = check_in(bobs_client)
    reused = next_set(bobs_client, bobs_workout, client_id=data["client_id"])
    response = bobs_client.post(log_url(bobs_workout), reused, **JSON)
    assert response.status_code == 409
    assert response.json()["reason"] == "client_id_taken"
    assert not WorkoutSet.objects.filter(item__workout=bobs_workout).exists()


def test_it_gives_the_same_answer_for_an_id_from_my_own_other_session(client, workout, bob):
    data = next_set(client, workout)
    assert client.post(log_url(workout), data, **JSON).status_code == 201
    assert client.post(finish_url(workout), FINISH).status_code == 302
    later = check_in(client)
    reused = next_set(client, later, client_id=data["client_id"])
    response = client.post(log_url(later), reused, **JSON)
    assert response.status_code == 409
    assert response.json()["reason"] == "client_id_taken"
    assert not WorkoutSet.objects.filter(item__workout=later).exists()


def test_it_keeps_the_plain_form_redirecting(client, workout):
    data = next_set(client, workout)
    response = client.post(log_url(workout), data)
    assert response.status_code == 302
    assert response.url == reverse("workout_sessions:log", args=[workout.pk])
    assert client.post(log_url(workout), data).url == response.url  # a replay: the same


def test_it_enforces_csrf_on_json_posts(alice, library):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    workout = check_in_with_csrf(browser)
    data = next_set(browser, workout)
    assert browser.post(log_url(workout), data, **JSON).status_code == 403
    token = browser.cookies["csrftoken"].value
    response = browser.post(log_url(workout), data, HTTP_X_CSRFTOKEN=token, **JSON)
    assert response.status_code == 201
    assert WorkoutSet.objects.count() == 1


def check_in_with_csrf(browser):
    """A check-in through a client that enforces CSRF: the token from the page's cookie."""
    browser.get(reverse("today"))
    token = browser.cookies["csrftoken"].value
    data = {"client_id": str(uuid.uuid4()), "csrfmiddlewaretoken": token, **NORMAL_DAY}
    assert browser.post(reverse("today"), data).status_code == 302
    return WorkoutSession.objects.get(finished=None)


def test_it_skips_once_however_often_the_skip_is_replayed(client, workout):
    item = workout.items.filter(status=WorkoutExercise.Status.PENDING).first()
    first = client.post(skip_url(workout, item.position), **JSON)
    assert first.status_code == 201
    assert first.json() == {"status": "stored", "position": item.position}
    for _ in range(5):
        again = client.post(skip_url(workout, item.position), **JSON)
        assert again.status_code == 200
        assert again.json() == {"status": "already_stored", "position": item.position}
    item.refresh_from_db()
    assert item.status == WorkoutExercise.Status.SKIPPED
    # The next exercise is untouched: a replay never skips a second one.
    assert workout.items.filter(status=WorkoutExercise.Status.SKIPPED).count() == (
        workout.items.filter(action="skip").count() + 1
    )
    assert client.post(skip_url(workout, item.position)).status_code == 302  # plain form


def test_it_answers_a_skip_replayed_after_the_finish_as_stored(client, workout):
    item = workout.items.filter(status=WorkoutExercise.Status.PENDING).first()
    assert client.post(skip_url(workout, item.position), **JSON).status_code == 201
    assert client.post(finish_url(workout), FINISH, **JSON).status_code == 201
    response = client.post(skip_url(workout, item.position), **JSON)
    assert response.status_code == 200
    assert response.json()["status"] == "already_stored"


def test_it_answers_404_for_a_skip_of_no_such_exercise(client, workout):
    assert client.post(skip_url(workout, 99), **JSON).status_code == 404


def test_it_finishes_once_however_often_the_finish_is_replayed(client, workout):
    page = client.get(finish_url(workout))
    client_id = str(page.context["form"].initial["client_id"])
    assert f'name="client_id" value="{client_id}"' in page.content.decode()
    finish = {**FINISH, "client_id": client_id}
    first = client.post(finish_url(workout), finish, **JSON)
    assert first.status_code == 201
    assert first.json() == {"status": "stored"}
    workout.refresh_from_db()
    finished = workout.finished
    for _ in range(5):
        again = client.post(finish_url(workout), finish, **JSON)
        assert again.status_code == 200
        assert again.json() == {"status": "already_stored"}
    workout.refresh_from_db()
    assert (workout.finished, workout.session_rpe) == (finished, 6)
    assert client.post(finish_url(workout), finish).status_code == 302  # plain form


def test_it_refuses_another_finish_after_the_first(client, workout):
    first = {**FINISH, "client_id": str(uuid.uuid4())}
    assert client.post(finish_url(workout), first, **JSON).status_code == 201
    other = {**FINISH, "session_rpe": "9", "client_id": str(uuid.uuid4())}
    response = client.post(finish_url(workout), other, **JSON)
    assert response.status_code == 409
    assert response.json()["reason"] == "session_finished"
    workout.refresh_from_db()
    assert workout.session_rpe == 6


def test_it_answers_a_finish_without_an_id_by_the_state_it_leaves(client, workout):
    assert client.post(finish_url(workout), FINISH, **JSON).status_code == 201
    again = client.post(finish_url(workout), {**FINISH, "session_rpe": "9"}, **JSON)
    assert again.status_code == 200
    assert again.json() == {"status": "already_stored"}
    workout.refresh_from_db()
    assert workout.session_rpe == 6


def test_it_answers_a_malformed_finish_with_its_field_errors(client, workout):
    bad = {"session_rpe": "12", "client_id": "not-a-uuid"}
    response = client.post(finish_url(workout), bad, **JSON)
    assert response.status_code == 400
    assert response.json()["errors"].keys() == {"session_rpe", "duration_minutes", "client_id"}
    workout.refresh_from_db()
    assert not workout.is_finished


def test_it_refuses_a_finish_after_the_session_was_closed(client, workout):
    assert client.post(reverse("workout_sessions:close", args=[workout.pk])).status_code == 302
    finish = {**FINISH, "client_id": str(uuid.uuid4())}
    response = client.post(finish_url(workout), finish, **JSON)
    assert response.status_code == 409
    assert response.json()["reason"] == "session_finished"
    workout.refresh_from_db()
    assert workout.session_rpe is None


def test_it_answers_the_queue_with_no_more_queries_than_the_form(client, workout, bob):
    queue = Client()
    queue.force_login(bob)
    bobs_workout = check_in(queue)  # a new athlete too: the same plan as Alice's
    counts = []
    for who, session, headers, status in (
        (client, workout, {}, 302),
        (queue, bobs_workout, JSON, 201),
    ):
        data = next_set(who, session)
        with CaptureQueriesContext(connection) as captured:
            assert who.post(log_url(session), data, **headers).status_code == status
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
