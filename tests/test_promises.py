"""Lesson 14 (3A Available: keep your promises): the helpers of ``callcoach.promises``,
the promise tracker driven programmatically, and the lesson's check.

Effects on the bundled datasets are asserted qualitatively (the datasets are regenerated
as the simulator is tuned): completion varies across agents far more than across teams,
overdue promises are rarely rescued, a missed promise's complaint costs several times the
follow-up work.
"""
from __future__ import annotations

import os

import altair as alt
import numpy as np
import pandas as pd
import pytest

from callcoach import checks, datasets, kpi, promises
from callcoach import followups as fu

T = pd.Timestamp


@pytest.fixture(scope="module")
def followups():
    return datasets.load("followups")


@pytest.fixture(scope="module")
def agents():
    return datasets.load("agents")


@pytest.fixture(scope="module")
def calls():
    return datasets.load("calls")


def small() -> pd.DataFrame:
    """Five promises seen at Mon 4 May 09:00: on time, late, overdue, due soon, due later;
    plus one made after that moment."""
    return pd.DataFrame({
        "followup_id": [1, 2, 3, 4, 5, 6],
        "agent_id": ["A1", "A1", "A2", "A2", "A2", "A1"],
        "promised_at": pd.to_datetime(["2026-05-01 10:00", "2026-05-01 11:00", "2026-05-01 12:00",
                                       "2026-05-03 12:00", "2026-05-04 08:00", "2026-05-04 10:00"]),
        "due_at": pd.to_datetime(["2026-05-02 10:00", "2026-05-02 11:00", "2026-05-02 12:00",
                                  "2026-05-04 12:00", "2026-05-07 08:00", "2026-05-05 10:00"]),
        "completed_at": pd.to_datetime(["2026-05-02 10:00", "2026-05-03 09:00", None,
                                        None, "2026-05-06 08:00", None]),
        "work_s": [100, 200, 300, 400, 500, 600],
        "complaint_call_id": pd.array([pd.NA, 90, 91, pd.NA, pd.NA, pd.NA], dtype="Int64"),
    })


MONDAY = T("2026-05-04 09:00")


# ------------------------------------------------------------------ data_as_of, promise_status


def test_data_as_of_is_the_moment_the_kpi_uses(followups):
    moment = promises.data_as_of(followups)
    assert kpi.followup_completion_rate(followups, as_of=moment) == kpi.followup_completion_rate(followups)
    assert moment == max(followups["promised_at"].max(), followups["completed_at"].max())


def test_data_as_of_says_what_is_missing():
    with pytest.raises(KeyError, match="completed_at"):
        promises.data_as_of(pd.DataFrame({"due_at": [T("2026-05-01")]}))
    with pytest.raises(ValueError, match="found no time"):
        promises.data_as_of(pd.DataFrame({"completed_at": pd.to_datetime([None])}))
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        promises.data_as_of([1, 2])


def test_promise_status_gives_every_status_and_leaves_out_later_promises():
    status = promises.promise_status(small(), as_of=MONDAY)
    assert status["status"].astype(str).tolist() == [
        "done on time", "done late", "overdue", "due within 24 h", "due later"]
    assert 6 not in status["followup_id"].tolist()      # made after the moment
    assert status["hours_to_due"].tolist() == pytest.approx([-47, -46, -45, 3, 71])


def test_a_completion_after_the_moment_does_not_count_yet():
    status = promises.promise_status(small(), as_of=T("2026-05-02 12:00"))
    by_id = status.set_index("followup_id")["status"].astype(str)
    assert by_id[2] == "overdue"                        # done on 3 May, not known on 2 May
    assert by_id[1] == "done on time"                   # done exactly at the due time


def test_promise_status_agrees_with_the_kpi_on_the_bundled_data(followups):
    status = promises.promise_status(followups, as_of=MONDAY)
    due = status[status["hours_to_due"] <= 0]
    on_time = (due["status"] == "done on time").mean()
    assert on_time == pytest.approx(kpi.followup_completion_rate(followups, as_of=MONDAY))
    at_all = due["status"].isin(["done on time", "done late"]).mean()
    assert at_all == pytest.approx(kpi.followup_completion_rate(followups, as_of=MONDAY, method="at_all"))


