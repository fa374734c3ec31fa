"""Explanations in housing words: why each resident got what they got, and why a problem fails.

- :func:`explain` -> :class:`Explanation`: what drives the objective (each term's value, weight,
  contribution and share; bound and gap); for each resident their room, their preference score
  there and the best their own rules allow, which wishes were met, and why they are not in the
  rooms they score higher; for each unhoused resident why not; and the stability report.
- :func:`price`: the what-if of one placement (a re-solve with it forced).
- :func:`stability`: blocking swaps and residents who could take a free bed they prefer.
- :func:`diagnose` -> :class:`Diagnosis`: for an infeasible problem, a minimal set of hard
  requirements that cannot hold together, in housing words.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference, Result
>>> from roomalloc.explain import explain
>>> p = Problem(rooms=[Room(id="A", capacity=1, features=("quiet",)), Room(id="B", capacity=1)],
...             residents=[Resident(id="r1", preferences=(Preference(room="A", weight=2),),
...                                 needs=("ensuite",))])
>>> ex = explain(p, Result(status="optimal", assignments={"r1": None}))
>>> print(ex.residents["r1"].unhoused[0].text)
no room passes r1's own rules: needs rules out 2 of 2
"""

from __future__ import annotations

from roomalloc.explanation.diagnose import Diagnosis, diagnose
from roomalloc.explanation.price import price
from roomalloc.explanation.report import Explanation, explain
from roomalloc.explanation.stability import stability
from roomalloc.explanation.types import (
    Alternative,
    BlockingMove,
    BlockingSwap,
    Breakdown,
    Move,
    Price,
    Reason,
    ResidentExplanation,
    StabilityReport,
    TermShare,
)

__all__ = [
    "Alternative",
    "BlockingMove",
    "BlockingSwap",
    "Breakdown",
    "Diagnosis",
    "Explanation",
    "Move",
    "Price",
    "Reason",
    "ResidentExplanation",
    "StabilityReport",
    "TermShare",
    "diagnose",
    "explain",
    "price",
    "stability",
]
