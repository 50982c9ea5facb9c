"""Tests for callcoach.erlang: high-precision oracles, worked examples, invariants, bad input.

The oracles are written here with mpmath at 50 significant digits and never imported
by the package:

* Erlang B from mpmath's own incomplete gamma function (Jagerman's continuous
  extension, which is the textbook sum for whole agents -- checked against that sum);
* Erlang A from the birth-death chain itself: the waiting-line terms are summed one by
  one, and for small centres every quantity is recomputed a second way, by following
  a tagged caller through the queue (hypoexponential waits, competing patience), which
  checks the closed forms the package uses and not only their evaluation.

Where a true value is below 1e-300 a double cannot hold it to full precision (the
package may return 0 or a subnormal); there the test only asks for a value at most
1e-290. Everywhere else the relative error must be below 1e-10.
"""
from __future__ import annotations

import itertools
import math
from fractions import Fraction

import mpmath as mp
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from callcoach.erlang import (
    asa,
    erlang_a_abandon_probability,
    erlang_a_asa,
    erlang_a_occupancy,
    erlang_a_service_level,
    erlang_a_wait_probability,
    erlang_b,
    erlang_c,
    occupancy,
    offered_load,
    required_agents,
    service_level,
)

mp.mp.dps = 50
RTOL = 1e-10
TINY = mp.mpf("1e-300")


# =============================================================================
# mpmath oracles
# =============================================================================
def mp_erlang_b(a, n):
    """Erlang B, ``a**n exp(-a) / Gamma(n+1, a)`` (the textbook sum for whole n)."""
    a, n = mp.mpf(a), mp.mpf(n)
    if n == 0:
        return mp.mpf(1)
    if a == 0:
        return mp.mpf(0)
    return mp.exp(n * mp.log(a) - a) / mp.gammainc(n + 1, a, mp.inf)


def mp_erlang_b_sum(a, n):
    """Erlang's own formula for whole n: (a^n/n!) / sum_k a^k/k!."""
    a = mp.mpf(a)
    terms = [a**k / mp.factorial(k) for k in range(int(n) + 1)]
    return terms[-1] / mp.fsum(terms)


def mp_erlang_c(a, n):
    a, n = mp.mpf(a), mp.mpf(n)
    if n <= a:
        return mp.mpf(1)
    b = mp_erlang_b(a, n)
    return n * b / (n - a * (1 - b))


def mp_erlang_c_all(rate_per_min, aht, n, threshold):
    """(P(wait), service level, ASA) of Erlang C, straight from the formulas."""
    a = mp.mpf(rate_per_min) * mp.mpf(aht) / 60
    n = mp.mpf(n)
    c = mp_erlang_c(a, n)
    if n <= a:
        return c, mp.mpf(0), mp.inf
    sl = 1 - c * mp.exp(-(n - a) * mp.mpf(threshold) / mp.mpf(aht))
    return c, sl, c * mp.mpf(aht) / (n - a)


def _mp_lower_gamma(s, z):
    """Regularised P(s, z): its own series below the mode, mpmath's Q above."""
    if z > s:
        return 1 - mp.gammainc(s, z, mp.inf, regularized=True)
    total, term, j = mp.mpf(0), mp.mpf(1), 0
    while j == 0 or term > total * mp.mpf(10) ** (-60):
        total += term
        j += 1
        term *= z / (s + j)
    return mp.exp(s * mp.log(z) - z - mp.loggamma(s + 1)) * total


def mp_erlang_a(rate_per_min, aht, n, patience, threshold):
    """Erlang A from the birth-death chain: P(wait), P(abandon), SL (offered, answered), ASA.

    States 0..n hold ``a^k/k!`` (their sum relative to state n is 1/B); waiting-line
    states n+j hold ``t_j = prod_{i<=j} lam / (n mu + i theta)`` relative to state n,
    summed one by one. A caller who finds j waiting is served with probability
    y/(y+j+1) after a mean wait (psi(y+j+2) - psi(y+1))/theta, accumulated as a running
    harmonic sum. The service level uses the law of the offered wait (a Gamma(y)
    variable conditioned below x), integrated by mpmath.
    """
    lam = mp.mpf(rate_per_min) / 60
    aht, patience, n = mp.mpf(aht), mp.mpf(patience), mp.mpf(n)
    a, x, y = lam * aht, lam * patience, n * patience / aht
    big_j = mean_sum = serve_sum = mp.mpf(0)
    term, harmonic, j = mp.mpf(1), 1 / (y + 1), 0
    while True:
        big_j += term
        mean_sum += j * term
        serve_sum += term * y / (y + j + 1) * harmonic
        j += 1
        term *= x / (y + j)
        harmonic += 1 / (y + j + 1)
        if j > x - y and term < big_j * mp.mpf(10) ** -45:
            break
    inv_b = 1 / mp_erlang_b(a, n)
    z = inv_b - 1 + big_j
    p_wait, no_wait = big_j / z, (inv_b - 1) / z
    p_ab = p_wait * (mean_sum / big_j) / x
    p_served = no_wait + p_wait * (y / x) * (1 - 1 / big_j)
    asa_ = patience * p_wait * (serve_sum / big_j) / p_served
    s, xu = y + 1, x * mp.exp(-mp.mpf(threshold) / patience)
    if xu > s:
        gap = mp.gammainc(s, xu, mp.inf, regularized=True) - mp.gammainc(s, x, mp.inf, regularized=True)
        px = 1 - mp.gammainc(s, x, mp.inf, regularized=True)
    else:
        px = _mp_lower_gamma(s, x)
        gap = px - _mp_lower_gamma(s, xu)
    sl = no_wait + p_wait * (y / x) * (1 - 1 / big_j) * gap / px
    return {"p_wait": p_wait, "p_ab": p_ab, "sl": sl, "sl_answered": sl / p_served, "asa": asa_}


