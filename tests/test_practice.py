"""Lesson 15 helpers (``callcoach.practice``): the 3A moments in call transcripts, what
the tables recorded for the same calls, and the personal 3A plan.

The bundled datasets are regenerated when the simulator is tuned, so tests on them assert
facts that must hold for any run (every moment agrees with the tables; an offer goes with
fewer repeat calls), never a call id or a figure.
"""
from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from callcoach import checks, datasets, kpi, practice
from callcoach.practice import AS, PlanError, PlanGoal, ThreeAPlan

KIT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 3, 2)


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def tables():
    return {name: datasets.load(name) for name in ("transcripts", "calls", "followups", "feedback_tickets",
                                                   "reasons")}


@pytest.fixture(scope="module")
def moments(tables):
    return practice.three_a_moments(tables["transcripts"])


@pytest.fixture(scope="module")
def recorded(tables, moments):
    t = tables
    return practice.recorded_3a(t["calls"], t["followups"], t["feedback_tickets"], t["reasons"],
                                call_ids=moments["call_id"])


@pytest.fixture(scope="module")
def everyone(tables):
    t = tables
    return practice.recorded_3a(t["calls"], t["followups"], t["feedback_tickets"], t["reasons"])


def _transcript(*calls: list[tuple[str, str]]) -> pd.DataFrame:
    """A transcripts table from lists of (speaker, text); call ids 1, 2, ..."""
    rows = [(n, i, who, text) for n, lines in enumerate(calls, 1) for i, (who, text) in enumerate(lines, 1)]
    return pd.DataFrame(rows, columns=["call_id", "line", "speaker", "text"])


OWNER = [("agent", "Harbour Mobile, Ana speaking."),
         ("customer", "The Harbour app keeps saying my password is wrong."),
         ("agent", "I've reset your login from our side; you can sign in now."),
         ("agent", "One more thing: if it happens again, switch flight mode on and off first."),
         ("customer", "Oh, that's helpful, thanks."),
         ("agent", "I've also reported this to our app team as a fault, so it gets fixed for everyone."),
         ("agent", "To recap what happens next: I'll call you back by Friday 6 March, 5 pm. I've logged it."),
         ("agent", "Bye.")]
TOOL = [("agent", "Yeah, hello?"),
        ("customer", "I was in France and I've been charged for roaming twice."),
        ("agent", "That charge is normal."),
        ("customer", "Does this happen to other people too?"),
        ("agent", "I couldn't say, sorry."),
        ("agent", "We'll be in touch."),
        ("agent", "Bye.")]
PLAIN = [("agent", "Harbour Mobile."), ("customer", "I need a data add-on."),
         ("agent", "The 10 GB travel add-on is on your account from tomorrow."), ("agent", "Bye.")]


def _status(moments: pd.DataFrame, call, a: str) -> str:
    return moments.loc[(moments["call_id"] == call) & (moments["a"] == a), "status"].item()


# ------------------------------------------------------------- finding the moments


def test_moments_find_each_a_shown_missing_or_not_needed_on_written_calls():
    moments = practice.three_a_moments(_transcript(OWNER, TOOL, PLAIN))
    assert len(moments) == 9 and list(moments["a"].iloc[:3]) == list(AS)
    assert [_status(moments, 1, a) for a in AS] == ["shown", "shown", "shown"]
    assert [_status(moments, 2, a) for a in AS] == ["missing", "missing", "weak"]
    assert [_status(moments, 3, a) for a in AS] == ["missing", "not needed", "not needed"]
    owner = moments[moments["call_id"] == 1].set_index("a")
    assert owner["line"].tolist() == [4, 6, 7]
    assert owner.at["Active", "said"].startswith("One more thing")
    # Action missing points at the customer's question; a missing Active has no line
    tool = moments[moments["call_id"] == 2].set_index("a")
    assert tool.at["Action", "line"] == 4 and pd.isna(tool.at["Active", "line"])


def test_moments_ignore_line_order_in_the_table_and_keep_the_first_cue():
    shuffled = _transcript(OWNER).sample(frac=1, random_state=3)
    again = _transcript(OWNER + [("agent", "While I have you: I've e-mailed you the guide.")])
    assert practice.three_a_moments(shuffled)["line"].tolist() == [4, 6, 7]
    assert practice.three_a_moments(again).set_index("a").at["Active", "line"] == 4


