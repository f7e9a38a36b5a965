"""A coach triages her athletes: on a laptop she sorts, searches and filters the table and
marks a flag seen; on a phone the same table reads as one card per athlete.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import CoachLink
from coaching.models import Comment, FlagSeen
from runs.models import Run
from sessions.models import CheckIn
from tests.a11y import assert_accessible, assert_no_horizontal_scroll
from tests.browser import log_in
from tests.coaching import make_workout
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coach_triages_on_a_laptop_and_a_phone(
    desktop, phone, alice, carol, django_user_model, live_server
):
    call_command("load_library", verbosity=0)
    now = timezone.now()
    ben = make_user(django_user_model, "ben@example.com", display_name="Ben")
    cleo = make_user(django_user_model, "cleo@example.com", display_name="Cleo")
    for person in (ben, cleo):
        CoachLink.objects.create(coach=carol, athlete=person)
    fine = make_workout(alice, readiness_points=22, readiness_pct=67)
    CheckIn.objects.filter(pk=fine.checkin_id).update(soreness=4, fatigue=4, sleep=3, stress=4)
    make_workout(
        ben,
        readiness_points=13,
        readiness_pct=29,
        tier="MINIMUM",
        pains=[{"region": "knee", "nrs": 5, "red_flag": True}],
    )
    tired = make_workout(cleo, readiness_points=16, readiness_pct=42, tier="REDUCED")
    Comment.objects.create(workout=tired, author=cleo, body="Legs felt heavy.")
    Run.objects.create(athlete=cleo, start=now - timedelta(days=1), duration=timedelta(hours=1))

    # --- On a laptop ---------------------------------------------------------------------------
    log_in(desktop, carol, live_server)
    desktop.goto("/coach/")
    expect(desktop.get_by_text("2 athletes need a look")).to_be_visible()
    expect(desktop.get_by_text("1 new comment", exact=True).first).to_be_visible()
    rows = desktop.locator(".triage tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Ben")  # the warning-sign pain comes first
    expect(rows.first).to_contain_text("Very low readiness: 29%")
    assert_accessible(desktop, "triage table")

    desktop.get_by_role("link", name="Check-in").click()  # lowest readiness first
    expect(rows.nth(0)).to_contain_text("Ben")
    expect(rows.nth(1)).to_contain_text("Cleo")
    expect(rows.nth(2)).to_contain_text("Alice")
    desktop.get_by_role("link", name="Check-in").click()  # and the other way
    expect(rows.nth(0)).to_contain_text("Alice")

    desktop.get_by_label("Name").fill("cle")
    desktop.get_by_role("button", name="Show", exact=True).click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("60 min")
    desktop.get_by_role("link", name="Show all").click()
    desktop.get_by_label("Flag").select_option(label="Needs a look")
    desktop.get_by_role("button", name="Show", exact=True).click()
    expect(rows).to_have_count(2)

    desktop.get_by_role("button", name="Seen: Pain with warning signs: Knee, Ben").click()
    expect(desktop.get_by_text("“Pain with warning signs” for Ben marked seen")).to_be_visible()
    assert "flag=needs" in desktop.url
    assert FlagSeen.objects.filter(coach=carol, athlete=ben, code="RED_FLAG").exists()
    expect(desktop.get_by_text("2 athletes need a look")).to_be_visible()  # Ben's low day stays
    assert_accessible(desktop, "triage table after a seen mark")

    desktop.goto("/coach/?sort=nonsense")
    expect(desktop.get_by_text("There is no column “nonsense” to sort by")).to_be_visible()

    # --- On a phone ----------------------------------------------------------------------------
    log_in(phone, carol, live_server)
    phone.goto("/coach/")
    assert_no_horizontal_scroll(phone)
    expect(phone.locator(".triage thead")).to_be_hidden()  # one card per athlete
    cards = phone.locator(".triage tbody tr")
    expect(cards).to_have_count(3)
    assert_accessible(phone, "triage table on a phone")
    phone.get_by_role("button", name="Seen: 1 new comment, Cleo").click()
    expect(phone.get_by_text("“New comments” for Cleo marked seen")).to_be_visible()
    expect(phone.get_by_text("1 athlete needs a look")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    phone.get_by_role("link", name="Cleo").click()
    phone.wait_for_url(f"**/coach/athletes/{cleo.pk}/")
    assert_no_horizontal_scroll(phone)
