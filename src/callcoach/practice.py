"""Put the 3A model into practice: spot it in call transcripts, then plan your own.

Two halves, used by ``course/15-put-3a-into-practice.ipynb``:

* **Reading calls.** :func:`three_a_moments` finds the 3A moments (座席员3A管理) in the
  ``transcripts`` dataset: the line where the agent makes a proactive offer (Active,
  积极性), reports a defect (Action, 行动力) or recaps a promise with its due time
  (Available, 有效性), and the places where one is missing. :func:`recorded_3a` joins
  the ``calls``, ``followups`` and ``feedback_tickets`` tables to say what the simulation
  recorded for the same calls and what happened next; :func:`moments_vs_records`
  compares the two. :func:`show_transcript` draws a call as a chat with its moments
  highlighted, and :func:`transcript_browser` lets a learner pick any call.
* **Planning.** :class:`ThreeAPlan` holds one goal per A, a measure and a target for
  each, and a review date; :func:`make_plan` checks what a learner typed and says what
  to fix (:class:`PlanError`); :func:`write_plan` / :func:`read_plan` save it as
  Markdown for the coach, never replacing an earlier plan silently; :func:`plan_form`
  is the form the lesson shows.

The transcripts are written by :mod:`callcoach.sim.transcripts` from what the
simulation decided for each call, so every moment found here matches a fact in the
tables (the tests check it call by call). The phrases matched are in :data:`CUES`.
"""
from __future__ import annotations

import datetime as dt
import html
import os
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import altair as alt
import ipywidgets as w
import numpy as np
import pandas as pd

from callcoach import charts, kpi
from callcoach._messages import listing

__all__ = [
    "AS",
    "CHINESE",
    "CUES",
    "DEFAULT_MEASURES",
    "PLAN_FILE",
    "QUESTIONS",
    "STATUSES",
    "PlanError",
    "PlanForm",
    "PlanGoal",
    "ThreeAPlan",
    "called_again",
    "clear_calls",
    "floor_baselines",
    "make_plan",
    "moments_chart",
    "moments_summary",
    "moments_vs_records",
    "outcomes_by_a",
    "outcomes_chart",
    "pick_call",
    "plan_form",
    "plan_markdown",
    "plan_problems",
    "read_plan",
    "recorded_3a",
    "show_transcript",
    "three_a_moments",
    "transcript_browser",
    "transcript_html",
    "write_plan",
]

#: The three A's, in the model's order.
AS: tuple[str, ...] = ("Active", "Action", "Available")
#: The Chinese term of each A (SOURCES.md §1).
CHINESE = {"Active": "积极性", "Action": "行动力", "Available": "有效性"}
#: The question each A asks the agent after a call.
QUESTIONS = {"Active": "What else did I think of?", "Action": "What did I do about it?",
             "Available": "Did I finish it?"}
#: What a moment can be: the A is there, half there (a promise with no time), missing
#: where it was called for, or not called for on this call (no defect, no promise).
STATUSES: tuple[str, ...] = ("shown", "weak", "missing", "not needed")

#: The phrases that mark each moment in a transcript: (A, status) -> (speaker, regular
#: expression, matched case-insensitively against one line). They are the phrases
#: :mod:`callcoach.sim.transcripts` writes; an A with no cue on a call is "missing"
#: (Active) or "not needed" (Action: no defect came up; Available: no promise made).
CUES: dict[tuple[str, str], tuple[str, str]] = {
    ("Active", "shown"): ("agent", r"\bwhile i have you\b|\bone more thing\b"
                                   r"|\bi've (?:also )?(?:e-?mailed|texted|sent) you\b"),
    ("Action", "shown"): ("agent", r"\breported (?:this|it) to (?:our|the) [\w ]+ team\b"),
    ("Action", "missing"): ("customer", r"\bdoes this happen to other people\b"),
    ("Available", "shown"): ("agent", r"\bto recap what happens next\b"),
    ("Available", "weak"): ("agent", r"^\s*(?:someone will get back to you|we'll be in touch)\b"),
}
_CUES = {key: (who, re.compile(rx, re.IGNORECASE)) for key, (who, rx) in CUES.items()}
_NO_CUE = {"Active": "missing", "Action": "not needed", "Available": "not needed"}

#: What each moment means, for tags, summaries and feedback.
_MEANING = {
    ("Active", "shown"): "proactive offer: something the customer did not ask for",
    ("Active", "missing"): "no proactive offer on this call",
    ("Action", "shown"): "the defect reported to the team that can fix it",
    ("Action", "missing"): "a defect, and no report: the customer asks if others have it, the agent cannot say",
    ("Action", "not needed"): "no defect on this call: nothing to report",
    ("Available", "shown"): "the promise recapped with its due time and logged",
    ("Available", "weak"): "a promise with no time and no record: vague, easy to forget",
    ("Available", "not needed"): "no promise made: nothing to finish later",
}
_COLOURS = {"shown": charts.COLOURS["met"], "weak": "#f4a261", "missing": charts.COLOURS["missed"],
            "not needed": "#c9ced6"}
_MARK = {"shown": "✓", "weak": "~", "missing": "✗", "not needed": "–"}

#: The file a learner's plan is saved to, next to the notebook.
PLAN_FILE = "my-3a-plan.md"
#: The measure each goal starts with in the plan form (a share, in percent).
DEFAULT_MEASURES = {
    "Active": "% of my answered calls with a proactive offer",
    "Action": "% of my calls on a defect with a feedback ticket",
    "Available": "% of my promises kept by their due time",
}
_GOAL_EXAMPLES = {
    "Active": "e.g. On every bill query, e-mail the bill breakdown and show the spending cap",
    "Action": "e.g. Raise a feedback ticket for every new defect I confirm, with the call ID",
    "Available": "e.g. Close every promise by its due time; check my open promises at 2 pm",
}


# ----------------------------------------------------------------------- reading calls


def _check_columns(data: Any, needed: Iterable[str], func: str, name: str) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"The {name!r} parameter of {func} must be a pandas DataFrame "
                        f"(datasets.load({name!r})). Got {type(data).__name__} instead.")
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise KeyError(f"The {name!r} table given to {func} has no column {listing(missing)}. "
                       f"Expected the columns of datasets.load({name!r}); it has {listing(data.columns)}.")
    return data


def _line_cues(transcripts: pd.DataFrame) -> pd.DataFrame:
    """Each line with the moment it marks (``a``, ``status``; empty when none).

    The agent's answer right after an "Action missing" question belongs to the same
    moment (it is where the report should have been).
    """
    t = transcripts.sort_values(["call_id", "line"], kind="mergesort").reset_index(drop=True)
    a = pd.Series(pd.NA, index=t.index, dtype="string")
    status = pd.Series(pd.NA, index=t.index, dtype="string")
    speaker = t["speaker"].astype("string").str.lower()
    text = t["text"].astype("string").fillna("")
    for (name, state), (who, rx) in _CUES.items():
        hit = (speaker == who) & text.str.contains(rx, regex=True) & a.isna()
        a[hit], status[hit] = name, state
    asked = (a == "Action") & (status == "missing")
    same_call = t["call_id"] == t["call_id"].shift(1)
    follow = asked.shift(1, fill_value=False) & same_call & (speaker == "agent") & a.isna()
    a[follow], status[follow] = "Action", "missing"
    return t.assign(a=a, status=status)


