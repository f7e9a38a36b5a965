"""The comment thread of a session as its pages show it, athlete's and coach's alike."""

from django.urls import reverse
from django.utils import timezone

from coaching.forms import CommentForm
from coaching.models import CommentRead


def draft_key(workout_pk: int) -> str:
    return f"comment-draft-{workout_pk}"


def thread_context(request, workout, *, mark_read=True) -> dict:
    """The comments, which are new to the user, and a form; opening it marks it read.

    A comment that was refused comes back in the form (kept in the session), so nothing
    typed is lost.
    """
    user = request.user
    comments = list(workout.comments.select_related("author"))
    others = [c for c in comments if c.author_id != user.pk]
    if others:
        read = CommentRead.objects.filter(user=user, workout=workout).first()
        since = read.last_read if read else None
        for comment in others:
            comment.is_new = since is None or comment.created > since
        # Written only when something was new: a page view that changes nothing keeps
        # the athlete's cached plan page valid (WorkoutSessionQuerySet.page_version).
        if mark_read and any(c.is_new for c in others):
            CommentRead.objects.update_or_create(
                user=user, workout=workout, defaults={"last_read": timezone.now()}
            )
    draft = request.session.pop(draft_key(workout.pk), "") if request.session else ""
    return {
        "comments": comments,
        "comment_form": CommentForm(initial={"body": draft}),
        "comment_url": reverse("coaching:comment_create", args=[workout.pk]),
    }
