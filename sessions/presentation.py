"""How a session reads on a page: its exercises, reasons and advisories, for any reader.

Shared by the athlete's session page (``sessions.views``) and a coach's read-only copy of
it (``coaching.views.coach``); no view of another app is imported for them.
"""

from django.db.models import Prefetch

from accounts.units import format_load
from exercises.models import Exercise
from sessions import extension
from sessions.models import WorkoutSet
from sessions.reasons import REASON_TEXT, aim_text

LEVEL_NAMES = Exercise.objects.only("ladder", "level", "name")
URGENT_ADVISORIES = ("URGENT", "ILL", "PAIN_RED", "PAIN_PERSIST")


def describe_reason(code):
    return REASON_TEXT.get(code) or extension.active().reason_text(code)


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
