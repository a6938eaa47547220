"""neft from Python: expansions and evaluations as Python objects.

A dependency-free wrapper (standard library only) around the `neft` command:
it runs `neft ... --format json` and turns the JSON of DESIGN.md /
docs/formats.md into objects.  Exact rationals become fractions.Fraction,
balls (Arb enclosures) become Ball objects with decimal.Decimal ends.

    >>> import neft
    >>> ex = neft.diagrams("rules/phi4.rules", n=4, order=1, prune="connected")
    >>> ex.terms[0].coefficient
    Fraction(-1, 1)
    >>> ex.terms[0].edges
    [('x1', 'y1'), ('x2', 'y1'), ('x3', 'y1'), ('x4', 'y1')]

The command is found as `binary=`, else the environment variable NEFT, else
`neft` on PATH.  A failing command raises NeftError with its one-line message
and exit status.  Docs: docs/python.md.
"""

import json
import os
import shutil
import subprocess
from decimal import Decimal
from fractions import Fraction

__all__ = ["NeftError", "Coupling", "Term", "Expansion", "Ball", "EvalTerm", "Evaluation",
           "diagrams", "evaluate", "parse_expansion", "parse_evaluation", "run_json"]


class NeftError(RuntimeError):
    """`neft` failed: message is its stderr line, status its exit status
    (2 bad input, 1 runtime failure, 3 unsupported, 129/130 stopped by a
    signal: docs/commands.md)."""

    def __init__(self, message, status):
        RuntimeError.__init__(self, message)
        self.message = message
        self.status = status


def _binary(binary):
    b = binary or os.environ.get("NEFT") or shutil.which("neft")
    if b is None:
        raise NeftError("neft: the neft command was not found (pass binary= or set NEFT)", 127)
    return b


