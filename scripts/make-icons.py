"""Render the app icons (static/img/icons/*.png) from their SVG sources with Chromium.

Run after changing an SVG: `.venv/bin/python scripts/make-icons.py`. It drives Debian's
Chromium (/usr/bin/chromium, or $CHROMIUM) through Playwright, a dev dependency, and
writes the PNGs that the web app manifest (core/views.py, `manifest`) names.
"""

import os
from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parent.parent / "static" / "img" / "icons"
# (source SVG, size in px, PNG written)
RENDERS = [
    ("icon.svg", 192, "icon-192.png"),
    ("icon.svg", 512, "icon-512.png"),
    ("icon-maskable.svg", 512, "icon-maskable-512.png"),
    ("icon-maskable.svg", 180, "apple-touch-icon.png"),
]


def main():
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for source, size, target in RENDERS:
            page = browser.new_page(viewport={"width": size, "height": size})
            svg = (ICONS / source).read_text()
            page.set_content(
                "<!doctype html><style>html,body{margin:0;background:transparent}"
                f"svg{{display:block;width:{size}px;height:{size}px}}</style>{svg}"
            )
            page.screenshot(path=str(ICONS / target), omit_background=True)
            page.close()
            print(f"wrote {target} ({size}x{size})")
        browser.close()


if __name__ == "__main__":
    main()
