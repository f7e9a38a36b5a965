"""Offline-first set logging on a phone (issue 14): the service worker keeps the plan and
logging pages, the queue keeps sets, skips and the finish, and sync sends them exactly once."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from core.context_processors import queue_owner_token
from sessions.models import WorkoutExercise, WorkoutSession, WorkoutSet
from sessions.planning import finish_workout
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
    page.goto("/today/")  # its redirect to the open session is kept too
    page.wait_for_url(f"**/sessions/{workout.pk}/")
    page.goto(f"/sessions/{workout.pk}/log/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    expect(page.get_by_role("button", name="Log set")).to_be_visible()
    assert wait_until_kept(page, f"/sessions/{workout.pk}/log/")
    assert wait_until_kept(page, f"/sessions/{workout.pk}/")


def wait_until_kept(page, url):
    """Whether ``url`` is in the worker's page cache within 30 s (a busy CI machine)."""
    return page.evaluate(
        """async url => {
            for (let i = 0; i < 300; i++) {
                const hit = await caches.open('hs-pages-v1-en').then(c => c.match(url));
                if (hit) return true;
                await new Promise(r => setTimeout(r, 100));
            }
            return false;
        }""",
        url,
    )


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
    # The plan offline, from the menu's "Today", and back to the same set.
    phone.goto("/today/")
    phone.wait_for_url(f"**/sessions/{workout.pk}/")
    expect(phone.get_by_role("heading", name="Today's plan")).to_be_visible()
    expect(phone.locator("#offline-status")).to_contain_text("3 waiting.")
    assert_accessible(phone, "plan offline")
    phone.get_by_role("link", name="Start").click()
    phone.wait_for_url(f"**/sessions/{workout.pk}/log/")
    expect(set_line(phone)).to_contain_text(f"Set {set_number} of")

    phone.context.set_offline(False)
    expect(phone.locator("#offline-status")).to_contain_text("All sets synced.", timeout=15000)
    sets = WorkoutSet.objects.filter(item__workout=workout).select_related("item")
    assert sorted((s.item.position, s.set_number) for s in sets) == expected[:3]
    assert queued_count(phone) == 0
    # The server's logger is back, at the set after the three.
    expect(phone.locator("#offline-note")).to_have_count(0)
    expect(set_line(phone)).to_contain_text(f"Set {set_number} of")
    assert_accessible(phone, "all sets synced")


def test_skip_and_finish_offline_reach_the_server_in_order(phone, alice, library, live_server):
    workout = started_session(alice)
    pending = list(workout.items.filter(status=WorkoutExercise.Status.PENDING).order_by("position"))
    first, second = pending[0], pending[1]
    log_in(phone, alice, live_server)
    open_logger_online(phone, workout)
    finish_url = f"/sessions/{workout.pk}/finish/"
    # The logger keeps the finish page for offline use too.
    assert wait_until_kept(phone, finish_url)

    phone.context.set_offline(True)
    phone.get_by_role("button", name="Skip exercise").click()
    expect(phone.locator("[data-panel]")).to_have_attribute("data-position", str(second.position))
    expect(phone.locator("#offline-status")).to_contain_text("1 waiting.")
    phone.get_by_role("button", name="Log set").click()
    expect(phone.locator("#offline-status")).to_contain_text("2 waiting.")
    expect(phone.get_by_role("button", name="Next exercise")).to_be_visible()
    phone.get_by_role("link", name="Finish now").click()
    phone.wait_for_url(f"**{finish_url}")
    assert_accessible(phone, "finish page offline")
    phone.get_by_text("5 Hard", exact=True).click()
    phone.get_by_role("button", name="Save session").click()
    expect(phone.get_by_role("heading", name="Session finished on this phone")).to_be_visible()
    expect(phone.locator("#offline-status")).to_contain_text("3 waiting.")
    assert_accessible(phone, "session finished offline")
    workout.refresh_from_db()
    assert not workout.is_finished

    phone.context.set_offline(False)
    expect(phone.locator("#offline-status")).to_contain_text("All sets synced.", timeout=15000)
    workout.refresh_from_db()
    assert workout.is_finished and workout.session_rpe == 5
    first.refresh_from_db()
    assert first.status == WorkoutExercise.Status.SKIPPED
    sets = WorkoutSet.objects.filter(item__workout=workout)
    assert [(s.item_id, s.set_number) for s in sets] == [(second.pk, 1)]


