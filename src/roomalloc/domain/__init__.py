"""The housing domain: the ``roomalloc/1`` problem and result models, their validation and files.

:mod:`~roomalloc.domain.model` holds the models (rooms, residents, stays, needs, results),
:mod:`~roomalloc.domain.validation` the rules every problem must meet before anything runs,
:mod:`~roomalloc.domain.io` reading and writing the JSON files (atomically),
:mod:`~roomalloc.domain.ids` how ids are normalised, :mod:`~roomalloc.domain.errors` the
errors a user can meet. Nothing here knows about solving.
"""
