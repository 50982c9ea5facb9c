"""Lets nbgrader — and the formgrader inside JupyterLab — find the course when they are
started from the kit's root (as `make lab` does). The real settings live in
grading/nbgrader_config.py."""
import os

load_subconfig(os.path.join(os.path.dirname(os.path.abspath(__file__)), "grading", "nbgrader_config.py"))  # noqa: F821
