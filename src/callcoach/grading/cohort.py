"""Autograde a whole cohort in parallel, safely, and resumably.

nbgrader autogrades one submission after another in one process (no parallel autograde,
upstream #174), and a SQLite gradebook does not take several writers at once. So:

* **Triage** first, in the parent: a submission with no notebook, an empty file, a notebook
  that is not JSON, a wrongly named notebook, one from another exercise or an oversized
  one is *set aside* with a reason the trainer can act on; it never reaches nbgrader.
* **Workers** (``--workers``, default: the machine's cores) are long-lived processes,
  forked on Linux from the parent once it has imported nbgrader (about 2 s of CPU a
  process saved). Each sets up one *scratch course* (:class:`WorkerCourse`: the course
  config re-pointed at it, a copy of the template gradebook) and grades learner after
  learner in it, one nbgrader autograde each; a learner's submission and autograded
  folders and kernel sockets are its own and are removed once merged. The template
  gradebook is copied row by row from the course gradebook, in-process
  (:func:`make_template`), instead of a ``generate_assignment`` subprocess (3-4 s).
* **Only the kernel is sandboxed**, not nbgrader: it starts through
  :mod:`callcoach.grading.sandbox` (per-cell timeout, memory limit, bubblewrap when
  available), whose launcher imports only the standard library, and is managed by
  :mod:`callcoach.grading.kernels` (no fixed sleeps at start and shutdown).
* **One writer.** Only the parent writes the course gradebook, through one nbgrader
  ``Gradebook`` kept open for the run (so SQLite or any ``db_url`` nbgrader supports): it
  merges each finished learner's grades and comments, copies the autograded notebooks
  into ``autograded/``, and then appends the outcome to
  ``reports/<exercise>/grading-log.jsonl``.
* **Resume.** A learner whose submission (by content hash) was already graded or set aside
  — per the log, and present in the gradebook — is not graded again unless ``force``.
  Interrupting a run loses at most the learners in flight: they are graded next time.
* **Resubmission.** A learner in the gradebook with other files than the ones graded is
  graded again; the earlier grade is not overwritten but set aside first
  (:func:`set_aside_previous_grade`: ``reports/<exercise>/previous/<learner>/<time>/``).
* **Deadline.** A worker that takes longer than a learner's budget (per-cell timeout times
  cells, plus a margin) is killed with its kernel and the learner is set aside.
"""
from __future__ import annotations

import copy
import hashlib
import json
import multiprocessing as mp
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from multiprocessing.connection import wait
from pathlib import Path

import nbformat

from . import sandbox
from .course import Course, nbgrader_env, scratch_config_text

LOG_FILE = "grading-log.jsonl"
GRADED, SET_ASIDE = "graded", "set aside"
#: A submitted notebook larger than this is set aside without being run.
MAX_NOTEBOOK_MB = 20
#: Files larger than this that a learner's code leaves behind are not copied back.
MAX_COPY_BACK_MB = 20


@dataclass
class Outcome:
    """What happened to one learner's submission in a grading run."""

    student: str
    status: str  # "graded" or "set aside"
    reason: str = ""  # why it was set aside
    notes: list[str] = field(default_factory=list)  # what the trainer should know about a graded one
    score: float | None = None  # autograded points
    max_score: float | None = None  # autogradable points
    seconds: float = 0.0
    fingerprint: str = ""
    graded_at: str = ""
    resumed: bool = False  # taken from an earlier run, not graded now

    def to_json(self) -> str:
        d = asdict(self)
        d.pop("resumed")
        return json.dumps(d, ensure_ascii=False)


@dataclass
class RunSummary:
    """The result of :func:`grade_cohort`."""

    exercise: str
    outcomes: list[Outcome]
    workers: int
    isolation: str
    seconds: float

    def count(self, status: str, *, resumed: bool | None = None) -> int:
        return sum(1 for o in self.outcomes if o.status == status
                   and (resumed is None or o.resumed == resumed))

    def line(self) -> str:
        done_before = sum(o.resumed for o in self.outcomes)
        return (f"{self.exercise}: {self.count(GRADED, resumed=False)} graded, "
                f"{self.count(SET_ASIDE, resumed=False)} set aside, {done_before} done before; "
                f"{self.seconds:.1f} s with {self.workers} worker(s); kernel isolation: {self.isolation}")


