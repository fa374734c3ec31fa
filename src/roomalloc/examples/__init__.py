"""Example problems shipped with roomalloc, for the README, the tests and first experiments.

``contract_example``
    The example problem of the format contract (``docs/format.md``), word for word.
``campus_small``
    A small campus: 15 residents, 8 rooms in two buildings, with accessible and
    gender-designated rooms, budgets, every kind of preference, a friend pair, an avoid pair,
    two siblings who share a room, a short-stay visitor and a locked incumbent.

Example
-------
>>> from roomalloc.examples import example_names, load_example
>>> example_names()
['campus_small', 'contract_example']
>>> len(load_example("campus_small").residents)
15
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from roomalloc.domain.model import Problem

__all__ = ["example_names", "example_path", "load_example"]


def example_names() -> list[str]:
    """Names of the bundled examples, sorted.

    Example
    -------
    >>> "contract_example" in example_names()
    True
    """
    files = resources.files(__name__)
    return sorted(f.name[: -len(".json")] for f in files.iterdir() if f.name.endswith(".json"))


def example_path(name: str) -> Path:
    """Path of the bundled example ``name`` (with or without ``.json``).

    Raises ``KeyError`` naming the examples there are when ``name`` is not one of them.

    Example
    -------
    >>> example_path("campus_small").name
    'campus_small.json'
    """
    stem = name.removesuffix(".json")
    if stem not in example_names():
        raise KeyError(f"no example {name!r}; there are: {', '.join(example_names())}")
    # The package is installed as plain files (wheel or editable), so this is a real path.
    return Path(str(resources.files(__name__).joinpath(f"{stem}.json")))


def load_example(name: str) -> Problem:
    """Load and validate the bundled example ``name``.

    Example
    -------
    >>> load_example("contract_example").residents[2].locked
    True
    """
    from roomalloc.domain.io import load_problem

    return load_problem(example_path(name))
