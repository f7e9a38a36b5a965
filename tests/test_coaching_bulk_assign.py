"""Bulk assignment: everyone, a group or athletes one by one; a day-late session still counts."""

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import CoachLink
from coaching.dashboard import athlete_rows
from coaching.models import Assignment, Group
from tests.coaching import assign, make_routine, make_workout
from tests.conftest import make_user
from tests.test_coaching_assign import NORMAL_DAY, assign_url, day_form

pytestmark = pytest.mark.django_db

TODAY = reverse("today")


@pytest.fixture
def team(django_user_model, carol, alice):
    """Carol's athletes: Alice, Frank and Gina; Frank and Gina run the marathon."""
    people = {"alice": alice}
    for name in ("Frank", "Gina"):
        athlete = make_user(django_user_model, f"{name.lower()}@example.com", display_name=name)
        CoachLink.objects.create(coach=carol, athlete=athlete)
        people[name.lower()] = athlete
    marathon = Group.objects.create(coach=carol, name="Marathon")
    marathon.set_members([people["frank"], people["gina"]])
    people["marathon"] = marathon
    return people


def assigned_to():
    return sorted(set(Assignment.objects.values_list("athlete__display_name", flat=True)))


def test_it_assigns_to_everyone_in_a_group(client, carol, team, library):
    client.force_login(carol)
    day = carol.local_today() + timedelta(days=1)
    response = client.post(
        assign_url(make_routine(carol)), day_form([], day, groups=[team["marathon"].pk])
    )
    assert response.status_code == 302
    assert assigned_to() == ["Frank", "Gina"]


def test_it_assigns_to_all_my_athletes_and_not_to_me(client, carol, team, erin, bob, library):
    CoachLink.objects.create(coach=make_user_coach(), athlete=bob)
    client.force_login(carol)
    day = carol.local_today() + timedelta(days=1)
    client.post(assign_url(make_routine(carol)), day_form([], day, everyone="on"))
    assert assigned_to() == ["Alice", "Frank", "Gina"]  # not Erin (ended), not Bob (Dave's)


def make_user_coach():
    from django.contrib.auth import get_user_model

    return make_user(get_user_model(), "dave@example.com", display_name="Dave", is_coach=True)


def test_it_puts_each_athlete_on_once_however_they_were_chosen(client, carol, team, library):
    client.force_login(carol)
    start = carol.local_today() + timedelta(days=1)
    data = day_form([team["frank"]], start, groups=[team["marathon"].pk], everyone="on")
    data.update(weekdays=[str(start.weekday())], weeks="6")
    response = client.post(assign_url(make_routine(carol)), data, follow=True)
    assert Assignment.objects.count() == 3 * 6
    assert "on the calendars of 3 athletes: 18 days added." in response.content.decode()


def test_it_leaves_out_a_group_member_whose_link_ended(client, carol, team, library):
    CoachLink.objects.get(coach=carol, athlete=team["gina"]).end(by=team["gina"])
    client.force_login(carol)
    day = carol.local_today() + timedelta(days=1)
    client.post(assign_url(make_routine(carol)), day_form([], day, groups=[team["marathon"].pk]))
    assert assigned_to() == ["Frank"]


def test_it_refuses_another_coachs_group(client, carol, team, library, dave):
    daves = Group.objects.create(coach=dave, name="Dave's")
    client.force_login(carol)
    day = carol.local_today() + timedelta(days=1)
    response = client.post(assign_url(make_routine(carol)), day_form([], day, groups=[daves.pk]))
    assert response.status_code == 400
    assert "Choose one of your own groups." in response.content.decode()
    assert not Assignment.objects.exists()


def test_it_offers_my_groups_only(client, carol, team, library, dave):
    Group.objects.create(coach=dave, name="Dave track")
    client.force_login(carol)
    page = client.get(assign_url(make_routine(carol)))
    assert list(page.context["form"].fields["groups"].queryset) == [team["marathon"]]
    assert "You coach 3 athletes." in page.content.decode()


def test_assign_a_routine_from_an_athletes_page_preselects_them(client, carol, team, library):
    routine = make_routine(carol)
    client.force_login(carol)
    frank = team["frank"]
    athlete_page = client.get(reverse("coaching:athlete_detail", args=[frank.pk])).content.decode()
    list_url = f"{reverse('coaching:routine_list')}?athlete={frank.pk}"
    assert f'href="{list_url}"' in athlete_page
    routines = client.get(list_url).content.decode()
    assert f'href="{assign_url(routine)}?athlete={frank.pk}"' in routines
    assert "Choose the routine to assign to Frank" in routines
    page = client.get(f"{assign_url(routine)}?athlete={frank.pk}")
    assert page.context["form"]["athletes"].initial == [frank]
    checked = re.findall(r'value="(\d+)"\s+id="id_athletes_\d+"\s+checked', page.content.decode())
    assert checked == [str(frank.pk)]


@pytest.mark.parametrize("who", ["bob", "erin", "junk", "99999999999999999999999"])
def test_it_does_not_preselect_someone_not_linked(client, carol, bob, erin, library, who):
    target = {"bob": bob.pk, "erin": erin.pk}.get(who, who)
    client.force_login(carol)
    page = client.get(f"{assign_url(make_routine(carol))}?athlete={target}")
    assert page.status_code == 200
    assert page.context["form"]["athletes"].initial == []
    assert "That athlete is not linked to you" in page.content.decode()


