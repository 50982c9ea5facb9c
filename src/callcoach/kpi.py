"""Contact-centre KPIs: one function per KPI, each formula variant named by ``method=``.

Every function takes a tidy table (a pandas DataFrame) and the names of the columns it
needs as keyword arguments; their defaults are the column names of the course datasets.
Called without ``by=``, a KPI returns one number for the whole table. With ``by=`` (a
column name or a list of them) it returns a tidy DataFrame with one row per group: the
group columns, the summed ``numerator`` and ``denominator``, and the KPI itself. A rate
for a day, a month or a queue is therefore always "sum the numerators, sum the
denominators, then divide" -- see :func:`aggregate`, and :func:`mean_of_interval_rates`
for the common wrong way.

Tables
------
intervals
    One row per queue per 30-minute interval: ``interval_start`` (datetime), ``queue``,
    ``offered`` (= answered + abandoned), ``answered``, ``abandoned``,
    ``answered_within_threshold`` (answered after waiting <= 20 s),
    ``abandoned_within_threshold`` (hung up after <= 20 s), ``short_abandons`` (hung up
    after <= 5 s), ``wait_answered_s``, ``talk_s``, ``hold_s``, ``acw_s`` (totals in
    seconds over the answered calls), ``scheduled_agents`` and ``staffed_agents``
    (average agents scheduled / logged in during the interval).
calls
    One row per call: ``call_id``, ``customer_id``, ``issue_id``, ``reason``, ``queue``,
    ``agent_id``, ``arrival_time`` (datetime), ``answered`` (bool), ``wait_s`` (seconds
    in the queue; for an abandoned call, the seconds before the caller hung up),
    ``talk_s``, ``hold_s``, ``acw_s``, ``transferred`` (bool).
surveys
    One row per answered post-call survey: ``call_id``, ``resolved`` (bool, "was your
    issue fully resolved?"), ``csat`` (1-5). Missing answers are NaN.
followups
    One row per promise made on a call: ``followup_id``, ``agent_id``, ``promised_at``,
    ``due_at``, ``completed_at`` (NaT if never done).
adherence table (for :func:`adherence` and :func:`conformance`)
    One row per agent per interval: ``agent_id``, ``interval_start``, ``scheduled_s``
    (seconds the schedule put the agent in on-phone work: available, on a call or in
    after-call work), ``in_adherence_s`` (of those scheduled seconds, the seconds the
    agent really was in an on-phone state -- so never more than ``scheduled_s``) and
    ``actual_s`` (seconds the agent spent in an on-phone state anywhere in the interval,
    scheduled or not).
timesheet (for :func:`shrinkage`)
    One row per agent per day per activity: ``agent_id``, ``date``, ``activity``
    (``available``, ``on_call``, ``acw``, ``break``, ``training``, ``meeting``,
    ``coaching``, ``sick``, ``leave``, ...) and ``seconds`` (paid seconds spent in it).

Conventions
-----------
- Rates are fractions between 0 and 1 (0.8 means 80 %); times are in seconds.
- "Within the threshold" means a wait of at most ``threshold_s`` seconds (``<=``), as in
  the intervals table; a short abandon hangs up after at most ``short_abandon_s`` seconds.
- A whole-table KPI whose denominator is 0 (no answered calls, no surveys...) raises a
  ``ValueError`` rather than returning NaN. In grouped output (``by=``) such a group gets
  NaN in the KPI column, with its 0 denominator shown beside it.
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "INTERVAL_THRESHOLD_S",
    "INTERVAL_SHORT_ABANDON_S",
    "INTERVAL_S",
    "service_level",
    "asa",
    "abandonment_rate",
    "aht",
    "aht_components",
    "occupancy",
    "utilization",
    "adherence",
    "conformance",
    "shrinkage",
    "transfer_rate",
    "csat",
    "fcr_by_survey",
    "fcr_by_repeats",
    "followup_completion_rate",
    "aggregate",
    "mean_of_interval_rates",
    "period_change",
    "threshold_alarm",
    "p_chart",
    "xmr_chart",
]

#: Seconds of wait counted as "within threshold" in the intervals table.
INTERVAL_THRESHOLD_S = 20
#: Seconds within which an abandon counts as a short abandon in the intervals table.
INTERVAL_SHORT_ABANDON_S = 5
#: Length of one row of the intervals table, in seconds (30 minutes).
INTERVAL_S = 1800

_SL_METHODS = (
    "answered",
    "offered",
    "credit_abandons",
    "exclude_abandons",
    "exclude_short_abandons",
    "credit_short_abandons",
)
_TABLES = ("intervals", "calls")
# Period labels: fixed-length frequencies are floored, calendar ones use pandas periods.
_FREQS = {"30min": None, "h": None, "D": None, "W": "W", "MS": "M", "QS": "Q", "YS": "Y"}
_PERIOD_OFFSETS = {
    "mom": pd.DateOffset(months=1),
    "yoy": pd.DateOffset(years=1),
    "wow": pd.Timedelta(days=7),
}
# KPI columns that are fractions: period_change reports their change in percentage points.
_RATE_KPIS = frozenset(
    {
        "service_level",
        "abandonment_rate",
        "occupancy",
        "utilization",
        "adherence",
        "conformance",
        "shrinkage",
        "transfer_rate",
        "fcr_by_survey",
        "fcr_by_repeats",
        "followup_completion_rate",
    }
)
# Bias-correction constant d2 for moving ranges of two points (3 / d2 = 2.66).
_D2 = 1.128


# --------------------------------------------------------------------------- checks


def _check_frame(data: Any, func: str, name: str = "data") -> pd.DataFrame:
    """Check ``data`` is a non-empty DataFrame; return it with a fresh 0..n-1 index."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"The {name!r} parameter of {func} must be a pandas DataFrame. "
            f"Got {type(data).__name__} instead."
        )
    if len(data) == 0:
        raise ValueError(
            f"The {name!r} table passed to {func} is empty; it needs at least one row."
        )
    # Row alignment below relies on a unique index; copy-on-write makes this cheap.
    return data.reset_index(drop=True)


def _check_option(value: Any, name: str, options: Sequence[str], func: str) -> None:
    if not isinstance(value, str) or value not in options:
        allowed = ", ".join(repr(o) for o in options)
        raise ValueError(
            f"The {name!r} parameter of {func} must be one of {allowed}. Got {value!r} instead."
        )


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def _check_positive(value: Any, name: str, func: str) -> None:
    if not _is_number(value):
        raise TypeError(
            f"The {name!r} parameter of {func} must be a positive number. Got {value!r} instead."
        )
    if not np.isfinite(value) or value <= 0:
        raise ValueError(
            f"The {name!r} parameter of {func} must be a positive number. Got {value!r} instead."
        )


def _check_positive_int(value: Any, name: str, func: str, minimum: int = 1) -> None:
    if not _is_number(value) or not np.isfinite(value) or int(value) != value or value < minimum:
        kind = "a positive integer" if minimum == 1 else f"an integer of at least {minimum}"
        error = TypeError if not _is_number(value) else ValueError
        raise error(f"The {name!r} parameter of {func} must be {kind}. Got {value!r} instead.")


def _require(
    data: pd.DataFrame,
    columns: Mapping[str, Hashable],
    func: str,
    name: str = "data",
    hint: str = "",
) -> None:
    """Raise a KeyError listing every missing column and the keyword that names it."""
    missing = {kw: col for kw, col in columns.items() if col not in data.columns}
    if missing:
        cols = ", ".join(repr(c) for c in dict.fromkeys(missing.values()))
        kws = ", ".join(f"{kw}=" for kw in missing)
        raise KeyError(
            f"{func} needs the column(s) {cols} in {name!r}, which has "
            f"{list(data.columns)}. Rename the columns or pass their names with {kws}.{hint}"
        )


def _by_list(by: Any, data: pd.DataFrame, func: str, name: str = "data") -> list:
    if by is None:
        return []
    keys = list(by) if isinstance(by, (list, tuple)) else [by]
    missing = [k for k in keys if k not in data.columns]
    if missing:
        raise KeyError(
            f"The 'by' parameter of {func} names column(s) {missing} that are not in "
            f"{name!r}, which has {list(data.columns)}."
        )
    return keys


def _numeric(
    data: pd.DataFrame, col: Hashable, func: str, what: str, name: str = "data"
) -> pd.Series:
    s = data[col]
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        raise TypeError(
            f"The {col!r} column of {name!r} must hold numbers ({what}) for {func}. "
            f"Got dtype {s.dtype} instead."
        )
    n_missing = int(s.isna().sum())
    if n_missing:
        raise ValueError(
            f"The {col!r} column of {name!r} has {n_missing} missing value(s); {func} "
            f"needs {what} in every row."
        )
    n_negative = int((s < 0).sum())
    if n_negative:
        raise ValueError(
            f"The {col!r} column of {name!r} has {n_negative} negative value(s); {what} "
            f"cannot be negative ({func})."
        )
    return s


def _boolean(data: pd.DataFrame, col: Hashable, func: str, name: str = "data") -> pd.Series:
    s = data[col]
    n_missing = int(s.isna().sum())
    if n_missing:
        raise ValueError(
            f"The {col!r} column of {name!r} has {n_missing} missing value(s); {func} "
            f"needs True or False in every row."
        )
    if pd.api.types.is_bool_dtype(s) or bool(s.isin([True, False]).all()):
        return s.astype(bool)
    raise TypeError(
        f"The {col!r} column of {name!r} must hold True/False values for {func}. "
        f"Got dtype {s.dtype} instead."
    )


def _datetimes(data: pd.DataFrame, col: Hashable, func: str, name: str = "data") -> pd.Series:
    s = data[col]
    if not pd.api.types.is_datetime64_any_dtype(s):
        raise TypeError(
            f"The {col!r} column of {name!r} must hold datetimes (datetime64) for {func}. "
            f"Got dtype {s.dtype} instead; convert it with pd.to_datetime."
        )
    return s


def _ratio(
    num: pd.Series,
    den: pd.Series,
    *,
    data: pd.DataFrame,
    keys: list,
    name: str,
    func: str,
    what: str,
) -> float | pd.DataFrame:
    """Sum numerators and denominators (per group), then divide."""
    if not keys:
        total = float(den.sum())
        if total == 0:
            raise ValueError(
                f"{func} is undefined for this table: it has no {what} "
                f"(the denominator is 0)."
            )
        return float(num.sum()) / total
    parts = pd.DataFrame({"numerator": num, "denominator": den}, index=data.index)
    grouped = parts.groupby(
        [data[k] for k in keys], dropna=False, sort=True, observed=True
    ).sum()
    out = grouped.reset_index()
    out[name] = out["numerator"] / out["denominator"].where(out["denominator"] != 0)
    return out


def _calls_hint(data: pd.DataFrame, table: str, wait: Hashable) -> str:
    if table == "intervals" and wait in data.columns:
        return " This looks like a call-level table: pass table='calls'."
    return ""


# ------------------------------------------------------------------- queue counts


def _queue_counts(
    data: pd.DataFrame,
    func: str,
    *,
    table: str,
    need: Sequence[str],
    threshold_s: float,
    short_abandon_s: float,
    columns: Mapping[str, Hashable],
) -> dict[str, pd.Series]:
    """Per-row counts of answered/abandoned calls, from interval counts or call rows."""
    if table == "intervals":
        if {"answered_within", "abandoned_within"} & set(need) and (
            threshold_s != INTERVAL_THRESHOLD_S
        ):
            raise ValueError(
                f"The 'threshold_s' parameter of {func} is {threshold_s!r}, but the intervals "
                f"table counts calls answered or abandoned within {INTERVAL_THRESHOLD_S} s, "
                f"so another threshold cannot be computed from its counts. Pass a call-level "
                f"table with table='calls' (it has each call's wait), or use "
                f"threshold_s={INTERVAL_THRESHOLD_S}."
            )
        if "short_abandons" in need and short_abandon_s != INTERVAL_SHORT_ABANDON_S:
            raise ValueError(
                f"The 'short_abandon_s' parameter of {func} is {short_abandon_s!r}, but the "
                f"intervals table counts short abandons within {INTERVAL_SHORT_ABANDON_S} s, "
                f"so another cut-off cannot be computed from its counts. Pass a call-level "
                f"table with table='calls' (it has each call's wait), or use "
                f"short_abandon_s={INTERVAL_SHORT_ABANDON_S}."
            )
        cols = {kw: columns[kw] for kw in need}
        _require(data, cols, func, hint=_calls_hint(data, table, columns["wait"]))
        counts = {kw: _numeric(data, col, func, "call counts") for kw, col in cols.items()}
        for part, whole in (
            ("answered_within", "answered"),
            ("abandoned_within", "abandoned"),
            ("short_abandons", "abandoned"),
        ):
            if part in counts and whole in counts:
                bad = int((counts[part] > counts[whole]).sum())
                if bad:
                    raise ValueError(
                        f"The {cols[part]!r} column is larger than the {cols[whole]!r} "
                        f"column in {bad} row(s), but it counts a subset of those calls "
                        f"({func}). Check that the column names are not swapped."
                    )
        return counts
    cols = {"answered": columns["answered"]}
    if set(need) - {"answered", "abandoned"}:
        cols["wait"] = columns["wait"]
    _require(data, cols, func)
    ans = _boolean(data, cols["answered"], func)
    counts = {"answered": ans.astype(int), "abandoned": (~ans).astype(int)}
    if "wait" in cols:
        wait = _numeric(data, cols["wait"], func, "seconds")
        counts["answered_within"] = (ans & (wait <= threshold_s)).astype(int)
        counts["abandoned_within"] = (~ans & (wait <= threshold_s)).astype(int)
        counts["short_abandons"] = (~ans & (wait <= short_abandon_s)).astype(int)
    return counts


