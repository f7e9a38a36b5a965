"""From the database to the engine and back: today's plan and the progression after it.

The training rules live in ``sessions.volume`` (pure, tested without Django). This module
only gathers its inputs (spec §9) and stores what it returns.
"""

from dataclasses import asdict
from datetime import timedelta
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Subquery
from django.utils import timezone

from exercises.models import Equipment, Exercise, Ladder
from sessions import volume
from sessions.default_routine import DefaultRoutine
from sessions.models import (
    CheckIn,
    LadderProgress,
    WorkoutExercise,
    WorkoutSession,
    WorkoutSet,
    history_counts,
    painful_regions,
)
from sessions.running_log import NO_HARD_RUN_HOURS, log_facts

# Spec §9: the check-in's "last hard run" buttons, in hours: today, yesterday, 2–3 days ago,
# more than 3 days ago or none, don't know (the codes predate the words: CheckIn.HardRun).
HARD_RUN_HOURS = {"lt24": 12, "1to2": 36, "2to3": 60, "gt3": NO_HARD_RUN_HOURS, "unknown": None}
KEY_RUN_HOURS = {"24h": 12, "48h": 36, "no": None}
# What the check-in's "how big was it" answer tells the engine (sRPE = rpe × minutes).
RUN_KIND_LOAD = {"hard": (7, 45), "big": (8, 90), "race": (9, 60)}
# Spec §10: the counters the app keeps beside the engine's advisories.
PAIN_PERSIST_DAYS = 7
PAIN_PERSIST_IN_A_ROW = 3
LOW_STREAK_POINTS = 13
LOW_STREAK_IN_A_ROW = 3


def _in_a_row(rows, test) -> int:
    count = 0
    for row in rows:
        if not test(row):
            break
        count += 1
    return count


def _hurts(pains, region) -> bool:
    return region in painful_regions(pains)


def persistent_pain(checkins) -> str | None:
    """Spec §10 PAIN_PERSIST: a region of the newest check-in that also hurt on >= 7 days,
    or in 3 check-ins in a row. ``checkins`` are (created, pains) pairs, newest first."""
    if not checkins:
        return None
    for region in painful_regions(checkins[0][1]):
        days = {created.date() for created, pains in checkins if _hurts(pains, region)}
        streak = _in_a_row(checkins, lambda row, region=region: _hurts(row[1], region))
        if len(days) >= PAIN_PERSIST_DAYS or streak >= PAIN_PERSIST_IN_A_ROW:
            return region
    return None


def low_streak(points) -> bool:
    """Spec §10 LOW_STREAK: readiness P <= 13 on 3 check-ins in a row (newest first)."""
    return _in_a_row(points, lambda p: p <= LOW_STREAK_POINTS) >= LOW_STREAK_IN_A_ROW


def kept_advisories(athlete, now) -> list[str]:
    """PAIN_PERSIST and LOW_STREAK from the last 28 days of check-ins (one query)."""
    recent = list(
        CheckIn.objects.filter(athlete=athlete, created__gte=now - timedelta(days=28))
        .order_by("-created")
        .values_list("created", "pains", "readiness_points")
    )
    found = []
    if persistent_pain([(created, pains) for created, pains, _points in recent]):
        found.append("PAIN_PERSIST")
    if low_streak([points for _created, _pains, points in recent]):
        found.append("LOW_STREAK")
    return found


def engine_checkin(checkin: CheckIn) -> volume.CheckIn:
    return volume.CheckIn(
        soreness=checkin.soreness,
        fatigue=checkin.fatigue,
        sleep=checkin.sleep,
        stress=checkin.stress,
        ill=checkin.ill,
        urgent=checkin.urgent,
        pains=tuple(
            volume.Pain(region=p["region"], nrs=p["nrs"], red_flag=p.get("red_flag", False))
            for p in checkin.pains
        ),
    )