def test_cues_match_every_phrase_the_simulator_writes_and_nothing_else():
    sim = pytest.importorskip("callcoach.sim.transcripts")
    needed = ("_OFFER", "_PROMISE", "_FIX", "_PROBLEM", "_WRONG", "_UNSURE")
    if not all(hasattr(sim, n) for n in needed):
        pytest.skip("the simulator's transcript phrases moved; the dataset test below still checks agreement")
    agent = ([(t, ("Active", "shown")) for t in sim._OFFER.values()]
             + [("To recap what happens next: " + t.format(due="Friday 6 March, 5 pm"), ("Available", "shown"))
                for t in sim._PROMISE.values()]
             + [(f"I've also reported this to our {d} team as a fault, so it gets fixed for everyone, not just you.",
                 ("Action", "shown")) for d in getattr(sim, "_DEPT", {"x": "app"}).values()]
             + [("Someone will get back to you about it.", ("Available", "weak")),
                ("We'll be in touch.", ("Available", "weak"))]
             + [(t, None) for t in [*sim._FIX.values(), *sim._WRONG.values(), sim._UNSURE]])
    customer = ([("Does this happen to other people too?", ("Action", "missing"))]
                + [(t, None) for t in sim._PROBLEM.values()])
    for who, lines in (("agent", agent), ("customer", customer)):
        for text, expected in lines:
            moments = practice.three_a_moments(_transcript([(who, text)]))
            found = moments[moments["line"].notna()]
            got = None if found.empty else (found["a"].item(), found["status"].item())
            assert got == expected, (who, text, got)


def test_moments_on_the_bundled_transcripts_are_tidy(tables, moments):
    assert list(moments.columns) == ["call_id", "a", "status", "line", "said"]
    assert len(moments) == 3 * tables["transcripts"]["call_id"].nunique()
    assert set(moments["status"]) <= set(practice.STATUSES)
    placed = moments[moments["line"].notna()]
    assert (placed["said"].str.len() > 0).all()
    assert moments.loc[moments["status"] == "shown", "line"].notna().all()
    # every A shows somewhere in the transcripts, and some are missing
    assert set(moments.loc[moments["status"] == "shown", "a"]) == set(AS)
    assert {"missing", "not needed"} <= set(moments["status"])


def test_moments_agree_with_the_calls_table_for_every_transcribed_call(tables, moments, recorded):
    in_quarter = set(moments["call_id"]) & set(tables["calls"].loc[tables["calls"]["answered"], "call_id"])
    assert in_quarter, "no transcribed call is in the quarter's calls table: nothing to compare"
    assert set(recorded["call_id"]) == in_quarter
    compared = practice.moments_vs_records(moments, recorded)
    assert len(compared) == 3 * len(in_quarter)
    assert compared["agree"].all(), compared[~compared["agree"]]
    # and directly, A by A, against the tables themselves
    calls = tables["calls"].set_index("call_id")
    ticketed = set(tables["feedback_tickets"]["call_id"])
    promised = set(tables["followups"]["call_id"])
    defects = set(tables["reasons"].loc[tables["reasons"]["defect"], "reason"])
    for call in in_quarter:
        assert (_status(moments, call, "Active") == "shown") == bool(calls.at[call, "proactive_offer"])
        assert (_status(moments, call, "Available") in ("shown", "weak")) == (call in promised)
        if calls.at[call, "reason"] in defects:
            assert _status(moments, call, "Action") == ("shown" if call in ticketed else "missing")
        else:
            assert _status(moments, call, "Action") == "not needed"


def test_moments_reject_a_table_without_the_transcript_columns():
    with pytest.raises(KeyError, match="has no column 'speaker'"):
        practice.three_a_moments(pd.DataFrame({"call_id": [1], "line": [1], "text": ["hi"]}))
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        practice.three_a_moments("transcripts.csv")


# ------------------------------------------------------------- what the tables recorded


