"""Fixtures for browser tests: Chromium, offline browser contexts and screenshots.

* ``lab`` (in ``tests/conftest.py``) is JupyterLab started by ``make lab ARGS=...``.
* ``browser`` launches Debian's Chromium through Playwright. Without Chromium the tests
  skip with one line saying how to install it — except in CI (``CI=true``), where a
  skip would hide a broken set-up, so they fail.
* ``screenshot`` saves PNGs under ``test-output/screenshots/`` for a person to look at.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

KIT = Path(__file__).resolve().parents[2]
SCREENSHOTS = KIT / "test-output" / "screenshots"
CHROMIUM = os.environ.get("CALLCOACH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOOPBACK = {"127.0.0.1", "localhost", "[::1]"}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = (f"Chromium not found at {CHROMIUM}: install it with "
                   "`sudo apt-get install chromium` (Debian/Ubuntu) to run the browser tests.")
        if os.environ.get("CI") == "true":
            pytest.fail(message + " In CI, .ci/run installs it; a skip here would hide a broken set-up.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _show_server_log_on_failure(request, lab):
    """When a browser test fails, print the end of the JupyterLab server's log."""
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(f"--- JupyterLab log ({lab.log}) ---\n{lab.log.read_text()[-4000:]}")


@pytest.fixture
def new_context(browser, request):
    """Make browser contexts (closed after the test); ``offline=True`` blocks every
    request to a non-loopback address and records it in ``context.blocked``.
    When the test fails, each open page is saved as ``FAILED-<test>-<n>.png``."""
    made = []

    def make(*, offline: bool = False):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        made.append(context)
        if offline:
            _block_internet(context)
        return context

    yield make
    report = getattr(request.node, "rep_call", None)
    for context in made:
        if report is not None and report.failed:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            for n, page in enumerate(context.pages):
                page.screenshot(path=str(SCREENSHOTS / f"FAILED-{request.node.name}-{n}.png"))
        context.close()


def _block_internet(context) -> None:
    context.blocked = []

    def route(r):
        host = r.request.url.split("/")[2].rsplit(":", 1)[0] if "://" in r.request.url else ""
        if r.request.url.startswith(("data:", "blob:")) or host in LOOPBACK:
            r.continue_()
        else:
            context.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page_or_element, name: str) -> Path:
        """Save a PNG of a page (what is on screen) or of one element."""
        path = SCREENSHOTS / f"{name}.png"
        page_or_element.screenshot(path=str(path))
        return path

    return take

