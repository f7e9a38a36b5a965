"""Accounts hardening (issue 11): the admin behind the app's login, addresses that count only
once confirmed, lockouts per account and per client, and a second login step."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.http import int_to_base36
from django.views.debug import SafeExceptionReporterFilter

from accounts.models import User
from tests.conftest import PASSWORD, emailed_code, totp_code
from tests.test_accounts_auth import project_settings

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
SIGNUP = reverse("account_signup")
CODE_PAGE = reverse("account_email_verification_sent")
MFA = reverse("mfa_index")
MFA_LOGIN = reverse("mfa_authenticate")
PROFILE = reverse("accounts:profile")
LOCKED = b"Too many failed login attempts"


def log_in(client, email, password=PASSWORD, **headers):
    return client.post(LOGIN, {"login": email, "password": password}, headers=headers)


def is_logged_in(client):
    return client.get(PROFILE).status_code == 200


# --- The admin ----------------------------------------------------------------------------


def test_it_sends_the_admin_login_to_the_apps_login(client, staff):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Fadmin%2F"
    response = client.post("/admin/login/", {"username": "sam@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert client.get("/admin/").status_code == 302


def test_it_never_logs_in_through_the_admins_own_form_after_guesses(client, staff):
    for _ in range(12):
        client.post("/admin/login/", {"username": "sam@example.com", "password": "guess"})
    client.post("/admin/login/", {"username": "sam@example.com", "password": PASSWORD})
    assert client.get("/admin/").status_code == 302
    # The app's login, the only one left, counts the guesses.
    for _ in range(5):
        log_in(client, "sam@example.com", "guess")
    assert LOCKED in log_in(client, "sam@example.com").content


def test_it_asks_staff_for_the_second_step_before_the_admin(client, staff):
    response = client.post(
        f"{LOGIN}?next=/admin/",
        {
            "login": "sam@example.com",
            "password": PASSWORD,
            "next": "/admin/",
        },
    )
    assert response["Location"] == MFA_LOGIN
    assert client.get("/admin/").status_code == 302  # the password alone is not enough

    response = client.post(MFA_LOGIN, {"code": "000000"})
    assert b"Incorrect code" in response.content
    response = client.post(MFA_LOGIN, {"code": totp_code()})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_it_sends_staff_without_a_second_step_to_set_one_up(client, staff):
    Authenticator.objects.filter(user=staff).delete()
    client.force_login(staff)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == MFA
    page = client.get(MFA).content.decode()
    assert "Staff pages show everyone's data, so staff need a second step" in page


def test_it_sends_a_coach_without_a_second_step_to_set_one_up(client, dave):
    Authenticator.objects.filter(user=dave).delete()
    client.force_login(dave)
    for url in [reverse("coaching:dashboard"), reverse("accounts:invitation_list")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == MFA
    page = client.get(MFA).content.decode()
    assert "As a coach you can see your athletes' training" in page


def test_it_lets_a_coach_without_a_second_step_reach_no_athlete(client, library, carol, alice):
    from coaching.models import Comment, Routine
    from tests.coaching import make_workout

    workout = make_workout(alice)
    Authenticator.objects.filter(user=carol).delete()
    client.force_login(carol)

    assert client.get(reverse("runs:athlete_list", args=[alice.pk])).status_code == 404
    comment = client.post(reverse("coaching:comment_create", args=[workout.pk]), {"body": "Hi"})
    assert comment.status_code == 404
    assign_url = reverse("coaching:routine_assign", args=[Routine.objects.seed().pk])
    page = client.get(assign_url)
    assert page.status_code == 200
    assert "Alice" not in page.content.decode()
    assert not Comment.objects.exists()


def test_it_offers_the_second_step_to_everyone_else_without_requiring_it(client, alice):
    client.force_login(alice)
    assert reverse("mfa_index").encode() in client.get(PROFILE).content
    page = client.get(MFA).content.decode()
    assert "Set up an authenticator app" in page
    assert "As a coach" not in page
    assert client.get(reverse("exercises:list")).status_code == 200


# --- Email addresses ----------------------------------------------------------------------


def add_address(client, email):
    return client.post(reverse("account_email"), {"email": email, "action_add": ""})


def test_it_does_not_let_an_address_be_taken_from_another_account(client, alice, bob):
    EmailAddress.objects.filter(user=bob).update(verified=False)  # Bob never confirmed it
    client.force_login(alice)
    free = add_address(client, "alice.new@example.com")
    taken = add_address(client, "bob@example.com")
    # The answer is the same as for a free address: nothing says Bob has an account.
    assert (taken.status_code, taken["Location"]) == (free.status_code, free["Location"])
    page = client.get(CODE_PAGE).content.decode()
    assert "We sent a 6-digit code to <strong>bob@example.com</strong>" in page

    # Even Bob's code (which only Bob receives) does not move his address.
    code = emailed_code(mail.outbox[-1])
    response = client.post(CODE_PAGE, {"code": code})
    assert response.status_code == 200
    assert not EmailAddress.objects.filter(user=alice, email="bob@example.com").exists()
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"


def test_it_mails_a_password_reset_only_to_the_addresses_owner(client, alice, bob):
    EmailAddress.objects.filter(user=bob).update(verified=False)
    client.force_login(alice)
    add_address(client, "bob@example.com")
    client.logout()
    mail.outbox.clear()

    client.post(reverse("account_reset_password"), {"email": "bob@example.com"})
    assert [message.to for message in mail.outbox] == [["bob@example.com"]]
    links = re.findall(r"/accounts/password/reset/key/(\w+)-", mail.outbox[0].body)
    assert links == [int_to_base36(bob.pk)]


def test_it_replaces_the_address_once_its_code_is_confirmed(client, alice):
    client.force_login(alice)
    add_address(client, "alice.new@example.com")
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"  # not before the code
    assert mail.outbox[-1].to == ["alice.new@example.com"]
    response = client.post(CODE_PAGE, {"code": emailed_code(mail.outbox[-1])})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.email == "alice.new@example.com"
    assert list(EmailAddress.objects.filter(user=alice).values_list("email", "verified")) == [
        ("alice.new@example.com", True)
    ]


def test_it_keeps_an_unconfirmed_address_from_logging_in(client, alice):
    EmailAddress.objects.filter(user=alice).update(verified=False)
    response = log_in(client, "alice@example.com")
    assert response["Location"] == CODE_PAGE
    assert not is_logged_in(client)
    client.post(CODE_PAGE, {"code": emailed_code(mail.outbox[-1])})
    assert is_logged_in(client)


def test_it_answers_sign_up_the_same_whether_or_not_the_address_has_an_account(client, alice):
    answers = []
    for email in ["alice@example.com", "newcomer@example.com"]:
        visitor = Client()
        response = visitor.post(
            SIGNUP, {"email": email, "password1": PASSWORD, "password2": PASSWORD}, follow=True
        )
        answers.append((response.redirect_chain, response.content.decode().replace(email, "")))
    assert answers[0][0] == answers[1][0] == [(CODE_PAGE, 302)]
    assert answers[0][1].count("<h1") == 1
    assert re.search(r"<h1[^>]*>([^<]+)", answers[0][1]).group(1) == re.search(
        r"<h1[^>]*>([^<]+)", answers[1][1]
    ).group(1)
    assert "already" not in answers[0][1]
    assert User.objects.filter(email="alice@example.com").count() == 1
    # Alice hears about the attempt; only the newcomer gets a code.
    assert [message.to for message in mail.outbox] == [
        ["alice@example.com"],
        ["newcomer@example.com"],
    ]
    assert not re.search(r"^\d{6}$", mail.outbox[0].body, flags=re.M)


def test_it_signs_up_with_the_emailed_code(client):
    response = client.post(
        SIGNUP, {"email": "runner@example.com", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response["Location"] == CODE_PAGE
    assert not is_logged_in(client)
    response = client.post(CODE_PAGE, {"code": "000000"})
    assert b"Incorrect code" in response.content
    response = client.post(CODE_PAGE, {"code": emailed_code(mail.outbox[-1])})
    assert response["Location"] == reverse("onboarding:equipment")  # the first-run steps
    assert is_logged_in(client)


# --- Lockouts -----------------------------------------------------------------------------


def test_it_locks_one_account_without_locking_the_others_from_the_same_ip(client, alice, bob):
    for _ in range(5):
        log_in(client, "alice@example.com", "guess")
    assert LOCKED in log_in(client, "alice@example.com").content
    assert log_in(client, "bob@example.com").status_code == 302


def test_it_counts_each_client_behind_a_trusted_proxy_apart(settings, alice, bob):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attacker, runner = Client(), Client()
    for n in range(20):
        log_in(attacker, f"someone{n // 5}@example.com", "guess", X_Forwarded_For="203.0.113.7")
    assert LOCKED in log_in(attacker, "bob@example.com", X_Forwarded_For="203.0.113.7").content
    response = log_in(runner, "alice@example.com", X_Forwarded_For="198.51.100.20")
    assert response.status_code == 302


def test_it_counts_everyone_behind_an_untrusted_proxy_as_one_client(settings, alice, bob):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0  # why TRUSTED_PROXY_COUNT must be set there
    attacker, runner = Client(), Client()
    for n in range(20):
        log_in(attacker, f"someone{n // 5}@example.com", "guess", X_Forwarded_For="203.0.113.7")
    response = log_in(runner, "alice@example.com", X_Forwarded_For="198.51.100.20")
    assert LOCKED in response.content


def test_it_reads_trusted_proxy_count_from_the_environment():
    assert project_settings(["ALLAUTH_TRUSTED_PROXY_COUNT"], TRUSTED_PROXY_COUNT="1") == ["1"]


@pytest.mark.parametrize("value", ["one", "-1"])
def test_it_refuses_a_malformed_trusted_proxy_count(value):
    with pytest.raises(AssertionError, match="TRUSTED_PROXY_COUNT must be"):
        project_settings(["ALLAUTH_TRUSTED_PROXY_COUNT"], TRUSTED_PROXY_COUNT=value)


# --- The second login step ----------------------------------------------------------------


def confirm_password(client):
    """Changing the second step asks for the password again, however recent the login."""
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


def test_it_sets_up_an_authenticator_app_and_asks_for_its_code_at_login(client, alice):
    log_in(client, "alice@example.com")
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(
        reverse("account_reauthenticate")
    )
    confirm_password(client)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert b'src="data:image/svg+xml;base64,' in page.content
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=alice, type="totp").exists()
    assert Authenticator.objects.filter(user=alice, type="recovery_codes").exists()

    client.post(reverse("account_logout"))
    cache.clear()  # the app's code is accepted once per 30 s; a person waits for the next
    response = log_in(client, "alice@example.com")
    assert response["Location"] == MFA_LOGIN
    assert not is_logged_in(client)
    client.post(MFA_LOGIN, {"code": totp_code(secret)})
    assert is_logged_in(client)


def test_it_logs_in_once_with_each_recovery_code(client, carol):
    codes = RecoveryCodes.activate(carol).generate_codes()
    log_in(client, "carol@example.com")
    response = client.post(MFA_LOGIN, {"code": codes[0]})
    assert response.status_code == 302
    assert is_logged_in(client)

    client.post(reverse("account_logout"))
    log_in(client, "carol@example.com")
    response = client.post(MFA_LOGIN, {"code": codes[0]})
    assert b"Incorrect code" in response.content
    assert not is_logged_in(client)


def test_it_shows_the_authenticator_pages_in_the_site_layout(client, alice):
    log_in(client, "alice@example.com")
    confirm_password(client)
    for name in ["mfa_index", "mfa_activate_totp", "mfa_add_webauthn"]:
        page = client.get(reverse(name)).content.decode()
        assert 'class="skip-link' in page, name
        assert 'class="auth-page"' in page, name
        # The Content-Security-Policy runs no inline script: files, or JSON data for them.
        for tag in re.findall(r"<script[^>]*>", page):
            assert " src=" in tag or 'type="application/json"' in tag, tag
        assert " style=" not in page, name


def test_it_keeps_each_persons_keys_to_themselves(client, alice, carol):
    key = Authenticator.objects.create(
        user=carol, type="webauthn", data={"name": "Carol's phone", "credential": {}}
    )
    log_in(client, "alice@example.com")
    confirm_password(client)
    assert client.get(reverse("mfa_edit_webauthn", args=[key.pk])).status_code == 404
    assert client.post(reverse("mfa_remove_webauthn", args=[key.pk])).status_code == 404
    assert Authenticator.objects.filter(pk=key.pk).exists()


# --- Passwords in error reports -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (reverse("accounts:delete"), "password"),
        (LOGIN, "password"),
        (SIGNUP, "password1"),
        (reverse("account_change_password"), "oldpassword"),
        (reverse("account_reauthenticate"), "password"),
        ("/accounts/password/reset/key/1-set-password/", "password1"),
    ],
)
def test_it_hides_passwords_from_error_reports(client, alice, url, field):
    if url != LOGIN and url != SIGNUP:
        client.force_login(alice)
    response = client.post(url, {field: "hunter2-secret"})
    hidden = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert hidden[field] == SafeExceptionReporterFilter.cleansed_substitute
