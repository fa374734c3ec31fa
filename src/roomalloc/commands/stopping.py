"""SIGINT (Ctrl-C) and SIGTERM (what job schedulers send) on the command line.

Both mean "stop and keep what you have". While :func:`handled` is active:

- SIGTERM takes the path of Ctrl-C: during a search it calls the search's own SIGINT handler
  (the solver stops and returns the best allocation so far); elsewhere it raises
  ``KeyboardInterrupt`` like Ctrl-C does.
- Only the first stop signal these handlers see interrupts: a second one (a repeated Ctrl-C, a
  scheduler's reminder) while the first is acted upon is recorded, not raised, so it cannot
  abandon the allocation on its way out. ``kill -KILL`` still ends the process at once.
- Inside :func:`held` (the writing of a file) stop signals are recorded only, so a file is never
  left half written and the allocation never dropped on the way to the disk.
- :func:`stop_status` is the exit status a stop signal asks for (128 + its number: 130 for
  SIGINT, 143 for SIGTERM), whichever handler took the signal: each one is logged through
  :func:`signal.set_wakeup_fd`, which sees signals the solver's own handlers take as well.

A signal ignored when the command started (``nohup``, a background job of a script) stays
ignored. Off the main thread, where Python cannot handle signals, nothing is installed.

Example
-------
>>> with handled():
...     stop_status() is None
True
"""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

__all__ = ["handled", "held", "signal_name", "stop_status"]

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass
class _State:
    received: list[int] = field(default_factory=list)
    held: bool = False
    acted: bool = False  # a stop signal has already been raised or passed to the search
    log: socket.socket | None = None


_state = _State()


@contextlib.contextmanager
def handled() -> Iterator[None]:
    """Handle SIGINT and SIGTERM as described in the module's docstring, then restore.

    Example
    -------
    >>> import os, signal
    >>> with handled():
    ...     try:
    ...         os.kill(os.getpid(), signal.SIGTERM)
    ...     except KeyboardInterrupt:
    ...         print("stopped with status", stop_status())
    stopped with status 143
    """
    global _state
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    saved, _state = _state, _State(log=reader)
    old_wakeup = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    try:
        for number, handler in previous.items():
            if handler is not signal.SIG_IGN:
                signal.signal(number, _on_stop)
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
        signal.set_wakeup_fd(old_wakeup)
        reader.close()
        writer.close()
        _state = saved


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Record stop signals without acting on them while the block runs (a file's writing).

    Example
    -------
    >>> import os, signal
    >>> with handled():
    ...     with held():
    ...         os.kill(os.getpid(), signal.SIGTERM)  # not raised: recorded
    ...     stop_status()
    143
    """
    was, _state.held = _state.held, True
    try:
        yield
    finally:
        _state.held = was


def stop_status() -> int | None:
    """128 + the first stop signal received under :func:`handled`, or ``None`` if none was.

    Example
    -------
    >>> stop_status() is None  # outside handled(): nothing is recorded
    True
    """
    _drain_log()
    return 128 + _state.received[0] if _state.received else None


def signal_name(status: int) -> str:
    """The name of the signal behind an exit status from :func:`stop_status`.

    Example
    -------
    >>> signal_name(143), signal_name(130)
    ('SIGTERM', 'SIGINT')
    """
    return signal.Signals(status - 128).name


def _on_stop(number: int, frame: FrameType | None) -> None:
    _drain_log()
    if number not in _state.received:  # the log missed it (a full buffer): record it here
        _state.received.append(number)
    if _state.held or _state.acted:
        return
    _state.acted = True
    if number == signal.SIGTERM:
        search_handler: Any = signal.getsignal(signal.SIGINT)
        if callable(search_handler) and search_handler is not _on_stop:
            search_handler(signal.SIGINT, frame)  # a search is running: stop it as Ctrl-C does
            return
    raise KeyboardInterrupt


def _drain_log() -> None:
    """Move the signal numbers logged by the wakeup file descriptor into ``received``."""
    if _state.log is None:
        return
    while True:
        try:
            data = _state.log.recv(4096)
        except (BlockingIOError, InterruptedError, OSError):
            return
        if not data:
            return
        for number in data:
            if number in STOP_SIGNALS and number not in _state.received:
                _state.received.append(number)
