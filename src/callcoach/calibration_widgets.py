"""Widgets for a live calibration session (校准会): a scoring form and a facilitator view.

In a calibration session every QA evaluator and an expert *anchor* score the same
calls on the same scorecard, each in their own notebook, and a facilitator watches
agreement build up. Both sides talk to the same :class:`callcoach.store.SessionStore`:

* :func:`scoring_form` -- one evaluator scores one call at a time: the call (and its
  transcript), one control per scorecard item, *Submit*. In a blind session the
  peers' scores for the call appear only once the store allows it (when the
  evaluator has submitted every call).
* :func:`facilitator_view` -- four charts that refresh from the store: deviation
  from the anchor per evaluator, agreement per scorecard item, the calls that
  split the room most, and who has submitted what. A *Refresh* button, and an
  optional auto-refresh that runs in a background thread, off by default.

Widgets explore; they never hide logic. The numbers come from
:func:`callcoach.calibration.rater_bias`, :func:`callcoach.calibration.item_agreement`,
:func:`callcoach.scorecard.score_evaluations` (through the store) and
:func:`callcoach.calibration_charts.call_spread`; :func:`facilitator_tables` returns
the same tables the charts draw, for a lesson's text or a test to read.

For practice, :func:`practice_session` fills a session with six short transcripts
(:data:`PRACTICE_TRANSCRIPTS`) scored by an expert and three simulated evaluators:
one lenient, one severe and one close to the expert (:func:`practice_scores`).

Nothing here blocks: no loop runs unless auto-refresh is switched on, and it stays
off while nbgrader executes a notebook (``NBGRADER_EXECUTION`` set), so *Run All*,
nbval and nbgrader always finish.
"""
from __future__ import annotations

import html
import math
import os
import threading
import weakref
from collections.abc import Hashable, Mapping
from datetime import datetime
from typing import Any

import altair as alt
import ipywidgets as w
import numpy as np
import pandas as pd

from callcoach import calibration_charts as cc
from callcoach.calibration import DEFAULT_THRESHOLDS, item_agreement, rater_bias
from callcoach.scorecard import Item, Scorecard, default_scorecard
from callcoach.store import SessionStore, StoreError, UnknownNameError
from callcoach.widgets import chart_view, redraw

__all__ = [
    "PRACTICE_CALLS",
    "PRACTICE_RATERS",
    "PRACTICE_SEED",
    "PRACTICE_TRANSCRIPTS",
    "FacilitatorView",
    "ScoringForm",
    "facilitator_tables",
    "facilitator_view",
    "item_table",
    "peer_scores",
    "practice_scores",
    "practice_session",
    "scoring_form",
]

#: Environment variable nbgrader sets while it executes a notebook.
NBGRADER_ENV = "NBGRADER_EXECUTION"
_OK = "#1b6e62"
_BAD = "#a4411f"
_GREY = "#555"

# ----------------------------------------------------------------- practice data
#: Six short practice calls at Harbour Mobile (call id -> transcript). Written for
#: the course; no real customer. Read them as the recording an evaluator would hear.
PRACTICE_TRANSCRIPTS: dict[str, str] = {
    "C-301": """\
Queue: billing
Agent: Good morning, Harbour Mobile, this is Mei. How can I help?
Customer: Hi. I've been charged twice for March and I'm not happy.
Agent: I'm sorry, that's annoying. Before I look at your account, can you confirm your date of birth and the last four digits of your account number?
Customer: 12 May 1985, and 4471.
Agent: Thank you. I can see two payments of 128.00 on 3 March; the second is a duplicate. I've refunded it now, and it will reach your card in 3 to 5 working days.
Agent: This happens when the payment page times out, so I've reported it to our billing team to fix.
Agent: Would you like a text message when the refund has gone through?
Customer: Yes please.
Agent: Done. Is there anything else I can help with today?
Customer: No, that's all.
Agent: Thanks for calling Harbour Mobile, Ms Chen. Have a good day.""",
    "C-302": """\
Queue: technical
Agent: Harbour Mobile technical support.
Customer: My new SIM works for calls, but I've had no mobile data since yesterday. I've restarted the phone three times.
Agent: Name and date of birth?
Customer: David Okafor, 2 February 1990.
Agent: OK. Hold on.
[on hold for 2 minutes]
Agent: Right, your data is switched on our side. Turn airplane mode on and off.
Customer: I did that already. It's still not working, and I need it for work.
Agent: Then it should start working in a few hours.
Customer: A few hours? Is that it?
Agent: Yes. Anything else?
Customer: No.
Agent: Bye.""",
    "C-303": """\
Queue: plans
Agent: Hello, you're through to Harbour Mobile, my name is Priya. What can I do for you?
Customer: I want to upgrade my phone; my contract ends this month.
Agent: Lovely, let's find you something good. First, can I check your name and the postcode on the account?
Customer: Sara Lind, HB4 2QT.
Agent: Thanks, Sara. You're on 20 GB and use about 35 a month, so you've been buying add-ons. The Unlimited plan costs 4.00 a month more than you pay now with add-ons, and includes the new phone.
Agent: You also have a second line on your account: moving both to a family plan would save you 6.00 a month. Shall I send you both options?
Customer: That would be great.
Agent: I'm emailing the two quotes now. I've noted that you'll decide by Friday, and I'll call you on Friday at 5 if I haven't heard from you. Is that OK?
Customer: Perfect.
Agent: So: two quotes by email today, and my call on Friday at 5. Anything else I can do? ... Thank you, Sara, enjoy your evening.""",
    "C-304": """\
Queue: billing
Agent: Harbour Mobile, Jun speaking, how can I help?
Customer: I'm going to Spain next week. What will it cost to use my phone there?
Agent: Good question to ask before you go. In Europe, calls, texts and data come out of your normal allowance, at no extra charge.
Customer: And if I go over my data?
Agent: Let me check that for you. Can I put you on hold for a minute?
Customer: Sure.
[on hold for 1 minute]
Agent: Thanks for holding. Over your allowance, data in Europe costs the same as at home, 2.00 per GB.
Customer: Great.
Agent: Have a lovely trip. Bye now.""",
    "C-305": """\
Queue: technical
Agent: Harbour Mobile, this is Ola. How can I help?
Customer: Your app keeps logging me out. Every time I open it I have to type my password again.
Agent: I'm sorry, that sounds frustrating. Can I take your name and date of birth to find your account?
Customer: Li Wei, 9 September 1978.
Agent: Thanks. Which version of the app do you have?
Customer: The one that updated on Monday.
Agent: Ah, we've had a few calls about that update. Try deleting the app and installing it again; that usually fixes it.
Customer: OK. And if it doesn't?
Agent: Then call us back, or I can ring you tomorrow to check.
Customer: Tomorrow is fine.
Agent: Great. Anything else? ... OK, bye.""",
    "C-306": """\
Queue: plans
Agent: Harbour Mobile, good afternoon.
Customer: I want to cancel my contract. I'm moving abroad.
Agent: I can help with that. For security, what's your full name and the last four digits of your account number?
Customer: Tom Berg, 1188.
Agent: Thank you. Can I put you on hold for two minutes while I check your contract end date?
Customer: Yes.
[on hold for 2 minutes]
Agent: Thanks for waiting, Mr Berg. Your contract ended in January, so there's no fee. Your line will close 30 days from today, on 14 June, and your final bill comes a week after that.
Customer: OK.
Agent: Is there anything else? ... Then I wish you all the best with the move. Goodbye.""",
}

