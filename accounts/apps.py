from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from accounts.middleware import forget_user, remember_user

        user = get_user_model()
        post_save.connect(forget_user, sender=user, dispatch_uid="forget_saved_user")
        post_delete.connect(forget_user, sender=user, dispatch_uid="forget_deleted_user")
        # Connected after django.contrib.auth's update_last_login (an earlier app).
        user_logged_in.connect(remember_user, dispatch_uid="remember_logged_in_user")
