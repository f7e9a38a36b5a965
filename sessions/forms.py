"""Input for the check-in, set logging and finishing a session, with plain-words errors."""

import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.units import format_load, load_number, to_kg
from core.forms import PlainTextMixin
from exercises.models import REGION_CHOICES
from runs.forms import RPE_WORDS
from sessions.models import CheckIn

MAX_LOAD_KG = Decimal("300")
MAX_REPS = 200

RATING_WORDS = {
    "soreness": (_("Legs"), [_("Very sore"), _("Sore"), _("A bit stiff"), _("Fine"), _("Fresh")]),
    "fatigue": (_("Energy"), [_("Exhausted"), _("Tired"), _("OK"), _("Good"), _("Great")]),
    "sleep": (_("Sleep"), [_("Very poor"), _("Poor"), _("OK"), _("Good"), _("Great")]),
    "stress": (_("Stress"), [_("Very high"), _("High"), _("Normal"), _("Low"), _("Relaxed")]),
}
RED_FLAGS = [
    ("rest", _("It hurts at rest or at night")),
    ("swelling", _("It is swollen")),
    ("limp", _("It makes me limp")),
    ("bone", _("One spot on a bone is tender to press")),
    ("numb", _("Numbness or tingling")),
    ("worse", _("It gets worse as I go")),
]
MINUTES_CHOICES = [("15", "15"), ("20", "20"), ("30", "30"), ("45", "45"), ("", _("No limit"))]
RIR_CHOICES = [
    (0, _("0 — could not do another")),
    (1, _("1 more")),
    (2, _("2 more")),
    (3, _("3 more")),
    (4, _("4 more")),
    (5, _("5 or more")),
]


class RatingField(forms.TypedChoiceField):
    def __init__(self, label, words, **kwargs):
        choices = [(str(n), format_lazy("{} {}", n, word)) for n, word in enumerate(words, start=1)]
        super().__init__(
            label=label,
            choices=choices,
            coerce=int,
            required=False,
            empty_value=None,
            widget=forms.RadioSelect,
            **kwargs,
        )
        self.words = words


