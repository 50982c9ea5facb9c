"""ipywidgets apps for exploring the data ("what if we had one more agent?").

Widgets explore; they never hide logic. Every number they show comes from the same
:mod:`callcoach.kpi` functions that lessons and exercises use.
"""
from __future__ import annotations

import os

import altair as alt
import ipywidgets as w
import numpy as np
import pandas as pd

from callcoach import charts, erlang, kpi


def interval_service_levels(intervals: pd.DataFrame, *, day=None, queue: str | None = None) -> pd.DataFrame:
    """Service level of each half hour, for one day and one queue (or all queues).

    Parameters
    ----------
    intervals : pandas.DataFrame
        The ``intervals`` dataset (or a table with the same columns).
    day : date-like, optional
        Keep one day; by default all rows.
    queue : str, optional
        Keep one queue; by default the queues are added together per half hour.

    Returns
    -------
    pandas.DataFrame
        Columns ``interval_start``, ``answered``, ``answered_within_threshold`` and
        ``service_level`` (fraction 0-1, computed by :func:`callcoach.kpi.service_level`);
        half hours with no answered call are left out.

    Examples
    --------
    >>> from callcoach import datasets
    >>> df = interval_service_levels(datasets.load("intervals"), day="2026-03-02", queue="billing")
    >>> len(df), round(float(df["service_level"].between(0, 1).mean()), 1)
    (24, 1.0)
    """
    rows = intervals
    if day is not None:
        rows = rows[rows["interval_start"].dt.normalize() == pd.Timestamp(day).normalize()]
    if queue is not None:
        rows = rows[rows["queue"] == queue]
    levels = kpi.service_level(rows, by="interval_start")
    levels = levels[levels["denominator"] > 0]
    return levels.rename(columns={"numerator": "answered_within_threshold", "denominator": "answered"})[
        ["interval_start", "answered", "answered_within_threshold", "service_level"]].reset_index(drop=True)


def chart_view(chart: alt.TopLevelMixin):
    """A widget showing ``chart``: interactive offline, or static SVG while grading.

    Examples
    --------
    >>> view = chart_view(alt.Chart().mark_point())
    >>> redraw(view, alt.Chart().mark_bar())
    """
    if alt.renderers.active == "jupyter" and not os.environ.get("NBGRADER_EXECUTION"):
        alt.JupyterChart.enable_offline(offline=True)
        return alt.JupyterChart(chart)
    out = w.Output()
    _show_in(out, chart)
    return out


def redraw(view, chart: alt.TopLevelMixin) -> None:
    """Show ``chart`` in a view made by :func:`chart_view` (in the kernel's thread)."""
    if isinstance(view, alt.JupyterChart):
        view.chart = chart
    else:
        _show_in(view, chart)


def _live_chart(figure):
    """A chart widget showing ``figure()`` now, and a callback that redraws it."""
    view = chart_view(figure())
    return view, lambda _change=None: redraw(view, figure())


def _show_in(out: w.Output, chart) -> None:
    """Draw ``chart`` into an Output widget (only inside a running kernel)."""
    from IPython import get_ipython
    from IPython.display import display

    if get_ipython() is not None:
        out.clear_output(wait=True)
        with out:
            display(chart)


def interval_explorer(intervals: pd.DataFrame, *, target: float = 0.80) -> w.VBox:
    """Pick a day, a queue and a target; see which half hours met it.

    The summary line and the chart update as soon as a control moves.

    Parameters
    ----------
    intervals : pandas.DataFrame
        The ``intervals`` dataset.
    target : float, default 0.80
        Starting service-level target.

    Returns
    -------
    ipywidgets.VBox
        Controls (``day``, ``queue``, ``target``), a summary (HTML) and the chart. The
        children are reachable as ``.controls``, ``.summary`` and ``.chart`` attributes.

    Examples
    --------
    >>> from callcoach import datasets
    >>> app = interval_explorer(datasets.load("intervals"))
    >>> "half hours met" in app.summary.value
    True
    >>> before = app.summary.value
    >>> app.controls["target"].value = 0.95
    >>> app.summary.value != before
    True
    """
    days = sorted(intervals["interval_start"].dt.normalize().unique())
    day = w.Dropdown(options=[(pd.Timestamp(d).strftime("%a %d %b"), pd.Timestamp(d)) for d in days],
                     description="Day")
    queue = w.Dropdown(options=[("all queues", None)] + [(q, q) for q in sorted(intervals["queue"].unique())],
                       description="Queue")
    goal = w.FloatSlider(value=target, min=0.5, max=0.95, step=0.05, description="Target",
                         readout_format=".0%", continuous_update=False)
    summary = w.HTML()

    def figure():
        per = interval_service_levels(intervals, day=day.value, queue=queue.value)
        met = int((per["service_level"] >= goal.value).sum())
        rows = intervals[intervals["interval_start"].dt.normalize() == day.value]
        if queue.value is not None:
            rows = rows[rows["queue"] == queue.value]
        whole_day = kpi.service_level(rows)
        summary.value = (
            f"<b>{met} of {len(per)}</b> half hours met {goal.value:.0%} in 20 s on "
            f"{day.value:%A %d %B}; the day as a whole scored <b>{whole_day:.1%}</b>."
        )
        return charts.service_level_by_interval(per, target=goal.value)

    view, update = _live_chart(figure)

    for control in (day, queue, goal):
        control.observe(update, names="value")
    app = w.VBox([w.HBox([day, queue, goal]), summary, view])
    app.controls = {"day": day, "queue": queue, "target": goal}
    app.summary, app.chart = summary, view
    return app


