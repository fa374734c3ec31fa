"""The words layer: residents, rooms, nights, counts and numbers in housing words, per language.

Every sentence an explanation shows is made by a :class:`Phrasebook` from a *key* and its
*parameters* (:meth:`Phrasebook.say`); the English one, :data:`ENGLISH`, is the default. A
parameter is rendered by its type: a number with thousands separators, a tuple of names as a
short list ("r1, r2, r3 and 4 others"), :class:`Nights` as nights with the check-out day,
:class:`Count` as "1 room" / "2 rooms". Another language is a phrasebook with its own templates
(and, where needed, its own number, list, plural and date rules), passed as ``language=`` to
``to_text``; keys it lacks fall back to English.

Example
-------
>>> import datetime as dt
>>> ENGLISH.nights(dt.date(2026, 9, 10), dt.date(2026, 9, 14))
'the nights of 10–13 September 2026 (check-out 14 September)'
>>> ENGLISH.count(1, "room"), ENGLISH.count(2, "bed"), ENGLISH.number(1503.0)
('1 room', '2 beds', '1,503')
>>> ENGLISH.join(("r1", "r2", "r3", "r4", "r5", "r6", "r7"))
'r1, r2, r3, r4, r5 and 2 others'
>>> ENGLISH.say("room_full", room="A", beds=Count(1, "bed"), nights=Nights(dt.date(2026, 9, 1),
...             dt.date(2026, 9, 2)), occupants=("r2",))
'A (1 bed) is full on the night of 1 September 2026 (check-out 2 September) with r2'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from roomalloc.domain.model import Resident

#: Stand-ins for "no stay" as dates: the span of a resident without one is all time.
NO_STAY_START_DATE = dt.date.min
NO_STAY_END_DATE = dt.date.max

# How many names a list shows before it counts the rest.
SHORT_LIST = 5


@dataclass(frozen=True)
class Nights:
    """The nights ``[start, end)``: the check-out day ``end`` is not a night."""

    start: dt.date
    end: dt.date

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class Phrase:
    """A sentence not yet in words: a phrasebook key and its parameters (any renderable type).

    A phrase may nest phrases; :meth:`Phrasebook.render` says the whole in one language.
    """

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"key": self.key, "params": {k: _plain(v) for k, v in self.params.items()}}


def _plain(value: Any) -> Any:
    if isinstance(value, Phrase | Nights):
        return value.to_dict()
    if isinstance(value, Count):
        return {"n": value.n, "noun": value.noun}
    if isinstance(value, AnyOf):
        return {"any_of": list(value.items)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class AnyOf:
    """Items joined with "or": ``'a' or 'b'``."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Count:
    """``n`` of a noun (``room``, ``bed``, ``resident``...), said with the right plural."""

    n: int
    noun: str


def span(resident: Resident) -> tuple[dt.date, dt.date]:
    """The resident's nights as ``[start, end)``; no stay means all time."""
    if resident.stay is None:
        return NO_STAY_START_DATE, NO_STAY_END_DATE
    return resident.stay.start, resident.stay.end


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")

_ENGLISH_NOUNS: dict[str, tuple[str, str]] = {
    "room": ("room", "rooms"),
    "bed": ("bed", "beds"),
    "resident": ("resident", "residents"),
    "other": ("other", "others"),
    "wish": ("wish", "wishes"),
    "rule": ("rule", "rules"),
    "night": ("night", "nights"),
    "point": ("point", "points"),
}


