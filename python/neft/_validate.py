"""`neft validate`: the Halverson-Maiti-Stoner experiment, its report as
Python objects (`neft validate --format json`, the report.json)."""

import os

from ._numbers import arg_text, points_text, list_text
from ._run import Options, run, parse_json
from ._table import Table, Tabular, to_balls
from ._expansion import _int


class Report(Tabular):
    """The report of `neft validate`: widths (a list of dicts per width:
    dev4, background4, dev6, background6, g6c_over_exact, g6c_pull,
    g4c_pull_max; None where the report says n/a, with NAME_why), cutoffs
    (per cutoff: lambda_sampled and lambda_exact Balls, lambda_stderr,
    chi2, the 6-point ratios and pulls), running (slope_sampled,
    slope_exact Balls, expected), the setting (activation, d_in, sw, sb,
    models, seed, inputs, fit_width) in meta, and out, the report folder
    (report.json, report.tex, the figures)."""

    def __init__(self, obj, out=None):
        obj = to_balls(obj)
        self.raw = obj
        self.widths = obj.get("widths", [])
        self.cutoffs = obj.get("cutoffs", [])
        self.running = obj.get("running", {})
        self.meta = {k: v for k, v in obj.items() if k not in ("widths", "cutoffs", "running")}
        self.out = out

    def __repr__(self):
        return "<Report %s: %d widths, %d cutoffs>" % (self.meta.get("activation"),
                                                       len(self.widths), len(self.cutoffs))

    def table(self, which="widths"):
        """"widths" (one row per width) or "cutoffs" (one row per cutoff):
        the numbers of the report (the *_why reasons left out)."""
        if which not in ("widths", "cutoffs"):
            raise ValueError("table: which is 'widths' or 'cutoffs', got %r" % (which,))
        rows = self.widths if which == "widths" else self.cutoffs
        cols = []
        for r in rows:
            for k, v in r.items():
                if k not in cols and not k.endswith("_why") and not isinstance(v, dict):
                    cols.append(k)
        return Table(cols, [[r.get(c) for c in cols] for r in rows], which)

    def _repr_html_(self):
        return self.table("widths")._repr_html_() + "\n" + self.table("cutoffs")._repr_html_()


def validate(quick=False, activation=None, slope=None, d_in=None, sw=None, sb=None, at=None,
             widths=None, fit_width=None, cutoffs=None, models=None, seed=None, threads=None,
             prec=None, out="neft-report", resume=True, max_work=None, max_memory=None,
             binary=None):
    """`neft validate --format json` as a Report; the report folder is
    written to out (default neft-report, as the command's).  quick=True is
    the command's --quick setting; resume=False is --no-resume."""
    o = Options("validate").flag("--quick", quick)
    o.add("--activation", activation).add("--slope", slope, lambda x: arg_text(x, "slope"))
    o.add("--d-in", d_in, _int("d_in"))
    o.add("--sw", sw, lambda x: arg_text(x, "sw")).add("--sb", sb, lambda x: arg_text(x, "sb"))
    o.add("--at", at, points_text)
    o.add("--widths", widths, lambda x: list_text(x, "--widths", integers=True))
    o.add("--fit-width", fit_width, _int("fit_width"))
    o.add("--cutoffs", cutoffs, lambda x: list_text(x, "--cutoffs", rational=False))
    o.add("--models", models, _int("models")).add("--seed", seed, _int("seed"))
    o.add("--threads", threads, _int("threads")).add("--prec", prec, _int("prec"))
    o.add("--out", None if out is None else os.fspath(out)).flag("--no-resume", not resume)
    o.add("--max-work", max_work, lambda x: arg_text(x, "max_work", rational=False))
    o.add("--max-memory", max_memory, str)
    args = o.args + ["--format", "json"]
    return Report(parse_json(run(args, binary), args), out)
