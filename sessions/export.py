"""The athlete's training records in their data export (``accounts.export``), and the CSV of
their logged sets; ``WorkoutSessionsConfig.ready`` registers them."""

from collections.abc import Iterator

from accounts.export import counted_in, local, row
from accounts.models import User
from sessions.models import CheckIn, LadderProgress, WorkoutSession, WorkoutSet


def checkins_section(user: User) -> list[dict]:
    return [row(checkin, skip=("athlete_id",)) for checkin in CheckIn.objects.filter(athlete=user)]


def workouts_section(user: User) -> list[dict]:
    workouts = WorkoutSession.objects.filter(athlete=user).prefetch_related(
        "items__exercise", "items__ladder", "items__sets__exercise"
    )
    return [
        {
            **row(workout, skip=("athlete_id",)),
            "exercises": [
                {
                    **counted_in(row(item, skip=("workout_id",)), item.ladder.rep_unit),
                    "exercise_slug": item.exercise.slug,
                    "rep_unit": item.ladder.rep_unit,
                    "sets": [
                        {
                            **counted_in(row(logged, skip=("item_id",)), item.ladder.rep_unit),
                            "exercise_slug": logged.exercise.slug,
                        }
                        for logged in item.sets.all()
                    ],
                }
                for item in workout.items.all()
            ],
        }
        for workout in workouts
    ]


def progress_section(user: User) -> list[dict]:
    return [
        row(progress, skip=("athlete_id",))
        for progress in LadderProgress.objects.filter(athlete=user)
    ]


CSV_HEADER = [
    "session_id",
    "session_started",
    "session_finished",
    "exercise",
    "exercise_name",
    "set_number",
    "reps",
    "seconds",  # a hold's sets (a plank): counted in seconds, never reps
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
        .select_related("item__workout", "item__ladder", "exercise")
        .order_by("item__workout__started", "item__position", "set_number")
    )
    for logged in sets.iterator(chunk_size=500):
        workout = logged.item.workout
        hold = logged.item.ladder.rep_unit == "seconds"
        yield [
            workout.pk,
            local(user, workout.started),
            local(user, workout.finished),
            logged.exercise.slug,
            logged.exercise.name,
            logged.set_number,
            "" if hold else logged.reps,
            logged.reps if hold else "",
            "" if logged.load_kg is None else logged.load_kg,
            logged.rir,
            logged.pain_nrs,
            local(user, logged.created),
        ]