def three_a_moments(transcripts: pd.DataFrame) -> pd.DataFrame:
    """Find the 3A moments in call transcripts: one row per call and A.

    Parameters
    ----------
    transcripts : pandas.DataFrame
        The ``transcripts`` dataset: ``call_id``, ``line``, ``speaker`` ("agent" or
        "customer") and ``text``, one row per line said.

    Returns
    -------
    pandas.DataFrame
        Three rows per call (Active, Action, Available, in that order), sorted by call:
        ``call_id``; ``a``; ``status`` — "shown", "weak" (a promise with no due time),
        "missing" or "not needed" (see Notes); ``line`` (Int64: the first line of the
        moment, empty when nothing was said) and ``said`` (what was said there).

    Notes
    -----
    A line marks a moment when it matches a phrase of :data:`CUES`:

    ========= ============================================= ===================================
    A         shown                                         otherwise
    ========= ============================================= ===================================
    Active    the agent offers something not asked for      "missing"
              ("While I have you: I've e-mailed you...")
    Action    the agent says the defect was reported        "missing" when the customer asks
              ("I've also reported this to our app team")   "Does this happen to other people
                                                            too?" and gets no report; else
                                                            "not needed" (no defect)
    Available the agent recaps the promise with its due     "weak" for "We'll be in touch";
              time ("To recap what happens next: ...")      "not needed" when no promise
    ========= ============================================= ===================================

    A transcript shows the *promise*; only the ``followups`` table shows whether it
    was finished (:func:`recorded_3a`).

    Examples
    --------
    >>> from callcoach import datasets
    >>> moments = three_a_moments(datasets.load("transcripts"))
    >>> list(moments.columns)
    ['call_id', 'a', 'status', 'line', 'said']
    >>> set(moments.groupby("call_id")["a"].apply(tuple)) == {AS}
    True
    >>> set(moments["status"]) <= set(STATUSES)
    True
    >>> offers = moments[(moments["a"] == "Active") & (moments["status"] == "shown")]
    >>> bool(offers["said"].str.len().gt(0).all() and offers["line"].notna().all())
    True
    """
    func = "three_a_moments"
    _check_columns(transcripts, ["call_id", "line", "speaker", "text"], func, "transcripts")
    lines = _line_cues(transcripts)
    found = lines.dropna(subset=["a"]).drop_duplicates(["call_id", "a"], keep="first")
    calls = pd.unique(lines["call_id"])
    grid = pd.MultiIndex.from_product([calls, AS], names=["call_id", "a"]).to_frame(index=False)
    out = grid.merge(found[["call_id", "a", "status", "line", "text"]], on=["call_id", "a"], how="left")
    out["status"] = out["status"].fillna(out["a"].map(_NO_CUE)).astype("string")
    out["line"] = out["line"].astype("Int64")
    out["said"] = out.pop("text").astype("string")
    out["a"] = out["a"].astype("string")
    return out[["call_id", "a", "status", "line", "said"]]


def called_again(calls: pd.DataFrame, *, window_days: float = 7, end: Any = None) -> pd.Series:
    """Whether the customer called again about the same issue within ``window_days``.

    Parameters
    ----------
    calls : pandas.DataFrame
        The ``calls`` dataset (``call_id``, ``issue_id``, ``arrival_time``, ``answered``).
    window_days : float, default 7
        The window after each call, inclusive (the course's repeat window).
    end : datetime-like, optional
        The end of the data; by default the latest arrival in ``calls``.

    Returns
    -------
    pandas.Series
        Boolean (nullable), indexed by ``call_id``, one entry per answered call: True if
        another answered call about the same ``issue_id`` came within the window — a
        repeat, even one filed under another reason, or a complaint about a missed
        promise; empty (NA) if the window runs past the end of the data.

    Notes
    -----
    ``issue_id`` is the simulator's record of which problem a call was about, so this
    is "what really happened". A centre without it estimates repeats from the same
    customer and reason (:func:`callcoach.kpi.fcr_by_repeats`).

    Examples
    --------
    >>> calls = pd.DataFrame({"call_id": [1, 2, 3, 4], "issue_id": [10, 10, 20, 30],
    ...                       "arrival_time": pd.to_datetime(["2026-03-01", "2026-03-04",
    ...                                                       "2026-03-02", "2026-03-20"]),
    ...                       "answered": [True, True, True, True]})
    >>> called_again(calls).tolist()
    [True, False, False, <NA>]
    """
    func = "called_again"
    _check_columns(calls, ["call_id", "issue_id", "arrival_time", "answered"], func, "calls")
    if not (isinstance(window_days, (int, float, np.number)) and not isinstance(window_days, bool)
            and window_days > 0):
        raise ValueError(f"The 'window_days' parameter of {func} must be a positive number of days. "
                         f"Got {window_days!r} instead.")
    window = pd.Timedelta(days=float(window_days))
    answered = calls[calls["answered"].astype(bool)].sort_values("arrival_time", kind="mergesort")
    following = answered.groupby("issue_id")["arrival_time"].shift(-1)
    again = pd.array((following - answered["arrival_time"]) <= window, dtype="boolean")
    end = calls["arrival_time"].max() if end is None else pd.Timestamp(end)
    again[((answered["arrival_time"] + window) > end).to_numpy() & ~again] = pd.NA
    return pd.Series(again, index=pd.Index(answered["call_id"].to_numpy(), name="call_id"),
                     name="called_again").sort_index()


def recorded_3a(calls: pd.DataFrame, followups: pd.DataFrame, tickets: pd.DataFrame,
                reasons: pd.DataFrame, *, call_ids: Iterable | None = None,
                window_days: float = 7) -> pd.DataFrame:
    """What the simulation recorded about the 3A on each answered call, and what came next.

    Parameters
    ----------
    calls, followups, tickets, reasons : pandas.DataFrame
        The ``calls``, ``followups``, ``feedback_tickets`` and ``reasons`` datasets.
    call_ids : iterable, optional
        Keep these calls (e.g. the transcribed ones); calls not in ``calls`` (the
        transcripts of the months before the quarter) are left out. By default every
        answered call.
    window_days : float, default 7
        The window of :func:`called_again`.

    Returns
    -------
    pandas.DataFrame
        One row per answered call, by ``call_id``: ``agent_id``, ``reason``, ``defect``
        (the reason is a product or process defect), ``proactive_offer`` (Active: the
        wrap-up code), ``ticket`` (Action: a feedback ticket was raised from the call),
        ``promise`` (Available: a follow-up was promised), ``due_at`` and
        ``completed_at`` of the promise, ``promise_kept`` ("on time", "late", "not kept",
        or "not due yet" — even if already done; empty without a promise) and
        ``called_again`` (see :func:`called_again`).

    Notes
    -----
    A promise counts as due once its due time has passed by the data's as-of time (the
    latest promise or completion in ``followups``), as in
    :func:`callcoach.kpi.followup_completion_rate`: the share of "on time" among the due
    promises is that function's rate.

    Examples
    --------
    >>> from callcoach import datasets
    >>> tables = [datasets.load(n) for n in ("calls", "followups", "feedback_tickets", "reasons")]
    >>> rec = recorded_3a(*tables)
    >>> list(rec.columns)  # doctest: +NORMALIZE_WHITESPACE
    ['call_id', 'agent_id', 'reason', 'defect', 'proactive_offer', 'ticket', 'promise',
     'due_at', 'completed_at', 'promise_kept', 'called_again']
    >>> due = rec["promise_kept"].isin(["on time", "late", "not kept"])
    >>> from callcoach import kpi
    >>> bool(np.isclose((rec.loc[due, "promise_kept"] == "on time").mean(),
    ...                 kpi.followup_completion_rate(tables[1])))
    True
    """
    func = "recorded_3a"
    _check_columns(calls, ["call_id", "issue_id", "reason", "agent_id", "arrival_time", "answered",
                           "proactive_offer"], func, "calls")
    _check_columns(followups, ["call_id", "promised_at", "due_at", "completed_at"], func, "followups")
    _check_columns(tickets, ["call_id"], func, "tickets")
    _check_columns(reasons, ["reason", "defect"], func, "reasons")
    rows = calls
    if call_ids is not None:
        wanted = pd.Index(pd.unique(np.asarray(list(call_ids))))
        issues = calls.loc[calls["call_id"].isin(wanted), "issue_id"]
        rows = calls[calls["issue_id"].isin(issues)]  # the calls of those issues tell what came next
    again = called_again(rows, window_days=window_days, end=calls["arrival_time"].max())
    answered = rows[rows["answered"].astype(bool)]
    if call_ids is not None:
        answered = answered[answered["call_id"].isin(wanted)]
    defects = set(reasons.loc[reasons["defect"].astype(bool), "reason"])
    promises = followups.drop_duplicates("call_id").set_index("call_id")
    out = pd.DataFrame({
        "call_id": answered["call_id"].to_numpy(),
        "agent_id": answered["agent_id"].to_numpy(),
        "reason": answered["reason"].to_numpy(),
        "defect": answered["reason"].isin(defects).to_numpy(),
        "proactive_offer": answered["proactive_offer"].astype(bool).to_numpy(),
        "ticket": answered["call_id"].isin(tickets["call_id"]).to_numpy(),
        "promise": answered["call_id"].isin(promises.index).to_numpy(),
    })
    out["due_at"] = out["call_id"].map(promises["due_at"])
    out["completed_at"] = out["call_id"].map(promises["completed_at"])
    as_of = followups[["promised_at", "completed_at"]].max().max()
    done = out["completed_at"].where(out["completed_at"] <= as_of)
    kept = np.select([out["due_at"] > as_of, done <= out["due_at"], done.notna(), out["promise"]],
                     ["not due yet", "on time", "late", "not kept"], default="")
    out["promise_kept"] = pd.array(np.where(kept == "", None, kept), dtype="string")
    out["called_again"] = out["call_id"].map(again).astype("boolean")
    return out.sort_values("call_id", kind="mergesort").reset_index(drop=True)


