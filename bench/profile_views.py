"""Profile logged-in pages and the set-logging POST in-process.

    .venv/bin/python bench/profile_views.py [--profile NAME] [-n N]
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=var/cg.out \\
        .venv/bin/python bench/profile_views.py --callgrind NAME -n N

Seeds one athlete (as bench/run.py does) and a coach with BENCH_COACHED athletes into
var/profile-<pid>.sqlite3 (deleted at the end), then sends N requests of each kind through
Django's full WSGI handler (every middleware, DEBUG=False, the cached template loader) and
prints the CPU time per request (best of five batches) and the query count. --profile NAME
prints cProfile's top functions for one kind; --callgrind NAME counts the instructions of
N requests of one kind, which unlike seconds repeat exactly on a shared machine (read the
total with `grep totals: var/cg.out` and divide by N). It shows where the time goes; the
throughput numbers come from bench/run.py.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402

DB = bench.VAR / f"profile-{os.getpid()}.sqlite3"
CACHE = bench.VAR / f"profile-cache-{os.getpid()}"


def wsgi_request(app, method: str, path: str, cookie: str, body: bytes = b""):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_COOKIE": cookie,
        "HTTP_ACCEPT_ENCODING": "gzip",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
    }
    status = []

    def start_response(s, headers, exc_info=None):
        status.append((s, headers))

    chunks = app(environ, start_response)
    data = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return status[0][0], dict(status[0][1]), data


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", choices=["healthz", "404", "today", "plan", "post", "coach"])
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument(
        "--callgrind",
        choices=["healthz", "404", "today", "plan", "post", "coach"],
        help="under `valgrind --tool=callgrind --instr-atstart=no`: count the instructions "
        "of N such requests only (repeatable, unlike seconds on a shared machine)",
    )
    args = parser.parse_args()

    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    os.environ["CACHE_DIR"] = str(CACHE)
    env = bench.app_env(f"sqlite:///{DB}")
    bench.manage(env, "migrate", "--noinput")
    bench.manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    bench.manage(env, "load_library")
    bench.setup_django(env)
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    athlete = bench.seed(1, bench.HISTORY)[0]
    coach_cookie, _csrf = bench.login_cookie(bench.seed_coach_with_second_step(bench.COACHED))
    app = get_wsgi_application()
    plan = f"/sessions/{athlete.workout_pk}/"
    post = f"/sessions/{athlete.workout_pk}/sets/"
    position, set_number, reps, rir = bench.current_position(athlete.workout_pk)
    counter = {"set": set_number}

    def do_plan():
        status, _, _ = wsgi_request(app, "GET", plan, athlete.cookie)
        assert status.startswith("200"), status

    def do_post():
        body = urlencode(
            {
                "csrfmiddlewaretoken": athlete.csrf,
                "client_id": str(uuid.uuid4()),
                "position": position,
                "set_number": counter["set"],
                "reps": reps,
                "load": "",
                "rir": rir,
                "pain": 0,
            }
        ).encode()
        status, headers, _ = wsgi_request(app, "POST", post, athlete.cookie, body)
        assert status.startswith("302"), status
        assert "messages=" not in headers.get("Set-Cookie", ""), "stale"
        counter["set"] += 1

    def do_healthz():
        status, _, _ = wsgi_request(app, "GET", "/healthz", "")
        assert status.startswith("200"), status

    def do_missing():  # logged in, one query, the site layout: a floor for logged-in pages
        status, _, _ = wsgi_request(app, "GET", "/sessions/999999/", athlete.cookie)
        assert status.startswith("404"), status

    def do_today():  # logged in, one query, a redirect: a floor for logged-in POSTs
        status, _, _ = wsgi_request(app, "GET", "/today/", athlete.cookie)
        assert status.startswith("302"), status

    def do_coach():  # the coach dashboard with bench.COACHED athletes (cached rows)
        status, _, _ = wsgi_request(app, "GET", "/coach/", coach_cookie)
        assert status.startswith("200"), status

    steps = (
        ("healthz", do_healthz),
        ("404", do_missing),
        ("today", do_today),
        ("plan", do_plan),
        ("post", do_post),
        ("coach", do_coach),
    )
    if args.callgrind:
        fn = dict(steps)[args.callgrind]
        for _ in range(20):
            fn()
        subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], check=True)
        for _ in range(args.n):
            fn()
        subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], check=True)
        return 0
    for name, fn in steps:
        for _ in range(20):
            fn()
        queries = []

        def record(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            fn()
        # The best of five batches: the least disturbed by anything else on the machine.
        batches = []
        for _ in range(5):
            wall0, cpu0 = time.perf_counter(), time.process_time()
            for _ in range(max(1, args.n // 5)):
                fn()
            batches.append(
                (
                    (time.perf_counter() - wall0) / max(1, args.n // 5) * 1000,
                    (time.process_time() - cpu0) / max(1, args.n // 5) * 1000,
                )
            )
        wall, cpu = min(batches)
        if os.environ.get("SHOW_BATCHES"):
            print("   batches (ms CPU):", " ".join(f"{c:.2f}" for _, c in batches))
        print(f"{name}: {wall:.2f} ms wall, {cpu:.2f} ms CPU, {len(queries)} queries")
        if os.environ.get("SHOW_QUERIES"):
            for sql in queries:
                print("   ", sql[:160])
        if args.profile == name:
            prof = cProfile.Profile()
            prof.enable()
            for _ in range(args.n):
                fn()
            prof.disable()
            if os.environ.get("PROFILE_OUT"):
                prof.dump_stats(os.environ["PROFILE_OUT"])
            stats = pstats.Stats(prof)
            stats.sort_stats("cumulative").print_stats(60)
            stats.sort_stats("tottime").print_stats(30)

    return 0


def cleanup() -> None:
    shutil.rmtree(CACHE, ignore_errors=True)
    for suffix in ("", "-wal", "-shm", ".lock"):  # .lock: core.sqlite's write queue
        Path(f"{DB}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    finally:
        cleanup()
