"""Tests for the calibration widgets and charts, driven the way a person drives them.

Controls are set through their ``.value`` and buttons pressed with ``.click()``; the
assertions read the store (did the scores arrive?), the messages (what did the rater
see?) and the charts' data and titles (do they show the callcoach functions' numbers?).
"""
from __future__ import annotations

import html
import threading
import time

import altair as alt
import ipywidgets as w
import numpy as np
import pandas as pd
import pytest

from callcoach import calibration_charts as cc
from callcoach import calibration_widgets as cw
from callcoach.calibration import rater_bias
from callcoach.scorecard import Item, Scorecard, Section, default_scorecard, score_evaluations
from callcoach.store import SessionStore, StoreBusyError, StoreError, UnknownNameError

# One choice per item of the default card, as a rater clicks them.
CLICKS = {"greeting": 2, "verify_identity": "yes", "accurate_info": 2, "proactive_offer": 1,
          "feedback_raised": "yes", "empathy": 3, "hold_etiquette": "N/A",
          "followup_recorded": 1, "closing": 2}


@pytest.fixture
def store(tmp_path):
    """A SQLite file store (threads included), closed after the test."""
    with SessionStore(tmp_path / "calibration.db") as s:
        yield s


@pytest.fixture
def practice(store):
    return store, cw.practice_session(store)


def text(widget) -> str:
    """What a person reads in an HTML widget: tags stripped, entities decoded."""
    import re

    return html.unescape(re.sub(r"<[^>]+>", " ", widget.value)).replace("  ", " ")


def click_through(form, values=CLICKS):
    for item_id, value in values.items():
        form.controls[item_id].value = value
    form.submit_button.click()


def title(chart) -> str:
    return chart.to_dict()["title"]["text"]


# ===================================================================== the form
def test_form_has_one_control_per_item_and_na_only_where_the_item_allows_it(practice):
    store, session = practice
    form = cw.scoring_form(store, session, "you")
    card = store.scorecard(session)
    assert list(form.controls) == list(card.item_ids)
    for item in card.items:
        values = [v for _, v in form.controls[item.id].options]
        assert ("N/A" in values) == item.na_allowed, item.id
        assert form.controls[item.id].value is None, "nothing is pre-chosen: no anchoring on a default"
    assert [v for _, v in form.controls["verify_identity"].options] == ["yes", "no", "N/A"]
    assert [v for _, v in form.controls["empathy"].options] == [1, 2, 3, 4, 5]
    assert all(isinstance(c, w.ToggleButtons) for c in form.controls.values())


def test_form_marks_critical_items_with_what_a_fail_does(practice):
    store, session = practice
    form = cw.scoring_form(store, session, "you")
    page = " ".join(text(child) for row in form.children if isinstance(row, w.HBox)
                    for child in row.children if isinstance(child, w.HTML))
    assert "Verifies identity before account details" in page
    assert "critical: a fail scores the whole call 0" in page
    assert "critical: a fail zeroes the Resolution section" in page
    assert page.count("⚠ critical") == 2


def test_form_shows_the_call_and_its_transcript(practice):
    store, session = practice
    form = cw.scoring_form(store, session, "you", transcripts=cw.PRACTICE_TRANSCRIPTS)
    assert "Call C-301 (1 of 6)" in text(form.call_label)
    assert "this is Mei" in text(form.transcript)
    bare = cw.scoring_form(store, session, "you")
    assert "No transcript for this call" in text(bare.transcript)


def test_transcript_text_is_escaped(practice):
    store, session = practice
    form = cw.scoring_form(store, session, "you", transcripts={"C-301": "Agent: <script>x</script>"})
    assert "<script>" not in form.transcript.value
    assert "&lt;script&gt;" in form.transcript.value


