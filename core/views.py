"""Site-wide views that belong to no single feature."""

import hashlib
import json
import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import JavaScriptCatalog

from core.languages import catalog_url, catalog_version

log = logging.getLogger(__name__)


@require_GET
def home(request):
    return render(request, "core/home.html")


# --- Error pages (handler400 and friends in homestrength/urls.py) -------------------------
# Django's own error views run the CSRF check to hand the template a token, and that check
# reads request.POST: a body that could not be parsed the first time (too many fields, a
# broken multipart) fails again inside the error page and a 400 became a 500. These never
# touch the body. 400 and 500 render without the request, so they work whatever broke.


def bad_request(request, exception):
    return HttpResponseBadRequest(render_to_string("400.html"))


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return HttpResponseServerError(render_to_string("500.html"))


@never_cache
@require_GET
def healthz(request):
    """Answer 200 after one database round-trip, 503 when the database is unreachable.

    Touches neither the session nor the user, so load balancers can poll it cheaply.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        log.warning("healthz: database unreachable: %s", exc)
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


# Uploaded videos never change under a name (every upload gets a new random one).


# --- The JavaScript catalogue (core/languages.py) ------------------------------------------
# Only the site's own strings (locale/, through LOCALE_PATHS; the "core" package adds no
# folder), not the admin's calendar words.
render_catalog = JavaScriptCatalog.as_view(packages=["core"])
CATALOGS = {}  # (language, version) → body: a few KB, rendered once per process


@require_GET
def javascript_catalog(request, language, version):
    if language not in dict(settings.LANGUAGES):
        raise Http404("No such language")
    current = version == catalog_version()
    key = (language, catalog_version())
    body = CATALOGS.get(key)
    if body is None:
        with translation.override(language):
            body = render_catalog(request).content
        CATALOGS[key] = body
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # An old page's address (another deploy) gets today's strings, kept only briefly.
    response["Cache-Control"] = (
        "public, max-age=31536000, immutable" if current else "public, max-age=300"
    )
    return response


# --- Installable web app: the manifest and the service worker -----------------------------
# The worker (templates/core/sw.js) keeps the plan and logging pages and their static files
# for offline use and sends the offline queue (static/js/queue.js); README, "Offline logging".

# The Workbox modules the worker loads, by the name workbox-sw asks for (refresh-vendor.sh
# vendors the same list).
WORKBOX_MODULES = ("core", "routing", "strategies", "cacheable-response", "expiration")
# Static files the logging pages need, cached when the worker installs, so a page that was
# loaded before the worker took control still works offline.
OFFLINE_STATIC = (
    "vendor/bootstrap/bootstrap.min.css",
    "css/site.css",
    "css/nojs.css",
    "js/site.js",
    "js/queue.js",
    "js/offline.js",
    "vendor/htmx/htmx.min.js",
    "js/workout.js",
    "js/offline-log.js",
    "img/favicon.svg",
)


@require_GET
def manifest(request):
    icons = [
        {"src": static("img/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("img/icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    body = {
        "id": "/",
        "name": "HomeStrength",
        "short_name": "HomeStrength",
        "description": _(
            "Short home strength sessions for runners that adapt to how tired you are."
        ),
        "lang": get_language(),
        "start_url": reverse("today"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f5f8b",
        "icons": icons,
    }
    response = JsonResponse(body, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"  # the same for everyone
    return response


def offline_page() -> str:
    """What the worker answers for a page that is neither online nor kept, in the language
    of the page that registered it (the worker is rendered per language)."""
    return render_to_string("core/offline.html")


@never_cache
@require_GET
def service_worker(request):
    """The worker at the site root, so its scope is the whole site; it names the hashed
    static addresses of this deploy, so a deploy makes a new worker (``never_cache``: the
    browser checks it on every visit anyway, and must not keep an old one)."""
    config = {
        "modules": {
            f"workbox-{name}": static(f"vendor/workbox/workbox-{name}.prod.js")
            for name in WORKBOX_MODULES
        },
        "offlineStatic": [static(name) for name in OFFLINE_STATIC],
        # The scripts' words in this language, kept with the static files (sw.js).
        "catalog": catalog_url(get_language()),
        # Kept pages in this language only: a switch makes a new worker, which drops the
        # pages kept in the other (offline.js names the same cache from <html lang>).
        "pagesCache": "hs-pages-v1-" + get_language(),
        "staticPrefix": settings.STATIC_URL,
        "cacheFirst": not settings.DEBUG,  # unhashed names with DEBUG: always revalidate
    }
    # A deploy with other static files gets a static cache of its own; the worker deletes
    # the old one when it takes over.
    config["staticCache"] = (
        "hs-static-" + hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:12]
    )
    context = {
        "workbox_sw": json.dumps(static("vendor/workbox/workbox-sw.js")),
        "queue_js": json.dumps(static("js/queue.js")),
        "offline_page": json.dumps(offline_page(), ensure_ascii=False).replace("<", "\\u003c"),
        "config": json.dumps(config, indent=2).replace("<", "\\u003c"),
    }
    response = render(request, "core/sw.js", context, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response
