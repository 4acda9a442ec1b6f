"""Browser tests: ``netsim report``'s page in a real headless Chromium, driven by Playwright.

They use Debian's chromium (``scripts/setup-test-tools.sh`` installs it with
apt), never a browser Playwright downloads. Every request the page makes is
recorded: the page itself is the only one allowed. Without the playwright
package or the browser the tests are skipped, saying which is missing.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from netsim.render.report import write_report
from netsim.results.run import Pictures
from netsim.session import load_scenario, pictures

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed (pip install .[test])"
)
if shutil.which(CHROMIUM) is None:
    pytest.skip(
        f"{CHROMIUM} is missing: run scripts/setup-test-tools.sh as root (apt install chromium)",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Page:
    """A report opened in the browser, with every request and script error it made."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)

    def visible_hop(self) -> Any:
        hops = self.page.locator("section.probe-view:not([hidden]) li.hop:not([hidden])")
        assert hops.count() == 1
        return hops.first

    def lit(self) -> list[str]:
        return list(self.page.eval_on_selector_all(".hl.on", "els => els.map(e => e.id).sort()"))


@pytest.fixture(scope="module")
def port_mapping(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Pictures]:
    drawn = pictures(load_scenario(SCENARIOS / "port-mapping.yaml"))
    path = tmp_path_factory.mktemp("report") / "port-mapping.html"
    return write_report(drawn, path), drawn


@pytest.fixture(scope="module")
def docker_user(tmp_path_factory: pytest.TempPathFactory) -> Path:
    drawn = pictures(load_scenario(SCENARIOS / "docker-user-chain.yaml"))
    return write_report(drawn, tmp_path_factory.mktemp("report") / "docker-user.html")


def test_the_page_opens_with_no_request_beyond_itself(
    browser: Any, port_mapping: tuple[Path, Pictures]
) -> None:
    page = Page(browser, port_mapping[0])
    page.page.click("#probe-link-0")
    for _ in range(5):
        page.page.keyboard.press("ArrowRight")
    page.page.click("#probe-link-2")
    assert page.requests == [page.url]
    assert all(url.startswith("file://") for url in page.requests)
    assert page.errors == []
    assert page.page.locator("#topology svg").count() == 1
    assert page.page.locator("#reachability svg").count() == 1
    page.page.close()


def test_clicking_a_probe_shows_its_first_hop_and_lights_the_source(
    browser: Any, port_mapping: tuple[Path, Pictures]
) -> None:
    path, drawn = port_mapping
    page = Page(browser, path)
    assert page.page.locator("#stepper").is_hidden()
    assert page.lit() == []
    page.page.click("#probe-link-0")
    view = page.page.locator("#probe-0")
    assert view.is_visible()
    assert "probe laptop -> 192.168.1.10:12345/tcp: open" in view.locator("h3").inner_text()
    hop = page.visible_hop()
    assert hop.locator(".hop-node").inner_text() == "laptop"
    total = len(view.locator("li.hop").all())
    assert page.page.inner_text("#hop-position") == f"hop 1 of {total}: laptop"
    assert page.page.locator("#hop-back").is_disabled()
    layout_keys = _box_keys(page)
    assert [layout_keys[i] for i in page.lit() if i.startswith("hl-b")] == ["machine:laptop"]
    page.page.close()


def _box_keys(page: Page) -> dict[str, str]:
    """Return each highlight box's id mapped to the layout key the report drew it for."""
    from netsim.render.layout import layout_topology

    drawn = pictures(load_scenario(SCENARIOS / "port-mapping.yaml"))
    layout = layout_topology(drawn.topology)
    return {f"hl-b{i}": box.key for i, box in enumerate(layout.boxes)}


def test_stepping_forward_and_back_with_buttons_and_keys(
    browser: Any, port_mapping: tuple[Path, Pictures]
) -> None:
    page = Page(browser, port_mapping[0])
    page.page.click("#probe-link-0")
    nodes = page.page.eval_on_selector_all("#probe-0 li.hop", "els => els.map(e => e.dataset.node)")
    assert nodes[:3] == ["laptop", "lan", "host"]
    page.page.click("#hop-forward")
    assert page.visible_hop().locator(".hop-node").inner_text() == "lan"
    assert page.page.inner_text("#hop-position").startswith("hop 2 of ")
    page.page.keyboard.press("ArrowRight")
    assert page.visible_hop().locator(".hop-node").inner_text() == "host"
    page.page.keyboard.press("ArrowLeft")
    assert page.visible_hop().locator(".hop-node").inner_text() == "lan"
    page.page.click("#hop-back")
    assert page.visible_hop().locator(".hop-node").inner_text() == "laptop"
    page.page.keyboard.press("ArrowLeft")  # the first hop stays the first
    assert page.page.inner_text("#hop-position").startswith("hop 1 of ")
    for _ in range(len(nodes) + 3):  # past the end stays at the end
        page.page.keyboard.press("ArrowRight")
    assert page.page.inner_text("#hop-position") == f"hop {len(nodes)} of {len(nodes)}: laptop"
    assert page.page.locator("#hop-forward").is_disabled()
    page.page.close()


