"""Random draws that give the same numbers on every machine.

Only uniform draws are used (``Generator.random``, ``integers``, ``permutation``), turned into
categories through a cumulative sum, which numpy computes left to right on every platform
(unlike ``sum``, whose pairwise order may depend on the CPU's vector unit). No logarithms or
exponentials, whose last bit may differ between C libraries.

Example
-------
>>> import numpy as np
>>> categorical(np.random.default_rng(0), [0.0, 1.0, 3.0], 8).tolist()
[2, 2, 1, 1, 2, 2, 2, 2]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


def categorical(rng: np.random.Generator, weights: Sequence[float] | npt.NDArray[np.float64],
                size: int) -> IntArray:
    """``size`` draws of category ``i`` with probability ``weights[i] / sum(weights)``.

    The weights must be non-negative with a positive sum.

    >>> import numpy as np
    >>> sorted(set(categorical(np.random.default_rng(1), [1, 0, 1], 50).tolist()))
    [0, 2]
    """
    w = np.asarray(weights, dtype=np.float64)
    cdf = np.cumsum(w)
    picks = np.searchsorted(cdf, rng.random(size) * cdf[-1], side="right")
    last = int(np.flatnonzero(w > 0)[-1])  # u * total may round up to total
    out: IntArray = np.minimum(picks, last).astype(np.int64)
    return out
