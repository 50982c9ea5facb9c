"""Tests for callcoach.drivers: hand-computed tables, bad input, properties, and the
simulated world's fix (exercise 1.3's hidden checks rely on these functions)."""
from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from callcoach import drivers

FIX = pd.Timestamp("2026-10-05")


def weekly_calls(rates: dict, *, start: str = "2026-09-14", retrials: int = 0) -> pd.DataFrame:
    """Calls at 10:00 every day: ``rates[(queue, reason)]`` is the calls per day of each week."""
    rows = []
    first_day = pd.Timestamp(start) + pd.Timedelta(hours=10)
    for (queue, reason), per_week in rates.items():
        for week, rate in enumerate(per_week):
            for day in range(7):
                when = first_day + pd.Timedelta(days=7 * week + day)
                rows += [(queue, reason, when, False)] * rate
                rows += [(queue, reason, when + pd.Timedelta(minutes=5), True)] * retrials
    calls = pd.DataFrame(rows, columns=["queue", "reason", "arrival_time", "retrial"])
    calls["answered"] = True
    calls["call_id"] = np.arange(len(calls)) + 1
    return calls


EXAMPLE = weekly_calls({
    ("billing", "roaming_charges"): [5, 3, 3, 1, 2],
    ("billing", "bill_query"): [8, 10, 10, 13, 9],
    ("technical", "no_signal"): [5, 5, 5, 10, 10],
})


# --------------------------------------------------------------------------- Pareto


def pareto_calls() -> pd.DataFrame:
    counts = [("bill_query", True, 6), ("bill_query", False, 2), ("roaming_charges", True, 4),
              ("roaming_charges", False, 5), ("add_on", True, 3), ("no_signal", True, 2),
              ("cancel", True, 1), ("cancel", False, 1)]
    calls = pd.DataFrame([(r, a) for r, a, n in counts for _ in range(n)], columns=["reason", "answered"])
    calls["retrial"] = [i % 5 == 0 for i in range(len(calls))]
    return calls.sample(frac=1, random_state=1)


def test_driver_shares_counts_answered_calls_largest_first():
    shares = drivers.driver_shares(pareto_calls())
    assert shares["reason"].tolist() == ["bill_query", "roaming_charges", "add_on", "no_signal", "cancel"]
    assert shares["calls"].tolist() == [6, 4, 3, 2, 1]
    assert np.allclose(shares["share"], np.array([6, 4, 3, 2, 1]) / 16)
    assert np.allclose(shares["cumulative"], [0.375, 0.625, 0.8125, 0.9375, 1.0])
    assert shares.index.tolist() == list(range(5))


def test_driver_shares_counts_offered_calls_and_first_tries_when_asked():
    calls = pareto_calls()
    offered = drivers.driver_shares(calls, count="offered")
    assert offered["calls"].sum() == len(calls)
    assert offered["reason"].iloc[0] == "roaming_charges"  # 9 offered, 4 answered
    first = drivers.driver_shares(calls, count="first_tries")
    assert first["calls"].sum() == int((~calls["retrial"]).sum())


def test_driver_shares_breaks_ties_by_reason_name():
    calls = pd.DataFrame({"reason": ["b", "a", "c", "c"], "answered": True})
    assert drivers.driver_shares(calls)["reason"].tolist() == ["c", "a", "b"]


def test_driver_shares_names_the_reason_column_as_asked():
    calls = pd.DataFrame({"driver": ["x", "y", "x"], "answered": True})
    assert drivers.driver_shares(calls, reason="driver").columns.tolist() == [
        "driver", "calls", "share", "cumulative"]


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"count": "all"}, ValueError, "'count' parameter of driver_shares must be one of"),
    ({"reason": "why"}, KeyError, "needs the column\\(s\\) 'why'"),
])
def test_driver_shares_bad_input_says_what_was_wrong(kwargs, error, match):
    with pytest.raises(error, match=match):
        drivers.driver_shares(pareto_calls(), **kwargs)


def test_driver_shares_with_no_answered_call_explains():
    calls = pd.DataFrame({"reason": ["a"], "answered": [False]})
    with pytest.raises(ValueError, match="found no calls to count with count='answered'"):
        drivers.driver_shares(calls)


