"""Tests for callcoach.followups: open-promise ageing and the cost of a broken promise."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callcoach import kpi
from callcoach.followups import ageing_bands, complaint_cost_ratio, open_promise_ageing

MONDAY = pd.Timestamp("2026-05-04 08:00")
BANDS = ["not_yet_due", "up_to_1_day", "1_to_3_days", "over_3_days"]


def _promises(rows, columns=("promised_at", "due_at", "completed_at")):
    frame = pd.DataFrame(rows, columns=list(columns))
    for col in ("promised_at", "due_at", "completed_at"):
        if col in frame:
            frame[col] = pd.to_datetime(frame[col])
    return frame


@pytest.fixture
def eleven():
    """The hand-made promises of exercise 1.4, question 2 (answer on Monday 08:00: 3, 2, 2, 1)."""
    return _promises([
        ("2026-05-03 10:00", "2026-05-04 10:00", None),
        ("2026-05-01 08:00", "2026-05-04 08:00", None),                # due exactly at as_of
        ("2026-05-02 09:00", "2026-05-03 09:00", None),
        ("2026-05-01 08:00", "2026-05-03 08:00", None),                # exactly 1 day overdue
        ("2026-04-30 10:00", "2026-05-02 10:00", "2026-05-05 09:00"),  # done after as_of
        ("2026-04-29 08:00", "2026-05-01 08:00", None),                # exactly 3 days overdue
        ("2026-04-27 10:00", "2026-04-29 12:00", None),
        ("2026-04-28 09:00", "2026-04-30 09:00", "2026-04-29 14:00"),  # kept
        ("2026-04-29 09:00", "2026-04-30 09:00", "2026-05-02 11:00"),  # done late, before as_of
        ("2026-05-04 09:00", "2026-05-05 09:00", None),                # made after as_of
        ("2026-05-03 15:00", "2026-05-06 15:00", None),
    ])


# ----------------------------------------------------------------------- ageing bands


def test_ageing_bands_name_each_band_by_its_edges():
    assert ageing_bands() == BANDS
    assert ageing_bands((2,)) == ["not_yet_due", "up_to_2_days", "over_2_days"]
    assert ageing_bands([0.5, 1]) == ["not_yet_due", "up_to_0.5_days", "0.5_to_1_days", "over_1_day"]


@pytest.mark.parametrize("edges", [(), (3, 1), (0, 2), (1, 1), (-1, 2), (1, np.inf)])
def test_ageing_bands_reject_edges_that_are_not_increasing_positive_days(edges):
    with pytest.raises(ValueError, match="increasing positive numbers of days"):
        ageing_bands(edges)


def test_ageing_bands_reject_edges_that_are_not_numbers():
    with pytest.raises(TypeError, match="sequence of numbers of days"):
        ageing_bands(["one", "three"])


# ----------------------------------------------------------------------- open_promise_ageing


def test_open_promise_ageing_counts_open_promises_by_days_overdue(eleven):
    out = open_promise_ageing(eleven, as_of=MONDAY)
    assert out.columns.tolist() == ["band", "open_promises"]
    assert out["band"].astype(str).tolist() == BANDS
    assert out["open_promises"].tolist() == [3, 2, 2, 1]


def test_open_promise_ageing_bands_include_their_upper_edge():
    due = pd.to_datetime(["2026-05-04 08:00", "2026-05-03 08:00", "2026-05-01 08:00"])
    frame = pd.DataFrame({"promised_at": due - pd.Timedelta(days=1), "due_at": due,
                          "completed_at": pd.NaT})
    assert open_promise_ageing(frame, as_of=MONDAY)["open_promises"].tolist() == [1, 1, 1, 0]


def test_open_promise_ageing_keeps_a_promise_done_after_as_of_open(eleven):
    before = open_promise_ageing(eleven, as_of=MONDAY)["open_promises"].sum()
    after = open_promise_ageing(eleven, as_of="2026-05-05 10:00")["open_promises"].sum()
    assert before == 8
    # By Tuesday 10:00 the promise done at 09:00 is closed, and the one made Monday 09:00 is open.
    assert after == 8 - 1 + 1


def test_open_promise_ageing_keeps_empty_bands_with_zero(eleven):
    out = open_promise_ageing(eleven, as_of="2026-04-30 12:00")
    assert out["open_promises"].tolist() == [2, 2, 0, 0]
    before_any = open_promise_ageing(eleven, as_of="2026-01-01")
    assert before_any["open_promises"].tolist() == [0, 0, 0, 0]


def test_open_promise_ageing_by_group_gives_every_group_every_band(eleven):
    eleven["agent_id"] = ["A1"] * 5 + ["A2"] * 6
    eleven.loc[7, "agent_id"] = "A3"  # A3's only promise was kept
    out = open_promise_ageing(eleven, as_of=MONDAY, by="agent_id")
    assert out.columns.tolist() == ["agent_id", "band", "open_promises"]
    table = out.pivot(index="agent_id", columns="band", values="open_promises")
    assert table.columns.astype(str).tolist() == BANDS
    assert table.loc["A3"].tolist() == [0, 0, 0, 0]
    assert table.sum().tolist() == [3, 2, 2, 1]


def test_open_promise_ageing_custom_edges():
    frame = _promises([("2026-04-20 00:00", "2026-04-21 00:00", None),   # 13 days overdue
                       ("2026-04-30 00:00", "2026-05-03 20:00", None)])  # exactly half a day
    out = open_promise_ageing(frame, as_of=MONDAY, edges_days=(0.5, 7))
    assert out["band"].astype(str).tolist() == ["not_yet_due", "up_to_0.5_days", "0.5_to_7_days",
                                                "over_7_days"]
    assert out["open_promises"].tolist() == [0, 1, 0, 1]


def test_open_promise_ageing_is_blind_to_row_order(eleven):
    shuffled = eleven.sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(open_promise_ageing(shuffled, as_of=MONDAY),
                                  open_promise_ageing(eleven, as_of=MONDAY))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20 * 24), st.integers(1, 5 * 24),
                          st.one_of(st.none(), st.integers(0, 12 * 24))), min_size=1, max_size=40),
       st.integers(0, 30 * 24))
def test_overdue_promises_are_the_promises_due_and_not_done(rows, as_of_hours):
    """Open promises past their due time = promises due by as_of - those done by as_of."""
    start = pd.Timestamp("2026-04-01")
    hours = pd.Timedelta(hours=1)
    frame = pd.DataFrame({
        "promised_at": [start + p * hours for p, _, _ in rows],
        "due_at": [start + (p + d) * hours for p, d, _ in rows],
        "completed_at": [pd.NaT if c is None else start + (p + c) * hours for p, _, c in rows]})
    as_of = start + as_of_hours * hours + pd.Timedelta(minutes=30)  # never on a due time
    ageing = open_promise_ageing(frame, as_of=as_of)
    overdue = int(ageing.loc[ageing["band"] != "not_yet_due", "open_promises"].sum())
    due = (frame["due_at"] <= as_of).sum()
    if due == 0:
        assert overdue == 0
        return
    at_all = kpi.followup_completion_rate(frame, method="at_all", as_of=as_of)
    assert overdue == round(due * (1 - at_all))


def test_open_promise_ageing_names_a_missing_column():
    frame = _promises([("2026-05-01", "2026-05-02", None)]).drop(columns="promised_at")
    with pytest.raises(KeyError, match=r"'promised_at'.*promised="):
        open_promise_ageing(frame, as_of=MONDAY)


def test_open_promise_ageing_rejects_a_bad_as_of(eleven):
    with pytest.raises(ValueError, match="'as_of' parameter of open_promise_ageing must be a date"):
        open_promise_ageing(eleven, as_of="next Monday")
    with pytest.raises(ValueError, match="must be a date"):
        open_promise_ageing(eleven, as_of=None)


def test_open_promise_ageing_rejects_text_times(eleven):
    eleven["due_at"] = eleven["due_at"].astype(str)
    with pytest.raises(TypeError, match="'due_at' column of 'followups' must hold datetimes"):
        open_promise_ageing(eleven, as_of=MONDAY)


def test_open_promise_ageing_needs_a_due_time_for_every_promise(eleven):
    eleven.loc[0, "due_at"] = pd.NaT
    with pytest.raises(ValueError, match="1 missing value"):
        open_promise_ageing(eleven, as_of=MONDAY)


# ----------------------------------------------------------------------- complaint_cost_ratio


@pytest.fixture
def six():
    """Exercise 1.4, question 3: three kept promises (180 s of work on average), two answered
    complaint calls (1,020 s and 1,200 s), an abandoned one and an unrelated complaint."""
    followups = pd.DataFrame({
        "completed_at": pd.to_datetime(["2026-04-21 10:00", "2026-04-21 15:00",
                                        "2026-04-24 09:00", None, None, None]),
        "work_s": [120, 180, 240, 600, 300, 90],
        "complaint_call_id": pd.array([None, None, 903, 904, 905, None], dtype="Int64")})
    calls = pd.DataFrame({
        "call_id": [901, 902, 903, 904, 905, 906],
        "answered": [True, True, True, True, False, True],
        "talk_s": [200, 300, 600, 900, 0, 1500],
        "hold_s": [0, 30, 120, 60, 0, 200],
        "acw_s": [40, 60, 300, 240, 0, 400]})
    return followups, calls


def test_complaint_cost_ratio_compares_a_complaint_call_with_a_kept_promise(six):
    followups, calls = six
    assert complaint_cost_ratio(followups, calls) == pytest.approx(1110 / 180)


def test_complaint_cost_ratio_takes_other_column_names(six):
    followups, calls = six
    followups = followups.rename(columns={"work_s": "minutes"})
    calls = calls.rename(columns={"acw_s": "wrap_s"})
    got = complaint_cost_ratio(followups, calls, work="minutes", acw="wrap_s")
    assert got == pytest.approx(1110 / 180)


def test_complaint_cost_ratio_needs_a_completed_follow_up(six):
    followups, calls = six
    followups["completed_at"] = pd.NaT
    with pytest.raises(ValueError, match="no follow-up in 'followups' was completed"):
        complaint_cost_ratio(followups, calls)


def test_complaint_cost_ratio_needs_an_answered_complaint_call(six):
    followups, calls = six
    with pytest.raises(ValueError, match="none of the 3 complaint call id"):
        complaint_cost_ratio(followups, calls[calls["call_id"] < 903])


def test_complaint_cost_ratio_names_a_missing_column(six):
    followups, calls = six
    with pytest.raises(KeyError, match=r"'hold_s'.*hold="):
        complaint_cost_ratio(followups, calls.drop(columns="hold_s"))


def test_complaint_cost_ratio_rejects_missing_work(six):
    followups, calls = six
    followups["work_s"] = followups["work_s"].astype(float)
    followups.loc[0, "work_s"] = np.nan
    with pytest.raises(ValueError, match="'work_s' column of 'followups' has 1 missing value"):
        complaint_cost_ratio(followups, calls)
