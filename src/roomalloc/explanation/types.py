"""The plain data an explanation is made of: reasons, alternatives, breakdown, price, stability.

Every object here is a frozen dataclass with ``to_dict()`` (JSON-ready); the words live in
``text`` fields so housing systems can show them as they are.

Example
-------
>>> r = Reason("needs", "A-1 lacks 'accessible', which r1 needs", rooms=("A-1",))
>>> r.to_dict()["kind"]
'needs'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The kinds of reason, in the order a reader meets them: the resident's own rules first,
# then what the other residents' placement blocks, then the objective.
STATIC_KINDS = ("needs", "budget", "room_gender", "unavailable", "excluded_rooms")
DYNAMIC_KINDS = ("locked", "group", "full", "gender_mixing", "private", "avoid")


@dataclass(frozen=True)
class Reason:
    """One reason a resident is not in a room, in words, with the people and rooms it names.

    ``kind`` is a rule name (``needs``, ``budget``, ``room_gender``, ``unavailable``,
    ``excluded_rooms``, ``locked``, ``group``, ``full``, ``gender_mixing``, ``private``,
    ``avoid``), ``rule:<name>`` for a custom rule, or ``objective`` when every hard rule
    would hold and only the objective decides (``loss`` then says by how much).
    """

    kind: str
    text: str
    residents: tuple[str, ...] = ()
    rooms: tuple[str, ...] = ()
    loss: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "kind": self.kind,
            "text": self.text,
            "residents": list(self.residents),
            "rooms": list(self.rooms),
            "loss": self.loss,
        }


@dataclass(frozen=True)
class TermShare:
    """One objective term's part: raw value, weight, signed contribution and share.

    ``contribution`` is ``+weight*value`` for a maximised term and ``-weight*value`` for a
    minimised one (so the contributions sum to the objective); ``share`` is the term's part of
    the sum of the absolute contributions (0 when every contribution is 0).
    """

    term: str
    sense: str
    weight: float
    value: float
    contribution: float
    share: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "term": self.term,
            "sense": self.sense,
            "weight": self.weight,
            "value": self.value,
            "contribution": self.contribution,
            "share": self.share,
        }


@dataclass(frozen=True)
class Breakdown:
    """What drives the objective: every term's share, the bound and the gap to it."""

    status: str
    objective: float
    terms: tuple[TermShare, ...]
    bound: float | None
    gap: float | None
    relative_gap: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "status": self.status,
            "objective": self.objective,
            "terms": [t.to_dict() for t in self.terms],
            "bound": self.bound,
            "gap": self.gap,
            "relative_gap": self.relative_gap,
        }


@dataclass(frozen=True)
class Move:
    """One resident who changes room in a what-if (``None`` means unhoused)."""

    resident: str
    before: str | None
    after: str | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"resident": self.resident, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class Price:
    """The what-if of forcing one placement: the objective change and who else moves.

    ``status`` is the re-solve's status; ``change`` is ``after - before`` (negative: the
    placement costs that much objective). When the re-solve is not ``optimal`` the change is
    only an estimate (the true price is at most as large), and ``proven`` is False.
    """

    resident: str
    room: str
    status: str
    before: float
    after: float | None
    change: float | None
    proven: bool
    moves: tuple[Move, ...]
    term_changes: dict[str, float] = field(default_factory=dict)
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "resident": self.resident,
            "room": self.room,
            "status": self.status,
            "before": self.before,
            "after": self.after,
            "change": self.change,
            "proven": self.proven,
            "moves": [m.to_dict() for m in self.moves],
            "term_changes": dict(self.term_changes),
            "text": self.text,
        }


@dataclass(frozen=True)
class Alternative:
    """A room the resident scores higher than the one given, and why they are not there."""

    room: str
    score: float
    reasons: tuple[Reason, ...]
    price: Price | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "room": self.room,
            "score": self.score,
            "reasons": [r.to_dict() for r in self.reasons],
            "price": self.price.to_dict() if self.price else None,
        }


@dataclass(frozen=True)
class ResidentExplanation:
    """Why one resident got what they got.

    ``best_score`` is the best preference score over the rooms the resident's own rules allow
    (needs, budget, excluded rooms, room gender, availability), None when no room allows them.
    ``alternatives`` are the best few rooms they score higher than the one given (for an
    unhoused resident: the best few rooms their own rules allow), each with its reasons;
    ``unhoused`` holds the reasons an unhoused resident is not housed (empty when housed).
    """

    resident: str
    name: str | None
    room: str | None
    score: float | None
    best_score: float | None
    preferences_met: tuple[str, ...]
    preferences_unmet: tuple[str, ...]
    roommates_met: tuple[str, ...]
    roommates_unmet: tuple[str, ...]
    alternatives: tuple[Alternative, ...]
    unhoused: tuple[Reason, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "resident": self.resident,
            "name": self.name,
            "room": self.room,
            "score": self.score,
            "best_score": self.best_score,
            "preferences_met": list(self.preferences_met),
            "preferences_unmet": list(self.preferences_unmet),
            "roommates_met": list(self.roommates_met),
            "roommates_unmet": list(self.roommates_unmet),
            "alternatives": [a.to_dict() for a in self.alternatives],
            "unhoused": [r.to_dict() for r in self.unhoused],
        }


@dataclass(frozen=True)
class BlockingSwap:
    """Two housed residents who would both strictly gain by swapping rooms, legally.

    ``objective_change`` is the change of the objective if they swapped; ``outweighed_by`` is
    the term whose weighted change outweighs the gain (None when the swap would improve the
    objective, i.e. the allocation is not optimal).
    """

    first: str
    second: str
    first_room: str
    second_room: str
    first_gain: float
    second_gain: float
    objective_change: float
    term_changes: dict[str, float]
    outweighed_by: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "first": self.first,
            "second": self.second,
            "first_room": self.first_room,
            "second_room": self.second_room,
            "first_gain": self.first_gain,
            "second_gain": self.second_gain,
            "objective_change": self.objective_change,
            "term_changes": dict(self.term_changes),
            "outweighed_by": self.outweighed_by,
            "text": self.text,
        }


@dataclass(frozen=True)
class BlockingMove:
    """A resident who prefers a room with a free bed they may legally take.

    ``room_from`` is None for an unhoused resident (whose gain is being housed at all).
    """

    resident: str
    room_from: str | None
    room_to: str
    gain: float
    objective_change: float
    term_changes: dict[str, float]
    outweighed_by: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "resident": self.resident,
            "room_from": self.room_from,
            "room_to": self.room_to,
            "gain": self.gain,
            "objective_change": self.objective_change,
            "term_changes": dict(self.term_changes),
            "outweighed_by": self.outweighed_by,
            "text": self.text,
        }


@dataclass(frozen=True)
class StabilityReport:
    """Blocking swaps and blocking moves of an allocation; ``stable`` when there are none."""

    swaps: tuple[BlockingSwap, ...]
    moves: tuple[BlockingMove, ...]

    @property
    def stable(self) -> bool:
        """True when nobody would gain by a legal swap or by taking a free bed."""
        return not self.swaps and not self.moves

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "stable": self.stable,
            "swaps": [s.to_dict() for s in self.swaps],
            "moves": [m.to_dict() for m in self.moves],
        }
