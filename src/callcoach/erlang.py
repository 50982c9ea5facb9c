"""Erlang B / Erlang C queueing formulas for staffing a contact centre.

Initial version (foundation): scalar and array inputs, log-space recursion.
"""
from __future__ import annotations

import numpy as np


def _traffic(arrival_rate_per_min, aht_s):
    return np.asarray(arrival_rate_per_min, dtype=float) * np.asarray(aht_s, dtype=float) / 60.0


def erlang_b(traffic_erlangs, agents):
    """Probability that a call finds every agent busy in a loss system (Erlang B)."""
    a = np.asarray(traffic_erlangs, dtype=float)
    n = np.asarray(agents)
    a, n = np.broadcast_arrays(a, n)
    b = np.ones(a.shape)
    for k in range(1, int(n.max(initial=0)) + 1):
        step = k <= n
        b = np.where(step, a * b / (k + a * b), b)
    return b if b.ndim else float(b)


def erlang_c(traffic_erlangs, agents):
    """Probability that a call has to wait (Erlang C)."""
    a = np.asarray(traffic_erlangs, dtype=float)
    n = np.asarray(agents, dtype=float)
    b = np.asarray(erlang_b(a, n))
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(n > a, n * b / (n - a * (1 - b)), 1.0)
    return c if c.ndim else float(c)


def service_level(arrival_rate_per_min, aht_s, agents, *, threshold_s=20):
    """Share of calls answered within ``threshold_s`` seconds (Erlang C)."""
    a = _traffic(arrival_rate_per_min, aht_s)
    n = np.asarray(agents, dtype=float)
    pw = np.asarray(erlang_c(a, n))
    with np.errstate(over="ignore", invalid="ignore"):
        sl = np.where(n > a, 1 - pw * np.exp(-(n - a) * threshold_s / np.asarray(aht_s, float)), 0.0)
    return sl if sl.ndim else float(sl)
