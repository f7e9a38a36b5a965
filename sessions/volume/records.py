"""The engine's inputs and outputs: frozen dataclasses that check their own values.

A bad value raises ValueError where it is built, so the rules in ``plan`` and
``progression`` can trust every field. ``SEED_ROUTINE`` is the spec's five moves (§8).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType

from sessions.volume.terms import (
    AREAS,
    BIG_RUN_SRPE,
    LEGS,
    MAX_FIXED_SETS,
    MAX_REPS,
    OTHER_LEG,
    PAIN_RED_NRS,
    REGIONS,
    SPIKE_RATIO,
)

# --------------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check_int(name: str, value: object, low: int, high: int | None = None) -> None:
    if not _is_int(value) or value < low or (high is not None and value > high):
        bounds = f"{low}..{high}" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be an integer {bounds}, got {value!r}")


def _check_number(name: str, value: object, low: float = 0, high: float | None = None) -> None:
    if not _is_number(value) or value < low or (high is not None and value > high):
        bounds = f"{low}..{high}" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be a number {bounds}, got {value!r}")


def _check_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}")


def _check_rep_range(rep_min: object, rep_max: object) -> None:
    _check_int("rep_min", rep_min, 1)
    _check_int("rep_max", rep_max, 1)
    if rep_max < rep_min:  # type: ignore[operator]
        raise ValueError(f"rep_max must be >= rep_min, got {rep_min!r}..{rep_max!r}")


def check_fixed_dose(fixed_sets: object, fixed_reps: object) -> None:
    """§5.7: a coach's dose is both numbers or neither, sets 1..10 and reps 1..300."""
    if fixed_sets is None and fixed_reps is None:
        return
    if fixed_sets is None or fixed_reps is None:
        missing = "fixed_sets" if fixed_sets is None else "fixed_reps"
        raise ValueError(f"{missing} must be given with the other half of a fixed dose")
    _check_int("fixed_sets", fixed_sets, 1, MAX_FIXED_SETS)
    _check_int("fixed_reps", fixed_reps, 1, MAX_REPS)


def round_half_away_from_zero(value: float | Fraction) -> int:
    """Round to the nearest integer, halves away from zero (2.5 -> 3, -2.5 -> -3).

    Python's ``round`` rounds halves to even, which would make a median of 20.5 and one of
    21.5 move the baseline by the same amount; the spec wants the schoolbook rule.
    """
    exact = Fraction(value)
    magnitude = math.floor(abs(exact) + Fraction(1, 2))
    return magnitude if exact >= 0 else -magnitude


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pain:
    """A sharp, local pain (joint, tendon, bone) in one region; NRS 0..10."""

    region: str
    nrs: int
    red_flag: bool = False

    def __post_init__(self) -> None:
        if self.region not in REGIONS:
            raise ValueError(f"region must be one of {', '.join(REGIONS)}, got {self.region!r}")
        _check_int("nrs", self.nrs, 0, 10)
        _check_bool("red_flag", self.red_flag)

    @property
    def is_red(self) -> bool:
        return self.red_flag or self.nrs >= PAIN_RED_NRS


@dataclass(frozen=True)
class CheckIn:
    """The daily check-in: ratings 1..5 (5 = best, None = not answered) and safety answers."""

    soreness: int | None = None
    fatigue: int | None = None
    sleep: int | None = None
    stress: int | None = None
    ill: bool = False
    urgent: bool = False
    pains: tuple[Pain, ...] = ()

    def __post_init__(self) -> None:
        for name in ("soreness", "fatigue", "sleep", "stress"):
            value = getattr(self, name)
            if value is not None:
                _check_int(name, value, 1, 5)
        _check_bool("ill", self.ill)
        _check_bool("urgent", self.urgent)
        if isinstance(self.pains, (str, bytes)) or not isinstance(self.pains, Iterable):
            raise ValueError(f"pains must be a sequence of Pain, got {self.pains!r}")
        pains = tuple(self.pains)
        if not all(isinstance(pain, Pain) for pain in pains):
            raise ValueError("pains must contain only Pain objects")
        object.__setattr__(self, "pains", pains)


