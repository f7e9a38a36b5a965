"""Django's AuthenticationMiddleware, reading the logged-in user from the shared cache; the
``Cache-Control`` every page for a logged-in person carries; and their time zone and language.

Every logged-in request loads its user row; on the set-logging POST that query was a sixth
of the work (bench/README.md). The user is kept beside the sessions, in the "sessions"
cache (files shared by the workers of a host), put there on login and dropped whenever the
row is saved or deleted and again at COMMIT (``forget_user``), so a changed profile,
password or ``is_active`` is seen on the next request in every worker.

A cached user is only taken when Django would accept it anyway: the session names a
configured backend, the account is active, and the session's hash matches the user's
password hash exactly. Anything else goes through ``django.contrib.auth.get_user``, which
handles rotated secret keys, flushes sessions after a password change, and so on.
"""

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import middleware
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from core.languages import supported_language

USER_SECONDS = 300  # bounds a change that bypasses save(), such as a queryset update()


def user_key(pk) -> str:
    return f"auth-user:{pk}"


def user_cache():
    """The cache that holds the logged-in users: the sessions' own."""
    return caches[settings.SESSION_CACHE_ALIAS]


def forget_user(sender, instance, **kwargs):
    """Drop the cached row now and again once the change is committed.

    Inside a transaction (the admin saves in one) a request by the same user between the
    save and the COMMIT still reads the old row and caches it again; the second delete,
    after COMMIT, removes that copy.
    """
    forget_user_id(instance.pk)


def forget_user_id(pk):
    key = user_key(pk)
    user_cache().delete(key)
    transaction.on_commit(lambda: user_cache().delete(key))


def forget_authenticator_owner(sender, instance, **kwargs):
    """An authenticator added or removed changes whether its owner has a second login step,
    which the cached row carries (``User.has_second_step``)."""
    forget_user_id(instance.user_id)


def cache_user(user):
    """Keep the row for the next requests; a coach's or staff member's with the answer to
    "second login step?", which every page of theirs asks."""
    user.__dict__.pop("_second_step", None)  # asked afresh: the row may be older than a change
    if user.is_coach or user.is_staff:
        user.has_second_step()
    user_cache().set(user_key(user.pk), user, USER_SECONDS)


def remember_user(sender, request, user, **kwargs):
    """On login (after ``last_login`` is saved): the first page loads no user row either."""
    cache_user(user)


class AuthenticationMiddleware(middleware.AuthenticationMiddleware):
    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))


class PrivatePagesMiddleware:
    """Answers to a logged-in person carry ``Cache-Control: private, no-store``.

    They hold that person's training, so no shared cache (a proxy, a CDN) may keep them and
    the browser should not write them to disk. A view that set its own policy keeps it
    (``never_cache`` pages, videos); anonymous pages such as the library stay cacheable.
    Requests without a session cookie are anonymous: the user is not even loaded.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and not response.has_header("Cache-Control")
            and request.user.is_authenticated
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response


class TimeZoneMiddleware:
    """Every request runs in the logged-in person's time zone; anonymous ones in the default.

    Times are stored in UTC. With the zone active, templates show local times, forms read a
    typed time as local (a run's start), and ``timezone.localdate()`` is the person's day.
    The zone is put back after the response, so nothing leaks into the next request the
    thread serves. Place it after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = None  # settings.TIME_ZONE
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            zone = request.user.zone
        with timezone.override(zone):
            return self.get_response(request)


def show_athlete_times(athlete):
    """On a coach's page about one athlete, times are the athlete's (the page names the zone).

    A coach reads an athlete's training on the athlete's calendar: a session done on
    Monday evening in Los Angeles is Monday's, as the assigned day, the weekly counts and
    the athlete's own pages say, not Tuesday's in the coach's Tokyo. Every view that shows
    one athlete to a coach calls this once, before it reads or renders anything dated;
    the template includes ``includes/athlete_zone.html`` to say whose clock it is.
    TimeZoneMiddleware puts the coach's own zone back after the response.
    """
    timezone.activate(athlete.zone)


def get_user(request):
    if not hasattr(request, "_cached_user"):
        user = cached_user(request)
        if user is None:
            user = auth.get_user(request)
            if user.is_authenticated:
                cache_user(user)
        request._cached_user = user
    return request._cached_user


def cached_user(request):
    session = request.session
    user_id = session.get(auth.SESSION_KEY)
    backend = session.get(auth.BACKEND_SESSION_KEY)
    if user_id is None or backend not in settings.AUTHENTICATION_BACKENDS:
        return None
    user = user_cache().get(user_key(user_id))
    if user is None or str(user.pk) != str(user_id) or not user.is_active:
        return None
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if not session_hash or not constant_time_compare(session_hash, user.get_session_auth_hash()):
        return None
    return user


# What a logout leaves on the device: the service worker's copies of the plan and logging
# pages, and the offline queue, belong to the person who logged out. ``Clear-Site-Data``
# tells the browser to delete them (Cache Storage, IndexedDB, the worker's registration and
# the HTTP cache), so the next person on a shared phone sees nothing of theirs offline.
# The page's script first sends what is queued and asks before dropping anything unsent
# (static/js/offline.js); this header also covers a logout without that script.
CLEAR_SITE_DATA = '"cache", "storage"'


def forget_device(sender, request, user, **kwargs):
    """``user_logged_out``: mark the request so its response clears the site's data."""
    if request is not None:
        request.clear_site_data = True


class ClearSiteDataMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "clear_site_data", False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


class LanguageMiddleware:
    """Every request runs in one language: the logged-in person's profile, else Django's own
    choice (the language cookie the switch sets, then ``Accept-Language``), else English.

    Django's LocaleMiddleware with one step before it, so it sits after
    AuthenticationMiddleware; an unknown code anywhere falls through to the next step. The
    language is put back after the response, like the time zone. Every answer says it may
    differ by ``Accept-Language`` and ``Cookie`` (the language cookie or the session), so
    no shared cache hands one person's language to another.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = None
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            language = supported_language(request.user.language)
        if language is None:
            language = translation.get_language_from_request(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response