def test_called_again_counts_the_same_issue_within_the_window_inclusive():
    calls = pd.DataFrame({
        "call_id": [1, 2, 3, 4, 5, 6],
        "issue_id": [10, 10, 20, 20, 30, 40],
        "arrival_time": pd.to_datetime(["2026-03-01", "2026-03-08", "2026-03-01", "2026-03-09",
                                        "2026-03-02", "2026-03-28"]),
        "answered": [True, True, True, True, True, True]})
    again = practice.called_again(calls)
    assert again.index.tolist() == [1, 2, 3, 4, 5, 6]
    assert again.iloc[:5].tolist() == [True, False, False, False, False] and pd.isna(again[6])
    # an unanswered call is not a contact
    calls.loc[1, "answered"] = False
    again = practice.called_again(calls)
    assert not again[1] and 2 not in again.index


@pytest.mark.parametrize("bad", [0, -7, "7", True])
def test_called_again_rejects_a_window_that_is_not_a_positive_number(bad):
    calls = pd.DataFrame({"call_id": [1], "issue_id": [1], "arrival_time": pd.to_datetime(["2026-03-01"]),
                          "answered": [True]})
    with pytest.raises(ValueError, match="'window_days' parameter of called_again must be a positive number"):
        practice.called_again(calls, window_days=bad)


def test_recorded_3a_classifies_promises_like_the_completion_rate(tables, everyone):
    assert set(everyone["promise_kept"].dropna()) <= {"on time", "late", "not kept", "not due yet"}
    assert everyone["promise"].sum() == tables["followups"]["call_id"].isin(everyone["call_id"]).sum()
    due = everyone[everyone["promise_kept"].isin(["on time", "late", "not kept"])]
    assert (due["promise_kept"] == "on time").mean() == pytest.approx(kpi.followup_completion_rate(tables["followups"]))
    assert everyone["promise_kept"].isna().eq(~everyone["promise"]).all()
    # the subset for some calls says the same as the whole table about them
    some = everyone.sample(50, random_state=1)
    t = tables
    sub = practice.recorded_3a(t["calls"], t["followups"], t["feedback_tickets"], t["reasons"],
                               call_ids=some["call_id"])
    pd.testing.assert_frame_equal(sub, everyone[everyone["call_id"].isin(some["call_id"])].reset_index(drop=True))


def test_recorded_3a_names_a_missing_column(tables):
    t = tables
    with pytest.raises(KeyError, match="'calls' table given to recorded_3a has no column 'issue_id'"):
        practice.recorded_3a(t["calls"].drop(columns="issue_id"), t["followups"], t["feedback_tickets"], t["reasons"])


def test_outcomes_show_fewer_repeat_calls_after_an_offer_and_a_kept_promise(everyone):
    out = practice.outcomes_by_a(everyone).set_index(["a", "done"])
    assert out.at[("Active", "yes"), "called_again"] < out.at[("Active", "no"), "called_again"]
    assert out.at[("Available", "yes"), "called_again"] < out.at[("Available", "no"), "called_again"]
    assert (out["calls"] > 0).all()
    title = practice.outcomes_chart(out.reset_index()).to_dict()["title"]["text"]
    assert title.startswith("Customers called again less after a proactive offer")


def test_outcomes_chart_title_follows_the_direction():
    out = pd.DataFrame({"a": ["Active", "Active", "Action", "Action", "Available", "Available"],
                        "behaviour": ["x"] * 6, "done": ["yes", "no"] * 3, "calls": [5] * 6,
                        "called_again": [0.4, 0.2, 0.3, 0.3, 0.1, 0.5]})
    title = practice.outcomes_chart(out).to_dict()["title"]["text"]
    assert "more after a proactive offer (40% vs 20%), less after a kept promise (10% vs 50%)" in title


def test_floor_baselines_use_the_course_definitions(tables, everyone):
    base = practice.floor_baselines(everyone, tables["followups"]).set_index("a")["floor"]
    answered = tables["calls"][tables["calls"]["answered"]]
    assert base["Active"] == pytest.approx(answered["proactive_offer"].mean())
    assert base["Available"] == pytest.approx(kpi.followup_completion_rate(tables["followups"]))
    assert 0 < base["Action"] < 1


# ------------------------------------------------------------- picking and drawing calls