#: The practice calls, in scoring order.
PRACTICE_CALLS: tuple[str, ...] = tuple(PRACTICE_TRANSCRIPTS)

# The expert's scores of the practice calls on the default scorecard, in item order:
# greeting, verify_identity, accurate_info, proactive_offer, feedback_raised,
# empathy, hold_etiquette, followup_recorded, closing.
_EXPERT = {
    "C-301": (2, "yes", 2, 1, "yes", 3, "N/A", 1, 2),
    "C-302": (1, "yes", 1, 0, "N/A", 2, 0, "N/A", 1),
    "C-303": (2, "yes", 2, 2, "N/A", 4, "N/A", 2, 2),
    "C-304": (2, "N/A", 2, 0, "N/A", 3, 2, "N/A", 1),
    "C-305": (2, "yes", 1, 1, "no", 3, "N/A", 0, 1),
    "C-306": (1, "yes", 2, 0, "N/A", 3, 2, "N/A", 2),
}

#: The simulated evaluators of the practice session: name -> (chance of scoring a
#: judgement item one point above the expert, chance of one point below).
PRACTICE_RATERS: dict[str, tuple[float, float]] = {
    "Lena": (0.6, 0.0),  # lenient
    "Sam": (0.0, 0.6),   # severe
    "Kai": (0.0, 0.0),   # close to the expert
}
# Items that call for judgement, where leniency and severity show.
_JUDGEMENT = ("proactive_offer", "empathy", "followup_recorded", "closing")
# Items whose definitions invite disagreement: chance of a random one-point slip.
_VAGUE = {"empathy": 0.5, "proactive_offer": 0.4}
#: Seed of the practice data used by the lessons.
PRACTICE_SEED = 7


def practice_scores(*, seed: int = PRACTICE_SEED) -> pd.DataFrame:
    """Practice data: the expert's and three simulated evaluators' scores of the practice calls.

    The expert's scores are fixed: they follow the transcripts in
    :data:`PRACTICE_TRANSCRIPTS`. Each simulated evaluator starts from the
    expert's score of every item. On the four items that call for judgement
    (proactive_offer, empathy, followup_recorded, closing) Lena, the lenient one,
    scores one point higher with chance 0.6 and Sam, the severe one, one point
    lower with chance 0.6 (see :data:`PRACTICE_RATERS`); Kai leans neither way.
    The two items with the vaguest definitions (empathy and proactive_offer) get a
    random one-point slip either way for everyone, with chance 0.5 and 0.4.
    Scores stay on the item's scale. Critical items and N/A are left as the
    expert scored them, so the practice totals hold no critical-fail surprises.

    Parameters
    ----------
    seed : int, default 7
        Seed of the random generator; the same seed gives the same scores. The
        lessons' findings (Lena lenient, Sam severe, Kai in line; empathy and
        proactive_offer need work) are those of seed 7.

    Returns
    -------
    pandas.DataFrame
        Long format, one row per call, evaluator and item of
        :func:`callcoach.scorecard.default_scorecard`, with columns ``call_id``,
        ``evaluator`` (``"expert"``, ``"Lena"``, ``"Sam"``, ``"Kai"``), ``item``
        and ``score`` as an evaluator enters it (``2``, ``"yes"``, ``"N/A"``).

    Examples
    --------
    >>> scores = practice_scores()
    >>> scores.shape
    (216, 4)
    >>> scores.groupby("evaluator", sort=False).size().to_dict()
    {'expert': 54, 'Lena': 54, 'Sam': 54, 'Kai': 54}
    >>> practice_scores().equals(scores)  # same seed, same scores
    True
    """
    card = default_scorecard()
    rng = np.random.default_rng(seed)
    rows = []
    for call, values in _EXPERT.items():
        for item, value in zip(card.items, values):
            rows.append((call, "expert", item.id, value))
    for rater, (up, down) in PRACTICE_RATERS.items():
        for call, values in _EXPERT.items():
            for item, value in zip(card.items, values):
                draw, slip, way = rng.random(), rng.random(), rng.choice([-1, 1])
                if item.critical or value == "N/A":
                    rows.append((call, rater, item.id, value))
                    continue
                number = int(item.check(value))
                if item.id in _JUDGEMENT:
                    if draw < up:
                        number += 1
                    elif draw < up + down:
                        number -= 1
                if slip < _VAGUE.get(item.id, 0.0):
                    number += int(way)
                number = min(max(number, item.low), item.high)
                rows.append((call, rater, item.id, _entered(item, number)))
    return pd.DataFrame(rows, columns=["call_id", "evaluator", "item", "score"])


def _entered(item: Item, number: float) -> Any:
    """A score as the form shows it: "yes"/"no", "pass"/"fail", a whole number or "N/A"."""
    if isinstance(number, float) and math.isnan(number):
        return "N/A"
    if item.scale == "yes/no":
        return "yes" if number >= 1 else "no"
    if item.scale == "pass/fail":
        return "pass" if number >= 1 else "fail"
    return int(number)


