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


def service_level_by_agents(staffing, *, target: float = 0.80, current: int | None = None,
                            title: str | None = None) -> alt.LayerChart:
    """Line of service level against the number of agents, with the target.

    Parameters
    ----------
    staffing : pandas.DataFrame
        Columns ``agents`` and ``service_level`` (fraction 0-1), e.g. from
        :func:`callcoach.widgets.staffing_table`.
    target : float, default 0.80
        Target drawn as a dashed rule.
    current : int, optional
        Agent count to highlight with a point.
    title : str, optional
        By default: the fewest agents that meet the target.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"agents": [10, 11, 12], "service_level": [0.5, 0.78, 0.9]})
    >>> service_level_by_agents(df, current=11).to_dict()["title"]["text"]
    '12 agents is the fewest that meets 80%'
    """
    meeting = staffing.loc[staffing["service_level"] >= target, "agents"]
    if title is None:
        title = (f"{int(meeting.min())} agents is the fewest that meets {_pct(target)}" if len(meeting)
                 else f"No agent count shown meets {_pct(target)}")
    base = alt.Chart(staffing)
    line = base.mark_line(point=True, color=COLOURS["neutral"]).encode(
        x=alt.X("agents:Q", title="Agents answering calls", scale=alt.Scale(zero=False),
                axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("service_level:Q", title="Service level (% answered within 20 s)", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("agents:Q", title="Agents"),
                 alt.Tooltip("service_level:Q", title="Service level", format=".1%")],
    )
    rule = alt.Chart(staffing.head(1)).mark_rule(color=COLOURS["target"], strokeDash=[6, 4], size=2).encode(
        y=alt.datum(target))
    layers = [line, rule]
    if current is not None:
        here = staffing[staffing["agents"] == current]
        layers.append(alt.Chart(here).mark_point(size=160, filled=True, color=COLOURS["missed"]).encode(
            x="agents:Q", y="service_level:Q"))
    return alt.layer(*layers).properties(
        title=alt.Title(title, subtitle=f"Erlang C; dashed line: the {_pct(target)} in 20 s target"))


def daily_two_ways(right, wrong, *, value: str = "service_level", target: float | None = 0.80,
                   labels: tuple[str, str] = ("Calls added up (right)", "Half-hour % averaged (wrong)"),
                   title: str | None = None,
                   y_title: str = "Service level (% answered within 20 s)") -> alt.LayerChart:
    """Dots per day for a KPI computed two ways, joined by a line, with an optional target.

    Parameters
    ----------
    right, wrong : pandas.DataFrame
        Columns ``period`` (datetime) and ``value``, e.g. from
        :func:`callcoach.kpi.aggregate` and :func:`callcoach.kpi.mean_of_interval_rates`.
    value : str, default "service_level"
        The KPI column (a fraction).
    target : float or None, default 0.80
        Target drawn as a dashed rule.
    labels : (str, str)
        Legend names of the two ways.
    title : str, optional
        By default: the largest gap between the two ways, in percentage points.
    y_title : str
        Axis title for the KPI, with its unit.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.to_datetime(["2026-03-02", "2026-03-03"])
    >>> right = pd.DataFrame({"period": days, "service_level": [0.80, 0.84]})
    >>> wrong = pd.DataFrame({"period": days, "service_level": [0.77, 0.835]})
    >>> daily_two_ways(right, wrong).to_dict()["title"]["text"]
    'Averaging half-hour percentages reads lower every day, by up to 3.0 points'
    """
    import pandas as pd

    data = pd.concat([right[["period", value]].assign(way=labels[0]),
                      wrong[["period", value]].assign(way=labels[1])], ignore_index=True)
    diff = right.set_index("period")[value] - wrong.set_index("period")[value]
    gap = diff.abs().max() * 100
    if title is None:
        if (diff > 0).all():
            title = f"Averaging half-hour percentages reads lower every day, by up to {gap:.1f} points"
        elif (diff < 0).all():
            title = f"Averaging half-hour percentages reads higher every day, by up to {gap:.1f} points"
        else:
            title = f"The two ways differ by up to {gap:.1f} points a day"
    base = alt.Chart(data).encode(
        x=alt.X("yearmonthdate(period):O", title="Day",
                axis=alt.Axis(format="%a %d %b", labelAngle=0, labelOverlap=False)),
        y=alt.Y(f"{value}:Q", title=y_title, axis=alt.Axis(format="%"), scale=alt.Scale(zero=False)),
    )
    lines = base.mark_line(color="#bbb").encode(detail="yearmonthdate(period):O")
    dots = base.mark_point(filled=True, size=90).encode(
        color=alt.Color("way:N", title="How the day's figure is made", legend=alt.Legend(labelLimit=320),
                        scale=alt.Scale(domain=list(labels), range=[COLOURS["met"], COLOURS["missed"]])),
        tooltip=[alt.Tooltip("yearmonthdate(period):O", title="Day"), alt.Tooltip("way:N", title="Way"),
                 alt.Tooltip(f"{value}:Q", title="Value", format=".1%")],
    )
    layers = [lines, dots]
    if target is not None:
        layers.append(alt.Chart(data.head(1)).mark_rule(color=COLOURS["target"], strokeDash=[6, 4]).encode(
            y=alt.datum(target)))
    return alt.layer(*layers).properties(width=alt.Step(80),
                                         title=alt.Title(title, subtitle="Same calls, same days"))
