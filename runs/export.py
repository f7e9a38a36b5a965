"""The running log in the athlete's data export (``accounts.export``); ``RunsConfig.ready``
registers it."""

from collections.abc import Iterator

from accounts.export import row
from accounts.models import User
from runs.models import ActivityImport, Race, Run


def runs_section(user: User) -> Iterator[dict]:
    """Streamed (``accounts.export.export_chunks``): years of runs are thousands of rows."""
    for run in Run.objects.filter(athlete=user).order_by("-start", "-pk").iterator(chunk_size=500):
        yield row(run, skip=("athlete_id",))


def races_section(user: User) -> list[dict]:
    return [row(race, skip=("athlete_id",)) for race in Race.objects.filter(athlete=user)]


def imports_section(user: User) -> list[dict]:
    """The files imported, with what became of each (their bytes are never kept)."""
    files = ActivityImport.objects.filter(athlete=user).defer("data").order_by("created_at")
    return [row(item, skip=("athlete_id", "data")) for item in files]
