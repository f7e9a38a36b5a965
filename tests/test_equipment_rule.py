"""One equipment rule for the library's filter and the plan (spec §8: what stands in).

With the same profile, every exercise the plan prescribes is one the library (filtered by
that profile) shows, and whenever its kit is missing the plan shows its stand-in.
"""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from exercises.models import Equipment, Ladder
from sessions.models import LadderProgress
from tests.coaching import make_workout
from tests.test_sessions import open_workout

pytestmark = pytest.mark.django_db


def library_slugs(client) -> set[str]:
    """The exercises the library shows this user, filtered by their profile."""
    response = client.get(reverse("exercises:list"))
    assert response.status_code == 200
    return {exercise.slug for _ladder, shown in response.context["groups"] for exercise in shown}


def give(athlete, *slugs):
    athlete.equipment.set(Equipment.objects.filter(slug__in=slugs))


@pytest.mark.parametrize("kit", [("bench",), ("none",), ("bench", "dumbbells"), ("step",)])
def test_it_prescribes_only_what_the_library_shows_for_the_same_profile(
    client, alice, library, kit
):
    give(alice, *kit)
    client.force_login(alice)
    shown = library_slugs(client)
    workout = open_workout(client)
    html = unescape(client.get(workout.get_absolute_url()).content.decode())
    for item in workout.items.select_related("exercise"):
        assert item.exercise.slug in shown, (kit, item.exercise.slug)
        if item.action == "do" and item.exercise.missing_equipment(set(kit)):
            assert item.use_fallback
            assert item.exercise.fallback in html


def test_it_gives_a_beginner_without_a_step_the_low_step_up_with_its_stand_in(
    client, alice, library
):
    give(alice, "bench")
    client.force_login(alice)
    assert "step-up-low" in library_slugs(client)  # shown, with its stand-in
    workout = open_workout(client)
    step_up = workout.items.get(ladder__slug="step-up")
    # A beginner stays at the first level (never moved to a harder one for lack of kit).
    assert step_up.exercise.slug == "step-up-low"
    assert step_up.prescribed_level == 1 and step_up.use_fallback
    html = unescape(client.get(workout.get_absolute_url()).content.decode())
    assert "Without the kit:" in html
    assert step_up.exercise.fallback in html


def test_a_level_without_kit_or_stand_in_gives_way_to_an_easier_one(client, alice, library):
    give(alice, "none")  # no bench: the dumbbell step-up's stand-in needs one too
    level_3 = Ladder.objects.get(slug="step-up").exercises.get(level=3)
    level_3.fallback = ""
    level_3.save()
    LadderProgress.objects.create(athlete=alice, ladder=Ladder.objects.get(slug="step-up"), level=3)
    client.force_login(alice)
    step_up = open_workout(client).items.get(ladder__slug="step-up")
    assert step_up.prescribed_level == 2 and step_up.use_fallback


def test_it_never_moves_up_a_level_for_lack_of_kit(library):
    ladder = Ladder.objects.get(slug="step-up")
    low = ladder.exercises.get(level=1)
    low.fallback = ""
    low.save()
    ladder = Ladder.objects.prefetch_related("exercises").get(pk=ladder.pk)
    # Nothing at or below level 1 can be done without a step: level 1 all the same,
    # never the harder bench step-up; an athlete usually at level 2 gets level 2.
    assert ladder.level_for(1, {"bench"}, at_most=1).level == 1
    assert ladder.level_for(1, {"bench"}, at_most=2).level == 2


def test_it_keeps_the_level_when_the_kit_is_there(client, alice, library):
    give(alice, "step")
    client.force_login(alice)
    step_up = open_workout(client).items.get(ladder__slug="step-up")
    assert step_up.exercise.slug == "step-up-low" and not step_up.use_fallback


def test_it_treats_an_empty_profile_as_everything_in_both_places(client, alice, library):
    client.force_login(alice)
    assert "step-up-low" in library_slugs(client)
    step_up = open_workout(client).items.get(ladder__slug="step-up")
    assert step_up.exercise.slug == "step-up-low" and not step_up.use_fallback


def advance_core_from_level_4(client, alice):
    for days in range(4, 14, 2):  # an established athlete: a normal day, 2 in reserve
        make_workout(alice, when=timezone.now() - timedelta(days=days))
    LadderProgress.objects.create(athlete=alice, ladder=Ladder.objects.get(slug="core"), level=4)
    client.force_login(alice)
    workout = open_workout(client)
    core = workout.items.get(ladder__slug="core")
    assert core.exercise.level == 4
    log = client.get(reverse("workout_sessions:log", args=[workout.pk]))
    while log.context["item"].pk != core.pk:  # skip to the core exercise
        position = log.context["item"].position
        client.post(reverse("workout_sessions:skip_item", args=[workout.pk, position]))
        log = client.get(reverse("workout_sessions:log", args=[workout.pk]))
    initial = log.context["form"].initial
    data = {key: initial[key] for key in ("client_id", "position", "set_number")}
    client.post(
        reverse("workout_sessions:log_set", args=[workout.pk]),
        {**data, "reps": "15", "rir": "5", "load": "", "pain": "0"},
    )
    core.refresh_from_db()
    assert core.sets.get().action == "advance_level"
    return core


def test_it_does_not_move_up_in_a_session_to_a_level_the_kit_cannot_do(client, alice, library):
    give(alice, "none")  # no pull-up bar: the top level has no stand-in
    core = advance_core_from_level_4(client, alice)
    assert core.exercise.level == 4


def test_it_moves_up_in_a_session_when_the_kit_is_there(client, alice, library):
    give(alice, "pullup-bar")
    core = advance_core_from_level_4(client, alice)
    assert core.exercise.level == 5 and not core.use_fallback
