"""Promises to customers (承诺) and their follow-ups (跟进): the 3A *Available* question.

*Did I finish it?* An agent who promises a call back, a letter or a line test owns that
promise until it is done. This module holds what lesson 14 measures, and the personal
promise tracker a new hire keeps on the floor:

* :func:`promise_status` -- where every promise stands at one moment: done on time,
  done late, overdue, due within a day, due later;
* :func:`completion_by` -- on-time and at-all completion (按时完成率) per agent, team or
  any other grouping, from :func:`callcoach.kpi.followup_completion_rate`;
* :func:`ageing_outcome` -- the open promises of a moment by how long they have been
  due (账龄, counted by :func:`callcoach.followups.open_promise_ageing`), and how many of
  each age were ever done;
* :func:`complaint_cost` -- complaint calls (投诉) that follow kept, late and missed
  promises, and their handle time against the follow-up work;
* :func:`followup_workload` -- follow-up work promised on each shift against the
  follow-up time the schedule sets aside;
* :func:`promise_tracker` -- the tracker widget: add a promise, mark it done, see what is
  due and overdue and your own on-time rate.

Every rate comes from :func:`callcoach.kpi.followup_completion_rate` (one definition,
one place); every status from :func:`promise_status`. The charts state their finding in
the title and label their axes with units.

The tracker never runs anything in the background: the clock is read when you press a
button, so *Run All*, nbval and nbgrader always finish. While nbgrader executes a
notebook (``NBGRADER_EXECUTION`` set) its chart is drawn as a static image.
"""
from __future__ import annotations

import html
from collections.abc import Hashable, Sequence
from datetime import datetime, time
from pathlib import Path
from typing import Any

import altair as alt
import ipywidgets as w
import numpy as np
import pandas as pd

from callcoach import kpi
from callcoach._messages import listing, timestamp
from callcoach.charts import COLOURS
from callcoach.followups import open_promise_ageing
from callcoach.kpi import _datetimes
from callcoach.widgets import chart_view, redraw

__all__ = [
    "KINDS",
    "STATUSES",
    "TRACKER_COLUMNS",
    "PromiseTracker",
    "ageing_chart",
    "ageing_outcome",
    "complaint_cost",
    "completion_by",
    "completion_strip",
    "data_as_of",
    "followup_workload",
    "history_for",
    "monthly_completion_chart",
    "promise_status",
    "promise_tracker",
    "tracker_chart",
    "workload_chart",
]

#: Kinds of promise in the data, and how they read on screen.
KINDS = {"callback": "call back", "mail": "mail", "test_and_report": "test and report"}

#: Where a promise stands at a moment, in this order.
STATUSES = ("done on time", "done late", "overdue", "due within 24 h", "due later")

#: Columns of a promise tracker's table (and of the CSV file it keeps).
TRACKER_COLUMNS = ["promise_id", "customer", "kind", "promised_at", "due_at", "completed_at", "note"]

_OUTCOMES = {"done on time": "kept on time", "done late": "kept late", "overdue": "not kept"}
_OK, _BAD, _GREY = "#1b6e62", "#a4411f", "#555"
_STATUS_COLOURS = {"overdue": COLOURS["missed"], "due within 24 h": "#f4a261", "due later": COLOURS["neutral"]}


# ------------------------------------------------------------------ input checks


def _frame(data: Any, func: str, name: str) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"The {name!r} parameter of {func} must be a pandas DataFrame. "
                        f"Got {type(data).__name__} instead.")
    return data


def _columns(data: pd.DataFrame, columns: Sequence[Hashable], func: str, name: str) -> None:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise KeyError(f"{func} needs the column(s) {listing(missing)} in {name!r}, which has "
                       f"{listing(data.columns, limit=20)}. Pass the right table (datasets.load({name!r})) "
                       "or rename the columns.")


# ------------------------------------------------------------------ where promises stand


def data_as_of(followups: pd.DataFrame, *, promised: str = "promised_at",
               completed: str = "completed_at") -> pd.Timestamp:
    """The moment a followups extract was taken: the latest time it records.

    The same moment :func:`callcoach.kpi.followup_completion_rate` uses when it is not
    given ``as_of``: the later of the latest promise made and the latest completion.

    Parameters
    ----------
    followups : pandas.DataFrame
        One row per promise (the ``followups`` dataset or a tracker's table).
    promised, completed : str
        Columns of the time each promise was made and done (NaT if not done).

    Returns
    -------
    pandas.Timestamp

    Examples
    --------
    >>> from callcoach import datasets, kpi
    >>> followups = datasets.load("followups")
    >>> moment = data_as_of(followups)
    >>> moment >= followups["promised_at"].max()
    True
    >>> kpi.followup_completion_rate(followups) == kpi.followup_completion_rate(followups, as_of=moment)
    True
    """
    func = "data_as_of"
    followups = _frame(followups, func, "followups")
    _columns(followups, [completed], func, "followups")
    return kpi.followups_as_of(followups, completed=completed, promised=promised)


def promise_status(followups: pd.DataFrame, *, as_of: Any = None, due: str = "due_at",
                   completed: str = "completed_at", promised: str = "promised_at",
                   soon_h: float = 24) -> pd.DataFrame:
    """Where each promise stands at one moment.

    Parameters
    ----------
    followups : pandas.DataFrame
        One row per promise: the ``followups`` dataset, or a tracker's table.
    as_of : date-like, optional
        The moment. Promises made after it are left out, and completions recorded
        after it do not count yet. By default :func:`data_as_of`.
    due, completed, promised : str
        Columns of the due time, the completion time (NaT if not done) and the time
        the promise was made (optional: without it every row counts as made).
    soon_h : float, default 24
        An open promise due within this many hours is "due within 24 h".

    Returns
    -------
    pandas.DataFrame
        The promises made by ``as_of``, their columns unchanged, plus ``status`` (an
        ordered category, one of :data:`STATUSES`) and ``hours_to_due`` (hours from
        ``as_of`` to the due time; negative once it has passed).

    Notes
    -----
    ``done on time``: completed by ``as_of``, no later than due. ``done late``:
    completed by ``as_of``, after the due time. ``overdue``: not completed by
    ``as_of`` and due at or before it -- a broken promise, so far. The two open
    statuses are promises not yet due: neither kept nor broken.
    :func:`callcoach.kpi.followup_completion_rate` counts exactly the promises due by
    ``as_of``: the on-time rate is ``done on time`` among those due, over all those due.

    Examples
    --------
    >>> from callcoach import datasets
    >>> followups = datasets.load("followups")
    >>> status = promise_status(followups, as_of="2026-05-04 09:00")
    >>> sorted(status["status"].unique())
    ['done late', 'done on time', 'due later', 'due within 24 h', 'overdue']
    >>> bool((status["promised_at"] <= pd.Timestamp("2026-05-04 09:00")).all())
    True
    """
    func = "promise_status"
    followups = _frame(followups, func, "followups")
    _columns(followups, [due, completed], func, "followups")
    moment = data_as_of(followups, promised=promised, completed=completed) if as_of is None \
        else timestamp(as_of, func, "as_of")
    if not (isinstance(soon_h, (int, float, np.number)) and not isinstance(soon_h, bool) and soon_h > 0):
        raise ValueError(f"The 'soon_h' parameter of {func} must be a positive number of hours. "
                         f"Got {soon_h!r} instead.")
    due_at = _datetimes(followups, due, func, "followups")
    done_at = _datetimes(followups, completed, func, "followups")
    if due_at.isna().any():
        raise ValueError(f"The {due!r} column of 'followups' has {int(due_at.isna().sum())} missing value(s); "
                         f"every promise needs a due time for {func}.")
    made = pd.Series(True, index=followups.index)
    if promised in followups.columns:
        made = _datetimes(followups, promised, func, "followups") <= moment
    out = followups.loc[made].copy()
    due_at, done_at = due_at[made], done_at[made]
    done = done_at.notna() & (done_at <= moment)
    hours = (due_at - moment).dt.total_seconds() / 3600
    status = np.select(
        [done & (done_at <= due_at), done, due_at <= moment, hours <= soon_h],
        ["done on time", "done late", "overdue", "due within 24 h"], default="due later")
    out["status"] = pd.Categorical(status, categories=STATUSES, ordered=True)
    out["hours_to_due"] = hours.astype(float)
    return out


