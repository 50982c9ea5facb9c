"""Tests for callcoach.calibration: worked examples, oracles, invariants, bad input.

Oracles (pingouin, krippendorff, statsmodels, scikit-learn) are used here only;
the package never imports them.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callcoach.calibration import (
    MissingColumnError,
    calibration_score,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    icc,
    item_agreement,
    krippendorff_alpha,
    percent_agreement,
    rater_bias,
    rater_drift,
)

nan = np.nan


# ----------------------------------------------------------------------- helpers
def long_from_wide(wide, raters=None) -> pd.DataFrame:
    """calls x raters matrix (NaN = not scored) -> long format with default column names."""
    wide = np.asarray(wide, dtype=float)
    raters = raters or [f"R{j}" for j in range(wide.shape[1])]
    rows = [
        (i, raters[j], wide[i, j])
        for i in range(wide.shape[0])
        for j in range(wide.shape[1])
        if not np.isnan(wide[i, j])
    ]
    return pd.DataFrame(rows, columns=["call_id", "evaluator", "score"])


def long_from_pairs(table, labels) -> pd.DataFrame:
    """2 x 2 (or q x q) contingency table of two raters -> long format."""
    rows, call = [], 0
    for (i, a), (j, b) in itertools.product(enumerate(labels), repeat=2):
        for _ in range(table[i][j]):
            rows += [(call, "A", a), (call, "B", b)]
            call += 1
    return pd.DataFrame(rows, columns=["call_id", "evaluator", "score"])


def long_from_counts(counts, labels) -> pd.DataFrame:
    """calls x categories counts (Fleiss' layout) -> long format, raters numbered per call."""
    rows = []
    for call, row in enumerate(counts):
        ratings = [label for label, n in zip(labels, row) for _ in range(n)]
        rows += [(call, f"R{j}", r) for j, r in enumerate(ratings)]
    return pd.DataFrame(rows, columns=["call_id", "evaluator", "score"])


def random_scores(seed, n_calls, n_raters, *, low=1, high=5, missing=0.0):
    rng = np.random.default_rng(seed)
    truth = rng.integers(low, high + 1, size=(n_calls, 1))
    noise = rng.integers(-1, 2, size=(n_calls, n_raters))
    wide = np.clip(truth + noise, low, high).astype(float)
    if missing:
        wide[rng.random(wide.shape) < missing] = nan
    return wide


# Shrout & Fleiss (1979), Table 2: six targets, four judges.
SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C:
# four observers (columns) x twelve units (rows), missing values as NaN.
# The same data are Gwet (2014) Handbook p. 120 and irrCAC's raw_4raters.
KRIPPENDORFF_2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
        [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    ]
).T

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories.
FLEISS_WIKIPEDIA = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


# --------------------------------------------------------- published worked examples
def test_icc_reproduces_all_six_forms_of_shrout_fleiss_1979():
    table = icc(long_from_wide(SHROUT_FLEISS)).set_index("form")
    published = {
        "ICC(1,1)": 0.17, "ICC(2,1)": 0.29, "ICC(3,1)": 0.71,
        "ICC(1,k)": 0.44, "ICC(2,k)": 0.62, "ICC(3,k)": 0.91,
    }
    for form, value in published.items():
        assert table.loc[form, "icc"] == pytest.approx(value, abs=0.005), form


def test_icc_f_tests_use_shrout_fleiss_1979_mean_squares():
    # Table 3 of the paper: BMS = 11.24, WMS = 6.26, EMS = 1.02 (n = 6, k = 4).
    table = icc(long_from_wide(SHROUT_FLEISS)).set_index("form")
    assert table.loc["ICC(1,1)", "F"] == pytest.approx(11.24 / 6.26, rel=5e-3)
    assert table.loc["ICC(3,1)", "F"] == pytest.approx(11.24 / 1.02, rel=5e-3)
    assert list(table["df1"]) == [5] * 6
    assert list(table["df2"]) == [18, 15, 15, 18, 15, 15]


def test_icc_labels_each_form_with_shrout_fleiss_and_mcgraw_wong_names():
    table = icc(long_from_wide(SHROUT_FLEISS))
    assert list(table["form"]) == [
        "ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)"
    ]
    assert list(table["mcgraw_wong"]) == [
        "ICC(1)", "ICC(A,1)", "ICC(C,1)", "ICC(k)", "ICC(A,k)", "ICC(C,k)"
    ]
    assert table.loc[1, "description"] == "two-way random, absolute agreement, single rater"
    assert table.loc[5, "description"] == "two-way mixed, consistency, mean of 4 raters"
    assert list(table.columns) == [
        "form", "mcgraw_wong", "description", "icc", "F", "df1", "df2", "p_value",
        "ci_low", "ci_high",
    ]


