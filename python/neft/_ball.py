"""Ball: a rigorous enclosure [lower, upper] of a real number, as the command
prints them ({"mid": "..", "rad": ".."}), with interval arithmetic.

The ends are decimal.Decimal numbers of at most DIGITS significant digits.
Every operation computes the exact result of interval arithmetic on the ends
with fractions.Fraction and rounds the lower end down and the upper end up
to DIGITS digits, so the result contains every value the operands can take:
no float is involved anywhere.  Comparisons are True only when they hold for
every pair of values in the balls.
"""

import numbers
import re
from decimal import Decimal, Context, ROUND_FLOOR, ROUND_CEILING, ROUND_HALF_EVEN
from fractions import Fraction

from ._numbers import _plain, to_fraction, is_number

DIGITS = 40
"""Significant digits kept on each end after an operation."""

_EMAX, _EMIN = 999999999999999999, -999999999999999999


def _round(q, rounding, digits=None):
    """The Fraction q as a Decimal of `digits` significant digits, rounded
    in the given direction (exact when q fits)."""
    ctx = Context(prec=digits or DIGITS, rounding=rounding, Emax=_EMAX, Emin=_EMIN)
    return ctx.divide(Decimal(q.numerator), Decimal(q.denominator))


def _dec(text, what):
    """A decimal string as a Decimal, "p/q" as a Fraction."""
    t = str(text).strip()
    try:
        if re.fullmatch(r"[+-]?\d+/\d+", t):
            return Fraction(t)
        return Decimal(t)
    except (ArithmeticError, ValueError, ZeroDivisionError):
        raise ValueError("%s: %r is not a decimal number or fraction p/q" % (what, text)) from None


