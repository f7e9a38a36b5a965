"""Throughput, latency, page weight and query counts of HomeStrength under the `make run` stack.

Run with `make bench` (or `.venv/bin/python bench/run.py`). See bench/README.md.

What it does, in order:
 1. makes sure wrk is installed (apt-get install wrk when it is missing and we are root);
 2. creates a fresh database: var/bench.sqlite3 (deleted first), or the PostgreSQL database
    named by BENCH_DATABASE_URL (dropped and re-created; its name must contain "bench");
 3. runs migrate, collectstatic and load_library, as `make run` does;
 4. seeds athletes through the ORM: each has finished sessions (history) and one open session
    started by sessions.planning.start_workout from a check-in, whose pending exercises get
    a huge sets_planned so set-logging POSTs keep writing for the whole run;
 5. starts gunicorn exactly as `make run` does, on a free port of 127.0.0.1;
 6. runs wrk (warm-up, then the measured run) against each endpoint, checks that the
    set-logging POSTs that answered "stored" match the WorkoutSet rows that appeared;
 7. measures the first-load weight of /exercises/ and checks anonymous pages set no cookie;
 8. counts queries per page with 1x and 3x the athlete data (in-process, test client);
 9. prints markdown tables, stops gunicorn (also on error or Ctrl-C).

A missed target is reported, not an error: the exit status is 0 unless the bench itself could
not run (2: wrk missing and not installable; 1: setup failed). Only 127.0.0.1 is contacted.

Environment: BENCH_DATABASE_URL, BENCH_DURATION (s, default 10), BENCH_WARMUP (s, default 2),
BENCH_PAIRED (s of the /healthz run before each endpoint, default 5), BENCH_CONNECTIONS
(default 8; also the number of athletes), BENCH_HISTORY (finished sessions per athlete,
default 30), WEB_CONCURRENCY (gunicorn workers, default 3, as in the Makefile), and
DJANGO_SETTINGS_MODULE (honoured like `make run` does; default homestrength.settings).
"""

from __future__ import annotations

import gzip
import http.client
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VAR = ROOT / "var"
BIN = ROOT / ".venv" / "bin"
PYTHON = BIN / "python" if (BIN / "python").exists() else Path(sys.executable)
LUA = BENCH / "set_logging.lua"
ATHLETES_FILE = VAR / "bench-athletes.tsv"
GUNICORN_LOG = VAR / "bench-gunicorn.log"
SQLITE_FILE = VAR / "bench.sqlite3"
CACHE_DIR = VAR / "bench-cache"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

DURATION = int(os.environ.get("BENCH_DURATION") or 10)
WARMUP = int(os.environ.get("BENCH_WARMUP") or 2)
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS") or 8)
HISTORY = int(os.environ.get("BENCH_HISTORY") or 30)
WORKERS = os.environ.get("WEB_CONCURRENCY") or "3"
# As with `make run`, an inherited DJANGO_SETTINGS_MODULE wins (manage.py and wsgi.py use
# setdefault); handy to try a proposed settings change without editing the app.
SETTINGS = os.environ.get("DJANGO_SETTINGS_MODULE") or "homestrength.settings"
# PositiveSmallIntegerField is a smallint on PostgreSQL: 32767 at most.
SETS_PLANNED = 30000
PAGE_WEIGHT_LIMIT = 50 * 1024
HEALTHZ = "/healthz"
# Each endpoint is compared with a /healthz run made just before it, so that load from other
# jobs on the machine, which comes and goes, weighs on both sides of the ratio alike.
PAIRED = int(os.environ.get("BENCH_PAIRED") or 5)


class BenchError(Exception):
    """The bench itself cannot run (as opposed to a missed target)."""


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- wrk ----------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print("wrk is missing; install it (Debian: apt-get install -y wrk).", file=sys.stderr)
        raise SystemExit(2)
    say("wrk is missing: apt-get install -y wrk")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", "wrk"]
    if subprocess.run(install, env=env, check=False).returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, check=False)
        subprocess.run(install, env=env, check=False)
    found = shutil.which("wrk")
    if not found:
        print("wrk is missing and could not be installed.", file=sys.stderr)
        raise SystemExit(2)
    return found


TIME_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def parse_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        return float("nan")
    return float(match.group(1)) * TIME_UNITS[match.group(2)]


