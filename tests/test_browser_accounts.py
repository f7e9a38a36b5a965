"""Accounts in a real Chromium on a phone: sign up, fill in the profile, invite and accept."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import CoachLink, User
from tests.a11y import assert_accessible, assert_no_horizontal_scroll
from tests.conftest import PASSWORD, emailed_code, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email, *, second_step=False):
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if second_step:  # coaches have an authenticator app (tests/conftest.py)
        page.wait_for_url("**/accounts/2fa/authenticate/")
        page.get_by_label("Code").fill(totp_code())
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)


def test_it_signs_up_and_fills_in_the_profile_on_a_phone(phone, library):
    phone.goto("/accounts/signup/")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "sign-up page")
    phone.locator("#id_email").fill("runner@example.com")
    phone.locator("#id_password1").fill(PASSWORD)
    phone.locator("#id_password2").fill(PASSWORD)
    phone.get_by_role("button", name="Sign up").click()

    phone.wait_for_url("**/accounts/confirm-email/")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "email code page")
    phone.get_by_label("Code").fill(emailed_code(mail.outbox[-1]))
    phone.get_by_role("button", name="Confirm").click()
    # The first-run steps come first (tests/test_browser_onboarding.py); the profile edits
    # the same answers.
    phone.wait_for_url("**/welcome/")
    phone.goto("/accounts/profile/")
    expect(phone.get_by_role("heading", name="Your profile")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "profile page")

    phone.get_by_label("Dumbbells", exact=True).check()
    phone.get_by_label("Resistance band").check()
    phone.get_by_label("Dumbbell weights I own (kg)").fill("8, 4, six")
    phone.get_by_role("button", name="Save profile").click()
    # A typo gets a clear message, in an accessible form.
    expect(phone.get_by_text("Type the weights as numbers separated by commas")).to_be_visible()
    assert_accessible(phone, "profile page with an error")

    phone.get_by_label("Dumbbell weights I own (kg)").fill("8, 4, 6.5")
    phone.get_by_label("Time zone").select_option("Europe/London")
    phone.get_by_label("Typical weekly running distance (km)").fill("45")
    phone.get_by_label("Tuesday").check()
    phone.get_by_role("button", name="Save profile").click()

    expect(phone.get_by_text("Your profile is saved.")).to_be_visible()
    assert phone.get_by_label("Dumbbells", exact=True).is_checked()
    assert phone.get_by_label("Resistance band").is_checked()
    assert phone.get_by_label("Dumbbell weights I own (kg)").input_value() == "4, 6.5, 8"
    assert phone.get_by_label("Time zone").input_value() == "Europe/London"
    assert phone.get_by_label("Tuesday").is_checked()
    user = User.objects.get(email="runner@example.com")
    assert user.dumbbells_kg == [4, 6.5, 8]
    assert user.hard_run_days == [1]
    assert user.weekly_km == 45


def test_it_invites_an_athlete_who_accepts_on_a_phone(phone, alice, dave):
    log_in(phone, "dave@example.com", second_step=True)
    phone.goto("/accounts/invitations/")
    phone.get_by_label("Anyone with this link can join").check()
    phone.get_by_role("button", name="Create invitation link").click()
    expect(phone.get_by_text("Your invitation link is ready.")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "athletes page")
    link = phone.get_by_label("Invitation link").input_value()

    phone.context.clear_cookies()
    log_in(phone, "alice@example.com")
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Dave would like to coach you")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "invitation page")
    phone.get_by_role("button", name="Accept").click()

    phone.wait_for_url("**/accounts/profile/")
    expect(phone.get_by_text("Dave is now your coach")).to_be_visible()
    assert CoachLink.objects.active().filter(coach=dave, athlete=alice).exists()
    phone.get_by_text("End this link").click()
    phone.get_by_role("button", name="End the link with Dave").click()
    expect(phone.get_by_text("Dave is no longer your coach")).to_be_visible()
    assert not dave.coached_athletes().exists()


def test_it_keeps_the_login_and_delete_pages_accessible(phone, alice):
    phone.goto("/accounts/login/")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "login page")
    log_in(phone, "alice@example.com")
    phone.goto("/accounts/delete/")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "delete page")


def test_it_sets_up_an_authenticator_app_on_a_phone(phone, alice):
    log_in(phone, "alice@example.com")
    phone.goto("/accounts/profile/")
    phone.get_by_role("link", name="Two-step login").click()
    phone.wait_for_url("**/accounts/2fa/")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "two-step login page")
    phone.get_by_role("link", name="Set up an authenticator app").click()

    phone.wait_for_url("**/accounts/reauthenticate/**")
    assert_accessible(phone, "password again page")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Confirm").click()

    phone.wait_for_url("**/accounts/2fa/totp/activate/")
    expect(phone.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "authenticator set-up page")
    secret = phone.get_by_label("Key for your app").input_value()
    phone.get_by_label("Authenticator code").fill(totp_code(secret))
    phone.get_by_role("button", name="Turn on").click()

    phone.wait_for_url("**/accounts/2fa/recovery-codes/")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "recovery codes page")
    assert len(phone.get_by_label("Unused codes").input_value().split()) == 10
    assert alice.authenticator_set.filter(type="totp").exists()