def mp_erlang_a_tagged(rate_per_min, aht, n, patience, threshold):
    """Erlang A for whole n by following one caller (no gamma-function identities).

    The caller finds j waiting with probability proportional to the chain's state
    n+j; the line ahead moves at rates n mu + i theta, the caller's own patience adds
    theta, so the caller is served with probability prod (n mu + i theta)/(n mu +
    (i+1) theta) and its wait is a sum of exponentials with rates c_i = n mu +
    (i+1) theta; its distribution function is the hypoexponential partial-fraction sum.
    """
    lam, mu, theta = mp.mpf(rate_per_min) / 60, 1 / mp.mpf(aht), 1 / mp.mpf(patience)
    n = int(n)
    inv_b = 1 / mp_erlang_b(lam / mu, n)
    weight, j = mp.mpf(1), 0
    big_j = mean_sum = serve = within = mp.mpf(0)
    while weight > mp.mpf(10) ** -40 * (big_j + 1):
        rates = [n * mu + (i + 1) * theta for i in range(j + 1)]
        served = mp.fprod((n * mu + i * theta) / rates[i] for i in range(j + 1))
        cdf = 1 - mp.fsum(
            mp.fprod(rates[k] / (rates[k] - rates[i]) for k in range(j + 1) if k != i)
            * mp.exp(-rates[i] * threshold)
            for i in range(j + 1)
        )
        big_j += weight
        mean_sum += j * weight
        serve += weight * served * mp.fsum(1 / r for r in rates)
        within += weight * served * cdf
        j += 1
        weight *= lam / (n * mu + j * theta)
    z = inv_b - 1 + big_j
    p_wait = big_j / z
    p_ab = theta * mean_sum / z / lam
    sl = (inv_b - 1) / z + within / z
    return {"p_wait": p_wait, "p_ab": p_ab, "sl": sl, "sl_answered": sl / (1 - p_ab),
            "asa": serve / z / (1 - p_ab)}


def assert_close(got, want, what=""):
    """Relative error below RTOL, or both tiny where a double underflows."""
    want = mp.mpf(want)
    if want < TINY:
        assert abs(got) <= 1e-290, f"{what}: got {got!r}, want {mp.nstr(want, 5)} (underflow region)"
        return
    err = abs(mp.mpf(got) - want) / abs(want)
    assert err < RTOL, f"{what}: got {got!r}, want {mp.nstr(want, 17)}, relative error {mp.nstr(err, 3)}"


# =============================================================================
# Oracle comparisons on randomised parameters
# =============================================================================
def _random_b_cases(count, seed):
    rng = np.random.default_rng(seed)
    cases = []
    for _ in range(count):
        n = float(np.floor(np.exp(rng.uniform(0, math.log(10_000)))))
        if rng.random() < 0.15:
            n += round(rng.random(), 3)  # fractional agents
        spread = 4.0 if rng.random() < 0.7 else 0.05  # far from, or close to, the agents
        cases.append((float(n * np.exp(rng.uniform(-spread, spread))), n))
    return cases


B_CASES = _random_b_cases(400, seed=20260301)


def test_oracle_cases_cover_light_and_heavy_load_up_to_ten_thousand_agents():
    ratios = np.array([a / n for a, n in B_CASES])
    agents = np.array([n for _, n in B_CASES])
    assert agents.max() > 5000 and agents.min() == 1
    assert (ratios < 0.05).sum() > 20 and (ratios > 20).sum() > 20
    assert (np.abs(np.log(ratios)) < 0.05).sum() > 50


def test_erlang_b_matches_a_50_digit_oracle_from_1_to_10000_agents():
    a = np.array([c[0] for c in B_CASES])
    n = np.array([c[1] for c in B_CASES])
    got = erlang_b(a, n)
    for gi, ai, ni in zip(got, a, n):
        assert_close(gi, mp_erlang_b(ai, ni), f"erlang_b({ai!r}, {ni!r})")


def test_erlang_c_matches_a_50_digit_oracle_from_1_to_10000_agents():
    a = np.array([c[0] for c in B_CASES])
    n = np.array([c[1] for c in B_CASES])
    got = erlang_c(a, n)
    for gi, ai, ni in zip(got, a, n):
        assert_close(gi, mp_erlang_c(ai, ni), f"erlang_c({ai!r}, {ni!r})")


def test_the_erlang_b_oracle_is_erlangs_own_sum_for_whole_agent_counts():
    for a, n in [(0.5, 1), (10, 10), (10, 18), (47.3, 60), (150.0, 90), (3.0, 200)]:
        assert mp.almosteq(mp_erlang_b(a, n), mp_erlang_b_sum(a, n), rel_eps=mp.mpf(10) ** -40)


