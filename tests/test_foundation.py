"""The foundation: settings parsing, deploy checks, health check, home page, container."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse

from exercises.models import LibraryRevision

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "False",
    "SECRET_KEY": "k8Tq-very-long-and-random-production-secret-4fZp9wXc2LmN7vB1sD3gH6jR0",
    "ALLOWED_HOSTS": "homestrength.example",
    "CSRF_TRUSTED_ORIGINS": "https://homestrength.example",
    "SECURE_HTTPS": "True",
}


def manage(*args, env=None):
    skip = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env = {k: v for k, v in os.environ.items() if k not in skip}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_the_deploy_checks_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_flags_the_development_secret_key_in_the_deploy_checks():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "yes"),
        ("SECURE_HTTPS", "on"),
        ("EMAIL_PORT", "twenty-five"),
        ("CSRF_TRUSTED_ORIGINS", "homestrength.example"),
        ("DATABASE_URL", "nonsense://x"),
        ("ACCOUNT_EMAIL_VERIFICATION", "sometimes"),
    ],
)
def test_it_refuses_a_malformed_setting(name, value):
    result = manage("check", env={name: value})
    assert result.returncode != 0
    assert name in result.stderr


# Run by manage.py shell on a SQLite file, as settings.py configures it from DATABASE_URL.
SQLITE_PROBE = """
import sqlite3
from django.db import connection, transaction

with connection.cursor() as cursor:
    for name in ("journal_mode", "synchronous", "busy_timeout"):
        cursor.execute(f"PRAGMA {name}")
        print(name, cursor.fetchone()[0])
other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
with transaction.atomic():  # nothing written yet: IMMEDIATE holds the write lock already
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        print("second writer", exc)
print("connection kept", connection.settings_dict["CONN_MAX_AGE"])
"""


def test_it_tunes_sqlite_for_several_workers(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = manage("shell", "-v", "0", "-c", SQLITE_PROBE, env={"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "journal_mode wal",
        "synchronous 1",  # NORMAL
        "busy_timeout 20000",
        "second writer database is locked",
        "connection kept 600",
    ]


def test_it_checks_a_postgresql_connection_before_reusing_it():
    probe = "from django.db import connection as c; print(c.settings_dict['CONN_HEALTH_CHECKS'])"
    # No connection is opened: the address only has to parse.
    result = manage(
        "shell", "-v", "0", "-c", probe, env={"DATABASE_URL": "postgres://u@127.0.0.1:1/x"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True"]


def test_the_library_fixture_leaves_what_load_library_leaves(library):
    """tests/conftest.py copies the rows load_library wrote once: loading again changes none."""
    out = StringIO()
    call_command("load_library", stdout=out)
    pattern = r"Library unchanged: [1-9]\d* ladders, [1-9]\d* exercises, 0 changes\.\n"
    assert re.fullmatch(pattern, out.getvalue()), out.getvalue()
    assert LibraryRevision.current() > 0


def test_it_answers_healthz_after_a_database_round_trip(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert not response.cookies


def test_it_answers_503_when_the_database_is_unreachable(client, db):
    with mock.patch("core.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_it_refuses_to_post_to_healthz(client, db):
    assert client.post("/healthz").status_code == 405


def test_it_shows_the_home_page_with_sign_up_and_the_library(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("account_signup") in html
    assert reverse("account_login") in html
    assert reverse("exercises:list") in html
    assert '<html lang="en">' in html
    assert 'name="viewport"' in html
    assert 'href="#main"' in html


def test_it_sends_security_headers(client, db):
    response = client.get(reverse("home"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_it_shows_404_pages_in_the_site_layout(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"HomeStrength" in response.content
    assert b"Page not found" in response.content


def test_it_serves_hashed_static_files_with_far_future_caching():
    from django.utils.module_loading import import_string
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    from homestrength import settings  # the module, not the test-time override

    backend = import_string(settings.STORAGES["staticfiles"]["BACKEND"])
    assert issubclass(backend, CompressedManifestStaticFilesStorage)
    assert settings.WHITENOISE_MAX_AGE >= 31536000


def test_it_vendors_every_front_end_file():
    base = (ROOT / "templates" / "base.html").read_text()
    assert "https://" not in base.replace("https://www.w3.org", "")
    for path in ["vendor/bootstrap/bootstrap.min.css", "vendor/htmx/htmx.min.js"]:
        assert (ROOT / "static" / path).exists()


def test_it_has_a_clean_dockerfile():
    hadolint = Path(sys.executable).parent / "hadolint"
    result = subprocess.run(
        [str(hadolint), str(ROOT / "Dockerfile")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_marks_the_current_menu_entry_and_shows_coach_entries_to_coaches_only(
    client, alice, carol
):
    coach_link = 'href="/coach/"'
    client.force_login(carol)
    html = client.get("/sessions/").content.decode()
    assert 'aria-current="page" href="/sessions/"' in html and coach_link in html
    client.force_login(alice)  # the same menu entry, from the cache, for another role
    html = client.get("/sessions/").content.decode()
    assert 'aria-current="page" href="/sessions/"' in html and coach_link not in html
    html = client.get("/runs/").content.decode()
    assert 'aria-current="page" href="/runs/"' in html
    assert 'aria-current="page" href="/sessions/"' not in html
    assert 'action="/accounts/logout/"' in html and "csrfmiddlewaretoken" in html
    client.logout()
    html = client.get("/exercises/").content.decode()
    assert "Log in" in html and "Log out" not in html and "/sessions/" not in html