def test_a_set_the_server_refuses_is_shown_with_the_reason(phone, alice, library, live_server):
    workout = started_session(alice)
    log_in(phone, alice, live_server)
    open_logger_online(phone, workout)

    phone.context.set_offline(True)
    name = phone.locator("#exercise-name").inner_text().strip()
    phone.get_by_role("button", name="Log set").click()
    phone.get_by_role("button", name="Log set").click()
    expect(phone.locator("#offline-status")).to_contain_text("2 waiting.")
    # Meanwhile the session is closed (the athlete on another device, or "close this plan").
    finish_workout(
        WorkoutSession.objects.get(pk=workout.pk), session_rpe=None, duration_minutes=None, notes=""
    )

    phone.context.set_offline(False)
    # The session is finished, so the logger gives way to the session page, which says why
    # the two sets were not saved.
    phone.wait_for_url(f"**/sessions/{workout.pk}/", timeout=15000)
    refused = phone.get_by_role("alert").filter(has_text="The server did not save these entries")
    expect(refused).to_be_visible(timeout=15000)
    expect(refused).to_contain_text(f"{name}, set 1")
    expect(refused).to_contain_text("This session is finished, so nothing more can be logged.")
    assert WorkoutSet.objects.filter(item__workout=workout).count() == 0
    assert queued_count(phone) == 0  # answered: nothing is sent again
    assert_accessible(phone, "refused sets")
    phone.reload()  # still there until the athlete has read it
    expect(refused).to_contain_text("This session is finished")
    phone.get_by_role("button", name="OK, I've read this").click()
    expect(refused).to_have_count(0)
    assert phone.evaluate("() => HSQueue.all().then(e => e.length)") == 0


def test_logout_forgets_the_kept_pages_and_asks_before_dropping_unsent_sets(
    phone, alice, library, live_server
):
    workout = started_session(alice)
    log_in(phone, alice, live_server)
    open_logger_online(phone, workout)
    assert phone.evaluate("() => caches.has('hs-pages-v1-en')")

    phone.context.set_offline(True)
    phone.get_by_role("button", name="Log set").click()
    expect(phone.locator("#offline-status")).to_contain_text("1 waiting.")
    # Back online, but the sets never get through (a dead spot): the entry stays queued.
    # (On the context, so the service worker's Background Sync meets it too.)
    phone.context.route(f"**/sessions/{workout.pk}/sets/", lambda route: route.abort())
    phone.context.set_offline(False)
    phone.get_by_role("button", name="Menu").click()
    phone.get_by_role("button", name="Log out").click()
    warning = phone.get_by_role("alert").filter(has_text="not reached the server yet")
    expect(warning).to_be_visible()
    assert_accessible(phone, "logout warning")
    phone.get_by_role("button", name="Stay logged in").click()
    expect(warning).to_have_count(0)
    assert queued_count(phone) == 1

    expect(phone.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "true")
    phone.get_by_role("button", name="Log out").click()
    phone.get_by_role("button", name="Log out and delete them").click()
    phone.wait_for_url(f"{live_server.url}/")
    # The next person on this phone finds nothing of Alice's: no kept page, no queue.
    assert not phone.evaluate("() => caches.has('hs-pages-v1-en')")
    assert (
        phone.evaluate(
            "() => new Promise(r => { const q = indexedDB.open('homestrength');"
            " q.onsuccess = () => { const db = q.result;"
            " if (!db.objectStoreNames.contains('queue')) { r(0); return; }"
            " const t = db.transaction('queue').objectStore('queue').count();"
            " t.onsuccess = () => r(t.result); }; })"
        )
        == 0
    )
    phone.context.set_offline(True)
    with pytest.raises(PlaywrightError):
        phone.goto(f"/sessions/{workout.pk}/log/")
    assert WorkoutSet.objects.filter(item__workout=workout).count() == 0


