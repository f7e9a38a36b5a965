"""Assigning routines to days, and the athlete's Today following the assignment."""

import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import CoachLink
from coaching.models import Assignment, Routine
from sessions.models import WorkoutSession
from tests.coaching import assign, make_routine
from tests.test_sessions import NORMAL_DAY

pytestmark = pytest.mark.django_db

TODAY = reverse("today")


def assign_url(routine):
    return reverse("coaching:routine_assign", args=[routine.pk])


def day_form(athletes, day, **extra):
    """One day, for the athletes ticked one by one."""
    return {
        "athletes": [a.pk for a in athletes],
        "start": day.isoformat() if day else "",
        "weeks": "1",
        "window_days": "1",
        **extra,
    }


def weekly_form(athletes, start, weeks, weekdays, **extra):
    """Chosen weekdays for a number of weeks from ``start``."""
    return day_form(athletes, start, weeks=str(weeks), weekdays=weekdays, **extra)


def check_in(client, **answers):
    return client.post(TODAY, {"client_id": str(uuid.uuid4()), **NORMAL_DAY, **answers})


# --- Assigning ------------------------------------------------------------------------------


def test_it_assigns_a_routine_to_a_linked_athlete_on_a_chosen_day(client, alice, carol, library):
    routine = make_routine(carol)
    tomorrow = carol.local_today() + timedelta(days=1)
    client.force_login(carol)
    assert client.get(assign_url(routine)).status_code == 200
    response = client.post(assign_url(routine), day_form([alice], tomorrow), follow=True)
    assert response.redirect_chain[-1][0] == reverse("coaching:dashboard")
    assignment = Assignment.objects.get()
    assert (assignment.athlete, assignment.assigned_by, assignment.date) == (alice, carol, tomorrow)
    assert assignment.window_days == 1
    assert "Strong legs is on Alice: 1 day added." in response.content.decode()


def test_it_offers_a_date_picker_starting_today(client, alice, carol, library):
    client.force_login(carol)
    page = client.get(assign_url(make_routine(carol))).content.decode()
    today = carol.local_today().isoformat()
    assert f'type="date" name="start" value="{today}"' in page
    assert f'min="{today}"' in page
    assert 'name="dates"' not in page  # no free-text list of dates any more


def test_it_repeats_on_weekdays_for_a_number_of_weeks(client, alice, carol, library):
    routine = make_routine(carol)
    start = carol.local_today() + timedelta(days=1)
    client.force_login(carol)
    client.post(assign_url(routine), weekly_form([alice], start, 6, ["0", "3"]))
    days = sorted(Assignment.objects.values_list("date", flat=True))
    assert len(days) == 12  # Monday and Thursday for 6 weeks
    assert {d.weekday() for d in days} == {0, 3}
    assert min(days) >= start and max(days) < start + timedelta(weeks=6)


def test_it_stores_the_window_the_coach_chose(client, alice, carol, library):
    client.force_login(carol)
    day = carol.local_today() + timedelta(days=2)
    client.post(assign_url(make_routine(carol)), day_form([alice], day, window_days="3"))
    assert Assignment.objects.get().window_days == 3


def test_it_does_not_duplicate_days_assigned_again(client, alice, carol, library):
    routine = make_routine(carol)
    start = carol.local_today() + timedelta(days=1)
    client.force_login(carol)
    client.post(assign_url(routine), day_form([alice], start))
    every_day = weekly_form(
        [alice], start, 1, [str(start.weekday()), str((start.weekday() + 1) % 7)]
    )
    response = client.post(assign_url(routine), every_day, follow=True)
    assert Assignment.objects.count() == 2
    assert "1 was already there" in response.content.decode()
    again = client.post(assign_url(routine), every_day, follow=True)
    assert Assignment.objects.count() == 2
    assert "0 days added. 2 were already there." in again.content.decode()


def test_it_assigns_to_several_athletes_at_once(client, alice, bob, carol, library):
    CoachLink.objects.create(coach=carol, athlete=bob)
    routine = make_routine(carol)
    day = carol.local_today() + timedelta(days=3)
    client.force_login(carol)
    response = client.post(assign_url(routine), day_form([alice, bob], day), follow=True)
    assert set(Assignment.objects.values_list("athlete__email", flat=True)) == {
        "alice@example.com",
        "bob@example.com",
    }
    assert "on the calendars of 2 athletes: 2 days added." in response.content.decode()


