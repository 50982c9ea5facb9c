"""On-the-spot checks for the "Your turn" cells of lessons.

A check compares the learner's value with the right one and prints a friendly line:
what is right, or a hint tied to the mistake they most likely made. It never raises, so
*Run All* always finishes; lessons are practice, graded work lives in ``exercises/``.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

from IPython.display import HTML, display

_RIGHT = "<div style='color:#1b6e62'><b>✓ Right.</b> {}</div>"
_NOT_YET = "<div style='color:#a4411f'><b>Not yet.</b> {}</div>"


def _close(a, b, tol: float) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=tol, abs_tol=tol)
    except (TypeError, ValueError):
        return a == b


def answer(got, expected, *, right: str, hints: Mapping[str, tuple] | None = None,
           otherwise: str = "Have another look at the question.", tol: float = 1e-9) -> None:
    """Check one answer and show the feedback under the cell.

    Parameters
    ----------
    got : object
        The learner's value (``...`` or ``None`` means "not answered yet").
    expected : object
        The right value; numbers are compared with tolerance ``tol``.
    right : str
        Shown when the answer is right.
    hints : mapping of str to (value, message), optional
        Known wrong answers and the hint each deserves, e.g.
        ``{"answered": (answered_total, "That's calls answered...")}``.
    otherwise : str
        Shown for any other wrong answer.
    tol : float
        Tolerance for numbers (relative and absolute).

    Examples
    --------
    >>> answer(12, 12, right="Twelve it is.")
    <IPython.core.display.HTML object>
    >>> answer(10, 12, right="", hints={"rows": (10, "That counts rows.")})
    <IPython.core.display.HTML object>
    """
    if got is None or got is Ellipsis:
        display(HTML(_NOT_YET.format("Replace the <code>...</code> with your answer, then run the cell again.")))
    else:
        display(HTML(feedback(got, expected, right=right, hints=hints, otherwise=otherwise, tol=tol)))


def feedback(got, expected, *, right: str, hints: Mapping[str, tuple] | None = None,
             otherwise: str = "Have another look at the question.", tol: float = 1e-9) -> str:
    """The HTML line :func:`answer` shows (same parameters).

    Examples
    --------
    >>> "Right" in feedback(12, 12, right="Twelve it is.")
    True
    >>> feedback(10, 12, right="", hints={"rows": (10, "That counts rows.")})
    "<div style='color:#a4411f'><b>Not yet.</b> That counts rows.</div>"
    """
    if _close(got, expected, tol):
        return _RIGHT.format(right)
    for value, message in (hints or {}).values():
        if _close(got, value, tol):
            return _NOT_YET.format(message)
    return _NOT_YET.format(otherwise)
