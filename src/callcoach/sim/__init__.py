"""The simulated contact centre of Harbour Mobile.

* :mod:`callcoach.sim.queue` — the queue engine: :func:`simulate_queue` (M/M/c and
  M/M/c+M, agrees with Erlang C / Erlang A), :func:`run_fcfs` (the FCFS multi-server
  core on pre-drawn arrivals, handle times, patience and staffing or per-agent shifts)
  and :func:`queue_summary`;
* :mod:`callcoach.sim.config` — :class:`Scenario` (typed, checked settings) and the
  presets ``default``, ``small`` and ``stationary`` (:func:`preset`);
* :mod:`callcoach.sim.world` — :func:`simulate`: agents, customers and issues, schedules
  and adherence, queues, repeats, surveys, follow-ups, feedback tickets, QA and
  calibration, returning every learner table and the instructor-only ground truth;
* :mod:`callcoach.sim.effects` — :func:`measure_effects`, the effect sizes the course
  relies on;
* :mod:`callcoach.sim.starter` — :func:`generate_intervals`, a fast analytic generator
  of ``intervals``-shaped tables for exercises' unseen data.
"""
from __future__ import annotations

from callcoach.sim.config import Evaluator, QueueSpec, Reason, Scenario, preset
from callcoach.sim.effects import measure_effects
from callcoach.sim.queue import queue_summary, run_fcfs, simulate_queue
from callcoach.sim.starter import QUEUES, generate_intervals
from callcoach.sim.world import World, simulate

__all__ = ["QUEUES", "Evaluator", "QueueSpec", "Reason", "Scenario", "World",
           "generate_intervals", "measure_effects", "preset", "queue_summary", "run_fcfs",
           "simulate", "simulate_queue"]
