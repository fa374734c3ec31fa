"""The knobs of a synthetic cohort: every one with its default and the reason for it.

A :class:`Knobs` value is immutable; :meth:`Knobs.replace` makes a changed copy and
:func:`parse_knob` turns ``NAME=VALUE`` text (the command line's ``--set``) into a typed value.
The defaults describe a term-long campus dormitory; :mod:`roomalloc.synthetic.presets` changes
them for the other families of problems.

Example
-------
>>> k = Knobs().replace(supply_ratio=1.2)
>>> (k.supply_ratio, Knobs().supply_ratio)
(1.2, 0.95)
>>> parse_knob("capacity_mix=0.5,0.5,0,0")
('capacity_mix', (0.5, 0.5, 0.0, 0.0))
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class FeatureSpec:
    """One room feature: how common it is, who needs it, who likes or dislikes it, its price.

    ``prevalence`` is the share of rooms (scope ``"room"``) or of floors (scope ``"floor"``,
    every room of the floor gets it: quiet floors) that have the feature. ``need`` is the
    feature's relative weight among the needs of residents who have needs; ``like`` and
    ``dislike`` its relative weights among feature preferences and feature dislikes;
    ``premium`` the share added to the room's bed cost (0.2 = 20 % dearer).

    Example
    -------
    >>> FeatureSpec("ensuite", 0.25, premium=0.2).premium
    0.2
    """

    name: str
    prevalence: float
    scope: Literal["room", "floor"] = "room"
    need: float = 0.0
    like: float = 0.0
    dislike: float = 0.0
    premium: float = 0.0


CAMPUS_FEATURES: tuple[FeatureSpec, ...] = (
    # Few accessible rooms, but those with needs mostly need them.
    FeatureSpec("accessible", 0.04, need=0.7, like=0.02),
    # En-suite bathrooms: a sought-after upgrade that costs more.
    FeatureSpec("ensuite", 0.25, need=0.1, like=0.40, premium=0.20),
    # Quiet floors: whole floors, liked by some, needed on medical grounds by a few.
    FeatureSpec("quiet", 0.20, scope="floor", need=0.1, like=0.25),
    # Pet-friendly: rare; needed for assistance animals, disliked by people with allergies.
    FeatureSpec("pet_friendly", 0.05, need=0.05, like=0.08, dislike=0.7, premium=0.05),
    # A kitchenette: liked, slightly dearer; some dislike the noise and smell.
    FeatureSpec("kitchen", 0.15, need=0.05, like=0.25, dislike=0.3, premium=0.10),
)


@dataclass(frozen=True)
class Knobs:
    """Everything that shapes a synthetic cohort (size and seed are arguments of ``cohort``).

    Shares are fractions of residents (or rooms) in [0, 1]; the realised share can differ a
    little by chance, and the hard flags (``required_share``, ``locked_share``,
    ``group_share``) can come out lower when ``ensure_feasible`` cannot reserve a compatible
    bed for someone (the statistics say what was realised).

    Example
    -------
    >>> Knobs().capacity_mix
    (0.3, 0.45, 0.15, 0.1)
    """

    # --- rooms -------------------------------------------------------------------------
    #: Beds per unit of demand (demand = the largest number of residents present on one
    #: night). Slightly under 1: housing offices usually have a few more applicants than beds.
    supply_ratio: float = 0.95
    #: Shares of rooms with 1, 2, 3 and 4 beds; a typical hall mixes singles and doubles.
    capacity_mix: tuple[float, ...] = (0.30, 0.45, 0.15, 0.10)
    #: Rooms per building on average; cohorts get at least 3 buildings (when they have 3 rooms)
    #: so that building preferences mean something at small sizes.
    building_rooms: int = 100
    #: Rooms on each floor; floors are numbered from 0 (ground), room ids look like ``B1-203``.
    rooms_per_floor: int = 16
    #: Price of one bed per month in a room of 1, 2, 3, 4 beds before the building factor
    #: (85 % to 130 %, drawn per building) and the features' premiums; rounded to 5.
    bed_cost: tuple[int, ...] = (520, 430, 380, 340)
    #: Features, their prevalence, need, like/dislike weights and price premium.
    features: tuple[FeatureSpec, ...] = CAMPUS_FEATURES

    # --- gender -------------------------------------------------------------------------
    #: Gender labels and their shares among residents.
    genders: tuple[tuple[str, float], ...] = (("female", 0.50), ("male", 0.48), ("nonbinary", 0.02))
    #: The problem's ``rules.gender_mixing``: ``forbid`` (room-mates share a gender) or ``allow``.
    gender_mixing: Literal["forbid", "allow"] = "forbid"
    #: Whether single-gender designation is per ``building``, per ``floor`` or ``none``.
    gender_designation: Literal["none", "building", "floor"] = "floor"
    #: Share of buildings/floors designated single-gender (split between the two most common
    #: genders in proportion to their shares); the rest is open to anyone.
    designated_share: float = 0.3

    # --- stays --------------------------------------------------------------------------
    #: Length of the period in nights; 0 means no stays (everyone occupies their bed for the
    #: whole term, ``stay`` is null), as in a term-long dormitory.
    period_days: int = 0
    #: First night of the period (ISO date); stays and maintenance windows fall inside it.
    start_date: str = "2026-09-01"
    #: Share of residents staying the whole period (staff, long-term tenants).
    long_stay_share: float = 0.0
    #: Labels recorded as the ``role`` attribute of residents staying the whole period and of
    #: the others (e.g. ``staff,visitor``); empty: no role attribute.
    stay_roles: tuple[str, ...] = ()
    #: Shortest and longest stay of the others, in nights; lengths are skewed to short stays
    #: (the minimum of two uniform draws), as in hostels and visitor housing.
    stay_days: tuple[int, int] = (2, 14)
    #: Share of rooms closed for one maintenance window during the period (only with stays:
    #: without stays a closed room could hold nobody at all).
    maintenance_share: float = 0.0
    #: Shortest and longest maintenance window, in nights.
    maintenance_days: tuple[int, int] = (3, 10)

    # --- needs, privacy, budget, priority ----------------------------------------------
    #: Share of residents with needs (hard): mostly accessibility, see ``FeatureSpec.need``.
    needs_share: float = 0.03
    #: Share of residents who must not share their room (medical, personal reasons).
    private_share: float = 0.02
    #: Share of residents with a budget; a budget is the bed cost at a random quantile
    #: between 15 % and 90 % of the rooms' costs, so it never rules out every room.
    budget_share: float = 0.15
    #: Priority levels (value of housing a resident) and their shares: seniority by year.
    priority_levels: tuple[float, ...] = (1.0, 1.5, 2.0, 2.5)
    priority_shares: tuple[float, ...] = (0.4, 0.25, 0.2, 0.15)
    #: Name of the attribute that records the priority level (1 = lowest); empty: none.
    priority_attribute: str = "year"
    #: Share of residents who must be housed (hard): guaranteed places.
    required_share: float = 0.05
    #: When True, a resident's chance of being required grows with their priority (in
    #: proportion, capped at 1): urgent patients must be admitted. The mean stays near
    #: ``required_share`` unless the cap bites.
    required_by_priority: bool = False

    # --- incumbents ---------------------------------------------------------------------
    #: Share of residents who live somewhere already (``current_room``; the ``moves`` term).
    incumbent_share: float = 0.0
    #: Share of incumbents who must stay where they are (``locked``, hard).
    locked_share: float = 0.0

    # --- preferences --------------------------------------------------------------------
    #: Mean number of preferences per resident (binomial, at most 8 before de-duplication).
    preferences_mean: float = 3.0
    #: Relative weights of the selector kinds: building, feature, floor, named room.
    preference_kinds: tuple[float, ...] = (0.45, 0.35, 0.14, 0.06)
    #: Share of preferences that are dislikes (negative weights).
    dislike_share: float = 0.12

    # --- social ------------------------------------------------------------------------
    #: Share of residents in friend cliques of 2 to 4 who all want each other (same gender
    #: under ``forbid``, same stay).
    clique_share: float = 0.20
    #: Share of residents with one one-sided roommate wish.
    one_sided_share: float = 0.05
    #: Share of residents who avoid one other resident (hard).
    avoid_share: float = 0.01
    #: Share of residents in groups (siblings, families) of 2 to 4 that must share (hard).
    group_share: float = 0.02

    # --- the problem as a whole ---------------------------------------------------------
    #: The objective as ``(term, weight)`` pairs; empty means the format's default objective.
    objective: tuple[tuple[str, float], ...] = ()
    #: Reserve compatible beds for required, locked and grouped residents so that the cohort
    #: is feasible; when False the hard flags are drawn blindly (for infeasibility studies).
    ensure_feasible: bool = True

    def replace(self, **changes: Any) -> Knobs:
        """A copy with some knobs changed (unknown names raise ``TypeError``).

        >>> Knobs().replace(period_days=30).period_days
        30
        """
        return dataclasses.replace(self, **changes)

    def check(self) -> None:
        """Raise ``ValueError`` naming every knob whose value makes no sense.

        >>> Knobs(supply_ratio=-1).check()
        Traceback (most recent call last):
        ...
        ValueError: bad knobs: supply_ratio must be > 0, got -1
        """
        bad: list[str] = []
        if self.supply_ratio <= 0:
            bad.append(f"supply_ratio must be > 0, got {self.supply_ratio}")
        if len(self.capacity_mix) < 1 or min(self.capacity_mix) < 0 or sum(self.capacity_mix) <= 0:
            bad.append("capacity_mix needs non-negative shares with a positive sum")
        if len(self.bed_cost) < len(self.capacity_mix) or min(self.bed_cost, default=0) < 0:
            bad.append("bed_cost needs a non-negative cost for every capacity of capacity_mix")
        if self.building_rooms < 1 or self.rooms_per_floor < 1:
            bad.append("building_rooms and rooms_per_floor must be >= 1")
        shares = [f.name for f in dataclasses.fields(self) if f.name.endswith("_share")]
        bad += [f"{s} must be in [0, 1], got {getattr(self, s)}" for s in shares
                if not 0 <= getattr(self, s) <= 1]
        if not self.genders or min(w for _, w in self.genders) < 0 or not sum(
                w for _, w in self.genders) > 0:
            bad.append("genders needs (label, share) pairs with non-negative shares, "
                       "a positive sum")
        if self.stay_roles and len(self.stay_roles) != 2:
            bad.append("stay_roles needs two labels (whole period, shorter stays) or none")
        if self.period_days < 0:
            bad.append(f"period_days must be >= 0, got {self.period_days}")
        for name in ("stay_days", "maintenance_days"):
            low, high = getattr(self, name)
            if not 1 <= low <= high:
                bad.append(f"{name} must be (low, high) with 1 <= low <= high")
        if len(self.priority_levels) != len(self.priority_shares) or not self.priority_levels:
            bad.append("priority_levels and priority_shares must have the same, non-zero length")
        elif (min(self.priority_levels) <= 0 or min(self.priority_shares) < 0
              or not sum(self.priority_shares) > 0):
            bad.append("priority_levels must be > 0, priority_shares >= 0 with a positive sum")
        if not 0 <= self.preferences_mean <= 8:
            bad.append(f"preferences_mean must be in [0, 8], got {self.preferences_mean}")
        if (len(self.preference_kinds) != 4 or min(self.preference_kinds) < 0
                or not sum(self.preference_kinds) > 0):
            bad.append("preference_kinds needs 4 non-negative weights (building, feature, "
                       "floor, room) with a positive sum")
        for f in self.features:
            if not 0 <= f.prevalence <= 1 or min(f.need, f.like, f.dislike, f.premium) < 0:
                bad.append(f"feature {f.name!r}: prevalence in [0, 1], weights >= 0")
        if bad:
            raise ValueError("bad knobs: " + "; ".join(bad))


KNOB_NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Knobs))


def _convert(text: str, hint: Any, name: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is bool:
        low = text.strip().lower()
        if low in ("1", "true", "yes", "on"):
            return True
        if low in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"knob {name}: expected true or false, got {text!r}")
    if hint is int:
        return int(text)
    if hint is float:
        return float(text)
    if hint is str or origin is Literal:
        if origin is Literal and text not in args:
            raise ValueError(f"knob {name}: expected one of {', '.join(args)}, got {text!r}")
        return text
    if origin is tuple and args and args[0] is FeatureSpec:
        raise ValueError(f"knob {name} can only be set from Python")
    if origin is tuple:
        parts = [p for p in text.split(";" if args and typing.get_origin(args[0]) else ",") if p]
        if len(args) == 2 and args[1] is Ellipsis:
            inner = args[0]
            if typing.get_origin(inner) is tuple:  # ("female", 0.5); ("male", 0.5)
                return tuple(_convert(p, inner, name) for p in parts)
            return tuple(_convert(p.strip(), inner, name) for p in parts)
        items = text.split(",")
        if len(items) != len(args):
            raise ValueError(f"knob {name}: expected {len(args)} comma-separated values")
        return tuple(_convert(p.strip(), a, name) for p, a in zip(items, args, strict=True))
    if isinstance(hint, types.UnionType):  # pragma: no cover - no such knob yet
        raise ValueError(f"knob {name} cannot be parsed from text")
    raise ValueError(f"knob {name} cannot be parsed from text")  # pragma: no cover


def parse_knob(assignment: str) -> tuple[str, Any]:
    """Parse ``NAME=VALUE`` into the knob's name and a value of the knob's type.

    Tuples are comma-separated (``stay_days=1,7``); pairs are separated by semicolons
    (``genders=female,0.5;male,0.5``; ``objective=housed,1000;moves,5``).

    >>> parse_knob("gender_mixing=allow")
    ('gender_mixing', 'allow')
    >>> parse_knob("genders=female,0.5;male,0.5")
    ('genders', (('female', 0.5), ('male', 0.5)))
    >>> parse_knob("colour=red")
    Traceback (most recent call last):
    ...
    ValueError: unknown knob 'colour'
    """
    name, sep, text = assignment.partition("=")
    name = name.strip()
    if not sep:
        raise ValueError(f"expected KNOB=VALUE, got {assignment!r}")
    if name not in KNOB_NAMES:
        raise ValueError(f"unknown knob {name!r}")
    hints = typing.get_type_hints(Knobs)
    try:
        return name, _convert(text.strip(), hints[name], name)
    except (TypeError, ValueError) as err:
        if str(err).startswith("knob "):
            raise
        raise ValueError(f"knob {name}: cannot read {text!r} ({err})") from None


__all__ = ["CAMPUS_FEATURES", "KNOB_NAMES", "FeatureSpec", "Knobs", "parse_knob"]
