"""When a coach–athlete link ends, the athlete keeps their history but loses live access.

What stays: their sessions (what they did, with the exercises' names), and the days they
trained from the coach's routines, in their export. What goes: the coach's routines (read,
duplicate, assign), the coach's own ladders and exercises, and every day the coach put on
their calendar that they had not trained (the calendar page, the iCal feed, the export).
"""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from accounts.models import CoachLink
from coaching.models import Assignment, CalendarFeed, Routine, RoutineItem
from exercises.models import Ladder
from tests.coaching import assign, coach_ladder, make_routine, make_workout

pytestmark = pytest.mark.django_db

SECRET_ROUTINE = "Carol's hamstring block"
SECRET_LADDER = "Carol's nordic ladder"


class Former:
    """Alice's time with Carol: a routine with Carol's own ladder, days on the calendar."""

    def __init__(self, alice, carol):
        self.alice, self.carol = alice, carol
        today = alice.local_today()
        self.ladder = coach_ladder(carol, name=SECRET_LADDER)
        self.routine = make_routine(carol, ("squat",), name=SECRET_ROUTINE)
        RoutineItem.objects.create(routine=self.routine, position=2, ladder=self.ladder)
        self.ahead = assign(self.routine, alice, today + timedelta(days=1))
        self.self_assigned = assign(self.routine, alice, today, by=alice)
        self.done = assign(self.routine, alice, today - timedelta(days=2))
        self.done.workout = make_workout(alice, sets=2)
        self.done.save()
        self.link = CoachLink.objects.get(coach=carol, athlete=alice)

    def end(self):
        self.link.end(by=self.alice)


@pytest.fixture
def former(alice, carol, library):
    return Former(alice, carol)


def routine_url(name, routine):
    return reverse(f"coaching:{name}", args=[routine.pk])


# --- The coach's routines -------------------------------------------------------------------


def test_it_shows_the_coachs_routine_while_linked(client, former):
    client.force_login(former.alice)
    assert client.get(routine_url("routine_detail", former.routine)).status_code == 200
    assert client.get(routine_url("routine_assign", former.routine)).status_code == 200
    assert former.routine in Routine.objects.visible_to(former.alice)


def test_it_hides_the_coachs_routine_once_the_link_ended(client, former):
    former.end()
    client.force_login(former.alice)
    assert client.get(routine_url("routine_detail", former.routine)).status_code == 404
    assert client.get(routine_url("routine_assign", former.routine)).status_code == 404
    assert client.post(routine_url("routine_duplicate", former.routine)).status_code == 404
    day = former.alice.local_today() + timedelta(days=5)
    data = {
        "athletes": [former.alice.pk],
        "start": day.isoformat(),
        "weeks": "1",
        "window_days": "1",
    }
    response = client.post(routine_url("routine_assign", former.routine), data)
    assert response.status_code == 404
    assert not Routine.objects.filter(owner=former.alice).exists()
    assert not Assignment.objects.filter(date=day).exists()
    assert former.routine not in Routine.objects.visible_to(former.alice)
    assert SECRET_ROUTINE not in client.get(reverse("coaching:routine_list")).content.decode()


def test_it_hides_a_routine_the_athlete_put_on_their_own_calendar(former):
    former.done.delete()
    former.ahead.delete()  # only the day Alice assigned herself is left
    assert former.routine in Routine.objects.visible_to(former.alice)
    former.end()
    assert former.routine not in Routine.objects.visible_to(former.alice)
    assert not Assignment.objects.filter(pk=former.self_assigned.pk).current().exists()


def test_it_shows_the_routine_again_when_the_link_is_renewed(former):
    former.end()
    CoachLink.objects.create(coach=former.carol, athlete=former.alice)
    assert former.routine in Routine.objects.visible_to(former.alice)


