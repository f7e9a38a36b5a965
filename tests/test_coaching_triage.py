"""The coach's triage table at /coach/: columns, sorting, filters, search, "needs a look"
and its "seen" marks, the cache per row, and the session in coach words.

Carol coaches Alice (the cast of tests/conftest.py); more athletes are made per test.
"""

import re
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import CoachLink
from coaching import wording
from coaching.dashboard import athlete_rows
from coaching.models import Comment, FlagSeen, Group
from runs.models import Run
from sessions.models import CheckIn
from tests.coaching import assign, make_routine, make_workout
from tests.conftest import add_authenticator_app, make_user

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("coaching:dashboard")


def ago(days=0, hours=0):
    return timezone.now() - timedelta(days=days, hours=hours)


def athlete(django_user_model, coach, name):
    person = make_user(django_user_model, f"{name.lower()}@example.com", display_name=name)
    CoachLink.objects.create(coach=coach, athlete=person)
    return person


def table(response) -> str:
    page = response.content.decode()
    return page.partition("<tbody>")[2].partition("</tbody>")[0]


def order(response) -> list[int]:
    """The athletes' ids in the table's order."""
    return [int(pk) for pk in re.findall(r'<tr id="athlete-(\d+)"', table(response))]


def checked_in(person, *, when=None, answers=None, **workout):
    """A session from a check-in with ``answers`` (soreness, fatigue, sleep, stress: 1-5)."""
    made = make_workout(person, when=when or ago(hours=1), **workout)
    if answers:
        CheckIn.objects.filter(pk=made.checkin_id).update(**answers)
    return made


def needs(coach, person) -> set[str]:
    row = next(r for r in athlete_rows(coach) if r.athlete == person)
    return {flag.code for flag in row.needs}


def seen(client, person, flag, back=""):
    return client.post(
        reverse("coaching:flag_seen", args=[person.pk]), {"flag": flag, "back": back}
    )


def flag_value(coach, person, code) -> str:
    row = next(r for r in athlete_rows(coach) if r.athlete == person)
    flag = next(f for f in row.flags if f.code == code)
    return f"{code} {flag.triggered.isoformat()}"


# --- Columns --------------------------------------------------------------------------------


def test_it_shows_the_checkin_that_drove_todays_plan(client, carol, alice, library):
    workout = checked_in(
        alice,
        answers={"soreness": 1, "fatigue": 3, "sleep": 2, "stress": 4},
        readiness_pct=38,
        tier="REDUCED",
        sets=2,
        pains=[{"region": "knee", "nrs": 4}],
    )
    workout.headline_reason = "BASE_REDUCED"
    workout.save()
    client.force_login(carol)
    row = table(client.get(DASHBOARD))
    assert "<strong>38%</strong> · Reduced" in row
    assert "Legs very sore · Energy OK · Sleep poor · Stress low · Knee 4/10" in row
    # The plan's headline in coach words, naming the answers that made it lighter.
    assert "Plan reduced by the check-in: legs very sore, sleep poor" in row
    assert "2 of 2 sets" in row
    assert reverse("coaching:athlete_workout", args=[alice.pk, workout.pk]) in row


def test_it_shows_compliance_and_running_against_the_usual_week(client, carol, alice, library):
    routine = make_routine(carol)
    today = alice.local_today()
    done = assign(routine, alice, today - timedelta(days=3))
    done.workout = make_workout(alice, when=ago(3), sets=2)
    done.save()
    assign(routine, alice, today - timedelta(days=4))  # missed
    for days, minutes in [(2, 60), (3, 60), (10, 40), (17, 40), (24, 40), (31, 40)]:
        Run.objects.create(athlete=alice, start=ago(days), duration=timedelta(minutes=minutes))
    client.force_login(carol)
    row = table(client.get(DASHBOARD))
    assert "50% <span" in row and "(1/2)" in row
    # 120 minutes this week; the four weeks before had 40 a week.
    assert "120 min · 300% of usual" in row


def test_it_says_when_an_athlete_last_checked_in(client, carol, alice, library):
    client.force_login(carol)
    assert "no check-in yet" in table(client.get(DASHBOARD))
    make_workout(alice, when=ago(20))
    row = table(client.get(DASHBOARD))
    assert f"last check-in {ago(20):%-d %b}" in row and "%" not in row.split("</td>")[0]


