from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Site-wide pages: the home page, the health check and error pages."""

    name = "core"

    def ready(self):
        from django.urls import register_converter

        from core.converters import IdConverter

        # Before any URLconf is imported: every app's urls.py uses <id:...>.
        register_converter(IdConverter, "id")
