"""The command line shared by the build scripts of the exercises' data files.

Each ``build_exNN.py`` beside this module describes one exercise's frozen data: the tables
to write, made from the **current** code and ``datasets/`` (never from an old git
revision), and the expected answers to print for the trainer notes. This module gives
every script the same three commands, run from the kit's folder::

    .venv/bin/python instructor/exercise_data/build_exNN.py          # write the files
    .venv/bin/python instructor/exercise_data/build_exNN.py --check  # compare, exit 1 if they differ
    .venv/bin/python instructor/exercise_data/build_exNN.py --facts  # the expected answers

``--check`` rebuilds the files in a scratch folder and compares them byte for byte with the
committed ones (``tests/test_exercise_data.py`` does the same). When it fails after the
simulator or the datasets changed, rebuild the files, then update everything that quotes
their numbers: the notebook's visible tests and model answers, ``misconceptions.toml`` and
the trainer notes in ``instructor/module1/`` (``--facts`` prints the numbers).
"""
from __future__ import annotations

import argparse
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import pandas as pd

KIT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class ExerciseData:
    """How to make, and how to read the answers from, one exercise's ``data/`` files."""

    #: The exercise's folder under ``exercises/``.
    exercise: str
    #: The data files, in the order they are written.
    files: tuple[str, ...]
    #: Returns each file's table, by file name (``calls.csv`` or gzipped ``calls.csv.gz``).
    tables: Callable[[], dict[str, pd.DataFrame]]
    #: Prints the expected answers computed on the files in the folder it is given.
    facts: Callable[[Path], None]

    @property
    def folder(self) -> Path:
        """The committed files' folder, ``exercises/<exercise>/data``."""
        return KIT / "exercises" / self.exercise / "data"

    def write(self, folder: Path) -> dict[str, int]:
        """Write every file into ``folder``; the number of rows of each."""
        from callcoach.datasets import write_csv

        tables = self.tables()
        if set(tables) != set(self.files):
            raise ValueError(f"{self.exercise}: made {sorted(tables)}, expected {sorted(self.files)}")
        folder.mkdir(parents=True, exist_ok=True)
        for name in self.files:
            write_csv(tables[name], folder / name)
        return {name: len(tables[name]) for name in self.files}

    def differing(self) -> list[str]:
        """Rebuild in a scratch folder: the committed files that differ (or are missing)."""
        with tempfile.TemporaryDirectory(prefix=f"{self.exercise}-data-") as scratch:
            self.write(Path(scratch))
            return [name for name in self.files
                    if not _same_bytes(Path(scratch) / name, self.folder / name)]


def _same_bytes(built: Path, committed: Path) -> bool:
    return committed.is_file() and built.read_bytes() == committed.read_bytes()


def main(data: ExerciseData, description: str, argv: list[str] | None = None) -> int:
    """The command line of a build script: write, ``--check`` or ``--facts``."""
    parser = argparse.ArgumentParser(description=description)
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--check", action="store_true",
                        help="rebuild in a scratch folder and compare byte for byte with the "
                             "committed files (exit 1 if they differ)")
    action.add_argument("--facts", action="store_true",
                        help="print the expected answers, computed on the committed files")
    args = parser.parse_args(argv)
    where = data.folder.relative_to(KIT)
    if args.facts:
        data.facts(data.folder)
        return 0
    if args.check:
        differ = data.differing()
        if differ:
            print(f"Rebuilt from the current code and datasets, these differ from {where}: "
                  f"{', '.join(differ)}. Rebuild them (run this script without --check) and "
                  "update the numbers that quote them (--facts prints them).")
            return 1
        print(f"Identical to the committed files in {where}: {', '.join(data.files)}.")
        return 0
    for name, rows in data.write(data.folder).items():
        print(f"{name}: {rows:,} rows, {(data.folder / name).stat().st_size:,} bytes")
    print(f"Written to {where}.")
    return 0
