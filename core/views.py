"""Site-wide views that belong to no single feature."""

import logging

from django.db import DatabaseError, connection
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import byteranges
from exercises.models import Exercise, Ladder

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
PUBLIC_VIDEO_CACHE = "public, max-age=86400"
PRIVATE_VIDEO_CACHE = "private, no-cache"  # asked again each time: a link can end
CHUNK_BYTES = 64 * 1024


@require_GET
def media_file(request, path):
    """An uploaded video, to whoever may open its exercise's page; a 404 for anyone else.

    A coach's own exercises are seen by the coach and the athletes linked to them now, so
    their videos are too (``Ladder.objects.visible_to``); library videos are public. Only a
    name stored on an exercise is served: a replaced file's old name answers nothing.
    """
    exercise = (
        Exercise.objects.filter(video_file=path, ladder__in=Ladder.objects.visible_to(request.user))
        .select_related("ladder")
        .first()
    )
    if exercise is None:
        raise Http404("No such video")
    try:
        video = exercise.video_file.open("rb")
    except FileNotFoundError:
        raise Http404("No such video") from None
    response = ranged_file_response(request, video, content_type="video/mp4")
    private = exercise.ladder.private
    response["Cache-Control"] = PRIVATE_VIDEO_CACHE if private else PUBLIC_VIDEO_CACHE
    return response


def ranged_file_response(request, file, *, content_type):
    """The whole file, or the one byte range the request asks for (206), or a 416.

    The names never change content, so ``If-Range`` needs no check: a range of a name is
    always a range of the same bytes.
    """
    size = file.size
    try:
        wanted = byteranges.requested(request.headers.get("Range"), size)
    except byteranges.Unsatisfiable:
        file.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        if wanted is None:
            response = FileResponse(file, content_type=content_type)
        else:
            file.seek(wanted.start)
            response = StreamingHttpResponse(
                read_bytes(file, len(wanted)), status=206, content_type=content_type
            )
            response["Content-Length"] = str(len(wanted))
            response["Content-Range"] = f"bytes {wanted.start}-{wanted.stop - 1}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response


def read_bytes(file, count):
    """Up to ``count`` bytes from the file's position, in chunks; closes the file at the end."""
    try:
        while count > 0:
            chunk = file.read(min(CHUNK_BYTES, count))
            if not chunk:
                break
            count -= len(chunk)
            yield chunk
    finally:
        file.close()