def test_an_answer_lost_mid_sync_leaves_the_set_queued_and_it_is_stored_once(
    phone, alice, library, live_server
):
    """The server stored the set but its answer never came back (a restart, a dropped
    connection): the entry stays queued, is sent again with the same id, and is answered
    "already stored" — three sets, three rows."""
    workout = started_session(alice)
    expected = planned_sets(workout, 3)
    log_in(phone, alice, live_server)
    open_logger_online(phone, workout)
    phone.context.set_offline(True)
    for number in (1, 2, 3):
        phone.get_by_role("button", name="Log set").click()
        expect(phone.locator("#offline-status")).to_contain_text(f"{number} waiting.")

    answers = []

    def lose_the_second_answer(route):
        if len(answers) == 1:
            answers.append(route.fetch().status)  # the server stores it ...
            route.abort("connectionreset")  # ... and the phone never hears back
        else:
            response = route.fetch()
            answers.append(response.status)
            route.fulfill(response=response)

    phone.context.route(f"**/sessions/{workout.pk}/sets/", lose_the_second_answer)
    phone.context.set_offline(False)
    expect(phone.locator("#offline-status")).to_contain_text("All sets synced.", timeout=30000)
    assert answers == [201, 201, 200, 201]  # the lost one, sent again: already stored
    sets = WorkoutSet.objects.filter(item__workout=workout).select_related("item")
    assert sorted((s.item.position, s.set_number) for s in sets) == expected


def test_a_set_the_phone_cannot_store_is_said_to_be_not_saved(phone, alice, library, live_server):
    workout = started_session(alice)
    log_in(phone, alice, live_server)
    open_logger_online(phone, workout)
    # Storage full: IndexedDB refuses every new entry.
    phone.evaluate(
        "() => { IDBObjectStore.prototype.add = function () {"
        " throw new DOMException('full', 'QuotaExceededError'); }; }"
    )
    phone.context.set_offline(True)
    name = phone.locator("#exercise-name").inner_text().strip()
    phone.get_by_role("button", name="Log set").click()
    failure = phone.get_by_role("alert").filter(has_text="was NOT saved")
    expect(failure).to_contain_text(f"{name}, set 1")
    expect(failure).to_contain_text("storage full or blocked")
    # The logger stays on that set, so it can be logged again.
    expect(set_line(phone)).to_contain_text("Set 1 of")
    expect(phone.locator("#offline-note")).to_have_count(0)
    assert queued_count(phone) == 0
    assert_accessible(phone, "set not saved")


SYNC_SETTLED = """async () => {
    const settled = async () => {
        while (HSOffline.state.syncing) await new Promise(r => setTimeout(r, 100));
    };
    await HSOffline.reload();
    await settled();
    await HSOffline.sync();
    await settled();
}"""


def wait_until_owner_recorded(page):
    """Whether the page has recorded its person as the queue's owner (META "owner") within
    30 s: from then on its own sync, if any, has started."""
    return page.evaluate(
        """async () => {
            const owner = document.body.dataset.queueOwner;
            for (let i = 0; i < 300; i++) {
                if (owner && await HSQueue.getMeta('owner') === owner) return true;
                await new Promise(r => setTimeout(r, 100));
            }
            return false;
        }"""
    )


