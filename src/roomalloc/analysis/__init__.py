"""What-if analysis: scenarios, comparing allocations, re-allocation with few moves, sweeps.

See ``docs/whatif.md``. :mod:`roomalloc.analysis.scenarios` edits problems,
:mod:`~roomalloc.analysis.compare` compares two allocations,
:mod:`~roomalloc.analysis.reallocate` re-allocates from a previous allocation and
:mod:`~roomalloc.analysis.sweep` solves many scenarios on a process pool or a Dask cluster.
"""
