"""Seed a database at club scale, for measuring pages with realistic amounts of data.

    python manage.py seed_scale                    # 10,000 athletes, 200 coaches, 2,000,000 sets
    python manage.py seed_scale --athletes 40 --coaches 3 --sets 4000 --days 60   # a tiny one

What it writes, as the app itself would have written it:

- athletes ``athleteN@scale.example`` and coaches ``coachN@scale.example`` (password
  ``PASSWORD``, address confirmed), each coach with an authenticator app (the coach area
  needs a second step) and a copy of the built-in routine;
- coach links: coach 1 coaches ``--coach-size`` athletes (100, the dashboard measured in
  bench/scale.py), the other coaches share most of the rest, a fifth of athletes train alone;
- for every athlete, sessions spread over the last ``--days`` days, each with its check-in, the
  plan the training engine (``sessions.volume``) computes for that check-in and the athlete's
  levels then, stored with ``sessions.planning.plan_snapshot`` like ``start_workout`` does,
  its exercises and its logged sets (each set's action from the engine's in-session rule),
  and the progression decision ``finish_workout`` leaves; athlete 1 trains four times a week
  (the heavy account the bench reads), the others from about once a fortnight to five times a
  week, so that the sets add up to ``--sets`` exactly;
- coached athletes: the coach's routine on their calendar on Mondays, Wednesdays and Fridays
  (linked to the session done that day), and now and then a comment from each side;
- a year of runs (``--runs-per-week``, with a long run and a hard one each week), a race
  ahead for some, where each athlete stands on each ladder, and their data version.

Rows go in with PostgreSQL's ``COPY`` (psycopg 3 ``cursor.copy``), in batches of athletes,
all in one transaction, into the big tables stripped of their foreign keys, unique
constraints and secondary indexes, which are put back at the end (``Loader.bare``); on
other databases (SQLite in the tests) with plain multi-row INSERTs of the same rows. The
data is drawn from a fixed random seed (``--seed``). Run it on an empty database (after ``migrate``
and ``load_library``): it refuses to run twice on one database.
"""

import json
import random
import time
import uuid
import zoneinfo
from contextlib import contextmanager
from datetime import datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, transaction
from django.utils import timezone

from accounts.models import CoachLink, User
from coaching.models import Assignment, Comment, Routine
from runs.models import Race, Run
from sessions import volume
from sessions.default_routine import DefaultRoutine
from sessions.models import (
    AthleteVersion,
    CheckIn,
    LadderProgress,
    WorkoutExercise,
    WorkoutSession,
    WorkoutSet,
)
from sessions.planning import athlete_routine, plan_snapshot

DOMAIN = "scale.example"
PASSWORD = "scale-seed-password-9"  # noqa: S105 - throwaway accounts on a bench database
HEAVY_PER_WEEK = 4  # athlete 1's sessions a week
SETS_PER_SESSION = 11  # about what a session of the default routine logs; for the spread only
ZONES = ("Europe/London", "America/New_York", "Europe/Berlin", "Australia/Sydney", "UTC")
BATCH_ATHLETES = 250
# Hours since the last strength session, in the bands the engine's rules tell apart.
GAP_BANDS = (24, 48, 72, 144, 336, 10_000)
COMMENTS = (
    "Felt strong today.",
    "Calves were tight after yesterday's tempo.",
    "Good work, keep the reps smooth.",
    "Knee was fine on the step-ups.",
    "Short on time, did what I could.",
)
# Check-ins as athletes give them, by how often they come: (weight, answers, pains).
DAYS = (
    (62, {"soreness": 3, "fatigue": 3, "sleep": 3, "stress": 3}, ()),
    (14, {"soreness": 4, "fatigue": 4, "sleep": 4, "stress": 4}, ()),
    (14, {"soreness": 2, "fatigue": 2, "sleep": 2, "stress": 3}, ()),
    (6, {"soreness": 3, "fatigue": 3, "sleep": 3, "stress": 3}, ({"region": "knee", "nrs": 2},)),
    (3, {"soreness": 2, "fatigue": 2, "sleep": 3, "stress": 2}, ({"region": "shin", "nrs": 4},)),
    (1, {"soreness": 1, "fatigue": 1, "sleep": 2, "stress": 2, "ill": True}, ()),
)


