"""Runs from activity files: GPX, TCX and FIT, read safely.

``read_activity`` turns the bytes of one file into an ``Activity`` (start, time, distance)
or raises ``ActivityFileError`` with a sentence for the athlete. ``import_file`` stores it
as a done run unless the log already has a run starting within a minute of it.

The files come from the internet, so:

* XML (GPX, TCX) that declares a document type or entities is refused before parsing —
  activity files never need them, and they are how entity-expansion bombs ("billion laughs")
  and external-entity reads work. The XML is then parsed by defusedxml with DTDs forbidden,
  which also catches declarations hidden by an unusual encoding.
* gpxpy reads the tree defusedxml built, never the raw text: ``gpxpy.parse`` runs regular
  expressions over the whole text that take quadratic time on crafted input, and parses
  with a parser that expands entities.
* FIT is decoded by fitdecode with CRC checks on. Whatever goes wrong inside a decoder is
  reported as a damaged file, never as a server error.
* Each upload is size-limited (``MAX_RUN_FILE_MB``) before a byte of it is parsed.
"""

from __future__ import annotations

import io
import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import PurePath
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
import fitdecode
import gpxpy.gpx
import gpxpy.gpxfield
from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from runs.models import DUPLICATE_WINDOW, Run

log = logging.getLogger(__name__)

EXTENSIONS = (".gpx", ".tcx", ".fit")
GPX_NAMESPACES = ("{http://www.topografix.com/GPX/1/0}", "{http://www.topografix.com/GPX/1/1}")
# Sports we take as runs. Files say "generic" or nothing when the watch was not told.
RUN_SPORTS = {None, "", "running", "run", "generic", "other", "trail_running"}


class ActivityFileError(ValueError):
    """A file that cannot become a run; ``str()`` is the message for the athlete."""


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


# --- Reading -----------------------------------------------------------------------------


def read_activity(name: str, data: bytes) -> Activity:
    suffix = PurePath(name).suffix.lower()
    readers = {".gpx": read_gpx, ".tcx": read_tcx, ".fit": read_fit}
    if suffix not in readers:
        raise ActivityFileError(_("HomeStrength reads .gpx, .tcx and .fit files only."))
    if not data:
        raise ActivityFileError(_("This file is empty."))
    activity = readers[suffix](data)
    sport = (activity.sport or "").lower()
    if sport not in RUN_SPORTS:
        raise ActivityFileError(
            _("This file holds a %(sport)s activity; the running log takes runs only.")
            % {"sport": sport.replace("_", " ")}
        )
    return activity


def xml_root(data: bytes):
    lowered = data.lower()
    unsafe = _(
        "This file declares a document type or entities, which activity files never need, "
        "so it was not read."
    )
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise ActivityFileError(unsafe)
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True,
                                 forbid_external=True)
    except DefusedXmlException:
        raise ActivityFileError(unsafe) from None
    except (ParseError, ValueError):
        raise ActivityFileError(_("The XML in this file is broken, so it cannot be read.")) \
            from None


