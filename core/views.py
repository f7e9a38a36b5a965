"""Site-wide views that belong to no single feature."""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

log = logging.getLogger(__name__)


@require_GET
def home(request):
    return render(request, "core/home.html")


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


@require_GET
def media_file(request, path):
    """An uploaded video from MEDIA_ROOT (read per request, so tests can move it)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
