"""What learners and trainers see in JupyterLab, in a real browser.

nbval proves the kernel side of a notebook; these tests prove the page: the chart's
JavaScript really drew something, the widget really rendered and answers a slider, and
it all works with every non-loopback request blocked (a training room with no internet).
"""
from __future__ import annotations

from lab_ui import check_chart_and_widget, open_and_run_all

START = "course/00-start-here.ipynb"


def test_start_here_draws_its_chart_and_its_widget_answers_the_slider(new_context, lab, screenshot):
    page = new_context().new_page()
    open_and_run_all(page, lab, START)
    before, after = check_chart_and_widget(page)
    page.locator(".vega-embed").first.scroll_into_view_if_needed()
    screenshot(page, "start-here-chart")
    screenshot(page.locator(".widget-vbox").first, "start-here-widget")
    assert "85%" in after, (before, after)


def test_start_here_works_with_no_internet(new_context, lab, screenshot):
    context = new_context(offline=True)
    page = context.new_page()
    open_and_run_all(page, lab, START)
    check_chart_and_widget(page)
    page.locator(".widget-slider").first.scroll_into_view_if_needed()
    screenshot(page, "start-here-offline")
    errors = page.locator(".jp-OutputArea-output", has_text="Error loading script").count()
    assert errors == 0, "a chart tried to load its JavaScript from the internet"


def test_formgrader_lists_the_exercises(new_context, lab, screenshot, kit):
    context = new_context(offline=True)
    page = context.new_page()
    page.goto(f"{lab.url}/formgrader")
    for exercise in sorted(p.name for p in (kit / "exercises").iterdir() if p.is_dir()):
        page.wait_for_selector(f"text={exercise}", timeout=60_000)
    screenshot(page, "formgrader")
    assert not context.blocked, f"formgrader asked the internet for {context.blocked[:3]}"


def test_staffing_explorer_answers_the_agents_slider_offline(new_context, lab, screenshot):
    page = new_context(offline=True).new_page()
    open_and_run_all(page, lab, "course/21-read-a-service-level-report.ipynb")
    page.wait_for_selector(".vega-embed canvas, .vega-embed svg", timeout=90_000)
    summary = page.locator(".widget-html").first
    summary.wait_for(timeout=60_000)
    before = summary.inner_text()
    assert "agents: service level" in before
    agents_handle = page.locator(".widget-slider .noUi-handle").nth(2)  # calls, AHT, agents
    agents_handle.scroll_into_view_if_needed()
    agents_handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([sel, old]) => { const e = document.querySelector(sel); return e && e.innerText !== old; }",
        arg=[".widget-html", before], timeout=30_000)
    screenshot(page.locator(".widget-vbox").first, "staffing-explorer")
