"""The few numbers a run needs from a FIT file, read with bounded work.

FIT is the binary format of Garmin and most other watches. A file is a 12- or 14-byte
header, a stream of messages and a 2-byte CRC; several such files may follow each other.
Each message starts with a one-byte header. A *definition* message tells how the data
messages of one local type (0–15) are laid out: their global message number (18 = session,
20 = record, one a second while running) and a list of (field number, size, base type),
then optionally developer fields whose sizes count but whose meaning we ignore. A *data*
message is that many bytes. A *compressed-timestamp* header packs a local type (0–3) and a
5-bit time offset that advances the last full timestamp seen.

Why a reader of our own instead of fitdecode (CPU seconds on the 2-core development
machine, from bench/import_bench.py --reference; wall time there was 2-3 times more, as the
machine was busy):

* fitdecode builds an object for every field of every message, ~100 µs per 8-field record
  message: 1.5 s for a 4-hour run, 8.9 s for a day of 1-second records (86,400) and 42 s
  for a 10 MB file (in production that one ran 30 s until gunicorn killed the worker). Its
  CRC check alone is ~0.4 s per MB. Garmin's own Python SDK is ~60-80 µs per record: not
  enough better.
* A run needs five session totals (start, timer time, elapsed time, distance, sport) or,
  without a session, the first and last record times and the largest record distance.
  ``read`` walks the message headers, counts records and messages as it goes, and unpacks
  only those fields, with one precompiled ``struct`` per definition: 0.1 s for a 4-hour
  run and 0.5 s for 86,400 records, CRC included (~0.12 s per MB, a byte-wise table).
* Work is bounded before anything is decoded beyond the walk: more than ``MAX_RECORDS``
  records (a day of 1-second samples) or ``MAX_MESSAGES`` messages stops the walk, so a
  10 MB file is refused after 0.3-0.4 s, and its CRC is never computed. A ``deadline`` (a
  ``time.monotonic()`` value) is checked every few thousand messages and between CRC
  chunks, as a last line of defence.

What is left out: FIT's "compressed speed/distance" record field of old devices (a record
without a distance counts as none) and the accumulated components fitdecode expands; the
session totals every current watch writes make them unnecessary.

fitdecode stays a test dependency: the tests compare this reader with it on generated
files. This module uses the standard library only, so it is tested without Django.
"""

from __future__ import annotations

import math
import struct
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

MAX_RECORDS = 86_400  # a day of 1-second samples
# Watches write a few other messages per record (heart-rate variability, events, laps).
MAX_MESSAGES = 5 * MAX_RECORDS
DEADLINE_EVERY = 4096  # messages between two looks at the clock

EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
# A date_time below this counts seconds since the device was switched on, not a date.
FIRST_DATE_TIME = 0x10000000

SESSION, RECORD = 18, 20
TIMESTAMP = 253
# Field number → (name, scale) of the fields read; the profile's names and scales.
WANTED = {
    SESSION: {
        TIMESTAMP: ("timestamp", None),
        2: ("start_time", None),
        5: ("sport", None),
        7: ("total_elapsed_time", 1000),
        8: ("total_timer_time", 1000),
        9: ("total_distance", 100),
    },
    RECORD: {TIMESTAMP: ("timestamp", None), 5: ("distance", 100)},
}
OTHER = {TIMESTAMP: ("timestamp", None)}  # any message's timestamp sets the clock

# Base type number → (struct code, raw value meaning "no value"); None: NaN means none.
BASE_TYPES = {
    0x00: ("B", 0xFF),  # enum
    0x01: ("b", 0x7F),  # sint8
    0x02: ("B", 0xFF),  # uint8
    0x83: ("h", 0x7FFF),  # sint16
    0x84: ("H", 0xFFFF),  # uint16
    0x85: ("i", 0x7FFFFFFF),  # sint32
    0x86: ("I", 0xFFFFFFFF),  # uint32
    0x88: ("f", None),  # float32
    0x89: ("d", None),  # float64
    0x0A: ("B", 0),  # uint8z
    0x8B: ("H", 0),  # uint16z
    0x8C: ("I", 0),  # uint32z
    0x8E: ("q", 0x7FFFFFFFFFFFFFFF),  # sint64
    0x8F: ("Q", 0xFFFFFFFFFFFFFFFF),  # uint64
    0x90: ("Q", 0),  # uint64z
}

