"""Hypothesis strategies for roomalloc property tests: valid problems and arbitrary allocations.

Every problem drawn here is well formed under ``shared/spec/problem-format.md``: it is built
directly from the model classes (no filtering), so drawing is quick. Numbers are small and
"integer-ish" (weights -3..5 and a few halves, priorities 1..3 and 1.5, costs in steps of 50)
so a brute-force optimum and the solver's scaled-integer objective agree exactly.

Knobs on :func:`problems` switch each feature on or off, so a test can aim at one rule::

    from strategies import problems, problem_with_allocation

    @given(problems(gender=False, stays=False))
    def test_something(problem): ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from hypothesis import Phase, find, settings
from hypothesis import strategies as st

from roomalloc import Problem, Resident, Room
from roomalloc.domain.model import (
    DEFAULT_OBJECTIVE,
    AttributeValue,
    Interval,
    Preference,
    Roommates,
    Rules,
    TermSpec,
)

Assignments = dict[str, str | None]
T = TypeVar("T")

#: First night of the date window; every stay and closure lies in [WINDOW_START, +WINDOW_NIGHTS).
WINDOW_START = dt.date(2026, 9, 1)
WINDOW_NIGHTS = 10
FEATURES = ("accessible", "quiet", "ensuite")
GENDERS = ("female", "male", None)
BUILDINGS = ("A", "B")
NOTES = ("", "from the 2025 list", "ünïcode ✓")
FLOORS = (0, 2)  # inclusive range of floors
BUILTIN_TERMS = ("housed", "preferences", "roommates", "cost", "rooms_used", "moves", "fairness")

_WEIGHTS = st.one_of(
    st.integers(min_value=-3, max_value=5).map(float),
    st.sampled_from((0.5, -0.5, 1.5)),
)
_PRIORITIES = st.sampled_from((1.0, 2.0, 3.0, 1.5))
_COSTS = st.sampled_from((0.0, 50.0, 100.0, 150.0, 200.0))
_BUDGETS = st.sampled_from((50.0, 100.0, 150.0, 200.0, 250.0))
_TERM_WEIGHTS = st.sampled_from((0.0, 0.5, 1.0, 2.0, 3.0, 10.0))


def first(
    strategy: st.SearchStrategy[T],
    condition: Callable[[T], bool] = lambda _: True,
    max_examples: int = 2000,
) -> T:
    """The first drawn example satisfying ``condition``: derandomized and NOT shrunk.

    ``hypothesis.find`` shrinks its answer, which costs seconds on a whole problem; tests that
    only need *some* example with a property use this instead.

    >>> first(intervals(), lambda i: i.start.day == 5).start
    datetime.date(2026, 9, 5)
    """
    quick = settings(
        max_examples=max_examples, derandomize=True, database=None, phases=[Phase.generate]
    )
    return find(strategy, condition, settings=quick)


def intervals() -> st.SearchStrategy[Interval]:
    """Half-open intervals of 1..10 nights inside the 10-night window of September 2026.

    >>> first(intervals(), lambda i: i.end - i.start >= dt.timedelta(days=3)).start.month
    9
    """

    @st.composite
    def build(draw: st.DrawFn) -> Interval:
        offset = draw(st.integers(min_value=0, max_value=WINDOW_NIGHTS - 1))
        nights = draw(st.integers(min_value=1, max_value=WINDOW_NIGHTS - offset))
        start = WINDOW_START + dt.timedelta(days=offset)
        return Interval(start=start, end=start + dt.timedelta(days=nights))

    return build()


@st.composite
def _custom_objective(draw: st.DrawFn) -> tuple[TermSpec, ...]:
    names = draw(st.lists(st.sampled_from(BUILTIN_TERMS), min_size=1, max_size=7, unique=True))
    return tuple(TermSpec(term=n, weight=draw(_TERM_WEIGHTS)) for n in names)


def objectives() -> st.SearchStrategy[tuple[TermSpec, ...]]:
    """Objectives: the default one, or 1..7 distinct built-in terms with small weights >= 0.

    >>> {t.term for t in first(objectives(), lambda o: len(o) == 7)} == set(BUILTIN_TERMS)
    True
    """
    return st.one_of(st.just(DEFAULT_OBJECTIVE), _custom_objective())


def _subset(draw: st.DrawFn, items: Sequence[str], max_size: int) -> tuple[str, ...]:
    """A duplicate-free subset of ``items`` (empty when ``items`` is)."""
    if not items or max_size <= 0:
        return ()
    return tuple(draw(st.lists(st.sampled_from(items), max_size=max_size, unique=True)))


def _rare(draw: st.DrawFn, on: bool, one_in: int) -> bool:
    """True about once in ``one_in`` draws when the knob ``on`` is set, else False."""
    return on and draw(st.integers(min_value=1, max_value=one_in)) == 1


def _extras(draw: st.DrawFn, on: bool, key: str, values: Sequence[AttributeValue]) -> Any:
    """``attributes`` (ignored by the built-ins) and a ``_note`` annotation, when ``on``."""
    if not on:
        return {}
    return {
        "attributes": {key: draw(st.sampled_from(values))},
        "_note": draw(st.sampled_from(NOTES)),
    }


def _room(draw: st.DrawFn, index: int, gender: bool, unavailable: bool, extras: bool) -> Room:
    building = draw(st.sampled_from(BUILDINGS))
    return Room(
        **_extras(draw, extras, "wing", ("east", "west")),
        id=f"{building}-{index}",
        building=building,
        floor=draw(st.integers(min_value=FLOORS[0], max_value=FLOORS[1])),
        capacity=draw(st.integers(min_value=1, max_value=3)),
        features=tuple(sorted(_subset(draw, FEATURES, len(FEATURES)))),
        gender=draw(st.sampled_from(GENDERS)) if _rare(draw, gender, 4) else None,
        cost=draw(_COSTS),
        unavailable=(draw(intervals()),) if _rare(draw, unavailable, 5) else (),
    )


def _preference(draw: st.DrawFn, rooms: Sequence[Room]) -> Preference:
    weight = draw(_WEIGHTS)
    kinds = ["building", "feature", "floor"] + (["room"] if rooms else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "room":
        return Preference(room=draw(st.sampled_from([r.id for r in rooms])), weight=weight)
    if kind == "building":
        return Preference(building=draw(st.sampled_from(BUILDINGS)), weight=weight)
    if kind == "feature":
        return Preference(feature=draw(st.sampled_from(FEATURES)), weight=weight)
    low = draw(st.integers(min_value=FLOORS[0], max_value=FLOORS[1]))
    high = draw(st.integers(min_value=low, max_value=FLOORS[1]))
    return Preference(floor=(low, high), weight=weight)


def _group_labels(draw: st.DrawFn, count: int) -> list[str | None]:
    """Group label per resident: disjoint groups of 2-3 residents, the rest ungrouped."""
    labels: list[str | None] = [None] * count
    order = draw(st.permutations(range(count)))
    at = 0
    for g in range(draw(st.integers(min_value=0, max_value=count // 2))):
        size = draw(st.integers(min_value=2, max_value=3))
        if at + size > count:
            break
        for i in order[at : at + size]:
            labels[i] = f"g{g}"
        at += size
    return labels


def room_allows(resident: Resident, room: Room) -> bool:
    """Whether the resident's own hard rules (room gender, needs, budget, excluded rooms, room
    closures) allow ``room``; other residents are not considered.

    >>> room_allows(Resident(id="r", budget=100), Room(id="A", capacity=1, cost=150))
    False
    """
    return (
        room.gender in (None, resident.gender)
        and set(resident.needs) <= set(room.features)
        and (resident.budget is None or room.cost <= resident.budget)
        and room.id not in resident.excluded_rooms
        and not any(closed.overlaps(resident.stay) for closed in room.unavailable)
    )


@st.composite
def _problems(
    draw: st.DrawFn,
    *,
    min_rooms: int,
    max_rooms: int,
    min_residents: int,
    max_residents: int,
    max_allocations: int | None,
    stays: bool,
    gender: bool,
    avoid: bool,
    groups: bool,
    private: bool,
    locked: bool,
    roommates: bool,
    needs: bool,
    budgets: bool,
    required: bool,
    unavailable: bool,
    excluded: bool,
    preferences: bool,
    extras: bool,
    objective: Sequence[TermSpec] | None,
) -> Problem:
    n_rooms = draw(st.integers(min_value=min_rooms, max_value=max_rooms))
    top = max_residents
    if max_allocations is not None:
        # largest n with (n_rooms + 1) ** n <= max_allocations, but never below min_residents
        while top > min_residents and (n_rooms + 1) ** top > max_allocations:
            top -= 1
    n_res = draw(st.integers(min_value=min_residents, max_value=max(top, min_residents)))
    rooms = [_room(draw, k, gender, unavailable, extras) for k in range(n_rooms)]
    room_ids = [r.id for r in rooms]
    ids = [f"r{i}" for i in range(n_res)]
    group_of = _group_labels(draw, n_res) if groups else [None] * n_res
    genders: list[str | None] = [draw(st.sampled_from(GENDERS)) if gender else None for _ in ids]
    if gender:
        # members of a group usually share the first member's gender (mixed groups stay possible)
        leader: dict[str, str | None] = {}
        for i, label in enumerate(group_of):
            if label is not None and not _rare(draw, True, 4):
                genders[i] = leader.setdefault(label, genders[i])

    residents = []
    for i, rid in enumerate(ids):
        others = ids[:i] + ids[i + 1 :]
        want = _subset(draw, others, 2) if roommates else ()
        avoid_ids = _subset(draw, [o for o in others if o not in want], 1) if avoid else ()
        current = draw(st.sampled_from(rooms)) if rooms and _rare(draw, True, 3) else None
        resident = Resident(
            **_extras(draw, extras, "age", (19, 23, 30, 45.5, True)),
            id=rid,
            gender=genders[i],
            stay=draw(intervals()) if stays and draw(st.integers(0, 3)) > 0 else None,
            priority=draw(_PRIORITIES),
            required=_rare(draw, required, 10),
            needs=_subset(draw, FEATURES, 1) if _rare(draw, needs, 4) else (),
            private=_rare(draw, private, 4),
            budget=draw(_BUDGETS) if _rare(draw, budgets, 3) else None,
            excluded_rooms=_subset(draw, room_ids, 1) if _rare(draw, excluded, 4) else (),
            preferences=tuple(
                _preference(draw, rooms)
                for _ in range(draw(st.integers(0, 3)) if preferences else 0)
            ),
            roommates=Roommates(want=want, avoid=avoid_ids),
            group=group_of[i],
            current_room=current.id if current else None,
        )
        # A locked resident usually fits the room they live in; now and then one does not.
        if (
            current
            and _rare(draw, locked, 4)
            and (room_allows(resident, current) or _rare(draw, True, 4))
        ):
            resident = resident.model_copy(update={"locked": True})
        residents.append(resident)
    return Problem(
        rules=Rules(gender_mixing=draw(st.sampled_from(("forbid", "allow")))),
        rooms=tuple(rooms),
        residents=tuple(residents),
        objective=tuple(objective) if objective is not None else draw(objectives()),
    )


def problems(
    max_rooms: int = 4,
    max_residents: int = 6,
    *,
    min_rooms: int = 1,
    min_residents: int = 1,
    max_allocations: int | None = None,
    stays: bool = True,
    gender: bool = True,
    avoid: bool = True,
    groups: bool = True,
    private: bool = True,
    locked: bool = True,
    roommates: bool = True,
    needs: bool = True,
    budgets: bool = True,
    required: bool = True,
    objective: Sequence[TermSpec] | None = None,
    unavailable: bool = True,
    excluded: bool = True,
    preferences: bool = True,
    extras: bool = False,
) -> st.SearchStrategy[Problem]:
    """Valid problems with ``min_rooms..max_rooms`` rooms and ``min_residents..max_residents``.

    Each feature knob set to False removes that feature entirely:

    - ``stays``: resident stays (when on, about 1 in 4 residents still has none);
    - ``gender``: room and resident genders (``gender_mixing`` is drawn either way);
    - ``avoid`` / ``roommates``: ``roommates.avoid`` / ``roommates.want``;
    - ``groups``: disjoint groups of 2-3 residents (members usually share a gender);
    - ``private``, ``needs``, ``budgets``, ``required``, ``excluded`` (``excluded_rooms``),
      ``unavailable`` (room closures), ``preferences``;
    - ``locked``: locked residents (``current_room`` is drawn regardless); a locked resident
      usually fits their room, now and then not (then the problem is infeasible);
    - ``extras`` (off by default): ``attributes`` (rooms ``wing``, residents ``age``) and a
      ``_note`` annotation on every room and resident.

    ``objective=None`` draws one (see :func:`objectives`); a sequence of TermSpec fixes it.
    ``max_allocations`` caps ``(rooms + 1) ** residents`` (fewer residents are drawn to fit)
    for brute-force tests. Room ids look like ``A-0``, ``B-1``; resident ids ``r0``, ``r1``;
    groups ``g0``, ``g1``. About 1 in 5 tiny default problems is infeasible (measured).

    >>> p = first(problems(stays=False), lambda p: len(p.residents) >= 3)
    >>> [r.stay for r in p.residents][:3]
    [None, None, None]
    """
    if not 0 <= min_rooms <= max_rooms or not 0 <= min_residents <= max_residents:
        raise ValueError("need 0 <= min <= max for rooms and residents")
    return _problems(
        min_rooms=min_rooms,
        max_rooms=max_rooms,
        min_residents=min_residents,
        max_residents=max_residents,
        max_allocations=max_allocations,
        stays=stays,
        gender=gender,
        avoid=avoid,
        groups=groups,
        private=private,
        locked=locked,
        roommates=roommates,
        needs=needs,
        budgets=budgets,
        required=required,
        unavailable=unavailable,
        excluded=excluded,
        preferences=preferences,
        extras=extras,
        objective=objective,
    )


#: Upper bound on (rooms + 1) ** residents in :func:`tiny_problems` (5 ** 6).
TINY_ALLOCATIONS = 15_625


def tiny_problems(
    max_allocations: int = TINY_ALLOCATIONS, **knobs: object
) -> st.SearchStrategy[Problem]:
    """Problems small enough to brute-force: <= 4 rooms, <= 6 residents, and
    ``(rooms + 1) ** residents <= max_allocations`` (lower it for faster brute force; a
    ``min_residents`` knob wins over the cap). ``knobs`` are passed on to :func:`problems`.

    >>> p = first(tiny_problems(max_allocations=100))
    >>> (len(p.rooms) + 1) ** len(p.residents) <= 100
    True
    """
    knobs.setdefault("max_rooms", 4)
    knobs.setdefault("max_residents", 6)
    return problems(max_allocations=max_allocations, **knobs)  # type: ignore[arg-type]


def allocations(problem: Problem) -> st.SearchStrategy[Assignments]:
    """Any assignment of every resident to one of the problem's rooms or ``None`` (unhoused).

    Not necessarily valid: meant for verifier and evaluation tests.

    >>> from roomalloc import Problem, Resident, Room
    >>> p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1")])
    >>> first(allocations(p), lambda a: a["r1"] == "A")
    {'r1': 'A'}
    """
    choices: list[str | None] = [None, *(r.id for r in problem.rooms)]
    return st.fixed_dictionaries({r.id: st.sampled_from(choices) for r in problem.residents})


def problem_with_allocation(
    problems_strategy: st.SearchStrategy[Problem] | None = None,
) -> st.SearchStrategy[tuple[Problem, Assignments]]:
    """A problem (from ``problems_strategy``, default :func:`problems`) and any allocation of it.

    >>> p, a = first(problem_with_allocation())
    >>> set(a) == {r.id for r in p.residents}
    True
    """
    base = problems() if problems_strategy is None else problems_strategy
    return base.flatmap(lambda p: allocations(p).map(lambda a: (p, a)))