@dataclass
class WrkResult:
    rps: float = 0.0
    requests: int = 0
    p50_ms: float = float("nan")
    p99_ms: float = float("nan")
    non_2xx_3xx: int = 0
    socket_errors: int = 0
    threads: list[dict] = field(default_factory=list)
    stored: int | None = None  # set-logging only: answers that stored a set
    healthz_rps: float = float("nan")  # the paired /healthz run just before this one
    cpu_ms: float = float("nan")  # CPU time of the gunicorn processes per request
    raw: str = ""


COACHED = int(os.environ.get("BENCH_COACHED", "30"))
DASHBOARD = f"coach dashboard /coach/ ({COACHED} athletes)"
# Issue 16: the triage table of a coach with 100 athletes (a second coach, same athletes).
COACHED_LARGE = int(os.environ.get("BENCH_COACHED_LARGE", "100"))
LARGE_COACH_EMAIL = "coach100@bench.example"
TRIAGE = f"coach triage table /coach/ ({COACHED_LARGE} athletes)"


def run_wrk(
    wrk: str,
    url: str,
    seconds: int,
    script_args: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> WrkResult:
    cmd = [
        wrk,
        f"-t{CONNECTIONS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    if script_args is not None:
        cmd += ["-s", str(LUA), url, "--", *script_args]
    else:
        cmd.append(url)
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=False)
    out = done.stdout + done.stderr
    if done.returncode != 0:
        raise BenchError(f"wrk failed on {url}:\n{out}")
    result = WrkResult(raw=out)
    if m := re.search(r"Requests/sec:\s+([\d.]+)", out):
        result.rps = float(m.group(1))
    if m := re.search(r"(\d+) requests in", out):
        result.requests = int(m.group(1))
    if m := re.search(r"^\s+50%\s+(\S+)", out, re.M):
        result.p50_ms = parse_ms(m.group(1))
    if m := re.search(r"^\s+99%\s+(\S+)", out, re.M):
        result.p99_ms = parse_ms(m.group(1))
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        result.non_2xx_3xx = int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        result.socket_errors = sum(int(g) for g in m.groups())
    for m in re.finditer(r"^BENCH (.*)$", out, re.M):
        row = dict(pair.split("=", 1) for pair in m.group(1).split())
        result.threads.append(
            {k: (int(v) if v.lstrip("-").isdigit() else v) for k, v in row.items()}
        )
    return result


# --- Database -----------------------------------------------------------------------------


def prepare_database() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", "").strip()
    if not url:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{SQLITE_FILE}"
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise BenchError(f"BENCH_DATABASE_URL must be a postgres:// URL, not {parts.scheme!r}")
    if (parts.hostname or "") not in LOCAL_HOSTS:
        raise BenchError("BENCH_DATABASE_URL must point at 127.0.0.1 (this bench stays local)")
    name = unquote(parts.path.lstrip("/"))
    if "bench" not in name:
        raise BenchError(f"refusing to drop {name!r}: the bench database name must contain 'bench'")
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or "") or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url


