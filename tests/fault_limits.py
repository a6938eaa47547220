#!/usr/bin/env python3
"""Running out of memory and out of disk (issue 23).

Usage: python3 tests/fault_limits.py NEFT_BINARY RULES_DIR [--sanitize]

- Under an address-space limit (ulimit -v 51200, i.e. 50 MiB): the five runs
  of the issue -- diagrams -n 8 -o 3 --max-terms 1e8, onen at depth 10^5
  (exact rationals), eval --all-tuples on 300 points, sample and validate
  with a too-large net -- end with status 2 (refused up front: the default
  --max-memory respects the limit and the refusal names it) or, when the
  budget is raised past the limit, status 1 with "neft: out of memory (...)"
  from the allocation-failure handler; never a signal.  Each time: one line
  on stderr, nothing on stdout, the previous --output FILE intact and no
  temporary file or report folder left.  onen with exact rationals beyond
  GMP's limit of 2^31 limbs per number (C_W a 120000-digit fraction, depth
  10^5) is refused with status 2 naming --depth and the limit, the budget
  raised or not (GMP itself would abort).  (Skipped with --sanitize:
  AddressSanitizer reserves terabytes of address space, so ulimit -v cannot
  work there.)
- On a full file system (a 64 KiB tmpfs, mounted when we are allowed to;
  skipped with a message otherwise): every command's --output, the sample
  checkpoint and validate's report folder fail with status 1, one line on
  stderr, nothing on stdout, the previous file intact and no temporary file.
"""

import glob
import os
import resource
import subprocess
import sys
import tempfile
import time

import neftio

neft, rules = sys.argv[1], sys.argv[2]
sanitize = "--sanitize" in sys.argv[3:]
TIMEOUT = 60
LIMIT = 51200 * 1024
check = neftio.Checks()


def limited():
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, resource.RLIM_INFINITY))


def run(args, limit=False, cwd=None):
    try:
        return subprocess.run([neft] + args, capture_output=True, timeout=TIMEOUT,
                              preexec_fn=limited if limit else None, cwd=cwd)
    except subprocess.TimeoutExpired:
        return None


def behaves(r, statuses, name, start="neft: ", contains=None, progress=False):
    """status in statuses, one line on stderr starting with start, nothing on
    stdout (with progress: lines "validate: ..." before it)"""
    if r is None:
        check(False, f"{name}: no answer within {TIMEOUT} s")
        return False
    err = r.stderr.decode("utf-8", "replace")
    lines = err.splitlines()
    if progress:
        lines = [x for x in lines if not x.startswith("validate: ")]
    ok = r.returncode in statuses and not r.stdout and len(lines) == 1 \
        and lines[0].startswith(start) and (contains is None or contains in lines[0])
    check(ok, f"{name}: status {r.returncode} (expected {statuses}), stdout {r.stdout[:80]!r}, "
              f"stderr {err[-400:]!r} (expected one line starting with {start!r}"
              + (f" containing {contains!r})" if contains else ")"))
    return ok


def leftovers(d):
    return sorted(glob.glob(os.path.join(d, "*.tmp-*")) + glob.glob(os.path.join(d, "*.old-*")))


PREVIOUS = b"the previous version\n"


def intact(path, name):
    check(os.path.exists(path) and open(path, "rb").read() == PREVIOUS,
          f"{name}: the previous {os.path.basename(path)} was not left intact")


