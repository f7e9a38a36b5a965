"""Check-ins, workout sessions, logged sets and each athlete's place on every ladder."""

import uuid
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import connections, models
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exercises.models import REGION_LABELS
from sessions import default_routine, extension, volume


def rating_constraint(field):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
        name=f"checkin_{field}_1_to_5",
    )


def is_painful(pain: dict) -> bool:
    """Spec §3: a region counts as painful when it hurts (NRS > 0) or has a warning sign."""
    return pain.get("nrs", 0) > 0 or bool(pain.get("red_flag"))


def is_red(pain: dict) -> bool:
    """Spec §4 PAIN_RED: this pain's own warning sign, or NRS >= 6."""
    return bool(pain.get("red_flag")) or pain.get("nrs", 0) >= volume.PAIN_RED_NRS


def painful_regions(pains, *, red: bool | None = None) -> list[str]:
    """The painful regions of a check-in's ``pains``, in the order of the region list (an
    unknown one last); ``red`` True keeps the red ones only, False the others."""
    order = {region: n for n, region in enumerate(REGION_LABELS)}
    found = {p["region"] for p in pains if is_painful(p) and (red is None or is_red(p) == red)}
    return sorted(found, key=lambda region: (order.get(region, len(order)), region))


class AthleteVersion(models.Model):
    """A number that changes with every write to an athlete's training data.

    The caches of pages that show that data (the athlete's session page, the coach's
    dashboard) are keyed by it, so a write makes every worker render afresh. It is bumped
    by the models themselves (``AthleteData``), in the writer's transaction: a page read
    before COMMIT is cached under the old number, which nobody asks for afterwards.
    """

    athlete = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"data version {self.number} of {self.athlete_id}"

    @classmethod
    def bump(cls, athletes, *, create=True):
        """Count a write to the data of ``athletes``: an id, a list of ids, or (SQL that
        selects the ids, its parameters).

        One UPDATE, in plain SQL: it runs for every set logged, and the ORM took longer to
        build it than the database to run it. The first write of an athlete who has no row
        yet also creates it (``create``: not while an account is being deleted).
        """
        if isinstance(athletes, int):
            athletes = [athletes]
        if isinstance(athletes, list):
            if not athletes:
                return
            where, params = ", ".join(["%s"] * len(athletes)), athletes
        else:
            where, params = athletes
        connection = connections[cls.objects.db]
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            # Only the quoted table name and SQL built by the ORM are formatted in.
            cursor.execute(
                f"UPDATE {table} SET number = number + 1 WHERE athlete_id IN ({where})",  # noqa: S608
                params,
            )
            updated = cursor.rowcount
            if not create:
                return
            if isinstance(athletes, list):
                ids = set(athletes)
            elif updated:
                return
            else:
                cursor.execute(where, params)
                ids = {row[0] for row in cursor.fetchall()}
        if updated == len(ids):
            return
        for athlete_id in ids - set(
            cls.objects.filter(athlete_id__in=ids).values_list("athlete_id", flat=True)
        ):
            _row, created = cls.objects.get_or_create(athlete_id=athlete_id, defaults={"number": 1})
            if not created:  # another writer created it meanwhile: count this write too
                cls.objects.filter(athlete_id=athlete_id).update(number=F("number") + 1)


class AthleteDataQuerySet(models.QuerySet):
    """Bulk writes of athlete data bump the athletes' versions too (after the write)."""

    def athlete_ids(self) -> list[int]:
        return list(set(self.values_list(self.model.ATHLETE_PATH, flat=True)))

    def bulk_create(self, objs, *args, **kwargs):
        objs = super().bulk_create(objs, *args, **kwargs)
        if objs:
            AthleteVersion.bump(self.model.athlete_ids_of(objs))
        return objs

    def update(self, **kwargs):
        athletes = self.athlete_ids()
        updated = super().update(**kwargs)
        if updated:
            AthleteVersion.bump(athletes)
        return updated

    bulk_create.alters_data = True
    update.alters_data = True


