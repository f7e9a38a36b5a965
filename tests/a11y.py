"""Accessibility checks with axe-core in the real browser."""

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()
BLOCKING = {"serious", "critical"}


def assert_accessible(page, context: str = ""):
    """Fail on any serious or critical axe-core violation, listing each with its nodes."""
    _settle(page)
    results = _axe.run(page)
    violations = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"axe found problems on {context or page.url}:\n{report}"


def _settle(page):
    """Wait until the page a click has just opened is loaded.

    A click that follows a link returns once the new document is committed, before it
    has an element: read at that moment, `document.documentElement` is null.
    """
    page.wait_for_load_state("load")


def assert_no_horizontal_scroll(page):
    _settle(page)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"page scrolls sideways by {overflow}px on {page.url}"
