"""Altair charts for the course, and the course theme.

Every chart function takes a tidy DataFrame, returns an ``altair.Chart`` with a title
that states the finding and axes labelled with units, and computes its numbers with
the same :mod:`callcoach.kpi` functions the lessons use.
"""
from __future__ import annotations

import altair as alt

#: Colours used across the course: met / missed / neutral / highlight.
COLOURS = {"met": "#2a9d8f", "missed": "#e76f51", "neutral": "#577590", "target": "#264653"}

THEME_NAME = "callcoach"


@alt.theme.register(THEME_NAME, enable=False)
def course_theme() -> alt.theme.ThemeConfig:
    """The course look: readable fonts, light grid, a fixed palette, 640 px wide.

    Examples
    --------
    >>> course_theme()["config"]["view"]["continuousWidth"]
    640
    """
    return {
        "config": {
            "view": {"continuousWidth": 640, "continuousHeight": 300, "stroke": None},
            "font": "Helvetica, Arial, 'Noto Sans CJK SC', sans-serif",
            "title": {"fontSize": 15, "anchor": "start", "subtitleColor": "#555"},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#eee"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12},
            "range": {"category": [COLOURS["neutral"], COLOURS["met"], COLOURS["missed"],
                                   "#f4a261", "#e9c46a", "#8ab17d"]},
        }
    }


def enable_theme() -> None:
    """Switch the course theme on for every chart drawn after this call.

    Examples
    --------
    >>> enable_theme()
    >>> alt.theme.active
    'callcoach'
    """
    alt.theme.enable(THEME_NAME)


def _pct(x: float) -> str:
    return f"{x:.0%}"


def service_level_by_interval(per_interval, *, target: float = 0.80, title: str | None = None) -> alt.Chart:
    """Bars of service level per half hour, coloured by whether each met the target.

    Parameters
    ----------
    per_interval : pandas.DataFrame
        One row per half hour with columns ``interval_start`` (datetime),
        ``service_level`` (fraction 0-1) and ``answered`` (calls), as returned by
        :func:`callcoach.widgets.interval_service_levels`.
    target : float, default 0.80
        Service-level target drawn as a rule; bars below it are coloured "missed".
    title : str, optional
        Chart title. By default it states the finding: how many half hours met the target.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"interval_start": pd.date_range("2026-03-02 08:00", periods=3, freq="30min"),
    ...                    "service_level": [0.9, 0.7, 0.85], "answered": [40, 60, 30]})
    >>> chart = service_level_by_interval(df)
    >>> chart.to_dict()["title"]["text"]
    '2 of 3 half hours met the 80% target'
    """
    data = per_interval.assign(
        status=lambda d: (d["service_level"] >= target).map({True: "met", False: "missed"}),
        time=lambda d: d["interval_start"].dt.strftime("%H:%M"),
    )
    met = int((data["status"] == "met").sum())
    title = title or f"{met} of {len(data)} half hours met the {_pct(target)} target"
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("time:O", title="Half hour starting at", axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("service_level:Q", title="Service level (% answered within 20 s)",
                axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("status:N", title="Target",
                        scale=alt.Scale(domain=["met", "missed"], range=[COLOURS["met"], COLOURS["missed"]])),
        tooltip=[alt.Tooltip("time:O", title="Half hour"),
                 alt.Tooltip("service_level:Q", title="Service level", format=".1%"),
                 alt.Tooltip("answered:Q", title="Calls answered")],
    )
    rule = alt.Chart(data.head(1)).mark_rule(color=COLOURS["target"], strokeDash=[6, 4], size=2).encode(
        y=alt.datum(target))
    return (bars + rule).properties(
        title=alt.Title(title, subtitle=f"Dashed line: the {_pct(target)} in 20 s target"))
