"""The README's commands exist and work: every `make` target it names, and `make lab`."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest

KIT = Path(__file__).resolve().parents[1]
README = (KIT / "README.md").read_text()


def _make_targets() -> set[str]:
    out = subprocess.run(["make", "-qp"], cwd=KIT, capture_output=True, text=True).stdout
    return set(re.findall(r"^([a-z][a-z-]*):", out, re.M))


def test_readme_puts_the_two_commands_first():
    first_block = re.search(r"```bash\n(.*?)```", README, re.S).group(1)
    assert first_block.splitlines()[0].startswith("make lab")
    assert first_block.splitlines()[1].startswith("make test")


def test_every_make_target_in_the_readme_exists():
    named = set(re.findall(r"`?make ([a-z][a-z-]*)", README))
    assert {"lab", "test"} <= named
    missing = named - _make_targets()
    assert not missing, f"README names make targets the Makefile lacks: {sorted(missing)}"


def test_ci_runs_the_readme_test_command():
    assert re.search(r"^make test\b", (KIT / ".ci" / "run").read_text(), re.M)


def test_paths_named_in_the_readme_exist():
    for path in ["course/00-start-here.ipynb", "requirements/lock.txt", "environment.yml",
                 "grading/nbgrader_config.py", "exercises/ex21-service-level/misconceptions.toml",
                 "datasets/datapackage.json", "grading/README.md"]:
        assert path in README and (KIT / path).exists(), path


def test_make_test_skips_the_install_when_the_lock_is_unchanged():
    out = subprocess.run(["make", "-n", "install"], cwd=KIT, capture_output=True, text=True)
    assert out.returncode == 0
    assert "pip install" not in out.stdout, "make would reinstall although nothing changed"


def test_make_lab_brings_up_jupyterlab_on_the_start_page(lab):
    """`make lab ARGS=...` (the ``lab`` fixture) answers on /lab and serves the start page."""
    with urllib.request.urlopen(f"{lab.url}/lab", timeout=10) as r:
        assert r.status == 200
    with urllib.request.urlopen(f"{lab.url}/api/contents/course/00-start-here.ipynb?content=0", timeout=10) as r:
        assert r.status == 200
    log = lab.log.read_text()
    assert "--allow-root" not in log or os.geteuid() == 0
    assert "course/00-start-here.ipynb" in (KIT / "Makefile").read_text()


def test_jupyterlab_on_a_taken_port_fails_with_the_servers_own_log(tmp_path):
    """A start that cannot work says why (Jupyter's own words), not just "timed out"."""
    from lab_server import LabStartError, running_lab

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(LabStartError, match=r"(?s)exited with code .*Its log:.*already in use"):
            with running_lab(tmp_path, port, timeout_s=60):
                pass
