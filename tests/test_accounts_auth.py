"""Sign-up, login and passwords are allauth's: these tests pin how we configured them."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
LOGIN = reverse("account_login")
SIGNUP = reverse("account_signup")


def test_it_signs_up_with_email_and_password_only(client):
    response = client.get(SIGNUP)
    assert response.status_code == 200
    (form,) = [  # the sign-up form (every page also has the language switch's)
        form
        for form in re.findall(rb"<form.*?</form>", response.content, re.S)
        if b"password1" in form
    ]
    inputs = re.findall(rb'<input[^>]+name="[a-z0-9_]+"[^>]*>', form)
    typed = {re.search(rb'name="([a-z0-9_]+)"', i)[1] for i in inputs if b'type="hidden"' not in i}
    hidden = {re.search(rb'name="([a-z0-9_]+)"', i)[1] for i in inputs if b'type="hidden"' in i}
    assert typed == {b"email", b"password1", b"password2"}
    # The browser's time zone goes along unseen (static/js/onboarding.js fills it in).
    assert hidden == {b"csrfmiddlewaretoken", b"tz_guess"}


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", b"at least 8 characters"),
        ("password123", b"too common"),
        ("83749283749", b"entirely numeric"),
        ("alicesmith@example", b"too similar"),
    ],
)
def test_it_refuses_weak_passwords_at_sign_up(client, password, message):
    response = client.post(
        SIGNUP,
        {
            "email": "alicesmith@example.com",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 200
    assert message in response.content
    assert not User.objects.exists()


def test_it_refuses_a_second_account_with_the_same_email(client, alice):
    response = client.post(
        SIGNUP,
        {
            "email": "ALICE@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert User.objects.count() == 1
    # allauth does not reveal that the address is taken; it emails the owner instead.
    assert response["Location"] == reverse("account_email_verification_sent")
    assert mail.outbox[0].to == ["alice@example.com"]


def test_it_logs_in_by_email(client, alice):
    response = client.post(LOGIN, {"login": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_it_refuses_a_wrong_password(client, alice):
    response = client.post(LOGIN, {"login": "alice@example.com", "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert b"The email address and/or password you specified are not correct." in (response.content)


def test_it_refuses_the_sixth_bad_password_in_five_minutes_even_with_the_right_one(client, alice):
    for _ in range(5):
        response = client.post(LOGIN, {"login": "alice@example.com", "password": "guess"})
        assert b"Too many failed login attempts" not in response.content
    response = client.post(LOGIN, {"login": "alice@example.com", "password": "guess"})
    assert b"Too many failed login attempts" in response.content
    response = client.post(LOGIN, {"login": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 200
    assert b"Too many failed login attempts" in response.content
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_it_limits_bad_passwords_per_ip_across_accounts(client, alice, bob):
    # Five per account (above), and twenty per client on any accounts.
    for n in range(20):
        response = client.post(LOGIN, {"login": f"user{n // 5}@example.com", "password": "guess"})
        assert b"Too many failed login attempts" not in response.content
    response = client.post(LOGIN, {"login": "bob@example.com", "password": PASSWORD})
    assert b"Too many failed login attempts" in response.content


def test_it_sets_an_httponly_session_cookie_on_login(client, alice):
    response = client.post(LOGIN, {"login": "alice@example.com", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def project_settings(names, **env_changes):
    """Settings as a fresh process computes them from the given environment."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_BACKEND")
    }
    env.update(env_changes)
    code = "from django.conf import settings as s; " + "; ".join(
        f"print(s.{name})" for name in names
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-len(names) :]


def test_it_marks_session_and_csrf_cookies_secure_under_https():
    names = ["SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE"]
    assert project_settings(names, SECURE_HTTPS="True") == ["True", "True", "True"]


def test_it_sends_emails_to_the_console_unless_configured():
    # Every email goes through a background job, which delivers it with this backend.
    names = ["EMAIL_BACKEND", "EMAIL_DELIVERY_BACKEND"]
    assert project_settings(names) == [
        "core.mail.QueuedEmailBackend",
        "django.core.mail.backends.console.EmailBackend",
    ]
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    assert project_settings(names, EMAIL_BACKEND=smtp) == ["core.mail.QueuedEmailBackend", smtp]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("account_login", {"login": "alice@example.com", "password": PASSWORD}),
        (
            "account_signup",
            {"email": "x@example.com", "password1": PASSWORD, "password2": PASSWORD},
        ),
        ("account_reset_password", {"email": "alice@example.com"}),
    ],
)
def test_it_refuses_auth_forms_without_a_csrf_token(alice, name, data):
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse(name), data).status_code == 403


@pytest.mark.parametrize(
    ("name", "args", "data"),
    [
        (
            "accounts:profile",
            [],
            {"display_name": "Mallory", "units": "kg", "timezone": "UTC", "language": "en"},
        ),
        ("accounts:delete", [], {"password": PASSWORD}),
        ("accounts:invitation_create", [], {}),
        ("account_logout", [], {}),
    ],
)
def test_it_refuses_our_forms_without_a_csrf_token(carol, name, args, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    assert client.post(reverse(name, args=args), data).status_code == 403
    carol.refresh_from_db()
    assert carol.display_name == "Carol"


@pytest.mark.parametrize(
    ("name", "logged_in"),
    [
        ("account_login", False),
        ("account_signup", False),
        ("account_reset_password", False),
        ("accounts:profile", True),
        ("accounts:delete", True),
        ("accounts:invitation_list", True),
        ("account_change_password", True),
        ("account_email", True),
        ("account_logout", True),
    ],
)
def test_it_puts_a_csrf_token_in_every_post_form(client, carol, name, logged_in):
    if logged_in:
        client.force_login(carol)
    content = client.get(reverse(name)).content.decode()
    forms = re.findall(r'<form[^>]*method="post".*?</form>', content, flags=re.S | re.I)
    if not logged_in:
        # A visitor's language switch has none, by design: it only sets their own cookie,
        # and must fit in pages kept whole for everyone (accounts.views.language_switch).
        forms = [form for form in forms if 'class="language-switch"' not in form]
    assert forms
    for form in forms:
        assert 'name="csrfmiddlewaretoken"' in form, form[:200]


def test_it_resets_a_forgotten_password_by_email(client, alice):
    response = client.post(reverse("account_reset_password"), {"email": "alice@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    response = client.get(path.group(1), follow=True)
    assert b"Choose a new password" in response.content
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path.group(1)
    response = client.post(
        form_url, {"password1": "brand-new-pass-77", "password2": "brand-new-pass-77"}
    )
    assert response.status_code == 302
    assert (
        client.post(
            LOGIN, {"login": "alice@example.com", "password": "brand-new-pass-77"}
        ).status_code
        == 302
    )


def test_it_shows_a_clear_page_for_a_broken_reset_link(client):
    response = client.get("/accounts/password/reset/key/zz-not-a-key/")
    assert response.status_code == 200
    assert b"This link no longer works" in response.content


def test_it_changes_the_password_when_logged_in(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "another-long-pass-88",
            "password2": "another-long-pass-88",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another-long-pass-88")


def test_it_renders_allauth_pages_in_the_site_layout(client):
    content = client.get(LOGIN).content.decode()
    assert 'class="skip-link' in content
    assert "<title>Log in · HomeStrength</title>" in content
    assert "form-control" in content
