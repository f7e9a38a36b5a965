"""The check-in in a runner's words: the last hard run by day, its follow-up only after a run,
and eleven different words on the effort scale."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from runs.forms import RPE_WORDS, RunForm
from sessions.forms import FinishForm
from sessions.models import CheckIn
from sessions.planning import run_context
from tests.test_sessions import check_in, open_workout

TODAY = reverse("today")


def labels(field) -> list[str]:
    return [str(label) for _value, label in field.field.choices]


@pytest.mark.django_db
def test_it_asks_for_the_last_hard_run_in_days_as_a_runner_counts_them(client, alice, library):
    client.force_login(alice)
    form = client.get(TODAY).context["form"]
    assert labels(form["last_hard_run"]) == [
        "Today",
        "Yesterday",
        "2–3 days ago",
        "More than 3 days ago / none",
        "Don't know",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answer", "hours"),
    [("lt24", 12), ("1to2", 36), ("2to3", 60), ("gt3", 96), ("unknown", None)],
)
def test_it_gives_the_engine_the_same_hours_for_the_same_stored_answer(
    client, alice, library, answer, hours
):
    # The codes an older page (or one queued offline) sends are today's codes too.
    client.force_login(alice)
    open_workout(client, last_hard_run=answer, run_kind="hard")
    checkin = CheckIn.objects.get(athlete=alice)
    assert checkin.last_hard_run == answer
    assert run_context(alice, checkin, timezone.now()).hours_since_hard == hours


@pytest.mark.django_db
@pytest.mark.parametrize("answer", ["gt3", "unknown"])
def test_it_drops_what_the_run_was_when_there_was_no_recent_run(client, alice, library, answer):
    client.force_login(alice)
    open_workout(client, last_hard_run=answer, run_kind="race")
    checkin = CheckIn.objects.get(athlete=alice)
    assert checkin.run_kind == ""
    context = run_context(alice, checkin, timezone.now())
    assert (context.rpe, context.minutes, context.is_race) == (None, None, False)


@pytest.mark.django_db
def test_it_takes_a_check_in_without_the_follow_up_after_no_recent_run(client, alice, library):
    # The page disables the hidden follow-up, so nothing is sent for it.
    client.force_login(alice)
    data = {"client_id": str(uuid.uuid4()), "last_hard_run": "gt3", "key_run_soon": "no"}
    assert client.post(TODAY, data).status_code == 302
    assert CheckIn.objects.get(athlete=alice).run_kind == ""


@pytest.mark.django_db
def test_it_ignores_a_tampered_follow_up_after_no_recent_run(client, alice, library):
    client.force_login(alice)
    open_workout(client, last_hard_run="gt3", run_kind="not-a-kind")
    assert CheckIn.objects.get(athlete=alice).run_kind == ""


@pytest.mark.django_db
def test_it_asks_what_the_run_was_after_a_recent_one(client, alice, library):
    client.force_login(alice)
    response = check_in(client, last_hard_run="1to2", run_kind="")
    assert response.status_code == 200
    assert response.context["form"].errors["run_kind"] == ["Choose what the run was."]
    assert not CheckIn.objects.exists()


@pytest.mark.django_db
def test_it_keeps_what_a_recent_run_was(client, alice, library):
    client.force_login(alice)
    open_workout(client, last_hard_run="lt24", run_kind="race")
    checkin = CheckIn.objects.get(athlete=alice)
    assert checkin.run_kind == "race"
    context = run_context(alice, checkin, timezone.now())
    assert (context.rpe, context.minutes, context.is_race) == (9, 60, True)


def test_every_point_of_the_effort_scale_has_its_own_word():
    words = [str(word) for word in RPE_WORDS]
    assert len(words) == 11
    assert len(set(words)) == 11
    assert (words[0], words[10]) == ("Nothing at all", "Maximal")
    for form in (FinishForm(), RunForm()):
        field = form.fields.get("session_rpe") or form.fields["rpe"]
        shown = [str(label) for value, label in field.choices if value != ""]
        assert len(shown) == len(set(shown)) == 11


@pytest.mark.django_db(transaction=True)
def test_the_migration_clears_the_follow_up_of_stored_check_ins_without_a_recent_run(alice):
    before = [("workout_sessions", "0008_athlete_slice_indexes")]
    after = [("workout_sessions", "0009_checkin_answers_in_words")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("workout_sessions", "CheckIn")
    for answer in ("lt24", "1to2", "2to3", "gt3", "unknown"):
        old.objects.create(
            athlete_id=alice.pk, last_hard_run=answer, run_kind="big", client_id=uuid.uuid4()
        )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    stored = dict(CheckIn.objects.values_list("last_hard_run", "run_kind"))
    assert stored == {"lt24": "big", "1to2": "big", "2to3": "big", "gt3": "", "unknown": ""}
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # as the other tests expect it