def test_the_assign_page_runs_the_same_queries_for_few_or_many_athletes(
    client, carol, team, library, django_user_model
):
    routine = make_routine(carol)
    client.force_login(carol)
    with CaptureQueriesContext(connection) as small:
        client.get(assign_url(routine))
    for n in range(30):
        athlete = make_user(django_user_model, f"r{n}@example.com", display_name=f"R{n}")
        CoachLink.objects.create(coach=carol, athlete=athlete)
        Group.objects.create(coach=carol, name=f"G{n}").set_members([athlete])
    with CaptureQueriesContext(connection) as large:
        page = client.get(assign_url(routine))
    assert "You coach 33 athletes." in page.content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)


# --- The window: a session a day late still counts ------------------------------------------


def check_in(client, **answers):
    return client.post(TODAY, {"client_id": str(uuid.uuid4()), **NORMAL_DAY, **answers})


def test_a_session_a_day_late_counts_for_the_assigned_day(client, alice, carol, library):
    yesterday = alice.local_today() - timedelta(days=1)
    late = assign(make_routine(carol, name="Hills"), alice, yesterday, by=carol)
    client.force_login(alice)
    form = client.get(TODAY).context["form"]
    choice = form.fields["assignment"]
    assert list(choice.queryset) == [late]
    assert choice.label_from_instance(choice.queryset[0]).startswith("Hills (for ")
    assert choice.label_from_instance(choice.queryset[0]).endswith(", from Carol")
    check_in(client, assignment=str(late.pk))
    late.refresh_from_db()
    assert late.workout is not None
    late.workout.finished = late.workout.started
    late.workout.save()
    assert late.state_on(alice.local_today()) != Assignment.State.MISSED


def test_the_days_own_routine_comes_before_a_late_one(client, alice, carol, library):
    today = alice.local_today()
    late = assign(make_routine(carol, name="Late"), alice, today - timedelta(days=1), by=carol)
    own = assign(make_routine(carol, name="Today's"), alice, today, by=carol)
    early = assign(make_routine(carol, name="Early"), alice, today + timedelta(days=1), by=carol)
    client.force_login(alice)
    choice = client.get(TODAY).context["form"].fields["assignment"]
    assert list(choice.queryset) == [own, late, early]
    assert choice.initial == own.pk


def test_a_day_without_a_window_is_not_offered_the_day_after(client, alice, carol, library):
    yesterday = alice.local_today() - timedelta(days=1)
    strict = assign(make_routine(carol), alice, yesterday, by=carol)
    strict.window_days = 0
    strict.save()
    client.force_login(alice)
    assert "assignment" not in client.get(TODAY).context["form"].fields
    assert strict.state_on(alice.local_today()) == Assignment.State.MISSED


@pytest.mark.parametrize(
    ("window", "days_ago", "state"),
    [
        (1, 1, "due"),
        (1, 2, "missed"),
        (3, 3, "due"),
        (3, 4, "missed"),
        (0, 1, "missed"),
        (0, 0, "upcoming"),
    ],
)
def test_a_day_is_missed_only_once_its_window_has_passed(alice, library, window, days_ago, state):
    today = alice.local_today()
    assignment = assign(make_routine(alice), alice, today - timedelta(days=days_ago))
    assignment.window_days = window
    assignment.save()
    assert assignment.state_on(today) == state


def test_the_dashboard_counts_a_late_session_as_done_and_not_missed(carol, alice, library):
    today = alice.local_today()
    routine = make_routine(carol)
    # Long past: the database counts it. Recent: judged row by row. Both by the same rule.
    for n in (10, 1):
        day = today - timedelta(days=n + 1)
        assignment = assign(routine, alice, day, by=carol)
        assignment.workout = make_workout(alice, when=alice_time(alice, n))
        assignment.save()
    assign(routine, alice, today - timedelta(days=1), by=carol)  # not done yet: still time
    row = next(r for r in athlete_rows(carol) if r.athlete == alice)
    assert (row.compliant, row.counted, row.missed) == (2, 2, 0)


def alice_time(athlete, days):
    from django.utils import timezone

    return timezone.now() - timedelta(days=days)


def test_the_calendar_keeps_a_day_still_open_among_the_days_to_do(client, alice, carol, library):
    yesterday = alice.local_today() - timedelta(days=1)
    assign(make_routine(carol, name="Late legs"), alice, yesterday, by=carol)
    client.force_login(alice)
    page = client.get(reverse("coaching:calendar"))
    assert [a.routine.name for a in page.context["upcoming"]] == ["Late legs"]
    assert "Not done yet, still time" in page.content.decode()


def test_assigning_to_many_athletes_runs_the_same_queries_as_to_a_few(
    client, carol, team, library, django_user_model
):
    routine = make_routine(carol)
    client.force_login(carol)
    start = carol.local_today() + timedelta(days=1)
    data = day_form([], start, everyone="on", weekdays=[str(start.weekday())], weeks="4")
    with CaptureQueriesContext(connection) as few:
        client.post(assign_url(routine), data)
    Assignment.objects.all().delete()
    for n in range(40):
        athlete = make_user(django_user_model, f"r{n}@example.com", display_name=f"R{n}")
        CoachLink.objects.create(coach=carol, athlete=athlete)
    with CaptureQueriesContext(connection) as many:
        client.post(assign_url(routine), data)
    assert Assignment.objects.count() == 43 * 4
    # Reading and checking is the same work for 43 athletes as for 3; the rows go in by
    # batches (as many as the database takes in one statement), not one by one.
    assert len(reads(many)) == len(reads(few))
    assert len(many.captured_queries) - len(reads(many)) <= 3


def reads(captured):
    return [q for q in captured.captured_queries if not q["sql"].startswith("INSERT")]
