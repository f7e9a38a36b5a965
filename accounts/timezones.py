"""The browser's time zone as a guess: read at sign-up and on the first set-up step.

Kept apart from accounts.forms, which imports allauth's forms: allauth builds its sign-up
form on ``SignupExtrasForm`` (ACCOUNT_SIGNUP_FORM_CLASS) while importing them.
"""

import zoneinfo
from functools import cache

from django import forms


@cache
def known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class GuessedTimeZoneField(forms.Field):
    """The browser's time zone, put in a hidden input by static/js/onboarding.js.

    A guess, never something the person typed: a name that is not in the zone list (or no
    script, or a hostile value) is ignored, never an error on a field nobody can see.
    """

    widget = forms.HiddenInput(attrs={"data-guess-timezone": ""})

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        if isinstance(value, str) and len(value) <= 64 and value in known_time_zones():
            return value
        return ""


def adopt_guessed_time_zone(user, zone: str) -> bool:
    """Take the browser's zone while the profile still has the default (UTC): a zone the
    person chose on their profile is never replaced by a guess. True if it changed."""
    if not zone or user.timezone != "UTC" or zone == "UTC":
        return False
    user.timezone = zone
    user.save(update_fields=["timezone"])
    return True


class SignupExtrasForm(forms.Form):
    """allauth's sign-up form is built on this (ACCOUNT_SIGNUP_FORM_CLASS): the time zone
    the browser reports goes with the address and password."""

    tz_guess = GuessedTimeZoneField()

    def signup(self, request, user):
        adopt_guessed_time_zone(user, self.cleaned_data.get("tz_guess", ""))
