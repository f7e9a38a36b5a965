"""People: a custom user that logs in by email and carries the training profile."""

import secrets
import zoneinfo
from datetime import date, timedelta

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


def validate_timezone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class User(AbstractUser):
    """An athlete (and, with ``is_coach``, a coach). Email is the login."""

    class Units(models.TextChoices):
        KG = "kg", _("Kilograms (kg)")
        LB = "lb", _("Pounds (lb)")

    username = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    units = models.CharField(_("units"), max_length=2, choices=Units, default=Units.KG)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    # Empty until the person has a language: the one they signed up in, or their choice.
    # Empty, pages follow the browser (accounts.middleware.LanguageMiddleware).
    language = models.CharField(_("language"), max_length=8, blank=True, default="")
    equipment = models.ManyToManyField(
        "exercises.Equipment", blank=True, related_name="+", verbose_name=_("home equipment")
    )
    dumbbells_kg = models.JSONField(
        _("dumbbell weights (kg)"),
        default=list,
        blank=True,
        help_text=_("The weights of the dumbbells you own, in kg."),
    )
    weekly_km = models.PositiveSmallIntegerField(
        _("typical weekly running distance (km)"), null=True, blank=True
    )
    hard_run_days = models.JSONField(
        _("usual hard-run days"),
        default=list,
        blank=True,
        help_text=_("Weekdays, 0 = Monday."),
    )
    is_coach = models.BooleanField(_("I coach athletes"), default=False)
    # When the first-run steps were finished or skipped (onboarding app); empty until then.
    # Accounts made before the steps existed count as done (migration 0005), so nobody who
    # already trains is sent through them.
    onboarded_at = models.DateTimeField(_("set-up finished on"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(units__in=["kg", "lb"]), name="user_units_valid"
            ),
        ]

    def __str__(self):
        return self.display_name or self.email

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The profile's time zone; UTC if the stored name is not one (never an error)."""
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def local_today(self, now=None) -> date:
        """Today's date where the user lives."""
        return timezone.localtime(now or timezone.now(), self.zone).date()

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    def coached_athletes(self):
        """Athletes this user may see as their coach: an active link and the coach switch on.

        The coach area is scoped by this query, so ending a link (or switching off "I coach
        athletes") removes access on the very next request. A coach reads other people's
        training, so until they set up a second login step they coach nobody: every page
        that reaches an athlete through this query (run log, assigning, comments) is closed,
        not only the pages behind ``coach_required``.
        """
        from allauth.mfa.models import Authenticator

        if not self.is_coach:
            return User.objects.none()
        # The second step is part of the same query (allauth.mfa's own test is one more).
        second_step = Authenticator.objects.filter(user_id=self.pk)
        return User.objects.filter(
            models.Exists(second_step),
            links_as_athlete__coach=self,
            links_as_athlete__ended_at__isnull=True,
        )

    def has_second_step(self) -> bool:
        """An authenticator app or a passkey is set up (allauth.mfa).

        Asked once per loaded row and kept on it, so the copy of a coach's row in the user
        cache carries the answer (``accounts.middleware.get_user``): a coach's page makes no
        query for it. Adding or removing an authenticator drops that copy
        (``forget_authenticator_owner``)."""
        if "_second_step" not in self.__dict__:
            from allauth.mfa.utils import is_mfa_enabled

            self.__dict__["_second_step"] = is_mfa_enabled(self)
        return self.__dict__["_second_step"]

    def coaches(self):
        """Coaches with an active link to this athlete (whether or not their area is on)."""
        return User.objects.filter(
            links_as_coach__athlete=self, links_as_coach__ended_at__isnull=True
        )

    def can_coach(self, athlete) -> bool:
        return self.coached_athletes().filter(pk=athlete.pk).exists()

    def delete_account(self):
        """Remove the person and every record about them.

        Links, invitations they sent and their training cascade with the row; invitations
        a coach addressed to their email are removed too, since they name them.
        """
        with transaction.atomic():
            Invitation.objects.filter(email__iexact=self.email).delete()
            self.delete()


class CoachLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class CoachLink(models.Model):
    """An athlete's explicit consent for one coach to see their training.

    Ended links are kept (with who ended them) so the history stays readable; only an
    active link grants access.
    """

    coach = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="links_as_coach", verbose_name=_("coach")
    )
    athlete = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="links_as_athlete",
        verbose_name=_("athlete"),
    )
    created = models.DateTimeField(_("linked on"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended on"), null=True, blank=True)
    ended_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )

    objects = CoachLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["coach", "athlete"],
                condition=Q(ended_at__isnull=True),
                name="coachlink_one_active_per_pair",
            ),
            models.CheckConstraint(condition=~Q(coach=F("athlete")), name="coachlink_not_self"),
        ]

    def __str__(self):
        return f"{self.coach} coaches {self.athlete}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def end(self, by):
        """End the link now; ending an already ended link changes nothing."""
        if self.ended_at is not None:
            return
        self.ended_at = timezone.now()
        self.ended_by = by
        self.save(update_fields=["ended_at", "ended_by"])


INVITATION_DAYS = 14


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(used_at=None, declined_at=None, expires_at__gt=timezone.now())

    def answered(self):
        return self.exclude(used_at=None, declined_at=None)


class Invitation(models.Model):
    """A single-use link a coach sends to an athlete; accepting it creates a CoachLink.

    It is bound to the invited address unless the coach made it an open link.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")

    coach = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="invitations_sent",
        verbose_name=_("coach"),
    )
    token = models.CharField(
        max_length=64, unique=True, db_index=True, default=new_invitation_token, editable=False
    )
    email = models.EmailField(_("athlete's email"), blank=True)
    # Off: only the account that confirmed ``email`` may answer. On: whoever holds the link.
    open_link = models.BooleanField(
        _("anyone with this link can join"),
        default=False,
        help_text=_(
            "Use it when you do not know which address your athlete signs up with. "
            "The link still works once."
        ),
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), blank=True)
    used_at = models.DateTimeField(_("accepted on"), null=True, blank=True)
    # Deleting the athlete who accepted removes the invitation too: it names them.
    used_by = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    declined_at = models.DateTimeField(_("declined on"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(declined_at__isnull=True),
                name="invitation_accepted_or_declined_not_both",
            ),
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(used_by__isnull=False),
                name="invitation_accepted_by_someone",
            ),
        ]

    def __str__(self):
        return f"invitation from {self.coach} ({self.state})"

    def save(self, *args, **kwargs):
        if self.expires_at is None:
            self.expires_at = self.created + timedelta(days=INVITATION_DAYS)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("accounts:invitation_detail", args=[self.token])

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    @property
    def state(self) -> str:
        if self.used_at is not None:
            return self.State.ACCEPTED
        if self.declined_at is not None:
            return self.State.DECLINED
        if self.is_expired():
            return self.State.EXPIRED
        return self.State.PENDING

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING

    def is_for(self, user) -> bool:
        """An open link is for anyone; otherwise for the account that confirmed the address.

        A link gets forwarded, pasted into chats and read over shoulders; the address is
        what the coach chose, and only its confirmed owner can prove to be that person.
        """
        if self.open_link:
            return True
        if not self.email:
            return False
        from allauth.account.models import EmailAddress

        return EmailAddress.objects.filter(
            user=user, email__iexact=self.email, verified=True
        ).exists()

    @property
    def email_hint(self) -> str:
        """The invited address with the name hidden ("a…@example.com"), for link holders."""
        name, _at, domain = self.email.partition("@")
        return f"{name[:1]}…@{domain}"

    def accept(self, athlete) -> tuple[CoachLink, bool]:
        """Link the coach and the athlete; returns the link and whether it is new.

        Call inside a transaction holding this row (``select_for_update``) so two taps on
        "Accept" cannot both pass the pending check. An existing active link is reused:
        the partial unique constraint guarantees there is never a second one.
        """
        if not self.is_pending:
            raise ValueError(f"invitation is {self.state}")
        if athlete.pk == self.coach_id:
            raise ValueError("a coach cannot accept their own invitation")
        if not self.is_for(athlete):
            raise ValueError("the invitation is not for this account")
        link, created = CoachLink.objects.active().get_or_create(
            coach_id=self.coach_id, athlete=athlete
        )
        self.used_at = timezone.now()
        self.used_by = athlete
        self.save(update_fields=["used_at", "used_by"])
        return link, created

    def decline(self):
        if not self.is_pending:
            raise ValueError(f"invitation is {self.state}")
        self.declined_at = timezone.now()
        self.save(update_fields=["declined_at"])


TEAM_LINK_MAX_USES = 200
TEAM_LINK_MAX_DAYS = 90


class TeamLinkQuerySet(models.QuerySet):
    def open(self, now=None):
        """Links that still let people join: not revoked, not expired, not full."""
        now = now or timezone.now()
        return self.filter(revoked_at=None, expires_at__gt=now, uses__lt=F("max_uses"))


class TeamLink(models.Model):
    """A link a coach shares with a whole team: each person who joins through it is linked.

    Unlike an ``Invitation`` it is for no one address and works more than once, so the
    coach bounds it: at most ``max_uses`` people, until ``expires_at``, and revoking it
    stops it at once. Every person still sees who is inviting them and chooses to join.
    """

    coach = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="team_links", verbose_name=_("coach")
    )
    token = models.CharField(
        max_length=64, unique=True, default=new_invitation_token, editable=False
    )
    max_uses = models.PositiveSmallIntegerField(_("how many people can join"))
    uses = models.PositiveSmallIntegerField(_("joined"), default=0)
    created = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("works until"))
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)

    objects = TeamLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_uses__gte=1, max_uses__lte=TEAM_LINK_MAX_USES),
                name="teamlink_max_uses_1_to_200",
            ),
            models.CheckConstraint(
                condition=Q(uses__lte=F("max_uses")), name="teamlink_uses_within_cap"
            ),
        ]

    def __str__(self):
        return f"team link of {self.coach} ({self.uses}/{self.max_uses})"

    def get_absolute_url(self):
        return reverse("accounts:team_link_detail", args=[self.token])

    @property
    def is_open(self) -> bool:
        return (
            self.revoked_at is None
            and timezone.now() < self.expires_at
            and self.uses < self.max_uses
        )

    @property
    def closed_reason(self) -> str:
        """Why it no longer works ("" while it does), for the coach and the visitor."""
        if self.revoked_at is not None:
            return "revoked"
        if timezone.now() >= self.expires_at:
            return "expired"
        if self.uses >= self.max_uses:
            return "full"
        return ""

    def join(self, athlete) -> tuple[CoachLink, bool]:
        """Link the coach and the athlete; returns the link and whether it is new.

        Call inside a transaction holding this row (``select_for_update``), so two people
        joining at once cannot both take the last place. Someone already coached by this
        coach takes no place: tapping "Join" twice counts once. A closed link (revoked,
        expired, full) raises ValueError for everyone.
        """
        if not self.is_open:
            raise ValueError(f"team link is {self.closed_reason}")
        if athlete.pk == self.coach_id:
            raise ValueError("a coach cannot join their own team link")
        existing = CoachLink.objects.active().filter(coach_id=self.coach_id, athlete=athlete)
        link = existing.first()
        if link is not None:
            return link, False
        link = CoachLink.objects.create(coach_id=self.coach_id, athlete=athlete)
        self.uses = F("uses") + 1
        self.save(update_fields=["uses"])
        self.refresh_from_db(fields=["uses"])
        return link, True

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class DataExport(models.Model):
    """One prepared copy of everything about a person (``accounts.export``), as a zip of
    ``data.json`` and ``sets.csv``, written by a background job (accounts/export_jobs.py).

    The file's bytes are kept in the database, in parts of ``DataExportPart`` (the database
    is what every host and worker shares, as for uploaded activity files), never under the
    public media folder; only the owner's download view reads them. A ready export is
    deleted ``EXPIRES_DAYS`` after it was written, and with its owner.
    """

    EXPIRES_DAYS = 7

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    PENDING = (Status.QUEUED, Status.RUNNING)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    message = models.CharField(max_length=300, blank=True)
    # The language of the page the person asked from: the job has no request
    # (core.languages.language_of).
    language = models.CharField(max_length=10, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent, by section written
    # The attempt whose parts are the file: a second run of the same job writes its own
    # parts, and only the run that still holds the token when it finishes keeps them.
    token = models.UUIDField(null=True, blank=True, editable=False)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="data_export_recent")]
        constraints = [
            # At most one export waiting or being written per person: a double-tapped or
            # retried "Prepare" finds the one there is.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["queued", "running"]),
                name="data_export_one_pending",
            )
        ]

    def __str__(self):
        return f"{self.user} export {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING

    def filename(self) -> str:
        moment = timezone.localtime(self.finished_at or self.created_at, self.user.zone)
        return f"homestrength-export-{moment:%Y-%m-%d}.zip"


class DataExportPart(models.Model):
    """One piece of a prepared export's zip, in order (``number``), of at most
    ``accounts.export_jobs.PART_BYTES``: the download reads one piece at a time."""

    export = models.ForeignKey(DataExport, on_delete=models.CASCADE, related_name="parts")
    token = models.UUIDField()
    number = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["export", "token", "number"], name="data_export_part_unique"
            )
        ]

    def __str__(self):
        return f"{self.export_id} part {self.number}"
