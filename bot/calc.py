"""Deterministic calculator: the only place 问数 does arithmetic.

A question such as "2020年外籍人才有多少" is answered by a tiny typed program in
the spirit of FinQA's DSL (``add``/``subtract``/``multiply``/``divide`` over
operands, constants and earlier results ``#0``) run by :func:`execute` with exact
:class:`~decimal.Decimal` arithmetic. Building a program rather than computing
inline keeps every answer explainable: the same program yields the number, the
unit check and the formula text a reader sees.

Values travel in base units (元, 家, 人 …; a percentage as its fraction), so scales
never mix; the display unit (万元, 亿元, %, 个百分点, 倍 …) is chosen only at the end,
either the one the question asked for (``target_unit``) or a readable one.
No I/O, no ``eval``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

from bot.models import PREFIX_QUALIFIERS, SUFFIX_QUALIFIERS, Figure, format_number, format_quantity

__all__ = [
    "AVERAGE_PLACES",
    "COUNT_PLACES",
    "COUNT_UNITS",
    "DEFAULT_PLACES",
    "MONEY_PLACES",
    "PERCENT_PLACES",
    "POINTS_PLACES",
    "RATIO_PLACES",
    "SCALED_COUNT_PLACES",
    "SCALE_FACTORS",
    "Arg",
    "CalcError",
    "Const",
    "Multiple",
    "Op",
    "Operand",
    "Program",
    "Ref",
    "Result",
    "Step",
    "ZeroDivisor",
    "average",
    "back_from_growth",
    "back_from_increment",
    "back_from_multiple",
    "change_rate",
    "convert",
    "difference",
    "evaluate",
    "execute",
    "forward_from_growth",
    "forward_from_multiple",
    "percentage_points",
    "ratio",
    "return_rate",
    "share",
    "split_scale",
    "target_from_completion",
    "whole_from_rate",
]

# ── constants ────────────────────────────────────────────────────────────────

PRECISION_DIGITS = 50  # significant digits of intermediate results; report figures have < 20
DISPLAY_ROUNDING = ROUND_HALF_UP  # 四舍五入, as reports and readers round

# Decimal places of a displayed result, counted in its display unit.
PERCENT_PLACES = 2  # 7.58%
POINTS_PLACES = 2  # 0.5 个百分点
RATIO_PLACES = 2  # 4.21 倍
MONEY_PLACES = 2  # 402.06 万元, in whatever money scale is shown
COUNT_PLACES = 0  # discrete things in base units: ≈ 2499 人, never 2498.85 人
SCALED_COUNT_PLACES = 4  # 1.2345 万家: four places of 万 still resolve single units
AVERAGE_PLACES = 2  # per-unit values of non-money quantities: 162.55 人/家
DEFAULT_PLACES = 2  # measured quantities (吨, 亩, 千瓦 …) and plain numbers

# Readable money scale: the largest whose threshold |value| reaches, in 元.
MONEY_WANYI_MIN_YUAN = Decimal("1e12")  # ≥ 1 万亿元 → 万亿元
MONEY_YI_MIN_YUAN = Decimal("1e8")  # ≥ 1 亿元 → 亿元
MONEY_WAN_MIN_YUAN = Decimal("1e4")  # ≥ 1 万元 → 万元; below stays in 元

MONEY_UNIT = "元"
SCALE_FACTORS: dict[str, Decimal] = {
    "": Decimal(1),
    "万": Decimal(10) ** 4,
    "亿": Decimal(10) ** 8,
    "万亿": Decimal(10) ** 12,
}
_SCALES_LONGEST_FIRST = sorted(SCALE_FACTORS, key=len, reverse=True)

# Units of discrete things: rounded to whole units and kept in base units.
COUNT_UNITS = frozenset("家人项个场次件户名所座套辆台条张位批篇款只头栋间处支枚例起宗笔部本株艘架") | {
    "人次",
    "家次",
    "户次",
    "项次",
    "个次",
}

# Dimensionless units and the fraction one of them stands for. 个百分点 and % share
# a factor (53% + 0.5 个百分点 = 53.5%) but are never shown for each other.
PERCENT = "%"
POINTS = "个百分点"
TIMES = "倍"
DIMENSIONLESS_FACTORS: dict[str, Decimal] = {
    "": Decimal(1),
    PERCENT: Decimal("0.01"),
    "‰": Decimal("0.001"),
    POINTS: Decimal("0.01"),
    TIMES: Decimal(1),
}

# Qualifiers that make a figure (and so anything computed from it) inexact.
APPROXIMATE_QUALIFIERS = frozenset(
    {"约", "近", "余", "多", "左右", "以上", "超过", "超", "逾", "不少于", "不低于", "预计"}
)

# …of which these say "at least": a level planned as "净增340家以上" on top of an exact one is at least the sum
LOWER_BOUND_QUALIFIERS = frozenset({"以上", "超过", "超", "逾", "不少于", "不低于", "突破"})

MINUS = "−"
OP_SYMBOLS = {"add": "+", "subtract": MINUS, "multiply": "×", "divide": "÷"}

# Direction words of comparisons: (increase, decrease).
MORE_LESS = ("多", "少")
RISE_FALL = ("增长", "下降")
UP_DOWN_POINTS = ("提高", "下降")
DECREASE_WORDS = frozenset({MORE_LESS[1], RISE_FALL[1], UP_DOWN_POINTS[1]})


class CalcError(ValueError):
    """A calculation that must not produce a number: ÷ 0, 元 − 家, a malformed program."""


class ZeroDivisor(CalcError):
    """÷ 0: the question is well-formed but has no value, so the reply must say so (not fall back to a lookup)."""

    def __init__(self, message: str, divisor: str) -> None:
        super().__init__(message)
        self.divisor = divisor  # the operand that is 0, as the formula names it


# ── units ────────────────────────────────────────────────────────────────────

_Dim = tuple[tuple[str, int], ...]  # base unit → exponent, sorted, no zeros: 元/家 = (("元", 1), ("家", -1))


def split_scale(unit: str) -> tuple[str, str]:
    """``"亿元"`` → ``("亿", "元")``; the longest scale prefix wins so 万亿元 is not 万 + 亿元."""
    for scale in _SCALES_LONGEST_FIRST:
        if scale and unit.startswith(scale):
            return scale, unit[len(scale) :]
    return "", unit


def _parse_unit(unit: str) -> tuple[Decimal, _Dim]:
    """A base unit expression (``元``, ``元/家``, ``%``) → (fraction factor, dimension)."""
    if unit in DIMENSIONLESS_FACTORS:
        return DIMENSIONLESS_FACTORS[unit], ()
    factor = Decimal(1)
    exponents: dict[str, int] = {}
    for position, part in enumerate(unit.split("/")):
        sign = 1 if position == 0 else -1
        for name in part.split("·"):
            if name in DIMENSIONLESS_FACTORS:
                f = DIMENSIONLESS_FACTORS[name]
                factor = factor * f if sign > 0 else factor / f
                continue
            if split_scale(name)[0]:
                raise CalcError(f"unit {unit!r} carries a scale; put it in the scale field")
            exponents[name] = exponents.get(name, 0) + sign
    return factor, _normalize(exponents)


# Counters of items of any kind: 100 个 of 450 项 (需求) is a share, though 个 and 项 never add up.
GENERIC_COUNTERS = frozenset({"个", "项", "件"})


def _generic_counters_cancel(dim: _Dim) -> bool:
    """个/项 left over by a share or ratio of two counts written with different generic counters."""
    return all(name in GENERIC_COUNTERS for name, _ in dim) and sum(exp for _, exp in dim) == 0


def _normalize(exponents: dict[str, int]) -> _Dim:
    return tuple(sorted((k, v) for k, v in exponents.items() if v))


def _combine(a: _Dim, b: _Dim, sign: int) -> _Dim:
    exponents = dict(a)
    for name, exp in b:
        exponents[name] = exponents.get(name, 0) + sign * exp
    return _normalize(exponents)


def _dim_text(dim: _Dim) -> str:
    """The base unit a dimension reads as: ``元/家``; ``""`` when dimensionless."""

    def names(parts: list[tuple[str, int]]) -> str:
        return "·".join(name if exp == 1 else f"{name}^{exp}" for name, exp in parts)

    top = [(n, e) for n, e in dim if e > 0]
    bottom = [(n, -e) for n, e in dim if e < 0]
    if not bottom:
        return names(top)
    return f"{names(top) or '1'}/{'/'.join(names([p]) for p in bottom)}"


def _is_money(dim: _Dim) -> bool:
    return (MONEY_UNIT, 1) in dim


def _is_count(dim: _Dim) -> bool:
    return len(dim) == 1 and dim[0][1] == 1 and dim[0][0] in COUNT_UNITS


def _to_decimal(value: Decimal | int | float | str) -> Decimal:
    """Floats go through their shortest repr so 84.11 stays 84.11, not 84.1099999…."""
    if isinstance(value, bool):
        raise CalcError("a boolean is not a number")
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(value)
    except ArithmeticError as exc:
        raise CalcError(f"not a number: {value!r}") from exc
    if not number.is_finite():
        raise CalcError(f"not a finite number: {value!r}")
    return number


def is_approximate_qualifier(qualifier: str) -> bool:
    """约, 左右, 以上, 余, 预计 … make a result inexact; 累计 names what a figure is, not how exact."""
    return qualifier in APPROXIMATE_QUALIFIERS or any(q in qualifier for q in APPROXIMATE_QUALIFIERS)


# ── program representation ───────────────────────────────────────────────────

Number = Decimal | int | float | str


@dataclass(frozen=True)
class Operand:
    """A figure taken from a report, in base units, remembering how it was written.

    ``value`` is in base units (84.11 亿元 → 8411000000, unit 元, scale 亿); the
    scale and qualifier exist only so formulas show the figure as the report did.
    """

    label: str
    value: Decimal
    unit: str = ""
    scale: str = ""
    qualifier: str = ""
    figure_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _to_decimal(self.value))
        if self.scale not in SCALE_FACTORS:
            raise CalcError(f"unknown scale {self.scale!r}; expected one of {sorted(SCALE_FACTORS)}")
        _parse_unit(self.unit)

    @classmethod
    def of(
        cls, label: str, number: Number, unit: str = "", qualifier: str = "", figure_id: str | None = None
    ) -> Operand:
        """As written in the report: ``Operand.of("研发投入", "84.11", "亿元")``."""
        scale, base = split_scale(unit)
        value = _to_decimal(number) * SCALE_FACTORS[scale]
        return cls(label, value, base, scale, qualifier, figure_id)

    @classmethod
    def from_figure(cls, figure: Figure, label: str | None = None) -> Operand:
        """Wrap an extracted figure; the label defaults to "<year>年<indicator>"."""
        if label is None:
            label = f"{figure.period}年{figure.indicator}" if figure.period else figure.indicator
        return cls(label, figure.value, figure.unit, figure.scale, figure.qualifier, figure.id)

    @property
    def number(self) -> Decimal:
        """The number as written (1.9 of 1.9 万家)."""
        with localcontext(prec=PRECISION_DIGITS):
            return self.value / SCALE_FACTORS[self.scale]

    @property
    def display_unit(self) -> str:
        return f"{self.scale}{self.unit}"

    @property
    def display(self) -> str:
        """``84.11亿元``, ``约3251人``, ``2万余家`` — the qualifier stays where Chinese puts it."""
        return _quantity_text(self.number, self.scale, self.unit, self.qualifier)


@dataclass(frozen=True)
class Const:
    """A constant of the program (FinQA ``const_1``, ``const_100``), not a report figure."""

    value: Decimal
    unit: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _to_decimal(self.value))
        _parse_unit(self.unit)

    @property
    def display(self) -> str:
        return _signed_text(self.value) + self.unit


@dataclass(frozen=True)
class Ref:
    """The result of an earlier step, FinQA's ``#0``."""

    index: int

    def __str__(self) -> str:
        return f"#{self.index}"