def email(kind: str, n: int) -> str:
    return f"{kind}{n}@{DOMAIN}"


class Loader:
    """Writes rows (tuples in ``columns`` order) into a model's table: COPY on PostgreSQL,
    batched INSERTs elsewhere. JSON columns take text already encoded."""

    def __init__(self, using="default"):
        self.connection = connections[using]
        self.copy = self.connection.vendor == "postgresql"
        self.rows = 0

    def load(self, model, columns, rows):
        fields = [model._meta.get_field(name) for name in columns]
        # Columns the seed does not name take their model default, as the ORM would store
        # (a field added later keeps the seed working).
        named = {f.name for f in fields}
        extra = [
            f
            for f in model._meta.concrete_fields
            if f.name not in named and not f.primary_key and not f.unique and f.has_default()
        ]
        if extra:
            defaults = tuple(
                dumps(f.get_default()) if f.get_internal_type() == "JSONField" else f.get_default()
                for f in extra
            )
            fields += extra
            rows = (row + defaults for row in rows)
        table = self.connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(self.connection.ops.quote_name(f.column) for f in fields)
        with self.connection.cursor() as cursor:
            if self.copy:
                # Only quoted names are formatted in; the rows travel as COPY data.
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        self.rows += 1
                return
            json_columns = [f.get_internal_type() == "JSONField" for f in fields]
            marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
            batch = []
            for row in rows:
                batch.append(
                    [
                        value if is_json else field.get_db_prep_save(value, self.connection)
                        for value, field, is_json in zip(row, fields, json_columns, strict=True)
                    ]
                )
                if len(batch) == 100:
                    self._insert(cursor, table, names, marks, batch)
                    batch = []
            if batch:
                self._insert(cursor, table, names, marks, batch)

    def _insert(self, cursor, table, names, marks, batch):
        sql = f"INSERT INTO {table} ({names}) VALUES {', '.join([marks] * len(batch))}"  # noqa: S608
        cursor.execute(sql, [value for row in batch for value in row])
        self.rows += len(batch)

    def next_ids(self, *models):
        """{model: the first free id}; ids are given explicitly and sequences reset after."""
        found = {}
        with self.connection.cursor() as cursor:
            for model in models:
                table = self.connection.ops.quote_name(model._meta.db_table)
                pk = self.connection.ops.quote_name(model._meta.pk.column)
                cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) + 1 FROM {table}")  # noqa: S608
                found[model] = cursor.fetchone()[0]
        return found

    @contextmanager
    def bare(self, models):
        """On PostgreSQL, inside the caller's transaction: ``models``' tables without their
        foreign keys, unique constraints and secondary indexes while rows go in, each put
        back as it was (``pg_get_constraintdef``, ``pg_indexes``) afterwards.

        Checking a foreign key row by row locks the parent row each time, and keeping
        indexes up to date row by row writes each index page again and again; building
        them once at the end is several times faster. Nothing changes elsewhere: if the
        seed fails, the transaction takes it all back.
        """
        if not self.copy:
            yield
            return
        saved = []
        with self.connection.cursor() as cursor:
            # Checks still pending in this transaction (a deferred key of a row written
            # before) would forbid altering the tables they touch: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint"
                    " WHERE conrelid = %s::regclass AND contype IN ('f', 'u')"
                    " ORDER BY contype DESC, conname",
                    [table],
                )
                constraints = cursor.fetchall()
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes"
                    " WHERE schemaname = current_schema() AND tablename = %s AND indexname"
                    " NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)"
                    " ORDER BY indexname",
                    [table, table],
                )
                indexes = cursor.fetchall()
                quoted = self.connection.ops.quote_name(table)
                for name, _definition, _kind in constraints:
                    quoted_name = self.connection.ops.quote_name(name)
                    cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {quoted_name}")
                for name, _definition in indexes:
                    cursor.execute(f"DROP INDEX {self.connection.ops.quote_name(name)}")
                saved.append((quoted, constraints, indexes))
        yield
        with self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _quoted, _constraints, indexes in saved:
                for _name, definition in indexes:
                    cursor.execute(definition)
            for quoted, constraints, _indexes in saved:  # unique ones first, then the keys
                for name, definition, _kind in constraints:
                    quoted_name = self.connection.ops.quote_name(name)
                    cursor.execute(
                        f"ALTER TABLE {quoted} ADD CONSTRAINT {quoted_name} {definition}"
                    )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django declares its keys

    def reset_sequences(self, models):
        statements = self.connection.ops.sequence_reset_sql(no_style(), models)
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def dumps(value) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder)


