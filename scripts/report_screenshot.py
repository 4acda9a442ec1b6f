"""Take the README's screenshot of ``netsim report``: port-mapping's first probe at its DNAT hop.

Run as ``python scripts/report_screenshot.py [OUT.png]`` (default
``docs/report.png``). Needs the playwright package and Debian's chromium
(``scripts/setup-test-tools.sh``); Playwright's own browsers are not used.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from netsim.render.report import write_report
from netsim.session import load_scenario, pictures

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main(out: Path) -> None:
    """Write the report of port-mapping, open it, step to the DNAT hop and take the picture."""
    scenario = load_scenario(ROOT / "scenarios" / "port-mapping.yaml")
    drawn = pictures(scenario)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        page_path = write_report(
            drawn, Path(folder) / "report.html", description=scenario.description
        )
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1150})
        page.goto(page_path.as_uri())
        page.click("#probe-link-0")
        while not page.locator("li.hop:not([hidden]) table.nat").count():
            page.keyboard.press("ArrowRight")
        page.locator("#transcript pre").evaluate("el => el.scrollTo(0, el.scrollHeight)")
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        browser.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "report.png")
