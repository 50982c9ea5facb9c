"""Trainer notes: one per module-1 lesson and exercise, and none of it reaches learners."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

KIT = Path(__file__).resolve().parents[1]
NOTES = KIT / "instructor" / "module1"
MODULE1 = sorted(p.stem for p in (KIT / "course").glob("1*.ipynb")) + sorted(
    p.name for p in (KIT / "exercises").glob("ex1*") if p.is_dir())


@pytest.mark.parametrize("piece", MODULE1)
def test_every_module1_lesson_and_exercise_has_trainer_notes(piece):
    notes = NOTES / f"{piece}.md"
    assert notes.is_file(), f"no trainer notes for {piece}: write instructor/module1/{piece}.md"
    text = notes.read_text(encoding="utf-8")
    for heading in ("Objectives", "Timing" if piece[0].isdigit() else "Question", "Expected"):
        assert re.search(rf"^#+ .*{heading}", text, re.M | re.I), f"{notes.name}: no {heading!r} section"


def test_module_guide_lists_every_piece():
    guide = (NOTES / "README.md").read_text(encoding="utf-8")
    missing = [p for p in MODULE1 if p not in guide]
    assert not missing, f"instructor/module1/README.md does not list {missing}"


def test_learner_material_never_points_into_the_instructor_folder():
    """Lessons and exercise sources do not link to or load trainer-only files."""
    learner_files = [*(KIT / "course").glob("*.ipynb"), *(KIT / "exercises").rglob("*.ipynb"),
                     *(KIT / "exercises").rglob("*.csv*")]
    leaking = [str(p.relative_to(KIT)) for p in learner_files
               if "instructor/" in p.read_text(encoding="utf-8", errors="ignore")]
    assert not leaking, f"learner files mention the instructor folder: {leaking}"
