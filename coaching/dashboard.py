"""The coach's dashboard: one row per linked athlete, who needs attention first.

Each kind of record (check-ins, sessions, assignments, unread comments) is read once for
all athletes together, so the page runs the same handful of queries for 5 athletes or 50;
the rows are put together in Python. ``attention`` weighs the flags into one sort key.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from django.db import connections
from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.models import Assignment, Comment, window_closed_before
from exercises.models import REGION_LABELS
from sessions.models import (
    AthleteVersion,
    CheckIn,
    WorkoutExercise,
    WorkoutSession,
    WorkoutSet,
    painful_regions,
)
from sessions.planning import low_streak, persistent_pain

WINDOW_DAYS = 28  # compliance and history looked at
RECENT_DAYS = 7  # pain, illness
MISSED_DAYS = 14  # missed days flagged; also the check-ins looked at
UNREAD_DAYS = 28  # comments counted as new on the dashboard
UPCOMING_DAYS = 28  # how far ahead "next planned day" looks
LOW_COMPLIANCE = 60  # per cent

# Flag code: (label, weight in the attention score, Bootstrap colour).
FLAGS = {
    "URGENT": (_("Urgent symptoms"), 100, "danger"),
    "RED_FLAG": (_("Pain with warning signs"), 80, "danger"),
    "ILL": (_("Unwell"), 40, "warning"),
    "PAIN_PERSIST": (_("Same spot keeps hurting"), 40, "danger"),
    "LOW_STREAK": (_("Low readiness several days running"), 30, "warning"),
    "PAIN": (_("Pain reported"), 20, "warning"),
    "MISSED": (_("Missed days"), 10, "warning"),
    "LOW_COMPLIANCE": (_("Low compliance"), 15, "warning"),
    "QUIET": (_("No check-in this week"), 5, "secondary"),
}


@dataclass
class Flag:
    code: str
    detail: str = ""

    @property
    def label(self):
        return FLAGS[self.code][0]

    @property
    def colour(self):
        return FLAGS[self.code][2]

    @property
    def text(self) -> str:
        label = str(self.label)
        return f"{label}: {self.detail}" if self.detail else label


@dataclass
class AthleteRow:
    athlete: object
    last_checkin: datetime | None = None
    readiness_pct: int | None = None
    flags: list[Flag] = field(default_factory=list)
    sessions_week: int = 0
    compliant: int = 0
    counted: int = 0
    missed: int = 0
    unread: int = 0
    next_day: date | None = None

    @property
    def last_checkin_day(self) -> date | None:
        """The day of the last check-in in the athlete's time zone, like every other day."""
        if self.last_checkin is None:
            return None
        return timezone.localtime(self.last_checkin, self.athlete.zone).date()

    @property
    def compliance(self) -> int | None:
        return round(100 * self.compliant / self.counted) if self.counted else None

    @property
    def score(self) -> int:
        return attention(self)


def attention(row: AthleteRow) -> int:
    """Higher first: safety flags outweigh training flags; unread comments break ties."""
    score = 0
    for flag in row.flags:
        weight = FLAGS[flag.code][1]
        score += min(weight * row.missed, 40) if flag.code == "MISSED" else weight
    return score + (3 if row.unread else 0)


def athlete_rows(coach, now=None, athletes=None) -> list[AthleteRow]:
    """Rows for the coach's linked athletes (or the ``athletes`` queryset), most attention first.

    Six queries whatever the number of athletes: the athletes with their last check-in,
    two weeks of check-ins, the last week's sessions, the assignments around today, and
    the unread comments. Rows are values, not model instances, to keep the page fast.
    """
    now = now or timezone.now()
    if athletes is None:
        athletes = coach.coached_athletes()
    latest = CheckIn.objects.filter(athlete=OuterRef("pk")).order_by("-created")
    athletes = (
        athletes.annotate(
            last_checkin=Subquery(latest.values("created")[:1]),
            last_readiness=Subquery(latest.values("readiness_pct")[:1]),
        )
        .only("id", "email", "display_name", "timezone")
        .order_by("display_name", "email")
    )
    rows = {}
    for athlete in athletes:
        rows[athlete.pk] = AthleteRow(
            athlete=athlete, last_checkin=athlete.last_checkin, readiness_pct=athlete.last_readiness
        )
    if not rows:
        return []
    ids = list(rows)
    checkins = group(
        CheckIn.objects.filter(athlete_id__in=ids, created__gte=now - timedelta(days=MISSED_DAYS))
        .order_by("-created")
        .values_list("athlete_id", "created", "readiness_points", "pains", "ill", "urgent")
    )
    workouts = group(
        WorkoutSession.objects.filter(athlete_id__in=ids, started__gte=now - timedelta(days=8))
        .annotate(has_sets=Exists(WorkoutSet.objects.filter(item__workout=OuterRef("pk"))))
        .order_by("-started")
        .values_list("athlete_id", "finished", "has_sets", "plan__advisories")
    )
    # Whether a day is past depends on the athlete's time zone only within a day of today
    # (UTC): those few days come row by row, the rest is counted by the database.
    utc_today = now.date()
    assignments = Assignment.objects.filter(athlete_id__in=ids).current()
    edge = group(
        assignments.filter(date__lte=utc_today + timedelta(days=1))
        .exclude(settled_before(utc_today))
        .with_outcome()
        .order_by("date")
        .values_list("athlete_id", "date", "window_days", "workout_id", *Assignment.OUTCOME)
    )
    counts = {row["athlete_id"]: row for row in assignment_counts(assignments, utc_today)}
    # New comments of the last weeks: the coach's own read marks clear them sooner; older
    # ones stay on each session's page. Read by the comments' date index, so the query
    # does not grow with the athletes' whole history of comments.
    unread = (
        Comment.objects.filter(
            workout__athlete_id__in=ids, created__gte=now - timedelta(days=UNREAD_DAYS)
        )
        .unread_by(coach)
        .order_by()
        .values("workout__athlete_id")
        .annotate(n=Count("pk"))
        .values_list("workout__athlete_id", "n")
    )
    unread_counts = dict(unread)
    for pk, row in rows.items():
        today = row.athlete.local_today(now)
        fill_checkins(row, checkins.get(pk, []), now)
        fill_assignments(row, counts.get(pk), edge.get(pk, []), today)
        fill_workouts(row, workouts.get(pk, []), today)
        row.unread = unread_counts.get(pk, 0)
        row.flags.sort(key=lambda f: -FLAGS[f.code][1])
    return sorted(rows.values(), key=lambda r: (-r.score, r.athlete.name.lower()))


