"""Email through a background job: ``EMAIL_BACKEND`` is ``QueuedEmailBackend``.

Sending happens in the job worker, not in the web request that asked for it (a slow or
unreachable mail server no longer holds a page), through the backend named by
``EMAIL_DELIVERY_BACKEND`` (the ``EMAIL_BACKEND`` environment variable: SMTP in production,
the console for ``make run``). Each email is an ``OutgoingEmail`` row and one job; a failed
send is tried again with back-off (``core.jobs``), and after the last try the row says why.
A sent email's row is deleted.
"""

import base64
import logging

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django_tasks import task

from core.jobs import MAX_ATTEMPTS, retry_later
from core.models import OutgoingEmail

log = logging.getLogger(__name__)


def to_json(message: EmailMessage) -> dict:
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        raw = content.encode() if isinstance(content, str) else bytes(content)
        attachments.append([filename, base64.b64encode(raw).decode(), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(k): str(v) for k, v in message.extra_headers.items()},
        "alternatives": [[str(c), m] for c, m in getattr(message, "alternatives", [])],
        "attachments": attachments,
    }


def from_json(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in data["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        count = 0
        with transaction.atomic():
            for message in email_messages:
                if not message.recipients():
                    continue
                email = OutgoingEmail.objects.create(
                    subject=str(message.subject)[:300],
                    recipients=", ".join(message.recipients()),
                    message=to_json(message),
                )
                send_email.enqueue(email.pk)
                count += 1
        return count


@task()
def send_email(email_id: int, attempt: int = 1) -> str:
    """Send one queued email once: claimed first, so a second run of the job sends nothing."""
    claimed = OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.PENDING)
    if not claimed.update(status=OutgoingEmail.Status.SENDING, attempts=attempt):
        return "sent before"
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        connection = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)
        connection.send_messages([from_json(email.message)])
    except Exception as error:
        log.exception("sending email %s (attempt %s) failed", email_id, attempt)
        reason = f"{type(error).__name__}: {error}"[:500]
        last = attempt >= MAX_ATTEMPTS
        OutgoingEmail.objects.filter(pk=email_id).update(
            status=OutgoingEmail.Status.FAILED if last else OutgoingEmail.Status.PENDING,
            error=reason,
        )
        if not last:
            retry_later(send_email, attempt, email_id)
        raise
    # Sent: nothing of it is kept (its content may hold a login code, and its address is
    # personal data); a second run of this job finds no pending row and sends nothing.
    OutgoingEmail.objects.filter(pk=email_id).delete()
    return "sent"
