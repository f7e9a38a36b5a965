"""A coach's own ladders and exercises, with videos checked like the library's.

They are private: the coach and the athletes linked to them see them (in the routine
builder and on /exercises/<slug>/); the public library never lists them. Another coach's
ladder is a 404.
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import Max, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import coach_required
from coaching.forms import ExerciseForm, LadderForm, private_slug
from exercises.models import Exercise, Ladder

LEVELS = Prefetch("exercises", queryset=Exercise.objects.order_by("level"))


def get_own_ladder(request, pk):
    return get_object_or_404(Ladder.objects.prefetch_related(LEVELS), pk=pk, owner=request.user)


@require_GET
@coach_required
def ladder_list(request):
    ladders = Ladder.objects.filter(owner=request.user).prefetch_related(LEVELS)
    return render(request, "coaching/ladder_list.html", {"ladders": ladders})


@require_http_methods(["GET", "POST"])
@coach_required
def ladder_create(request):
    form = LadderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ladder = form.save(commit=False)
        ladder.owner, ladder.private = request.user, True
        ladder.slug = private_slug(request.user, ladder.name)
        ladder.order = 1000
        ladder.save()
        messages.success(request, _("Ladder created. Add its first level."))
        return redirect("coaching:exercise_create", pk=ladder.pk)
    return render(request, "coaching/ladder_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@coach_required
def ladder_edit(request, pk):
    ladder = get_own_ladder(request, pk)
    form = LadderForm(request.POST or None, instance=ladder)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("coaching:ladder_edit", pk=ladder.pk)
    return render(request, "coaching/ladder_form.html", {"form": form, "ladder": ladder})


@require_http_methods(["GET", "POST"])
@coach_required
def exercise_create(request, pk):
    ladder = get_own_ladder(request, pk)
    exercise = Exercise(ladder=ladder)
    form = ExerciseForm(request.POST or None, request.FILES or None, instance=exercise)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            exercise = form.save(commit=False)
            top = Exercise.objects.filter(ladder=ladder).aggregate(top=Max("level"))["top"]
            exercise.level = (top or 0) + 1
            exercise.slug = private_slug(request.user, exercise.name)
            exercise.save()
            form.save_m2m()
        messages.success(request, _("Level %(n)s added.") % {"n": exercise.level})
        return redirect("coaching:ladder_edit", pk=ladder.pk)
    return render(request, "coaching/exercise_form.html", {"form": form, "ladder": ladder})


@require_http_methods(["GET", "POST"])
@coach_required
def exercise_edit(request, pk):
    exercise = get_object_or_404(
        Exercise.objects.select_related("ladder"), pk=pk, ladder__owner=request.user
    )
    form = ExerciseForm(request.POST or None, request.FILES or None, instance=exercise)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("coaching:ladder_edit", pk=exercise.ladder_id)
    return render(
        request,
        "coaching/exercise_form.html",
        {"form": form, "ladder": exercise.ladder, "exercise": exercise},
    )
