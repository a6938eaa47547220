#!/usr/bin/env python3
"""Output files appear whole or not at all (issue 8, item 4).

Usage: python3 tests/atomic.py NEFT_BINARY RULES_DIR

- `--output FILE` on success holds exactly what stdout would; on bad input,
  on a runtime failure and on SIGINT/SIGTERM in the middle of a run the
  previous FILE is byte-identical and no temporary file is left behind;
- `neft sample --checkpoint` interrupted keeps a checkpoint that resumes to
  the same result as an uninterrupted run (and no temporary files);
- `neft validate --out DIR` builds the report in a staging directory: an
  interrupted run (also while the figures are being compiled) leaves the
  previous report and no staging directory; a directory that is not a neft
  report (or a file) is refused, never replaced.
"""

import glob
import os
import signal
import subprocess
import sys
import tempfile
import time

import neftio

neft, rules = sys.argv[1], sys.argv[2]
check = neftio.Checks()


def run(args, **kw):
    return subprocess.run([neft] + args, capture_output=True, timeout=300, **kw)


def leftovers(d):
    return sorted(glob.glob(os.path.join(d, "*.tmp-*")) + glob.glob(os.path.join(d, "*.old-*")))


def interrupt(args, sig, after=None, until=None, cwd=None):
    """Starts neft in its own process group, waits `after` seconds or until
    the glob `until` matches, then signals the whole group (like ^C on a
    terminal).  Returns (returncode, stderr)."""
    p = subprocess.Popen([neft] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         start_new_session=True, cwd=cwd)
    t0 = time.time()
    while p.poll() is None and time.time() - t0 < 120:
        if after is not None and time.time() - t0 >= after:
            break
        if until is not None and glob.glob(until):
            break
        time.sleep(0.005)
    if p.poll() is None:
        os.killpg(p.pid, sig)
    err = p.communicate(timeout=300)[1].decode(errors="replace")
    return p.returncode, err