@pytest.mark.parametrize(
    "level, published",
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_alpha_reproduces_krippendorff_2011_at_every_level(level, published):
    data = long_from_wide(KRIPPENDORFF_2011)
    assert krippendorff_alpha(data, level=level) == pytest.approx(published, abs=5e-4)


def test_fleiss_kappa_reproduces_the_wikipedia_worked_example():
    data = long_from_counts(FLEISS_WIKIPEDIA, labels=[1, 2, 3, 4, 5])
    assert fleiss_kappa(data) == pytest.approx(0.210, abs=5e-4)
    assert percent_agreement(data) == pytest.approx(0.378, abs=5e-4)  # P-bar


def test_cohen_kappa_reproduces_the_wikipedia_50_proposal_example():
    # Yes/Yes 20, Yes/No 5, No/Yes 10, No/No 15: p_o = 0.70, p_e = 0.50, kappa = 0.40.
    data = long_from_pairs([[20, 5], [10, 15]], ["yes", "no"])
    assert percent_agreement(data) == pytest.approx(0.70, abs=1e-12)
    assert cohen_kappa(data) == pytest.approx(0.40, abs=1e-12)


@pytest.mark.parametrize(
    "table, kappa",
    [([[45, 15], [25, 15]], 0.06 / 0.46), ([[25, 35], [5, 35]], 0.14 / 0.54)],
)
def test_cohen_kappa_differs_for_equal_agreement_with_different_margins(table, kappa):
    # Wikipedia "Cohen's kappa": both tables agree on 60 of 100 items.
    data = long_from_pairs(table, ["yes", "no"])
    assert percent_agreement(data) == pytest.approx(0.60, abs=1e-12)
    assert cohen_kappa(data) == pytest.approx(kappa, abs=1e-12)


def test_kappa_collapses_under_prevalence_while_ac1_does_not():
    # Feinstein & Cicchetti (1990): both tables agree on 85 % of cases,
    # kappa 0.70 for balanced margins but 0.32 when one category dominates.
    balanced = long_from_pairs([[40, 9], [6, 45]], ["pass", "fail"])
    skewed = long_from_pairs([[80, 10], [5, 5]], ["pass", "fail"])
    assert percent_agreement(balanced) == percent_agreement(skewed) == pytest.approx(0.85)
    assert cohen_kappa(balanced) == pytest.approx(0.70, abs=5e-3)
    assert cohen_kappa(skewed) == pytest.approx(0.32, abs=5e-3)
    assert gwet_ac1(skewed) > 0.75


def test_gwet_ac1_and_fleiss_kappa_match_gwets_irrcac_values_on_the_4_rater_data():
    # Reference values of Gwet's irrCAC for its raw_4raters data set
    # (Gwet 2014, Handbook p. 120): identical to Krippendorff's 2011 example.
    data = long_from_wide(KRIPPENDORFF_2011)
    assert percent_agreement(data) == pytest.approx(0.818, abs=5e-4)
    assert gwet_ac1(data) == pytest.approx(0.775, abs=5e-4)
    assert gwet_ac1(data, weights="linear") == pytest.approx(0.859, abs=5e-4)
    assert gwet_ac1(data, weights="quadratic") == pytest.approx(0.914, abs=5e-4)
    assert fleiss_kappa(data) == pytest.approx(0.761, abs=5e-4)
    assert fleiss_kappa(data, weights="linear") == pytest.approx(0.818, abs=5e-4)
    assert fleiss_kappa(data, weights="quadratic") == pytest.approx(0.865, abs=5e-4)


# ------------------------------------------------------------------------ oracles
@pytest.fixture
def unrounded_pingouin(monkeypatch):
    pg = pytest.importorskip("pingouin")
    monkeypatch.setitem(pg.options, "round", None)
    monkeypatch.setitem(pg.options, "round.column.CI95", None)
    return pg


@pytest.mark.filterwarnings("ignore:The inplace keyword")
@pytest.mark.parametrize("seed, n_calls, n_raters", [(0, 8, 3), (1, 15, 5), (2, 30, 2), (3, 12, 4)])
def test_icc_matches_pingouin_on_every_form_test_and_interval(unrounded_pingouin, seed, n_calls, n_raters):
    rng = np.random.default_rng(seed)
    wide = rng.normal(size=(n_calls, 1)) * 2 + rng.normal(size=(1, n_raters)) + rng.normal(size=(n_calls, n_raters))
    data = long_from_wide(wide)
    ours = icc(data)
    theirs = unrounded_pingouin.intraclass_corr(
        data, targets="call_id", raters="evaluator", ratings="score"
    )
    assert list(theirs["Type"]) == list(ours["mcgraw_wong"].str.replace("ICC(1)", "ICC(1,1)", regex=False).str.replace("ICC(k)", "ICC(1,k)", regex=False))
    np.testing.assert_allclose(ours["icc"], theirs["ICC"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours["F"], theirs["F"], rtol=1e-10)
    np.testing.assert_array_equal(ours["df1"], theirs["df1"])
    np.testing.assert_array_equal(ours["df2"], theirs["df2"])
    np.testing.assert_allclose(ours["p_value"], theirs["pval"], rtol=1e-8, atol=1e-14)
    ci = np.vstack(theirs["CI95"].to_numpy())
    np.testing.assert_allclose(ours["ci_low"], ci[:, 0], rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours["ci_high"], ci[:, 1], rtol=0, atol=1e-10)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_krippendorff_alpha_matches_the_krippendorff_package_with_missing_ratings(level, seed):
    krippendorff = pytest.importorskip("krippendorff")
    wide = random_scores(seed, n_calls=25, n_raters=4, missing=0.25)
    expected = krippendorff.alpha(reliability_data=wide.T, level_of_measurement=level)
    assert krippendorff_alpha(long_from_wide(wide), level=level) == pytest.approx(expected, abs=1e-10)


def test_krippendorff_alpha_matches_the_krippendorff_package_on_continuous_scores():
    krippendorff = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(7)
    wide = rng.gamma(4.0, 10.0, size=(20, 1)) + rng.normal(0, 4, size=(20, 3))
    wide[rng.random(wide.shape) < 0.2] = nan
    for level in ["interval", "ratio"]:
        expected = krippendorff.alpha(reliability_data=wide.T, level_of_measurement=level)
        assert krippendorff_alpha(long_from_wide(wide), level=level) == pytest.approx(expected, abs=1e-10)


@pytest.mark.parametrize("seed, n_raters", [(0, 3), (1, 6), (2, 2)])
def test_fleiss_kappa_matches_statsmodels(seed, n_raters):
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    wide = random_scores(seed, n_calls=40, n_raters=n_raters)
    table, _ = inter_rater.aggregate_raters(wide.astype(int))
    assert fleiss_kappa(long_from_wide(wide)) == pytest.approx(
        inter_rater.fleiss_kappa(table, method="fleiss"), abs=1e-12
    )


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cohen_kappa_matches_statsmodels_and_scikit_learn(weights, seed):
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    metrics = pytest.importorskip("sklearn.metrics")
    wide = random_scores(seed, n_calls=60, n_raters=2)
    categories = [1, 2, 3, 4, 5]
    ours = cohen_kappa(long_from_wide(wide), weights=weights, categories=categories)

    sk = metrics.cohen_kappa_score(wide[:, 0], wide[:, 1], weights=weights, labels=categories)
    assert ours == pytest.approx(sk, abs=1e-12)

    table = pd.crosstab(
        pd.Categorical(wide[:, 0], categories=categories),
        pd.Categorical(wide[:, 1], categories=categories),
        dropna=False,
    ).to_numpy()
    sm = inter_rater.cohens_kappa(table, wt=weights).kappa
    assert ours == pytest.approx(sm, abs=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_gwet_ac1_for_two_raters_matches_gwets_contingency_table_formula(seed):
    # Gwet (2008), eq. for two raters: pi_k = (p_k+ + p_+k) / 2,
    # p_e = sum pi_k (1 - pi_k) / (q - 1), p_a = sum p_kk.
    wide = random_scores(seed, n_calls=50, n_raters=2)
    q = 5
    table = np.zeros((q, q))
    for a, b in wide.astype(int) - 1:
        table[a, b] += 1
    p = table / table.sum()
    pi = (p.sum(axis=0) + p.sum(axis=1)) / 2
    pe = (pi * (1 - pi)).sum() / (q - 1)
    expected = (np.trace(p) - pe) / (1 - pe)
    ours = gwet_ac1(long_from_wide(wide), categories=[1, 2, 3, 4, 5])
    assert ours == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("seed", [0, 1])
def test_percent_agreement_matches_brute_force_pair_counting(seed):
    wide = random_scores(seed, n_calls=20, n_raters=4, missing=0.3)
    shares = []
    for row in wide:
        seen = row[~np.isnan(row)]
        if len(seen) >= 2:
            pairs = list(itertools.combinations(seen, 2))
            shares.append(np.mean([a == b for a, b in pairs]))
    assert percent_agreement(long_from_wide(wide)) == pytest.approx(np.mean(shares), abs=1e-12)


# --------------------------------------------------------------- property tests
score_tables = st.integers(min_value=3, max_value=8).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(1, 5), min_size=n, max_size=n).filter(lambda v: len(set(v)) >= 2),
        st.integers(min_value=2, max_value=5),
    )
)