# -- the log of outcomes ---------------------------------------------------------------
def read_log(course: Course, exercise: str) -> dict[str, Outcome]:
    """The latest outcome per learner from ``reports/<exercise>/grading-log.jsonl``."""
    path = course.reports_dir(exercise) / LOG_FILE
    out: dict[str, Outcome] = {}
    if not path.is_file():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            d = json.loads(line)
        except json.JSONDecodeError:  # a line cut short by a crash: ignore it
            continue
        out[d["student"]] = Outcome(**d)
    return out


def _append_log(course: Course, exercise: str, outcome: Outcome) -> None:
    path = course.reports_dir(exercise) / LOG_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(outcome.to_json() + "\n")
        f.flush()
        os.fsync(f.fileno())


# -- submissions -----------------------------------------------------------------------
def students(course: Course, exercise: str) -> list[str]:
    """Learners with a folder ``submitted/<learner>/<exercise>/``."""
    if not course.submitted_dir.is_dir():
        return []
    return sorted(p.name for p in course.submitted_dir.iterdir()
                  if (p / exercise).is_dir())


def fingerprint(folder: Path) -> str:
    """A content hash of every regular file under ``folder`` (names and bytes)."""
    h = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        h.update(str(path.relative_to(folder)).encode() + b"\0")
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()[:16]


def grade_ids(course: Course, exercise: str) -> dict[str, set[str]]:
    """Notebook file name -> the nbgrader cell ids of the exercise source."""
    out = {}
    for name in course.notebook_names(exercise):
        nb = nbformat.read(course.exercises_dir / exercise / name, as_version=4)
        out[name] = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells} - {None}
    return out


def triage(folder: Path, expected: dict[str, set[str]]) -> str:
    """Why a submission cannot be graded as it is ('' when it can)."""
    folder = Path(folder)
    found = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)
    if not found:
        return f"no notebook in the submission (expected {', '.join(expected)})"
    for name, ids in expected.items():
        path = folder / name
        if path.is_symlink() or not path.is_file():
            return (f"no notebook named {name}; found {', '.join(found)}. If that is this exercise's "
                    f"work, rename it to {name} in {folder} and grade again")
        size = path.stat().st_size
        if size == 0:
            return f"{name} is an empty file (0 bytes): ask the learner to save and submit again"
        if size > MAX_NOTEBOOK_MB * 1024 * 1024:
            return (f"{name} is {size / 1024 / 1024:.0f} MB, over the {MAX_NOTEBOOK_MB} MB a submission "
                    "may have: ask the learner to clear outputs (Edit > Clear Outputs of All Cells) and submit again")
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as exc:  # noqa: BLE001 - any reading error means a damaged file
            detail = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
            return (f"{name} is not a readable notebook ({type(exc).__name__}: {detail}): the file is "
                    "damaged; ask the learner to download it again from Jupyter and resubmit")
        theirs = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.cells} - {None}
        if not theirs & ids:
            other = f" (its graded cells are {', '.join(sorted(theirs)[:4])})" if theirs else ""
            return (f"{name} holds none of this exercise's cells{other}: it looks like the notebook of "
                    "another exercise or a new notebook; ask the learner to submit the right one")
    return ""


def _copy_regular_files(src: Path, dst: Path, *, max_bytes: int | None = None) -> list[str]:
    """Copy regular files only (never follow a symlink a learner may have planted)."""
    skipped = []
    for folder, dirs, files in os.walk(src, followlinks=False):
        rel = Path(folder).relative_to(src)
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
        (Path(dst) / rel).mkdir(parents=True, exist_ok=True)
        for name in files:
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                skipped.append(str(rel / name))
                continue
            if max_bytes is not None and path.stat().st_size > max_bytes:
                skipped.append(str(rel / name))
                continue
            shutil.copy2(path, Path(dst) / rel / name)
    return skipped