Arg = Operand | Const | Ref


class Op(StrEnum):
    ADD = "add"
    SUBTRACT = "subtract"
    MULTIPLY = "multiply"
    DIVIDE = "divide"


_PRECEDENCE = {Op.ADD: 1, Op.SUBTRACT: 1, Op.MULTIPLY: 2, Op.DIVIDE: 2}
_LEAF_PRECEDENCE = 3


def _as_op(op: Op | str) -> Op:
    try:
        return Op(op)
    except ValueError as exc:
        raise CalcError(f"unknown operation {op!r}; expected one of {[o.value for o in Op]}") from exc


def _as_arg(value: Arg | Number) -> Arg:
    if isinstance(value, Operand | Const | Ref):
        return value
    if isinstance(value, str) and value.startswith("#"):
        try:
            return Ref(int(value[1:]))
        except ValueError as exc:
            raise CalcError(f"bad step reference {value!r}") from exc
    return Const(_to_decimal(value))


@dataclass(frozen=True)
class Step:
    """One binary operation; ``"#0"`` and plain numbers are accepted and typed on entry."""

    op: Op
    left: Arg
    right: Arg

    def __post_init__(self) -> None:
        object.__setattr__(self, "op", _as_op(self.op))
        object.__setattr__(self, "left", _as_arg(self.left))
        object.__setattr__(self, "right", _as_arg(self.right))


