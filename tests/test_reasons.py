"""The sentences behind the engine's codes (sessions/reasons.py): one for every code.

The engine returns codes only; a code without words here would show the athlete nothing.
"""

from sessions.reasons import ADVISORY_TEXT, REASON_TEXT, SET_ACTION_TEXT
from sessions.volume import REASON_PRIORITY, SET_ACTIONS, TIERS


def test_it_explains_every_reason_in_one_sentence():
    codes = set(REASON_PRIORITY) | {f"BASE_{tier}" for tier in TIERS}
    codes |= {"WEEKLY_CAP", "TIME", "TIME_SKIP"}
    assert codes <= set(REASON_TEXT)
    for text in REASON_TEXT.values():
        assert text.endswith(".") and text[0].isupper()
    assert set(ADVISORY_TEXT) == {
        "URGENT",
        "ILL",
        "PAIN_RED",
        "PAIN_SKIP",
        "SPIKE",
        "PAIN_PERSIST",
        "LOW_STREAK",
    }
    assert "get emergency help now" in ADVISORY_TEXT["URGENT"]


def test_it_words_every_set_action_with_its_next_target():
    assert set(SET_ACTION_TEXT) == set(SET_ACTIONS)
    stops = {"stop_fatigue", "stop_pain", "stop_failure"}
    for action, text in SET_ACTION_TEXT.items():
        assert ("{reps}" in text) == (action not in stops), action
        assert text.format(reps=8)
