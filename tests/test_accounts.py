"""Accounts: the whole journey, the profile, data export and account deletion."""

import csv
import io
import json
import re
import uuid
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import CoachLink, Invitation, User
from exercises.models import Equipment, Exercise
from sessions.models import WorkoutExercise, WorkoutSession, WorkoutSet
from tests.conftest import PASSWORD, add_authenticator_app, emailed_code

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
NEW_PASSWORD = "a-fresh-long-passphrase-42"


def profile_data(**changes):
    data = {
        "display_name": "Alice R.",
        "units": "kg",
        "timezone": "Europe/Madrid",
        "language": "en",
        "equipment": [],
        "dumbbells_kg": "",
        "weekly_km": "40",
        "hard_run_days": ["1", "5"],
    }
    data.update(changes)
    return data


def log_a_set(athlete, *, reps=10, load_kg=None):
    exercise = Exercise.objects.select_related("ladder").first()
    workout = WorkoutSession.objects.create(
        athlete=athlete,
        plan={},
        tier="NORMAL",
        headline_reason="BASE_NORMAL",
        finished=timezone.now(),
        session_rpe=6,
        duration_minutes=25,
    )
    item = WorkoutExercise.objects.create(
        workout=workout,
        position=1,
        ladder=exercise.ladder,
        exercise=exercise,
        prescribed_level=exercise.level,
        action="do",
        tier="NORMAL",
        sets_planned=3,
        reason="BASE_NORMAL",
    )
    return WorkoutSet.objects.create(
        item=item,
        exercise=exercise,
        set_number=1,
        reps=reps,
        load_kg=load_kg,
        rir=2,
        action="continue",
        client_id=uuid.uuid4(),
    )


# --- The journey --------------------------------------------------------------------------


