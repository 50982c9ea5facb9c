"""Contact drivers (来电原因): which reasons make the calls, what a fix saved, who reports.

The 3A model's **Action** (行动力) in numbers -- "What did I do about it?". An agent who
confirms a defect raises a feedback ticket (工单) to the department that owns it; the
department fixes it; a whole contact driver disappears. This module measures each step:

* :func:`driver_shares` -- the contact drivers as a Pareto table (帕累托图): each
  reason's calls, its share and the running (cumulative) share, largest first;
  :func:`top_drivers` -- the few reasons that make most of the calls;
* :func:`calls_per_day` and :func:`fix_effect` -- the calls a fix removed, per day,
  allowing for the season with a comparison group the fix did not touch;
* :func:`ticket_rate` -- the share of an agent's defect calls that got a feedback ticket.

Lesson ``13-act-on-contact-drivers`` and exercise 1.3 (``ex13-action-drivers``) use
them; the exercise's hidden checks compare a learner's functions with these.

Tables
------
calls
    One row per call attempt (``datasets.load("calls")``): ``call_id``, ``reason``,
    ``queue``, ``agent_id``, ``arrival_time``, ``answered`` (bool), ``retrial`` (bool:
    the caller hung up earlier the same day and rang again).
feedback_tickets
    One row per ticket: ``call_id`` names the call it was raised on.
reasons
    One row per reason: ``reason``, ``defect`` (bool: a product or process defect causes
    these calls, so a ticket can remove them), ``department``.

Which calls count -- ``count=``
-------------------------------
``"answered"``
    Answered calls: the reason an agent recorded in the wrap-up. What the floor
    handled; the default of :func:`driver_shares`.
``"offered"``
    Every row, answered or abandoned.
``"first_tries"``
    Offered calls without same-day retrials (``retrial == True``): demand, each
    customer's attempt counted once however often they had to ring. The default of
    :func:`calls_per_day` and :func:`fix_effect`, because the count must not move when
    the service level does (a slow day makes more retrials, not more customers).
"""
from __future__ import annotations

import difflib
from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from callcoach._messages import listing
from callcoach.kpi import (_boolean, _check_frame, _check_option, _datetimes, _is_number,
                           _require)

__all__ = ["COUNTS", "driver_shares", "top_drivers", "calls_per_day", "fix_effect",
           "ticket_rate"]

#: The ways of counting calls (see the module's notes).
COUNTS = ("answered", "offered", "first_tries")
_METHODS = ("comparison", "simple")
_DAY = pd.Timedelta(days=1)


# --------------------------------------------------------------------------- helpers


def _counted(calls: pd.DataFrame, count: str, func: str, *, answered: Hashable,
             retrial: Hashable) -> pd.DataFrame:
    """The rows of ``calls`` that ``count`` counts."""
    _check_option(count, "count", COUNTS, func)
    if count == "answered":
        _require(calls, {"answered": answered}, func, "calls")
        return calls.loc[_boolean(calls, answered, func, "calls")]
    if count == "first_tries":
        _require(calls, {"retrial": retrial}, func, "calls",
                 hint=" Or pass count='offered' to count every row.")
        return calls.loc[~_boolean(calls, retrial, func, "calls")]
    return calls


def _no_missing(calls: pd.DataFrame, col: Hashable, func: str, what: str) -> None:
    n_missing = int(calls[col].isna().sum())
    if n_missing:
        raise ValueError(
            f"The {col!r} column of 'calls' has {n_missing} missing value(s); {func} needs "
            f"{what} in every row. Drop or fill them first.")


def _day(value: Any, name: str, func: str) -> pd.Timestamp:
    """A date-like value as a Timestamp at midnight (the start of that day)."""
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        ts = None
    if ts is None or ts is pd.NaT or isinstance(value, bool) or _is_number(value):
        raise TypeError(
            f"The {name!r} parameter of {func} must be a date, such as '2026-04-14' or "
            f"pd.Timestamp('2026-04-14'). Got {value!r} instead.")
    if ts != ts.normalize():
        raise ValueError(
            f"The {name!r} parameter of {func} must be a day (midnight), not a time of "
            f"day: whole days are compared. Got {value!r} instead.")
    return ts


