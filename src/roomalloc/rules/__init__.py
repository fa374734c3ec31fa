"""Hard rules as plug-ins: the API a custom rule implements."""

from roomalloc.rules.base import Rule

__all__ = ["Rule"]
