"""The exercise library: content, loader, filters, pages, cache, admin and videos."""

import gzip
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exercises.models import Equipment, Exercise, Ladder, LibraryRevision
from exercises.video import parse_video_url, validate_video_file, validate_video_url

pytestmark = pytest.mark.django_db

SPEC_LADDERS = {
    # key: (area, regions, rep_min, rep_max, minutes_per_set, keep, start, levels)
    "calf-raise": ("legs", {"foot_ankle", "achilles_calf", "shin"}, 8, 15, 2.0, 1, 2, 5),
    "squat": ("legs", {"shin", "knee", "hip_groin", "low_back"}, 6, 12, 2.5, 4, 2, 5),
    "hip-thrust": ("legs", {"hip_groin", "hamstring_glute", "low_back"}, 8, 15, 2.0, 3, 1, 5),
    "step-up": (
        "legs",
        {"foot_ankle", "achilles_calf", "shin", "knee", "hip_groin", "hamstring_glute"},
        6,
        12,
        2.5,
        2,
        1,
        4,
    ),
    "core": ("core", {"low_back"}, 8, 15, 1.5, 5, 2, 5),
}


def list_url(**params):
    from django.utils.http import urlencode

    return reverse("exercises:list") + ("?" + urlencode(params, doseq=True) if params else "")


# --- Content ------------------------------------------------------------------------------


def test_it_ships_the_five_ladders_of_the_spec_exactly(library):
    for slug, (area, regions, rmin, rmax, minutes, keep, start, levels) in SPEC_LADDERS.items():
        ladder = Ladder.objects.get(slug=slug)
        assert ladder.area == area
        assert set(ladder.regions) == regions
        assert (ladder.rep_min, ladder.rep_max) == (rmin, rmax)
        assert float(ladder.minutes_per_set) == minutes
        assert ladder.keep_priority == keep
        assert ladder.start_level == start
        assert [e.level for e in ladder.exercises.all()] == list(range(1, levels + 1))


def test_it_ships_the_spec_levels_in_order(library):
    names = {
        s: [e.name.lower() for e in Ladder.objects.get(slug=s).exercises.all()]
        for s in SPEC_LADDERS
    }
    assert "double-leg" in names["calf-raise"][0]
    assert "single" in names["calf-raise"][2]
    assert "sit" in names["squat"][0] and "goblet" in names["squat"][2]
    assert "rear-foot" in names["squat"][4] and "bulgarian" in names["squat"][4]
    assert "bridge" in names["hip-thrust"][0]
    assert "single-leg" in names["hip-thrust"][3]
    assert "low" in names["step-up"][0]
    assert "hanging leg raise" in names["core"][4]


def test_it_ships_at_least_forty_exercises_in_twelve_ladders(library):
    assert Ladder.objects.count() >= 12
    assert Exercise.objects.count() >= 40
    for ladder in Ladder.objects.prefetch_related("exercises"):
        levels = [e.level for e in ladder.exercises.all()]
        assert levels == list(range(1, len(levels) + 1)), ladder.slug
        assert len(levels) >= 3, ladder.slug


def test_it_ships_cues_and_no_invented_videos(library):
    for exercise in Exercise.objects.all():
        assert len(exercise.cue_list) >= 3, exercise.slug
        assert exercise.video_url == ""


def test_it_lets_a_backpack_stand_in_for_dumbbells(library):
    dumbbells = Equipment.objects.get(slug="dumbbells")
    assert "backpack" in {e.slug for e in dumbbells.substitutes.all()}


# --- Constraints --------------------------------------------------------------------------


def test_it_refuses_two_exercises_on_the_same_level(library):
    ladder = Ladder.objects.get(slug="squat")
    with pytest.raises(IntegrityError), transaction.atomic():
        Exercise.objects.create(ladder=ladder, level=1, slug="dup", name="Dup", cues="a")


