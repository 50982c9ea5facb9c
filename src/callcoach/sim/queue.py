"""Queue engine: a call-by-call, multi-agent, first-come-first-served queue.

Two layers:

* :func:`run_fcfs` is the engine. It takes pre-drawn arrays -- each caller's arrival
  time, handle time and patience, and optionally when each abandoner calls back -- plus
  the staffing (a fixed number of agents, or a count per interval), and returns what
  happened to every call. Arrivals can follow any intraday profile and handle times any
  distribution: the caller draws them, the engine only queues.
* :func:`simulate_queue` draws the textbook model (Poisson arrivals, exponential handle
  times, exponential patience: M/M/c, or M/M/c+M with abandonment) from a seed and runs
  it through :func:`run_fcfs`. :func:`queue_summary` turns its output into service
  level, ASA, abandonment rate and occupancy.

The inner loop is compiled with numba the first time it is needed (about 1.3 s on a
small machine) and cached on disk next to this module, or in numba's per-user cache when
the install is read-only, so later processes load it in a few milliseconds (grading
kernels, notebook kernels). Where no cache location is writable (a sandbox) it compiles
in memory. Every call queues millions of calls per second (``benchmarks/bench_queue.py``).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from numba import njit

from callcoach import kpi

__all__ = ["simulate_queue", "run_fcfs", "queue_summary"]


# --------------------------------------------------------------------------- checks


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def _fail(func: str, name: str, expected: str, value: Any, error=ValueError):
    raise error(f"The {name!r} parameter of {func} must be {expected}. Got {value!r} instead.")


def _check_number(value: Any, name: str, func: str, *, minimum: float = 0.0,
                  strict: bool = True, maximum: float | None = None,
                  expected: str | None = None) -> float:
    """A finite real number above ``minimum`` (``>=`` when not ``strict``)."""
    if expected is None:
        expected = "a positive number" if strict and minimum == 0 else (
            f"a number of at least {minimum:g}")
    if not _is_number(value):
        _fail(func, name, expected, value, TypeError)
    if (not np.isfinite(value) or value < minimum or (strict and value == minimum)
            or (maximum is not None and value > maximum)):
        _fail(func, name, expected, value)
    return float(value)


def _check_whole(value: Any, name: str, func: str, *, minimum: int = 1) -> int:
    expected = ("a positive whole number" if minimum == 1
                else f"a whole number of at least {minimum}")
    if not _is_number(value):
        _fail(func, name, expected, value, TypeError)
    if not np.isfinite(value) or int(value) != value or value < minimum:
        _fail(func, name, expected, value)
    return int(value)


def _check_agents(agents: Any, interval_s: Any, func: str) -> tuple[np.ndarray, float]:
    """Return the staffing as (counts per interval, interval length in seconds).

    A fixed number of agents is one interval of infinite length.
    """
    if _is_number(agents):
        return np.array([_check_whole(agents, "agents", func)], np.int64), np.inf
    expected = ("a positive whole number, or a sequence of whole numbers of agents "
                "per interval (0 or more, at least one above 0)")
    if isinstance(agents, (str, bytes, bool, np.bool_)) or agents is None:
        _fail(func, "agents", expected, agents, TypeError)
    try:
        counts = np.asarray(agents)
    except Exception:  # noqa: BLE001 -- anything that is not array-like
        _fail(func, "agents", expected, agents, TypeError)
    shown = agents if counts.size <= 12 else f"{type(agents).__name__} of {counts.size}"
    if counts.dtype.kind not in "iuf" or counts.ndim != 1:
        _fail(func, "agents", expected, shown, TypeError)
    if (counts.size == 0 or not np.all(np.isfinite(counts)) or np.any(counts < 0)
            or np.any(counts != np.round(counts)) or counts.max() < 1):
        _fail(func, "agents", expected, shown)
    if interval_s is None:
        raise ValueError(
            f"The 'interval_s' parameter of {func} must be given when 'agents' is a "
            "count per interval (for example interval_s=1800 for half hours). Got None "
            "instead."
        )
    return counts.astype(np.int64), _check_number(interval_s, "interval_s", func)


def _float_array(values: Any, name: str, func: str, n: int | None) -> np.ndarray:
    expected = "a 1-D array of numbers" + ("" if n is None else f" of length {n}")
    if isinstance(values, (str, bytes)) or _is_number(values) or values is None:
        _fail(func, name, expected, values, TypeError)
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(func, name, expected, values, TypeError)
    if arr.ndim != 1 or (n is not None and arr.size != n):
        shape = f"an array of shape {arr.shape}"
        raise ValueError(f"The {name!r} parameter of {func} must be {expected}. "
                         f"Got {shape} instead.")
    # Writable and contiguous: numba compiles one version of the engine per array
    # layout, and pandas hands out read-only views, so normalise (copies only if needed).
    return np.require(arr, np.float64, ["C", "W"])


def _service_array(values: Any, func: str, n: int, n_agents: int) -> np.ndarray:
    """Handle times as a 2-D C array: one column for all agents, or one per agent."""
    arr = np.asarray(values, dtype=np.float64) if not isinstance(
        values, (str, bytes)) and values is not None and not _is_number(values) else None
    if arr is not None and arr.ndim == 2:
        if arr.shape != (n, n_agents):
            raise ValueError(
                f"The 'service_s' parameter of {func} must be a 1-D array of {n} handle "
                f"times, or a 2-D array of shape ({n}, {n_agents}) (one column per "
                f"agent). Got an array of shape {arr.shape} instead.")
        out = np.require(arr, np.float64, ["C", "W"])
    else:
        out = _float_array(values, "service_s", func, n).reshape(n, 1)
    bad = ~np.isfinite(out) | (out < 0)
    if bad.any():
        _bad_entry(func, "service_s", "finite handle times of 0 or more", out.ravel(),
                   bad.ravel())
    return out


def _check_shifts(shifts: Any, func: str):
    """Per-agent windows (CSR) from a table of agent, start_s, end_s."""
    if not isinstance(shifts, pd.DataFrame):
        _fail(func, "shifts", "a pandas DataFrame with columns agent, start_s, end_s",
              type(shifts).__name__, TypeError)
    missing = [c for c in ("agent", "start_s", "end_s") if c not in shifts.columns]
    if missing:
        raise KeyError(f"The 'shifts' table passed to {func} lacks the column(s) {missing}; "
                       "it needs agent, start_s and end_s.")
    agent = shifts["agent"].to_numpy()
    start = shifts["start_s"].to_numpy(np.float64)
    end = shifts["end_s"].to_numpy(np.float64)
    if agent.size and (agent.dtype.kind not in "iu" or agent.min() < 0):
        raise ValueError(f"The 'agent' column of 'shifts' passed to {func} must hold whole "
                         "numbers 0, 1, 2... (agent positions).")
    if np.any(np.isnan(start)) or np.any(start < 0) or np.any(~(end > start)):
        raise ValueError(f"Every window in 'shifts' passed to {func} needs 0 <= start_s < "
                         "end_s.")
    return windows_csr(agent.astype(np.int64), start, end,
                       int(agent.max()) + 1 if agent.size else 0, func=func)


def windows_csr(agent: np.ndarray, start: np.ndarray, end: np.ndarray, n_agents: int,
                *, func: str = "windows_csr"):
    """Sort windows by agent then start into the engine's CSR form (ptr, start, end)."""
    order = np.lexsort((start, agent))
    agent, start, end = agent[order], start[order], end[order]
    same = agent[1:] == agent[:-1]
    if np.any(same & (start[1:] < end[:-1])):
        raise ValueError(f"Windows of one agent overlap in the 'shifts' passed to {func}.")
    ptr = np.searchsorted(agent, np.arange(n_agents + 1)).astype(np.int64)
    return (ptr, np.ascontiguousarray(start, np.float64),
            np.ascontiguousarray(end, np.float64))


