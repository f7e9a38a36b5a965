"""The site shell in a real Chromium on a phone."""

import pytest

from tests.a11y import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_fits_a_phone_and_the_menu_works(phone):
    phone.goto("/")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "home page")
    toggle = phone.get_by_role("button", name="Menu")
    assert toggle.is_visible()
    menu_link = phone.locator("#site-menu").get_by_role("link", name="Exercises")
    assert not menu_link.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    menu_link.click()
    phone.wait_for_url("**/exercises/")
    assert phone.get_by_role("heading", name="Exercise library").is_visible()


def test_it_makes_every_button_and_link_in_the_header_big_enough_to_tap(phone):
    phone.goto("/")
    phone.get_by_role("button", name="Menu").click()
    visible = [e for e in phone.locator("header a, header button").all() if e.is_visible()]
    # The open menu: the brand, the menu button, the library, log in and sign up.
    assert len(visible) >= 5, [e.inner_text() for e in visible]
    for element in visible:
        box = element.bounding_box()
        assert box["height"] >= 44, f"{element.inner_text()!r} is {box['height']}px tall"


def test_it_answers_healthz_in_the_browser(phone):
    response = phone.goto("/healthz")
    assert response.status == 200
    assert response.json() == {"status": "ok"}