def _all_statistics(data, *, two_raters: bool):
    values = {
        "percent_agreement": percent_agreement(data),
        "fleiss_kappa": fleiss_kappa(data),
        "gwet_ac1": gwet_ac1(data),
        "ac2_quadratic": gwet_ac1(data, weights="quadratic"),
        **{f"alpha_{lvl}": krippendorff_alpha(data, level=lvl) for lvl in ["nominal", "ordinal", "interval", "ratio"]},
    }
    if two_raters:
        values["cohen_kappa"] = cohen_kappa(data)
        values["cohen_quadratic"] = cohen_kappa(data, weights="quadratic")
    return values


@settings(max_examples=40, deadline=None)
@given(score_tables)
def test_identical_raters_agree_perfectly_on_every_statistic(table):
    truth, n_raters = table
    data = long_from_wide(np.repeat(np.array(truth, float)[:, None], n_raters, axis=1))
    for name, value in _all_statistics(data, two_raters=n_raters == 2).items():
        assert value == pytest.approx(1.0, abs=1e-12), name
    np.testing.assert_allclose(icc(data)["icc"], 1.0, atol=1e-12)


wide_tables = st.integers(min_value=3, max_value=7).flatmap(
    lambda n: st.integers(min_value=2, max_value=4).flatmap(
        lambda k: st.lists(
            st.lists(st.integers(1, 5), min_size=k, max_size=k), min_size=n, max_size=n
        )
    )
)


