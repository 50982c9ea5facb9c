"""Follow-up promises (3A "Available", 有效性): how overdue the open ones are, and what a
broken one costs.

The completion rate itself (交办事项达标率: promises kept on time, or at all, out of
promises due) is a KPI and lives in :func:`callcoach.kpi.followup_completion_rate`. This
module holds the two other views a team leader needs of the ``followups`` table:

* :func:`open_promise_ageing` -- the promises still open at a moment, counted by how
  overdue they are (the backlog a team has to clear first);
* :func:`complaint_cost_ratio` -- how many times the work of a kept promise a complaint
  call about a broken one takes.

Both take the ``followups`` table (one row per promise: ``promised_at``, ``due_at``,
``completed_at`` -- empty if never done --, ``work_s``, ``complaint_call_id``) and, for
the cost, the ``calls`` table, with column names as keyword arguments.
"""
from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

# The same input checks, with the same messages, as the KPI functions.
from callcoach._messages import timestamp
from callcoach.kpi import _boolean, _by_list, _check_frame, _datetimes, _numeric, _require

__all__ = ["AGEING_EDGES_DAYS", "ageing_bands", "open_promise_ageing", "complaint_cost_ratio"]

#: Default band edges, in days overdue, of :func:`open_promise_ageing`.
AGEING_EDGES_DAYS = (1, 3)


