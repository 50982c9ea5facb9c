"""Build the data file of exercise 1.2 (exercises/ex12-active-per-issue/data/calls.csv).

The exercise works on two weeks of calls to the **technical** queue of the course company,
cut from the canonical datasets (``callcoach.datasets.load("calls")``): every call to the
technical queue from Monday 20 April to Sunday 3 May 2026 made by **one customer in
three** (the customers whose ``customer_id`` is divisible by 3), in ``call_id`` order (time
order), with the columns of the ``calls`` dataset. Agent ids are those of the canonical
``agents`` table, so a learner who merges it for tenure bands gets the right agents.

Why this slice. The exercise's conclusions must hold clearly on it: a proactive first call
is longer, proactive issues come back less often within 7 days, and the handle minutes per
issue are lower for issues that start with an offer -- also when the issues that start with
a missed-promise complaint (long calls that never carry an offer) are left out, and also
within the experienced agents. Measured on every two-week window of the quarter without the
complaint-started issues, the saving per issue is -1 % to +4 % in the plans queue and 1-5 %
in billing, but 6-9 % in the technical queue, where repeats are dearest; one week of the
technical queue is too short (half its issues have no time to come back: 0-6 %). Two weeks
of the technical queue hold about 21,000 calls (2.2 MB); a sample of customers keeps every
call of each issue, so the file stays under 1 MB without cutting issues in pieces (sampling
calls, agents or teams would). ``claims()`` measures the conclusions;
tests/test_exercise_data.py asserts them on the committed file.

Run from the kit's folder (see _common.py)::

    .venv/bin/python instructor/exercise_data/build_ex12.py          # write the file
    .venv/bin/python instructor/exercise_data/build_ex12.py --check  # compare, exit 1 if it differs
    .venv/bin/python instructor/exercise_data/build_ex12.py --facts  # the expected answers
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from _common import ExerciseData, main

QUEUE = "technical"
FIRST_DAY, END = pd.Timestamp("2026-04-20"), pd.Timestamp("2026-05-04")  # calls in [FIRST_DAY, END)
#: One customer in CUSTOMER_SAMPLE: those whose customer_id is divisible by it.
CUSTOMER_SAMPLE = 3
COMPLAINT = "missed_promise_complaint"


def tables() -> dict[str, pd.DataFrame]:
    """The exercise's calls, cut from the current canonical datasets."""
    from callcoach import datasets

    calls = datasets.load("calls")
    keep = ((calls["queue"] == QUEUE)
            & calls["arrival_time"].between(FIRST_DAY, END, inclusive="left")
            & (calls["customer_id"] % CUSTOMER_SAMPLE == 0))
    return {"calls.csv": calls[keep].sort_values("call_id").reset_index(drop=True)}


def _handle_s(calls: pd.DataFrame) -> pd.Series:
    return calls["talk_s"] + calls["hold_s"] + calls["acw_s"]


def issues(calls: pd.DataFrame) -> pd.DataFrame:
    """One row per issue (``issue_id``) with an answered call: its first answered call's
    proactive_offer, reason, agent and time, its answered calls and handle minutes."""
    answered = calls[calls["answered"]]
    first = (answered.sort_values("arrival_time").drop_duplicates("issue_id")
             .set_index("issue_id")[["proactive_offer", "reason", "agent_id", "arrival_time"]])
    per_issue = pd.DataFrame({"calls": answered.groupby("issue_id").size(),
                              "minutes": _handle_s(answered).groupby(answered["issue_id"]).sum() / 60})
    return first.join(per_issue)


def first_contacts(calls: pd.DataFrame, window_days: int = 7) -> pd.DataFrame:
    """Question 1's issues: answered first contacts (customer + reason + gap) and whether
    each came back within ``window_days``."""
    answered = calls[calls["answered"]].sort_values(["customer_id", "reason", "arrival_time"])
    times = answered.groupby(["customer_id", "reason"])["arrival_time"]
    window = pd.Timedelta(days=window_days)
    gap_before = answered["arrival_time"] - times.shift(1)
    first = gap_before.isna() | (gap_before > window)
    came_back = (times.shift(-1) - answered["arrival_time"]) <= window
    return answered[first].assign(came_back=came_back[first])


