"""Input for routines, assignments, comments and a coach's own ladders, with plain messages."""

import secrets
import uuid
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Count, Q
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from accounts.forms import WEEKDAYS
from accounts.models import User
from coaching import schedule
from coaching.dashboard import NEEDS
from coaching.models import (
    DEFAULT_WINDOW_DAYS,
    MAX_COMMENT_LENGTH,
    MAX_FIXED_SETS,
    MAX_GROUPS,
    MAX_LEVELS,
    MAX_REST_SECONDS,
    MAX_WINDOW_DAYS,
    Group,
    Routine,
    RoutineItem,
)
from core.fields import ModelMultipleChoiceField
from core.forms import PlainTextMixin
from exercises.models import (
    MAX_HOLD_SECONDS,
    MAX_LADDER_WHY,
    MAX_SET_REPS,
    REGION_CHOICES,
    Equipment,
    Exercise,
    Ladder,
)

MAX_KEEP_PRIORITY = 99  # only an order (spec §5.5); room to number ladders by tens
SET_SIZE_HELP = format_lazy(
    _("Up to {reps} reps, or {seconds} seconds for a hold."),
    reps=MAX_SET_REPS,
    seconds=MAX_HOLD_SECONDS,
)
SET_TOO_BIG = format_lazy(
    _("That is more than one set: up to {reps} reps, or {seconds} seconds for a hold."),
    reps=MAX_SET_REPS,
    seconds=MAX_HOLD_SECONDS,
)


FIXED_SETS_RANGE = format_lazy(_("A fixed dose is 1 to {n} sets."), n=MAX_FIXED_SETS)
SET_TOO_SMALL = _("A set is at least 1 rep (or 1 second for a hold).")


def set_size_field(label, **kwargs):
    """Reps or seconds of one set; the form's clean() applies the ladder's own unit."""
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=MAX_HOLD_SECONDS,
        error_messages={"max_value": SET_TOO_BIG, "min_value": SET_TOO_SMALL},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


def check_set_size(form, names, rep_unit):
    """A set is at most MAX_SET_REPS reps, or MAX_HOLD_SECONDS when the ladder counts seconds."""
    limit = MAX_HOLD_SECONDS if rep_unit == Ladder.RepUnit.SECONDS else MAX_SET_REPS
    for name in names:
        value = form.cleaned_data.get(name)
        if value is not None and value > limit:
            form.add_error(name, ValidationError(SET_TOO_BIG, code="max_value"))


class RoutineForm(PlainTextMixin, forms.ModelForm):
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


