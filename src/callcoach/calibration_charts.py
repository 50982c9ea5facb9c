"""Altair charts for a calibration session (校准会), in the course theme.

Each chart takes a table that a :mod:`callcoach` function made, returns an altair
chart whose title states the finding, and labels its axes with units:

=====================================  =============================================
chart                                  drawn from
=====================================  =============================================
:func:`rater_bias_chart`               :func:`callcoach.calibration.rater_bias`
:func:`item_agreement_chart`           :func:`callcoach.calibration.item_agreement`
:func:`call_spread_chart`              :func:`call_spread` of the totals from
                                       :func:`callcoach.scorecard.score_evaluations`
:func:`progress_chart`                 :meth:`callcoach.store.SessionStore.progress`
:func:`waiting_chart`                  nothing yet: says what the chart waits for
=====================================  =============================================

The charts compute no statistic themselves: the numbers are the ones the tables
hold, so a lesson's text, a facilitator's screen and a test read the same values.
Colours come from :data:`callcoach.charts.COLOURS`.
"""
from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

import altair as alt
import numpy as np
import pandas as pd

from callcoach.calibration import DEFAULT_THRESHOLDS, MissingColumnError
from callcoach.charts import COLOURS

__all__ = [
    "BIAS_COLOURS",
    "STATISTIC_TITLES",
    "call_spread",
    "call_spread_chart",
    "item_agreement_chart",
    "progress_chart",
    "rater_bias_chart",
    "waiting_chart",
]

#: Colour of each label :func:`callcoach.calibration.rater_bias` gives.
BIAS_COLOURS = {
    "lenient": COLOURS["missed"],
    "in line": COLOURS["met"],
    "severe": "#6a4c93",
    "too few calls": "#bbbbbb",
}

#: Axis title for each statistic :func:`callcoach.calibration.item_agreement` offers.
STATISTIC_TITLES = {
    "gwet_ac1": "Gwet's AC1 (agreement beyond chance; 1 = perfect, 0 = chance)",
    "fleiss_kappa": "Fleiss' kappa (agreement beyond chance; 1 = perfect, 0 = chance)",
    "cohen_kappa": "Cohen's kappa (agreement beyond chance; 1 = perfect, 0 = chance)",
    "krippendorff_alpha": "Krippendorff's alpha (1 = perfect, 0 = chance)",
    "percent_agreement": "Rater pairs giving the same score (%)",
}


def _need(data: pd.DataFrame, columns: Sequence[str], func: str, made_by: str) -> None:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"The first parameter of {func} must be a pandas DataFrame made by {made_by}. "
            f"Got {type(data).__name__} instead."
        )
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise MissingColumnError(
            f"{func} needs the column(s) {', '.join(map(repr, missing))}, which {made_by} "
            f"returns. Columns are: {', '.join(map(repr, data.columns))}."
        )


def _names(values: Sequence[str]) -> str:
    values = [str(v) for v in values]
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " and " + values[-1]


def waiting_chart(title: str, message: str) -> alt.Chart:
    """A chart-sized note saying what a chart is waiting for.

    The facilitator view shows it in place of a chart until there are enough
    scores (for instance before the anchor has scored a call), so the screen keeps
    its shape and the note says what is missing.

    Parameters
    ----------
    title : str
        The title the real chart will have, e.g. "Deviation from the anchor".
    message : str
        What is missing, in a sentence.

    Returns
    -------
    altair.Chart

    Examples
    --------
    >>> chart = waiting_chart("Deviation from the anchor", "Waiting for the expert's scores.")
    >>> chart.to_dict()["title"]["text"]
    'Deviation from the anchor'
    """
    data = pd.DataFrame({"message": [message]})
    return alt.Chart(data).mark_text(size=14, color="#555").encode(
        text="message:N"
    ).properties(title=alt.Title(title, subtitle="Not enough scores yet"), height=60)


