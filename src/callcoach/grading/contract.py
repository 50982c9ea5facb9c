"""Check the exercise contract with real nbgrader runs.

For every exercise in ``exercises/``:

* the release (student version) contains no solution, no hidden test and no trainer-only
  file (catalogued misconceptions, ground truth);
* the solution notebook gets full autograded marks;
* the untouched release gets zero autograded marks;
* each catalogued misconception (``misconceptions.toml`` beside the exercise) gets less
  than full marks on its question, and the learner's feedback shows the message that
  teaches.

Everything runs in a temporary copy of the course, so the trainer's own gradebook and
folders are never touched. Used by ``tests/test_nbgrader_roundtrip.py``.
"""
from __future__ import annotations

import copy
import fnmatch
import html
import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

#: Markers that must never reach a learner.
FORBIDDEN_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
#: File patterns that must never reach a learner (kept in step with nbgrader_config.py).
TRAINER_ONLY = ("misconceptions*", "ground_truth*", "TRAINER*", "*.trainer.*")
MISCONCEPTIONS_FILE = "misconceptions.toml"
SOLUTION_STUDENT = "solution"
BLANK_STUDENT = "blank"


@dataclass(frozen=True)
class Misconception:
    """A wrong answer learners really give, kept beside the exercise."""

    id: str
    question: str
    code: str
    message: str
    learners_say: str = ""

    @property
    def student(self) -> str:
        return f"mc-{self.id}"


@dataclass
class ContractResult:
    """What one autograde round trip of one exercise found."""

    exercise: str
    release_problems: list[str] = field(default_factory=list)
    scores: dict[str, dict[str, float]] = field(default_factory=dict)  # student -> grade_id -> score
    max_scores: dict[str, float] = field(default_factory=dict)  # grade_id -> points (autograded)
    feedback: dict[str, str] = field(default_factory=dict)  # student -> feedback text (unescaped)
    misconceptions: list[Misconception] = field(default_factory=list)

    def total(self, student: str) -> float:
        return sum(self.scores.get(student, {}).values())

    @property
    def max_total(self) -> float:
        return sum(self.max_scores.values())


def exercises(exercises_dir: Path) -> list[str]:
    """Names of the exercises: folders of ``exercises_dir`` that hold a notebook."""
    return sorted(p.name for p in Path(exercises_dir).iterdir()
                  if p.is_dir() and any(p.glob("*.ipynb")))


def load_misconceptions(exercise_dir: Path) -> list[Misconception]:
    """Read ``misconceptions.toml`` of one exercise (an empty list if there is none)."""
    path = Path(exercise_dir) / MISCONCEPTIONS_FILE
    if not path.is_file():
        return []
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("misconception", [])
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path} is not valid TOML: {exc}") from exc
    out = []
    for i, entry in enumerate(entries, start=1):
        missing = [k for k in ("id", "question", "code", "message") if k not in entry]
        if missing:
            raise ValueError(f"Misconception #{i} in {path} lacks the keys {missing}.")
        out.append(Misconception(**{k: entry[k] for k in ("id", "question", "code", "message")},
                                 learners_say=entry.get("learners_say", "")))
    return out


def strip_solution_markers(source: str) -> str:
    """The solution as a learner would have typed it: nbgrader's markers removed."""
    keep = [line for line in source.splitlines()
            if line.strip() not in {"### BEGIN SOLUTION", "### END SOLUTION"}]
    return "\n".join(keep)


def answers_from_source(source_nb: nbformat.NotebookNode) -> dict[str, str]:
    """Map each answer cell's grade_id to its solution, from an exercise source notebook."""
    answers = {}
    for cell in source_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            answers[meta["grade_id"]] = strip_solution_markers(cell.source)
    return answers


def hidden_test_lines(source_nb: nbformat.NotebookNode, *, min_length: int = 16) -> set[str]:
    r"""Lines of code inside hidden-test regions of a source notebook.

    Used to prove that feedback never quotes a hidden check (which would give the answer
    away). Short lines (``)``, ``else:``) are left out: they appear everywhere.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> nb = new_notebook(cells=[new_code_cell(
    ...     "# visible\n### BEGIN HIDDEN TESTS\n_expected = secret_formula(data)\n### END HIDDEN TESTS")])
    >>> hidden_test_lines(nb)
    {'_expected = secret_formula(data)'}
    """
    found: set[str] = set()
    for cell in source_nb.cells:
        inside = False
        for line in cell.source.splitlines():
            text = line.strip()
            if "BEGIN HIDDEN TESTS" in text:
                inside = True
            elif "END HIDDEN TESTS" in text:
                inside = False
            elif inside and len(text) >= min_length and not text.startswith("#"):
                found.add(text)
    return found