def completion_by(followups: pd.DataFrame, *, by: Hashable | Sequence[Hashable] | None = None,
                  agents: pd.DataFrame | None = None, as_of: Any = None, min_due: int = 1) -> pd.DataFrame:
    """On-time and at-all completion rates per group, as one tidy table.

    Parameters
    ----------
    followups : pandas.DataFrame
        The ``followups`` dataset (or a tracker's table).
    by : column name or list of names, optional
        Group by these columns (``"agent_id"``, ``"team_id"``, ``"kind"``...). Columns
        not in ``followups`` are taken from ``agents`` by ``agent_id``. By default one
        row for all promises.
    agents : pandas.DataFrame, optional
        The ``agents`` dataset, for groupings such as ``team_id`` or ``tenure_band``.
    as_of : date-like, optional
        Report moment, as in :func:`callcoach.kpi.followup_completion_rate`.
    min_due : int, default 1
        Leave out groups with fewer promises due (a rate on a handful of promises is
        mostly luck).

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``promises_due``, ``kept_on_time``, ``kept_at_all``,
        ``on_time_rate`` and ``at_all_rate`` (fractions 0-1), both rates from
        :func:`callcoach.kpi.followup_completion_rate`; one row per group.

    Examples
    --------
    >>> from callcoach import datasets, kpi
    >>> followups, agents = datasets.load("followups"), datasets.load("agents")
    >>> teams = completion_by(followups, by="team_id", agents=agents)
    >>> list(teams.columns)
    ['team_id', 'promises_due', 'kept_on_time', 'kept_at_all', 'on_time_rate', 'at_all_rate']
    >>> bool((teams["at_all_rate"] >= teams["on_time_rate"]).all())
    True
    >>> whole = completion_by(followups)
    >>> float(whole["on_time_rate"].iloc[0]) == kpi.followup_completion_rate(followups)
    True
    """
    func = "completion_by"
    followups = _frame(followups, func, "followups")
    if not (isinstance(min_due, (int, np.integer)) and not isinstance(min_due, bool) and min_due >= 1):
        raise ValueError(f"The 'min_due' parameter of {func} must be a whole number of at least 1. "
                         f"Got {min_due!r} instead.")
    keys = [] if by is None else list(by) if isinstance(by, (list, tuple)) else [by]
    data = followups
    from_agents = [k for k in keys if k not in followups.columns]
    if from_agents:
        if agents is None:
            raise KeyError(f"The 'by' parameter of {func} names {listing(from_agents)}, which is not a column of "
                           f"'followups' ({listing(followups.columns, limit=20)}). Pass agents=datasets.load('agents') "
                           "to group by an agent's team or tenure.")
        agents = _frame(agents, func, "agents")
        _columns(followups, ["agent_id"], func, "followups")
        _columns(agents, ["agent_id", *from_agents], func, "agents")
        data = followups.merge(agents[["agent_id", *from_agents]], on="agent_id", how="left")
    group = keys or ["_all"]
    if not keys:
        data = data.assign(_all="all")
    on_time = kpi.followup_completion_rate(data, by=group, as_of=as_of)
    at_all = kpi.followup_completion_rate(data, by=group, method="at_all", as_of=as_of)
    out = on_time[group].copy()
    out["promises_due"] = on_time["denominator"].astype("int64")
    out["kept_on_time"] = on_time["numerator"].astype("int64")
    out["kept_at_all"] = at_all["numerator"].astype("int64").to_numpy()
    out["on_time_rate"] = on_time["followup_completion_rate"].astype(float)
    out["at_all_rate"] = at_all["followup_completion_rate"].astype(float).to_numpy()
    out = out[out["promises_due"] >= min_due]
    if not keys:
        out = out.drop(columns="_all")
    return out.reset_index(drop=True)


def ageing_outcome(followups: pd.DataFrame, *, as_of: Any,
                   edges_days: Sequence[float] = (1, 2, 7)) -> pd.DataFrame:
    """The promises open at a moment by days overdue (账龄), and how many of each age were ever done.

    The counting is :func:`callcoach.followups.open_promise_ageing`'s; this adds what
    past data can tell a team leader: of the promises that were that overdue, how many
    were done at all afterwards.

    Parameters
    ----------
    followups : pandas.DataFrame
        The ``followups`` dataset (``promised_at``, ``due_at``, ``completed_at``).
    as_of : date-like
        The moment, e.g. a Monday 09:00 when the team leader reviews the open list.
    edges_days : sequence of float, default (1, 2, 7)
        Days overdue that separate the bands (see
        :func:`callcoach.followups.ageing_bands`).

    Returns
    -------
    pandas.DataFrame
        One row per band, in order: ``band`` (ordered category: ``not_yet_due``,
        ``up_to_1_day``, ...), ``open_promises``, ``share`` (of all open promises),
        ``never_done`` (of them, promises never completed in the data) and
        ``done_later`` (share completed after ``as_of``; NaN for an empty band).

    Examples
    --------
    >>> from callcoach import datasets
    >>> ageing = ageing_outcome(datasets.load("followups"), as_of="2026-05-04 09:00")
    >>> ageing["band"].tolist()
    ['not_yet_due', 'up_to_1_day', '1_to_2_days', '2_to_7_days', 'over_7_days']
    >>> round(float(ageing["share"].sum()), 6)
    1.0
    >>> recent, old = ageing.set_index("band").loc[["up_to_1_day", "2_to_7_days"], "done_later"]
    >>> bool(recent > old)
    True
    """
    func = "ageing_outcome"
    followups = _frame(followups, func, "followups")
    _columns(followups, ["completed_at"], func, "followups")
    out = open_promise_ageing(followups, as_of=as_of, edges_days=edges_days)
    never_rows = followups[followups["completed_at"].isna()]
    if never_rows.empty:
        out["never_done"] = 0
    else:
        never = open_promise_ageing(never_rows, as_of=as_of, edges_days=edges_days)
        out["never_done"] = never["open_promises"].to_numpy()
    total = int(out["open_promises"].sum())
    out.insert(2, "share", out["open_promises"] / total if total else 0.0)
    opened = out["open_promises"].where(out["open_promises"] > 0)
    out["done_later"] = (1 - out["never_done"] / opened).astype(float)
    return out