# --- Sorting, filters, search ---------------------------------------------------------------


@pytest.fixture
def squad(django_user_model, carol, alice, library):
    """Alice at 50 %, Ben at 25 % with a warning-sign pain, Cleo at 80 %, Dan never checked in."""
    ben = athlete(django_user_model, carol, "Ben")
    cleo = athlete(django_user_model, carol, "Cleo")
    dan = athlete(django_user_model, carol, "Dan")
    checked_in(alice, readiness_pct=50, readiness_points=18)
    checked_in(
        ben,
        readiness_pct=25,
        readiness_points=18,
        pains=[{"region": "knee", "nrs": 3, "red_flag": True}],
    )
    checked_in(cleo, readiness_pct=80, readiness_points=25)
    return alice, ben, cleo, dan


def test_it_puts_who_needs_a_look_first(client, carol, squad):
    alice, ben, cleo, dan = squad
    client.force_login(carol)
    assert order(client.get(DASHBOARD))[0] == ben.pk


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sort=readiness", ["Ben", "Alice", "Cleo", "Dan"]),
        ("sort=readiness&dir=desc", ["Cleo", "Alice", "Ben", "Dan"]),  # no value: last
        ("sort=name", ["Alice", "Ben", "Cleo", "Dan"]),
        ("sort=name&dir=desc", ["Dan", "Cleo", "Ben", "Alice"]),
    ],
)
def test_it_sorts_by_a_column_either_way(client, carol, squad, query, expected):
    ids = {person.name: person.pk for person in squad}
    client.force_login(carol)
    response = client.get(f"{DASHBOARD}?{query}")
    assert order(response) == [ids[name] for name in expected]
    assert "aria-sort=" in response.content.decode()


def test_its_column_headers_sort_and_then_reverse(client, carol, squad):
    client.force_login(carol)
    page = client.get(f"{DASHBOARD}?sort=readiness&q=e").content.decode()
    # The sorted column's link reverses it, and every link keeps the search.
    assert 'href="?sort=readiness&amp;dir=desc&amp;q=e"' in page
    assert 'href="?sort=name&amp;q=e"' in page


def test_it_filters_by_flag_and_by_needing_a_look(client, carol, squad):
    alice, ben, cleo, dan = squad
    client.force_login(carol)
    assert order(client.get(f"{DASHBOARD}?flag=RED_FLAG")) == [ben.pk]
    assert order(client.get(f"{DASHBOARD}?flag=needs")) == [ben.pk]
    assert order(client.get(f"{DASHBOARD}?flag=QUIET")) == [dan.pk]


def test_it_searches_by_name_or_address(client, carol, squad):
    alice, ben, cleo, dan = squad
    client.force_login(carol)
    assert order(client.get(f"{DASHBOARD}?q=CLE")) == [cleo.pk]
    assert order(client.get(f"{DASHBOARD}?q=dan%40example")) == [dan.pk]
    response = client.get(f"{DASHBOARD}?q=nobody")
    assert order(response) == [] and "No athlete matches" in response.content.decode()


def test_it_filters_by_the_coachs_own_groups_only(client, carol, dave, squad):
    alice, ben, cleo, dan = squad
    marathon = Group.objects.create(coach=carol, name="Marathon")
    marathon.athletes.add(alice, cleo)
    others = Group.objects.create(coach=dave, name="Dave's")
    client.force_login(carol)
    response = client.get(f"{DASHBOARD}?group={marathon.pk}&sort=name")
    assert order(response) == [alice.pk, cleo.pk]
    assert f'<option value="{marathon.pk}" selected>Marathon</option>' in response.content.decode()
    response = client.get(f"{DASHBOARD}?group={others.pk}")
    assert len(order(response)) == 4
    assert "That group is not one of yours" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("sort=shoe_size", "There is no column “shoe_size” to sort by"),
        ("dir=sideways", "“sideways” is not a direction"),
        ("flag=HAPPY", "There is no flag “HAPPY”"),
        ("group=abc", "That group is not one of yours"),
        ("group=99999999999999999999999", "That group is not one of yours"),
        ("group=%C2%B2", "That group is not one of yours"),  # "²" counts as a digit
        ("q=" + "x" * 150, "Only the first 100 characters"),
    ],
)
def test_it_ignores_an_unknown_value_with_a_note(client, carol, squad, query, note):
    client.force_login(carol)
    response = client.get(f"{DASHBOARD}?{query}")
    assert response.status_code == 200
    assert note in response.content.decode()
    if not query.startswith("q="):
        assert len(order(response)) == 4  # nothing was filtered by it


