"""The running log: list, add, edit, delete and import runs; races; a coach's read-only view.

Every view reads the requesting athlete's own rows (``get_run``, ``get_race``): someone
else's is a 404. A linked coach reads an athlete's log at /runs/athletes/<id>/ and nothing
more — no view here changes a row that is not the requester's own. Forms are validated and
shown in the athlete's time zone (accounts.middleware.TimeZoneMiddleware), so a start typed
on a phone is local time.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.middleware import show_athlete_times
from runs.files import EXTENSIONS, max_file_bytes
from runs.forms import RaceForm, RunForm
from runs.models import ActivityImport, Race, Run
from runs.tasks import PENDING_LIMIT_FILES, queue_imports

WEEKS_SHOWN = 8
PLANNED_SHOWN = 50
# Planned runs stay on the list a week after their day, so the athlete can log or drop them.
PLANNED_KEPT = timedelta(days=7)


def get_run(request, pk):
    """The requesting athlete's run, or 404 — never someone else's, not even a coach's."""
    return get_object_or_404(Run, pk=pk, athlete=request.user)


def get_race(request, pk):
    return get_object_or_404(Race, pk=pk, athlete=request.user)


# --- The log -----------------------------------------------------------------------------

# Imports shown on the import page and, while any is recent, on the log.
IMPORTS_SHOWN = 20
IMPORTS_RECENT = timedelta(days=1)


def recent_imports(athlete, now):
    """The athlete's latest imported files of the last day, newest first (one query)."""
    return list(
        ActivityImport.objects.filter(athlete=athlete, created_at__gte=now - IMPORTS_RECENT)
        .defer("data")
        .order_by("-created_at", "-pk")[:IMPORTS_SHOWN]
    )


# The log pages back from here at the earliest; further back, weeks of dates before year 1
# would not exist. Later dates show the latest weeks (log_context caps them).
EARLIEST_BEFORE = date(1900, 1, 1)


def parse_before(value: str | None) -> date | None:
    """The ``?before=`` day of the log, or None (the latest weeks) for anything else."""
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return day if day is not None and day >= EARLIEST_BEFORE else None