@dataclass(frozen=True)
class Phrasebook:
    """Templates (``str.format`` with named fields) and the rules to render their parameters.

    ``templates`` maps a key to its template; a key with a count may have ``key.one`` and
    ``key.other`` forms, chosen by :meth:`say_n`. ``fallback`` answers keys this book lacks.
    Subclass to change numbers, lists, plurals or dates for a language.
    """

    name: str
    templates: Mapping[str, str]
    nouns: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    fallback: Phrasebook | None = None
    and_word: str = "and"
    or_word: str = "or"
    months: tuple[str, ...] = _MONTHS

    def template(self, key: str) -> str:
        """The template of ``key`` in this book or its fallback."""
        book: Phrasebook | None = self
        while book is not None:
            if key in book.templates:
                return book.templates[key]
            book = book.fallback
        raise KeyError(f"no phrase {key!r} in phrasebook {self.name!r}")

    def number(self, x: float) -> str:
        """``1,503``, ``2.5``, ``0.25``: no useless ``.0``, thousands separated."""
        x = float(x)
        if x.is_integer():
            return f"{int(x):,}"
        if abs(x) >= 100:
            return f"{x:,.1f}"
        return f"{x:.3g}"

    def plural(self, n: int, noun: str) -> str:
        """The noun's form for ``n``."""
        book: Phrasebook | None = self
        while book is not None:
            if noun in book.nouns:
                one, many = book.nouns[noun]
                return one if n == 1 else many
            book = book.fallback
        return noun if n == 1 else noun + "s"

    def count(self, n: int, noun: str) -> str:
        """``1 room``, ``2 rooms``."""
        return f"{self.number(n)} {self.plural(n, noun)}"

    def join(self, items: Iterable[str], limit: int = SHORT_LIST, *, word: str | None = None
             ) -> str:
        """``a``, ``a and b``, ``a, b and c``; past ``limit`` names the rest are counted.

        ``word`` replaces the book's "and" (e.g. its "or").
        """
        items = list(items)
        if not items:
            return "-"
        if len(items) > limit + 1:
            rest = len(items) - limit
            items = [*items[:limit], self.count(rest, "other")]
        if len(items) == 1:
            return items[0]
        return ", ".join(items[:-1]) + f" {word or self.and_word} " + items[-1]

    def day(self, d: dt.date, *, year: bool = True) -> str:
        """``14 September 2026`` (``year=False``: ``14 September``)."""
        text = f"{d.day} {self.months[d.month - 1]}"
        return f"{text} {d.year}" if year else text

    def nights(self, start: dt.date, end: dt.date) -> str:
        """The nights ``[start, end)`` and the check-out day."""
        if start == NO_STAY_START_DATE and end == NO_STAY_END_DATE:
            return "every night"
        if start == NO_STAY_START_DATE:
            return f"every night until check-out on {self.day(end)}"
        if end == NO_STAY_END_DATE:
            return f"every night from {self.day(start)} on"
        last = end - dt.timedelta(days=1)
        checkout = self.day(end, year=end.year != last.year)
        if last == start:
            return f"the night of {self.day(start)} (check-out {checkout})"
        if start.year != last.year:
            first = self.day(start) + " –"
        elif start.month != last.month:
            first = self.day(start, year=False) + " –"
        else:
            first = str(start.day) + "–"
        sep = "" if first.endswith("–") and start.month == last.month else " "
        return f"the nights of {first}{sep}{self.day(last)} (check-out {checkout})"

    def render(self, value: Any) -> str:
        """One parameter in words, by its type."""
        if isinstance(value, Phrase):
            return self.say(value.key, **value.params)
        if isinstance(value, Nights):
            return self.nights(value.start, value.end)
        if isinstance(value, Count):
            return self.count(value.n, value.noun)
        if isinstance(value, AnyOf):
            return self.join([self.render(v) for v in value.items], word=self.or_word)
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int | float):
            return self.number(value)
        if isinstance(value, tuple | list):
            return self.join([self.render(v) for v in value])
        return str(value)

    def say(self, key: str, **params: Any) -> str:
        """The phrase ``key`` with its parameters in words.

        A key with forms by count (``key.one``, ``key.other``) takes the form for ``n``.
        """
        try:
            template = self.template(key)
        except KeyError:
            form = f"{key}.one" if params.get("n") == 1 else f"{key}.other"
            try:
                template = self.template(form)
            except KeyError:
                raise KeyError(f"no phrase {key!r} in phrasebook {self.name!r}") from None
        return template.format(**{k: self.render(v) for k, v in params.items()})


