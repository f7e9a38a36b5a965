"""Holds in seconds: a plank is prescribed, logged and shown in seconds everywhere.

A ladder whose unit is seconds (``Ladder.RepUnit.SECONDS``) is a hold. Here the shipped core
ladder is made one (20–40 seconds), and a session runs through the app's own views: the
plan, the logger, the finished session, the coach's copy, and the exports.
"""

import csv
import io
import json
import re
from html import unescape

import pytest
from django.urls import reverse

from coaching.views.calendar import describe_item
from exercises.models import Ladder
from tests.coaching import make_routine
from tests.test_sessions import open_workout

pytestmark = pytest.mark.django_db


@pytest.fixture
def plank(library):
    Ladder.objects.filter(slug="core").update(rep_unit="seconds", rep_min=20, rep_max=40)
    return Ladder.objects.get(slug="core")


def text(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def card(html: str, name: str) -> str:
    """The plan's card for one exercise, from its name to the end of its list item."""
    start = html.index(name)
    return html[start : html.index("</li>", start)]


def logger_at_the_plank(client, workout):
    """The logger, after skipping whatever comes before the plank."""
    log_url = reverse("workout_sessions:log", args=[workout.pk])
    page = client.get(log_url)
    while page.context["item"].ladder.slug != "core":
        skip = ("workout_sessions:skip_item", [workout.pk, page.context["item"].position])
        client.post(reverse(skip[0], args=skip[1]))
        page = client.get(log_url)
    return page


def log_prefilled_set(client, workout, page):
    initial = page.context["form"].initial
    data = {key: initial[key] for key in ("client_id", "position", "set_number", "reps", "rir")}
    response = client.post(
        reverse("workout_sessions:log_set", args=[workout.pk]), {**data, "load": "", "pain": "0"}
    )
    assert response.status_code == 302
    return data["reps"]


@pytest.fixture
def held(client, alice, plank):
    """Alice's session with one 30-second plank logged, then finished."""
    client.force_login(alice)
    workout = open_workout(client)
    page = logger_at_the_plank(client, workout)
    assert log_prefilled_set(client, workout, page) == 27
    finish = reverse("workout_sessions:finish", args=[workout.pk])
    client.post(finish, {"session_rpe": "5", "duration_minutes": "20", "notes": ""})
    workout.refresh_from_db()
    assert workout.is_finished
    return workout


def test_it_prescribes_a_plank_in_seconds(client, alice, plank):
    client.force_login(alice)
    workout = open_workout(client)
    core = workout.items.get(ladder=plank)
    plan = card(text(client.get(workout.get_absolute_url())), core.exercise.name)
    assert re.search(r"sets? of 20–40 seconds", plan)
    assert "reps" not in plan


def test_it_logs_a_plank_in_seconds(client, alice, plank):
    client.force_login(alice)
    workout = open_workout(client)
    page = logger_at_the_plank(client, workout)
    assert (
        page.context["form"].initial["reps"] == 27
    )  # a first time: a third of the way up 20–40 seconds (spec §7.5)
    html = text(page)
    assert 'fw-semibold" for="id_reps">Seconds</label>' in html
    assert "20–40 seconds" in html
    log_prefilled_set(client, workout, page)
    html = text(client.get(reverse("workout_sessions:log", args=[workout.pk])))
    assert "aim for 27 seconds on the next set" in html
    assert "reps" not in html.lower().replace("id_reps", "").replace('name="reps"', "")


def test_it_names_seconds_in_the_loggers_errors(client, alice, plank):
    client.force_login(alice)
    workout = open_workout(client)
    page = logger_at_the_plank(client, workout)
    initial = page.context["form"].initial
    data = {key: initial[key] for key in ("client_id", "position", "set_number", "rir")}
    response = client.post(
        reverse("workout_sessions:log_set", args=[workout.pk]),
        {**data, "reps": "0", "load": "", "pain": "0"},
    )
    assert response.status_code == 400
    assert "<li>Seconds: " in unescape(response.content.decode())


def test_it_shows_a_finished_plank_in_seconds(client, held, plank):
    core = held.items.get(ladder=plank)
    done = card(text(client.get(held.get_absolute_url())), core.exercise.name)
    assert "Done: 27 seconds, could do 3 more" in done
    assert "reps" not in done


def test_it_shows_the_coach_a_plank_in_seconds(client, held, carol, alice, plank):
    client.force_login(carol)
    url = reverse("coaching:athlete_workout", args=[alice.pk, held.pk])
    core = held.items.get(ladder=plank)
    shown = card(text(client.get(url)), core.exercise.name)
    assert re.search(r"Prescribed \d sets? of 20–40 seconds", shown)
    assert "Done: 27 s (RIR" in shown


def test_it_exports_a_plank_in_seconds(client, held, plank):
    data = json.loads(client.get(reverse("accounts:data_export")).getvalue())
    (workout,) = data["workouts"]
    core = next(e for e in workout["exercises"] if e["ladder_id"] == plank.pk)
    assert core["rep_unit"] == "seconds"
    assert (core["seconds_min"], core["seconds_max"]) == (20, 40)
    assert "rep_min" not in core and "rep_max" not in core
    (logged,) = core["sets"]
    assert logged["seconds"] == 27 and "reps" not in logged
    squat = next(e for e in workout["exercises"] if e["exercise_slug"].startswith("squat"))
    assert squat["rep_unit"] == "reps" and "rep_min" in squat


def test_it_puts_a_planks_seconds_in_their_own_csv_column(client, held, plank):
    response = client.get(reverse("accounts:sets_export"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    header, (logged,) = rows[0], rows[1:]
    assert logged[header.index("exercise")].startswith("core-")
    assert logged[header.index("seconds")] == "27"
    assert logged[header.index("reps")] == ""


def test_it_exports_and_describes_a_coachs_fixed_hold_in_seconds(client, carol, plank):
    routine = make_routine(carol, slugs=("core",), fixed={"core": (3, 30)})
    client.force_login(carol)
    data = json.loads(client.get(reverse("accounts:data_export")).getvalue())
    (item,) = data["routines"][0]["items"]
    assert item["fixed_seconds"] == 30 and "fixed_reps" not in item
    assert describe_item(routine.items.select_related("ladder").get()).startswith("3 × 30 s")