def _weeks(value: Any, name: str, func: str) -> int:
    if (not _is_number(value) or not np.isfinite(value) or int(value) != value
            or value < 1):
        error = TypeError if not _is_number(value) else ValueError
        raise error(f"The {name!r} parameter of {func} must be a whole number of weeks "
                    f"of 1 or more. Got {value!r} instead.")
    return int(value)


def _per_day(rows: pd.DataFrame, time: Hashable, start: pd.Timestamp,
             end: pd.Timestamp) -> float:
    """Rows whose ``time`` is in [start, end), per calendar day of that span."""
    inside = (rows[time] >= start) & (rows[time] < end)
    return float(inside.sum()) / ((end - start) / _DAY)


# --------------------------------------------------------------------------- Pareto


def driver_shares(
    calls: pd.DataFrame,
    *,
    count: str = "answered",
    reason: str = "reason",
    answered: str = "answered",
    retrial: str = "retrial",
) -> pd.DataFrame:
    """Contact drivers as a Pareto table: calls per reason, largest first, with shares.

    Parameters
    ----------
    calls : DataFrame
        The calls table.
    count : {"answered", "offered", "first_tries"}, default "answered"
        Which calls count (see the module's notes): answered calls (the reason an agent
        recorded), every call offered, or offered calls without same-day retrials.
    reason, answered, retrial : str
        Columns: the call reason (contact driver), answered (True/False) and retrial
        (True/False; needed only for ``count="first_tries"``).

    Returns
    -------
    DataFrame
        One row per reason, the largest driver first (ties by reason name), with the
        columns ``reason`` (named as the ``reason`` parameter), ``calls`` (calls
        counted), ``share`` (fraction of all calls counted, 0-1) and ``cumulative``
        (the running total of ``share``; 1.0 on the last row). The index runs 0..n-1.

    Notes
    -----
    A **Pareto chart** ranks the drivers largest first and adds the running share: the
    "vital few" that make most of the calls are where a fix, a better self-service
    option or a feedback ticket pays most (the 80/20 rule is a rule of thumb, not a law:
    in many centres the drivers are spread out and no single fix halves the volume).
    ``charts.pareto`` draws this table; :func:`top_drivers` reads it.

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import drivers
    >>> calls = pd.DataFrame({
    ...     "reason": ["bill_query"] * 5 + ["roaming_charges"] * 4 + ["cancel"],
    ...     "answered": [True] * 3 + [False] * 2 + [True] * 4 + [True]})
    >>> drivers.driver_shares(calls)
                reason  calls     share  cumulative
    0  roaming_charges      4  0.500000       0.500
    1       bill_query      3  0.375000       0.875
    2           cancel      1  0.125000       1.000
    >>> drivers.driver_shares(calls, count="offered")["reason"].tolist()
    ['bill_query', 'roaming_charges', 'cancel']

    On the bundled calls (every answered call of the quarter):

    >>> from callcoach import datasets
    >>> shares = drivers.driver_shares(datasets.load("calls"))
    >>> shares.columns.tolist()
    ['reason', 'calls', 'share', 'cumulative']
    >>> bool(shares["calls"].is_monotonic_decreasing), round(float(shares["cumulative"].iloc[-1]), 9)
    (True, 1.0)
    """
    func = "driver_shares"
    calls = _check_frame(calls, func, "calls")
    _require(calls, {"reason": reason}, func, "calls")
    rows = _counted(calls, count, func, answered=answered, retrial=retrial)
    _no_missing(rows, reason, func, "a reason")
    if rows.empty:
        raise ValueError(
            f"{func} found no calls to count with count={count!r} (the 'calls' table has "
            f"{len(calls)} row(s), none counted). Pass count='offered' to count every row.")
    out = rows[reason].value_counts().rename_axis(reason).reset_index(name="calls")
    out = out.sort_values(["calls", reason], ascending=[False, True], kind="mergesort")
    out = out.reset_index(drop=True)
    out["calls"] = out["calls"].astype("int64")
    out["share"] = out["calls"] / out["calls"].sum()
    out["cumulative"] = out["share"].cumsum()
    return out


