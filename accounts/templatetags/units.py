"""Loads as the viewer reads them: ``{{ s.load_kg|weight:user.units }}`` reads "22 lb".

Every load a page shows goes through this filter (or accounts.units.format_load, which it
wraps), in the units of the person looking: a coach who chose pounds reads an athlete's
kilograms as pounds. Exports stay in kilograms, in columns that say so.
"""

from django import template

from accounts.units import format_load

register = template.Library()


@register.filter
def weight(kg, units) -> str:
    """A load stored in kilograms (a Decimal, a float or None) with its unit, or ""."""
    return "" if kg == "" else format_load(kg, units)
