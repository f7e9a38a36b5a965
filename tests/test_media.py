"""Uploaded videos: random names, served only to those who may see the exercise, in ranges.

A coach's own exercises are private: their videos go to the coach and the athletes linked
to them right now. Library videos are public. Phones' video players seek by asking for
byte ranges, so the view answers ``Range`` requests.
"""

import importlib
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import CoachLink
from core import byteranges
from exercises.models import Exercise
from tests.coaching import coach_ladder

VIDEO = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 4  # 1036 bytes
RANDOM_NAME = re.compile(r"videos/[A-Za-z0-9_-]{32}\.mp4")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def with_video(exercise, filename="demo.mp4"):
    exercise.video_file = SimpleUploadedFile(filename, VIDEO, content_type="video/mp4")
    exercise.save()
    return exercise


@pytest.fixture
def private_video(carol):
    return with_video(coach_ladder(carol).exercises.first())


@pytest.fixture
def library_video(library):
    return with_video(Exercise.objects.get(ladder__slug="squat", level=1))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- Names ------------------------------------------------------------------------------


def test_it_gives_an_uploaded_video_a_random_name(client, carol, library):
    ladder = coach_ladder(carol, levels=0)
    client.force_login(carol)
    for _ in range(2):
        upload = SimpleUploadedFile("alice-knee-rehab.mp4", VIDEO, content_type="video/mp4")
        data = {"name": "Nordic curl", "cues": "Kneel.", "video_file": upload}
        client.post(reverse("coaching:exercise_create", args=[ladder.pk]), data)
    names = [exercise.video_file.name for exercise in ladder.exercises.all()]
    assert len(names) == 2
    assert all(RANDOM_NAME.fullmatch(name) for name in names)
    assert names[0] != names[1]
    assert all(default_storage.open(name).read() == VIDEO for name in names)


def test_it_renames_videos_stored_under_their_old_names(carol, settings):
    exercise = coach_ladder(carol).exercises.first()
    old = default_storage.save("videos/carol-private-drill.mp4", ContentFile(VIDEO))
    Exercise.objects.filter(pk=exercise.pk).update(video_file=old)
    other = Exercise.objects.exclude(pk=exercise.pk).filter(ladder=exercise.ladder).get()
    Exercise.objects.filter(pk=other.pk).update(video_file=old)  # two levels, one file
    migration = importlib.import_module("exercises.migrations.0004_random_video_names")
    from django.apps import apps

    migration.rename_videos(apps, None)

    exercise.refresh_from_db()
    other.refresh_from_db()
    assert RANDOM_NAME.fullmatch(exercise.video_file.name)
    assert other.video_file.name == exercise.video_file.name
    assert default_storage.open(exercise.video_file.name).read() == VIDEO
    assert not default_storage.exists(old)


def test_it_leaves_a_row_alone_when_its_old_file_is_missing(carol):
    exercise = coach_ladder(carol).exercises.first()
    Exercise.objects.filter(pk=exercise.pk).update(video_file="videos/gone.mp4")
    migration = importlib.import_module("exercises.migrations.0004_random_video_names")
    from django.apps import apps

    migration.rename_videos(apps, None)

    exercise.refresh_from_db()
    assert exercise.video_file.name == "videos/gone.mp4"


# --- Who gets a video -------------------------------------------------------------------


def test_it_serves_a_private_video_to_its_coach_and_linked_athlete(
    client, alice, carol, private_video
):
    for person in (carol, alice):
        client.force_login(person)
        response = client.get(private_video.video_file.url)
        assert response.status_code == 200
        assert response["Content-Type"] == "video/mp4"
        assert response["Content-Length"] == str(len(VIDEO))
        assert response["Accept-Ranges"] == "bytes"
        assert response["Cache-Control"] == "private, no-cache"
        assert body(response) == VIDEO


@pytest.mark.parametrize("who", ["anonymous", "bob", "dave", "staff"])
def test_it_hides_a_private_video_from_everyone_else(client, private_video, who, request):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(private_video.video_file.url).status_code == 404


def test_it_hides_a_private_video_once_the_link_ended(client, alice, carol, private_video):
    CoachLink.objects.get(coach=carol, athlete=alice).end(by=alice)
    client.force_login(alice)
    assert client.get(private_video.video_file.url).status_code == 404


def test_it_serves_library_videos_to_everyone(client, alice, library_video):
    response = client.get(library_video.video_file.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=86400"
    assert body(response) == VIDEO
    client.force_login(alice)
    assert client.get(library_video.video_file.url).status_code == 200


def test_it_serves_no_file_that_no_exercise_uses(client, carol, private_video):
    """A replaced video stays on disk until cleaned up; its old address answers nothing."""
    orphan = default_storage.save("videos/orphan.mp4", ContentFile(VIDEO))
    client.force_login(carol)
    assert client.get(f"/media/{orphan}").status_code == 404


def test_it_answers_a_missing_file_with_404(client, carol, private_video):
    default_storage.delete(private_video.video_file.name)
    client.force_login(carol)
    assert client.get(private_video.video_file.url).status_code == 404


def test_it_serves_videos_only_on_get(client, library_video):
    assert client.post(library_video.video_file.url).status_code == 405


# --- Byte ranges ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "start", "stop"),
    [
        ("bytes=0-3", 0, 4),
        ("bytes=1000-", 1000, 1036),
        ("bytes=-36", 1000, 1036),
        ("bytes=1030-5000", 1030, 1036),
    ],
)
def test_it_sends_the_bytes_asked_for(client, library_video, header, start, stop):
    response = client.get(library_video.video_file.url, headers={"Range": header})
    assert response.status_code == 206
    assert body(response) == VIDEO[start:stop]
    assert response["Content-Length"] == str(stop - start)
    assert response["Content-Range"] == f"bytes {start}-{stop - 1}/{len(VIDEO)}"
    assert response["Content-Type"] == "video/mp4"


def test_it_answers_416_for_a_range_past_the_end(client, library_video):
    response = client.get(library_video.video_file.url, headers={"Range": "bytes=2000-"})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(VIDEO)}"


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "bytes=5-2", "pages=1-2", "bytes=x-"])
def test_it_sends_the_whole_file_for_ranges_it_does_not_serve(client, library_video, header):
    response = client.get(library_video.video_file.url, headers={"Range": header})
    assert response.status_code == 200
    assert body(response) == VIDEO


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        (None, 10, None),
        ("", 10, None),
        ("bytes=0-0", 10, range(0, 1)),
        ("bytes=2-", 10, range(2, 10)),
        ("bytes=-3", 10, range(7, 10)),
        ("bytes=-30", 10, range(0, 10)),
        ("bytes=4-100", 10, range(4, 10)),
        (" bytes = 1 - 2 ", 10, range(1, 3)),
        ("bytes=0-1, 4-5", 10, None),
        ("bytes=3-2", 10, None),
        ("bytes=-", 10, None),
        ("bytes=a-b", 10, None),
        ("bytes=1-2-3", 10, None),
        ("items=0-1", 10, None),
        ("bytes=" + "9" * 5000 + "-", 10, None),
    ],
)
def test_it_reads_range_headers(header, size, expected):
    assert byteranges.requested(header, size) == expected


@pytest.mark.parametrize(
    ("header", "size"), [("bytes=10-", 10), ("bytes=-0", 10), ("bytes=0-", 0), ("bytes=-5", 0)]
)
def test_it_refuses_ranges_outside_the_file(header, size):
    with pytest.raises(byteranges.Unsatisfiable):
        byteranges.requested(header, size)
