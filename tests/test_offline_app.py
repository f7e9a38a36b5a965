"""The installable app's server side: the manifest, the service worker at /sw.js, the
offline plan on the logging page, and what a logout tells the browser to forget."""

import json
import re
import struct
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import reverse

from core.context_processors import queue_owner_token
from core.languages import catalog_url
from core.views import OFFLINE_STATIC, WORKBOX_MODULES
from sessions.models import WorkoutExercise, WorkoutSet
from tests.test_sessions import open_workout, prescribed_set

ROOT = Path(__file__).resolve().parent.parent


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def static_path(url: str) -> Path:
    name = url.removeprefix(settings.STATIC_URL)
    found = finders.find(name)
    assert found, f"{url} names no static file"
    return Path(found)


# --- Manifest -----------------------------------------------------------------------------


def test_the_manifest_says_how_to_install_the_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "HomeStrength"
    assert manifest["short_name"] == "HomeStrength"
    assert manifest["start_url"] == reverse("today")
    assert manifest["display"] == "standalone"
    assert manifest["scope"] == "/"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    sizes = {(icon["sizes"], icon.get("purpose", "any")): icon for icon in manifest["icons"]}
    assert set(sizes) == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for (size, _purpose), icon in sizes.items():
        width, height = png_size(static_path(icon["src"]))
        assert f"{width}x{height}" == size, icon["src"]
    # The same for everyone: it holds nothing of anyone and sets no cookie.
    assert "public" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
def test_every_page_links_the_manifest_and_registers_the_worker_from_a_file(client, alice):
    for logged_in in (False, True):
        if logged_in:
            client.force_login(alice)
        html = client.get(reverse("exercises:list")).content.decode()
        assert f'<link rel="manifest" href="{reverse("manifest")}">' in html
        assert static("js/site.js") in html
        # CSP forbids inline scripts: every <script> has a src.
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    site_js = static_path(static("js/site.js")).read_text()
    assert 'register("/sw.js"' in site_js and 'addEventListener("load"' in site_js


