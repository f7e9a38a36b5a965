"""Runs from activity files: GPX, TCX and FIT, read safely and with bounded work.

``read_activity`` turns the bytes of one file into an ``Activity`` (start, time, distance)
or raises ``ActivityFileError`` with a sentence for the athlete. ``read_into_log`` stores
it as a done run unless the log already has a run starting within a minute of it. Each
file of an upload is read by a background job of its own (runs/tasks.py), so one bad file
never spoils the others and no web request waits for a file to be read.

The files come from the internet, so:

* Each upload is size-limited (``MAX_RUN_FILE_MB``) before a byte of it is parsed.
* No file holds more than a day of 1-second samples (``MAX_POINTS`` = 86,400 GPX/TCX
  trackpoints or FIT records): GPX and TCX points are counted on the raw bytes before any
  parsing and again while parsing (for encodings a byte search cannot see); FIT records are
  counted by a walk over the message headers that stops at the limit (runs/fit.py).
* Reading has a deadline, as a last line of defence: ``READ_SECONDS`` for one file, so a
  job worker is never held for long.
* XML (GPX, TCX) that declares a document type or entities is refused before parsing —
  activity files never need them, and they are how entity-expansion bombs ("billion laughs")
  and external-entity reads work. The XML is then parsed by defusedxml with DTDs forbidden,
  which also catches declarations hidden by an unusual encoding.
* Only what a run needs is computed, while the XML streams past (each point is dropped once
  read): GPX start, end and length; TCX laps' start, time and distance. A 10 MB GPX costs
  ~1.3 s of CPU this way, against 3.2 s with gpxpy on the parsed tree (gpxpy builds an
  object per point; bench/import_bench.py), and ``gpxpy.parse`` runs regular expressions
  that take quadratic time on crafted text. gpxpy is now only the reference the tests
  compare the GPX reader with.
* Dates that the typed form refuses (before 2000, a done run in the future) are refused
  by the same rule, ``Run.start_problem``, before any date arithmetic; dates too far out to
  convert to UTC (years 1 and 9999 with a zone offset) are refused by the readers.
* Whatever goes wrong inside a reader, or while storing, is logged and tried again later
  by the job; after the last try the file is reported as failed, with a reason.
"""

from __future__ import annotations

import io
import logging
import math
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import islice
from pathlib import PurePath
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from runs import fit
from runs.models import DUPLICATE_WINDOW, ActivityImport, Run, format_km

log = logging.getLogger(__name__)

EXTENSIONS = (".gpx", ".tcx", ".fit")
GPX_NAMESPACES = ("{http://www.topografix.com/GPX/1/0}", "{http://www.topografix.com/GPX/1/1}")
# Sports we take as runs. Files say "generic" or nothing when the watch was not told.
RUN_SPORTS = {None, "", "running", "run", "generic", "other", "trail_running"}
MAX_POINTS = fit.MAX_RECORDS  # a day of 1-second samples
# For one file, in a job worker: a 10 MB GPX takes about 1.3 s of CPU alone, several on a
# busy worker host; the point limit above bounds the work, this is the last line of defence.
READ_SECONDS = 15
EARTH_RADIUS_M = 6_378_137  # WGS 84 equatorial radius, as gpxpy uses
XML_EVENTS_PER_LOOK = 4096  # parse events between two looks at the clock


class ActivityFileError(Exception):
    """A file that cannot become a run; ``str()`` is the message for the athlete."""


class OutOfTime(ActivityFileError):
    """The deadline passed while reading."""


@dataclass(frozen=True)
class Activity:
    start: datetime  # aware, UTC
    duration: timedelta
    distance_m: float | None = None
    sport: str | None = None

    @property
    def distance_km(self) -> Decimal | None:
        if self.distance_m is None:
            return None
        return Decimal(str(round(self.distance_m / 1000, 2)))


def too_many_points():
    return ActivityFileError(
        _(
            "This file holds more than %(n)s points, more than a whole day recorded every "
            "second, so it is not one run and was not read."
        )
        % {"n": number_format(MAX_POINTS, force_grouping=True)}
    )


