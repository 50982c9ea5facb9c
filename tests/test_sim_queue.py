"""Tests of the queue engine, callcoach.sim.queue.

Three kinds:

* Agreement with theory: the simulation against Erlang C (no abandonment) and Erlang A
  (exponential patience), with tolerances taken from the replication standard error.
  The theory is computed here, independently of callcoach.erlang.
* Agreement with a naive event-by-event simulator written here in plain Python.
* Invariants of every sample path (FCFS order, no agent on two calls, abandoners wait
  exactly their patience, schedules respected...), some as hypothesis properties, and
  input checking.
"""
from __future__ import annotations

import heapq
import math

import numpy as np
import pandas as pd
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st

from callcoach.sim.queue import queue_summary, run_fcfs, simulate_queue

THRESHOLD_S = 20.0

# --------------------------------------------------------------------------- theory
# Independent references: Erlang C in closed form, Erlang A from the birth-death chain.
# Rates are per second: lam (arrivals), mu = 1/AHT (handling), theta = 1/mean patience.


def erlang_c_reference(lam: float, mu: float, c: int, t: float) -> dict[str, float]:
    """M/M/c: probability of waiting, service level, ASA, occupancy (closed forms)."""
    a = lam / mu
    assert a < c, "Erlang C needs a stable queue"
    b = 1.0  # Erlang B by the usual recursion B(k) = a B(k-1) / (k + a B(k-1))
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    p_wait = c * b / (c - a * (1 - b))
    return {
        "p_wait": p_wait,
        "service_level": 1 - p_wait * math.exp(-(c * mu - lam) * t),
        "asa_s": p_wait / (c * mu - lam),
        "abandonment_rate": 0.0,
        "occupancy": a / c,
    }


def erlang_a_reference(lam: float, mu: float, c: int, theta: float,
                       t: float) -> dict[str, float]:
    """M/M/c+M from its birth-death chain (number in system), truncated far out.

    Stationary distribution: pi_n proportional to prod_{k<=n} lam / d_k with death rate
    d_k = min(k, c) mu + max(k - c, 0) theta. Arrivals see pi (PASTA).

    * p_wait = P(arrival finds all c agents busy) = sum_{n >= c} pi_n.
    * abandonment = theta E[queue length] / lam (abandonment flow over arrival flow).
    * occupancy = lam (1 - abandonment) / (c mu) (answered flow times AHT per agent).

    Service level and ASA of answered callers need the wait of a tagged caller who
    finds j >= 0 callers queued ahead (n = c + j). Under FCFS with all agents busy, the
    number ahead of them drops by one at rate r_k = c mu + k theta when k are ahead (an
    agent frees up, or one of the k hangs up); with k = 0 the next free agent takes
    them (rate r_0 = c mu). So the time until an agent would take them is a sum of
    independent exponentials with rates r_0..r_j, and they are answered only if their
    own Exp(theta) patience outlasts it. As a killed Markov chain on k = j..0 with
    sub-generator T (diagonal -(r_k + theta), r_k from k to k-1) and exit rate vector
    s (r_0 out of k = 0, to "answered"):

    * P(answered by time t | j) = [integral_0^t exp(T u) du s]_j, read off the last
      column of expm([[T, s], [0, 0]] t) (Van Loan's block trick);
    * P(answered | j) = prod_k r_k / (r_k + theta);
    * E[wait 1{answered} | j] = P(answered | j) sum_k 1 / (r_k + theta) (minus the
      derivative of the Laplace transform prod r_k / (r_k + s) at s = theta).

    Callers finding a free agent (n < c) are answered at once.
    """
    # Truncate where pi is below 1e-18 of its peak (the tail falls faster than
    # geometrically once c mu + k theta exceeds lam); the cut-off mass is negligible.
    n_max = c + 50
    while True:
        n = np.arange(n_max + 1)
        death = np.minimum(n[1:], c) * mu + np.maximum(n[1:] - c, 0) * theta
        log_pi = np.concatenate(([0.0], np.cumsum(np.log(lam / death))))
        if log_pi[-1] < log_pi.max() - 41.5:  # e^-41.5 ~ 1e-18
            break
        n_max *= 2
    pi = np.exp(log_pi - log_pi.max())
    pi /= pi.sum()

    queue = np.maximum(n - c, 0)
    p_abandon = theta * float(np.sum(queue * pi)) / lam
    pi_free, pi_queued = pi[:c], pi[c:]  # pi_queued[j]: arrival finds j queued
    jmax = pi_queued.size - 1

    rates = c * mu + np.arange(jmax + 1) * theta  # r_k, k = 0..jmax
    p_answer_j = np.cumprod(rates / (rates + theta))
    mean_wait_answered_j = p_answer_j * np.cumsum(1.0 / (rates + theta))

    gen = np.zeros((jmax + 2, jmax + 2))
    gen[np.arange(jmax + 1), np.arange(jmax + 1)] = -(rates + theta)
    gen[np.arange(1, jmax + 1), np.arange(jmax)] = rates[1:]
    gen[0, jmax + 1] = rates[0]
    answered_by_t_j = scipy.linalg.expm(gen * t)[: jmax + 1, jmax + 1]

    p_answer = pi_free.sum() + float(pi_queued @ p_answer_j)
    return {
        "p_wait": float(pi_queued.sum()),
        "service_level": (pi_free.sum() + float(pi_queued @ answered_by_t_j)) / p_answer,
        "asa_s": float(pi_queued @ mean_wait_answered_j) / p_answer,
        "abandonment_rate": p_abandon,
        "occupancy": lam * (1 - p_abandon) / (c * mu),
        # The same probability by the tagged-caller route: a self-check of the algebra.
        "abandonment_rate_tagged": 1 - p_answer,
    }