def service_level(
    data: pd.DataFrame,
    *,
    threshold_s: float = 20,
    method: str = "answered",
    short_abandon_s: float = 5,
    table: str = "intervals",
    by: Hashable | Sequence[Hashable] | None = None,
    answered: str = "answered",
    abandoned: str = "abandoned",
    answered_within: str = "answered_within_threshold",
    abandoned_within: str = "abandoned_within_threshold",
    short_abandons: str = "short_abandons",
    wait: str = "wait_s",
) -> float | pd.DataFrame:
    """Share of calls answered within a threshold (service level, 服务水平).

    Parameters
    ----------
    data : DataFrame
        The intervals table (``table="intervals"``: one row per queue per interval with
        call counts) or the calls table (``table="calls"``: one row per call with its
        wait).
    threshold_s : float, default 20
        Seconds within which a call counts as answered on time ("80/20" means 80 % in
        20 s). The intervals table counts at :data:`INTERVAL_THRESHOLD_S` (20 s) only;
        another threshold needs ``table="calls"``.
    method : {"answered", "offered", "credit_abandons", "exclude_abandons", \
"exclude_short_abandons", "credit_short_abandons"}, default "answered"
        How abandoned calls are treated; see Notes.
    short_abandon_s : float, default 5
        Seconds within which an abandon is a "short abandon" (a misdial, a caller who
        hung up before anyone could answer). Used by the two ``*_short_abandons``
        methods; must not exceed ``threshold_s``. The intervals table counts short
        abandons at :data:`INTERVAL_SHORT_ABANDON_S` (5 s) only.
    table : {"intervals", "calls"}, default "intervals"
        Which kind of table ``data`` is.
    by : column name or list of column names, optional
        Group the result (for example ``"queue"``).
    answered, abandoned, answered_within, abandoned_within, short_abandons : str
        Count columns of the intervals table. For ``table="calls"`` only ``answered``
        (True/False per call) is used.
    wait : str, default "wait_s"
        Seconds each call waited (calls table only; for an abandoned call, the seconds
        before the caller hung up).

    Returns
    -------
    float or DataFrame
        Without ``by``: the service level, a fraction between 0 and 1. With ``by``: one
        row per group with the group columns, ``numerator`` (calls counted as met),
        ``denominator`` (calls counted) and ``service_level`` (NaN for a group with a
        0 denominator).

    Raises
    ------
    ValueError
        If the denominator of the whole table is 0, if a threshold other than the
        table's is asked of the intervals table, or if counts are inconsistent (more
        calls answered within the threshold than answered).

    Notes
    -----
    With A answered calls, B abandoned calls, A_T of the answered calls answered within
    T seconds, B_T of the abandons within T seconds and B_S short abandons (within S
    seconds), the six formulas in use are below, with the worked example of 1,000
    answered (860 within 20 s) and 60 abandoned (20 within 20 s, 10 within 5 s):

    ===========================  ======================  =================  =======
    method                       formula                 worked example     value
    ===========================  ======================  =================  =======
    ``answered``                 A_T / A                 860 / 1000         0.8600
    ``offered``                  A_T / (A + B)           860 / 1060         0.8113
    ``credit_abandons``          (A_T + B_T) / (A + B)   880 / 1060         0.8302
    ``exclude_abandons``         A_T / (A + B - B_T)     860 / 1040         0.8269
    ``exclude_short_abandons``   A_T / (A + B - B_S)     860 / 1050         0.8190
    ``credit_short_abandons``    (A_T + B_S) / (A + B)   870 / 1060         0.8208
    ===========================  ======================  =================  =======

    Who uses which:

    - ``answered`` ignores abandoned callers altogether; it is the simplest figure on many
      supervisor screens, and the most flattering. ICMI's list of formulas [1]_ warns
      that it is not an accurate picture of what callers experienced.
    - ``offered`` counts every abandon as a miss ("abandoned calls negatively impact"
      in Cisco Unified CCE [2]_). It is the strictest of the six and the one closest to
      what Erlang C predicts for all calls offered.
    - ``credit_abandons`` counts a caller who hung up within the threshold as served on
      time (Cisco's "abandoned calls positively impact" [2]_; formula #1 in [1]_).
    - ``exclude_abandons`` leaves callers who hung up within the threshold out of the
      calculation: nobody had a fair chance to answer them (Cisco's "abandoned calls
      ignored" [2]_; formula #4 in [1]_, the one Bright Pattern uses [3]_).
    - ``exclude_short_abandons`` leaves only the short abandons out (Genesys Cloud with
      "Include short abandons" switched off [4]_; Talkdesk's short-abandoned calls
      "do not impact" service level [5]_).
    - ``credit_short_abandons`` counts short abandons as met (formula #5 in [1]_).

    The same day can therefore be reported as anything from 81 % to 86 %: always say
    which formula a target refers to, and compare figures only under one formula.

    From counts or from calls: the intervals table already counts calls within 20 s and
    short abandons within 5 s, so with ``table="intervals"`` those are the only
    thresholds available and asking for another raises a ``ValueError``. A call-level
    table (``table="calls"``) has every call's wait, so any threshold and any
    short-abandon cut-off can be used there. In both cases "within" means ``<=``.

    Service level must be read per interval as well as per day (see
    :func:`aggregate` and :func:`p_chart`): a day at 80 % can hide a morning at 50 %.

    References
    ----------
    .. [1] ICMI / Call Centre Helper, "Service Level Threshold Calculations" (the five
       formulas and the 1,000 / 860 / 60 / 20 / 10 worked example),
       https://www.callcentrehelper.com/service-level-threshold-calculations-206890.htm
    .. [2] Cisco Unified Intelligence Center report template guide, "Service-level
       calculations" (SL Aban Ignored / Positive / Negative).
    .. [3] S. Menshikov, "Service level infographic", Bright Pattern blog,
       https://blog.brightpattern.com/blog/service-level-ns-infographic
    .. [4] Genesys Cloud Resource Center, "Configure the service level calculation",
       https://help.mypurecloud.com/articles/configure-the-service-level-calculation/
    .. [5] Talkdesk data dictionary, "Short-Abandoned Calls",
       https://data-dictionary.talkdesk.com/docs/short-abandoned-calls

    Examples
    --------
    The worked example as one row of counts:

    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> day = pd.DataFrame({"answered": [1000], "abandoned": [60],
    ...                     "answered_within_threshold": [860],
    ...                     "abandoned_within_threshold": [20], "short_abandons": [10]})
    >>> round(kpi.service_level(day), 4)
    0.86
    >>> for method in ["offered", "credit_abandons", "exclude_abandons",
    ...                "exclude_short_abandons", "credit_short_abandons"]:
    ...     print(method, round(kpi.service_level(day, method=method), 4))
    offered 0.8113
    credit_abandons 0.8302
    exclude_abandons 0.8269
    exclude_short_abandons 0.819
    credit_short_abandons 0.8208

    Per queue, from an intervals table:

    >>> intervals = pd.DataFrame({
    ...     "queue": ["billing", "billing", "plans"],
    ...     "answered": [100, 40, 50], "abandoned": [5, 10, 0],
    ...     "answered_within_threshold": [90, 20, 45],
    ...     "abandoned_within_threshold": [2, 3, 0], "short_abandons": [1, 1, 0]})
    >>> kpi.service_level(intervals, method="offered", by="queue")
         queue  numerator  denominator  service_level
    0  billing        110          155       0.709677
    1    plans         45           50       0.900000

    From call-level data any threshold works:

    >>> calls = pd.DataFrame({"answered": [True, True, True, False],
    ...                       "wait_s": [5.0, 25.0, 40.0, 3.0]})
    >>> kpi.service_level(calls, table="calls", threshold_s=30)
    0.666...

    On the bundled datasets: the intervals table covers one quarter of three queues,
    and the calls table holds the same calls one by one, so it gives the same 20 s
    figure -- and any other threshold:

    >>> from callcoach import datasets
    >>> intervals = datasets.load("intervals")
    >>> round(kpi.service_level(intervals), 3)
    0.791
    >>> kpi.service_level(intervals, method="offered", by="queue").round(3)
           queue  numerator  denominator  service_level
    0    billing    1185690      1693523          0.700
    1      plans     640191       880410          0.727
    2  technical     983948      1345001          0.732
    >>> calls = datasets.load("calls")
    >>> round(kpi.service_level(calls, table="calls"), 3)
    0.817
    >>> round(kpi.service_level(calls, table="calls", threshold_s=30), 3)
    0.836
    """
    func = "service_level"
    data = _check_frame(data, func)
    _check_option(method, "method", _SL_METHODS, func)
    _check_option(table, "table", _TABLES, func)
    _check_positive(threshold_s, "threshold_s", func)
    _check_positive(short_abandon_s, "short_abandon_s", func)
    if method.endswith("short_abandons") and short_abandon_s > threshold_s:
        raise ValueError(
            f"The 'short_abandon_s' parameter of {func} must not exceed threshold_s "
            f"({threshold_s!r}). Got {short_abandon_s!r} instead."
        )
    keys = _by_list(by, data, func)
    need = {
        "answered": ("answered", "answered_within"),
        "offered": ("answered", "abandoned", "answered_within"),
        "credit_abandons": ("answered", "abandoned", "answered_within", "abandoned_within"),
        "exclude_abandons": ("answered", "abandoned", "answered_within", "abandoned_within"),
        "exclude_short_abandons": ("answered", "abandoned", "answered_within", "short_abandons"),
        "credit_short_abandons": ("answered", "abandoned", "answered_within", "short_abandons"),
    }[method]
    c = _queue_counts(
        data,
        func,
        table=table,
        need=need,
        threshold_s=threshold_s,
        short_abandon_s=short_abandon_s,
        columns=dict(
            answered=answered,
            abandoned=abandoned,
            answered_within=answered_within,
            abandoned_within=abandoned_within,
            short_abandons=short_abandons,
            wait=wait,
        ),
    )
    aw = c["answered_within"]
    if method == "answered":
        num, den, what = aw, c["answered"], "answered calls"
    elif method == "offered":
        num, den, what = aw, c["answered"] + c["abandoned"], "offered calls"
    elif method == "credit_abandons":
        num = aw + c["abandoned_within"]
        den, what = c["answered"] + c["abandoned"], "offered calls"
    elif method == "exclude_abandons":
        num = aw
        den = c["answered"] + c["abandoned"] - c["abandoned_within"]
        what = "calls answered or abandoned after the threshold"
    elif method == "exclude_short_abandons":
        num = aw
        den = c["answered"] + c["abandoned"] - c["short_abandons"]
        what = "offered calls other than short abandons"
    else:  # credit_short_abandons
        num = aw + c["short_abandons"]
        den, what = c["answered"] + c["abandoned"], "offered calls"
    return _ratio(num, den, data=data, keys=keys, name=func, func=func, what=what)


def asa(
    data: pd.DataFrame,
    *,
    table: str = "intervals",
    by: Hashable | Sequence[Hashable] | None = None,
    answered: str = "answered",
    wait_answered: str = "wait_answered_s",
    wait: str = "wait_s",
) -> float | pd.DataFrame:
    """Average speed of answer (ASA, 平均应答速度): mean seconds answered calls waited.

    Parameters
    ----------
    data : DataFrame
        The intervals table (``table="intervals"``) or the calls table
        (``table="calls"``).
    table : {"intervals", "calls"}, default "intervals"
        Which kind of table ``data`` is.
    by : column name or list of column names, optional
        Group the result (for example ``"queue"``).
    answered : str, default "answered"
        Answered-call counts (intervals) or True/False per call (calls).
    wait_answered : str, default "wait_answered_s"
        Total seconds waited by the interval's answered calls (intervals table).
    wait : str, default "wait_s"
        Seconds each call waited (calls table).

    Returns
    -------
    float or DataFrame
        ASA in seconds; with ``by``, one row per group with ``numerator`` (seconds
        waited), ``denominator`` (answered calls) and ``asa``.

    Notes
    -----
    ``ASA = total seconds answered calls waited / answered calls``.

    Only answered calls count: the time abandoned callers waited is not in ASA, which
    is why ASA must be read beside the abandonment rate. Some ACDs also add ring time,
    or report the "average delay of delayed calls" (waits of calls that waited at all,
    the figure Erlang C gives as ``ASA / P(wait)``); say which one a target refers to.
    ASA is a mean of a very skewed distribution: an ASA of 15 s is compatible with one
    caller in ten waiting more than a minute, so read it with the service level.

    References
    ----------
    .. [1] B. Cleveland, *Call Center Management on Fast Forward*, ICMI Press
       (chapters on service level and response time).

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> intervals = pd.DataFrame({"answered": [100, 20], "wait_answered_s": [1000, 800]})
    >>> kpi.asa(intervals)
    15.0

    Per queue on the bundled intervals table:

    >>> from callcoach import datasets
    >>> intervals = datasets.load("intervals")
    >>> kpi.asa(intervals, by="queue").round(1)
           queue  numerator  denominator   asa
    0    billing   33876827      1526752  22.2
    1      plans   17445786       811682  21.5
    2  technical   24696914      1215936  20.3
    """
    func = "asa"
    data = _check_frame(data, func)
    _check_option(table, "table", _TABLES, func)
    keys = _by_list(by, data, func)
    if table == "intervals":
        _require(
            data,
            {"answered": answered, "wait_answered": wait_answered},
            func,
            hint=_calls_hint(data, table, wait),
        )
        den = _numeric(data, answered, func, "call counts")
        num = _numeric(data, wait_answered, func, "seconds")
    else:
        _require(data, {"answered": answered, "wait": wait}, func)
        ans = _boolean(data, answered, func)
        num = _numeric(data, wait, func, "seconds").where(ans, 0)
        den = ans.astype(int)
    return _ratio(num, den, data=data, keys=keys, name=func, func=func, what="answered calls")


def abandonment_rate(
    data: pd.DataFrame,
    *,
    method: str = "all",
    short_abandon_s: float = 5,
    table: str = "intervals",
    by: Hashable | Sequence[Hashable] | None = None,
    answered: str = "answered",
    abandoned: str = "abandoned",
    short_abandons: str = "short_abandons",
    wait: str = "wait_s",
) -> float | pd.DataFrame:
    """Share of offered calls whose caller hung up before being answered (放弃率).

    Parameters
    ----------
    data : DataFrame
        The intervals table (``table="intervals"``) or the calls table
        (``table="calls"``).
    method : {"all", "exclude_short_abandons"}, default "all"
        ``"all"`` counts every abandon; ``"exclude_short_abandons"`` removes short
        abandons from both the abandons and the calls offered.
    short_abandon_s : float, default 5
        Seconds within which an abandon is short. The intervals table counts them at
        :data:`INTERVAL_SHORT_ABANDON_S` (5 s) only; another cut-off needs
        ``table="calls"``.
    table : {"intervals", "calls"}, default "intervals"
        Which kind of table ``data`` is.
    by : column name or list of column names, optional
        Group the result.
    answered, abandoned, short_abandons : str
        Count columns (intervals). For calls only ``answered`` (True/False) is used.
    wait : str, default "wait_s"
        Seconds each call waited or waited before hanging up (calls table).

    Returns
    -------
    float or DataFrame
        The rate, a fraction between 0 and 1; with ``by``, one row per group with
        ``numerator`` (abandons counted), ``denominator`` (calls counted) and
        ``abandonment_rate``.

    Notes
    -----
    ``all``: ``B / (A + B)``. ``exclude_short_abandons``: ``(B - B_S) / (A + B - B_S)``,
    with A answered, B abandoned and B_S short abandons. In the service-level worked
    example (1,000 answered, 60 abandoned, 10 of them within 5 s) these are
    60 / 1060 = 5.66 % and 50 / 1050 = 4.76 %.

    Many callers who abandon do so in the first seconds (wrong number, wrong IVR
    option); most ACDs let the centre set a short-abandon time (Genesys Cloud,
    Talkdesk, Cisco's "short calls" timer) and leave those calls out of both the
    abandonment rate and the service level. Typical rates are 2-8 %. A falling
    abandonment rate is good news only if the service level holds: abandoned callers
    often call again (retrials), which inflates calls offered.

    References
    ----------
    .. [1] WFM Academy glossary, "Short Abandon",
       https://wfmacademy.ccmath.com/mod/glossary/showentry.php?eid=62
    .. [2] Talkdesk data dictionary, "Short-Abandoned Calls",
       https://data-dictionary.talkdesk.com/docs/short-abandoned-calls

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> day = pd.DataFrame({"answered": [1000], "abandoned": [60], "short_abandons": [10]})
    >>> round(kpi.abandonment_rate(day), 4)
    0.0566
    >>> round(kpi.abandonment_rate(day, method="exclude_short_abandons"), 4)
    0.0476

    On the bundled intervals table:

    >>> from callcoach import datasets
    >>> intervals = datasets.load("intervals")
    >>> round(kpi.abandonment_rate(intervals), 4)
    0.093
    >>> round(kpi.abandonment_rate(intervals, method="exclude_short_abandons"), 4)
    0.0836
    >>> kpi.abandonment_rate(intervals, by="queue").round(4)
           queue  numerator  denominator  abandonment_rate
    0    billing     166771      1693523            0.0985
    1      plans      68728       880410            0.0781
    2  technical     129065      1345001            0.0960
    """
    func = "abandonment_rate"
    data = _check_frame(data, func)
    _check_option(method, "method", ("all", "exclude_short_abandons"), func)
    _check_option(table, "table", _TABLES, func)
    _check_positive(short_abandon_s, "short_abandon_s", func)
    keys = _by_list(by, data, func)
    need = ("answered", "abandoned")
    if method == "exclude_short_abandons":
        need += ("short_abandons",)
    c = _queue_counts(
        data,
        func,
        table=table,
        need=need,
        threshold_s=INTERVAL_THRESHOLD_S,
        short_abandon_s=short_abandon_s,
        columns=dict(
            answered=answered,
            abandoned=abandoned,
            answered_within=None,
            abandoned_within=None,
            short_abandons=short_abandons,
            wait=wait,
        ),
    )
    num, den = c["abandoned"], c["answered"] + c["abandoned"]
    if method == "exclude_short_abandons":
        num, den = num - c["short_abandons"], den - c["short_abandons"]
    return _ratio(num, den, data=data, keys=keys, name=func, func=func, what="offered calls")


