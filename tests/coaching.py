"""Small builders for the coaching tests: routines, assignments and sessions in a given state."""

import uuid
from datetime import timedelta

from django.utils import timezone

from coaching.models import Assignment, Routine, RoutineItem
from exercises.models import Exercise, Ladder
from sessions.models import CheckIn, WorkoutExercise, WorkoutSession, WorkoutSet


def make_routine(owner, slugs=("squat", "core"), *, name="Strong legs", fixed=None):
    """A routine of library ladders; ``fixed`` maps a slug to (sets, reps)."""
    fixed = fixed or {}
    routine = Routine.objects.create(owner=owner, name=name)
    for position, slug in enumerate(slugs, start=1):
        sets_reps = fixed.get(slug)
        RoutineItem.objects.create(
            routine=routine,
            position=position,
            ladder=Ladder.objects.get(slug=slug),
            mode="fixed" if sets_reps else "fatigue",
            fixed_sets=sets_reps[0] if sets_reps else None,
            fixed_reps=sets_reps[1] if sets_reps else None,
        )
    return routine


def assign(routine, athlete, day, by=None):
    return Assignment.objects.create(
        routine=routine, athlete=athlete, assigned_by=by or routine.owner, date=day
    )


def make_workout(
    athlete,
    *,
    when=None,
    tier="NORMAL",
    sets=1,
    skipped=0,
    work=True,
    finished=True,
    pains=(),
    readiness_points=18,
    readiness_pct=50,
    ill=False,
    urgent=False,
    advisories=(),
):
    """A session as the app stores it: a check-in, items (engine "do" or "skip"), sets."""
    when = when or timezone.now() - timedelta(hours=1)
    checkin = CheckIn.objects.create(
        athlete=athlete,
        created=when,
        pains=list(pains),
        readiness_points=readiness_points,
        readiness_pct=readiness_pct,
        ill=ill,
        urgent=urgent,
    )
    workout = WorkoutSession.objects.create(
        athlete=athlete,
        checkin=checkin,
        started=when,
        finished=when if finished else None,
        plan={"advisories": list(advisories), "exercises": []},
        tier=tier,
        headline_reason=f"BASE_{tier}",
        session_rpe=5 if sets else None,
        duration_minutes=30 if sets else None,
    )
    ladder = Ladder.objects.get(slug="core")
    exercise = ladder.exercises.first()
    item = WorkoutExercise.objects.create(
        workout=workout,
        position=1,
        ladder=ladder,
        exercise=exercise,
        prescribed_level=1,
        action="do" if work else "skip",
        tier=tier,
        sets_planned=max(sets, 1) if work else 0,
        rep_min=8,
        rep_max=15,
        target_rir=2,
        reason=f"BASE_{tier}",
        status="done" if sets else "skipped",
    )
    for n in range(1, sets + 1):
        WorkoutSet.objects.create(
            item=item,
            exercise=exercise,
            set_number=n,
            reps=10,
            rir=2,
            action="continue",
            client_id=uuid.uuid4(),
            created=when,
        )
    for n in range(skipped):
        squat = Ladder.objects.get(slug="squat")
        WorkoutExercise.objects.create(
            workout=workout,
            position=2 + n,
            ladder=squat,
            exercise=squat.exercises.first(),
            prescribed_level=1,
            action="skip",
            tier="RECOVERY",
            sets_planned=0,
            reason="PAIN_SKIP",
            status="skipped",
        )
    return workout


def coach_ladder(owner, name="Nordic curl", levels=2):
    ladder = Ladder.objects.create(
        slug=f"c{owner.pk}-{uuid.uuid4().hex[:6]}",
        name=name,
        area="legs",
        regions=["hamstring_glute"],
        rep_min=3,
        rep_max=8,
        minutes_per_set=2,
        keep_priority=3,
        why="Strong hamstrings.",
        owner=owner,
        private=True,
    )
    for level in range(1, levels + 1):
        Exercise.objects.create(
            ladder=ladder,
            level=level,
            slug=f"{ladder.slug}-{level}",
            name=f"{name} {level}",
            cues="Kneel.\nLower slowly.",
        )
    return ladder