def test_submit_writes_the_chosen_scores_to_the_store(practice):
    store, session = practice
    form = cw.scoring_form(store, session, "you")
    click_through(form)
    mine = store.scores(session).query("evaluator == 'you' and call_id == 'C-301'")
    got = dict(zip(mine["item"], mine["score"]))
    expected = {"greeting": 2.0, "verify_identity": 1.0, "accurate_info": 2.0, "proactive_offer": 1.0,
                "feedback_raised": 1.0, "empathy": 3.0, "hold_etiquette": np.nan,
                "followup_recorded": 1.0, "closing": 2.0}
    assert got.keys() == expected.keys()
    for item, value in expected.items():
        assert (np.isnan(got[item]) and np.isnan(value)) or got[item] == value, item
    message = text(form.message)
    assert "✓ Saved your scores for call C-301" in message
    total = store.totals(session).query("evaluator == 'you' and call_id == 'C-301'")["total"].iloc[0]
    assert f"{total:.1f} of 100" in message, "the confirmation quotes the store's total"
    assert "Scored 1 of 6 calls" in text(form.status)
    assert "✓ submitted" in text(form.call_label)


def test_submit_with_unanswered_items_names_them_and_writes_nothing(practice):
    store, session = practice
    form = cw.scoring_form(store, session, "you")
    form.controls["greeting"].value = 2
    form.submit_button.click()
    message = text(form.message)
    assert message.strip().startswith("Not saved.")
    assert "8 more items" in message and "Hold etiquette" in message
    assert store.progress(session).set_index("evaluator").at["you", "submitted"] == 0


def test_submit_shows_the_stores_error_message(practice, monkeypatch):
    """An off-scale score reaching the store comes back as the store's own words."""
    store, session = practice
    real = SessionStore.submit

    def tampered(session_, rater, call, scores):
        return real(store, session_, rater, call, {**scores, "greeting": 3})

    monkeypatch.setattr(store, "submit", tampered)
    form = cw.scoring_form(store, session, "you")
    click_through(form)
    assert "Not saved. Item 'greeting' is scored on 0-2. Got 3 for call 'C-301' by 'you'." in text(form.message)
    assert store.progress(session).set_index("evaluator").at["you", "submitted"] == 0
    assert form.save() is False


def test_submit_shows_a_busy_store_and_keeps_the_choices(practice, monkeypatch):
    store, session = practice

    def busy(*_args, **_kwargs):
        raise StoreBusyError("The calibration store at sqlite:///x.db stayed busy for 30 s; nothing was written.")

    monkeypatch.setattr(store, "submit", busy)
    form = cw.scoring_form(store, session, "you")
    click_through(form)
    assert "stayed busy for 30 s; nothing was written" in text(form.message)
    assert form.values() == CLICKS, "a failed save must not lose what the rater chose"


def test_resubmitting_a_call_updates_it_and_navigation_brings_the_scores_back(practice):
    store, session = practice
    form = cw.scoring_form(store, session, "you")
    click_through(form)
    form.next_button.click()
    assert form.call == "C-302" and all(v is None for v in form.values().values())
    form.previous_button.click()
    assert form.call == "C-301"
    assert form.values() == CLICKS, "the rater's own scores come back to be corrected"
    form.controls["empathy"].value = 5
    form.submit_button.click()
    mine = store.scores(session).query("evaluator == 'you' and call_id == 'C-301'")
    assert len(mine) == 9
    assert mine.set_index("item").at["empathy", "score"] == 5.0


def test_navigation_stops_at_the_first_and_last_call(practice):
    store, session = practice
    form = cw.scoring_form(store, session, "you")
    assert form.previous_button.disabled and not form.next_button.disabled
    form.go_to("C-306")
    assert form.next_button.disabled and not form.previous_button.disabled
    form.go_to(99)
    assert form.call == "C-306"
    with pytest.raises(KeyError, match="'C-999' is not a call in session 'practice'"):
        form.go_to("C-999")


def test_form_starts_on_the_first_call_the_rater_has_not_scored(practice):
    store, session = practice
    store.submit(session, "you", "C-301", CLICKS)
    assert cw.scoring_form(store, session, "you").call == "C-302"
    assert cw.scoring_form(store, session, "you", call="C-305").call == "C-305"


