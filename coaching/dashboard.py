"""The coach's triage table: one row per linked athlete, who needs a look first.

Each kind of record (check-ins, sessions, assignments, unread comments, runs, "seen" marks)
is read once for all athletes together, so the table runs the same queries for 10 athletes
or 100; the rows are put together in Python. ``attention`` weighs the flags into one sort
key. A flag "needs a look" (``NEEDS``) only when a coach has to act on it, and each such
flag names what raised it (``Flag.triggered``), so the coach's "seen" mark on it hides that
occurrence only.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db import connections
from django.db.models import Count, Exists, IntegerField, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coaching import wording
from coaching.models import Assignment, Comment, FlagSeen, Group, window_closed_before
from exercises.models import REGION_LABELS
from runs.models import Run
from sessions.models import (
    AthleteVersion,
    CheckIn,
    WorkoutExercise,
    WorkoutSession,
    WorkoutSet,
    painful_regions,
)
from sessions.planning import LOW_STREAK_POINTS, low_streak, persistent_pain
from sessions.volume import TIERS

WINDOW_DAYS = 28  # compliance and history looked at
RECENT_DAYS = 7  # pain, illness
MISSED_DAYS = 14  # missed days flagged; also the check-ins looked at
UNREAD_DAYS = 28  # comments counted as new on the dashboard
UPCOMING_DAYS = 28  # how far ahead "next planned day" looks
LOW_COMPLIANCE = 60  # per cent
LOW_DAY_HOURS = 48  # a single very low readiness check-in counts this long
USUAL_WEEKS = 4  # running "as usual": the weekly mean of the four weeks before the last 7 days

# Flag code: (label, weight in the attention score, Bootstrap colour).
FLAGS = {
    "URGENT": (_("Urgent symptoms"), 100, "danger"),
    "RED_FLAG": (_("Pain with warning signs"), 80, "danger"),
    "ILL": (_("Unwell"), 40, "warning"),
    "PAIN_PERSIST": (_("Same spot keeps hurting"), 40, "danger"),
    "LOW_STREAK": (_("Low readiness several days running"), 30, "warning"),
    "LOW_DAY": (_("Very low readiness"), 30, "warning"),
    "MISSED_WEEK": (_("Nothing done for a week"), 30, "warning"),
    "PAIN": (_("Pain reported"), 20, "warning"),
    "MISSED": (_("Missed days"), 10, "warning"),
    "LOW_COMPLIANCE": (_("Low compliance"), 15, "warning"),
    "COMMENT": (_("New comments"), 3, "primary"),
    "QUIET": (_("No check-in this week"), 5, "secondary"),
}
# What a coach must act on: these make the athlete "need a look" until marked seen.
NEEDS = ("URGENT", "RED_FLAG", "PAIN_PERSIST", "LOW_STREAK", "LOW_DAY", "MISSED_WEEK", "COMMENT")
TIER_ORDER = {tier: n for n, tier in enumerate(TIERS)}


@dataclass
class Flag:
    code: str
    detail: str = ""
    triggered: datetime | None = None  # what raised it (needs-a-look flags), for "seen"
    seen: bool = False
    count: int = 0  # new comments

    @property
    def label(self):
        return FLAGS[self.code][0]

    @property
    def colour(self):
        return FLAGS[self.code][2]

    @property
    def needs_look(self) -> bool:
        return self.code in NEEDS and not self.seen

    @property
    def text(self) -> str:
        if self.code == "COMMENT":
            return ngettext("%(n)s new comment", "%(n)s new comments", self.count) % {
                "n": self.count
            }
        label = str(self.label)
        return f"{label}: {self.detail}" if self.detail else label


@dataclass
class CheckInFacts:
    """One check-in as the rows read it (``CHECKIN_COLUMNS``)."""

    created: datetime
    points: int
    pains: list
    ill: bool
    urgent: bool
    pct: int
    soreness: int | None
    fatigue: int | None
    sleep: int | None
    stress: int | None
    pk: int

    @property
    def answers(self) -> dict:
        return {
            "soreness": self.soreness,
            "fatigue": self.fatigue,
            "sleep": self.sleep,
            "stress": self.stress,
        }


CHECKIN_COLUMNS = (
    "created",
    "readiness_points",
    "pains",
    "ill",
    "urgent",
    "readiness_pct",
    "soreness",
    "fatigue",
    "sleep",
    "stress",
    "pk",
)


@dataclass
class LastSession:
    pk: int
    day: date
    finished: bool
    done: int  # sets logged
    planned: int  # sets of the plan as the check-in adjusted it
    tier: str


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
    # The triage table's columns
    checkin: CheckInFacts | None = None  # the newest check-in of the last two weeks
    checkin_today: bool = False
    answers: list[str] = field(default_factory=list)  # "Legs very sore", …
    pains: list[str] = field(default_factory=list)  # "Knee 4/10 (warning sign)", …
    tier: str = ""  # the plan's tier, when the plan came from the newest check-in
    headline: str = ""  # the last plan's headline reason, in coach words
    last_session: LastSession | None = None
    run_week: timedelta | None = None
    run_usual: timedelta | None = None  # weekly mean of the four weeks before
    week_counted: int = 0  # assigned days of the last 7, counted
    week_compliant: int = 0
    week_last: date | None = None  # the last of them

    @property
    def last_checkin_day(self) -> date | None:
        """The day of the last check-in in the athlete's time zone, like every other day."""
        if self.last_checkin is None:
            return None
        return timezone.localtime(self.last_checkin, self.athlete.zone).date()

    @property
    def checkin_day(self) -> date | None:
        return self.checkin and timezone.localtime(self.checkin.created, self.athlete.zone).date()

    @property
    def compliance(self) -> int | None:
        return round(100 * self.compliant / self.counted) if self.counted else None

    @property
    def run_ratio(self) -> int | None:
        """This week's running time as a percentage of the usual week."""
        if not self.run_usual:
            return None
        return round(100 * (self.run_week or timedelta()) / self.run_usual)

    @property
    def run_week_minutes(self) -> int:
        return round((self.run_week or timedelta()).total_seconds() / 60)

    @property
    def needs(self) -> list[Flag]:
        return [flag for flag in self.flags if flag.needs_look]

    @property
    def score(self) -> int:
        return attention(self)


