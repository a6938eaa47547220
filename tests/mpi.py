#!/usr/bin/env python3
"""`mpirun -np P neft sample` is `neft sample` (issue 21, docs/cluster.md).

Usage: python3 tests/mpi.py NEFT_BINARY RULES_DIR [--quick] [--sanitize] [--validate]

Skipped (status 77, with the reason) when mpirun is missing or neft was built
without MPI.  Under `mpirun --oversubscribe -np P`, P = 1, 2, 3:
- the output (text and JSON) is byte-identical to one process's with the same
  seed, for 1 and 2 threads per process, with a partial last block (models
  not a multiple of 256) and with fewer blocks than batches;
- interrupt + resume with another P: SIGINT to one rank of a 2-process run
  stops every rank (status 130, one message, rank 0's checkpoint holds some
  of the models), and 3 processes resume it to the one-process result;
- a rank that dies (SIGKILL): the job fails (non-zero status), the
  checkpoint is intact, and one process resumes it to the same result;
- extension across P: a checkpoint of M models written by 2 processes,
  continued by 3 processes to M2 > M, equals one process's M2 from scratch;
- --output FILE holds rank 0's result (the other ranks' empty outputs are
  not committed over it);
- a bad input (a checkpoint of another configuration) is refused with
  status 2 by every rank, the checkpoint untouched, the message once;
With --validate (registered as the test mpi_validate), instead:
- `mpirun -np P neft validate`: rank 0 runs the stages, all ranks sample:
  (pdflatex off their PATH) the summary, report.json, report.tex and the figures' .tex are
  byte-identical to one process's (relu --quick at P = 1, 2, 3, erf --quick
  at P = 2); SIGINT to one rank of 2 stops the job with status 130, the
  report not written and the checkpoints in OUT.partial, and 3 processes
  resume them to the one-process report; a killed rank (SIGKILL) fails the
  job, its finished width's checkpoint is byte for byte one process's,
  and one process resumes its checkpoints to the same report; a run
  rank 0 refuses (--out names a file) ends every rank with status 2, the
  message once.
About 20 s and 30 s (idle machine); --quick (sanitizer build) uses fewer
cases.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import neftio

import mpilaunch

NEFT = mpilaunch.NEFT
QUICK = "--quick" in sys.argv
ENV = mpilaunch.ENV
run = mpilaunch.run
failures = []


def fail(msg):
    print("FAIL:", msg, flush=True)
    failures.append(msg)


saved_models = neftio.checkpoint_models


skip_reason = mpilaunch.skip_reason
BASE = ["sample", "--activation", "relu", "--d-in", "1", "--width", "10", "--at",
        "0.5;1;1.5", "--npt", "2,4,6", "--seed", "7"]


def identical():
    cases = [("30001", "json"), ("5000", "text")]
    if not QUICK:
        cases.append(("70000", "json"))
    for models, fmt in cases:
        args = BASE + ["--models", models, "--format", fmt]
        ref = run(args + ["--threads", "1"])
        if ref[0] != 0:
            fail("serial run: %s" % ref[2])
            continue
        for np in (1, 2, 3):
            for threads in ((1,) if QUICK else (1, 2)):
                r = run(args + ["--threads", str(threads)], np=np)
                if r[0] != 0 or r[1] != ref[1]:
                    fail("-np %d --threads %d --models %s (%s): status %d, %s" % (
                        np, threads, models, fmt, r[0],
                        "output differs" if r[0] == 0 else r[2][-300:]))
    print("identical: %d cases x P = 1, 2, 3" % len(cases), flush=True)


def start(args, np):
    return subprocess.Popen(mpilaunch.command(args, np),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)


def ranks_of(p):
    """The neft processes mpirun started (children of mpirun)."""
    out = subprocess.run(["ps", "-o", "pid=,ppid=,comm=", "-e"], capture_output=True,
                         text=True).stdout
    return [int(l.split()[0]) for l in out.splitlines()
            if int(l.split()[1]) == p.pid and l.split()[2] == "neft"]


def wait_saved(ck, p, limit=60):
    t0 = time.time()
    while saved_models(ck) == 0 and p.poll() is None and time.time() - t0 < limit:
        time.sleep(0.01)
    return saved_models(ck)


def interrupt_last(p):
    """SIGINT to the last rank of the job p (when it still runs); its stdout
    and stderr once it ended."""
    pids = ranks_of(p)
    if p.poll() is None and pids:
        os.kill(pids[-1], signal.SIGINT)
    out, err = p.communicate(timeout=600)
    return out, err.decode(errors="replace")


def interrupt_resume(d):
    for models in ("3000000", "12000000"):
        ck = os.path.join(d, "int.ckpt")
        args = BASE + ["--models", models, "--format", "json", "--threads", "1",
                       "--checkpoint", ck, "--checkpoint-interval", "0.05"]
        if os.path.exists(ck):
            os.remove(ck)
        p = start(args, 2)
        wait_saved(ck, p)
        out, err = interrupt_last(p)
        if p.returncode == 130:
            break
    else:
        fail("could not interrupt a 2-process run (it always finished first): %d %r"
             % (p.returncode, err[-300:]))
        return
    saved = saved_models(ck)
    if out or err.count("state saved in") != 1 or not 0 < saved < int(models):
        fail("interrupted 2-process run: expected no output, one message, a partial "
             "checkpoint: %r, %d models saved" % (err[-400:], saved))
    print("interrupt: SIGINT to one rank of 2, %d of %s models saved" % (saved, models),
          flush=True)
    ref = run(args[:-4])
    if ref[0] != 0:
        fail("the one-process reference: %s" % ref[2][-300:])
    r = run(args, np=3)
    if r[0] != 0 or r[1] != ref[1]:
        fail("resumed with 3 processes: status %d, %s" % (
            r[0], "differs from one process" if r[0] == 0 else r[2][-300:]))
    return args[:-4], ref


def rank_dies(d, args, ref):
    ck = os.path.join(d, "die.ckpt")
    full = args + ["--checkpoint", ck, "--checkpoint-interval", "0.05"]
    p = start(full, 3)
    wait_saved(ck, p)
    pids = ranks_of(p)
    if p.poll() is not None or not pids:
        print("rank dies: the run finished first; not tested", flush=True)
        return
    os.kill(pids[1], signal.SIGKILL)
    out, err = p.communicate(timeout=300)
    err = err.decode(errors="replace")
    saved = saved_models(ck)
    if p.returncode == 0 or out:
        fail("a rank was killed, yet the job succeeded or printed a result")
    if "signal 9" not in err and "Killed" not in err:
        fail("a rank was killed: no message naming it: %r" % err[-400:])
    print("rank dies: status %d, %d models in the checkpoint" % (p.returncode, saved),
          flush=True)
    r = run(full)
    if r[0] != 0 or r[1] != ref[1]:
        fail("the checkpoint of the killed job did not resume to the result: status %d, %s"
             % (r[0], r[2][-300:]))


def extend(d):
    ck = os.path.join(d, "ext.ckpt")
    small = BASE + ["--models", "20001", "--format", "json", "--checkpoint", ck]
    r = run(small, np=2)
    if r[0] != 0:
        fail("extend: the first run: %s" % r[2][-300:])
        return
    big = BASE + ["--models", "90000", "--format", "json"]
    ref = run(big)
    r = run(big + ["--checkpoint", ck], np=3)
    if r[0] != 0 or r[1] != ref[1]:
        fail("extend 20001 -> 90000 models across P 2 -> 3: status %d, %s" % (
            r[0], "differs from scratch" if r[0] == 0 else r[2][-300:]))
    # refused under MPI: another configuration; every rank exits 2, one message
    before = open(ck, "rb").read()
    other = [a if a != "7" else "8" for a in big] + ["--checkpoint", ck]
    r = run(other, np=2)
    if r[0] != 2 or r[1] or r[2].count("different configuration") != 1 \
            or open(ck, "rb").read() != before:
        fail("foreign checkpoint under MPI: status %d, %r" % (r[0], r[2][-300:]))


def output_file(d):
    """--output FILE under MPI: rank 0's result, never another rank's empty
    output renamed over it (it was, in about one run of three)."""
    args = BASE + ["--models", "20000", "--format", "json"]
    ref = run(args)
    f = os.path.join(d, "out.json")
    for i in range(2 if QUICK else 5):
        if os.path.exists(f):
            os.remove(f)
        r = run(args + ["--output", f], np=3)
        got = open(f, "rb").read() if os.path.exists(f) else b""
        if r[0] != 0 or got != ref[1] or r[1]:
            fail("--output under -np 3, try %d: status %d, %d bytes, not %d" % (
                i + 1, r[0], len(got), len(ref[1])))
            return
    left = [x for x in os.listdir(d) if x.startswith("out.json.tmp")]
    if left:
        fail("--output under MPI left temporaries: %s" % left)


def report_files(d):
    """What a validate run leaves that must not depend on P: its stdout and
    the report's text files (the PDFs and PNGs carry dates)."""
    rep = os.path.join(d, "rep")
    names = sorted(f for f in os.listdir(rep) if f.endswith((".json", ".tex"))) \
        if os.path.isdir(rep) else []
    return {f: open(os.path.join(rep, f), "rb").read() for f in names}