def _bad_entry(func: str, name: str, expected: str, arr: np.ndarray, bad: np.ndarray):
    i = int(np.flatnonzero(bad)[0])
    raise ValueError(
        f"The {name!r} parameter of {func} must hold {expected}. Got {float(arr[i])!r} at "
        f"position {i} ({int(bad.sum())} such value(s) in all) instead."
    )


# --------------------------------------------------------------------------- engine



def _compiled(func):
    """``numba.njit`` with an on-disk cache, or without one where nothing is writable."""
    try:
        return njit(cache=True)(func)
    except RuntimeError:  # "cannot cache function ...: no locator available"
        return njit(cache=False)(func)

@_compiled
def _sift_down(key, ident, i, size):
    """Restore the min-heap (on ``key``, ties on ``ident``) below position ``i``."""
    k0 = key[i]
    id0 = ident[i]
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        right = child + 1
        if right < size and (key[right] < key[child] or (
                key[right] == key[child] and ident[right] < ident[child])):
            child = right
        if key[child] < k0 or (key[child] == k0 and ident[child] < id0):
            key[i] = key[child]
            ident[i] = ident[child]
            i = child
        else:
            break
    key[i] = k0
    ident[i] = id0


@_compiled
def _sift_up(key, ident, i):
    k0 = key[i]
    id0 = ident[i]
    while i > 0:
        parent = (i - 1) // 2
        if key[parent] > k0 or (key[parent] == k0 and ident[parent] > id0):
            key[i] = key[parent]
            ident[i] = ident[parent]
            i = parent
        else:
            break
    key[i] = k0
    ident[i] = id0


@_compiled
def _next_on_shift(cursor, win_ptr, win_start, win_end, k, t):
    """Earliest time >= t at which agent ``k`` is on shift (inf if never again).

    Agent ``k``'s shifts are the windows ``win_ptr[k] .. win_ptr[k + 1] - 1``, sorted
    and half-open ``[start, end)``. ``cursor[k]`` only moves forward: the engine asks
    about each agent at non-decreasing times.
    """
    j = cursor[k]
    last = win_ptr[k + 1]
    while j < last and win_end[j] <= t:
        j += 1
    cursor[k] = j
    if j == last:
        return np.inf
    return max(t, win_start[j])


