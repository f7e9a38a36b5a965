"""The coach area: the triage table, one athlete's page, and their sessions read-only.

Every page is for coaches (``coach_required``: 403 otherwise) and scoped by
``coached_athletes()``: an athlete who is not linked, or whose link has just ended, is a 404.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import coach_required
from accounts.middleware import show_athlete_times
from accounts.models import User
from coaching import triage, wording
from coaching.calendar import calendar_rows
from coaching.comments import thread_context
from coaching.dashboard import FLAGS, athlete_rows, dashboard_version, group_names
from coaching.forms import FlagSeenForm
from coaching.models import FlagSeen, Group
from core.cache import version_key
from sessions.charts import progress_rows, weekly_load
from sessions.models import CheckIn, WorkoutSession
from sessions.presentation import history_row, plan_advisories, plan_items, safety_stop

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
    """The triage table: the rows come rendered from a cache kept under the linked athletes'
    data versions (``coaching.triage``); sorting, filters and search pick and order them."""
    coach = request.user
    now = timezone.now()
    pending_invitations, versions = dashboard_version(coach, now)
    groups = group_names(coach) if versions else {}
    query = triage.TableQuery.parse(request.GET, groups)
    entries, rows = triage.cached_entries(request, coach, now, versions)
    members = None
    if query.group is not None:
        members = set(
            Group.athletes.through.objects.filter(group_id=query.group).values_list(
                "user_id", flat=True
            )
        )
    shown = query.select(entries, members)
    back = escape(urlencode(query.params()))
    rows_html = "\n".join(entry.html for entry in shown)
    # The controls and headers read the same for everyone asking the same query (search words
    # excepted: free text makes no cache entry) with the same groups.
    direction = request.GET.get("dir") if request.GET.get("dir") in ("asc", "desc") else ""
    controls_key = None
    if not query.q and not query.notes:
        controls_key = version_key(request, query.params(), direction, tuple(groups.items()))
    token = get_token(request)
    context = {
        "csrf_token": token,  # the page's forms and the rows' share one masked token
        "pending_invitations": pending_invitations,
        "controls_key": controls_key,
        "language_key": version_key(request),  # for the text that only the language changes
        "query": query,
        "direction": direction,
        "headers": query.header_links,  # called only when the headers are not kept
        "groups": list(groups.items()),
        "flag_choices": [(code, label) for code, (label, _weight, _colour) in FLAGS.items()],
        "total": len(entries),
        "shown": len(shown),
        "filtered": bool(query.flag or query.group or query.q),
        "needing": sum(1 for entry in entries if entry.needs),
        "needs_link": query.link(flag=triage.NEEDS_LOOK),
        "new_comments": sum(entry.unread for entry in entries),
        **({"rows": rows} if rows is not None else {}),  # computed afresh, not from the cache
        "table_rows": mark_safe(triage.fill_markers(rows_html, token, back)),  # noqa: S308
    }
    return render(request, "coaching/dashboard.html", context)


@never_cache
@require_POST
@coach_required
def flag_seen(request, pk):
    """Mark one occurrence of a flag seen, then back to the table as it was."""
    athlete = get_object_or_404(request.user.coached_athletes(), pk=pk)
    form = FlagSeenForm(request.POST)
    if form.is_valid():
        code, triggered = form.cleaned_data["flag"]
        FlagSeen.objects.get_or_create(
            coach=request.user, athlete=athlete, code=code, triggered=triggered
        )
        messages.success(
            request,
            _("“%(flag)s” for %(name)s marked seen: it shows again if it happens again.")
            % {"flag": FLAGS[code][0], "name": athlete.name},
        )
    else:
        messages.error(
            request, _("That flag could not be marked seen. Here is the table as it is now.")
        )
    groups = dict(Group.objects.of(request.user).values_list("pk", "name"))
    query = triage.TableQuery.parse(QueryDict(form.data.get("back", "")[:500]), groups)
    return redirect(reverse("coaching:dashboard") + query.link() + f"#athlete-{athlete.pk}")


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
        "workouts": [history_row(w) for w in workouts],  # what became of each, in words
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
    # The coach reads about the athlete, not the sentences written to them.
    for item in items:
        item.reason_text = wording.reason_text(item.reason)
    for advisory in advisories:
        advisory["text"] = wording.advisory_text(advisory["code"])
    checkin = workout.checkin
    answers = None
    if checkin is not None:
        answers = {
            name: getattr(checkin, name) for name in ("soreness", "fatigue", "sleep", "stress")
        }
    context = {
        "athlete": athlete,
        "workout": workout,
        "items": items,
        "advisories": advisories,
        **safety_stop(advisories),
        "headline": wording.headline(workout.headline_reason, answers),
        "answers": wording.answer_words(answers or {}),
        "readiness_pct": workout.plan.get("readiness_pct"),
        "units": request.user.units,
        **thread_context(request, workout),
    }
    return render(request, "coaching/athlete_workout.html", context)
