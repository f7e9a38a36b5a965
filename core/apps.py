from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Site-wide pages: the home page, the health check and error pages."""

    name = "core"