def top_drivers(
    shares: pd.DataFrame,
    cover: float = 0.8,
    *,
    reason: str = "reason",
    share: str = "share",
) -> list:
    """The fewest reasons, largest first, whose shares add up to at least ``cover``.

    Parameters
    ----------
    shares : DataFrame
        A table like the one :func:`driver_shares` returns: one row per reason with its
        share of all calls (a fraction). The rows need not be sorted.
    cover : float, default 0.8
        The share of calls to cover, a fraction above 0 and at most 1.
    reason, share : str
        Columns: the reason and its share.

    Returns
    -------
    list
        The reasons, largest share first: the first reason whose running share reaches
        ``cover`` is included (a running share exactly equal to ``cover`` is enough).

    Notes
    -----
    Sorting by share and taking reasons until the running total reaches ``cover`` gives
    the smallest such set. Ties between reasons of equal share are broken by row order
    (a stable sort). Running totals are compared with a tolerance of 1e-9, so that
    float rounding (``0.1 + 0.7 < 0.8``) does not add a reason.

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import drivers
    >>> shares = pd.DataFrame({"reason": ["a", "b", "c", "d"],
    ...                        "share": [0.5, 0.3, 0.15, 0.05]})
    >>> drivers.top_drivers(shares)
    ['a', 'b']
    >>> drivers.top_drivers(shares, cover=0.81)
    ['a', 'b', 'c']

    How few of the bundled quarter's drivers make 80% of the answered calls:

    >>> from callcoach import datasets
    >>> shares = drivers.driver_shares(datasets.load("calls"))
    >>> len(drivers.top_drivers(shares)) < len(shares)
    True
    """
    func = "top_drivers"
    shares = _check_frame(shares, func, "shares")
    _require(shares, {"reason": reason, "share": share}, func, "shares")
    if not _is_number(cover) or not np.isfinite(cover):
        raise TypeError(f"The 'cover' parameter of {func} must be a fraction above 0 and at "
                        f"most 1. Got {cover!r} instead.")
    if not 0 < cover <= 1:
        hint = f" Did you mean {cover / 100:g}?" if 1 < cover <= 100 else ""
        raise ValueError(f"The 'cover' parameter of {func} must be a fraction above 0 and at "
                         f"most 1. Got {cover!r} instead.{hint}")
    values = pd.to_numeric(shares[share], errors="coerce")
    if values.isna().any() or (values < 0).any():
        raise ValueError(f"The {share!r} column of 'shares' must hold fractions of 0 or more "
                         f"in every row ({func}).")
    order = values.sort_values(ascending=False, kind="mergesort")
    running = order.cumsum()
    if running.iloc[-1] < cover - 1e-9:
        raise ValueError(
            f"The shares in 'shares' add up to {running.iloc[-1]:.4g}, less than "
            f"cover={cover!r}: {func} needs the share of every reason (a table from "
            "driver_shares).")
    n = min(int((running < cover - 1e-9).sum()) + 1, len(order))
    return shares.loc[order.index[:n], reason].tolist()


# --------------------------------------------------------------------------- a fix


