#!/usr/bin/env python3
"""`neft validate` on the paper's three families (issue 16): the wall time of
the whole experiment at every default (docs/cmd-validate.md) and at --quick,
on this machine, with the stage times read off the progress lines, and the
numbers the issue asks to hold (sampled vs exact lambda at every cutoff, the
last decade's slope, the 6-point EFT vs GP mean pulls) read from the report.

Goals (issue 16): every default run <= 2 minutes on 2 cores, --quick <= 15 s.
Not a test: the times depend on the load of the machine (say so when quoting).

Usage: python3 bench/validate_families.py [NEFT] [--quick-only] [--families relu,erf,gauss]
"""

import json
import os
import subprocess
import sys
import tempfile
import time

NEFT = next((a for a in sys.argv[1:] if not a.startswith("--")), "build/neft")
QUICK_ONLY = "--quick-only" in sys.argv
FAMS = ["relu", "erf", "gauss"]
for i, a in enumerate(sys.argv):
    if a == "--families" and i + 1 < len(sys.argv):
        FAMS = sys.argv[i + 1].split(",")


def run(fam, quick, tmp):
    out = os.path.join(tmp, f"{fam}-{'quick' if quick else 'default'}")
    args = [NEFT, "validate", "--activation", fam, "--out", out, "--no-resume"]
    if quick:
        args.append("--quick")
    t0 = time.perf_counter()
    starts = []         # (time, line): each progress line starts a stage
    # stdout goes to a file: a summary larger than a pipe's buffer would
    # block neft while this reads stderr
    with tempfile.TemporaryFile(mode="w+") as so:
        p = subprocess.Popen(args, stdout=so, stderr=subprocess.PIPE, text=True)
        for line in p.stderr:
            starts.append((time.perf_counter(), line.strip()))
        rc = p.wait()
        so.seek(0)
        out_text = so.read()
    end = time.perf_counter()
    wall = end - t0
    stages = [((starts[i + 1][0] if i + 1 < len(starts) else end) - t, line)
              for i, (t, line) in enumerate(starts)]
    rep = None
    if rc == 0:
        with open(os.path.join(out, "report.json")) as f:
            rep = json.load(f)
    return rc, wall, stages, rep, out_text


def pulls(rep):
    """max |lambda_s - lambda_e| / err over the cutoffs, and the 6-point
    mean pulls of the GP and the EFT prediction (worst cutoff)."""
    worst, gp, eft = 0.0, None, None
    for c in rep.get("cutoffs", []):
        try:
            ls, le = float(c["lambda_sampled"]["mid"]), float(c["lambda_exact"]["mid"])
            worst = max(worst, abs(ls - le) / c["lambda_stderr"])
        except (KeyError, TypeError, ZeroDivisionError):
            pass
        g, e = c.get("g6_gp_pull"), c.get("g6_eft_pull")
        if g is not None and e is not None:
            gp = g if gp is None else max(gp, g)
            eft = e if eft is None else max(eft, e)
    return worst, gp, eft


def main():
    print(f"neft validate, the paper's three families ({os.cpu_count()} cores; "
          "times are wall-clock and depend on the machine's load)")
    print(f"{'family':8} {'setting':8} {'exit':>4} {'wall s':>9} {'goal s':>7}  "
          f"{'max|ls-le|/err':>14} {'GP pull':>8} {'EFT pull':>8}  slowest stage")
    with tempfile.TemporaryDirectory() as tmp:
        for quick in ([True] if QUICK_ONLY else [True, False]):
            for fam in FAMS:
                rc, wall, stages, rep, _ = run(fam, quick, tmp)
                goal = 15 if quick else 120
                w, gp, eft = pulls(rep) if rep else (float("nan"), None, None)
                slow = max(stages, default=(0, ""))
                fmt = lambda v: "n/a" if v is None else f"{v:.2f}"
                print(f"{fam:8} {'quick' if quick else 'default':8} {rc:>4} {wall:9.1f} "
                      f"{goal:7d}  {w:14.2f} {fmt(gp):>8} {fmt(eft):>8}  "
                      f"{slow[0]:.1f} s in '{slow[1][:60]}'")
                sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
