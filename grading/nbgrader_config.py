"""nbgrader configuration for the callcoach course.

The course root is this folder (``grading/``); run nbgrader (or the ``callcoach`` CLI)
from here. Exercise *sources* stay in ``../exercises`` so authors edit them in one place.
Generated folders (release/, submitted/, autograded/, feedback/) and the gradebook are
git-ignored.
"""
import os

c = get_config()  # noqa: F821  (provided by nbgrader when it reads this file)

c.CourseDirectory.course_id = "callcoach"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.source_directory = "../exercises"

# Files that must never travel to learners: catalogued misconceptions (wrong answers
# with the feedback they trigger), trainer-only ground truth, notes for trainers.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback",
    "misconceptions*", "ground_truth*", "TRAINER*", "*.trainer.*",
]

# One gradebook per course; a trainer team can point this at PostgreSQL instead,
# e.g. CALLCOACH_GRADEBOOK_URL=postgresql://user@host/callcoach
c.CourseDirectory.db_url = os.environ.get(
    "CALLCOACH_GRADEBOOK_URL",
    "sqlite:///" + os.path.join(os.path.dirname(os.path.abspath(__file__)), "gradebook.db"),
)

# nbgrader's exchange (release/fetch/submit between trainer and learners on one server or
# a JupyterHub). Default: a folder inside the course root; a hub sets a shared path.
_exchange = os.environ.get("CALLCOACH_EXCHANGE", os.path.join(os.path.dirname(os.path.abspath(__file__)), "exchange"))
os.makedirs(_exchange, mode=0o777, exist_ok=True)
c.Exchange.root = _exchange

# A learner who deletes or duplicates a graded cell still gets graded (nbgrader #1682).
c.OverwriteCells.add_missing_cells = True

# Feedback shows each failed check's message, never the hidden checks' code (which would
# give the answer away): tracebacks of failed hidden checks are cut to "Error: message"
# and hidden-test regions are removed before the HTML is written.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "callcoach.grading.feedback.HideHiddenTestCode",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# Every cell of a learner's notebook gets at most this many seconds while autograding,
# so an infinite loop costs one minute, not the whole cohort run.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
