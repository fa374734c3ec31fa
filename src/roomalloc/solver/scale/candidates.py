"""Sparse candidates: for each resident, a short list of rooms, and the room classes they may use.

The dense matrices of :mod:`roomalloc.solver.candidates` hold one entry per resident-room pair
(9 GB at 50,000 x 20,000). Here residents are scanned in blocks: each block's static rules and
scores come from the same functions (:func:`~roomalloc.solver.candidates.allowed_matrix`,
:func:`~roomalloc.solver.candidates.score_matrix`, so each rule keeps its one home) through a
:class:`~roomalloc.solver.scale.scan.RoomScan` (what is per room, once), and only a few rooms
per resident are kept, as CSR arrays:

* the ``TOP_ROOMS`` rooms of highest value for the resident (preference score times its
  weight, minus the bed cost times its weight, plus the ``moves`` weight for the current room),
  ties broken by a seeded jitter so that residents who like the same kind of room spread out;
  of them, one in ``SAMPLED_SHARE`` is instead the best of a few rooms drawn at random (so
  that residents who rank every room alike are not all offered the same ones);
* for each *kind* of room (capacity and gender designation: what decides whom a resident can
  share with), the ``PER_KIND`` best allowed rooms of that kind: a resident can always be
  offered a single, a double, ..., a room of their gender or an undesignated one;
* the current room, when the static rules allow it.

Every room kept is allowed by the resident's own static rules. In the same pass each resident's
best value per *room class* (a partition of the rooms, :func:`room_classes`) is kept: the arcs
of the assignment relaxation (:mod:`roomalloc.solver.scale.bound`).

Memory: ``residents x (TOP_ROOMS + PER_KIND x kinds + 1)`` candidates plus the class arcs
(at most ``ARC_BUDGET``) and one block of ``BLOCK x rooms`` while scanning.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference
>>> p = Problem(rooms=[Room(id="A", capacity=1, features=("accessible",)),
...                    Room(id="B", capacity=2), Room(id="C", capacity=2, building="N")],
...             residents=[Resident(id="r1", needs=("accessible",)),
...                        Resident(id="r2", preferences=[Preference(building="N", weight=2)])])
>>> c = sparse_candidates(ProblemArrays.of(p))
>>> c.rooms_of(0).tolist(), sorted(c.rooms_of(1).tolist())
([0], [0, 1, 2])
>>> float(c.values_of(1)[c.rooms_of(1) == 2][0])
2.0
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from roomalloc.domain.model import Problem, Room
from roomalloc.solver.scale.arrays import FloatArray, IntArray, ProblemArrays
from roomalloc.solver.scale.scan import RoomScan

#: Rooms kept per resident by value alone.
TOP_ROOMS = 24
#: Rooms kept per resident and kind of room (capacity, gender designation).
PER_KIND = 1
#: Of the ``TOP_ROOMS``, one in SAMPLED_SHARE is among the best of SAMPLE_DRAWS rooms drawn
#: at random. By value alone, the residents of staff_housing 10,000 were offered the same
#: cheapest rooms (the bed cost is in the value), full after 700 residents: 7,604 of 13,013
#: insertions of required residents failed, 138 were left out, 6,318 housed. The best 4 of
#: 64 draws were still among the cheapest (2,549 failures, 41 out); of 16 draws: 153
#: failures of 2,004, 2 out, 7,572 housed, the start 21 s instead of 66 s.
SAMPLED_SHARE = 6
SAMPLE_DRAWS = 16
#: Residents scanned at once: the block's dense matrices are BLOCK x rooms.
BLOCK = 256
#: Every how many columns the sample that bounds a row's top values reads (measured at 23,000
#: rooms: 8 cost 60 ms a block, 16 and 32 more: the rows' candidates grow with it).
SAMPLE_STRIDE = 8
#: The relaxation's arcs (resident x room class) are kept below this many.
ARC_BUDGET = 6_000_000

ClassKey = Callable[[Room], tuple[object, ...]]


def _exact_key(referenced: set[str]) -> ClassKey:
    def key(k: Room) -> tuple[object, ...]:
        return (k.building, k.floor, tuple(sorted(k.features)), k.gender, k.cost,
                k.unavailable, k.capacity, k.id if k.id in referenced else None)
    return key


#: Coarser and coarser partitions: a class's value for a resident is its best room's.
_COARSE_KEYS: tuple[ClassKey, ...] = (
    lambda k: (k.building, k.floor, k.gender, k.capacity, tuple(sorted(k.features))),
    lambda k: (k.building, k.floor, k.gender, k.capacity),
    lambda k: (k.building, k.gender, k.capacity),
    lambda k: (k.gender, k.capacity),
)


def referenced_rooms(problem: Problem) -> set[str]:
    """Ids some resident names: a room preference, an excluded room or a current room.

    >>> from roomalloc import Problem, Room, Resident
    >>> referenced_rooms(Problem(rooms=[Room(id="A", capacity=1)],
    ...                          residents=[Resident(id="r", current_room="A")]))
    {'A'}
    """
    out: set[str] = set()
    for r in problem.residents:
        out.update(p.room for p in r.preferences if p.room is not None)
        out.update(r.excluded_rooms)
        if r.current_room is not None:
            out.add(r.current_room)
    return out


@dataclass(frozen=True, eq=False)
class RoomClasses:
    """A partition of the rooms: ``of_room[k]`` is room ``k``'s class; ``exact`` when rooms of a
    class are alike for every rule and score (so any room of it serves as well as another)."""

    of_room: IntArray
    count: int
    exact: bool

    @property
    def order(self) -> IntArray:
        """Rooms sorted by class (stable)."""
        return np.argsort(self.of_room, kind="stable")

    @property
    def first(self) -> IntArray:
        """Position in :attr:`order` where each class begins."""
        return np.searchsorted(self.of_room[self.order], np.arange(self.count))


def room_classes(problem: Problem, *, exact: bool, max_classes: int) -> RoomClasses:
    """Rooms that no rule or score can tell apart (``exact``), or the finest coarse partition
    with at most ``max_classes`` classes (the coarsest when none is that small).

    >>> from roomalloc import Problem, Room
    >>> p = Problem(rooms=[Room(id="A", capacity=2), Room(id="B", capacity=2),
    ...                    Room(id="C", capacity=1)])
    >>> room_classes(p, exact=True, max_classes=10).of_room.tolist()
    [0, 0, 1]
    """
    keys = [_exact_key(referenced_rooms(problem))] if exact else list(_COARSE_KEYS)
    codes: list[int] = []
    table: dict[tuple[object, ...], int] = {}
    for key in keys:
        table = {}
        codes = [table.setdefault(key(k), len(table)) for k in problem.rooms]
        if len(table) <= max_classes:
            break
    return RoomClasses(np.array(codes, dtype=np.int64), len(table), exact)


@dataclass(frozen=True, eq=False)
class SparseCandidates:
    """CSR arrays: resident ``i``'s candidate rooms are ``rooms[indptr[i]:indptr[i+1]]`` with
    ``values`` (best first); its class arcs ``arc_class[arc_ptr[i]:arc_ptr[i+1]]`` with
    ``arc_value``, the best value among the class's rooms that ``i`` may use. Values leave out
    ``housed`` and ``roommates`` (they do not depend on the room chosen)."""

    indptr: IntArray
    rooms: npt.NDArray[np.int32]
    values: FloatArray
    classes: RoomClasses
    arc_ptr: IntArray
    arc_class: npt.NDArray[np.int32]
    arc_value: FloatArray
    #: The scan the candidates came from: dense rows of more residents later, at its cost.
    scan: RoomScan

    def rooms_of(self, i: int) -> npt.NDArray[np.int32]:
        """Candidate rooms of resident ``i``, best value first."""
        return self.rooms[self.indptr[i]:self.indptr[i + 1]]

    def values_of(self, i: int) -> FloatArray:
        """Values of :meth:`rooms_of`."""
        return self.values[self.indptr[i]:self.indptr[i + 1]]

    @property
    def pair_count(self) -> int:
        """Number of resident-room candidates kept."""
        return int(self.rooms.size)

    def value_of(self, i: int, room: int) -> float | None:
        """Value of ``room`` for ``i`` if it is a candidate, else ``None``."""
        rooms = self.rooms_of(i)
        hit = np.flatnonzero(rooms == room)
        return float(self.values_of(i)[hit[0]]) if hit.size else None


def sparse_candidates(arrays: ProblemArrays, *, seed: int = 0, exact_classes: bool = False,
                      top: int = TOP_ROOMS, per_kind: int = PER_KIND,
                      should_stop: Callable[[], bool] | None = None) -> SparseCandidates:
    """Each resident's candidate rooms and class arcs, scanning ``BLOCK`` residents at a time.

    ``exact_classes`` asks for the exact room classes (an exact relaxation for pure assignment
    problems) when their arcs fit ``ARC_BUDGET``; otherwise a coarse partition is used.
    ``should_stop`` is polled between blocks; when it says so, ``KeyboardInterrupt`` is raised.
    """
    n, m = arrays.residents, arrays.rooms
    rng = np.random.default_rng(seed)
    max_classes = max(64, ARC_BUDGET // max(n, 1))
    classes = room_classes(arrays.problem, exact=exact_classes, max_classes=max_classes)
    if classes.exact and classes.count > max_classes:
        classes = room_classes(arrays.problem, exact=False, max_classes=max_classes)
    scan = RoomScan(arrays, classes.of_room)
    # Every class lies in one kind (each class key holds capacity and gender), so in the
    # scan's order each kind and each class is one slice; classes are renumbered in that order.
    by_column = classes.of_room[scan.order]
    class_starts = np.flatnonzero(np.diff(by_column, prepend=-1)) if m else np.zeros(0, np.int64)
    renumbered = np.empty(m, dtype=np.int64)
    renumbered[scan.order] = np.cumsum(np.diff(by_column, prepend=-1) != 0) - 1
    classes = RoomClasses(renumbered, int(class_starts.size), classes.exact)
    kinds = (arrays.capacity * 1000 + (arrays.room_gender + 2))[scan.order]
    kind_bounds = np.flatnonzero(np.diff(kinds, prepend=-1, append=-2)).tolist()
    kind_slices = list(itertools.pairwise(kind_bounds))
    jitter = Jitter(rng, min(n, BLOCK), m)
    room_parts: list[npt.NDArray[np.int32]] = []
    value_parts: list[FloatArray] = []
    counts = np.zeros(n, dtype=np.int64)
    arc_parts: list[npt.NDArray[np.int32]] = []
    arc_value_parts: list[FloatArray] = []
    arc_counts = np.zeros(n, dtype=np.int64)
    for lo in range(0, n if m else 0, BLOCK):
        if should_stop is not None and should_stop():
            raise KeyboardInterrupt
        rows = np.arange(lo, min(n, lo + BLOCK))
        allowed, masked = scan.rows(rows)
        np.copyto(masked, -np.inf, where=~allowed)
        # The jitter only orders equal values; the values kept are exact.
        ranked = masked + jitter.rows(rows.size)
        r, c = _picks(ranked, kind_slices, scan.current[rows], top, per_kind, rng)
        order = np.lexsort((-ranked[r, c], r))
        r, c = r[order], c[order]
        room_parts.append(scan.order[c].astype(np.int32))
        value_parts.append(masked[r, c])
        counts[rows] = np.bincount(r, minlength=rows.size)
        best = np.maximum.reduceat(masked, class_starts, axis=1)
        r, k = np.nonzero(best > -np.inf)
        arc_parts.append(k.astype(np.int32))
        arc_value_parts.append(best[r, k])
        arc_counts[rows] = np.bincount(r, minlength=rows.size)
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    arc_ptr = np.concatenate([[0], np.cumsum(arc_counts)]).astype(np.int64)
    return SparseCandidates(
        indptr=indptr,
        rooms=np.concatenate(room_parts) if room_parts else np.zeros(0, np.int32),
        values=np.concatenate(value_parts) if value_parts else np.zeros(0),
        classes=classes,
        arc_ptr=arc_ptr,
        arc_class=np.concatenate(arc_parts) if arc_parts else np.zeros(0, np.int32),
        arc_value=np.concatenate(arc_value_parts) if arc_value_parts else np.zeros(0),
        scan=scan,
    )


class Jitter:
    """Tiny random numbers below ``1e-6``, a block of ``rows x width`` at a time, each block a
    window of one random stream at a random offset (a view, not a copy): drawing them afresh
    for each block cost as much as the rest of a block's ranking at 23,000 rooms. Each row
    reads numbers no other row of the block reads, and the rows of two blocks compare their
    columns by different numbers unless both windows start at the same place.

    >>> j = Jitter(np.random.default_rng(0), 2, 3).rows(2)
    >>> j.shape, bool((j >= 0).all() and (j < 1e-6).all())
    ((2, 3), True)
    """

    def __init__(self, rng: np.random.Generator, rows: int, width: int) -> None:
        self.rng = rng
        self.width = width
        # float64, as the values: adding float32 numbers to them cast every one.
        self.stream = rng.random(2 * rows * width + 1)
        self.stream *= 1e-6

    def rows(self, count: int) -> FloatArray:
        """``count x width`` numbers (``count`` at most the ``rows`` given when made)."""
        span = count * self.width
        start = int(self.rng.integers(0, self.stream.size - span + 1))
        return self.stream[start:start + span].reshape(count, self.width)


def _top_columns(ranked: FloatArray, top: int) -> tuple[IntArray, IntArray]:
    """``(row, column)`` of each row's ``top`` highest finite entries (rows with fewer: all).

    A strided sample's ``top``-th highest is never above the row's own, so every entry at
    least that high is a candidate: about ``top x SAMPLE_STRIDE`` a row, where a partition of
    every column cost 4 times as much at 23,000 rooms.
    """
    m = ranked.shape[1]
    stride = max(1, min(SAMPLE_STRIDE, m // (top * 16)))
    sample = ranked[:, ::stride]
    width = sample.shape[1]
    floor = np.full(ranked.shape[0], -np.finfo(np.float64).max)
    if width > top:
        floor = np.maximum(floor, np.partition(sample, width - top, axis=1)[:, width - top])
    r, c = np.nonzero(ranked >= floor[:, None])
    order = np.lexsort((-ranked[r, c], r))
    r, c = r[order], c[order]
    first = np.searchsorted(r, np.arange(ranked.shape[0]))
    keep = np.arange(r.size) - first[r] < top
    return r[keep], c[keep]


def _picks(ranked: FloatArray, kind_slices: list[tuple[int, int]], current: IntArray,
           top: int, per_kind: int, rng: np.random.Generator) -> tuple[IntArray, IntArray]:
    """``(row, column)`` of the candidates, each once: the ``top`` best of a row (of which
    ``top // SAMPLED_SHARE`` the best of ``SAMPLE_DRAWS`` columns drawn at random), the
    ``per_kind`` best of each kind's slice, the current room; finite entries only."""
    sampled = top // SAMPLED_SHARE
    r, c = _top_columns(ranked, top - sampled)
    rs, cs = [r], [c]
    if sampled:
        every = np.arange(ranked.shape[0])[:, None]
        drawn = rng.integers(0, ranked.shape[1], size=(ranked.shape[0], SAMPLE_DRAWS))
        values = ranked[every, drawn]
        best = np.argsort(-values, axis=1, kind="stable")[:, :sampled]
        r = np.repeat(every[:, 0], best.shape[1])
        c = drawn[every, best].reshape(-1)
        ok = np.isfinite(ranked[r, c])
        rs.append(r[ok])
        cs.append(c[ok])
    every = np.arange(ranked.shape[0])
    for a, b in kind_slices:
        if b - a <= per_kind:
            r, c = np.nonzero(np.isfinite(ranked[:, a:b]))
            rs.append(r)
            cs.append(c + a)
            continue
        sub = ranked[:, a:b]
        if per_kind == 1:  # argmax is several times quicker than argpartition
            best = np.argmax(sub, axis=1)[:, None]
        else:
            best = np.argpartition(-sub, per_kind - 1, axis=1)[:, :per_kind]
        r = np.repeat(every, best.shape[1])
        c = best.reshape(-1) + a
        ok = np.isfinite(ranked[r, c])
        rs.append(r[ok])
        cs.append(c[ok])
    has = np.flatnonzero(current >= 0)
    ok = np.isfinite(ranked[has, current[has]])
    rs.append(has[ok])
    cs.append(current[has][ok])
    m = ranked.shape[1]
    key = np.unique(np.concatenate(rs).astype(np.int64) * m + np.concatenate(cs))
    return key // m, key % m


@dataclass(frozen=True, eq=False)
class GroupRooms:
    """For each group number, the rooms every member may use (best summed value first)."""

    rooms: dict[int, npt.NDArray[np.int32]]
    values: dict[int, FloatArray]


def group_candidates(arrays: ProblemArrays, *, top: int = TOP_ROOMS,
                     scan: RoomScan | None = None) -> GroupRooms:
    """The rooms a whole group may share: allowed for every member, by summed value.

    A group's members are scanned together (their dense rows only), so the common rooms are
    exact, not the intersection of each member's short list. ``scan`` (the candidates') saves
    making one.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=2, features=("quiet",)), Room(id="B", capacity=2)],
    ...             residents=[Resident(id="a", group="g", needs=("quiet",)),
    ...                        Resident(id="b", group="g")])
    >>> group_candidates(ProblemArrays.of(p)).rooms[0].tolist()
    [0]
    """
    rooms: dict[int, npt.NDArray[np.int32]] = {}
    values: dict[int, FloatArray] = {}
    if not arrays.groups:
        return GroupRooms(rooms, values)
    scan = RoomScan(arrays) if scan is None else scan
    labels = list(arrays.groups)
    size = 0
    batch: list[int] = []
    for n, g in enumerate(labels):
        batch.append(g)
        size += len(arrays.groups[g])
        if size < BLOCK and n + 1 < len(labels):
            continue
        allowed, value = scan.rows([i for h in batch for i in arrays.groups[h]])
        at = 0
        for h in batch:
            count = len(arrays.groups[h])
            ok = allowed[at:at + count].all(axis=0)
            total = np.where(ok, value[at:at + count].sum(axis=0), -np.inf)
            cols = np.flatnonzero(ok)
            kept = scan.order[cols]
            best = np.lexsort((kept, -total[cols]))[:top]
            rooms[h] = kept[best].astype(np.int32)
            values[h] = total[cols[best]]
            at += count
        batch, size = [], 0
    return GroupRooms(rooms, values)
