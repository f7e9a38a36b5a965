"""How long the offline queue takes to sync, and what the service worker adds to a first load.

    .venv/bin/python bench/offline_sync.py          # SQLite (var/bench-offline.sqlite3)
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/homestrength_bench \\
        .venv/bin/python bench/offline_sync.py

Under the stack `make run` starts (gunicorn, whitenoise, DEBUG off, on 127.0.0.1), in Debian's
Chromium on a phone viewport: an athlete opens the logger online (the service worker keeps
it), the phone goes offline, 20 sets are logged (queued on the phone), the phone comes back
online, and the time from the `online` event to "All sets synced." on screen is measured in
the page (performance.now()). Done ``BENCH_SYNC_RUNS`` times (default 3), each with 20 new
sets of the same session; every run checks that exactly 20 more rows were stored.

It also loads the library page once in a fresh browser and adds up what the browser fetched
before the `load` event (the worker is registered after it, so it is not part of that load).
A measurement, not a test: it prints a table for bench/README.md.
"""

import os

# Playwright's sync API runs an event loop in this thread; the ORM calls are still plain
# synchronous ones (as in tests/conftest.py).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import run as bench  # noqa: E402  (bench/run.py: the same server, seeding and helpers)

SETS = 20
RUNS = int(os.environ.get("BENCH_SYNC_RUNS") or 3)
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PHONE = {
    "viewport": {"width": 360, "height": 780},
    "device_scale_factor": 2.625,
    "is_mobile": True,
    "has_touch": True,
}
bench.SQLITE_FILE = bench.VAR / "bench-offline.sqlite3"

# Records, in the page, when the `online` event fired and when the status said synced.
WATCH = """() => {
  window.__bench = {online: null, synced: null};
  window.addEventListener("online", () => { window.__bench.online = performance.now(); });
  const status = () => document.getElementById("offline-status");
  new MutationObserver(() => {
    const node = status();
    if (node && window.__bench.synced === null && node.textContent.includes("All sets synced.")) {
      window.__bench.synced = performance.now();
    }
  }).observe(document.getElementById("main"),
             {subtree: true, childList: true, characterData: true});
}"""

# What the browser fetched up to the load event, as the network carried it (compressed).
FIRST_LOAD = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const rows = [[nav.name, nav.transferSize, nav.encodedBodySize]];
  for (const r of performance.getEntriesByType("resource")) {
    if (r.startTime <= nav.loadEventStart) rows.push([r.name, r.transferSize, r.encodedBodySize]);
  }
  return rows;
}"""


def first_load(browser, base: str) -> list:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(base + "/exercises/", wait_until="load")
    rows = page.evaluate(FIRST_LOAD)
    # The worker registers after load; wait for it, to show it did not count above.
    registered = page.evaluate(
        "() => navigator.serviceWorker.ready.then(r => !!r.active || !!r.installing)"
    )
    context.close()
    return rows, registered


def sync_runs(browser, base: str, cookie: str, workout_pk: int) -> list[float]:
    from sessions.models import WorkoutSet

    context = browser.new_context(base_url=base, **PHONE)
    name, value = cookie.split(";")[0].split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": base}])
    page = context.new_page()
    page.goto(f"/sessions/{workout_pk}/")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    times = []
    for run in range(1, RUNS + 1):
        page.goto(f"/sessions/{workout_pk}/log/")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        page.get_by_role("button", name="Log set").wait_for()
        before = WorkoutSet.objects.filter(item__workout_id=workout_pk).count()
        context.set_offline(True)
        for n in range(1, SETS + 1):
            page.get_by_role("button", name="Log set").click()
            page.locator("#offline-status").get_by_text(f"{n} waiting.").wait_for()
        page.evaluate(WATCH)
        context.set_offline(False)
        page.wait_for_function("() => window.__bench.synced !== null", timeout=120_000)
        result = page.evaluate("() => window.__bench")
        stored = WorkoutSet.objects.filter(item__workout_id=workout_pk).count() - before
        if stored != SETS:
            raise bench.BenchError(f"run {run}: {stored} rows stored for {SETS} queued sets")
        seconds = (result["synced"] - result["online"]) / 1000
        bench.say(f"run {run}: {SETS} queued sets synced in {seconds * 1000:.0f} ms")
        times.append(seconds)
    context.close()
    return times


def main() -> int:
    from playwright.sync_api import sync_playwright

    database_url = bench.prepare_database()
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    env = bench.app_env(database_url)
    for args in (
        ("migrate", "--noinput"),
        ("collectstatic", "--noinput", "--verbosity", "0"),
        ("load_library",),
    ):
        bench.manage(env, *args)
    bench.setup_django(env)
    from django.utils import timezone

    athlete = bench.new_athlete("offline-bench@example.com")
    workout = bench.open_session(athlete, timezone.now())
    cookie, _csrf = bench.login_cookie(athlete)

    port = bench.free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = None
    try:
        bench.say(f"starting gunicorn on 127.0.0.1:{port} with {bench.WORKERS} workers")
        gunicorn = bench.start_gunicorn(env, port)
        weight = bench.page_weight(port)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            rows, registered = first_load(browser, base)
            started = time.monotonic()
            times = sync_runs(browser, base, cookie, workout.pk)
            browser.close()
    finally:
        bench.stop_gunicorn(gunicorn)

    where = bench.machine().split(", gunicorn")[0]
    print(f"\n## Offline sync ({engine}, {bench.WORKERS} gunicorn workers, {where})\n")
    print("| queued sets | runs | median | each run | rows stored per run |")
    print("| --- | --- | --- | --- | --- |")
    each = ", ".join(f"{t * 1000:.0f} ms" for t in times)
    median = statistics.median(times) * 1000
    print(f"| {SETS} | {len(times)} | {median:.0f} ms | {each} | {SETS} |")
    print(f"\n(browser part took {time.monotonic() - started:.0f} s)\n")
    total = sum(r[1] for r in rows)
    print("| first load of /exercises/ in Chromium (transferred) | bytes |")
    print("| --- | --- |")
    for url, transferred, _encoded in rows:
        print(f"| {url.replace(base, '')} | {transferred} |")
    print(f"| **total** | **{total} B = {total / 1024:.1f} KiB** (target <= 50 KiB) |")
    print(f"\nservice worker registered after load: {registered}")
    print(
        f"bench/run.py's page weight (HTML + stylesheets + scripts + manifest): "
        f"{weight['total']} B = {weight['total'] / 1024:.1f} KiB"
    )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except bench.BenchError as error:
        print(f"bench failed: {error}", file=sys.stderr)
        sys.exit(1)