# ------------------------------------------------------------------------ bias
def rater_bias_chart(
    bias: pd.DataFrame,
    *,
    raters: str = "evaluator",
    anchor: Hashable = "expert",
    tolerance: float = 0.0,
    confidence: float = 0.95,
    unit: str = "points out of 100",
    title: str | None = None,
) -> alt.LayerChart:
    """Each evaluator's mean deviation from the anchor, with its confidence interval.

    Parameters
    ----------
    bias : pandas.DataFrame
        The output of :func:`callcoach.calibration.rater_bias`: one row per
        rater with ``bias``, ``ci_low``, ``ci_high``, ``n`` and ``label``.
    raters : str, default "evaluator"
        The column naming the rater.
    anchor : hashable, default "expert"
        The anchor's name, for the title and the axis.
    tolerance : float, default 0
        The ``tolerance`` passed to ``rater_bias``; drawn as a shaded band
        (nothing is drawn when 0).
    confidence : float, default 0.95
        The ``confidence`` passed to ``rater_bias``, for the subtitle.
    unit : str, default "points out of 100"
        What the scores are, for the axis title.
    title : str, optional
        By default it states the finding: who is furthest above and below the
        anchor, or that everyone is in line.

    Returns
    -------
    altair.LayerChart
        Points at the bias coloured by label (:data:`BIAS_COLOURS`), bars for the
        interval, a rule at 0 (the anchor) and the tolerance band.

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach.calibration import rater_bias
    >>> session = pd.DataFrame({
    ...     "call_id": [1, 2, 3, 4, 5] * 3,
    ...     "evaluator": ["expert"] * 5 + ["Ann"] * 5 + ["Bo"] * 5,
    ...     "score": [70, 85, 60, 90, 75,  78, 92, 70, 96, 82,  74, 80, 66, 86, 70],
    ... })
    >>> chart = rater_bias_chart(rater_bias(session))
    >>> chart.to_dict()["title"]["text"]
    'Ann scores 7.6 points above the expert'
    >>> chart.data[["evaluator", "bias", "label"]]
      evaluator  bias    label
    0       Ann   7.6  lenient
    1        Bo  -0.8  in line
    """
    func = "rater_bias_chart"
    _need(bias, [raters, "n", "bias", "ci_low", "ci_high", "label"], func,
          "callcoach.calibration.rater_bias")
    data = bias.copy()
    data[raters] = data[raters].astype(str)
    off = data[data["label"].isin(["lenient", "severe"])]
    off = off.reindex(off["bias"].abs().sort_values(ascending=False).index)
    judged = data["label"].isin(["lenient", "severe", "in line"])
    if title is None:
        if not judged.any():
            title = f"Too few calls scored by both an evaluator and the {anchor} yet"
        elif off.empty:
            who = "Every evaluator" if judged.all() else "Every evaluator with two or more calls"
            title = f"{who} is in line with the {anchor}"
        else:
            parts = []
            for i, (_, row) in enumerate(off.iterrows()):
                way = "above" if row["bias"] > 0 else "below"
                size = f"{abs(row['bias']):.1f}"
                parts.append(f"{row[raters]} scores {size} points {way} the {anchor}" if i == 0
                             else f"{row[raters]} {size} {way}")
            title = ", ".join(parts)
    in_line = data.loc[data["label"] == "in line", raters].tolist()
    subtitle = [f"Mean difference from the {anchor}'s total on the same calls, with its "
                f"{confidence:.0%} confidence interval."]
    if tolerance:
        subtitle.append(f"Shaded: within ±{tolerance:g} points, where nobody is labelled "
                        "lenient or severe.")
    if in_line and not off.empty:
        subtitle.append(f"In line: {_names(in_line)}.")
    too_few = data.loc[data["label"] == "too few calls", raters].tolist()
    if too_few:
        subtitle.append(f"Too few calls to judge yet: {_names(too_few)}.")
    order = data.sort_values("bias", ascending=False, na_position="last")[raters].tolist()
    y = alt.Y(f"{raters}:N", title="Evaluator", sort=order)
    x_title = f"Difference from the {anchor} ({unit}; + lenient, − severe)"
    colour = alt.Color("label:N", title="Label",
                       scale=alt.Scale(domain=list(BIAS_COLOURS), range=list(BIAS_COLOURS.values())))
    tooltip = [alt.Tooltip(f"{raters}:N", title="Evaluator"),
               alt.Tooltip("bias:Q", title="Mean difference", format="+.1f"),
               alt.Tooltip("ci_low:Q", title="CI low", format="+.1f"),
               alt.Tooltip("ci_high:Q", title="CI high", format="+.1f"),
               alt.Tooltip("n:Q", title="Calls compared"),
               alt.Tooltip("label:N", title="Label")]
    interval = alt.Chart().mark_rule(size=3, opacity=0.6).encode(
        y=y, x=alt.X("ci_low:Q", title=x_title), x2="ci_high:Q", color=colour, tooltip=tooltip)
    points = alt.Chart().mark_point(filled=True, size=140, opacity=1).encode(
        y=y, x=alt.X("bias:Q", title=x_title), color=colour, tooltip=tooltip)
    zero = alt.Chart().mark_rule(color=COLOURS["target"], strokeDash=[6, 4]).encode(x=alt.datum(0))
    layers = [zero, interval, points]
    if tolerance:
        band = alt.Chart().mark_rect(color=COLOURS["met"], opacity=0.04).encode(
            x=alt.datum(-float(tolerance)), x2=alt.datum(float(tolerance)))
        layers.insert(0, band)
    return alt.layer(*layers, data=data).properties(
        title=alt.Title(title, subtitle=subtitle), height=max(90, 34 * len(data)))


