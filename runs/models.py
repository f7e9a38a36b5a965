"""The running log: runs done or planned, and races.

Units, chosen once: a run's ``duration`` is a ``DurationField`` (a timedelta, so the end of
a run is ``start + duration`` in Python and in SQL alike) and distances are kilometres as a
decimal with 10 m resolution (``distance_km``), the unit every runner reads. Pages show
kilometres whatever the profile's load units (kg/lb are for dumbbells).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

MAX_DURATION = timedelta(hours=24)
MAX_DISTANCE_KM = Decimal("300")
# Faster than 2:00 min/km over any distance is a typo or a bike ride, not a run.
FASTEST_PACE_S_PER_KM = 120
# A "done" run may start a little ahead of the server clock (a watch a few minutes fast).
FUTURE_GRACE = timedelta(minutes=10)
# Runs and races before this are typos ("0025" for 2025) or a watch that lost its clock.
EARLIEST = date(2000, 1, 1)
# Two runs of one athlete starting this close together are the same run logged twice.
DUPLICATE_WINDOW = timedelta(seconds=60)
# Spec §9: a hard run is RPE >= 7 (CR-10), >= 90 minutes, or a race.
HARD_RPE = 7
HARD_DURATION = timedelta(minutes=90)


def format_km(value) -> str:
    """8.40 → "8.4", with the active language's decimal mark ("8,4" in Spanish)."""
    text = f"{Decimal(str(value)):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))


class RunQuerySet(models.QuerySet):
    def done(self):
        return self.filter(status=Run.Status.DONE)

    def planned(self):
        return self.filter(status=Run.Status.PLANNED)

    def hard(self):
        """Hard by RPE, length or race (spec §9). Spikes need the 30 days before: see load.py."""
        return self.filter(
            Q(rpe__gte=HARD_RPE) | Q(duration__gte=HARD_DURATION) | Q(kind=Run.Kind.RACE)
        )

    def key(self):
        """The runs strength work should stay away from: tempo, intervals, long runs, races."""
        return self.filter(kind__in=Run.KEY_KINDS)

    def near(self, moment, window):
        """Runs starting within ``window`` of ``moment``: the same run logged twice."""
        return self.filter(start__gte=moment - window, start__lte=moment + window)


class RunKind(models.TextChoices):
    EASY = "easy", _("Easy")
    LONG = "long", _("Long")
    TEMPO = "tempo", _("Tempo")
    INTERVALS = "intervals", _("Intervals")
    RACE = "race", _("Race")
    OTHER = "other", _("Other")


class RunStatus(models.TextChoices):
    DONE = "done", _("Done")
    PLANNED = "planned", _("Planned")


class RunSource(models.TextChoices):
    MANUAL = "manual", _("Typed in")
    FILE = "file", _("From a file")


