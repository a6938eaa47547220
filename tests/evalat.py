#!/usr/bin/env python3
"""`neft eval --at` reads its points with the common parser (neft/points.h):
decimals and fractions as exact rationals, blanks around them allowed, each
rounded to the nearest binary number of prec + 64 bits.  Checked with the
GaussNet kernel, K(x, y) = exp(-(x - y)^2 / 2) for sigma_w = 1, sigma_b = 0,
d_in = 1, whose value at rational points is computed here independently.

usage: evalat.py NEFT RULES_DIR
"""
import json
import subprocess
import sys
from decimal import Decimal, getcontext
from fractions import Fraction

import neftio

getcontext().prec = 60
check = neftio.Checks()


def run(neft, args):
    p = subprocess.run([neft] + args, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def k2(neft, at, fmt="json"):
    return run(neft, ["eval", "-n", "2", "-o", "0", "--kernel", "gauss", "--cutoff", "1",
                      "--at", at, "--format", fmt])


def kernel(x, y):
    d = Decimal((x - y).numerator) / Decimal((x - y).denominator)
    return (-(d * d) / 2).exp()


def main():
    neft = sys.argv[1]
    cases = [("1/3;2/3", Fraction(1, 3), Fraction(2, 3)),
             (" 1/3 ;\t2/3 ", Fraction(1, 3), Fraction(2, 3)),
             ("0.2;-0.4", Fraction(1, 5), Fraction(-2, 5)),
             ("-7/5; 1.25e1", Fraction(-7, 5), Fraction(25, 2))]
    for at, x, y in cases:
        rc, out, err = k2(neft, at)
        if not check(rc == 0, f"--at {at!r}: status {rc}, stderr {err!r}"):
            continue
        v = json.loads(out)["value"]
        mid, rad = Decimal(v["mid"]), Decimal(v["rad"])
        exact = kernel(x, y)
        # the points are within 2^-127 of x, y: far inside the radius
        check(abs(mid - exact) <= rad and rad < Decimal("1e-17"),
              f"--at {at!r}: [{mid} +/- {rad}] does not hold K = {exact:.25}")
    # a short binary decimal and the same fraction are the same point
    a, b = k2(neft, "0.25;0.75", "text"), k2(neft, "1/4 ; 3/4", "text")
    check(a[0] == 0 and a == b, f"0.25;0.75 and 1/4;3/4 differ: {a!r} {b!r}")
    # a fraction with a zero denominator, a blank inside a number, blanks only
    for at, tok in (("1/0;1", "1/0"), ("1 2;3", "1 2"), ("1; ", "")):
        rc, out, err = k2(neft, at)
        want = f"neft: --at: point {1 if tok != '' else 2}: expected a finite number, got '{tok}'\n"
        check(rc == 2 and out == "" and err == want,
              f"--at {at!r}: status {rc}, stderr {err!r}, expected {want!r}")
    check.finish("evalat: {passed} of {total} checks pass")


if __name__ == "__main__":
    main()
