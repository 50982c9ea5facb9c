"""The data dictionary of the simulated world's learner tables.

One entry per table: title, description, whether the file is gzipped, primary key and
every column's Frictionless field (type, unit, meaning, allowed values).
:mod:`callcoach.datasets` turns these into ``datasets/datapackage.json``.
"""
from __future__ import annotations

from callcoach.scorecard import default_scorecard
from callcoach.sim.config import COMPLAINT_REASON, HARBOUR_QUEUES

DT = "%Y-%m-%dT%H:%M:%S"
QUEUES = [q.name for q in HARBOUR_QUEUES]
REASONS = [r.name for q in HARBOUR_QUEUES for r in q.reasons] + [COMPLAINT_REASON]
ACTIVITIES = ["phones", "break", "lunch", "followup", "training", "meeting", "coaching"]
STATES = ["phones", "break", "lunch", "followup", "training", "meeting", "coaching", "aux",
          "late_login", "logged_out_early"]
TIMESHEET = ["on_call", "acw", "available", "break", "followup", "training", "meeting",
             "coaching", "aux", "sick", "leave"]


def _f(name, type_, description, *, unit=None, required=True, minimum=None, maximum=None,
       enum=None, fmt=None):
    field = {"name": name, "type": type_}
    if fmt:
        field["format"] = fmt
    if unit:
        field["unit"] = unit
    field["description"] = description
    cons = {"required": required}
    if minimum is not None:
        cons["minimum"] = minimum
    if maximum is not None:
        cons["maximum"] = maximum
    if enum is not None:
        cons["enum"] = enum
    field["constraints"] = cons
    return field


def count(name, description, unit="calls"):
    return _f(name, "integer", description, unit=unit, minimum=0)


def seconds(name, description, required=True):
    return _f(name, "integer", description, unit="seconds", minimum=0, required=required)


def when(name, description, required=True):
    return _f(name, "datetime", description, fmt=DT, required=required)


def day(name, description, required=True):
    return _f(name, "date", description, required=required)


def flag(name, description):
    return _f(name, "boolean", description)


def text(name, description, enum=None, required=True):
    return _f(name, "string", description, enum=enum, required=required)


def rate(name, description):
    return _f(name, "number", description, unit="fraction 0-1", minimum=0, maximum=1,
              required=False)


AGENT = text("agent_id", "Agent identifier (A001...); see the agents table.")
QUEUE = text("queue", "Queue (line of business) the call was offered to.", QUEUES)
CALL = _f("call_id", "integer", "Call identifier (see the calls table).", minimum=0)

_INTERVAL_COUNTS = [
    count("offered", "Calls offered to the queue in the interval: answered + abandoned."),
    count("answered", "Calls answered by an agent."),
    count("abandoned", "Calls where the caller hung up before an agent answered."),
    count("answered_within_threshold",
          "Answered calls that waited 20 seconds or less (the service-level threshold)."),
    count("abandoned_within_threshold", "Abandoned calls whose caller hung up within 20 "
          "seconds."),
    count("short_abandons", "Abandoned calls whose caller hung up within 5 seconds (often "
          "misdials or IVR slips)."),
    seconds("wait_answered_s", "Total seconds answered callers waited in the queue "
            "(numerator of ASA)."),
    seconds("talk_s", "Total talk time of the answered calls."),
    seconds("hold_s", "Total time answered callers spent on hold."),
    seconds("acw_s", "Total after-call work (wrap-up) time of the answered calls."),
]

