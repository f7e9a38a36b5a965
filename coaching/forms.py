"""Input for routines, assignments, comments and a coach's own ladders, with plain messages."""

import secrets
import uuid
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Count, Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.forms import WEEKDAYS
from accounts.models import User
from coaching import schedule
from coaching.models import (
    MAX_COMMENT_LENGTH,
    MAX_FIXED_REPS,
    MAX_FIXED_SETS,
    MAX_REST_SECONDS,
    Routine,
    RoutineItem,
)
from exercises.models import REGION_CHOICES, Equipment, Exercise, Ladder


class RoutineForm(forms.ModelForm):
    class Meta:
        model = Routine
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"description": _("Optional: what it is for, when to do it.")}


def plannable_ladders(user, keep=None):
    """Ladders the user may put in a routine: visible to them and with at least one level."""
    visible = Ladder.objects.visible_to(user).annotate(levels=Count("exercises"))
    condition = Q(levels__gt=0)
    if keep is not None:
        condition |= Q(pk=keep)
    return visible.filter(condition).order_by("private", "order", "name")


class RoutineItemForm(forms.ModelForm):
    """Add or change one exercise of a routine: which ladder, which level, how it is dosed."""

    start_level = forms.IntegerField(
        label=_("Level"), required=False, min_value=1, max_value=50,
        help_text=_("Leave empty to use the athlete's current level."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    fixed_sets = forms.IntegerField(
        label=_("Sets"), required=False, min_value=1, max_value=MAX_FIXED_SETS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    fixed_reps = forms.IntegerField(
        label=_("Reps (or seconds for a hold)"), required=False, min_value=1,
        max_value=MAX_FIXED_REPS, widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    rest_seconds = forms.IntegerField(
        label=_("Rest between sets (seconds)"), min_value=0, max_value=MAX_REST_SECONDS,
        initial=90, widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = RoutineItem
        fields = ["ladder", "mode", "start_level", "fixed_sets", "fixed_reps", "rest_seconds",
                  "note"]
        widgets = {"mode": forms.RadioSelect}
        labels = {"ladder": _("Exercise"), "mode": _("Dose"), "note": _("Note (optional)")}
        help_texts = {"mode": _("Fatigue-adjusted: the check-in sets sets and effort. Fixed: "
                                "you set sets × reps; pain, illness or a race still skip it.")}

    def __init__(self, *args, routine, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.routine = routine
        keep = self.instance.ladder_id if self.instance.pk else None
        self.fields["ladder"].queryset = plannable_ladders(user, keep)
        self.fields["ladder"].empty_label = _("Choose an exercise")
        self.fields["ladder"].label_from_instance = lambda ladder: (
            f"{ladder.name} ({ladder.levels} levels)" if ladder.levels != 1 else ladder.name
        )

    def clean(self):
        data = super().clean()
        ladder, mode = data.get("ladder"), data.get("mode")
        if ladder is not None:
            taken = self.routine.items.filter(ladder=ladder).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("ladder", _("%(name)s is already in this routine.")
                               % {"name": ladder.name})
            level = data.get("start_level")
            if level and level > ladder.levels:
                self.add_error("start_level", _("%(name)s has %(n)s levels; choose 1 to %(n)s.")
                               % {"name": ladder.name, "n": ladder.levels})
        if mode == RoutineItem.Mode.FIXED:
            for name in ("fixed_sets", "fixed_reps"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("A fixed dose needs sets and reps."))
        elif mode == RoutineItem.Mode.FATIGUE:
            data["fixed_sets"] = data["fixed_reps"] = None
        return data

    def _post_clean(self):
        # The routine is not a form field; the unique checks need it on the instance.
        self.instance.routine = self.routine
        super()._post_clean()


class AthleteChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, me, **kwargs):
        super().__init__(*args, **kwargs)
        self.me = me

    def label_from_instance(self, obj):
        return _("Me") if obj.pk == self.me.pk else obj.name


class AssignForm(forms.Form):
    """Who, and when: a list of dates, or chosen weekdays between two dates."""

    HOW = [("dates", _("On these dates")), ("weekly", _("Every week on chosen days"))]

    athletes = AthleteChoiceField(
        label=_("Athletes"), queryset=User.objects.none(), me=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one athlete."),
            "invalid_choice": _("You can only assign routines to yourself and to athletes "
                                "linked to you."),
            "invalid_pk_value": _("You can only assign routines to yourself and to athletes "
                                  "linked to you."),
        },
    )
    how = forms.ChoiceField(label=_("When"), choices=HOW, initial="dates",
                            widget=forms.RadioSelect)
    dates = forms.CharField(
        label=_("Dates"), required=False, max_length=2000,
        help_text=_("Year-month-day, separated by commas, e.g. 2026-05-04, 2026-05-06."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"), choices=WEEKDAYS, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until (included)"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        field = self.fields["athletes"]
        field.me = user
        field.queryset = User.objects.filter(
            Q(pk=user.pk) | Q(pk__in=user.coached_athletes().values("pk"))
        ).order_by("display_name", "email")

    def clean(self):
        data = super().clean()
        limit = self.today + timedelta(days=schedule.MAX_SPAN_DAYS)
        if data.get("how") == "weekly":
            days = self.weekly_days(data, limit)
        else:
            days = self.listed_days(data.get("dates") or "", limit)
        data["days"] = days
        return data

    def listed_days(self, text, limit):
        days, bad = schedule.parse_dates(text)
        if bad:
            raise forms.ValidationError(
                _("These are not dates: %(bad)s. Write them as year-month-day, e.g. %(example)s.")
                % {"bad": ", ".join(bad[:5]), "example": self.today.isoformat()}
            )
        if not days:
            raise forms.ValidationError(_("Add at least one date."))
        if len(days) > schedule.MAX_DATES:
            raise forms.ValidationError(
                _("That is more than %(n)s dates: use a weekly schedule instead.")
                % {"n": schedule.MAX_DATES}
            )
        self.check_window(days[0], days[-1], limit)
        return days

    def weekly_days(self, data, limit):
        start, end, weekdays = data.get("start"), data.get("end"), data.get("weekdays")
        if not start or not end:
            raise forms.ValidationError(_("Choose a first and a last date."))
        if not weekdays:
            raise forms.ValidationError(_("Choose at least one weekday."))
        if end < start:
            raise forms.ValidationError(_("The last date is before the first one."))
        if (end - start).days > schedule.MAX_SPAN_DAYS:
            raise forms.ValidationError(_("A schedule can cover a year at most."))
        self.check_window(start, end, limit)
        days = schedule.expand(start, end, set(weekdays))
        if not days:
            raise forms.ValidationError(_("None of the chosen weekdays falls between those "
                                          "dates."))
        return days

    def check_window(self, first, last, limit):
        if first < self.today:
            raise forms.ValidationError(_("%(date)s is in the past: choose today or later.")
                                        % {"date": first.isoformat()})
        if last > limit:
            raise forms.ValidationError(_("%(date)s is more than a year ahead.")
                                        % {"date": last.isoformat()})


class CommentForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Your comment"), max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write something before sending."),
            "max_length": _("Keep it under %(limit_value)d characters (this one has "
                            "%(show_value)d)."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_id", uuid.uuid4())


# --- A coach's own ladders ------------------------------------------------------------------


def private_slug(owner, name: str) -> str:
    """Unique without asking the database, and never like a shipped library slug."""
    return f"c{owner.pk}-{slugify(name)[:28] or 'x'}-{secrets.token_hex(3)}"


class LadderForm(forms.ModelForm):
    regions = forms.MultipleChoiceField(
        label=_("What it loads"), choices=REGION_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pain in these places makes the check-in lighten or skip it."),
    )

    class Meta:
        model = Ladder
        fields = ["name", "area", "regions", "rep_min", "rep_max", "rep_unit",
                  "minutes_per_set", "keep_priority", "why"]
        labels = {
            "area": _("Body area"), "rep_min": _("Fewest reps (or seconds)"),
            "rep_max": _("Most reps (or seconds)"), "rep_unit": _("Counted in"),
            "minutes_per_set": _("Minutes per set, rest included"),
            "keep_priority": _("Priority when time is short"),
            "why": _("Why it helps runners"),
        }
        help_texts = {"keep_priority": _("1 is kept first; larger numbers go first when "
                                         "the athlete is short of time.")}
        widgets = {"area": forms.RadioSelect, "rep_unit": forms.RadioSelect,
                   "why": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep_priority"].initial = 3
        minutes = self.fields["minutes_per_set"]
        minutes.initial = 2
        minutes.validators += [MinValueValidator(Decimal("0.5")), MaxValueValidator(15)]
        minutes.widget.attrs.update(min="0.5", max="15", step="0.5")


class ExerciseForm(forms.ModelForm):
    equipment = forms.ModelMultipleChoiceField(
        label=_("Equipment needed"), queryset=Equipment.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked means bodyweight."),
    )

    class Meta:
        model = Exercise
        fields = ["name", "summary", "cues", "mistakes", "muscles", "caution", "equipment",
                  "fallback", "loadable", "video_url", "video_file"]
        labels = {
            "cues": _("How to do it (one step per line)"),
            "mistakes": _("Common mistakes (one per line)"),
            "muscles": _("Muscles worked (one per line)"),
            "loadable": _("Progresses by adding dumbbell weight"),
            "video_url": _("Video link (YouTube or Vimeo)"),
            "video_file": _("Or upload an MP4 video"),
        }
        widgets = {
            "cues": forms.Textarea(attrs={"rows": 4}),
            "mistakes": forms.Textarea(attrs={"rows": 3}),
            "muscles": forms.Textarea(attrs={"rows": 2}),
        }
