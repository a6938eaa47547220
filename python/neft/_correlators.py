"""`neft sample` and `neft exact`: correlators indexed by tuples of inputs."""

import contextlib
import os
import tempfile

from ._numbers import arg_text, points_text, list_text, _plain
from ._run import Options, run, parse_json
from ._table import Table, Tabular, to_balls
from ._expansion import _int


class Correlator:
    """One sorted tuple of inputs: npt, indices (0-based positions in the
    inputs), full and connected (Estimate for sampled data, Ball for exact)."""

    __slots__ = ("npt", "indices", "full", "connected")

    def __init__(self, npt, indices, full, connected):
        self.npt, self.indices, self.full, self.connected = npt, indices, full, connected

    def __repr__(self):
        return "Correlator(%r, full=%s, connected=%s)" % (self.indices, self.full, self.connected)


class Correlators(Tabular):
    """The correlators of `neft sample` (kind "sample": Estimates with
    jackknife standard errors) or `neft exact` (kind "exact": Balls).

    c[0, 0, 1, 1] is the Correlator of that tuple of inputs (any order of the
    indices: they are sorted); c.full(4) and c.connected(4) are {indices:
    value} of one npt; inputs are the points (tuples of floats); every other
    key of the JSON is in meta (activation, width, models, seed, ...).
    save(path) writes the command's JSON (with its digest) for `neft fit`."""

    def __init__(self, kind, obj, raw):
        self.kind, self.raw = kind, raw
        self.inputs = [tuple(p) for p in obj["inputs"]]
        self.meta = {k: v for k, v in obj.items() if k not in ("inputs", "correlators")}
        self.entries = {}
        for c in obj["correlators"]:
            full, conn = to_balls(c["full"]), to_balls(c["connected"])
            key = tuple(c["indices"])
            self.entries[key] = Correlator(c["npt"], key, full, conn)

    @property
    def npts(self):
        """The n of the correlators present, sorted."""
        return sorted({c.npt for c in self.entries.values()})

    def __getitem__(self, indices):
        if isinstance(_plain(indices), int):
            indices = (indices,)
        key = tuple(sorted(int(_plain(i)) for i in indices))
        try:
            return self.entries[key]
        except KeyError:
            raise KeyError("no correlator for indices %r (npts %s, %d inputs)"
                           % (key, self.npts, len(self.inputs))) from None

    def __iter__(self):
        return iter(self.entries.values())

    def __len__(self):
        return len(self.entries)

    def __repr__(self):
        return "<Correlators (%s): %d inputs, npt %s, %d tuples>" % (
            self.kind, len(self.inputs), ",".join(map(str, self.npts)), len(self))

    def full(self, npt):
        """{indices: full correlator} of the npt-point function."""
        return {k: c.full for k, c in self.entries.items() if c.npt == npt}

    def connected(self, npt):
        """{indices: connected correlator} of the npt-point function."""
        return {k: c.connected for k, c in self.entries.items() if c.npt == npt}

    def table(self, npt=None):
        """One row per tuple (of one npt, or all): npt, indices, full,
        connected (to_numpy/to_dataframe: full, full_err or full_rad, ...)."""
        return Table(["npt", "indices", "full", "connected"],
                     [(c.npt, c.indices, c.full, c.connected) for c in self.entries.values()
                      if npt is None or c.npt == npt],
                     "%s correlators" % self.kind)

    def save(self, path):
        """Writes the command's JSON output to path (the digest intact)."""
        with open(path, "wb") as f:
            f.write(self.raw)
        return path


def _at_opts(o, activation, slope, d_in, width, at, npt, sw, sb):
    o.add("--activation", activation).add("--slope", slope, lambda x: arg_text(x, "slope"))
    o.add("--d-in", d_in, _int("d_in")).add("--width", width, _int("width"))
    o.add("--at", at, points_text)
    o.add("--npt", npt, lambda x: list_text(x, "--npt", integers=True))
    o.add("--sw", sw, lambda x: arg_text(x, "sw", rational=False))
    o.add("--sb", sb, lambda x: arg_text(x, "sb", rational=False))


def _budget(o, max_work, max_memory):
    o.add("--max-work", max_work, lambda x: arg_text(x, "max_work", rational=False))
    o.add("--max-memory", max_memory, str)


def _result(kind, args, binary):
    raw = run(args + ["--format", "json"], binary, text=False)
    obj = parse_json(raw.decode("utf-8"), args)
    return Correlators(kind, obj, raw)


def sample(activation=None, width=None, models=None, at=None, npt=None, d_in=1, sw=None, sb=None,
           seed=None, slope=None, depth=None, widths=None, cw=None, cb=None, threads=None,
           checkpoint=None, checkpoint_interval=None, max_work=None, max_memory=None,
           binary=None):
    """`neft sample` as Correlators (Estimates: mean, stderr).  at: a list
    of points; npt: a list among 2, 4, 6, 8; widths: the hidden widths of a
    deep net (depth L)."""
    o = Options("sample")
    _at_opts(o, activation, slope, d_in, width, at, npt, sw, sb)
    o.add("--models", models, _int("models")).add("--seed", seed, _int("seed"))
    o.add("--depth", depth, _int("depth"))
    o.add("--widths", widths, lambda x: list_text(x, "--widths", integers=True))
    o.add("--cw", cw, lambda x: arg_text(x, "cw", rational=False))
    o.add("--cb", cb, lambda x: arg_text(x, "cb", rational=False))
    o.add("--threads", threads, _int("threads"))
    o.add("--checkpoint", None if checkpoint is None else os.fspath(checkpoint))
    o.add("--checkpoint-interval", checkpoint_interval,
          lambda x: arg_text(x, "checkpoint_interval", rational=False))
    _budget(o, max_work, max_memory)
    return _result("sample", o.args, binary)


def exact(activation=None, width=None, at=None, npt=None, d_in=1, sw=None, sb=None, slope=None,
          prec=None, max_work=None, max_memory=None, binary=None):
    """`neft exact` as Correlators (Balls containing the exact values)."""
    o = Options("exact")
    _at_opts(o, activation, slope, d_in, width, at, npt, sw, sb)
    o.add("--prec", prec, _int("prec"))
    _budget(o, max_work, max_memory)
    return _result("exact", o.args, binary)


def read_correlators(path):
    """Correlators from a file written by `neft sample/exact --format json`
    (kind from its values: Estimates or Balls)."""
    with open(path, "rb") as f:
        raw = f.read()
    obj = parse_json(raw.decode("utf-8"), ["(reading %s)" % path])
    first = obj["correlators"][0]["full"] if obj.get("correlators") else {}
    return Correlators("exact" if "mid" in first else "sample", obj, raw)


@contextlib.contextmanager
def data_file(data, what):
    """The path of a correlator file: data itself (a path), or Correlators
    written to a temporary file removed afterwards."""
    if isinstance(data, Correlators):
        fd, tmp = tempfile.mkstemp(prefix="neft-%s-" % data.kind, suffix=".json")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data.raw)
            yield tmp
        finally:
            os.unlink(tmp)
    elif isinstance(data, (str, os.PathLike)):
        yield os.fspath(data)
    else:
        raise TypeError("%s: expected a file name or Correlators, got %r" % (what, data))
