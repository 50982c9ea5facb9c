"""Scenario settings are typed and checked: a wrong value names the field, value and rule."""
from __future__ import annotations

import datetime as dt

import pytest

from callcoach.sim import QueueSpec, Reason, Scenario, preset
from callcoach.sim.config import PRESETS


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_is_a_valid_scenario(name):
    s = preset(name)
    assert isinstance(s, Scenario) and s.name == name
    assert s.start <= s.detail_start <= s.end


def test_unknown_preset_lists_the_valid_names():
    with pytest.raises(KeyError, match="no scenario preset called 'big'. Valid names: "
                                       "default, small, stationary"):
        preset("big")


def test_negative_agents_name_the_field_the_value_and_what_is_allowed():
    with pytest.raises(ValueError, match=r"'agents_per_queue' field of Scenario must be a "
                                         r"mapping of queue name to a whole number of agents "
                                         r"of 1 or more\. Got .*-3"):
        preset("small").replace(agents_per_queue={"billing": -3, "technical": 5, "plans": 2})


def test_a_rate_that_is_not_a_number_is_a_type_error():
    with pytest.raises(TypeError, match=r"'retrial_prob' field of Scenario must be a number "
                                        r"of at least 0 and at most 1\. Got 'often' instead"):
        Scenario(retrial_prob="often")


def test_nan_is_not_a_number_of_calls():
    with pytest.raises(ValueError, match=r"'daily_issues' field .* Got nan instead"):
        Scenario(daily_issues=float("nan"))


def test_end_before_start_names_both_dates():
    with pytest.raises(ValueError, match=r"'end' field of Scenario must be on or after "
                                         r"'start' \(2026-03-02\)\. Got '2026-02-01'"):
        Scenario(start=dt.date(2026, 3, 2), end="2026-02-01", detail_start="2026-03-02")


def test_detail_period_must_lie_inside_the_simulated_period():
    with pytest.raises(ValueError, match="'detail_start' field of Scenario must fall between"):
        Scenario(detail_start="2027-01-01")


def test_a_date_that_is_not_a_date_is_reported():
    with pytest.raises(ValueError, match=r"'start' field of Scenario must be a date .* Got "
                                         r"'yesterday'"):
        Scenario(start="yesterday")


def test_queues_without_a_mapping_entry_are_reported():
    with pytest.raises(ValueError, match="one entry per queue"):
        Scenario(agents_per_queue={"billing": 3})


def test_unknown_defect_reason_lists_the_reasons():
    with pytest.raises(ValueError, match="'defect_reason' field of Scenario must be one of "
                                         r"the reasons \['bill_query'"):
        Scenario(defect_reason="printer_jam")


def test_reason_probability_above_one_is_rejected():
    with pytest.raises(ValueError, match=r"'resolve' field of Reason 'x' must be a number of "
                                         r"at least 0 and at most 1\. Got 1.5"):
        Reason("x", 1.0, 1.5)


def test_queue_needs_reasons():
    with pytest.raises(TypeError, match="'reasons' field of QueueSpec 'q' must be a non-empty"):
        QueueSpec("q", 1.0, 200.0, 0.0, 0.0, 0.0, ())


def test_intraday_profile_must_match_opening_hours():
    with pytest.raises(ValueError, match=r"'intraday' field of Scenario must be 24 numbers"):
        Scenario(intraday=(1.0,) * 10)


def test_replace_checks_like_a_new_scenario():
    s = preset("small").replace(seed=8)
    assert s.seed == 8 and s.name == "small"
    with pytest.raises(ValueError, match="'seed' field"):
        s.replace(seed=-1)