def test_the_dnat_hop_shows_the_headers_before_and_after_and_lights_docker0(
    browser: Any, port_mapping: tuple[Path, Pictures]
) -> None:
    page = Page(browser, port_mapping[0])
    page.page.click("#probe-link-0")
    for _ in range(10):
        hop = page.visible_hop()
        if hop.locator("table.nat").count():
            break
        page.page.keyboard.press("ArrowRight")
    hop = page.visible_hop()
    assert hop.locator(".hop-node").inner_text() == "host"
    assert hop.locator("table.nat th[colspan]").inner_text() == "DNAT at PREROUTING"
    before = hop.locator(".nat-before").inner_text()
    after = hop.locator(".nat-after").inner_text()
    assert before.endswith(" -> 192.168.1.10:12345/tcp")
    assert after.endswith(" -> 172.17.0.2:3306/tcp")
    assert before.split(" -> ")[0] == after.split(" -> ")[0]  # the source is kept
    incoming = hop.locator(".frame-in").first.inner_text()
    assert "> 192.168.1.10.12345" in incoming
    keys = _box_keys(page)
    assert {keys[i] for i in page.lit() if i.startswith("hl-b")} == {"host", "bridge:docker0"}
    # The probe's why is this DNAT: the nat walk that ended on the DNAT rule is marked.
    decider = hop.locator(".walk.decider code.rule").inner_text()
    assert decider == (
        "DOCKER#2 -A DOCKER ! -i docker0 -p tcp -m tcp --dport 12345 -j DNAT "
        "--to-destination 172.17.0.2:3306"
    )
    page.page.close()


def test_a_dropped_probe_jumps_to_the_rule_that_dropped_it(browser: Any, docker_user: Path) -> None:
    page = Page(browser, docker_user)
    dropped = page.page.locator(".probe-link.result-timeout")
    assert dropped.count() == 1
    dropped.click()
    view = page.page.locator("section.probe-view:not([hidden])")
    decision = view.locator(".decision").inner_text()
    assert decision.startswith(
        "why: dropped by DOCKER-USER #1 `-s 192.168.1.20/32 -j DROP` on host"
    )
    assert "step 1 added it: `iptables -I DOCKER-USER -s 192.168.1.20 -j DROP`" in decision
    view.locator(".to-decision").click()
    hop = page.visible_hop()
    assert "decides" in (hop.get_attribute("class") or "")
    assert hop.locator(".walk.decider code.rule").inner_text() == (
        "DOCKER-USER#1 -A DOCKER-USER -s 192.168.1.20/32 -j DROP"
    )
    lit = page.page.eval_on_selector_all(".hl.on.decides", "els => els.length")
    assert lit >= 1
    assert page.requests == [page.url]
    page.page.close()


def test_the_transcript_reads_as_netsim_run_prints_it(
    browser: Any, port_mapping: tuple[Path, Pictures]
) -> None:
    from netsim.render.transcript import format_transcript

    path, drawn = port_mapping
    page = Page(browser, path)
    shown = page.page.inner_text("#transcript pre")
    expected = format_transcript(drawn.run)
    assert [line.rstrip() for line in shown.splitlines() if line.strip()] == [
        line.rstrip() for line in expected.splitlines() if line.strip()
    ]
    assert html.escape("->") not in shown
    page.page.close()


def test_a_probe_that_did_not_run_says_why_and_has_nothing_to_step(
    browser: Any, tmp_path: Path
) -> None:
    scenario = tmp_path / "stopped.yaml"
    scenario.write_text(
        "name: stopped\nsteps:\n  - docker run -d --name web nginx\n  - docker stop web\n"
        "  - probe: web -> 8.8.8.8:53\n",
        encoding="utf-8",
    )
    drawn = pictures(load_scenario(scenario))
    page = Page(browser, write_report(drawn, tmp_path / "stopped.html"))
    page.page.click(".probe-link.result-not-run")
    view = page.page.locator("#probe-0")
    assert view.locator(".decision").inner_text() == "why: not run: probe source web is not running"
    assert view.locator(".no-hops").is_visible()
    assert page.page.locator("#stepper").is_hidden()
    page.page.keyboard.press("ArrowRight")  # nothing to step, nothing breaks
    assert page.errors == []
    assert page.lit() == []
    page.page.close()


def test_the_page_works_in_a_browser_that_is_offline(
    browser: Any, port_mapping: tuple[Path, Pictures]
) -> None:
    context = browser.new_context(offline=True)
    page = context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(port_mapping[0].resolve().as_uri())
    page.click("#probe-link-2")
    assert "refused" in page.inner_text("#probe-2 .probe-result")
    page.keyboard.press("ArrowRight")
    assert page.inner_text("#hop-position").startswith("hop 2 of ")
    assert failed == []
    context.close()
