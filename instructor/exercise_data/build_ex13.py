"""Build the data files of exercise 1.3 (exercises/ex13-action-drivers/data/).

The exercise works on a **practice scenario** of the course company, simulated from a
fixed seed so that no answer can be copied from the lesson (which uses the canonical
datasets): the ``small`` preset (300 new issues a day, under a tenth of the company's
volume) over eight weeks of autumn 2026, Monday 7 September to Sunday 1 November, in which

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

The files are simulated with the **current** simulator (the installed ``callcoach``): the
same seed gives the same bytes (given the pinned numpy, pandas and numba), so ``--check``
proves the committed files are reproduced. When the simulator is tuned the same seed gives
other calls and ``--check`` fails: rebuild the files, check that the story above still
holds (``--facts``), and update the numbers in the notebook (the model answer, the agent
count in ``q3_test_data``) and in ``instructor/module1/ex13-action-drivers.md``.

Run from the kit's folder (see _common.py)::

    .venv/bin/python instructor/exercise_data/build_ex13.py          # write the files
    .venv/bin/python instructor/exercise_data/build_ex13.py --check  # compare, exit 1 if they differ
    .venv/bin/python instructor/exercise_data/build_ex13.py --facts  # the expected answers
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from _common import ExerciseData, main

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


def tables() -> dict[str, pd.DataFrame]:
    """Simulate the practice scenario with the current simulator: the three tables."""
    from callcoach.sim import preset, simulate

    world = simulate(preset("small").replace(**SCENARIO), progress=False)
    reasons = world.tables["reasons"].copy()
    for reason, text in DESCRIPTIONS.items():
        reasons.loc[reasons["reason"] == reason, "description"] = text
    return {"calls.csv.gz": world.tables["calls"],
            "feedback_tickets.csv": world.tables["feedback_tickets"],
            "reasons.csv": reasons}


def facts(folder: Path) -> None:
    """Print the expected answers on the files in ``folder`` (for the trainer notes)."""
    from callcoach import datasets, drivers, kpi

    calls = datasets.read_csv(folder / "calls.csv.gz", schema="calls")
    tickets = datasets.read_csv(folder / "feedback_tickets.csv", schema="feedback_tickets")
    reasons = datasets.read_csv(folder / "reasons.csv", schema="reasons")
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
    print(f"{len(rates)} of the {calls['agent_id'].nunique()} agents who answered calls took defect "
          f"calls ({rates['defect_calls'].min()} to {rates['defect_calls'].max()} each); "
          f"tickets {tickets['status'].value_counts().to_dict()} by reason "
          f"{tickets['reason'].value_counts().to_dict()}")
    first = calls[~calls["retrial"]].assign(week=lambda d: d["arrival_time"].dt.to_period("W"))
    login = first[first["reason"] == "app_login_error"]
    tech = first[first["queue"] == "technical"]
    weekly = pd.DataFrame({"app_login_first_tries": login.groupby("week").size(),
                           "technical_first_tries": tech.groupby("week").size()})
    weekly["share"] = weekly["app_login_first_tries"] / weekly["technical_first_tries"]
    weekly["per_day"] = weekly["app_login_first_tries"] / 7
    print("\nQ4 app_login_error by week:\n", weekly.round(3).to_string())
    days = (calls["arrival_time"].max().normalize() - calls["arrival_time"].min().normalize()).days + 1
    attempts = calls[calls["reason"] == "app_login_error"]
    by_reason = tech["reason"].value_counts()
    print(f"first tries: {len(login):,} in {days} days ({len(login) / days:.1f} a day), "
          f"{len(login) / len(tech):.1%} of the technical queue's {len(tech):,}; technical first "
          f"tries by reason {by_reason.to_dict()}; attempts abandoned "
          f"{1 - attempts['answered'].mean():.1%}")
    answered = calls[calls["answered"] & (calls["reason"] == "app_login_error")]
    aht = (answered["talk_s"] + answered["hold_s"] + answered["acw_s"]).mean()
    login_tickets = tickets[tickets["reason"] == "app_login_error"]
    print(f"answered app-login calls: {len(answered):,}, AHT {aht:.0f} s, "
          f"{len(answered) * aht / 3600:.0f} agent hours; tickets {len(login_tickets)} "
          f"({login_tickets['status'].value_counts().to_dict()}); "
          f"first ticket {login_tickets['raised_at'].min()}, "
          f"repeat share (7 days) {1 - kpi.fcr_by_repeats(answered):.3f}")
    print("example ticketed calls:", login_tickets["call_id"].head(3).tolist())


DATA = ExerciseData(exercise="ex13-action-drivers",
                    files=("calls.csv.gz", "feedback_tickets.csv", "reasons.csv"), tables=tables,
                    facts=facts)

if __name__ == "__main__":
    raise SystemExit(main(DATA, __doc__.splitlines()[0]))