def complaint_cost(followups: pd.DataFrame, calls: pd.DataFrame, *, as_of: Any = None,
                   complaint: str = "complaint_call_id", work: str = "work_s") -> pd.DataFrame:
    """Complaint calls (投诉) after kept, late and missed promises, and the work they took.

    Parameters
    ----------
    followups : pandas.DataFrame
        The ``followups`` dataset: ``complaint`` names the complaint call a promise
        caused, ``work`` the agent seconds the follow-up takes when done.
    calls : pandas.DataFrame
        The ``calls`` dataset (for the complaint calls' handle time).
    as_of : date-like, optional
        Report moment (default :func:`data_as_of`): only promises due by then count.
    complaint, work : str
        Column names in ``followups``.

    Returns
    -------
    pandas.DataFrame
        One row per ``outcome``: "kept on time", "kept late", "not kept" (due, not done
        by ``as_of``). Columns ``promises``, ``followup_work_s`` (mean seconds a
        follow-up takes), ``followup_hours`` (their total, in hours), ``complaints``
        (promises followed by a complaint call), ``complaint_rate``,
        ``complaint_handle_s`` (average handle time of the answered complaint calls,
        :func:`callcoach.kpi.aht`), ``complaint_hours`` (their total handle time, in
        hours) and ``hours_ratio`` (``complaint_hours / followup_hours``: hours of
        complaints per hour of follow-up work of those promises).

    Notes
    -----
    Only the first complaint call of each promise is linked, and only agent handle
    time counts: a supervisor's time on a transferred complaint, the customer's
    repeat calls and their goodwill are on top.

    Examples
    --------
    >>> from callcoach import datasets
    >>> cost = complaint_cost(datasets.load("followups"), datasets.load("calls"))
    >>> cost["outcome"].tolist()
    ['kept on time', 'kept late', 'not kept']
    >>> by = cost.set_index("outcome")
    >>> bool(by.at["not kept", "complaint_rate"] > by.at["kept late", "complaint_rate"]
    ...      > by.at["kept on time", "complaint_rate"])
    True
    >>> bool(by.at["not kept", "complaint_handle_s"] > 3 * by.at["not kept", "followup_work_s"])
    True
    """
    func = "complaint_cost"
    followups = _frame(followups, func, "followups")
    calls = _frame(calls, func, "calls")
    _columns(followups, [complaint, work], func, "followups")
    _columns(calls, ["call_id", "answered", "talk_s", "hold_s", "acw_s"], func, "calls")
    moment = data_as_of(followups) if as_of is None else timestamp(as_of, func, "as_of")
    status = promise_status(followups, as_of=moment)
    # Only promises due by the report moment, as in kpi.followup_completion_rate: one done
    # early but not yet due is neither kept nor broken yet.
    due = status[status["status"].isin(list(_OUTCOMES)) & (status["hours_to_due"] <= 0)].copy()
    due["outcome"] = due["status"].astype(str).map(_OUTCOMES)
    outcomes = list(_OUTCOMES.values())
    linked = due[due[complaint].notna()]
    complaint_calls = calls.merge(
        pd.DataFrame({"call_id": linked[complaint].astype("int64").to_numpy(),
                      "outcome": linked["outcome"].to_numpy()}), on="call_id")
    groups = due.groupby("outcome")
    out = pd.DataFrame({"outcome": outcomes})
    out["promises"] = groups.size().reindex(outcomes, fill_value=0).to_numpy().astype("int64")
    out["followup_work_s"] = groups[work].mean().reindex(outcomes).to_numpy().astype(float)
    out["followup_hours"] = groups[work].sum().reindex(outcomes, fill_value=0).to_numpy() / 3600
    out["complaints"] = groups[complaint].count().reindex(outcomes, fill_value=0).to_numpy().astype("int64")
    out["complaint_rate"] = out["complaints"] / out["promises"].where(out["promises"] > 0)
    handle = pd.DataFrame(columns=["outcome", "aht", "numerator"])
    if complaint_calls["answered"].astype(bool).any():
        handle = kpi.aht(complaint_calls, table="calls", by="outcome")
    handle = handle.set_index("outcome")
    out["complaint_handle_s"] = handle["aht"].reindex(outcomes).to_numpy().astype(float)
    out["complaint_hours"] = handle["numerator"].reindex(outcomes).fillna(0).to_numpy().astype(float) / 3600
    out["hours_ratio"] = out["complaint_hours"] / out["followup_hours"].where(out["followup_hours"] > 0)
    return out


def followup_workload(followups: pd.DataFrame, schedules: pd.DataFrame, *,
                      activity: str = "followup") -> pd.DataFrame:
    """Follow-up work promised on each shift, against the follow-up time scheduled that day.

    Parameters
    ----------
    followups : pandas.DataFrame
        The ``followups`` dataset (``agent_id``, ``promised_at``, ``work_s``).
    schedules : pandas.DataFrame
        The ``schedules`` dataset (``agent_id``, ``date``, ``activity``, ``start``, ``end``).
    activity : str, default "followup"
        The scheduled activity set aside for follow-up work.

    Returns
    -------
    pandas.DataFrame
        One row per agent and day on which the agent made a promise or had follow-up
        time scheduled: ``agent_id``, ``date``, ``promises`` (made that day),
        ``work_min`` (minutes those promises take to fulfil) and ``scheduled_min``
        (minutes of ``activity`` scheduled that day).

    Notes
    -----
    A promise made today is often fulfilled tomorrow; over many shifts the two even
    out, so the comparison says whether the time set aside matches the work promised.

    Examples
    --------
    >>> from callcoach import datasets
    >>> load = followup_workload(datasets.load("followups"), datasets.load("schedules"))
    >>> list(load.columns)
    ['agent_id', 'date', 'promises', 'work_min', 'scheduled_min']
    >>> bool((load["work_min"] >= 0).all() and (load["scheduled_min"] >= 0).all())
    True
    """
    func = "followup_workload"
    followups = _frame(followups, func, "followups")
    schedules = _frame(schedules, func, "schedules")
    _columns(followups, ["agent_id", "promised_at", "work_s"], func, "followups")
    _columns(schedules, ["agent_id", "date", "activity", "start", "end"], func, "schedules")
    made = _datetimes(followups, "promised_at", func, "followups").dt.normalize()
    work = followups.groupby([followups["agent_id"], made.rename("date")])["work_s"].agg(["size", "sum"])
    slots = schedules[schedules["activity"] == activity]
    minutes = (_datetimes(slots, "end", func, "schedules")
               - _datetimes(slots, "start", func, "schedules")).dt.total_seconds() / 60
    day = pd.to_datetime(slots["date"]).dt.normalize()
    scheduled = minutes.groupby([slots["agent_id"], day.rename("date")]).sum()
    out = pd.concat([work["size"].rename("promises"), (work["sum"] / 60).rename("work_min"),
                     scheduled.rename("scheduled_min")], axis=1).fillna(0)
    out.index.names = ["agent_id", "date"]
    out["promises"] = out["promises"].astype("int64")
    return out.reset_index().sort_values(["date", "agent_id"], kind="mergesort").reset_index(drop=True)


