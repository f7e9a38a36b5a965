"""The caching design (README, "Caching"): every cached page or fragment changes as soon as
the data it shows does, and nobody is ever shown another person's content."""

import gzip
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import USER_SECONDS, user_cache, user_key
from accounts.models import CoachLink, User
from coaching.models import Comment
from core.cache import FileCache
from sessions.models import CheckIn, WorkoutSession, WorkoutSet
from tests.coaching import assign, make_routine, make_workout
from tests.conftest import PASSWORD, make_user
from tests.test_sessions import log_url, open_workout, prescribed_set

pytestmark = pytest.mark.django_db

LIBRARY = reverse("exercises:list")
DASHBOARD = reverse("coaching:dashboard")
PROFILE = reverse("accounts:profile")


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def page(client, workout) -> str:
    return html(client.get(workout.get_absolute_url()))


# --- The anonymous library ------------------------------------------------------------------


def test_library_never_serves_a_logged_in_visitors_message_to_a_stranger(client, alice, library):
    stranger = type(client)()
    html(stranger.get(LIBRARY))  # the anonymous page is cached now
    client.force_login(alice)
    flashed = html(client.post(reverse("account_logout") + "?next=" + LIBRARY, follow=True))
    assert "You are logged out." in flashed  # not served from the cache either
    assert "You are logged out." not in html(stranger.get(LIBRARY))
    assert "Alice" not in html(stranger.get(LIBRARY))


def cache_entries() -> int:
    return sum(len(caches[alias]._cache) for alias in ("pages", "library"))  # LocMemCache's own


def test_library_adds_no_cache_entry_for_unknown_parameters(client, library):
    html(client.get(LIBRARY))
    html(client.get(LIBRARY, {"equipment": "chair", "area": "legs"}))
    entries = cache_entries()
    for n in range(20):
        html(client.get(LIBRARY, {f"utm_{n}": uuid.uuid4().hex, "page": str(n)}))
        html(client.get(LIBRARY, {"equipment": uuid.uuid4().hex}))
        html(client.get(LIBRARY, {"area": uuid.uuid4().hex}))
        html(client.get(LIBRARY, {"equipment": "chair", "area": "legs", "x": str(n)}))
    assert cache_entries() == entries


def test_random_searches_never_push_a_logged_in_page_out(
    client, alice, library, settings, django_assert_num_queries
):
    settings.CACHES = {
        **settings.CACHES,
        "library": {**settings.CACHES["library"], "OPTIONS": {"MAX_ENTRIES": 10}},
        "pages": {**settings.CACHES["pages"], "OPTIONS": {"MAX_ENTRIES": 10}},
    }
    athlete = type(client)()
    athlete.force_login(alice)
    workout = open_workout(athlete)
    page(athlete, workout)
    for _ in range(40):
        html(client.get(LIBRARY, {"q": uuid.uuid4().hex}))
    with django_assert_num_queries(1):  # the page's version: the page itself is still kept
        page(athlete, workout)


def test_library_answers_unknown_parameters_from_the_cached_page(
    client, library, django_assert_num_queries
):
    first = html(client.get(LIBRARY))
    with django_assert_num_queries(1):  # the library revision only
        assert html(client.get(LIBRARY, {"utm_source": "mail"})) == first


