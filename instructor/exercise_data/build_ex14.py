"""Build the data files of exercise 1.4 (exercises/ex14-available-promises/data/).

The exercise works on two weeks of promises made on the **technical** queue of the course
company, cut from the current canonical datasets (``callcoach.datasets.load``), like
exercise 1.2's calls:

* ``followups.csv`` -- every promise made on a technical-queue call from Monday 20 April
  to Sunday 3 May 2026, with what the CRM recorded about it up to the end of the data
  (31 May 2026): completion times and the complaint call a broken promise caused;
* ``calls.csv`` -- the CRM's calls linked to those promises: the call on which each
  promise was made and each complaint call a promise caused (same columns as the
  ``calls`` dataset);
* ``agents.csv`` -- the agents of the technical queue (team, tenure band).

The report moment of the exercise is ``AS_OF`` (Monday 4 May 2026, 08:00).

Run from the kit's folder (see _common.py)::

    .venv/bin/python instructor/exercise_data/build_ex14.py          # write the files
    .venv/bin/python instructor/exercise_data/build_ex14.py --check  # compare, exit 1 if they differ
    .venv/bin/python instructor/exercise_data/build_ex14.py --facts  # the expected answers
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from _common import ExerciseData, main

QUEUE = "technical"
FIRST_DAY, END = pd.Timestamp("2026-04-20"), pd.Timestamp("2026-05-04")  # promises made in [FIRST_DAY, END)
AS_OF = pd.Timestamp("2026-05-04 08:00")


def tables() -> dict[str, pd.DataFrame]:
    """The exercise's three tables, cut from the current canonical datasets."""
    from callcoach import datasets

    followups, calls, agents = (datasets.load(n) for n in ("followups", "calls", "agents"))
    made = followups["promised_at"].between(FIRST_DAY, END, inclusive="left")
    followups = followups[made & (followups["queue"] == QUEUE)].sort_values("followup_id")
    linked = set(followups["call_id"]) | set(followups["complaint_call_id"].dropna().astype("int64"))
    calls = calls[calls["call_id"].isin(linked)].sort_values("call_id")
    agents = agents[agents["queue"] == QUEUE].sort_values("agent_id")
    for day in ("hire_date", "left_on"):  # dates, written as dates like datasets/agents.csv
        agents[day] = agents[day].dt.strftime("%Y-%m-%d")
    return {"followups.csv": followups.reset_index(drop=True), "calls.csv": calls.reset_index(drop=True),
            "agents.csv": agents.reset_index(drop=True)}


def _rates(followups: pd.DataFrame, by: str) -> pd.DataFrame:
    """Promises due at AS_OF, kept on time and done at all, per ``by`` (kpi's definition)."""
    from callcoach import kpi

    rates = {method: kpi.followup_completion_rate(followups, method=method, as_of=AS_OF, by=by)
             .set_index(by) for method in ("on_time", "at_all")}
    table = rates["on_time"][["denominator", "numerator"]].rename(
        columns={"denominator": "due", "numerator": "on_time"})
    table["done"] = rates["at_all"]["numerator"]
    table["on_time_rate"] = table["on_time"] / table["due"]
    table["at_all_rate"] = table["done"] / table["due"]
    return table[table["due"] > 0]


def facts(folder: Path) -> None:
    """Print the expected answers on the files in ``folder`` (for the trainer notes)."""
    from callcoach import datasets
    from callcoach import followups as fu

    followups = datasets.read_csv(folder / "followups.csv", schema="followups")
    calls = datasets.read_csv(folder / "calls.csv", schema="calls")
    agents = datasets.read_csv(folder / "agents.csv", schema="agents")
    teams = datasets.load("teams").set_index("team_id")["team_leader"]
    pd.set_option("display.width", 120)
    teamed = followups.merge(agents[["agent_id", "team_id", "tenure_band"]], on="agent_id")
    complaint_ids = followups["complaint_call_id"].dropna()
    print(f"followups.csv: {len(followups):,} promises {followups['kind'].value_counts().to_dict()}; "
          f"{(followups['due_at'] <= AS_OF).sum():,} due at {AS_OF}")
    print(f"calls.csv: {len(calls):,} calls; reason missed_promise_complaint "
          f"{(calls['reason'] == 'missed_promise_complaint').sum()}, caused by these promises "
          f"{calls['call_id'].isin(complaint_ids).sum()}")
    print(f"agents.csv: {len(agents)} agents ({agents['tenure_band'].value_counts().to_dict()}), "
          f"{followups['agent_id'].nunique()} made promises; teams "
          f"{agents['team_id'].value_counts().sort_index().to_dict()}")

    queue = _rates(teamed.assign(queue=QUEUE), "queue")
    print("\nQ1 whole queue:\n", queue.round(4).to_string())
    team_rates = _rates(teamed, "team_id")
    team_rates["leader"] = teams.reindex(team_rates.index)
    print("per team (pooled):\n", team_rates.round(4).to_string())
    agent_rates = _rates(teamed, "agent_id").join(agents.set_index("agent_id")[["team_id", "tenure_band"]])
    print("mean of agents' on-time rates per team:",
          agent_rates.groupby("team_id")["on_time_rate"].mean().round(4).to_dict())
    ranked = agent_rates.sort_values("on_time_rate")
    print("per agent, lowest and highest on time:\n",
          pd.concat([ranked.head(3), ranked.tail(3)]).round(3).to_string())
    print("per team, agents' on-time range:\n",
          agent_rates.groupby("team_id")["on_time_rate"].agg(["min", "max", "size"]).round(3).to_string())
    print("per tenure band (pooled):\n", _rates(teamed, "tenure_band").round(4).to_string())

    print(f"\nQ2 open_promise_ageing at {AS_OF}:")
    ageing = {"queue": fu.open_promise_ageing(followups, as_of=AS_OF).set_index("band")["open_promises"]}
    for team, rows in teamed.groupby("team_id"):
        ageing[team] = fu.open_promise_ageing(rows, as_of=AS_OF).set_index("band")["open_promises"]
    print(pd.DataFrame(ageing).T.to_string())

    answered = calls[calls["call_id"].isin(complaint_ids) & calls["answered"]]
    handle = answered["talk_s"] + answered["hold_s"] + answered["acw_s"]
    kept = followups[followups["completed_at"].notna()]
    print(f"\nQ3 complaint_cost_ratio: {fu.complaint_cost_ratio(followups, calls):.4f}: "
          f"{handle.mean():.1f} s per answered complaint call ({len(answered)} of "
          f"{calls['call_id'].isin(complaint_ids).sum()}; talk {answered['talk_s'].mean():.0f} s) vs "
          f"{kept['work_s'].mean():.1f} s per completed follow-up ({len(kept):,})")
    for team, rows in teamed.groupby("team_id"):
        mine = answered[answered["call_id"].isin(rows["complaint_call_id"].dropna())]
        done = rows[rows["completed_at"].notna()]
        print(f"{team}: ratio {fu.complaint_cost_ratio(rows, calls):.2f}; complaint handling "
              f"{(mine['talk_s'] + mine['hold_s'] + mine['acw_s']).sum() / 3600:.1f} h "
              f"({len(mine)} calls), follow-up work done {done['work_s'].sum() / 3600:.1f} h "
              f"({len(done)} promises)")


DATA = ExerciseData(exercise="ex14-available-promises",
                    files=("followups.csv", "calls.csv", "agents.csv"), tables=tables, facts=facts)

if __name__ == "__main__":
    raise SystemExit(main(DATA, __doc__.splitlines()[0]))