def group(rows) -> dict[int, list[tuple]]:
    """{athlete id: [the rest of each row]}, keeping the query's order."""
    grouped: dict[int, list[tuple]] = {}
    for athlete_id, *rest in rows:
        grouped.setdefault(athlete_id, []).append(rest)
    return grouped


def has_flag(row, code) -> bool:
    return any(f.code == code for f in row.flags)


def region_names(regions) -> str:
    return ", ".join(str(REGION_LABELS.get(r, r)) for r in regions)


def fill_checkins(row: AthleteRow, checkins: list, now) -> None:
    """Safety flags of the last week, repeated pain and low readiness (spec §3 and §10).

    ``checkins`` are (created, readiness points, pains, ill, urgent), newest first.
    """
    recent = [c for c in checkins if c[0] >= now - timedelta(days=RECENT_DAYS)]
    if not recent:
        row.flags.append(Flag("QUIET"))
    if any(c[4] for c in recent):
        row.flags.append(Flag("URGENT"))
    elif any(c[3] for c in recent):
        row.flags.append(Flag("ILL"))
    # A warning sign belongs to its own pain (spec §9): the red flag names the red regions,
    # any other painful region is plain pain.
    pains = [p for c in recent for p in c[2]]
    red = painful_regions(pains, red=True)
    other = [r for r in painful_regions(pains, red=False) if r not in red]
    if red:
        row.flags.append(Flag("RED_FLAG", region_names(red)))
    if other:
        row.flags.append(Flag("PAIN", region_names(other)))
    # The same counters as the athlete's plan (spec §10), so both tell the same story.
    region = persistent_pain([(c[0], c[2]) for c in checkins])
    if region:
        row.flags.append(Flag("PAIN_PERSIST", region_names([region])))
    if low_streak([c[1] for c in checkins]):
        row.flags.append(Flag("LOW_STREAK"))


def settled_before(utc_today: date) -> Q:
    """Days whose window (``Assignment.window_days``) ended before yesterday (UTC): every
    time zone has passed them, so the database can count them for all athletes at once."""
    return window_closed_before(utc_today - timedelta(days=1))


def assignment_counts(assignments, utc_today):
    """Per athlete: days counted, compliant and missed whose window closed before
    yesterday, and the next day.

    Before yesterday (UTC) every time zone has passed; after tomorrow none has. A day is
    compliant when its session is finished with sets, or finished empty because the
    engine prescribed nothing (rest); nothing logged is not (spec: reduced ≠ missed). The
    days in between are judged row by row with ``Assignment.decide_state``, the same rule.
    """
    has_sets = Exists(WorkoutSet.objects.filter(item__workout=OuterRef("workout")))
    work = Exists(WorkoutExercise.objects.filter(workout=OuterRef("workout"), action="do"))
    past = settled_before(utc_today)
    finished = Q(workout__finished__isnull=False)
    missed = past & Q(workout__isnull=True)
    return (
        assignments.filter(
            date__gte=utc_today - timedelta(days=WINDOW_DAYS + 1),
            date__lte=utc_today + timedelta(days=UPCOMING_DAYS),
        )
        .values("athlete_id")
        .annotate(
            counted=Count("pk", filter=past & (Q(workout__isnull=True) | finished)),
            compliant=Count("pk", filter=past & finished & (Q(has_sets) | ~Q(work))),
            missed=Count(
                "pk", filter=missed & Q(date__gte=utc_today - timedelta(days=MISSED_DAYS))
            ),
            next_day=Min(
                "date", filter=Q(date__gte=utc_today + timedelta(days=2), workout__isnull=True)
            ),
        )
        .order_by()
    )


