"""The app in a real browser: served on loopback, every page loaded in Debian's chromium, one screenshot each."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from orchestration.core.paths import REPO_ROOT
from tests.dashboards.conftest import APP

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO_ROOT / "test-output" / "dashboard"
PAGES = {"": "Network", "plants": "Plants", "inventory": "Inventory", "plan": "Plan",
         "synchronization": "Synchronization", "scenarios": "Scenarios", "data_quality": "Data quality", "roi": "ROI",
         "exceptions": "Exceptions", "projected_inventory": "Projected inventory",
         "work_center_load": "Work-center load", "network_map": "Network map", "customers": "Customers"}
SETTLED = """() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stSkeleton"]')
    && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(chart => chart.querySelector('.main-svg'))
    && [...document.querySelectorAll('[data-testid="stDataFrame"]')].filter(table => table.checkVisibility())
        .every(table => table.querySelector('canvas'))"""
QUIET_CHROMIUM = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve(data_dir: Path):
    """`streamlit run` on a free loopback port reading `data_dir`; yields its address, stops it by its process id."""
    port = free_port()
    env = dict(os.environ, PLANTSYNC_DATA_DIR=str(data_dir), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true",
                               "--server.address", "127.0.0.1", "--server.port", str(port),
                               "--browser.gatherUsageStats", "false"],
                              env=env, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as health:
                    if health.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.fixture()
def served_app(published_dir):
    with serve(published_dir) as base:
        yield base


def settle(page, timeout: float = 30.0) -> None:
    """Wait until the page's script run has finished, no element is still loading (Streamlit's skeletons)
    and every chart and visible table has drawn."""
    page.wait_for_function(SETTLED, timeout=timeout * 1000)


def test_every_page_loads_in_chromium_without_an_exception(served_app):
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=QUIET_CHROMIUM)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 2400})
            outside = []
            page.on("request", lambda request: request.url.startswith(served_app) or outside.append(request.url))
            for number, (path, title) in enumerate(PAGES.items(), start=1):
                page.goto(f"{served_app}/{path}")
                page.get_by_role("heading", name=title, exact=True).wait_for(timeout=30_000)
                settle(page)
                page.screenshot(path=SCREENSHOTS / f"{number}-{path or 'network'}.png", full_page=True)
                assert page.locator('[data-testid="stException"]').count() == 0, path
                assert page.get_by_text("Page not found").count() == 0, path
        finally:
            browser.close()
    assert len(list(SCREENSHOTS.glob("*.png"))) >= len(PAGES)
    assert not outside, f"the app asked the internet for {outside[:3]}"
