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

from roomalloc.commands import COMMANDS, stopping
from roomalloc.domain.errors import RoomallocError

#: Every command's exit statuses (docs/cli.md has the same table).
EXIT_STATUSES = {
    0: "done: an allocation was found (solve), every rule holds (check), the problem is valid "
       "(validate), the problem was generated (generate), the explanation printed (explain)",
    1: "the answer is no: infeasible or nothing found in time (solve), a hard rule is broken "
       "(check), the problem has mistakes or cannot be read (validate), nothing to explain "
       "(explain)",
    2: "bad input, nothing done: a usage mistake or a bad option, a file that cannot be read or "
       "is malformed, a result that does not fit the problem (explain), an unknown --resident, "
       "an output refused; or solve's result could not be written (then it is saved in a "
       "temporary file)",
    130: "stopped by SIGINT (Ctrl-C); solve has written the best allocation found so far",
    141: "the reader of the output left early (SIGPIPE, e.g. `| head`)",
    143: "stopped by SIGTERM (a job scheduler); solve has written the best allocation found so "
         "far",
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    from roomalloc import __version__

    parser = argparse.ArgumentParser(
        prog="roomalloc",
        description="Allocate rooms to people, verify every hard rule, and explain why.",
        epilog="exit status: 0 done, 1 the answer is no (infeasible, a rule broken, mistakes "
        "found), 2 bad input, 130 stopped by Ctrl-C, 143 stopped by SIGTERM (solve then writes "
        "the best allocation so far); see docs/cli.md",
    )
    parser.add_argument("--version", action="version", version=f"roomalloc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        module = importlib.import_module(f"roomalloc.commands.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see :data:`EXIT_STATUSES`)."""
    parser = build_parser()
    args = parser.parse_args(argv)  # a usage mistake exits here with status 2
    with stopping.handled():
        try:
            status: int = args.func(args)
        except (RoomallocError, ValueError) as err:
            # RoomallocError: a file that cannot be read, is malformed or cannot be written;
            # ValueError: an argument the library refuses (its message names it).
            print(f"roomalloc {args.command}: {err}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            code = stopping.stop_status() or 130
            print(f"roomalloc {args.command}: interrupted ({stopping.signal_name(code)})",
                  file=sys.stderr)
            return code
        except BrokenPipeError:
            # The reader left early (`roomalloc ... | head`): stop quietly, as shell tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 141
        stopped = stopping.stop_status()
    if stopped is not None and status != stopped:
        # A search inside the command (explain's pricing, diagnose) took the signal and
        # stopped early: the command finished, but its output may be incomplete.
        print(f"roomalloc {args.command}: interrupted ({stopping.signal_name(stopped)}); "
              "the output may be incomplete", file=sys.stderr)
        return stopped
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
