"""Explanations in housing words: why each resident got what they got, and why a problem fails.

This package's modules are the parts; the names below are its public face.

- :func:`explain` -> :class:`Explanation`: the header in words (how many are housed, how many
  got their first choice, whether the allocation is proven best; any broken rule first); for
  each resident their room, every wish, met or not, and for an unmet one the first reason in a
  fixed order; for each unhoused resident why not; the stability report; and, for the verbose
  form and ``to_dict``, what drives the objective (each term's value, weight, share).
- :func:`price`: the what-if of one placement (a re-solve with it forced).
- :func:`stability`: blocking swaps and residents who could take a free bed they prefer.
- :func:`diagnose` -> :class:`Diagnosis`: for an infeasible problem, a minimal set of hard
  requirements that cannot hold together, in housing words.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference, Result
>>> from roomalloc.explanation import explain
>>> p = Problem(rooms=[Room(id="A", capacity=1, features=("quiet",)), Room(id="B", capacity=1)],
...             residents=[Resident(id="r1", preferences=(Preference(room="A", weight=2),),
...                                 needs=("ensuite",))])
>>> ex = explain(p, Result(status="optimal", assignments={"r1": None}))
>>> print(ex.residents["r1"].unhoused[0].text)
no room fits r1's own requirements: 2 rooms lack 'ensuite'
>>> print(ex.to_text("r1"))
r1: not housed
  why not housed: no room fits r1's own requirements: 2 rooms lack 'ensuite'
  wish not met: room A
    why: A does not fit r1's own requirements: A lacks 'ensuite', which r1 needs
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
    Summary,
    TermShare,
    Wish,
)
from roomalloc.explanation.words import ENGLISH, Phrase, Phrasebook

__all__ = [
    "ENGLISH",
    "Alternative",
    "BlockingMove",
    "BlockingSwap",
    "Breakdown",
    "Diagnosis",
    "Explanation",
    "Move",
    "Phrase",
    "Phrasebook",
    "Price",
    "Reason",
    "ResidentExplanation",
    "StabilityReport",
    "Summary",
    "TermShare",
    "Wish",
    "diagnose",
    "explain",
    "price",
    "stability",
]
