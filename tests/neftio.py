"""Helpers shared by the Python tests: counting checks, writing a rules file,
running `neft diagrams --format json`."""
import json
import os
import subprocess
import sys


class Checks:
    """The checks of one test script.  check(cond, what) counts a check and,
    when cond is false, records `what` and prints "FAIL: what" at once;
    finish(summary) prints the failures again, then the summary line (with
    {passed} and {total} filled in), and exits 1 when any check failed."""

    def __init__(self):
        self.failures = []
        self.count = 0

    def __call__(self, cond, what):
        self.count += 1
        if not cond:
            self.failures.append(what)
            print("FAIL:", what)
        return cond

    def finish(self, summary):
        for f in self.failures:
            print("FAIL:", f)
        print(summary.format(passed=self.count - len(self.failures), total=self.count,
                             failed=len(self.failures)))
        sys.exit(1 if self.failures else 0)


def write_rules(tmp, name, couplings, origin="test"):
    """Writes TMP/NAME.rules with the couplings [(name, legs, weight)]."""
    path = os.path.join(tmp, name + ".rules")
    with open(path, "w") as f:
        f.write(f"name {name} ({origin})\n")
        for c, k, w in couplings:
            f.write(f"coupling {c} legs {k} weight {w}\n")
    return path


def run_neft(neft, rules, n, order, prune):
    """The parsed JSON expansion; RuntimeError naming the command on failure."""
    cmd = [neft, "diagrams", rules, "-n", str(n), "-o", str(order),
           "--prune", prune, "--format", "json"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd[1:])}` exited {p.returncode}: "
                           f"{p.stderr.strip()[:300]}")
    return json.loads(p.stdout)