def test_service_level_and_asa_match_the_oracle_across_loads():
    rng = np.random.default_rng(7)
    for a, n in B_CASES[:150]:
        aht = float(np.exp(rng.uniform(math.log(20), math.log(1200))))
        rate = a * 60 / aht
        threshold = float(rng.choice([0, 5, 20, 30, 60, 180]))
        c, sl, w = mp_erlang_c_all(rate, aht, n, threshold)
        assert_close(service_level(rate, aht, n, threshold_s=threshold), sl, f"service_level {rate, aht, n, threshold}")
        if w == mp.inf:
            assert asa(rate, aht, n) == math.inf
        else:
            assert_close(asa(rate, aht, n), w, f"asa {rate, aht, n}")


def _random_a_cases(count, seed):
    rng = np.random.default_rng(seed)
    cases = []
    while len(cases) < count:
        n = float(np.floor(np.exp(rng.uniform(0, math.log(10_000)))))
        aht = float(np.exp(rng.uniform(math.log(30), math.log(900))))
        spread = 1.0 if rng.random() < 0.7 else 0.05
        rate = n * float(np.exp(rng.uniform(-spread, spread))) * 60 / aht
        patience = float(np.exp(rng.uniform(0, math.log(1e5))))
        threshold = float(rng.choice([0, 10, 20, 60, 300]))
        x, y = rate / 60 * patience, n * patience / aht
        if max(x, y) > 4e4 or x - y > 3000:  # keeps the 50-digit sums short
            continue
        cases.append((rate, aht, n, patience, threshold))
    return cases


A_CASES = _random_a_cases(70, seed=1962)


def test_erlang_a_oracle_cases_cover_under_and_over_load_and_long_patience():
    rho = np.array([r * aht / 60 / n for r, aht, n, _, _ in A_CASES])
    agents = np.array([c[2] for c in A_CASES])
    patience = np.array([c[3] for c in A_CASES])
    assert (rho < 0.8).sum() > 10 and (rho > 1.2).sum() > 10
    assert agents.max() > 2000 and patience.max() > 1e4 and patience.min() < 10


def test_erlang_a_matches_the_birth_death_oracle():
    rate, aht, n, patience, threshold = (np.array(v) for v in zip(*A_CASES))
    got = {
        "p_wait": erlang_a_wait_probability(rate, aht, n, patience_s=patience),
        "p_ab": erlang_a_abandon_probability(rate, aht, n, patience_s=patience),
        "sl": erlang_a_service_level(rate, aht, n, threshold_s=threshold, patience_s=patience),
        "sl_answered": erlang_a_service_level(rate, aht, n, threshold_s=threshold,
                                              patience_s=patience, method="answered"),
        "asa": erlang_a_asa(rate, aht, n, patience_s=patience),
    }
    for i, case in enumerate(A_CASES):
        want = mp_erlang_a(*case)
        for key, values in got.items():
            assert_close(values[i], want[key], f"{key} {case}")


@pytest.mark.parametrize(
    "case",
    [
        (10 / 3, 180, 12, 180, 20),   # ten erlangs, twelve agents
        (10 / 3, 180, 9, 180, 20),    # fewer agents than erlangs
        (2.0, 240, 6, 30, 20),        # impatient callers, heavy load
        (1.0, 300, 8, 900, 60),       # light load, patient callers
        (0.3, 120, 1, 60, 10),        # one agent
    ],
)
def test_erlang_a_closed_forms_agree_with_following_a_tagged_caller(case):
    got = {
        "p_wait": erlang_a_wait_probability(case[0], case[1], case[2], patience_s=case[3]),
        "p_ab": erlang_a_abandon_probability(case[0], case[1], case[2], patience_s=case[3]),
        "sl": erlang_a_service_level(*case[:3], threshold_s=case[4], patience_s=case[3]),
        "sl_answered": erlang_a_service_level(*case[:3], threshold_s=case[4], patience_s=case[3],
                                              method="answered"),
        "asa": erlang_a_asa(*case[:3], patience_s=case[3]),
    }
    want = mp_erlang_a_tagged(*case)
    for key, value in got.items():
        assert_close(value, want[key], f"{key} {case}")


def test_fractional_agents_follow_the_continuous_extension():
    for a, n in [(10.0, 11.83), (4.2, 3.5), (300.0, 312.25), (2.0, 0.4)]:
        assert_close(erlang_b(a, n), mp_erlang_b(a, n), f"erlang_b({a}, {n})")
        assert_close(erlang_c(a, n), mp_erlang_c(a, n), f"erlang_c({a}, {n})")
    # and it lies between the neighbouring whole numbers of agents
    assert erlang_c(10, 12) < erlang_c(10, 11.5) < erlang_c(10, 11)


# =============================================================================
# Worked examples
# =============================================================================
def test_erlang_b_matches_the_classic_table_values():
    # Ten erlangs on ten lines lose 21.46% of calls; 1% blocking at ten erlangs needs
    # 18 lines (17 give 1.29%), as every Erlang B table shows.
    assert round(erlang_b(10, 10), 4) == 0.2146
    assert round(erlang_b(10, 17), 4) == 0.0129
    assert round(erlang_b(10, 18), 4) == 0.0071


