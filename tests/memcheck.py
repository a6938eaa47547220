#!/usr/bin/env python3
"""Every command under valgrind memcheck: one small run of each (success and
bad-input paths, --output, a checkpoint resumed), no memcheck error and no
definite or indirect leak.  The C unit tests run under memcheck through the
meson setup `valgrind` (docs/testing.md); this covers the command line and
the library paths only the commands reach.

Usage: python3 tests/memcheck.py NEFT_BINARY RULES_DIR [--sanitize]
Skipped (77) without valgrind or in the sanitizer build (ASan and valgrind
do not mix).
"""

import os
import shutil
import subprocess
import sys
import tempfile

neft, rules = sys.argv[1], sys.argv[2]
if "--sanitize" in sys.argv or shutil.which("valgrind") is None:
    print("memcheck: skipped (sanitizer build or no valgrind)")
    sys.exit(77)

VG = ["valgrind", "--quiet", "--error-exitcode=99", "--leak-check=full",
      "--errors-for-leak-kinds=definite,indirect", "--show-leak-kinds=definite,indirect",
      "--track-origins=no"]
failures = []
count = 0


def run(args, status, cwd=None):
    global count
    count += 1
    p = subprocess.run(VG + [neft] + args, capture_output=True, timeout=900, cwd=cwd)
    err = p.stderr.decode(errors="replace")
    if p.returncode == 99 or "==" in err and "ERROR SUMMARY" in err:
        failures.append(f"{' '.join(args)[:100]}: memcheck errors:\n{err[-2000:]}")
    elif p.returncode != status:
        failures.append(f"{' '.join(args)[:100]}: status {p.returncode}, expected {status}: "
                        f"{err[-400:]}")


phi4 = os.path.join(rules, "phi4.rules")
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "out")
    ck = os.path.join(tmp, "ck")
    # diagrams: every format, grouping, drawings; a budget refusal; bad rules
    run(["diagrams"], 0)
    for fmt in ("text", "json", "latex", "tikz"):
        run(["diagrams", phi4, "-n", "4", "-o", "2", "--format", fmt, "--group"], 0)
    run(["diagrams", "--format", "latex", "--diagrams", "--standalone", "--output", out], 0)
    run(["diagrams", phi4, "-n", "4", "-o", "4", "--max-terms", "5"], 2)
    bad = os.path.join(tmp, "bad.rules")
    with open(bad, "w") as fh:
        fh.write("coupling lambda legs 4 weight 1/0\n")
    run(["diagrams", bad, "-n", "2", "-o", "1"], 2)
    # eval: closed form, numerical 1-D, all tuples, json
    run(["eval", "-n", "4", "-o", "1", "--kernel", "gauss", "--d-in", "1", "--cutoff", "2",
         "--set", "lambda=0.1,kappa=0.01", "--at", "0.1;0.2;0.3;0.4;0.5;0.6", "--prune",
         "vacuum,two-point-component"], 2)   # 6 points for a 4-point function: refused
    run(["eval", phi4, "-n", "4", "-o", "1", "--kernel", "erf", "--d-in", "1", "--cutoff", "1",
         "--set", "lambda=1", "--at", "0.2;0.4;0.6", "--all-tuples", "--format", "json"], 0)
    run(["eval", phi4, "-n", "2", "-o", "1", "--kernel", "relu", "--sb", "0.5", "--d-in", "1",
         "--cutoff", "1", "--set", "lambda=1", "--at", "0.3;0.7"], 0)
    # sample: a run, a checkpoint written and resumed, bad input
    s = ["sample", "--activation", "tanh", "--width", "4", "--models", "1024", "--at", "0.5;1",
         "--npt", "2,4", "--threads", "2"]
    run(s + ["--format", "json", "--output", out], 0)
    run(s + ["--checkpoint", ck], 0)
    run(s + ["--checkpoint", ck], 0)
    run(s + ["--width", "-1"], 2)
    # exact, onen, fit, validate
    run(["exact", "--activation", "erf", "--width", "3", "--at", "0.5;1", "--npt", "2,4",
         "--format", "json", "--output", out], 0)
    run(["onen", "--activation", "tanh", "--cw", "1", "--cb", "0", "--depth", "3", "--k1", "1",
         "--width", "10", "--format", "json"], 0)
    run(["onen", "--activation", "relu", "--cw", "2", "--cb", "0", "--depth", "3",
         "--at", "0.5;1", "--d-in", "1", "--width", "10"], 0)
    # the NTK, posterior and train (docs/data/learn.csv; a malformed file)
    run(["onen", "--ntk", "--activation", "tanh", "--cw", "1", "--cb", "0", "--depth", "2",
         "--at", "0.5;1", "--d-in", "1", "--prec", "32"], 0)
    learn = ["--data", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs",
                                    "data", "learn.csv"),
             "--at", "1,1;0,0.5", "--activation", "relu", "--cw", "2", "--cb", "0", "--depth", "2"]
    run(["posterior"] + learn + ["--noise", "1/10", "--format", "json"], 0)
    run(["train"] + learn + ["--eta", "1/10", "--steps", "20"], 0)
    run(["posterior"] + learn[:1] + [bad] + learn[2:], 2)
    run(["fit", out, "--cutoff", "1,2"], 0)
    run(["fit", bad], 2)
    run(["validate", "--quick", "--models", "1024", "--cutoffs", "1,2", "--out",
         os.path.join(tmp, "rep")], 0)

for f in failures:
    print("FAIL:", f)
print(f"memcheck: {count - len(failures)} of {count} runs clean")
sys.exit(1 if failures else 0)