def moments_vs_records(moments: pd.DataFrame, recorded: pd.DataFrame) -> pd.DataFrame:
    """Compare what each transcript shows with what the tables recorded for the call.

    Parameters
    ----------
    moments : pandas.DataFrame
        From :func:`three_a_moments`.
    recorded : pandas.DataFrame
        From :func:`recorded_3a`; only calls in both tables are compared.

    Returns
    -------
    pandas.DataFrame
        One row per call and A: ``call_id``, ``a``, ``status`` (the transcript's),
        ``recorded`` (what the tables say: "offer" / "no offer", "ticket" /
        "no ticket" / "no defect", "promise" / "no promise") and ``agree``.

    Notes
    -----
    Active agrees when an offer line appears exactly when the wrap-up code says
    ``proactive_offer``. Action is judged on defect calls (a report shown exactly when
    a ticket exists); on other calls the transcript must not mention a defect (a ticket
    raised on a call that was not a defect is not said on the call). Available agrees
    when a promise is heard (recapped or vague) exactly when ``followups`` has one.

    Examples
    --------
    >>> from callcoach import datasets
    >>> moments = three_a_moments(datasets.load("transcripts"))
    >>> tables = [datasets.load(n) for n in ("calls", "followups", "feedback_tickets", "reasons")]
    >>> compared = moments_vs_records(moments, recorded_3a(*tables, call_ids=moments["call_id"]))
    >>> bool(compared["agree"].all())
    True
    """
    _check_columns(moments, ["call_id", "a", "status"], "moments_vs_records", "moments")
    _check_columns(recorded, ["call_id", "defect", "proactive_offer", "ticket", "promise"],
                   "moments_vs_records", "recorded")
    both = moments.merge(recorded, on="call_id", how="inner")
    st = both["status"]
    rec = np.select(
        [both["a"] == "Active", (both["a"] == "Action") & ~both["defect"], both["a"] == "Action"],
        [np.where(both["proactive_offer"], "offer", "no offer"), "no defect",
         np.where(both["ticket"], "ticket", "no ticket")],
        default=np.where(both["promise"], "promise", "no promise"))
    agree = np.select(
        [both["a"] == "Active", (both["a"] == "Action") & ~both["defect"], both["a"] == "Action"],
        [(st == "shown") == both["proactive_offer"], st == "not needed",
         st == np.where(both["ticket"], "shown", "missing")],
        default=st.isin(["shown", "weak"]) == both["promise"])
    return pd.DataFrame({"call_id": both["call_id"], "a": both["a"], "status": st,
                         "recorded": pd.array(rec, dtype="string"), "agree": agree.astype(bool)})


def clear_calls(moments: pd.DataFrame, recorded: pd.DataFrame) -> list:
    """Transcribed calls whose 3A can be read without doubt, and checked against the tables.

    Parameters
    ----------
    moments, recorded : pandas.DataFrame
        From :func:`three_a_moments` and :func:`recorded_3a`.

    Returns
    -------
    list
        Call ids, in call order: calls in ``recorded`` where the transcript and the
        tables agree on every A, no promise is vague, and no ticket was raised that the
        transcript cannot show (a ticket on a call that was not a defect).

    Examples
    --------
    >>> from callcoach import datasets
    >>> moments = three_a_moments(datasets.load("transcripts"))
    >>> tables = [datasets.load(n) for n in ("calls", "followups", "feedback_tickets", "reasons")]
    >>> recorded = recorded_3a(*tables, call_ids=moments["call_id"])
    >>> calls = clear_calls(moments, recorded)
    >>> set(calls) <= set(recorded["call_id"])
    True
    """
    compared = moments_vs_records(moments, recorded)
    ok = compared.groupby("call_id")["agree"].all() & ~compared.assign(
        weak=compared["status"] == "weak").groupby("call_id")["weak"].any()
    hidden = recorded.set_index("call_id")
    hidden = hidden.index[hidden["ticket"] & ~hidden["defect"]]
    return [c for c in ok.index[ok] if c not in set(hidden)]


def pick_call(moments: pd.DataFrame, want: Mapping[str, str | Collection[str]], *,
              among: Iterable | None = None, prefer: Iterable | None = None, exclude: Iterable = ()) -> Any:
    """The call whose 3A moments best match ``want``: pick example calls by what they show.

    Parameters
    ----------
    moments : pandas.DataFrame
        From :func:`three_a_moments`.
    want : mapping
        A -> the status wanted (or several), e.g. ``{"Active": "shown", "Action": "missing"}``.
    among : iterable, optional
        Only these calls (when none of them is left after ``exclude``, every call).
    prefer : iterable, optional
        Among calls matching equally well, these come first (e.g. the calls of the
        quarter, whose outcome is known).
    exclude : iterable, optional
        Calls not to pick (the ones already shown).

    Returns
    -------
    call id
        The call matching the most wishes; ties go to ``prefer``, then to the earliest call.

    Examples
    --------
    >>> from callcoach import datasets
    >>> moments = three_a_moments(datasets.load("transcripts"))
    >>> call = pick_call(moments, {"Active": "shown"})
    >>> moments[(moments["call_id"] == call) & (moments["a"] == "Active")]["status"].item()
    'shown'
    >>> pick_call(moments, {"Activ": "shown"})
    Traceback (most recent call last):
    ...
    ValueError: The 'want' parameter of pick_call names 'Activ'; the A's are 'Active', 'Action', 'Available'.
    """
    func = "pick_call"
    _check_columns(moments, ["call_id", "a", "status"], func, "moments")
    if not isinstance(want, Mapping) or not want:
        raise ValueError(f"The 'want' parameter of {func} must map A's to statuses, such as "
                         f"{{'Active': 'shown'}}. Got {want!r} instead.")
    for a, states in want.items():
        if a not in AS:
            raise ValueError(f"The 'want' parameter of {func} names {a!r}; the A's are {listing(AS)}.")
        for s in [states] if isinstance(states, str) else states:
            if s not in STATUSES:
                raise ValueError(f"The 'want' parameter of {func} asks {a} to be {s!r}; a status is one of "
                                 f"{listing(STATUSES)}.")
    order = list(pd.unique(moments["call_id"]))
    if not order:
        raise ValueError(f"The 'moments' table given to {func} is empty: there is no call to pick.")
    skip = set(exclude)
    pool = [c for c in order if c not in skip]
    if among is not None:
        keep = set(among)
        pool = [c for c in pool if c in keep] or [c for c in order if c not in skip]
    pool = pool or order
    status = moments.set_index(["call_id", "a"])["status"]
    liked = set(prefer) if prefer is not None else set()

    def score(call):
        hits = sum(status.get((call, a)) in ({s} if isinstance(s, str) else set(s)) for a, s in want.items())
        return (-hits, call not in liked, order.index(call))

    return min(pool, key=score)


# ------------------------------------------------------------------ drawing a call


def _esc(text: Any) -> str:
    return html.escape("" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text))


def _tag(a: str, status: str) -> str:
    colour = _COLOURS[status]
    word = {"shown": "", "weak": " · weak", "missing": " · missing", "not needed": ""}[status]
    return (f"<span style='display:inline-block;margin:2px 0 0;padding:0 6px;border-radius:8px;"
            f"background:{colour};color:white;font-size:11px'>{_MARK[status]} {a} {CHINESE[a]}{word}</span>")


def _happened(row: pd.Series | None) -> str:
    """One line on what the tables recorded, for the foot of a transcript."""
    if row is None:
        return ("<i>This call is from before the quarter of call-level data: the transcript is all we "
                "have.</i>")
    parts = ["proactive offer recorded" if row["proactive_offer"] else "no proactive offer recorded"]
    if row["ticket"]:
        parts.append("a feedback ticket was raised")
    elif row["defect"]:
        parts.append("no ticket on this defect")
    if row["promise"]:
        kept = row["promise_kept"]
        due = pd.Timestamp(row["due_at"])
        words = {"on time": "kept on time", "late": "kept late", "not kept": "not kept",
                 "not due yet": "not yet due when the data ends"}.get(kept, kept)
        parts.append(f"the promise due {due:%a %d %b}: <b>{_esc(words)}</b>"
                     + (f" (done {pd.Timestamp(row['completed_at']):%a %d %b})" if kept in ("on time", "late") else ""))
    again = row["called_again"]
    parts.append("too near the end of the data to see a next call" if pd.isna(again)
                 else "the customer called again about it within 7 days" if bool(again)
                 else "no further call about it within 7 days")
    return "What the tables recorded: " + "; ".join(parts) + "."


