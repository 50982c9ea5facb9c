"""Inter-rater agreement and calibration-session analysis for QA evaluators.

In a calibration session (校准会) every evaluator and an expert *anchor* score the
same calls. This module answers the questions a QA lead asks afterwards, one
function per statistic, all with the same shape::

    f(data, *, targets="call_id", raters="evaluator", ratings="score", ...)

``data`` is long format (one row per call and evaluator, or per call, evaluator and
scorecard item); ``targets`` names the column of the things scored, ``raters`` the
evaluators and ``ratings`` the scores. Options are keyword-only. A single
coefficient comes back as a float; several numbers come back as a tidy DataFrame.

Which statistic answers which question
--------------------------------------
=============================  ==================================================
question                       statistic
=============================  ==================================================
How often do we give the       :func:`percent_agreement` (optionally within a
same score?                    tolerance). Easy to explain, but not corrected for
                               the agreement that chance alone produces.
Do two evaluators agree on     :func:`cohen_kappa` (``weights="linear"`` or
categories beyond chance?      ``"quadratic"`` when near misses count partly).
Do many evaluators agree on    :func:`fleiss_kappa`.
categories beyond chance?
Same, when almost every call   :func:`gwet_ac1` -- kappa collapses under the
passes an item?                *prevalence paradox*, AC1 does not.
Do evaluators give the same    :func:`icc`, forms ICC(2,1) / ICC(A,1) (absolute
numeric score?                 agreement); ICC(3,1) / ICC(C,1) if only the ranking
                               of calls matters (consistency).
Any level of measurement,      :func:`krippendorff_alpha`.
missing ratings allowed?
Who is lenient or severe?      :func:`rater_bias`, :func:`calibration_score`.
Which scorecard item is badly  :func:`item_agreement`.
defined?
Is an evaluator drifting?      :func:`rater_drift`.
=============================  ==================================================
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from callcoach._messages import listing, show

__all__ = [
    "MissingColumnError",
    "calibration_score",
    "cohen_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "icc",
    "item_agreement",
    "krippendorff_alpha",
    "percent_agreement",
    "rater_bias",
    "rater_drift",
]

Columns = str | Sequence[str]

_WEIGHTS = (None, "linear", "quadratic")
_LEVELS = ("nominal", "ordinal", "interval", "ratio")


class MissingColumnError(KeyError):
    """A column named by a parameter is not in the data.

    A :class:`KeyError` (as pandas raises for a missing column) whose message
    prints without the extra quotes ``KeyError`` adds.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


# --------------------------------------------------------------------------- helpers
_fmt = show
_listing = listing


def _ordered_unique(values: Any) -> list[Any]:
    """Distinct values, sorted when they can be, else in order of appearance."""
    uniq = list(pd.unique(pd.Series(values, dtype=object)))
    try:
        return sorted(uniq)
    except TypeError:
        return uniq


def _factorize(values: pd.Series) -> tuple[np.ndarray, list[Any]]:
    labels = _ordered_unique(values)
    index = {label: i for i, label in enumerate(labels)}
    return np.array([index[v] for v in values], dtype=int), labels


def _as_columns(param: str, value: Columns, func: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence) and value and all(isinstance(v, str) for v in value):
        return list(value)
    raise TypeError(
        f"The '{param}' parameter of {func} must be a column name"
        f"{' or a list of column names' if param == 'targets' else ''}. "
        f"Got {value!r} instead."
    )


def _prepare(
    data: pd.DataFrame,
    func: str,
    *,
    targets: Columns,
    raters: str,
    ratings: str,
    extra: dict[str, str] | None = None,
    min_raters: int = 2,
) -> pd.DataFrame:
    """Check the long-format input and return a working frame.

    The frame has columns ``t`` (call, or a tuple when several target columns),
    ``r`` (rater), ``y`` (rating) and one column per ``extra`` parameter name.
    Rows without a rating are dropped (a missing rating is not a rating).
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"The 'data' parameter of {func} must be a pandas DataFrame in long format "
            f"(one row per call and rater). Got {type(data).__name__} instead."
        )
    extra = dict(extra or {})
    spec: dict[str, list[str]] = {"targets": _as_columns("targets", targets, func)}
    spec["raters"] = _as_columns("raters", raters, func)
    spec["ratings"] = _as_columns("ratings", ratings, func)
    for param, column in extra.items():
        spec[param] = _as_columns(param, column, func)
    for param in ("raters", "ratings", *extra):
        if len(spec[param]) != 1:
            raise TypeError(
                f"The '{param}' parameter of {func} must be a single column name. "
                f"Got {spec[param]!r} instead."
            )

    problems = [
        f"The '{param}' parameter of {func} names a column {column!r} that is not in the data."
        for param, columns in spec.items()
        for column in columns
        if column not in data.columns
    ]
    if problems:
        raise MissingColumnError(
            " ".join(problems) + f" Columns are: {_listing(list(data.columns), limit=50)}."
        )

    for param, columns in spec.items():
        if param == "ratings":
            continue
        empty = data[columns].isna().any(axis=1)
        if empty.any():
            rows = list(data.index[empty])
            raise ValueError(
                f"The '{param}' parameter of {func} names "
                f"{'columns' if len(columns) > 1 else 'a column'} "
                f"{', '.join(repr(c) for c in columns)} with {int(empty.sum())} empty "
                f"value(s) (rows {_listing(rows)}). Every rating needs a value there; "
                "fill them in or drop those rows."
            )

    tcols = spec["targets"]
    if len(tcols) == 1:
        t = data[tcols[0]].to_numpy(dtype=object)
    else:
        t = np.empty(len(data), dtype=object)
        t[:] = list(zip(*(data[c].to_numpy(dtype=object) for c in tcols)))
    work = pd.DataFrame(
        {"t": t, "r": data[raters].to_numpy(dtype=object), "y": data[ratings].array},
        index=data.index,
    )
    for param, column in extra.items():
        work[param] = data[column].to_numpy(dtype=object)
    work = work[work["y"].notna()]

    keys = ["t", "r", *extra]
    dup = work.duplicated(keys, keep=False)
    if dup.any():
        counts = work[dup].groupby(keys, sort=False).size()
        where = []
        for key, n in counts.items():
            key = key if isinstance(key, tuple) else (key,)
            text = f"{_fmt(key[1])} scored {_target_name(targets)} {_fmt(key[0])}"
            for param, value in zip(extra, key[2:]):
                text += f" in {extra[param]} {_fmt(value)}"
            where.append(f"{text} {n} times")
        more = f" and {len(where) - 5} more" if len(where) > 5 else ""
        hint = (
            f"pass targets=[{', '.join(repr(c) for c in tcols)}, 'item']"
            if func != "item_agreement"
            else "check the 'items' column"
        )
        raise ValueError(
            f"Each rater may score each call once in {func}, but "
            f"{'; '.join(where[:5])}{more}. If the rows are scorecard items, {hint}; "
            "if a call was re-scored, keep one score per rater."
        )

    n_raters = work["r"].nunique()
    if n_raters < min_raters:
        found = _listing(_ordered_unique(work["r"])) or "none"
        raise ValueError(
            f"{func} needs at least {min_raters} raters in column {raters!r} "
            f"(the 'raters' parameter); found {n_raters}: {found}."
        )
    return work


def _numeric(work: pd.DataFrame, func: str, ratings: str, why: str) -> np.ndarray:
    """Ratings as floats, or a TypeError naming a value that is not a number."""
    y = work["y"]
    if pd.api.types.is_numeric_dtype(y.dtype) and not isinstance(y.dtype, pd.CategoricalDtype):
        return y.to_numpy(dtype=float)
    values = y.to_numpy(dtype=object)
    out = np.empty(len(values), dtype=float)
    for i, v in enumerate(values):
        if isinstance(v, (bool, np.bool_)):
            out[i] = float(v)
            continue
        try:
            out[i] = float(v)
        except (TypeError, ValueError):
            raise TypeError(
                f"The 'ratings' parameter of {func} names a column {ratings!r} that holds "
                f"non-numeric values such as {_fmt(v)}; {func} needs numbers ({why}). "
                "Convert the scores to numbers first, or use percent_agreement, "
                "cohen_kappa, fleiss_kappa, gwet_ac1 or krippendorff_alpha(level='nominal') "
                "for categories."
            ) from None
    return out


def _categories(
    work: pd.DataFrame,
    func: str,
    categories: Sequence[Any] | None,
    *,
    ordered: bool,
) -> tuple[np.ndarray, list[Any]]:
    """Category codes of the ratings and the list of categories (the scale)."""
    y = work["y"]
    if categories is not None:
        labels = list(categories)
        if len(set(labels)) != len(labels):
            raise ValueError(
                f"The 'categories' parameter of {func} must list each category once. "
                f"Got {labels!r} instead."
            )
    elif isinstance(y.dtype, pd.CategoricalDtype) and (y.dtype.ordered or not ordered):
        labels = list(y.dtype.categories)
    else:
        labels = list(pd.unique(pd.Series(y.to_numpy(dtype=object), dtype=object)))
        numeric = all(isinstance(v, (int, float, np.number)) for v in labels)
        if ordered and not numeric:
            raise TypeError(
                f"{func} needs the categories in order, but cannot tell the order of "
                f"{_listing(labels)}. Pass categories=[...] from lowest to highest, or make "
                "the column an ordered pandas Categorical."
            )
        try:
            labels = sorted(labels)
        except TypeError:
            pass
    index = {label: i for i, label in enumerate(labels)}
    values = y.to_numpy(dtype=object)
    codes = np.fromiter((index.get(v, -1) for v in values), dtype=int, count=len(values))
    if (codes < 0).any():
        unknown = _ordered_unique(values[codes < 0])
        raise ValueError(
            f"The 'categories' parameter of {func} lists {_listing(labels)}, but the ratings "
            f"also hold {_listing(unknown)}. Add them to categories, or fix the scores."
        )
    return codes, labels


def _weight_matrix(q: int, weights: str | None, func: str) -> np.ndarray:
    """Agreement weights: 1 for the same category, less for categories further apart."""
    if weights not in _WEIGHTS:
        raise ValueError(
            f"The 'weights' parameter of {func} must be None, 'linear' or 'quadratic'. "
            f"Got {weights!r} instead."
        )
    if weights is None or q < 2:
        return np.eye(q)
    gap = np.abs(np.subtract.outer(np.arange(q), np.arange(q))) / (q - 1)
    return 1 - gap if weights == "linear" else 1 - gap**2


def _counts(work: pd.DataFrame, codes: np.ndarray, q: int) -> np.ndarray:
    """Calls x categories table: how many raters put each call in each category."""
    t_codes, _ = _factorize(work["t"])
    table = np.zeros((t_codes.max(initial=-1) + 1, q))
    np.add.at(table, (t_codes, codes), 1)
    return table


def _kappa(observed: float, chance: float) -> float:
    """Chance-corrected agreement; NaN where chance agreement is 1 (undefined)."""
    if np.isclose(chance, 1.0, rtol=0.0, atol=1e-12):
        return float("nan")
    return float((observed - chance) / (1 - chance))


def _observed_agreement(table: np.ndarray, w: np.ndarray) -> float:
    """Mean over calls with two or more ratings of the (weighted) share of agreeing pairs."""
    r = table.sum(axis=1)
    keep = r >= 2
    if not keep.any():
        return float("nan")
    t, r = table[keep], r[keep]
    pairs = (t * (t @ w.T - 1)).sum(axis=1) / (r * (r - 1))
    return float(pairs.mean())


def _category_shares(table: np.ndarray) -> np.ndarray:
    """pi_k: mean over calls of the share of the call's ratings in category k."""
    r = table.sum(axis=1, keepdims=True)
    return (table / r).mean(axis=0)


