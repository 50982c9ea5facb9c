"""Synthetic transcripts of the calibration calls, written from what the simulation decided.

Every line comes from a decision the world made about the call: how warm the greeting
was (the agent's empathy), whether the identity check happened, whether a hold was
announced, whether the information was right (the issue was resolved, or wrong
information was given), the proactive offer (3A Active), the feedback ticket on a
defect (3A Action), the recap of a promise (3A Available) and the close. An evaluator
scoring the transcript on the default scorecard should land near the true scores kept
in ``instructor/ground_truth/calibration_truth.csv``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from callcoach.sim.config import COMPLAINT_REASON

_PROBLEM = {
    "bill_query": "My bill this month is forty pounds higher than usual and I don't know why.",
    "payment_failed": "I got a text saying my direct debit failed, but there's money in the account.",
    "roaming_charges": "I was in France for a week and I've been charged for roaming twice.",
    "refund_request": "I cancelled an add-on last month but I was still charged. I'd like that back.",
    "no_signal": "I've had no signal at home since Tuesday. Calls just drop.",
    "data_not_working": "My mobile data stopped working this morning; wifi is fine.",
    "sim_activation": "My new SIM came yesterday but it still says 'no service'.",
    "handset_fault": "My phone keeps restarting on its own, several times a day.",
    "app_login_error": "The Harbour app keeps saying my password is wrong, but I know it's right.",
    "upgrade": "I'd like to upgrade my phone, what are my options?",
    "contract_end": "My contract ends next month. What happens then?",
    "add_on": "I need a data add-on for a trip next week.",
    "cancel": "I want to cancel my contract, please.",
    COMPLAINT_REASON: "I was promised a call back and nobody ever got in touch. This is the "
                      "second time I'm calling about this!",
}
_FIX = {
    "bill_query": "The extra charge is the out-of-bundle calls on the 12th; I've talked you through each line.",
    "payment_failed": "Your bank changed its sort code; I've updated the mandate and the payment will retry on Friday.",
    "roaming_charges": "I can see the duplicate roaming charge and I've credited it back to your account.",
    "refund_request": "I've raised the refund for the add-on; it will show on your next bill.",
    "no_signal": "There's a mast fault near your postcode; engineers are on it and it should be back tonight.",
    "data_not_working": "Your APN settings were reset by the update; I've sent the correct settings and it's working now.",
    "sim_activation": "I've activated the SIM from here; restart the phone and you'll have service.",
    "handset_fault": "That model needs the latest update; once installed, the restarts stop.",
    "app_login_error": "I've reset your login from our side; you can sign in now.",
    "upgrade": "You're eligible today; I've placed the order for the new handset on your current plan.",
    "contract_end": "You can keep the same number and move to a SIM-only plan that saves you twelve pounds a month.",
    "add_on": "The 10 GB travel add-on is on your account from tomorrow.",
    "cancel": "I've processed the cancellation; your last bill will come on the 3rd.",
    COMPLAINT_REASON: "I'm sorry we let you down. I've sorted the original request myself and added a goodwill credit.",
}
_UNSURE = "I think that should sort it. If it doesn't, just give us another call."
_WRONG = {
    "billing": "That charge is normal, I'm afraid there's nothing we can do about it.",
    "technical": "It's probably your phone; there's nothing wrong on our side.",
    "plans": "You can't change anything until the contract has ended.",
}
_OFFER = {
    "billing": "While I have you: I've e-mailed you a breakdown of the bill, and you can set a spending cap in the app so it can't happen again.",
    "technical": "One more thing: if it happens again, switch flight mode on and off first; I've also texted you our wifi-calling guide for home.",
    "plans": "Also, I've e-mailed you a comparison of the two plans so you can check the numbers at home.",
}
_PROMISE = {
    "callback": "I'll call you back by {due} with the result.",
    "test_and_report": "Our engineers will test the line and I'll report back to you by {due}.",
    "mail": "I'll send the contract documents by post; you'll have them by {due}.",
}
_DEPT = {"billing": "billing", "network": "network", "logistics": "logistics",
         "digital": "app", "sales": "sales", "product": "product",
         "customer relations": "customer relations"}


def _say(rows, call_id, speaker, text):
    rows.append((call_id, len([r for r in rows if r[0] == call_id]) + 1, speaker, text))


def write_transcripts(sim, cal_calls, rng) -> pd.DataFrame:
    """One row per line of each calibration call: call_id, line, speaker, text."""
    R = sim.R
    agents = sim.agents
    fu = pd.concat(sim.followup_parts, ignore_index=True) if sim.followup_parts else None
    kinds = {} if fu is None else dict(zip(fu["call_id"], fu["kind"]))
    dues = {} if fu is None else dict(zip(fu["call_id"], fu["due_at"]))
    rows: list[tuple] = []
    for _session, calls, truth in cal_calls:
        for idx, c in calls.iterrows():
            q = truth.loc[idx]
            cid = int(c["call_id"])
            name = agents["name"].iloc[int(c["agent"])]
            first = name.split()[0]
            queue = sim.s.queue_names[int(c["queue"])]
            reason = R.names[int(c["reason"])]
            hour = pd.Timestamp(c["arrival_time"]).hour
            part = "morning" if hour < 12 else "afternoon" if hour < 18 else "evening"
            # Greeting.
            if q["greeting"] >= 0.75:
                _say(rows, cid, "agent", f"Good {part}, you're through to Harbour Mobile, "
                     f"my name is {first}. How can I help you today?")
            elif q["greeting"] >= 0.25:
                _say(rows, cid, "agent", f"Harbour Mobile, {first} speaking.")
            else:
                _say(rows, cid, "agent", "Yeah, hello?")
            _say(rows, cid, "customer", _PROBLEM.get(reason, "I have a problem with my account."))
            # Identity check.
            if q["verify_identity"] == 1:
                _say(rows, cid, "agent", "I can help with that. Before I open your account, "
                     "can you confirm your full name and date of birth, please?")
                _say(rows, cid, "customer", "Yes, of course. [gives name and date of birth]")
                _say(rows, cid, "agent", "Thank you, that's all confirmed.")
            elif q["verify_identity"] == 0:
                _say(rows, cid, "agent", "Let me pull up the account on that number... right, "
                     "I can see it here.")
            # Empathy.
            if q["empathy"] >= 0.7:
                _say(rows, cid, "agent", "I'm sorry you've had this, I can imagine how "
                     "annoying it is. Let's get it sorted.")
            elif q["empathy"] < 0.35:
                _say(rows, cid, "agent", "OK.")
            # Hold.
            if not np.isnan(q["hold_etiquette"]):
                if q["hold_etiquette"] >= 0.6:
                    _say(rows, cid, "agent", "Would it be all right if I put you on hold for "
                         "about two minutes while I check this with my colleagues?")
                    _say(rows, cid, "customer", "Sure.")
                    _say(rows, cid, "agent", "[hold] Thank you for holding, I have the answer.")
                elif q["hold_etiquette"] >= 0.3:
                    _say(rows, cid, "agent", "Hold on a moment. [hold] OK, I'm back.")
                else:
                    _say(rows, cid, "agent", "[hold without warning] Right.")
            # Resolution.
            if q["accurate_info"] >= 0.7:
                _say(rows, cid, "agent", _FIX.get(reason, "That's now sorted."))
            elif q["accurate_info"] >= 0.3:
                _say(rows, cid, "agent", _UNSURE)
            else:
                _say(rows, cid, "agent", _WRONG[queue] if queue in _WRONG else _UNSURE)
            # 3A Active.
            if c["proactive"]:
                _say(rows, cid, "agent", _OFFER.get(queue, _OFFER["billing"]))
                _say(rows, cid, "customer", "Oh, that's helpful, thanks.")
            # 3A Action.
            if R.defect[int(c["reason"])]:
                if c["ticket"]:
                    dept = _DEPT.get(R.department[int(c["reason"])], "product")
                    _say(rows, cid, "agent", f"I've also reported this to our {dept} team as "
                         "a fault, so it gets fixed for everyone, not just you.")
                else:
                    _say(rows, cid, "customer", "Does this happen to other people too?")
                    _say(rows, cid, "agent", "I couldn't say, sorry.")
            # 3A Available: promise recap.
            if c["promise"]:
                kind = kinds.get(cid, "callback")
                due = dues.get(cid)
                due_text = (pd.Timestamp(due).strftime("%A %d %B, 5 pm") if due is not None
                            else "Friday")
                rec = q["followup_recorded"]
                if rec >= 0.75:
                    _say(rows, cid, "agent", "To recap what happens next: " +
                         _PROMISE.get(kind, _PROMISE["callback"]).format(due=due_text) +
                         " I've logged it on your account with that date.")
                elif rec >= 0.25:
                    _say(rows, cid, "agent", "Someone will get back to you about it.")
                else:
                    _say(rows, cid, "agent", "We'll be in touch.")
            # Close.
            if q["closing"] >= 0.75:
                _say(rows, cid, "agent", "Is there anything else I can help with today?")
                _say(rows, cid, "customer", "No, that's everything.")
                _say(rows, cid, "agent", "Thanks for calling Harbour Mobile. Have a good "
                     f"{part}!")
            elif q["closing"] >= 0.25:
                _say(rows, cid, "agent", "OK, thanks for calling.")
            else:
                _say(rows, cid, "agent", "Bye.")
    return pd.DataFrame(rows, columns=["call_id", "line", "speaker", "text"])