@settings(max_examples=40, deadline=None)
@given(wide_tables, st.randoms(use_true_random=False))
def test_relabelling_and_reordering_raters_changes_nothing(wide, rnd):
    wide = np.array(wide, float)
    k = wide.shape[1]
    names = [f"R{j}" for j in range(k)]
    new_names = [f"evaluator {c}" for c in "ZYXWV"[:k]]
    rnd.shuffle(new_names)
    order = list(range(k))
    rnd.shuffle(order)
    original = long_from_wide(wide, names)
    relabelled = long_from_wide(wide[:, order], [new_names[j] for j in order])
    before = _all_statistics(original, two_raters=k == 2)
    after = _all_statistics(relabelled, two_raters=k == 2)
    for name in before:
        np.testing.assert_allclose(after[name], before[name], atol=1e-12, err_msg=name)
    pd.testing.assert_frame_equal(
        icc(relabelled).drop(columns="description"), icc(original).drop(columns="description"),
        atol=1e-12, rtol=1e-10,  # CI bounds can be large (e.g. -200): compare relatively too
    )


@settings(max_examples=40, deadline=None)
@given(wide_tables, st.integers(min_value=0, max_value=2**32 - 1))
def test_shuffling_rows_changes_nothing(wide, seed):
    wide = np.array(wide, float)
    data = long_from_wide(wide)
    shuffled = data.sample(frac=1, random_state=seed).reset_index(drop=True)
    two = wide.shape[1] == 2
    before, after = _all_statistics(data, two_raters=two), _all_statistics(shuffled, two_raters=two)
    for name in before:
        np.testing.assert_allclose(after[name], before[name], atol=1e-12, err_msg=name)
    pd.testing.assert_frame_equal(icc(shuffled), icc(data), atol=1e-12, rtol=1e-10)


# ------------------------------------------------------------ behaviour details
def test_missing_ratings_are_skipped_by_multi_rater_statistics():
    data = long_from_wide(KRIPPENDORFF_2011)
    with_nan_rows = long_from_wide(np.nan_to_num(KRIPPENDORFF_2011, nan=0.0))
    with_nan_rows.loc[with_nan_rows["score"] == 0, "score"] = nan
    assert gwet_ac1(with_nan_rows) == pytest.approx(gwet_ac1(data), abs=1e-12)
    assert krippendorff_alpha(with_nan_rows) == pytest.approx(krippendorff_alpha(data), abs=1e-12)


def test_targets_may_name_call_and_item_columns():
    data = pd.DataFrame({
        "call_id": [1, 1, 1, 1, 2, 2, 2, 2],
        "item": ["greeting", "greeting", "empathy", "empathy"] * 2,
        "evaluator": ["Ann", "Bo"] * 4,
        "score": ["yes", "yes", "yes", "no", "yes", "yes", "no", "no"],
    })
    assert percent_agreement(data, targets=["call_id", "item"]) == pytest.approx(0.75)


def test_percent_agreement_counts_scores_within_tolerance_as_agreeing():
    data = long_from_wide([[80, 84], [90, 97], [70, 70]])
    assert percent_agreement(data) == pytest.approx(1 / 3)
    assert percent_agreement(data, tolerance=5) == pytest.approx(2 / 3)


def test_ac1_depends_on_the_declared_scale():
    data = long_from_pairs([[18, 1], [1, 0]], ["yes", "no"])
    assert gwet_ac1(data, categories=["yes", "no", "n/a"]) > gwet_ac1(data)


def test_kappa_is_nan_when_both_raters_use_one_category_only():
    data = long_from_pairs([[5]], ["pass"])
    assert np.isnan(cohen_kappa(data))
    assert np.isnan(gwet_ac1(data))