def test_erlang_c_for_ten_erlangs_and_twelve_agents_is_0_4494():
    assert round(erlang_c(10, 12), 4) == 0.4494


def test_the_360_calls_per_half_hour_example():
    # 360 calls per half hour, 4-minute calls, 55 agents, 15-second target.
    rate, aht, agents = 360 / 30, 240, 55
    assert offered_load(rate, aht) == 48.0
    assert round(occupancy(rate, aht, agents), 3) == 0.873
    assert round(erlang_c(48, agents), 4) == 0.2387
    assert round(asa(rate, aht, agents), 1) == 8.2
    assert round(service_level(rate, aht, agents, threshold_s=15), 3) == 0.846


def test_the_100_calls_per_half_hour_example_needs_14_agents_and_20_scheduled():
    rate, aht = 100 / 30, 180  # 10 erlangs, 80% in 20 s, 30% shrinkage
    assert round(service_level(rate, aht, 11), 2) == 0.39
    assert round(service_level(rate, aht, 13), 3) == 0.796
    assert round(service_level(rate, aht, 14), 3) == 0.888
    assert required_agents(rate, aht, target_service_level=0.8) == 14
    assert required_agents(rate, aht, target_service_level=0.8, shrinkage=0.3) == 20


# =============================================================================
# Exact limits
# =============================================================================
def test_erlang_c_is_one_when_agents_do_not_exceed_traffic():
    assert erlang_c(10, 10) == 1.0
    assert erlang_c(10.5, 7) == 1.0
    assert erlang_c(3, 0) == 1.0
    np.testing.assert_array_equal(erlang_c(np.array([5.0, 50.0, 5000.0]), [5, 20, 4999]), 1.0)


def test_service_level_is_zero_and_asa_infinite_when_agents_do_not_exceed_traffic():
    assert service_level(10, 60, 10) == 0.0
    assert service_level(10, 60, 4) == 0.0
    assert asa(10, 60, 10) == math.inf
    assert occupancy(10, 60, 4) == 1.0


def test_no_calls_means_no_waiting_and_no_agents_needed():
    assert erlang_b(0, 5) == 0.0
    assert erlang_c(0, 5) == 0.0
    assert service_level(0, 300, 5) == 1.0
    assert asa(0, 300, 5) == 0.0
    assert occupancy(0, 300, 5) == 0.0
    assert erlang_a_wait_probability(0, 300, 5, patience_s=60) == 0.0
    assert erlang_a_abandon_probability(0, 300, 5, patience_s=60) == 0.0
    rates = pd.Series([0.0, 2.0, 0.0])
    np.testing.assert_array_equal(required_agents(rates, 300, target_service_level=0.8), [0, 14, 0])


def test_no_agents_means_every_call_is_blocked_waits_and_hangs_up():
    assert erlang_b(5, 0) == 1.0
    assert erlang_a_wait_probability(1, 300, 0, patience_s=60) == 1.0
    assert erlang_a_abandon_probability(1, 300, 0, patience_s=60) == 1.0
    assert erlang_a_service_level(1, 300, 0, patience_s=60) == 0.0
    assert erlang_a_asa(1, 300, 0, patience_s=60) == math.inf
    assert erlang_a_occupancy(1, 300, 0, patience_s=60) == 0.0


def test_erlang_a_stays_finite_when_agents_are_fewer_than_erlangs():
    # 20 erlangs on 15 agents: Erlang C has no steady state, Erlang A does.
    p_ab = erlang_a_abandon_probability(4, 300, 15, patience_s=120)
    assert 1 - 15 / 20 < p_ab < 0.35  # at most 15 of the 20 erlangs can be carried
    assert 0 < erlang_a_service_level(4, 300, 15, patience_s=120) < 0.5
    assert math.isfinite(erlang_a_asa(4, 300, 15, patience_s=120))
    assert erlang_a_occupancy(4, 300, 15, patience_s=120) < 1


def test_infinite_patience_gives_erlang_c_exactly():
    rate, aht, n = np.array([2.0, 3.0, 5.0]), 180, np.array([8, 10, 14])
    np.testing.assert_array_equal(
        erlang_a_wait_probability(rate, aht, n, patience_s=np.inf), erlang_c(rate * aht / 60, n))
    np.testing.assert_array_equal(
        erlang_a_service_level(rate, aht, n, patience_s=np.inf), service_level(rate, aht, n))
    np.testing.assert_array_equal(erlang_a_asa(rate, aht, n, patience_s=np.inf), asa(rate, aht, n))
    np.testing.assert_array_equal(erlang_a_abandon_probability(rate, aht, n, patience_s=np.inf), 0.0)
    mixed = erlang_a_asa(rate, aht, n, patience_s=[60.0, np.inf, 600.0])
    assert mixed[1] == asa(3.0, aht, 10)
    assert mixed[0] == erlang_a_asa(2.0, aht, 8, patience_s=60.0)