# The profile's sport names (enum "sport"); other numbers are read as "no sport".
SPORTS = dict(
    enumerate(
        [
            "generic",
            "running",
            "cycling",
            "transition",
            "fitness_equipment",
            "swimming",
            "basketball",
            "soccer",
            "tennis",
            "american_football",
            "training",
            "walking",
            "cross_country_skiing",
            "alpine_skiing",
            "snowboarding",
            "rowing",
            "mountaineering",
            "hiking",
            "multisport",
            "paddling",
            "flying",
            "e_biking",
            "motorcycling",
            "boating",
            "driving",
            "golf",
            "hang_gliding",
            "horseback_riding",
            "hunting",
            "fishing",
            "inline_skating",
            "rock_climbing",
            "sailing",
            "ice_skating",
            "sky_diving",
            "snowshoeing",
            "snowmobiling",
            "stand_up_paddleboarding",
            "surfing",
            "wakeboarding",
            "water_skiing",
            "kayaking",
            "rafting",
            "windsurfing",
            "kitesurfing",
            "tactical",
            "jumpmaster",
            "boxing",
            "floor_climbing",
            "baseball",
        ]
    )
)
SPORTS.update(
    {
        53: "diving",
        62: "hiit",
        64: "racket",
        65: "wheelchair_push_walk",
        66: "wheelchair_push_run",
        67: "meditation",
        69: "disc_golf",
        71: "cricket",
        72: "rugby",
        73: "hockey",
        74: "lacrosse",
        75: "volleyball",
        76: "water_tubing",
        77: "wakesurfing",
        80: "mixed_martial_arts",
        82: "snorkeling",
        83: "dance",
        84: "jump_rope",
        254: "all",
    }
)


class FitError(ValueError):
    """Not a FIT file, or a damaged one."""


class TooLarge(FitError):
    """More messages than a day of running has."""


class TooManyRecords(TooLarge):
    """More records than a day of 1-second samples."""


class TooSlow(FitError):
    """The deadline passed while reading."""


@dataclass
class Summary:
    """What a run needs from one FIT file (all of its chained parts)."""

    sessions: list[dict] = field(default_factory=list)
    first_record: datetime | None = None
    last_record: datetime | None = None
    max_distance: float | None = None  # metres, the largest record distance
    records: int = 0
    messages: int = 0


@dataclass(frozen=True, slots=True)
class Layout:
    """A definition message, ready to read its data messages."""

    number: int  # global message number
    size: int  # bytes after the message header
    unpack: object  # struct.Struct.unpack_from, or None when no field is wanted
    fields: tuple  # (name, scale, invalid) per unpacked value


def date_time(raw: int | None) -> datetime | None:
    if raw is None or not FIRST_DATE_TIME <= raw <= 0xFFFFFFFF:
        return None
    return EPOCH + timedelta(seconds=raw)


def layout(number: int, little: bool, fields: list[tuple[int, int, int]], dev_size: int) -> Layout:
    wanted = WANTED.get(number, OTHER)
    codes, names = ["<" if little else ">"], []
    skip = 0
    for field_number, size, base_type in fields:
        code, invalid = BASE_TYPES.get(base_type, (None, None))
        name, scale = wanted.get(field_number, (None, None))
        # Times and enums are whole numbers; a float there is as good as no value.
        if name and code and struct.calcsize(code) == size and (scale or code not in "fd"):
            if skip:
                codes.append(f"{skip}x")
                skip = 0
            codes.append(code)
            names.append((name, scale, invalid))
        else:  # arrays and fields of an unexpected type are not read, as if absent
            skip += size
    size = sum(size for _n, size, _t in fields) + dev_size
    unpack = struct.Struct("".join(codes)).unpack_from if names else None
    return Layout(number, size, unpack, tuple(names))


def values(layout: Layout, data: bytes, offset: int) -> dict:
    found = {}
    for (name, scale, invalid), raw in zip(layout.fields, layout.unpack(data, offset), strict=True):
        if raw == invalid or (invalid is None and math.isnan(raw)):
            continue
        found[name] = raw / scale if scale else raw
    return found


def read(
    data: bytes,
    *,
    max_records: int = MAX_RECORDS,
    max_messages: int = MAX_MESSAGES,
    deadline: float | None = None,
) -> Summary:
    """Walk every FIT file chained in ``data``; raise FitError or TooLarge if it must stop.

    The CRC of each part is checked after its messages, so a file refused for its size costs
    only the walk up to the limit.
    """
    if len(data) < 12 or data[8:12] != b".FIT":
        raise FitError("no FIT header")
    summary = Summary()
    position = 0
    while position < len(data):
        position = read_part(data, position, summary, max_records, max_messages, deadline)
    return summary


