"""The data export prepared in the background (issue 15): "Prepare my export", its states,
the download, one export per person, expiry, deletion with the account, and who may see it.

Jobs run at once here (tests/conftest.py), so the POST's answer already holds the outcome;
tests/test_jobs_worker.py runs the same job on a real worker.
"""

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task_backends

from accounts import export_jobs
from accounts.models import DataExport, DataExportPart
from tests.test_accounts import log_a_set

pytestmark = pytest.mark.django_db

EXPORT = reverse("accounts:export")
NOT_RUN = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
EXPORTED_AT = re.compile(rb'\n  "exported_at": "[^"]*",')


def download_url(export):
    return reverse("accounts:export_download", args=[export.pk])


def prepared(client, user):
    client.force_login(user)
    response = client.post(EXPORT)
    assert response.status_code == 302
    assert response["Location"] == EXPORT
    return DataExport.objects.get(user=user)


def unzipped(body: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_prepared_export_holds_what_the_streamed_downloads_hold(client, alice, bob, library):
    log_a_set(alice, reps=8)
    log_a_set(alice, reps=12)
    log_a_set(bob)

    export = prepared(client, alice)

    assert export.status == "ready"
    assert export.progress == 100
    assert export.expires_at == export.finished_at + timedelta(days=7)
    page = client.get(EXPORT).content.decode()
    assert "Your export is ready" in page
    assert download_url(export) in page
    assert "; deleted on " in page
    response = client.get(download_url(export))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert re.fullmatch(
        r'attachment; filename="homestrength-export-\d{4}-\d\d-\d\d\.zip"',
        response["Content-Disposition"],
    )
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    assert response.streaming
    body = response.getvalue()
    assert int(response["Content-Length"]) == len(body) == export.size
    files = unzipped(body)
    assert sorted(files) == ["data.json", "sets.csv"]
    streamed_json = client.get(reverse("accounts:data_export")).getvalue()
    streamed_csv = client.get(reverse("accounts:sets_export")).getvalue()
    # The same document; only the moment it was written differs.
    assert EXPORTED_AT.sub(b"", files["data.json"]) == EXPORTED_AT.sub(b"", streamed_json)
    assert EXPORTED_AT.search(files["data.json"])
    assert files["sets.csv"] == streamed_csv
    assert files["sets.csv"].count(b"\r\n") == 3  # the header and Alice's two sets


def test_a_file_of_several_parts_reads_back_whole_and_by_ranges(
    client, alice, library, monkeypatch
):
    monkeypatch.setattr(export_jobs, "PART_BYTES", 500)
    for _n in range(5):
        log_a_set(alice)
    export = prepared(client, alice)
    assert DataExportPart.objects.filter(export=export).count() == -(-export.size // 500) > 2

    whole = client.get(download_url(export)).getvalue()
    assert len(whole) == export.size
    assert sorted(unzipped(whole)) == ["data.json", "sets.csv"]
    # A range that crosses from one part into the next.
    response = client.get(download_url(export), headers={"range": "bytes=490-1009"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 490-1009/{export.size}"
    assert response.getvalue() == whole[490:1010]
    # Even to a browser that accepts gzip: the bytes are the file's.
    response = client.get(
        download_url(export), headers={"range": "bytes=-10", "accept-encoding": "gzip"}
    )
    assert "Content-Encoding" not in response
    assert response.getvalue() == whole[-10:]
    response = client.get(download_url(export), headers={"range": f"bytes={export.size}-"})
    assert response.status_code == 416


@override_settings(TASKS=NOT_RUN)
def test_a_double_tapped_prepare_makes_one_export_and_one_job(client, alice):
    client.force_login(alice)

    client.post(EXPORT)
    client.post(EXPORT)

    [export] = DataExport.objects.filter(user=alice)
    assert export.status == "queued"
    [job] = task_backends["default"].results
    assert job.args == [export.pk]
    page = client.get(EXPORT).content.decode()
    assert "Your export is waiting to be prepared" in page
    assert '<meta http-equiv="refresh"' in page
    assert "Prepare my export" not in page  # no button while one is waiting


@override_settings(TASKS=NOT_RUN)
def test_a_prepare_while_one_is_being_written_finds_that_one(client, alice):
    first = DataExport.objects.create(user=alice, status="running", progress=40)
    client.force_login(alice)
    client.post(EXPORT)
    assert list(DataExport.objects.filter(user=alice)) == [first]
    page = client.get(EXPORT).content.decode()
    assert "Your export is being prepared" in page
    assert 'value="40"' in page


def test_a_retried_prepare_just_after_the_export_is_ready_gets_that_export(client, alice):
    first = prepared(client, alice)
    client.post(EXPORT)
    assert list(DataExport.objects.filter(user=alice)) == [first]


def test_a_new_export_replaces_the_old_one(client, alice):
    old = prepared(client, alice)
    DataExport.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(hours=1))
    client.post(EXPORT)
    [new] = DataExport.objects.filter(user=alice)
    assert new.pk != old.pk
    assert new.status == "ready"
    assert not DataExportPart.objects.filter(export_id=old.pk).exists()


def test_a_job_run_twice_keeps_one_file(client, alice, library):
    log_a_set(alice)
    export = prepared(client, alice)
    parts = list(DataExportPart.objects.filter(export=export).values_list("pk", flat=True))

    assert export_jobs.prepare_data_export.call(export.pk) == "finished before"

    assert list(DataExportPart.objects.filter(export=export).values_list("pk", flat=True)) == parts


def test_a_run_that_lost_its_claim_to_another_keeps_nothing(alice, monkeypatch):
    """Two runs of one job at once: the one claimed last keeps its file, the other drops its
    parts on finishing."""
    export = DataExport.objects.create(user=alice)
    real_write = export_jobs.write_zip

    def write_while_another_claims(user, target, on_progress):
        real_write(user, target, on_progress)
        DataExport.objects.filter(pk=export.pk).update(token=None)  # another run claimed it

    monkeypatch.setattr(export_jobs, "write_zip", write_while_another_claims)
    assert export_jobs.prepare_data_export.call(export.pk) == "superseded"
    assert not DataExportPart.objects.filter(export=export).exists()
    assert DataExport.objects.get(pk=export.pk).status == "running"


def test_an_export_that_keeps_failing_shows_the_reason_and_try_again(client, alice, monkeypatch):
    calls = []

    def broken(user, target, on_progress):
        calls.append(1)
        raise OSError("disk full")

    monkeypatch.setattr(export_jobs, "write_zip", broken)
    export = prepared(client, alice)

    assert len(calls) == 4  # retried three times (at once with the immediate backend)
    assert export.status == "failed"
    assert export.attempts == 4
    assert not DataExportPart.objects.exists()
    page = client.get(EXPORT).content.decode()
    assert "Your export could not be prepared" in page
    assert (
        "Something went wrong while preparing your export, so there is no file (tried 4 "
        "times). Try again later." in page
    )
    assert re.search(r">\s*Try again\s*</button>", page)  # the button, not the message
    assert "disk full" not in page


def test_an_export_that_fails_once_is_ready_on_the_next_attempt(client, alice, monkeypatch):
    real_write = export_jobs.write_zip
    calls = []

    def fails_once(user, target, on_progress):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("a hiccup")
        real_write(user, target, on_progress)

    monkeypatch.setattr(export_jobs, "write_zip", fails_once)
    export = prepared(client, alice)
    assert export.status == "ready"
    assert export.attempts == 2
    assert export.message == ""


def test_an_export_that_lost_its_worker_fails_after_an_hour_and_can_be_asked_again(
    client, alice, bob
):
    stuck = DataExport.objects.create(
        user=alice, status="running", created_at=timezone.now() - timedelta(minutes=61)
    )
    recent = DataExport.objects.create(
        user=bob, status="running", created_at=timezone.now() - timedelta(minutes=59)
    )
    client.force_login(alice)

    page = client.get(EXPORT).content.decode()

    stuck.refresh_from_db()
    assert stuck.status == "failed"
    assert "Preparing this export took too long, so it was stopped. Try again." in page
    assert re.search(r">\s*Try again\s*</button>", page)  # the button, not the message
    DataExport.objects.get(pk=recent.pk, status="running")  # another person's, not stale
    # Its job, if a worker ever runs it, finds it finished.
    assert export_jobs.prepare_data_export.call(stuck.pk) == "finished before"
    client.post(EXPORT)
    assert DataExport.objects.filter(user=alice, status="ready").count() == 1


def test_try_again_after_a_failure_prepares_a_new_export(client, alice):
    failed = DataExport.objects.create(
        user=alice, status="failed", message="Something went wrong", finished_at=timezone.now()
    )
    client.force_login(alice)
    client.post(EXPORT)
    [export] = DataExport.objects.filter(user=alice)
    assert export.pk != failed.pk
    assert export.status == "ready"


def test_an_expired_export_is_deleted_and_no_longer_offered(client, alice):
    export = prepared(client, alice)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())

    assert client.get(download_url(export)).status_code == 404
    page = client.get(EXPORT).content.decode()
    assert "No export prepared yet" in page
    assert not DataExport.objects.exists()
    assert not DataExportPart.objects.exists()


def test_the_command_and_the_expiry_job_delete_expired_exports_only(client, alice, bob):
    expired = prepared(client, alice)
    kept = prepared(client, bob)
    DataExport.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(1))

    assert export_jobs.delete_expired_export.call(kept.pk) == "not expired"
    out = io.StringIO()
    call_command("delete_expired_exports", stdout=out)

    assert out.getvalue() == "1 expired export(s) deleted.\n"
    assert list(DataExport.objects.all()) == [kept]
    assert not DataExportPart.objects.filter(export_id=expired.pk).exists()
    DataExport.objects.filter(pk=kept.pk).update(expires_at=timezone.now())
    assert export_jobs.delete_expired_export.call(kept.pk) == "deleted"
    assert not DataExportPart.objects.exists()


def test_deleting_the_account_deletes_the_export(client, alice, bob):
    prepared(client, alice)
    prepared(client, bob)
    alice.delete_account()
    assert list(DataExport.objects.values_list("user__email", flat=True)) == ["bob@example.com"]
    assert set(DataExportPart.objects.values_list("export__user__email", flat=True)) == {
        "bob@example.com"
    }


@pytest.mark.parametrize("who", ["bob", "carol", "erin"])
def test_only_the_owner_downloads_their_export(client, alice, bob, carol, erin, who):
    export = prepared(client, alice)
    client.logout()
    client.force_login({"bob": bob, "carol": carol, "erin": erin}[who])

    assert client.get(download_url(export)).status_code == 404
    assert download_url(export) not in client.get(EXPORT).content.decode()


def test_visitors_are_asked_to_log_in(client, alice):
    export = prepared(client, alice)
    client.logout()
    for url in (download_url(export), EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    assert client.post(EXPORT).status_code == 302
    assert DataExport.objects.count() == 1


def test_an_export_not_ready_yet_is_not_downloaded(client, alice):
    export = DataExport.objects.create(user=alice)
    client.force_login(alice)
    assert client.get(download_url(export)).status_code == 404


@override_settings(EXPORT_STREAM_MAX_SETS=2)
def test_a_large_account_prepares_its_export_instead_of_streaming_it(client, alice, library):
    for _n in range(3):
        log_a_set(alice)
    client.force_login(alice)

    for name in ("accounts:data_export", "accounts:sets_export"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"] == EXPORT
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Your history is large" in profile
    assert reverse("accounts:data_export") not in profile
    assert reverse("accounts:data_export") not in client.get(EXPORT).content.decode()


@override_settings(EXPORT_STREAM_MAX_SETS=3)
def test_a_small_account_keeps_its_downloads_at_once(client, alice, library):
    for _n in range(3):
        log_a_set(alice)
    client.force_login(alice)
    assert client.get(reverse("accounts:data_export")).status_code == 200
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:data_export") in profile
    assert EXPORT in profile


def test_the_worker_stores_the_reason_in_the_owners_language(client, alice, monkeypatch):
    alice.language = "es"
    alice.save()

    def broken(user, target, on_progress):
        raise OSError("disk full")

    monkeypatch.setattr(export_jobs, "write_zip", broken)
    export = DataExport.objects.create(user=alice)
    with translation.override("en"):  # the worker's own language is no one's
        for attempt in range(1, export_jobs.MAX_ATTEMPTS + 1):
            DataExport.objects.filter(pk=export.pk).update(status="queued")
            with pytest.raises(OSError):
                export_jobs.prepare_data_export.call(export.pk, attempt)
    export.refresh_from_db()
    assert export.status == "failed"
    assert export.message.startswith("Algo falló al preparar tu exportación")


def test_a_prepared_export_is_written_in_the_owners_language(client, alice, library):
    from sessions.models import WorkoutSet

    alice.language = "es"
    alice.save()
    log_a_set(alice)
    exercise = WorkoutSet.objects.get(item__workout__athlete=alice).item.exercise
    export = DataExport.objects.create(user=alice)
    with translation.override("en"):  # the worker's own language is no one's
        assert export_jobs.prepare_data_export.call(export.pk) == "ready"
    client.force_login(alice)
    files = unzipped(client.get(download_url(export)).getvalue())
    streamed = client.get(reverse("accounts:sets_export")).getvalue()
    assert exercise.name_es.encode() in files["sets.csv"]
    assert files["sets.csv"] == streamed


def test_an_export_asked_from_a_spanish_page_is_written_in_spanish(client, alice, library):
    """Alice's profile leaves the language to her browser, which asks for Spanish: the job,
    which has no browser, writes in the language she asked in."""
    from sessions.models import WorkoutSet

    assert alice.language == ""
    log_a_set(alice)
    exercise = WorkoutSet.objects.get(item__workout__athlete=alice).item.exercise
    client.force_login(alice)
    with translation.override("en"):  # the worker's own language is no one's
        client.post(EXPORT, HTTP_ACCEPT_LANGUAGE="es")
    export = DataExport.objects.get(user=alice)
    assert export.status == "ready"
    files = unzipped(client.get(download_url(export)).getvalue())
    assert exercise.name_es.encode() in files["sets.csv"]
    assert exercise.name.encode() not in files["sets.csv"]


def test_the_reason_is_in_the_language_the_export_was_asked_in(alice, monkeypatch):
    def broken(user, target, on_progress):
        raise OSError("disk full")

    monkeypatch.setattr(export_jobs, "write_zip", broken)
    export = DataExport.objects.create(user=alice, language="es")  # Alice's profile: ""
    with translation.override("en"), pytest.raises(OSError):
        export_jobs.prepare_data_export.call(export.pk, export_jobs.MAX_ATTEMPTS)
    export.refresh_from_db()
    assert export.message.startswith("Algo falló al preparar tu exportación")
