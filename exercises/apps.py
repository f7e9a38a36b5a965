from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = "Exercise library"

    def ready(self):
        from exercises import signals  # noqa: F401  (connects cache invalidation)