class CheckInForm(forms.Form):
    """Four 1–5 ratings, pain by region, the last hard run, and the safety line."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    soreness = RatingField(*RATING_WORDS["soreness"])
    fatigue = RatingField(*RATING_WORDS["fatigue"])
    sleep = RatingField(*RATING_WORDS["sleep"])
    stress = RatingField(*RATING_WORDS["stress"])
    red_flags = forms.MultipleChoiceField(
        label=_("Does any of this apply to the pain?"),
        choices=RED_FLAGS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Spec §9: a warning sign belongs to one pain, not to all: ticked beside that pain.
    red_flag_regions = forms.MultipleChoiceField(
        label=_("Which pain has a warning sign?"),
        choices=REGION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    last_hard_run = forms.ChoiceField(
        label=_("Last hard run"),
        choices=CheckIn.HardRun.choices,
        initial="unknown",
        widget=forms.RadioSelect,
    )
    # Asked only after a hard run in the last 3 days (clean), so not required by itself.
    run_kind = forms.ChoiceField(
        label=_("What was it?"),
        choices=CheckIn.RunKind.choices,
        initial="hard",
        required=False,
        widget=forms.RadioSelect,
    )
    key_run_soon = forms.ChoiceField(
        label=_("Hard run or race coming up?"),
        choices=CheckIn.KeyRun.choices,
        initial="no",
        widget=forms.RadioSelect,
    )
    minutes_available = forms.TypedChoiceField(
        label=_("Minutes you have"),
        choices=MINUTES_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        initial="",
        widget=forms.RadioSelect,
    )
    ill = forms.BooleanField(label=_("I feel ill: fever, flu or generally unwell"), required=False)
    urgent = forms.BooleanField(
        label=_(
            "Chest pain, fainting, a racing or irregular heartbeat, unusual "
            "breathlessness, or dark urine with severe muscle pain"
        ),
        required=False,
    )

    def __init__(self, *args, log=None, assignments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_id", uuid.uuid4())
        if assignments:
            # Coaching: today's assigned routines (the athlete's own, not started); the first
            # is preselected, and a tampered value is refused like any invalid choice.
            self.fields["assignment"] = forms.ModelChoiceField(
                label=_("Today's routine"),
                queryset=assignments,
                required=False,
                empty_label=None,
                widget=forms.RadioSelect,
                initial=assignments[0].pk,
                error_messages={
                    "invalid_choice": _(
                        "That routine is not on your calendar today: choose one of the list."
                    )
                },
            )
            self.fields["assignment"].label_from_instance = lambda a: a.choice_label
        # What the running log knows (sessions.running_log.LogFacts) is not asked again: "As
        # my log says" is the preselected answer, and any other answer is the athlete's
        # correction.
        self.log = log
        known = {
            "last_hard_run": log is not None and log.knows_last_hard_run,
            "run_kind": log is not None and log.knows_last_hard_run,
            "key_run_soon": log is not None and log.knows_next_key,
        }
        self.from_log = [name for name, from_log in known.items() if from_log]
        for name, from_log in known.items():
            field = self.fields[name]
            if from_log:
                field.initial = CheckIn.HardRun.LOG
                field.required = False  # no answer: the log's
            else:
                field.choices = [c for c in field.choices if c[0] != CheckIn.HardRun.LOG]
        for region, label in REGION_CHOICES:
            self.fields[f"pain_{region}"] = forms.TypedChoiceField(
                label=label,
                choices=[("0", _("No pain"))] + [(str(n), f"{n}/10") for n in range(1, 11)],
                coerce=int,
                required=False,
                empty_value=0,
                initial="0",
            )

    # The last hard run's answers after which "What was it?" is not asked (the page's
    # data-hidden-for; clean() drops it).
    no_recent_run = " ".join(CheckIn.NO_RECENT_RUN)

    def rating_fields(self):
        return [self[name] for name in RATING_WORDS]

    def pain_fields(self):
        return [self[f"pain_{region}"] for region, _label in REGION_CHOICES]

    def pain_rows(self):
        """(how much it hurts, its warning-sign box) for each region, in the region order."""
        return list(zip(self.pain_fields(), self["red_flag_regions"], strict=True))

    def clean(self):
        data = super().clean()
        pains = [
            {"region": region, "nrs": data.get(f"pain_{region}") or 0}
            for region, _label in REGION_CHOICES
            if data.get(f"pain_{region}")
        ]
        signs = bool(data.get("red_flags"))
        marked = set(data.get("red_flag_regions") or [])
        if (signs or marked) and not pains:
            raise forms.ValidationError(
                _("You ticked a warning sign about pain: choose where it hurts and how much."),
                code="red_flag_without_pain",
            )
        hurting = {pain["region"] for pain in pains}
        if marked - hurting:
            labels = dict(REGION_CHOICES)
            raise forms.ValidationError(
                _("You marked a warning sign for %(regions)s: choose how much it hurts.")
                % {"regions": ", ".join(str(labels[r]) for r in sorted(marked - hurting))},
                code="red_flag_region_without_pain",
            )
        if signs and not marked:
            if len(pains) > 1:
                raise forms.ValidationError(
                    _("More than one spot hurts: tick the one with the warning sign."),
                    code="red_flag_which_pain",
                )
            marked = hurting  # one pain: the signs are its own
        for pain in pains:
            pain["red_flag"] = pain["region"] in marked
        data["pains"] = pains
        for name in self.from_log:
            data[name] = data.get(name) or CheckIn.HardRun.LOG
        if data.get("last_hard_run") in CheckIn.NO_RECENT_RUN:
            # No hard run in 3 days: "What was it?" has nothing to describe. The page hides
            # it, and whatever a page without JavaScript (or an old queued one) still sent
            # is dropped here, so it is neither stored nor read.
            data["run_kind"] = ""
            self.errors.pop("run_kind", None)
        elif (
            data.get("last_hard_run") and not data.get("run_kind") and "run_kind" not in self.errors
        ):
            self.add_error("run_kind", _("Choose what the run was."))
        return data


class SetForm(forms.Form):
    """One logged set. Loads are typed in the athlete's units and stored in kg."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    position = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    set_number = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reps = forms.IntegerField(
        label=_("Reps"),
        min_value=1,
        max_value=MAX_REPS,
        error_messages={"max_value": _("That is more than %(limit_value)s — check the number.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    load = forms.CharField(
        label=_("Load"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    rir = forms.TypedChoiceField(
        label=_("How many more could you have done?"),
        choices=RIR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    pain = forms.IntegerField(
        label=_("Pain during the set (0–10)"),
        min_value=0,
        max_value=10,
        required=False,
        widget=forms.NumberInput(attrs={"type": "range", "min": 0, "max": 10, "step": 1}),
    )

    def __init__(self, *args, units="kg", **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        self.fields["load"].label = _("Load (%(units)s)") % {"units": units}

    def clean_load(self):
        raw = (self.cleaned_data.get("load") or "").strip().replace(",", ".")
        if not raw:
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError(_("Type the load as a number, e.g. 8 or 12.5.")) from None
        if not value.is_finite() or value < 0:
            raise forms.ValidationError(_("The load cannot be negative."))
        # Past the limit in any unit: refused before float() makes 1e9999 infinite.
        too_much = value > 10 * MAX_LOAD_KG
        kg = MAX_LOAD_KG + 1 if too_much else Decimal(str(to_kg(float(value), self.units)))
        if kg > MAX_LOAD_KG:
            raise forms.ValidationError(
                _("That is more than %(limit)s — check the number.")
                % {"limit": format_load(MAX_LOAD_KG, self.units)}
            )
        return kg.quantize(Decimal("0.01"))

    def clean_pain(self):
        return self.cleaned_data.get("pain") or 0


class FinishForm(PlainTextMixin, forms.Form):
    # Optional: a form from before the id existed, or a client without one, still finishes.
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    session_rpe = forms.TypedChoiceField(
        label=_("How hard was the whole session?"),
        choices=[(str(n), format_lazy("{} {}", n, word)) for n, word in enumerate(RPE_WORDS)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    duration_minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=1,
        max_value=600,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def kg_to_units(kg, units):
    """A stored load as the number to show in the athlete's units ("" when there is none)."""
    return "" if kg is None else load_number(kg, units)
