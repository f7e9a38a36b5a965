"""Coaching: routines, dated assignments, the athlete's calendar feed and session comments.

A routine is an ordered list of ladders, each fatigue-adjusted (the engine sets sets and
effort) or fixed (the coach sets sets × reps). An assignment puts a routine on an athlete's
day; the session logged from it decides its state, which drives the calendar and the
coach's compliance figures.
"""

import secrets
import uuid
from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Length, Lower
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import CoachLink
from core.validators import validate_multi_line, validate_single_line
from exercises.models import MAX_HOLD_SECONDS, Exercise, Ladder
from exercises.translated import (
    TranslatedCharField,
    TranslatedModel,
    TranslatedQuerySet,
    TranslatedTextField,
)
from sessions import default_routine, volume
from sessions.models import AthleteData, AthleteDataQuerySet, WorkoutExercise, WorkoutSet

SEED_KEYS = default_routine.KEYS
MAX_LEVELS = 20  # the library's ladders have 5
MAX_FIXED_SETS = 10
MAX_REST_SECONDS = 600
MAX_COMMENT_LENGTH = 2000
MAX_ROUTINE_NAME = 120
MAX_ROUTINE_DESCRIPTION = 1000
MAX_ITEM_NOTE = 200
# Engine tiers below NORMAL: a session done at one of them was reduced by the check-in.
REDUCED_TIERS = {volume.REDUCED, volume.MINIMUM, volume.RECOVERY}


# --- Routines -----------------------------------------------------------------------------


class RoutineQuerySet(TranslatedQuerySet):
    def templates(self):
        return self.filter(owner__isnull=True)

    def visible_to(self, user):
        """Built-in templates, the user's own routines, and those on their calendar now.

        A day on the calendar counts while it is current (``AssignmentQuerySet.current``):
        once a coach's link ends, the athlete no longer sees, copies or assigns the coach's
        routines, whoever put them on the calendar.
        """
        assigned = Assignment.objects.filter(athlete=user).current().values("routine")
        return self.filter(Q(owner__isnull=True) | Q(owner=user) | Q(pk__in=assigned))

    def seed(self):
        """The built-in "Runner's home routine" (the spec's five ladders), made on first use.

        The default routine every athlete trains (``sessions.default_routine``), as a
        template to copy, change and put on a calendar. Raises LookupError while the
        exercise library is not loaded.
        """
        routine = self.filter(template_key=Routine.SEED_KEY).first()
        if routine is not None:
            return routine

        ladders = {
            ladder.slug: ladder for ladder in Ladder.objects.public().filter(slug__in=SEED_KEYS)
        }
        missing = [key for key in SEED_KEYS if key not in ladders]
        if missing:
            raise LookupError(f"The exercise library is not loaded (missing {', '.join(missing)}).")
        with transaction.atomic():
            routine, created = self.get_or_create(
                template_key=Routine.SEED_KEY,
                defaults=default_routine.template_texts(),
            )
            if created:
                RoutineItem.objects.bulk_create(
                    RoutineItem(
                        routine=routine,
                        position=n,
                        ladder=ladders[key],
                        rest_seconds=default_routine.REST_SECONDS.get(ladders[key].area, 90),
                    )
                    for n, key in enumerate(SEED_KEYS, start=1)
                )
        return routine