# ----------------------------------------------------------------------- items
def item_agreement_chart(
    items: pd.DataFrame,
    *,
    item_column: str = "item",
    statistic: str = "gwet_ac1",
    threshold: float | None = None,
    title: str | None = None,
) -> alt.LayerChart:
    """Agreement on each scorecard item, items that need clearer definitions flagged.

    Parameters
    ----------
    items : pandas.DataFrame
        The output of :func:`callcoach.calibration.item_agreement` (one row per
        item with the statistic's column, ``n_calls`` and ``needs_work``), with an
        optional ``label`` column used for the axis.
    item_column : str, default "item"
        The column naming the item.
    statistic : str, default "gwet_ac1"
        The ``statistic`` passed to ``item_agreement``.
    threshold : float, optional
        The bar an item must reach; drawn as a dashed rule. Defaults to the
        statistic's default in :func:`~callcoach.calibration.item_agreement`.
    title : str, optional
        By default it names the items that need work, or says none does.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"item": ["empathy", "greeting"], "n_calls": [6, 6],
    ...                       "percent_agreement": [0.44, 1.0], "gwet_ac1": [-0.06, 1.0],
    ...                       "needs_work": [True, False]})
    >>> chart = item_agreement_chart(items)
    >>> chart.to_dict()["title"]["text"]
    '1 of 2 items needs a clearer definition: empathy'
    """
    func = "item_agreement_chart"
    if statistic not in STATISTIC_TITLES:
        raise ValueError(
            f"The 'statistic' parameter of {func} must be one of "
            f"{', '.join(map(repr, STATISTIC_TITLES))}. Got {statistic!r} instead."
        )
    _need(items, [item_column, statistic, "n_calls", "needs_work"], func,
          "callcoach.calibration.item_agreement")
    if threshold is None:
        threshold = DEFAULT_THRESHOLDS[statistic]
    data = items.copy()
    data["shown"] = data["label"].astype(str) if "label" in data else data[item_column].astype(str)
    data["status"] = data["needs_work"].map({True: "needs work", False: "agrees"})
    flagged = data.loc[data["needs_work"], item_column].astype(str).str.replace("_", " ").tolist()
    if title is None:
        if flagged:
            verb = "needs a clearer definition" if len(flagged) == 1 else "need clearer definitions"
            title = f"{len(flagged)} of {len(data)} items {verb}: {_names(flagged)}"
        else:
            title = f"Every item reaches {threshold:.2f} agreement: the definitions work"
    lowest = data[statistic].min()
    low = min(0.0, math.floor(lowest * 10) / 10) if pd.notna(lowest) else 0.0
    order = data.sort_values(statistic, na_position="last")["shown"].tolist()
    percent = statistic == "percent_agreement"
    y = alt.Y("shown:N", title="Scorecard item", sort=order, axis=alt.Axis(labelLimit=300, titlePadding=12))
    bars = alt.Chart().mark_bar().encode(
        y=y,
        x=alt.X(f"{statistic}:Q", title=STATISTIC_TITLES[statistic], scale=alt.Scale(domain=[low, 1]),
                axis=alt.Axis(format="%") if percent else alt.Undefined),
        color=alt.Color("status:N", title="Item",
                        scale=alt.Scale(domain=["agrees", "needs work"],
                                        range=[COLOURS["met"], COLOURS["missed"]])),
        tooltip=[alt.Tooltip(f"{item_column}:N", title="Item"),
                 alt.Tooltip(f"{statistic}:Q", title=statistic, format=".2f"),
                 alt.Tooltip("percent_agreement:Q", title="Same score (pairs)", format=".0%"),
                 alt.Tooltip("n_calls:Q", title="Calls")],
    )
    rule = alt.Chart().mark_rule(color=COLOURS["target"], strokeDash=[6, 4], size=2).encode(
        x=alt.datum(threshold))
    bar_text = f"{threshold:.0%}" if percent else f"{threshold:.2f}"
    return alt.layer(bars, rule, data=data).properties(
        title=alt.Title(title, subtitle=[
            f"Dashed line: {bar_text}, the agreement an item needs. Items below it are "
            "read differently by different evaluators:",
            "rewrite their definitions with examples from these calls, then recalibrate."]),
        height=max(90, 26 * len(data)))


