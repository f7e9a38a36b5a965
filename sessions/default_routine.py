"""The default routine: what every athlete trains unless they choose another for the day.

The spec's five moves (``volume.SEED_ROUTINE``, §8) from the public exercise library, in
that order, each with the rest its area needs and dosed by the engine alone.
``planning.start_workout`` plans it whenever no other routine is chosen, or the chosen one
has nothing left to plan. ``coaching`` offers the same five moves as its built-in template
(``coaching.models.RoutineQuerySet.seed``), for people to copy and build on.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from exercises.models import Exercise, Ladder
from sessions import volume

NAME = gettext_noop("Runner's home routine")  # stored as written; shown translated
DESCRIPTION = gettext_noop(
    "Calf raises, squats, hip thrusts, step-ups and core: five moves for runners, dosed by "
    "your check-in."
)
KEYS = tuple(item.key for item in volume.SEED_ROUTINE)
REST_SECONDS = {"legs": 90, "core": 60, "upper": 90}


@dataclass(frozen=True)
class DefaultItem:
    """One ladder of the default routine, read by the planner like any routine's item."""

    ladder: Ladder
    rest_seconds: int
    start_level: int | None = None  # the athlete's own level on the ladder
    is_fixed: bool = False  # the engine sets the sets and reps
    fixed_sets: int | None = None
    fixed_reps: int | None = None
    note: str = ""


class DefaultRoutine:
    """A routine as ``planning.start_workout`` plans it: ``name`` and ``items_for_plan()``;
    ``coaching.models.Routine`` is the other kind."""

    name = NAME

    def items_for_plan(self) -> list[DefaultItem]:
        """The five ladders in order, with their levels and equipment.

        A ladder without any level cannot be planned and is left out. Raises LookupError
        while the exercise library is not loaded.
        """
        levels = Exercise.objects.prefetch_related("equipment__substitutes")
        ladders = {
            ladder.slug: ladder
            for ladder in Ladder.objects.public()
            .filter(slug__in=KEYS)
            .prefetch_related(Prefetch("exercises", queryset=levels))
        }
        missing = [key for key in KEYS if key not in ladders]
        if missing:
            raise LookupError(f"The exercise library is not loaded (missing {', '.join(missing)}).")
        return [
            DefaultItem(ladder=ladders[key], rest_seconds=REST_SECONDS.get(ladders[key].area, 90))
            for key in KEYS
            if ladders[key].exercises.all()
        ]


def shown_name(routine_name: str) -> str:
    """A session's stored routine name as the reader sees it: the default routine's name
    in the active language, any other name as its author wrote it."""
    return gettext(NAME) if routine_name == NAME else routine_name


def template_texts() -> dict:
    """The built-in template's texts: English as written, Spanish from the catalogue."""
    with translation.override("es"):
        return {
            "name": NAME,
            "description": DESCRIPTION,
            "name_es": gettext(NAME),
            "description_es": gettext(DESCRIPTION),
        }
