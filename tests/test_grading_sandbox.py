"""The kernel sandbox's choices: which isolation runs, and what it refuses."""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

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


def test_kernelspec_carries_the_paths_so_the_launcher_imports_no_pandas(tmp_path):
    sandbox.write_kernelspec(tmp_path, isolation="bwrap", memory_mb=1500, writable=[],
                             readonly=["/usr", "/opt/py"], datasets="/kit/datasets")
    argv = json.loads((tmp_path / "kernels" / sandbox.KERNEL_NAME / "kernel.json").read_text())["argv"]
    assert argv[argv.index("--datasets") + 1] == "/kit/datasets"
    assert [argv[i + 1] for i, a in enumerate(argv) if a == "--readonly"] == ["/usr", "/opt/py"]
    # Every kernel start runs the launcher: it must not pay for pandas (~0.2 s) each time.
    code = "import sys, callcoach.grading.sandbox; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert sandbox.kernel_env("/w", "/kit/datasets")["CALLCOACH_DATASETS"] == "/kit/datasets"
    argv = sandbox.bwrap_argv("bwrap", workdir="/w", writable=[], command=["python"], readonly=["/opt/py"])
    assert [argv[i + 1] for i, a in enumerate(argv) if a == "--ro-bind"][-1] == "/opt/py"


def test_grading_kernel_manager_loses_no_output_and_leaves_no_kernel(tmp_path):
    from callcoach.grading.kernels import GradingKernelClient, GradingKernelManager

    async def run() -> tuple[list[str], object]:
        km = GradingKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path))
        kc = km.client()
        assert isinstance(kc, GradingKernelClient)
        kc.start_channels()
        await kc.wait_for_ready(timeout=60)
        seen = []
        reply = await kc.execute_interactive("print('hello from the kernel')", timeout=60,
                                             output_hook=lambda m: seen.append(m["content"].get("text", "")))
        assert reply["content"]["status"] == "ok"
        process = km.provisioner.process
        kc.stop_channels()
        await km.shutdown_kernel(now=True)
        return seen, process

    # Its own thread: another test's Playwright (sync API) may own this thread's event loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        seen, process = pool.submit(asyncio.run, run()).result()
    assert "hello from the kernel\n" in seen
    assert process.poll() is not None  # killed and reaped
