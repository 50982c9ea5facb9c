"""The kernel sandbox's choices: which isolation runs, and what it refuses."""
from __future__ import annotations

import json

import pytest

from callcoach.grading import sandbox


def test_unknown_isolation_mode_is_an_error_naming_the_modes():
    with pytest.raises(ValueError, match="must be one of"):
        sandbox.resolve_isolation("docker")


def test_required_bubblewrap_missing_is_an_error_not_a_silent_downgrade(monkeypatch):
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="apt-get install bubblewrap"):
        sandbox.resolve_isolation("bwrap")
    assert sandbox.resolve_isolation("auto") == "limits"


def test_kernelspec_launches_through_the_sandbox_with_message_interrupts(tmp_path):
    sandbox.write_kernelspec(tmp_path, isolation="bwrap", memory_mb=1500, writable=[])
    spec = json.loads((tmp_path / "kernels" / sandbox.KERNEL_NAME / "kernel.json").read_text())
    assert spec["argv"][1:3] == ["-m", "callcoach.grading.sandbox"]
    assert "1500" in spec["argv"] and spec["argv"][-1] == "{connection_file}"
    assert spec["interrupt_mode"] == "message"


def test_bwrap_command_binds_no_course_folder_and_gives_no_network():
    argv = sandbox.bwrap_argv("bwrap", workdir="/scratch/1/work", writable=["/scratch/1/rt"],
                              command=["python"])
    assert "--unshare-all" in argv and "--unshare-user" in argv
    binds = [argv[i + 1] for i, a in enumerate(argv) if a in ("--bind", "--ro-bind")]
    assert "/scratch/1/work" in binds and "/scratch/1/rt" in binds
    assert not any(b.endswith(("/grading", "/exercises")) or b in ("/", "/tmp", "/etc") for b in binds)


def test_launcher_refuses_to_share_the_machines_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit, match="refusing"):
        sandbox.main(["--isolation", "bwrap", "--", "-f", "/tmp/kernel-x.json"])
