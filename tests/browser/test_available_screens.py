"""Lesson 14 (3A Available) in a real browser, with the internet blocked: the charts draw,
and the promise tracker takes a new promise and marks one done, its summary following."""
from __future__ import annotations

from lab_ui import open_and_run_all

AVAILABLE = "course/14-keep-your-promises.ipynb"
SUMMARY = ".callcoach-tracker-summary"
# the summary's text, read whether or not JupyterLab has laid the cell out yet
READ = f"() => (document.querySelector('{SUMMARY}') || {{}}).textContent || ''"


def _wait_for_message(page, words: str, timeout: int = 30_000) -> None:
    page.wait_for_function(
        "([w]) => ((document.querySelector('.callcoach-tracker-message') || {}).textContent || '').includes(w)",
        arg=[words], timeout=timeout)


def _wait_for_change(page, old: str, timeout: int = 30_000) -> str:
    page.wait_for_function(f"([old]) => {{ const t = ({READ})(); return t && t !== old; }}",
                           arg=[old], timeout=timeout)
    return page.evaluate(READ)


def test_promise_tracker_takes_a_promise_and_marks_one_done_offline(new_context, lab, screenshot):
    context = new_context(offline=True)
    page = context.new_page()
    open_and_run_all(page, lab, AVAILABLE)
    tracker = page.locator(".callcoach-promise-tracker").first
    tracker.wait_for(state="attached", timeout=180_000)
    tracker.scroll_into_view_if_needed()
    page.wait_for_function(f"() => ({READ})().includes('open')", timeout=60_000)
    before = page.evaluate(READ)
    assert "Kept on time" in before, before
    open_before = int(before.split(" open")[0])

    # add a promise: a customer, the default kind and due time, then "Add promise"
    page.locator(".callcoach-tracker-customer input").fill("Ms Chen (browser test)")
    page.locator("button.callcoach-tracker-add").click()
    added = _wait_for_change(page, before)
    assert int(added.split(" open")[0]) == open_before + 1, (before, added)
    _wait_for_message(page, "Added promise")
    options = page.locator(".callcoach-tracker-open select option")
    labels = [t.replace("\xa0", " ") for t in options.all_text_contents()]   # the widget shows spaces as nbsp
    assert any("Ms Chen (browser test)" in t for t in labels), labels

    # mark the first open promise (the earliest due: an overdue one) done
    page.locator(".callcoach-tracker-open select").select_option(index=0)
    page.locator("button.callcoach-tracker-done").click()
    done = _wait_for_change(page, added)
    assert int(done.split(" open")[0]) == open_before, (added, done)
    _wait_for_message(page, "done")

    page.wait_for_function("() => document.querySelectorAll('.vega-embed canvas, .vega-embed svg').length >= 6",
                           timeout=120_000)
    errors = page.locator(".jp-OutputArea-output", has_text="Error loading script").count()
    assert errors == 0, "a chart tried to load its JavaScript from the internet"
    tracker.scroll_into_view_if_needed()
    screenshot(tracker, "promise-tracker")
