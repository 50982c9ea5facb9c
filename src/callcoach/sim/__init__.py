"""The simulated contact centre.

* :mod:`callcoach.sim.queue` — the queue engine: :func:`simulate_queue` (M/M/c and
  M/M/c+M, agrees with Erlang C / Erlang A), :func:`run_fcfs` (the FCFS multi-server
  core on pre-drawn arrivals, handle times, patience and staffing) and
  :func:`queue_summary`;
* :mod:`callcoach.sim.starter` — the starter generator of the ``intervals`` dataset.

The full world (agents, customers, surveys, follow-ups, QA) will live beside them.
"""
from __future__ import annotations

from callcoach.sim.queue import queue_summary, run_fcfs, simulate_queue
from callcoach.sim.starter import QUEUES, generate_intervals

__all__ = ["QUEUES", "generate_intervals", "queue_summary", "run_fcfs", "simulate_queue"]
