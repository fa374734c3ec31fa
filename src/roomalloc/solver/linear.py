"""Linear expressions with float coefficients, and their scaling to CP-SAT's integers.

CP-SAT only knows integer coefficients. Terms write their expressions with ordinary floats
(priorities, preference weights, costs, objective weights); the builder sums them into one
:class:`Linear` and :func:`scale` turns it into integers:

* the scale is the smallest power of ten ``10**d`` (``d`` from 0 to :data:`PRECISION_DIGITS`)
  that makes every coefficient a whole number; when none does, ``10**PRECISION_DIGITS`` is used
  and coefficients are rounded to that precision (``1e-6``);
* the whole numbers are divided by their greatest common divisor (smaller numbers solve faster);
* the worst-case effect of the rounding over the variables' domains is kept as
  :attr:`Scaled.rounding`, so a bound converted back to objective units stays a true bound;
* a model whose objective could exceed CP-SAT's 64-bit integers raises
  :class:`roomalloc.ModelTooLargeError`.

Example
-------
>>> from ortools.sat.python import cp_model
>>> m = cp_model.CpModel()
>>> a, b = m.new_bool_var("a"), m.new_bool_var("b")
>>> e = Linear.of([(a, 1.5), (b, 1000.0)], constant=2.0)
>>> s = scale(e, m)
>>> s.coefficients, s.factor, s.rounding
([3, 2000], 2.0, 0.0)
>>> s.to_objective(2003)
1003.5
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Union

from ortools.sat.python import cp_model

from roomalloc.domain.errors import ModelTooLargeError

#: Coefficients are exact to this many decimal places (rounded beyond it).
PRECISION_DIGITS = 6
#: Largest absolute objective value CP-SAT may see (a margin below 2**63).
INT_LIMIT = 2**62

Operand = Union["Linear", cp_model.IntVar, int, float]


class Linear:
    """``sum(coefficient * variable) + constant`` with float coefficients.

    Supports ``+``, ``-``, multiplication by a number and ``sum(...)``; variables are CP-SAT
    integer or Boolean variables of one model.

    >>> from ortools.sat.python import cp_model
    >>> m = cp_model.CpModel(); x = m.new_bool_var("x")
    >>> e = 2 * (Linear.of([(x, 0.5)]) + 1) - x
    >>> e.coefficients(), e.constant
    ([0.0], 2.0)
    """

    __slots__ = ("_coefs", "_vars", "constant")

    def __init__(self) -> None:
        self._coefs: dict[int, float] = {}
        self._vars: dict[int, cp_model.IntVar] = {}
        self.constant = 0.0

    @classmethod
    def of(
        cls, pairs: Iterable[tuple[cp_model.IntVar, float]] = (), constant: float = 0.0
    ) -> Linear:
        """An expression from ``(variable, coefficient)`` pairs and a constant."""
        out = cls()
        for var, coef in pairs:
            out._add_var(var, float(coef))
        out.constant = float(constant)
        return out

    @classmethod
    def coerce(cls, value: Operand) -> Linear:
        """A :class:`Linear` from a Linear, a CP-SAT variable or a number."""
        if isinstance(value, Linear):
            return value
        if isinstance(value, int | float):
            return cls.of((), float(value))
        if isinstance(value, cp_model.IntVar):
            return cls.of([(value, 1.0)])
        raise TypeError(
            f"expected a roomalloc Linear, a CP-SAT variable or a number, got {type(value)!r}; "
            "build float expressions with ctx.linear(...)"
        )

    def _add_var(self, var: cp_model.IntVar, coef: float) -> None:
        idx = var.index
        self._vars[idx] = var
        self._coefs[idx] = self._coefs.get(idx, 0.0) + coef

    def copy(self) -> Linear:
        """An independent copy."""
        out = Linear()
        out._coefs = dict(self._coefs)
        out._vars = dict(self._vars)
        out.constant = self.constant
        return out

    def add(self, other: Operand, factor: float = 1.0) -> Linear:
        """Add ``factor * other`` in place; returns self."""
        o = Linear.coerce(other)
        for idx, coef in o._coefs.items():
            self._vars[idx] = o._vars[idx]
            self._coefs[idx] = self._coefs.get(idx, 0.0) + factor * coef
        self.constant += factor * o.constant
        return self

    def __add__(self, other: Operand) -> Linear:
        return self.copy().add(other)

    __radd__ = __add__

    def __sub__(self, other: Operand) -> Linear:
        return self.copy().add(other, -1.0)

    def __rsub__(self, other: Operand) -> Linear:
        return Linear.coerce(other).copy().add(self, -1.0)

    def __mul__(self, factor: float) -> Linear:
        if not isinstance(factor, int | float):
            return NotImplemented
        return Linear().add(self, float(factor))

    __rmul__ = __mul__

    def __neg__(self) -> Linear:
        return self * -1.0

    def variables(self) -> list[cp_model.IntVar]:
        """The variables, in insertion order."""
        return list(self._vars.values())

    def coefficients(self) -> list[float]:
        """The coefficients, in the order of :meth:`variables`."""
        return [self._coefs[idx] for idx in self._vars]

    def __repr__(self) -> str:
        return f"<Linear {len(self._vars)} variables, constant {self.constant}>"


@dataclass(frozen=True)
class Scaled:
    """An objective turned to integers: ``integer = factor * (float expression - constant)``.

    ``rounding`` bounds ``|float expression - (integer / factor + constant)|`` over every value
    the variables can take (0 when every coefficient was exact at the chosen precision).
    """

    variables: list[Any]
    coefficients: list[int]
    factor: float
    constant: float
    rounding: float

    def expression(self) -> Any:
        """The integer CP-SAT expression to optimise."""
        return cp_model.LinearExpr.weighted_sum(self.variables, self.coefficients)

    def to_objective(self, integer_value: float) -> float:
        """An integer objective value (or bound) in objective units."""
        return integer_value / self.factor + self.constant


def _domain_extent(model: cp_model.CpModel, var: cp_model.IntVar) -> int:
    if var.is_boolean:
        return 1
    domain = model.proto.variables[var.index].domain
    return max(abs(int(domain[0])), abs(int(domain[-1])))


def _decimals_needed(coefs: list[float]) -> int | None:
    for digits in range(PRECISION_DIGITS + 1):
        factor = 10.0**digits
        if all(abs(c * factor - round(c * factor)) <= 1e-9 * max(1.0, abs(c * factor))
               for c in coefs):
            return digits
    return None


def scale(expr: Linear, model: cp_model.CpModel) -> Scaled:
    """Scale ``expr`` to integer coefficients (see the module docstring for the rules).

    Raises :class:`roomalloc.ModelTooLargeError` when the integer objective could overflow.

    >>> from ortools.sat.python import cp_model
    >>> m = cp_model.CpModel(); x = m.new_bool_var("x")
    >>> scale(Linear.of([(x, 1 / 3)]), m).rounding < 1e-6
    True
    """
    pairs = [(v, c) for v, c in zip(expr.variables(), expr.coefficients(), strict=True) if c != 0]
    variables = [v for v, _ in pairs]
    coefs = [c for _, c in pairs]
    digits = _decimals_needed(coefs)
    exact = digits is not None
    power = 10.0 ** (PRECISION_DIGITS if digits is None else digits)
    ints = [round(c * power) for c in coefs]
    extents = [_domain_extent(model, v) for v in variables]
    rounding = 0.0
    if not exact:
        rounding = sum(abs(i / power - c) * e for i, c, e in zip(ints, coefs, extents, strict=True))
    kept = [(v, i) for v, i in zip(variables, ints, strict=True) if i != 0]
    divisor = math.gcd(*(i for _, i in kept)) if kept else 1
    variables = [v for v, _ in kept]
    ints = [i // divisor for _, i in kept]
    factor = power / divisor
    total = sum(abs(i) * _domain_extent(model, v) for v, i in zip(variables, ints, strict=True))
    if total > INT_LIMIT:
        biggest = max(abs(c) for c in coefs)
        raise ModelTooLargeError(
            f"the objective does not fit CP-SAT's 64-bit integers: with coefficients scaled "
            f"by {power:g} to whole numbers (largest {biggest:g} before scaling), its value "
            f"could reach {total:.3g}, above the limit {INT_LIMIT:.3g}; use smaller objective "
            f"weights, or weights, costs and priorities with fewer decimals"
        )
    return Scaled(variables, ints, factor, expr.constant, rounding)
