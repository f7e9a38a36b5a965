"""Loads in the runner's own units.

Everything is stored in kilograms; people who chose pounds see and type pounds. Pure
functions, no Django, except that a load is written with the active language's decimal
mark ("12.5 kg", "12,5 kg"). Loads keep 10 g precision (1.25 kg plates exist; 25 lb is 11.34 kg and
reads back as 25 lb); pounds are shown to 0.1 lb.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import get_format

KG_PER_LB = 0.45359237
KG, LB = "kg", "lb"


def to_kg(value: float, units: str) -> float:
    """A load typed in ``units``, in kilograms rounded to 10 g."""
    kg = value * KG_PER_LB if units == LB else value
    return tidy(round(kg, 2))


def from_kg(kg: float, units: str) -> float:
    """A stored load in ``units``: pounds to 0.1 lb, kilograms to 10 g."""
    if units == LB:
        return tidy(round(kg / KG_PER_LB, 1))
    return tidy(round(kg, 2))


def tidy(value: float) -> float | int:
    """Whole numbers as ints, so JSON and text read 8 rather than 8.0."""
    return int(value) if value == int(value) else value


def format_load(kg: float | Decimal | None, units: str) -> str:
    """``20`` kg for a pounds user reads "44.1 lb"; missing loads read as an empty string.

    Every load a page shows is written by this (templates through the ``weight`` filter).
    """
    if kg is None:
        return ""
    return f"{load_number(kg, units)} {LB if units == LB else KG}"


def load_number(kg: float | Decimal, units: str) -> str:
    """A stored load as the number typed in ``units``: "12.5", or "12,5" in Spanish (the set
    form reads either)."""
    return f"{from_kg(float(kg), units):g}".replace(".", get_format("DECIMAL_SEPARATOR"))
