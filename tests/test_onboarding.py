"""First run (issue 17): sign-up, then equipment, running week and today's check-in.

Each step edits the signed-in person's own profile with the profile's own checks, can be
skipped, and never sends anyone back through it; the browser's time zone is a guess that
is ignored when it is not a real zone.
"""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from exercises.models import Equipment
from runs.models import Race
from tests.conftest import PASSWORD, emailed_code

pytestmark = pytest.mark.django_db

STEP1 = reverse("onboarding:equipment")
STEP2 = reverse("onboarding:running")
TODAY = reverse("today")
CHECK_IN = f"{TODAY}?welcome=1"
PROFILE = reverse("accounts:profile")


def kit(*slugs):
    return [str(pk) for pk in Equipment.objects.filter(slug__in=slugs).values_list("pk", flat=True)]


def sign_up(client, **extra):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD, **extra},
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    return client.post(response["Location"], {"code": emailed_code(mail.outbox[-1])})


def in_a_week():
    return (timezone.localdate() + timedelta(days=7)).isoformat()


# --- Sign-up and the time zone guess --------------------------------------------------------


def test_sign_up_leads_to_step_one_with_the_browser_time_zone(client, library):
    response = sign_up(client, tz_guess="America/Denver")
    assert response["Location"] == STEP1
    user = User.objects.get(email="new@example.com")
    assert user.timezone == "America/Denver"
    assert user.onboarded_at is None
    page = client.get(STEP1)
    assert page.status_code == 200
    assert b"Step 1 of 3" in page.content
    assert b"data-guess-timezone" in page.content


@pytest.mark.parametrize(
    "guess", ["Mars/Olympus_Mons", "../../etc/passwd", "Europe/Madrid\x00", "A" * 500, ""]
)
def test_sign_up_ignores_a_time_zone_that_is_not_one(client, library, guess):
    response = sign_up(client, tz_guess=guess)
    assert response["Location"] == STEP1
    assert User.objects.get(email="new@example.com").timezone == "UTC"


def test_step_one_takes_the_guess_only_over_the_default(client, alice, bob, library):
    client.force_login(alice)
    client.post(STEP1, {"tz_guess": "Asia/Tokyo", "skip": "1"})
    alice.refresh_from_db()
    assert alice.timezone == "Asia/Tokyo"

    bob.timezone = "Europe/Madrid"  # chosen on the profile: a guess never replaces it
    bob.save()
    client.force_login(bob)
    client.post(STEP1, {"tz_guess": "Asia/Tokyo", "skip": "1"})
    bob.refresh_from_db()
    assert bob.timezone == "Europe/Madrid"


def test_step_one_ignores_a_bad_time_zone_and_saves_the_rest(client, alice, library):
    client.force_login(alice)
    response = client.post(STEP1, {"tz_guess": "Nowhere/Land", "equipment": kit("step")})
    assert response["Location"] == STEP2
    alice.refresh_from_db()
    assert alice.timezone == "UTC"
    assert [e.slug for e in alice.equipment.all()] == ["step"]


# --- Step 1: equipment ----------------------------------------------------------------------


def test_step_one_shows_a_tile_with_an_icon_for_every_piece_of_equipment(client, alice, library):
    client.force_login(alice)
    page = client.get(STEP1).content.decode()
    for item in Equipment.objects.all():
        assert f'value="{item.pk}"' in page
        assert f"img/equipment/{item.slug}.svg" in page
    assert "Sturdy chair or bench" in page
    assert "Skip this step" in page
    assert "Skip setup" in page


def test_step_one_saves_the_equipment_and_dumbbells_in_pounds(client, alice, library):
    client.force_login(alice)
    response = client.post(
        STEP1,
        {"equipment": kit("dumbbells", "bench"), "units": "lb", "dumbbells_kg": "10, 20"},
    )
    assert response["Location"] == STEP2
    alice.refresh_from_db()
    assert {e.slug for e in alice.equipment.all()} == {"dumbbells", "bench"}
    assert alice.units == "lb"
    assert alice.dumbbells_kg == [4.54, 9.07]
    # The profile shows the same answers, in pounds, to edit later.
    profile = client.get(PROFILE).content.decode()
    assert 'value="10, 20"' in profile


def test_step_one_says_what_is_wrong_and_saves_nothing(client, alice, library):
    client.force_login(alice)
    response = client.post(STEP1, {"equipment": kit("dumbbells"), "dumbbells_kg": "4, six"})
    assert response.status_code == 200
    assert b"Type the weights as numbers separated by commas" in response.content
    assert b'aria-invalid="true"' in response.content
    alice.refresh_from_db()
    assert not alice.equipment.exists()
    assert alice.dumbbells_kg == []

    response = client.post(STEP1, {"equipment": ["999999"]})
    assert response.status_code == 200
    assert b"999999 is not one of the available choices" in response.content
    response = client.post(STEP1, {"equipment": ["99999999999999999999"]})
    assert response.status_code == 200
    assert "“99999999999999999999” is not a valid value." in response.content.decode()

    response = client.post(STEP1, {"dumbbells_kg": "500", "units": "kg"})
    assert b"Each weight must be more than 0 and at most 100 kg." in response.content


