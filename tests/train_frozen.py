#!/usr/bin/env python3
"""`neft train` (the frozen-NTK prediction) for tanh and sigmoid against
reference balls from the 2-D polar Gaussian integrator at 128 bits
(neft_gaussexp_product, the kernel matrix's route before stop 33, recorded
from a build of da2ad6e: 118 s of CPU for sigmoid, about 60 s for tanh).  Since stop 33 their
two-input expectations come from the 2-D rule neft_gaussexp_grid (goal
2^-40): the balls must overlap the references and stay below 1e-9 wide.

Usage: python3 tests/train_frozen.py NEFT_BINARY [RULES_DIR]
"""

import json
import os
import subprocess
import sys

# (activation, --at, --steps): mean balls, then the covariance's balls row by row
REFS = [
    ("sigmoid", "1,1", "10",
     [("0.21869275115654268771", "3.354e-21")],
     [("0.038113080699329039208", "2.741e-22")]),
    ("tanh", "1,1;0.5,-0.5", "3",
     [("0.24865693146101593919", "4.901e-21"), ("0.42440899952552887778", "4.376e-22")],
     [("0.18441552740875450137", "1.670e-21"), ("-0.092417329580668406555", "2.468e-22"),
      ("-0.092417329580668406555", "2.468e-22"), ("0.63463753167249805586", "3.341e-23")]),
]

# the tests run in tests/ (meson's workdir)
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "data", "learn.csv")

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL", msg)


def overlaps(ball, ref):
    m, r = float(ball["mid"]), float(ball["rad"])
    return abs(m - float(ref[0])) <= r + float(ref[1]) + 1e-15 * abs(m)


def main():
    neft = sys.argv[1]
    for act, at, steps, mean, cov in REFS:
        args = ["train", "--data", DATA, "--at", at, "--activation", act,
                "--cw", "2", "--cb", "1/10", "--depth", "2", "--eta", "1/10", "--steps", steps,
                "--format", "json"]
        p = subprocess.run([neft] + args, capture_output=True, text=True, timeout=300)
        check(p.returncode == 0, "%s: exit %d: %s" % (act, p.returncode, p.stderr.strip()))
        if p.returncode != 0:
            continue
        out = json.loads(p.stdout)
        got = out["mean"] + [b for row in out["cov"] for b in row]
        refs = mean + cov
        check(len(got) == len(refs), "%s: %d balls, expected %d" % (act, len(got), len(refs)))
        for i, (b, r) in enumerate(zip(got, refs)):
            check(overlaps(b, r), "%s ball %d: %s +/- %s misses the reference %s +/- %s"
                  % (act, i, b["mid"], b["rad"], r[0], r[1]))
            check(float(b["rad"]) < 1e-9, "%s ball %d: radius %s" % (act, i, b["rad"]))
    print("train_frozen:", "FAIL (%d)" % len(failures) if failures else "OK")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