TABLES: dict[str, dict] = {
    "intervals": {
        "title": "Queue statistics per 30-minute interval",
        "description": (
            "The centre's queue report over two years (2024-06-01 to 2026-05-31, open "
            "days): one row per queue per half hour, with calls offered, answered and "
            "abandoned, waiting and handle times, and staffing. The call-level calls table "
            "covers the last quarter (13 weeks from Monday 2026-03-02). Aggregated "
            "from the calls table (calls count in the half hour they arrived) and the "
            "agents' real log-ins. Made by callcoach.sim.simulate('default')."),
        "gzip": True,
        "primary_key": ["interval_start", "queue"],
        "fields": [
            when("interval_start", "Start of the 30-minute interval, local time (the "
                 "centre opens 08:00-20:00)."),
            text("queue", "Queue (line of business) the calls were offered to.", QUEUES),
            *_INTERVAL_COUNTS,
            _f("scheduled_agents", "integer", "Agents the workforce plan scheduled on the "
               "phones for the interval (agent-half-hours, rounded).", unit="agents",
               minimum=0),
            _f("staffed_agents", "number", "Average agents actually logged in and available "
               "for calls during the interval.", unit="agents", minimum=0),
        ],
    },
    "daily": {
        "title": "Daily queue history over two years",
        "description": (
            "One row per open day per queue from 2024-06-01 to 2026-05-31 (closed on 25 "
            "December and 1 January): the interval counts added up, plus staffing, "
            "adherence, paid time and post-call survey counts. For month-over-month and "
            "year-over-year tracking, control charts and the disruption period "
            "(2025-02-03 to 2025-03-30: demand surge, agents at home, longer calls). "
            "Occupancy = handle / staffed_s: kpi.occupancy(daily, staffed_agents="
            "'staffed_s', interval_s=1)."),
        "primary_key": ["date", "queue"],
        "fields": [
            day("date", "The day (local time)."), QUEUE, *_INTERVAL_COUNTS,
            seconds("staffed_s", "Agent-seconds logged in on the phones (available, on a "
                    "call or in after-call work)."),
            seconds("scheduled_s", "Agent-seconds the schedule put on the phones, for the "
                    "agents who came to work (absence is shrinkage, not non-adherence): "
                    "the adherence and conformance denominator, as in the adherence table."),
            seconds("in_adherence_s", "Of the scheduled phone seconds, those the agents "
                    "really were on the phones (adherence numerator)."),
            seconds("paid_s", "Paid agent-seconds of the queue's agents (shifts, sickness "
                    "and leave; not unpaid lunch)."),
            count("survey_responses", "Post-call IVR surveys answered.", unit="surveys"),
            count("survey_resolved_yes", "Survey answers 'yes, my issue is fully "
                  "resolved'.", unit="surveys"),
            count("csat_satisfied", "Survey answers scoring satisfaction 4 or 5 (of 5).",
                  unit="surveys"),
        ],
    },
    "monthly": {
        "title": "Monthly KPI history over two years",
        "description": (
            "One row per month per queue with the month's KPIs, each computed by its "
            "callcoach.kpi function from the month's calls (volume-weighted, never an "
            "average of daily rates). FCR by repeats uses a 7-day window and credits each "
            "issue to the month of its first contact."),
        "primary_key": ["month", "queue"],
        "fields": [
            day("month", "First day of the month."), QUEUE,
            count("offered", "Calls offered."), count("answered", "Calls answered."),
            count("abandoned", "Calls abandoned."),
            rate("service_level", "Answered within 20 s / answered (kpi.service_level)."),
            rate("abandonment_rate", "Abandoned / offered (kpi.abandonment_rate)."),
            _f("asa_s", "number", "Average speed of answer of answered calls (kpi.asa).",
               unit="seconds", minimum=0, required=False),
            _f("aht_s", "number", "Average handle time: talk + hold + after-call work per "
               "answered call (kpi.aht).", unit="seconds", minimum=0, required=False),
            rate("occupancy", "Handle time / staffed time (kpi.occupancy)."),
            rate("adherence", "Scheduled phone time really on the phones / scheduled phone "
                 "time (kpi.adherence)."),
            rate("shrinkage", "Paid time not on the phones / paid time (kpi.shrinkage)."),
            rate("fcr_by_repeats", "First contacts not followed by a call from the same "
                 "customer about the same reason within 7 days (kpi.fcr_by_repeats)."),
            rate("fcr_by_survey", "Survey answers 'resolved' / survey answers "
                 "(kpi.fcr_by_survey)."),
            _f("csat", "number", "Mean survey satisfaction score, 1-5 (kpi.csat).",
               unit="score 1-5", minimum=1, maximum=5, required=False),
            count("survey_responses", "Surveys answered.", unit="surveys"),
            rate("followup_completion_rate", "Promises due in the month completed by their "
                 "due time (kpi.followup_completion_rate)."),
        ],
    },
    "calls": {
        "title": "Calls (one quarter)",
        "description": (
            "Every call attempt offered to the queues from 2026-03-02 to 2026-05-31, as the "
            "ACD and CRM record it: one row per attempt (a caller who hung up and called "
            "back the same day gets a new row with retrial=True). issue_id is the CRM case "
            "that groups the contacts about one customer problem. Stored as one file per "
            "month (calls-2026-03.csv.gz ...); callcoach.datasets.load('calls') joins them."),
        "gzip": True,
        "monthly_by": "arrival_time",
        "primary_key": ["call_id"],
        "fields": [
            _f("call_id", "integer", "Call identifier, in order of arrival.", minimum=0),
            _f("customer_id", "integer", "Customer identifier.", minimum=0),
            _f("issue_id", "integer", "CRM case: the customer problem the call is about "
               "(repeat calls and complaints share their issue's id).", minimum=0),
            text("reason", "Call reason (contact driver) the agent recorded; see the "
                 "reasons table.", REASONS),
            QUEUE,
            text("agent_id", "Agent who answered; empty for abandoned calls.",
                 required=False),
            when("arrival_time", "When the call reached the queue, local time."),
            flag("answered", "True if an agent answered; False if the caller hung up."),
            flag("retrial", "True if the caller had hung up earlier the same day and called "
                 "back."),
            seconds("wait_s", "Seconds in the queue until answered, or until the caller hung "
                    "up."),
            seconds("talk_s", "Talk seconds (0 for abandoned calls)."),
            seconds("hold_s", "Hold seconds (0 for abandoned calls)."),
            seconds("acw_s", "After-call work seconds (0 for abandoned calls)."),
            flag("transferred", "True if the call was transferred (complaints go to a "
                 "supervisor)."),
            flag("proactive_offer", "Wrap-up code: the agent made a proactive offer beyond "
                 "the question (3A Active: sent a document, gave prevention tips)."),
        ],
    },
    "agents": {
        "title": "Agents",
        "description": ("Everyone on the payroll during the two years: team, queue, usual "
                        "shift, hire and leaving dates. tenure_band is the tenure at the "
                        "start of the call-level quarter (new: under 6 months)."),
        "primary_key": ["agent_id"],
        "fields": [
            AGENT, text("name", "Agent's name (fictional)."),
            text("team_id", "Team; see the teams table."), QUEUE,
            text("shift_pattern", "Most frequent shift start in the quarter: early (08:00), "
                 "day (08:30-09:30), middle (10:00-11:00), late (11:30), part_time (4-hour "
                 "shifts), none (not working in the quarter).",
                 ["early", "day", "middle", "late", "part_time", "none"]),
            day("hire_date", "First working day."),
            day("left_on", "Day the agent left; empty if still employed.", required=False),
            text("tenure_band", "Tenure at 2026-03-02: 'new' (under 6 months) or "
                 "'experienced'.", ["new", "experienced"]),
        ],
    },
    "teams": {
        "title": "Teams",
        "description": "The centre's teams, their queue and team leader.",
        "primary_key": ["team_id"],
        "fields": [
            text("team_id", "Team identifier (queue-number)."), QUEUE,
            text("team_leader", "Team leader's name (fictional)."),
            text("site", "Where the team works: 'home-capable' teams moved home first in the "
                 "disruption.", ["home-capable", "office"]),
        ],
    },
    "reasons": {
        "title": "Call reasons (contact drivers)",
        "description": "Every call reason, its queue, whether a product or process defect "
                       "causes it, and the department that owns it.",
        "primary_key": ["reason"],
        "fields": [
            text("reason", "Call reason.", REASONS),
            text("queue", "Queue of the reason ('all' for complaints).", QUEUES + ["all"]),
            flag("defect", "True if a defect causes the calls (feedback tickets can remove "
                 "them)."),
            text("department", "Department that owns the reason."),
            text("description", "What the callers want."),
        ],
    },
    "surveys": {
        "title": "Post-call IVR surveys",
        "description": ("One row per answered post-call survey (quarter). Offered after "
                        "about 60 % of answered calls; about 1 in 6 callers answers."),
        "primary_key": ["call_id"],
        "fields": [
            CALL,
            flag("resolved", "Answer to 'Was your issue fully resolved today?'"),
            _f("csat", "integer", "Satisfaction with the call, 1 (very dissatisfied) to 5 "
               "(very satisfied).", unit="score 1-5", minimum=1, maximum=5),
        ],
    },
    "followups": {
        "title": "Follow-up promises (3A Available)",
        "description": ("One row per promise an agent made on a call in the quarter (call "
                        "back, test and report, mail documents) with its due time and when "
                        "it was done. complaint_call_id is the complaint call a missed or "
                        "late promise caused."),
        "gzip": True,
        "primary_key": ["followup_id"],
        "fields": [
            _f("followup_id", "integer", "Promise identifier.", minimum=0), CALL, AGENT,
            _f("customer_id", "integer", "Customer promised.", minimum=0), QUEUE,
            text("kind", "What was promised.", ["callback", "test_and_report", "mail"]),
            when("promised_at", "When the promise was made (end of the call)."),
            when("due_at", "When it is due."),
            when("completed_at", "When it was done; empty if not done (by 2026-05-31).",
                 required=False),
            seconds("work_s", "Agent time the follow-up takes when done."),
            _f("complaint_call_id", "integer", "Complaint call caused by this promise; "
               "empty if none.", minimum=0, required=False),
        ],
    },
    "feedback_tickets": {
        "title": "Feedback tickets (3A Action)",
        "description": ("Defects and process problems agents reported to the owning "
                        "department from a call (quarter). The app login defect was fixed "
                        "on 2026-04-14; the roaming double-charge is still open."),
        "primary_key": ["ticket_id"],
        "fields": [
            _f("ticket_id", "integer", "Ticket identifier.", minimum=0), CALL, AGENT,
            when("raised_at", "When the agent raised it."),
            text("reason", "Call reason the ticket is about.", REASONS),
            text("department", "Department it was sent to."),
            text("status", "fixed, open (under investigation), duplicate (already fixed) or "
                 "rejected (not a defect).", ["fixed", "open", "duplicate", "rejected"]),
            when("closed_at", "When the department closed it; empty while open.",
                 required=False),
        ],
    },
    "schedules": {
        "title": "Agent schedules",
        "description": ("The plan: one row per scheduled activity per agent per day in the "
                        "quarter. 'phones' = available for calls; lunch is unpaid."),
        "gzip": True,
        "primary_key": ["agent_id", "start"],
        "fields": [
            AGENT, day("date", "Working day."),
            text("activity", "Scheduled activity.", ACTIVITIES),
            when("start", "Start, local time."), when("end", "End, local time."),
        ],
    },
    "agent_states": {
        "title": "Agent states (what really happened)",
        "description": ("The phone system's log: one row per state per agent per day "
                        "worked in the quarter. Time off the phones is labelled with the "
                        "scheduled activity it overlaps, else 'aux' (unscheduled not-ready), "
                        "'late_login' or 'logged_out_early'."),
        "gzip": True,
        "primary_key": ["agent_id", "start"],
        "fields": [
            AGENT, day("date", "Working day."), text("state", "State.", STATES),
            when("start", "Start, local time."), when("end", "End, local time."),
        ],
    },
    "adherence": {
        "title": "Schedule adherence per agent per half hour",
        "description": ("From schedules and agent states: for each agent and half hour, "
                        "phone seconds scheduled, scheduled phone seconds really on the "
                        "phones, and phone seconds worked (also outside the schedule: "
                        "follow-up time spent on calls, staying on after the shift). "
                        "Agents absent that day have no rows: absence is shrinkage. "
                        "Use kpi.adherence and kpi.conformance; summed per queue and day "
                        "they give the daily table's scheduled_s, in_adherence_s and "
                        "staffed_s."),
        "gzip": True,
        "primary_key": ["agent_id", "interval_start"],
        "fields": [
            AGENT, when("interval_start", "Start of the half hour."),
            seconds("scheduled_s", "Seconds scheduled on the phones."),
            seconds("in_adherence_s", "Of those, seconds really on the phones."),
            seconds("actual_s", "Seconds on the phones, scheduled or not."),
        ],
    },
    "timesheet": {
        "title": "Timesheet: paid time by activity",
        "description": ("One row per agent per day per activity with the paid seconds "
                        "spent in it (quarter); for kpi.shrinkage. Phones time is split "
                        "into on_call (talk + hold), acw and available."),
        "gzip": True,
        "primary_key": ["agent_id", "date", "activity"],
        "fields": [
            AGENT, day("date", "Day."), text("activity", "Activity.", TIMESHEET),
            seconds("seconds", "Paid seconds in the activity."),
        ],
    },
}