# --- Needs a look ---------------------------------------------------------------------------


def test_plain_pain_or_two_missed_days_do_not_need_a_look(carol, alice, library):
    routine = make_routine(carol)
    checked_in(alice, pains=[{"region": "knee", "nrs": 2}], readiness_points=18)
    for days in (2, 3):
        assign(routine, alice, alice.local_today() - timedelta(days=days))
    checked_in(alice, when=ago(4), readiness_points=18)  # trained this week all the same
    assert needs(carol, alice) == set()


def test_a_single_very_low_readiness_day_needs_a_look(client, carol, alice, library):
    checked_in(alice, readiness_points=13, readiness_pct=29)
    assert needs(carol, alice) == {"LOW_DAY"}
    client.force_login(carol)
    assert "Very low readiness: 29%" in table(client.get(DASHBOARD))


def test_a_week_with_nothing_done_needs_a_look(carol, alice, library):
    routine = make_routine(carol)
    for days in (2, 4, 6):
        assign(routine, alice, alice.local_today() - timedelta(days=days))
    checked_in(alice, when=ago(9))
    assert "MISSED_WEEK" in needs(carol, alice)
    row = next(r for r in athlete_rows(carol) if r.athlete == alice)
    assert "Nothing done for a week: 3 assigned days, none done" in [f.text for f in row.flags]


def test_it_counts_who_needs_a_look_and_new_comments_in_words(
    client, carol, alice, django_user_model, library
):
    client.force_login(carol)
    workout = checked_in(alice, pains=[{"region": "shin", "nrs": 8}])
    page = client.get(DASHBOARD).content.decode()
    assert "1 athlete needs a look" in page and "new comment" not in page
    Comment.objects.create(workout=workout, author=alice, body="Ouch")
    page = client.get(DASHBOARD).content.decode()
    assert "1 new comment" in page and "1 new comments" not in page
    Comment.objects.create(workout=workout, author=alice, body="Still sore")
    for name in ("Bo", "Cy"):
        person = athlete(django_user_model, carol, name)
        checked_in(person, readiness_points=10)
    page = client.get(DASHBOARD).content.decode()
    assert "3 athletes need a look" in page and "2 new comments" in page


# --- Seen -----------------------------------------------------------------------------------


def test_seen_hides_one_occurrence_until_it_happens_again(client, carol, alice, library):
    checked_in(alice, when=ago(hours=5), pains=[{"region": "knee", "nrs": 7}])
    client.force_login(carol)
    flag = flag_value(carol, alice, "RED_FLAG")
    response = seen(client, alice, flag, back="sort=name&q=ali")
    assert response.url == f"{DASHBOARD}?sort=name&q=ali#athlete-{alice.pk}"
    page = client.get(response.url).content.decode()
    assert "“Pain with warning signs” for Alice marked seen" in page
    assert "Nobody needs a look." in page
    assert "Pain with warning signs: Knee (seen)" in table(client.get(DASHBOARD))
    # The same pain reported again is a new occurrence.
    checked_in(alice, pains=[{"region": "knee", "nrs": 7}])
    assert needs(carol, alice) == {"RED_FLAG"}
    assert "1 athlete needs a look" in client.get(DASHBOARD).content.decode()


def test_seen_is_each_coachs_own(client, carol, dave, alice, library):
    CoachLink.objects.create(coach=dave, athlete=alice)
    checked_in(alice, pains=[{"region": "knee", "nrs": 7}])
    client.force_login(carol)
    seen(client, alice, flag_value(carol, alice, "RED_FLAG"))
    assert needs(carol, alice) == set()
    assert needs(dave, alice) == {"RED_FLAG"}
    client.force_login(dave)
    assert "1 athlete needs a look" in client.get(DASHBOARD).content.decode()


def test_seen_twice_is_stored_once(client, carol, alice, library):
    workout = checked_in(alice)
    Comment.objects.create(workout=workout, author=alice, body="Hi")
    client.force_login(carol)
    flag = flag_value(carol, alice, "COMMENT")
    seen(client, alice, flag)
    seen(client, alice, flag)
    assert FlagSeen.objects.count() == 1
    # A new comment shows again.
    Comment.objects.create(workout=workout, author=alice, body="Hello?")
    assert needs(carol, alice) == {"COMMENT"}


