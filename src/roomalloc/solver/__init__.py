"""The CP-SAT allocation solver: :func:`solve`, and :func:`build_model` for diagnosis tools.

See ``docs/solver.md`` for the model, the scaling of float weights, the status and bound, and
the guarded model used by :func:`roomalloc.diagnose`; ``docs/plugins.md`` for custom terms and
rules.
"""

from roomalloc.rules.requirements import Requirement
from roomalloc.solver.builder import BuiltModel, build_model
from roomalloc.solver.context import BuildContext, RoomSegment
from roomalloc.solver.driver import Progress
from roomalloc.solver.linear import Linear
from roomalloc.solver.search import solve

__all__ = [
    "BuildContext",
    "BuiltModel",
    "Linear",
    "Progress",
    "Requirement",
    "RoomSegment",
    "build_model",
    "solve",
]
