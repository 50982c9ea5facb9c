"""Time the world simulator: the ``default`` scenario (target < 60 s) and ``small`` (< 2 s).

Run from the repository root with the course's environment (no extra packages):

    .venv/bin/python benchmarks/bench_world.py [--repeats 3] [--skip-default]

numba compiles the queue engine once per process; the script does that first on a tiny
queue and reports it separately, then times each preset (best of ``--repeats``) and
prints the table sizes. Exits 1 if a target is missed.
"""
from __future__ import annotations

import argparse
import platform
import sys
import time

TARGETS = {"small": 2.0, "default": 60.0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-default", action="store_true")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    from callcoach.sim import run_fcfs, simulate
    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    run_fcfs([0.0, 1.0], [5.0, 5.0], [9.0, 9.0], agents=1)
    t_compile = time.perf_counter() - t0
    print(f"python {platform.python_version()}, {platform.machine()}; import {t_import:.2f} s, "
          f"numba compile {t_compile:.2f} s")

    ok = True
    for name in ("small", "default"):
        if name == "default" and args.skip_default:
            continue
        times = []
        for _ in range(args.repeats if name == "small" else 1):
            t0 = time.perf_counter()
            world = simulate(name)
            times.append(time.perf_counter() - t0)
        best = min(times)
        rows = {k: len(v) for k, v in world.tables.items()}
        calls = rows["calls"]
        print(f"{name:8s} best {best:6.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)}); "
              f"target < {TARGETS[name]:.0f} s; {calls:,} calls in the detail period; "
              f"{sum(rows.values()):,} rows in {len(rows)} tables")
        ok &= best < TARGETS[name]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
