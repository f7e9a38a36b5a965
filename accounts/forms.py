"""Profile, invitation and account-deletion forms: parsing and the messages people see."""

import re
import zoneinfo
from datetime import timedelta
from functools import cache

from allauth.account.adapter import get_adapter
from allauth.account.forms import ConfirmEmailVerificationCodeForm
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, User
from accounts.units import LB, format_load, from_kg, to_kg
from core.fields import ModelMultipleChoiceField
from core.forms import PlainTextMixin
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
INVITATIONS_PER_DAY = 20
WEIGHT = re.compile(r"\d{1,4}(\.\d{1,2})?")


@cache
def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class WeightListField(forms.CharField):
    """A list of loads typed as "4, 6, 8.5" in the user's units, kept as sorted kg.

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
            return ", ".join(f"{from_kg(kg, self.units):g}" for kg in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if len(text) > self.max_text_length:
            raise forms.ValidationError(_("That list is too long."), code="max_length")
        items = [item for item in re.split(r"[\s,;]+", text) if item]
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


class ProfileForm(PlainTextMixin, forms.ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices)
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
                "Opens the Athletes page, where you invite athletes to share "
                "their training with you."
            ),
        }
        widgets = {
            "units": forms.RadioSelect,
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = self.instance.units
        self.fields["dumbbells_kg"] = WeightListField(
            units=units,
            required=False,
            label=_("Dumbbell weights I own (%(units)s)") % {"units": units},
            help_text=_("One number per weight, separated by commas, for example %(example)s.")
            % {"example": "10, 15, 20" if units == LB else "4, 6, 8.5"},
        )
        self.fields["dumbbells_kg"].widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off"}
        )
        self.fields["weekly_km"].widget.attrs["inputmode"] = "numeric"

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
