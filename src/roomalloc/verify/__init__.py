"""Checking and scoring an allocation, independently of the solver.

:mod:`~roomalloc.verify.verifier` (:func:`roomalloc.check`) tests every hard rule with its own
code, never the solver's model; :mod:`~roomalloc.verify.evaluation`
(:func:`roomalloc.evaluate`) recomputes the objective and each term from the allocation alone;
:mod:`~roomalloc.verify.violations` is what a broken rule reports. Nothing here imports the
solver or OR-Tools.
"""