with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "out.txt")
    big = ["--max-memory", "100T", "--max-work", "1e30"]
    p300 = ";".join(str(round(i / 150 - 1, 4)) for i in range(300))
    onen = ["onen", "--activation", "relu", "--cw", "3/2", "--cb", "1/3", "--depth", "100000",
            "--k1", "1/7"]
    eval300 = ["eval", "-n", "4", "-o", "1", "--kernel", "erf", "--sb", "0.5",
               "--set", "lambda=0.1,kappa=0", "--cutoff", "10", "--at", p300, "--all-tuples"]
    sample = ["sample", "--activation", "relu", "--at", "1", "--threads", "2", "--width", "3000",
              "--depth", "3", "--models", "1024"]
    report = os.path.join(tmp, "report")
    validate = ["validate", "--quick", "--widths", "30000", "--out", report]

    if sanitize:
        print("fault_limits: ulimit -v part skipped (AddressSanitizer reserves terabytes of "
              "address space)")
    else:
        # --- 1. under ulimit -v: refused up front by the default budget, which
        # names the limit; with the budget raised, the handler's one line
        for name, args, refused in (
                ("diagrams -n 8 -o 3", ["diagrams", "-n", "8", "-o", "3", "--max-terms",
                                        "100000000"], False),
                ("onen depth 1e5", onen, True),
                ("eval 300 points all tuples", eval300, True),
                ("sample too-large net", sample, True),
                ("validate too-large net", validate, True)):
            runs = [("", args)] if not refused else [("", args), (" (budget raised)", args + big)]
            for what, a in runs:
                with open(out, "wb") as fh:
                    fh.write(PREVIOUS)
                t0 = time.time()
                r = run(a + ["--output", out], limit=True)
                label = f"ulimit -v {LIMIT // 1024}: {name}{what}"
                if refused and not what:
                    behaves(r, (2,), label, contains="(the memory left under ulimit -v); "
                                                       "raise it with --max-memory")
                elif "validate" in name or "sample" in name:
                    # the sampler checks its own buffers: "neft: out of memory"
                    behaves(r, (1,), label, start="neft: out of memory", progress=True)
                else:
                    behaves(r, (1,), label, start="neft: out of memory (",
                            contains=" bytes requested; see --max-memory)")
                intact(out, label)
                check(not leftovers(tmp), f"{label}: left {leftovers(tmp)}")
                check(not os.path.exists(report), f"{label}: the report folder appeared")
                check(time.time() - t0 < 30, f"{label}: took {time.time() - t0:.1f} s")
        # the refusal's suggestion is the estimate, not the limit: with it, the
        # run starts (and then runs out of memory, status 1)
        r = run(onen + ["--max-work", "1e20"], limit=True)
        if r is not None and r.returncode == 2:
            sugg = r.stderr.decode().split("--max-memory ")[-1].strip()
            r = run(onen + ["--max-work", "1e20", "--max-memory", sugg], limit=True)
            behaves(r, (1,), f"onen depth 1e5 with the suggested --max-memory {sugg}",
                    start="neft: out of memory (")
        else:
            check(False, f"onen depth 1e5 under ulimit -v: not refused: {r and r.returncode}")
        # exact rationals beyond GMP's limit of 2^31 limbs per number (GMP
        # aborts, SIGABRT, temporaries left): refused up front with status 2
        # naming the options and the limit, whatever the budget (before: the
        # run started and ran out of memory here, status 1)
        huge_cw = "1/" + "7" * 120000
        for what, extra in (("", []), (" (budget raised)", ["--max-memory", "1000000T",
                                                             "--max-work", "1e30"])):
            with open(out, "wb") as fh:
                fh.write(PREVIOUS)
            r = run(["onen", "--activation", "relu", "--cw", huge_cw, "--cb", "1", "--depth",
                     "100000", "--k1", "1", "--output", out] + extra, limit=True)
            label = f"onen --cw 1/7..7 (120000 digits) --depth 1e5{what}"
            behaves(r, (2,), label, contains="beyond GMP's limit of 1.37e+11 bits per number")
            if r is not None:
                check(b"--depth" in r.stderr,
                      f"{label}: the refusal does not name --depth")
            intact(out, label)
            check(not leftovers(tmp), f"{label}: left {leftovers(tmp)}")
        # without a limit the default budget is unchanged (no "ulimit" in it)
        r = run(onen)
        behaves(r, (2,), "onen depth 1e5 without ulimit -v")
        check(r is None or b"ulimit" not in r.stderr, "without ulimit -v the refusal names it")

    # --- 2. a full file system: ENOSPC
    mnt = os.path.join(tmp, "full")
    os.mkdir(mnt)
    m = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt],
                       capture_output=True)
    if m.returncode != 0:
        print("fault_limits: ENOSPC part skipped (cannot mount a tmpfs: "
              + m.stderr.decode(errors="replace").strip() + ")")
    else:
        try:
            data = os.path.join(tmp, "exact.json")
            with open(data, "wb") as fh:
                fh.write(run(["exact", "--activation", "relu", "--width", "20", "--at",
                              "0.2;0.45;0.7", "--npt", "2,4", "--format", "json"]).stdout)
            prev = os.path.join(mnt, "previous.txt")
            with open(prev, "wb") as fh:
                fh.write(PREVIOUS)
            # a finished checkpoint of the same run, to be resumed and rewritten
            small = ["sample", "--activation", "relu", "--width", "2", "--models", "512",
                     "--at", "1", "--threads", "1"]
            ck0 = os.path.join(tmp, "ck0")
            run(small + ["--checkpoint", ck0])
            ckprev = os.path.join(mnt, "ck-previous")
            with open(ck0, "rb") as src, open(ckprev, "wb") as dst:
                ck_bytes = src.read()
                dst.write(ck_bytes)
            check(ck_bytes.startswith(b"neft"), f"no checkpoint to start from: {ck_bytes[:40]!r}")
            # fill what is left
            try:
                with open(os.path.join(mnt, "filler"), "wb") as fh:
                    while True:
                        fh.write(b"x" * 4096)
                        fh.flush()
            except OSError:
                pass
            commands = {
                "diagrams": ["diagrams"],
                "eval": ["eval", "-n", "4", "-o", "1", "--kernel", "erf", "--sb", "0.5",
                         "--set", "lambda=0.1,kappa=0", "--cutoff", "1", "--at", "1;2;3;4"],
                "sample": ["sample", "--activation", "relu", "--width", "2", "--models", "512",
                           "--at", "1", "--threads", "1"],
                "exact": ["exact", "--activation", "relu", "--width", "3", "--at", "1"],
                "onen": ["onen", "--activation", "tanh", "--cw", "1", "--cb", "0", "--width",
                         "10", "--depth", "3", "--k1", "1"],
                "fit": ["fit", data],
            }
            for cmd, args in commands.items():
                r = run(args + ["--output", prev])
                behaves(r, (1,), f"ENOSPC: {cmd} --output")
                intact(prev, f"ENOSPC: {cmd} --output")
                check(not leftovers(mnt), f"ENOSPC: {cmd} --output: left {leftovers(mnt)}")
            ck = os.path.join(mnt, "ck")
            r = run(commands["sample"] + ["--checkpoint", ck])
            behaves(r, (1,), "ENOSPC: sample --checkpoint")
            check(not os.path.exists(ck) and not leftovers(mnt),
                  f"ENOSPC: sample --checkpoint: left {os.listdir(mnt)}")
            r = run(small + ["--checkpoint", ckprev])
            behaves(r, (1,), "ENOSPC: sample --checkpoint over a previous checkpoint")
            check(open(ckprev, "rb").read() == ck_bytes and not leftovers(mnt),
                  f"ENOSPC: the previous checkpoint changed or left {os.listdir(mnt)}")
            rep = os.path.join(mnt, "report")
            r = run(["validate", "--quick", "--out", rep])
            if r is not None:
                # validate reports its progress on stderr: the last line says why
                lines = r.stderr.decode(errors="replace").splitlines()
                check(r.returncode == 1 and not r.stdout and lines
                      and lines[-1].startswith("neft: "),
                      f"ENOSPC: validate --out: status {r.returncode}, last line "
                      f"{lines[-1:] if lines else None}")
            else:
                check(False, "ENOSPC: validate --out: no answer")
            # REPORT.partial (the resumable sampling) may stay; nothing else
            check(not os.path.exists(rep) and not glob.glob(rep + ".tmp-*")
                  and not glob.glob(rep + ".old-*"),
                  f"ENOSPC: validate --out: left {os.listdir(mnt)}")
        finally:
            subprocess.run(["umount", mnt])

    # --- 3. no inode left: the temporary file itself cannot be created
    # (ENOSPC at open, not at write) -- a runtime failure (1), not bad input
    ino = os.path.join(tmp, "noinodes")
    os.mkdir(ino)
    m = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,nr_inodes=16", "tmpfs", ino],
                       capture_output=True)
    if m.returncode != 0:
        print("fault_limits: inode part skipped (cannot mount a tmpfs: "
              + m.stderr.decode(errors="replace").strip() + ")")
    else:
        try:
            prev = os.path.join(ino, "previous.txt")
            with open(prev, "wb") as fh:
                fh.write(PREVIOUS)
            try:
                for i in range(64):
                    open(os.path.join(ino, "f%d" % i), "wb").close()
            except OSError:
                pass
            for args in (["diagrams"], ["exact", "--activation", "relu", "--width", "3",
                                        "--at", "1"]):
                r = run(args + ["--output", prev])
                behaves(r, (1,), f"no inodes: {args[0]} --output")
                intact(prev, f"no inodes: {args[0]} --output")
            rep = os.path.join(ino, "report")
            r = run(["validate", "--quick", "--out", rep])
            check(r is not None and r.returncode == 1 and not r.stdout,
                  f"no inodes: validate --out: status {r.returncode if r else None}")
        finally:
            subprocess.run(["umount", ino])

check.finish("fault_limits: {passed} of {total} checks hold")
