"""A runner on a phone: check-in, plan, one tap per set, finish — counted and checked."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from sessions.models import WorkoutSession, WorkoutSet
from tests.a11y import assert_accessible, assert_no_horizontal_scroll
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Taps:
    """Counts every tap or fill, the measure of effort the issue sets (<= 25)."""

    def __init__(self):
        self.count = 0

    def tap(self, locator):
        self.count += 1
        locator.click()


def test_it_goes_from_check_in_to_a_finished_session_in_few_taps(phone, alice, live_server):
    call_command("load_library", verbosity=0)
    log_in(phone, alice, live_server)
    taps = Taps()

    phone.goto("/today/")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "check-in")
    for question, answer in [
        ("Legs", "4 Fine"),
        ("Energy", "4 Good"),
        ("Sleep", "3 OK"),
        ("Stress", "4 Low"),
    ]:
        group = phone.get_by_role("group", name=question)
        taps.tap(group.get_by_text(answer, exact=True))
    taps.tap(phone.get_by_text("2–3 days ago"))
    taps.tap(phone.get_by_role("button", name="Show today's plan"))
    # Those six taps are a normal day's whole check-in: the plan opens after them.
    phone.wait_for_url("**/sessions/*/")

    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "plan")
    assert phone.locator("#headline").inner_text().strip()
    taps.tap(phone.get_by_role("link", name="Start"))
    phone.wait_for_url("**/log/")
    assert_accessible(phone, "logging")
    assert_no_horizontal_scroll(phone)

    workout = WorkoutSession.objects.get(athlete=alice)
    planned = sum(item.sets_planned for item in workout.items.filter(action="do"))
    for logged in range(1, planned + 1):
        taps.tap(phone.get_by_role("button", name="Log set"))
        if logged < planned:
            expect(phone.get_by_label("Sets logged")).to_have_attribute("value", str(logged))
    phone.wait_for_url("**/finish/")
    assert WorkoutSet.objects.filter(item__workout=workout).count() == planned
    assert_accessible(phone, "finish")

    taps.tap(phone.get_by_text("5 Hard", exact=True))
    taps.tap(phone.get_by_role("button", name="Save session"))
    phone.wait_for_url(f"**/sessions/{workout.pk}/")
    assert phone.get_by_text("Session saved").is_visible()
    assert_accessible(phone, "finished session")
    workout.refresh_from_db()
    assert workout.is_finished and workout.session_rpe == 5
    assert taps.count <= 25, f"{taps.count} taps from check-in to finish"
    print(f"\ncheck-in to finished session: {taps.count} taps for {planned} sets")


def test_it_logs_without_javascript(browser, live_server, alice):
    call_command("load_library", verbosity=0)
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 360, "height": 780}
    )
    page = context.new_page()
    log_in(page, alice, live_server)
    page.goto("/today/")
    page.get_by_role("button", name="Show today's plan").click()
    page.get_by_role("link", name="Start").click()
    page.get_by_role("button", name="Log set").click()
    page.wait_for_load_state()
    assert WorkoutSet.objects.count() == 1
    # The words on the page (the number is marked up for the offline logger).
    assert "Set 2 of" in page.locator("main").inner_text()
    context.close()