class Run(models.Model):
    """One run, done or planned, typed in or read from a GPX, TCX or FIT file."""

    # The choices live at module level so Meta.constraints can name them.
    Kind, Status, Source = RunKind, RunStatus, RunSource

    KEY_KINDS = (Kind.TEMPO, Kind.INTERVALS, Kind.LONG, Kind.RACE)

    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="runs"
    )
    start = models.DateTimeField(_("start"), default=timezone.now, db_index=True)
    duration = models.DurationField(
        _("time"),
        validators=[
            MinValueValidator(timedelta(seconds=1), _("The time must be more than zero.")),
            MaxValueValidator(MAX_DURATION, _("That is more than 24 hours. Check the time.")),
        ],
    )
    distance_km = models.DecimalField(
        _("distance (km)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0"), _("The distance cannot be negative.")),
            MaxValueValidator(MAX_DISTANCE_KM, _("That is more than 300 km. Check the distance.")),
        ],
    )
    rpe = models.PositiveSmallIntegerField(
        _("effort (RPE 0–10)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
        help_text=_("How hard the whole run was, 0 = rest, 10 = maximal (CR-10)."),
    )
    kind = models.CharField(_("type"), max_length=9, choices=Kind, default=Kind.EASY)
    status = models.CharField(max_length=7, choices=Status, default=Status.DONE)
    source = models.CharField(max_length=6, choices=Source, default=Source.MANUAL, editable=False)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    created = models.DateTimeField(default=timezone.now, editable=False)

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        indexes = [models.Index(fields=["athlete", "status", "start"], name="run_athlete_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gt=timedelta(0), duration__lte=MAX_DURATION),
                name="run_duration_0_to_24h",
            ),
            models.CheckConstraint(
                condition=Q(distance_km__isnull=True)
                | Q(distance_km__gte=0, distance_km__lte=MAX_DISTANCE_KM),
                name="run_distance_0_to_300km",
            ),
            models.CheckConstraint(
                condition=Q(rpe__isnull=True) | Q(rpe__gte=0, rpe__lte=10),
                name="run_rpe_0_to_10",
            ),
            models.CheckConstraint(condition=Q(kind__in=RunKind.values), name="run_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=RunStatus.values), name="run_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=RunSource.values), name="run_source_valid"
            ),
            # Two uploads of the same file at once: the second insert fails, nothing doubles.
            models.UniqueConstraint(
                fields=["athlete", "start"],
                condition=Q(source="file"),
                name="run_file_start_unique",
            ),
        ]

    def __str__(self):
        return f"{self.athlete} {self.start:%Y-%m-%d %H:%M} {self.kind}"

    def get_absolute_url(self):
        return reverse("runs:edit", args=[self.pk])

    def clean(self):
        errors = {}
        if problem := self.start_problem():
            errors["start"] = problem
        elif self.start is not None and self.athlete_id is not None and self.twins().exists():
            errors["start"] = _(
                "Your log already has a run starting within a minute of this one. Edit that "
                "one instead."
            )
        pace = self.pace_seconds_per_km
        if pace is not None and pace < FASTEST_PACE_S_PER_KM:
            errors["distance_km"] = _(
                "That is faster than 2 minutes per kilometre. Check the time and the distance."
            )
        if errors:
            raise ValidationError(errors)

    def start_problem(self) -> str | None:
        """Why this run cannot start when it says, or None: the typed form and file imports
        share this rule. Only comparisons, so even year 1 or 9999 cannot overflow here."""
        if self.start is None:
            return None
        if self.start < timezone.make_aware(datetime.combine(EARLIEST, time())):
            return _("That date is long ago. Check the year.")
        if self.status == self.Status.DONE and self.start > timezone.now() + FUTURE_GRACE:
            return _(
                "A run you have done cannot start in the future. Check the date, or mark it "
                "as planned."
            )
        return None

    def twins(self):
        """The athlete's other runs, done or planned, starting within a minute of this one."""
        return (
            Run.objects.filter(athlete_id=self.athlete_id)
            .near(self.start, DUPLICATE_WINDOW)
            .exclude(pk=self.pk)
        )

    @property
    def end(self):
        return self.start + self.duration

    @property
    def minutes(self) -> float:
        return self.duration.total_seconds() / 60

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_key(self) -> bool:
        return self.kind in self.KEY_KINDS

    @property
    def pace_seconds_per_km(self) -> float | None:
        if not self.distance_km or not self.duration:
            return None
        return self.duration.total_seconds() / float(self.distance_km)

    @property
    def load(self) -> int | None:
        """Session load, RPE (CR-10) × minutes (Foster 2001); None until the RPE is known."""
        if self.rpe is None:
            return None
        return round(self.rpe * self.minutes)


class RaceQuerySet(models.QuerySet):
    def upcoming(self, today):
        return self.filter(date__gte=today).order_by("date", "pk")

    def past(self, today):
        return self.filter(date__lt=today).order_by("-date", "-pk")


class Race(models.Model):
    """A race on the calendar. The next one tapers strength work (spec §4, RACE_*)."""

    class Priority(models.TextChoices):
        A = "A", _("A — the goal race")
        B = "B", _("B — important")
        C = "C", _("C — a training race")

    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="races"
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=120)
    distance_km = models.DecimalField(
        _("distance (km)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_DISTANCE_KM)],
    )
    priority = models.CharField(_("priority"), max_length=1, choices=Priority, default=Priority.A)
    created = models.DateTimeField(default=timezone.now, editable=False)

    objects = RaceQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__in=["A", "B", "C"]), name="race_priority_a_b_c"
            ),
            models.CheckConstraint(
                condition=Q(distance_km__isnull=True)
                | Q(distance_km__gt=0, distance_km__lte=MAX_DISTANCE_KM),
                name="race_distance_0_to_300km",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.date:%Y-%m-%d}, {self.priority})"

    def get_absolute_url(self):
        return reverse("runs:race_edit", args=[self.pk])


class ActivityImport(models.Model):
    """One uploaded activity file, read into the log by a background job (runs/tasks.py).

    The upload answers at once; the runs pages show each file's state until it is read.
    The file's bytes are kept here (the database is what every host and worker shares)
    only until the job has finished with them.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        READING = "reading", _("Reading")
        STORED = "stored", _("Added")
        REFUSED = "refused", _("Not added")
        FAILED = "failed", _("Failed")

    FINISHED = (Status.STORED, Status.REFUSED, Status.FAILED)

    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activity_imports"
    )
    name = models.CharField(max_length=120)
    data = models.BinaryField(default=b"", editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    message = models.CharField(max_length=300, blank=True)
    # The language of the page the files were sent from: the job has no request
    # (core.languages.language_of).
    language = models.CharField(max_length=10, blank=True)
    run = models.ForeignKey(Run, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["athlete", "-created_at"], name="activity_import_recent")]

    def __str__(self):
        return f"{self.athlete} {self.name} {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def ok(self) -> bool | None:
        """True once stored, False once refused or failed, None while waiting."""
        return self.status == self.Status.STORED if self.is_finished else None

    def as_json(self) -> dict:
        return {
            "id": self.pk,
            "name": self.name,
            "status": self.status,
            "ok": self.ok,
            "message": self.message or str(self.get_status_display()),
        }
