"""The in-session rules (spec §6) and the move along a ladder between sessions (§7)."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from sessions.volume.records import (
    SessionLog,
    _check_bool,
    _check_int,
    _check_number,
    _check_rep_range,
    _is_number,
    round_half_away_from_zero,
)
from sessions.volume.terms import (
    ADD_REPS_STEP,
    ADVANCE_RIR_GAP,
    AIM_EASY_GAP,
    AIM_EASY_STEP,
    AIM_HARD_GAP,
    AIM_HARD_STEP,
    AIM_STEP,
    EASY_RIR_GAP,
    FAST_TRACK_EXTRA_REPS,
    FAST_TRACK_RIR_GAP,
    FATIGUE_RIR_GAP,
    FATIGUE_STOPS_FOR_ONE_SET,
    MAX_REPS,
    NORMAL,
    PAIN_STOP_NRS,
    PLUS,
    REDUCE_REPS_STEP,
    SUCCESS_MIN_SETS,
    TIERS,
)

# --------------------------------------------------------------------------------------------
# In-session rules
# --------------------------------------------------------------------------------------------


def next_set_action(
    *,
    target_rir: int,
    set_number: int,
    reps: int,
    rir: float,
    rep_min: int,
    rep_max: int,
    pain_nrs: int = 0,
    harder_before: bool = False,
    pain_stop_nrs: int = PAIN_STOP_NRS,
) -> tuple[str, int | None]:
    """Decide what to do after a set from the reps done and the reps left in reserve.

    Pain and failure stop at once. A set that was much harder than planned (>= 1.5 RIR) cuts
    the target on the first set, and stops the exercise when it repeats, because accumulated
    fatigue is what the runner must avoid before tomorrow's run. Sets that were clearly too
    easy raise the reps or the level. Returns ``(action, next reps target or None)``.
    """
    _check_int("target_rir", target_rir, 0)
    _check_int("set_number", set_number, 1)
    _check_int("reps", reps, 0)
    _check_number("rir", rir, 0)
    _check_rep_range(rep_min, rep_max)
    _check_int("pain_nrs", pain_nrs, 0, 10)
    _check_bool("harder_before", harder_before)
    _check_int("pain_stop_nrs", pain_stop_nrs, 0, 10)

    delta = target_rir - rir  # > 0: harder than planned
    if pain_nrs > pain_stop_nrs:
        return "stop_pain", None
    if rir == 0:
        return "stop_failure", None
    if delta >= FATIGUE_RIR_GAP:
        if set_number >= 2 or harder_before:
            return "stop_fatigue", None
        if reps < rep_min:
            return "regress_level", rep_min
        return "reduce_reps", max(rep_min, reps - REDUCE_REPS_STEP)
    if delta <= -ADVANCE_RIR_GAP and reps >= rep_max:
        return "advance_level", rep_min
    if delta <= -EASY_RIR_GAP:
        if reps < rep_max:
            return "add_reps", min(rep_max, reps + ADD_REPS_STEP)
        # The spec gives no next target for too_easy; keep the reps, as for "continue".
        return "too_easy", reps
    return "continue", reps


def remaining_leg_sets(*, fatigue_stops: int, planned_sets: int) -> int:
    """§6 session rule: after stop_fatigue on 2 leg exercises, later leg exercises get 1 set.

    Two fatigue stops mean the legs are more tired than the check-in showed; one set keeps
    the habit without adding fatigue. ``planned_sets`` of 0 stays 0.
    """
    _check_int("fatigue_stops", fatigue_stops, 0)
    _check_int("planned_sets", planned_sets, 0)
    if fatigue_stops >= FATIGUE_STOPS_FOR_ONE_SET:
        return min(planned_sets, 1)
    return planned_sets


# --------------------------------------------------------------------------------------------
# Progression
# --------------------------------------------------------------------------------------------


def _is_success(log: SessionLog, rep_max: int) -> bool:
    # >= 2 sets, so MINIMUM (1-set) sessions never count (§7).
    return len(log.sets) >= SUCCESS_MIN_SETS and all(
        reps >= rep_max and rir >= log.target_rir for reps, rir in log.sets
    )


def _first_set_too_hard(log: SessionLog) -> bool:
    return bool(log.sets) and log.target_rir - log.sets[0][1] >= FATIGUE_RIR_GAP


def _fast_track(log: SessionLog, rep_max: int) -> bool:
    # Decision: like two successes, a fast track only counts at the current level.
    if not log.sets or not log.same_level:
        return False
    reps, rir = log.sets[0]
    return (reps >= rep_max and rir >= log.target_rir + FAST_TRACK_RIR_GAP) or (
        reps >= rep_max + FAST_TRACK_EXTRA_REPS and rir >= log.target_rir
    )


def progression_decision(
    *,
    level: int,
    max_level: int,
    sessions: Iterable[SessionLog],
    rep_min: int,
    rep_max: int,
    allow: bool = True,
    dumbbells: Iterable[float] = (),
    load_kg: float | None = None,
    loadable: bool = False,
) -> tuple[str, int, float | None]:
    """Decide between sessions whether an exercise regresses, holds, adds load or advances.

    Regression comes first (a session that had to drop a level, or two sessions whose first
    set was much too hard): overreaching is the costly mistake for a runner. Progress needs
    evidence: two successes in a row at this level, or one clearly easy first set (fast
    track). A loadable level takes the next heavier dumbbell before changing the movement.
    Race weeks hold. Returns ``(decision, new_level, new_load_kg)``.
    """
    _check_int("max_level", max_level, 1)
    _check_int("level", level, 1, max_level)
    _check_rep_range(rep_min, rep_max)
    _check_bool("allow", allow)
    _check_bool("loadable", loadable)
    if isinstance(sessions, (str, bytes)) or not isinstance(sessions, Iterable):
        raise ValueError(f"sessions must be a sequence of SessionLog, got {sessions!r}")
    logs = tuple(sessions)
    if not all(isinstance(log, SessionLog) for log in logs):
        raise ValueError("sessions must contain only SessionLog objects")
    if isinstance(dumbbells, (str, bytes)) or not isinstance(dumbbells, Iterable):
        raise ValueError(f"dumbbells must be a sequence of weights in kg, got {dumbbells!r}")
    weights = tuple(dumbbells)
    for weight in weights:
        if not _is_number(weight) or weight <= 0:
            raise ValueError(f"dumbbells must be positive weights in kg, got {weight!r}")
    if load_kg is not None:
        _check_number("load_kg", load_kg, 0)

    # The load is only changed by add_load; what a new level starts with is the app's call.
    regressed = ("regress", max(1, level - 1), load_kg)
    if logs and logs[-1].regressed_in_session:
        return regressed
    if len(logs) >= 2 and all(_first_set_too_hard(log) for log in logs[-2:]):
        return regressed
    if not allow:
        return "hold", level, load_kg
    two_successes = len(logs) >= 2 and all(
        log.same_level and _is_success(log, rep_max) for log in logs[-2:]
    )
    if not (two_successes or (logs and _fast_track(logs[-1], rep_max))):
        return "hold", level, load_kg
    if loadable:
        # No load yet: the lightest dumbbell is the next heavier one.
        heavier = [w for w in weights if load_kg is None or w > load_kg]
        if heavier:
            return "add_load", level, min(heavier)
    if level < max_level:
        return "advance", level + 1, load_kg
    return "hold", level, load_kg


# --------------------------------------------------------------------------------------------
# Today's aim
# --------------------------------------------------------------------------------------------


def rep_aim(*, rep_min: int, rep_max: int, tier: str, last: SessionLog | None = None) -> int:
    """§7.5: the reps to aim for in today's first set (double progression).

    A first set that went as planned asks for one rep more next time, an easy one for two,
    a hard one for fewer; the aim stays in the range, so a set at the top of the range is
    what §7 counts as a success and the ladder moves on. Without a comparable last session
    (none, another level, no sets) the aim is a third of the way up the range. A lighter
    day (below NORMAL) never asks for more than last time.
    """
    _check_int("rep_min", rep_min, 1, MAX_REPS)
    _check_int("rep_max", rep_max, 1, MAX_REPS)
    if rep_max < rep_min:
        raise ValueError(f"rep_max must be >= rep_min, got {rep_min!r}..{rep_max!r}")
    if tier not in TIERS:
        raise ValueError(f"tier must be one of {', '.join(TIERS)}, got {tier!r}")
    if last is not None and not isinstance(last, SessionLog):
        raise ValueError(f"last must be a SessionLog or None, got {last!r}")
    if rep_min == rep_max:
        return rep_min
    if last is None or not last.same_level or not last.sets:
        return rep_min + round_half_away_from_zero(Fraction(rep_max - rep_min, 3))
    reps, rir = last.sets[0]
    gap = rir - last.target_rir
    if gap >= AIM_EASY_GAP:
        aim = reps + AIM_EASY_STEP
    elif gap >= 0:
        aim = reps + AIM_STEP
    elif gap > -AIM_HARD_GAP:
        # d = -1, and a fractional RIR between -2 and 0, keeps the reps.
        aim = reps
    else:
        aim = reps - AIM_HARD_STEP
    if tier not in (NORMAL, PLUS):
        aim = min(aim, reps)
    return max(rep_min, min(rep_max, aim))
