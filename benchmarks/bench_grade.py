"""Grade a generated cohort with `callcoach grade` and with plain sequential nbgrader.

Both runs get the same 40 submissions of one exercise (solutions and catalogued
misconceptions, cycled) in two identical scratch copies of the course, in one script.
Prints seconds per submission for each and the ratio, and checks that both gradebooks
hold the same score for every learner. The machine's load average (before and after)
is printed too: on a shared machine, timings follow what else is running.

Run from the repository root, with the course's own environment:

    .venv/bin/python benchmarks/bench_grade.py              # 40 learners, 2 workers
    .venv/bin/python benchmarks/bench_grade.py --learners 10 --workers 2
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

KIT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(KIT / "src"))

from callcoach.grading import contract  # noqa: E402


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.pop("CALLCOACH_GRADEBOOK_URL", None)
    return env


def make_cohort(course: Path, exercise: str, learners: int) -> None:
    """Release the exercise and write ``learners`` submissions into ``course/submitted``."""
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", exercise, "--force",
                    "--log-level=ERROR"], cwd=course, env=_env(), check=True)
    source = course.parent / "exercises" / exercise
    release = course / "release" / exercise
    variants = [{}] + [{m.question: m.code.strip("\n")} for m in contract.load_misconceptions(source)]
    for i in range(learners):
        target = course / "submitted" / f"learner-{i:03d}" / exercise
        shutil.copytree(release, target)
        for nb_path in sorted(source.glob("*.ipynb")):
            answers = contract.answers_from_source(nbformat.read(nb_path, as_version=4))
            answers.update({k: v for k, v in variants[i % len(variants)].items() if k in answers})
            released = nbformat.read(release / nb_path.name, as_version=4)
            nbformat.write(contract.fill_answers(released, answers), target / nb_path.name)


def scores(course: Path, exercise: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {s.student.id: s.score for s in gb.find_assignment(exercise).submissions}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=40)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--exercise", default="ex21-service-level")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        plain = contract.copy_course(KIT, Path(tmp) / "plain")
        ours = contract.copy_course(KIT, Path(tmp) / "ours")
        for course in (plain, ours):
            make_cohort(course, args.exercise, args.learners)

        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "nbgrader", "autograde", args.exercise, "--log-level=ERROR"],
                       cwd=plain, env=_env(), check=True, capture_output=True)
        t_plain = time.perf_counter() - start

        start = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "callcoach"), "--course", str(ours), "grade",
                        args.exercise, "--workers", str(args.workers)],
                       env=_env(), check=True, capture_output=True)
        t_ours = time.perf_counter() - start

        a, b = scores(plain, args.exercise), scores(ours, args.exercise)
        same = a == b

    n, ratio = args.learners, t_plain / t_ours
    print(f"{'run':<34} {'seconds':>8} {'s/submission':>13}")
    print(f"{'nbgrader autograde (sequential)':<34} {t_plain:>8.1f} {t_plain / n:>13.2f}")
    print(f"{f'callcoach grade (-j {args.workers}, sandboxed)':<34} {t_ours:>8.1f} {t_ours / n:>13.2f}")
    print(f"bench_grade: {n} submissions of {args.exercise}: nbgrader {t_plain / n:.2f} s/submission, "
          f"callcoach {t_ours / n:.2f} s/submission, speed-up {ratio:.2f}x (target 1.8x: "
          f"{'met' if ratio >= 1.8 else 'MISSED'}); same scores in both gradebooks: {same}; "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, {os.cpu_count()} cores")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