with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "out.txt")
    phi4 = os.path.join(rules, "phi4.rules")

    # success: the file holds exactly stdout
    ref = run(["diagrams", phi4, "-n", "4", "-o", "2"])
    r = run(["diagrams", phi4, "-n", "4", "-o", "2", "--output", out])
    check(r.returncode == 0 and r.stdout == b"", f"--output: status {r.returncode}, stdout {r.stdout[:80]!r}")
    check(open(out, "rb").read() == ref.stdout, "--output: the file differs from stdout")
    r = run(["diagrams", phi4, "-n", "4", "-o", "2", "--output=" + out + ".2"])
    check(r.returncode == 0 and open(out + ".2", "rb").read() == ref.stdout, "--output=FILE form")
    os.unlink(out + ".2")
    before = open(out, "rb").read()

    # bad input and refusals leave the previous file
    for args, status in ((["diagrams", phi4, "-n", "4", "-o", "1", "--prune", "bogus"], 2),
                         (["diagrams", phi4, "-n", "4", "-o", "4", "--max-terms", "3"], 2),
                         (["eval", phi4, "-n", "2", "-o", "1", "--kernel", "relu",
                           "--cutoff", "1", "--set", "lambda=1", "--at", "nan;1"], 2),
                         (["sample", "--activation", "relu", "--width", "-1", "--at", "1"], 2),
                         (["onen", "--activation", "tanh", "--cw", "1", "--cb", "0",
                           "--depth", "3", "--k1", "nan"], 2)):
        r = run(args + ["--output", out])
        check(r.returncode == status, f"{args[0]} bad input with --output: status {r.returncode}")
        check(open(out, "rb").read() == before, f"{args[0]} bad input: the previous output changed")
    check(leftovers(tmp) == [], f"temporary files left: {leftovers(tmp)}")

    # --output itself wrong
    for val, what in ((tmp, "a directory"), (os.path.join(tmp, "no", "such"), "a missing folder"),
                      ("", "empty")):
        r = run(["diagrams", "--output", val])
        err = r.stderr.decode().splitlines()
        check(r.returncode == 2 and r.stdout == b"" and len(err) == 1 and err[0].startswith("neft: "),
              f"--output {what}: status {r.returncode}, stderr {r.stderr[-200:]!r}")
    r = run(["diagrams", "--output"])
    check(r.returncode == 2, "--output without a value")

    # interrupted in the middle of a long run: SIGINT and SIGTERM
    for sig in (signal.SIGINT, signal.SIGTERM):
        rc, err = interrupt(["diagrams", phi4, "-n", "4", "-o", "9", "--max-terms", "100000000",
                             "--output", out], sig, after=1.0)
        check(rc == 130, f"diagrams interrupted by {sig.name}: status {rc}")
        check(open(out, "rb").read() == before, f"diagrams {sig.name}: the previous output changed")
        check(leftovers(tmp) == [], f"diagrams {sig.name}: left {leftovers(tmp)}")

    # sample: interrupted with a checkpoint, resumed to the same result
    ck = os.path.join(tmp, "run.ckpt")
    spec = ["sample", "--activation", "relu", "--width", "20", "--models", "20000000",
            "--at", "0.5;1", "--npt", "2,4", "--seed", "5", "--threads", "1", "--format", "json"]
    rc, err = interrupt(spec + ["--checkpoint", ck, "--output", out], signal.SIGINT, after=1.0)
    check(rc == 130 and "state saved" in err, f"sample interrupted: status {rc}, {err[-200:]!r}")
    check(open(out, "rb").read() == before, "sample interrupted: the previous output changed")
    check(os.path.exists(ck) and leftovers(tmp) == [], f"sample interrupted: {leftovers(tmp)}")
    # (the resumed run is checked against an uninterrupted one on a smaller
    # case in tests/sample.py; here only that it completes and commits)
    small = spec[:]
    small[small.index("--models") + 1] = "4096"
    r = run(small + ["--output", out])
    check(r.returncode == 0 and b'"models": 4096' in open(out, "rb").read(),
          f"sample --output: status {r.returncode}")
    before = open(out, "rb").read()

    # validate: the report directory is replaced whole or not at all
    rep = os.path.join(tmp, "rep")
    quick = ["validate", "--quick", "--out", rep]
    r = run(quick)
    check(r.returncode == 0 and os.path.exists(os.path.join(rep, "report.json")),
          f"validate: status {r.returncode}: {r.stderr[-300:]!r}")
    snapshot = {f: open(os.path.join(rep, f), "rb").read() for f in os.listdir(rep)}
    # interrupted while sampling, and once the staging directory has files:
    # status 130, the previous report as it was, no staging directory, and
    # the sampling kept in REP.partial for the next run
    longer = quick + ["--seed", "11", "--models", "600000"]
    for until, sig in ((None, signal.SIGTERM), (rep + ".tmp-*/report.json", signal.SIGINT)):
        rc, err = interrupt(longer, sig, after=1.0 if until is None else None, until=until)
        now = {f: open(os.path.join(rep, f), "rb").read() for f in os.listdir(rep)}
        print(f"validate {sig.name} ({until or 'after 1 s'}): "
              + ("finished first" if rc == 0 else "interrupted"))
        if rc == 0:     # finished before the signal: the new report is whole
            check("report.tex" in now and "report.json" in now, "validate: incomplete new report")
            snapshot = now
        else:
            check(rc == 130 and "run the same command again to resume" in err,
                  f"validate interrupted ({until}): status {rc}: {err[-200:]}")
            check(now == snapshot, f"validate interrupted ({until}): the previous report changed")
            check(glob.glob(rep + ".partial/width-*.ckpt") != [],
                  f"validate interrupted ({until}): no checkpoint kept in {rep}.partial")
        check(leftovers(tmp) == [], f"validate interrupted ({until}): left {leftovers(tmp)}")
    # resumed: the same report as a run that was never interrupted, and the
    # checkpoints removed
    rc, err = interrupt(longer, signal.SIGINT, after=0.8)
    r = run(longer)
    fresh = os.path.join(tmp, "fresh")
    r2 = run(["validate", "--quick", "--out", fresh, "--seed", "11", "--models", "600000",
              "--no-resume"])
    check(r.returncode == 0 and r2.returncode == 0, f"validate resumed: {r.stderr[-300:]!r}")
    check(open(os.path.join(rep, "report.json"), "rb").read()
          == open(os.path.join(fresh, "report.json"), "rb").read(),
          "validate resumed: report.json differs from an uninterrupted run")
    check(not os.path.exists(rep + ".partial") and not os.path.exists(fresh + ".partial"),
          "validate: the checkpoint folder was not removed")
    # never replace what is not a report
    user = os.path.join(tmp, "mine")
    os.mkdir(user)
    open(os.path.join(user, "thesis.tex"), "w").write("keep me\n")
    for target, what in ((user, "a user's directory"), (out, "a file")):
        r = run(["validate", "--quick", "--out", target])
        err = r.stderr.decode().splitlines()
        check(r.returncode == 2 and len(err) == 1 and err[-1].startswith("neft: " + target),
              f"validate --out {what}: status {r.returncode}: {r.stderr[-300:]!r}")
    check(open(os.path.join(user, "thesis.tex")).read() == "keep me\n", "the user's file changed")
    check(open(out, "rb").read() == before, "validate --out FILE changed the file")
    empty = os.path.join(tmp, "empty")
    os.mkdir(empty)
    r = run(["validate", "--quick", "--out", empty])
    check(r.returncode == 0 and os.path.exists(os.path.join(empty, "report.tex")),
          "validate into an empty directory")
    check(leftovers(tmp) == [], f"left {leftovers(tmp)}")

check.finish("atomic: {passed} of {total} checks pass")