@pytest.mark.parametrize("bad, error, words", [
    ({"as_of": "not a date"}, ValueError, "'as_of' parameter of promise_status"),
    ({"soon_h": 0}, ValueError, "'soon_h' parameter"),
    ({"due": "due_day"}, KeyError, "due_day"),
])
def test_promise_status_rejects_bad_input(bad, error, words):
    with pytest.raises(error, match=words):
        promises.promise_status(small(), **{"as_of": MONDAY, **bad})


def test_promise_status_wants_datetimes_and_due_times():
    text = small().assign(due_at=lambda d: d["due_at"].astype(str))
    with pytest.raises(TypeError, match="must hold datetimes.*pd.to_datetime"):
        promises.promise_status(text, as_of=MONDAY)
    no_due = small().assign(due_at=lambda d: d["due_at"].where(d.index != 0))
    with pytest.raises(ValueError, match="1 missing value"):
        promises.promise_status(no_due, as_of=MONDAY)


# ------------------------------------------------------------------ completion_by


def test_completion_by_agent_is_the_kpi_per_agent(followups):
    mine = promises.completion_by(followups, by="agent_id").set_index("agent_id")
    kpi_rates = kpi.followup_completion_rate(followups, by="agent_id").set_index("agent_id")
    assert mine["on_time_rate"].to_numpy() == pytest.approx(kpi_rates["followup_completion_rate"].to_numpy())
    assert (mine["promises_due"] == kpi_rates["denominator"]).all()
    assert (mine["kept_at_all"] >= mine["kept_on_time"]).all()


def test_completion_by_team_pools_promises_and_takes_teams_from_agents(followups, agents):
    teams = promises.completion_by(followups, by="team_id", agents=agents).set_index("team_id")
    assert set(teams.index) == set(agents.loc[agents["agent_id"].isin(followups["agent_id"]), "team_id"])
    team = teams.index[0]
    rows = followups[followups["agent_id"].isin(agents.loc[agents["team_id"] == team, "agent_id"])]
    assert teams.at[team, "on_time_rate"] == pytest.approx(
        kpi.followup_completion_rate(rows, as_of=promises.data_as_of(followups)))
    assert teams["promises_due"].sum() == promises.completion_by(followups)["promises_due"].iloc[0]


def test_completion_varies_far_more_across_agents_than_across_teams(followups, agents):
    per_agent = promises.completion_by(followups, by=["team_id", "agent_id"], agents=agents, min_due=20)
    per_team = promises.completion_by(followups, by="team_id", agents=agents)
    agent_range = per_agent["on_time_rate"].max() - per_agent["on_time_rate"].min()
    team_range = per_team["on_time_rate"].max() - per_team["on_time_rate"].min()
    assert agent_range > 0.25
    assert agent_range > 2 * team_range
    assert (per_agent["promises_due"] >= 20).all()


def test_completion_by_without_by_gives_one_row():
    whole = promises.completion_by(small(), as_of=MONDAY)
    assert whole.to_dict("records") == [{"promises_due": 3, "kept_on_time": 1, "kept_at_all": 2,
                                         "on_time_rate": pytest.approx(1 / 3), "at_all_rate": pytest.approx(2 / 3)}]


def test_completion_by_says_where_a_grouping_column_is_missing(followups, agents):
    with pytest.raises(KeyError, match="Pass agents=datasets.load"):
        promises.completion_by(followups, by="team_id")
    with pytest.raises(KeyError, match="'shift' in 'agents'|needs the column"):
        promises.completion_by(followups, by="shift", agents=agents)
    with pytest.raises(ValueError, match="'min_due' parameter"):
        promises.completion_by(followups, by="agent_id", min_due=0)


# ------------------------------------------------------------------ ageing