def test_skipping_step_one_saves_nothing_and_goes_on(client, alice, library):
    client.force_login(alice)
    response = client.post(STEP1, {"equipment": kit("step"), "skip": "1"})
    assert response["Location"] == STEP2
    alice.refresh_from_db()
    assert not alice.equipment.exists()
    assert alice.onboarded_at is None


def test_sending_step_one_twice_keeps_one_answer(client, alice, library):
    client.force_login(alice)
    answer = {"equipment": kit("band"), "dumbbells_kg": "6, 8"}
    assert client.post(STEP1, answer)["Location"] == STEP2
    assert client.post(STEP1, answer)["Location"] == STEP2
    alice.refresh_from_db()
    assert [e.slug for e in alice.equipment.all()] == ["band"]
    assert alice.dumbbells_kg == [6, 8]


# --- Step 2: running week and next race ----------------------------------------------------


def test_step_two_saves_the_running_week_and_the_race(client, alice):
    client.force_login(alice)
    page = client.get(STEP2)
    assert b"Step 2 of 3" in page.content
    assert f'href="{STEP1}"'.encode() in page.content  # back
    response = client.post(
        STEP2,
        {
            "weekly_km": "42",
            "hard_run_days": ["3", "1"],
            "race-name": "Valencia Marathon",
            "race-date": in_a_week(),
            "race-distance_km": "42,2",
        },
    )
    assert response["Location"] == CHECK_IN
    alice.refresh_from_db()
    assert alice.weekly_km == 42
    assert alice.hard_run_days == [1, 3]
    assert alice.onboarded_at is not None
    race = Race.objects.get(athlete=alice)
    assert race.name == "Valencia Marathon"
    assert str(race.distance_km) == "42.20"
    assert race.priority == "A"


def test_step_two_without_a_race_stores_none(client, alice):
    client.force_login(alice)
    response = client.post(STEP2, {"weekly_km": "", "race-name": "  ", "race-date": ""})
    assert response["Location"] == CHECK_IN
    assert not Race.objects.exists()


@pytest.mark.parametrize(
    "answer, message",
    [
        ({"weekly_km": "9999"}, "Ensure this value is less than or equal to 500."),
        ({"weekly_km": "lots"}, "Enter a whole number."),
        ({"race-name": "City 10K"}, "Give the race’s date."),
        ({"race-date": "2099-01-01"}, "Add races at most three years ahead."),
        ({"race-distance_km": "10"}, "Give the race a name."),
        ({"race-name": "Old race", "race-date": "2020-05-01"}, "That day has passed."),
        ({"race-name": "City 10K", "race-date": "31/02/2027"}, "Enter a valid date."),
        ({"race-name": "City\u202e 10K", "race-date": "2027-01-01"}, "invisible"),
        ({"hard_run_days": ["9"]}, "Select a valid choice. 9 is not one of the available"),
    ],
)
def test_step_two_says_what_is_wrong_and_saves_nothing(client, alice, answer, message):
    client.force_login(alice)
    response = client.post(STEP2, {"weekly_km": "30", **answer})
    assert response.status_code == 200
    assert message in response.content.decode()
    alice.refresh_from_db()
    assert alice.weekly_km is None
    assert alice.onboarded_at is None
    assert not Race.objects.exists()


def test_sending_step_two_twice_stores_one_race(client, alice):
    client.force_login(alice)
    answer = {"weekly_km": "30", "race-name": "City 10K", "race-date": in_a_week()}
    assert client.post(STEP2, answer)["Location"] == CHECK_IN
    assert client.post(STEP2, answer)["Location"] == CHECK_IN
    assert Race.objects.filter(athlete=alice).count() == 1


def test_coming_back_to_step_two_edits_the_next_race(client, alice):
    race = Race.objects.create(
        athlete=alice, name="Park run", date=timezone.localdate() + timedelta(days=3)
    )
    client.force_login(alice)
    page = client.get(STEP2).content.decode()
    assert 'value="Park run"' in page
    client.post(STEP2, {"race-name": "Park 5K", "race-date": race.date.isoformat()})
    race.refresh_from_db()
    assert race.name == "Park 5K"
    assert Race.objects.count() == 1


