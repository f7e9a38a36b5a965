"""The running log in the athlete's data export (``accounts.export``); ``RunsConfig.ready``
registers it."""

from accounts.export import row
from accounts.models import User
from runs.models import Race, Run


def runs_section(user: User) -> list[dict]:
    return [row(run, skip=("athlete_id",)) for run in Run.objects.filter(athlete=user)]


def races_section(user: User) -> list[dict]:
    return [row(race, skip=("athlete_id",)) for race in Race.objects.filter(athlete=user)]
