"""A runner browsing the library on a phone."""

import pytest
from django.core.management import call_command

from tests.a11y import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def loaded_library(transactional_db):
    call_command("load_library", verbosity=0)


def test_it_filters_searches_and_climbs_a_ladder_on_a_phone(phone, loaded_library):
    phone.goto("/exercises/")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "library")
    total = int(phone.locator("#result-count").inner_text().split()[0])

    phone.get_by_text("Equipment and body area").click()
    phone.get_by_label("Bodyweight only").check()
    phone.get_by_role("button", name="Show exercises").click()
    phone.wait_for_url("**equipment=none**")
    bodyweight = int(phone.locator("#result-count").inner_text().split()[0])
    assert 0 < bodyweight < total

    phone.get_by_label("Search").fill("calf")
    phone.get_by_role("button", name="Show exercises").click()
    phone.wait_for_url("**q=calf**")
    found = int(phone.locator("#result-count").inner_text().split()[0])
    assert 0 < found < bodyweight

    phone.get_by_role("link", name="Double-leg calf raise").first.click()
    phone.wait_for_url("**/exercises/calf-raise-double-leg-floor/")
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone, "exercise page")
    assert phone.get_by_role("heading", name="How to do it").is_visible()

    phone.get_by_role("link", name="Harder:").click()
    assert (
        phone.locator("[aria-current=step]")
        .inner_text()
        .strip()
        .startswith(phone.locator("h1").inner_text().strip())
    )
    assert "level 2 of 5" in phone.locator("main").inner_text().lower()


def test_it_loads_a_video_only_when_tapped(phone, loaded_library):
    from exercises.models import Exercise

    exercise = Exercise.objects.get(slug="calf-raise-double-leg-floor")
    exercise.video_url = "https://youtu.be/dQw4w9WgXcQ"
    exercise.save()
    requests = []
    phone.on("request", lambda request: requests.append(request.url))
    phone.route("https://www.youtube-nocookie.com/**", lambda route: route.abort())
    phone.goto(exercise.get_absolute_url())
    assert not [url for url in requests if "youtube" in url]
    phone.get_by_role("link", name="Play the video").click()
    assert phone.locator("iframe.video-frame").count() == 1
    assert any("youtube-nocookie.com/embed/dQw4w9WgXcQ" in url for url in requests)
