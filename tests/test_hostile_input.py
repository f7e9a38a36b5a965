"""Input no browser sends must get a 4xx answer, never a server error (issue 11).

Each test names one way in: a form body in a charset Django will not read, an id past what
a database id can be, a date at the edge of the calendar. tests/test_fuzz_forms.py covers
every form with generated values; these pin the bugs it was written for.
"""

import io
import uuid
from datetime import timedelta

import pytest
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core.converters import MAX_ID, IdConverter
from homestrength.wsgi import application
from sessions.models import CheckIn, WorkoutSession
from tests.coaching import assign, coach_ladder, make_routine
from tests.conftest import PASSWORD

TOO_BIG = 2**63  # one past the largest 64-bit id
FORM = "application/x-www-form-urlencoded"


def tracebacks(caplog):
    return [record for record in caplog.records if record.exc_info]


@pytest.fixture
def strict_client():
    """A client whose POSTs go through the CSRF check, as a browser's do."""
    client = Client(enforce_csrf_checks=True)
    client.raise_request_exception = False
    client.get(reverse("account_login"))  # sets the CSRF cookie
    return client


def post_raw(client, url, body, content_type):
    """A body sent as it is: the test client would otherwise re-encode it."""
    token = client.cookies["csrftoken"].value
    return client.generic(
        "POST", url, body, content_type=content_type, headers={"X-CSRFToken": token}
    )


# --- A form body in another charset (bug 1) ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "charset", ["utf-16", "iso-8859-1", "latin-1", "ascii", "zlib_codec", "no-such-charset", ""]
)
@pytest.mark.parametrize("name", ["account_login", "runs:create"])
def test_it_refuses_a_form_in_another_charset(strict_client, caplog, charset, name):
    response = post_raw(
        strict_client, reverse(name), b"email=a%40example.com", f"{FORM}; charset={charset}"
    )

    assert response.status_code == 400
    assert len(response.content) < 1000
    assert b"could not be read" in response.content
    assert not tracebacks(caplog)


@pytest.mark.django_db
def test_it_refuses_a_multipart_form_in_another_charset(strict_client, caplog):
    body = b'--xx\r\nContent-Disposition: form-data; name="email"\r\n\r\na\r\n--xx--\r\n'
    response = post_raw(
        strict_client,
        reverse("account_login"),
        body,
        "multipart/form-data; boundary=xx; charset=zlib_codec",
    )

    assert response.status_code == 400
    assert not tracebacks(caplog)