def test_pick_call_prefers_matches_then_the_preferred_calls_and_skips_excluded():
    moments = practice.three_a_moments(_transcript(PLAIN, OWNER, TOOL, OWNER))
    assert practice.pick_call(moments, {"Active": "shown", "Available": "shown"}) == 2
    assert practice.pick_call(moments, {"Active": "shown"}, prefer=[4]) == 4
    assert practice.pick_call(moments, {"Active": "shown"}, exclude=[2]) == 4
    assert practice.pick_call(moments, {"Action": "missing"}) == 3
    assert practice.pick_call(moments, {"Available": ["weak", "shown"]}, among=[3, 4]) == 3
    # nothing left among the candidates: the best of the other calls rather than an error
    assert practice.pick_call(moments, {"Action": "missing"}, among=[3], exclude=[3]) == 1


@pytest.mark.parametrize("want, message", [
    ({"Activ": "shown"}, "names 'Activ'"),
    ({"Active": "present"}, "asks Active to be 'present'"),
    ({}, "must map A's to statuses"),
])
def test_pick_call_says_what_is_wrong_with_the_wish(want, message):
    moments = practice.three_a_moments(_transcript(OWNER))
    with pytest.raises(ValueError, match=message):
        practice.pick_call(moments, want)


def test_clear_calls_leave_out_vague_promises_and_tickets_the_call_cannot_show():
    moments = practice.three_a_moments(_transcript(OWNER, TOOL, PLAIN))
    recorded = pd.DataFrame({"call_id": [1, 2, 3], "defect": [True, True, False],
                             "proactive_offer": [True, False, False], "ticket": [True, False, True],
                             "promise": [True, True, False]})
    assert practice.clear_calls(moments, recorded) == [1]
    recorded.loc[2, "ticket"] = False
    assert practice.clear_calls(moments, recorded) == [1, 3]


def test_transcript_html_tags_moments_escapes_text_and_says_what_happened():
    lines = TOOL + [("customer", "<script>alert(1)</script>")]
    transcripts = _transcript(lines)
    page = practice.transcript_html(transcripts, 1)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert page.count("Action 行动力 · missing") >= 3  # the question, the answer and the list under the call
    assert "Available 有效性 · weak" in page
    plain = practice.transcript_html(transcripts, 1, highlight=False)
    assert "行动力" not in plain and "couldn&#x27;t say" in plain
    before = practice.transcript_html(transcripts, 1, recorded=pd.DataFrame({"call_id": [99]}))
    assert "before the quarter" in before
    with pytest.raises(KeyError, match="Call 7 has no transcript"):
        practice.transcript_html(transcripts, 7)


def test_transcript_html_says_what_the_tables_recorded_and_what_came_next():
    transcripts = _transcript(OWNER)
    base = {"call_id": [1], "proactive_offer": [True], "ticket": [False], "defect": [True], "promise": [True],
            "due_at": [pd.Timestamp("2026-03-06 17:00")], "completed_at": [pd.Timestamp("2026-03-05 10:00")],
            "promise_kept": pd.array(["on time"], dtype="string")}
    for again, words in ((True, "the customer called again about it within 7 days"),
                         (False, "no further call about it within 7 days"),
                         (pd.NA, "too near the end of the data")):
        recorded = pd.DataFrame(base | {"called_again": pd.array([again], dtype="boolean")})
        page = practice.transcript_html(transcripts, 1, recorded=recorded)
        assert words in page, again
        assert "proactive offer recorded; no ticket on this defect" in page
        assert "the promise due Fri 06 Mar: <b>kept on time</b> (done Thu 05 Mar)" in page


def test_transcript_html_reports_the_recorded_promise_of_a_quarter_call(tables, moments, recorded):
    promised = recorded[recorded["promise_kept"].isin(["on time", "late", "not kept"])]
    if promised.empty:
        pytest.skip("no transcribed call of the quarter has a promise due in this run of the simulator")
    row = promised.iloc[0]
    page = practice.transcript_html(tables["transcripts"], row["call_id"], recorded=recorded)
    assert "What the tables recorded" in page and "the promise due" in page