def history_for(followups: pd.DataFrame, agent_id: str, *, as_of: Any, days: float = 7) -> pd.DataFrame:
    """One agent's promises of the last ``days`` as a tracker table, as they stood at ``as_of``.

    For practice: load an agent's real week into :func:`promise_tracker` and take over
    at a moment of the quarter. Completions after ``as_of`` are removed (at that
    moment they had not happened yet).

    Parameters
    ----------
    followups : pandas.DataFrame
        The ``followups`` dataset.
    agent_id : str
        The agent (``"A014"``).
    as_of : date-like
        The moment to take over.
    days : float, default 7
        How far back to take the promises made.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TRACKER_COLUMNS`: ``promise_id`` (the ``followup_id``),
        ``customer`` ("customer 5341104"), ``kind``, ``promised_at``, ``due_at``,
        ``completed_at`` (NaT if not done by ``as_of``) and ``note`` (the call it was
        promised on).

    Examples
    --------
    >>> from callcoach import datasets
    >>> mine = history_for(datasets.load("followups"), "A014", as_of="2026-05-04 09:00")
    >>> list(mine.columns) == TRACKER_COLUMNS
    True
    >>> bool((mine["completed_at"].dropna() <= pd.Timestamp("2026-05-04 09:00")).all())
    True
    """
    func = "history_for"
    followups = _frame(followups, func, "followups")
    _columns(followups, ["followup_id", "agent_id", "customer_id", "kind", "promised_at", "due_at",
                         "completed_at"], func, "followups")
    moment = timestamp(as_of, func, "as_of")
    if not (isinstance(days, (int, float, np.number)) and not isinstance(days, bool) and days > 0):
        raise ValueError(f"The 'days' parameter of {func} must be a positive number. Got {days!r} instead.")
    known = followups["agent_id"].dropna().unique()
    if agent_id not in set(known):
        raise KeyError(f"{agent_id!r} (the 'agent_id' parameter of {func}) made no promise in 'followups'. "
                       f"Agents with promises: {listing(sorted(known))}.")
    rows = followups[(followups["agent_id"] == agent_id) & (followups["promised_at"] <= moment)
                     & (followups["promised_at"] > moment - pd.Timedelta(days=days))]
    done = rows["completed_at"].where(rows["completed_at"] <= moment)
    note = ("call " + rows["call_id"].astype(str)) if "call_id" in rows.columns else ""
    out = pd.DataFrame({
        "promise_id": rows["followup_id"].astype("int64"),
        "customer": "customer " + rows["customer_id"].astype(str),
        "kind": rows["kind"].astype(str),
        "promised_at": rows["promised_at"], "due_at": rows["due_at"], "completed_at": done,
        "note": note,
    })
    return out.sort_values("promised_at", kind="mergesort").reset_index(drop=True)


# ------------------------------------------------------------------ charts


def completion_strip(per_agent: pd.DataFrame, per_team: pd.DataFrame, *, team: str = "team_id",
                     title: str | None = None) -> alt.LayerChart:
    """Each agent's on-time rate as a dot on their team's row, the team's own rate as a bar.

    Parameters
    ----------
    per_agent : pandas.DataFrame
        From :func:`completion_by` with ``by=[team, "agent_id"]``.
    per_team : pandas.DataFrame
        From :func:`completion_by` with ``by=team``.
    team : str, default "team_id"
        The team column.
    title : str, optional
        By default: the range of the agents' rates against the range of the teams'.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> agents = pd.DataFrame({"team_id": ["t1", "t1", "t2"], "agent_id": ["a", "b", "c"],
    ...                        "on_time_rate": [0.5, 0.9, 0.7], "promises_due": [20, 30, 25]})
    >>> teams = pd.DataFrame({"team_id": ["t1", "t2"], "on_time_rate": [0.74, 0.7], "promises_due": [50, 25]})
    >>> completion_strip(agents, teams).to_dict()["title"]["text"]
    "Agents' on-time rates run from 50% to 90%; teams' only from 70% to 74%"
    """
    _columns(per_agent, [team, "agent_id", "on_time_rate", "promises_due"], "completion_strip", "per_agent")
    _columns(per_team, [team, "on_time_rate"], "completion_strip", "per_team")
    if title is None:
        title = (f"Agents' on-time rates run from {per_agent['on_time_rate'].min():.0%} to "
                 f"{per_agent['on_time_rate'].max():.0%}; teams' only from {per_team['on_time_rate'].min():.0%} "
                 f"to {per_team['on_time_rate'].max():.0%}")
    order = list(per_team.sort_values("on_time_rate", ascending=False)[team])
    x = alt.X("on_time_rate:Q", title="Promises kept on time (% of promises due)", axis=alt.Axis(format="%"),
              scale=alt.Scale(domain=[0, 1]))
    y = alt.Y(f"{team}:N", title="Team", sort=order)
    dots = alt.Chart(per_agent).mark_circle(size=70, opacity=0.6, color=COLOURS["neutral"]).encode(
        x=x, y=y, tooltip=[alt.Tooltip("agent_id:N", title="Agent"), alt.Tooltip(f"{team}:N", title="Team"),
                           alt.Tooltip("on_time_rate:Q", title="On time", format=".1%"),
                           alt.Tooltip("promises_due:Q", title="Promises due")])
    ticks = alt.Chart(per_team).mark_tick(color=COLOURS["missed"], thickness=4, size=26).encode(
        x=x, y=y, tooltip=[alt.Tooltip(f"{team}:N", title="Team"),
                           alt.Tooltip("on_time_rate:Q", title="Team on time", format=".1%")])
    return alt.layer(dots, ticks).properties(height=alt.Step(34), title=alt.Title(
        title, subtitle="Dots: agents; orange bars: the team's promises all together"))