def test_a_shared_phone_shows_and_sends_each_person_only_their_own_entries(
    phone, alice, bob, library, live_server
):
    """Alice queues a set offline and her session ends without a logout; Bob logs in on the
    same phone: he sees nothing of hers and his session sends nothing of hers. When Alice
    logs in again, her set syncs."""
    workout = started_session(alice)
    log_in(phone, alice, live_server)
    open_logger_online(phone, workout)
    phone.context.set_offline(True)
    name = phone.locator("#exercise-name").inner_text().strip()
    phone.get_by_role("button", name="Log set").click()
    expect(phone.locator("#offline-status")).to_contain_text("1 waiting.")

    # Alice's session expires (no logout, so no Clear-Site-Data): her page cannot send it.
    phone.context.clear_cookies()
    phone.context.set_offline(False)
    expect(phone.locator("#offline-status")).to_contain_text("Log in again", timeout=15000)

    posts = []

    def record(route):
        if route.request.method == "POST":
            posts.append(route.request.url)
        route.continue_()

    phone.context.route(f"**/sessions/{workout.pk}/**", record)
    log_in(phone, bob, live_server)
    for url in ("/sessions/", "/today/"):
        phone.goto(url)
        # Whatever the page's own run on load did, and one more run, both finished.
        phone.evaluate(SYNC_SETTLED)
        expect(phone.locator("#offline-status")).to_have_text("")
        expect(phone.get_by_role("alert").filter(has_text="did not save")).to_have_count(0)
        assert f"{name}, set 1" not in phone.content()
        # The worker's Background Sync now sends Bob's entries only.
        assert wait_until_owner_recorded(phone)
    assert posts == []
    assert WorkoutSet.objects.filter(item__workout=workout).count() == 0
    # Alice's entry is still on the phone, queued, for when she is back.
    kept = phone.evaluate("() => HSQueue.all()")
    assert [(entry["state"], entry["label"].startswith(f"{name}, set 1")) for entry in kept] == [
        ("queued", True)
    ]
    assert kept[0]["owner"] != phone.evaluate("() => document.body.dataset.queueOwner")

    # Bob's session ends too (a logout would clear the whole queue: Clear-Site-Data); Alice
    # logs in again on this phone and her set goes through, once.
    phone.context.unroute(f"**/sessions/{workout.pk}/**")
    phone.context.clear_cookies()
    log_in(phone, alice, live_server)
    phone.goto(f"/sessions/{workout.pk}/log/")
    expect(phone.locator("#offline-status")).to_contain_text("All sets synced.", timeout=15000)
    assert WorkoutSet.objects.filter(item__workout=workout).count() == 1
    assert queued_count(phone) == 0


def test_a_page_takes_over_its_persons_entries_from_before_owners_and_key_rotations(
    phone, alice, live_server
):
    """Entries without an owner (queued before entries had one) and entries under the
    person's token from an old secret key become the page's person's; another person's
    entry stays theirs."""
    old_key = settings.SECRET_KEY
    before = queue_owner_token(alice)
    rotated = {
        "SECRET_KEY": "a rotated key for this test only, long enough",
        "SECRET_KEY_FALLBACKS": [old_key],
    }
    phone.context.route("**/nowhere/", lambda route: route.abort())  # they stay queued
    with override_settings(**rotated):
        log_in(phone, alice, live_server)
        phone.goto("/sessions/")
        assert wait_until_owner_recorded(phone)
        owner = phone.evaluate("() => document.body.dataset.queueOwner")
        assert owner == queue_owner_token(alice) != before
        phone.evaluate(
            """owners => Promise.all(owners.map(owner => HSQueue.add({
                owner: owner, session: 1, kind: "skip", url: "/nowhere/", fields: {},
                label: "Skipping something"
            })))""",
            [None, before, "someone-else"],
        )
        phone.reload()
        expect(phone.locator("#offline-status")).to_contain_text("2 waiting.")
        kept = phone.evaluate("() => HSQueue.all()")
    assert [entry["owner"] for entry in kept] == [owner, owner, "someone-else"]
    assert [entry["state"] for entry in kept] == ["queued"] * 3