# -- the worker side ------------------------------------------------------------------
def _worker_loop(conn, setup: dict, inherited=()) -> None:
    """A worker process: set up its scratch course once, then grade learners one at a time.

    ``inherited``: the parent's ends of the pipes, copied into a forked worker; closed
    here so the worker sees end-of-file (and exits) if the parent dies.
    """
    for c in inherited:
        c.close()
    os.setsid()  # its own process group, so the parent can kill it with its kernels
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's business
    grader = None
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        try:
            grader = grader or WorkerCourse(setup)
            result = grader.grade(task)
        except Exception:  # noqa: BLE001 - report, never die silently
            result = {"student": task["student"], "success": False,
                      "error": traceback.format_exc(), "log": ""}
        try:
            conn.send(result)
        except OSError:  # the parent is gone
            return


class WorkerCourse:
    """One worker's scratch course, made once and used for every learner it grades.

    ``<scratch>/course`` holds the course config re-pointed at itself, a copy of the
    template gradebook (only the exercise) and, while each learner is graded, that
    learner's submission and autograded folders (the parent removes them once merged).
    ``<scratch>/k`` holds the sandbox kernelspec; ``<scratch>/rt/<n>`` the kernel
    sockets of the n-th learner, so no two learners' kernels share a writable folder.
    """

    def __init__(self, setup: dict):
        from nbgrader.coursedir import CourseDirectory

        from .course import load_config

        self.setup = setup
        scratch = Path(setup["scratch"])
        self.root, self.runtime = scratch / "course", scratch / "rt"
        self.runtime.mkdir(parents=True, exist_ok=True)
        self.root.mkdir(parents=True, exist_ok=True)
        shutil.copy2(setup["template_db"], self.root / "gradebook.db")
        (self.root / "nbgrader_config.py").write_text(setup["config_text"], encoding="utf-8")
        kernels = sandbox.write_kernelspec(scratch / "k", isolation=setup["isolation"],
                                           memory_mb=setup["memory_mb"], writable=[],
                                           readonly=setup["readonly"], datasets=setup["datasets"])
        os.environ.update(nbgrader_env())
        os.environ.update(JUPYTER_PATH=str(kernels), JUPYTER_RUNTIME_DIR=str(self.runtime),
                          JUPYTER_CONFIG_DIR=str(scratch / "cfg"), JUPYTER_DATA_DIR=str(scratch / "data"))
        os.environ.pop("CALLCOACH_GRADEBOOK_URL", None)
        self.config = load_config(self.root / "nbgrader_config.py")
        self.coursedir = CourseDirectory(config=self.config)

    def grade(self, task: dict) -> dict:
        """Autograde one learner; return grades, comments, notes and what to clean up."""
        from nbgrader.api import Gradebook
        from nbgrader.apps.api import NbGraderAPI

        t0 = time.monotonic()
        student, exercise = task["student"], self.setup["exercise"]
        sub = self.root / "submitted" / student / exercise
        shutil.rmtree(sub, ignore_errors=True)
        _copy_regular_files(Path(task["submission"]), sub)
        pre_notes = drop_duplicate_grade_ids(sub)
        # The kernel's Unix sockets live in a fresh folder (never the shared /tmp), with
        # absolute paths, so the grader and the sandboxed kernel find the same files.
        runtime = self.runtime / str(task["n"])
        runtime.mkdir()
        config = copy.deepcopy(self.config)
        config.KernelManager.connection_file = str(runtime / "kernel.json")
        config.KernelManager.ip = str(runtime / "kernel-ipc")
        api = NbGraderAPI(coursedir=self.coursedir, config=config)
        res = api.autograde(exercise, student, force=True, create=True)
        autograded = self.root / "autograded" / student / exercise
        result = {"student": student, "success": bool(res.get("success")), "log": res.get("log", ""),
                  "error": res.get("error", ""), "grades": [], "comments": [], "notebooks": [],
                  "timestamp": None, "notes": [], "autograded": str(autograded),
                  "cleanup": [str(sub.parent), str(autograded.parent), str(runtime)]}
        if result["success"]:
            with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gb:
                submission = gb.find_submission(exercise, student)
                result["timestamp"] = submission.timestamp.isoformat() if submission.timestamp else None
                for nb in submission.notebooks:
                    result["notebooks"].append({"notebook": nb.name, "flagged": nb.flagged,
                                                "late_submission_penalty": nb.late_submission_penalty})
                    for g in nb.grades:
                        result["grades"].append({
                            "notebook": nb.name, "cell": g.name, "auto_score": g.auto_score,
                            "max_score": g.max_score, "needs_manual_grade": g.needs_manual_grade,
                            "cell_type": g.cell_type})
                    for c in nb.comments:
                        result["comments"].append({"notebook": nb.name, "cell": c.name,
                                                   "auto_comment": c.auto_comment})
            result["notes"] = pre_notes + notes_from_notebooks(autograded, self.setup)
        result["seconds"] = time.monotonic() - t0
        return result


