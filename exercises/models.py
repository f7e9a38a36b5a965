"""The exercise library: equipment, progression ladders and their ordered levels."""

import secrets

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from exercises.translated import (
    TranslatedCharField,
    TranslatedModel,
    TranslatedQuerySet,
    TranslatedTextField,
)
from exercises.video import parse_video_url, validate_video_file, validate_video_url

# The pain regions (spec §3) and their words: the one list every form, model and page takes
# them from. The engine keeps the same keys in the same order (``sessions.volume.REGIONS``:
# standard library only, and this app cannot import sessions, which builds on it);
# tests/test_regions.py holds the two to one list.
REGION_CHOICES = [
    ("foot_ankle", _("Foot and ankle")),
    ("achilles_calf", _("Achilles and calf")),
    ("shin", _("Shin")),
    ("knee", _("Knee")),
    ("hip_groin", _("Hip and groin")),
    ("hamstring_glute", _("Hamstring and glute")),
    ("low_back", _("Low back")),
    ("other_leg", _("Elsewhere in the leg")),
]
REGION_LABELS = dict(REGION_CHOICES)


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def video_upload_to(instance, filename) -> str:
    """A random name: a video's address says nothing about it and cannot be guessed.

    The uploaded name is dropped (it often names the athlete or the coach); the checks
    before saving made sure the file is an MP4.
    """
    return f"videos/{secrets.token_urlsafe(24)}.mp4"


class VideoURLField(models.URLField):
    """A URL field whose form assumes https:// when the scheme is left out."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


# What one set can ask of a person (issue 11). The engine plans strength work, never to
# failure (RIR >= 2, spec §1.6) in 1 to 4 sets; the library's ranges are 6-15 reps. Past
# 100 reps, or a 3-minute hold, a set is endurance work, not strength. The set form takes
# up to 200, so an athlete can still log a fast-track set above the top (spec §7).
MAX_SET_REPS = 100
MAX_HOLD_SECONDS = 180
MAX_LADDER_WHY = 1000  # characters: every linked athlete downloads it
MAX_LADDER_WHY_ES = 1200  # the shipped library's Spanish only


# The Spanish columns hold the shipped library's Spanish (exercises/data/library.es.toml); a
# reader in Spanish gets them, falling back to the English (exercises/translated.py). They are
# longer: Spanish takes about a fifth more letters than English to say the same.


class Equipment(TranslatedModel):
    slug = models.SlugField(unique=True)
    name = TranslatedCharField(max_length=80)
    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)
    description = TranslatedCharField(max_length=200, blank=True)
    description_es = models.CharField(_("description (Spanish)"), max_length=260, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    substitutes = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="stands_in_for",
        help_text=_("Other equipment that can stand in for this one."),
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "equipment"

    objects = TranslatedQuerySet.as_manager()

    def __str__(self):
        return self.name

    @staticmethod
    def owned_by(user) -> set[str] | None:
        """The slugs of a user's kit; None when they have not said (then everything counts
        as available, in the library and in the plan alike)."""
        return {e.slug for e in user.equipment.all()} or None


class LadderQuerySet(TranslatedQuerySet):
    def public(self):
        """The shipped library: what every visitor sees on /exercises/."""
        return self.filter(private=False)

    def visible_to(self, user):
        """The library, plus the user's own ladders and those of their active coaches."""
        if not user.is_authenticated:
            return self.public()
        coaches = user.coaches().values("pk")  # active links, asked of the user model
        return self.filter(Q(private=False) | Q(owner=user) | Q(owner__in=coaches))

    def for_library(self):
        return self.prefetch_related(
            models.Prefetch(
                "exercises",
                queryset=Exercise.objects.prefetch_related("equipment__substitutes"),
            )
        )