class Routine(TranslatedModel):
    """An ordered list of ladders; ``owner`` is empty for the built-in templates.

    ``name`` and ``description`` read in the active language (exercises/translated.py): the
    built-in template carries its Spanish in ``name_es`` and ``description_es``; a routine
    someone builds leaves them empty and reads as written.
    """

    SEED_KEY = "seed"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="routines",
        verbose_name=_("owner"),
    )
    template_key = models.SlugField(
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Names a built-in template; empty for routines people build."),
    )
    name = TranslatedCharField(
        _("name"), max_length=MAX_ROUTINE_NAME, validators=[validate_single_line]
    )
    name_es = models.CharField(max_length=MAX_ROUTINE_NAME, blank=True, editable=False)
    description = TranslatedTextField(
        _("description"),
        max_length=MAX_ROUTINE_DESCRIPTION,
        blank=True,
        validators=[validate_multi_line],
    )
    description_es = models.TextField(blank=True, editable=False)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    objects = RoutineQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=True, template_key__isnull=False)
                | Q(owner__isnull=False, template_key__isnull=True),
                name="routine_template_or_owned",
            ),
            # SQLite does not hold a column to its max_length; these do, on every database.
            models.CheckConstraint(condition=~Q(name=""), name="routine_name_not_empty"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("name"), MAX_ROUTINE_NAME),
                name="routine_name_at_most_120",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("description"), MAX_ROUTINE_DESCRIPTION),
                name="routine_description_at_most_1000",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("coaching:routine_detail", args=[self.pk])

    @property
    def is_template(self) -> bool:
        return self.owner_id is None

    def can_edit(self, user) -> bool:
        return self.owner_id is not None and self.owner_id == user.pk

    def items_for_plan(self) -> list["RoutineItem"]:
        """Items in order with their ladders' levels and equipment, as the planner needs.

        A ladder without any level cannot be planned and is left out, and so is one the
        routine's owner no longer sees: a coach's own ladder in an athlete's routine once
        their link ended.
        """
        ladders = Ladder.objects.public()
        if self.owner_id is not None:
            ladders = Ladder.objects.visible_to(self.owner)
        levels = Exercise.objects.prefetch_related("equipment__substitutes")
        items = (
            self.items.filter(ladder__in=ladders)
            .select_related("ladder")
            .prefetch_related(models.Prefetch("ladder__exercises", queryset=levels))
        )
        return [item for item in items if item.ladder.exercises.all()]

    def next_position(self) -> int:
        last = self.items.aggregate(last=models.Max("position"))["last"]
        return (last or 0) + 1

    @transaction.atomic
    def duplicate(self, owner) -> "Routine":
        """A copy owned by ``owner``, items and all (templates too)."""
        copy = Routine.objects.create(
            owner=owner,
            name=_("%(name)s (copy)") % {"name": self.name[:110]},
            description=self.description,
        )
        RoutineItem.objects.bulk_create(
            RoutineItem(
                routine=copy,
                position=item.position,
                ladder_id=item.ladder_id,
                start_level=item.start_level,
                mode=item.mode,
                fixed_sets=item.fixed_sets,
                fixed_reps=item.fixed_reps,
                rest_seconds=item.rest_seconds,
                note=item.note,
            )
            for item in self.items.all()
        )
        return copy


