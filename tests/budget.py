#!/usr/bin/env python3
"""The resource limits (--max-work, --max-memory; docs/commands.md) against
reality.

- Every command that has them prints its estimate when refused; the value
  it suggests lets the same run go through, with the same output as without
  a limit, and a budget a third below the estimate is refused.
- The estimates scale as they should: the sampler's operations are linear in
  the number of models (and per model the same), onen's in the depth.
- (Not with --quick: the sanitizers change both time and memory.)  Memory:
  the estimate of runs dominated by one large allocation is within a factor
  of the memory the process actually used (ru_maxrss, less that of a tiny
  run).  Work: operations per second of CPU time lie between 1e8 and 3e10 for
  a set of runs of every command (the estimates aim at about 1e9 per second
  here, docs/commands.md: within a factor of 10 either way); not for
  validate, whose time goes mostly to pdflatex drawing the figures.

Usage: python3 tests/budget.py NEFT_BINARY RULES_DIR [--quick]
"""

import os
import re
import subprocess
import sys
import tempfile

neft, rules = sys.argv[1], sys.argv[2]
QUICK = "--quick" in sys.argv[3:]
UNITS = {"": 1, "k": 1024, "M": 1024 ** 2, "G": 1024 ** 3, "T": 1024 ** 4}
failures = []


def fail(what):
    failures.append(what)
    print("FAIL:", what, flush=True)