class AthleteData(models.Model):
    """A row of an athlete's training data: every write to it bumps ``AthleteVersion``.

    ``save()`` bumps; ``QuerySet.update()`` and ``bulk_create()`` do through
    ``AthleteDataQuerySet``; deletions, a queryset's too (the admin's), through the
    ``post_delete`` receiver ``bump_on_delete``, connected for every subclass in
    ``apps.py``. So no view has anything to remember.
    """

    ATHLETE_PATH = "athlete"  # from the row to its athlete, as a query lookup

    class Meta:
        abstract = True

    def save(self, *args, bump=True, **kwargs):
        """``bump=False`` only inside a transaction with another write that bumps."""
        super().save(*args, **kwargs)
        if bump:
            AthleteVersion.bump(self.athlete_ref())

    def athlete_ref(self):
        """The athlete's id, or (SQL selecting it, its parameters) when it lies behind
        other rows."""
        first, _, rest = self.ATHLETE_PATH.partition("__")
        value = getattr(self, f"{first}_id")
        return (self.athlete_sql(), [value]) if rest else value

    @classmethod
    @cache
    def athlete_sql(cls) -> str:
        """SQL selecting the athlete of the row whose first hop has the id given, built by
        the ORM once per model."""
        first, _, rest = cls.ATHLETE_PATH.partition("__")
        related = cls._meta.get_field(first).related_model
        query = related._base_manager.filter(pk=0).values_list(rest, flat=True).query
        return query.sql_with_params()[0]

    @classmethod
    def athlete_ids_of(cls, rows) -> list[int]:
        """The athletes of ``rows`` (instances), in at most one query."""
        first, _, rest = cls.ATHLETE_PATH.partition("__")
        hops = {getattr(row, f"{first}_id") for row in rows}
        if not rest:
            return sorted(hops)
        related = cls._meta.get_field(first).related_model
        return sorted(set(related._base_manager.filter(pk__in=hops).values_list(rest, flat=True)))


def bump_on_delete(sender, instance, origin=None, **kwargs):
    """A deleted row bumps its athlete's version, unless the deletion came from another row
    of athlete data, which bumps for itself (a session takes its sets along).

    A deleted account takes rows of other athletes along too (a coach's comments and
    assignments): those athletes are bumped, but no version row is created then, as the
    row's athlete may be the account going.
    """
    from django.contrib.auth import get_user_model

    if isinstance(origin, models.QuerySet):
        origin_model = origin.model
    else:
        origin_model = sender if origin is None else type(origin)
    if origin_model is not sender and issubclass(origin_model, AthleteData):
        return
    create = origin_model is not get_user_model()
    AthleteVersion.bump(instance.athlete_ref(), create=create)


def bump_on_link_change(sender, instance, **kwargs):
    """A coach link made, ended or deleted changes which assignments count for the athlete
    (``AssignmentQuerySet.current``) on every linked coach's dashboard."""
    AthleteVersion.bump(instance.athlete_id, create=kwargs.get("signal") is not post_delete)


def bump_on_run_change(sender, instance, **kwargs):
    """A run logged, edited or deleted changes the running load a coach's table shows.

    Runs live in ``runs``, which knows nothing of sessions, so the receiver is connected
    here (``apps.py``). The log is written one run at a time (no bulk writes).
    """
    AthleteVersion.bump(instance.athlete_id, create=kwargs.get("signal") is not post_delete)


