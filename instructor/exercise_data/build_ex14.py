"""Build the data files of exercise 1.4 (exercises/ex14-available-promises/data/).

The exercise works on two weeks of promises made on the **technical** queue of the course
company, extracted from the canonical datasets (like exercise 1.2's calls):

* ``followups.csv`` -- every promise made on a technical-queue call from Monday 20 April
  to Sunday 3 May 2026, with what the CRM recorded about it up to the end of the data
  (31 May 2026): completion times and the complaint call a broken promise caused;
* ``calls.csv`` -- the CRM's calls linked to those promises: the call on which each
  promise was made and each complaint call a promise caused (same columns as the
  ``calls`` dataset);
* ``agents.csv`` -- the agents of the technical queue (team, tenure band).

The canonical datasets are regenerated whenever the simulator is tuned, so the files are
cut from the datasets as committed at one revision (``SOURCE_REV``), read with ``git
show``: this script recreates the committed files byte for byte whatever the working
tree's datasets are. ``--source-rev working`` cuts them from the current ``datasets/``
instead (to move the exercise to new data: then update the numbers in the notebook's
model answer and in instructor/module1/ex14-available-promises.md).

Run from the kit's folder::

    .venv/bin/python instructor/exercise_data/build_ex14.py          # write the files
    .venv/bin/python instructor/exercise_data/build_ex14.py --check  # compare, exit 1 if they differ
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

KIT = Path(__file__).resolve().parents[2]
OUT = KIT / "exercises" / "ex14-available-promises" / "data"
#: The commit whose datasets/ the committed data files were cut from.
SOURCE_REV = "fdf560db2784a347c498ccfd823fb6b2e66f4700"
SOURCES = ("datapackage.json", "followups.csv.gz", "calls.csv.gz", "agents.csv")
QUEUE = "technical"
FIRST_DAY, END = pd.Timestamp("2026-04-20"), pd.Timestamp("2026-05-04")  # promises made in [FIRST_DAY, END)


def _source_folder(rev: str, tmp: Path) -> Path:
    """A folder holding the canonical datasets (and data dictionary) at ``rev``."""
    if rev == "working":
        return KIT / "datasets"
    for name in SOURCES:
        blob = subprocess.run(["git", "-C", str(KIT), "show", f"{rev}:datasets/{name}"],
                              capture_output=True, check=False)
        if blob.returncode != 0:
            sys.exit(f"Cannot read datasets/{name} at revision {rev}: "
                     f"{blob.stderr.decode(errors='replace').strip()}")
        (tmp / name).write_bytes(blob.stdout)
    return tmp


def tables(rev: str = SOURCE_REV) -> dict[str, pd.DataFrame]:
    """The exercise's three tables, cut from the canonical datasets at ``rev``."""
    with tempfile.TemporaryDirectory(prefix="build-ex14-") as tmp:
        before = os.environ.get("CALLCOACH_DATASETS")
        os.environ["CALLCOACH_DATASETS"] = str(_source_folder(rev, Path(tmp)))
        try:
            from callcoach import datasets

            followups, calls, agents = (datasets.load(n) for n in ("followups", "calls", "agents"))
        finally:
            if before is None:
                os.environ.pop("CALLCOACH_DATASETS", None)
            else:
                os.environ["CALLCOACH_DATASETS"] = before
    made = followups["promised_at"].between(FIRST_DAY, END, inclusive="left")
    followups = followups[made & (followups["queue"] == QUEUE)].sort_values("followup_id")
    linked = set(followups["call_id"]) | set(followups["complaint_call_id"].dropna().astype("int64"))
    calls = calls[calls["call_id"].isin(linked)].sort_values("call_id")
    agents = agents[agents["queue"] == QUEUE].sort_values("agent_id")
    for day in ("hire_date", "left_on"):  # dates, written as dates like datasets/agents.csv
        agents[day] = agents[day].dt.strftime("%Y-%m-%d")
    return {"followups": followups.reset_index(drop=True), "calls": calls.reset_index(drop=True),
            "agents": agents.reset_index(drop=True)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-rev", default=SOURCE_REV,
                        help="git revision whose datasets/ to cut from, or 'working' "
                             f"(default: {SOURCE_REV[:7]}, the committed files' source)")
    parser.add_argument("--check", action="store_true",
                        help="rebuild in a scratch folder and compare with the committed files")
    args = parser.parse_args(argv)
    from callcoach.datasets import write_csv

    with tempfile.TemporaryDirectory(prefix="ex14-data-") as scratch:
        target = Path(scratch) if args.check else OUT
        target.mkdir(parents=True, exist_ok=True)
        differ = []
        for name, frame in tables(args.source_rev).items():
            path = target / f"{name}.csv"
            write_csv(frame, path)
            print(f"{name}.csv: {len(frame)} rows, {path.stat().st_size:,} bytes")
            if args.check and path.read_bytes() != (OUT / path.name).read_bytes():
                differ.append(path.name)
    if differ:
        print(f"Differ from {OUT.relative_to(KIT)}: {', '.join(differ)}")
        return 1
    print("Identical to the committed files." if args.check else f"Written to {OUT.relative_to(KIT)}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