def test_ageing_outcome_counts_like_the_followups_module(followups):
    ageing = promises.ageing_outcome(followups, as_of=MONDAY, edges_days=(1, 3))
    counted = fu.open_promise_ageing(followups, as_of=MONDAY, edges_days=(1, 3))
    assert ageing["band"].tolist() == counted["band"].tolist()
    assert ageing["open_promises"].tolist() == counted["open_promises"].tolist()
    assert ageing["share"].sum() == pytest.approx(1.0)
    assert (ageing["never_done"] <= ageing["open_promises"]).all()


def test_overdue_promises_are_rarely_rescued_once_old(followups):
    later = promises.ageing_outcome(followups, as_of=MONDAY, edges_days=(1, 2, 7)).set_index("band")["done_later"]
    assert later["not_yet_due"] > later["up_to_1_day"] > later["2_to_7_days"]
    assert later["over_7_days"] < 0.05


def test_ageing_outcome_on_a_small_table():
    ageing = promises.ageing_outcome(small(), as_of=MONDAY, edges_days=(1, 3)).set_index("band")
    assert ageing["open_promises"].tolist() == [2, 0, 1, 0]     # not due: 4 and 5; 3 is ~1.9 days overdue
    assert ageing.at["not_yet_due", "done_later"] == pytest.approx(0.5)
    assert np.isnan(ageing.at["up_to_1_day", "done_later"])


def test_ageing_outcome_when_every_promise_was_done():
    done = small().assign(completed_at=T("2026-05-20"))
    ageing = promises.ageing_outcome(done, as_of=MONDAY)
    assert (ageing["never_done"] == 0).all()


def test_ageing_outcome_rejects_bad_edges():
    with pytest.raises(ValueError, match="edges_days"):
        promises.ageing_outcome(small(), as_of=MONDAY, edges_days=(3, 1))


# ------------------------------------------------------------------ complaint cost


def test_complaint_cost_on_a_small_table():
    calls = pd.DataFrame({"call_id": [90, 91], "answered": [True, False], "talk_s": [600, 0],
                          "hold_s": [100, 0], "acw_s": [200, 0]})
    cost = promises.complaint_cost(small(), calls, as_of=MONDAY).set_index("outcome")
    assert cost["promises"].tolist() == [1, 1, 1]
    assert cost["complaints"].tolist() == [0, 1, 1]
    assert cost.at["kept late", "complaint_handle_s"] == 900
    assert np.isnan(cost.at["not kept", "complaint_handle_s"])    # its complaint call was abandoned
    assert cost.at["kept late", "hours_ratio"] == pytest.approx(900 / 200)
    assert cost.at["kept on time", "complaint_rate"] == 0


def test_missed_promises_bring_complaints_that_cost_several_times_the_work(followups, calls):
    cost = promises.complaint_cost(followups, calls).set_index("outcome")
    rate = cost["complaint_rate"]
    assert rate["not kept"] > rate["kept late"] > rate["kept on time"]
    assert rate["not kept"] > 0.3
    assert cost.at["not kept", "complaint_handle_s"] > 3 * cost.at["kept on time", "followup_work_s"]
    assert cost.at["not kept", "hours_ratio"] > 1         # skipping work costs more work
    assert fu.complaint_cost_ratio(followups, calls) > 3


def test_complaint_cost_names_missing_columns(followups, calls):
    with pytest.raises(KeyError, match="work_s"):
        promises.complaint_cost(followups.drop(columns="work_s"), calls)
    with pytest.raises(KeyError, match="talk_s.*'calls'"):
        promises.complaint_cost(followups, calls.drop(columns="talk_s"))


# ------------------------------------------------------------------ workload, history