class Ladder(TranslatedModel):
    """A progression family: the same movement from easiest to hardest."""

    class Area(models.TextChoices):
        LEGS = "legs", _("Legs")
        CORE = "core", _("Core")
        UPPER = "upper", _("Upper body")

    class RepUnit(models.TextChoices):
        REPS = "reps", _("reps")
        SECONDS = "seconds", _("seconds")

    slug = models.SlugField(unique=True)
    name = TranslatedCharField(max_length=80)
    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)
    area = models.CharField(max_length=5, choices=Area)
    regions = models.JSONField(
        default=list, blank=True, help_text=_("Pain regions this ladder loads.")
    )
    rep_min = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    rep_max = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    rep_unit = models.CharField(max_length=7, choices=RepUnit, default=RepUnit.REPS)
    minutes_per_set = models.DecimalField(max_digits=4, decimal_places=1)
    keep_priority = models.PositiveSmallIntegerField(
        help_text=_("Smaller is kept first when time is short.")
    )
    start_level = models.PositiveSmallIntegerField(default=1)
    why = TranslatedTextField(_("why it matters for runners"))
    why_es = models.TextField(_("why it matters for runners (Spanish)"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)
    # A coach's own ladder (issue 5): seen by the coach and their linked athletes only.
    # When the coach deletes their account the ladder stays, private and ownerless, so the
    # sessions their athletes logged on it keep their history.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ladders",
        verbose_name=_("owner"),
        help_text=_("Empty for the shipped library."),
    )
    private = models.BooleanField(
        _("private"), default=False, help_text=_("Not part of the public library.")
    )

    objects = LadderQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(rep_min__gte=1), name="ladder_rep_min_positive"),
            models.CheckConstraint(
                condition=Q(rep_max__gte=F("rep_min")), name="ladder_rep_range_ordered"
            ),
            models.CheckConstraint(
                condition=Q(minutes_per_set__gt=0), name="ladder_minutes_positive"
            ),
            models.CheckConstraint(
                condition=Q(area__in=["legs", "core", "upper"]), name="ladder_area_valid"
            ),
            models.CheckConstraint(condition=Q(start_level__gte=1), name="ladder_start_level"),
            models.CheckConstraint(
                condition=Q(owner__isnull=True) | Q(private=True), name="ladder_owned_is_private"
            ),
            models.CheckConstraint(
                condition=Q(rep_unit="reps", rep_max__lte=MAX_SET_REPS)
                | Q(rep_unit="seconds", rep_max__lte=MAX_HOLD_SECONDS),
                name="ladder_rep_max_humane",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("why"), MAX_LADDER_WHY),
                name="ladder_why_at_most_1000",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("why_es"), MAX_LADDER_WHY_ES),
                name="ladder_why_es_at_most_1200",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_hold(self) -> bool:
        """A hold (a plank): its sets are counted in seconds, not reps."""
        return self.rep_unit == self.RepUnit.SECONDS

    def amount(self, n) -> str:
        """``n`` in this ladder's unit, in words: "12 reps", "30 seconds"."""
        if self.is_hold:
            return ngettext("%(n)s second", "%(n)s seconds", n) % {"n": n}
        return ngettext("%(n)s rep", "%(n)s reps", n) % {"n": n}

    def short_amount(self, n) -> str:
        """``n`` as a list of sets shows it: "10" for reps, "30 s" for a hold."""
        return _("%(n)s s") % {"n": n} if self.is_hold else str(n)

    def level_for(self, level: int, owned: set[str] | None, *, at_most: int) -> "Exercise":
        """The level to prescribe for ``level`` with this kit (spec §8: what stands in).

        That level when the kit covers it or it says how to do without (its fallback); else
        the nearest easier level that can be done, else the nearest harder one up to
        ``at_most`` (the athlete's usual level: a day lowered for pain or a return never
        goes above it); else that level all the same. The same rule as the library's filter
        (``Exercise.is_available_with``). Uses the prefetched levels.
        """
        levels = sorted(self.exercises.all(), key=lambda e: e.level)
        exact = next(e for e in levels if e.level == level)
        if exact.is_available_with(owned):
            return exact
        easier = [e for e in levels if e.level < level and e.is_available_with(owned)]
        harder = [e for e in levels if level < e.level <= at_most and e.is_available_with(owned)]
        return easier[-1] if easier else harder[0] if harder else exact

    def clean(self):
        from django.core.exceptions import ValidationError

        known = set(REGION_LABELS)
        if not isinstance(self.regions, list) or not set(self.regions) <= known:
            raise ValidationError({"regions": _("Use region keys: %s.") % ", ".join(sorted(known))})
        if self.rep_min and self.rep_max and self.rep_max < self.rep_min:
            raise ValidationError({"rep_max": _("The top of the range is below the bottom.")})


