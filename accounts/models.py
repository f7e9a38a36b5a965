"""People: a custom user that logs in by email and carries the training profile."""

import zoneinfo

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
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
    language = models.CharField(_("language"), max_length=8, default="en")
    equipment = models.ManyToManyField(
        "exercises.Equipment", blank=True, related_name="+", verbose_name=_("home equipment")
    )
    dumbbells_kg = models.JSONField(
        _("dumbbell weights (kg)"), default=list, blank=True,
        help_text=_("The weights of the dumbbells you own, in kg."),
    )
    weekly_km = models.PositiveSmallIntegerField(
        _("typical weekly running distance (km)"), null=True, blank=True
    )
    hard_run_days = models.JSONField(
        _("usual hard-run days"), default=list, blank=True,
        help_text=_("Weekdays, 0 = Monday."),
    )
    is_coach = models.BooleanField(_("I coach athletes"), default=False)

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
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]
