"""QA in the simulated world: routine evaluations, calibration sessions, transcripts.

Each call's true quality on every item of :func:`callcoach.scorecard.default_scorecard`
follows from what the simulation decided: the agent's empathy trait (greeting, empathy,
hold etiquette, closing), identity checks (the agent's compliance), whether the issue
was resolved (accurate information), a proactive offer (3A Active), a feedback ticket on
a defect call (3A Action) and the recap of a follow-up promise (3A Available, the
agent's Available trait). Items that do not apply are N/A (no hold, no promise, no
defect, no account data touched).

An evaluator sees that quality through their latent habits (:class:`Evaluator`): a
*leniency* shift (positive: lenient, negative: severe), call-by-call *noise*, and a
*drift* of the leniency per month; yes/no items are factual and only flip now and then.
The expert anchor scores with little noise and no bias.

* ``qa_evaluations`` -- routine QA, call-level period only: ``qa_per_agent_month``
  answered calls per agent per month, each scored by one evaluator.
* ``calibration_scores`` -- monthly sessions over the last ``calibration_months``
  months: every evaluator and the expert score the same ``calibration_calls`` calls.
* ``transcripts`` -- what was said on those calibration calls, written from the same
  decisions (so a careful reader can score them).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from callcoach.scorecard import default_scorecard

EXPERT = "expert"
EXPERT_NOISE = 0.04
FLIP = 0.35  # yes/no flip probability per unit of evaluator noise


CALIBRATION_STREAM = 35  # random stream of the calibration sessions

def _truth(sim, calls: pd.DataFrame, rng) -> pd.DataFrame:
    """True item quality q (0-1) per call and item; NaN = N/A."""
    R = sim.R
    k = calls["agent"].to_numpy()
    n = len(calls)
    emp = sim.empathy[k]
    reason = calls["reason"].to_numpy()
    resolved = calls["resolved"].to_numpy()
    q = {}
    q["greeting"] = emp + rng.normal(0, 0.12, n)
    verified = rng.random(n) < sim.compliance[k]
    no_account = rng.random(n) < 0.08
    q["verify_identity"] = np.where(no_account, np.nan, verified.astype(float))
    wrong = ~resolved & (rng.random(n) < 0.25)
    q["accurate_info"] = np.where(wrong, 0.1, np.where(resolved, 0.82, 0.5)) + rng.normal(
        0, 0.12, n)
    q["proactive_offer"] = np.where(calls["proactive"].to_numpy(), 0.85, 0.18) + rng.normal(
        0, 0.1, n)
    q["feedback_raised"] = np.where(R.defect[reason], calls["ticket"].to_numpy().astype(float),
                                    np.nan)
    q["empathy"] = emp + rng.normal(0, 0.1, n)
    q["hold_etiquette"] = np.where(calls["hold"].to_numpy() > 0,
                                   0.55 + 0.5 * (emp - 0.66) + rng.normal(0, 0.15, n), np.nan)
    q["followup_recorded"] = np.where(
        calls["promise"].to_numpy(), 0.3 + 0.6 * sim.available[k] + rng.normal(0, 0.1, n),
        np.nan)
    q["closing"] = 0.55 + 0.2 * resolved + 0.3 * (emp - 0.66) + rng.normal(0, 0.12, n)
    out = pd.DataFrame(q)
    for col in out:
        if col not in ("verify_identity", "feedback_raised"):
            out[col] = out[col].clip(0, 1)
    out.index = calls.index
    return out


def _to_scale(q: np.ndarray, item) -> np.ndarray:
    if item.scale in ("yes/no", "pass/fail"):
        return np.where(np.isnan(q), np.nan, (q >= 0.5).astype(float))
    span = item.high - item.low
    return np.where(np.isnan(q), np.nan, item.low + np.round(np.clip(q, 0, 1) * span))


def _observe(truth: pd.DataFrame, shift: np.ndarray, noise: np.ndarray, rng) -> pd.DataFrame:
    """Scores an evaluator gives: quality + leniency/drift shift + noise, on each scale."""
    card = default_scorecard()
    out = {}
    for item in card.items:
        q = truth[item.id].to_numpy(float)
        if item.scale in ("yes/no", "pass/fail"):
            flip = rng.random(q.size) < FLIP * noise
            seen = np.where(flip, 1 - q, q)
        else:
            seen = q + shift + rng.normal(0, 1, q.size) * noise
        out[item.id] = _to_scale(seen, item)
    return pd.DataFrame(out, index=truth.index)


def _long(frame: pd.DataFrame, id_cols: list[str]) -> pd.DataFrame:
    items = [i.id for i in default_scorecard().items]
    long = frame.melt(id_vars=id_cols, value_vars=items, var_name="item", value_name="score")
    order = {i: n for n, i in enumerate(items)}
    long["_o"] = long["item"].map(order)
    long = long.sort_values(id_cols[:2] + ["_o"] if len(id_cols) >= 2 else ["_o"],
                            kind="stable")
    return long.drop(columns="_o").reset_index(drop=True)


def add_qa(world, sim, all_calls: pd.DataFrame) -> None:
    s = sim.s
    rng = np.random.default_rng([s.seed, 31])
    agent_ids = sim.agents["agent_id"].to_numpy()
    evaluators = list(s.evaluators)
    ans = all_calls[all_calls["answered"]]
    ans = ans.assign(month=ans["date"].dt.to_period("M"))
    months_all = sorted(ans["month"].unique())
    qa_start = months_all[max(0, len(months_all) - s.calibration_months)]

    def months_since(m):
        return np.asarray([(x - qa_start).n for x in m], float)

    # ---------------------------------------------------------- routine evaluations
    det = ans[ans["date"] >= pd.Timestamp(s.detail_start)]
    picks = []
    if s.qa_per_agent_month > 0 and len(det):
        for (agent, month), g in det.groupby(["agent", "month"], sort=True):
            m = min(s.qa_per_agent_month, len(g))
            picks.append(g.index.to_numpy()[np.sort(rng.choice(len(g), m, replace=False))])
    if picks:
        sample = ans.loc[np.concatenate(picks)].sort_values("call_id")
        truth = _truth(sim, sample, rng)
        who = rng.integers(0, len(evaluators), len(sample))
        ms = months_since(sample["month"])
        shift = np.array([evaluators[w].leniency + evaluators[w].drift_per_month * x
                          for w, x in zip(who, ms)])
        noise = np.array([evaluators[w].noise for w in who])
        scores = _observe(truth, shift[:, None].ravel(), noise, rng)
        evaluated = sample["date"] + pd.to_timedelta(rng.integers(1, 6, len(sample)), unit="D")
        frame = pd.DataFrame({
            "evaluation_id": np.arange(1, len(sample) + 1),
            "call_id": sample["call_id"].to_numpy(np.int64),
            "agent_id": agent_ids[sample["agent"].to_numpy()],
            "evaluator": [evaluators[w].name for w in who],
            "evaluated_on": evaluated.dt.strftime("%Y-%m-%d").to_numpy(),
        })
        frame = pd.concat([frame, scores.reset_index(drop=True)], axis=1)
        qa_eval = _long(frame, ["evaluation_id", "call_id", "agent_id", "evaluator",
                                "evaluated_on"])
        qa_eval = qa_eval.sort_values(["evaluation_id"], kind="stable").reset_index(drop=True)
    else:
        qa_eval = pd.DataFrame(columns=["evaluation_id", "call_id", "agent_id", "evaluator",
                                        "evaluated_on", "item", "score"])
    world.tables["qa_evaluations"] = qa_eval

    # ---------------------------------------------------------- calibration sessions
    # Their own random stream, so the number of routine evaluations does not move them.
    rng = np.random.default_rng([s.seed, CALIBRATION_STREAM])
    sessions = months_all[-s.calibration_months:]
    cal_rows, truth_rows, cal_calls = [], [], []
    for m in sessions:
        pool = ans[(ans["month"] == m) & (ans["kind"] != 3)]
        if pool.empty:
            continue
        # A mix worth discussing: some proactive, some with promises, some defects.
        weight = (1 + 2 * pool["proactive"] + 2 * pool["promise"] + 2 * pool["ticket"]
                  + 1.5 * (pool["hold"] > 0) + 2 * pool["reason"].isin(
                      np.flatnonzero(sim.R.is_complaint))).to_numpy(float)
        pick = rng.choice(len(pool), min(s.calibration_calls, len(pool)), replace=False,
                          p=weight / weight.sum())
        chosen = pool.iloc[np.sort(pick)].sort_values("call_id")
        truth = _truth(sim, chosen, rng)
        session = f"{m.year:04d}-{m.month:02d}"
        x = (m - qa_start).n
        card = default_scorecard()
        true_scores = pd.DataFrame({i.id: _to_scale(truth[i.id].to_numpy(float), i)
                                    for i in card.items}, index=truth.index)
        raters = [(EXPERT, 0.0, EXPERT_NOISE)] + [
            (e.name, e.leniency + e.drift_per_month * x, e.noise) for e in evaluators]
        for name, shift, noise in raters:
            sc = _observe(truth, np.full(len(chosen), shift), np.full(len(chosen), noise), rng)
            sc.insert(0, "evaluator", name)
            sc.insert(0, "call_id", chosen["call_id"].to_numpy(np.int64))
            sc.insert(0, "session", session)
            cal_rows.append(sc.reset_index(drop=True))
        ts = true_scores.copy()
        ts.insert(0, "call_id", chosen["call_id"].to_numpy(np.int64))
        ts.insert(0, "session", session)
        truth_rows.append(ts.reset_index(drop=True))
        cal_calls.append((session, chosen, truth))
    cal = pd.concat(cal_rows, ignore_index=True)
    cal = _long(cal, ["session", "call_id", "evaluator"])
    order = {n: i for i, n in enumerate([EXPERT] + [e.name for e in evaluators])}
    cal["_r"] = cal["evaluator"].map(order)
    items = {i.id: n for n, i in enumerate(default_scorecard().items)}
    cal["_i"] = cal["item"].map(items)
    cal = cal.sort_values(["session", "call_id", "_r", "_i"], kind="stable").drop(
        columns=["_r", "_i"]).reset_index(drop=True)
    world.tables["calibration_scores"] = cal
    truth_scores = _long(pd.concat(truth_rows, ignore_index=True), ["session", "call_id"])
    world.truth["calibration_truth"] = truth_scores.rename(columns={"score": "true_score"})
    world.truth["evaluators_truth"] = pd.DataFrame(
        [{"evaluator": e.name, "leniency": e.leniency, "noise": e.noise,
          "drift_per_month": e.drift_per_month} for e in evaluators]
        + [{"evaluator": EXPERT, "leniency": 0.0, "noise": EXPERT_NOISE,
            "drift_per_month": 0.0}])

    from callcoach.sim.transcripts import write_transcripts

    world.tables["transcripts"] = write_transcripts(sim, cal_calls, rng)
