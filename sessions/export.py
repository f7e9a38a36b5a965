"""The athlete's training records in their data export (``accounts.export``), and the CSV of
their logged sets; ``WorkoutSessionsConfig.ready`` registers them."""

from collections.abc import Iterator

from django.db.models import F

from accounts.export import counted_in, local, row
from accounts.models import User
from exercises.translated import in_active_language
from sessions.models import CheckIn, LadderProgress, WorkoutExercise, WorkoutSession, WorkoutSet

CHUNK = 500  # rows a cursor fetch brings; the export never holds more than a few chunks


def checkins_section(user: User) -> Iterator[dict]:
    checkins = CheckIn.objects.filter(athlete=user).order_by("created", "pk")
    for checkin in checkins.iterator(chunk_size=CHUNK):
        yield row(checkin, skip=("athlete_id",))


def _grouped(rows, key):
    """A generator of rows (sorted by ``key``) that hands out each parent's rows in turn:
    ``take(parent_key)`` returns the rows with that key, dropping any that sort before it
    (a row written while the export ran, whose parent the export did not read)."""
    rows = iter(rows)
    pending = next(rows, None)

    def take(wanted):
        nonlocal pending
        found = []
        while pending is not None and key(pending) <= wanted:
            if key(pending) == wanted:
                found.append(pending)
            pending = next(rows, None)
        return found

    return take


def workouts_section(user: User) -> Iterator[dict]:
    """Every session with its exercises and their sets, oldest first, streamed.

    Three cursors in the same order (the session's start, then its id, position, set
    number) are read side by side, so the query count stays three and memory holds one
    session at a time, however long the history (prefetching held it all).
    """
    workouts = WorkoutSession.objects.filter(athlete=user).order_by("started", "pk")
    items = (
        WorkoutExercise.objects.filter(workout__athlete=user)
        .select_related("exercise", "ladder")
        .annotate(workout_started=F("workout__started"))
        .order_by("workout__started", "workout_id", "position", "pk")
    )
    sets = (
        WorkoutSet.objects.filter(item__workout__athlete=user)
        .select_related("exercise")
        .annotate(
            workout_started=F("item__workout__started"),
            workout_id=F("item__workout_id"),
            position=F("item__position"),
        )
        .order_by(
            "item__workout__started", "item__workout_id", "item__position", "item_id", "set_number"
        )
    )
    items_of = _grouped(
        items.iterator(chunk_size=CHUNK), lambda i: (i.workout_started, i.workout_id)
    )
    sets_of = _grouped(
        sets.iterator(chunk_size=CHUNK),
        lambda s: (s.workout_started, s.workout_id, s.position, s.item_id),
    )
    for workout in workouts.iterator(chunk_size=CHUNK):
        exercises = []
        for item in items_of((workout.started, workout.pk)):
            logged = sets_of((workout.started, workout.pk, item.position, item.pk))
            exercises.append(
                {
                    **counted_in(row(item, skip=("workout_id",)), item.ladder.rep_unit),
                    "exercise_slug": item.exercise.slug,
                    "rep_unit": item.ladder.rep_unit,
                    "sets": [
                        {
                            **counted_in(row(one, skip=("item_id",)), item.ladder.rep_unit),
                            "exercise_slug": one.exercise.slug,
                        }
                        for one in logged
                    ],
                }
            )
        yield {**row(workout, skip=("athlete_id",)), "exercises": exercises}


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


def count_sets(user: User, limit: int) -> int:
    """The person's logged sets, counted up to ``limit``."""
    return WorkoutSet.objects.filter(item__workout__athlete=user).values("pk")[:limit].count()


def sets_csv_rows(user: User) -> Iterator[list]:
    """The header, then one row per logged set, oldest session first; times in the user's zone.

    Plain values through a cursor: no model instances (a session row carries its whole plan,
    which building instances decoded again for every set).
    """
    yield CSV_HEADER
    sets = (
        WorkoutSet.objects.filter(item__workout__athlete=user)
        .annotate(exercise_name=in_active_language("exercise__name"))  # as the pages name it
        .order_by("item__workout__started", "item__position", "set_number")
        .values_list(
            "item__workout_id",
            "item__workout__started",
            "item__workout__finished",
            "exercise__slug",
            "exercise_name",
            "set_number",
            "reps",
            "load_kg",
            "rir",
            "pain_nrs",
            "created",
            "item__ladder__rep_unit",
        )
    )
    for (
        workout,
        started,
        finished,
        slug,
        name,
        number,
        reps,
        load_kg,
        rir,
        pain,
        created,
        rep_unit,
    ) in sets.iterator(chunk_size=CHUNK):
        hold = rep_unit == "seconds"
        yield [
            workout,
            local(user, started),
            local(user, finished),
            slug,
            name,
            number,
            "" if hold else reps,
            reps if hold else "",
            "" if load_kg is None else load_kg,
            rir,
            pain,
            local(user, created),
        ]