def test_a_double_tap_with_a_new_race_stores_it_once(client, alice):
    """Both taps read "no race yet" before either saved: the second finds the first's."""
    from onboarding.forms import NextRaceForm

    day = in_a_week()
    answer = {"race-name": "Hill race", "race-date": day}
    forms = [NextRaceForm(answer, instance=Race(athlete=alice), prefix="race") for _ in "12"]
    assert all(form.is_valid() for form in forms)
    first, second = (form.save_race(alice) for form in forms)
    assert first.pk == second.pk
    assert Race.objects.count() == 1


def test_skipping_step_two_hands_over_to_the_check_in(client, alice):
    client.force_login(alice)
    response = client.post(STEP2, {"weekly_km": "50", "skip": "1"})
    assert response["Location"] == CHECK_IN
    alice.refresh_from_db()
    assert alice.weekly_km is None
    assert alice.onboarded_at is not None


def test_the_check_in_says_it_is_the_last_step(client, alice, library):
    client.force_login(alice)
    page = client.get(CHECK_IN).content.decode()
    assert "Step 3 of 3" in page
    assert f'href="{STEP2}"' in page
    assert "How are you today?" in page
    assert "Step 3 of 3" not in client.get(TODAY).content.decode()


# --- Skipping, coming back, who sees what ---------------------------------------------------


def test_skip_setup_marks_the_account_set_up(client, alice, library):
    client.force_login(alice)
    response = client.post(STEP1, {"equipment": kit("step"), "skip_all": "1"}, follow=True)
    assert response.redirect_chain[0][0] == TODAY
    assert b"Set-up skipped" in response.content
    alice.refresh_from_db()
    assert alice.onboarded_at is not None
    assert not alice.equipment.exists()


def test_skip_setup_from_step_two(client, alice):
    client.force_login(alice)
    assert client.post(STEP2, {"skip_all": "1"})["Location"] == TODAY
    alice.refresh_from_db()
    assert alice.onboarded_at is not None


def test_a_coach_can_go_straight_to_the_coach_set_up(client, alice, library):
    client.force_login(alice)
    response = client.post(STEP1, {"skip_all": "coach"})
    assert response["Location"] == f"{PROFILE}#coaching"
    alice.refresh_from_db()
    assert alice.onboarded_at is not None


def test_finishing_twice_keeps_the_first_time(client, alice):
    client.force_login(alice)
    client.post(STEP2, {"skip": "1"})
    alice.refresh_from_db()
    first = alice.onboarded_at
    client.post(STEP2, {"skip": "1"})
    alice.refresh_from_db()
    assert alice.onboarded_at == first


def test_someone_set_up_is_not_sent_back_but_can_come_back(client, alice, library):
    alice.onboarded_at = timezone.now()
    alice.save()
    response = client.post(reverse("account_login"), {"login": alice.email, "password": PASSWORD})
    assert response["Location"] == reverse("home")
    profile = client.get(PROFILE).content.decode()
    assert "New here?" not in profile
    assert f'href="{STEP1}"' in profile
    assert client.get(STEP1).status_code == 200


def test_the_profile_offers_the_steps_until_they_are_done(client, alice, library):
    client.force_login(alice)
    assert b"New here? Three short steps" in client.get(PROFILE).content
    client.post(STEP2, {"skip": "1"})
    assert b"New here? Three short steps" not in client.get(PROFILE).content


def test_the_steps_change_only_the_signed_in_person(client, alice, bob, library):
    Race.objects.create(athlete=bob, name="Bob race", date=timezone.localdate() + timedelta(5))
    bob.equipment.set(Equipment.objects.filter(slug="band"))
    client.force_login(alice)
    assert b"Bob race" not in client.get(STEP2).content
    client.post(STEP1, {"equipment": kit("step"), "dumbbells_kg": "", "user": bob.pk})
    client.post(STEP2, {"weekly_km": "10", "race-name": "Mine", "race-date": in_a_week()})
    bob.refresh_from_db()
    assert [e.slug for e in bob.equipment.all()] == ["band"]
    assert bob.weekly_km is None and bob.onboarded_at is None
    assert list(Race.objects.filter(athlete=bob).values_list("name", flat=True)) == ["Bob race"]
    assert Race.objects.get(name="Mine").athlete == alice


def test_visitors_are_sent_to_log_in(client):
    for url in (STEP1, STEP2):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{reverse('account_login')}?next=")
        assert client.post(url, {"skip_all": "1"}).status_code == 302


def test_existing_accounts_count_as_set_up_after_the_migration(alice, bob):
    migration = importlib.import_module("accounts.migrations.0005_onboarding")
    bob.onboarded_at = timezone.now() - timedelta(days=1)
    bob.save()
    migration.existing_accounts_are_set_up(apps, None)
    alice.refresh_from_db()
    assert alice.onboarded_at == alice.date_joined
    earlier = bob.onboarded_at
    bob.refresh_from_db()
    assert bob.onboarded_at == earlier