def app_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("CACHE_DIR"):
        # The file cache (allauth's rate limits) of its own, like the database: a fresh one,
        # shared with no `make run` that may be serving from this tree.
        shutil.rmtree(CACHE_DIR, ignore_errors=True)
        env["CACHE_DIR"] = str(CACHE_DIR)
    env.update(DATABASE_URL=database_url, DEBUG="False", DJANGO_SETTINGS_MODULE=SETTINGS)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(
        CACHE_DIR=env["CACHE_DIR"],
        DATABASE_URL=env["DATABASE_URL"],
        DEBUG="False",
        DJANGO_SETTINGS_MODULE=SETTINGS,
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings

    # Import every view now, so that this process runs the same code as gunicorn, which
    # starts next, even if someone edits the tree during the run.
    import_module(settings.ROOT_URLCONF)


# --- Seeding (in-process, through the ORM) ------------------------------------------------


GOOD_DAY = {
    "soreness": 4,
    "fatigue": 4,
    "sleep": 4,
    "stress": 4,
    "last_hard_run": "gt3",
    "key_run_soon": "no",
}


def new_athlete(email: str):
    from django.contrib.auth import get_user_model

    # No password: hashing one costs ~0.5 s; the bench logs in through the session store.
    return get_user_model().objects.create_user(email=email, password=None)


def add_history(athlete, sessions: int, end, spacing_days: int = 3) -> None:
    """Finished sessions, every ``spacing_days`` days up to ``end``, each fully logged."""
    from sessions.models import CheckIn, WorkoutExercise, WorkoutSession, WorkoutSet
    from sessions.planning import start_workout

    for k in range(sessions, 0, -1):
        when = end - timedelta(days=spacing_days * k)
        checkin = CheckIn.objects.create(athlete=athlete, created=when, **GOOD_DAY)
        workout = start_workout(athlete, checkin, now=when)
        sets = []
        items = list(workout.items.filter(status=WorkoutExercise.Status.PENDING))
        for item in items:
            for number in range(1, item.sets_planned + 1):
                sets.append(
                    WorkoutSet(
                        item=item,
                        exercise_id=item.exercise_id,
                        set_number=number,
                        reps=item.rep_min or 8,
                        rir=item.target_rir or 2,
                        action="continue",
                        next_reps=item.rep_min or 8,
                        client_id=uuid.uuid4(),
                        created=when + timedelta(minutes=3 * number),
                    )
                )
        WorkoutSet.objects.bulk_create(sets)
        workout.items.filter(status=WorkoutExercise.Status.PENDING).update(
            status=WorkoutExercise.Status.DONE
        )
        WorkoutSession.objects.filter(pk=workout.pk).update(
            finished=when + timedelta(minutes=35), session_rpe=6, duration_minutes=35
        )


def open_session(athlete, now):
    """Today's session from a check-in, with endless sets on its pending exercises."""
    from sessions.models import CheckIn, WorkoutExercise
    from sessions.planning import start_workout

    checkin = CheckIn.objects.create(athlete=athlete, created=now, **GOOD_DAY)
    workout = start_workout(athlete, checkin, now=now)
    pending = workout.items.filter(status=WorkoutExercise.Status.PENDING)
    if not pending.exists():  # the engine said rest: make the first exercise a "do"
        workout.items.filter(position=1).update(
            action="do", status=WorkoutExercise.Status.PENDING, sets_planned=3
        )
    for item in pending:
        item.sets_planned = SETS_PLANNED
        item.target_rir = 2 if item.target_rir is None else item.target_rir
        item.rep_min = item.rep_min or 8
        item.rep_max = max(item.rep_max or 12, item.rep_min)
        item.save(update_fields=["sets_planned", "target_rir", "rep_min", "rep_max"])
    return workout


@dataclass
class Athlete:
    email: str
    user_pk: int
    workout_pk: int
    cookie: str
    csrf: str


def login_cookie(user) -> tuple[str, str]:
    """A real session in the session store (what a login creates) and a CSRF secret."""
    from django.test import Client
    from django.utils.crypto import get_random_string

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.cookies["sessionid"].value
    # A 32-character secret: Django accepts the same unmasked value in the form field.
    csrf = get_random_string(32)
    return f"sessionid={session}; csrftoken={csrf}", csrf


def seed_coach_with_second_step(coached: int, email: str | None = None):
    """A coach with `coached` linked athletes and an authenticator app.

    The coach area needs a second login step (issue 11); without one /coach/ is a cheap
    redirect to its setup, which would be measured instead of the dashboard.
    """
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from coaching.management.commands.seed_coaching import seed_coach

    coach = seed_coach(coached, **({"coach_email": email} if email else {}))
    if not coach.has_second_step():
        TOTP.activate(coach, generate_totp_secret())
    return coach


def seed(athletes: int, history: int) -> list[Athlete]:
    from django.db import connections, transaction
    from django.utils import timezone

    now = timezone.now()
    seeded = []
    for i in range(1, athletes + 1):
        with transaction.atomic():
            user = new_athlete(f"athlete{i}@bench.invalid")
            add_history(user, history, now - timedelta(days=1))
            workout = open_session(user, now)
        cookie, csrf = login_cookie(user)
        seeded.append(Athlete(user.email, user.pk, workout.pk, cookie, csrf))
    connections.close_all()
    return seeded


def current_position(workout_pk: int) -> tuple[int, int, int, int]:
    """(position, next set_number, reps, rir) that the set-logging view will accept now."""
    from sessions.models import WorkoutExercise

    item = (
        WorkoutExercise.objects.filter(workout_id=workout_pk, status=WorkoutExercise.Status.PENDING)
        .order_by("position")
        .first()
    )
    if item is None:
        raise BenchError(f"session {workout_pk} has no pending exercise left")
    # rir == target and reps inside the range: the engine answers "continue", never "stop_".
    return item.position, item.sets.count() + 1, item.rep_min, item.target_rir


def write_athletes_file(athletes: list[Athlete]) -> None:
    from django.db import connections

    lines = []
    for a in athletes:
        position, set_number, reps, rir = current_position(a.workout_pk)
        lines.append(
            "\t".join(
                str(v)
                for v in (
                    f"/sessions/{a.workout_pk}/",
                    f"/sessions/{a.workout_pk}/sets/",
                    a.cookie,
                    a.csrf,
                    position,
                    set_number,
                    reps,
                    rir,
                )
            )
        )
    ATHLETES_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    connections.close_all()


def set_rows(athletes: list[Athlete]) -> dict[int, int]:
    from django.db import connections
    from django.db.models import Count

    from sessions.models import WorkoutSet

    counts = dict(
        WorkoutSet.objects.filter(item__workout_id__in=[a.workout_pk for a in athletes])
        .values_list("item__workout_id")
        .annotate(n=Count("pk"))
    )
    connections.close_all()
    return {a.workout_pk: counts.get(a.workout_pk, 0) for a in athletes}


# --- gunicorn -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int) -> subprocess.Popen:
    # The Makefile's line: DEBUG=False gunicorn homestrength.wsgi --bind 127.0.0.1:$(PORT)
    #   --workers $${WEB_CONCURRENCY:-3} --access-logfile - --log-level warning
    cmd = [
        str(BIN / "gunicorn"),
        "homestrength.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        WORKERS,
        "--access-logfile",
        "-",
        "--log-level",
        "warning",
    ]
    log = GUNICORN_LOG.open("wb")
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    log.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"gunicorn exited ({proc.returncode}); see {GUNICORN_LOG}")
        try:
            if fetch(port, "/healthz").status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError("gunicorn did not answer /healthz within 30 s")


