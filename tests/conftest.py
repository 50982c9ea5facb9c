"""Shared fixtures: the kit's folders, Jupyter kept out of the home directory, and a
JupyterLab server started the way a learner starts it (``make lab ARGS=...``)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

KIT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def kit() -> Path:
    """The root of the kit (the folder holding the README and Makefile)."""
    return KIT


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """JupyterLab from ``make lab ARGS=...`` on a free loopback port (see lab_server.py)."""
    from lab_server import free_port, running_lab

    with running_lab(tmp_path_factory.mktemp("lab"), free_port()) as server:
        yield server


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
