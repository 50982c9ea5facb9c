"""The ``callcoach`` command: the trainer's grading workflow around nbgrader.

Run it from the kit's folder (or pass ``--course grading``)::

    callcoach release                     # learner versions of every exercise
    callcoach check-exercises             # the exercise contract, in a scratch copy
    callcoach collect ex21-service-level ~/Downloads/submissions.zip --pattern canvas
    callcoach grade ex21-service-level    # parallel, sandboxed, resumable autograde
    callcoach feedback ex21-service-level
    callcoach export ex21-service-level   # grading/export/ex21-service-level.csv
    callcoach report ex21-service-level   # grading/reports/ex21-service-level.html
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import click

from callcoach.grading.course import Course, find_course


def _course(ctx: click.Context) -> Course:
    try:
        return find_course(ctx.obj.get("course"))
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc


def _exercises(course: Course, names: tuple[str, ...]) -> list[str]:
    if not names:
        return course.exercises()
    known = course.exercises()
    unknown = [n for n in names if n not in known]
    if unknown:
        raise click.BadParameter(f"No exercise {unknown} in {course.exercises_dir}. Expected some of {known}.",
                                 param_hint="EXERCISE")
    return list(names)


def _one_exercise(course: Course, name: str) -> str:
    return _exercises(course, (name,))[0]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--course", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The nbgrader course root (the kit's grading/ folder). Default: found from "
                   "the current folder, or $CALLCOACH_COURSE.")
@click.pass_context
def main(ctx: click.Context, course: Path | None) -> None:
    """Release, collect, grade and report on callcoach exercises (around nbgrader)."""
    ctx.ensure_object(dict)
    ctx.obj["course"] = course


# -- release ---------------------------------------------------------------------------
@main.command()
@click.argument("exercises", nargs=-1)
@click.pass_context
def release(ctx: click.Context, exercises: tuple[str, ...]) -> None:
    """Generate the learner version of EXERCISES (default: all) into release/.

    Refuses (exit code 1, the release folder removed) when a release would hold a
    solution, a hidden test or a trainer-only file (misconceptions, ground truth).
    """
    from tqdm.auto import tqdm

    from callcoach.grading.contract import release_problems

    course = _course(ctx)
    names = _exercises(course, exercises)
    bad = {}
    t0 = time.monotonic()
    for ex in tqdm(names, desc="releasing", unit="exercise", disable=len(names) < 2):
        course.nbgrader("generate_assignment", ex, "--force", "--log-level=WARN")
        problems = release_problems(course.release_dir(ex))
        if problems:
            bad[ex] = problems
            shutil.rmtree(course.release_dir(ex), ignore_errors=True)
    for ex, problems in bad.items():
        for p in problems:
            click.echo(f"REFUSED {ex}: release/{ex}/{p}", err=True)
    ok = len(names) - len(bad)
    click.echo(f"released {ok} of {len(names)} exercise(s) into {course.root / 'release'} "
               f"in {time.monotonic() - t0:.1f} s" + (f"; refused {sorted(bad)}" if bad else ""))
    if bad:
        ctx.exit(1)


# -- check-exercises -------------------------------------------------------------------
@main.command("check-exercises")
@click.argument("exercises", nargs=-1)
@click.pass_context
def check_exercises(ctx: click.Context, exercises: tuple[str, ...]) -> None:
    """Prove the exercise contract for EXERCISES (default: all) in a scratch copy.

    The solution gets full marks, the blank release zero, each catalogued misconception
    less than full marks with its message in the feedback, and the release holds nothing
    trainer-only. Prints a table; exit code 1 on any breach.
    """
    from tqdm.auto import tqdm

    from callcoach.grading import contract

    course = _course(ctx)
    names = _exercises(course, exercises)
    t0 = time.monotonic()
    rows, breaches = [], 0
    with tempfile.TemporaryDirectory(prefix="callcoach-check-") as tmp:
        scratch = contract.copy_course(course.root.parent, Path(tmp))
        # copy_course takes the kit; make sure the copy reads this course's config and sources
        shutil.copy2(course.root / "nbgrader_config.py", scratch / "nbgrader_config.py")
        if course.exercises_dir != course.root.parent / "exercises":
            shutil.rmtree(scratch.parent / "exercises")
            shutil.copytree(course.exercises_dir, scratch.parent / "exercises")
        for ex in tqdm(names, desc="checking", unit="exercise"):
            res = contract.run_round_trip(scratch, ex)
            full = res.max_total
            rows.append((ex, "release", "clean" if not res.release_problems else "; ".join(res.release_problems),
                         not res.release_problems))
            sol = res.total(contract.SOLUTION_STUDENT)
            rows.append((ex, "solution", f"{sol:g}/{full:g}", full > 0 and sol == full))
            blank = res.total(contract.BLANK_STUDENT)
            rows.append((ex, "blank release", f"{blank:g}/{full:g}", blank == 0))
            for mc in res.misconceptions:
                got = res.total(mc.student)
                shown = mc.message in res.feedback.get(mc.student, "")
                rows.append((ex, f"misconception {mc.id}",
                             f"{got:g}/{full:g}, message {'shown' if shown else 'MISSING'}",
                             got < full and shown))
    width = max(len(r[1]) for r in rows) if rows else 10
    exw = max(len(r[0]) for r in rows) if rows else 10
    click.echo(f"{'exercise':<{exw}}  {'check':<{width}}  {'result':<40}  ok")
    for ex, check, result, ok in rows:
        breaches += not ok
        click.echo(f"{ex:<{exw}}  {check:<{width}}  {result:<40}  {'ok' if ok else 'BREACH'}")
    click.echo(f"checked {len(names)} exercise(s): {len(rows) - breaches} checks passed, "
               f"{breaches} breached, in {time.monotonic() - t0:.1f} s")
    if breaches:
        ctx.exit(1)


# -- collect ---------------------------------------------------------------------------
@main.command()
@click.argument("exercise")
@click.argument("source", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--pattern", default="plain", show_default=True,
              help="How file names give the learner: plain (<student>_<anything>.ipynb), canvas, "
                   "moodle, folders (<student>/<file>.ipynb), or a regular expression with a "
                   "(?P<student>...) group matched against the path inside SOURCE.")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file of learner ids (one per line or a CSV's first column); anyone else "
                   "is reported, not collected.")
@click.option("--exchange", is_flag=True, help="Collect from nbgrader's exchange (nbgrader collect) "
                                               "instead of a folder or zip.")
@click.pass_context
def collect(ctx: click.Context, exercise: str, source: Path | None, pattern: str,
            roster: Path | None, exchange: bool) -> None:
    """Put learners' notebooks for EXERCISE into submitted/<student>/<exercise>/.

    SOURCE is a folder or a .zip downloaded from a learning-management system. Files
    whose learner cannot be told for sure (no pattern match, not on the roster, two
    notebooks for one learner) are listed and skipped, never guessed; exit code 1 then.
    """
    from callcoach.grading import collect as col

    course = _course(ctx)
    exercise = _one_exercise(course, exercise)
    if exchange:
        if source is not None:
            raise click.UsageError("Give either SOURCE or --exchange, not both.")
        log = col.collect_exchange(course, exercise)
        click.echo(log)
        click.echo(f"{exercise}: collected from the exchange into {course.submitted_dir}")
        return
    if source is None:
        raise click.UsageError("Give SOURCE (a folder or .zip of submissions) or --exchange.")
    try:
        ids = col.read_roster(roster) if roster else None
        res = col.collect_lms(course, exercise, source, pattern=pattern, roster=ids)
    except (ValueError, FileNotFoundError, KeyError) as exc:
        raise click.ClickException(str(exc)) from exc
    for student, src in sorted(res.collected.items()):
        click.echo(f"collected      {student:<24} {src}")
    for src in res.unmatched:
        click.echo(f"NOT MATCHED    {src}  (no learner id by the pattern {pattern!r})")
    for student, src in sorted(res.not_on_roster.items()):
        click.echo(f"NOT ON ROSTER  {student:<24} {src}")
    for student, srcs in sorted(res.duplicates.items()):
        click.echo(f"DUPLICATE      {student:<24} {' | '.join(srcs)}  (keep one and collect again)")
    for src in res.ignored:
        click.echo(f"ignored        {src}  (not a notebook)")
    click.echo(res.line(exercise))
    if res.problems:
        ctx.exit(1)


# -- grade -----------------------------------------------------------------------------
@main.command()
@click.argument("exercise")
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes grading at once. Default: the machine's cores.")
@click.option("--timeout", type=click.IntRange(min=1), default=60, show_default=True,
              help="Seconds each cell of a learner's notebook may run.")
@click.option("--memory-mb", type=click.IntRange(min=256), default=2048, show_default=True,
              help="Memory (address space, MiB) a learner's code may use.")
@click.option("--isolation", type=click.Choice(["auto", "bwrap", "limits"]), default="auto",
              show_default=True, help="auto: bubblewrap sandbox when it works, else limits only; "
                                      "bwrap: refuse to grade without it; limits: resource limits only.")
@click.option("--student", "students", multiple=True, help="Grade only this learner (repeatable).")
@click.option("--force", is_flag=True, help="Regrade learners already graded or set aside.")
@click.option("--keep-scratch", is_flag=True, help="Keep the scratch courses (for debugging).")
@click.pass_context
def grade(ctx: click.Context, exercise: str, workers: int | None, timeout: int, memory_mb: int,
          isolation: str, students: tuple[str, ...], force: bool, keep_scratch: bool) -> None:
    """Autograde every submission of EXERCISE in parallel, sandboxed and resumably.

    Each worker grades learner after learner in a scratch course of its own, the learner's
    code sandboxed; only this process writes the gradebook. Learners already graded with
    the same submission are skipped (run again after an interruption to finish); a
    resubmission is graded again, its earlier grade kept in reports/<exercise>/previous/.
    A submission that cannot be graded is set aside with its reason. Exit code 0 even
    with set-asides (see `callcoach report`).
    """
    from callcoach.grading import cohort

    course = _course(ctx)
    exercise = _one_exercise(course, exercise)
    try:
        summary = cohort.grade_cohort(course, exercise, workers=workers, timeout=timeout,
                                      memory_mb=memory_mb, isolation=isolation, force=force,
                                      only=list(students) or None, keep_scratch=keep_scratch)
    except (RuntimeError, KeyError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted: learners finished so far are saved; run `callcoach grade {exercise}` "
                   "again to grade the rest.", err=True)
        ctx.exit(130)
    for o in summary.outcomes:
        if o.resumed:
            continue
        if o.status == cohort.SET_ASIDE:
            click.echo(f"SET ASIDE  {o.student:<24} {o.reason}")
        elif o.notes:
            click.echo(f"graded     {o.student:<24} {o.score:g}/{o.max_score:g}  note: {'; '.join(o.notes)}")
    if summary.isolation != "bwrap":
        click.echo("warning: learner code ran with resource limits only (no bubblewrap): it could read "
                   "files this account can read. Install bubblewrap (apt-get install bubblewrap).", err=True)
    click.echo(summary.line())


# -- feedback, export, report ----------------------------------------------------------
@main.command()
@click.argument("exercise")
@click.option("--student", "students", multiple=True, help="Only this learner (repeatable).")
@click.pass_context
def feedback(ctx: click.Context, exercise: str, students: tuple[str, ...]) -> None:
    """Write HTML feedback for every graded learner into feedback/<student>/<exercise>/."""
    course = _course(ctx)
    exercise = _one_exercise(course, exercise)
    t0 = time.monotonic()
    args = ["generate_feedback", exercise, "--force", "--log-level=WARN"]
    for s in students or [None]:
        course.nbgrader(*args, *( [f"--student={s}"] if s else []))
    pages = sorted(course.feedback_dir.glob(f"*/{exercise}/*.html"))
    learners = {p.parent.parent.name for p in pages}
    click.echo(f"{exercise}: feedback for {len(learners)} learner(s) in {course.feedback_dir} "
               f"in {time.monotonic() - t0:.1f} s")


@main.command()
@click.argument("exercise")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="CSV file to write. Default: export/<exercise>.csv in the course.")
@click.pass_context
def export(ctx: click.Context, exercise: str, output: Path | None) -> None:
    """Write a CSV: one row per learner, one column per question (grade_id), plus totals."""
    from callcoach.grading import report

    course = _course(ctx)
    exercise = _one_exercise(course, exercise)
    output = output or course.root / "export" / f"{exercise}.csv"
    df = report.export_csv(course, exercise, output)
    click.echo(f"{exercise}: {len(df)} learner(s), {len(report.question_order(course, exercise))} "
               f"question column(s) -> {output}")


@main.command()
@click.argument("exercise")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="HTML file to write. Default: reports/<exercise>.html in the course.")
@click.option("--pass-mark", type=click.FloatRange(0, 1, min_open=True), default=0.6, show_default=True,
              help="Autograded share below which a learner needs attention.")
@click.pass_context
def report(ctx: click.Context, exercise: str, output: Path | None, pass_mark: float) -> None:
    """Write a self-contained HTML cohort report (opens offline) with charts and tables."""
    from callcoach.grading import report as rep

    course = _course(ctx)
    exercise = _one_exercise(course, exercise)
    output = output or course.root / "reports" / f"{exercise}.html"
    info = rep.write_report(course, exercise, output, pass_mark=pass_mark)
    click.echo(f"{exercise}: {info['summary']} -> {output}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