class RoutineItemForm(PlainTextMixin, forms.ModelForm):
    """Add or change one exercise of a routine: which ladder, which level, how it is dosed."""

    start_level = forms.IntegerField(
        label=_("Level"),
        required=False,
        min_value=1,
        max_value=MAX_LEVELS,
        help_text=_("Leave empty to use the athlete's current level."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    fixed_sets = forms.IntegerField(
        label=_("Sets"),
        required=False,
        min_value=1,
        max_value=MAX_FIXED_SETS,
        error_messages={"min_value": FIXED_SETS_RANGE, "max_value": FIXED_SETS_RANGE},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    fixed_reps = set_size_field(
        _("Reps (or seconds for a hold)"), required=False, help_text=SET_SIZE_HELP
    )
    rest_seconds = forms.IntegerField(
        label=_("Rest between sets (seconds)"),
        min_value=0,
        max_value=MAX_REST_SECONDS,
        initial=90,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = RoutineItem
        fields = [
            "ladder",
            "mode",
            "start_level",
            "fixed_sets",
            "fixed_reps",
            "rest_seconds",
            "note",
        ]
        widgets = {"mode": forms.RadioSelect}
        labels = {"ladder": _("Exercise"), "mode": _("Dose"), "note": _("Note (optional)")}
        help_texts = {
            "mode": _(
                "Fatigue-adjusted: the check-in sets sets and effort. Fixed: you set "
                "sets × reps, done as set on a good day (never more). On a lighter day "
                "(sore legs, a hard run, a race coming) the athlete does half the sets, "
                "rounded up, and on a very light day one set; pain, illness or a race "
                "in the next two days skip it, and the weekly limit and the time they "
                "have still apply. The effort follows the check-in."
            )
        }

    def __init__(self, *args, routine, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.routine = routine
        keep = self.instance.ladder_id if self.instance.pk else None
        self.fields["ladder"].queryset = plannable_ladders(user, keep)
        self.fields["ladder"].empty_label = _("Choose an exercise")
        self.fields["ladder"].label_from_instance = lambda ladder: (
            ngettext("%(name)s (%(n)s level)", "%(name)s (%(n)s levels)", ladder.levels)
            % {"name": ladder.name, "n": ladder.levels}
            if ladder.levels != 1
            else ladder.name
        )

    def clean(self):
        data = super().clean()
        ladder, mode = data.get("ladder"), data.get("mode")
        if ladder is not None:
            taken = self.routine.items.filter(ladder=ladder).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "ladder", _("%(name)s is already in this routine.") % {"name": ladder.name}
                )
            level = data.get("start_level")
            if level and level > ladder.levels:
                self.add_error(
                    "start_level",
                    _("%(name)s has %(n)s levels; choose 1 to %(n)s.")
                    % {"name": ladder.name, "n": ladder.levels},
                )
            check_set_size(self, ["fixed_reps"], ladder.rep_unit)
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


class AthleteChoiceField(ModelMultipleChoiceField):
    def __init__(self, *args, me, **kwargs):
        super().__init__(*args, **kwargs)
        self.me = me

    def label_from_instance(self, obj):
        return _("Me") if obj.pk == self.me.pk else obj.name


NOT_LINKED = _("You can only assign routines to yourself and to athletes linked to you.")
MAX_ASSIGNED_AT_ONCE = 10_000  # days × athletes in one go: 100 athletes twice a week for a year


def window_choices():
    """0..MAX_WINDOW_DAYS days either side, each worded with the right plural."""
    return [(0, _("On the day only"))] + [
        (
            n,
            format_lazy(
                ngettext_lazy("Up to {n} day early or late", "Up to {n} days early or late", n),
                n=n,
            ),
        )
        for n in range(1, MAX_WINDOW_DAYS + 1)
    ]


class AssignForm(forms.Form):
    """Who (everyone, groups, or people ticked one by one) and when (a first day, repeated
    on chosen weekdays for a number of weeks), and how late or early a session may be."""

    everyone = forms.BooleanField(label=_("All my athletes"), required=False)
    groups = ModelMultipleChoiceField(
        label=_("Groups"),
        queryset=Group.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose one of your own groups."),
            "invalid_pk_value": _("Choose one of your own groups."),
        },
    )
    athletes = AthleteChoiceField(
        label=_("Athletes"),
        queryset=User.objects.none(),
        me=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NOT_LINKED, "invalid_pk_value": NOT_LINKED},
    )
    start = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Choose a day."),
            "invalid": _("Choose a day from the calendar (year-month-day)."),
        },
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Repeat every week on"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to assign the first day only."),
    )
    weeks = forms.IntegerField(
        label=_("For how many weeks"),
        min_value=1,
        max_value=schedule.MAX_WEEKS,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": format_lazy(_("Repeat for 1 to {n} weeks."), n=schedule.MAX_WEEKS),
            "max_value": format_lazy(_("Repeat for 1 to {n} weeks."), n=schedule.MAX_WEEKS),
            "required": _("Say for how many weeks (1 for this week only)."),
        },
    )
    window_days = forms.TypedChoiceField(
        label=_("A session counts for the day when done"),
        choices=(),
        coerce=int,
        initial=DEFAULT_WINDOW_DAYS,
        help_text=_(
            "A session done a day late, within this window, counts as done: the day is "
            "not marked missed."
        ),
    )

    def __init__(self, *args, user, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today
        self.fields["window_days"].choices = window_choices()
        self.fields["start"].widget.attrs.update(
            min=today.isoformat(),
            max=(today + timedelta(days=schedule.MAX_SPAN_DAYS)).isoformat(),
        )
        if not self.is_bound:
            self.initial.setdefault("start", today)
        field = self.fields["athletes"]
        field.me = user
        field.queryset = User.objects.filter(
            Q(pk=user.pk) | Q(pk__in=user.coached_athletes().values("pk"))
        ).order_by("display_name", "email")
        if user.is_coach:
            self.fields["groups"].queryset = Group.objects.of(user)
        else:
            del self.fields["everyone"], self.fields["groups"]

    def clean(self):
        data = super().clean()
        if "groups" in self.errors and not self.fields["groups"].queryset.exists():
            # No group to tick, so no list to show the message under: say it above the form.
            self.add_error(None, list(self.errors.pop("groups")))
            data["groups"] = []
        data["recipients"] = self.recipients(data)
        start, weeks = data.get("start"), data.get("weeks")
        if start is None or weeks is None:
            return data  # the field says what is wrong
        if start < self.today:
            self.add_error(
                "start",
                _("%(date)s is in the past: choose today or later.") % {"date": start.isoformat()},
            )
            return data
        limit = self.today + timedelta(days=schedule.MAX_SPAN_DAYS)
        if start > limit:  # checked first: a date near year 9999 has no weeks after it
            self.add_error(
                "start", _("%(date)s is more than a year ahead.") % {"date": start.isoformat()}
            )
            return data
        days = schedule.recurrence(start, set(data.get("weekdays") or ()), weeks)
        if days[-1] > limit:
            self.add_error(
                "start",
                _("%(date)s is more than a year ahead.") % {"date": days[-1].isoformat()},
            )
            return data
        total = len(days) * len(data["recipients"])
        if total > MAX_ASSIGNED_AT_ONCE:
            raise ValidationError(
                _(
                    "That is %(total)s days on calendars at once; the most is %(max)s. "
                    "Choose fewer weeks or fewer athletes."
                )
                % {"total": total, "max": MAX_ASSIGNED_AT_ONCE}
            )
        data["days"] = days
        return data

    def recipients(self, data) -> list:
        """Everyone chosen, once each, by name: ticked, in a chosen group, or all."""
        allowed = self.fields["athletes"].queryset
        chosen = {athlete.pk: athlete for athlete in data.get("athletes") or ()}
        groups = data.get("groups")
        if groups:
            for athlete in allowed.filter(member_groups__in=groups).distinct():
                chosen.setdefault(athlete.pk, athlete)
        if data.get("everyone"):
            for athlete in allowed.exclude(pk=self.user.pk):
                chosen.setdefault(athlete.pk, athlete)
        refused = self.has_error("athletes") or self.has_error("groups") or self.has_error(None)
        if not chosen and not refused:
            message = (
                _("Choose who: all your athletes, a group, or athletes one by one.")
                if self.user.is_coach
                else _("Choose at least one athlete.")
            )
            self.add_error("athletes" if not self.user.is_coach else None, message)
        return sorted(chosen.values(), key=lambda a: (a.pk != self.user.pk, a.name.lower()))


NOT_YOURS = _("You can only choose athletes linked to you.")


class GroupForm(PlainTextMixin, forms.ModelForm):
    """A group's name and members, chosen among the coach's linked athletes."""

    athletes = ModelMultipleChoiceField(
        label=_("Athletes in the group"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NOT_YOURS, "invalid_pk_value": NOT_YOURS},
    )

    class Meta:
        model = Group
        fields = ["name", "athletes"]
        labels = {"name": _("Group name")}
        help_texts = {"name": _("For example “Marathon group”. Only you see it.")}

    def __init__(self, *args, coach, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.coach = coach
        field = self.fields["athletes"]
        field.queryset = coach.coached_athletes().order_by("display_name", "email")
        field.label_from_instance = lambda athlete: athlete.name
        if self.instance.pk and not self.is_bound:
            self.initial["athletes"] = list(self.instance.members())

    def clean(self):
        data = super().clean()
        coach = self.instance.coach
        name = data.get("name")
        others = Group.objects.of(coach).exclude(pk=self.instance.pk)
        # The model's constraint names the coach, who is not a form field, so Django's own
        # check leaves it to the database: asked here for a message instead of an error.
        if name and others.filter(name__iexact=name).exists():
            self.add_error("name", _("You already have a group of that name."))
        if self.instance.pk is None and Group.objects.of(coach).count() >= MAX_GROUPS:
            raise ValidationError(
                _("You have %(n)s groups, the most there can be: delete one first.")
                % {"n": MAX_GROUPS},
                code="too_many_groups",
            )
        return data

    def save(self, commit=True):
        group = super().save(commit=False)
        group.save()
        group.set_members(self.cleaned_data["athletes"])
        return group


class CommentForm(PlainTextMixin, forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write something before sending."),
            "max_length": _(
                "Keep it under %(limit_value)d characters (this one has %(show_value)d)."
            ),
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


class LadderForm(PlainTextMixin, forms.ModelForm):
    regions = forms.MultipleChoiceField(
        label=_("What it loads"),
        choices=REGION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pain in these places makes the check-in lighten or skip it."),
    )
    # On SQLite the model's small integer columns take up to 2^63: these keep a set to what a
    # person does.
    rep_min = set_size_field(_("Fewest reps (or seconds)"))
    rep_max = set_size_field(_("Most reps (or seconds)"), help_text=SET_SIZE_HELP)
    keep_priority = forms.IntegerField(
        label=_("Priority when time is short"),
        min_value=1,
        max_value=MAX_KEEP_PRIORITY,
        initial=3,
        help_text=_("1 is kept first; larger numbers go first when the athlete is short of time."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    text_limits = {"why": MAX_LADDER_WHY}

    class Meta:
        model = Ladder
        fields = [
            "name",
            "area",
            "regions",
            "rep_min",
            "rep_max",
            "rep_unit",
            "minutes_per_set",
            "keep_priority",
            "why",
        ]
        labels = {
            "area": _("Body area"),
            "rep_unit": _("Counted in"),
            "minutes_per_set": _("Minutes per set, rest included"),
            "why": _("Why it helps runners"),
        }
        widgets = {
            "area": forms.RadioSelect,
            "rep_unit": forms.RadioSelect,
            "why": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        minutes = self.fields["minutes_per_set"]
        minutes.initial = 2
        minutes.validators += [MinValueValidator(Decimal("0.5")), MaxValueValidator(15)]
        minutes.widget.attrs.update(min="0.5", max="15", step="0.5")

    def clean(self):
        data = super().clean()
        check_set_size(self, ["rep_min", "rep_max"], data.get("rep_unit"))
        return data


class ExerciseForm(PlainTextMixin, forms.ModelForm):
    equipment = ModelMultipleChoiceField(
        label=_("Equipment needed"),
        queryset=Equipment.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means bodyweight."),
    )
    text_limits = {"cues": 2000, "mistakes": 2000, "muscles": 1000}

    class Meta:
        model = Exercise
        fields = [
            "name",
            "summary",
            "cues",
            "mistakes",
            "muscles",
            "caution",
            "equipment",
            "fallback",
            "loadable",
            "video_url",
            "video_file",
        ]
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

    def clean(self):
        data = super().clean()
        ladder_id = self.instance.ladder_id
        adding = self.instance.pk is None and ladder_id is not None
        if adding and Exercise.objects.filter(ladder_id=ladder_id).count() >= MAX_LEVELS:
            raise ValidationError(
                _("A ladder has at most %(n)s levels: change one of them instead.")
                % {"n": MAX_LEVELS},
                code="too_many_levels",
            )
        return data


class FlagSeenForm(PlainTextMixin, forms.Form):
    """A coach's "seen" on one occurrence of a flag on the triage table (``FlagSeen``).

    ``flag`` is the button pressed: the flag's code and the occurrence the coach saw, as the
    row showed it ("RED_FLAG 2026-11-30T05:59:22+00:00"). A newer occurrence has another
    time, so marking never hides what came after the table was read. ``back`` is the
    table's query string, to go back to it as it was.
    """

    flag = forms.CharField(max_length=80)
    back = forms.CharField(required=False, max_length=500)

    def clean_flag(self):
        code, _space, moment = self.cleaned_data["flag"].partition(" ")
        if code not in NEEDS:
            raise ValidationError(_("There is no such flag."), code="invalid")
        triggered = forms.DateTimeField().clean(moment)  # says what is wrong with it
        return code, triggered
