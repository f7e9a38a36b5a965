"""WSGI entry point for gunicorn: `gunicorn homestrength.wsgi`."""

import os

from core.wsgi import get_wsgi_application  # Django's, refusing unreadable charsets

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homestrength.settings")

application = get_wsgi_application()
