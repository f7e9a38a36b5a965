"""Background jobs, as the unit tests run them (each job at once, tests/conftest.py):
queued email, import states on the pages, and who may ask about an import."""

import json

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.urls import reverse

from core.jobs import MAX_ATTEMPTS
from core.mail import send_email
from core.models import OutgoingEmail
from runs.models import ActivityImport
from tests.activity_files import gpx_file
from tests.test_runs_import import upload

QUEUED = {
    "EMAIL_BACKEND": "core.mail.QueuedEmailBackend",
    "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}
DUMMY_JOBS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMPORT = reverse("runs:import")
STATUS = reverse("runs:import_status")


class DownBackend(BaseEmailBackend):
    """A mail server that never answers."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


@pytest.mark.django_db
@override_settings(**QUEUED, TASKS=DUMMY_JOBS)
def test_a_queued_email_arrives_whole_and_once():
    message = EmailMultiAlternatives(
        "Invitation", "Join me", "coach@example.com", ["runner@example.com"], cc=["c@example.com"]
    )
    message.attach_alternative("<p>Join me</p>", "text/html")
    message.attach("plan.txt", "week 1", "text/plain")
    message.send()
    assert mail.outbox == []  # not sent by the request
    email = OutgoingEmail.objects.get()
    assert (email.status, email.recipients) == ("pending", "runner@example.com, c@example.com")
    send_email.call(email.pk)  # what the worker does
    [sent] = mail.outbox
    assert (sent.subject, sent.body, sent.from_email) == (
        "Invitation",
        "Join me",
        message.from_email,
    )
    assert (sent.to, sent.cc) == (["runner@example.com"], ["c@example.com"])
    assert sent.alternatives[0][0] == "<p>Join me</p>"
    assert sent.attachments[0][:2] == ("plan.txt", "week 1")
    assert not OutgoingEmail.objects.exists()  # nothing of a sent email is kept
    assert send_email.call(email.pk) == "sent before"  # the same job again
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@override_settings(**{**QUEUED, "EMAIL_DELIVERY_BACKEND": "tests.test_runs_jobs.DownBackend"})
def test_an_email_that_never_goes_is_kept_as_failed_with_the_reason():
    mail.send_mail("Code", "123456", None, ["runner@example.com"])
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == ("failed", MAX_ATTEMPTS)
    assert email.error == "ConnectionRefusedError: mail server down"
    assert email.recipients == "runner@example.com"


@pytest.mark.django_db
@override_settings(**QUEUED)
def test_sign_up_emails_go_through_the_queue(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert response.status_code == 302
    assert mail.outbox[0].to == ["new@example.com"]
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_waiting_files_show_on_the_import_page_until_read(client, alice, settings):
    settings.TASKS = DUMMY_JOBS  # nothing runs the jobs
    client.force_login(alice)
    response = client.post(IMPORT, {"files": [upload("a.gpx", gpx_file())]})
    assert response.status_code == 202
    page = response.content.decode()
    assert "Your files are being read" in page and "Waiting" in page
    page = client.get(IMPORT).content.decode()
    assert 'http-equiv="refresh"' in page and "a.gpx" in page
    ActivityImport.objects.update(status="stored", message="Added: 6.68 km in 30 min.")
    page = client.get(IMPORT).content.decode()
    assert 'http-equiv="refresh"' not in page and "Added: 6.68 km in 30 min." in page


@pytest.mark.django_db
def test_only_the_athlete_hears_about_their_files(client, alice, bob, settings):
    settings.TASKS = DUMMY_JOBS
    client.force_login(alice)
    client.post(IMPORT, {"files": [upload("a.gpx", gpx_file())]})
    item = ActivityImport.objects.get()
    mine = client.get(STATUS, {"id": [item.pk, "x", "", "²", "9" * 40, "-1"]}).json()
    assert mine == {"results": [item.as_json()]}
    client.force_login(bob)
    assert client.get(STATUS, {"id": item.pk}).json() == {"results": []}
    assert item.name not in client.get(IMPORT).content.decode()


@pytest.mark.django_db
def test_the_runs_page_shows_each_files_progress_and_result(client, alice, carol, settings):
    settings.TASKS = DUMMY_JOBS
    client.force_login(alice)
    client.post(IMPORT, {"files": [upload("a.gpx", gpx_file()), upload("b.fit", b"nope")]})
    page = client.get(reverse("runs:list")).content.decode()
    assert "Files being read" in page and page.count("Waiting") == 2
    a, b = ActivityImport.objects.order_by("pk")
    from runs.tasks import import_activity_file

    for item in (a, b):
        import_activity_file.call(item.pk)  # what the worker does
    page = client.get(reverse("runs:list")).content.decode()
    assert "Files imported in the last day" in page and "Waiting" not in page
    assert "Added: 6.68 km in 30 min." in page
    assert "This is not a FIT file, or it is damaged." in page
    client.force_login(carol)  # her athlete's log, read by the coach: no import states
    page = client.get(reverse("runs:athlete_list", args=[alice.pk])).content.decode()
    assert "a.gpx" not in page


@pytest.mark.django_db
def test_the_data_export_lists_imported_files_without_their_bytes(client, alice, bob):
    client.force_login(alice)
    client.post(IMPORT, {"files": [upload("morning.gpx", gpx_file())]})
    client.force_login(bob)
    client.post(IMPORT, {"files": [upload("bobs.gpx", gpx_file())]})
    client.force_login(alice)
    response = client.get(reverse("accounts:data_export"))
    [item] = json.loads(response.getvalue())["run_imports"]
    assert (item["name"], item["status"]) == ("morning.gpx", "stored")
    assert "data" not in item and "athlete_id" not in item
