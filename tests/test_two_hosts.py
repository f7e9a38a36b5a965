"""Two app hosts, one PostgreSQL and one Redis, behave as one site.

Each host is a real gunicorn process with a folder of its own (``VAR_DIR``: its file caches,
its static files), as two machines behind a proxy would be; they share the test database
and one Redis (``REDIS_URL``), under a key prefix of this test run's own. A person's
browser goes from one host to the other between requests, as a proxy may send it.

Each test uses an account of its own: the hosts' Redis keys (rate limits, sessions) outlive
a test, as they would in production.
"""

import re
import uuid

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.conftest import PASSWORD, make_user
from tests.services import (
    SITE_HOST,
    Browser,
    child_env,
    database_url,
    delete_keys,
    redis_url,
    start_hosts,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason=(
            "the tests' SQLite database is in memory, out of reach of other processes; the "
            "PostgreSQL run of CI (.ci/run) runs these tests with Redis"
        ),
    ),
]

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"
PROFILE = "/accounts/profile/"


@pytest.fixture(scope="module")
def hosts(django_db_setup, django_db_blocker, tmp_path_factory, test_run_id):
    url = redis_url()
    prefix = f"{test_run_id}-hosts"
    env = child_env(
        DATABASE_URL=database_url(connection.settings_dict),
        REDIS_URL=url,
        CACHE_KEY_PREFIX=prefix,
        SECRET_KEY=f"two-hosts-{uuid.uuid4().hex}",
        ALLOWED_HOSTS=f"{SITE_HOST},127.0.0.1",
    )
    servers = start_hosts(tmp_path_factory.mktemp("hosts"), env)
    yield servers
    for server in servers:
        server.stop()
    delete_keys(url, prefix)


def athlete(django_user_model, name):
    """A new athlete, whose password the hosts can check (they hash as production does,
    not with the tests' quick hasher)."""
    user = make_user(django_user_model, f"{name}-{uuid.uuid4().hex[:8]}@example.com")
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    return user


def log_in(browser, host, user, password=PASSWORD):
    return browser.post(host.url + LOGIN, {"login": user.email, "password": password})


def test_a_login_on_one_host_works_on_the_other(hosts, django_user_model):
    a, b = hosts
    user = athlete(django_user_model, "login")
    browser = Browser()
    status, address, _ = log_in(browser, a, user)
    assert status == 200 and not address.endswith(LOGIN)
    status, address, page = browser.get(b.url + PROFILE)
    assert (status, address) == (200, b.url + PROFILE)
    assert user.email in page


def test_a_logout_on_one_host_ends_the_session_on_the_other(hosts, django_user_model):
    """Logging out ends the session itself, not only this browser's cookie: a copy of the
    cookie (another device, someone who took it) is logged out on every host. Sessions are
    read from the cache first: with a cache of its own, host B would still find the
    session it had read before the logout on host A."""
    a, b = hosts
    user = athlete(django_user_model, "logout")
    browser = Browser()
    log_in(browser, a, user)
    copied = browser.copy()
    assert copied.get(b.url + PROFILE)[1] == b.url + PROFILE  # B has read the session
    status, _, _ = browser.post(a.url + LOGOUT, {})
    assert status == 200
    status, address, _ = copied.get(b.url + PROFILE)
    assert address.startswith(b.url + LOGIN)


def test_a_change_on_one_host_is_seen_on_the_others_next_page(hosts, django_user_model):
    """The logged-in user is cached beside the sessions: host B has it cached when host A
    saves a new name, and must not show the old one."""
    a, b = hosts
    user = athlete(django_user_model, "change")
    browser = Browser()
    log_in(browser, a, user)
    assert 'value="Runner B"' not in browser.get(b.url + PROFILE)[2]
    fields = {
        "display_name": "Runner B",
        "units": "kg",
        "timezone": "UTC",
        "language": "en",
    }
    status, address, _ = browser.post(a.url + PROFILE, fields)
    assert (status, address) == (200, a.url + PROFILE)
    _, _, page = browser.get(b.url + PROFILE)
    assert re.search(r'name="display_name"[^>]*value="Runner B"', page)


def test_login_rate_limits_count_on_every_host(hosts, django_user_model):
    """Five wrong passwords lock the account, wherever they were typed: three on one host
    and two on the other are five, so the next try is refused, on either host, even with
    the right password. Counted per host, neither would have reached five."""
    a, b = hosts
    user = athlete(django_user_model, "limits")
    browser = Browser()
    for host in (a, b, a, b, a):
        _, _, page = log_in(browser, host, user, "wrong-password-1")
        assert "Too many failed login attempts" not in page
    _, _, page = log_in(browser, b, user, "wrong-password-1")
    assert "Too many failed login attempts" in page
    _, address, page = log_in(browser, a, user)
    assert "Too many failed login attempts" in page
    assert address == a.url + LOGIN
    assert browser.get(b.url + PROFILE)[1].startswith(b.url + LOGIN)
