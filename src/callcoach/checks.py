"""On-the-spot checks for the "Your turn" cells of lessons.

A check compares the learner's value with the right one and shows a friendly line under
the cell: what is right, or a hint tied to the mistake they most likely made. It never
raises, so *Run All* always finishes; lessons are practice, graded work lives in
``exercises/``.

Each lesson question has its own small function (:func:`calls_offered`,
:func:`agents_needed`, :func:`call_to_discuss`), so the lesson cell shows the question and
the learner's answer, not the expression that computes the right one. They all use
:func:`answer`, which a new lesson can call directly.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from IPython.display import HTML, display

_RIGHT = "<div style='color:#1b6e62'><b>✓ Right.</b> {}</div>"
_NOT_YET = "<div style='color:#a4411f'><b>Not yet.</b> {}</div>"
_UNANSWERED = "Replace the <code>...</code> with your answer, then run the cell again."


def _close(a, b, tol: float) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a.strip() == b.strip()
    try:
        return math.isclose(float(a), float(b), rel_tol=tol, abs_tol=tol)
    except (TypeError, ValueError):
        return a == b


def _shape_problem(got, expected) -> str | None:
    """A hint when the answer has the wrong shape or type, before comparing values."""
    if isinstance(got, (pd.Series, pd.DataFrame, np.ndarray, list, tuple)):
        size = np.size(got)
        if size != 1:
            what = "a table" if isinstance(got, pd.DataFrame) else "a whole column or list"
            return (f"That is {what} ({size} values), not one answer. Reduce it to a single value, "
                    "for example with <code>.sum()</code>, or pick one entry.")
    if isinstance(got, str) and not isinstance(expected, str):
        return f"That is text (<code>{got!r}</code>). Give a number, without quotes."
    if not isinstance(got, str) and isinstance(expected, str):
        return "Give the answer as text, in quotes (for example <code>\"C-999\"</code>)."
    return None


def _single(got):
    if isinstance(got, (pd.Series, pd.DataFrame, np.ndarray, list, tuple)) and np.size(got) == 1:
        return np.asarray(got).reshape(-1)[0]
    return got


def feedback(got, expected, *, right: str, hints: Mapping[str, tuple] | None = None,
             otherwise: str = "Have another look at the question.", tol: float = 1e-9) -> str:
    """The HTML line :func:`answer` shows.

    Parameters
    ----------
    got, expected, right, hints, otherwise, tol
        As for :func:`answer`.

    Returns
    -------
    str
        One ``<div>``: "✓ Right." with ``right``, or "Not yet." with the hint that fits.

    Examples
    --------
    >>> "Right" in feedback(12, 12, right="Twelve it is.")
    True
    >>> feedback(10, 12, right="", hints={"rows": (10, "That counts rows.")})
    "<div style='color:#a4411f'><b>Not yet.</b> That counts rows.</div>"
    >>> "single value" in feedback(pd.Series([1, 2]), 3, right="")
    True
    """
    if got is None or got is Ellipsis:
        return _NOT_YET.format(_UNANSWERED)
    problem = _shape_problem(got, expected)
    if problem:
        return _NOT_YET.format(problem)
    got = _single(got)
    if _close(got, expected, tol):
        return _RIGHT.format(right)
    for value, message in (hints or {}).values():
        if _close(got, value, tol):
            return _NOT_YET.format(message)
    return _NOT_YET.format(otherwise)


def answer(got, expected, *, right: str, hints: Mapping[str, tuple] | None = None,
           otherwise: str = "Have another look at the question.", tol: float = 1e-9) -> None:
    """Check one answer and show the feedback under the cell.

    Parameters
    ----------
    got : object
        The learner's value (``...`` or ``None`` means "not answered yet"). A one-element
        Series or array counts as its value; a longer one gets a hint to reduce it.
    expected : object
        The right value; numbers are compared with tolerance ``tol``, text exactly.
    right : str
        Shown when the answer is right.
    hints : mapping of str to (value, message), optional
        Known wrong answers and the hint each deserves, e.g.
        ``{"answered": (answered_total, "That's calls answered...")}``.
    otherwise : str
        Shown for any other wrong answer.
    tol : float
        Tolerance for numbers (relative and absolute).

    Examples
    --------
    >>> answer(12, 12, right="Twelve it is.")
    <IPython.core.display.HTML object>
    """
    display(HTML(feedback(got, expected, right=right, hints=hints, otherwise=otherwise, tol=tol)))


# --------------------------------------------------------------------------- lesson questions


def calls_offered(got, intervals: pd.DataFrame) -> None:
    """Lesson 0: calls offered to the whole centre in the table (answered + abandoned).

    Examples
    --------
    >>> from callcoach import datasets
    >>> week = datasets.load("intervals")
    >>> "answered" in feedback(week["answered"].sum(), week["offered"].sum(), right="",
    ...                        hints={"a": (week["answered"].sum(), "answered")})
    True
    >>> calls_offered(week["offered"].sum(), week)
    <IPython.core.display.HTML object>
    """
    answer(got, intervals["offered"].sum(),
           right="Every call that reached a queue counts, answered or not.",
           hints={
               "answered": (intervals["answered"].sum(),
                            "That is the calls <i>answered</i>. Offered also counts callers who hung up."),
               "rows": (len(intervals), "That counts rows — queue half hours — not calls."),
               "abandoned": (intervals["abandoned"].sum(), "That is only the callers who hung up."),
           })


def agents_needed(got, *, calls_per_half_hour: float = 200, aht_s: float = 360,
                  target: float = 0.80) -> None:
    """Lesson 2.1: agents needed for a half hour to meet ``target`` in 20 s (Erlang C).

    Examples
    --------
    >>> agents_needed(46)
    <IPython.core.display.HTML object>
    """
    from callcoach import erlang

    rate = calls_per_half_hour / 30
    answer(got, erlang.required_agents(rate, aht_s, target_service_level=target),
           right=f"That is the smallest team that meets {target:.0%} in 20 s for that half hour.",
           hints={
               "traffic": (rate * aht_s / 60,
                           "That is the <i>traffic</i> in erlangs: the agents who would be busy all the time "
                           "with no queue at all. Meeting a service level needs more than that."),
               "per_half_hour": (erlang.required_agents(calls_per_half_hour, aht_s, target_service_level=target),
                                 "Check the units: the first argument is calls per <b>minute</b> "
                                 f"({calls_per_half_hour:g} calls in 30 minutes)."),
               "minutes": (erlang.required_agents(rate, aht_s / 60, target_service_level=target),
                           f"Check the units: AHT goes in <b>seconds</b> ({aht_s / 60:g} minutes = {aht_s:g} s)."),
           },
           otherwise="Use <code>erlang.required_agents(calls_per_minute, aht_s, target_service_level=...)</code>.")


def call_to_discuss(got, spread: pd.DataFrame) -> None:
    """Lesson 3.1: the call whose totals are furthest apart (top of the spread table).

    ``spread`` is the table from :func:`callcoach.calibration_charts.call_spread`,
    widest range first.

    Examples
    --------
    >>> spread = pd.DataFrame({"call_id": ["C-302", "C-301"], "range": [30.0, 5.0], "mean": [70.0, 40.0]})
    >>> "furthest" in feedback("C-301", "C-302", right="", otherwise="furthest apart")
    True
    >>> call_to_discuss("C-302", spread)
    <IPython.core.display.HTML object>
    """
    lowest = spread.sort_values("mean")["call_id"].iloc[0]
    answer(got, str(spread["call_id"].iloc[0]),
           right="That call splits the room most: start there, item by item, with the transcript on screen.",
           hints={
               "lowest": (str(lowest), "That call has the lowest scores, but the room mostly agrees it went "
                                       "badly. Look for the widest range of totals, not the lowest."),
           },
           otherwise="Look for the longest bar in the spread chart: the call whose totals are furthest apart.")


def _places(value: float) -> int:
    """Decimal places a number was typed with: 0.69 -> 2, 592.0 -> 0; a computed value -> 12."""
    for places in range(12):
        if abs(value - round(value, places)) <= 1e-12 * max(1.0, abs(value)):
            return places
    return 12


def _rounded_answer(got, expected: float, *, places: int, right: str, hints: Mapping[str, tuple],
                    otherwise: str) -> None:
    """:func:`answer` for a number the learner may have rounded, or typed in from a chart.

    Right is ``expected`` rounded to the decimal places ``got`` was typed with, ``places``
    of them at least: for 0.691134 and ``places=2``, 0.69, 0.691 and the unrounded value
    are right; 0.687 is not, and 0.7 gets "rounded too far". A hint fires when ``got`` is
    its value rounded the same way, typed precisely enough to tell (``places`` decimals
    for a number the size of ``expected``; fewer for a larger one, such as a percentage
    or a count). So a wrong definition gets its hint, rounded or not; only when the right
    answer and a wrong one round to the same typed value does the learner get the benefit
    of the doubt.

    Examples
    --------
    >>> _rounded_answer(0.69, 0.691134, places=2, right="", hints={}, otherwise="")
    <IPython.core.display.HTML object>
    """
    value = None
    if not (got is None or got is Ellipsis or _shape_problem(got, expected)):
        single = _single(got)
        if not isinstance(single, (bool, np.bool_)):
            try:
                value = float(single)
            except (TypeError, ValueError):
                value = None
    if value is None or not math.isfinite(value):
        answer(got, expected, right=right, hints=hints, otherwise=otherwise)
        return
    half = 0.5 * 10.0 ** -_places(value)  # how far a typed value can be from the number it rounds
    slack = 1 + 1e-9

    def coarsest(target: float) -> float:  # the least precision that tells a number of this size apart
        return 0.5 * 10.0 ** -places * max(1.0, abs(target) / abs(expected) if expected else 1.0)

    def near(target: float, tol: float) -> bool:
        return abs(value - target) <= max(tol, 1e-9 * max(1.0, abs(target))) * slack

    if near(expected, min(half, coarsest(expected))):
        shown = _RIGHT.format(right)
    elif match := next((message for target, message in hints.values()
                        if half <= coarsest(target) * slack and near(target, half)), None):
        shown = _NOT_YET.format(match)
    elif near(expected, half):
        shown = _NOT_YET.format(f"Close, but rounded too far to check. Give it with at least {places} decimals.")
    else:
        shown = _NOT_YET.format(otherwise)
    display(HTML(shown))


def promises_kept_on_time(got, followups: pd.DataFrame) -> None:
    """Lesson 1.1: share of promises due that were completed on time (交办事项达标率).

    The right answer is :func:`callcoach.kpi.followup_completion_rate` (on time, over the
    promises due); a value rounded to 2 decimals is right too (it may be read off a chart).
    The hints catch the at-all rate, a percentage, the count of promises kept on time,
    a share of every promise (not yet due ones included) and a share of the promises
    completed. The counts come from :func:`callcoach.promises.completion_by`, which takes
    them from the same KPI function.

    Examples
    --------
    >>> from callcoach import datasets, kpi, promises
    >>> followups = datasets.load("followups")
    >>> "late ones" in feedback(kpi.followup_completion_rate(followups, method="at_all"),
    ...                         kpi.followup_completion_rate(followups), right="",
    ...                         hints={"at_all": (kpi.followup_completion_rate(followups, method="at_all"),
    ...                                           "late ones")})
    True
    >>> promises_kept_on_time(kpi.followup_completion_rate(followups), followups)
    <IPython.core.display.HTML object>
    >>> promises_kept_on_time(int(promises.completion_by(followups)["kept_on_time"].iloc[0]), followups)
    <IPython.core.display.HTML object>
    """
    from callcoach import promises

    whole = promises.completion_by(followups).iloc[0]
    on_time = float(whole["on_time_rate"])
    kept, due, done = int(whole["kept_on_time"]), int(whole["promises_due"]), int(whole["kept_at_all"])
    every_promise = (f"That divides by every promise, including the {len(followups) - due:,} not yet due when the "
                     "data ends: they are neither kept nor broken. Divide by the promises due.")
    _rounded_answer(
        got, on_time, places=2,
        right="That is the follow-up completion rate the team leader tracks. The rest are promises a "
              "customer is still waiting for, or got late.",
        hints={
            "at_all": (float(whole["at_all_rate"]),
                       "That counts late ones too (<code>method=\"at_all\"</code>). The question asks "
                       "for promises kept <b>on time</b>."),
            "percent": (on_time * 100, "Give it as a fraction between 0 and 1, not a percentage."),
            "count": (float(kept), "That is the number of promises kept on time. Divide it by the promises "
                                   "due to get a share."),
            "all_promises": (kept / len(followups), every_promise),
            "all_promises_early": (float((followups["completed_at"] <= followups["due_at"]).mean()),
                                   every_promise),
            "of_completed": (kept / done,
                             "That divides by the promises completed. Divide by the promises <b>due</b>: a "
                             "promise never done counts against the rate."),
        },
        otherwise="Use <code>kpi.followup_completion_rate(followups)</code>; its default is on time.",
    )


def handle_time_per_issue(got, calls: pd.DataFrame) -> None:
    """Lesson 1.2: average handle seconds per customer issue, all its calls included.

    A value rounded to whole seconds is right; the hints catch AHT per call and minutes.

    Examples
    --------
    >>> from callcoach import datasets, kpi
    >>> calls = datasets.load("calls")
    >>> per_issue = kpi.aht(calls, table="calls", method="per_issue")
    >>> "per call" in feedback(kpi.aht(calls, table="calls"), per_issue, right="",
    ...                        hints={"per_call": (kpi.aht(calls, table="calls"), "per call")})
    True
    >>> handle_time_per_issue(per_issue, calls)
    <IPython.core.display.HTML object>
    """
    from callcoach import kpi

    per_issue = kpi.aht(calls, table="calls", method="per_issue")
    per_call = kpi.aht(calls, table="calls")
    _rounded_answer(
        got, per_issue, places=0,
        right="That is the real workload of a customer's problem: every call about it, repeats included.",
        hints={
            "per_call": (per_call, "That is handle time per <b>call</b>, the usual AHT. Add up all the calls "
                                   "about an issue: <code>method=\"per_issue\"</code>."),
            "minutes": (per_issue / 60, "Check the units: the question asks for <b>seconds</b>."),
            "per_call_minutes": (per_call / 60, "That is AHT per call, in minutes. Ask for seconds, per issue."),
        },
        otherwise="Use <code>kpi.aht(calls, table=\"calls\", method=...)</code> with the per-issue method.",
    )


def ticket_share(got, calls: pd.DataFrame, tickets: pd.DataFrame, *, reason: str = "roaming_charges") -> None:
    """Lesson 1.3: share of the answered calls of one driver on which an agent raised a feedback ticket.

    A value rounded to 2 decimals is right; the hints catch a count, a percentage, the
    driver's share of all tickets and a share of every call of the driver (abandoned too).

    Examples
    --------
    >>> from callcoach import datasets
    >>> calls, tickets = datasets.load("calls"), datasets.load("feedback_tickets")
    >>> answered = calls[calls["answered"] & (calls["reason"] == "roaming_charges")]
    >>> share = answered["call_id"].isin(tickets["call_id"]).mean()
    >>> "all calls" in feedback(0.5 * share, share, right="", hints={"offered": (0.5 * share, "all calls")})
    True
    >>> ticket_share(share, calls, tickets)
    <IPython.core.display.HTML object>
    """
    answered = calls[calls["answered"].astype(bool) & (calls["reason"] == reason)]
    ticketed = answered["call_id"].isin(tickets["call_id"])
    share = float(ticketed.mean())
    all_tickets = int((tickets["reason"] == reason).sum())
    _rounded_answer(
        got, share, places=2,
        right=f"About {share:.0%} of the {reason} calls were reported. The rest are agents who fixed the call "
              "and moved on: the department hears about the driver only from the ones who wrote it up.",
        hints={
            "count": (float(ticketed.sum()), "That is the number of tickets. Divide by the calls of that driver "
                                             "to get a share."),
            "percent": (share * 100, "Give it as a fraction between 0 and 1, not a percentage."),
            "of_tickets": (all_tickets / len(tickets),
                           "That is the driver's share of <b>all tickets</b>. The question asks what share of "
                           "the driver's <b>calls</b> got a ticket."),
            "offered": (ticketed.sum() / int((calls["reason"] == reason).sum()),
                        "That divides by all calls, abandoned ones included. Only an answered call can get a "
                        "ticket: divide by the answered calls of the driver."),
        },
        otherwise="Take the answered calls of the driver and ask which ones have a <code>call_id</code> in "
                  "<code>tickets</code>: <code>.isin(...)</code>, then <code>.mean()</code>.",
    )


def _three_a_names(got) -> tuple[frozenset | None, list[str]]:
    """The A's a learner named (a list, a set or text such as "Active, Available"), and any unknown names."""
    from callcoach.practice import AS, CHINESE

    if got is None or got is Ellipsis:
        return None, []
    if isinstance(got, str):
        items = [p for p in got.replace(" and ", ",").replace("、", ",").replace(";", ",").split(",")]
    elif isinstance(got, (list, tuple, set, frozenset, pd.Series, np.ndarray)):
        items = list(got)
    else:
        return None, [repr(got)]
    known = {a.lower(): a for a in AS} | {zh: a for a, zh in CHINESE.items()}
    names, unknown = set(), []
    for item in items:
        word = str(item).strip()
        if not word:
                     continue
        if word.lower() in known:
                     names.add(known[word.lower()])
        else:
                     unknown.append(repr(word))
    return frozenset(names), unknown