def test_transcript_browser_filters_calls_and_redraws(tables):
    app = practice.transcript_browser(_transcript(OWNER, TOOL, PLAIN))
    assert len(app.controls["call"].options) == 3 and "3</b> of 3 transcripts" in app.summary.value
    app.controls["show"].value = ("Action", "missing")
    assert [v for _, v in app.controls["call"].options] == [2]
    assert "Call <b>2</b>" in app.transcript.value
    app.controls["highlight"].value = False
    assert "行动力" not in app.transcript.value
    app.controls["show"].value = ("Available", "weak")
    assert app.controls["call"].value == 2
    browser = practice.transcript_browser(_transcript(PLAIN))
    browser.controls["show"].value = ("Action", "shown")
    assert "No transcript has" in browser.summary.value and browser.controls["call"].value == 1


def test_moments_chart_counts_every_transcribed_call(moments):
    summary = practice.moments_summary(moments)
    assert (summary.groupby("a")["calls"].sum() == moments["call_id"].nunique()).all()
    spec = practice.moments_chart(moments).to_dict()
    assert spec["title"]["text"].startswith(f"In {moments['call_id'].nunique()} transcripts")


# -------------------------------------------------------------------- the plan

GOOD = {"agent": "Ana Lee",
        "active": ("Offer the bill breakdown on every bill query", "% of my answered calls with a proactive offer", 45),
        "action": ("Raise a ticket for every new defect", "% of my calls on a defect with a feedback ticket", "90%"),
        "available": ("Close every promise by its due time", "% of my promises kept by their due time", " 95 "),
        "review_date": "2026-03-30"}


def test_make_plan_tidies_text_and_reads_targets_as_numbers():
    plan = practice.make_plan(**GOOD | {"agent": "  Ana   Lee\n", "coach": "Wen"}, today=TODAY)
    assert plan.agent == "Ana Lee" and plan.coach == "Wen" and plan.written_on == TODAY
    assert [g.target for g in plan.goals.values()] == [45.0, 90.0, 95.0]
    assert plan.review_date == dt.date(2026, 3, 30)
    from_dicts = practice.make_plan(**GOOD | {"active": {"goal": "Offer more", "target": "50"}}, today=TODAY)
    assert from_dicts.active == PlanGoal("Offer more", practice.DEFAULT_MEASURES["Active"], 50.0)


@pytest.mark.parametrize("change, message", [
    ({"active": ("", "m", 40)}, "The Active goal is empty"),
    ({"action": ("   \n ", "m", 40)}, "The Action goal is empty"),
    ({"available": ("g", "", 40)}, "The Available measure is empty"),
    ({"active": ("g", "m", "lots")}, "The Active target must be a number .* Got 'lots' instead"),
    ({"active": ("g", "m", "")}, "The Active target must be a number .* Got nothing instead"),
    ({"active": ("g", "m", None)}, "Got nothing instead"),
    ({"action": ("g", "m", 150)}, "The Action target must be a percentage above 0 and at most 100. Got 150"),
    ({"action": ("g", "m", 0)}, "above 0"),
    ({"available": ("g", "m", float("nan"))}, "The Available target must be a number"),
    ({"review_date": "2026-02-01"}, r"The review date 1 February 2026 is in the past: pick a day after today \(2 March 2026\)"),
    ({"review_date": TODAY}, "The review date is today"),
    ({"review_date": "2027-06-01"}, "more than a year away"),
    ({"review_date": "next week"}, "The review date must be a date .* Got 'next week' instead"),
    ({"review_date": None}, "The review date is empty"),
    ({"agent": ""}, "Your name is empty"),
])
def test_make_plan_says_what_to_fix(change, message):
    with pytest.raises(PlanError, match=message):
        practice.make_plan(**GOOD | change, today=TODAY)


def test_plan_problems_lists_every_problem_at_once():
    problems = practice.plan_problems(**GOOD | {"agent": "", "active": ("", "m", "x"), "review_date": "2020-01-01"},
                                      today=TODAY)
    assert len(problems) == 4
    with pytest.raises(PlanError) as err:
        practice.make_plan(**GOOD | {"agent": "", "active": ("", "m", "x"), "review_date": "2020-01-01"}, today=TODAY)
    assert err.value.problems == problems and str(err.value).startswith("The 3A plan has 4 problems: (1) ")
    with pytest.raises(TypeError, match="must be \\(goal, measure, target\\)"):
        practice.make_plan(**GOOD | {"active": "be more proactive"}, today=TODAY)


