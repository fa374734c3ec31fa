"""Checks made on every output file before a command does any work.

A command that writes files calls :func:`check_outputs` first: an output that is one of the
command's inputs (the same file by any path: a symbolic or hard link included), two outputs that
are the same file, a folder that does not exist, is not a folder or cannot be written in are
refused at once with a :class:`~roomalloc.RoomallocError` — never after a long solve whose
allocation would then be lost, never by overwriting the problem with the result.

Example
-------
>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     problem = pathlib.Path(tmp) / "p.json"
...     _ = problem.write_text("{}")
...     check_outputs({"-o": str(problem)}, {"PROBLEM.json": str(problem)})
Traceback (most recent call last):
...
roomalloc.domain.errors.RoomallocError: -o .../p.json is the same file as PROBLEM.json ...
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from roomalloc.domain.errors import RoomallocError

__all__ = ["check_outputs"]


def check_outputs(outputs: Mapping[str, str | None], inputs: Mapping[str, str | None]) -> None:
    """Refuse, before any work, outputs that would replace an input or cannot be written.

    ``outputs`` and ``inputs`` map each option's name (``-o``, ``--hint``, ``PROBLEM.json``)
    to its path, or ``None`` when it was not given.

    Example
    -------
    >>> check_outputs({"-o": "no/such/r.json"}, {})
    Traceback (most recent call last):
    ...
    roomalloc.domain.errors.RoomallocError: -o no/such/r.json: the folder no/such does not exist
    """
    given_inputs = {name: path for name, path in inputs.items() if path is not None}
    seen: dict[str, str] = {}
    for option, path in outputs.items():
        if path is None:
            continue
        for name, other in given_inputs.items():
            if _same_file(path, other):
                raise RoomallocError(
                    f"{option} {path} is the same file as {name} {other}: writing it would "
                    "replace the input; choose another output file"
                )
        for name, other in seen.items():
            if _same_file(path, other):
                raise RoomallocError(f"{option} {path} is the same file as {name} {other}")
        seen[option] = path
        _check_writable(option, path)


def _same_file(a: str, b: str) -> bool:
    """Whether two paths name one file: the same inode when both exist, else the same place."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): compare where they would be
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def _check_writable(option: str, path: str) -> None:
    """The file can be created or replaced: its folder exists and takes a new file."""
    target = Path(path)
    if target.is_dir():
        raise RoomallocError(f"{option} {path}: it is a folder; give a file name")
    folder = target.parent
    shown = os.fspath(folder)
    if not folder.exists():
        if _under_a_file(folder):
            raise RoomallocError(f"{option} {path}: {shown} is not a folder")
        raise RoomallocError(f"{option} {path}: the folder {shown} does not exist")
    if not folder.is_dir():
        raise RoomallocError(f"{option} {path}: {shown} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RoomallocError(f"{option} {path}: cannot write in the folder {shown} "
                             "(permission denied)")
    # os.access can be wrong (network file systems, access-control lists): try for real, the
    # way the atomic write will (a new file beside the target).
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{target.name}.", suffix=".probe"):
            pass
    except OSError as err:
        reason = err.strerror.lower() if err.strerror else str(err)
        raise RoomallocError(f"{option} {path}: cannot write in the folder {shown} ({reason})"
                             ) from None


def _under_a_file(folder: Path) -> bool:
    """Whether some parent of ``folder`` is an existing file that is not a folder."""
    return any(p.exists() and not p.is_dir() for p in (folder, *folder.parents))
