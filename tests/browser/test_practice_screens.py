"""Lesson 15 in a real browser, with no internet: the transcripts and charts draw, and a
learner fills in the personal 3A plan form, saves it, and finds the file next to the notebook.

nbval proves the kernel side of ``course/15-put-3a-into-practice.ipynb`` (and that the
lesson itself saves nothing); this test proves what a learner sees, types and clicks.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lab_ui import open_and_run_all

KIT = Path(__file__).resolve().parents[2]
LESSON = "course/15-put-3a-into-practice.ipynb"
PLAN = KIT / "course" / "my-3a-plan.md"   # the kernel runs in the notebook's folder
FORM = ".callcoach-plan-form"
STATUS = f"{FORM} .callcoach-plan-status"
# textContent, not innerText: JupyterLab may not lay out cells scrolled out of view.
CHANGED = ("([sel, old]) => { const e = document.querySelector(sel); "
           "return e && e.textContent.trim() !== '' && e.textContent !== old; }")


@pytest.fixture
def no_plan_left(tmp_path):
    """Keep a plan a person saved while trying the lesson; remove the one this test writes."""
    kept = tmp_path / "kept-plan.md"
    if PLAN.exists():
        shutil.move(PLAN, kept)
    yield
    PLAN.unlink(missing_ok=True)
    if kept.exists():
        shutil.move(kept, PLAN)


def test_learner_saves_a_personal_3a_plan_from_the_lesson(new_context, lab, screenshot, no_plan_left):
    context = new_context(offline=True)
    page = context.new_page()
    open_and_run_all(page, lab, LESSON)

    # Run All reached the last cell: the form is there.
    form = page.locator(FORM)
    form.wait_for(timeout=120_000)
    assert page.locator(".jp-OutputArea-output:has-text('Traceback')").count() == 0
    assert page.locator(".jp-OutputArea-output", has_text="Error loading script").count() == 0

    # The worked calls and the browser draw as chats, with 3A tags.
    assert page.locator(".callcoach-transcript").count() >= 4
    owner = page.locator(".callcoach-transcript").first
    assert "积极性" in owner.text_content()
    owner.scroll_into_view_if_needed()
    screenshot(owner, "practice-owner-call")
    browser = page.locator(".callcoach-transcript-browser")
    browser.scroll_into_view_if_needed()
    assert "transcripts" in browser.text_content()
    screenshot(browser, "practice-transcript-browser")
    # Choosing another call shows that call's transcript.
    shown_call = browser.locator(".callcoach-transcript").first.text_content()
    browser.locator("select").nth(1).select_option(index=1)
    page.wait_for_function(
        "([old]) => { const t = document.querySelector('.callcoach-transcript-browser .callcoach-transcript');"
        " return t && t.textContent !== old; }", arg=[shown_call], timeout=30_000)
    page.wait_for_function("() => document.querySelectorAll('.vega-embed canvas, .vega-embed svg').length >= 2",
                           timeout=60_000)
    for n, name in enumerate(("practice-moments-chart", "practice-outcomes-chart")):
        chart = page.locator(".vega-embed").nth(n)
        chart.scroll_into_view_if_needed()
        screenshot(chart, name)

    # An empty form is not saved, and says why.
    form.scroll_into_view_if_needed()
    before = page.locator(STATUS).text_content()
    assert "Nothing saved yet" in before
    form.locator("button", has_text="Save my plan").click()
    page.wait_for_function(CHANGED, arg=[STATUS, before], timeout=30_000)
    assert "Not saved yet" in page.locator(STATUS).text_content()
    assert not PLAN.exists()

    # The learner fills it in and saves.
    form.locator(".callcoach-plan-agent input").fill("Ana Lee")
    form.locator(".callcoach-plan-coach input").fill("Wen")
    goals = {"active": ("E-mail the bill breakdown on every bill query", "45"),
             "action": ("Raise a ticket for every new defect I confirm", "90"),
             "available": ("Close every promise by its due time", "95%")}
    for a, (goal, target) in goals.items():
        form.locator(f".callcoach-plan-{a}-goal textarea").fill(goal)
        form.locator(f".callcoach-plan-{a}-target input").fill(target)
    before = page.locator(STATUS).text_content()
    form.locator("button", has_text="Save my plan").click()
    page.wait_for_function(CHANGED, arg=[STATUS, before], timeout=30_000)
    status = page.locator(STATUS).text_content()
    assert "✓ Saved your plan in my-3a-plan.md" in status, status
    text = PLAN.read_text(encoding="utf-8")
    assert "# My 3A plan — Ana Lee" in text and "- **Coach:** Wen" in text
    assert "- **Goal:** Close every promise by its due time" in text and "- **Target:** 95%" in text
    page.locator(STATUS).scroll_into_view_if_needed()
    screenshot(form, "practice-plan-saved")

    # Saving again after a change updates the same file.
    form.locator(".callcoach-plan-active-target input").fill("50")
    before = page.locator(STATUS).text_content()
    form.locator("button", has_text="Save my plan").click()
    page.wait_for_function(CHANGED, arg=[STATUS, before], timeout=30_000)
    assert "✓ Updated your plan" in page.locator(STATUS).text_content()
    assert "- **Target:** 50%" in PLAN.read_text(encoding="utf-8")
    assert not [u for u in context.blocked if "cdn" in u or "jsdelivr" in u], context.blocked[:3]
