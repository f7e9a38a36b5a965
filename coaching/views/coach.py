"""The coach area: the dashboard, one athlete's page, and their sessions read-only.

Every page is for coaches (``coach_required``: 403 otherwise) and scoped by
``coached_athletes()``: an athlete who is not linked, or whose link has just ended, is a 404.
"""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.decorators import coach_required
from accounts.middleware import show_athlete_times
from accounts.models import User
from coaching.calendar import calendar_rows
from coaching.comments import thread_context
from coaching.dashboard import CACHE_SECONDS, Dashboard, athlete_rows, dashboard_version
from core.cache import version_key
from sessions.charts import progress_rows, weekly_load
from sessions.models import CheckIn, WorkoutSession
from sessions.presentation import plan_advisories, plan_headline, plan_items, safety_stop

RECENT_SESSIONS = 30
RECENT_CHECKINS = 14


def get_athlete(request, pk):
    """A linked athlete (404 otherwise); the page then shows times in their time zone."""
    athlete = get_object_or_404(request.user.coached_athletes(), pk=pk)
    show_athlete_times(athlete)
    return athlete


@never_cache
@require_GET
@coach_required
def dashboard(request):
    """The rows are a fragment cached (per process) under the linked athletes' versions."""
    coach = request.user
    now = timezone.now()
    pending_invitations, rows = dashboard_version(coach, now)
    context = {
        "dashboard": Dashboard(coach),
        "rows_key": version_key(request, coach.pk, now.date(), rows),
        "rows_seconds": CACHE_SECONDS,
        "pending_invitations": pending_invitations,
    }
    return render(request, "coaching/dashboard.html", context)


@never_cache
@require_GET
@coach_required
def athlete_detail(request, pk):
    athlete = get_athlete(request, pk)
    now = timezone.now()
    workouts = WorkoutSession.objects.filter(athlete=athlete).history(
        reader=request.user, limit=RECENT_SESSIONS
    )
    upcoming, past = calendar_rows(athlete, athlete.local_today(now))
    for assignment in upcoming:
        assignment.removable = assignment.can_remove(request.user, athlete.local_today(now))
    context = {
        "athlete": athlete,
        "row": athlete_rows(request.user, now, athletes=User.objects.filter(pk=athlete.pk))[0],
        "workouts": workouts,
        "checkins": CheckIn.objects.filter(athlete=athlete)[:RECENT_CHECKINS],
        "progress": progress_rows(athlete),
        "weeks": weekly_load(athlete, now),
        "upcoming": upcoming,
        "past": past,
    }
    return render(request, "coaching/athlete_detail.html", context)


@never_cache
@require_GET
@coach_required
def athlete_workout(request, pk, workout_pk):
    athlete = get_athlete(request, pk)
    workout = get_object_or_404(
        WorkoutSession.objects.select_related("checkin"), pk=workout_pk, athlete=athlete
    )
    items = plan_items(workout, request.user.units)
    advisories = plan_advisories(workout)
    context = {
        "athlete": athlete,
        "workout": workout,
        "items": items,
        "advisories": advisories,
        **safety_stop(advisories),
        "headline": plan_headline(workout, items),
        "readiness_pct": workout.plan.get("readiness_pct"),
        "units": request.user.units,
        **thread_context(request, workout),
    }
    return render(request, "coaching/athlete_workout.html", context)