def fill_answers(release_nb: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    """A copy of a released notebook with the given answer cells filled in."""
    nb = copy.deepcopy(release_nb)
    unknown = set(answers) - {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
    if unknown:
        raise KeyError(f"No answer cell with grade_id {sorted(unknown)} in the notebook.")
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def release_problems(release_dir: Path) -> list[str]:
    """Everything in a release folder that a learner must not get."""
    problems = []
    for path in sorted(Path(release_dir).rglob("*")):
        if not path.is_file():
            continue
        if any(fnmatch.fnmatch(path.name, pat) for pat in TRAINER_ONLY):
            problems.append(f"{path.relative_to(release_dir)}: trainer-only file in the release")
        if path.suffix == ".ipynb":
            text = path.read_text(encoding="utf-8")
            for marker in FORBIDDEN_MARKERS:
                if marker in text:
                    problems.append(f"{path.relative_to(release_dir)}: contains '{marker}'")
    return problems


def _nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.pop("CALLCOACH_GRADEBOOK_URL", None)
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def copy_course(kit_root: Path, dest: Path) -> Path:
    """Copy the course (grading config and exercise sources) to ``dest``; return its root."""
    dest = Path(dest)
    (dest / "grading").mkdir(parents=True, exist_ok=True)
    shutil.copy2(Path(kit_root) / "grading" / "nbgrader_config.py", dest / "grading")
    shutil.copytree(Path(kit_root) / "exercises", dest / "exercises",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return dest / "grading"


def run_round_trip(course: Path, exercise: str) -> ContractResult:
    """Release, submit (solution, blank, each misconception), autograde and feed back.

    ``course`` is a course root made by :func:`copy_course` (never the trainer's own).
    """
    from nbgrader.api import Gradebook

    course = Path(course)
    source_dir = course.parent / "exercises" / exercise
    _nbgrader(course, "generate_assignment", exercise, "--force")
    result = ContractResult(exercise=exercise, misconceptions=load_misconceptions(source_dir))
    release_dir = course / "release" / exercise
    result.release_problems = release_problems(release_dir)

    submissions: dict[str, dict[str, str] | None] = {BLANK_STUDENT: None}
    notebooks = sorted(p.name for p in source_dir.glob("*.ipynb"))
    solutions = {nb: answers_from_source(nbformat.read(source_dir / nb, as_version=4)) for nb in notebooks}
    submissions[SOLUTION_STUDENT] = {}
    for mc in result.misconceptions:
        submissions[mc.student] = {mc.question: mc.code.strip("\n")}
    for student, override in submissions.items():
        target = course / "submitted" / student / exercise
        shutil.copytree(release_dir, target)
        if override is None:
            continue
        for nb_name in notebooks:
            release_nb = nbformat.read(release_dir / nb_name, as_version=4)
            answers = dict(solutions[nb_name])
            answers.update({k: v for k, v in override.items() if k in answers})
            nbformat.write(fill_answers(release_nb, answers), target / nb_name)

    _nbgrader(course, "autograde", exercise, "--force")
    _nbgrader(course, "generate_feedback", exercise, "--force")

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assignment = gb.find_assignment(exercise)
        for nb in assignment.notebooks:
            for cell in nb.grade_cells:
                if cell.cell_type == "code":
                    result.max_scores[cell.name] = cell.max_score
        for student in submissions:
            result.scores[student] = {}
            for nb in assignment.notebooks:
                for cell in nb.grade_cells:
                    if cell.cell_type != "code":
                        continue
                    grade = gb.find_grade(cell.name, nb.name, exercise, student)
                    result.scores[student][cell.name] = grade.score
            pages = sorted((course / "feedback" / student / exercise).glob("*.html"))
            result.feedback[student] = "\n".join(html.unescape(p.read_text(encoding="utf-8")) for p in pages)
    return result