def spread(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights``, summing to ``total`` exactly."""
    whole = sum(weights) or 1
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    left = total - sum(counts)
    by_remainder = sorted(range(len(weights)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in by_remainder[:left]:
        counts[i] += 1
    return counts


class Seeder:
    def __init__(self, *, athletes, coaches, sets, days, runs_per_week, coach_size, seed, now):
        self.athletes = athletes
        self.coaches = coaches
        self.sets = sets
        self.days = days
        self.runs_per_week = runs_per_week
        self.coach_size = coach_size
        self.rng = random.Random(seed)  # noqa: S311 - made-up data, not secrets
        self.now = now
        self.loader = Loader()
        self.plans = {}  # (day kind, levels, new user bucket) -> (snapshot text, plan)
        self.set_actions = {}
        self.counts = {}
        self.sessions_made = 0

    # --- the library, as the planner reads it ----------------------------------------

    def read_library(self):
        try:
            items = DefaultRoutine().items_for_plan()
            self.template = Routine.objects.seed()
        except LookupError as exc:
            raise CommandError(f"{exc} Run `manage.py load_library` first.") from exc
        self.items = items
        self.ladders = [item.ladder for item in items]
        self.levels = {
            ladder.pk: {e.level: e for e in ladder.exercises.all()} for ladder in self.ladders
        }

    def plan_for(self, kind: int, levels: tuple, completed: int, gap_hours, week: tuple):
        """The engine's plan for a check-in of ``DAYS[kind]`` at ``levels``, cached; ``week``
        is (sessions, {ladder slug: sets}) of the last seven days, as ``history_counts``."""
        # Inputs the engine reads alike share one plan: counts past its thresholds, the
        # gap by the bands its rules use, sets a week only where the weekly limit bites.
        bucket = min(completed, volume.NEW_USER_EARLY_SESSIONS)
        gap = None
        if gap_hours is not None:
            gap = next((band for band in GAP_BANDS if gap_hours < band), GAP_BANDS[-1]) - 1
        sessions, sets = week
        limit = volume.WEEKLY_SET_LIMIT
        week = (
            min(sessions, volume.STRENGTH_FREQ_SESSIONS),
            tuple((slug, min(n, limit)) for slug, n in sets if n > limit - 4),
        )
        key = (kind, levels, bucket, gap, week)
        if key in self.plans:
            return self.plans[key]
        _weight, answers, pains = DAYS[kind]
        checkin = volume.CheckIn(
            soreness=answers["soreness"],
            fatigue=answers["fatigue"],
            sleep=answers["sleep"],
            stress=answers["stress"],
            ill=answers.get("ill", False),
            urgent=False,
            pains=tuple(volume.Pain(region=p["region"], nrs=p["nrs"]) for p in pains),
        )
        routine = athlete_routine(
            self.ladders,
            {},
            {ladder.pk: level for ladder, level in zip(self.ladders, levels, strict=True)},
        )
        plan = volume.plan_session(
            checkin=checkin,
            run=volume.RunContext(),
            history=volume.History(
                completed_sessions=bucket,
                hours_since_strength=gap,
                strength_sessions_last7=week[0],
                sets_last7=dict(week[1]),
            ),
            routine=routine,
            time_available=None,
        )
        snapshot = plan_snapshot(plan, routine)
        snapshot["rest_seconds"] = {i.ladder.slug: i.rest_seconds for i in self.items}
        snapshot["notes"] = {}
        snapshot["aims"] = {
            p.key: {
                "reps": volume.rep_aim(rep_min=p.rep_min, rep_max=p.rep_max, tier=p.tier),
                "last": None,
                "fixed": False,
            }
            for p in plan.exercises
            if p.action == "do"
        }
        self.plans[key] = (dumps(snapshot), plan, snapshot["aims"])
        return self.plans[key]

    def set_action(self, prescribed, set_number, reps, rir):
        key = (prescribed.target_rir, set_number, reps, rir, prescribed.rep_min, prescribed.rep_max)
        if key not in self.set_actions:
            self.set_actions[key] = volume.next_set_action(
                target_rir=prescribed.target_rir,
                set_number=set_number,
                reps=reps,
                rir=rir,
                rep_min=prescribed.rep_min,
                rep_max=prescribed.rep_max,
                pain_stop_nrs=prescribed.pain_stop_nrs or volume.PAIN_STOP_NRS,
            )
        return self.set_actions[key]

    # --- people --------------------------------------------------------------------------

    def seed_people(self):
        if User.objects.filter(email__endswith=f"@{DOMAIN}").exists():
            raise CommandError(
                f"This database already has @{DOMAIN} accounts: seed an empty database."
            )
        from allauth.account.models import EmailAddress

        ids = self.loader.next_ids(User, EmailAddress, CoachLink)
        password = make_password(PASSWORD)
        joined = self.now - timedelta(days=self.days + 30)
        people = []
        self.coach_ids = [ids[User] + n for n in range(self.coaches)]
        first_athlete = ids[User] + self.coaches
        self.athlete_ids = [first_athlete + n for n in range(self.athletes)]
        for n, pk in enumerate(self.coach_ids, start=1):
            people.append((pk, email("coach", n), f"Coach {n}", "UTC", "kg", [], True))
        self.profiles = {}
        for n, pk in enumerate(self.athlete_ids, start=1):
            zone = ZONES[n % len(ZONES)]
            units = "lb" if n % 4 == 0 else "kg"
            dumbbells = [4, 6, 8, 10] if n % 3 == 0 else []
            self.profiles[pk] = (n, zoneinfo.ZoneInfo(zone), dumbbells)
            people.append((pk, email("athlete", n), f"Runner {n}", zone, units, dumbbells, False))
        columns = [
            "id",
            "password",
            "email",
            "display_name",
            "timezone",
            "units",
            "language",
            "dumbbells_kg",
            "hard_run_days",
            "is_coach",
            "is_staff",
            "is_superuser",
            "is_active",
            "date_joined",
            "first_name",
            "last_name",
        ]
        self.loader.load(
            User,
            columns,
            (
                (pk, password, mail, name, zone, units, "en", dumps(bells), "[]", coach)
                + (False, False, True, joined, "", "")
                for pk, mail, name, zone, units, bells, coach in people
            ),
        )
        self.loader.load(
            EmailAddress,
            ["id", "user", "email", "verified", "primary"],
            (
                (ids[EmailAddress] + n, pk, mail, True, True)
                for n, (pk, mail, *_rest) in enumerate(people)
            ),
        )
        # Coach 1 coaches coach_size athletes; the others share four fifths of the rest.
        self.coach_of = {}
        for n, pk in enumerate(self.athlete_ids):
            if n < self.coach_size or self.coaches == 0:
                coach = self.coach_ids[0] if self.coaches else None
            elif self.coaches > 1 and n % 5:
                coach = self.coach_ids[1 + n % (self.coaches - 1)]
            else:
                coach = None
            if coach is not None:
                self.coach_of[pk] = coach
        self.loader.load(
            CoachLink,
            ["id", "coach", "athlete", "created"],
            (
                (ids[CoachLink] + n, coach, athlete, joined)
                for n, (athlete, coach) in enumerate(self.coach_of.items())
            ),
        )
        self.routine_of = {}
        self.routine_name = {}
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        for coach in User.objects.filter(pk__in=self.coach_ids).order_by("pk"):
            pk = coach.pk
            TOTP.activate(coach, generate_totp_secret())
            routine = self.template.duplicate(coach)
            self.routine_of[pk] = routine.pk
            self.routine_name[pk] = routine.name
        self.counts.update(
            athletes=self.athletes, coaches=self.coaches, links=len(self.coach_of), sets=0
        )

    # --- training ------------------------------------------------------------------------

    def seed_training(self, report):
        weights = [
            0 if n == 0 else self.rng.choice((0.15, 0.3, 0.6, 1, 1, 1.5, 2, 3))
            for n in range(self.athletes)
        ]
        heavy = min(self.sets, round(self.days * HEAVY_PER_WEEK / 7 * SETS_PER_SESSION))
        shares = [heavy] + spread(self.sets - heavy, weights[1:]) if self.athletes else []
        models = (CheckIn, WorkoutSession, WorkoutExercise, WorkoutSet, Assignment, Comment, Run)
        self.next = self.loader.next_ids(*models, Race, LadderProgress)
        for start in range(0, self.athletes, BATCH_ATHLETES):
            batch = self.athlete_ids[start : start + BATCH_ATHLETES]
            tables = {
                model: []
                for model in (
                    CheckIn,
                    WorkoutSession,
                    WorkoutExercise,
                    WorkoutSet,
                    Assignment,
                    Comment,
                    Run,
                    Race,
                    LadderProgress,
                    AthleteVersion,
                )
            }
            for pk, share in zip(batch, shares[start : start + BATCH_ATHLETES], strict=True):
                self.athlete_training(pk, share, tables)
                self.athlete_runs(pk, tables)
            with transaction.atomic():
                for model, rows in tables.items():
                    if rows:
                        self.loader.load(model, COLUMNS[model], rows)
            for model, rows in tables.items():
                self.counts[model._meta.model_name] = self.counts.get(
                    model._meta.model_name, 0
                ) + len(rows)
            report(start + len(batch))
        self.loader.reset_sequences([User, CoachLink, *models, Race, LadderProgress])

    def take(self, model) -> int:
        pk = self.next[model]
        self.next[model] += 1
        return pk

    def athlete_training(self, athlete, share, tables):
        n, zone, dumbbells = self.profiles[athlete]
        rng = self.rng
        coach = self.coach_of.get(athlete)
        # Sessions enough for the share at the sets a session has logged so far.
        per_session = self.counts["sets"] / self.sessions_made if self.sessions_made else 10
        sessions = max(1, round(share / per_session)) if share else 0
        sessions = min(sessions, self.days)
        # Every few sessions a level up on each ladder, at the athlete's own pace.
        pace = [rng.randint(6, 14)] * len(self.ladders)
        start_levels = [max(ladder.start_level, 1) for ladder in self.ladders]
        maxima = [len(self.levels[ladder.pk]) for ladder in self.ladders]
        hour = 6 + n % 13
        left = share
        done_days = {}
        levels = tuple(start_levels)
        last_finished = None
        recent = []  # (finished, {ladder slug: sets}) of the sessions of the last week
        open_session = n % 97 == 0 and sessions > 0
        for j in range(sessions):
            days_ago = self.days - (j * self.days) // sessions
            local_day = (self.now.astimezone(zone) - timedelta(days=days_ago)).date()
            started = datetime.combine(local_day, clock(hour, rng.randint(0, 59)), tzinfo=zone)
            is_open = open_session and j == sessions - 1
            if is_open:
                started = self.now - timedelta(minutes=20)
            levels = tuple(
                min(high, low + j // step)
                for low, high, step in zip(start_levels, maxima, pace, strict=True)
            )
            kind = rng.choices(range(len(DAYS)), weights=[d[0] for d in DAYS])[0]
            gap = (
                None if last_finished is None else (started - last_finished).total_seconds() / 3600
            )
            recent = [(t, done) for t, done in recent if t >= started - timedelta(days=7)]
            last7 = {}
            for _t, done in recent:
                for slug, count in done.items():
                    last7[slug] = last7.get(slug, 0) + count
            week = (len(recent), tuple(sorted(last7.items())))
            text, plan, aims = self.plan_for(kind, levels, j, gap, week)
            done_here = {}
            _w, answers, pains = DAYS[kind]
            checkin_pk = self.take(CheckIn)
            tables[CheckIn].append(
                (checkin_pk, athlete, started - timedelta(minutes=3), uuid.uuid4())
                + (answers["soreness"], answers["fatigue"], answers["sleep"], answers["stress"])
                + (dumps(list(pains)), answers.get("ill", False), False, "gt3", "hard", "no")
                + (plan.readiness_points, plan.readiness_pct)
            )
            workout = self.take(WorkoutSession)
            for position, (ladder, prescribed) in enumerate(
                zip(self.ladders, plan.exercises, strict=True), start=1
            ):
                exercise = self.levels[ladder.pk][prescribed.level or levels[position - 1]]
                load = (
                    Decimal(str(dumbbells[min(j // 20, len(dumbbells) - 1)]))
                    if exercise.loadable and dumbbells
                    else None
                )
                item = self.take(WorkoutExercise)
                sets_here = []
                stop = ""
                if prescribed.action == "do" and left > 0 and not is_open:
                    aim = aims[ladder.slug]["reps"]
                    for set_number in range(1, prescribed.sets + 1):
                        if left <= 0:
                            break
                        reps = max(1, min(prescribed.rep_max, aim + rng.choice((-1, 0, 0, 1))))
                        rir = max(0, prescribed.target_rir + rng.choice((0, 0, 0, 1, -1)))
                        action, next_reps = self.set_action(prescribed, set_number, reps, rir)
                        sets_here.append((set_number, reps, rir, action, next_reps))
                        left -= 1
                        if action.startswith("stop_"):
                            stop = action
                            break
                        aim = next_reps or aim
                if is_open:
                    status = "pending" if prescribed.action == "do" else "skipped"
                else:
                    status = "done" if sets_here else "skipped"
                decision = "hold" if sets_here and not is_open else ""
                tables[WorkoutExercise].append(
                    (item, workout, position, ladder.pk, exercise.pk, exercise.level)
                    + (prescribed.action, prescribed.tier, prescribed.sets)
                    + (prescribed.rep_min, prescribed.rep_max, prescribed.target_rir)
                    + (prescribed.reason, prescribed.pain_stop_nrs or volume.PAIN_STOP_NRS)
                    + (bool(pains) and ladder.area == "legs", False, load, status, stop)
                    + (decision, exercise.level if decision else None)
                )
                for set_number, reps, rir, action, next_reps in sets_here:
                    created = started + timedelta(minutes=4 * len(sets_here) + set_number * 2)
                    tables[WorkoutSet].append(
                        (self.take(WorkoutSet), item, exercise.pk, set_number, reps, load, rir)
                        + (0, action, next_reps, uuid.uuid4(), created)
                    )
                if sets_here:
                    done_here[ladder.slug] = len(sets_here)
            minutes = max(5, round(plan.est_minutes or 20))
            finished = None if is_open else started + timedelta(minutes=minutes)
            routine_name = self.routine_name.get(coach, DefaultRoutine.name)
            tables[WorkoutSession].append(
                (workout, athlete, checkin_pk, routine_name, started, finished, text, plan.tier)
                + (plan.headline_reason[:20],)
                + ((None, None) if is_open else (rng.randint(4, 8), minutes))
                + ("",)
            )
            if finished is not None and done_here:
                last_finished = finished
                recent.append((finished, done_here))
            done_days[local_day] = workout
            if coach is not None and j % 9 == 4:
                for author, body in ((athlete, COMMENTS[j % 5]), (coach, COMMENTS[2])):
                    tables[Comment].append(
                        (self.take(Comment), workout, athlete, author, body, uuid.uuid4())
                        + (started + timedelta(hours=2 if author == athlete else 5),)
                    )
        self.counts["sets"] += share - left
        self.sessions_made += sessions
        if coach is not None:
            self.calendar(athlete, coach, zone, done_days, tables)
        for ladder, level in zip(self.ladders, levels, strict=True):
            if sessions:
                bells = Decimal(str(dumbbells[0])) if dumbbells else None
                tables[LadderProgress].append(
                    (self.take(LadderProgress), athlete, ladder.pk, level, bells, self.now)
                )
        tables[AthleteVersion].append((athlete, 1 + sessions))

    def calendar(self, athlete, coach, zone, done_days, tables):
        """The coach's routine on Mondays, Wednesdays and Fridays: eight weeks back, two ahead."""
        today = self.now.astimezone(zone).date()
        day = today - timedelta(weeks=8)
        while day <= today + timedelta(weeks=2):
            if day.weekday() in (0, 2, 4):
                tables[Assignment].append(
                    (self.take(Assignment), self.routine_of[coach], athlete, coach, day)
                    + (done_days.get(day), self.now - timedelta(weeks=9))
                )
            day += timedelta(days=1)

    def athlete_runs(self, athlete, tables):
        """``runs_per_week`` runs a week over ``days``: easy ones, a long and a hard one."""
        n, zone, _bells = self.profiles[athlete]
        rng = self.rng
        weeks = self.days // 7
        today = self.now.astimezone(zone).date()
        for week in range(weeks):
            monday = today - timedelta(days=today.weekday(), weeks=weeks - week)
            for r in range(self.runs_per_week):
                day = monday + timedelta(days=(r * 7) // max(self.runs_per_week, 1))
                kind, minutes, rpe, pace = "easy", rng.randint(30, 55), rng.randint(3, 5), 6.0
                if r == self.runs_per_week - 1:
                    kind, minutes, rpe, pace = "long", rng.randint(75, 120), 6, 6.2
                elif r == 1:
                    kind, minutes, rpe, pace = rng.choice(("tempo", "intervals")), 45, 8, 5.0
                start = datetime.combine(day, clock(7 + n % 10, 0), tzinfo=zone)
                km = Decimal(minutes / pace).quantize(Decimal("0.01"))
                tables[Run].append(
                    (self.take(Run), athlete, start, timedelta(minutes=minutes), km, rpe, kind)
                    + ("done", "manual", "", start + timedelta(hours=2))
                )
        # The next key run, planned.
        start = datetime.combine(today + timedelta(days=2), clock(18, 0), tzinfo=zone)
        tables[Run].append(
            (self.take(Run), athlete, start, timedelta(minutes=50), Decimal("10.00"), None)
            + ("tempo", "planned", "manual", "", self.now)
        )
        if n % 3 == 0:
            tables[Race].append(
                (self.take(Race), athlete, today + timedelta(days=20 + n % 60), "City 10K")
                + (Decimal("10.00"), "A", self.now)
            )


COLUMNS = {
    CheckIn: [
        "id",
        "athlete",
        "created",
        "client_id",
        "soreness",
        "fatigue",
        "sleep",
        "stress",
        "pains",
        "ill",
        "urgent",
        "last_hard_run",
        "run_kind",
        "key_run_soon",
        "readiness_points",
        "readiness_pct",
    ],
    WorkoutSession: [
        "id",
        "athlete",
        "checkin",
        "routine_name",
        "started",
        "finished",
        "plan",
        "tier",
        "headline_reason",
        "session_rpe",
        "duration_minutes",
        "notes",
    ],
    WorkoutExercise: [
        "id",
        "workout",
        "position",
        "ladder",
        "exercise",
        "prescribed_level",
        "action",
        "tier",
        "sets_planned",
        "rep_min",
        "rep_max",
        "target_rir",
        "reason",
        "pain_stop_nrs",
        "pain_watch",
        "use_fallback",
        "load_kg",
        "status",
        "stop_action",
        "decision",
        "decision_level",
    ],
    WorkoutSet: [
        "id",
        "item",
        "exercise",
        "set_number",
        "reps",
        "load_kg",
        "rir",
        "pain_nrs",
        "action",
        "next_reps",
        "client_id",
        "created",
    ],
    Assignment: ["id", "routine", "athlete", "assigned_by", "date", "workout", "created"],
    Comment: ["id", "workout", "athlete", "author", "body", "client_id", "created"],
    Run: [
        "id",
        "athlete",
        "start",
        "duration",
        "distance_km",
        "rpe",
        "kind",
        "status",
        "source",
        "notes",
        "created",
    ],
    Race: ["id", "athlete", "date", "name", "distance_km", "priority", "created"],
    LadderProgress: ["id", "athlete", "ladder", "level", "load_kg", "updated"],
    AthleteVersion: ["athlete", "number"],
}

# The tables that take the bulk of the rows (see Loader.bare).
BULK = (CheckIn, WorkoutSession, WorkoutExercise, WorkoutSet, Assignment, Comment, Run)


def seed_scale(
    *,
    athletes=10_000,
    coaches=200,
    sets=2_000_000,
    days=365,
    runs_per_week=3,
    coach_size=100,
    seed=15,
    now=None,
    report=lambda done: None,
) -> dict:
    """Seed the database; returns the rows written per kind."""
    seeder = Seeder(
        athletes=athletes,
        coaches=coaches,
        sets=sets,
        days=days,
        runs_per_week=runs_per_week,
        coach_size=min(coach_size, athletes),
        seed=seed,
        now=now or timezone.now(),
    )
    seeder.read_library()
    with transaction.atomic():
        seeder.seed_people()
    # One transaction for the training rows: a failed seed leaves nothing half done.
    with transaction.atomic(), seeder.loader.bare(BULK):
        seeder.seed_training(report)
    connection = seeder.loader.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return seeder.counts


class Command(BaseCommand):
    help = "Seed athletes, coaches, sessions, sets and runs at scale (see bench/scale.py)."

    def add_arguments(self, parser):
        parser.add_argument("--athletes", type=int, default=10_000)
        parser.add_argument("--coaches", type=int, default=200)
        parser.add_argument("--sets", type=int, default=2_000_000)
        parser.add_argument("--days", type=int, default=365, help="days of history")
        parser.add_argument("--runs-per-week", type=int, default=3)
        parser.add_argument(
            "--coach-size", type=int, default=100, help="athletes of coach 1 (coach1@…)"
        )
        parser.add_argument("--seed", type=int, default=15, help="random seed")

    def handle(self, *args, **options):
        athletes, coaches, sets, days = (
            options[k] for k in ("athletes", "coaches", "sets", "days")
        )
        if not 1 <= athletes <= 1_000_000 or not 0 <= coaches <= athletes:
            raise CommandError("--athletes must be 1 to 1,000,000 and --coaches 0 to --athletes.")
        if not 0 <= sets <= athletes * days * 20:
            raise CommandError("--sets must be at most 20 a day for every athlete.")
        if not 14 <= days <= 3650 or not 0 <= options["runs_per_week"] <= 7:
            raise CommandError("--days must be 14 to 3650 and --runs-per-week 0 to 7.")
        began = time.monotonic()

        def report(done):
            elapsed = time.monotonic() - began
            self.stdout.write(f"  {done:,} of {athletes:,} athletes, {elapsed:.0f} s")

        counts = seed_scale(
            athletes=athletes,
            coaches=coaches,
            sets=sets,
            days=days,
            runs_per_week=options["runs_per_week"],
            coach_size=options["coach_size"],
            seed=options["seed"],
            report=report,
        )
        summary = ", ".join(f"{name} {n:,}" for name, n in counts.items())
        self.stdout.write(
            f"Seeded in {time.monotonic() - began:.0f} s: {summary}. Log in as "
            f"{email('athlete', 1)} or {email('coach', 1)} (password {PASSWORD!r})."
        )
