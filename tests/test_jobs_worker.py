"""Background jobs run by a real worker: ``manage.py db_worker`` in a process of its own,
on the test database, as ``make worker`` runs it.

The unit tests run each job at once (tests/conftest.py); here the jobs are enqueued on
the database backend, as in production, and nothing happens until the worker runs.
"""

import io
import json
import subprocess
import sys
import uuid
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import DataExport
from core.jobs import RETRY_DELAYS
from core.models import OutgoingEmail
from runs.models import ActivityImport, Run
from tests.activity_files import gpx_file
from tests.services import ROOT, child_env, database_url, free_port

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason=(
            "the tests' SQLite database is in memory, out of reach of a worker process; the "
            "PostgreSQL run of CI (.ci/run) runs these tests"
        ),
    ),
]

DATABASE_JOBS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
CONSOLE = "django.core.mail.backends.console.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture(autouse=True)
def _jobs_in_the_database():
    with override_settings(TASKS=DATABASE_JOBS):
        yield


def run_worker(**env):
    """One worker that runs every job due now, then stops (``--batch``)."""
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--queue-name",
            "*",
        ],
        cwd=ROOT,
        env=child_env(DATABASE_URL=database_url(connection.settings_dict), **env),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_an_import_is_answered_at_once_and_finished_in_the_background(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("runs:import"),
        {"files": [upload("morning.gpx", gpx_file())]},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 202
    [result] = response.json()["results"]
    assert (result["status"], result["ok"], result["message"]) == ("queued", None, "Waiting")
    assert not Run.objects.exists()

    run_worker()

    item = ActivityImport.objects.get()
    assert (item.status, item.message, item.attempts) == ("stored", "Added: 6.68 km in 30 min.", 1)
    assert bytes(item.data) == b""  # the file is not kept once read
    assert item.run == Run.objects.get(athlete=alice, source="file")
    status = client.get(reverse("runs:import_status"), {"id": item.pk}).json()
    assert status["results"][0]["ok"] is True
    # The page the athlete comes back to shows the result.
    assert "Added: 6.68 km in 30 min." in client.get(reverse("runs:import")).content.decode()


def test_a_job_run_twice_stores_once(client, alice):
    client.force_login(alice)
    client.post(reverse("runs:import"), {"files": [upload("a.gpx", gpx_file())]})
    item = ActivityImport.objects.get()
    from runs.tasks import import_activity_file

    import_activity_file.enqueue(item.pk)  # the same job, twice in the queue
    run_worker()
    assert Run.objects.count() == 1
    assert ActivityImport.objects.get().status == "stored"
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2


def test_an_export_is_prepared_by_the_worker_and_downloaded_once_ready(client, alice):
    client.force_login(alice)
    client.post(reverse("accounts:export"))
    client.post(reverse("accounts:export"))  # a double tap: the same export, one job
    export = DataExport.objects.get()
    assert export.status == "queued" and DBTaskResult.objects.count() == 1
    assert (
        "Your export is waiting to be prepared"
        in client.get(reverse("accounts:export")).content.decode()
    )

    run_worker()

    export.refresh_from_db()
    assert (export.status, export.attempts, export.progress) == ("ready", 1, 100)
    response = client.get(reverse("accounts:export_download", args=[export.pk]))
    with zipfile.ZipFile(io.BytesIO(response.getvalue())) as archive:
        data = json.loads(archive.read("data.json"))
    assert data["profile"]["email"] == "alice@example.com"
    # The worker also enqueued the job that deletes the file when it expires.
    expiry = DBTaskResult.objects.get(task_path="accounts.export_jobs.delete_expired_export")
    assert expiry.status == "READY"
    assert expiry.run_after == export.expires_at


@override_settings(EMAIL_BACKEND="core.mail.QueuedEmailBackend")
def test_an_email_is_sent_by_the_worker_not_by_the_request():
    token = uuid.uuid4().hex
    mail.send_mail("Your code", f"The code is {token}", None, ["runner@example.com"])
    email = OutgoingEmail.objects.get()
    assert email.status == "pending" and DBTaskResult.objects.count() == 1

    result = run_worker(EMAIL_BACKEND=CONSOLE)

    assert token in result.stdout  # the console backend printed it, in the worker
    assert not OutgoingEmail.objects.exists()  # sent: nothing of it is kept


@override_settings(EMAIL_BACKEND="core.mail.QueuedEmailBackend")
def test_an_email_that_fails_is_tried_again_later():
    """The mail server does not answer: the job fails, says why, and is enqueued again
    after its back-off; once the server is back, the next attempt sends it."""
    token = uuid.uuid4().hex
    mail.send_mail("Reset your password", f"Link {token}", None, ["runner@example.com"])
    closed = free_port()  # nothing listens there

    before = timezone.now()
    run_worker(EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=closed)

    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == ("pending", 1)
    assert email.error.startswith("ConnectionRefusedError")
    failed, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert failed.status == "FAILED" and retry.status == "READY"
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after >= before + timedelta(seconds=RETRY_DELAYS[0])

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # time passes
    result = run_worker(EMAIL_BACKEND=CONSOLE)
    assert token in result.stdout
    assert not OutgoingEmail.objects.exists()
    assert DBTaskResult.objects.get(pk=retry.pk).status == "SUCCESSFUL"


def upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