class CheckIn(AthleteData):
    """A few taps before a session: how the athlete feels and what they ran."""

    # LOG ("as my running log says") is the answer when the log knows
    # (sessions.running_log): the check-in then asks nothing, and any other answer is the
    # athlete's correction.
    # The answers are days as a runner counts them; the stored codes are the hour buckets
    # the engine reads (sessions.planning.HARD_RUN_HOURS: today 12 h, yesterday 36 h), kept
    # from when the buttons said "less than a day ago" and "1–2 days ago", so stored
    # check-ins and pages queued offline before the change mean what they meant.
    class HardRun(models.TextChoices):
        LOG = "log", _("As my log says")
        UNDER_24H = "lt24", _("Today")
        ONE_TWO_DAYS = "1to2", _("Yesterday")
        TWO_THREE_DAYS = "2to3", _("2–3 days ago")
        LONGER = "gt3", _("More than 3 days ago / none")
        UNKNOWN = "unknown", _("Don't know")

    # No recent hard run, or its day unknown: there is no run to describe (stored empty).
    NO_RECENT_RUN = (HardRun.LONGER, HardRun.UNKNOWN)

    class RunKind(models.TextChoices):
        LOG = "log", _("As my log says")
        HARD = "hard", _("Hard (tempo, intervals)")
        BIG = "big", _("Long or very hard")
        RACE = "race", _("A race")

    class KeyRun(models.TextChoices):
        LOG = "log", _("As my plan says")
        WITHIN_24H = "24h", _("Within a day")
        ONE_TWO_DAYS = "48h", _("In 1–2 days")
        NO = "no", _("No")

    # Indexed with the time (Meta.indexes), which serves lookups by athlete alone too.
    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins", db_index=False
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)
    client_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    soreness = models.PositiveSmallIntegerField(null=True, blank=True)
    fatigue = models.PositiveSmallIntegerField(null=True, blank=True)
    sleep = models.PositiveSmallIntegerField(null=True, blank=True)
    stress = models.PositiveSmallIntegerField(null=True, blank=True)
    pains = models.JSONField(default=list, blank=True, help_text=_("[{region, nrs, red_flag}, …]"))
    ill = models.BooleanField(default=False)
    urgent = models.BooleanField(default=False)
    last_hard_run = models.CharField(max_length=7, choices=HardRun, default=HardRun.UNKNOWN)
    # Empty when there was no hard run in the last 3 days (CheckInForm.clean).
    run_kind = models.CharField(max_length=4, choices=RunKind, default=RunKind.HARD, blank=True)
    key_run_soon = models.CharField(max_length=3, choices=KeyRun, default=KeyRun.NO)
    minutes_available = models.PositiveSmallIntegerField(null=True, blank=True)
    readiness_points = models.PositiveSmallIntegerField(default=0)
    readiness_pct = models.PositiveSmallIntegerField(default=0)

    objects = AthleteDataQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        indexes = [
            # The newest check-ins of an athlete (the coach's dashboard and athlete page, the
            # engine's last four weeks) without reading all of them.
            models.Index(fields=["athlete", "created", "id"], name="checkin_athlete_created"),
        ]
        constraints = [
            rating_constraint("soreness"),
            rating_constraint("fatigue"),
            rating_constraint("sleep"),
            rating_constraint("stress"),
            models.CheckConstraint(
                condition=Q(minutes_available__isnull=True) | Q(minutes_available__gte=5),
                name="checkin_minutes_at_least_5",
            ),
        ]

    def __str__(self):
        return f"{self.athlete} {self.created:%Y-%m-%d}"

    @property
    def pain_regions(self) -> set[str]:
        return set(painful_regions(self.pains))

    def region_labels(self):
        return [{**p, "label": REGION_LABELS.get(p["region"], p["region"])} for p in self.pains]


class WorkoutSessionQuerySet(AthleteDataQuerySet):
    def finished(self):
        return self.filter(finished__isnull=False)

    def in_progress(self):
        return self.filter(finished__isnull=True)

    def since(self, moment):
        return self.filter(finished__gte=moment)

    def history(self, *, reader, limit, offset=0):
        """The newest ``limit`` sessions after the first ``offset``, each with ``sets_done``
        and ``unread``: comments new to ``reader`` (the athlete on their history, a coach on
        an athlete's page).

        The page's sessions come first (the athlete and start index), and their sets are
        counted for those sessions only: counting in the same query grouped every session's
        sets before the limit applied, a scan of the athlete's whole history.
        """
        workouts = list(self.order_by("-started", "-pk")[offset : offset + limit])
        ids = [w.pk for w in workouts]
        sets = (
            WorkoutSet.objects.filter(item__workout_id__in=ids)
            .order_by()
            .values_list("item__workout_id")
            .annotate(n=Count("pk"))
        )
        done = dict(sets) if ids else {}
        unread = extension.active().unread_counts(ids, reader)
        for workout in workouts:
            workout.sets_done = done.get(workout.pk, 0)
            workout.unread = unread.get(workout.pk, 0)
        return workouts

    def page_version(self, pk, user) -> tuple | None:
        """Everything the athlete's page of session ``pk`` depends on, in one query.

        None when the session is not ``user``'s. The page is cached under this value
        (``sessions.views.workout_detail``), so it must change whenever the page would:
        the athlete's data version counts every write to their sessions, sets, check-ins
        and comments (``AthleteData``); the user's last read of the comments moves the
        "new" markers (that column comes from coaching, ``sessions.extension``); and the
        library revision covers exercise names. Raw SQL because it
        runs on every plan page view and the ORM spent longer building these subqueries
        than the database spends on them.
        """
        from exercises.models import LibraryRevision

        quote = connections[self.db].ops.quote_name
        tables = {
            "workouts": WorkoutSession,
            "versions": AthleteVersion,
            "library": LibraryRevision,
        }
        t = {name: quote(model._meta.db_table) for name, model in tables.items()}
        thread, thread_params = extension.active().page_version_sql(quote, user)
        # Only quoted table names are formatted in; every value is a parameter.
        columns = [
            f"(SELECT v.number FROM {t['versions']} v"  # noqa: S608
            f" WHERE v.athlete_id = w.athlete_id)",
            *thread,
            f"(SELECT l.number FROM {t['library']} l WHERE l.id = 1)",  # noqa: S608
        ]
        sql = (
            f"SELECT {', '.join(columns)}"  # noqa: S608
            f" FROM {t['workouts']} w WHERE w.id = %s AND w.athlete_id = %s"
        )
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, [*thread_params, pk, user.pk])
            return cursor.fetchone()