def practice_session(
    store: SessionStore,
    name: str = "practice",
    *,
    seed: int = PRACTICE_SEED,
    you: str = "you",
    blind: bool = True,
) -> str:
    """Create a practice calibration session and fill in everyone's scores but yours.

    The session has the six :data:`PRACTICE_CALLS`, the default scorecard, the
    anchor ``"expert"`` and the raters Lena, Sam, Kai and ``you``; the scores of
    :func:`practice_scores` are submitted through the store, so the session looks
    like one where everyone else has finished.

    Parameters
    ----------
    store : SessionStore
        Where to create it (a temporary SQLite file in a lesson).
    name : str, default "practice"
        The session's name.
    seed : int, default 7
        Passed to :func:`practice_scores`.
    you : str, default "you"
        The rater left to score the calls (the learner).
    blind : bool, default True
        Whether the session is blind (see :mod:`callcoach.store`).

    Returns
    -------
    str
        The session name.

    Examples
    --------
    >>> from callcoach.store import SessionStore
    >>> store = SessionStore("sqlite://")
    >>> practice_session(store)
    'practice'
    >>> store.progress("practice")[["evaluator", "submitted", "complete"]]
      evaluator  submitted  complete
    0      Lena          6      True
    1       Sam          6      True
    2       Kai          6      True
    3       you          0     False
    4    expert          6      True
    """
    scores = practice_scores(seed=seed)
    store.create_session(name, calls=list(PRACTICE_CALLS), raters=[*PRACTICE_RATERS, you],
                         scorecard=default_scorecard(), anchor="expert", blind=blind)
    for (call, rater), group in scores.groupby(["call_id", "evaluator"], sort=False):
        store.submit(name, rater, call, dict(zip(group["item"], group["score"])))
    return name


# ------------------------------------------------------------------------ tables
def item_table(
    scores: pd.DataFrame,
    scorecard: Scorecard,
    *,
    statistic: str = "gwet_ac1",
    threshold: float | None = None,
) -> pd.DataFrame:
    """Agreement per scorecard item, each item judged on its own scale.

    :func:`callcoach.calibration.item_agreement` takes one scale for all the items
    it is given; a scorecard mixes scales (yes/no, 0-2, 1-5), and counting
    categories an item cannot have would make chance agreement look smaller than
    it is. So the items are passed to ``item_agreement`` one scale at a time, with
    the scale's points as ``categories``, and the results put together.

    Parameters
    ----------
    scores : pandas.DataFrame
        Item scores in long format, as :meth:`callcoach.store.SessionStore.scores`
        returns them (``call_id``, ``evaluator``, ``item``, ``score``); scores as
        entered ("yes", 2, "N/A") are read with :meth:`callcoach.scorecard.Item.check`.
    scorecard : Scorecard
        The session's scorecard.
    statistic : str, default "gwet_ac1"
        Passed to ``item_agreement``.
    threshold : float, optional
        Passed to ``item_agreement`` (its default for the statistic when None).

    Returns
    -------
    pandas.DataFrame
        ``item_agreement``'s columns (``item``, ``n_calls``,
        ``percent_agreement``, the statistic, ``needs_work``) plus ``label`` and
        ``scale``, worst item first. Items that fewer than two raters scored (or
        that everyone marked N/A) are left out.

    Examples
    --------
    >>> from callcoach.scorecard import default_scorecard
    >>> scores = practice_scores()
    >>> table = item_table(scores, default_scorecard())
    >>> table[["item", "scale", "n_calls", "gwet_ac1", "needs_work"]].head(3).round(2)
                  item scale  n_calls  gwet_ac1  needs_work
    0          empathy   1-5        6      0.01        True
    1  proactive_offer   0-2        6      0.38        True
    2          closing   0-2        6      0.66       False
    """
    numbers = [scorecard.item(i).check(v) for i, v in zip(scores["item"], scores["score"])]
    scores = scores.assign(score=np.array(numbers, dtype=float))
    rows = []
    by_scale: dict[tuple[int, ...], list[Item]] = {}
    for item in scorecard.items:
        by_scale.setdefault(item.points, []).append(item)
    for points, group in by_scale.items():
        ids = [item.id for item in group]
        sub = scores[scores["item"].isin(ids)]
        if sub["score"].notna().sum() == 0:
            continue
        usable = [i for i in ids if sub.loc[sub["item"] == i].dropna(subset=["score"])["evaluator"].nunique() >= 2]
        if not usable:
            continue
        sub = sub[sub["item"].isin(usable)]
        rows.append(item_agreement(sub, statistic=statistic, threshold=threshold, categories=list(points)))
    value = statistic
    columns = ["item", "label", "scale", "n_calls", "percent_agreement", value, "needs_work"]
    if not rows:
        return pd.DataFrame(columns=list(dict.fromkeys(columns)))
    out = pd.concat(rows, ignore_index=True)
    out["label"] = out["item"].map(lambda i: scorecard.item(i).label)
    out["scale"] = out["item"].map(lambda i: scorecard.item(i).scale)
    out = out.sort_values(value, kind="stable", na_position="last").reset_index(drop=True)
    return out[list(dict.fromkeys(columns))]


def facilitator_tables(
    store: SessionStore,
    session: str,
    *,
    tolerance: float = 5.0,
    statistic: str = "gwet_ac1",
    threshold: float | None = None,
) -> dict[str, Any]:
    """The tables behind the facilitator view, read from the store now.

    Parameters
    ----------
    store : SessionStore
        The session store.
    session : str
        The session's name.
    tolerance : float, default 5
        Passed to :func:`callcoach.calibration.rater_bias`: a bias within ±5
        points of 100 is not labelled lenient or severe.
    statistic, threshold
        Passed to :func:`item_table`.

    Returns
    -------
    dict
        ``"progress"`` (:meth:`~callcoach.store.SessionStore.progress`),
        ``"calls"`` (the session's calls), ``"anchor"`` (its anchor or None),
        ``"totals"`` (:meth:`~callcoach.store.SessionStore.totals`: one row per call
        and rater, from :func:`callcoach.scorecard.score_evaluations`),
        ``"bias"`` (:func:`callcoach.calibration.rater_bias` of the totals against
        the anchor), ``"items"`` (:func:`item_table`) and ``"spread"``
        (:func:`callcoach.calibration_charts.call_spread` of the totals). A table
        that cannot be computed yet is None, and ``"waiting"`` maps its name to a
        sentence saying what it waits for.

    Examples
    --------
    >>> from callcoach.store import SessionStore
    >>> store = SessionStore("sqlite://")
    >>> session = practice_session(store)
    >>> tables = facilitator_tables(store, session)
    >>> tables["bias"][["evaluator", "n", "label"]]
      evaluator  n    label
    0       Kai  6  in line
    1      Lena  6  lenient
    2       Sam  6   severe
    >>> tables["spread"]["call_id"].iloc[0]
    'C-306'
    """
    progress = store.progress(session)
    calls = store.calls(session)
    anchors = progress.loc[progress["anchor"], "evaluator"].tolist()
    anchor = anchors[0] if anchors else None
    totals = store.totals(session)
    scores = store.scores(session)
    waiting: dict[str, str] = {}
    scored = totals.dropna(subset=["total"])
    raters_in = scored["evaluator"].unique().tolist()

    bias = None
    if anchor is None:
        waiting["bias"] = "This session has no anchor, so there is nothing to measure deviation from."
    elif anchor not in raters_in:
        waiting["bias"] = f"Waiting for the anchor ({anchor}) to submit a call."
    elif len(raters_in) < 2:
        waiting["bias"] = "Waiting for an evaluator to submit a call."
    else:
        bias = rater_bias(scored, ratings="total", anchor=anchor, tolerance=tolerance)

    items = None
    if scores["evaluator"].nunique() < 2:
        waiting["items"] = "Waiting for two raters to submit the same call."
    else:
        items = item_table(scores, store.scorecard(session), statistic=statistic, threshold=threshold)
        if items.empty:
            items = None
            waiting["items"] = "Waiting for two raters to score the same items."

    spread = None
    if scored.empty:
        waiting["spread"] = "Waiting for the first submitted call."
    else:
        spread = cc.call_spread(scored, anchor=anchor)
    return {"progress": progress, "calls": calls, "anchor": anchor, "totals": totals,
            "bias": bias, "items": items, "spread": spread, "waiting": waiting}


