"""The simulated contact centre.

For now this holds the starter generator (:mod:`callcoach.sim.starter`) that makes the
first canonical dataset, ``intervals``; the full simulator (queue engine, agents,
customers, surveys, follow-ups, QA) will live beside it.
"""
from __future__ import annotations

from callcoach.sim.starter import QUEUES, generate_intervals

__all__ = ["QUEUES", "generate_intervals"]
