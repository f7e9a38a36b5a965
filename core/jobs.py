"""Background jobs: Django's Tasks API (the ``django-tasks`` backport of Django 6's
``django.tasks``), on the database backend of ``django-tasks-db`` (README, "Background
jobs").

Django's Tasks do not retry by themselves. A job that fails for a reason that may pass (a
database error, a mail server that does not answer) calls ``retry_later``, which enqueues
the same job again after a growing pause, ``RETRY_DELAYS``, until ``MAX_ATTEMPTS`` are used
up; then the job records the failure where its user sees it, with a reason. Each job is
written so that running it twice stores once: it first checks, under a row lock, whether
its work is already done.
"""

from datetime import timedelta

from django.utils import timezone

# Seconds before the 2nd, 3rd and 4th attempt.
RETRY_DELAYS = (10, 60, 300)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def retry_later(task, attempt: int, *args) -> bool:
    """Enqueue ``task(*args, attempt=attempt + 1)`` after its back-off; False when
    ``attempt`` was the last one allowed (nothing is enqueued then).

    A backend that cannot run a job later (the immediate backend of the unit tests) runs
    the next attempt at once.
    """
    if attempt >= MAX_ATTEMPTS:
        return False
    delay = timedelta(seconds=RETRY_DELAYS[attempt - 1])
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(*args, attempt=attempt + 1)
    return True