def ageing_chart(ageing: pd.DataFrame, *, as_of: Any, title: str | None = None) -> alt.LayerChart:
    """Bars of the open promises by days overdue at a moment, overdue ones in orange.

    Parameters
    ----------
    ageing : pandas.DataFrame
        From :func:`ageing_outcome` (or :func:`callcoach.followups.open_promise_ageing`):
        ``band`` and ``open_promises``; ``done_later`` is shown in the tooltip if present.
    as_of : date-like
        The moment (for the default title and the subtitle).
    title : str, optional
        By default: how many of the open promises were overdue.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> ageing = pd.DataFrame({"band": ["not_yet_due", "up_to_1_day", "over_1_day"],
    ...                        "open_promises": [40, 10, 30]})
    >>> ageing_chart(ageing, as_of="2026-05-04 09:00").to_dict()["title"]["text"]
    'At 09:00 on Mon 04 May, 40 of 80 open promises were overdue'
    """
    _columns(ageing, ["band", "open_promises"], "ageing_chart", "ageing")
    moment = timestamp(as_of, "ageing_chart", "as_of")
    band = ageing["band"].astype(str)
    data = pd.DataFrame({
        "age": band.str.replace("_", " ").replace("not yet due", "not due yet"),
        "promises": ageing["open_promises"].to_numpy(),
        "state": np.where(band == "not_yet_due", "not due yet", "overdue"),
        "done_later": ageing["done_later"].to_numpy() if "done_later" in ageing else np.nan,
    })
    if title is None:
        title = (f"At {moment:%H:%M on %a %d %b}, {int(data.loc[data['state'] == 'overdue', 'promises'].sum()):,} "
                 f"of {int(data['promises'].sum()):,} open promises were overdue")
    base = alt.Chart(data).encode(
        x=alt.X("age:N", title="Open promises, by days past their due time", sort=list(data["age"]),
                axis=alt.Axis(labelAngle=0, labelLimit=200)),
        y=alt.Y("promises:Q", title="Open promises", axis=alt.Axis(format=",.0f")))
    bars = base.mark_bar().encode(
        color=alt.Color("state:N", title="", scale=alt.Scale(domain=["not due yet", "overdue"],
                                                              range=[COLOURS["neutral"], COLOURS["missed"]])),
        tooltip=[alt.Tooltip("age:N", title="Age"), alt.Tooltip("promises:Q", title="Open promises", format=","),
                 alt.Tooltip("done_later:Q", title="Done later", format=".0%")])
    labels = base.mark_text(dy=-6, color="#333").encode(text=alt.Text("promises:Q", format=","))
    return alt.layer(bars, labels).properties(width=alt.Step(110), title=alt.Title(
        title, subtitle=f"Promises made but not done at {moment:%H:%M, %A %d %B %Y}"))


def monthly_completion_chart(monthly: pd.DataFrame, *, highlight: Sequence[Any] = (),
                             title: str = "Promises kept on time, month by month") -> alt.LayerChart:
    """Lines of the monthly on-time completion rate per queue, with months to point out shaded.

    Parameters
    ----------
    monthly : pandas.DataFrame
        The ``monthly`` dataset (``month``, ``queue``, ``followup_completion_rate``).
    highlight : sequence of date-like
        Months to shade (first day of the month), e.g. the busiest ones.
    title : str
        The finding.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> from callcoach import datasets
    >>> chart = monthly_completion_chart(datasets.load("monthly"), highlight=["2025-02-01"], title="t")
    >>> spec = chart.to_dict()
    >>> spec["title"]["text"], len(spec["layer"])
    ('t', 2)
    """
    func = "monthly_completion_chart"
    monthly = _frame(monthly, func, "monthly")
    _columns(monthly, ["month", "queue", "followup_completion_rate"], func, "monthly")
    months = [timestamp(m, func, "highlight") for m in highlight]
    shade = pd.DataFrame({"start": months, "end": [m + pd.offsets.MonthBegin(1) for m in months]})
    band = alt.Chart(shade).mark_rect(color="#f4a261", opacity=0.25).encode(x="start:T", x2="end:T")
    lines = alt.Chart(monthly).mark_line(point=True).encode(
        x=alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y")),
        y=alt.Y("followup_completion_rate:Q", title="Promises due in the month kept on time (%)",
                axis=alt.Axis(format="%"), scale=alt.Scale(zero=False)),
        color=alt.Color("queue:N", title="Queue"),
        tooltip=[alt.Tooltip("month:T", title="Month", format="%B %Y"), alt.Tooltip("queue:N", title="Queue"),
                 alt.Tooltip("followup_completion_rate:Q", title="On time", format=".1%")])
    return alt.layer(band, lines).properties(title=alt.Title(
        title, subtitle="Shaded: the busiest months" if months else None))


def workload_chart(workload: pd.DataFrame, *, title: str | None = None) -> alt.LayerChart:
    """Histogram of follow-up minutes promised per shift, with the time scheduled for it.

    Parameters
    ----------
    workload : pandas.DataFrame
        From :func:`followup_workload`, usually the shifts with follow-up time scheduled.
    title : str, optional
        By default: the share of shifts whose promises need more than the time set aside.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> df = pd.DataFrame({"work_min": [10.0, 20.0, 40.0, 25.0], "scheduled_min": [30.0] * 4})
    >>> workload_chart(df).to_dict()["title"]["text"]
    'On 25% of shifts the promises made need more than the 30 minutes set aside'
    """
    _columns(workload, ["work_min", "scheduled_min"], "workload_chart", "workload")
    slot = float(workload["scheduled_min"].median())
    over = float((workload["work_min"] > workload["scheduled_min"]).mean())
    if title is None:
        title = f"On {over:.0%} of shifts the promises made need more than the {slot:.0f} minutes set aside"
    top = max(float(workload["work_min"].max()), slot) if len(workload) else slot
    counts, edges = np.histogram(workload["work_min"], bins=np.arange(0, top + 5, 5))
    bins = pd.DataFrame({"from": edges[:-1], "to": edges[1:], "shifts": counts})
    bars = alt.Chart(bins).mark_bar(color=COLOURS["neutral"], binSpacing=1).encode(
        x=alt.X("from:Q", bin="binned", title="Follow-up work promised on the shift (minutes)"), x2="to:Q",
        y=alt.Y("shifts:Q", title="Shifts"),
        tooltip=[alt.Tooltip("from:Q", title="From (min)"), alt.Tooltip("to:Q", title="To (min)"),
                 alt.Tooltip("shifts:Q", title="Shifts", format=",")])
    rule = alt.Chart(pd.DataFrame({"slot": [slot]})).mark_rule(
        color=COLOURS["missed"], strokeDash=[6, 4], size=2).encode(x="slot:Q")
    return alt.layer(bars, rule).properties(title=alt.Title(
        title, subtitle=f"Dashed line: {slot:.0f} minutes of follow-up time in the schedule"))


