"""The one place where an app built on ``sessions`` adds to the athlete's training.

``sessions`` is the athlete's own training — check-ins, plans, sets, progress and the
default routine — and imports no app that builds on it. ``coaching`` builds on it and adds
two things, which ``sessions`` reaches only through the ``SessionsExtension`` registered
here (by ``coaching.apps.CoachingConfig.ready``) and read with ``active()``:

* **Today's routines.** ``todays_routines`` offers the check-in a choice for the day (the
  routines on the athlete's calendar). ``planning.start_workout`` plans the chosen one's
  ``routine`` — anything with ``name`` and ``items_for_plan()`` (its items' fixed doses go
  to the engine, spec §5.7), like
  ``default_routine.DefaultRoutine`` — and links the new session to the choice.
* **A comment thread on each session**: its context and template on the session page,
  whether a refused comment waits to be put back (the page is then not cached), the
  unread counts in the history, and the columns that make the cached page change
  (``WorkoutSessionQuerySet.page_version``).

With nothing registered, every method below is the behaviour of ``sessions`` alone: the
default routine, no choice, no thread.
"""

from django.db.models import QuerySet


class SessionsExtension:
    """What another app adds to the athlete's training; the defaults add nothing."""

    #: Included at the end of a session page, with ``thread_context``; empty: no thread.
    thread_template = ""

    def todays_routines(self, athlete, day) -> QuerySet | None:
        """The choices for ``day``, each with a ``routine`` to plan and a ``choice_label``
        to show; None: only the default."""
        return None

    def reason_text(self, code: str) -> str:
        """The sentence for a reason code the engine does not know (sessions.reasons)."""
        return ""

    def thread_context(self, request, workout) -> dict:
        """Template context of the thread on ``workout``'s page (opening it may mark it read)."""
        return {}

    def has_draft(self, request, workout_pk: int) -> bool:
        """Whether a refused comment on ``workout_pk`` waits in the session to be shown."""
        return False

    def unread_counts(self, workout_pks: list[int], reader) -> dict[int, int]:
        """{session id: comments new to ``reader``} for these sessions, in one query."""
        return {}

    def page_version_sql(self, quote, user) -> tuple[list[str], list]:
        """Scalar subqueries on the session row ``w`` that change when the thread does, and
        their parameters in order (see ``WorkoutSessionQuerySet.page_version``)."""
        return [], []


_active = SessionsExtension()


def active() -> SessionsExtension:
    """The registered extension, or the defaults: call it each time, never keep the result."""
    return _active


def register(extension: SessionsExtension) -> None:
    """Install ``extension`` (one app at a time: coaching, from its ``AppConfig.ready``)."""
    global _active
    _active = extension