def peer_scores(store: SessionStore, session: str, rater: str, call: Hashable) -> pd.DataFrame | None:
    """Everyone's scores of one call, as ``rater`` may see them -- or None while hidden.

    The store decides what a rater may see (:meth:`~callcoach.store.SessionStore.scores`
    with ``as_rater``): in a blind session nothing of the others until the rater
    has submitted every call.

    Parameters
    ----------
    store : SessionStore
        The session store.
    session : str
        The session's name.
    rater : str
        Whose view.
    call : hashable
        The call.

    Returns
    -------
    pandas.DataFrame or None
        For display: one row per scorecard item (index: item id) and a last row
        ``total`` (0-100, from :meth:`~callcoach.store.SessionStore.totals`); one
        column per rater who scored the call, in session order, holding the scores
        as entered ("yes", 2, "N/A"). None when no other rater's score of the call
        is visible to ``rater``.

    Examples
    --------
    >>> from callcoach.store import SessionStore
    >>> store = SessionStore("sqlite://")
    >>> session = practice_session(store)
    >>> peer_scores(store, session, "you", "C-301") is None  # blind: you have not scored yet
    True
    >>> peer_scores(store, session, "Kai", "C-306").loc[["empathy", "closing", "total"]]
             Lena   Sam   Kai expert
    item
    empathy     5     2     3      3
    closing     2     1     2      2
    total    90.6  64.1  75.0   75.0
    """
    call_id = str(call)
    scores = store.scores(session, as_rater=rater)
    scores = scores[scores["call_id"] == call_id]
    if scores.empty or set(scores["evaluator"]) <= {rater}:
        return None
    card = store.scorecard(session)
    order = list(dict.fromkeys(scores["evaluator"]))
    table = scores.pivot(index="item", columns="evaluator", values="score")
    table = table.reindex(index=[i for i in card.item_ids if i in table.index], columns=order)
    shown = pd.DataFrame({r: [_entered(card.item(i), table.at[i, r]) for i in table.index]
                          for r in order}, index=pd.Index(table.index, name="item"))
    totals = store.totals(session, as_rater=rater)
    totals = totals[totals["call_id"] == call_id].set_index("evaluator")["total"]
    shown.loc["total"] = [f"{totals.get(r, float('nan')):.1f}" for r in order]
    shown.columns.name = None
    return shown


# ----------------------------------------------------------------------- helpers
def _esc(value: Any) -> str:
    return html.escape(str(value))


def _error_text(err: BaseException) -> str:
    """An exception's message without the quotes a plain KeyError adds."""
    if isinstance(err, KeyError) and err.args:
        return str(err.args[0]) if type(err) is KeyError else str(err)
    return str(err)


def _line(text: str, colour: str = _GREY) -> str:
    return f"<div style='color:{colour}'>{text}</div>"


def _draw(view: Any, chart: alt.TopLevelMixin) -> None:
    """Show ``chart`` in a view made by :func:`callcoach.widgets.chart_view`, from any thread."""
    if isinstance(view, alt.JupyterChart) or threading.current_thread() is threading.main_thread():
        redraw(view, chart)
    else:  # auto-refresh thread: an Output's context manager belongs to the kernel's thread
        from IPython import get_ipython

        if get_ipython() is not None:
            view.outputs = ()
            view.append_display_data(chart)