def test_library_serves_the_same_page_gzipped_from_the_cache(client, library):
    detail = reverse("exercises:detail", args=["calf-raise-double-leg-floor"])
    plain = client.get(detail).content  # stored, with its compressed copy
    bodies = set()
    for _ in range(2):  # served from the cache each time, compressed once
        response = client.get(detail, headers={"accept-encoding": "gzip, br"})
        bodies.add(response.content)
        assert response["Content-Encoding"] == "gzip"
        assert {"Accept-Encoding", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
        assert gzip.decompress(response.content) == plain
    # The same compressed bytes both times: not gzipped anew (Django pads each fresh
    # compression with random bytes, so two fresh ones differ).
    assert len(bodies) == 1
    again = client.get(detail)  # a client that takes no gzip gets the plain page
    assert again.content == plain and not again.has_header("Content-Encoding")


def test_library_search_and_unknown_values_are_shown_as_typed(client, library):
    html(client.get(LIBRARY))
    assert "Ignored unknown equipment: anvil." in html(client.get(LIBRARY, {"equipment": "anvil"}))
    searched = html(client.get(LIBRARY, {"q": "plank"}))
    assert 'value="plank"' in searched
    assert 'value="calf"' in html(client.get(LIBRARY, {"q": "calf"}))


# --- The athlete's session page -------------------------------------------------------------


def finished_workout(client, athlete, started):
    workout = open_workout(client)
    client.post(log_url(workout), prescribed_set(client, workout))
    finish = reverse("workout_sessions:finish", args=[workout.pk])
    client.post(finish, {"session_rpe": "6", "duration_minutes": "25", "notes": ""})
    WorkoutSession.objects.filter(pk=workout.pk).update(started=started)
    return workout


def test_plan_page_shows_times_in_the_active_time_zone(client, alice, library):
    client.force_login(alice)
    # Monday 20:00 in UTC is already Tuesday morning in Auckland.
    workout = finished_workout(client, alice, datetime(2026, 1, 5, 20, 0, tzinfo=UTC))
    # The user's zone changes too, for a middleware that activates it on every request.
    for zone, day in [("UTC", "Monday 5 January"), ("Pacific/Auckland", "Tuesday 6 January")]:
        alice.timezone = zone
        alice.save()
        with timezone.override(zone):
            page(client, workout)
            assert day in page(client, workout)


def test_plan_page_shows_weights_in_the_users_unit(client, alice, library):
    client.force_login(alice)
    workout = open_workout(client)
    item = workout.items.filter(action="do").first()
    item.load_kg = 10
    item.save()
    assert "10 kg" in page(client, workout)
    alice.units = User.Units.LB
    alice.save()
    assert "22 lb" in page(client, workout)


def edit_comment(workout):
    comment = Comment.objects.filter(workout=workout).first()
    comment.body = "Edited: easy does it"
    comment.save()
    return "Edited: easy does it", "Keep the knees soft"


def update_comment(workout):
    Comment.objects.filter(workout=workout).update(body="Updated: easy does it")
    return "Updated: easy does it", "Keep the knees soft"


def delete_comment(workout):
    Comment.objects.filter(workout=workout).delete()
    return None, "Keep the knees soft"


def delete_set(workout):
    WorkoutSet.objects.filter(item__workout=workout).delete()
    return "nothing logged", None


def edit_set(workout):
    WorkoutSet.objects.filter(item__workout=workout).update(reps=17)
    return "17 reps, could do", None


def edit_exercise(workout):
    item = workout.items.filter(action="do").first()
    item.decision = "regress"
    item.save(update_fields=["decision"])
    return "a step back to consolidate", None


def edit_session(workout):
    workout = WorkoutSession.objects.get(pk=workout.pk)
    workout.notes = "Windy hill today"
    workout.save()
    return "Windy hill today", None


@pytest.mark.parametrize(
    "change",
    [
        edit_comment,
        update_comment,
        delete_comment,
        delete_set,
        edit_set,
        edit_exercise,
        edit_session,
    ],
)
def test_plan_page_shows_every_change_to_the_session_at_once(client, alice, carol, library, change):
    client.force_login(alice)
    workout = finished_workout(client, alice, timezone.now())
    Comment.objects.create(workout=workout, author=carol, body="Keep the knees soft")
    page(client, workout)  # marks the comment read, which the next view is keyed by
    before = page(client, workout)
    assert "Keep the knees soft" in before
    shown, gone = change(workout)
    after = page(client, workout)
    if shown:
        assert shown in after
    if gone:
        assert gone not in after


def test_plan_page_drops_a_deleted_coachs_comments_and_deleting_accounts_works(
    client, alice, carol, library
):
    client.force_login(alice)
    workout = finished_workout(client, alice, timezone.now())
    Comment.objects.create(workout=workout, author=carol, body="Keep the knees soft")
    page(client, workout)
    assert "Keep the knees soft" in page(client, workout)
    carol.delete_account()
    assert "Keep the knees soft" not in page(client, workout)
    alice.delete_account()  # every row of her data goes, with no version left behind
    assert not User.objects.filter(pk=alice.pk).exists()
    assert client.get(workout.get_absolute_url()).status_code == 302


def test_plan_page_of_one_athlete_never_reaches_another(client, alice, bob, library):
    client.force_login(alice)
    mine = open_workout(client)
    html_alice = page(client, mine)
    client.force_login(bob)
    theirs = open_workout(client)
    assert client.get(mine.get_absolute_url()).status_code == 404
    html_bob = page(client, theirs)
    assert "Alice" not in html_bob and html_bob != html_alice


# --- The coach dashboard --------------------------------------------------------------------


def dashboard(client) -> str:
    """The triage table's rows (the filters above them name every flag)."""
    page = html(client.get(DASHBOARD))
    return page.partition("<tbody>")[2].partition("</tbody>")[0]


def test_dashboard_sees_an_edited_check_in(client, alice, carol, library):
    make_workout(alice)
    make_workout(alice)  # the newest check-in keeps the same id when edited
    client.force_login(carol)
    assert "Pain with warning signs" not in dashboard(client)
    checkin = CheckIn.objects.filter(athlete=alice).first()
    checkin.pains = [{"region": "knee", "nrs": 8}]
    checkin.save()
    assert "Pain with warning signs" in dashboard(client)


def test_dashboard_sees_a_deleted_check_in(client, alice, carol, library):
    older = make_workout(
        alice, when=timezone.now() - timedelta(days=2), pains=[{"region": "knee", "nrs": 8}]
    )
    make_workout(alice)  # the newest check-in stays
    client.force_login(carol)
    assert "Pain with warning signs" in dashboard(client)
    CheckIn.objects.filter(pk=older.checkin_id).delete()
    assert "Pain with warning signs" not in dashboard(client)


def test_dashboard_sees_a_deleted_comment(client, alice, carol, library):
    workout = make_workout(alice)
    older = Comment.objects.create(workout=workout, author=alice, body="First")
    Comment.objects.create(workout=workout, author=alice, body="Second")
    client.force_login(carol)
    assert "2 new comments" in dashboard(client)
    older.delete()
    assert "1 new comment" in dashboard(client) and "1 new comments" not in dashboard(client)


def test_dashboard_sees_a_deleted_set_of_a_finished_session(client, alice, carol, library):
    workout = make_workout(alice, when=timezone.now() - timedelta(minutes=5))
    client.force_login(carol)
    response = client.get(DASHBOARD)
    assert response.context["rows"][0].sessions_week == 1
    WorkoutSet.objects.filter(item__workout=workout).delete()
    assert client.get(DASHBOARD).context["rows"][0].sessions_week == 0


def test_dashboard_sees_assignments_made_moved_and_removed(client, alice, carol, library):
    client.force_login(carol)
    assert client.get(DASHBOARD).context["rows"][0].next_day is None
    day = alice.local_today() + timedelta(days=5)
    assignment = assign(make_routine(carol), alice, day)
    assert client.get(DASHBOARD).context["rows"][0].next_day == day
    assignment.date = day + timedelta(days=1)
    assignment.save()
    assert client.get(DASHBOARD).context["rows"][0].next_day == day + timedelta(days=1)
    assignment.delete()
    assert client.get(DASHBOARD).context["rows"][0].next_day is None


def test_dashboard_drops_days_put_there_by_a_coach_whose_link_ended(
    client, alice, carol, dave, library
):
    day = alice.local_today() + timedelta(days=5)
    link = CoachLink.objects.create(coach=dave, athlete=alice)
    assign(make_routine(dave), alice, day)
    client.force_login(carol)
    assert client.get(DASHBOARD).context["rows"][0].next_day == day
    link.end(by=dave)
    assert client.get(DASHBOARD).context["rows"][0].next_day is None


def test_dashboard_sees_a_set_logged_by_the_athlete(client, alice, carol, library):
    athlete = type(client)()
    athlete.force_login(alice)
    workout = open_workout(athlete)
    client.force_login(carol)
    assert client.get(DASHBOARD).context["rows"][0].sessions_week == 0
    athlete.post(log_url(workout), prescribed_set(athlete, workout))
    athlete.post(
        reverse("workout_sessions:finish", args=[workout.pk]),
        {"session_rpe": "6", "duration_minutes": "25", "notes": ""},
    )
    assert client.get(DASHBOARD).context["rows"][0].sessions_week == 1


def test_two_coaches_never_see_each_others_dashboard(client, alice, bob, carol, dave, library):
    CoachLink.objects.create(coach=dave, athlete=bob)
    make_workout(alice)
    make_workout(bob)
    client.force_login(carol)
    assert "Alice" in dashboard(client)
    client.force_login(dave)
    seen = dashboard(client)
    assert "Bob" in seen and "Alice" not in seen


def test_dashboard_reads_the_same_queries_cached_for_3_or_30_athletes(
    client, carol, django_user_model, library, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cached_queries():
        client.get(DASHBOARD)  # fills the cache
        with CaptureQueriesContext(connection) as captured:
            response = client.get(DASHBOARD)
        assert "rows" not in response.context  # from the cache
        return len(captured.captured_queries)

    def link(n):
        for _ in range(n):
            athlete = make_user(django_user_model, f"a{uuid.uuid4().hex[:8]}@example.com")
            CoachLink.objects.create(coach=carol, athlete=athlete)
            make_workout(athlete)

    client.force_login(carol)
    link(2)
    few = cached_queries()
    link(27)
    assert cached_queries() == few


# --- The logged-in user ---------------------------------------------------------------------


def change_form(client, user):
    """The admin's change form for ``user``, as the browser would post it back."""
    page = client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name == "password" or value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, datetime):
            data[f"{name}_0"] = value.strftime("%Y-%m-%d")
            data[f"{name}_1"] = value.strftime("%H:%M:%S")
        else:
            data[name] = value
    return data


@pytest.fixture
def request_meanwhile(alice):
    """A request by Alice while the admin's transaction is open, in another worker: it
    reads the row as committed before (this test's connection would see the change, so the
    committed row is taken beforehand) and caches it, as ``accounts.middleware`` does."""
    from django.db.models.signals import post_save

    committed = User.objects.get(pk=alice.pk)

    def meanwhile(sender, instance, **kwargs):
        if instance.pk == alice.pk:
            user_cache().set(user_key(alice.pk), committed, USER_SECONDS)

    post_save.connect(meanwhile, sender=User, dispatch_uid="request-meanwhile")
    yield
    post_save.disconnect(sender=User, dispatch_uid="request-meanwhile")


def test_a_user_deactivated_in_the_admin_is_logged_out_at_once(
    client, alice, staff, request_meanwhile, django_capture_on_commit_callbacks
):
    athlete = type(client)()
    athlete.force_login(alice)
    assert athlete.get(PROFILE).status_code == 200  # Alice is cached now
    client.force_login(staff)
    data = change_form(client, alice)
    data.pop("is_active")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:accounts_user_change", args=[alice.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not User.objects.get(pk=alice.pk).is_active
    response = athlete.get(PROFILE)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_a_password_changed_in_the_admin_logs_the_user_out_at_once(
    client, alice, staff, request_meanwhile, django_capture_on_commit_callbacks
):
    athlete = type(client)()
    athlete.force_login(alice)
    assert athlete.get(PROFILE).status_code == 200
    client.force_login(staff)
    url = reverse("admin:auth_user_password_change", args=[alice.pk])
    new = "a brand new passphrase 42"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"password1": new, "password2": new, "usable_password": "true"})
    assert response.status_code == 302
    assert User.objects.get(pk=alice.pk).check_password(new)
    response = athlete.get(PROFILE)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


