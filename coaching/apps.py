from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = "Coaching"

    def ready(self):
        # Coaching builds on sessions and plugs in here; sessions never imports coaching.
        from coaching.extension import CoachingExtension
        from sessions import extension

        extension.register(CoachingExtension())