def impossible_date():
    return ActivityFileError(_("This file has a date that cannot be right, so it was not read."))


TOO_LARGE = _lazy("This file is too large to read here.")


def out_of_time():
    return OutOfTime(TOO_LARGE)


def check_clock(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise out_of_time()


# --- Reading -----------------------------------------------------------------------------


def read_activity(name: str, data: bytes, *, deadline: float | None = None) -> Activity:
    """The run in one file; ``deadline`` is a ``time.monotonic()`` value."""
    suffix = PurePath(name).suffix.lower()
    readers = {".gpx": read_gpx, ".tcx": read_tcx, ".fit": read_fit}
    if suffix not in readers:
        raise ActivityFileError(_("HomeStrength reads .gpx, .tcx and .fit files only."))
    if not data:
        raise ActivityFileError(_("This file is empty."))
    activity = readers[suffix](data, deadline)
    sport = (activity.sport or "").lower()
    if sport not in RUN_SPORTS:
        raise ActivityFileError(
            _("This file holds a %(sport)s activity; the running log takes runs only.")
            % {"sport": sport.replace("_", " ")}
        )
    return activity


def utc(moment: datetime) -> datetime:
    """Activity files without a zone mean UTC (GPX and TCX say so)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is in year 0
        raise impossible_date() from None


def parse_time(text: str | None) -> datetime | None:
    """An ISO 8601 time from a file, in UTC; None if there is none."""
    text = (text or "").strip()
    return utc(datetime.fromisoformat(text)) if text else None


def xml_events(data: bytes, deadline: float | None, point: bytes):
    """("end", element) pairs of a safely parsed XML document, each as its element ends.

    Refuses documents with more than ``MAX_POINTS`` elements named ``point`` by counting
    them on the bytes first. The readers count again while parsing.
    """
    lowered = data.lower()
    unsafe = _(
        "This file declares a document type or entities, which activity files never need, "
        "so it was not read."
    )
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise ActivityFileError(unsafe)
    tags = re.finditer(rb"<(?:[\w.-]+:)?" + point + rb"[\s/>]", data)
    if sum(1 for _tag in islice(tags, MAX_POINTS + 1)) > MAX_POINTS:
        raise too_many_points()
    events = SafeET.iterparse(
        io.BytesIO(data),
        events=("end",),
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
    )
    try:
        for count, event in enumerate(events):
            if count % XML_EVENTS_PER_LOOK == 0:
                check_clock(deadline)
            yield event
    except DefusedXmlException:
        raise ActivityFileError(unsafe) from None
    except (ParseError, ValueError):  # ValueError: bytes that are no text in any encoding
        raise ActivityFileError(
            _("The XML in this file is broken, so it cannot be read.")
        ) from None


def number(text: str | None) -> float:
    value = float(text or 0)
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


def metres_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) on a sphere of the WGS 84 equatorial radius."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi, half_dlambda = (phi2 - phi1) / 2, math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def coordinate(text: str | None, limit: float) -> float:
    value = float(text)  # TypeError for a missing attribute, ValueError for "north"
    if not -limit <= value <= limit:
        raise ValueError("coordinate out of range")
    return value


def gpx_tags(name: str) -> frozenset[str]:
    """An element's tag in GPX 1.0, 1.1 or no namespace; other namespaces are not GPX."""
    return frozenset({name, *(namespace + name for namespace in GPX_NAMESPACES)})


TRKPT, TRKSEG, TRK, TIME, TYPE, GPX = map(
    gpx_tags, ("trkpt", "trkseg", "trk", "time", "type", "gpx")
)


def read_gpx(data: bytes, deadline: float | None = None) -> Activity:
    """Start and end (the first and last point with a time) and 2D length of the tracks.

    As gpxpy reads them: the length adds up each track segment on its own, and the first
    track type gives the sport. Each point is read when its element ends, then dropped.
    """
    start = end = previous = element = None
    metres, points = 0.0, 0
    try:
        for _event, element in xml_events(data, deadline, b"trkpt"):
            tag = element.tag
            if tag in TRKPT:
                points += 1
                if points > MAX_POINTS:
                    raise too_many_points()
                here = (coordinate(element.get("lat"), 90), coordinate(element.get("lon"), 180))
                if previous is not None:
                    metres += metres_between(*previous, *here)
                previous = here
                moment = parse_time(next((c.text for c in element if c.tag in TIME), None))
                if moment is not None:
                    start, end = start or moment, moment
                element.clear()  # read: drop its children, so memory stays small
            elif tag in TRKSEG:
                previous = None
                element.clear()  # drop the emptied points too
    except (TypeError, ValueError) as exc:  # a bad number or time deep in the track
        log.info("unreadable GPX: %r", exc)
        raise ActivityFileError(_("This GPX file is damaged and cannot be read.")) from None
    root = element  # the last element to end is the document's root
    if root is None or root.tag not in GPX:
        raise ActivityFileError(_("This is not a GPX file."))
    if start is None or end is None:
        raise ActivityFileError(
            _("This GPX file has no times, so the run's start and length are unknown.")
        )
    types = (
        child.text for track in root if track.tag in TRK for child in track if child.tag in TYPE
    )
    sport = next((text.strip() for text in types if text and text.strip()), None)
    # Track types are free text ("running", "9", "Morning Run"): only clear words count.
    return Activity(
        start=start,
        duration=end - start,
        distance_m=metres or None,
        sport=sport if sport and sport.isalpha() else None,
    )


def read_tcx(data: bytes, deadline: float | None = None) -> Activity:
    """The first activity's laps: the first lap's start, the sums of times and distances."""
    element, points = None, 0
    for _event, element in xml_events(data, deadline, b"Trackpoint"):
        tag = element.tag
        if tag.endswith("Trackpoint"):
            points += 1
            if points > MAX_POINTS:
                raise too_many_points()
            element.clear()  # counted: drop its children, so memory stays small
        elif tag.endswith("}Track") or tag == "Track":
            element.clear()  # drop the emptied points too
    root = element  # the last element to end is the document's root
    if root is None or not root.tag.endswith("TrainingCenterDatabase"):
        raise ActivityFileError(_("This is not a TCX file."))
    activity = root.find("{*}Activities/{*}Activity")
    laps = activity.findall("{*}Lap") if activity is not None else []
    if not laps:
        raise ActivityFileError(_("This TCX file has no activity in it."))
    try:
        start = parse_time(laps[0].get("StartTime") or activity.findtext("{*}Id"))
        seconds = sum(number(lap.findtext("{*}TotalTimeSeconds")) for lap in laps)
        metres = sum(number(lap.findtext("{*}DistanceMeters")) for lap in laps)
        duration = timedelta(seconds=seconds)
    except (TypeError, ValueError, OverflowError):
        raise ActivityFileError(
            _("The times or distances in this TCX file cannot be read.")
        ) from None
    if start is None:
        raise ActivityFileError(_("This TCX file has no start time."))
    return Activity(
        start=start, duration=duration, distance_m=metres or None, sport=activity.get("Sport")
    )


def read_fit(data: bytes, deadline: float | None = None) -> Activity:
    damaged = _("This is not a FIT file, or it is damaged.")
    try:
        summary = fit.read(data, max_records=MAX_POINTS, deadline=deadline)
    except fit.TooManyRecords:
        raise too_many_points() from None
    except fit.TooLarge:  # hundreds of thousands of other messages
        raise ActivityFileError(TOO_LARGE) from None
    except fit.TooSlow:
        raise out_of_time() from None
    except fit.FitError as exc:
        log.info("unreadable FIT: %r", exc)
        raise ActivityFileError(damaged) from None
    try:
        return fit_activity(summary)
    except (TypeError, ValueError, OverflowError):
        raise ActivityFileError(damaged) from None


def fit_activity(summary: fit.Summary) -> Activity:
    """The sessions' totals; files without a session message fall back to the records.

    A multisport file (a triathlon) has a session per sport: only the running ones count.
    A file with no running session keeps its sessions, so the athlete is told its sport.
    """
    sessions = summary.sessions
    running = [s for s in sessions if (s.get("sport") or "").lower() in RUN_SPORTS]
    sessions = running or sessions
    if sessions and sessions[0].get("start_time") is not None:
        seconds = sum(
            number(s.get("total_timer_time") or s.get("total_elapsed_time")) for s in sessions
        )
        metres = sum(number(s.get("total_distance")) for s in sessions)
        return Activity(
            start=sessions[0]["start_time"],
            duration=timedelta(seconds=seconds),
            distance_m=metres or None,
            sport=sessions[0].get("sport"),
        )
    if summary.first_record is None:
        raise ActivityFileError(_("This FIT file has no times, so it is not a recorded run."))
    metres = number(summary.max_distance)
    return Activity(
        start=summary.first_record,
        duration=summary.last_record - summary.first_record,
        distance_m=metres or None,
    )


# --- Storing -----------------------------------------------------------------------------


def max_file_bytes() -> int:
    return settings.MAX_RUN_FILE_MB * 1024 * 1024


def read_into_log(item: ActivityImport) -> None:
    """Read the file of ``item`` and store its run as a done run, or record why not.

    Runs in a background job (runs/tasks.py). A file that cannot become a run is recorded
    as refused, with the reason for the athlete. Anything unexpected (a bug in a reader,
    a database error) is raised, for the job to try again later. Running it twice for one
    file stores one run: the run is stored in the same transaction that marks the file
    finished, under the file's row lock, and a finished file is left as it is.
    """
    try:
        activity = read_activity(
            item.name, bytes(item.data), deadline=time.monotonic() + READ_SECONDS
        )
    except ActivityFileError as error:
        return finish(item, ActivityImport.Status.REFUSED, str(error))
    run = Run(
        athlete_id=item.athlete_id,
        start=activity.start,
        duration=activity.duration,
        distance_km=activity.distance_km,
        kind=Run.Kind.LONG if activity.duration >= timedelta(minutes=90) else Run.Kind.OTHER,
        status=Run.Status.DONE,
        source=Run.Source.FILE,
    )
    # The date rule first: it only compares, where the duplicate search does date maths.
    if problem := run.start_problem():
        return finish(item, ActivityImport.Status.REFUSED, str(problem))
    near = Run.objects.filter(athlete_id=item.athlete_id).done()
    if near.near(activity.start, DUPLICATE_WINDOW).exists():
        return finish(item, ActivityImport.Status.REFUSED, _("Already in your log."))
    try:
        run.full_clean()
    except ValidationError as error:
        return finish(item, ActivityImport.Status.REFUSED, " ".join(error.messages))
    try:
        with transaction.atomic():
            if locked(item).is_finished:
                return None  # another run of this job got here first
            run.save()
            finish(item, ActivityImport.Status.STORED, run_summary(run), run)
    except IntegrityError:  # the same run, from another file read at the same moment
        return finish(item, ActivityImport.Status.REFUSED, _("Already in your log."))
    return None


def locked(item: ActivityImport) -> ActivityImport:
    """``item`` as stored now, its row locked until the transaction ends."""
    return ActivityImport.objects.select_for_update().get(pk=item.pk)


def finish(item: ActivityImport, status, message: str, run: Run | None = None) -> None:
    """Record the outcome of ``item`` once (a finished file keeps its first outcome) and
    drop its bytes."""
    with transaction.atomic():
        current = locked(item)
        if current.is_finished:
            return
        current.status, current.message, current.run = status, message[:300], run
        current.data, current.finished_at = b"", timezone.now()
        current.save(update_fields=["status", "message", "run", "data", "finished_at"])


def run_summary(run: Run) -> str:
    minutes = round(run.minutes)
    if run.distance_km:
        return _("Added: %(km)s km in %(minutes)s min.") % {
            "km": format_km(run.distance_km),
            "minutes": minutes,
        }
    return _("Added: %(minutes)s min.") % {"minutes": minutes}