def test_ordinal_categories_follow_an_ordered_categorical():
    scale = pd.CategoricalDtype(["poor", "fair", "good"], ordered=True)
    data = pd.DataFrame({
        "call_id": [1, 1, 2, 2, 3, 3, 4, 4],
        "evaluator": ["Ann", "Bo"] * 4,
        "score": pd.Series(["poor", "fair", "good", "good", "fair", "fair", "poor", "good"], dtype=scale),
    })
    numeric = data.assign(score=data["score"].cat.codes)
    assert krippendorff_alpha(data, level="ordinal") == pytest.approx(
        krippendorff_alpha(numeric, level="ordinal"), abs=1e-12
    )
    assert cohen_kappa(data, weights="linear") == pytest.approx(
        cohen_kappa(numeric, weights="linear"), abs=1e-12
    )


def test_icc_confidence_level_widens_the_interval():
    data = long_from_wide(SHROUT_FLEISS)
    narrow, wide = icc(data, confidence=0.80), icc(data)
    assert (wide["ci_low"] < narrow["ci_low"]).all()
    assert (wide["ci_high"] > narrow["ci_high"]).all()


# ------------------------------------------------------------------ diagnostics
def _session(expert, **raters):
    rows = [(i, "expert", s) for i, s in enumerate(expert)]
    for name, scores in raters.items():
        rows += [(i, name, s) for i, s in enumerate(scores) if s is not None]
    return pd.DataFrame(rows, columns=["call_id", "evaluator", "score"])


def test_rater_bias_labels_lenient_severe_and_in_line_raters():
    expert = [70, 85, 60, 90, 75, 80]
    data = _session(
        expert,
        Ann=[s + 5 for s in expert],
        Bo=[s - 4 + d for s, d in zip(expert, [1, -1, 0, 1, -1, 0])],
        Cy=[s + d for s, d in zip(expert, [2, -2, 1, -1, 3, -3])],
    )
    out = rater_bias(data).set_index("evaluator")
    assert list(out.index) == ["Ann", "Bo", "Cy"]
    assert out.loc["Ann", "bias"] == pytest.approx(5.0)
    assert out.loc["Ann", "label"] == "lenient"
    assert out.loc["Bo", "label"] == "severe"
    assert out.loc["Cy", "label"] == "in line"
    assert (out["n"] == 6).all()


def test_rater_bias_interval_and_correlation_match_scipy():
    from scipy import stats

    rng = np.random.default_rng(3)
    expert = rng.integers(50, 100, size=12).astype(float)
    ann = expert + rng.normal(2, 3, size=12)
    out = rater_bias(_session(list(expert), Ann=list(ann)), confidence=0.9).iloc[0]
    d = ann - expert
    lo, hi = stats.t.interval(0.9, len(d) - 1, loc=d.mean(), scale=stats.sem(d))
    assert out["bias"] == pytest.approx(d.mean(), abs=1e-12)
    assert out["ci_low"] == pytest.approx(lo, abs=1e-10)
    assert out["ci_high"] == pytest.approx(hi, abs=1e-10)
    assert out["correlation"] == pytest.approx(stats.pearsonr(ann, expert)[0], abs=1e-12)


def test_rater_bias_tolerance_ignores_small_but_consistent_differences():
    expert = [70, 85, 60, 90, 75, 80]
    data = _session(expert, Ann=[s + 0.3 for s in expert])
    assert rater_bias(data).loc[0, "label"] == "lenient"
    assert rater_bias(data, tolerance=0.5).loc[0, "label"] == "in line"


def test_rater_bias_keeps_a_rater_without_shared_calls():
    data = pd.DataFrame({
        "call_id": [1, 2, 1, 2, 3],
        "evaluator": ["expert", "expert", "Ann", "Ann", "Bo"],
        "score": [5, 7, 6, 8, 4],
    })
    out = rater_bias(data).set_index("evaluator")
    assert out.loc["Bo", "n"] == 0
    assert out.loc["Bo", "label"] == "too few calls"


def test_calibration_score_counts_scores_within_tolerance_of_the_anchor():
    data = _session([80, 90, 65, 70], Ann=[84, 96, 70, 77], Bo=[80, 88, 66, 70])
    out = calibration_score(data, tolerance=5).set_index("evaluator")
    assert out.loc["Ann", "within_tolerance"] == 2
    assert out.loc["Ann", "calibration_score"] == pytest.approx(0.5)
    assert out.loc["Bo", "calibration_score"] == pytest.approx(1.0)
    exact = calibration_score(data).set_index("evaluator")
    assert exact.loc["Bo", "calibration_score"] == pytest.approx(0.5)


