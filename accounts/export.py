"""Everything HomeStrength holds about one person, as JSON and as a CSV of logged sets.

``export_data`` is built from small section functions listed in ``SECTIONS``: a feature that
stores something new about a person adds one function there, and the export stays complete.
Workout history rows are dumped field by field so new columns appear without edits here.
"""

from collections.abc import Iterator

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import CoachLink, Invitation, User
from coaching.models import Assignment, Comment, Routine
from runs.models import Race, Run
from sessions.models import CheckIn, LadderProgress, WorkoutSession, WorkoutSet

EXPORT_FORMAT = "homestrength-export"
EXPORT_VERSION = 1


def local(user: User, moment):
    if moment is None:
        return None
    return timezone.localtime(moment, user.zone).isoformat()


def row(obj, *, skip=()) -> dict:
    """Every stored column of a row, foreign keys as ids."""
    return {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if field.attname not in skip
    }


def profile_section(user: User) -> dict:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "units": user.units,
        "timezone": user.timezone,
        "language": user.language,
        "equipment": [item.slug for item in user.equipment.all()],
        "dumbbells_kg": user.dumbbells_kg,
        "weekly_km": user.weekly_km,
        "hard_run_days": user.hard_run_days,
        "is_coach": user.is_coach,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
    }


def link_dict(link: CoachLink, me: User, other: User) -> dict:
    ended_by = {me.pk: "me", other.pk: "them"}.get(link.ended_by_id)
    return {
        "name": other.name,
        "email": other.email,
        "linked_on": link.created,
        "ended_on": link.ended_at,
        "ended_by": ended_by if link.ended_at else None,
    }


def coaches_section(user: User) -> list[dict]:
    links = CoachLink.objects.filter(athlete=user).select_related("coach")
    return [link_dict(link, user, link.coach) for link in links]


def athletes_section(user: User) -> list[dict]:
    links = CoachLink.objects.filter(coach=user).select_related("athlete")
    return [link_dict(link, user, link.athlete) for link in links]


def invitations_section(user: User) -> list[dict]:
    # Tokens are left out: a pending one still works, and export files get passed around.
    return [
        {
            "email": invitation.email,
            "open_link": invitation.open_link,
            "created": invitation.created,
            "expires_at": invitation.expires_at,
            "state": invitation.state,
            "accepted_on": invitation.used_at,
            "declined_on": invitation.declined_at,
        }
        for invitation in Invitation.objects.filter(coach=user)
    ]


def checkins_section(user: User) -> list[dict]:
    return [row(checkin, skip=("athlete_id",)) for checkin in CheckIn.objects.filter(athlete=user)]


def workouts_section(user: User) -> list[dict]:
    workouts = WorkoutSession.objects.filter(athlete=user).prefetch_related(
        "items__exercise", "items__sets__exercise"
    )
    return [
        {
            **row(workout, skip=("athlete_id",)),
            "exercises": [
                {
                    **row(item, skip=("workout_id",)),
                    "exercise_slug": item.exercise.slug,
                    "sets": [
                        {**row(logged, skip=("item_id",)), "exercise_slug": logged.exercise.slug}
                        for logged in item.sets.all()
                    ],
                }
                for item in workout.items.all()
            ],
        }
        for workout in workouts
    ]


def runs_section(user: User) -> list[dict]:
    return [row(run, skip=("athlete_id",)) for run in Run.objects.filter(athlete=user)]


def races_section(user: User) -> list[dict]:
    return [row(race, skip=("athlete_id",)) for race in Race.objects.filter(athlete=user)]


def progress_section(user: User) -> list[dict]:
    return [
        row(progress, skip=("athlete_id",))
        for progress in LadderProgress.objects.filter(athlete=user)
    ]


def routines_section(user: User) -> list[dict]:
    routines = Routine.objects.filter(owner=user).prefetch_related("items__ladder")
    return [
        {
            "name": routine.name,
            "description": routine.description,
            "created": routine.created,
            "items": [
                {
                    **row(item, skip=("id", "routine_id", "ladder_id")),
                    "ladder_slug": item.ladder.slug,
                }
                for item in routine.items.all()
            ],
        }
        for routine in routines
    ]


def assignments_section(user: User) -> list[dict]:
    """The days on the calendar now, and every day the person trained (their history).

    A coach's days the athlete never trained go with the link when it ends: they are the
    coach's plans, as the calendar shows (``AssignmentQuerySet.current``).
    """
    mine = Assignment.objects.filter(athlete=user)
    assignments = (
        (mine.current() | mine.filter(workout__isnull=False))
        .with_outcome()
        .select_related("routine", "assigned_by", "athlete")
    )
    return [
        {
            "date": assignment.date,
            "routine": assignment.routine.name,
            "assigned_by": "me"
            if assignment.assigned_by_id == user.pk
            else assignment.assigned_by.name,
            "state": assignment.state,
            "workout_id": assignment.workout_id,
        }
        for assignment in assignments
    ]


def comments_section(user: User) -> list[dict]:
    return [
        {"workout_id": comment.workout_id, "body": comment.body, "created": comment.created}
        for comment in Comment.objects.filter(author=user)
    ]


# Add a (key, function) pair here for every new kind of personal record.
SECTIONS = [
    ("profile", profile_section),
    ("coaches", coaches_section),
    ("athletes", athletes_section),
    ("invitations_sent", invitations_section),
    ("checkins", checkins_section),
    ("workouts", workouts_section),
    ("ladder_progress", progress_section),
    ("runs", runs_section),
    ("races", races_section),
    ("routines", routines_section),
    ("assignments", assignments_section),
    ("comments_written", comments_section),
]


def export_data(user: User) -> dict:
    """A JSON-ready dict (dates, decimals and UUIDs need DjangoJSONEncoder)."""
    data = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": timezone.now(),
    }
    for key, build in SECTIONS:
        data[key] = build(user)
    return data


CSV_HEADER = [
    "session_id",
    "session_started",
    "session_finished",
    "exercise",
    "exercise_name",
    "set_number",
    "reps",
    "load_kg",
    "rir",
    "pain_nrs",
    "logged_at",
]


def sets_csv_rows(user: User) -> Iterator[list]:
    """The header, then one row per logged set, oldest session first; times in the user's zone."""
    yield CSV_HEADER
    sets = (
        WorkoutSet.objects.filter(item__workout__athlete=user)
        .select_related("item__workout", "exercise")
        .order_by("item__workout__started", "item__position", "set_number")
    )
    for logged in sets.iterator(chunk_size=500):
        workout = logged.item.workout
        yield [
            workout.pk,
            local(user, workout.started),
            local(user, workout.finished),
            logged.exercise.slug,
            logged.exercise.name,
            logged.set_number,
            logged.reps,
            "" if logged.load_kg is None else logged.load_kg,
            logged.rir,
            logged.pain_nrs,
            local(user, logged.created),
        ]
