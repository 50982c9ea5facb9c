"""The exercise contract, proved with real nbgrader runs in a copy of the course.

For every exercise: the release holds no solution, hidden test or trainer-only file;
the source validates; the release fails validation everywhere (``validate --invert``);
the solution gets full autograded marks; the untouched release gets zero; and each
catalogued misconception loses marks and shows its teaching message in the feedback.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from nbgrader.validator import Validator

from callcoach.grading import contract

KIT = Path(__file__).resolve().parents[1]
EXERCISES = contract.exercises(KIT / "exercises")
MISCONCEPTIONS = [
    pytest.param(ex, mc, id=f"{ex}:{mc.id}")
    for ex in EXERCISES
    for mc in contract.load_misconceptions(KIT / "exercises" / ex)
]


@pytest.fixture(scope="module")
def courses(tmp_path_factory) -> dict[str, Path]:
    """One course copy per exercise, so the round trips can run side by side."""
    return {ex: contract.copy_course(KIT, tmp_path_factory.mktemp(f"course-{ex}"))
            for ex in EXERCISES}


@pytest.fixture(scope="module")
def results(courses) -> dict[str, contract.ContractResult]:
    # Each round trip is a chain of nbgrader processes with its own gradebook: run one
    # per core (nbgrader itself grades one notebook at a time).
    with ThreadPoolExecutor(max_workers=max(os.cpu_count() or 1, 1)) as pool:
        futures = {ex: pool.submit(contract.run_round_trip, courses[ex], ex) for ex in EXERCISES}
        return {ex: f.result() for ex, f in futures.items()}


def test_every_exercise_has_misconceptions_for_each_autograded_question():
    for ex in EXERCISES:
        mcs = contract.load_misconceptions(KIT / "exercises" / ex)
        assert mcs, f"{ex} has no catalogued misconceptions"


@pytest.mark.parametrize("exercise", EXERCISES)
def test_release_holds_no_solution_hidden_test_or_trainer_file(results, exercise):
    assert results[exercise].release_problems == []


@pytest.mark.parametrize("exercise", EXERCISES)
def test_solution_gets_full_autograded_marks(results, exercise):
    res = results[exercise]
    assert res.max_total > 0
    assert res.scores[contract.SOLUTION_STUDENT] == res.max_scores


@pytest.mark.parametrize("exercise", EXERCISES)
def test_blank_release_gets_zero_autograded_marks(results, exercise):
    assert results[exercise].total(contract.BLANK_STUDENT) == 0


@pytest.mark.parametrize(("exercise", "mc"), MISCONCEPTIONS)
def test_misconception_loses_marks_and_sees_its_message(results, exercise, mc):
    res = results[exercise]
    assert res.total(mc.student) < res.max_total, f"{mc.id} got full marks"
    assert mc.message in res.feedback[mc.student], (
        f"the feedback for {mc.id} does not show {mc.message!r}")


@pytest.mark.parametrize("exercise", EXERCISES)
def test_feedback_never_quotes_a_hidden_check(results, exercise):
    """Failed hidden checks show their message, not the code that computes the answer."""
    import nbformat

    hidden = set()
    for nb in sorted((KIT / "exercises" / exercise).glob("*.ipynb")):
        hidden |= contract.hidden_test_lines(nbformat.read(nb, as_version=4))
    assert hidden, f"{exercise} has no hidden checks"
    for student, text in results[exercise].feedback.items():
        leaked = sorted(line for line in hidden if line in text)
        assert not leaked, f"feedback for {student} quotes hidden checks: {leaked[:3]}"


@pytest.mark.parametrize("exercise", EXERCISES)
def test_source_validates_and_release_fails_every_test(courses, results, exercise):
    course = courses[exercise]
    source_dir = course.parent / "exercises" / exercise
    release_dir = course / "release" / exercise
    for nb in sorted(source_dir.glob("*.ipynb")):
        assert Validator().validate(str(nb)) == {}, f"{nb.name}: source does not validate"
    for nb in sorted(release_dir.glob("*.ipynb")):
        passed = Validator(invert=True).validate(str(nb)).get("passed", [])
        # A test cell whose checks are all hidden is only a comment in the release, so
        # it "passes" there; autograde restores its checks (the blank test above).
        visible = [c["source"] for c in passed if not _only_comments(c["source"])]
        assert visible == [], f"{nb.name}: tests pass on the blank release: {visible}"


def _only_comments(source: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in source.splitlines())