# -------------------------------------------------------------------- handle time


def _handle_parts(
    data: pd.DataFrame,
    func: str,
    *,
    table: str,
    answered: str,
    talk: str,
    hold: str,
    acw: str,
    wait: str = "wait_s",
) -> tuple[dict[str, pd.Series], pd.Series]:
    """Per-row talk/hold/acw seconds and answered-call counts."""
    cols = {"answered": answered, "talk": talk, "hold": hold, "acw": acw}
    _require(data, cols, func, hint=_calls_hint(data, table, wait))
    if table == "intervals":
        n = _numeric(data, answered, func, "call counts")
        comps = {k: _numeric(data, cols[k], func, "seconds") for k in ("talk", "hold", "acw")}
    else:
        ans = _boolean(data, answered, func)
        sub = data.loc[ans]
        comps = {
            k: _numeric(sub, cols[k], func, "seconds of answered calls").reindex(
                data.index, fill_value=0
            )
            for k in ("talk", "hold", "acw")
        }
        n = ans.astype(int)
    return comps, n


def aht(
    data: pd.DataFrame,
    *,
    method: str = "per_call",
    table: str = "intervals",
    by: Hashable | Sequence[Hashable] | None = None,
    answered: str = "answered",
    talk: str = "talk_s",
    hold: str = "hold_s",
    acw: str = "acw_s",
    issue: str = "issue_id",
    time: str = "arrival_time",
) -> float | pd.DataFrame:
    """Average handle time (AHT, 平均处理时长): talk + hold + after-call work per call.

    Parameters
    ----------
    data : DataFrame
        The intervals table (``table="intervals"``) or the calls table
        (``table="calls"``).
    method : {"per_call", "per_issue"}, default "per_call"
        ``"per_call"``: handle seconds per answered call. ``"per_issue"`` (calls table
        only): handle seconds of all the calls about an issue, per issue.
    table : {"intervals", "calls"}, default "intervals"
        Which kind of table ``data`` is.
    by : column name or list of column names, optional
        Group the result. With ``method="per_issue"`` an issue (and all its handle
        time, repeat calls included) belongs to the group of its first answered call.
    answered : str, default "answered"
        Answered-call counts (intervals) or True/False per call (calls).
    talk, hold, acw : str
        Seconds of talk, hold and after-call work (totals per interval, or per call).
    issue : str, default "issue_id"
        Customer issue of each call (``method="per_issue"`` only).
    time : str, default "arrival_time"
        Arrival time of each call, to find an issue's first call (``"per_issue"``).

    Returns
    -------
    float or DataFrame
        AHT in seconds; with ``by``, one row per group with ``numerator`` (handle
        seconds), ``denominator`` (answered calls, or issues) and ``aht``.

    Notes
    -----
    ``AHT = (talk + hold + after-call work) / answered calls``. Older reports sometimes
    leave out hold, or after-call work done later off the phone; a target is only
    comparable under the same components (see :func:`aht_components`). Handle time is
    right-skewed: a few long calls pull the mean up, so look at the distribution too.

    ``per_issue`` is the 3A "Active" view: an agent who spends an extra minute to solve
    the problem completely raises AHT per call but removes repeat calls, so the handle
    time per *issue* -- the real workload -- falls. Judge AHT per issue, not per call.

    References
    ----------
    .. [1] B. Cleveland, *Call Center Management on Fast Forward*, ICMI Press.

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> intervals = pd.DataFrame({"answered": [10, 30], "talk_s": [1800, 5400],
    ...                           "hold_s": [300, 600], "acw_s": [900, 3000]})
    >>> kpi.aht(intervals)
    300.0

    Per issue on calls: issue 1 needed two calls, issue 2 one.

    >>> calls = pd.DataFrame({
    ...     "issue_id": [1, 1, 2], "answered": [True, True, True],
    ...     "arrival_time": pd.to_datetime(["2025-01-06 09:00", "2025-01-08 10:00",
    ...                                     "2025-01-06 09:30"]),
    ...     "talk_s": [200, 250, 400], "hold_s": [0, 30, 20], "acw_s": [40, 60, 50]})
    >>> round(kpi.aht(calls, table="calls"), 1)
    350.0
    >>> kpi.aht(calls, table="calls", method="per_issue")
    525.0

    On the bundled datasets: per queue from the intervals table, then per call and per
    issue from the calls table (repeat calls make the handle time of an issue about a
    third higher than that of a call):

    >>> from callcoach import datasets
    >>> intervals = datasets.load("intervals")
    >>> kpi.aht(intervals, by="queue").round(1)
           queue  numerator  denominator    aht
    0    billing  587779128      1526752  385.0
    1      plans  358498819       811682  441.7
    2  technical  653097362      1215936  537.1
    >>> calls = datasets.load("calls")
    >>> round(kpi.aht(calls, table="calls"), 1)
    441.4
    >>> round(kpi.aht(calls, table="calls", method="per_issue"), 1)
    592.2
    """
    func = "aht"
    data = _check_frame(data, func)
    _check_option(method, "method", ("per_call", "per_issue"), func)
    _check_option(table, "table", _TABLES, func)
    if method == "per_issue" and table != "calls":
        raise ValueError(
            "The 'method' parameter of aht is 'per_issue', which needs a call-level table "
            "with an issue column: pass table='calls'. Got table='intervals' instead."
        )
    keys = _by_list(by, data, func)
    comps, n = _handle_parts(data, func, table=table, answered=answered, talk=talk,
                             hold=hold, acw=acw)
    handle = comps["talk"] + comps["hold"] + comps["acw"]
    if method == "per_call":
        return _ratio(handle, n, data=data, keys=keys, name=func, func=func,
                      what="answered calls")
    _require(data, {"issue": issue, "time": time}, func)
    _datetimes(data, time, func)
    ans = n.astype(bool)
    sub = data.loc[ans]
    n_missing = int(sub[issue].isna().sum())
    if n_missing:
        raise ValueError(
            f"The {issue!r} column has {n_missing} missing value(s) among answered calls; "
            f"aht with method='per_issue' needs the issue of every answered call."
        )
    order = sub.sort_values(time, kind="mergesort")
    first = (~order[issue].duplicated()).reindex(data.index, fill_value=False)
    issue_total = handle[ans].groupby(sub[issue]).transform("sum")
    num = issue_total.reindex(data.index, fill_value=0).where(first, 0)
    return _ratio(num, first.astype(int), data=data, keys=keys, name=func, func=func,
                  what="answered issues")


def aht_components(
    data: pd.DataFrame,
    *,
    table: str = "intervals",
    by: Hashable | Sequence[Hashable] | None = None,
    answered: str = "answered",
    talk: str = "talk_s",
    hold: str = "hold_s",
    acw: str = "acw_s",
) -> pd.DataFrame:
    """Talk, hold and after-call work per answered call: the parts that add up to AHT.

    Parameters
    ----------
    data : DataFrame
        The intervals table or the calls table (see ``table``).
    table : {"intervals", "calls"}, default "intervals"
        Which kind of table ``data`` is.
    by : column name or list of column names, optional
        Group the result.
    answered, talk, hold, acw : str
        Columns as in :func:`aht`.

    Returns
    -------
    DataFrame
        One row per group and component, with the group columns, ``component``
        (``"talk"``, ``"hold"``, ``"acw"``), ``seconds`` (seconds per answered call;
        the three add up to :func:`aht`) and ``share`` (fraction of handle time).

    Notes
    -----
    Hold and after-call work are a real share of handle time and coach differently:
    long holds point to knowledge or tool gaps, long after-call work to slow systems or
    to wrap-up being used as a rest. A group with no answered calls gets NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> intervals = pd.DataFrame({"answered": [10, 30], "talk_s": [1800, 5400],
    ...                           "hold_s": [300, 600], "acw_s": [900, 3000]})
    >>> kpi.aht_components(intervals)
      component  seconds  share
    0      talk    180.0  0.600
    1      hold     22.5  0.075
    2       acw     97.5  0.325

    On the bundled intervals table:

    >>> from callcoach import datasets
    >>> intervals = datasets.load("intervals")
    >>> kpi.aht_components(intervals).round(3)
      component  seconds  share
    0      talk  325.221  0.723
    1      hold   44.743  0.099
    2       acw   80.011  0.178
    """
    func = "aht_components"
    data = _check_frame(data, func)
    _check_option(table, "table", _TABLES, func)
    keys = _by_list(by, data, func)
    comps, n = _handle_parts(data, func, table=table, answered=answered, talk=talk,
                             hold=hold, acw=acw)
    parts = pd.DataFrame({"talk": comps["talk"], "hold": comps["hold"],
                          "acw": comps["acw"], "_n": n}, index=data.index)
    if keys:
        sums = parts.groupby([data[k] for k in keys], dropna=False, sort=True,
                             observed=True).sum().reset_index()
    else:
        sums = parts.sum().to_frame().T
        if float(sums["_n"].iloc[0]) == 0:
            raise ValueError(
                f"{func} is undefined for this table: it has no answered calls "
                f"(the denominator is 0)."
            )
    handle = sums[["talk", "hold", "acw"]].sum(axis=1)
    calls = sums["_n"].where(sums["_n"] != 0)
    rows = []
    for comp in ("talk", "hold", "acw"):
        part = sums[keys].copy()
        part["component"] = comp
        part["seconds"] = sums[comp] / calls
        part["share"] = sums[comp] / handle.where(handle != 0)
        part["_order"] = range(len(part))
        rows.append(part)
    out = pd.concat(rows, ignore_index=True)
    out = out.sort_values(["_order"], kind="mergesort").drop(columns="_order")
    return out.reset_index(drop=True)


def occupancy(
    data: pd.DataFrame,
    *,
    interval_s: float = INTERVAL_S,
    by: Hashable | Sequence[Hashable] | None = None,
    talk: str = "talk_s",
    hold: str = "hold_s",
    acw: str = "acw_s",
    staffed_agents: str = "staffed_agents",
) -> float | pd.DataFrame:
    """Occupancy (席位利用率, also 占用率): share of staffed time spent handling calls.

    Parameters
    ----------
    data : DataFrame
        The intervals table.
    interval_s : float, default 1800
        Length of one row in seconds (30-minute intervals).
    by : column name or list of column names, optional
        Group the result.
    talk, hold, acw : str
        Total seconds of talk, hold and after-call work in the interval.
    staffed_agents : str, default "staffed_agents"
        Average number of agents logged in during the interval.

    Returns
    -------
    float or DataFrame
        Occupancy, a fraction; with ``by``, one row per group with ``numerator``
        (handle seconds), ``denominator`` (staffed seconds) and ``occupancy``.

    Notes
    -----
    ``occupancy = (talk + hold + after-call work) / (staffed agents x interval seconds)``.

    Staffed time is the time agents were logged in and ready to take calls, so
    occupancy says how busy the people *on the phones* were; 80-90 % is typical.
    Above about 90 % agents have no breathing space between calls and burn out;
    occupancy also rises by itself when the service level falls (callers queue, agents
    never wait), so high occupancy is not a goal in itself. Some systems use
    ``handle / (handle + available idle time)``, which leaves out time in an auxiliary
    ("not ready") state; that is higher than this figure when agents spend logged-in
    time in AUX. Handle time is counted in the interval the call was answered, so a
    single interval can exceed 1; daily and monthly figures cannot, in practice.
    Compare :func:`utilization`, whose denominator is scheduled or paid time.

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> intervals = pd.DataFrame({"talk_s": [9000, 4000], "hold_s": [1000, 500],
    ...                           "acw_s": [2600, 1300], "staffed_agents": [8.0, 4.0]})
    >>> round(kpi.occupancy(intervals), 4)
    0.8519

    On the bundled datasets. The daily table holds staffed agent-*seconds*
    (``staffed_s``) rather than an average number of agents, so name that column and
    count each row as one second:

    >>> from callcoach import datasets
    >>> intervals = datasets.load("intervals")
    >>> round(kpi.occupancy(intervals), 3)
    0.81
    >>> daily = datasets.load("daily")
    >>> kpi.occupancy(daily, staffed_agents="staffed_s", interval_s=1, by="queue").round(3)
           queue  numerator  denominator  occupancy
    0    billing  587779128    720157888      0.816
    1      plans  358498819    453978288      0.790
    2  technical  653097362    800953489      0.815
    """
    func = "occupancy"
    data = _check_frame(data, func)
    _check_positive(interval_s, "interval_s", func)
    keys = _by_list(by, data, func)
    cols = {"talk": talk, "hold": hold, "acw": acw, "staffed_agents": staffed_agents}
    _require(data, cols, func)
    handle = sum(_numeric(data, cols[k], func, "seconds") for k in ("talk", "hold", "acw"))
    staffed = _numeric(data, staffed_agents, func, "agents") * interval_s
    return _ratio(handle, staffed, data=data, keys=keys, name=func, func=func,
                  what="staffed time")


