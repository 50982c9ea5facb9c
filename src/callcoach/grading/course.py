"""Where a course lives and how to run nbgrader in it.

A *course root* is a folder holding ``nbgrader_config.py`` (the kit's ``grading/``).
Everything here takes the course root as an argument, so tests and the CLI can point at
a temporary copy and never touch the trainer's own gradebook.
"""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

CONFIG_FILE = "nbgrader_config.py"


def nbgrader_env(*, keep_gradebook_url: bool = True) -> dict[str, str]:
    """The environment for an nbgrader subprocess: the venv's ``bin`` first on PATH.

    nbgrader runs ``alembic`` from PATH when it creates a gradebook.
    """
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    if not keep_gradebook_url:
        env.pop("CALLCOACH_GRADEBOOK_URL", None)
    return env


@dataclass(frozen=True)
class Course:
    """An nbgrader course root and the places the trainer workflow uses in it."""

    root: Path

    def __post_init__(self):
        root = Path(self.root).resolve()
        object.__setattr__(self, "root", root)
        if not (root / CONFIG_FILE).is_file():
            raise FileNotFoundError(
                f"The course folder {root} has no {CONFIG_FILE}. Expected an nbgrader course "
                "root such as the kit's grading/ folder (use --course).")

    # -- configuration -------------------------------------------------------------
    def config(self):
        """The course's nbgrader configuration (a traitlets ``Config``)."""
        return load_config(self.root / CONFIG_FILE)

    @property
    def exercises_dir(self) -> Path:
        src = self.config().CourseDirectory.get("source_directory", "source")
        return (self.root / src).resolve()

    @property
    def db_url(self) -> str:
        url = self.config().CourseDirectory.get("db_url")
        return url or f"sqlite:///{self.root / 'gradebook.db'}"

    # -- folders -------------------------------------------------------------------
    def release_dir(self, exercise: str) -> Path:
        return self.root / "release" / exercise

    @property
    def submitted_dir(self) -> Path:
        return self.root / "submitted"

    @property
    def autograded_dir(self) -> Path:
        return self.root / "autograded"

    @property
    def feedback_dir(self) -> Path:
        return self.root / "feedback"

    def reports_dir(self, exercise: str) -> Path:
        return self.root / "reports" / exercise

    def exercises(self) -> list[str]:
        """Names of the exercises: folders of the source directory that hold a notebook."""
        return sorted(p.name for p in self.exercises_dir.iterdir()
                      if p.is_dir() and any(p.glob("*.ipynb")))

    def check_exercise(self, exercise: str) -> str:
        known = self.exercises()
        if exercise not in known:
            raise KeyError(
                f"There is no exercise {exercise!r} in {self.exercises_dir}. "
                f"Expected one of {known}.")
        return exercise

    def notebook_names(self, exercise: str) -> list[str]:
        """File names of the exercise's notebooks (``service-level.ipynb``)."""
        return sorted(p.name for p in (self.exercises_dir / exercise).glob("*.ipynb"))

    # -- running nbgrader ----------------------------------------------------------
    def nbgrader(self, *args: str, check: bool = True, timeout: float = 1800) -> subprocess.CompletedProcess:
        """Run ``nbgrader ARGS`` in the course root; raise with its output if it fails."""
        proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=self.root,
                              env=nbgrader_env(), capture_output=True, text=True, timeout=timeout)
        if check and proc.returncode != 0:
            raise RuntimeError(
                f"nbgrader {' '.join(args)} failed with exit code {proc.returncode} in "
                f"{self.root}:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
        return proc


def load_config(path: Path):
    """Read an ``nbgrader_config.py`` the way nbgrader does (``get_config()`` provided)."""
    from traitlets.config.loader import PyFileConfigLoader

    path = Path(path)
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def find_course(start: Path | None = None) -> Course:
    """The course root: ``start`` itself, its ``grading/`` folder, or an ancestor's.

    Used when the trainer gives no ``--course``: run the CLI from the kit's folder or
    from ``grading/``.
    """
    env = os.environ.get("CALLCOACH_COURSE")
    if start is None and env:
        return Course(Path(env))
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        for candidate in (folder, folder / "grading"):
            if (candidate / CONFIG_FILE).is_file() and (candidate / CONFIG_FILE) != Path.home() / CONFIG_FILE:
                # The kit's root also holds a small nbgrader_config.py that points at
                # grading/; prefer a folder whose config sets a source directory.
                if candidate == folder and (folder / "grading" / CONFIG_FILE).is_file():
                    return Course(folder / "grading")
                return Course(candidate)
    raise FileNotFoundError(
        f"No nbgrader course found from {start}: expected a folder with {CONFIG_FILE} "
        "(the kit's grading/). Run from the kit's folder or pass --course.")


def scratch_config_text(course: Course, *, root: Path, db_url: str, extra: str = "") -> str:
    """The course's own config, re-pointed at a scratch course root and gradebook."""
    text = (course.root / CONFIG_FILE).read_text(encoding="utf-8")
    return (text + "\n\n# --- callcoach scratch overrides ---\n"
            f"c.CourseDirectory.root = {str(root)!r}\n"
            f"c.CourseDirectory.source_directory = {str(course.exercises_dir)!r}\n"
            f"c.CourseDirectory.db_url = {db_url!r}\n"
            f"c.Exchange.root = {str(Path(root) / 'exchange')!r}\n" + extra)