@dataclass(frozen=True)
class RunContext:
    """The last hard run (if any) and what is coming up: key run, race."""

    hours_since_hard: float | None = None
    rpe: float | None = None
    minutes: float | None = None
    is_race: bool = False
    spike_ratio: float | None = None
    hours_to_next_key: float | None = None
    days_to_race: int | None = None

    def __post_init__(self) -> None:
        for name in ("hours_since_hard", "minutes", "spike_ratio", "hours_to_next_key"):
            value = getattr(self, name)
            if value is not None:
                _check_number(name, value, 0)
        if self.rpe is not None:
            _check_number("rpe", self.rpe, 0, 10)
        _check_bool("is_race", self.is_race)
        if self.days_to_race is not None:
            _check_int("days_to_race", self.days_to_race, 0)

    @property
    def is_big(self) -> bool:
        """A race, a session-RPE load >= 600, or a spike counts as a big run (§4)."""
        srpe_big = (
            self.rpe is not None
            and self.minutes is not None
            and self.rpe * self.minutes >= BIG_RUN_SRPE
        )
        return self.is_race or srpe_big or self.is_spike

    @property
    def is_spike(self) -> bool:
        return self.spike_ratio is not None and self.spike_ratio > SPIKE_RATIO


@dataclass(frozen=True)
class History:
    """Strength history: completed sessions, recency, frequency, sets per exercise key."""

    completed_sessions: int = 0
    hours_since_strength: float | None = None
    strength_sessions_last7: int = 0
    sets_last7: Mapping[str, int] = field(default_factory=dict)
    readiness_history: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        _check_int("completed_sessions", self.completed_sessions, 0)
        if self.hours_since_strength is not None:
            _check_number("hours_since_strength", self.hours_since_strength, 0)
        _check_int("strength_sessions_last7", self.strength_sessions_last7, 0)
        if not isinstance(self.sets_last7, Mapping):
            raise ValueError(f"sets_last7 must be a mapping, got {self.sets_last7!r}")
        for key, sets in self.sets_last7.items():
            _check_int(f"sets_last7[{key!r}]", sets, 0)
        # Read-only copy: the dataclass is frozen, its contents should be too.
        object.__setattr__(self, "sets_last7", MappingProxyType(dict(self.sets_last7)))
        if isinstance(self.readiness_history, (str, bytes)) or not isinstance(
            self.readiness_history, Iterable
        ):
            raise ValueError(
                f"readiness_history must be a sequence of points, got {self.readiness_history!r}"
            )
        points = tuple(self.readiness_history)
        for value in points:
            # 0 is what an urgent/ill check-in records (§3.1).
            _check_int("readiness_history", value, 0, 30)
        object.__setattr__(self, "readiness_history", points)


