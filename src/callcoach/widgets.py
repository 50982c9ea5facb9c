"""ipywidgets apps for exploring the data ("what if we had one more agent?").

Widgets explore; they never hide logic. Every number they show comes from the same
:mod:`callcoach.kpi` functions that lessons and exercises use.
"""
from __future__ import annotations

import os

import altair as alt
import ipywidgets as w
import pandas as pd

from callcoach import charts, kpi


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


def _display_chart(chart: alt.TopLevelMixin):
    """A widget showing ``chart``: interactive offline, or static SVG while grading."""
    if alt.renderers.active == "jupyter" and not os.environ.get("NBGRADER_EXECUTION"):
        alt.JupyterChart.enable_offline(offline=True)
        return alt.JupyterChart(chart)
    out = w.Output()
    _show_in(out, chart)
    return out


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

    view = _display_chart(figure())

    def update(_change):
        chart = figure()
        if isinstance(view, alt.JupyterChart):
            view.chart = chart
        else:
            _show_in(view, chart)

    for control in (day, queue, goal):
        control.observe(update, names="value")
    app = w.VBox([w.HBox([day, queue, goal]), summary, view])
    app.controls = {"day": day, "queue": queue, "target": goal}
    app.summary, app.chart = summary, view
    return app
