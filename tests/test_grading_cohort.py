"""Grading a cohort with bad submissions: everyone graded or set aside with a reason,
the good learners graded right, the gradebook consistent, learner code sandboxed.

One cohort run (module-scoped) through ``callcoach grade`` on a temporary copy of the
course, with 2 workers and a 10 s per-cell timeout; then ``feedback``, ``export`` and
``report`` on the result, and a second ``grade`` that must resume without regrading.
"""
from __future__ import annotations

import csv
import json
import shutil
import time
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from nbgrader.api import Gradebook

from callcoach.cli import main
from callcoach.grading import cohort, contract, sandbox
from callcoach.grading.course import Course
from fixtures.bad_submissions import EXERCISE, build_corpus, outside_targets
from pg import postgres_url  # noqa: F401  (a pytest fixture)

KIT = Path(__file__).resolve().parents[1]
BWRAP = sandbox.bwrap_path() is not None


def run(course: Path, *args: str):
    result = CliRunner().invoke(main, ["--course", str(course), *args], catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = contract.copy_course(KIT, tmp_path_factory.mktemp("cohort"))
    res = run(root, "release", EXERCISE)
    assert res.exit_code == 0, res.output
    return root


@pytest.fixture(scope="module")
def expect(course) -> dict[str, tuple]:
    return build_corpus(course)


@pytest.fixture(scope="module")
def graded(course, expect):
    t0 = time.monotonic()
    res = run(course, "grade", EXERCISE, "--workers", "2", "--timeout", "10", "--memory-mb", "2048")
    seconds = time.monotonic() - t0
    assert res.exit_code == 0, res.output
    return {"output": res.output, "seconds": seconds,
            "log": cohort.read_log(Course(course), EXERCISE)}


def _gradebook_scores(course: Path) -> dict[str, dict[str, float]]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        out = {}
        for sub in gb.find_assignment(EXERCISE).submissions:
            out[sub.student.id] = {g.name: g.auto_score for nb in sub.notebooks for g in nb.grades
                                   if g.cell_type == "code"}
        return out


def _notebook_scores(path: Path) -> dict[str, float]:
    """Scores read off an autograded notebook: a test cell passes when it shows no error."""
    nb = nbformat.read(path, as_version=4)
    out = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and cell.cell_type == "code":
            failed = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
            out[meta["grade_id"]] = 0.0 if failed else float(meta["points"])
    return out


def test_corpus_has_at_least_twelve_kinds_of_bad_submission(expect):
    assert len([s for s in expect if not s.startswith("good")]) >= 12


def test_every_learner_is_graded_or_set_aside_as_expected(graded, expect):
    log = graded["log"]
    assert sorted(log) == sorted(expect)
    for student, (status, detail) in expect.items():
        o = log[student]
        assert o.status == status, f"{student}: {o.status} ({o.reason})"
        if status == "graded":
            assert o.score == detail, f"{student}: {o.score} points, expected {detail}"
        else:
            assert detail in o.reason, f"{student}: reason {o.reason!r} lacks {detail!r}"


def test_summary_names_each_set_aside_learner_with_the_reason(graded, expect):
    out = graded["output"]
    for student, (status, detail) in expect.items():
        if status == "set aside":
            lines = [ln for ln in out.splitlines() if "SET ASIDE  " in ln and f" {student} " in ln]
            assert lines and detail in lines[0], f"{student} not in the summary:\n{out}"
    last = [ln for ln in out.splitlines() if ln.strip()][-1]
    assert last.startswith(f"{EXERCISE}: ") and "graded" in last and "set aside" in last, last


def test_timeouts_and_memory_limit_are_noted_for_the_trainer(graded):
    log = graded["log"]
    assert any("longer than 10 s" in n for n in log["infinite-loop"].notes)
    assert any("memory limit" in n for n in log["memory-hog"].notes)


def test_gradebook_holds_one_submission_per_graded_learner_matching_the_notebooks(course, graded, expect):
    scores = _gradebook_scores(course)
    graded_learners = {s for s, (status, _) in expect.items() if status == "graded"}
    assert set(scores) == graded_learners
    for student in graded_learners:
        nb = course / "autograded" / student / EXERCISE / "service-level.ipynb"
        assert scores[student] == _notebook_scores(nb), student
        assert sum(scores[student].values()) == expect[student][1]


def test_learner_code_cannot_read_secrets_write_outside_or_use_the_network(course, graded):
    if not BWRAP:
        pytest.skip("bubblewrap is not available: only resource limits apply (see the trainer guide)")
    nb = nbformat.read(course / "autograded" / "snoop" / EXERCISE / "service-level.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert "LEAKED" not in text, text
    # its private /tmp is writable (and thrown away); the course and exercises are not
    assert "BLOCKED write course folder" in text and "BLOCKED write exercise source" in text
    for what in ("solutions", "misconceptions", "gradebook", "other learner", "course config"):
        assert f"BLOCKED read {what}" in text
    assert "BLOCKED network" in text
    for path in outside_targets(course):
        assert not path.exists(), f"learner code wrote {path}"


def test_enormous_output_is_cut_down_in_the_autograded_notebook(course, graded):
    path = course / "autograded" / "huge-output" / EXERCISE / "service-level.ipynb"
    assert path.stat().st_size < 1_000_000


def test_second_run_resumes_without_regrading(course, graded, expect):
    before = _gradebook_scores(course)
    t0 = time.monotonic()
    res = run(course, "grade", EXERCISE, "--workers", "2", "--timeout", "10")
    assert res.exit_code == 0, res.output
    assert f"0 graded, 0 set aside, {len(expect)} done before" in res.output
    assert time.monotonic() - t0 < 30
    assert _gradebook_scores(course) == before


def test_changed_submission_is_regraded_on_the_next_run(course, graded):
    folder = course / "submitted" / "empty-file" / EXERCISE
    good = course / "submitted" / "good-a" / EXERCISE / "service-level.ipynb"
    (folder / "service-level.ipynb").write_bytes(good.read_bytes())
    res = run(course, "grade", EXERCISE, "--timeout", "10", "--student", "empty-file")
    assert res.exit_code == 0, res.output
    assert "1 graded, 0 set aside" in res.output
    assert sum(_gradebook_scores(course)["empty-file"].values()) == 6


def test_export_writes_one_row_per_learner_and_one_column_per_question(course, graded, expect):
    out = course / "export" / "grades.csv"
    res = run(course, "export", EXERCISE, "-o", str(out))
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert sorted(r["student"] for r in rows) == sorted(expect)
    for col in ("q1_test_range", "q1_test_hidden", "q2_test_small", "q3_explain_to_team_leader", "total"):
        assert col in rows[0]
    good = next(r for r in rows if r["student"] == "good-a")
    assert float(good["auto_total"]) == 6 and good["waiting_hand_grading"] == "q3_explain_to_team_leader"
    aside = next(r for r in rows if r["student"] == "corrupt-json")
    assert aside["status"] == "set aside" and "not a readable notebook" in aside["reason"]


def test_report_is_offline_html_with_charts_set_asides_and_waiting_hand_grading(course, graded, expect):
    out = course / "reports" / "cohort.html"
    res = run(course, "report", EXERCISE, "-o", str(out))
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert "<script src=" not in page and "cdn.jsdelivr" not in page  # nothing fetched
    assert "vegaEmbed(" in page and "chart-scores" in page and "chart-questions" in page
    assert "hard-coded-number" in page  # good-b's misconception, matched by its message
    for student, (status, detail) in expect.items():
        assert student in page
    assert "Written answers waiting in formgrader" in page and "q3_explain_to_team_leader" in page
    assert "not a readable notebook" in page


def test_feedback_is_written_for_every_graded_learner(course, graded, expect):
    res = run(course, "feedback", EXERCISE)
    assert res.exit_code == 0, res.output
    have = {p.parent.parent.name for p in (course / "feedback").glob(f"*/{EXERCISE}/*.html")}
    assert {s for s, (st, _) in expect.items() if st == "graded"} <= have
    page = (course / "feedback" / "good-b" / EXERCISE / "service-level.html").read_text(encoding="utf-8")
    assert "should be 92 / 110" in page


def test_cohort_run_is_reasonably_fast(graded, expect):
    # 16 learners, 2 workers, one infinite loop costing the 10 s timeout.
    print(f"cohort of {len(expect)} graded in {graded['seconds']:.1f} s")
    assert graded["seconds"] < 120


def test_resubmission_sets_the_earlier_grade_aside_and_grades_the_new_one(course, graded):
    # deleted-answer was graded 3/6; the trainer has hand-marked its written answer.
    student, q3 = "deleted-answer", "q3_explain_to_team_leader"
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.find_grade(q3, "service-level", EXERCISE, student).manual_score = 1.5
        gb.find_comment(q3, "service-level", EXERCISE, student).manual_comment = "Clear, kind."
        gb.db.commit()
    good = course / "submitted" / "good-a" / EXERCISE / "service-level.ipynb"
    (course / "submitted" / student / EXERCISE / "service-level.ipynb").write_bytes(good.read_bytes())

    res = run(course, "grade", EXERCISE, "--timeout", "10", "--student", student)
    assert res.exit_code == 0, res.output
    assert "1 graded, 0 set aside" in res.output and "resubmitted" in res.output
    # The new submission is graded, with no hand mark carried over from the old answer ...
    assert sum(_gradebook_scores(course)[student].values()) == 6
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert gb.find_grade(q3, "service-level", EXERCISE, student).manual_score is None
        assert gb.find_comment(q3, "service-level", EXERCISE, student).manual_comment is None
    # ... and the old grade is kept: gradebook record, autograded notebook, log line.
    (kept,) = (course / "reports" / EXERCISE / "previous" / student).iterdir()
    record = json.loads((kept / "grades.json").read_text(encoding="utf-8"))
    auto = {g["cell"]: g["auto_score"] for g in record["grades"] if g["cell"] != q3}
    assert sum(auto.values()) == 3
    assert next(g for g in record["grades"] if g["cell"] == q3)["manual_score"] == 1.5
    assert next(c for c in record["comments"] if c["cell"] == q3)["manual_comment"] == "Clear, kind."
    assert (kept / "autograded" / "service-level.ipynb").is_file()
    lines = (course / "reports" / EXERCISE / "grading-log.jsonl").read_text(encoding="utf-8").splitlines()
    scores = [json.loads(ln)["score"] for ln in lines if json.loads(ln)["student"] == student]
    assert scores == [3, 6]


def _submit(course: Path, student: str, nb) -> None:
    folder = course / "submitted" / student / EXERCISE
    shutil.copytree(course / "release" / EXERCISE, folder)
    nbformat.write(nb, folder / "service-level.ipynb")


def test_grade_with_a_postgresql_gradebook(tmp_path, monkeypatch, postgres_url):
    """CALLCOACH_GRADEBOOK_URL (CourseDirectory.db_url) points every command at PostgreSQL."""
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(postgres_url)
    with psycopg.connect(host=server.host, port=server.port, user=server.username, dbname="postgres",
                         autocommit=True, connect_timeout=10) as conn:
        conn.execute("DROP DATABASE IF EXISTS grading_cohort")
        conn.execute("CREATE DATABASE grading_cohort")
    url = server.set(database="grading_cohort").render_as_string(hide_password=False)
    monkeypatch.setenv("CALLCOACH_GRADEBOOK_URL", url)
    root = contract.copy_course(KIT, tmp_path)
    assert Course(root).db_url == url
    assert run(root, "release", EXERCISE).exit_code == 0

    source = root.parent / "exercises" / EXERCISE / "service-level.ipynb"
    blank = nbformat.read(root / "release" / EXERCISE / "service-level.ipynb", as_version=4)
    solved = contract.fill_answers(blank, contract.answers_from_source(nbformat.read(source, as_version=4)))
    mc = next(m for m in contract.load_misconceptions(source.parent) if m.id == "hard-coded-number")
    _submit(root, "ana", solved)
    _submit(root, "ben", contract.fill_answers(solved, {mc.question: mc.code.strip("\n")}))
    _submit(root, "cy", solved)
    (root / "submitted" / "cy" / EXERCISE / "service-level.ipynb").write_bytes(b"")

    res = run(root, "grade", EXERCISE, "--workers", "2", "--timeout", "30")
    assert res.exit_code == 0, res.output
    assert "2 graded, 1 set aside" in res.output
    with Gradebook(url) as gb:
        got = {s.student.id: s.score for s in gb.find_assignment(EXERCISE).submissions}
    assert got == {"ana": 6, "ben": 4}
    assert not (root / "gradebook.db").exists()  # nothing went to a stray SQLite file
    res = run(root, "grade", EXERCISE, "--workers", "2")
    assert "0 graded, 0 set aside, 3 done before" in res.output
