"""JupyterLab started the way a learner starts it, for tests: ``make lab ARGS=...``.

Jupyter's config, runtime, workspace, gradebook and exchange files go to a temporary
folder. The whole process group is always stopped afterwards. A server that exits or does
not answer fails with its own log attached, never a bare time-out.
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

KIT = Path(__file__).resolve().parents[1]


class LabStartError(RuntimeError):
    """JupyterLab did not come up; the message carries the end of its log."""


@dataclass
class Lab:
    url: str
    log: Path


def free_port() -> int:
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


@contextlib.contextmanager
def running_lab(base: Path, port: int, *, timeout_s: float = 120) -> Iterator[Lab]:
    """Start ``make lab`` on ``127.0.0.1:port``; yield once ``/lab`` answers 200."""
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(base / "config"), JUPYTER_RUNTIME_DIR=str(base / "runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"),
               CALLCOACH_GRADEBOOK_URL=f"sqlite:///{base / 'gradebook.db'}",
               CALLCOACH_EXCHANGE=str(base / "exchange"))
    log = base / "jupyterlab.log"
    # port_retries=0: a taken port is an error, not a silent move to another port.
    args = (f"--no-browser --port {port} --ip 127.0.0.1 --ServerApp.port_retries=0 "
            "--ServerApp.token='' --ServerApp.password=''")
    with open(log, "w") as out:
        proc = subprocess.Popen(["make", "lab", f"ARGS={args}"], cwd=KIT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                raise LabStartError(f"JupyterLab exited with code {proc.returncode} before answering on "
                                    f"{url}. Its log:\n{log.read_text()[-6000:]}")
            if time.monotonic() > deadline:
                raise LabStartError(f"JupyterLab did not answer on {url}/lab within {timeout_s:.0f} s. "
                                    f"Its log:\n{log.read_text()[-6000:]}")
            try:
                with urllib.request.urlopen(f"{url}/lab", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        yield Lab(url=url, log=log)
    finally:
        _stop(proc)
