"""One decorator order on every view, so a reader knows where to look for each rule.

Outermost first: what the response is allowed to reveal (``sensitive_post_parameters``,
``never_cache``), then which methods are accepted, then who may ask, then anything else.
A method refused answers 405 before the login check, the same for everyone.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VIEW_MODULES = sorted(
    path
    for pattern in ("*/views.py", "*/views/*.py")
    for path in ROOT.glob(pattern)
    if ".venv" not in path.parts
)
RANKS = {
    "sensitive_post_parameters": 0,
    "never_cache": 1,
    "require_GET": 2,
    "require_POST": 2,
    "require_http_methods": 2,
    "login_required": 3,
    "coach_required": 3,
}
OTHERS = 4


def decorator_name(node) -> str:
    node = node.func if isinstance(node, ast.Call) else node
    return node.attr if isinstance(node, ast.Attribute) else node.id


def out_of_order(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and len(node.decorator_list) > 1:
            names = [decorator_name(d) for d in node.decorator_list]
            ranks = [RANKS.get(name, OTHERS) for name in names]
            if ranks != sorted(ranks):
                found.append(f"{node.name}: {' > '.join(names)}")
    return found


def test_it_finds_the_view_modules():
    assert {p.relative_to(ROOT).as_posix() for p in VIEW_MODULES} >= {
        "sessions/views.py",
        "coaching/views/coach.py",
        "accounts/views.py",
    }


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_view_has_its_decorators_in_the_one_order(path):
    assert out_of_order(path.read_text()) == []


def test_it_sees_a_login_check_above_the_method_check():
    source = "@login_required\n@require_GET\ndef page(request): ...\n"
    assert out_of_order(source) == ["page: login_required > require_GET"]
