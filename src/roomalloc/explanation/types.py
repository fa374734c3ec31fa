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

import datetime as dt
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from roomalloc.rules.own import OWN_RULES

from .words import ENGLISH, Phrase, Phrasebook

# The kinds of reason, in the order a reader meets them: the resident's own rules first,
# then what the other residents' placement blocks, then the objective.
STATIC_KINDS = OWN_RULES
DYNAMIC_KINDS = ("locked", "group", "full", "gender_mixing", "private", "avoid")


def _json_ready(value: Any) -> Any:
    if isinstance(value, Phrase):
        return value.to_dict()
    if isinstance(value, dt.date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _json_ready(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_json_ready(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    return value


class JsonReady:
    """Base of the explanation records: ``to_dict()`` gives every field, JSON-ready.

    Nested records become dicts, tuples become lists, dicts are copied.
    """

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        out: dict[str, Any] = _json_ready(self)
        return out


@dataclass(frozen=True)
class Reason(JsonReady):
    """One reason a resident is not in a room, in words, with the people and rooms it names.

    ``kind`` is a rule name (``needs``, ``budget``, ``room_gender``, ``unavailable``,
    ``excluded_rooms``, ``locked``, ``group``, ``full``, ``gender_mixing``, ``private``,
    ``avoid``), ``rule:<name>`` for a custom rule, or ``objective`` when every hard rule
    would hold and only the objective decides (``loss`` then says by how much; ``tie`` when
    the loss is 0). Reasons about wishes add ``no_such_room``, ``stays_apart``,
    ``no_shared_room``, ``unhoused``. ``phrase`` is the sentence before it is put in words
    (``text`` is its English), so :meth:`in_words` can say it in another language.
    ``facts`` holds the checkable data the sentence states (nights, costs, the what-if moves).
    """

    kind: str
    text: str
    residents: tuple[str, ...] = ()
    rooms: tuple[str, ...] = ()
    loss: float | None = None
    phrase: Phrase | None = None
    facts: dict[str, Any] = field(default_factory=dict)

    def in_words(self, language: Phrasebook = ENGLISH) -> str:
        """The reason in ``language`` (its ``text`` when it has no phrase)."""
        return language.render(self.phrase) if self.phrase is not None else self.text


def said(
    kind: str,
    phrase: Phrase,
    residents: tuple[str, ...] = (),
    rooms: tuple[str, ...] = (),
    *,
    loss: float | None = None,
    **facts: Any,
) -> Reason:
    """A :class:`Reason` whose text is ``phrase`` in English.

    >>> said("budget", Phrase("budget", {"room": "A", "cost": 520, "resident": "r1",
    ...                                  "budget": 500}), ("r1",), ("A",)).text
    "A costs 520 a bed, above r1's budget of 500"
    """
    return Reason(kind, ENGLISH.render(phrase), residents, rooms, loss, phrase, dict(facts))


@dataclass(frozen=True)
class Wish(JsonReady):
    """One wish of a resident (a room wish or a roommate wish) and whether it is met.

    ``reasons`` says why an unmet wish is unmet: the first reason in a fixed order (no such
    room; the resident's own requirements; the rooms are taken; a sharing rule; the trade-off).
    ``weight`` is the wish's weight (a roommate wish has none: 0).
    """

    kind: str
    text: str
    met: bool
    weight: float = 0.0
    reasons: tuple[Reason, ...] = ()
    phrase: Phrase | None = None
    subject: str = ""

    def in_words(self, language: Phrasebook = ENGLISH) -> str:
        """The wish in ``language``."""
        return language.render(self.phrase) if self.phrase is not None else self.text


@dataclass(frozen=True)
class TermShare(JsonReady):
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


@dataclass(frozen=True)
class Breakdown(JsonReady):
    """What drives the objective: every term's share, the bound and the gap to it."""

    status: str
    objective: float
    terms: tuple[TermShare, ...]
    bound: float | None
    gap: float | None
    relative_gap: float | None


@dataclass(frozen=True)
class Move(JsonReady):
    """One resident who changes room in a what-if (``None`` means unhoused)."""

    resident: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Price(JsonReady):
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
    phrase: Phrase | None = None


@dataclass(frozen=True)
class Alternative(JsonReady):
    """A room the resident scores higher than the one given, and why they are not there."""

    room: str
    score: float
    reasons: tuple[Reason, ...]
    price: Price | None = None


@dataclass(frozen=True)
class ResidentExplanation(JsonReady):
    """Why one resident got what they got.

    ``best_score`` is the best preference score over the rooms the resident's own rules allow
    (needs, budget, excluded rooms, room gender, availability), None when no room allows them.
    ``alternatives`` are the best few rooms they score higher than the one given (for an
    unhoused resident: the best few rooms their own rules allow), each with its reasons;
    ``unhoused`` holds the reasons an unhoused resident is not housed (empty when housed).
    ``wishes`` lists every wish (room wishes by weight, then roommate wishes), each unmet one
    with its reason.
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
    wishes: tuple[Wish, ...] = ()


@dataclass(frozen=True)
class BlockingSwap(JsonReady):
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
    phrase: Phrase | None = None


@dataclass(frozen=True)
class BlockingMove(JsonReady):
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
    phrase: Phrase | None = None


@dataclass(frozen=True)
class StabilityReport(JsonReady):
    """Blocking swaps and blocking moves of an allocation; ``stable`` when there are none."""

    swaps: tuple[BlockingSwap, ...]
    moves: tuple[BlockingMove, ...]

    @property
    def stable(self) -> bool:
        """True when nobody would gain by a legal swap or by taking a free bed."""
        return not self.swaps and not self.moves

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, with ``stable`` first."""
        return {"stable": self.stable, **super().to_dict()}


@dataclass(frozen=True)
class Summary(JsonReady):
    """The header of an explanation, as data: how many are housed, first choices, proof.

    ``first_choice`` counts housed residents with a positive wish whose room scores as high as
    any room their own requirements allow, out of ``with_wishes`` such housed residents.
    ``proven`` is True only for an ``optimal`` result whose allocation keeps every rule and
    whose stated objective (if any) is the allocation's; ``relative_gap`` is
    ``(bound - objective) / |bound|`` when a bound exists and applies. ``violations`` are the
    broken rules (``roomalloc.check``): with any, no claim about being best is made.
    """

    housed: int
    total: int
    first_choice: int
    with_wishes: int
    proven: bool
    relative_gap: float | None
    violations: tuple[str, ...] = ()
    phrases: tuple[Phrase, ...] = ()
