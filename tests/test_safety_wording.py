"""Safety wording on the plan page (spec §10): what urgent symptoms and red-flag pain say.

Driven through the views: a check-in POST with those answers, then the plan page.
"""

import re
import uuid
from html import unescape

import pytest
from django.urls import reverse

from sessions.models import WorkoutSession

pytestmark = pytest.mark.django_db

NORMAL_DAY = {
    "soreness": "5",
    "fatigue": "5",
    "sleep": "5",
    "stress": "5",
    "last_hard_run": "gt3",
    "run_kind": "hard",
    "key_run_soon": "no",
    "minutes_available": "",
}


def plan_page(client, **answers) -> str:
    data = {"client_id": str(uuid.uuid4()), **NORMAL_DAY, **answers}
    response = client.post(reverse("today"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    workout = WorkoutSession.objects.latest("started")
    page = client.get(workout.get_absolute_url())
    assert page.status_code == 200
    return unescape(page.content.decode())


def headline(html: str) -> str:
    return re.search(r'id="headline">(.*?)</p>', html, re.S).group(1)


def test_it_tells_urgent_symptoms_to_get_emergency_help_now(client, alice, library):
    client.force_login(alice)
    html = plan_page(client, urgent="on")
    assert "get emergency help now" in html
    assert "call your local emergency number" in html
    assert html.index("get emergency help now") < html.index("<h1")


def test_it_shows_nothing_to_start_on_urgent_symptoms(client, alice, library):
    client.force_login(alice)
    html = plan_page(client, urgent="on")
    assert reverse("workout_sessions:log", args=[WorkoutSession.objects.get().pk]) not in html
    assert "Squat" not in html  # no exercise cards, skipped or not
    assert "Readiness" not in html
    assert "OK, rest today" in html


def test_it_leads_a_red_flag_plan_with_the_advisory(client, alice, library):
    client.force_login(alice)
    html = plan_page(client, pain_knee="3", red_flags=["swelling"])
    first_alert = html.index('role="alert"')
    assert html.index("get it assessed") < html.index("<h1")
    assert first_alert < html.index("get it assessed") < html.index('class="card')
    assert "alert-danger" in html[first_alert - 80 : first_alert]


def test_it_names_the_exercises_a_red_flag_leaves_out_in_the_headline(client, alice, library):
    client.force_login(alice)
    html = plan_page(client, pain_knee="3", red_flags=["swelling"])
    text = headline(html)
    workout = WorkoutSession.objects.get()
    left_out = workout.items.filter(reason="PAIN_RED")
    assert {i.ladder.slug for i in left_out} == {"squat", "step-up"}
    for item in left_out:
        assert item.exercise.name in text
    assert "This exercise" not in text
    assert "don't train through it" in text


def test_it_does_not_show_readiness_beside_a_red_flag(client, alice, library):
    client.force_login(alice)
    html = plan_page(client, pain_knee="3", red_flags=["swelling"])
    assert "don't train through it" in html
    assert "Readiness" not in html
    assert "100%" not in html


def test_it_still_shows_readiness_on_an_ordinary_day(client, alice, library):
    client.force_login(alice)
    html = plan_page(client)
    assert "Readiness 100%" in html
