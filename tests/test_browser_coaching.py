"""A coach on a laptop plans, an athlete on a phone trains, and they talk about it.

Carol builds a routine and assigns it for today and tomorrow through the assign form (so
the athlete's "today" needs no frozen clock); Alice sees it on /today/, logs it to the end,
Carol reads the session on Alice's page and comments, and Alice sees the comment as new.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from coaching.models import Assignment
from sessions.models import WorkoutSession
from tests.a11y import assert_accessible, assert_no_horizontal_scroll
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def test_a_coach_plans_an_athlete_trains_and_they_comment(
    desktop, phone, alice, carol, live_server
):
    call_command("load_library", verbosity=0)
    today = alice.local_today()
    tomorrow = today + timedelta(days=1)

    # --- Carol builds a routine on her laptop -----------------------------------------------
    log_in(desktop, carol, live_server)
    desktop.goto("/coach/")
    assert_accessible(desktop, "empty dashboard")
    desktop.get_by_role("link", name="Routines and assigning").click()
    assert_accessible(desktop, "routine list")
    desktop.get_by_role("link", name="New routine").click()
    desktop.get_by_label("Name").fill("Hill legs")
    desktop.get_by_role("button", name="Create and add exercises").click()
    desktop.wait_for_url("**/routines/*/")
    assert_accessible(desktop, "empty routine")

    desktop.locator("#id_ladder").select_option(label="Squat (5 levels)")
    desktop.get_by_text("Fixed sets × reps").click()
    desktop.get_by_label("Sets", exact=True).fill("3")
    desktop.get_by_label("Reps (or seconds for a hold)").fill("8")
    desktop.get_by_role("button", name="Add to the routine").click()
    expect(desktop.get_by_text("Added Squat.")).to_be_visible()
    desktop.locator("#id_ladder").select_option(label="Calf raise (5 levels)")
    desktop.get_by_role("button", name="Add to the routine").click()
    expect(desktop.get_by_text("Added Calf raise.")).to_be_visible()
    desktop.get_by_role("button", name="Move Calf raise up").click()
    expect(desktop.locator(".routine-item h3").first).to_have_text("1. Calf raise")
    assert_accessible(desktop, "routine builder")

    desktop.get_by_role("link", name="Assign to days").click()
    assert_accessible(desktop, "assign form")
    desktop.get_by_label("Alice").check()
    desktop.get_by_label("First day").fill(today.isoformat())
    desktop.get_by_label(WEEKDAY_NAMES[today.weekday()]).check()
    desktop.get_by_label(WEEKDAY_NAMES[tomorrow.weekday()]).check()
    desktop.get_by_role("button", name="Assign").click()
    desktop.wait_for_url("**/coach/")
    expect(desktop.get_by_text("2 days added")).to_be_visible()
    assert sorted(Assignment.objects.values_list("date", flat=True)) == [today, tomorrow]
    assert_accessible(desktop, "dashboard")

    # --- Alice trains on her phone ------------------------------------------------------------
    log_in(phone, alice, live_server)
    phone.goto("/calendar/")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "calendar")
    expect(phone.get_by_text("Hill legs").first).to_be_visible()
    assert phone.locator(".assignment-item").count() == 2

    phone.goto("/today/")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "check-in with an assignment")
    expect(phone.get_by_label("Hill legs, from Carol")).to_be_checked()
    for question, answer in [
        ("Legs", "4 Fine"),
        ("Energy", "4 Good"),
        ("Sleep", "3 OK"),
        ("Stress", "4 Low"),
    ]:
        phone.get_by_role("group", name=question).get_by_text(answer, exact=True).click()
    phone.get_by_text("2–3 days ago").click()
    phone.get_by_role("button", name="Show today's plan").click()
    phone.wait_for_url("**/sessions/*/")
    # Carol's 3 × 8 on Alice's first session: every cap applies to a fixed dose (spec §5.7),
    # and a new athlete starts with at most 2 sets.
    expect(phone.get_by_text("2 sets of 8 reps")).to_be_visible()
    assert_accessible(phone, "plan from the assignment")
    workout = WorkoutSession.objects.get(athlete=alice)
    assert Assignment.objects.get(date=today).workout == workout

    phone.get_by_role("link", name="Start").click()
    phone.wait_for_url("**/log/")
    planned = sum(i.sets_planned for i in workout.items.filter(action="do"))
    for _ in range(planned):
        phone.get_by_role("button", name="Log set").click()
        phone.wait_for_load_state()
    phone.wait_for_url("**/finish/")
    phone.get_by_text("5 Hard", exact=True).click()
    phone.get_by_role("button", name="Save session").click()
    phone.wait_for_url(f"**/sessions/{workout.pk}/")
    workout.refresh_from_db()
    assert workout.is_finished
    assert Assignment.objects.get(date=today).state_on(today) in ("done", "reduced")

    # --- Carol reads the session and comments ---------------------------------------------
    desktop.goto("/coach/")
    desktop.get_by_role("link", name="Alice").click()
    assert_accessible(desktop, "athlete page")
    desktop.get_by_role("link", name=workout.started.strftime("%a %-d %b")).click()
    desktop.wait_for_url(f"**/coach/athletes/{alice.pk}/sessions/{workout.pk}/")
    expect(desktop.get_by_text("Hill legs").first).to_be_visible()
    desktop.get_by_label("Your comment").fill("Strong squats — keep the 3 × 8 next week.")
    desktop.get_by_role("button", name="Send comment").click()
    expect(desktop.get_by_text("Comment sent.")).to_be_visible()
    assert_accessible(desktop, "session seen by the coach")

    # --- Alice sees it as new ----------------------------------------------------------------
    phone.goto("/sessions/")
    new = phone.get_by_role("link", name="1 new comment")
    expect(new).to_be_visible()
    assert_no_horizontal_scroll(phone)
    new.click()
    expect(phone.get_by_text("Strong squats — keep the 3 × 8 next week.")).to_be_visible()
    expect(phone.locator(".comment .badge", has_text="new")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "session with a comment")
    phone.goto("/sessions/")
    expect(phone.get_by_role("link", name="1 new comment")).to_have_count(0)


def test_an_athlete_builds_her_own_routine_on_a_phone(phone, alice, carol, live_server):
    call_command("load_library", verbosity=0)
    log_in(phone, alice, live_server)
    phone.goto("/routines/")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "routine list on a phone")
    phone.get_by_role("button", name="Duplicate Runner's home routine").click()
    phone.wait_for_url("**/routines/*/")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "builder on a phone")
    phone.get_by_role("button", name="Move Core up").click()
    expect(phone.locator(".routine-item h3").nth(3)).to_have_text("4. Core")
    phone.get_by_role("button", name="Remove Step-up").click()
    expect(phone.locator(".routine-item")).to_have_count(4)
    phone.get_by_role("link", name="Assign to days").click()
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "assign form on a phone")
    expect(phone.get_by_label("Me")).to_be_checked()
    phone.get_by_label("Tuesday").check()
    today = alice.local_today()
    expect(phone.get_by_label("First day")).to_have_value(today.isoformat())
    phone.get_by_label("For how many weeks").fill("2")
    phone.get_by_role("button", name="Assign").click()
    phone.wait_for_url("**/calendar/")
    assert Assignment.objects.filter(athlete=alice).count() == 2
    assert_no_horizontal_scroll(phone)
