"""The background job that reads an uploaded activity file into the running log.

The upload (runs.views.run_import) stores each file as an ``ActivityImport`` and enqueues
``import_activity_file`` for it, in the same transaction (the jobs are rows of the same
database), then answers at once; the runs pages show each file's state.
"""

import logging
from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.jobs import MAX_ATTEMPTS, retry_later
from core.languages import language_of
from runs.files import finish, max_file_bytes, read_into_log
from runs.models import ActivityImport

log = logging.getLogger(__name__)

# Files of one athlete waiting or being read at once: more uploads meanwhile are refused.
PENDING_LIMIT_FILES = 40


def queue_imports(athlete, uploads, language: str = "") -> list[ActivityImport]:
    """One ``ActivityImport`` per uploaded file, each with its job enqueued; a file over
    the size limit is refused at once, without keeping a byte of it. The job writes its
    messages in ``language``, the page's the files were sent from."""
    items = []
    with transaction.atomic():
        for upload in uploads:
            name = PurePath(upload.name or "").name[:120] or _("(no name)")
            item = ActivityImport(athlete=athlete, name=name, language=language)
            if upload.size > max_file_bytes():
                item.save()
                finish(item, ActivityImport.Status.REFUSED, too_large_message())
                item.refresh_from_db()
            else:
                item.data = upload.read()
                item.save()
                # In the same transaction: the job exists exactly when its file does.
                import_activity_file.enqueue(item.pk)
                item.refresh_from_db()  # a backend that runs jobs at once has finished it
            items.append(item)
    return items


def too_large_message() -> str:
    return _("This file is larger than %(mb)s MB.") % {"mb": settings.MAX_RUN_FILE_MB}


@task()
def import_activity_file(import_id: int, attempt: int = 1) -> str:
    """Read one uploaded file into its athlete's log; retried with back-off when something
    unexpected fails, and marked failed, with a reason, after the last attempt."""
    item = ActivityImport.objects.filter(pk=import_id).select_related("athlete").first()
    if item is None or item.is_finished:
        return "finished before"  # deleted with its athlete, or a second run of this job
    # The worker has no request: the messages it stores are in the language the files were
    # sent in, else the athlete's profile's.
    language = language_of(item.athlete, item.language)
    with translation.override(language):
        return read_file(item, import_id, attempt)


def read_file(item, import_id: int, attempt: int) -> str:
    ActivityImport.objects.filter(pk=import_id, status__in=["queued", "reading"]).update(
        status=ActivityImport.Status.READING, attempts=attempt, message=""
    )
    try:
        read_into_log(item)
    except Exception:
        log.exception("reading %r (import %s, attempt %s) failed", item.name, import_id, attempt)
        if attempt < MAX_ATTEMPTS:
            # Marked before the next attempt is enqueued: a backend that runs jobs at once
            # (the unit tests') runs it inside retry_later.
            ActivityImport.objects.filter(pk=import_id, status="reading").update(
                status=ActivityImport.Status.QUEUED,
                message=_("Something went wrong while reading this file. Trying again shortly."),
            )
            retry_later(import_activity_file, attempt, import_id)
        else:
            finish(
                item,
                ActivityImport.Status.FAILED,
                _(
                    "Something went wrong with this file, so it was not stored (tried "
                    "%(n)s times). Try it again later."
                )
                % {"n": attempt},
            )
        raise
    return "read"