def _target_name(targets: Columns) -> str:
    """How messages call a target: the column name, or '(call_id, item)'."""
    return targets if isinstance(targets, str) else "(" + ", ".join(targets) + ")"


def _complete(
    work: pd.DataFrame, func: str, targets: Columns
) -> tuple[np.ndarray, np.ndarray, list, list]:
    """Codes of a fully crossed design (every rater scores every call), or a clear error."""
    t_codes, t_labels = _factorize(work["t"])
    r_codes, r_labels = _factorize(work["r"])
    present = np.zeros((len(t_labels), len(r_labels)), dtype=bool)
    present[t_codes, r_codes] = True
    if not present.all():
        gaps = [
            f"{_target_name(targets)} {_fmt(t_labels[i])} lacks {_listing([r_labels[j] for j in np.flatnonzero(~row)])}"
            for i, row in enumerate(present)
            if not row.all()
        ]
        more = f"; and {len(gaps) - 6} more calls" if len(gaps) > 6 else ""
        raise ValueError(
            f"{func} needs every rater to score every call (a balanced design), but "
            f"{len(gaps)} of {len(t_labels)} calls lack a rater: {'; '.join(gaps[:6])}{more}. "
            "Drop those calls first, or use krippendorff_alpha, which allows missing ratings."
        )
    return t_codes, r_codes, t_labels, r_labels


def _check_anchor(work: pd.DataFrame, func: str, anchor: Hashable, raters: str) -> None:
    raters_seen = _ordered_unique(work["r"])
    if anchor not in set(raters_seen):
        raise ValueError(
            f"The 'anchor' parameter of {func} must name a rater in column {raters!r}. "
            f"Got {_fmt(anchor)} instead. Raters are: {_listing(raters_seen, limit=30)}."
        )


def _check_confidence(confidence: float, func: str) -> None:
    if not (isinstance(confidence, (int, float)) and 0 < confidence < 1):
        raise ValueError(
            f"The 'confidence' parameter of {func} must be a number between 0 and 1 "
            f"(e.g. 0.95). Got {confidence!r} instead."
        )


def _check_tolerance(tolerance: float, func: str) -> None:
    if not (isinstance(tolerance, (int, float)) and np.isfinite(tolerance) and tolerance >= 0):
        raise ValueError(
            f"The 'tolerance' parameter of {func} must be a number of score points, 0 or more. "
            f"Got {tolerance!r} instead."
        )


def _within(diff: np.ndarray, tolerance: float) -> np.ndarray:
    """|diff| <= tolerance, forgiving floating-point noise (0.1 + 0.2 - 0.3)."""
    gap = np.abs(diff)
    return (gap <= tolerance) | np.isclose(gap, tolerance, rtol=1e-9, atol=1e-12)


# ------------------------------------------------------------ agreement statistics
def _percent_agreement(
    work: pd.DataFrame, func: str, ratings: str, tolerance: float, method: str
) -> float:
    if method not in ("pairwise", "unanimous"):
        raise ValueError(
            f"The 'method' parameter of {func} must be 'pairwise' or 'unanimous'. "
            f"Got {method!r} instead."
        )
    _check_tolerance(tolerance, func)
    if tolerance == 0:
        codes, labels = _categories(work, func, None, ordered=False)
        agree = np.eye(len(labels))
    else:
        values = _numeric(work, func, ratings, "a tolerance is a distance between scores")
        labels = sorted(set(values))
        index = {v: i for i, v in enumerate(labels)}
        codes = np.array([index[v] for v in values])
        agree = _within(np.subtract.outer(labels, labels), tolerance).astype(float)
    table = _counts(work, codes, len(labels))
    if method == "pairwise":
        return _observed_agreement(table, agree)
    r = table.sum(axis=1)
    table = table[r >= 2]
    if len(table) == 0:
        return float("nan")
    # unanimous: every pair of ratings on the call agrees
    used = table > 0
    ok = [bool(agree[np.ix_(row, row)].all()) for row in used]
    return float(np.mean(ok))


def percent_agreement(
    data: pd.DataFrame,
    *,
    targets: Columns = "call_id",
    raters: str = "evaluator",
    ratings: str = "score",
    tolerance: float = 0,
    method: str = "pairwise",
) -> float:
    """Share of ratings on the same call that agree (not corrected for chance).

    Parameters
    ----------
    data : pandas.DataFrame
        Long format: one row per call and rater (and item, if ``targets`` is a list).
        Rows with a missing rating are ignored.
    targets : str or list of str, default "call_id"
        Column(s) naming the thing scored: a call, or e.g. ``["call_id", "item"]``.
    raters : str, default "evaluator"
        Column naming the evaluator.
    ratings : str, default "score"
        Column holding the score: numbers or category labels ("pass", "fail").
    tolerance : float, default 0
        Two numeric scores agree when they differ by at most this many points
        (e.g. ``tolerance=5`` on a 100-point scorecard). 0 means exactly equal and
        works for labels too.
    method : {"pairwise", "unanimous"}, default "pairwise"
        ``"pairwise"``: on each call, the share of pairs of raters who agree,
        averaged over calls. With two raters this is the share of calls scored
        alike. ``"unanimous"``: the share of calls on which every rater agrees.

    Returns
    -------
    float
        Agreement between 0 and 1 (NaN if no call has two ratings).

    Notes
    -----
    Pairwise agreement on call :math:`i` with :math:`r_i` ratings, :math:`r_{ik}`
    of them in category :math:`k`, is

    .. math:: p_i = \\frac{\\sum_k r_{ik}(r_{ik} - 1)}{r_i (r_i - 1)}

    and the result is the mean of :math:`p_i` over calls with :math:`r_i \\ge 2`
    (the :math:`p_a` of Fleiss 1971 and Gwet 2014). Calls scored by one rater
    only do not count.

    Percent agreement is what most QA suites report and what evaluators
    understand, but it is inflated by chance: two evaluators who tick "pass" at
    random on 95 % of calls agree on about 90 % of them without looking.
    Report a chance-corrected statistic beside it (:func:`gwet_ac1`,
    :func:`cohen_kappa`, :func:`fleiss_kappa`, :func:`krippendorff_alpha`).
    A common rule of thumb asks for 80 % or more.

    References
    ----------
    .. [1] Gwet, K. L. (2014). *Handbook of Inter-Rater Reliability* (4th ed.),
       ch. 2. Advanced Analytics.

    Examples
    --------
    Three evaluators score four calls out of 10:

    >>> import pandas as pd
    >>> from callcoach.calibration import percent_agreement
    >>> session = pd.DataFrame({
    ...     "call_id":   [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4],
    ...     "evaluator": ["Ann", "Bo", "Cy"] * 4,
    ...     "score":     [8, 8, 8, 6, 7, 6, 9, 9, 7, 5, 5, 5],
    ... })
    >>> round(percent_agreement(session), 3)
    0.667
    >>> percent_agreement(session, method="unanimous")
    0.5
    >>> percent_agreement(session, tolerance=1, method="unanimous")
    0.75
    """
    func = "percent_agreement"
    work = _prepare(data, func, targets=targets, raters=raters, ratings=ratings)
    return _percent_agreement(work, func, ratings, tolerance, method)


