"""Feedback that teaches without giving the answer away.

nbgrader's feedback HTML shows each autograded cell with its outputs. For a cell with
hidden tests that failed, the output is a Python traceback, and a traceback quotes the
failing lines of code: the hidden check's logic (how the expected value is computed) would
reach the learner. :class:`HideHiddenTestCode` cuts such tracebacks down to the error's
type and message — the message is written for the learner — before nbgrader's
``ClearHiddenTests`` removes the hidden code itself. ``grading/nbgrader_config.py`` puts
both in ``GenerateFeedback.preprocessors``.
"""
from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

HIDDEN_MARKER = "BEGIN HIDDEN TESTS"


class HideHiddenTestCode(Preprocessor):
    """Replace the traceback of a failed hidden-test cell with ``Type: message``.

    Examples
    --------
    >>> import nbformat
    >>> from nbformat.v4 import new_code_cell, new_notebook, new_output
    >>> cell = new_code_cell("### BEGIN HIDDEN TESTS\\nassert x == secret(), 'Try again'\\n### END HIDDEN TESTS")
    >>> cell.outputs = [new_output("error", ename="AssertionError", evalue="Try again",
    ...                            traceback=["...", "assert x == secret(), 'Try again'"])]
    >>> nb, _ = HideHiddenTestCode().preprocess(new_notebook(cells=[cell]), {})
    >>> nb.cells[0].outputs[0].traceback
    ['AssertionError: Try again']
    """

    # nbconvert registers configured preprocessors disabled unless they say otherwise.
    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and HIDDEN_MARKER in cell.source:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