def test_it_lets_a_coach_put_only_their_own_routines_on_athletes_calendars(
    client, alice, carol, dave, library
):
    """Otherwise a coach could pass a routine of their own coach, and its private ladders,
    on to their athletes."""
    daves = make_routine(dave, name="Dave's")
    assign(daves, carol, carol.local_today(), by=dave)
    CoachLink.objects.create(coach=dave, athlete=carol)
    client.force_login(carol)
    day = carol.local_today() + timedelta(days=3)
    response = client.post(
        routine_url("routine_assign", daves),
        {"athletes": [alice.pk], "start": day.isoformat(), "weeks": "1", "window_days": "1"},
    )
    assert response.status_code == 400
    assert "Duplicate it first" in response.content.decode()
    assert not Assignment.objects.filter(athlete=alice).exists()
    response = client.post(
        routine_url("routine_assign", daves),
        {"athletes": [carol.pk], "start": day.isoformat(), "weeks": "1", "window_days": "1"},
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(athlete=carol, date=day).exists()


# --- The coach's own ladders and exercises ----------------------------------------------


def test_it_hides_the_coachs_exercises_once_the_link_ended(client, former):
    exercise = former.ladder.exercises.first()
    client.force_login(former.alice)
    assert client.get(exercise.get_absolute_url()).status_code == 200
    former.end()
    assert client.get(exercise.get_absolute_url()).status_code == 404
    assert former.ladder not in Ladder.objects.visible_to(former.alice)


# --- Calendar, feed and today --------------------------------------------------------------


def test_it_takes_the_coachs_days_off_the_calendar(client, former):
    former.end()
    client.force_login(former.alice)
    response = client.get(reverse("coaching:calendar"))
    assert response.context["upcoming"] == [] and response.context["past"] == []
    assert SECRET_ROUTINE not in response.content.decode()


def test_it_takes_the_coachs_days_off_the_feed(client, former):
    feed = CalendarFeed.objects.create(athlete=former.alice)

    def descriptions():
        response = client.get(feed.get_absolute_url())
        assert response.status_code == 200
        return [
            str(event["description"])
            for event in Calendar.from_ical(response.content).walk("VEVENT")
        ]

    assert sum(SECRET_LADDER in text for text in descriptions()) == 3  # while linked
    former.end()
    assert descriptions() == []


def test_it_offers_no_routine_of_the_ended_coach_today(client, former):
    former.ahead.delete()
    former.end()
    assert not Assignment.objects.open_on(former.alice, former.alice.local_today()).exists()


# --- History stays ----------------------------------------------------------------------


def test_it_keeps_the_athletes_sessions_after_the_link_ended(client, former):
    former.end()
    client.force_login(former.alice)
    workout = former.done.workout
    assert client.get(reverse("workout_sessions:detail", args=[workout.pk])).status_code == 200


def test_it_exports_the_days_trained_but_not_the_coachs_plans(client, former):
    former.end()
    client.force_login(former.alice)
    data = json.loads(client.get(reverse("accounts:data_export")).getvalue())
    assert [(a["date"], a["workout_id"]) for a in data["assignments"]] == [
        (former.done.date.isoformat(), former.done.workout_id)
    ]
    assert len(data["workouts"]) == 1


def test_it_exports_every_current_day_while_linked(client, former):
    client.force_login(former.alice)
    data = json.loads(client.get(reverse("accounts:data_export")).getvalue())
    assert len(data["assignments"]) == 3


def test_it_drops_the_coachs_ladders_from_the_athletes_own_routine(former):
    """Added while linked; once the link ends the athlete trains without them."""
    own = make_routine(former.alice, ("squat",), name="Mine")
    RoutineItem.objects.create(routine=own, position=2, ladder=former.ladder)
    assert [item.ladder for item in own.items_for_plan()][-1] == former.ladder
    former.end()
    assert [item.ladder.slug for item in own.items_for_plan()] == ["squat"]


def test_it_plans_the_coachs_routine_with_the_coachs_ladders_while_linked(former):
    slugs = [item.ladder.slug for item in former.routine.items_for_plan()]
    assert slugs == ["squat", former.ladder.slug]