@dataclass(frozen=True)
class Program:
    """Steps run in order; the last step's value is the program's value.

    References may only point backwards, so a program is a DAG that runs in one pass.
    """

    steps: tuple[Step, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(self.steps))
        if not self.steps:
            raise CalcError("an empty program has no value")
        for index, step in enumerate(self.steps):
            for arg in (step.left, step.right):
                if isinstance(arg, Ref) and not 0 <= arg.index < index:
                    raise CalcError(f"step #{index} refers to {arg}, which is not an earlier step")

    @classmethod
    def of(cls, *steps: tuple[Op | str, Arg | Number, Arg | Number]) -> Program:
        """``Program.of(("add", 1, rate), ("divide", value, "#0"))``."""
        return cls(tuple(Step(_as_op(op), _as_arg(left), _as_arg(right)) for op, left, right in steps))

    @property
    def operands(self) -> tuple[Operand, ...]:
        """The report figures used, each once, in order of first use."""
        seen: dict[Operand, None] = {}
        for step in self.steps:
            for arg in (step.left, step.right):
                if isinstance(arg, Operand):
                    seen.setdefault(arg, None)
        return tuple(seen)

    def __str__(self) -> str:
        """FinQA notation: ``add(const_1, 30.1%), divide(3251人, #0)``."""

        def text(arg: Arg) -> str:
            if isinstance(arg, Const):
                return f"const_{format_number(arg.value)}{arg.unit}".replace("-", "m")
            return arg.display if isinstance(arg, Operand) else str(arg)

        return ", ".join(f"{s.op.value}({text(s.left)}, {text(s.right)})" for s in self.steps)

    def render(self, leaf: Callable[[Operand | Const], str] | None = None) -> str:
        """The final step as one infix expression with only the parentheses it needs."""
        leaf_text = leaf or (lambda arg: arg.display)

        def walk(arg: Arg, right_side: bool) -> tuple[str, int]:
            if isinstance(arg, Ref):
                return node(arg.index)
            text = leaf_text(arg)
            if right_side and text.startswith(MINUS):
                text = f"({text})"
            return text, _LEAF_PRECEDENCE

        def node(index: int) -> tuple[str, int]:
            step = self.steps[index]
            prec = _PRECEDENCE[step.op]
            left, left_prec = walk(step.left, right_side=False)
            right, right_prec = walk(step.right, right_side=True)
            if left_prec < prec:
                left = f"({left})"
            if right_prec < prec or (right_prec == prec and step.op in (Op.SUBTRACT, Op.DIVIDE)):
                right = f"({right})"
            return f"{left} {OP_SYMBOLS[step.op.value]} {right}", prec

        return node(len(self.steps) - 1)[0]


