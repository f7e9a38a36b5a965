"""The athlete's calendar of assigned routines, and its private iCal feed.

The feed is read by calendar apps that cannot log in, so its address carries a secret token
instead; rotating the token retires the old address at once.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from icalendar import Calendar, Event

from coaching.calendar import FEED_PAST_DAYS, calendar_rows
from coaching.models import Assignment, CalendarFeed


@never_cache
@require_GET
@login_required
def calendar(request):
    today = request.user.local_today()
    upcoming, past = calendar_rows(request.user, today)
    feed, _created = CalendarFeed.objects.get_or_create(athlete=request.user)
    context = {
        "today": today,
        "upcoming": upcoming,
        "past": past,
        "feed_url": request.build_absolute_uri(feed.get_absolute_url()),
    }
    return render(request, "coaching/calendar.html", context)


@require_POST
@login_required
def feed_rotate(request):
    feed, created = CalendarFeed.objects.get_or_create(athlete=request.user)
    if not created:
        feed.rotate()
    messages.success(
        request,
        _("Your calendar has a new address. Subscribe to it again; the old one no longer works."),
    )
    return redirect("coaching:calendar")


@require_POST
@login_required
def assignment_delete(request, pk):
    """Take an upcoming day off the calendar: the athlete, or whoever put it there."""
    assignment = get_object_or_404(Assignment.objects.select_related("athlete", "routine"), pk=pk)
    user = request.user
    if user.pk not in (assignment.athlete_id, assignment.assigned_by_id):
        raise Http404("No such assignment")
    if user.pk == assignment.assigned_by_id != assignment.athlete_id and not user.can_coach(
        assignment.athlete
    ):
        raise Http404("No such assignment")
    if assignment.can_remove(user, assignment.athlete.local_today()):
        assignment.delete()
        messages.info(
            request,
            _("%(routine)s on %(date)s is off the calendar.")
            % {"routine": assignment.routine.name, "date": assignment.date},
        )
    else:
        messages.warning(request, _("That day has started or passed, so it stays on the calendar."))
    if user.pk == assignment.athlete_id:
        return redirect("coaching:calendar")
    return redirect("coaching:athlete_detail", pk=assignment.athlete_id)


@require_GET
def feed(request, token):
    """All-day events: the last two months and everything ahead."""
    feed = CalendarFeed.objects.select_related("athlete").filter(token=token).first()
    if feed is None:
        raise Http404("No such calendar")
    athlete = feed.athlete
    today = athlete.local_today()
    upcoming, past = calendar_rows(athlete, today, past_days=FEED_PAST_DAYS)
    cal = Calendar()
    cal.add("prodid", "-//HomeStrength//Coaching calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("HomeStrength training"))
    host = request.get_host().split(":")[0]
    for assignment in [*reversed(past), *upcoming]:
        event = Event()
        event.add("uid", f"assignment-{assignment.pk}@{host}")
        event.add("dtstamp", assignment.created)
        event.add("dtstart", assignment.date)
        event.add("dtend", assignment.date + timedelta(days=1))
        event.add("summary", _("Strength: %(routine)s") % {"routine": assignment.routine.name})
        lines = [
            f"{item.ladder.name}: {describe_item(item)}" for item in assignment.routine.items.all()
        ]
        if assignment.date < today or assignment.workout_id:
            lines.insert(0, assignment.state_text)
        event.add("description", "\n".join(lines))
        event.add("url", request.build_absolute_uri("/today/"))
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="homestrength.ics"'
    # Anyone holding the address reads the athlete's days: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


def describe_item(item) -> str:
    if item.is_fixed:
        amount = item.ladder.short_amount(item.fixed_reps)  # "30 s" for a hold
        text = _("%(sets)s × %(reps)s") % {"sets": item.fixed_sets, "reps": amount}
    else:
        text = _("sets and effort from your check-in")
    return f"{text} — {item.note}" if item.note else text
