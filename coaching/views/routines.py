"""The routine builder and assigning a routine to days.

Anyone logged in builds routines for themselves; coaches also assign them to linked
athletes. Someone else's routine is a 404 (templates and routines on your calendar now can
be read, duplicated and put on your own calendar, not changed; a coach's routine goes when
their link ends). Every change is a POST that redirects, so the builder
works without JavaScript on a phone.
"""

from contextlib import suppress

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coaching.forms import AssignForm, RoutineForm, RoutineItemForm
from coaching.models import Assignment, Routine, RoutineItem

ITEMS = Prefetch("items", queryset=RoutineItem.objects.select_related("ladder"))


def get_visible_routine(request, pk):
    return get_object_or_404(Routine.objects.visible_to(request.user), pk=pk)


def get_own_routine(request, pk):
    return get_object_or_404(Routine, pk=pk, owner=request.user)


@require_GET
@login_required
def routine_list(request):
    with suppress(LookupError):  # the library is not loaded yet: no template to show
        Routine.objects.seed()
    routines = (
        Routine.objects.visible_to(request.user)
        .annotate(item_count=Count("items"))
        .select_related("owner")
        .order_by("owner", "name", "pk")
    )
    own = [r for r in routines if r.owner_id == request.user.pk]
    others = [r for r in routines if r.owner_id != request.user.pk]
    context = {"own": own, "others": others, "for_athlete": preselected(request)}
    return render(request, "coaching/routine_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def routine_create(request):
    form = RoutineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        routine = form.save(commit=False)
        routine.owner = request.user
        routine.save()
        messages.success(request, _("Routine created. Now add its exercises."))
        return redirect(routine)
    return render(request, "coaching/routine_form.html", {"form": form})


def builder_context(request, routine, item_form=None):
    items = list(
        routine.items.select_related("ladder")
        .annotate(levels=Count("ladder__exercises"))
        .order_by("position")
    )
    editable = routine.can_edit(request.user)
    if editable and item_form is None:
        item_form = RoutineItemForm(routine=routine, user=request.user)
    return {
        "routine": routine,
        "items": items,
        "editable": editable,
        "item_form": item_form if editable else None,
        "upcoming": routine.assignments.filter(date__gte=request.user.local_today()).count()
        if editable
        else 0,
    }


@require_GET
@login_required
def routine_detail(request, pk):
    routine = get_visible_routine(request, pk)
    return render(request, "coaching/routine_detail.html", builder_context(request, routine))


@require_http_methods(["GET", "POST"])
@login_required
def routine_edit(request, pk):
    routine = get_own_routine(request, pk)
    form = RoutineForm(request.POST or None, instance=routine)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(routine)
    return render(request, "coaching/routine_form.html", {"form": form, "routine": routine})


@require_POST
@login_required
def routine_duplicate(request, pk):
    routine = get_visible_routine(request, pk)
    copy = routine.duplicate(request.user)
    messages.success(request, _("This is your copy: change it as you like."))
    return redirect(copy)


@require_http_methods(["GET", "POST"])
@login_required
def routine_delete(request, pk):
    routine = get_own_routine(request, pk)
    if request.method == "POST":
        routine.delete()
        messages.info(request, _("Routine deleted, with its days on the calendar."))
        return redirect("coaching:routine_list")
    assigned = routine.assignments.count()
    return render(
        request, "coaching/routine_confirm_delete.html", {"routine": routine, "assigned": assigned}
    )


# --- Items --------------------------------------------------------------------------------


@require_POST
@login_required
def item_create(request, pk):
    routine = get_own_routine(request, pk)
    form = RoutineItemForm(request.POST, routine=routine, user=request.user)
    if not form.is_valid():
        context = builder_context(request, routine, item_form=form)
        return render(request, "coaching/routine_detail.html", context, status=400)
    with transaction.atomic():
        item = form.save(commit=False)
        item.routine = routine
        item.position = routine.next_position()
        item.save()
    messages.success(request, _("Added %(name)s.") % {"name": item.ladder.name})
    return redirect(routine)


@require_http_methods(["GET", "POST"])
@login_required
def item_edit(request, pk, item_pk):
    routine = get_own_routine(request, pk)
    item = get_object_or_404(routine.items.select_related("ladder"), pk=item_pk)
    form = RoutineItemForm(request.POST or None, instance=item, routine=routine, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(routine)
    return render(
        request, "coaching/routineitem_form.html", {"form": form, "routine": routine, "item": item}
    )


@require_POST
@login_required
def item_move(request, pk, item_pk):
    """Swap an item with its neighbour above or below (positions may have gaps)."""
    routine = get_own_routine(request, pk)
    with transaction.atomic():
        items = list(routine.items.select_for_update().order_by("position"))
        index = next((n for n, i in enumerate(items) if i.pk == item_pk), None)
        if index is None:
            return redirect(routine)  # already removed: nothing to move
        step = -1 if request.POST.get("direction") == "up" else 1
        other = index + step
        if 0 <= other < len(items):
            a, b = items[index], items[other]
            a_position, b_position = a.position, b.position
            # Positions are unique: park one item at 0 while the other takes its place.
            RoutineItem.objects.filter(pk=a.pk).update(position=0)
            RoutineItem.objects.filter(pk=b.pk).update(position=a_position)
            RoutineItem.objects.filter(pk=a.pk).update(position=b_position)
    return redirect(f"{routine.get_absolute_url()}#item-{item_pk}")


@require_POST
@login_required
def item_delete(request, pk, item_pk):
    routine = get_own_routine(request, pk)
    deleted, _rows = routine.items.filter(pk=item_pk).delete()
    if deleted:
        messages.info(request, _("Exercise removed from the routine."))
    return redirect(routine)


# --- Assigning ----------------------------------------------------------------------------


def preselected(request):
    """The athlete named by ``?athlete=`` ("Assign a routine" on their page), if the user
    may assign to them; a number that is not one of theirs is left out with a note."""
    raw = request.GET.get("athlete", "")
    if not raw:
        return None
    athlete = None
    if raw.isdigit() and len(raw) <= 18:
        athlete = request.user.coached_athletes().filter(pk=int(raw)).first()
    if athlete is None:
        messages.warning(request, _("That athlete is not linked to you: choose from the list."))
    return athlete


@require_http_methods(["GET", "POST"])
@login_required
def routine_assign(request, pk):
    routine = get_visible_routine(request, pk)
    today = request.user.local_today()
    athlete = preselected(request) if request.method == "GET" else None
    initial = [request.user] if not request.user.is_coach else []
    if athlete is not None:
        initial = [athlete]
    form = AssignForm(
        request.POST or None, user=request.user, today=today, initial={"athletes": initial}
    )
    empty = not routine.items.exists()
    if request.method == "POST":
        if empty:
            form.add_error(
                None, _("This routine has no exercises yet. Add at least one before assigning it.")
            )
        elif form.is_valid() and passes_on(request.user, routine, form.cleaned_data["recipients"]):
            form.add_error(
                "athletes",
                _(
                    "This routine is someone else's, so it can only go "
                    "on your own calendar. Duplicate it first, then "
                    "assign your copy."
                ),
            )
        elif form.is_valid():
            return assignment_create(request, routine, form)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "routine": routine,
        "empty": empty,
        "preselected": athlete,
        "athlete_count": form.fields["athletes"].queryset.exclude(pk=request.user.pk).count(),
    }
    return render(request, "coaching/assignment_form.html", context, status=status)


def passes_on(user, routine, athletes) -> bool:
    """Would this put someone else's routine on another person's calendar?

    A coach assigns templates and their own routines. A routine they only see because it
    is on their own calendar (from their own coach) would carry that coach's private
    ladders to people that coach never agreed to share them with.
    """
    shareable = routine.is_template or routine.owner_id == user.pk
    return not shareable and any(athlete.pk != user.pk for athlete in athletes)


def assignment_create(request, routine, form):
    """Put the routine on every chosen calendar on every chosen day, once.

    Sending the same form again (a double tap, a retry, the back button) adds nothing: the
    unique constraint keeps one routine per athlete and day, and the message counts what
    was already there.
    """
    data = form.cleaned_data
    athletes, days, window = data["recipients"], data["days"], data["window_days"]
    rows = [
        Assignment(
            routine=routine, athlete=athlete, assigned_by=request.user, date=day, window_days=window
        )
        for athlete in athletes
        for day in days
    ]
    with transaction.atomic():
        existing = Assignment.objects.filter(
            routine=routine, athlete__in=athletes, date__in=days
        ).count()
        Assignment.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    added = len(rows) - existing
    if len(athletes) == 1:
        who = _("your calendar") if athletes[0].pk == request.user.pk else athletes[0].name
        text = ngettext(
            "%(routine)s is on %(who)s: %(n)s day added.",
            "%(routine)s is on %(who)s: %(n)s days added.",
            added,
        ) % {"routine": routine.name, "who": who, "n": added}
    else:
        text = ngettext(
            "%(routine)s is on the calendars of %(people)s athletes: %(n)s day added.",
            "%(routine)s is on the calendars of %(people)s athletes: %(n)s days added.",
            added,
        ) % {"routine": routine.name, "people": len(athletes), "n": added}
    if existing:
        text += " " + ngettext(
            "%(n)s was already there.", "%(n)s were already there.", existing
        ) % {"n": existing}
    messages.success(request, text)
    if request.user.is_coach and any(a.pk != request.user.pk for a in athletes):
        return redirect("coaching:dashboard")
    return redirect("coaching:calendar")