def run_context(athlete, checkin: CheckIn, now, log=None) -> volume.RunContext:
    """The engine's run inputs: what the running log knows, filled in by the check-in.

    The check-in preselects "As my log says" (``LOG``) for whatever the log knows
    (``sessions.running_log``, spec §9), so the log wins unless the athlete picked another
    answer: that answer is their correction and wins over the log. What the log does not know
    comes from the check-in as before; the next race comes from the log only.
    """
    # The facts the check-in form showed the athlete, so the plan uses what they confirmed.
    log = log if log is not None else log_facts(athlete, now)
    from_log = CheckIn.HardRun.LOG
    if checkin.last_hard_run == from_log:
        hours = log.hours_since_hard
    else:
        hours = HARD_RUN_HOURS[checkin.last_hard_run]
    rpe = minutes = spike = None
    is_race = False
    if hours is not None and checkin.run_kind == from_log and log.hard_run is not None:
        rpe, minutes, is_race, spike = log.rpe, log.minutes, log.is_race, log.spike_ratio
    elif hours is not None and hours < NO_HARD_RUN_HOURS:
        # The log's answer, or none stored (a check-in from before the question was asked
        # only after a recent run), counts as an ordinary hard run.
        kind = checkin.run_kind if checkin.run_kind in RUN_KIND_LOAD else "hard"
        rpe, minutes = RUN_KIND_LOAD[kind]
        is_race = kind == "race"
    if checkin.key_run_soon == from_log:
        hours_to_next_key = log.hours_to_next_key
    else:
        hours_to_next_key = KEY_RUN_HOURS[checkin.key_run_soon]
    return volume.RunContext(
        hours_since_hard=hours,
        rpe=rpe,
        minutes=minutes,
        is_race=is_race,
        spike_ratio=spike,
        hours_to_next_key=hours_to_next_key,
        days_to_race=log.days_to_race,
    )


def engine_history(athlete, now) -> volume.History:
    summary, sets_last7 = history_counts(athlete, now)
    last = summary["last"]
    points = CheckIn.objects.filter(
        athlete=athlete, created__gte=now - timedelta(days=28), created__lt=now
    ).values_list("readiness_points", flat=True)
    return volume.History(
        completed_sessions=summary["total"],
        hours_since_strength=(now - last).total_seconds() / 3600 if last else None,
        strength_sessions_last7=summary["last7"],
        sets_last7=sets_last7,
        readiness_history=tuple(points),
    )


def athlete_routine(
    ladders, progress, start_levels=None, fixed=None
) -> tuple[volume.RoutineItem, ...]:
    """The engine's routine at the athlete's levels (``progress``: {ladder id: LadderProgress});
    ``start_levels`` ({ladder id: level}) are a coach's choice and win over them, and so are
    ``fixed`` doses ({ladder id: (sets, reps)}), which the engine caps like any dose (§5.7)."""
    chosen = start_levels or {}
    doses = fixed or {}
    items = []
    for ladder in ladders:
        levels = list(ladder.exercises.all())
        level = progress[ladder.pk].level if ladder.pk in progress else ladder.start_level
        level = chosen.get(ladder.pk, level)
        items.append(
            volume.RoutineItem(
                key=ladder.slug,
                area=ladder.area,
                regions=frozenset(ladder.regions),
                rep_min=ladder.rep_min,
                rep_max=ladder.rep_max,
                minutes_per_set=float(ladder.minutes_per_set),
                keep_priority=ladder.keep_priority,
                level=min(max(level, 1), len(levels)),
                max_level=len(levels),
                fixed_sets=doses.get(ladder.pk, (None, None))[0],
                fixed_reps=doses.get(ladder.pk, (None, None))[1],
            )
        )
    return tuple(items)


def starting_load(athlete, exercise, progress) -> Decimal | None:
    if not exercise.loadable:
        return None
    if progress is not None and progress.load_kg is not None:
        return progress.load_kg
    weights = sorted(athlete.dumbbells_kg or [])
    return Decimal(str(weights[0])) if weights else None


