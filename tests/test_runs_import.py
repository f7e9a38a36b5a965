"""Importing runs from GPX, TCX and FIT files: the happy path, duplicates, hostile files,
size limits, dates the form refuses, and one bad file among good ones."""

import io
import os
import struct
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import fitdecode
import gpxpy
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from fitdecode.utils import compute_crc

from core.jobs import MAX_ATTEMPTS
from runs import files, fit
from runs.files import ActivityFileError, read_activity
from runs.models import ActivityImport, Run
from runs.tasks import PENDING_LIMIT_FILES
from tests.activity_files import (
    EVENT,
    FLOAT32,
    RECORD,
    SESSION,
    START,
    UINT32,
    FitWriter,
    fit_file,
    fit_of_size,
    fit_records,
    fit_run,
    fit_time,
    gpx_file,
    gpx_run,
    tcx_file,
)

IMPORT = reverse("runs:import")
TOO_MANY = "more than 86,400 points"
DAMAGED_FIT = "not a FIT file, or it is damaged"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<gpx version="1.1"><trk><name>&lol9;</name></trk></gpx>"""


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refusal(name, content) -> str:
    with pytest.raises(ActivityFileError) as error:
        read_activity(name, content)
    return str(error.value)


# --- Reading (no database) ---------------------------------------------------------------


def test_it_reads_a_gpx_file():
    activity = read_activity("morning.gpx", gpx_file(minutes=30))
    assert activity.start == START and activity.duration == timedelta(minutes=30)
    assert activity.distance_km == Decimal("6.68")  # 6 × 0.01° of latitude
    assert activity.sport == "running"


def test_it_reads_a_tcx_file():
    activity = read_activity("Track.TCX", tcx_file(seconds=2700, metres=9000, points=20))
    assert activity.start == START and activity.duration == timedelta(minutes=45)
    assert activity.distance_km == Decimal("9.00")


def test_it_reads_a_fit_file():
    activity = read_activity("watch.fit", fit_file(seconds=3000, metres=10000))
    assert activity.start == START and activity.duration == timedelta(minutes=50)
    assert activity.distance_km == Decimal("10.00") and activity.sport == "running"


def test_it_reads_a_fit_file_without_a_session_from_its_records():
    activity = read_activity("watch.fit", fit_file(seconds=1800, metres=5000, with_session=False))
    assert activity.duration == timedelta(minutes=30)
    assert activity.distance_km == Decimal("5.00")


@pytest.mark.parametrize(
    "variant",
    [
        {},
        {"compressed": True},
        {"developer": True},
        {"big_endian": True},
        {"compressed": True, "developer": True, "big_endian": True},
    ],
)
def test_it_reads_a_watch_fit_file_from_its_records(variant):
    activity = read_activity("watch.fit", fit_run(seconds=600, with_session=False, **variant))
    assert activity.start == START and activity.duration == timedelta(minutes=10)
    assert activity.distance_km == Decimal("2.00")  # 3.33 m/s


def test_it_reads_a_day_of_one_second_records():
    activity = read_activity("day.fit", fit_records(86_400))
    assert activity.duration == timedelta(days=1) - timedelta(seconds=1)


def fix(text):
    return gpx_file(points=3, times=[text, "2025-05-04T07:10:00Z", "2025-05-04T07:20:00Z"])


UNREADABLE = [
    ("garbage.fit", b"\x00\xff" * 500, DAMAGED_FIT),
    ("random.fit", bytes(range(256)) * 8, DAMAGED_FIT),
    ("bad-crc.fit", fit_file()[:-2] + b"\x00\x00", DAMAGED_FIT),
    ("cut.fit", fit_file()[:40], DAMAGED_FIT),
    ("trailing.fit", fit_file() + b"\x00" * 20, DAMAGED_FIT),
    ("bad-header-crc.fit", fit_file()[:12] + b"\x01\x00" + fit_file()[14:], DAMAGED_FIT),
    ("no-crc.fit", fit_file()[:-2], DAMAGED_FIT),
    ("bomb.gpx", BILLION_LAUGHS, "declares a document type or entities"),
    (
        "bomb.tcx",
        BILLION_LAUGHS.replace(b"gpx", b"TrainingCenterDatabase"),
        "declares a document type or entities",
    ),
    (
        "external.gpx",
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<gpx>&x;</gpx>",
        "declares a document type or entities",
    ),
    (
        "utf16-bomb.gpx",
        BILLION_LAUGHS.replace(b'<?xml version="1.0"?>', b"").decode().encode("utf-16"),
        "declares a document type or entities",
    ),
    ("broken.gpx", b"<gpx><trk>", "XML in this file is broken"),
    ("binary.tcx", b"\x89PNG\r\n\x1a\n" + bytes(300), "XML in this file is broken"),
    (
        "crafted.gpx",
        b'<gpx version="1.1"' + b" xmlns" * 200_000 + b"></gpx>",
        "XML in this file is broken",
    ),
    ("other.gpx", b"<kml/>", "not a GPX file"),
    ("other.tcx", b"<gpx/>", "not a TCX file"),
    (
        "notimes.gpx",
        b'<gpx version="1.1"><trk><trkseg><trkpt lat="1" lon="1"/></trkseg></trk></gpx>',
        "has no times",
    ),
    ("badlat.gpx", gpx_file().replace(b'lat="52.00000"', b'lat="north"'), "damaged"),
    ("nanlat.gpx", gpx_file().replace(b'lat="52.00000"', b'lat="nan"'), "damaged"),
    ("nolat.gpx", gpx_file().replace(b'lat="52.00000"', b""), "damaged"),
    ("badtime.gpx", fix("yesterday"), "damaged"),
    ("empty.tcx", b"<TrainingCenterDatabase/>", "no activity in it"),
    (
        "nan.tcx",
        tcx_file().replace(b"<TotalTimeSeconds>1350.0", b"<TotalTimeSeconds>nan"),
        "cannot be read",
    ),
    (
        "huge.tcx",
        tcx_file().replace(b"<TotalTimeSeconds>1350.0", b"<TotalTimeSeconds>1e300"),
        "cannot be read",
    ),
    ("ride.tcx", tcx_file(sport="Biking"), "biking activity"),
    ("ride.fit", fit_file(sport=2), "cycling activity"),
    ("hike.fit", fit_file(sport=17), "hiking activity"),
    ("run.csv", b"start,duration\n", "reads .gpx, .tcx and .fit files only"),
    ("noextension", gpx_file(), "reads .gpx, .tcx and .fit files only"),
    ("empty.gpx", b"", "This file is empty"),
]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    UNREADABLE,
    ids=[name for name, _content, _message in UNREADABLE],
)
def test_it_explains_files_it_cannot_read(name, content, message):
    assert message in refusal(name, content)


def fit_body(*messages: bytes) -> bytes:
    """A FIT file around hand-made message bytes, with correct CRCs."""
    body = b"".join(messages)
    header = struct.pack("<BBHI4s", 12, 0x20, 2132, len(body), b".FIT")
    return header + body + struct.pack("<H", compute_crc(header + body))


DEFINITION = bytes([0x40, 0, 0]) + struct.pack("<HB", RECORD, 1) + bytes([253, 4, UINT32])


@pytest.mark.parametrize(
    "body",
    [
        bytes([0x00]) + bytes(4),  # data before its definition
        DEFINITION + bytes([0x00]) + bytes(3),  # data cut short
        DEFINITION[:5],  # definition cut short
        bytes([0x40, 0, 2]) + DEFINITION[3:],  # byte order 2
        bytes([0x60]) + DEFINITION[1:] + bytes([2, 0, 9]),  # developer fields cut short
        DEFINITION + bytes([0xA0]),  # compressed timestamp, local type 1 never defined
    ],
)
def test_it_refuses_fit_files_whose_structure_is_broken(body):
    assert DAMAGED_FIT in refusal("broken.fit", fit_body(body))


def test_it_refuses_fit_totals_that_overflow():
    writer = FitWriter().define(0, SESSION, [(2, UINT32), (8, FLOAT32)])
    writer.data(0, fit_time(START), 3e38)  # 3e35 seconds
    assert DAMAGED_FIT in refusal("overflow.fit", writer.bytes())


# --- Bounded work ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("day.gpx", lambda: gpx_file(points=86_401, minutes=1440, lat_step=0)),
        ("day.tcx", lambda: tcx_file(points=86_401)),
        ("day.fit", lambda: fit_records(86_401)),
    ],
)
def test_it_refuses_more_than_a_day_of_one_second_samples(name, make):
    assert TOO_MANY in refusal(name, make())


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("a.gpx", lambda n: gpx_file(points=n)),
        ("a.tcx", lambda n: tcx_file(points=n)),
        ("a.fit", lambda n: fit_records(n)),
        # Encoded as UTF-16, the points hide from the count on the raw bytes.
        (
            "a16.gpx",
            lambda n: gpx_file(points=n).decode().replace("UTF-8", "UTF-16").encode("utf-16"),
        ),
        (
            "a16.tcx",
            lambda n: tcx_file(points=n).decode().replace("UTF-8", "UTF-16").encode("utf-16"),
        ),
    ],
)
def test_it_takes_exactly_the_point_limit(monkeypatch, name, make):
    monkeypatch.setattr(files, "MAX_POINTS", 10)
    read_activity(name, make(10))
    assert "more than 10 points" in refusal(name, make(11))


def test_it_stops_reading_a_fit_file_of_endless_other_messages():
    writer = FitWriter().define(0, EVENT, [(253, UINT32)])
    for n in range(50):
        writer.data(0, fit_time(START) + n)
    assert fit.read(writer.bytes(), max_messages=51).records == 0
    with pytest.raises(fit.TooLarge):
        fit.read(writer.bytes(), max_messages=50)  # 51 with the definition


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("run.gpx", gpx_file()),
        ("run.tcx", tcx_file()),
        ("run.fit", fit_run(seconds=5000)),
    ],
)
def test_it_gives_up_when_reading_takes_too_long(name, content):
    with pytest.raises(files.OutOfTime) as error:
        read_activity(name, content, deadline=0)  # long past
    assert str(error.value) == "This file is too large to read here."


# --- The readers agree with fitdecode and gpxpy ------------------------------------------


SESSION_FIELDS = ("start_time", "total_timer_time", "total_elapsed_time", "total_distance", "sport")


def fitdecode_view(content):
    """What the old reader took from fitdecode: sessions, record times and distances."""
    sessions, stamps, distances = [], [], []
    with fitdecode.FitReader(io.BytesIO(content), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                continue
            if frame.name == "session":
                sessions.append(
                    {name: frame.get_value(name, fallback=None) for name in SESSION_FIELDS}
                )
            elif frame.name == "record":
                stamps.append(frame.get_value("timestamp", fallback=None))
                distances.append(frame.get_value("distance", fallback=None))
    return sessions, stamps, distances


@pytest.mark.parametrize(
    "content",
    [
        fit_file(),
        fit_file(with_session=False),
        fit_run(seconds=300),
        fit_run(seconds=300, compressed=True),
        fit_run(seconds=300, developer=True, with_session=False),
        fit_run(seconds=300, big_endian=True, compressed=True, developer=True),
        fit_run(seconds=120) + fit_file(start=START + timedelta(hours=2)),  # two files chained
    ],
    ids=["minimal", "no-session", "watch", "compressed", "developer", "all", "chained"],
)
def test_it_reads_what_fitdecode_reads(content):
    summary = fit.read(content)
    sessions, stamps, distances = fitdecode_view(content)
    assert [{name: s.get(name) for name in SESSION_FIELDS} for s in summary.sessions] == sessions
    assert summary.records == len(stamps)
    assert (summary.first_record, summary.last_record) == (min(stamps), max(stamps))
    assert summary.max_distance == max(distances)


def test_it_names_sports_as_the_fit_profile_does():
    profile = fitdecode.profile.MESSAGE_TYPES[SESSION].fields[5].type.enum
    assert profile == fit.SPORTS


def test_its_fit_checksum_is_the_fit_crc():
    data = os.urandom(5000)
    assert fit.crc16(data) == compute_crc(data)
    assert fit.checksum(memoryview(data), None, chunk=999) == compute_crc(data)


@pytest.mark.parametrize(
    "content",
    [
        gpx_file(),
        gpx_run(seconds=600),
        # Two tracks, two segments, a point without a time, GPX 1.0 and a point far away.
        b"""<gpx version="1.0" xmlns="http://www.topografix.com/GPX/1/0"><trk><trkseg>
    <trkpt lat="52.0" lon="4.0"/>
    <trkpt lat="52.001" lon="4.002"><time>2025-05-04T07:00:05+02:00</time></trkpt>
    <trkpt lat="52.002" lon="4.004"><time>2025-05-04T07:01:00+02:00</time></trkpt>
    </trkseg><trkseg><trkpt lat="53.0" lon="5.0"><time>2025-05-04T07:30:00+02:00</time>
    </trkpt><trkpt lat="53.5" lon="5.5"><time>2025-05-04T07:40:00.5+02:00</time></trkpt>
    </trkseg></trk><trk><trkseg><trkpt lat="53.5" lon="5.6"/></trkseg></trk></gpx>""",
    ],
    ids=["small", "watch", "odd"],
)
def test_it_reads_gpx_as_gpxpy_does(content):
    track = gpxpy.parse(content.decode())
    bounds = track.get_time_bounds()
    activity = read_activity("a.gpx", content)
    assert activity.start == bounds.start_time.astimezone(UTC)
    assert activity.start + activity.duration == bounds.end_time.astimezone(UTC)
    assert activity.distance_m == pytest.approx(track.length_2d(), rel=1e-3)


# --- Importing through the page ------------------------------------------------------------


@pytest.mark.django_db
def test_it_imports_gpx_tcx_and_fit_files_at_once(client, alice):
    client.force_login(alice)
    files = [
        upload("a.gpx", gpx_file(start=START)),
        upload("b.tcx", tcx_file(start=START + timedelta(days=1))),
        upload("c.fit", fit_file(start=START + timedelta(days=2))),
    ]
    response = client.post(IMPORT, {"files": files})
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 runs added" in html and "Added: 9 km in 45 min." in html
    runs = list(Run.objects.order_by("start"))
    assert [r.start for r in runs] == [START + timedelta(days=n) for n in range(3)]
    assert {(r.athlete_id, r.source, r.status, r.rpe) for r in runs} == {
        (alice.pk, "file", "done", None)
    }
    assert runs[2].distance_km == Decimal("10.00") and runs[2].minutes == 50


@pytest.mark.django_db
def test_it_skips_a_run_already_in_the_log(client, alice, bob):
    Run.objects.create(
        athlete=alice, start=START + timedelta(seconds=40), duration=timedelta(minutes=30)
    )
    Run.objects.create(
        athlete=bob, start=START + timedelta(days=1), duration=timedelta(minutes=30)
    )  # Bob's run: no duplicate of Alice's
    client.force_login(alice)
    response = client.post(
        IMPORT,
        {
            "files": [
                upload("a.gpx", gpx_file(start=START)),
                upload("b.gpx", gpx_file(start=START + timedelta(days=1))),
                upload("b-again.fit", fit_file(start=START + timedelta(days=1, seconds=30))),
            ]
        },
    )
    results = response.context["results"]
    assert [(r.name, r.ok) for r in results] == [
        ("a.gpx", False),
        ("b.gpx", True),
        ("b-again.fit", False),
    ]
    assert results[0].message == "Already in your log."
    assert Run.objects.filter(athlete=alice).count() == 2


@pytest.mark.django_db
def test_it_stores_nothing_from_hostile_or_broken_files(client, alice):
    client.force_login(alice)
    response = client.post(
        IMPORT,
        {
            "files": [
                upload("garbage.fit", b"\x00\xff" * 500),
                upload("bomb.gpx", BILLION_LAUGHS),
                upload("bomb.tcx", BILLION_LAUGHS.replace(b"gpx", b"TrainingCenterDatabase")),
                upload("notes.txt", b"hello"),
                upload("good.gpx", gpx_file()),
            ]
        },
    )
    assert response.status_code == 200
    results = response.context["results"]
    assert [r.ok for r in results] == [False, False, False, False, True]
    html = response.content.decode()
    assert "not a FIT file" in html and "declares a document type" in html
    assert Run.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_a_run_that_is_impossible(client, alice):
    client.force_login(alice)
    future = datetime.now(UTC) + timedelta(days=2)
    response = client.post(
        IMPORT,
        {
            "files": [
                upload("future.gpx", gpx_file(start=future)),
                upload("car.fit", fit_file(seconds=600, metres=30000)),  # 20 s/km
                upload("one-point.gpx", gpx_file(points=2, minutes=0)),
            ]
        },
    )
    messages = [r.message for r in response.context["results"]]
    assert "cannot start in the future" in messages[0]
    assert "faster than 2 minutes per kilometre" in messages[1]
    assert "more than zero" in messages[2]
    assert not Run.objects.exists()


LONG_AGO = "That date is long ago. Check the year."
FUTURE = "A run you have done cannot start in the future."
IMPOSSIBLE = "This file has a date that cannot be right, so it was not read."
FIT_DAY_ONE, FIT_LAST = fit_time(datetime(1998, 7, 4, tzinfo=UTC)), 0xFFFFFFFE


DATE_CASES = [
    ("year-1.gpx", fix("0001-01-01T00:00:00Z"), LONG_AGO),
    ("year-1-zoned.gpx", fix("0001-01-01T00:30:00+01:00"), IMPOSSIBLE),
    ("year-1900.gpx", fix("1900-05-01T07:00:00Z"), LONG_AGO),
    ("1999.gpx", fix("1999-12-31T07:00:00Z"), LONG_AGO),
    (
        "year-9999.gpx",
        gpx_file(points=2, times=["2025-05-04T07:00:00Z", "9999-12-31T23:59:59Z"]),
        "more than 24 hours",
    ),
    ("year-9999-start.gpx", gpx_file(points=1, times=["9999-12-31T23:59:59Z"]), FUTURE),
    (
        "year-9999-zoned.gpx",
        gpx_file(points=2, times=["2025-05-04T07:00:00Z", "9999-12-31T23:30:00-01:00"]),
        IMPOSSIBLE,
    ),
    ("year-1.tcx", tcx_file(start_text="0001-01-01T00:00:00Z"), LONG_AGO),
    ("year-1-zoned.tcx", tcx_file(start_text="0001-01-01T00:00:00+05:00"), IMPOSSIBLE),
    ("year-1900.tcx", tcx_file(start_text="1900-01-01T07:00:00"), LONG_AGO),
    ("year-9999.tcx", tcx_file(start_text="9999-12-31T23:59:59Z"), FUTURE),
    ("year-9999-zoned.tcx", tcx_file(start_text="9999-12-31T23:59:59-05:00"), IMPOSSIBLE),
    # FIT counts seconds from 1990 in 32 bits: its first date is in 1998, its last in 2126.
    ("1998.fit", fit_file(start_time=FIT_DAY_ONE), LONG_AGO),
    ("1998-records.fit", fit_file(start_time=FIT_DAY_ONE, with_session=False), LONG_AGO),
    ("2126.fit", fit_file(start_time=FIT_LAST - 3000), FUTURE),
    ("power-on-time.fit", fit_file(start_time=3600, with_session=False), "has no times"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    DATE_CASES,
    ids=[name for name, _content, _message in DATE_CASES],
)
def test_it_refuses_dates_the_typed_form_refuses(client, alice, name, content, message):
    client.force_login(alice)
    response = client.post(
        IMPORT, {"files": [upload(name, content)]}, headers={"accept": "application/json"}
    )
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["ok"] is False and message in result["message"]
    assert not Run.objects.exists()


@pytest.mark.django_db
def test_the_typed_form_and_imports_share_the_date_rule(client, alice):
    client.force_login(alice)
    typed = client.post(
        reverse("runs:create"),
        {"status": "done", "kind": "easy", "start": "1999-12-31T07:00", "duration": "30"},
    )
    imported = client.post(IMPORT, {"files": [upload("a.gpx", fix("1999-12-31T07:00:00Z"))]})
    assert LONG_AGO in typed.content.decode()
    assert imported.context["results"][0].message == LONG_AGO
    assert not Run.objects.exists()


def mixed_upload():
    return [
        upload("good.gpx", gpx_file(start=START)),
        upload("year-1.gpx", fix("0001-01-01T00:00:00+01:00")),
        upload("year-9999.tcx", tcx_file(start_text="9999-12-31T23:59:59Z")),
        upload("damaged.fit", fit_file()[:-1]),
        upload("good.fit", fit_file(start=START + timedelta(days=1))),
        upload("year-1900.tcx", tcx_file(start_text="1900-01-01T07:00:00Z")),
        upload("good.tcx", tcx_file(start=START + timedelta(days=2))),
    ]


@pytest.mark.django_db
def test_it_stores_each_good_file_of_a_mixed_upload_and_says_which(client, alice):
    client.force_login(alice)
    response = client.post(IMPORT, {"files": mixed_upload()})
    assert response.status_code == 200
    results = response.context["results"]
    assert [(r.name, r.ok) for r in results] == [
        ("good.gpx", True),
        ("year-1.gpx", False),
        ("year-9999.tcx", False),
        ("damaged.fit", False),
        ("good.fit", True),
        ("year-1900.tcx", False),
        ("good.tcx", True),
    ]
    assert "3 runs added" in response.content.decode()
    assert sorted(Run.objects.values_list("start", flat=True)) == [
        START,
        START + timedelta(days=1),
        START + timedelta(days=2),
    ]


@pytest.mark.django_db
def test_it_answers_each_file_of_a_mixed_upload_in_json(client, alice):
    client.force_login(alice)
    response = client.post(
        IMPORT, {"files": mixed_upload()}, headers={"accept": "application/json"}
    )
    assert response.status_code == 200
    assert [(r["name"], r["ok"]) for r in response.json()["results"]] == [
        ("good.gpx", True),
        ("year-1.gpx", False),
        ("year-9999.tcx", False),
        ("damaged.fit", False),
        ("good.fit", True),
        ("year-1900.tcx", False),
        ("good.tcx", True),
    ]
    assert Run.objects.count() == 3


@pytest.mark.django_db
def test_a_reader_that_breaks_spoils_only_its_own_file(client, alice, monkeypatch):
    def broken_reader(data, deadline):
        raise RuntimeError("a bug")

    monkeypatch.setattr(files, "read_tcx", broken_reader)
    client.force_login(alice)
    response = client.post(
        IMPORT,
        {
            "files": [
                upload("a.tcx", tcx_file()),
                upload("b.gpx", gpx_file(start=START + timedelta(days=1))),
            ]
        },
    )
    assert response.status_code == 200
    results = response.context["results"]
    assert [r.ok for r in results] == [False, True]
    assert results[0].message.startswith("Something went wrong with this file")
    assert Run.objects.count() == 1


@pytest.mark.django_db
def test_a_database_error_is_tried_again_and_the_file_stored(client, alice, monkeypatch):
    save, calls = Run.save, []

    def save_once_locked(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Run, "save", save_once_locked)
    client.force_login(alice)
    response = client.post(
        IMPORT,
        {
            "files": [
                upload("a.gpx", gpx_file()),
                upload("b.gpx", gpx_file(start=START + timedelta(days=1))),
            ]
        },
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200
    assert [(r["name"], r["ok"], r["message"]) for r in response.json()["results"]] == [
        ("a.gpx", True, "Added: 6.68 km in 30 min."),
        ("b.gpx", True, "Added: 6.68 km in 30 min."),
    ]
    assert list(ActivityImport.objects.order_by("pk").values_list("attempts", flat=True)) == [2, 1]
    assert Run.objects.count() == 2


@pytest.mark.django_db
def test_a_file_that_keeps_failing_is_reported_with_a_reason(client, alice, monkeypatch):
    def always_locked(self, *args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(Run, "save", always_locked)
    client.force_login(alice)
    response = client.post(
        IMPORT, {"files": [upload("a.gpx", gpx_file())]}, headers={"accept": "application/json"}
    )
    [result] = response.json()["results"]
    assert result["ok"] is False and result["status"] == "failed"
    assert result["message"] == (
        f"Something went wrong with this file, so it was not stored (tried {MAX_ATTEMPTS} "
        "times). Try it again later."
    )
    item = ActivityImport.objects.get()
    assert item.attempts == MAX_ATTEMPTS and bytes(item.data) == b""
    assert not Run.objects.exists()
    # The athlete sees it on the import page too.
    assert result["message"] in client.get(IMPORT).content.decode()


@pytest.mark.django_db
def test_it_refuses_a_10_mb_fit_file_after_a_cheap_scan(client, alice, monkeypatch):
    """A 10 MB FIT does not hold a worker: it is refused at the record limit, unchecksummed."""
    decoded, checksummed = [], []
    values, checksum = fit.values, fit.checksum
    monkeypatch.setattr(fit, "values", lambda *args: decoded.append(1) or values(*args))
    monkeypatch.setattr(
        fit, "checksum", lambda data, *args: checksummed.append(len(data)) or checksum(data, *args)
    )
    big = fit_of_size(10_000_000)
    client.force_login(alice)
    response = client.post(
        IMPORT, {"files": [upload("big.fit", big)]}, headers={"accept": "application/json"}
    )
    [result] = response.json()["results"]
    assert result["ok"] is False and TOO_MANY in result["message"]
    # Over 400,000 records in the file; the records up to the limit and one event decoded.
    assert len(big) // 23 > 400_000 and len(decoded) <= 86_401 + 1
    assert checksummed == []
    assert not Run.objects.exists()


@pytest.mark.django_db
def test_it_tells_which_file_was_too_slow_to_read(client, alice, monkeypatch):
    monkeypatch.setattr(files, "READ_SECONDS", -1)
    client.force_login(alice)
    response = client.post(IMPORT, {"files": [upload("a.fit", fit_file())]})
    [result] = response.context["results"]
    assert result.message == "This file is too large to read here."


@pytest.mark.django_db
def test_it_refuses_an_oversized_file(client, alice, settings):
    settings.MAX_RUN_FILE_MB = 1
    client.force_login(alice)
    big = gpx_file() + b" " * (1024 * 1024)
    response = client.post(
        IMPORT, {"files": [upload("big.gpx", big), upload("ok.gpx", gpx_file())]}
    )
    results = response.context["results"]
    assert results[0].message == "This file is larger than 1 MB."
    assert results[1].ok and Run.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_an_oversized_upload_as_a_whole(client, alice, settings):
    settings.MAX_RUN_FILE_MB, settings.MAX_RUN_FILES = 1, 1
    client.force_login(alice)
    response = client.post(IMPORT, {"files": [upload("huge.gpx", b" " * (3 * 1024 * 1024))]})
    assert response.status_code == 413
    assert "That upload is too large" in response.content.decode()
    assert not Run.objects.exists()


@pytest.mark.django_db
def test_it_refuses_too_many_files(client, alice, settings):
    settings.MAX_RUN_FILES = 2
    client.force_login(alice)
    files = [upload(f"{n}.gpx", gpx_file(start=START + timedelta(days=n))) for n in range(3)]
    response = client.post(IMPORT, {"files": files})
    assert response.status_code == 400 and "more than 2 files" in response.content.decode()
    assert not Run.objects.exists()


@pytest.mark.django_db
def test_it_asks_for_a_file(client, alice):
    client.force_login(alice)
    response = client.post(IMPORT, {})
    assert response.status_code == 400 and "Choose one or more" in response.content.decode()


@pytest.mark.django_db
def test_it_answers_one_file_in_json_for_the_progress_script(client, alice):
    client.force_login(alice)
    response = client.post(
        IMPORT, {"files": [upload("a.fit", fit_file())]}, headers={"accept": "application/json"}
    )
    assert response.status_code == 200
    [item] = ActivityImport.objects.all()
    assert response.json() == {
        "error": None,
        "results": [
            {
                "id": item.pk,
                "name": "a.fit",
                "status": "stored",
                "ok": True,
                "message": "Added: 10 km in 50 min.",
            }
        ],
    }
    bad = client.post(
        IMPORT, {"files": [upload("b.fit", b"nope")]}, headers={"accept": "application/json"}
    )
    assert bad.json()["results"][0] | {"id": None} == {
        "id": None,
        "name": "b.fit",
        "status": "refused",
        "ok": False,
        "message": "This is not a FIT file, or it is damaged.",
    }


@pytest.mark.django_db
def test_it_imports_into_my_own_log_only(client, alice, bob):
    client.force_login(bob)
    client.post(IMPORT, {"files": [upload("a.gpx", gpx_file())]})
    assert Run.objects.get().athlete == bob


@pytest.mark.django_db
def test_it_shows_the_import_page_to_athletes_only(client, alice):
    assert client.get(IMPORT).status_code == 302  # to the login page
    client.force_login(alice)
    assert client.get(IMPORT).status_code == 200
    assert client.put(IMPORT).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["0001-01-01T00:30", "1999-12-31T23:30"])
def test_the_typed_form_refuses_long_ago_in_any_zone(client, alice, typed):
    alice.timezone = "Asia/Tokyo"  # UTC+9: year 1 at 00:30 is before year 1 in UTC
    alice.save()
    client.force_login(alice)
    response = client.post(
        reverse("runs:create"), {"status": "done", "kind": "easy", "start": typed, "duration": "30"}
    )
    assert response.status_code == 200 and LONG_AGO in response.content.decode()
    assert not Run.objects.exists()


@pytest.mark.django_db
def test_it_bounds_the_files_waiting_for_one_athlete(client, alice, bob, settings):
    """The job queue holds at most PENDING_LIMIT_FILES of one athlete's files: more
    uploads meanwhile are refused at once, without keeping their files; another athlete
    is not held up, and once the files are read the athlete can send more."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(alice)
    for n in range(PENDING_LIMIT_FILES // 20):
        day = [upload(f"{n}-{k}.gpx", gpx_file(start=START + timedelta(days=k))) for k in range(20)]
        assert client.post(IMPORT, {"files": day}).status_code == 202
    refused = client.post(IMPORT, {"files": [upload("more.fit", fit_file())]})
    assert refused.status_code == 429
    assert "still being read" in refused.content.decode()
    assert ActivityImport.objects.count() == PENDING_LIMIT_FILES
    stranger = Client()
    stranger.force_login(bob)
    assert stranger.post(IMPORT, {"files": [upload("c.fit", fit_file())]}).status_code == 202
    ActivityImport.objects.filter(athlete=alice).update(status="refused")
    assert client.post(IMPORT, {"files": [upload("more.fit", fit_file())]}).status_code == 202


@pytest.mark.django_db
def test_it_answers_a_malformed_content_length_without_a_server_error(client, alice):
    client.force_login(alice)
    response = client.post(IMPORT, {"files": [upload("a.fit", fit_file())]}, CONTENT_LENGTH="12abc")
    assert response.status_code < 500


def test_it_takes_only_the_run_of_a_multisport_fit_file():
    # A triathlon watch writes one session per sport: the bike leg is not a run.
    begin = fit_time(START)
    fit = FitWriter().define(
        2, SESSION, [(253, UINT32), (2, UINT32), (7, UINT32), (8, UINT32), (9, UINT32), (5, 0x00)]
    )
    fit.data(2, begin + 3600, begin, 3600_000, 3600_000, 40_000_00, 2)  # cycling
    fit.data(2, begin + 6000, begin + 3700, 2300_000, 2300_000, 8_000_00, 1)  # running
    activity = read_activity("tri.fit", fit.bytes())
    assert activity.start == START + timedelta(seconds=3700)
    assert activity.duration == timedelta(seconds=2300)
    assert activity.distance_m == 8000