@pytest.mark.parametrize(
    "flag",
    ["", "HAPPY 2026-01-05T10:00:00+00:00", "COMMENT", "COMMENT yesterday", "PAIN 2026-01-05"],
)
def test_seen_refuses_a_flag_it_does_not_know(client, carol, alice, library, flag):
    client.force_login(carol)
    response = seen(client, alice, flag, back="sort=name")
    assert response.status_code == 302 and response.url.startswith(f"{DASHBOARD}?sort=name")
    assert "could not be marked seen" in client.get(response.url).content.decode()
    assert not FlagSeen.objects.exists()


def test_seen_is_for_linked_athletes_only(client, carol, dave, alice, bob, library):
    client.force_login(dave)
    assert seen(client, alice, "COMMENT 2026-01-05T10:00:00+00:00").status_code == 404
    client.force_login(carol)
    CoachLink.objects.get(coach=carol, athlete=alice).end(by=alice)
    assert seen(client, alice, "COMMENT 2026-01-05T10:00:00+00:00").status_code == 404
    assert client.get(reverse("coaching:flag_seen", args=[alice.pk])).status_code == 405
    assert not FlagSeen.objects.exists()


# --- Cache and queries ----------------------------------------------------------------------


def test_it_shows_a_run_at_once_despite_the_cache(client, carol, alice, library):
    client.force_login(carol)
    client.get(DASHBOARD)
    assert "rows" not in client.get(DASHBOARD).context  # from the cache
    run = Run.objects.create(athlete=alice, start=ago(1), duration=timedelta(minutes=45))
    assert "45 min" in table(client.get(DASHBOARD))
    run.duration = timedelta(minutes=50)
    run.save()
    assert "50 min" in table(client.get(DASHBOARD))
    run.delete()
    assert " min" not in table(client.get(DASHBOARD))


def test_no_coach_sees_another_coachs_rows_or_marks(client, carol, dave, alice, bob, library):
    CoachLink.objects.create(coach=dave, athlete=bob)
    CoachLink.objects.create(coach=dave, athlete=alice)
    workout = checked_in(alice)
    Comment.objects.create(workout=workout, author=alice, body="Hi")
    client.force_login(carol)
    seen(client, alice, flag_value(carol, alice, "COMMENT"))
    carols = table(client.get(DASHBOARD))
    assert "Bob" not in carols and "1 new comment (seen)" in carols
    client.force_login(dave)
    daves = table(client.get(DASHBOARD))
    assert "Bob" in daves and "(seen)" not in daves
    CoachLink.objects.get(coach=dave, athlete=bob).end(by=bob)
    assert "Bob" not in table(client.get(DASHBOARD))


def test_it_computes_only_the_rows_that_changed(client, carol, django_user_model, library):
    people = [athlete(django_user_model, carol, f"R{n}") for n in range(12)]
    for person in people:  # each with something to act on, so every query runs each time
        Comment.objects.create(workout=checked_in(person), author=person, body="Done")
    client.force_login(carol)
    with CaptureQueriesContext(connection) as everyone:
        assert len(client.get(DASHBOARD).context["rows"]) == 13
    checked_in(people[3], pains=[{"region": "knee", "nrs": 8}])
    with CaptureQueriesContext(connection) as one:
        response = client.get(DASHBOARD)
    assert [row.athlete for row in response.context["rows"]] == [people[3]]
    assert order(response)[0] == people[3].pk and len(order(response)) == 13
    assert len(one.captured_queries) == len(everyone.captured_queries)
    caches["triage"].clear()
    assert len(client.get(DASHBOARD).context["rows"]) == 13


def test_a_coach_without_a_second_step_sees_no_rows(client, django_user_model, alice, library):
    coach = make_user(django_user_model, "zed@example.com", is_coach=True)
    Authenticator.objects.filter(user=coach).delete()
    CoachLink.objects.create(coach=coach, athlete=alice)
    client.force_login(coach)
    assert client.get(DASHBOARD).status_code == 302  # to the second step's setup
    add_authenticator_app(coach)
    assert "Alice" in table(client.get(DASHBOARD))