def attention(row: AthleteRow) -> int:
    """Higher first: safety flags outweigh training flags; unread comments break ties."""
    score = 0
    for flag in row.flags:
        weight = FLAGS[flag.code][1]
        score += min(weight * row.missed, 40) if flag.code == "MISSED" else weight
    return score


def athlete_rows(coach, now=None, athletes=None) -> list[AthleteRow]:
    """Rows for the coach's linked athletes (or the ``athletes`` queryset), most attention first.

    Ten queries whatever the number of athletes: the athletes with their last check-in
    and session, two weeks of check-ins, the last week's sessions, the last sessions, the
    assignments around today and their counts, unread comments, runs, and the coach's
    "seen" marks. Rows are values, not model instances, to keep the page fast.
    """
    now = now or timezone.now()
    if athletes is None:
        athletes = coach.coached_athletes()
    latest = CheckIn.objects.filter(athlete=OuterRef("pk")).order_by("-created")
    last_workout = WorkoutSession.objects.filter(athlete=OuterRef("pk")).order_by("-started")
    athletes = (
        athletes.annotate(
            last_checkin=Subquery(latest.values("created")[:1]),
            last_readiness=Subquery(latest.values("readiness_pct")[:1]),
            last_workout=Subquery(last_workout.values("pk")[:1]),
        )
        .only("id", "email", "display_name", "timezone")
        .order_by("display_name", "email")
    )
    rows, last_workouts = {}, {}
    for athlete in athletes:
        rows[athlete.pk] = AthleteRow(
            athlete=athlete, last_checkin=athlete.last_checkin, readiness_pct=athlete.last_readiness
        )
        if athlete.last_workout:
            last_workouts[athlete.last_workout] = athlete.pk
    if not rows:
        return []
    ids = list(rows)
    checkins = group(
        CheckIn.objects.filter(athlete_id__in=ids, created__gte=now - timedelta(days=MISSED_DAYS))
        .order_by("-created")
        .values_list("athlete_id", *CHECKIN_COLUMNS)
    )
    workouts = group(
        WorkoutSession.objects.filter(athlete_id__in=ids, started__gte=now - timedelta(days=8))
        .annotate(has_sets=Exists(WorkoutSet.objects.filter(item__workout=OuterRef("pk"))))
        .order_by("-started")
        .values_list("athlete_id", "finished", "has_sets", "plan__advisories", "started")
    )
    lasts = last_sessions(last_workouts)
    # Whether a day is past depends on the athlete's time zone only within a day of today
    # (UTC): those few days come row by row, the rest is counted by the database.
    utc_today = now.date()
    assignments = Assignment.objects.filter(athlete_id__in=ids).current(athletes=ids)
    edge = group(
        assignments.filter(date__lte=utc_today + timedelta(days=1))
        .exclude(settled_before(utc_today))
        .with_outcome()
        .order_by("date")
        .values_list("athlete_id", "date", "window_days", "workout_id", *Assignment.OUTCOME)
    )
    counts = {row["athlete_id"]: row for row in assignment_counts(assignments, utc_today)}
    # New comments of the last weeks: the coach's own read marks clear them sooner; older
    # ones stay on each session's page. Read by (athlete, created), so the query grows with
    # neither the athletes' whole history of comments nor the rest of the site's.
    unread = (
        Comment.objects.filter(athlete_id__in=ids, created__gte=now - timedelta(days=UNREAD_DAYS))
        .unread_by(coach)
        .order_by()
        .values("athlete_id")
        .annotate(n=Count("pk"), newest=Max("created"))
        .values_list("athlete_id", "n", "newest")
    )
    unread_counts = {pk: (n, newest) for pk, n, newest in unread}
    running = running_times(ids, now)
    for pk, row in rows.items():
        today = row.athlete.local_today(now)
        fill_checkins(row, [CheckInFacts(*c) for c in checkins.get(pk, [])], now)
        fill_assignments(row, counts.get(pk), edge.get(pk, []), today)
        fill_workouts(row, workouts.get(pk, []), today, now)
        fill_last_session(row, lasts.get(pk), today)
        row.run_week, row.run_usual = running.get(pk, (None, None))
        row.unread, newest = unread_counts.get(pk, (0, None))
        if row.unread:
            row.flags.append(Flag("COMMENT", triggered=newest, count=row.unread))
        row.flags.sort(key=lambda f: -FLAGS[f.code][1])
    mark_seen(coach, rows)
    return sorted(rows.values(), key=lambda r: (not r.needs, -r.score, r.athlete.name.lower()))


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