def test_blind_session_reveals_peers_only_after_every_call_is_submitted(practice):
    store, session = practice
    form = cw.scoring_form(store, session, "you")
    for call in store.calls(session):
        assert form.call == call
        assert "Peers' scores stay hidden" in text(form.peers)
        assert "Lena" not in text(form.peers)
        click_through(form)
        if call != store.calls(session)[-1]:
            form.next_button.click()
    peers = text(form.peers)
    assert "Everyone's scores of call C-306" in peers
    for rater in ("Lena", "Sam", "Kai", "you", "expert (anchor)"):
        assert rater in peers
    assert "Scored 6 of 6 calls. All done" in text(form.status)
    form.go_to("C-301")
    assert "Everyone's scores of call C-301" in text(form.peers)


def test_peer_table_matches_the_stores_scores_and_totals(practice):
    store, session = practice
    table = cw.peer_scores(store, session, "Kai", "C-306")
    totals = store.totals(session).query("call_id == 'C-306'").set_index("evaluator")["total"]
    assert list(table.columns) == ["Lena", "Sam", "Kai", "expert"]
    assert table.loc["total"].tolist() == [f"{totals[r]:.1f}" for r in table.columns]
    scores = store.scores(session).query("call_id == 'C-306' and item == 'empathy'")
    assert table.loc["empathy"].tolist() == [int(s) for s in scores["score"]]
    assert cw.peer_scores(store, session, "you", "C-306") is None


def test_open_session_shows_peers_straight_away(store):
    cw.practice_session(store, "open", blind=False)
    form = cw.scoring_form(store, "open", "you")
    assert "Everyone's scores of call C-301" in text(form.peers)
    assert "blind" not in text(form.children[0])


def test_form_refuses_a_rater_who_is_not_in_the_session(practice):
    store, session = practice
    with pytest.raises(UnknownNameError, match="'Zoe' .* is not a rater in session 'practice'. Raters: 'Lena'"):
        cw.scoring_form(store, session, "Zoe")
    with pytest.raises(TypeError, match="must map call ids to text"):
        cw.scoring_form(store, session, "you", transcripts=["Agent: hello"])
    with pytest.raises(TypeError, match="must be a callcoach.store.SessionStore"):
        cw.scoring_form("calibration.db", session, "you")


def test_set_values_checks_the_scale(practice):
    store, session = practice
    form = cw.scoring_form(store, session, "you")
    with pytest.raises(ValueError, match="Item 'greeting' is scored on 0-2. Got 3"):
        form.set_values({"greeting": 3})
    with pytest.raises(KeyError, match="has no item 'smile'"):
        form.set_values({"smile": 1})
    form.set_values({"verify_identity": 1.0, "hold_etiquette": float("nan"), "empathy": "4"})
    assert [form.controls[i].value for i in ("verify_identity", "hold_etiquette", "empathy")] == ["yes", "N/A", 4]


def test_long_scales_get_a_dropdown(store):
    card = Scorecard("Ten", [Section("all", "All", [Item("overall", scale="0-10"),
                                                   Item("polite", scale="pass/fail", na_allowed=True)])])
    store.create_session("ten", calls=["A"], raters=["Ann"], scorecard=card, anchor="expert")
    form = cw.scoring_form(store, "ten", "Ann")
    assert isinstance(form.controls["overall"], w.Dropdown)
    assert form.controls["overall"].value is None
    assert [v for _, v in form.controls["polite"].options] == ["pass", "fail", "N/A"]
    form.controls["overall"].value = 7
    form.controls["polite"].value = "pass"
    form.submit_button.click()
    assert store.scores("ten").set_index("item")["score"].to_dict() == {"overall": 7.0, "polite": 1.0}