# ------------------------------------------------------------------ call spread
def call_spread(
    totals: pd.DataFrame,
    *,
    targets: str = "call_id",
    raters: str = "evaluator",
    ratings: str = "total",
    anchor: Hashable | None = None,
) -> pd.DataFrame:
    """How far apart the raters' totals are on each call, widest first.

    Parameters
    ----------
    totals : pandas.DataFrame
        One row per call and rater, e.g. the output of
        :func:`callcoach.scorecard.score_evaluations` or
        :meth:`callcoach.store.SessionStore.totals`.
    targets : str, default "call_id"
        Column naming the call.
    raters : str, default "evaluator"
        Column naming the rater.
    ratings : str, default "total"
        Column holding the score to compare (``"total_before_fails"`` to leave
        critical fails out of it).
    anchor : hashable, optional
        The anchor; adds an ``anchor_total`` column with the anchor's score.

    Returns
    -------
    pandas.DataFrame
        One row per call with at least one score, widest range first (ties in
        the order the calls first appear), with columns: the ``targets`` column,
        ``n_raters``, ``mean``, ``sd`` (sample standard deviation, NaN with one
        rater), ``low``, ``high``, ``range`` (high − low, in the score's points),
        ``lowest`` and ``highest`` (who gave the low and high score; the first
        in rater order on a tie) and, with ``anchor``, ``anchor_total`` (NaN when
        the anchor did not score the call).

    Notes
    -----
    The range is what a facilitator reads out ("from 45 to 88"); the standard
    deviation is steadier with many raters. A call with a wide range is the one
    to discuss first: evaluators either heard the call differently, or read a
    scorecard item differently. Empty scores (a total that is NaN because every
    item was N/A) are left out.

    Examples
    --------
    >>> import pandas as pd
    >>> totals = pd.DataFrame({"call_id": ["C1", "C1", "C1", "C2", "C2", "C2"],
    ...                        "evaluator": ["Ann", "Bo", "expert"] * 2,
    ...                        "total": [80.0, 70.0, 76.0, 90.0, 60.0, 70.0]})
    >>> spread = call_spread(totals, anchor="expert")
    >>> spread[["call_id", "sd", "low", "high", "range", "lowest", "highest", "anchor_total"]].round(1)
      call_id    sd   low  high  range lowest highest  anchor_total
    0      C2  15.3  60.0  90.0   30.0     Bo     Ann          70.0
    1      C1   5.0  70.0  80.0   10.0     Bo     Ann          76.0
    """
    func = "call_spread"
    _need(totals, [targets, raters, ratings], func, "callcoach.scorecard.score_evaluations")
    data = totals[[targets, raters, ratings]].dropna(subset=[ratings])
    try:
        values = data[ratings].astype(float)
    except (TypeError, ValueError):
        raise TypeError(
            f"The 'ratings' parameter of {func} names a column {ratings!r} that holds "
            "non-numeric values; it needs the totals as numbers."
        ) from None
    data = data.assign(**{ratings: values})
    rows = []
    for call, group in data.groupby(targets, sort=False):
        low_at, high_at = group[ratings].idxmin(), group[ratings].idxmax()
        row = {
            targets: call,
            "n_raters": len(group),
            "mean": float(group[ratings].mean()),
            "sd": float(group[ratings].std(ddof=1)) if len(group) > 1 else np.nan,
            "low": float(group[ratings].min()),
            "high": float(group[ratings].max()),
            "lowest": group.at[low_at, raters],
            "highest": group.at[high_at, raters],
        }
        row["range"] = row["high"] - row["low"]
        if anchor is not None:
            mine = group.loc[group[raters] == anchor, ratings]
            row["anchor_total"] = float(mine.iloc[0]) if len(mine) else np.nan
        rows.append(row)
    columns = [targets, "n_raters", "mean", "sd", "low", "high", "range", "lowest", "highest"]
    if anchor is not None:
        columns.append("anchor_total")
    out = pd.DataFrame(rows, columns=columns)
    out = out.sort_values("range", ascending=False, kind="stable").reset_index(drop=True)
    return out


