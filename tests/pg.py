"""A throwaway PostgreSQL server for tests, on loopback, removed afterwards.

Use the fixture by importing it into a test module::

    from pg import postgres_url  # noqa: F401  (a pytest fixture)

    def test_something(postgres_url):
        store = SessionStore(postgres_url)

The server is started once per test session: ``initdb`` makes a cluster in a fresh
temporary folder, ``pg_ctl`` starts it on a free 127.0.0.1 port with its Unix
socket in the same folder (nothing touches the system's own PostgreSQL), a database
``calib`` is created, and the fixture yields
``postgresql+psycopg://postgres@127.0.0.1:PORT/calib`` (trust authentication,
reachable from this machine only). The server is always stopped and the folder
removed, even when tests fail.

PostgreSQL refuses to run as root; as root the server runs as the ``postgres``
user, which the Debian/Ubuntu package creates.

Binaries are looked for in ``$PG_BIN``, on ``PATH``, via ``pg_config --bindir``,
then in ``/usr/lib/postgresql/<version>/bin`` (Debian/Ubuntu) and the usual
Homebrew and source-install folders. Without them the tests that need the server
are skipped with one line saying how to install them -- except when the
environment variable ``CI`` is ``true``, where they fail, so CI cannot pass by
silently skipping them.
"""
from __future__ import annotations

import glob
import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found: install them with "
    "`apt-get install -y postgresql` (Debian/Ubuntu) or `brew install postgresql`, "
    "or set PG_BIN to the folder that holds them."
)
DATABASE = "calib"


def _has_tools(folder: Path) -> bool:
    return all(os.access(folder / tool, os.X_OK) for tool in ("initdb", "pg_ctl"))


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", str(path))) or (0,)


def find_pg_bin() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, newest version first; None if absent."""
    candidates: list[Path] = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]))
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True,
                                 timeout=10, check=True).stdout.strip()
            candidates.append(Path(out))
        except (OSError, subprocess.SubprocessError):
            pass
    for pattern in ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin",
                    "/opt/homebrew/opt/postgresql*/bin", "/usr/local/opt/postgresql*/bin"):
        candidates.extend(sorted(map(Path, glob.glob(pattern)), key=_version_key, reverse=True))
    candidates.append(Path("/usr/local/pgsql/bin"))
    return next((c for c in candidates if _has_tools(c)), None)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """A PostgreSQL cluster in a temporary folder, started on a free loopback port."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = Path(bindir)
        self.folder: Path | None = None
        self.port: int | None = None
        self._started = False
        self._as_user: dict = {}
        if os.name == "posix" and os.geteuid() == 0:
            import pwd

            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(
                    "Running as root, and PostgreSQL refuses to run as root, but there is no "
                    "'postgres' user to run it as. Create one (`useradd --system postgres`) "
                    "or run the tests as an ordinary user."
                ) from None
            # Drop to the postgres user (and no supplementary groups) for every server command.
            self._as_user = {"user": "postgres", "group": "postgres", "extra_groups": []}

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        result = subprocess.run([str(self.bindir / args[0]), *args[1:]], cwd=self.folder,
                                capture_output=True, text=True, timeout=timeout, **self._as_user)
        if result.returncode != 0:
            log = self.folder / "server.log" if self.folder else None
            tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(
                f"{' '.join(args[:2])} failed (exit {result.returncode}):\n"
                f"{result.stdout}{result.stderr}{tail}"
            )
        return result

    def start(self) -> PostgresServer:
        self.folder = Path(tempfile.mkdtemp(prefix="callcoach-pg-"))
        if self._as_user:
            shutil.chown(self.folder, "postgres", "postgres")
        data = self.folder / "data"
        self._run("initdb", "-D", str(data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")
        for attempt in range(3):  # another process may grab the free port first
            self.port = _free_port()
            options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} "
                       "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                       "-c max_connections=60")
            try:
                self._run("pg_ctl", "-D", str(data), "-l", str(self.folder / "server.log"),
                          "-o", options, "-w", "-t", "30", "start")
                self._started = True
                break
            except RuntimeError:
                if attempt == 2:
                    raise
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                             dbname="postgres", autocommit=True, connect_timeout=10) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        return self

    def stop(self) -> None:
        try:
            if self._started:
                self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate",
                          "-w", "-t", "30", "stop")
                self._started = False
        finally:
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)
                self.folder = None

    def __enter__(self) -> PostgresServer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc_info) -> None:
        self.stop()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a fresh PostgreSQL database on a throwaway loopback server."""
    bindir = find_pg_bin()
    if bindir is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and {INSTALL_HINT}", pytrace=False)
        pytest.skip(INSTALL_HINT)
    with PostgresServer(bindir) as server:
        yield server.url
