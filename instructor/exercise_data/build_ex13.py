"""Build the data files of exercise 1.3 (exercises/ex13-action-drivers/data/).

The exercise works on a **practice scenario** of the course company, simulated from a
fixed seed so that no answer can be copied from the lesson (which uses the canonical
datasets): the ``small`` preset (a tenth of the volume) over eight weeks of autumn 2026,
Monday 7 September to Sunday 1 November, in which

* the billing team fixes the **roaming double-charge** (``roaming_charges``, a defect)
  on **Monday 5 October 2026**: from that day its new issues fall to 15 %;
* the **app-login error** (``app_login_error``, a defect) is not fixed: the course's
  story is that the app's August update brought it back (question 4's ticket);
* demand climbs from its summer low towards the winter peak (annual amplitude 0.3
  instead of the company's 0.08), so a plain before/after comparison of the fix
  misses a visible season.

Files written (the columns and types of the datasets of the same name):

* ``calls.csv.gz`` -- every call attempt of the eight weeks, all queues (gzipped with a
  zero timestamp, like ``datasets/calls.csv.gz``);
* ``feedback_tickets.csv`` -- the tickets raised on those calls;
* ``reasons.csv`` -- the reasons table, with the two defects described as in this story.

The simulator is tuned from time to time and the same seed then gives other calls, so
the files are simulated with the simulator **as committed at one revision**
(``SIM_REV``): the script extracts ``src/callcoach`` at that revision with ``git
archive`` and runs the simulation with it. It therefore recreates the committed files
byte for byte whatever the working tree's simulator is (given the pinned numpy, pandas
and numba). ``--sim-rev working`` uses the installed package instead, to move the
exercise to a new simulator: then update the numbers in the notebook's model answer and
in ``instructor/module1/ex13-action-drivers.md`` (``--facts`` prints them).

Run from the kit's folder::

    .venv/bin/python instructor/exercise_data/build_ex13.py          # write the files
    .venv/bin/python instructor/exercise_data/build_ex13.py --check  # compare, exit 1 if they differ
    .venv/bin/python instructor/exercise_data/build_ex13.py --facts  # the expected answers
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

KIT = Path(__file__).resolve().parents[2]
OUT = KIT / "exercises" / "ex13-action-drivers" / "data"
#: The commit whose simulator (src/callcoach) made the committed data files.
SIM_REV = "112a2e6d6f262364e91fe00e9801921851c32ea5"
FILES = ("calls.csv.gz", "feedback_tickets.csv", "reasons.csv")

#: The practice scenario: changes to callcoach.sim.preset("small").
SCENARIO = {
    "name": "ex13-practice",
    "seed": 1313,
    "start": dt.date(2026, 8, 3),           # four weeks of warm-up: repeats of earlier issues
    "detail_start": dt.date(2026, 9, 7),    # call-level tables from Monday 7 September...
    "end": dt.date(2026, 11, 1),            # ...to Sunday 1 November: 8 weeks
    "defect_reason": "roaming_charges",
    "defect_fix_date": dt.date(2026, 10, 5),
    "annual_amplitude": 0.3,
}
FIX_DATE = "2026-10-05"
#: The reasons table's descriptions of the two defects, as in the exercise's story.
DESCRIPTIONS = {
    "roaming_charges": "Roaming charged twice (a rating defect, fixed by billing on 5 October 2026).",
    "app_login_error": ("The Harbour app rejects a correct password (back since the app update "
                        "of 31 August 2026; not fixed)."),
}


def simulate_into(folder: Path) -> None:
    """Simulate the practice scenario with the importable callcoach; write the files."""
    import callcoach
    from callcoach.datasets import write_csv
    from callcoach.sim import preset, simulate

    print(f"simulating with {Path(callcoach.__file__).parent}", file=sys.stderr)
    world = simulate(preset("small").replace(**SCENARIO), progress=False)
    calls = world.tables["calls"]
    tickets = world.tables["feedback_tickets"]
    reasons = world.tables["reasons"].copy()
    for reason, text in DESCRIPTIONS.items():
        reasons.loc[reasons["reason"] == reason, "description"] = text
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(calls, folder / "calls.csv.gz")
    write_csv(tickets, folder / "feedback_tickets.csv")
    write_csv(reasons, folder / "reasons.csv")


def build(folder: Path, rev: str) -> None:
    """Write the files into ``folder`` with the simulator at ``rev`` (or 'working')."""
    if rev == "working":
        simulate_into(folder)
        return
    with tempfile.TemporaryDirectory(prefix="build-ex13-src-") as src:
        archive = subprocess.run(["git", "-C", str(KIT), "archive", "--format=tar", rev,
                                  "src/callcoach"], capture_output=True, check=False)
        if archive.returncode != 0:
            sys.exit(f"Cannot read src/callcoach at revision {rev}: "
                     f"{archive.stderr.decode(errors='replace').strip()}")
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(src, filter="data")
        env = dict(os.environ, PYTHONPATH=str(Path(src) / "src"), PYTHONHASHSEED="0")
        subprocess.run([sys.executable, __file__, "--simulate-into", str(folder)], env=env,
                       check=True)


def facts() -> None:
    """Print the expected answers on the committed files (for the trainer notes)."""
    import pandas as pd

    from callcoach import datasets, drivers, kpi

    calls = datasets.read_csv(OUT / "calls.csv.gz", schema="calls")
    tickets = datasets.read_csv(OUT / "feedback_tickets.csv", schema="feedback_tickets")
    reasons = datasets.read_csv(OUT / "reasons.csv", schema="reasons")
    pd.set_option("display.width", 120)
    print(f"{len(calls):,} calls, {calls['arrival_time'].min()} to {calls['arrival_time'].max()}; "
          f"{len(tickets):,} tickets")
    shares = drivers.driver_shares(calls)
    print("\nQ1 driver_shares(calls):\n", shares.round(4).to_string())
    for cover in (0.8, 0.5):
        top = drivers.top_drivers(shares, cover)
        print(f"top_drivers(cover={cover}): {len(top)} reasons: {top}")
    print("\nQ2 first tries per day, and the fix (4 weeks either side of", FIX_DATE + "):")
    for method in ("simple", "comparison"):
        print(method, drivers.fix_effect(calls, "roaming_charges", FIX_DATE,
                                         method=method).round(3).to_dict())
    print("3 weeks before, 4 after:", drivers.fix_effect(
        calls, "roaming_charges", FIX_DATE, weeks_before=3).round(3).to_dict())
    rates = drivers.ticket_rate(calls, tickets, reasons)
    print("\nQ3 ticket_rate (agents with 20+ defect calls, highest first):")
    print(rates[rates["defect_calls"] >= 20].sort_values("ticket_rate", ascending=False)
          .round(3).to_string(index=False))
    print("overall:", round(drivers.ticket_rate(calls, tickets, reasons, by=None), 4))
    first = calls[~calls["retrial"]].assign(week=lambda d: d["arrival_time"].dt.to_period("W"))
    login = first[first["reason"] == "app_login_error"]
    tech = first[first["queue"] == "technical"]
    weekly = pd.DataFrame({"app_login_first_tries": login.groupby("week").size(),
                           "technical_first_tries": tech.groupby("week").size()})
    weekly["share"] = weekly["app_login_first_tries"] / weekly["technical_first_tries"]
    print("\nQ4 app_login_error by week:\n", weekly.round(3).to_string())
    answered = calls[calls["answered"] & (calls["reason"] == "app_login_error")]
    aht = (answered["talk_s"] + answered["hold_s"] + answered["acw_s"]).mean()
    login_tickets = tickets[tickets["reason"] == "app_login_error"]
    print(f"answered app-login calls: {len(answered):,}, AHT {aht:.0f} s, "
          f"{len(answered) * aht / 3600:.0f} agent hours; tickets {len(login_tickets)} "
          f"({login_tickets['status'].value_counts().to_dict()}); "
          f"first ticket {login_tickets['raised_at'].min()}, "
          f"repeat share (7 days) {1 - kpi.fcr_by_repeats(answered):.3f}")
    print("example ticketed calls:", login_tickets["call_id"].head(3).tolist())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sim-rev", default=SIM_REV,
                        help="git revision whose simulator to use, or 'working' for the "
                             f"installed package (default: {SIM_REV[:7]}, the committed files' source)")
    parser.add_argument("--check", action="store_true",
                        help="rebuild in a scratch folder and compare with the committed files")
    parser.add_argument("--facts", action="store_true",
                        help="print the expected answers on the committed files")
    parser.add_argument("--simulate-into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.simulate_into:
        simulate_into(args.simulate_into)
        return 0
    if args.facts:
        facts()
        return 0
    with tempfile.TemporaryDirectory(prefix="ex13-data-") as scratch:
        target = Path(scratch) if args.check else OUT
        build(target, args.sim_rev)
        differ = []
        for name in FILES:
            path = target / name
            print(f"{name}: {path.stat().st_size:,} bytes")
            if args.check and path.read_bytes() != (OUT / name).read_bytes():
                differ.append(name)
    if differ:
        print(f"Differ from {OUT.relative_to(KIT)}: {', '.join(differ)}")
        return 1
    print("Identical to the committed files." if args.check else f"Written to {OUT.relative_to(KIT)}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
