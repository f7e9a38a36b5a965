"""A comment thread on each session, between the athlete and their linked coach."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coaching.comments import draft_key
from coaching.forms import CommentForm
from coaching.models import Comment
from sessions.models import WorkoutSession


def thread_url(user, workout) -> str:
    if user.pk == workout.athlete_id:
        return workout.get_absolute_url() + "#comments"
    return reverse("coaching:athlete_workout", args=[workout.athlete_id, workout.pk]) + "#comments"


@require_POST
@login_required
def comment_create(request, pk):
    workout = get_object_or_404(WorkoutSession.objects.select_related("athlete"), pk=pk)
    user = request.user
    if workout.athlete_id != user.pk and not user.can_coach(workout.athlete):
        raise Http404("No such session")
    form = CommentForm(request.POST)
    if not form.is_valid():
        request.session[draft_key(workout.pk)] = request.POST.get("body", "")[:10000]
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(thread_url(user, workout))
    data = form.cleaned_data
    try:
        with transaction.atomic():
            Comment.objects.create(
                workout=workout, author=user, body=data["body"], client_id=data["client_id"]
            )
    except IntegrityError:
        pass  # the same form sent twice: the first one is stored
    else:
        messages.success(request, _("Comment sent."))
    return redirect(thread_url(user, workout))
