"""Library pages. Anonymous responses are cached and set no cookies."""

from functools import wraps

from django.contrib import messages
from django.core.cache import caches
from django.http import Http404, HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.text import compress_string
from django.views.decorators.http import require_GET

from core import byteranges
from core.cache import version_key
from exercises.library import AREAS, LibraryFilter
from exercises.models import Equipment, Exercise, Ladder, LibraryRevision

CACHE_SECONDS = 600


def cached_for_anonymous(key_params):
    """Serve anonymous visitors the whole page from the cache, keyed by library revision.

    The revision is read from the database on every request (one indexed query) so an
    edit in the admin is seen by every worker at once. Only the query parameters that
    ``key_params`` reads make the key (a tuple of known values, or None when the page must
    be rendered afresh as it points out an unknown value), so unknown parameters never
    add an entry. The pages have a cache of their own ("library"): searches, whose words
    are free, can only push out other library pages. A page for a logged-in person, or
    one carrying a flash message ("You are logged out."), is neither served from the
    cache nor put in it: nothing per-request (messages, a CSRF token, a name) enters it.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated or len(messages.get_messages(request)):
                return view(request, *args, **kwargs)
            revision = LibraryRevision.current()
            params = key_params(request.GET, revision)
            if params is None:
                return view(request, *args, **kwargs)
            key = "library:" + version_key(request, revision, request.path, params)
            cached = caches["library"].get(key)
            if cached is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
                # Kept compressed too: gzipping a page anew took a third of a cached hit.
                cached = (response.content, compress_string(response.content))
                caches["library"].set(key, cached, CACHE_SECONDS)
            plain, gzipped = cached
            if re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")):
                response = HttpResponse(gzipped)
                response["Content-Encoding"] = "gzip"  # GZipMiddleware leaves it as it is
            else:
                response = HttpResponse(plain)
            patch_vary_headers(response, ("Accept-Encoding",))
            response["Cache-Control"] = "public, max-age=60"
            return response

        return wrapper

    return decorator


def known_equipment(revision) -> frozenset[str]:
    """The equipment slugs, kept per library revision (no query on a cached page)."""
    return caches["library"].get_or_set(
        f"library-equipment:{revision}",
        lambda: frozenset(Equipment.objects.values_list("slug", flat=True)),
        CACHE_SECONDS,
    )


def list_params(query, revision):
    """The list page's key: the equipment and area chosen and the words searched, as
    ``LibraryFilter`` reads them. A page that points out an unknown value is rendered
    afresh (and never kept)."""
    equipment = sorted({v.strip() for v in query.getlist("equipment") if v.strip()})
    area = query.get("area", "").strip()
    if (area and area not in AREAS) or not set(equipment) <= known_equipment(revision):
        return None
    return (tuple(equipment), area, query.get("q", "").strip()[:100])


def no_params(query, revision):
    return ()


@require_GET
@cached_for_anonymous(list_params)
def exercise_list(request):
    equipment = list(Equipment.objects.all())
    known = {e.slug for e in equipment}
    filters = LibraryFilter.from_query(request.GET, known)
    from_profile = False
    if (
        request.user.is_authenticated
        and "equipment" not in request.GET
        and request.GET.get("all") != "1"
    ):
        owned = Equipment.owned_by(request.user)
        if owned is not None:
            filters.equipment = owned | {"none"}
            from_profile = True
    groups = filters.apply(Ladder.objects.public().for_library())
    context = {
        "groups": groups,
        "count": sum(len(shown) for _ladder, shown in groups),
        "equipment": equipment,
        "areas": [(key, label) for key, label in Ladder.Area.choices if key in AREAS],
        "filters": filters,
        "selected_equipment": filters.equipment or set(),
        "from_profile": from_profile,
        "show_all_url": "?" + urlencode({"all": "1"}),
    }
    return render(request, "exercises/exercise_list.html", context)


@require_GET
@cached_for_anonymous(no_params)
def exercise_detail(request, slug):
    exercise = (
        Exercise.objects.filter(ladder__in=Ladder.objects.visible_to(request.user))
        .select_related("ladder")
        .prefetch_related("equipment__substitutes")
        .filter(slug=slug)
        .first()
    )
    if exercise is None:
        raise Http404("No such exercise")
    steps = list(exercise.ladder.exercises.only("slug", "name", "level", "ladder_id"))
    easier = next((s for s in reversed(steps) if s.level < exercise.level), None)
    harder = next((s for s in steps if s.level > exercise.level), None)
    context = {
        "exercise": exercise,
        "ladder": exercise.ladder,
        "steps": steps,
        "easier": easier,
        "harder": harder,
        "video_search_url": "https://www.youtube.com/results?"
        + urlencode({"search_query": f"{exercise.name} exercise demonstration"}),
    }
    return render(request, "exercises/exercise_detail.html", context)


PUBLIC_VIDEO_CACHE = "public, max-age=86400"
PRIVATE_VIDEO_CACHE = "private, no-cache"  # asked again each time: a link can end


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
    response = byteranges.file_response(request, video, content_type="video/mp4")
    private = exercise.ladder.private
    response["Cache-Control"] = PRIVATE_VIDEO_CACHE if private else PUBLIC_VIDEO_CACHE
    return response