def test_it_refuses_an_upside_down_rep_range(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Ladder.objects.create(
            slug="x",
            name="X",
            area="legs",
            rep_min=10,
            rep_max=5,
            minutes_per_set=1,
            keep_priority=9,
            why="w",
        )


def test_it_refuses_unknown_regions_in_validation(db):
    ladder = Ladder(
        slug="x",
        name="X",
        area="legs",
        rep_min=5,
        rep_max=10,
        minutes_per_set=1,
        keep_priority=9,
        why="w",
        regions=["elbow"],
    )
    with pytest.raises(ValidationError):
        ladder.full_clean()


# --- Loader -------------------------------------------------------------------------------


def test_it_loads_the_library_idempotently(library):
    counts = (Equipment.objects.count(), Ladder.objects.count(), Exercise.objects.count())
    revision = LibraryRevision.current()
    call_command("load_library", verbosity=0)
    assert (Equipment.objects.count(), Ladder.objects.count(), Exercise.objects.count()) == counts
    assert LibraryRevision.current() == revision


def test_it_restores_edited_content_and_keeps_staff_videos(library):
    exercise = Exercise.objects.get(slug="calf-raise-double-leg-floor")
    original = exercise.name
    exercise.name = "Something else"
    exercise.video_url = "https://youtu.be/dQw4w9WgXcQ"
    exercise.save()
    call_command("load_library", verbosity=0)
    exercise.refresh_from_db()
    assert exercise.name == original
    assert exercise.video_url == "https://youtu.be/dQw4w9WgXcQ"


def test_it_puts_shuffled_levels_back_in_order(library):
    ladder = Ladder.objects.get(slug="squat")
    first, second = ladder.exercises.all()[:2]
    Exercise.objects.filter(pk=first.pk).update(level=99)
    Exercise.objects.filter(pk=second.pk).update(level=1)
    Exercise.objects.filter(pk=first.pk).update(level=2)
    call_command("load_library", verbosity=0)
    assert [e.slug for e in ladder.exercises.all()][:2] == [first.slug, second.slug]


# --- Pages and filters --------------------------------------------------------------------


def test_it_lists_every_exercise_grouped_by_ladder(client, library):
    response = client.get(list_url())
    assert response.status_code == 200
    assert response.context["count"] == Exercise.objects.count()
    assert [ladder.slug for ladder, _ in response.context["groups"]][:5] == list(SPEC_LADDERS)


def test_it_filters_to_bodyweight_only(client, library):
    response = client.get(list_url(equipment="none"))
    shown = [e for _l, exs in response.context["groups"] for e in exs]
    assert shown and len(shown) < Exercise.objects.count()
    for exercise in shown:
        assert exercise.fallback or not exercise.equipment.exists(), exercise.slug
    slugs = {e.slug for e in shown}
    assert "pull-up" not in {e.ladder.slug for e in shown if e.level == 4}
    assert "calf-raise-double-leg-floor" in slugs


def test_it_shows_dumbbell_exercises_to_someone_with_a_backpack(client, library):
    dumbbell_only = Exercise.objects.filter(equipment__slug="dumbbells").first()
    dumbbell_only.fallback = ""  # no bodyweight way round it
    dumbbell_only.save()
    with_backpack = client.get(list_url(equipment=["backpack", "bench", "step"]))
    without = client.get(list_url(equipment=["bench", "step"]))
    assert dumbbell_only.name in with_backpack.content.decode()
    assert dumbbell_only.name not in without.content.decode()


def test_it_filters_by_area_and_searches_names_and_cues(client, library):
    response = client.get(list_url(area="core"))
    assert {ladder.area for ladder, _ in response.context["groups"]} == {"core"}
    response = client.get(list_url(q="nordic"))
    names = [e.name for _l, exs in response.context["groups"] for e in exs]
    assert any("Nordic" in name for name in names)
    assert response.context["count"] == len(names) < 5


def test_it_notes_unknown_filter_values_instead_of_failing(client, library):
    response = client.get(list_url(equipment=["kettlebell", "none"], area="arms"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ignored unknown equipment: kettlebell." in html
    assert "Ignored unknown area: arms." in html


def test_it_works_without_javascript_as_a_plain_get_form(client, library):
    html = client.get(list_url()).content.decode()
    assert re.search(r'<form method="get"', html)
    assert 'name="equipment"' in html and 'name="q"' in html and 'name="area"' in html


def test_it_prefilters_by_the_equipment_in_my_profile(client, library, alice):
    alice.equipment.set(Equipment.objects.filter(slug__in=["none", "step"]))
    client.force_login(alice)
    response = client.get(list_url())
    assert response.context["from_profile"]
    assert response.context["count"] < Exercise.objects.count()
    assert "Show every exercise" in response.content.decode()
    everything = client.get(list_url(all="1"))
    assert everything.context["count"] == Exercise.objects.count()


def test_it_shows_an_exercise_with_its_ladder(client, library):
    exercise = Exercise.objects.get(ladder__slug="squat", level=3)
    response = client.get(exercise.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert exercise.cue_list[0] in html.replace("&#x27;", "'").replace("&quot;", '"')
    assert response.context["easier"].level == 2
    assert response.context["harder"].level == 4
    assert 'aria-current="step"' in html
    assert "Search YouTube for a demonstration" in html
    assert exercise.ladder.why[:40] in html.replace("&#x27;", "'")


def test_it_shows_a_404_page_in_the_layout_for_an_unknown_exercise(client, library):
    response = client.get(reverse("exercises:detail", args=["no-such-thing"]))
    assert response.status_code == 404
    assert b"Exercise library" in response.content


def test_it_refuses_to_post_to_the_library(client, library):
    assert client.post(list_url()).status_code == 405
    assert client.post(reverse("exercises:detail", args=["squat-goblet"])).status_code == 405


# --- Speed and caching --------------------------------------------------------------------


def triple_the_library():
    originals = [
        (ladder, list(ladder.exercises.all()))
        for ladder in Ladder.objects.prefetch_related("exercises__equipment")
    ]
    for copy in (1, 2):
        for ladder, exercises in originals:
            ladder.pk, ladder.slug = None, f"{ladder.slug[:40]}-copy{copy}"
            ladder.save()
            for exercise in exercises:
                equipment = list(exercise.equipment.all())
                exercise.pk, exercise.slug = None, f"{exercise.slug[:40]}-copy{copy}"
                exercise.ladder = ladder
                exercise.save()
                exercise.equipment.set(equipment)


@pytest.mark.parametrize("params", [{}, {"equipment": ["none", "step"]}, {"q": "calf"}])
def test_it_runs_the_same_queries_for_three_times_the_library(
    client, library, alice, params, django_assert_max_num_queries
):
    client.force_login(alice)  # logged in: no page cache, every query runs
    url = list_url(**params)
    with CaptureQueriesContext(__import__("django.db").db.connection) as small:
        client.get(url)
    count = Exercise.objects.count()
    triple_the_library()
    assert Exercise.objects.count() == 3 * count
    with CaptureQueriesContext(__import__("django.db").db.connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_it_runs_a_constant_number_of_queries_on_the_detail_page(client, library, alice):
    client.force_login(alice)
    from django.db import connection

    url = Exercise.objects.get(ladder__slug="core", level=2).get_absolute_url()
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    triple_the_library()
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_it_serves_anonymous_pages_from_the_cache_without_cookies(client, library):
    from django.db import connection

    client.get(list_url())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(list_url())
    assert len(queries.captured_queries) == 1  # the library revision
    assert not response.cookies
    assert "public" in response["Cache-Control"]


def test_it_invalidates_the_cache_when_content_changes(client, library):
    exercise = Exercise.objects.get(ladder__slug="calf-raise", level=1)
    client.get(exercise.get_absolute_url())
    exercise.name = "Renamed calf raise"
    exercise.save()
    assert "Renamed calf raise" in client.get(exercise.get_absolute_url()).content.decode()


def test_it_keeps_the_first_load_of_the_library_under_50_kib(client, library):
    """HTML as the server compresses it, plus each CSS and JS file it loads, gzipped."""
    from django.contrib.staticfiles import finders

    response = client.get(list_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    total = len(response.content)
    html = gzip.decompress(response.content).decode()
    assets = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert assets
    for asset in assets:
        if "nojs" in asset:
            continue  # only fetched when scripting is off
        with open(finders.find(asset), "rb") as f:
            total += len(gzip.compress(f.read(), 9))
    (catalog,) = re.findall(r'src="(/jsi18n/[^"]+)"', html)  # the page's JavaScript strings
    total += len(gzip.compress(client.get(catalog).content, 9))
    assert total <= 50 * 1024, f"{total} bytes gzip"


# --- Admin --------------------------------------------------------------------------------


def test_it_lets_only_staff_edit_the_library(client, library, alice, staff):
    url = reverse("admin:exercises_exercise_changelist")
    assert client.get(url).status_code == 302
    client.force_login(alice)
    assert client.get(url).status_code == 302
    client.force_login(staff)
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "calf"}).status_code == 200
    ladder = Ladder.objects.get(slug="squat")
    assert client.get(reverse("admin:exercises_ladder_change", args=[ladder.pk])).status_code == 200


# --- Videos -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "provider", "video_id"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ?t=10", "youtube", "dQw4w9WgXcQ"),
        ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "vimeo", "76979871"),
        ("https://player.vimeo.com/video/76979871", "vimeo", "76979871"),
    ],
)
def test_it_parses_youtube_and_vimeo_links(url, provider, video_id):
    video = parse_video_url(url)
    assert (video.provider, video.video_id) == (provider, video_id)


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)",
        "https://www.youtube.com/watch?v=short",
        "https://vimeo.com/about",
        "ftp://youtu.be/x",
    ],
)
def test_it_rejects_other_video_links(url):
    with pytest.raises(ValidationError):
        validate_video_url(url)


