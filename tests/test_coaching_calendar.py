"""Assignment states, the athlete's calendar page and the private iCal feed."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from coaching.models import Assignment, CalendarFeed
from tests.coaching import assign, make_routine, make_workout

pytestmark = pytest.mark.django_db

CALENDAR = reverse("coaching:calendar")
TODAY = date(2026, 5, 13)


def linked(athlete, day, **workout):
    assignment = assign(make_routine(athlete, name=f"R{Assignment.objects.count()}"), athlete, day)
    if workout:
        assignment.workout = make_workout(athlete, **workout)
        assignment.save()
    return assignment


@pytest.mark.parametrize(
    ("days_ago", "workout", "state"),
    [
        (0, None, "upcoming"),
        (-3, None, "upcoming"),
        (1, None, "due"),  # a day late still counts (±1 day)
        (2, None, "missed"),
        (1, {"sets": 3}, "done"),
        (1, {"sets": 2, "tier": "REDUCED"}, "reduced"),
        (1, {"sets": 1, "tier": "MINIMUM"}, "reduced"),
        (1, {"sets": 3, "skipped": 1}, "reduced"),  # the engine left an exercise out
        (1, {"sets": 0, "work": False, "tier": "RECOVERY"}, "rest"),  # the engine said rest
        (1, {"sets": 0}, "skipped"),  # work was prescribed, nothing logged
        (0, {"sets": 1, "finished": False}, "in_progress"),
    ],
)
def test_it_gives_each_assignment_its_state(alice, library, days_ago, workout, state):
    assignment = linked(alice, TODAY - timedelta(days=days_ago), **(workout or {}))
    assert assignment.state_on(TODAY) == state
    annotated = Assignment.objects.with_outcome().get(pk=assignment.pk)
    assert annotated.state_on(TODAY) == state  # the same rule from the annotation


def test_it_counts_reduced_and_rest_days_as_compliant_and_missed_as_not(alice, library):
    compliant = {Assignment.State.DONE, Assignment.State.REDUCED, Assignment.State.REST}
    assert compliant == Assignment.COMPLIANT
    assert Assignment.State.MISSED not in Assignment.COMPLIANT
    assert Assignment.State.SKIPPED in Assignment.COUNTED - Assignment.COMPLIANT


def test_it_shows_upcoming_and_past_days_with_their_state(client, alice, carol, library):
    today = alice.local_today()
    assign(make_routine(carol, name="Next week"), alice, today + timedelta(days=3))
    assign(make_routine(carol, name="Forgotten"), alice, today - timedelta(days=2))
    done = assign(make_routine(carol, name="Did it"), alice, today - timedelta(days=1))
    done.workout = make_workout(alice, tier="REDUCED", sets=2)
    done.save()
    client.force_login(alice)
    response = client.get(CALENDAR)
    assert response.status_code == 200
    assert [a.routine.name for a in response.context["upcoming"]] == ["Next week"]
    assert [(a.routine.name, a.current_state) for a in response.context["past"]] == [
        ("Did it", "reduced"),
        ("Forgotten", "missed"),
    ]
    html = response.content.decode()
    assert "From Carol" in html and "Done, reduced by the check-in" in html
    assert "Missed" in html


def test_it_keeps_other_athletes_days_off_my_calendar(client, alice, bob, library):
    assign(make_routine(bob, name="Bob's"), bob, bob.local_today())
    client.force_login(alice)
    response = client.get(CALENDAR)
    assert not response.context["upcoming"] and "Bob&#x27;s" not in response.content.decode()


# --- The iCal feed ----------------------------------------------------------------------------


def feed(client, athlete):
    token = CalendarFeed.objects.get(athlete=athlete).token
    client.logout()
    return client.get(reverse("coaching:feed", args=[token]))


def test_it_publishes_a_private_ical_feed_parsed_back_with_icalendar(client, alice, carol, library):
    routine = make_routine(carol, name="Hill legs", fixed={"squat": (4, 6)})
    routine.items.filter(ladder__slug="core").update(note="Plank on elbows")
    today = alice.local_today()
    first = assign(routine, alice, today + timedelta(days=1))
    assign(routine, alice, today + timedelta(days=8))
    missed = assign(make_routine(alice, name="Mine"), alice, today - timedelta(days=2))
    client.force_login(alice)
    client.get(CALENDAR)
    response = feed(client, alice)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert not response.cookies
    cal = Calendar.from_ical(response.content)
    events = sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert len(events) == 3
    assert [e.decoded("dtstart") for e in events] == [
        today - timedelta(days=2),
        today + timedelta(days=1),
        today + timedelta(days=8),
    ]
    event = events[1]
    assert str(event["summary"]) == "Strength: Hill legs"
    assert event.decoded("dtend") == today + timedelta(days=2)  # all day
    assert str(event["uid"]) == f"assignment-{first.pk}@testserver"
    description = str(event["description"])
    assert "Squat: 4 × 6" in description and "Plank on elbows" in description
    assert str(events[0]["description"]).startswith("Missed")
    assert str(events[0]["uid"]) == f"assignment-{missed.pk}@testserver"
    # Stable: the same assignment keeps its UID from one fetch to the next.
    again = Calendar.from_ical(feed(client, alice).content)
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == {str(e["uid"]) for e in events}


def test_it_answers_404_for_an_unknown_or_retired_feed_token(client, alice, library):
    client.force_login(alice)
    client.get(CALENDAR)
    old = CalendarFeed.objects.get(athlete=alice).token
    response = client.post(reverse("coaching:feed_rotate"), follow=True)
    assert "new address" in response.content.decode()
    new = CalendarFeed.objects.get(athlete=alice).token
    assert new != old
    client.logout()
    assert client.get(reverse("coaching:feed", args=[old])).status_code == 404
    assert client.get(reverse("coaching:feed", args=["nope"])).status_code == 404
    assert client.get(reverse("coaching:feed", args=[new])).status_code == 200


def test_it_refuses_get_on_the_rotate_view(client, alice):
    client.force_login(alice)
    assert client.get(reverse("coaching:feed_rotate")).status_code == 405