def test_impatient_callers_raise_even_the_offered_service_level():
    # 10 erlangs on 12 agents: callers who leave shorten the queue for everyone else
    rate = 10 / 3
    sl = [erlang_a_service_level(rate, 180, 12, patience_s=p) for p in (math.inf, 180, 20)]
    assert [round(x, 3) for x in sl] == [0.640, 0.802, 0.890]
    # the abandons themselves are still counted as misses by "offered"
    answered = erlang_a_service_level(rate, 180, 12, patience_s=20, method="answered")
    abandoned = erlang_a_abandon_probability(rate, 180, 12, patience_s=20)
    assert sl[2] == pytest.approx(answered * (1 - abandoned), rel=1e-12)


def test_erlang_a_docs_explain_that_hang_ups_shorten_the_queue_for_everyone_else():
    sl_doc = " ".join(erlang_a_service_level.__doc__.split())
    assert "cannot be improved by letting callers give up" not in sl_doc
    assert "shorten the queue" in sl_doc and "still counts as a miss" in sl_doc
    staffing_doc = " ".join(required_agents.__doc__.split())
    assert "a little pessimistic" not in staffing_doc
    assert "pessimistic by many points" in staffing_doc
    assert "64.0%" in staffing_doc and "80.2%" in staffing_doc
    assert "counts every abandoned call as a failure" in staffing_doc


def test_asa_docs_say_what_an_infinite_wait_means_for_a_learner():
    assert asa(100 / 30, 180, 10) == math.inf
    doc = " ".join(asa.__doc__.split())
    assert "callers would wait for ever" in doc
    assert "more work arrives than the agents can handle" in doc


@pytest.mark.parametrize("agents", [1, 10, 1000, 10_000])
@pytest.mark.parametrize("ratio", [1e-6, 1e-2, 0.5, 0.999, 1.0, 1.001, 2.0, 100.0])
def test_extreme_loads_never_overflow_or_return_nan(agents, ratio):
    a = agents * ratio
    rate = a * 60 / 300
    values = [
        erlang_b(a, agents), erlang_c(a, agents), service_level(rate, 300, agents),
        asa(rate, 300, agents), occupancy(rate, 300, agents),
        erlang_a_wait_probability(rate, 300, agents, patience_s=90),
        erlang_a_abandon_probability(rate, 300, agents, patience_s=90),
        erlang_a_service_level(rate, 300, agents, patience_s=90),
        erlang_a_asa(rate, 300, agents, patience_s=90),
        erlang_a_occupancy(rate, 300, agents, patience_s=90),
    ]
    assert not any(math.isnan(v) for v in values)
    probabilities = values[:3] + values[4:8] + values[9:]
    assert all(0.0 <= p <= 1.0 for p in probabilities)
    assert values[3] >= 0 and values[8] >= 0


# =============================================================================
# Properties
# =============================================================================
rates = st.floats(0.05, 200.0)
ahts = st.floats(20.0, 900.0)
patiences = st.floats(5.0, 3000.0)
thresholds = st.sampled_from([0.0, 10.0, 20.0, 60.0])


@settings(max_examples=60)
@given(rate=rates, aht=ahts, extra=st.integers(0, 40), threshold=thresholds)
def test_service_level_rises_and_asa_falls_as_agents_are_added(rate, aht, extra, threshold):
    n = math.floor(rate * aht / 60) + extra
    agents = np.arange(max(n, 0), n + 4)
    sl = service_level(rate, aht, agents, threshold_s=threshold)
    wait = asa(rate, aht, agents)
    assert np.all(np.diff(sl) >= -1e-15)
    assert np.all(np.diff(wait) <= 1e-12 * np.maximum(wait[:-1], 1))


@settings(max_examples=60)
@given(rate=rates, aht=ahts, patience=patiences, extra=st.integers(-10, 30), threshold=thresholds)
def test_erlang_a_service_level_rises_and_waits_and_abandons_fall_as_agents_are_added(
        rate, aht, patience, extra, threshold):
    n = max(math.floor(rate * aht / 60) + extra, 1)
    agents = np.arange(n, n + 4)
    sl = erlang_a_service_level(rate, aht, agents, threshold_s=threshold, patience_s=patience)
    wait = erlang_a_asa(rate, aht, agents, patience_s=patience)
    p_ab = erlang_a_abandon_probability(rate, aht, agents, patience_s=patience)
    p_wait = erlang_a_wait_probability(rate, aht, agents, patience_s=patience)
    assert np.all(np.diff(sl) >= -1e-14)
    assert np.all(np.diff(wait) <= 1e-12 * wait[:-1])
    assert np.all(np.diff(p_ab) <= 1e-15)
    assert np.all(p_ab <= p_wait)


