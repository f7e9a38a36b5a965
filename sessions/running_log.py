"""What the running log tells the training engine (spec §9), and weekly running load.

``derive`` is the rule, pure and tested without a database: given the done runs around
``now``, the next planned key run and the next race, it returns the engine's run inputs.
``log_facts`` gathers those rows for one athlete in three queries, whatever the log's size.

The rules (fatigue-adjusted-volume.md §9):

* A hard run is RPE >= 7 (CR-10), or >= 90 minutes, or a race, or a spike.
* A spike is a run more than 10 % longer (in minutes) than the longest done run of the 30
  days before it; ``spike_ratio`` = its minutes / that longest run (None without one).
* ``hours_since_hard`` counts from the *end* of the latest hard run of the last 14 days.
  Runs in those 14 days but none hard → 96 (the "more than 3 days" answer). No run at all in
  those 14 days → None: the log knows nothing, so the check-in asks.
* ``days_to_race``: the next race's date − today, in the athlete's time zone.
* ``hours_to_next_key``: hours until the next planned tempo, interval, long run or race.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from runs.models import HARD_DURATION, HARD_RPE, Race, Run
from sessions.volume import SPIKE_RATIO

LOOKBACK = timedelta(days=14)
SPIKE_WINDOW = timedelta(days=30)
NO_HARD_RUN_HOURS = 96.0


@dataclass(frozen=True)
class LoggedRun:
    """The few facts about a run the derivation needs."""

    start: datetime
    minutes: float
    rpe: int | None
    kind: str
    pk: int | None = None

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)

    @property
    def kind_label(self) -> str:
        return Run.Kind(self.kind).label

    @classmethod
    def from_run(cls, run: Run) -> LoggedRun:
        return cls(start=run.start, minutes=run.minutes, rpe=run.rpe, kind=run.kind, pk=run.pk)


@dataclass(frozen=True)
class LogFacts:
    """The engine's run inputs as far as the log knows them; None means "not known"."""

    logged: bool = False  # any done run in the last 14 days
    hard_run: LoggedRun | None = None
    hours_since_hard: float | None = None
    rpe: int | None = None
    minutes: float | None = None
    is_race: bool = False
    spike_ratio: float | None = None
    next_key: LoggedRun | None = None
    hours_to_next_key: float | None = None
    next_race: Race | None = None
    days_to_race: int | None = None

    @property
    def knows_last_hard_run(self) -> bool:
        return self.hours_since_hard is not None

    @property
    def knows_next_key(self) -> bool:
        return self.hours_to_next_key is not None

    @property
    def is_spike(self) -> bool:
        return self.spike_ratio is not None and self.spike_ratio > SPIKE_RATIO

    @property
    def days_since_hard(self) -> int | None:
        return None if self.hours_since_hard is None else round(self.hours_since_hard / 24)

    @property
    def days_to_next_key(self) -> int | None:
        return None if self.hours_to_next_key is None else round(self.hours_to_next_key / 24)

    @property
    def spike_percent(self) -> int | None:
        """How much longer than the longest run of the 30 days before, in %."""
        return round((self.spike_ratio - 1) * 100) if self.is_spike else None


def is_hard(run: LoggedRun, spike_ratio: float | None) -> bool:
    return (
        (run.rpe is not None and run.rpe >= HARD_RPE)
        or run.minutes >= HARD_DURATION.total_seconds() / 60
        or run.kind == Run.Kind.RACE
        or (spike_ratio is not None and spike_ratio > SPIKE_RATIO)
    )


def spike_ratio(run: LoggedRun, done: list[LoggedRun]) -> float | None:
    """This run's minutes ÷ the longest done run of the 30 days before it (None if none)."""
    window = run.start - SPIKE_WINDOW
    longest = max(
        (other.minutes for other in done if window <= other.start < run.start), default=None
    )
    if not longest:
        return None
    return round(run.minutes / longest, 3)


def derive(
    *,
    done: list[LoggedRun],
    now: datetime,
    today: date,
    next_key: LoggedRun | None = None,
    next_race: Race | None = None,
) -> LogFacts:
    """The engine's run inputs from the log at ``now``.

    ``done`` must hold every done run starting in the 44 days before ``now`` (14 to look at,
    30 more to measure spikes against); later runs are ignored.
    """
    recent = [run for run in done if now - LOOKBACK <= run.end and run.start <= now]
    hard = []
    for run in recent:
        ratio = spike_ratio(run, done)
        if is_hard(run, ratio):
            hard.append((run.end, run, ratio))
    facts = {"logged": bool(recent)}
    if hard:
        end, run, ratio = max(hard, key=lambda item: item[0])
        facts.update(
            hard_run=run,
            hours_since_hard=round(max((now - end).total_seconds(), 0) / 3600, 1),
            rpe=run.rpe,
            minutes=round(run.minutes, 1),
            is_race=run.kind == Run.Kind.RACE,
            spike_ratio=ratio,
        )
    elif recent:
        facts["hours_since_hard"] = NO_HARD_RUN_HOURS
    if next_key is not None and next_key.start > now:
        facts.update(
            next_key=next_key,
            hours_to_next_key=round((next_key.start - now).total_seconds() / 3600, 1),
        )
    if next_race is not None and next_race.date >= today:
        facts.update(next_race=next_race, days_to_race=(next_race.date - today).days)
    return LogFacts(**facts)


def log_facts(athlete, now: datetime) -> LogFacts:
    """``derive`` for one athlete from the database: three queries."""
    mine = Run.objects.filter(athlete=athlete)
    # A run that started up to a day before the 14-day window may still end inside it.
    first = now - LOOKBACK - SPIKE_WINDOW - timedelta(days=1)
    done = [
        LoggedRun.from_run(run)
        for run in mine.done()
        .filter(start__gte=first, start__lte=now)
        .only("start", "duration", "rpe", "kind")
    ]
    next_key = mine.planned().key().filter(start__gt=now).order_by("start").first()
    today = athlete.local_today(now)
    return derive(
        done=done,
        now=now,
        today=today,
        next_key=LoggedRun.from_run(next_key) if next_key else None,
        next_race=Race.objects.filter(athlete=athlete).upcoming(today).first(),
    )


# --- Weekly running load -------------------------------------------------------------------


def weekly_running(athlete, first_day: date, weeks: int) -> list[dict]:
    """Done runs per 7-day week from ``first_day`` (a Monday): runs, km, minutes, load.

    One query. Weeks run Monday to Sunday in the athlete's time zone, like /runs/ and the
    strength chart.
    """
    zone = athlete.zone
    totals = [{"runs": 0, "km": 0.0, "minutes": 0.0, "load": 0, "unrated": 0} for _ in range(weeks)]
    rows = Run.objects.filter(
        athlete=athlete,
        status=Run.Status.DONE,
        start__gte=datetime.combine(first_day, time(), tzinfo=zone),
    ).values_list("start", "duration", "distance_km", "rpe")
    for start, duration, km, rpe in rows:
        index = (start.astimezone(zone).date() - first_day).days // 7
        if 0 <= index < weeks:
            week = totals[index]
            minutes = duration.total_seconds() / 60
            week["runs"] += 1
            week["km"] += float(km or 0)
            week["minutes"] += minutes
            if rpe is None:
                week["unrated"] += 1
            else:
                week["load"] += round(rpe * minutes)
    return totals
