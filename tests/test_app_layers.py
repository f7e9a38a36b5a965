"""The apps are layers: none imports an app that imports it back, and views stay apart.

The graph is read from the source — every module of each app but its migrations, imports
inside functions included, so a cycle cannot hide in a function body — plus the app
lookups by name (``import_module``, ``apps.get_model``) and the templates each app's
templates include or extend. No database.
"""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
TEMPLATE_TAG = re.compile(r"""{%\s*(?:include|extends)\s+["']([\w-]+)/""")


def project_apps() -> dict[str, Path]:
    """{package name: directory} of the installed apps that live in this repository."""
    found = {}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.parent == ROOT:
            found[config.name] = path
    return found


APPS = project_apps()
LABELS = {config.label: config.name for config in apps.get_app_configs() if config.name in APPS}


def app_of(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in APPS else None


def is_view_module(module: str) -> bool:
    parts = module.split(".")
    return len(parts) >= 2 and parts[0] in APPS and parts[1] == "views"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def sources(app: str) -> Iterator[tuple[str, Path]]:
    for path in sorted(APPS[app].rglob("*.py")):
        if "migrations" not in path.relative_to(APPS[app]).parts:
            yield module_name(path), path


def imported(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """(module, line) for everything ``path`` imports or looks up by name."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base, node.lineno
            for alias in node.names:  # ``from coaching import views`` imports coaching.views
                yield f"{base}.{alias.name}", node.lineno
        elif isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            if name == "import_module":
                yield first.value, node.lineno
            elif name == "get_model":
                label = first.value.split(".")[0]
                yield LABELS.get(label, label), node.lineno


def import_edges() -> dict[tuple[str, str], str]:
    """{(app, other app): where}, from modules and templates."""
    edges = {}
    for app in APPS:
        for module, path in sources(app):
            for target, line in imported(module, path):
                other = app_of(target)
                if other is not None and other != app:
                    edges.setdefault((app, other), f"{path.relative_to(ROOT)}:{line} {target}")
        for template in sorted((TEMPLATES / app).rglob("*.html")):
            for match in TEMPLATE_TAG.finditer(template.read_text(encoding="utf-8")):
                other = match[1]
                if other in APPS and other != app:
                    where = f"{template.relative_to(ROOT)} {match[0]}"
                    edges.setdefault((app, other), where)
    return edges


def find_cycle(edges) -> list[str] | None:
    """One cycle of apps as [a, b, …, a], or None."""
    nodes = {app for pair in edges for app in pair}
    graph = {app: sorted(b for a, b in edges if a == app) for app in nodes}

    def walk(path):
        for other in graph[path[-1]]:
            if other == path[0]:
                return [*path, other]
            if other not in path:
                found = walk([*path, other])
                if found:
                    return found
        return None

    for app in sorted(nodes):
        found = walk([app])
        if found:
            return found
    return None


def test_it_reads_the_imports_of_every_app():
    assert {"accounts", "exercises", "sessions", "coaching", "runs", "core"} <= set(APPS)
    edges = import_edges()
    assert edges[("coaching", "sessions")]  # coaching builds on sessions
    assert ("sessions", "exercises") in edges


def test_it_finds_a_cycle_through_any_number_of_apps():
    chain = {("a", "b"): "", ("b", "c"): "", ("c", "d"): ""}
    assert find_cycle(chain) is None
    assert find_cycle({**chain, ("d", "b"): ""}) == ["b", "c", "d", "b"]
    assert find_cycle({**chain, ("b", "a"): ""}) == ["a", "b", "a"]


def test_it_has_no_import_cycle_between_apps():
    edges = import_edges()
    cycle = find_cycle(edges)
    assert cycle is None, (
        " -> ".join(cycle)
        + ": "
        + "; ".join(edges[pair] for pair in zip(cycle, cycle[1:], strict=False))
    )


def test_it_keeps_sessions_free_of_coaching():
    edges = import_edges()
    assert ("sessions", "coaching") not in edges, edges.get(("sessions", "coaching"))


def test_it_imports_no_view_module_from_another_view_module():
    """Helpers two pages share live in a module of the app that owns the data."""
    found = []
    for app in APPS:
        for module, path in sources(app):
            if not is_view_module(module):
                continue
            for target, line in imported(module, path):
                if is_view_module(target) and target != module:
                    found.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert not found, found
