"""The trainer's grading workflow around nbgrader.

:mod:`callcoach.grading.contract` checks the exercise contract: every autograded test
fails on the blank release, passes on the solution and fails on each catalogued
misconception with a message that teaches.
"""
