"""Helpers that train an athlete through the app's own pages, day after day.

``Clock`` moves ``django.utils.timezone.now`` between days; ``train_a_day`` checks in, logs
every set as the log page prefills it (one tap each) and finishes the session.
"""

import uuid
from datetime import timedelta
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from sessions.models import WorkoutSession
from tests.test_sessions import NORMAL_DAY

TODAY = reverse("today")


class Clock:
    """A fake ``timezone.now`` that starts now and only moves when told."""

    def __init__(self):
        self.now = timezone.now()
        self._patch = mock.patch("django.utils.timezone.now", side_effect=lambda: self.now)

    def __enter__(self):
        self._patch.start()
        return self

    def __exit__(self, *exc):
        self._patch.stop()

    def advance(self, **delta):
        self.now += timedelta(**delta)


def check_in(client, **answers):
    response = client.post(TODAY, {"client_id": str(uuid.uuid4()), **NORMAL_DAY, **answers})
    assert response.status_code == 302, response.content.decode()[:2000]
    return WorkoutSession.objects.filter(finished=None).latest("started")


def log_prefilled_sets(client, workout, changes=None):
    """Log every set as the page prefills it; ``changes`` ({ladder slug: {field: value}})
    overrides what the athlete types. Returns {ladder slug: [(reps, rir) per set]}."""
    logged = {}
    log = reverse("workout_sessions:log", args=[workout.pk])
    for _ in range(60):
        page = client.get(log)
        if page.status_code == 302:
            return logged
        assert page.status_code == 200
        form = page.context["form"]
        slug = page.context["item"].ladder.slug
        data = {key: form.initial[key] for key in ("client_id", "position", "set_number")}
        data.update(reps=form.initial["reps"], rir=form.initial["rir"], pain=0)
        data["load"] = form.initial.get("load") or ""
        data.update((changes or {}).get(slug, {}))
        response = client.post(reverse("workout_sessions:log_set", args=[workout.pk]), data)
        assert response.status_code == 302
        logged.setdefault(slug, []).append((int(data["reps"]), int(data["rir"])))
    raise AssertionError("the session never ended")


def finish(client, workout):
    url = reverse("workout_sessions:finish", args=[workout.pk])
    response = client.post(url, {"session_rpe": "6", "duration_minutes": "30", "notes": ""})
    assert response.status_code == 302
    workout.refresh_from_db()
    assert workout.finished is not None


def train_a_day(client, changes=None, **answers):
    """One whole session through the pages; returns (workout, {slug: [(reps, rir)]})."""
    workout = check_in(client, **answers)
    logged = log_prefilled_sets(client, workout, changes)
    finish(client, workout)
    return workout, logged