# ── executor ─────────────────────────────────────────────────────────────────


def evaluate(program: Program) -> tuple[Decimal, str]:
    """Run ``program``; return its value in base units and that base unit (``"元/家"``, ``""``).

    Percentages enter as fractions (30.1% → 0.301), so ``1 + 30.1%`` is 1.301.
    Checking units per step is what turns "subtracting 元 from 家" into an error
    instead of a plausible-looking wrong answer.
    """
    results: list[tuple[Decimal, _Dim]] = []
    with localcontext(prec=PRECISION_DIGITS, rounding=ROUND_HALF_EVEN):
        for index, step in enumerate(program.steps):
            a, a_dim = _arg_value(step.left, results)
            b, b_dim = _arg_value(step.right, results)
            where = f"step #{index} {step.op.value}({_arg_name(step.left)}, {_arg_name(step.right)})"
            if step.op in (Op.ADD, Op.SUBTRACT):
                if a_dim != b_dim:
                    a_text, b_text = _dim_text(a_dim) or "a plain number", _dim_text(b_dim) or "a plain number"
                    verb = f"add {a_text} and {b_text}" if step.op is Op.ADD else f"subtract {b_text} from {a_text}"
                    raise CalcError(f"unit mismatch in {where}: cannot {verb}")
                value = a + b if step.op is Op.ADD else a - b
                dim = a_dim
            elif step.op is Op.MULTIPLY:
                value, dim = a * b, _combine(a_dim, b_dim, 1)
            else:
                if b == 0:
                    raise ZeroDivisor(f"division by zero in {where}", _arg_name(step.right))
                value, dim = a / b, _combine(a_dim, b_dim, -1)
            results.append((value, dim))
    value, dim = results[-1]
    return value, _dim_text(dim)


def execute(program: Program) -> Decimal:
    """The program's value in base units (a fraction for percentages)."""
    return evaluate(program)[0]


def _arg_value(arg: Arg, results: list[tuple[Decimal, _Dim]]) -> tuple[Decimal, _Dim]:
    if isinstance(arg, Ref):
        return results[arg.index]
    factor, dim = _parse_unit(arg.unit)
    return arg.value * factor, dim


def _arg_name(arg: Arg) -> str:
    if isinstance(arg, Operand):
        return arg.label or arg.display
    return arg.display if isinstance(arg, Const) else str(arg)


# ── results ──────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Result:
    """A computed answer: the rounded ``value`` to show and the ``exact`` one, both in ``unit``.

    Comparisons (:func:`difference`, :func:`change_rate`, :func:`percentage_points`)
    give the magnitude in ``value``/``exact`` and the way it goes in ``direction``
    (多/少, 增长/下降, 提高/下降) because that is how the answer is said: "少845家".
    ``signed`` restores the sign; ``formula`` shows the signed arithmetic.
    """

    value: Decimal
    exact: Decimal
    unit: str
    formula: str
    approximate: bool
    operands: tuple[Operand, ...]
    direction: str = ""
    program: Program | None = None

    @property
    def signed(self) -> Decimal:
        """``exact`` with its sign: negative when ``direction`` is a decrease."""
        return -self.exact if self.direction in DECREASE_WORDS else self.exact

    @property
    def display(self) -> str:
        """``约2499人``, ``402.06万元/家``, ``0.5个百分点`` — without the direction word."""
        return f"{'约' if self.approximate else ''}{format_number(self.value)}{self.unit}"


