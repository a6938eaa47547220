"""`neft diagrams`: an expansion as Python objects, with its LaTeX and SVG
drawings for notebooks."""

from fractions import Fraction

from ._numbers import _plain
from ._run import Options, run, parse_json
from ._table import Table, Tabular


class Coupling:
    """A coupling of the theory: S contains + weight * name * integral f^legs;
    points: the legs of each point, (legs,) for a local coupling, (2, 2) for
    a non-local one (legs 2+2); position: P of a weight |y|^P, 0 for none
    (docs/rules.md)."""

    def __init__(self, name, legs, weight, points=None, position=0):
        self.name, self.legs, self.weight = name, legs, weight
        self.points = tuple(points) if points is not None else (legs,)
        self.position = position

    def __repr__(self):
        extra = (", points=%r" % (self.points,) if len(self.points) > 1 else "") + \
                (", position=%d" % self.position if self.position else "")
        return "Coupling(%r, legs=%d, weight=%r%s)" % (self.name, self.legs, self.weight, extra)

    def __eq__(self, o):
        return isinstance(o, Coupling) and (self.name, self.legs, self.weight, self.points,
                                            self.position) == (o.name, o.legs, o.weight,
                                                               o.points, o.position)

    __hash__ = None


class Term:
    """One labelled diagram: coefficient (Fraction), couplings {name: power},
    vertices [(name, coupling)], edges [(u, v)] with repetition for parallel
    propagators and (y, y) for a self-loop; multiplicity with group=True;
    ties {point: first point of its vertex} for the points of non-local
    vertices ({} when there are none)."""

    def __init__(self, coefficient, couplings, vertices, edges, multiplicity=None, ties=None):
        self.coefficient = coefficient
        self.couplings = couplings
        self.vertices = vertices
        self.edges = edges
        self.multiplicity = multiplicity
        self.ties = ties or {}

    def __repr__(self):
        return "Term(%s, %r, %r)" % (self.coefficient, self.couplings, self.edges)


class Expansion(Tabular):
    """G^(points) to `order`: couplings, prune (rule names), terms; min_order
    with an order range.  latex() and svg() run the command's emitters on the
    same request (notebooks show them through _repr_latex_ and _repr_svg_)."""

    def __init__(self, points, order, couplings, prune, terms, min_order=None, args=None,
                 binary=None):
        self.points, self.order, self.min_order = points, order, min_order
        self.couplings, self.prune, self.terms = couplings, prune, terms
        self._args, self._binary = args, binary

    def __len__(self):
        return len(self.terms)

    def __iter__(self):
        return iter(self.terms)

    def __getitem__(self, i):
        return self.terms[i]

    def __repr__(self):
        return "<Expansion G^(%d) to order %d: %d terms>" % (self.points, self.order, len(self))

    def coefficient_sums(self):
        """{exponent tuple (in theory order): sum of coefficients}: with K = 1
        in zero dimensions, the correlator as a series in the couplings
        (docs/conventions.md).  With group=True each term counts
        multiplicity times."""
        names = [c.name for c in self.couplings]
        out = {}
        for t in self.terms:
            key = tuple(t.couplings.get(n, 0) for n in names)
            k = t.multiplicity if t.multiplicity is not None else 1
            out[key] = out.get(key, Fraction(0)) + k * t.coefficient
        return {k: v for k, v in out.items() if v != 0}

    def table(self):
        """One row per term: coefficient, one column per coupling (its
        power), vertices, edges (as text), multiplicity."""
        names = [c.name for c in self.couplings]
        cols = ["coefficient"] + names + ["vertices", "edges", "multiplicity"]
        rows = [[t.coefficient] + [t.couplings.get(n, 0) for n in names]
                + [len(t.vertices), " ".join("%s-%s" % e for e in t.edges),
                   t.multiplicity if t.multiplicity is not None else 1] for t in self.terms]
        return Table(cols, rows, "G^(%d) to order %d" % (self.points, self.order))

    def _emit(self, fmt, extra=()):
        if self._args is None:
            return None
        return run(self._args + ["--format", fmt] + list(extra), self._binary)

    def latex(self, diagrams=False, standalone=False):
        """The amsmath align* fragment of `--format latex` (with drawings:
        diagrams=True; a whole document: standalone=True)."""
        if self._args is None:
            raise ValueError("latex(): this expansion was not computed by neft.diagrams()")
        return self._emit("latex", (["--diagrams"] if diagrams else [])
                          + (["--standalone"] if standalone else []))

    def svg(self, size=None):
        """The SVG document of `--format svg` (every term drawn)."""
        if self._args is None:
            raise ValueError("svg(): this expansion was not computed by neft.diagrams()")
        return self._emit("svg", ["--size", str(size)] if size is not None else [])

    def tikz(self, standalone=False):
        """The TikZ pictures of `--format tikz`."""
        if self._args is None:
            raise ValueError("tikz(): this expansion was not computed by neft.diagrams()")
        return self._emit("tikz", ["--standalone"] if standalone else [])

    def _repr_latex_(self):
        if self._args is None:
            return None
        tex = self.latex()
        # MathJax: the align* environment alone, without comments and groups
        body = [l for l in tex.splitlines()
                if not l.startswith("%") and not l.startswith("\\begingroup")
                and not l.startswith("\\endgroup")]
        return "\n".join(body)

    def _repr_svg_(self):
        return self.svg() if self._args is not None else None