class Ball:
    """An enclosure of a real number.

    Ball(mid, rad=0): the ball [mid - rad, mid + rad]; mid and rad are
    numbers (int, Fraction, Decimal, float, numpy scalars: exact values) or
    decimal strings ("0.125", "1e-20").  Ball("[1.5 +/- 0.01]") reads Arb's
    text; Ball.interval(lo, hi) gives [lo, hi].  A ball that is not finite
    ({"mid": "nan", "rad": "inf"}) contains every number and no comparison
    with it is True.

    Arithmetic: + - * / with Balls and numbers, -x, abs(x), x ** n (integer
    n); division by a ball that may be 0 raises ZeroDivisionError.
    `x in ball` (a number or a Ball inside it), ball.contains(x);
    float(ball) is the midpoint (the only rounding to a float, explicit).
    """

    __slots__ = ("_lo", "_hi", "_mid", "_rad", "_fq")
    __hash__ = None

    def __init__(self, mid=0, rad=0):
        self._mid = self._rad = None
        if isinstance(mid, Ball):
            if not (isinstance(rad, int) and rad == 0):
                mid = mid + Ball(0, rad)
            self._lo, self._hi, self._mid, self._rad = mid._lo, mid._hi, mid._mid, mid._rad
            return
        if isinstance(mid, str) and rad == 0 and mid.strip().startswith("["):
            m = re.fullmatch(r"\[\s*(\S+)\s*\+/-\s*(\S+)\s*\]", mid.strip())
            if not m:
                raise ValueError("Ball: %r is not a ball [MID +/- RAD]" % mid)
            mid, rad = m.group(1), m.group(2)
        if isinstance(mid, str) or isinstance(rad, str):
            md = _dec(mid, "Ball mid") if isinstance(mid, str) else None
            rd = _dec(rad, "Ball rad") if isinstance(rad, str) else None
            if any(isinstance(v, Decimal) and not v.is_finite() for v in (md, rd)):
                self._lo = self._hi = None         # not finite: the whole line
                return
            m = (md if isinstance(md, Fraction) else Fraction(md)) if md is not None \
                else to_fraction(mid, "Ball mid")
            r = Fraction(rd) if rd is not None else to_fraction(rad, "Ball rad")
            if isinstance(md, Decimal) and (isinstance(rd, Decimal)
                                            or (rd is None and isinstance(rad, (int, Decimal)))):
                self._mid, self._rad = md, rd if rd is not None else Decimal(rad)
        else:
            m, r = to_fraction(mid, "Ball mid"), to_fraction(rad, "Ball rad")
        if r < 0:
            raise ValueError("Ball: the radius %s is negative" % r)
        self._set(m - r, m + r)
        if self._mid is not None and (Fraction(self._lo) != m - r or Fraction(self._hi) != m + r):
            self._mid = self._rad = None    # rounded: show the ends' own mid and rad

    def _set(self, lo, hi):
        self._lo = _round(lo, ROUND_FLOOR)
        self._hi = _round(hi, ROUND_CEILING)
        self._fq = (Fraction(self._lo) if self._lo != lo else lo,
                    Fraction(self._hi) if self._hi != hi else hi)
        return self

    @classmethod
    def interval(cls, lower, upper):
        """The ball [lower, upper] (numbers or decimal strings, lower <= upper)."""
        lo = Fraction(_dec(lower, "lower")) if isinstance(lower, str) else to_fraction(lower, "lower")
        hi = Fraction(_dec(upper, "upper")) if isinstance(upper, str) else to_fraction(upper, "upper")
        # (Fraction(x) is exact for a Decimal and a Fraction alike)
        if lo > hi:
            raise ValueError("Ball.interval: lower %s > upper %s" % (lo, hi))
        b = cls.__new__(cls)
        b._mid = b._rad = None
        return b._set(lo, hi)

    @classmethod
    def from_json(cls, obj):
        """The ball of the command's JSON {"mid": "..", "rad": ".."}."""
        if not isinstance(obj, dict) or set(obj) != {"mid", "rad"}:
            raise ValueError("not a ball {\"mid\", \"rad\"}: %r" % (obj,))
        return cls(str(obj["mid"]), str(obj["rad"]))

    # -- the ends ---------------------------------------------------------
    def is_finite(self):
        """False for the ball of a non-finite value (nan +/- inf)."""
        return self._lo is not None

    def is_exact(self):
        """True when the ball is one number (radius 0)."""
        return self._lo is not None and self._lo == self._hi

    @property
    def lower(self):
        """The lower end (Decimal; -Infinity when not finite)."""
        return self._lo if self._lo is not None else Decimal("-Infinity")

    @property
    def upper(self):
        """The upper end (Decimal; Infinity when not finite)."""
        return self._hi if self._hi is not None else Decimal("Infinity")

    @property
    def mid(self):
        """The midpoint (Decimal; as the command printed it for its balls)."""
        if self._lo is None:
            return Decimal("NaN")
        if self._mid is not None:
            return self._mid
        return _round((Fraction(self._lo) + Fraction(self._hi)) / 2, ROUND_HALF_EVEN, DIGITS + 2)

    @property
    def rad(self):
        """A radius: [mid - rad, mid + rad] contains [lower, upper]."""
        if self._lo is None:
            return Decimal("Infinity")
        if self._rad is not None:
            return self._rad
        m = Fraction(self.mid)
        r = max(Fraction(self._hi) - m, m - Fraction(self._lo))
        return _round(r, ROUND_CEILING, 4)

    def _q(self):
        """The ends as Fractions (computed once)."""
        try:
            return self._fq
        except AttributeError:
            self._fq = (Fraction(self._lo), Fraction(self._hi))
            return self._fq

    # -- conversions ------------------------------------------------------
    def __float__(self):
        if self._lo is None:
            return float("nan")
        return float((Fraction(self._lo) + Fraction(self._hi)) / 2)

    def __repr__(self):
        return "Ball(%r, %r)" % (str(self.mid), _sci(self.rad))

    def __str__(self):
        if self._lo is None:
            return "[nan +/- inf]"
        if self.is_exact():
            return str(self._lo)
        return "[%s +/- %s]" % (self.mid, _sci(self.rad))

    def __format__(self, spec):
        """format(ball, ".6"): the midpoint to 6 significant digits and a
        radius rounded up (2 digits) so that the printed ball still contains
        this one; an empty spec is str(ball)."""
        if not spec:
            return str(self)
        m = re.fullmatch(r"\.?(\d+)[gG]?", spec)
        if not m:
            raise ValueError("Ball format: expected '.N' (significant digits), got %r" % spec)
        if self._lo is None:
            return "[nan +/- inf]"
        n = max(1, int(m.group(1)))
        lo, hi = self._q()
        dm = _round((lo + hi) / 2, ROUND_HALF_EVEN, n)
        r = max(hi - Fraction(dm), Fraction(dm) - lo)
        if r == 0:
            return "%s" % dm
        return "[%s +/- %s]" % (dm, _sci(_round(r, ROUND_CEILING, 2)))

    def _repr_latex_(self):
        if self._lo is None:
            return r"$\mathrm{nan}$"
        return r"$%s \pm %s$" % (self.mid, _sci(self.rad))

    # -- arithmetic -------------------------------------------------------
    @staticmethod
    def _coerce(x):
        if isinstance(x, Ball):
            return x
        if isinstance(x, str) or not is_number(x):
            return None
        return Ball(to_fraction(_plain(x)))

    def _new(self, lo, hi):
        b = Ball.__new__(Ball)
        b._mid = b._rad = None
        if lo is None:
            b._lo = b._hi = None
            return b
        return b._set(lo, hi)

    def _op(self, other, ends, divide=False):
        """self OP other: ends(self's ends, other's ends) gives the exact
        (lower, upper) of the result, rounded outward by _new."""
        o = Ball._coerce(other)
        if o is None:
            return NotImplemented
        if divide and o._lo is not None and o._lo <= 0 <= o._hi:
            raise ZeroDivisionError("division by %s, which may be 0" % o)
        if self._lo is None or o._lo is None:
            return self._new(None, None)
        return self._new(*ends(self._q(), o._q()))

    @staticmethod
    def _hull(*xs):
        return min(xs), max(xs)

    def __add__(self, other):
        return self._op(other, lambda s, o: (s[0] + o[0], s[1] + o[1]))

    __radd__ = __add__

    def __sub__(self, other):
        return self._op(other, lambda s, o: (s[0] - o[1], s[1] - o[0]))

    def __rsub__(self, other):
        return self._op(other, lambda s, o: (o[0] - s[1], o[1] - s[0]))

    def __mul__(self, other):
        return self._op(other, lambda s, o: Ball._hull(s[0] * o[0], s[0] * o[1], s[1] * o[0],
                                                       s[1] * o[1]))

    __rmul__ = __mul__

    def __truediv__(self, other):
        return self._op(other, lambda s, o: Ball._hull(s[0] / o[0], s[0] / o[1], s[1] / o[0],
                                                       s[1] / o[1]), divide=True)

    def __rtruediv__(self, other):
        o = Ball._coerce(other)
        if o is None:
            return NotImplemented
        return o / self

    def __neg__(self):
        if self._lo is None:
            return self
        a, b = self._q()
        return self._new(-b, -a)

    def __pos__(self):
        return self

    def __abs__(self):
        if self._lo is None:
            return self
        a, b = self._q()
        if a >= 0:
            return self
        if b <= 0:
            return -self
        return self._new(Fraction(0), max(-a, b))

    def __pow__(self, n):
        n = _plain(n)
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            return NotImplemented
        n = int(n)
        if n < 0:
            return Ball(1) / (self ** -n)
        if self._lo is None:
            return self
        a, b = self._q()
        if n == 0:
            return Ball(1)
        if n % 2 == 1 or a >= 0:
            return self._new(a ** n, b ** n)
        if b <= 0:
            return self._new(b ** n, a ** n)
        return self._new(Fraction(0), max(-a, b) ** n)

    # -- comparisons: True only when certain ------------------------------
    def _certain(test, doc):
        """A comparison that is True when test(self's ends, other's ends)
        holds, i.e. for every pair of values; False with a non-finite ball."""
        def compare(self, other):
            o = Ball._coerce(other)
            if o is None:
                return NotImplemented
            return self._lo is not None and o._lo is not None and test(self._q(), o._q())
        compare.__doc__ = doc
        return compare

    __lt__ = _certain(lambda s, o: s[1] < o[0], "True when every value is below every other.")
    __le__ = _certain(lambda s, o: s[1] <= o[0], "True when no value is above any other.")
    __gt__ = _certain(lambda s, o: s[0] > o[1], "True when every value is above every other.")
    __ge__ = _certain(lambda s, o: s[0] >= o[1], "True when no value is below any other.")
    __eq__ = _certain(lambda s, o: s[0] == s[1] == o[0] == o[1],
                      "True only when both are the same single number.")
    __ne__ = _certain(lambda s, o: s[1] < o[0] or o[1] < s[0],
                      "True only when the balls are disjoint.")
    del _certain

    def __bool__(self):
        raise TypeError("the truth value of a Ball is not defined; ask `0 in ball`, "
                        "`ball != 0` (certainly nonzero) or `ball > 0`")

    def overlaps(self, other):
        """True when the balls may be the same number (they intersect)."""
        o = Ball._coerce(other)
        if o is None:
            raise TypeError("overlaps: expected a Ball or a number, got %r" % (other,))
        if self._lo is None or o._lo is None:
            return True
        return not (self._hi < o._lo or o._hi < self._lo)

    def contains(self, x):
        """True when the number x (or every number of the Ball x) lies in
        this ball; exact."""
        if isinstance(x, Ball):
            if self._lo is None:
                return True
            return x._lo is not None and self._lo <= x._lo and x._hi <= self._hi
        q = to_fraction(x, "contains")
        if self._lo is None:
            return True
        lo, hi = self._q()
        return lo <= q <= hi

    __contains__ = contains


def _sci(d):
    """A small Decimal radius as Arb-like text: 1e-20, 2.5e-3, 0."""
    if d == 0:
        return "0"
    if not d.is_finite():
        return str(d).lower()
    if Decimal("1e-4") <= d < Decimal("1e5"):
        return format(d.normalize(), "f")
    s = format(d.normalize(), "E")
    mant, _, exp = s.partition("E")
    return "%se%d" % (mant, int(exp))


def ball_of(obj):
    """A Ball from {"mid", "rad"}, None for JSON null."""
    if obj is None:
        return None
    return Ball.from_json(obj)
