"""The triage table at /coach/: its query string (sort, filter, search) and its cache.

Every row is rendered once and kept, with the values it sorts and filters by, in the
"triage" cache under the coach, the athlete and the version of that athlete's data
(``dashboard_version``, one query for all of them). A request then
only sorts, filters and joins the kept rows: any order, flag, group or name costs the same,
and nothing typed in the search box makes a cache entry. A row holds no one request's
values: the CSRF token and the way back to the table as it was (after a "seen") are markers
replaced in each response.
"""

import hashlib
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from coaching.dashboard import CACHE_SECONDS, FLAGS, TIER_ORDER, AthleteRow, athlete_rows
from core.cache import version_key

CSRF_MARKER = f"csrf-{uuid.uuid4().hex}"
BACK_MARKER = f"back-{uuid.uuid4().hex}"
ROW_BREAK = f"row-break-{uuid.uuid4().hex}"
MAX_SEARCH = 100
NEEDS_LOOK = "needs"  # the flag filter's "needs a look"


@dataclass
class Column:
    """A sortable column: its header, and whether it sorts descending unless asked."""

    name: str
    label: str
    descending: bool = False


def columns() -> list[Column]:
    return [
        Column("name", _("Athlete")),
        Column("readiness", _("Check-in")),
        Column("plan", _("Plan")),
        Column("last", _("Last session")),
        Column("compliance", _("Compliance, 4 weeks")),
        Column("running", _("Running, 7 days"), descending=True),
        Column("flags", _("Needs a look"), descending=True),
        Column("comments", _("New comments"), descending=True),
    ]


SORTS = {column.name for column in columns()} | {"attention"}
DESCENDING = {column.name for column in columns() if column.descending} | {"attention"}


@dataclass
class Entry:
    """One athlete's row as kept in the cache: its HTML and what it sorts and filters by."""

    pk: int
    name: str  # lower case, for sorting and searching
    email: str
    needs: int  # flags needing a look, not marked seen
    unread: int
    codes: frozenset
    values: dict  # column name -> value to sort by (None sorts last)
    html: str = ""


def entry(row: AthleteRow) -> Entry:
    return Entry(
        pk=row.athlete.pk,
        name=row.athlete.name.lower(),
        email=row.athlete.email.lower(),
        needs=len(row.needs),
        unread=row.unread,
        codes=frozenset(flag.code for flag in row.flags),
        values={
            "name": row.athlete.name.lower(),
            "readiness": row.checkin.pct if row.checkin else None,
            "plan": TIER_ORDER.get(row.tier) if row.tier else None,
            "last": row.last_session.day if row.last_session else None,
            "compliance": row.compliance,
            "running": row.run_ratio,
            "flags": (len(row.needs), row.score),
            "comments": row.unread,
            "attention": (bool(row.needs), row.score),
        },
    )


def cached_entries(request, coach, now, versions) -> tuple[list[Entry], list | None]:
    """The coach's rows, each from the cache unless that athlete's data changed.

    ``versions`` are (athlete id, name, email, time zone, data version) of every linked
    athlete (``dashboard_version``). The whole table is kept under all of them, so an
    unchanged table is one cache read; each row is also kept under its own, so when one
    athlete logs a set only that row is computed again, and the missing rows are computed
    together, in the same queries for one or a hundred. Also returns the ``AthleteRow``s
    computed afresh (None when every row came from the cache).
    """
    if not versions:
        return [], []
    cache = caches["triage"]
    table_key = "triage-table:" + version_key(request, coach.pk, now.date(), versions)
    entries = cache.get(table_key)
    if entries is not None:
        return entries, None
    base = version_key(request, coach.pk, now.date())
    keys = {
        v[0]: f"triage-row:{base}:{hashlib.blake2b(repr(v).encode(), digest_size=16).hexdigest()}"
        for v in versions
    }
    found = cache.get_many(keys.values())
    kept = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in keys if pk not in kept]
    rows = None
    if missing:
        # Still through the coach's scope: a key names athletes, it grants nothing.
        athletes = coach.coached_athletes().filter(pk__in=missing)
        rows = athlete_rows(coach, now, athletes=athletes)
        fresh = {item.pk: item for item in build_entries(rows)}
        cache.set_many({keys[pk]: item for pk, item in fresh.items()}, CACHE_SECONDS)
        kept.update(fresh)
    entries = [kept[pk] for pk in keys if pk in kept]
    cache.set(table_key, entries, CACHE_SECONDS)
    return entries, rows


