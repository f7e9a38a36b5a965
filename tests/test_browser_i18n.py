"""The language switch on a phone (issue 17): a button at the foot of every page, and the
words the scripts write (here the offline logger's) follow the language at once."""

import pytest
from playwright.sync_api import expect

from tests.a11y import assert_accessible, assert_no_horizontal_scroll
from tests.browser import log_in
from tests.test_browser_offline import SAVED, started_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Written in locale/es/LC_MESSAGES/djangojs.po, for static/js/offline.js and offline-log.js.
SAVED_ES = "Guardado en este teléfono — se sincronizará cuando vuelvas a tener conexión."
NOTE_ES = "Siguiente serie según el plan."


def test_it_switches_to_spanish_and_the_offline_logger_speaks_it(
    phone, alice, library, live_server
):
    workout = started_session(alice)
    log_in(phone, alice, live_server)
    logger = f"/sessions/{workout.pk}/log/"
    phone.goto(logger)
    log_set = phone.locator("#logger form[data-queue=set] button[type=submit]")

    phone.context.set_offline(True)
    log_set.click()
    expect(phone.locator("#offline-status")).to_contain_text(SAVED)
    phone.context.set_offline(False)
    expect(phone.locator("#offline-status")).to_contain_text("All sets synced.", timeout=15000)

    # The switch: each language in its own name, a full-size button of a real form.
    spanish = phone.get_by_role("button", name="Español")
    spanish.scroll_into_view_if_needed()
    assert spanish.bounding_box()["height"] >= 44
    expect(phone.get_by_role("group", name="Language")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    spanish.click()
    phone.wait_for_url(f"**{logger}")  # back on the same page
    expect(phone.locator("html")).to_have_attribute("lang", "es")
    expect(phone.get_by_role("button", name="Español")).to_have_attribute("aria-current", "true")
    alice.refresh_from_db()
    assert alice.language == "es"
    assert_accessible(phone, "logger after switching to Spanish")

    phone.context.set_offline(True)
    log_set.click()
    expect(phone.locator("#offline-status")).to_contain_text(SAVED_ES)
    expect(phone.locator("#offline-note")).to_contain_text(NOTE_ES)
    phone.context.set_offline(False)
    expect(phone.locator("#offline-status")).to_contain_text(
        "Todas las series sincronizadas.", timeout=15000
    )