@transaction.atomic
def start_workout(athlete, checkin: CheckIn, now=None, assignment=None, log=None) -> WorkoutSession:
    """Compute today's plan from the check-in and store it as an open session.

    With an ``assignment`` (one of ``sessions.extension``'s ``todays_routines``: coaching's
    calendar) the plan follows its routine — ladders, chosen levels and a coach's fixed
    doses, which the engine resolves under every cap (spec §5.7) — and the session is linked
    to it; without one, the default routine.
    """
    now = now or timezone.now()
    # The assigned routine, or the default routine: one path for both.
    routine_row = assignment.routine if assignment is not None else None
    assigned = routine_row.items_for_plan() if routine_row is not None else []
    if not assigned:
        routine_row = DefaultRoutine()
        assigned = routine_row.items_for_plan()
    ladders = [item.ladder for item in assigned]
    progress = {p.ladder_id: p for p in LadderProgress.objects.filter(athlete=athlete)}
    routine = athlete_routine(
        ladders,
        progress,
        {i.ladder_id: i.start_level for i in assigned if i.start_level},
        {i.ladder_id: (i.fixed_sets, i.fixed_reps) for i in assigned if i.is_fixed},
    )
    plan = volume.plan_session(
        checkin=engine_checkin(checkin),
        run=run_context(athlete, checkin, now, log),
        history=engine_history(athlete, now),
        routine=routine,
        time_available=checkin.minutes_available,
    )
    checkin.readiness_points = plan.readiness_points
    checkin.readiness_pct = plan.readiness_pct
    checkin.save(update_fields=["readiness_points", "readiness_pct"])

    snapshot = plan_snapshot(plan, routine)
    snapshot["advisories"] += kept_advisories(athlete, now)
    snapshot["rest_seconds"] = {i.ladder.slug: i.rest_seconds for i in assigned}
    snapshot["notes"] = {i.ladder.slug: i.note for i in assigned if i.note}
    snapshot["aims"] = todays_aims(athlete, ladders, routine, plan)
    workout = WorkoutSession.objects.create(
        athlete=athlete,
        checkin=checkin,
        started=now,
        plan=snapshot,
        tier=plan.tier,
        headline_reason=plan.headline_reason,
        routine_name=routine_row.name[:120],
    )
    owned = Equipment.owned_by(athlete)
    pain_regions = checkin.pain_regions
    rows = []
    for position, (ladder, item, prescribed) in enumerate(
        zip(ladders, routine, plan.exercises, strict=True), start=1
    ):
        # The library's rule: a level the kit cannot do, with no stand-in, gives way to the
        # nearest level that can be done (and that is the level prescribed).
        exercise = ladder.level_for(prescribed.level or item.level, owned, at_most=item.level)
        level = exercise.level
        rows.append(
            WorkoutExercise(
                workout=workout,
                position=position,
                ladder=ladder,
                exercise=exercise,
                prescribed_level=level,
                action=prescribed.action,
                tier=prescribed.tier,
                sets_planned=prescribed.sets,
                rep_min=prescribed.rep_min,
                rep_max=prescribed.rep_max,
                target_rir=prescribed.target_rir,
                reason=prescribed.reason,
                pain_stop_nrs=prescribed.pain_stop_nrs or volume.PAIN_STOP_NRS,
                pain_watch=any(item.loads(region) for region in pain_regions),
                use_fallback=bool(exercise.missing_equipment(owned)),
                load_kg=starting_load(athlete, exercise, progress.get(ladder.pk)),
                status=(
                    WorkoutExercise.Status.PENDING
                    if prescribed.action == "do"
                    else WorkoutExercise.Status.SKIPPED
                ),
            )
        )
    WorkoutExercise.objects.bulk_create(rows)
    if assignment is not None:
        # Only an assignment not yet started takes the session (a retry cannot steal it).
        type(assignment).objects.filter(pk=assignment.pk, workout__isnull=True).update(
            workout=workout
        )
    return workout


def last_sessions(athlete, ladders) -> dict[int, WorkoutExercise]:
    """{ladder id: the athlete's last finished exercise on it with sets logged} (spec §9),
    its sets in order; two queries, whatever the history's length."""
    latest = (
        WorkoutExercise.objects.filter(
            workout__athlete=athlete, ladder=OuterRef("pk"), workout__finished__isnull=False
        )
        .filter(Exists(WorkoutSet.objects.filter(item=OuterRef("pk"))))
        .order_by("-workout__finished", "-pk")
        .values("pk")[:1]
    )
    ids = (
        Ladder.objects.filter(pk__in=[ladder.pk for ladder in ladders])
        .annotate(last_item=Subquery(latest))
        .exclude(last_item=None)
        .values_list("last_item", flat=True)
    )
    sets = Prefetch("sets", queryset=WorkoutSet.objects.order_by("set_number"))
    items = WorkoutExercise.objects.filter(pk__in=list(ids)).prefetch_related(sets)
    return {item.ladder_id: item for item in items}


def session_log(past: WorkoutExercise, level: int) -> volume.SessionLog:
    """A past exercise as the engine reads it: ``same_level`` only if it was planned at
    ``level`` and did not have to drop a level during the session (spec §9)."""
    done = past.sets.all()
    regressed = any(s.action == "regress_level" for s in done)
    return volume.SessionLog(
        sets=tuple((s.reps, s.rir) for s in done),
        target_rir=past.target_rir,
        same_level=past.prescribed_level == level and not regressed,
        regressed_in_session=regressed,
    )


