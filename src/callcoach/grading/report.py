"""Cohort results: the grades table, the CSV export and the HTML report.

The gradebook is the source of truth for scores; ``reports/<exercise>/grading-log.jsonl``
(written by :mod:`callcoach.grading.cohort`) adds the learners set aside and the notes.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

import nbformat
import pandas as pd

from . import cohort, contract
from .course import Course


def question_order(course: Course, exercise: str) -> list[str]:
    """Graded cells (``grade_id``) in notebook order: autograded tests and written answers."""
    ids = []
    for name in course.notebook_names(exercise):
        nb = nbformat.read(course.exercises_dir / exercise / name, as_version=4)
        ids += [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade")]
    return ids


def cohort_table(course: Course, exercise: str) -> pd.DataFrame:
    """One row per learner: status, each question's score, total, and what still waits.

    Returns columns ``student``, ``status`` (graded / set aside / not graded), one column
    per ``grade_id`` (points; empty when not graded or not yet hand-graded), ``total``,
    ``max_total``, ``auto_total``, ``auto_max``, ``waiting_hand_grading`` (grade_ids still
    to mark in formgrader), ``reason`` (why set aside) and ``notes``.
    """
    from nbgrader.api import Gradebook, MissingEntry

    order = question_order(course, exercise)
    log = cohort.read_log(course, exercise)
    rows: dict[str, dict] = {}
    with Gradebook(course.db_url) as gb:
        try:
            assignment = gb.find_assignment(exercise)
            submissions = list(assignment.submissions)
        except MissingEntry:
            submissions = []
        for sub in submissions:
            row = {"student": sub.student.id, "status": "graded"}
            total = max_total = auto_total = auto_max = 0.0
            waiting = []
            for nb in sub.notebooks:
                for g in nb.grades:
                    row[g.name] = g.score if (g.auto_score is not None or g.manual_score is not None) else None
                    max_total += g.max_score
                    total += g.score or 0
                    if g.cell_type == "code":
                        auto_total += g.auto_score or 0
                        auto_max += g.max_score
                    if g.needs_manual_grade:
                        waiting.append(g.name)
            row.update(total=total, max_total=max_total, auto_total=auto_total, auto_max=auto_max,
                       waiting_hand_grading=" ".join(waiting))
            rows[row["student"]] = row
    for student in cohort.students(course, exercise):
        if student not in rows:
            rows[student] = {"student": student, "status": "not graded"}
    for student, o in log.items():
        row = rows.setdefault(student, {"student": student, "status": "not graded"})
        if o.status == cohort.SET_ASIDE:
            row["status"] = cohort.SET_ASIDE
            row["reason"] = o.reason
        row["notes"] = "; ".join(o.notes)
    cols = ["student", "status", *order, "total", "max_total", "auto_total", "auto_max",
            "waiting_hand_grading", "reason", "notes"]
    df = pd.DataFrame(list(rows.values()), columns=cols).sort_values("student", ignore_index=True)
    df["reason"] = df["reason"].fillna("")
    df["notes"] = df["notes"].fillna("")
    df["waiting_hand_grading"] = df["waiting_hand_grading"].fillna("")
    return df


def export_csv(course: Course, exercise: str, path: Path) -> pd.DataFrame:
    """Write the cohort table (one row per learner, one column per question) to CSV."""
    df = cohort_table(course, exercise)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False)
    return df


def misconception_hits(course: Course, exercise: str) -> pd.DataFrame:
    """Which catalogued misconceptions each graded learner's failing tests show.

    A hit is a failing test cell whose error message contains the misconception's message
    (``misconceptions.toml``). Returns columns ``student``, ``misconception``,
    ``question``, ``learners_say``.
    """
    mcs = contract.load_misconceptions(course.exercises_dir / exercise)
    rows = []
    for folder in sorted(course.autograded_dir.glob(f"*/{exercise}")):
        student = folder.parent.name
        text = []
        for path in folder.glob("*.ipynb"):
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                if not cell.metadata.get("nbgrader", {}).get("grade"):
                    continue
                for out in cell.get("outputs", []):
                    # the assertion message only: a traceback also quotes the test's source
                    if out.get("output_type") == "error":
                        text.append(out.get("evalue", ""))
        blob = "\n".join(text)
        for mc in mcs:
            if mc.message in blob:
                rows.append({"student": student, "misconception": mc.id, "question": mc.question,
                             "learners_say": mc.learners_say})
    return pd.DataFrame(rows, columns=["student", "misconception", "question", "learners_say"])


def _vega_bundle() -> str:
    import vl_convert as vlc
    from altair.utils._importers import vl_version_for_vl_convert

    return vlc.javascript_bundle(vl_version=vl_version_for_vl_convert())


def _charts(df: pd.DataFrame, order: list[str], hits: pd.DataFrame, pass_mark: float) -> list[tuple[str, dict]]:
    import altair as alt

    graded = df[df["status"] == "graded"].copy()
    charts = []
    if len(graded):
        graded["percent"] = 100 * graded["auto_total"] / graded["auto_max"].where(graded["auto_max"] > 0)
        mean = graded["percent"].mean()
        hist = alt.Chart(graded).mark_bar().encode(
            x=alt.X("percent:Q", bin=alt.Bin(extent=[0, 100], step=10), title="autograded score (%)"),
            y=alt.Y("count():Q", title="learners"),
        ).properties(title=f"Autograded scores: mean {mean:.0f}% over {len(graded)} learners",
                     width=420, height=220)
        rule = alt.Chart(pd.DataFrame({"x": [100 * pass_mark]})).mark_rule(color="firebrick").encode(x="x:Q")
        charts.append(("scores", (hist + rule).to_dict()))
        auto_ids = [q for q in order if q in graded and graded[q].notna().any()
                    and not graded["waiting_hand_grading"].str.contains(q).any()]
        rates = []
        for q in auto_ids:
            col = graded[q]
            full = col.max() if col.notna().any() else 0
            rates.append({"question": q, "pass rate": float((col >= full).mean()) if full else 0.0})
        if rates:
            rdf = pd.DataFrame(rates)
            worst = rdf.sort_values("pass rate").iloc[0]
            bar = alt.Chart(rdf).mark_bar().encode(
                x=alt.X("pass rate:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]),
                        title="learners with full points (%)"),
                y=alt.Y("question:N", sort=auto_ids, title="check (grade_id)"),
            ).properties(title=f"Hardest check: {worst['question']} ({worst['pass rate']:.0%} passed)",
                         width=420)
            charts.append(("questions", bar.to_dict()))
    if len(hits):
        counts = hits.groupby("misconception").size().reset_index(name="learners")
        top = counts.sort_values("learners", ascending=False).iloc[0]
        mc = alt.Chart(counts).mark_bar(color="darkorange").encode(
            x=alt.X("learners:Q", title="learners whose checks show it", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("misconception:N", sort="-x", title="catalogued misconception"),
        ).properties(title=f"Most common misconception: {top['misconception']} ({top['learners']} learners)",
                     width=420)
        charts.append(("misconceptions", mc.to_dict()))
    return charts


def _table(df: pd.DataFrame, empty: str) -> str:
    if df.empty:
        return f"<p class='empty'>{html.escape(empty)}</p>"
    return df.to_html(index=False, na_rep="", escape=True, border=0, classes="tbl")


def attention(df: pd.DataFrame, pass_mark: float) -> pd.DataFrame:
    """Learners to follow up: set aside, below the pass mark, or with grading notes."""
    share = df["auto_total"] / df["auto_max"].where(df["auto_max"] > 0)
    low = (df["status"] == "graded") & (share < pass_mark)
    why = pd.Series("", index=df.index)
    why[low] = [f"autograded score {s:.0%} is below the pass mark {pass_mark:.0%}" for s in share[low]]
    aside = df["status"] == cohort.SET_ASIDE
    why[aside] = "submission set aside: " + df.loc[aside, "reason"]
    noted = (df["notes"] != "") & ~aside
    why[noted] = (why[noted] + "; ").str.lstrip("; ") + df.loc[noted, "notes"]
    out = df.loc[why != "", ["student", "status", "auto_total", "auto_max"]].copy()
    out["why"] = why[why != ""]
    return out


def write_report(course: Course, exercise: str, path: Path, *, pass_mark: float = 0.6) -> dict:
    """Write a self-contained HTML cohort report (charts work offline); return its numbers."""
    if not 0 < pass_mark <= 1:
        raise ValueError(f"The 'pass_mark' parameter of write_report must be a fraction in (0, 1]. Got {pass_mark} instead.")
    df = cohort_table(course, exercise)
    order = question_order(course, exercise)
    hits = misconception_hits(course, exercise)
    charts = _charts(df, order, hits, pass_mark)
    need = attention(df, pass_mark)
    aside = df.loc[df["status"] == cohort.SET_ASIDE, ["student", "reason"]]
    waiting = df.loc[df["waiting_hand_grading"] != "", ["student", "waiting_hand_grading"]]
    mc_table = (hits.groupby(["misconception", "question", "learners_say"]).student
                .agg(learners="count", who=lambda s: ", ".join(sorted(s))).reset_index()
                .sort_values("learners", ascending=False) if len(hits) else hits)
    graded = int((df["status"] == "graded").sum())
    summary = (f"{len(df)} learners: {graded} graded, {len(aside)} set aside, "
               f"{int((df['status'] == 'not graded').sum())} not graded yet; {len(need)} need attention; "
               f"{len(waiting)} with written answers waiting in formgrader")
    divs = "\n".join(f"<div id='chart-{name}' class='chart'></div>" for name, _ in charts)
    embeds = "\n".join(f"vegaEmbed('#chart-{name}', {json.dumps(spec)}, {{actions: false}}).catch(console.error);"
                       for name, spec in charts)
    table = df.drop(columns=["reason"]).copy()
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(exercise)} — cohort report</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; max-width: 1100px; color: #222; }}
h1 {{ font-size: 1.5em; }} h2 {{ font-size: 1.15em; margin-top: 2em; }}
.tbl {{ border-collapse: collapse; font-size: 0.9em; }}
.tbl th, .tbl td {{ border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 2em; }} .empty {{ color: #666; }}
</style>
<script type="text/javascript">
{_vega_bundle()}
</script></head>
<body>
<h1>{html.escape(exercise)} — cohort report</h1>
<p id="summary">{html.escape(summary)}</p>
<div class="charts">{divs}</div>
<h2>Learners needing attention</h2>
{_table(need, "Nobody: every learner is graded and at or above the pass mark.")}
<h2>Set-aside submissions</h2>
<p>Not graded; fix the cause (usually: ask the learner to resubmit), then run <code>callcoach grade {html.escape(exercise)}</code> again.</p>
{_table(aside, "None.")}
<h2>Catalogued misconceptions most often hit</h2>
{_table(mc_table, "No failing check showed a catalogued misconception.")}
<h2>Written answers waiting in formgrader</h2>
<p>Mark them in JupyterLab: Nbgrader → Formgrader → Manual Grading.</p>
{_table(waiting, "None: every written answer is marked.")}
<h2>All learners</h2>
{_table(table, "No submissions yet.")}
<script type="text/javascript">
{embeds}
</script>
</body></html>
"""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return {"summary": summary, "learners": len(df), "graded": graded, "set_aside": len(aside),
            "attention": len(need), "waiting": len(waiting), "misconceptions": len(mc_table),
            "charts": [name for name, _ in charts]}
