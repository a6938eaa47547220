"""Helpers shared by the Python tests: counting checks, running neft (an
expected status; JSON output), balls, writing a rules file, running `neft
diagrams --format json`, reading a sampler checkpoint's count."""
import json
import os
import subprocess
import sys
from fractions import Fraction


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


def run_expect(check, neft, *args, expect=0):
    """Runs `neft ARGS` (text mode, output captured) and counts, through
    check(cond, msg), a failure when its exit status is not `expect`."""
    p = subprocess.run([neft, *args], capture_output=True, text=True)
    if p.returncode != expect:
        check(False, f"neft {' '.join(args)} exited {p.returncode} (expected {expect}): "
                     f"{p.stderr.strip()[:300]}")
    return p


def run_json(check, neft, *args, timeout=600):
    """Runs `neft ARGS --format json` and returns its parsed output, or None
    after counting, through check(cond, msg), a failure naming the command
    when it exits with a status other than 0."""
    p = subprocess.run([neft, *args, "--format", "json"], capture_output=True, text=True,
                       timeout=timeout)
    if p.returncode != 0:
        check(False, f"neft {' '.join(args)} exited {p.returncode}: {p.stderr.strip()[:300]}")
        return None
    return json.loads(p.stdout)


def ball_contains(b, q, tol=0):
    """Whether the JSON ball {"mid": M, "rad": R}, widened by tol, contains
    the rational q (q and tol: int, Fraction or float, compared exactly)."""
    mid, rad = Fraction(b["mid"]), Fraction(b["rad"]) + Fraction(tol)
    return mid - rad <= Fraction(q) <= mid + rad


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


def checkpoint_models(path):
    """Models saved in a `neft sample` checkpoint (format 4, docs/formats.md:
    batches are saved block by block): the counts of its batch records; 0 when
    the file is missing, of another format or too short to tell."""
    try:
        data = open(path, "rb").read()
    except OSError:
        return 0
    lines = data.split(b"\n", 4)
    if len(lines) < 5 or lines[0] != b"neft-sample-checkpoint 4":
        return 0
    f = lines[2].split()
    nb, k = int(f[1]), int(f[3])
    rec = 8 + 8 + 16 * k + 4
    body = lines[-1]
    return sum(int.from_bytes(body[b * rec + 8:b * rec + 16], sys.byteorder)
               for b in range(nb) if len(body) >= (b + 1) * rec)
