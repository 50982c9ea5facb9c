"""Collect submissions downloaded from a learning-management system (LMS).

The learner's identity comes from the file's path (relative to the folder or zip),
matched by a regular expression with a named group ``student``. Built-in patterns:

``plain`` (default)
    ``<student>_<anything>.ipynb`` — e.g. ``ana.silva_service-level.ipynb``; the learner
    id is everything before the first underscore.
``canvas``
    Canvas "Download Submissions": ``<login>[_LATE]_<user id>_<submission id>_<file>.ipynb``
    — e.g. ``silvaana_LATE_4213_99812_service-level.ipynb`` gives ``silvaana``.
``moodle``
    Moodle "Download all submissions" (one folder per learner):
    ``<Full Name>_<participant id>_assignsubmission_file_/<file>.ipynb`` — e.g.
    ``Ana Silva_4213_assignsubmission_file_/service-level.ipynb`` gives ``ana.silva``
    (lower case, spaces become dots).
``folders``
    ``<student>/<file>.ipynb`` — one folder per learner.

Anything else: pass ``--pattern`` with a ``(?P<student>...)`` group. Files that match no
pattern, learners missing from a ``--roster`` and learners with more than one notebook are
*reported and skipped*, never guessed. Each collected notebook is written to
``submitted/<student>/<exercise>/<the exercise's notebook name>`` with the exercise's
data files from the release.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .course import Course

PATTERNS = {
    "plain": r"^(?:.*/)?(?P<student>[A-Za-z0-9][A-Za-z0-9.\-]*)_[^/]*\.ipynb$",
    "canvas": r"^(?:.*/)?(?P<student>[a-z0-9]+)(?:_LATE)?_\d+_\d+_[^/]*\.ipynb$",
    "moodle": r"^(?:.*/)?(?P<student>[^/_]+)_\d+_assignsubmission_file_/[^/]*\.ipynb$",
    "folders": r"^(?P<student>[^/]+)/[^/]*\.ipynb$",
}
_VALID_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]*$")


@dataclass
class CollectResult:
    """What :func:`collect_lms` did with each file it found."""

    collected: dict[str, str] = field(default_factory=dict)  # student -> source file
    unmatched: list[str] = field(default_factory=list)  # notebooks whose name fits no pattern
    not_on_roster: dict[str, str] = field(default_factory=dict)  # student -> file
    duplicates: dict[str, list[str]] = field(default_factory=dict)  # student -> files
    ignored: list[str] = field(default_factory=list)  # files that are not notebooks

    @property
    def problems(self) -> int:
        return len(self.unmatched) + len(self.not_on_roster) + len(self.duplicates)

    def line(self, exercise: str) -> str:
        return (f"{exercise}: collected {len(self.collected)}; not matched {len(self.unmatched)}, "
                f"not on roster {len(self.not_on_roster)}, more than one notebook "
                f"{len(self.duplicates)}, other files ignored {len(self.ignored)}")


def normalise_student(raw: str) -> str:
    """A learner id from a name in a file name: ``Ana Silva`` -> ``ana.silva``."""
    sid = re.sub(r"\s+", ".", raw.strip())
    return sid.lower() if " " in raw.strip() else sid


def read_roster(path: Path) -> set[str]:
    """Learner ids, one per line (a CSV's first column; a header ``student`` is skipped)."""
    ids = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        first = line.split(",")[0].strip()
        if first and first.lower() not in {"student", "id", "student_id"} and not first.startswith("#"):
            ids.add(first)
    return ids


def compile_pattern(pattern: str) -> re.Pattern:
    """A named built-in pattern, or a regular expression with a ``student`` group."""
    regex = PATTERNS.get(pattern, pattern)
    try:
        compiled = re.compile(regex)
    except re.error as exc:
        raise ValueError(f"The pattern {pattern!r} is not a valid regular expression: {exc}.") from exc
    if "student" not in compiled.groupindex:
        raise ValueError(
            f"The pattern {pattern!r} must be one of {sorted(PATTERNS)} or a regular expression "
            "with a named group (?P<student>...).")
    return compiled


def _files(source: Path, tmp: Path) -> tuple[Path, list[str]]:
    """The folder to read (a zip is unpacked safely into ``tmp``) and its files."""
    source = Path(source)
    if source.is_file() and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as zf:
            for info in zf.infolist():
                name = PurePosixPath(info.filename)
                if info.is_dir() or name.is_absolute() or ".." in name.parts:
                    continue  # never write outside the unpack folder
                target = tmp / Path(*name.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, target.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
        source = tmp
    elif not source.is_dir():
        raise FileNotFoundError(f"{source} is neither a folder nor a .zip file of submissions.")
    files = sorted(str(p.relative_to(source).as_posix()) for p in source.rglob("*")
                   if p.is_file() and not p.is_symlink() and "__MACOSX" not in p.parts
                   and ".ipynb_checkpoints" not in p.parts)
    return source, files


def collect_lms(course: Course, exercise: str, source: Path, *, pattern: str = "plain",
                roster: set[str] | None = None) -> CollectResult:
    """Copy each learner's notebook from an LMS download into ``submitted/``."""
    course.check_exercise(exercise)
    names = course.notebook_names(exercise)
    if len(names) != 1:
        raise ValueError(f"{exercise} has {len(names)} notebooks; collecting from an LMS download "
                         "supports exercises with exactly one notebook.")
    notebook = names[0]
    regex = compile_pattern(pattern)
    release = course.release_dir(exercise)
    if not release.is_dir():
        raise FileNotFoundError(f"{exercise} has not been released ({release} is missing): run "
                                f"`callcoach release {exercise}` first.")
    result = CollectResult()
    found: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder, files = _files(Path(source), Path(tmp))
        for rel in files:
            if not rel.endswith(".ipynb"):
                result.ignored.append(rel)
                continue
            m = regex.match(rel)
            student = normalise_student(m.group("student")) if m else ""
            if not m or not _VALID_ID.match(student):
                result.unmatched.append(rel)
                continue
            found.setdefault(student, []).append(rel)
        for student, rels in sorted(found.items()):
            if len(rels) > 1:
                result.duplicates[student] = rels
                continue
            if roster is not None and student not in roster:
                result.not_on_roster[student] = rels[0]
                continue
            dest = course.submitted_dir / student / exercise
            dest.mkdir(parents=True, exist_ok=True)
            for path in release.rglob("*"):  # the exercise's data files, as released
                if path.is_file() and path.suffix != ".ipynb":
                    target = dest / path.relative_to(release)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, target)
            shutil.copyfile(folder / rels[0], dest / notebook)
            result.collected[student] = rels[0]
    return result


def collect_exchange(course: Course, exercise: str) -> str:
    """``nbgrader collect <exercise>`` from nbgrader's exchange; returns its log."""
    course.check_exercise(exercise)
    proc = course.nbgrader("collect", exercise, "--update")
    return (proc.stdout + proc.stderr).strip()