def _cohen_kappa(
    work: pd.DataFrame, func: str, targets: Columns, raters: str, weights: str | None, categories
) -> float:
    n_raters = work["r"].nunique()
    if n_raters != 2:
        raise ValueError(
            f"cohen_kappa compares exactly two raters, but column {raters!r} holds "
            f"{n_raters}: {_listing(_ordered_unique(work['r']))}. Select two raters "
            "(e.g. an evaluator and the anchor), or use fleiss_kappa, gwet_ac1 or "
            "krippendorff_alpha for more."
        )
    codes, labels = _categories(work, func, categories, ordered=weights is not None)
    w = _weight_matrix(len(labels), weights, func)
    t_codes, r_codes, t_labels, _ = _complete(work, func, targets)
    pair = np.full((len(t_labels), 2), -1)
    pair[t_codes, r_codes] = codes
    q = len(labels)
    table = np.zeros((q, q))
    np.add.at(table, (pair[:, 0], pair[:, 1]), 1)
    p = table / table.sum()
    observed = float((w * p).sum())
    chance = float((w * np.outer(p.sum(axis=1), p.sum(axis=0))).sum())
    return _kappa(observed, chance)


def cohen_kappa(
    data: pd.DataFrame,
    *,
    targets: Columns = "call_id",
    raters: str = "evaluator",
    ratings: str = "score",
    weights: str | None = None,
    categories: Sequence[Any] | None = None,
) -> float:
    """Cohen's kappa: agreement of two raters beyond chance (weighted optionally).

    Parameters
    ----------
    data : pandas.DataFrame
        Long format, one row per call and rater. Exactly two raters, each scoring
        every call.
    targets : str or list of str, default "call_id"
        Column(s) naming the thing scored.
    raters : str, default "evaluator"
        Column naming the evaluator.
    ratings : str, default "score"
        Column holding the category (a label or a number).
    weights : {None, "linear", "quadratic"}, default None
        None counts only exact matches. "linear" and "quadratic" give partial
        credit to near misses on an ordered scale (weighted kappa).
    categories : sequence, optional
        The full scale, in order (e.g. ``[1, 2, 3, 4, 5]``). Defaults to the
        categories of an ordered pandas Categorical, else the sorted values seen.
        Matters for weights: the distance between two categories is the
        difference of their *positions* in this list.

    Returns
    -------
    float
        Kappa, at most 1; 0 is chance-level, negative is worse than chance.
        NaN when chance agreement is 1 (both raters used one category only).

    Notes
    -----
    With :math:`p_{jk}` the share of calls rater A put in category :math:`j` and
    rater B in :math:`k`, agreement weights :math:`w_{jk}` and margins
    :math:`p_{j+}, p_{+k}`:

    .. math:: \\kappa = \\frac{p_o - p_e}{1 - p_e},\\quad
              p_o = \\sum_{jk} w_{jk} p_{jk},\\quad
              p_e = \\sum_{jk} w_{jk} p_{j+} p_{+k}

    with :math:`w_{jk} = 1` if :math:`j = k` else 0 (unweighted),
    :math:`1 - |j-k|/(q-1)` (linear) or :math:`1 - (j-k)^2/(q-1)^2`
    (quadratic), for :math:`q` categories. Quadratic-weighted kappa is close to
    the absolute-agreement ICC(2,1) for numeric scores (Fleiss & Cohen 1973).

    Landis & Koch (1977) bands: < 0 poor, 0.00–0.20 slight, 0.21–0.40 fair,
    0.41–0.60 moderate, 0.61–0.80 substantial, 0.81–1.00 almost perfect.

    **Prevalence paradox.** When almost every call passes an item, chance
    agreement :math:`p_e` is close to 1 and kappa collapses, even with 90 %
    raw agreement (see the example in :func:`gwet_ac1`). Report percent
    agreement and AC1 beside kappa in that case.

    For a pair of *evaluators*, kappa answers "do they sort calls into the same
    categories?". To compare one evaluator with the anchor, also look at
    :func:`rater_bias`, which says in which direction they differ.

    References
    ----------
    .. [1] Cohen, J. (1960). A coefficient of agreement for nominal scales.
       *Educational and Psychological Measurement*, 20(1), 37–46.
    .. [2] Cohen, J. (1968). Weighted kappa. *Psychological Bulletin*, 70(4), 213–220.
    .. [3] Landis, J. R., & Koch, G. G. (1977). The measurement of observer
       agreement for categorical data. *Biometrics*, 33(1), 159–174.
    .. [4] Fleiss, J. L., & Cohen, J. (1973). The equivalence of weighted kappa
       and the intraclass correlation coefficient as measures of reliability.
       *Educational and Psychological Measurement*, 33(3), 613–619.
    .. [5] Feinstein, A. R., & Cicchetti, D. V. (1990). High agreement but low
       kappa: I. The problems of two paradoxes. *J. Clin. Epidemiol.*, 43(6), 543–549.

    Examples
    --------
    Two evaluators mark whether the agent confirmed the customer's problem on 50
    calls: both "yes" on 20, both "no" on 15, and they split on 15 calls.

    >>> import pandas as pd
    >>> from callcoach.calibration import cohen_kappa
    >>> pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    >>> session = pd.DataFrame(
    ...     [(call, rater, score)
    ...      for call, scores in enumerate(pairs)
    ...      for rater, score in zip(["Ann", "Bo"], scores)],
    ...     columns=["call_id", "evaluator", "score"],
    ... )
    >>> round(cohen_kappa(session), 3)
    0.4

    Weighted kappa on a 1–5 scale gives partial credit for near misses:

    >>> scores = pd.DataFrame({
    ...     "call_id": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6],
    ...     "evaluator": ["Ann", "expert"] * 6,
    ...     "score": [3, 3, 4, 5, 2, 2, 5, 5, 1, 2, 4, 4],
    ... })
    >>> round(cohen_kappa(scores), 3)
    0.586
    >>> round(cohen_kappa(scores, weights="quadratic", categories=[1, 2, 3, 4, 5]), 3)
    0.905
    """
    func = "cohen_kappa"
    work = _prepare(data, func, targets=targets, raters=raters, ratings=ratings)
    return _cohen_kappa(work, func, targets, raters, weights, categories)


def _fleiss_kappa(work: pd.DataFrame, func: str, weights, categories) -> float:
    codes, labels = _categories(work, func, categories, ordered=weights is not None)
    w = _weight_matrix(len(labels), weights, func)
    table = _counts(work, codes, len(labels))
    pi = _category_shares(table)
    return _kappa(_observed_agreement(table, w), float(pi @ w @ pi))


def fleiss_kappa(
    data: pd.DataFrame,
    *,
    targets: Columns = "call_id",
    raters: str = "evaluator",
    ratings: str = "score",
    weights: str | None = None,
    categories: Sequence[Any] | None = None,
) -> float:
    """Fleiss' kappa: agreement of several raters on categories beyond chance.

    Parameters
    ----------
    data : pandas.DataFrame
        Long format, one row per call and rater. Raters need not be the same on
        every call; calls scored by one rater count towards the category shares
        only.
    targets : str or list of str, default "call_id"
        Column(s) naming the thing scored.
    raters : str, default "evaluator"
        Column naming the evaluator.
    ratings : str, default "score"
        Column holding the category.
    weights : {None, "linear", "quadratic"}, default None
        Partial credit for near misses on an ordered scale (Gwet's weighted
        generalisation); None is Fleiss' original statistic.
    categories : sequence, optional
        The full scale, in order. See :func:`cohen_kappa`.

    Returns
    -------
    float
        Kappa, at most 1 (NaN when every rating is in one category).

    Notes
    -----
    With :math:`r_{ik}` raters putting call :math:`i` in category :math:`k`,
    :math:`r_i = \\sum_k r_{ik}`, :math:`n` calls and :math:`n'` calls with
    :math:`r_i \\ge 2`:

    .. math:: p_a = \\frac{1}{n'} \\sum_{i: r_i \\ge 2}
              \\frac{\\sum_k r_{ik}(r^*_{ik} - 1)}{r_i(r_i - 1)},\\quad
              \\pi_k = \\frac{1}{n}\\sum_i \\frac{r_{ik}}{r_i},\\quad
              p_e = \\sum_{kl} w_{kl}\\pi_k\\pi_l,\\quad
              \\kappa = \\frac{p_a - p_e}{1 - p_e}

    where :math:`r^*_{ik} = \\sum_l w_{kl} r_{il}` (:math:`= r_{ik}` unweighted).
    With the same number of raters on every call this is Fleiss (1971); with
    varying numbers it is Gwet's (2014) extension. Fleiss' kappa is a
    multi-rater Scott's pi: chance agreement uses the pooled category shares.

    Interpret with the Landis & Koch bands (see :func:`cohen_kappa`). Like
    every kappa it collapses when one category dominates (prevalence paradox);
    see :func:`gwet_ac1`.

    References
    ----------
    .. [1] Fleiss, J. L. (1971). Measuring nominal scale agreement among many
       raters. *Psychological Bulletin*, 76(5), 378–382.
    .. [2] Gwet, K. L. (2014). *Handbook of Inter-Rater Reliability* (4th ed.).
       Advanced Analytics.

    Examples
    --------
    Three evaluators judge whether the agent offered a follow-up on five calls:

    >>> import pandas as pd
    >>> from callcoach.calibration import fleiss_kappa
    >>> session = pd.DataFrame({
    ...     "call_id": [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5],
    ...     "evaluator": ["Ann", "Bo", "Cy"] * 5,
    ...     "score": ["yes", "yes", "yes", "no", "no", "yes", "no", "no", "no",
    ...               "yes", "yes", "no", "yes", "yes", "yes"],
    ... })
    >>> round(fleiss_kappa(session), 3)
    0.444
    """
    func = "fleiss_kappa"
    work = _prepare(data, func, targets=targets, raters=raters, ratings=ratings)
    return _fleiss_kappa(work, func, weights, categories)