def test_top_drivers_includes_the_reason_that_crosses_the_line():
    shares = drivers.driver_shares(pareto_calls())
    assert drivers.top_drivers(shares, 0.8) == ["bill_query", "roaming_charges", "add_on"]
    assert drivers.top_drivers(shares, 0.625) == ["bill_query", "roaming_charges"]  # exactly reached
    assert drivers.top_drivers(shares, 0.3) == ["bill_query"]
    assert drivers.top_drivers(shares, 1.0) == shares["reason"].tolist()


def test_top_drivers_is_not_fooled_by_float_rounding():
    shares = pd.DataFrame({"reason": list("abcdefgh"), "share": [0.1] * 7 + [0.3]})
    assert len(drivers.top_drivers(shares, 0.8)) == 6  # 0.3 + 5 x 0.1 = 0.8 in exact arithmetic


def test_top_drivers_sorts_an_unsorted_table():
    shares = pd.DataFrame({"reason": ["small", "big"], "share": [0.2, 0.8]})
    assert drivers.top_drivers(shares, 0.5) == ["big"]


@pytest.mark.parametrize(("cover", "error", "match"), [
    (80, ValueError, "Did you mean 0.8"),
    (0, ValueError, "must be a fraction above 0"),
    ("0.8", TypeError, "must be a fraction above 0"),
])
def test_top_drivers_rejects_a_cover_that_is_not_a_fraction(cover, error, match):
    with pytest.raises(error, match=match):
        drivers.top_drivers(drivers.driver_shares(pareto_calls()), cover)


def test_top_drivers_needs_the_share_of_every_reason():
    shares = pd.DataFrame({"reason": ["a", "b"], "share": [0.3, 0.2]})
    with pytest.raises(ValueError, match="add up to 0.5, less than cover=0.8"):
        drivers.top_drivers(shares)


@given(st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=12),
       st.floats(min_value=0.01, max_value=1.0))
def test_top_drivers_is_the_smallest_set_reaching_cover(counts, cover):
    calls = pd.DataFrame({"reason": [f"r{i}" for i, n in enumerate(counts) for _ in range(n)],
                          "answered": True})
    shares = drivers.driver_shares(calls)
    assert shares["calls"].is_monotonic_decreasing
    assert shares["cumulative"].iloc[-1] == pytest.approx(1.0)
    top = drivers.top_drivers(shares, cover)
    covered = shares.set_index("reason").loc[top, "share"].sum()
    assert covered >= cover - 1e-9
    assert covered - shares.set_index("reason").loc[top[-1], "share"] < cover - 1e-9


# --------------------------------------------------------------------------- a fix


def test_calls_per_day_counts_first_tries_over_calendar_days():
    calls = pd.DataFrame({
        "arrival_time": pd.to_datetime(["2026-09-20 19:30", "2026-09-21 09:00", "2026-09-21 09:05",
                                        "2026-09-21 09:20", "2026-09-22 11:00", "2026-09-23 10:00",
                                        "2026-09-27 19:30", "2026-09-28 08:10"]),
        "answered": [True, True, False, True, False, True, True, True],
        "retrial": [False, False, False, True, False, False, False, False]})
    assert drivers.calls_per_day(calls, "2026-09-21", "2026-09-28") == pytest.approx(5 / 7)
    assert drivers.calls_per_day(calls, "2026-09-21", "2026-09-28", count="offered") == pytest.approx(6 / 7)
    assert drivers.calls_per_day(calls, "2026-09-21", "2026-09-28", count="answered") == pytest.approx(4 / 7)


@pytest.mark.parametrize(("start", "end", "error", "match"), [
    ("2026-09-28", "2026-09-21", ValueError, "'end' parameter of calls_per_day must be after"),
    ("2026-09-21 10:00", "2026-09-28", ValueError, "must be a day \\(midnight\\)"),
    (5, "2026-09-28", TypeError, "'start' parameter of calls_per_day must be a date"),
])
def test_calls_per_day_bad_window_says_what_was_wrong(start, end, error, match):
    with pytest.raises(error, match=match):
        drivers.calls_per_day(EXAMPLE, start, end)