def three_a_in_call(got, call_id, calls: pd.DataFrame, followups: pd.DataFrame, tickets: pd.DataFrame) -> None:
    """Lesson 1.5: which A's a transcribed call shows, checked against what the tables recorded.

    ``got`` names the A's the learner heard: a list such as ``["Active", "Available"]``
    (a set, or text "Active, Available", or the Chinese terms also do; ``[]`` for none).
    The tables say what really happened on the call: the wrap-up code
    ``proactive_offer`` (Active), a row in ``tickets`` (Action), a row in ``followups``
    (Available).

    Examples
    --------
    >>> from callcoach import datasets
    >>> calls, followups = datasets.load("calls"), datasets.load("followups")
    >>> tickets = datasets.load("feedback_tickets")
    >>> call = calls.loc[calls["proactive_offer"] & ~calls["call_id"].isin(tickets["call_id"])
    ...                  & ~calls["call_id"].isin(followups["call_id"]), "call_id"].iloc[0]
    >>> three_a_in_call(["Active"], call, calls, followups, tickets)
    <IPython.core.display.HTML object>
    >>> "Right" in feedback(frozenset({"Active"}), frozenset({"Active"}), right="")
    True
    """
    from callcoach.practice import AS, CHINESE, recorded_3a

    row = calls[calls["call_id"] == call_id]
    if row.empty or not bool(row["answered"].iloc[0]):
        display(HTML(_NOT_YET.format(
                     f"Call {call_id!r} is not an answered call of the quarter in <code>calls</code>, so there is nothing to "
                     "check it against. Use the call the lesson picked for you.")))
        return
    names, unknown = _three_a_names(got)
    if unknown:
        display(HTML(_NOT_YET.format(
                     f"I don't know {', '.join(unknown)}. Name the A's as <code>\"Active\"</code>, <code>\"Action\"</code> "
                     "or <code>\"Available\"</code>, in a list: <code>[\"Active\", \"Available\"]</code> (or <code>[]</code> "
                     "for none).")))
        return
    no_reasons = pd.DataFrame({"reason": pd.Series(dtype="string"), "defect": pd.Series(dtype=bool)})
    rec = recorded_3a(calls, followups, tickets, no_reasons, call_ids=[call_id]).iloc[0]
    expected = frozenset(a for a, did in zip(AS, (rec["proactive_offer"], rec["ticket"], rec["promise"])) if did)
    look = {
        "Active": "is there a line where the agent offers something the customer did not ask for?",
        "Action": "does the agent say they reported the problem to the team that can fix it?",
        "Available": "does the agent promise to do something after the call?",
    }
    not_there = {
        "Active": "the wrap-up code records no proactive offer on this call. Solving the problem well is the job "
                           "itself; Active is the extra the customer did not ask for.",
        "Action": "no feedback ticket was raised from this call. Fixing it for this customer is not reporting it, "
                           "so it gets fixed for everyone.",
        "Available": "no follow-up was promised on this call, so there was nothing to finish later.",
    }

    def hint(subset: frozenset) -> str:
        parts = [f"Look again for <b>{a}</b> ({CHINESE[a]}): {look[a]}" for a in AS if a in expected - subset]
        parts += [f"Not <b>{a}</b>: {not_there[a]}" for a in AS if a in subset - expected]
        return " ".join(parts)

    subsets = [frozenset(a for i, a in enumerate(AS) if mask >> i & 1) for mask in range(8)]
    recorded = ["the wrap-up code says <i>proactive offer</i>" if rec["proactive_offer"] else "no proactive offer",
                         "a feedback ticket was raised" if rec["ticket"] else "no ticket",
                         (f"the follow-up log has the promise ({rec['promise_kept']})" if rec["promise"] else "no promise")]
    finished = (" The transcript shows the promise; only the follow-up log shows whether it was finished."
                         if rec["promise"] else "")
    answer(names, expected,
                    right=f"The tables agree: {'; '.join(recorded)}.{finished}",
                    hints={", ".join(sorted(s)) or "none": (s, hint(s)) for s in subsets if s != expected},
                    otherwise="Name the A's you heard in a list, such as <code>[\"Active\"]</code>.")


