"""Access rules shared by every page of the coach area."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def coach_required(view):
    """Log in first (302), then only people who switched on "I coach athletes" (403)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_coach:
            raise PermissionDenied("The coach area is switched off in this profile.")
        return view(request, *args, **kwargs)

    return wrapper