def test_plan_round_trips_through_markdown_with_awkward_text(tmp_path):
    plan = practice.make_plan(**GOOD | {
        "agent": "李明 (Li Ming)", "coach": "Wen | team 3",
        "active": ("Offer **two** things | e-mail the guide\nand the tip", "% of calls: *with* an offer", "33.5")},
        today=TODAY)
    path = practice.write_plan(plan, tmp_path / "sub" / "plan.md")
    assert path == (tmp_path / "sub" / "plan.md") and path.is_absolute()
    assert practice.read_plan(path) == plan
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# My 3A plan — 李明 (Li Ming)")
    assert "## Available (有效性) — Did I finish it?" in text and "- **Target:** 33.5%" in text
    assert "| Active 积极性 | 33.5% |" in text
    assert not list(path.parent.glob(".*.tmp"))


def test_write_plan_never_overwrites_silently(tmp_path):
    plan = practice.make_plan(**GOOD, today=TODAY)
    path = tmp_path / practice.PLAN_FILE
    path.write_text("my earlier plan\n", encoding="utf-8")
    with pytest.raises(FileExistsError, match="There is already a plan in .*my-3a-plan.md.*overwrite=True"):
        practice.write_plan(plan, path)
    assert path.read_text(encoding="utf-8") == "my earlier plan\n"
    practice.write_plan(plan, path, overwrite=True)
    assert practice.read_plan(path) == plan
    with pytest.raises(TypeError, match="must be a ThreeAPlan"):
        practice.write_plan({"agent": "Ana"}, tmp_path / "x.md")


def test_read_plan_says_what_is_wrong_with_a_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="No 3A plan at"):
        practice.read_plan(tmp_path / "none.md")
    other = tmp_path / "notes.md"
    other.write_text("# Notes\n- **Agent:** Ana\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no '- \\*\\*Written:\\*\\*' line"):
        practice.read_plan(other)
    plan = practice.write_plan(practice.make_plan(**GOOD, today=TODAY), tmp_path / "p.md")
    plan.write_text(plan.read_text(encoding="utf-8").replace("- **Target:** 90%", "- **Target:** lots"),
                    encoding="utf-8")
    with pytest.raises(ValueError, match="The Action target in .* is not a number: 'lots'"):
        practice.read_plan(plan)
    plan.write_text(plan.read_text(encoding="utf-8").replace("lots", "90%").replace("## Available", "## Later"),
                    encoding="utf-8")
    with pytest.raises(ValueError, match="no complete '## Available' section"):
        practice.read_plan(plan)


def _fill(form, *, name="Ana Lee", targets=("45", "90", "95%")):
    form.agent.value = name
    for a, target in zip(AS, targets):
        form.goals[a]["goal"].value = f"My {a} goal"
        form.goals[a]["target"].value = target
    form.review_date.value = TODAY + dt.timedelta(days=21)


def test_plan_form_shows_problems_and_writes_nothing(tmp_path):
    form = practice.plan_form(tmp_path / "plan.md", today=TODAY)
    assert form.save() is None
    assert "Not saved yet" in form.status.value and "Your name is empty" in form.status.value
    _fill(form, targets=("45", "a lot", "95"))
    assert form.save() is None and "Got &#x27;a lot&#x27; instead" in form.status.value
    assert not (tmp_path / "plan.md").exists()


def test_plan_form_saves_then_updates_the_same_file(tmp_path):
    form = practice.plan_form(tmp_path / "plan.md", today=TODAY)
    _fill(form)
    written = form.save()
    assert written == (tmp_path / "plan.md").absolute() and "✓ Saved your plan" in form.status.value
    assert practice.read_plan(written).available.target == 95.0
    form.goals["Available"]["target"].value = "98"
    assert form.save() == written and "✓ Updated your plan" in form.status.value
    assert practice.read_plan(written).available.target == 98.0
    assert [p.name for p in tmp_path.iterdir()] == ["plan.md"]