@_compiled
def _fcfs_core(arrival, service, patience, retry_delay, win_ptr, win_start, win_end):
    """Run the queue. Returns (caller, attempt, arrival, wait, agent) per attempt.

    Agents sit in a min-heap keyed by the earliest time each could take a call (free
    and on shift). Calls are processed in arrival order, which is the order FCFS serves
    them in, so each call gets the earliest time any agent could take it, given the
    calls before it. If that time is later than arrival + patience the caller hangs up
    at arrival + patience and the agents are left as they were (an abandoner uses no
    agent time); otherwise the agent takes the call. ``service`` is 2-D: one column
    for everyone, or one column per agent (the handle time caller ``i`` needs if agent
    ``k`` answers: agents differ in speed). Callers who hang up and retry are
    queued as future arrivals in a second heap and merged into the arrival stream.
    """
    n = arrival.shape[0]
    n_agents = win_ptr.shape[0] - 1
    max_retry = retry_delay.shape[1]
    per_agent = service.shape[1] > 1

    n_retry = 0
    for i in range(n):
        for j in range(max_retry):
            if np.isnan(retry_delay[i, j]):
                break
            n_retry += 1
    n_rows = n + n_retry
    out_caller = np.empty(n_rows, np.int64)
    out_attempt = np.empty(n_rows, np.int64)
    out_arrival = np.empty(n_rows, np.float64)
    out_wait = np.empty(n_rows, np.float64)
    out_agent = np.empty(n_rows, np.int64)

    # Agents: heap of (earliest possible start, agent index).
    cursor = win_ptr[:-1].copy()
    akey = np.empty(n_agents, np.float64)
    aid = np.empty(n_agents, np.int64)
    for k in range(n_agents):
        aid[k] = k
        akey[k] = _next_on_shift(cursor, win_ptr, win_start, win_end, k, 0.0)
    for i in range(n_agents // 2 - 1, -1, -1):
        _sift_down(akey, aid, i, n_agents)

    # Pending retrials: heap of (time, sequence number); the sequence indexes rcaller.
    rkey = np.empty(n_retry + 1, np.float64)
    rseq = np.empty(n_retry + 1, np.int64)
    rcaller = np.empty(n_retry + 1, np.int64)
    rattempt = np.empty(n_retry + 1, np.int64)
    rsize = 0
    rcount = 0

    i = 0
    row = 0
    while i < n or rsize > 0:
        if rsize > 0 and (i >= n or rkey[0] < arrival[i]):
            a = rkey[0]
            s = rseq[0]
            c = rcaller[s]
            att = rattempt[s]
            rsize -= 1
            if rsize > 0:
                rkey[0] = rkey[rsize]
                rseq[0] = rseq[rsize]
                _sift_down(rkey, rseq, 0, rsize)
        else:
            a = arrival[i]
            c = i
            att = 0
            i += 1

        # Earliest time an agent can take this call.
        start = np.inf
        k = -1
        while n_agents > 0:
            k = aid[0]
            t = akey[0]
            if t >= a:
                start = t
                break
            t2 = _next_on_shift(cursor, win_ptr, win_start, win_end, k, a)
            if t2 <= a:
                start = a
                break
            akey[0] = t2  # off shift now: cannot start before t2 (later calls neither)
            _sift_down(akey, aid, 0, n_agents)

        wait = start - a
        p = patience[c]
        out_caller[row] = c
        out_attempt[row] = att
        out_arrival[row] = a
        if wait <= p:
            out_wait[row] = wait
            out_agent[row] = k
            akey[0] = _next_on_shift(cursor, win_ptr, win_start, win_end, k,
                                     start + service[c, k if per_agent else 0])
            _sift_down(akey, aid, 0, n_agents)
        else:
            out_wait[row] = p
            out_agent[row] = -1
            if att < max_retry:
                d = retry_delay[c, att]
                if not np.isnan(d):
                    rcaller[rcount] = c
                    rattempt[rcount] = att + 1
                    rkey[rsize] = a + p + d
                    rseq[rsize] = rcount
                    _sift_up(rkey, rseq, rsize)
                    rsize += 1
                    rcount += 1
        row += 1
    return (out_caller[:row], out_attempt[:row], out_arrival[:row], out_wait[:row],
            out_agent[:row])


def _shift_windows(counts: np.ndarray, interval_s: float):
    """Per-agent on-shift windows from a count per interval, in CSR form.

    Agent ``k`` is on shift in every interval whose count is above ``k``; the last
    interval's count stays in force for ever after, so the queue can drain.
    """
    n_int = counts.size
    if n_int == 1:  # a fixed team: every agent on shift from 0 for ever
        c = int(counts[0])
        return np.arange(c + 1, dtype=np.int64), np.zeros(c), np.full(c, np.inf)
    starts, ends, ptr = [], [], [0]
    for k in range(int(counts.max())):
        on = np.concatenate(([0], (counts > k).astype(np.int8), [0]))
        edge = np.diff(on)
        first = np.flatnonzero(edge == 1)
        after = np.flatnonzero(edge == -1)
        starts.append(first * interval_s)
        end = after * interval_s
        end[after == n_int] = np.inf
        ends.append(end)
        ptr.append(ptr[-1] + first.size)
    return (np.asarray(ptr, np.int64),
            np.ascontiguousarray(np.concatenate(starts), np.float64),
            np.ascontiguousarray(np.concatenate(ends), np.float64))


def run_fcfs(
    arrival_s: Sequence[float] | np.ndarray,
    service_s: Sequence[float] | np.ndarray,
    patience_s: Sequence[float] | np.ndarray | None = None,
    *,
    agents: int | Sequence[int] | np.ndarray | None = None,
    interval_s: float | None = None,
    retrial_delay_s: np.ndarray | None = None,
    shifts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Queue pre-drawn callers for a team of agents, first come first served.

    Parameters
    ----------
    arrival_s : array of float
        Arrival time of each caller in seconds since the start, non-decreasing and 0 or
        more. Draw them from any arrival process (a Poisson process with an intraday
        profile, a replayed day...).
    service_s : array of float
        Handle time each caller needs once answered, in seconds (0 or more), from any
        distribution. A caller who retries keeps the same handle time. A 2-D array of
        shape ``(n_callers, n_agents)`` gives the handle time per agent (agent ``k``
        needs ``service_s[i, k]`` for caller ``i``): agents who work at different
        speeds, or behaviours that depend on the agent.
    patience_s : array of float, optional
        How long each caller is prepared to wait before hanging up, in seconds (0 or
        more; ``inf`` never hangs up). ``None`` (the default): nobody hangs up. A caller
        who retries keeps the same patience.
    agents : int or array of int
        Agents taking calls: a fixed number, or a number per interval of ``interval_s``
        seconds from time 0 (a step function; the last interval's number stays in force
        afterwards, so calls still waiting at the end are answered or hang up). Give
        either ``agents`` or ``shifts``.
    interval_s : float, optional
        Length of one staffing interval in seconds (1800 for half hours). Needed when
        ``agents`` is a count per interval.
    retrial_delay_s : 2-D array of float, optional
        Shape ``(n_callers, max_retrials)``. ``retrial_delay_s[i, j]`` is how long caller
        ``i`` waits after hanging up for the ``j + 1``-th time before calling again; NaN
        means they give up (later entries are ignored). ``None``: nobody calls back.
    shifts : pandas.DataFrame, optional
        Each agent's own on-phone windows instead of ``agents``: columns ``agent``
        (0, 1, ... ``n_agents - 1``), ``start_s`` and ``end_s`` (half-open
        ``[start, end)``; an agent's windows must not overlap). Breaks, lunches and late
        log-ins are gaps between windows. An agent with no window never takes a call.

    Returns
    -------
    pandas.DataFrame
        One row per attempt (a caller's first call, then each retrial), in order of
        arrival, with columns:

        - ``caller`` (int): position of the caller in the input arrays.
        - ``attempt`` (int): 0 for the first call, 1, 2... for retrials.
        - ``retrial`` (bool): ``attempt > 0``.
        - ``arrival_s`` (float): when the attempt joined the queue, seconds since start.
        - ``wait_s`` (float): seconds in the queue until answered, or until the caller
          hung up (then equal to ``patience_s``).
        - ``answered``, ``abandoned`` (bool): exactly one of them is true.
        - ``answer_s`` (float): when an agent answered (NaN if abandoned).
        - ``handle_s`` (float): handle time of an answered call; NaN if abandoned (no
          call was handled, so ``handle_s.mean()`` is the AHT and ``.sum()`` the total).
        - ``end_s`` (float): when the call ended, or when the caller hung up.
        - ``agent`` (int): index of the agent who answered (0, 1, ...), -1 if abandoned.
        - ``patience_s`` (float): the caller's patience (``inf`` if unlimited). Latent:
          no real switch records it; drop it before giving the table to learners.

    Raises
    ------
    ValueError
        If arrays have different lengths, arrivals are negative, unsorted or not
        finite, handle times or patience are negative or NaN, the staffing is not a
        whole number of agents, or callers who never hang up could wait for ever (the
        schedule ends with no agents).

    See Also
    --------
    simulate_queue : draws Poisson arrivals and exponential times, then calls this.
    queue_summary : service level, ASA, abandonment and occupancy of the result.

    Notes
    -----
    *Discipline.* Calls are answered strictly in arrival order (FCFS); when several
    agents are free, the one who has been free longest takes the call. The engine walks
    through the calls in arrival order keeping, for every agent, the earliest time they
    could start a new call (free *and* on shift) in a heap. Call *i* is answered at
    ``max(arrival, earliest such time)`` unless that is later than
    ``arrival + patience``: then the caller hangs up at ``arrival + patience`` and no
    agent time is used, so the next caller may still be answered by that same agent.
    This is the exact FCFS sample path with impatient callers, not an approximation.

    *Schedules.* With a count per interval, agent ``k`` is on shift in the intervals
    whose count is above ``k``. Agents only start calls while on shift; a call still
    running when a shift ends is finished (overrun), as on a real floor.

    *Retrials.* A caller who hangs up and is due to retry re-enters the queue
    ``retrial_delay_s[i, j]`` seconds after hanging up, as a new row with
    ``retrial=True``; rows stay in arrival order. Service level and abandonment over
    all rows then count attempts, as an ACD does.

    *Speed.* The loop is compiled by numba once and cached on disk (see the module
    docstring); it queues several million calls per second on one core.

    Examples
    --------
    Three callers, one agent; the second caller hangs up after 30 s, which frees the
    agent's next slot for the third caller:

    >>> out = run_fcfs([0, 10, 20], [100, 100, 100], [60, 30, 120], agents=1)
    >>> out[["caller", "wait_s", "answered", "agent", "end_s"]]
       caller  wait_s  answered  agent  end_s
    0       0     0.0      True      0  100.0
    1       1    30.0     False     -1   40.0
    2       2    80.0      True      0  200.0

    Staffing by interval: nobody on shift in the first minute, two agents after.

    >>> run_fcfs([0, 0, 0], [30, 30, 30], agents=[0, 2], interval_s=60).answer_s.tolist()
    [60.0, 60.0, 90.0]
    """
    func = "run_fcfs"
    if (agents is None) == (shifts is None):
        raise ValueError(
            f"{func} needs exactly one of 'agents' (a number of agents, or a number per "
            "interval) and 'shifts' (each agent's on-phone windows). Got "
            f"{'both' if agents is not None else 'neither'}."
        )
    if shifts is None:
        counts, length = _check_agents(agents, interval_s, func)
        win_ptr, win_start, win_end = _shift_windows(counts, length)
        n_agents = int(counts.max())
        never_again = counts[-1] == 0
    else:
        win_ptr, win_start, win_end = _check_shifts(shifts, func)
        n_agents = win_ptr.size - 1
        never_again = True
    arrival = _float_array(arrival_s, "arrival_s", func, None)
    n = arrival.size
    service = _service_array(service_s, func, n, n_agents)
    if patience_s is None:
        patience = np.full(n, np.inf)
    else:
        patience = _float_array(patience_s, "patience_s", func, n)

    bad = ~np.isfinite(arrival) | (arrival < 0)
    if bad.any():
        _bad_entry(func, "arrival_s", "finite times of 0 or more", arrival, bad)
    if n > 1 and np.any(np.diff(arrival) < 0):
        i = int(np.flatnonzero(np.diff(arrival) < 0)[0]) + 1
        raise ValueError(
            f"The 'arrival_s' parameter of {func} must be sorted (non-decreasing): "
            f"position {i} ({float(arrival[i])!r}) comes before position {i - 1} "
            f"({float(arrival[i - 1])!r}). Sort the callers by arrival first."
        )
    bad = np.isnan(patience) | (patience < 0)
    if bad.any():
        _bad_entry(func, "patience_s", "patience times of 0 or more (inf allowed)",
                   patience, bad)

    if retrial_delay_s is None:
        retry = np.empty((n, 0), np.float64)
    else:
        try:
            retry = np.require(retrial_delay_s, np.float64, ["C", "W"])
        except (TypeError, ValueError):
            _fail(func, "retrial_delay_s", f"a 2-D array of numbers with {n} rows",
                  retrial_delay_s, TypeError)
        if retry.ndim != 2 or retry.shape[0] != n:
            raise ValueError(
                f"The 'retrial_delay_s' parameter of {func} must be a 2-D array with one "
                f"row per caller ({n}). Got an array of shape {retry.shape} instead."
            )
        bad = (retry < 0) | np.isinf(retry)
        if bad.any():
            flat = retry.ravel()
            _bad_entry(func, "retrial_delay_s", "finite delays of 0 or more, or NaN",
                       flat, bad.ravel())

    if never_again and np.isinf(patience).any() and not np.isinf(win_end).any():
        raise ValueError(
            f"The {'agents' if shifts is None else 'shifts'} schedule passed to {func} "
            "ends with no agents, so callers who never hang up would wait for ever. End "
            "the schedule with at least one agent or give every caller a finite patience."
        )

    caller, attempt, arr, wait, agent = _fcfs_core(
        arrival, service, patience, retry, win_ptr, win_start, win_end)

    answered = agent >= 0
    column = np.where(answered, agent, 0) if service.shape[1] > 1 else 0
    handle = np.where(answered, service[caller, column], np.nan)
    answer = np.where(answered, arr + wait, np.nan)
    end = arr + wait + np.where(answered, handle, 0.0)
    return pd.DataFrame({
        "caller": caller,
        "attempt": attempt,
        "retrial": attempt > 0,
        "arrival_s": arr,
        "wait_s": wait,
        "answered": answered,
        "abandoned": ~answered,
        "answer_s": answer,
        "handle_s": handle,
        "end_s": end,
        "agent": agent,
        "patience_s": patience[caller],
    })


# --------------------------------------------------------------------------- model


def simulate_queue(
    arrival_rate_per_min: float,
    aht_s: float,
    agents: int | Sequence[int] | np.ndarray,
    *,
    patience_s: float | None = None,
    n_calls: int,
    seed: int,
    threshold_s: float = 20,
    interval_s: float | None = None,
    retrial_prob: float = 0.0,
    retrial_delay_s: float = 300.0,
    max_retrials: int = 3,
) -> pd.DataFrame:
    """Simulate one queue call by call: Erlang C (M/M/c) or Erlang A (M/M/c+M).

    Parameters
    ----------
    arrival_rate_per_min : float
        Calls offered per minute (a Poisson process: exponential gaps between calls).
    aht_s : float
        Average handle time in seconds; each call's handle time is exponential with
        this mean.
    agents : int or array of int
        Agents taking calls: a fixed number, or a number per interval of
        ``interval_s`` seconds (see :func:`run_fcfs`).
    patience_s : float, optional
        Mean patience in seconds: each caller hangs up after an exponential time with
        this mean if not answered by then (Erlang A). ``None`` (the default): nobody
        hangs up (Erlang C).
    n_calls : int
        Number of callers to simulate (first calls; retrials come on top).
    seed : int
        Seed (0 or more). The same seed gives the same table. Arrivals, handle times,
        patience and retrials come from separate streams of the seed, so changing
        ``agents`` or ``patience_s`` keeps the same callers with the same handle times:
        a fair "what if we had one more agent?" comparison (common random numbers).
    threshold_s : float, default 20
        Service-level threshold for the ``answered_within_threshold`` column.
    interval_s : float, optional
        Length of one staffing interval in seconds, when ``agents`` is a count per
        interval.
    retrial_prob : float, default 0
        Probability that a caller who hung up calls back (again after each further
        hang-up, up to ``max_retrials`` times). Only callers who hang up retry, so it
        has no effect without ``patience_s``. A retrying caller keeps their handle time
        and patience.
    retrial_delay_s : float, default 300
        Mean time in seconds between hanging up and calling back (exponential).
    max_retrials : int, default 3
        Most retrials per caller.

    Returns
    -------
    pandas.DataFrame
        One row per call attempt in order of arrival, with the columns of
        :func:`run_fcfs`:

        - ``caller``, ``attempt``, ``retrial``: who called and whether it is a retrial.
        - ``arrival_s``: arrival time in seconds since the start.
        - ``wait_s``: seconds in the queue until answered or until hanging up.
        - ``answered``, ``abandoned`` (bool).
        - ``answer_s``: when the call was answered (NaN if abandoned).
        - ``handle_s``: handle time in seconds; NaN if abandoned.
        - ``end_s``: when the call ended or the caller hung up.
        - ``agent``: index of the agent who answered, -1 if abandoned.
        - ``patience_s``: the caller's patience (latent: ``inf`` without abandonment).

        plus ``answered_within_threshold`` (bool): answered after waiting at most
        ``threshold_s`` seconds. ``attrs`` holds ``agents`` and ``interval_s`` for
        :func:`queue_summary`.

    Raises
    ------
    TypeError
        If a parameter is not a number.
    ValueError
        If a parameter is out of range (rates and times must be positive, ``agents``
        and ``n_calls`` positive whole numbers, ``retrial_prob`` between 0 and 1).

    See Also
    --------
    run_fcfs : the engine, for arrivals, handle times and patience drawn any way.
    queue_summary : service level, ASA, abandonment rate and occupancy.

    Notes
    -----
    With arrival rate :math:`\\lambda`, handle rate :math:`\\mu = 1/\\text{AHT}` and
    :math:`c` agents, the offered load is :math:`a = \\lambda/\\mu` Erlangs. Without
    abandonment (Erlang C) the queue is stable only if :math:`a < c`; with it (Erlang
    A, abandonment rate :math:`\\theta = 1/\\text{patience}`) it is stable at any load,
    and the queue settles where abandonment balances the overload.

    The queue starts empty, so the first part of a run is not typical of the long run.
    Before comparing with Erlang C/A leave out a warm-up (``warmup_s`` of
    :func:`queue_summary`): a few hundred handle times at light load, a few thousand
    callers near full load.

    The first call in a process compiles the engine with numba (about 1.3 s); later
    calls simulate millions of calls per second (``benchmarks/bench_queue.py``).

    ``tests/test_sim_queue.py`` checks the simulation against Erlang C and Erlang A
    (service level, ASA, abandonment, occupancy) within four standard errors.

    References
    ----------
    .. [1] Gans, N., Koole, G. and Mandelbaum, A. (2003). Telephone call centers:
       tutorial, review, and research prospects. *Manufacturing & Service Operations
       Management* 5(2), 79-141.
    .. [2] Garnett, O., Mandelbaum, A. and Reiman, M. (2002). Designing a call center
       with impatient customers. *Manufacturing & Service Operations Management* 4(3),
       208-227.

    Examples
    --------
    Ten calls a minute, five-minute handle time, 55 agents, callers who hang up after
    three minutes on average:

    >>> calls = simulate_queue(10, 300, 55, patience_s=180, n_calls=20_000, seed=1)
    >>> calls[["arrival_s", "wait_s", "answered", "handle_s", "agent"]].round(1).head(3)
       arrival_s  wait_s  answered  handle_s  agent
    0       16.5     0.0      True     509.4      0
    1       16.7     0.0      True     540.1      1
    2       20.2     0.0      True     304.6      2
    >>> queue_summary(calls, warmup_s=3600).round(3)
    offered             19398.000
    answered            18870.000
    abandoned             528.000
    service_level           0.903
    asa_s                   4.917
    abandonment_rate        0.027
    p_wait                  0.264
    occupancy               0.899
    Name: queue_summary, dtype: float64

    One more agent, the same callers (the same seed draws the same arrivals, handle
    times and patience whatever the staffing):

    >>> more = simulate_queue(10, 300, 56, patience_s=180, n_calls=20_000, seed=1)
    >>> bool((more.arrival_s == calls.arrival_s).all())
    True
    >>> round(float(queue_summary(more, warmup_s=3600)["service_level"]), 3)
    0.922
    """
    func = "simulate_queue"
    rate = _check_number(arrival_rate_per_min, "arrival_rate_per_min", func)
    aht = _check_number(aht_s, "aht_s", func)
    counts, length = _check_agents(agents, interval_s, func)
    if patience_s is not None:
        patience_mean = _check_number(
            patience_s, "patience_s", func,
            expected="a positive number (or None for callers who never hang up)")
    n_calls = _check_whole(n_calls, "n_calls", func)
    seed = _check_whole(seed, "seed", func, minimum=0)
    threshold = _check_number(threshold_s, "threshold_s", func, strict=False)
    prob = _check_number(retrial_prob, "retrial_prob", func, strict=False, maximum=1.0,
                         expected="a probability between 0 and 1")
    delay_mean = _check_number(retrial_delay_s, "retrial_delay_s", func)
    max_retrials = _check_whole(max_retrials, "max_retrials", func, minimum=0)

    arrivals_rng, service_rng, patience_rng, retrial_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4))
    arrival = np.cumsum(arrivals_rng.exponential(60.0 / rate, n_calls))
    service = service_rng.exponential(aht, n_calls)
    patience = (None if patience_s is None
                else patience_rng.exponential(patience_mean, n_calls))
    retry = None
    if prob > 0 and max_retrials > 0 and patience is not None:
        retry = retrial_rng.exponential(delay_mean, (n_calls, max_retrials))
        retry[retrial_rng.random((n_calls, max_retrials)) >= prob] = np.nan

    fixed = np.isinf(length)
    calls = run_fcfs(arrival, service, patience,
                     agents=int(counts[0]) if fixed else counts,
                     interval_s=None if fixed else length, retrial_delay_s=retry)
    calls.insert(calls.columns.get_loc("answer_s"), "answered_within_threshold",
                 calls["answered"].to_numpy() & (calls["wait_s"].to_numpy() <= threshold))
    calls.attrs["agents"] = int(counts[0]) if fixed else tuple(int(x) for x in counts)
    calls.attrs["interval_s"] = None if fixed else length
    return calls


# --------------------------------------------------------------------------- summary


def queue_summary(
    calls: pd.DataFrame,
    *,
    agents: int | Sequence[int] | np.ndarray | None = None,
    interval_s: float | None = None,
    threshold_s: float = 20,
    warmup_s: float = 0.0,
    end_s: float | None = None,
    arrival: str = "arrival_s",
    wait: str = "wait_s",
    answered: str = "answered",
    answer: str = "answer_s",
    end: str = "end_s",
) -> pd.Series:
    """Service level, ASA, abandonment rate and occupancy of a simulated queue.

    Parameters
    ----------
    calls : pandas.DataFrame
        One row per call, as returned by :func:`simulate_queue` or :func:`run_fcfs`.
    agents : int or array of int, optional
        The staffing the calls were simulated with (for occupancy). Default: the one
        :func:`simulate_queue` recorded in ``calls.attrs``.
    interval_s : float, optional
        Interval length when ``agents`` is a count per interval.
    threshold_s : float, default 20
        Service-level threshold in seconds (answered after waiting at most this long);
        a positive number.
    warmup_s : float, default 0
        Leave out calls arriving before this time, and agent time before it: the queue
        starts empty, which is not typical of a busy floor.
    end_s : float, optional
        End of the observation window; default the last arrival. Calls arriving in
        ``[warmup_s, end_s]`` are counted, and agent time within that window.
    arrival, wait, answered, answer, end : str
        Column names (arrival time, wait, answered flag, answer time, end time).

    Returns
    -------
    pandas.Series
        ``offered``, ``answered``, ``abandoned`` (counts of calls arriving in the
        window), ``service_level`` (answered within ``threshold_s`` / answered),
        ``asa_s`` (mean wait of answered calls, seconds), ``abandonment_rate``
        (abandoned / offered), ``p_wait`` (share of offered calls that waited at all:
        Erlang C's probability of waiting), ``occupancy`` (agent-seconds on calls /
        agent-seconds staffed, both within the window).

    Raises
    ------
    KeyError
        If a column is missing.
    ValueError
        If no call arrives in the window, or no staffing is known.

    Notes
    -----
    Service level, ASA and abandonment rate are computed by
    :func:`callcoach.kpi.service_level` (its ``"answered"`` variant: abandons left out),
    :func:`callcoach.kpi.asa` and :func:`callcoach.kpi.abandonment_rate`, each with
    ``table="calls"`` on the calls arriving in the window, so the formulas are the ones
    the course reports use. A window without answered calls gets NaN service level and
    ASA. Occupancy counts each answered call's handle time that falls inside the
    window, wherever the call started, and divides by the staffed agent-seconds in the
    window; with a schedule, overrun past the end of a shift can push it above 1.

    Examples
    --------
    Erlang C (nobody hangs up), leaving out the first half hour:

    >>> calls = simulate_queue(10, 300, 55, n_calls=5_000, seed=3)
    >>> queue_summary(calls, warmup_s=1800).round(3)
    offered             4692.000
    answered            4692.000
    abandoned              0.000
    service_level          0.619
    asa_s                 40.320
    abandonment_rate       0.000
    p_wait                 0.469
    occupancy              0.916
    Name: queue_summary, dtype: float64

    A thin first half hour (45 agents, then 55): summarise just that window.

    >>> calls = simulate_queue(10, 300, [45, 55, 55, 55], interval_s=1800,
    ...                        patience_s=180, n_calls=1200, seed=3)
    >>> s = queue_summary(calls, end_s=1800)
    >>> round(float(s["service_level"]), 3), round(float(s["abandonment_rate"]), 3)
    (0.702, 0.084)
    """
    func = "queue_summary"
    if not isinstance(calls, pd.DataFrame):
        _fail(func, "calls", "a pandas DataFrame", type(calls).__name__, TypeError)
    missing = [c for c in (arrival, wait, answered, answer, end) if c not in calls.columns]
    if missing:
        raise KeyError(
            f"{func} needs the column(s) {missing} in 'calls', which has "
            f"{list(calls.columns)}. Pass the table from simulate_queue or run_fcfs, or "
            "name the columns with arrival=, wait=, answered=, answer=, end=."
        )
    if agents is None:
        if "agents" not in calls.attrs:
            raise ValueError(
                f"The 'agents' parameter of {func} must be given for a table that does "
                "not record its staffing (only simulate_queue's output does). Got None "
                "instead."
            )
        agents, interval_s = calls.attrs["agents"], calls.attrs.get("interval_s")
    counts, length = _check_agents(agents, interval_s, func)
    threshold = _check_number(threshold_s, "threshold_s", func)
    start = _check_number(warmup_s, "warmup_s", func, strict=False)

    t_arr = calls[arrival].to_numpy(np.float64)
    stop = float(t_arr.max()) if end_s is None else _check_number(end_s, "end_s", func)
    window = (t_arr >= start) & (t_arr <= stop)
    if not window.any() or stop <= start:
        raise ValueError(
            f"No call arrives between warmup_s={start!r} and end_s={stop!r} in the table "
            f"passed to {func}; lower 'warmup_s' or simulate more calls."
        )
    ans = calls[answered].to_numpy(bool)
    w = calls[wait].to_numpy(np.float64)
    ans_w = ans & window
    n_offered = int(window.sum())
    n_answered = int(ans_w.sum())

    # The KPI formulas live in callcoach.kpi; give them the calls in the window.
    columns = dict(table="calls", answered=answered, wait=wait)
    offered = calls.loc[window, [answered, wait]]
    abandonment = kpi.abandonment_rate(offered, **columns)
    if n_answered:
        service_level = kpi.service_level(offered, threshold_s=threshold, **columns)
        # Only answered calls count in ASA; passing just those rows gives the same sum
        # of waits, added in the same order as a mean over them (to the last bit).
        speed = kpi.asa(calls.loc[ans_w, [answered, wait]], **columns)
    else:  # kpi raises for a 0 denominator; a summary reports NaN instead
        service_level = speed = np.nan

    # Agent-seconds on calls inside [start, stop].
    t0 = np.clip(calls[answer].to_numpy(np.float64)[ans], start, stop)
    t1 = np.clip(calls[end].to_numpy(np.float64)[ans], start, stop)
    busy = float(np.sum(t1 - t0))
    if np.isinf(length):
        staffed = counts[0] * (stop - start)
    else:
        edges = np.arange(counts.size + 1) * length
        edges[-1] = np.inf
        overlap = np.clip(np.minimum(edges[1:], stop) - np.maximum(edges[:-1], start),
                          0, None)
        staffed = float(np.sum(counts * overlap))

    return pd.Series({
        "offered": n_offered,
        "answered": n_answered,
        "abandoned": n_offered - n_answered,
        "service_level": service_level,
        "asa_s": speed,
        "abandonment_rate": abandonment,
        "p_wait": float(np.mean(w[window] > 0)),
        "occupancy": busy / staffed if staffed > 0 else np.nan,
    }, name="queue_summary")