def test_erlang_a_reference_is_self_consistent():
    """Two derivations of P(abandon) agree: flow balance and the tagged caller."""
    for lam, mu, c, theta in [(10 / 60, 1 / 300, 55, 1 / 180), (12 / 60, 1 / 300, 50, 1 / 120),
                              (2 / 60, 1 / 240, 10, 1 / 60)]:
        ref = erlang_a_reference(lam, mu, c, theta, THRESHOLD_S)
        assert ref["abandonment_rate"] == pytest.approx(ref["abandonment_rate_tagged"],
                                                        rel=1e-9, abs=1e-12)


def test_erlang_a_reference_tends_to_erlang_c_when_nobody_hangs_up():
    """With almost infinite patience the Erlang A chain gives Erlang C's figures."""
    lam, mu, c = 8 / 60, 1 / 240, 40  # a = 32, rho = 0.8
    ref_a = erlang_a_reference(lam, mu, c, 1e-9, THRESHOLD_S)
    ref_c = erlang_c_reference(lam, mu, c, THRESHOLD_S)
    for key in ("p_wait", "service_level", "asa_s", "occupancy"):
        assert ref_a[key] == pytest.approx(ref_c[key], rel=1e-5), key
    assert ref_a["abandonment_rate"] < 1e-6


# --------------------------------------------------------------------------- agreement

METRICS = ("service_level", "asa_s", "abandonment_rate", "occupancy", "p_wait")
REPLICATIONS = 30
# The tolerance is 4 standard errors of the replication mean plus ABS_FLOOR. The floor
# only matters where the standard error is (nearly) zero: the abandonment rate without
# patience is exactly 0 in every replication (SE = 0, so |0 - 0| < 0 would fail), and
# proportions move in steps of 1 / (calls counted), about 1/(30 * 90 000) < 1e-6 over
# all replications; the references are exact to ~1e-12. So 1e-6 cannot hide a real
# discrepancy, which would be of order 1e-3 or more.
ABS_FLOOR = 1e-6
# And so that the test is sharp, 4 SE must be below these (a real modelling error, such
# as abandoners holding an agent, would shift the figures by more).
MAX_TOLERANCE = {"service_level": 0.01, "asa_s": 0.10, "abandonment_rate": 0.005,
                 "occupancy": 0.005, "p_wait": 0.015}  # asa_s: relative to theory

CASES = {
    # name: (calls per minute, AHT s, agents, mean patience s or None, callers per run)
    # Near full load without abandonment waits are strongly correlated in time, so
    # those runs are longer to keep 4 SE within MAX_TOLERANCE.
    "erlang_c_light_rho_0.50": (1.0, 240, 8, None, 100_000),
    "erlang_c_rho_0.91": (10.0, 300, 55, None, 500_000),
    "erlang_c_heavy_rho_0.95": (4.0, 285, 20, None, 800_000),
    "erlang_a_rho_0.91": (10.0, 300, 55, 180, 100_000),
    "erlang_a_overload_rho_1.2": (12.0, 300, 50, 120, 100_000),
    "erlang_a_light_impatient": (2.0, 240, 10, 60, 100_000),
}


