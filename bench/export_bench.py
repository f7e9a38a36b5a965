"""Time and memory of the data export for one heavy account (issue 15), in-process.

    .venv/bin/python bench/export_bench.py --database-url postgres://…/bench_db \\
        [--email athlete1@scale.example] [--sets 20000] [--small athlete2@scale.example]

Point it at a bench database seeded by ``manage.py seed_scale`` (README, "PostgreSQL at
scale"). If the account has fewer than ``--sets`` logged sets, its finished sessions (with
their exercises and sets, plans and all) are copied further back in time until it has them:
seed_scale's longest history (3,650 days) gives athlete 1 about 18,000. Then, each timed
without and then measured under tracemalloc (Python's peak while it runs): the streamed
``data.json`` and ``sets.csv`` of a web request, read to the end; the background job that
writes the zip (``prepare_data_export``); and reading the prepared zip back as the download
does. ``--small`` runs the same for a light account, to show the peak does not grow with
the history. A measurement, not a test: nothing fails on a slow machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homestrength.settings")
    import django

    django.setup()


def set_count(user) -> int:
    from sessions.models import WorkoutSet

    return WorkoutSet.objects.filter(item__workout__athlete=user).count()


def top_up(user, wanted: int) -> None:
    """Copy the account's finished sessions further back until it has ``wanted`` sets."""
    from django.db import transaction
    from django.db.models import Max, Min

    from sessions.models import WorkoutExercise, WorkoutSession, WorkoutSet

    while (have := set_count(user)) < wanted:
        finished = WorkoutSession.objects.filter(athlete=user, finished__isnull=False)
        span = finished.aggregate(a=Min("started"), b=Max("started"))
        shift = span["b"] - span["a"] + timedelta(days=1)
        with transaction.atomic():
            for workout in finished.order_by("started"):
                if set_count(user) >= wanted:
                    break
                items = list(WorkoutExercise.objects.filter(workout=workout))
                sets = {i.pk: list(WorkoutSet.objects.filter(item=i)) for i in items}
                workout.pk = None
                workout.checkin = None
                workout.started -= shift
                workout.finished -= shift
                workout.finish_client_id = None
                workout.save()
                for item in items:
                    old = item.pk
                    item.pk = None
                    item.workout = workout
                    item.save()
                    for one in sets[old]:
                        one.pk = None
                        one.item = item
                        one.client_id = uuid.uuid4()  # unique: a copy is another set
                    WorkoutSet.objects.bulk_create(sets[old])
        print(f"topped up {have} → {set_count(user)} sets", flush=True)


def measure(label, work):
    """(label, seconds without tracing, Python peak MB under tracemalloc, what ``work`` said)."""
    start = time.perf_counter()
    outcome = work()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    tracemalloc.reset_peak()
    work()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return label, seconds, peak, outcome


def streamed(chunks) -> str:
    size = 0
    for chunk in chunks:
        size += len(chunk.encode() if isinstance(chunk, str) else chunk)
    return f"{size / 1e6:.1f} MB"


def cases(user):
    from accounts import export_jobs
    from accounts.export import export_chunks, table_lines
    from accounts.models import DataExport

    def job():
        DataExport.objects.filter(user=user).delete()
        export = DataExport.objects.create(user=user)
        export_jobs.prepare_data_export.call(export.pk)
        export.refresh_from_db()
        return f"{export.status}, zip {export.size / 1e6:.1f} MB"

    def download():
        export = DataExport.objects.get(user=user, status="ready")
        file = export_jobs.ExportFile(export)
        size = 0
        while data := file.read(64 * 1024):  # FileResponse's block size is smaller: same
            size += len(data)
        return f"{size / 1e6:.1f} MB read"

    yield measure("streamed data.json", lambda: streamed(export_chunks(user)))
    yield measure("streamed sets.csv", lambda: streamed(table_lines(user, "sets")))
    yield measure("background job (zip of both)", job)
    yield measure("download of the zip", download)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--email", default="athlete1@scale.example")
    parser.add_argument("--sets", type=int, default=20_000)
    parser.add_argument("--small", default="athlete2@scale.example")
    args = parser.parse_args()
    setup(args.database_url)
    from django.db import connection

    from accounts.models import User

    heavy = User.objects.get(email=args.email)
    top_up(heavy, args.sets)
    print(
        f"{connection.vendor}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}\n"
    )
    print("| account | what | wall s | Python peak MB | result |")
    print("| --- | --- | ---: | ---: | --- |")
    accounts = [heavy] + ([User.objects.get(email=args.small)] if args.small else [])
    for user in accounts:
        who = f"{set_count(user):,} sets"
        for label, seconds, peak, outcome in cases(user):
            print(f"| {who} | {label} | {seconds:.2f} | {peak:.1f} | {outcome} |", flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak RSS over the whole run: {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
