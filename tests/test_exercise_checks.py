"""own_work: an exercise answer that calls the kit's own helpers is caught, by any route."""
from __future__ import annotations

import pandas as pd
import pytest

from callcoach import datasets, drivers, kpi
from callcoach.exercise_checks import kit_helpers_used, own_work
from callcoach.kpi import aht as imported_aht

CALLS = pd.DataFrame({"answered": [True, False], "talk_s": [100, 0], "hold_s": [0, 0], "acw_s": [20, 0]})


def by_hand(calls):
    answered = calls[calls["answered"]]
    return float((answered["talk_s"] + answered["hold_s"] + answered["acw_s"]).mean())


def via_module(calls):
    return kpi.aht(calls, table="calls")


def via_imported_name(calls):
    return imported_aht(calls, table="calls")


def via_import_in_body(calls):
    from callcoach.kpi import aht
    return aht(calls, table="calls")


def _helper(calls):
    return drivers.driver_shares(calls)


def via_own_helper(calls):
    return _helper(calls)


def loads_data_by_name():
    return datasets.load("reasons")


@pytest.mark.parametrize("func", [via_module, via_imported_name, via_import_in_body, via_own_helper])
def test_a_function_that_reaches_a_kit_helper_fails_with_a_teaching_message(func):
    assert kit_helpers_used(func)
    with pytest.raises(AssertionError, match="write the calculation yourself with pandas"):
        own_work(func)


@pytest.mark.parametrize("func", [by_hand, loads_data_by_name, len, lambda calls: calls.sum()])
def test_pandas_builtins_and_loading_data_are_own_work(func):
    assert kit_helpers_used(func) == []
    own_work(func)


def test_by_hand_and_the_kit_agree_so_the_check_is_about_learning_not_the_answer():
    assert by_hand(CALLS) == pytest.approx(via_module(CALLS))


@pytest.mark.parametrize("got", [None, ..., 3.0])
def test_something_that_is_not_a_function_is_named(got):
    with pytest.raises(AssertionError, match="Expected a function"):
        own_work(got)


def test_recursion_between_learner_functions_terminates():
    def ping(n):
        return pong(n - 1) if n else 0

    def pong(n):
        return ping(n)

    assert kit_helpers_used(ping) == []
