"""Turn a finished simulation into tidy learner tables and instructor ground truth.

Used by :func:`callcoach.sim.world.simulate`; not meant to be called directly. Every
KPI in the daily and monthly history comes from a :mod:`callcoach.kpi` function (one
definition, one place).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from callcoach import kpi

INTERVAL_S = 1800
KIND_NAMES = np.array(["new", "repeat", "complaint", "recall_after_abandon"])


def _date_str(values) -> pd.Series:
    return pd.Series(pd.to_datetime(values)).dt.strftime("%Y-%m-%d")


def assemble(sim):
    from callcoach.sim import qa
    from callcoach.sim.world import World

    s, R = sim.s, sim.R
    agents = sim.agents
    agent_ids = agents["agent_id"].to_numpy()
    queue_names = np.array(s.queue_names)
    reason_names = np.array(R.names)
    days = pd.to_datetime(pd.Series(sim.days))

    all_calls = pd.concat(sim.call_parts, ignore_index=True)
    all_calls["date"] = all_calls["arrival_time"].dt.normalize()
    detail_mask = all_calls["date"] >= pd.Timestamp(s.detail_start)
    threshold = s.threshold_s
    ans = all_calls["answered"].to_numpy()
    wait = all_calls["wait"].to_numpy()
    all_calls["within"] = ans & (wait <= threshold)
    all_calls["ab_within"] = ~ans & (wait <= threshold)
    all_calls["short"] = ~ans & (wait <= 5)
    all_calls["interval"] = np.minimum((all_calls["t"].to_numpy() // INTERVAL_S).astype(int),
                                       sim.n_int - 1)
    all_calls["queue_name"] = queue_names[all_calls["queue"].to_numpy()]
    all_calls["reason_name"] = reason_names[all_calls["reason"].to_numpy()]

    # ------------------------------------------------------------ staffing arrays
    staff = pd.DataFrame(sim.daily_parts)
    staff["date"] = days.to_numpy()[staff["day"].to_numpy()]
    staff["queue_name"] = queue_names[staff["queue"].to_numpy()]

    # ------------------------------------------------------------ per interval
    g = all_calls.groupby(["date", "queue_name", "interval"], sort=True)
    per_int = pd.DataFrame({
        "offered": g.size(),
        "answered": g["answered"].sum(),
        "answered_within_threshold": g["within"].sum(),
        "abandoned_within_threshold": g["ab_within"].sum(),
        "short_abandons": g["short"].sum(),
        "wait_answered_s": all_calls.assign(w=np.where(ans, wait, 0)).groupby(
            ["date", "queue_name", "interval"], sort=True)["w"].sum(),
        "talk_s": g["talk"].sum(), "hold_s": g["hold"].sum(), "acw_s": g["acw"].sum(),
    })
    # Full grid: every open day x queue x interval, zeros where no call came.
    # Queues in name order, the same order as the staffing arrays below.
    grid = pd.MultiIndex.from_product(
        [days, sorted(queue_names), range(sim.n_int)], names=["date", "queue_name", "interval"])
    per_int = per_int.reindex(grid, fill_value=0).reset_index()
    sched = np.stack(staff.sort_values(["date", "queue_name"])["sched"].to_numpy())
    staffed = np.stack(staff.sort_values(["date", "queue_name"])["staffed"].to_numpy())
    in_adh = np.stack(staff.sort_values(["date", "queue_name"])["in_adh"].to_numpy())
    sched_agents = np.stack(staff.sort_values(["date", "queue_name"])["scheduled_agents"])
    per_int["scheduled_agents"] = sched_agents.ravel().astype(int)
    per_int["staffed_agents"] = np.round(staffed.ravel() / INTERVAL_S, 2)
    per_int["scheduled_s"] = sched.ravel()
    per_int["in_adherence_s"] = in_adh.ravel()
    per_int["staffed_s"] = staffed.ravel()
    for col in ("offered", "answered", "answered_within_threshold",
                "abandoned_within_threshold", "short_abandons"):
        per_int[col] = per_int[col].astype(int)
    per_int["abandoned"] = per_int["offered"] - per_int["answered"]
    for col in ("wait_answered_s", "talk_s", "hold_s", "acw_s"):
        per_int[col] = per_int[col].round().astype(int)
    per_int["interval_start"] = (per_int["date"] + pd.Timedelta(hours=s.open_hour)
                                 + pd.to_timedelta(per_int["interval"] * INTERVAL_S, unit="s"))

    interval_cols = ["interval_start", "queue", "offered", "answered", "abandoned",
                     "answered_within_threshold", "abandoned_within_threshold",
                     "short_abandons", "wait_answered_s", "talk_s", "hold_s", "acw_s",
                     "scheduled_agents", "staffed_agents"]
    intervals = per_int.rename(columns={"queue_name": "queue"})  # the whole two years
    intervals = intervals.sort_values(["interval_start", "queue"], kind="stable")
    intervals = intervals[interval_cols].reset_index(drop=True)

    # ------------------------------------------------------------ daily history
    sums = ["offered", "answered", "abandoned", "answered_within_threshold",
            "abandoned_within_threshold", "short_abandons", "wait_answered_s", "talk_s",
            "hold_s", "acw_s"]
    daily = per_int.groupby(["date", "queue_name"], sort=True)[sums].sum().reset_index()
    st = staff.groupby(["date", "queue_name"], sort=True).agg(
        staffed_s=("staffed", lambda x: float(np.sum(np.stack(x.to_numpy())))),
        scheduled_s=("sched", lambda x: float(np.sum(np.stack(x.to_numpy())))),
        in_adherence_s=("in_adh", lambda x: float(np.sum(np.stack(x.to_numpy())))),
        paid_s=("paid", "sum")).reset_index()
    daily = daily.merge(st, on=["date", "queue_name"], how="left")
    for col in ("staffed_s", "scheduled_s", "in_adherence_s", "paid_s"):
        daily[col] = daily[col].round().astype(int)
    sv = all_calls[all_calls["survey"]]
    sg = sv.groupby(["date", "queue_name"])
    daily = daily.merge(pd.DataFrame({
        "survey_responses": sg.size(), "survey_resolved_yes": sg["survey_resolved"].sum(),
        "csat_satisfied": sg["csat"].apply(lambda x: int((x >= 4).sum()))}).reset_index(),
        on=["date", "queue_name"], how="left")
    for col in ("survey_responses", "survey_resolved_yes", "csat_satisfied"):
        daily[col] = daily[col].fillna(0).astype(int)
    daily = daily.rename(columns={"queue_name": "queue"})
    daily["date"] = _date_str(daily["date"])

    # ------------------------------------------------------------ monthly KPIs
    monthly = _monthly(sim, all_calls, daily)

    # ------------------------------------------------------------ calls (detail)
    dc = all_calls[detail_mask].reset_index(drop=True)
    calls = pd.DataFrame({
        "call_id": dc["call_id"].astype(np.int64),
        "customer_id": dc["customer"].astype(np.int64) + 5_000_000,
        "issue_id": dc["issue"].astype(np.int64) + 1,
        "reason": dc["reason_name"],
        "queue": dc["queue_name"],
        "agent_id": pd.array(np.where(dc["agent"] >= 0, agent_ids[np.maximum(dc["agent"], 0)],
                                      None), dtype="string"),
        "arrival_time": dc["arrival_time"],
        "answered": dc["answered"].astype(bool),
        "retrial": dc["attempt"] > 0,
        "wait_s": dc["wait"].astype(int),
        "talk_s": dc["talk"].astype(int),
        "hold_s": dc["hold"].astype(int),
        "acw_s": dc["acw"].astype(int),
        "transferred": dc["transferred"].astype(bool),
        "proactive_offer": dc["proactive"].astype(bool),
    })
    calls_truth = pd.DataFrame({
        "call_id": calls["call_id"],
        "issue_id": calls["issue_id"],
        "contact_kind": KIND_NAMES[dc["kind"].to_numpy()],
        "true_reason": reason_names[dc["first_reason"].to_numpy()],
        "resolved": dc["resolved"].astype(bool),
        "resolved_by_followup": dc["resolved_later"].astype(bool),
        "agent_tenure_days": np.where(dc["agent"] >= 0, (dc["date"] - pd.to_datetime(
            agents["hire_date"].to_numpy()[np.maximum(dc["agent"], 0)])).dt.days, -1),
    })

    surveys = pd.DataFrame({
        "call_id": dc.loc[dc["survey"], "call_id"].astype(np.int64),
        "resolved": dc.loc[dc["survey"], "survey_resolved"].astype(bool),
        "csat": dc.loc[dc["survey"], "csat"].astype(int),
    }).reset_index(drop=True)

    # ------------------------------------------------------------ follow-ups
    fu = pd.concat(sim.followup_parts, ignore_index=True)
    fu = fu[fu["promised_at"] >= pd.Timestamp(s.detail_start)].reset_index(drop=True)
    complaint_calls = all_calls[all_calls["followup_ref"] >= 0].sort_values("call_id")
    first_compl = complaint_calls.groupby("followup_ref")["call_id"].min()
    followups = pd.DataFrame({
        "followup_id": fu["followup_id"].astype(np.int64),
        "call_id": fu["call_id"].astype(np.int64),
        "agent_id": agent_ids[fu["agent"].to_numpy()],
        "customer_id": fu["customer"].astype(np.int64) + 5_000_000,
        "queue": queue_names[fu["queue"].to_numpy()],
        "kind": fu["kind"],
        "promised_at": fu["promised_at"].dt.floor("s"),
        "due_at": fu["due_at"].dt.floor("s"),
        "completed_at": fu["completed_at"].dt.floor("s"),
        "work_s": fu["work_s"].astype(int),
        "complaint_call_id": pd.array(fu["followup_id"].map(first_compl), dtype="Int64"),
    })
    # Promises still open at the end of the data are not yet known to be missed.
    end = pd.Timestamp(s.end) + pd.Timedelta(days=1)
    followups.loc[followups["completed_at"] >= end, "completed_at"] = pd.NaT

    # ------------------------------------------------------------ feedback tickets
    tk = pd.concat(sim.ticket_parts, ignore_index=True) if sim.ticket_parts else None
    tickets = _tickets(sim, tk, agent_ids, reason_names)

    # ------------------------------------------------------------ people
    agents_out = agents[["agent_id", "name", "team_id", "queue", "hire_date", "left_on",
                         "tenure_band"]].copy()
    agents_out["hire_date"] = _date_str(agents_out["hire_date"])
    agents_out["left_on"] = pd.array([None if v is None or v != v else str(v)
                                      for v in agents["left_on"]], dtype="string")
    shift_mode = _shift_patterns(sim)
    agents_out.insert(4, "shift_pattern", shift_mode)
    agents_truth = agents[["agent_id", "team_id", "tenure_band", "active", "action",
                           "available", "skill", "speed", "empathy", "compliance"]].round(4)
    reasons = pd.DataFrame({
        "reason": reason_names[:R.n_regular].tolist() + [R.names[R.complaint[0]]],
        "queue": [s.queue_names[q] for q in R.queue[:R.n_regular]] + ["all"],
        "defect": R.defect[:R.n_regular].tolist() + [False],
        "department": R.department[:R.n_regular] + ["customer relations"],
        "description": [r.description for q in s.queues for r in q.reasons]
        + ["Complaint about a follow-up promise that was not kept."],
    })

    # ------------------------------------------------------------ workforce
    schedules, states, adherence, timesheet = _workforce(sim, agent_ids)

    world = World(scenario=s)
    world.tables.update({
        "intervals": intervals, "daily": daily, "monthly": monthly, "calls": calls,
        "agents": agents_out, "teams": sim.teams.copy(), "reasons": reasons,
        "surveys": surveys, "followups": followups, "feedback_tickets": tickets,
        "schedules": schedules, "agent_states": states, "adherence": adherence,
        "timesheet": timesheet,
    })
    world.truth.update({"agents_truth": agents_truth, "calls_truth": calls_truth})
    qa.add_qa(world, sim, all_calls)
    return world


def _monthly(sim, all_calls: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    d = daily.copy()
    d["month"] = pd.to_datetime(d["date"]).dt.to_period("M").dt.start_time
    keys = ["month", "queue"]
    out = d.groupby(keys, sort=True)[["offered", "answered", "abandoned"]].sum()
    out = out.reset_index()

    def add(name, frame, col=None):
        nonlocal out
        frame = frame[keys + [col or name]].rename(columns={col or name: name})
        out = out.merge(frame, on=keys, how="left")

    add("service_level", kpi.service_level(d, by=keys))
    add("abandonment_rate", kpi.abandonment_rate(d, by=keys))
    add("asa_s", kpi.asa(d, by=keys), "asa")
    add("aht_s", kpi.aht(d, by=keys), "aht")
    add("occupancy", kpi.occupancy(d, by=keys, staffed_agents="staffed_s", interval_s=1))
    add("adherence", kpi.adherence(d, by=keys))
    sh = d.assign(productive=d["staffed_s"], shrink=d["paid_s"] - d["staffed_s"])
    sh = sh.groupby(keys)[["productive", "shrink", "paid_s"]].sum().reset_index()
    sh["shrinkage"] = sh["shrink"] / sh["paid_s"]
    add("shrinkage", sh)
    c = all_calls.assign(month=all_calls["date"].dt.to_period("M").dt.start_time,
                         queue=all_calls["queue_name"], customer_id=all_calls["customer"],
                         reason=all_calls["reason_name"], arrival_time=all_calls["arrival_time"])
    add("fcr_by_repeats", kpi.fcr_by_repeats(
        c[["month", "queue", "customer_id", "reason", "arrival_time", "answered"]], by=keys))
    sv = c[c["survey"]]
    add("fcr_by_survey", sv.assign(resolved=sv["survey_resolved"]).groupby(keys)[
        "resolved"].mean().rename("fcr_by_survey").reset_index())
    add("csat", sv.groupby(keys)["csat"].mean().rename("csat").reset_index())
    add("survey_responses", sv.groupby(keys).size().rename("survey_responses").reset_index())
    fu = pd.concat(sim.followup_parts, ignore_index=True)
    fu = fu.assign(queue=np.array(sim.s.queue_names)[fu["queue"].to_numpy()],
                   month=fu["due_at"].dt.to_period("M").dt.start_time)
    fu = fu[fu["due_at"] < pd.Timestamp(sim.s.end)]
    if len(fu):
        add("followup_completion_rate", kpi.followup_completion_rate(fu, by=keys))
    else:
        out["followup_completion_rate"] = np.nan
    out["survey_responses"] = out["survey_responses"].fillna(0).astype(int)
    rates = ["service_level", "abandonment_rate", "occupancy", "adherence", "shrinkage",
             "fcr_by_repeats", "fcr_by_survey", "followup_completion_rate"]
    out[rates] = out[rates].round(4)
    out[["asa_s", "aht_s", "csat"]] = out[["asa_s", "aht_s", "csat"]].round(2)
    out["month"] = out["month"].dt.strftime("%Y-%m-%d")
    return out


def _tickets(sim, tk, agent_ids, reason_names) -> pd.DataFrame:
    s, R = sim.s, sim.R
    cols = ["ticket_id", "call_id", "agent_id", "raised_at", "reason", "department",
            "status", "closed_at"]
    if tk is None or tk.empty:
        return pd.DataFrame(columns=cols)
    tk = tk[tk["raised_at"] >= pd.Timestamp(s.detail_start)].reset_index(drop=True)
    rng = np.random.default_rng([s.seed, 77])
    reason = tk["reason"].to_numpy()
    fix = pd.Timestamp(s.defect_fix_date) + pd.Timedelta(hours=6)
    status = np.where(R.defect[reason], "open", "rejected")
    closed = pd.Series(pd.NaT, index=tk.index, dtype="datetime64[ns]")
    is_fixed = reason == R.fixed
    before = tk["raised_at"] < fix
    status = np.where(is_fixed & before, "fixed", status)
    status = np.where(is_fixed & ~before, "duplicate", status)
    closed[is_fixed & before] = fix
    closed[is_fixed & ~before] = tk.loc[is_fixed & ~before, "raised_at"] + pd.Timedelta(days=1)
    rej = ~R.defect[reason]
    closed[rej] = tk.loc[rej, "raised_at"] + pd.to_timedelta(
        rng.integers(2, 10, int(rej.sum())), unit="D")
    return pd.DataFrame({
        "ticket_id": tk["ticket_id"].astype(np.int64),
        "call_id": tk["call_id"].astype(np.int64),
        "agent_id": agent_ids[tk["agent"].to_numpy()],
        "raised_at": tk["raised_at"].dt.floor("s"),
        "reason": reason_names[reason],
        "department": [R.department[r] for r in reason],
        "status": status,
        "closed_at": closed.dt.floor("s"),
    })


def _shift_patterns(sim) -> list[str]:
    """Each agent's most frequent kind of shift in the detail period."""
    if not sim.sched_rows:
        return ["none"] * len(sim.agents)
    df = pd.DataFrame(sim.sched_rows, columns=["agent", "date", "activity", "start", "end"])
    g = df.groupby(["agent", "date"])
    start = g["start"].min()
    hours = (g["end"].max() - start).dt.total_seconds() / 3600
    h = start.dt.hour + start.dt.minute / 60
    kind = np.select([hours <= 4.5, h < 8.25, h < 10, h < 11.25],
                     ["part_time", "early", "day", "middle"], "late")
    kind = pd.Series(kind, index=start.index)
    mode = kind.groupby(level=0).agg(lambda x: x.value_counts().sort_index().idxmax())
    return [mode.get(i, "none") for i in range(len(sim.agents))]


