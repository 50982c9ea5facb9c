"""Fixtures for browser tests: JupyterLab started the way learners start it, and Chromium.

* ``lab`` starts ``make lab ARGS=...`` on a free loopback port with Jupyter's config,
  runtime, workspace and gradebook files in a temporary folder, waits for ``/lab``, and
  always stops the whole process group afterwards. If the server does not come up, the
  test fails with the server's own log.
* ``browser`` launches Debian's Chromium through Playwright. Without Chromium the tests
  skip with one line saying how to install it — except in CI (``CI=true``), where a
  skip would hide a broken set-up, so they fail.
* ``screenshot`` saves PNGs under ``test-output/screenshots/`` for a person to look at.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
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


@dataclass
class Lab:
    url: str
    log: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="session")
def lab(tmp_path_factory) -> Lab:
    base = tmp_path_factory.mktemp("lab")
    port = _free_port()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(base / "config"), JUPYTER_RUNTIME_DIR=str(base / "runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"),
               CALLCOACH_GRADEBOOK_URL=f"sqlite:///{base / 'gradebook.db'}",
               CALLCOACH_EXCHANGE=str(base / "exchange"))
    log = base / "jupyterlab.log"
    args = f"--no-browser --port {port} --ip 127.0.0.1 --ServerApp.token='' --ServerApp.password=''"
    with open(log, "w") as out:
        proc = subprocess.Popen(["make", "lab", f"ARGS={args}"], cwd=KIT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited with code {proc.returncode} before answering. Its log:\n"
                            f"{log.read_text()[-6000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer on {url}/lab within 120 s. Its log:\n{log.read_text()[-6000:]}")
            try:
                with urllib.request.urlopen(f"{url}/lab", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        yield Lab(url=url, log=log)
    finally:
        _stop(proc)


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

