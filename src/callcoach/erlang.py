"""Erlang B, Erlang C and Erlang A: the queueing formulas behind staffing a contact centre.

A planner's question is always the same: *how many agents do we need on the phones
in this half hour?* The answer comes from a queueing model of the interval:

=========================================  ============================================
question                                   function
=========================================  ============================================
How busy is the line, in agents' worth     :func:`offered_load` (erlangs, 话务量)
of work?
Share of calls that must wait (no          :func:`erlang_c` (traffic in erlangs) -- the
abandonment)?                              classic Erlang C model
Share answered within 20 s?                :func:`service_level`
Average speed of answer?                   :func:`asa`
How busy are the agents?                   :func:`occupancy`
Same questions when callers hang up        :func:`erlang_a_wait_probability`,
(Erlang A, with caller patience)?          :func:`erlang_a_abandon_probability`,
                                           :func:`erlang_a_service_level`,
                                           :func:`erlang_a_asa`,
                                           :func:`erlang_a_occupancy`
How many agents to schedule?               :func:`required_agents`
Share of calls lost when there is no       :func:`erlang_b` (blocked calls cleared)
queue at all?
=========================================  ============================================

Every function takes numbers, numpy arrays or pandas Series, and broadcasts them, so
a whole week of 336 half-hour intervals is one call. A number in gives a Python
``float`` (or ``int``) back; a Series in gives a Series with the same index back.

The functions of a queue share one shape::

    f(arrival_rate_per_min, aht_s, agents, *, threshold_s=20, patience_s=...)

with the arrival rate in calls per minute, handle and waiting times in seconds;
:func:`erlang_b` and :func:`erlang_c` take the offered load in erlangs, as the tables
do, and :func:`required_agents` returns the agents.

How the numbers are computed
----------------------------
Erlang B is the ratio of a Poisson probability to a Poisson distribution function,
``B(N, A) = P(X = N) / P(X <= N)`` with ``X ~ Poisson(A)``. Both are computed in log
space -- the probability with Loader's saddle-point form (the one R's ``dpois``
uses), the distribution function with :func:`scipy.special.gammaincc`, and, where that
is vanishingly small (traffic far above the agents), with the Legendre continued
fraction of the incomplete gamma function. Nothing overflows and no factorial is ever
formed, so the cost does not grow with the number of agents, and the relative error
stays below 1e-11 (typically 1e-13) from one agent to ten thousand and beyond, at
loads far below and far above the agents (the tests compare with a 50-digit mpmath
computation). Quantities so small that they underflow a double (below about 1e-300)
come back as 0 or as a less precise subnormal number.

Erlang A uses the Palm / Garnett-Mandelbaum-Reiman closed forms in terms of the
incomplete gamma function where those are well conditioned, and otherwise sums the
waiting-line terms of the birth-death chain directly (a short, vectorised,
geometrically converging sum); see :func:`erlang_a_wait_probability`.

Agents may be fractional (for example 11.8 agents staffed on average over a half
hour): the formulas then use the standard continuous extension of Erlang B through the
incomplete gamma function (Jagerman 1974); whole numbers of agents give the textbook
values.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

__all__ = [
    "asa",
    "erlang_a_abandon_probability",
    "erlang_a_asa",
    "erlang_a_occupancy",
    "erlang_a_service_level",
    "erlang_a_wait_probability",
    "erlang_b",
    "erlang_c",
    "occupancy",
    "offered_load",
    "required_agents",
    "service_level",
]

#: What the numeric parameters accept: a number, a sequence or array of numbers, a
#: pandas Series or DataFrame.
ArrayLike = Any

_LOG_2PI = math.log(2.0 * math.pi)
_SERVICE_LEVEL_METHODS = ("offered", "answered")
_MODELS = ("erlang_c", "erlang_a")
# A regularised incomplete gamma value below this is recomputed another way: scipy's
# values keep a relative error near 1e-14 down to here, and lose digits further out.
_GAMMA_TINY = 1e-30
# Terms of the waiting-line sums are added until the rest is below this share.
_SUM_TOL = 1e-17
_CHUNK = 64


# =============================================================================
# Input checks and output wrapping
# =============================================================================
def _show(value: Any) -> str:
    """A number as a message shows it: ``-20`` rather than ``-20.0`` or ``np.float64(-20.0)``."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, (int, str)):
        return repr(value)
    if isinstance(value, pd.DataFrame):
        return f"a DataFrame of shape {value.shape}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _numeric(func: str, name: str, value: Any) -> np.ndarray:
    """``value`` as a float array, or a TypeError that names the parameter."""
    def bad_type() -> TypeError:
        return TypeError(
            f"The '{name}' parameter of {func} must be a number, an array of numbers or a "
            f"pandas Series of numbers. Got {_show(value)} instead."
        )

    if value is None or isinstance(value, (str, bytes, bool, np.bool_)):
        raise bad_type()
    try:
        raw = np.asarray(value)
    except Exception as exc:  # pragma: no cover - exotic array-likes
        raise bad_type() from exc
    if raw.dtype.kind in "bUSVcmM":
        raise bad_type()
    if raw.dtype.kind == "O" and any(isinstance(v, (str, bytes, bool)) for v in raw.flat):
        raise bad_type()
    try:
        return np.asarray(raw, dtype=float)
    except (TypeError, ValueError) as exc:
        raise bad_type() from exc


def _where(value: Any, arr: np.ndarray, flat_index: int) -> str:
    """Where the first bad element sits, for the message (empty for a scalar)."""
    if arr.ndim == 0:
        return ""
    if isinstance(value, pd.Series):
        return f" at index {value.index[flat_index]}"
    if isinstance(value, pd.DataFrame):
        row, col = np.unravel_index(flat_index, arr.shape)
        return f" at row {value.index[row]}, column {value.columns[col]}"
    position = np.unravel_index(flat_index, arr.shape)
    return f" at position {position[0] if len(position) == 1 else tuple(int(p) for p in position)}"


def _require(func: str, name: str, value: Any, arr: np.ndarray, ok: np.ndarray, what: str) -> None:
    """Raise the house-style ValueError if any element of ``arr`` fails ``ok``."""
    ok = np.asarray(ok)
    if ok.all():
        return
    first = int(np.flatnonzero(~ok.ravel())[0])
    bad = arr.ravel()[first]
    scalar = arr.ndim == 0 and not isinstance(value, np.ndarray)
    shown = _show(value) if scalar else _show(float(bad))
    raise ValueError(
        f"The '{name}' parameter of {func} must be {what}. "
        f"Got {shown}{_where(value, arr, first)} instead."
    )


def _finite(arr: np.ndarray) -> np.ndarray:
    return np.isfinite(arr)


def _check_rate(func: str, value: Any) -> np.ndarray:
    arr = _numeric(func, "arrival_rate_per_min", value)
    _require(func, "arrival_rate_per_min", value, arr, _finite(arr) & (arr >= 0),
             "a non-negative number (calls per minute)")
    return arr


def _check_positive(func: str, name: str, value: Any, unit: str = "") -> np.ndarray:
    arr = _numeric(func, name, value)
    _require(func, name, value, arr, _finite(arr) & (arr > 0), f"a positive number{unit}")
    return arr


def _check_agents(func: str, value: Any) -> np.ndarray:
    arr = _numeric(func, "agents", value)
    _require(func, "agents", value, arr, _finite(arr) & (arr >= 0),
             "a non-negative number of agents")
    return arr


def _check_traffic(func: str, value: Any) -> np.ndarray:
    arr = _numeric(func, "traffic_erlangs", value)
    _require(func, "traffic_erlangs", value, arr, _finite(arr) & (arr >= 0),
             "a non-negative number (erlangs)")
    return arr


def _check_threshold(func: str, value: Any) -> np.ndarray:
    arr = _numeric(func, "threshold_s", value)
    _require(func, "threshold_s", value, arr, ~np.isnan(arr) & (arr >= 0),
             "a non-negative number")
    return arr


def _check_patience(func: str, value: Any) -> np.ndarray:
    arr = _numeric(func, "patience_s", value)
    _require(func, "patience_s", value, arr, ~np.isnan(arr) & (arr > 0),
             "a positive number of seconds (np.inf for callers who never hang up)")
    return arr


def _check_fraction(func: str, name: str, value: Any, *, low_open: bool, high_open: bool,
                    what: str) -> np.ndarray:
    arr = _numeric(func, name, value)
    low = (arr > 0) if low_open else (arr >= 0)
    high = (arr < 1) if high_open else (arr <= 1)
    _require(func, name, value, arr, ~np.isnan(arr) & low & high, what)
    return arr


