"""The simulated world: deterministic, consistent tables, and the effects the course teaches.

Three kinds of test:

* the ``small`` preset, simulated here: determinism, every table fits its data-dictionary
  schema, intervals add up from the calls, no latent trait leaks into learner tables;
* the ``stationary`` preset against Erlang A;
* the committed ``default`` datasets (``datasets/`` and ``instructor/ground_truth/``):
  each learner-visible effect has the size documented in ``instructor/README.md``, and
  the realism anchors of DESIGN.md hold.
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from callcoach import calibration, datasets, erlang, kpi
from callcoach.scorecard import default_scorecard, score_evaluations
from callcoach.sim import World, generate_intervals, measure_effects, preset, simulate
from callcoach.sim.schema import TABLES, TRUTH_FILES

KIT = Path(__file__).resolve().parents[1]
TRUTH = KIT / "instructor" / "ground_truth"
LATENT = {"active", "action", "available", "skill", "speed", "empathy", "compliance",
          "leniency", "noise", "drift_per_month", "resolved_truth", "true_reason",
          "contact_kind", "resolved_by_followup", "patience_s"}


@pytest.fixture(scope="module")
def small() -> World:
    return simulate("small")


@pytest.fixture(scope="module")
def default() -> World:
    """The committed default datasets and ground truth, loaded as a World."""
    tables = {name: datasets.load(name) for name in TABLES}
    truth = {"calls_truth": pd.read_csv(TRUTH / "calls_truth.csv.gz")}
    return World(scenario=preset("default"), tables=tables, truth=truth)


@pytest.fixture(scope="module")
def effects(default) -> dict:
    return measure_effects(default)


# ----------------------------------------------------------------------- small preset


def test_same_seed_gives_identical_tables(small):
    again = simulate("small")
    for name, frame in small.tables.items():
        pd.testing.assert_frame_equal(frame, again.tables[name], obj=name)


def test_another_seed_gives_other_calls(small):
    other = simulate(preset("small").replace(seed=8))
    assert not other.tables["calls"]["arrival_time"].equals(small.tables["calls"]["arrival_time"])


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_small_table_fits_its_data_dictionary(small, name, tmp_path):
    path = tmp_path / ("x.csv.gz" if TABLES[name].get("gzip") else "x.csv")
    datasets.write_csv(small.tables[name], path)
    frame = datasets.read_csv(path, schema=name)
    assert list(frame.columns) == [f["name"] for f in TABLES[name]["fields"]]
    key = TABLES[name]["primary_key"]
    assert not frame.duplicated(key).any(), f"{name}: primary key {key} is not unique"


def test_intervals_add_up_from_the_calls(small):
    calls, iv = small.tables["calls"], small.tables["intervals"]
    iv = iv[iv["interval_start"] >= pd.Timestamp(small.scenario.detail_start)]  # the calls' period
    assert iv["offered"].sum() == len(calls)
    assert iv["answered"].sum() == calls["answered"].sum()
    assert iv["talk_s"].sum() == calls["talk_s"].sum()
    within = (calls["answered"] & (calls["wait_s"] <= 20)).sum()
    assert iv["answered_within_threshold"].sum() == within
    assert (iv["offered"] == iv["answered"] + iv["abandoned"]).all()


def test_abandoned_calls_have_no_agent_and_no_handle_time(small):
    ab = small.tables["calls"].query("~answered")
    assert ab["agent_id"].isna().all()
    assert (ab[["talk_s", "hold_s", "acw_s"]].to_numpy() == 0).all()


def test_no_latent_trait_reaches_a_learner_table(small):
    for name, frame in small.tables.items():
        assert not LATENT & set(frame.columns), f"{name} leaks {LATENT & set(frame.columns)}"


def test_committed_datasets_hold_no_ground_truth():
    package = json.loads((KIT / "datasets" / "datapackage.json").read_text())
    columns = {f["name"] for r in package["resources"] for f in r["schema"]["fields"]}
    assert not LATENT & columns
    assert not any("truth" in p.name for p in (KIT / "datasets").iterdir())
    for name in TRUTH_FILES:
        assert list(TRUTH.glob(f"{name}.csv*")), f"{name} missing from {TRUTH}"


def test_calibration_sessions_score_the_same_calls_item_by_item(small):
    cal = small.tables["calibration_scores"]
    items = {i.id for i in default_scorecard().items}
    assert set(cal["item"]) == items
    raters = cal.groupby(["session", "call_id"])["evaluator"].nunique()
    assert (raters == len(preset("small").evaluators) + 1).all()
    assert set(small.tables["transcripts"]["call_id"]) == set(cal["call_id"])


def test_generate_intervals_keeps_its_signature_and_columns():
    frame = generate_intervals(seed=5, start="2026-06-01", days=3)
    assert list(frame.columns) == [f["name"] for f in TABLES["intervals"]["fields"]]
    assert len(frame) == 3 * 24 * 3


# ----------------------------------------------------------------------- stationary


def test_stationary_scenario_agrees_with_erlang_a():
    """Day by day batches: the mean is within 4 standard errors of Erlang A."""
    world = simulate("stationary")
    iv = world.tables["intervals"].assign(day=lambda d: d["interval_start"].dt.normalize())
    per_day = iv.groupby("day")[["offered", "abandoned", "answered",
                                 "answered_within_threshold"]].sum()
    abandon = per_day["abandoned"] / per_day["offered"]
    sl = per_day["answered_within_threshold"] / per_day["answered"]
    want_ab = float(erlang.erlang_a_abandon_probability(10, 300, 55, patience_s=180))
    want_sl = float(erlang.erlang_a_service_level(10, 300, 55, patience_s=180,
                                                  method="answered"))
    for got, want in ((abandon, want_ab), (sl, want_sl)):
        se = got.std(ddof=1) / np.sqrt(len(got))
        assert abs(got.mean() - want) < 4 * se + 0.003, (got.mean(), want, se)


# ----------------------------------------------------------------------- default effects


def test_realism_anchors_hold(effects):
    a = effects["anchors"]
    assert 0.75 <= a["service_level"] <= 0.9
    assert 0.02 <= a["abandonment_rate"] <= 0.08
    assert 0.08 <= a["short_abandon_share_of_abandons"]
    assert 240 <= a["aht_s"] <= 480
    assert a["hold_acw_share_of_handle"] >= 0.2
    assert 0.87 <= a["adherence"] <= 0.93
    assert 0.76 <= a["occupancy"] <= 0.9
    assert 0.30 <= a["shrinkage"] <= 0.35
    assert 0.65 <= a["fcr_by_repeats_7d"] <= 0.82
    assert 0.05 <= a["survey_response_rate"] <= 0.20
    assert 4 <= a["qa_evaluations_per_agent_month"] <= 8


def test_handle_time_is_right_skewed(default):
    calls = default.tables["calls"].query("answered")
    handle = calls["talk_s"] + calls["hold_s"] + calls["acw_s"]
    assert handle.mean() > handle.median() * 1.1


def test_proactive_calls_take_longer_but_cut_repeats_and_total_work(effects):
    a = effects["active"]
    assert a["first_call_aht_s"]["proactive"] - a["first_call_aht_s"]["not_proactive"] > 50
    assert a["repeat_within_7d"]["not_proactive"] - a["repeat_within_7d"]["proactive"] > 0.15
    assert (a["handle_minutes_per_issue"]["proactive"]
            < a["handle_minutes_per_issue"]["not_proactive"] - 0.5)


def test_followup_completion_differs_by_agent_and_missed_promises_cost_many_times_more(
        effects):
    v = effects["available"]
    assert v["agent_on_time_rate_max"] - v["agent_on_time_rate_min"] > 0.4
    assert v["complaint_calls"] > 1000
    assert v["complaint_cost_ratio"] >= 5


def test_fixed_defect_driver_falls_after_the_fix_date(effects):
    a = effects["action"]
    assert a["calls_per_day_4_weeks_after"] < 0.3 * a["calls_per_day_4_weeks_before"]
    assert a["tickets_before_fix"] > 100
    assert a["tickets_by_status"]["fixed"] == a["tickets_before_fix"]


def test_service_level_swings_by_interval_when_the_day_looks_fine(effects):
    iv = effects["intervals"]
    assert iv["days_meeting_80_20"] >= 20
    assert iv["share_of_good_days_with_an_interval_below_60pct"] >= 0.5
    assert iv["retrials_per_abandoned_call"] >= 0.3


def test_abandoned_callers_call_back(default):
    calls = default.tables["calls"]
    ab = calls.loc[~calls["answered"], ["customer_id", "arrival_time"]]
    later = calls[["customer_id", "arrival_time"]].merge(ab, on="customer_id",
                                                         suffixes=("", "_ab"))
    back = later[(later["arrival_time"] > later["arrival_time_ab"])
                 & (later["arrival_time"] <= later["arrival_time_ab"] + pd.Timedelta(days=3))]
    assert back[["customer_id", "arrival_time_ab"]].drop_duplicates().shape[0] > 0.5 * len(ab)


def test_survey_fcr_reads_higher_than_repeat_based_fcr(default):
    calls, surveys = default.tables["calls"], default.tables["surveys"]
    by_survey = kpi.fcr_by_survey(calls, surveys)
    by_repeats = kpi.fcr_by_repeats(calls, window_days=7)
    assert by_survey - by_repeats > 0.02
    assert 0.6 <= by_repeats <= 0.85


def test_tenure_shortens_handle_time(effects):
    t = effects["tenure"]
    assert t["aht_s_new"] > 1.1 * t["aht_s_experienced"]


def test_tenure_confounds_the_plain_proactive_comparison(effects):
    """New agents make fewer offers and are slower: the plain gap understates the cost."""
    c = effects["tenure_confound"]
    share = c["proactive_share_of_first_calls"]
    assert share["experienced"] - share["new"] > 0.1
    assert c["extra_s_within_tenure"] - c["extra_s_plain"] > 5


def test_conformance_exceeds_adherence_when_agents_work_off_schedule(effects):
    w = effects["workforce"]
    assert w["conformance"] > w["adherence"] + 0.005
    assert w["share_of_phone_time_outside_schedule"] > 0.005


def test_team_comparison_reverses_when_split_by_tenure(effects):
    s = effects["simpson"]
    team, rest = s["team"], s["compared_with"]
    assert s["overall_aht_s"][team] > s["overall_aht_s"][rest]  # the team looks slower...
    for band in ("new", "experienced"):  # ...but is faster in each tenure band
        assert s["aht_s_by_band"][f"{team} | {band}"] < s["aht_s_by_band"][f"{rest} | {band}"]


def test_evaluators_one_lenient_one_severe_one_drifting(default):
    cal = default.tables["calibration_scores"]
    totals = score_evaluations(cal, default_scorecard(), targets=["session", "call_id"])
    bias = calibration.rater_bias(totals, targets=["session", "call_id"],
                                  ratings="total_before_fails").set_index("evaluator")
    assert bias.loc["Mei", "label"] == "lenient" and bias.loc["Mei", "bias"] > 5
    assert bias.loc["Tom", "label"] == "severe" and bias.loc["Tom", "bias"] < -5
    drift = calibration.rater_drift(totals, ratings="total_before_fails",
                                    sessions="session").drop_duplicates("evaluator")
    trend = drift.set_index("evaluator")["trend"]
    assert trend["Priya"] == "more lenient over time"
    assert (trend.drop("Priya") == "steady").all()


def test_disruption_shows_a_volume_surge_and_longer_calls(effects):
    d = effects["disruption"]
    assert d["offered_per_day_during"] > 1.25 * d["offered_per_day_8_weeks_before"]
    assert d["aht_s_during"] > 1.1 * d["aht_s_8_weeks_before"]


def test_daily_history_covers_two_years_for_mom_and_yoy(default):
    daily, monthly = default.tables["daily"], default.tables["monthly"]
    assert daily["date"].min() == pd.Timestamp("2024-06-01")
    assert daily["date"].max() == pd.Timestamp("2026-05-31")
    assert monthly["month"].nunique() == 24
    yoy = kpi.period_change(monthly, period="yoy", time="month", by="queue",
                            kpis=["offered", "service_level"])
    march = yoy[(yoy["month"] == pd.Timestamp("2026-03-01")) & (yoy["kpi"] == "offered")]
    # March 2026 against the disruption month March 2025: year-over-year volume falls.
    assert len(march) == 3 and (march["relative_change"] < -0.2).all()


def test_effects_file_matches_the_committed_data(effects):
    written = json.loads((TRUTH / "effects.json").read_text())
    assert written == json.loads(json.dumps(effects))


# ----------------------------------------------------------------------- writing


def test_gzip_output_is_byte_reproducible(tmp_path):
    frame = pd.DataFrame({"a": range(1000), "b": ["x"] * 1000})
    datasets.write_csv(frame, tmp_path / "one.csv.gz")
    datasets.write_csv(frame, tmp_path / "two.csv.gz")
    one = (tmp_path / "one.csv.gz").read_bytes()
    assert one == (tmp_path / "two.csv.gz").read_bytes()
    assert one[4:8] == b"\0\0\0\0"  # gzip header time stamp is zero
    assert gzip.decompress(one).decode().startswith("a,b\n0,x\n")


def test_ground_truth_into_an_unwritable_folder_names_the_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(datasets.DatasetError, match="Cannot write datasets into the folder "
                                                    ".*file"):
        datasets.write_ground_truth(blocker / "truth")


def test_regeneration_reproduces_the_ground_truth_byte_for_byte(tmp_path):
    datasets.write_ground_truth(tmp_path)
    for path in sorted(TRUTH.iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), f"{path.name} differs"


def test_interval_staffing_belongs_to_its_own_queue():
    """Per-queue occupancy from the intervals table equals the daily table's (no queue swap)."""
    from callcoach import datasets, kpi

    intervals, daily = datasets.load("intervals"), datasets.load("daily")
    quarter = daily[daily["date"] >= intervals["interval_start"].min().normalize()]
    from_intervals = kpi.occupancy(intervals, by="queue").set_index("queue")["occupancy"]
    from_daily = kpi.occupancy(quarter, by="queue", staffed_agents="staffed_s", interval_s=1).set_index("queue")["occupancy"]
    assert (from_intervals - from_daily).abs().max() < 0.01, (from_intervals, from_daily)
