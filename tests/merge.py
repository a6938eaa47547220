#!/usr/bin/env python3
"""Runs extended and merged (issue 21, item 2; docs/cmd-merge.md, docs/cluster.md).

Usage: python3 tests/merge.py NEFT_BINARY RULES_DIR

- extend = from scratch: a checkpoint of M models continued with
  --models M2 > M prints exactly what M2 models from scratch print, for M a
  multiple of the block and not (the partial last block is drawn again,
  larger), across the change from fewer blocks than batches to more, twice in
  a row, and from an interrupted checkpoint; fewer models than the checkpoint
  holds are refused (status 2, the checkpoint untouched);
- merge of two seeds = the documented combination: N = n1 + n2,
  mean = (n1 m1 + n2 m2) / N, stderr = sqrt((n1/N)^2 s1^2 + (n2/N)^2 s2^2),
  for every full and connected estimate; merging (A+B)+C equals A+B+C to
  rounding; the merged file is read back by `neft fit`'s reader (a digest);
- the tail diagnostics: a sample result's stderr_iid, ess, ess_var and flags
  are those of its tail sums (sum_p, sum_abs_p, sum_p2, sum_p4); a merge's
  sums are the parts' added (one run over all their models) and its
  diagnostics and flags those of the added sums (the connected flags those of
  the even sub-tuples' full moments); a part without sums gives "unknown";
- refusals, status 2 and one line naming the file: another configuration
  (width, --npt, inputs, estimator), the same seed twice, a file that is not a sample
  result, a single file;
- the example of docs/cmd-merge.md runs and merges as documented.
About 5 s.
"""

import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time

NEFT = os.path.abspath(sys.argv[1])
failures = []


def fail(msg):
    print("FAIL:", msg, flush=True)
    failures.append(msg)


def run(args):
    p = subprocess.run([NEFT] + args, capture_output=True)
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


BASE = ["sample", "--activation", "erf", "--d-in", "1", "--width", "6", "--at", "0.3;0.9",
        "--npt", "2,4,6", "--seed", "3", "--format", "json"]


