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


# ------------------------------------------------------------------ module 1: the 3A model


def compare_bars(data, *, x: str, y: str, title: str, x_title: str, y_title: str = "",
                 color: str | None = None, percent: bool = False, decimals: int = 0,
                 subtitle: str | None = None) -> alt.LayerChart:
    """Horizontal bars comparing a few groups, each bar labelled with its value.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per bar (per bar and colour group with ``color``).
    x : str
        Numeric column: the bar length.
    y : str
        Column naming each bar (the groups compared).
    title : str
        The finding, e.g. "Proactive calls are repeated half as often"; the lesson
        builds it from the numbers it computed.
    x_title, y_title : str
        Axis titles; ``x_title`` carries the unit.
    color : str, optional
        Column of a second grouping, drawn as side-by-side bars in colours.
    percent : bool, default False
        ``x`` is a fraction 0-1: axis and labels in %.
    decimals : int, default 0
        Decimals of the labels.
    subtitle : str, optional
        A line under the title (the data, the definition).

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"call": ["proactive", "not proactive"], "repeat_rate": [0.11, 0.29]})
    >>> chart = compare_bars(df, x="repeat_rate", y="call", percent=True,
    ...                      title="Proactive calls are repeated less", x_title="Repeated within 7 days (%)")
    >>> spec = chart.to_dict()
    >>> spec["title"]["text"], spec["layer"][0]["encoding"]["x"]["title"]
    ('Proactive calls are repeated less', 'Repeated within 7 days (%)')
    """
    fmt = f".{decimals}%" if percent else f",.{decimals}f"
    y_enc = alt.Y(f"{y}:N", title=y_title or None, sort=list(dict.fromkeys(data[y])),
                  axis=alt.Axis(labelLimit=260))
    enc = {"x": alt.X(f"{x}:Q", title=x_title, axis=alt.Axis(format=".0%" if percent else ",.0f")),
           "y": y_enc,
           "tooltip": [alt.Tooltip(f"{y}:N", title=y_title or y), alt.Tooltip(f"{x}:Q", title=x_title, format=fmt)]}
    if color is not None:
        enc["color"] = alt.Color(f"{color}:N", title=color.replace("_", " "),
                                 sort=list(dict.fromkeys(data[color])))
        enc["yOffset"] = alt.YOffset(f"{color}:N", sort=list(dict.fromkeys(data[color])))
        enc["tooltip"] = enc["tooltip"] + [alt.Tooltip(f"{color}:N")]
    base = alt.Chart(data).encode(**enc)
    bars = base.mark_bar(color=COLOURS["neutral"]) if color is None else base.mark_bar()
    labels = base.mark_text(align="left", dx=4, color="#333").encode(text=alt.Text(f"{x}:Q", format=fmt))
    return alt.layer(bars, labels).properties(
        height=alt.Step(22 if color is not None else 34),
        title=alt.Title(title, subtitle=subtitle) if subtitle else alt.Title(title))


def daily_with_event(daily, *, date: str, value: str, event, event_label: str, title: str,
                     y_title: str) -> alt.LayerChart:
    """A line of a daily count with a dashed rule on the day something changed.

    Parameters
    ----------
    daily : pandas.DataFrame
        One row per day: a ``date`` column (datetime) and a ``value`` column.
    date, value : str
        Column names.
    event : date-like
        The day of the change (e.g. a defect fixed), drawn as a dashed rule.
    event_label : str
        Text beside the rule ("login defect fixed").
    title : str
        The finding.
    y_title : str
        Axis title with the unit ("Calls per day").

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"day": pd.date_range("2026-04-10", periods=8), "calls": [160, 170, 150, 165, 40, 30, 35, 28]})
    >>> chart = daily_with_event(df, date="day", value="calls", event="2026-04-14", event_label="fixed",
    ...                          title="Calls fell after the fix", y_title="Calls per day")
    >>> chart.to_dict()["title"]["text"]
    'Calls fell after the fix'
    """
    import pandas as pd

    line = alt.Chart(daily).mark_line(color=COLOURS["neutral"], point=alt.OverlayMarkDef(size=18)).encode(
        x=alt.X(f"{date}:T", title="Day", axis=alt.Axis(format="%d %b")),
        y=alt.Y(f"{value}:Q", title=y_title),
        tooltip=[alt.Tooltip(f"{date}:T", title="Day", format="%a %d %b"), alt.Tooltip(f"{value}:Q", title=y_title)],
    )
    mark = pd.DataFrame({date: [pd.Timestamp(event)], "label": [event_label]})
    rule = alt.Chart(mark).mark_rule(color=COLOURS["missed"], strokeDash=[6, 4], size=2).encode(x=f"{date}:T")
    text = alt.Chart(mark).mark_text(align="left", dx=5, dy=-120, color=COLOURS["missed"]).encode(
        x=f"{date}:T", text="label:N")
    return alt.layer(line, rule, text).properties(title=alt.Title(title))