@pytest.fixture
def through_wsgi():
    """Send one request through the site's own WSGI application (core/wsgi.py), as gunicorn
    does: the test client builds its requests another way. Answers (status line, body)."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)  # keep the test's database connection

    def send(method, path, *, query, content_type):
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_TYPE": content_type,
            "CONTENT_LENGTH": "0",
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http",
        }
        statuses = []
        body = b"".join(application(environ, lambda status, headers: statuses.append(status)))
        return statuses[0], body

    yield send
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_it_refuses_a_request_in_a_charset_that_is_no_text_encoding(through_wsgi, caplog, method):
    # Django decodes even the query string with the charset the request names: building
    # the request failed before any middleware ran. Only the WSGI handler gets that far.
    status, body = through_wsgi(
        method, "/exercises/", query="q=%41", content_type="text/plain; charset=zlib_codec"
    )

    assert status == "400 Bad Request"
    assert b"could not be read" in body
    assert not tracebacks(caplog)


@pytest.mark.django_db
def test_it_builds_a_request_with_a_charset_and_too_many_query_fields(through_wsgi, caplog):
    # Naming any charset made Django re-read the query string while it built the request,
    # before any middleware: more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields was a 500.
    status, _body = through_wsgi(
        "GET",
        "/healthz",
        query="&".join(f"f{n}=1" for n in range(1500)),
        content_type="text/plain; charset=utf-8",
    )

    assert status == "200 OK"  # /healthz never reads the query string
    assert not tracebacks(caplog)


@pytest.mark.django_db
@pytest.mark.parametrize("charset", ["utf8", "UTF-8", "utf_8", "U8"])
def test_it_reads_a_form_that_spells_utf8_differently(strict_client, alice, charset):
    token = strict_client.cookies["csrftoken"].value
    body = f"login=alice%40example.com&password={PASSWORD}&csrfmiddlewaretoken={token}"

    response = post_raw(
        strict_client, reverse("account_login"), body.encode(), f"{FORM}; charset={charset}"
    )

    assert response.status_code == 302
    assert strict_client.session["_auth_user_id"] == str(alice.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/no-such-page/"])
def test_it_answers_a_body_it_cannot_parse_without_a_server_error(strict_client, caplog, url):
    # Over DATA_UPLOAD_MAX_NUMBER_FIELDS: the CSRF check fails to read it, and the error
    # page must not try again.
    body = "&".join(f"f{n}=1" for n in range(1200)).encode()

    response = post_raw(strict_client, url, body, FORM)

    assert response.status_code == (400 if url == "/accounts/login/" else 404)


@pytest.mark.django_db
def test_it_shows_the_short_page_for_a_bad_request(client):
    client.raise_request_exception = False

    response = client.generic(
        "POST", reverse("account_login"), b"--xx\r\n", content_type="multipart/form-data"
    )  # no boundary

    assert response.status_code == 400
    assert b"could not be read" in response.content


# --- Ids past 64 bits (bugs 2-4) --------------------------------------------------------


@pytest.mark.parametrize("text", ["1", "42", str(MAX_ID), "0042"])
def test_it_reads_an_id(text):
    assert IdConverter().to_python(text) == int(text)


@pytest.mark.parametrize("text", ["0", str(MAX_ID + 1), "99999999999999999999"])
def test_it_refuses_a_number_no_id_can_be(text):
    with pytest.raises(ValueError):
        IdConverter().to_python(text)


def test_it_does_not_build_a_url_for_an_id_out_of_range():
    with pytest.raises(NoReverseMatch):
        reverse("workout_sessions:detail", args=[TOO_BIG])


@pytest.fixture
def workout(alice):
    checkin = CheckIn.objects.create(athlete=alice)
    return WorkoutSession.objects.create(
        athlete=alice, checkin=checkin, plan={}, tier="NORMAL", headline_reason="BASE_NORMAL"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/sessions/{big}/",
        "/sessions/0/",
        "/sessions/{big}/log/",
        "/sessions/{big}/finish/",
        "/runs/{big}/edit/",
        "/runs/races/{big}/edit/",
        "/routines/{big}/",
        "/routines/{big}/assign/",
    ],
)
def test_it_answers_404_for_an_id_out_of_range(client, alice, path):
    client.force_login(alice)

    response = client.get(path.format(big=TOO_BIG))

    assert response.status_code == 404


@pytest.mark.django_db
def test_it_answers_404_for_a_skip_at_a_position_out_of_range(client, alice, workout):
    client.force_login(alice)

    response = client.post(f"/sessions/{workout.pk}/items/{TOO_BIG}/skip/")

    assert response.status_code == 404


@pytest.mark.django_db
def test_it_answers_404_for_a_set_logged_on_a_session_out_of_range(client, alice):
    client.force_login(alice)
    data = {
        "client_id": "2f1c8a52-7c5e-4f57-9f7e-2b2d0a8f5c11",
        "position": 1,
        "set_number": 1,
        "reps": 10,
        "rir": 2,
    }

    response = client.post(f"/sessions/{TOO_BIG}/sets/", data)

    assert response.status_code == 404


@pytest.mark.django_db
def test_it_answers_404_for_a_coach_page_out_of_range(client, carol):
    client.force_login(carol)

    assert client.get(f"/coach/athletes/{TOO_BIG}/").status_code == 404
    assert client.get(f"/runs/athletes/{TOO_BIG}/").status_code == 404


@pytest.mark.django_db
def test_it_refuses_an_athlete_out_of_range_on_assign(client, library, carol):
    routine = make_routine(carol)
    client.force_login(carol)
    day = (carol.local_today() + timedelta(days=1)).isoformat()

    response = client.post(
        reverse("coaching:routine_assign", args=[routine.pk]),
        {"athletes": [str(TOO_BIG)], "start": day, "weeks": "1", "window_days": "1"},
    )

    assert response.status_code == 400
    assert "athletes" in response.context["form"].errors


@pytest.mark.django_db
def test_it_refuses_equipment_out_of_range_on_a_coach_exercise(client, carol):
    ladder = coach_ladder(carol)
    client.force_login(carol)

    response = client.post(
        reverse("coaching:exercise_create", args=[ladder.pk]),
        {"name": "Nordic curl 3", "equipment": [str(TOO_BIG)]},
    )

    assert response.status_code == 200
    assert "equipment" in response.context["form"].errors
    assert ladder.exercises.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("value", [str(TOO_BIG), "-" + str(TOO_BIG + 1), "1" * 40])
def test_it_refuses_equipment_out_of_range_on_the_profile(client, alice, value):
    client.force_login(alice)

    response = client.post(
        reverse("accounts:profile"),
        {
            "display_name": "Alice",
            "units": "kg",
            "timezone": "UTC",
            "language": "en",
            "equipment": [value],
        },
    )

    assert response.status_code == 200
    assert "equipment" in response.context["form"].errors


@pytest.mark.django_db
def test_it_refuses_a_routine_out_of_range_at_check_in(client, library, alice, carol):
    assign(make_routine(carol), alice, alice.local_today())
    client.force_login(alice)

    response = client.post(
        reverse("today"), {"client_id": str(uuid.uuid4()), "assignment": str(TOO_BIG)}
    )

    assert response.status_code == 200
    assert "assignment" in response.context["form"].errors


@pytest.mark.django_db
def test_it_refuses_a_ladder_out_of_range_in_a_routine(client, library, alice):
    routine = make_routine(alice)
    client.force_login(alice)

    response = client.post(
        reverse("coaching:item_create", args=[routine.pk]),
        {"ladder": str(TOO_BIG), "mode": "fatigue", "rest_seconds": "90"},
    )

    assert response.status_code == 400
    assert routine.items.count() == 2


# --- Dates at the ends of the calendar (bug 5) ------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "before", ["0001-01-01", "0001-01-08", "9999-12-31", "1899-12-31", "2026-02-30", "not-a-date"]
)
def test_it_shows_the_log_for_any_before_date(client, alice, before):
    client.force_login(alice)

    response = client.get(reverse("runs:list"), {"before": before})

    assert response.status_code == 200
    assert response.context["is_latest"]


@pytest.mark.django_db
def test_it_still_pages_back_through_the_log(client, alice):
    client.force_login(alice)
    before = timezone.localdate() - timedelta(weeks=20)

    response = client.get(reverse("runs:list"), {"before": before.isoformat()})

    assert response.status_code == 200
    assert not response.context["is_latest"]


@pytest.mark.django_db
@pytest.mark.parametrize("before", ["0001-01-01", "9999-12-31"])
def test_it_shows_a_coach_the_log_for_any_before_date(client, alice, carol, before):
    client.force_login(carol)

    response = client.get(reverse("runs:athlete_list", args=[alice.pk]), {"before": before})

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_it_refuses_assignment_dates_at_the_ends_of_the_calendar(client, library, alice, day):
    routine = make_routine(alice)
    client.force_login(alice)

    response = client.post(
        reverse("coaching:routine_assign", args=[routine.pk]),
        {
            "athletes": [str(alice.pk)],
            "start": day,
            "weeks": "52",
            "window_days": "1",
            "weekdays": ["0", "1", "2", "3", "4", "5", "6"],
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["start"]


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_it_refuses_a_run_at_the_ends_of_the_calendar(client, alice, start):
    alice.timezone = "America/Los_Angeles"
    alice.save()
    client.force_login(alice)

    response = client.post(
        reverse("runs:create"), {"status": "done", "kind": "easy", "start": start, "duration": "30"}
    )

    assert response.status_code == 200
    assert "start" in response.context["form"].errors


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_it_refuses_a_race_at_the_ends_of_the_calendar(client, alice, day):
    client.force_login(alice)

    response = client.post(
        reverse("runs:race_create"), {"name": "City 10K", "date": day, "priority": "A"}
    )

    assert response.status_code == 200
    assert "date" in response.context["form"].errors


def test_it_refuses_a_group_out_of_range_in_the_admin(client, staff, alice):
    client.force_login(staff)
    response = client.post(
        reverse("admin:accounts_user_change", args=[alice.pk]),
        {"email": alice.email, "groups": str(2**63), "is_active": "on"},
    )
    assert response.status_code == 200
    assert "is not a valid value" in response.content.decode()


def test_it_refuses_equipment_out_of_range_in_an_admin_inline(client, staff, library):
    from exercises.models import Ladder

    ladder = Ladder.objects.first()
    client.force_login(staff)
    page = client.get(reverse("admin:exercises_ladder_change", args=[ladder.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "exercises-TOTAL_FORMS": "1",
            "exercises-INITIAL_FORMS": "0",
            "exercises-0-equipment": str(2**63),
        }
    )
    response = client.post(reverse("admin:exercises_ladder_change", args=[ladder.pk]), data)
    assert response.status_code == 200
