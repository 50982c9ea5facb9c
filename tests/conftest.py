"""Shared fixtures: the kit's folders, Jupyter kept out of the home directory, and a
JupyterLab server started the way a learner starts it (``make lab ARGS=...``)."""
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

KIT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def kit() -> Path:
    """The root of the kit (the folder holding the README and Makefile)."""
    return KIT


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
    """JupyterLab from ``make lab ARGS=...`` on a free loopback port.

    Jupyter's config, runtime, workspace, gradebook and exchange files go to a temporary
    folder. The whole process group is always stopped afterwards; a server that does not
    come up fails the test with its own log."""
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


@pytest.fixture(scope="session", autouse=True)
def _jupyter_dirs(tmp_path_factory: pytest.TempPathFactory):
    """Jupyter config and runtime files go to a temporary folder, not ~/.jupyter."""
    base = tmp_path_factory.mktemp("jupyter")
    saved = {k: os.environ.get(k) for k in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR")}
    os.environ["JUPYTER_CONFIG_DIR"] = str(base / "config")
    os.environ["JUPYTER_RUNTIME_DIR"] = str(base / "runtime")
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


# Property tests: the same examples on every run in CI (no flaky reds), more locally.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can react to failures."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
