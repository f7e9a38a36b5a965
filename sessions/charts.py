"""Numbers for the history page: weekly load and progress per ladder, drawn as SVG.

Load is RPE × minutes (Foster 2001) per ISO week, for strength sessions and for runs from the
running log side by side; the SVG is computed here so the template only loops, and every bar
has a text equivalent in a table beside it.
"""

from collections import Counter
from datetime import datetime, time, timedelta

from django.db.models import Max
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format

from exercises.models import Exercise
from sessions.models import LadderProgress, WorkoutExercise, WorkoutSession
from sessions.running_log import weekly_running

WEEKS = 12
CHART_HEIGHT = 120
BAR_WIDTH = 22
BAR_GAP = 6


def weekly_load(athlete, now):
    """Twelve ISO weeks ending this week: strength and running load, two bars per week.

    Each week: {label, load, sessions, x, y, height} for strength and {run_load, runs,
    run_x, run_y, run_height} for running; one query each, whatever the history's size.
    """
    # Weeks run Monday to Sunday where the athlete lives, as on /runs/.
    zone = athlete.zone
    today = athlete.local_today(now)
    first_monday = today - timedelta(days=today.weekday(), weeks=WEEKS - 1)
    weeks = [
        {"start": first_monday + timedelta(weeks=n), "load": 0, "sessions": 0} for n in range(WEEKS)
    ]
    rows = WorkoutSession.objects.filter(
        athlete=athlete, finished__gte=datetime.combine(first_monday, time(), tzinfo=zone)
    ).values_list("finished", "session_rpe", "duration_minutes")
    for finished, rpe, minutes in rows:
        index = (finished.astimezone(zone).date() - first_monday).days // 7
        if 0 <= index < WEEKS:
            weeks[index]["sessions"] += 1
            weeks[index]["load"] += (rpe or 0) * (minutes or 0)
    for week, running in zip(weeks, weekly_running(athlete, first_monday, WEEKS), strict=True):
        week.update(run_load=running["load"], runs=running["runs"])
    peak = max((max(w["load"], w["run_load"]) for w in weeks), default=0) or 1
    half = BAR_WIDTH // 2
    for n, week in enumerate(weeks):
        height = round(CHART_HEIGHT * week["load"] / peak)
        run_height = round(CHART_HEIGHT * week["run_load"] / peak)
        week.update(
            label=date_format(week["start"], "d M"),  # the month in the page's language
            x=n * (BAR_WIDTH + BAR_GAP),
            y=CHART_HEIGHT - height,
            height=height,
            width=half,
            run_x=n * (BAR_WIDTH + BAR_GAP) + half,
            run_y=CHART_HEIGHT - run_height,
            run_height=run_height,
        )
    return {
        "weeks": weeks,
        "width": WEEKS * (BAR_WIDTH + BAR_GAP),
        "height": CHART_HEIGHT,
        "peak": peak if peak > 1 else 0,
    }


def progress_rows(athlete, now=None):
    """Each ladder the athlete has trained: where they are now, and the levels over the
    weeks of the load chart (``WEEKS``): a slice of the history, whatever its length."""
    since = (now or timezone.now()) - timedelta(weeks=WEEKS)
    current = {
        p.ladder_id: p
        for p in LadderProgress.objects.filter(athlete=athlete).select_related("ladder")
    }
    history = (
        WorkoutExercise.objects.filter(workout__athlete=athlete, workout__finished__gte=since)
        .exclude(decision="")
        .values("ladder_id", day=TruncDate("workout__finished", tzinfo=athlete.zone))
        .annotate(level=Max("exercise__level"), load=Max("sets__load_kg"))
        .order_by("day")
    )
    points = {}
    for row in history:
        points.setdefault(row["ladder_id"], []).append(row)
    levels = list(Exercise.objects.filter(ladder_id__in=current).only("ladder_id", "level", "name"))
    names = {(e.ladder_id, e.level): e.name for e in levels}
    counts = Counter(e.ladder_id for e in levels)  # "level 2 of 5", never "L2"
    return [
        {
            "ladder": progress.ladder,
            "level": progress.level,
            "level_name": names.get((ladder_id, progress.level), ""),
            "levels": counts[ladder_id],
            "load_kg": progress.load_kg,
            "points": points.get(ladder_id, []),
        }
        for ladder_id, progress in sorted(current.items(), key=lambda kv: kv[1].ladder.order)
    ]
