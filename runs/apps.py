from django.apps import AppConfig


class RunsConfig(AppConfig):
    """The running log: runs (done and planned), races, and file imports."""

    name = "runs"
    verbose_name = "Running log"

    def ready(self):
        from accounts import export
        from runs.export import imports_section, races_section, runs_section

        export.register_section("runs", runs_section)
        export.register_section("races", races_section)
        export.register_section("run_imports", imports_section)
