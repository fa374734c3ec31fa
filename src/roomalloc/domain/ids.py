"""The rules for ids and labels: one home for what makes two ids the same.

An id (of a room or resident, and every reference to one) is read in Unicode NFC form, so
``"José"`` typed on two keyboards is one id. An id must not be empty, must not start or end with
white space, and must not hold control or invisible format characters (Unicode categories Cc
and Cf: tabs, newlines, zero-width spaces, direction marks): such ids print like other ids while
being different. Labels (buildings, features, needs, genders) are NFC-normalised too, since they
are compared with each other.

Example
-------
>>> from roomalloc.domain.ids import id_mistake, normal_text
>>> normal_text("Jose\\u0301") == "Jos\\u00e9"
True
>>> id_mistake("r\\u200b1")
'must not contain the invisible character U+200B (ZERO WIDTH SPACE)'
>>> id_mistake("r1") is None
True
"""

from __future__ import annotations

import unicodedata

__all__ = ["FORMAT_CHARACTERS", "ID_PATTERN", "id_mistake", "normal_text"]

#: The code point ranges of Unicode category Cf (format characters: zero-width spaces, direction
#: marks, soft hyphen...) in Unicode 14.0, Python 3.11's; the checks themselves ask
#: :mod:`unicodedata`, this list only writes the JSON Schema's pattern.
FORMAT_CHARACTERS: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F),
    (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
    (0x110CD, 0x110CD), (0x13430, 0x13438), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)

_BAD = "\\x00-\\x1f\\x7f-\\x9f" + "".join(
    chr(low) if low == high else f"{chr(low)}-{chr(high)}" for low, high in FORMAT_CHARACTERS
)
#: The JSON Schema pattern of an id: no control or format character, no white space at an end.
ID_PATTERN = f"^(?!\\s)(?!.*\\s$)[^{_BAD}]+$"


def normal_text(text: str) -> str:
    """``text`` in Unicode NFC form (the same object when it already is).

    >>> normal_text("A-101")
    'A-101'
    """
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def id_mistake(text: str) -> str | None:
    """What is wrong with ``text`` as an id, in words; ``None`` when it is a good id.

    >>> id_mistake(" A-101")
    'must not start or end with white space'
    >>> id_mistake("")
    'must not be empty'
    """
    if not text:
        return "must not be empty"
    if text.isascii() and text.isprintable():  # the usual case, without a look at each letter
        if text[0] == " " or text[-1] == " ":
            return "must not start or end with white space"
        return None
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf"):
            name = unicodedata.name(char, "a control character")
            kind = "control" if unicodedata.category(char) == "Cc" else "invisible"
            return f"must not contain the {kind} character U+{ord(char):04X} ({name})"
    if text[0].isspace() or text[-1].isspace():
        return "must not start or end with white space"
    return None