def todays_aims(athlete, ladders, routine, plan: volume.Plan) -> dict[str, dict]:
    """Spec §7.5: {ladder slug: {"reps": today's aim for the first set, "last": the first
    set's reps last time at this level (None: no such session), "fixed": a coach's dose}}."""
    past = last_sessions(athlete, ladders)
    aims = {}
    for ladder, item, prescribed in zip(ladders, routine, plan.exercises, strict=True):
        if prescribed.action != "do":
            continue
        before = past.get(ladder.pk)
        log = session_log(before, prescribed.level) if before is not None else None
        comparable = log is not None and log.same_level and log.sets
        aims[ladder.slug] = {
            "reps": volume.rep_aim(
                rep_min=prescribed.rep_min,
                rep_max=prescribed.rep_max,
                tier=prescribed.tier,
                last=log,
            ),
            "last": log.sets[0][0] if comparable else None,
            "fixed": item.is_fixed,
        }
    return aims


def plan_snapshot(plan: volume.Plan, routine) -> dict:
    snapshot = asdict(plan)
    snapshot["advisories"] = list(snapshot["advisories"])
    snapshot["routine"] = [
        {"key": item.key, "level": item.level, "max_level": item.max_level} for item in routine
    ]
    return snapshot


# --- During the session -------------------------------------------------------------------


@transaction.atomic(savepoint=False)  # the caller's transaction, if any: one version bump
def log_set(
    item: WorkoutExercise, *, athlete_id, set_number, reps, rir, load_kg, pain_nrs, client_id
) -> WorkoutSet:
    """Store one set and apply the in-session rules (spec §6).

    The caller has checked that the session is ``athlete_id``'s, that ``set_number`` is the
    next one and that ``client_id`` is new; the unique constraint on ``client_id`` still
    stops a racing duplicate.
    """
    decide = partial(
        volume.next_set_action,
        target_rir=item.target_rir,
        set_number=set_number,
        reps=reps,
        rir=rir,
        rep_min=item.rep_min,
        rep_max=item.rep_max,
        pain_nrs=pain_nrs,
        pain_stop_nrs=item.pain_stop_nrs,
    )
    action, next_reps = decide(harder_before=False)
    if decide(harder_before=True) != (action, next_reps):
        # Only then does the answer depend on a set "harder than planned" earlier in this
        # session, decided in the database so the cost does not grow with the sets logged.
        harder_before = (
            WorkoutSet.objects.filter(item__workout_id=item.workout_id)
            .exclude(item__target_rir=None)
            .alias(gap=F("item__target_rir") - F("rir"))
            .filter(gap__gte=volume.FATIGUE_RIR_GAP)
            .exists()
        )
        action, next_reps = decide(harder_before=harder_before)
    logged = WorkoutSet.objects.log(
        athlete_id,
        item=item,
        exercise_id=item.exercise_id,
        set_number=set_number,
        reps=reps,
        load_kg=load_kg,
        rir=rir,
        pain_nrs=pain_nrs,
        action=action,
        next_reps=next_reps,
        client_id=client_id,
    )
    # The reps for the next set live on the set just logged; the exercise row changes only
    # when the level moves or the exercise ends (most sets write nothing else).
    changed = []
    if action in ("regress_level", "advance_level"):
        step = -1 if action == "regress_level" else 1
        neighbour = (
            Exercise.objects.filter(ladder_id=item.ladder_id, level=item.exercise.level + step)
            .prefetch_related("equipment__substitutes")
            .first()
        )
        owned = Equipment.owned_by(item.workout.athlete) if neighbour is not None else None
        # The plan's rule for the kit: a level that cannot be done without it is not moved to.
        if neighbour is not None and neighbour.is_available_with(owned):
            item.exercise = neighbour
            item.use_fallback = bool(neighbour.missing_equipment(owned))
            changed += ["exercise", "use_fallback"]
    if action.startswith("stop_") or set_number >= item.sets_planned:
        item.status = WorkoutExercise.Status.DONE
        item.stop_action = action if action.startswith("stop_") else ""
        changed += ["status", "stop_action"]
    if changed:
        item.save(update_fields=changed, bump=False)  # counted by the set's insert above
    if action == "stop_fatigue" and item.ladder.area == "legs":
        apply_fatigue_rule(item.workout)
    return logged