def run(args, timeout=600):
    """(status, stdout, stderr, cpu seconds, max rss bytes) of one run."""
    pid = os.fork()
    if pid == 0:
        try:
            out = os.open(os.path.join(tmp, "out"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            err = os.open(os.path.join(tmp, "err"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(out, 1)
            os.dup2(err, 2)
            os.execv(neft, [neft] + args)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    with open(os.path.join(tmp, "out"), "rb") as fh:
        out = fh.read()
    with open(os.path.join(tmp, "err"), "rb") as fh:
        err = fh.read().decode("utf-8", "replace")
    code = os.waitstatus_to_exitcode(status)
    return code, out, err, ru.ru_utime + ru.ru_stime, ru.ru_maxrss * 1024


def refusal(args, option):
    """The estimate and the suggested value from a refusal with `option 1`."""
    code, out, err, _, _ = run(args + [option, "1"])
    lines = err.splitlines()
    if code != 2 or out or len(lines) != 1:
        fail(f"{' '.join(args[:3])} {option} 1: status {code}, stdout {out[:80]!r}, {err!r}")
        return None, None
    if option == "--max-work":
        m = re.search(r"needs about ([0-9.e+-]+) operations.*--max-work (\S+)$", lines[0])
        if m:
            return float(m.group(1)), m.group(2)
    else:
        m = re.search(r"needs about ([0-9.]+)([kMGT]?)B of memory.*--max-memory (\S+)$", lines[0])
        if m:
            return float(m.group(1)) * UNITS[m.group(2)], m.group(3)
    fail(f"{' '.join(args[:3])}: cannot read the refusal {lines[0]!r}")
    return None, None


def size(text):
    return float(text[:-1]) * UNITS[text[-1]] if text[-1] in UNITS else float(text)


with tempfile.TemporaryDirectory() as tmp:
    data = os.path.join(tmp, "relu20.json")
    code, out, err, _, _ = run(["exact", "--activation", "relu", "--width", "20", "--at",
                                "0.2;0.45;0.7;0.95", "--npt", "2,4", "--format", "json"])
    with open(data, "wb") as fh:
        fh.write(out)
    p12 = ";".join(str(round(0.1 * i - 0.6, 2)) for i in range(12))
    cases = {
        "sample": ["sample", "--activation", "erf", "--width", "20", "--models", "20000",
                   "--at", "0.5;1", "--seed", "4", "--threads", "1"],
        "exact": ["exact", "--activation", "tanh", "--sb", "0.5", "--width", "5",
                  "--at", "0.5;1", "--npt", "2"],
        "onen": ["onen", "--activation", "tanh", "--cw", "1", "--cb", "0.1", "--depth", "8",
                 "--k1", "1", "--width", "10"],
        "onen exact": ["onen", "--activation", "relu", "--cw", "3/2", "--cb", "1/3",
                       "--depth", "300", "--k1", "1/7", "--width", "10"],
        "eval": ["eval", "-n", "4", "-o", "1", "--kernel", "erf", "--sb", "0.5", "--cutoff",
                 "3", "--set", "lambda=0.1,kappa=0", "--at", p12, "--all-tuples"],
        "fit": ["fit", data, "--cutoff", "1,2,5"],
        "validate": ["validate", "--quick", "--models", "2000", "--threads", "1",
                     "--no-resume"],
    }

    # ---------------------------------------------------------------- raising the budget
    for name, args in cases.items():
        if name == "validate":
            args = args + ["--out", os.path.join(tmp, "rep")]
        plain = run(args)
        if plain[0] != 0:
            fail(f"{name}: the plain run failed: {plain[2][-300:]}")
            continue
        for option in ("--max-work", "--max-memory"):
            est, suggested = refusal(args, option)
            if est is None:
                continue
            value = float(suggested) if option == "--max-work" else size(suggested)
            if value < est:
                fail(f"{name}: {option} {suggested} suggested for an estimate of {est:g}")
            code, out, err, _, _ = run(args + [option, suggested])
            if code != 0:
                fail(f"{name} {option} {suggested} (suggested): status {code}: {err[-300:]}")
            elif name != "validate" and out != plain[1]:
                fail(f"{name} {option} {suggested}: not the output of the plain run")
            low = repr(est / 1.5) if option == "--max-work" else str(int(est / 1.5))
            code, out, err, _, _ = run(args + [option, low])
            if code != 2 or out:
                fail(f"{name} {option} {low} (below the estimate {est:g}): status {code}")
    print("raising the budget: checked", flush=True)

    # ---------------------------------------------------------------- scaling
    base = ["sample", "--activation", "relu", "--width", "30", "--at", "0.5;1", "--threads", "1"]
    (a, _), (b, _) = (refusal(base + ["--models", str(m)], "--max-work") for m in (25600, 51200))
    if a and b and not 1.97 < b / a < 2.03:
        fail(f"sample: operations for 25600 and 51200 models: {a:g}, {b:g} (not linear)")
    base = ["onen", "--activation", "erf", "--cw", "1", "--cb", "0.5", "--k1", "1",
            "--width", "10"]
    (a, _), (b, _) = (refusal(base + ["--depth", str(d)], "--max-work") for d in (50, 100))
    if a and b and not 1.9 < b / a < 2.1:
        fail(f"onen: operations for depth 50 and 100: {a:g}, {b:g} (not linear)")
    # the two-input NTK at O(1/n) with sin (closed forms): the estimate covers
    # the measured 0.45 ms of CPU per layer at 128 bits (4.5e5 operations;
    # 3.7e4 per layer were counted before stop 32)
    est, _ = refusal(["onen", "--ntk", "--order", "1", "--activation", "sin", "--cw", "1",
                      "--cb", "0.1", "--depth", "100", "--at", "0.5;1", "--d-in", "1"],
                     "--max-work")
    if est and est < 100 * 4.5e5:
        fail(f"onen --ntk --order 1 sin, two inputs, depth 100: {est:g} operations "
             "(measured about 4.5e7)")
    print("scaling: checked", flush=True)

    if not QUICK:
        # ------------------------------------------------------------ memory
        tiny = run(["sample", "--activation", "relu", "--width", "2", "--models", "512",
                    "--at", "1", "--threads", "1"])[4]
        for name, args in (
                # the work space of 64 nets of width 20000 (80 MB)
                ("sample wide net", ["sample", "--activation", "relu", "--width", "20000",
                                     "--models", "512", "--at", "1", "--threads", "1"]),
                # the tuple tree of 300 points (130 MB)
                ("sample many tuples", ["sample", "--activation", "relu", "--width", "2",
                                        "--models", "512", "--at",
                                        ";".join(str(i / 100) for i in range(300)),
                                        "--npt", "2", "--threads", "1"]),
                # the exact rationals of 2000 layers (60 MB)
                ("onen rationals", ["onen", "--activation", "relu", "--cw", "3/2", "--cb",
                                    "1/3", "--depth", "2000", "--k1", "1/7", "--width", "10"]),
                # the output of 8855 tuples held until the end (30 MB)
                ("eval all tuples", ["eval", "-n", "4", "-o", "1", "--kernel", "erf", "--sb",
                                     "0.5", "--cutoff", "2", "--set", "lambda=0.1,kappa=0",
                                     "--all-tuples", "--at",
                                     ";".join(str(i / 10 - 1) for i in range(20))])):
            est, _ = refusal(args, "--max-memory")
            code, _, err, _, rss = run(args)
            if est is None or code != 0:
                fail(f"memory {name}: status {code} {err[-200:]}")
                continue
            used = rss - tiny
            print(f"memory {name}: estimate {est / 2**20:.1f} MiB, used {used / 2**20:.1f} MiB",
                  flush=True)
            if not 0.5 * used <= est <= 4 * used:
                fail(f"memory {name}: estimate {est:g} bytes, used {used:g}")

        # ------------------------------------------------------------ work
        # (not validate: most of its time is pdflatex drawing the figures)
        for name, args in [c for c in cases.items() if c[0] != "validate"] + [
                ("sample deep", ["sample", "--activation", "tanh", "--width", "200", "--depth",
                                 "3", "--models", "5000", "--at", "1;2", "--threads", "1"]),
                ("exact 2-D", ["exact", "--activation", "erf", "--sb", "1", "--width", "3",
                               "--at", "0.5;1", "--npt", "2"]),
                ("eval 2-D", ["eval", "-n", "4", "-o", "1", "--kernel", "erf", "--sb", "0.5",
                              "--cutoff", "2", "--d-in", "2", "--set", "lambda=0.1,kappa=0",
                              "--at", "0.5,0;1,1;-1,0;2,1"]),
                # (relu: the kernel matrix in closed form; erf at three or four points
                # also integrates the vertex over the pairs, triples and quadruples,
                # 33 s of CPU at depth 2 and 3 points, 216 s at depth 3 and 4 points:
                # too slow for the suite)
                ("onen multi", ["onen", "--activation", "relu", "--cw", "2", "--cb", "0",
                                "--depth", "5", "--d-in", "1", "--width", "10", "--at",
                                "0.5;1;1.5;2"])]:
            est, _ = refusal(args, "--max-work")
            code, _, err, cpu, _ = run(args)
            if est is None or code != 0:
                fail(f"work {name}: status {code} {err[-200:]}")
                continue
            rate = est / max(cpu, 1e-3)
            print(f"work {name}: estimate {est:.3g}, {cpu:.2f} s of CPU, {rate:.3g} per second",
                  flush=True)
            if cpu >= 0.2 and not 1e8 <= rate <= 3e10:
                fail(f"work {name}: estimate {est:g} operations for {cpu:.2f} s of CPU")

if failures:
    sys.exit(1)
print("PASS")
