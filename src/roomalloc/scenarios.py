"""The what-if edits, as ``roomalloc.scenarios``: ``close``, ``weight``, ``arrive``, ...

They live in :mod:`roomalloc.analysis.scenarios` (see there and ``docs/whatif.md``).

>>> from roomalloc.scenarios import close, weight
>>> (close("C") | weight(roommates=2)).name
'close building C; roommates x2'
"""

from roomalloc.analysis import scenarios as _edits
from roomalloc.analysis.scenarios import *  # noqa: F403  # the public names, listed there

__all__ = list(_edits.__all__)