def apply_fatigue_rule(workout: WorkoutSession):
    """Spec §6: after fatigue stops on two leg exercises, the remaining leg work is 1 set."""
    items = list(workout.items.select_related("ladder"))
    stops = sum(1 for i in items if i.ladder.area == "legs" and i.stop_action == "stop_fatigue")
    for i in items:
        if i.ladder.area == "legs" and i.status == WorkoutExercise.Status.PENDING:
            sets = volume.remaining_leg_sets(fatigue_stops=stops, planned_sets=i.sets_planned)
            if sets != i.sets_planned:
                i.sets_planned = max(sets, i.sets.count())
                i.save(update_fields=["sets_planned"])


# --- After the session --------------------------------------------------------------------


def finish_workout(
    workout: WorkoutSession, *, session_rpe, duration_minutes, notes, now=None, client_id=None
):
    """Close the session and move each exercise along its ladder (spec §7).

    Returns the session as stored: a session already finished stays as its first finish
    left it (compare ``finish_client_id`` to tell whose finish that was)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = WorkoutSession.objects.select_for_update().get(pk=workout.pk)
        if locked.finished is not None:
            return locked
        locked.finished = now
        locked.session_rpe = session_rpe
        locked.duration_minutes = duration_minutes
        locked.notes = notes
        locked.finish_client_id = client_id
        locked.save()  # bumps the athlete's data version for the exercises' updates below too
        locked.items.filter(status=WorkoutExercise.Status.PENDING).update(
            status=WorkoutExercise.Status.SKIPPED
        )
        update_progress(locked)
    return locked


def update_progress(workout: WorkoutSession):
    """Move each exercise done along its ladder (spec §7), keeping progress (§9).

    The athlete's stored level and load change only through ``progression_decision``,
    judged against the *stored* level: a session done at another level (a mildly painful
    spot or a return after two weeks lowered it, a coach's routine chose it) counts as
    ``same_level=False``, so it can hold or regress the stored level but never moves it
    by itself, and it leaves the stored dumbbell alone. A new level (advance or regress)
    starts again from the lightest dumbbell.
    """
    athlete = workout.athlete
    allow = workout.plan.get("allow_progression", True)
    levels = Prefetch(
        "ladder__exercises", queryset=Exercise.objects.only("ladder", "level", "loadable")
    )
    items = [
        i
        for i in workout.items.select_related("ladder", "exercise").prefetch_related("sets", levels)
        if i.sets.all()
    ]
    for item in items:
        ladder = item.ladder
        ladder_levels = {e.level: e for e in ladder.exercises.all()}
        max_level = len(ladder_levels)
        progress, _created = LadderProgress.objects.get_or_create(
            athlete=athlete,
            ladder=ladder,
            # Never trained on it before: the ladder's own start, not today's level.
            defaults={"level": min(max(ladder.start_level, 1), max_level)},
        )
        stored = min(progress.level, max_level)
        recent = (
            WorkoutExercise.objects.filter(
                workout__athlete=athlete, ladder=ladder, workout__finished__isnull=False
            )
            .exclude(target_rir=None)
            .filter(Exists(WorkoutSet.objects.filter(item=OuterRef("pk"))))
            .order_by("-workout__finished", "-pk")
            .prefetch_related("sets")[:2]
        )
        logs = tuple(session_log(past, stored) for past in reversed(list(recent)))
        if not logs:
            continue
        at_stored = ladder_levels.get(stored)
        same_level = logs[-1].same_level
        # The dumbbell this level was done with: the stored one, else today's (the lightest).
        load = progress.load_kg if progress.load_kg is not None else item.load_kg
        decision, new_level, new_load = volume.progression_decision(
            level=stored,
            max_level=max_level,
            sessions=logs,
            # Today's range: the ladder's, or a coach's fixed reps (spec §7).
            rep_min=item.rep_min,
            rep_max=item.rep_max,
            allow=allow,
            dumbbells=tuple(float(w) for w in (athlete.dumbbells_kg or [])),
            load_kg=float(load) if load is not None and same_level else None,
            loadable=bool(at_stored and at_stored.loadable),
        )
        progress.level = new_level
        if new_level != stored:
            progress.load_kg = None
        elif decision == "add_load" and new_load is not None:
            progress.load_kg = Decimal(str(new_load))
        progress.save()
        item.decision = decision
        item.decision_level = new_level
        item.save(update_fields=["decision", "decision_level"])
