"""The engine's vocabulary and numbers: tiers, regions, reason codes and every threshold.

Each number cites the spec section it comes from; the ones marked (tunable) are judgement
calls the spec expects to be adjusted with experience.
"""

from __future__ import annotations

from collections.abc import Mapping
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

# §5.7: a coach's fixed dose. The bounds are what a person can do, not training advice.
MAX_FIXED_SETS = 10
MAX_REPS = 300  # reps (or seconds) in one set, for a fixed dose and for today's aim

# §7.5: today's aim from the last session's first set, by d = rir - target_rir.
AIM_EASY_GAP = 2  # d >= 2: two more reps
AIM_EASY_STEP = 2
AIM_STEP = 1  # d >= 0: one more rep
AIM_HARD_GAP = 2  # d <= -2: two fewer reps
AIM_HARD_STEP = 2
