"""Today's check-in and plan, set logging, finishing, and history.

Every view reads the athlete's own rows only (``get_workout``): another athlete's session
is a 404. Writes are POST → redirect → GET, so they work without JavaScript; htmx swaps the
logging panel in place when it is there.
"""

import uuid
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date as date_format
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.cache import version_key
from sessions import extension, volume
from sessions.charts import progress_rows, weekly_load
from sessions.default_routine import REST_SECONDS
from sessions.forms import RIR_CHOICES, CheckInForm, FinishForm, SetForm, kg_to_units
from sessions.models import CheckIn, WorkoutExercise, WorkoutSession, WorkoutSet
from sessions.planning import finish_workout, log_set, start_workout
from sessions.presentation import (
    describe_reason,
    effort_text,
    history_row,
    plan_advisories,
    plan_headline,
    plan_items,
    safety_stop,
    tier_text,
)
from sessions.reasons import SET_ACTION_TEXT
from sessions.running_log import log_facts


def get_workout(request, pk):
    """The requesting athlete's session, or 404 — never someone else's."""
    return get_object_or_404(WorkoutSession, pk=pk, athlete=request.user)


# --- Check-in -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def today(request):
    open_workout = WorkoutSession.objects.in_progress().filter(athlete=request.user).first()
    if request.method == "GET" and open_workout is not None:
        return redirect(open_workout)
    log = log_facts(request.user, timezone.now())  # what the running log already knows
    # Routines the athlete may train today instead of the default (coaching: their calendar).
    assignments = extension.active().todays_routines(request.user, request.user.local_today())
    if request.method == "POST":
        form = CheckInForm(request.POST, log=log, assignments=assignments)
        if form.is_valid():
            return checkin_create(request, form)
    else:
        form = CheckInForm(log=log, assignments=assignments)
    return render(request, "sessions/checkin_form.html", {"form": form, "log": log})


def checkin_create(request, form):
    data = form.cleaned_data
    earlier = CheckIn.objects.filter(client_id=data["client_id"], athlete=request.user).first()
    if earlier is not None and hasattr(earlier, "workout"):
        return redirect(earlier.workout)  # a retried submission: same result, nothing new
    open_workout = WorkoutSession.objects.in_progress().filter(athlete=request.user).first()
    if open_workout is not None:
        messages.info(request, _("You already have a session open. Finish or skip it first."))
        return redirect(open_workout)
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                athlete=request.user,
                client_id=data["client_id"],
                soreness=data["soreness"],
                fatigue=data["fatigue"],
                sleep=data["sleep"],
                stress=data["stress"],
                pains=data["pains"],
                ill=data["ill"],
                urgent=data["urgent"],
                last_hard_run=data["last_hard_run"],
                run_kind=data["run_kind"],
                key_run_soon=data["key_run_soon"],
                minutes_available=data["minutes_available"],
            )
            workout = start_workout(
                request.user, checkin, assignment=data.get("assignment"), log=form.log
            )
    except IntegrityError:
        # A double tap raced this request: show whatever the first one created.
        existing = WorkoutSession.objects.in_progress().filter(athlete=request.user).first()
        if existing is None:
            raise
        return redirect(existing)
    return redirect(workout)


# --- Plan and history ---------------------------------------------------------------------


# The athlete's session page is cached per version of the athlete's data (page_version): the
# plan view is the most-visited logged-in page and its queries and template cost ~5 ms.
# The cached body holds these markers where each response needs its own values: a CSRF
# token masked afresh (BREACH) and a new comment client id (a double-submit guard).
PAGE_CACHE = "pages"  # per process, like the markers below: a shared cache needs fixed ones
PAGE_SECONDS = 300  # bounds what the version does not track, such as a coach's new name
CSRF_MARKER = f"csrf-{uuid.uuid4().hex}"
CLIENT_ID_MARKER = f"client-{uuid.uuid4().hex}"