def read_part(data, start, summary, max_records, max_messages, deadline) -> int:
    """One header, its messages and its CRC; returns where the next part would start."""
    if len(data) - start < 12:
        raise FitError("truncated header")
    header_size, _protocol, _profile, data_size, magic = struct.unpack_from("<BBHI4s", data, start)
    if header_size < 12 or magic != b".FIT":
        raise FitError("bad header")
    if header_size > 12:
        if header_size < 14:
            raise FitError("header without its CRC")
        (header_crc,) = struct.unpack_from("<H", data, start + 12)
        if header_crc and crc16(data[start : start + 12]) != header_crc:
            raise FitError("header CRC")
    position, end = start + header_size, start + header_size + data_size
    if end + 2 > len(data):
        raise FitError("truncated data")

    layouts: dict[int, Layout] = {}
    clock = 0  # the last full timestamp, for compressed-timestamp headers
    sessions, messages, records = summary.sessions, summary.messages, summary.records
    first, last, furthest = summary.first_record, summary.last_record, summary.max_distance
    while position < end:
        messages += 1
        if messages > max_messages:
            raise TooLarge("messages")
        if deadline is not None and messages % DEADLINE_EVERY == 0 and time.monotonic() > deadline:
            raise TooSlow("deadline")
        header = data[position]
        if header & 0x40 and not header & 0x80:  # a definition message
            position = define(data, position, end, layouts)
            continue
        offset = None
        if header & 0x80:  # compressed timestamp: local type in bits 5-6, seconds in 0-4
            local, offset = (header >> 5) & 0x03, header & 0x1F
        else:
            local = header & 0x0F
        try:
            message = layouts[local]
        except KeyError:
            raise FitError("data before its definition") from None
        body = position + 1
        position = body + message.size
        if position > end:
            raise FitError("message beyond the data")
        found = values(message, data, body) if message.unpack else {}
        stamp = found.get("timestamp")
        if stamp is not None:
            clock = stamp
        elif offset is not None:
            # The offset counts from the last timestamp's low five bits, rolling over at 32.
            stamp = (clock & ~0x1F) + offset + (32 if offset < (clock & 0x1F) else 0)
            clock = found["timestamp"] = stamp
        if message.number == RECORD:
            records += 1
            if records > max_records:
                raise TooManyRecords("records")
            moment = date_time(stamp)
            if moment is not None:
                first = moment if first is None else min(first, moment)
                last = moment if last is None else max(last, moment)
            distance = found.get("distance")
            if distance is not None:
                furthest = distance if furthest is None else max(furthest, distance)
        elif message.number == SESSION:
            found["start_time"] = date_time(found.get("start_time"))
            sport = found.get("sport")
            found["sport"] = None if sport is None else SPORTS.get(sport)
            sessions.append(found)
    if position != end:
        raise FitError("message beyond the data")
    (crc,) = struct.unpack_from("<H", data, end)
    if checksum(memoryview(data)[start:end], deadline) != crc:
        raise FitError("CRC")
    summary.messages, summary.records = messages, records
    summary.first_record, summary.last_record, summary.max_distance = first, last, furthest
    return end + 2


def define(data: bytes, position: int, end: int, layouts: dict[int, Layout]) -> int:
    """Read the definition message at ``position`` into ``layouts``; return what follows."""
    header = data[position]
    if position + 6 > end:
        raise FitError("definition beyond the data")
    architecture, count = data[position + 2], data[position + 5]
    if architecture > 1:
        raise FitError("unknown byte order")
    little = architecture == 0
    (number,) = struct.unpack_from("<H" if little else ">H", data, position + 3)
    position += 6
    if position + 3 * count > end:
        raise FitError("definition beyond the data")
    fields = [tuple(data[at : at + 3]) for at in range(position, position + 3 * count, 3)]
    position += 3 * count
    dev_size = 0
    if header & 0x20:  # developer fields: (number, size, developer index) each
        if position >= end:
            raise FitError("definition beyond the data")
        dev_count = data[position]
        position += 1
        if position + 3 * dev_count > end:
            raise FitError("definition beyond the data")
        dev_size = sum(data[at + 1] for at in range(position, position + 3 * dev_count, 3))
        position += 3 * dev_count
    layouts[header & 0x0F] = layout(number, little, fields, dev_size)
    return position


def checksum(data: memoryview, deadline: float | None, chunk: int = 2**18) -> int:
    """``crc16`` of ``data``, looking at the clock between chunks."""
    crc = 0
    for at in range(0, len(data), chunk):
        if deadline is not None and time.monotonic() > deadline:
            raise TooSlow("deadline")
        crc = crc16(data[at : at + chunk], crc)
    return crc


def crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _bit in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return table


CRC_TABLE = crc_table()


def crc16(data, crc: int = 0) -> int:
    """FIT's checksum: CRC-16 with polynomial 0x8005, bits reflected (CRC-16/ARC).

    A byte at a time from a 256-entry table: ~0.12 s per MB in CPython, three times
    faster than the nibble tables of the FIT spec's sample code.
    """
    table = CRC_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc
