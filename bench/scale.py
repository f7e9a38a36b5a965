"""Pages at club scale: query counts, query plans and latency on a seeded PostgreSQL database.

    .venv/bin/python manage.py seed_scale        # once, into the database below (see README)
    .venv/bin/python bench/scale.py [--database-url URL] [--small-url URL] [-n 200]

For the heavy athlete of ``seed_scale`` (athlete1@scale.example: four sessions a week for a
year) and coach 1 (100 linked athletes), each page is requested in-process through Django's
whole stack (the test client: every middleware, DEBUG off):

1. once inside ``CaptureQueriesContext``: the number of queries, and each query run again
   under ``EXPLAIN (ANALYZE, BUFFERS)`` (reads only; writes get a plain ``EXPLAIN``). A
   sequential scan of a big table (over 10,000 rows) is flagged, and the rows the page read
   from big tables are added up: they must stay a slice, not the athlete's whole history;
2. ``-n`` times more for the latency (p50, p99 and the slowest; wall time on one core of a
   shared machine, with the page cache as users meet it: "first view" pages are asked with
   the per-process caches emptied each time); the exports ``-n / 10`` times, with the
   Python memory peak (tracemalloc) of one request.

With ``--small-url`` (a database seeded small, e.g. ``seed_scale --athletes 150 --coaches 3
--sets 15000 --days 60``) the same is measured there first, in a child process, and the
table shows both query counts side by side: they must be equal.

The measurement writes to the database like a user would (check-ins, sessions and sets of
athlete 1), so use bench databases only. It prints markdown (bench/README.md keeps the
numbers) and saves the raw results as JSON with ``--json FILE``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/homestrength_scale"
BIG_TABLE_ROWS = 10_000
ATHLETE = "athlete1@scale.example"
COACH = "coach1@scale.example"
CHECK_IN = {
    "soreness": "3",
    "fatigue": "3",
    "sleep": "3",
    "stress": "3",
    "last_hard_run": "2to3",
    "run_kind": "hard",
    "key_run_soon": "no",
    "minutes_available": "",
}


def setup(database_url: str) -> None:
    os.environ.update(
        DATABASE_URL=database_url,
        DEBUG="False",
        DJANGO_SETTINGS_MODULE="homestrength.settings",
    )
    os.environ.setdefault("CACHE_DIR", str(ROOT / "var" / "scale-cache"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)  # as `make run` does


def clear_page_caches() -> None:
    """The per-process caches (rendered pages, the menu): a first view, as after a change."""
    from django.core.cache import caches

    for alias in caches:
        if type(caches[alias]).__name__ == "LocMemCache":
            caches[alias].clear()


def big_tables() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class"
            " WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND reltuples > %s",
            [BIG_TABLE_ROWS],
        )
        return dict(cursor.fetchall())


def scans(node: dict, found: list) -> list:
    """(node type, table, rows read, index) for every scan in a JSON plan."""
    if "Relation Name" in node:
        rows = node.get("Actual Rows", node.get("Plan Rows", 0)) * node.get("Actual Loops", 1)
        found.append((node["Node Type"], node["Relation Name"], rows, node.get("Index Name")))
    for child in node.get("Plans", []):
        scans(child, found)
    return found


def explain(sql: str, big: dict[str, int]) -> dict:
    """The plan of one captured query: its scans, and what it read from big tables."""
    from django.db import connection, transaction

    head = sql.lstrip().split(None, 1)[0].upper()
    if head in ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET"):
        return {}
    analyze = head in ("SELECT", "WITH") and " FOR UPDATE" not in sql.upper()
    options = "ANALYZE, BUFFERS, FORMAT JSON" if analyze else "FORMAT JSON"
    with transaction.atomic(), connection.cursor() as cursor:
        # The captured statement, literals inlined by psycopg's client-side binding.
        cursor.cursor.execute(f"EXPLAIN ({options}) {sql}")
        plan = cursor.fetchone()[0][0]["Plan"]
        transaction.set_rollback(True)
    found = scans(plan, [])
    seq = [table for kind, table, _rows, _index in found if kind == "Seq Scan" and table in big]
    return {
        "sql": sql[:300],
        "scans": found,
        "seq_scans_big": seq,
        "big_rows": sum(rows for _kind, table, rows, _index in found if table in big),
        "analyzed": analyze,
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Bench:
    def __init__(self, n: int):
        from django.test import Client

        from accounts.models import User

        self.n = n
        self.big = big_tables()
        self.results = {}
        self.athlete = User.objects.get(email=ATHLETE)
        self.coach = User.objects.get(email=COACH)
        self.client = Client(HTTP_HOST="127.0.0.1")
        self.client.force_login(self.athlete, backend="django.contrib.auth.backends.ModelBackend")
        self.coach_client = Client(HTTP_HOST="127.0.0.1")
        self.coach_client.force_login(
            self.coach, backend="django.contrib.auth.backends.ModelBackend"
        )

    def request(self, client, method, path, data=None):
        response = (
            getattr(client, method)(path, data)
            if data is not None
            else getattr(client, method)(path)
        )
        if response.status_code not in (200, 201, 302):
            raise SystemExit(f"{method.upper()} {path} answered {response.status_code}")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response, body

    def page(self, name, client, method, path, *, data=None, before=None, times=None, memory=False):
        """Count, explain and time one page; ``data``/``before`` may be callables."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def once():
            if before:
                before()
            payload = data() if callable(data) else data
            return self.request(client, method, path, payload)

        self.request(client, method, path, data() if callable(data) else data)  # warm up
        if before:
            before()
        payload = data() if callable(data) else data
        with CaptureQueriesContext(connection) as captured:
            _response, body = self.request(client, method, path, payload)
        queries = [q["sql"] for q in captured.captured_queries]
        plans = [p for p in (explain(sql, self.big) for sql in queries) if p]
        peak = None
        if memory:
            tracemalloc.start()
            once()
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        timings = []
        for _ in range(times or self.n):
            if before:
                before()
            payload = data() if callable(data) else data
            began = time.perf_counter()
            self.request(client, method, path, payload)
            timings.append((time.perf_counter() - began) * 1000)
        self.results[name] = {
            "queries": len(queries),
            "big_rows": sum(p["big_rows"] for p in plans),
            "seq_scans": sorted({t for p in plans for t in p["seq_scans_big"]}),
            "p50_ms": statistics.median(timings),
            "p99_ms": percentile(timings, 99),
            "max_ms": max(timings),
            "requests": len(timings),
            "bytes": len(body),
            "memory_peak": peak,
            "plans": plans,
        }
        print(f"  {name}: {len(queries)} queries, p99 {self.results[name]['p99_ms']:.1f} ms")

    def open_session(self):
        """Athlete 1's open session, started by a real check-in, with room for many sets."""
        from sessions.models import WorkoutExercise, WorkoutSession

        workout = WorkoutSession.objects.in_progress().filter(athlete=self.athlete).first()
        if workout is None:
            data = {"client_id": str(uuid.uuid4()), **CHECK_IN}
            self.request(self.client, "post", "/today/", data)
            workout = WorkoutSession.objects.in_progress().get(athlete=self.athlete)
        # Like bench/run.py: pending exercises keep taking sets for the whole measurement.
        WorkoutExercise.objects.filter(workout=workout, status="pending").update(sets_planned=30000)
        return workout

    def close_open_session(self):
        from sessions.models import WorkoutSession

        for workout in WorkoutSession.objects.in_progress().filter(athlete=self.athlete):
            self.request(self.client, "post", f"/sessions/{workout.pk}/close/", {})

    def next_set(self, workout_pk):
        from sessions.models import WorkoutExercise

        item = WorkoutExercise.objects.next_to_log(workout_pk, self.athlete)
        return {
            "client_id": str(uuid.uuid4()),
            "position": item.position,
            "set_number": item.logged + 1,
            "reps": item.rep_min,
            "load": "",
            "rir": item.target_rir,
            "pain": 0,
        }

    def run(self):
        athlete, coach = self.client, self.coach_client
        few = max(5, self.n // 10)
        self.close_open_session()
        self.page("athlete /sessions/ (history and progress)", athlete, "get", "/sessions/")
        self.page("athlete /sessions/?page=2 (older history)", athlete, "get", "/sessions/?page=2")
        self.page("athlete /today/ (check-in form)", athlete, "get", "/today/")
        self.page(
            "athlete POST /today/ (check-in → plan)",
            athlete,
            "post",
            "/today/",
            data=lambda: {"client_id": str(uuid.uuid4()), **CHECK_IN},
            before=self.close_open_session,
            times=few,
        )
        workout = self.open_session()
        plan = f"/sessions/{workout.pk}/"
        self.page(
            "athlete /sessions/<id>/ (plan, first view)",
            athlete,
            "get",
            plan,
            before=clear_page_caches,
        )
        self.page("athlete /sessions/<id>/ (plan, cached)", athlete, "get", plan)
        self.page("athlete /sessions/<id>/log/", athlete, "get", f"{plan}log/")
        self.page(
            "athlete POST /sessions/<id>/sets/",
            athlete,
            "post",
            f"{plan}sets/",
            data=lambda: self.next_set(workout.pk),
        )
        self.page("athlete /runs/", athlete, "get", "/runs/")
        self.page("athlete /calendar/", athlete, "get", "/calendar/")
        self.page(
            "coach /coach/ (100 athletes, first view)",
            coach,
            "get",
            "/coach/",
            before=clear_page_caches,
        )
        self.page("coach /coach/ (100 athletes, cached)", coach, "get", "/coach/")
        self.page(
            "coach /coach/athletes/<id>/ (athlete 1)",
            coach,
            "get",
            f"/coach/athletes/{self.athlete.pk}/",
        )
        self.page(
            "athlete export data.json",
            athlete,
            "get",
            "/accounts/export/data.json",
            times=few,
            memory=True,
        )
        self.page(
            "athlete export sets.csv",
            athlete,
            "get",
            "/accounts/export/sets.csv",
            times=few,
            memory=True,
        )
        self.close_open_session()
        return self.results


def facts() -> dict:
    from django.db import connection

    from accounts.models import User
    from sessions.models import WorkoutSession, WorkoutSet

    athlete = User.objects.get(email=ATHLETE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    return {
        "athletes": User.objects.filter(is_coach=False).count(),
        "sets": WorkoutSet.objects.count(),
        "athlete1_sessions": WorkoutSession.objects.filter(athlete=athlete).count(),
        "athlete1_sets": WorkoutSet.objects.filter(item__workout__athlete=athlete).count(),
        "database_size": size,
    }


def measure(database_url: str, n: int) -> dict:
    setup(database_url)
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("bench/scale.py needs PostgreSQL (EXPLAIN): pass --database-url.")
    print(f"Measuring {database_url.rsplit('/', 1)[-1]} ({n} requests a page)", flush=True)
    return {"facts": facts(), "pages": Bench(n).run()}


def report(large: dict, small: dict | None) -> None:
    f = large["facts"]
    print(
        f"\nDatabase: {f['athletes']:,} athletes, {f['sets']:,} sets, {f['database_size']}; "
        f"athlete 1: {f['athlete1_sessions']:,} sessions, {f['athlete1_sets']:,} sets."
    )
    if small:
        s = small["facts"]
        print(
            f"Small database: {s['athletes']:,} athletes, {s['sets']:,} sets; "
            f"athlete 1: {s['athlete1_sessions']:,} sessions, {s['athlete1_sets']:,} sets."
        )
    print()
    print(
        "| page | queries (small) | queries | rows read from big tables | seq scans "
        "of big tables | p50 ms | p99 ms | max ms |"
    )
    print("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |")
    for name, r in large["pages"].items():
        few = small["pages"][name]["queries"] if small and name in small["pages"] else "–"
        seq = ", ".join(r["seq_scans"]) or "none"
        print(
            f"| {name} | {few} | {r['queries']} | {r['big_rows']:,} | {seq} | "
            f"{r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['max_ms']:.1f} |"
        )
    exports = {k: v for k, v in large["pages"].items() if v["memory_peak"]}
    if exports:
        print()
        for name, r in exports.items():
            print(
                f"- {name}: {r['bytes'] / 1e6:.1f} MB, Python memory peak "
                f"{r['memory_peak'] / 1e6:.1f} MB for one request"
            )
    flagged = [
        (name, p["sql"][:160], p["seq_scans_big"])
        for name, r in large["pages"].items()
        for p in r["plans"]
        if p["seq_scans_big"]
    ]
    if flagged:
        print("\nSequential scans of big tables:")
        for name, sql, tables in flagged:
            print(f"- {name}: {', '.join(tables)} in `{sql}…`")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("SCALE_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--small-url", help="a small seeded database, for the query counts")
    parser.add_argument("-n", type=int, default=200, help="requests a page (exports: n/10)")
    parser.add_argument("--json", help="save the raw results here")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    small = None
    if args.small_url:
        out = ROOT / "var" / f"scale-small-{os.getpid()}.json"
        out.parent.mkdir(exist_ok=True)
        subprocess.run(
            [sys.executable, __file__, "--measure-only", "--database-url", args.small_url]
            + ["-n", str(max(5, args.n // 10)), "--json", str(out)],
            check=True,
        )
        small = json.loads(out.read_text())
        out.unlink()
    results = measure(args.database_url, args.n)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))
    if not args.measure_only:
        report(results, small)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