def test_calibration_score_compares_labels_item_by_item():
    data = pd.DataFrame({
        "call_id": [1, 1, 1, 1, 2, 2, 2, 2],
        "item": ["greeting", "empathy"] * 4,
        "evaluator": ["expert", "expert", "Ann", "Ann"] * 2,
        "score": ["yes", "no", "yes", "yes", "yes", "yes", "yes", "yes"],
    })
    out = calibration_score(data, targets=["call_id", "item"])
    assert out.loc[0, "n"] == 4
    assert out.loc[0, "calibration_score"] == pytest.approx(0.75)


def _scorecard_session():
    rows = []
    empathy = [["yes", "no", "yes"], ["no", "yes", "yes"], ["yes", "yes", "no"],
               ["no", "no", "yes"], ["yes", "no", "no"], ["yes", "yes", "yes"]]
    for call in range(6):
        for rater in range(3):
            rows.append((call, f"E{rater}", "greeting", "yes"))
            rows.append((call, f"E{rater}", "empathy", empathy[call][rater]))
            rows.append((call, f"E{rater}", "closing", "no" if call == 0 else "yes"))
    return pd.DataFrame(rows, columns=["call_id", "evaluator", "item", "score"])


def test_item_agreement_flags_items_below_threshold_worst_first():
    out = item_agreement(_scorecard_session())
    assert list(out["item"]) == ["empathy", "closing", "greeting"]
    assert list(out["needs_work"]) == [True, False, False]
    assert list(out.columns) == ["item", "n_calls", "percent_agreement", "gwet_ac1", "needs_work"]
    empathy = _scorecard_session().query("item == 'empathy'")
    assert out.loc[0, "gwet_ac1"] == pytest.approx(gwet_ac1(empathy), abs=1e-12)


def test_item_agreement_uses_the_chosen_statistic_and_threshold():
    out = item_agreement(_scorecard_session(), statistic="fleiss_kappa", threshold=0.0)
    assert "fleiss_kappa" in out.columns
    # greeting: every rating "yes" on a yes/no scale -> kappa undefined, not flagged
    greeting = out.set_index("item").loc["greeting"]
    assert np.isnan(greeting["fleiss_kappa"])
    assert not greeting["needs_work"]
    out = item_agreement(_scorecard_session(), statistic="krippendorff_alpha", level="nominal")
    assert out.loc[0, "item"] == "empathy"


def _mixed_scorecard_session():
    """A yes/no item, a 0-2 item and a 1-5 item, four raters on six calls."""
    scores = {
        "verify_identity": [["yes", "yes", "yes", "no"], ["yes", "yes", "yes", "yes"],
                            ["no", "no", "yes", "no"], ["yes", "yes", "yes", "yes"],
                            ["yes", "no", "yes", "yes"], ["yes", "yes", "yes", "yes"]],
        "proactive_offer": [[2, 1, 2, 2], [0, 0, 1, 0], [2, 2, 2, 1],
                            [1, 1, 0, 1], [2, 2, 2, 2], [0, 1, 0, 0]],
        "empathy": [[4, 3, 5, 4], [2, 2, 3, 1], [5, 5, 4, 5],
                    [3, 4, 3, 3], [1, 2, 1, 1], [4, 4, 5, 3]],
    }
    rows = [
        (call, f"E{rater}", item, values[call][rater])
        for item, values in scores.items()
        for call in range(6)
        for rater in range(4)
    ]
    return pd.DataFrame(rows, columns=["call_id", "evaluator", "item", "score"])


@pytest.mark.parametrize("statistic", ["gwet_ac1", "fleiss_kappa"])
def test_item_agreement_judges_each_item_on_its_own_scale_by_default(statistic):
    # pooling yes/no, 0-2 and 1-5 would give every item 9 categories and
    # inflate its chance-corrected agreement
    data = _mixed_scorecard_session()
    single = {"gwet_ac1": gwet_ac1, "fleiss_kappa": fleiss_kappa}[statistic]
    out = item_agreement(data, statistic=statistic).set_index("item")
    pooled = item_agreement(data, statistic=statistic,
                            categories=[0, 1, 2, 3, 4, 5, "no", "yes"]).set_index("item")
    for item in ["verify_identity", "proactive_offer", "empathy"]:
        alone = single(data[data["item"] == item])
        assert out.at[item, statistic] == pytest.approx(alone, abs=1e-12)
    # the explicit shared list is still honoured, and it inflates AC1 on the 0-2 item
    if statistic == "gwet_ac1":
        assert pooled.at["proactive_offer", statistic] > out.at["proactive_offer", statistic] + 0.05