class WorkoutSession(AthleteData):
    """One strength session, with a snapshot of what the engine prescribed."""

    # Indexed with the start and the finish (Meta.indexes), which serve lookups by athlete
    # alone too.
    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workouts", db_index=False
    )
    checkin = models.OneToOneField(
        CheckIn, null=True, blank=True, on_delete=models.SET_NULL, related_name="workout"
    )
    routine_name = models.CharField(max_length=120, default="Runner's home routine")
    started = models.DateTimeField(default=timezone.now, db_index=True)
    finished = models.DateTimeField(null=True, blank=True, db_index=True)
    plan = models.JSONField(help_text=_("The plan as computed, so history shows it as it was."))
    tier = models.CharField(max_length=8)
    headline_reason = models.CharField(max_length=20)
    session_rpe = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    # The client id of the finish that closed the session: a replay of it is answered as
    # stored, another finish as refused (sessions.views.workout_finish).
    finish_client_id = models.UUIDField(null=True, blank=True, editable=False)

    objects = WorkoutSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-started"]
        indexes = [
            # An athlete's sessions newest first (history pages, the export) and by finish
            # (the engine's history, the load chart, progress), read as a slice.
            models.Index(fields=["athlete", "started", "id"], name="workout_athlete_started"),
            models.Index(fields=["athlete", "finished"], name="workout_athlete_finished"),
        ]
        constraints = [
            # One open session at a time: a retried "start" cannot open a second one.
            models.UniqueConstraint(
                fields=["athlete"],
                condition=Q(finished__isnull=True),
                name="one_open_workout_per_athlete",
            ),
            models.CheckConstraint(
                condition=Q(session_rpe__isnull=True) | Q(session_rpe__lte=10),
                name="workout_rpe_0_to_10",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__lte=600),
                name="workout_duration_sane",
            ),
        ]

    def __str__(self):
        return f"{self.athlete} {self.started:%Y-%m-%d} {self.tier}"

    def get_absolute_url(self):
        return reverse("workout_sessions:detail", args=[self.pk])

    @property
    def routine_title(self) -> str:
        """The routine's name as the reader sees it (the default routine's in their language)."""
        return default_routine.shown_name(self.routine_name)

    @property
    def is_finished(self) -> bool:
        return self.finished is not None

    @property
    def sets_prescribed(self) -> int:
        return sum(exercise["sets"] for exercise in self.plan.get("exercises", []))

    @property
    def load(self) -> int | None:
        """Session load in arbitrary units: RPE (CR-10) × minutes (Foster 2001)."""
        if self.session_rpe is None or not self.duration_minutes:
            return None
        return self.session_rpe * self.duration_minutes


_row_converters = {}


def row_converters(model, connection):
    """The converters the ORM applies to ``model``'s columns read by ``connection`` (the
    backend's, then the field's), as (column index, converters, expression) for the columns
    that have any; worked out once per model and database."""
    key = (model, connection.alias)
    if key not in _row_converters:
        found = []
        for n, field in enumerate(model._meta.concrete_fields):
            column = field.get_col(model._meta.db_table)
            converters = connection.ops.get_db_converters(column) + field.get_db_converters(
                connection
            )
            if converters:
                found.append((n, converters, column))
        _row_converters[key] = found
    return _row_converters[key]


