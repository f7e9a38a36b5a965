"""Today's plan (spec §3–§5, §10): readiness, the caps that lower it, each exercise, advisories.

``plan_session`` is the one entry point; each modifier is a cap combined with ``min()``.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from fractions import Fraction

from sessions.volume.records import (
    CheckIn,
    ExercisePlan,
    History,
    Pain,
    Plan,
    RoutineItem,
    RunContext,
    _check_bool,
    _check_number,
    round_half_away_from_zero,
)
from sessions.volume.terms import (
    ASSUMED_SORE_HOURS,
    ASSUMED_SORENESS,
    BASELINE_MAX_OFFSET,
    BASELINE_MIN_ENTRIES,
    BASELINE_POINTS,
    BIG_RUN_HOURS,
    DOSES,
    FLOOR_HOURS,
    FLOOR_MIN_SESSIONS,
    MINIMUM_POINTS,
    MISSING_RATING,
    NEW_USER_EARLY_SESSIONS,
    NEW_USER_SESSIONS,
    NEXT_KEY_HOURS,
    NEXT_KEY_NEAR_HOURS,
    NORMAL_POINTS,
    PAIN_SKIP_NRS,
    PAIN_STOP_NRS,
    PLUS_POINTS,
    POST_RACE_HOURS,
    RACE_MIN_DAYS,
    RACE_SKIP_DAYS,
    RACE_TAPER_DAYS,
    REASON_PRIORITY,
    RECENT_RUN_HOURS,
    RECOVERY,
    REDUCED_POINTS,
    REENTRY_HOURS,
    SKIP_PRIORITY,
    SPIKE_ADVISORY_HOURS,
    STRENGTH_FREQ_SESSIONS,
    STRENGTH_HOURS,
    STRENGTH_NEAR_HOURS,
    TIERS,
    WARMUP_MINUTES,
    WEAK_LINK_RATING,
    WEEKLY_SET_LIMIT,
)

# --------------------------------------------------------------------------------------------
# Planning
# --------------------------------------------------------------------------------------------

_SKIP = -1  # limit of a skip cap: below every tier
_RECOVERY, _MINIMUM, _REDUCED, _NORMAL, _PLUS = range(len(TIERS))  # tier indices for min()
_TIER_INDEX = {tier: index for index, tier in enumerate(TIERS)}
_REASON_INDEX = {code: index for index, code in enumerate(REASON_PRIORITY)}


def _tier_for_points(points: int) -> int:
    if points >= PLUS_POINTS:
        return _PLUS
    if points >= NORMAL_POINTS:
        return _NORMAL
    if points >= REDUCED_POINTS:
        return _REDUCED
    if points >= MINIMUM_POINTS:
        return _MINIMUM
    return _RECOVERY


def _baseline_offset(readiness_history: tuple[int, ...]) -> int:
    """§3.4: how far this athlete's usual readiness sits from 18, clamped to ±3."""
    if len(readiness_history) < BASELINE_MIN_ENTRIES:
        return 0
    median = Fraction(statistics.median(readiness_history))
    offset = round_half_away_from_zero(median - BASELINE_POINTS)
    return max(-BASELINE_MAX_OFFSET, min(BASELINE_MAX_OFFSET, offset))


def _readiness_pct(points: int) -> int:
    # Exact fraction and half-away-from-zero, so the same points always show the same percent.
    return round_half_away_from_zero(Fraction(100 * (points - 6), 24))


