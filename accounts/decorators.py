"""Access rules shared by every page of the coach area and the admin."""

from functools import wraps

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect


def needs_second_step(user) -> bool:
    """Coaches see other people's training and staff see everyone's: both need a second
    login step (an authenticator app or a passkey) before they reach those pages."""
    return (user.is_staff or user.is_coach) and not is_mfa_enabled(user)


def second_step_required(view):
    """Send a coach or staff member without an authenticator to set one up first.

    The two-step page explains why (templates/mfa/index.html).
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated and needs_second_step(request.user):
            return redirect("mfa_index")
        return view(request, *args, **kwargs)

    return wrapper


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