def run_json(args, binary=None):
    """Runs `neft ARGS` (which must ask for --format json) and returns the
    parsed JSON object."""
    p = subprocess.run([_binary(binary)] + [str(a) for a in args],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise NeftError(p.stderr.decode("utf-8", "replace").strip(), p.returncode)
    return json.loads(p.stdout.decode("utf-8"))


class Coupling:
    """A coupling of the theory: S contains + weight * name * integral f^legs."""

    def __init__(self, name, legs, weight):
        self.name, self.legs, self.weight = name, legs, weight

    def __repr__(self):
        return "Coupling(%r, legs=%d, weight=%r)" % (self.name, self.legs, self.weight)


class Term:
    """One labelled diagram: coefficient (Fraction), couplings {name: power},
    vertices [(name, coupling)], edges [(u, v)] with repetition for parallel
    propagators and (y, y) for a self-loop; multiplicity with group=True."""

    def __init__(self, coefficient, couplings, vertices, edges, multiplicity=None):
        self.coefficient = coefficient
        self.couplings = couplings
        self.vertices = vertices
        self.edges = edges
        self.multiplicity = multiplicity

    def __repr__(self):
        return "Term(%s, %r, %r)" % (self.coefficient, self.couplings, self.edges)


class Expansion:
    """G^(points) to `order`: couplings, prune (list of rule names), terms."""

    def __init__(self, points, order, couplings, prune, terms):
        self.points, self.order = points, order
        self.couplings, self.prune, self.terms = couplings, prune, terms

    def __len__(self):
        return len(self.terms)

    def __iter__(self):
        return iter(self.terms)

    def coefficient_sums(self):
        """{exponent tuple (in theory order): sum of coefficients}: with K = 1
        in zero dimensions, the correlator as a series in the couplings
        (docs/conventions.md).  With group=True each term counts
        multiplicity times (the family's terms share the coefficient)."""
        names = [c.name for c in self.couplings]
        out = {}
        for t in self.terms:
            key = tuple(t.couplings.get(n, 0) for n in names)
            k = t.multiplicity if t.multiplicity is not None else 1
            out[key] = out.get(key, Fraction(0)) + k * t.coefficient
        return {k: v for k, v in out.items() if v != 0}


def parse_expansion(obj):
    """An Expansion from the JSON object of `neft diagrams --format json`."""
    return Expansion(
        obj["points"], obj["order"],
        [Coupling(c["name"], c["legs"], Fraction(c["weight"])) for c in obj["couplings"]],
        list(obj["prune"]),
        [Term(Fraction(t["coefficient"]), dict(t["couplings"]),
              [(v["name"], v["coupling"]) for v in t["vertices"]],
              [tuple(e) for e in t["edges"]], t.get("multiplicity"))
         for t in obj["terms"]])


def diagrams(rules=None, n=None, order=None, prune=None, group=False, max_terms=None,
             binary=None):
    """`neft diagrams` as an Expansion.  rules=None is the built-in
    single-layer theory (n = 6, order = 1 unless given); prune is a list of
    rule names or a comma-separated string ("none" for no pruning)."""
    args = ["diagrams"]
    if rules is not None:
        args.append(rules)
    if n is not None:
        args += ["-n", n]
    if order is not None:
        args += ["-o", order]
    if prune is not None:
        args += ["--prune", prune if isinstance(prune, str) else ",".join(prune) or "none"]
    if group:
        args.append("--group")
    if max_terms is not None:
        args += ["--max-terms", max_terms]
    return parse_expansion(run_json(args + ["--format", "json"], binary))


class Ball:
    """An enclosure [mid - rad, mid + rad] with exact decimal ends."""

    def __init__(self, mid, rad):
        self.mid, self.rad = Decimal(mid), Decimal(rad)

    @property
    def lower(self):
        return self.mid - self.rad

    @property
    def upper(self):
        return self.mid + self.rad

    def contains(self, x):
        """1 if the number x (int, Fraction, Decimal, float) lies in the ball."""
        x = Fraction(x) if not isinstance(x, Fraction) else x
        return Fraction(self.lower) <= x <= Fraction(self.upper)

    def __float__(self):
        return float(self.mid)

    def __repr__(self):
        return "Ball(%s +/- %s)" % (self.mid, self.rad)


def _ball(b):
    return Ball(b["mid"], b["rad"])


class EvalTerm:
    """One evaluated term: coefficient (Fraction), couplings, integral and
    value (Balls)."""

    def __init__(self, coefficient, couplings, integral, value):
        self.coefficient, self.couplings = coefficient, couplings
        self.integral, self.value = integral, value

    def __repr__(self):
        return "EvalTerm(%s, %r, %r)" % (self.coefficient, self.couplings, self.value)


class Evaluation:
    """`neft eval`: value (the whole correlator, a Ball), terms, and every
    other key of the JSON object in `extra` (as parsed)."""

    def __init__(self, value, terms, extra):
        self.value, self.terms, self.extra = value, terms, extra

    def __repr__(self):
        return "Evaluation(%r, %d terms)" % (self.value, len(self.terms))


def parse_evaluation(obj):
    """An Evaluation from the JSON of `neft eval --format json` (DESIGN.md:
    {"value": BALL, "terms": [{"coefficient", "couplings", "integral",
    "value"}, ..], ..})."""
    terms = [EvalTerm(Fraction(t["coefficient"]), dict(t.get("couplings", {})),
                      _ball(t["integral"]), _ball(t["value"])) for t in obj.get("terms", [])]
    extra = {k: v for k, v in obj.items() if k not in ("value", "terms")}
    return Evaluation(_ball(obj["value"]), terms, extra)


def _points(at):
    """at as the command wants it: a string, or a list of numbers or of
    coordinate tuples (';' between points, ',' between coordinates)."""
    if isinstance(at, str):
        return at
    return ";".join(",".join(repr(c) for c in p) if isinstance(p, (list, tuple)) else repr(p)
                    for p in at)


def evaluate(rules, n, order, kernel, d_in, cutoff, at, couplings=None, sw=None, sb=None,
             prec=None, binary=None, extra_args=()):
    """`neft eval` as an Evaluation.  couplings: {name: value} for --set;
    at: a string or a list of points (numbers, or tuples for d_in > 1)."""
    args = ["eval", rules, "-n", n, "-o", order, "--kernel", kernel, "--d-in", d_in,
            "--cutoff", cutoff, "--at", _points(at)]
    if couplings:
        args += ["--set", ",".join("%s=%s" % (k, v) for k, v in couplings.items())]
    if sw is not None:
        args += ["--sw", sw]
    if sb is not None:
        args += ["--sb", sb]
    if prec is not None:
        args += ["--prec", prec]
    return parse_evaluation(run_json(args + list(extra_args) + ["--format", "json"], binary))