def test_followup_workload_adds_up_work_and_scheduled_time():
    schedules = pd.DataFrame({
        "agent_id": ["A1", "A1", "A2"], "date": pd.to_datetime(["2026-05-01"] * 3),
        "activity": ["followup", "phones", "followup"],
        "start": pd.to_datetime(["2026-05-01 12:00", "2026-05-01 08:00", "2026-05-01 15:00"]),
        "end": pd.to_datetime(["2026-05-01 12:30", "2026-05-01 12:00", "2026-05-01 15:30"])})
    load = promises.followup_workload(small(), schedules).set_index(["agent_id", "date"])
    assert load.loc[("A1", T("2026-05-01")), ["promises", "work_min", "scheduled_min"]].tolist() == [2, 5.0, 30.0]
    assert load.loc[("A2", T("2026-05-01")), "scheduled_min"] == 30.0
    assert load.loc[("A2", T("2026-05-03")), "scheduled_min"] == 0          # a promise, no follow-up time
    with pytest.raises(KeyError, match="activity"):
        promises.followup_workload(small(), schedules.drop(columns="activity"))


def test_follow_up_time_covers_an_average_shift_but_not_the_busy_ones(followups):
    load = promises.followup_workload(followups, datasets.load("schedules"))
    with_time = load[load["scheduled_min"] > 0]
    assert with_time["work_min"].mean() < with_time["scheduled_min"].median()
    assert (with_time["work_min"] > with_time["scheduled_min"]).mean() > 0.05


def test_on_time_completion_falls_in_the_busiest_months():
    monthly = datasets.load("monthly")
    busiest = monthly.groupby("month")["offered"].sum().nlargest(2).index
    busy = monthly["month"].isin(busiest)
    assert (monthly.loc[busy, "followup_completion_rate"].median()
            < monthly.loc[~busy, "followup_completion_rate"].median() - 0.05)


def test_history_for_shows_the_week_as_it_stood(followups):
    mine = promises.history_for(followups, "A014", as_of=MONDAY, days=7)
    assert list(mine.columns) == promises.TRACKER_COLUMNS
    assert mine["promised_at"].between(MONDAY - pd.Timedelta(days=7), MONDAY).all()
    assert (mine["completed_at"].dropna() <= MONDAY).all()
    raw = followups.set_index("followup_id").loc[mine["promise_id"], "completed_at"]
    assert (raw.to_numpy() > MONDAY).sum() == mine["completed_at"].isna().sum() - raw.isna().sum()


def test_history_for_rejects_an_unknown_agent_and_a_bad_window(followups):
    with pytest.raises(KeyError, match="'Z999'.*Agents with promises: 'A0"):
        promises.history_for(followups, "Z999", as_of=MONDAY)
    with pytest.raises(ValueError, match="'days' parameter"):
        promises.history_for(followups, "A014", as_of=MONDAY, days=0)


# ------------------------------------------------------------------ charts


def test_charts_title_their_finding_and_label_their_axes(followups, agents):
    per_agent = promises.completion_by(followups, by=["team_id", "agent_id"], agents=agents, min_due=20)
    per_team = promises.completion_by(followups, by="team_id", agents=agents)
    spec = promises.completion_strip(per_agent, per_team).to_dict()
    assert spec["title"]["text"].startswith("Agents' on-time rates run from")
    assert spec["layer"][0]["encoding"]["x"]["title"] == "Promises kept on time (% of promises due)"
    ageing = promises.ageing_outcome(followups, as_of=MONDAY)
    spec = promises.ageing_chart(ageing, as_of=MONDAY).to_dict()
    assert "open promises were overdue" in spec["title"]["text"]
    assert spec["layer"][0]["encoding"]["y"]["title"] == "Open promises"


def test_workload_chart_draws_more_shifts_than_altair_embeds_raw(followups):
    load = promises.followup_workload(followups, datasets.load("schedules"))
    assert len(load) > alt.data_transformers.options.get("max_rows", 5000)
    spec = promises.workload_chart(load[load["scheduled_min"] > 0]).to_dict()
    assert spec["title"]["text"].startswith("On ")
    assert "minutes" in spec["layer"][0]["encoding"]["x"]["title"]


def test_monthly_chart_shades_the_months_asked():
    monthly = datasets.load("monthly")
    spec = promises.monthly_completion_chart(monthly, highlight=["2025-02-01", "2025-03-01"], title="t").to_dict()
    shaded = next(v for v in spec["datasets"].values() if v and "start" in v[0])
    assert len(shaded) == 2
    with pytest.raises(ValueError, match="'highlight' parameter"):
        promises.monthly_completion_chart(monthly, highlight=["soon"])