def transcript_html(transcripts: pd.DataFrame, call_id: Any, *, highlight: bool = True,
                    recorded: pd.DataFrame | None = None) -> str:
    """A call drawn as a chat, with its 3A moments tagged, as an HTML string.

    Parameters
    ----------
    transcripts : pandas.DataFrame
        The ``transcripts`` dataset.
    call_id : int
        The call to draw.
    highlight : bool, default True
        Tag the lines of the 3A moments and list each A under the call; False draws the
        plain call (to spot the A's yourself first).
    recorded : pandas.DataFrame, optional
        From :func:`recorded_3a`: adds a line on what the tables recorded and what came
        next (shown with ``highlight`` only).

    Returns
    -------
    str
        One ``<div>``: the agent's lines on the left, the customer's on the right.

    Examples
    --------
    >>> from callcoach import datasets
    >>> transcripts = datasets.load("transcripts")
    >>> call = transcripts["call_id"].iloc[0]
    >>> page = transcript_html(transcripts, call)
    >>> "Agent" in page and "Active" in page
    True
    >>> "Active" in transcript_html(transcripts, call, highlight=False)
    False
    >>> transcript_html(transcripts, -1)
    Traceback (most recent call last):
    ...
    KeyError: 'Call -1 has no transcript. Pick a call_id from the transcripts table, such as ...'
    """
    _check_columns(transcripts, ["call_id", "line", "speaker", "text"], "transcript_html", "transcripts")
    rows = transcripts[transcripts["call_id"] == call_id]
    if rows.empty:
        raise KeyError(f"Call {call_id!r} has no transcript. Pick a call_id from the transcripts table, "
                       f"such as {listing(pd.unique(transcripts['call_id']), limit=3)}.")
    lines = _line_cues(rows)
    out = ["<div class='callcoach-transcript' style='max-width:760px;font-family:Helvetica,Arial,sans-serif;"
           "font-size:13px;line-height:1.4;border:1px solid #ddd;border-radius:6px;padding:8px 10px;"
           "background:#fcfcfc'>",
           f"<div style='color:#555;margin-bottom:6px'>Call <b>{_esc(call_id)}</b></div>"]
    for r in lines.itertuples(index=False):
        agent = str(r.speaker).lower() == "agent"
        moment = highlight and not pd.isna(r.a)
        border = f"border-left:4px solid {_COLOURS[r.status]};" if moment else ""
        bubble = ("background:#eef3f8;margin-right:18%;" if agent else "background:#f6efe4;margin-left:18%;")
        tag = f"<br>{_tag(r.a, r.status)}" if moment else ""
        out.append(f"<div style='{bubble}{border}border-radius:8px;padding:5px 9px;margin-bottom:4px'>"
                   f"<span style='color:#777;font-size:11px'>{r.line} · {'Agent' if agent else 'Customer'}</span>"
                   f"<br>{_esc(r.text)}{tag}</div>")
    if highlight:
        moments = three_a_moments(rows)
        items = []
        for m in moments.itertuples(index=False):
            where = f" (line {m.line})" if not pd.isna(m.line) else ""
            items.append(f"<li>{_tag(m.a, m.status)} {_esc(_MEANING.get((m.a, m.status), m.status))}{where}</li>")
        out.append("<ul style='list-style:none;padding-left:0;margin:8px 0 4px'>" + "".join(items) + "</ul>")
        if recorded is not None:
            match = recorded[recorded["call_id"] == call_id]
            out.append(f"<div style='color:#333'>{_happened(None if match.empty else match.iloc[0])}</div>")
    out.append("</div>")
    return "".join(out)


def show_transcript(transcripts: pd.DataFrame, call_id: Any, *, highlight: bool = True,
                    recorded: pd.DataFrame | None = None):
    """Show a call as a chat in the notebook; see :func:`transcript_html`.

    Returns
    -------
    IPython.display.HTML
        Displayed under the cell when it is the cell's last line.

    Examples
    --------
    >>> from callcoach import datasets
    >>> transcripts = datasets.load("transcripts")
    >>> show_transcript(transcripts, transcripts["call_id"].iloc[0])
    <IPython.core.display.HTML object>
    """
    from IPython.display import HTML

    return HTML(transcript_html(transcripts, call_id, highlight=highlight, recorded=recorded))


_FILTERS = [("any call", "any")] + [
    (f"{a} {label}", (a, s)) for a, s, label in [
        ("Active", "shown", "shown"), ("Active", "missing", "missing"),
        ("Action", "shown", "shown"), ("Action", "missing", "missing"),
        ("Available", "shown", "shown (promise recapped)"), ("Available", "weak", "weak (vague promise)"),
    ]]


def transcript_browser(transcripts: pd.DataFrame, *, recorded: pd.DataFrame | None = None) -> w.VBox:
    """Choose a call and read it, with or without its 3A moments highlighted.

    Parameters
    ----------
    transcripts : pandas.DataFrame
        The ``transcripts`` dataset.
    recorded : pandas.DataFrame, optional
        From :func:`recorded_3a`, to show what the tables recorded for calls of the quarter.

    Returns
    -------
    ipywidgets.VBox
        With ``.controls`` (``show``: a filter such as "Action missing"; ``call``;
        ``highlight``), ``.summary`` (how many calls the filter keeps) and
        ``.transcript`` (the call, drawn by :func:`transcript_html`).

    Examples
    --------
    >>> from callcoach import datasets
    >>> app = transcript_browser(datasets.load("transcripts"))
    >>> "transcripts" in app.summary.value and "Call" in app.transcript.value
    True
    >>> app.controls["show"].value = ("Action", "missing")
    >>> "missing" in app.transcript.value
    True
    """
    moments = three_a_moments(transcripts)
    first_words = (transcripts[transcripts["speaker"].astype("string").str.lower() == "customer"]
                   .sort_values(["call_id", "line"]).drop_duplicates("call_id").set_index("call_id")["text"])
    shown = moments.pivot(index="call_id", columns="a", values="status")

    def label(call):
        said = str(first_words.get(call, ""))
        said = said if len(said) <= 52 else said[:50].rstrip() + "…"
        marks = " ".join(_MARK[shown.at[call, a]] for a in AS)
        return f"{call} · {marks} · {said}"

    show = w.Dropdown(options=_FILTERS, value="any", description="Calls with",
                      style={"description_width": "initial"}, layout=w.Layout(width="300px"))
    call = w.Dropdown(description="Call", layout=w.Layout(width="620px"))
    highlight = w.Checkbox(value=True, description="Highlight the 3A moments", indent=False)
    summary, page = w.HTML(), w.HTML()

    def calls_for(choice):
        if choice == "any":
            return list(shown.index)
        a, s = choice
        return list(shown.index[shown[a] == s])

    def refresh_options(_change=None):
        keep = calls_for(show.value)
        total = len(shown)
        if not keep:
            summary.value = (f"No transcript has <b>{_esc(dict((v, k) for k, v in _FILTERS)[show.value])}</b>; "
                             f"showing all {total} transcripts.")
            keep = list(shown.index)
        else:
            what = "" if show.value == "any" else f" with {_esc(show.value[0])} {_esc(show.value[1])}"
            summary.value = (f"<b>{len(keep)}</b> of {total} transcripts{what}. The three marks in the list are "
                             "Active, Action, Available: ✓ shown, ~ weak, ✗ missing, – not needed.")
        current = call.value
        call.options = [(label(c), c) for c in keep]
        call.value = current if current in keep else keep[0]
        draw()

    def draw(_change=None):
        if call.value is not None:
            page.value = transcript_html(transcripts, call.value, highlight=highlight.value, recorded=recorded)

    show.observe(refresh_options, names="value")
    call.observe(draw, names="value")
    highlight.observe(draw, names="value")
    app = w.VBox([w.HBox([show, highlight], layout=w.Layout(align_items="center")), call, summary, page])
    app.add_class("callcoach-transcript-browser")
    app.controls = {"show": show, "call": call, "highlight": highlight}
    app.summary, app.transcript = summary, page
    refresh_options()
    return app