def agents_by_proactive_share(projection, *, current: float | None = None, title: str | None = None) -> alt.LayerChart:
    """Agents needed in an average half hour against the share of proactive calls.

    Parameters
    ----------
    projection : pandas.DataFrame
        Columns ``proactive_share`` (fraction 0-1) and ``agents_needed``, as returned by
        :func:`callcoach.widgets.proactive_projection`.
    current : float, optional
        Share to highlight with a point.
    title : str, optional
        By default: agents needed with no proactive calls and with all calls proactive.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"proactive_share": [0.0, 0.5, 1.0], "agents_needed": [60, 57, 54]})
    >>> agents_by_proactive_share(df, current=0.5).to_dict()["title"]["text"]
    'More proactive calls, fewer agents: 60 needed with none, 54 with every call'
    """
    ordered = projection.sort_values("proactive_share")
    low, high = int(ordered["agents_needed"].iloc[0]), int(ordered["agents_needed"].iloc[-1])
    if title is None:
        trend = "fewer" if high < low else "more" if high > low else "the same number of"
        title = f"More proactive calls, {trend} agents: {low} needed with none, {high} with every call"
    line = alt.Chart(ordered).mark_line(point=True, color=COLOURS["neutral"], interpolate="step-after").encode(
        x=alt.X("proactive_share:Q", title="Share of issues whose first call has a proactive offer (%)",
                axis=alt.Axis(format=".0%"), scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("agents_needed:Q", title="Agents needed in an average half hour", scale=alt.Scale(zero=False),
                axis=alt.Axis(format="d", values=list(range(min(low, high), max(low, high) + 1)))
                if abs(high - low) <= 20 else alt.Axis(format="d", tickMinStep=1)),
        tooltip=[alt.Tooltip("proactive_share:Q", title="Proactive share", format=".0%"),
                 alt.Tooltip("agents_needed:Q", title="Agents needed")],
    )
    layers = [line]
    if current is not None:
        here = ordered.iloc[[(ordered["proactive_share"] - current).abs().argmin()]]
        layers.append(alt.Chart(here).mark_point(size=160, filled=True, color=COLOURS["missed"]).encode(
            x="proactive_share:Q", y="agents_needed:Q"))
    return alt.layer(*layers).properties(
        title=alt.Title(title, subtitle="Erlang C, 80% of calls answered within 20 s; rates measured on the quarter's calls"))


def pareto(data, *, category: str, count: str, title: str, x_title: str, y_title: str,
           top: int | None = None, subtitle: str | None = None) -> alt.LayerChart:
    """A Pareto chart (帕累托图): bars largest first, with a line of the cumulative share.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per category, e.g. calls per contact driver; any order.
    category : str
        Column naming each bar (the driver).
    count : str
        Numeric column: the bar height (calls).
    title : str
        The finding, e.g. "The top 5 drivers make 56% of calls".
    x_title, y_title : str
        Axis titles; ``y_title`` carries the unit of the bars. The line's axis on the
        right is "Cumulative share of the total (%)".
    top : int, optional
        Colour the first ``top`` bars as the highlighted drivers.
    subtitle : str, optional
        A line under the title (the data, the period).

    Returns
    -------
    altair.LayerChart
        Bars, the cumulative line with its points, on independent y axes.

    Notes
    -----
    The cumulative share of bar *k* is the sum of the *k* largest counts divided by the
    total: the 80 % line shows how few categories make most of the volume (the 80/20 rule
    holds only when the counts are very unequal).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"reason": ["a", "b", "c"], "calls": [20, 70, 10]})
    >>> chart = pareto(df, category="reason", count="calls", top=1, title="One driver makes 70% of calls",
    ...                x_title="Contact driver", y_title="Calls answered")
    >>> spec = chart.to_dict()
    >>> spec["title"]["text"], spec["resolve"]["scale"]["y"]
    ('One driver makes 70% of calls', 'independent')
    >>> rows = next(v for v in spec["datasets"].values() if "cumulative_share" in v[0])
    >>> [row["cumulative_share"] for row in rows]
    [0.7, 0.9, 1.0]
    """
    ordered = data[[category, count]].sort_values(count, ascending=False, kind="mergesort").reset_index(drop=True)
    ordered["cumulative_share"] = ordered[count].cumsum() / ordered[count].sum()
    ordered["highlight"] = [top is not None and i < top for i in range(len(ordered))]
    order = list(ordered[category])
    x = alt.X(f"{category}:N", title=x_title, sort=order, axis=alt.Axis(labelAngle=-40, labelLimit=200))
    base = alt.Chart(ordered).encode(x=x)
    bars = base.mark_bar().encode(
        y=alt.Y(f"{count}:Q", title=y_title, axis=alt.Axis(format=",.0f")),
        color=alt.condition("datum.highlight", alt.value(COLOURS["neutral"]), alt.value("#b8c4d6")),
        tooltip=[alt.Tooltip(f"{category}:N", title=x_title), alt.Tooltip(f"{count}:Q", title=y_title, format=",.0f"),
                 alt.Tooltip("cumulative_share:Q", title="Cumulative share", format=".1%")])
    share_y = alt.Y("cumulative_share:Q", title="Cumulative share of the total (%)",
                    axis=alt.Axis(format=".0%", orient="right"), scale=alt.Scale(domain=[0, 1]))
    line = base.mark_line(color=COLOURS["missed"], point=alt.OverlayMarkDef(color=COLOURS["missed"])).encode(
        y=share_y, tooltip=[alt.Tooltip(f"{category}:N", title=x_title),
                            alt.Tooltip("cumulative_share:Q", title="Cumulative share", format=".1%")])
    rule = alt.Chart({"values": [{"y": 0.8}]}).mark_rule(color=COLOURS["target"], strokeDash=[4, 4]).encode(
        y=alt.Y("y:Q", scale=alt.Scale(domain=[0, 1]), axis=None))
    return alt.layer(bars, line, rule).resolve_scale(y="independent").properties(
        title=alt.Title(title, subtitle=subtitle) if subtitle else alt.Title(title))
