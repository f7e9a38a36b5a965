"""A coach's own ladders and exercises: creating them, videos, and who can see them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import CoachLink
from exercises.models import Exercise, Ladder
from tests.coaching import coach_ladder

pytestmark = pytest.mark.django_db

LADDER = {
    "name": "Nordic curl",
    "area": "legs",
    "regions": ["hamstring_glute"],
    "rep_min": "3",
    "rep_max": "8",
    "rep_unit": "reps",
    "minutes_per_set": "2",
    "keep_priority": "3",
    "why": "Hamstrings that take the strain of fast running.",
}
EXERCISE = {
    "name": "Band-assisted Nordic",
    "summary": "",
    "cues": "Kneel.\nLower slowly.",
    "mistakes": "",
    "muscles": "",
    "caution": "",
    "fallback": "",
    "video_url": "",
}


def test_it_creates_a_private_ladder_with_levels(client, carol, library):
    client.force_login(carol)
    assert client.get(reverse("coaching:ladder_create")).status_code == 200
    response = client.post(reverse("coaching:ladder_create"), LADDER)
    ladder = Ladder.objects.get(name="Nordic curl")
    assert response.url == reverse("coaching:exercise_create", args=[ladder.pk])
    assert ladder.owner == carol and ladder.private
    assert ladder.slug.startswith(f"c{carol.pk}-nordic-curl-")
    for name in ("Band-assisted Nordic", "Full Nordic"):
        client.post(
            reverse("coaching:exercise_create", args=[ladder.pk]),
            {**EXERCISE, "name": name, "video_url": "youtu.be/dQw4w9WgXcQ"},
        )
    levels = list(ladder.exercises.order_by("level").values_list("level", "name"))
    assert levels == [(1, "Band-assisted Nordic"), (2, "Full Nordic")]
    exercise = ladder.exercises.get(level=1)
    assert exercise.cue_list == ["Kneel.", "Lower slowly."]
    assert exercise.video.video_id == "dQw4w9WgXcQ"
    page = client.get(reverse("coaching:ladder_list"))
    assert list(page.context["ladders"]) == [ladder]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"video_url": "https://example.com/clip"}, "video_url", "Use a YouTube or Vimeo link"),
        ({"cues": ""}, "cues", "This field is required."),
        (
            {"video_file": SimpleUploadedFile("x.mp4", b"not a video at all")},
            "video_file",
            "That file is not an MP4 video.",
        ),
        ({"video_file": SimpleUploadedFile("x.mov", b"....ftypqt  ")}, "video_file", "not allowed"),
    ],
)
def test_it_checks_videos_and_cues_like_the_library(
    client, carol, library, changes, field, message
):
    ladder = coach_ladder(carol, levels=0)
    client.force_login(carol)
    response = client.post(
        reverse("coaching:exercise_create", args=[ladder.pk]), {**EXERCISE, **changes}
    )
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not ladder.exercises.exists()


def test_it_accepts_an_mp4_upload(client, carol, library, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ladder = coach_ladder(carol, levels=0)
    client.force_login(carol)
    video = SimpleUploadedFile(
        "demo.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, content_type="video/mp4"
    )
    response = client.post(
        reverse("coaching:exercise_create", args=[ladder.pk]), {**EXERCISE, "video_file": video}
    )
    assert response.status_code == 302
    assert ladder.exercises.get().video_file.name.endswith(".mp4")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rep_min": "10", "rep_max": "5"}, "The top of the range is below the bottom."),
        ({"area": "arms"}, "Select a valid choice"),
        ({"regions": ["elbow"]}, "Select a valid"),
        ({"minutes_per_set": "0"}, "greater than or equal to 0.5"),
        ({"name": ""}, "required"),
    ],
)
def test_it_refuses_a_bad_ladder(client, carol, library, changes, message):
    client.force_login(carol)
    response = client.post(reverse("coaching:ladder_create"), {**LADDER, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Ladder.objects.filter(owner=carol).exists()


def test_it_edits_my_ladder_and_exercise(client, carol, library):
    ladder = coach_ladder(carol)
    exercise = ladder.exercises.get(level=1)
    client.force_login(carol)
    client.post(reverse("coaching:ladder_edit", args=[ladder.pk]), {**LADDER, "name": "Nordics"})
    client.post(
        reverse("coaching:exercise_edit", args=[exercise.pk]), {**EXERCISE, "name": "Easy Nordic"}
    )
    ladder.refresh_from_db()
    exercise.refresh_from_db()
    assert (ladder.name, exercise.name, ladder.private, ladder.owner) == (
        "Nordics",
        "Easy Nordic",
        True,
        carol,
    )


def test_it_keeps_a_coachs_ladders_to_the_coach(client, carol, dave, alice, library):
    ladder = coach_ladder(carol)
    exercise = ladder.exercises.first()
    client.force_login(dave)
    assert client.get(reverse("coaching:ladder_edit", args=[ladder.pk])).status_code == 404
    assert client.get(reverse("coaching:exercise_edit", args=[exercise.pk])).status_code == 404
    assert client.get(reverse("coaching:exercise_create", args=[ladder.pk])).status_code == 404
    client.force_login(alice)  # linked, but not a coach
    assert client.get(reverse("coaching:ladder_list")).status_code == 403


def test_it_keeps_coach_ladders_out_of_the_public_library(client, carol, alice, bob, library):
    ladder = coach_ladder(carol)
    exercise = ladder.exercises.first()
    client.get(reverse("exercises:list"))  # anonymous, cached
    response = client.get(reverse("exercises:list") + "?all=1")
    assert b"Nordic curl" not in response.content
    assert client.get(exercise.get_absolute_url()).status_code == 404  # anonymous
    for person, status in ((carol, 200), (alice, 200), (bob, 404)):
        client.force_login(person)
        assert client.get(exercise.get_absolute_url()).status_code == status, person
        listed = client.get(reverse("exercises:list") + "?all=1")
        assert b"Nordic curl" not in listed.content
    CoachLink.objects.get(coach=carol, athlete=alice).end(by=alice)
    client.force_login(alice)
    assert client.get(exercise.get_absolute_url()).status_code == 404


def test_it_keeps_an_athletes_history_when_their_coach_deletes_their_account(carol, alice, library):
    from tests.coaching import make_routine

    ladder = coach_ladder(carol)
    make_routine(alice, slugs=(ladder.slug,), name="With Carol's ladder")
    carol.delete_account()
    ladder.refresh_from_db()
    assert ladder.owner is None and ladder.private  # ownerless, still private
    assert Exercise.objects.filter(ladder=ladder).count() == 2
    assert ladder not in Ladder.objects.visible_to(alice)
    assert ladder not in Ladder.objects.public()