_ITEMS = [i.id for i in default_scorecard().items]
_SCORE = _f("score", "number", "Score on the item's scale (yes/no items: 1 = yes, 0 = "
            "no); empty = N/A (the item did not apply).", unit="points", minimum=0,
            maximum=5, required=False)

TABLES.update({
    "qa_evaluations": {
        "title": "Routine QA evaluations",
        "description": ("Sampled call monitoring in the quarter: each evaluation scores one "
                        "answered call on the default scorecard "
                        "(callcoach.scorecard.default_scorecard), one row per item. Total "
                        "them with callcoach.scorecard.score_evaluations."),
        "gzip": True,
        "primary_key": ["evaluation_id", "item"],
        "fields": [
            _f("evaluation_id", "integer", "Evaluation identifier.", minimum=0), CALL, AGENT,
            text("evaluator", "QA evaluator."),
            day("evaluated_on", "Day of the evaluation."),
            text("item", "Scorecard item id.", _ITEMS), _SCORE,
        ],
    },
    "calibration_scores": {
        "title": "Calibration sessions",
        "description": ("Monthly calibration sessions over the last 12 months: every "
                        "evaluator and the expert anchor ('expert') score the same calls "
                        "item by item. Use callcoach.calibration (rater_bias, rater_drift, "
                        "icc...). The calls' transcripts are in the transcripts table."),
        "primary_key": ["session", "call_id", "evaluator", "item"],
        "fields": [
            text("session", "Session month (YYYY-MM)."), CALL,
            text("evaluator", "Evaluator, or 'expert' for the anchor."),
            text("item", "Scorecard item id.", _ITEMS), _SCORE,
        ],
    },
    "transcripts": {
        "title": "Transcripts of the calibration calls",
        "description": ("What was said on each calibration call, line by line, written "
                        "from what the simulation decided happened (greeting, identity "
                        "check, hold, information given, proactive offer, feedback, "
                        "promise recap, close)."),
        "primary_key": ["call_id", "line"],
        "fields": [
            CALL, _f("line", "integer", "Line number within the call.", minimum=1),
            text("speaker", "Who speaks.", ["agent", "customer"]),
            text("text", "What was said."),
        ],
    },
})

#: Instructor-only ground truth files (never in datasets/).
TRUTH_FILES = {
    "agents_truth": "Latent agent traits: active, action, available (3A propensities, "
                    "0-1), skill (resolve log-odds), speed (handle-time multiplier), "
                    "empathy, compliance (identity-check probability).",
    "calls_truth": "Per call of the quarter: contact kind (new, repeat, complaint, "
                   "recall_after_abandon), the true reason, whether the call truly "
                   "resolved the issue, resolved later by a kept follow-up, agent tenure.",
    "calibration_truth": "True item scores of every calibration call.",
    "evaluators_truth": "Each evaluator's leniency, noise and drift per month (quality "
                        "scale 0-1).",
}
