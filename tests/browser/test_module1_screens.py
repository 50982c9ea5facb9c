"""Module 1 lessons in a real browser: the charts draw and the proactive-share widget
answers its slider, with the internet blocked (see test_learner_screens.py)."""
from __future__ import annotations

from lab_ui import open_and_run_all

from callcoach import datasets, widgets

MEET = "course/11-meet-the-3a-model.ipynb"
ACTIVE = "course/12-weigh-active-service.ipynb"


def test_meet_the_3a_model_draws_one_chart_per_a_offline(new_context, lab, screenshot):
    context = new_context(offline=True)
    page = context.new_page()
    open_and_run_all(page, lab, MEET)
    page.wait_for_function("() => document.querySelectorAll('.vega-embed canvas, .vega-embed svg').length >= 3",
                           timeout=120_000)
    page.locator(".vega-embed").first.scroll_into_view_if_needed()
    screenshot(page, "meet-3a-chart")
    errors = page.locator(".jp-OutputArea-output", has_text="Error loading script").count()
    assert errors == 0, "a chart tried to load its JavaScript from the internet"


def test_proactive_explorer_answers_the_share_slider_offline(new_context, lab, screenshot):
    page = new_context(offline=True).new_page()
    open_and_run_all(page, lab, ACTIVE)
    summary = page.locator(".widget-html", has_text="agents needed").first
    summary.wait_for(timeout=120_000)
    before = summary.inner_text()
    assert "proactive offer on their first call" in before
    handle = page.locator(".widget-slider .noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([old]) => [...document.querySelectorAll('.widget-html')].some("
        "e => e.innerText.includes('agents needed') && e.innerText !== old)",
        arg=[before], timeout=30_000)
    after = page.locator(".widget-html", has_text="agents needed").first.inner_text()
    start = widgets.proactive_explorer(datasets.load("calls")).controls["share"].value
    assert f"{round((start + 0.05) * 100)}%" in after, (before, after)  # one step right
    page.wait_for_selector(".vega-embed canvas, .vega-embed svg", timeout=60_000)
    screenshot(page.locator(".widget-vbox").first, "proactive-explorer")
