"""Access rules shared by every page of the coach area and the admin."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect


def needs_second_step(user) -> bool:
    """Coaches see other people's training and staff see everyone's: both need a second
    login step (an authenticator app or a passkey) before they reach those pages."""
    return (user.is_staff or user.is_coach) and not user.has_second_step()


def coach_required(view):
    """Log in first (302), then only people who switched on "I coach athletes" (403), who
    have also set up a second login step (302 to its setup)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_coach:
            raise PermissionDenied("The coach area is switched off in this profile.")
        if needs_second_step(request.user):
            return redirect("mfa_index")
        return view(request, *args, **kwargs)

    return wrapper