def call_spread_chart(
    totals: pd.DataFrame,
    *,
    targets: str = "call_id",
    raters: str = "evaluator",
    ratings: str = "total",
    anchor: Hashable | None = "expert",
    top: int = 5,
    title: str | None = None,
) -> alt.LayerChart:
    """The calls whose totals are furthest apart: every rater's total as a dot.

    Parameters
    ----------
    totals : pandas.DataFrame
        One row per call and rater with the totals, e.g.
        :meth:`callcoach.store.SessionStore.totals`.
    targets, raters, ratings : str
        Columns naming the call, the rater and the total (see :func:`call_spread`).
    anchor : hashable, optional
        Drawn as a diamond; None to draw every rater alike.
    top : int, default 5
        How many calls to show, widest range first.
    title : str, optional
        By default it names the call that splits the room most, and by how much.

    Returns
    -------
    altair.LayerChart
        A bar from the lowest to the highest total of each call (the table
        :func:`call_spread` returns) and a dot per rater.

    Examples
    --------
    >>> import pandas as pd
    >>> totals = pd.DataFrame({"call_id": ["C1", "C1", "C1", "C2", "C2", "C2"],
    ...                        "evaluator": ["Ann", "Bo", "expert"] * 2,
    ...                        "total": [80.0, 70.0, 76.0, 90.0, 60.0, 70.0]})
    >>> chart = call_spread_chart(totals)
    >>> chart.to_dict()["title"]["text"]
    'Call C2 splits the room most: totals from 60 to 90 (30 points apart)'
    """
    func = "call_spread_chart"
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"The 'top' parameter of {func} must be a whole number of calls, 1 or more. "
                         f"Got {top!r} instead.")
    spread = call_spread(totals, targets=targets, raters=raters, ratings=ratings, anchor=anchor)
    shown = spread.head(top)
    calls = [str(c) for c in shown[targets]]
    dots = totals[[targets, raters, ratings]].dropna(subset=[ratings])
    dots = dots[dots[targets].astype(str).isin(calls)].assign(
        **{targets: lambda d: d[targets].astype(str), raters: lambda d: d[raters].astype(str)})
    dots["who"] = np.where(dots[raters] == str(anchor), "anchor", "evaluator")
    bars = shown.assign(**{targets: lambda d: d[targets].astype(str)})
    if title is None:
        if shown.empty or shown["n_raters"].max() < 2:
            title = "No call has two scores yet"
        else:
            first = shown.iloc[0]
            title = (f"Call {first[targets]} splits the room most: totals from {first['low']:.0f} "
                     f"to {first['high']:.0f} ({first['range']:.0f} points apart)")
    y = alt.Y(f"{targets}:N", title="Call", sort=calls)
    what = "total" if ratings == "total" else ratings.replace("_", " ")
    x_title = f"Call {what} (points out of 100)"
    span = alt.Chart(bars).mark_bar(color="#dddddd", height=14).encode(
        y=y, x=alt.X("low:Q", title=x_title, scale=alt.Scale(domain=[0, 100])), x2="high:Q",
        tooltip=[alt.Tooltip(f"{targets}:N", title="Call"),
                 alt.Tooltip("range:Q", title="Range (points)", format=".1f"),
                 alt.Tooltip("sd:Q", title="Standard deviation", format=".1f"),
                 alt.Tooltip("lowest:N", title="Lowest"), alt.Tooltip("highest:N", title="Highest")])
    points = alt.Chart(dots).mark_point(filled=True, size=90, opacity=0.85).encode(
        y=y, x=alt.X(f"{ratings}:Q", title=x_title),
        shape=alt.Shape("who:N", title="Rater", scale=alt.Scale(domain=["evaluator", "anchor"],
                                                                range=["circle", "diamond"])),
        color=alt.Color("who:N", title="Rater", scale=alt.Scale(
            domain=["evaluator", "anchor"], range=[COLOURS["neutral"], COLOURS["missed"]])),
        tooltip=[alt.Tooltip(f"{raters}:N", title="Rater"),
                 alt.Tooltip(f"{ratings}:Q", title="Total", format=".1f")])
    return alt.layer(span, points).properties(
        title=alt.Title(title, subtitle=[
            f"The {len(shown)} call(s) with the widest range of totals. Each dot is one rater's "
            f"total{'; the diamond is the ' + str(anchor) + chr(39) + 's' if anchor is not None else ''}.",
            "Discuss the top call first: did we hear it differently, or read an item differently?"]),
        height=max(90, 34 * len(shown)))