def extend(d):
    ck = os.path.join(d, "ext.ckpt")
    steps = [("5000", "20000", "extend 5000 -> 20000 (20 blocks -> 79, a partial block)"),
             ("20000", "40960", "extend again 20000 -> 40960 (a multiple of the block)"),
             ("40960", "100001", "extend 40960 -> 100001 (more blocks than batches)")]
    r = run(BASE + ["--models", steps[0][0], "--checkpoint", ck])
    if r[0] != 0:
        fail("first run: %s" % r[2])
        return
    for m, m2, what in steps:
        ref = run(BASE + ["--models", m2])
        r = run(BASE + ["--models", m2, "--checkpoint", ck])
        if r[0] != 0 or r[1] != ref[1] or ref[0] != 0:
            fail("%s: status %d, %s" % (what, r[0], "differs" if r[0] == 0 else r[2]))
    before = open(ck, "rb").read()
    r = run(BASE + ["--models", "50000", "--checkpoint", ck])
    if r[0] != 2 or r[1] or "fewer" not in r[2] or open(ck, "rb").read() != before:
        fail("shrinking a checkpoint: status %d, %r" % (r[0], r[2]))
    # a checkpoint of another seed is another configuration
    r = run([a if a != "3" else "4" for a in BASE] + ["--models", "200000", "--checkpoint", ck])
    if r[0] != 2 or "different configuration" not in r[2] or "seed" not in r[2]:
        fail("another seed extending a checkpoint: status %d, %r" % (r[0], r[2]))
    # an interrupted checkpoint (batches part-way) extended
    ck2 = os.path.join(d, "int.ckpt")
    for models in ("1500000", "6000000"):
        if os.path.exists(ck2):
            os.remove(ck2)
        p = subprocess.Popen([NEFT] + BASE + ["--models", models, "--checkpoint", ck2,
                                              "--checkpoint-interval", "0.02"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        t0 = time.time()
        while not os.path.exists(ck2) and p.poll() is None and time.time() - t0 < 60:
            time.sleep(0.005)
        p.send_signal(signal.SIGINT)
        p.communicate(timeout=300)
        if p.returncode == 130:
            break
    if p.returncode != 130:
        fail("could not interrupt a run (it always finished first)")
    else:
        m2 = str(int(models) + 100001)
        ref = run(BASE + ["--models", m2])
        r = run(BASE + ["--models", m2, "--checkpoint", ck2])
        if r[0] != 0 or r[1] != ref[1]:
            fail("extending an interrupted checkpoint: status %d, %s"
                 % (r[0], "differs" if r[0] == 0 else r[2]))
    print("extend: 4 extensions equal runs from scratch", flush=True)


def combine(runs):
    """The documented combination of (models, result) pairs."""
    N = sum(n for n, _ in runs)
    out = []
    for t in range(len(runs[0][1]["correlators"])):
        e = {}
        for which in ("full", "connected"):
            sm = 0.0
            ss = 0.0
            for n, res in runs:
                c = res["correlators"][t][which]
                w = n / N
                sm += n * c["mean"]
                ss += w * w * c["stderr"] * c["stderr"]
            e[which] = (sm / N, math.sqrt(ss))
        out.append(e)
    return N, out


def close(a, b):
    return abs(a - b) <= 1e-14 * max(abs(a), abs(b), 1e-300)


SUMS = ("sum_p", "sum_abs_p", "sum_p2", "sum_p4")


def tails(S, n, jse):
    """stderr_iid, ess, ess_var and the full flags of docs/cmd-sample.md from
    the tail sums S of n values and the jackknife error jse (src/sample/tails.c)"""
    S1, SA, S2, S4 = S
    se = math.sqrt(max((S2 - S1 * (S1 / n)) / (n - 1), 0.0) / n)
    ess, ess_var = SA * (SA / S2), S2 * (S2 / S4)
    flags = []
    if ess_var < 100:
        flags.append("few-draws")
    if jse > 2 * se or se > 2 * jse:
        flags.append("disagree")
    return se, ess, ess_var, flags


def check_tails(m, what, parts=None):
    """Every full correlator of result m: its tail diagnostics and flags are
    those of its tail sums (and, for a merge of parts, the sums are the parts'
    sums added: those of one run over all their models); every connected
    correlator carries the flags of its even sub-tuples' full moments."""
    bad = []
    full = {tuple(c["indices"]): c for c in m["correlators"]}
    for k, c in enumerate(m["correlators"]):
        f = c["full"]
        if any(not isinstance(f.get(x), float) for x in SUMS):
            bad.append("%s: no tail sums" % c["indices"])
            continue
        S = [f[x] for x in SUMS]
        if parts is not None:
            want = [sum(p["correlators"][k]["full"][x] for p in parts) for x in SUMS]
            if any(not close(a, b) for a, b in zip(S, want)):
                bad.append("%s: sums %r, the parts' %r" % (c["indices"], S, want))
        se, ess, ev, fl = tails(S, m["models"], f["stderr"])
        if not (close(f["stderr_iid"], se) and close(f["ess"], ess) and close(f["ess_var"], ev)
                and f["flags"] == fl):
            bad.append("%s: %r, from its sums %r" % (c["indices"], f, (se, ess, ev, fl)))
        idx = c["indices"]
        cf = set()
        for mask in range(1, 1 << len(idx)):
            sub = tuple(idx[i] for i in range(len(idx)) if mask >> i & 1)
            if len(sub) % 2 == 0:
                cf |= set(full[sub]["full"]["flags"])
        if set(c["connected"]["flags"]) != cf:
            bad.append("%s: connected flags %r, its moments' %r" % (idx, c["connected"]["flags"],
                                                                     sorted(cf)))
    unreliable = sum(1 for c in m["correlators"] if c["full"]["flags"] or c["connected"]["flags"])
    if m.get("unreliable") != unreliable:
        bad.append("unreliable %r, not %d" % (m.get("unreliable"), unreliable))
    if bad:
        fail("%s: tail diagnostics: %d wrong, e.g. %s" % (what, len(bad), bad[0]))
    return not bad


def merge(d):
    files = []
    for seed, models in (("11", "30000"), ("12", "50001"), ("13", "20000")):
        f = os.path.join(d, "s%s.json" % seed)
        r = run([a if a != "3" else seed for a in BASE] + ["--models", models, "--output", f])
        if r[0] != 0:
            fail("sample seed %s: %s" % (seed, r[2]))
            return
        files.append(f)
    res = [json.load(open(f)) for f in files]
    r = run(["merge", files[0], files[1]])
    if r[0] != 0:
        fail("merge of two seeds: %s" % r[2])
        return
    m = json.loads(r[1])
    N, want = combine([(x["models"], x) for x in res[:2]])
    if m["models"] != N or m["seeds"] != [11, 12] or m["batches"] != 200:
        fail("merge: models %r seeds %r batches %r" % (m["models"], m["seeds"], m["batches"]))
    bad = 0
    for c, w in zip(m["correlators"], want):
        for which in ("full", "connected"):
            if c[which]["mean"] != w[which][0] or not close(c[which]["stderr"], w[which][1]):
                bad += 1
    if bad or len(m["correlators"]) != len(want):
        fail("merge: %d estimates are not the documented combination" % bad)
    # the tail diagnostics (stderr_iid, ess, ess_var, their sums, the flags):
    # the sampler's own from its sums, and the merge's from the parts' sums
    # added, as one run over all the models (before: dropped by the merge)
    for x, f in zip(res, files):
        check_tails(x, "sample " + os.path.basename(f))
    if not check_tails(m, "merge of two seeds", res[:2]):
        pass
    if m.get("estimator") != "plain" or m.get("min_ess_var") != 100 \
            or m.get("max_stderr_ratio") != 2:
        fail("merge: estimator / thresholds not carried: %r" % {
            k: m.get(k) for k in ("estimator", "min_ess_var", "max_stderr_ratio")})
    ab = os.path.join(d, "ab.json")
    open(ab, "wb").write(r[1])
    r2 = run(["merge", ab, files[2]])
    r3 = run(["merge"] + files)
    if r2[0] != 0 or r3[0] != 0:
        fail("merge of a merge: %s %s" % (r2[2], r3[2]))
    else:
        x, y = json.loads(r2[1]), json.loads(r3[1])
        if x["seeds"] != [11, 12, 13] or x["models"] != y["models"] or any(
                not close(a[w]["mean"], b[w]["mean"]) or not close(a[w]["stderr"], b[w]["stderr"])
                for a, b in zip(x["correlators"], y["correlators"])
                for w in ("full", "connected")):
            fail("(A+B)+C differs from A+B+C beyond rounding")
        elif any(not close(a["full"][k], b["full"][k]) for a, b in
                 zip(x["correlators"], y["correlators"])
                 for k in SUMS + ("stderr_iid", "ess", "ess_var")) or any(
                     a[w]["flags"] != b[w]["flags"] for a, b in
                     zip(x["correlators"], y["correlators"]) for w in ("full", "connected")):
            fail("(A+B)+C differs from A+B+C in the tail diagnostics")
        check_tails(x, "(A+B)+C", res)
    # a part without tail sums (an older neft): the merged diagnostics are
    # unknown, never made up
    old = json.load(open(files[1]))
    for c in old["correlators"]:
        for k in SUMS:
            del c["full"][k]
    del old["digest"]
    oldf = os.path.join(d, "old.json")
    json.dump(old, open(oldf, "w"))
    r4 = run(["merge", files[0], oldf])
    if r4[0] != 0:
        fail("merge with a file without tail sums: %s" % r4[2])
    else:
        o = json.loads(r4[1])
        if any(c["full"]["ess"] is not None or "unknown" not in c["full"]["flags"]
               or "unknown" not in c["connected"]["flags"] for c in o["correlators"]):
            fail("merge with a file without tail sums: diagnostics not unknown: %r"
                 % o["correlators"][0])
    # the merged file ends with its digest (docs/formats.md): FNV-1a 64 of the
    # bytes before ', "digest"'
    data = open(ab, "rb").read()
    cut = data.rindex(b', "digest": "fnv1a64:')
    h = 0xcbf29ce484222325
    for byte in data[:cut]:
        h = ((h ^ byte) * 0x100000001b3) % (1 << 64)
    if data[cut:] != b', "digest": "fnv1a64:%016x"}\n' % h:
        fail("the merged file's digest is wrong: %r" % data[cut:])
    print("merge: %d correlators combined as documented" % len(want), flush=True)

    # refusals
    other = {}
    for name, args in (("width", ["--width", "7"]), ("npt", ["--npt", "2,4"]),
                       ("inputs", ["--at", "0.3;1.0"])):
        f = os.path.join(d, "other-%s.json" % name)
        a = list(BASE)
        i = a.index(args[0])
        a[i + 1] = args[1]
        a = [x if x != "3" else "21" for x in a]
        run(a + ["--models", "1000", "--output", f])
        other[name] = f
    # the conditional estimator (docs/cmd-sample.md: runs of the two estimators
    # must not be merged; before: merged silently)
    other["estimator"] = os.path.join(d, "other-estimator.json")
    run([x if x != "3" else "22" for x in BASE] + ["--models", "1000", "--estimator",
                                                   "conditional", "--output", other["estimator"]])
    notsample = os.path.join(d, "exact.json")
    run(["exact", "--activation", "erf", "--d-in", "1", "--width", "6", "--at", "0.3;0.9",
         "--npt", "2,4", "--format", "json", "--output", notsample])
    for what, args, needle in (
            ("another width", [files[0], other["width"]], "width"),
            ("another --npt", [files[0], other["npt"]], "npt"),
            ("other inputs", [files[0], other["inputs"]], "inputs"),
            ("another estimator", [files[0], other["estimator"]], "estimator"),
            ("the same seed twice", [files[0], files[0]], "seed 11"),
            ("an exact result", [files[0], notsample], "not a result of neft sample"),
            ("one file", [files[0]], "at least two")):
        r = run(["merge"] + args)
        if r[0] != 2 or r[1] or needle not in r[2] or r[2].count("\n") != 1:
            fail("merge refuses %s: status %d, %r" % (what, r[0], r[2]))


def doc_example(d):
    """The example of docs/cmd-merge.md, run in a temporary directory."""
    doc = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "cmd-merge.md")
    cmds = [l[len("    $ neft "):] for l in open(doc).read().split("\n")
            if l.startswith("    $ neft ")]
    for c in cmds:
        args = [a.strip('"') for a in c.split()]
        p = subprocess.run([NEFT] + args, capture_output=True, cwd=d)
        if p.returncode != 0:
            fail("docs/cmd-merge.md: `neft %s`: %s" % (c, p.stderr.decode()))
            return
    a, b, ab = (json.load(open(os.path.join(d, f))) for f in ("a.json", "b.json", "ab.json"))
    N, want = combine([(a["models"], a), (b["models"], b)])
    if len(cmds) != 3 or ab["models"] != 400000 or ab["seeds"] != [1, 2] or any(
            c[w]["mean"] != x[w][0] or not close(c[w]["stderr"], x[w][1])
            for c, x in zip(ab["correlators"], want) for w in ("full", "connected")):
        fail("docs/cmd-merge.md: the example's merge is not as documented")


def main():
    with tempfile.TemporaryDirectory() as d:
        extend(d)
        merge(d)
    with tempfile.TemporaryDirectory() as d:
        doc_example(d)
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("ok")
    return 0


sys.exit(main())