def _global_caps(
    *,
    checkin: CheckIn,
    run: RunContext,
    history: History,
    s: int,
    f: int,
    q: int,
    t: int,
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Caps that do not depend on the exercise's regions: (leg caps, non-leg caps)."""
    legs: list[tuple[str, int]] = []
    other: list[tuple[str, int]] = []

    def both(code: str, limit: int) -> None:
        legs.append((code, limit))
        other.append((code, limit))

    days = run.days_to_race
    if days is not None:
        if days <= RACE_SKIP_DAYS:
            legs.append(("RACE_SKIP", _SKIP))
            other.append(("RACE_SKIP", _MINIMUM))
        elif days <= RACE_MIN_DAYS:
            legs.append(("RACE_MIN", _MINIMUM))
            other.append(("RACE_MIN", _REDUCED))
        elif days <= RACE_TAPER_DAYS:
            both("RACE_TAPER", _REDUCED)

    if f == 1:
        both("F1", _MINIMUM)
    if checkin.soreness == 1:
        legs.append(("S1", _MINIMUM))
    elif checkin.soreness == 2:
        legs.append(("S2", _REDUCED))
    hours = run.hours_since_hard
    if checkin.soreness is None and hours is not None and hours < ASSUMED_SORE_HOURS:
        legs.append(("ASSUMED_SORE", _REDUCED))

    if hours is None:
        legs.append(("RUN_UNKNOWN", _NORMAL))
    else:
        if run.is_race:
            if hours < RECENT_RUN_HOURS:
                legs.append(("POST_RACE", _MINIMUM))
            elif hours < POST_RACE_HOURS:
                legs.append(("POST_RACE", _REDUCED))
        if run.is_big:
            if hours < RECENT_RUN_HOURS:
                legs.append(("RUN_BIG", _REDUCED))
            elif hours < BIG_RUN_HOURS:
                legs.append(("RUN_BIG", _NORMAL))
        if hours < RECENT_RUN_HOURS:
            legs.append(("RUN_HARD", _NORMAL))

    key = run.hours_to_next_key
    if key is not None:
        if key < NEXT_KEY_NEAR_HOURS:
            legs.append(("NEXT_KEY", _REDUCED))
        elif key < NEXT_KEY_HOURS:
            legs.append(("NEXT_KEY", _NORMAL))

    strength = history.hours_since_strength
    if strength is not None:
        if strength < STRENGTH_NEAR_HOURS:
            both("STRENGTH_24", _MINIMUM)
        elif strength < STRENGTH_HOURS:
            both("STRENGTH_48", _NORMAL)
    if history.strength_sessions_last7 >= STRENGTH_FREQ_SESSIONS:
        both("STRENGTH_FREQ", _REDUCED)

    if history.completed_sessions < NEW_USER_SESSIONS:
        both("NEW_USER", _REDUCED)
    elif history.completed_sessions < NEW_USER_EARLY_SESSIONS:
        both("NEW_USER_EARLY", _NORMAL)
    # hours_since_strength None counts as "never", as for the weekly floor (§3.6).
    if history.completed_sessions >= 1 and (strength is None or strength >= REENTRY_HOURS):
        both("REENTRY", _REDUCED)

    if min(s, f, q, t) <= WEAK_LINK_RATING:
        legs.append(("WEAK_LINK", _NORMAL))
    if min(f, q, t) <= WEAK_LINK_RATING:
        other.append(("WEAK_LINK", _NORMAL))
    ratings = (checkin.soreness, checkin.fatigue, checkin.sleep, checkin.stress)
    if any(rating is None for rating in ratings):
        both("MISSING", _NORMAL)
    return legs, other


def _pain_caps(item: RoutineItem, pains: tuple[Pain, ...]) -> list[tuple[str, int]]:
    caps: list[tuple[str, int]] = []
    for pain in pains:
        if pain.is_red:
            if item.loads(pain.region):
                caps.append(("PAIN_RED", _SKIP))
            elif item.is_legs:
                caps.append(("PAIN_OTHER", _REDUCED))
        elif item.loads(pain.region):
            if pain.nrs >= PAIN_SKIP_NRS:
                caps.append(("PAIN_SKIP", _SKIP))
            elif pain.nrs >= 1:
                caps.append(("PAIN_MILD", _REDUCED))
    return caps


def _skipped(key: str, reason: str) -> ExercisePlan:
    # Decision: a skipped exercise reports tier RECOVERY (no dose), whatever skipped it.
    return ExercisePlan(key, "skip", RECOVERY, 0, None, None, None, None, None, reason, None)


def _estimate(exercises: list[ExercisePlan], routine: tuple[RoutineItem, ...]) -> float:
    work = sum(
        plan.sets * item.minutes_per_set for plan, item in zip(exercises, routine, strict=True)
    )
    return WARMUP_MINUTES + work if work > 0 else 0.0


def _stopped_plan(routine: tuple[RoutineItem, ...], code: str) -> Plan:
    # §3.1: nothing else is evaluated. readiness_pct is reported as 0 (not the -25 the
    # formula would give for 0 points), and nothing is done, so nothing can progress.
    exercises = tuple(_skipped(item.key, code) for item in routine)
    return Plan(0, 0, RECOVERY, code, exercises, 0.0, (code,), False)


def _validate_plan_inputs(
    checkin: object,
    run: object,
    history: object,
    routine: object,
    time_available: object,
    personal_baseline: object,
) -> tuple[RoutineItem, ...]:
    if not isinstance(checkin, CheckIn):
        raise ValueError(f"checkin must be a CheckIn, got {checkin!r}")
    if not isinstance(run, RunContext):
        raise ValueError(f"run must be a RunContext, got {run!r}")
    if not isinstance(history, History):
        raise ValueError(f"history must be a History, got {history!r}")
    if isinstance(routine, (str, bytes)) or not isinstance(routine, Iterable):
        raise ValueError(f"routine must be a sequence of RoutineItem, got {routine!r}")
    items = tuple(routine)
    if not items or not all(isinstance(item, RoutineItem) for item in items):
        raise ValueError("routine must be a non-empty sequence of RoutineItem")
    keys = [item.key for item in items]
    if len(set(keys)) != len(keys):
        raise ValueError("routine has duplicate keys")
    if time_available is not None:
        _check_number("time_available", time_available, 0)
    _check_bool("personal_baseline", personal_baseline)
    return items


def plan_session(
    *,
    checkin: CheckIn,
    run: RunContext,
    history: History,
    routine: Iterable[RoutineItem],
    time_available: float | None = None,
    personal_baseline: bool = False,
) -> Plan:
    """Turn today's check-in, last hard run and strength history into today's session.

    The check-in sets a base tier (subjective measures track load best); the run, the
    strength history and pain only add caps, and the lowest cap wins, so a better answer
    can never mean less training. Leg and non-leg work are capped separately because a hard
    run or sore legs say nothing about the core. Then the weekly set limit and the time
    budget trim sets, and every exercise keeps one reason code the UI can explain.
    """
    items = _validate_plan_inputs(checkin, run, history, routine, time_available, personal_baseline)
    if checkin.urgent:
        return _stopped_plan(items, "URGENT")
    if checkin.ill:
        return _stopped_plan(items, "ILL")

    hours = run.hours_since_hard
    s = checkin.soreness
    if s is None:
        soon_after_hard = hours is not None and hours < ASSUMED_SORE_HOURS
        s = ASSUMED_SORENESS if soon_after_hard else MISSING_RATING
    f = MISSING_RATING if checkin.fatigue is None else checkin.fatigue
    q = MISSING_RATING if checkin.sleep is None else checkin.sleep
    t = MISSING_RATING if checkin.stress is None else checkin.stress
    points = 2 * s + 2 * f + q + t
    points_core = 2 * max(s, 3) + 2 * f + q + t
    offset = _baseline_offset(history.readiness_history) if personal_baseline else 0
    leg_base = _tier_for_points(points - offset)
    other_base = _tier_for_points(points_core - offset)

    race_soon = run.days_to_race is not None and run.days_to_race <= RACE_SKIP_DAYS
    base_recovery = leg_base == _RECOVERY
    floor = False
    if base_recovery:
        strength = history.hours_since_strength
        floor = (
            (strength is None or strength >= FLOOR_HOURS)
            and history.completed_sessions >= FLOOR_MIN_SESSIONS
            and not any(pain.is_red for pain in checkin.pains)
            and not race_soon
        )
        leg_base = other_base = _MINIMUM if floor else _RECOVERY

    leg_caps, other_caps = _global_caps(
        checkin=checkin, run=run, history=history, s=s, f=f, q=q, t=t
    )

    exercises: list[ExercisePlan] = []
    for item in items:
        base = leg_base if item.is_legs else other_base
        caps = (leg_caps if item.is_legs else other_caps) + _pain_caps(item, checkin.pains)
        skips = [code for code, limit in caps if limit == _SKIP]
        if skips:
            exercises.append(_skipped(item.key, min(skips, key=SKIP_PRIORITY.index)))
            continue
        final = min([base] + [limit for _, limit in caps])
        candidates = [
            code for code, limit in caps if limit == final and (limit < base or limit < _NORMAL)
        ]
        if floor:
            candidates.append("FLOOR")
        if candidates:
            reason = min(candidates, key=_REASON_INDEX.__getitem__)
        else:
            reason = f"BASE_{TIERS[final]}"
        if final == _RECOVERY:
            exercises.append(_skipped(item.key, reason))
            continue

        sets, rir = DOSES[TIERS[final]]
        rep_min, rep_max = item.rep_min, item.rep_max
        if item.is_fixed:
            sets = _fixed_sets(item.fixed_sets, final)
            rep_min = rep_max = item.fixed_reps
        remaining = WEEKLY_SET_LIMIT - history.sets_last7.get(item.key, 0)
        if remaining < sets:
            if remaining <= 0:
                exercises.append(_skipped(item.key, "WEEKLY_CAP"))
                continue
            sets, reason = remaining, "WEEKLY_CAP"
        level = item.level
        if any(code in ("PAIN_MILD", "REENTRY") for code, _ in caps):
            # One step easier for today only, never below level 1 (§4).
            level = max(1, min(item.max_level, item.level - 1))
        exercises.append(
            ExercisePlan(
                key=item.key,
                action="do",
                tier=TIERS[final],
                sets=sets,
                rep_min=rep_min,
                rep_max=rep_max,
                target_rir=rir,
                target_rpe=10 - rir,
                level=level,
                reason=reason,
                # Every active exercise gets the in-session pain limit, not only PAIN_MILD
                # ones: a pain can start mid-session (spec default of next_set_action).
                pain_stop_nrs=PAIN_STOP_NRS,
            )
        )

    if time_available is not None:
        _fit_time(exercises, items, time_available)

    advisories: list[str] = []
    if any(pain.is_red for pain in checkin.pains):
        advisories.append("PAIN_RED")
    if any(not pain.is_red and pain.nrs >= PAIN_SKIP_NRS for pain in checkin.pains):
        advisories.append("PAIN_SKIP")
    # "Within 72 h" read as < 72 h, the same window as RUN_BIG's 48-71 h; no time, no advisory.
    if run.is_spike and hours is not None and hours < SPIKE_ADVISORY_HOURS:
        advisories.append("SPIKE")

    return Plan(
        readiness_points=points,
        readiness_pct=_readiness_pct(points),
        tier=_session_tier(exercises, items),
        headline_reason=_headline(exercises, items, base_recovery and not floor),
        exercises=tuple(exercises),
        est_minutes=_estimate(exercises, items),
        advisories=tuple(advisories),
        allow_progression=not (
            run.days_to_race is not None and run.days_to_race <= RACE_TAPER_DAYS
        ),
    )


def _fixed_sets(fixed_sets: int, tier: int) -> int:
    """§5.7: the coach's sets on a good day (a good day does not add), half (rounded up) on
    a REDUCED day, one on a MINIMUM day; the caps have already chosen the tier."""
    if tier >= _NORMAL:
        return fixed_sets
    if tier == _REDUCED:
        return -(-fixed_sets // 2)
    return 1


def _fit_time(
    exercises: list[ExercisePlan], routine: tuple[RoutineItem, ...], time_available: float
) -> None:
    """§5.5: trim sets, then whole exercises, until the estimate fits the time available.

    Sets go first from the exercise with the most sets, so the session stays balanced; ties
    (and drops) hit the lowest keep priority (largest number), then the later routine item.
    """
    while _estimate(exercises, routine) > time_available:
        active = [i for i, plan in enumerate(exercises) if plan.action == "do"]
        if not active:
            return
        if any(exercises[i].sets > 1 for i in active):
            index = max(active, key=lambda i: (exercises[i].sets, routine[i].keep_priority, i))
            plan = exercises[index]
            exercises[index] = _replace_sets(plan, plan.sets - 1, "TIME")
        else:
            index = max(active, key=lambda i: (routine[i].keep_priority, i))
            exercises[index] = _skipped(exercises[index].key, "TIME_SKIP")


def _replace_sets(plan: ExercisePlan, sets: int, reason: str) -> ExercisePlan:
    return ExercisePlan(
        plan.key,
        plan.action,
        plan.tier,
        sets,
        plan.rep_min,
        plan.rep_max,
        plan.target_rir,
        plan.target_rpe,
        plan.level,
        reason,
        plan.pain_stop_nrs,
    )


def _session_tier(exercises: list[ExercisePlan], routine: tuple[RoutineItem, ...]) -> str:
    active = [
        (plan, item) for plan, item in zip(exercises, routine, strict=True) if plan.action == "do"
    ]
    legs = [plan for plan, item in active if item.is_legs]
    pool = legs or [plan for plan, _ in active]
    if not pool:
        return RECOVERY
    return max((plan.tier for plan in pool), key=_TIER_INDEX.__getitem__)


def _headline(
    exercises: list[ExercisePlan], routine: tuple[RoutineItem, ...], base_recovery: bool
) -> str:
    listed = [plan.reason for plan in exercises if plan.reason in _REASON_INDEX]
    if listed:
        return min(listed, key=_REASON_INDEX.__getitem__)
    by_keep = sorted(range(len(routine)), key=lambda i: (routine[i].keep_priority, i))
    for i in by_keep:
        if exercises[i].action == "do":
            return exercises[i].reason
    if base_recovery:
        return "BASE_RECOVERY"
    # The spec says TIME_SKIP here; when no exercise was dropped for time, everything left
    # was stopped by the weekly set limit, and saying TIME_SKIP would be untrue.
    if any(plan.reason == "TIME_SKIP" for plan in exercises):
        return "TIME_SKIP"
    return "WEEKLY_CAP"
