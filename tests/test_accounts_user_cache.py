"""accounts.middleware: the logged-in user comes from the cache, never a stale one."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.middleware import user_cache, user_key
from accounts.models import User

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


def user_queries(client, url=PROFILE):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    selects = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "accounts_user"."id", "accounts_user"."password"')
    ]
    return response, selects


def test_it_loads_no_user_row_once_logged_in(client, alice):
    client.force_login(alice)
    response, selects = user_queries(client)
    assert response.status_code == 200 and selects == []
    assert user_queries(client)[1] == []


def test_it_sees_a_profile_change_on_the_next_request(client, alice):
    client.force_login(alice)
    client.get(PROFILE)
    alice.display_name = "Alice Runner"
    alice.save()
    response, selects = user_queries(client)
    assert response.context["user"].display_name == "Alice Runner" and len(selects) == 1


def deactivate(user):
    user.is_active = False
    user.save()


def change_password(user):
    user.set_password("a new long passphrase 42")
    user.save()


@pytest.mark.parametrize("change", [deactivate, change_password, lambda user: user.delete()])
def test_it_logs_out_at_once_a_deactivated_repassworded_or_deleted_account(client, alice, change):
    client.force_login(alice)
    client.get(PROFILE)  # the user is cached now
    change(alice)
    response = client.get(PROFILE)
    assert response.status_code == 302 and "login" in response.url


def test_it_does_not_take_a_cached_user_for_a_session_without_its_hash(client, alice, bob):
    from django.contrib.auth import HASH_SESSION_KEY

    client.force_login(alice)
    client.get(PROFILE)
    session = client.session
    session[HASH_SESSION_KEY] = "forged"
    session.save()
    response = client.get(PROFILE)
    assert response.status_code == 302 and "login" in response.url


def test_it_logs_out_a_user_deactivated_in_a_transaction_despite_a_request_meanwhile(
    client, alice, django_capture_on_commit_callbacks
):
    # The admin saves inside a transaction. A request by the same user between the save and
    # the COMMIT still reads the active row and caches it again; it must not outlive COMMIT.
    from accounts.middleware import USER_SECONDS, user_cache, user_key

    client.force_login(alice)
    client.get(PROFILE)
    active = User.objects.get(pk=alice.pk)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        deactivate(alice)
        user_cache().set(user_key(alice.pk), active, USER_SECONDS)  # the request meanwhile
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert "login" in response.url


# --- A coach's second login step, kept on the cached row ------------------------------------


def test_a_coach_page_asks_no_query_for_the_second_step_once_the_row_is_cached(client, carol):
    client.force_login(carol)
    assert client.get(reverse("coaching:dashboard")).status_code == 200  # caches the row
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("coaching:dashboard")).status_code == 200
    # allauth's own test, "SELECT 1 … FROM mfa_authenticator WHERE user_id = … LIMIT 1".
    asked = [q for q in queries.captured_queries if 'FROM "mfa_authenticator" WHERE' in q["sql"]]
    assert asked == []


def test_removing_the_authenticator_closes_the_coach_area_at_once(
    client, carol, django_capture_on_commit_callbacks
):
    from allauth.mfa.models import Authenticator

    client.force_login(carol)
    assert client.get(reverse("coaching:dashboard")).status_code == 200
    assert user_cache().get(user_key(carol.pk)).has_second_step()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Authenticator.objects.filter(user=carol).delete()
    response = client.get(reverse("coaching:dashboard"))
    assert response.status_code == 302 and response.url == reverse("mfa_index")


def test_adding_an_authenticator_opens_the_coach_area_at_once(client, carol):
    from allauth.mfa.models import Authenticator

    from tests.conftest import add_authenticator_app

    Authenticator.objects.filter(user=carol).delete()
    client.force_login(carol)
    assert client.get(reverse("coaching:dashboard")).status_code == 302
    add_authenticator_app(carol)
    assert client.get(reverse("coaching:dashboard")).status_code == 200


def test_a_login_right_after_setting_up_the_authenticator_opens_the_coach_area(client, dave):
    from allauth.mfa.models import Authenticator

    from tests.conftest import add_authenticator_app

    Authenticator.objects.filter(user=dave).delete()
    assert not dave.has_second_step()  # asked, and kept on this very object
    add_authenticator_app(dave)
    client.force_login(dave)  # the login caches this object's row
    assert client.get(reverse("coaching:dashboard")).status_code == 200
