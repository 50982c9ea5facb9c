"""Steps every browser test takes in JupyterLab: open a notebook, run it, check a chart
and a widget. Import them in a browser test with ``from lab_ui import open_and_run_all``
(``tests/browser`` is on ``sys.path``, see ``pyproject.toml``)."""
from __future__ import annotations


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