def test_it_takes_a_runner_from_sign_up_to_deleting_the_account(client, library):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "runner@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    # Verify: the email carries a 6-digit code that confirms the address and logs in.
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="runner@example.com")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("[HomeStrength] ")
    response = client.post(response["Location"], {"code": emailed_code(mail.outbox[0])})
    assert response.status_code == 302
    # Straight to the first-run steps: ticking their equipment (tests/test_onboarding.py).
    assert response["Location"] == reverse("onboarding:equipment")
    assert EmailAddress.objects.get(user=user).verified

    client.post(reverse("account_logout"))
    assert client.get(PROFILE).status_code == 302
    response = client.post(
        reverse("account_login"),
        {
            "login": "runner@example.com",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302

    dumbbells = Equipment.objects.get(slug="dumbbells")
    response = client.post(
        PROFILE,
        profile_data(
            equipment=[dumbbells.pk],
            dumbbells_kg="4, 6, 8.5",
        ),
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.dumbbells_kg == [4, 6, 8.5]

    exported = json.loads(client.get(reverse("accounts:data_export")).getvalue())
    assert exported["profile"]["email"] == "runner@example.com"
    assert exported["profile"]["equipment"] == ["dumbbells"]

    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(email="runner@example.com").exists()
    assert client.get(PROFILE).status_code == 302


def test_it_keeps_new_accounts_out_until_the_email_is_confirmed(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "runner@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )
    assert b"Enter the code we emailed you" in response.content
    assert client.get(PROFILE).status_code == 302

    code = emailed_code(mail.outbox[-1])
    client.post(reverse("account_email_verification_sent"), {"code": code})
    assert client.get(PROFILE).status_code == 200


# --- Profile ------------------------------------------------------------------------------


def test_it_shows_the_profile_with_every_piece_of_equipment(client, alice, library):
    client.force_login(alice)
    response = client.get(PROFILE)
    assert response.status_code == 200
    for item in Equipment.objects.all():
        assert item.name in response.content.decode()
    assert b"Europe/Madrid" in response.content
    assert b'name="csrfmiddlewaretoken"' in response.content


def test_it_saves_the_profile(client, alice, library):
    client.force_login(alice)
    owned = list(Equipment.objects.filter(slug__in=["dumbbells", "step"]))
    response = client.post(
        PROFILE,
        profile_data(
            equipment=[e.pk for e in owned],
            dumbbells_kg="8 4, 6;4",
            hard_run_days=["5", "1", "1"],
        ),
        follow=True,
    )
    assert b"Your profile is saved." in response.content
    alice.refresh_from_db()
    assert alice.display_name == "Alice R."
    assert alice.timezone == "Europe/Madrid"
    assert alice.weekly_km == 40
    assert alice.hard_run_days == [1, 5]
    assert alice.dumbbells_kg == [4, 6, 8]
    assert {e.slug for e in alice.equipment.all()} == {"dumbbells", "step"}
    assert not alice.is_coach


def test_it_reads_and_shows_dumbbells_in_pounds(client, alice):
    alice.units = "lb"
    alice.save()
    client.force_login(alice)
    client.post(PROFILE, profile_data(units="lb", dumbbells_kg="10, 25, 12.5"))
    alice.refresh_from_db()
    assert alice.dumbbells_kg == [4.54, 5.67, 11.34]
    response = client.get(PROFILE)
    assert b'value="10, 12.5, 25"' in response.content
    assert b"Dumbbell weights I own (lb)" in response.content


def test_it_reads_the_dumbbells_in_the_units_they_were_shown_in(client, alice):
    client.force_login(alice)
    client.post(PROFILE, profile_data(units="lb", dumbbells_kg="4, 6"))
    alice.refresh_from_db()
    assert alice.units == "lb"
    assert alice.dumbbells_kg == [4, 6]


@pytest.mark.parametrize("typed", ["abc", "4, -2", "0", "101", "4, x", "1e3", "nan", "8.555"])
def test_it_refuses_dumbbell_weights_it_cannot_read(client, alice, typed):
    client.force_login(alice)
    response = client.post(PROFILE, profile_data(dumbbells_kg=typed))
    assert response.status_code == 200
    assert b"is-invalid" in response.content
    alice.refresh_from_db()
    assert alice.dumbbells_kg == []
    assert alice.display_name == "Alice"


def test_it_explains_the_dumbbell_limit_in_the_users_units(client, alice):
    alice.units = "lb"
    alice.save()
    client.force_login(alice)
    response = client.post(PROFILE, profile_data(units="lb", dumbbells_kg="250"))
    assert b"at most 220.5 lb" in response.content


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timezone", "Mars/Olympus_Mons"),
        ("units", "stone"),
        ("hard_run_days", ["7"]),
        ("weekly_km", "-5"),
        ("equipment", ["999999"]),
        ("language", "xx"),
    ],
)
def test_it_refuses_bad_profile_values(client, alice, library, field, value):
    client.force_login(alice)
    response = client.post(PROFILE, profile_data(**{field: value}))
    assert response.status_code == 200
    assert b"is-invalid" in response.content
    alice.refresh_from_db()
    assert alice.display_name == "Alice"


def test_it_asks_visitors_to_log_in_for_the_profile(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={PROFILE}"


def test_it_refuses_other_methods_on_the_profile(client, alice):
    client.force_login(alice)
    assert client.put(PROFILE).status_code == 405


def test_it_filters_the_library_by_the_equipment_in_the_profile(client, alice, library):
    client.force_login(alice)
    band = Equipment.objects.get(slug="band")
    client.post(PROFILE, profile_data(equipment=[band.pk]))
    response = client.get(reverse("exercises:list"))
    assert b"Showing what you can do with the equipment in your profile." in response.content


def test_it_opens_the_coach_area_with_the_coach_switch(client, alice):
    client.force_login(alice)
    athletes = reverse("accounts:invitation_list")
    assert client.get(athletes).status_code == 403
    before = client.get(PROFILE).content.decode()
    assert ">Invitations<" not in before
    # The way in is offered in the menu and near the top of the profile.
    assert f'href="{PROFILE}#coaching">Become a coach<' in before
    assert before.index('id="coaching-heading"') < before.index('id="about-heading"')
    client.post(PROFILE, profile_data(is_coach="on"))
    assert "The coach area opens once you set up a second login step" in (
        client.get(PROFILE).content.decode()
    )
    # Coaches see other people's training: first a second login step, then the area.
    assert client.get(athletes)["Location"] == reverse("mfa_index")
    add_authenticator_app(alice)
    assert client.get(athletes).status_code == 200
    after = client.get(PROFILE).content.decode()
    assert ">Invitations<" in after and "Become a coach" not in after
    assert "You coach 0 athletes." in after


def test_it_lists_every_coach_on_the_profile(client, alice, carol, dave):
    CoachLink.objects.create(coach=dave, athlete=alice)
    client.force_login(alice)
    content = client.get(PROFILE).content.decode()
    assert "Carol" in content and "Dave" in content
    assert content.count("End the link with") == 2


# --- Export -------------------------------------------------------------------------------


def test_it_exports_everything_about_me_as_json(client, alice, bob, carol, library):
    alice.equipment.set(Equipment.objects.filter(slug="band"))
    alice.dumbbells_kg = [4, 6]
    alice.save()
    log_a_set(alice, load_kg=Decimal("6.0"))
    log_a_set(bob)
    client.force_login(alice)

    response = client.get(reverse("accounts:data_export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert re.fullmatch(
        r'attachment; filename="homestrength-data-\d{4}-\d\d-\d\d\.json"',
        response["Content-Disposition"],
    )
    assert "no-store" in response["Cache-Control"]
    assert response.streaming  # a long history is never built whole in memory
    body = response.getvalue()
    data = json.loads(body)
    assert data["format"] == "homestrength-export"
    assert data["profile"]["equipment"] == ["band"]
    assert data["profile"]["dumbbells_kg"] == [4, 6]
    assert data["coaches"][0]["name"] == "Carol"
    assert data["coaches"][0]["ended_on"] is None
    assert data["athletes"] == []
    assert len(data["workouts"]) == 1  # Bob's session is not in Alice's file
    logged = data["workouts"][0]["exercises"][0]["sets"][0]
    assert logged["reps"] == 10
    assert logged["load_kg"] == "6.00"
    assert "bob@example.com" not in body.decode()


def test_it_exports_a_coachs_links_and_invitations_without_tokens(client, carol):
    invitation = Invitation.objects.create(coach=carol, email="new@example.com")
    client.force_login(carol)
    body = client.get(reverse("accounts:data_export")).getvalue()
    data = json.loads(body)
    assert data["athletes"][0]["email"] == "alice@example.com"
    assert data["invitations_sent"][0]["email"] == "new@example.com"
    assert data["invitations_sent"][0]["state"] == "pending"
    assert invitation.token not in body.decode()


def test_it_exports_one_csv_row_per_set(client, alice, bob, library):
    log_a_set(alice, reps=8)
    log_a_set(alice, reps=12, load_kg=Decimal("4.5"))
    log_a_set(bob)
    client.force_login(alice)

    response = client.get(reverse("accounts:sets_export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="homestrength-sets-')
    assert response.streaming
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0][:3] == ["session_id", "session_started", "session_finished"]
    assert len(rows) == 3
    assert [r[rows[0].index("reps")] for r in rows[1:]] == ["8", "12"]
    assert rows[2][rows[0].index("load_kg")] == "4.50"


def test_it_exports_just_the_header_before_any_set_is_logged(client, alice):
    client.force_login(alice)
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("accounts:sets_export")).getvalue().decode()))
    )
    assert len(rows) == 1


@pytest.mark.parametrize("name", ["accounts:data_export", "accounts:sets_export"])
def test_it_asks_visitors_to_log_in_for_exports(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("name", ["accounts:data_export", "accounts:sets_export"])
def test_it_only_exports_on_get(client, alice, name):
    client.force_login(alice)
    assert client.post(reverse(name)).status_code == 405


# --- Deletion -----------------------------------------------------------------------------


def test_it_asks_for_the_password_before_deleting(client, alice):
    client.force_login(alice)
    response = client.get(reverse("accounts:delete"))
    assert response.status_code == 200
    assert b'type="password"' in response.content


def test_it_deletes_the_account_and_every_personal_record(client, alice, carol, library):
    log_a_set(alice)
    alice.equipment.set(Equipment.objects.all()[:2])
    Invitation.objects.create(coach=carol, email="Alice@Example.com")
    used = Invitation.objects.create(coach=carol)
    used.used_at, used.used_by = timezone.now(), alice
    used.save()
    client.force_login(alice)

    response = client.post(reverse("accounts:delete"), {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    assert b"Your account and everything in it are deleted." in response.content
    assert not User.objects.filter(email="alice@example.com").exists()
    assert not WorkoutSession.objects.exists()
    assert not WorkoutSet.objects.exists()
    assert not CoachLink.objects.exists()
    assert not Invitation.objects.exists()
    assert not EmailAddress.objects.filter(email__iexact="alice@example.com").exists()
    assert not carol.coached_athletes().exists()  # the coach loses access at once
    assert client.get(PROFILE).status_code == 302


def test_it_keeps_the_athletes_history_when_a_coach_deletes_their_account(
    client, alice, carol, library
):
    log_a_set(alice)
    client.force_login(carol)
    client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert not User.objects.filter(pk=carol.pk).exists()
    assert WorkoutSet.objects.filter(item__workout__athlete=alice).count() == 1
    assert not alice.coaches().exists()


def test_it_refuses_to_delete_with_a_wrong_password(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:delete"), {"password": "not-my-password"})
    assert response.status_code == 200
    assert b"That password is not right." in response.content
    assert User.objects.filter(pk=alice.pk).exists()


def test_it_refuses_to_delete_without_a_password(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:delete"), {})
    assert response.status_code == 200
    assert User.objects.filter(pk=alice.pk).exists()


def test_it_stops_guessing_the_password_on_the_delete_form(client, alice):
    client.force_login(alice)
    for _ in range(5):
        client.post(reverse("accounts:delete"), {"password": "guess"})
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 200
    assert b"Too many failed login attempts" in response.content
    assert User.objects.filter(pk=alice.pk).exists()


def test_it_asks_visitors_to_log_in_before_deleting(client):
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_refuses_other_methods_on_delete(client, alice):
    client.force_login(alice)
    assert client.put(reverse("accounts:delete")).status_code == 405


def test_it_falls_back_to_utc_for_a_time_zone_that_no_longer_exists(alice, client, library):
    from datetime import UTC, datetime

    alice.timezone = "Mars/Olympus_Mons"  # e.g. a zone removed from tzdata
    alice.save(update_fields=["timezone"])
    assert str(alice.zone) == "UTC"
    assert alice.local_today(datetime(2026, 1, 1, 23, 30, tzinfo=UTC)).isoformat() == "2026-01-01"
    client.force_login(alice)
    assert client.get("/today/").status_code == 200
    assert client.get("/calendar/").status_code == 200
