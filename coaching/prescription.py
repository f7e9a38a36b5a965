"""The words coaching adds to the session pages for reason codes the engine does not know.

Until spec v1.1 a coach's fixed dose was laid over the engine's plan here and stored with
the reason ``FIXED``; the engine now doses fixed items itself (§5.7), under every cap, and
gives them its own reasons. Sessions stored before that still show ``FIXED``, so its
sentence stays.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

FIXED = "FIXED"
REASON_TEXT = {
    FIXED: _("Your coach set the sets and reps; the effort follows today's check-in."),
}


def describe(code: str) -> str:
    return str(REASON_TEXT.get(code, ""))