@pytest.mark.parametrize("case", list(CASES))
def test_simulation_agrees_with_erlang_theory_within_four_standard_errors(case):
    """Mean over replications is within 4 SE of Erlang C / Erlang A, for each KPI."""
    per_min, aht, agents, patience, n_calls = CASES[case]
    lam, mu = per_min / 60, 1 / aht
    if patience is None:
        theory = erlang_c_reference(lam, mu, agents, THRESHOLD_S)
    else:
        theory = erlang_a_reference(lam, mu, agents, 1 / patience, THRESHOLD_S)
    # Warm-up: the first 10% of the run (tens of hours of simulated time, far beyond
    # the relaxation time of even the rho = 0.95 queue, about 1 500 arrivals).
    warmup_s = 0.1 * n_calls / lam
    runs = pd.DataFrame([
        queue_summary(
            simulate_queue(per_min, aht, agents, patience_s=patience, n_calls=n_calls,
                           seed=1000 + r, threshold_s=THRESHOLD_S),
            threshold_s=THRESHOLD_S, warmup_s=warmup_s)
        for r in range(REPLICATIONS)
    ])
    mean = runs[list(METRICS)].mean()
    se = runs[list(METRICS)].std(ddof=1) / math.sqrt(REPLICATIONS)
    for key in METRICS:
        tol = 4 * se[key] + ABS_FLOOR
        assert abs(mean[key] - theory[key]) < tol, (
            f"{case}: {key} simulated {mean[key]:.5f} +- {se[key]:.5f} (SE), "
            f"theory {theory[key]:.5f}"
        )
        limit = MAX_TOLERANCE[key] * (theory[key] if key == "asa_s" else 1)
        assert 4 * se[key] < max(limit, ABS_FLOOR), f"{case}: {key} test is not sharp"


# --------------------------------------------------------------------------- naive DES


def naive_fcfs(arrival, service, patience, agents, retry=None):
    """Event-by-event FCFS simulation in plain Python (slow, obviously right).

    Events: arrivals, agents finishing calls, callers hanging up. A free agent takes
    the head of the queue; with several free agents the one free longest (then the
    lowest index) answers. A finishing agent is handled before a hang-up at the same
    moment (a caller answered exactly at their patience is answered).
    """
    n = len(arrival)
    events = [(arrival[i], 2, i, 0) for i in range(n)]  # (time, kind, caller, attempt)
    heapq.heapify(events)
    idle = [(0.0, k) for k in range(agents)]  # (free since, agent)
    heapq.heapify(idle)
    queue: list[tuple[int, int, float]] = []  # (caller, attempt, arrived) in FCFS order
    rows = []
    while events:
        t, kind, who, att = heapq.heappop(events)
        if kind == 0:  # agent `who` finishes
            if queue:
                i, a_att, arrived = queue.pop(0)
                rows.append((arrived, i, a_att, t - arrived, who))
                heapq.heappush(events, (t + service[i], 0, who, 0))
            else:
                heapq.heappush(idle, (t, who))
        elif kind == 1:  # caller `who` (attempt att) hangs up if still waiting
            for pos, (i, a_att, arrived) in enumerate(queue):
                if i == who and a_att == att:
                    del queue[pos]
                    rows.append((arrived, i, att, t - arrived, -1))
                    if retry is not None and att < retry.shape[1] and not np.isnan(retry[i, att]):
                        heapq.heappush(events, (t + retry[i, att], 2, i, att + 1))
                    break
        else:  # arrival
            if idle:
                _, k = heapq.heappop(idle)
                rows.append((t, who, att, 0.0, k))
                heapq.heappush(events, (t + service[who], 0, k, 0))
            else:
                queue.append((who, att, t))
                heapq.heappush(events, (t + patience[who], 1, who, att))
    rows.sort()
    return pd.DataFrame(rows, columns=["arrival_s", "caller", "attempt", "wait_s", "agent"])


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 80), agents=st.integers(1, 5),
       load=st.floats(0.3, 2.0), retry=st.booleans())
