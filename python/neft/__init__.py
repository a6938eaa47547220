"""neft from Python: every command of neft as a function returning objects.

    >>> import neft
    >>> ex = neft.diagrams("rules/phi4.rules", n=4, order=1, prune="connected")
    >>> ex.terms[0].coefficient
    Fraction(-1, 1)
    >>> ex.terms[0].edges
    [('x1', 'y1'), ('x2', 'y1'), ('x3', 'y1'), ('x4', 'y1')]

Each function runs the `neft` command with `--format json` and reads its
output: exact rationals become fractions.Fraction, balls (rigorous
enclosures) neft.Ball with interval arithmetic, sampled values
neft.Estimate (mean, stderr).  Results convert to numpy arrays and pandas
DataFrames (to_numpy, to_dataframe) when those are installed and show as
tables, LaTeX or SVG in notebooks.  A failing command raises NeftError (a
subclass per exit status) with neft's one-line message.  The command is
found as binary=, set_executable(), NEFT_EXE (or NEFT), the neft installed
with this module, or `neft` on PATH.  Tutorial and reference: docs/python.md.
"""

from ._errors import (NeftError, NeftInputError, NeftUnsupportedError, NeftInterrupted,
                      NeftNotFoundError)
from ._ball import Ball
from ._table import Estimate, Table, to_balls
from ._run import executable, set_executable, run, run_json
from ._expansion import Coupling, Term, Expansion, diagrams, expand, parse_expansion
from ._eval import EvalTerm, TupleValue, Evaluation, evaluate, parse_evaluation
from ._correlators import Correlator, Correlators, sample, exact, read_correlators
from ._fit import FitValue, CutoffFit, Fit, fit
from ._onen import Layer, Onen, Comparison, onen, onen_critical, onen_formulas, onen_compare
from ._validate import Report, validate

eval = evaluate     # noqa: A001  (the command's name; neft.eval, not builtins.eval)

__all__ = ["NeftError", "NeftInputError", "NeftUnsupportedError", "NeftInterrupted",
           "NeftNotFoundError", "Ball", "Estimate", "Table", "to_balls", "executable",
           "set_executable", "run", "run_json", "Coupling", "Term", "Expansion", "diagrams",
           "expand", "parse_expansion", "EvalTerm", "TupleValue", "Evaluation", "evaluate",
           "parse_evaluation", "Correlator", "Correlators", "sample", "exact",
           "read_correlators", "FitValue", "CutoffFit", "Fit", "fit", "Layer", "Onen", "Comparison", "onen",
           "onen_critical", "onen_formulas", "onen_compare", "Report", "validate"]
