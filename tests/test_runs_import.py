"""Importing runs from GPX, TCX and FIT files: the happy path, duplicates and hostile files."""

import struct
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from fitdecode.utils import compute_crc

from runs.files import ActivityFileError, read_activity
from runs.models import Run

IMPORT = reverse("runs:import")
START = datetime(2025, 5, 4, 7, 0, tzinfo=UTC)


# --- Small, valid activity files, written here -------------------------------------------


def gpx_file(start=START, minutes=30, points=7, lat_step=0.01) -> bytes:
    """A track going north: ``points`` fixes spread evenly over ``minutes``."""
    step = minutes / (points - 1)
    fixes = "\n".join(
        f'<trkpt lat="{52 + n * lat_step:.5f}" lon="4.0"><ele>2</ele>'
        f"<time>{(start + timedelta(minutes=n * step)):%Y-%m-%dT%H:%M:%SZ}</time></trkpt>"
        for n in range(points)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">\n'
        f"<trk><name>Morning run</name><type>running</type><trkseg>\n{fixes}\n"
        "</trkseg></trk></gpx>\n"
    ).encode()


def tcx_file(start=START, seconds=2700, metres=9000, sport="Running") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
  <Activities><Activity Sport="{sport}"><Id>{start:%Y-%m-%dT%H:%M:%SZ}</Id>
    <Lap StartTime="{start:%Y-%m-%dT%H:%M:%SZ}"><TotalTimeSeconds>{seconds / 2}</TotalTimeSeconds>
      <DistanceMeters>{metres / 2}</DistanceMeters></Lap>
    <Lap StartTime="{start + timedelta(seconds=seconds / 2):%Y-%m-%dT%H:%M:%SZ}">
      <TotalTimeSeconds>{seconds / 2}</TotalTimeSeconds>
      <DistanceMeters>{metres / 2}</DistanceMeters></Lap>
  </Activity></Activities>
</TrainingCenterDatabase>""".encode()


FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
ENUM, UINT16, UINT32 = 0x00, 0x84, 0x86


def fit_time(moment) -> int:
    return int((moment - FIT_EPOCH).total_seconds())


def fit_message(local, global_number, fields):
    """A definition message and one data message: fields are (number, base type, value)."""
    formats = {ENUM: "B", UINT16: "H", UINT32: "I"}
    sizes = {ENUM: 1, UINT16: 2, UINT32: 4}
    definition = struct.pack("<BBBHB", 0x40 | local, 0, 0, global_number, len(fields))
    definition += b"".join(struct.pack("<BBB", num, sizes[kind], kind)
                           for num, kind, _value in fields)
    data = struct.pack("<B", local) + b"".join(
        struct.pack("<" + formats[kind], value) for _num, kind, value in fields
    )
    return definition + data


def fit_file(start=START, seconds=3000, metres=10000, sport=1, with_session=True) -> bytes:
    """A minimal FIT activity: file_id, two records and (normally) a session, with CRCs."""
    body = fit_message(0, 0, [(0, ENUM, 4), (1, UINT16, 255), (4, UINT32, fit_time(start))])
    for offset, distance in ((0, 0), (seconds, metres)):
        body += fit_message(1, 20, [(253, UINT32, fit_time(start) + offset),
                                    (5, UINT32, distance * 100)])
    if with_session:
        body += fit_message(2, 18, [
            (253, UINT32, fit_time(start) + seconds), (2, UINT32, fit_time(start)),
            (7, UINT32, seconds * 1000), (8, UINT32, seconds * 1000),
            (9, UINT32, metres * 100), (5, ENUM, sport),
        ])
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", compute_crc(header))
    return header + body + struct.pack("<H", compute_crc(header + body))


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


# --- Reading (no database) ---------------------------------------------------------------


def test_it_reads_a_gpx_file():
    activity = read_activity("morning.gpx", gpx_file(minutes=30))
    assert activity.start == START and activity.duration == timedelta(minutes=30)
    assert activity.distance_km == Decimal("6.68")  # 6 × 0.01° of latitude, haversine
    assert activity.sport == "running"


def test_it_reads_a_tcx_file():
    activity = read_activity("Track.TCX", tcx_file(seconds=2700, metres=9000))
    assert activity.start == START and activity.duration == timedelta(minutes=45)
    assert activity.distance_km == Decimal("9.00")


def test_it_reads_a_fit_file():
    activity = read_activity("watch.fit", fit_file(seconds=3000, metres=10000))
    assert activity.start == START and activity.duration == timedelta(minutes=50)
    assert activity.distance_km == Decimal("10.00") and activity.sport == "running"


def test_it_reads_a_fit_file_without_a_session_from_its_records():
    activity = read_activity("watch.fit", fit_file(seconds=1800, metres=5000,
                                                   with_session=False))
    assert activity.duration == timedelta(minutes=30)
    assert activity.distance_km == Decimal("5.00")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("garbage.fit", b"\x00\xff" * 500, "not a FIT file, or it is damaged"),
        ("random.fit", bytes(range(256)) * 8, "not a FIT file, or it is damaged"),
        ("bad-crc.fit", fit_file()[:-2] + b"\x00\x00", "not a FIT file, or it is damaged"),
        ("cut.fit", fit_file()[:40], "not a FIT file, or it is damaged"),
        ("bomb.gpx", BILLION_LAUGHS, "declares a document type or entities"),
        ("bomb.tcx", BILLION_LAUGHS.replace(b"gpx", b"TrainingCenterDatabase"),
         "declares a document type or entities"),
        ("external.gpx",
         b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
         b"<gpx>&x;</gpx>", "declares a document type or entities"),
        ("utf16-bomb.gpx", BILLION_LAUGHS.replace(b'<?xml version="1.0"?>', b"")
         .decode().encode("utf-16"), "declares a document type or entities"),
        ("broken.gpx", b"<gpx><trk>", "XML in this file is broken"),
        ("binary.tcx", b"\x89PNG\r\n\x1a\n" + bytes(300), "XML in this file is broken"),
        ("other.gpx", b"<kml/>", "not a GPX file"),
        ("other.tcx", b"<gpx/>", "not a TCX file"),
        ("notimes.gpx", b'<gpx version="1.1"><trk><trkseg><trkpt lat="1" lon="1"/>'
         b"</trkseg></trk></gpx>", "has no times"),
        ("badlat.gpx", gpx_file().replace(b'lat="52.00000"', b'lat="north"'),
         "damaged"),
        ("empty.tcx", b"<TrainingCenterDatabase/>", "no activity in it"),
        ("nan.tcx", tcx_file().replace(b"<TotalTimeSeconds>1350.0", b"<TotalTimeSeconds>nan"),
         "cannot be read"),
        ("ride.tcx", tcx_file(sport="Biking"), "biking activity"),
        ("ride.fit", fit_file(sport=2), "cycling activity"),
        ("run.csv", b"start,duration\n", "reads .gpx, .tcx and .fit files only"),
        ("noextension", gpx_file(), "reads .gpx, .tcx and .fit files only"),
        ("empty.gpx", b"", "This file is empty"),
    ],
)
def test_it_explains_files_it_cannot_read(name, content, message):
    with pytest.raises(ActivityFileError) as error:
        read_activity(name, content)
    assert message in str(error.value)


def test_it_does_not_hand_raw_text_to_gpxpy():
    """gpxpy.parse's regexes are quadratic on crafted text; the tree path is not."""
    import time

    crafted = b'<gpx version="1.1">' + b" xmlns" * 200_000 + b"</gpx>"
    began = time.monotonic()
    with pytest.raises(ActivityFileError):
        read_activity("crafted.gpx", crafted)
    assert time.monotonic() - began < 2


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
        (alice.pk, "file", "done", None)}
    assert runs[2].distance_km == Decimal("10.00") and runs[2].minutes == 50


