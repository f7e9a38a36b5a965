from django.apps import AppConfig


class WorkoutSessionsConfig(AppConfig):
    # Django's own session framework owns the label "sessions"; commands take this label:
    # `manage.py makemigrations workout_sessions`.
    name = "sessions"
    label = "workout_sessions"
    verbose_name = "Workout sessions"