def test_it_lets_an_athlete_put_their_own_routine_on_their_calendar(client, alice, library):
    routine = make_routine(alice)
    client.force_login(alice)
    page = client.get(assign_url(routine))
    assert list(page.context["form"].fields["athletes"].queryset) == [alice]
    assert "groups" not in page.context["form"].fields
    day = alice.local_today()
    response = client.post(assign_url(routine), day_form([alice], day))
    assert response.url == reverse("coaching:calendar")
    assert Assignment.objects.get().assigned_by == alice


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (lambda a, t: weekly_form([a], t, 0, ["0"]), "Repeat for 1 to 52 weeks."),
        (lambda a, t: weekly_form([a], t, 60, ["0"]), "Repeat for 1 to 52 weeks."),
        (lambda a, t: weekly_form([a], t, "", ["0"]), "Say for how many weeks"),
        (lambda a, t: weekly_form([a], t, "many", ["0"]), "Enter a whole number."),
        (
            lambda a, t: weekly_form([a], t + timedelta(days=300), 52, ["0"]),
            "is more than a year ahead",
        ),
        (lambda a, t: day_form([a], t + timedelta(days=367)), "is more than a year ahead"),
        (lambda a, t: weekly_form([a], t, 1, ["8"]), "Select a valid choice"),
        (lambda a, t: day_form([a], None), "Choose a day."),
        (lambda a, t: day_form([a], t - timedelta(days=1)), "is in the past"),
        (lambda a, t: {**day_form([a], t), "start": "next tuesday"}, "Choose a day from the"),
        (lambda a, t: day_form([a], t, window_days="9"), "Select a valid choice"),
        (lambda a, t: day_form([], t), "Choose who: all your athletes, a group, or athletes"),
        (lambda a, t: day_form([a], t, groups=["999999"]), "Choose one of your own groups."),
        (lambda a, t: day_form([a], t, groups=["junk"]), "Choose one of your own groups."),
    ],
)
def test_it_refuses_bad_schedules_with_a_clear_message_and_stores_nothing(
    client, alice, carol, library, form, message
):
    routine = make_routine(carol)
    client.force_login(carol)
    response = client.post(assign_url(routine), form(alice, carol.local_today()))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("who", ["bob", "ended", "unknown"])
def test_it_refuses_to_assign_to_someone_not_linked(client, alice, bob, carol, library, who):
    routine = make_routine(carol)
    if who == "ended":
        CoachLink.objects.get(coach=carol, athlete=alice).end(by=alice)
    target = {"bob": bob.pk, "ended": alice.pk, "unknown": 999999}[who]
    client.force_login(carol)
    data = {**day_form([], carol.local_today()), "athletes": [target]}
    response = client.post(assign_url(routine), data)
    assert response.status_code == 400
    assert "only assign routines to yourself and to athletes linked to you" in (
        response.content.decode()
    )
    assert not Assignment.objects.exists()


def test_it_refuses_to_assign_a_routine_with_no_exercises(client, alice, carol, library):
    routine = Routine.objects.create(owner=carol, name="Empty")
    client.force_login(carol)
    assert "has no exercises yet" in client.get(assign_url(routine)).content.decode()
    response = client.post(assign_url(routine), day_form([alice], carol.local_today()))
    assert response.status_code == 400
    assert "has no exercises yet" in response.content.decode()
    assert not Assignment.objects.exists()


def test_it_refuses_get_on_the_remove_view(client, alice, library):
    assignment = assign(make_routine(alice), alice, alice.local_today())
    client.force_login(alice)
    url = reverse("coaching:assignment_delete", args=[assignment.pk])
    assert client.get(url).status_code == 405


def test_it_removes_an_upcoming_day_but_not_a_past_one(client, alice, carol, bob, library):
    routine = make_routine(carol)
    today = alice.local_today()
    upcoming = assign(routine, alice, today + timedelta(days=2))
    past = assign(routine, alice, today - timedelta(days=2))
    client.force_login(bob)
    assert client.post(reverse("coaching:assignment_delete", args=[upcoming.pk])).status_code == 404
    client.force_login(carol)
    client.post(reverse("coaching:assignment_delete", args=[past.pk]))
    assert Assignment.objects.filter(pk=past.pk).exists()
    response = client.post(reverse("coaching:assignment_delete", args=[upcoming.pk]))
    assert response.url == reverse("coaching:athlete_detail", args=[alice.pk])
    assert not Assignment.objects.filter(pk=upcoming.pk).exists()


def test_it_lets_the_athlete_remove_a_day_and_the_old_coach_not(client, alice, carol, library):
    routine = make_routine(carol)
    day = alice.local_today() + timedelta(days=1)
    first, second = assign(routine, alice, day), assign(routine, alice, day + timedelta(days=1))
    CoachLink.objects.get(coach=carol, athlete=alice).end(by=alice)
    client.force_login(carol)
    assert client.post(reverse("coaching:assignment_delete", args=[first.pk])).status_code == 404
    client.force_login(alice)
    client.post(reverse("coaching:assignment_delete", args=[second.pk]))
    assert list(Assignment.objects.all()) == [first]


# --- Today follows the assignment ---------------------------------------------------------


def test_it_offers_todays_assignment_on_the_check_in(client, alice, carol, library):
    routine = make_routine(carol, name="Hill legs")
    assignment = assign(routine, alice, alice.local_today())
    assign(routine, alice, alice.local_today() + timedelta(days=1))  # not today
    client.force_login(alice)
    page = client.get(TODAY)
    html = page.content.decode()
    assert "Planned for today" in html and "Hill legs, from Carol" in html
    assert page.context["form"].fields["assignment"].initial == assignment.pk


