from django.apps import AppConfig


class RunsConfig(AppConfig):
    """The running log: runs (done and planned), races, and file imports."""

    name = "runs"
    verbose_name = "Running log"
