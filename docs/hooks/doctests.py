"""A griffe extension for the API reference: the docstrings' doctests render as code.

roomalloc's docstrings head their doctests ``Example`` / ``-------`` or give them bare; numpy
style parses only ``Examples``, and a bare ``>>>`` line would read as a Markdown quote. Here
each docstring's ``Example`` heading becomes ``Examples``, and a docstring with doctests but no
such heading gets one before its first doctest, so every doctest becomes an examples block.
Sphinx roles (``:class:`~roomalloc.Problem```) become inline code.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_HEADING = re.compile(r"^Example\n-------$", re.MULTILINE)
_FIRST_DOCTEST = re.compile(r"^>>> ", re.MULTILINE)
_ROLE = re.compile(r":(?:class|func|meth|mod|data|attr|exc|obj):`(~?)([\w.]+)(\(\))?`")


def _plain_role(match: re.Match[str]) -> str:
    """A Sphinx role (``:class:`~roomalloc.Problem```) as inline code (`` `Problem` ``)."""
    name = match.group(2).rsplit(".", 1)[-1] if match.group(1) else match.group(2)
    return f"`{name}{match.group(3) or ''}`"


class DoctestsAsExamples(griffe.Extension):
    """Rewrite each docstring so that numpy style sees its doctests as examples."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        docstring = obj.docstring
        if docstring is None:
            return
        text = _ROLE.sub(_plain_role, _HEADING.sub("Examples\n--------", docstring.value))
        if "\nExamples\n--------" not in "\n" + text:
            found = _FIRST_DOCTEST.search(text)
            if found is not None:
                text = text[: found.start()] + "Examples\n--------\n" + text[found.start():]
        docstring.value = text
