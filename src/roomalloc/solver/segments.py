"""Stays become segments once: per room, the nights where some stay starts cut time into pieces.

Who is in a room only grows on a night where somebody's stay starts; between two such nights
people only leave. So the set of residents present on a segment's *first* night contains the
set present on every later night of that segment, and checking a per-night rule that only gets
harder with more people (capacity, gender mixing, private, "at most two first-years") on the
first nights is the same as checking it on every night. Two residents overlap exactly when both
are present on the first night of some segment (the later of their two start nights).

A room whose candidates have no stays at all has one segment covering all time
(``first_night`` is ``None``). Residents without a stay are present in every segment.

Example
-------
>>> import numpy as np
>>> starts = np.array([1, 3, 5]); ends = np.array([4, 6, 9])
>>> [(s.first_night, s.members) for s in room_segments(starts, ends, np.array([0, 1, 2]))]
[(1, (0,)), (3, (0, 1)), (5, (1, 2))]
>>> [(s.first_night, s.members) for s in binding_segments(starts, ends, np.array([0, 1, 2]))]
[(3, (0, 1)), (5, (1, 2))]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from roomalloc.solver.candidates import NO_STAY_START_DAY

IntVector = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Segment:
    """Nights ``[first_night, next cut)`` of one room, with the residents present on the first.

    ``first_night`` is an ordinal day number (``None``: the room's only segment, all time);
    ``members`` are resident indices (rows of the candidate matrix) present on that night, in
    increasing order: every later night of the segment holds a subset of them.
    """

    first_night: int | None
    members: tuple[int, ...]

    @property
    def date(self) -> dt.date | None:
        """The first night as a date (``None`` for the all-time segment)."""
        return None if self.first_night is None else dt.date.fromordinal(self.first_night)


def room_segments(starts: IntVector, ends: IntVector, members: IntVector) -> list[Segment]:
    """Every segment of a room whose possible occupants are the residents ``members``.

    ``starts``/``ends`` hold every resident's stay (ordinal days, half-open; see
    :func:`roomalloc.solver.candidates.stay_bounds`). Segments nobody is present in are left out.
    """
    members = np.asarray(members, dtype=np.int64)
    if members.size == 0:
        return []
    s, e = starts[members], ends[members]
    cuts = np.unique(s[s > NO_STAY_START_DAY])
    if cuts.size == 0:
        return [Segment(None, tuple(int(m) for m in members))]
    present = (s[None, :] <= cuts[:, None]) & (cuts[:, None] < e[None, :])
    return [
        Segment(int(t), tuple(int(m) for m in members[row]))
        for t, row in zip(cuts, present, strict=True)
        if row.any()
    ]


def binding_segments(starts: IntVector, ends: IntVector, members: IntVector) -> list[Segment]:
    """The segments whose resident set is not contained in another segment's.

    A rule that only gets harder with more people holds on every night exactly when it holds on
    these; the solver uses them for capacity, gender mixing and private rooms.
    """
    segments = room_segments(starts, ends, members)
    if len(segments) <= 1:
        return segments
    index = {int(m): j for j, m in enumerate(np.asarray(members))}
    present = np.zeros((len(segments), len(index)), dtype=np.int32)
    for i, seg in enumerate(segments):
        present[i, [index[m] for m in seg.members]] = 1
    sizes = present.sum(axis=1)
    # outside[i, j]: members of i missing from j; i is contained in j when that is 0.
    outside = present @ (1 - present).T
    contained = outside == 0
    keep = []
    for i in range(len(segments)):
        covers = contained[i].copy()
        covers[i] = False
        # Drop i when a strictly larger segment covers it, or an equal one that comes first.
        bigger = covers & ((sizes > sizes[i]) | (np.arange(len(segments)) < i))
        if not bigger.any():
            keep.append(segments[i])
    return keep
