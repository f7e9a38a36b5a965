"""How the first-run steps show each kind of equipment: a short name, a hint and an icon.

The library's equipment rows are data in English; the tiles need words a runner reads at a
glance, translated. Equipment the library gains later still gets a tile, with its own name
and description and the generic icon, until it is added here.
"""

from dataclasses import dataclass

from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

WORDS = {
    "none": (_("Nothing, just me"), _("Floor space and a wall")),
    "bench": (_("Sturdy chair or bench"), _("About knee height, not padded")),
    "step": (_("Step or bottom stair"), _("About 15–20 cm high")),
    "dumbbells": (_("Dumbbells"), _("A pair, or a few weights")),
    "backpack": (_("Backpack"), _("Filled with books or bottles")),
    "band": (_("Resistance band"), _("A loop or a long band")),
    "pullup-bar": (_("Pull-up bar"), _("A doorway bar you can hang from")),
    "dip-bars": (_("Dip bars"), _("Parallel bars or a dip station")),
}
DUMBBELLS = "dumbbells"


@dataclass(frozen=True)
class Tile:
    box: object  # the checkbox's BoundWidget
    slug: str
    name: str
    hint: str

    @property
    def icon(self) -> str:
        name = self.slug if self.slug in WORDS else "other"
        return static(f"img/equipment/{name}.svg")


def tiles(bound_field) -> list[Tile]:
    """One tile per choice of a ``ModelMultipleChoiceField`` of equipment, in its order."""
    found = []
    for box in bound_field:
        equipment = box.data["value"].instance
        name, hint = WORDS.get(equipment.slug, (equipment.name, equipment.description))
        found.append(Tile(box=box, slug=equipment.slug, name=name, hint=hint))
    return found
