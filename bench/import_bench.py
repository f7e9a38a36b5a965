"""Time the activity-file readers on large and hostile files, in-process.

    .venv/bin/python bench/import_bench.py [--repeat N] [--reference] [--only GPX]

For each file — a 4-hour run, a day of 1-second samples (86,400 points or records), a
10 MB file, and for GPX/TCX a file just over the point limit — prints the size, the best
wall and CPU time of N reads through ``runs.files.read_activity`` (what an upload costs a
web worker, without the database) and the outcome. ``--reference`` also times what the
app used before: fitdecode for FIT, gpxpy (on the parsed tree) for GPX; it takes minutes.
Files over ``MAX_RUN_FILE_MB`` (10 MB) never reach a reader in the app; they are timed here
to show the readers' own bounds.

The files are written by tests/activity_files.py, the same writers the tests use. It is a
measurement, not a test: nothing fails on a slow machine.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homestrength.settings")

import django  # noqa: E402

django.setup()

from runs.files import ActivityFileError, read_activity  # noqa: E402
from tests.activity_files import (  # noqa: E402
    fit_of_size,
    fit_records,
    fit_run,
    gpx_run,
    tcx_file,
)

DAY = 86_400
MB = 1_000_000


def gpx_of_size(size: int) -> bytes:
    """A watch GPX of about ``size`` bytes (~203 bytes a point)."""
    return gpx_run(seconds=size // 203)


def tcx_of_size(size: int) -> bytes:
    return tcx_file(seconds=7200, metres=20000, points=size // 147)


def cases():
    yield "FIT 4-hour run", "run.fit", lambda: fit_run(seconds=4 * 3600)
    yield "FIT 86,400 records", "day.fit", lambda: fit_records(DAY)
    yield "FIT 10 MB (~435,000 records)", "big.fit", lambda: fit_of_size(10 * MB)
    yield "GPX 4-hour run", "run.gpx", lambda: gpx_run(seconds=4 * 3600)
    yield "GPX 86,400 points", "day.gpx", lambda: gpx_run(seconds=DAY)
    yield "GPX 86,401 points", "over.gpx", lambda: gpx_run(seconds=DAY + 1)
    yield "GPX 10 MB", "big.gpx", lambda: gpx_of_size(10 * MB)
    yield "TCX 4-hour run", "run.tcx", lambda: tcx_file(seconds=4 * 3600, points=4 * 3600)
    yield "TCX 86,400 points", "day.tcx", lambda: tcx_file(seconds=DAY - 1, points=DAY)
    yield "TCX 86,401 points", "over.tcx", lambda: tcx_file(seconds=DAY, points=DAY + 1)
    yield "TCX 10 MB", "big.tcx", lambda: tcx_of_size(10 * MB)


def timed(read, name: str, data: bytes, repeat: int):
    """Best wall and CPU seconds of ``repeat`` calls, and the last outcome."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            outcome = read(name, data)
        except ActivityFileError as error:
            outcome = f"refused: {error}"
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), outcome


def describe(outcome) -> str:
    if isinstance(outcome, str):
        return outcome[:70]
    return f"read: {outcome.duration}, {outcome.distance_km} km"


def fitdecode_read(_name: str, data: bytes):
    import fitdecode

    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        return f"fitdecode: {sum(1 for _frame in reader)} frames"


def gpxpy_read(_name: str, data: bytes):
    import defusedxml.ElementTree as SafeET
    import gpxpy.gpx
    import gpxpy.gpxfield

    root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]
    gpx = gpxpy.gpxfield.gpx_fields_from_xml(gpxpy.gpx.GPX(), root, root.get("version"))
    return f"gpxpy: {gpx.length_2d():.0f} m"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--reference", action="store_true", help="also time fitdecode and gpxpy (slow)"
    )
    parser.add_argument("--only", default="", help="only the files whose label has this")
    args = parser.parse_args()
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}, best of {args.repeat}\n"
    )
    print("| file | size | wall s | CPU s | outcome |")
    print("| --- | ---: | ---: | ---: | --- |")
    for label, name, make in cases():
        if args.only.lower() not in label.lower():
            continue
        data = make()
        wall, cpu, outcome = timed(read_activity, name, data, args.repeat)
        print(
            f"| {label} | {len(data) / MB:.1f} MB | {wall:.2f} | {cpu:.2f} | {describe(outcome)} |",
            flush=True,
        )
        if args.reference and name.endswith((".fit", ".gpx")) and "over" not in name:
            reference = fitdecode_read if name.endswith(".fit") else gpxpy_read
            wall, cpu, outcome = timed(reference, name, data, 1)
            print(f"| ↳ before (reference) | | {wall:.2f} | {cpu:.2f} | {outcome} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
