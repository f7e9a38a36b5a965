"""Activity files written for the tests and bench/import_bench.py: GPX, TCX and FIT.

The FIT writer follows the public FIT protocol on its own (headers, definitions with
developer fields, compressed timestamps, either byte order), so the reader in runs/fit.py
and fitdecode can both be checked against files whose content is known.
"""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta

from runs.fit import crc16

START = datetime(2025, 5, 4, 7, 0, tzinfo=UTC)


# --- GPX and TCX -------------------------------------------------------------------------


def gpx_file(start=START, minutes=30, points=7, lat_step=0.01, times=None) -> bytes:
    """A track going north: ``points`` fixes spread evenly over ``minutes``.

    ``times`` replaces the fixes' times with these texts (one a fix).
    """
    step = minutes / max(points - 1, 1)
    if times is None:
        times = [f"{start + timedelta(minutes=n * step):%Y-%m-%dT%H:%M:%SZ}" for n in range(points)]
    fixes = "\n".join(
        f'<trkpt lat="{52 + n * lat_step:.5f}" lon="4.0"><ele>2</ele><time>{time}</time></trkpt>'
        for n, time in enumerate(times)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">\n'
        f"<trk><name>Morning run</name><type>running</type><trkseg>\n{fixes}\n"
        "</trkseg></trk></gpx>\n"
    ).encode()


def gpx_run(start=START, seconds=4 * 3600) -> bytes:
    """A watch's GPX: a fix every second with heart rate, wandering north-east."""
    fixes = "\n".join(
        f'<trkpt lat="{52 + n * 2e-5:.6f}" lon="{4 + n * 1e-5:.6f}"><ele>{n % 50}.0</ele>'
        f"<time>{start + timedelta(seconds=n):%Y-%m-%dT%H:%M:%SZ}</time>"
        "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>150</gpxtpx:hr>"
        "</gpxtpx:TrackPointExtension></extensions></trkpt>"
        for n in range(seconds)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="watch" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
        f"<trk><type>running</type><trkseg>\n{fixes}\n</trkseg></trk></gpx>\n"
    ).encode()