# validate's processes without pdflatex on their PATH: the figures stay .tex
# (compiling them took 15 of every 16 CPU-seconds and is not MPI's business)
NOTEX = dict(ENV, PATH="/nonexistent")


def validate_cmd(args, np=None):
    return ([NEFT] if np is None else
            [shutil.which("mpirun"), "--oversubscribe", "-x", "PATH=/nonexistent", "-np",
             str(np), NEFT]) + ["validate"] + args + ["--out", "rep"]


def validate_in(d, args, np=None):
    """validate ARGS --out rep in folder d (made here): status, stdout, stderr."""
    os.makedirs(d, exist_ok=True)
    p = subprocess.run(validate_cmd(args, np), capture_output=True,
                       env=NOTEX if np is None else ENV, cwd=d, timeout=600)
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


def validate_identical(d):
    cases = [("relu", (2,) if QUICK else (1, 2, 3))]
    if not QUICK:
        cases.append(("erf", (2,)))
    for act, nps in cases:
        args = ["--quick", "--activation", act, "--threads", "1"]
        ref = validate_in(os.path.join(d, act + "-serial"), args)
        want = report_files(os.path.join(d, act + "-serial"))
        if ref[0] != 0 or "report.json" not in want:
            fail("validate %s, one process: status %d, %s" % (act, ref[0], ref[2][-300:]))
            continue
        for np in nps:
            where = os.path.join(d, "%s-np%d" % (act, np))
            r = validate_in(where, args, np)
            got = report_files(where)
            if r[0] != 0 or r[1] != ref[1] or got != want:
                fail("validate %s under -np %d: status %d, %s" % (
                    act, np, r[0], r[2][-300:] if r[0] != 0 else
                    "differs from one process in: %s" % ", ".join(
                        ["stdout"] * (r[1] != ref[1])
                        + [f for f in set(want) | set(got) if want.get(f) != got.get(f)])))
            if r[2].count("sampling 20000 networks") != 3:
                fail("validate %s under -np %d: the progress lines not once each (rank 0 "
                     "only): %r" % (act, np, r[2][-400:]))
        print("validate identical: %s --quick at P = %s" % (act, nps), flush=True)
    # refused by rank 0 (--out is a file): every rank exits 2, the message once
    where = os.path.join(d, "refused")
    os.makedirs(where)
    with open(os.path.join(where, "rep"), "w") as f:
        f.write("mine\n")
    r = validate_in(where, ["--quick", "--threads", "1"], 2)
    if r[0] != 2 or r[1] or r[2].count("exists and is not a directory") != 1 \
            or open(os.path.join(where, "rep")).read() != "mine\n":
        fail("validate under -np 2 with --out a file: status %d, %r" % (r[0], r[2][-300:]))