@dataclass(frozen=True)
class RoutineItem:
    """One exercise of the athlete's routine at its current level."""

    key: str
    area: str
    regions: frozenset[str]
    rep_min: int
    rep_max: int
    minutes_per_set: float
    keep_priority: int
    level: int
    max_level: int
    # §5.7: a coach's fixed dose (both or neither); None: the tiers set the sets and reps.
    fixed_sets: int | None = None
    fixed_reps: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key:
            raise ValueError(f"key must be a non-empty string, got {self.key!r}")
        if self.area not in AREAS:
            raise ValueError(f"area must be one of {', '.join(AREAS)}, got {self.area!r}")
        if isinstance(self.regions, str) or not isinstance(self.regions, Iterable):
            raise ValueError(f"regions must be a set of region names, got {self.regions!r}")
        regions = frozenset(self.regions)
        unknown = sorted(regions - set(REGIONS))
        if unknown:
            raise ValueError(f"regions has unknown region(s): {', '.join(map(repr, unknown))}")
        object.__setattr__(self, "regions", regions)
        _check_rep_range(self.rep_min, self.rep_max)
        if not _is_number(self.minutes_per_set) or self.minutes_per_set <= 0:
            raise ValueError(f"minutes_per_set must be > 0, got {self.minutes_per_set!r}")
        _check_int("keep_priority", self.keep_priority, 0)
        _check_int("max_level", self.max_level, 1)
        _check_int("level", self.level, 1, self.max_level)
        check_fixed_dose(self.fixed_sets, self.fixed_reps)

    @property
    def is_fixed(self) -> bool:
        return self.fixed_sets is not None

    @property
    def is_legs(self) -> bool:
        return self.area == LEGS

    def loads(self, region: str) -> bool:
        """Whether this exercise loads a painful region; every leg exercise loads other_leg."""
        return region in self.regions or (self.is_legs and region == OTHER_LEG)


def _seed(
    key: str,
    area: str,
    regions: tuple[str, ...],
    reps: tuple[int, int],
    minutes: float,
    keep: int,
    level: int,
    max_level: int,
) -> RoutineItem:
    rep_min, rep_max = reps
    return RoutineItem(
        key, area, frozenset(regions), rep_min, rep_max, minutes, keep, level, max_level
    )


# §8: the source article's five moves, at their starting levels.
SEED_ROUTINE: tuple[RoutineItem, ...] = (
    _seed("calf-raise", "legs", ("foot_ankle", "achilles_calf", "shin"), (8, 15), 2.0, 1, 2, 5),
    _seed("squat", "legs", ("shin", "knee", "hip_groin", "low_back"), (6, 12), 2.5, 4, 2, 5),
    _seed(
        "hip-thrust", "legs", ("hip_groin", "hamstring_glute", "low_back"), (8, 15), 2.0, 3, 1, 5
    ),
    _seed(
        "step-up",
        "legs",
        ("foot_ankle", "achilles_calf", "shin", "knee", "hip_groin", "hamstring_glute"),
        (6, 12),
        2.5,
        2,
        1,
        4,
    ),
    _seed("core", "core", ("low_back",), (8, 15), 1.5, 5, 2, 5),
)


# --------------------------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExercisePlan:
    """Today's prescription for one exercise. A skip has 0 sets and None for the dose."""

    key: str
    action: str
    tier: str
    sets: int
    rep_min: int | None
    rep_max: int | None
    target_rir: int | None
    target_rpe: int | None
    level: int | None
    reason: str
    pain_stop_nrs: int | None


@dataclass(frozen=True)
class Plan:
    """Today's session: readiness, overall tier, one headline reason, exercises, advisories."""

    readiness_points: int
    readiness_pct: int
    tier: str
    headline_reason: str
    exercises: tuple[ExercisePlan, ...]
    est_minutes: float
    advisories: tuple[str, ...]
    allow_progression: bool


@dataclass(frozen=True)
class SessionLog:
    """One past session of one exercise: (reps, rir) per set, oldest set first."""

    sets: tuple[tuple[int, float], ...]
    target_rir: int
    same_level: bool = True
    regressed_in_session: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.sets, (str, bytes)) or not isinstance(self.sets, Iterable):
            raise ValueError(f"sets must be a sequence of (reps, rir), got {self.sets!r}")
        sets = tuple(tuple(entry) for entry in self.sets)
        for entry in sets:
            if len(entry) != 2:
                raise ValueError(f"sets entries must be (reps, rir), got {entry!r}")
            _check_int("sets.reps", entry[0], 0)
            _check_number("sets.rir", entry[1], 0)
        object.__setattr__(self, "sets", sets)
        _check_int("target_rir", self.target_rir, 0)
        _check_bool("same_level", self.same_level)
        _check_bool("regressed_in_session", self.regressed_in_session)