def _workforce(sim, agent_ids):
    sched = pd.DataFrame(sim.sched_rows, columns=["agent", "date", "activity", "start", "end"])
    schedules = pd.DataFrame({
        "agent_id": agent_ids[sched["agent"].to_numpy()],
        "date": _date_str(sched["date"]),
        "activity": sched["activity"],
        "start": sched["start"], "end": sched["end"],
    }).sort_values(["date", "agent_id", "start"], kind="stable").reset_index(drop=True)
    st = pd.DataFrame(sim.state_rows, columns=["agent", "date", "state", "start", "end"])
    states = pd.DataFrame({
        "agent_id": agent_ids[st["agent"].to_numpy()],
        "date": _date_str(st["date"]),
        "state": st["state"], "start": st["start"], "end": st["end"],
    }).sort_values(["date", "agent_id", "start"], kind="stable").reset_index(drop=True)
    adh = pd.concat(sim.adh_parts, ignore_index=True)
    adherence = pd.DataFrame({
        "agent_id": agent_ids[adh["agent"].to_numpy()],
        "interval_start": adh["interval_start"],
        "scheduled_s": adh["scheduled_s"].round().astype(int),
        "in_adherence_s": adh["in_adherence_s"].round().astype(int),
        "actual_s": adh["actual_s"].round().astype(int),
    }).sort_values(["interval_start", "agent_id"], kind="stable").reset_index(drop=True)
    ts = pd.DataFrame(sim.time_rows, columns=["agent", "date", "activity", "seconds"])
    ts = ts.groupby(["agent", "date", "activity"], sort=False)["seconds"].sum().reset_index()
    # Split "phones" into on_call, acw and available with the agent's handled calls.
    calls = pd.concat(sim.call_parts, ignore_index=True)
    calls = calls[calls["answered"]]
    calls = calls.assign(date=calls["arrival_time"].dt.date)
    h = calls.groupby(["agent", "date"])[["talk", "hold", "acw"]].sum()
    phones = ts[ts["activity"] == "phones"].set_index(["agent", "date"])["seconds"]
    rows = [ts[ts["activity"] != "phones"]]
    hh = h.reindex(phones.index, fill_value=0)
    on_call = np.minimum(hh["talk"] + hh["hold"], phones)
    acw = np.minimum(hh["acw"], phones - on_call)
    avail = phones - on_call - acw
    for name, v in (("on_call", on_call), ("acw", acw), ("available", avail)):
        rows.append(pd.DataFrame({"agent": phones.index.get_level_values(0),
                                  "date": phones.index.get_level_values(1),
                                  "activity": name, "seconds": v.to_numpy()}))
    ts = pd.concat(rows, ignore_index=True)
    # Paid day = 8 hours: whatever is left (rounding, overruns) goes to aux.
    ts["seconds"] = ts["seconds"].round().astype(int)
    timesheet = pd.DataFrame({
        "agent_id": agent_ids[ts["agent"].to_numpy()],
        "date": _date_str(ts["date"]),
        "activity": ts["activity"], "seconds": ts["seconds"],
    })
    timesheet = timesheet[timesheet["seconds"] > 0]
    timesheet = timesheet.sort_values(["date", "agent_id", "activity"], kind="stable")
    return schedules, states, adherence.reset_index(drop=True), timesheet.reset_index(drop=True)