class WorkoutExerciseQuerySet(AthleteDataQuerySet):
    def next_to_log(self, workout_pk, athlete):
        """The exercise being logged in ``athlete``'s session ``workout_pk``, or None.

        That is its first pending exercise, with ``logged``: the number of sets it has.
        Call it in the writer's transaction: it takes the session's lock first and counts
        after, so two sets posted at once cannot both count the same sets and take the same
        number. SQLite's IMMEDIATE transactions already hold the write lock; where rows can
        be locked (PostgreSQL) the session row is locked by a statement of its own, because
        a statement that waited for a lock still reads as of its start (READ COMMITTED): a
        count in the locking statement would miss the set its rival just committed.
        Raw SQL because it runs for every set logged, and the ORM took longer to build
        these queries than the database took to answer them (bench/README.md).
        """
        connection = connections[self.db]
        quote = connection.ops.quote_name
        items, workouts, sets = (
            quote(model._meta.db_table) for model in (WorkoutExercise, WorkoutSession, WorkoutSet)
        )
        if connection.features.has_select_for_update:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id FROM {workouts} WHERE id = %s AND athlete_id = %s FOR UPDATE",  # noqa: S608
                    [workout_pk, athlete.pk],
                )
        fields = [field.attname for field in WorkoutExercise._meta.concrete_fields]
        columns = ", ".join(
            f"i.{quote(field.column)}" for field in WorkoutExercise._meta.concrete_fields
        )
        sql = (
            f"SELECT {columns}, (SELECT COUNT(*) FROM {sets} s WHERE s.item_id = i.id)"  # noqa: S608
            f" FROM {items} i INNER JOIN {workouts} w ON w.id = i.workout_id"
            f" WHERE i.workout_id = %s AND w.athlete_id = %s AND i.status = %s"
            f" ORDER BY i.position LIMIT 1"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [workout_pk, athlete.pk, WorkoutExercise.Status.PENDING])
            row = cursor.fetchone()
        if row is None:
            return None
        # The columns are the model's own, in its order: from_db() as a queryset would, but
        # without RawQuerySet's per-call column matching (a third of this method's time).
        values = list(row[:-1])
        for n, converters, expression in row_converters(WorkoutExercise, connection):
            for converter in converters:
                values[n] = converter(values[n], expression, connection)
        item = WorkoutExercise.from_db(self.db, fields, values)
        item.logged = row[-1]
        return item


