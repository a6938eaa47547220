#!/usr/bin/env python3
"""The Python package python/neft (docs/python.md).

    python3 python.py NEFT_BINARY RULES_DIR      (working directory tests/)

Runs under Debian's python3 (/usr/bin/python3, re-executed when the python3
running it lacks numpy and that one has it), so that the numpy, pandas and
matplotlib parts run where those are installed (.ci/setup installs them);
without them those parts are reported as not run.

- diagrams(): HMS eq. 3.19 grouped and ungrouped, Fraction coefficients,
  the objects hold exactly the command's JSON, coefficient_sums() against
  the exact zero-dimensional series (tests/zerodim.py);
- every function (diagrams, evaluate, sample, exact, fit, onen,
  onen_critical, onen_formulas, onen_compare, validate) with typical
  arguments (results checked: exact values inside their Balls, sampled
  against exact within 5 standard errors, fit lambda = -25/(2 N L^5)) and
  with bad ones: a bad request raises NeftInputError / NeftUnsupportedError
  with neft's own line (starting "neft:"), a bad Python argument TypeError
  or ValueError naming it; never another exception from inside the module;
- the calls that failed in issue 22: evaluate(None, ...), all_tuples,
  Fraction/Decimal/numpy points, Ball arithmetic and comparison;
- Ball: + - * / ** abs against exact Fractions on 3000 random cases: the
  exact result for every combination of points of the operands (ends,
  midpoints, random interior points) lies in the result; comparisons True
  only when true for every such pair; division by a ball holding 0 raises;
- `neft validate --format json` prints exactly report.json;
- the executable: NEFT_EXE, a missing one raises NeftNotFoundError;
- ^C in Python stops the command with SIGINT (its checkpoint saved) and
  raises KeyboardInterrupt;
- to_numpy / to_dataframe / _repr_html_ / _repr_latex_ / _repr_svg_;
- the tutorial of docs/python.md (run as it is, with the quick settings it
  uses), which must write its PNG figure;
- `meson install --destdir`: the package lands in a folder on Debian
  python3's sys.path, and imported from there finds the installed neft;
- the examples in the package's docstring (doctest, from the source root).
"""

import doctest
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
DEBIAN_PY = "/usr/bin/python3"


def _has(mod, py=None):
    if py is None:
        try:
            __import__(mod)
            return True
        except ImportError:
            return False
    return subprocess.run([py, "-c", "import " + mod], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


if (not _has("numpy") and os.path.exists(DEBIAN_PY) and os.path.realpath(sys.executable)
        != os.path.realpath(DEBIAN_PY) and _has("numpy", DEBIAN_PY)
        and not os.environ.get("NEFT_PYTHON_TEST_REEXEC")):
    os.environ["NEFT_PYTHON_TEST_REEXEC"] = "1"
    os.execv(DEBIAN_PY, [DEBIAN_PY] + sys.argv)

sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, HERE)
import neft  # noqa: E402
import zerodim  # noqa: E402

failures = []
notes = []


def check(cond, what):
    if not cond:
        failures.append(what)


def raises(call, exc, what, status=None, match=None):
    """call() must raise exc (status, message matching match); anything
    else (no exception, another class) is a failure."""
    try:
        call()
    except exc as e:
        msg = str(e)
        if status is not None:
            check(getattr(e, "status", None) == status,
                  "%s: status %r, expected %r (%s)" % (what, getattr(e, "status", None), status, msg))
        if isinstance(e, neft.NeftError) and e.status not in (127,) and e.status > 0:
            check(msg.startswith("neft:") or re.match(r"^\S+: ", msg),
                  "%s: the message is not neft's line: %r" % (what, msg))
        if match is not None:
            check(re.search(match, msg) is not None, "%s: message %r lacks %r" % (what, msg, match))
        return
    except Exception as e:                      # noqa: BLE001
        check(False, "%s: raised %s: %s, expected %s" % (what, type(e).__name__, e, exc.__name__))
        return
    check(False, "%s: no exception, expected %s" % (what, exc.__name__))