class RoutineItem(models.Model):
    """One ladder of a routine, how it is dosed, and the rest between its sets."""

    class Mode(models.TextChoices):
        FATIGUE = "fatigue", _("Fatigue-adjusted")
        FIXED = "fixed", _("Fixed sets × reps")

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    ladder = models.ForeignKey(
        Ladder, on_delete=models.PROTECT, related_name="+", verbose_name=_("exercise ladder")
    )
    start_level = models.PositiveSmallIntegerField(
        _("level"),
        null=True,
        blank=True,
        help_text=_("Empty: the athlete's current level on this ladder."),
    )
    mode = models.CharField(_("dose"), max_length=7, choices=Mode, default=Mode.FATIGUE)
    fixed_sets = models.PositiveSmallIntegerField(_("sets"), null=True, blank=True)
    fixed_reps = models.PositiveSmallIntegerField(_("reps (or seconds)"), null=True, blank=True)
    rest_seconds = models.PositiveSmallIntegerField(_("rest between sets (seconds)"), default=90)
    note = models.CharField(
        _("note"), max_length=MAX_ITEM_NOTE, blank=True, validators=[validate_single_line]
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["routine", "position"], name="routineitem_position_unique"
            ),
            # The engine keys exercises by ladder, so a ladder appears once per routine.
            models.UniqueConstraint(fields=["routine", "ladder"], name="routineitem_ladder_once"),
            models.CheckConstraint(
                condition=Q(mode__in=["fatigue", "fixed"]), name="routineitem_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(fixed_sets__isnull=True)
                | Q(fixed_sets__gte=1, fixed_sets__lte=MAX_FIXED_SETS),
                name="routineitem_sets_1_to_10",
            ),
            # Up to MAX_SET_REPS reps, or MAX_HOLD_SECONDS for a hold: the form knows which.
            models.CheckConstraint(
                condition=Q(fixed_reps__isnull=True)
                | Q(fixed_reps__gte=1, fixed_reps__lte=MAX_HOLD_SECONDS),
                name="routineitem_reps_1_to_180",
            ),
            models.CheckConstraint(
                condition=Q(mode="fatigue") | Q(fixed_sets__isnull=False, fixed_reps__isnull=False),
                name="routineitem_fixed_has_dose",
            ),
            models.CheckConstraint(
                condition=Q(rest_seconds__lte=MAX_REST_SECONDS), name="routineitem_rest_0_to_600"
            ),
            models.CheckConstraint(
                condition=Q(start_level__isnull=True)
                | Q(start_level__gte=1, start_level__lte=MAX_LEVELS),
                name="routineitem_level_1_to_20",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), MAX_ITEM_NOTE),
                name="routineitem_note_at_most_200",
            ),
        ]

    def __str__(self):
        return f"{self.routine_id}:{self.position} {self.ladder_id}"

    @property
    def is_fixed(self) -> bool:
        return self.mode == self.Mode.FIXED

    @property
    def lighter_day_sets(self) -> int | None:
        """A fixed dose's sets on a REDUCED day (spec §5.7: half, rounded up)."""
        return -(-self.fixed_sets // 2) if self.is_fixed and self.fixed_sets else None


# --- Assignments --------------------------------------------------------------------------

# A session counts for an assigned day when it is done within ``window_days`` of it (before or
# after): the coach's choice, one day unless they say otherwise.
DEFAULT_WINDOW_DAYS = 1
MAX_WINDOW_DAYS = 3


def within_window(day: date) -> Q:
    """Assignments that a session on ``day`` can count for: ``day`` is inside their window."""
    return reduce(
        or_,
        (
            Q(window_days=w, date__gte=day - timedelta(days=w), date__lte=day + timedelta(days=w))
            for w in range(MAX_WINDOW_DAYS + 1)
        ),
    )


def window_closed_before(day: date) -> Q:
    """Assignments whose window's last day is before ``day``: nothing can count for them now."""
    return reduce(
        or_,
        (Q(window_days=w, date__lt=day - timedelta(days=w)) for w in range(MAX_WINDOW_DAYS + 1)),
    )


class AssignmentQuerySet(AthleteDataQuerySet):
    def current(self, athletes=None):
        """Days the athlete still has: who put them there and whose routine it is both count.

        Put there by the athlete or by a coach still linked to them, and the routine is a
        template, the athlete's own, or a routine of a coach still linked to them. An
        ended link takes the coach's days off the calendar, including days the athlete
        put the coach's routine on themselves; a session logged from one stays history.

        ``athletes`` (ids), when the caller knows whose days these are, bounds the links
        read to theirs: without it PostgreSQL hashes every active link of the site.
        """
        links = CoachLink.objects.active().filter(athlete=OuterRef("athlete"))
        if athletes is not None:
            links = links.filter(athlete_id__in=athletes)
        put_there = Q(assigned_by=F("athlete")) | Exists(
            links.filter(coach=OuterRef("assigned_by"))
        )
        routine = (
            Q(routine__owner__isnull=True)
            | Q(routine__owner=F("athlete"))
            | Exists(links.filter(coach=OuterRef("routine__owner")))
        )
        return self.filter(put_there & routine)

    def open_on(self, athlete, day):
        """What the athlete can still start on ``day``: current, no session yet, and ``day``
        within the assignment's window. The day's own first, then days they are late for
        (oldest first: its window closes soonest), then days ahead."""
        closeness = Case(
            When(date=day, then=Value(0)), When(date__lt=day, then=Value(1)), default=Value(2)
        )
        return (
            self.filter(within_window(day), athlete=athlete, workout__isnull=True)
            .current()
            .annotate(offered_on=Value(day), closeness=closeness)
            .select_related("routine", "assigned_by")
            .order_by("closeness", "date", "created", "pk")
        )

    def with_outcome(self):
        """What the linked session shows, for ``Assignment.state`` without more queries."""
        workout = OuterRef("workout")
        return self.annotate(
            workout_finished=F("workout__finished"),
            workout_tier=F("workout__tier"),
            has_sets=Exists(WorkoutSet.objects.filter(item__workout=workout)),
            engine_skipped=Exists(WorkoutExercise.objects.filter(workout=workout, action="skip")),
            engine_work=Exists(WorkoutExercise.objects.filter(workout=workout, action="do")),
        )


class Assignment(AthleteData):
    """A routine on an athlete's calendar for one day."""

    class State(models.TextChoices):
        DONE = "done", _("Done")
        REDUCED = "reduced", _("Done, reduced by the check-in")
        REST = "rest", _("Rest day advised by the check-in")
        SKIPPED = "skipped", _("Skipped")
        MISSED = "missed", _("Missed")
        DUE = "due", _("Not done yet, still time")
        IN_PROGRESS = "in_progress", _("In progress")
        UPCOMING = "upcoming", _("Upcoming")

    # A day the engine reduced, or turned into rest, is done as prescribed: compliant.
    COMPLIANT = frozenset({State.DONE, State.REDUCED, State.REST})
    COUNTED = COMPLIANT | {State.SKIPPED, State.MISSED}
    # Not decided yet: nothing logged, and a session can still count for the day.
    PENDING = frozenset({State.UPCOMING, State.DUE, State.IN_PROGRESS})
    # The annotations of ``with_outcome()``, in the order ``decide_state`` reads them.
    OUTCOME = ("workout_finished", "workout_tier", "has_sets", "engine_skipped", "engine_work")

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="assignments")
    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments_made"
    )
    date = models.DateField(db_index=True)
    window_days = models.PositiveSmallIntegerField(
        _("days either side that count"),
        default=DEFAULT_WINDOW_DAYS,
        help_text=_("A session this many days early or late still counts for the day."),
    )
    workout = models.OneToOneField(
        "workout_sessions.WorkoutSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignment",
    )
    created = models.DateTimeField(default=timezone.now)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["date", "created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["athlete", "routine", "date"], name="assignment_once_per_day"
            ),
            models.CheckConstraint(
                condition=Q(window_days__lte=MAX_WINDOW_DAYS), name="assignment_window_0_to_3"
            ),
        ]

    def __str__(self):
        return f"{self.routine} for {self.athlete} on {self.date}"

    def outcome(self) -> tuple:
        """(finished, tier, has_sets, engine_skipped, engine_work) of the linked session."""
        if hasattr(self, "has_sets"):
            return (
                self.workout_finished,
                self.workout_tier,
                self.has_sets,
                self.engine_skipped,
                self.engine_work,
            )
        workout = self.workout
        actions = set(workout.items.values_list("action", flat=True))
        has_sets = WorkoutSet.objects.filter(item__workout=workout).exists()
        return workout.finished, workout.tier, has_sets, "skip" in actions, "do" in actions

    def state_on(self, today: date) -> str:
        """Done, reduced, rest, skipped, missed, still open, in progress or upcoming, as of
        ``today``."""
        outcome = self.outcome() if self.workout_id is not None else None
        return self.decide_state(self.date, outcome, today, self.window_days)

    @classmethod
    def decide_state(
        cls, day: date, outcome: tuple | None, today: date, window: int = DEFAULT_WINDOW_DAYS
    ) -> str:
        """The rule, from the day and the linked session's ``outcome()`` (None: no session).

        Compliance is measured against what the engine prescribed that day: a reduced
        session, or rest the check-in advised, is done; a day with nothing logged is not.
        A session started within ``window`` days of the day is linked to it (``open_on``),
        so the day is missed only once its window has passed with nothing logged.
        """
        if outcome is None:
            if day + timedelta(days=window) < today:
                return cls.State.MISSED
            return cls.State.DUE if day < today else cls.State.UPCOMING
        finished, tier, has_sets, engine_skipped, engine_work = outcome
        if finished is None:
            return cls.State.IN_PROGRESS
        if has_sets:
            reduced = tier in REDUCED_TIERS or engine_skipped
            return cls.State.REDUCED if reduced else cls.State.DONE
        return cls.State.SKIPPED if engine_work else cls.State.REST

    @property
    def state(self) -> str:
        return self.state_on(self.athlete.local_today())

    @property
    def choice_label(self) -> str:
        """How the check-in offers it (``open_on`` sets ``offered_on``): the routine, its day
        when that is not today, and the coach who put it there."""
        label = self.routine.name
        offered_on = getattr(self, "offered_on", None)
        if offered_on is not None and offered_on != self.date:
            label = _("%(routine)s (for %(day)s)") % {
                "routine": label,
                "day": formats.date_format(self.date, _("l j F")),  # a translated format
            }
        if self.assigned_by_id != self.athlete_id:
            label = _("%(routine)s, from %(coach)s") % {
                "routine": label,
                "coach": self.assigned_by.name,
            }
        return label

    def can_remove(self, user, today: date) -> bool:
        """Upcoming and not started; by the athlete, or by whoever put it there."""
        if self.workout_id is not None or self.date < today:
            return False
        return user.pk in (self.athlete_id, self.assigned_by_id)