def _check_choice(func: str, name: str, value: Any, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(
            f"The '{name}' parameter of {func} must be one of {listed}. Got {value!r} instead."
        )
    return value


def _template(func: str, named: dict[str, Any]) -> pd.Series | pd.DataFrame | None:
    """The first pandas input (the output copies its index); all must agree."""
    template = None
    for name, value in named.items():
        if isinstance(value, (pd.Series, pd.DataFrame)):
            if template is None:
                template, template_name = value, name
                continue
            same = type(value) is type(template) and value.index.equals(template.index)
            if same and isinstance(value, pd.DataFrame):
                same = value.columns.equals(template.columns)
            if not same:
                raise ValueError(
                    f"The '{name}' and '{template_name}' parameters of {func} are pandas "
                    f"objects with different indexes; align them first (for example with "
                    f"'{name}.reindex({template_name}.index)')."
                )
    return template


def _broadcast(func: str, arrays: dict[str, np.ndarray]) -> list[np.ndarray]:
    try:
        return list(np.broadcast_arrays(*arrays.values()))
    except ValueError:
        shapes = ", ".join(f"'{k}' {v.shape}" for k, v in arrays.items() if v.ndim)
        raise ValueError(
            f"The parameters of {func} must be single values or arrays whose shapes "
            f"broadcast together (for example one value per interval). Got shapes {shapes} "
            f"instead."
        ) from None


def _wrap(values: np.ndarray, template: Any, name: str, *, integer: bool = False) -> Any:
    """Scalar in -> Python number out; pandas in -> pandas out with the same index."""
    if integer:
        values = values.astype(np.int64)
    if template is not None and values.shape == np.shape(template):
        if isinstance(template, pd.Series):
            return pd.Series(values, index=template.index, name=name)
        return pd.DataFrame(values, index=template.index, columns=template.columns)
    if values.ndim == 0:
        return int(values) if integer else float(values)
    return values


# =============================================================================
# Numerical kernels (1-D float arrays in, 1-D float arrays out)
# =============================================================================
def _stirlerr(n: np.ndarray) -> np.ndarray:
    """``log(n!) - log(sqrt(2 pi n) (n/e)**n)`` for ``n > 0``, accurate to ~1e-15."""

    def series(big: np.ndarray) -> np.ndarray:
        inv = 1.0 / big
        inv2 = inv * inv
        return inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (
            1 / 1680 - inv2 * (1 / 1188 - inv2 * (691 / 360360))))))

    def direct(small: np.ndarray) -> np.ndarray:
        return special.gammaln(small + 1) - (small + 0.5) * np.log(small) + small - 0.5 * _LOG_2PI

    big = n > 15
    if big.all():
        return series(n)
    out = np.empty_like(n)
    out[big] = series(n[big])
    out[~big] = direct(n[~big])
    return out


