"""Tables of results: every result object can become a dict of numpy arrays
(to_numpy), a pandas DataFrame (to_dataframe) and an HTML table in a
notebook (_repr_html_); numpy and pandas are optional."""

import html
import math
from decimal import Decimal
from fractions import Fraction

from ._ball import Ball


class Estimate:
    """A sampled value: mean and standard error (floats, as the sampler's
    doubles).  float(e) is the mean.  The sampler's tail diagnostics come
    along when the file has them (docs/cmd-sample.md, "Unreliable error
    bars"): stderr_iid, ess, ess_var, the sums behind them sum_p, sum_abs_p,
    sum_p2, sum_p4 (None when absent) and flags (a tuple of names such as
    "few-draws"; empty: the error bar is not flagged)."""

    __slots__ = ("mean", "stderr", "stderr_iid", "ess", "ess_var", "sum_p", "sum_abs_p",
                 "sum_p2", "sum_p4", "flags")

    def __init__(self, mean, stderr, stderr_iid=None, ess=None, ess_var=None, flags=(),
                 sum_p=None, sum_abs_p=None, sum_p2=None, sum_p4=None):
        def num(x):
            return None if x is None else float(x)
        self.mean, self.stderr = float(mean), float(stderr)
        self.stderr_iid, self.ess, self.ess_var = num(stderr_iid), num(ess), num(ess_var)
        self.sum_p, self.sum_abs_p = num(sum_p), num(sum_abs_p)
        self.sum_p2, self.sum_p4 = num(sum_p2), num(sum_p4)
        self.flags = tuple(flags)

    @property
    def reliable(self):
        """False when the sampler flagged this error bar."""
        return not self.flags

    def __float__(self):
        return self.mean

    def pull(self, x):
        """(mean - x) / stderr for a number or a Ball (its midpoint)."""
        if self.stderr == 0:
            raise ZeroDivisionError("pull: the standard error is 0")
        return (self.mean - float(x)) / self.stderr

    def __repr__(self):
        return "Estimate(%r, %r)" % (self.mean, self.stderr)

    def __str__(self):
        return "%.6g +/- %.2g" % (self.mean, self.stderr)

    def __eq__(self, other):
        return isinstance(other, Estimate) and (self.mean, self.stderr) == (other.mean, other.stderr)

    __hash__ = None


def _rad_up(d):
    """The Decimal radius d as a float no smaller than it."""
    f = float(d)
    if math.isfinite(f) and Fraction(f) < Fraction(d):
        f = math.nextafter(f, math.inf)
    return f


def _expand(name, values):
    """[(column name, list of plain values)] for one column of objects."""
    kind = next((v for v in values if v is not None), None)
    if isinstance(kind, Ball):
        return [(name, [float(v) if v is not None else math.nan for v in values]),
                (name + "_rad", [_rad_up(v.rad) if v is not None else math.nan for v in values])]
    if isinstance(kind, Estimate):
        return [(name, [v.mean if v is not None else math.nan for v in values]),
                (name + "_err", [v.stderr if v is not None else math.nan for v in values])]
    if isinstance(kind, (Fraction, Decimal, float)):
        return [(name, [float(v) if v is not None else math.nan for v in values])]
    return [(name, list(values))]


class Table:
    """Rows of one result: columns (names) and rows (tuples of Python
    objects: Ball, Estimate, Fraction, int, str, tuples).  Iterating gives
    dicts."""

    def __init__(self, columns, rows, title=None):
        self.columns, self.rows, self.title = list(columns), [tuple(r) for r in rows], title

    def __len__(self):
        return len(self.rows)

    def __iter__(self):
        return (dict(zip(self.columns, r)) for r in self.rows)

    def plain(self):
        """{column: list}, Balls as NAME (midpoint) and NAME_rad (radius,
        rounded up), Estimates as NAME and NAME_err, Fractions as floats."""
        out = {}
        for j, c in enumerate(self.columns):
            for k, v in _expand(c, [r[j] for r in self.rows]):
                out[k] = v
        return out

    def to_numpy(self):
        """plain() as numpy arrays (float where the column is numeric)."""
        try:
            import numpy
        except ImportError:
            raise ImportError("neft: to_numpy needs numpy (Debian: apt-get install "
                              "python3-numpy)") from None
        out = {}
        for k, v in self.plain().items():
            if v and all(isinstance(x, (tuple, list)) for x in v) and len({len(x) for x in v}) == 1:
                out[k] = numpy.array(v)
            elif all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v):
                out[k] = numpy.array(v, dtype=float if any(isinstance(x, float) for x in v)
                                     else int)
            else:
                arr = numpy.empty(len(v), dtype=object)
                arr[:] = v
                out[k] = arr
        return out

    def to_dataframe(self):
        """plain() as a pandas DataFrame."""
        try:
            import pandas
        except ImportError:
            raise ImportError("neft: to_dataframe needs pandas (Debian: apt-get install "
                              "python3-pandas)") from None
        return pandas.DataFrame(self.plain())

    def _repr_html_(self):
        h = ["<table>"]
        if self.title:
            h.append("<caption>%s</caption>" % html.escape(self.title))
        h.append("<tr>" + "".join("<th>%s</th>" % html.escape(c) for c in self.columns) + "</tr>")
        for r in self.rows:
            h.append("<tr>" + "".join("<td>%s</td>" % html.escape(_cell(v)) for v in r) + "</tr>")
        h.append("</table>")
        return "\n".join(h)

    def __repr__(self):
        return "<Table %s: %d rows>" % (", ".join(self.columns), len(self.rows))


def _cell(v):
    if v is None:
        return "n/a"
    if isinstance(v, tuple):
        return ",".join(str(x) for x in v)
    if isinstance(v, dict):
        return " ".join("%s^%s" % kv for kv in v.items()) or "1"
    return str(v)


class Tabular:
    """Mixin: a result with table() gets to_numpy, to_dataframe and an HTML
    view."""

    def to_numpy(self, *args, **kw):
        return self.table(*args, **kw).to_numpy()

    def to_dataframe(self, *args, **kw):
        return self.table(*args, **kw).to_dataframe()

    def _repr_html_(self):
        return self.table()._repr_html_()


_ESTIMATE_KEYS = {"mean", "stderr", "stderr_iid", "ess", "ess_var", "sum_p", "sum_abs_p",
                  "sum_p2", "sum_p4", "flags"}


def to_balls(obj):
    """obj (parsed JSON) with every {"mid", "rad"} object a Ball and every
    {"mean", "stderr"} object (with the sampler's tail diagnostics or not) an
    Estimate."""
    if isinstance(obj, dict):
        if set(obj) == {"mid", "rad"}:
            return Ball.from_json(obj)
        if {"mean", "stderr"} <= set(obj) <= _ESTIMATE_KEYS:
            return Estimate(**obj)
        return {k: to_balls(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [to_balls(v) for v in obj]
    return obj