# =========================================================== facilitator tables
def test_facilitator_tables_are_the_callcoach_functions_results(practice):
    store, session = practice
    tables = cw.facilitator_tables(store, session, tolerance=5)
    totals = store.totals(session)
    pd.testing.assert_frame_equal(tables["totals"], totals)
    pd.testing.assert_frame_equal(tables["bias"], rater_bias(totals, ratings="total", anchor="expert", tolerance=5))
    pd.testing.assert_frame_equal(tables["spread"], cc.call_spread(totals, anchor="expert"))
    pd.testing.assert_frame_equal(tables["progress"], store.progress(session))
    assert tables["waiting"] == {}


def test_practice_data_tells_the_lessons_story():
    """Seed 7: Lena lenient, Sam severe, Kai in line; empathy and proactive_offer need work."""
    scores = cw.practice_scores()
    card = default_scorecard()
    totals = score_evaluations(scores, card)
    bias = rater_bias(totals, ratings="total", tolerance=5).set_index("evaluator")["label"].to_dict()
    assert bias == {"Kai": "in line", "Lena": "lenient", "Sam": "severe"}
    items = cw.item_table(scores, card)
    assert items.loc[items["needs_work"], "item"].tolist() == ["empathy", "proactive_offer"]
    assert (totals["failed_critical"] == "").all(), "practice data has no critical-fail surprises"
    assert not cw.practice_scores(seed=8).equals(scores)


def test_practice_scores_stay_on_every_items_scale():
    for seed in range(5):
        scores = cw.practice_scores(seed=seed)
        card = default_scorecard()
        for item_id, value in zip(scores["item"], scores["score"]):
            card.item(item_id).check(value)  # raises when off the scale


def test_item_table_judges_each_item_on_its_own_scale(practice):
    """Passing the 1-5 empathy scale to 0-2 items would make chance agreement look smaller."""
    from callcoach.calibration import item_agreement

    store, session = practice
    scores = store.scores(session)
    table = cw.item_table(scores, store.scorecard(session)).set_index("item")
    closing = scores[scores["item"] == "closing"]
    alone = item_agreement(closing, categories=[0, 1, 2]).set_index("item")
    assert table.at["closing", "gwet_ac1"] == pytest.approx(alone.at["closing", "gwet_ac1"])
    assert table.at["closing", "label"] == "Summarises and closes"
    assert list(table["gwet_ac1"]) == sorted(table["gwet_ac1"])


# ============================================================ facilitator view
def test_view_charts_show_the_tables_with_titles_that_state_the_finding(practice):
    store, session = practice
    view = cw.facilitator_view(store, session)
    figures, tables = view.figures, view.tables
    assert title(figures["bias"]) == "Lena scores 9.4 points above the expert, Sam 8.1 below"
    pd.testing.assert_frame_equal(figures["bias"].data.reset_index(drop=True),
                                  tables["bias"].assign(evaluator=tables["bias"]["evaluator"].astype(str)))
    assert title(figures["items"]) == "2 of 9 items need clearer definitions: empathy and proactive offer"
    assert figures["items"].data["gwet_ac1"].tolist() == tables["items"]["gwet_ac1"].tolist()
    first = tables["spread"].iloc[0]
    assert title(figures["spread"]) == (
        f"Call {first['call_id']} splits the room most: totals from "
        f"{first['low']:.0f} to {first['high']:.0f} ({first['range']:.0f} points apart)")
    assert title(figures["progress"]) == "4 of 5 raters have scored all 6 calls; 6 scores to come"
    summary = text(view.summary)
    assert "4 of 5 raters have scored all 6 calls" in summary and "24 of 30 call scores are in" in summary


def _axis_titles(spec: dict) -> list[str]:
    found = []
    for layer in spec.get("layer", [spec]):
        for channel in ("x", "y"):
            enc = layer.get("encoding", {}).get(channel, {})
            if "field" in enc:
                found.append(enc.get("title", ""))
    return found


