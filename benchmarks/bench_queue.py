"""Benchmark the queue engine against SimPy and Ciw on the same M/M/c+M queue.

The model: 10 calls a minute (Poisson), exponential handle time with mean 5 minutes,
55 agents, exponential patience with mean 3 minutes (Erlang A, load 50 Erlangs). Each
tool simulates it call by call and reports calls per second; service level (answered
within 20 s / answered), abandonment (abandoned / offered) and ASA are printed side by
side, after leaving out the first hour, so a reader can see the three model the same
queue.

callcoach runs 1,000,000 callers; SimPy and Ciw, being pure-Python event simulators,
run 100,000 (``--other-calls``): calls per second is the fair comparison. Numba's
one-off compile time is measured on a first, tiny run and reported separately; the
timed runs come after it. Each tool's time is the best of ``--repeats`` runs.

Run (see benchmarks/README.md for the throwaway venv)::

    taskset -c 0 /tmp/benchq/bin/python benchmarks/bench_queue.py
"""
from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time

import numpy as np

RATE_PER_MIN = 10.0
AHT_S = 300.0
AGENTS = 55
PATIENCE_S = 180.0
THRESHOLD_S = 20.0
WARMUP_S = 3600.0


def kpis(arrival: np.ndarray, wait: np.ndarray, answered: np.ndarray) -> dict[str, float]:
    """Service level, abandonment and ASA of the calls arriving after the warm-up."""
    keep = arrival >= WARMUP_S
    wait, answered = wait[keep], answered[keep]
    return {
        "service_level": float(np.mean(wait[answered] <= THRESHOLD_S)),
        "abandonment": float(1 - answered.mean()),
        "asa_s": float(wait[answered].mean()),
    }


