"""Measure the learner-visible effects of a simulated world, as a trainer would.

:func:`measure_effects` computes, from the learner tables (and the ground truth where a
trainer needs it), every effect the course teaches, with the :mod:`callcoach.kpi`,
:mod:`callcoach.calibration` and :mod:`callcoach.scorecard` functions. The canonical
figures are written to ``instructor/ground_truth/effects.json`` by ``make datasets`` and
quoted in ``instructor/README.md``; ``tests/test_sim_world.py`` asserts them.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from callcoach import calibration, kpi
from callcoach.scorecard import default_scorecard, score_evaluations

__all__ = ["measure_effects"]


def _r(x, n=4):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else round(float(x), n)


def measure_effects(world) -> dict:
    """Effect sizes and realism anchors of a world, as a nested dict of numbers."""
    s = world.scenario
    t = world.tables
    calls, daily = t["calls"], t["daily"]
    # Anchors and interval effects are measured on the call-level quarter.
    iv = t["intervals"][t["intervals"]["interval_start"] >= pd.Timestamp(s.detail_start)]
    truth = world.truth["calls_truth"]
    out: dict = {"scenario": s.name, "seed": s.seed}

    handle = calls["talk_s"] + calls["hold_s"] + calls["acw_s"]
    ans = calls[calls["answered"]].assign(handle=handle[calls["answered"]])

    # -------------------------------------------------- realism anchors
    qa = t["qa_evaluations"]
    per_agent_month = (qa.drop_duplicates("evaluation_id")
                       .assign(month=qa["evaluated_on"].astype(str).str[:7])
                       .groupby(["agent_id", "month"]).size())
    out["anchors"] = {
        "service_level": _r(kpi.service_level(iv)),
        "abandonment_rate": _r(kpi.abandonment_rate(iv)),
        "short_abandon_share_of_abandons": _r(iv["short_abandons"].sum()
                                              / max(iv["abandoned"].sum(), 1)),
        "aht_s": _r(kpi.aht(iv), 1),
        "hold_acw_share_of_handle": _r((iv["hold_s"].sum() + iv["acw_s"].sum())
                                       / (iv["talk_s"] + iv["hold_s"] + iv["acw_s"]).sum()),
        "occupancy": _r(kpi.occupancy(iv)),
        "adherence": _r(kpi.adherence(t["adherence"])),
        "conformance": _r(kpi.conformance(t["adherence"])),
        "shrinkage": _r(kpi.shrinkage(t["timesheet"])),
        "fcr_by_repeats_7d": _r(kpi.fcr_by_repeats(calls)),
        "fcr_by_survey": _r(kpi.fcr_by_survey(calls, t["surveys"])),
        "fcr_true_first_contact": _r(truth.loc[calls["answered"].to_numpy()
                                               & (truth["contact_kind"] == "new").to_numpy(),
                                               "resolved"].mean()),
        "survey_response_rate": _r(len(t["surveys"]) / max(int(calls["answered"].sum()), 1)),
        "qa_evaluations_per_agent_month": _r(per_agent_month.mean(), 2),
        "followup_on_time_rate": _r(kpi.followup_completion_rate(
            t["followups"], as_of=calls["arrival_time"].max())),
    }

    # -------------------------------------------------- Active
    first = ans[(truth.loc[ans.index, "contact_kind"] == "new").to_numpy()]
    first = first.sort_values("arrival_time").drop_duplicates("issue_id")
    later = ans[["issue_id", "arrival_time"]].merge(
        first[["issue_id", "arrival_time"]], on="issue_id", suffixes=("", "_first"))
    gap = later["arrival_time"] - later["arrival_time_first"]
    rep_issues = set(later.loc[(gap > pd.Timedelta(0)) & (gap <= pd.Timedelta(days=7)),
                               "issue_id"])
    # Only issues whose 7-day window is complete.
    first = first[first["arrival_time"] <= calls["arrival_time"].max() - pd.Timedelta(days=7)]
    first = first.assign(repeat_7d=first["issue_id"].isin(rep_issues))
    per_issue = ans.groupby("issue_id")["handle"].sum()
    first = first.assign(issue_minutes=first["issue_id"].map(per_issue) / 60)
    g = first.groupby("proactive_offer")
    out["active"] = {
        "first_call_aht_s": {"proactive": _r(g["handle"].mean()[True], 1),
                             "not_proactive": _r(g["handle"].mean()[False], 1)},
        "repeat_within_7d": {"proactive": _r(g["repeat_7d"].mean()[True]),
                             "not_proactive": _r(g["repeat_7d"].mean()[False])},
        "handle_minutes_per_issue": {"proactive": _r(g["issue_minutes"].mean()[True], 2),
                                     "not_proactive": _r(g["issue_minutes"].mean()[False], 2)},
        "proactive_share_of_first_calls": _r(first["proactive_offer"].mean()),
    }

    # -------------------------------------------------- Available
    fu = t["followups"]
    due = fu[fu["due_at"] <= calls["arrival_time"].max()]
    by_agent = kpi.followup_completion_rate(due, by="agent_id")
    by_agent = by_agent[by_agent["denominator"] >= 20]
    complaints = calls[calls["reason"] == "missed_promise_complaint"]
    compl_ids = fu["complaint_call_id"].dropna().astype("int64")
    compl_calls = calls[calls["call_id"].isin(compl_ids) & calls["answered"]]
    compl_handle = (compl_calls["talk_s"] + compl_calls["hold_s"] + compl_calls["acw_s"])
    out["available"] = {
        "agent_on_time_rate_min": _r(by_agent["followup_completion_rate"].min()),
        "agent_on_time_rate_max": _r(by_agent["followup_completion_rate"].max()),
        "agents_with_20_plus_promises": int(len(by_agent)),
        "complaint_calls": int(len(complaints)),
        "complaint_call_handle_s": _r(compl_handle.mean(), 1),
        "followup_work_s": _r(fu["work_s"].mean(), 1),
        "complaint_cost_ratio": _r(compl_handle.mean() / fu["work_s"].mean(), 2),
    }

    # -------------------------------------------------- Action
    reason = s.defect_reason
    fix = pd.Timestamp(s.defect_fix_date)
    cd = calls[calls["reason"] == reason]
    day = cd["arrival_time"].dt.normalize()
    before = cd[(day < fix) & (day >= fix - pd.Timedelta(days=28))]
    after = cd[(day >= fix) & (day < fix + pd.Timedelta(days=28))]
    tk = t["feedback_tickets"]
    out["action"] = {
        "defect_reason": reason,
        "fix_date": s.defect_fix_date.isoformat(),
        "calls_per_day_4_weeks_before": _r(len(before) / 28, 1),
        "calls_per_day_4_weeks_after": _r(len(after) / 28, 1),
        "tickets_before_fix": int(((tk["reason"] == reason)
                                   & (tk["raised_at"] < fix)).sum()),
        "tickets_by_status": {k: int(v) for k, v in tk["status"].value_counts().items()},
    }

    # -------------------------------------------------- interval consistency
    iv = iv.assign(day=iv["interval_start"].dt.normalize())
    by_day = kpi.service_level(iv, by="day")
    by_int = kpi.service_level(iv, by=["day", "interval_start"])
    by_int = by_int[by_int["denominator"] >= 10]
    worst = by_int.groupby("day")["service_level"].min()
    good_days = by_day.loc[by_day["service_level"] >= 0.8, "day"]
    abandoned = calls[~calls["answered"]]
    came_back = calls[calls["retrial"]]
    out["intervals"] = {
        "days_meeting_80_20": int(len(good_days)),
        "days": int(len(by_day)),
        "share_of_good_days_with_an_interval_below_60pct": _r(
            (worst.reindex(good_days) < 0.6).mean()),
        "retrials_per_abandoned_call": _r(len(came_back) / max(len(abandoned), 1)),
    }

    # -------------------------------------------------- tenure and Simpson's paradox
    agents = t["agents"]
    a = ans.merge(agents[["agent_id", "team_id", "tenure_band"]], on="agent_id")
    aht_band = a.groupby("tenure_band")["handle"].mean()
    team = s.new_hire_team
    queue = agents.loc[agents["team_id"] == team, "queue"].iloc[0]
    other = sorted(set(agents.loc[agents["queue"] == queue, "team_id"]) - {team})
    a = a[a["team_id"].isin([team] + other)]
    a = a.assign(group=np.where(a["team_id"] == team, team, "rest of " + queue))
    overall = a.groupby("group")["handle"].mean()
    split = a.groupby(["group", "tenure_band"])["handle"].mean()
    share_new = a.groupby("group")["tenure_band"].apply(lambda x: (x == "new").mean())
    out["tenure"] = {
        "aht_s_new": _r(aht_band.get("new"), 1),
        "aht_s_experienced": _r(aht_band.get("experienced"), 1),
    }
    # Tenure confounds the proactive comparison: experienced agents make more offers and
    # are faster, so the plain gap understates what an offer costs (lesson 12).
    f = first.merge(agents[["agent_id", "tenure_band"]], on="agent_id")
    cell = f.groupby(["tenure_band", "proactive_offer"])["handle"].mean().unstack()
    weight = f.groupby("tenure_band").size()
    plain = (f.loc[f["proactive_offer"], "handle"].mean()
             - f.loc[~f["proactive_offer"], "handle"].mean())
    within = float(((cell[True] - cell[False]) * weight).sum() / weight.sum())
    out["tenure_confound"] = {
        "proactive_share_of_first_calls": {
            band: _r(v) for band, v in f.groupby("tenure_band")["proactive_offer"].mean().items()},
        "extra_s_plain": _r(plain, 1),
        "extra_s_within_tenure": _r(within, 1),
    }
    adh = t["adherence"]
    out["workforce"] = {
        "adherence": _r(kpi.adherence(adh)),
        "conformance": _r(kpi.conformance(adh)),
        "share_of_phone_time_outside_schedule": _r(
            (adh["actual_s"] - adh["in_adherence_s"]).sum() / max(adh["actual_s"].sum(), 1)),
    }
    out["simpson"] = {
        "team": team, "compared_with": "rest of " + queue,
        "overall_aht_s": {k: _r(v, 1) for k, v in overall.items()},
        "aht_s_by_band": {f"{g} | {b}": _r(v, 1) for (g, b), v in split.items()},
        "share_of_calls_by_new_agents": {k: _r(v) for k, v in share_new.items()},
    }

    # -------------------------------------------------- QA evaluators
    cal = t["calibration_scores"]
    totals = score_evaluations(cal, default_scorecard(), targets=["session", "call_id"])
    totals = totals.dropna(subset=["total"])
    bias = calibration.rater_bias(totals, targets=["session", "call_id"],
                                  ratings="total_before_fails")
    drift = calibration.rater_drift(totals, targets="call_id",
                                    ratings="total_before_fails", sessions="session")
    out["qa"] = {
        "bias": {r.evaluator: {"bias": _r(r.bias, 2), "label": r.label}
                 for r in bias.itertuples()},
        "drift_per_session": {r.evaluator: {"slope": _r(r.slope, 2), "trend": r.trend}
                              for r in drift.drop_duplicates("evaluator").itertuples()},
    }

    # -------------------------------------------------- disruption
    d = daily.assign(date=pd.to_datetime(daily["date"]))
    d = d.groupby("date")[["offered", "answered", "talk_s", "hold_s", "acw_s"]].sum()
    d_aht = (d["talk_s"] + d["hold_s"] + d["acw_s"]) / d["answered"]
    ds, de = pd.Timestamp(s.disruption_start), pd.Timestamp(s.disruption_end)
    during = (d.index >= ds) & (d.index <= de)
    pre = (d.index < ds) & (d.index >= ds - pd.Timedelta(weeks=8))
    if during.any() and pre.any():
        out["disruption"] = {
            "start": s.disruption_start.isoformat(), "end": s.disruption_end.isoformat(),
            "offered_per_day_during": _r(d.loc[during, "offered"].mean(), 1),
            "offered_per_day_8_weeks_before": _r(d.loc[pre, "offered"].mean(), 1),
            "aht_s_during": _r(d_aht[during].mean(), 1),
            "aht_s_8_weeks_before": _r(d_aht[pre].mean(), 1),
        }
    return out
