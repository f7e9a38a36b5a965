"""The first-run steps' forms: the profile's own fields and checks, a few at a time.

Step 1 and step 2 are the profile form (accounts.forms.ProfileForm) cut down to their
fields, so the same numbers are accepted with the same messages, and whatever is saved here
is what the profile shows and edits later. The next race is the running log's race form.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import ProfileForm
from accounts.models import User
from accounts.timezones import GuessedTimeZoneField
from onboarding import equipment
from runs.forms import RaceForm
from runs.models import Race


class EquipmentStepForm(ProfileForm):
    timezone = None
    language = None
    weekly_km = None
    hard_run_days = None
    tz_guess = GuessedTimeZoneField()

    class Meta(ProfileForm.Meta):
        fields = ["equipment", "units", "dumbbells_kg"]
        labels = {"units": _("Weights in")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = self.fields["units"]
        units.required = False  # left out: the units the profile has
        # The weights are read in the units chosen beside them, so "lb" and "20, 25" in one
        # answer are 20 and 25 lb.
        chosen = self.data.get("units") if self.is_bound else None
        self.set_dumbbell_field(chosen if chosen in User.Units.values else self.instance.units)
        field = self.fields["dumbbells_kg"]
        field.label = _("Your dumbbell weights")
        field.help_text = _(
            "Only if you have dumbbells. One number per weight, separated by commas, "
            "for example 4, 6, 8.5."
        )

    def clean_units(self):
        return self.cleaned_data.get("units") or self.instance.units

    def tiles(self):
        return equipment.tiles(self["equipment"])


class RunningStepForm(ProfileForm):
    timezone = None
    language = None
    equipment = None

    class Meta(ProfileForm.Meta):
        fields = ["weekly_km", "hard_run_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weekly_km"].label = _("How far do you run in a usual week? (km)")
        self.fields["weekly_km"].widget.attrs["placeholder"] = "30"


class NextRaceForm(RaceForm):
    """The running log's race form, optional as a whole: left empty, no race is stored.

    Once anything is typed, the race needs its name and date, today or later, and a second
    send of the same race changes the one stored instead of adding another.
    """

    class Meta(RaceForm.Meta):
        fields = ["name", "date", "distance_km"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "date"):
            self.fields[name].required = False
        self.fields["name"].label = _("Race name")
        self.fields["date"].label = _("Race date")
        self.fields["distance_km"].label = _("Race distance (km)")

    def is_empty(self) -> bool:
        return not any(
            (self.data.get(self.add_prefix(name)) or "").strip()
            for name in ("name", "date", "distance_km")
        )

    def clean_date(self):
        if self.cleaned_data.get("date") is None:
            return None
        day = super().clean_date()
        if day < timezone.localdate():
            raise forms.ValidationError(
                _("That day has passed. Give the date of your next race."), code="past"
            )
        return day

    def clean(self):
        data = super().clean()
        if self.is_empty():
            return data
        if not data.get("name") and "name" not in self.errors:
            self.add_error(
                "name", forms.ValidationError(_("Give the race a name."), code="required")
            )
        if not data.get("date") and "date" not in self.errors:
            self.add_error(
                "date", forms.ValidationError(_("Give the race’s date."), code="required")
            )
        return data

    def _post_clean(self):
        if not self.is_empty():  # an empty race is not a race: nothing for the model to check
            super()._post_clean()

    def save_race(self, athlete) -> Race | None:
        """The race, stored once: None when the form was left empty."""
        if self.is_empty():
            return None
        race = self.instance
        if race.pk is None:
            same = Race.objects.filter(
                athlete=athlete, name=race.name, date=race.date
            ).first()  # the same answer sent twice (a double tap, the back button)
            if same is not None:
                same.distance_km = race.distance_km
                same.save(update_fields=["distance_km"])
                return same
        race.athlete = athlete
        race.save()
        return race
