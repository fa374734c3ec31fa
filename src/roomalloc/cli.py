"""The ``roomalloc`` command line: a thin shell over the library.

Each sub-command lives in :mod:`roomalloc.commands`; this module only wires them together.

Example
-------
>>> from roomalloc.cli import main
>>> main(["--version"])  # doctest: +SKIP
roomalloc 0.1.0
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from roomalloc.commands import COMMANDS
from roomalloc.errors import RoomallocError


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    from roomalloc import __version__

    parser = argparse.ArgumentParser(
        prog="roomalloc",
        description="Allocate rooms to people, verify every hard rule, and explain why.",
    )
    parser.add_argument("--version", action="version", version=f"roomalloc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        module = importlib.import_module(f"roomalloc.commands.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 problems found, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.func(args)
    except RoomallocError as err:
        print(f"roomalloc {args.command}: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("roomalloc: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader left early (`roomalloc ... | head`): stop quietly, as shell tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
