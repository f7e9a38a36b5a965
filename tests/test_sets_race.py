"""Two different sets for the same set number, posted at the same moment (two tabs, or a
phone and a laptop): one is stored, the other is told it was not.

Each request runs in a thread of its own, so each has its own database connection and
transaction. A pause between the count of logged sets and the insert (where the view hands
over to ``log_set``) makes the race happen every time: both requests have begun before
either commits.
"""

import threading
import time
import uuid
from unittest import mock

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from sessions import views
from sessions.models import WorkoutSet
from tests.app_days import check_in

JSON = {"HTTP_ACCEPT": "application/json"}
PAUSE = 0.5  # seconds between counting and inserting: far longer than a request takes

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason=(
            "the tests' SQLite database is in memory, shared between threads through one "
            'cache that fails a second writer at once ("table is locked") instead of '
            "queueing it, so it cannot run two writers; PostgreSQL (CI) runs this test"
        ),
    ),
]


def race(alice, headers, follow=False):
    """Post two different first sets of the same exercise at once, from two tabs; returns
    (the workout, the two answers, the client ids the view went on to write)."""
    tabs = [Client(), Client()]
    for tab in tabs:
        tab.force_login(alice)
    workout = check_in(tabs[0])
    page = tabs[0].get(reverse("workout_sessions:log", args=[workout.pk]))
    initial = page.context["form"].initial
    assert page.context["item"].sets_planned >= 2  # the first set does not end the exercise
    url = reverse("workout_sessions:log_set", args=[workout.pk])
    posts = [
        {
            "client_id": str(uuid.uuid4()),
            "position": str(initial["position"]),
            "set_number": "1",
            "reps": str(initial["reps"] + n),  # two different sets
            "rir": str(initial["rir"]),
            "load": initial.get("load") or "",
            "pain": "0",
        }
        for n in range(2)
    ]
    start = threading.Barrier(2)
    answers = [None, None]

    def post(n):
        try:
            start.wait(timeout=10)
            answers[n] = tabs[n].post(url, posts[n], follow=follow, **headers)
        finally:
            connections.close_all()  # this thread's connection

    real_log_set = views.log_set
    writes = []

    def slow_log_set(*args, **kwargs):
        writes.append(kwargs["client_id"])
        time.sleep(PAUSE)
        return real_log_set(*args, **kwargs)

    with mock.patch.object(views, "log_set", slow_log_set):
        threads = [threading.Thread(target=post, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert all(answer is not None for answer in answers)
    return workout, answers, writes


def test_it_stores_one_of_two_sets_racing_for_the_same_number(alice, library):
    workout, answers, writes = race(alice, JSON)
    assert sorted(answer.status_code for answer in answers) == [201, 409]
    stored = next(answer for answer in answers if answer.status_code == 201).json()
    told = next(answer for answer in answers if answer.status_code == 409).json()
    assert told["reason"] == "set_number_taken"
    rows = list(WorkoutSet.objects.filter(item__workout=workout))
    assert [(str(row.client_id), row.set_number) for row in rows] == [(stored["client_id"], 1)]
    # The second request counted the sets after the first had committed (the lock comes
    # before the count), so it never went on to write a set under a taken number.
    assert len(writes) == 1


def test_it_tells_the_plain_form_that_lost_the_race(alice, library):
    workout, answers, _writes = race(alice, {}, follow=True)
    assert [answer.status_code for answer in answers] == [200, 200]
    told = ["already logged with another set" in answer.content.decode() for answer in answers]
    assert sorted(told) == [False, True]
    assert WorkoutSet.objects.filter(item__workout=workout).count() == 1
