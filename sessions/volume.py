"""Fatigue-adjusted volume: HomeStrength's pure training engine.

Implements ``shared/docs/fatigue-adjusted-volume.md`` (spec v1). A runner's check-in, last
hard run and strength history become today's sets, reps and effort (``plan_session``); the
plan reacts set by set (``next_set_action``); exercises move along their ladder between
sessions (``progression_decision``).

Why it looks like this:

* Five discrete tiers instead of a formula, so every dose is easy to explain and to test.
* Every modifier is a cap combined with ``min()``, so a better answer can never produce less
  training, whatever the order in which the caps are evaluated.
* Prescribed effort never goes below 2 reps in reserve: runners save exhaustion for races.
* Pure: standard library only, no I/O, no clock, no Django. Inputs in, plan out, so every
  rule is a unit test and the web app stays a thin shell around it.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType

# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

TIERS: tuple[str, ...] = ("RECOVERY", "MINIMUM", "REDUCED", "NORMAL", "PLUS")
RECOVERY, MINIMUM, REDUCED, NORMAL, PLUS = TIERS

REGIONS: tuple[str, ...] = (
    "foot_ankle",
    "achilles_calf",
    "shin",
    "knee",
    "hip_groin",
    "hamstring_glute",
    "low_back",
    "other_leg",
)
AREAS: tuple[str, ...] = ("legs", "core", "upper")
LEGS = "legs"
OTHER_LEG = "other_leg"  # every leg exercise loads this region (spec §4)

# §5.3: the first candidate in this order explains an exercise; also orders the headline.
REASON_PRIORITY: tuple[str, ...] = (
    "URGENT",
    "ILL",
    "PAIN_RED",
    "PAIN_SKIP",
    "PAIN_OTHER",
    "PAIN_MILD",
    "RACE_SKIP",
    "RACE_MIN",
    "RACE_TAPER",
    "FLOOR",
    "F1",
    "S1",
    "POST_RACE",
    "S2",
    "ASSUMED_SORE",
    "RUN_BIG",
    "RUN_HARD",
    "NEXT_KEY",
    "STRENGTH_24",
    "STRENGTH_FREQ",
    "STRENGTH_48",
    "REENTRY",
    "NEW_USER",
    "NEW_USER_EARLY",
    "WEAK_LINK",
    "MISSING",
    "RUN_UNKNOWN",
)
# Skip caps, strongest first (§5.1).
SKIP_PRIORITY: tuple[str, ...] = ("PAIN_RED", "PAIN_SKIP", "RACE_SKIP")

ACTIONS: tuple[str, ...] = ("do", "skip")
SET_ACTIONS: tuple[str, ...] = (
    "continue",
    "reduce_reps",
    "regress_level",
    "stop_fatigue",
    "stop_pain",
    "stop_failure",
    "advance_level",
    "add_reps",
    "too_easy",
)
DECISIONS: tuple[str, ...] = ("regress", "hold", "add_load", "advance")

# --------------------------------------------------------------------------------------------
# Constants. Those the spec marks *(tunable)* are design choices, not validated values; the
# other thresholds are kept here too so that every number of the contract is in one place.
# --------------------------------------------------------------------------------------------

MISSING_RATING = 3  # §3.2: an unanswered item counts as average
ASSUMED_SORENESS = 2  # §3.2: unanswered soreness soon after a hard run counts as sore
ASSUMED_SORE_HOURS = 48

# §3.5: minimum readiness points for each tier (below MINIMUM_POINTS is RECOVERY).
PLUS_POINTS = 23
NORMAL_POINTS = 17
REDUCED_POINTS = 14
MINIMUM_POINTS = 9
# §3.5: dose per tier as (sets, target RIR).
DOSES: Mapping[str, tuple[int, int]] = MappingProxyType(
    {PLUS: (4, 2), NORMAL: (3, 2), REDUCED: (2, 3), MINIMUM: (1, 3), RECOVERY: (0, 0)}
)

# §3.4: personal baseline.
BASELINE_MIN_ENTRIES = 14
BASELINE_POINTS = 18  # all items at 3
BASELINE_MAX_OFFSET = 3

# §3.6: weekly floor.
FLOOR_HOURS = 144  # 6 days without strength work
FLOOR_MIN_SESSIONS = 1

# §4: caps.
PAIN_RED_NRS = 6  # NRS >= 6 (or a red flag) counts as red
PAIN_SKIP_NRS = 4  # NRS 4..5 skips the exercises loading the region
PAIN_STOP_NRS = 3  # in-session pain limit (Silbernagel pain-monitoring model)
RACE_SKIP_DAYS = 2
RACE_MIN_DAYS = 5
RACE_TAPER_DAYS = 10
BIG_RUN_SRPE = 600  # (tunable) rpe x minutes, Foster 2001 session RPE
SPIKE_RATIO = 1.10  # (tunable) run > 10 % longer than the longest of the previous 30 days
SPIKE_ADVISORY_HOURS = 72
RECENT_RUN_HOURS = 48
BIG_RUN_HOURS = 72
POST_RACE_HOURS = 96
NEXT_KEY_NEAR_HOURS = 24
NEXT_KEY_HOURS = 48
STRENGTH_NEAR_HOURS = 24
STRENGTH_HOURS = 48
STRENGTH_FREQ_SESSIONS = 3
NEW_USER_SESSIONS = 2
NEW_USER_EARLY_SESSIONS = 4  # 2..3 completed sessions
REENTRY_HOURS = 14 * 24
WEAK_LINK_RATING = 2

# §5.4 / §5.5.
WEEKLY_SET_LIMIT = 10  # (tunable) working sets per exercise in 7 days
WARMUP_MINUTES = 5.0

# §6 / §7.
FATIGUE_RIR_GAP = 1.5  # "harder than planned" by this many reps in reserve
ADVANCE_RIR_GAP = 3
EASY_RIR_GAP = 2
REDUCE_REPS_STEP = 2
ADD_REPS_STEP = 2
FATIGUE_STOPS_FOR_ONE_SET = 2  # after this many leg exercises stopped for fatigue
FAST_TRACK_RIR_GAP = 3
FAST_TRACK_EXTRA_REPS = 5
SUCCESS_MIN_SETS = 2  # so MINIMUM (1-set) sessions never count

# --------------------------------------------------------------------------------------------
# Texts for the UI (one plain sentence each; training guidance, never diagnosis)
# --------------------------------------------------------------------------------------------

REASON_TEXT: Mapping[str, str] = MappingProxyType(
    {
        "URGENT": "Your symptoms need a doctor today, so there is no training.",
        "ILL": "You're unwell, so today is a rest day.",
        "PAIN_RED": "This exercise loads the spot that hurts badly, so leave it out today.",
        "PAIN_SKIP": "This exercise loads the spot that hurts, so leave it out today.",
        "PAIN_OTHER": "You have a painful spot, so your other leg work is lighter today.",
        "PAIN_MILD": "This loads a mildly sore spot, so it's lighter and one level easier; "
        "stop if the pain goes above 3 out of 10.",
        "RACE_SKIP": "Your race is within two days, so no leg work and only a little else.",
        "RACE_MIN": "Your race is a few days away, so today is a very light session.",
        "RACE_TAPER": "You're tapering for your race, so the session is lighter.",
        "FLOOR": "It's been a week without strength work, so do a short session to keep it.",
        "F1": "You're very tired, so today is a very light session.",
        "S1": "Your legs are very sore, so today is a very light leg day.",
        "POST_RACE": "You raced recently, so your legs get a lighter day.",
        "S2": "Your legs are sore, so today is a lighter leg day.",
        "ASSUMED_SORE": "You ran hard recently and didn't rate soreness, so legs go lighter.",
        "RUN_BIG": "Your last run was a big one, so your legs get less work today.",
        "RUN_HARD": "You ran hard in the last two days, so no extra leg sets today.",
        "NEXT_KEY": "You have a key run coming up, so legs are kept fresh for it.",
        "STRENGTH_24": "You did strength work less than a day ago, so today is very light.",
        "STRENGTH_FREQ": "You've already done three strength sessions this week, so go lighter.",
        "STRENGTH_48": "You did strength work in the last two days, so no extra sets today.",
        "REENTRY": "It's been two weeks or more since your last session, so ease back in.",
        "NEW_USER": "You're just starting, so the first sessions are kept short.",
        "NEW_USER_EARLY": "You're still new to this, so no extra sets yet.",
        "WEAK_LINK": "One of your check-in answers was low, so no extra sets today.",
        "MISSING": "Some check-in questions were skipped, so no extra sets today.",
        "RUN_UNKNOWN": "We don't know when you last ran hard, so no extra leg sets today.",
        "BASE_RECOVERY": "Your check-in says you need rest, so skip strength work today.",
        "BASE_MINIMUM": "Your check-in is low, so do just one easy set.",
        "BASE_REDUCED": "Your check-in is a bit low, so today is a lighter session.",
        "BASE_NORMAL": "You're good to go for a normal session.",
        "BASE_PLUS": "You feel fresh, so today you can do an extra set.",
        "WEEKLY_CAP": "You've already done plenty of this exercise this week.",
        "TIME": "A set was dropped to fit the time you have.",
        "TIME_SKIP": "This exercise was left out to fit the time you have.",
    }
)

ADVISORY_TEXT: Mapping[str, str] = MappingProxyType(
    {
        "URGENT": "These symptoms need a doctor today: please don't train or run until "
        "you've been checked.",
        "ILL": "Rest while you're unwell, and ease back in once you feel well again.",
        "PAIN_RED": "This pain has warning signs: get it assessed by a doctor or physio, and "
        "don't run or train through it.",
        "PAIN_SKIP": "Let the sore spot settle; if it isn't clearly better within 7 days, "
        "see a physio.",
        "SPIKE": "Your last run was much longer than usual; build distance up more gradually "
        "and give your legs time to recover.",
        "PAIN_PERSIST": "The same spot has bothered you for a week or several sessions in a "
        "row: have a physio or doctor assess it.",
        "LOW_STREAK": "Your readiness has been low for several days: consider an easier "
        "running week, and if it lasts two weeks or more, see a doctor.",
    }
)

SET_ACTION_TEXT: Mapping[str, str] = MappingProxyType(
    {
        "continue": "Right on target: aim for {reps} reps on the next set.",
        "reduce_reps": "That was harder than planned: aim for {reps} reps on the next set.",
        "regress_level": "Too hard at this level: go one level easier and aim for {reps} reps.",
        "stop_fatigue": "You're more tired than planned: stop this exercise for today.",
        "stop_pain": "The pain went above your limit: stop this exercise for today.",
        "stop_failure": "You went to failure: stop this exercise and keep reps in reserve.",
        "advance_level": "Too easy: go one level harder and aim for {reps} reps.",
        "add_reps": "That felt easy: aim for {reps} reps on the next set.",
        "too_easy": "Easy at the top of the range: keep to {reps} reps; "
        "you'll likely move up next time.",
    }
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

# §8: what each level is (1 -> top), and which levels take a dumbbell (for progression).
SEED_LEVEL_NAMES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "calf-raise": (
            "double-leg floor",
            "double-leg off a step",
            "single-leg off a step",
            "single-leg slow (3 s down, 1 s pause)",
            "single-leg + dumbbell",
        ),
        "squat": (
            "sit-to-stand to bench/chair",
            "bodyweight squat",
            "goblet squat (no dumbbell: 3-s lowering)",
            "split squat",
            "rear-foot-elevated split squat",
        ),
        "hip-thrust": (
            "glute bridge",
            "hip thrust, shoulders on bench",
            "hip thrust + dumbbell (none: single-leg bridge)",
            "single-leg hip thrust",
            "single-leg hip thrust + dumbbell",
        ),
        "step-up": (
            "low step",
            "bench height, 2-s lowering",
            "bench + dumbbells (none: 3-s lowering)",
            "bench + dumbbells, 3-s lowering",
        ),
        "core": (
            "dead bug / knee plank",
            "front + side plank",
            "plank with leg lift + side plank with leg raise",
            "hanging knee raise (bar) or long-lever plank",
            "hanging leg raise",
        ),
    }
)
SEED_LOADABLE_LEVELS: Mapping[str, frozenset[int]] = MappingProxyType(
    {
        "calf-raise": frozenset({5}),
        "squat": frozenset({3}),
        "hip-thrust": frozenset({3, 5}),
        "step-up": frozenset({3, 4}),
        "core": frozenset(),
    }
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
                rep_min=item.rep_min,
                rep_max=item.rep_max,
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
