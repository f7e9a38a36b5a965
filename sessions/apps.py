from django.apps import AppConfig


class WorkoutSessionsConfig(AppConfig):
    # Django's own session framework owns the label "sessions"; commands take this label:
    # `manage.py makemigrations workout_sessions`.
    name = "sessions"
    label = "workout_sessions"
    verbose_name = "Workout sessions"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from accounts import export
        from accounts.models import CoachLink
        from runs.models import Run
        from sessions.export import (
            checkins_section,
            count_sets,
            progress_section,
            sets_csv_rows,
            workouts_section,
        )
        from sessions.models import (
            AthleteData,
            bump_on_delete,
            bump_on_link_change,
            bump_on_run_change,
        )

        export.register_section("checkins", checkins_section)
        export.register_section("workouts", workouts_section)
        export.register_section("ladder_progress", progress_section)
        export.register_table("sets", sets_csv_rows, count_sets)

        # Every model of an athlete's training data, whichever app defines it.
        for model in apps.get_models():
            if issubclass(model, AthleteData):
                post_delete.connect(bump_on_delete, sender=model, dispatch_uid=f"bump-{model}")
        post_save.connect(bump_on_link_change, sender=CoachLink, dispatch_uid="bump-link")
        post_delete.connect(bump_on_link_change, sender=CoachLink, dispatch_uid="bump-link-gone")
        post_save.connect(bump_on_run_change, sender=Run, dispatch_uid="bump-run")
        post_delete.connect(bump_on_run_change, sender=Run, dispatch_uid="bump-run-gone")