# --- Groups -------------------------------------------------------------------------------

MAX_GROUP_NAME = 60
MAX_GROUPS = 50  # per coach: a list to pick from, not a database


class GroupQuerySet(models.QuerySet):
    def of(self, coach):
        """The coach's own groups, by name."""
        return self.filter(coach=coach)


class Group(models.Model):
    """A coach's name for some of their athletes ("marathon group"), to filter and assign by.

    An athlete can be in several groups. Membership is the coach's own bookkeeping, not a
    grant: ``members()`` is always cut down to the athletes the coach may see now, so an
    athlete whose link ended drops out of every group without anything to clean up.
    """

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coach_groups",
        verbose_name=_("coach"),
    )
    name = models.CharField(_("name"), max_length=MAX_GROUP_NAME, validators=[validate_single_line])
    athletes = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="member_groups",
        verbose_name=_("athletes"),
    )
    created = models.DateTimeField(default=timezone.now)
    # Touched when the members change too: a cached page filtered by group keys on it.
    updated = models.DateTimeField(auto_now=True)

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "coach",
                name="group_name_unique_per_coach",
                violation_error_message=_("You already have a group of that name."),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="group_name_not_empty"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("name"), MAX_GROUP_NAME),
                name="group_name_at_most_60",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("coaching:group_edit", args=[self.pk])

    def members(self):
        """The group's athletes the coach may see now (an active link, the coach area on)."""
        return self.coach.coached_athletes().filter(member_groups=self)

    @transaction.atomic
    def set_members(self, athletes):
        """Make ``athletes`` (already checked to be the coach's) the group's members.

        Saving the list also drops athletes whose link has ended since they were added.
        """
        self.athletes.set(athletes)
        self.save(update_fields=["updated"])


