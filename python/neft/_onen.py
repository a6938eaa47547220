"""`neft onen`: the 1/n recursions of deep networks, layer by layer."""

from fractions import Fraction

from ._numbers import arg_text, points_text, list_text
from ._run import Options, run, parse_json
from ._table import Table, Tabular, to_balls
from ._expansion import _int
from ._correlators import data_file

QUANTITIES = ("K", "chi_par", "chi_perp", "V", "V_over_K2", "G1", "v6", "v8", "V1")


class Layer:
    """One layer of the table: layer (its number), the quantities K,
    chi_par, chi_perp, V, V_over_K2, G1, v6, v8, V1 as Balls (attributes and
    layer["K"]), exact {name: Fraction} for relu, leaky-relu and linear
    (else None)."""

    def __init__(self, obj):
        self.layer = obj["layer"]
        self.values = {k: to_balls(v) for k, v in obj.items() if k not in ("layer", "exact")}
        self.exact = ({k: Fraction(v) for k, v in obj["exact"].items()}
                      if "exact" in obj else None)

    def __getitem__(self, name):
        return self.values[name]

    def __getattr__(self, name):
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self):
        return "<Layer %d: K = %s>" % (self.layer, self.values.get("K"))


class Onen(Tabular):
    """`neft onen`: layers (one input, or the first input), points (a list
    of layer lists, one per input), kernel (per layer the kernel matrix of
    Balls, several inputs), vertex and g1 (per layer, two inputs), and the header
    (activation, cw, cb, depth, ...) in meta."""

    def __init__(self, obj):
        self.meta = {k: v for k, v in obj.items()
                     if k not in ("layers", "kernel", "vertex", "g1")
                     and not k.startswith("point")}
        if "layers" in obj:
            self.points = [[Layer(l) for l in obj["layers"]]]
        else:
            self.points = []
            i = 0
            while "point%d" % i in obj:
                self.points.append([Layer(l) for l in obj["point%d" % i]["layers"]])
                i += 1
        self.layers = self.points[0] if self.points else []
        self.kernel = to_balls(obj["kernel"]) if "kernel" in obj else None
        self.vertex = to_balls(obj["vertex"]) if "vertex" in obj else None
        self.g1 = to_balls(obj["g1"]) if "g1" in obj else None
        self.asymptotics = to_balls(obj.get("asymptotics")) if "asymptotics" in obj else None

    def __getitem__(self, layer):
        """The Layer numbered layer (1 = the first)."""
        for l in self.layers:
            if l.layer == layer:
                return l
        raise KeyError("no layer %r (layers 1..%d)" % (layer, len(self.layers)))

    def __len__(self):
        return len(self.layers)

    def __repr__(self):
        return "<Onen %s, depth %s: %d input(s)>" % (self.meta.get("activation"),
                                                     self.meta.get("depth"), len(self.points))

    def table(self):
        """One row per input and layer: point, layer and the quantities."""
        rows = []
        for p, layers in enumerate(self.points):
            for l in layers:
                rows.append([p, l.layer] + [l.values.get(q) for q in QUANTITIES])
        return Table(["point", "layer"] + list(QUANTITIES), rows,
                     "%s, depth %s" % (self.meta.get("activation"), self.meta.get("depth")))


def _net(o, activation, slope, cw, cb, depth):
    o.add("--activation", activation).add("--slope", slope, lambda x: arg_text(x, "slope"))
    o.add("--cw", cw, lambda x: arg_text(x, "cw")).add("--cb", cb, lambda x: arg_text(x, "cb"))
    o.add("--depth", depth, _int("depth"))


def onen(activation=None, cw=None, cb=None, depth=None, k1=None, at=None, d_in=None, width=None,
         widths=None, slope=None, prec=None, max_work=None, max_memory=None, binary=None):
    """`neft onen` as an Onen table: k1 (K^(1)) or at (points) with d_in;
    cw, cb, k1 and the coordinates exact (Fractions are passed exactly)."""
    o = Options("onen")
    _net(o, activation, slope, cw, cb, depth)
    o.add("--k1", k1, lambda x: arg_text(x, "k1")).add("--at", at, points_text)
    o.add("--d-in", d_in, _int("d_in")).add("--width", width, _int("width"))
    o.add("--widths", widths, lambda x: list_text(x, "--widths", integers=True))
    o.add("--prec", prec, _int("prec"))
    o.add("--max-work", max_work, lambda x: arg_text(x, "max_work", rational=False))
    o.add("--max-memory", max_memory, str)
    args = o.args + ["--format", "json"]
    return Onen(parse_json(run(args, binary), args))


def onen_critical(activation, binary=None):
    """`neft onen --critical`: the universality class and critical point as
    a dict (Balls for the numbers)."""
    args = ["onen", "--critical", "--activation", activation, "--format", "json"]
    return to_balls(parse_json(run(args, binary), args))


def onen_formulas(format="text", binary=None):
    """`neft onen --formulas`: the recursions as text or LaTeX (a str)."""
    if format not in ("text", "latex"):
        raise ValueError("onen_formulas: format is 'text' or 'latex', got %r" % (format,))
    return run(["onen", "--formulas", "--format", format], binary)


class Comparison(Tabular):
    """`neft onen --compare-samples`: rows (dicts with npt, indices,
    measured (Estimate), predicted (Ball), pull) and the header in meta."""

    def __init__(self, obj):
        obj = to_balls(obj)
        self.rows = obj.get("compare", [])
        self.meta = {k: v for k, v in obj.items() if k != "compare"}

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]

    def __repr__(self):
        return "<Comparison: %d correlators>" % len(self.rows)

    def table(self):
        cols = []
        for r in self.rows:
            cols += [k for k in r if k not in cols]
        return Table(cols, [[tuple(r[c]) if isinstance(r.get(c), list) else r.get(c)
                             for c in cols] for r in self.rows], "measured against 1/n")


def onen_compare(samples, activation=None, cw=None, cb=None, depth=None, width=None, slope=None,
                 ignore_digest=False, binary=None):
    """`neft onen --compare-samples`: measured against predicted, a
    Comparison (rows with Estimates measured, Balls predicted, pulls).
    samples: a file of `neft sample --format json` or Correlators."""
    with data_file(samples, "onen_compare: samples") as path:
        o = Options("onen", "--compare-samples", path)
        _net(o, activation, slope, cw, cb, depth)
        o.add("--width", width, _int("width")).flag("--ignore-digest", ignore_digest)
        args = o.args + ["--format", "json"]
        return Comparison(parse_json(run(args, binary), args))