def staffing_table(calls_per_half_hour: float, aht_s: float, agents, *, threshold_s: float = 20) -> pd.DataFrame:
    """Erlang C figures for a range of agent counts: the "what if one more agent?" table.

    Parameters
    ----------
    calls_per_half_hour : float
        Calls offered in the half hour.
    aht_s : float
        Average handle time in seconds.
    agents : iterable of int
        Agent counts to compare.
    threshold_s : float, default 20
        Service-level threshold in seconds.

    Returns
    -------
    pandas.DataFrame
        Columns ``agents``, ``service_level``, ``asa_s`` (average speed of answer),
        ``occupancy`` — all from :mod:`callcoach.erlang`.

    Examples
    --------
    >>> staffing_table(300, 300, [52, 53, 57]).round(3)
       agents  service_level    asa_s  occupancy
    0      52          0.388  104.942      0.962
    1      53          0.527   57.810      0.943
    2      57          0.845   10.563      0.877
    """
    counts = pd.Series(list(agents), dtype="int64")
    rate = calls_per_half_hour / 30.0
    return pd.DataFrame({
        "agents": counts,
        "service_level": erlang.service_level(rate, aht_s, counts, threshold_s=threshold_s),
        "asa_s": erlang.asa(rate, aht_s, counts),
        "occupancy": erlang.occupancy(rate, aht_s, counts),
    })


def staffing_explorer(*, calls_per_half_hour: int = 300, aht_s: int = 300, target: float = 0.80) -> w.VBox:
    """Sliders for calls, handle time and agents; see service level, ASA and occupancy.

    Every number comes from :mod:`callcoach.erlang` (Erlang C: callers wait, nobody
    hangs up). The chart shows service level for a range of agent counts around the
    chosen one, so a learner sees how the curve bends near the target.

    Parameters
    ----------
    calls_per_half_hour : int, default 300
        Starting forecast of calls in the half hour.
    aht_s : int, default 300
        Starting average handle time in seconds.
    target : float, default 0.80
        Service-level target (within 20 s) drawn on the chart.

    Returns
    -------
    ipywidgets.VBox
        With ``.controls`` (``calls``, ``aht``, ``agents``), ``.summary`` and ``.chart``.

    Examples
    --------
    >>> app = staffing_explorer()
    >>> app.controls["agents"].value = 40
    >>> "never empties" in app.summary.value
    True
    >>> before = app.summary.value
    >>> app.controls["agents"].value += 1
    >>> app.summary.value != before
    True
    """
    start = erlang.required_agents(calls_per_half_hour / 30.0, aht_s, target_service_level=target)
    calls = w.IntSlider(value=calls_per_half_hour, min=20, max=1000, step=10, description="Calls / 30 min",
                        continuous_update=False, style={"description_width": "initial"})
    aht = w.IntSlider(value=aht_s, min=120, max=900, step=10, description="AHT (s)",
                      continuous_update=False, style={"description_width": "initial"})
    agents = w.IntSlider(value=int(start), min=1, max=200, description="Agents",
                         continuous_update=False, style={"description_width": "initial"})
    summary = w.HTML()

    def figure():
        low = max(1, agents.value - 6)
        table = staffing_table(calls.value, aht.value, range(low, agents.value + 7))
        row = table[table["agents"] == agents.value].iloc[0]
        need = erlang.required_agents(calls.value / 30.0, aht.value, target_service_level=target)
        if np.isfinite(row.asa_s):
            wait = f"average speed of answer <b>{row.asa_s:,.0f} s</b>, occupancy <b>{row.occupancy:.0%}</b>"
        else:
            wait = ("<b>the queue never empties</b>: more work comes in than the agents can handle, so callers "
                    "would wait for ever")
        summary.value = (
            f"With <b>{agents.value}</b> agents: service level <b>{row.service_level:.1%}</b>, {wait}. "
            f"Meeting {target:.0%} in 20 s needs <b>{need}</b> agents."
        )
        return charts.service_level_by_agents(table, target=target, current=agents.value)

    view, update = _live_chart(figure)

    for control in (calls, aht, agents):
        control.observe(update, names="value")
    app = w.VBox([w.HBox([calls, aht, agents]), summary, view])
    app.controls = {"calls": calls, "aht": aht, "agents": agents}
    app.summary, app.chart = summary, view
    return app