def test_fix_effect_scales_before_by_the_season_of_the_same_queue():
    effect = drivers.fix_effect(EXAMPLE, "roaming_charges", FIX, weeks_before=2, weeks_after=1)
    assert effect.name == "roaming_charges"
    assert effect.to_dict() == pytest.approx(
        {"before": 3.0, "after": 1.0, "season": 1.3, "expected": 3.9, "avoided": 2.9})


def test_fix_effect_simple_method_is_plain_before_minus_after():
    effect = drivers.fix_effect(EXAMPLE, "roaming_charges", FIX, weeks_before=2, weeks_after=1,
                                method="simple")
    assert effect["season"] == 1.0
    assert effect["avoided"] == pytest.approx(2.0)


def test_fix_effect_windows_of_different_lengths_compare_per_day():
    effect = drivers.fix_effect(EXAMPLE, "roaming_charges", FIX, weeks_before=1, weeks_after=2)
    assert effect[["before", "after", "season"]].tolist() == pytest.approx([3.0, 1.5, 1.1])
    assert effect["avoided"] == pytest.approx(1.8)


def test_fix_effect_counts_the_fix_day_as_after():
    calls = pd.concat([EXAMPLE, EXAMPLE[(EXAMPLE["reason"] == "roaming_charges")
                                        & (EXAMPLE["arrival_time"].dt.normalize() == FIX)]])
    effect = drivers.fix_effect(calls, "roaming_charges", FIX, weeks_before=1, weeks_after=1)
    assert effect["before"] == pytest.approx(3.0)
    assert effect["after"] == pytest.approx(8 / 7)


def test_fix_effect_leaves_retrials_out_by_default():
    with_retrials = weekly_calls({("billing", "roaming_charges"): [3, 1], ("billing", "bill_query"): [10, 10]},
                                 start="2026-09-28", retrials=2)
    effect = drivers.fix_effect(with_retrials, "roaming_charges", FIX, weeks_before=1, weeks_after=1)
    assert effect["avoided"] == pytest.approx(2.0)
    offered = drivers.fix_effect(with_retrials, "roaming_charges", FIX, weeks_before=1, weeks_after=1,
                                 count="offered")
    assert offered["avoided"] == pytest.approx(2.0 + 0.0)  # retrials here are flat: +2 a day on both sides
    assert offered["before"] == pytest.approx(5.0)


def test_fix_effect_is_zero_when_nothing_changed_but_the_season():
    calls = weekly_calls({("billing", "roaming_charges"): [4, 4, 6, 6], ("billing", "bill_query"): [20, 20, 30, 30]})
    effect = drivers.fix_effect(calls, "roaming_charges", "2026-09-28", weeks_before=2, weeks_after=2)
    assert effect["season"] == pytest.approx(1.5)
    assert effect["avoided"] == pytest.approx(0.0)


def test_fix_effect_unknown_driver_suggests_the_closest():
    with pytest.raises(KeyError, match="Did you mean 'roaming_charges'"):
        drivers.fix_effect(EXAMPLE, "roaming_charge", FIX, weeks_before=1, weeks_after=1)


def test_fix_effect_windows_outside_the_data_are_refused():
    with pytest.raises(ValueError, match="The calls run from 2026-09-14 to 2026-10-18"):
        drivers.fix_effect(EXAMPLE, "roaming_charges", FIX, weeks_before=4, weeks_after=1)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"weeks_before": 1.5}, ValueError, "whole number of weeks"),
    ({"weeks_after": 0}, ValueError, "whole number of weeks"),
    ({"method": "did"}, ValueError, "'method' parameter of fix_effect must be one of"),
])
def test_fix_effect_bad_options_say_what_was_wrong(kwargs, error, match):
    with pytest.raises(error, match=match):
        drivers.fix_effect(EXAMPLE, "roaming_charges", FIX, **kwargs)