def test_it_plans_todays_session_from_the_assigned_routine(client, alice, carol, library):
    routine = make_routine(carol, slugs=("step-up", "squat", "core"), fixed={"squat": (5, 5)})
    item = routine.items.get(ladder__slug="step-up")
    item.start_level, item.rest_seconds, item.note = 3, 45, "Use the stairs"
    item.save()
    assignment = assign(routine, alice, alice.local_today())
    client.force_login(alice)
    response = check_in(client, assignment=str(assignment.pk))
    workout = WorkoutSession.objects.get()
    assert response.url == workout.get_absolute_url()
    assignment.refresh_from_db()
    assert assignment.workout == workout
    assert workout.routine_name == routine.name
    items = list(workout.items.order_by("position"))
    assert [i.ladder.slug for i in items] == ["step-up", "squat", "core"]
    assert items[0].prescribed_level == 3
    squat = items[1]
    # A new user's day is REDUCED: the coach's 5 × 5 becomes 3 × 5 (spec §5.7), RIR 3.
    assert (squat.sets_planned, squat.rep_min, squat.rep_max, squat.reason) == (3, 5, 5, "NEW_USER")
    assert squat.target_rir == 3
    assert items[2].sets_planned == 2 and items[2].reason == "NEW_USER"
    html = client.get(workout.get_absolute_url()).content.decode()
    assert "3 sets of 5 reps" in html and "Aim for 5 reps today, as your coach set." in html
    assert "Use the stairs" in html
    log = client.get(reverse("workout_sessions:log", args=[workout.pk]))
    assert log.context["rest_seconds"] == 45


def test_it_still_skips_a_fixed_exercise_for_pain_and_says_why(client, alice, carol, library):
    routine = make_routine(carol, fixed={"squat": (3, 10)})
    assignment = assign(routine, alice, alice.local_today())
    client.force_login(alice)
    check_in(client, assignment=str(assignment.pk), pain_knee="5")
    squat = WorkoutSession.objects.get().items.get(ladder__slug="squat")
    assert (squat.action, squat.sets_planned, squat.reason) == ("skip", 0, "PAIN_SKIP")


def test_it_uses_the_default_routine_without_an_assignment(client, alice, library):
    client.force_login(alice)
    assert "assignment" not in client.get(TODAY).context["form"].fields
    check_in(client)
    workout = WorkoutSession.objects.get()
    assert workout.items.count() == 5 and workout.routine_name == "Runner's home routine"


@pytest.mark.parametrize("whose", ["bob", "tomorrow", "started", "junk"])
def test_it_refuses_an_assignment_that_is_not_mine_today(client, alice, bob, library, whose):
    mine = assign(make_routine(alice), alice, alice.local_today())
    other = {
        "bob": lambda: assign(make_routine(bob), bob, bob.local_today()).pk,
        "tomorrow": lambda: (  # the day after tomorrow: outside the ±1 day window
            assign(
                make_routine(alice, name="Later"), alice, alice.local_today() + timedelta(days=2)
            ).pk
        ),
        "started": lambda: started_assignment(alice).pk,
        "junk": lambda: "drop table",
    }[whose]()
    client.force_login(alice)
    response = check_in(client, assignment=str(other))
    assert response.status_code == 200
    # Junk and a real id that is not today's are one case for the form: an invalid choice.
    assert "not on your calendar today" in response.content.decode()
    assert not WorkoutSession.objects.filter(finished__isnull=True).exists()
    mine.refresh_from_db()
    assert mine.workout is None


def started_assignment(athlete):
    from tests.coaching import make_workout

    assignment = assign(make_routine(athlete, name="Earlier"), athlete, athlete.local_today())
    assignment.workout = make_workout(athlete)
    assignment.save()
    return assignment


def test_it_uses_the_athletes_time_zone_for_today(client, alice, carol, library):
    alice.timezone = "Pacific/Kiritimati"  # UTC+14
    alice.save()
    client.force_login(alice)
    noon = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)  # UTC
    with mock.patch("django.utils.timezone.now", return_value=noon):
        assert alice.local_today() == noon.date() + timedelta(days=1)  # 02:00 there
        utc_today = assign(make_routine(carol, name="UTC's today"), alice, noon.date())
        utc_today.window_days = 0  # only on the day itself
        utc_today.save()
        assert "assignment" not in client.get(TODAY).context["form"].fields  # her yesterday
        assign(make_routine(carol), alice, alice.local_today())
        assert "assignment" in client.get(TODAY).context["form"].fields


def test_it_drops_assignments_of_a_coach_whose_link_ended_from_today(client, alice, carol, library):
    assign(make_routine(carol), alice, alice.local_today())
    CoachLink.objects.get(coach=carol, athlete=alice).end(by=alice)
    client.force_login(alice)
    assert "assignment" not in client.get(TODAY).context["form"].fields
