#!/usr/bin/env python3
"""The example program examples/diagrams.c does what it says.

    python3 examples.py NEFT_BINARY RULES_DIR EXAMPLE_BINARY   (cwd tests/)

For several theories and orders: its output starts with exactly what
`neft diagrams RULES -n N -o M --prune connected` prints, and its
`# monomial` lines (terms and coefficient sum per coupling monomial) agree
with a tally of the JSON output made here with fractions.Fraction.
"""

import json
import os
import subprocess
import sys
from fractions import Fraction

failures = []


def run(args):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    if p.returncode != 0:
        failures.append("`%s` exited with %d: %s" % (" ".join(args), p.returncode,
                                                       p.stderr.decode()))
        return None
    return p.stdout.decode("utf-8")


def check(neft, example, rules, n, order):
    label = "%s n=%d o=%d" % (os.path.basename(rules), n, order)
    out = run([example, rules, str(n), str(order)])
    cli = run([neft, "diagrams", rules, "-n", str(n), "-o", str(order), "--prune", "connected"])
    js = run([neft, "diagrams", rules, "-n", str(n), "-o", str(order), "--prune", "connected",
              "--format", "json"])
    if out is None or cli is None or js is None:
        return
    if not out.startswith(cli):
        failures.append("%s: the example's expansion differs from the command's" % label)
    obj = json.loads(js)
    names = [c["name"] for c in obj["couplings"]]
    tally = {}
    for t in obj["terms"]:
        key = " ".join("%s^%d" % (c, t["couplings"][c]) for c in names if c in t["couplings"])
        key = key or "1"
        count, total = tally.get(key, (0, Fraction(0)))
        tally[key] = (count + 1, total + Fraction(t["coefficient"]))
    want = ["# monomial %s: %d terms, coefficients sum to %s" % (k, c, s)
            for k, (c, s) in tally.items()]
    got = [l for l in out[len(cli):].splitlines()]
    if got != want:
        failures.append("%s: monomial lines\n  got  %r\n  want %r" % (label, got, want))


def main():
    if len(sys.argv) != 4:
        print("usage: examples.py NEFT_BINARY RULES_DIR EXAMPLE_BINARY", file=sys.stderr)
        return 2
    neft, rules_dir, example = sys.argv[1:]
    for rules, n, order in (("phi4.rules", 4, 2), ("phi4.rules", 2, 3), ("phi3.rules", 3, 3),
                            ("single-layer.rules", 4, 2), ("mixed.rules", 2, 2)):
        check(neft, example, os.path.join(rules_dir, rules), n, order)
    for f in failures:
        print("FAIL: " + f)
    if failures:
        return 1
    print("ok: examples/diagrams agrees with neft diagrams")
    return 0


if __name__ == "__main__":
    sys.exit(main())