def test_fix_effect_on_the_simulated_world_finds_the_fix_it_was_given():
    """The small world's app-login defect falls to 15 % of its issues on its fix date."""
    from callcoach.sim import preset, simulate

    scenario = dataclasses.replace(preset("small"), seed=5, start=dt.date(2026, 4, 20),
                                   end=dt.date(2026, 5, 31))
    calls = simulate(scenario).tables["calls"]
    effect = drivers.fix_effect(calls, "app_login_error", scenario.defect_fix_date,
                                weeks_before=3, weeks_after=3)
    assert effect["after"] < 0.5 * effect["before"]
    assert 0.7 < effect["season"] < 1.3
    assert effect["avoided"] > 0
    # The same windows by hand, as lesson 1.3 computes them.
    first = calls[~calls["retrial"]].assign(date=lambda d: d["arrival_time"].dt.normalize())
    fix = pd.Timestamp(scenario.defect_fix_date)
    weeks = pd.Timedelta(weeks=3)

    def per_day(rows, start, end):
        return ((rows["date"] >= start) & (rows["date"] < end)).sum() / 21

    login = first[first["reason"] == "app_login_error"]
    others = first[(first["queue"] == "technical") & (first["reason"] != "app_login_error")]
    season = per_day(others, fix, fix + weeks) / per_day(others, fix - weeks, fix)
    by_hand = per_day(login, fix - weeks, fix) * season - per_day(login, fix, fix + weeks)
    assert effect["avoided"] == pytest.approx(by_hand)


# --------------------------------------------------------------------------- reporting


def reporting_tables():
    reasons = pd.DataFrame({"reason": ["roaming_charges", "sim_activation", "bill_query"],
                            "defect": [True, True, False]})
    calls = pd.DataFrame(
        [(1, "A1", "roaming_charges", True), (2, "A1", "roaming_charges", True),
         (3, "A1", "sim_activation", True), (4, "A1", "bill_query", True),
         (5, "A2", "roaming_charges", True), (6, "A3", "bill_query", True),
         (7, None, "roaming_charges", False)],
        columns=["call_id", "agent_id", "reason", "answered"])
    tickets = pd.DataFrame({"call_id": [1, 3, 4, 6]})
    return calls, tickets, reasons


def test_ticket_rate_divides_ticketed_defect_calls_by_defect_calls_per_agent():
    rates = drivers.ticket_rate(*reporting_tables())
    assert rates["agent_id"].tolist() == ["A1", "A2"]  # A3 took no defect call
    assert rates["defect_calls"].tolist() == [3, 1]
    assert rates["ticketed"].tolist() == [2, 0]
    assert rates["ticket_rate"].tolist() == pytest.approx([2 / 3, 0.0])


def test_ticket_rate_whole_table_and_other_groups():
    calls, tickets, reasons = reporting_tables()
    assert drivers.ticket_rate(calls, tickets, reasons, by=None) == pytest.approx(2 / 4)
    calls["team"] = ["t1", "t1", "t1", "t1", "t2", "t2", "t2"]
    by_team = drivers.ticket_rate(calls, tickets, reasons, by="team")
    assert by_team.set_index("team")["ticket_rate"].to_dict() == pytest.approx({"t1": 2 / 3, "t2": 0.0})


def test_ticket_rate_follows_the_reasons_table():
    calls, tickets, reasons = reporting_tables()
    reasons["defect"] = [True, False, False]
    rates = drivers.ticket_rate(calls, tickets, reasons)
    assert rates.set_index("agent_id")["ticket_rate"].to_dict() == pytest.approx({"A1": 0.5, "A2": 0.0})


def test_ticket_rate_without_defect_calls_explains():
    calls, tickets, reasons = reporting_tables()
    reasons["defect"] = False
    with pytest.raises(ValueError, match="found no answered call of a defect reason"):
        drivers.ticket_rate(calls, tickets, reasons)


def test_ticket_rate_missing_column_names_the_keyword():
    calls, tickets, reasons = reporting_tables()
    with pytest.raises(KeyError, match="needs the column\\(s\\) 'is_defect' in 'reasons'"):
        drivers.ticket_rate(calls, tickets, reasons, defect="is_defect")