class _Shape(StrEnum):
    """What kind of answer an operation gives, which fixes its display unit family."""

    QUANTITY = "quantity"  # in the operands' units: 元, 家, 元/家 …
    PERCENT = "percent"  # a relative rate or proportion
    POINTS = "points"  # a difference of percentages
    TIMES = "times"  # a multiple


@dataclass(frozen=True)
class _Display:
    unit: str
    factor: Decimal  # base value ÷ factor = displayed value
    places: int


_SHAPE_UNITS = {_Shape.PERCENT: PERCENT, _Shape.POINTS: POINTS, _Shape.TIMES: TIMES}
_UNIT_PLACES = {PERCENT: PERCENT_PLACES, POINTS: POINTS_PLACES, TIMES: RATIO_PLACES}


def _money_scale(base_value: Decimal) -> str:
    magnitude = abs(base_value)
    for scale, minimum in (("万亿", MONEY_WANYI_MIN_YUAN), ("亿", MONEY_YI_MIN_YUAN), ("万", MONEY_WAN_MIN_YUAN)):
        if magnitude >= minimum:
            return scale
    return ""


def _places_for(scale: str, dim: _Dim) -> int:
    if _is_money(dim):
        return MONEY_PLACES
    if _is_count(dim):
        return SCALED_COUNT_PLACES if scale else COUNT_PLACES
    if any(exp < 0 for _, exp in dim):
        return AVERAGE_PLACES
    return DEFAULT_PLACES


def _choose_display(
    shape: _Shape, base_unit: str, base_value: Decimal, operands: Iterable[Operand], target_unit: str | None
) -> _Display:
    """The unit asked for, else a readable one; refuses units the answer cannot be in."""
    _, dim = _parse_unit(base_unit)
    if shape is not _Shape.QUANTITY:
        if dim and not _generic_counters_cancel(dim):
            raise CalcError(f"a {shape.value} needs operands in the same unit, got {base_unit}")
        unit = _SHAPE_UNITS[shape] if target_unit is None else target_unit
        if (shape is _Shape.POINTS) != (unit == POINTS):
            raise CalcError(
                "a difference of percentages is in 个百分点, never a relative %"
                if shape is _Shape.POINTS
                else f"{unit} is only for differences of percentages"
            )
        if unit not in DIMENSIONLESS_FACTORS:
            raise CalcError(f"cannot show a {shape.value} in {unit!r}")
        return _Display(unit, DIMENSIONLESS_FACTORS[unit], _UNIT_PLACES.get(unit, DEFAULT_PLACES))
    if target_unit is not None:
        return _parse_target(target_unit, dim, base_unit)
    if _is_money(dim):
        scale = _money_scale(base_value)
    elif _is_count(dim) or not dim:
        scale = ""
    else:  # measured quantities (万吨 …): keep the scale the operands share
        scales = {op.scale for op in operands if _parse_unit(op.unit)[1] == dim}
        scale = scales.pop() if len(scales) == 1 else ""
    places = _places_for(scale, dim)
    if _is_count(dim) and not scale:  # "万人发明专利拥有量 62.3 件": a count written with decimals keeps them
        places = max([places, *(_decimals(op) for op in operands if _parse_unit(op.unit)[1] == dim)])
    return _Display(f"{scale}{base_unit}", SCALE_FACTORS[scale], places)


def _decimals(operand: Operand) -> int:
    """Decimal places of an operand as the report wrote it (62.3 件 → 1; 1.9 万家 → 0 in 家)."""
    exponent = (operand.value / SCALE_FACTORS[operand.scale]).normalize().as_tuple().exponent
    written = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return 0 if operand.scale else written


def _parse_target(target_unit: str, dim: _Dim, base_unit: str) -> _Display:
    scale, rest = split_scale(target_unit)
    factor, target_dim = _parse_unit(rest)
    if target_dim != dim or (dim and factor != 1):
        raise CalcError(f"cannot express {base_unit or 'a plain number'} in {target_unit}")
    if not dim and rest in (PERCENT, POINTS):
        raise CalcError(f"a plain number is not a {rest}")
    return _Display(target_unit, SCALE_FACTORS[scale] * factor, _places_for(scale, dim))


def _signed_text(value: Decimal) -> str:
    return format_number(value).replace("-", MINUS)


def _quantity_text(number: Decimal, scale: str, unit: str, qualifier: str) -> str:
    """format_quantity, but a qualifier it does not know (预计) is kept in front, not dropped."""
    if qualifier and qualifier not in PREFIX_QUALIFIERS and qualifier not in SUFFIX_QUALIFIERS:
        return qualifier + _signed_text(number) + scale + unit
    return format_quantity(number, scale, unit, qualifier).replace("-", MINUS)