def log_context(athlete, now, before=None) -> dict:
    """Weeks of done runs with their totals, the planned runs and the next race.

    Four queries whatever the log holds. Weeks run Monday to Sunday in the athlete's zone.
    """
    zone = athlete.zone
    today = athlete.local_today(now)
    latest_end = today - timedelta(days=today.weekday()) + timedelta(weeks=1)
    end = latest_end  # the Monday after the newest week shown
    if before is not None:
        end = min(before - timedelta(days=before.weekday()), latest_end)
    first = end - timedelta(weeks=WEEKS_SHOWN)

    def midnight(day):
        return datetime.combine(day, time(), tzinfo=zone)

    mine = Run.objects.filter(athlete=athlete)
    done = list(
        mine.done().filter(start__gte=midnight(first), start__lt=midnight(end)).order_by("-start")
    )
    weeks = []
    for n in range(WEEKS_SHOWN):
        monday = end - timedelta(weeks=n + 1)
        weeks.append({"monday": monday, "runs": [], "km": 0, "minutes": 0, "load": 0, "unrated": 0})
    for run in done:
        day = run.start.astimezone(zone).date()
        week = weeks[(end - day - timedelta(days=1)).days // 7]
        week["runs"].append(run)
        week["km"] += run.distance_km or 0
        week["minutes"] += run.minutes
        if run.load is None:
            week["unrated"] += 1
        else:
            week["load"] += run.load
    next_race = Race.objects.filter(athlete=athlete).upcoming(today).first()
    planned = list(
        mine.planned().filter(start__gte=now - PLANNED_KEPT).order_by("start")[:PLANNED_SHOWN]
    )
    return {
        "weeks": weeks,
        "planned": planned,
        "now": now,
        "earlier": first if mine.done().filter(start__lt=midnight(first)).exists() else None,
        "is_latest": end == latest_end,
        "next_race": next_race,
        "race_days": (next_race.date - today).days if next_race else None,
    }


@require_GET
@login_required
def run_list(request):
    athlete = request.user
    now = timezone.now()
    context = log_context(athlete, now, parse_before(request.GET.get("before")))
    # The files imported in the last day, with each one's state: some may still be read.
    imports = recent_imports(athlete, now)
    return render(
        request,
        "runs/run_list.html",
        {
            **context,
            "athlete": athlete,
            "editable": True,
            "imports": imports,
            "imports_waiting": any(not item.is_finished for item in imports),
        },
    )


@require_GET
@login_required
def athlete_run_list(request, athlete_id):
    """A coach reads a linked athlete's log and races; nothing on it can be changed."""
    athlete = get_object_or_404(request.user.coached_athletes(), pk=athlete_id)
    show_athlete_times(athlete)
    now = timezone.now()
    context = log_context(athlete, now, parse_before(request.GET.get("before")))
    races = Race.objects.filter(athlete=athlete).upcoming(athlete.local_today(now))
    return render(
        request,
        "runs/run_list.html",
        {**context, "athlete": athlete, "editable": False, "races": races},
    )


# --- Adding, changing, deleting ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def run_create(request):
    initial = {"status": Run.Status.PLANNED} if request.GET.get("planned") else None
    form = RunForm(request.POST or None, instance=Run(athlete=request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        run = form.save()
        messages.success(request, _("Run saved.") if run.is_done else _("Run planned."))
        return redirect("runs:list")
    return render(request, "runs/run_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def run_edit(request, pk):
    run = get_run(request, pk)
    form = RunForm(request.POST or None, instance=run)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Run saved."))
        return redirect("runs:list")
    return render(request, "runs/run_form.html", {"form": form, "run": run})


@require_http_methods(["GET", "POST"])
@login_required
def run_delete(request, pk):
    run = get_run(request, pk)
    if request.method == "POST":
        run.delete()
        messages.success(request, _("Run deleted."))
        return redirect("runs:list")
    return render(request, "runs/run_confirm_delete.html", {"run": run})


# --- Importing files ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def run_import(request):
    """GPX, TCX and FIT files to runs, each file on its own: one bad file spoils nothing.

    The upload answers at once: each file is kept and read by a background job
    (runs/tasks.py). Without JavaScript the form posts every file at once and this answers
    with a table of their states; the page refreshes itself while a file is still being
    read. runs.js posts one file per request, asks for JSON and polls
    ``import_status`` to show each file's progress and result.
    """
    limit_mb, limit_files = settings.MAX_RUN_FILE_MB, settings.MAX_RUN_FILES
    context = {
        "limit_mb": limit_mb,
        "limit_files": limit_files,
        "max_bytes": max_file_bytes(),
        "accept": ",".join(EXTENSIONS),
    }
    if request.method == "GET":
        context["results"] = recent_imports(request.user, timezone.now())
        context["waiting"] = any(not item.is_finished for item in context["results"])
        return render(request, "runs/run_import.html", context)
    error, results, status = None, [], 200
    # The files are already spooled by now (CSRF checking reads the body); nothing of an
    # oversized upload is parsed or stored. The proxy in front caps the body size itself.
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:  # a malformed header: Django read no body either
        length = 0
    if length > limit_files * max_file_bytes() + 2**20:
        error, status = (
            _("That upload is too large. Send at most %(n)s files of up to %(mb)s MB each.")
            % {"n": limit_files, "mb": limit_mb},
            413,
        )
    else:
        files = request.FILES.getlist("files")
        pending = ActivityImport.objects.filter(athlete=request.user).exclude(
            status__in=ActivityImport.FINISHED
        )
        if not files:
            error, status = _("Choose one or more .gpx, .tcx or .fit files."), 400
        elif len(files) > limit_files:
            error, status = (
                _("That is more than %(n)s files. Send them in smaller batches.")
                % {"n": limit_files},
                400,
            )
        elif pending.count() + len(files) > PENDING_LIMIT_FILES:
            # The files waiting for the job workers are bounded per athlete, so that one
            # athlete's uploads cannot fill the queue (or the database) for everyone.
            error, status = (
                _("Your last files are still being read. Send these when it has finished."),
                429,
            )
        else:
            results = queue_imports(request.user, files, translation.get_language())
            if any(not item.is_finished for item in results):
                status = 202
    waiting = any(not item.is_finished for item in results)
    if "application/json" in request.headers.get("Accept", ""):
        payload = {"error": error, "results": [item.as_json() for item in results]}
        return JsonResponse(payload, status=status)
    context.update(
        error=error, results=results, added=sum(bool(r.ok) for r in results), waiting=waiting
    )
    return render(request, "runs/run_import.html", context, status=status)


@require_GET
@login_required
def import_status(request):
    """The state of the requesting athlete's imported files named by ``?id=`` (at most
    ``MAX_RUN_FILES`` of them), as JSON, for the progress script; someone else's files are
    left out, as files that do not exist are."""
    asked = request.GET.getlist("id")[: settings.MAX_RUN_FILES]
    # Plain digits within 64 bits; anything else names no file.
    ids = [int(v) for v in asked if v.isascii() and v.isdigit() and len(v) <= 18]
    items = ActivityImport.objects.filter(athlete=request.user, pk__in=ids).defer("data")
    by_id = {item.pk: item for item in items}
    results = [by_id[pk].as_json() for pk in ids if pk in by_id]
    return JsonResponse({"results": results})


# --- Races -------------------------------------------------------------------------------


@require_GET
@login_required
def race_list(request):
    today = request.user.local_today(timezone.now())
    races = Race.objects.filter(athlete=request.user)
    context = {
        "upcoming": list(races.upcoming(today)),
        "past": list(races.past(today)[:20]),
        "today": today,
    }
    return render(request, "runs/race_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def race_create(request):
    form = RaceForm(request.POST or None, instance=Race(athlete=request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Race saved."))
        return redirect("runs:race_list")
    return render(request, "runs/race_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def race_edit(request, pk):
    race = get_race(request, pk)
    form = RaceForm(request.POST or None, instance=race)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Race saved."))
        return redirect("runs:race_list")
    return render(request, "runs/race_form.html", {"form": form, "race": race})


@require_http_methods(["GET", "POST"])
@login_required
def race_delete(request, pk):
    race = get_race(request, pk)
    if request.method == "POST":
        race.delete()
        messages.success(request, _("Race deleted."))
        return redirect("runs:race_list")
    return render(request, "runs/race_confirm_delete.html", {"race": race})
