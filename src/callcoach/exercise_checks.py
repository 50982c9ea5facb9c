"""Checks that graded exercises share: has the learner written the calculation?

The kit's own helpers (:mod:`callcoach.kpi`, :mod:`callcoach.drivers`,
:mod:`callcoach.followups`, :mod:`callcoach.promises`...) compute the very figures the
exercises ask for — the lessons use them, and so should an agent at work. In an exercise,
though, the point is to write the calculation with pandas and meet its pitfalls, and a
function that calls ``kpi.fcr_by_repeats`` would pass every hidden check without teaching
anything. A visible test opens with :func:`own_work`, which fails with a message that says
so. Loading data with :mod:`callcoach.datasets` is allowed.
"""
from __future__ import annotations

import ast
import inspect
import textwrap
import types
from collections.abc import Callable

__all__ = ["kit_helpers_used", "own_work"]

ALLOWED = ("callcoach.datasets",)


def _from_kit(value: object) -> str | None:
    """The callcoach module ``value`` is or comes from, unless it is allowed."""
    if isinstance(value, types.ModuleType):
        module = value.__name__
    else:
        module = getattr(value, "__module__", None)
    if not isinstance(module, str) or module.split(".")[0] != "callcoach":
        return None
    if module == "callcoach" and not isinstance(value, types.ModuleType):
        return None  # callcoach.setup_notebook and the like
    return None if module.startswith(ALLOWED) else module


def _imports_in(func: Callable) -> list[str]:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return []
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found += [n for n in names if n.split(".")[0] == "callcoach" and not n.startswith(ALLOWED)]
    return found


def kit_helpers_used(func: Callable, *, _seen: set | None = None) -> list[str]:
    """The callcoach helpers ``func`` reaches: global names, imports in its body, and the
    same for the learner's own functions it calls.

    Parameters
    ----------
    func : callable
        A function the learner wrote.

    Returns
    -------
    list of str
        Sorted names such as ``"kpi"`` or ``"fcr_by_repeats (callcoach.kpi)"``; empty when
        the function only uses pandas, numpy and the like.

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach import kpi
    >>> def by_hand(calls):
    ...     return calls["answered"].mean()
    >>> def by_kit(calls):
    ...     return kpi.aht(calls, table="calls")
    >>> kit_helpers_used(by_hand), kit_helpers_used(by_kit)
    ([], ['kpi'])
    """
    seen = set() if _seen is None else _seen
    if id(func) in seen or not callable(func):
        return []
    seen.add(id(func))
    func = inspect.unwrap(func)
    try:
        closure = inspect.getclosurevars(func)
    except TypeError:  # a builtin or a class
        return []
    found = [f"{name} ({module})" if module.split(".")[-1] != name else name
             for name, value in {**closure.globals, **closure.nonlocals}.items()
             if (module := _from_kit(value))]
    found += _imports_in(func)
    for value in {**closure.globals, **closure.nonlocals}.values():
        if isinstance(value, types.FunctionType) and value.__module__ in ("__main__", func.__module__):
            found += kit_helpers_used(value, _seen=seen)
    return sorted(set(found))


def own_work(func: Callable) -> None:
    """Fail, with a message for the learner, when ``func`` calls the kit's own helpers.

    Examples
    --------
    >>> from callcoach import kpi
    >>> def repeat_rate(calls):
    ...     return 1 - kpi.fcr_by_repeats(calls)
    >>> own_work(repeat_rate)
    Traceback (most recent call last):
    ...
    AssertionError: repeat_rate uses the kit's own helpers (kpi). ...
    """
    if func is None or func is Ellipsis or not callable(func):
        raise AssertionError(f"Expected a function here; got {type(func).__name__}. "
                             "Did you run the cell that defines it?")
    used = kit_helpers_used(func)
    if used:
        raise AssertionError(
            f"{getattr(func, '__name__', 'Your function')} uses the kit's own helpers "
            f"({', '.join(used)}). They compute this figure for you — use them at work — but "
            "this exercise asks you to write the calculation yourself with pandas, so that you "
            "meet its pitfalls. Loading data with callcoach.datasets is fine.")
