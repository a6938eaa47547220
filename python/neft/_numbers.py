"""Numbers in and out: any Python number as the exact text the command reads
(docs/formats.md, neft/points.h), and as an exact Fraction for Ball
arithmetic.  No number is ever rounded through a float on the way."""

import math
import numbers
from decimal import Decimal
from fractions import Fraction


def _plain(x):
    """x without numpy: numpy scalars (and 0-d arrays) become Python
    numbers by .item(), which is exact for every numpy int and float type."""
    mod = type(x).__module__
    if mod == "numpy" and hasattr(x, "item") and getattr(x, "shape", ()) == ():
        return x.item()
    return x


def is_number(x):
    """True for int, Fraction, Decimal, float and numpy scalars (not bool)."""
    x = _plain(x)
    return isinstance(x, (numbers.Real, Decimal)) and not isinstance(x, bool)


def to_fraction(x, what="number"):
    """x as an exact Fraction: a float or numpy float gives its exact binary
    value.  TypeError for anything that is not a number, ValueError for nan
    and infinities."""
    x = _plain(x)
    if isinstance(x, bool) or not isinstance(x, (numbers.Real, Decimal)):
        raise TypeError("%s: expected a number (int, Fraction, Decimal, float), got %r"
                        % (what, x))
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    if isinstance(x, Decimal):
        if not x.is_finite():
            raise ValueError("%s: %s is not a finite number" % (what, x))
        return Fraction(x)
    if isinstance(x, numbers.Rational):
        return Fraction(x.numerator, x.denominator)
    x = float(x)
    if not math.isfinite(x):
        raise ValueError("%s: %r is not a finite number" % (what, x))
    return Fraction(x)


def decimal_text(q):
    """The exact decimal text of a Fraction whose denominator is 2^a 5^b
    ("0.0125", "-3"), else None."""
    p, d = q.numerator, q.denominator
    a = b = 0
    while d % 2 == 0:
        d //= 2
        a += 1
    while d % 5 == 0:
        d //= 5
        b += 1
    if d != 1:
        return None
    k = max(a, b)
    m = abs(p) * 10 ** k // q.denominator
    sign = "-" if p < 0 else ""
    if k == 0:
        return sign + str(m)
    s = str(m).rjust(k + 1, "0")
    return sign + s[:-k] + "." + s[-k:]


def arg_text(x, option, rational=True):
    """x as the text of a command-line number for option: a str is passed as
    it is (the command checks it); an int as itself; a Fraction or Decimal
    as its exact decimal, or as "p/q" when it has none (only where the
    option reads fractions: rational=True); a float (or numpy float) as its
    shortest repr, the decimal Python prints for it (0.1 is passed as "0.1";
    pass Fraction(x) for the float's exact binary value)."""
    x = _plain(x)
    if isinstance(x, str):
        return x
    if isinstance(x, bool) or not isinstance(x, (numbers.Real, Decimal)):
        raise TypeError("%s: expected a number or a string, got %r" % (option, x))
    if isinstance(x, float):
        if not math.isfinite(x):
            raise ValueError("%s: %r is not a finite number" % (option, x))
        return repr(x)
    if isinstance(x, int):
        return str(x)
    q = to_fraction(x, option)
    t = decimal_text(q)
    if t is not None:
        return t
    if rational:
        return "%d/%d" % (q.numerator, q.denominator)
    raise ValueError("%s: %s has no finite decimal expansion and this option reads decimals "
                     "only; pass a decimal (a str or a Decimal) of the precision you want"
                     % (option, q))


def points_text(at, option="--at"):
    """A list of points as --at wants it: numbers (d_in = 1) or sequences of
    coordinates, ';' between points and ',' between coordinates.  A str is
    passed as it is."""
    if isinstance(at, str):
        return at
    at = _plain(at)
    if hasattr(at, "tolist"):            # a numpy array
        at = at.tolist()
    if is_number(at):
        at = [at]
    try:
        pts = list(at)
    except TypeError:
        raise TypeError("%s: expected a list of points, got %r" % (option, at)) from None
    if not pts:
        raise ValueError("%s: expected at least one point" % option)
    out = []
    for p in pts:
        p = _plain(p)
        if hasattr(p, "tolist"):
            p = p.tolist()
        if isinstance(p, (list, tuple)):
            if not p:
                raise ValueError("%s: a point with no coordinates" % option)
            out.append(",".join(arg_text(c, option) for c in p))
        else:
            out.append(arg_text(p, option))
    return ";".join(out)


def list_text(xs, option, rational=True, integers=False):
    """A comma-separated list (--widths, --cutoff, --npt) from a list or a
    single value; a str is passed as it is."""
    if isinstance(xs, str):
        return xs
    xs = _plain(xs)
    if hasattr(xs, "tolist"):
        xs = xs.tolist()
    if is_number(xs):
        xs = [xs]
    out = []
    for x in xs:
        x = _plain(x)
        if integers and not isinstance(x, str):
            if isinstance(x, bool) or not isinstance(x, numbers.Integral):
                raise TypeError("%s: expected integers, got %r" % (option, x))
            out.append(str(int(x)))
        else:
            out.append(arg_text(x, option, rational))
    if not out:
        raise ValueError("%s: expected at least one value" % option)
    return ",".join(out)