def test_item_agreement_takes_each_items_scale_from_a_mapping():
    data = _mixed_scorecard_session()
    scales = {"verify_identity": ["no", "yes"], "proactive_offer": [0, 1, 2],
              "empathy": [1, 2, 3, 4, 5], "hold_etiquette": [0, 1, 2]}  # not in the data
    out = item_agreement(data, categories=scales).set_index("item")
    for item in ["verify_identity", "proactive_offer", "empathy"]:
        alone = gwet_ac1(data[data["item"] == item], categories=scales[item])
        assert out.at[item, "gwet_ac1"] == pytest.approx(alone, abs=1e-12)
    # nobody gives 5 on the 1-5 item below: its scale still counts 5 as possible
    low = data[data["item"] == "empathy"].assign(score=lambda d: d["score"].clip(upper=4))
    seen = item_agreement(low).set_index("item").at["empathy", "gwet_ac1"]
    scaled = item_agreement(low, categories=scales).set_index("item").at["empathy", "gwet_ac1"]
    assert scaled == pytest.approx(gwet_ac1(low, categories=[1, 2, 3, 4, 5]), abs=1e-12)
    assert seen == pytest.approx(gwet_ac1(low, categories=[1, 2, 3, 4]), abs=1e-12)
    assert scaled != pytest.approx(seen)


def test_item_agreement_leaves_a_unanimous_item_undefined_unless_its_scale_is_given():
    data = _scorecard_session()  # greeting: every rating "yes"
    out = item_agreement(data).set_index("item")
    assert np.isnan(out.at["greeting", "gwet_ac1"]) and not out.at["greeting", "needs_work"]
    given_scale = item_agreement(data, categories={"greeting": ["no", "yes"]}).set_index("item")
    assert given_scale.at["greeting", "gwet_ac1"] == 1.0


def test_item_agreement_on_the_practice_session_matches_the_facilitator_table():
    from callcoach.calibration_widgets import item_table, practice_scores
    from callcoach.scorecard import default_scorecard

    card = default_scorecard()
    scores = practice_scores()
    table = item_table(scores, card).set_index("item")
    out = item_agreement(scores).set_index("item")
    assert round(out.at["proactive_offer", "gwet_ac1"], 2) == 0.38
    for item in ["proactive_offer", "empathy", "closing"]:
        assert out.at[item, "gwet_ac1"] == pytest.approx(table.at[item, "gwet_ac1"], abs=1e-12)


def test_rater_drift_shows_a_drifting_rater_and_a_steady_one():
    from scipy import stats

    rows = []
    for session in [1, 2, 3, 4]:
        for call in range(3):
            truth = 70 + 5 * call
            rows += [(session, call, "expert", truth),
                     (session, call, "Ann", truth + 2 * session + call % 2),
                     (session, call, "Bo", truth + (call - 1))]
    data = pd.DataFrame(rows, columns=["session", "call_id", "evaluator", "score"])
    out = rater_drift(data)
    ann = out[out["evaluator"] == "Ann"]
    assert list(ann["session"]) == [1, 2, 3, 4]
    assert set(ann["trend"]) == {"more lenient over time"}
    assert set(out.loc[out["evaluator"] == "Bo", "trend"]) == {"steady"}
    x = np.repeat([0, 1, 2, 3], 3)
    d = np.array([2 * s + c % 2 for s in [1, 2, 3, 4] for c in range(3)], float)
    assert ann["slope"].iloc[0] == pytest.approx(stats.linregress(x, d).slope, abs=1e-12)


def test_rater_drift_needs_two_sessions_for_a_trend():
    data = _session([70, 80, 90], Ann=[72, 83, 91]).assign(session="2024-05")
    out = rater_drift(data)
    assert out.loc[0, "trend"] == "too few sessions"
    assert np.isnan(out.loc[0, "slope"])


def test_rater_drift_lets_the_same_call_recur_across_sessions():
    data = pd.concat(
        [_session([70, 80], Ann=[70, 80]).assign(session=1),
         _session([70, 80], Ann=[75, 85]).assign(session=2)]
    )
    out = rater_drift(data)
    assert list(out["bias"]) == [0.0, 5.0]


# --------------------------------------------------------------------- bad input
def test_a_missing_column_is_named_with_the_columns_that_exist():
    data = long_from_wide(SHROUT_FLEISS)
    message = (
        r"The 'raters' parameter of icc names a column 'rater' that is not in the data\. "
        r"Columns are: 'call_id', 'evaluator', 'score'\."
    )
    with pytest.raises(MissingColumnError, match=message):
        icc(data, raters="rater")
    with pytest.raises(KeyError):
        icc(data, raters="rater")


def test_every_missing_column_is_listed():
    data = long_from_wide(SHROUT_FLEISS)
    with pytest.raises(KeyError, match=r"'targets'.*'call'.*'ratings'.*'points'"):
        fleiss_kappa(data, targets="call", ratings="points")


def test_icc_on_an_unbalanced_design_names_the_gaps_and_suggests_alpha():
    data = long_from_wide(SHROUT_FLEISS, ["Ann", "Bo", "Cy", "Di"])
    data = data.drop(data[(data["call_id"] == 2) & (data["evaluator"] == "Bo")].index)
    with pytest.raises(ValueError, match=r"balanced.*call_id 2 lacks 'Bo'.*krippendorff_alpha"):
        icc(data)


