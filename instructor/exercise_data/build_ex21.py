"""Build the data file of exercise 2.1 (exercises/ex21-service-level/data/intervals.csv).

The exercise reads one week of the centre's queue report: every queue, every half hour
from Monday 13 April to Sunday 19 April 2026, made by the fast starter generator
``callcoach.sim.generate_intervals`` (seed 2026, 5,000 calls on an average weekday) with
the columns of the ``intervals`` dataset. The week looks fine as a whole (above 80 % in
20 s) while many half hours miss the target, clustered in the evening and over lunch —
the gap the exercise's written answer explains to a team leader. The hidden checks run
the learner's functions on other weeks of the same generator.

Run from the kit's folder (see _common.py)::

    .venv/bin/python instructor/exercise_data/build_ex21.py          # write the file
    .venv/bin/python instructor/exercise_data/build_ex21.py --check  # compare, exit 1 if it differs
    .venv/bin/python instructor/exercise_data/build_ex21.py --facts  # the expected answers
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from _common import ExerciseData, main

SEED, START, DAYS = 2026, "2026-04-13", 7
TARGET, THRESHOLD_S = 0.80, 20


def tables() -> dict[str, pd.DataFrame]:
    """The exercise's week, from the current starter generator."""
    from callcoach.sim import generate_intervals

    return {"intervals.csv": generate_intervals(seed=SEED, start=START, days=DAYS)}


def facts(folder: Path) -> None:
    """Print the figures the model answer and the trainer notes quote."""
    from callcoach import datasets, kpi

    week = datasets.read_csv(folder / "intervals.csv", schema="intervals")
    print(f"week service level (answered within {THRESHOLD_S} s / answered): "
          f"{kpi.service_level(week):.3f}")
    print("by queue:", kpi.service_level(week, by="queue").set_index("queue")["service_level"]
          .round(3).to_dict())
    per = kpi.service_level(week, by=["interval_start", "queue"])
    met = (per["service_level"] >= TARGET).mean()
    print(f"queue-half-hours meeting {TARGET:.0%}: {met:.1%} of {len(per)}")
    whole = kpi.service_level(week, by="interval_start")
    hours = whole.assign(hour=whole["interval_start"].dt.hour)
    print("share of half hours (all queues) meeting the target, by hour:",
          hours.groupby("hour")["service_level"].apply(lambda s: round(float((s >= TARGET).mean()), 2))
          .to_dict())
    worst = whole.nsmallest(5, "service_level")[["interval_start", "service_level"]]
    print("worst half hours (all queues):\n", worst.round({"service_level": 3}).to_string(index=False))


DATA = ExerciseData(exercise="ex21-service-level", files=("intervals.csv",), tables=tables,
                    facts=facts)

if __name__ == "__main__":
    raise SystemExit(main(DATA, __doc__.splitlines()[0]))