@settings(max_examples=50)
@given(aht=ahts, n=st.integers(1, 2000), load=st.floats(0.3, 0.97), threshold=thresholds)
def test_erlang_a_tends_to_erlang_c_as_patience_grows(aht, n, load, threshold):
    rate = n * load * 60 / aht
    patience = aht * np.array([1.0, 10.0, 1e3, 1e5, 1e8])
    p_wait = erlang_a_wait_probability(rate, aht, n, patience_s=patience)
    sl = erlang_a_service_level(rate, aht, n, threshold_s=threshold, patience_s=patience)
    wait = erlang_a_asa(rate, aht, n, patience_s=patience)
    c = erlang_c(rate * aht / 60, n)
    assume(c > 1e-280)  # below that both underflow towards 0
    # more patient callers stay in the line: more of them wait, and wait longer
    assert np.all(np.diff(p_wait) >= -1e-14) and p_wait[-1] <= c * (1 + 1e-12)
    assert np.all(np.diff(wait) >= -1e-12 * wait[1:])
    # and the gap to Erlang C closes (the slowest case, one agent at 97% load, is
    # still 1e-4 away at a patience of 1e8 handle times)
    gaps = [np.abs(p_wait - c) / c,
            np.abs(sl - service_level(rate, aht, n, threshold_s=threshold)),
            np.abs(wait - asa(rate, aht, n)) / asa(rate, aht, n)]
    for gap in gaps:
        assert gap[-1] <= 1e-3 and gap[-1] <= gap[0] + 1e-15


@settings(max_examples=60)
@given(a=st.floats(0.01, 5000.0), n=st.integers(1, 5000))
def test_erlang_b_satisfies_its_recursion(a, n):
    previous = erlang_b(a, n - 1)
    assert erlang_b(a, n) == pytest.approx(a * previous / (n + a * previous), rel=1e-11, abs=1e-300)


@settings(max_examples=60)
@given(rate=rates, aht=ahts, target=st.floats(0.05, 0.99), threshold=thresholds)
def test_required_agents_is_the_smallest_count_meeting_the_service_level(rate, aht, target, threshold):
    n = required_agents(rate, aht, target_service_level=target, threshold_s=threshold)
    assert service_level(rate, aht, n, threshold_s=threshold) >= target
    assert n == 1 or service_level(rate, aht, n - 1, threshold_s=threshold) < target


@settings(max_examples=40)
@given(rate=rates, aht=ahts, target=st.floats(1.0, 120.0), cap=st.floats(0.5, 1.0))
def test_required_agents_is_the_smallest_count_meeting_asa_and_occupancy(rate, aht, target, cap):
    n = required_agents(rate, aht, target_asa_s=target, max_occupancy=cap)
    assert asa(rate, aht, n) <= target and occupancy(rate, aht, n) <= cap
    assert n == 1 or asa(rate, aht, n - 1) > target or occupancy(rate, aht, n - 1) > cap


@settings(max_examples=40)
@given(rate=rates, aht=ahts, patience=patiences, target=st.floats(0.3, 0.95),
       cap=st.floats(0.005, 0.2))
def test_erlang_a_required_agents_is_the_smallest_count_meeting_every_target(rate, aht, patience, target, cap):
    n = required_agents(rate, aht, target_service_level=target, max_abandon=cap,
                        model="erlang_a", patience_s=patience)

    def meets(k):
        return (erlang_a_service_level(rate, aht, k, patience_s=patience) >= target
                and erlang_a_abandon_probability(rate, aht, k, patience_s=patience) <= cap)

    assert meets(n)
    assert n == 1 or not meets(n - 1)


def _brute_force_agents(rate, aht, *, model, patience=None, method="offered", threshold=20.0,
                        target_service_level=None, target_asa_s=None, max_occupancy=None,
                        max_abandon=None):
    """The smallest head count meeting every given target, found by trying them all."""
    load = rate * aht / 60
    agents = np.arange(1, math.ceil(3 * load + 10 * math.sqrt(load) + 30))
    ok = np.ones(agents.shape, dtype=bool)
    if model == "erlang_c":
        if target_service_level is not None:
            ok &= service_level(rate, aht, agents, threshold_s=threshold) >= target_service_level
        if target_asa_s is not None:
            ok &= asa(rate, aht, agents) <= target_asa_s
        if max_occupancy is not None:
            ok &= occupancy(rate, aht, agents) <= max_occupancy
    else:
        if target_service_level is not None:
            ok &= erlang_a_service_level(rate, aht, agents, threshold_s=threshold,
                                         patience_s=patience, method=method) >= target_service_level
        if target_asa_s is not None:
            ok &= erlang_a_asa(rate, aht, agents, patience_s=patience) <= target_asa_s
        if max_occupancy is not None:
            ok &= erlang_a_occupancy(rate, aht, agents, patience_s=patience) <= max_occupancy
        if max_abandon is not None:
            ok &= erlang_a_abandon_probability(rate, aht, agents, patience_s=patience) <= max_abandon
    assert ok.any(), "the brute-force range is too short"
    return int(agents[np.argmax(ok)])


_TARGETS = {
    "erlang_c": ("target_service_level", "target_asa_s", "max_occupancy"),
    "erlang_a": ("target_service_level", "target_asa_s", "max_occupancy", "max_abandon"),
}
_TARGET_SETS = [
    (model, chosen)
    for model, names in _TARGETS.items()
    for size in range(1, len(names) + 1)
    for chosen in itertools.combinations(names, size)
]


@pytest.mark.parametrize(("model", "chosen"), _TARGET_SETS,
                         ids=["-".join([m, *c]) for m, c in _TARGET_SETS])