# --- The shared caches ----------------------------------------------------------------------


def test_a_flood_of_sessions_never_unlocks_an_attacked_account(client, alice):
    login = reverse("account_login")
    for _ in range(5):
        client.post(login, {"login": alice.email, "password": "wrong guess"})
    for _ in range(1500):  # five times Django's default cache size
        SessionStore().create()
    response = client.post(login, {"login": alice.email, "password": PASSWORD})
    assert response.status_code == 200  # still refused: the counter was kept
    assert "_auth_user_id" not in client.session


def test_the_file_cache_drops_expired_entries_before_live_ones(tmp_path):
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 100}})
    for n in range(50):
        cache.set(f"live-{n}", n, 300)
    for n in range(50):
        cache.set(f"dead-{n}", n, 1)
    time.sleep(1.1)
    cache.set("new", "value", 300)  # the cache is full: culls
    assert all(cache.get(f"live-{n}") == n for n in range(50))
    assert cache.get("new") == "value"


def test_a_set_logged_in_plain_sql_reads_back_whole_and_bumps_its_athlete(alice, bob, library):
    """``WorkoutSet.objects.log`` (the set POST's insert) stores what ``create()`` would and
    moves only its own athlete's version, which every cached page of theirs is keyed by."""
    from sessions.models import AthleteVersion, WorkoutExercise

    workout = make_workout(alice)
    item = WorkoutExercise.objects.filter(workout=workout).first()
    AthleteVersion.bump([alice.pk, bob.pk])
    before = dict(AthleteVersion.objects.values_list("athlete_id", "number"))
    client_id = uuid.uuid4()
    number = item.sets.count() + 1
    logged = WorkoutSet.objects.log(
        alice.pk,
        item=item,
        exercise_id=item.exercise_id,
        set_number=number,
        reps=12,
        load_kg=Decimal("12.50"),
        rir=2,
        pain_nrs=1,
        action="repeat",
        next_reps=12,
        client_id=client_id,
    )
    stored = WorkoutSet.objects.get(client_id=client_id)
    assert stored.pk == logged.pk
    assert (stored.item_id, stored.exercise_id, stored.set_number, stored.reps) == (
        item.pk,
        item.exercise_id,
        number,
        12,
    )
    assert (stored.load_kg, stored.rir, stored.pain_nrs, stored.action, stored.next_reps) == (
        Decimal("12.50"),
        2,
        1,
        "repeat",
        12,
    )
    assert stored.created == logged.created
    after = dict(AthleteVersion.objects.values_list("athlete_id", "number"))
    assert after == {alice.pk: before[alice.pk] + 1, bob.pk: before[bob.pk]}


# --- The session cookie survives a late answer to a request sent before the login -----------


def test_a_request_with_the_cookie_of_a_replaced_session_does_not_delete_the_cookie(client):
    # Sent before a login replaced the session, answered after it: deleting "the" cookie
    # then would drop the new login's cookie in the browser (core.middleware).
    client.cookies["sessionid"] = "a-session-that-is-gone"
    response = client.get(PROFILE)  # reads the (missing) session: anonymous
    assert response.status_code == 302
    assert "sessionid" not in response.cookies


def test_logging_out_still_deletes_the_session_cookie(client, alice):
    client.force_login(alice)
    response = client.post(reverse("account_logout"))
    assert response.cookies["sessionid"].value == ""
    assert response.cookies["sessionid"]["max-age"] == 0


def test_a_visitors_kept_library_page_holds_no_other_visitors_query_text(client):
    first = client.get("/exercises/", {"q": "squat", "utm_campaign": "token-of-the-first"})
    assert first.status_code == 200
    second = type(client)().get("/exercises/", {"q": "squat"})
    assert second.status_code == 200
    assert "token-of-the-first" not in second.content.decode()