def fill_checkins(row: AthleteRow, checkins: list[CheckInFacts], now) -> None:
    """Safety flags of the last week, repeated pain and low readiness (spec §3 and §10),
    and the newest check-in's answers. ``checkins`` are newest first."""
    recent = [c for c in checkins if c.created >= now - timedelta(days=RECENT_DAYS)]
    if not recent:
        row.flags.append(Flag("QUIET"))
    urgent = next((c for c in recent if c.urgent), None)
    if urgent:
        row.flags.append(Flag("URGENT", triggered=urgent.created))
    elif any(c.ill for c in recent):
        row.flags.append(Flag("ILL"))
    # A warning sign belongs to its own pain (spec §9): the red flag names the red regions,
    # any other painful region is plain pain.
    pains = [p for c in recent for p in c.pains]
    red = painful_regions(pains, red=True)
    other = [r for r in painful_regions(pains, red=False) if r not in red]
    if red:
        newest_red = next(c for c in recent if painful_regions(c.pains, red=True))
        row.flags.append(Flag("RED_FLAG", region_names(red), triggered=newest_red.created))
    if other:
        row.flags.append(Flag("PAIN", region_names(other)))
    # The same counters as the athlete's plan (spec §10), so both tell the same story.
    region = persistent_pain([(c.created, c.pains) for c in checkins])
    if region:
        row.flags.append(
            Flag("PAIN_PERSIST", region_names([region]), triggered=checkins[0].created)
        )
    if low_streak([c.points for c in checkins]):
        row.flags.append(Flag("LOW_STREAK", triggered=checkins[0].created))
    elif (
        checkins
        and checkins[0].points <= LOW_STREAK_POINTS
        and checkins[0].created >= now - timedelta(hours=LOW_DAY_HOURS)
        and not checkins[0].urgent
        and not checkins[0].ill
    ):
        # One very low day (29 % or less) is worth a question before it becomes a streak.
        row.flags.append(Flag("LOW_DAY", f"{checkins[0].pct}%", triggered=checkins[0].created))
    if checkins:
        newest = row.checkin = checkins[0]
        row.checkin_today = row.checkin_day == row.athlete.local_today(now)
        row.answers = wording.answer_words(newest.answers)
        row.pains = pain_words(newest.pains)