@require_GET
@login_required
def workout_detail(request, pk):
    version = WorkoutSession.objects.page_version(pk, request.user)
    if version is None:
        raise Http404("No such session")
    key = "workout-page:" + version_key(request, pk, request.user.pk, *version)
    # A refused comment waits in the session to be put back in the form: render afresh.
    draft = extension.active().has_draft(request, pk)
    page = None if draft else caches[PAGE_CACHE].get(key)
    if page is None:
        workout = get_workout(request, pk)
        page = {
            "title": (
                _("Session %(date)s")
                % {"date": date_format(timezone.localtime(workout.started), "j M")}
                if workout.is_finished
                else _("Today's plan")
            ),
            "body": render_to_string(
                "sessions/includes/workout_body.html", workout_body_context(request, workout)
            ),
        }
        if not draft:
            caches[PAGE_CACHE].set(key, page, PAGE_SECONDS)
    body = page["body"].replace(CSRF_MARKER, get_token(request))
    body = body.replace(CLIENT_ID_MARKER, str(uuid.uuid4()))
    return render(
        request, "sessions/workout_detail.html", {"title": page["title"], "body": mark_safe(body)}
    )


def workout_body_context(request, workout):
    items = plan_items(workout, request.user.units)
    advisories = plan_advisories(workout)
    context = {
        "user": request.user,
        "csrf_token": CSRF_MARKER,
        "workout": workout,
        "items": items,
        "active": [i for i in items if i.action == "do"],
        "pending": [i for i in items if i.status == WorkoutExercise.Status.PENDING],
        "advisories": advisories,
        **safety_stop(advisories),
        "headline": plan_headline(workout, items),
        "plan_text": tier_text(workout.tier),
        "effort_text": effort_text(workout),
        "est_minutes": workout.plan.get("est_minutes"),
        "readiness_pct": workout.plan.get("readiness_pct"),
        "started_logging": any(i.done_sets for i in items),
        "units": request.user.units,
        "thread_template": extension.active().thread_template,
        **extension.active().thread_context(request, workout),  # comments with the coach
    }
    if "comment_form" in context:
        context["comment_form"].initial["client_id"] = CLIENT_ID_MARKER
    return context


HISTORY_PAGE = 50  # sessions a page of /sessions/, newest first


def page_number(request) -> int:
    """``?page=N`` (1 when absent or not a page number)."""
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= 10_000 else 1


@require_GET
@login_required
def workout_list(request):
    page = page_number(request)
    # One more than a page tells whether older sessions exist, without counting them all.
    workouts = WorkoutSession.objects.filter(athlete=request.user).history(
        reader=request.user, limit=HISTORY_PAGE + 1, offset=(page - 1) * HISTORY_PAGE
    )
    if not workouts and page > 1:
        return redirect(reverse("workout_sessions:list"))
    weeks = weekly_load(request.user, timezone.now())
    context = {
        "workouts": [history_row(w) for w in workouts[:HISTORY_PAGE]],
        "page": page,
        "older_page": page + 1 if len(workouts) > HISTORY_PAGE else None,
        "newer_page": page - 1 if page > 1 else None,
        "weeks": weeks,
        "progress": progress_rows(request.user),
    }
    return render(request, "sessions/workout_list.html", context)


# --- Logging ------------------------------------------------------------------------------


def current_item(items):
    return next((i for i in items if i.status == WorkoutExercise.Status.PENDING), None)


def prefill_reps(item):
    """The first set aims at today's aim (spec §7.5), a later one at what the last set's
    rule said (§6), so logging the prefilled set with one tap moves the athlete on."""
    done = item.done_sets
    if done and done[-1].next_reps:
        return done[-1].next_reps
    if item.aim:
        return item.aim["reps"]
    # A plan stored before aims existed: the default aim of a first time.
    return volume.rep_aim(rep_min=item.rep_min, rep_max=item.rep_max, tier=volume.NORMAL)