# ------------------------------------------------------------------ module 1: 3A Active


def proactive_rates(calls: pd.DataFrame, *, flag: str = "proactive_offer") -> pd.DataFrame:
    """Measured workload of customer issues, by whether their first call had a proactive offer.

    Parameters
    ----------
    calls : pandas.DataFrame
        The ``calls`` dataset (columns ``issue_id``, ``answered``, ``arrival_time``,
        ``talk_s``, ``hold_s``, ``acw_s``, ``customer_id``, ``reason`` and ``flag``).
    flag : str, default "proactive_offer"
        True/False per call: the agent made a proactive offer (3A Active, 积极性).

    Returns
    -------
    pandas.DataFrame
        One row per value of ``flag`` (False, True) with ``issues`` (issues whose first
        answered call has that value), ``calls_per_issue`` (answered calls per issue,
        repeats and complaints included), ``handle_s_per_issue`` (from
        :func:`callcoach.kpi.aht` with ``method="per_issue"``), ``aht_s``
        (``handle_s_per_issue / calls_per_issue``) and ``repeat_rate`` (1 minus
        :func:`callcoach.kpi.fcr_by_repeats`, 7-day window).

    Notes
    -----
    An issue belongs to the group of its first answered call, as in
    :func:`callcoach.kpi.aht`. These are plain measured averages: they compare groups
    of calls, not the same calls with and without an offer.

    Examples
    --------
    >>> from callcoach import datasets
    >>> rates = proactive_rates(datasets.load("calls"))
    >>> rates[["proactive_offer", "issues", "calls_per_issue", "handle_s_per_issue"]].round(2)
       proactive_offer  issues  calls_per_issue  handle_s_per_issue
    0            False  181580             1.46              620.13
    1             True  145733             1.19              557.40
    """
    per_issue = kpi.aht(calls, table="calls", method="per_issue", by=flag)
    answered = calls[calls["answered"].astype(bool)]
    first = answered.sort_values("arrival_time", kind="mergesort").drop_duplicates("issue_id")
    group = answered["issue_id"].map(first.set_index("issue_id")[flag])
    n_calls = answered.groupby(group).size()
    fcr = kpi.fcr_by_repeats(calls, by=flag).set_index(flag)["fcr_by_repeats"]
    out = pd.DataFrame({
        flag: per_issue[flag].astype(bool),
        "issues": per_issue["denominator"].astype("int64"),
        "calls_per_issue": per_issue[flag].map(n_calls).to_numpy() / per_issue["denominator"].to_numpy(),
        "handle_s_per_issue": per_issue["aht"].astype(float),
    })
    out["aht_s"] = out["handle_s_per_issue"] / out["calls_per_issue"]
    out["repeat_rate"] = 1 - out[flag].map(fcr).astype(float)
    return out.sort_values(flag).reset_index(drop=True)


