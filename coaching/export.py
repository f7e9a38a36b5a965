"""Routines, calendar days and comments in a person's data export (``accounts.export``);
``CoachingConfig.ready`` registers them."""

from accounts.export import counted_in, row
from accounts.models import User
from coaching.models import Assignment, Comment, Group, Routine


def routines_section(user: User) -> list[dict]:
    routines = Routine.objects.filter(owner=user).prefetch_related("items__ladder")
    return [
        {
            "name": routine.name,
            "description": routine.description,
            "created": routine.created,
            "items": [
                {
                    **counted_in(
                        row(item, skip=("id", "routine_id", "ladder_id")), item.ladder.rep_unit
                    ),
                    "ladder_slug": item.ladder.slug,
                }
                for item in routine.items.all()
            ],
        }
        for routine in routines
    ]


def assignments_section(user: User) -> list[dict]:
    """The days on the calendar now, and every day the person trained (their history).

    A coach's days the athlete never trained go with the link when it ends: they are the
    coach's plans, as the calendar shows (``AssignmentQuerySet.current``).
    """
    mine = Assignment.objects.filter(athlete=user)
    assignments = (
        (mine.current() | mine.filter(workout__isnull=False))
        .with_outcome()
        .select_related("routine", "assigned_by", "athlete")
    )
    return [
        {
            "date": assignment.date,
            "routine": assignment.routine.name,
            "assigned_by": "me"
            if assignment.assigned_by_id == user.pk
            else assignment.assigned_by.name,
            "state": assignment.state,
            "window_days": assignment.window_days,
            "workout_id": assignment.workout_id,
        }
        for assignment in assignments
    ]


def comments_section(user: User) -> list[dict]:
    return [
        {"workout_id": comment.workout_id, "body": comment.body, "created": comment.created}
        for comment in Comment.objects.filter(author=user)
    ]


def groups_section(user: User) -> list[dict]:
    """A coach's groups and who is in them now (``Group.members``)."""
    groups = Group.objects.of(user)
    return [
        {"name": group.name, "athletes": [athlete.name for athlete in group.members()]}
        for group in groups
    ]
