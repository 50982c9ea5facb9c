"""The exercises' frozen data files are reproduced from the current code and datasets.

Each exercise carries its data in ``exercises/<exercise>/data/``; its build script
``instructor/exercise_data/build_exNN.py`` makes the files from today's ``datasets/`` or
simulator (no old git revision). These tests run each script's ``--check`` in-process: a
rebuild in a scratch folder must match the committed files byte for byte. When one fails
after the simulator or the datasets changed, rebuild the files (run the script) and update
the numbers that quote them (``--facts`` prints them; see _common.py).
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

KIT = Path(__file__).resolve().parents[1]
SCRIPTS = KIT / "instructor" / "exercise_data"
BUILDS = sorted(path.stem for path in SCRIPTS.glob("build_ex*.py"))


def _script(name: str):
    if str(SCRIPTS) not in sys.path:  # the scripts import their shared _common module
        sys.path.insert(0, str(SCRIPTS))
    return importlib.import_module(name)


def test_every_exercise_with_data_has_a_build_script():
    with_data = {path.parent.name for path in (KIT / "exercises").glob("ex*/data")}
    built = {_script(name).DATA.exercise for name in BUILDS}
    assert with_data <= built, f"no build script for {sorted(with_data - built)}"


@pytest.mark.parametrize("name", BUILDS)
def test_build_script_reproduces_the_committed_files(name):
    data = _script(name).DATA
    differ = data.differing()
    assert differ == [], (
        f"instructor/exercise_data/{name}.py --check: rebuilt from the current code and datasets, "
        f"{differ} differ from exercises/{data.exercise}/data/")


def test_ex12_data_supports_the_exercise_conclusions():
    """Proactive first calls are longer, yet proactive issues come back less and cost fewer
    minutes -- also without the issues that start with a complaint, and within tenure."""
    build = _script("build_ex12")
    from callcoach import datasets

    calls = datasets.read_csv(build.DATA.folder / "calls.csv", schema="calls")
    claims = build.claims(calls)
    offer, other = claims["first_call_handle_s"]
    assert offer > other * 1.05, claims
    offer, other = claims["repeat_rate_7d"]
    assert offer < other * 0.6, claims
    for name in ("minutes_per_issue", "minutes_per_issue_without_complaint_starts",
                 "minutes_per_issue_without_complaint_starts_experienced"):
        offer, other = claims[name]
        assert offer < other * 0.95, f"{name}: {claims[name]}"