def calls_per_day(
    calls: pd.DataFrame,
    start: Any,
    end: Any,
    *,
    count: str = "first_tries",
    time: str = "arrival_time",
    answered: str = "answered",
    retrial: str = "retrial",
) -> float:
    """Calls per calendar day from ``start`` (included) to ``end`` (excluded).

    Parameters
    ----------
    calls : DataFrame
        The calls to count, for example the calls of one reason.
    start, end : date-like
        The first day of the window and the day after its last day (midnights).
    count : {"first_tries", "offered", "answered"}, default "first_tries"
        Which calls count (see the module's notes).
    time, answered, retrial : str
        Columns: arrival time, answered (True/False), retrial (True/False).

    Returns
    -------
    float
        Calls counted in the window divided by the calendar days of the window -- days
        on which nobody called count too (as zero).

    Examples
    --------
    Two first tries and a retrial on Monday, nothing on Tuesday: one call a day.

    >>> import pandas as pd
    >>> from callcoach import drivers
    >>> calls = pd.DataFrame({
    ...     "arrival_time": pd.to_datetime(["2026-10-05 09:00", "2026-10-05 09:10",
    ...                                     "2026-10-05 09:30", "2026-10-07 10:00"]),
    ...     "answered": [False, True, True, True], "retrial": [False, False, True, False]})
    >>> drivers.calls_per_day(calls, "2026-10-05", "2026-10-07")
    1.0
    """
    func = "calls_per_day"
    calls = _check_frame(calls, func, "calls")
    _require(calls, {"time": time}, func, "calls")
    _datetimes(calls, time, func, "calls")
    start, end = _day(start, "start", func), _day(end, "end", func)
    if end <= start:
        raise ValueError(f"The 'end' parameter of {func} must be after 'start' "
                         f"({start.date()}). Got {end.date()} instead.")
    rows = _counted(calls, count, func, answered=answered, retrial=retrial)
    return _per_day(rows, time, start, end)


