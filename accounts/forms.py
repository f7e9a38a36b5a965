"""Profile, invitation and account-deletion forms: parsing and the messages people see."""

import re
from contextlib import suppress
from datetime import timedelta
from functools import cache

from allauth.account.adapter import get_adapter
from allauth.account.forms import ConfirmEmailVerificationCodeForm
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    TEAM_LINK_MAX_DAYS,
    TEAM_LINK_MAX_USES,
    CoachLink,
    Invitation,
    TeamLink,
    User,
)
from accounts.timezones import known_time_zones
from accounts.units import LB, format_load, load_number, to_kg
from core.fields import ModelMultipleChoiceField
from core.forms import PlainTextMixin
from core.languages import supported_language
from exercises.models import Equipment

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
MAX_DUMBBELL_KG = 100
MAX_WEEKLY_KM = 500  # above what elite marathoners run in their biggest weeks
MAX_DUMBBELLS = 30
INVITATIONS_PER_DAY = 100  # emailed or not: a team's list fits, a spammer's does not
WEIGHT = re.compile(r"\d{1,4}(\.\d{1,2})?")


@cache
def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(known_time_zones())]


def decimal_comma() -> bool:
    """Whether the active language writes 8,5 (Spanish): a list is then "4; 6; 8,5"."""
    return get_format("DECIMAL_SEPARATOR") == ","