def server_cpu_seconds(master: int) -> float:
    """User + system CPU time of gunicorn's master and workers (its children), from /proc.

    Unlike req/s, CPU time per request hardly depends on what else the machine is doing,
    so it is the steadier number on a shared box. The database server's CPU is not included.
    """
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
        pid, ppid = int(entry.name), int(fields[1])
        if pid == master or ppid == master:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def stop_gunicorn(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    say(f"stopping gunicorn (pid {proc.pid})")
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the group gunicorn leads: it and its workers
        proc.wait(timeout=5)


# --- HTTP helpers -------------------------------------------------------------------------


@dataclass
class Fetched:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str:
        return ", ".join(v for k, v in self.headers if k.lower() == name.lower())

    def cookies(self) -> list[str]:
        return [v for k, v in self.headers if k.lower() == "set-cookie"]


def fetch(port: int, path: str, headers: dict[str, str] | None = None) -> Fetched:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return Fetched(resp.status, resp.getheaders(), resp.read())
    finally:
        conn.close()


class AssetParser(HTMLParser):
    """Stylesheets, scripts and the web app manifest a browser with JavaScript loads (not
    those in <noscript>)."""

    def __init__(self):
        super().__init__()
        self.assets: list[str] = []
        self.noscript_assets: list[str] = []
        self._noscript = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "noscript":
            self._noscript += 1
        url = None
        rel = (attrs.get("rel") or "").split()
        if tag == "link" and ("stylesheet" in rel or "manifest" in rel):
            url = attrs.get("href")  # the manifest too: Chromium fetches it at load
        elif tag == "script" and attrs.get("src"):
            url = attrs["src"]
        if url:
            (self.noscript_assets if self._noscript else self.assets).append(url)

    def handle_endtag(self, tag):
        if tag == "noscript" and self._noscript:
            self._noscript -= 1


def decoded(resp: Fetched) -> bytes:
    encoding = resp.header("Content-Encoding").strip().lower()
    if encoding == "gzip":
        return gzip.decompress(resp.body)
    if encoding == "br":
        import brotli  # whitenoise[brotli] brings it

        return brotli.decompress(resp.body)
    return resp.body


def page_weight(port: int) -> dict:
    accept = {"Accept-Encoding": "br, gzip"}
    page = fetch(port, "/exercises/", accept)
    if page.status != 200:
        raise BenchError(f"/exercises/ answered {page.status}")
    parser = AssetParser()
    parser.feed(decoded(page).decode("utf-8", "replace"))
    rows = [
        (
            "/exercises/ (HTML)",
            len(page.body),
            page.header("Content-Encoding") or "none",
            len(page.body) if page.header("Content-Encoding") else len(gzip.compress(page.body)),
        )
    ]
    for url in parser.assets:
        parts = urlsplit(url)
        if parts.netloc and parts.hostname not in LOCAL_HOSTS:
            rows.append((url, 0, "external: not fetched", 0))
            continue
        asset = fetch(port, parts.path, accept)
        if asset.status != 200:
            raise BenchError(f"{url} answered {asset.status}")
        rows.append(
            (
                parts.path,
                len(asset.body),
                asset.header("Content-Encoding") or "none",
                len(asset.body),
            )
        )
    return {
        "rows": rows,
        "total": sum(r[1] for r in rows),
        "total_if_html_compressed": sum(r[3] for r in rows),
        "noscript": parser.noscript_assets,
    }


def cookie_check(port: int, paths: list[str]) -> list[tuple[str, int, list[str], str, str]]:
    rows = []
    for path in paths:
        for attempt in ("miss", "hit"):  # first request fills the cache, the second reads it
            resp = fetch(port, path)
            rows.append(
                (
                    f"{path} ({attempt})",
                    resp.status,
                    resp.cookies(),
                    resp.header("Cache-Control"),
                    resp.header("Vary"),
                )
            )
    return rows


# --- Query counts (in-process, Django test client) ----------------------------------------


def query_counts() -> list[tuple[str, int, int]]:
    """Queries per page for one athlete with 1x then 3x the data (history and logged sets)."""
    from django.core.cache import caches
    from django.db import connection, connections, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from exercises.models import Exercise
    from sessions.models import WorkoutExercise
    from sessions.planning import log_set

    now = timezone.now()
    slug = Exercise.objects.order_by("pk").values_list("slug", flat=True).first()
    anon = Client(HTTP_HOST="127.0.0.1")

    def athlete_with(history, sets_today, email):
        with transaction.atomic():
            user = new_athlete(email)
            add_history(user, history, now - timedelta(days=1))
            workout = open_session(user, now)
            for _ in range(sets_today):
                item = workout.items.filter(status=WorkoutExercise.Status.PENDING).first()
                log_set(
                    item,
                    athlete_id=user.pk,
                    set_number=item.sets.count() + 1,
                    reps=item.rep_min,
                    rir=item.target_rir,
                    load_kg=None,
                    pain_nrs=0,
                    client_id=uuid.uuid4(),
                )
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client, workout

    def count(who, method, path, data=None, clear_cache=False):
        if clear_cache:  # the per-process caches only (rendered pages and the menu)
            for alias in caches:
                if type(caches[alias]).__name__ == "LocMemCache":
                    caches[alias].clear()
        with CaptureQueriesContext(connection) as ctx:
            resp = getattr(who, method)(path, data) if data else getattr(who, method)(path)
        if resp.status_code not in (200, 302):
            raise BenchError(f"{method.upper()} {path} answered {resp.status_code}")
        return len(ctx.captured_queries)

    def measure(client, workout):
        position, set_number, reps, rir = current_position(workout.pk)
        post = {
            "client_id": str(uuid.uuid4()),
            "position": position,
            "set_number": set_number,
            "reps": reps,
            "load": "",
            "rir": rir,
            "pain": 0,
        }
        pk = workout.pk
        return {
            "anonymous /exercises/ (cache miss)": count(anon, "get", "/exercises/", None, True),
            "anonymous /exercises/ (cache hit)": count(anon, "get", "/exercises/"),
            f"anonymous /exercises/{slug}/ (miss)": count(
                anon, "get", f"/exercises/{slug}/", None, True
            ),
            "athlete /exercises/": count(client, "get", "/exercises/"),
            "athlete /today/ (redirect)": count(client, "get", "/today/"),
            "athlete /sessions/ (history)": count(client, "get", "/sessions/"),
            "athlete /sessions/<id>/ (plan, first view)": count(
                client, "get", f"/sessions/{pk}/", None, True
            ),
            "athlete /sessions/<id>/ (plan, cached)": count(client, "get", f"/sessions/{pk}/"),
            "athlete /sessions/<id>/log/": count(client, "get", f"/sessions/{pk}/log/"),
            "athlete POST /sessions/<id>/sets/": count(
                client, "post", f"/sessions/{pk}/sets/", post
            ),
        }

    # 1x: 10 finished sessions and 2 sets logged today (the measured POST is the 3rd);
    # 3x: 30 finished sessions and 8 sets logged today (the measured POST is the 9th).
    one = measure(*athlete_with(10, 2, "queries-1x@bench.invalid"))
    three = measure(*athlete_with(30, 8, "queries-3x@bench.invalid"))
    connections.close_all()
    return [(name, one[name], three[name]) for name in one]


# --- Report -------------------------------------------------------------------------------


def machine() -> str:
    import django

    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
        f"Django {django.get_version()}, gunicorn --workers {WORKERS}, "
        f"wrk -t{CONNECTIONS} -c{CONNECTIONS} -d{DURATION}s after a {WARMUP}s warm-up"
        + ("" if SETTINGS == "homestrength.settings" else f", settings {SETTINGS}")
    )


