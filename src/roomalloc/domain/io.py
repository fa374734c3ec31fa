"""Reading and writing problem and result files; every write is atomic.

A load runs the full validation (:mod:`roomalloc.domain.validation`) and raises one
:class:`~roomalloc.ProblemError` naming every mistake; a file that cannot be read at all (missing,
a directory, no permission) raises :class:`~roomalloc.RoomallocError` with the reason. A save
writes a temporary file next to the target, flushes it to disk and renames it over the target,
so readers see the old file or the new one, never half of one.

Example
-------
>>> import pathlib, tempfile
>>> from roomalloc import Problem, Room, Resident
>>> from roomalloc.domain.io import load_problem, save_problem
>>> p = Problem(rooms=[Room(id="A-1", capacity=1)], residents=[Resident(id="r1")])
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = pathlib.Path(tmp) / "problem.json"
...     save_problem(p, path)
...     load_problem(path) == p
True
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from roomalloc.domain.errors import RoomallocError
from roomalloc.domain.model import Problem, Result
from roomalloc.domain.validation import validate_json, validate_result_json

__all__ = [
    "atomic_write_bytes",
    "atomic_write_text",
    "load_problem",
    "load_result",
    "save_problem",
    "save_result",
]

StrPath = str | os.PathLike[str]


def load_problem(path: StrPath) -> Problem:
    """Read and validate a problem file.

    Raises :class:`~roomalloc.ProblemError` listing every mistake in it, or
    :class:`~roomalloc.RoomallocError` when the file cannot be read.

    Example
    -------
    >>> from roomalloc.examples import example_path
    >>> len(load_problem(example_path("contract_example")).residents)
    3
    >>> load_problem("no/such/problem.json")
    Traceback (most recent call last):
    ...
    roomalloc.domain.errors.RoomallocError: cannot read no/such/problem.json: no such file
    """
    return validate_json(_read_bytes(path))


def save_problem(problem: Problem, path: StrPath) -> None:
    """Write ``problem`` as indented JSON, atomically; loading it back gives an equal problem.

    Example
    -------
    >>> import pathlib, tempfile
    >>> from roomalloc.examples import load_example
    >>> p = load_example("contract_example")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save_problem(p, pathlib.Path(tmp) / "p.json")
    ...     load_problem(pathlib.Path(tmp) / "p.json") == p
    True
    """
    atomic_write_text(path, problem.model_dump_json(indent=2) + "\n")


def load_result(path: StrPath) -> Result:
    """Read and validate a result file (``ProblemError`` with ``what="result"`` on mistakes).

    Example
    -------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "result.json"
    ...     _ = path.write_text('{"status": "feasible", "assignments": {"r1": "A-1"}}')
    ...     load_result(path).assignments
    {'r1': 'A-1'}
    """
    return validate_result_json(_read_bytes(path))


def save_result(result: Result, path: StrPath) -> None:
    """Write ``result`` as indented JSON, atomically.

    Example
    -------
    >>> import pathlib, tempfile
    >>> from roomalloc import Result
    >>> r = Result(status="optimal", assignments={"r1": "A-1", "r2": None}, objective=1000.0)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save_result(r, pathlib.Path(tmp) / "r.json")
    ...     load_result(pathlib.Path(tmp) / "r.json") == r
    True
    """
    atomic_write_text(path, result.model_dump_json(indent=2) + "\n")


def atomic_write_text(path: StrPath, text: str, encoding: str = "utf-8") -> None:
    """Replace the file at ``path`` with ``text`` so that it is never seen half written.

    The text goes to a temporary file in the same directory (same file system, so the final
    rename is atomic), is flushed and fsynced, then renamed over ``path`` with ``os.replace``.
    On any failure the temporary file is removed and an existing file at ``path`` is left as it
    was. The new file gets the usual permissions (as ``open(path, "w")`` would give), not the
    owner-only ones of :func:`tempfile.mkstemp`. Raises :class:`~roomalloc.RoomallocError` when
    the file cannot be written.

    Example
    -------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     target = pathlib.Path(tmp) / "out.txt"
    ...     atomic_write_text(target, "first")
    ...     atomic_write_text(target, "second")
    ...     (target.read_text(), sorted(p.name for p in pathlib.Path(tmp).iterdir()))
    ('second', ['out.txt'])
    """
    atomic_write_bytes(path, text.encode(encoding))  # an unencodable text never touches disk


def atomic_write_bytes(path: StrPath, data: bytes) -> None:
    """Replace the file at ``path`` with ``data``, atomically (see :func:`atomic_write_text`).

    Example
    -------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     atomic_write_bytes(pathlib.Path(tmp) / "out.bin", b"PK")
    ...     (pathlib.Path(tmp) / "out.bin").read_bytes()
    b'PK'
    """
    target = Path(path)
    try:
        fd, temp = _create_temp(target)
    except OSError as err:
        reason = "no such directory" if isinstance(err, FileNotFoundError) else _reason(err)
        raise RoomallocError(f"cannot write {target}: {reason}") from err
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(err, OSError):
            raise RoomallocError(f"cannot write {target}: {_reason(err)}") from err
        raise
    _fsync_directory(target.parent)


def _create_temp(target: Path) -> tuple[int, Path]:
    """A new, exclusively created file beside ``target`` (mode 0o666 less the umask)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(temp, flags, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {target}")


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable where the platform allows it (POSIX)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read_bytes(path: StrPath) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise RoomallocError(f"cannot read {os.fspath(path)}: {_reason(err)}") from None


def _reason(err: OSError) -> str:
    if isinstance(err, FileNotFoundError):
        return "no such file"
    if isinstance(err, IsADirectoryError):
        return "it is a directory"
    if isinstance(err, PermissionError):
        return "permission denied"
    return err.strerror.lower() if err.strerror else str(err)