def test_plan_form_asks_before_replacing_an_earlier_plan(tmp_path):
    earlier = tmp_path / "plan.md"
    earlier.write_text("an earlier plan\n", encoding="utf-8")
    form = practice.plan_form(earlier, today=TODAY)
    _fill(form)
    assert form.save() is None
    assert "A plan is already saved" in form.status.value and "Nothing was written" in form.status.value
    assert earlier.read_text(encoding="utf-8") == "an earlier plan\n"
    form.coach.value = "Wen"  # an edit after the warning: the next Save warns again
    assert form.save() is None and earlier.read_text(encoding="utf-8") == "an earlier plan\n"
    assert form.save() == earlier.absolute() and "✓ Updated" in form.status.value
    assert practice.read_plan(earlier).coach == "Wen"


def test_plan_form_saves_next_to_the_notebook_by_default(tmp_path, monkeypatch, tables):
    monkeypatch.chdir(tmp_path)
    t = tables
    everyone = practice.recorded_3a(t["calls"], t["followups"], t["feedback_tickets"], t["reasons"])
    form = practice.plan_form(baselines=practice.floor_baselines(everyone, t["followups"]), today=TODAY)
    assert "The floor last quarter" in str([c for c in form.children])
    _fill(form)
    assert form.save() == tmp_path / "my-3a-plan.md"


def test_the_plan_file_is_ignored_by_git_in_every_folder():
    for where in ("course/my-3a-plan.md", "my-3a-plan.md"):
        result = subprocess.run(["git", "check-ignore", "-q", where], cwd=KIT)
        assert result.returncode == 0, f"{where} is not in .gitignore"


# -------------------------------------------------------------- the lesson's check


@pytest.fixture
def shown(monkeypatch):
    out = []
    monkeypatch.setattr(checks, "display", lambda html: out.append(html.data))
    return out


def _call_with(tables, *, offer: bool, ticket: bool, promise: bool):
    calls = tables["calls"][tables["calls"]["answered"]]
    has_ticket = calls["call_id"].isin(tables["feedback_tickets"]["call_id"])
    has_promise = calls["call_id"].isin(tables["followups"]["call_id"])
    pick = calls[(calls["proactive_offer"] == offer) & (has_ticket == ticket) & (has_promise == promise)]
    return pick["call_id"].iloc[0]


def test_three_a_check_compares_with_the_tables(tables, shown):
    t = tables
    args = (t["calls"], t["followups"], t["feedback_tickets"])
    call = _call_with(tables, offer=True, ticket=False, promise=True)
    checks.three_a_in_call(["Active", "Available"], call, *args)
    checks.three_a_in_call("available, 积极性", call, *args)
    checks.three_a_in_call(["Active"], call, *args)
    checks.three_a_in_call(["Active", "Action", "Available"], call, *args)
    checks.three_a_in_call(..., call, *args)
    checks.three_a_in_call(["Activ"], call, *args)
    checks.three_a_in_call(["Active"], -1, *args)
    assert "Right" in shown[0] and "follow-up log has the promise" in shown[0]
    assert "Right" in shown[1]
    assert "Look again for <b>Available</b>" in shown[2]
    assert "Not <b>Action</b>: no feedback ticket" in shown[3]
    assert "Replace the" in shown[4]
    assert "I don't know &#x27;Activ&#x27;" in shown[5] or "I don't know 'Activ'" in shown[5]
    assert "not an answered call" in shown[6]


def test_three_a_check_accepts_none_for_a_call_with_no_a(tables, shown):
    t = tables
    call = _call_with(tables, offer=False, ticket=False, promise=False)
    checks.three_a_in_call([], call, t["calls"], t["followups"], t["feedback_tickets"])
    checks.three_a_in_call(["Active"], call, t["calls"], t["followups"], t["feedback_tickets"])
    assert "Right" in shown[0]
    assert "Not <b>Active</b>" in shown[1]


def test_three_a_check_agrees_with_the_transcript_of_every_clear_call(tables, moments, recorded, shown):
    t = tables
    for call in practice.clear_calls(moments, recorded):
        heard = moments[(moments["call_id"] == call) & (moments["status"] == "shown")]["a"].tolist()
        checks.three_a_in_call(heard, call, t["calls"], t["followups"], t["feedback_tickets"])
    assert shown and all("Right" in s for s in shown)
