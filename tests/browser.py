"""Helpers for browser tests."""

from django.conf import settings
from django.test import Client


def log_in(page, user, live_server):
    """Start the browser already logged in as ``user`` (the login form has its own tests)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