def team_on_time_rate(got, followups: pd.DataFrame, agents: pd.DataFrame, *, team: str = "billing-2") -> None:
    """Lesson 1.4: share of one team's promises due that were kept on time (按时完成率).

    The right answer pools the team's promises (kept on time / due, from
    :func:`callcoach.kpi.followup_completion_rate`); the hints catch the at-all rate, a
    percentage, a count, the whole centre's rate and the plain average of the agents' rates.

    Examples
    --------
    >>> from callcoach import datasets, promises
    >>> followups, agents = datasets.load("followups"), datasets.load("agents")
    >>> teams = promises.completion_by(followups, by="team_id", agents=agents).set_index("team_id")
    >>> team_on_time_rate(teams.at["billing-2", "on_time_rate"], followups, agents)
    <IPython.core.display.HTML object>
    >>> "at any time" in feedback(teams.at["billing-2", "at_all_rate"], teams.at["billing-2", "on_time_rate"],
    ...                           right="", hints={"at_all": (teams.at["billing-2", "at_all_rate"], "at any time")})
    True
    """
    from callcoach import kpi, promises

    if team not in set(agents["team_id"]):
        raise KeyError(f"{team!r} (the 'team' parameter of team_on_time_rate) is not a team in 'agents'. "
                       f"Teams: {', '.join(sorted(map(str, set(agents['team_id']))))}.")
    teams = promises.completion_by(followups, by="team_id", agents=agents).set_index("team_id")
    row = teams.loc[team]
    per_agent = promises.completion_by(followups, by=["team_id", "agent_id"], agents=agents)
    mean_of_agents = float(per_agent.loc[per_agent["team_id"] == team, "on_time_rate"].mean())
    _rounded_answer(got, float(row["on_time_rate"]), places=2,
           right=f"{team} kept {row['on_time_rate']:.1%} of its promises on time: all its agents' promises "
                 "counted together, so an agent with many promises weighs more than one with few.",
           hints={
               "at_all": (float(row["at_all_rate"]),
                          "That counts promises kept at any time, late ones too (<code>method=\"at_all\"</code>). "
                          "The question asks for <b>on time</b>."),
               "percent": (float(row["on_time_rate"]) * 100, "Give it as a fraction between 0 and 1, not a percentage."),
               "count": (float(row["kept_on_time"]), "That is a number of promises. Divide by the promises due."),
               "mean_of_agents": (mean_of_agents,
                                  "That is the plain average of the agents' rates: an agent with 30 promises counts as "
                                  "much as one with 300. Pool the team's promises instead, then divide."),
               "centre": (kpi.followup_completion_rate(followups),
                          f"That is the whole centre's rate. Keep only the rows of team {team} first."),
           },
           otherwise=f"Use <code>promises.completion_by(followups, by=\"team_id\", agents=agents)</code> and read the "
                     f"<code>on_time_rate</code> of {team}, or filter the team's promises and call "
                     "<code>kpi.followup_completion_rate</code>.")