def test_it_embeds_a_video_only_after_a_tap(client, library):
    exercise = Exercise.objects.get(ladder__slug="squat", level=2)
    exercise.video_url = "https://youtu.be/dQw4w9WgXcQ"
    exercise.save()
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert "<iframe" not in html
    assert 'data-video-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ' in html
    assert "ytimg" not in html


def test_it_accepts_a_small_mp4_and_rejects_other_files(settings):
    settings.MAX_VIDEO_UPLOAD_MB = 1
    mp4 = SimpleUploadedFile("a.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100)
    validate_video_file(mp4)
    with pytest.raises(ValidationError):
        validate_video_file(SimpleUploadedFile("a.mp4", b"<html>not a video</html>"))
    big = SimpleUploadedFile("a.mp4", b"\x00\x00\x00\x18ftypmp42")
    big.size = 2 * 1024 * 1024
    with pytest.raises(ValidationError):
        validate_video_file(big)


def test_it_serves_an_uploaded_video(client, library, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    exercise = Exercise.objects.get(ladder__slug="squat", level=1)
    exercise.video_file = SimpleUploadedFile(
        "sit.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, content_type="video/mp4"
    )
    exercise.full_clean()
    exercise.save()
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert f'src="{exercise.video_file.url}"' in html and 'preload="none"' in html
    response = client.get(exercise.video_file.url)
    assert response.status_code == 200
    assert b"ftypmp42" in b"".join(response.streaming_content)


def test_it_shows_a_flash_message_only_to_the_visitor_it_was_for(client, library, alice):
    # A logout with next=/exercises/ lands there with "You are logged out.": that page must
    # not be cached and served to the next anonymous visitor.
    client.force_login(alice)
    response = client.post(reverse("account_logout") + "?next=/exercises/", follow=True)
    flashed = response.content.decode()
    assert "You are logged out." in flashed
    stranger = type(client)()
    assert "You are logged out." not in stranger.get(reverse("exercises:list")).content.decode()
