"""Who may open what: every URL of the site, for each member of the cast.

The cast: a visitor (anonymous), Alice (athlete), Bob (another athlete), Erin (Carol coached
her until the link ended), Carol (coaches Alice), Dave (a coach with no athletes) and Sam
(staff). Each row names a URL, how to build it, the method, and the answer each of them
gets, in ``ROLES`` order:

* a status code (200, 403, 404, 405, 410);
* ``LOGIN``: 302 to the login page with ``?next=`` back to the URL;
* ``AWAY``: 302 anywhere else (a finished POST, allauth sending a logged-in person home);
* ``None``: not checked here (the feature's own tests cover it, e.g. a POST with real data).

Adding a URL? Add a row: ``test_it_has_a_row_for_every_url`` fails until you do. Someone
else's object is a 404, never a 403, so its existence does not leak.

Every answer to a logged-in person is theirs alone: ``Cache-Control: private, no-store``
unless the row says otherwise (``cache``), and the same for rows marked ``token`` that
carry personal data to a visitor holding a secret address (the calendar feed).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from urllib.parse import parse_qs

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import CoachLink, DataExport, DataExportPart, Invitation, TeamLink
from coaching.models import Assignment, CalendarFeed, Group, Routine, RoutineItem
from core.languages import catalog_version
from exercises.models import Exercise, Ladder
from runs.models import Race, Run
from sessions.models import WorkoutExercise, WorkoutSession
from tests.coaching import coach_ladder
from tests.conftest import make_user

ROLES = ("anonymous", "alice", "bob", "erin", "carol", "dave", "staff")
LOGIN = "login"
AWAY = "away"


def everyone(status):
    return (status,) * len(ROLES)


def members(status):
    """Visitors are sent to log in; everyone logged in gets ``status``."""
    return (LOGIN,) + (status,) * (len(ROLES) - 1)


def only_alice(status):
    """Alice's own object: the others get a 404 (Carol's coach view comes with /coach/)."""
    return (LOGIN, status, 404, 404, 404, 404, 404)


@dataclass(frozen=True)
class Row:
    name: str
    expect: tuple
    method: str = "get"
    args: Callable = lambda cast: []  # -> list of args, or dict of kwargs
    data: dict = field(default_factory=dict)
    label: str = ""
    # Cache-Control directives every logged-in answer must carry.
    cache: frozenset = frozenset({"private", "no-store"})
    token: bool = False  # personal data for anyone holding the address: checked for visitors

    def url(self, cast) -> str:
        args = self.args(cast)
        if isinstance(args, dict):
            return reverse(self.name, kwargs=args)
        return reverse(self.name, args=args)

    def __str__(self):
        return f"{self.method.upper()} {self.name}{f' ({self.label})' if self.label else ''}"


ROWS = [
    # --- Site and library ---------------------------------------------------------------
    Row("home", everyone(200)),
    Row("healthz", everyone(200)),
    # The installable app: the same manifest and worker for everyone (public, no one's data).
    Row("manifest", everyone(200), cache=frozenset()),
    Row("service_worker", everyone(200)),
    # The JavaScript catalogue: the same for everyone, kept for good (its address changes).
    Row(
        "javascript_catalog",
        everyone(200),
        args=lambda c: ["es", catalog_version()],
        cache=frozenset({"public", "immutable"}),
    ),
    Row("javascript_catalog", everyone(404), args=lambda c: ["xx", "1"], label="unknown language"),
    Row("javascript_catalog", everyone(405), method="post", args=lambda c: ["es", "1"]),
    Row("exercises:list", everyone(200)),
    Row("exercises:detail", everyone(200), args=lambda c: [c.exercise.slug]),
    Row("exercises:detail", everyone(404), args=lambda c: ["no-such-exercise"], label="unknown"),
    # Uploaded videos (only with SERVE_MEDIA on): a coach's own, as their exercise page.
    Row(
        "media", everyone(404), args=lambda c: {"path": "videos/missing.mp4"}, label="missing file"
    ),
    Row(
        "media",
        everyone(200),
        args=lambda c: {"path": c.library_video.video_file.name},
        label="library video",
        cache=frozenset(),
    ),
    Row(
        "media",
        (404, 200, 404, 404, 200, 404, 404),
        args=lambda c: {"path": c.coach_video.video_file.name},
        label="a coach's own video",
        cache=frozenset({"private"}),
    ),
    Row(
        "media",
        everyone(405),
        method="post",
        args=lambda c: {"path": c.library_video.video_file.name},
    ),
    Row("admin:index", (AWAY, AWAY, AWAY, AWAY, AWAY, AWAY, 200)),
    # --- allauth ------------------------------------------------------------------------
    # Two-step login (allauth.mfa): every change asks for the password again first (AWAY);
    # coaches and staff have an authenticator app, the athletes none. Whose key a page
    # edits is checked after that step, in tests/test_accounts_security.py.
    Row("mfa_index", members(200)),
    Row("mfa_activate_totp", members(AWAY)),
    Row("mfa_deactivate_totp", (LOGIN, 404, 404, 404, AWAY, AWAY, AWAY)),
    Row("mfa_authenticate", everyone(AWAY)),  # only halfway through a login
    Row("mfa_reauthenticate", (LOGIN, AWAY, AWAY, AWAY, 200, 200, 200)),
    Row("mfa_view_recovery_codes", (LOGIN,) + (404,) * 6),
    Row("mfa_download_recovery_codes", (LOGIN,) + (404,) * 6),
    Row("mfa_generate_recovery_codes", members(AWAY)),
    Row("mfa_add_webauthn", members(AWAY)),
    Row("mfa_list_webauthn", members(200)),
    Row("mfa_reauthenticate_webauthn", members(AWAY)),
    Row("mfa_edit_webauthn", members(AWAY), args=lambda c: [1]),
    Row("mfa_remove_webauthn", members(AWAY), args=lambda c: [1]),
    Row("account_login", (200,) + (AWAY,) * 6),
    Row("account_signup", (200,) + (AWAY,) * 6),
    Row("account_logout", (AWAY,) + (200,) * 6),
    Row("account_logout", everyone(AWAY), method="post", cache=frozenset()),  # now anonymous
    Row("account_inactive", everyone(200)),
    Row("account_reauthenticate", members(200)),
    Row("account_email", members(200)),
    # The code page only opens while a code is pending (tests/test_accounts_security.py).
    Row("account_email_verification_sent", everyone(AWAY)),
    Row("account_change_password", members(200)),
    Row("account_set_password", (LOGIN,) + (AWAY,) * 6),  # they have one: go change it
    Row("account_reset_password", everyone(200)),
    Row("account_reset_password_done", everyone(200)),
    Row(
        "account_reset_password_from_key",
        everyone(200),
        args=lambda c: {"uidb36": "1", "key": "not-a-key"},
        label="bad key",
    ),
    Row("account_reset_password_from_key_done", everyone(200)),
    Row("account_confirm_login_code", everyone(AWAY)),  # login by code is off
    # --- Accounts: profile, export, deletion --------------------------------------------
    Row("accounts:profile", members(200)),
    # The language switch: anyone (a visitor's choice is a cookie; a member's, their profile).
    Row("accounts:language", everyone(AWAY), method="post", data={"language": "es"}),
    Row("accounts:language", everyone(405)),
    Row("accounts:profile", members(200), method="post", label="invalid form"),
    Row("accounts:profile", everyone(405), method="put"),
    Row("accounts:data_export", members(200)),
    Row("accounts:data_export", everyone(405), method="post"),
    Row("accounts:sets_export", members(200)),
    Row("accounts:sets_export", everyone(405), method="post"),
    # --- First-run steps (onboarding): each person's own profile, nothing in the URL -----
    Row("onboarding:equipment", members(200)),
    Row(
        "onboarding:equipment",
        members(200),
        method="post",
        label="invalid form",
        data={"dumbbells_kg": "four"},
    ),
    Row("onboarding:equipment", members(AWAY), method="post", label="skip", data={"skip": "1"}),
    Row("onboarding:equipment", everyone(405), method="put"),
    Row("onboarding:running", members(200)),
    Row(
        "onboarding:running",
        members(200),
        method="post",
        label="invalid form",
        data={"weekly_km": "-3"},
    ),
    Row("onboarding:running", members(AWAY), method="post", label="skip", data={"skip": "1"}),
    Row("onboarding:running", everyone(405), method="put"),
    # The export prepared in the background (issue 15): the page and "Prepare" are each
    # person's own; a prepared file is its owner's alone, not even their coach's.
    Row("accounts:export", members(200)),
    Row("accounts:export", members(AWAY), method="post", label="prepare"),
    Row("accounts:export", everyone(405), method="put"),
    Row("accounts:export_download", only_alice(200), args=lambda c: [c.alice_export.pk]),
    Row(
        "accounts:export_download",
        everyone(405),
        method="post",
        args=lambda c: [c.alice_export.pk],
    ),
    Row("accounts:delete", members(200)),
    Row(
        "accounts:delete",
        members(200),
        method="post",
        data={"password": "wrong"},
        label="wrong password",
    ),
    # --- Accounts: coach–athlete links ----------------------------------------------------
    Row("accounts:invitation_list", (LOGIN, 403, 403, 403, 200, 200, 403)),
    Row(
        "accounts:invitation_create",
        (LOGIN, 403, 403, 403, AWAY, AWAY, 403),
        method="post",
        data={"open_link": "on"},
    ),
    Row(
        "accounts:invitation_create",
        (LOGIN, 403, 403, 403, 400, 400, 403),
        method="post",
        label="no address, not open",
    ),
    Row("accounts:invitation_create", everyone(405)),
    Row(
        "accounts:invitation_bulk_create",
        (LOGIN, 403, 403, 403, AWAY, AWAY, 403),
        method="post",
        data={"addresses": "new-runner@example.com, not-an-address"},
    ),
    Row(
        "accounts:invitation_bulk_create",
        (LOGIN, 403, 403, 403, 400, 400, 403),
        method="post",
        label="empty list",
    ),
    Row("accounts:invitation_bulk_create", everyone(405)),
    # Team links: carol's works (2 places), the revoked one is gone for everyone.
    Row(
        "accounts:team_link_create",
        (LOGIN, 403, 403, 403, AWAY, AWAY, 403),
        method="post",
        data={"max_uses": "10", "days": "7"},
    ),
    Row(
        "accounts:team_link_create",
        (LOGIN, 403, 403, 403, 400, 400, 403),
        method="post",
        data={"max_uses": "0", "days": "7"},
        label="invalid form",
    ),
    Row("accounts:team_link_create", everyone(405)),
    Row(
        "accounts:team_link_revoke",
        (LOGIN, 403, 403, 403, AWAY, 404, 403),
        method="post",
        args=lambda c: [c.team_link.pk],
    ),
    Row("accounts:team_link_revoke", everyone(405), args=lambda c: [c.team_link.pk]),
    Row("accounts:team_link_detail", everyone(200), args=lambda c: [c.team_link.token]),
    Row(
        "accounts:team_link_detail",
        everyone(410),
        args=lambda c: [c.revoked_team_link.token],
        label="revoked",
    ),
    Row(
        "accounts:team_link_detail",
        everyone(404),
        args=lambda c: [c.team_link.token[:-2]],
        label="tampered",
    ),
    Row(
        "accounts:team_link_join",
        (LOGIN, AWAY, AWAY, AWAY, 403, AWAY, AWAY),
        method="post",
        args=lambda c: [c.team_link.token],
    ),
    Row(
        "accounts:team_link_join",
        (LOGIN,) + (410,) * 6,
        method="post",
        args=lambda c: [c.revoked_team_link.token],
        label="revoked",
    ),
    Row("accounts:team_link_join", everyone(405), args=lambda c: [c.team_link.token]),
    Row("accounts:invitation_detail", everyone(200), args=lambda c: [c.bound.token]),
    Row(
        "accounts:invitation_detail",
        everyone(200),
        args=lambda c: [c.open.token],
        label="open link",
    ),
    Row(
        "accounts:invitation_detail",
        everyone(410),
        args=lambda c: [c.expired.token],
        label="expired",
    ),
    Row("accounts:invitation_detail", everyone(410), args=lambda c: [c.used.token], label="used"),
    Row(
        "accounts:invitation_detail",
        everyone(404),
        args=lambda c: [c.bound.token[:-2]],
        label="tampered",
    ),
    Row(
        "accounts:invitation_accept",
        (LOGIN, 403, AWAY, 403, 403, 403, 403),
        method="post",
        args=lambda c: [c.bound.token],
        label="for bob",
    ),
    Row(
        "accounts:invitation_accept",
        (LOGIN, AWAY, AWAY, AWAY, 403, AWAY, AWAY),
        method="post",
        args=lambda c: [c.open.token],
        label="open link",
    ),
    Row(
        "accounts:invitation_accept",
        (LOGIN,) + (410,) * 6,
        method="post",
        args=lambda c: [c.expired.token],
        label="expired",
    ),
    Row(
        "accounts:invitation_accept",
        (LOGIN,) + (404,) * 6,
        method="post",
        args=lambda c: ["tampered"],
        label="tampered",
    ),
    Row("accounts:invitation_accept", everyone(405), args=lambda c: [c.bound.token]),
    Row(
        "accounts:invitation_decline",
        (LOGIN, 403, AWAY, 403, 403, 403, 403),
        method="post",
        args=lambda c: [c.bound.token],
        label="for bob",
    ),
    Row(
        "accounts:invitation_decline",
        (LOGIN, AWAY, AWAY, AWAY, 403, AWAY, AWAY),
        method="post",
        args=lambda c: [c.open.token],
        label="open link",
    ),
    Row(
        "accounts:invitation_decline",
        (LOGIN,) + (410,) * 6,
        method="post",
        args=lambda c: [c.used.token],
        label="used",
    ),
    Row("accounts:invitation_decline", everyone(405), args=lambda c: [c.bound.token]),
    Row(
        "accounts:invitation_cancel",
        (LOGIN, 403, 403, 403, AWAY, 404, 403),
        method="post",
        args=lambda c: [c.bound.token],
    ),
    Row("accounts:invitation_cancel", everyone(405), args=lambda c: [c.bound.token]),
    Row(
        "accounts:link_end",
        (LOGIN, AWAY, 404, 404, AWAY, 404, 404),
        method="post",
        args=lambda c: [c.link.pk],
    ),
    Row("accounts:link_end", everyone(405), args=lambda c: [c.link.pk]),
    # --- Today's session and history ----------------------------------------------------
    Row("today", members(200)),
    Row("workout_sessions:list", members(200)),
    Row("workout_sessions:detail", only_alice(200), args=lambda c: [c.workout.pk]),
    Row(
        "workout_sessions:detail",
        (LOGIN, 404, 404, 200, 404, 404, 404),
        args=lambda c: [c.erin_workout.pk],
        label="erin's, from her coached days",
    ),
    Row("workout_sessions:log", only_alice(None), args=lambda c: [c.workout.pk]),
    Row("workout_sessions:log_set", only_alice(None), method="post", args=lambda c: [c.workout.pk]),
    Row(
        "workout_sessions:skip_item",
        only_alice(None),
        method="post",
        args=lambda c: [c.workout.pk, 1],
    ),
    Row("workout_sessions:finish", only_alice(None), args=lambda c: [c.workout.pk]),
    Row("workout_sessions:close", only_alice(None), method="post", args=lambda c: [c.workout.pk]),
    # --- Running log and races (a coach reads the log, never changes it) ----------------
    Row("runs:list", members(200)),
    Row("runs:list", everyone(405), method="post"),
    Row("runs:create", members(200)),
    Row("runs:create", members(200), method="post", label="invalid form"),
    Row("runs:edit", only_alice(200), args=lambda c: [c.run.pk]),
    Row(
        "runs:edit", only_alice(200), method="post", args=lambda c: [c.run.pk], label="invalid form"
    ),
    Row("runs:delete", only_alice(200), args=lambda c: [c.run.pk]),
    Row("runs:delete", only_alice(AWAY), method="post", args=lambda c: [c.run.pk]),
    Row("runs:delete", everyone(405), method="put", args=lambda c: [c.run.pk]),
    Row("runs:import", members(200)),
    Row("runs:import", members(400), method="post", label="no files"),
    Row("runs:import", everyone(405), method="put"),
    # Scoped by who asks: another athlete's file ids answer no result (test_runs_jobs.py).
    Row("runs:import_status", members(200)),
    Row("runs:import_status", everyone(405), method="post"),
    Row("runs:athlete_list", (LOGIN, 404, 404, 404, 200, 404, 404), args=lambda c: [c.alice.pk]),
    Row(
        "runs:athlete_list",
        (LOGIN, 404, 404, 404, 404, 404, 404),
        args=lambda c: [c.bob.pk],
        label="not coached",
    ),
    Row(
        "runs:athlete_list",
        (LOGIN, 404, 404, 404, 404, 404, 404),
        args=lambda c: [c.erin.pk],
        label="link ended",
    ),
    Row("runs:athlete_list", everyone(405), method="post", args=lambda c: [c.alice.pk]),
    Row("runs:race_list", members(200)),
    Row("runs:race_create", members(200)),
    Row("runs:race_create", members(200), method="post", label="invalid form"),
    Row("runs:race_edit", only_alice(200), args=lambda c: [c.race.pk]),
    Row(
        "runs:race_edit",
        only_alice(200),
        method="post",
        args=lambda c: [c.race.pk],
        label="invalid form",
    ),
    Row("runs:race_delete", only_alice(200), args=lambda c: [c.race.pk]),
    Row("runs:race_delete", only_alice(AWAY), method="post", args=lambda c: [c.race.pk]),
    # --- Coaching: coach area (carol coaches alice; dave coaches nobody) ----------------
    Row("coaching:dashboard", (LOGIN, 403, 403, 403, 200, 200, 403)),
    Row("coaching:dashboard", everyone(405), method="post"),
    Row(
        "coaching:athlete_detail",
        (LOGIN, 403, 403, 403, 200, 404, 403),
        args=lambda c: [c.alice.pk],
    ),
    Row(
        "coaching:athlete_detail",
        (LOGIN, 403, 403, 403, 404, 404, 403),
        args=lambda c: [c.bob.pk],
        label="not coached",
    ),
    Row(
        "coaching:athlete_workout",
        (LOGIN, 403, 403, 403, 200, 404, 403),
        args=lambda c: [c.alice.pk, c.workout.pk],
    ),
    Row(
        "coaching:athlete_detail",
        (LOGIN, 403, 403, 403, 404, 404, 403),
        args=lambda c: [c.erin.pk],
        label="link ended",
    ),
    Row(
        "coaching:athlete_workout",
        (LOGIN, 403, 403, 403, 404, 404, 403),
        args=lambda c: [c.erin.pk, c.erin_workout.pk],
        label="link ended",
    ),
    Row(
        "coaching:athlete_workout",
        everyone(405),
        method="post",
        args=lambda c: [c.alice.pk, c.workout.pk],
    ),
    # A "seen" mark on the triage table: only for a linked athlete (any valid flag; an
    # invalid one is told and stores nothing, tests/test_coaching_triage.py).
    Row(
        "coaching:flag_seen",
        (LOGIN, 403, 403, 403, AWAY, 404, 403),
        method="post",
        args=lambda c: [c.alice.pk],
        data={"flag": "COMMENT 2026-01-05T10:00:00+00:00"},
    ),
    Row(
        "coaching:flag_seen",
        (LOGIN, 403, 403, 403, 404, 404, 403),
        method="post",
        args=lambda c: [c.bob.pk],
        data={"flag": "COMMENT 2026-01-05T10:00:00+00:00"},
        label="not coached",
    ),
    Row(
        "coaching:flag_seen",
        (LOGIN, 403, 403, 403, 404, 404, 403),
        method="post",
        args=lambda c: [c.erin.pk],
        data={"flag": "COMMENT 2026-01-05T10:00:00+00:00"},
        label="link ended",
    ),
    Row("coaching:flag_seen", everyone(405), args=lambda c: [c.alice.pk]),
    # Groups: carol's "Hills" holds alice; someone else's group is a 404.
    Row("coaching:group_list", (LOGIN, 403, 403, 403, 200, 200, 403)),
    Row(
        "coaching:group_list",
        (LOGIN, 403, 403, 403, 400, 400, 403),
        method="post",
        label="invalid form",
    ),
    Row("coaching:group_list", everyone(405), method="put"),
    Row(
        "coaching:group_edit",
        (LOGIN, 403, 403, 403, 200, 404, 403),
        args=lambda c: [c.group.pk],
    ),
    Row(
        "coaching:group_edit",
        (LOGIN, 403, 403, 403, 400, 404, 403),
        method="post",
        args=lambda c: [c.group.pk],
        label="invalid form",
    ),
    Row(
        "coaching:group_delete",
        (LOGIN, 403, 403, 403, AWAY, 404, 403),
        method="post",
        args=lambda c: [c.group.pk],
    ),
    Row("coaching:group_delete", everyone(405), args=lambda c: [c.group.pk]),
    Row("coaching:ladder_list", (LOGIN, 403, 403, 403, 200, 200, 403)),
    Row("coaching:ladder_create", (LOGIN, 403, 403, 403, 200, 200, 403)),
    Row(
        "coaching:ladder_create",
        (LOGIN, 403, 403, 403, 200, 200, 403),
        method="post",
        label="invalid form",
    ),
    Row(
        "coaching:ladder_edit",
        (LOGIN, 403, 403, 403, 200, 404, 403),
        args=lambda c: [c.coach_ladder.pk],
    ),
    Row("coaching:ladder_edit", everyone(405), method="put", args=lambda c: [c.coach_ladder.pk]),
    Row(
        "coaching:exercise_create",
        (LOGIN, 403, 403, 403, 200, 404, 403),
        args=lambda c: [c.coach_ladder.pk],
    ),
    Row(
        "coaching:exercise_edit",
        (LOGIN, 403, 403, 403, 200, 404, 403),
        args=lambda c: [c.coach_exercise.pk],
    ),
    Row(
        "coaching:exercise_edit",
        (LOGIN, 403, 403, 403, 200, 404, 403),
        method="post",
        args=lambda c: [c.coach_exercise.pk],
        label="invalid form",
    ),
    Row(
        "exercises:detail",
        (404, 200, 404, 404, 200, 404, 404),
        args=lambda c: [c.coach_exercise.slug],
        label="a coach's own",
    ),
    # --- Coaching: routines (alice's own; carol's, on alice's calendar; the template) ----
    Row("coaching:routine_list", members(200)),
    Row("coaching:routine_list", everyone(405), method="post"),
    Row("coaching:routine_create", members(200)),
    Row("coaching:routine_create", members(200), method="post", label="invalid form"),
    Row("coaching:routine_detail", only_alice(200), args=lambda c: [c.alice_routine.pk]),
    Row(
        "coaching:routine_detail",
        (LOGIN, 200, 404, 404, 200, 404, 404),
        args=lambda c: [c.carol_routine.pk],
        label="assigned to alice, and to erin before",
    ),
    Row("coaching:routine_detail", members(200), args=lambda c: [c.template.pk], label="template"),
    Row("coaching:routine_edit", only_alice(200), args=lambda c: [c.alice_routine.pk]),
    Row(
        "coaching:routine_edit",
        only_alice(200),
        method="post",
        args=lambda c: [c.alice_routine.pk],
        label="invalid form",
    ),
    Row(
        "coaching:routine_edit",
        (LOGIN, 404, 404, 404, 200, 404, 404),
        args=lambda c: [c.carol_routine.pk],
        label="carol's",
    ),
    Row("coaching:routine_duplicate", members(AWAY), method="post", args=lambda c: [c.template.pk]),
    Row(
        "coaching:routine_duplicate",
        only_alice(AWAY),
        method="post",
        args=lambda c: [c.alice_routine.pk],
        label="own",
    ),
    Row(
        "coaching:routine_duplicate",
        (LOGIN, AWAY, 404, 404, AWAY, 404, 404),
        method="post",
        args=lambda c: [c.carol_routine.pk],
        label="carol's",
    ),
    Row("coaching:routine_duplicate", everyone(405), args=lambda c: [c.template.pk]),
    Row("coaching:routine_delete", only_alice(200), args=lambda c: [c.alice_routine.pk]),
    Row(
        "coaching:routine_delete",
        only_alice(AWAY),
        method="post",
        args=lambda c: [c.alice_routine.pk],
    ),
    Row(
        "coaching:routine_delete",
        members(404),
        method="post",
        args=lambda c: [c.template.pk],
        label="template",
    ),
    Row(
        "coaching:item_create",
        only_alice(400),
        method="post",
        args=lambda c: [c.alice_routine.pk],
        label="invalid form",
    ),
    Row("coaching:item_create", everyone(405), args=lambda c: [c.alice_routine.pk]),
    Row("coaching:item_edit", only_alice(200), args=lambda c: [c.alice_routine.pk, c.item.pk]),
    Row(
        "coaching:item_edit",
        only_alice(200),
        method="post",
        args=lambda c: [c.alice_routine.pk, c.item.pk],
        label="invalid form",
    ),
    Row(
        "coaching:item_move",
        only_alice(AWAY),
        method="post",
        args=lambda c: [c.alice_routine.pk, c.item.pk],
    ),
    Row("coaching:item_move", everyone(405), args=lambda c: [c.alice_routine.pk, c.item.pk]),
    Row(
        "coaching:item_delete",
        only_alice(AWAY),
        method="post",
        args=lambda c: [c.alice_routine.pk, c.item.pk],
    ),
    Row("coaching:item_delete", everyone(405), args=lambda c: [c.alice_routine.pk, c.item.pk]),
    Row("coaching:routine_assign", only_alice(200), args=lambda c: [c.alice_routine.pk]),
    Row(
        "coaching:routine_assign",
        only_alice(400),
        method="post",
        args=lambda c: [c.alice_routine.pk],
        label="invalid form",
    ),
    Row(
        "coaching:routine_assign",
        (LOGIN, 200, 404, 404, 200, 404, 404),
        args=lambda c: [c.carol_routine.pk],
        label="carol's",
    ),
    Row(
        "coaching:routine_assign",
        (LOGIN, 400, 404, 404, 400, 404, 404),
        method="post",
        args=lambda c: [c.carol_routine.pk],
        label="carol's, invalid form",
    ),
    Row("coaching:routine_assign", members(200), args=lambda c: [c.template.pk], label="template"),
    # --- Coaching: calendar, feed and comments -------------------------------------------
    Row("coaching:calendar", members(200)),
    Row("coaching:calendar", everyone(405), method="post"),
    Row("coaching:feed_rotate", members(AWAY), method="post"),
    Row("coaching:feed_rotate", everyone(405)),
    Row("coaching:feed", everyone(200), args=lambda c: [c.feed.token], token=True),
    Row("coaching:feed", everyone(404), args=lambda c: ["not-a-token"], label="unknown"),
    Row(
        "coaching:assignment_delete",
        (LOGIN, AWAY, 404, 404, AWAY, 404, 404),
        method="post",
        args=lambda c: [c.assignment.pk],
    ),
    Row(
        "coaching:assignment_delete",
        (LOGIN, 404, 404, AWAY, 404, 404, 404),
        method="post",
        args=lambda c: [c.erin_assignment.pk],
        label="erin's, from carol",
    ),
    Row("coaching:assignment_delete", everyone(405), args=lambda c: [c.assignment.pk]),
    Row(
        "coaching:comment_create",
        (LOGIN, AWAY, 404, 404, AWAY, 404, 404),
        method="post",
        args=lambda c: [c.workout.pk],
        label="empty comment",
    ),
    Row(
        "coaching:comment_create",
        (LOGIN, 404, 404, AWAY, 404, 404, 404),
        method="post",
        args=lambda c: [c.erin_workout.pk],
        label="erin's, link ended",
    ),
    Row("coaching:comment_create", everyone(405), args=lambda c: [c.workout.pk]),
]


class Cast:
    """The people, plus the objects rows point at."""

    def __init__(self, alice, bob, erin, carol, dave, staff):
        self.alice, self.bob, self.erin = alice, bob, erin
        self.carol, self.dave, self.staff = carol, dave, staff
        self.link = CoachLink.objects.get(coach=carol, athlete=alice)
        self.bound = Invitation.objects.create(coach=carol, email=bob.email)
        self.open = Invitation.objects.create(coach=carol, open_link=True)
        self.expired = Invitation.objects.create(
            coach=carol, open_link=True, expires_at=timezone.now() - timedelta(minutes=1)
        )
        self.used = Invitation.objects.create(
            coach=carol, open_link=True, used_at=timezone.now(), used_by=bob
        )
        soon = timezone.now() + timedelta(days=7)
        self.team_link = TeamLink.objects.create(coach=carol, max_uses=2, expires_at=soon)
        self.revoked_team_link = TeamLink.objects.create(
            coach=carol, max_uses=2, expires_at=soon, revoked_at=timezone.now()
        )
        self.alice_export = DataExport.objects.create(
            user=alice, status="ready", token=uuid.uuid4(), size=4, expires_at=soon
        )
        DataExportPart.objects.create(
            export=self.alice_export, token=self.alice_export.token, number=0, data=b"PK\x05\x06"
        )

    @cached_property
    def exercise(self):
        call_command("load_library", verbosity=0)
        return Exercise.objects.select_related("ladder").first()

    @cached_property
    def run(self):
        return Run.objects.create(
            athlete=self.alice,
            duration=timedelta(minutes=40),
            start=timezone.now() - timedelta(days=1),
        )

    @cached_property
    def race(self):
        return Race.objects.create(
            athlete=self.alice, name="City 10K", date=timezone.localdate() + timedelta(days=30)
        )

    @cached_property
    def workout(self):
        exercise = self.exercise
        workout = WorkoutSession.objects.create(
            athlete=self.alice,
            plan={"advisories": []},
            tier="NORMAL",
            headline_reason="BASE_NORMAL",
            finished=timezone.now(),
        )
        WorkoutExercise.objects.create(
            workout=workout,
            position=1,
            ladder=exercise.ladder,
            exercise=exercise,
            prescribed_level=exercise.level,
            action="do",
            tier="NORMAL",
            sets_planned=3,
            rep_min=8,
            rep_max=12,
            target_rir=2,
            reason="BASE_NORMAL",
        )
        return workout

    # --- Coaching ---------------------------------------------------------------------------

    @cached_property
    def template(self):
        assert self.exercise  # loads the library
        return Routine.objects.seed()

    @cached_property
    def alice_routine(self):
        assert self.exercise  # loads the library
        routine = Routine.objects.create(owner=self.alice, name="Alice's legs")
        RoutineItem.objects.create(
            routine=routine, position=1, ladder=Ladder.objects.get(slug="squat")
        )
        return routine

    @cached_property
    def item(self):
        return self.alice_routine.items.get()

    @cached_property
    def carol_routine(self):
        return self.assignment.routine

    @cached_property
    def assignment(self):
        routine = self.template.duplicate(self.carol)
        tomorrow = self.alice.local_today() + timedelta(days=1)
        assignment = Assignment.objects.create(
            routine=routine, athlete=self.alice, assigned_by=self.carol, date=tomorrow
        )
        # Erin's days from when Carol coached her: one from Carol, one she put on herself.
        Assignment.objects.create(
            routine=routine, athlete=self.erin, assigned_by=self.carol, date=tomorrow
        )
        Assignment.objects.create(
            routine=routine,
            athlete=self.erin,
            assigned_by=self.erin,
            date=tomorrow + timedelta(days=1),
        )
        return assignment

    @cached_property
    def erin_assignment(self):
        return self.carol_routine.assignments.get(athlete=self.erin, assigned_by=self.carol)

    @cached_property
    def erin_workout(self):
        return WorkoutSession.objects.create(
            athlete=self.erin,
            plan={"advisories": []},
            tier="NORMAL",
            headline_reason="BASE_NORMAL",
            finished=timezone.now() - timedelta(days=30),
        )

    @cached_property
    def group(self):
        group = Group.objects.create(coach=self.carol, name="Hills")
        group.set_members([self.alice])
        return group

    @cached_property
    def feed(self):
        return CalendarFeed.objects.create(athlete=self.alice)

    @cached_property
    def coach_ladder(self):
        return coach_ladder(self.carol)

    @cached_property
    def coach_exercise(self):
        return self.coach_ladder.exercises.first()

    @cached_property
    def coach_video(self):
        return with_video(self.coach_exercise)

    @cached_property
    def library_video(self):
        return with_video(self.exercise)


def with_video(exercise):
    exercise.video_file = SimpleUploadedFile("demo.mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(9))
    exercise.save()
    return exercise


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker, tmp_path_factory):
    """One cast for every cell of the matrix, made once per test process.

    It lives in a transaction around the module's tests; each test runs in a savepoint
    inside it (pytest-django's ``db``), so what a cell changes (a deleted run, an accepted
    invitation) is undone before the next cell. Every object is made here, none lazily
    inside a test, where the savepoint would take it away again.
    """
    from django.contrib.auth import get_user_model

    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        transaction.atomic(),
    ):
        users = get_user_model()
        alice = make_user(users, "alice@example.com", display_name="Alice")
        bob = make_user(users, "bob@example.com", display_name="Bob")
        carol = make_user(users, "carol@example.com", display_name="Carol", is_coach=True)
        CoachLink.objects.create(coach=carol, athlete=alice)
        erin = make_user(users, "erin@example.com", display_name="Erin")
        CoachLink.objects.create(coach=carol, athlete=erin).end(by=erin)
        dave = make_user(users, "dave@example.com", display_name="Dave", is_coach=True)
        staff = make_user(users, "sam@example.com", is_staff=True, is_superuser=True)
        cast = Cast(alice, bob, erin, carol, dave, staff)
        for name, attribute in vars(Cast).items():
            if isinstance(attribute, cached_property):
                getattr(cast, name)
        yield cast
        transaction.set_rollback(True)


CASES = [
    pytest.param(row, role, id=f"{row}-{role}")
    for row in ROWS
    for role, expected in zip(ROLES, row.expect, strict=True)
    if expected is not None
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), CASES)
def test_it_answers_each_role_as_expected(client, cast, row, role):
    url = row.url(cast)
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    expected = row.expect[ROLES.index(role)]

    response = getattr(client, row.method)(url, row.data)

    cell = f"{row.method.upper()} {url} as {role}"  # the cell, also in the test's id
    if expected == LOGIN:
        assert response.status_code == 302, cell
        login, _, query = response["Location"].partition("?")
        assert (login, parse_qs(query)) == ("/accounts/login/", {"next": [url]}), cell
    elif expected == AWAY:
        assert response.status_code == 302, cell
        assert not response["Location"].startswith("/accounts/login/?next="), cell
    else:
        assert response.status_code == expected, cell
    if role != "anonymous" or row.token:
        directives = {
            part.split("=")[0].strip() for part in response.get("Cache-Control", "").split(",")
        }
        assert row.cache <= directives, f"{cell}: Cache-Control: {response.get('Cache-Control')}"


def url_names(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from url_names(pattern.url_patterns, namespace)
        elif pattern.name:
            yield prefix + pattern.name


def test_it_has_a_row_for_every_url():
    names = {
        name for name in url_names(get_resolver().url_patterns) if not name.startswith("admin:")
    }
    missing = sorted(names - {row.name for row in ROWS})
    assert not missing, f"add rows to ROWS in {__name__} for: {', '.join(missing)}"