def tracker_chart(status: pd.DataFrame, *, now: Any, title: str | None = None) -> alt.LayerChart:
    """The open promises of a tracker: hours to their due time, overdue ones to the left of now.

    Parameters
    ----------
    status : pandas.DataFrame
        From :func:`promise_status` on a tracker's table.
    now : date-like
        The tracker's clock (for the subtitle).
    title : str, optional
        By default: how many promises are overdue and due within 24 hours.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> table = pd.DataFrame({"promise_id": [1, 2], "customer": ["Ms Chen", "Mr Li"], "kind": ["mail", "callback"],
    ...                       "promised_at": pd.to_datetime(["2026-05-01 10:00", "2026-05-03 11:00"]),
    ...                       "due_at": pd.to_datetime(["2026-05-02 10:00", "2026-05-04 11:00"]),
    ...                       "completed_at": pd.NaT, "note": ""})
    >>> status = promise_status(table, as_of="2026-05-04 09:00")
    >>> tracker_chart(status, now="2026-05-04 09:00").to_dict()["title"]["text"]
    '1 promise overdue, 1 due within 24 hours'
    """
    moment = timestamp(now, "tracker_chart", "now")
    open_ = status[status["status"].isin(["overdue", "due within 24 h", "due later"])]
    data = pd.DataFrame({
        "promise": [f"#{i} {c} · {KINDS.get(k, k)}" for i, c, k in
                    zip(open_["promise_id"], open_["customer"], open_["kind"])],
        "hours": open_["hours_to_due"].round(1).to_numpy(),
        "status": open_["status"].astype(str).to_numpy(),
        "due": open_["due_at"].dt.strftime("%a %d %b %H:%M").to_numpy(),
    }).sort_values("hours", kind="mergesort")
    n_over, n_soon = int((data["status"] == "overdue").sum()), int((data["status"] == "due within 24 h").sum())
    if title is None:
        title = ("Nothing open: every promise is done" if data.empty else
                 f"{n_over} promise{'s' if n_over != 1 else ''} overdue, {n_soon} due within 24 hours")
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("hours:Q", title="Hours until due (negative: overdue by that many hours)"),
        y=alt.Y("promise:N", title=None, sort=list(data["promise"]), axis=alt.Axis(labelLimit=320)),
        color=alt.Color("status:N", title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=list(_STATUS_COLOURS), range=list(_STATUS_COLOURS.values()))),
        tooltip=[alt.Tooltip("promise:N", title="Promise"), alt.Tooltip("due:N", title="Due"),
                 alt.Tooltip("hours:Q", title="Hours until due")])
    rule = alt.Chart(pd.DataFrame({"hours": [0.0]})).mark_rule(color=COLOURS["target"], size=2).encode(x="hours:Q")
    return alt.layer(bars, rule).properties(height=alt.Step(26), title=alt.Title(
        title, subtitle=f"One bar per open promise. Now: {moment:%a %d %b %Y %H:%M} (the dark line)"))


# ------------------------------------------------------------------ the tracker widget


def _empty_table() -> pd.DataFrame:
    return pd.DataFrame({
        "promise_id": pd.Series(dtype="int64"), "customer": pd.Series(dtype=object),
        "kind": pd.Series(dtype=object), "promised_at": pd.Series(dtype="datetime64[us]"),
        "due_at": pd.Series(dtype="datetime64[us]"), "completed_at": pd.Series(dtype="datetime64[us]"),
        "note": pd.Series(dtype=object)})


def _tracker_table(promises: pd.DataFrame, where: str) -> pd.DataFrame:
    missing = [c for c in TRACKER_COLUMNS if c not in promises.columns]
    if missing:
        raise KeyError(f"The promises in {where} need the column(s) {listing(missing)}; they have "
                       f"{listing(promises.columns, limit=20)}. Expected {listing(TRACKER_COLUMNS)} "
                       "(history_for makes such a table from the followups dataset).")
    table = promises[TRACKER_COLUMNS].copy()
    for col in ("promised_at", "due_at", "completed_at"):
        table[col] = pd.to_datetime(table[col], errors="coerce").astype("datetime64[us]")
    bad = table[table["promised_at"].isna() | table["due_at"].isna()]
    if len(bad):
        raise ValueError(f"The promises in {where} need a promised_at and a due_at time in every row; "
                         f"promise(s) {listing(bad['promise_id'])} lack one.")
    if table["promise_id"].duplicated().any():
        raise ValueError(f"The promises in {where} have a repeated promise_id: "
                         f"{listing(table.loc[table['promise_id'].duplicated(), 'promise_id'])}.")
    table["promise_id"] = table["promise_id"].astype("int64")
    table["customer"] = table["customer"].astype(str)
    table["kind"] = table["kind"].astype(str)
    table["note"] = table["note"].fillna("").astype(str)
    return table.reset_index(drop=True)


def _esc(value: Any) -> str:
    return html.escape(str(value))


def _line(text: str, colour: str = _GREY) -> str:
    return f"<div style='color:{colour}'>{text}</div>"


def _hours(h: float) -> str:
    h = abs(h)
    return f"{h:.0f} h" if h < 48 else f"{h / 24:.0f} days"


