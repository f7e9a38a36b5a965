"""Typing in a run or a race: phone-friendly fields and plain-words errors."""

import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import PlainTextMixin
from runs.models import EARLIEST, MAX_DISTANCE_KM, MAX_DURATION, Race, Run

MAX_PLAN_AHEAD = timedelta(days=400)
HOURS_MINUTES = re.compile(r"(\d{1,2}):([0-5]?\d)(?::([0-5]?\d))?")
MINUTES = re.compile(r"\d{1,5}([.,]\d{1,2})?")
# Borg's CR-10 effort scale, one distinct word for each point (its own anchors at 0, 1, 2,
# 3, 5, 7 and 10, and the steps between named in order), for a run's effort and a
# strength session's (sessions.forms).
RPE_WORDS = [
    _("Nothing at all"),
    _("Very easy"),
    _("Easy"),
    _("Moderate"),
    _("Somewhat hard"),
    _("Hard"),
    _("Hard to very hard"),
    _("Very hard"),
    _("Very, very hard"),
    _("Almost maximal"),
    _("Maximal"),
]


class DurationText(forms.CharField):
    """A run's time as minutes ("45") or hours and minutes ("1:20", "1:20:30")."""

    default_error_messages = {
        "invalid": _("Type the time in minutes (45) or in hours and minutes (1:20)."),
        "zero": _("The time must be more than zero."),
        "too_long": _("That is more than 24 hours. Check the time."),
    }

    def prepare_value(self, value):
        if isinstance(value, timedelta):
            hours, rest = divmod(round(value.total_seconds()), 3600)
            minutes, seconds = divmod(rest, 60)
            if seconds:
                return f"{hours}:{minutes:02d}:{seconds:02d}"
            return f"{hours}:{minutes:02d}" if hours else str(minutes)
        return value

    def to_python(self, value):
        text = super().to_python(value).strip().replace(" ", "")
        if text in self.empty_values:
            return None
        if text.startswith("-"):
            raise forms.ValidationError(self.error_messages["zero"], code="zero")
        if match := HOURS_MINUTES.fullmatch(text):
            hours, minutes, seconds = (int(part or 0) for part in match.groups())
            duration = timedelta(hours=hours, minutes=minutes, seconds=seconds)
        elif MINUTES.fullmatch(text):
            duration = timedelta(minutes=float(text.replace(",", ".")))
        else:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if duration <= timedelta(0):
            raise forms.ValidationError(self.error_messages["zero"], code="zero")
        if duration > MAX_DURATION:
            raise forms.ValidationError(self.error_messages["too_long"], code="too_long")
        return duration


class KilometresField(forms.CharField):
    """A distance in km; a comma works as the decimal point (phones in many languages)."""

    def __init__(self, *, minimum=Decimal("0"), **kwargs):
        self.minimum = minimum
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {
            **super().widget_attrs(widget),
            "inputmode": "decimal",
            "autocomplete": "off",
            "maxlength": "8",
        }

    def to_python(self, value):
        text = super().to_python(value).strip().replace(",", ".")
        if text in self.empty_values:
            return None
        try:
            km = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(
                _("Type the distance in kilometres, for example 8 or 10.5."), code="invalid"
            ) from None
        if not km.is_finite():
            raise forms.ValidationError(_("Type the distance in kilometres."), code="invalid")
        if km < 0:
            raise forms.ValidationError(_("The distance cannot be negative."), code="negative")
        if km < self.minimum:
            raise forms.ValidationError(_("The distance must be more than zero."), code="zero")
        if km > MAX_DISTANCE_KM:
            raise forms.ValidationError(
                _("That is more than 300 km. Check the distance."), code="too_far"
            )
        return km.quantize(Decimal("0.01"))


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class RunForm(PlainTextMixin, forms.ModelForm):
    """A run in a few taps: type and effort are buttons, start is now unless changed.

    The view validates and renders it inside the athlete's time zone, so the start typed on
    the phone means the athlete's local time.
    """

    duration = DurationText(
        label=_("Time (minutes, or h:mm)"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": "45", "maxlength": "8"}
        ),
    )
    distance_km = KilometresField(
        label=_("Distance (km)"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "8.5"}),
    )
    rpe = forms.TypedChoiceField(
        label=_("How hard was it?"),
        choices=[(str(n), format_lazy("{} {}", n, word)) for n, word in enumerate(RPE_WORDS)],
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Run
        fields = ["status", "kind", "start", "duration", "distance_km", "rpe", "notes"]
        labels = {"status": _("Done or planned?"), "kind": _("Type of run"), "start": _("Start")}
        widgets = {
            "status": forms.RadioSelect,
            "kind": forms.RadioSelect,
            "start": LocalDateTimeInput,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = Run.Status.choices
        self.fields["kind"].choices = Run.Kind.choices
        self.fields["start"].widget.attrs["class"] = "form-control"
        if not self.instance.pk and not self.is_bound:
            self.initial["start"] = timezone.now().replace(second=0, microsecond=0)

    def clean_start(self):
        # Too early, or done in the future: Run.start_problem, shared with file imports.
        start = self.cleaned_data["start"]
        if start > timezone.now() + MAX_PLAN_AHEAD:
            raise forms.ValidationError(_("Plan runs at most a year ahead."))
        return start


class RaceForm(PlainTextMixin, forms.ModelForm):
    distance_km = KilometresField(
        label=_("Distance (km)"),
        required=False,
        minimum=Decimal("0.01"),
        widget=forms.TextInput(attrs={"placeholder": "10"}),
    )

    class Meta:
        model = Race
        fields = ["name", "date", "distance_km", "priority"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "priority": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "priority" in self.fields:
            self.fields["priority"].choices = Race.Priority.choices
        self.fields["name"].widget.attrs.setdefault("placeholder", _("City 10K"))

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day < EARLIEST:
            raise forms.ValidationError(_("That date is long ago. Check the year."))
        if day > timezone.localdate() + timedelta(days=3 * 365):
            raise forms.ValidationError(_("Add races at most three years ahead."))
        return day