def test_tracker_chart_with_nothing_open():
    status = promises.promise_status(pd.DataFrame(columns=promises.TRACKER_COLUMNS).astype(
        {"promised_at": "datetime64[us]", "due_at": "datetime64[us]", "completed_at": "datetime64[us]"}),
        as_of=MONDAY)
    assert promises.tracker_chart(status, now=MONDAY).to_dict()["title"]["text"] == "Nothing open: every promise is done"


# ------------------------------------------------------------------ the tracker


def test_tracker_adds_marks_done_goes_overdue_and_counts_rates():
    tracker = promises.promise_tracker(now=MONDAY)
    assert "0 open" in tracker.summary.value and "No promise is due yet" in tracker.summary.value
    a = tracker.add("Ms Chen", "call back", "2026-05-04 17:00", note="new SIM working?")
    b = tracker.add("Mr Li", "mail", "2026-05-05 12:00")
    assert (a, b) == (1, 2)
    assert [v for _, v in tracker.open_list.options] == [1, 2]
    assert "new SIM working?" in tracker.open_list.options[0][0]
    tracker.mark_done(a)
    tracker.advance(hours=30)                                   # Tue 15:00
    assert tracker.status()["status"].astype(str).tolist() == ["done on time", "overdue"]
    assert "1 overdue" in tracker.summary.value and "1 of 2" in tracker.summary.value
    tracker.mark_done(b)                                        # late
    rates = tracker.rates().iloc[0]
    assert (rates["on_time_rate"], rates["at_all_rate"]) == (0.5, 1.0)
    assert rates["on_time_rate"] == kpi.followup_completion_rate(tracker.table, as_of=tracker.now)
    assert tracker.open_list.options == ()


def test_tracker_rejects_bad_promises_with_reasons():
    tracker = promises.promise_tracker(now=MONDAY)
    with pytest.raises(ValueError, match="needs a customer"):
        tracker.add("  ", "mail", "2026-05-05")
    with pytest.raises(ValueError, match="kind of a promise must be one of 'callback', 'mail'"):
        tracker.add("Ms Chen", "fax", "2026-05-05")
    with pytest.raises(ValueError, match="fall due after it is made"):
        tracker.add("Ms Chen", "mail", "2026-05-03")
    with pytest.raises(ValueError, match="'due' parameter of add"):
        tracker.add("Ms Chen", "mail", "tomorrow-ish")
    first = tracker.add("Ms Chen", "mail", "2026-05-05")
    tracker.mark_done(first)
    with pytest.raises(ValueError, match="already marked done"):
        tracker.mark_done(first)
    with pytest.raises(KeyError, match="no promise #99"):
        tracker.mark_done(99)
    second = tracker.add("Mr Li", "mail", "2026-05-06")
    with pytest.raises(ValueError, match="before it was made"):
        tracker.mark_done(second, at="2026-05-01")
    with pytest.raises(ValueError, match="'hours' parameter of advance"):
        tracker.advance(hours=-1)


def test_tracker_remove_and_the_real_clock():
    tracker = promises.promise_tracker()
    assert abs(tracker.now - pd.Timestamp.now()) < pd.Timedelta(minutes=1)
    assert "practice clock" not in tracker.clock.value
    pid = tracker.add("Ms Chen", "test_and_report", pd.Timestamp.now() + pd.Timedelta(hours=2))
    assert "1 open" in tracker.summary.value
    tracker.remove(pid)
    assert tracker.table.empty
    with pytest.raises(ValueError, match="follows the computer's clock"):
        tracker.advance(hours=1)


