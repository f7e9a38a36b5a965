"""Site-wide views that belong to no single feature."""

import logging

from django.db import DatabaseError, connection
from django.http import (
    HttpResponseBadRequest,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
