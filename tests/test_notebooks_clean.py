"""Notebooks are committed clean: no outputs, no execution counts, valid nbformat.

Outputs bloat the repository, leak answers from exercise sources and go stale; learners
run the notebooks themselves. (STYLE.md: committed without outputs.)
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

KIT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for folder in ("course", "exercises") for p in (KIT / folder).rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[str(p.relative_to(KIT)) for p in NOTEBOOKS])
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; clear them (Edit → Clear Outputs of All Cells)"


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.parts[-3] == "course" or p.parent.name == "course"],
                         ids=lambda p: p.name)
def test_lesson_name_says_module_and_verb(path):
    number, _, slug = path.stem.partition("-")
    assert number.isdigit() and len(number) == 2 and slug, (
        f"{path.name}: lessons are named NN-verb-slug.ipynb, the first digit being the module")