@pytest.mark.django_db
def test_it_skips_a_run_already_in_the_log(client, alice, bob):
    Run.objects.create(athlete=alice, start=START + timedelta(seconds=40),
                       duration=timedelta(minutes=30))
    Run.objects.create(athlete=bob, start=START + timedelta(days=1),
                       duration=timedelta(minutes=30))  # Bob's run: no duplicate of Alice's
    client.force_login(alice)
    response = client.post(IMPORT, {"files": [
        upload("a.gpx", gpx_file(start=START)),
        upload("b.gpx", gpx_file(start=START + timedelta(days=1))),
        upload("b-again.fit", fit_file(start=START + timedelta(days=1, seconds=30))),
    ]})
    results = response.context["results"]
    assert [(r.name, r.ok) for r in results] == [("a.gpx", False), ("b.gpx", True),
                                                 ("b-again.fit", False)]
    assert results[0].message == "Already in your log."
    assert Run.objects.filter(athlete=alice).count() == 2


@pytest.mark.django_db
def test_it_stores_nothing_from_hostile_or_broken_files(client, alice):
    client.force_login(alice)
    response = client.post(IMPORT, {"files": [
        upload("garbage.fit", b"\x00\xff" * 500),
        upload("bomb.gpx", BILLION_LAUGHS),
        upload("bomb.tcx", BILLION_LAUGHS.replace(b"gpx", b"TrainingCenterDatabase")),
        upload("notes.txt", b"hello"),
        upload("good.gpx", gpx_file()),
    ]})
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
    response = client.post(IMPORT, {"files": [
        upload("future.gpx", gpx_file(start=future)),
        upload("car.fit", fit_file(seconds=600, metres=30000)),  # 20 s/km
        upload("one-point.gpx", gpx_file(points=2, minutes=0)),
    ]})
    messages = [r.message for r in response.context["results"]]
    assert "cannot start in the future" in messages[0]
    assert "faster than 2 minutes per kilometre" in messages[1]
    assert "more than zero" in messages[2]
    assert not Run.objects.exists()


@pytest.mark.django_db
def test_it_refuses_an_oversized_file(client, alice, settings):
    settings.MAX_RUN_FILE_MB = 1
    client.force_login(alice)
    big = gpx_file() + b" " * (1024 * 1024)
    response = client.post(IMPORT, {"files": [upload("big.gpx", big),
                                              upload("ok.gpx", gpx_file())]})
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
    response = client.post(IMPORT, {"files": [upload("a.fit", fit_file())]},
                           headers={"accept": "application/json"})
    assert response.status_code == 200
    assert response.json() == {"error": None, "results": [
        {"name": "a.fit", "ok": True, "message": "Added: 10 km in 50 min."}]}
    bad = client.post(IMPORT, {"files": [upload("b.fit", b"nope")]},
                      headers={"accept": "application/json"})
    assert bad.json()["results"][0] == {"name": "b.fit", "ok": False,
                                        "message": "This is not a FIT file, or it is damaged."}


@pytest.mark.django_db
def test_it_imports_into_my_own_log_only(client, alice, bob):
    client.force_login(bob)
    client.post(IMPORT, {"files": [upload("a.gpx", gpx_file())]})
    assert Run.objects.get().athlete == bob