def drop_duplicate_grade_ids(folder: Path) -> list[str]:
    """Treat copies of a graded cell as ordinary cells (in the scratch copy only).

    nbgrader's own DeduplicateIds empties the copy's metadata, which then crashes
    ``add_missing_cells`` (KeyError 'grade_id'); removing the metadata key avoids it.
    Like nbgrader, the *last* cell with an id keeps it.
    """
    notes = []
    for path in sorted(Path(folder).glob("*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:  # noqa: BLE001 - triage has already read it; leave it to nbgrader
            continue
        seen, changed = set(), False
        for cell in reversed(nb.cells):
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if gid is None:
                continue
            if gid in seen:
                del cell.metadata["nbgrader"]
                changed = True
                notes.append(f"a copy of the graded cell {gid} was graded as ordinary code")
            seen.add(gid)
        if changed:
            nbformat.write(nb, path)
    return list(dict.fromkeys(notes))


def notes_from_notebooks(folder: Path, task: dict) -> list[str]:
    """What a trainer should know about a graded notebook: timeouts, memory, sandbox hits."""
    notes = []
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            for out in cell.get("outputs", []):
                if out.get("output_type") != "error":
                    continue
                ename = out.get("ename", "")
                where = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {i + 1}"
                text = f"{ename}: {out.get('evalue', '')}"
                if ename == "CellTimeoutError" or "timed out" in text.lower():
                    notes.append(f"{where} ran longer than {task['timeout']} s and was stopped")
                elif ename == "MemoryError":
                    notes.append(f"{where} hit the memory limit of {task['memory_mb']} MB")
                elif ename in ("DeadKernelError",) or "kernel died" in text.lower():
                    notes.append(f"{where}: the learner's code crashed the Python kernel")
                elif ename in ("PermissionError", "OSError") and ("Read-only" in text or "denied" in text):
                    notes.append(f"{where} tried to write outside its folder and was refused ({text[:120]})")
    return list(dict.fromkeys(notes))


# -- the parent side -------------------------------------------------------------------
def merge_into_gradebook(gb, exercise: str, result: dict) -> None:
    """Write one learner's autograde results into the course gradebook ``gb`` (the only writer)."""
    student = result["student"]
    gb.update_or_create_student(student)
    kwargs = {}
    if result.get("timestamp"):
        kwargs["timestamp"] = datetime.fromisoformat(result["timestamp"])
    gb.update_or_create_submission(exercise, student, **kwargs)
    for g in result["grades"]:
        grade = gb.find_grade(g["cell"], g["notebook"], exercise, student)
        grade.auto_score = g["auto_score"]
        grade.needs_manual_grade = g["needs_manual_grade"]
    for c in result["comments"]:
        comment = gb.find_comment(c["cell"], c["notebook"], exercise, student)
        comment.auto_comment = c["auto_comment"]
    for n in result["notebooks"]:
        snb = gb.find_submission_notebook(n["notebook"], exercise, student)
        snb.late_submission_penalty = n["late_submission_penalty"]
    gb.db.commit()


def set_aside_previous_grade(course: Course, gb, exercise: str, student: str) -> str:
    """Keep a resubmitting learner's earlier grade before the new one is merged.

    Writes the gradebook's record of the earlier submission (every grade and comment,
    hand-grading included) to ``reports/<exercise>/previous/<learner>/<time>/grades.json``
    and moves its ``autograded/`` and ``feedback/`` folders there; then clears the hand
    grades, extra credit and hand comments in the gradebook, which were about the old
    answer, so the trainer marks the new one (committed with the new grades by
    :func:`merge_into_gradebook`). Returns the folder, relative to the course.
    """
    from nbgrader.api import MissingEntry

    try:
        old = gb.find_submission(exercise, student)
    except MissingEntry:
        return ""
    folder = course.reports_dir(exercise) / "previous" / student / _now().replace(":", "")
    folder.mkdir(parents=True, exist_ok=True)
    record = {"student": student, "exercise": exercise, "set_aside_at": _now(),
              "timestamp": old.timestamp.isoformat() if old.timestamp else None,
              "score": old.score, "max_score": old.max_score, "grades": [], "comments": []}
    for nb in old.notebooks:
        for g in nb.grades:
            record["grades"].append({"notebook": nb.name, "cell": g.name, "auto_score": g.auto_score,
                                     "manual_score": g.manual_score, "extra_credit": g.extra_credit,
                                     "max_score": g.max_score})
            g.manual_score = g.extra_credit = None
        for c in nb.comments:
            record["comments"].append({"notebook": nb.name, "cell": c.name,
                                       "auto_comment": c.auto_comment, "manual_comment": c.manual_comment})
            c.manual_comment = None
    (folder / "grades.json").write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")
    for kind in ("autograded", "feedback"):
        src = course.root / kind / student / exercise
        if src.exists():
            shutil.move(str(src), str(folder / kind))
    return str(folder.relative_to(course.root))


def gradebook_students(db_url: str, exercise: str) -> set[str]:
    """Learners with a submission of ``exercise`` in the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gb:
        try:
            assignment = gb.find_assignment(exercise)
        except MissingEntry:
            return set()
        return {s.student.id for s in assignment.submissions}


def ensure_assignment(course: Course, exercise: str) -> None:
    """Make sure the gradebook knows the exercise (release it once if it does not)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url) as gb:
        try:
            gb.find_assignment(exercise)
            return
        except MissingEntry:
            pass
    course.nbgrader("generate_assignment", exercise, "--force", "--log-level=WARN")


def make_template(course: Course, exercise: str, path: Path) -> Path:
    """A SQLite gradebook at ``path`` holding only the exercise, copied from the course's.

    Workers autograde against it as ``nbgrader autograde`` does against the course
    gradebook: the same notebooks, cells, checksums and kernelspec, recorded at release.
    The rows are copied table by table, in-process (running ``generate_assignment`` in a
    subprocess cost 3-4 s, alembic included). Raises when the exercise source's graded
    cells differ from the gradebook's: the source changed since it was released.
    """
    from nbgrader.api import Base
    from sqlalchemy import create_engine, select, text

    source_cells = set()
    for name in course.notebook_names(exercise):
        nb = nbformat.read(course.exercises_dir / exercise / name, as_version=4)
        source_cells |= {(Path(name).stem, c.metadata["nbgrader"]["grade_id"]) for c in nb.cells
                         if c.get("metadata", {}).get("nbgrader", {}).get("grade")}
    src, dst = create_engine(course.db_url), create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(dst)
    t = Base.metadata.tables
    try:
        with src.connect() as s, dst.begin() as d:
            def copy_rows(table, where) -> list[dict]:
                rows = [dict(r._mapping) for r in s.execute(select(t[table]).where(where))]
                if rows:
                    d.execute(t[table].insert(), rows)
                return rows

            (assignment,) = copy_rows("assignment", t["assignment"].c.name == exercise)
            copy_rows("course", t["course"].c.id == assignment["course_id"])
            notebooks = {r["id"]: r["name"] for r in
                         copy_rows("notebook", t["notebook"].c.assignment_id == assignment["id"])}
            cells = {r["id"]: r for r in
                     copy_rows("base_cell", t["base_cell"].c.notebook_id.in_(list(notebooks)))}
            graded = copy_rows("grade_cells", t["grade_cells"].c.id.in_(list(cells)))
            for table in ("solution_cells", "task_cells"):
                copy_rows(table, t[table].c.id.in_(list(cells)))
            copy_rows("source_cell", t["source_cell"].c.notebook_id.in_(list(notebooks)))
            version = s.execute(text("SELECT version_num FROM alembic_version")).scalar()
            d.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            d.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": version})
    finally:
        src.dispose()
        dst.dispose()
    released = {(notebooks[cells[g["id"]]["notebook_id"]], cells[g["id"]]["name"]) for g in graded}
    if released != source_cells:
        raise RuntimeError(
            f"The source of {exercise} has graded cells that differ from the gradebook's: it changed "
            f"since it was released. Run `callcoach release {exercise}` first, then grade again.")
    return Path(path)


def _budget(course: Course, exercise: str, timeout: int) -> float:
    """Wall-clock seconds one learner may take before the worker is killed."""
    cells = 0
    for name in course.notebook_names(exercise):
        nb = nbformat.read(course.exercises_dir / exercise / name, as_version=4)
        cells += sum(c.cell_type == "code" for c in nb.cells)
    return timeout * (cells + 2) + 90


class _Worker:
    """The parent's handle on one worker process and the learner it is grading."""

    def __init__(self, ctx, setup: dict, others: list[_Worker] = ()):
        self.conn, child = ctx.Pipe()
        inherited = [self.conn, *(w.conn for w in others)] if ctx.get_start_method() == "fork" else []
        self.proc = ctx.Process(target=_worker_loop, args=(child, setup, inherited), daemon=True)
        self.proc.start()
        child.close()
        self.task: dict | None = None
        self.deadline = 0.0

    def send(self, task: dict, budget: float) -> None:
        self.task = task
        self.deadline = time.monotonic() + budget
        self.conn.send(task)

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self.proc.join(5)
        if self.proc.is_alive():
            self.kill()


def _error_reason(result: dict) -> str:
    """The most telling line of nbgrader's log: the exception it hit."""
    lines = [ln.strip() for ln in result.get("log", "").splitlines() if ln.strip()]
    boring = ("Please see the", "There was an error processing", "Removing failed assignment")
    exc = [ln for ln in lines if ":" in ln and ln.split(":")[0].replace(".", "").isidentifier()
           and ln.split(":")[0].split(".")[-1].endswith(("Error", "Exception", "Interrupt"))]
    errors = [ln for ln in lines if ln.startswith("[ERROR]") and not any(b in ln for b in boring)]
    if exc:
        last = exc[-1]
    elif errors:
        last = errors[-1]
    else:
        err = [ln for ln in result.get("error", "").splitlines() if ln.strip()]
        last = err[-1] if err else "no details"
    return f"nbgrader could not autograde it: {last[:300]}"


def grade_cohort(course: Course, exercise: str, *, workers: int | None = None, timeout: int = 60,
                 memory_mb: int = 2048, isolation: str = "auto", force: bool = False,
                 only: list[str] | None = None, progress: bool = True,
                 scratch_dir: Path | None = None, keep_scratch: bool = False) -> RunSummary:
    """Autograde every submission of ``exercise`` in ``course``; see the module docstring.

    Parameters
    ----------
    workers : worker processes (default: the machine's cores).
    timeout : seconds each notebook cell may run.
    memory_mb : address-space limit for the learner's kernel, in MiB.
    isolation : ``auto`` (bubblewrap when it works), ``bwrap`` (required) or ``limits``.
    force : regrade learners already graded or set aside with the same submission.
    only : grade only these learners.
    """
    t0 = time.monotonic()
    course.check_exercise(exercise)
    if timeout <= 0:
        raise ValueError(f"The 'timeout' parameter of grade_cohort must be a positive number of seconds. Got {timeout} instead.")
    if memory_mb < 256:
        raise ValueError(f"The 'memory_mb' parameter of grade_cohort must be at least 256 (MiB). Got {memory_mb} instead.")
    workers = workers or os.cpu_count() or 1
    if workers < 1:
        raise ValueError(f"The 'workers' parameter of grade_cohort must be at least 1. Got {workers} instead.")
    mode = sandbox.resolve_isolation(isolation)
    everyone = students(course, exercise)
    if only:
        unknown = sorted(set(only) - set(everyone))
        if unknown:
            raise KeyError(f"No submission of {exercise} for {unknown} in {course.submitted_dir}. "
                           f"Expected some of {everyone}.")
        everyone = [s for s in everyone if s in only]

    ensure_assignment(course, exercise)
    before = read_log(course, exercise)
    in_gradebook = gradebook_students(course.db_url, exercise)
    expected = grade_ids(course, exercise)
    outcomes: list[Outcome] = []
    todo: list[tuple[str, str]] = []
    for student in everyone:
        folder = course.submitted_dir / student / exercise
        fp = fingerprint(folder)
        prev = before.get(student)
        if (not force and prev and prev.fingerprint == fp
                and (prev.status == SET_ASIDE or student in in_gradebook)):
            prev.resumed = True
            outcomes.append(prev)
            continue
        reason = triage(folder, expected)
        if reason:
            o = Outcome(student, SET_ASIDE, reason=reason, fingerprint=fp, graded_at=_now())
            _append_log(course, exercise, o)
            outcomes.append(o)
            continue
        todo.append((student, fp))

    if todo:
        # A learner already in the gradebook for another submission (or graded outside
        # callcoach) has resubmitted: their earlier grade is set aside, not overwritten.
        resubmitted = {s for s, fp in todo if s in in_gradebook and not (
            before.get(s) and before[s].status == GRADED and before[s].fingerprint == fp)}
        outcomes += _run_workers(course, exercise, todo, resubmitted, workers=min(workers, len(todo)),
                                 timeout=timeout, memory_mb=memory_mb, mode=mode,
                                 progress=progress, scratch_dir=scratch_dir,
                                 keep_scratch=keep_scratch)
    outcomes.sort(key=lambda o: o.student)
    return RunSummary(exercise, outcomes, workers=min(workers, max(len(todo), 1)), isolation=mode,
                      seconds=time.monotonic() - t0)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _run_workers(course, exercise, todo, resubmitted, *, workers, timeout, memory_mb, mode,
                 progress, scratch_dir, keep_scratch) -> list[Outcome]:
    import nbgrader.apps.api  # noqa: F401  (imported once here; forked workers share it)
    from nbgrader.api import Gradebook
    from tqdm.auto import tqdm

    scratch_root = Path(tempfile.mkdtemp(prefix="cc-", dir=scratch_dir))
    os.chmod(scratch_root, 0o700)
    outcomes = []
    pool: list[_Worker] = []
    gb = None
    try:
        template = make_template(course, exercise, scratch_root / "template.db")
        budget = _budget(course, exercise, timeout)
        extra = (f"c.Execute.timeout = {int(timeout)}\n"
                 "c.Execute.interrupt_on_timeout = True\n"
                 # the sandbox is thrown away: no need to wait for the kernel to tidy up;
                 # and no idle waits around the kernel's start and end (see kernels.py)
                 "c.Execute.shutdown_kernel = 'immediate'\n"
                 "c.Execute.kernel_manager_class = 'callcoach.grading.kernels.GradingKernelManager'\n"
                 f"c.Execute.kernel_name = {sandbox.KERNEL_NAME!r}\n"
                 "c.KernelManager.transport = 'ipc'\n")
        readonly, datasets = sandbox.readonly_paths(), sandbox.course_datasets_dir() or ""
        made = 0

        def new_worker() -> _Worker:
            nonlocal made
            made += 1
            scratch = scratch_root / f"w{made}"  # short: Unix socket paths are limited
            root = scratch / "course"
            setup = {"exercise": exercise, "scratch": str(scratch), "template_db": str(template),
                     "timeout": timeout, "memory_mb": memory_mb, "isolation": mode,
                     "readonly": readonly, "datasets": datasets,
                     "config_text": scratch_config_text(
                         course, root=root, db_url=f"sqlite:///{root / 'gradebook.db'}", extra=extra)}
            return _Worker(ctx, setup, others=pool)

        fps = dict(todo)
        queue = [s for s, _ in todo]
        # fork (Linux): a worker starts at once with nbgrader already imported, instead of
        # spending ~2 s of CPU importing it again; elsewhere, spawn.
        ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        tqdm.monitor_interval = 0  # no monitor thread: the parent stays single-threaded for fork
        for _ in range(workers):
            pool.append(new_worker())
        bar = tqdm(total=len(queue), unit="learner", desc=f"grading {exercise}", disable=not progress)
        counts = {GRADED: 0, SET_ASIDE: 0}
        n = 0
        gb = Gradebook(course.db_url)  # the only writer, open for the whole run

        def finish(outcome: Outcome, result: dict | None = None) -> None:
            _append_log(course, exercise, outcome)
            outcomes.append(outcome)
            counts[outcome.status] += 1
            bar.update(1)
            bar.set_postfix(graded=counts[GRADED], set_aside=counts[SET_ASIDE])
            if result and not keep_scratch:
                for path in result.get("cleanup", []):
                    shutil.rmtree(path, ignore_errors=True)

        while queue or any(w.task for w in pool):
            for w in pool:
                if w.task is None and queue:
                    student = queue.pop(0)
                    n += 1
                    w.send({"student": student, "n": n,
                            "submission": str(course.submitted_dir / student / exercise)}, budget)
            busy = [w for w in pool if w.task]
            ready = wait([w.conn for w in busy], timeout=1.0)
            for i, w in enumerate(pool):
                if not w.task:
                    continue
                student = w.task["student"]
                if w.conn in ready:
                    try:
                        result = w.conn.recv()
                    except (EOFError, OSError):
                        result = None
                    if result is None:  # the worker died under us
                        w.kill()
                        pool[i] = new_worker()
                        finish(Outcome(student, SET_ASIDE, fingerprint=fps[student], graded_at=_now(),
                                       reason="the grading process crashed while running this notebook "
                                              "(see the notebook for code that kills its own process)"))
                        continue
                    w.task = None
                    finish(_conclude(course, gb, exercise, result, fps[student],
                                     resubmitted=student in resubmitted), result)
                elif time.monotonic() > w.deadline:
                    w.kill()
                    pool[i] = new_worker()
                    finish(Outcome(student, SET_ASIDE, fingerprint=fps[student], graded_at=_now(),
                                   reason=f"grading did not finish within {budget:.0f} s (a cell that "
                                          "ignores the per-cell timeout); the grader was stopped"))
        bar.close()
    finally:
        for w in pool:
            w.stop() if w.proc.is_alive() else None
        if gb is not None:
            gb.close()
        if not keep_scratch:
            shutil.rmtree(scratch_root, ignore_errors=True)
    return outcomes


def _conclude(course: Course, gb, exercise: str, result: dict, fp: str, *,
              resubmitted: bool = False) -> Outcome:
    """Merge a worker's result into the course (gradebook, autograded/) and say what happened."""
    student = result["student"]
    logs = course.reports_dir(exercise) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    (logs / f"{student}.log").write_text(result.get("log", "") + "\n" + result.get("error", ""),
                                         encoding="utf-8")
    if not result.get("success"):
        return Outcome(student, SET_ASIDE, reason=_error_reason(result), fingerprint=fp,
                       seconds=round(result.get("seconds", 0.0), 2), graded_at=_now())
    notes = list(result.get("notes", []))
    if resubmitted:
        kept = set_aside_previous_grade(course, gb, exercise, student)
        if kept:
            notes.append(f"resubmitted: the earlier grade and its hand marks are kept in {kept}")
    merge_into_gradebook(gb, exercise, result)
    dest = course.autograded_dir / student / exercise
    if dest.exists():
        shutil.rmtree(dest)
    skipped = _copy_regular_files(Path(result["autograded"]), dest, max_bytes=MAX_COPY_BACK_MB << 20)
    if skipped:
        notes.append(f"files the code left behind were not kept: {', '.join(skipped[:5])}")
    auto = [g for g in result["grades"] if g["cell_type"] == "code"]
    return Outcome(student, GRADED, notes=notes,
                   score=sum(g["auto_score"] or 0 for g in auto),
                   max_score=sum(g["max_score"] or 0 for g in auto),
                   fingerprint=fp, seconds=round(result.get("seconds", 0.0), 2), graded_at=_now())
