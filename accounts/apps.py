from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from allauth.mfa.models import Authenticator
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.db.models.signals import post_delete, post_save

        from accounts.middleware import (
            forget_authenticator_owner,
            forget_device,
            forget_user,
            remember_user,
        )

        user = get_user_model()
        post_save.connect(forget_user, sender=user, dispatch_uid="forget_saved_user")
        post_delete.connect(forget_user, sender=user, dispatch_uid="forget_deleted_user")
        post_save.connect(
            forget_authenticator_owner, sender=Authenticator, dispatch_uid="forget_added_mfa"
        )
        post_delete.connect(
            forget_authenticator_owner, sender=Authenticator, dispatch_uid="forget_removed_mfa"
        )
        # Connected after django.contrib.auth's update_last_login (an earlier app).
        user_logged_in.connect(remember_user, dispatch_uid="remember_logged_in_user")
        user_logged_out.connect(forget_device, dispatch_uid="forget_device_on_logout")


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the site from accounts/admin_site.py (behind the app's login)."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "accounts.admin_site.AdminSite"

    def ready(self):
        from django.contrib.admin import options
        from django.db import models

        from core.fields import ModelMultipleChoiceField

        # Every model admin and inline starts from these defaults, Django's own user and group
        # admins included: a many-to-many select then refuses an id past 64 bits with a form
        # error, where Django's field let SQLite raise OverflowError (a 500).
        options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.ManyToManyField] = {
            "form_class": ModelMultipleChoiceField
        }
        super().ready()  # registers the model admins, which copy the defaults
