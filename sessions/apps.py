from django.apps import AppConfig


class WorkoutSessionsConfig(AppConfig):
    # Django's own session framework owns the label "sessions"; commands take this label:
    # `manage.py makemigrations workout_sessions`.
    name = "sessions"
    label = "workout_sessions"
    verbose_name = "Workout sessions"

    def ready(self):
        from accounts import export
        from sessions.export import (
            checkins_section,
            progress_section,
            sets_csv_rows,
            workouts_section,
        )

        export.register_section("checkins", checkins_section)
        export.register_section("workouts", workouts_section)
        export.register_section("ladder_progress", progress_section)
        export.register_table("sets", sets_csv_rows)