# -------------------------------------------------------------------- the form
class ScoringForm(w.VBox):
    """A scoring form for one rater in one calibration session; see :func:`scoring_form`.

    Attributes
    ----------
    controls : dict
        Item id -> the item's control (``ToggleButtons``, or a ``Dropdown`` for
        scales with more than seven points). A control's value is the score as
        entered ("yes", 2, "N/A") or None while unanswered.
    submit_button, previous_button, next_button : ipywidgets.Button
        *Submit*, *◀ Previous* and *Next ▶*.
    status, call_label, transcript, message, peers : ipywidgets.HTML
        How far the rater has got; the call being scored; its transcript; the
        result of the last *Submit* (a confirmation, or the store's error message);
        the peers' scores of the call (or why they are hidden).
    """

    def __init__(self, store: SessionStore, session: str, rater: str, *,
                 transcripts: Mapping[Hashable, str] | None = None, call: Hashable | None = None) -> None:
        if not isinstance(store, SessionStore):
            raise TypeError("The 'store' parameter of scoring_form must be a callcoach.store.SessionStore. "
                            f"Got {type(store).__name__} instead.")
        calls = store.calls(session)
        raters = store.raters(session)
        if rater not in raters:
            raise UnknownNameError(
                f"{rater!r} (the 'rater' parameter of scoring_form) is not a rater in session "
                f"{session!r}. Raters: {', '.join(map(repr, raters))}.")
        if transcripts is not None and not isinstance(transcripts, Mapping):
            raise TypeError("The 'transcripts' parameter of scoring_form must map call ids to text, "
                            f"such as {{'C-301': 'Agent: ...'}}. Got {type(transcripts).__name__} instead.")
        self.store, self.session, self.rater = store, session, rater
        self.calls = calls
        self.scorecard = store.scorecard(session)
        info = store.sessions().set_index("session").loc[session]
        self.blind = bool(info["blind"])
        self.anchor = None if pd.isna(info["anchor"]) else str(info["anchor"])
        self.transcripts = {str(k): v for k, v in (transcripts or {}).items()}
        self._index = 0

        self.status = w.HTML()
        self.call_label = w.HTML()
        self.previous_button = w.Button(description="◀ Previous", layout=w.Layout(width="110px"))
        self.next_button = w.Button(description="Next ▶", layout=w.Layout(width="110px"))
        self.transcript = w.HTML()
        self.submit_button = w.Button(description="Submit scores", button_style="primary", icon="check",
                                      layout=w.Layout(width="180px"))
        self.message = w.HTML()
        self.peers = w.HTML()
        self.controls: dict[str, w.ValueWidget] = {}
        rows: list[w.Widget] = []
        for section in self.scorecard.sections:
            rows.append(w.HTML(f"<h4 style='margin:10px 0 2px'>{_esc(section.label)}</h4>"))
            for item in section.items:
                control = self._control(item)
                self.controls[item.id] = control
                rows.append(w.HBox([self._label(item, section.label), control],
                                   layout=w.Layout(align_items="center")))
        for item_id, control in self.controls.items():
            control.add_class(f"callcoach-item-{item_id}")

        self.previous_button.on_click(lambda _b: self.go_to(self._index - 1))
        self.next_button.on_click(lambda _b: self.go_to(self._index + 1))
        self.submit_button.on_click(lambda _b: self.save())
        self.status.add_class("callcoach-form-status")
        self.message.add_class("callcoach-form-message")
        self.peers.add_class("callcoach-form-peers")
        head = w.HTML(f"<b>Scoring as {_esc(rater)}</b> · session <b>{_esc(session)}</b> · "
                      f"{_esc(self.scorecard.name)}"
                      f"{' · blind: peers stay hidden until you have scored every call' if self.blind else ''}")
        super().__init__([head, self.status,
                          w.HBox([self.previous_button, self.call_label, self.next_button],
                                 layout=w.Layout(align_items="center")),
                          self.transcript, *rows,
                          w.HBox([self.submit_button], layout=w.Layout(margin="10px 0 0 0")),
                          self.message, self.peers])
        self.add_class("callcoach-scoring-form")
        if call is not None:
            start = self._position(call)
        else:
            missing = self._progress_row()["missing"]
            start = self.calls.index(missing[0]) if missing else 0
        self.go_to(start)

    # ------------------------------------------------------------ building
    @staticmethod
    def _control(item: Item) -> w.ValueWidget:
        options: list[tuple[str, Any]]
        if item.scale in ("yes/no", "pass/fail"):
            words = item.scale.split("/")
            options = [(words[0], words[0]), (words[1], words[1])]
        else:
            options = [(str(p), p) for p in item.points]
        if item.na_allowed:
            options.append(("N/A", "N/A"))
        if len(item.points) <= 7:
            return w.ToggleButtons(options=options, value=None, style={"button_width": "52px"},
                                   tooltips=[f"{item.label}: {label}" for label, _ in options])
        return w.Dropdown(options=[("— choose —", None), *options], value=None, layout=w.Layout(width="140px"))

    @staticmethod
    def _label(item: Item, section_label: str) -> w.HTML:
        badges = []
        if item.critical == "fail-all":
            badges.append(f"<span style='color:{_BAD}'>⚠ critical: a fail scores the whole call 0</span>")
        elif item.critical == "fail-section":
            badges.append(f"<span style='color:{_BAD}'>⚠ critical: a fail zeroes the "
                          f"{_esc(section_label)} section</span>")
        if item.three_a:
            badges.append(f"<span style='color:{_OK}'>3A: {_esc(item.three_a)}</span>")
        extra = f"<br>{' · '.join(badges)}" if badges else ""
        scale = item.scale + (", N/A allowed" if item.na_allowed else "")
        desc = (f"<br><span style='color:#666;font-size:90%'>{_esc(item.description)}</span>"
                if item.description else "")
        return w.HTML(f"<div style='line-height:1.3'><b>{_esc(item.label)}</b> "
                      f"<span style='color:#777'>({item.weight:g} pts · {_esc(scale)})</span>{extra}{desc}</div>",
                      layout=w.Layout(width="520px", margin="2px 12px 2px 0"))

    # ------------------------------------------------------------- reading
    @property
    def call(self) -> str:
        """The call on screen."""
        return self.calls[self._index]

    def values(self) -> dict[str, Any]:
        """The scores on screen: item id -> score as entered, None where unanswered."""
        return {item_id: control.value for item_id, control in self.controls.items()}

    def set_values(self, scores: Mapping[str, Any]) -> None:
        """Put scores on the controls (the store's forms: 2, "yes", 1.0, "N/A", NaN).

        Raises
        ------
        KeyError
            An item that is not on the scorecard.
        ValueError
            A score off the item's scale (the message names the item and the scale).
        """
        for item_id, value in scores.items():
            item = self.scorecard.item(item_id)
            self.controls[item_id].value = _entered(item, item.check(value, call=self.call, rater=self.rater))

    def clear(self) -> None:
        """Unanswer every item."""
        for control in self.controls.values():
            control.value = None

    def _position(self, call: Hashable) -> int:
        text = str(call)
        if text not in self.calls:
            raise UnknownNameError(f"{call!r} is not a call in session {self.session!r}. "
                                   f"Calls: {', '.join(map(repr, self.calls))}.")
        return self.calls.index(text)

    def _progress_row(self) -> pd.Series:
        progress = self.store.progress(self.session)
        return progress.set_index("evaluator").loc[self.rater]

    def _own_scores(self, call: str) -> dict[str, float]:
        mine = self.store.scores(self.session, as_rater=self.rater)
        mine = mine[(mine["evaluator"] == self.rater) & (mine["call_id"] == call)]
        return dict(zip(mine["item"], mine["score"]))

    # ------------------------------------------------------------- actions
    def go_to(self, call: Hashable | int) -> None:
        """Show another call: a call id, or its position (0 = first) in the session.

        The rater's own earlier scores of the call are put back on the controls,
        so a call can be corrected and submitted again.
        """
        if isinstance(call, (int, np.integer)) and not isinstance(call, bool):
            index = min(max(int(call), 0), len(self.calls) - 1)
        else:
            index = self._position(call)
        self._index = index
        self.previous_button.disabled = index == 0
        self.next_button.disabled = index == len(self.calls) - 1
        own = self._own_scores(self.call)
        self.clear()
        if own:
            self.set_values(own)
        text = self.transcripts.get(self.call)
        if text is None:
            self.transcript.value = _line("<i>No transcript for this call: listen to the recording.</i>")
        else:
            lines = []
            for line in text.splitlines():
                who, sep, said = line.partition(":")
                if sep and who in ("Agent", "Customer", "Queue"):
                    lines.append(f"<b>{_esc(who)}:</b>{_esc(said)}")
                else:
                    lines.append(f"<i>{_esc(line)}</i>")
            self.transcript.value = (
                "<div style='border:1px solid #ddd;border-radius:4px;padding:6px 10px;max-height:18em;"
                "overflow:auto;background:#fafafa;max-width:900px'>" + "<br>".join(lines) + "</div>")
        self.message.value = ""
        self._show_state(submitted=bool(own))

    def _show_state(self, *, submitted: bool) -> None:
        row = self._progress_row()
        done, n = int(row["submitted"]), int(row["calls"])
        left = n - done
        self.status.value = _line(
            f"Scored <b>{done} of {n}</b> calls."
            + (" All done: you can now see everyone's scores below each call." if left == 0 and self.blind
               else ""), _OK if left == 0 else _GREY)
        mark = f"<span style='color:{_OK}'>✓ submitted</span>" if submitted else "not scored yet"
        self.call_label.value = (f"<div style='margin:0 12px'>Call <b>{_esc(self.call)}</b> "
                                 f"({self._index + 1} of {n}) · {mark}</div>")
        table = peer_scores(self.store, self.session, self.rater, self.call)
        if table is not None:
            self.peers.value = self._peer_html(table)
        elif self.blind and left:
            self.peers.value = _line(
                f"Peers' scores stay hidden until you have scored all {n} calls ({left} to go), "
                "so nobody's score leans on anyone else's.")
        else:
            self.peers.value = _line("No one else has scored this call yet.")

    def _peer_html(self, table: pd.DataFrame) -> str:
        anchor = self.anchor if self.anchor in table.columns else None
        head = "".join(f"<th style='padding:2px 8px'>{_esc(c)}{' (anchor)' if c == anchor else ''}</th>"
                       for c in table.columns)
        body = []
        for item_id, row in table.iterrows():
            label = "Total (0-100)" if item_id == "total" else self.scorecard.item(item_id).label
            cells = []
            for col, value in row.items():
                differs = anchor is not None and col != anchor and value != row[anchor]
                style = "padding:2px 8px;text-align:center" + (";background:#fbe3dc" if differs else "")
                cells.append(f"<td style='{style}'>{_esc(value)}</td>")
            weight = "font-weight:bold;" if item_id == "total" else ""
            body.append(f"<tr style='{weight}'><td style='padding:2px 8px'>{_esc(label)}</td>{''.join(cells)}</tr>")
        note = " Shaded: a score different from the anchor's." if anchor is not None else ""
        return (f"<div><b>Everyone's scores of call {_esc(self.call)}</b>.{note}</div>"
                f"<table style='border-collapse:collapse'><tr><th></th>{head}</tr>{''.join(body)}</table>")

    def save(self) -> bool:
        """Submit the scores on screen to the store (what *Submit* does).

        Returns
        -------
        bool
            True when the store took the scores. Otherwise :attr:`message` says
            why: unanswered items, or the store's own error message.
        """
        values = self.values()
        unanswered = [self.scorecard.item(i).label for i, v in values.items() if v is None]
        if unanswered:
            self.message.value = _line(
                f"<b>Not saved.</b> Choose a score for {len(unanswered)} more "
                f"item{'s' if len(unanswered) > 1 else ''}: {_esc('; '.join(unanswered))}.", _BAD)
            return False
        try:
            self.store.submit(self.session, self.rater, self.call, values)
        except (KeyError, ValueError, TypeError, StoreError) as err:
            self.message.value = _line(f"<b>Not saved.</b> {_esc(_error_text(err))}", _BAD)
            return False
        totals = self.store.totals(self.session, as_rater=self.rater)
        mine = totals[(totals["call_id"] == self.call) & (totals["evaluator"] == self.rater)]
        total = ""
        if len(mine):
            row = mine.iloc[0]
            total = f" Your total for this call: <b>{row['total']:.1f} of 100</b>"
            if row["failed_critical"]:
                total += f" (critical fail: {_esc(row['failed_critical'])})"
            total += "."
        self.message.value = _line(
            f"<b>✓ Saved</b> your scores for call {_esc(self.call)} at "
            f"{datetime.now():%H:%M:%S}.{total} Submitting again replaces them.", _OK)
        self._show_state(submitted=True)
        return True


