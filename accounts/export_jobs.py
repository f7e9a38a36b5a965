"""The data export prepared in the background (issue 15), for accounts too large to stream
in a web request.

"Prepare my export" (``accounts.views.export_page``) calls ``request_export``, which stores a
``DataExport`` and enqueues ``prepare_data_export`` in the same transaction. The job writes a
zip of ``data.json`` (``export_chunks``, the same text as the streamed download) and
``sets.csv`` (``table_lines``) to a temporary file on the worker, then copies it into the
database in parts of ``PART_BYTES``; memory holds one session of the export and one part at
a time, however long the history. The download (``ExportFile``) reads the parts back one at a
time. A ready export is deleted ``DataExport.EXPIRES_DAYS`` later by a job enqueued for that
moment (``delete_expired_export``); the export page and ``manage.py delete_expired_exports``
also delete any expired one they find (a job that never ran, a worker that was down).
"""

import io
import logging
import tempfile
import uuid
import zipfile
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from accounts.export import TABLE_SIZES, export_chunks, table_lines
from accounts.models import DataExport, DataExportPart, User
from core.jobs import MAX_ATTEMPTS, retry_later
from core.languages import language_of

log = logging.getLogger(__name__)

PART_BYTES = 1024 * 1024
# A retried "Prepare" this soon after an export became ready gets that export again.
RECENT_SECONDS = 60
# An export still waiting or being written this long after it was asked for lost its worker
# (stopped mid-job: the job is never run again by itself). It is marked failed, so the
# person sees why and can ask again (one pending export per person would block them).
STALE_AFTER = timedelta(hours=1)


def stream_max_sets() -> int:
    """Accounts with more logged sets than this prepare their export in the background;
    smaller ones keep the download at once (README, "Background jobs")."""
    return settings.EXPORT_STREAM_MAX_SETS


def is_large(user: User) -> bool:
    """More logged sets than ``stream_max_sets`` (``sessions.export.count_sets``, counted
    no further than that number plus one: the question costs the same for a heavy account
    as for a light one)."""
    limit = stream_max_sets()
    count = TABLE_SIZES.get("sets")
    return count is not None and count(user, limit + 1) > limit


def give_up_stale(user: User) -> None:
    DataExport.objects.filter(
        user=user, status__in=DataExport.PENDING, created_at__lt=timezone.now() - STALE_AFTER
    ).update(
        status=DataExport.Status.FAILED,
        finished_at=timezone.now(),
        token=None,
        message=_("Preparing this export took too long, so it was stopped. Try again."),
    )


def latest_export(user: User) -> DataExport | None:
    """The person's newest export, once any expired one of theirs is deleted and any that
    lost its worker is marked failed."""
    delete_expired(user=user)
    give_up_stale(user)
    return DataExport.objects.filter(user=user).order_by("-created_at", "-pk").first()


def request_export(user: User, language: str = "") -> DataExport:
    """The person's export waiting or being written, or a new one with its job enqueued.

    It is written in ``language``, the one the person is reading (else their profile's).
    A second request while one is pending (a double tap, a retried POST) finds it: the
    database allows one pending export per person (``data_export_one_pending``), so two
    requests at the same moment also make one. A request within ``RECENT_SECONDS`` of an
    export becoming ready gets that one.
    """
    recent = (
        DataExport.objects.filter(
            user=user,
            status=DataExport.Status.READY,
            finished_at__gte=timezone.now() - timedelta(seconds=RECENT_SECONDS),
        )
        .order_by("-finished_at")
        .first()
    )
    if recent is not None:
        return recent
    give_up_stale(user)
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user, language=language)
            # In the same transaction: the job exists exactly when its export does.
            prepare_data_export.enqueue(export.pk)
    except IntegrityError:
        # Another request made one a moment ago (it may even be finished by now).
        return DataExport.objects.filter(user=user).order_by("-created_at", "-pk").first()
    export.refresh_from_db()  # a backend that runs jobs at once has finished it
    return export


