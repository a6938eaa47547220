#!/usr/bin/env python3
"""`mpirun -np P neft train --ensemble` is `neft train --ensemble`.

Skipped (status 77, with the reason) when mpirun is missing or neft was built
without MPI.  Under `mpirun --oversubscribe -np P`, P = 1, 2, 3: the JSON
output of a trained ensemble (erf, width 7, 3001 nets: a partial last block,
steps 0,3,10, with --order 1 and the 6-node rule estimate of c: since stop 32
erf's default is the ball, which 6 nodes cannot certify, exit 1) is byte-identical to one process's with the
same seed; a refusal (a checkpoint of another configuration) ends every rank
with status 2 and the message once.

Usage: python3 tests/train_mpi.py NEFT_BINARY RULES_DIR [--sanitize]
"""

import os
import sys
import tempfile

import mpilaunch

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "docs", "data", "learn.csv")


def run(args, np=None):
    return mpilaunch.run(args, np, timeout=600)


failures = []


def fail(msg):
    print("FAIL:", msg, flush=True)
    failures.append(msg)


ARGS = ["train", "--ensemble", "--data", DATA, "--at", "1,1;0.5,-0.5", "--activation", "erf",
        "--cw", "1", "--cb", "1/10", "--depth", "2", "--width", "7", "--models", "3001",
        "--eta", "1/10", "--steps", "0,3,10", "--seed", "5", "--format", "json",
        "--order", "1", "--nodes", "6", "--c-rule", "estimate", "--threads", "1"]


def main():
    why = mpilaunch.skip_reason()
    if why is not None:
        print("SKIP:", why)
        return 77
    rc, out, err = run(ARGS, np=2)
    ref = run(ARGS)
    if ref[0] != 0:
        fail("one process: status %d: %s" % (ref[0], ref[2]))
    else:
        for np in (1, 2, 3):
            r = (rc, out, err) if np == 2 else run(ARGS, np=np)
            if r[0] != 0 or r[1] != ref[1]:
                fail("-np %d: status %d, %s" % (np, r[0], "output differs" if r[0] == 0
                                                 else r[2][-300:]))
            else:
                print("-np %d: byte-identical (%d bytes)" % (np, len(r[1])))
    with tempfile.TemporaryDirectory() as d:
        ck = os.path.join(d, "ck")
        r = run(ARGS + ["--checkpoint", ck])
        if r[0] != 0:
            fail("checkpointed run: %s" % r[2])
        else:
            before = open(ck, "rb").read()
            other = [a if a != "1/10" or i != ARGS.index("--eta") + 1 else "1/20"
                     for i, a in enumerate(ARGS)]
            r = run(other + ["--checkpoint", ck], np=2)
            lines = [l for l in r[2].splitlines() if l.startswith("neft")]
            if r[0] != 2 or len(lines) != 1 or r[1] != b"":
                fail("a checkpoint of other data under -np 2: status %d, stderr %r"
                     % (r[0], r[2][-300:]))
            if open(ck, "rb").read() != before:
                fail("the refused run changed the checkpoint")
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("ok")
    return 0


sys.exit(main())
