"""Pages read a slice of a long history, never all of it; the export streams it.

A heavy account from ``seed_scale``: athlete 1 trains four times a week, here for 60 weeks.
"""

import inspect
import json
from datetime import timedelta

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.export import export_chunks, export_data
from accounts.models import User
from coaching.management.commands.seed_scale import DOMAIN, seed_scale
from sessions.charts import WEEKS
from sessions.export import _grouped, workouts_section
from sessions.models import WorkoutSession, WorkoutSet
from sessions.views import HISTORY_PAGE

pytestmark = pytest.mark.django_db

HISTORY = reverse("workout_sessions:list")


@pytest.fixture
def heavy(library):
    seed_scale(athletes=2, coaches=1, sets=2600, days=420, runs_per_week=1, coach_size=1)
    user = User.objects.get(email=f"athlete1@{DOMAIN}")
    assert WorkoutSession.objects.filter(athlete=user).count() > 2 * HISTORY_PAGE + 10
    return user


def test_history_pages_through_every_session_newest_first(client, heavy):
    client.force_login(heavy)
    seen, page, pages = [], 1, []
    while page:
        response = client.get(HISTORY, {"page": page})
        assert response.status_code == 200
        workouts = response.context["workouts"]
        assert len(workouts) <= HISTORY_PAGE
        seen += [w.pk for w in workouts]
        pages.append(len(workouts))
        page = response.context["older_page"]
    everything = list(
        WorkoutSession.objects.filter(athlete=heavy)
        .order_by("-started", "-pk")
        .values_list("pk", flat=True)
    )
    assert seen == everything
    assert pages[0] == HISTORY_PAGE and len(pages) == -(-len(everything) // HISTORY_PAGE)


def test_history_links_older_and_newer_pages(client, heavy):
    client.force_login(heavy)
    first = client.get(HISTORY).content.decode()
    assert f"{HISTORY}?page=2#history-h" in first and "Newer sessions" not in first
    second = client.get(HISTORY, {"page": 2}).content.decode()
    assert "Newer sessions" in second and f"{HISTORY}?page=3#history-h" in second
    assert client.get(HISTORY, {"page": "99"}).url == HISTORY  # past the end: the first page
    assert client.get(HISTORY, {"page": "x"}).status_code == 200


def test_history_counts_each_sessions_sets(client, heavy):
    client.force_login(heavy)
    for workout in client.get(HISTORY, {"page": 2}).context["workouts"]:
        assert workout.sets_done == WorkoutSet.objects.filter(item__workout=workout).count()


def test_history_queries_stay_the_same_on_every_page(client, heavy):
    client.force_login(heavy)
    counts = []
    for page in (1, 2, 4):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(HISTORY, {"page": page}).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1] == counts[2]


def test_progress_shows_the_weeks_of_the_chart_not_the_whole_history(client, heavy):
    client.force_login(heavy)
    progress = client.get(HISTORY).context["progress"]
    since = (timezone.now() - timedelta(weeks=WEEKS)).date() - timedelta(days=1)
    days = [point["day"] for row in progress for point in row["points"]]
    assert days and min(days) >= since
    # The history itself goes back more than a year.
    assert WorkoutSession.objects.filter(athlete=heavy).earliest("started").started.date() < (
        since - timedelta(weeks=40)
    )


def test_the_export_streams_the_same_document_export_data_builds(client, heavy):
    client.force_login(heavy)
    response = client.get(reverse("accounts:data_export"))
    assert response.streaming
    streamed = json.loads(response.getvalue())
    built = json.loads(json.dumps(export_data(heavy), cls=DjangoJSONEncoder))
    streamed.pop("exported_at"), built.pop("exported_at")
    assert streamed == built
    workouts = streamed["workouts"]
    assert len(workouts) == WorkoutSession.objects.filter(athlete=heavy).count()
    assert sum(len(e["sets"]) for w in workouts for e in w["exercises"]) == (
        WorkoutSet.objects.filter(item__workout__athlete=heavy).count()
    )
    assert [w["started"] for w in workouts] == sorted(w["started"] for w in workouts)


def test_the_export_reads_history_through_cursors_a_session_at_a_time(heavy):
    assert inspect.isgenerator(workouts_section(heavy))
    with CaptureQueriesContext(connection) as captured:
        chunks = export_chunks(heavy)
        first = next(chunks)
    assert first == "{" and len(captured) == 0  # nothing is read before it is sent
    with CaptureQueriesContext(connection) as captured:
        text = "".join(chunks)
    assert json.loads(first + text)["format"] == "homestrength-export"
    few = len(captured)
    other = User.objects.get(email=f"athlete2@{DOMAIN}")
    with CaptureQueriesContext(connection) as captured:
        "".join(export_chunks(other))
    assert len(captured) == few  # as many queries for a long history as for a short one


def test_the_sets_csv_is_streamed(client, heavy):
    client.force_login(heavy)
    response = client.get(reverse("accounts:sets_export"))
    assert response.streaming
    lines = response.getvalue().decode().splitlines()
    assert len(lines) == 1 + WorkoutSet.objects.filter(item__workout__athlete=heavy).count()


def test_grouping_hands_each_parent_its_rows_and_drops_strays():
    take = _grouped(iter([(1, "a"), (2, "stray"), (3, "b"), (3, "c"), (5, "d")]), lambda r: r[0])
    assert take(1) == [(1, "a")]
    assert take(3) == [(3, "b"), (3, "c")]  # (2, …) belongs to no parent read: dropped
    assert take(4) == []
    assert take(5) == [(5, "d")]
    assert take(6) == []