def scoring_form(
    store: SessionStore,
    session: str,
    rater: str,
    *,
    transcripts: Mapping[Hashable, str] | None = None,
    call: Hashable | None = None,
) -> ScoringForm:
    """A form for one rater to score the session's calls, one call at a time.

    It shows the call (its id and, when given, its transcript), one control per
    scorecard item -- buttons for yes/no and for short ranges such as 0-2 or 1-5, a
    drop-down for longer ones, an N/A choice where the item allows it, critical
    items marked with what a fail does -- and *Submit*, which writes the call's
    scores with :meth:`callcoach.store.SessionStore.submit`. The line under the
    button confirms the save, or shows why not (an unanswered item, or the store's
    error message). *◀ Previous* and *Next ▶* move between calls; a call already
    submitted comes back with its scores, to correct and submit again.

    Below the form, the peers' scores of the call, as the store lets this rater
    see them: in a blind session only after they have submitted every call.

    Parameters
    ----------
    store : SessionStore
        The session store.
    session : str
        The session's name.
    rater : str
        Who is scoring (one of the session's raters, or its anchor).
    transcripts : mapping, optional
        Call id -> transcript text, e.g. :data:`PRACTICE_TRANSCRIPTS`.
    call : hashable, optional
        The call to start on; by default the first one this rater has not submitted.

    Returns
    -------
    ScoringForm
        An ``ipywidgets.VBox`` with ``controls``, ``submit_button``,
        ``previous_button``, ``next_button``, ``status``, ``message`` and ``peers``
        attributes, and ``go_to(call)``, ``values()``, ``set_values(scores)`` and
        ``save()`` methods.

    Raises
    ------
    UnknownNameError
        No such session, rater or call (a ``KeyError``).

    Examples
    --------
    >>> from callcoach.store import SessionStore
    >>> store = SessionStore("sqlite://")
    >>> session = practice_session(store)
    >>> form = scoring_form(store, session, "you", transcripts=PRACTICE_TRANSCRIPTS)
    >>> form.call, form.controls["greeting"].options
    ('C-301', (('0', 0), ('1', 1), ('2', 2)))
    >>> form.submit_button.click()          # nothing chosen yet
    >>> "Not saved" in form.message.value
    True
    >>> form.set_values({"greeting": 2, "verify_identity": "yes", "accurate_info": 2,
    ...                  "proactive_offer": 1, "feedback_raised": "yes", "empathy": 3,
    ...                  "hold_etiquette": "N/A", "followup_recorded": 1, "closing": 2})
    >>> form.submit_button.click()
    >>> "Saved" in form.message.value
    True
    >>> store.progress(session).set_index("evaluator").loc["you", ["submitted", "calls"]].tolist()
    [1, 6]
    """
    return ScoringForm(store, session, rater, transcripts=transcripts, call=call)