def test_required_agents_is_the_smallest_count_a_brute_force_search_finds(model, chosen):
    # every model with every non-empty set of targets, on random loads and targets
    rng = np.random.default_rng(sum(map(ord, model + "".join(chosen))))
    for _ in range(12):
        rate = float(np.exp(rng.uniform(np.log(0.05), np.log(60.0))))
        aht = float(rng.uniform(20.0, 900.0))
        targets = {
            "target_service_level": float(rng.uniform(0.3, 0.97)),
            "target_asa_s": float(rng.uniform(1.0, 120.0)),
            "max_occupancy": float(rng.uniform(0.5, 1.0)),
            "max_abandon": float(rng.uniform(0.005, 0.2)),
        }
        given_targets = {k: targets[k] for k in chosen}
        threshold = float(rng.choice([0.0, 10.0, 20.0, 60.0]))
        extra = {}
        if model == "erlang_a":
            patience = float(rng.uniform(5.0, 3000.0)) if rng.uniform() < 0.9 else math.inf
            if patience == math.inf:
                given_targets.pop("max_abandon", None)
                if not given_targets:
                    continue
            extra = {"patience": patience, "method": str(rng.choice(["offered", "answered"]))}
        expected = _brute_force_agents(rate, aht, model=model, threshold=threshold,
                                       **extra, **given_targets)
        kwargs = {"model": model, "threshold_s": threshold, **given_targets}
        if model == "erlang_a":
            kwargs.update(patience_s=extra["patience"], service_level_method=extra["method"])
        assert required_agents(rate, aht, **kwargs) == expected, (rate, aht, kwargs)


@pytest.mark.parametrize(("cap", "expected", "occupancy_there"),
                         [(0.90, 10, 0.875), (0.85, 11, 0.833), (0.80, 12, 0.789)])
def test_erlang_a_required_agents_lets_hang_ups_keep_occupancy_under_the_cap(
        cap, expected, occupancy_there):
    # 10 erlangs, callers patient for 3 minutes: occupancy counts only answered calls,
    # so it is below A/N and fewer than A/cap agents can meet the cap.
    rate = 10 / 3
    n = required_agents(rate, 180, max_occupancy=cap, model="erlang_a", patience_s=180)
    assert n == expected
    assert round(erlang_a_occupancy(rate, 180, n, patience_s=180), 3) == occupancy_there
    assert erlang_a_occupancy(rate, 180, n - 1, patience_s=180) > cap


def test_required_agents_meets_an_occupancy_cap_reached_exactly():
    # 10.5 erlangs on 15 agents is exactly 70%, though 10.5 / 0.7 is 15.000000000000002
    assert 10.5 / 0.7 > 15
    assert occupancy(10.5, 60, 15) == 0.7
    assert required_agents(10.5, 60, max_occupancy=0.7) == 15
    assert required_agents(10.5, 60, max_occupancy=0.7, target_asa_s=120) == 15


@settings(max_examples=60)
@given(rate=rates, aht=ahts, shrinkage=st.sampled_from([0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5]))
def test_shrinkage_schedules_the_fewest_agents_that_leave_enough_on_the_phones(rate, aht, shrinkage):
    on_phones = required_agents(rate, aht, target_service_level=0.8)
    scheduled = required_agents(rate, aht, target_service_level=0.8, shrinkage=shrinkage)
    # exact arithmetic with fractions: scheduled * (1 - s) >= N > (scheduled - 1) * (1 - s)
    keep = 1 - Fraction(str(shrinkage))
    assert scheduled * keep >= on_phones > (scheduled - 1) * keep


def test_shrinkage_of_30_percent_on_21_agents_schedules_30_not_31():
    # 21 / (1 - 0.3) is 30.000000000000004 in floating point
    assert 21 / (1 - 0.3) > 30
    rate = 16.5 * 60 / 300  # 16.5 erlangs need 21 agents for 80% in 20 s
    assert required_agents(rate, 300, target_service_level=0.8) == 21
    assert required_agents(rate, 300, target_service_level=0.8, shrinkage=0.3) == 30


# =============================================================================
# Shapes and types
# =============================================================================
def test_scalars_in_give_python_numbers_out():
    assert type(erlang_b(10, 10)) is float
    assert type(erlang_c(np.float64(10), np.int64(12))) is float
    assert type(service_level(2, 180, 8)) is float
    assert type(erlang_a_asa(2, 180, 8, patience_s=60)) is float
    assert type(required_agents(2, 180, target_service_level=0.8)) is int


def test_a_week_of_336_intervals_is_staffed_in_one_call_with_the_index_kept():
    index = pd.date_range("2026-03-02", periods=336, freq="30min")
    profile = 200 + 150 * np.sin(np.linspace(0, 14 * np.pi, 336))
    calls = pd.Series(profile.round(), index=index, name="offered")
    aht = pd.Series(300.0, index=index)
    staff = required_agents(calls / 30, aht, target_service_level=0.8, shrinkage=0.3)
    assert isinstance(staff, pd.Series) and staff.index.equals(index)
    assert staff.dtype == np.int64 and staff.name == "required_agents"
    on_phones = required_agents(calls / 30, aht, target_service_level=0.8)
    sl = service_level(calls / 30, aht, on_phones)
    assert isinstance(sl, pd.Series) and sl.index.equals(index) and (sl >= 0.8).all()
    assert (staff >= on_phones).all()


