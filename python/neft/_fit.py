"""`neft fit`: couplings fitted at each cutoff, and their running."""

from fractions import Fraction

from ._numbers import arg_text
from ._run import Options, run, parse_json
from ._table import Table, Tabular, to_balls
from ._expansion import _int, _names
from ._eval import couplings_text, cutoff_text
from ._correlators import data_file


class FitValue:
    """A fitted coupling at one cutoff: value (Ball), stderr and
    stderr_independent (Balls, None for exact data)."""

    def __init__(self, value, stderr, stderr_independent):
        self.value, self.stderr, self.stderr_independent = value, stderr, stderr_independent

    def __repr__(self):
        return "FitValue(%s, stderr=%s)" % (self.value, self.stderr)


class CutoffFit:
    """The fit at one cutoff: cutoff (Fraction or "inf"), chi2 (Ball), dof,
    values {coupling: FitValue}."""

    def __init__(self, cutoff, chi2, dof, values):
        self.cutoff, self.chi2, self.dof, self.values = cutoff, chi2, dof, values

    def __getitem__(self, name):
        return self.values[name]

    def __repr__(self):
        return "CutoffFit(%s, %r)" % (self.cutoff, self.values)


class Fit(Tabular):
    """`neft fit`: fits (a list of CutoffFit, one per cutoff), couplings
    (names fitted), running {name: {"slope", "stderr", "stderr_independent"}
    as Balls, or None with the reason in running_why[name]}, and the
    header (data, npt, kernel, d_in, tuples, weighted, weights)."""

    def __init__(self, obj):
        self.meta = {k: v for k, v in obj.items() if k not in ("fits", "running")}
        self.couplings = list(obj.get("couplings", []))
        self.fits = []
        for f in obj["fits"]:
            c = f["cutoff"]
            vals = {k: FitValue(*(to_balls(v.get(x)) for x in ("value", "stderr",
                                                                 "stderr_independent")))
                    for k, v in f["values"].items()}
            self.fits.append(CutoffFit(c if c == "inf" else Fraction(str(c)),
                                       to_balls(f["chi2"]), f["dof"], vals))
        run_ = obj.get("running") or {}
        self.running = {k: to_balls(v) for k, v in run_.items() if not k.endswith("_why")}
        self.running_why = {k[:-4]: v for k, v in run_.items() if k.endswith("_why")}

    def __getitem__(self, cutoff):
        """The CutoffFit of one cutoff (a number or "inf")."""
        key = cutoff if cutoff == "inf" else Fraction(str(cutoff)) if isinstance(cutoff, str) \
            else Fraction(cutoff)
        for f in self.fits:
            if f.cutoff == key:
                return f
        raise KeyError("no fit at cutoff %s (cutoffs %s)"
                       % (cutoff, ", ".join(str(f.cutoff) for f in self.fits)))

    def __repr__(self):
        return "<Fit of %s at %d cutoffs>" % (", ".join(self.couplings), len(self.fits))

    def table(self):
        """One row per cutoff: cutoff, chi2, dof, and per coupling NAME and
        NAME_stderr."""
        cols = ["cutoff", "chi2", "dof"]
        for n in self.couplings:
            cols += [n, n + "_stderr"]
        rows = []
        for f in self.fits:
            r = [f.cutoff if f.cutoff != "inf" else float("inf"), f.chi2, f.dof]
            for n in self.couplings:
                v = f.values.get(n)
                r += [v.value if v else None, v.stderr if v else None]
            rows.append(r)
        return Table(cols, rows, "fit to the %s-point connected correlators"
                     % self.meta.get("npt", "?"))


def fit(data, rules=None, fit=None, cutoff=None, kernel=None, subtract_bias=False, npt=None,
        couplings=None, weights=None, prec=None, ignore_digest=False, max_work=None,
        max_memory=None, binary=None):
    """`neft fit` as a Fit.  data: the path of a `neft sample`/`neft exact`
    JSON file, or Correlators (from neft.sample/neft.exact); fit: the
    coupling names; cutoff: a number or a list of them ("inf" allowed);
    couplings: {name: value} fixed (--set); weights "unit", "errors"."""
    with data_file(data, "fit: data") as path:
        o = Options("fit", path, None if rules is None else str(rules))
        o.add("--fit", fit, _names)
        o.add("--cutoff", cutoff, lambda x: x if isinstance(x, str) else
              ",".join(cutoff_text(c) for c in (x if isinstance(x, (list, tuple)) else [x])))
        o.add("--kernel", kernel).flag("--subtract-bias", subtract_bias)
        o.add("--npt", npt, _int("npt")).add("--set", couplings, couplings_text)
        o.add("--weights", weights).add("--prec", prec, _int("prec"))
        o.flag("--ignore-digest", ignore_digest)
        o.add("--max-work", max_work, lambda x: arg_text(x, "max_work", rational=False))
        o.add("--max-memory", max_memory, str)
        args = o.args + ["--format", "json"]
        return Fit(parse_json(run(args, binary), args))