def parse_expansion(obj, args=None, binary=None):
    """An Expansion from the JSON object of `neft diagrams --format json`."""
    return Expansion(
        obj["points"], obj["order"],
        [Coupling(c["name"], c["legs"], Fraction(c["weight"]), c.get("points"),
                  c.get("position", 0)) for c in obj["couplings"]],
        list(obj["prune"]),
        [Term(Fraction(t["coefficient"]), dict(t["couplings"]),
              [(v["name"], v["coupling"]) for v in t["vertices"]],
              [tuple(e) for e in t["edges"]], t.get("multiplicity"),
              {v["name"]: v["vertex"] for v in t["vertices"] if "vertex" in v})
         for t in obj["terms"]], obj.get("min_order"), args, binary)


def _order(order):
    order = _plain(order)
    if isinstance(order, (tuple, list, range)):
        o = list(order) if not isinstance(order, range) else [order.start, order.stop - 1]
        if len(o) != 2:
            raise ValueError("order: expected M or (A, B), got %r" % (order,))
        return "%s..%s" % (int(o[0]), int(o[-1]))
    if isinstance(order, str):
        return order
    if isinstance(order, bool) or not isinstance(order, int):
        raise TypeError("order: expected an int, (A, B) or 'A..B', got %r" % (order,))
    return str(order)


def _int(name):
    def conv(x):
        x = _plain(x)
        if isinstance(x, bool) or not isinstance(x, (int, str)):
            raise TypeError("%s: expected an integer, got %r" % (name, x))
        return str(x)
    return conv


def _names(x):
    x = _plain(x)
    if isinstance(x, str):
        return x
    x = list(x)
    if not all(isinstance(s, str) for s in x):
        raise TypeError("expected names (strings), got %r" % (x,))
    return ",".join(x) or "none"


def diagrams(rules=None, n=None, order=None, exact_order=None, prune=None, group=False,
             max_terms=None, binary=None):
    """`neft diagrams` as an Expansion.  rules=None is the built-in
    single-layer theory (n = 6, order = 1 unless given); order an int, a
    pair (A, B) or "A..B" (terms with A to B vertices); exact_order M (only
    M vertices); prune a list of rule names or a comma-separated string
    ([] or "none" for no pruning); group: one term per family, with
    multiplicity."""
    o = Options("diagrams", None if rules is None else str(rules))
    o.add("-n", n, _int("n")).add("-o", order, _order)
    o.add("--exact-order", exact_order, _int("exact_order"))
    o.add("--prune", prune, _names).flag("--group", group)
    o.add("--max-terms", max_terms, _int("max_terms"))
    args = o.args
    return parse_expansion(parse_json(run(args + ["--format", "json"], binary), args), args, binary)


expand = diagrams
