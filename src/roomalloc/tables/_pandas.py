"""pandas is an optional extra: import it only where a table is read or made.

Example
-------
>>> pd = require_pandas()
>>> pd.DataFrame({'room': ['A-1']}).shape
(1, 1)
"""

from __future__ import annotations

from types import ModuleType

from roomalloc.domain.errors import RoomallocError


def require_pandas() -> ModuleType:
    """The pandas module, or a :class:`RoomallocError` saying how to install it.

    >>> require_pandas().__name__
    'pandas'
    """
    try:
        import pandas
    except ImportError:
        raise RoomallocError(
            "reading and writing tables needs pandas (and openpyxl for Excel): "
            "pip install 'roomalloc[tables]'"
        ) from None
    return pandas
