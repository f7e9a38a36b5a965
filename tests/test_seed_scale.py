"""``manage.py seed_scale``: a tiny club seeded the way the big one is, and usable by the app."""

import json
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from accounts.models import CoachLink, User
from coaching.management.commands.seed_scale import (
    DOMAIN,
    PASSWORD,
    Loader,
    seed_scale,
    spread,
)
from coaching.models import Assignment, Comment
from runs.models import Run
from sessions import volume
from sessions.models import (
    AthleteVersion,
    CheckIn,
    LadderProgress,
    WorkoutExercise,
    WorkoutSession,
    WorkoutSet,
)
from tests.test_sessions import NORMAL_DAY

pytestmark = pytest.mark.django_db

TINY = {"athletes": 12, "coaches": 3, "sets": 900, "days": 42, "runs_per_week": 2, "coach_size": 6}


@pytest.fixture
def club(library):
    return seed_scale(**TINY)


def athlete(n=1):
    return User.objects.get(email=f"athlete{n}@{DOMAIN}")


def coach(n=1):
    return User.objects.get(email=f"coach{n}@{DOMAIN}")


def test_it_splits_a_total_exactly():
    assert spread(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(spread(1_999_999, [0.15, 3, 1, 2.5])) == 1_999_999
    assert spread(7, [0, 1]) == [0, 7]


def test_it_seeds_people_links_sessions_sets_and_runs(club):
    assert User.objects.filter(email__endswith=DOMAIN, is_coach=False).count() == 12
    assert User.objects.filter(email__endswith=DOMAIN, is_coach=True).count() == 3
    # Coach 1 coaches coach_size athletes; every other coach has some of the rest.
    assert coach(1).coached_athletes().count() == 6
    assert coach(2).coached_athletes().exists() and coach(3).coached_athletes().exists()
    assert club["sets"] == WorkoutSet.objects.count()
    assert 0.9 * TINY["sets"] <= club["sets"] <= TINY["sets"]
    # Athlete 1 is the heavy account: four sessions a week.
    assert WorkoutSession.objects.filter(athlete=athlete(1)).count() >= 20
    assert CheckIn.objects.count() == WorkoutSession.objects.count()
    assert WorkoutExercise.objects.count() == 5 * WorkoutSession.objects.count()
    assert Run.objects.filter(athlete=athlete(2), status="done").count() == 6 * 2
    assert Assignment.objects.filter(workout__isnull=False).exists()
    assert Comment.objects.exists()
    assert LadderProgress.objects.filter(athlete=athlete(1)).count() == 5
    assert AthleteVersion.objects.count() == 12


def test_it_stores_plans_as_the_planner_does(client, club):
    """The seeded snapshot has what ``start_workout`` stores, and sets follow its rules."""
    seeded = WorkoutSession.objects.filter(athlete=athlete(2)).order_by("-started").first()
    client.force_login(athlete(3))
    client.post(reverse("today"), {"client_id": str(uuid.uuid4()), **NORMAL_DAY})
    real = WorkoutSession.objects.get(athlete=athlete(3), finished__isnull=True)
    assert set(seeded.plan) == set(real.plan)
    assert set(seeded.plan["exercises"][0]) == set(real.plan["exercises"][0])
    assert [e["key"] for e in seeded.plan["exercises"]] == [
        e["key"] for e in real.plan["exercises"]
    ]
    for logged in WorkoutSet.objects.select_related("item")[:200]:
        item = logged.item
        # Within the range, or under it (a hard set); never over its top.
        assert logged.reps <= item.rep_max
        assert logged.set_number <= item.sets_planned
        assert (logged.action, logged.next_reps) == volume.next_set_action(
            target_rir=item.target_rir,
            set_number=logged.set_number,
            reps=logged.reps,
            rir=logged.rir,
            rep_min=item.rep_min,
            rep_max=item.rep_max,
            pain_stop_nrs=item.pain_stop_nrs,
        )
    # The engine's weekly limit held: no ladder got more than its sets in any 7 days.
    sessions = list(WorkoutSession.objects.filter(athlete=athlete(1)).order_by("started"))
    for workout in sessions:
        week = WorkoutSet.objects.filter(
            item__workout__athlete=athlete(1),
            item__workout__started__gt=workout.started - timedelta(days=7),
            item__workout__started__lte=workout.started,
            item__position=1,
        ).count()
        assert week <= volume.WEEKLY_SET_LIMIT + 3


def test_its_pages_work_for_a_seeded_athlete_and_coach(client, club):
    assert client.login(email=f"athlete1@{DOMAIN}", password=PASSWORD)
    history = client.get(reverse("workout_sessions:list"))
    assert history.status_code == 200
    assert (
        len(history.context["workouts"])
        == WorkoutSession.objects.filter(athlete=athlete(1)).count()
    )
    assert history.context["progress"] and history.context["progress"][0]["points"]
    workout = WorkoutSession.objects.filter(athlete=athlete(1)).first()
    assert client.get(workout.get_absolute_url()).status_code == 200
    for name in ("today", "runs:list", "coaching:calendar"):
        assert client.get(reverse(name)).status_code == 200, name
    data = json.loads(client.get(reverse("accounts:data_export")).getvalue())
    assert len(data["workouts"]) == WorkoutSession.objects.filter(athlete=athlete(1)).count()
    assert (
        client.post(reverse("today"), {"client_id": str(uuid.uuid4()), **NORMAL_DAY}).status_code
        == 302
    )

    client.force_login(coach(1))
    dashboard = client.get(reverse("coaching:dashboard"))
    assert dashboard.status_code == 200
    assert "Runner 1" in dashboard.content.decode()
    page = client.get(reverse("coaching:athlete_detail", args=[athlete(1).pk]))
    assert page.status_code == 200


def test_it_leaves_the_ids_free_for_what_people_write_next(club, django_user_model):
    """Rows go in with their ids given; the sequences must move past them."""
    user = django_user_model.objects.create_user(email="after@example.com", password="x")
    assert user.pk > max(u.pk for u in User.objects.exclude(pk=user.pk))
    link = CoachLink.objects.create(coach=coach(2), athlete=user)
    assert link.pk > 0
    run = Run.objects.create(athlete=user, duration=timedelta(hours=1))
    assert run.pk == Run.objects.order_by("-pk").values_list("pk", flat=True).first()


def test_it_loads_with_copy_on_postgresql():
    assert Loader().copy is (connection.vendor == "postgresql")


TINY_ARGS = ("--athletes", "4", "--coaches", "1", "--sets", "100", "--days", "21")


def test_the_command_seeds_and_refuses_a_second_run(library):
    out = StringIO()
    call_command("seed_scale", *TINY_ARGS, "--coach-size", "2", stdout=out)
    assert "Seeded in" in out.getvalue()
    assert f"athlete1@{DOMAIN}" in out.getvalue()
    assert WorkoutSet.objects.count() > 80
    with pytest.raises(CommandError, match="already has"):
        call_command("seed_scale", *TINY_ARGS, stdout=out)


@pytest.mark.parametrize(
    "args",
    [
        ["--athletes", "0"],
        ["--coaches", "9", "--athletes", "3"],
        ["--days", "3"],
        ["--sets", "-1"],
        ["--runs-per-week", "8"],
    ],
)
def test_the_command_refuses_sizes_out_of_range(library, args):
    with pytest.raises(CommandError):
        call_command("seed_scale", *args, stdout=StringIO())


def test_it_asks_for_the_library_first():
    with pytest.raises(CommandError, match="load_library"):
        seed_scale(**TINY)