@require_GET
@login_required
def workout_log(request, pk):
    workout = get_workout(request, pk)
    if workout.is_finished:
        return redirect(workout)
    items = plan_items(workout, request.user.units)
    item = current_item(items)
    if item is None:
        finish_url = reverse("workout_sessions:finish", args=[workout.pk])
        if request.headers.get("HX-Request"):
            # htmx swaps the logging panel only; ask it to load the whole finish page.
            return HttpResponse(status=204, headers={"HX-Redirect": finish_url})
        return redirect(finish_url)
    return render(request, "sessions/workout_log.html", log_context(request, workout, items, item))


def rest_seconds(workout, ladder) -> int:
    """The rest a coach's routine sets for this exercise, else the default for its area."""
    chosen = workout.plan.get("rest_seconds", {}).get(ladder.slug)
    return REST_SECONDS.get(ladder.area, 90) if chosen is None else chosen


def new_set_form(item, units, set_number):
    return SetForm(
        units=units,
        initial={
            "client_id": uuid.uuid4(),
            "position": item.position,
            "set_number": set_number,
            "reps": prefill_reps(item),
            "load": kg_to_units(item.load_kg, units),
            "rir": item.target_rir,
            "pain": 0,
        },
    )


def offline_plan(workout, items):
    """The plan in numbers, for the offline logger (static/js/offline-log.js): with the
    sets queued on the phone it works out which set comes next while the server is out of
    reach. Read from the rows ``plan_items`` already loaded: no query of its own."""
    pk = workout.pk
    return {
        "session": pk,
        "logUrl": reverse("workout_sessions:log", args=[pk]),
        "planUrl": workout.get_absolute_url(),
        "finishUrl": reverse("workout_sessions:finish", args=[pk]),
        "items": [
            {
                "position": i.position,
                "status": i.status,
                "active": i.action == "do",
                "setsPlanned": i.sets_planned,
                "done": len(i.done_sets),
                "rest": rest_seconds(workout, i.ladder),
            }
            for i in items
        ],
    }


def log_context(request, workout, items, item, form=None):
    units = request.user.units
    set_number = len(item.done_sets) + 1
    if form is None:
        form = new_set_form(item, units, set_number)
    # The count is in the ladder's unit (a plank: seconds), in the label and its errors.
    form.fields["reps"].label = form["reps"].label = str(item.unit_name).capitalize()
    active = [i for i in items if i.action == "do"]
    latest = max(
        ((s.created, i.ladder) for i in items for s in i.done_sets),
        default=None,
        key=lambda pair: pair[0],
    )
    rest_until = None
    if latest is not None:
        end = latest[0] + timedelta(seconds=rest_seconds(workout, latest[1]))
        if end > timezone.now():
            rest_until = end
    feedback = None
    if item.done_sets:
        last = item.done_sets[-1]
        feedback = SET_ACTION_TEXT.get(last.action, "").format(reps=item.amount(last.next_reps))
    fatigue_stops = sum(
        1 for i in items if i.ladder.area == "legs" and i.stop_action == "stop_fatigue"
    )
    if item.ladder.area == "legs" and fatigue_stops >= volume.FATIGUE_STOPS_FOR_ONE_SET:
        feedback = _(
            "Two leg exercises already stopped early because they felt hard, so the rest of "
            "today's leg work is one set each."
        )
    pending = [i for i in items if i.status == WorkoutExercise.Status.PENDING]
    return {
        "workout": workout,
        "item": item,
        "form": form,
        "set_number": set_number,
        "upcoming_panels": [
            {
                "item": i,
                "form": new_set_form(i, units, set_number=1),
                "position_in_plan": active.index(i) + 1 if i in active else 1,
            }
            for i in pending
            if i is not item
        ],
        "offline_plan": offline_plan(workout, items),
        "position_in_plan": active.index(item) + 1 if item in active else 1,
        "active_count": len(active),
        "sets_logged": sum(len(i.done_sets) for i in items),
        "sets_total": sum(max(i.sets_planned, len(i.done_sets)) for i in active),
        "rir_choices": RIR_CHOICES,
        "rest_until": rest_until,
        "rest_seconds": rest_seconds(workout, item.ladder),
        "feedback": feedback,
        "units": units,
        "reason_text": describe_reason(item.reason),
    }


