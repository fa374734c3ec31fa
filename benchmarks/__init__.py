"""roomalloc's benchmark suite: ``python -m benchmarks.suite {smoke,standard,large,ihtc}``.

Each run solves one problem with one *peer* (roomalloc, the greedy spreadsheet, a plain HiGHS
MIP, OR-Tools min-cost flow on pure-assignment problems) in a child process of its own, and the
parent checks the allocation with :func:`roomalloc.check`. See ``benchmarks/README.md``.
"""
