"""Module 1 (the 3A model) lessons: the helpers and on-the-spot checks behind lessons 11 to 13.

The effect sizes checked here are those of the committed datasets
(``instructor/README.md``): proactive service costs time per call and saves it per issue.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from callcoach import charts, checks, datasets, erlang, kpi, widgets


@pytest.fixture(scope="module")
def calls():
    return datasets.load("calls")


@pytest.fixture(scope="module")
def rates(calls):
    return widgets.proactive_rates(calls)


def test_proactive_rates_show_longer_calls_but_less_work_per_issue(rates):
    by = rates.set_index("proactive_offer")
    assert by.at[True, "aht_s"] > by.at[False, "aht_s"]
    assert by.at[True, "handle_s_per_issue"] < by.at[False, "handle_s_per_issue"]
    assert by.at[True, "repeat_rate"] < by.at[False, "repeat_rate"]
    assert (rates["calls_per_issue"] >= 1).all()


def test_proactive_rates_agree_with_kpi_aht_per_call_overall(calls, rates):
    handle = (rates["handle_s_per_issue"] * rates["issues"]).sum()
    n_calls = (rates["calls_per_issue"] * rates["issues"]).sum()
    assert handle / n_calls == pytest.approx(kpi.aht(calls, table="calls"), rel=1e-9)
    assert rates["issues"].sum() == kpi.aht(calls, table="calls", method="per_issue", by="queue")["denominator"].sum()


def test_projection_at_the_ends_reproduces_each_group(rates):
    proj = widgets.proactive_projection(rates, [0.0, 1.0], issues_per_half_hour=50)
    by = rates.set_index("proactive_offer")
    assert proj["aht_s"].tolist() == pytest.approx([by.at[False, "aht_s"], by.at[True, "aht_s"]])
    assert proj["calls_per_half_hour"].tolist() == pytest.approx(
        [50 * by.at[False, "calls_per_issue"], 50 * by.at[True, "calls_per_issue"]])
    expected = erlang.required_agents(proj["calls_per_half_hour"] / 30, proj["aht_s"], target_service_level=0.8)
    assert proj["agents_needed"].tolist() == list(np.asarray(expected))


def test_more_proactive_calls_never_need_more_agents_on_the_bundled_data(rates):
    proj = widgets.proactive_projection(rates, np.linspace(0, 1, 21), issues_per_half_hour=200)
    assert proj["aht_s"].is_monotonic_increasing
    assert proj["calls_per_half_hour"].is_monotonic_decreasing
    assert proj["agents_needed"].is_monotonic_decreasing
    assert proj["agents_needed"].iloc[0] > proj["agents_needed"].iloc[-1]


@pytest.mark.parametrize("bad", [[-0.1], [1.5], [np.nan], []])
def test_projection_rejects_shares_outside_zero_one(rates, bad):
    with pytest.raises(ValueError, match="'shares' parameter of proactive_projection"):
        widgets.proactive_projection(rates, bad, issues_per_half_hour=10)


def test_projection_rejects_a_non_positive_volume_and_a_one_sided_rates_table(rates):
    with pytest.raises(ValueError, match="issues_per_half_hour"):
        widgets.proactive_projection(rates, [0.5], issues_per_half_hour=0)
    with pytest.raises(ValueError, match="one row with proactive_offer True"):
        widgets.proactive_projection(rates.iloc[:1], [0.5], issues_per_half_hour=10)


def test_proactive_explorer_summary_follows_the_slider(calls):
    app = widgets.proactive_explorer(calls)
    current = widgets.proactive_rates(calls)  # the slider starts at today's share, to 5 %
    share = (current["issues"] * current["proactive_offer"]).sum() / current["issues"].sum()
    assert app.controls["share"].value == pytest.approx(round(share * 20) / 20)
    before = app.summary.value
    app.controls["share"].value = 1.0
    assert app.summary.value != before
    assert "<b>100%</b>" in app.summary.value and "agents needed" in app.summary.value


def test_agents_chart_title_states_the_direction():
    df = pd.DataFrame({"proactive_share": [0.0, 1.0], "agents_needed": [30, 30]})
    assert "the same number of agents" in charts.agents_by_proactive_share(df).to_dict()["title"]["text"]


def test_compare_bars_colours_a_second_grouping():
    df = pd.DataFrame({"band": ["new", "new"], "offer": ["no", "yes"], "aht": [500.0, 540.0]})
    spec = charts.compare_bars(df, x="aht", y="band", color="offer", title="t", x_title="AHT (s)").to_dict()
    assert spec["layer"][0]["encoding"]["color"]["field"] == "offer"


def test_promise_check_catches_at_all_instead_of_on_time():
    followups = datasets.load("followups")
    at_all = kpi.followup_completion_rate(followups, method="at_all")
    on_time = kpi.followup_completion_rate(followups)
    html = checks.feedback(at_all, on_time, right="", hints={"a": (at_all, "late ones too")})
    assert "late ones too" in html
    # the lesson's check itself: right answer, at-all answer and unanswered all display without raising
    for got in (on_time, at_all, ...):
        checks.promises_kept_on_time(got, followups)


def test_handle_time_check_tells_per_call_from_per_issue(calls, monkeypatch):
    shown = []
    monkeypatch.setattr(checks, "display", lambda html: shown.append(html.data))
    checks.handle_time_per_issue(kpi.aht(calls, table="calls"), calls)
    checks.handle_time_per_issue(kpi.aht(calls, table="calls", method="per_issue") / 60, calls)
    checks.handle_time_per_issue(kpi.aht(calls, table="calls", method="per_issue"), calls)
    assert "per <b>call</b>" in shown[0]
    assert "seconds" in shown[1]
    assert "Right" in shown[2]



@pytest.fixture
def shown(monkeypatch):
    """The lines the lesson checks display, in order."""
    lines = []
    monkeypatch.setattr(checks, "display", lambda html: lines.append(html.data))
    return lines


@pytest.fixture(scope="module")
def followups():
    return datasets.load("followups")


def _check_says(check, cases, shown):
    """Run ``check`` on each (answer, text) case: the line it shows must contain the text."""
    for got, _ in cases:
        check(got)
    assert len(shown) == len(cases)
    for (got, text), html in zip(cases, shown):
        assert text in html, (got, html)


def test_promise_check_count_hint_fires_for_the_promises_kept_on_time(followups, shown):
    # counted independently: promises due by the data's last timestamp, completed no later than due
    as_of = max(followups["promised_at"].max(), followups["completed_at"].max())
    due = followups[followups["due_at"] <= as_of]
    kept = int((due["completed_at"] <= due["due_at"]).sum())
    assert kpi.followup_completion_rate(followups) == pytest.approx(kept / len(due))
    assert kept != round(kpi.followup_completion_rate(followups) * len(followups))  # the old hint's number
    _check_says(lambda got: checks.promises_kept_on_time(got, followups),
                [(kept, "number of promises kept on time")], shown)


def test_promise_check_accepts_two_decimals_and_still_names_the_wrong_definitions(followups, shown):
    on_time = kpi.followup_completion_rate(followups)
    at_all = kpi.followup_completion_rate(followups, method="at_all")
    as_of = max(followups["promised_at"].max(), followups["completed_at"].max())
    due = followups[followups["due_at"] <= as_of]
    kept = int((due["completed_at"] <= due["due_at"]).sum())
    naive = (followups["completed_at"] <= followups["due_at"]).mean()  # every promise, early completions too
    _check_says(lambda got: checks.promises_kept_on_time(got, followups), [
        (round(on_time, 2), "Right"),
        (round(on_time, 4), "Right"),
        (round(on_time, 1), "rounded too far"),
        (round(at_all, 2), "late ones too"),
        (round(on_time * 100, 1), "not a percentage"),
        (round(kept / len(followups), 2), "every promise"),
        (naive, "including the"),  # unrounded; rounded to 2 decimals it is the right answer
        (round(naive, 3), "not yet due"),
        (round(kept / due["completed_at"].notna().sum(), 2), "promises completed"),
    ], shown)


def test_handle_time_check_accepts_whole_seconds(calls, shown):
    per_issue = kpi.aht(calls, table="calls", method="per_issue")
    per_call = kpi.aht(calls, table="calls")
    _check_says(lambda got: checks.handle_time_per_issue(got, calls), [
        (round(per_issue), "Right"),
        (round(per_issue, 1), "Right"),
        (round(per_call), "per <b>call</b>"),
        (round(per_issue / 60, 1), "<b>seconds</b>"),
        (round(per_issue) + 5, "per-issue method"),
    ], shown)


def test_ticket_share_check_accepts_two_decimals_and_names_the_wrong_denominators(calls, shown):
    tickets = datasets.load("feedback_tickets")
    roaming = calls[calls["reason"] == "roaming_charges"]
    ticketed = roaming["call_id"].isin(tickets["call_id"])
    share = ticketed[roaming["answered"]].mean()
    _check_says(lambda got: checks.ticket_share(got, calls, tickets, reason="roaming_charges"), [
        (round(share, 2), "Right"),
        (round(share, 3), "Right"),
        (round(ticketed.sum() / len(roaming), 3), "divides by all calls"),
        (round((tickets["reason"] == "roaming_charges").mean(), 2), "<b>all tickets</b>"),
        (int(ticketed.sum()), "number of tickets"),
        (round(share * 100), "not a percentage"),
    ], shown)


def test_team_rate_check_accepts_two_decimals_and_names_the_averaging_mistake(followups, shown):
    from callcoach import promises

    agents = datasets.load("agents")
    teams = promises.completion_by(followups, by="team_id", agents=agents).set_index("team_id")
    rate = float(teams.at["billing-2", "on_time_rate"])
    _check_says(lambda got: checks.team_on_time_rate(got, followups, agents, team="billing-2"), [
        (round(rate, 2), "Right"),
        (round(rate, 3), "Right"),
        (round(float(teams.at["billing-2", "at_all_rate"]), 3), "at any time"),
        (round(rate * 100, 1), "not a percentage"),
    ], shown)
