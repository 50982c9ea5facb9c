"""How values read in error messages, shared by every module (STYLE.md: say what was
wrong, where, and what was expected)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np


def show(value: Any) -> str:
    """A call, rater, score or name as it should read in a message: strings quoted,
    numpy scalars as plain numbers, whole floats without ``.0``.

    Examples
    --------
    >>> show("Ana"), show(np.int64(3)), show(2.0), show(("C-1", 2))
    ("'Ana'", '3', '2', "('C-1', 2)")
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, tuple):
        return "(" + ", ".join(show(v) for v in value) + ")"
    return repr(value) if isinstance(value, str) else str(value)


def listing(values: Iterable[Any], limit: int = 8) -> str:
    """The first ``limit`` values, then how many more.

    Examples
    --------
    >>> listing(["a", "b", "c"], limit=2)
    "'a', 'b' and 1 more"
    """
    values = list(values)
    shown = ", ".join(show(v) for v in values[:limit])
    if len(values) > limit:
        shown += f" and {len(values) - limit} more"
    return shown


def timestamp(value: Any, func: str, name: str) -> "pd.Timestamp":
    """``value`` as a pandas Timestamp, or a ValueError naming the parameter and an example.

    Examples
    --------
    >>> timestamp("2026-05-04 09:00", "f", "as_of")
    Timestamp('2026-05-04 09:00:00')
    >>> timestamp("soon", "f", "as_of")
    Traceback (most recent call last):
    ...
    ValueError: The 'as_of' parameter of f must be a date or a date and time, such as '2026-05-04 09:00'. Got 'soon' instead.
    """
    import pandas as pd

    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise ValueError(f"The {name!r} parameter of {func} must be a date or a date and time, "
                         f"such as '2026-05-04 09:00'. Got {value!r} instead.")
    return stamp