def proactive_projection(rates: pd.DataFrame, shares, *, issues_per_half_hour: float,
                         target: float = 0.80, flag: str = "proactive_offer") -> pd.DataFrame:
    """Projected calls, AHT and agents for a share of issues handled proactively.

    Parameters
    ----------
    rates : pandas.DataFrame
        From :func:`proactive_rates` (one row with ``flag`` False, one with True).
    shares : iterable of float
        Shares (0-1) of issues whose first call has a proactive offer.
    issues_per_half_hour : float
        New customer issues in an average half hour (positive).
    target : float, default 0.80
        Service level to meet within 20 s (Erlang C).
    flag : str, default "proactive_offer"
        The True/False column of ``rates``.

    Returns
    -------
    pandas.DataFrame
        Columns ``proactive_share``, ``calls_per_half_hour`` (answered calls, repeats
        included), ``aht_s`` (handle seconds per call), ``handle_s_per_issue`` and
        ``agents_needed`` (:func:`callcoach.erlang.required_agents`).

    Notes
    -----
    A mix of the two measured groups: calls per issue and handle seconds per issue are
    ``share * proactive + (1 - share) * not proactive``, and AHT is their ratio. It
    assumes each group keeps its measured rates as the share changes.

    Examples
    --------
    >>> rates = pd.DataFrame({"proactive_offer": [False, True], "calls_per_issue": [1.4, 1.1],
    ...                       "handle_s_per_issue": [600.0, 550.0]})
    >>> print(proactive_projection(rates, [0, 1], issues_per_half_hour=100).round(1).to_string())
       proactive_share  calls_per_half_hour  aht_s  handle_s_per_issue  agents_needed
    0              0.0                140.0  428.6               600.0             39
    1              1.0                110.0  500.0               550.0             37
    """
    if not (isinstance(issues_per_half_hour, (int, float, np.number)) and issues_per_half_hour > 0):
        raise ValueError("The 'issues_per_half_hour' parameter of proactive_projection must be a positive "
                         f"number. Got {issues_per_half_hour!r} instead.")
    share = np.asarray(list(shares), dtype=float)
    if share.size == 0 or np.isnan(share).any() or (share < 0).any() or (share > 1).any():
        raise ValueError("The 'shares' parameter of proactive_projection must hold fractions between 0 and 1. "
                         f"Got {list(shares)!r} instead.")
    by = rates.set_index(rates[flag].astype(bool))
    if not {True, False} <= set(by.index):
        raise ValueError(f"The 'rates' table of proactive_projection needs one row with {flag} True and one "
                         f"with False (from proactive_rates). Got {sorted(set(by.index))} instead.")
    calls_per_issue = share * by.at[True, "calls_per_issue"] + (1 - share) * by.at[False, "calls_per_issue"]
    handle = share * by.at[True, "handle_s_per_issue"] + (1 - share) * by.at[False, "handle_s_per_issue"]
    volume = issues_per_half_hour * calls_per_issue
    aht = handle / calls_per_issue
    agents = erlang.required_agents(volume / 30.0, aht, target_service_level=target)
    return pd.DataFrame({"proactive_share": share, "calls_per_half_hour": volume, "aht_s": aht,
                         "handle_s_per_issue": handle, "agents_needed": np.asarray(agents, dtype="int64")})


def proactive_explorer(calls: pd.DataFrame, *, share: float | None = None, target: float = 0.80) -> w.VBox:
    """A slider for the share of proactive calls; see the calls, AHT and agents it implies.

    The rates come from the data (:func:`proactive_rates`), the projection from
    :func:`proactive_projection` and the agents from :func:`callcoach.erlang.required_agents`.

    Parameters
    ----------
    calls : pandas.DataFrame
        The ``calls`` dataset.
    share : float, optional
        Starting share; by default the measured share, to the nearest 5%.
    target : float, default 0.80
        Service level to meet within 20 s.

    Returns
    -------
    ipywidgets.VBox
        With ``.controls`` (``share``), ``.summary``, ``.chart`` and ``.rates``.

    Examples
    --------
    >>> from callcoach import datasets
    >>> app = proactive_explorer(datasets.load("calls"))
    >>> "agents" in app.summary.value
    True
    >>> before = app.summary.value
    >>> app.controls["share"].value = 0.9
    >>> app.summary.value != before
    True
    """
    rates = proactive_rates(calls)
    half_hours = calls["arrival_time"].dt.floor("30min").nunique()
    per_half_hour = float(rates["issues"].sum()) / half_hours
    measured = float(rates.loc[rates["proactive_offer"], "issues"].sum() / rates["issues"].sum())
    start = round(measured * 20) / 20 if share is None else share
    grid = np.round(np.arange(0, 1.0001, 0.05), 2)
    curve = proactive_projection(rates, grid, issues_per_half_hour=per_half_hour, target=target)
    today = proactive_projection(rates, [measured], issues_per_half_hour=per_half_hour, target=target).iloc[0]
    slider = w.FloatSlider(value=start, min=0, max=1, step=0.05, description="Proactive share",
                           readout_format=".0%", continuous_update=False, style={"description_width": "initial"})
    summary = w.HTML()

    def figure():
        row = proactive_projection(rates, [slider.value], issues_per_half_hour=per_half_hour, target=target).iloc[0]
        summary.value = (
            f"If <b>{slider.value:.0%}</b> of issues got a proactive offer on their first call "
            f"(today {measured:.0%}): <b>{row.calls_per_half_hour:,.0f}</b> calls in an average half hour "
            f"(today {today.calls_per_half_hour:,.0f}), AHT <b>{row.aht_s:,.0f} s</b> per call "
            f"(today {today.aht_s:,.0f} s), <b>{row.handle_s_per_issue / 60:.1f}</b> handle minutes per issue, "
            f"and <b>{int(row.agents_needed)}</b> agents needed for {target:.0%} in 20 s (today {int(today.agents_needed)})."
        )
        return charts.agents_by_proactive_share(curve, current=slider.value)

    view, update = _live_chart(figure)
    slider.observe(update, names="value")
    app = w.VBox([slider, summary, view])
    app.controls = {"share": slider}
    app.summary, app.chart, app.rates = summary, view, rates
    return app
