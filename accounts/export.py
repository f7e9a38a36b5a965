"""Everything HomeStrength holds about one person, as JSON and as a CSV of logged sets.

``export_data`` is built from small section functions listed in ``SECTIONS``: a feature that
stores something new about a person adds one function there, and the export stays complete.
A section that can grow with the years (sessions, sets, runs) returns an iterator over a
database cursor, and the download (``export_chunks``) streams it record by record.
``accounts`` is the base every app builds on, so it imports none of them: each app keeps the
sections of its own records (``sessions.export``, ``coaching.export``, ``runs.export``) and
adds them with ``register_section`` from its ``AppConfig.ready()``; ``sessions`` also
provides the CSV of logged sets (``register_table``). Rows are dumped field by field (``row``)
so new columns appear without edits.
"""

import csv
from collections.abc import Callable, Iterator

from allauth.account.models import EmailAddress
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from accounts.models import CoachLink, Invitation, TeamLink, User

EXPORT_FORMAT = "homestrength-export"
EXPORT_VERSION = 1


def local(user: User, moment):
    if moment is None:
        return None
    return timezone.localtime(moment, user.zone).isoformat()


def row(obj, *, skip=()) -> dict:
    """Every stored column of a row, foreign keys as ids."""
    return {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if field.attname not in skip
    }


# A hold's counts are seconds (exercises.models.Ladder.RepUnit): its rows name them so.
HOLD_KEYS = {
    "reps": "seconds",
    "next_reps": "next_seconds",
    "rep_min": "seconds_min",
    "rep_max": "seconds_max",
    "fixed_reps": "fixed_seconds",
}


def counted_in(data: dict, rep_unit: str) -> dict:
    """``data`` with its counts named in the ladder's unit: a plank's 30 is "seconds"."""
    if rep_unit != "seconds":
        return data
    return {HOLD_KEYS.get(key, key): value for key, value in data.items()}


def profile_section(user: User) -> dict:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "units": user.units,
        "timezone": user.timezone,
        "language": user.language,
        "equipment": [item.slug for item in user.equipment.all()],
        "dumbbells_kg": user.dumbbells_kg,
        "weekly_km": user.weekly_km,
        "hard_run_days": user.hard_run_days,
        "is_coach": user.is_coach,
        "date_joined": user.date_joined,
        "onboarded_at": user.onboarded_at,
        "last_login": user.last_login,
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
    }


def link_dict(link: CoachLink, me: User, other: User) -> dict:
    ended_by = {me.pk: "me", other.pk: "them"}.get(link.ended_by_id)
    return {
        "name": other.name,
        "email": other.email,
        "linked_on": link.created,
        "ended_on": link.ended_at,
        "ended_by": ended_by if link.ended_at else None,
    }


def coaches_section(user: User) -> list[dict]:
    links = CoachLink.objects.filter(athlete=user).select_related("coach")
    return [link_dict(link, user, link.coach) for link in links]


def athletes_section(user: User) -> list[dict]:
    links = CoachLink.objects.filter(coach=user).select_related("athlete")
    return [link_dict(link, user, link.athlete) for link in links]


def invitations_section(user: User) -> list[dict]:
    # Tokens are left out: a pending one still works, and export files get passed around.
    return [
        {
            "email": invitation.email,
            "open_link": invitation.open_link,
            "created": invitation.created,
            "expires_at": invitation.expires_at,
            "state": invitation.state,
            "accepted_on": invitation.used_at,
            "declined_on": invitation.declined_at,
        }
        for invitation in Invitation.objects.filter(coach=user)
    ]


def team_links_section(user: User) -> list[dict]:
    # Tokens are left out, as for invitations.
    return [
        {
            "max_uses": link.max_uses,
            "joined": link.uses,
            "created": link.created,
            "expires_at": link.expires_at,
            "revoked_on": link.revoked_at,
        }
        for link in TeamLink.objects.filter(coach=user)
    ]


# Every kind of personal record has a (key, function) pair here, in the JSON's order.
SECTIONS: dict[str, Callable[[User], object]] = {
    "profile": profile_section,
    "coaches": coaches_section,
    "athletes": athletes_section,
    "invitations_sent": invitations_section,
    "team_links": team_links_section,
}
# CSV exports by name, each a function yielding the header and then the rows.
TABLES: dict[str, Callable[[User], Iterator[list]]] = {}
# Their sizes: ``count(user, limit)`` is the number of rows, counted no further than
# ``limit`` (enough to tell a large account from a small one, at a bounded cost).
TABLE_SIZES: dict[str, Callable[[User, int], int]] = {}


def register_section(key: str, build: Callable[[User], object]) -> None:
    SECTIONS[key] = build


def register_table(
    name: str,
    rows: Callable[[User], Iterator[list]],
    count: Callable[[User, int], int] | None = None,
) -> None:
    TABLES[name] = rows
    if count is not None:
        TABLE_SIZES[name] = count


def export_data(user: User) -> dict:
    """A JSON-ready dict (dates, decimals and UUIDs need DjangoJSONEncoder), whole in memory:
    the download streams ``export_chunks`` instead."""
    data = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": timezone.now(),
    }
    for key, build in SECTIONS.items():
        value = build(user)
        data[key] = value if isinstance(value, (list, dict)) else list(value)
    return data


def _indented(text: str, depth: int) -> str:
    return text.replace("\n", "\n" + "  " * depth)


def export_chunks(
    user: User, on_section: Callable[[int, int], None] | None = None
) -> Iterator[str]:
    """``export_data`` as JSON text, piece by piece, the same document.

    A section may return an iterator (a generator over a database cursor): its records are
    encoded and sent one at a time, so an account with years of training never sits in
    memory whole. Lists and dicts are encoded as they are. ``on_section(done, total)`` is
    called before each section (the background export shows it as progress).
    """
    encoder = DjangoJSONEncoder(indent=2, ensure_ascii=False)
    head = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "exported_at": timezone.now()}
    yield "{"
    keys = [*head, *SECTIONS]
    for n, key in enumerate(keys):
        if on_section is not None:
            on_section(n, len(keys))
        value = head[key] if key in head else SECTIONS[key](user)
        yield f"\n  {encoder.encode(key)}: "
        if isinstance(value, (list, dict)) or key in head:
            yield _indented(encoder.encode(value), 1)
        else:
            yield "["
            first = True
            for record in value:
                yield ("\n    " if first else ",\n    ") + _indented(encoder.encode(record), 2)
                first = False
            yield "]" if first else "\n  ]"
        yield "," if n < len(keys) - 1 else ""
    yield "\n}\n"


class _Echo:
    """A file that hands back what is written: csv.writer then makes one line at a time."""

    def write(self, value):
        return value


def table_lines(user: User, name: str) -> Iterator[str]:
    """The CSV ``name`` (``TABLES``) as text, one line at a time."""
    writer = csv.writer(_Echo())
    return (writer.writerow(row) for row in TABLES[name](user))
