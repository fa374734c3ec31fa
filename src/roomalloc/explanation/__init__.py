"""The pieces of :mod:`roomalloc.explain`: breakdown, reasons, price, stability, diagnosis, text.

Use the public module :mod:`roomalloc.explain`; these modules are its parts.
"""
