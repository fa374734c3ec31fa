"""Argument types for the numeric options of every sub-command.

Each type turns the option's text into a value or rejects it with a message that says what is
accepted; argparse adds the option's name and exits with status 2, so a bad option is one line
on stderr, never a traceback nor a confusing error from deep inside the solver.

Example
-------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="roomalloc solve")
>>> _ = parser.add_argument("--workers", type=WholeNumber(0, 256), default=0)
>>> _ = parser.add_argument("--time-limit", type=Seconds(), default=60.0)
>>> parser.parse_args(["--workers", "2", "--time-limit", "1.5"])
Namespace(workers=2, time_limit=1.5)
>>> WholeNumber(0, 256)("-1")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: must be a whole number from 0 to 256, got '-1'
>>> Seconds()("nan")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: must be a number of seconds greater than 0, got 'nan'
"""

from __future__ import annotations

import argparse
import math

#: The largest seed every command accepts: CP-SAT's random seed is a signed 32-bit integer.
MAX_SEED = 2**31 - 1

#: The most CP-SAT search workers ``solve`` accepts.
MAX_WORKERS = 256


class WholeNumber:
    """An integer from ``low`` to ``high`` (both included), written in decimal digits.

    Example
    -------
    >>> WholeNumber(1, 10)("7")
    7
    >>> WholeNumber(1, 10)("1e3")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a whole number from 1 to 10, got '1e3'
    """

    def __init__(self, low: int, high: int) -> None:
        self.low = low
        self.high = high

    def __call__(self, text: str) -> int:
        try:
            value = int(text.strip(), 10)
        except ValueError:
            value = None
        if value is None or not self.low <= value <= self.high:
            raise argparse.ArgumentTypeError(
                f"must be a whole number from {self.low} to {self.high}, got {text!r}"
            )
        return value

    def __repr__(self) -> str:
        return f"WholeNumber({self.low}, {self.high})"


class Seconds:
    """A finite number of seconds greater than 0 (``2``, ``0.5``, ``1e3``).

    Example
    -------
    >>> Seconds()("2.5")
    2.5
    >>> Seconds()("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a number of seconds greater than 0, got '0'
    """

    def __call__(self, text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value > 0):
            raise argparse.ArgumentTypeError(
                f"must be a number of seconds greater than 0, got {text!r}"
            )
        return value

    def __repr__(self) -> str:
        return "Seconds()"