def _bd0(k: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``k log(k/m) + m - k`` without cancellation (Loader 2000), for ``k >= 0, m > 0``."""

    def series(k: np.ndarray, d: np.ndarray, m: np.ndarray) -> np.ndarray:
        # with v = (k - m)/(k + m): d v + 2 k (v^3/3 + v^5/5 + ...), |v| < 0.1
        v = d / (k + m)
        total = d * v
        ej = 2 * k * v
        v2 = v * v
        for j in range(1, 12):
            ej = ej * v2
            total = total + ej / (2 * j + 1)
        return total

    d = k - m
    near = np.abs(d) < 0.1 * (k + m)
    if near.all():
        return series(k, d, m)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = special.xlogy(k, k / m) + m - k
    if near.any():
        out[near] = series(k[near], d[near], m[near])
    return out


def _log_poisson_pmf(k: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``log(m**k exp(-m) / Gamma(k+1))`` for real ``k >= 0``, ``m >= 0``."""
    inner = (k > 0) & (m > 0)
    if inner.all():
        return -_stirlerr(k) - _bd0(k, m) - 0.5 * (_LOG_2PI + np.log(k))
    out = np.where(k == 0, -m, -np.inf)
    if inner.any():
        kk, mm = k[inner], m[inner]
        out[inner] = -_stirlerr(kk) - _bd0(kk, mm) - 0.5 * (_LOG_2PI + np.log(kk))
    return out


def _log_upper_gamma_cf(b: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``log(Gamma(b, x) / (x**b exp(-x)))`` by Legendre's continued fraction.

    Modified Lentz evaluation (Numerical Recipes ``gcf``); converges quickly for
    ``x`` well above ``b``, which is where it is used. For whole ``b`` it ends after
    ``b`` steps.
    """
    tiny = 1e-300
    bb = x + 1.0 - b
    c = np.full_like(x, 1.0 / tiny)
    d = 1.0 / bb
    h = d.copy()
    active = np.ones(x.shape, dtype=bool)
    for i in range(1, 100_000):
        an = -i * (i - b[active])
        bb[active] += 2.0
        da = an * d[active] + bb[active]
        da = np.where(np.abs(da) < tiny, tiny, da)
        ca = bb[active] + an / c[active]
        ca = np.where(np.abs(ca) < tiny, tiny, ca)
        da = 1.0 / da
        delta = da * ca
        d[active], c[active] = da, ca
        h[active] *= delta
        done = np.abs(delta - 1.0) < 1e-16
        idx = np.flatnonzero(active)
        active[idx[done]] = False
        if not active.any():
            break
    return np.log(h)


def _log_inv_erlang_b(n: np.ndarray, a: np.ndarray) -> np.ndarray:
    """``log(1 / B(n, a))`` for real ``n >= 0`` agents and ``a >= 0`` erlangs."""
    def inner(nr: np.ndarray, ar: np.ndarray) -> np.ndarray:
        q = special.gammaincc(nr + 1, ar)
        with np.errstate(divide="ignore"):
            val = np.log(q) - _log_poisson_pmf(nr, ar)
        tail = (q < _GAMMA_TINY) & (ar > nr)
        if tail.any():
            val[tail] = np.log(ar[tail]) + _log_upper_gamma_cf(nr[tail] + 1, ar[tail])
        return val

    rest = (a > 0) & (n > 0)
    if rest.all():
        return inner(n, a)
    out = np.zeros(n.shape)
    out[(a == 0) & (n > 0)] = np.inf
    if rest.any():
        out[rest] = inner(n[rest], a[rest])
    return out


def _log_expm1(v: np.ndarray) -> np.ndarray:
    """``log(exp(v) - 1)`` for ``v >= 0`` without overflow (``-inf`` at 0)."""
    with np.errstate(divide="ignore", over="ignore"):
        large = v + np.log1p(-np.exp(-np.minimum(v, 745.0)))
        return np.where(v > 30, large, np.log(np.expm1(np.minimum(v, 30.0))))


def _erlang_c_parts(a: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Erlang C probability of waiting and its complement, both without cancellation."""
    def inner(ns: np.ndarray, as_: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lb = _log_inv_erlang_b(ns, as_)
        b = np.exp(-lb)
        denom = (ns - as_) + as_ * b
        with np.errstate(divide="ignore"):
            c = np.exp(np.log(ns) - lb - np.log(denom))
        return c, (ns - as_) * (-np.expm1(-lb)) / denom

    stable = n > a
    if stable.all():
        return inner(n, a)
    c = np.ones(n.shape)
    not_c = np.zeros(n.shape)
    if stable.any():
        c[stable], not_c[stable] = inner(n[stable], a[stable])
    return c, not_c


def _digamma_diff(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``psi(b) - psi(a)`` for ``b >= a + 1``, ``a >= 1``, without cancellation."""
    out = np.empty(np.broadcast(a, b).shape)
    a, b = np.broadcast_arrays(a, b)
    small = a < 20
    out[small] = special.digamma(b[small]) - special.digamma(a[small])
    big = ~small
    if big.any():
        aa, bb = a[big], b[big]
        lr = np.log1p((bb - aa) / aa)  # log(b/a)
        # 1/a^k - 1/b^k = a^-k (1 - (a/b)^k)
        def diff(k: int) -> np.ndarray:
            return aa ** -k * -np.expm1(-k * lr)
        out[big] = (lr + diff(1) / 2 + diff(2) / 12 - diff(4) / 120 + diff(6) / 252
                    - diff(8) / 240 + diff(10) / 132)
    return out


def _log_minus_digamma(z: np.ndarray) -> np.ndarray:
    """``log(z) - psi(z)`` for ``z >= 1``."""
    out = np.empty_like(z)
    small = z < 20
    out[small] = np.log(z[small]) - special.digamma(z[small])
    inv = 1.0 / z[~small]
    inv2 = inv * inv
    out[~small] = inv / 2 + inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (
        1 / 240 - inv2 / 132))))
    return out


def _line_sums(x: np.ndarray, y: np.ndarray, *, served: bool = False) -> dict[str, np.ndarray]:
    """Sums over the waiting-line terms of the Erlang A chain, walked from the largest.

    With ``t_j = prod_{i=1..j} x / (y + i)`` (``t_0 = 1``), returns ``log_j`` =
    ``log sum_j t_j``, ``rest`` = ``sum_{j>=1} t_j / t_0`` (only meaningful when the
    largest term is ``t_0``), ``mean`` = ``sum_j j t_j / sum_j t_j`` and, if
    ``served``, ``served`` = ``sum_j t_j y/(y+j+1) (psi(y+j+2) - psi(y+1)) / sum_j t_j``.
    Terms rise while ``y + j < x`` and fall after, so the walk starts at the mode and
    goes both ways until the remaining terms are negligible. ``x, y > 0``.
    """
    size = x.size
    mode = np.floor(np.maximum(x - y, 0.0))
    log_mode = np.where(mode > 0, _log_poisson_pmf(y + mode, x) - _log_poisson_pmf(y, x), 0.0)
    total = np.ones(size)       # sum of t_j / t_mode, the mode included
    rest = np.zeros(size)       # same, the mode excluded
    moment = mode.copy()        # sum of j t_j / t_mode
    if served:
        weight = y / (y + mode + 1) * _digamma_diff(y + 1, y + mode + 2)
        serve = weight.copy()
    steps = np.arange(_CHUNK, dtype=float)

    for direction in (1, -1):
        carry = np.ones(size)
        start = mode + direction
        active = np.ones(size, dtype=bool) if direction == 1 else mode > 0
        while active.any():
            idx = np.flatnonzero(active)
            js = start[idx, None] + direction * steps
            xs, ys = x[idx, None], y[idx, None]
            if direction == 1:
                ratio = xs / (ys + js)
            else:
                ratio = np.where(js >= 0, (ys + js + 1) / xs, 0.0)
            terms = carry[idx, None] * np.cumprod(ratio, axis=1)
            part = terms.sum(axis=1)
            total[idx] += part
            rest[idx] += part
            moment[idx] += (terms * js).sum(axis=1)
            if served:
                safe = np.maximum(js, 0.0)
                g = ys / (ys + safe + 1) * _digamma_diff(ys + 1, ys + safe + 2)
                serve[idx] += (terms * g).sum(axis=1)
            carry[idx] = terms[:, -1]
            start[idx] += direction * _CHUNK
            last_ratio = np.minimum(ratio[:, -1], 1 - 1e-300)
            remaining = carry[idx] * last_ratio / (1 - last_ratio)
            done = remaining <= _SUM_TOL * total[idx]
            if direction == -1:
                done |= start[idx] < 0
            active[idx[done]] = False
    out = {
        "log_j": log_mode + np.log(total),
        "rest": rest,
        "mean": moment / total,
    }
    if served:
        out["served"] = serve / total
    return out


def _log_j(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``log J(x, y)``, ``J = sum_j prod_{i=1..j} x/(y+i) = P(y, x) / f(y; x)``.

    ``P`` is the regularised lower incomplete gamma function and ``f(y; x)`` the
    Poisson-type term ``x**y exp(-x) / Gamma(y+1)``. ``x, y >= 0``.
    """
    out = np.where(y == 0, x, 0.0)
    inner = (x > 0) & (y > 0)
    if inner.any():
        xi, yi = x[inner], y[inner]
        p = special.gammainc(yi, xi)
        with np.errstate(divide="ignore"):
            val = np.log(p) - _log_poisson_pmf(yi, xi)
        small = p < _GAMMA_TINY
        if small.any():
            val[small] = np.log1p(_line_sums(xi[small], yi[small])["rest"])
        out[inner] = val
    return out


def _erlang_a_parts(lam: np.ndarray, aht: np.ndarray, n: np.ndarray,
                    patience: np.ndarray) -> dict[str, np.ndarray]:
    """Erlang A (M/M/n+M) state for finite patience; all probabilities per arriving caller.

    Returns ``p_wait``, ``no_wait`` (= 1 - p_wait), ``ab_wait`` (P(abandon | wait)),
    ``sr_wait`` (P(served | wait)), ``p_served``, and ``x``, ``y`` and ``log_j``.
    ``lam`` is in calls per second.
    """
    a = lam * aht
    x = lam * patience
    y = n * patience / aht
    log_inv_b = _log_inv_erlang_b(n, a)
    log_j = _log_j(x, y)

    ab_wait = np.zeros(x.shape)
    sr_wait = np.zeros(x.shape)
    no_agents = y == 0
    ab_wait[no_agents] = 1.0
    no_calls = (x == 0) & ~no_agents
    ab_wait[no_calls] = 1 / (y[no_calls] + 1)
    sr_wait[no_calls] = y[no_calls] / (y[no_calls] + 1)

    over = (x >= y) & (x > 0) & ~no_agents
    if over.any():
        ratio = y[over] / x[over]
        inv_j = np.exp(-log_j[over])
        ab_wait[over] = (1 - ratio) + ratio * inv_j
        sr_wait[over] = ratio * -np.expm1(-log_j[over])

    under = (x < y) & (x > 0)
    if under.any():
        xu, yu, lju = x[under], y[under], log_j[under]
        # m = E[waiting-line length seen | wait] = (x - y) + y / J: cancels when x << y.
        m = (xu - yu) + yu * np.exp(-lju)
        with np.errstate(divide="ignore", invalid="ignore"):
            ill = ~((m > 0) & ((yu - xu) <= 100 * m))
        ill |= special.gammainc(yu, xu) < _GAMMA_TINY
        ab = m / xu
        if ill.any():
            ab[ill] = _line_sums(xu[ill], yu[ill])["mean"] / xu[ill]
        ab_wait[under] = ab
        sr_wait[under] = yu / xu * -np.expm1(-lju)

    d = _log_expm1(log_inv_b) - log_j
    p_wait = special.expit(-d)
    no_wait = special.expit(d)
    return {
        "a": a, "x": x, "y": y, "log_j": log_j,
        "p_wait": p_wait, "no_wait": no_wait,
        "ab_wait": ab_wait, "sr_wait": sr_wait,
        "p_served": no_wait + p_wait * sr_wait,
    }


def _sl_a(parts: dict[str, np.ndarray], threshold: np.ndarray, patience: np.ndarray,
          method: str) -> np.ndarray:
    """Erlang A service level (answered within the threshold) from the chain state."""
    x, y = parts["x"], parts["y"]
    theta_t = threshold / patience
    # 1 - R with R = P(y+1, x u) / P(y+1, x), u = exp(-theta T): the share of callers
    # served after waiting whose wait is at most T.
    not_r = np.ones(x.shape)
    not_r[theta_t == 0] = 0.0
    live = (y > 0) & (x > 0) & (theta_t > 0) & np.isfinite(theta_t)
    if live.any():
        xl, yl, tl = x[live], y[live], theta_t[live]
        xu = xl * np.exp(-tl)
        val = np.empty(xl.shape)
        # Both points above the mode of Gamma(y+1): R is within a hair of 1, so take the
        # difference of the upper tails Q instead, each accurate to its last digits.
        upper = xu >= yl + 1
        if upper.any():
            q_u = special.gammaincc(yl[upper] + 1, xu[upper])
            q_x = special.gammaincc(yl[upper] + 1, xl[upper])
            with np.errstate(divide="ignore", invalid="ignore"):
                gap = np.where(q_u > 0, q_u * -np.expm1(np.log(q_x) - np.log(q_u)), 0.0)
            val[upper] = gap / special.gammainc(yl[upper] + 1, xl[upper])
        low = ~upper
        if low.any():
            xo, yo, to, xuo = xl[low], yl[low], tl[low], xu[low]
            log_r = (xo * -np.expm1(-to) - (yo + 1) * to
                     + _log_j(xuo, yo + 1) - _log_j(xo, yo + 1))
            val[low] = -np.expm1(np.minimum(log_r, 0.0))
        not_r[live] = val
    within = parts["no_wait"] + parts["p_wait"] * parts["sr_wait"] * not_r
    if method == "answered":
        served = parts["p_served"]
        with np.errstate(invalid="ignore", divide="ignore"):
            within = np.where(served > 0, within / served, 0.0)
    return np.minimum(within, 1.0)


def _asa_a(parts: dict[str, np.ndarray], patience: np.ndarray) -> np.ndarray:
    """Erlang A average wait of answered callers, in seconds."""
    x, y = parts["x"], parts["y"]
    out = np.full(x.shape, np.inf)
    out[(x == 0) & (y > 0)] = 0.0
    live = (x > 0) & (y > 0)
    if live.any():
        xl, yl = x[live], y[live]
        # E[-U log U | wait], U = exp(-theta V) for the offered wait V: x U is a
        # Gamma(y) variable conditioned to be below x.
        e_ulogu = np.empty(xl.shape)
        use_sum = np.ones(xl.shape, dtype=bool)
        # Far into overload the condition is immaterial and the mean has a closed form;
        # the neglected tail is at most (y+1) Q(y+2, x) / x of it.
        far = np.flatnonzero(xl > yl + 1)
        if far.size:
            xf, yf = xl[far], yl[far]
            main = np.log(xf / (yf + 1)) + _log_minus_digamma(yf + 1)
            tail = (yf + 1) * special.gammaincc(yf + 2, xf) / xf
            ok = tail <= 1e-18 * main
            fi = far[ok]
            e_ulogu[fi] = (yf[ok] / xf[ok]) * main[ok] / special.gammainc(yf[ok], xf[ok])
            use_sum[fi] = False
        if use_sum.any():
            e_ulogu[use_sum] = _line_sums(xl[use_sum], yl[use_sum], served=True)["served"]
        p_wait = parts["p_wait"][live]
        p_served = parts["p_served"][live]
        out[live] = patience[live] * p_wait * e_ulogu / p_served
    return out


# =============================================================================
# Public API
# =============================================================================
def offered_load(arrival_rate_per_min: ArrayLike, aht_s: ArrayLike) -> Any:
    """Offered load in erlangs: how many agents' worth of work arrives.

    Parameters
    ----------
    arrival_rate_per_min : float, array or pandas Series
        Calls offered per minute (for a half hour: calls offered / 30).
    aht_s : float, array or pandas Series
        Average handle time in seconds (talk + hold + after-call work).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Traffic ``A`` in erlangs (话务量).

    Notes
    -----
    ``A = lambda * AHT``, with ``lambda`` in calls per second: ``A = rate * AHT / 60``.
    One erlang is one agent kept busy for the whole interval. It is the input to
    :func:`erlang_b` and :func:`erlang_c`.

    References
    ----------
    .. [1] Cooper, R. B. (1981). *Introduction to Queueing Theory*, 2nd ed., North
       Holland, section 1.3.

    Examples
    --------
    100 calls in a half hour with a 3-minute handle time keep 10 agents busy:

    >>> offered_load(100 / 30, 180)
    10.0
    """
    func = "offered_load"
    template = _template(func, {"arrival_rate_per_min": arrival_rate_per_min, "aht_s": aht_s})
    lam = _check_rate(func, arrival_rate_per_min)
    aht = _check_positive(func, "aht_s", aht_s)
    lam, aht = _broadcast(func, {"arrival_rate_per_min": lam, "aht_s": aht})
    return _wrap(lam * aht / 60.0, template, "offered_load")


def erlang_b(traffic_erlangs: ArrayLike, agents: ArrayLike) -> Any:
    """Probability that a call is blocked when there is no queue (Erlang B).

    Parameters
    ----------
    traffic_erlangs : float, array or pandas Series
        Offered load ``A`` in erlangs (see :func:`offered_load`).
    agents : float, array or pandas Series
        Number of agents (lines) ``N``; fractional values use the continuous extension.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Blocking probability ``B(N, A)`` between 0 and 1.

    Notes
    -----
    Erlang's loss formula (M/M/N/N, blocked calls cleared):

    .. math:: B(N, A) = \\frac{A^N / N!}{\\sum_{k=0}^{N} A^k / k!}
              = \\frac{P(X = N)}{P(X \\le N)},\\quad X \\sim \\mathrm{Poisson}(A).

    It is insensitive to the shape of the handle-time distribution. Textbooks evaluate
    it with the recursion ``B(k) = A B(k-1) / (k + A B(k-1))``, which costs ``N`` steps;
    here it is the Poisson ratio in log space (see the module notes), ``O(1)`` per
    value. For fractional ``N`` the same ratio with ``Gamma(N+1)`` is Jagerman's
    continuous extension ``B(N, A) = A**N exp(-A) / Gamma(N+1, A)``. Limits: ``B = 1``
    with no agents, ``B = 0`` with no traffic.

    References
    ----------
    .. [1] Erlang, A. K. (1917). Solution of some problems in the theory of
       probabilities of significance in automatic telephone exchanges. *Elektroteknikeren*
       13, 5-13.
    .. [2] Cooper, R. B. (1981). *Introduction to Queueing Theory*, 2nd ed., North
       Holland, section 3.3.
    .. [3] Jagerman, D. L. (1974). Some properties of the Erlang loss function. *Bell
       System Technical Journal* 53(3), 525-551.

    Examples
    --------
    Ten erlangs offered to ten lines: about one call in five is lost.

    >>> round(erlang_b(10, 10), 4)
    0.2146
    >>> erlang_b([10, 10], [10, 18]).round(4)
    array([0.2146, 0.0071])
    """
    func = "erlang_b"
    template = _template(func, {"traffic_erlangs": traffic_erlangs, "agents": agents})
    a = _check_traffic(func, traffic_erlangs)
    n = _check_agents(func, agents)
    a, n = _broadcast(func, {"traffic_erlangs": a, "agents": n})
    shape = a.shape
    b = np.exp(-_log_inv_erlang_b(n.ravel(), a.ravel()))
    return _wrap(b.reshape(shape), template, "erlang_b")


def erlang_c(traffic_erlangs: ArrayLike, agents: ArrayLike) -> Any:
    """Probability that a call has to wait (Erlang C, callers never hang up).

    Parameters
    ----------
    traffic_erlangs : float, array or pandas Series
        Offered load ``A`` in erlangs (see :func:`offered_load`).
    agents : float, array or pandas Series
        Number of agents ``N`` answering the queue.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Probability of waiting ``C(N, A)`` between 0 and 1; exactly 1 when
        ``N <= A`` (the queue grows without limit, every caller waits).

    Notes
    -----
    M/M/N queue (Poisson arrivals, exponential handle times, first come first served,
    infinite patience):

    .. math:: C(N, A) = \\frac{N\\,B(N, A)}{N - A\\,(1 - B(N, A))}, \\quad N > A,

    with ``B`` from :func:`erlang_b`. The equivalent textbook form is
    ``(A^N/N!) (N/(N-A)) / (sum_{k<N} A^k/k! + (A^N/N!) (N/(N-A)))``. Erlang C
    assumes nobody abandons, so it overstates waiting when callers do hang up; use
    :func:`erlang_a_wait_probability` then.

    References
    ----------
    .. [1] Erlang, A. K. (1917). Solution of some problems in the theory of
       probabilities of significance in automatic telephone exchanges. *Elektroteknikeren*
       13, 5-13.
    .. [2] Cooper, R. B. (1981). *Introduction to Queueing Theory*, 2nd ed., North
       Holland, section 3.4.
    .. [3] Koole, G. (2013). *Call Center Optimization*. MG Books, chapter 4.

    Examples
    --------
    Ten erlangs and twelve agents: 45% of callers wait.

    >>> round(erlang_c(10, 12), 4)
    0.4494
    >>> erlang_c(10, 10)
    1.0
    """
    func = "erlang_c"
    template = _template(func, {"traffic_erlangs": traffic_erlangs, "agents": agents})
    a = _check_traffic(func, traffic_erlangs)
    n = _check_agents(func, agents)
    a, n = _broadcast(func, {"traffic_erlangs": a, "agents": n})
    shape = a.shape
    c, _ = _erlang_c_parts(a.ravel(), n.ravel())
    return _wrap(c.reshape(shape), template, "erlang_c")


def _prepare(func: str, arrival_rate_per_min: Any, aht_s: Any, agents: Any, **extra: Any
             ) -> tuple[Any, tuple[int, ...], list[np.ndarray]]:
    """Validate and broadcast the shared ``(rate, aht, agents, ...)`` parameters."""
    named = {"arrival_rate_per_min": arrival_rate_per_min, "aht_s": aht_s, "agents": agents, **extra}
    template = _template(func, named)
    arrays = {
        "arrival_rate_per_min": _check_rate(func, arrival_rate_per_min),
        "aht_s": _check_positive(func, "aht_s", aht_s),
        "agents": _check_agents(func, agents),
    }
    for name, value in extra.items():
        if name == "threshold_s":
            arrays[name] = _check_threshold(func, value)
        elif name == "patience_s":
            arrays[name] = _check_patience(func, value)
    flat = _broadcast(func, arrays)
    shape = flat[0].shape
    return template, shape, [v.ravel().astype(float) for v in flat]


def service_level(arrival_rate_per_min: ArrayLike, aht_s: ArrayLike, agents: ArrayLike, *,
                  threshold_s: ArrayLike = 20) -> Any:
    """Share of calls answered within ``threshold_s`` seconds (Erlang C).

    Parameters
    ----------
    arrival_rate_per_min : float, array or pandas Series
        Calls offered per minute.
    aht_s : float, array or pandas Series
        Average handle time in seconds.
    agents : float, array or pandas Series
        Agents answering the queue.
    threshold_s : float, array or pandas Series, default 20
        Target answer time in seconds (the "20" of "80/20").

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Service level (服务水平) between 0 and 1; exactly 0 when ``agents`` do not
        exceed the offered load (the queue never empties).

    Notes
    -----
    For the M/M/N queue the wait ``W`` of a caller who waits is exponential with rate
    ``(N - A) / AHT``, so

    .. math:: SL = P(W \\le T) = 1 - C(N, A)\\, e^{-(N - A)\\,T / \\mathrm{AHT}},

    with ``C`` from :func:`erlang_c` and ``A`` from :func:`offered_load`. It is
    computed as ``(1 - C) + C (1 - e^{-(N-A)T/AHT})`` so that small service levels keep
    their digits. This is the model's *answered within T over offered* with nobody
    abandoning; how a floor's report counts abandoned calls is a separate choice (see
    :func:`erlang_a_service_level`).

    References
    ----------
    .. [1] Cooper, R. B. (1981). *Introduction to Queueing Theory*, 2nd ed., North
       Holland, section 3.4.
    .. [2] Koole, G. (2013). *Call Center Optimization*. MG Books, chapter 4.

    Examples
    --------
    The worked example most planners learn first: 100 calls in a half hour, a
    3-minute handle time (10 erlangs), 80% to be answered in 20 s.

    >>> rate = 100 / 30
    >>> round(service_level(rate, 180, 11), 3), round(service_level(rate, 180, 14), 3)
    (0.39, 0.888)

    The other classic: 360 calls per half hour, 4-minute calls, 55 agents and a
    15-second target give 84.6%:

    >>> round(service_level(360 / 30, 240, 55, threshold_s=15), 3)
    0.846

    A whole day at once, one value per interval:

    >>> import pandas as pd
    >>> calls = pd.Series([60, 100, 140], index=["08:00", "08:30", "09:00"])
    >>> service_level(calls / 30, 180, 14).round(3)
    08:00    0.998
    08:30    0.888
    09:00    0.000
    Name: service_level, dtype: float64
    """
    func = "service_level"
    template, shape, (lam, aht, n, t) = _prepare(
        func, arrival_rate_per_min, aht_s, agents, threshold_s=threshold_s)
    sl = _sl_c(lam * aht / 60.0, n, aht, t)
    return _wrap(sl.reshape(shape), template, func)


def asa(arrival_rate_per_min: ArrayLike, aht_s: ArrayLike, agents: ArrayLike) -> Any:
    """Average speed of answer in seconds (Erlang C).

    Parameters
    ----------
    arrival_rate_per_min : float, array or pandas Series
        Calls offered per minute.
    aht_s : float, array or pandas Series
        Average handle time in seconds.
    agents : float, array or pandas Series
        Agents answering the queue.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Mean wait over *all* calls (those answered at once count 0 s), in seconds.
        ``inf`` when ``agents`` do not exceed the offered load: callers would wait for
        ever, because more work arrives than the agents can handle and the queue only
        grows (add agents, or use :func:`erlang_a_asa` if callers hang up).

    Notes
    -----
    .. math:: ASA = E[W] = \\frac{C(N, A)\\,\\mathrm{AHT}}{N - A}.

    Many reports average the wait over answered calls only; with Erlang C every call
    is answered, so the two agree. Callers who wait wait ``AHT / (N - A)`` on average.

    References
    ----------
    .. [1] Cooper, R. B. (1981). *Introduction to Queueing Theory*, 2nd ed., North
       Holland, section 3.4.
    .. [2] Koole, G. (2013). *Call Center Optimization*. MG Books, chapter 4.

    Examples
    --------
    >>> round(asa(100 / 30, 180, 14), 1)
    7.8

    360 calls per half hour, 4-minute calls, 55 agents: 24% wait, 8.2 s on average.

    >>> round(erlang_c(offered_load(360 / 30, 240), 55), 4), round(asa(360 / 30, 240, 55), 1)
    (0.2387, 8.2)
    >>> asa(100 / 30, 180, 10)
    inf
    """
    func = "asa"
    template, shape, (lam, aht, n) = _prepare(func, arrival_rate_per_min, aht_s, agents)
    out = _asa_c(lam * aht / 60.0, n, aht)
    return _wrap(out.reshape(shape), template, func)


def occupancy(arrival_rate_per_min: ArrayLike, aht_s: ArrayLike, agents: ArrayLike) -> Any:
    """Share of the agents' time spent handling calls (Erlang C).

    Parameters
    ----------
    arrival_rate_per_min : float, array or pandas Series
        Calls offered per minute.
    aht_s : float, array or pandas Series
        Average handle time in seconds.
    agents : float, array or pandas Series
        Agents answering the queue.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Occupancy (占用率) between 0 and 1.

    Notes
    -----
    With nobody abandoning, all offered work is handled: ``occupancy = A / N``, capped
    at 1 when ``N <= A`` (everyone is busy all the time). With no agents it is reported
    as 0. Floors usually cap it near 85-90%: above that, agents burn out.

    References
    ----------
    .. [1] Koole, G. (2013). *Call Center Optimization*. MG Books, chapter 4.

    Examples
    --------
    >>> round(occupancy(100 / 30, 180, 14), 4)
    0.7143
    """
    func = "occupancy"
    template, shape, (lam, aht, n) = _prepare(func, arrival_rate_per_min, aht_s, agents)
    a = lam * aht / 60.0
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(n > 0, np.minimum(a / n, 1.0), 0.0)
    return _wrap(out.reshape(shape), template, func)


def _erlang_a_compute(func: str, arrival_rate_per_min: Any, aht_s: Any, agents: Any,
                      patience_s: Any, quantity: Callable[..., np.ndarray],
                      limit: Callable[..., np.ndarray], name: str, **extra: Any) -> Any:
    """Shared body of the Erlang A functions: finite patience by Erlang A, infinite by C."""
    template, shape, arrays = _prepare(func, arrival_rate_per_min, aht_s, agents,
                                       **extra, patience_s=patience_s)
    lam, aht, n = arrays[:3]
    others, patience = arrays[3:-1], arrays[-1]
    lam_s = lam / 60.0
    out = np.empty(lam.shape)
    finite = np.isfinite(patience)
    if finite.any():
        sel = [v[finite] for v in (lam_s, aht, n, patience)]
        parts = _erlang_a_parts(*sel)
        out[finite] = quantity(parts, *sel, *[o[finite] for o in others])
    if (~finite).any():
        inf = ~finite
        out[inf] = limit(lam_s[inf], aht[inf], n[inf], *[o[inf] for o in others])
    return _wrap(out.reshape(shape), template, name)


def _c_wait(lam, aht, n, *rest):
    return _erlang_c_parts(lam * aht, n)[0]


def erlang_a_wait_probability(arrival_rate_per_min: ArrayLike, aht_s: ArrayLike,
                              agents: ArrayLike, *, patience_s: ArrayLike) -> Any:
    """Probability that a call has to wait when callers may hang up (Erlang A).

    Parameters
    ----------
    arrival_rate_per_min : float, array or pandas Series
        Calls offered per minute.
    aht_s : float, array or pandas Series
        Average handle time in seconds.
    agents : float, array or pandas Series
        Agents answering the queue.
    patience_s : float, array or pandas Series
        Mean caller patience in seconds: how long callers would wait, on average,
        before hanging up. ``np.inf`` gives Erlang C.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Probability that an arriving caller finds every agent busy, between 0 and 1.

    Notes
    -----
    Erlang A is the M/M/N+M queue (Palm 1943): Poisson arrivals at rate ``lambda``,
    exponential handle times with mean ``1/mu = AHT``, and exponential patience with
    mean ``1/theta``; a caller whose patience runs out before an agent is free hangs
    up. Unlike Erlang C it is stable at any load, so it also answers "what happens
    with fewer agents than erlangs?". With ``A = lambda/mu``, ``x = lambda/theta`` and
    ``y = N mu/theta``, the stationary distribution gives (Garnett, Mandelbaum &
    Reiman 2002; Mandelbaum & Zeltyn 2007)

    .. math:: P(\\text{wait}) = \\frac{B\\,J}{1 + B\\,(J - 1)}, \\qquad
              J = \\sum_{j \\ge 0} \\prod_{i=1}^{j} \\frac{x}{y + i}
                = \\frac{e^{x}\\,\\Gamma(y + 1)\\,P(y, x)}{x^{y}},

    where ``B = B(N, A)`` is Erlang B and ``P`` the regularised lower incomplete gamma
    function. ``J`` is evaluated as ``P(y, x)`` over a Poisson-type term in log space
    when ``P(y, x)`` is not tiny, and otherwise (light load with patient callers) by
    summing its geometrically falling terms directly, in vectorised blocks, until the
    rest is below 1e-17 of the sum (the numerically stable birth-death computation;
    tens to a few thousand terms). As patience grows (``theta -> 0``),
    ``J -> N/(N - A)`` when ``N > A`` and the formula becomes Erlang C; ``patience_s =
    np.inf`` gives Erlang C exactly.

    References
    ----------
    .. [1] Palm, C. (1943). Intensitätsschwankungen im Fernsprechverkehr. *Ericsson
       Technics* 44, 1-189.
    .. [2] Garnett, O., Mandelbaum, A. & Reiman, M. (2002). Designing a call center
       with impatient customers. *Manufacturing & Service Operations Management* 4(3),
       208-227.
    .. [3] Mandelbaum, A. & Zeltyn, S. (2007). Service engineering in action: the
       Palm/Erlang-A queue, with applications to call centers. In *Advances in Services
       Innovations*, Springer, 17-45.
    .. [4] Koole, G. (2013). *Call Center Optimization*. MG Books, chapter 4.

    Examples
    --------
    Ten erlangs, twelve agents, callers who wait three minutes on average before
    hanging up: far fewer callers wait than Erlang C's 45%, because those who leave
    shorten the queue.

    >>> round(erlang_a_wait_probability(10 / 3, 180, 12, patience_s=180), 4)
    0.3032
    >>> round(erlang_a_wait_probability(10 / 3, 180, 12, patience_s=float("inf")), 4)
    0.4494
    """
    func = "erlang_a_wait_probability"
    return _erlang_a_compute(func, arrival_rate_per_min, aht_s, agents, patience_s,
                             lambda parts, *_: parts["p_wait"], _c_wait, func)


def erlang_a_abandon_probability(arrival_rate_per_min: ArrayLike, aht_s: ArrayLike,
                                 agents: ArrayLike, *, patience_s: ArrayLike) -> Any:
    """Probability that a caller hangs up before being answered (Erlang A).

    Parameters
    ----------
    arrival_rate_per_min : float, array or pandas Series
        Calls offered per minute.
    aht_s : float, array or pandas Series
        Average handle time in seconds.
    agents : float, array or pandas Series
        Agents answering the queue.
    patience_s : float, array or pandas Series
        Mean caller patience in seconds (``np.inf``: nobody abandons).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Abandonment rate (放弃率) among offered calls, between 0 and 1.

    Notes
    -----
    With the notation of :func:`erlang_a_wait_probability` (Mandelbaum & Zeltyn 2007),

    .. math:: P(\\text{abandon}) = P(\\text{wait}) \\left(1 - \\frac{1}{\\rho}
              + \\frac{1}{\\rho J}\\right), \\qquad \\rho = \\frac{A}{N},

    equivalently ``P(wait) * m / x`` where ``m = (x - y) + y/J`` is the mean number of
    callers ahead seen by a caller who waits. When ``x < y`` (light load, patient
    callers) that difference cancels, so ``m`` is then summed directly as the mean of
    the waiting-line distribution. The model counts every abandon, however short;
    reports that leave out "short abandons" (callers gone within a few seconds) show
    less.

    References
    ----------
    .. [1] Garnett, O., Mandelbaum, A. & Reiman, M. (2002). Designing a call center
       with impatient customers. *Manufacturing & Service Operations Management* 4(3),
       208-227.
    .. [2] Mandelbaum, A. & Zeltyn, S. (2007). Service engineering in action: the
       Palm/Erlang-A queue, with applications to call centers. In *Advances in Services
       Innovations*, Springer, 17-45.

    Examples
    --------
    >>> round(erlang_a_abandon_probability(10 / 3, 180, 12, patience_s=180), 4)
    0.0531

    With fewer agents than erlangs the queue still settles, at a high abandonment:

    >>> round(erlang_a_abandon_probability(10 / 3, 180, 9, patience_s=180), 3)
    0.179
    """
    func = "erlang_a_abandon_probability"
    return _erlang_a_compute(func, arrival_rate_per_min, aht_s, agents, patience_s,
                             lambda parts, *_: parts["p_wait"] * parts["ab_wait"],
                             lambda lam, *_: np.zeros(lam.shape), func)


def erlang_a_service_level(arrival_rate_per_min: ArrayLike, aht_s: ArrayLike,
                           agents: ArrayLike, *, threshold_s: ArrayLike = 20,
                           patience_s: ArrayLike, method: str = "offered") -> Any:
    """Share of calls answered within ``threshold_s`` seconds when callers may hang up (Erlang A).

    Parameters
    ----------
    arrival_rate_per_min : float, array or pandas Series
        Calls offered per minute.
    aht_s : float, array or pandas Series
        Average handle time in seconds.
    agents : float, array or pandas Series
        Agents answering the queue.
    threshold_s : float, array or pandas Series, default 20
        Target answer time in seconds.
    patience_s : float, array or pandas Series
        Mean caller patience in seconds (``np.inf`` gives :func:`service_level`).
    method : {"offered", "answered"}, default "offered"
        Which calls the share is taken over:

        * ``"offered"`` -- answered within T / all offered calls; an abandoned call
          still counts as a miss (a failure), however soon it hangs up. The strict
          definition. Even so it rises when callers are less patient: those who
          leave shorten the queue, so everyone behind them is answered sooner (see
          the Examples). Read it beside :func:`erlang_a_abandon_probability`.
        * ``"answered"`` -- answered within T / answered calls; abandoned calls are left
          out, as some ACD reports do. It flatters a queue where many hang up.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Service level between 0 and 1 (0 with no agents).

    Notes
    -----
    A caller who finds ``j`` callers waiting would reach an agent after ``j + 1``
    departures from the line ahead, so ``U = exp(-theta V)`` for the offered wait
    ``V`` is Beta(``y``, ``j + 1``); mixing over ``j`` makes ``x U`` a Gamma(``y``)
    variable conditioned to be below ``x``. The caller is answered when its patience
    outlasts ``V``, so

    .. math:: P(\\text{answered within } T) = 1 - P(\\text{wait})
              + P(\\text{wait})\\,P(\\text{served} \\mid \\text{wait})
              \\left(1 - \\frac{P(y + 1, x e^{-\\theta T})}{P(y + 1, x)}\\right),

    with ``P(served | wait) = (y/x)(1 - 1/J)`` and the notation of
    :func:`erlang_a_wait_probability`. The ratio of incomplete gamma functions is taken
    in log space, or, when both points lie above the mode of Gamma(``y + 1``), as a
    difference of upper tails so that a tiny service level keeps its digits.
    ``"answered"`` divides by ``1 - P(abandon)``. As patience grows both
    tend to the Erlang C :func:`service_level`.

    References
    ----------
    .. [1] Mandelbaum, A. & Zeltyn, S. (2007). Service engineering in action: the
       Palm/Erlang-A queue, with applications to call centers. In *Advances in Services
       Innovations*, Springer, 17-45.
    .. [2] Riordan, J. (1962). *Stochastic Service Systems*. Wiley.
    .. [3] Koole, G. (2013). *Call Center Optimization*. MG Books, chapter 4.

    Examples
    --------
    >>> rate = 10 / 3
    >>> round(erlang_a_service_level(rate, 180, 12, patience_s=180), 4)
    0.8023
    >>> round(erlang_a_service_level(rate, 180, 12, patience_s=180, method="answered"), 4)
    0.8473

    Erlang C, which assumes nobody hangs up, is pessimistic by many points:

    >>> round(erlang_a_service_level(rate, 180, 12, patience_s=float("inf")), 4)
    0.6402

    Impatient callers who leave shorten the queue for everyone else, so even the
    strict "offered" service level rises as patience falls -- 64.0% with nobody hanging
    up, 80.2% when callers wait 3 minutes on average, 89.0% at 20 seconds -- while the
    abandonment those callers cause (counted as misses here) climbs to 9.5%:

    >>> [round(erlang_a_service_level(rate, 180, 12, patience_s=p), 3)
    ...  for p in (float("inf"), 180, 20)]
    [0.64, 0.802, 0.89]
    >>> round(erlang_a_abandon_probability(rate, 180, 12, patience_s=20), 3)
    0.095
    """
    func = "erlang_a_service_level"
    _check_choice(func, "method", method, _SERVICE_LEVEL_METHODS)

    def quantity(parts, lam, aht, n, patience, threshold):
        return _sl_a(parts, threshold, patience, method)

    def limit(lam, aht, n, threshold):
        return _sl_c(lam * aht, n, aht, threshold)

    return _erlang_a_compute(func, arrival_rate_per_min, aht_s, agents, patience_s,
                             quantity, limit, func, threshold_s=threshold_s)


def _sl_c(a: np.ndarray, n: np.ndarray, aht: np.ndarray, t: np.ndarray) -> np.ndarray:
    c, not_c = _erlang_c_parts(a, n)
    stable = n > a
    with np.errstate(invalid="ignore"):  # 0 * inf where N <= A, masked below
        decay = -np.expm1(-np.maximum(n - a, 0.0) * t / aht)
    return np.where(stable, not_c + c * decay, 0.0)


def _asa_c(a: np.ndarray, n: np.ndarray, aht: np.ndarray) -> np.ndarray:
    c, _ = _erlang_c_parts(a, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > a, c * aht / (n - a), np.inf)


def erlang_a_asa(arrival_rate_per_min: ArrayLike, aht_s: ArrayLike, agents: ArrayLike, *,
                 patience_s: ArrayLike) -> Any:
    """Average speed of answer of answered calls, in seconds, when callers may hang up (Erlang A).

    Parameters
    ----------
    arrival_rate_per_min : float, array or pandas Series
        Calls offered per minute.
    aht_s : float, array or pandas Series
        Average handle time in seconds.
    agents : float, array or pandas Series
        Agents answering the queue.
    patience_s : float, array or pandas Series
        Mean caller patience in seconds (``np.inf`` gives :func:`asa`).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Mean wait of answered callers (those answered at once count 0 s), in seconds;
        ``inf`` with no agents (nobody is answered).

    Notes
    -----
    The ASA on an ACD report averages over *answered* calls, so the model's
    ``E[W | served]`` is what it is compared with. A caller who finds ``j`` waiting is
    served with probability ``y/(y+j+1)`` and then, on average, after
    ``(psi(y+j+2) - psi(y+1)) / theta`` seconds (``psi`` is the digamma function), so

    .. math:: E[W;\\,\\text{served}] = \\frac{P(\\text{wait})}{\\theta J} \\sum_{j\\ge0}
              t_j\\,\\frac{y}{y+j+1}\\,\\bigl(\\psi(y+j+2) - \\psi(y+1)\\bigr),
              \\qquad t_j = \\prod_{i=1}^{j}\\frac{x}{y+i},

    and ``ASA = E[W; served] / (1 - P(abandon))``. The sum has no closed form in
    standard special functions; it is summed outward from its largest term (tens to a
    few thousand terms), or, when the load is far above the agents, replaced by its
    closed-form limit ``(y/x) (log x - psi(y+1)) / P(y, x)``. The wait averaged over
    *all* callers, abandoners included, is ``patience_s * P(abandon)``.

    References
    ----------
    .. [1] Mandelbaum, A. & Zeltyn, S. (2007). Service engineering in action: the
       Palm/Erlang-A queue, with applications to call centers. In *Advances in Services
       Innovations*, Springer, 17-45.
    .. [2] Garnett, O., Mandelbaum, A. & Reiman, M. (2002). Designing a call center
       with impatient customers. *Manufacturing & Service Operations Management* 4(3),
       208-227.

    Examples
    --------
    >>> round(erlang_a_asa(10 / 3, 180, 12, patience_s=180), 2)
    8.53
    >>> round(erlang_a_asa(10 / 3, 180, 12, patience_s=float("inf")), 2)
    40.44
    """
    func = "erlang_a_asa"
    return _erlang_a_compute(
        func, arrival_rate_per_min, aht_s, agents, patience_s,
        lambda parts, lam, aht, n, patience: _asa_a(parts, patience),
        lambda lam, aht, n: _asa_c(lam * aht, n, aht), func)


def erlang_a_occupancy(arrival_rate_per_min: ArrayLike, aht_s: ArrayLike, agents: ArrayLike, *,
                       patience_s: ArrayLike) -> Any:
    """Share of the agents' time spent handling calls when callers may hang up (Erlang A).

    Parameters
    ----------
    arrival_rate_per_min : float, array or pandas Series
        Calls offered per minute.
    aht_s : float, array or pandas Series
        Average handle time in seconds.
    agents : float, array or pandas Series
        Agents answering the queue.
    patience_s : float, array or pandas Series
        Mean caller patience in seconds (``np.inf`` gives :func:`occupancy`).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Occupancy between 0 and 1 (0 with no agents).

    Notes
    -----
    Only answered calls create work: ``occupancy = A (1 - P(abandon)) / N``, always
    below 1, even with fewer agents than erlangs.

    References
    ----------
    .. [1] Mandelbaum, A. & Zeltyn, S. (2007). Service engineering in action: the
       Palm/Erlang-A queue, with applications to call centers. In *Advances in Services
       Innovations*, Springer, 17-45.

    Examples
    --------
    >>> round(erlang_a_occupancy(10 / 3, 180, 9, patience_s=180), 3)
    0.912
    """
    func = "erlang_a_occupancy"

    def quantity(parts, lam, aht, n, patience):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(n > 0, parts["a"] * parts["p_served"] / n, 0.0)

    def limit(lam, aht, n):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(n > 0, np.minimum(lam * aht / n, 1.0), 0.0)

    return _erlang_a_compute(func, arrival_rate_per_min, aht_s, agents, patience_s,
                             quantity, limit, func)


def _schedule(raw: np.ndarray, shrinkage: np.ndarray) -> np.ndarray:
    """Agents to schedule so that ``raw`` remain after shrinkage, rounded up.

    ``14 / (1 - 0.3)`` is ``20.000000000000004`` in floating point; a plain ``ceil``
    would schedule 21, so values within 1e-9 of a whole number count as that number.
    """
    need = raw / (1.0 - shrinkage)
    nearest = np.round(need)
    return np.where(np.abs(need - nearest) <= 1e-9 * np.maximum(need, 1.0), nearest, np.ceil(need))


def required_agents(arrival_rate_per_min: ArrayLike, aht_s: ArrayLike, *,
                    target_service_level: ArrayLike | None = None,
                    threshold_s: ArrayLike = 20,
                    target_asa_s: ArrayLike | None = None,
                    max_occupancy: ArrayLike | None = None,
                    max_abandon: ArrayLike | None = None,
                    shrinkage: ArrayLike = 0.0,
                    model: str = "erlang_c",
                    patience_s: ArrayLike | None = None,
                    service_level_method: str = "offered") -> Any:
    """Smallest number of agents that meets every target, grossed up for shrinkage.

    Parameters
    ----------
    arrival_rate_per_min : float, array or pandas Series
        Calls offered per minute (forecast).
    aht_s : float, array or pandas Series
        Average handle time in seconds.
    target_service_level : float, array or pandas Series, optional
        Share of calls to answer within ``threshold_s``, strictly between 0 and 1
        (0.8 for "80/20").
    threshold_s : float, array or pandas Series, default 20
        Target answer time in seconds for ``target_service_level``.
    target_asa_s : float, array or pandas Series, optional
        Highest acceptable average speed of answer, in seconds (answered calls).
    max_occupancy : float, array or pandas Series, optional
        Highest acceptable occupancy, in (0, 1] (for example 0.85).
    max_abandon : float, array or pandas Series, optional
        Highest acceptable abandonment rate, strictly between 0 and 1; Erlang A only.
    shrinkage : float, array or pandas Series, default 0
        Share of paid time agents are not available for calls (breaks, training,
        absence), in [0, 1). Typical floors: 0.30-0.35.
    model : {"erlang_c", "erlang_a"}, default "erlang_c"
        Queueing model: Erlang C (nobody hangs up; the usual planning model) or
        Erlang A (callers hang up after ``patience_s`` on average). Impatient callers
        who leave shorten the queue for everyone else, so when callers do hang up
        Erlang C can be pessimistic by many points: 10 erlangs on 12 agents answer
        64.0% in 20 s under Erlang C but 80.2% under Erlang A with a 3-minute patience
        (14 agents against 12 for 80/20). Erlang A's default "offered" service level
        still counts every abandoned call as a failure.
    patience_s : float, array or pandas Series, optional
        Mean caller patience in seconds; required with ``model="erlang_a"``.
    service_level_method : {"offered", "answered"}, default "offered"
        How the Erlang A service level counts abandoned calls (see
        :func:`erlang_a_service_level`); ignored by Erlang C.

    Returns
    -------
    int, numpy.ndarray or pandas.Series
        Agents to schedule: ``ceil(N / (1 - shrinkage))``, where ``N`` is the smallest
        number of agents on the phones meeting every target given. An interval with no
        calls needs no agents (0).

    Notes
    -----
    Every quantity is monotone in the number of agents, so ``N`` is found by a
    vectorised search: a square-root-staffing first guess ``A + sqrt(A)``, doubling
    steps up to a passing count, then bisection down to a count known to fail (no
    agents; under Erlang C also ``N <= A`` for a service level or ASA target, and
    fewer than ``A / cap`` agents for an occupancy cap) -- about ``2 log2(sqrt(A))``
    evaluations of the closed-form formulas per interval, with no loop over agents, so
    the cost hardly grows with the load. The targets and their functions:

    * ``target_service_level`` -- :func:`service_level` (Erlang C) or
      :func:`erlang_a_service_level` must be at least the target;
    * ``target_asa_s`` -- :func:`asa` or :func:`erlang_a_asa` at most the target;
    * ``max_occupancy`` -- :func:`occupancy` or :func:`erlang_a_occupancy` at most the
      cap (a cap forces extra agents when the load is high). Under Erlang A only
      answered calls make work, so occupancy is below ``A / N`` and fewer than
      ``A / cap`` agents may meet the cap;
    * ``max_abandon`` -- :func:`erlang_a_abandon_probability` at most the cap.

    Under Erlang C the service level and ASA targets need ``N > A``. Shrinkage is
    applied last: ``scheduled = N / (1 - shrinkage)`` rounded up.

    References
    ----------
    .. [1] Cooper, R. B. (1981). *Introduction to Queueing Theory*, 2nd ed., North
       Holland, section 3.4.
    .. [2] Garnett, O., Mandelbaum, A. & Reiman, M. (2002). Designing a call center
       with impatient customers. *Manufacturing & Service Operations Management* 4(3),
       208-227.
    .. [3] Koole, G. (2013). *Call Center Optimization*. MG Books, chapters 4-5.

    Examples
    --------
    The classic worked example: 100 calls per half hour, AHT 180 s, 80% in 20 s.
    Fourteen agents on the phones answer 88.8%; with 30% shrinkage, schedule twenty.

    >>> rate = 100 / 30
    >>> required_agents(rate, 180, target_service_level=0.8)
    14
    >>> required_agents(rate, 180, target_service_level=0.8, shrinkage=0.3)
    20
    >>> required_agents(rate, 180, target_asa_s=10, max_occupancy=0.85)
    14

    Erlang A, with callers who hang up after three minutes on average: twelve agents
    reach 80/20, but keeping abandonment at 3% or less takes fourteen.

    >>> required_agents(rate, 180, target_service_level=0.8, model="erlang_a", patience_s=180)
    12
    >>> required_agents(rate, 180, target_service_level=0.8, max_abandon=0.03,
    ...                 model="erlang_a", patience_s=180)
    14

    A week of 336 half-hour intervals in one call:

    >>> import numpy as np
    >>> week = np.tile(np.r_[np.zeros(16), np.linspace(20, 400, 16), np.linspace(400, 20, 16)], 7)
    >>> staff = required_agents(week / 30, 240, target_service_level=0.8)
    >>> staff.shape, int(staff.max())
    ((336,), 60)
    """
    func = "required_agents"
    model = _check_choice(func, "model", model, _MODELS)
    service_level_method = _check_choice(func, "service_level_method", service_level_method,
                                         _SERVICE_LEVEL_METHODS)
    targets = {"target_service_level": target_service_level, "target_asa_s": target_asa_s,
               "max_occupancy": max_occupancy, "max_abandon": max_abandon}
    if all(v is None for v in targets.values()):
        raise ValueError(
            f"{func} needs at least one target: pass target_service_level (for example "
            f"0.8), target_asa_s, max_occupancy or max_abandon."
        )
    if model == "erlang_a" and patience_s is None:
        raise ValueError(
            f"The 'patience_s' parameter of {func} is required with model='erlang_a' "
            f"(mean caller patience in seconds). Got None instead."
        )
    if model == "erlang_c" and max_abandon is not None:
        raise ValueError(
            f"The 'max_abandon' parameter of {func} needs model='erlang_a': Erlang C "
            f"assumes nobody abandons. Got model={model!r} instead."
        )

    named = {"arrival_rate_per_min": arrival_rate_per_min, "aht_s": aht_s,
             "threshold_s": threshold_s, "shrinkage": shrinkage,
             **{k: v for k, v in targets.items() if v is not None}}
    if model == "erlang_a":
        named["patience_s"] = patience_s
    template = _template(func, named)
    arrays: dict[str, np.ndarray] = {
        "arrival_rate_per_min": _check_rate(func, arrival_rate_per_min),
        "aht_s": _check_positive(func, "aht_s", aht_s),
        "threshold_s": _check_threshold(func, threshold_s),
        "shrinkage": _check_fraction(func, "shrinkage", shrinkage, low_open=False, high_open=True,
                                     what="a share of paid time in [0, 1), such as 0.3"),
    }
    if target_service_level is not None:
        arrays["target_service_level"] = _check_fraction(
            func, "target_service_level", target_service_level, low_open=True, high_open=True,
            what="a share strictly between 0 and 1, such as 0.8")
    if target_asa_s is not None:
        arrays["target_asa_s"] = _check_positive(func, "target_asa_s", target_asa_s, " of seconds")
    if max_occupancy is not None:
        arrays["max_occupancy"] = _check_fraction(
            func, "max_occupancy", max_occupancy, low_open=True, high_open=False,
            what="a share in (0, 1], such as 0.85")
    if max_abandon is not None:
        arrays["max_abandon"] = _check_fraction(
            func, "max_abandon", max_abandon, low_open=True, high_open=True,
            what="a share strictly between 0 and 1, such as 0.05")
    if model == "erlang_a":
        arrays["patience_s"] = _check_patience(func, patience_s)

    flat = dict(zip(arrays, _broadcast(func, arrays)))
    shape = flat["arrival_rate_per_min"].shape
    v = {k: arr.ravel().astype(float) for k, arr in flat.items()}
    lam_s = v["arrival_rate_per_min"] / 60.0
    aht = v["aht_s"]
    a = lam_s * aht

    def passes(idx: np.ndarray, n: np.ndarray) -> np.ndarray:
        """Whether ``n`` agents meet every target for the elements ``idx``."""
        ok = n >= 1
        ai, ahti, lami = a[idx], aht[idx], lam_s[idx]
        if model == "erlang_c":
            if "target_service_level" in v:
                sl = _sl_c(ai, n, ahti, v["threshold_s"][idx])
                ok &= sl >= v["target_service_level"][idx]
            if "target_asa_s" in v:
                ok &= _asa_c(ai, n, ahti) <= v["target_asa_s"][idx]
            if "max_occupancy" in v:
                ok &= np.minimum(ai / np.maximum(n, 1), 1.0) <= v["max_occupancy"][idx]
            return ok
        patience = v["patience_s"][idx]
        finite = np.isfinite(patience)
        parts = _erlang_a_parts(lami[finite], ahti[finite], n[finite], patience[finite])
        inf = ~finite
        if "target_service_level" in v:
            sl = np.empty(n.shape)
            sl[finite] = _sl_a(parts, v["threshold_s"][idx][finite], patience[finite],
                               service_level_method)
            sl[inf] = _sl_c(ai[inf], n[inf], ahti[inf], v["threshold_s"][idx][inf])
            ok &= sl >= v["target_service_level"][idx]
        if "target_asa_s" in v:
            w = np.empty(n.shape)
            w[finite] = _asa_a(parts, patience[finite])
            w[inf] = _asa_c(ai[inf], n[inf], ahti[inf])
            ok &= w <= v["target_asa_s"][idx]
        if "max_occupancy" in v:
            occ = np.empty(n.shape)
            occ[finite] = parts["a"] * parts["p_served"] / np.maximum(n[finite], 1)
            occ[inf] = np.minimum(ai[inf] / np.maximum(n[inf], 1), 1.0)
            ok &= occ <= v["max_occupancy"][idx]
        if "max_abandon" in v:
            ab = np.zeros(n.shape)
            ab[finite] = parts["p_wait"] * parts["ab_wait"]
            ok &= ab <= v["max_abandon"][idx]
        return ok

    raw = np.zeros(a.shape)
    idx = np.flatnonzero(a > 0)
    if idx.size:
        ai = a[idx]
        # lo must fail: no agents never meets a target when calls arrive, under Erlang C
        # nobody is answered in time with N <= A agents, and Erlang C occupancy A/N is
        # above the cap below A/cap agents. Erlang A gets no occupancy bound: callers
        # who hang up make no work, so its occupancy is below A/N and can meet the cap
        # with fewer than A/cap agents.
        lo = np.zeros(idx.size)
        if model == "erlang_c" and ("target_service_level" in v or "target_asa_s" in v):
            lo = np.floor(ai)
        if model == "erlang_c" and "max_occupancy" in v:
            lo = np.maximum(lo, np.ceil(ai / v["max_occupancy"][idx]) - 1.0)
        # A/cap a hair above a whole number in floating point (10.5 / 0.7 is
        # 15.000000000000002) puts the bound one too high; check it and fall back to 0.
        check = np.flatnonzero(lo >= 1)
        if check.size:
            lo[check[passes(idx[check], lo[check])]] = 0.0
        step = np.maximum(np.ceil(np.sqrt(ai)), 1.0)
        hi = np.maximum(np.ceil(ai + np.sqrt(ai)), lo + 1.0)
        ok = passes(idx, hi)
        for _ in range(200):
            if ok.all():
                break
            bad = np.flatnonzero(~ok)
            lo[bad] = hi[bad]
            step[bad] *= 2
            hi[bad] = lo[bad] + step[bad]
            ok[bad] = passes(idx[bad], hi[bad])
        else:  # pragma: no cover - every target is reachable by construction
            raise RuntimeError(f"{func} could not reach the targets; please report this.")
        while True:
            open_ = np.flatnonzero(hi - lo > 1)
            if not open_.size:
                break
            mid = np.floor((lo[open_] + hi[open_]) / 2)
            good = passes(idx[open_], mid)
            hi[open_[good]] = mid[good]
            lo[open_[~good]] = mid[~good]
        raw[idx] = hi
    scheduled = _schedule(raw, v["shrinkage"])
    return _wrap(scheduled.reshape(shape), template, func, integer=True)
