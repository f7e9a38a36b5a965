"""Outgoing email, kept until a background job has sent it (core/mail.py)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """One email handed to the queue, until it is sent (then the row is deleted).

    A job claims a pending email before sending it, so a job that runs twice sends once;
    one that fails is tried again with back-off, and after the last try the email stays
    here as failed, with the reason, for staff to see in the admin (never its content).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        FAILED = "failed", _("Failed")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    subject = models.CharField(max_length=300, blank=True)
    recipients = models.TextField(blank=True)  # kept for the admin after the content goes
    message = models.JSONField(default=dict)  # may hold login codes: the admin never shows it
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="outgoing_email_status")]

    def __str__(self):
        return f"{self.subject} → {self.recipients} ({self.status})"