# --------------------------------------------------------------------- progress
def progress_chart(
    progress: pd.DataFrame,
    *,
    calls: Sequence[Hashable],
    title: str | None = None,
) -> alt.Chart:
    """Who has submitted which call: a grid of raters by calls.

    Parameters
    ----------
    progress : pandas.DataFrame
        The output of :meth:`callcoach.store.SessionStore.progress` (columns
        ``evaluator``, ``anchor``, ``submitted``, ``calls``, ``complete`` and
        ``missing``).
    calls : sequence
        The session's calls in scoring order
        (:meth:`~callcoach.store.SessionStore.calls`).
    title : str, optional
        By default it counts the raters who are done and the scores still to come.

    Returns
    -------
    altair.Chart
        One cell per rater and call; the chart's ``.data`` is the grid (columns
        ``evaluator``, ``call_id``, ``status``).

    Examples
    --------
    >>> import pandas as pd
    >>> progress = pd.DataFrame({"evaluator": ["Ann", "expert"], "anchor": [False, True],
    ...                          "submitted": [1, 2], "calls": [2, 2],
    ...                          "complete": [False, True], "missing": [["C2"], []]})
    >>> chart = progress_chart(progress, calls=["C1", "C2"])
    >>> chart.to_dict()["title"]["text"]
    '1 of 2 raters have scored all 2 calls; 1 score to come'
    >>> chart.data
           evaluator call_id     status
    0            Ann      C1     scored
    1            Ann      C2    not yet
    2  expert (anchor)    C1     scored
    3  expert (anchor)    C2     scored
    """
    func = "progress_chart"
    _need(progress, ["evaluator", "anchor", "submitted", "complete", "missing"], func,
          "callcoach.store.SessionStore.progress")
    calls = [str(c) for c in calls]
    rows = []
    for _, rater in progress.iterrows():
        name = f"{rater['evaluator']} (anchor)" if rater["anchor"] else str(rater["evaluator"])
        missing = {str(c) for c in rater["missing"]}
        rows += [{"evaluator": name, "call_id": c, "status": "not yet" if c in missing else "scored"}
                 for c in calls]
    grid = pd.DataFrame(rows, columns=["evaluator", "call_id", "status"])
    done = int(progress["complete"].sum())
    to_come = int(len(calls) * len(progress) - progress["submitted"].sum())
    if title is None:
        title = (f"{done} of {len(progress)} raters have scored all {len(calls)} calls; "
                 f"{to_come} score{'s' if to_come != 1 else ''} to come")
    order = list(dict.fromkeys(grid["evaluator"]))
    return alt.Chart(grid).mark_rect(stroke="white", strokeWidth=2).encode(
        x=alt.X("call_id:N", title="Call (in scoring order)", sort=calls, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("evaluator:N", title="Rater", sort=order),
        color=alt.Color("status:N", title="Call", scale=alt.Scale(
            domain=["scored", "not yet"], range=[COLOURS["met"], "#e6e6e6"])),
        tooltip=[alt.Tooltip("evaluator:N", title="Rater"), alt.Tooltip("call_id:N", title="Call"),
                 alt.Tooltip("status:N", title="Status")],
    ).properties(title=alt.Title(title, subtitle="Green: submitted. Grey: still to score."),
                 height=max(60, 26 * len(order)), width=max(320, 64 * len(calls)))
