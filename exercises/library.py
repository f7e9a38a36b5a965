"""Filtering the library: which exercises a runner can do with what they have at home.

Works on prefetched ladders in memory so that a page runs the same few queries however
large the library grows.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from exercises.models import Exercise, Ladder

AREAS = [choice for choice, _label in Ladder.Area.choices]


@dataclass
class LibraryFilter:
    equipment: set[str] | None = None  # None: show everything
    area: str = ""
    q: str = ""
    notes: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params, known_equipment: set[str]) -> "LibraryFilter":
        """Read the query string; unknown values are dropped with a note, never an error."""
        f = cls()
        raw = [v.strip() for v in params.getlist("equipment") if v.strip()]
        unknown = sorted({v for v in raw if v not in known_equipment})
        if unknown:
            f.notes.append(
                _("Ignored unknown equipment: %(values)s.") % {"values": ", ".join(unknown[:5])}
            )
        # Only unknown values: show everything rather than guess what was meant.
        f.equipment = {v for v in raw if v in known_equipment} or None
        area = params.get("area", "").strip()
        if area and area not in AREAS:
            f.notes.append(_("Ignored unknown area: %(value)s.") % {"value": area[:30]})
        elif area:
            f.area = area
        f.q = params.get("q", "").strip()[:100]
        return f

    def matches(self, exercise: Exercise) -> bool:
        if self.area and exercise.ladder.area != self.area:
            return False
        if self.equipment is not None and not exercise.is_available_with(self.equipment):
            return False
        if self.q:
            text = " ".join(
                [
                    exercise.name,
                    exercise.summary,
                    exercise.cues,
                    exercise.muscles,
                    exercise.ladder.name,
                ]
            ).lower()
            return all(word in text for word in self.q.lower().split())
        return True

    def apply(self, ladders) -> list[tuple[Ladder, list[Exercise]]]:
        groups = []
        for ladder in ladders:
            shown = [ex for ex in ladder.exercises.all() if self.matches(ex)]
            if shown:
                groups.append((ladder, shown))
        return groups
