"""How a session reads on a page: its exercises, reasons and advisories, for any reader.

Shared by the athlete's session page (``sessions.views``) and a coach's read-only copy of
it (``coaching.views.coach``); no view of another app is imported for them.
"""

from django.db.models import Prefetch
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.units import format_load
from exercises.models import Exercise
from runs.forms import RPE_WORDS
from sessions import extension, volume
from sessions.models import WorkoutSet
from sessions.reasons import ADVISORY_TEXT, HEADLINE_TEXT, REASON_TEXT, aim_text

LEVEL_NAMES = Exercise.objects.only("ladder", "level", "name")
URGENT_ADVISORIES = ("URGENT", "ILL", "PAIN_RED", "PAIN_PERSIST")
# Spec §10: safety first. A readiness score beside these would read as "good to go".
STOP_ADVISORIES = ("URGENT", "ILL", "PAIN_RED")


# The day's tier in a runner's words: what kind of session the check-in made it.
TIER_TEXT = {
    volume.PLUS: _("Normal, with an extra set"),
    volume.NORMAL: _("Normal session"),
    volume.REDUCED: _("Lighter session"),
    volume.MINIMUM: _("Very light session"),
    volume.RECOVERY: _("Rest day"),
}
# What became of a session (``session_outcome``), as the athlete's history says it.
OUTCOME_TEXT = {
    "open": _("In progress"),
    "done": _("Done"),
    "short": _("Done, stopped early"),
    "rest": _("Rest day"),
    "closed": _("Closed without training"),
}


def tier_text(tier: str) -> str:
    return str(TIER_TEXT.get(tier, tier))


def session_outcome(workout, sets_done: int) -> str:
    """Open, done, stopped early (fewer sets than planned), a rest day (nothing was planned:
    the check-in said rest) or closed without training (work was planned, none logged)."""
    if not workout.is_finished:
        return "open"
    if not sets_done:
        return "closed" if workout.sets_prescribed else "rest"
    return "short" if sets_done < workout.sets_prescribed else "done"


def sets_text(done: int, planned: int) -> str:
    """ "3 of 5 sets"; "1 set" when nothing was planned (a plan from before plans were kept)."""
    if not planned:
        return ngettext("%(done)s set", "%(done)s sets", done) % {"done": done} if done else ""
    return ngettext("%(done)s of %(planned)s set", "%(done)s of %(planned)s sets", planned) % {
        "done": done,
        "planned": planned,
    }


def effort_text(workout) -> str:
    """How hard the finished session felt and for how long, in words: "Effort 5/10 (hard),
    30 minutes"; empty when it was not rated."""
    if workout.session_rpe is None:
        return ""
    minutes = workout.duration_minutes or 0
    return ngettext(
        "Effort %(rpe)s/10 (%(word)s), %(minutes)s minute",
        "Effort %(rpe)s/10 (%(word)s), %(minutes)s minutes",
        minutes,
    ) % {
        "rpe": workout.session_rpe,
        "word": str(RPE_WORDS[workout.session_rpe]).lower(),
        "minutes": minutes,
    }


def history_row(workout):
    """A session of the history list, with its words (``sets_done`` from ``history()``)."""
    workout.plan_text = tier_text(workout.tier)
    outcome = session_outcome(workout, workout.sets_done)
    workout.outcome = outcome
    workout.outcome_text = str(OUTCOME_TEXT[outcome])
    workout.sets_text = sets_text(workout.sets_done, workout.sets_prescribed)
    workout.effort_text = effort_text(workout)
    return workout


def reserve_text(rir: int) -> str:
    """How many more the athlete could have done, as they answered it (never "RIR")."""
    if rir <= 0:
        return gettext("nothing left")
    if rir >= 5:
        return gettext("could do 5 or more")
    return ngettext("could do %(n)s more", "could do %(n)s more", rir) % {"n": rir}


def set_text(logged, counter, units) -> str:
    """One logged set in words: "10 reps with 12 kg, could do 2 more". ``counter`` is the
    ladder or the planned exercise (``WorkoutExercise.amount``: a plank's slow breaths)."""
    words = {"amount": counter.amount(logged.reps), "reserve": reserve_text(logged.rir)}
    if logged.load_kg:
        words["load"] = format_load(logged.load_kg, units)
        return gettext("%(amount)s with %(load)s, %(reserve)s") % words
    return gettext("%(amount)s, %(reserve)s") % words


def describe_reason(code):
    return REASON_TEXT.get(code) or extension.active().reason_text(code)


def plan_advisories(workout) -> list[dict]:
    """The plan's advisories, the urgent ones first (spec §10: shown before any exercise)."""
    codes = workout.plan.get("advisories", [])
    ordered = sorted(codes, key=lambda code: code not in URGENT_ADVISORIES)  # stable
    return [
        {"code": code, "text": ADVISORY_TEXT.get(code, code), "urgent": code in URGENT_ADVISORIES}
        for code in ordered
    ]


def plan_headline(workout, items) -> str:
    """The session's one sentence; when exercises are left out for pain, it names them."""
    code = workout.headline_reason
    names = [str(item.exercise.name) for item in items if item.reason == code]
    if code in HEADLINE_TEXT and names:
        return HEADLINE_TEXT[code].format(exercises=get_text_list(names, _("and")))
    return describe_reason(code)


def safety_stop(advisories) -> dict:
    """What the page leaves out on a safety day: the readiness score beside "stop" or "rest"
    advice, and, on urgent symptoms, every exercise (nothing to start)."""
    codes = {a["code"] for a in advisories}
    return {"show_readiness": not codes & set(STOP_ADVISORIES), "urgent_stop": "URGENT" in codes}


def plan_items(workout, units):
    related = [Prefetch("sets", queryset=WorkoutSet.objects.order_by("set_number"))]
    if workout.is_finished:  # only a finished session names the next level
        related.append(Prefetch("ladder__exercises", queryset=LEVEL_NAMES))
    items = list(workout.items.select_related("ladder", "exercise").prefetch_related(*related))
    for item in items:
        item.next_exercise = workout.is_finished and next(
            (e for e in item.ladder.exercises.all() if e.level == item.decision_level), None
        )
        item.reason_text = describe_reason(item.reason)
        item.load_display = format_load(item.load_kg, units)
        item.done_sets = list(item.sets.all())
        item.done_text = [set_text(s, item, units) for s in item.done_sets]
        item.note = workout.plan.get("notes", {}).get(item.ladder.slug, "")  # a coach's note
        item.aim = workout.plan.get("aims", {}).get(item.ladder.slug)  # spec §7.5
        item.aim_text = aim_text(item.aim, item) if not workout.is_finished else ""
    return items
