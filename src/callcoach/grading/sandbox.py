"""Run a learner's kernel in a sandbox while grading.

nbgrader executes learner code with the grader's own permissions. ``callcoach grade``
instead starts every kernel through this module (a Jupyter kernelspec whose ``argv`` is
``python -m callcoach.grading.sandbox ...``), which

1. sets resource limits inherited by the kernel: address space (``--memory-mb``, so a
   memory hog gets ``MemoryError`` instead of taking the machine), file size (no
   runaway files), no core dumps, a cap on open files;
2. with **bubblewrap** (``bwrap``, Debian package ``bubblewrap``) available, starts the
   kernel in new user, mount, network, PID, IPC and UTS namespaces as uid 65534, with a
   filesystem that holds *only* the Python installation (read-only), the ``callcoach``
   package (read-only), a private ``/tmp`` and, writable, the learner's own scratch
   folder and the kernel's connection-socket folder. Exercise sources, solutions,
   misconceptions, ground truth, other learners' work, the gradebook and ``/etc`` do not
   exist inside; there is no network (the kernel talks to the grader over Unix sockets,
   ``KernelManager.transport = "ipc"``);
3. without bubblewrap (``--isolation limits``), only step 1 applies, and, when run as
   root, the kernel drops to uid/gid 65534 so it cannot write files owned by others; it
   *can* still read world-readable files such as the exercise sources. ``callcoach grade``
   says so in its summary, and ``--isolation bwrap`` refuses to run without bubblewrap.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
from pathlib import Path

KERNEL_NAME = "callcoach-sandbox"
NOBODY = 65534
ISOLATION_MODES = ("auto", "bwrap", "limits")


def bwrap_path() -> str | None:
    """The bubblewrap executable, or None when it is not installed or cannot run here."""
    path = shutil.which("bwrap")
    if not path:
        return None
    import subprocess

    try:  # a container may forbid namespaces even when bwrap is installed
        proc = subprocess.run([path, "--unshare-all", "--unshare-user", "--ro-bind", "/", "/",
                               "true"], capture_output=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return path if proc.returncode == 0 else None


def resolve_isolation(mode: str) -> str:
    """``bwrap`` or ``limits`` for a requested mode (``auto`` picks bwrap when it works)."""
    if mode not in ISOLATION_MODES:
        raise ValueError(f"The isolation mode must be one of {ISOLATION_MODES}. Got {mode!r} instead.")
    if mode == "limits":
        return "limits"
    if bwrap_path():
        return "bwrap"
    if mode == "bwrap":
        raise RuntimeError(
            "Isolation 'bwrap' was asked for but bubblewrap does not work on this machine. "
            "Install it (apt-get install bubblewrap) or use --isolation limits.")
    return "limits"


def readonly_paths() -> list[str]:
    """What the kernel needs to read: Python, the venv and the callcoach package."""
    import callcoach

    paths = {"/usr", sys.base_prefix, sys.prefix, os.path.dirname(os.path.realpath(sys.executable))}
    pkg_parent = Path(callcoach.__file__).resolve().parent.parent  # src/ or site-packages/
    paths.add(str(pkg_parent / "callcoach"))
    datasets = course_datasets_dir()
    if datasets:  # the course's public datasets and their data dictionary
        paths.add(datasets)
    return sorted(p for p in paths if os.path.exists(p))


def course_datasets_dir() -> str | None:
    """The folder of the course datasets (learners have them anyway), or None."""
    from callcoach import datasets

    try:
        return str(datasets.datasets_dir().resolve())
    except Exception:  # noqa: BLE001 - no datasets: notebooks that need them will say so
        return None


def write_kernelspec(jupyter_dir: Path, *, isolation: str, memory_mb: int, writable: list[Path],
                     cpu_seconds: int = 0, readonly: list[str] | None = None,
                     datasets: str | None = None) -> Path:
    """Write ``<jupyter_dir>/kernels/callcoach-sandbox/kernel.json``; return jupyter_dir.

    Put ``jupyter_dir`` on ``JUPYTER_PATH`` and set ``Execute.kernel_name`` to
    :data:`KERNEL_NAME` so nbgrader starts its kernels through :func:`main`.
    The read-only paths and the datasets folder (default: :func:`readonly_paths`,
    :func:`course_datasets_dir`) are written into the launcher's arguments here, once,
    so the launcher itself imports nothing beyond the standard library: finding the
    datasets imports pandas, about 0.2 s of every kernel start.
    """
    spec_dir = Path(jupyter_dir) / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    if readonly is None:
        readonly = readonly_paths()
    if datasets is None:
        datasets = course_datasets_dir() or ""
    argv = [sys.executable, "-m", "callcoach.grading.sandbox", "--isolation", isolation,
            "--memory-mb", str(int(memory_mb)), "--cpu-seconds", str(int(cpu_seconds)),
            "--datasets", datasets]
    for w in writable:
        argv += ["--writable", str(w)]
    for r in readonly:
        argv += ["--readonly", str(r)]
    argv += ["--", "-f", "{connection_file}"]
    spec = {"argv": argv, "display_name": "Python 3 (callcoach grading sandbox)",
            "language": "python", "metadata": {"debugger": False},
            # A signal cannot reach a kernel inside another PID namespace and session;
            # the interrupt request message can (used on a cell timeout).
            "interrupt_mode": "message"}
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return Path(jupyter_dir)


def set_limits(memory_mb: int, cpu_seconds: int = 0, file_mb: int = 512) -> None:
    """Resource limits for this process and everything it starts."""
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if cpu_seconds > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_mb * 1024 * 1024,) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))


def kernel_env(workdir: str, datasets: str | None = None) -> dict[str, str]:
    """A small, clean environment: nothing of the grader's (tokens, database URLs).

    ``datasets``: the course datasets folder ('' for none; default: look it up).
    """
    keep = ("LANG", "LC_ALL", "TZ", "PYTHONHASHSEED")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update({
        "PATH": os.path.dirname(sys.executable) + ":/usr/bin:/bin",
        "HOME": workdir, "TMPDIR": "/tmp", "MPLCONFIGDIR": "/tmp", "IPYTHONDIR": "/tmp/ipython",
        "JUPYTER_RUNTIME_DIR": "/tmp/jupyter", "PYTHONDONTWRITEBYTECODE": "1",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "NUMBA_NUM_THREADS": "1", "NBGRADER_EXECUTION": os.environ.get("NBGRADER_EXECUTION", "autograde"),
        "CALLCOACH_SANDBOX": "1",
    })
    if datasets is None:
        datasets = course_datasets_dir()
    if datasets:
        env["CALLCOACH_DATASETS"] = datasets
    return env


def bwrap_argv(bwrap: str, *, workdir: str, writable: list[str], command: list[str],
               readonly: list[str] | None = None) -> list[str]:
    """The bubblewrap command line that runs ``command`` with only what it needs.

    ``readonly``: the paths bound read-only (default: :func:`readonly_paths`).
    """
    argv = [bwrap, "--unshare-all", "--unshare-user", "--uid", str(NOBODY), "--gid", str(NOBODY),
            "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for name in ("bin", "lib", "lib64", "sbin"):
        target = os.path.join("/", name)
        if os.path.islink(target):
            argv += ["--symlink", os.readlink(target), target]
        elif os.path.isdir(target):
            argv += ["--ro-bind", target, target]
    for path in readonly_paths() if readonly is None else readonly:
        argv += ["--ro-bind", path, path]
    for path in dict.fromkeys([workdir, *writable]):
        argv += ["--bind", path, path]
    argv += ["--chdir", workdir, "--"]
    return argv + command


def _reachable_by_others(path: str) -> bool:
    """Whether a user other than the owner can reach ``path`` (every folder above is o+x)."""
    p = Path(os.path.realpath(path))
    return all(os.stat(d).st_mode & 0o001 for d in p.parents)


def can_drop_privileges() -> bool:
    """True when running as root and uid 65534 could still start this Python."""
    return os.getuid() == 0 and _reachable_by_others(sys.executable)


def _drop_privileges(paths: list[str]) -> None:
    """As root: hand the writable folders to uid 65534 and become it (no way back)."""
    if not can_drop_privileges():
        return
    for p in paths:
        for folder, dirs, files in os.walk(p):
            os.chown(folder, NOBODY, NOBODY)
            for f in files:
                os.chown(os.path.join(folder, f), NOBODY, NOBODY, follow_symlinks=False)
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def main(argv: list[str] | None = None) -> None:
    """Kernel launcher: ``python -m callcoach.grading.sandbox [options] -- -f CONN``."""
    parser = argparse.ArgumentParser(prog="callcoach.grading.sandbox", description=main.__doc__)
    parser.add_argument("--isolation", choices=("bwrap", "limits"), default="bwrap")
    parser.add_argument("--memory-mb", type=int, default=2048)
    parser.add_argument("--cpu-seconds", type=int, default=0)
    parser.add_argument("--writable", action="append", default=[])
    parser.add_argument("--readonly", action="append", default=None)
    parser.add_argument("--datasets", default=None)
    parser.add_argument("kernel_args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    kernel_args = [a for a in args.kernel_args if a != "--"]
    workdir = os.getcwd()
    conn_dirs = [os.path.dirname(os.path.abspath(kernel_args[i + 1]))
                 for i, a in enumerate(kernel_args[:-1]) if a == "-f"]
    writable = [os.path.abspath(w) for w in args.writable] + conn_dirs
    shared = {"/", "/tmp", "/var/tmp", "/dev/shm", os.path.expanduser("~"), "/root", "/home"}
    for w in [workdir, *writable]:
        if os.path.realpath(w) in shared:
            sys.exit(f"callcoach sandbox: refusing to give the kernel the shared folder {w}; "
                     "set KernelManager.connection_file inside the scratch folder.")
    command = [sys.executable, "-m", "ipykernel_launcher", *kernel_args]
    if conn_dirs:  # the kernel's own chatter goes to a log beside its sockets, not the terminal
        log = os.open(os.path.join(conn_dirs[0], "kernel-output.log"),
                      os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
    env = kernel_env(workdir, args.datasets)
    set_limits(args.memory_mb, args.cpu_seconds)
    if args.isolation == "bwrap":
        bwrap = shutil.which("bwrap")
        if not bwrap:
            sys.exit("callcoach sandbox: bubblewrap (bwrap) is not installed; cannot isolate the kernel.")
        full = bwrap_argv(bwrap, workdir=workdir, writable=writable, command=command,
                          readonly=args.readonly)
        os.execve(bwrap, full, env)
    _drop_privileges([workdir, *writable])
    os.execve(sys.executable, command, env)


if __name__ == "__main__":  # pragma: no cover - exercised through kernels in tests
    main()