def load_average() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min)"


def fmt_ms(value: float) -> str:
    return "n/a" if value != value else f"{value:.1f} ms"


def main() -> int:
    started = time.monotonic()
    wrk = ensure_wrk()
    load_before = load_average()
    say(f"load average before: {load_before}")
    database_url = prepare_database()
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    env = app_env(database_url)
    where = urlsplit(database_url)
    shown = (
        SQLITE_FILE if engine == "SQLite" else f"{where.hostname}:{where.port or 5432}{where.path}"
    )
    say(f"database: {engine} ({shown})")
    for args in (
        ("migrate", "--noinput"),
        ("collectstatic", "--noinput", "--verbosity", "0"),
        ("load_library",),
    ):
        manage(env, *args)
    setup_django(env)
    say(f"seeding {CONNECTIONS} athletes x {HISTORY} finished sessions + 1 open session")
    athletes = seed(CONNECTIONS, HISTORY)
    from exercises.models import Exercise

    slug = Exercise.objects.order_by("pk").values_list("slug", flat=True)[0]
    say(f"seeding a coach with {COACHED} linked athletes (coaching.seed_coach)")
    coach_cookie, _csrf = login_cookie(seed_coach_with_second_step(COACHED))
    say(f"seeding a coach with {COACHED_LARGE} linked athletes (the triage table)")
    large_cookie, _csrf = login_cookie(
        seed_coach_with_second_step(COACHED_LARGE, LARGE_COACH_EMAIL)
    )

    port = free_port()
    gunicorn = None
    try:
        say(f"starting gunicorn on 127.0.0.1:{port} with {WORKERS} workers")
        gunicorn = start_gunicorn(env, port)
        base = f"http://127.0.0.1:{port}"
        anon_paths = ["/exercises/", f"/exercises/{slug}/", "/exercises/?equipment=none&q=squat"]
        for path in anon_paths:
            status = fetch(port, path).status
            if status != 200:
                raise BenchError(f"{path} answered {status}")
        results: dict[str, WrkResult] = {}
        checks: dict[str, str] = {}

        def measure(name, url, script_args=None, before_measuring=None, headers=None):
            say(f"wrk {name}")
            if name != HEALTHZ:
                run_wrk(wrk, base + "/healthz", 1)
                paired = run_wrk(wrk, base + "/healthz", PAIRED).rps
            run_wrk(wrk, url, WARMUP, script_args, headers)
            if before_measuring:
                before_measuring()
            cpu_before = server_cpu_seconds(gunicorn.pid)
            results[name] = run_wrk(wrk, url, DURATION, script_args, headers)
            cpu = server_cpu_seconds(gunicorn.pid) - cpu_before
            results[name].cpu_ms = 1000 * cpu / max(results[name].requests, 1)
            if name != HEALTHZ:
                results[name].healthz_rps = paired
            return results[name]

        measure(HEALTHZ, base + "/healthz")
        for path in anon_paths:
            measure(path, base + path)

        write_athletes_file(athletes)
        plan = "plan page /sessions/<id>/ (logged in)"
        measure(plan, base + "/", [str(ATHLETES_FILE), "plan"])
        bad = sum(t["other"] for t in results[plan].threads)
        checks[plan] = f"{bad} answers were not 200" if bad else "every answer was 200"

        post = "set logging POST /sessions/<id>/sets/"
        before: dict[int, int] = {}

        def after_warmup():
            time.sleep(0.5)
            write_athletes_file(athletes)  # the warm-up logged sets: go on from there
            before.update(set_rows(athletes))

        measure(post, base + "/", [str(ATHLETES_FILE), "post"], after_warmup)
        time.sleep(1.0)  # let requests in flight at wrk's cut-off finish
        after = set_rows(athletes)
        checks[post] = verify_sets(results[post], athletes, before, after)

        status = fetch(port, "/coach/", {"Cookie": coach_cookie}).status
        if status != 200:
            raise BenchError(f"/coach/ answered {status} to the seeded coach")
        measure(DASHBOARD, base + "/coach/", headers={"Cookie": coach_cookie})
        bad = results[DASHBOARD].non_2xx_3xx
        checks[DASHBOARD] = f"{bad} answers were not 2xx" if bad else "every answer was 200"

        status = fetch(port, "/coach/", {"Cookie": large_cookie}).status
        if status != 200:
            raise BenchError(f"/coach/ answered {status} to the coach of {COACHED_LARGE}")
        measure(TRIAGE, base + "/coach/", headers={"Cookie": large_cookie})
        bad = results[TRIAGE].non_2xx_3xx
        checks[TRIAGE] = f"{bad} answers were not 2xx" if bad else "every answer was 200"

        say("page weight and cookies")
        weight = page_weight(port)
        cookies = cookie_check(port, anon_paths)
        load_during = load_average()  # with gunicorn and wrk just finished: expect ~3-4
    finally:
        stop_gunicorn(gunicorn)

    say("query counts with 1x and 3x data (in-process)")
    try:
        counts = query_counts()
    except Exception as exc:  # optional step: report, do not lose the measurements
        counts = []
        say(f"query counts failed: {exc!r}")

    loads = (load_before, load_during)
    report(engine, results, checks, weight, cookies, counts, slug, loads)
    say(f"done in {time.monotonic() - started:.0f} s")
    return 0


