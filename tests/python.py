#!/usr/bin/env python3
"""The Python module python/neft.py.

    python3 python.py NEFT_BINARY RULES_DIR      (working directory tests/)

- diagrams(): HMS eq. 3.19 grouped (four families: 1, -24 lambda, -360 kappa,
  -720 kappa with multiplicities 15, 15, 15, 1) and ungrouped (46 terms);
  coefficients are Fractions; the objects carry exactly the command's JSON;
- coefficient_sums() against the exact zero-dimensional series of
  tests/zerodim.py (no diagrams there): <f^n> = Z_n/Z_0 for phi^4 with
  vacuum pruning, grouped and ungrouped, and the phi^3 + phi^4 + phi^6 theory;
- errors: a bad file raises NeftError with status 2 and the FILE:LINE message;
- evaluate(): parse_evaluation on an object of the DESIGN.md `neft eval`
  contract; if the command has `eval`, a run of it (value a Ball, terms
  summing into it); otherwise that part is reported as not run;
- the examples in the module's docstrings (doctest, from the source root).
"""

import doctest
import json
import os
import subprocess
import sys
import tempfile
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python"))
sys.path.insert(0, HERE)
import neft  # noqa: E402
import zerodim  # noqa: E402

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def main():
    if len(sys.argv) != 3:
        print("usage: python.py NEFT_BINARY RULES_DIR", file=sys.stderr)
        return 2
    binary, rules_dir = sys.argv[1], sys.argv[2]
    os.environ["NEFT"] = os.path.abspath(binary)
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

    # neft eval: the parser on the contract, then the command if it exists.
    obj = {"value": {"mid": "-0.125", "rad": "1e-20"},
           "terms": [{"coefficient": "-1/8", "couplings": {"lambda": 1},
                      "integral": {"mid": "1", "rad": "0"}, "value": {"mid": "-0.125", "rad": "1e-20"}}],
           "points": 2}
    ev = neft.parse_evaluation(obj)
    check(ev.value.contains(Fraction(-1, 8)) and not ev.value.contains(Fraction(-1, 7)), "Ball.contains")
    check(ev.terms[0].coefficient == Fraction(-1, 8) and ev.extra == {"points": 2}, "parse_evaluation")
    has_eval = subprocess.run([binary, "eval", "--help"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE).returncode == 0
    if has_eval:
        try:
            ev = neft.evaluate(phi4, 2, 1, "gauss", 1, 1, [0.1, 0.3], couplings={"lambda": "0.01"},
                               binary=binary)
            lo = sum(Fraction(t.value.lower) for t in ev.terms)
            hi = sum(Fraction(t.value.upper) for t in ev.terms)
            check(Fraction(ev.value.lower) <= hi and lo <= Fraction(ev.value.upper),
                  "eval: the terms do not sum into the value")
        except neft.NeftError as e:
            check(False, "neft eval failed: %s" % e.message)
    else:
        print("note: this neft has no eval command; evaluate() checked on the contract only")

    # Docstring examples, run from the source root (they name rules/...).
    cwd = os.getcwd()
    os.chdir(os.path.join(HERE, ".."))
    try:
        res = doctest.testmod(neft, verbose=False)
    finally:
        os.chdir(cwd)
    check(res.failed == 0 and res.attempted > 0, "doctest: %d of %d failed" % (res.failed, res.attempted))

    for f in failures:
        print("FAIL: " + f)
    if failures:
        return 1
    print("ok: python/neft.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
