"""callcoach: helpers for a Jupyter course that trains contact-centre staff.

Notebooks start with::

    import callcoach
    callcoach.setup_notebook()

and then load data by name (``callcoach.datasets.load("intervals")``), compute KPIs
with :mod:`callcoach.kpi` and :mod:`callcoach.erlang`, and draw charts with
:mod:`callcoach.charts`.
"""
from __future__ import annotations

__all__ = ["setup_notebook", "__version__"]
__version__ = "0.1.0"


def setup_notebook(*, renderer: str | None = None, quiet: bool = False) -> None:
    """Prepare the running notebook for the course; see :func:`callcoach.notebook.setup_notebook`.

    (Imported lazily, so ``import callcoach`` stays fast for graders and worker processes
    that never draw a chart.)
    """
    from callcoach.notebook import setup_notebook as _setup

    _setup(renderer=renderer, quiet=quiet)