# The offline queue (README, "Set logging: exactly once") posts the same forms with
# ``Accept: application/json`` and reads these answers; a plain form gets its redirect.
REFUSALS = {
    "session_finished": _("This session is finished, so nothing more can be logged."),
    "plan_moved_on": _(
        "The plan had moved on, so that entry was not saved. Here is where you are."
    ),
    "set_number_taken": _(
        "That set number was already logged with another set, so that entry was not saved. "
        "Here is where you are."
    ),
    "client_id_taken": _("That entry was not saved: its id belongs to another entry."),
}


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def refused(code, status=409):
    return JsonResponse(
        {"status": "refused", "reason": code, "message": str(REFUSALS[code])}, status=status
    )


def set_answer(status, client_id, position, set_number, action, next_reps):
    """What the queue is told about a set stored now (201) or before (200)."""
    return JsonResponse(
        {
            "status": status,
            "client_id": str(client_id),
            "position": position,
            "set_number": set_number,
            "action": action,
            "next_reps": next_reps,
        },
        status=201 if status == "stored" else 200,
    )


def invalid_answer(form):
    errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
    return JsonResponse({"status": "invalid", "errors": errors}, status=400)


@require_POST
@login_required
def set_create(request, pk):
    form = SetForm(request.POST, units=request.user.units)
    if not form.is_valid():
        workout = get_workout(request, pk)
        if wants_json(request):
            return invalid_answer(form)
        if workout.is_finished:
            return finished_answer(request, workout)
        items = plan_items(workout, request.user.units)
        item = current_item(items)
        if item is None:
            return redirect("workout_sessions:finish", pk=workout.pk)
        context = log_context(request, workout, items, item, form=form)
        return render(request, "sessions/workout_log.html", context, status=400)
    data = form.cleaned_data
    item = None
    try:
        with transaction.atomic():
            # Only in the athlete's own session, counted under the session's lock; an open
            # session always has a pending exercise, so this is the usual path.
            item = WorkoutExercise.objects.next_to_log(pk, request.user)
            expected = item.logged + 1 if item else None
            if item is None or item.position != data["position"] or expected != data["set_number"]:
                # Not the next set: a replay of a stored set (which moved the plan on, so it
                # always lands here) is answered as the first time, with nothing stored.
                return set_not_next(request, pk, item, data)
            logged = log_set(
                item,
                athlete_id=request.user.pk,
                set_number=expected,
                reps=data["reps"],
                rir=data["rir"],
                load_kg=data["load"],
                pain_nrs=data["pain"],
                client_id=data["client_id"],
            )
    except IntegrityError:
        # The count is taken under the lock, so only an id used by another set gets here
        # (or a racing set the lock did not hold back): answered like the rows say.
        return set_not_next(request, pk, item, data, lost_race=True)
    if wants_json(request):
        return set_answer(
            "stored", logged.client_id, item.position, expected, logged.action, logged.next_reps
        )
    return redirect("workout_sessions:log", pk=pk)


def set_not_next(request, pk, item, data, lost_race=False):
    """The answer to a set that was not stored now: stored before, or refused and why."""
    workout = get_workout(request, pk) if item is None else None  # a 404 if not the athlete's
    earlier = (
        WorkoutSet.objects.filter(client_id=data["client_id"])
        .values("set_number", "action", "next_reps", "item__position", "item__workout_id")
        .first()
    )
    if earlier is not None and earlier["item__workout_id"] == pk:
        # The session is the athlete's (above, or next_to_log found it), so the set is too.
        if wants_json(request):
            return set_answer(
                "already_stored",
                data["client_id"],
                earlier["item__position"],
                earlier["set_number"],
                earlier["action"],
                earlier["next_reps"],
            )
        return redirect("workout_sessions:log", pk=pk)
    if earlier is not None:
        # Another session's set, or another athlete's: never acknowledged here, and the
        # same answer whoever it belongs to.
        code = "client_id_taken"
    elif workout is not None and workout.is_finished:
        if not wants_json(request):
            return finished_answer(request, workout)
        code = "session_finished"
    elif lost_race or (
        item is not None and item.position == data["position"] and data["set_number"] <= item.logged
    ):
        code = "set_number_taken"
    else:
        code = "plan_moved_on"
    if wants_json(request):
        return refused(code)
    messages.warning(request, REFUSALS[code])
    return redirect("workout_sessions:log", pk=pk)


