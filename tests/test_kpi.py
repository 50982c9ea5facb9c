"""Tests for callcoach.kpi: worked examples, hand-computed tables, bad input, properties."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callcoach import kpi

SL_METHODS = [
    "answered",
    "offered",
    "credit_abandons",
    "exclude_abandons",
    "exclude_short_abandons",
    "credit_short_abandons",
]

# ICMI / Call Centre Helper worked example: 1,000 answered, 860 within 20 s,
# 60 abandoned, 20 of them within 20 s and 10 within 5 s.
WORKED_VALUES = {
    "answered": 860 / 1000,
    "offered": 860 / 1060,
    "credit_abandons": 880 / 1060,
    "exclude_abandons": 860 / 1040,
    "exclude_short_abandons": 860 / 1050,
    "credit_short_abandons": 870 / 1060,
}


@pytest.fixture
def worked_day():
    return pd.DataFrame(
        {
            "answered": [1000],
            "abandoned": [60],
            "answered_within_threshold": [860],
            "abandoned_within_threshold": [20],
            "short_abandons": [10],
        }
    )


@pytest.fixture
def worked_calls():
    """The worked example as 1,060 calls with waits that reproduce its counts."""
    waits = (
        [10.0] * 860  # answered within 20 s
        + [45.0] * 140  # answered later
        + [3.0] * 10  # short abandons
        + [12.0] * 10  # abandoned within 20 s, not short
        + [60.0] * 40  # abandoned after 20 s
    )
    answered = [True] * 1000 + [False] * 60
    return pd.DataFrame({"answered": answered, "wait_s": waits})


@pytest.fixture
def intervals():
    """Two days, two queues, hand-sized counts."""
    return pd.DataFrame(
        {
            "interval_start": pd.to_datetime(
                [
                    "2025-03-03 09:00",
                    "2025-03-03 09:00",
                    "2025-03-03 21:00",
                    "2025-03-04 09:00",
                ]
            ),
            "queue": ["billing", "plans", "billing", "billing"],
            "offered": [105, 50, 12, 30],
            "answered": [100, 50, 10, 30],
            "abandoned": [5, 0, 2, 0],
            "answered_within_threshold": [90, 45, 2, 24],
            "abandoned_within_threshold": [2, 0, 1, 0],
            "short_abandons": [1, 0, 1, 0],
            "wait_answered_s": [1000, 300, 400, 200],
            "talk_s": [18000, 9000, 2000, 6000],
            "hold_s": [2000, 1000, 200, 600],
            "acw_s": [6000, 2000, 800, 1400],
            "scheduled_agents": [18.0, 8.0, 2.0, 6.0],
            "staffed_agents": [16.0, 7.5, 2.0, 5.0],
        }
    )


# ----------------------------------------------------------------- service level


@pytest.mark.parametrize("method", SL_METHODS)
def test_service_level_worked_example_gives_each_variant_value(worked_day, method):
    assert kpi.service_level(worked_day, method=method) == pytest.approx(WORKED_VALUES[method])


def test_service_level_worked_example_values_as_documented(worked_day):
    rounded = {m: round(kpi.service_level(worked_day, method=m), 4) for m in SL_METHODS}
    assert rounded == {
        "answered": 0.86,
        "offered": 0.8113,
        "credit_abandons": 0.8302,
        "exclude_abandons": 0.8269,
        "exclude_short_abandons": 0.8190,
        "credit_short_abandons": 0.8208,
    }


@pytest.mark.parametrize("method", SL_METHODS)
def test_service_level_from_calls_matches_the_interval_counts(worked_calls, method):
    got = kpi.service_level(worked_calls, table="calls", method=method)
    assert got == pytest.approx(WORKED_VALUES[method])


def test_service_level_counts_short_abandons_when_asked(worked_day):
    excluded = kpi.service_level(worked_day, method="exclude_short_abandons")
    credited = kpi.service_level(worked_day, method="credit_short_abandons")
    plain = kpi.service_level(worked_day, method="offered")
    assert plain < excluded < credited


def test_service_level_from_calls_uses_any_threshold_and_short_abandon_seconds(worked_calls):
    # 30 s: still 860 answered in time (the others waited 45 s); the 12 s abandons
    # become short abandons with a 15 s cut-off.
    assert kpi.service_level(worked_calls, table="calls", threshold_s=50) == 1.0
    got = kpi.service_level(
        worked_calls, table="calls", method="exclude_short_abandons", short_abandon_s=15
    )
    assert got == pytest.approx(860 / (1060 - 20))


def test_service_level_threshold_is_inclusive():
    calls = pd.DataFrame({"answered": [True, True], "wait_s": [20.0, 20.001]})
    assert kpi.service_level(calls, table="calls", threshold_s=20) == 0.5


def test_service_level_by_queue_sums_counts_before_dividing(intervals):
    out = kpi.service_level(intervals, by="queue")
    assert list(out.columns) == ["queue", "numerator", "denominator", "service_level"]
    billing = out.set_index("queue").loc["billing"]
    assert billing["numerator"] == 90 + 2 + 24
    assert billing["denominator"] == 100 + 10 + 30
    assert billing["service_level"] == pytest.approx(116 / 140)


def test_service_level_by_group_with_no_calls_gives_nan():
    data = pd.DataFrame(
        {"queue": ["a", "b"], "answered": [10, 0], "answered_within_threshold": [8, 0]}
    )
    out = kpi.service_level(data, by="queue").set_index("queue")
    assert out.loc["a", "service_level"] == 0.8
    assert math.isnan(out.loc["b", "service_level"])
    assert out.loc["b", "denominator"] == 0


def test_service_level_whole_table_with_no_answered_calls_raises():
    data = pd.DataFrame({"answered": [0, 0], "answered_within_threshold": [0, 0]})
    with pytest.raises(ValueError, match="service_level is undefined.*no answered calls"):
        kpi.service_level(data)


def test_service_level_rejects_negative_threshold(worked_calls):
    msg = (
        "The 'threshold_s' parameter of service_level must be a positive number. "
        "Got -20 instead."
    )
    with pytest.raises(ValueError, match=msg):
        kpi.service_level(worked_calls, table="calls", threshold_s=-20)


def test_service_level_rejects_non_numeric_threshold(worked_day):
    with pytest.raises(TypeError, match="'threshold_s' parameter.*Got '20' instead"):
        kpi.service_level(worked_day, threshold_s="20")


def test_service_level_rejects_unknown_method(worked_day):
    with pytest.raises(ValueError, match="'method' parameter of service_level must be one of"):
        kpi.service_level(worked_day, method="icmi")


def test_service_level_on_intervals_rejects_another_threshold(worked_day):
    with pytest.raises(ValueError, match="counts calls answered or abandoned within 20 s"):
        kpi.service_level(worked_day, threshold_s=30)


def test_service_level_on_intervals_rejects_another_short_abandon_cutoff(worked_day):
    with pytest.raises(ValueError, match="short abandons within 5 s.*table='calls'"):
        kpi.service_level(worked_day, method="exclude_short_abandons", short_abandon_s=3)


def test_service_level_rejects_short_abandon_longer_than_threshold(worked_calls):
    with pytest.raises(ValueError, match="'short_abandon_s' parameter.*must not exceed"):
        kpi.service_level(
            worked_calls, table="calls", method="credit_short_abandons", short_abandon_s=30
        )


def test_service_level_lists_every_missing_column():
    data = pd.DataFrame({"answered": [10]})
    with pytest.raises(KeyError, match="'abandoned', 'answered_within_threshold'.*abandoned="):
        kpi.service_level(data, method="offered")


def test_service_level_suggests_table_calls_for_call_level_data(worked_calls):
    with pytest.raises(KeyError, match="pass table='calls'"):
        kpi.service_level(worked_calls)


def test_service_level_uses_renamed_columns(worked_day):
    renamed = worked_day.rename(columns={"answered_within_threshold": "in_sl"})
    assert kpi.service_level(renamed, answered_within="in_sl") == 0.86


def test_service_level_rejects_empty_table(worked_day):
    with pytest.raises(ValueError, match="'data' table passed to service_level is empty"):
        kpi.service_level(worked_day.iloc[:0])


def test_service_level_rejects_a_list_instead_of_a_table():
    with pytest.raises(TypeError, match="must be a pandas DataFrame. Got list instead"):
        kpi.service_level([1, 2, 3])


def test_service_level_rejects_more_calls_within_threshold_than_answered(worked_day):
    swapped = worked_day.assign(answered_within_threshold=1200)
    with pytest.raises(ValueError, match="larger than the 'answered' column in 1 row"):
        kpi.service_level(swapped)


def test_service_level_rejects_missing_counts(worked_day):
    holed = pd.concat([worked_day, worked_day]).astype(float)
    holed.iloc[1, 0] = np.nan
    with pytest.raises(ValueError, match="'answered' column of 'data' has 1 missing"):
        kpi.service_level(holed)


def test_service_level_works_with_a_duplicated_index(worked_day):
    doubled = pd.concat([worked_day, worked_day])  # index 0, 0
    assert kpi.service_level(doubled, method="offered") == pytest.approx(860 / 1060)


# ------------------------------------------------------------- ASA, abandons, AHT


def test_asa_is_total_wait_over_answered_calls(intervals):
    assert kpi.asa(intervals) == pytest.approx(1900 / 190)


def test_asa_from_calls_ignores_abandoned_waits():
    calls = pd.DataFrame({"answered": [True, True, False], "wait_s": [10.0, 30.0, 90.0]})
    assert kpi.asa(calls, table="calls") == 20.0


def test_abandonment_rate_all_and_without_short_abandons(worked_day):
    assert kpi.abandonment_rate(worked_day) == pytest.approx(60 / 1060)
    got = kpi.abandonment_rate(worked_day, method="exclude_short_abandons")
    assert got == pytest.approx(50 / 1050)


def test_abandonment_rate_from_calls_with_a_custom_short_abandon_cutoff(worked_calls):
    got = kpi.abandonment_rate(
        worked_calls, table="calls", method="exclude_short_abandons", short_abandon_s=15
    )
    assert got == pytest.approx(40 / 1040)


def test_abandonment_rate_by_queue(intervals):
    out = kpi.abandonment_rate(intervals, by="queue").set_index("queue")
    assert out.loc["billing", "abandonment_rate"] == pytest.approx(7 / 147)
    assert out.loc["plans", "abandonment_rate"] == 0.0


def test_aht_is_talk_hold_and_acw_per_answered_call(intervals):
    handle = 18000 + 9000 + 2000 + 6000 + 2000 + 1000 + 200 + 600 + 6000 + 2000 + 800 + 1400
    assert kpi.aht(intervals) == pytest.approx(handle / 190)


def test_aht_from_calls_ignores_abandoned_calls_without_handle_times():
    calls = pd.DataFrame(
        {
            "answered": [True, True, False],
            "talk_s": [200.0, 300.0, np.nan],
            "hold_s": [0.0, 60.0, np.nan],
            "acw_s": [40.0, 0.0, np.nan],
        }
    )
    assert kpi.aht(calls, table="calls") == 300.0


@pytest.fixture
def issue_calls():
    return pd.DataFrame(
        {
            "issue_id": [1, 1, 2, 3],
            "agent_id": ["a1", "a2", "a2", "a2"],
            "answered": [True, True, True, False],
            "arrival_time": pd.to_datetime(
                ["2025-03-01 09:00", "2025-03-03 09:00", "2025-03-01 10:00", "2025-03-01 11:00"]
            ),
            "talk_s": [200.0, 300.0, 400.0, 0.0],
            "hold_s": [0.0, 0.0, 0.0, 0.0],
            "acw_s": [100.0, 100.0, 100.0, 0.0],
        }
    )


def test_aht_per_issue_divides_all_handle_time_by_issues(issue_calls):
    assert kpi.aht(issue_calls, table="calls") == pytest.approx(1200 / 3)
    assert kpi.aht(issue_calls, table="calls", method="per_issue") == 600.0


def test_aht_per_issue_credits_the_agent_of_the_first_call(issue_calls):
    out = kpi.aht(issue_calls, table="calls", method="per_issue", by="agent_id")
    out = out.set_index("agent_id")
    assert out.loc["a1", "aht"] == 700.0  # issue 1: both calls
    assert out.loc["a2", "aht"] == 500.0  # issue 2 only


def test_aht_per_issue_needs_call_level_data(intervals):
    with pytest.raises(ValueError, match="'per_issue', which needs a call-level table"):
        kpi.aht(intervals, method="per_issue")


def test_aht_components_add_up_to_aht(intervals):
    parts = kpi.aht_components(intervals)
    assert list(parts["component"]) == ["talk", "hold", "acw"]
    assert parts["seconds"].sum() == pytest.approx(kpi.aht(intervals))
    assert parts["share"].sum() == pytest.approx(1.0)


def test_aht_components_by_queue_are_tidy(intervals):
    parts = kpi.aht_components(intervals, by="queue")
    assert list(parts.columns) == ["queue", "component", "seconds", "share"]
    plans = parts[parts["queue"] == "plans"].set_index("component")["seconds"]
    assert plans.to_dict() == {"talk": 180.0, "hold": 20.0, "acw": 40.0}


# --------------------------------------------------------- occupancy & workforce


def test_occupancy_is_handle_time_over_staffed_time(intervals):
    handle = 26000 + 12000 + 3000 + 8000
    staffed = (16 + 7.5 + 2 + 5) * 1800
    assert kpi.occupancy(intervals) == pytest.approx(handle / staffed)


def test_utilization_uses_scheduled_or_paid_time(intervals):
    handle = 26000 + 12000 + 3000 + 8000
    assert kpi.utilization(intervals) == pytest.approx(handle / (34 * 1800))
    paid = intervals.assign(paid_agents=[20.0, 10.0, 2.0, 8.0])
    assert kpi.utilization(paid, method="paid") == pytest.approx(handle / (40 * 1800))
    assert kpi.utilization(intervals) < kpi.occupancy(intervals)


def test_utilization_paid_lists_the_missing_column(intervals):
    with pytest.raises(KeyError, match="'paid_agents'.*paid_agents="):
        kpi.utilization(intervals, method="paid")


@pytest.fixture
def states():
    return pd.DataFrame(
        {
            "agent_id": ["a1", "a1", "a2", "a2"],
            "scheduled_s": [1800, 1800, 1800, 0],
            "in_adherence_s": [1800, 900, 1500, 0],
            "actual_s": [1800, 1500, 1700, 300],
        }
    )


def test_adherence_is_time_in_adherence_over_scheduled_time(states):
    assert kpi.adherence(states) == pytest.approx(4200 / 5400)
    out = kpi.adherence(states, by="agent_id").set_index("agent_id")["adherence"]
    assert out.to_dict() == pytest.approx({"a1": 2700 / 3600, "a2": 1500 / 1800})


def test_conformance_counts_time_worked_whenever(states):
    assert kpi.conformance(states) == pytest.approx(5300 / 5400)
    assert kpi.conformance(states) >= kpi.adherence(states)


def test_adherence_rejects_more_adherent_than_scheduled_time(states):
    bad = states.assign(in_adherence_s=[1900, 900, 1500, 0])
    with pytest.raises(ValueError, match="'in_adherence_s' column is larger.*use conformance"):
        kpi.adherence(bad)


@pytest.fixture
def timesheet():
    return pd.DataFrame(
        {
            "agent_id": ["a1"] * 4 + ["a2"] * 3,
            "activity": ["on_call", "available", "break", "training", "on_call", "acw", "sick"],
            "seconds": [18000, 3600, 3600, 3600, 0, 0, 28800],
        }
    )


def test_shrinkage_is_non_productive_paid_time_share(timesheet):
    assert kpi.shrinkage(timesheet) == pytest.approx((7200 + 28800) / 57600)
    assert kpi.shrinkage(timesheet, count=["sick"]) == pytest.approx(28800 / 57600)
    out = kpi.shrinkage(timesheet, by="agent_id").set_index("agent_id")["shrinkage"]
    assert out.to_dict() == pytest.approx({"a1": 0.25, "a2": 1.0})


def test_shrinkage_rejects_unknown_productive_activities(timesheet):
    with pytest.raises(ValueError, match="None of the productive activities.*productive="):
        kpi.shrinkage(timesheet, productive=["ready"])


def test_shrinkage_rejects_an_activity_both_productive_and_counted(timesheet):
    with pytest.raises(ValueError, match="cannot be both productive and shrinkage"):
        kpi.shrinkage(timesheet, count=["on_call", "sick"])


# ------------------------------------------------------------- calls and surveys


def test_transfer_rate_counts_answered_calls_only():
    calls = pd.DataFrame(
        {
            "agent_id": ["a1", "a1", "a2", "a2"],
            "answered": [True, True, True, False],
            "transferred": [False, True, False, False],
        }
    )
    assert kpi.transfer_rate(calls) == pytest.approx(1 / 3)
    out = kpi.transfer_rate(calls, by="agent_id").set_index("agent_id")["transfer_rate"]
    assert out.to_dict() == {"a1": 0.5, "a2": 0.0}


def test_transfer_rate_rejects_text_flags():
    calls = pd.DataFrame({"answered": [True], "transferred": ["yes"]})
    with pytest.raises(TypeError, match="'transferred' column of 'calls' must hold True/False"):
        kpi.transfer_rate(calls)


def test_csat_mean_and_top_two_box_skip_missing_answers():
    surveys = pd.DataFrame({"csat": [5, 4, 3, 1, np.nan]})
    assert kpi.csat(surveys) == pytest.approx(13 / 4)
    assert kpi.csat(surveys, method="top2box") == 0.5


def test_csat_rejects_scores_off_the_scale():
    with pytest.raises(ValueError, match="1 score\\(s\\) that are not whole numbers from 1 to 5"):
        kpi.csat(pd.DataFrame({"csat": [5, 4, 7]}))


def test_csat_rejects_a_table_with_no_answers():
    with pytest.raises(ValueError, match="csat is undefined.*no survey answers"):
        kpi.csat(pd.DataFrame({"csat": [np.nan, np.nan]}))


@pytest.fixture
def survey_calls():
    return pd.DataFrame(
        {
            "call_id": [1, 2, 3, 4, 5],
            "issue_id": [10, 10, 20, 30, 40],
            "agent_id": ["a1", "a2", "a1", "a2", "a2"],
            "arrival_time": pd.to_datetime(
                ["2025-03-01", "2025-03-02", "2025-03-01", "2025-03-01", "2025-03-01"]
            ),
            "answered": [True, True, True, True, True],
            # ground truth the simulator might carry: must not be used
            "resolved": [False, False, False, False, False],
        }
    )


@pytest.fixture
def surveys():
    return pd.DataFrame(
        {
            "call_id": [1, 2, 3, 4, 99],
            "resolved": [False, True, True, None, True],
        }
    )


def test_fcr_by_survey_is_share_of_yes_answers(survey_calls, surveys):
    # calls 1, 2, 3 answered the question (4 skipped it, 99 is not in calls)
    assert kpi.fcr_by_survey(survey_calls, surveys) == pytest.approx(2 / 3)


def test_fcr_by_survey_first_contact_drops_surveys_of_repeat_calls(survey_calls, surveys):
    # call 2 is the second call about issue 10
    got = kpi.fcr_by_survey(survey_calls, surveys, method="first_contact")
    assert got == pytest.approx(1 / 2)


def test_fcr_by_survey_first_contact_starts_an_issue_at_its_first_answered_call():
    # issue 10 opens with an abandon (call 1); its first contact is call 2, whose survey
    # says "not resolved"; call 3 is a repeat; issue 20 is resolved at once.
    calls = pd.DataFrame(
        {
            "call_id": [1, 2, 3, 4],
            "issue_id": [10, 10, 10, 20],
            "answered": [False, True, True, True],
            "arrival_time": pd.to_datetime(
                ["2025-03-01 09:00", "2025-03-01 09:05", "2025-03-03 10:00", "2025-03-01 11:00"]
            ),
        }
    )
    surveys = pd.DataFrame({"call_id": [2, 3, 4], "resolved": [False, True, True]})
    got = kpi.fcr_by_survey(calls, surveys, method="first_contact")
    assert got == pytest.approx(1 / 2)
    # answered=None takes every row as a contact: issue 10 then starts with the abandon
    every_row = kpi.fcr_by_survey(calls, surveys, method="first_contact", answered=None)
    assert every_row == 1.0


def test_fcr_by_survey_first_contact_needs_the_answered_column(survey_calls, surveys):
    with pytest.raises(KeyError, match=r"'answered'.*answered=None if every row"):
        kpi.fcr_by_survey(survey_calls.drop(columns="answered"), surveys,
                          method="first_contact")
    # the plain survey rate does not need it
    assert kpi.fcr_by_survey(survey_calls.drop(columns="answered"), surveys) == pytest.approx(2 / 3)


def test_fcr_by_survey_by_agent(survey_calls, surveys):
    out = kpi.fcr_by_survey(survey_calls, surveys, by="agent_id").set_index("agent_id")
    assert out.loc["a1", "fcr_by_survey"] == 0.5
    assert out.loc["a2", "fcr_by_survey"] == 1.0
    assert out.loc["a2", "denominator"] == 1


def test_fcr_by_survey_rejects_duplicate_surveys(survey_calls, surveys):
    doubled = pd.concat([surveys, surveys.iloc[:1]])
    with pytest.raises(ValueError, match="'call_id' column of 'surveys' has 1 duplicated"):
        kpi.fcr_by_survey(survey_calls, doubled)


def test_fcr_by_survey_rejects_surveys_of_other_calls(survey_calls):
    with pytest.raises(ValueError, match="None of the surveys matches a call"):
        kpi.fcr_by_survey(survey_calls, pd.DataFrame({"call_id": [77], "resolved": [True]}))


def _repeat_calls(rows):
    """Calls from (customer, reason, arrival time[, answered, agent]) tuples."""
    frame = pd.DataFrame(
        [r + (True, "a1")[len(r) - 3:] for r in rows],
        columns=["customer_id", "reason", "arrival_time", "answered", "agent_id"],
    )
    frame["arrival_time"] = pd.to_datetime(frame["arrival_time"])
    return frame


def test_fcr_by_repeats_counts_a_call_exactly_seven_days_later_as_a_repeat():
    calls = _repeat_calls([(1, "billing", "2025-03-01 09:00"), (1, "billing", "2025-03-08 09:00")])
    assert kpi.fcr_by_repeats(calls) == 0.0


def test_fcr_by_repeats_resolves_when_the_next_call_is_one_second_too_late():
    calls = _repeat_calls(
        [(1, "billing", "2025-03-01 09:00:00"), (1, "billing", "2025-03-08 09:00:01")]
    )
    assert kpi.fcr_by_repeats(calls) == 1.0  # two first contacts, both resolved


def test_fcr_by_repeats_ignores_calls_about_another_reason():
    calls = _repeat_calls([(1, "billing", "2025-03-01"), (1, "plans", "2025-03-02")])
    assert kpi.fcr_by_repeats(calls) == 1.0


def test_fcr_by_repeats_ignores_calls_from_another_customer():
    calls = _repeat_calls([(1, "billing", "2025-03-01"), (2, "billing", "2025-03-02")])
    assert kpi.fcr_by_repeats(calls) == 1.0


def test_fcr_by_repeats_chains_repeats_into_one_issue():
    calls = _repeat_calls(
        [(1, "billing", "2025-03-01"), (1, "billing", "2025-03-06"), (1, "billing", "2025-03-12")]
    )
    out = kpi.fcr_by_repeats(calls, by="customer_id")
    assert out["denominator"].tolist() == [1]
    assert out["numerator"].tolist() == [0]


def test_fcr_by_repeats_window_days_changes_the_answer():
    calls = _repeat_calls([(1, "billing", "2025-03-01"), (1, "billing", "2025-03-04")])
    assert kpi.fcr_by_repeats(calls, window_days=7) == 0.0
    assert kpi.fcr_by_repeats(calls, window_days=1) == 1.0
    assert kpi.fcr_by_repeats(calls, window_days=30) == 0.0


def test_fcr_by_repeats_ignores_abandoned_calls():
    calls = _repeat_calls(
        [(1, "billing", "2025-03-01", True), (1, "billing", "2025-03-02", False)]
    )
    assert kpi.fcr_by_repeats(calls) == 1.0
    assert kpi.fcr_by_repeats(calls, answered=None) == 0.0


def test_fcr_by_repeats_credits_the_agent_of_the_first_contact():
    calls = _repeat_calls(
        [
            (1, "billing", "2025-03-01", True, "a1"),
            (1, "billing", "2025-03-02", True, "a2"),
            (2, "plans", "2025-03-01", True, "a2"),
        ]
    )
    out = kpi.fcr_by_repeats(calls, by="agent_id").set_index("agent_id")
    assert out.loc["a1", "fcr_by_repeats"] == 0.0
    assert out.loc["a2", "fcr_by_repeats"] == 1.0
    assert out.loc["a2", "denominator"] == 1


def test_fcr_by_repeats_complete_windows_only_drops_recent_first_contacts():
    calls = _repeat_calls(
        [(1, "billing", "2025-03-01"), (2, "plans", "2025-03-20"), (3, "plans", "2025-03-25")]
    )
    assert kpi.fcr_by_repeats(calls) == 1.0
    out = kpi.fcr_by_repeats(calls, complete_windows_only=True, by="customer_id")
    assert out["denominator"].tolist() == [1, 0, 0]


def test_fcr_by_repeats_rejects_calls_without_a_customer():
    calls = _repeat_calls([(1, "billing", "2025-03-01"), (2, "billing", "2025-03-02")])
    calls["customer_id"] = calls["customer_id"].astype(float)
    calls.loc[1, "customer_id"] = np.nan
    with pytest.raises(ValueError, match="'customer_id' column of 'calls' has 1 missing"):
        kpi.fcr_by_repeats(calls)


def test_fcr_by_repeats_rejects_a_zero_window():
    calls = _repeat_calls([(1, "billing", "2025-03-01")])
    msg = "The 'window_days' parameter of fcr_by_repeats must be a positive number. Got 0 instead."
    with pytest.raises(ValueError, match=msg):
        kpi.fcr_by_repeats(calls, window_days=0)


def test_fcr_by_repeats_rejects_text_times():
    calls = _repeat_calls([(1, "billing", "2025-03-01")])
    calls["arrival_time"] = calls["arrival_time"].astype(str)
    with pytest.raises(TypeError, match="must hold datetimes.*pd.to_datetime"):
        kpi.fcr_by_repeats(calls)


def test_fcr_by_repeats_without_answered_calls_says_what_it_expected():
    calls = _repeat_calls([(1, "billing", "2025-03-01", False), (2, "plans", "2025-03-02", False)])
    msg = (r"fcr_by_repeats found no answered call in column 'answered' of 'calls' \(all 2 "
           r"row\(s\) are False\); expected at least one True\. Pass answered=None")
    with pytest.raises(ValueError, match=msg):
        kpi.fcr_by_repeats(calls)


# ------------------------------------------------------------------- follow-ups


@pytest.fixture
def followups():
    due = pd.to_datetime(["2025-03-03 17:00"] * 4 + ["2025-03-20 17:00"])
    done = pd.to_datetime(
        [
            "2025-03-03 10:00",  # on time
            "2025-03-03 17:00",  # exactly at the due time: on time
            "2025-03-05 09:00",  # late
            None,  # never
            None,  # not due yet on 2025-03-10
        ]
    )
    return pd.DataFrame(
        {"agent_id": ["a1", "a1", "a2", "a2", "a2"], "due_at": due, "completed_at": done}
    )


def test_followup_completion_on_time_vs_late_vs_never(followups):
    # by the end of March every promise is due; the last one was never done
    end = "2025-03-31"
    assert kpi.followup_completion_rate(followups, as_of=end) == pytest.approx(2 / 5)
    got = kpi.followup_completion_rate(followups, method="at_all", as_of=end)
    assert got == pytest.approx(3 / 5)


def test_followup_completion_leaves_out_promises_due_after_the_data_as_of_time(followups):
    # the table records nothing after 5 March 09:00 (its last completion), so the
    # promise due on 20 March is not due yet: neither kept nor broken
    assert kpi.followup_completion_rate(followups) == pytest.approx(2 / 4)
    assert kpi.followup_completion_rate(followups, method="at_all") == pytest.approx(3 / 4)
    explicit = kpi.followup_completion_rate(followups, as_of="2025-03-05 09:00")
    assert kpi.followup_completion_rate(followups) == explicit


def test_followup_completion_as_of_time_is_the_later_of_promises_and_completions(followups):
    # a promise made on 21 March moves the data's as-of time past the 20 March due time
    made = pd.to_datetime(["2025-03-01 09:00"] * 4 + ["2025-03-21 12:00"])
    later = followups.assign(promised_at=made)
    assert kpi.followup_completion_rate(later) == pytest.approx(2 / 5)
    # promises made earlier than the last completion leave it at 5 March
    earlier = followups.assign(promised_at=pd.to_datetime(["2025-03-01 09:00"] * 5))
    assert kpi.followup_completion_rate(earlier) == pytest.approx(2 / 4)
    # promised=None ignores the column
    assert kpi.followup_completion_rate(later, promised=None) == pytest.approx(2 / 4)


def test_followup_completion_without_any_timestamp_asks_for_as_of(followups):
    never_done = followups.assign(completed_at=pd.NaT)
    with pytest.raises(ValueError, match=r"found no completion time .*; expected .* as_of="):
        kpi.followup_completion_rate(never_done)
    assert kpi.followup_completion_rate(never_done, as_of="2025-03-10") == 0.0


def test_followup_completion_as_of_counts_only_promises_due(followups):
    got = kpi.followup_completion_rate(followups, as_of="2025-03-10")
    assert got == pytest.approx(2 / 4)
    # on 4 March the late one is not done yet
    got = kpi.followup_completion_rate(followups, method="at_all", as_of="2025-03-04")
    assert got == pytest.approx(2 / 4)


def test_followup_completion_by_agent(followups):
    out = kpi.followup_completion_rate(followups, by="agent_id").set_index("agent_id")
    assert out["followup_completion_rate"].to_dict() == {"a1": 1.0, "a2": 0.0}


def test_followup_completion_rejects_promises_without_due_time(followups):
    holed = followups.copy()
    holed.loc[0, "due_at"] = pd.NaT
    with pytest.raises(ValueError, match="'due_at' column of 'followups' has 1 missing"):
        kpi.followup_completion_rate(holed)


def test_followup_completion_rejects_an_unreadable_report_date(followups):
    with pytest.raises(ValueError, match="'as_of' parameter.*must be a date"):
        kpi.followup_completion_rate(followups, as_of="next tuesday-ish")


# ------------------------------------------------------------------- aggregation


def test_aggregate_differs_from_mean_of_interval_rates_on_uneven_volumes(intervals):
    day = intervals[intervals["queue"] == "billing"].iloc[:2]  # 100 calls at 9, 10 at 21
    right = kpi.aggregate(day, kpis=["service_level"])["service_level"].iloc[0]
    wrong = kpi.mean_of_interval_rates(day)["service_level"].iloc[0]
    assert right == pytest.approx(92 / 110)
    assert wrong == pytest.approx((0.9 + 0.2) / 2)
    assert right != pytest.approx(wrong)


def test_aggregate_and_mean_of_rates_agree_when_volumes_are_equal():
    data = pd.DataFrame(
        {
            "interval_start": pd.to_datetime(["2025-03-03 09:00", "2025-03-03 09:30"]),
            "answered": [50, 50],
            "answered_within_threshold": [45, 30],
        }
    )
    right = kpi.aggregate(data, kpis=["service_level"])["service_level"]
    wrong = kpi.mean_of_interval_rates(data)["service_level"]
    assert right.tolist() == pytest.approx(wrong.tolist())


def test_aggregate_daily_by_queue_uses_summed_counts(intervals):
    out = kpi.aggregate(intervals, freq="D", by="queue")
    assert list(out.columns) == [
        "period", "queue", "offered", "service_level", "abandonment_rate", "asa", "aht",
        "occupancy",
    ]
    first = out[(out["period"] == "2025-03-03") & (out["queue"] == "billing")].iloc[0]
    assert first["offered"] == 117
    assert first["service_level"] == pytest.approx(92 / 110)
    assert first["abandonment_rate"] == pytest.approx(7 / 117)
    assert first["asa"] == pytest.approx(1400 / 110)
    assert first["occupancy"] == pytest.approx((26000 + 3000) / (18 * 1800))


def test_aggregate_monthly_labels_periods_by_month_start(intervals):
    out = kpi.aggregate(intervals, freq="MS", kpis=["answered"])
    assert out["period"].tolist() == [pd.Timestamp("2025-03-01")]
    assert out["answered"].tolist() == [190]


def test_aggregate_takes_kpi_options_and_output_names(intervals):
    out = kpi.aggregate(
        intervals,
        freq="MS",
        kpis={"sl_offered": {"kpi": "service_level", "method": "offered"}, "service_level": {}},
    )
    assert out["sl_offered"].iloc[0] == pytest.approx(161 / 197)
    assert out["service_level"].iloc[0] == pytest.approx(161 / 190)


def test_aggregate_rejects_an_unknown_kpi(intervals):
    with pytest.raises(KeyError, match="'kpis' parameter of aggregate names 'fcr'"):
        kpi.aggregate(intervals, kpis=["fcr"])


def test_aggregate_rejects_an_unknown_frequency(intervals):
    with pytest.raises(ValueError, match="'freq' parameter of aggregate must be one of"):
        kpi.aggregate(intervals, freq="M")


def test_mean_of_interval_rates_drops_intervals_without_calls():
    data = pd.DataFrame(
        {
            "interval_start": pd.to_datetime(["2025-03-03 03:00", "2025-03-03 09:00"]),
            "answered": [0, 10],
            "answered_within_threshold": [0, 6],
        }
    )
    assert kpi.mean_of_interval_rates(data)["service_level"].tolist() == [0.6]


def test_mean_of_interval_rates_says_which_option_it_sets_itself(intervals):
    msg = (r"The options of mean_of_interval_rates must not include 'table': .*it always reads "
           r"the intervals table\)\. Got table='calls' instead\.")
    with pytest.raises(ValueError, match=msg):
        kpi.mean_of_interval_rates(intervals, table="calls")


def test_mean_of_interval_rates_refuses_a_period_group_and_shows_it(intervals):
    intervals = intervals.assign(period=1)
    msg = (r"The 'by' parameter of mean_of_interval_rates must not include 'period'.*"
           r"Got by=\['queue', 'period'\] instead\.")
    with pytest.raises(ValueError, match=msg):
        kpi.mean_of_interval_rates(intervals, by=["queue", "period"])


# --------------------------------------------------------- changes and alarms


@pytest.fixture
def monthly():
    periods = pd.date_range("2024-01-01", "2025-03-01", freq="MS")
    return pd.DataFrame(
        {
            "period": periods,
            "offered": np.arange(len(periods)) * 100 + 1000,
            "service_level": np.linspace(0.70, 0.84, len(periods)),
        }
    )


def test_period_change_month_over_month_reports_points_for_rates(monthly):
    out = kpi.period_change(monthly, period="mom")
    row = out[(out["kpi"] == "service_level") & (out["period"] == "2025-03-01")].iloc[0]
    assert row["previous"] == pytest.approx(0.83)
    assert row["change"] == pytest.approx(0.01)
    assert row["change_pp"] == pytest.approx(1.0)
    assert row["relative_change"] == pytest.approx(0.01 / 0.83)
    volume = out[(out["kpi"] == "offered") & (out["period"] == "2025-03-01")].iloc[0]
    assert volume["relative_change"] == pytest.approx(100 / 2300)
    assert math.isnan(volume["change_pp"])


def test_period_change_year_over_year_compares_the_same_month(monthly):
    out = kpi.period_change(monthly, period="yoy", kpis=["offered"])
    march = out[out["period"] == "2025-03-01"].iloc[0]
    assert march["previous"] == 1200  # March 2024
    assert march["change"] == 1200
    assert out["previous"].notna().sum() == 3  # Jan-Mar 2025 have a year-ago value


def test_period_change_compares_each_group_with_itself():
    data = pd.DataFrame(
        {
            "period": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-02-01", "2025-02-01"]),
            "queue": ["billing", "plans", "billing", "plans"],
            "aht": [300.0, 200.0, 330.0, 180.0],
        }
    )
    out = kpi.period_change(data, by="queue")
    feb = out[out["period"] == "2025-02-01"].set_index("queue")
    assert feb["relative_change"].to_dict() == pytest.approx({"billing": 0.1, "plans": -0.1})


def test_period_change_accepts_a_series():
    s = pd.Series(
        [0.8, 0.75], index=pd.to_datetime(["2025-01-01", "2025-02-01"]), name="service_level"
    )
    out = kpi.period_change(s)
    assert out["change_pp"].iloc[1] == pytest.approx(-5.0)


def test_period_change_week_over_week_on_daily_figures():
    s = pd.Series(
        np.arange(15, dtype=float), index=pd.date_range("2025-03-01", periods=15), name="asa"
    )
    out = kpi.period_change(s, period="wow")
    assert out["previous"].notna().sum() == 8
    assert (out["change"].dropna() == 7.0).all()


def test_period_change_rejects_a_series_without_dates():
    with pytest.raises(TypeError, match="index of the 'data' series.*datetimes"):
        kpi.period_change(pd.Series([1.0, 2.0]))


def test_period_change_rejects_several_rows_per_period():
    data = pd.DataFrame(
        {"period": pd.to_datetime(["2025-01-01", "2025-01-01"]), "aht": [300.0, 200.0]}
    )
    with pytest.raises(ValueError, match="1 duplicated period.*by="):
        kpi.period_change(data)


def test_period_change_without_numeric_columns_says_what_it_found_and_expected():
    data = pd.DataFrame(
        {"period": pd.to_datetime(["2025-01-01", "2025-02-01"]), "team": ["red", "blue"]}
    )
    msg = (r"period_change found no numeric KPI column in 'data' \(its other columns are "
           r"\['team'\]\); expected at least one column of numbers besides 'period'.*kpis=")
    with pytest.raises(ValueError, match=msg):
        kpi.period_change(data)


def test_threshold_alarm_needs_consecutive_breaches():
    s = pd.Series(
        [0.70, 0.85, 0.75, 0.72, 0.71],
        index=pd.date_range("2025-03-03", periods=5, freq="D"),
    )
    out = kpi.threshold_alarm(s, lower=0.8, consecutive=2)
    assert out["breach"].tolist() == [True, False, True, True, True]
    assert out["flag"].tolist() == [False, False, False, True, True]


def test_threshold_alarm_with_upper_bound_per_group():
    data = pd.DataFrame(
        {
            "period": pd.to_datetime(["2025-03-03", "2025-03-04"] * 2),
            "queue": ["billing", "billing", "plans", "plans"],
            "abandonment_rate": [0.09, 0.03, 0.02, 0.10],
        }
    )
    out = kpi.threshold_alarm(data, upper=0.08, by="queue")
    assert out["flag"].tolist() == [True, False, False, True]


def test_threshold_alarm_needs_a_bound():
    with pytest.raises(ValueError, match="needs a band"):
        kpi.threshold_alarm(pd.Series([1.0], index=pd.to_datetime(["2025-01-01"])))


def test_threshold_alarm_rejects_lower_above_upper():
    s = pd.Series([1.0], index=pd.to_datetime(["2025-01-01"]))
    with pytest.raises(ValueError, match="'lower' parameter of threshold_alarm must not exceed"):
        kpi.threshold_alarm(s, lower=0.9, upper=0.8)


def test_p_chart_limits_match_a_hand_computation():
    points = pd.DataFrame(
        {
            "period": pd.date_range("2025-03-03", periods=3, freq="D"),
            "numerator": [80, 18, 60],
            "denominator": [100, 25, 75],
        }
    )
    out = kpi.p_chart(points)
    p = 158 / 200
    for n, (_, row) in zip([100, 25, 75], out.iterrows()):
        se = math.sqrt(p * (1 - p) / n)
        assert row["center"] == pytest.approx(p)
        assert row["lower"] == pytest.approx(p - 3 * se)
        assert row["upper"] == pytest.approx(min(1.0, p + 3 * se))
    assert not out["flag"].any()


def test_p_chart_from_intervals_by_day_and_queue(intervals):
    out = kpi.p_chart(
        intervals,
        numerator="answered_within_threshold",
        denominator="answered",
        time="interval_start",
        freq="D",
        by="queue",
    )
    assert list(out.columns[:2]) == ["period", "queue"]
    billing = out[out["queue"] == "billing"]
    assert billing["numerator"].tolist() == [92, 24]
    assert billing["center"].iloc[0] == pytest.approx(116 / 140)


def test_p_chart_composes_with_a_grouped_kpi(intervals):
    per_interval = kpi.service_level(intervals, method="offered", by=["interval_start", "queue"])
    out = kpi.p_chart(per_interval, time="interval_start", by="queue")
    # billing at 21:00: 2 of 12 in time, far below its centre line
    late = out[(out["queue"] == "billing") & (out["interval_start"].dt.hour == 21)].iloc[0]
    assert late["value"] == pytest.approx(2 / 12)
    assert late["flag"]


def test_p_chart_laney_widens_limits_by_sigma_z():
    points = pd.DataFrame(
        {
            "period": pd.date_range("2025-03-03", periods=4, freq="D"),
            "numerator": [400, 450, 300, 800],
            "denominator": [500, 500, 500, 1000],
        }
    )
    plain = kpi.p_chart(points)
    laney = kpi.p_chart(points, method="laney")
    p = 1950 / 2500
    counts = zip([400, 450, 300, 800], [500, 500, 500, 1000])
    z = [(x / n - p) / math.sqrt(p * (1 - p) / n) for x, n in counts]
    sigma_z = np.mean(np.abs(np.diff(z))) / 1.128
    se = math.sqrt(p * (1 - p) / 1000)
    assert laney["upper"].iloc[3] == pytest.approx(min(1, p + 3 * se * sigma_z))
    assert laney["lower"].iloc[3] == pytest.approx(p - 3 * se * sigma_z)
    assert plain["flag"].sum() > laney["flag"].sum()


def test_p_chart_baseline_sets_the_centre_line():
    points = pd.DataFrame(
        {
            "period": pd.date_range("2025-03-03", periods=3, freq="D"),
            "numerator": [80, 82, 40],
            "denominator": [100, 100, 100],
        }
    )
    out = kpi.p_chart(points, baseline=("2025-03-03", "2025-03-04"))
    assert out["center"].tolist() == pytest.approx([0.81] * 3)
    assert out["flag"].tolist() == [False, False, True]


def test_p_chart_rejects_averages():
    data = pd.DataFrame(
        {"period": pd.to_datetime(["2025-03-03"]), "numerator": [1500.0], "denominator": [100]}
    )
    with pytest.raises(ValueError, match="p-chart needs a proportion.*xmr_chart"):
        kpi.p_chart(data)


def test_xmr_chart_limits_match_a_hand_computation():
    values = [10.0, 12.0, 11.0, 14.0, 13.0]
    s = pd.Series(values, index=pd.date_range("2025-03-03", periods=5, freq="D"))
    out = kpi.xmr_chart(s)
    mr_bar = (2 + 1 + 3 + 1) / 4
    assert out["center"].iloc[0] == pytest.approx(12.0)
    assert out["upper"].iloc[0] == pytest.approx(12.0 + 3 * mr_bar / 1.128)
    assert out["lower"].iloc[0] == pytest.approx(12.0 - 2.66 * mr_bar, abs=0.01)
    assert out["moving_range"].tolist()[1:] == [2.0, 1.0, 3.0, 1.0]


def test_xmr_chart_flags_a_spike_against_a_baseline():
    s = pd.Series(
        [300.0, 312.0, 305.0, 318.0, 420.0],
        index=pd.date_range("2025-03-03", periods=5, freq="D"),
        name="aht",
    )
    assert not kpi.xmr_chart(s)["flag"].any()  # the spike inflates its own limits
    out = kpi.xmr_chart(s, baseline=("2025-03-03", "2025-03-06"))
    assert out["flag"].tolist() == [False, False, False, False, True]


def test_xmr_chart_draws_one_chart_per_group():
    data = pd.DataFrame(
        {
            "period": pd.to_datetime(["2025-03-03", "2025-03-04", "2025-03-05"] * 2),
            "queue": ["billing"] * 3 + ["plans"] * 3,
            "aht": [300.0, 310.0, 305.0, 200.0, 220.0, 210.0],
        }
    )
    out = kpi.xmr_chart(data, value="aht", by="queue").set_index("queue")
    assert out.loc["billing", "center"].tolist() == pytest.approx([305.0] * 3)
    assert out.loc["plans", "center"].tolist() == pytest.approx([210.0] * 3)
    assert out.loc["plans", "upper"].iloc[0] == pytest.approx(210 + 3 * 15 / 1.128)


def test_xmr_chart_needs_two_baseline_values():
    s = pd.Series([1.0, 2.0], index=pd.date_range("2025-03-03", periods=2, freq="D"))
    with pytest.raises(ValueError, match="at least 2 values inside the baseline"):
        kpi.xmr_chart(s, baseline=("2025-03-03", "2025-03-03"))


@pytest.mark.parametrize("bad", ["first week", "2025-13-45", object(), float("nan")],
                         ids=["words", "impossible-date", "object", "nan"])
def test_charts_explain_a_baseline_date_they_cannot_read(bad):
    points = pd.DataFrame(
        {
            "period": pd.date_range("2025-03-03", periods=3, freq="D"),
            "numerator": [80, 82, 40],
            "denominator": [100, 100, 100],
        }
    )
    msg = (r"The 'baseline' parameter of p_chart must be a \(start, end\) pair of dates, "
           r"such as .* or None for an open end\. Got .* instead: .* is not a date\.")
    with pytest.raises(ValueError, match=msg):
        kpi.p_chart(points, baseline=("2025-03-03", bad))
    s = pd.Series([1.0, 2.0, 3.0], index=points["period"])
    with pytest.raises(ValueError, match=r"'baseline' parameter of xmr_chart .* is not a date"):
        kpi.xmr_chart(s, baseline=(bad, None))


def test_xmr_chart_asks_which_column_when_several_are_numeric(monthly):
    with pytest.raises(ValueError, match="'value' parameter of xmr_chart must name the column"):
        kpi.xmr_chart(monthly)


# ---------------------------------------------------------------- properties


@st.composite
def interval_tables(draw, max_rows=8):
    rows = []
    for _ in range(draw(st.integers(1, max_rows))):
        a = draw(st.integers(0, 300))
        b = draw(st.integers(0, 60))
        bw = draw(st.integers(0, b))
        rows.append(
            {
                "interval_start": pd.Timestamp("2025-03-03")
                + pd.Timedelta(minutes=30 * draw(st.integers(0, 47))),
                "answered": a,
                "abandoned": b,
                "answered_within_threshold": draw(st.integers(0, a)),
                "abandoned_within_threshold": bw,
                "short_abandons": draw(st.integers(0, bw)),
                "wait_answered_s": draw(st.integers(0, 100)) * a,
                "talk_s": draw(st.integers(0, 400)) * a,
                "hold_s": draw(st.integers(0, 60)) * a,
                "acw_s": draw(st.integers(0, 120)) * a,
            }
        )
    return pd.DataFrame(rows)


call_tables = st.lists(
    st.tuples(st.booleans(), st.floats(0, 300, allow_nan=False)), min_size=1, max_size=60
).map(lambda rows: pd.DataFrame(rows, columns=["answered", "wait_s"]))


@settings(max_examples=60, deadline=None)
@given(interval_tables())
def test_rates_are_between_zero_and_one(table):
    for method in SL_METHODS:
        out = kpi.service_level(table, method=method, by="interval_start")
        values = out["service_level"].dropna()
        assert ((values >= 0) & (values <= 1)).all()
    for method in ["all", "exclude_short_abandons"]:
        out = kpi.abandonment_rate(table, method=method, by="interval_start")
        values = out["abandonment_rate"].dropna()
        assert ((values >= 0) & (values <= 1)).all()


@settings(max_examples=60, deadline=None)
@given(call_tables, st.floats(5, 120), st.floats(0, 120))
def test_service_level_never_falls_as_the_threshold_grows(calls, low, extra):
    high = low + extra
    for method in SL_METHODS:
        try:
            at_low = kpi.service_level(calls, table="calls", method=method, threshold_s=low)
            at_high = kpi.service_level(calls, table="calls", method=method, threshold_s=high)
        except ValueError as error:  # no call left to count under this method
            assert "denominator is 0" in str(error)
            continue
        assert at_high >= at_low - 1e-12


@settings(max_examples=60, deadline=None)
@given(interval_tables())
def test_weighted_daily_figure_equals_the_rate_of_the_summed_table(table):
    daily = kpi.aggregate(table, freq="D", kpis=["service_level", "asa", "aht"])
    summed = table.drop(columns="interval_start").sum().to_frame().T
    assert len(daily) == 1
    if summed["answered"].iloc[0] == 0:
        assert daily[["service_level", "asa", "aht"]].isna().all(axis=None)
        return
    assert daily["service_level"].iloc[0] == pytest.approx(kpi.service_level(summed))
    assert daily["asa"].iloc[0] == pytest.approx(kpi.asa(summed))
    assert daily["aht"].iloc[0] == pytest.approx(kpi.aht(summed))


@settings(max_examples=40, deadline=None)
@given(interval_tables())
def test_p_chart_limits_bracket_the_centre_line(table):
    points = kpi.service_level(table, by="interval_start")
    if points["denominator"].sum() == 0:
        return
    out = kpi.p_chart(points, time="interval_start").dropna(subset=["value"])
    assert (out["lower"] <= out["center"] + 1e-12).all()
    assert (out["center"] <= out["upper"] + 1e-12).all()
    assert ((out["lower"] >= 0) & (out["upper"] <= 1)).all()