def claims(calls: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """The exercise's conclusions as (issues started with an offer, other issues) pairs."""
    from callcoach import datasets

    per_issue = issues(calls)
    answered = calls[calls["answered"]]
    first_calls = answered.sort_values("arrival_time").drop_duplicates("issue_id")
    contacts = first_contacts(calls)
    plain = per_issue[per_issue["reason"] != COMPLAINT]
    tenure = datasets.load("agents").set_index("agent_id")["tenure_band"]
    experienced = plain[plain["agent_id"].map(tenure) == "experienced"]

    def split(values: pd.Series, offer: pd.Series) -> tuple[float, float]:
        return float(values[offer].mean()), float(values[~offer].mean())

    return {
        "first_call_handle_s": split(_handle_s(first_calls), first_calls["proactive_offer"]),
        "repeat_rate_7d": split(contacts["came_back"], contacts["proactive_offer"]),
        "minutes_per_issue": split(per_issue["minutes"], per_issue["proactive_offer"]),
        "minutes_per_issue_without_complaint_starts": split(plain["minutes"], plain["proactive_offer"]),
        "minutes_per_issue_without_complaint_starts_experienced":
            split(experienced["minutes"], experienced["proactive_offer"]),
    }


def facts(folder: Path) -> None:
    """Print the expected answers on the files in ``folder`` (for the trainer notes)."""
    from callcoach import datasets, kpi

    calls = datasets.read_csv(folder / "calls.csv", schema="calls")
    answered = calls[calls["answered"]]
    tenure = datasets.load("agents").set_index("agent_id")["tenure_band"]
    agents = pd.Series(answered["agent_id"].unique())
    print(f"{len(calls):,} calls ({len(answered):,} answered, {(~calls['answered']).sum():,} "
          f"abandoned, {calls['retrial'].sum():,} retrials), {calls['arrival_time'].min()} to "
          f"{calls['arrival_time'].max()}; {calls['customer_id'].nunique():,} customers; "
          f"{len(agents)} agents ({agents.map(tenure).value_counts().to_dict()})")
    print("reasons:", calls["reason"].value_counts().to_dict())

    contacts = first_contacts(calls)
    print(f"\nQ1 repeat_rate: {1 - kpi.fcr_by_repeats(calls):.4f} = {int(contacts['came_back'].sum()):,} "
          f"of {len(contacts):,} first contacts; window 2: {1 - kpi.fcr_by_repeats(calls, window_days=2):.4f}, "
          f"10: {1 - kpi.fcr_by_repeats(calls, window_days=10):.4f}; complete windows only: "
          f"{1 - kpi.fcr_by_repeats(calls, complete_windows_only=True):.4f}")
    by_offer = contacts.groupby("proactive_offer")["came_back"].agg(["sum", "size", "mean"])
    print("by proactive first contact:\n", by_offer.round(4).to_string())
    last_week = contacts["arrival_time"] >= END - pd.Timedelta(days=7)
    print(f"first contacts in the last 7 days: {last_week.mean():.1%}")

    per_issue = issues(calls)
    print(f"\nQ2 (a) minutes_per_issue: {per_issue['minutes'].mean():.4f} ({len(per_issue):,} issues); "
          f"issues with only abandoned calls: {calls['issue_id'].nunique() - len(per_issue)}")
    split = per_issue.groupby("proactive_offer")[["minutes", "calls"]].agg(["mean", "size"])
    print("(b) minutes_by_first_offer (and answered calls per issue):\n", split.round(4).to_string())
    per_call = kpi.aht(calls, table="calls", by="proactive_offer").set_index("proactive_offer")["aht"]
    print("\nQ3 AHT per call by proactive_offer (s):", per_call.round(1).to_dict(),
          f"; share of answered calls with an offer {answered['proactive_offer'].mean():.3f}")
    for name, (offer, other) in claims(calls).items():
        print(f"{name}: offer {offer:.4f}, other {other:.4f}, difference {other - offer:+.4f} "
              f"({(other - offer) / other:+.1%})")
    complaint = per_issue[per_issue["reason"] == COMPLAINT]
    print(f"issues starting with a {COMPLAINT}: {len(complaint)}, {complaint['minutes'].mean():.2f} "
          f"minutes each, all in the 'other' group: {not complaint['proactive_offer'].any()}")
    plain = per_issue[per_issue["reason"] != COMPLAINT]
    full_week = plain[plain["arrival_time"] < END - pd.Timedelta(days=7)]
    band = plain["agent_id"].map(tenure)
    print("without complaint starts, by tenure band of the first call's agent:\n",
          plain.groupby([band, "proactive_offer"])["minutes"].agg(["mean", "size"]).round(2).to_string())
    print("without complaint starts, first call in the first week:\n",
          full_week.groupby("proactive_offer")["minutes"].agg(["mean", "size"]).round(2).to_string())
    first_calls = answered.sort_values("arrival_time").drop_duplicates("issue_id")
    offers = first_calls.groupby(first_calls["agent_id"].map(tenure))["proactive_offer"].mean()
    print("share of first calls with an offer by tenure band:", offers.round(3).to_dict())


DATA = ExerciseData(exercise="ex12-active-per-issue", files=("calls.csv",), tables=tables,
                    facts=facts)

if __name__ == "__main__":
    raise SystemExit(main(DATA, __doc__.splitlines()[0]))
