"""Requests the site cannot decode are answered 400 before anything reads them.

Django reads a form body as UTF-8 only: a urlencoded POST that names another charset
raises ``BadRequest`` the moment anything touches ``request.POST`` (the CSRF check does, on
every POST), and ``request.GET`` is decoded with whatever charset the request names, so a
name like ``zlib_codec`` breaks even a GET. No browser sends either; refusing them here
keeps them from reaching the views, with one short log line and no traceback.

Also here: an offline-queue entry of one person is not let through under another person's
session (QueueOwnerMiddleware).
"""

import codecs

from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.crypto import constant_time_compare

from core.context_processors import queue_owner_token


def is_utf8(charset: str) -> bool:
    try:
        return codecs.lookup(charset).name == "utf-8"
    except (LookupError, ValueError, TypeError):
        return False  # an unknown or malformed name


class RequestCharsetMiddleware:
    """Refuse a request whose Content-Type names a charset other than UTF-8.

    Every spelling of UTF-8 (``utf8``, ``UTF_8``, ``U8``) is accepted: the request reads
    UTF-8 (core/wsgi.py does not apply the named charset). Place it before
    CsrfViewMiddleware, which reads the body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = request.content_params.get("charset")
        if charset is not None and not is_utf8(charset):
            return HttpResponseBadRequest(render_to_string("400.html"))
        if request.encoding not in (None, "utf-8"):
            # Django's test client applies the charset as named; a form body is read only
            # when the name is exactly "utf-8". (Under core/wsgi.py it is always None.)
            request.encoding = "utf-8"
        return self.get_response(request)


class QueueOwnerMiddleware:
    """An entry of the offline queue is sent with the owner token of the person who made it
    (``X-Queue-Owner``, static/js/queue.js). The pages and the worker send only the entries
    of the person they belong to, but a phone may be shared: if the session is now someone
    else's (a page kept from before, a Background Sync that woke at the wrong moment), the
    entry is answered 403 before any view sees it, so the phone keeps it queued for its
    owner instead of logging or refusing it under another person's account. Place it after
    the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        claimed = request.headers.get("X-Queue-Owner")
        if (
            claimed is not None
            and request.user.is_authenticated
            and not constant_time_compare(claimed, queue_owner_token(request.user))
        ):
            return JsonResponse(
                {"reason": "owner", "message": "This entry was made by another account."},
                status=403,
            )
        return self.get_response(request)


class GZipMiddleware(DjangoGZipMiddleware):
    """Django's gzip, except for files served by byte ranges (``core.byteranges``: videos,
    data exports). Compressing those would break the ranges (offsets and ``Content-Length``
    of the compressed bytes are not the file's) and gains nothing on an mp4 or a zip."""

    def process_response(self, request, response):
        if response.get("Accept-Ranges") == "bytes":
            return response
        return super().process_response(request, response)


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that it deletes the session cookie only when this request emptied the
    session (a logout), not whenever the cookie names a session that no longer exists.

    Logging in replaces the session (a new key, the old one deleted). A request the page
    started just before, such as the service worker fetching the JavaScript catalogue, still
    carries the old cookie; Django answered it by deleting "the" session cookie, and when
    that answer arrived after the login's, the browser dropped the new one: the person was
    logged out on the next page (seen in the first-run browser test, about one run in
    three). A cookie naming a session that is gone is harmless: it is simply not found.
    """

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and not session.modified and session.is_empty():
            if session.accessed:
                patch_vary_headers(response, ("Cookie",))
            return response
        return super().process_response(request, response)