def verify_sets(result: WrkResult, athletes, before, after) -> str:
    """Compare the POSTs answered "stored" with the WorkoutSet rows that appeared."""
    by_line = {t["athlete"]: t for t in result.threads}
    stored = sum(t["ok"] for t in result.threads)
    stale = sum(t["stale"] for t in result.threads)
    other = sum(t["other"] for t in result.threads)
    rows = sum(after.values()) - sum(before.values())
    result.stored = stored
    per_athlete = []
    for i, a in enumerate(athletes, start=1):
        got = after[a.workout_pk] - before[a.workout_pk]
        said = by_line.get(i, {}).get("ok", 0)
        if got != said:
            per_athlete.append(f"athlete {i}: {said} answered, {got} rows")
    text = (
        f"{stored} POSTs answered 'stored', {rows} WorkoutSet rows added; "
        f"{stale} stale, {other} other answers"
    )
    if rows == stored and not stale and not other:
        return text + " — OK: every reported write is a real row"
    extra = rows - stored
    if 0 < extra <= CONNECTIONS and not stale and not other:
        return (
            text + f" — OK within {extra} request(s) still in flight at wrk's cut-off "
            "(stored by the server, answer never read)"
        )
    return text + " — MISMATCH: " + ("; ".join(per_athlete) or "see counts")