def utilization(
    data: pd.DataFrame,
    *,
    method: str = "scheduled",
    interval_s: float = INTERVAL_S,
    by: Hashable | Sequence[Hashable] | None = None,
    talk: str = "talk_s",
    hold: str = "hold_s",
    acw: str = "acw_s",
    scheduled_agents: str = "scheduled_agents",
    paid_agents: str = "paid_agents",
) -> float | pd.DataFrame:
    """Utilization (利用率): handle time as a share of scheduled or paid agent time.

    Parameters
    ----------
    data : DataFrame
        The intervals table (with a ``paid_agents`` column for ``method="paid"``).
    method : {"scheduled", "paid"}, default "scheduled"
        Whose time is the denominator: agents scheduled on the phones, or all agents
        paid for the interval.
    interval_s : float, default 1800
        Length of one row in seconds.
    by : column name or list of column names, optional
        Group the result.
    talk, hold, acw : str
        Total seconds of talk, hold and after-call work.
    scheduled_agents, paid_agents : str
        Average agents scheduled / paid in the interval.

    Returns
    -------
    float or DataFrame
        Utilization, a fraction; with ``by``, one row per group with ``numerator``
        (handle seconds), ``denominator`` (scheduled or paid seconds) and
        ``utilization``.

    Notes
    -----
    ``utilization = handle seconds / (scheduled or paid agents x interval seconds)``.

    The word is used loosely, so say which one you mean:

    - **occupancy** (:func:`occupancy`) divides by *staffed* (logged-in) time: how busy
      agents were while on the phones;
    - **utilization, scheduled** divides by time *scheduled* on the phones: it falls when
      agents log in late or leave early (poor adherence), as well as when calls are few;
    - **utilization, paid** divides by all *paid* time: it also falls with breaks,
      training, meetings and absence (shrinkage), so it is the figure finance cares
      about. Some WFM tools call "utilization" staffed time over paid time, with no
      handle time at all.

    Roughly, utilization = occupancy x staffed / scheduled (or paid) time.

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> intervals = pd.DataFrame({"talk_s": [9000, 4000], "hold_s": [1000, 500],
    ...                           "acw_s": [2600, 1300], "staffed_agents": [8.0, 4.0],
    ...                           "scheduled_agents": [9.0, 5.0]})
    >>> round(kpi.utilization(intervals), 4)
    0.7302

    On the bundled datasets. The intervals table has scheduled agents but not paid
    ones; the daily table has both (as agent-seconds, hence ``interval_s=1``), so it
    shows the three figures side by side -- each denominator is larger than the last:

    >>> from callcoach import datasets
    >>> intervals = datasets.load("intervals")
    >>> round(kpi.utilization(intervals), 3)
    0.719
    >>> daily = datasets.load("daily")
    >>> round(kpi.occupancy(daily, staffed_agents="staffed_s", interval_s=1), 3)
    0.81
    >>> round(kpi.utilization(daily, scheduled_agents="scheduled_s", interval_s=1), 3)
    0.749
    >>> round(kpi.utilization(daily, method="paid", paid_agents="paid_s", interval_s=1), 3)
    0.548
    """
    func = "utilization"
    data = _check_frame(data, func)
    _check_option(method, "method", ("scheduled", "paid"), func)
    _check_positive(interval_s, "interval_s", func)
    keys = _by_list(by, data, func)
    agents_kw, agents = (
        ("scheduled_agents", scheduled_agents) if method == "scheduled"
        else ("paid_agents", paid_agents)
    )
    cols = {"talk": talk, "hold": hold, "acw": acw, agents_kw: agents}
    _require(data, cols, func)
    handle = sum(_numeric(data, cols[k], func, "seconds") for k in ("talk", "hold", "acw"))
    time = _numeric(data, agents, func, "agents") * interval_s
    return _ratio(handle, time, data=data, keys=keys, name=func, func=func,
                  what=f"{method} time")


# ------------------------------------------------------------------- workforce


def adherence(
    data: pd.DataFrame,
    *,
    by: Hashable | Sequence[Hashable] | None = None,
    scheduled: str = "scheduled_s",
    in_adherence: str = "in_adherence_s",
) -> float | pd.DataFrame:
    """Schedule adherence (遵时率): share of scheduled time spent doing the scheduled work.

    Parameters
    ----------
    data : DataFrame
        The adherence table: one row per agent per interval (see the module docstring).
    by : column name or list of column names, optional
        Group the result (``"agent_id"``, a team, a day column...).
    scheduled : str, default "scheduled_s"
        Seconds scheduled in on-phone work.
    in_adherence : str, default "in_adherence_s"
        Of those, seconds the agent really was in an on-phone state.

    Returns
    -------
    float or DataFrame
        Adherence, a fraction between 0 and 1; with ``by``, one row per group with
        ``numerator``, ``denominator`` and ``adherence``.

    Notes
    -----
    ``adherence = seconds in the scheduled state at the scheduled time / seconds
    scheduled``. It asks *when*: an agent who takes lunch half an hour early loses
    adherence even if the total time worked is right (that is :func:`conformance`).
    Around 90 % is typical; 100 % is neither possible nor wanted (calls overrun
    breaks). WFM tools differ on whether scheduled breaks count (being on break when
    scheduled counts as adherent) and on approved exceptions; this table measures
    on-phone time only. Give agents the data themselves: adherence is mostly a
    team-level staffing issue, not a discipline one.

    References
    ----------
    .. [1] WFM Labs, "Adherence and Conformance",
       https://wiki.wfmlabs.org/wiki/Adherence_and_Conformance
    .. [2] SWPP glossary, "Adherence", https://swpp.org/glossary/adherence-2/

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> states = pd.DataFrame({"agent_id": ["a1", "a1", "a2"],
    ...                        "scheduled_s": [1800, 1800, 1800],
    ...                        "in_adherence_s": [1800, 1200, 1620],
    ...                        "actual_s": [1800, 1500, 1800]})
    >>> round(kpi.adherence(states), 4)
    0.8556
    >>> kpi.adherence(states, by="agent_id")
      agent_id  numerator  denominator  adherence
    0       a1       3000         3600   0.833333
    1       a2       1620         1800   0.900000

    On the bundled adherence table, for the centre and for the first three agents:

    >>> from callcoach import datasets
    >>> adherence_table = datasets.load("adherence")
    >>> round(kpi.adherence(adherence_table), 3)
    0.911
    >>> kpi.adherence(adherence_table, by="agent_id").head(3).round(3)
      agent_id  numerator  denominator  adherence
    0     A001     917545      1002600      0.915
    1     A002     896536       996300      0.900
    2     A003     843681       923400      0.914
    """
    func = "adherence"
    data = _check_frame(data, func)
    keys = _by_list(by, data, func)
    _require(data, {"scheduled": scheduled, "in_adherence": in_adherence}, func)
    den = _numeric(data, scheduled, func, "seconds")
    num = _numeric(data, in_adherence, func, "seconds")
    bad = int((num > den).sum())
    if bad:
        raise ValueError(
            f"The {in_adherence!r} column is larger than the {scheduled!r} column in {bad} "
            f"row(s); time in adherence is part of the scheduled time ({func}). For time "
            f"worked regardless of the schedule, use conformance."
        )
    return _ratio(num, den, data=data, keys=keys, name=func, func=func,
                  what="scheduled time")


def conformance(
    data: pd.DataFrame,
    *,
    by: Hashable | Sequence[Hashable] | None = None,
    scheduled: str = "scheduled_s",
    actual: str = "actual_s",
) -> float | pd.DataFrame:
    """Schedule conformance: time actually worked on the phones over time scheduled.

    Parameters
    ----------
    data : DataFrame
        The adherence table (see the module docstring).
    by : column name or list of column names, optional
        Group the result.
    scheduled : str, default "scheduled_s"
        Seconds scheduled in on-phone work.
    actual : str, default "actual_s"
        Seconds actually in an on-phone state, whenever in the interval.

    Returns
    -------
    float or DataFrame
        Conformance, a fraction (can exceed 1 with overtime); with ``by``, one row per
        group with ``numerator``, ``denominator`` and ``conformance``.

    Notes
    -----
    ``conformance = seconds worked on the phones / seconds scheduled on the phones``.
    It asks *how much*, not *when* (that is :func:`adherence`), so it is always at
    least as high as adherence for the same table. Some centres call it "compliance";
    some cap each activity at its scheduled time. Conformance near 100 % with low
    adherence means the right hours in the wrong places: the service level suffers in
    the intervals the schedule was built to cover.

    References
    ----------
    .. [1] WFM Labs, "Adherence and Conformance",
       https://wiki.wfmlabs.org/wiki/Adherence_and_Conformance
    .. [2] Assembled, "Adherence vs conformance",
       https://assembled.com/blog/adherence-vs-conformance

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> states = pd.DataFrame({"scheduled_s": [1800, 1800, 1800],
    ...                        "in_adherence_s": [1800, 1200, 1620],
    ...                        "actual_s": [1800, 1500, 1800]})
    >>> round(kpi.conformance(states), 4)
    0.9444

    On the bundled adherence table. Its agents are never on the phones outside their
    scheduled time (``actual_s`` equals ``in_adherence_s`` in every row), so here
    conformance equals adherence:

    >>> from callcoach import datasets
    >>> adherence_table = datasets.load("adherence")
    >>> round(kpi.conformance(adherence_table), 3)
    0.922
    >>> round(kpi.adherence(adherence_table), 3)
    0.911
    """
    func = "conformance"
    data = _check_frame(data, func)
    keys = _by_list(by, data, func)
    _require(data, {"scheduled": scheduled, "actual": actual}, func)
    den = _numeric(data, scheduled, func, "seconds")
    num = _numeric(data, actual, func, "seconds")
    return _ratio(num, den, data=data, keys=keys, name=func, func=func,
                  what="scheduled time")


def shrinkage(
    data: pd.DataFrame,
    *,
    productive: Sequence[str] = ("available", "on_call", "acw"),
    count: Sequence[str] | None = None,
    by: Hashable | Sequence[Hashable] | None = None,
    activity: str = "activity",
    seconds: str = "seconds",
) -> float | pd.DataFrame:
    """Shrinkage (缩减率): share of paid time not available to handle calls.

    Parameters
    ----------
    data : DataFrame
        A timesheet: one row per agent per day (or interval) per activity with the paid
        seconds spent in it (see the module docstring). Unpaid time (an unpaid lunch)
        does not belong in it.
    productive : sequence of str, default ("available", "on_call", "acw")
        Activities in which an agent can take or is handling calls.
    count : sequence of str, optional
        Activities counted as shrinkage. By default every activity not in
        ``productive``; pass a subset to split shrinkage into parts, for example
        ``count=["sick", "leave"]`` for unplanned absence. The denominator is always
        all paid time.
    by : column name or list of column names, optional
        Group the result (``"agent_id"``, ``"date"``...).
    activity : str, default "activity"
        Activity name of each row.
    seconds : str, default "seconds"
        Paid seconds of each row.

    Returns
    -------
    float or DataFrame
        Shrinkage, a fraction between 0 and 1; with ``by``, one row per group with
        ``numerator`` (shrinkage seconds), ``denominator`` (paid seconds) and
        ``shrinkage``.

    Notes
    -----
    ``shrinkage = seconds in shrinkage activities / paid seconds``
    (by default ``1 - productive seconds / paid seconds``).

    Around 30-35 % is typical. Planners split it into *planned* (breaks, training,
    meetings, coaching, holidays) and *unplanned* (sickness, lateness, system
    outages), or into *in-centre* and *out-of-centre*; use ``count=`` for each part.
    Whether off-phone work such as follow-ups (the 3A "Available" work) counts as
    shrinkage is a local decision: if it is not planned for, agents either skip the
    follow-ups or the service level pays for them. Staffing grosses up the agents
    Erlang C asks for by ``1 / (1 - shrinkage)``.

    References
    ----------
    .. [1] SWPP glossary, https://swpp.org/glossary/

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> timesheet = pd.DataFrame({
    ...     "activity": ["on_call", "available", "acw", "break", "training", "sick"],
    ...     "seconds": [14400, 3600, 2400, 3600, 3600, 1200]})
    >>> round(kpi.shrinkage(timesheet), 4)
    0.2917
    >>> round(kpi.shrinkage(timesheet, count=["sick"]), 4)
    0.0417

    On the bundled timesheet: all shrinkage, then two of its parts -- sickness
    (unplanned) and follow-up work off the phones:

    >>> from callcoach import datasets
    >>> timesheet = datasets.load("timesheet")
    >>> round(kpi.shrinkage(timesheet), 3)
    0.325
    >>> round(kpi.shrinkage(timesheet, count=["sick"]), 3)
    0.037
    >>> round(kpi.shrinkage(timesheet, count=["followup"]), 3)
    0.028
    """
    func = "shrinkage"
    data = _check_frame(data, func)
    keys = _by_list(by, data, func)
    _require(data, {"activity": activity, "seconds": seconds}, func)
    productive = [productive] if isinstance(productive, str) else list(productive)
    if count is not None:
        count = [count] if isinstance(count, str) else list(count)
        overlap = sorted(set(count) & set(productive))
        if overlap:
            raise ValueError(
                f"The 'count' parameter of {func} names productive activities {overlap}; "
                f"an activity cannot be both productive and shrinkage."
            )
    secs = _numeric(data, seconds, func, "seconds")
    acts = data[activity]
    is_productive = acts.isin(productive)
    if not is_productive.any():
        found = sorted(map(str, acts.dropna().unique()))[:12]
        raise ValueError(
            f"None of the productive activities {productive} appears in the {activity!r} "
            f"column, which has {found}. Pass the names of the activities in which agents "
            f"take calls with productive=."
        )
    lost = ~is_productive if count is None else acts.isin(count)
    return _ratio(secs.where(lost, 0), secs, data=data, keys=keys, name=func, func=func,
                  what="paid time")


# ------------------------------------------------------------- calls and surveys


def transfer_rate(
    calls: pd.DataFrame,
    *,
    by: Hashable | Sequence[Hashable] | None = None,
    answered: str = "answered",
    transferred: str = "transferred",
) -> float | pd.DataFrame:
    """Transfer rate (转接率): share of answered calls passed on to another agent or queue.

    Parameters
    ----------
    calls : DataFrame
        The calls table.
    by : column name or list of column names, optional
        Group the result (``"agent_id"`` gives each agent's transfers out).
    answered : str, default "answered"
        True/False per call.
    transferred : str, default "transferred"
        True if the call was transferred.

    Returns
    -------
    float or DataFrame
        The rate, a fraction between 0 and 1; with ``by``, one row per group with
        ``numerator`` (transferred calls), ``denominator`` (answered calls) and
        ``transfer_rate``.

    Notes
    -----
    ``transfer rate = answered calls transferred / answered calls``. A transfer usually
    means the call reached the wrong place (routing or IVR design) or the agent lacked
    the skill or authority to finish it; transferred callers are less likely to be
    resolved first time. Agents judged on AHT alone may transfer difficult calls to
    keep their AHT down -- a classic gamed measure, so read it with AHT and FCR.

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> calls = pd.DataFrame({"agent_id": ["a1", "a1", "a2", "a2"],
    ...                       "answered": [True, True, True, False],
    ...                       "transferred": [False, True, False, False]})
    >>> round(kpi.transfer_rate(calls), 4)
    0.3333

    Per queue on the bundled calls table:

    >>> from callcoach import datasets
    >>> calls = datasets.load("calls")
    >>> kpi.transfer_rate(calls, by="queue").round(3)
           queue  numerator  denominator  transfer_rate
    0    billing      10122       195045          0.052
    1      plans       5124       101690          0.050
    2  technical       7566       142441          0.053
    """
    func = "transfer_rate"
    calls = _check_frame(calls, func, "calls")
    keys = _by_list(by, calls, func, "calls")
    _require(calls, {"answered": answered, "transferred": transferred}, func, "calls")
    ans = _boolean(calls, answered, func, "calls")
    moved = _boolean(calls, transferred, func, "calls")
    return _ratio((ans & moved).astype(int), ans.astype(int), data=calls, keys=keys,
                  name=func, func=func, what="answered calls")


