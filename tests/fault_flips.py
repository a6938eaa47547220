#!/usr/bin/env python3
"""Damaged inputs are detected or harmless (issue 23, items 3 and 4).

Usage: python3 tests/fault_flips.py NEFT_BINARY RULES_DIR [--seed S] [--quick]

- a finished `neft sample --checkpoint` file: 100 single-bit flips at random
  bits, and truncations at random offsets; each resumed run is either refused
  (status 2, one line on stderr naming the damaged record: the header, a
  batch, line 1..3 or the end marker; nothing on stdout) or harmless (status
  0 and exactly the output of the undamaged run).  Before checkpoints carried
  checksums, 18 of 100 flips were used silently (status 0, other numbers);
- sample and exact JSON (with neft's digest) fed to `neft fit` and sample
  JSON fed to `neft onen --compare-samples`: single-bit flips and
  truncations, each refused (status 2, one line naming the file) or
  harmless (the same output as the undamaged file).
Flips and offsets come from a seeded generator (the seed is printed), so a
failure is reproducible.  About 3 s (idle machine); --quick (the sanitizer
build) flips the JSON files 30 times each instead of 100.
"""

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

neft, rules = sys.argv[1], sys.argv[2]
seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 23
rng = random.Random(seed)
json_flips = 30 if "--quick" in sys.argv else 100
failures = []
counts = {}


def run(args):
    return subprocess.run([neft] + args, capture_output=True, timeout=60)


def tally(kind, outcome):
    counts.setdefault(kind, {}).setdefault(outcome, 0)
    counts[kind][outcome] += 1


def judge(kind, what, p, ref, named):
    """Refused with a message matching `named`, or harmless."""
    err = p.stderr.decode("utf-8", "replace")
    lines = err.splitlines()
    if p.returncode == 0 and p.stdout == ref:
        tally(kind, "harmless")
        return
    if p.returncode == 2 and not p.stdout and len(lines) == 1 and re.search(named, lines[0]):
        tally(kind, "refused")
        return
    tally(kind, "BAD")
    failures.append("%s: %s: status %d, %d bytes on stdout%s, stderr %r"
                    % (kind, what, p.returncode, len(p.stdout),
                       " (a different result)" if p.returncode == 0 else "", err[-300:]))


def flipped(data, bit):
    b = bytearray(data)
    b[bit // 8] ^= 1 << (bit % 8)
    return bytes(b)


tmp = tempfile.mkdtemp(prefix="neft-fault-")
try:
    # --- checkpoints
    ck = os.path.join(tmp, "run.ckpt")
    sample = ["sample", "--activation", "relu", "--d-in", "1", "--width", "8", "--models",
              "4096", "--at", "0.5;1", "--npt", "2,4", "--seed", "1", "--threads", "1",
              "--checkpoint", ck]
    p = run(sample)
    if p.returncode != 0 or not os.path.exists(ck):
        print("the reference sampling run failed:", p.stderr.decode()[-300:])
        sys.exit(1)
    ref = p.stdout
    good = open(ck, "rb").read()
    p = run(sample)
    if p.returncode != 0 or p.stdout != ref:
        failures.append("checkpoint: resuming the finished checkpoint changed the result")
    # formats 1 to 3 (older neft: batches of consecutive blocks) are refused
    # by name, exit 2, and left as they are
    for old in (b"1", b"2", b"3"):
        v = good.replace(b"neft-sample-checkpoint 4", b"neft-sample-checkpoint " + old, 1)
        with open(ck, "wb") as f:
            f.write(v)
        p = run(sample)
        if (p.returncode != 2 or p.stdout or b"older neft (format " + old not in p.stderr
                or open(ck, "rb").read() != v):
            failures.append("checkpoint: a format %s checkpoint was not refused by name: "
                            "status %d, %r" % (old.decode(), p.returncode, p.stderr[-300:]))
    named = (r"^neft: " + re.escape(ck) + r"(:[123]: |: )"
             r".*(batch \d+ of \d+|header|checkpoint|end marker)")
    for bit in rng.sample(range(8 * len(good)), 100):
        with open(ck, "wb") as f:
            f.write(flipped(good, bit))
        judge("checkpoint flip", "bit %d (byte %d)" % (bit, bit // 8), run(sample), ref, named)
    for off in sorted(rng.sample(range(len(good)), 30)):
        with open(ck, "wb") as f:
            f.write(good[:off])
        judge("checkpoint truncation", "at byte %d of %d" % (off, len(good)), run(sample), ref,
              named)

    # --- correlator files
    exact = os.path.join(tmp, "exact.json")
    samp = os.path.join(tmp, "sample.json")
    p = run(["exact", "--activation", "relu", "--d-in", "1", "--width", "20", "--at",
             "0.2;0.45;0.7", "--npt", "2,4", "--format", "json", "--output", exact])
    q = run(["sample", "--activation", "relu", "--d-in", "1", "--width", "8", "--models", "1024",
             "--at", "0.5;1.0", "--npt", "2,4", "--seed", "3", "--format", "json", "--output",
             samp])
    if p.returncode or q.returncode:
        print("the reference data files failed:", (p.stderr + q.stderr).decode()[-300:])
        sys.exit(1)
    consumers = [
        ("fit exact", exact, ["fit", exact, "--cutoff", "1"]),
        ("fit sample", samp, ["fit", samp, "--cutoff", "1"]),
        ("onen compare", samp, ["onen", "--compare-samples", samp, "--activation", "relu",
                                "--cw", "1", "--cb", "0", "--depth", "2", "--width", "8"]),
    ]
    for kind, path, args in consumers:
        data = open(path, "rb").read()
        p = run(args)
        if p.returncode != 0:
            failures.append("%s: the undamaged file failed: %r" % (kind, p.stderr[-300:]))
            continue
        ref = p.stdout
        named = r"^neft: " + re.escape(path) + r"(:\d+)?: "
        for bit in rng.sample(range(8 * len(data)), json_flips):
            with open(path, "wb") as f:
                f.write(flipped(data, bit))
            judge(kind + " flip", "bit %d (byte %d)" % (bit, bit // 8), run(args), ref, named)
        for off in sorted(rng.sample(range(len(data)), 20)):
            with open(path, "wb") as f:
                f.write(data[:off])
            judge(kind + " truncation", "at byte %d of %d" % (off, len(data)), run(args), ref,
                  named)
        with open(path, "wb") as f:
            f.write(data)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

for kind in counts:
    print("%-26s %s" % (kind, ", ".join("%s %d" % kv for kv in sorted(counts[kind].items()))))
for f in failures[:20]:
    print("FAIL:", f)
print("fault_flips (seed %d): %d damaged inputs, %d neither refused nor harmless"
      % (seed, sum(sum(c.values()) for c in counts.values()), len(failures)))
sys.exit(1 if failures else 0)