# ------------------------------------------------------------------ counting the A's


def moments_summary(moments: pd.DataFrame) -> pd.DataFrame:
    """How often each A shows in the transcripts.

    Parameters
    ----------
    moments : pandas.DataFrame
        From :func:`three_a_moments`.

    Returns
    -------
    pandas.DataFrame
        One row per A and status (every combination that can occur, zeros included):
        ``a``, ``status``, ``calls`` and ``share`` — of the calls where the A was called
        for (status not "not needed").

    Examples
    --------
    >>> moments = pd.DataFrame({"call_id": [1, 1, 1, 2, 2, 2], "a": list(AS) * 2,
    ...                         "status": ["shown", "not needed", "weak", "missing", "missing", "not needed"]})
    >>> moments_summary(moments)
               a      status  calls  share
    0     Active       shown      1  0.500
    1     Active     missing      1  0.500
    2     Action       shown      0  0.000
    3     Action     missing      1  1.000
    4     Action  not needed      1    NaN
    5  Available       shown      0  0.000
    6  Available        weak      1  1.000
    7  Available  not needed      1    NaN
    """
    _check_columns(moments, ["call_id", "a", "status"], "moments_summary", "moments")
    possible = [("Active", "shown"), ("Active", "missing"), ("Action", "shown"), ("Action", "missing"),
                ("Action", "not needed"), ("Available", "shown"), ("Available", "weak"), ("Available", "not needed")]
    counts = moments.groupby(["a", "status"]).size()
    out = pd.DataFrame(possible, columns=["a", "status"])
    out["calls"] = [int(counts.get(k, 0)) for k in possible]
    called_for = out[out["status"] != "not needed"].groupby("a")["calls"].sum()
    share = out["calls"] / out["a"].map(called_for).replace(0, np.nan)
    out["share"] = share.where(out["status"] != "not needed").round(3)
    return out


def moments_chart(moments: pd.DataFrame, *, title: str | None = None) -> alt.Chart:
    """Stacked bars: for each A, the transcripts where it shows, is weak, missing or not needed.

    Parameters
    ----------
    moments : pandas.DataFrame
        From :func:`three_a_moments`.
    title : str, optional
        By default it states how often each A shows where it was called for.

    Returns
    -------
    altair.Chart

    Examples
    --------
    >>> from callcoach import datasets
    >>> spec = moments_chart(three_a_moments(datasets.load("transcripts"))).to_dict()
    >>> spec["title"]["text"].startswith("In ")
    True
    >>> spec["encoding"]["x"]["title"]
    'Transcribed calls'
    """
    summary = moments_summary(moments)
    n = moments["call_id"].nunique()
    shown = summary[summary["status"] == "shown"].set_index("a")["share"]

    def pct(a):
        return "–" if pd.isna(shown.get(a)) else f"{shown[a]:.0%}"

    title = title or (f"In {n} transcripts: Active on {pct('Active')} of calls, Action on {pct('Action')} of "
                      f"defects, a clear recap on {pct('Available')} of promises")
    data = summary.assign(A=summary["a"] + " " + summary["a"].map(CHINESE), order=summary["status"].map(
        {s: i for i, s in enumerate(STATUSES)}))
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("calls:Q", stack="zero", title="Transcribed calls"),
        y=alt.Y("A:N", sort=[f"{a} {CHINESE[a]}" for a in AS], title=None),
        color=alt.Color("status:N", title="The A was", sort=list(STATUSES),
                        scale=alt.Scale(domain=list(STATUSES), range=[_COLOURS[s] for s in STATUSES])),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("a:N", title="A"), alt.Tooltip("status:N"), alt.Tooltip("calls:Q"),
                 alt.Tooltip("share:Q", format=".0%", title="share where called for")],
    ).properties(height=alt.Step(34), title=alt.Title(
        title, subtitle="Share of the calls where the A was called for (a defect came up, a promise was made)"))


def outcomes_by_a(recorded: pd.DataFrame) -> pd.DataFrame:
    """For each A: did the customer call again within 7 days, when the agent did it or did not?

    Parameters
    ----------
    recorded : pandas.DataFrame
        From :func:`recorded_3a` (all answered calls, or some).

    Returns
    -------
    pandas.DataFrame
        Six rows: ``a``, ``behaviour`` (what was done: "a proactive offer", "a ticket on a
        defect call", "the promise kept on time"), ``done`` ("yes" / "no"), ``calls``
        (with a known outcome) and ``called_again`` (share 0-1 of those calls followed by
        another call about the same issue within 7 days; NaN without calls).

    Notes
    -----
    Active compares all answered calls by the wrap-up code; Action compares the calls
    on a defect, with and without a ticket; Available compares the promises due, kept
    on time or not (late or never). Calls too near the end of the data to know are left
    out. These are plain comparisons of groups of calls, not of the same call done two
    ways (lesson 12).

    Examples
    --------
    >>> from callcoach import datasets
    >>> tables = [datasets.load(n) for n in ("calls", "followups", "feedback_tickets", "reasons")]
    >>> out = outcomes_by_a(recorded_3a(*tables))
    >>> out[["a", "done"]].values.tolist()
    [['Active', 'yes'], ['Active', 'no'], ['Action', 'yes'], ['Action', 'no'], ['Available', 'yes'], ['Available', 'no']]
    >>> bool(out["called_again"].between(0, 1).all())
    True
    """
    _check_columns(recorded, ["proactive_offer", "defect", "ticket", "promise_kept", "called_again"],
                   "outcomes_by_a", "recorded")
    known = recorded[recorded["called_again"].notna()]
    kept = known["promise_kept"].astype("string")
    groups = [
        ("Active", "a proactive offer", known, known["proactive_offer"].astype(bool)),
        ("Action", "a ticket on a defect call", known[known["defect"]], known.loc[known["defect"], "ticket"]),
        ("Available", "the promise kept on time", known[kept.isin(["on time", "late", "not kept"]).fillna(False)],
         kept[kept.isin(["on time", "late", "not kept"]).fillna(False)] == "on time"),
    ]
    rows = []
    for a, behaviour, part, did in groups:
        again = part["called_again"].astype(bool)
        for value, word in ((True, "yes"), (False, "no")):
            sel = again[did.astype(bool).to_numpy() == value]
            rows.append({"a": a, "behaviour": behaviour, "done": word, "calls": int(len(sel)),
                         "called_again": float(sel.mean()) if len(sel) else np.nan})
    return pd.DataFrame(rows)


def _more_or_less(yes: float, no: float) -> str:
    if pd.isna(yes) or pd.isna(no) or round(yes, 2) == round(no, 2):
        return "as often"
    return "less" if yes < no else "more"


def outcomes_chart(outcomes: pd.DataFrame, *, title: str | None = None) -> alt.LayerChart:
    """Bars: the share of customers who called again, with and without each A.

    Parameters
    ----------
    outcomes : pandas.DataFrame
        From :func:`outcomes_by_a`.
    title : str, optional
        By default it states the Active and Available findings, with their direction.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> out = pd.DataFrame({"a": ["Active", "Active", "Action", "Action", "Available", "Available"],
    ...                     "behaviour": ["a proactive offer"] * 2 + ["a ticket on a defect call"] * 2
    ...                                  + ["the promise kept on time"] * 2,
    ...                     "done": ["yes", "no"] * 3, "calls": [10] * 6,
    ...                     "called_again": [0.1, 0.3, 0.3, 0.3, 0.2, 0.7]})
    >>> outcomes_chart(out).to_dict()["title"]["text"]
    'Customers called again less after a proactive offer (10% vs 30%) and after a kept promise (20% vs 70%)'
    """
    _check_columns(outcomes, ["a", "behaviour", "done", "calls", "called_again"], "outcomes_chart", "outcomes")
    rate = outcomes.set_index(["a", "done"])["called_again"]
    ay, an = rate.get(("Active", "yes")), rate.get(("Active", "no"))
    vy, vn = rate.get(("Available", "yes")), rate.get(("Available", "no"))
    w1, w2 = _more_or_less(ay, an), _more_or_less(vy, vn)

    def pair(yes, no):
        return "–" if pd.isna(yes) or pd.isna(no) else f"{yes:.0%} vs {no:.0%}"

    if title is None:
        first = f"Customers called again {w1} after a proactive offer ({pair(ay, an)})"
        title = (first + (" and" if w1 == w2 else f", {w2}") + f" after a kept promise ({pair(vy, vn)})")
    data = outcomes.assign(row=outcomes["a"] + " " + outcomes["a"].map(CHINESE) + ": " + outcomes["behaviour"])
    order = list(dict.fromkeys(data["row"]))
    base = alt.Chart(data).encode(
        x=alt.X("called_again:Q", title="Customers who called again about the same issue within 7 days (%)",
                axis=alt.Axis(format=".0%")),
        y=alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
        yOffset=alt.YOffset("done:N", sort=["yes", "no"]),
        color=alt.Color("done:N", title="Did the agent do it?", sort=["yes", "no"], legend=alt.Legend(titleLimit=240),
                        scale=alt.Scale(domain=["yes", "no"], range=[_COLOURS["shown"], _COLOURS["missing"]])),
        tooltip=[alt.Tooltip("row:N", title="A"), alt.Tooltip("done:N", title="done"),
                 alt.Tooltip("calls:Q", format=",", title="calls"),
                 alt.Tooltip("called_again:Q", format=".0%", title="called again")])
    labels = base.mark_text(align="left", dx=4, color="#333").encode(text=alt.Text("called_again:Q", format=".0%"))
    return alt.layer(base.mark_bar(), labels).properties(height=alt.Step(22), title=alt.Title(
        title, subtitle="All answered calls of the quarter; for Available, the promises due (kept on time, "
                        "or late or never)"))


