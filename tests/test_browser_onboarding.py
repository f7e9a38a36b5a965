"""First run on a phone: sign up, three short steps, the first logged set (issue 17)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from runs.models import Race
from sessions.models import WorkoutSet
from tests.a11y import assert_accessible, assert_no_horizontal_scroll
from tests.conftest import PASSWORD, emailed_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tap_size(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["width"], box["height"]


def test_a_new_runner_goes_from_sign_up_to_the_first_logged_set(browser, live_server, library):
    context = browser.new_context(
        base_url=live_server.url,
        timezone_id="Europe/Madrid",
        viewport={"width": 360, "height": 780},
        device_scale_factor=2.625,
        is_mobile=True,
        has_touch=True,
    )  # the conftest's phone, in Madrid: the zone is what the browser reports
    phone = context.new_page()
    phone.goto("/accounts/signup/")
    phone.locator("#id_email").fill("first@example.com")
    phone.locator("#id_password1").fill(PASSWORD)
    phone.locator("#id_password2").fill(PASSWORD)
    phone.get_by_role("button", name="Sign up").click()
    phone.wait_for_url("**/accounts/confirm-email/")
    phone.get_by_label("Code").fill(emailed_code(mail.outbox[-1]))
    phone.get_by_role("button", name="Confirm").click()

    # Step 1: what you have at home.
    phone.wait_for_url("**/welcome/")
    expect(phone.get_by_text("Step 1 of 3")).to_be_visible()
    expect(phone.get_by_role("heading", name="What do you have at home?")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "step 1")
    user = User.objects.get(email="first@example.com")
    assert user.timezone == "Europe/Madrid"  # sent with the sign-up form

    weights = phone.get_by_label("Your dumbbell weights")
    expect(weights).to_be_hidden()  # shown once dumbbells are ticked
    dumbbells = phone.get_by_label("Dumbbells")
    width, height = tap_size(phone.locator("label[for]", has_text="Step or bottom stair"))
    assert height >= 48 and width >= 140, (width, height)
    phone.locator("label", has_text="Step or bottom stair").click()
    phone.locator("label", has_text="Dumbbells").click()
    assert dumbbells.is_checked()
    expect(weights).to_be_visible()
    phone.get_by_text("Pounds (lb)", exact=True).click()
    weights.fill("10, 15, x")
    phone.get_by_role("button", name="Save and continue").click()
    expect(phone.get_by_text("Type the weights as numbers separated by commas")).to_be_visible()
    expect(weights).to_be_visible()  # the error stays in sight
    assert_accessible(phone, "step 1 with an error")
    phone.get_by_label("Your dumbbell weights").fill("10, 15")
    phone.get_by_role("button", name="Save and continue").click()

    # Step 2: your running week and the next race.
    phone.wait_for_url("**/welcome/running/")
    expect(phone.get_by_text("Step 2 of 3")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "step 2")
    phone.get_by_label("How far do you run in a usual week? (km)").fill("35")
    phone.get_by_text("Wednesday", exact=True).click()
    phone.get_by_text("Saturday", exact=True).click()
    race_day = timezone.localdate() + timedelta(days=40)
    phone.get_by_label("Race name").fill("City 10K")
    phone.get_by_label("Race date").fill(race_day.isoformat())
    phone.get_by_role("button", name="Save and continue").click()

    # Step 3: today's check-in, then the first set.
    phone.wait_for_url("**/today/?welcome=1")
    expect(phone.get_by_text("Step 3 of 3")).to_be_visible()
    expect(phone.get_by_role("link", name="Back to your running week")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "step 3, the check-in")
    user.refresh_from_db()
    assert {e.slug for e in user.equipment.all()} == {"step", "dumbbells"}
    assert user.units == "lb" and user.dumbbells_kg == [4.54, 6.8]
    assert user.weekly_km == 35 and user.hard_run_days == [2, 5]
    assert user.onboarded_at is not None
    assert Race.objects.get(athlete=user).date == race_day

    for question, answer in [("Legs", "4 Fine"), ("Energy", "4 Good")]:
        phone.get_by_role("group", name=question).get_by_text(answer, exact=True).click()
    phone.get_by_role("button", name="Show today's plan").click()
    phone.wait_for_url("**/sessions/*/")
    phone.get_by_role("link", name="Start").click()
    phone.wait_for_url("**/log/")
    phone.get_by_role("button", name="Log set").click()
    expect(phone.get_by_label("Sets logged")).to_have_attribute("value", "1")
    assert WorkoutSet.objects.filter(item__workout__athlete=user).count() == 1

    # Everything stays editable on the profile, in the units chosen.
    phone.goto("/accounts/profile/")
    assert phone.get_by_label("Dumbbell weights I own (lb)").input_value() == "10, 15"
    assert phone.get_by_label("Time zone").input_value() == "Europe/Madrid"
    context.close()


def test_the_steps_work_without_javascript_and_can_be_skipped(browser, live_server, alice):
    from tests.browser import log_in

    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 360, "height": 780}
    )
    page = context.new_page()
    log_in(page, alice, live_server)
    page.goto("/welcome/")
    expect(page.get_by_label("Your dumbbell weights")).to_be_visible()  # no script to show it
    page.get_by_role("button", name="Skip this step").click()
    page.wait_for_url("**/welcome/running/")
    page.get_by_role("link", name="Back to your equipment").click()
    page.wait_for_url("**/welcome/")
    page.get_by_role("button", name="Skip setup").click()
    page.wait_for_url("**/today/")
    expect(page.get_by_text("Set-up skipped.")).to_be_visible()
    alice.refresh_from_db()
    assert alice.onboarded_at is not None
    assert alice.timezone == "UTC"  # no script, no guess
    context.close()
