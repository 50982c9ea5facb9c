"""What learners and trainers see in JupyterLab, in a real browser.

nbval proves the kernel side of a notebook; these tests prove the page: the chart's
JavaScript really drew something, the widget really rendered and answers a slider, and
it all works with every non-loopback request blocked (a training room with no internet).
"""
from __future__ import annotations

import pytest

START = "course/00-start-here.ipynb"


def open_and_run_all(page, lab, notebook: str) -> None:
    """Open ``notebook`` in a fresh workspace and run every cell from the Run menu.

    On a cold start JupyterLab can show the menu before the notebook is ready, and the
    click is then ignored; so we check that cells started running and retry if not.
    """
    page.goto(f"{lab.url}/lab/tree/{notebook}?reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    # The status bar reads "No Kernel | Initializing" until the kernel is connected.
    page.wait_for_selector(".jp-StatusBar-Widget:has-text('| Idle')", timeout=90_000)
    started = ".jp-Notebook .jp-InputPrompt:text-matches('\\[(\\*|\\d+)\\]')"
    for attempt in range(4):
        page.locator(".jp-Notebook .jp-Cell").first.click()
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            page.wait_for_selector(started, timeout=20_000)
            return
        except Exception:
            page.keyboard.press("Escape")
    raise AssertionError(f"Run All Cells never started {notebook}: no cell got an execution count")


def check_chart_and_widget(page) -> tuple[str, str]:
    """The altair chart drew (canvas or svg) and the slider changes the summary line."""
    chart = page.locator(".jp-OutputArea-output .vega-embed").first
    chart.wait_for(timeout=90_000)
    page.wait_for_selector(".vega-embed canvas, .vega-embed svg", timeout=60_000)
    assert page.locator(".vega-embed canvas, .vega-embed svg").count() >= 1
    slider = page.locator(".widget-slider .noUi-handle").first
    slider.wait_for(timeout=60_000)
    slider.scroll_into_view_if_needed()
    summary = page.locator(".widget-html").first
    before = summary.inner_text()
    assert "half hours met" in before
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([sel, old]) => { const e = document.querySelector(sel); return e && e.innerText !== old; }",
        arg=[".widget-html", before], timeout=30_000)
    after = summary.inner_text()
    assert after != before
    return before, after


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


@pytest.fixture(autouse=True)
def _show_server_log_on_failure(request, lab):
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(f"--- JupyterLab log ({lab.log}) ---\n{lab.log.read_text()[-4000:]}")