class WeightListField(forms.CharField):
    """A list of loads typed as "4, 6, 8.5" in the user's units, kept as sorted kg.

    In a language with a decimal comma the list reads "4; 6; 8,5": semicolons, spaces or a
    comma followed by a space separate the weights, and a comma between digits is the
    decimal mark (a dot still works).

    ``units`` is the unit the numbers are shown and typed in; it is the user's saved
    choice, so changing units and weights in one save still reads the weights correctly.
    """

    max_text_length = 200

    def __init__(self, *, units="kg", **kwargs):
        self.units = units
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": str(self.max_text_length)}

    def prepare_value(self, value):
        if isinstance(value, list):
            separator = "; " if decimal_comma() else ", "
            return separator.join(load_number(kg, self.units) for kg in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if len(text) > self.max_text_length:
            raise forms.ValidationError(_("That list is too long."), code="max_length")
        if decimal_comma():
            items = [item.replace(",", ".") for item in re.split(r"[\s;]+|,(?=\s)", text)]
        else:
            items = re.split(r"[\s,;]+", text)
        items = [item for item in items if item]
        if any(not WEIGHT.fullmatch(item) for item in items):
            raise forms.ValidationError(
                _("Type the weights as numbers separated by commas, for example 4, 6, 8.5."),
                code="invalid",
            )
        weights = sorted({to_kg(float(item), self.units) for item in items})
        if any(kg <= 0 or kg > MAX_DUMBBELL_KG for kg in weights):
            raise forms.ValidationError(
                _("Each weight must be more than 0 and at most %(limit)s.")
                % {"limit": format_load(MAX_DUMBBELL_KG, self.units)},
                code="out_of_range",
            )
        if len(weights) > MAX_DUMBBELLS:
            raise forms.ValidationError(
                _("That is more than %(count)d different weights. List the ones you use.")
                % {"count": MAX_DUMBBELLS},
                code="too_many",
            )
        return weights


def list_example(units) -> str:
    if units == LB:
        return "10; 15; 20" if decimal_comma() else "10, 15, 20"
    return "4; 6; 8,5" if decimal_comma() else "4, 6, 8.5"


class ProfileForm(PlainTextMixin, forms.ModelForm):
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=timezone_choices,
        # The zones' names are the same in every language (tz database): not translated.
        widget=forms.Select(attrs={"translate": "no"}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    equipment = ModelMultipleChoiceField(
        label=_("Equipment I have at home"),
        queryset=Equipment.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The exercise library and your plan only use what you tick here."),
    )
    weekly_km = forms.IntegerField(
        label=_("Typical weekly running distance (km)"),
        required=False,
        min_value=0,
        max_value=MAX_WEEKLY_KM,
    )
    hard_run_days = forms.TypedMultipleChoiceField(
        label=_("Days I usually run hard"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Intervals, tempo runs, races or long runs. Strength goes around them."),
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "units",
            "timezone",
            "language",
            "equipment",
            "dumbbells_kg",
            "weekly_km",
            "hard_run_days",
            "is_coach",
        ]
        labels = {"display_name": _("Your name"), "units": _("Show weights in")}
        help_texts = {
            "display_name": _("Shown to your coaches. Leave it empty to use your email."),
            "is_coach": _(
                "Opens the coach area and the Invitations page, where you invite athletes "
                "to share their training with you."
            ),
        }
        widgets = {
            "units": forms.RadioSelect,
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not supported_language(self.initial.get("language")):
            # No language saved yet: offer the one this page is in, not the list's first.
            self.initial["language"] = supported_language(get_language()) or "en"
        if "dumbbells_kg" in self.fields:
            self.set_dumbbell_field(self.instance.units)
        if "weekly_km" in self.fields:
            self.fields["weekly_km"].widget.attrs["inputmode"] = "numeric"

    def set_dumbbell_field(self, units):
        """The weights are typed, shown and checked in ``units``."""
        self.fields["dumbbells_kg"] = WeightListField(
            units=units,
            required=False,
            label=_("Dumbbell weights I own (%(units)s)") % {"units": units},
            help_text=_("One number per weight, separated by commas, for example %(example)s.")
            % {"example": list_example(units)},
        )
        self.fields["dumbbells_kg"].widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off"}
        )

    def clean_hard_run_days(self):
        return sorted(set(self.cleaned_data["hard_run_days"]))


class InvitationForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "open_link"]
        labels = {"email": _("Athlete's email"), "open_link": _("Anyone with this link can join")}
        help_texts = {
            "email": _(
                "We email the link for you. Only the account with this address, once "
                "confirmed, can accept it."
            ),
            "open_link": _(
                "For a link you share yourself, when you do not know the address "
                "your athlete uses. It still works once."
            ),
        }
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "off"})}

    def __init__(self, *args, coach, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.coach = coach

    def clean(self):
        # A cap per day keeps the invitation email from being usable to spam strangers.
        since = timezone.now() - timedelta(days=1)
        made = Invitation.objects.filter(coach=self.instance.coach, created__gte=since).count()
        if made >= INVITATIONS_PER_DAY:
            raise forms.ValidationError(
                _("You have created %(count)d invitations today. Try again tomorrow.")
                % {"count": made},
                code="too_many",
            )
        data = super().clean()
        if not data.get("email") and not data.get("open_link") and "email" not in self.errors:
            self.add_error(
                "email",
                forms.ValidationError(
                    _("Type your athlete’s email, or tick “Anyone with this link can join”."),
                    code="no_address",
                ),
            )
        return data


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        # allauth's check counts wrong passwords against the same limit as the login form.
        password = self.cleaned_data["password"]
        if not get_adapter().reauthenticate(self.user, password):
            raise forms.ValidationError(
                _("That password is not right. Your account has not been deleted."),
                code="incorrect_password",
            )
        return password


# --- Codes typed at login and sign-up (allauth's forms, set in settings) -------------------


class NumberPadMixin:
    """Every code we ask for is digits: open the phone's number pad and let it offer the
    code it just received by SMS or email."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code", "placeholder": ""}
        )


class EmailCodeForm(NumberPadMixin, ConfirmEmailVerificationCodeForm):
    pass


class AuthenticateCodeForm(NumberPadMixin, AuthenticateForm):
    pass


class ReauthenticateCodeForm(NumberPadMixin, ReauthenticateForm):
    pass


class ActivateAuthenticatorAppForm(NumberPadMixin, ActivateTOTPForm):
    pass


def invitations_left_today(coach) -> int:
    since = timezone.now() - timedelta(days=1)
    made = Invitation.objects.filter(coach=coach, created__gte=since).count()
    return max(INVITATIONS_PER_DAY - made, 0)


MAX_LISTED_ADDRESSES = 100
_ADDRESS_SEPARATORS = re.compile(r"[\s,;]+")


class InvitationListForm(PlainTextMixin, forms.Form):
    """Addresses pasted from a spreadsheet or an email: one invitation each.

    Each address gets its own answer (``entries``): a new invitation, or why not — not an
    address, listed twice, already your athlete, already invited and waiting, or over the
    day's limit. Pasting the same list again invites nobody twice.
    """

    NEW = "new"
    OUTCOMES = {
        "invalid": _("Not an email address: nothing sent."),
        "repeated": _("Listed more than once: invited once."),
        "linked": _("Already your athlete: nothing sent."),
        "pending": _("Already invited and waiting for an answer: nothing sent."),
        "over_limit": _("Over today's limit of invitations: try again tomorrow."),
        "sent": _("Invitation emailed."),
        "not_sent": _("Invitation made, but the email could not be sent: copy its link below."),
    }

    addresses = forms.CharField(
        label=_("Email addresses"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off"}),
        help_text=format_lazy(
            _(
                "Paste up to {n} addresses, separated by commas, spaces or new lines. "
                "Each athlete gets their own invitation, which only their address can accept."
            ),
            n=MAX_LISTED_ADDRESSES,
        ),
        error_messages={"required": _("Paste at least one email address.")},
    )

    def __init__(self, *args, coach, **kwargs):
        super().__init__(*args, **kwargs)
        self.coach = coach

    def clean_addresses(self):
        pieces = [
            p.strip("<>\"'()") for p in _ADDRESS_SEPARATORS.split(self.cleaned_data["addresses"])
        ]
        pieces = [p for p in pieces if p]
        if not pieces:
            raise forms.ValidationError(_("Paste at least one email address."))
        if len(pieces) > MAX_LISTED_ADDRESSES:
            raise forms.ValidationError(
                _("That is %(count)d addresses; paste at most %(max)d at a time.")
                % {"count": len(pieces), "max": MAX_LISTED_ADDRESSES}
            )
        return pieces

    def clean(self):
        data = super().clean()
        pieces = data.get("addresses")
        if pieces:
            data["entries"] = self.judge(pieces)
        return data

    def judge(self, pieces) -> list[tuple[str, str]]:
        """(address, outcome) for each piece, in the order pasted; ``NEW`` to invite."""
        validate = forms.EmailField().clean
        valid = {}
        for piece in pieces:
            with suppress(forms.ValidationError):
                valid[piece] = validate(piece).lower()
        addresses = set(valid.values())
        linked = set(
            CoachLink.objects.active()
            .filter(coach=self.coach, athlete__email__in=addresses)
            .values_list("athlete__email", flat=True)
        )
        waiting = {
            email.lower()
            for email in Invitation.objects.filter(coach=self.coach)
            .pending()
            .exclude(email="")
            .values_list("email", flat=True)
        }
        left = invitations_left_today(self.coach)
        seen, entries = set(), []
        for piece in pieces:
            address = valid.get(piece)
            if address is None:
                outcome = "invalid"
            elif address in seen:
                outcome = "repeated"
            elif address in linked:
                outcome = "linked"
            elif address in waiting:
                outcome = "pending"
            elif left <= 0:
                outcome = "over_limit"
            else:
                outcome = self.NEW
                left -= 1
            if address is not None:
                seen.add(address)
            entries.append((address or piece, outcome))
        return entries


class TeamLinkForm(forms.ModelForm):
    """A link for a whole team: how many people can join, and for how many days."""

    days = forms.IntegerField(
        label=_("Works for (days)"),
        min_value=1,
        max_value=TEAM_LINK_MAX_DAYS,
        initial=14,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": format_lazy(_("Choose 1 to {n} days."), n=TEAM_LINK_MAX_DAYS),
            "max_value": format_lazy(_("Choose 1 to {n} days."), n=TEAM_LINK_MAX_DAYS),
        },
    )

    class Meta:
        model = TeamLink
        fields = ["max_uses"]
        labels = {"max_uses": _("How many people can join")}
        widgets = {"max_uses": forms.NumberInput(attrs={"inputmode": "numeric"})}

    def __init__(self, *args, coach, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.coach = coach
        field = self.fields["max_uses"]
        field.initial = 30
        field.min_value, field.max_value = 1, TEAM_LINK_MAX_USES
        field.widget.attrs.update(min=1, max=TEAM_LINK_MAX_USES)
        message = format_lazy(_("Choose 1 to {n} people."), n=TEAM_LINK_MAX_USES)
        field.validators = [
            MinValueValidator(1, message=message),
            MaxValueValidator(TEAM_LINK_MAX_USES, message=message),
        ]
        field.error_messages["required"] = _("Say how many people can join.")

    def clean(self):
        data = super().clean()
        open_links = TeamLink.objects.filter(coach=self.instance.coach).open().count()
        if open_links >= MAX_OPEN_TEAM_LINKS:
            raise forms.ValidationError(
                _("You have %(n)d team links working: revoke one first.") % {"n": open_links}
            )
        return data

    def save(self, commit=True):
        link = super().save(commit=False)
        link.expires_at = timezone.now() + timedelta(days=self.cleaned_data["days"])
        if commit:
            link.save()
        return link


MAX_OPEN_TEAM_LINKS = 10
