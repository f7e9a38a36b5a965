"""One list of pain regions and one "painful region" rule (spec §3, §9).

The check-in, the plan's counters and the coach's dashboard read the same list and the same
rule, and a warning sign belongs to the pain it was ticked for, not to every pain.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from coaching.dashboard import athlete_rows
from coaching.forms import LadderForm
from exercises.models import REGION_CHOICES
from sessions import volume
from sessions.forms import CheckInForm
from sessions.models import CheckIn, WorkoutSession, painful_regions
from sessions.planning import persistent_pain
from tests.coaching import make_workout
from tests.test_sessions import check_in

# --- One list -----------------------------------------------------------------------------


def test_it_keeps_the_engines_regions_in_the_one_labelled_list():
    assert tuple(key for key, _label in REGION_CHOICES) == volume.REGIONS


def test_it_asks_about_every_region_and_no_other_on_the_check_in():
    form = CheckInForm()
    asked = tuple(name.removeprefix("pain_") for name in form.fields if name.startswith("pain_"))
    assert asked == volume.REGIONS
    boxes = tuple(value for value, _label in form.fields["red_flag_regions"].choices)
    assert boxes == volume.REGIONS


def test_it_offers_a_coach_the_same_regions_for_a_ladder():
    offered = tuple(value for value, _label in LadderForm.base_fields["regions"].choices)
    assert offered == volume.REGIONS


# --- One rule -------------------------------------------------------------------------------


def test_it_counts_a_region_with_a_warning_sign_as_painful_everywhere():
    now = timezone.now()
    flagged = [{"region": "knee", "nrs": 0, "red_flag": True}]
    checkins = [(now - timedelta(days=n), flagged) for n in range(3)]
    assert painful_regions(flagged) == ["knee"]
    assert CheckIn(pains=flagged).pain_regions == {"knee"}
    assert persistent_pain(checkins) == "knee"


def test_it_lists_painful_regions_in_the_region_order():
    pains = [
        {"region": "low_back", "nrs": 2},
        {"region": "foot_ankle", "nrs": 1},
        {"region": "knee", "nrs": 0},
    ]
    assert painful_regions(pains) == ["foot_ankle", "low_back"]


# --- A warning sign belongs to its own pain ---------------------------------------------------


@pytest.mark.django_db
def test_it_keeps_a_warning_sign_on_the_pain_it_was_ticked_for(client, alice, library):
    client.force_login(alice)
    response = check_in(
        client,
        pain_knee="2",
        pain_achilles_calf="3",
        red_flags=["swelling"],
        red_flag_regions=["knee"],
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    pains = {p["region"]: p["red_flag"] for p in CheckIn.objects.get().pains}
    assert pains == {"knee": True, "achilles_calf": False}
    workout = WorkoutSession.objects.get()
    squat = workout.items.get(ladder__slug="squat")
    calf = workout.items.get(ladder__slug="calf-raise")
    assert squat.action == "skip" and squat.reason == "PAIN_RED"
    assert calf.action == "do"  # a mild calf, lighter, not skipped for the knee's sign


@pytest.mark.django_db
def test_it_gives_a_single_pain_the_warning_signs_ticked(client, alice, library):
    client.force_login(alice)
    response = check_in(client, pain_shin="2", red_flags=["rest"])
    assert response.status_code == 302
    assert CheckIn.objects.get().pains == [{"region": "shin", "nrs": 2, "red_flag": True}]


@pytest.mark.django_db
def test_it_asks_which_pain_has_the_sign_when_several_hurt(client, alice, library):
    client.force_login(alice)
    response = check_in(client, pain_knee="2", pain_shin="2", red_flags=["limp"])
    assert response.status_code == 200
    assert "tick the one with the warning sign" in response.content.decode()
    assert CheckIn.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_a_warning_sign_on_a_region_that_does_not_hurt(client, alice, library):
    client.force_login(alice)
    response = check_in(client, pain_knee="2", red_flags=["limp"], red_flag_regions=["shin"])
    assert response.status_code == 200
    assert "You marked a warning sign for Shin" in response.content.decode()
    assert CheckIn.objects.count() == 0


@pytest.mark.django_db
def test_it_shows_the_coach_the_warning_sign_on_its_own_region(carol, alice, library):
    pains = [
        {"region": "knee", "nrs": 2, "red_flag": True},
        {"region": "achilles_calf", "nrs": 3, "red_flag": False},
    ]
    make_workout(alice, when=timezone.now() - timedelta(hours=1), pains=pains)
    row = next(r for r in athlete_rows(carol) if r.athlete == alice)
    details = {f.code: f.detail for f in row.flags}
    assert details == {"RED_FLAG": "Knee", "PAIN": "Achilles and calf"}
