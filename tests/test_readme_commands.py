"""The README's commands exist and work: every `make` target it names, and `make lab`."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_lab_brings_up_jupyterlab_on_the_start_page(tmp_path):
    port = _free_port()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"), JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "ws"))
    log = tmp_path / "lab.log"
    args = f"--no-browser --port {port} --ip 127.0.0.1 --ServerApp.token='' --ServerApp.password=''"
    with open(log, "w") as out:
        proc = subprocess.Popen(["make", "lab", f"ARGS={args}"], cwd=KIT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline, status = time.monotonic() + 90, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab", timeout=5) as r:
                    status = r.status
                    break
            except OSError:
                time.sleep(0.5)
        assert status == 200, f"JupyterLab did not answer on /lab. Its log:\n{log.read_text()[-4000:]}"
        url = f"http://127.0.0.1:{port}/api/contents/course/00-start-here.ipynb?content=0"
        with urllib.request.urlopen(url, timeout=10) as r:
            assert r.status == 200
        text = log.read_text()
        assert "00-start-here.ipynb" in text or "course" in text
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