# --- The session in coach words ------------------------------------------------------------


def test_the_coach_reads_the_session_in_coach_words(client, carol, alice, library):
    workout = checked_in(alice, answers={"soreness": 1}, sets=1)
    workout.headline_reason = "S1"
    workout.save()
    workout.items.update(reason="NEW_USER")
    client.force_login(carol)
    page = client.get(
        reverse("coaching:athlete_workout", args=[alice.pk, workout.pk])
    ).content.decode()
    assert "Plan reduced by the check-in: legs very sore." in page
    assert "Kept short: one of the athlete&#x27;s first sessions." in page
    assert "Check-in: Legs very sore" in page
    assert "You&#x27;re just starting" not in page and "Your legs" not in page
    client.force_login(alice)
    own = client.get(workout.get_absolute_url()).content.decode()
    assert "You&#x27;re just starting" in own


def test_coach_words_name_the_answers_that_lowered_the_plan():
    answers = {"soreness": 4, "fatigue": 2, "sleep": 1, "stress": None}
    assert wording.answer_words(answers) == ["Legs fine", "Energy tired", "Sleep very poor"]
    assert wording.headline("BASE_MINIMUM", answers) == (
        "Plan reduced by the check-in: sleep very poor, energy tired"
    )
    assert wording.headline("BASE_MINIMUM", {"soreness": 4}) == (
        "Plan reduced by the check-in to one easy set: readiness low."
    )
    assert wording.headline("S1") == "Plan reduced by the check-in: legs very sore."
    assert wording.advisory_text("PAIN_RED").startswith("Pain with warning signs: told to")


def test_every_engine_reason_has_coach_words():
    from sessions.reasons import ADVISORY_TEXT, REASON_TEXT

    assert set(REASON_TEXT) <= set(wording.REASON_TEXT)
    assert set(ADVISORY_TEXT) <= set(wording.ADVISORY_TEXT)


def test_the_kept_controls_follow_the_query_and_the_groups(client, carol, squad):
    client.force_login(carol)
    page = client.get(f"{DASHBOARD}?sort=name&dir=asc").content.decode()
    assert '<option value="asc" selected>' in page
    page = client.get(f"{DASHBOARD}?sort=name").content.decode()
    assert '<option value="asc" selected>' not in page
    assert 'aria-sort="ascending"' in page
    group = Group.objects.create(coach=carol, name="Hills")
    assert ">Hills</option>" in client.get(DASHBOARD).content.decode()
    group.name = "Trails"
    group.save()
    page = client.get(DASHBOARD).content.decode()
    assert ">Trails</option>" in page and ">Hills</option>" not in page


# --- Queries bounded by the coach's athletes (issue 15) -------------------------------------


def test_a_comment_keeps_its_sessions_athlete(carol, alice, library):
    workout = make_workout(alice)
    by_coach = Comment.objects.create(workout=workout, author=carol, body="Nice")
    by_id = Comment.objects.create(workout_id=workout.pk, author=alice, body="Thanks")
    assert by_coach.athlete_id == alice.pk
    assert Comment.objects.get(pk=by_id.pk).athlete_id == alice.pk


def test_the_table_counts_only_its_own_athletes_comments(client, carol, alice, dave, library):
    other = make_user(type(alice), "olga@example.com", display_name="Olga")
    CoachLink.objects.create(coach=dave, athlete=other)
    Comment.objects.create(workout=make_workout(other), author=other, body="For Dave")
    Comment.objects.create(workout=make_workout(alice), author=alice, body="For Carol")
    client.force_login(carol)
    page = client.get(DASHBOARD).content.decode()
    assert "1 new comment" in page and "2 new comments" not in page


def test_current_days_bounded_by_athletes_are_the_same_days(carol, alice, erin, library):
    from coaching.models import Assignment

    routine = make_routine(carol)
    today = timezone.localdate()
    assign(routine, alice, today)
    assign(routine, erin, today)  # erin's link to carol has ended: not current
    ids = [alice.pk, erin.pk]
    unbounded = set(Assignment.objects.filter(athlete_id__in=ids).current())
    bounded = set(Assignment.objects.filter(athlete_id__in=ids).current(athletes=ids))
    assert bounded == unbounded
    assert {a.athlete_id for a in bounded} == {alice.pk}
