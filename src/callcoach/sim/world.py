"""The simulated world: Harbour Mobile's contact centre, day by day, call by call.

:func:`simulate` runs a :class:`~callcoach.sim.config.Scenario` and returns a
:class:`World`: the learner tables (calls, intervals, daily and monthly history,
agents, teams, surveys, follow-ups, feedback tickets, schedules, agent states,
adherence, timesheet, QA evaluations, calibration scores, transcripts) and the
instructor-only ground truth (latent agent traits, true resolution, evaluator habits).

How one day is made
-------------------
1. **Demand.** New customer issues per queue, reason and half hour are Poisson with
   mean ``daily_issues`` x weekday x intraday x annual cycle x growth x holiday x
   disruption x reason share (the defect reason falls to ``defect_residual`` after its
   fix date). Each issue belongs to a customer. Contacts booked by earlier days join
   them: repeats of unresolved issues, callers who gave up yesterday, complaints about
   missed promises.
2. **Schedule.** Planners forecast the interval load (forecast x ``planning_factor``
   for repeats and retrials; during a disruption they only catch up after ten days),
   ask Erlang C for the agents that meet the 80/20 target, gross it up for planned
   shrinkage and cover it greedily with 8.5-hour shifts (four start times, a staggered
   30-minute unpaid lunch, two 15-minute breaks, a half hour for follow-ups, sometimes
   training, a meeting or coaching) from the queue's agents who are employed, not on
   leave and have worked fewer than five days that week.
3. **The real day.** Some scheduled agents call in sick; the rest log in late, overrun
   breaks, take unscheduled "aux" time or leave early, so the agents really on the
   phones fall short of the plan in some half hours.
4. **Queue.** Every queue runs through :func:`callcoach.sim.queue.run_fcfs`'s engine
   with each agent's real on-phone windows, per-agent handle times (speed, tenure
   learning curve, proactive extra time, disruption), log-normal patience with a share
   of quick hang-ups, and same-day retrials of callers who hung up.
5. **Outcomes.** Each answered call is proactive (3A Active) with the agent's
   propensity, resolves the issue with a probability from the reason, the agent's skill
   and tenure, and +1.5 on the log-odds when proactive; unresolved issues come back
   1-20 days later (82 %), sometimes under another reason. Promises (follow-ups) are
   kept with the agent's Available propensity; missed ones bring a long complaint call.
   Defect calls lead to feedback tickets with the agent's Action propensity. A share of
   answered calls take the post-call survey; "resolved?" is answered "yes" by 95 % of
   truly resolved callers and 55 % of unresolved ones (they believe the fix worked).

The effects and their sizes are measured by :func:`measure_effects` and documented in
``instructor/README.md``.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from callcoach import erlang
from callcoach.sim.config import COMPLAINT_REASON, Scenario, preset
from callcoach.sim.queue import _fcfs_core, windows_csr

__all__ = ["World", "simulate"]

DAY_S = 86_400
INTERVAL_S = 1800
SHORT_ABANDON_S = 5
SHIFT_S = 30_600  # 8.5 hours including a 30-minute unpaid lunch
PAID_S = 28_800
MAX_RETRIALS = 3
MAX_SHORT = 2.0  # planners stop when every half hour is within 2 agents of the need
HISTORY_DAYS = 28  # planners forecast AHT and calls per issue from the last four weeks
PLAN_SLACK = 0.40  # budget: Erlang C staffing for 40 % in 20 s; abandonment and shift overlap lift it

# Effect sizes (documented in instructor/README.md).
ACTIVE_LOGIT = 1.5          # proactive call: + log-odds of resolving the issue
ACTIVE_TALK_S = 60.0        # proactive call: extra talk seconds (mean)
ACTIVE_ACW_S = 25.0         # proactive call: extra after-call work (mean)
RESOLVE_SHIFT = -0.9       # global shift of every reason's resolve log-odds
REPEAT_PROB = 0.82          # unresolved issue: the customer calls again
RECALL_AFTER_ABANDON = 0.55  # caller who finally gave up calls again another day
MISCODE = 0.05              # a repeat filed under another reason of the queue
TENURE_DAYS = 120.0         # learning-curve time constant
TENURE_HANDLE = 0.5         # new agent's extra handle time (x1.5 on day one)
TENURE_SKILL = 0.6          # new agent's resolve log-odds penalty on day one
SIMPSON_SPEED = 0.95        # the new-hire team's agents are 5 % faster in each band
ACTIVE_NEW = 0.18           # mean Active propensity of new agents (tenure confounding)
ACTIVE_EXPERIENCED = 0.47   # ... and of experienced agents
PULL_FOLLOWUP = 0.15        # chance the follow-up half hour is spent on the phones instead
PULL_FOLLOWUP_BUSY = 0.5    # ... during the disruption
PULLED_KEEP = 0.8           # promise-keeping multiplier on a day the follow-up time was lost
OVERTIME = 0.08             # chance an agent stays on the phones after the shift ends
SURVEY_YES_RESOLVED = 0.95
SURVEY_YES_UNRESOLVED = 0.55
COMPLAINT_IF_MISSED = 0.7
COMPLAINT_IF_LATE = 0.2
FOLLOWUP_WORK_S = 180.0
COMPLAINT_TALK = 2.6
COMPLAINT_ACW = 4.0

FIRST_NAMES = (
    "Amy", "Ben", "Chen", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jia", "Kofi",
    "Lena", "Marco", "Nadia", "Omar", "Pia", "Quinn", "Rosa", "Sam", "Tariq", "Uma",
    "Victor", "Wen", "Xin", "Yara", "Zoe", "Ade", "Bea", "Cai", "Dev", "Emma", "Finn",
    "Grace", "Hugo", "Iris", "Jonas", "Kira", "Liam", "Maya", "Noah", "Olga", "Pablo",
    "Rui", "Sofia", "Theo", "Ula", "Vera", "Will", "Yusuf", "Zhen")
SURNAMES = (
    "Li", "Smith", "Wang", "Okafor", "Garcia", "Nguyen", "Khan", "Brown", "Zhang",
    "Silva", "Mensah", "Ivanova", "Lopez", "Chen", "Murphy", "Tan", "Costa", "Haddad",
    "Kowalski", "Sato", "Liu", "Evans", "Rossi", "Huang", "Moreau")


@dataclass
class World:
    """The output of :func:`simulate`.

    Attributes
    ----------
    scenario : Scenario
        The scenario that made it.
    tables : dict of str to DataFrame
        Learner tables, by dataset name.
    truth : dict of str to DataFrame
        Instructor-only ground truth, by name (never written into ``datasets/``).
    """

    scenario: Scenario
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    truth: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name in self.tables:
            return self.tables[name]
        if name in self.truth:
            return self.truth[name]
        raise KeyError(f"The world has no table called {name!r}. Tables: "
                       f"{', '.join(sorted(self.tables))}; ground truth: "
                       f"{', '.join(sorted(self.truth))}.")


# ----------------------------------------------------------------------------- helpers


def _rng(seed: int, *key: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, *key]))


def _lognormal(rng, mean, sigma, size):
    """Log-normal draws with the given mean (not median)."""
    mean = np.asarray(mean, float)
    return rng.lognormal(np.log(np.maximum(mean, 1e-9)) - sigma ** 2 / 2, sigma, size)


def _logit(p):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _expit(x):
    return 1 / (1 + np.exp(-x))


class _Reasons:
    """Flat arrays over every reason of every queue (plus the complaint reason)."""

    def __init__(self, s: Scenario):
        self.names, self.queue, self.share, self.resolve = [], [], [], []
        self.handle, self.defect, self.promise, self.department = [], [], [], []
        for qi, q in enumerate(s.queues):
            total = sum(r.share for r in q.reasons)
            for r in q.reasons:
                self.names.append(r.name)
                self.queue.append(qi)
                self.share.append(q.share / sum(x.share for x in s.queues) * r.share / total)
                self.resolve.append(r.resolve)
                self.handle.append(r.handle_factor)
                self.defect.append(r.defect)
                self.promise.append(r.promise)
                self.department.append(r.department)
        self.n_regular = len(self.names)
        # The complaint reason, one per queue, shares one name.
        self.complaint = {}
        for qi, q in enumerate(s.queues):
            self.complaint[qi] = len(self.names)
            self.names.append(COMPLAINT_REASON)
            self.queue.append(qi)
            self.share.append(0.0)
            self.resolve.append(0.6)
            self.handle.append(COMPLAINT_TALK)
            self.defect.append(False)
            self.promise.append(0.5)
            self.department.append("customer relations")
        for a in ("queue", "share", "resolve", "handle", "defect", "promise"):
            setattr(self, a, np.asarray(getattr(self, a)))
        self.is_complaint = np.asarray([n == COMPLAINT_REASON for n in self.names])
        self.fixed = self.names.index(s.defect_reason)


# ----------------------------------------------------------------------------- agents


def _make_agents(s: Scenario) -> pd.DataFrame:
    """The payroll: ids, names, teams, hire and leaving dates, latent traits."""
    rng = _rng(s.seed, 1)
    rows = []
    cohorts = sorted(s.hiring_cohorts, key=lambda c: (c[0], c[1]))
    for qi, q in enumerate(s.queues):
        n0 = s.agents_per_queue[q.name]
        n_teams = s.teams_per_queue[q.name]
        teams = [f"{q.name}-{i + 1}" for i in range(n_teams)]
        for i in range(n0):
            rows.append({"queue": q.name, "team_id": teams[i % n_teams],
                         "hire_date": s.start - dt.timedelta(days=int(rng.integers(240, 3000))),
                         "left_on": None})
        for date, queue, n in cohorts:
            if queue != q.name:
                continue
            date = pd.Timestamp(date).date()
            target = s.new_hire_team if s.new_hire_team in teams else teams[-1]
            others = [t for t in teams if t != target] or [target]
            for j in range(n):
                team = target if (j % 6 != 5 or len(teams) == 1) else others[j % len(others)]
                rows.append({"queue": q.name, "team_id": team, "hire_date": date,
                             "left_on": None})
                # An experienced agent of that team leaves two weeks before.
                for r in rows:
                    if (r["queue"] == q.name and r["team_id"] == team and r["left_on"] is None
                            and r["hire_date"] < date - dt.timedelta(days=365)):
                        r["left_on"] = date - dt.timedelta(days=14)
                        break
    agents = pd.DataFrame(rows)
    agents = agents.sort_values(["queue", "team_id", "hire_date"], kind="stable")
    agents = agents.reset_index(drop=True)
    n = len(agents)
    agents.insert(0, "agent_id", [f"A{i + 1:03d}" for i in range(n)])
    first = rng.permutation(np.resize(np.arange(len(FIRST_NAMES)), n))
    last = rng.integers(0, len(SURNAMES), n)
    agents.insert(1, "name", [f"{FIRST_NAMES[a]} {SURNAMES[b]}" for a, b in zip(first, last)])
    tenure_at = (pd.Timestamp(s.detail_start) - pd.to_datetime(agents["hire_date"])).dt.days
    agents["tenure_band"] = np.where(tenure_at < 183, "new", "experienced")

    # Latent traits (ground truth).
    agents["active"] = rng.beta(3, 4, n)
    agents["action"] = rng.beta(2, 3, n)
    agents["available"] = np.clip(rng.beta(7, 1.6, n), 0.3, 0.99)
    agents["skill"] = rng.normal(0, 0.3, n)
    agents["speed"] = rng.lognormal(0, 0.08, n)
    agents["empathy"] = np.clip(rng.beta(5, 2.5, n), 0.05, 0.99)
    agents["compliance"] = np.where(rng.random(n) < 0.12, 0.85, 0.985)
    # Centre speed and Active propensity within each team and tenure band, so that the
    # team comparison has exactly the documented sizes (Simpson's paradox).
    group = agents["team_id"] + "|" + agents["tenure_band"]
    log_speed = np.log(agents["speed"])
    log_speed = log_speed - log_speed.groupby(group).transform("mean")
    agents["speed"] = np.exp(log_speed) * np.where(
        agents["team_id"] == s.new_hire_team, SIMPSON_SPEED, 1.0)
    # Experienced agents make proactive offers more often than new ones: a plain
    # proactive-vs-not comparison mixes the offer with tenure (lesson 12).
    act = (agents["active"] - agents["active"].groupby(group).transform("mean")
           + np.where(agents["tenure_band"] == "new", ACTIVE_NEW, ACTIVE_EXPERIENCED))
    agents["active"] = np.clip(act, 0.03, 0.97)
    if s.stationary:
        agents["active"] = 0.0
        agents["speed"] = 1.0
        agents["skill"] = 0.0
    return agents


def _make_teams(s: Scenario, agents: pd.DataFrame) -> pd.DataFrame:
    rng = _rng(s.seed, 2)
    rows = []
    for team, g in agents.groupby("team_id", sort=True):
        rows.append({"team_id": team, "queue": g["queue"].iloc[0],
                     "team_leader": f"{FIRST_NAMES[int(rng.integers(0, len(FIRST_NAMES)))]} "
                                    f"{SURNAMES[int(rng.integers(0, len(SURNAMES)))]}",
                     "site": "home-capable" if team.endswith("1") else "office"})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- shifts

_STARTS = np.arange(0, 12601, 1800)
_LUNCH_SHIFT = np.array([-1800, 0, 1800])


def _template_segments(s0: int, lunch: int, fu: int = 1) -> list[tuple[str, int, int]]:
    """Scheduled segments of a shift starting ``s0`` seconds after opening.

    ``lunch`` moves the lunch by that many seconds; ``fu`` (0, 1, 2) places the half
    hour for follow-ups early in the shift, late, or right after lunch.
    """
    lunch_at = s0 + 4 * 3600 + lunch
    fu_at = (s0 + 3600, s0 + 7 * 3600 - (1800 if lunch > 0 else 0), lunch_at + 1800)[fu]
    b2 = s0 + 6 * 3600 + 900
    if fu == 1 and lunch > 0:
        b2 = s0 + 7 * 3600 + 900
    fixed = [("break", s0 + 2 * 3600 - (900 if lunch < 0 else 0), 900),
             ("lunch", lunch_at, 1800),
             ("break", b2, 900),
             ("followup", fu_at, 1800)]
    segs, t = [], s0
    for name, a, d in sorted(fixed, key=lambda x: x[1]):
        if a > t:
            segs.append(("phones", t, a))
        segs.append((name, a, a + d))
        t = a + d
    if t < s0 + SHIFT_S:
        segs.append(("phones", t, s0 + SHIFT_S))
    return segs


def _coverage(segs, n_int: int) -> np.ndarray:
    cov = np.zeros(n_int)
    edges = np.arange(n_int + 1) * INTERVAL_S
    for name, a, b in segs:
        if name == "phones":
            cov += np.clip(np.minimum(edges[1:], b) - np.maximum(edges[:-1], a), 0, None)
    return cov / INTERVAL_S


def _part_time(s0: int, hours: int) -> list[tuple[str, int, int]]:
    """A part-time shift of ``hours`` hours: phones with one 15-minute break."""
    mid = s0 + (hours * 3600) // 2
    return [("phones", s0, mid), ("break", mid, mid + 900),
            ("phones", mid + 900, s0 + hours * 3600)]


class _Templates:
    """Full-time (8.5 h with lunch) and part-time (4 h) shift templates."""

    def __init__(self, n_int: int, open_s: int):
        day = n_int * INTERVAL_S
        self.segs, cov, self.paid = [], [], []
        for s0 in _STARTS:
            s0 = int(min(s0, max(day - SHIFT_S, 0)))
            for lunch in _LUNCH_SHIFT:
                for fu in range(3):
                    segs = _template_segments(s0, int(lunch), fu)
                    self.segs.append(segs)
                    cov.append(_coverage(segs, n_int))
                    self.paid.append(PAID_S)
        for s0 in (0, 1800, 3600, 5400, day - 5 * 3600, day - 4 * 3600 - 1800,
                   day - 4 * 3600):
            if s0 < 0 or day < 4 * 3600:
                continue
            segs = _part_time(int(s0), 4)
            self.segs.append(segs)
            cov.append(_coverage(segs, n_int))
            self.paid.append(4 * 3600)
        self.cov = np.array(cov)
        self.covsum = self.cov.sum(1)


# ----------------------------------------------------------------------------- demand


def _day_factor(s: Scenario, day: dt.date) -> float:
    doy = day.timetuple().tm_yday
    f = s.weekly[day.weekday()]
    f *= 1 + s.annual_amplitude * math.cos(2 * math.pi * (doy - 20) / 365.25)
    f *= (1 + s.growth_per_year) ** ((day - s.start).days / 365.25)
    if day in s.holidays:
        f *= s.holiday_volume
    if s.disruption_start <= day <= s.disruption_end:
        f *= s.disruption_volume
    return f


def _open_days(s: Scenario) -> list[dt.date]:
    days, d = [], s.start
    while d <= s.end:
        if (d.month, d.day) not in s.closed_days:
            days.append(d)
        d += dt.timedelta(days=1)
    return days


# ----------------------------------------------------------------------------- simulate


def simulate(scenario: Scenario | str = "default", *, progress: bool = False) -> World:
    """Run the simulated contact centre for one scenario.

    Parameters
    ----------
    scenario : Scenario or str, default "default"
        A :class:`~callcoach.sim.config.Scenario` or a preset name (``"default"``,
        ``"small"``, ``"stationary"``).
    progress : bool, default False
        Show a progress bar over the simulated days.

    Returns
    -------
    World
        ``world.tables`` (learner tables) and ``world.truth`` (ground truth).

    Examples
    --------
    >>> from callcoach.sim import simulate
    >>> world = simulate("small")
    >>> sorted(world.tables)[:4]
    ['adherence', 'agent_states', 'agents', 'calibration_scores']
    >>> calls = world.tables["calls"]
    >>> bool(calls["arrival_time"].min() >= pd.Timestamp("2026-04-20"))
    True
    """
    s = preset(scenario) if isinstance(scenario, str) else scenario
    if not isinstance(s, Scenario):
        raise TypeError("The 'scenario' parameter of simulate must be a Scenario or a preset "
                        f"name. Got {type(scenario).__name__} instead.")
    return _Simulation(s).run(progress=progress)


class _Simulation:
    def __init__(self, s: Scenario):
        self.s = s
        self.R = _Reasons(s)
        self.agents = _make_agents(s)
        self.teams = _make_teams(s, self.agents)
        self.days = _open_days(s)
        self.n_int = s.n_intervals
        self.open_s = s.open_hour * 3600
        self.tpl = _Templates(self.n_int, self.open_s)
        a = self.agents
        self.hire_dates = pd.to_datetime(a["hire_date"]).dt.date.to_numpy()
        self.hire = np.array([d.toordinal() for d in self.hire_dates])
        self.left = np.array([d.toordinal() if isinstance(d, dt.date) else 10**9
                              for d in a["left_on"]])
        self.queue_of = a["queue"].map({q: i for i, q in enumerate(s.queue_names)}).to_numpy()
        for col in ("active", "action", "available", "skill", "speed", "empathy",
                    "compliance"):
            setattr(self, col, a[col].to_numpy(float))
        # Planned leave: whole weeks, drawn per agent and ISO week.
        n_weeks = (s.end - s.start).days // 7 + 3
        self.leave_week = _rng(s.seed, 3).random((len(a), n_weeks)) < s.leave_rate
        self.pending: dict[int, list[dict]] = {}
        self.next_issue = 0
        self.next_followup = 0
        self.next_ticket = 0
        self.customers_rng = _rng(s.seed, 4)
        self.history: list[list[tuple]] = [[] for _ in s.queues]

    # ------------------------------------------------------------------ schedule
    def _required(self, qi: int, day: dt.date, expected: np.ndarray) -> np.ndarray:
        s, q = self.s, self.s.queues[qi]
        # Planners forecast from the last four weeks of normal days: AHT, and calls
        # offered per new issue (repeats, retrials, complaints); the config's figures
        # until there is history.
        aht = (q.talk_s + q.hold_s + q.acw_s) * 1.06 + 0.42 * (ACTIVE_TALK_S + ACTIVE_ACW_S)
        factor = s.planning_factor
        hist = self.history[qi][-HISTORY_DAYS:]
        if len(hist) >= 10:
            handle, answered, offered, issues = np.sum(hist, axis=0)
            aht = handle / max(answered, 1)
            factor = offered / max(issues, 1)
        in_disruption = s.disruption_start <= day <= s.disruption_end
        known = in_disruption and (day - s.disruption_start).days >= 10
        vol = expected * factor
        if in_disruption and not known:
            vol = vol / s.disruption_volume
        if known:
            aht *= s.disruption_handle
        if s.stationary:
            return np.full(self.n_int, float(s.agents_per_queue[q.name]))
        rate = vol / 30.0  # per minute
        cand = np.arange(1, 200)[None, :]
        sl = erlang.service_level(rate[:, None], aht, cand, threshold_s=s.threshold_s)
        ok = sl >= s.target_service_level - PLAN_SLACK
        need = np.where(ok.any(1), ok.argmax(1) + 1, 199)
        need = np.where(rate > 0, np.maximum(need, 2), 1)
        return need * 1.06  # planned training, meetings and coaching

    def _schedule(self, qi: int, day: dt.date, di: int, week_count: np.ndarray,
                  req: np.ndarray, rng) -> list[tuple[int, list]]:
        """Greedy cover of ``req`` (agents on phones per interval) with shifts."""
        s = self.s
        week = (day - s.start).days // 7
        o = day.toordinal()
        pool = np.flatnonzero((self.queue_of == qi) & (self.hire <= o) & (self.left > o)
                              & ~self.leave_week[:, week] & (week_count < 5))
        if s.stationary:  # everyone on the phones all day, every day
            pool = np.flatnonzero((self.queue_of == qi) & (self.hire <= o) & (self.left > o))
            segs = [("phones", 0, self.n_int * INTERVAL_S)]
            return [(int(k), segs, self.n_int * INTERVAL_S)
                    for k in pool[: s.agents_per_queue[s.queues[qi].name]]]
        order = pool[np.lexsort((rng.random(pool.size), week_count[pool]))]
        deficit = req.astype(float).copy()
        chosen = []
        for k in order:
            # Cover the worst-covered half hour first, with the shift that wastes least.
            worst = int(np.argmax(deficit))
            if deficit[worst] < MAX_SHORT:
                break
            gains = np.minimum(self.tpl.cov, np.clip(deficit, 0, None)).sum(1)
            eff = gains / self.tpl.covsum
            score = np.where(self.tpl.cov[:, worst] >= 0.5, gains * eff, -1.0)
            best = int(np.argmax(score + rng.random(gains.size) * 1e-6))
            deficit -= self.tpl.cov[best]
            segs = list(self.tpl.segs[best])
            paid = self.tpl.paid[best]
            # Some days bring training, a team meeting or coaching (taken from phones).
            if paid == PAID_S and rng.random() < 0.45:
                kind = ("training", "meeting", "coaching")[int(rng.integers(0, 3))]
                length = 3600 if kind == "training" else 1800
                phones = [(i, sg) for i, sg in enumerate(segs)
                          if sg[0] == "phones" and sg[2] - sg[1] >= length + 1800]
                if phones:
                    i, (_, a, b) = phones[int(rng.integers(0, len(phones)))]
                    at = a + 1800 * int(rng.integers(0, (b - a - length) // 1800 + 1))
                    at = min(at, b - length)
                    new = [("phones", a, at), (kind, at, at + length), ("phones", at + length, b)]
                    segs[i:i + 1] = [x for x in new if x[2] > x[1]]
            chosen.append((int(k), segs, paid))
        return chosen

    def _actual(self, segs, rng, pull: float = 0.0) -> tuple[list[tuple[str, float, float]], bool]:
        """Actual on-phone windows of one agent-day: lateness, overruns, aux, early leave.

        With chance ``pull`` the half hour scheduled for follow-ups is spent on the
        phones (the queue was busy); some agents stay on after the shift. Both are phone
        time outside the schedule: conformance counts it, adherence does not. Returns the
        windows and whether the follow-up time was lost.
        """
        if self.s.stationary:
            return [("phones", a, b) for n, a, b in segs if n == "phones"], False
        pulled = rng.random() < pull
        if pulled:  # the follow-up block becomes phone time, merged with its neighbours
            merged: list[tuple[str, int, int]] = []
            for name, a, b in segs:
                name = "phones" if name == "followup" else name
                if merged and name == "phones" and merged[-1][0] == "phones":
                    merged[-1] = ("phones", merged[-1][1], b)
                else:
                    merged.append((name, a, b))
            segs = merged
        out = []
        first = True
        prev = None
        for name, a, b in segs:
            if name != "phones":
                prev = name
                continue
            if first:
                a += rng.exponential(420) if rng.random() < 0.4 else 0
                first = False
            elif prev is not None:
                a += rng.exponential(300) if rng.random() < 0.65 else 0
            if rng.random() < 0.5 and b - a > 1200:
                at = a + rng.random() * (b - a - 600)
                gap = min(rng.exponential(600), b - at)
                out.append(("phones", a, at))
                a = at + gap
            out.append(("phones", a, b))
        if out and rng.random() < 0.1:
            name, a, b = out[-1]
            out[-1] = (name, a, b - rng.uniform(300, 1500))
        elif out and rng.random() < OVERTIME:
            name, a, b = out[-1]
            out[-1] = (name, a, min(b + rng.uniform(300, 1200), self.n_int * INTERVAL_S))
        return [(n, float(a), float(b)) for n, a, b in out if b - a > 1], pulled

    # ------------------------------------------------------------------ run
    def run(self, progress: bool = False) -> World:
        from tqdm.auto import tqdm

        s, R = self.s, self.R
        n_agents = len(self.agents)
        self.call_parts, self.daily_parts, self.interval_parts = [], [], []
        self.followup_parts, self.ticket_parts, self.sched_rows = [], [], []
        self.state_rows, self.adh_parts, self.time_rows = [], [], []
        week_count = np.zeros(n_agents, int)
        call_id = 0
        for di, day in enumerate(tqdm(self.days, desc=f"simulating {s.name}",
                                      disable=not progress, unit="day")):
            if day.weekday() == 0 or di == 0:
                week_count[:] = 0
            rng = _rng(s.seed, 10, di)
            self.followup_lost = np.zeros(n_agents, bool)
            detail = day >= s.detail_start
            day_ts = pd.Timestamp(day)
            factor = _day_factor(s, day)
            fixed = day >= s.defect_fix_date
            arrivals = self._new_issues(day, factor, fixed, rng)
            booked = self.pending.pop(di, [])
            if booked:
                arrivals = {k: np.concatenate([arrivals[k]] + [b[k] for b in booked])
                            for k in arrivals}
            day_calls = []
            for qi, q in enumerate(s.queues):
                expected = (s.daily_issues * _day_factor(s, day) * np.asarray(s.intraday)
                            / np.sum(s.intraday) * R.share[R.queue == qi].sum()
                            / R.share.sum())
                req = self._required(qi, day, expected)
                chosen = self._schedule(qi, day, di, week_count, req, rng)
                for k, _, _ in chosen:
                    week_count[k] += 1
                sick = rng.random(len(chosen)) < (0 if s.stationary else s.absence_rate)
                pull = (PULL_FOLLOWUP_BUSY if s.disruption_start <= day <= s.disruption_end
                        else PULL_FOLLOWUP)
                on = []
                for (k, segs, _), sk in zip(chosen, sick):
                    if not sk:
                        windows, lost = self._actual(segs, rng, pull)
                        on.append((k, segs, windows))
                        self.followup_lost[k] = lost
                self._record_staff(qi, day, di, detail, chosen, sick, on, req)
                mask = arrivals["queue"] == qi
                part = {k: v[mask] for k, v in arrivals.items()}
                calls = self._queue_day(qi, day, di, part, on, rng)
                if calls is not None:
                    day_calls.append(calls)
                    if not s.disruption_start <= day <= s.disruption_end + dt.timedelta(days=14):
                        ans = calls["answered"].to_numpy()
                        handle = (calls["talk"] + calls["hold"] + calls["acw"]).to_numpy()[ans]
                        self.history[qi].append((handle.sum(), ans.sum(), len(calls),
                                                 expected.sum()))
            if day_calls:
                calls = pd.concat(day_calls, ignore_index=True)
                calls = calls.sort_values(["t", "queue", "caller_key", "attempt"],
                                          kind="stable").reset_index(drop=True)
                calls["call_id"] = np.arange(call_id, call_id + len(calls)) + 1_000_001
                call_id += len(calls)
                calls["arrival_time"] = day_ts + pd.to_timedelta(
                    np.floor(self.open_s + calls["t"].to_numpy()), unit="s")
                self._outcomes(calls, day, di, rng)
                self.call_parts.append(calls)
        return self._finish()

    # ------------------------------------------------------------------ demand
    def _new_issues(self, day, factor, fixed, rng) -> dict:
        s, R = self.s, self.R
        lam = (s.daily_issues * factor * np.asarray(s.intraday)[None, :]
               / np.sum(s.intraday) * R.share[:, None] / max(R.share.sum(), 1e-12))
        if fixed:
            lam[R.fixed] *= s.defect_residual
        counts = rng.poisson(lam)
        reason = np.repeat(np.repeat(np.arange(len(R.names)), self.n_int), counts.ravel())
        interval = np.repeat(np.tile(np.arange(self.n_int), len(R.names)), counts.ravel())
        t = (interval + rng.random(interval.size)) * INTERVAL_S
        n = t.size
        issue = np.arange(self.next_issue, self.next_issue + n)
        self.next_issue += n
        customer = self.customers_rng.integers(1, s.n_customers + 1, n)
        return {"t": t, "queue": R.queue[reason], "reason": reason, "issue": issue,
                "customer": customer, "kind": np.zeros(n, int),
                "contacts": np.zeros(n, int), "followup": np.full(n, -1),
                "first_reason": reason.copy()}

    def _book(self, di: int, delay_days: np.ndarray, rows: dict, rng):
        """Book contacts on later open days (``delay_days`` >= 1) at a profile time."""
        if not len(delay_days):
            return
        p = np.asarray(self.s.intraday) / np.sum(self.s.intraday)
        interval = rng.choice(self.n_int, size=len(delay_days), p=p)
        rows = dict(rows)
        rows["t"] = (interval + rng.random(len(delay_days))) * INTERVAL_S
        target = di + delay_days
        for d in np.unique(target):
            if d >= len(self.days):
                continue
            m = target == d
            self.pending.setdefault(int(d), []).append({k: v[m] for k, v in rows.items()})

    # ------------------------------------------------------------------ queue
    def _queue_day(self, qi, day, di, part, on, rng):
        s, R, q = self.s, self.R, self.s.queues[qi]
        n = part["t"].size
        if n == 0:
            return None
        order = np.argsort(part["t"], kind="stable")
        part = {k: v[order] for k, v in part.items()}
        t = part["t"]
        reason = part["reason"]
        if s.stationary:
            patience = rng.exponential(s.patience_s, n)
            talk = rng.exponential(q.talk_s, n)
            hold = np.zeros(n)
            acw = np.zeros(n)
        else:
            quick = rng.random(n) < s.quick_hangup
            patience = np.where(quick, rng.exponential(4.0, n),
                                rng.lognormal(np.log(s.patience_s), 0.8, n))
            repeat = part["kind"] > 0
            talk = _lognormal(rng, q.talk_s * R.handle[reason] * np.where(repeat, 1.15, 1.0),
                              0.55, n)
            has_hold = rng.random(n) < np.where(R.is_complaint[reason], 0.8, q.hold_prob)
            hold = np.where(has_hold, _lognormal(rng, q.hold_s / q.hold_prob, 0.7, n), 0.0)
            acw = _lognormal(rng, q.acw_s * np.where(R.is_complaint[reason], COMPLAINT_ACW,
                                                     1.0), 0.5, n)
        u_active = rng.random(n)
        extra_talk = _lognormal(rng, ACTIVE_TALK_S, 0.5, n)
        extra_acw = _lognormal(rng, ACTIVE_ACW_S, 0.5, n)
        retry = np.full((n, MAX_RETRIALS), np.nan)
        if s.retrial_prob > 0:
            d = rng.exponential(600.0, (n, MAX_RETRIALS))
            retry = np.where(rng.random((n, MAX_RETRIALS)) < s.retrial_prob, d, np.nan)
            # A caller who does not retry after one hang-up does not retry after later ones.
            retry[np.isnan(retry).cumsum(1) > 0] = np.nan

        ks = np.array([k for k, _, _ in on], dtype=np.int64)
        if ks.size == 0:
            mult = np.ones(1)
            ptr, ws, we = np.zeros(2, np.int64), np.zeros(0), np.zeros(0)
            ptr[1] = 0
            act = np.zeros((n, 1), bool)
        else:
            tenure = (day.toordinal() - self.hire[ks]).astype(float)
            mult = self.speed[ks] * (1 + TENURE_HANDLE * np.exp(-tenure / TENURE_DAYS))
            if s.stationary:
                mult = np.ones(ks.size)
            if s.disruption_start <= day <= s.disruption_end:
                mult = mult * s.disruption_handle
            agent, a, b = [], [], []
            for j, (_, _, windows) in enumerate(on):
                for _, x, y in windows:
                    agent.append(j)
                    a.append(x)
                    b.append(y)
            ptr, ws, we = windows_csr(np.asarray(agent, np.int64), np.asarray(a, float),
                                      np.asarray(b, float), ks.size)
            act = u_active[:, None] < self.active[ks][None, :]
            act &= ~R.is_complaint[reason][:, None]
        service = ((talk + hold + acw)[:, None] * mult[None, :]
                   + act * (extra_talk + extra_acw)[:, None])
        service = np.ascontiguousarray(service)
        if ks.size == 0:
            service = np.ascontiguousarray(service[:, :1])
        caller, attempt, arr, wait, agent_pos = _fcfs_core(
            np.ascontiguousarray(t), service, np.ascontiguousarray(patience), retry,
            ptr, ws, we)
        # The centre closes: retrials that would come after closing time are dropped
        # (the caller tries again another day).
        day_len = self.n_int * INTERVAL_S
        late = arr >= day_len
        final_extra = np.zeros(arr.size, bool)
        if late.any():
            key = caller * (MAX_RETRIALS + 1) + attempt
            lost = set((caller[late] * (MAX_RETRIALS + 1) + attempt[late] - 1).tolist())
            final_extra = np.isin(key, list(lost))
            keep = ~late
            caller, attempt, arr, wait, agent_pos = (caller[keep], attempt[keep], arr[keep],
                                                     wait[keep], agent_pos[keep])
            final_extra = final_extra[keep]
        answered = agent_pos >= 0
        pos = np.where(answered, agent_pos, 0)
        m = mult[pos] if ks.size else np.ones(len(pos))
        proactive = answered & (act[caller, pos] if ks.size else False)
        out = pd.DataFrame({
            "t": arr,
            "queue": qi,
            "caller_key": part["issue"][caller] * 8 + part["kind"][caller],
            "attempt": attempt,
            "customer": part["customer"][caller],
            "issue": part["issue"][caller],
            "reason": reason[caller],
            "first_reason": part["first_reason"][caller],
            "kind": part["kind"][caller],
            "contacts": part["contacts"][caller],
            "followup_ref": part["followup"][caller],
            "answered": answered,
            "wait": wait,
            "agent": np.where(answered, ks[pos] if ks.size else -1, -1),
            "talk": np.where(answered, talk[caller] * m + proactive * extra_talk[caller], 0.0),
            "hold": np.where(answered, hold[caller] * m, 0.0),
            "acw": np.where(answered, acw[caller] * m + proactive * extra_acw[caller], 0.0),
            "proactive": proactive,
            "final_abandon": (~answered) & (
                (attempt >= MAX_RETRIALS) | final_extra
                | np.isnan(retry[caller, np.minimum(attempt, MAX_RETRIALS - 1)])),
        })
        out["talk"] = np.round(out["talk"])
        out["hold"] = np.round(out["hold"])
        out["acw"] = np.round(out["acw"])
        out["wait"] = np.round(out["wait"])
        return out

    # ------------------------------------------------------------------ outcomes
    def _outcomes(self, c: pd.DataFrame, day, di, rng):
        s, R = self.s, self.R
        n = len(c)
        ans = c["answered"].to_numpy()
        agent = c["agent"].to_numpy()
        k = np.where(ans, agent, 0)
        reason = c["reason"].to_numpy()
        tenure = (day.toordinal() - self.hire[k]).astype(float)
        complaint = R.is_complaint[reason]
        logit = (_logit(R.resolve[reason]) + RESOLVE_SHIFT + self.skill[k]
                 - TENURE_SKILL * np.exp(-tenure / TENURE_DAYS)
                 + ACTIVE_LOGIT * c["proactive"].to_numpy() + 0.3 * (c["kind"].to_numpy() > 0))
        resolved = ans & (rng.random(n) < _expit(logit))
        if s.stationary:
            resolved = ans.copy()
        c["resolved"] = resolved
        c["transferred"] = ans & (rng.random(n) < np.where(complaint, 0.4, 0.035))

        # Follow-up promises.
        p_prom = R.promise[reason] * np.where(resolved, 0.7, 1.2)
        promised = ans & (rng.random(n) < np.clip(p_prom, 0, 0.95)) & (not s.stationary)
        c["promise"] = promised
        fu_idx = np.flatnonzero(promised)
        due_days = rng.choice([1, 2, 3], size=fu_idx.size, p=[0.5, 0.3, 0.2])
        busy = 0.8 if s.disruption_start <= day <= s.disruption_end else 1.0
        p_done = (self.available[k[fu_idx]] * busy
                  * np.where(self.followup_lost[k[fu_idx]], PULLED_KEEP, 1.0))
        done = rng.random(fu_idx.size) < p_done
        late = done & (rng.random(fu_idx.size) < 0.12)
        end_t = (c["t"] + c["wait"] + c["talk"] + c["hold"] + c["acw"]).to_numpy()[fu_idx]
        promised_at = c["arrival_time"].to_numpy()[fu_idx] + (
            end_t - c["t"].to_numpy()[fu_idx]).astype("timedelta64[s]")
        due_at = promised_at + (due_days * DAY_S).astype("timedelta64[s]")
        frac = rng.uniform(0.1, 0.95, fu_idx.size)
        lateness = rng.exponential(DAY_S, fu_idx.size) + 600
        completed = np.where(
            late, due_at + lateness.astype("timedelta64[s]"),
            promised_at + (frac * due_days * DAY_S).astype("timedelta64[s]"))
        completed = np.where(done, completed, np.datetime64("NaT"))
        fid = np.arange(self.next_followup, self.next_followup + fu_idx.size)
        self.next_followup += fu_idx.size
        qn = c["queue"].to_numpy()[fu_idx]
        kinds = np.array(["callback", "test_and_report", "mail"])
        kind_i = np.where(qn == 1, np.where(rng.random(fu_idx.size) < 0.6, 1, 0),
                          np.where(qn == 2, np.where(rng.random(fu_idx.size) < 0.7, 2, 0), 0))
        self.followup_parts.append(pd.DataFrame({
            "followup_id": fid + 1, "call_id": c["call_id"].to_numpy()[fu_idx],
            "agent": k[fu_idx], "customer": c["customer"].to_numpy()[fu_idx],
            "queue": qn, "kind": kinds[kind_i % 3], "promised_at": promised_at,
            "due_at": due_at, "completed_at": completed,
            "work_s": np.round(_lognormal(rng, FOLLOWUP_WORK_S, 0.5, fu_idx.size)),
            "complaint": False, "day": di}))

        # Complaints for missed or late promises; kept promises on unresolved issues
        # resolve them (no ordinary repeat).
        missed = ~done | late
        p_compl = np.where(~done, COMPLAINT_IF_MISSED, np.where(late, COMPLAINT_IF_LATE, 0.0))
        compl = rng.random(fu_idx.size) < p_compl
        self.followup_parts[-1]["complaint"] = compl
        if compl.any():
            ix = fu_idx[compl]
            delay = due_days[compl] + 1 + np.floor(rng.exponential(1.2, ix.size)).astype(int)
            qx = c["queue"].to_numpy()[ix]
            self._book(di, delay, {
                "queue": qx, "reason": np.array([R.complaint[int(x)] for x in qx], int),
                "issue": c["issue"].to_numpy()[ix], "customer": c["customer"].to_numpy()[ix],
                "kind": np.full(ix.size, 2), "contacts": c["contacts"].to_numpy()[ix] + 1,
                "followup": fid[compl] + 1,
                "first_reason": c["first_reason"].to_numpy()[ix]}, rng)
        fix_by_followup = np.zeros(n, bool)
        fix_by_followup[fu_idx] = done & ~late & (rng.random(fu_idx.size) < 0.5)
        handled_by_complaint = np.zeros(n, bool)
        handled_by_complaint[fu_idx] = compl
        c["resolved_later"] = fix_by_followup

        # Repeats of unresolved issues.
        again = (ans & ~resolved & ~fix_by_followup & ~handled_by_complaint
                 & (rng.random(n) < REPEAT_PROB))
        ix = np.flatnonzero(again)
        if ix.size:
            delay = 1 + np.minimum(np.floor(rng.exponential(2.2, ix.size)).astype(int), 19)
            r = reason[ix].copy()
            mis = (rng.random(ix.size) < MISCODE) & ~R.is_complaint[r]
            for j in np.flatnonzero(mis):
                same_q = np.flatnonzero((R.queue == R.queue[r[j]]) & ~R.is_complaint)
                r[j] = same_q[int(rng.integers(0, same_q.size))]
            self._book(di, delay, {
                "queue": c["queue"].to_numpy()[ix], "reason": r,
                "issue": c["issue"].to_numpy()[ix], "customer": c["customer"].to_numpy()[ix],
                "kind": np.full(ix.size, 1), "contacts": c["contacts"].to_numpy()[ix] + 1,
                "followup": np.full(ix.size, -1),
                "first_reason": c["first_reason"].to_numpy()[ix]}, rng)
        # Callers who finally gave up today try again another day.
        gave_up = c["final_abandon"].to_numpy() & (rng.random(n) < RECALL_AFTER_ABANDON)
        gave_up &= (not s.stationary)
        ix = np.flatnonzero(gave_up)
        if ix.size:
            delay = 1 + np.floor(rng.exponential(0.8, ix.size)).astype(int)
            self._book(di, delay, {
                "queue": c["queue"].to_numpy()[ix], "reason": reason[ix],
                "issue": c["issue"].to_numpy()[ix], "customer": c["customer"].to_numpy()[ix],
                "kind": np.where(c["kind"].to_numpy()[ix] == 0, 3,
                                 c["kind"].to_numpy()[ix]),
                "contacts": c["contacts"].to_numpy()[ix],
                "followup": c["followup_ref"].to_numpy()[ix],
                "first_reason": c["first_reason"].to_numpy()[ix]}, rng)

        # Feedback tickets (3A Action).
        p_ticket = np.where(R.defect[reason], self.action[k], self.action[k] * 0.02)
        ticket = ans & (rng.random(n) < p_ticket) & ~complaint & (not s.stationary)
        c["ticket"] = ticket
        ix = np.flatnonzero(ticket)
        if ix.size:
            tid = np.arange(self.next_ticket, self.next_ticket + ix.size) + 1
            self.next_ticket += ix.size
            self.ticket_parts.append(pd.DataFrame({
                "ticket_id": tid, "call_id": c["call_id"].to_numpy()[ix], "agent": k[ix],
                "reason": reason[ix],
                "raised_at": c["arrival_time"].to_numpy()[ix] + (
                    (c["wait"] + c["talk"] + c["hold"] + c["acw"]).to_numpy()[ix]
                ).astype("timedelta64[s]")}))

        # Post-call survey.
        offered = ans & (rng.random(n) < s.survey_offer)
        unhappy = complaint | (c["wait"].to_numpy() > 120)
        respond = offered & (rng.random(n) < s.survey_response * np.where(unhappy, 1.4, 1.0))
        says_yes = np.where(resolved | fix_by_followup, rng.random(n) < SURVEY_YES_RESOLVED,
                            rng.random(n) < SURVEY_YES_UNRESOLVED)
        score = (3.0 + 1.1 * says_yes + 0.35 * c["proactive"].to_numpy()
                 - 0.5 * (c["wait"].to_numpy() > 60) - 0.8 * complaint
                 + 0.8 * (self.empathy[k] - 0.66) + rng.normal(0, 0.7, n))
        c["survey"] = respond
        c["survey_resolved"] = says_yes
        c["csat"] = np.clip(np.round(score), 1, 5).astype(int)

    # ------------------------------------------------------------------ staff
    def _record_staff(self, qi, day, di, detail, chosen, sick, on, req):
        """Per-interval staffing, adherence and (detail days) schedules, states, timesheet."""
        n_int = self.n_int
        edges = np.arange(n_int + 1) * INTERVAL_S
        sched = np.zeros(n_int)
        staffed = np.zeros(n_int)
        in_adh = np.zeros(n_int)
        actual_by = {k: w for k, _, w in on}
        paid = sum(p for _, _, p in chosen)
        present_sched = np.zeros(n_int)
        for (k, segs, p), sk in zip(chosen, sick):
            sp = [(a, b) for nm, a, b in segs if nm == "phones"]
            ap = actual_by.get(k, [])
            s_cov = np.zeros(n_int)
            a_cov = np.zeros(n_int)
            i_cov = np.zeros(n_int)
            for a, b in sp:
                s_cov += np.clip(np.minimum(edges[1:], b) - np.maximum(edges[:-1], a), 0, None)
            for _, a, b in ap:
                a_cov += np.clip(np.minimum(edges[1:], b) - np.maximum(edges[:-1], a), 0, None)
                for x, y in sp:
                    lo, hi = max(a, x), min(b, y)
                    if hi > lo:
                        i_cov += np.clip(np.minimum(edges[1:], hi)
                                         - np.maximum(edges[:-1], lo), 0, None)
            sched += s_cov
            if not sk:  # adherence counts agents who came to work (absence is shrinkage)
                present_sched += s_cov
            staffed += a_cov
            in_adh += i_cov
            if detail:
                self._detail_agent(k, day, segs, sk, ap, s_cov, a_cov, i_cov, p)
        # Leave days count as paid time of the queue (weekdays of a leave week).
        s = self.s
        if day.weekday() < 5 and not s.stationary:
            week = (day - s.start).days // 7
            o = day.toordinal()
            on_leave = np.flatnonzero((self.queue_of == qi) & (self.hire <= o)
                                      & (self.left > o) & self.leave_week[:, week])
            paid += PAID_S * on_leave.size
            if detail:
                for k in on_leave:
                    self.time_rows.append((int(k), day, "leave", PAID_S))
        self.daily_parts.append({"day": di, "queue": qi, "sched": present_sched,
                                 "staffed": staffed,
                                 "in_adh": in_adh, "paid": paid,
                                 "scheduled_agents": np.round(sched / INTERVAL_S)})

    def _detail_agent(self, k, day, segs, sick, actual, s_cov, a_cov, i_cov, paid):
        base = pd.Timestamp(day) + pd.Timedelta(seconds=self.open_s)
        for nm, a, b in segs:
            self.sched_rows.append((k, day, nm, base + pd.Timedelta(seconds=a),
                                    base + pd.Timedelta(seconds=b)))
        if sick:
            self.time_rows.append((k, day, "sick", paid))
            return
        # Actual states: phones windows, the gaps labelled by what was scheduled there.
        start, end = segs[0][1], segs[-1][2]
        t = start
        gaps = []
        for _, a, b in actual:
            if round(a) > round(t):
                gaps.append((t, a))
            t = max(t, b)
        if round(end) > round(t):
            gaps.append((t, end))
        totals = {}
        rows = [(a, b, "phones") for _, a, b in actual]
        for a, b in gaps:
            label = "aux"
            best = 0.0
            for nm, x, y in segs:
                if nm != "phones":
                    ov = min(b, y) - max(a, x)
                    if ov > best:
                        best, label = ov, nm
            if a == start and label == "aux":
                label = "late_login"
            if b == end and label == "aux" and a > start:
                label = "logged_out_early"
            rows.append((a, b, label))
            if label != "lunch":
                totals[label] = totals.get(label, 0.0) + (b - a)
            else:  # lunch overrun beyond the scheduled half hour is aux
                totals["aux"] = totals.get("aux", 0.0) + max(b - a - 1800, 0)
        for a, b, label in sorted(rows):
            self.state_rows.append((k, day, label, base + pd.Timedelta(seconds=round(a)),
                                    base + pd.Timedelta(seconds=round(b))))
        phones = float(a_cov.sum())
        self.time_rows.append((k, day, "phones", phones))
        for label, v in totals.items():
            name = {"late_login": "aux", "logged_out_early": "aux"}.get(label, label)
            self.time_rows.append((k, day, name, v))
        ts = base + pd.to_timedelta(np.arange(self.n_int) * INTERVAL_S, unit="s")
        keep = (s_cov > 0) | (a_cov > 0)
        self.adh_parts.append(pd.DataFrame({
            "agent": k, "interval_start": ts[keep], "scheduled_s": s_cov[keep],
            "in_adherence_s": i_cov[keep], "actual_s": a_cov[keep]}))

    # ------------------------------------------------------------------ finish
    def _finish(self) -> World:
        from callcoach.sim import tables

        return tables.assemble(self)
