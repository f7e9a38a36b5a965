"""Which languages the site speaks, and the JavaScript catalogue's address.

A code from a profile, a cookie or a form is only used once ``supported_language`` has
turned it into one of ``settings.LANGUAGES``; anything else falls back to English.

The JavaScript catalogue's address: one per language and deploy, so it is cached for good.

Pages load the Spanish (or English) strings of static/js/*.js from Django's
``JavaScriptCatalog`` before their own scripts. Its address names the language and a
digest of the compiled catalogues (``locale/*/LC_MESSAGES/djangojs.mo``): a deploy with new
strings gets a new address, so browsers and the service worker may keep the old one forever
(README, "Languages").
"""

import hashlib
from functools import cache

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def supported_language(code) -> str | None:
    """``code`` as one of ``settings.LANGUAGES`` (``es-MX`` → ``es``), or None."""
    try:
        return translation.get_supported_language_variant(str(code or ""))
    except LookupError:
        return None


@cache
def catalog_version() -> str:
    """A digest of every compiled JavaScript catalogue (read once per process)."""
    digest = hashlib.sha256()
    for localedir in settings.LOCALE_PATHS:
        for path in sorted(localedir.glob("*/LC_MESSAGES/djangojs.mo")):
            digest.update(str(path.relative_to(localedir)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def catalog_url(language: str) -> str:
    return reverse("javascript_catalog", args=[language, catalog_version()])


def language_of(user, asked: str = "") -> str:
    """The language to write in for ``user`` where no request says it (jobs, emails): the
    one ``asked`` in, which a job keeps from the request that made it (a profile may leave
    the language to the browser), else their profile's, else the site's default."""
    return supported_language(asked) or supported_language(user.language) or settings.LANGUAGE_CODE


def in_language(chunks, language=None):
    """``chunks`` read in ``language``, the active one by default.

    A streamed response is read after the view has returned, when the middleware has put the
    request's language back: each chunk is made with the language active again. The
    language is taken now, when the view calls this, not when reading starts."""
    return _read_in(iter(chunks), language or translation.get_language())


def _read_in(iterator, language):
    while True:
        with translation.override(language):
            try:
                value = next(iterator)
            except StopIteration:
                return
        yield value