def fix_effect(
    calls: pd.DataFrame,
    driver: str,
    fix_date: Any,
    *,
    weeks_before: int = 4,
    weeks_after: int = 4,
    method: str = "comparison",
    count: str = "first_tries",
    reason: str = "reason",
    queue: str = "queue",
    time: str = "arrival_time",
    answered: str = "answered",
    retrial: str = "retrial",
) -> pd.Series:
    """Calls per day a fix removed from one driver, allowing for the season.

    Parameters
    ----------
    calls : DataFrame
        The calls table, covering both windows.
    driver : str
        The reason whose defect was fixed, e.g. ``"app_login_error"``.
    fix_date : date-like
        The day the fix went live. It counts as the first day **after** the fix.
    weeks_before, weeks_after : int, default 4
        Length of the window before the fix (ending the day before ``fix_date``) and of
        the window after it (starting on ``fix_date``), in whole weeks, so that both
        hold every weekday equally often.
    method : {"comparison", "simple"}, default "comparison"
        ``"comparison"`` scales the driver's "before" by the change of the other
        drivers of its queue (the season); ``"simple"`` compares before and after as
        they are (``season`` is 1).
    count : {"first_tries", "offered", "answered"}, default "first_tries"
        Which calls count (see the module's notes).
    reason, queue, time, answered, retrial : str
        Columns of ``calls``.

    Returns
    -------
    Series
        Named after the driver, all per calendar day: ``before`` and ``after`` (the
        driver's calls), ``season`` (the comparison group's calls after / before),
        ``expected`` (``before * season``: the driver without the fix) and ``avoided``
        (``expected - after``: calls removed by the fix).

    Notes
    -----
    A plain before/after comparison credits the fix with everything else that changed
    between the windows: the season (季节性), holidays, a marketing campaign. A
    **comparison group** that those touch but the fix does not -- here the other
    drivers of the same queue, same customers, same weeks -- estimates that change::

        season   = comparison calls per day after / comparison calls per day before
        expected = before x season
        avoided  = expected - after

    This is a difference-in-differences on the ratio scale: it assumes that without the
    fix the driver would have moved in proportion to its queue. Check the assumption on
    a chart of the weeks before the fix (did the driver and the group move together?).
    The same weeks a year earlier (同比) are another comparison group, but only when
    nothing unusual happened in them. Counting per calendar day makes windows of
    different lengths comparable; whole weeks keep the weekday mix the same.

    Examples
    --------
    The driver fell from 3 to 1 call a day; the rest of its queue rose by 30 %, so without
    the fix it would have had 3.9 calls a day:

    >>> import pandas as pd
    >>> from callcoach import drivers
    >>> days = pd.date_range("2026-09-28", periods=14, freq="D") + pd.Timedelta(hours=10)
    >>> per_day = {"roaming_charges": [3] * 7 + [1] * 7, "bill_query": [10] * 7 + [13] * 7}
    >>> calls = pd.DataFrame([
    ...     {"reason": r, "queue": "billing", "arrival_time": day, "retrial": False}
    ...     for r, counts in per_day.items() for day, n in zip(days, counts) for _ in range(n)])
    >>> drivers.fix_effect(calls, "roaming_charges", "2026-10-05", weeks_before=1, weeks_after=1).round(2)
    before      3.0
    after       1.0
    season      1.3
    expected    3.9
    avoided     2.9
    Name: roaming_charges, dtype: float64
    >>> float(drivers.fix_effect(calls, "roaming_charges", "2026-10-05", weeks_before=1,
    ...                          weeks_after=1, method="simple")["avoided"])
    2.0

    The bundled quarter: the app-login defect was fixed on 14 April 2026.

    >>> from callcoach import datasets
    >>> effect = drivers.fix_effect(datasets.load("calls"), "app_login_error", "2026-04-14")
    >>> effect.index.tolist()
    ['before', 'after', 'season', 'expected', 'avoided']
    >>> bool(effect["avoided"] > 100)  # a big fix: over a hundred calls a day
    True
    """
    func = "fix_effect"
    calls = _check_frame(calls, func, "calls")
    _require(calls, {"reason": reason, "time": time}, func, "calls")
    _check_option(method, "method", _METHODS, func)
    if method == "comparison":
        _require(calls, {"queue": queue}, func, "calls",
                 hint=" Or pass method='simple' for a plain before/after comparison.")
    _datetimes(calls, time, func, "calls")
    _no_missing(calls, reason, func, "a reason")
    fix = _day(fix_date, "fix_date", func)
    before_start = fix - pd.Timedelta(weeks=_weeks(weeks_before, "weeks_before", func))
    after_end = fix + pd.Timedelta(weeks=_weeks(weeks_after, "weeks_after", func))
    if not isinstance(driver, str) or driver not in set(calls[reason]):
        known = sorted(map(str, calls[reason].unique()))
        close = difflib.get_close_matches(str(driver), known, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise KeyError(f"There are no calls with {reason}={driver!r} in 'calls'.{hint} "
                       f"Reasons in the table: {listing(known, limit=20)}.")
    first_day = calls[time].min().normalize()
    last_day = calls[time].max().normalize()
    if first_day > before_start or last_day < after_end - _DAY:
        raise ValueError(
            f"The calls run from {first_day.date()} to {last_day.date()}, but {func} "
            f"compares {before_start.date()} to {(fix - _DAY).date()} with "
            f"{fix.date()} to {(after_end - _DAY).date()}. Pass fewer weeks_before or "
            "weeks_after, or calls that cover both windows.")
    rows = _counted(calls, count, func, answered=answered, retrial=retrial)
    mine = rows[rows[reason] == driver]
    before = _per_day(mine, time, before_start, fix)
    after = _per_day(mine, time, fix, after_end)
    season = 1.0
    if method == "comparison":
        queues = calls.loc[calls[reason] == driver, queue].unique()
        others = rows[rows[queue].isin(queues) & (rows[reason] != driver)]
        others_before = _per_day(others, time, before_start, fix)
        if others_before == 0:
            raise ValueError(
                f"{func} found no calls of other reasons in the queue(s) "
                f"{listing(queues)} before the fix, so it cannot measure the season. "
                "Pass method='simple'.")
        season = _per_day(others, time, fix, after_end) / others_before
    expected = before * season
    return pd.Series({"before": before, "after": after, "season": season,
                      "expected": expected, "avoided": expected - after}, name=driver)


# --------------------------------------------------------------------------- reporting


def ticket_rate(
    calls: pd.DataFrame,
    tickets: pd.DataFrame,
    reasons: pd.DataFrame,
    *,
    by: Hashable | None = "agent_id",
    call_id: str = "call_id",
    reason: str = "reason",
    answered: str = "answered",
    defect: str = "defect",
) -> float | pd.DataFrame:
    """Share of answered defect calls on which the agent raised a feedback ticket.

    Parameters
    ----------
    calls : DataFrame
        The calls table.
    tickets : DataFrame
        The feedback tickets; ``call_id`` names the call each was raised on.
    reasons : DataFrame
        The reasons table; a reason with ``defect`` True is a defect driver.
    by : column name or None, default "agent_id"
        Group the result (one row per agent by default); ``None`` gives one number.
    call_id, reason, answered, defect : str
        Columns: call identifier (in ``calls`` and ``tickets``), call reason (in
        ``calls`` and ``reasons``), answered (True/False) and defect (True/False).

    Returns
    -------
    float or DataFrame
        The share, a fraction between 0 and 1; with ``by``, one row per group that
        answered at least one defect call, sorted by the group: the ``by`` column,
        ``defect_calls`` (answered calls of a defect reason), ``ticketed`` (those with a
        ticket) and ``ticket_rate`` (``ticketed / defect_calls``). A group with defect
        calls but no ticket has a rate of 0.

    Notes
    -----
    The denominator is the defect calls the agent answered, not all their calls: an
    agent on a queue with many defect calls has more chances to report. Tickets raised
    on other calls (often rejected as "not a defect") are not counted. An agent with a
    handful of defect calls has a rate that swings widely: read it with
    ``defect_calls`` beside it.

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import drivers
    >>> reasons = pd.DataFrame({"reason": ["roaming_charges", "bill_query"],
    ...                         "defect": [True, False]})
    >>> calls = pd.DataFrame({
    ...     "call_id": [1, 2, 3, 4, 5, 6],
    ...     "agent_id": ["A01", "A01", "A01", "A02", "A02", None],
    ...     "reason": ["roaming_charges"] * 2 + ["bill_query"] + ["roaming_charges"] * 3,
    ...     "answered": [True] * 5 + [False]})
    >>> tickets = pd.DataFrame({"call_id": [1, 3]})
    >>> drivers.ticket_rate(calls, tickets, reasons)
      agent_id  defect_calls  ticketed  ticket_rate
    0      A01             2         1          0.5
    1      A02             2         0          0.0
    >>> drivers.ticket_rate(calls, tickets, reasons, by=None)
    0.25

    On the bundled quarter, agents differ a lot in how often they report:

    >>> from callcoach import datasets
    >>> rates = drivers.ticket_rate(datasets.load("calls"), datasets.load("feedback_tickets"),
    ...                             datasets.load("reasons"))
    >>> rates.columns.tolist()
    ['agent_id', 'defect_calls', 'ticketed', 'ticket_rate']
    >>> bool(rates["ticket_rate"].between(0, 1).all())
    True
    """
    func = "ticket_rate"
    calls = _check_frame(calls, func, "calls")
    if not isinstance(tickets, pd.DataFrame):
        raise TypeError(f"The 'tickets' parameter of {func} must be a pandas DataFrame. "
                        f"Got {type(tickets).__name__} instead.")
    reasons = _check_frame(reasons, func, "reasons")
    cols = {"call_id": call_id, "reason": reason, "answered": answered}
    if by is not None:
        cols["by"] = by
    _require(calls, cols, func, "calls")
    _require(tickets, {"call_id": call_id}, func, "tickets")
    _require(reasons, {"reason": reason, "defect": defect}, func, "reasons")
    defects = reasons.loc[_boolean(reasons, defect, func, "reasons"), reason]
    rows = calls.loc[_boolean(calls, answered, func, "calls") & calls[reason].isin(defects)]
    if rows.empty:
        raise ValueError(
            f"{func} found no answered call of a defect reason ({listing(defects) or 'none'}) "
            "in 'calls', so there is no rate to compute.")
    ticketed = rows[call_id].isin(tickets[call_id])
    if by is None:
        return float(ticketed.mean())
    out = (ticketed.groupby(rows[by], sort=True, dropna=True)
           .agg(defect_calls="size", ticketed="sum").reset_index())
    out["defect_calls"] = out["defect_calls"].astype("int64")
    out["ticketed"] = out["ticketed"].astype("int64")
    out["ticket_rate"] = out["ticketed"] / out["defect_calls"]
    return out