def tcx_file(
    start=START, seconds=2700, metres=9000, sport="Running", points=0, start_text=None
) -> bytes:
    """Two laps sharing ``seconds`` and ``metres``; ``points`` trackpoints in the first."""
    first = start_text or f"{start:%Y-%m-%dT%H:%M:%SZ}"
    track = "".join(
        f"<Trackpoint><Time>{start + timedelta(seconds=n):%Y-%m-%dT%H:%M:%SZ}</Time>"
        f"<DistanceMeters>{n * 3}.0</DistanceMeters>"
        "<HeartRateBpm><Value>150</Value></HeartRateBpm></Trackpoint>\n"
        for n in range(points)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
  <Activities><Activity Sport="{sport}"><Id>{first}</Id>
    <Lap StartTime="{first}"><TotalTimeSeconds>{seconds / 2}</TotalTimeSeconds>
      <DistanceMeters>{metres / 2}</DistanceMeters><Track>{track}</Track></Lap>
    <Lap StartTime="{start + timedelta(seconds=seconds / 2):%Y-%m-%dT%H:%M:%SZ}">
      <TotalTimeSeconds>{seconds / 2}</TotalTimeSeconds>
      <DistanceMeters>{metres / 2}</DistanceMeters></Lap>
  </Activity></Activities>
</TrainingCenterDatabase>""".encode()


# --- FIT ---------------------------------------------------------------------------------

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
ENUM, UINT8, UINT16, SINT32, UINT32, FLOAT32 = 0x00, 0x02, 0x84, 0x85, 0x86, 0x88
FORMATS = {ENUM: "B", UINT8: "B", UINT16: "H", SINT32: "i", UINT32: "I", FLOAT32: "f"}
FILE_ID, SESSION, RECORD, EVENT = 0, 18, 20, 21


def fit_time(moment) -> int:
    return int((moment - FIT_EPOCH).total_seconds())


class FitWriter:
    """Definitions and data messages, then ``bytes()`` adds the header and the CRCs."""

    def __init__(self):
        self.body = bytearray()
        self.layouts = {}

    def define(self, local, number, fields, *, big_endian=False, developer=()):
        """``fields``: (field number, base type); ``developer``: (number, size, index)."""
        order = ">" if big_endian else "<"
        header = 0x40 | local | (0x20 if developer else 0)
        self.body += struct.pack(f"{order}BBBHB", header, 0, int(big_endian), number, len(fields))
        for field_number, base_type in fields:
            size = struct.calcsize(FORMATS[base_type])
            self.body += struct.pack("BBB", field_number, size, base_type)
        if developer:
            self.body += bytes([len(developer)])
            for field_number, size, index in developer:
                self.body += struct.pack("BBB", field_number, size, index)
        self.layouts[local] = struct.Struct(
            order + "".join(FORMATS[base_type] for _n, base_type in fields)
        )
        return self

    def data(self, local, *values, developer=b"", time_offset=None):
        """A data message; with ``time_offset`` (0–31) under a compressed-timestamp header."""
        header = local if time_offset is None else 0x80 | (local << 5) | time_offset
        self.body += bytes([header]) + self.layouts[local].pack(*values) + developer
        return self

    def bytes(self, header_size=14) -> bytes:
        header = struct.pack("<BBHI4s", header_size, 0x20, 2132, len(self.body), b".FIT")
        if header_size == 14:
            header += struct.pack("<H", crc16(header))
        content = header + bytes(self.body)
        return content + struct.pack("<H", crc16(content))


def fit_file(
    start=START, seconds=3000, metres=10000, sport=1, with_session=True, start_time=None
) -> bytes:
    """A minimal FIT activity: file_id, two records and (normally) a session."""
    begin = fit_time(start) if start_time is None else start_time
    fit = FitWriter().define(0, FILE_ID, [(0, ENUM), (1, UINT16), (4, UINT32)])
    fit.data(0, 4, 255, begin)
    fit.define(1, RECORD, [(253, UINT32), (5, UINT32)])
    for offset, distance in ((0, 0), (seconds, metres)):
        fit.data(1, begin + offset, distance * 100)
    if with_session:
        fit.define(
            2,
            SESSION,
            [(253, UINT32), (2, UINT32), (7, UINT32), (8, UINT32), (9, UINT32), (5, ENUM)],
        )
        fit.data(2, begin + seconds, begin, seconds * 1000, seconds * 1000, metres * 100, sport)
    return fit.bytes()


RECORD_FIELDS = [
    (253, UINT32),
    (0, SINT32),
    (1, SINT32),
    (5, UINT32),
    (2, UINT16),
    (6, UINT16),
    (3, UINT8),
    (4, UINT8),
]


def fit_run(
    start=START,
    seconds=4 * 3600,
    *,
    with_session=True,
    compressed=False,
    developer=False,
    big_endian=False,
    pace=0.3,
) -> bytes:
    """A watch's FIT file: a record every second with 8 fields, as Garmin writes them.

    ``compressed`` writes the records under compressed-timestamp headers (one full
    timestamp a minute); ``developer`` adds a 2-byte developer field (a running-power
    sensor's) to every record.
    """
    begin = fit_time(start)
    fit = FitWriter().define(0, FILE_ID, [(0, ENUM), (1, UINT16), (4, UINT32)])
    fit.data(0, 4, 1, begin)
    if developer:
        fit.define(3, 207, [(3, UINT8)]).data(3, 0)  # developer_data_id: index 0
        fit.define(3, 206, [(0, UINT8), (1, UINT8), (2, UINT8)]).data(3, 0, 0, UINT16)
    dev = [(0, 2, 0)] if developer else ()
    fit.define(1, RECORD, RECORD_FIELDS, big_endian=big_endian, developer=dev)
    fit.define(2, RECORD, RECORD_FIELDS[1:], big_endian=big_endian, developer=dev)
    fit.define(3, EVENT, [(253, UINT32), (0, ENUM), (1, ENUM)])
    fit.data(3, begin, 0, 0)
    power = struct.pack(">H" if big_endian else "<H", 250) if developer else b""
    for n in range(seconds + 1):
        fields = (
            52 * 2**31 // 180 + n * 100,
            4 * 2**31 // 180 + n * 50,
            round(n * 100 / pace),
            2500 + n % 100,
            3000,
            150,
            85,
        )
        if compressed and n % 60:
            fit.data(2, *fields, developer=power, time_offset=(begin + n) & 0x1F)
        else:
            fit.data(1, begin + n, *fields, developer=power)
    if with_session:
        fit.define(
            4,
            SESSION,
            [(253, UINT32), (2, UINT32), (7, UINT32), (8, UINT32), (9, UINT32), (5, ENUM)],
        )
        fit.data(
            4,
            begin + seconds,
            begin,
            seconds * 1000,
            seconds * 1000,
            round(seconds * 100 / pace),
            1,
        )
    return fit.bytes()


def fit_records(count: int) -> bytes:
    """Only records, ``count`` of them, one a second: for the size limits."""
    return fit_run(seconds=count - 1, with_session=False)


def fit_of_size(size: int) -> bytes:
    """A FIT file of records only, a little under ``size`` bytes (23 bytes a record)."""
    return fit_records((size - 200) // 23)