_TIMES = [time(8 + i // 2, 30 * (i % 2)) for i in range(25)]  # 08:00 .. 20:00, opening hours


class PromiseTracker(w.VBox):
    """A personal promise tracker; see :func:`promise_tracker`.

    Attributes
    ----------
    customer, note : ipywidgets.Text
        Who was promised, and what exactly (optional).
    kind : ipywidgets.Dropdown
        call back / mail / test and report.
    due_date : ipywidgets.DatePicker
    due_time : ipywidgets.Dropdown
        The due time, every half hour in opening hours (08:00-20:00).
    add_button, done_button, remove_button : ipywidgets.Button
        *Add promise*, *Mark done*, *Remove* (for an entry made by mistake).
    open_list : ipywidgets.Select
        The open promises, earliest due first; its value is a promise id.
    summary, message, clock : ipywidgets.HTML
        What is open and overdue and the on-time rate; the result of the last
        action; the time the tracker counts from.
    chart : widget
        The chart of :func:`tracker_chart`.
    """

    def __init__(self, promises: pd.DataFrame | None = None, *, now: Any = None,
                 path: str | Path | None = None) -> None:
        self.path = None if path is None else Path(path)
        if self.path is not None and self.path.exists():
            if promises is not None:
                raise ValueError(f"promise_tracker got both promises and an existing file {str(self.path)!r}; "
                                 "give one or the other (the file keeps your promises between sessions).")
            try:
                loaded = pd.read_csv(self.path, dtype={"customer": str, "kind": str, "note": str})
            except (OSError, ValueError, pd.errors.ParserError) as err:
                raise ValueError(f"promise_tracker could not read {str(self.path)!r}: {err}. Expected a CSV file "
                                 f"with the columns {listing(TRACKER_COLUMNS)}.") from None
            self._table = _tracker_table(loaded, repr(str(self.path)))
        elif promises is None:
            self._table = _empty_table()
        else:
            self._table = _tracker_table(_frame(promises, "promise_tracker", "promises"), "'promises'")
        self._clock = None if now is None else timestamp(now, "promise_tracker", "now")

        self.customer = w.Text(description="Customer", placeholder="name or account number")
        self.kind = w.Dropdown(options=[(label, code) for code, label in KINDS.items()], description="Promise")
        start = self.now + pd.Timedelta(days=1)
        slot = min(_TIMES, key=lambda t: abs((t.hour * 60 + t.minute) - (start.hour * 60 + start.minute)))
        self.due_date = w.DatePicker(description="Due", value=start.date())
        self.due_time = w.Dropdown(options=[(t.strftime("%H:%M"), t) for t in _TIMES], value=slot,
                                   layout=w.Layout(width="90px"))
        self.note = w.Text(description="Note", placeholder="what exactly you promised (optional)",
                           layout=w.Layout(width="420px"))
        self.add_button = w.Button(description="Add promise", button_style="primary", icon="plus")
        self.open_list = w.Select(options=[], rows=6, layout=w.Layout(width="640px"))
        self.done_button = w.Button(description="Mark done", button_style="success", icon="check")
        self.remove_button = w.Button(description="Remove", icon="trash")
        self.summary, self.message, self.clock = w.HTML(), w.HTML(), w.HTML()
        self.add_button.on_click(lambda _b: self._ui(self._add_from_form))
        self.done_button.on_click(lambda _b: self._ui(self._done_from_list))
        self.remove_button.on_click(lambda _b: self._ui(self._remove_from_list))
        if self._clock is None:
            refresh = w.Button(description="Now", icon="refresh", tooltip="Read the clock again")
            refresh.on_click(lambda _b: self._ui(lambda: ""))
            clock_row = w.HBox([self.clock, refresh])
        else:
            hour, day = w.Button(description="+1 hour"), w.Button(description="+1 day")
            hour.on_click(lambda _b: self._ui(lambda: self.advance(hours=1)))
            day.on_click(lambda _b: self._ui(lambda: self.advance(hours=24)))
            clock_row = w.HBox([self.clock, hour, day])
        self.chart = chart_view(self._figure())
        for widget, name in ((self.customer, "customer"), (self.add_button, "add"), (self.open_list, "open"),
                             (self.done_button, "done"), (self.remove_button, "remove"),
                             (self.summary, "summary"), (self.message, "message")):
            widget.add_class(f"callcoach-tracker-{name}")
        super().__init__([
            clock_row,
            w.HTML("<b>New promise</b>"),
            w.HBox([self.customer, self.kind]),
            w.HBox([self.due_date, self.due_time, self.note]),
            self.add_button,
            w.HTML("<b>Open promises</b> (earliest due first)"),
            self.open_list,
            w.HBox([self.done_button, self.remove_button]),
            self.message, self.summary, self.chart])
        self.add_class("callcoach-promise-tracker")
        self.refresh()

    # ------------------------------------------------------------ reading
    @property
    def now(self) -> pd.Timestamp:
        """The tracker's clock: the computer's time, or the practice clock."""
        return pd.Timestamp.now().floor("s") if self._clock is None else self._clock

    @property
    def table(self) -> pd.DataFrame:
        """A copy of the promises (columns :data:`TRACKER_COLUMNS`)."""
        return self._table.copy()

    def status(self) -> pd.DataFrame:
        """:func:`promise_status` of every promise, now."""
        return promise_status(self._table, as_of=self.now)

    def rates(self) -> pd.DataFrame:
        """:func:`completion_by` of the promises due by now: one row, or none if nothing is due yet."""
        due = self._table[self._table["due_at"] <= self.now]
        if due.empty:
            return pd.DataFrame(columns=["promises_due", "kept_on_time", "kept_at_all", "on_time_rate", "at_all_rate"])
        return completion_by(self._table, as_of=self.now)

    # ------------------------------------------------------------ changing
    def add(self, customer: str, kind: str, due: Any, *, note: str = "", promised_at: Any = None) -> int:
        """Record a new promise; returns its id.

        Parameters
        ----------
        customer : str
            Name or account number.
        kind : str
            ``"callback"``, ``"mail"`` or ``"test_and_report"`` (or how they read:
            "call back", "test and report").
        due : date-like
            When it is due; after ``promised_at``.
        note : str, optional
            What exactly was promised.
        promised_at : date-like, optional
            When it was promised; by default now.
        """
        if not isinstance(customer, str) or not customer.strip():
            raise ValueError("A promise needs a customer: type their name or account number. "
                             f"Got {customer!r} instead.")
        codes = {**{c: c for c in KINDS}, **{label: c for c, label in KINDS.items()}}
        if kind not in codes:
            raise ValueError(f"The kind of a promise must be one of {listing(KINDS)}. Got {kind!r} instead.")
        made = self.now if promised_at is None else timestamp(promised_at, "add", "promised_at")
        due_at = timestamp(due, "add", "due")
        if due_at <= made:
            raise ValueError(f"A promise must fall due after it is made ({made:%a %d %b %H:%M}). "
                             f"Got a due time of {due_at:%a %d %b %H:%M} instead.")
        new_id = int(self._table["promise_id"].max()) + 1 if len(self._table) else 1
        row = pd.DataFrame({"promise_id": [new_id], "customer": [customer.strip()], "kind": [codes[kind]],
                            "promised_at": [made], "due_at": [due_at], "completed_at": [pd.NaT],
                            "note": [str(note).strip()]})
        self._table = _tracker_table(pd.concat([self._table, row], ignore_index=True), "the tracker")
        self._changed()
        return new_id

    def _row(self, promise_id: Any) -> int:
        hits = np.flatnonzero(self._table["promise_id"].to_numpy() == promise_id)
        if not len(hits):
            open_ids = self._table.loc[self._table["completed_at"].isna(), "promise_id"]
            raise KeyError(f"There is no promise #{promise_id} in the tracker. Open promises: "
                           f"{listing(open_ids) or 'none'}.")
        return int(hits[0])

    def mark_done(self, promise_id: int, *, at: Any = None) -> None:
        """Record that a promise was done, now or at ``at``."""
        i = self._row(promise_id)
        row = self._table.iloc[i]
        if pd.notna(row["completed_at"]):
            raise ValueError(f"Promise #{promise_id} was already marked done at "
                             f"{row['completed_at']:%a %d %b %H:%M}.")
        when = self.now if at is None else timestamp(at, "mark_done", "at")
        if when < row["promised_at"]:
            raise ValueError(f"Promise #{promise_id} cannot be done before it was made "
                             f"({row['promised_at']:%a %d %b %H:%M}). Got {when:%a %d %b %H:%M} instead.")
        self._table.loc[i, "completed_at"] = when
        self._changed()

    def remove(self, promise_id: int) -> None:
        """Delete a promise entered by mistake."""
        i = self._row(promise_id)
        self._table = self._table.drop(index=self._table.index[i]).reset_index(drop=True)
        self._changed()

    def advance(self, *, hours: float) -> None:
        """Move the practice clock on (only for a tracker started with ``now=``)."""
        if self._clock is None:
            raise ValueError("This tracker follows the computer's clock; only a practice tracker "
                             "(promise_tracker(..., now='2026-05-04 09:00')) can move its clock.")
        if not (isinstance(hours, (int, float, np.number)) and not isinstance(hours, bool) and hours > 0):
            raise ValueError(f"The 'hours' parameter of advance must be a positive number. Got {hours!r} instead.")
        self._clock = self._clock + pd.Timedelta(hours=hours)
        self.refresh()

    def _changed(self) -> None:
        if self.path is not None:
            self._table.to_csv(self.path, index=False, date_format="%Y-%m-%d %H:%M:%S")
        self.refresh()

    # ------------------------------------------------------------ showing
    def _figure(self) -> alt.LayerChart:
        return tracker_chart(self.status(), now=self.now)

    def refresh(self) -> None:
        """Read the clock and redraw the list, the summary and the chart."""
        now = self.now
        status = self.status()
        self.clock.value = (f"<b>Now:</b> {now:%a %d %b %Y %H:%M}"
                            f"{' (practice clock)' if self._clock is not None else ''}")
        open_ = status[status["status"].isin(["overdue", "due within 24 h", "due later"])].sort_values(
            "due_at", kind="mergesort")
        options = []
        for row in open_.itertuples():
            when = (f"OVERDUE by {_hours(row.hours_to_due)}" if row.status == "overdue"
                    else f"due in {_hours(row.hours_to_due)}")
            note = f" · {row.note}" if row.note else ""
            options.append((f"#{row.promise_id} · {row.customer} · {KINDS.get(row.kind, row.kind)} · "
                            f"due {row.due_at:%a %d %b %H:%M} · {when}{note}", int(row.promise_id)))
        self.open_list.options = options
        self.open_list.value = options[0][1] if options else None
        counts = open_["status"].value_counts()
        n_over, n_soon, n_later = (int(counts.get(s, 0)) for s in ("overdue", "due within 24 h", "due later"))
        rates = self.rates()
        if rates.empty:
            rate = "No promise is due yet, so there is no on-time rate to show."
        else:
            r = rates.iloc[0]
            colour = _OK if r["on_time_rate"] >= 0.9 else _BAD
            rate = (f"Kept on time: <b style='color:{colour}'>{int(r['kept_on_time'])} of {int(r['promises_due'])}"
                    f"</b> promises due (<b>{r['on_time_rate']:.0%}</b>); kept at all: {int(r['kept_at_all'])} "
                    f"({r['at_all_rate']:.0%}).")
        over = f"<b style='color:{_BAD}'>{n_over} overdue</b>" if n_over else "none overdue"
        self.summary.value = (f"<div><b>{len(open_)} open</b>: {over}, {n_soon} due within 24 h, "
                              f"{n_later} due later. {rate}</div>")
        redraw(self.chart, self._figure())

    def _ui(self, action) -> None:
        """Run a button's action; show its result or its error under the buttons."""
        try:
            text = action()
        except (KeyError, ValueError, TypeError) as err:
            reason = str(err.args[0]) if isinstance(err, KeyError) and err.args else str(err)
            self.message.value = _line(f"<b>Not done.</b> {_esc(reason)}", _BAD)
            return
        self.message.value = _line(text, _OK) if text else ""
        if not text:
            self.refresh()

    def _add_from_form(self) -> str:
        if self.due_date.value is None:
            raise ValueError("Pick the day the promise is due.")
        due = datetime.combine(self.due_date.value, self.due_time.value)
        new_id = self.add(self.customer.value, self.kind.value, due, note=self.note.value)
        self.customer.value, self.note.value = "", ""
        return f"✓ Added promise #{new_id}, due {due:%a %d %b %H:%M}."

    def _selected(self) -> int:
        if self.open_list.value is None:
            raise ValueError("Pick a promise in the list of open promises first.")
        return int(self.open_list.value)

    def _done_from_list(self) -> str:
        chosen = self._selected()
        row = self._table.iloc[self._row(chosen)]
        self.mark_done(chosen)
        if self.now > row["due_at"]:
            return f"✓ Promise #{chosen} done, late: it was due {row['due_at']:%a %d %b %H:%M}."
        return f"✓ Promise #{chosen} done, on time."

    def _remove_from_list(self) -> str:
        chosen = self._selected()
        self.remove(chosen)
        return f"✓ Removed promise #{chosen}."


def promise_tracker(promises: pd.DataFrame | None = None, *, now: Any = None,
                    path: str | Path | None = None) -> PromiseTracker:
    """Your promise tracker: add a promise, mark it done, see what is due and your on-time rate.

    A promise to a customer (承诺) is a small contract: *I will call you back
    tomorrow by 17:00.* The tracker keeps the list a careful agent keeps on paper,
    and counts like the team leader's report: the on-time rate (按时完成率) is
    :func:`callcoach.kpi.followup_completion_rate` over the promises due by now, and
    each promise's status comes from :func:`promise_status`.

    Parameters
    ----------
    promises : pandas.DataFrame, optional
        Promises to start from (columns :data:`TRACKER_COLUMNS`), e.g. an agent's
        week from :func:`history_for`. By default an empty list.
    now : date-like, optional
        A practice clock: the tracker counts from this moment, and *+1 hour* /
        *+1 day* buttons move it on. By default the computer's clock, read whenever
        a button is pressed (and by *Now*).
    path : str or Path, optional
        A CSV file that keeps your promises between sessions: read when the tracker
        starts (if it exists), written after every change.

    Returns
    -------
    PromiseTracker
        An ``ipywidgets.VBox`` with ``add(customer, kind, due)``,
        ``mark_done(promise_id)``, ``remove(promise_id)``, ``advance(hours=)``,
        ``status()``, ``rates()`` and ``table``, and the controls as attributes.

    Raises
    ------
    KeyError
        ``promises`` (or the file) lacks a column.
    ValueError
        A bad row, a clock that is not a time, or both ``promises`` and an existing file.

    Examples
    --------
    >>> tracker = promise_tracker(now="2026-05-04 09:00")
    >>> first = tracker.add("Ms Chen", "callback", "2026-05-04 17:00")
    >>> second = tracker.add("Mr Li", "mail", "2026-05-05 12:00")
    >>> "2 open" in tracker.summary.value and "No promise is due yet" in tracker.summary.value
    True
    >>> tracker.mark_done(first)
    >>> tracker.advance(hours=30)                       # Tuesday 15:00: the letter is overdue
    >>> tracker.status()["status"].astype(str).tolist()
    ['done on time', 'overdue']
    >>> tracker.rates()[["promises_due", "kept_on_time", "on_time_rate"]].to_dict("records")
    [{'promises_due': 2, 'kept_on_time': 1, 'on_time_rate': 0.5}]
    >>> tracker.customer.value = ""
    >>> tracker.add_button.click()                      # the form's button: no customer typed
    >>> "needs a customer" in tracker.message.value
    True
    """
    return PromiseTracker(promises, now=now, path=path)
