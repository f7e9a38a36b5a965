from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = "Coaching"

    def ready(self):
        # Coaching builds on sessions and plugs in here; sessions never imports coaching.
        from accounts import export
        from coaching.export import (
            assignments_section,
            comments_section,
            groups_section,
            routines_section,
        )
        from coaching.extension import CoachingExtension
        from sessions import extension

        extension.register(CoachingExtension())
        export.register_section("routines", routines_section)
        export.register_section("assignments", assignments_section)
        export.register_section("comments_written", comments_section)
        export.register_section("groups", groups_section)
