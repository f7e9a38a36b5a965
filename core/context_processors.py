"""Which menu entry is the current page, for templates/includes/nav_items.html.

The menu is rendered once per entry, role and language and kept in the "pages" cache (it
was about a fifth of a cached logged-in page); the current page is all it varies by.
"""

from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

from core.languages import catalog_url

MENU = (
    "exercises:list",
    "today",
    "workout_sessions:list",
    "runs:list",
    "coaching:calendar",
    "coaching:dashboard",
    "accounts:invitation_list",
    "accounts:profile",
)


@cache
def menu_paths(script_prefix: str) -> dict[str, str]:
    return {reverse(name): name for name in MENU}


def navigation(request):
    return {"nav_active": menu_paths(get_script_prefix()).get(request.path, "")}


def languages(request):
    """The address of the JavaScript catalogue in the page's language (core/languages.py)."""
    return {"js_catalog": catalog_url(get_language())}


# The offline queue (static/js/queue.js) is per browser, and a phone may be shared: each entry
# carries the owner token of the person who made it, and a page shows and sends only its own
# person's entries (README, "Offline logging"). The token is an HMAC of the user's pk, so it
# tells nobody who that is; it is stable for a user as long as SECRET_KEY is.
QUEUE_OWNER_SALT = "homestrength.offline-queue-owner"


def queue_owner_token(user, secret=None) -> str:
    return salted_hmac(
        QUEUE_OWNER_SALT, str(user.pk), secret=secret, algorithm="sha256"
    ).hexdigest()


def previous_queue_owner_tokens(user) -> str:
    """The user's tokens under SECRET_KEY_FALLBACKS (a key rotation), space-separated: the
    page takes over the entries queued under them."""
    return " ".join(queue_owner_token(user, key) for key in settings.SECRET_KEY_FALLBACKS)


def offline_queue(request):
    """``queue_owner`` for templates/base.html: computed only where a page of a logged-in
    person renders it (a callable, so other pages never touch the session for it)."""

    def owner():
        user = getattr(request, "user", None)
        return queue_owner_token(user) if user is not None and user.is_authenticated else ""

    def previous():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return ""
        return previous_queue_owner_tokens(user)

    return {"queue_owner": owner, "queue_owner_previous": previous}
