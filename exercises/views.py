"""Library pages. Anonymous responses are cached and set no cookies."""

from django.contrib import messages
from django.core.cache import caches
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from exercises.library import AREAS, LibraryFilter
from exercises.models import Equipment, Exercise, Ladder, LibraryRevision

CACHE_SECONDS = 600


def cached_for_anonymous(view):
    """Serve anonymous visitors from the cache, keyed by the library revision.

    The revision is read from the database on every request (one indexed query) so an
    edit in the admin is seen by every worker at once.
    """

    def wrapper(request, *args, **kwargs):
        # A flash message ("You are logged out.") is for this visitor alone: such a page is
        # neither taken from the cache (the message would be lost) nor put in it.
        if request.user.is_authenticated or len(messages.get_messages(request)):
            return view(request, *args, **kwargs)
        key = f"library:{LibraryRevision.current()}:{request.path}:{request.GET.urlencode()}"
        cached = caches["pages"].get(key)
        if cached is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            cached = (response.content, response.status_code)
            caches["pages"].set(key, cached, CACHE_SECONDS)
        content, status = cached
        response = HttpResponse(content, status=status)
        response["Cache-Control"] = "public, max-age=60"
        return response

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@require_GET
@cached_for_anonymous
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
@cached_for_anonymous
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