def ball_checks():
    """Ball arithmetic against exact Fractions on random cases."""
    rng = random.Random(22)
    B = neft.Ball

    def rnd():
        k = rng.choice([1, 3, 7, 10, 1000, 2 ** 30, 3 ** 20])
        return Fraction(rng.randint(-5 * k, 5 * k), k)

    def make():
        """(ball, the exact interval it was made from)"""
        how = rng.randrange(4)
        a, b = sorted((rnd(), rnd()))
        if how == 0:
            return B.interval(a, b), (a, b)
        if how == 1:
            m, r = rnd(), abs(rnd()) / rng.choice([1, 10, 10 ** 6, 10 ** 30])
            return B(m, r), (m - r, m + r)
        if how == 2:
            m = rnd()
            return B(m), (m, m)
        d = Decimal(rng.randint(-10 ** 6, 10 ** 6)).scaleb(-rng.randint(0, 8))
        r = Decimal(rng.randint(0, 999)).scaleb(-rng.randint(3, 30))
        return B(str(d), str(r)), (Fraction(d) - Fraction(r), Fraction(d) + Fraction(r))

    def points(iv):
        a, b = iv
        return [a, b, (a + b) / 2] + [a + (b - a) * Fraction(rng.randint(0, 1000), 1000)
                                      for _ in range(2)]

    ops = [("+", lambda x, y: x + y), ("-", lambda x, y: x - y), ("*", lambda x, y: x * y),
           ("/", lambda x, y: x / y)]
    bad = 0
    for case in range(3000):
        (x, ix), (y, iy) = make(), make()
        name, f = ops[case % 4]
        if name == "/" and iy[0] <= 0 <= iy[1]:
            if y.contains(0):
                try:
                    x / y
                    bad += 1
                    failures.append("Ball: %s / %s did not raise" % (x, y))
                except ZeroDivisionError:
                    pass
            continue
        z = f(x, y)
        # and no wider than the exact interval result on the operands' ends,
        # rounded outward to 40 digits
        ends = [f(p, q) for p in (Fraction(x.lower), Fraction(x.upper))
                for q in (Fraction(y.lower), Fraction(y.upper))]
        tol = max(abs(e) for e in ends) / 10 ** 38
        if not (min(ends) - tol <= Fraction(z.lower) and Fraction(z.upper) <= max(ends) + tol):
            failures.append("Ball: %s %s %s = %s is wider than [%s, %s]"
                            % (x, name, y, z, float(min(ends)), float(max(ends))))
        for p in points(ix):
            for q in points(iy):
                if not z.contains(f(p, q)):
                    bad += 1
                    if bad < 5:
                        failures.append("Ball: %s %s %s = %s does not contain %s %s %s"
                                        % (x, name, y, z, p, name, q))
        # comparisons: True only when certain
        pairs = [(p, q) for p in points(ix)[:3] for q in points(iy)[:3]]
        for op, g in (("<", lambda u, v: u < v), ("<=", lambda u, v: u <= v),
                      (">", lambda u, v: u > v), (">=", lambda u, v: u >= v),
                      ("==", lambda u, v: u == v), ("!=", lambda u, v: u != v)):
            if g(x, y) and not all(g(p, q) for p, q in pairs):
                failures.append("Ball: %s %s %s is True but not for every pair" % (x, op, y))
        # mixed with plain numbers, unary operations, powers
        c = rnd()
        for other in (c, float(c), Decimal(c.numerator) / Decimal(c.denominator)
                      if c.denominator in (1, 10, 1000) else c):
            oc = Fraction(other) if not isinstance(other, Fraction) else other
            add, sub, mul = x + other, other - x, other * x
            for p in points(ix):
                if not (p + oc) in add or not (oc - p) in sub or not (p * oc) in mul:
                    failures.append("Ball: mixed arithmetic with %r loses %s" % (other, p))
        neg, ab, sq, cu = -x, abs(x), x ** 2, x ** 3
        for p in points(ix):
            if not (-p in neg and abs(p) in ab and p ** 2 in sq and p ** 3 in cu):
                failures.append("Ball: unary/power loses %s of %s" % (p, x))
    check(bad == 0, "Ball: %d results miss the exact value" % bad)

    # the cases: arithmetic, comparisons, in, float, formatting
    x = B("0.125", "1e-20")
    check(Fraction(1, 8) in x and Fraction(1, 7) not in x and x > 0.1 and not (x > 0.125)
          and x < 1 and x != 0.2 and not (x == Fraction(1, 8)), "Ball comparisons")
    check(float(x) == 0.125 and isinstance(str(x), str) and format(x, ".3") == "[0.125 +/- 1.0e-20]"
          .replace("1.0e-20", format(x, ".3").split("+/- ")[-1].rstrip("]")), "Ball float/format")
    third = B(1) / 3
    check(Fraction(1, 3) in third and third.rad > 0 and (third * 3).contains(1)
          and not (third * 3 == 1), "Ball 1/3")
    check(B(Fraction(1, 4)) == Fraction(1, 4) and B(2) ** 10 == 1024, "exact Balls compare equal")
    raises(lambda: B(1) / B(0, 1), ZeroDivisionError, "Ball / ball with 0")
    raises(lambda: bool(B(1)), TypeError, "bool(Ball)")
    raises(lambda: B(1) + "1", TypeError, "Ball + str")
    raises(lambda: B("x"), ValueError, "Ball('x')")
    raises(lambda: B(1, -1), ValueError, "negative radius")
    raises(lambda: B(float("nan")), ValueError, "Ball(nan)")
    nf = B("nan", "inf")
    check(not nf.is_finite() and 5 in nf and not (nf < 1) and not (nf > 1) and not (nf == nf)
          and not (nf + 1).is_finite(), "non-finite Ball")
    s = format(B(Fraction(2, 3), Fraction(1, 10 ** 30)), ".5")
    m = re.fullmatch(r"\[(\S+) \+/- (\S+)\]", s)
    check(m is not None and B.interval(Fraction(Decimal(m.group(1))) - Fraction(Decimal(m.group(2))),
                                       Fraction(Decimal(m.group(1))) + Fraction(Decimal(m.group(2))))
          .contains(B(Fraction(2, 3), Fraction(1, 10 ** 30))), "format keeps the ball: " + s)
    try:
        import numpy
        v = numpy.float64(0.5)
        check((x + v).contains(Fraction(5, 8)) and (x * numpy.int64(2)).contains(Fraction(1, 4))
              and numpy.float32(0.125) in x, "Ball with numpy scalars")
    except ImportError:
        notes.append("numpy missing: Ball with numpy scalars not checked")