def report(engine, results, checks, weight, cookies, counts, slug, loads) -> None:
    targets = {
        "/exercises/": 50,
        f"/exercises/{slug}/": 50,
        "/exercises/?equipment=none&q=squat": 50,
        # Issue 12: plan page and POST >= 30 %, coach dashboard >= 20 %.
        "plan page /sessions/<id>/ (logged in)": 30,
        "set logging POST /sessions/<id>/sets/": 30,
        DASHBOARD: 20,
        # Issue 16: the triage table of 100 athletes >= 15 %.
        TRIAGE: 15,
    }
    print()
    print(f"## HomeStrength bench — {engine}")
    print()
    print(f"Machine: {machine()}.")
    print()
    print(
        f"Load average before the run: {loads[0]}; at its end: {loads[1]}. Other jobs on the "
        "machine lower every req/s: each endpoint's share (the target) is against a /healthz run "
        f"made just before it ({PAIRED} s). 'App CPU' is the gunicorn processes' CPU time per "
        "request (database server excluded), which hardly depends on other load; 'CPU share' is "
        "/healthz's app CPU divided by the endpoint's, the share to expect on an idle box."
    )
    print()
    print(
        "| endpoint | req/s | p50 | p99 | paired /healthz req/s | % of paired /healthz "
        "| target | result | errors | app CPU ms/req | CPU share |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: |")
    for name, r in results.items():
        errors = r.non_2xx_3xx + r.socket_errors + sum(t.get("other", 0) for t in r.threads)
        rps = f"{r.rps:.1f}"
        if r.stored is not None:
            rps += f" ({r.stored / DURATION:.1f} stored/s)"
        latency = f"{fmt_ms(r.p50_ms)} | {fmt_ms(r.p99_ms)}"
        cpu = f"{r.cpu_ms:.2f}"
        if name == HEALTHZ:
            print(
                f"| {name} | {rps} | {latency} | — | 100 % | baseline | — | {errors} "
                f"| {cpu} | 100 % |"
            )
            continue
        share = 100 * r.rps / r.healthz_rps if r.healthz_rps else float("nan")
        cpu_share = 100 * results[HEALTHZ].cpu_ms / r.cpu_ms if r.cpu_ms else float("nan")
        verdict = "PASS" if share >= targets[name] and not errors else "**FAIL**"
        print(
            f"| {name} | {rps} | {latency} | {r.healthz_rps:.1f} | {share:.1f} % "
            f"| >= {targets[name]} % | {verdict} | {errors} | {cpu} | {cpu_share:.1f} % |"
        )
    print()
    for name, text in checks.items():
        print(f"- {name}: {text}")
    print()
    print("### First load of /exercises/ (Accept-Encoding: br, gzip)")
    print()
    print("| resource | bytes on the wire | Content-Encoding | if gzipped |")
    print("| --- | ---: | --- | ---: |")
    for url, size, encoding, if_gz in weight["rows"]:
        print(f"| {url} | {size} | {encoding} | {if_gz} |")
    total = weight["total"]
    verdict = "PASS" if total <= PAGE_WEIGHT_LIMIT else "**FAIL**"
    print(
        f"| **total** | **{total} B = {total / 1024:.1f} KiB** | target <= 50 KiB: {verdict} "
        f"| {weight['total_if_html_compressed']} B |"
    )
    if weight["noscript"]:
        print(
            f"\nNot counted (inside <noscript>, loaded only without JavaScript): "
            f"{', '.join(weight['noscript'])}"
        )
    print()
    print("### Anonymous library responses")
    print()
    print("| request | status | Set-Cookie | Cache-Control | Vary |")
    print("| --- | ---: | --- | --- | --- |")
    for path, status, set_cookies, cache_control, vary in cookies:
        shown = "; ".join(c.split("=", 1)[0] for c in set_cookies) or "none"
        print(f"| {path} | {status} | {shown} | {cache_control or '-'} | {vary or '-'} |")
    with_cookie = [row[0] for row in cookies if row[2]]
    print(
        f"\nNo cookies on anonymous library pages: "
        f"{'**FAIL** (' + ', '.join(with_cookie) + ')' if with_cookie else 'PASS'}"
    )
    if counts:
        print()
        print(
            "### Queries per request, 1x vs 3x data (10 vs 30 finished sessions, "
            "3 vs 9 sets logged today)"
        )
        print()
        print("| request | 1x | 3x | grows? |")
        print("| --- | ---: | ---: | --- |")
        for name, one, three in counts:
            print(f"| {name} | {one} | {three} | {'**yes**' if three > one else 'no'} |")
    print()


if __name__ == "__main__":

    def _interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _interrupt)
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench could not run: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
