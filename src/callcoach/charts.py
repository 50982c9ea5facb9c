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
