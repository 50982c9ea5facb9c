"""Scenario configuration of the simulated contact centre: typed dataclasses and presets.

A :class:`Scenario` says everything the world simulator (:func:`callcoach.sim.simulate`)
needs: the calendar, the demand, the queues and their call reasons, the floor (agents,
teams, shifts), callers' patience, the disruption period, the defect that gets fixed,
surveys, follow-ups and QA. Every field has a documented default, checked when the
object is made: a wrong value raises an error naming the field, the value and what is
allowed.

Presets (:func:`preset`):

* ``"default"`` -- the canonical datasets in ``datasets/``: two years of daily and
  monthly history (2024-06-01 to 2026-05-31) with call-level detail for the last
  quarter (13 weeks from Monday 2026-03-02).
* ``"small"`` -- the same company at a tenth of the volume over ten weeks (four of call
  detail): every table, in a second or two, for tests and quick "what if" cells.
* ``"stationary"`` -- one queue, flat demand, fixed staffing, no breaks, exponential
  handle times and patience: the textbook M/M/c+M queue, to compare with Erlang A.

Examples
--------
>>> from callcoach.sim.config import preset
>>> s = preset("small")
>>> s.name, s.start.isoformat(), s.detail_start.isoformat()
('small', '2026-03-23', '2026-04-20')
>>> s.replace(agents_per_queue={"billing": -3})
Traceback (most recent call last):
...
ValueError: The 'agents_per_queue' field of Scenario must be a mapping of queue name to a whole number of agents of 1 or more. Got {'billing': -3} instead.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Reason", "QueueSpec", "Evaluator", "Scenario", "preset", "PRESETS"]


def _bad(obj: str, name: str, expected: str, value: Any, error=ValueError):
    raise error(f"The {name!r} field of {obj} must be {expected}. Got {value!r} instead.")


def _num(obj: str, name: str, value: Any, *, lo: float = 0.0, hi: float | None = None,
         strict: bool = False, expected: str | None = None) -> float:
    if expected is None:
        expected = (f"a number {'above' if strict else 'of at least'} {lo:g}"
                    + (f" and at most {hi:g}" if hi is not None else ""))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        _bad(obj, name, expected, value, TypeError)
    if (not math.isfinite(value) or value < lo or (strict and value == lo)
            or (hi is not None and value > hi)):
        _bad(obj, name, expected, value)
    return float(value)


def _whole(obj: str, name: str, value: Any, *, lo: int = 0) -> int:
    expected = f"a whole number of at least {lo}"
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            _bad(obj, name, expected + " (an int, not a float)", value, TypeError)
        _bad(obj, name, expected, value, TypeError)
    if value < lo:
        _bad(obj, name, expected, value)
    return value


def _date(obj: str, name: str, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    _bad(obj, name, "a date (datetime.date or an ISO string such as '2026-03-02')", value,
         TypeError if not isinstance(value, str) else ValueError)


@dataclass(frozen=True)
class Reason:
    """A call reason (contact driver) of one queue.

    Parameters
    ----------
    name : str
        Identifier used in the ``reason`` column of the calls table.
    share : float
        Share of the queue's new issues with this reason (shares of a queue need not add
        to 1; they are normalised).
    resolve : float
        Base probability (0-1) that one answered contact resolves the issue, before the
        agent's skill, tenure and proactive behaviour are applied.
    handle_factor : float, default 1
        Multiplies the queue's mean talk time for this reason.
    defect : bool, default False
        The reason is caused by a product or process defect an agent can report in a
        feedback ticket (3A Action).
    promise : float, default 0.1
        Probability (0-1) that an answered call of this reason ends with a follow-up
        promise (call back, mail, test and report).
    department : str, default "product"
        Department that owns fixing the reason (for feedback tickets).
    description : str
        One line for the data dictionary and the reasons table.
    """

    name: str
    share: float
    resolve: float
    handle_factor: float = 1.0
    defect: bool = False
    promise: float = 0.1
    department: str = "product"
    description: str = ""

    def __post_init__(self):
        obj = f"Reason {self.name!r}"
        if not isinstance(self.name, str) or not self.name:
            _bad("Reason", "name", "a non-empty string", self.name, TypeError)
        _num(obj, "share", self.share, strict=True)
        _num(obj, "resolve", self.resolve, hi=1.0)
        _num(obj, "handle_factor", self.handle_factor, strict=True)
        _num(obj, "promise", self.promise, hi=1.0)


@dataclass(frozen=True)
class QueueSpec:
    """One queue (line of business) with its handle-time means and call reasons.

    Parameters
    ----------
    name : str
        Queue name (``billing``, ``technical``, ``plans``).
    share : float
        Share of the centre's new issues that go to this queue (normalised).
    talk_s, hold_s, acw_s : float
        Mean talk, hold (over all answered calls, including those without hold) and
        after-call work seconds of an experienced agent on a non-proactive first call.
    hold_prob : float
        Share of answered calls that include a hold.
    reasons : tuple of Reason
        The queue's call reasons.
    """

    name: str
    share: float
    talk_s: float
    hold_s: float
    acw_s: float
    hold_prob: float
    reasons: tuple[Reason, ...]

    def __post_init__(self):
        obj = f"QueueSpec {self.name!r}"
        _num(obj, "share", self.share, strict=True)
        _num(obj, "talk_s", self.talk_s, strict=True)
        for f in ("hold_s", "acw_s"):
            _num(obj, f, getattr(self, f))
        _num(obj, "hold_prob", self.hold_prob, hi=1.0)
        if self.hold_s > 0 and self.hold_prob == 0:
            _bad(obj, "hold_prob", "above 0 when hold_s is above 0", self.hold_prob)
        if not self.reasons or not all(isinstance(r, Reason) for r in self.reasons):
            _bad(obj, "reasons", "a non-empty tuple of Reason", self.reasons, TypeError)


@dataclass(frozen=True)
class Evaluator:
    """A QA evaluator's latent scoring habits (ground truth, never in learner data).

    Parameters
    ----------
    name : str
        Name in the ``evaluator`` column.
    leniency : float
        Shift of every item's perceived quality, on a 0-1 quality scale (+0.15 is
        lenient: about one scale step on half the 0-2 items; negative is severe).
    noise : float
        Standard deviation of the call-by-call scoring noise, same scale.
    drift_per_month : float, default 0
        Change of ``leniency`` per month since the start of the QA period.
    """

    name: str
    leniency: float
    noise: float
    drift_per_month: float = 0.0

    def __post_init__(self):
        obj = f"Evaluator {self.name!r}"
        _num(obj, "leniency", self.leniency, lo=-1.0, hi=1.0)
        _num(obj, "noise", self.noise, hi=1.0)
        _num(obj, "drift_per_month", self.drift_per_month, lo=-0.5, hi=0.5)


def _q(name, share, talk, hold, acw, hold_prob, reasons):
    return QueueSpec(name, share, talk, hold, acw, hold_prob, tuple(reasons))


#: Harbour Mobile's queues and call reasons (contact drivers).
HARBOUR_QUEUES: tuple[QueueSpec, ...] = (
    _q("billing", 0.43, 215.0, 30.0, 50.0, 0.35, [
        Reason("bill_query", 0.38, 0.80, 1.0, promise=0.08, department="billing",
               description="Question about a bill: an unexpected charge, a line item."),
        Reason("payment_failed", 0.20, 0.78, 0.9, promise=0.12, department="billing",
               description="A direct debit or card payment failed."),
        Reason("roaming_charges", 0.14, 0.62, 1.2, defect=True, promise=0.25,
               department="billing",
               description="Roaming charged twice (a known rating defect, reported, not "
                           "yet fixed)."),
        Reason("refund_request", 0.28, 0.70, 1.1, promise=0.40, department="billing",
               description="Customer asks for money back; needs a check and a callback."),
    ]),
    _q("technical", 0.33, 300.0, 65.0, 70.0, 0.50, [
        Reason("no_signal", 0.28, 0.66, 1.1, promise=0.30, department="network",
               description="No or weak signal at home or work."),
        Reason("data_not_working", 0.24, 0.72, 1.0, promise=0.15, department="network",
               description="Mobile data does not connect."),
        Reason("sim_activation", 0.14, 0.86, 0.8, promise=0.05, department="logistics",
               description="A new or replacement SIM does not activate."),
        Reason("handset_fault", 0.14, 0.64, 1.2, promise=0.35, department="logistics",
               description="Phone fault: repair, test and report back."),
        Reason("app_login_error", 0.20, 0.60, 0.9, defect=True, promise=0.10,
               department="digital",
               description="The Harbour app rejects a correct password (a defect fixed "
                           "on the scenario's fix date)."),
    ]),
    _q("plans", 0.24, 260.0, 30.0, 60.0, 0.30, [
        Reason("upgrade", 0.34, 0.82, 1.1, promise=0.20, department="sales",
               description="Upgrade the phone or the plan."),
        Reason("contract_end", 0.26, 0.76, 1.0, promise=0.20, department="sales",
               description="Contract ending: options, retention offers."),
        Reason("add_on", 0.25, 0.86, 0.8, promise=0.10, department="sales",
               description="Add or remove a data, roaming or insurance add-on."),
        Reason("cancel", 0.15, 0.70, 1.2, promise=0.30, department="sales",
               description="Customer wants to cancel."),
    ]),
)

#: Reason of the contacts caused by a missed follow-up promise.
COMPLAINT_REASON = "missed_promise_complaint"

DEFAULT_EVALUATORS: tuple[Evaluator, ...] = (
    Evaluator("Mei", leniency=0.16, noise=0.10),
    Evaluator("Tom", leniency=-0.16, noise=0.10),
    Evaluator("Priya", leniency=-0.10, noise=0.10, drift_per_month=0.025),
    Evaluator("Ken", leniency=0.0, noise=0.18),
    Evaluator("Sara", leniency=0.02, noise=0.08),
)


@dataclass(frozen=True)
class Scenario:
    """Everything the world simulator needs, with the Harbour Mobile defaults.

    Calendar
    --------
    name : str
        Preset name, recorded in the outputs.
    seed : int
        Seed of every random draw (0 or more). Same seed and version, same tables.
    start, end : datetime.date
        First and last day simulated (inclusive). ``end`` must not be before ``start``.
    detail_start : datetime.date
        First day whose call-level tables (calls, intervals, surveys, schedules...)
        are written; days before it only feed the daily and monthly history.
    open_hour, close_hour : int
        Opening hours (08:00-20:00), on the half hour grid of 30-minute intervals.
    closed_days : tuple of (month, day)
        Days the centre is closed every year (25 December, 1 January).
    holidays : tuple of datetime.date
        Public holidays: open, with ``holiday_volume`` of a normal day's volume.

    Demand
    ------
    daily_issues : float
        New customer issues on an average Monday-to-Friday outside seasonal peaks; the
        calls offered are these plus repeat contacts, complaints and retrials.
    weekly : tuple of 7 floats
        Volume by weekday, Monday first.
    intraday : tuple of floats
        Relative volume by half hour from ``open_hour`` (one per interval).
    annual_amplitude : float
        Size of the annual cycle (January bills peak, summer trough), 0-1.
    growth_per_year : float
        Yearly growth of demand (0.04 = 4 %).
    holiday_volume : float
        Volume on a public holiday, as a share of a normal day.
    queues : tuple of QueueSpec
        The queues and their call reasons.
    n_customers : int
        Size of the customer base that issues are drawn from.

    Floor
    -----
    agents_per_queue : dict
        Agents on the payroll per queue at the start (more join in hiring cohorts).
    teams_per_queue : dict
        Teams per queue; agents are split evenly.
    hiring_cohorts : tuple of (date, queue, n)
        New hires joining (they replace leavers: the same number of experienced agents
        of that queue leave two weeks before).
    new_hire_team : str
        Team id that takes most new hires (the Simpson's-paradox team).
    target_service_level, threshold_s : float
        Planning target: share of calls answered within ``threshold_s`` seconds.
    planning_factor : float
        Planners' uplift of the forecast of new issues for repeats and retrials.
    absence_rate, leave_rate : float
        Share of scheduled agent-days lost to sickness (unplanned) and to planned leave.

    Callers
    -------
    patience_s : float
        Median patience of callers who are prepared to wait (log-normal).
    quick_hangup : float
        Share of callers who hang up within a few seconds if not answered at once.
    retrial_prob : float
        Probability that a caller who hung up calls back the same day.
    survey_offer, survey_response : float
        Share of answered calls offered the post-call IVR survey, and of those, the
        share who answer it.

    Disruption and defect
    ---------------------
    disruption_start, disruption_end : datetime.date
        The crisis period (agents work from home).
    disruption_volume, disruption_handle : float
        Multipliers of demand and of handle time during the disruption.
    defect_reason : str
        Defect reason fixed on ``defect_fix_date``; its volume falls to
        ``defect_residual`` of what it was.

    QA
    --
    qa_per_agent_month : int
        Routine QA evaluations per agent per month (call-level period only).
    calibration_calls : int
        Calls scored by every evaluator and the expert anchor in each monthly session.
    calibration_months : int
        Monthly calibration sessions, ending in the last month simulated.
    evaluators : tuple of Evaluator
        The QA evaluators and their latent habits.
    """

    name: str = "default"
    seed: int = 2026
    start: dt.date = dt.date(2024, 6, 1)
    end: dt.date = dt.date(2026, 5, 31)
    detail_start: dt.date = dt.date(2026, 3, 2)
    open_hour: int = 8
    close_hour: int = 20
    closed_days: tuple = ((12, 25), (1, 1))
    holidays: tuple = (dt.date(2024, 8, 26), dt.date(2024, 12, 26), dt.date(2025, 4, 18),
                       dt.date(2025, 4, 21), dt.date(2025, 5, 5), dt.date(2025, 5, 26),
                       dt.date(2025, 8, 25), dt.date(2025, 12, 26), dt.date(2026, 4, 3),
                       dt.date(2026, 4, 6), dt.date(2026, 5, 4), dt.date(2026, 5, 25))
    daily_issues: float = 4000.0
    weekly: tuple = (1.22, 1.08, 1.0, 0.98, 0.94, 0.55, 0.38)
    intraday: tuple = (0.45, 0.75, 1.15, 1.45, 1.60, 1.55, 1.40, 1.25, 1.05, 1.00, 1.10,
                       1.25, 1.35, 1.30, 1.20, 1.10, 1.00, 0.90, 0.80, 0.70, 0.60, 0.50,
                       0.45, 0.40)
    annual_amplitude: float = 0.08
    growth_per_year: float = 0.04
    holiday_volume: float = 0.5
    queues: tuple = HARBOUR_QUEUES
    n_customers: int = 1_000_000
    agents_per_queue: dict = field(default_factory=lambda: {
        "billing": 100, "technical": 112, "plans": 76})
    teams_per_queue: dict = field(default_factory=lambda: {
        "billing": 6, "technical": 6, "plans": 4})
    hiring_cohorts: tuple = ((dt.date(2025, 10, 6), "technical", 8),
                             (dt.date(2026, 1, 5), "technical", 8),
                             (dt.date(2026, 1, 5), "billing", 6))
    new_hire_team: str = "technical-3"
    target_service_level: float = 0.80
    threshold_s: float = 20.0
    planning_factor: float = 1.38
    absence_rate: float = 0.04
    leave_rate: float = 0.07
    patience_s: float = 240.0
    quick_hangup: float = 0.03
    retrial_prob: float = 0.6
    survey_offer: float = 0.6
    survey_response: float = 0.16
    disruption_start: dt.date = dt.date(2025, 2, 3)
    disruption_end: dt.date = dt.date(2025, 3, 30)
    disruption_volume: float = 1.35
    disruption_handle: float = 1.18
    defect_reason: str = "app_login_error"
    defect_fix_date: dt.date = dt.date(2026, 4, 14)
    defect_residual: float = 0.15
    qa_per_agent_month: int = 6
    calibration_calls: int = 8
    calibration_months: int = 12
    evaluators: tuple = DEFAULT_EVALUATORS
    stationary: bool = False

    def __post_init__(self):
        obj = "Scenario"
        if not isinstance(self.name, str) or not self.name:
            _bad(obj, "name", "a non-empty string", self.name, TypeError)
        _whole(obj, "seed", self.seed)
        for f in ("start", "end", "detail_start", "disruption_start", "disruption_end",
                  "defect_fix_date"):
            object.__setattr__(self, f, _date(obj, f, getattr(self, f)))
        if self.end < self.start:
            raise ValueError(
                f"The 'end' field of Scenario must be on or after 'start' "
                f"({self.start.isoformat()}). Got {self.end.isoformat()!r} instead.")
        if not self.start <= self.detail_start <= self.end:
            raise ValueError(
                "The 'detail_start' field of Scenario must fall between 'start' and "
                f"'end' ({self.start.isoformat()} to {self.end.isoformat()}). Got "
                f"{self.detail_start.isoformat()!r} instead.")
        if self.disruption_end < self.disruption_start:
            raise ValueError(
                "The 'disruption_end' field of Scenario must be on or after "
                f"'disruption_start' ({self.disruption_start.isoformat()}). Got "
                f"{self.disruption_end.isoformat()!r} instead.")
        _whole(obj, "open_hour", self.open_hour)
        _whole(obj, "close_hour", self.close_hour)
        if not 0 <= self.open_hour < self.close_hour <= 24:
            _bad(obj, "close_hour", f"an hour after open_hour ({self.open_hour}) and at "
                 "most 24", self.close_hour)
        n_int = 2 * (self.close_hour - self.open_hour)
        if len(self.intraday) != n_int or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0
                and math.isfinite(v) for v in self.intraday):
            _bad(obj, "intraday", f"{n_int} numbers of 0 or more (one per half hour "
                 "from open_hour to close_hour)", self.intraday)
        if len(self.weekly) != 7 or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0
                and math.isfinite(v) for v in self.weekly):
            _bad(obj, "weekly", "7 numbers of 0 or more (Monday first)", self.weekly)
        _num(obj, "daily_issues", self.daily_issues, strict=True)
        _num(obj, "annual_amplitude", self.annual_amplitude, hi=0.9)
        _num(obj, "growth_per_year", self.growth_per_year, lo=-0.5, hi=1.0)
        _num(obj, "holiday_volume", self.holiday_volume, hi=2.0)
        if not self.queues or not all(isinstance(q, QueueSpec) for q in self.queues):
            _bad(obj, "queues", "a non-empty tuple of QueueSpec", self.queues, TypeError)
        names = [q.name for q in self.queues]
        _whole(obj, "n_customers", self.n_customers, lo=1)
        for f in ("agents_per_queue", "teams_per_queue"):
            value = getattr(self, f)
            what = "agents" if f == "agents_per_queue" else "teams"
            expected = (f"a mapping of queue name to a whole number of {what} of 1 or "
                        "more")
            if not isinstance(value, dict):
                _bad(obj, f, expected, value, TypeError)
            for k, v in value.items():
                if isinstance(v, bool) or not isinstance(v, int):
                    _bad(obj, f, expected, value, TypeError)
                if v < 1:
                    _bad(obj, f, expected, value)
            if sorted(value) != sorted(names):
                _bad(obj, f, f"a mapping with one entry per queue {names}", value)
        for f in ("target_service_level", "absence_rate", "leave_rate", "quick_hangup",
                  "retrial_prob", "survey_offer", "survey_response", "defect_residual"):
            _num(obj, f, getattr(self, f), hi=1.0)
        for f in ("threshold_s", "patience_s", "planning_factor", "disruption_volume",
                  "disruption_handle"):
            _num(obj, f, getattr(self, f), strict=True)
        _whole(obj, "qa_per_agent_month", self.qa_per_agent_month)
        _whole(obj, "calibration_calls", self.calibration_calls, lo=1)
        _whole(obj, "calibration_months", self.calibration_months, lo=1)
        reasons = [r.name for q in self.queues for r in q.reasons]
        if self.defect_reason not in reasons:
            _bad(obj, "defect_reason", f"one of the reasons {reasons}", self.defect_reason)
        for cohort in self.hiring_cohorts:
            if (not isinstance(cohort, tuple) or len(cohort) != 3
                    or cohort[1] not in names):
                _bad(obj, "hiring_cohorts", f"(date, queue, n) tuples with a queue in "
                     f"{names}", cohort)
            _whole(obj, "hiring_cohorts", cohort[2], lo=1)
        if not self.evaluators or not all(isinstance(e, Evaluator)
                                          for e in self.evaluators):
            _bad(obj, "evaluators", "a non-empty tuple of Evaluator", self.evaluators,
                 TypeError)

    # ------------------------------------------------------------------ helpers
    def replace(self, **changes) -> Scenario:
        """A copy with some fields changed (checked like a new Scenario)."""
        return dataclasses.replace(self, **changes)

    @property
    def n_intervals(self) -> int:
        """Half-hour intervals per open day."""
        return 2 * (self.close_hour - self.open_hour)

    @property
    def queue_names(self) -> list[str]:
        return [q.name for q in self.queues]


def _small() -> Scenario:
    return Scenario(
        name="small", seed=7, start=dt.date(2026, 3, 23), end=dt.date(2026, 5, 31),
        detail_start=dt.date(2026, 4, 20), daily_issues=300.0, n_customers=40_000,
        agents_per_queue={"billing": 12, "technical": 13, "plans": 9},
        teams_per_queue={"billing": 1, "technical": 2, "plans": 1},
        hiring_cohorts=((dt.date(2026, 1, 5), "technical", 3),),
        new_hire_team="technical-2",
        disruption_start=dt.date(2026, 3, 30), disruption_end=dt.date(2026, 4, 12),
        defect_fix_date=dt.date(2026, 5, 11), qa_per_agent_month=4, calibration_calls=4,
        calibration_months=3)


def _stationary() -> Scenario:
    return Scenario(
        name="stationary", seed=11, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 8),
        detail_start=dt.date(2026, 3, 2), daily_issues=7200.0, n_customers=1_000_000,
        weekly=(1.0,) * 7, intraday=(1.0,) * 24, annual_amplitude=0.0,
        growth_per_year=0.0, holidays=(), closed_days=(),
        queues=(_q("billing", 1.0, 300.0, 0.0, 0.0, 0.0, [
            Reason("bill_query", 1.0, 1.0, promise=0.0, department="billing",
                   description="The only reason.")]),),
        agents_per_queue={"billing": 55}, teams_per_queue={"billing": 1},
        hiring_cohorts=(), new_hire_team="billing-1", retrial_prob=0.0,
        absence_rate=0.0, leave_rate=0.0,
        patience_s=180.0, quick_hangup=0.0, defect_reason="bill_query",
        disruption_start=dt.date(2030, 1, 1), disruption_end=dt.date(2030, 1, 2),
        qa_per_agent_month=0, calibration_calls=1, calibration_months=1,
        stationary=True)


#: Named presets.
PRESETS = {"default": Scenario, "small": _small, "stationary": _stationary}


def preset(name: str = "default") -> Scenario:
    """The named scenario: ``"default"``, ``"small"`` or ``"stationary"``.

    Examples
    --------
    >>> preset("stationary").queue_names
    ['billing']
    >>> preset("large")
    Traceback (most recent call last):
    ...
    KeyError: "There is no scenario preset called 'large'. Valid names: default, small, stationary."
    """
    if name not in PRESETS:
        raise KeyError(f"There is no scenario preset called {name!r}. "
                       f"Valid names: {', '.join(PRESETS)}.")
    return PRESETS[name]()