# --- Calendar feed ------------------------------------------------------------------------


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of an athlete's iCal feed; rotating it retires the old one."""

    athlete = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    rotated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"calendar feed of {self.athlete}"

    def get_absolute_url(self):
        return reverse("coaching:feed", args=[self.token])

    def rotate(self):
        self.token = new_feed_token()
        self.rotated_at = timezone.now()
        self.save(update_fields=["token", "rotated_at"])


# --- Comments -----------------------------------------------------------------------------


class CommentQuerySet(AthleteDataQuerySet):
    def unread_by(self, user):
        """Written by someone else after the user last opened the thread."""
        seen = CommentRead.objects.filter(
            user=user, workout=OuterRef("workout"), last_read__gte=OuterRef("created")
        )
        return self.exclude(author=user).exclude(Exists(seen))

    def unread_counts(self, user) -> dict[int, int]:
        """{workout id: unread comments} over this queryset, in one query."""
        rows = (
            self.unread_by(user)
            .order_by()
            .values("workout_id")
            .annotate(n=models.Count("pk"))
            .values_list("workout_id", "n")
        )
        return dict(rows)


class Comment(AthleteData):
    """A message on a session, between the athlete and their coach."""

    workout = models.ForeignKey(
        "workout_sessions.WorkoutSession", on_delete=models.CASCADE, related_name="comments"
    )
    # The session's athlete, kept on the comment (``save`` fills it in): a coach's table
    # reads the recent comments of their athletes by (athlete, created), not the whole
    # site's recent comments.
    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField(
        _("comment"), max_length=MAX_COMMENT_LENGTH, validators=[validate_multi_line]
    )
    # Sent with the form: a double-tapped or replayed "Send" stores one comment.
    client_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    ATHLETE_PATH = "athlete"  # kept on the row: a write bumps its athlete with no join
    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["athlete", "created"], name="comment_athlete_created")]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="comment_not_empty"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), MAX_COMMENT_LENGTH),
                name="comment_at_most_2000",
            ),
        ]

    def __str__(self):
        return f"comment by {self.author} on {self.workout_id}"

    def save(self, *args, **kwargs):
        if self.athlete_id is None:
            self.athlete_id = self.workout.athlete_id
        super().save(*args, **kwargs)


class CommentRead(AthleteData):
    """When a person last opened a session's thread: later comments by others are new."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    workout = models.ForeignKey(
        "workout_sessions.WorkoutSession", on_delete=models.CASCADE, related_name="+"
    )
    last_read = models.DateTimeField()

    ATHLETE_PATH = "workout__athlete"
    objects = AthleteDataQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "workout"], name="commentread_unique"),
        ]

    def __str__(self):
        return f"{self.user} read {self.workout_id} at {self.last_read:%Y-%m-%d %H:%M}"


# --- Triage: flags a coach has seen -------------------------------------------------------


class FlagSeen(AthleteData):
    """A coach's "seen" on one occurrence of an athlete's flag on the triage table.

    An occurrence is named by what raised it (``triggered``: the check-in, the newest unread
    comment, the last missed day), so a new occurrence of the same flag shows again. It is
    athlete data: marking a flag bumps the athlete's version, so the cached rows change.
    """

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags_seen"
    )
    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(max_length=12)
    triggered = models.DateTimeField()
    created = models.DateTimeField(default=timezone.now)

    objects = AthleteDataQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "coach", "athlete", "code", "triggered", name="flag_seen_once_per_occurrence"
            )
        ]

    def __str__(self):
        return f"{self.coach} saw {self.code} of {self.athlete} ({self.triggered:%Y-%m-%d})"
