"""A plank counted in slow breaths (issue 17: "a plank is 2 sets of 8–15 reps").

The shipped core ladder counts reps, and its plank levels count one slow breath held in
position as one (the cues say so). Those levels are marked ``counted_in_breaths`` in the
library, and every place that names the count of such a level says "slow breaths" with the
hold in seconds beside it, in English and in Spanish; the engine's numbers are unchanged.
"""

import re
from html import unescape

import pytest
from django.urls import reverse

from exercises.models import Exercise, Ladder
from tests.test_holds import card, logger_at_the_plank, text
from tests.test_sessions import open_workout

pytestmark = pytest.mark.django_db


@pytest.fixture
def plank_workout(client, alice, library):
    """Alice's session, with the core ladder at the front plank (a level counted in breaths)."""
    client.force_login(alice)
    workout = open_workout(client)
    core = workout.items.select_related("exercise").get(ladder__slug="core")
    plank = Exercise.objects.get(slug="core-front-side-plank")
    if core.exercise_id != plank.pk:
        core.exercise = plank
        core.save(update_fields=["exercise"])
    return workout


def test_the_library_marks_only_its_plank_levels_as_counted_in_breaths(library):
    assert set(Exercise.objects.filter(counted_in_breaths=True).values_list("slug", flat=True)) == {
        "core-front-side-plank",
        "core-plank-leg-lift-side-plank-leg-raise",
    }


def test_the_plan_counts_a_plank_in_breaths_with_the_hold_in_seconds(client, plank_workout):
    core = plank_workout.items.get(ladder__slug="core")
    html = text(client.get(plank_workout.get_absolute_url()))
    plan = card(html, core.exercise.name)
    assert re.search(r"sets? of 8–15 slow breaths \(about 30–60 s\)", plan)
    assert not re.search(r"\breps?\b", plan)
    assert re.search(r"Aim for \d+ slow breaths today", plan)
    # A level counted in reps keeps its reps.
    calf = card(html, plank_workout.items.get(ladder__slug="calf-raise").exercise.name)
    assert re.search(r"sets? of \d+–\d+ reps", calf)


def test_the_logger_asks_for_breaths(client, plank_workout):
    page = logger_at_the_plank(client, plank_workout)
    html = text(page)
    assert 'for="id_reps">Slow breaths</label>' in html
    assert "8–15 slow breaths (about 30–60 s)" in html


def test_the_plank_reads_in_spanish(client, plank_workout):
    response = client.get(plank_workout.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es")
    html = unescape(response.content.decode())
    assert '<html lang="es"' in html
    assert "8–15 respiraciones lentas (unos 30–60 s)" in html


def test_the_exercise_page_gives_the_range_in_breaths_and_seconds(client, library):
    html = text(client.get(reverse("exercises:detail", args=["core-front-side-plank"])))
    assert "8–15 slow breaths (about 30–60 s)" in html
    html = text(client.get(reverse("exercises:detail", args=["core-hanging-leg-raise"])))
    assert "8–15 reps" in html and "slow breaths" not in html


def test_a_ladder_counted_in_seconds_counts_its_plank_in_seconds(library):
    Ladder.objects.filter(slug="core").update(rep_unit="seconds", rep_min=20, rep_max=40)
    plank = Exercise.objects.select_related("ladder").get(slug="core-front-side-plank")
    assert plank.amount(30) == "30 seconds"
    assert plank.hold_time_on(plank.ladder, 20, 40) == ""