def test_tracker_form_and_buttons_show_results_and_errors():
    tracker = promises.promise_tracker(now=MONDAY)
    tracker.done_button.click()
    assert "Pick a promise" in tracker.message.value
    tracker.customer.value = "Ms Chen"
    tracker.kind.value = "mail"
    tracker.due_date.value = pd.Timestamp("2026-05-05").date()
    before = tracker.summary.value
    tracker.add_button.click()
    assert "Added promise #1" in tracker.message.value
    assert tracker.summary.value != before and "1 open" in tracker.summary.value
    assert tracker.customer.value == ""                          # ready for the next one
    tracker.due_date.value = pd.Timestamp("2026-05-01").date()
    tracker.customer.value = "Mr Li"
    tracker.add_button.click()
    assert "Not done" in tracker.message.value and "fall due after" in tracker.message.value
    tracker.open_list.value = 1
    tracker.done_button.click()
    assert "done, on time" in tracker.message.value
    assert "0 open" in tracker.summary.value


def test_tracker_starts_from_an_agents_history(followups):
    mine = promises.history_for(followups, "A014", as_of=MONDAY)
    tracker = promises.promise_tracker(mine, now=MONDAY)
    rate = tracker.rates()["on_time_rate"].iloc[0]
    assert rate == pytest.approx(kpi.followup_completion_rate(mine, as_of=MONDAY))
    assert f"(<b>{rate:.0%}</b>)" in tracker.summary.value
    assert tracker.add("Ms Chen", "mail", "2026-05-05 10:00") == mine["promise_id"].max() + 1


def test_tracker_keeps_its_promises_in_a_file(tmp_path):
    path = tmp_path / "my-promises.csv"
    tracker = promises.promise_tracker(now=MONDAY, path=path)
    pid = tracker.add("Ms Chen, flat 3", "callback", "2026-05-04 17:00", note="check the \"new\" router")
    tracker.mark_done(pid, at="2026-05-04 12:00")
    again = promises.promise_tracker(now=MONDAY, path=path)
    pd.testing.assert_frame_equal(again.table, tracker.table)
    with pytest.raises(ValueError, match="give one or the other"):
        promises.promise_tracker(tracker.table, path=path)


def test_tracker_explains_a_file_or_table_it_cannot_use(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("who,when\nMs Chen,tomorrow\n")
    with pytest.raises(KeyError, match="need the column.*'promise_id'"):
        promises.promise_tracker(path=bad)
    with pytest.raises(TypeError, match="'promises' parameter of promise_tracker"):
        promises.promise_tracker([("Ms Chen", "mail")])
    with pytest.raises(ValueError, match="'now' parameter of promise_tracker"):
        promises.promise_tracker(now="later")


def test_tracker_under_nbgrader_draws_a_static_chart(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    tracker = promises.promise_tracker(now=MONDAY)
    tracker.add("Ms Chen", "mail", "2026-05-05")
    assert not isinstance(tracker.chart, alt.JupyterChart)
    assert os.environ["NBGRADER_EXECUTION"] == "autograde"


# ------------------------------------------------------------------ the lesson's check


def test_team_check_catches_the_usual_wrong_answers(followups, agents, monkeypatch):
    shown = []
    monkeypatch.setattr(checks, "display", lambda html: shown.append(html.data))
    teams = promises.completion_by(followups, by="team_id", agents=agents).set_index("team_id")
    per_agent = promises.completion_by(followups, by=["team_id", "agent_id"], agents=agents)
    team = "billing-2"
    right = teams.at[team, "on_time_rate"]
    for got in (right, teams.at[team, "at_all_rate"], right * 100,
                per_agent.loc[per_agent["team_id"] == team, "on_time_rate"].mean(),
                kpi.followup_completion_rate(followups), ...):
        checks.team_on_time_rate(got, followups, agents, team=team)
    assert "Right" in shown[0]
    assert "at any time" in shown[1]
    assert "not a percentage" in shown[2]
    assert "plain average" in shown[3]
    mean_of_agents = per_agent.loc[per_agent["team_id"] == team, "on_time_rate"].mean()
    if abs(mean_of_agents - kpi.followup_completion_rate(followups)) > 0.0005:   # not the same number by chance
        assert "whole centre" in shown[4]
    assert "Replace the" in shown[5]
    with pytest.raises(KeyError, match="not a team"):
        checks.team_on_time_rate(right, followups, agents, team="nowhere-9")