class WorkoutExercise(AthleteData):
    """One exercise of a session: what was prescribed, and where logging stands."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To do")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Skipped")

    workout = models.ForeignKey(WorkoutSession, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    ladder = models.ForeignKey("exercises.Ladder", on_delete=models.PROTECT, related_name="+")
    exercise = models.ForeignKey(
        "exercises.Exercise",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The level being done now (may change within the session)."),
    )
    prescribed_level = models.PositiveSmallIntegerField()
    action = models.CharField(max_length=4)  # "do" or "skip", from the engine
    tier = models.CharField(max_length=8)
    sets_planned = models.PositiveSmallIntegerField()
    rep_min = models.PositiveSmallIntegerField(null=True)
    rep_max = models.PositiveSmallIntegerField(null=True)
    target_rir = models.PositiveSmallIntegerField(null=True)
    reason = models.CharField(max_length=20)
    pain_stop_nrs = models.PositiveSmallIntegerField(default=3)
    pain_watch = models.BooleanField(default=False)
    use_fallback = models.BooleanField(default=False)
    load_kg = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=7, choices=Status, default=Status.PENDING)
    stop_action = models.CharField(max_length=16, blank=True)
    decision = models.CharField(max_length=10, blank=True)
    decision_level = models.PositiveSmallIntegerField(null=True, blank=True)

    ATHLETE_PATH = "workout__athlete"
    objects = WorkoutExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["workout", "position"], name="item_position_unique"),
        ]

    def __str__(self):
        return f"{self.workout_id}:{self.position} {self.ladder_id}"

    # The count in this exercise's unit: its ladder's (reps or seconds), or slow breaths for a
    # plank level (``Exercise.counted_in_breaths``), read from the ladder already loaded here.
    @property
    def unit_name(self) -> str:
        return self.exercise.unit_name_on(self.ladder)

    def amount(self, n) -> str:
        return self.exercise.amount_on(self.ladder, n)

    @property
    def hold_time(self) -> str:
        return self.exercise.hold_time_on(self.ladder, self.rep_min, self.rep_max)


class WorkoutSetQuerySet(AthleteDataQuerySet):
    def log(self, athlete_id: int, **values) -> "WorkoutSet":
        """Insert one set of ``athlete_id``'s and bump their version: what ``create()``
        does, in two plain statements. It runs for every set logged, and building the ORM's
        INSERT and the version bump's subquery took a quarter of the request (bench/README.md).
        The caller knows the session is ``athlete_id``'s (``next_to_log`` checked it).
        """
        row = self.model(**values)
        connection = connections[self.db]
        fields = [field for field in self.model._meta.concrete_fields if not field.primary_key]
        pk = self.model._meta.pk
        returning = ""
        if connection.features.can_return_columns_from_insert:
            returning, _ = connection.ops.return_insert_columns([pk])
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        params = [field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) {returning}",  # noqa: S608
                params,
            )
            if returning:
                (row.pk,) = connection.ops.fetch_returned_insert_columns(cursor, [])
            else:
                row.pk = connection.ops.last_insert_id(cursor, self.model._meta.db_table, pk.column)
        row._state.adding = False
        row._state.db = self.db
        AthleteVersion.bump(athlete_id)
        return row

    log.alters_data = True


class WorkoutSet(AthleteData):
    """One logged set. ``client_id`` is unique so a replayed or double-tapped post logs once."""

    item = models.ForeignKey(WorkoutExercise, on_delete=models.CASCADE, related_name="sets")
    exercise = models.ForeignKey("exercises.Exercise", on_delete=models.PROTECT, related_name="+")
    set_number = models.PositiveSmallIntegerField()
    reps = models.PositiveSmallIntegerField(help_text=_("Reps, or seconds for a hold."))
    load_kg = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    rir = models.PositiveSmallIntegerField(help_text=_("Reps in reserve; 5 means 5 or more."))
    pain_nrs = models.PositiveSmallIntegerField(default=0)
    action = models.CharField(max_length=16)
    next_reps = models.PositiveSmallIntegerField(null=True, blank=True)
    client_id = models.UUIDField(unique=True)
    created = models.DateTimeField(default=timezone.now)

    ATHLETE_PATH = "item__workout__athlete"
    objects = WorkoutSetQuerySet.as_manager()

    class Meta:
        ordering = ["item__position", "set_number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "set_number"], name="set_number_unique"),
            models.CheckConstraint(condition=Q(reps__gte=1, reps__lte=200), name="set_reps_sane"),
            models.CheckConstraint(condition=Q(rir__lte=5), name="set_rir_0_to_5"),
            models.CheckConstraint(condition=Q(pain_nrs__lte=10), name="set_pain_0_to_10"),
            models.CheckConstraint(
                condition=Q(load_kg__isnull=True) | Q(load_kg__gte=0, load_kg__lte=300),
                name="set_load_sane",
            ),
        ]

    def __str__(self):
        return f"set {self.set_number} of {self.item}"


class LadderProgress(models.Model):
    """Where an athlete stands on a ladder, moved by ``progression_decision``."""

    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress"
    )
    ladder = models.ForeignKey("exercises.Ladder", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField()
    load_kg = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["athlete", "ladder"], name="progress_unique"),
            models.CheckConstraint(condition=Q(level__gte=1), name="progress_level_positive"),
        ]

    def __str__(self):
        return f"{self.athlete} {self.ladder_id} L{self.level}"


# The engine tells apart 0 to 4 finished sessions (new user, early, established) and up to 3
# in a week (STRENGTH_FREQ): counting the newest few is enough, however long the history.
COUNTED_SESSIONS = 16


def history_counts(athlete, now):
    """Facts the engine's History needs, in two queries whatever the history's size.

    ``total`` and ``last7`` are counted among the newest ``COUNTED_SESSIONS`` sessions only
    (read backwards on the athlete's finish index): enough for every rule of the engine,
    without reading the athlete's whole history on each check-in.
    """
    week_ago = now - timedelta(days=7)
    # A session closed without a single set (a rest day) is not strength training.
    newest = list(
        WorkoutSession.objects.filter(athlete=athlete)
        .finished()
        .filter(Exists(WorkoutSet.objects.filter(item__workout=OuterRef("pk"))))
        .order_by("-finished")
        .values_list("finished", flat=True)[:COUNTED_SESSIONS]
    )
    summary = {
        "total": len(newest),
        "last": newest[0] if newest else None,
        "last7": sum(1 for finished in newest if finished >= week_ago),
    }
    sets = (
        WorkoutSet.objects.filter(
            item__workout__athlete=athlete, item__workout__finished__gte=week_ago
        )
        .values("item__ladder__slug")
        .annotate(n=Count("pk"))
    )
    return summary, {row["item__ladder__slug"]: row["n"] for row in sets}
