"""Offline-first set logging on a phone (issue 14): the service worker keeps the plan and
logging pages, the queue keeps sets, skips and the finish, and sync sends them exactly once."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from sessions.models import WorkoutExercise, WorkoutSet
from tests.a11y import assert_accessible, assert_no_horizontal_scroll
from tests.browser import log_in
from tests.test_sessions import open_workout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = "Saved on this phone — it will sync when you're back online."


def started_session(athlete):
    """A session checked in through the app's own view, as the athlete would."""
    client = Client()
    client.force_login(athlete)
    return open_workout(client)


def open_logger_online(page, workout):
    """Visit the plan and the logger online, with the service worker in control, so both
    are kept for offline use."""
    page.goto(f"/sessions/{workout.pk}/")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    # The first visit installs the worker; from the next load on it controls the page.
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.goto(f"/sessions/{workout.pk}/log/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    expect(page.get_by_role("button", name="Log set")).to_be_visible()


def queued_count(page):
    return page.evaluate(
        "() => HSQueue.all().then(e => e.filter(x => x.state === 'queued').length)"
    )


def set_line(page):
    return page.locator("[data-panel] [data-set-line]")


def first_item(workout):
    return workout.items.filter(status=WorkoutExercise.Status.PENDING).order_by("position").first()


def planned_sets(workout, count):
    """The first ``count`` (position, set number) pairs of the plan, in the order logged."""
    pairs = [
        (item.position, number)
        for item in workout.items.filter(status=WorkoutExercise.Status.PENDING).order_by("position")
        for number in range(1, item.sets_planned + 1)
    ]
    return pairs[:count]


def test_three_sets_offline_survive_a_reload_and_sync_once(phone, alice, library, live_server):
    workout = started_session(alice)
    expected = planned_sets(workout, 4)
    log_in(phone, alice, live_server)
    open_logger_online(phone, workout)

    phone.context.set_offline(True)
    for number, (position, set_number) in enumerate(expected[:3], start=1):
        expect(phone.locator("[data-panel]")).to_have_attribute("data-position", str(position))
        expect(set_line(phone)).to_contain_text(f"Set {set_number} of")
        phone.get_by_role("button", name="Log set").click()
        expect(phone.locator("#offline-status")).to_contain_text(f"{number} waiting.")
    expect(phone.locator("#offline-status")).to_contain_text(SAVED)
    expect(phone.locator("#offline-note")).to_contain_text("Next set as planned")
    expect(phone.locator(".rest-timer")).to_be_visible()  # the rest timer runs offline
    expect(phone.get_by_label("Sets logged")).to_have_attribute("value", "3")
    assert WorkoutSet.objects.filter(item__workout=workout).count() == 0
    assert_accessible(phone, "logger offline with three sets waiting")
    assert_no_horizontal_scroll(phone)

    # Offline for the worker too: a page it did not keep gets its offline page, in words.
    phone.goto("/sessions/")
    expect(phone.get_by_role("heading", name="You are offline")).to_be_visible()
    phone.go_back()
    phone.reload()  # offline: the service worker's copy, with the queue laid on it
    expect(phone.locator("#offline-status")).to_contain_text("3 waiting.")
    position, set_number = expected[3]
    expect(phone.locator("[data-panel]")).to_have_attribute("data-position", str(position))
    expect(set_line(phone)).to_contain_text(f"Set {set_number} of")
    assert queued_count(phone) == 3

    phone.context.set_offline(False)
    expect(phone.locator("#offline-status")).to_contain_text("All sets synced.", timeout=15000)
    sets = WorkoutSet.objects.filter(item__workout=workout).select_related("item")
    assert sorted((s.item.position, s.set_number) for s in sets) == expected[:3]
    assert queued_count(phone) == 0
    # The server's logger is back, at the set after the three.
    expect(phone.locator("#offline-note")).to_have_count(0)
    expect(set_line(phone)).to_contain_text(f"Set {set_number} of")
    assert_accessible(phone, "all sets synced")