def csat(
    surveys: pd.DataFrame,
    *,
    method: str = "mean",
    scale_max: int = 5,
    by: Hashable | Sequence[Hashable] | None = None,
    score: str = "csat",
) -> float | pd.DataFrame:
    """Customer satisfaction (CSAT, 客户满意度) from post-call survey scores.

    Parameters
    ----------
    surveys : DataFrame
        The surveys table (merge in calls columns first to group by agent or queue).
    method : {"mean", "top2box"}, default "mean"
        ``"mean"``: average score. ``"top2box"``: share of answers in the top two boxes
        (4 or 5 on a 1-5 scale).
    scale_max : int, default 5
        Highest score of the scale (scores run from 1 to ``scale_max``).
    by : column name or list of column names, optional
        Group the result.
    score : str, default "csat"
        Score column; NaN means the caller skipped the question and is left out.

    Returns
    -------
    float or DataFrame
        Mean score, or a fraction for ``"top2box"``; with ``by``, one row per group with
        ``numerator``, ``denominator`` (answers) and ``csat``.

    Notes
    -----
    ``mean = sum of scores / answers``; ``top2box = answers scoring scale_max - 1 or
    scale_max / answers``. The mean treats the scale as if the step from 1 to 2 were
    the same as from 4 to 5; top-2-box is what most benchmarks report and is easier to
    act on ("78 % satisfied"). Both come from the few callers who answer the survey
    (typically 5-20 %), who are not a random sample: very happy and very unhappy
    callers answer more often, so compare like with like and watch the response count.

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> surveys = pd.DataFrame({"csat": [5, 4, 2, 5, None]})
    >>> kpi.csat(surveys)
    4.0
    >>> kpi.csat(surveys, method="top2box")
    0.75

    On the bundled surveys table; to group by queue, merge in that column of the calls
    table first:

    >>> from callcoach import datasets
    >>> surveys = datasets.load("surveys")
    >>> round(kpi.csat(surveys), 2)
    3.93
    >>> round(kpi.csat(surveys, method="top2box"), 3)
    0.71
    >>> calls = datasets.load("calls")
    >>> by_queue = surveys.merge(calls[["call_id", "queue"]], on="call_id")
    >>> kpi.csat(by_queue, by="queue").round(2)
           queue  numerator  denominator  csat
    0    billing      75517        19295  3.91
    1      plans      39865        10054  3.97
    2  technical      55697        14237  3.91
    """
    func = "csat"
    surveys = _check_frame(surveys, func, "surveys")
    _check_option(method, "method", ("mean", "top2box"), func)
    _check_positive_int(scale_max, "scale_max", func, minimum=2)
    keys = _by_list(by, surveys, func, "surveys")
    _require(surveys, {"score": score}, func, "surveys")
    s = surveys[score]
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        raise TypeError(
            f"The {score!r} column of 'surveys' must hold numbers (scores from 1 to "
            f"{scale_max}) for {func}. Got dtype {s.dtype} instead."
        )
    answered = s.notna()
    bad = int((answered & ((s < 1) | (s > scale_max) | (s % 1 != 0))).sum())
    if bad:
        raise ValueError(
            f"The {score!r} column of 'surveys' has {bad} score(s) that are not whole "
            f"numbers from 1 to {scale_max} ({func}); check scale_max."
        )
    if method == "mean":
        num = s.where(answered, 0)
    else:
        num = (s >= scale_max - 1).astype(int)
    return _ratio(num, answered.astype(int), data=surveys, keys=keys, name=func, func=func,
                  what="survey answers")


def fcr_by_survey(
    calls: pd.DataFrame,
    surveys: pd.DataFrame,
    *,
    method: str = "all_surveyed",
    by: Hashable | Sequence[Hashable] | None = None,
    call_id: str = "call_id",
    resolved: str = "resolved",
    issue: str = "issue_id",
    time: str = "arrival_time",
    answered: str | None = "answered",
) -> float | pd.DataFrame:
    """First-call resolution (FCR, 首次呼叫解决率) as callers report it in a survey.

    Parameters
    ----------
    calls : DataFrame
        The calls table. Only surveys of calls in it are counted, so pass a filtered
        table (one queue, one month) to get FCR for that slice.
    surveys : DataFrame
        The surveys table: one row per surveyed call. NaN in ``resolved`` means the
        caller skipped the question and is left out.
    method : {"all_surveyed", "first_contact"}, default "all_surveyed"
        ``"all_surveyed"``: every surveyed call. ``"first_contact"``: only surveys of
        the first *answered* call about each issue (earliest ``time`` per ``issue``
        among the answered calls in ``calls``; an abandoned call before it is not a
        contact, as in :func:`fcr_by_repeats` and ``aht(method="per_issue")``).
    by : column name or list of column names, optional
        Group the result by columns of ``calls`` or ``surveys`` (``"agent_id"``).
    call_id : str, default "call_id"
        Key joining the two tables (unique in each).
    resolved : str, default "resolved"
        The caller's yes/no answer to "was your issue fully resolved?" (surveys).
    issue, time : str
        Issue and arrival time of each call (``method="first_contact"`` only).
    answered : str or None, default "answered"
        True/False per call (``method="first_contact"`` only): only answered calls are
        contacts, so an issue whose first call was abandoned starts at its first
        answered call. ``None`` uses every row.

    Returns
    -------
    float or DataFrame
        FCR, a fraction between 0 and 1; with ``by``, one row per group with
        ``numerator`` ("yes" answers), ``denominator`` (answers) and ``fcr_by_survey``.

    Notes
    -----
    ``FCR = callers answering "yes, fully resolved" / callers answering``.

    Asking the caller is the simplest measure and the one closest to the customer's
    view (a post-call IVR, e-mail or phone survey). Its weaknesses: few callers answer
    and they are not a random sample; callers say "resolved" before they discover the
    fix did not work; and a "yes" on a *repeat* call is not first-call resolution --
    ``method="first_contact"`` counts only surveys of an issue's first call. Compare
    with :func:`fcr_by_repeats`, the operational estimate from repeat calls; the two
    usually disagree, and the gap is itself worth a coaching conversation. Around 70 %
    is average and 80 % or more excellent.

    References
    ----------
    .. [1] "First call resolution", Wikipedia,
       https://en.wikipedia.org/wiki/First_call_resolution

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> calls = pd.DataFrame({"call_id": [1, 2, 3, 4], "agent_id": ["a1", "a1", "a2", "a2"]})
    >>> surveys = pd.DataFrame({"call_id": [1, 2, 3], "resolved": [True, False, True]})
    >>> round(kpi.fcr_by_survey(calls, surveys), 4)
    0.6667
    >>> kpi.fcr_by_survey(calls, surveys, by="agent_id")
      agent_id  numerator  denominator  fcr_by_survey
    0       a1          1            2            0.5
    1       a2          1            1            1.0

    On the bundled calls and surveys tables:

    >>> from callcoach import datasets
    >>> calls = datasets.load("calls")
    >>> surveys = datasets.load("surveys")
    >>> round(kpi.fcr_by_survey(calls, surveys), 3)
    0.829
    >>> round(kpi.fcr_by_survey(calls, surveys, method="first_contact"), 3)
    0.829
    >>> kpi.fcr_by_survey(calls, surveys, by="queue").round(3)
           queue  numerator  denominator  fcr_by_survey
    0    billing      15986        19295          0.829
    1      plans       8590        10054          0.854
    2  technical      11576        14237          0.813
    """
    func = "fcr_by_survey"
    calls = _check_frame(calls, func, "calls")
    surveys = _check_frame(surveys, func, "surveys")
    _check_option(method, "method", ("all_surveyed", "first_contact"), func)
    need = {"call_id": call_id}
    hint = ""
    if method == "first_contact":
        need.update(issue=issue, time=time)
        if answered is not None:
            need["answered"] = answered
            hint = " Pass answered=None if every row of 'calls' is an answered call."
    _require(calls, need, func, "calls", hint=hint)
    _require(surveys, {"call_id": call_id, "resolved": resolved}, func, "surveys")
    for name, table in (("calls", calls), ("surveys", surveys)):
        dup = int(table[call_id].duplicated().sum())
        if dup:
            raise ValueError(
                f"The {call_id!r} column of {name!r} has {dup} duplicated value(s); "
                f"{func} needs one row per call in each table."
            )
    base = calls
    if method == "first_contact":
        _datetimes(calls, time, func, "calls")
        contacts = calls
        if answered is not None:
            # an abandoned call is not a contact: the issue starts at its first answer
            contacts = calls.loc[_boolean(calls, answered, func, "calls")]
        order = contacts.sort_values(time, kind="mergesort")
        first_ids = order.loc[~order[issue].duplicated(), call_id]
        base = calls.loc[calls[call_id].isin(first_ids)]
    extra = [c for c in surveys.columns if c not in base.columns and c != resolved]
    sv = surveys[[call_id, resolved, *extra]].rename(columns={resolved: "__resolved"})
    merged = base.merge(sv, on=call_id, how="inner")
    if merged.empty:
        raise ValueError(
            f"None of the surveys matches a call in 'calls' ({func}); check that both "
            f"tables use the same {call_id!r} values."
        )
    keys = _by_list(by, merged, func, "calls or surveys")
    r = merged["__resolved"]
    answered = r.notna()
    if not r[answered].isin([True, False]).all():
        raise TypeError(
            f"The {resolved!r} column of 'surveys' must hold True/False (or NaN for no "
            f"answer) for {func}. Got values such as {r[answered].iloc[0]!r} instead."
        )
    yes = (answered & (r == True)).astype(int)  # noqa: E712 - NaN-safe comparison
    return _ratio(yes, answered.astype(int), data=merged, keys=keys, name=func, func=func,
                  what="survey answers about resolution")


def fcr_by_repeats(
    calls: pd.DataFrame,
    *,
    window_days: float = 7,
    complete_windows_only: bool = False,
    by: Hashable | Sequence[Hashable] | None = None,
    customer: str = "customer_id",
    reason: str = "reason",
    time: str = "arrival_time",
    answered: str | None = "answered",
) -> float | pd.DataFrame:
    """First-call resolution (FCR) estimated from repeat calls.

    Parameters
    ----------
    calls : DataFrame
        The calls table.
    window_days : float, default 7
        Days after a call within which another call by the same customer about the same
        reason makes it a repeat. The window is inclusive: a call exactly 7 days later
        is a repeat.
    complete_windows_only : bool, default False
        If True, leave out first contacts whose window runs past the last call in the
        table (their repeats, if any, are not in the data yet).
    by : column name or list of column names, optional
        Group the result; each issue belongs to the group of its first contact (so
        ``by="agent_id"`` credits the agent who took the first call).
    customer, reason, time : str
        Caller, call reason (contact driver) and arrival time of each call.
    answered : str or None, default "answered"
        True/False per call; only answered calls are contacts. ``None`` uses every row.

    Returns
    -------
    float or DataFrame
        FCR, a fraction between 0 and 1; with ``by``, one row per group with
        ``numerator`` (first contacts not repeated), ``denominator`` (first contacts)
        and ``fcr_by_repeats``.

    Notes
    -----
    Calls are grouped by customer and reason and read in time order. A call is a
    **repeat** if the same customer called about the same reason at most
    ``window_days`` earlier; otherwise it is a **first contact** (a new issue). A first
    contact is **resolved** if no repeat follows it::

        FCR = first contacts with no call (same customer, same reason) within the
              window after them / first contacts

    Repeats chain: with calls on days 0, 5 and 11, the call on day 11 is a repeat of the
    one on day 5, so all three are one issue. The choice of window is a convention:
    1 day (strict, for simple requests), 3, 7 (the most common), 14 or 30 days (for
    billing questions that resurface with the next bill). Longer windows give lower
    FCR; a trend is only comparable under one window.

    Known biases: a customer calling from another number or about an issue filed under
    another reason looks like a new first contact (FCR too high); an unrelated call with
    the same reason looks like a repeat (FCR too low); first contacts near the end of
    the data have not had time to be repeated (use ``complete_windows_only=True``).
    The simulator's ``issue_id`` is the ground truth this estimate tries to recover;
    it is not used here. Compare with :func:`fcr_by_survey`.

    References
    ----------
    .. [1] "First call resolution", Wikipedia (no-repeat-call windows of 1-30 days),
       https://en.wikipedia.org/wiki/First_call_resolution

    Examples
    --------
    Customer 1 calls again about billing 3 days later (not resolved); customer 2's
    second call is about another reason, so both are resolved first contacts:

    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> calls = pd.DataFrame({
    ...     "customer_id": [1, 1, 2, 2],
    ...     "reason": ["billing", "billing", "billing", "plans"],
    ...     "arrival_time": pd.to_datetime(["2025-03-01", "2025-03-04",
    ...                                     "2025-03-01", "2025-03-02"]),
    ...     "answered": [True, True, True, True]})
    >>> round(kpi.fcr_by_repeats(calls), 4)
    0.6667
    >>> kpi.fcr_by_repeats(calls, window_days=1)
    1.0

    On the bundled calls table: the usual 7-day window, a strict 1-day one and a
    30-day one, then per queue (compare :func:`fcr_by_survey` on the same calls):

    >>> from callcoach import datasets
    >>> calls = datasets.load("calls")
    >>> round(kpi.fcr_by_repeats(calls), 3)
    0.787
    >>> round(kpi.fcr_by_repeats(calls, window_days=1), 3)
    0.959
    >>> round(kpi.fcr_by_repeats(calls, window_days=30), 3)
    0.771
    >>> kpi.fcr_by_repeats(calls, by="queue").round(3)
           queue  numerator  denominator  fcr_by_repeats
    0    billing     120197       153498           0.783
    1      plans      70039        84535           0.829
    2  technical      82708       108809           0.760
    """
    func = "fcr_by_repeats"
    calls = _check_frame(calls, func, "calls")
    _check_positive(window_days, "window_days", func)
    if not isinstance(complete_windows_only, (bool, np.bool_)):
        raise TypeError(
            f"The 'complete_windows_only' parameter of {func} must be True or False. "
            f"Got {complete_windows_only!r} instead."
        )
    cols = {"customer": customer, "reason": reason, "time": time}
    if answered is not None:
        cols["answered"] = answered
    _require(calls, cols, func, "calls")
    keys = _by_list(by, calls, func, "calls")
    _datetimes(calls, time, func, "calls")
    for kw in ("customer", "reason", "time"):
        n_missing = int(calls[cols[kw]].isna().sum())
        if n_missing:
            raise ValueError(
                f"The {cols[kw]!r} column of 'calls' has {n_missing} missing value(s); "
                f"{func} cannot tell whether those calls were repeated. Drop or fill them "
                f"first."
            )
    df = calls
    if answered is not None:
        df = calls.loc[_boolean(calls, answered, func, "calls")]
        if df.empty:
            raise ValueError(
                f"{func} found no answered call in column {answered!r} of 'calls' (all "
                f"{len(calls)} row(s) are False); expected at least one True. Pass "
                f"answered=None if every row is an answered call."
            )
    df = df.sort_values([customer, reason, time], kind="mergesort")
    g = df.groupby([customer, reason], sort=False, dropna=False)[time]
    gap_before = df[time] - g.shift(1)
    gap_after = g.shift(-1) - df[time]
    window = pd.Timedelta(days=window_days)
    first = gap_before.isna() | (gap_before > window)
    repeated = gap_after.notna() & (gap_after <= window)
    if complete_windows_only:
        first = first & (df[time] + window <= calls[time].max())
    resolved = first & ~repeated
    what = "first contacts with a complete window" if complete_windows_only else "first contacts"
    return _ratio(resolved.astype(int), first.astype(int), data=df, keys=keys, name=func,
                  func=func, what=what)