def test_engine_matches_a_naive_event_simulation(seed, n, agents, load, retry):
    """Waits, outcomes and agents equal those of an event-by-event simulation."""
    rng = np.random.default_rng(seed)
    arrival = np.cumsum(rng.exponential(1.0, n))
    service = rng.exponential(load * agents, n)
    patience = rng.exponential(rng.uniform(0.2, 5.0), n)
    delays = None
    if retry:
        delays = rng.exponential(2.0, (n, 2))
        delays[rng.random((n, 2)) < 0.4] = np.nan
    got = run_fcfs(arrival, service, patience, agents=agents, retrial_delay_s=delays)
    want = naive_fcfs(arrival, service, patience, agents, delays)
    assert len(got) == len(want)
    np.testing.assert_allclose(got.arrival_s, want.arrival_s, rtol=1e-12)
    np.testing.assert_array_equal(got.caller, want.caller)
    np.testing.assert_array_equal(got.attempt, want.attempt)
    np.testing.assert_allclose(got.wait_s, want.wait_s, rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(got.agent, want.agent)


def test_an_abandoner_uses_no_agent_time():
    """The caller behind someone who hung up is answered when the agent frees up."""
    out = run_fcfs([0, 10, 20], [100, 100, 100], [60, 30, 120], agents=1)
    assert out.answered.tolist() == [True, False, True]
    assert out.wait_s.tolist() == [0.0, 30.0, 80.0]
    assert out.answer_s.iloc[2] == 100.0  # not 200: caller 1 never reached the agent


def test_a_caller_answered_exactly_at_their_patience_counts_as_answered():
    out = run_fcfs([0, 0], [50, 10], [np.inf, 50], agents=1)
    assert out.answered.tolist() == [True, True]
    assert out.wait_s.iloc[1] == 50.0


# --------------------------------------------------------------------------- invariants


@pytest.fixture(scope="module")
def busy_calls() -> pd.DataFrame:
    """A small, busy queue with abandonment and retrials."""
    return simulate_queue(3, 200, 9, patience_s=90, n_calls=4000, seed=7,
                          retrial_prob=0.5, retrial_delay_s=120)


def test_same_seed_gives_the_same_calls_and_another_seed_does_not():
    args = dict(patience_s=120, n_calls=3000, seed=11, retrial_prob=0.3)
    first = simulate_queue(5, 240, 22, **args)
    pd.testing.assert_frame_equal(first, simulate_queue(5, 240, 22, **args))
    other = simulate_queue(5, 240, 22, **{**args, "seed": 12})
    assert not np.allclose(first.arrival_s.iloc[:100], other.arrival_s.iloc[:100])


def test_same_seed_keeps_the_same_callers_whatever_the_staffing():
    """Common random numbers: arrivals, handle times and patience do not move."""
    few = simulate_queue(5, 240, 20, patience_s=120, n_calls=2000, seed=3)
    many = simulate_queue(5, 240, 30, patience_s=120, n_calls=2000, seed=3)
    for col in ("arrival_s", "patience_s"):
        np.testing.assert_array_equal(few[col], many[col])
    both = few.answered & many.answered
    np.testing.assert_array_equal(few.handle_s[both], many.handle_s[both])


def test_every_call_is_answered_or_abandoned_once_and_after_it_arrived(busy_calls):
    c = busy_calls
    assert (c.answered ^ c.abandoned).all()
    ans = c[c.answered]
    assert (ans.answer_s >= ans.arrival_s).all()
    np.testing.assert_allclose(ans.answer_s, ans.arrival_s + ans.wait_s)
    np.testing.assert_allclose(ans.end_s, ans.answer_s + ans.handle_s)
    assert (c.agent[c.abandoned] == -1).all() and c.handle_s[c.abandoned].isna().all()
    assert c.answer_s[c.abandoned].isna().all()
    assert (c.answered_within_threshold == (c.answered & (c.wait_s <= 20))).all()


def test_calls_are_answered_in_arrival_order(busy_calls):
    """FCFS: among answered calls, answer times do not decrease with arrival."""
    ans = busy_calls[busy_calls.answered]
    assert ans.arrival_s.is_monotonic_increasing
    assert ans.answer_s.is_monotonic_increasing


def _assert_no_agent_on_two_calls(calls: pd.DataFrame) -> None:
    ans = calls[calls.answered].sort_values(["agent", "answer_s"])
    same_agent = ans.agent.to_numpy()[1:] == ans.agent.to_numpy()[:-1]
    gaps = ans.answer_s.to_numpy()[1:] - ans.end_s.to_numpy()[:-1]
    assert (gaps[same_agent] >= 0).all()


def test_no_agent_serves_two_calls_at_once(busy_calls):
    _assert_no_agent_on_two_calls(busy_calls)
    assert set(busy_calls.agent[busy_calls.answered]) == set(range(9))


def test_abandoners_wait_their_patience_and_answered_callers_wait_less(busy_calls):
    c = busy_calls
    assert c.abandoned.any()
    np.testing.assert_array_equal(c.wait_s[c.abandoned], c.patience_s[c.abandoned])
    assert (c.wait_s[c.answered] <= c.patience_s[c.answered]).all()


def test_without_patience_nobody_abandons_or_retries():
    c = simulate_queue(6, 300, 31, n_calls=5000, seed=2, retrial_prob=0.9)
    assert c.answered.all() and not c.retrial.any()
    assert np.isinf(c.patience_s).all()


def test_retrials_come_back_after_the_delay_flagged_and_at_most_max_retrials(busy_calls):
    c = busy_calls
    assert c.retrial.any() and (c.retrial == (c.attempt > 0)).all()
    assert c.attempt.max() <= 3
    assert (c.groupby("caller").attempt.max() + 1 == c.groupby("caller").size()).all()
    # Each retrial arrives after the previous attempt of the same caller hung up.
    by_caller = c.sort_values(["caller", "attempt"])
    later = by_caller.attempt.to_numpy()[1:] > 0
    assert (by_caller.arrival_s.to_numpy()[1:][later]
            > by_caller.end_s.to_numpy()[:-1][later]).all()
    # Only abandoned attempts are followed by a retrial.
    prev_answered = by_caller.answered.to_numpy()[:-1][later]
    assert not prev_answered.any()


def test_retrial_arrives_exactly_the_given_delay_after_hanging_up():
    delays = np.array([[np.nan, np.nan], [15.0, 40.0], [np.nan, np.nan]])
    out = run_fcfs([0, 1, 2], [100, 100, 100], [10, 5, 500], agents=1,
                   retrial_delay_s=delays)
    # Caller 1 hangs up at 6, retries at 21, hangs up at 26, retries at 66, gives up at 71.
    mine = out[out.caller == 1]
    assert mine.arrival_s.tolist() == [1.0, 21.0, 66.0]
    assert mine.retrial.tolist() == [False, True, True]
    assert mine.abandoned.all()
    assert out.arrival_s.is_monotonic_increasing


# --------------------------------------------------------------------------- schedules

SCHEDULE = np.array([3, 1, 0, 4, 2, 5])
INTERVAL_S = 600.0


@pytest.fixture(scope="module")
def scheduled_calls() -> pd.DataFrame:
    return simulate_queue(1.2, 240, SCHEDULE, interval_s=INTERVAL_S, patience_s=300,
                          n_calls=400, seed=5)


def test_agents_only_take_calls_while_on_shift(scheduled_calls):
    """An agent takes a call only in an interval whose count is above their index."""
    ans = scheduled_calls[scheduled_calls.answered]
    interval = np.minimum((ans.answer_s // INTERVAL_S).astype(int), len(SCHEDULE) - 1)
    assert (ans.agent.to_numpy() < SCHEDULE[interval]).all()
    _assert_no_agent_on_two_calls(scheduled_calls)


def test_nobody_is_answered_while_nobody_is_on_shift(scheduled_calls):
    ans = scheduled_calls[scheduled_calls.answered]
    assert not ((ans.answer_s >= 1200) & (ans.answer_s < 1800)).any()
    # The callers waiting then are answered at 1800 when four agents start, or hang up.
    assert (ans.answer_s == 1800).sum() == 4


def test_the_last_intervals_staffing_stays_in_force():
    out = run_fcfs([0, 10, 5000], [20, 20, 20], agents=[0, 1], interval_s=100)
    assert out.answer_s.tolist() == [100.0, 120.0, 5000.0]


def test_staffing_per_interval_matches_a_fixed_team_when_constant():
    rng = np.random.default_rng(0)
    arr, srv = np.cumsum(rng.exponential(10, 500)), rng.exponential(100, 500)
    pat = rng.exponential(60, 500)
    fixed = run_fcfs(arr, srv, pat, agents=9)
    stepped = run_fcfs(arr, srv, pat, agents=[9, 9, 9], interval_s=600)
    pd.testing.assert_frame_equal(fixed, stepped)


def test_a_schedule_that_ends_empty_needs_finite_patience():
    with pytest.raises(ValueError, match="ends with no agents"):
        run_fcfs([0, 1], [5, 5], agents=[2, 0], interval_s=60)
    out = run_fcfs([0, 1, 70], [5, 5, 5], [600, 600, 30], agents=[1, 0],
                   interval_s=60)
    assert out.answered.tolist() == [True, True, False]


# --------------------------------------------------------------------------- properties

arrays = st.integers(1, 60).flatmap(lambda n: st.tuples(
    st.lists(st.floats(0, 100), min_size=n, max_size=n),
    st.lists(st.floats(0, 50), min_size=n, max_size=n),
    st.lists(st.floats(0, 30), min_size=n, max_size=n),
))


@settings(max_examples=80, deadline=None)
@given(data=arrays, agents=st.integers(1, 6))
def test_one_more_agent_never_makes_anyone_wait_longer_without_abandonment(data, agents):
    """Without abandonment each caller's wait can only fall with one more agent.

    (Sample-path monotonicity of FCFS: the sorted vector of agents' free times with
    c + 1 agents stays below the one with c agents.) With abandonment it fails for
    single callers (see the next test), so there the property is tested on averages.
    """
    arrival, service, _ = (np.asarray(x) for x in data)
    arrival.sort()
    fewer = run_fcfs(arrival, service, agents=agents)
    more = run_fcfs(arrival, service, agents=agents + 1)
    assert (more.wait_s.to_numpy() <= fewer.wait_s.to_numpy() + 1e-9).all()


def test_with_abandonment_one_more_agent_can_make_one_caller_wait_longer():
    """Why the property above needs infinite patience: a counter-example.

    With one agent, callers 2 and 3 give up, so the agent is free when caller 4 rings
    at 11 s. With two agents both are answered and keep both agents busy until 14 s
    and 16 s, so caller 4 waits 3 s.
    """
    arrival, service = [0, 1, 3, 5, 11], [5, 5, 9, 10, 6]
    patience = [5, 17, 4, 2, 11]
    one = run_fcfs(arrival, service, patience, agents=1)
    two = run_fcfs(arrival, service, patience, agents=2)
    assert one.answered.tolist() == [True, True, False, False, True]
    assert two.answered.all()
    assert (one.wait_s.iloc[4], two.wait_s.iloc[4]) == (0.0, 3.0)
    assert two.wait_s.mean() < one.wait_s.mean()  # the average still improves


@settings(max_examples=80, deadline=None)
@given(data=arrays, agents=st.integers(1, 4))
def test_patience_never_makes_anyone_wait_longer(data, agents):
    """Callers hanging up only shorten everyone else's wait (same arrays)."""
    arrival, service, patience = (np.asarray(x) for x in data)
    arrival.sort()
    patient = run_fcfs(arrival, service, agents=agents)
    impatient = run_fcfs(arrival, service, patience, agents=agents)
    assert (impatient.wait_s.to_numpy() <= patient.wait_s.to_numpy() + 1e-9).all()
    assert (impatient.wait_s.to_numpy() <= patience + 1e-9).all()


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31), agents=st.integers(15, 25))
def test_more_agents_lower_the_mean_wait_for_the_same_seed(seed, agents):
    """Same seed, one more agent: the average wait and abandonment do not rise.

    Not a sample-path law with abandonment (see the counter-example above), but with
    common random numbers and a few thousand calls the average falls clearly.
    """
    args = dict(patience_s=120, n_calls=4000, seed=seed)
    fewer = simulate_queue(4, 300, agents, **args)
    more = simulate_queue(4, 300, agents + 1, **args)
    assert more.wait_s.mean() <= fewer.wait_s.mean()
    assert more.abandoned.sum() <= fewer.abandoned.sum()


# --------------------------------------------------------------------------- summary


def test_queue_summary_counts_a_hand_made_table():
    out = run_fcfs([0, 10, 20, 30], [100, 100, 100, 50], [60, 30, 120, 200], agents=1)
    # Waits: 0 (answered), 30 (hung up), 80 (answered), 170 (answered at 200, ends 250).
    s = queue_summary(out, agents=1, threshold_s=20)
    assert (s.offered, s.answered, s.abandoned) == (4, 3, 1)
    assert s.service_level == pytest.approx(1 / 3)
    assert s.asa_s == pytest.approx((0 + 80 + 170) / 3)
    assert s.abandonment_rate == pytest.approx(1 / 4)
    assert s.p_wait == pytest.approx(3 / 4)
    # Window 0..30 s (last arrival): the agent is on a call all 30 s.
    assert s.occupancy == pytest.approx(1.0)
    s = queue_summary(out, agents=2, end_s=250)
    assert s.occupancy == pytest.approx(250 / 500)


def test_queue_summary_reads_the_staffing_recorded_by_simulate_queue(scheduled_calls):
    s = queue_summary(scheduled_calls)
    t = queue_summary(scheduled_calls, agents=SCHEDULE, interval_s=INTERVAL_S)
    pd.testing.assert_series_equal(s, t)


def test_queue_summary_explains_what_is_missing():
    out = run_fcfs([0, 1], [1, 1], agents=1)
    with pytest.raises(ValueError, match="'agents' parameter of queue_summary"):
        queue_summary(out)
    with pytest.raises(KeyError, match="answer_s"):
        queue_summary(out.drop(columns="answer_s"), agents=1)
    with pytest.raises(ValueError, match="No call arrives"):
        queue_summary(out, agents=1, warmup_s=5)


# --------------------------------------------------------------------------- input checks

GOOD = dict(arrival_rate_per_min=10, aht_s=300, agents=55, n_calls=100, seed=1)


@pytest.mark.parametrize("change, error, message", [
    ({"agents": -3}, ValueError,
     "The 'agents' parameter of simulate_queue must be a positive whole number. "
     "Got -3 instead."),
    ({"agents": 2.5}, ValueError, "'agents' .* positive whole number. Got 2.5"),
    ({"agents": "55"}, TypeError, "'agents' .* Got '55' instead"),
    ({"agents": [2, 0, 3]}, ValueError, "'interval_s' parameter .* must be given"),
    ({"agents": [2, -1]}, ValueError, "'agents' parameter .* per interval"),
    ({"agents": [0, 0]}, ValueError, "at least one above 0"),
    ({"arrival_rate_per_min": "ten"}, TypeError,
     "The 'arrival_rate_per_min' parameter of simulate_queue must be a positive "
     "number. Got 'ten' instead."),
    ({"arrival_rate_per_min": 0}, ValueError, "'arrival_rate_per_min' .* Got 0 instead"),
    ({"aht_s": float("nan")}, ValueError, "'aht_s' .* positive number. Got nan"),
    ({"aht_s": True}, TypeError, "'aht_s' .* Got True instead"),
    ({"n_calls": 0}, ValueError,
     "The 'n_calls' parameter of simulate_queue must be a positive whole number. "
     "Got 0 instead."),
    ({"n_calls": None}, TypeError, "'n_calls' .* Got None instead"),
    ({"seed": -1}, ValueError, "'seed' .* whole number of at least 0. Got -1"),
    ({"patience_s": -5}, ValueError, r"'patience_s' .* \(or None for callers who"),
    ({"threshold_s": -20}, ValueError, "'threshold_s' .* Got -20 instead"),
    ({"retrial_prob": 1.5}, ValueError, "'retrial_prob' .* probability between 0 and 1"),
    ({"max_retrials": -1}, ValueError, "'max_retrials' .* at least 0"),
])
def test_simulate_queue_rejects_bad_input_with_a_helpful_message(change, error, message):
    with pytest.raises(error, match=message):
        simulate_queue(**{**GOOD, **change})


@pytest.mark.parametrize("args, kwargs, message", [
    (([0, 2, 1], [1, 1, 1]), {}, "must be sorted .* position 2"),
    (([0, 1], [1, 1, 1]), {}, "'service_s' .* of length 2"),
    (([-1, 1], [1, 1]), {}, "'arrival_s' .* Got -1.0 at position 0"),
    (([0, 1], [1, np.nan]), {}, "'service_s' .* Got nan at position 1"),
    (([0, 1], [1, 1], [5, -2]), {}, "'patience_s' .* Got -2.0 at position 1"),
    (([0, 1], [1, 1]), {"retrial_delay_s": np.ones(2)}, "'retrial_delay_s' .* 2-D"),
    (([0, 1], [1, 1]), {"retrial_delay_s": -np.ones((2, 1))}, "'retrial_delay_s'"),
])
def test_run_fcfs_rejects_bad_arrays_with_a_helpful_message(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        run_fcfs(*args, **{"agents": 1, **kwargs})
