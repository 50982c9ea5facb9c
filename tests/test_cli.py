"""The ``callcoach`` command: help everywhere, release refusal, LMS collection,
check-exercises — each on a temporary copy of the course, never the real grading/."""
from __future__ import annotations

import zipfile
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from callcoach.cli import main
from callcoach.grading import contract

KIT = Path(__file__).resolve().parents[1]
EXERCISE = "ex21-service-level"
COMMANDS = ["release", "check-exercises", "collect", "grade", "feedback", "export", "report"]


def run(course: Path, *args: str):
    return CliRunner().invoke(main, ["--course", str(course), *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = contract.copy_course(KIT, tmp_path_factory.mktemp("cli"))
    res = run(root, "release")
    assert res.exit_code == 0, res.output
    return root


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    res = CliRunner().invoke(main, [command, "--help"])
    assert res.exit_code == 0 and "Usage:" in res.output and len(res.output) > 200


def test_release_writes_learner_version_without_trainer_files(course):
    release = course / "release" / EXERCISE
    assert (release / "service-level.ipynb").is_file() and (release / "data" / "intervals.csv").is_file()
    assert contract.release_problems(release) == []


def test_release_refuses_and_names_the_file_when_a_trainer_file_would_leak(tmp_path):
    root = contract.copy_course(KIT, tmp_path)
    config = root / "nbgrader_config.py"
    config.write_text(config.read_text() + "\nc.CourseDirectory.ignore = ['.ipynb_checkpoints']\n")
    res = run(root, "release", EXERCISE)
    assert res.exit_code == 1
    assert "misconceptions.toml: trainer-only file in the release" in res.output
    assert not (root / "release" / EXERCISE).exists()


def test_unknown_exercise_is_an_error_listing_the_known_ones(course):
    res = run(course, "export", "ex99-nope")
    assert res.exit_code != 0 and EXERCISE in res.output


def _notebook_bytes(course: Path) -> bytes:
    return (course / "release" / EXERCISE / "service-level.ipynb").read_bytes()


def test_collect_from_zip_takes_learner_from_file_name_and_reports_the_rest(course, tmp_path):
    zpath = tmp_path / "lms.zip"
    nb = _notebook_bytes(course)
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("ana.silva_service-level.ipynb", nb)
        zf.writestr("wei.chen_my work.ipynb", nb)
        zf.writestr("twice_a.ipynb", nb)
        zf.writestr("twice_b.ipynb", nb)
        zf.writestr("notebook-without-owner.ipynb", nb)
        zf.writestr("ana.silva_notes.pdf", b"%PDF")
        zf.writestr("../escape_x.ipynb", nb)
    res = run(course, "collect", EXERCISE, str(zpath))
    assert res.exit_code == 1, res.output  # something could not be collected
    for student in ("ana.silva", "wei.chen"):
        folder = course / "submitted" / student / EXERCISE
        assert (folder / "service-level.ipynb").read_bytes() == nb
        assert (folder / "data" / "intervals.csv").is_file()
    assert "DUPLICATE      twice" in res.output and not (course / "submitted" / "twice").exists()
    assert "NOT MATCHED    notebook-without-owner.ipynb" in res.output
    assert "ignored        ana.silva_notes.pdf" in res.output
    assert not (course.parent / "escape_x.ipynb").exists()
    assert res.output.strip().splitlines()[-1].startswith(f"{EXERCISE}: collected 2;")


def test_collect_moodle_folders_with_a_roster_reports_unknown_learners(course, tmp_path):
    src = tmp_path / "moodle"
    for name in ("Ana Silva_4213_assignsubmission_file_", "Mallory Stranger_777_assignsubmission_file_"):
        (src / name).mkdir(parents=True)
        (src / name / "service-level.ipynb").write_bytes(_notebook_bytes(course))
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name\nana.silva,Ana Silva\n")
    res = run(course, "collect", EXERCISE, str(src), "--pattern", "moodle", "--roster", str(roster))
    assert res.exit_code == 1
    assert "collected      ana.silva" in res.output
    assert "NOT ON ROSTER  mallory.stranger" in res.output
    assert not (course / "submitted" / "mallory.stranger").exists()


def test_collect_with_a_custom_pattern_needs_a_student_group(course, tmp_path):
    res = run(course, "collect", EXERCISE, str(tmp_path), "--pattern", r"(\w+)\.ipynb")
    assert res.exit_code != 0 and "(?P<student>" in res.output


def test_grade_refuses_unknown_learner(course):
    res = run(course, "grade", EXERCISE, "--student", "nobody-here")
    assert res.exit_code != 0 and "nobody-here" in res.output


def test_check_exercises_prints_the_contract_table_and_passes(course):
    # One named exercise: tests/test_nbgrader_roundtrip.py already proves every exercise.
    res = run(course, "check-exercises", "ex21-service-level")
    assert res.exit_code == 0, res.output
    assert "solution" in res.output and "blank release" in res.output
    assert "misconception hard-coded-number" in res.output and "BREACH" not in res.output
    assert res.output.strip().splitlines()[-1].startswith("checked 1 exercise(s)")
