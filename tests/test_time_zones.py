"""Times show in the reader's time zone; a coach reads an athlete's in the athlete's, named.

Alice trains in Los Angeles or Tokyo; Carol coaches her from the other one. Each moment is
chosen so that the local day differs from the UTC day: a page still showing UTC fails.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import Comment
from sessions.models import LadderProgress
from tests.coaching import make_workout

pytestmark = pytest.mark.django_db

LA, TOKYO = "America/Los_Angeles", "Asia/Tokyo"
# 03:30 UTC on Tuesday 10 March is 20:30 on Monday 9 March in Los Angeles (PDT, UTC-7).
LA_EVENING = datetime(2026, 3, 10, 3, 30, tzinfo=UTC)
# 20:00 UTC on Tuesday 10 March is 05:00 on Wednesday 11 March in Tokyo (UTC+9).
TOKYO_MORNING = datetime(2026, 3, 10, 20, 0, tzinfo=UTC)


def live_in(user, zone):
    user.timezone = zone
    user.save(update_fields=["timezone"])


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def coach_in_tokyo(carol):
    live_in(carol, TOKYO)
    return carol


# --- The athlete's own pages ------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "moment", "day"),
    [(LA, LA_EVENING, "Mon 9 Mar"), (TOKYO, TOKYO_MORNING, "Wed 11 Mar")],
)
def test_it_dates_the_history_in_the_athletes_zone(client, alice, library, zone, moment, day):
    live_in(alice, zone)
    make_workout(alice, when=moment)
    client.force_login(alice)
    html = get(client, reverse("workout_sessions:list"))
    assert f">{day}</a>" in html


@pytest.mark.parametrize(
    ("zone", "moment", "title", "heading"),
    [
        (LA, LA_EVENING, "Session 9 Mar", "Session of Monday 9 March"),
        (TOKYO, TOKYO_MORNING, "Session 11 Mar", "Session of Wednesday 11 March"),
    ],
)
def test_it_dates_a_session_in_the_athletes_zone(
    client, alice, library, zone, moment, title, heading
):
    live_in(alice, zone)
    workout = make_workout(alice, when=moment)
    client.force_login(alice)
    html = get(client, workout.get_absolute_url())
    assert f"<title>{title} · HomeStrength</title>" in html
    assert heading in html


@pytest.mark.parametrize(
    ("zone", "shown"), [(LA, "Mon 9 Mar, 20:30"), (TOKYO, "Tue 10 Mar, 12:30")]
)
def test_it_times_comments_in_the_readers_zone(client, alice, carol, library, zone, shown):
    live_in(alice, zone)
    workout = make_workout(alice, when=LA_EVENING)
    Comment.objects.create(workout=workout, author=carol, body="Nice work", created=LA_EVENING)
    client.force_login(alice)
    html = get(client, workout.get_absolute_url())
    assert f"· {shown}" in html


def test_it_dates_the_progress_on_each_ladder_in_the_athletes_zone(client, alice, library):
    live_in(alice, LA)
    # A recent evening in Los Angeles, already the next day in UTC (progress shows the
    # weeks of the load chart, so a fixed date would fall out of it).
    evening = (timezone.now() - timedelta(days=3)).replace(
        hour=3, minute=30, second=0, microsecond=0
    )
    workout = make_workout(alice, when=evening, sets=2)
    item = workout.items.get()
    item.decision = "hold"
    item.save(update_fields=["decision"])
    LadderProgress.objects.create(athlete=alice, ladder=item.ladder, level=1)
    client.force_login(alice)
    html = get(client, reverse("workout_sessions:list"))
    la_day = evening.astimezone(ZoneInfo(LA)).date()
    assert la_day == evening.date() - timedelta(days=1)
    assert f"{la_day.day} {la_day:%b}: level 1" in html
    assert f"{evening.day} {evening:%b}: level 1" not in html


# --- Forms and the running log ----------------------------------------------------------


def test_it_reads_a_race_day_against_the_athletes_today(client, alice):
    """Races go at most three years ahead, counted from the athlete's today, not UTC's."""
    # A zone whose date is not UTC's right now: UTC+14 from 10:00 UTC, UTC-11 before 11:00.
    live_in(alice, "Pacific/Kiritimati" if timezone.now().hour >= 10 else "Pacific/Pago_Pago")
    assert alice.local_today() != timezone.now().date()
    client.force_login(alice)
    last = alice.local_today() + timedelta(days=3 * 365)

    def add_race(day):
        data = {"name": "Far away", "date": day.isoformat(), "priority": "C"}
        return client.post(reverse("runs:race_create"), data)

    assert add_race(last).status_code == 302
    assert "at most three years ahead" in add_race(last + timedelta(days=1)).content.decode()


# --- The middleware ---------------------------------------------------------------------


def test_it_puts_the_zone_back_after_the_response(client, alice):
    live_in(alice, TOKYO)
    client.force_login(alice)
    with timezone.override("Europe/Paris"):
        assert client.get(reverse("runs:list")).status_code == 200
        assert timezone.get_current_timezone_name() == "Europe/Paris"
    assert timezone.get_current_timezone_name() == "UTC"


# --- What a coach sees: the athlete's days and times, with the zone named ----------------


def test_a_coach_reads_an_athletes_sessions_and_checkins_on_the_athletes_days(
    client, alice, carol, library
):
    live_in(alice, LA)
    coach_in_tokyo(carol)
    make_workout(alice, when=LA_EVENING)
    client.force_login(carol)
    html = get(client, reverse("coaching:athlete_detail", args=[alice.pk]))
    assert html.count("Mon 9 Mar") == 2  # the session and its check-in
    assert "10 Mar" not in html and "Tue" not in html
    assert "Days and times are Alice's, in their time zone (America/Los_Angeles)." in html


def test_a_coach_reads_a_session_and_its_comments_in_the_athletes_time(
    client, alice, carol, library
):
    live_in(alice, LA)
    coach_in_tokyo(carol)
    workout = make_workout(alice, when=LA_EVENING)
    Comment.objects.create(workout=workout, author=carol, body="Nice work", created=LA_EVENING)
    client.force_login(carol)
    html = get(client, reverse("coaching:athlete_workout", args=[alice.pk, workout.pk]))
    assert "Alice's session of Monday 9 March" in html
    assert "· Mon 9 Mar, 20:30" in html  # Carol's own comment, on Alice's clock
    assert "(America/Los_Angeles)" in html


def test_a_coach_reads_the_last_checkin_on_the_athletes_day(client, alice, carol, library):
    live_in(alice, TOKYO)
    live_in(carol, LA)
    make_workout(alice, when=TOKYO_MORNING)
    client.force_login(carol)
    html = get(client, reverse("coaching:dashboard"))
    assert "last check-in 11 Mar" in html
    assert "Days are each athlete's own, in their time zone." in html


def test_a_coach_reads_an_athletes_runs_on_the_athletes_clock(client, alice, carol):
    from runs.models import Run

    live_in(alice, TOKYO)
    live_in(carol, LA)
    yesterday = timezone.now() - timedelta(days=1)
    start = yesterday.replace(hour=20, minute=0, second=0, microsecond=0)  # 05:00 in Tokyo
    Run.objects.create(athlete=alice, start=start, duration=timedelta(minutes=30))
    client.force_login(carol)
    html = get(client, reverse("runs:athlete_list", args=[alice.pk]))
    assert "05:00" in html
    assert "(Asia/Tokyo)" in html


def test_a_coachs_own_pages_stay_in_the_coachs_zone(client, alice, carol, library):
    """After reading Alice's page, Carol's next page is on her own clock again."""
    live_in(alice, LA)
    coach_in_tokyo(carol)
    make_workout(alice, when=LA_EVENING)
    client.force_login(carol)
    get(client, reverse("coaching:athlete_detail", args=[alice.pk]))
    own = make_workout(carol, when=TOKYO_MORNING)  # Tuesday in Los Angeles and UTC
    html = get(client, own.get_absolute_url())
    assert "Session of Wednesday 11 March" in html