def _days(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _check_edges(edges_days: Any, func: str) -> tuple[float, ...]:
    try:
        edges = tuple(float(e) for e in edges_days)
    except (TypeError, ValueError):
        raise TypeError(
            f"The 'edges_days' parameter of {func} must be a sequence of numbers of days, "
            f"such as (1, 3). Got {edges_days!r} instead."
        ) from None
    if (not edges or not all(np.isfinite(edges)) or edges[0] <= 0
            or any(b <= a for a, b in zip(edges, edges[1:]))):
        raise ValueError(
            f"The 'edges_days' parameter of {func} must hold increasing positive numbers "
            f"of days, such as (1, 3). Got {edges_days!r} instead."
        )
    return edges


def ageing_bands(edges_days: Sequence[float] = AGEING_EDGES_DAYS) -> list[str]:
    """Names of the overdue bands of :func:`open_promise_ageing`, in order.

    Parameters
    ----------
    edges_days : sequence of positive numbers, default (1, 3)
        Upper edges, in days overdue, of every band but the last.

    Returns
    -------
    list of str
        ``"not_yet_due"``, one band per edge and an open-ended last band.

    Examples
    --------
    >>> ageing_bands()
    ['not_yet_due', 'up_to_1_day', '1_to_3_days', 'over_3_days']
    >>> ageing_bands([0.5, 2, 7])
    ['not_yet_due', 'up_to_0.5_days', '0.5_to_2_days', '2_to_7_days', 'over_7_days']
    """
    edges = _check_edges(edges_days, "ageing_bands")
    unit = {True: "day", False: "days"}
    labels = ["not_yet_due", f"up_to_{_days(edges[0])}_{unit[edges[0] == 1]}"]
    labels += [f"{_days(a)}_to_{_days(b)}_days" for a, b in zip(edges, edges[1:])]
    return labels + [f"over_{_days(edges[-1])}_{unit[edges[-1] == 1]}"]


def open_promise_ageing(
    followups: pd.DataFrame,
    *,
    as_of: Any,
    edges_days: Sequence[float] = AGEING_EDGES_DAYS,
    by: Hashable | Sequence[Hashable] | None = None,
    promised: str = "promised_at",
    due: str = "due_at",
    completed: str = "completed_at",
) -> pd.DataFrame:
    """Open promises at a moment, counted by how overdue they are.

    Parameters
    ----------
    followups : DataFrame
        The followups table: one row per promise made to a customer.
    as_of : datetime-like
        The moment of the report. A promise is **open** if it was made by then
        (``promised <= as_of``) and not completed by then: never completed, or completed
        later than ``as_of`` (a later extract knows about that completion; the team at
        ``as_of`` did not).
    edges_days : sequence of positive numbers, default (1, 3)
        Upper edges of the overdue bands, in days: (1, 3) gives the bands not yet due,
        up to 1 day, 1 to 3 days and over 3 days overdue.
    by : column name or list of column names, optional
        Count per group (``"agent_id"``). Every group with a promise made by ``as_of``
        gets a row for every band, with 0 where it has no open promise.
    promised, due, completed : str
        Columns holding when each promise was made, when it is due and when it was
        done (NaT if never).

    Returns
    -------
    DataFrame
        The ``by`` columns, ``band`` (ordered categorical, the names from
        :func:`ageing_bands`) and ``open_promises`` (a count), one row per band and group.

    Notes
    -----
    Days overdue = ``(as_of - due) / 1 day``; it is negative for a promise not yet due.
    Bands include their upper edge: a promise due exactly at ``as_of`` (0 days
    overdue) is not yet due; one exactly 1 day overdue is in ``up_to_1_day``, exactly 3
    days in ``1_to_3_days``. This matches
    :func:`callcoach.kpi.followup_completion_rate`, where a completion exactly at the due
    time is on time.

    Every open promise past its due time is already broken: the customer is waiting,
    and in the course's data 70 % of them come back as a complaint call (see
    :func:`complaint_cost_ratio`). The oldest band is the one to clear first.

    Examples
    --------
    On Monday 4 May at 08:00, four promises are open (the fifth was kept): one due at
    noon, one a day overdue to the minute, one two days overdue -- done the next day,
    which the team did not know yet -- and one a week overdue.

    >>> import pandas as pd
    >>> followups = pd.DataFrame({
    ...     "promised_at": pd.to_datetime(["2026-05-03 12:00", "2026-05-02 08:00",
    ...                                    "2026-04-30 08:00", "2026-04-26 08:00",
    ...                                    "2026-04-30 10:00"]),
    ...     "due_at": pd.to_datetime(["2026-05-04 12:00", "2026-05-03 08:00",
    ...                               "2026-05-02 08:00", "2026-04-27 08:00",
    ...                               "2026-05-01 10:00"]),
    ...     "completed_at": pd.to_datetime([None, None, "2026-05-05 09:00", None,
    ...                                     "2026-04-30 16:00"])})
    >>> open_promise_ageing(followups, as_of="2026-05-04 08:00")
              band  open_promises
    0  not_yet_due              1
    1  up_to_1_day              1
    2  1_to_3_days              1
    3  over_3_days              1

    On the bundled followups table, per team of the technical queue on 4 May 2026:

    >>> from callcoach import datasets
    >>> followups = datasets.load("followups").merge(datasets.load("agents")[["agent_id", "team_id"]])
    >>> technical = followups[followups["queue"] == "technical"]
    >>> ageing = open_promise_ageing(technical, as_of="2026-05-04 08:00", by="team_id")
    >>> ageing.pivot(index="team_id", columns="band", values="open_promises").columns.tolist()
    ['not_yet_due', 'up_to_1_day', '1_to_3_days', 'over_3_days']
    """
    func = "open_promise_ageing"
    followups = _check_frame(followups, func, "followups")
    keys = _by_list(by, followups, func, "followups")
    _require(followups, {"promised": promised, "due": due, "completed": completed}, func, "followups")
    labels = ageing_bands(_check_edges(edges_days, func))
    as_of = timestamp(as_of, func, "as_of")
    promised_at = _datetimes(followups, promised, func, "followups")
    due_at = _datetimes(followups, due, func, "followups")
    done_at = _datetimes(followups, completed, func, "followups")
    n_missing = int(due_at.isna().sum())
    if n_missing:
        raise ValueError(
            f"The {due!r} column of 'followups' has {n_missing} missing value(s); every "
            f"promise needs a due time for {func}."
        )

    made = followups[promised_at <= as_of]
    still_open = ~(done_at[made.index] <= as_of)  # never done (NaT), or done after as_of
    overdue = (as_of - due_at[made.index][still_open]) / pd.Timedelta(days=1)
    edges = [-np.inf, 0.0, *_check_edges(edges_days, func), np.inf]
    band = pd.cut(overdue, bins=edges, labels=labels, right=True)
    band_type = pd.CategoricalDtype(labels, ordered=True)
    if not keys:
        counts = band.value_counts(sort=False).reindex(labels, fill_value=0)
        return pd.DataFrame({"band": pd.Categorical(labels, dtype=band_type),
                             "open_promises": counts.to_numpy(dtype="int64")})
    groups = made[keys].drop_duplicates().sort_values(keys)
    full = pd.MultiIndex.from_tuples(
        [(*g, b) for g in groups.itertuples(index=False, name=None) for b in labels],
        names=[*keys, "band"])
    opened = made[still_open]
    counts = (pd.DataFrame({**{k: opened[k] for k in keys}, "band": band.astype(object)})
              .groupby([*keys, "band"], dropna=False).size())
    out = counts.reindex(full, fill_value=0).rename("open_promises").reset_index()
    out["band"] = out["band"].astype(band_type)
    out["open_promises"] = out["open_promises"].astype("int64")
    return out


def complaint_cost_ratio(
    followups: pd.DataFrame,
    calls: pd.DataFrame,
    *,
    complaint: str = "complaint_call_id",
    completed: str = "completed_at",
    work: str = "work_s",
    call_id: str = "call_id",
    answered: str = "answered",
    talk: str = "talk_s",
    hold: str = "hold_s",
    acw: str = "acw_s",
) -> float:
    """How many times the work of a kept promise a complaint about a broken one costs.

    Parameters
    ----------
    followups : DataFrame
        The followups table: one row per promise, with the agent seconds the follow-up
        takes (``work``), when it was done (``completed``, NaT if never) and the complaint
        call a broken promise caused (``complaint``, empty if none).
    calls : DataFrame
        The calls table (at least the complaint calls): ``call_id``, ``answered`` and
        the handle-time parts ``talk``, ``hold``, ``acw`` in seconds.
    complaint, completed, work : str
        Columns of ``followups``.
    call_id, answered, talk, hold, acw : str
        Columns of ``calls``.

    Returns
    -------
    float
        Average handle seconds of an answered complaint call divided by the average
        work seconds of a completed follow-up.

    Notes
    -----
    ``ratio = mean(talk + hold + acw over answered complaint calls)
    / mean(work over completed follow-ups)``.

    The complaint calls are the calls named in ``complaint`` -- the call each broken
    promise (never done, or done late) brought. Handle time is the whole work of the
    call: talk, hold **and** after-call work; an abandoned complaint call was never
    handled and is left out. The work it is compared with is the work a kept promise
    really took, so only completed follow-ups count.

    The ratio understates the cost: a complaint is often transferred to a supervisor,
    may bring further calls, and the customer remembers that *the company* forgot. In
    the 3A model this is why a team leader protects time for follow-ups and tracks
    :func:`callcoach.kpi.followup_completion_rate`.

    Examples
    --------
    Two promises were kept (120 s and 180 s of work); two were broken, and brought an
    answered complaint call of 1,020 s and an abandoned one:

    >>> import pandas as pd
    >>> followups = pd.DataFrame({
    ...     "completed_at": pd.to_datetime(["2026-05-01 10:00", "2026-05-01 11:00", None, None]),
    ...     "work_s": [120, 180, 200, 240],
    ...     "complaint_call_id": pd.array([None, None, 7, 8], dtype="Int64")})
    >>> calls = pd.DataFrame({"call_id": [7, 8, 9], "answered": [True, False, True],
    ...                       "talk_s": [600, 0, 300], "hold_s": [120, 0, 0], "acw_s": [300, 0, 60]})
    >>> complaint_cost_ratio(followups, calls)
    6.8

    On the bundled datasets a complaint call takes several times the work of the
    follow-up that would have prevented it:

    >>> from callcoach import datasets
    >>> ratio = complaint_cost_ratio(datasets.load("followups"), datasets.load("calls"))
    >>> ratio > 3
    True
    """
    func = "complaint_cost_ratio"
    followups = _check_frame(followups, func, "followups")
    calls = _check_frame(calls, func, "calls")
    _require(followups, {"complaint": complaint, "completed": completed, "work": work}, func, "followups")
    _require(calls, {"call_id": call_id, "answered": answered, "talk": talk, "hold": hold,
                     "acw": acw}, func, "calls")
    done_at = _datetimes(followups, completed, func, "followups")
    work_s = _numeric(followups, work, func, "seconds of follow-up work", "followups")
    kept = work_s[done_at.notna()]
    if kept.empty:
        raise ValueError(
            f"{func} is undefined for this table: no follow-up in 'followups' was completed "
            f"(the {completed!r} column is empty), so there is no work to compare with."
        )
    linked = followups[complaint].dropna()
    complaint_calls = calls[calls[call_id].isin(linked)]
    handled = complaint_calls[_boolean(complaint_calls, answered, func, "calls")]
    if handled.empty:
        raise ValueError(
            f"{func} is undefined for these tables: none of the {len(linked)} complaint "
            f"call id(s) in the {complaint!r} column of 'followups' is an answered call in "
            f"'calls'. Pass the calls table that holds the complaint calls."
        )
    handle_s = sum(_numeric(handled, col, func, "seconds of handle time", "calls")
                   for col in (talk, hold, acw))
    return float(handle_s.mean() / kept.mean())