def finished_answer(request, workout):
    messages.error(request, REFUSALS["session_finished"])
    return redirect(workout)


@require_POST
@login_required
def item_skip(request, pk, position):
    """Skip an exercise; a replay (it is no longer pending) is answered as the first time."""
    with transaction.atomic():
        # Under the session's lock, like a set: a set logged meanwhile makes it "done".
        workout = get_object_or_404(
            WorkoutSession.objects.select_for_update(), pk=pk, athlete=request.user
        )
        return skip_answer(request, workout, position)


def skip_answer(request, workout, position):
    item = get_object_or_404(workout.items, position=position)
    if workout.is_finished or item.status != WorkoutExercise.Status.PENDING:
        if wants_json(request):
            return JsonResponse({"status": "already_stored", "position": position})
        if workout.is_finished:
            messages.error(request, _("This session is finished."))
            return redirect(workout)
        return redirect("workout_sessions:log", pk=workout.pk)
    item.status = (
        WorkoutExercise.Status.DONE if item.sets.exists() else WorkoutExercise.Status.SKIPPED
    )
    item.save(update_fields=["status"])  # the model bumps the athlete's data version
    if wants_json(request):
        return JsonResponse({"status": "stored", "position": position}, status=201)
    messages.info(request, _("Skipped %(name)s.") % {"name": item.exercise.name})
    return redirect("workout_sessions:log", pk=workout.pk)


@require_http_methods(["GET", "POST"])
@login_required
def workout_finish(request, pk):
    workout = get_workout(request, pk)
    answer_json = request.method == "POST" and wants_json(request)
    if workout.is_finished:
        # A replayed finish changes nothing and is answered as the first time.
        if answer_json:
            return finish_answer(workout, request.POST.get("client_id"), "already_stored")
        return redirect(workout)
    if request.method == "POST":
        form = FinishForm(request.POST)
        if form.is_valid():
            finished = finish_workout(workout, **form.cleaned_data)
            if answer_json:
                return finish_answer(finished, form.cleaned_data["client_id"], "stored")
            messages.success(request, _("Session saved. Well done."))
            return redirect(workout)
        if answer_json:
            return invalid_answer(form)
    else:
        minutes = max(1, round((timezone.now() - workout.started).total_seconds() / 60))
        form = FinishForm(
            initial={"duration_minutes": min(minutes, 600), "client_id": uuid.uuid4()}
        )
    return render(request, "sessions/workout_finish.html", {"workout": workout, "form": form})


def finish_answer(workout, client_id, status):
    """The queue's answer to a finish: ``status`` when the finish that closed ``workout`` is
    this one (or no id tells them apart), refused when another finish came first."""
    try:
        same = not client_id or workout.finish_client_id == uuid.UUID(str(client_id))
    except ValueError:
        same = False
    if not same:
        return refused("session_finished")
    return JsonResponse({"status": status}, status=201 if status == "stored" else 200)


@require_POST
@login_required
def workout_abandon(request, pk):
    """Close an open session without logging more (e.g. the check-in said rest)."""
    workout = get_workout(request, pk)
    if not workout.is_finished:
        finish_workout(workout, session_rpe=None, duration_minutes=None, notes="")
    return redirect(reverse("workout_sessions:list"))