def best_of(repeats: int, run):
    """Run ``run()`` ``repeats`` times; return (best seconds, all seconds, last result)."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), times, result


# --------------------------------------------------------------------------- callcoach


def bench_callcoach(n_calls: int, repeats: int, seed: int) -> dict:
    start = time.perf_counter()
    from callcoach.sim.queue import run_fcfs, simulate_queue
    import_s = time.perf_counter() - start

    start = time.perf_counter()
    simulate_queue(RATE_PER_MIN, AHT_S, AGENTS, patience_s=PATIENCE_S, n_calls=10,
                   seed=0)  # first call in the process: numba compiles the engine
    compile_s = time.perf_counter() - start

    best, times, calls = best_of(repeats, lambda: simulate_queue(
        RATE_PER_MIN, AHT_S, AGENTS, patience_s=PATIENCE_S, n_calls=n_calls, seed=seed))

    # The engine alone, on the same pre-drawn arrays (no random draws).
    arrival = calls.arrival_s.to_numpy()
    service = np.where(calls.answered, calls.handle_s, 0.0)  # abandoners' not needed
    patience = calls.patience_s.to_numpy()
    engine_best, _, _ = best_of(repeats, lambda: run_fcfs(
        arrival, service, patience, agents=AGENTS))

    return {
        "name": "callcoach.simulate_queue",
        "calls": n_calls,
        "seconds": best,
        "all_seconds": times,
        "calls_per_s": n_calls / best,
        "import_s": import_s,
        "compile_s": compile_s,
        "engine_calls_per_s": n_calls / engine_best,
        **kpis(arrival, calls.wait_s.to_numpy(), calls.answered.to_numpy()),
    }


# --------------------------------------------------------------------------- SimPy


def simpy_queue(n_calls: int, seed: int):
    import simpy

    rng = random.Random(seed)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=AGENTS)
    arrival = np.empty(n_calls)
    wait = np.empty(n_calls)
    answered = np.zeros(n_calls, bool)

    def caller(i):
        arrived = env.now
        patience = rng.expovariate(1 / PATIENCE_S)
        handle = rng.expovariate(1 / AHT_S)
        arrival[i] = arrived
        with agents.request() as request:  # leaving the block cancels a pending request
            outcome = yield request | env.timeout(patience)
            if request in outcome:
                wait[i] = env.now - arrived
                answered[i] = True
                yield env.timeout(handle)
            else:
                wait[i] = patience

    def source():
        for i in range(n_calls):
            yield env.timeout(rng.expovariate(RATE_PER_MIN / 60))
            env.process(caller(i))

    env.process(source())
    env.run()
    return arrival, wait, answered


def bench_simpy(n_calls: int, repeats: int, seed: int) -> dict:
    import simpy

    best, times, (arrival, wait, answered) = best_of(
        repeats, lambda: simpy_queue(n_calls, seed))
    return {"name": f"SimPy {simpy.__version__}", "calls": n_calls, "seconds": best,
            "all_seconds": times, "calls_per_s": n_calls / best,
            **kpis(arrival, wait, answered)}


# --------------------------------------------------------------------------- Ciw


def ciw_queue(n_calls: int, seed: int):
    import ciw

    ciw.seed(seed)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=RATE_PER_MIN / 60)],
        service_distributions=[ciw.dists.Exponential(rate=1 / AHT_S)],
        number_of_servers=[AGENTS],
        reneging_time_distributions=[ciw.dists.Exponential(rate=1 / PATIENCE_S)],
    )
    sim = ciw.Simulation(network)
    sim.simulate_until_max_customers(n_calls, method="Finish")  # served or reneged
    records = sim.get_all_records(only=["service", "renege"])
    arrival = np.array([r.arrival_date for r in records])
    wait = np.array([r.waiting_time for r in records])
    answered = np.array([r.record_type == "service" for r in records])
    order = np.argsort(arrival)
    return arrival[order], wait[order], answered[order]


def bench_ciw(n_calls: int, repeats: int, seed: int) -> dict:
    import ciw

    best, times, (arrival, wait, answered) = best_of(
        repeats, lambda: ciw_queue(n_calls, seed))
    return {"name": f"Ciw {ciw.__version__}", "calls": n_calls, "seconds": best,
            "all_seconds": times, "calls_per_s": n_calls / best,
            **kpis(arrival, wait, answered)}


# --------------------------------------------------------------------------- report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1_000_000,
                        help="callers for callcoach (default 1,000,000)")
    parser.add_argument("--other-calls", type=int, default=100_000,
                        help="callers for SimPy and Ciw (default 100,000)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per tool")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-ciw", action="store_true", help="Ciw is the slowest")
    args = parser.parse_args(argv)

    import numba

    print(f"Model: M/M/{AGENTS}+M, {RATE_PER_MIN:g} calls/min, AHT {AHT_S:g} s, mean "
          f"patience {PATIENCE_S:g} s (load {RATE_PER_MIN * AHT_S / 60:g} Erlangs); KPIs "
          f"after a {WARMUP_S:g} s warm-up, SL threshold {THRESHOLD_S:g} s.")
    print(f"Python {platform.python_version()}, numpy {np.__version__}, numba "
          f"{numba.__version__}, {platform.machine()}; best of {args.repeats} runs.\n")

    results = [bench_callcoach(args.calls, args.repeats, args.seed)]
    cc = results[0]
    print(f"callcoach: import {cc['import_s']:.2f} s, numba compile (first call, once "
          f"per process) {cc['compile_s']:.2f} s; engine alone (run_fcfs on pre-drawn "
          f"arrays) {cc['engine_calls_per_s'] / 1e6:.1f} M calls/s.")
    results.append(bench_simpy(args.other_calls, args.repeats, args.seed))
    if not args.skip_ciw:
        results.append(bench_ciw(args.other_calls, args.repeats, args.seed))

    header = (f"\n{'tool':26s} {'callers':>9s} {'best s':>7s} {'calls/s':>11s} "
              f"{'x slower':>8s} {'SL 20s':>7s} {'abandon':>8s} {'ASA s':>6s}")
    print(header)
    print("-" * (len(header) - 1))
    for r in results:
        print(f"{r['name']:26s} {r['calls']:>9,d} {r['seconds']:7.3f} "
              f"{r['calls_per_s']:>11,.0f} {cc['calls_per_s'] / r['calls_per_s']:8.1f} "
              f"{r['service_level']:7.3f} {r['abandonment']:8.4f} {r['asa_s']:6.2f}")
        if len(r["all_seconds"]) > 1:
            print(f"{'':26s} runs: " + ", ".join(f"{s:.3f}" for s in r["all_seconds"])
                  + f" s (median {statistics.median(r['all_seconds']):.3f})")

    simpy_ratio = cc["calls_per_s"] / results[1]["calls_per_s"]
    checks = [
        (f"callcoach >= 2,000,000 calls/s on one core: {cc['calls_per_s']:,.0f}",
         cc["calls_per_s"] >= 2e6),
        (f"callcoach >= 40x SimPy's calls/s: {simpy_ratio:.0f}x", simpy_ratio >= 40),
    ]
    print()
    for text, ok in checks:
        print(("PASS  " if ok else "FAIL  ") + text)
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
