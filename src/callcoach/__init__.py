"""callcoach: helpers for a Jupyter course that trains contact-centre staff.

Notebooks start with::

    import callcoach
    callcoach.setup_notebook()

and then load data by name (``callcoach.datasets.load("intervals")``), compute KPIs
with :mod:`callcoach.kpi` and :mod:`callcoach.erlang`, and draw charts with
:mod:`callcoach.charts`.
"""
from __future__ import annotations

from callcoach.notebook import setup_notebook

__all__ = ["setup_notebook", "__version__"]
__version__ = "0.1.0"
