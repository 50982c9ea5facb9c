"""Tests for callcoach.scorecard: hand-computed totals, critical items, N/A, bad input, invariants."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callcoach.scorecard import (
    Item,
    Scorecard,
    Section,
    default_scorecard,
    score_evaluations,
)


# ----------------------------------------------------------------------- helpers
def long(evaluations: dict[tuple[str, str], dict[str, object]]) -> pd.DataFrame:
    """{(call, evaluator): {item: score}} -> long format with the default column names."""
    rows = [(call, who, item, score)
            for (call, who), scores in evaluations.items()
            for item, score in scores.items()]
    return pd.DataFrame(rows, columns=["call_id", "evaluator", "item", "score"])


@pytest.fixture
def mini() -> Scorecard:
    """Two sections, weights 10 + 20 + 30 + 40 = 100, one fail-all and one fail-section item."""
    return Scorecard("Mini", [
        Section("open", "Opening", [
            Item("greet", weight=10, scale="0-2"),
            Item("verify", weight=20, scale="yes/no", na_allowed=True, critical="fail-all"),
        ]),
        Section("solve", "Solve", [
            Item("accurate", weight=30, scale="1-5", critical="fail-section", fail_at=2),
            Item("offer", weight=40, scale="0-2", na_allowed=True),
        ]),
    ])


GOOD = {"greet": 2, "verify": "yes", "accurate": 5, "offer": 2}

DEFAULT_GOOD = {"greeting": 2, "verify_identity": "yes", "accurate_info": 2,
                "proactive_offer": 2, "feedback_raised": "yes", "empathy": 5,
                "hold_etiquette": 2, "followup_recorded": 2, "closing": 2}


def totals(card: Scorecard, scores: dict[str, object], **options) -> pd.Series:
    return score_evaluations(long({("C-1", "Ana"): scores}), card, **options).iloc[0]


# ------------------------------------------------------------ hand-computed totals
def test_a_perfect_evaluation_scores_100_in_every_section(mini):
    row = totals(mini, GOOD)
    assert (row["open"], row["solve"], row["total"]) == (100.0, 100.0, 100.0)
    assert row["failed_critical"] == "" and not row["fail_all"]


def test_partial_scores_earn_their_share_of_each_items_weight(mini):
    # greet 1 of 0-2 -> 5 of 10; verify yes -> 20; accurate 4 of 1-5 -> 3/4 of 30 = 22.5;
    # offer 1 of 0-2 -> 20 of 40. Total 67.5 of 100; sections 25/30 and 42.5/70.
    row = totals(mini, {"greet": 1, "verify": "yes", "accurate": 4, "offer": 1})
    assert row["total"] == pytest.approx(67.5)
    assert row["open"] == pytest.approx(100 * 25 / 30)
    assert row["solve"] == pytest.approx(100 * 42.5 / 70)
    assert row["total_before_fails"] == pytest.approx(67.5)


def test_several_evaluations_come_back_one_row_each_sorted_by_call_and_evaluator(mini):
    data = long({
        ("C-2", "Ben"): {"greet": 0, "verify": "yes", "accurate": 3, "offer": 2},  # 0+20+15+40
        ("C-1", "Ben"): {"greet": 2, "verify": 1, "accurate": 1, "offer": 0},      # fail-section
        ("C-1", "Ana"): GOOD,
    })
    result = score_evaluations(data, mini)
    assert list(result.columns) == ["call_id", "evaluator", "open", "solve",
                                    "total_before_fails", "failed_critical", "fail_all", "total"]
    assert result[["call_id", "evaluator"]].values.tolist() == [["C-1", "Ana"], ["C-1", "Ben"], ["C-2", "Ben"]]
    assert result["total"].tolist() == pytest.approx([100.0, 30.0, 75.0])
    assert result["total_before_fails"].tolist() == pytest.approx([100.0, 30.0, 75.0])


def test_the_default_scorecard_totals_a_hand_scored_call():
    # greeting 1/2 of 5 = 2.5, verify 10, accurate 25, proactive 0, feedback N/A,
    # empathy 3 on 1-5 = 1/2 of 15 = 7.5, hold N/A, follow-up 1/2 of 15 = 7.5, closing 10.
    # Earned 62.5 of 100 - 5 (feedback) - 5 (hold) = 90 points -> 69.44.
    scores = {**DEFAULT_GOOD, "greeting": 1, "proactive_offer": 0, "feedback_raised": "N/A",
              "empathy": 3, "hold_etiquette": "N/A", "followup_recorded": 1}
    row = totals(default_scorecard(), scores)
    assert row["total"] == pytest.approx(100 * 62.5 / 90)
    assert row["opening"] == pytest.approx(100 * 12.5 / 15)
    assert row["resolution"] == pytest.approx(100 * 25 / 35)
    assert row["experience"] == pytest.approx(50.0)
    assert row["close"] == pytest.approx(100 * 17.5 / 25)
    assert totals(default_scorecard(), DEFAULT_GOOD)["total"] == 100.0


# ---------------------------------------------------------------- critical items
def test_a_failed_fail_all_item_zeroes_the_total_but_keeps_section_scores(mini):
    row = totals(mini, {**GOOD, "verify": "no"})
    assert row["fail_all"] and row["total"] == 0.0
    assert row["failed_critical"] == "verify"
    assert row["total_before_fails"] == pytest.approx(80.0)  # only verify's 20 points lost
    assert row["open"] == pytest.approx(100 * 10 / 30)
    assert row["solve"] == 100.0


def test_a_failed_fail_section_item_zeroes_only_its_section(mini):
    # accurate fails at or below 2 (fail_at=2): the whole 'solve' section scores 0,
    # its 70 points stay in the denominator; 'open' keeps its 30.
    row = totals(mini, {**GOOD, "accurate": 2})
    assert row["solve"] == 0.0 and row["open"] == 100.0
    assert row["total"] == pytest.approx(30.0)
    assert row["failed_critical"] == "accurate" and not row["fail_all"]
    # before fails: accurate 2 on 1-5 earns 1/4 of 30
    assert row["total_before_fails"] == pytest.approx(10 + 20 + 7.5 + 40)


def test_a_critical_item_scored_above_fail_at_does_not_fail(mini):
    row = totals(mini, {**GOOD, "accurate": 3})
    assert row["failed_critical"] == ""
    assert row["total"] == pytest.approx(10 + 20 + 15 + 40)


def test_na_on_a_critical_item_is_not_a_fail(mini):
    row = totals(mini, {**GOOD, "verify": "N/A"})
    assert not row["fail_all"] and row["total"] == 100.0


def test_fail_all_and_fail_section_together_are_both_reported(mini):
    row = totals(mini, {**GOOD, "verify": "no", "accurate": 1})
    assert row["failed_critical"] == "verify, accurate"
    assert row["total"] == 0.0 and row["solve"] == 0.0


def test_the_default_scorecard_fails_all_on_a_skipped_identity_check_and_a_section_on_wrong_info():
    card = default_scorecard()
    assert totals(card, {**DEFAULT_GOOD, "verify_identity": "no"})["total"] == 0.0
    wrong = totals(card, {**DEFAULT_GOOD, "accurate_info": 0})
    assert wrong["resolution"] == 0.0
    assert wrong["total"] == pytest.approx(100 - 40)  # the resolution section is worth 40
    half = totals(card, {**DEFAULT_GOOD, "accurate_info": 1})  # partly right: not a fail
    assert half["failed_critical"] == "" and half["total"] == pytest.approx(100 - 12.5)


# ----------------------------------------------------------------------- N/A
def test_na_items_leave_the_denominator(mini):
    # offer N/A: 60 points remain, greet 1 earns 5 -> 55 of 60.
    row = totals(mini, {**GOOD, "greet": 1, "offer": "N/A"})
    assert row["total"] == pytest.approx(100 * 55 / 60)
    assert row["solve"] == 100.0


def test_na_can_be_written_several_ways(mini):
    for na in ["N/A", "n/a", "NA", None, np.nan, float("nan")]:
        assert totals(mini, {**GOOD, "greet": 0, "offer": na})["total"] == pytest.approx(100 * 50 / 60)


def test_na_full_counts_na_items_as_earning_their_weight(mini):
    row = totals(mini, {**GOOD, "greet": 1, "offer": "N/A"}, na="full")
    assert row["total"] == pytest.approx(95.0)


def test_sections_method_keeps_na_points_inside_their_section():
    card = Scorecard("S", [
        Section("a", "A", [Item("a1", weight=1), Item("a2", weight=1, na_allowed=True)], weight=50),
        Section("b", "B", [Item("b1", weight=3)], weight=50),
    ])
    scores = {"a1": "no", "a2": "N/A", "b1": "yes"}
    # points: 3 of 4 remaining points = 75; sections: A = 0, B = 100, 50/50 -> 50.
    assert totals(card, scores)["total"] == pytest.approx(75.0)
    assert totals(card, scores, method="sections")["total"] == pytest.approx(50.0)
    # with no N/A and default section weights the two methods agree
    plain = Scorecard("P", [Section("a", "A", card.sections[0].items), Section("b", "B", card.sections[1].items)])
    both = {"a1": "yes", "a2": "no", "b1": "yes"}
    assert totals(plain, both)["total"] == pytest.approx(totals(plain, both, method="sections")["total"])


def test_an_evaluation_with_every_item_na_has_no_total():
    card = Scorecard("N", [Section("s", "S", [Item("x", na_allowed=True)])])
    row = totals(card, {"x": "N/A"})
    assert math.isnan(row["total"]) and math.isnan(row["s"])


def test_a_section_of_only_na_items_is_nan_and_drops_out_of_the_sections_total(mini):
    card = Scorecard("M", [mini.sections[1], Section("extra", "Extra", [Item("x", na_allowed=True, weight=99)])])
    row = totals(card, {"accurate": 5, "offer": 0, "x": "N/A"}, method="sections")
    assert math.isnan(row["extra"])
    assert row["total"] == pytest.approx(100 * 30 / 70)


# ------------------------------------------------------------ scales and words
def test_two_point_scales_take_their_words_and_booleans():
    card = Scorecard("W", [Section("s", "S", [Item("a"), Item("b", scale="pass/fail")])])
    assert totals(card, {"a": "Yes", "b": "pass"})["total"] == 100.0
    assert totals(card, {"a": True, "b": "fail"})["total"] == 50.0
    assert totals(card, {"a": 0, "b": 1.0})["total"] == 50.0


def test_a_range_scale_rejects_words_booleans_and_half_points():
    item = Item("g", scale="0-2")
    for bad, shown in [("yes", "'yes'"), (True, "True"), (1.5, "1.5"), (-1, "-1")]:
        with pytest.raises(ValueError, match=rf"^Item 'g' is scored on 0-2\. Got {shown}\.$"):
            item.check(bad)
    assert item.check("2") == 2.0


# ------------------------------------------------------------------ bad scorecards
def test_duplicate_item_ids_are_named_with_their_sections():
    with pytest.raises(ValueError, match=r"Item id 'greeting' appears twice in scorecard 'X' "
                                         r"\(sections 'open' and 'close'\)"):
        Scorecard("X", [Section("open", "", [Item("greeting")]), Section("close", "", [Item("greeting")])])


def test_duplicate_section_ids_are_rejected():
    with pytest.raises(ValueError, match="Section id 'open' appears twice"):
        Scorecard("X", [Section("open", "", [Item("a")]), Section("open", "", [Item("b")])])


@pytest.mark.parametrize("weight", [0, -5, float("nan"), float("inf")])
def test_weights_must_be_positive(weight):
    with pytest.raises(ValueError, match=rf"The 'weight' of item 'a' must be a positive number\. Got {weight!r}"):
        Item("a", weight=weight)


def test_a_weight_that_is_not_a_number_is_a_type_error():
    with pytest.raises(TypeError, match="The 'weight' of item 'a' must be a positive number. Got '5'"):
        Item("a", weight="5")
    with pytest.raises(ValueError, match="The 'weight' of section 's' must be a positive number"):
        Section("s", "", [Item("a")], weight=0)


@pytest.mark.parametrize("scale", ["2-0", "1-1", "0..2", "5", "good/bad", 3])
def test_an_unknown_scale_lists_the_scales_that_exist(scale):
    with pytest.raises(ValueError, match=r"The 'scale' of item 'a' must be 'yes/no', 'pass/fail' or a range"):
        Item("a", scale=scale)


def test_critical_settings_are_checked():
    with pytest.raises(ValueError, match="'critical' setting of item 'a' must be None, 'fail-all' or 'fail-section'"):
        Item("a", critical="all")
    with pytest.raises(ValueError, match="sets fail_at=1 but is not critical"):
        Item("a", scale="0-2", fail_at=1)
    with pytest.raises(ValueError, match=r"'fail_at' setting of item 'a' must be a point of its 1-5 scale below the top \(1, 2, 3, 4\)"):
        Item("a", scale="1-5", critical="fail-all", fail_at=5)


def test_ids_empty_sections_and_reserved_names_are_rejected():
    with pytest.raises(ValueError, match="The id of an item must be a non-empty string"):
        Item(" greeting")
    with pytest.raises(ValueError, match="Section 's' has no items"):
        Section("s", "S", [])
    with pytest.raises(ValueError, match="A section cannot be called 'total'"):
        Section("total", "", [Item("a")])
    with pytest.raises(TypeError, match="The items of section 's' must be Item objects. Got str"):
        Section("s", "", ["greeting"])
    with pytest.raises(ValueError, match="'x' is both a section id and an item id"):
        Scorecard("X", [Section("x", "", [Item("x")])])
    with pytest.raises(ValueError, match="'three_a' setting of item 'a' must be None, 'Active'"):
        Item("a", three_a="Attitude")


# ------------------------------------------------------------------ bad scores
def test_a_score_off_the_scale_names_item_scale_call_and_evaluator():
    data = long({("C-104", "Ana"): {**DEFAULT_GOOD, "greeting": 3}})
    with pytest.raises(ValueError, match=r"^Item 'greeting' is scored on 0-2\. Got 3 for call 'C-104' by 'Ana'\.$"):
        score_evaluations(data, default_scorecard())


def test_na_on_an_item_that_does_not_allow_it_is_rejected():
    data = long({("C-104", "Ana"): {**DEFAULT_GOOD, "accurate_info": "N/A"}})
    with pytest.raises(ValueError, match=r"Item 'accurate_info' is scored on 0-2 and cannot be N/A\. "
                                         r"Got 'N/A' for call 'C-104' by 'Ana'\."):
        score_evaluations(data, default_scorecard())


def test_the_first_bad_score_is_shown_and_the_others_counted():
    data = long({("C-1", "Ana"): {**DEFAULT_GOOD, "empathy": 0},
                 ("C-2", "Ana"): {**DEFAULT_GOOD, "empathy": 0, "closing": 7}})
    with pytest.raises(ValueError, match=r"Got 0 for call 'C-1' by 'Ana'\. \(2 more scores are off"):
        score_evaluations(data, default_scorecard())


def test_an_item_not_on_the_card_is_named_with_the_items_that_are():
    data = long({("C-1", "Ana"): {**DEFAULT_GOOD, "greting": 2}})
    with pytest.raises(KeyError, match=r"holds 'greting', which is not an item of scorecard 'Harbour Mobile QA'\. "
                                       r"Items are: 'greeting', 'verify_identity'"):
        score_evaluations(data, default_scorecard())


def test_an_item_left_out_is_named_with_the_call_and_evaluator():
    scores = dict(DEFAULT_GOOD)
    del scores["closing"]
    with pytest.raises(ValueError, match=r"'Ben' did not score 'closing' on call 'C-7'.*use 'N/A'"):
        score_evaluations(long({("C-7", "Ben"): scores}), default_scorecard())


def test_an_item_scored_twice_in_one_evaluation_is_rejected(mini):
    data = long({("C-1", "Ana"): GOOD})
    data = pd.concat([data, data.iloc[[0]]])
    with pytest.raises(ValueError, match=r"'Ana' scored item 'greet' on call 'C-1' 2 times"):
        score_evaluations(data, mini)


def test_a_missing_column_names_the_parameter_and_the_columns_that_exist(mini):
    data = long({("C-1", "Ana"): GOOD}).rename(columns={"score": "points"})
    with pytest.raises(KeyError, match=r"The 'ratings' parameter of score_evaluations names a column 'score' "
                                       r"that is not in the data\. Columns are: 'call_id', 'evaluator', 'item', 'points'"):
        score_evaluations(data, mini)
    assert totals(mini, GOOD)["total"] == score_evaluations(data, mini, ratings="points")["total"].iloc[0]


def test_bad_arguments_to_score_evaluations_say_what_was_expected(mini):
    data = long({("C-1", "Ana"): GOOD})
    with pytest.raises(TypeError, match="must be a pandas DataFrame in long format"):
        score_evaluations(data.to_dict(), mini)
    with pytest.raises(TypeError, match="must be a Scorecard"):
        score_evaluations(data, "default")
    with pytest.raises(ValueError, match=r"The 'method' parameter of score_evaluations must be one of 'points', 'sections'\. Got 'mean'"):
        score_evaluations(data, mini, method="mean")
    with pytest.raises(ValueError, match=r"The 'na' parameter .* Got 'zero'"):
        score_evaluations(data, mini, na="zero")
    with pytest.raises(ValueError, match=r"Column 'evaluator' passed to score_evaluations has 1 empty value"):
        score_evaluations(data.assign(evaluator=data["evaluator"].mask(data.index == 2)), mini)


def test_targets_may_be_several_columns(mini):
    data = long({("C-1", "Ana"): GOOD, ("C-2", "Ana"): {**GOOD, "greet": 0}})
    data = pd.concat([data.assign(session="Feb"), data.assign(session="Mar")])
    result = score_evaluations(data, mini, targets=["session", "call_id"])
    assert list(result.columns[:3]) == ["session", "call_id", "evaluator"]
    assert result["total"].tolist() == pytest.approx([100, 90, 100, 90])


# ---------------------------------------------------------------- the scorecard
def test_the_default_scorecard_has_the_3a_behaviours_and_its_critical_items():
    card = default_scorecard()
    form = card.to_frame()
    assert form["share_pct"].sum() == pytest.approx(100)
    assert dict(zip(form["item"], form["three_a"])) == {
        "greeting": "", "verify_identity": "", "accurate_info": "", "proactive_offer": "Active",
        "feedback_raised": "Action", "empathy": "", "hold_etiquette": "", "followup_recorded": "Available",
        "closing": ""}
    assert card.item("verify_identity").critical == "fail-all"
    assert card.item("accurate_info").critical == "fail-section"
    assert card.section_of("closing").id == "close"
    with pytest.raises(KeyError, match="Scorecard 'Harbour Mobile QA' has no item 'hello'"):
        card.item("hello")


def test_to_frame_shows_one_row_per_item_with_its_settings(mini):
    form = mini.to_frame()
    assert form.columns.tolist() == ["section", "item", "label", "scale", "na_allowed", "weight",
                                     "share_pct", "critical", "fail_at", "three_a", "description"]
    assert form["fail_at"].tolist()[1:3] == [0, 2]
    assert math.isnan(form["fail_at"].iloc[0])


def test_a_scorecard_survives_a_round_trip_through_a_dict(mini):
    assert Scorecard.from_dict(mini.to_dict()) == mini
    broken = mini.to_dict()
    broken["sections"][0]["items"][0]["points"] = 3
    with pytest.raises(ValueError, match="unknown fields 'points'"):
        Scorecard.from_dict(broken)


def test_check_validates_one_complete_evaluation():
    card = default_scorecard()
    checked = card.check({**DEFAULT_GOOD, "hold_etiquette": "N/A"})
    assert list(checked) == list(card.item_ids)
    assert math.isnan(checked["hold_etiquette"]) and checked["verify_identity"] == 1.0
    with pytest.raises(KeyError, match="name 'closng', which is not an item"):
        card.check({**DEFAULT_GOOD, "closng": 2})


# ------------------------------------------------------------------- invariants
SCALES = ["yes/no", "pass/fail", "0-2", "1-5", "0-10"]


@st.composite
def cards_and_scores(draw, critical: bool = False):
    """A random scorecard and one valid evaluation of it."""
    n_sections = draw(st.integers(1, 3))
    sections, scores, number = [], {}, 0
    for s in range(n_sections):
        items = []
        for _ in range(draw(st.integers(1, 4))):
            number += 1
            scale = draw(st.sampled_from(SCALES))
            na_ok = draw(st.booleans())
            kind = draw(st.sampled_from([None, "fail-all", "fail-section"])) if critical else None
            item = Item(f"i{number}", weight=draw(st.floats(0.1, 50)), scale=scale,
                        na_allowed=na_ok, critical=kind)
            items.append(item)
            options = list(item.points) + (["N/A"] if na_ok else [])
            scores[item.id] = draw(st.sampled_from(options))
        weight = draw(st.none() | st.floats(0.5, 10))
        sections.append(Section(f"s{s}", "", items, weight=weight))
    return Scorecard("Random", sections), scores


@settings(max_examples=150, deadline=None)
@given(cards_and_scores(critical=True), st.sampled_from(["points", "sections"]), st.sampled_from(["drop", "full"]))
def test_every_total_and_section_score_is_between_0_and_100(card_scores, method, na):
    card, scores = card_scores
    row = totals(card, scores, method=method, na=na)
    values = [row["total"], row["total_before_fails"], *(row[s.id] for s in card.sections)]
    for value in values:
        assert math.isnan(value) or 0 <= value <= 100 + 1e-9
    everything_na = all(v == "N/A" for v in scores.values())
    assert math.isnan(row["total"]) == (everything_na and na == "drop")
    if row["fail_all"]:
        assert row["total"] == 0


@settings(max_examples=150, deadline=None)
@given(cards_and_scores(), st.sampled_from(["points", "sections"]), st.sampled_from(["drop", "full"]), st.data())
def test_raising_any_item_score_never_lowers_the_total(card_scores, method, na, data):
    card, scores = card_scores
    raisable = [i for i in card.items if scores[i.id] != "N/A" and scores[i.id] < i.high]
    if not raisable:
        return
    item = data.draw(st.sampled_from(raisable))
    higher = data.draw(st.integers(scores[item.id] + 1, item.high))
    before = totals(card, scores, method=method, na=na)["total"]
    after = totals(card, {**scores, item.id: higher}, method=method, na=na)["total"]
    assert after >= before - 1e-9


@settings(max_examples=60, deadline=None)
@given(cards_and_scores(), st.randoms(use_true_random=False))
def test_row_order_does_not_change_the_result(card_scores, rnd):
    card, scores = card_scores
    data = long({("C-1", "Ana"): scores, ("C-2", "Ben"): scores})
    shuffled = data.sample(frac=1, random_state=rnd.randint(0, 2**31)).reset_index(drop=True)
    pd.testing.assert_frame_equal(score_evaluations(data, card), score_evaluations(shuffled, card))