def _gwet_ac1(work: pd.DataFrame, func: str, weights, categories) -> float:
    codes, labels = _categories(work, func, categories, ordered=weights is not None)
    q = len(labels)
    if q < 2:
        return float("nan")
    w = _weight_matrix(q, weights, func)
    table = _counts(work, codes, q)
    pi = _category_shares(table)
    chance = w.sum() / (q * (q - 1)) * float((pi * (1 - pi)).sum())
    return _kappa(_observed_agreement(table, w), chance)


def gwet_ac1(
    data: pd.DataFrame,
    *,
    targets: Columns = "call_id",
    raters: str = "evaluator",
    ratings: str = "score",
    weights: str | None = None,
    categories: Sequence[Any] | None = None,
) -> float:
    """Gwet's AC1 (AC2 with weights): chance-corrected agreement that survives skew.

    Parameters
    ----------
    data : pandas.DataFrame
        Long format, one row per call and rater; any number of raters, missing
        ratings allowed.
    targets : str or list of str, default "call_id"
        Column(s) naming the thing scored.
    raters : str, default "evaluator"
        Column naming the evaluator.
    ratings : str, default "score"
        Column holding the category.
    weights : {None, "linear", "quadratic"}, default None
        None gives AC1. "linear" or "quadratic" give AC2, with partial credit for
        near misses on an ordered scale.
    categories : sequence, optional
        The full scale, in order. **AC1 depends on the number of categories**
        :math:`q`, so pass the scorecard's full scale (e.g. ``["yes", "no",
        "n/a"]``) when some category was never used in the session.

    Returns
    -------
    float
        AC1 (or AC2), at most 1; NaN with fewer than two categories.

    Notes
    -----
    Observed agreement :math:`p_a` and category shares :math:`\\pi_k` as in
    :func:`fleiss_kappa`; only chance agreement differs:

    .. math:: p_e = \\frac{T_w}{q(q-1)} \\sum_k \\pi_k (1 - \\pi_k),\\quad
              \\mathrm{AC} = \\frac{p_a - p_e}{1 - p_e}

    with :math:`T_w = \\sum_{kl} w_{kl}` (:math:`= q` unweighted, so
    :math:`p_e = \\sum_k \\pi_k(1-\\pi_k)/(q-1)`).

    **Why AC1 when almost every call passes.** Kappa's chance agreement is
    :math:`\\sum_k \\pi_k^2`: if 95 % of ratings are "pass", chance agreement is
    about 0.905, so 90 % raw agreement gives a kappa near 0 or below — the
    *prevalence paradox* (Feinstein & Cicchetti 1990). Gwet reasons that chance
    agreement comes from raters guessing on hard calls, which is rare when
    nearly all calls are clear passes; :math:`\\pi(1-\\pi)` is then small and AC1
    stays close to raw agreement. Use AC1 (with percent agreement beside it) for
    scorecard items that almost always pass; use kappa when categories are
    balanced. The Landis & Koch bands (see :func:`cohen_kappa`) are commonly
    used for AC1 too.

    References
    ----------
    .. [1] Gwet, K. L. (2008). Computing inter-rater reliability and its
       variance in the presence of high agreement. *British Journal of
       Mathematical and Statistical Psychology*, 61(1), 29–48.
    .. [2] Gwet, K. L. (2014). *Handbook of Inter-Rater Reliability* (4th ed.).
       Advanced Analytics.
    .. [3] Wongpakaran, N., et al. (2013). A comparison of Cohen's kappa and
       Gwet's AC1 when calculating inter-rater reliability coefficients.
       *BMC Medical Research Methodology*, 13, 61.

    Examples
    --------
    Two evaluators agree on 90 of 100 calls, and 95 % of their ratings are
    "pass". Kappa says "no agreement"; AC1 agrees with the eye:

    >>> import pandas as pd
    >>> from callcoach.calibration import cohen_kappa, gwet_ac1, percent_agreement
    >>> pairs = [("pass", "pass")] * 90 + [("pass", "fail")] * 5 + [("fail", "pass")] * 5
    >>> session = pd.DataFrame(
    ...     [(call, rater, score)
    ...      for call, scores in enumerate(pairs)
    ...      for rater, score in zip(["Ann", "Bo"], scores)],
    ...     columns=["call_id", "evaluator", "score"],
    ... )
    >>> percent_agreement(session)
    0.9
    >>> round(cohen_kappa(session), 3)
    -0.053
    >>> round(gwet_ac1(session), 3)
    0.89
    """
    func = "gwet_ac1"
    work = _prepare(data, func, targets=targets, raters=raters, ratings=ratings)
    return _gwet_ac1(work, func, weights, categories)


def _krippendorff_alpha(
    work: pd.DataFrame, func: str, ratings: str, level: str, categories
) -> float:
    if level not in _LEVELS:
        raise ValueError(
            f"The 'level' parameter of {func} must be 'nominal', 'ordinal', 'interval' or "
            f"'ratio'. Got {level!r} instead."
        )
    if level in ("interval", "ratio"):
        values = _numeric(work, func, ratings, f"level={level!r} measures distances")
        if level == "ratio" and (values < 0).any():
            raise ValueError(
                f"{func} with level='ratio' needs scores of 0 or more (a ratio scale has a "
                f"true zero); the ratings include {values.min():g}. Use level='interval'."
            )
        if categories is not None:
            work = work.assign(y=values)
            _categories(work, func, categories, ordered=False)
        labels = np.array(sorted(set(values)), dtype=float)
        index = {v: i for i, v in enumerate(labels)}
        codes = np.array([index[v] for v in values], dtype=int)
    else:
        codes, labels = _categories(work, func, categories, ordered=level == "ordinal")
    q = len(labels)
    table = _counts(work, codes, q)
    m = table.sum(axis=1)
    table, m = table[m >= 2], m[m >= 2]
    if len(table) == 0:
        return float("nan")
    scaled = table / (m - 1)[:, None]
    coincidence = scaled.T @ table - np.diag(scaled.sum(axis=0))
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()
    if level == "nominal":
        delta = 1.0 - np.eye(q)
    elif level == "ordinal":
        cum = np.cumsum(n_c)
        lo = np.minimum.outer(np.arange(q), np.arange(q))
        hi = np.maximum.outer(np.arange(q), np.arange(q))
        between = cum[hi] - cum[lo] + n_c[lo]
        delta = (between - (n_c[:, None] + n_c[None, :]) / 2) ** 2
    elif level == "interval":
        delta = np.subtract.outer(labels, labels) ** 2
    else:
        total = np.add.outer(labels, labels)
        with np.errstate(invalid="ignore", divide="ignore"):
            delta = np.where(total == 0, 0.0, (np.subtract.outer(labels, labels) / total) ** 2)
    expected = float((np.outer(n_c, n_c) * delta).sum())
    if expected == 0:
        return float("nan")
    return float(1 - (n - 1) * (coincidence * delta).sum() / expected)