# -------------------------------------------------------- the facilitator view
# One auto-refreshing view per store and session in a kernel: re-running the cell
# that made a view stops the old view's thread when the new one starts.
_AUTO: weakref.WeakValueDictionary[tuple[int, str], FacilitatorView] = weakref.WeakValueDictionary()

_TITLES = {
    "bias": "Deviation from the anchor, per evaluator",
    "items": "Agreement per scorecard item",
    "spread": "Calls with the widest spread of totals",
    "progress": "Who has submitted what",
}


class FacilitatorView(w.VBox):
    """The facilitator's screen for a calibration session; see :func:`facilitator_view`.

    Attributes
    ----------
    tables : dict
        The latest :func:`facilitator_tables`.
    figures : dict
        The latest altair charts: ``"bias"``, ``"items"``, ``"spread"``, ``"progress"``.
    views : dict
        The widgets showing them.
    refresh_button : ipywidgets.Button
    auto_refresh : ipywidgets.Checkbox
        Ticking it starts :meth:`start_auto_refresh`; unticking stops it.
    every : ipywidgets.BoundedIntText
        Seconds between automatic refreshes.
    summary, notes : ipywidgets.HTML
        The session in one line; and what a chart waits for, or the last error.
    """

    def __init__(self, store: SessionStore, session: str, *, tolerance: float = 5.0,
                 statistic: str = "gwet_ac1", threshold: float | None = None, top: int = 5,
                 auto_refresh: float | None = None) -> None:
        if not isinstance(store, SessionStore):
            raise TypeError("The 'store' parameter of facilitator_view must be a callcoach.store.SessionStore. "
                            f"Got {type(store).__name__} instead.")
        if statistic not in cc.STATISTIC_TITLES:
            raise ValueError(f"The 'statistic' parameter of facilitator_view must be one of "
                             f"{', '.join(map(repr, cc.STATISTIC_TITLES))}. Got {statistic!r} instead.")
        if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or tolerance < 0:
            raise ValueError("The 'tolerance' parameter of facilitator_view must be a number of points, "
                             f"0 or more. Got {tolerance!r} instead.")
        self.store, self.session = store, session
        self.options = {"tolerance": float(tolerance), "statistic": statistic,
                        "threshold": DEFAULT_THRESHOLDS[statistic] if threshold is None else threshold}
        self.top = top
        self._lock = threading.Lock()
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None
        self._syncing = False

        self.refresh_button = w.Button(description="Refresh", icon="refresh", button_style="primary")
        grading = bool(os.environ.get(NBGRADER_ENV))
        self.auto_refresh = w.Checkbox(value=False, description="Auto-refresh", indent=False,
                                       disabled=grading, layout=w.Layout(width="120px"))
        self.every = w.BoundedIntText(value=10, min=2, max=600, description="every (s)",
                                      layout=w.Layout(width="150px"))
        self.summary = w.HTML()
        self.notes = w.HTML()
        self.summary.add_class("callcoach-facilitator-summary")
        self.tables: dict[str, Any] = {}
        self.figures: dict[str, alt.TopLevelMixin] = {}
        self._compute()
        self.views = {key: chart_view(fig) for key, fig in self.figures.items()}
        frames = []
        for key, view in self.views.items():  # a plain box carries the CSS class for any view
            frames.append(w.Box([view]))
            frames[-1].add_class(f"callcoach-chart-{key}")
        self._write_text()

        self.refresh_button.on_click(lambda _b: self._refresh_quietly())
        self.auto_refresh.observe(self._on_auto, names="value")
        self.every.observe(self._on_every, names="value")
        controls = w.HBox([self.refresh_button, self.auto_refresh, self.every],
                          layout=w.Layout(align_items="center"))
        head = w.HTML(f"<h3 style='margin:4px 0'>Calibration session {_esc(session)}: facilitator view</h3>")
        super().__init__([head, controls, self.summary, self.notes, *frames])
        self.add_class("callcoach-facilitator")
        if auto_refresh:
            self.start_auto_refresh(auto_refresh)

    # -------------------------------------------------------------- refresh
    def _compute(self) -> None:
        tables = facilitator_tables(self.store, self.session, tolerance=self.options["tolerance"],
                                    statistic=self.options["statistic"], threshold=self.options["threshold"])
        waiting, anchor = tables["waiting"], tables["anchor"] or "anchor"
        figures: dict[str, alt.TopLevelMixin] = {}
        if tables["bias"] is None:
            figures["bias"] = cc.waiting_chart(_TITLES["bias"], waiting["bias"])
        else:
            figures["bias"] = cc.rater_bias_chart(tables["bias"], anchor=anchor,
                                                  tolerance=self.options["tolerance"])
        if tables["items"] is None:
            figures["items"] = cc.waiting_chart(_TITLES["items"], waiting["items"])
        else:
            figures["items"] = cc.item_agreement_chart(tables["items"], statistic=self.options["statistic"],
                                                       threshold=self.options["threshold"])
        if tables["spread"] is None:
            figures["spread"] = cc.waiting_chart(_TITLES["spread"], waiting["spread"])
        else:
            figures["spread"] = cc.call_spread_chart(tables["totals"].dropna(subset=["total"]),
                                                     anchor=tables["anchor"], top=self.top)
        figures["progress"] = cc.progress_chart(tables["progress"], calls=tables["calls"])
        self.tables, self.figures = tables, figures

    def _write_text(self) -> None:
        progress = self.tables["progress"]
        n_calls = len(self.tables["calls"])
        done = int(progress["complete"].sum())
        scored = int(progress["submitted"].sum())
        running = self._thread is not None and self._thread.is_alive()
        self.summary.value = _line(
            f"<b>{done} of {len(progress)}</b> raters have scored all {n_calls} calls · "
            f"<b>{scored} of {n_calls * len(progress)}</b> call scores are in · "
            f"updated {datetime.now():%H:%M:%S}"
            + (f" · auto-refresh every {self.every.value} s" if running else ""))
        waiting = self.tables["waiting"]
        self.notes.value = "".join(_line(f"{_esc(_TITLES[k])}: {_esc(v)}") for k, v in waiting.items())

    def refresh(self) -> None:
        """Read the store again and redraw every chart and the summary line.

        Raises
        ------
        StoreError
            The store cannot be read (the *Refresh* button shows the message instead).
        """
        with self._lock:
            self._compute()
            for key, figure in self.figures.items():
                _draw(self.views[key], figure)
            self._write_text()

    def _refresh_quietly(self) -> None:
        try:
            self.refresh()
        except (StoreError, KeyError, ValueError, TypeError) as err:
            self.notes.value = _line(f"<b>Could not refresh:</b> {_esc(_error_text(err))}", _BAD)

    # --------------------------------------------------------- auto-refresh
    def start_auto_refresh(self, seconds: float | None = None) -> bool:
        """Refresh every ``seconds`` (default: the *every* box) in a background thread.

        ``seconds`` may be a fraction (tests use 0.05); the box shows it rounded.

        The thread waits on an event, so :meth:`stop_auto_refresh` ends it at once;
        it is a daemon thread, so it never keeps a kernel alive, and it stops by
        itself when the view is closed. Starting it stops any other auto-refreshing
        view of the same session in this kernel (a re-run cell leaves no orphan
        thread behind). While nbgrader executes a notebook it does not start.

        Returns
        -------
        bool
            True when the thread started.
        """
        if os.environ.get(NBGRADER_ENV):
            self.notes.value = _line("Auto-refresh is off while nbgrader runs this notebook.")
            self._set_box(False)
            return False
        if seconds is not None:
            if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds > 0:
                raise ValueError("The 'seconds' parameter of start_auto_refresh must be a positive "
                                 f"number. Got {seconds!r} instead.")
            self._syncing = True
            try:
                self.every.value = int(min(max(round(seconds), self.every.min), self.every.max))
            finally:
                self._syncing = False
        else:
            seconds = self.every.value
        self.stop_auto_refresh()
        key = (id(self.store), self.session)
        other = _AUTO.get(key)
        if other is not None and other is not self:
            other.stop_auto_refresh()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, args=(self._stop, float(seconds)),
                                        name=f"callcoach-refresh-{self.session}", daemon=True)
        _AUTO[key] = self
        self._thread.start()
        self._set_box(True)
        self._write_text()
        return True

    def stop_auto_refresh(self, timeout: float = 5.0) -> None:
        """Stop the auto-refresh thread (if running) and wait up to ``timeout`` s for it."""
        stop, thread = getattr(self, "_stop", None), getattr(self, "_thread", None)
        self._stop = self._thread = None
        if stop is not None:
            stop.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        if hasattr(self, "auto_refresh"):  # not when __init__ failed before making it
            self._set_box(False)

    @property
    def auto_refreshing(self) -> bool:
        """Whether the auto-refresh thread is running."""
        return self._thread is not None and self._thread.is_alive()

    def _loop(self, stop: threading.Event, seconds: float) -> None:
        while not stop.wait(seconds):
            if self.comm is None:  # the view was closed
                break
            try:
                self.refresh()
            except Exception as err:  # keep the screen alive; show what went wrong
                self.notes.value = _line(f"<b>Auto-refresh failed:</b> {_esc(_error_text(err))}", _BAD)

    def _set_box(self, value: bool) -> None:
        self._syncing = True
        try:
            self.auto_refresh.value = value
        finally:
            self._syncing = False

    def _on_auto(self, change: dict) -> None:
        if self._syncing:
            return
        if change["new"]:
            self.start_auto_refresh()
        else:
            self.stop_auto_refresh()
            self._write_text()

    def _on_every(self, _change: dict) -> None:
        if self.auto_refreshing and not self._syncing:
            self.start_auto_refresh()

    def close(self) -> None:
        """Stop auto-refresh, then close the widget."""
        self.stop_auto_refresh()
        super().close()