def write_zip(user: User, target, on_progress) -> None:
    """The zip of ``data.json`` and ``sets.csv`` into the open binary file ``target``."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("data.json", "w", force_zip64=True) as member:
            text = io.TextIOWrapper(member, encoding="utf-8", newline="")
            for chunk in export_chunks(user, on_section=on_progress):
                text.write(chunk)
            text.flush()
            text.detach()
        with archive.open("sets.csv", "w", force_zip64=True) as member:
            text = io.TextIOWrapper(member, encoding="utf-8", newline="")
            for line in table_lines(user, "sets"):
                text.write(line)
            text.flush()
            text.detach()


def store_parts(export_id: int, token: uuid.UUID, source) -> int:
    """The file ``source`` as parts of the export, under ``token``; its size in bytes."""
    source.seek(0)
    size = number = 0
    while data := source.read(PART_BYTES):
        DataExportPart.objects.create(export_id=export_id, token=token, number=number, data=data)
        size += len(data)
        number += 1
    return size


@task()
def prepare_data_export(export_id: int, attempt: int = 1) -> str:
    """Write one person's export; retried with back-off when something fails, and marked
    failed, with a reason, after the last attempt. Run twice, it keeps one file."""
    token = uuid.uuid4()
    claimed = DataExport.objects.filter(pk=export_id, status__in=DataExport.PENDING).update(
        status=DataExport.Status.RUNNING, attempts=attempt, token=token, progress=0, message=""
    )
    if not claimed:
        return "finished before"  # deleted with its owner, or a second run of this job
    export = DataExport.objects.select_related("user").get(pk=export_id)
    # The worker has no request: the files and the reasons it stores are in the language
    # the person asked in (else their profile's), as their streamed download would be.
    language = language_of(export.user, export.language)

    def on_progress(done, total):
        # Only while this run still holds the export (another run may have claimed it).
        DataExport.objects.filter(pk=export_id, token=token).update(
            progress=min(99, 100 * done // max(total, 1))
        )

    try:
        with tempfile.TemporaryFile() as spool:
            with translation.override(language):
                write_zip(export.user, spool, on_progress)
            size = store_parts(export_id, token, spool)
        with transaction.atomic():
            current = DataExport.objects.select_for_update().filter(pk=export_id).first()
            if current is None or current.token != token or current.status != "running":
                DataExportPart.objects.filter(export_id=export_id, token=token).delete()
                return "superseded"
            now = timezone.now()
            current.status = DataExport.Status.READY
            current.size = size
            current.progress = 100
            current.finished_at = now
            current.expires_at = now + timedelta(days=DataExport.EXPIRES_DAYS)
            current.save()
            # One file: parts of any other run of this export, and the person's older exports.
            DataExportPart.objects.filter(export_id=export_id).exclude(token=token).delete()
            DataExport.objects.filter(user_id=current.user_id).exclude(pk=export_id).exclude(
                status__in=DataExport.PENDING
            ).delete()
            schedule_expiry(current)
    except Exception:
        log.exception("export %s (attempt %s) failed", export_id, attempt)
        DataExportPart.objects.filter(export_id=export_id, token=token).delete()
        if attempt < MAX_ATTEMPTS:
            # Marked before the next attempt is enqueued: a backend that runs jobs at once
            # (the unit tests') runs it inside retry_later.
            with translation.override(language):
                message = _(
                    "Something went wrong while preparing your export. Trying again shortly."
                )
            still_ours = DataExport.objects.filter(pk=export_id, token=token).update(
                status=DataExport.Status.QUEUED, message=message
            )
            if still_ours:  # else another run holds it, or it was given up: no retry
                retry_later(prepare_data_export, attempt, export_id)
        else:
            with translation.override(language):
                message = _(
                    "Something went wrong while preparing your export, so there is no file "
                    "(tried %(n)s times). Try again later."
                ) % {"n": attempt}
            DataExport.objects.filter(pk=export_id, token=token).update(
                status=DataExport.Status.FAILED, finished_at=timezone.now(), message=message
            )
        raise
    return "ready"


def schedule_expiry(export: DataExport) -> None:
    """A job at the export's expiry that deletes it. A backend that cannot run a job later
    (the unit tests') gets none: the page and the command delete it instead."""
    if delete_expired_export.get_backend().supports_defer:
        transaction.on_commit(
            lambda: delete_expired_export.using(run_after=export.expires_at).enqueue(export.pk)
        )


@task()
def delete_expired_export(export_id: int) -> str:
    deleted, _rows = DataExport.objects.filter(
        pk=export_id, expires_at__lte=timezone.now()
    ).delete()
    return "deleted" if deleted else "not expired"


def delete_expired(user: User | None = None) -> int:
    """Delete ready exports past their expiry (of ``user``, or everyone's); how many."""
    expired = DataExport.objects.filter(expires_at__lte=timezone.now())
    if user is not None:
        expired = expired.filter(user=user)
    return expired.delete()[1].get(DataExport._meta.label, 0)


class ExportFile(io.RawIOBase):
    """A ready export's bytes as a read-only, seekable file, one part in memory at a time:
    what ``FileResponse`` and ``core.byteranges.file_response`` read."""

    def __init__(self, export: DataExport):
        super().__init__()
        self.export_id = export.pk
        self.token = export.token
        self.size = export.size
        self.position = 0
        self._part_number = None
        self._part = b""

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.position

    def seek(self, offset, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def _load(self, number):
        if self._part_number != number:
            self._part = bytes(
                DataExportPart.objects.values_list("data", flat=True).get(
                    export_id=self.export_id, token=self.token, number=number
                )
            )
            self._part_number = number
        return self._part

    def readinto(self, buffer):
        if self.position >= self.size:
            return 0
        number, start = divmod(self.position, PART_BYTES)
        part = self._load(number)
        data = part[start : start + len(buffer)]
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)
