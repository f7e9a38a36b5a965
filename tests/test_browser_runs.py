"""A runner on a phone: log a run in a few taps, import files with progress, see the log at
check-in — accessible, and never wider than the screen."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from runs.models import ActivityImport, Race, Run
from runs.tasks import import_activity_file
from tests.a11y import assert_accessible, assert_no_horizontal_scroll
from tests.browser import log_in
from tests.test_runs_import import fit_file, gpx_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_adds_a_run_in_a_few_taps(phone, alice, live_server):
    log_in(phone, alice, live_server)
    phone.goto("/runs/")
    assert_accessible(phone, "empty log")
    assert_no_horizontal_scroll(phone)

    # Six taps, the last one Save, are all it takes: the log shows the run after them.
    for n, action in enumerate(
        (
            lambda: phone.get_by_role("link", name="Add a run").click(),
            lambda: phone.get_by_text("Tempo", exact=True).click(),
            lambda: phone.get_by_label("Time (minutes, or h:mm)").fill("50"),
            lambda: phone.get_by_label("Distance (km)").fill("10"),
            lambda: phone.get_by_text("7 Very hard", exact=True).click(),
        )
    ):
        action()
        if n == 0:
            phone.wait_for_url("**/runs/new/")
            assert_accessible(phone, "run form")
            assert_no_horizontal_scroll(phone)
    phone.get_by_role("button", name="Save run").click()
    phone.wait_for_url("**/runs/")

    expect(phone.get_by_text("Run saved.")).to_be_visible()
    expect(phone.locator(".run-item").first).to_contain_text("Tempo")
    expect(phone.locator(".week-totals").first).to_contain_text("10 km · 50 min · load 350")
    assert_accessible(phone, "log with a run")
    assert_no_horizontal_scroll(phone)
    run = Run.objects.get()
    assert (run.kind, run.rpe, run.minutes, run.status) == ("tempo", 7, 50, "done")
    assert timezone.now() - run.start < timedelta(minutes=2)  # start defaulted to now


def test_it_imports_two_files_with_progress(phone, alice, live_server):
    log_in(phone, alice, live_server)
    phone.goto("/runs/import/")
    assert_accessible(phone, "import form")
    assert_no_horizontal_scroll(phone)
    phone.get_by_label("Files").set_input_files(
        [
            {
                "name": "morning.gpx",
                "mimeType": "application/gpx+xml",
                "buffer": gpx_file(start=timezone.now() - timedelta(days=2)),
            },
            {
                "name": "broken.fit",
                "mimeType": "application/octet-stream",
                "buffer": fit_file()[:30],
            },
        ]
    )
    phone.get_by_role("button", name="Import").click()

    expect(phone.get_by_role("link", name="See your runs")).to_be_visible()
    assert phone.url.endswith("/runs/import/")  # stayed on the page: the script did it
    expect(phone.locator("#import-bar")).to_have_attribute("max", "2")
    expect(phone.locator("#import-count")).to_have_text("2 of 2 files")
    rows = phone.locator("#import-rows tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("morning.gpx")
    expect(rows.nth(0)).to_contain_text("Added:")
    expect(rows.nth(1)).to_contain_text("not a FIT file, or it is damaged")
    assert_accessible(phone, "import results")
    assert_no_horizontal_scroll(phone)
    assert Run.objects.filter(athlete=alice, source="file").count() == 1

    phone.get_by_role("link", name="See your runs").click()
    expect(phone.get_by_role("link", name="Add effort").first).to_be_visible()


def test_it_follows_files_read_in_the_background(phone, alice, live_server, settings):
    """The jobs wait for a worker: the page says so, asks again, and shows each result
    once the worker (here, the test) has read the file."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    log_in(phone, alice, live_server)
    phone.goto("/runs/import/")
    phone.get_by_label("Files").set_input_files(
        [
            {"name": "one.gpx", "mimeType": "application/gpx+xml", "buffer": gpx_file()},
            {"name": "two.fit", "mimeType": "application/octet-stream", "buffer": b"nope"},
        ]
    )
    phone.get_by_role("button", name="Import").click()
    rows = phone.locator("#import-rows tr")
    expect(rows.nth(1)).to_contain_text("Waiting")
    expect(phone.locator("#import-count")).to_have_text("0 of 2 files")
    assert_accessible(phone, "files waiting")

    for item in ActivityImport.objects.order_by("pk"):
        import_activity_file.call(item.pk)  # what the worker does
    expect(rows.nth(0)).to_contain_text("Added: 6.68 km in 30 min.")
    expect(rows.nth(1)).to_contain_text("not a FIT file, or it is damaged")
    expect(phone.locator("#import-count")).to_have_text("2 of 2 files")
    expect(phone.get_by_role("link", name="See your runs")).to_be_visible()
    assert Run.objects.filter(athlete=alice, source="file").count() == 1


def test_it_imports_without_javascript(browser, live_server, alice):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 360, "height": 780}
    )
    page = context.new_page()
    log_in(page, alice, live_server)
    page.goto("/runs/import/")
    page.get_by_label("Files").set_input_files(
        [
            {"name": "a.gpx", "mimeType": "application/gpx+xml", "buffer": gpx_file()},
            {"name": "a-again.gpx", "mimeType": "application/gpx+xml", "buffer": gpx_file()},
        ]
    )
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state()
    assert "1 run added" in page.content() and "Already in your log." in page.content()
    context.close()


def test_it_shows_the_log_and_the_next_race_at_check_in(phone, alice, live_server):
    from django.core.management import call_command

    call_command("load_library", verbosity=0)
    now = timezone.now()
    Run.objects.create(
        athlete=alice,
        start=now - timedelta(hours=31),
        rpe=7,
        kind="tempo",
        duration=timedelta(minutes=50),
    )
    Race.objects.create(
        athlete=alice, name="City 10K", priority="A", date=timezone.localdate() + timedelta(days=5)
    )
    log_in(phone, alice, live_server)
    phone.goto("/today/")
    expect(phone.locator("#next-race")).to_contain_text("Race in 5 days: City 10K (A)")
    expect(phone.locator("#log-hard-run")).to_contain_text("From your log: tempo run 30 h ago")
    assert_accessible(phone, "check-in with the log")
    assert_no_horizontal_scroll(phone)

    phone.get_by_text("Change").first.click()
    phone.get_by_role("group", name="Last hard run").get_by_text("2–3 days ago").click()
    phone.wait_for_timeout(400)  # let Bootstrap's colour transition on the buttons finish
    assert_accessible(phone, "check-in, correcting the log")
    phone.get_by_role("button", name="Show today's plan").click()
    phone.wait_for_url("**/sessions/*/")
    from sessions.models import CheckIn

    assert CheckIn.objects.get().last_hard_run == "2to3"