def facilitator_view(
    store: SessionStore,
    session: str,
    *,
    tolerance: float = 5.0,
    statistic: str = "gwet_ac1",
    threshold: float | None = None,
    top: int = 5,
    auto_refresh: float | None = None,
) -> FacilitatorView:
    """The facilitator's live view of a calibration session: four charts and a summary.

    * **Deviation from the anchor** -- each evaluator's mean difference from the
      anchor's total on the same calls, with its 95 % confidence interval,
      coloured lenient (宽松), severe (严格) or in line
      (:func:`callcoach.calibration.rater_bias`).
    * **Agreement per scorecard item** -- items whose agreement is below the bar
      need clearer definitions (:func:`item_table`, from
      :func:`callcoach.calibration.item_agreement`).
    * **Calls with the widest spread** of totals -- the calls to discuss first
      (:func:`callcoach.calibration_charts.call_spread` of the totals from
      :func:`callcoach.scorecard.score_evaluations`).
    * **Progress** -- who has submitted which call
      (:meth:`callcoach.store.SessionStore.progress`).

    *Refresh* reads the store again. *Auto-refresh* (off by default) does it every
    few seconds in a background thread that stops when unticked, when the view is
    closed, or when another view of the same session starts auto-refreshing; it
    cannot be switched on while nbgrader runs the notebook.

    Parameters
    ----------
    store : SessionStore
        The session store.
    session : str
        The session's name.
    tolerance : float, default 5
        Points of 100 within which nobody is labelled lenient or severe
        (``rater_bias``'s ``tolerance``).
    statistic : str, default "gwet_ac1"
        Agreement statistic per item (see :func:`callcoach.calibration.item_agreement`).
    threshold : float, optional
        The bar an item must reach; the statistic's default when None.
    top : int, default 5
        How many calls the spread chart shows.
    auto_refresh : float, optional
        Start auto-refreshing every this many seconds.

    Returns
    -------
    FacilitatorView
        An ``ipywidgets.VBox`` with ``tables``, ``figures``, ``views``,
        ``refresh_button``, ``auto_refresh``, ``every``, ``summary`` and ``notes``
        attributes, and ``refresh()``, ``start_auto_refresh()`` and
        ``stop_auto_refresh()`` methods.

    Examples
    --------
    >>> from callcoach.store import SessionStore
    >>> store = SessionStore("sqlite://")
    >>> session = practice_session(store)
    >>> view = facilitator_view(store, session)
    >>> view.figures["progress"].to_dict()["title"]["text"]
    '4 of 5 raters have scored all 6 calls; 6 scores to come'
    >>> form = scoring_form(store, session, "you")
    >>> form.set_values(dict(zip(form.scorecard.item_ids, [2, "yes", 2, 1, "yes", 3, "N/A", 1, 2])))
    >>> form.submit_button.click()
    >>> view.refresh_button.click()
    >>> view.figures["progress"].to_dict()["title"]["text"]
    '4 of 5 raters have scored all 6 calls; 5 scores to come'
    """
    return FacilitatorView(store, session, tolerance=tolerance, statistic=statistic,
                           threshold=threshold, top=top, auto_refresh=auto_refresh)