def pain_words(pains) -> list[str]:
    """ "Knee 4/10", with "warning sign" where the athlete ticked one."""
    words = []
    for pain in pains:
        if not (pain.get("nrs") or pain.get("red_flag")):
            continue
        text = f"{REGION_LABELS.get(pain['region'], pain['region'])} {pain.get('nrs', 0)}/10"
        if pain.get("red_flag"):
            text += f" ({_('warning sign')})"
        words.append(text)
    return words


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
    The ``week_`` counts are the same over the last seven days, for "nothing done for a week".
    """
    has_sets = Exists(WorkoutSet.objects.filter(item__workout=OuterRef("workout")))
    work = Exists(WorkoutExercise.objects.filter(workout=OuterRef("workout"), action="do"))
    past = settled_before(utc_today)
    week = past & Q(date__gte=utc_today - timedelta(days=RECENT_DAYS))
    finished = Q(workout__finished__isnull=False)
    counted = Q(workout__isnull=True) | finished
    compliant = finished & (Q(has_sets) | ~Q(work))
    missed = past & Q(workout__isnull=True)
    return (
        assignments.filter(
            date__gte=utc_today - timedelta(days=WINDOW_DAYS + 1),
            date__lte=utc_today + timedelta(days=UPCOMING_DAYS),
        )
        .values("athlete_id")
        .annotate(
            counted=Count("pk", filter=past & counted),
            compliant=Count("pk", filter=past & compliant),
            missed=Count(
                "pk", filter=missed & Q(date__gte=utc_today - timedelta(days=MISSED_DAYS))
            ),
            week_counted=Count("pk", filter=week & counted),
            week_compliant=Count("pk", filter=week & compliant),
            week_last=Max("date", filter=week & counted),
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
        for name in ("counted", "compliant", "missed", "week_counted", "week_compliant"):
            setattr(row, name, counts[name])
        row.week_last = counts["week_last"]
    week_start = today - timedelta(days=RECENT_DAYS)
    for day, window, workout_id, *outcome in edge:
        state = Assignment.decide_state(day, outcome if workout_id else None, today, window)
        if state == Assignment.State.UPCOMING:
            row.next_day = row.next_day or day
        elif state in Assignment.COUNTED:
            row.counted += 1
            row.compliant += state in Assignment.COMPLIANT
            row.missed += state == Assignment.State.MISSED
            if day >= week_start:
                row.week_counted += 1
                row.week_compliant += state in Assignment.COMPLIANT
                row.week_last = max(row.week_last or day, day)
    if row.next_day is None and counts is not None:
        row.next_day = counts["next_day"]
    if row.missed:
        row.flags.append(Flag("MISSED", str(row.missed)))
    if row.counted >= 3 and row.compliance < LOW_COMPLIANCE:
        row.flags.append(Flag("LOW_COMPLIANCE", f"{row.compliance}%"))


def fill_workouts(row: AthleteRow, workouts: list, today: date, now) -> None:
    """Sessions with sets since Monday (athlete's time zone); the last plan's advisories;
    a week of assigned days with nothing done and no session of the athlete's own either.

    ``workouts`` are (finished, has sets, advisories, started), newest first.
    """
    zone = row.athlete.zone
    monday = today - timedelta(days=today.weekday())
    row.sessions_week = sum(
        1
        for finished, has_sets, _advisories, _started in workouts
        if finished is not None and has_sets and timezone.localtime(finished, zone).date() >= monday
    )
    if workouts:
        for code in workouts[0][2] or ():
            if code in ("PAIN_PERSIST", "LOW_STREAK") and not has_flag(row, code):
                row.flags.append(Flag(code, triggered=workouts[0][3]))
    trained = any(
        has_sets and started >= now - timedelta(days=RECENT_DAYS)
        for _finished, has_sets, _advisories, started in workouts
    )
    if row.week_counted and not row.week_compliant and not trained:
        detail = ngettext(
            "%(n)s assigned day, none done", "%(n)s assigned days, none done", row.week_counted
        ) % {"n": row.week_counted}
        triggered = datetime.combine(row.week_last, time(), tzinfo=UTC)
        row.flags.append(Flag("MISSED_WEEK", detail, triggered=triggered))


def last_sessions(workouts: dict[int, int]) -> dict[int, tuple]:
    """{athlete id: their newest session} with sets done and planned, in one query.

    ``workouts`` maps each newest session's id to its athlete.
    """
    if not workouts:
        return {}
    done = (
        WorkoutSet.objects.filter(item__workout=OuterRef("pk"))
        .order_by()
        .values("item__workout")
        .annotate(n=Count("pk"))
        .values("n")
    )
    planned = (
        WorkoutExercise.objects.filter(workout=OuterRef("pk"), action="do")
        .order_by()
        .values("workout")
        .annotate(n=Sum("sets_planned"))
        .values("n")
    )
    rows = (
        WorkoutSession.objects.filter(pk__in=list(workouts))
        .annotate(
            done=Coalesce(Subquery(done, output_field=IntegerField()), 0),
            planned=Coalesce(Subquery(planned, output_field=IntegerField()), 0),
        )
        .values_list(
            "pk", "started", "finished", "done", "planned", "tier", "headline_reason", "checkin_id"
        )
    )
    return {workouts[row[0]]: row for row in rows}


def fill_last_session(row: AthleteRow, last: tuple | None, today: date) -> None:
    """The newest session (done vs the adjusted plan) and its plan's headline in coach words;
    the tier joins the check-in column when that plan came from the newest check-in."""
    if last is None:
        return
    pk, started, finished, done, planned, tier, headline, checkin_id = last
    row.last_session = LastSession(
        pk=pk,
        day=timezone.localtime(started, row.athlete.zone).date(),
        finished=finished is not None,
        done=done,
        planned=planned,
        tier=tier,
    )
    same = row.checkin is not None and row.checkin.pk == checkin_id
    row.tier = tier if same else ""
    row.headline = wording.headline(headline, row.checkin.answers if same else None)


def running_times(ids, now) -> dict[int, tuple[timedelta | None, timedelta | None]]:
    """{athlete id: (running time in the last 7 days, the weekly mean of the 4 weeks before)}."""
    week_start = now - timedelta(days=RECENT_DAYS)
    rows = (
        Run.objects.filter(
            athlete_id__in=ids,
            status=Run.Status.DONE,
            start__gte=week_start - timedelta(weeks=USUAL_WEEKS),
            start__lte=now,
        )
        .order_by()
        .values("athlete_id")
        .annotate(
            week=Sum("duration", filter=Q(start__gte=week_start)),
            before=Sum("duration", filter=Q(start__lt=week_start)),
        )
        .values_list("athlete_id", "week", "before")
    )
    return {pk: (week, before / USUAL_WEEKS if before else None) for pk, week, before in rows}


def mark_seen(coach, rows: dict[int, AthleteRow]) -> None:
    """Apply the coach's "seen" marks to the flags that need a look, in one query over
    exactly the occurrences on the rows (so old marks are never read)."""
    wanted = [
        (pk, flag)
        for pk, row in rows.items()
        for flag in row.flags
        if flag.code in NEEDS and flag.triggered is not None
    ]
    if not wanted:
        return
    seen = set(
        FlagSeen.objects.filter(
            coach=coach,
            athlete_id__in={pk for pk, _flag in wanted},
            triggered__in={flag.triggered for _pk, flag in wanted},
        ).values_list("athlete_id", "code", "triggered")
    )
    for pk, flag in wanted:
        flag.seen = (pk, flag.code, flag.triggered) in seen


# --- Cache ------------------------------------------------------------------------------------

CACHE_SECONDS = 60  # bounds how late a row notices time passing (a day becoming missed)


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


def group_names(coach) -> dict[int, str]:
    """The coach's groups, id → name, in ``Group``'s order (name, then id): what
    ``dict(Group.objects.of(coach).values_list("pk", "name"))`` gives, in plain SQL for the
    same reason as ``dashboard_version`` (building that query cost the dashboard a tenth of
    its time)."""
    connection = connections[Group.objects.db]
    table = connection.ops.quote_name(Group._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, name FROM {table} WHERE coach_id = %s ORDER BY name, id",  # noqa: S608
            [coach.pk],
        )
        return dict(cursor.fetchall())