def fill_assignments(row: AthleteRow, counts: dict | None, edge: list, today: date) -> None:
    """Compliance over the window against the adjusted prescription; recent misses.

    ``counts`` come from ``assignment_counts``; ``edge`` are the days around today whose
    window may still be open as (date, window, workout id, *Assignment.OUTCOME), by date,
    judged with the athlete's own today.
    """
    if counts is not None:
        row.counted, row.compliant, row.missed = (
            counts["counted"],
            counts["compliant"],
            counts["missed"],
        )
    for day, window, workout_id, *outcome in edge:
        state = Assignment.decide_state(day, outcome if workout_id else None, today, window)
        if state == Assignment.State.UPCOMING:
            row.next_day = row.next_day or day
        elif state in Assignment.COUNTED:
            row.counted += 1
            row.compliant += state in Assignment.COMPLIANT
            row.missed += state == Assignment.State.MISSED
    if row.next_day is None and counts is not None:
        row.next_day = counts["next_day"]
    if row.missed:
        row.flags.append(Flag("MISSED", str(row.missed)))
    if row.counted >= 3 and row.compliance < LOW_COMPLIANCE:
        row.flags.append(Flag("LOW_COMPLIANCE", f"{row.compliance}%"))


def fill_workouts(row: AthleteRow, workouts: list, today: date) -> None:
    """Sessions with sets since Monday (athlete's time zone); the last plan's advisories.

    ``workouts`` are (finished, has sets, advisories), newest first.
    """
    zone = row.athlete.zone
    monday = today - timedelta(days=today.weekday())
    row.sessions_week = sum(
        1
        for finished, has_sets, _advisories in workouts
        if finished is not None and has_sets and timezone.localtime(finished, zone).date() >= monday
    )
    if workouts:
        for code in workouts[0][2] or ():
            if code in ("PAIN_PERSIST", "LOW_STREAK") and not has_flag(row, code):
                row.flags.append(Flag(code))


# --- Cache ------------------------------------------------------------------------------------

CACHE_SECONDS = 60  # bounds how late a row notices time passing (a day becoming missed)


def rows_version(coach) -> list[tuple]:
    """What the rows show, as versions (see ``dashboard_version``)."""
    return dashboard_version(coach, timezone.now())[1]


def dashboard_version(coach, now: datetime) -> tuple[int, list[tuple]]:
    """The coach's pending invitations and what the rows show, as versions, in one query.

    The rows are each linked athlete (who, names, time zone) with their data version, which
    every write to their check-ins, sessions, sets, assignments, comments and comment reads
    bumps (``sessions.models.AthleteData``). The athletes are those of
    ``User.coached_athletes`` (an active link, and the coach has a second login step).
    Raw SQL because it runs on every dashboard view and the ORM spent longer building
    it than the database spends answering it.
    """
    from allauth.mfa.models import Authenticator

    from accounts.models import CoachLink, Invitation, User

    connection = connections[AthleteVersion.objects.db]
    quote = connection.ops.quote_name
    tables = {
        "invitations": Invitation,
        "users": User,
        "links": CoachLink,
        "authenticators": Authenticator,
        "versions": AthleteVersion,
    }
    t = {name: quote(model._meta.db_table) for name, model in tables.items()}
    # Only quoted table names are formatted in; every value is a parameter.
    sql = (
        "SELECT p.n, a.id, a.display_name, a.email, a.timezone, a.version FROM"  # noqa: S608
        f" (SELECT COUNT(*) AS n FROM {t['invitations']} i WHERE i.coach_id = %s"
        " AND i.used_at IS NULL AND i.declined_at IS NULL AND i.expires_at > %s) p"
        " LEFT JOIN (SELECT u.id, u.display_name, u.email, u.timezone,"
        f" (SELECT v.number FROM {t['versions']} v WHERE v.athlete_id = u.id) AS version"
        f" FROM {t['users']} u INNER JOIN {t['links']} l ON l.athlete_id = u.id"
        f" WHERE EXISTS (SELECT 1 FROM {t['authenticators']} m WHERE m.user_id = %s)"
        " AND l.coach_id = %s AND l.ended_at IS NULL) a ON 1 = 1"
        " ORDER BY a.id"
    )
    params = [coach.pk, connection.ops.adapt_datetimefield_value(now), coach.pk, coach.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        result = cursor.fetchall()
    rows = [row[1:] for row in result if row[1] is not None] if coach.is_coach else []
    return result[0][0], rows


class Dashboard:
    """The rows, computed only when the template's cached fragment is missing."""

    def __init__(self, coach):
        self.coach = coach

    @cached_property
    def rows(self) -> list[AthleteRow]:
        return athlete_rows(self.coach)

    @cached_property
    def attention(self) -> int:
        return sum(1 for row in self.rows if row.score >= 20)
