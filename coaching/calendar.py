"""The athlete's calendar as rows: what is coming up and how past days went.

Read by the athlete's calendar and iCal feed (``coaching.views.calendar``) and by a coach's
page of the athlete (``coaching.views.coach``).
"""

from datetime import timedelta

from django.db.models import Prefetch

from coaching.models import Assignment, RoutineItem

PAST_DAYS = 28
FEED_PAST_DAYS = 60
ITEMS = Prefetch("routine__items", queryset=RoutineItem.objects.select_related("ladder"))


def calendar_rows(athlete, today, *, past_days=PAST_DAYS):
    """(upcoming, past) assignments with their state, in two lists, one query."""
    assignments = (
        Assignment.objects.filter(athlete=athlete, date__gte=today - timedelta(days=past_days))
        .current()
        .with_outcome()
        .select_related("routine", "assigned_by")
        .prefetch_related(ITEMS)
        .order_by("date", "created")
    )
    upcoming, past = [], []
    for assignment in assignments:
        assignment.current_state = assignment.state_on(today)
        assignment.state_text = str(Assignment.State(assignment.current_state).label)
        assignment.removable = assignment.can_remove(athlete, today)
        # A day whose window is still open is still to do, even once its date has passed.
        still_to_do = assignment.date >= today or assignment.current_state == Assignment.State.DUE
        (upcoming if still_to_do else past).append(assignment)
    past.reverse()
    return upcoming, past