def krippendorff_alpha(
    data: pd.DataFrame,
    *,
    targets: Columns = "call_id",
    raters: str = "evaluator",
    ratings: str = "score",
    level: str = "nominal",
    categories: Sequence[Any] | None = None,
) -> float:
    """Krippendorff's alpha: agreement at any level of measurement, missing ratings allowed.

    Parameters
    ----------
    data : pandas.DataFrame
        Long format, one row per call and rater. Not every rater needs to score
        every call; calls with a single rating are ignored.
    targets : str or list of str, default "call_id"
        Column(s) naming the thing scored.
    raters : str, default "evaluator"
        Column naming the evaluator.
    ratings : str, default "score"
        Column holding the score.
    level : {"nominal", "ordinal", "interval", "ratio"}, default "nominal"
        How far apart two different scores are: "nominal" — simply different
        (labels); "ordinal" — by how many ratings lie between them (ordered
        scale, e.g. poor < fair < good); "interval" — squared difference
        (numeric scores); "ratio" — squared difference relative to size
        (scores with a true zero, e.g. seconds of dead air).
    categories : sequence, optional
        For "ordinal" with labels, their order (or use an ordered pandas
        Categorical). Values outside the list raise an error.

    Returns
    -------
    float
        Alpha, at most 1; 0 is chance-level. NaN when there is no variation.

    Notes
    -----
    Every call with :math:`m_u \\ge 2` ratings contributes its pairs of ratings,
    each weighted :math:`1/(m_u - 1)`, to the coincidence matrix
    :math:`o_{ck}`; :math:`n_c = \\sum_k o_{ck}`, :math:`n = \\sum_c n_c`.

    .. math:: \\alpha = 1 - \\frac{D_o}{D_e}
              = 1 - (n-1)\\frac{\\sum_{ck} o_{ck}\\,\\delta^2_{ck}}
                              {\\sum_{ck} n_c n_k\\,\\delta^2_{ck}}

    with :math:`\\delta^2_{ck}` = :math:`[c \\ne k]` (nominal),
    :math:`(\\sum_{g=c}^{k} n_g - (n_c + n_k)/2)^2` (ordinal),
    :math:`(c - k)^2` (interval) or :math:`((c - k)/(c + k))^2` (ratio).

    Krippendorff's guidance: rely on data with :math:`\\alpha \\ge .800`;
    :math:`.667 \\le \\alpha < .800` only for tentative conclusions; below .667,
    do not use the scores. Alpha generalises Scott's pi and Fleiss' kappa (to
    which it is close with many calls) and, at the interval level, resembles
    ICC(1,1); unlike them it allows missing ratings.

    References
    ----------
    .. [1] Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability.
       Annenberg School for Communication, University of Pennsylvania.
       https://repository.upenn.edu/asc_papers/43
    .. [2] Krippendorff, K. (2004). *Content Analysis: An Introduction to Its
       Methodology* (2nd ed.), ch. 11. Sage.
    .. [3] Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a
       standard reliability measure for coding data. *Communication Methods and
       Measures*, 1(1), 77–89.

    Examples
    --------
    Krippendorff's (2011) reliability data: four coders, twelve units, some
    units not coded by everyone.

    >>> import numpy as np
    >>> import pandas as pd
    >>> from callcoach.calibration import krippendorff_alpha
    >>> nan = np.nan
    >>> wide = pd.DataFrame({
    ...     "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...     "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...     "C": [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...     "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    ... }, index=pd.Index(range(1, 13), name="call_id"))
    >>> session = wide.reset_index().melt("call_id", var_name="evaluator", value_name="score")
    >>> for level in ["nominal", "ordinal", "interval", "ratio"]:
    ...     print(level, round(krippendorff_alpha(session, level=level), 3))
    nominal 0.743
    ordinal 0.815
    interval 0.849
    ratio 0.797
    """
    func = "krippendorff_alpha"
    work = _prepare(data, func, targets=targets, raters=raters, ratings=ratings)
    return _krippendorff_alpha(work, func, ratings, level, categories)


# ---------------------------------------------------------------------------- ICC
_ICC_FORMS = (
    ("ICC(1,1)", "ICC(1)", "one-way random, absolute agreement, single rater"),
    ("ICC(2,1)", "ICC(A,1)", "two-way random, absolute agreement, single rater"),
    ("ICC(3,1)", "ICC(C,1)", "two-way mixed, consistency, single rater"),
    ("ICC(1,k)", "ICC(k)", "one-way random, absolute agreement, mean of {k} raters"),
    ("ICC(2,k)", "ICC(A,k)", "two-way random, absolute agreement, mean of {k} raters"),
    ("ICC(3,k)", "ICC(C,k)", "two-way mixed, consistency, mean of {k} raters"),
)


