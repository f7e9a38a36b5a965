"""A coach with a team assigns in bulk: a group on a laptop, one athlete from a phone.

Carol makes a "Marathon" group, assigns a routine to it on Mondays and Thursdays for six
weeks from her laptop, then on her phone opens Alice's page, taps "Assign a routine" and
finds Alice already ticked. Both screens pass axe; the phone never scrolls sideways.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import CoachLink
from coaching.models import Assignment, Group
from tests.a11y import assert_accessible, assert_no_horizontal_scroll
from tests.browser import log_in
from tests.coaching import make_routine
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team(django_user_model, carol):
    people = []
    for name in ("Frank", "Gina", "Hugo"):
        athlete = make_user(django_user_model, f"{name.lower()}@example.com", display_name=name)
        CoachLink.objects.create(coach=carol, athlete=athlete)
        people.append(athlete)
    return people


def test_a_coach_assigns_a_group_on_a_laptop_and_one_athlete_from_a_phone(
    desktop, phone, alice, carol, team, live_server
):
    call_command("load_library", verbosity=0)
    routine = make_routine(carol, name="Marathon strength")
    frank, gina, _hugo = team

    # --- A group, on the laptop ------------------------------------------------------------
    log_in(desktop, carol, live_server)
    desktop.goto("/coach/")
    desktop.get_by_role("link", name="Groups").click()
    assert_accessible(desktop, "groups page")
    desktop.get_by_label("Group name").fill("Marathon")
    desktop.get_by_label("Frank").check()
    desktop.get_by_label("Gina").check()
    desktop.get_by_role("button", name="Create the group").click()
    expect(desktop.get_by_text("Group “Marathon” created.")).to_be_visible()
    expect(desktop.get_by_text("2 athletes", exact=False)).to_be_visible()
    assert set(Group.objects.get(name="Marathon").members()) == {frank, gina}

    # --- Bulk assignment: the group, Mondays and Thursdays for 6 weeks ------------------------
    desktop.goto(f"/routines/{routine.pk}/assign/")
    assert_accessible(desktop, "assign form")
    start = carol.local_today() + timedelta(days=1)
    desktop.get_by_label("Marathon").check()
    desktop.get_by_label("First day").fill(start.isoformat())
    desktop.get_by_label("Monday").check()
    desktop.get_by_label("Thursday").check()
    desktop.get_by_label("For how many weeks").fill("6")
    desktop.get_by_label("A session counts for the day when done").select_option(
        label="Up to 2 days early or late"
    )
    desktop.get_by_role("button", name="Assign").click()
    desktop.wait_for_url("**/coach/")
    expect(
        desktop.get_by_text("Marathon strength is on the calendars of 2 athletes: 24 days added.")
    ).to_be_visible()
    assigned = Assignment.objects.filter(routine=routine)
    assert set(assigned.values_list("athlete__display_name", flat=True)) == {"Frank", "Gina"}
    assert {d.weekday() for d in assigned.values_list("date", flat=True)} == {0, 3}
    assert set(assigned.values_list("window_days", flat=True)) == {2}

    # Sent again (the back button, a double click): nothing is added twice.
    desktop.go_back()
    desktop.get_by_role("button", name="Assign").click()
    desktop.wait_for_url("**/coach/")
    expect(desktop.get_by_text("0 days added. 24 were already there.")).to_be_visible()
    assert assigned.count() == 24

    # Bad input is a message on the form, never an error page.
    desktop.goto(f"/routines/{routine.pk}/assign/")
    desktop.get_by_label("All my athletes").check()
    desktop.get_by_label("Monday").check()
    desktop.get_by_label("For how many weeks").fill("60")
    desktop.get_by_role("button", name="Assign").click()
    expect(desktop.get_by_text("Repeat for 1 to 52 weeks.")).to_be_visible()
    assert_accessible(desktop, "assign form with an error")

    # --- From an athlete's page, on the phone ----------------------------------------------
    log_in(phone, carol, live_server)
    phone.goto(f"/coach/athletes/{alice.pk}/")
    phone.get_by_role("link", name="Assign a routine").click()
    expect(phone.get_by_text("Choose the routine to assign to Alice")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    phone.get_by_role("link", name="Assign Marathon strength").click()
    expect(phone.get_by_label("Alice")).to_be_checked()
    expect(phone.get_by_label("Frank")).not_to_be_checked()
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "assign form on a phone")
    phone.get_by_role("button", name="Assign").click()
    phone.wait_for_url("**/coach/")
    expect(phone.get_by_text("Marathon strength is on Alice: 1 day added.")).to_be_visible()
    assert assigned.filter(athlete=alice).get().date == alice.local_today()


def test_a_coach_invites_a_team_on_a_phone(phone, carol, live_server):
    log_in(phone, carol, live_server)
    phone.goto("/accounts/invitations/")
    expect(phone.get_by_role("heading", name="Invitations and links", level=1)).to_be_visible()
    phone.get_by_label("Email addresses").fill("ann@example.com\nnot-an-address\nann@example.com")
    phone.get_by_role("button", name="Send the invitations").click()
    expect(phone.get_by_text("Not an email address: nothing sent.")).to_be_visible()
    expect(phone.get_by_text("Listed more than once: invited once.")).to_be_visible()
    expect(phone.get_by_text("Invitation emailed.")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "invitations with a list's results")

    phone.get_by_label("How many people can join").fill("12")
    phone.get_by_label("Works for (days)").fill("30")
    phone.get_by_role("button", name="Create a team link").click()
    expect(phone.get_by_text("0 of 12 places taken")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "invitations with a team link")
    phone.get_by_role("button", name="Revoke").click()
    expect(phone.get_by_text("Revoked: it no longer works.")).to_be_visible()
