"""The athlete's plan, history, progress and library in words, without the engine's codes:
no tier names, no "RIR", no "L2", no load sums, and plurals that agree."""

from html import unescape

import pytest
from django.urls import reverse

from exercises.models import Ladder
from sessions.models import WorkoutExercise, WorkoutSession
from tests.test_sessions import log_url, open_workout, prescribed_set

pytestmark = pytest.mark.django_db

HISTORY = reverse("workout_sessions:list")


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return unescape(response.content.decode())


def history_row(client, workout) -> str:
    html = page(client, HISTORY)
    start = html.index(workout.get_absolute_url())
    return html[start : html.index("</tr>", start)]


def close(client, workout):
    client.post(reverse("workout_sessions:close", args=[workout.pk]))
    workout.refresh_from_db()
    assert workout.is_finished


def log_all_and_finish(client, workout, rpe="5", minutes="20"):
    while WorkoutExercise.objects.filter(workout=workout, status="pending").exists():
        assert client.post(log_url(workout), prescribed_set(client, workout)).status_code == 302
    finish = reverse("workout_sessions:finish", args=[workout.pk])
    client.post(finish, {"session_rpe": rpe, "duration_minutes": minutes, "notes": ""})
    workout.refresh_from_db()
    assert workout.is_finished


def test_it_shows_a_closed_plan_as_closed_in_history(client, alice, library):
    client.force_login(alice)
    workout = open_workout(client)
    close(client, workout)
    row = history_row(client, workout)
    assert "Closed without training" in row
    assert f"0 of {workout.sets_prescribed} sets" in row
    assert "Reduced" not in row and f"0 / {workout.sets_prescribed}" not in row


def test_it_shows_a_rest_day_as_a_rest_day_in_history(client, alice, library):
    client.force_login(alice)
    workout = open_workout(client, ill="on")
    assert workout.sets_prescribed == 0
    close(client, workout)
    row = history_row(client, workout)
    assert row.count("Rest day") == 2  # what the plan was, and what became of it
    assert "0 of" not in row and "Recovery" not in row


def test_it_shows_an_open_session_as_in_progress_in_history(client, alice, library):
    client.force_login(alice)
    workout = open_workout(client)
    assert "In progress" in history_row(client, workout)


def test_it_shows_a_finished_session_as_done_with_its_effort_in_words(client, alice, library):
    client.force_login(alice)
    workout = open_workout(client)
    log_all_and_finish(client, workout)
    sets = workout.sets_prescribed
    row = history_row(client, workout)
    assert "Lighter session" in row  # a new user's first sessions are kept short
    assert "Done" in row and f"{sets} of {sets} sets" in row
    assert "Effort 5/10 (hard), 20 minutes" in row
    assert ">100<" not in row  # no load sum (5 × 20)


def test_it_says_the_finished_session_and_its_sets_in_words(client, alice, library):
    client.force_login(alice)
    workout = open_workout(client)
    log_all_and_finish(client, workout, rpe="1", minutes="1")
    html = page(client, workout.get_absolute_url())
    assert "Lighter session · Effort 1/10 (very easy), 1 minute" in html
    assert "Tier" not in html and "load 1 (" not in html
    assert "RIR" not in html
    calf = workout.items.get(ladder__slug="calf-raise")
    first = calf.sets.order_by("set_number").first()
    assert f"Done: {first.reps} reps, could do 3 more;" in html


def test_it_names_levels_in_progress_without_codes(client, alice, library):
    client.force_login(alice)
    log_all_and_finish(client, open_workout(client))
    html = page(client, HISTORY)
    levels = Ladder.objects.get(slug="calf-raise").exercises.count()
    assert f"level 1 of {levels}, " in html
    assert ": L1" not in html


@pytest.mark.parametrize("url", ["exercises:list", "exercises:detail"])
def test_it_names_levels_in_the_library_without_codes(client, alice, library, url):
    client.force_login(alice)
    args = [Ladder.objects.get(slug="squat").exercises.first().slug] if "detail" in url else []
    html = page(client, reverse(url, args=args))
    assert ">Level 1<" in html
    assert ">L1<" not in html


def test_it_says_one_set_of_one_rep(client, alice, library):
    client.force_login(alice)
    workout = open_workout(client)
    item = workout.items.get(ladder__slug="squat")  # bodyweight: no load after the dose
    WorkoutExercise.objects.filter(pk=item.pk).update(sets_planned=1, rep_min=1, rep_max=1)
    html = page(client, workout.get_absolute_url())
    assert ">1 set of 1 rep</p>" in html


def test_it_gives_a_holds_aim_in_seconds(client, alice, library):
    Ladder.objects.filter(slug="core").update(rep_unit="seconds", rep_min=20, rep_max=40)
    client.force_login(alice)
    workout = open_workout(client)
    html = page(client, workout.get_absolute_url())
    assert "Aim for 27 seconds today." in html
    assert "Aim for 27 today" not in html


def test_history_is_my_own(client, alice, bob, library):
    client.force_login(bob)
    theirs = open_workout(client)
    close(client, theirs)
    client.force_login(alice)
    assert theirs.get_absolute_url() not in page(client, HISTORY)
    assert WorkoutSession.objects.get(pk=theirs.pk).athlete_id == bob.pk


def test_the_coach_reads_a_closed_plan_as_closed_too(client, alice, carol, library):
    client.force_login(alice)
    workout = open_workout(client)
    close(client, workout)
    client.force_login(carol)
    html = page(client, reverse("coaching:athlete_detail", args=[alice.pk]))
    start = html.index(reverse("coaching:athlete_workout", args=[alice.pk, workout.pk]))
    row = html[start : html.index("</tr>", start)]
    assert f"0 / {workout.sets_prescribed}" in row  # the coach's compact count stays
    assert "Closed without training" in row


def test_the_coachs_routine_says_one_rep_and_one_second(client, carol, library):
    from tests.coaching import make_routine

    Ladder.objects.filter(slug="core").update(rep_unit="seconds", rep_min=20, rep_max=40)
    routine = make_routine(
        carol, slugs=("calf-raise", "core"), fixed={"calf-raise": (3, 1), "core": (2, 1)}
    )
    client.force_login(carol)
    html = page(client, routine.get_absolute_url())
    assert "Fixed: 3 × 1 rep " in html and "Fixed: 2 × 1 second " in html
    assert "1 reps" not in html and "1 seconds" not in html
