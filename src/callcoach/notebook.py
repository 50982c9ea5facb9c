"""Set up a notebook for the course: offline charts, the course theme, tidy tables."""
from __future__ import annotations

import os

import altair as alt
import pandas as pd

from callcoach import charts

#: Environment variable that nbgrader sets while it executes a notebook.
NBGRADER_ENV = "NBGRADER_EXECUTION"


def chart_renderer() -> str:
    """Name the altair renderer ``setup_notebook`` will use here.

    Returns
    -------
    str
        ``"svg"`` while nbgrader grades a notebook (graded notebooks hold no widgets,
        and feedback is read as static HTML), else ``"jupyter"`` (interactive, offline).

    Examples
    --------
    >>> chart_renderer() in {"jupyter", "svg"}
    True
    """
    return "svg" if os.environ.get(NBGRADER_ENV) else "jupyter"


def setup_notebook(*, renderer: str | None = None, quiet: bool = False) -> None:
    """Prepare the running notebook for the course. Call once, in the first code cell.

    What it does:

    * charts render **with no internet**: altair's default renderer fetches Vega from a
      CDN, which training rooms often cannot reach. We use the ``jupyter`` renderer in
      offline mode (the Vega bundle comes from the installed ``vl-convert-python``
      package) or static SVG while nbgrader grades;
    * the course chart theme (:func:`callcoach.charts.course_theme`) is switched on;
    * pandas shows numbers with thousands separators and at most 3 decimals.

    Parameters
    ----------
    renderer : {"jupyter", "svg"}, optional
        Force a renderer. By default :func:`chart_renderer` decides.
    quiet : bool, default False
        Do not print the one-line confirmation.

    Examples
    --------
    >>> setup_notebook(renderer="svg", quiet=True)
    >>> import altair as alt
    >>> alt.renderers.active
    'svg'
    >>> pd.get_option("display.float_format")(1234.5678)
    '1,234.568'

    (Outside a notebook, put the global settings back: ``reset_display()``.)

    >>> reset_display()
    """
    chosen = renderer or chart_renderer()
    if chosen == "jupyter":
        alt.renderers.enable("jupyter", offline=True)
    elif chosen == "svg":
        alt.renderers.enable("svg")
    else:
        raise ValueError(
            "The 'renderer' parameter of setup_notebook must be 'jupyter' or 'svg'. "
            f"Got {chosen!r} instead."
        )
    charts.enable_theme()
    pd.set_option("display.float_format", "{:,.3f}".format)
    pd.set_option("display.max_rows", 30)
    if not quiet:
        print(f"callcoach is ready: charts render offline ({chosen}).")


def reset_display() -> None:
    """Undo :func:`setup_notebook`'s global settings (pandas display, altair renderer).

    Examples
    --------
    >>> reset_display()
    >>> pd.get_option("display.float_format") is None
    True
    """
    pd.reset_option("display.float_format")
    pd.reset_option("display.max_rows")
    alt.renderers.enable("default")