def utc(moment: datetime) -> datetime:
    """Activity files without a zone mean UTC (GPX and TCX say so)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def read_gpx(data: bytes) -> Activity:
    root = xml_root(data)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith(GPX_NAMESPACES):
            element.tag = element.tag.split("}", 1)[1]
    if root.tag != "gpx":
        raise ActivityFileError(_("This is not a GPX file."))
    try:
        gpx = gpxpy.gpxfield.gpx_fields_from_xml(gpxpy.gpx.GPX(), root, root.get("version"))
        bounds = gpx.get_time_bounds()
        distance = gpx.length_2d()
        sport = next((track.type for track in gpx.tracks if track.type), None)
    except Exception as exc:  # a bad number or date deep in the track
        log.info("unreadable GPX: %r", exc)
        raise ActivityFileError(_("This GPX file is damaged and cannot be read.")) from None
    if bounds.start_time is None or bounds.end_time is None:
        raise ActivityFileError(
            _("This GPX file has no times, so the run's start and length are unknown.")
        )
    start, end = utc(bounds.start_time), utc(bounds.end_time)
    # Track types are free text ("running", "9", "Morning Run"): only clear words count.
    return Activity(start=start, duration=end - start, distance_m=distance or None,
                    sport=sport if sport and sport.isalpha() else None)


def number(text: str | None) -> float:
    value = float(text or 0)
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


def read_tcx(data: bytes) -> Activity:
    root = xml_root(data)
    if not isinstance(root.tag, str) or not root.tag.endswith("TrainingCenterDatabase"):
        raise ActivityFileError(_("This is not a TCX file."))
    activity = root.find("{*}Activities/{*}Activity")
    laps = activity.findall("{*}Lap") if activity is not None else []
    if not laps:
        raise ActivityFileError(_("This TCX file has no activity in it."))
    try:
        start = utc(datetime.fromisoformat(laps[0].get("StartTime")
                                           or activity.findtext("{*}Id") or ""))
        seconds = sum(number(lap.findtext("{*}TotalTimeSeconds")) for lap in laps)
        metres = sum(number(lap.findtext("{*}DistanceMeters")) for lap in laps)
        duration = timedelta(seconds=seconds)
    except (TypeError, ValueError, OverflowError):
        raise ActivityFileError(_("The times or distances in this TCX file cannot be read.")) \
            from None
    return Activity(start=start, duration=duration, distance_m=metres or None,
                    sport=activity.get("Sport"))


def read_fit(data: bytes) -> Activity:
    damaged = _("This is not a FIT file, or it is damaged.")
    if len(data) < 12 or data[8:12] != b".FIT":
        raise ActivityFileError(damaged)
    sessions, stamps, distances = [], [], []
    try:
        reader = fitdecode.FitReader(
            io.BytesIO(data),
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.RAISE,
        )
        with reader as fit:
            for frame in fit:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                    continue
                if frame.name == "session":
                    sessions.append({
                        name: frame.get_value(name, fallback=None)
                        for name in ("start_time", "total_timer_time", "total_elapsed_time",
                                     "total_distance", "sport")
                    })
                elif frame.name == "record":
                    stamps.append(frame.get_value("timestamp", fallback=None))
                    distances.append(frame.get_value("distance", fallback=None))
    except Exception as exc:  # fitdecode.FitError, or anything a crafted file provokes
        log.info("unreadable FIT: %r", exc)
        raise ActivityFileError(damaged) from None
    try:
        return fit_activity(sessions, stamps, distances)
    except (TypeError, ValueError, OverflowError):
        raise ActivityFileError(damaged) from None


def fit_activity(sessions, stamps, distances) -> Activity:
    """The sessions' totals; files without a session message fall back to the records."""
    if sessions and isinstance(sessions[0]["start_time"], datetime):
        seconds = sum(
            number(s["total_timer_time"] or s["total_elapsed_time"]) for s in sessions
        )
        metres = sum(number(s["total_distance"]) for s in sessions)
        sport = sessions[0]["sport"]
        return Activity(
            start=utc(sessions[0]["start_time"]),
            duration=timedelta(seconds=seconds),
            distance_m=metres or None,
            sport=sport if isinstance(sport, str) else None,
        )
    times = [stamp for stamp in stamps if isinstance(stamp, datetime)]
    if not times:
        raise ActivityFileError(_("This FIT file has no times, so it is not a recorded run."))
    metres = max((number(d) for d in distances if isinstance(d, int | float)), default=0)
    return Activity(start=utc(min(times)), duration=max(times) - min(times),
                    distance_m=metres or None)


# --- Storing -----------------------------------------------------------------------------


@dataclass
class ImportResult:
    name: str
    ok: bool
    message: str
    run: Run | None = None

    def as_json(self) -> dict:
        return {"name": self.name, "ok": self.ok, "message": self.message}


def max_file_bytes() -> int:
    return settings.MAX_RUN_FILE_MB * 1024 * 1024


def import_file(athlete, upload) -> ImportResult:
    """One uploaded file into the log as a done run, or the reason it was not stored."""
    name = PurePath(upload.name or "").name[:120] or _("(no name)")
    if upload.size > max_file_bytes():
        return ImportResult(name, False, _("This file is larger than %(mb)s MB.")
                            % {"mb": settings.MAX_RUN_FILE_MB})
    try:
        activity = read_activity(name, upload.read())
    except ActivityFileError as error:
        return ImportResult(name, False, str(error))
    near = Run.objects.filter(athlete=athlete).done().near(activity.start, DUPLICATE_WINDOW)
    if near.exists():
        return ImportResult(name, False, _("Already in your log."))
    run = Run(
        athlete=athlete,
        start=activity.start,
        duration=activity.duration,
        distance_km=activity.distance_km,
        kind=Run.Kind.LONG if activity.duration >= timedelta(minutes=90) else Run.Kind.OTHER,
        status=Run.Status.DONE,
        source=Run.Source.FILE,
    )
    try:
        run.full_clean()
    except ValidationError as error:
        return ImportResult(name, False, " ".join(error.messages))
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError:  # the same file, uploaded twice at the same moment
        return ImportResult(name, False, _("Already in your log."))
    return ImportResult(name, True, run_summary(run), run)


def run_summary(run: Run) -> str:
    minutes = round(run.minutes)
    if run.distance_km:
        return _("Added: %(km)s km in %(minutes)s min.") % {
            "km": f"{run.distance_km:.2f}".rstrip("0").rstrip("."), "minutes": minutes}
    return _("Added: %(minutes)s min.") % {"minutes": minutes}