class Exercise(TranslatedModel):
    """One level of a ladder."""

    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="exercises")
    level = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    slug = models.SlugField(unique=True)
    name = TranslatedCharField(max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=120, blank=True)
    summary = TranslatedCharField(max_length=240, blank=True)
    summary_es = models.CharField(_("summary (Spanish)"), max_length=300, blank=True)
    equipment = models.ManyToManyField(
        Equipment,
        blank=True,
        related_name="exercises",
        help_text=_("Equipment needed; none means bodyweight."),
    )
    fallback = TranslatedCharField(
        _("without the equipment"),
        max_length=240,
        blank=True,
        help_text=_("How to do this level when the equipment is missing."),
    )
    fallback_es = models.CharField(_("without the equipment (Spanish)"), max_length=300, blank=True)
    loadable = models.BooleanField(
        default=False, help_text=_("Progresses by adding dumbbell weight.")
    )
    counted_in_breaths = models.BooleanField(
        default=False,
        help_text=_("A hold counted in slow breaths (about 4 seconds each) instead of reps."),
    )
    cues = TranslatedTextField(help_text=_("Technique cues in order, one per line."))
    cues_es = models.TextField(_("cues (Spanish)"), blank=True)
    mistakes = TranslatedTextField(blank=True, help_text=_("Common mistakes, one per line."))
    mistakes_es = models.TextField(_("mistakes (Spanish)"), blank=True)
    muscles = TranslatedTextField(blank=True, help_text=_("Muscles worked, one per line."))
    muscles_es = models.TextField(_("muscles (Spanish)"), blank=True)
    caution = TranslatedCharField(max_length=300, blank=True)
    caution_es = models.CharField(_("caution (Spanish)"), max_length=360, blank=True)
    video_url = VideoURLField(
        blank=True,
        validators=[validate_video_url],
        help_text=_("A YouTube or Vimeo link to a demonstration."),
    )
    video_file = models.FileField(
        upload_to=video_upload_to,
        blank=True,
        validators=[FileExtensionValidator(["mp4"]), validate_video_file],
        help_text=_("Or an MP4 file."),
    )
    updated = models.DateTimeField(auto_now=True)

    objects = TranslatedQuerySet.as_manager()

    BREATH_SECONDS = 4  # one slow breath held in position, as the cues describe it

    # A set's count in this level's unit. A ladder's unit is reps or seconds; a plank level of
    # a ladder counted in reps counts slow breaths held, so a plank never reads as "8 reps".

    def in_breaths_on(self, ladder) -> bool:
        """Counted in slow breaths: a plank level on a ladder counted in reps (a ladder in
        seconds counts its holds in seconds). ``ladder`` is this level's, passed by callers
        that hold it already (a planned exercise) so that no query fetches it again."""
        return self.counted_in_breaths and not ladder.is_hold

    def unit_name_on(self, ladder) -> str:
        """The unit a range of this level is counted in: "reps", "seconds", "slow breaths"."""
        if self.in_breaths_on(ladder):
            return gettext("slow breaths")
        return ladder.get_rep_unit_display()

    def amount_on(self, ladder, n) -> str:
        """``n`` in this level's unit, in words: "12 reps", "30 seconds", "10 slow breaths"."""
        if self.in_breaths_on(ladder):
            return ngettext("%(n)s slow breath", "%(n)s slow breaths", n) % {"n": n}
        return ladder.amount(n)

    def hold_time_on(self, ladder, low, high) -> str:
        """For a hold counted in breaths, the range in seconds ("about 30–60 s"); else ""."""
        if not low or not high or not self.in_breaths_on(ladder):
            return ""
        seconds = [max(5, round(n * self.BREATH_SECONDS / 5) * 5) for n in (low, high)]
        if seconds[0] == seconds[1]:
            return gettext("about %(s)s s") % {"s": seconds[0]}
        return gettext("about %(low)s–%(high)s s") % {"low": seconds[0], "high": seconds[1]}

    @property
    def unit_name(self) -> str:
        return self.unit_name_on(self.ladder)

    def amount(self, n) -> str:
        return self.amount_on(self.ladder, n)

    class Meta:
        ordering = ["ladder__order", "ladder__name", "level"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "level"], name="exercise_level_unique"),
            models.CheckConstraint(condition=Q(level__gte=1), name="exercise_level_positive"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("exercises:detail", args=[self.slug])

    @property
    def cue_list(self):
        return lines(self.cues)

    @property
    def mistake_list(self):
        return lines(self.mistakes)

    @property
    def muscle_list(self):
        return lines(self.muscles)

    @property
    def video(self):
        """The parsed link (provider, id) or None."""
        return parse_video_url(self.video_url) if self.video_url else None

    def missing_equipment(self, owned: set[str] | None) -> list[Equipment]:
        """What it needs that is neither owned nor stood in for by something owned; nothing
        when the kit is not known (``owned`` None).

        Uses prefetched ``equipment__substitutes`` so list pages stay at constant queries.
        """
        if owned is None:
            return []
        return [
            item
            for item in self.equipment.all()
            if item.slug not in owned
            and not any(sub.slug in owned for sub in item.substitutes.all())
        ]

    def is_available_with(self, owned: set[str] | None) -> bool:
        """True when the owned equipment covers it, or it has a way round what is missing.

        The one rule for the library's filter and the plan (``Ladder.level_for``).
        """
        return bool(self.fallback) or not self.missing_equipment(owned)


class LibraryRevision(models.Model):
    """One row whose number changes whenever library content changes.

    Every worker reads it (one cheap query) to key its cache, so an edit in the admin
    invalidates cached library pages in all processes at once.
    """

    number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"library revision {self.number}"

    @classmethod
    def current(cls) -> int:
        row = cls.objects.filter(pk=1).values_list("number", flat=True).first()
        return row or 0

    @classmethod
    def bump(cls):
        updated = cls.objects.filter(pk=1).update(number=F("number") + 1)
        if not updated:
            cls.objects.get_or_create(pk=1, defaults={"number": 1})
