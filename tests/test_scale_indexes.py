"""What keeps pages reading slices at 10,000 athletes: the indexes, and queries bounded in time
or count (bench/scale.py measures them with EXPLAIN on a seeded PostgreSQL database)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from coaching.dashboard import UNREAD_DAYS, athlete_rows
from coaching.models import Comment
from sessions.models import COUNTED_SESSIONS, CheckIn, WorkoutSession, history_counts
from tests.coaching import make_workout

pytestmark = pytest.mark.django_db


def indexes(model) -> list[list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [c["columns"] for c in found.values() if c["index"] and not c["unique"]]


@pytest.mark.parametrize(
    "model, columns",
    [
        # History pages newest first, the export, the coach's lists: a page by the index.
        (WorkoutSession, ["athlete_id", "started", "id"]),
        # The engine's history, the load chart, progress: by finish time.
        (WorkoutSession, ["athlete_id", "finished"]),
        # The newest check-ins of an athlete (dashboard, athlete page, the engine's 28 days).
        (CheckIn, ["athlete_id", "created", "id"]),
    ],
)
def test_an_athletes_rows_are_indexed_in_the_order_pages_read_them(model, columns):
    assert columns in indexes(model)


@pytest.mark.parametrize("model", [WorkoutSession, CheckIn])
def test_the_athlete_alone_is_not_indexed_twice(model):
    """The composite index serves lookups by athlete; a second index only costs writes and
    tempts the planner into reading every row of a heavy account and sorting them."""
    assert ["athlete_id"] not in indexes(model)


def test_the_engine_counts_only_the_newest_sessions(alice, library):
    now = timezone.now()
    for n in range(COUNTED_SESSIONS + 4):
        make_workout(alice, when=now - timedelta(days=2 * n + 1))
    summary, _sets = history_counts(alice, now)
    assert summary["total"] == COUNTED_SESSIONS  # enough for every rule of the engine
    assert summary["last"] == now - timedelta(days=1)
    assert summary["last7"] == 4  # days 1, 3, 5 and 7 (its start is the edge)


def test_a_rest_day_is_not_counted_as_training(alice, library):
    now = timezone.now()
    make_workout(alice, when=now - timedelta(days=1), sets=0)
    make_workout(alice, when=now - timedelta(days=3))
    summary, _sets = history_counts(alice, now)
    assert summary == {"total": 1, "last": now - timedelta(days=3), "last7": 1}


def test_the_dashboard_counts_the_new_comments_of_the_last_weeks(carol, alice, library):
    workout = make_workout(alice, when=timezone.now() - timedelta(days=60))
    old = timezone.now() - timedelta(days=UNREAD_DAYS + 1)
    Comment.objects.create(workout=workout, author=alice, body="Old news", created=old)
    Comment.objects.create(workout=workout, author=alice, body="New", created=timezone.now())
    (row,) = athlete_rows(carol)
    assert row.unread == 1


def test_one_open_session_per_athlete_is_still_enforced_by_the_database():
    """Dropping the athlete index must not take the partial unique index along (it did on
    PostgreSQL, which Django matched by column)."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, WorkoutSession._meta.db_table)
    assert found["one_open_workout_per_athlete"]["unique"]
    assert found["one_open_workout_per_athlete"]["columns"] == ["athlete_id"]