# The English phrases. Keys group by use: own rules, what the allocation blocks, trade-offs,
# roommates, unhoused residents, the header, price.
_ENGLISH_TEMPLATES: dict[str, str] = {
    # The resident's own rules.
    "needs": "{room} lacks {features}, which {resident} needs",
    "budget": "{room} costs {cost} a bed, above {resident}'s budget of {budget}",
    "room_gender": "{room} is for {room_gender} residents only and {resident} is {gender}",
    "room_gender_unknown": "{room} is for {room_gender} residents only and {resident} has no "
                           "gender given",
    "unavailable": "{room} is closed for {closed}, during {resident}'s stay",
    "excluded_rooms": "{resident} may not be placed in {room} (an excluded room)",
    # What the allocation blocks.
    "locked": "{resident} is fixed to their current room {current}",
    "group": "{resident} lives with their group '{group}' ({mates}, {where}): the group shares "
             "one room or is not housed, so {resident} cannot move alone",
    "group_where_housed": "all in {room}",
    "group_where_unhoused": "none of them housed",
    "room_full": "{room} ({beds}) is full on {nights} with {occupants}",
    "gender_mixing": "{room} is shared with {occupants} of another gender ({resident} is "
                     "{gender}), and genders do not share rooms here",
    "private_self": "{resident} must have a room to themselves, and {room} is shared with "
                    "{occupants} during the stay",
    "private_other": "{occupants} must have {room} to themselves during the stay",
    "avoid": "{resident} and {occupants} (in {room}) must not share a room",
    "custom_rule": "{message}",
    "list": "{items}",
    # Wishes.
    "wish_room": "room {room}",
    "wish_building": "a room in building {building}",
    "wish_feature": "a room with '{feature}'",
    "wish_floor": "a room on floor {low}",
    "wish_floors": "a room on floors {low}–{high}",
    "wish_not_room": "a room other than {room}",
    "wish_not_building": "a room outside building {building}",
    "wish_not_feature": "a room without '{feature}'",
    "wish_not_floor": "a room not on floor {low}",
    "wish_not_floors": "a room not on floors {low}–{high}",
    "wish_roommate": "to share a room with {mate}",
    "no_such_room": "no room here matches the wish for {wish}",
    "wish_own_rules.one": "the only room matching the wish for {wish} does not fit "
                          "{resident}'s own requirements: {why}",
    "wish_own_rules.other": "none of the {n} rooms matching the wish for {wish} fits "
                            "{resident}'s own requirements; for example, {why}",
    "wish_room_own_rules": "{room} does not fit {resident}'s own requirements: {why}",
    "wish_room_taken": "{room} is taken: {why}",
    "wish_taken.one": "the only room matching the wish for {wish} that fits {resident}'s "
                      "requirements is taken: {why}",
    "wish_taken.other": "all {n} rooms matching the wish for {wish} that fit {resident}'s "
                        "requirements are taken; for example, {why}",
    # What-if: moving or housing a resident alone where a bed is free.
    "move_free": "{room} has a free bed {resident} may take, but {doing} would be worse "
                 "overall: {effects}",
    "move_free_tie": "{room} has a free bed {resident} may take, and {doing} would be exactly "
                     "as good overall ({effects}): a tie, settled the other way",
    "move_free_gain": "{room} has a free bed {resident} may take, and {doing} would be better "
                      "overall ({effects}): this allocation is not the best possible",
    "doing_move": "moving them there",
    "doing_house": "housing them there",
    "worse_overall": "overall that is worse",
    # Effects of a what-if, in words.
    "effect_housed": "{people} would be housed",
    "effect_unhoused": "{people} would lose their place",
    "effect_wishes_lost": "{resident} would lose their wish for {wishes}",
    "effect_wishes_gained": "{resident} would gain their wish for {wishes}",
    "effect_pairs_lost": "{resident} would no longer share a room with {mates}, as wished",
    "effect_pairs_gained": "{resident} would share a room with {mates}, as wished",
    "effect_cost_up": "the beds would cost {amount} more",
    "effect_cost_down": "the beds would cost {amount} less",
    "effect_leaves_current": "{people} would leave their current room",
    "effect_back_current": "{people} would be back in their current room",
    "effect_rooms_opened": "{rooms} more would be in use",
    "effect_rooms_closed": "{rooms} fewer would be in use",
    "effect_fairness_down": "the worst-off resident would be further from the best their "
                            "rules allow",
    "effect_fairness_up": "the worst-off resident would be closer to the best their rules "
                          "allow",
    "effect_other": "{what} would change by {amount}",
    "effect_nothing": "nothing else would change",
    # Roommate wishes.
    "mate_unknown": "there is no resident {mate}",
    "mate_stays_apart": "their stays do not overlap ({resident}: {first}; {mate}: {second})",
    "mate_avoid": "{resident} and {mate} must not share a room (an avoid request)",
    "mate_private": "{who} must have a room to themselves",
    "mate_gender": "{resident} is {gender} and {mate} is {mate_gender}, and genders do not "
                   "share rooms here",
    "mate_no_room_self": "no room with two or more beds fits {resident}'s own requirements",
    "mate_no_room.one": "the only room with two or more beds that fits {resident}'s "
                        "requirements does not fit {mate}'s: {why}",
    "mate_no_room.other": "none of the {n} rooms with two or more beds that fit {resident}'s "
                          "requirements fits {mate}'s; for example, {why}",
    "mate_unhoused_both": "neither {resident} nor {mate} is housed",
    "mate_join_blocked": "{mover} cannot join {host} in {room}: {why}",
    "mate_join_free": "{mover} could join {host} in {room}, but that would be worse "
                      "overall: {effects}",
    "mate_join_tie": "{mover} could join {host} in {room} and it would be exactly as good "
                     "overall ({effects}): a tie, settled the other way",
    "mate_join_gain": "{mover} could join {host} in {room} and it would be better overall "
                      "({effects}): this allocation is not the best possible",
    # Unhoused residents.
    "no_room": "no room fits {resident}'s own requirements: {why}",
    "no_room_none": "there are no rooms",
    "no_room_needs.one": "1 room lacks {features}",
    "no_room_needs.other": "{n} rooms lack {features}",
    "no_room_budget.one": "1 room costs more than the budget of {budget}",
    "no_room_budget.other": "{n} rooms cost more than the budget of {budget}",
    "no_room_gender.one": "1 room is for residents of another gender",
    "no_room_gender.other": "{n} rooms are for residents of another gender",
    "no_room_closed.one": "1 room is closed during the stay",
    "no_room_closed.other": "{n} rooms are closed during the stay",
    "no_room_excluded.one": "1 room is excluded for them",
    "no_room_excluded.other": "{n} rooms are excluded for them",
    "taken.one": "the one room that fits {resident}'s requirements ({limits}) is taken "
                 "during their stay: {why}",
    "taken.other": "all {n} rooms that fit {resident}'s requirements ({limits}) are taken "
                   "during their stay ({counts}); for example, {why}",
    "taken_plain.one": "the one room is taken during {resident}'s stay: {why}",
    "taken_plain.other": "all {n} rooms are taken during {resident}'s stay ({counts}); for "
                         "example, {why}",
    "limits": "of the others, {why}",
    "rooms_are.one": "1 is",
    "rooms_are.other": "{n} are",
    "taken_full": "{rooms_n} full",
    "taken_gender_mixing": "{rooms_n} shared with another gender",
    "taken_private": "{rooms_n} held by someone who must be alone",
    "taken_avoid": "{rooms_n} held by someone to avoid",
    "taken_group": "{rooms_n} would split their group",
    "taken_locked": "{rooms_n} would break a fixed placement",
    "taken_rule": "{rooms_n} would break a house rule",
    "taken_tie": "a tie: housing {resident} in {room} instead of {other} would be exactly as "
                 "good overall; the tie went to {other}",
    "taken_trade": "housing {resident} in {room} in place of {other} would be worse overall: "
                   "{effects}",
    "group_unhoused": "{resident} belongs to group '{group}' of {n} ({mates}), who share one "
                      "room or are not housed; {fit}",
    "group_fit_none": "no room fits the requirements of all {n}",
    "group_fit": "the biggest room all {n} may use has {beds}",
    # Diagnosis.
    "clash.one": "this requirement cannot hold:",
    "clash.other": "these {n} requirements cannot all hold together (dropping any one of them "
                   "makes the rest possible):",
    # Header.
    "header_housed": "{housed} of {total} housed",
    "header_first": "{n} of the {with_wishes} housed residents with wishes got their first "
                    "choice",
    "header_first_all": "all {with_wishes} housed residents with wishes got their first "
                        "choice",
    "header_first_one": "the one housed resident with wishes got their first choice",
    "header_first_none": "the one housed resident with wishes did not get their first choice",
    "header_optimal": "the allocation is proven best",
    "header_gap": "the allocation is within {gap} % of the best possible",
    "header_unproven": "the allocation is not proven best",
    "header_broken.one": "this allocation breaks 1 rule, so no claim about it being best "
                         "holds:",
    "header_broken.other": "this allocation breaks {n} rules, so no claim about it being "
                           "best holds:",
    # Per-resident lines.
    "line_housed": "{who}: room {room}",
    "line_unhoused": "{who}: not housed",
    "line_score": "their wishes score {score} here; the best their requirements allow is {best}",
    "line_met": "wish met: {wish}",
    "line_unmet": "wish not met: {wish}",
    "line_why": "why: {why}",
    "line_why_unhoused": "why not housed: {why}",
    "line_better": "a room they like better: {room} (score {score})",
    "line_price": "if they were placed there: {price}",
    # Price.
    "price_static": "placing {resident} in {room} is impossible: {why}",
    "price_infeasible": "placing {resident} in {room} is impossible: no allocation with that "
                        "placement keeps every rule (proven)",
    "price_clash": "placing {resident} in {room} is impossible (proven): {why}",
    "price_unknown": "no allocation with {resident} in {room} was found in {seconds} s",
    "price_cost_exact": "placing {resident} in {room} would lower the allocation's score by "
                        "{points} (proven: the best allocation with that placement)",
    "price_cost_at_most": "placing {resident} in {room} would lower the allocation's score by "
                          "at most {points} (the best found in {seconds} s, not proven best)",
    "price_tie_exact": "placing {resident} in {room} would cost nothing: an equally good "
                       "allocation has it (proven)",
    "price_tie": "placing {resident} in {room} would cost nothing: an equally good allocation "
                 "has it",
    "price_gain": "placing {resident} in {room} would improve the allocation's score by "
                  "{points}: the given allocation is not the best possible",
    "price_sentence": "{verdict}; {who}",
    "price_moves": "{movers} would change rooms",
    "price_no_moves": "nobody else would change rooms",
    "price_move": "{resident} from {before} to {after}",
    "price_housed": "{resident} would be housed in {after}",
    # Stability.
    "stable": "nobody would gain by a legal swap or by taking a free bed",
    "unstable": "{swaps} and {moves} would suit someone better, each at a cost overall:",
    "swaps_n.one": "1 swap",
    "swaps_n.other": "{n} swaps",
    "moves_n.one": "1 move to a free bed",
    "moves_n.other": "{n} moves to a free bed",
    "swap": "{first} (in {first_room}) and {second} (in {second_room}) both like the other's "
            "room better and may swap, {outcome}",
    "move_unhoused": "{resident} is not housed and may take a free bed in {room}, {outcome}",
    "move_housed": "{resident} likes {room} better than {here} and may take a free bed there, "
                   "{outcome}",
    "outcome_worse": "but that would be worse overall: {effects}",
    "outcome_better": "and that would be better overall ({effects}): this allocation is not "
                      "the best possible",
    "outcome_tie": "and that would be exactly as good overall ({effects}): a tie",
}

ENGLISH = Phrasebook("en", _ENGLISH_TEMPLATES, _ENGLISH_NOUNS)


def spell_words(start: dt.date, end: dt.date) -> str:
    """``[start, end)`` as nights with the check-out day, in English.

    >>> spell_words(NO_STAY_START_DATE, NO_STAY_END_DATE)
    'every night'
    """
    return ENGLISH.nights(start, end)


def join_words(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` (every item, in English).

    >>> join_words(["r1", "r2", "r3"])
    'r1, r2 and r3'
    """
    return ENGLISH.join(items, limit=len(items))


def number(x: float) -> str:
    """A number in English: thousands separated, no useless ``.0``.

    >>> number(450.0), number(2.5), number(15524)
    ('450', '2.5', '15,524')
    """
    return ENGLISH.number(x)


def who(resident: Resident) -> str:
    """``r5`` or ``r5 (Li Wei)``."""
    return f"{resident.id} ({resident.name})" if resident.name else resident.id


def ids(residents: Iterable[Resident]) -> tuple[str, ...]:
    """The residents' ids, in order."""
    return tuple(r.id for r in residents)