def _finish(
    program: Program,
    shape: _Shape,
    target_unit: str | None,
    operands: tuple[Operand, ...],
    directions: tuple[str, str] | None = None,
) -> Result:
    """Execute, pick the display unit, round, and write the formula."""
    base_value, base_unit = evaluate(program)
    display = _choose_display(shape, base_unit, base_value, operands, target_unit)
    with localcontext(prec=PRECISION_DIGITS):
        exact = base_value / display.factor
        value = exact.quantize(Decimal(1).scaleb(-display.places), rounding=DISPLAY_ROUNDING)
        if value == 0:
            value = abs(value)  # no "−0%" when a tiny negative rounds away
    approximate = value != exact or any(is_approximate_qualifier(op.qualifier) for op in operands)

    bare = display.unit not in (PERCENT, TIMES) and all(
        op.display_unit == display.unit for op in operands if op.unit not in DIMENSIONLESS_FACTORS
    )

    def leaf(arg: Operand | Const) -> str:
        if isinstance(arg, Const):
            return arg.display
        if arg.unit == TIMES or (bare and arg.unit not in DIMENSIONLESS_FACTORS):
            return _quantity_text(arg.number, "", "", arg.qualifier)
        return arg.display

    answer = _signed_text(value)
    if bare:
        answer += f"（{display.unit}）" if display.unit else ""
    else:
        answer += display.unit
    formula = f"{program.render(leaf)} {'≈' if approximate else '='} {answer}"

    direction = ""
    if directions is not None:
        direction = directions[0] if exact > 0 else directions[1] if exact < 0 else ""
        value, exact = abs(value), abs(exact)
    return Result(value, exact, display.unit, formula, approximate, operands, direction, program)


# ── high-level operations ────────────────────────────────────────────────────

Quantity = Operand | Figure


def _operand(x: Quantity) -> Operand:
    return Operand.from_figure(x) if isinstance(x, Figure) else x


def _percent(x: Quantity | Number, label: str) -> Operand:
    """A rate as an operand in %; a bare number means percent (30.1 → 30.1%)."""
    if isinstance(x, Operand | Figure):
        operand = _operand(x)
        if operand.unit != PERCENT:
            raise CalcError(f"{operand.label or operand.display} is in {operand.unit or 'no unit'}, expected %")
        return operand
    return Operand(label, _to_decimal(x), PERCENT)


def difference(a: Quantity, b: Quantity, *, target_unit: str | None = None) -> Result:
    """How much ``a`` exceeds ``b`` ("12000 − 11155 = 845（家）"): magnitude plus 多/少.

    Two percentages differ in 个百分点, so that is the unit then, never %.
    """
    a_op, b_op = _operand(a), _operand(b)
    if a_op.unit == PERCENT and b_op.unit == PERCENT:
        return percentage_points(a_op, b_op, target_unit=target_unit)
    program = Program((Step(Op.SUBTRACT, a_op, b_op),))
    return _finish(program, _Shape.QUANTITY, target_unit, (a_op, b_op), MORE_LESS)


def percentage_points(
    a_percent: Quantity | Number, b_percent: Quantity | Number, *, target_unit: str | None = None
) -> Result:
    """``53% − 52.5% = 0.5（个百分点）``: a share's change is absolute, never a relative %."""
    a_op, b_op = _percent(a_percent, "百分比"), _percent(b_percent, "百分比")
    program = Program((Step(Op.SUBTRACT, a_op, b_op),))
    return _finish(program, _Shape.POINTS, target_unit, (a_op, b_op), UP_DOWN_POINTS)


def change_rate(new: Quantity, old: Quantity, *, target_unit: str | None = None) -> Result:
    """Relative change ``(new − old) ÷ old`` in %, with 增长/下降; ÷ 0 when ``old`` is 0."""
    new_op, old_op = _operand(new), _operand(old)
    program = Program((Step(Op.SUBTRACT, new_op, old_op), Step(Op.DIVIDE, Ref(0), old_op)))
    return _finish(program, _Shape.PERCENT, target_unit, (new_op, old_op), RISE_FALL)


def back_from_growth(value: Quantity, rate_percent: Quantity | Number, *, target_unit: str | None = None) -> Result:
    """The earlier level a figure grew from: ``value ÷ (1 + rate)``.

    "3251人, 增长30.1%" → 2020 had ≈ 2499 人. A bare ``rate_percent`` is in percent.
    """
    value_op, rate_op = _operand(value), _percent(rate_percent, "增长率")
    program = Program((Step(Op.ADD, Const(1), rate_op), Step(Op.DIVIDE, value_op, Ref(0))))
    return _finish(program, _Shape.QUANTITY, target_unit, (value_op, rate_op))