def followup_completion_rate(
    followups: pd.DataFrame,
    *,
    method: str = "on_time",
    as_of: Any = None,
    by: Hashable | Sequence[Hashable] | None = None,
    due: str = "due_at",
    completed: str = "completed_at",
    promised: str | None = "promised_at",
) -> float | pd.DataFrame:
    """Follow-up completion rate (交办事项达标率): the 3A "Available" measure.

    Parameters
    ----------
    followups : DataFrame
        The followups table: one row per promise made to a customer.
    method : {"on_time", "at_all"}, default "on_time"
        ``"on_time"``: completed no later than the due time. ``"at_all"``: completed at
        any time (late completions count).
    as_of : datetime-like, optional
        Report date: only promises due by then are counted, and only completions
        recorded by then; promises not yet due are neither kept nor broken. By default
        it is the data's as-of time, the latest timestamp in the table: the later of
        the latest ``promised`` and the latest ``completed`` time (the extract cannot
        have been taken before the last thing it records). Pass a date to report as of
        another time.
    by : column name or list of column names, optional
        Group the result (``"agent_id"``).
    due, completed : str
        Due time and completion time (NaT if never completed) of each promise.
    promised : str or None, default "promised_at"
        Time each promise was made. Used only to find the default ``as_of``, and only
        if the table has this column; ``None`` ignores it.

    Returns
    -------
    float or DataFrame
        The rate, a fraction between 0 and 1; with ``by``, one row per group with
        ``numerator`` (promises kept), ``denominator`` (promises due) and
        ``followup_completion_rate``.

    Notes
    -----
    ``on_time = promises completed by their due time / promises due``;
    ``at_all = promises completed / promises due``. A completion exactly at the due
    time is on time. The denominator is the promises *made and due* by ``as_of``,
    never the tasks completed: a promise due after the data's as-of time cannot have
    been broken yet, so it is left out rather than counted as a miss.

    In the 3A model a forgotten promise is seen by the customer as *the company*
    forgetting, and comes back as a complaint costing many times the original work.
    The gap between ``at_all`` and ``on_time`` is the late work; promises never
    completed are the complaints waiting to happen. Managers have to leave agents time
    for follow-ups (see :func:`shrinkage`) and track this rate.

    Examples
    --------
    The data runs to 6 March (the last promise was made then), so the promise due on
    10 March is not due yet and is left out: one of three promises was kept on time,
    two at all.

    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> followups = pd.DataFrame({
    ...     "promised_at": pd.to_datetime(["2025-03-01", "2025-03-01", "2025-03-02",
    ...                                    "2025-03-06"]),
    ...     "due_at": pd.to_datetime(["2025-03-03", "2025-03-03", "2025-03-04",
    ...                               "2025-03-10"]),
    ...     "completed_at": pd.to_datetime(["2025-03-02", "2025-03-05", None,
    ...                                     None])})
    >>> round(kpi.followup_completion_rate(followups), 4)
    0.3333
    >>> round(kpi.followup_completion_rate(followups, method="at_all"), 4)
    0.6667

    A month later the fourth promise is due too, and broken:

    >>> kpi.followup_completion_rate(followups, as_of="2025-04-06")
    0.25

    On the bundled followups table, on time and at all, then on time per kind of
    promise:

    >>> from callcoach import datasets
    >>> followups = datasets.load("followups")
    >>> round(kpi.followup_completion_rate(followups), 3)
    0.691
    >>> round(kpi.followup_completion_rate(followups, method="at_all"), 3)
    0.784
    >>> kpi.followup_completion_rate(followups, by="kind").round(3)
                  kind  numerator  denominator  followup_completion_rate
    0         callback      37487        54014                     0.694
    1             mail       8434        12321                     0.685
    2  test_and_report      11506        16756                     0.687
    """
    func = "followup_completion_rate"
    followups = _check_frame(followups, func, "followups")
    _check_option(method, "method", ("on_time", "at_all"), func)
    keys = _by_list(by, followups, func, "followups")
    _require(followups, {"due": due, "completed": completed}, func, "followups")
    due_s = _datetimes(followups, due, func, "followups")
    done_at = _datetimes(followups, completed, func, "followups")
    n_missing = int(due_s.isna().sum())
    if n_missing:
        raise ValueError(
            f"The {due!r} column of 'followups' has {n_missing} missing value(s); every "
            f"promise needs a due time for {func}."
        )
    if as_of is None:
        as_of = followups_as_of(followups, completed=completed, promised=promised)
    try:
        as_of = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        raise ValueError(
            f"The 'as_of' parameter of {func} must be a date or datetime. "
            f"Got {as_of!r} instead."
        ) from None
    counted = due_s <= as_of
    done_at = done_at.where(done_at <= as_of)
    done = done_at.notna()
    if method == "on_time":
        done = done & (done_at <= due_s)
    return _ratio((done & counted).astype(int), counted.astype(int), data=followups,
                  keys=keys, name=func, func=func, what="follow-ups due")


# ------------------------------------------------------------------ aggregation

_INTERVAL_KPIS = {
    "service_level": service_level,
    "abandonment_rate": abandonment_rate,
    "asa": asa,
    "aht": aht,
    "occupancy": occupancy,
    "utilization": utilization,
}
_DEFAULT_KPIS = ("offered", "service_level", "abandonment_rate", "asa", "aht", "occupancy")


def followups_as_of(
    followups: pd.DataFrame,
    *,
    completed: str = "completed_at",
    promised: str | None = "promised_at",
) -> pd.Timestamp:
    """The moment a followups table was taken: the latest time it records.

    :func:`followup_completion_rate` reports at this moment when it is not given
    ``as_of``: the later of the last completion and the last promise made.

    Parameters
    ----------
    followups : DataFrame
        One row per promise.
    completed : str, default "completed_at"
        Column of completion times (NaT when not done).
    promised : str or None, default "promised_at"
        Column of the times promises were made; None, or a table without it, uses
        completions only.

    Returns
    -------
    pandas.Timestamp

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> table = pd.DataFrame({"promised_at": pd.to_datetime(["2026-05-01 09:00", "2026-05-02 10:00"]),
    ...                       "completed_at": pd.to_datetime(["2026-05-01 15:00", None])})
    >>> kpi.followups_as_of(table)
    Timestamp('2026-05-02 10:00:00')
    """
    func = "followups_as_of"
    followups = _check_frame(followups, func, "followups")
    _require(followups, {"completed": completed}, func, "followups")
    stamps = [_datetimes(followups, completed, func, "followups").max()]
    if promised is not None and promised in followups.columns:
        stamps.append(_datetimes(followups, promised, func, "followups").max())
    stamps = [t for t in stamps if not pd.isna(t)]
    if not stamps:
        raise ValueError(
            f"{func} found no time in 'followups' to report at: it found no completion time in "
            f"column {completed!r} and no time in column {promised!r}; expected at least one "
            f"timestamp to tell which promises are due. Pass the report date as as_of=."
        )
    return pd.Timestamp(max(stamps))


def _period_labels(ts: pd.Series, freq: str, func: str) -> pd.Series:
    _check_option(freq, "freq", tuple(_FREQS), func)
    if _FREQS[freq] is None:
        return ts.dt.floor(freq)
    tz = ts.dt.tz
    naive = ts.dt.tz_localize(None) if tz is not None else ts
    labels = naive.dt.to_period(_FREQS[freq]).dt.start_time
    return labels.dt.tz_localize(tz) if tz is not None else labels


def _kpi_specs(kpis: Any, func: str) -> list[tuple[str, str, dict]]:
    """Normalise ``kpis`` to (output column, KPI or column name, options) triples."""
    if isinstance(kpis, str):
        kpis = [kpis]
    if isinstance(kpis, Mapping):
        items = list(kpis.items())
    elif isinstance(kpis, Sequence):
        items = [(k, {}) for k in kpis]
    else:
        raise TypeError(
            f"The 'kpis' parameter of {func} must be a list of KPI names or a dict of "
            f"name -> options. Got {type(kpis).__name__} instead."
        )
    if not items:
        raise ValueError(f"The 'kpis' parameter of {func} must name at least one KPI. Got none.")
    specs = []
    for out_name, opts in items:
        opts = dict(opts or {})
        name = opts.pop("kpi", out_name)
        for forbidden in ("by", "table"):
            if forbidden in opts:
                raise ValueError(
                    f"The options for {out_name!r} in the 'kpis' parameter of {func} "
                    f"cannot set {forbidden!r}; {func} sets it."
                )
        specs.append((out_name, name, opts))
    return specs


def aggregate(
    intervals: pd.DataFrame,
    *,
    freq: str = "D",
    by: Hashable | Sequence[Hashable] | None = None,
    kpis: Sequence[str] | Mapping[str, Mapping[str, Any]] = _DEFAULT_KPIS,
    time: str = "interval_start",
) -> pd.DataFrame:
    """Daily, weekly or monthly KPIs from interval counts, weighted by volume.

    Parameters
    ----------
    intervals : DataFrame
        The intervals table.
    freq : {"30min", "h", "D", "W", "MS", "QS", "YS"}, default "D"
        Reporting period: half hour, hour, day, week (Monday to Sunday), month,
        quarter or year. Each period is labelled by its start.
    by : column name or list of column names, optional
        Further grouping, for example ``"queue"``.
    kpis : list of str or dict, default ("offered", "service_level", \
"abandonment_rate", "asa", "aht", "occupancy")
        What to report. A KPI name (``service_level``, ``abandonment_rate``, ``asa``,
        ``aht``, ``occupancy``, ``utilization``) is computed from the summed counts; any
        other name must be a numeric column, which is summed (``"offered"``). A dict
        maps an output column to options for the KPI function, with ``"kpi"`` naming
        the function when the output name is not a KPI name:
        ``{"sl_offered": {"kpi": "service_level", "method": "offered"}}``.
    time : str, default "interval_start"
        Start time of each interval.

    Returns
    -------
    DataFrame
        One row per period (and group): ``period`` (start of the period), the ``by``
        columns and one column per entry of ``kpis``. A period with a 0 denominator for
        a KPI gets NaN in that column.

    Notes
    -----
    The right way to get a daily (or monthly) rate is to add up the numerators and the
    denominators of all the intervals, then divide once:
    ``SL_day = sum(answered within 20 s) / sum(answered)``. This weights every interval
    by its volume, so the daily figure is the share of the day's *callers* who were
    served on time. Each KPI is computed by its own function (:func:`service_level`
    and so on) with ``by=["period", *by]``, so the formula lives in one place.

    :func:`mean_of_interval_rates` shows the common wrong way (averaging the interval
    percentages) for comparison. Weighting by volume does not hide bad intervals from
    view -- it just reports them at their true weight; look at the intervals
    themselves (a :func:`p_chart`) to see *when* callers waited.

    Examples
    --------
    A busy morning interval and a quiet evening one:

    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> intervals = pd.DataFrame({
    ...     "interval_start": pd.to_datetime(["2025-03-03 09:00", "2025-03-03 21:00"]),
    ...     "answered": [100, 10], "answered_within_threshold": [90, 2]})
    >>> kpi.aggregate(intervals, kpis=["answered", "service_level"])
          period  answered  service_level
    0 2025-03-03       110       0.836364
    >>> kpi.mean_of_interval_rates(intervals)
          period  service_level
    0 2025-03-03           0.55

    Monthly figures from the bundled intervals table, and the service level under two
    formulas side by side (a dict names each output column):

    >>> from callcoach import datasets
    >>> intervals = datasets.load("intervals")
    >>> intervals = intervals[intervals["interval_start"] >= "2026-03-02"]  # the last quarter
    >>> monthly = kpi.aggregate(intervals, freq="MS",
    ...                         kpis=["offered", "service_level", "asa", "occupancy"])
    >>> monthly.round({"service_level": 3, "asa": 1, "occupancy": 3})
          period  offered  service_level   asa  occupancy
    0 2026-03-01   171116          0.821  16.9      0.795
    1 2026-04-01   152478          0.824  16.6      0.773
    2 2026-05-01   143818          0.804  19.2      0.794
    >>> kpi.aggregate(intervals, freq="MS", kpis={
    ...     "sl_answered": {"kpi": "service_level"},
    ...     "sl_offered": {"kpi": "service_level", "method": "offered"},
    ... }).round({"sl_answered": 3, "sl_offered": 3})
          period  sl_answered  sl_offered
    0 2026-03-01        0.821       0.773
    1 2026-04-01        0.824       0.777
    2 2026-05-01        0.804       0.750
    """
    func = "aggregate"
    intervals = _check_frame(intervals, func, "intervals")
    specs = _kpi_specs(kpis, func)
    _require(intervals, {"time": time}, func, "intervals")
    stamps = _datetimes(intervals, time, func, "intervals")
    keys = _by_list(by, intervals, func, "intervals")
    if "period" in keys:
        raise ValueError(
            f"The 'by' parameter of {func} cannot include 'period'; {func} creates that "
            f"column from {time!r} and freq."
        )
    df = intervals.assign(period=_period_labels(stamps, freq, func))
    group = ["period", *keys]
    out = None
    for out_name, name, opts in specs:
        if name in _INTERVAL_KPIS:
            res = _INTERVAL_KPIS[name](df, by=group, **opts)
            part = res[group + [name]].rename(columns={name: out_name})
        elif name in df.columns and not opts:
            values = _numeric(df, name, func, "values to sum", "intervals")
            part = (
                values.groupby([df[k] for k in group], dropna=False, sort=True)
                .sum()
                .rename(out_name)
                .reset_index()
            )
        else:
            known = ", ".join(repr(k) for k in _INTERVAL_KPIS)
            raise KeyError(
                f"The 'kpis' parameter of {func} names {name!r}, which is neither a KPI "
                f"({known}) nor a column of 'intervals' to sum."
            )
        out = part if out is None else out.merge(part, on=group, how="outer")
    return out.sort_values(group, kind="mergesort").reset_index(drop=True)


