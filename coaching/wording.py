"""A session in a coach's words: what changed the plan, and which answer did it.

The athlete's pages speak to the athlete (``sessions.reasons``: "You're just starting, so
the first sessions are kept short"). The coach reads about the athlete, in short phrases
that name the cause ("Plan reduced by the check-in: legs very sore"). The codes are the
engine's (``sessions.volume``) plus coaching's own ``FIXED``; an unknown code reads as the
athlete's sentence rather than as nothing.
"""

from django.utils.translation import gettext_lazy as _

from sessions.forms import RATING_WORDS
from sessions.presentation import describe_reason

REDUCED_BY = _("Plan reduced by the check-in: %(cause)s")

REASON_TEXT = {
    "URGENT": _("No training: urgent symptoms reported, told to get emergency help."),
    "ILL": _("Rest day: unwell."),
    "PAIN_RED": _("Left out: loads the spot with warning signs."),
    "PAIN_SKIP": _("Left out: loads the spot that hurts."),
    "PAIN_OTHER": _("Other leg work lighter: a painful spot."),
    "PAIN_MILD": _("Lighter and one level easier: loads a mildly sore spot (stop above 3/10)."),
    "RACE_SKIP": _("No leg work: race within two days."),
    "RACE_MIN": _("Very light: race in a few days."),
    "RACE_TAPER": _("Lighter: tapering for a race."),
    "FLOOR": _("Short session: a week without strength work."),
    "F1": _("Plan reduced by the check-in: very tired."),
    "S1": _("Plan reduced by the check-in: legs very sore."),
    "POST_RACE": _("Legs lighter: raced recently."),
    "S2": _("Plan reduced by the check-in: legs sore."),
    "ASSUMED_SORE": _("Legs lighter: hard run recently, soreness not rated."),
    "RUN_BIG": _("Less leg work: the last run was a big one."),
    "RUN_HARD": _("No extra leg sets: hard run in the last two days."),
    "NEXT_KEY": _("Legs kept fresh: key run coming up."),
    "STRENGTH_24": _("Very light: strength work less than a day ago."),
    "STRENGTH_FREQ": _("Lighter: three strength sessions already this week."),
    "STRENGTH_48": _("No extra sets: strength work in the last two days."),
    "REENTRY": _("Easing back in: two weeks or more since the last session."),
    "NEW_USER": _("Kept short: one of the athlete's first sessions."),
    "NEW_USER_EARLY": _("No extra sets yet: still new."),
    "WEAK_LINK": _("No extra sets: one check-in answer was low."),
    "MISSING": _("No extra sets: check-in questions skipped."),
    "RUN_UNKNOWN": _("No extra leg sets: last hard run unknown."),
    "BASE_RECOVERY": _("Plan reduced by the check-in to rest: readiness very low."),
    "BASE_MINIMUM": _("Plan reduced by the check-in to one easy set: readiness low."),
    "BASE_REDUCED": _("Plan reduced by the check-in: readiness a bit low."),
    "BASE_NORMAL": _("Normal session: check-in good."),
    "BASE_PLUS": _("Extra set: the athlete feels fresh."),
    "WEEKLY_CAP": _("Capped: plenty of this exercise this week."),
    "TIME": _("A set dropped to fit the time available."),
    "TIME_SKIP": _("Left out to fit the time available."),
    "FIXED": _("The coach's sets and reps; effort from the check-in."),
}

ADVISORY_TEXT = {
    "URGENT": _("Urgent symptoms reported: told to stop and get emergency help."),
    "ILL": _("Unwell: told to rest and ease back in once well."),
    "PAIN_RED": _("Pain with warning signs: told to get it assessed and not to train through it."),
    "PAIN_SKIP": _("Sore spot: told to see a physio if it is not clearly better within 7 days."),
    "SPIKE": _("Last run much longer than usual: told to build distance up more gradually."),
    "PAIN_PERSIST": _(
        "Same spot hurting for a week or several sessions: told to have it assessed."
    ),
    "LOW_STREAK": _("Readiness low for several days: an easier running week was suggested."),
}

# A session's headline where the exercise's own phrase ("Left out: …") would not say what.
HEADLINE_TEXT = {
    "PAIN_RED": _("Exercises left out: pain with warning signs, told to get it assessed."),
    "PAIN_SKIP": _("Exercises left out: they load a spot that hurts."),
}

# Headlines that the check-in's low answers explain better than the readiness alone.
BASE_REDUCTIONS = ("BASE_RECOVERY", "BASE_MINIMUM", "BASE_REDUCED")
LOW_ANSWER = 2  # answers are 1 (worst) to 5: 1 and 2 pull readiness down


def lower(word) -> str:
    """A rating's word inside a phrase: "Very sore" → "very sore", but "OK" stays."""
    word = str(word)
    return word if word.isupper() else word.lower()


def reason_text(code: str) -> str:
    """One engine reason (an exercise's or the session's) in coach words."""
    text = REASON_TEXT.get(code)
    return str(text) if text is not None else str(describe_reason(code))


def advisory_text(code: str) -> str:
    text = ADVISORY_TEXT.get(code)
    return str(text) if text is not None else code


def answer_words(answers: dict) -> list[str]:
    """The check-in's ratings as "Legs very sore", in the check-in's order; unrated left out.

    ``answers`` maps ``soreness``, ``fatigue``, ``sleep`` and ``stress`` to 1..5 or None.
    """
    words = []
    for name, (label, scale) in RATING_WORDS.items():
        value = answers.get(name)
        if value:
            words.append(f"{label} {lower(scale[value - 1])}")
    return words


def low_answers(answers: dict) -> list[str]:
    """The answers that pulled readiness down (1 or 2 of 5), worst first."""
    low = [(value, name) for name, value in answers.items() if value and value <= LOW_ANSWER]
    words = []
    for value, name in sorted(low, key=lambda pair: pair[0]):
        label, scale = RATING_WORDS[name]
        words.append(f"{lower(label)} {lower(scale[value - 1])}")
    return words


def headline(code: str, answers: dict | None = None) -> str:
    """The plan's headline reason; a lighter plan names the answers that made it lighter."""
    if code in BASE_REDUCTIONS and answers:
        causes = low_answers(answers)
        if causes:
            return str(REDUCED_BY) % {"cause": ", ".join(causes)}
    if code in HEADLINE_TEXT:
        return str(HEADLINE_TEXT[code])
    return reason_text(code)