def floor_baselines(recorded: pd.DataFrame, followups: pd.DataFrame) -> pd.DataFrame:
    """Where the floor stands today on each A's default measure, to set a target against.

    Parameters
    ----------
    recorded : pandas.DataFrame
        From :func:`recorded_3a` on all answered calls.
    followups : pandas.DataFrame
        The ``followups`` dataset.

    Returns
    -------
    pandas.DataFrame
        One row per A: ``a``, ``measure`` (:data:`DEFAULT_MEASURES`) and ``floor``
        (fraction 0-1): the share of answered calls with a proactive offer, of defect
        calls with a ticket, and of promises due kept on time
        (:func:`callcoach.kpi.followup_completion_rate`).

    Examples
    --------
    >>> from callcoach import datasets
    >>> tables = [datasets.load(n) for n in ("calls", "followups", "feedback_tickets", "reasons")]
    >>> base = floor_baselines(recorded_3a(*tables), tables[1])
    >>> base["a"].tolist(), bool(base["floor"].between(0, 1).all())
    (['Active', 'Action', 'Available'], True)
    """
    _check_columns(recorded, ["proactive_offer", "defect", "ticket"], "floor_baselines", "recorded")
    defect = recorded[recorded["defect"].astype(bool)]
    values = [float(recorded["proactive_offer"].mean()),
              float(defect["ticket"].mean()) if len(defect) else np.nan,
              float(kpi.followup_completion_rate(followups))]
    return pd.DataFrame({"a": list(AS), "measure": [DEFAULT_MEASURES[a] for a in AS], "floor": values})


# ------------------------------------------------------------------------ the plan


class PlanError(ValueError):
    """A 3A plan that cannot be saved yet; ``problems`` lists what to fix, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        n = len(self.problems)
        super().__init__(f"The 3A plan has {n} problem{'s' if n != 1 else ''}: " + " ".join(
            f"({i}) {p}" for i, p in enumerate(self.problems, 1)))


@dataclass(frozen=True)
class PlanGoal:
    """One A of a plan: what I will do, how I will count it, and the target (percent)."""

    goal: str
    measure: str
    target: float


@dataclass(frozen=True)
class ThreeAPlan:
    """A learner's personal 3A plan, to take to their coach.

    Build it with :func:`make_plan` (which checks it); save it with :func:`write_plan`.
    """

    agent: str
    active: PlanGoal
    action: PlanGoal
    available: PlanGoal
    review_date: dt.date
    coach: str = ""
    written_on: dt.date = field(default_factory=dt.date.today)

    @property
    def goals(self) -> dict[str, PlanGoal]:
        """A -> its :class:`PlanGoal`, in the model's order."""
        return {"Active": self.active, "Action": self.action, "Available": self.available}


_EXAMPLE_TARGET = {"Active": 50, "Action": 90, "Available": 95}