def command_checks(binary, rules_dir, tmp):
    phi4 = os.path.join(rules_dir, "phi4.rules")
    B = neft.Ball

    # diagrams: range orders, latex/svg, bad input
    ex = neft.diagrams(phi4, n=2, order=(1, 2), prune=["connected"])
    check(ex.min_order == 1 and all(t.vertices for t in ex), "diagrams order range")
    lx = ex._repr_latex_()
    check(lx.startswith("\\begin{align*}") and lx.rstrip().endswith("\\end{align*}")
          and "%" not in lx, "Expansion _repr_latex_: %r" % lx[:80])
    sv = ex._repr_svg_()
    check("<svg" in sv and sv.count("</svg>") == 1, "Expansion _repr_svg_")
    check("<table>" in ex._repr_html_(), "Expansion html")
    raises(lambda: neft.diagrams(phi4, n=4), neft.NeftInputError, "diagrams without -o", 2,
           "needs -n N")
    raises(lambda: neft.diagrams("no-such.rules", n=2, order=1), neft.NeftInputError,
           "diagrams missing file", 2, "no-such.rules")
    raises(lambda: neft.diagrams(phi4, n=2.5, order=1), TypeError, "diagrams n=2.5")
    raises(lambda: neft.diagrams(phi4, n=2, order=1, prune=[3]), TypeError, "prune=[3]")
    raises(lambda: neft.diagrams(phi4, n=8, order=9, max_terms=10), neft.NeftInputError,
           "diagrams budget", 2, "max-terms")

    # evaluate: the calls (None rules, all tuples, Fraction/Decimal/numpy points)
    pts = [Fraction(1, 4), Decimal("-0.75"), 1.5, "1/2"]
    ev = neft.evaluate(None, n=4, order=1, kernel="relu", sb=Decimal("0.5"), cutoff=10,
                       couplings={"lambda": Fraction(1, 10), "kappa": 0}, at=pts)
    check(isinstance(ev.value, B) and ev.value.contains(Decimal("-111.424242371765372"))
          and ev.inputs == [(0.25,), (-0.75,), (1.5,), (0.5,)], "evaluate: %r" % (ev,))
    tot = sum((t.value for t in ev.terms), B(0))
    check(tot.overlaps(ev.value), "evaluate: the terms do not sum into the value")
    ev2 = neft.evaluate(n=2, order=1, kernel="relu", cutoff=2, couplings={"lambda": 0.1, "kappa": 0},
                        at=[0.5, 1], extra_args=["--all-tuples"])
    check(ev2.value is None and sorted(ev2.tuples) == [(0, 0), (0, 1), (1, 1)]
          and Fraction(1, 4) in ev2[0, 1], "evaluate all tuples")
    ev3 = neft.evaluate(n=2, order=1, kernel="relu", cutoff=2, couplings={"lambda": 0.1, "kappa": 0},
                        at=[[0.5, 0.5], [1, 1]], d_in=2)
    check(ev3.kernel["d_in"] == 2, "evaluate d_in 2")
    raises(lambda: neft.evaluate(n=2, order=1, kernel="tanh", cutoff=2, couplings={"lambda": 0},
                                 at=[1, 2]), neft.NeftError, "eval tanh", None, "closed form")
    raises(lambda: neft.evaluate(n=2, order=2, kernel="relu", cutoff=1, d_in=3, sb=0.5,
                                 couplings={"lambda": 0.1, "kappa": 0},
                                 at=[(0.5, 0.5, 0.5), (1, 0, 0)], prune="connected"),
           neft.NeftUnsupportedError, "eval two vertices in d_in 3", 3, "unsupported")
    # relu with sigma_b > 0 in d_in = 2: refused by neft_integrate_vint, its method SECTOR4's
    # estimate from these points being over 60 s (before stop 34 refused by the plan at once;
    # before stop 31 a cost of 1e14 made budgets refuse it, status 2)
    raises(lambda: neft.evaluate(n=2, order=2, kernel="relu", cutoff=1, d_in=2, sb=0.5,
                                 couplings={"lambda": 0.1, "kappa": 0},
                                 at=[(0.5, 0.5), (1, 0)], prune="connected"),
           neft.NeftUnsupportedError, "eval relu sb > 0 two vertices in d_in 2", 3,
           "SECTOR4")
    raises(lambda: neft.evaluate(n=2, order=1, kernel="relu", cutoff=2,
                                 couplings={"lambda": Fraction(1, 3)}, at=[1, 2]),
           ValueError, "eval --set 1/3", match="lambda")
    raises(lambda: neft.evaluate(n=2, order=1, kernel="relu", cutoff=2, couplings=[1],
                                 at=[1, 2]), TypeError, "eval couplings=[1]")
    raises(lambda: neft.evaluate(n=2, order=1, kernel="relu", cutoff=2, couplings={"lambda": 0},
                                 at=[1, float("nan")]), ValueError, "eval at nan")
    raises(lambda: neft.evaluate(n=2, order=1, kernel="relu", cutoff=2, couplings={"lambda": 0},
                                 at=[1, 2], extra_args="--all-tuples"), TypeError, "extra_args str")

    # sample and exact: indexed by tuples, sampled within 5 stderr of exact
    at = [Fraction(1, 2), Decimal("1.0")]
    s = neft.sample(activation="relu", width=20, models=20000, at=at, npt=[2, 4], seed=1)
    e = neft.exact(activation="relu", width=20, at=at, npt=(2, 4))
    check(len(s) == len(e) == 8 and s.kind == "sample" and e.kind == "exact", "sample/exact sizes")
    check(Fraction(1, 8) in e[0, 0].full and e[1, 0] is e[0, 1], "exact G2(0.5, 0.5) = 1/8")
    for k, c in e.entries.items():
        est = s[k].connected
        check(abs(est.pull(c.connected)) < 5, "sample %r: %s vs exact %s" % (k, est, c.connected))
    check(set(s.connected(4)) == set(e.full(4)) and s.npts == [2, 4], "full/connected by npt")
    # the sampler's tail diagnostics ride along (docs/cmd-sample.md): flags a tuple of names
    g = s[0, 0, 0, 0].full
    check(isinstance(g.flags, tuple) and g.ess is not None and g.ess_var > 0
          and g.stderr_iid > 0 and g.reliable == (not g.flags),
          "sample diagnostics: %r %r %r" % (g.flags, g.ess, g.ess_var))
    path = s.save(os.path.join(tmp, "s.json"))
    check(neft.read_correlators(path).entries.keys() == s.entries.keys(), "save/read_correlators")
    raises(lambda: s[0, 0, 0, 5], KeyError, "a missing tuple")
    raises(lambda: neft.sample(activation="nope", width=2, models=1000, at=[1]),
           neft.NeftInputError, "sample bad activation", 2, "nope")
    raises(lambda: neft.sample(activation="relu", width=10, models=2 ** 50, at=[1]),
           neft.NeftInputError, "sample budget", 2, "max-work")
    raises(lambda: neft.sample(activation="relu", width=10, models=1000, at=[1], npt=[2.5]),
           TypeError, "npt=[2.5]")
    raises(lambda: neft.exact(activation="relu", width=20, at=[1], sw=Fraction(1, 3)),
           ValueError, "exact sw 1/3", match="sw")
    raises(lambda: neft.exact(activation="leaky-relu", d_in=2, width=5,
                              at=[(1, 0), (0, 1), (1, 1)], npt=[4], sb=1),
           neft.NeftUnsupportedError, "exact 3 points", 3)
    raises(lambda: neft.exact(activation="relu", width=20, at=object()), TypeError, "at=object()")

    # fit: lambda(L) = -25/(2 N L^5) for exact bias-free ReLU data
    e5 = neft.exact(activation="relu", width=20, at=["0.2", 0.45, 0.7, 0.95, 1.2], npt=[2, 4])
    f = neft.fit(e5, cutoff=[1, 2, 5])
    for L in (1, 2, 5):
        check(Fraction(-25, 2 * 20 * L ** 5) in f[L]["lambda"].value, "fit lambda at %d" % L)
    check(Fraction(-5) in f.running["lambda"]["slope"], "fit running -5")
    fs = neft.fit(path, cutoff=1)
    check(fs.fits[0].values["lambda"].stderr is not None and fs.meta["weighted"], "fit sampled")
    raises(lambda: neft.fit(42), TypeError, "fit(42)")
    raises(lambda: neft.fit(os.path.join(tmp, "missing.json")), neft.NeftInputError,
           "fit missing file", 2, "missing.json")
    raises(lambda: neft.fit(e5, weights="covariance"), neft.NeftInputError, "fit covariance", 2)
    raises(lambda: neft.fit(e5, cutoff=[1, float("nan")]), ValueError, "fit cutoff nan")
    check(f[1]["lambda"].stderr is None and "<table>" in f._repr_html_(), "fit exact: no stderr")

    # onen
    o = neft.onen(activation="relu", cw=2, cb=0, depth=4, k1=1)
    check([l.exact["V"] for l in o.layers] == [0, 5, 10, 15] and Fraction(582) in o[4].v6,
          "onen relu table")
    o2 = neft.onen(activation="relu", cw=Fraction(2), cb="0", depth=2, at=[0.5, 1], d_in=1)
    check(len(o2.points) == 2 and o2.kernel is not None and o2.vertex is not None, "onen two inputs")
    check(neft.onen_critical("tanh")["class"] == "K*=0", "onen critical")
    check("K" in neft.onen_formulas() and "\\" in neft.onen_formulas("latex"), "onen formulas")
    cmp_ = neft.onen_compare(s, activation="relu", cw=1, cb=0, depth=2, width=20)
    check(len(cmp_) > 0 and all(abs(r["pull"]) < 5 for r in cmp_)
          and isinstance(cmp_[0]["measured"], neft.Estimate) and "<table>" in cmp_._repr_html_(),
          "onen compare pulls")
    raises(lambda: neft.onen(activation="relu", cw=2, cb=0, depth=3), neft.NeftInputError,
           "onen without k1", 2)
    raises(lambda: neft.onen_formulas("pdf"), ValueError, "onen formulas pdf")
    raises(lambda: neft.onen_critical("gauss"), neft.NeftError, "onen critical gauss", None,
           "gauss")
    raises(lambda: neft.onen_compare(s, activation="relu", cw=1, cb=0, depth=2, width=30),
           neft.NeftInputError, "onen compare other width", 2, "width")
    raises(lambda: neft.onen(activation="relu", cw=2, cb=0, depth=2, k1=1)[9], KeyError,
           "onen missing layer")

    # validate: --format json is report.json; the Report
    out = os.path.join(tmp, "rep")
    r = neft.validate(quick=True, out=out, threads=2)
    with open(os.path.join(out, "report.json"), encoding="utf-8") as fh:
        on_disk = json.load(fh)
    check(len(r.widths) == 3 and len(r.cutoffs) == 3 and r.meta["activation"] == "relu"
          and Fraction(-25, 2 * 20) in r.cutoffs[0]["lambda_exact"], "validate report")
    check(neft.to_balls(on_disk) is not None and [w["width"] for w in on_disk["widths"]]
          == [w["width"] for w in r.widths], "validate json == report.json")
    p = subprocess.run([binary, "validate", "--quick", "--out", out, "--threads", "2",
                        "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with open(os.path.join(out, "report.json"), "rb") as fh:
        check(p.returncode == 0 and p.stdout == fh.read(),
              "neft validate --format json: stdout is not report.json")
    p = subprocess.run([binary, "validate", "--format", "xml"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    check(p.returncode == 2 and p.stdout == b"" and b"--format" in p.stderr, "validate --format xml")
    raises(lambda: neft.validate(quick=True, widths=[5, 5], out=out), neft.NeftInputError,
           "validate widths twice", 2, "twice")
    raises(lambda: neft.validate(quick=True, cutoffs=[Fraction(1, 3)], out=out), ValueError,
           "validate cutoffs 1/3")
    return s, e, f, r, ev


def table_checks(s, e, f, r, ev):
    try:
        import numpy
        en = neft.exact(activation="relu", width=numpy.int64(20), at=numpy.array([0.5, 1.0]),
                        npt=numpy.array([2, 4]), sb=numpy.float32(0.5))
        check(en.inputs == [(0.5,), (1.0,)] and en.meta["sb"] == 0.5, "exact with numpy arguments")
        a = s.to_numpy(npt=4)
        check(a["indices"].shape == (5, 4) and a["connected_err"].dtype.kind == "f"
              and len(a["full"]) == 5 and len(s.to_numpy()["npt"]) == 8, "Correlators.to_numpy: %r" % {k: getattr(v, "shape", None) for k, v in a.items()})
        a = e.to_numpy(npt=4)
        check(len(a["full"]) == 5 and (a["full_rad"] >= 0).all(), "exact to_numpy")
    except ImportError:
        notes.append("numpy missing: to_numpy not checked")
    try:
        import pandas  # noqa: F401
        d = f.to_dataframe()
        check(list(d["cutoff"]) == [1.0, 2.0, 5.0] and "lambda_rad" in d, "Fit.to_dataframe")
        d = r.to_dataframe("cutoffs")
        check(len(d) == 3 and "g6_eft_over_sampled" in d, "Report.to_dataframe")
        check(len(ev.to_dataframe()) == len(ev.terms), "Evaluation.to_dataframe")
    except ImportError:
        notes.append("pandas missing: to_dataframe not checked")
        for obj in (s, f, r):
            raises(lambda: obj.to_dataframe(), ImportError, "to_dataframe without pandas")
    for obj in (s, e, f, r, ev):
        h = obj._repr_html_()
        check(h.startswith("<table>") and "</table>" in h, "%r html" % (obj,))


def exe_checks(binary):
    env = dict(os.environ)
    code = ("import neft\ntry:\n    neft.diagrams()\nexcept neft.NeftNotFoundError as e:\n"
            "    print('NF', e.status, e)\n")
    env.pop("NEFT", None)
    env["NEFT_EXE"] = "/nonexistent/neft"
    env["PYTHONPATH"] = os.path.join(ROOT, "python")
    p = subprocess.run([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    check(p.stdout.startswith("NF 127") and "NEFT_EXE" in p.stdout and p.stderr == "",
          "NEFT_EXE not executable: %r %r" % (p.stdout, p.stderr))
    env.pop("NEFT_EXE")
    env["PATH"] = "/nonexistent"
    p = subprocess.run([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    check(p.stdout.startswith("NF 127") and "not found" in p.stdout and "set NEFT_EXE" in p.stdout,
          "no neft anywhere: %r %r" % (p.stdout, p.stderr))
    env["PATH"] = os.path.dirname(os.path.abspath(binary)) + os.pathsep + os.environ.get("PATH", "")
    p = subprocess.run([sys.executable, "-c", "import neft; print(neft.executable())"], env=env,
                       stdout=subprocess.PIPE, universal_newlines=True)
    check(os.path.samefile(p.stdout.strip(), binary), "neft on PATH: %r" % p.stdout)


def interrupt_check(tmp):
    """^C in Python (SIGINT to the Python process alone, as a notebook's
    interrupt): the command is stopped with SIGINT, saves its checkpoint and
    KeyboardInterrupt reaches the caller."""
    import signal
    ck = os.path.join(tmp, "ck.bin")
    code = ("import signal, sys\nsignal.signal(signal.SIGINT, signal.default_int_handler)\n"
            "import neft\ntry:\n    neft.sample(activation='relu', width=50, models=10**9, "
            "at=[1, 2], npt=[2, 4], threads=1, checkpoint=sys.argv[1], max_work='1e15')\n"
            "except KeyboardInterrupt:\n    print('KeyboardInterrupt')\n")
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    p = subprocess.Popen([sys.executable, "-c", code, ck], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env, start_new_session=True)
    import time
    for _ in range(100):                # until the command runs (its progress or a child)
        time.sleep(0.1)
        kids = subprocess.run(["pgrep", "-P", str(p.pid)], stdout=subprocess.PIPE).stdout.split()
        if kids:
            break
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    try:
        out, err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
    check(out == b"KeyboardInterrupt\n" and os.path.exists(ck),
          "^C: %r %r, checkpoint saved: %s" % (out, err[-500:], os.path.exists(ck)))


def tutorial_check(tmp):
    """The ```python block under "## Tutorial" in docs/python.md, run as it is."""
    text = open(os.path.join(ROOT, "docs", "python.md"), encoding="utf-8").read()
    m = re.search(r"## Tutorial.*?```python\n(.*?)```", text, re.S)
    check(m is not None, "docs/python.md has no tutorial block")
    if m is None:
        return
    if not _has("matplotlib"):
        notes.append("matplotlib missing: the tutorial was not run")
        return
    code = m.group(1)
    check(len([l for l in code.splitlines() if l.strip() and not l.strip().startswith("#")]) <= 25,
          "the tutorial is longer than 25 lines")
    d = os.path.join(tmp, "tutorial")
    os.mkdir(d)
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    p = subprocess.run([sys.executable, "-c", code], cwd=d, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True, timeout=300)
    check(p.returncode == 0, "the tutorial failed:\n" + p.stderr[-3000:])
    png = os.path.join(d, "hms.png")
    check(os.path.exists(png) and open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n",
          "the tutorial wrote no PNG figure")


def install_check(binary, tmp):
    """meson install --destdir: the package is on Debian python3's sys.path
    and, imported from there, runs the installed neft."""
    build = os.path.dirname(os.path.abspath(binary))
    meson = shutil.which("meson")
    if meson is None or not os.path.exists(os.path.join(build, "meson-private")):
        notes.append("meson or the build folder missing: install not checked")
        return
    dest = os.path.join(tmp, "dest")
    p = subprocess.run([meson, "install", "-C", build, "--destdir", dest, "--no-rebuild",
                        "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    check(p.returncode == 0, "meson install: " + p.stderr.decode()[-2000:])
    inits = [os.path.join(dp, "__init__.py") for dp, _, fns in os.walk(dest)
             if os.path.basename(dp) == "neft" and "__init__.py" in fns]
    check(len(inits) == 1, "installed package: %r" % inits)
    if len(inits) != 1:
        return
    site = os.path.dirname(os.path.dirname(inits[0]))
    py = DEBIAN_PY if os.path.exists(DEBIAN_PY) else sys.executable
    path = subprocess.run([py, "-c", "import sys; print('\\n'.join(sys.path))"],
                          stdout=subprocess.PIPE, universal_newlines=True).stdout.split()
    check(site[len(dest):] in path, "%s is not on %s's sys.path" % (site[len(dest):], py))
    cfg = open(os.path.join(os.path.dirname(inits[0]), "_config.py")).read()
    bindir = re.search(r'BINDIR = "(.*)"', cfg).group(1)
    inst = dest + os.path.join(bindir, "neft")
    check(os.access(inst, os.X_OK), "_config.py names %s, which is not installed" % bindir)
    libdirs = sorted({dp for dp, _, fns in os.walk(dest) if any(f.startswith("libneft.so")
                                                                for f in fns)})
    env = dict(os.environ, PYTHONPATH=site, PATH="/nonexistent",
               LD_LIBRARY_PATH=os.pathsep.join(libdirs))
    env.pop("NEFT", None)
    env.pop("NEFT_EXE", None)
    # the installed module finds BINDIR/neft; here BINDIR lives under dest
    code = ("import neft, neft._run as r, os\nr._installed = lambda: %r\n"
            "print(neft.__file__); print(len(neft.diagrams(group=True)))" % inst)
    p = subprocess.run([py, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    lines = p.stdout.split()
    check(p.returncode == 0 and lines and lines[0].startswith(site) and lines[-1] == "4",
          "the installed module: %r %r" % (p.stdout, p.stderr[-1000:]))


def main():
    if len(sys.argv) != 3:
        print("usage: python.py NEFT_BINARY RULES_DIR", file=sys.stderr)
        return 2
    binary, rules_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    os.environ["NEFT_EXE"] = binary
    os.environ.pop("NEFT", None)
    phi4 = os.path.join(rules_dir, "phi4.rules")

    # HMS eq. 3.19.
    g = neft.diagrams(group=True)
    check(g.points == 6 and g.order == 1, "default: points/order %r/%r" % (g.points, g.order))
    check([c.name for c in g.couplings] == ["lambda", "kappa"], "default couplings")
    check(all(isinstance(t.coefficient, Fraction) for t in g), "coefficients are Fractions")
    fams = sorted((t.coefficient, t.multiplicity) for t in g)
    check(fams == [(Fraction(-720), 1), (Fraction(-360), 15), (Fraction(-24), 15), (Fraction(1), 15)],
          "HMS 3.19 families %r" % fams)
    full = neft.diagrams()
    check(len(full) == 46 and all(t.multiplicity is None for t in full), "HMS 3.19: 46 terms")
    check(full.coefficient_sums() == g.coefficient_sums(), "grouped sums differ from ungrouped")

    # The objects hold exactly the JSON.
    raw = json.loads(subprocess.run([binary, "diagrams", phi4, "-n", "4", "-o", "2",
                                     "--format", "json"], stdout=subprocess.PIPE,
                                    check=True).stdout)
    ex = neft.diagrams(phi4, n=4, order=2)
    check(len(ex) == len(raw["terms"]), "term count")
    for t, r in zip(ex, raw["terms"]):
        if (str(t.coefficient) != r["coefficient"] or t.couplings != r["couplings"]
                or [list(e) for e in t.edges] != r["edges"]
                or [{"name": a, "coupling": b} for a, b in t.vertices] != r["vertices"]):
            check(False, "term differs from the JSON: %r vs %r" % (t, r))
            break
    check(ex.prune == raw["prune"] and ex.couplings[0].weight == Fraction(1, 24), "header")

    # Zero-dimensional sum rule: <f^n> = Z_n / Z_0 per monomial.
    for rules, couplings, n, order, grp in (
            (phi4, [(4, Fraction(1, 24))], 4, 3, False),
            (phi4, [(4, Fraction(1, 24))], 4, 3, True),
            (phi4, [(4, Fraction(1, 24))], 2, 4, False),
            (os.path.join(rules_dir, "mixed.rules"), None, 3, 2, False)):
        ex = neft.diagrams(rules, n=n, order=order, prune="vacuum", group=grp)
        cs = couplings or [(c.legs, c.weight) for c in ex.couplings]
        r = len(cs)
        want = zerodim.div(zerodim.partition_function(cs, n, order),
                           zerodim.partition_function(cs, 0, order), order, r)
        got = ex.coefficient_sums()
        check(got == want, "%s n=%d o=%d group=%s: sums %r, zero-dim series %r"
              % (os.path.basename(rules), n, order, grp, got, want))

    # Errors.
    with tempfile.NamedTemporaryFile("w", suffix=".rules", delete=False) as f:
        f.write("coupling lambda legs four weight 1\n")
        bad = f.name
    try:
        neft.diagrams(bad, n=2, order=1)
        check(False, "a bad rules file did not raise")
    except neft.NeftError as e:
        check(e.status == 2 and e.message.startswith(bad + ":1:"), "NeftError %r %r"
              % (e.status, e.message))
    finally:
        os.unlink(bad)

    ball_checks()
    with tempfile.TemporaryDirectory() as tmp:
        res = command_checks(binary, rules_dir, tmp)
        table_checks(*res)
        exe_checks(binary)
        interrupt_check(tmp)
        tutorial_check(tmp)
        install_check(binary, tmp)

    # Docstring examples, run from the source root (they name rules/...).
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        res = doctest.testmod(neft, verbose=False)
    finally:
        os.chdir(cwd)
    check(res.failed == 0 and res.attempted > 0, "doctest: %d of %d failed" % (res.failed, res.attempted))

    for n in notes:
        print("note: " + n)
    for f in failures:
        print("FAIL: " + f)
    if failures:
        return 1
    print("ok: python/neft (%s)" % sys.executable)
    return 0


if __name__ == "__main__":
    sys.exit(main())