def test_every_chart_has_a_title_and_labelled_axes_with_units(practice):
    store, session = practice
    view = cw.facilitator_view(store, session)
    for name, chart in view.figures.items():
        spec = chart.to_dict()
        assert spec["title"]["text"], name
        titles = _axis_titles(spec)
        assert titles and all(titles), (name, titles)
    assert "points out of 100" in " ".join(_axis_titles(view.figures["bias"].to_dict()))
    assert "points out of 100" in " ".join(_axis_titles(view.figures["spread"].to_dict()))
    assert "Gwet's AC1" in " ".join(_axis_titles(view.figures["items"].to_dict()))


def test_refresh_picks_up_new_submissions(practice):
    store, session = practice
    view = cw.facilitator_view(store, session)
    before_summary = view.summary.value
    assert "you" not in set(view.tables["totals"]["evaluator"])
    store.submit(session, "you", "C-301", CLICKS)
    assert title(view.figures["progress"]).endswith("6 scores to come"), "nothing changes until a refresh"
    view.refresh_button.click()
    assert title(view.figures["progress"]).endswith("5 scores to come")
    assert "25 of 30 call scores are in" in text(view.summary)
    assert view.summary.value != before_summary
    assert "you" in set(view.tables["bias"]["evaluator"])
    grid = view.figures["progress"].data
    assert grid.query("evaluator == 'you' and call_id == 'C-301'")["status"].item() == "scored"


def test_view_waits_politely_until_there_is_something_to_show(store):
    store.create_session("new", calls=["A", "B"], raters=["Ann", "Bo"], scorecard=default_scorecard())
    view = cw.facilitator_view(store, "new")
    assert set(view.tables["waiting"]) == {"bias", "items", "spread"}
    assert "Waiting for the anchor (expert) to submit a call." in text(view.notes)
    assert view.figures["bias"].data["message"].item() == "Waiting for the anchor (expert) to submit a call."
    assert title(view.figures["progress"]) == "0 of 3 raters have scored all 2 calls; 6 scores to come"
    store.submit("new", "expert", "A", CLICKS)
    view.refresh()
    assert view.tables["waiting"]["bias"] == "Waiting for an evaluator to submit a call."
    assert view.tables["spread"] is not None
    store.submit("new", "Ann", "A", {**CLICKS, "empathy": 5})
    view.refresh()
    assert view.tables["bias"]["label"].tolist() == ["too few calls"]
    assert title(view.figures["bias"]) == "Too few calls scored by both an evaluator and the expert yet"
    assert "Too few calls to judge yet: Ann." in view.figures["bias"].to_dict()["title"]["subtitle"]
    assert view.tables["items"] is not None


def test_view_of_a_session_without_an_anchor(store):
    store.create_session("peers", calls=["A"], raters=["Ann", "Bo"], scorecard=default_scorecard(), anchor=None)
    store.submit("peers", "Ann", "A", CLICKS)
    store.submit("peers", "Bo", "A", {**CLICKS, "closing": 1})
    view = cw.facilitator_view(store, "peers")
    assert "no anchor" in view.tables["waiting"]["bias"]
    assert view.tables["spread"]["range"].item() > 0
    assert "diamond" not in " ".join(view.figures["spread"].to_dict()["title"]["subtitle"])


def test_refresh_button_shows_a_store_error_instead_of_raising(practice, monkeypatch):
    store, session = practice
    view = cw.facilitator_view(store, session)

    def broken(*_a, **_k):
        raise StoreError("The calibration store at sqlite:///x.db failed: disk I/O error.")

    monkeypatch.setattr(store, "progress", broken)
    view.refresh_button.click()
    assert "Could not refresh: The calibration store at sqlite:///x.db failed: disk I/O error." in text(view.notes)
    with pytest.raises(StoreError):
        view.refresh()


def test_view_checks_its_options(practice):
    store, session = practice
    with pytest.raises(ValueError, match="'statistic' parameter of facilitator_view must be one of"):
        cw.facilitator_view(store, session, statistic="kappa")
    with pytest.raises(ValueError, match="'tolerance' parameter of facilitator_view"):
        cw.facilitator_view(store, session, tolerance=-1)