def mean_of_interval_rates(
    intervals: pd.DataFrame,
    *,
    kpi: str = "service_level",
    freq: str = "D",
    by: Hashable | Sequence[Hashable] | None = None,
    time: str = "interval_start",
    **options: Any,
) -> pd.DataFrame:
    """The common WRONG way to roll up a KPI: the plain mean of the interval rates.

    Kept for teaching, so a learner can put the spreadsheet figure beside the right one
    (:func:`aggregate`) and see why they differ. Do not report it.

    Parameters
    ----------
    intervals : DataFrame
        The intervals table.
    kpi : {"service_level", "abandonment_rate", "asa", "aht", "occupancy", \
"utilization"}, default "service_level"
        KPI computed for each row, then averaged.
    freq : {"30min", "h", "D", "W", "MS", "QS", "YS"}, default "D"
        Reporting period, as in :func:`aggregate`.
    by : column name or list of column names, optional
        Further grouping.
    time : str, default "interval_start"
        Start time of each interval.
    **options
        Passed to the KPI function (``method=``, column names...).

    Returns
    -------
    DataFrame
        One row per period (and group): ``period``, the ``by`` columns and the mean of
        the per-row KPI values, in a column named after ``kpi``.

    Notes
    -----
    ``wrong = mean over intervals of (numerator_i / denominator_i)`` versus
    ``right = sum of numerator_i / sum of denominator_i``.

    Why it is wrong: the mean gives a 21:00 interval with 10 calls the same weight as a
    09:00 interval with 100, so the figure describes no caller's experience. Because
    quiet intervals are usually the well-served ones, it flatters a centre that is
    understaffed at the peak -- or, as in the example, punishes it for a quiet interval
    that went badly. Intervals with no calls have no rate at all and silently drop out
    of the mean. The same error appears when monthly figures are averaged from daily
    percentages, or a centre's figure from team percentages. The two agree only when
    every interval has the same volume.

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> intervals = pd.DataFrame({
    ...     "interval_start": pd.to_datetime(["2025-03-03 09:00", "2025-03-03 21:00"]),
    ...     "answered": [100, 10], "answered_within_threshold": [90, 2]})
    >>> kpi.mean_of_interval_rates(intervals)          # (0.90 + 0.20) / 2: wrong
          period  service_level
    0 2025-03-03           0.55
    >>> kpi.aggregate(intervals, kpis=["service_level"])  # 92 / 110: right
          period  service_level
    0 2025-03-03       0.836364

    Monthly ASA from the bundled intervals table, both ways: quiet intervals, where
    the few callers waited long, get the same weight as busy ones and inflate the
    wrong figure:

    >>> from callcoach import datasets
    >>> intervals = datasets.load("intervals")
    >>> intervals = intervals[intervals["interval_start"] >= "2026-03-02"]  # the last quarter
    >>> wrong = kpi.mean_of_interval_rates(intervals, kpi="asa", freq="MS")
    >>> right = kpi.aggregate(intervals, freq="MS", kpis=["asa"])
    >>> both = wrong.merge(right, on="period", suffixes=("_wrong", "_right"))
    >>> both.round({"asa_wrong": 1, "asa_right": 1})
          period  asa_wrong  asa_right
    0 2026-03-01       25.9       16.9
    1 2026-04-01       24.8       16.6
    2 2026-05-01       27.3       19.2
    """
    func = "mean_of_interval_rates"
    intervals = _check_frame(intervals, func, "intervals")
    _check_option(kpi, "kpi", tuple(_INTERVAL_KPIS), func)
    for forbidden, why in (("by", "pass by= to group the periods"),
                           ("table", "it always reads the intervals table")):
        if forbidden in options:
            raise ValueError(
                f"The options of {func} must not include {forbidden!r}: {func} sets it itself "
                f"when it calls {kpi} ({why}). Got {forbidden}={options[forbidden]!r} "
                f"instead."
            )
    _require(intervals, {"time": time}, func, "intervals")
    stamps = _datetimes(intervals, time, func, "intervals")
    keys = _by_list(by, intervals, func, "intervals")
    if "period" in keys:
        raise ValueError(
            f"The 'by' parameter of {func} must not include 'period'; {func} creates that "
            f"column from {time!r} and freq. Got by={by!r} instead."
        )
    df = intervals.assign(
        period=_period_labels(stamps, freq, func), _row=np.arange(len(intervals))
    )
    per_row = _INTERVAL_KPIS[kpi](df, by=["_row", "period", *keys], **options)
    out = (
        per_row.groupby(["period", *keys], dropna=False, sort=True)[kpi]
        .mean()
        .reset_index()
    )
    return out


# --------------------------------------------------------- changes and alarms


def _as_frame(
    data: Any, func: str, time: str, keys_arg: Any
) -> tuple[pd.DataFrame, str, list]:
    """Accept a Series (index = time) or a DataFrame; return frame, time column, keys."""
    if isinstance(data, pd.Series):
        if len(data) == 0:
            raise ValueError(f"The 'data' series passed to {func} is empty.")
        name = data.name if data.name is not None else "value"
        frame = data.rename(name).rename_axis(time).reset_index()
        return frame, time, _by_list(keys_arg, frame, func)
    data = _check_frame(data, func)
    _require(data, {"time": time}, func)
    return data, time, _by_list(keys_arg, data, func)


