"""How a session reads on a page: its exercises, reasons and advisories, for any reader.

Shared by the athlete's session page (``sessions.views``) and a coach's read-only copy of
it (``coaching.views.coach``); no view of another app is imported for them.
"""

from django.db.models import Prefetch
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _

from accounts.units import format_load
from exercises.models import Exercise
from sessions import extension
from sessions.models import WorkoutSet
from sessions.reasons import ADVISORY_TEXT, HEADLINE_TEXT, REASON_TEXT, aim_text

LEVEL_NAMES = Exercise.objects.only("ladder", "level", "name")
URGENT_ADVISORIES = ("URGENT", "ILL", "PAIN_RED", "PAIN_PERSIST")
# Spec §10: safety first. A readiness score beside these would read as "good to go".
STOP_ADVISORIES = ("URGENT", "ILL", "PAIN_RED")


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
        item.note = workout.plan.get("notes", {}).get(item.ladder.slug, "")  # a coach's note
        item.aim = workout.plan.get("aims", {}).get(item.ladder.slug)  # spec §7.5
        item.aim_text = aim_text(item.aim) if not workout.is_finished else ""
    return items
