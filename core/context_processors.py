"""Which menu entry is the current page, for templates/includes/nav_items.html.

The menu is rendered once per entry, role and language and kept in the "pages" cache (it
was about a fifth of a cached logged-in page); the current page is all it varies by.
"""

from functools import cache

from django.urls import get_script_prefix, reverse

MENU = (
    "exercises:list",
    "today",
    "workout_sessions:list",
    "runs:list",
    "coaching:calendar",
    "coaching:dashboard",
    "accounts:invitation_list",
    "accounts:profile",
)


@cache
def menu_paths(script_prefix: str) -> dict[str, str]:
    return {reverse(name): name for name in MENU}


def navigation(request):
    return {"nav_active": menu_paths(get_script_prefix()).get(request.path, "")}