def test_a_rater_scoring_the_same_call_twice_is_named():
    data = pd.concat([long_from_wide(SHROUT_FLEISS), pd.DataFrame(
        {"call_id": [3], "evaluator": ["R1"], "score": [4.0]})])
    with pytest.raises(ValueError, match=r"'R1' scored call_id 3 2 times"):
        gwet_ac1(data)


def test_fewer_than_two_raters_is_refused():
    data = pd.DataFrame({"call_id": [1, 2], "evaluator": ["Ann", "Ann"], "score": [3, 4]})
    with pytest.raises(ValueError, match=r"at least 2 raters .*found 1: 'Ann'"):
        krippendorff_alpha(data)


def test_cohen_kappa_refuses_other_than_two_raters():
    with pytest.raises(ValueError, match=r"exactly two raters.*holds 4.*fleiss_kappa"):
        cohen_kappa(long_from_wide(SHROUT_FLEISS))


def test_an_unknown_anchor_lists_the_raters():
    data = long_from_wide(SHROUT_FLEISS)
    with pytest.raises(ValueError, match=r"'anchor' parameter of rater_bias .*'expert'.*Raters are: 'R0', 'R1'"):
        rater_bias(data)
    with pytest.raises(ValueError, match=r"'anchor' parameter of calibration_score"):
        calibration_score(data, anchor="boss")


@pytest.mark.parametrize(
    "call",
    [
        lambda d: icc(d),
        lambda d: krippendorff_alpha(d, level="interval"),
        lambda d: rater_bias(d, anchor="A"),
        lambda d: percent_agreement(d, tolerance=1),
    ],
)
def test_non_numeric_ratings_are_refused_where_numbers_are_needed(call):
    data = long_from_pairs([[3, 1], [1, 3]], ["pass", "fail"])
    with pytest.raises(TypeError, match=r"'ratings' parameter of \w+ names a column 'score' .*non-numeric.*'pass'"):
        call(data)


def test_ordered_statistics_refuse_labels_without_an_order():
    data = long_from_pairs([[3, 1], [1, 3]], ["good", "poor"])
    with pytest.raises(TypeError, match=r"categories in order.*categories=\[\.\.\.\]"):
        cohen_kappa(data, weights="linear")
    with pytest.raises(TypeError, match=r"categories in order"):
        krippendorff_alpha(data, level="ordinal")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda d: cohen_kappa(d, weights="lin"), r"'weights' parameter of cohen_kappa must be None, 'linear' or 'quadratic'\. Got 'lin'"),
        (lambda d: krippendorff_alpha(d, level="metric"), r"'level' parameter of krippendorff_alpha must be"),
        (lambda d: percent_agreement(d, method="all"), r"'method' parameter of percent_agreement"),
        (lambda d: percent_agreement(d, tolerance=-1), r"'tolerance' parameter of percent_agreement"),
        (lambda d: icc(d, confidence=95), r"'confidence' parameter of icc must be a number between 0 and 1"),
        (lambda d: gwet_ac1(d, categories=[1, 2]), r"'categories' parameter of gwet_ac1 lists 1, 2, but the ratings also hold 3"),
        (lambda d: item_agreement(d.assign(item="x"), statistic="kappa"), r"'statistic' parameter of item_agreement"),
        (lambda d: krippendorff_alpha(d.assign(score=d["score"] - 3), level="ratio"), r"level='ratio' needs scores of 0 or more"),
    ],
)
def test_bad_options_are_refused_with_the_parameter_named(call, message):
    data = long_from_wide([[1, 2], [3, 3], [2, 2]])
    with pytest.raises(ValueError, match=message):
        call(data)


def test_item_agreement_refuses_options_its_statistic_does_not_take():
    data = long_from_wide([[1, 2], [3, 3], [2, 2]]).assign(item="x")
    with pytest.raises(TypeError, match=r"statistic='gwet_ac1' accepts the options 'weights'\. Got 'level'"):
        item_agreement(data, level="ordinal")


def test_data_that_is_not_a_dataframe_is_refused():
    with pytest.raises(TypeError, match=r"'data' parameter of icc must be a pandas DataFrame.*Got ndarray"):
        icc(np.array(SHROUT_FLEISS))


def test_empty_rater_names_are_refused():
    data = long_from_wide(SHROUT_FLEISS)
    data.loc[2, "evaluator"] = None
    with pytest.raises(ValueError, match=r"'raters' parameter of fleiss_kappa names a column 'evaluator' with 1 empty"):
        fleiss_kappa(data)


def test_item_agreement_says_which_item_failed():
    data = _scorecard_session()
    with pytest.raises(ValueError, match=r"For item 'closing': cohen_kappa compares exactly two raters"):
        item_agreement(data, statistic="cohen_kappa")
