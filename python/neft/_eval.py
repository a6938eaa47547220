"""`neft eval`: the expansion integrated with a GP kernel, as Balls."""

from fractions import Fraction

from ._ball import ball_of
from ._numbers import arg_text, points_text, _plain
from ._run import Options, run, parse_json
from ._table import Table, Tabular, to_balls
from ._expansion import _int, _names, _order


class EvalTerm:
    """One evaluated term: coefficient (Fraction), couplings {name: power},
    integral and value (Balls; integral None when a coupling of the term is
    set to exactly 0: not computed, the value 0)."""

    def __init__(self, coefficient, couplings, integral, value):
        self.coefficient, self.couplings = coefficient, couplings
        self.integral, self.value = integral, value

    def __repr__(self):
        return "EvalTerm(%s, %r, %r)" % (self.coefficient, self.couplings, self.value)


class TupleValue:
    """One tuple of --all-tuples: indices, value (Ball), converged, terms."""

    def __init__(self, indices, value, converged, terms):
        self.indices, self.value, self.converged, self.terms = indices, value, converged, terms

    def __repr__(self):
        return "TupleValue(%r, %r)" % (self.indices, self.value)


class Evaluation(Tabular):
    """`neft eval`: value (the correlator, a Ball), converged, terms; with
    all_tuples=True `tuples` {indices: TupleValue} and ev[indices] the Ball
    of one tuple (value is then None).  kernel, couplings ({name: Ball}),
    inputs, cutoff (Fraction or "inf"), prec; every other key in extra."""

    def __init__(self, value, terms, extra, tuples=None, converged=True):
        self.value, self.terms, self.extra = value, terms, extra
        self.tuples, self.converged = tuples, converged
        self.kernel = extra.get("kernel")
        self.couplings = extra.get("couplings", {})
        self.inputs = [tuple(p) for p in extra.get("inputs", [])]
        c = extra.get("cutoff")
        self.cutoff = c if c is None or c == "inf" else Fraction(str(c))
        self.prec = extra.get("prec")

    def __getitem__(self, indices):
        if self.tuples is None:
            raise KeyError("this evaluation has one value (.value); tuples come with "
                           "all_tuples=True")
        key = tuple(_plain(i) for i in indices)
        if key not in self.tuples:
            raise KeyError("no tuple %r (indices are sorted 0-based positions in at)" % (key,))
        return self.tuples[key].value

    def __repr__(self):
        if self.tuples is not None:
            return "<Evaluation: %d tuples>" % len(self.tuples)
        return "Evaluation(%r, %d terms)" % (self.value, len(self.terms))

    def table(self):
        """One row per tuple (all_tuples) or per term."""
        if self.tuples is not None:
            return Table(["indices", "value", "converged"],
                         [(k, t.value, t.converged) for k, t in self.tuples.items()])
        return Table(["coefficient", "couplings", "integral", "value"],
                     [(t.coefficient, t.couplings, t.integral, t.value) for t in self.terms],
                     "value %s" % self.value)


def _terms(ts):
    return [EvalTerm(Fraction(t["coefficient"]), dict(t.get("couplings", {})),
                     ball_of(t["integral"]), ball_of(t["value"])) for t in ts]


def parse_evaluation(obj):
    """An Evaluation from the JSON of `neft eval --format json`."""
    extra = {k: v for k, v in obj.items() if k not in ("value", "terms", "tuples", "converged")}
    for k in ("kernel", "couplings"):
        if k in extra:
            extra[k] = to_balls(extra[k])
    if "tuples" in obj:
        tuples = {tuple(t["indices"]): TupleValue(tuple(t["indices"]), ball_of(t["value"]),
                                                  t.get("converged", True),
                                                  _terms(t.get("terms", [])))
                  for t in obj["tuples"]}
        return Evaluation(None, [], extra, tuples,
                          all(t.converged for t in tuples.values()))
    return Evaluation(ball_of(obj["value"]), _terms(obj.get("terms", [])), extra,
                      None, obj.get("converged", True))


def couplings_text(couplings, option="--set"):
    """{name: value} as NAME=VALUE,..; values decimals (Fraction with a
    finite decimal, Decimal, int, float, str)."""
    if isinstance(couplings, str):
        return couplings
    try:
        items = list(dict(couplings).items())
    except (TypeError, ValueError):
        raise TypeError("%s: expected a dict {name: value}, got %r" % (option, couplings)) from None
    if not items:
        raise ValueError("%s: expected at least one coupling" % option)
    for k, _ in items:
        if not isinstance(k, str):
            raise TypeError("%s: coupling names are strings, got %r" % (option, k))
    return ",".join("%s=%s" % (k, arg_text(v, option + " " + k, rational=False))
                    for k, v in items)


def cutoff_text(c, option="--cutoff"):
    c = _plain(c)
    if isinstance(c, float) and c == float("inf"):
        return "inf"
    return arg_text(c, option, rational=False)


def evaluate(rules=None, n=None, order=None, kernel=None, d_in=None, cutoff=None, at=None,
             couplings=None, sw=None, sb=None, prec=None, binary=None, extra_args=(), slope=None,
             subtract_bias=False, all_tuples=False, prune=None, max_terms=None, max_work=None,
             max_memory=None):
    """`neft eval` as an Evaluation.  rules=None: the built-in single-layer
    theory.  at: a list of points (numbers, or tuples for d_in > 1) or the
    text of --at; couplings {name: value} for --set; cutoff a number or
    "inf"; extra_args: more options (strings).  The command's own checks apply."""
    o = Options("eval", None if rules is None else str(rules))
    o.add("-n", n, _int("n")).add("-o", order, _order).add("--kernel", kernel)
    o.add("--slope", slope, lambda x: arg_text(x, "slope"))
    o.add("--d-in", d_in, _int("d_in"))
    o.add("--sw", sw, lambda x: arg_text(x, "sw", rational=False))
    o.add("--sb", sb, lambda x: arg_text(x, "sb", rational=False))
    o.flag("--subtract-bias", subtract_bias)
    o.add("--cutoff", cutoff, cutoff_text).add("--set", couplings, couplings_text)
    o.add("--at", at, points_text).flag("--all-tuples", all_tuples)
    o.add("--prec", prec, _int("prec")).add("--prune", prune, _names)
    o.add("--max-terms", max_terms, _int("max_terms"))
    o.add("--max-work", max_work, lambda x: arg_text(x, "max_work", rational=False))
    o.add("--max-memory", max_memory, str)
    if isinstance(extra_args, str):
        raise TypeError("extra_args: expected a list of strings, got %r" % (extra_args,))
    args = o.args + [str(a) for a in extra_args] + ["--format", "json"]
    return parse_evaluation(parse_json(run(args, binary), args))
