"""Fixed doses on top of the engine's plan: a coach's "3 × 10" for one exercise.

The engine (``sessions.volume``) plans every exercise of the routine as always — tiers,
caps, pain, races, the weekly limit. A fixed item then takes the coach's sets × reps, with
the effort of the engine's tier (never closer to failure than 2 reps in reserve). A skip
stands: pain, illness, a race or a rest day still leave the exercise out, and the plan
says why. No database here; ``sessions.planning`` calls it after ``plan_session``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

from sessions import volume

FIXED = "FIXED"
MIN_TARGET_RIR = 2  # spec §1.6: never to failure
REASON_TEXT = {
    FIXED: _("Your coach set the sets and reps; the effort follows today's check-in."),
}


@dataclass(frozen=True)
class FixedDose:
    sets: int
    reps: int


def apply_fixed(
    plan: volume.Plan,
    routine: tuple[volume.RoutineItem, ...],
    fixed: Mapping[str, FixedDose],
) -> volume.Plan:
    """The plan with each fixed exercise (by key) at the coach's dose, unless it is skipped."""
    exercises = []
    for prescribed in plan.exercises:
        dose = fixed.get(prescribed.key)
        if dose is None or prescribed.action != "do":
            exercises.append(prescribed)
            continue
        rir = max(MIN_TARGET_RIR, prescribed.target_rir or MIN_TARGET_RIR)
        exercises.append(
            replace(
                prescribed,
                sets=dose.sets,
                rep_min=dose.reps,
                rep_max=dose.reps,
                target_rir=rir,
                target_rpe=10 - rir,
                reason=FIXED,
            )
        )
    minutes = {item.key: item.minutes_per_set for item in routine}
    work = sum(e.sets * minutes[e.key] for e in exercises)
    return replace(
        plan,
        exercises=tuple(exercises),
        est_minutes=volume.WARMUP_MINUTES + work if work > 0 else 0.0,
    )


def describe(code: str) -> str:
    return str(REASON_TEXT.get(code, ""))