def test_the_csp_lets_the_worker_and_the_manifest_load_from_the_site_only(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy
    assert "'unsafe-inline'" not in policy


# --- Service worker -------------------------------------------------------------------------


def test_the_worker_is_served_from_the_root_and_never_kept_stale(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert not response.cookies


def test_the_worker_names_the_files_of_this_deploy(client):
    """Whitenoise serves static files under hashed names: the worker imports Workbox and
    caches the logging page's files by the addresses ``static()`` gives, each a real file."""
    body = client.get("/sw.js").content.decode()
    assert f'importScripts("{static("vendor/workbox/workbox-sw.js")}")' in body
    assert f'importScripts("{static("js/queue.js")}")' in body
    config = json.loads(re.search(r"var CONFIG = (\{.*?\n\});", body, re.S).group(1))
    assert set(config["modules"]) == {f"workbox-{name}" for name in WORKBOX_MODULES}
    for url in [*config["modules"].values(), *config["offlineStatic"]]:
        assert static_path(url).stat().st_size > 0
    assert config["offlineStatic"] == [static(name) for name in OFFLINE_STATIC]
    assert config["staticPrefix"] == settings.STATIC_URL
    # The scripts' words, in the language of the page that asked for the worker.
    assert config["catalog"] == catalog_url("en")
    assert "importScripts(CONFIG.catalog)" in body
    assert re.fullmatch(r"hs-static-[0-9a-f]{12}", config["staticCache"])
    # Every Workbox module the worker loads is vendored, with its licence and version.
    versions = (ROOT / "static/vendor/VERSIONS").read_text()
    assert re.search(r"^workbox 7\.\d+\.\d+", versions, re.M)
    assert (ROOT / "static/vendor/workbox/LICENSE").exists()


def test_the_worker_uses_hashed_addresses_when_collected(client, tmp_path):
    """With the production storage (collectstatic's manifest), the worker names the
    hashed files, the ones whitenoise serves."""
    from django.core.management import call_command

    storage = {"BACKEND": "core.storage.StaticFilesStorage"}
    with override_settings(
        STATIC_ROOT=tmp_path, STORAGES={**settings.STORAGES, "staticfiles": storage}
    ):
        call_command("collectstatic", "--noinput", verbosity=0)
        from django.contrib.staticfiles.storage import staticfiles_storage

        staticfiles_storage._setup()  # re-read the new manifest
        body = client.get("/sw.js").content.decode()
        hashed = staticfiles_storage.url("vendor/workbox/workbox-sw.js")
    # Another deploy (other files), another static cache: the worker drops the old one.
    unhashed = client.get("/sw.js").content.decode()
    cache_name = re.compile(r'"staticCache": "(hs-static-[0-9a-f]{12})"')
    assert cache_name.search(body).group(1) != cache_name.search(unhashed).group(1)
    assert re.search(r"workbox-sw\.[0-9a-f]{12}\.js", hashed)
    assert f'importScripts("{hashed}")' in body
    assert re.search(
        r'"workbox-routing": "/static/vendor/workbox/workbox-routing\.prod\.[0-9a-f]{12}\.js"', body
    )


def test_the_worker_keeps_only_the_session_pages_and_static_files():
    """Which pages the worker keeps for offline use is a privacy decision: the plan, the
    logger and the finish page of a session, and /today/'s redirect — nothing else."""
    source = (ROOT / "templates/core/sw.js").read_text()
    assert "var SESSION_PAGE = /^\\/sessions\\/\\d+\\/(log\\/|finish\\/)?$/;" in source
    assert source.count("cacheName: PAGES") == 2
    assert 'options.response.type === "opaqueredirect"' in source


# --- The logging page's offline plan ---------------------------------------------------------


@pytest.mark.django_db
def test_the_logger_carries_the_plan_and_the_exercises_to_come(client, alice, library):
    client.force_login(alice)
    workout = open_workout(client)
    client.post(
        reverse("workout_sessions:log_set", args=[workout.pk]), prescribed_set(client, workout)
    )
    response = client.get(reverse("workout_sessions:log", args=[workout.pk]))
    html = response.content.decode()
    plan = json.loads(
        re.search(r'<script id="offline-plan" type="application/json">(.*?)</script>', html).group(
            1
        )
    )
    items = list(workout.items.order_by("position"))
    assert plan["session"] == workout.pk
    assert plan["logUrl"] == reverse("workout_sessions:log", args=[workout.pk])
    assert plan["finishUrl"] == reverse("workout_sessions:finish", args=[workout.pk])
    assert [i["position"] for i in plan["items"]] == [i.position for i in items]
    assert [i["done"] for i in plan["items"]] == [i.sets.count() for i in items]
    assert [i["setsPlanned"] for i in plan["items"]] == [i.sets_planned for i in items]
    pending = [i for i in items if i.status == WorkoutExercise.Status.PENDING]
    # One template per exercise still to come after the current one, each with its form.
    for item in pending[1:]:
        assert f'<template data-panel-for="{item.position}">' in html
    assert f'<template data-panel-for="{pending[0].position}">' not in html
    assert html.count('data-queue="set"') == len(pending)


@pytest.mark.django_db
def test_the_exercises_to_come_add_no_query_to_the_logger(
    client, alice, library, django_assert_max_num_queries
):
    client.force_login(alice)
    workout = open_workout(client)
    url = reverse("workout_sessions:log", args=[workout.pk])
    client.get(url)
    with django_assert_max_num_queries(3):
        assert client.get(url).status_code == 200


# --- Logout forgets the device ----------------------------------------------------------------


@pytest.mark.django_db
def test_logout_tells_the_browser_to_forget_the_kept_pages_and_the_queue(client, alice):
    client.force_login(alice)
    assert "Clear-Site-Data" not in client.get(reverse("exercises:list")).headers
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    # Only the logout: the next pages say nothing of it.
    assert "Clear-Site-Data" not in client.get(reverse("home")).headers


@pytest.mark.django_db
def test_deleting_the_account_forgets_the_device_too(client, alice):
    from tests.conftest import PASSWORD

    client.force_login(alice)
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


@pytest.mark.django_db
def test_the_worker_keeps_every_file_the_logger_loads_from_the_start(client, alice, library):
    """A logger opened before the worker took control must still work offline: every
    script and stylesheet it names is cached when the worker installs."""
    client.force_login(alice)
    workout = open_workout(client)
    html = client.get(reverse("workout_sessions:log", args=[workout.pk])).content.decode()
    loaded = set(re.findall(r'<script src="([^"]+)"', html))
    loaded |= set(re.findall(r'<link rel="stylesheet" href="([^"]+)"', html))
    config = json.loads(
        re.search(r"var CONFIG = (\{.*?\n\});", client.get("/sw.js").content.decode(), re.S).group(
            1
        )
    )
    kept = {*config["offlineStatic"], config["catalog"]}  # the catalogue: the page's words
    assert loaded and loaded <= kept, loaded - kept


# --- Whose offline queue: the owner token on a logged-in person's pages ---------------------

OWNER = re.compile(r'<body[^>]* data-queue-owner="([0-9a-f]+)"')


def owner_on_page(client, url="/sessions/"):
    response = client.get(url)
    assert response.status_code == 200
    match = OWNER.search(response.content.decode())
    return match.group(1) if match else None


@pytest.mark.django_db
def test_the_queue_owner_token_is_stable_per_person_and_differs_between_people(client, alice, bob):
    client.force_login(alice)
    first = owner_on_page(client)
    assert first == queue_owner_token(alice)
    again = Client()
    again.force_login(alice)  # another login, another page: the same person, the same token
    assert owner_on_page(again, "/today/") == first
    other = Client()
    other.force_login(bob)
    assert owner_on_page(other) == queue_owner_token(bob) != first
    # Opaque: a keyed hash (it changes with the secret key), so it names nobody.
    assert len(first) == 64
    with override_settings(SECRET_KEY="another secret key for this test only, long enough"):
        assert queue_owner_token(alice) != first


@pytest.mark.django_db
def test_after_a_key_rotation_the_page_names_the_old_token_so_its_entries_are_kept(client, alice):
    old_key = settings.SECRET_KEY
    before = queue_owner_token(alice)
    new_key = "a rotated secret key for this test only, long enough to be one"
    client.force_login(alice)
    assert "data-queue-owner-previous" not in client.get("/sessions/").content.decode()
    with override_settings(SECRET_KEY=new_key, SECRET_KEY_FALLBACKS=[old_key]):
        client.force_login(alice)  # the session's hash is signed with the key too
        html = client.get("/sessions/").content.decode()
        assert owner_on_page(client) == queue_owner_token(alice) != before
        assert f'data-queue-owner-previous="{before}"' in html


@pytest.mark.django_db
def test_an_anonymous_page_has_no_queue_owner(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<body" in html and "data-queue-owner" not in html


@pytest.mark.django_db
def test_an_entry_of_another_person_is_answered_403_and_not_logged(client, alice, bob, library):
    """A shared phone: an entry Bob made, sent under Alice's session, reaches no view (403
    keeps it queued on the phone); Alice's own entry goes through."""
    client.force_login(alice)
    workout = open_workout(client)
    url = reverse("workout_sessions:log_set", args=[workout.pk])
    data = prescribed_set(client, workout)
    json_headers = {"Accept": "application/json"}
    response = client.post(
        url, data, headers={**json_headers, "X-Queue-Owner": queue_owner_token(bob)}
    )
    assert response.status_code == 403
    assert response.json()["reason"] == "owner"
    assert not WorkoutSet.objects.filter(item__workout=workout).exists()
    response = client.post(
        url, data, headers={**json_headers, "X-Queue-Owner": queue_owner_token(alice)}
    )
    assert response.status_code == 201
    assert WorkoutSet.objects.filter(item__workout=workout).count() == 1