# ------------------------------------------------------------------ auto-refresh
def _wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_auto_refresh_is_off_by_default(practice):
    store, session = practice
    view = cw.facilitator_view(store, session)
    assert view.auto_refreshing is False and view.auto_refresh.value is False
    assert not [t for t in threading.enumerate() if t.name.startswith("callcoach-refresh")]


def test_auto_refresh_picks_up_submissions_and_stops_cleanly(practice):
    store, session = practice
    view = cw.facilitator_view(store, session)
    try:
        assert view.start_auto_refresh(0.05) is True
        assert view.auto_refreshing and view.auto_refresh.value is True
        store.submit(session, "you", "C-301", CLICKS)
        assert _wait_for(lambda: title(view.figures["progress"]).endswith("5 scores to come"))
        thread = view._thread
    finally:
        view.stop_auto_refresh()
    assert not thread.is_alive()
    assert view.auto_refreshing is False and view.auto_refresh.value is False
    store.submit(session, "you", "C-302", CLICKS)
    time.sleep(0.2)
    assert title(view.figures["progress"]).endswith("5 scores to come"), "no refresh after stopping"


def test_ticking_auto_refresh_starts_it_and_unticking_stops_it(practice):
    store, session = practice
    view = cw.facilitator_view(store, session)
    view.every.value = 2
    view.auto_refresh.value = True
    try:
        assert view.auto_refreshing
        assert "auto-refresh every 2 s" in text(view.summary)
    finally:
        view.auto_refresh.value = False
    assert not view.auto_refreshing
    assert "auto-refresh" not in text(view.summary)


def test_a_new_view_of_the_session_stops_the_old_ones_thread(practice):
    """Re-running the cell that made a view must not leave an orphan thread polling the store."""
    store, session = practice
    old = cw.facilitator_view(store, session, auto_refresh=30)
    new = cw.facilitator_view(store, session)
    try:
        assert old.auto_refreshing
        new.start_auto_refresh(30)
        assert not old.auto_refreshing and new.auto_refreshing
    finally:
        new.stop_auto_refresh()
        old.stop_auto_refresh()


def test_closing_the_view_stops_its_thread(practice):
    store, session = practice
    view = cw.facilitator_view(store, session, auto_refresh=30)
    thread = view._thread
    view.close()
    assert not thread.is_alive()


def test_auto_refresh_never_starts_under_nbgrader(practice, monkeypatch):
    store, session = practice
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    view = cw.facilitator_view(store, session, auto_refresh=1)
    assert view.auto_refreshing is False
    assert view.auto_refresh.disabled
    assert view.start_auto_refresh(1) is False
    assert "off while nbgrader runs" in text(view.notes)
    assert all(isinstance(v, w.Output) for v in view.views.values()), "static charts while grading"


def test_interactive_renderer_updates_the_chart_widget_in_place(practice):
    store, session = practice
    before = alt.renderers.active
    alt.renderers.enable("jupyter", offline=True)
    try:
        view = cw.facilitator_view(store, session)
        widget = view.views["progress"]
        assert isinstance(widget, alt.JupyterChart)
        store.submit(session, "you", "C-301", CLICKS)
        view.refresh()
        assert view.views["progress"] is widget
        assert widget.chart.to_dict()["title"]["text"].endswith("5 scores to come")
    finally:
        alt.renderers.enable(before)


# ======================================================================= charts
BIAS = pd.DataFrame({"evaluator": ["Ann", "Bo", "Cy"], "n": [6, 6, 6], "bias": [1.0, -9.0, 12.0],
                     "ci_low": [-2.0, -14.0, 5.0], "ci_high": [4.0, -4.0, 19.0],
                     "correlation": [0.9, 0.9, 0.9], "label": ["in line", "severe", "lenient"]})