def period_change(
    data: pd.Series | pd.DataFrame,
    *,
    period: str = "mom",
    time: str = "period",
    by: Hashable | Sequence[Hashable] | None = None,
    kpis: Sequence[str] | None = None,
    rates: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Month-over-month (环比) and year-over-year (同比) changes of KPIs.

    Parameters
    ----------
    data : Series or DataFrame
        KPI values per period: a Series indexed by period start, or a tidy DataFrame
        such as the output of :func:`aggregate` (one row per period and group).
    period : {"mom", "yoy", "wow"}, default "mom"
        Compare each period with the same period one month, one year or one week
        earlier.
    time : str, default "period"
        Period-start column (datetimes) of a DataFrame.
    by : column name or list of column names, optional
        Group columns: each group is compared with itself.
    kpis : list of str, optional
        Value columns to compare; by default every numeric column other than ``time``
        and ``by``.
    rates : list of str, optional
        Which of them are rates (fractions), reported in percentage points as well. By
        default the columns named after a rate KPI (``service_level``,
        ``abandonment_rate``, ``occupancy``, ``fcr_by_repeats``...).

    Returns
    -------
    DataFrame
        Tidy, one row per period, group and KPI: ``time``, the ``by`` columns, ``kpi``,
        ``value``, ``previous`` (value in the comparison period; NaN if that period is
        not in the data), ``change`` (``value - previous``, in the KPI's own units),
        ``change_pp`` (the change in percentage points for rates, NaN otherwise) and
        ``relative_change`` (``change / previous``; NaN when previous is 0).

    Notes
    -----
    For volumes and times (calls offered, AHT) the relative change is the natural
    figure: "calls up 12 % on last month". For rates compare in **percentage points**:
    a service level going from 80 % to 72 % is a fall of 8 points (``change_pp =
    -8``), which is also a 10 % relative fall -- saying "service level fell 10 %" is
    ambiguous, so report points.

    Month-over-month (环比) shows the recent direction but mixes in seasonality
    (December is not November); year-over-year (同比) compares like season with like,
    but a year is a long time (new products, new staff, a disruption a year ago). The
    comparison period is found by calendar arithmetic (``period - 1 month``), so use it
    on monthly figures (``aggregate(freq="MS")``); for daily figures, year-over-year
    compares different weekdays. A change is news only if it is larger than the
    period-to-period noise: see :func:`xmr_chart`.

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> monthly = pd.DataFrame({
    ...     "period": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]),
    ...     "offered": [10000, 11200, 11200], "service_level": [0.80, 0.72, 0.81]})
    >>> change = kpi.period_change(monthly, period="mom")
    >>> change[["period", "kpi", "value", "change_pp", "relative_change"]]
          period            kpi     value  change_pp  relative_change
    0 2025-01-01        offered  10000.00        NaN              NaN
    1 2025-02-01        offered  11200.00        NaN            0.120
    2 2025-03-01        offered  11200.00        NaN            0.000
    3 2025-01-01  service_level      0.80        NaN              NaN
    4 2025-02-01  service_level      0.72       -8.0           -0.100
    5 2025-03-01  service_level      0.81        9.0            0.125

    Year over year per queue from the bundled monthly table, whose period column is
    called ``month``:

    >>> from callcoach import datasets
    >>> monthly = datasets.load("monthly")
    >>> change = kpi.period_change(monthly, period="yoy", time="month", by="queue",
    ...                            kpis=["service_level"])
    >>> latest = change.loc[change["month"] == "2026-05-01"]
    >>> latest[["queue", "value", "previous", "change_pp"]].round(3)
            queue  value  previous  change_pp
    23    billing  0.791     0.794      -0.26
    47      plans  0.798     0.804      -0.60
    71  technical  0.826     0.821       0.51
    """
    func = "period_change"
    _check_option(period, "period", tuple(_PERIOD_OFFSETS), func)
    if isinstance(data, pd.Series) and not pd.api.types.is_datetime64_any_dtype(data.index):
        raise TypeError(
            f"The index of the 'data' series passed to {func} must hold period starts "
            f"(datetimes). Got dtype {data.index.dtype} instead."
        )
    frame, time, keys = _as_frame(data, func, time, by)
    _datetimes(frame, time, func)
    if kpis is None:
        kpis = [
            c for c in frame.columns
            if c != time and c not in keys
            and pd.api.types.is_numeric_dtype(frame[c])
            and not pd.api.types.is_bool_dtype(frame[c])
        ]
        if not kpis:
            others = [c for c in frame.columns if c != time and c not in keys]
            raise ValueError(
                f"{func} found no numeric KPI column in 'data' (its other columns are "
                f"{others}); expected at least one column of numbers besides {time!r} and "
                f"the by= columns. Pass the KPI columns with kpis=."
            )
    else:
        kpis = [kpis] if isinstance(kpis, str) else list(kpis)
        _require(frame, {f"kpis[{i}]": k for i, k in enumerate(kpis)}, func)
    dup = int(frame.duplicated([time, *keys]).sum())
    if dup:
        raise ValueError(
            f"'data' has {dup} duplicated period(s) within a group; {func} needs one row "
            f"per period (and per group). Aggregate first, or pass the group columns "
            f"with by=."
        )
    rate_set = set(_RATE_KPIS if rates is None else ([rates] if isinstance(rates, str) else rates))
    long = frame.melt(id_vars=[time, *keys], value_vars=kpis, var_name="kpi",
                      value_name="value")
    long["value"] = long["value"].astype(float)
    long["_prev_time"] = long[time] - _PERIOD_OFFSETS[period]
    right = long[[time, *keys, "kpi", "value"]].rename(
        columns={time: "_prev_time", "value": "previous"}
    )
    out = long.merge(right, on=["_prev_time", *keys, "kpi"], how="left").drop(
        columns="_prev_time"
    )
    out["change"] = out["value"] - out["previous"]
    out["change_pp"] = (out["change"] * 100).where(out["kpi"].isin(rate_set))
    out["relative_change"] = out["change"] / out["previous"].where(out["previous"] != 0)
    order = {k: i for i, k in enumerate(kpis)}
    out = out.sort_values(
        ["kpi", *keys, time], key=lambda s: s.map(order) if s.name == "kpi" else s,
        kind="mergesort",
    )
    return out.reset_index(drop=True)


def _value_column(frame: pd.DataFrame, value: Any, time: str, keys: list, func: str) -> str:
    if value is not None:
        _require(frame, {"value": value}, func)
        return value
    candidates = [
        c for c in frame.columns
        if c != time and c not in keys and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]
    if len(candidates) != 1:
        raise ValueError(
            f"The 'value' parameter of {func} must name the column to check; 'data' has "
            f"numeric columns {candidates}. Got None instead."
        )
    return candidates[0]


def _baseline_mask(times: pd.Series, baseline: Any, func: str) -> pd.Series:
    if baseline is None:
        return pd.Series(True, index=times.index)
    if not isinstance(baseline, (tuple, list)) or len(baseline) != 2:
        raise ValueError(
            f"The 'baseline' parameter of {func} must be a (start, end) pair of dates. "
            f"Got {baseline!r} instead."
        )
    bounds = []
    for b in baseline:
        if b is None:
            bounds.append(None)
            continue
        try:
            stamp = pd.Timestamp(b)
        except (TypeError, ValueError):
            stamp = pd.NaT
        if pd.isna(stamp):
            raise ValueError(
                f"The 'baseline' parameter of {func} must be a (start, end) pair of dates, "
                f"such as ('2025-03-03', '2025-03-09'), or None for an open end. Got "
                f"{baseline!r} instead: {b!r} is not a date."
            )
        bounds.append(stamp)
    start, end = bounds
    mask = pd.Series(True, index=times.index)
    if start is not None:
        mask &= times >= start
    if end is not None:
        mask &= times <= end
    return mask


def _groups(frame: pd.DataFrame, keys: list):
    if not keys:
        yield None, frame
    else:
        yield from frame.groupby(keys, dropna=False, sort=True)


def threshold_alarm(
    data: pd.Series | pd.DataFrame,
    *,
    value: str | None = None,
    lower: float | None = None,
    upper: float | None = None,
    consecutive: int = 1,
    time: str = "period",
    by: Hashable | Sequence[Hashable] | None = None,
) -> pd.DataFrame:
    """Flag periods where a KPI is outside a fixed target band (an alarm rule).

    Parameters
    ----------
    data : Series or DataFrame
        KPI values per period (or per interval): a Series indexed by time, or a tidy
        DataFrame such as the output of :func:`aggregate`.
    value : str, optional
        Column to check; may be left out if ``data`` has a single numeric column
        besides ``time`` and ``by``.
    lower, upper : float, optional
        Alarm when the value is below ``lower`` or above ``upper`` (at least one).
    consecutive : int, default 1
        Raise the alarm only when this many periods in a row are outside the band.
    time : str, default "period"
        Time column of a DataFrame.
    by : column name or list of column names, optional
        Group columns; runs are counted within each group.

    Returns
    -------
    DataFrame
        Sorted by group and time: ``time``, the ``by`` columns, ``value``, ``lower``,
        ``upper``, ``breach`` (this period is outside the band) and ``flag`` (the alarm:
        ``consecutive`` breaches in a row, ending here). A missing value is never a
        breach.

    Notes
    -----
    A threshold rule ("alarm if the interval service level is below 80 %", "alarm if a
    repair is overdue") is easy to explain and to act on, and it is what monitoring
    screens in a crisis run on. Its weakness is that it ignores noise: a KPI that
    hovers at its target breaches half the time by chance, and chasing each breach
    makes the service inconsistent. Requiring ``consecutive`` breaches, or using
    control limits that come from the data's own variation (:func:`p_chart`,
    :func:`xmr_chart`), separates signals from noise.

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> daily = pd.Series([0.82, 0.78, 0.85, 0.76, 0.74],
    ...                   index=pd.date_range("2025-03-03", periods=5, freq="D"),
    ...                   name="service_level")
    >>> kpi.threshold_alarm(daily, lower=0.80, consecutive=2)
          period  value  lower  upper  breach   flag
    0 2025-03-03   0.82    0.8    NaN   False  False
    1 2025-03-04   0.78    0.8    NaN    True  False
    2 2025-03-05   0.85    0.8    NaN   False  False
    3 2025-03-06   0.76    0.8    NaN    True  False
    4 2025-03-07   0.74    0.8    NaN    True   True

    Daily service level from the bundled intervals table, alarming after two days in a
    row below 75 %. Nearly all the breaches fall on weekends: the rule points at the
    weekend staffing plan, not at bad luck.

    >>> from callcoach import datasets
    >>> intervals = datasets.load("intervals")
    >>> intervals = intervals[intervals["interval_start"] >= "2026-03-02"]  # the last quarter
    >>> daily = kpi.aggregate(intervals, kpis=["service_level"])
    >>> alarms = kpi.threshold_alarm(daily, lower=0.75, consecutive=2)
    >>> int(alarms["breach"].sum()), int(alarms["flag"].sum())
    (29, 16)
    >>> alarms[alarms["flag"]].head(3).round({"value": 3})
           period  value  lower  upper  breach  flag
    6  2026-03-08  0.505   0.75    NaN    True  True
    13 2026-03-15  0.336   0.75    NaN    True  True
    20 2026-03-22  0.373   0.75    NaN    True  True
    >>> weekend = alarms["period"].dt.day_of_week >= 5
    >>> int((alarms["breach"] & weekend).sum())
    26
    """
    func = "threshold_alarm"
    if lower is None and upper is None:
        raise ValueError(
            f"{func} needs a band: set the 'lower' parameter, the 'upper' parameter, or both."
        )
    for name, bound in (("lower", lower), ("upper", upper)):
        if bound is not None and (not _is_number(bound) or not np.isfinite(bound)):
            raise TypeError(
                f"The {name!r} parameter of {func} must be a number. Got {bound!r} instead."
            )
    if lower is not None and upper is not None and lower > upper:
        raise ValueError(
            f"The 'lower' parameter of {func} must not exceed upper ({upper!r}). "
            f"Got {lower!r} instead."
        )
    _check_positive_int(consecutive, "consecutive", func)
    frame, time, keys = _as_frame(data, func, time, by)
    col = _value_column(frame, value, time, keys, func)
    frame = frame.sort_values([*keys, time], kind="mergesort").reset_index(drop=True)
    v = frame[col].astype(float)
    lo = np.nan if lower is None else float(lower)
    hi = np.nan if upper is None else float(upper)
    breach = pd.Series(False, index=frame.index)
    if lower is not None:
        breach |= v < lo
    if upper is not None:
        breach |= v > hi
    block = (~breach).cumsum()
    run = breach.astype(int).groupby([*(frame[k] for k in keys), block], dropna=False).cumsum()
    out = frame[[time, *keys]].copy()
    out["value"] = v
    out["lower"] = lo
    out["upper"] = hi
    out["breach"] = breach
    out["flag"] = run >= consecutive
    return out


def p_chart(
    data: pd.DataFrame,
    *,
    numerator: str = "numerator",
    denominator: str = "denominator",
    time: str = "period",
    by: Hashable | Sequence[Hashable] | None = None,
    freq: str | None = None,
    method: str = "p",
    sigma: float = 3.0,
    baseline: tuple[Any, Any] | None = None,
) -> pd.DataFrame:
    """Control chart for a proportion with a varying count per point (p-chart).

    Parameters
    ----------
    data : DataFrame
        Counts per point: the grouped output of a rate KPI (``numerator`` and
        ``denominator`` columns, e.g. ``kpi.service_level(intervals, by=[...])``) or
        any table of counts, such as the intervals table with
        ``numerator="answered_within_threshold", denominator="answered"``.
    numerator, denominator : str
        Count columns; the numerator counts a subset of the denominator.
    time : str, default "period"
        Time column (each row is one point unless ``freq`` is given).
    by : column name or list of column names, optional
        One chart per group (each with its own centre line).
    freq : {"30min", "h", "D", "W", "MS", "QS", "YS"}, optional
        Sum the counts per period first (e.g. daily points from interval rows).
    method : {"p", "laney"}, default "p"
        ``"p"``: binomial limits. ``"laney"``: Laney's p' chart, which widens the
        limits by the between-point variation (see Notes).
    sigma : float, default 3.0
        Width of the limits in standard errors.
    baseline : (start, end), optional
        Compute the centre line (and Laney's adjustment) from points in this time
        range only (inclusive), then apply the limits to every point -- e.g. a stable
        quarter before a disruption.

    Returns
    -------
    DataFrame
        One row per point, sorted by group and time: ``time`` (``period`` if ``freq``
        is given), the ``by`` columns, ``numerator``, ``denominator``, ``value`` (the
        proportion), ``center``, ``lower``, ``upper`` and ``flag`` (outside the
        limits). A point with a 0 denominator has NaN value and limits and is never
        flagged.

    Notes
    -----
    With x_i calls met out of n_i at point i, the centre line is the weighted mean
    ``p = sum(x_i) / sum(n_i)`` and the limits are
    ``p +/- sigma * sqrt(p (1 - p) / n_i)``, clipped to [0, 1]: wider for quiet
    intervals, narrower for busy ones, which is why a quiet interval at 60 % may be
    noise while a busy one at 75 % is a signal.

    Calls in the same interval are not independent (one staffing shortfall delays
    everyone in the queue), so real service-level data vary more than the binomial
    model allows and a plain p-chart on large intervals flags too much. Laney's p'
    chart standardises each point, ``z_i = (p_i - p) / sqrt(p (1 - p) / n_i)``,
    estimates their spread from the average moving range, ``sigma_z = mean|z_i -
    z_(i-1)| / 1.128``, and multiplies the limits' width by ``sigma_z``.

    References
    ----------
    .. [1] D. C. Montgomery, *Introduction to Statistical Quality Control*, 8th ed.,
       Wiley, 2019 (the p chart with variable sample size).
    .. [2] D. B. Laney, "Improved control charts for attributes", *Quality
       Engineering* 14(4), 531-537, 2002.
    .. [3] Minitab, "Overdispersion and underdispersion" (Laney P' charts).

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> points = pd.DataFrame({
    ...     "period": pd.date_range("2025-03-03", periods=4, freq="D"),
    ...     "numerator": [40, 45, 30, 80], "denominator": [50, 50, 50, 100]})
    >>> kpi.p_chart(points).round({"lower": 4, "upper": 4})
          period  numerator  denominator  value  center   lower   upper   flag
    0 2025-03-03         40           50    0.8    0.78  0.6043  0.9557  False
    1 2025-03-04         45           50    0.9    0.78  0.6043  0.9557  False
    2 2025-03-05         30           50    0.6    0.78  0.6043  0.9557   True
    3 2025-03-06         80          100    0.8    0.78  0.6557  0.9043  False

    Daily points from the bundled intervals table, whose count columns need naming.
    With 850 to 2,600 answered calls a day the binomial limits are so narrow that
    nearly every day is flagged; Laney's limits, widened by the real day-to-day
    variation, flag only the worst day:

    >>> from callcoach import datasets
    >>> intervals = datasets.load("intervals")
    >>> intervals = intervals[intervals["interval_start"] >= "2026-03-02"]  # the last quarter
    >>> counts = dict(numerator="answered_within_threshold", denominator="answered",
    ...               time="interval_start", freq="D")
    >>> chart = kpi.p_chart(intervals, **counts)
    >>> len(chart), int(chart["flag"].sum())
    (91, 84)
    >>> laney = kpi.p_chart(intervals, **counts, method="laney")
    >>> laney[laney["flag"]].round({"value": 3, "center": 3, "lower": 3, "upper": 3})
           period  numerator  denominator  value  center  lower  upper  flag
    13 2026-03-15        897         2668  0.336   0.817  0.364    1.0  True
    """
    func = "p_chart"
    data = _check_frame(data, func)
    _check_option(method, "method", ("p", "laney"), func)
    _check_positive(sigma, "sigma", func)
    _require(data, {"numerator": numerator, "denominator": denominator, "time": time}, func)
    keys = _by_list(by, data, func)
    x = _numeric(data, numerator, func, "counts")
    n = _numeric(data, denominator, func, "counts")
    bad = int((x > n).sum())
    if bad:
        raise ValueError(
            f"The {numerator!r} column is larger than the {denominator!r} column in {bad} "
            f"row(s); a p-chart needs a proportion (a count out of a count). Use "
            f"xmr_chart for averages such as ASA or AHT."
        )
    frame = pd.DataFrame({"numerator": x, "denominator": n}, index=data.index)
    for k in keys:
        frame[k] = data[k]
    if freq is not None:
        stamps = _datetimes(data, time, func)
        frame["period"] = _period_labels(stamps, freq, func)
        time_out = "period"
        frame = (
            frame.groupby(["period", *keys], dropna=False, sort=True)[["numerator", "denominator"]]
            .sum()
            .reset_index()
        )
    else:
        time_out = time
        frame[time] = data[time]
    frame = frame.sort_values([*keys, time_out], kind="mergesort").reset_index(drop=True)
    frame = frame[[time_out, *keys, "numerator", "denominator"]]
    n_pos = frame["denominator"].where(frame["denominator"] > 0)
    frame["value"] = frame["numerator"] / n_pos
    in_base = _baseline_mask(frame[time_out], baseline, func) & n_pos.notna()
    center = pd.Series(np.nan, index=frame.index)
    width = pd.Series(np.nan, index=frame.index)
    for _, grp in _groups(frame, keys):
        base = grp.loc[in_base[grp.index]]
        if base.empty:
            raise ValueError(
                f"{func} found no point with calls inside the baseline for a group; "
                f"widen the 'baseline' parameter. Got {baseline!r}."
            )
        p = base["numerator"].sum() / base["denominator"].sum()
        se = np.sqrt(p * (1 - p) / n_pos[grp.index])
        if method == "laney" and 0 < p < 1:
            z = (base["value"] - p) / np.sqrt(p * (1 - p) / base["denominator"])
            if len(z) < 2:
                raise ValueError(
                    f"{func} with method='laney' needs at least 2 baseline points per group."
                )
            se = se * (z.diff().abs().mean() / _D2)
        center[grp.index] = p
        width[grp.index] = sigma * se
    frame["center"] = center.where(n_pos.notna())
    frame["lower"] = (center - width).clip(lower=0)
    frame["upper"] = (center + width).clip(upper=1)
    frame["flag"] = (frame["value"] < frame["lower"]) | (frame["value"] > frame["upper"])
    return frame


def xmr_chart(
    data: pd.Series | pd.DataFrame,
    *,
    value: str | None = None,
    time: str = "period",
    by: Hashable | Sequence[Hashable] | None = None,
    sigma: float = 3.0,
    baseline: tuple[Any, Any] | None = None,
) -> pd.DataFrame:
    """Individuals and moving-range (XmR) control chart for any KPI series.

    Parameters
    ----------
    data : Series or DataFrame
        One value per period: a Series indexed by time, or a tidy DataFrame such as the
        output of :func:`aggregate`.
    value : str, optional
        Column to chart; may be left out if ``data`` has a single numeric column
        besides ``time`` and ``by``.
    time : str, default "period"
        Time column of a DataFrame.
    by : column name or list of column names, optional
        One chart per group.
    sigma : float, default 3.0
        Width of the limits in estimated standard deviations.
    baseline : (start, end), optional
        Compute centre line and limits from this time range only (inclusive), then
        apply them to every point.

    Returns
    -------
    DataFrame
        One row per point, sorted by group and time: ``time``, the ``by`` columns,
        ``value``, ``moving_range`` (absolute difference from the previous value),
        ``center``, ``lower``, ``upper`` and ``flag`` (outside the limits). Missing
        values are left out of the calculation and never flagged.

    Notes
    -----
    ``center = mean(x)``; ``MR_i = |x_i - x_(i-1)|``; limits
    ``center +/- sigma * mean(MR) / 1.128`` -- with sigma = 3 the familiar
    ``center +/- 2.66 * mean(MR)``. The moving range measures short-term,
    point-to-point noise, so the limits say how much a KPI moves when nothing has
    changed; a point outside them is worth investigating, a point inside is not news,
    whatever the target. Use it for averages and rates without counts (daily ASA,
    AHT, monthly FCR); for a proportion with counts, :func:`p_chart` uses them.
    Compute limits from a stable baseline: an outlier inside the baseline inflates
    the moving ranges and hides itself.

    References
    ----------
    .. [1] D. J. Wheeler, *Understanding Variation: The Key to Managing Chaos*, 2nd ed.,
       SPC Press, 2000.
    .. [2] D. C. Montgomery, *Introduction to Statistical Quality Control*, 8th ed.,
       Wiley, 2019 (control charts for individual measurements).

    Examples
    --------
    Daily AHT, with limits from the first four days:

    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> daily = pd.Series([300.0, 312.0, 305.0, 318.0, 420.0, 310.0],
    ...                   index=pd.date_range("2025-03-03", periods=6, freq="D"),
    ...                   name="aht")
    >>> chart = kpi.xmr_chart(daily, baseline=("2025-03-03", "2025-03-06"))
    >>> chart.round({"center": 1, "lower": 1, "upper": 1})
          period  value  moving_range  center  lower  upper   flag
    0 2025-03-03  300.0           NaN  308.8  280.4  337.1  False
    1 2025-03-04  312.0          12.0  308.8  280.4  337.1  False
    2 2025-03-05  305.0           7.0  308.8  280.4  337.1  False
    3 2025-03-06  318.0          13.0  308.8  280.4  337.1  False
    4 2025-03-07  420.0         102.0  308.8  280.4  337.1   True
    5 2025-03-08  310.0         110.0  308.8  280.4  337.1  False

    Daily AHT from the bundled intervals table: two days out of the quarter are
    outside the limits.

    >>> from callcoach import datasets
    >>> intervals = datasets.load("intervals")
    >>> intervals = intervals[intervals["interval_start"] >= "2026-03-02"]  # the last quarter
    >>> daily_aht = kpi.aggregate(intervals, kpis=["aht"])
    >>> chart = kpi.xmr_chart(daily_aht)
    >>> chart[chart["flag"]].round(
    ...     {"value": 1, "moving_range": 1, "center": 1, "lower": 1, "upper": 1})
           period  value  moving_range  center  lower  upper  flag
    20 2026-03-22  486.1          23.5   445.1  407.2  483.1  True
    34 2026-04-05  483.2          13.0   445.1  407.2  483.1  True
    55 2026-04-26  488.9          39.0   445.1  407.2  483.1  True
    """
    func = "xmr_chart"
    _check_positive(sigma, "sigma", func)
    frame, time, keys = _as_frame(data, func, time, by)
    col = _value_column(frame, value, time, keys, func)
    if not pd.api.types.is_numeric_dtype(frame[col]) or pd.api.types.is_bool_dtype(frame[col]):
        raise TypeError(
            f"The {col!r} column must hold numbers for {func}. Got dtype {frame[col].dtype} "
            f"instead."
        )
    frame = frame.sort_values([*keys, time], kind="mergesort").reset_index(drop=True)
    out = frame[[time, *keys]].copy()
    out["value"] = frame[col].astype(float)
    in_base = _baseline_mask(out[time], baseline, func)
    out["moving_range"] = np.nan
    center = pd.Series(np.nan, index=out.index)
    half = pd.Series(np.nan, index=out.index)
    for _, grp in _groups(out, keys):
        vals = grp["value"].dropna()
        mr = vals.diff().abs()
        out.loc[mr.index, "moving_range"] = mr
        base_vals = vals[in_base[vals.index]]
        if len(base_vals) < 2:
            raise ValueError(
                f"{func} needs at least 2 values inside the baseline for each group to "
                f"estimate the variation. Got {len(base_vals)}."
            )
        mr_bar = base_vals.diff().abs().mean()
        center[grp.index] = base_vals.mean()
        half[grp.index] = sigma * mr_bar / _D2
    out["center"] = center
    out["lower"] = center - half
    out["upper"] = center + half
    out["flag"] = (out["value"] < out["lower"]) | (out["value"] > out["upper"])
    return out