def icc(
    data: pd.DataFrame,
    *,
    targets: Columns = "call_id",
    raters: str = "evaluator",
    ratings: str = "score",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Intraclass correlations: all six Shrout & Fleiss forms, with tests and intervals.

    Parameters
    ----------
    data : pandas.DataFrame
        Long format, one row per call and rater, numeric scores. Every rater must
        score every call (use :func:`krippendorff_alpha` with
        ``level="interval"`` otherwise).
    targets : str or list of str, default "call_id"
        Column(s) naming the thing scored.
    raters : str, default "evaluator"
        Column naming the evaluator.
    ratings : str, default "score"
        Column holding the numeric score.
    confidence : float, default 0.95
        Confidence level of the intervals.

    Returns
    -------
    pandas.DataFrame
        One row per form, in the order ICC(1,1), ICC(2,1), ICC(3,1), ICC(1,k),
        ICC(2,k), ICC(3,k), with columns:

        * ``form`` -- Shrout & Fleiss (1979) name, e.g. "ICC(2,1)".
        * ``mcgraw_wong`` -- McGraw & Wong (1996) name, e.g. "ICC(A,1)".
        * ``description`` -- model, definition and unit, e.g. "two-way random,
          absolute agreement, single rater".
        * ``icc`` -- the coefficient.
        * ``F``, ``df1``, ``df2``, ``p_value`` -- F test of "ICC = 0" (the
          calls do not differ beyond rater noise).
        * ``ci_low``, ``ci_high`` -- confidence interval for the ICC
          (McGraw & Wong 1996).

    Notes
    -----
    From a two-way ANOVA of :math:`n` calls by :math:`k` raters: mean squares
    between calls :math:`MS_R`, between raters :math:`MS_C`, residual
    :math:`MS_E` and within calls :math:`MS_W` (raters + residual):

    ======== ======== =====================================================
    SF       MW       formula
    ======== ======== =====================================================
    ICC(1,1) ICC(1)   :math:`(MS_R - MS_W)/(MS_R + (k-1) MS_W)`
    ICC(2,1) ICC(A,1) :math:`(MS_R - MS_E)/(MS_R + (k-1) MS_E + k(MS_C - MS_E)/n)`
    ICC(3,1) ICC(C,1) :math:`(MS_R - MS_E)/(MS_R + (k-1) MS_E)`
    ICC(1,k) ICC(k)   :math:`(MS_R - MS_W)/MS_R`
    ICC(2,k) ICC(A,k) :math:`(MS_R - MS_E)/(MS_R + (MS_C - MS_E)/n)`
    ICC(3,k) ICC(C,k) :math:`(MS_R - MS_E)/MS_R`
    ======== ======== =====================================================

    Which one to read in a calibration session:

    * **Absolute agreement, ICC(2,1) / ICC(A,1)**: "would this call get the
      same score whoever evaluates it?" — the question for QA scores that
      feed pay, coaching or league tables. A lenient evaluator lowers it.
    * **Consistency, ICC(3,1) / ICC(C,1)**: "do evaluators rank calls in the
      same order?" — a constant leniency does not lower it. If ICC(3,1) is
      much higher than ICC(2,1), evaluators see the same calls as good and bad
      but use different parts of the scale: look at :func:`rater_bias`.
    * **ICC(1,1)** assumes each call was scored by different, random evaluators;
      in a calibration session (everyone scores every call) prefer ICC(2,1).
    * The ``k`` forms give the reliability of the *mean* of the :math:`k`
      evaluators' scores, e.g. a panel score; they are always higher.

    Koo & Li (2016) bands, best applied to the confidence interval rather than
    the point estimate: < 0.50 poor, 0.50–0.75 moderate, 0.75–0.90 good,
    > 0.90 excellent.

    References
    ----------
    .. [1] Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: uses in
       assessing rater reliability. *Psychological Bulletin*, 86(2), 420–428.
    .. [2] McGraw, K. O., & Wong, S. P. (1996). Forming inferences about some
       intraclass correlation coefficients. *Psychological Methods*, 1(1), 30–46.
    .. [3] Koo, T. K., & Li, M. Y. (2016). A guideline of selecting and reporting
       intraclass correlation coefficients for reliability research. *Journal of
       Chiropractic Medicine*, 15(2), 155–163.

    Examples
    --------
    Shrout & Fleiss's (1979) worked example: four judges score six targets.

    >>> import pandas as pd
    >>> from callcoach.calibration import icc
    >>> wide = pd.DataFrame({
    ...     "J1": [9, 6, 8, 7, 10, 6], "J2": [2, 1, 4, 1, 5, 2],
    ...     "J3": [5, 3, 6, 2, 6, 4], "J4": [8, 2, 8, 6, 9, 7],
    ... }, index=pd.Index(range(1, 7), name="call_id"))
    >>> session = wide.reset_index().melt("call_id", var_name="evaluator", value_name="score")
    >>> table = icc(session)
    >>> table[["form", "mcgraw_wong", "icc", "ci_low", "ci_high"]].round(2)
           form mcgraw_wong   icc  ci_low  ci_high
    0  ICC(1,1)      ICC(1)  0.17   -0.13     0.72
    1  ICC(2,1)    ICC(A,1)  0.29    0.02     0.76
    2  ICC(3,1)    ICC(C,1)  0.71    0.34     0.95
    3  ICC(1,k)      ICC(k)  0.44   -0.88     0.91
    4  ICC(2,k)    ICC(A,k)  0.62    0.07     0.93
    5  ICC(3,k)    ICC(C,k)  0.91    0.68     0.99
    >>> table.loc[1, "description"]
    'two-way random, absolute agreement, single rater'

    The judges rank the targets alike (ICC(3,1) = 0.71) but use the scale very
    differently (ICC(2,1) = 0.29): judge 2 is far more severe.
    """
    from scipy import stats  # imported here: scipy.stats takes ~0.5 s to import
    func = "icc"
    _check_confidence(confidence, func)
    work = _prepare(data, func, targets=targets, raters=raters, ratings=ratings)
    y = _numeric(work, func, ratings, "an ICC is built from means and variances")
    t_codes, r_codes, t_labels, r_labels = _complete(work, func, targets)
    n, k = len(t_labels), len(r_labels)
    if n < 2:
        raise ValueError(
            f"icc needs at least two calls in column(s) {targets!r}; found {n}. "
            "Between-call variation is what an ICC measures."
        )
    x = np.empty((n, k))
    x[t_codes, r_codes] = y

    grand = x.mean()
    row_means, col_means = x.mean(axis=1), x.mean(axis=0)
    ss_rows = k * ((row_means - grand) ** 2).sum()
    ss_cols = n * ((col_means - grand) ** 2).sum()
    ss_within = ((x - row_means[:, None]) ** 2).sum()
    ss_error = ((x - row_means[:, None] - col_means[None, :] + grand) ** 2).sum()
    df_r, df_c, df_e, df_w = n - 1, k - 1, (n - 1) * (k - 1), n * (k - 1)
    msr, msc = ss_rows / df_r, ss_cols / df_c
    mse, msw = ss_error / df_e, ss_within / df_w
    scale = max(msr, msc, mse, msw)

    def ratio(num: float, den: float) -> float:
        # NaN where the denominator vanishes (e.g. no variation at all)
        return float("nan") if abs(den) <= 1e-12 * scale else num / den

    with np.errstate(divide="ignore", invalid="ignore"):
        icc1 = ratio(msr - msw, msr + (k - 1) * msw)
        icc2 = ratio(msr - mse, msr + (k - 1) * mse + k * (msc - mse) / n)
        icc3 = ratio(msr - mse, msr + (k - 1) * mse)
        icc1k = ratio(msr - msw, msr)
        icc2k = ratio(msr - mse, msr + (msc - mse) / n)
        icc3k = ratio(msr - mse, msr)

        f1, f3 = msr / msw, msr / mse
        p1, p3 = stats.f.sf(f1, df_r, df_w), stats.f.sf(f3, df_r, df_e)
        q = 1 - (1 - confidence) / 2

        # one-way and consistency forms (McGraw & Wong 1996, Table 7)
        f1l, f1u = f1 / stats.f.ppf(q, df_r, df_w), f1 * stats.f.ppf(q, df_w, df_r)
        f3l, f3u = f3 / stats.f.ppf(q, df_r, df_e), f3 * stats.f.ppf(q, df_e, df_r)
        ci1 = ((f1l - 1) / (f1l + k - 1), (f1u - 1) / (f1u + k - 1))
        ci3 = ((f3l - 1) / (f3l + k - 1), (f3u - 1) / (f3u + k - 1))
        ci1k = (1 - 1 / f1l, 1 - 1 / f1u)
        ci3k = (1 - 1 / f3l, 1 - 1 / f3u)

        # absolute agreement, two-way random: Satterthwaite degrees of freedom
        a = k * icc2 / (n * (1 - icc2))
        b = 1 + k * icc2 * (n - 1) / (n * (1 - icc2))
        v = (a * msc + b * mse) ** 2 / ((a * msc) ** 2 / df_c + (b * mse) ** 2 / df_e)
        fu, fl = stats.f.ppf(q, df_r, v), stats.f.ppf(q, v, df_r)
        lo2 = n * (msr - fu * mse) / (fu * (k * msc + (k * n - k - n) * mse) + n * msr)
        hi2 = n * (fl * msr - mse) / (k * msc + (k * n - k - n) * mse + n * fl * msr)
        ci2 = (lo2, hi2)
        ci2k = (lo2 * k / (1 + lo2 * (k - 1)), hi2 * k / (1 + hi2 * (k - 1)))

    values = [icc1, icc2, icc3, icc1k, icc2k, icc3k]
    cis = [ci1, ci2, ci3, ci1k, ci2k, ci3k]
    rows = []
    for (form, mw, desc), value, (lo, hi), one_way in zip(
        _ICC_FORMS, values, cis, [True, False, False, True, False, False]
    ):
        rows.append(
            {
                "form": form,
                "mcgraw_wong": mw,
                "description": desc.format(k=k),
                "icc": float(value),
                "F": float(f1 if one_way else f3),
                "df1": df_r,
                "df2": df_w if one_way else df_e,
                "p_value": float(p1 if one_way else p3),
                "ci_low": float(lo),
                "ci_high": float(hi),
            }
        )
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ diagnostics
def _paired(
    work: pd.DataFrame, anchor: Hashable, keys: Sequence[str] = ("t",)
) -> pd.DataFrame:
    """Each non-anchor rating beside the anchor's rating of the same call."""
    keys = list(keys)
    mine = work[work["r"] != anchor]
    theirs = work.loc[work["r"] == anchor, [*keys, "y"]].rename(columns={"y": "y_anchor"})
    return mine.merge(theirs, on=keys, how="left")


def _t_interval(d: np.ndarray, confidence: float) -> tuple[float, float, float]:
    from scipy import stats  # imported here: scipy.stats takes ~0.5 s to import
    n = len(d)
    mean = float(d.mean()) if n else float("nan")
    if n < 2:
        return mean, float("nan"), float("nan")
    half = stats.t.ppf(1 - (1 - confidence) / 2, n - 1) * d.std(ddof=1) / np.sqrt(n)
    return mean, float(mean - half), float(mean + half)


def _rater_order(work: pd.DataFrame, anchor: Hashable) -> list[Any]:
    return [r for r in _ordered_unique(work["r"]) if r != anchor]


def rater_bias(
    data: pd.DataFrame,
    *,
    targets: Columns = "call_id",
    raters: str = "evaluator",
    ratings: str = "score",
    anchor: Hashable = "expert",
    tolerance: float = 0,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Each evaluator's leniency or severity against the anchor (expert) rater.

    Parameters
    ----------
    data : pandas.DataFrame
        Long format, one row per call and rater, numeric scores. The anchor
        must have scored the calls to be compared.
    targets : str or list of str, default "call_id"
        Column(s) naming the thing scored.
    raters : str, default "evaluator"
        Column naming the evaluator.
    ratings : str, default "score"
        Column holding the numeric score.
    anchor : hashable, default "expert"
        The rater whose scores count as the standard (the calibrator, QA lead
        or expert panel).
    tolerance : float, default 0
        Smallest bias worth a label, in score points: a rater is labelled
        lenient or severe only when the bias is beyond it *and* the confidence
        interval excludes 0.
    confidence : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    pandas.DataFrame
        One row per rater other than the anchor, with columns:

        * the ``raters`` column (e.g. ``evaluator``) -- the rater.
        * ``n`` -- calls scored by both the rater and the anchor.
        * ``bias`` -- mean of (rater's score − anchor's score); positive =
          lenient, negative = severe.
        * ``ci_low``, ``ci_high`` -- t confidence interval of the bias (NaN
          with fewer than two calls).
        * ``correlation`` -- Pearson correlation with the anchor over those
          calls (consistency: does the rater rank calls like the anchor?);
          NaN when either set of scores is constant or n < 3.
        * ``label`` -- "lenient", "severe", "in line", or "too few calls"
          when n < 2.

    Notes
    -----
    For rater :math:`j` and the :math:`n_j` calls :math:`i` both scored,
    :math:`d_i = x_{ij} - x_{i,\\text{anchor}}`, bias :math:`\\bar d`, interval
    :math:`\\bar d \\pm t_{n_j - 1} s_d / \\sqrt{n_j}`.

    Bias and correlation answer different questions: a rater with bias +0.8
    and correlation 0.95 sees calls exactly like the anchor but marks
    generously (recalibrate the scale); a rater with bias 0 and correlation 0.3
    averages out right but disagrees call by call (retrain on the scorecard
    definitions). The first hurts ICC(2,1) but not ICC(3,1); the second hurts
    both.

    References
    ----------
    .. [1] Bland, J. M., & Altman, D. G. (1986). Statistical methods for
       assessing agreement between two methods of clinical measurement.
       *The Lancet*, 327(8476), 307–310.

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach.calibration import rater_bias
    >>> session = pd.DataFrame({
    ...     "call_id": [1, 2, 3, 4, 5] * 3,
    ...     "evaluator": ["expert"] * 5 + ["Ann"] * 5 + ["Bo"] * 5,
    ...     "score": [70, 85, 60, 90, 75,    # expert
    ...               78, 92, 70, 96, 82,    # Ann: about 7 points higher
    ...               74, 80, 66, 86, 70],   # Bo: right on average, noisy call by call
    ... })
    >>> rater_bias(session).round(2)
      evaluator  n  bias  ci_low  ci_high  correlation    label
    0       Ann  5   7.6    5.72     9.48         1.00  lenient
    1        Bo  5  -0.8   -7.45     5.85         0.93  in line

    Ann marks about 7.6 points above the expert on every call, while ranking
    the calls the same way (correlation 1.00): recalibrate her scale. Bo is
    right on average but his interval is wide: his scores wander call by call.
    """
    func = "rater_bias"
    _check_confidence(confidence, func)
    _check_tolerance(tolerance, func)
    work = _prepare(data, func, targets=targets, raters=raters, ratings=ratings)
    _check_anchor(work, func, anchor, raters)
    work = work.assign(y=_numeric(work, func, ratings, "bias is a difference of scores"))
    pairs = _paired(work, anchor).dropna(subset=["y_anchor"])
    rows = []
    for rater in _rater_order(work, anchor):
        mine = pairs[pairs["r"] == rater]
        x, a = mine["y"].to_numpy(float), mine["y_anchor"].to_numpy(float)
        bias, lo, hi = _t_interval(x - a, confidence)
        corr = float("nan")
        if len(x) >= 3 and x.std() > 0 and a.std() > 0:
            corr = float(np.corrcoef(x, a)[0, 1])
        if len(x) < 2:
            label = "too few calls"
        elif lo > 0 and bias > tolerance:
            label = "lenient"
        elif hi < 0 and bias < -tolerance:
            label = "severe"
        else:
            label = "in line"
        rows.append(
            {raters: rater, "n": len(x), "bias": bias, "ci_low": lo, "ci_high": hi,
             "correlation": corr, "label": label}
        )
    return pd.DataFrame(rows, columns=[raters, "n", "bias", "ci_low", "ci_high", "correlation", "label"])


def calibration_score(
    data: pd.DataFrame,
    *,
    targets: Columns = "call_id",
    raters: str = "evaluator",
    ratings: str = "score",
    anchor: Hashable = "expert",
    tolerance: float = 0,
) -> pd.DataFrame:
    """Share of each evaluator's scores within a tolerance of the anchor's.

    This is the "calibration score" that commercial QA suites report after a
    calibration session: how often the evaluator landed where the calibrator did.

    Parameters
    ----------
    data : pandas.DataFrame
        Long format, one row per call (or call and item) and rater.
    targets : str or list of str, default "call_id"
        Column(s) naming the thing scored; use ``["call_id", "item"]`` to count
        item by item.
    raters : str, default "evaluator"
        Column naming the evaluator.
    ratings : str, default "score"
        Column holding the score (labels allowed when ``tolerance`` is 0).
    anchor : hashable, default "expert"
        The rater whose scores count as the standard.
    tolerance : float, default 0
        Largest difference from the anchor that still counts as calibrated, in
        score points (e.g. 5 on a 100-point form). 0 means an exact match.

    Returns
    -------
    pandas.DataFrame
        One row per rater other than the anchor, with columns:

        * the ``raters`` column -- the rater.
        * ``n`` -- calls scored by both the rater and the anchor.
        * ``within_tolerance`` -- how many of those scores were within tolerance.
        * ``calibration_score`` -- their share, 0 to 1 (NaN when n is 0);
          multiply by 100 for the percentage a QA suite shows.

    Notes
    -----
    :math:`\\text{score}_j = \\frac{1}{n_j}\\sum_i [\\,|x_{ij} - x_{i,\\text{anchor}}|
    \\le \\text{tolerance}\\,]`. It is percent agreement with the anchor, so it
    is not corrected for chance and says nothing about direction; read it with
    :func:`rater_bias`. Centres often target 80–90 % within their chosen
    tolerance; the tolerance should be stated with the score.

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach.calibration import calibration_score
    >>> session = pd.DataFrame({
    ...     "call_id": [1, 2, 3, 4] * 3,
    ...     "evaluator": ["expert"] * 4 + ["Ann"] * 4 + ["Bo"] * 4,
    ...     "score": [80, 90, 65, 70,  84, 96, 70, 77,  80, 88, 66, 70],
    ... })
    >>> calibration_score(session, tolerance=5)
      evaluator  n  within_tolerance  calibration_score
    0       Ann  4                 2                0.5
    1        Bo  4                 4                1.0
    """
    func = "calibration_score"
    _check_tolerance(tolerance, func)
    work = _prepare(data, func, targets=targets, raters=raters, ratings=ratings)
    _check_anchor(work, func, anchor, raters)
    if tolerance > 0:
        work = work.assign(y=_numeric(work, func, ratings, "a tolerance is a distance between scores"))
    pairs = _paired(work, anchor)
    pairs = pairs[pairs["y_anchor"].notna()]
    rows = []
    for rater in _rater_order(work, anchor):
        mine = pairs[pairs["r"] == rater]
        if tolerance > 0:
            hit = _within(mine["y"].to_numpy(float) - mine["y_anchor"].to_numpy(float), tolerance)
        else:
            hit = np.array([a == b for a, b in zip(mine["y"], mine["y_anchor"])], dtype=bool)
        n = len(mine)
        rows.append(
            {raters: rater, "n": n, "within_tolerance": int(hit.sum()),
             "calibration_score": float(hit.mean()) if n else float("nan")}
        )
    return pd.DataFrame(rows, columns=[raters, "n", "within_tolerance", "calibration_score"])


DEFAULT_THRESHOLDS = {
    "percent_agreement": 0.80,
    "cohen_kappa": 0.60,
    "fleiss_kappa": 0.60,
    "gwet_ac1": 0.60,
    "krippendorff_alpha": 0.667,
}


def item_agreement(
    data: pd.DataFrame,
    *,
    targets: Columns = "call_id",
    raters: str = "evaluator",
    ratings: str = "score",
    items: str = "item",
    statistic: str = "gwet_ac1",
    threshold: float | None = None,
    categories: Sequence[Any] | Mapping[Any, Sequence[Any]] | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Agreement item by item on the scorecard, flagging items whose definitions need work.

    Parameters
    ----------
    data : pandas.DataFrame
        Long format, one row per call, rater and scorecard item.
    targets : str or list of str, default "call_id"
        Column(s) naming the call.
    raters : str, default "evaluator"
        Column naming the evaluator.
    ratings : str, default "score"
        Column holding the item's score (e.g. "yes"/"no", or points).
    items : str, default "item"
        Column naming the scorecard item.
    statistic : str, default "gwet_ac1"
        One of "gwet_ac1", "fleiss_kappa", "krippendorff_alpha", "cohen_kappa"
        (exactly two raters) or "percent_agreement".
    threshold : float, optional
        Items below it are flagged. Defaults: 0.60 for gwet_ac1, fleiss_kappa and
        cohen_kappa (below "substantial" in Landis & Koch), 0.667 for
        krippendorff_alpha (Krippendorff's lowest acceptable value), 0.80 for
        percent_agreement.
    categories : sequence or mapping, optional
        The scale of each item. By default each item is judged on its own scale:
        the values seen *on that item* (a pandas Categorical column's categories,
        if the ratings are one, are taken as every item's scale). A mapping
        ``{item: scale}`` gives the scale of the items it names (items it leaves
        out keep their seen values; names not in the data are ignored). A sequence
        is one scale shared by every item -- right only when all the items use it.
    **options
        Passed to the statistic, e.g. ``weights="quadratic"`` or
        ``level="ordinal"``, or ``tolerance`` / ``method`` for percent_agreement.

    Returns
    -------
    pandas.DataFrame
        One row per item, worst first, with columns:

        * the ``items`` column -- the item.
        * ``n_calls`` -- calls with at least one rating on the item.
        * ``percent_agreement`` -- pairwise agreement (see
          :func:`percent_agreement`).
        * a column named after ``statistic`` -- its value (omitted when the
          statistic is percent_agreement itself). NaN when undefined.
        * ``needs_work`` -- True when the statistic is below ``threshold``.

    Notes
    -----
    An item that evaluators cannot score alike usually has a definition open to
    interpretation ("showed empathy") or an unclear boundary ("offered further
    help" — at the start or only at the end?). Rewrite its definition with
    examples from the calibration calls, then recalibrate. QA items mostly
    pass, so kappa is often misleadingly low on good items (the prevalence
    paradox, see :func:`gwet_ac1`); AC1 is the default for that reason. Items
    with very few calls give unstable statistics: read ``n_calls``.

    **Each item on its own scale.** Kappa and AC1 correct for the agreement
    expected by chance, which depends on how many categories an item has: AC1's
    chance agreement is ``sum_k pi_k (1 - pi_k) / (q - 1)`` over ``q`` categories.
    A scorecard mixes scales (yes/no, 0-2, 1-5); pooling every value seen on any
    item would give a 0-2 item categories it cannot have ("yes", 3, 4, 5),
    shrink its chance agreement and inflate its AC1 (on the practice session,
    with the scores as entered, proactive offer would read 0.55 instead of 0.38).
    So by default an item's categories are only the values seen on it. The cost:
    a score nobody gave on an item is not counted as possible, so an item
    everyone scored the same has a single category and an undefined statistic
    (NaN, never flagged). When you know the scales -- a scorecard does -- pass
    them: ``categories={"greeting": ["no", "yes"], ...}``.

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach.calibration import item_agreement
    >>> rows = []
    >>> greeting = ["yes"] * 6
    >>> empathy = [["yes", "no", "yes"], ["no", "yes", "yes"], ["yes", "yes", "no"],
    ...            ["no", "no", "yes"], ["yes", "no", "no"], ["yes", "yes", "yes"]]
    >>> for call in range(6):
    ...     for rater in range(3):
    ...         rows.append((call, f"E{rater}", "greeting", greeting[call]))
    ...         rows.append((call, f"E{rater}", "empathy", empathy[call][rater]))
    >>> session = pd.DataFrame(rows, columns=["call_id", "evaluator", "item", "score"])
    >>> item_agreement(session).round(3)
           item  n_calls  percent_agreement  gwet_ac1  needs_work
    0   empathy        6              0.444    -0.059        True
    1  greeting        6              1.000       NaN       False

    Everyone said "yes" to the greeting, so on the values seen it has one category
    and AC1 is undefined. Give its scale and the perfect agreement shows:

    >>> item_agreement(session, categories={"greeting": ["no", "yes"]}).round(3)
           item  n_calls  percent_agreement  gwet_ac1  needs_work
    0   empathy        6              0.444    -0.059        True
    1  greeting        6              1.000     1.000       False
    """
    func = "item_agreement"
    if statistic not in DEFAULT_THRESHOLDS:
        raise ValueError(
            f"The 'statistic' parameter of {func} must be one of "
            f"{_listing(list(DEFAULT_THRESHOLDS))}. Got {statistic!r} instead."
        )
    if threshold is None:
        threshold = DEFAULT_THRESHOLDS[statistic]
    work = _prepare(
        data, func, targets=targets, raters=raters, ratings=ratings, extra={"items": items}
    )

    def scale_of(item: Any) -> Sequence[Any] | None:
        """The item's categories; None means the values seen on the item."""
        if isinstance(categories, Mapping):
            return categories.get(item)
        return categories

    def compute(sub: pd.DataFrame, categories: Sequence[Any] | None) -> float:
        if statistic == "percent_agreement":
            return _percent_agreement(
                sub, func, ratings, options.get("tolerance", 0), options.get("method", "pairwise")
            )
        if statistic == "cohen_kappa":
            return _cohen_kappa(sub, func, targets, raters, options.get("weights"), categories)
        if statistic == "fleiss_kappa":
            return _fleiss_kappa(sub, func, options.get("weights"), categories)
        if statistic == "gwet_ac1":
            return _gwet_ac1(sub, func, options.get("weights"), categories)
        return _krippendorff_alpha(
            sub, func, ratings, options.get("level", "nominal"), categories
        )

    allowed = {
        "percent_agreement": {"tolerance", "method"},
        "cohen_kappa": {"weights"},
        "fleiss_kappa": {"weights"},
        "gwet_ac1": {"weights"},
        "krippendorff_alpha": {"level"},
    }[statistic]
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise TypeError(
            f"item_agreement with statistic={statistic!r} accepts the options "
            f"{_listing(sorted(allowed))}. Got {_listing(unknown)} instead."
        )

    rows = []
    for item in _ordered_unique(work["items"]):
        sub = work[work["items"] == item]
        try:
            value = compute(sub, scale_of(item))
            pa = _percent_agreement(sub, func, ratings, 0, "pairwise")
        except ValueError as error:
            raise ValueError(f"For item {_fmt(item)}: {error}") from None
        row = {items: item, "n_calls": int(sub["t"].nunique()), "percent_agreement": pa}
        row[statistic] = value
        row["needs_work"] = bool(value < threshold)
        rows.append(row)
    out = pd.DataFrame(rows)
    out = out.sort_values(statistic, kind="stable", na_position="last")
    return out.reset_index(drop=True)


def rater_drift(
    data: pd.DataFrame,
    *,
    targets: Columns = "call_id",
    raters: str = "evaluator",
    ratings: str = "score",
    sessions: str = "session",
    anchor: Hashable = "expert",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Each evaluator's bias against the anchor, session by session, with its trend.

    Parameters
    ----------
    data : pandas.DataFrame
        Long format, one row per session, call and rater, numeric scores.
    targets : str or list of str, default "call_id"
        Column(s) naming the call.
    raters : str, default "evaluator"
        Column naming the evaluator.
    ratings : str, default "score"
        Column holding the numeric score.
    sessions : str, default "session"
        Column naming the calibration session. Sessions are put in order by
        sorting its values, so use dates or numbers (or an ordered Categorical).
    anchor : hashable, default "expert"
        The rater whose scores count as the standard, in every session.
    confidence : float, default 0.95
        Confidence level used for the trend.

    Returns
    -------
    pandas.DataFrame
        One row per rater (other than the anchor) and session in which the
        rater scored a call the anchor also scored, with columns:

        * the ``raters`` column and the ``sessions`` column.
        * ``n`` -- calls in that session scored by the rater and the anchor.
        * ``bias`` -- mean (rater − anchor) in that session.
        * ``slope`` -- the rater's trend: change in bias per session, the
          least-squares slope of every call's difference on the session's
          position (0, 1, 2, … over all sessions in the data). Same on every
          row of a rater.
        * ``slope_ci_low``, ``slope_ci_high`` -- its confidence interval.
        * ``trend`` -- "more lenient over time", "more severe over time",
          "steady" (interval includes 0), or "too few sessions".

    Notes
    -----
    Drift is a slow change in how an evaluator applies the scorecard — habits
    creep in, or a new evaluator's early severity wears off. It is invisible in
    one session's agreement statistics; across sessions it shows as a bias
    that moves. A drifting evaluator needs recalibrating on the items that
    moved (run :func:`item_agreement` on their recent sessions).

    Examples
    --------
    >>> import pandas as pd
    >>> from callcoach.calibration import rater_drift
    >>> rows = []
    >>> for session in [1, 2, 3, 4]:
    ...     for call in range(3):
    ...         truth = 70 + 5 * call
    ...         rows += [(session, call, "expert", truth),
    ...                  (session, call, "Ann", truth + 2 * session + call % 2),
    ...                  (session, call, "Bo", truth + (call - 1))]
    >>> calls = pd.DataFrame(rows, columns=["session", "call_id", "evaluator", "score"])
    >>> drift = rater_drift(calls)
    >>> drift[["evaluator", "session", "bias", "slope", "trend"]].round(2)
      evaluator  session  bias  slope                  trend
    0       Ann        1  2.33    2.0  more lenient over time
    1       Ann        2  4.33    2.0  more lenient over time
    2       Ann        3  6.33    2.0  more lenient over time
    3       Ann        4  8.33    2.0  more lenient over time
    4        Bo        1  0.00    0.0                 steady
    5        Bo        2  0.00    0.0                 steady
    6        Bo        3  0.00    0.0                 steady
    7        Bo        4  0.00    0.0                 steady
    """
    from scipy import stats  # imported here: scipy.stats takes ~0.5 s to import
    func = "rater_drift"
    _check_confidence(confidence, func)
    work = _prepare(
        data, func, targets=targets, raters=raters, ratings=ratings, extra={"sessions": sessions}
    )
    _check_anchor(work, func, anchor, raters)
    work = work.assign(y=_numeric(work, func, ratings, "drift is a difference of scores"))
    column = data[sessions]
    if isinstance(column.dtype, pd.CategoricalDtype) and column.dtype.ordered:
        order = [s for s in column.dtype.categories if s in set(work["sessions"])]
    else:
        order = _ordered_unique(work["sessions"])
    position = {s: i for i, s in enumerate(order)}
    pairs = _paired(work, anchor, keys=("sessions", "t")).dropna(subset=["y_anchor"])
    pairs = pairs.assign(d=pairs["y"] - pairs["y_anchor"], x=pairs["sessions"].map(position))

    rows = []
    q = 1 - (1 - confidence) / 2
    for rater in _rater_order(work, anchor):
        mine = pairs[pairs["r"] == rater]
        x, d = mine["x"].to_numpy(float), mine["d"].to_numpy(float)
        slope = lo = hi = float("nan")
        trend = "too few sessions"
        if len(np.unique(x)) >= 2 and len(x) >= 3:
            fit = stats.linregress(x, d)
            half = stats.t.ppf(q, len(x) - 2) * fit.stderr
            slope, lo, hi = float(fit.slope), float(fit.slope - half), float(fit.slope + half)
            if lo > 0:
                trend = "more lenient over time"
            elif hi < 0:
                trend = "more severe over time"
            else:
                trend = "steady"
        for session in sorted(set(mine["x"]), key=int):
            here = mine[mine["x"] == session]
            rows.append(
                {raters: rater, sessions: order[int(session)], "n": len(here),
                 "bias": float(here["d"].mean()), "slope": slope,
                 "slope_ci_low": lo, "slope_ci_high": hi, "trend": trend}
            )
    columns = [raters, sessions, "n", "bias", "slope", "slope_ci_low", "slope_ci_high", "trend"]
    return pd.DataFrame(rows, columns=columns)
