#!/usr/bin/env python3
"""The order-3 expansion end to end (issue 17 item 2): `neft eval -o 3` in
d_in = 1 is no longer refused as unsupported for erf, relu with sigma_b > 0
and GaussNet (three-vertex integrals, src/integrate/threevtx.c): with the
default --max-work it is refused by its work estimate (status 2, naming the
option that lets it run), not by an integral it cannot do; three vertices in
d_in = 2 stay unsupported (status 3) with the kernel named; relu with
sigma_b = 0 evaluates every term (closed forms) and the value is finite.

Usage: python3 tests/order3.py NEFT_BINARY RULES_DIR
"""

import json
import subprocess
import sys

failures = []


def run(neft, args, timeout=120):
    p = subprocess.run([neft] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def main():
    neft, rules = sys.argv[1], sys.argv[2]
    rf = rules + "/single-layer.rules"
    base = ["eval", rf, "-n", "4", "-o", "3", "--cutoff", "1",
            "--set", "lambda=0.1,kappa=0.01", "--at", "0.25;-0.75;1.5;0.5"]
    for kern in [["--kernel", "erf", "--sb", "0.5"], ["--kernel", "erf"],
                 ["--kernel", "relu", "--sb", "0.5"], ["--kernel", "gauss", "--sb", "0.5"],
                 ["--kernel", "leaky-relu", "--sb", "0.5"], ["--kernel", "sin"]]:
        rc, out, err = run(neft, base + kern)
        lines = err.splitlines()
        if rc != 2 or out != "" or len(lines) != 1 or "--max-work" not in lines[0] \
                or "unsupported" in err:
            failures.append("%s: status %d (expected 2: the work estimate), stderr %r"
                            % (kern, rc, err))
    # in d_in = 2 three vertices are refused by name
    rc, out, err = run(neft, ["eval", rf, "-n", "4", "-o", "3", "--kernel", "erf", "--d-in", "2",
                              "--cutoff", "1", "--set", "lambda=1,kappa=1",
                              "--at", "1,0;0,1;1,1;0,0", "--max-work", "1e30"])
    if rc != 3 or not err.startswith("neft: unsupported: ") or "erf" not in err or out != "":
        failures.append("d_in = 2: status %d, stderr %r" % (rc, err))
    # relu sigma_b = 0: every term by the closed form
    rc, out, err = run(neft, base + ["--kernel", "relu", "--format", "json"])
    if rc != 0:
        failures.append("relu sigma_b = 0: status %d, stderr %r" % (rc, err))
    else:
        j = json.loads(out)
        v = j["value"]
        if not isinstance(v, dict) or float(v["rad"]) > 1e-10 * max(1.0, abs(float(v["mid"]))):
            failures.append("relu sigma_b = 0: value %r" % (v,))
    for f in failures:
        print("FAIL", f)
    print("order3: %s (%d failures)" % ("FAIL" if failures else "PASS", len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
