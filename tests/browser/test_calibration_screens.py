"""The calibration lesson in a real browser, with no internet: the facilitator's charts
draw, and a score submitted through the form reaches the store and the facilitator's view.

nbval proves the kernel side of ``course/31-run-a-calibration-session.ipynb``; this test
proves what an evaluator and a facilitator see and click.
"""
from __future__ import annotations

from lab_ui import open_and_run_all

LESSON = "course/31-run-a-calibration-session.ipynb"
FORM = ".callcoach-scoring-form"
VIEW = ".callcoach-facilitator"
# textContent, not innerText: JupyterLab may not lay out cells scrolled out of view.
CHANGED = ("([sel, old]) => { const e = document.querySelector(sel); "
           "return e && e.textContent.trim() !== '' && e.textContent !== old; }")


def test_calibration_lesson_draws_the_facilitator_view_and_takes_a_submitted_score(
        new_context, lab, screenshot):
    context = new_context(offline=True)
    page = context.new_page()
    open_and_run_all(page, lab, LESSON)

    # The facilitator's charts drew (the JavaScript came from the kit, not a CDN).
    page.wait_for_selector(f"{VIEW} .vega-embed canvas, {VIEW} .vega-embed svg", timeout=90_000)
    page.wait_for_function(
        f"document.querySelectorAll('{VIEW} .vega-embed canvas, {VIEW} .vega-embed svg').length >= 4",
        timeout=60_000)
    # Run All finished: the last code cell (the on-the-spot check) has its feedback.
    page.wait_for_selector(".jp-OutputArea-output:has-text('Replace the')", timeout=60_000)
    assert page.locator(".jp-OutputArea-output", has_text="Error loading script").count() == 0
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert page.locator(".jp-OutputArea-output:has-text('Traceback')").count() == 0

    summary_sel = f"{VIEW} .callcoach-facilitator-summary"
    page.locator(summary_sel).scroll_into_view_if_needed()
    summary_before = page.locator(summary_sel).text_content()
    assert "24 of 30 call scores are in" in summary_before, summary_before

    # An evaluator scores call C-301: one click per scorecard row, then Submit.
    form = page.locator(FORM)
    form.scroll_into_view_if_needed()
    rows = form.locator(".widget-toggle-buttons")
    assert rows.count() == 9
    for i in range(rows.count()):
        rows.nth(i).locator("button").nth(1).click()   # the second choice: 1 on 0-2, "no" on yes/no
    status_sel = f"{FORM} .callcoach-form-status"
    status_before = page.locator(status_sel).text_content()
    assert "Scored 0 of 6" in status_before
    form.locator("button", has_text="Submit scores").click()
    page.wait_for_function(CHANGED, arg=[status_sel, status_before], timeout=30_000)
    assert "Scored 1 of 6" in page.locator(status_sel).text_content()
    message = form.locator(".callcoach-form-message").text_content()
    assert "Saved your scores for call C-301" in message, message
    form.locator(".callcoach-form-message").scroll_into_view_if_needed()
    screenshot(page, "calibration-form-submitted")
    form.locator(".callcoach-form-status").scroll_into_view_if_needed()
    screenshot(page, "calibration-form-top")

    # The facilitator presses Refresh and sees the new score arrive.
    view = page.locator(VIEW)
    view.locator("button", has_text="Refresh").click()
    page.wait_for_function(CHANGED, arg=[summary_sel, summary_before], timeout=30_000)
    assert "25 of 30 call scores are in" in page.locator(summary_sel).text_content()
    progress_chart = page.locator(f"{VIEW} .callcoach-chart-progress .vega-embed")
    progress_chart.scroll_into_view_if_needed()
    page.wait_for_selector(f"{VIEW} .callcoach-chart-progress .vega-embed :is(canvas, svg)", timeout=30_000)
    screenshot(page, "calibration-facilitator-progress")
    page.locator(summary_sel).scroll_into_view_if_needed()
    screenshot(page, "calibration-facilitator-view")
    assert not [u for u in context.blocked if "cdn" in u or "jsdelivr" in u], context.blocked[:3]
