"""Seed a coach with linked athletes and four weeks of training, for /coach/ benchmarks and demos.

    python manage.py seed_coaching --athletes 30

Creates (or tops up) the coach ``coach@bench.example`` and athletes ``athleteN@bench.example``,
each linked to the coach, with a check-in and a session every other day for the last four
weeks (some with pain or low readiness, some left empty), the coach's routine assigned on
Mondays, Wednesdays and Fridays from four weeks ago to two weeks ahead (some days done,
some missed), a run most days for five weeks (some athletes running much more this week)
and a comment from the athlete on their latest session. Idempotent for people
and links; training rows are rebuilt for the seeded athletes on every run.

Benchmarks can also import ``seed_coach`` and log in as the returned coach.
"""

import uuid
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import CoachLink, User
from coaching.models import Assignment, Comment, Routine
from exercises.models import Ladder
from runs.models import Run
from sessions.models import CheckIn, WorkoutExercise, WorkoutSession, WorkoutSet

COACH_EMAIL = "coach@bench.example"
PASSWORD = "bench-coach-password-9"  # noqa: S105 - a throwaway account on a bench database
HISTORY_DAYS = 28


def athlete_email(n: int) -> str:
    return f"athlete{n}@bench.example"


@transaction.atomic
def seed_coach(athletes: int = 30, *, coach_email: str = COACH_EMAIL, now=None) -> User:
    """The coach, with ``athletes`` linked athletes and their last four weeks."""
    now = now or timezone.now()
    coach = User.objects.filter(email=coach_email).first()
    if coach is None:
        coach = User.objects.create_user(
            email=coach_email, password=PASSWORD, display_name="Bench Coach", is_coach=True
        )
    try:
        template = Routine.objects.seed()
    except LookupError as exc:
        raise CommandError(f"{exc} Run `manage.py load_library` first.") from exc
    routine = Routine.objects.filter(owner=coach).first() or template.duplicate(coach)
    ladders = {
        ladder.slug: ladder
        for ladder in Ladder.objects.public()
        .filter(slug__in=["calf-raise", "squat", "core"])
        .prefetch_related("exercises")
    }
    people = []
    for n in range(1, athletes + 1):
        athlete = User.objects.filter(email=athlete_email(n)).first()
        if athlete is None:
            athlete = User.objects.create_user(
                email=athlete_email(n), password=PASSWORD, display_name=f"Runner {n}"
            )
        CoachLink.objects.active().get_or_create(coach=coach, athlete=athlete)
        people.append(athlete)
    WorkoutSession.objects.filter(athlete__in=people).delete()
    CheckIn.objects.filter(athlete__in=people).delete()
    Assignment.objects.filter(athlete__in=people).delete()
    Run.objects.filter(athlete__in=people).delete()
    for n, athlete in enumerate(people, start=1):
        seed_history(athlete, n, routine, coach, ladders, now)
    return coach


def seed_history(athlete, n, routine, coach, ladders, now):
    today = athlete.local_today(now)
    workouts = {}
    for days_ago in range(HISTORY_DAYS, 0, -2):
        when = now - timedelta(days=days_ago, hours=n % 5)
        pains = (
            [{"region": "knee", "nrs": 2 + n % 5, "red_flag": n % 9 == 0}]
            if (n % 4 == 0 and days_ago < 8)
            else []
        )
        points = 11 if n % 7 == 0 and days_ago < 8 else 16 + (n + days_ago) % 8
        checkin = CheckIn.objects.create(
            athlete=athlete,
            created=when,
            pains=pains,
            readiness_points=points,
            readiness_pct=round(100 * (points - 6) / 24),
            # Answers of 1 to 5 that add up to about the readiness points (6 to 30).
            soreness=max(1, min(5, points // 5 - (n % 2))),
            fatigue=max(1, min(5, points // 5)),
            sleep=max(1, min(5, points // 5 + (n % 3) - 1)),
            stress=max(1, min(5, points // 6 + 1)),
            last_hard_run="1to2",
        )
        tier = "REDUCED" if points < 17 else "NORMAL"
        advisories = ["LOW_STREAK"] if points <= 13 else []
        workout = WorkoutSession.objects.create(
            athlete=athlete,
            checkin=checkin,
            started=when,
            finished=when + timedelta(minutes=30),
            plan={
                "advisories": advisories,
                "exercises": [],
                "readiness_pct": checkin.readiness_pct,
            },
            tier=tier,
            headline_reason=f"BASE_{tier}",
            session_rpe=6,
            duration_minutes=30,
            routine_name=routine.name,
        )
        logged = (n + days_ago) % 6 != 0  # now and then a session closed with nothing logged
        for position, ladder in enumerate(ladders.values(), start=1):
            exercise = ladder.exercises.all()[0]
            item = WorkoutExercise.objects.create(
                workout=workout,
                position=position,
                ladder=ladder,
                exercise=exercise,
                prescribed_level=exercise.level,
                action="do",
                tier=tier,
                sets_planned=2,
                rep_min=ladder.rep_min,
                rep_max=ladder.rep_max,
                target_rir=2,
                reason=f"BASE_{tier}",
                status="done" if logged else "skipped",
            )
            if logged:
                WorkoutSet.objects.bulk_create(
                    WorkoutSet(
                        item=item,
                        exercise=exercise,
                        set_number=s,
                        reps=ladder.rep_max,
                        rir=2,
                        action="continue",
                        client_id=uuid.uuid4(),
                        created=when,
                    )
                    for s in (1, 2)
                )
        workouts[(today - timedelta(days=days_ago))] = workout
    day = today - timedelta(days=HISTORY_DAYS)
    rows = []
    while day <= today + timedelta(days=14):
        if day.weekday() in (0, 2, 4):
            rows.append(
                Assignment(
                    routine=routine,
                    athlete=athlete,
                    assigned_by=coach,
                    date=day,
                    workout=workouts.pop(day, None) if n % 3 else None,
                )
            )
        day += timedelta(days=1)
    Assignment.objects.bulk_create(rows)
    seed_runs(athlete, n, now)
    latest = WorkoutSession.objects.filter(athlete=athlete).order_by("-started").first()
    if latest is not None:
        Comment.objects.create(workout=latest, author=athlete, body="Felt good today.")


def seed_runs(athlete, n, now):
    """A run on most days of the last five weeks; every fifth athlete ran twice as long
    this week, so the table has running spikes to show."""
    runs = []
    for days_ago in range(1, 36):
        if (days_ago + n) % 7 in (0, 3):
            continue  # rest days
        minutes = 30 + (days_ago * 7 + n) % 40
        if n % 5 == 0 and days_ago <= 7:
            minutes *= 2
        runs.append(
            Run(
                athlete=athlete,
                start=now - timedelta(days=days_ago, hours=n % 6),
                duration=timedelta(minutes=minutes),
                distance_km=round(minutes / 5.5, 2),
                rpe=3 + (days_ago + n) % 5,
            )
        )
    Run.objects.bulk_create(runs)


class Command(BaseCommand):
    help = "Seed a coach with linked athletes and four weeks of training (for /coach/)."

    def add_arguments(self, parser):
        parser.add_argument("--athletes", type=int, default=30)
        parser.add_argument("--coach-email", default=COACH_EMAIL)

    def handle(self, *args, athletes, coach_email, **options):
        if not 0 <= athletes <= 1000:
            raise CommandError("--athletes must be between 0 and 1000.")
        coach = seed_coach(athletes, coach_email=coach_email)
        self.stdout.write(
            f"Seeded {athletes} athletes for {coach.email} (password {PASSWORD!r}); "
            "their dashboard is /coach/."
        )
