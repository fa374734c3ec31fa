"""The sharing rules, once: who may share a room with whom, on which nights, up to how many.

Four hard rules of the contract tie the residents of one room together: ``capacity`` (on
every night at most ``capacity`` residents whose stays cover it), ``gender_mixing`` (with
``rules.gender_mixing: forbid``, residents sharing a night have the same gender, no gender
given being a gender of its own), ``private`` (a private resident shares no night) and
``avoid`` (either side's wish keeps two residents from sharing a night). :class:`SharingRules`
answers them for residents by their position in ``problem.residents``, on plain lists so that
greedy's hot loop stays fast; greedy, the room configurations and the explanation's reasons
ask it, and the independent verifier (:mod:`roomalloc.verify.verifier`) keeps its own code on
purpose.

``group`` is not a sharing rule in this sense: it says who *must* share, and every user treats
a group as one unit that enters a room whole, each member kept to the rules above.

The columns are those of the scalable path's ``ProblemArrays`` (stays as day numbers, gender
codes, private flags, avoid sets), so it can build one with the plain constructor.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Roommates
>>> p = Problem(rooms=[Room(id="A", capacity=2)],
...             residents=[Resident(id="a", gender="f"), Resident(id="b", gender="m"),
...                        Resident(id="c", gender="f", roommates=Roommates(avoid=("a",)))])
>>> rules = SharingRules.of(p)
>>> rules.pair_rules(0, 1), rules.pair_rules(0, 2)
(('gender_mixing',), ('avoid',))
>>> sorted(rules.blocking(2, [0, 1], 2))
['avoid', 'capacity', 'gender_mixing']
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from roomalloc.domain.model import Problem

#: The sharing rules by contract name, in the order :meth:`SharingRules.blocking` reports them.
SHARING_RULES = ("capacity", "gender_mixing", "private", "avoid")


@dataclass(frozen=True, eq=False)
class SharingRules:
    """The sharing rules of one problem, residents by position (see the module docstring).

    ``starts``/``ends``: each stay as day numbers, half-open (any values beyond every stay for
    "no stay"). ``gender``: codes equal exactly when the labels are (``None`` included).
    ``avoids[i]``: the positions ``i`` may not share a night with, either side's wish counting.
    ``forbid_mixing``: ``rules.gender_mixing == "forbid"``.
    """

    starts: Sequence[float]
    ends: Sequence[float]
    gender: Sequence[int]
    private: Sequence[bool]
    avoids: Sequence[set[int]]
    forbid_mixing: bool

    @classmethod
    def of(cls, problem: Problem, starts: Sequence[float] | None = None,
           ends: Sequence[float] | None = None) -> SharingRules:
        """The rules of ``problem``; ``starts``/``ends`` (e.g. the candidate matrix's) if known.

        >>> from roomalloc import Problem, Resident
        >>> SharingRules.of(Problem(residents=[Resident(id="a", private=True)])).private
        [True]
        """
        residents = problem.residents
        if starts is None or ends is None:
            # No stay is all time: infinities need no sentinel date.
            starts = [-math.inf if r.stay is None else r.stay.start.toordinal() for r in residents]
            ends = [math.inf if r.stay is None else r.stay.end.toordinal() for r in residents]
        index = {r.id: i for i, r in enumerate(residents)}
        codes: dict[str | None, int] = {}
        avoids: list[set[int]] = [set() for _ in residents]
        for i, r in enumerate(residents):
            for s in r.roommates.avoid:
                j = index.get(s)
                if j is not None and j != i:
                    avoids[i].add(j)
                    avoids[j].add(i)
        return cls(
            starts=starts,
            ends=ends,
            gender=[codes.setdefault(r.gender, len(codes)) for r in residents],
            private=[r.private for r in residents],
            avoids=avoids,
            forbid_mixing=problem.rules.gender_mixing == "forbid",
        )

    def overlap(self, a: int, b: int) -> bool:
        """Whether the stays of ``a`` and ``b`` share a night.

        >>> from roomalloc import Problem, Resident
        >>> SharingRules.of(Problem(residents=[Resident(id="a"), Resident(id="b")])).overlap(0, 1)
        True
        """
        return self.starts[a] < self.ends[b] and self.starts[b] < self.ends[a]

    def pair_rules(self, a: int, b: int) -> tuple[str, ...]:
        """The rules that forbid ``a`` and ``b`` sharing a night, stays aside, in rule order.

        >>> from roomalloc import Problem, Resident
        >>> p = Problem(residents=[Resident(id="a", private=True), Resident(id="b", gender="m")])
        >>> SharingRules.of(p).pair_rules(0, 1)
        ('gender_mixing', 'private')
        """
        out: list[str] = []
        if self.forbid_mixing and self.gender[a] != self.gender[b]:
            out.append("gender_mixing")
        if self.private[a] or self.private[b]:
            out.append("private")
        if b in self.avoids[a]:
            out.append("avoid")
        return tuple(out)

    def clash(self, a: int, b: int) -> bool:
        """Whether ``a`` and ``b`` may not share a room: their stays overlap and a rule forbids it.

        >>> from roomalloc import Problem, Resident
        >>> SharingRules.of(Problem(residents=[Resident(id="a"), Resident(id="b")])).clash(0, 1)
        False
        """
        if not (self.starts[a] < self.ends[b] and self.starts[b] < self.ends[a]):
            return False
        return ((self.forbid_mixing and self.gender[a] != self.gender[b])
                or self.private[a] or self.private[b] or b in self.avoids[a])

    def over_capacity(self, capacity: int, members: Sequence[int]) -> bool:
        """Whether more than ``capacity`` of ``members`` stay on some night.

        >>> from roomalloc import Problem, Resident
        >>> SharingRules.of(Problem(residents=[Resident(id="a"), Resident(id="b")])
        ...                 ).over_capacity(1, [0, 1])
        True
        """
        if len(members) <= capacity:
            return False
        starts, ends = self.starts, self.ends
        # Departures sort before arrivals on the same day: stays are half-open.
        events = sorted([(starts[i], 1) for i in members] + [(ends[i], -1) for i in members])
        count = 0
        for _, step in events:
            count += step
            if count > capacity:
                return True
        return False

    def may_join(self, capacity: int, here: Sequence[int], unit: Sequence[int]) -> bool:
        """Whether ``unit`` may move in together with ``here`` (who keep the rules already).

        Every rule is checked among the unit's members too: a group enters whole.

        >>> from roomalloc import Problem, Resident
        >>> p = Problem(residents=[Resident(id="a"), Resident(id="b"), Resident(id="c")])
        >>> rules = SharingRules.of(p)
        >>> rules.may_join(2, [0], [1]), rules.may_join(2, [0], [1, 2])
        (True, False)
        """
        if self.over_capacity(capacity, [*here, *unit]):
            return False
        clash = self.clash
        return not any(clash(a, b) for k, a in enumerate(unit) for b in [*here, *unit[k + 1:]])

    def blocking(self, capacity: int, occupants: Sequence[int], r: int) -> set[str]:
        """The sharing rules that forbid adding ``r`` to a room held by ``occupants``.

        ``occupants`` need not keep the rules among themselves: only what ``r`` adds counts,
        so ``capacity`` is named when the occupants fill every bed on a night of ``r``'s stay.

        >>> from roomalloc import Problem, Resident
        >>> p = Problem(residents=[Resident(id="a"), Resident(id="b", private=True)])
        >>> sorted(SharingRules.of(p).blocking(1, [1], 0))
        ['capacity', 'private']
        """
        others = [o for o in occupants if o != r and self.overlap(o, r)]
        out: set[str] = set()
        if len(others) >= capacity and self.over_capacity(capacity, [*others, r]):
            out.add("capacity")
        for o in others:
            out.update(self.pair_rules(r, o))
        return out