def ckpts(d):
    part = os.path.join(d, "rep.partial")
    return sorted(os.path.join(part, f) for f in os.listdir(part)) \
        if os.path.isdir(part) else []


def validate_interrupt(d):
    """SIGINT to one rank of 2 during the sampling, resumed by 3 processes; a
    killed rank, resumed by one process."""
    for models in ("600000", "3000000"):
        args = ["--quick", "--activation", "relu", "--threads", "1", "--models", models]
        where = os.path.join(d, "int-" + models)
        os.makedirs(where)
        p = subprocess.Popen(validate_cmd(args, 2), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=ENV, cwd=where)
        t0 = time.time()
        # rank 0 makes rep.partial just before it asks the others to sample
        while not os.path.isdir(os.path.join(where, "rep.partial")) and p.poll() is None \
                and time.time() - t0 < 120:
            time.sleep(0.01)
        time.sleep(0.3)
        out, err = interrupt_last(p)
        if p.returncode == 130:
            break
    else:
        fail("could not interrupt a 2-process validate (it always finished first): %d %r"
             % (p.returncode, err[-300:]))
        return
    saved = [neftio.checkpoint_models(c) for c in ckpts(where)]
    if out or "interrupted" not in err or os.path.exists(os.path.join(where, "rep")) \
            or not saved or not 0 < saved[-1] <= int(models):
        fail("interrupted 2-process validate: expected no summary, a message, no report and "
             "checkpoints: %r, %r models saved" % (err[-400:], saved))
    print("validate interrupt: SIGINT to one rank of 2, checkpoints of %s models" % saved,
          flush=True)
    ref = validate_in(os.path.join(d, "int-serial"), args)
    want = report_files(os.path.join(d, "int-serial"))
    if ref[0] != 0:
        fail("validate, the one-process reference: %s" % ref[2][-300:])
        return
    r = validate_in(where, args, 3)
    if r[0] != 0 or r[1] != ref[1] or report_files(where) != want or ckpts(where):
        fail("validate resumed with 3 processes: status %d, %s" % (
            r[0], "differs from one process (or checkpoints left)" if r[0] == 0
            else r[2][-300:]))
    if "resuming from" not in r[2]:
        fail("validate resumed with 3 processes: no 'resuming from' line: %r" % r[2][-300:])
    if QUICK:
        return
    # a rank killed once the first width's checkpoint is complete
    where = os.path.join(d, "die")
    os.makedirs(where)
    p = subprocess.Popen(validate_cmd(args, 3), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=ENV, cwd=where)
    t0 = time.time()
    # (the first width's checkpoint appears when its sampling is complete)
    while not any(neftio.checkpoint_models(c) > 0 for c in ckpts(where)) \
            and p.poll() is None and time.time() - t0 < 300:
        time.sleep(0.01)
    time.sleep(0.3)
    pids = ranks_of(p)
    if p.poll() is not None or len(pids) != 3:
        print("validate rank dies: the run finished first; not tested", flush=True)
        p.communicate()
        return
    os.kill(pids[1], signal.SIGKILL)
    out, err = p.communicate(timeout=600)
    err = err.decode(errors="replace")
    if p.returncode == 0 or out or os.path.exists(os.path.join(where, "rep")):
        fail("validate: a rank was killed, yet the job succeeded or wrote a summary/report")
    if "signal 9" not in err and "Killed" not in err:
        fail("validate: a rank was killed: no message naming it: %r" % err[-400:])
    left = [neftio.checkpoint_models(c) for c in ckpts(where)]
    print("validate rank dies: status %d, checkpoints of %s models" % (p.returncode, left),
          flush=True)
    # the finished first width's checkpoint, written by 3 processes, is byte for
    # byte the one of `neft sample` in one process with validate's spec of it
    # (relu --quick's inputs, width 5, seed 1 + width index 0)
    five = [c for c in ckpts(where) if os.path.basename(c).startswith("width-5-")]
    one = os.path.join(d, "width5.ckpt")
    r = run(["sample", "--activation", "relu", "--d-in", "1", "--width", "5", "--at",
             "0.2;0.7;1.2", "--models", models, "--seed", "1", "--threads", "1",
             "--checkpoint", one])
    if r[0] != 0 or len(five) != 1 or open(five[0], "rb").read() != open(one, "rb").read():
        fail("validate under 3 processes: width 5's checkpoint is not one process's: "
             "status %d, %s" % (r[0], five))
    r = validate_in(where, args)
    if r[0] != 0 or r[1] != ref[1] or report_files(where) != want:
        fail("validate: the checkpoints of the killed job did not resume to the report: "
             "status %d, %s" % (r[0], r[2][-300:]))


def main():
    why = skip_reason()
    if why is not None:
        print("SKIP:", why)
        return 77
    if "--validate" not in sys.argv:
        identical()
        with tempfile.TemporaryDirectory() as d:
            output_file(d)
        with tempfile.TemporaryDirectory() as d:
            got = interrupt_resume(d)
            if got is not None and not QUICK:
                rank_dies(d, *got)
            extend(d)
    else:
        with tempfile.TemporaryDirectory() as d:
            validate_identical(d)
        with tempfile.TemporaryDirectory() as d:
            validate_interrupt(d)
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("ok")
    return 0


sys.exit(main())
