"""Shared fixtures: a small named cast of users, the shipped library, and a real browser.

The cast: Alice is an athlete, Bob is another athlete, Carol coaches Alice, Dave coaches
nobody, and Sam is staff.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

# Playwright's sync API runs an event loop in the test thread; the Django ORM calls made
# by the tests themselves are still synchronous, so allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {
    "viewport": {"width": 360, "height": 780},
    "device_scale_factor": 2.625,
    "is_mobile": True,
    "has_touch": True,
}  # Pixel 7 class, at the 360 px width we design for
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True, scope="session")
def _unhashed_static_files():
    """Tests render templates without running collectstatic first."""
    from django.conf import settings

    storage = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": storage}):
        yield


def pytest_collection_modifyitems(config, items):
    """Browser tests need Chromium: skip them locally without it, fail in CI."""
    if CHROMIUM.exists() or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (CI installs it)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: browser tests cannot run")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, **PHONE)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop(browser, live_server):
    context = browser.new_context(base_url=live_server.url, **DESKTOP)
    page = context.new_page()
    yield page
    context.close()


def _load_order(models):
    """``models`` with every model after the ones its foreign keys point to."""
    ordered, left = [], list(models)
    while left:
        for model in left:
            targets = {
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation and f.related_model is not model
            }
            if not targets & set(left):
                ordered.append(model)
                left.remove(model)
                break
        else:
            raise RuntimeError(f"foreign keys in a cycle: {left}")
    return ordered


@pytest.fixture(scope="session")
def _library_rows(django_db_setup, django_db_blocker):
    """The rows ``load_library`` adds to a new database, read once per test process; None
    if it also changed rows that were there before (then copies would not be the same).

    Loading runs full_clean on every row (about 0.3 s); hundreds of tests need the library.
    """
    from django.apps import apps
    from django.db import transaction

    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]

    def table(model):
        fields = [f.attname for f in model._meta.concrete_fields]
        pk = model._meta.pk.attname
        return {row[pk]: row for row in model._base_manager.values(*fields)}

    with django_db_blocker.unblock(), transaction.atomic():
        before = {model: table(model) for model in models}
        call_command("load_library", verbosity=0)
        after = {model: table(model) for model in models}
        transaction.set_rollback(True)
    rows = {}
    for model in models:
        if any(after[model].get(pk) != row for pk, row in before[model].items()):
            return None
        if new := [row for pk, row in sorted(after[model].items()) if pk not in before[model]]:
            rows[model] = new
    return {model: rows[model] for model in _load_order(rows)}


@pytest.fixture
def library(db, _library_rows):
    """The shipped library, as ``manage.py load_library`` leaves it."""
    from django.core.management.color import no_style
    from django.db import connection

    if _library_rows is None or any(model._base_manager.exists() for model in _library_rows):
        call_command("load_library", verbosity=0)  # copies would not match: the real thing
        return
    for model, rows in _library_rows.items():
        model._base_manager.bulk_create([model(**values) for values in rows])
    with connection.cursor() as cursor:  # PostgreSQL: ids after the ones written here
        for sql in connection.ops.sequence_reset_sql(no_style(), list(_library_rows)):
            cursor.execute(sql)


# Base32, as authenticator apps read it; codes come from allauth's own TOTP helpers.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def make_user(django_user_model, email, **extra):
    """A user as sign-up leaves them: their address confirmed. Coaches and staff also have
    an authenticator app, which the coach area and the admin require."""
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user(email=email, password=PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    if user.is_coach or user.is_staff:
        add_authenticator_app(user)
    return user


def add_authenticator_app(user, secret=TOTP_SECRET):
    from allauth.mfa.totp.internal.auth import TOTP

    return TOTP.activate(user, secret).instance


def totp_code(secret=TOTP_SECRET):
    """The code an authenticator app shows right now."""
    import time

    from allauth.mfa.totp.internal import auth

    # A code typed in the last seconds of its 30-second window can reach the server in
    # the next one, where it no longer counts: on a busy machine the login then fails.
    left = auth.app_settings.TOTP_PERIOD - time.time() % auth.app_settings.TOTP_PERIOD
    if left < 5:
        time.sleep(left + 0.1)
    counter = next(auth.yield_hotp_counters_from_time())
    return auth.format_hotp_value(auth.hotp_value(secret, counter))


def emailed_code(message) -> str:
    """The 6-digit code in an email that confirms an address."""
    import re

    return re.search(r"^(\d{6})$", message.body, flags=re.M).group(1)


@pytest.fixture
def alice(django_user_model):
    return make_user(django_user_model, "alice@example.com", display_name="Alice")


@pytest.fixture
def bob(django_user_model):
    return make_user(django_user_model, "bob@example.com", display_name="Bob")


@pytest.fixture
def staff(django_user_model):
    return make_user(django_user_model, "sam@example.com", is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True, scope="session")
def _jobs_run_at_once():
    """Unit tests run each background job inside the call that enqueues it (Django's
    immediate task backend), so a view's answer already shows the job's outcome. The
    tests in tests/test_jobs_worker.py enqueue on the database backend and start a real
    worker instead."""
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=immediate):
        yield


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Real hashing costs about 0.3 s per user; tests create many users. For the whole
    run, so that data shared by a module's tests is made with it too."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def _test_cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def test_run_id():
    """Names this test process apart from every other (other xdist workers, other runs)."""
    import uuid

    return f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{uuid.uuid4().hex[:12]}"


@pytest.fixture(autouse=True, scope="session")
def _test_cache_location(_test_cache_dir, test_run_id):
    """A folder of this test run's own, so parallel runs never share rate-limit counters
    (and data made outside a test, such as a module's shared cast, never lands in var/).
    With ``REDIS_URL`` the shared caches are on Redis: a key prefix of this process's own
    then, and clearing it deletes only this process's keys (``core.cache.RedisCache``)."""
    from django.conf import settings

    shared = dict(settings.CACHES)
    for alias, config in settings.CACHES.items():
        if config["BACKEND"] == "core.cache.RedisCache":
            shared[alias] = {**config, "KEY_PREFIX": f"{test_run_id}:{alias}"}
        elif alias == "default":
            shared[alias] = {**config, "LOCATION": _test_cache_dir}
    with override_settings(CACHES=shared):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache(_test_cache_location):
    """allauth keeps its rate-limit counters in the cache: no test inherits another's tries."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def carol(django_user_model, alice):
    """A coach, linked to Alice."""
    from accounts.models import CoachLink

    coach = make_user(django_user_model, "carol@example.com", display_name="Carol", is_coach=True)
    CoachLink.objects.create(coach=coach, athlete=alice)
    return coach


@pytest.fixture
def dave(django_user_model):
    """A coach with no athletes."""
    return make_user(django_user_model, "dave@example.com", display_name="Dave", is_coach=True)


@pytest.fixture
def erin(django_user_model, carol):
    """An athlete Carol coached until the link ended (Erin ended it)."""
    from accounts.models import CoachLink

    athlete = make_user(django_user_model, "erin@example.com", display_name="Erin")
    CoachLink.objects.create(coach=carol, athlete=athlete).end(by=athlete)
    return athlete


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test says where its page was and what it showed, for a CI log."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    for name in ("phone", "desktop", "page"):
        page = getattr(item, "funcargs", {}).get(name)
        if page is None or not hasattr(page, "inner_text"):
            continue
        try:
            text = page.inner_text("body")[:2000]
            report.sections.append((f"page {name} at failure", f"{page.url}\n{text}"))
        except Exception as error:  # the page may be gone with its browser
            report.sections.append((f"page {name} at failure", repr(error)))
