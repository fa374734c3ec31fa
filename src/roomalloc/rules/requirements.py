"""Requirements: the hard rules of one problem, one by one, in housing words.

When the model is built with ``guarded=True`` (see :func:`roomalloc.solver.build_model`), each
requirement below gets its own Boolean *guard*: its constraints hold only when the guard is
true. Passing the guards to CP-SAT as assumptions lets a diagnosis find a small set of
requirements that cannot hold together.

Kinds (``subjects`` in brackets): ``required`` (resident), ``locked`` (resident),
``group`` (group label, then its members), ``avoid`` (the two residents, sorted), ``private``
(resident), ``capacity`` (room), ``gender_mixing`` (room), ``rule`` (custom rule name).

Example
-------
>>> r = Requirement("capacity", ("A-101",), "room A-101 has 2 beds")
>>> r == Requirement("capacity", ("A-101",), "other words")
True
>>> str(r)
'room A-101 has 2 beds'
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Requirement:
    """One hard requirement: its ``kind``, who or what it is about, and a sentence.

    Equality and hashing use ``kind`` and ``subjects`` only.
    """

    kind: str
    subjects: tuple[str, ...]
    text: str = field(default="", compare=False)

    def __str__(self) -> str:
        return self.text or f"{self.kind} {', '.join(self.subjects)}"