def build_entries(rows: list[AthleteRow]) -> list[Entry]:
    if not rows:
        return []
    html = render_to_string(
        "coaching/includes/triage_rows.html",
        {"rows": rows, "row_break": ROW_BREAK, "csrf_marker": CSRF_MARKER, "back": BACK_MARKER},
    )
    parts = html.split(ROW_BREAK)[1:]
    entries = [entry(row) for row in rows]
    for item, part in zip(entries, parts, strict=True):
        item.html = part.strip()
    return entries


@dataclass
class TableQuery:
    """What the coach asked for in the query string; unknown values are dropped with a note."""

    sort: str = "attention"
    descending: bool = True
    flag: str = ""
    group: int | None = None
    q: str = ""
    notes: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, params, groups: dict[int, str]) -> "TableQuery":
        query = cls()
        sort = params.get("sort", "")
        if sort in SORTS:
            query.sort = sort
        elif sort:
            query.notes.append(
                _("There is no column “%(value)s” to sort by: sorted by who needs a look first.")
                % {"value": sort[:40]}
            )
        query.descending = query.sort in DESCENDING
        direction = params.get("dir", "")
        if direction in ("asc", "desc"):
            query.descending = direction == "desc"
        elif direction:
            query.notes.append(
                _("“%(value)s” is not a direction (asc or desc): the column’s own order is used.")
                % {"value": direction[:40]}
            )
        flag = params.get("flag", "")
        if flag in FLAGS or flag == NEEDS_LOOK:
            query.flag = flag
        elif flag:
            query.notes.append(
                _("There is no flag “%(value)s”: athletes with any flag or none are shown.")
                % {"value": flag[:40]}
            )
        group = params.get("group", "")
        if group.isascii() and group.isdigit() and len(group) < 19 and int(group) in groups:
            query.group = int(group)
        elif group:
            query.notes.append(_("That group is not one of yours: every group is shown."))
        q = " ".join(params.get("q", "").split())
        if len(q) > MAX_SEARCH:
            query.notes.append(
                _("Only the first %(n)s characters of the search are used.") % {"n": MAX_SEARCH}
            )
            q = q[:MAX_SEARCH]
        query.q = q
        return query

    def params(self, **changes) -> dict:
        """The query string's values, defaults left out, with ``changes``."""
        values = {
            "sort": self.sort,
            "dir": "desc" if self.descending else "asc",
            "flag": self.flag,
            "group": self.group,
            "q": self.q,
        }
        values.update(changes)
        if values["sort"] == "attention" and values["dir"] == "desc":
            values["sort"] = values["dir"] = None
        elif values["dir"] == ("desc" if values["sort"] in DESCENDING else "asc"):
            values["dir"] = None
        return {name: value for name, value in values.items() if value}

    def link(self, **changes) -> str:
        params = self.params(**changes)
        return "?" + urlencode(params) if params else ""

    def header_links(self) -> list[dict]:
        """Each column's header: a link sorting by it (the other way when it is the sort)."""
        links = []
        for column in columns():
            current = self.sort == column.name
            descending = not self.descending if current else column.descending
            links.append(
                {
                    "name": column.name,
                    "label": column.label,
                    "href": self.link(sort=column.name, dir="desc" if descending else "asc"),
                    "sorted": ("descending" if self.descending else "ascending") if current else "",
                }
            )
        return links

    def select(self, entries: list[Entry], members: set[int] | None) -> list[Entry]:
        """The entries asked for, in the order asked for."""
        shown = entries
        if self.flag == NEEDS_LOOK:
            shown = [e for e in shown if e.needs]
        elif self.flag:
            shown = [e for e in shown if self.flag in e.codes]
        if members is not None:
            shown = [e for e in shown if e.pk in members]
        if self.q:
            words = self.q.lower().split()
            shown = [e for e in shown if all(w in e.name or w in e.email for w in words)]
        return ordered(shown, self.sort, self.descending)


def ordered(entries: list[Entry], sort: str, descending: bool) -> list[Entry]:
    """By ``sort``, ties by name; an empty value (no check-in, no runs) last either way."""
    by_name = sorted(entries, key=lambda e: (e.name, e.pk))
    known = [e for e in by_name if e.values[sort] is not None]
    unknown = [e for e in by_name if e.values[sort] is None]
    known.sort(key=lambda e: e.values[sort], reverse=descending)  # stable: names stay A-Z
    return known + unknown


def fill_markers(html: str, csrf_token: str, back: str) -> str:
    return html.replace(CSRF_MARKER, csrf_token).replace(BACK_MARKER, back)