def test_arrays_broadcast_and_keep_their_shape():
    rates = np.array([[1.0], [2.0], [3.0]])
    agents = np.array([4, 6, 8, 10])
    assert service_level(rates, 120, agents).shape == (3, 4)
    assert erlang_c(np.array([1.0, 2.0]), 3).shape == (2,)
    assert erlang_a_service_level(rates, 120, agents, patience_s=[30, 60, 90, 120]).shape == (3, 4)
    assert required_agents([1.0, 2.0, 3.0], 120, target_asa_s=10).shape == (3,)
    assert erlang_b([10, 10], [10, 18]).shape == (2,)


def test_a_dataframe_in_gives_a_dataframe_out():
    calls = pd.DataFrame({"mon": [100.0, 200.0], "tue": [90.0, 180.0]}, index=["09:00", "09:30"])
    sl = service_level(calls / 30, 240, 20)
    assert isinstance(sl, pd.DataFrame)
    assert sl.index.equals(calls.index) and sl.columns.equals(calls.columns)


def test_series_and_arrays_give_the_same_numbers():
    rate = np.array([0.5, 2.0, 7.5])
    series = pd.Series(rate, index=["a", "b", "c"])
    np.testing.assert_array_equal(
        erlang_a_abandon_probability(series, 200, 9, patience_s=80).to_numpy(),
        erlang_a_abandon_probability(rate, 200, 9, patience_s=80))


# =============================================================================
# Bad input
# =============================================================================
def test_a_negative_handle_time_is_named_in_the_error():
    with pytest.raises(ValueError, match=r"^The 'aht_s' parameter of service_level must be a "
                                         r"positive number\. Got -20 instead\.$"):
        service_level(2, -20, 8)


def test_a_bad_element_in_an_array_is_located():
    with pytest.raises(ValueError, match=r"'agents' parameter of erlang_c .* Got -1 at position 2 instead"):
        erlang_c(5, np.array([6, 7, -1]))
    calls = pd.Series([10.0, np.nan], index=["09:00", "09:30"])
    with pytest.raises(ValueError, match=r"'arrival_rate_per_min' .* Got nan at index 09:30 instead"):
        service_level(calls, 300, 10)


def test_nan_and_infinite_inputs_are_refused_rather_than_propagated():
    with pytest.raises(ValueError, match="'traffic_erlangs' parameter of erlang_b"):
        erlang_b(float("nan"), 3)
    with pytest.raises(ValueError, match="'agents' parameter of asa"):
        asa(1, 300, float("inf"))
    with pytest.raises(ValueError, match="'patience_s' parameter of erlang_a_asa .* Got 0 instead"):
        erlang_a_asa(1, 300, 5, patience_s=0)


def test_non_numbers_are_refused_with_a_type_error():
    with pytest.raises(TypeError, match=r"'agents' parameter of erlang_c must be a number.*Got '12'"):
        erlang_c(10, "12")
    with pytest.raises(TypeError, match="'aht_s' parameter of asa"):
        asa(1, None, 3)
    with pytest.raises(TypeError, match="'agents' parameter of service_level"):
        service_level(1, 300, True)


def test_shapes_that_do_not_broadcast_are_reported():
    with pytest.raises(ValueError, match=r"parameters of service_level .* broadcast .*'arrival_rate_per_min' \(3,\)"):
        service_level(np.ones(3), np.full(4, 300.0), 5)


def test_series_with_different_indexes_are_refused():
    a = pd.Series([1.0, 2.0], index=["x", "y"])
    b = pd.Series([300.0, 300.0], index=["y", "z"])
    with pytest.raises(ValueError, match="different indexes"):
        service_level(a, b, 5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "needs at least one target"),
        ({"target_service_level": 1.0}, r"'target_service_level' .* strictly between 0 and 1, such as 0\.8\. Got 1 instead"),
        ({"target_service_level": 80}, r"'target_service_level' .* Got 80 instead"),
        ({"target_service_level": 0.8, "shrinkage": 1}, r"'shrinkage' .* \[0, 1\).* Got 1 instead"),
        ({"target_asa_s": -5}, r"'target_asa_s' .* positive number of seconds\. Got -5 instead"),
        ({"max_occupancy": 0}, r"'max_occupancy' .* Got 0 instead"),
        ({"target_service_level": 0.8, "model": "erlang_x"}, r"'model' .* 'erlang_c', 'erlang_a'\. Got 'erlang_x'"),
        ({"target_service_level": 0.8, "model": "erlang_a"}, r"'patience_s' .* required with model='erlang_a'"),
        ({"max_abandon": 0.05}, r"'max_abandon' .* needs model='erlang_a'"),
        ({"target_service_level": 0.8, "threshold_s": -20}, r"'threshold_s' .* non-negative number\. Got -20"),
    ],
)
def test_required_agents_explains_bad_targets(kwargs, message):
    with pytest.raises(ValueError, match=message):
        required_agents(2, 300, **kwargs)


def test_an_unknown_service_level_method_is_refused():
    with pytest.raises(ValueError, match=r"'method' parameter of erlang_a_service_level must be one of "
                                         r"'offered', 'answered'\. Got 'all' instead"):
        erlang_a_service_level(2, 300, 12, patience_s=60, method="all")