def test_bias_chart_title_names_the_furthest_first():
    assert title(cc.rater_bias_chart(BIAS)) == "Cy scores 12.0 points above the expert, Bo 9.0 below"
    calm = BIAS.assign(label="in line")
    assert title(cc.rater_bias_chart(calm, anchor="QA lead")) == "Every evaluator is in line with the QA lead"
    newcomer = calm.assign(label=["in line", "in line", "too few calls"])
    assert title(cc.rater_bias_chart(newcomer)) == "Every evaluator with two or more calls is in line with the expert"
    spec = cc.rater_bias_chart(BIAS, tolerance=5).to_dict()
    assert "within ±5 points" in " ".join(spec["title"]["subtitle"])
    assert "In line: Ann." in spec["title"]["subtitle"]
    assert len(spec["layer"]) == 4  # band, zero rule, interval, point


def test_bias_chart_colours_lenient_and_severe():
    spec = cc.rater_bias_chart(BIAS).to_dict()
    colour = spec["layer"][-1]["encoding"]["color"]["scale"]
    assert dict(zip(colour["domain"], colour["range"])) == cc.BIAS_COLOURS


def test_item_chart_when_every_item_agrees_and_with_percent_agreement():
    items = pd.DataFrame({"item": ["a", "b"], "n_calls": [5, 5], "percent_agreement": [0.9, 0.95],
                          "needs_work": [False, False]})
    chart = cc.item_agreement_chart(items, statistic="percent_agreement")
    assert title(chart) == "Every item reaches 0.80 agreement: the definitions work"
    assert "80%" in chart.to_dict()["title"]["subtitle"][0]
    with pytest.raises(ValueError, match="'statistic' parameter of item_agreement_chart must be one of"):
        cc.item_agreement_chart(items, statistic="kappa")


def test_charts_name_a_missing_column():
    with pytest.raises(KeyError, match="rater_bias_chart needs the column\\(s\\) 'ci_low'"):
        cc.rater_bias_chart(BIAS.drop(columns="ci_low"))
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        cc.progress_chart([1, 2], calls=["A"])
    with pytest.raises(ValueError, match="'top' parameter of call_spread_chart"):
        cc.call_spread_chart(pd.DataFrame({"call_id": [], "evaluator": [], "total": []}), top=0)


def test_call_spread_matches_pandas_on_random_totals():
    rng = np.random.default_rng(3)
    totals = pd.DataFrame({"call_id": np.repeat([f"C{i}" for i in range(20)], 5),
                           "evaluator": ["A", "B", "C", "D", "expert"] * 20,
                           "total": rng.uniform(30, 100, 100).round(1)})
    spread = cc.call_spread(totals, anchor="expert").set_index("call_id")
    grouped = totals.groupby("call_id")["total"]
    pd.testing.assert_series_equal(spread["range"].sort_index(), (grouped.max() - grouped.min()).rename("range"),
                                   check_names=False)
    pd.testing.assert_series_equal(spread["sd"].sort_index(), grouped.std().rename("sd"), check_names=False)
    assert spread["range"].is_monotonic_decreasing
    expert = totals[totals["evaluator"] == "expert"].set_index("call_id")["total"]
    assert (spread["anchor_total"].sort_index() == expert.sort_index()).all()


def test_call_spread_handles_one_rater_and_nan_totals():
    totals = pd.DataFrame({"call_id": ["A", "A", "B"], "evaluator": ["Ann", "Bo", "Ann"],
                           "total": [70.0, np.nan, 80.0]})
    spread = cc.call_spread(totals, anchor="expert").set_index("call_id")
    assert spread.loc["A", "n_raters"] == 1 and np.isnan(spread.loc["A", "sd"])
    assert np.isnan(spread.loc["B", "anchor_total"])
    assert title(cc.call_spread_chart(totals)) == "No call has two scores yet"


def test_progress_chart_counts_scores_to_come():
    progress = pd.DataFrame({"evaluator": ["Ann", "expert"], "anchor": [False, True], "submitted": [0, 1],
                             "calls": [1, 1], "complete": [False, True], "missing": [["A"], []]})
    chart = cc.progress_chart(progress, calls=["A"])
    assert title(chart) == "1 of 2 raters have scored all 1 calls; 1 score to come"
    assert chart.data["status"].tolist() == ["not yet", "scored"]