def back_from_points(share: Quantity, points: Quantity, *, fell: bool = False) -> Result:
    """The earlier share before a change in 个百分点: 50.2% 较上年提高 1.6 个百分点 → 48.6%."""
    share_op = _percent(share, "比重")
    points_op = _operand(points)
    if points_op.unit != POINTS:
        raise CalcError(f"{points_op.label or points_op.display} is in {points_op.unit or 'no unit'}, not {POINTS}")
    as_percent = replace(points_op, unit=PERCENT)
    program = Program((Step(Op.ADD if fell else Op.SUBTRACT, share_op, as_percent),))
    return _finish(program, _Shape.PERCENT, None, (share_op, as_percent))


def back_from_increment(value: Quantity, increment: Quantity, *, target_unit: str | None = None) -> Result:
    """The earlier level before a net change: ``value − increment`` (达 10252 家, 净增 1402 家)."""
    value_op, increment_op = _operand(value), _operand(increment)
    program = Program((Step(Op.SUBTRACT, value_op, increment_op),))
    return _finish(program, _Shape.QUANTITY, target_unit, (value_op, increment_op))


def forward_from_increment(value: Quantity, increment: Quantity, *, target_unit: str | None = None) -> Result:
    """A planned level set only as a change: ``value + increment`` (达 2210 家, 计划净增 340 家以上 → 2550 家)."""
    value_op, increment_op = _operand(value), _operand(increment)
    program = Program((Step(Op.ADD, value_op, increment_op),))
    return _finish(program, _Shape.QUANTITY, target_unit, (value_op, increment_op))


class Multiple(StrEnum):
    """How a report states a multiple, which decides the factor in new = old × factor.

    Chinese "增长 x 倍" counts the growth, not the total, so it is ×(1 + x);
    "扩大一倍" is MORE with x = 1 (×2); "翻番" is DOUBLINGS with n = 1 (×2),
    "翻两番" n = 2 (×4).
    """

    TIMES = "times"  # 是 / 为 / 相当于 x 倍: × x
    MORE = "more"  # 增长 / 扩大 / 提高 x 倍: × (1 + x)
    DOUBLINGS = "doublings"  # 翻 n 番: × 2ⁿ


def back_from_multiple(
    value: Quantity,
    factor: Quantity | Number,
    *,
    phrasing: Multiple | str = Multiple.TIMES,
    target_unit: str | None = None,
) -> Result:
    """The earlier level a figure is a multiple of: ``value ÷ factor`` as ``phrasing`` reads it.

    ``factor`` is the number the report writes (the x of "x 倍", the n of "翻 n 番"),
    as an operand in 倍 (or unitless) or a bare number; see :class:`Multiple`.
    """
    return _by_multiple(value, factor, Multiple(phrasing), target_unit, Op.DIVIDE)


def forward_from_multiple(
    value: Quantity,
    factor: Quantity | Number,
    *,
    phrasing: Multiple | str = Multiple.TIMES,
    target_unit: str | None = None,
) -> Result:
    """The later level a plan sets as a multiple of today's: ``value × factor`` (58.4 亿元，翻一番 → 116.8 亿元)."""
    return _by_multiple(value, factor, Multiple(phrasing), target_unit, Op.MULTIPLY)


def _by_multiple(
    value: Quantity, factor: Quantity | Number, phrasing: Multiple, target_unit: str | None, op: Op
) -> Result:
    value_op = _operand(value)
    operands: tuple[Operand, ...] = (value_op,)
    x: Arg
    if isinstance(factor, Operand | Figure):
        factor_op = _operand(factor)
        if factor_op.unit not in ("", TIMES):
            raise CalcError(f"{factor_op.label or factor_op.display} is in {factor_op.unit}, expected 倍")
        x, x_value, operands = factor_op, factor_op.value, (value_op, factor_op)
    else:
        x_value = _to_decimal(factor)
        x = Const(x_value)
    if phrasing is Multiple.TIMES:
        steps: tuple[Step, ...] = (Step(op, value_op, x),)
    elif phrasing is Multiple.MORE:
        steps = (Step(Op.ADD, Const(1), x), Step(op, value_op, Ref(0)))
    else:
        if x_value != x_value.to_integral_value() or x_value < 0:
            raise CalcError(f"翻 n 番 needs a whole number of doublings, got {format_number(x_value)}")
        steps = (Step(op, value_op, Const(2 ** int(x_value))),)
    return _finish(Program(steps), _Shape.QUANTITY, target_unit, operands)


