"""Text people type is stored as they saw it: no invisible characters that change how it shows.

Names, notes and comments are read by other people (a coach, their athletes), exported and
put in calendar feeds. Control characters (U+0000-U+001F, U+007F-U+009F) never come from a
keyboard; stored, they break exports and feeds or hide part of a line. Direction overrides
(U+202A-U+202E, U+2066-U+2069) make a name show reversed or swallow the text after it, and
an invisible space (U+200B, U+2060, U+FEFF) makes two names that look the same differ.

These characters are refused, not stripped: stripping would quietly change what was sent (a
tab between two words would join them) and hide a tampered request, while a refusal says
what to remove and where, and the form shows everything else as it was typed. Line breaks
and tabs belong in multi-line text, and the invisible spaces harm no one there, so multi-line
fields refuse only the rest. Zero-width joiners (U+200C, U+200D) are always fine: Persian,
Indic scripts and emoji need them.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DIRECTION = r"\u202a-\u202e\u2066-\u2069"
INVISIBLE_SPACES = r"\u200b\u2060\ufeff"
SINGLE_LINE_REFUSED = re.compile(rf"[\x00-\x1f\x7f-\x9f{DIRECTION}{INVISIBLE_SPACES}\u2028\u2029]")
MULTI_LINE_REFUSED = re.compile(rf"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{DIRECTION}]")
SHOWN_BEFORE = 20  # characters of context in the message, enough to find the place

LINE_BREAK = _("the line break")
INVISIBLE_SPACE = _("the invisible space")
DIRECTION_MARK = _("the invisible text-direction mark")
NAMES = {
    "\t": _("the tab"),
    "\n": LINE_BREAK,
    "\r": LINE_BREAK,
    "\u2028": LINE_BREAK,
    "\u2029": LINE_BREAK,
    **dict.fromkeys("\u200b\u2060\ufeff", INVISIBLE_SPACE),
    **dict.fromkeys("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", DIRECTION_MARK),
}


def describe(char: str):
    return NAMES.get(char) or _("the invisible character U+%(code)04X") % {"code": ord(char)}


def refuse(pattern: re.Pattern, value) -> None:
    if not isinstance(value, str):  # a field that parses text into something else
        return
    found = pattern.search(value)
    if found is None:
        return
    what = describe(found.group())
    before = " ".join(value[: found.start()].split())  # one line, to quote in the message
    if not before:
        raise ValidationError(
            _("Remove %(what)s at the start."), code="control_character", params={"what": what}
        )
    if len(before) > SHOWN_BEFORE:
        before = "…" + before[-SHOWN_BEFORE:].lstrip()
    raise ValidationError(
        _("Remove %(what)s after “%(before)s”."),
        code="control_character",
        params={"what": what, "before": before},
    )


def validate_single_line(value) -> None:
    """A name or a title: one line of visible text."""
    refuse(SINGLE_LINE_REFUSED, value)


def validate_multi_line(value) -> None:
    """A note, a description or a comment: line breaks and tabs are fine."""
    refuse(MULTI_LINE_REFUSED, value)