def _day(day: dt.date, *, weekday: bool = False) -> str:
    """'5 January 2026' (or 'Monday 5 January 2026'), the same on every platform."""
    return (f"{day:%A} " if weekday else "") + f"{day.day} {day:%B %Y}"


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _percent(value: Any) -> float | None:
    """A target as typed ("40", "40%", 40) as a number, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.number)):
        number = float(value)
    else:
        raw = _text(value).replace("％", "%").rstrip("%").strip()
        try:
            number = float(raw)
        except ValueError:
            return None
    return number if np.isfinite(number) else None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp) and not pd.isna(value):
        return value.date()
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _goal_parts(a: str, value: Any) -> tuple[Any, Any, Any]:
    if isinstance(value, PlanGoal):
        return value.goal, value.measure, value.target
    if isinstance(value, Mapping):
        return value.get("goal"), value.get("measure", DEFAULT_MEASURES[a]), value.get("target")
    if isinstance(value, (tuple, list)) and len(value) == 3:
        return tuple(value)
    raise TypeError(f"The {a.lower()!r} parameter of make_plan must be (goal, measure, target), a dict with "
                    f"those keys, or a PlanGoal. Got {value!r} instead.")


def plan_problems(*, agent: Any, active: Any, action: Any, available: Any, review_date: Any,
                  today: dt.date | None = None) -> list[str]:
    """Everything that stops a plan being saved, as sentences a learner can act on.

    Parameters
    ----------
    agent, active, action, available, review_date
        As for :func:`make_plan`.
    today : datetime.date, optional
        The day the plan is written (default: today).

    Returns
    -------
    list of str
        Empty when the plan is fine.

    Examples
    --------
    >>> import datetime as dt
    >>> for problem in plan_problems(agent="Ana", active=("", "% of calls with an offer", 40),
    ...                              action=("Report every new defect", "% of defect calls", "lots"),
    ...                              available=("Close every promise on time", "% kept on time", "95%"),
    ...                              review_date="2026-01-05", today=dt.date(2026, 3, 2)):
    ...     print(problem)
    The Active goal is empty: write one thing you will do on your calls.
    The Action target must be a number (a percentage between 0 and 100, such as 90). Got 'lots' instead.
    The review date 5 January 2026 is in the past: pick a day after today (2 March 2026).
    """
    today = today or dt.date.today()
    problems = []
    if not _text(agent):
        problems.append("Your name is empty: write it, so your coach knows whose plan this is.")
    for a, value in (("Active", active), ("Action", action), ("Available", available)):
        goal, measure, target = _goal_parts(a, value)
        if not _text(goal):
            problems.append(f"The {a} goal is empty: write one thing you will do on your calls.")
        if not _text(measure):
            problems.append(f"The {a} measure is empty: say what you will count, such as "
                            f"'{DEFAULT_MEASURES[a]}'.")
        number = _percent(target)
        if number is None:
            shown = "nothing" if target is None or not _text(target) else repr(target)
            problems.append(f"The {a} target must be a number (a percentage between 0 and 100, such as "
                            f"{_EXAMPLE_TARGET[a]}). Got {shown} instead.")
        elif not 0 < number <= 100:
            problems.append(f"The {a} target must be a percentage above 0 and at most 100. Got {number:g} instead.")
    when = _date(review_date)
    if review_date is None or (isinstance(review_date, str) and not review_date.strip()):
        problems.append("The review date is empty: pick the day you will go through the plan with your coach.")
    elif when is None:
        problems.append("The review date must be a date (YYYY-MM-DD, such as "
                        f"{(today + dt.timedelta(days=28)).isoformat()}). Got {review_date!r} instead.")
    elif when < today:
        problems.append(f"The review date {_day(when)} is in the past: pick a day after today ({_day(today)}).")
    elif when == today:
        problems.append("The review date is today: pick a day after today, when you have had time to try the plan.")
    elif when > today + dt.timedelta(days=366):
        problems.append(f"The review date {_day(when)} is more than a year away: a plan works when it is "
                        "reviewed within weeks. Pick a date in the next few months.")
    return problems


def make_plan(*, agent: str, active: Any, action: Any, available: Any, review_date: Any,
              coach: str = "", today: dt.date | None = None) -> ThreeAPlan:
    """Check what a learner wrote and build their :class:`ThreeAPlan`.

    Parameters
    ----------
    agent : str
        The learner's name.
    active, action, available : tuple, dict or PlanGoal
        ``(goal, measure, target)`` for each A: what I will do, what I will count, and
        the target as a percentage (a number, or text such as "40" or "40%").
    review_date : date or str
        When the coach and learner review the plan (a date after today, within a year;
        text as YYYY-MM-DD).
    coach : str, optional
        The coach's name.
    today : datetime.date, optional
        The day the plan is written (default: today).

    Returns
    -------
    ThreeAPlan
        With the text tidied (extra spaces and line breaks folded) and targets as numbers.

    Raises
    ------
    PlanError
        Listing every problem at once (:func:`plan_problems`).

    Examples
    --------
    >>> import datetime as dt
    >>> plan = make_plan(agent="Ana Lee", active=("Offer the bill breakdown on bill queries",
    ...                                           "% of my answered calls with a proactive offer", "45%"),
    ...                  action=("Ticket every new defect", "% of my defect calls with a ticket", 90),
    ...                  available=("Close every promise by its due time", "% of my promises kept on time", 95),
    ...                  review_date="2026-04-01", today=dt.date(2026, 3, 2))
    >>> plan.active.target, plan.review_date
    (45.0, datetime.date(2026, 4, 1))
    >>> make_plan(agent="", active=plan.active, action=plan.action, available=plan.available,
    ...           review_date="2026-04-01", today=dt.date(2026, 3, 2))
    Traceback (most recent call last):
    ...
    callcoach.practice.PlanError: The 3A plan has 1 problem: (1) Your name is empty: write it, so your coach knows whose plan this is.
    """
    today = today or dt.date.today()
    problems = plan_problems(agent=agent, active=active, action=action, available=available,
                             review_date=review_date, today=today)
    if problems:
        raise PlanError(problems)
    goals = {}
    for a, value in (("Active", active), ("Action", action), ("Available", available)):
        goal, measure, target = _goal_parts(a, value)
        goals[a.lower()] = PlanGoal(goal=_text(goal), measure=_text(measure), target=float(_percent(target)))
    return ThreeAPlan(agent=_text(agent), review_date=_date(review_date), coach=_text(coach),
                      written_on=today, **goals)


def _pct_text(target: float) -> str:
    return f"{target:g}%"


def plan_markdown(plan: ThreeAPlan) -> str:
    """The plan as Markdown: readable by the coach, and read back by :func:`read_plan`.

    Examples
    --------
    >>> import datetime as dt
    >>> goal = PlanGoal("Offer the bill breakdown", "% of my answered calls with a proactive offer", 45)
    >>> plan = ThreeAPlan("Ana", goal, goal, goal, dt.date(2026, 4, 1), written_on=dt.date(2026, 3, 2))
    >>> print(plan_markdown(plan).splitlines()[0])
    # My 3A plan — Ana
    >>> "- **Target:** 45%" in plan_markdown(plan)
    True
    """
    coach = plan.coach or "my coach"
    out = [f"# My 3A plan — {_text(plan.agent)}", "",
           f"- **Agent:** {_text(plan.agent)}",
           f"- **Coach:** {_text(plan.coach)}",
           f"- **Written:** {plan.written_on.isoformat()}",
           f"- **Review date:** {plan.review_date.isoformat()}", "",
           f"*To review with {coach} on {_day(plan.review_date, weekday=True)}.* After every call I ask myself "
           "three questions: the 3A model (座席员3A管理).", ""]
    for a, goal in plan.goals.items():
        out += [f"## {a} ({CHINESE[a]}) — {QUESTIONS[a]}", "",
                f"- **Goal:** {_text(goal.goal)}",
                f"- **Measure:** {_text(goal.measure)}",
                f"- **Target:** {_pct_text(goal.target)}", ""]
    out += ["## At the review", "",
            "| A | target | where I am now | what helped | what got in the way | next step |",
            "|---|---|---|---|---|---|"]
    out += [f"| {a} {CHINESE[a]} | {_pct_text(g.target)} |  |  |  |  |" for a, g in plan.goals.items()]
    out += ["", "*Written with callcoach, lesson 15 (Put the 3A model into practice).*", ""]
    return "\n".join(out)


def write_plan(plan: ThreeAPlan, path: str | os.PathLike = PLAN_FILE, *, overwrite: bool = False) -> Path:
    """Save the plan as Markdown; an existing file is replaced only with ``overwrite=True``.

    Parameters
    ----------
    plan : ThreeAPlan
        From :func:`make_plan`.
    path : str or path, default "my-3a-plan.md"
        The file, relative to the current folder (in a notebook: the notebook's folder).
    overwrite : bool, default False
        Replace a file that is already there.

    Returns
    -------
    pathlib.Path
        The file written (absolute).

    Raises
    ------
    FileExistsError
        The file is there and ``overwrite`` is False: nothing is written.

    Examples
    --------
    >>> import datetime as dt, tempfile
    >>> goal = PlanGoal("Offer the bill breakdown", "% of my answered calls with a proactive offer", 45)
    >>> plan = ThreeAPlan("Ana", goal, goal, goal, dt.date(2026, 4, 1), written_on=dt.date(2026, 3, 2))
    >>> folder = tempfile.TemporaryDirectory()
    >>> saved = write_plan(plan, Path(folder.name) / "my-3a-plan.md")
    >>> read_plan(saved) == plan
    True
    >>> write_plan(plan, saved)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FileExistsError: There is already a plan in '...my-3a-plan.md'. Pass overwrite=True to replace it, or save under another name.
    >>> write_plan(plan, saved, overwrite=True) == saved
    True
    >>> folder.cleanup()
    """
    if not isinstance(plan, ThreeAPlan):
        raise TypeError("The 'plan' parameter of write_plan must be a ThreeAPlan (from make_plan). "
                        f"Got {type(plan).__name__} instead.")
    target = Path(path).expanduser().absolute()
    if target.exists() and not overwrite:
        raise FileExistsError(f"There is already a plan in {str(target)!r}. Pass overwrite=True to replace it, "
                              "or save under another name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.tmp")
    temp.write_text(plan_markdown(plan), encoding="utf-8")
    os.replace(temp, target)
    return target


_ITEM = re.compile(r"^- \*\*(?P<key>[^*]+):\*\* ?(?P<value>.*)$")
_SECTION = re.compile(r"^## (?P<a>Active|Action|Available)\b")


def read_plan(path: str | os.PathLike = PLAN_FILE) -> ThreeAPlan:
    """Read a plan saved by :func:`write_plan` (the review date may have passed by now).

    Parameters
    ----------
    path : str or path, default "my-3a-plan.md"

    Returns
    -------
    ThreeAPlan

    Raises
    ------
    FileNotFoundError
        No file there.
    ValueError
        The file is not a plan written by :func:`write_plan`, or an entry was edited
        into something unreadable (the message names it).

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> notes = Path(folder.name) / "notes.md"
    >>> _ = notes.write_text("# Shopping list\\n- milk\\n")
    >>> read_plan(notes)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: '...notes.md' is not a 3A plan: it has no '- **Agent:**' line. ...
    >>> folder.cleanup()
    """
    source = Path(path)
    if not source.exists():
        raise FileNotFoundError(f"No 3A plan at {str(source)!r}: save one with the plan form (or write_plan) first.")
    head: dict[str, str] = {}
    goals: dict[str, dict[str, str]] = {}
    section = None
    for line in source.read_text(encoding="utf-8").splitlines():
        found = _SECTION.match(line)
        if found:
            section = found["a"]
            goals[section] = {}
            continue
        if line.startswith("## "):
            section = None
            continue
        item = _ITEM.match(line)
        if item:
            (goals[section] if section else head)[item["key"].strip().lower()] = item["value"].strip()
    name = str(source)
    for key, label in (("agent", "Agent"), ("written", "Written"), ("review date", "Review date")):
        if key not in head:
            raise ValueError(f"{name!r} is not a 3A plan: it has no '- **{label}:**' line. Save plans with "
                             "the plan form or write_plan.")
    parsed = {}
    for a in AS:
        entry = goals.get(a)
        if entry is None or not {"goal", "measure", "target"} <= set(entry):
            raise ValueError(f"{name!r} has no complete '## {a}' section (Goal, Measure and Target lines).")
        target = _percent(entry["target"])
        if target is None:
            raise ValueError(f"The {a} target in {name!r} is not a number: {entry['target']!r}.")
        parsed[a.lower()] = PlanGoal(entry["goal"], entry["measure"], target)
    dates = {}
    for key in ("written", "review date"):
        dates[key] = _date(head[key])
        if dates[key] is None:
            raise ValueError(f"The {key} in {name!r} is not a date (YYYY-MM-DD): {head[key]!r}.")
    return ThreeAPlan(agent=head["agent"], coach=head.get("coach", ""), review_date=dates["review date"],
                      written_on=dates["written"], **parsed)


# -------------------------------------------------------------------- the plan form

_OK, _WARN, _BAD, _GREY = "#1b6e62", "#9a5b00", "#a4411f", "#555"


def _status(text: str, colour: str) -> str:
    return f"<div style='color:{colour};max-width:760px'>{text}</div>"


class PlanForm(w.VBox):
    """The lesson's form for a personal 3A plan; see :func:`plan_form`.

    Attributes
    ----------
    agent, coach : ipywidgets.Text
        The learner's and the coach's names.
    goals : dict
        A -> ``{"goal": Textarea, "measure": Text, "target": Text}``.
    review_date : ipywidgets.DatePicker
    save_button : ipywidgets.Button
    status : ipywidgets.HTML
        The result of the last *Save*: what was saved where, what to fix, or a question
        before replacing an earlier plan.
    path : pathlib.Path
        Where the plan is saved.
    """

    def __init__(self, path: str | os.PathLike = PLAN_FILE, *, baselines: pd.DataFrame | None = None,
                 today: dt.date | None = None) -> None:
        self.path = Path(path)
        self._today = today
        self._saved_here = False
        self._confirm = False
        floor = {} if baselines is None else dict(zip(baselines["a"], baselines["floor"]))
        wide = {"description_width": "90px"}
        self.agent = w.Text(description="Your name", placeholder="as your coach knows you", style=wide,
                            layout=w.Layout(width="420px"))
        self.coach = w.Text(description="Coach", placeholder="optional", style=wide, layout=w.Layout(width="420px"))
        start = (today or dt.date.today()) + dt.timedelta(days=28)
        self.review_date = w.DatePicker(value=start, description="Review on", style=wide)
        self.goals: dict[str, dict[str, w.Widget]] = {}
        blocks: list[w.Widget] = []
        for a in AS:
            goal = w.Textarea(description="Goal", placeholder=_GOAL_EXAMPLES[a], style=wide,
                              layout=w.Layout(width="700px", height="52px"))
            measure = w.Text(value=DEFAULT_MEASURES[a], description="Measure", style=wide,
                             layout=w.Layout(width="700px"))
            target = w.Text(description="Target %", placeholder="a number, e.g. 90", style=wide,
                            layout=w.Layout(width="240px"))
            for name, control in (("goal", goal), ("measure", measure), ("target", target)):
                control.add_class(f"callcoach-plan-{a.lower()}-{name}")
            hint = ""
            if a in floor and not pd.isna(floor[a]):
                hint = (f"<span style='color:{_GREY}'>The floor last quarter: <b>{floor[a]:.0%}</b> "
                        f"({_esc(DEFAULT_MEASURES[a].removeprefix('% of my ').replace('my ', ''))})</span>")
            self.goals[a] = {"goal": goal, "measure": measure, "target": target}
            blocks += [w.HTML(f"<h4 style='margin:10px 0 2px'>{a} {CHINESE[a]} — <i>{QUESTIONS[a]}</i></h4>"),
                       goal, measure, w.HBox([target, w.HTML(hint)], layout=w.Layout(align_items="center"))]
        self.save_button = w.Button(description="Save my plan", button_style="primary", icon="save",
                                    layout=w.Layout(width="180px"))
        self.status = w.HTML(_status(f"Nothing saved yet. <b>Save my plan</b> writes <code>{_esc(self.path.name)}"
                                     "</code> next to this notebook.", _GREY))
        self.agent.add_class("callcoach-plan-agent")
        self.coach.add_class("callcoach-plan-coach")
        self.review_date.add_class("callcoach-plan-review")
        self.status.add_class("callcoach-plan-status")
        self.save_button.on_click(lambda _b: self.save())
        controls = [self.agent, self.coach, self.review_date] + [c for g in self.goals.values() for c in g.values()]
        for control in controls:
            control.observe(self._edited, names="value")
        super().__init__([w.HTML("<b>My 3A plan</b> — one goal per A, a measure you can count, a target, and "
                                 "a date to review it with your coach."),
                          self.agent, self.coach, *blocks, self.review_date,
                          w.HBox([self.save_button], layout=w.Layout(margin="10px 0 0 0")), self.status])
        self.add_class("callcoach-plan-form")

    def _edited(self, _change=None) -> None:
        self._confirm = False

    def values(self) -> dict[str, Any]:
        """What the form holds now, as keyword arguments of :func:`make_plan`."""
        out: dict[str, Any] = {"agent": self.agent.value, "coach": self.coach.value,
                               "review_date": self.review_date.value}
        for a, controls in self.goals.items():
            out[a.lower()] = (controls["goal"].value, controls["measure"].value, controls["target"].value)
        return out

    def save(self) -> Path | None:
        """Check the plan and save it; say what happened in :attr:`status`.

        Returns
        -------
        pathlib.Path or None
            The file written, or None when nothing was written (a problem to fix, or an
            earlier plan that a second press of *Save* will replace).
        """
        try:
            plan = make_plan(**self.values(), today=self._today)
        except PlanError as err:
            items = "".join(f"<li>{_esc(p)}</li>" for p in err.problems)
            self.status.value = _status(f"<b>Not saved yet.</b> Fix {'this' if len(err.problems) == 1 else 'these'}, "
                                        f"then press Save again:<ul style='margin:2px 0'>{items}</ul>", _BAD)
            return None
        exists = self.path.exists()
        if exists and not self._saved_here and not self._confirm:
            when = dt.datetime.fromtimestamp(self.path.stat().st_mtime)
            self._confirm = True
            self.status.value = _status(
                f"<b>A plan is already saved in <code>{_esc(self.path.name)}</code></b> (last changed "
                f"{_day(when)}, {when:%H:%M}). Nothing was written. Press <b>Save my plan</b> again to replace it "
                "with this one, or open the old one first (File Browser) if you want to keep it.", _WARN)
            return None
        try:
            written = write_plan(plan, self.path, overwrite=exists)
        except OSError as err:
            self.status.value = _status(f"<b>Could not save the plan:</b> {_esc(err)}", _BAD)
            return None
        verb = "Updated" if exists else "Saved"
        self._saved_here, self._confirm = True, False
        self.status.value = _status(
            f"<b>✓ {verb} your plan in <code>{_esc(written.name)}</code></b>, next to this notebook "
            f"(review on {_day(plan.review_date, weekday=True)}). Open it from the File Browser, or print it for your "
            "coach. Change anything and press Save again to update it.", _OK)
        return written


def plan_form(path: str | os.PathLike = PLAN_FILE, *, baselines: pd.DataFrame | None = None,
              today: dt.date | None = None) -> PlanForm:
    """A form for a personal 3A plan: one goal, measure and target per A, and a review date.

    *Save my plan* checks the plan (:func:`make_plan`) and lists anything to fix; else it
    writes the Markdown file (:func:`write_plan`). If a plan is already in the file from
    before, the form says so and writes nothing until *Save* is pressed again; once this
    form has saved, pressing *Save* again updates the file.

    Parameters
    ----------
    path : str or path, default "my-3a-plan.md"
        Where to save, relative to the notebook's folder.
    baselines : pandas.DataFrame, optional
        From :func:`floor_baselines`: the floor's figure is shown beside each target.
    today : datetime.date, optional
        The day the plan is written (default: today).

    Returns
    -------
    PlanForm

    Examples
    --------
    >>> import datetime as dt, tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> form = plan_form(Path(folder.name) / "my-3a-plan.md", today=dt.date(2026, 3, 2))
    >>> form.save() is None and "Not saved yet" in form.status.value
    True
    >>> form.agent.value = "Ana Lee"
    >>> for a, target in (("Active", "45"), ("Action", "90%"), ("Available", "95")):
    ...     form.goals[a]["goal"].value = f"My {a} goal"
    ...     form.goals[a]["target"].value = target
    >>> form.save().name, "Saved" in form.status.value
    ('my-3a-plan.md', True)
    >>> form.goals["Active"]["target"].value = "50"
    >>> _ = form.save()
    >>> "Updated" in form.status.value, read_plan(form.path).active.target
    (True, 50.0)
    >>> folder.cleanup()
    """
    return PlanForm(path, baselines=baselines, today=today)