def forward_from_growth(value: Quantity, rate_percent: Quantity | Number, *, target_unit: str | None = None) -> Result:
    """The later level a plan's growth rate sets: ``value × (1 + rate)`` (46.8 亿元，增长不低于 8% → 50.544 亿元)."""
    value_op, rate_op = _operand(value), _percent(rate_percent, "增长率")
    program = Program((Step(Op.ADD, Const(1), rate_op), Step(Op.MULTIPLY, value_op, Ref(0))))
    return _finish(program, _Shape.QUANTITY, target_unit, (value_op, rate_op))


def _quotient(a: Quantity, b: Quantity, shape: _Shape, target_unit: str | None) -> Result:
    a_op, b_op = _operand(a), _operand(b)
    return _finish(Program((Step(Op.DIVIDE, a_op, b_op),)), shape, target_unit, (a_op, b_op))


def ratio(a: Quantity, b: Quantity, *, target_unit: str | None = None) -> Result:
    """How many times ``b`` ``a`` is (``a ÷ b``, in 倍); both must be in the same unit."""
    return _quotient(a, b, _Shape.TIMES, target_unit)


def share(part: Quantity, whole: Quantity, *, target_unit: str | None = None) -> Result:
    """What proportion ``part`` is of ``whole`` (占比), in %."""
    return _quotient(part, whole, _Shape.PERCENT, target_unit)


def return_rate(gain: Quantity, cost: Quantity, *, target_unit: str | None = None) -> Result:
    """收益率/回报率 ``gain ÷ cost`` in %.

    Separate from :func:`share` because the question differs and a gain may exceed
    its cost or be negative (> 100%, < 0%), which a part of a whole cannot.
    """
    return _quotient(gain, cost, _Shape.PERCENT, target_unit)


def average(total: Quantity, count: Quantity, *, target_unit: str | None = None) -> Result:
    """Per-unit value ``total ÷ count`` (84.11亿元 ÷ 2092家 ≈ 402.06万元/家).

    Money per unit takes the readable money scale (万元/家 from 1 万元, else 元/家).
    A ``target_unit`` without "/" (the question said "平均每家多少万元") gets the
    count's unit appended.
    """
    count_unit = _operand(count).unit
    if target_unit is not None and "/" not in target_unit and count_unit:
        target_unit = f"{target_unit}/{count_unit}"
    return _quotient(total, count, _Shape.QUANTITY, target_unit)


def target_from_completion(
    actual: Quantity, completion_percent: Quantity | Number, *, target_unit: str | None = None
) -> Result:
    """The target implied by "完成年度目标的 216.44%": ``actual ÷ (pct / 100)``."""
    actual_op, pct_op = _operand(actual), _percent(completion_percent, "完成率")
    program = Program((Step(Op.DIVIDE, actual_op, pct_op),))
    return _finish(program, _Shape.QUANTITY, target_unit, (actual_op, pct_op))


def whole_from_rate(part: Quantity, rate: Quantity, *, target_unit: str | None = None) -> Result:
    """The whole a stated part is a share of, or the base a stated total is a multiple of: ``part ÷ rate``.

    "申报 10252 家，占全省的 1/3" → 全省 ≈ 30756 家; "募资总额 41.41 亿元，财政资金放大倍率 7.1 倍"
    → 财政资金 ≈ 5.83 亿元. ``rate`` is in %, in 倍, or a plain fraction (1/3).
    """
    part_op, rate_op = _operand(part), _operand(rate)
    if rate_op.unit not in (PERCENT, TIMES, ""):
        raise CalcError(f"{rate_op.label or rate_op.display} is in {rate_op.unit}, expected %, 倍 or a fraction")
    return _finish(Program((Step(Op.DIVIDE, part_op, rate_op),)), _Shape.QUANTITY, target_unit, (part_op, rate_op))


def convert(operand: Quantity, to_unit: str) -> Result:
    """The same figure in another scale: 84.11亿元 → 841100万元, 1.9万家 → 19000家.

    Scales are powers of ten, so a conversion is exact and never rounded.
    """
    op = _operand(operand)
    if {op.unit, split_scale(to_unit)[1]} == {PERCENT, POINTS}:
        raise CalcError("% and 个百分点 are different things; a level is not a change")
    _, dim = _parse_unit(op.unit)
    display = _parse_target(to_unit, dim, op.unit) if dim else None
    if display is None:
        scale, rest = split_scale(to_unit)
        if rest not in DIMENSIONLESS_FACTORS:
            raise CalcError(f"cannot express {op.unit or 'a plain number'} in {to_unit}")
        display = _Display(to_unit, SCALE_FACTORS[scale] * DIMENSIONLESS_FACTORS[rest], DEFAULT_PLACES)
    factor, _ = _parse_unit(op.unit)
    with localcontext(prec=PRECISION_DIGITS):
        exact = op.value * factor / display.factor
    approximate = is_approximate_qualifier(op.qualifier)
    formula = f"{op.display} {'≈' if approximate else '='} {_signed_text(exact)}{to_unit}"
    return Result(exact, exact, to_unit, formula, approximate, (op,))
