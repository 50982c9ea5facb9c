"""callcoach.erlang agrees with the queue engine, callcoach.sim.simulate_queue.

Two independent routes to the same numbers: closed-form Erlang C / Erlang A and a
call-by-call simulation. Each case runs R independent replications (warm-up removed);
the tolerance is 4 standard errors of the replication mean, plus a tiny floor for
quantities that are exactly zero in every run (abandonment under Erlang C).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from callcoach import erlang
from callcoach.sim import queue_summary, simulate_queue

REPLICATIONS = 20
N_CALLS = 80_000

CASES = [
    # name, calls/min, AHT s, agents, mean patience s (None = Erlang C)
    ("light-erlang-c", 4.0, 240.0, 20, None),
    ("heavy-erlang-c", 10.0, 300.0, 53, None),
    ("erlang-a-busy", 10.0, 300.0, 52, 180.0),
    ("erlang-a-overload", 12.0, 300.0, 50, 120.0),
]


def _replicate(rate, aht, agents, patience):
    rows = []
    for seed in range(REPLICATIONS):
        calls = simulate_queue(rate, aht, agents, patience_s=patience, n_calls=N_CALLS, seed=1000 + seed)
        warmup = calls["arrival_s"].iloc[N_CALLS // 10]
        end = calls["arrival_s"].iloc[-1]
        rows.append(queue_summary(calls, warmup_s=warmup, end_s=end))
    return rows


def _theory(rate, aht, agents, patience):
    if patience is None:
        return {"service_level": erlang.service_level(rate, aht, agents, threshold_s=20),
                "asa_s": erlang.asa(rate, aht, agents),
                "abandonment_rate": 0.0,
                "occupancy": erlang.occupancy(rate, aht, agents)}
    return {"service_level": erlang.erlang_a_service_level(rate, aht, agents, threshold_s=20,
                                                           patience_s=patience, method="answered"),
            "asa_s": erlang.erlang_a_asa(rate, aht, agents, patience_s=patience),
            "abandonment_rate": erlang.erlang_a_abandon_probability(rate, aht, agents, patience_s=patience),
            "occupancy": erlang.erlang_a_occupancy(rate, aht, agents, patience_s=patience)}


@pytest.mark.parametrize(("name", "rate", "aht", "agents", "patience"), CASES, ids=[c[0] for c in CASES])
def test_erlang_formulas_match_the_simulated_queue_within_four_standard_errors(name, rate, aht, agents, patience):
    runs = _replicate(rate, aht, agents, patience)
    for key, expected in _theory(rate, aht, agents, patience).items():
        values = np.array([r[key] for r in runs], dtype=float)
        mean = values.mean()
        se = values.std(ddof=1) / math.sqrt(len(values))
        assert abs(mean - expected) <= 4 * se + 1e-6, (
            f"{name} {key}: simulation {mean:.5f} ± {se:.5f} (SE), Erlang {expected:.5f}")
