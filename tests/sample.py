#!/usr/bin/env python3
"""Tests of `neft sample` and `neft exact` (issue 4).

Usage: python3 tests/sample.py NEFT_BINARY RULES_DIR [--quick]   (cwd tests/)

- Sampled G2, G4c, G6c (and the full ones) agree with `neft exact` within 4
  standard errors for ReLU (sigma_b = 0 and > 0), Erf and GaussNet (d_in = 1, 2)
  at two widths.
- The standard errors are right: over repeated seeds, z = (sampled - exact)/stderr
  has mean square near 1 (coverage).
- `neft exact` against closed forms derived here independently: ReLU, sigma_b = 0,
  d_in = 1, one input x: N G4c = 15/4 sw^8 x^4, N^2 G6c = 165/2 sw^12 x^6; the
  arc-cosine kernel; the arcsine kernel of Erf; the GaussNet kernel.
- Deep ReLU, sigma_b = 0, one input: E[z^2] = C_W^L x^2 / (2^(L-1) d_in) exactly.
- Same seed, 1 vs 2 threads: identical output; interrupt + resume: identical.
- Bad input: exit 2, one line on stderr, nothing on stdout.
- The examples of docs/cmd-sample.md and docs/cmd-exact.md run as shown.
"""

import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time

import neftio

NEFT = sys.argv[1]
QUICK = "--quick" in sys.argv[3:]
failures = []


def fail(what):
    failures.append(what)
    print("FAIL:", what, flush=True)


def run(args, timeout=300):
    p = subprocess.run([NEFT] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def run_json(args):
    rc, out, err = run(args + ["--format", "json"])
    if rc != 0:
        raise SystemExit("neft %s failed (%d): %s" % (" ".join(args), rc, err))
    return json.loads(out)


def ball(b):
    return float(b["mid"]), float(b["rad"])


def by_key(doc):
    return {(c["npt"], tuple(c["indices"])): c for c in doc["correlators"]}


# ---------------------------------------------------------------- sampled vs exact
def compare(label, common, sample_extra, models, seed, sigmas=4.0):
    ex = by_key(run_json(["exact"] + common))
    sa_doc = run_json(["sample"] + common + sample_extra +
                      ["--models", str(models), "--seed", str(seed)])
    sa = by_key(sa_doc)
    if set(ex) != set(sa):
        fail("%s: exact and sample list different tuples" % label)
        return
    worst = 0.0
    for key, s in sa.items():
        for kind in ("full", "connected"):
            mid, rad = ball(ex[key][kind])
            if rad > 1e-10 * max(1.0, abs(mid)):
                fail("%s %s %s: exact ball too wide (%g +/- %g)" % (label, key, kind, mid, rad))
            m, se = s[kind]["mean"], s[kind]["stderr"]
            if key[0] == 2 and kind == "connected" and se == 0:
                continue
            z = abs(m - mid) / se
            worst = max(worst, z)
            if z > sigmas:
                fail("%s %s %s: sampled %.6g +/- %.2g, exact %.10g (%.1f sigma)"
                     % (label, key, kind, m, se, mid, z))
    # the connected signal must be resolved somewhere, or the test is empty
    resolved = sum(1 for key, s in sa.items() if key[0] >= 4 and
                   abs(ball(ex[key]["connected"])[0]) > 3 * s["connected"]["stderr"])
    if resolved == 0:
        fail("%s: no connected correlator resolved above 3 stderr; test too weak" % label)
    print("%-34s %3d tuples, worst %.2f sigma, %d connected resolved"
          % (label, len(sa), worst, resolved), flush=True)


# The sanitizer build (--quick) is several times slower: it keeps the models per
# run (the 6-point connected function at N = 12 needs them: its estimator is
# skewed, heavy-tailed) but checks the 6-point function at the small width only.
M = 400000
cases = [
    ("relu sb=0", ["--activation", "relu", "--d-in", "1", "--at", "0.2;0.5;1.0",
                   "--npt", "2,4,6"]),
    ("relu sb=0.5 sw=1.3", ["--activation", "relu", "--d-in", "1", "--sb", "0.5", "--sw", "1.3",
                            "--at", "-0.4;0.3;1.0", "--npt", "2,4,6"]),
    ("erf sb=0", ["--activation", "erf", "--d-in", "1", "--sw", "1.5", "--at", "0.3;-0.8;1.2",
                  "--npt", "2,4,6"]),
    ("gauss d_in=1", ["--activation", "gauss", "--d-in", "1", "--sb", "0.3",
                      "--at", "0.1;0.4;-0.3", "--npt", "2,4,6"]),
    ("gauss d_in=2", ["--activation", "gauss", "--d-in", "2", "--sw", "0.8", "--sb", "0.2",
                      "--at", "0.1,0.2;0.4,-0.1;-0.3,0.3", "--npt", "2,4,6"]),
]
for i, (label, common) in enumerate(cases):
    for width in (3, 12):
        args = common + ["--width", str(width)]
        if QUICK and width == 12:
            args = [a if a != "2,4,6" else "2,4" for a in args]
        compare("%s N=%d" % (label, width), args, [], M, seed=100 + 7 * i + width)

# erf with sigma_b > 0 uses the 2-D (polar) integration: one 4-point check, 2 points
compare("erf sb=0.4 N=4 (2-D integrals)", ["--activation", "erf", "--d-in", "1", "--sb", "0.4",
                                           "--at", "0.5;1.0", "--npt", "2,4", "--width", "4"],
        [], M, seed=5)

# ---------------------------------------------------------------- coverage of stderr
def coverage():
    """Over repeated seeds: the spread of the estimates equals the root mean
    square of the reported standard errors (what the jackknife variance
    estimates), the estimates average to the exact value, and for the nearly
    Gaussian 2- and 4-point estimators |z| < 1, 2 in about 68%, 95% of runs.
    (The 6-point estimator is skewed and its standard error noisy, so its z
    has heavier tails than a Gaussian; its variance is still right.)"""
    common = ["--activation", "relu", "--d-in", "1", "--sb", "0.2", "--at", "0.5;1.0",
              "--npt", "2,4,6", "--width", "4"]
    ex = by_key(run_json(["exact"] + common))
    keys = [(2, (0, 1)), (4, (0, 0, 1, 1)), (6, (0, 0, 0, 1, 1, 1))]
    seeds = 24 if QUICK else 48
    est = {k: [] for k in keys}
    ses = {k: [] for k in keys}
    for seed in range(1000, 1000 + seeds):
        sa = by_key(run_json(["sample"] + common + ["--models", "40000", "--seed", str(seed)]))
        for k in keys:
            kind = "full" if k[0] == 2 else "connected"
            est[k].append(sa[k][kind]["mean"])
            ses[k].append(sa[k][kind]["stderr"])
    for k in keys:
        kind = "full" if k[0] == 2 else "connected"
        exact = ball(ex[k][kind])[0]
        mean = sum(est[k]) / seeds
        sd = math.sqrt(sum((e - mean) ** 2 for e in est[k]) / (seeds - 1))
        rms = math.sqrt(sum(v * v for v in ses[k]) / seeds)
        z = [(e - exact) / v for e, v in zip(est[k], ses[k])]
        in1 = sum(1 for v in z if abs(v) < 1) / seeds
        in2 = sum(1 for v in z if abs(v) < 2) / seeds
        print("coverage %-22s sd/rms(stderr) = %.2f, mean off by %.1f sd/sqrt(n), "
              "|z|<1 %.0f%%, |z|<2 %.0f%%" % (k, sd / rms, (mean - exact) / (sd / math.sqrt(seeds)),
                                               100 * in1, 100 * in2), flush=True)
        if not (0.6 < sd / rms < 1.6):
            fail("stderr of %s: spread of estimates %.3g, rms stderr %.3g" % (k, sd, rms))
        if abs(mean - exact) > 4 * sd / math.sqrt(seeds):
            fail("estimates of %s average %.6g, exact %.6g" % (k, mean, exact))
        if k[0] < 6 and (not (0.45 < in1 < 0.9) or in2 < 0.8):
            fail("coverage of %s: |z|<1 in %.0f%%, |z|<2 in %.0f%%" % (k, 100 * in1, 100 * in2))


coverage()

# ---------------------------------------------------------------- closed forms
def closed_forms():
    for sw, x, N in ((1.0, 1.0, 1), (0.7, 1.3, 5), (1.2, -0.6, 3)):
        doc = by_key(run_json(["exact", "--activation", "relu", "--width", str(N), "--sw", str(sw),
                               "--at", str(x), "--npt", "2,4,6"]))
        # W0 ~ N(0, sw^2): E[relu(W0 x)^k] = |x|^k sw^k (k-1)!!/2
        want = {2: sw ** 4 * x ** 2 / 2, 4: 15 / 4 * sw ** 8 * x ** 4 / N,
                6: 165 / 2 * sw ** 12 * x ** 6 / N ** 2}
        for n, w in want.items():
            mid, rad = ball(doc[(n, (0,) * n)]["connected"])
            if abs(mid - w) > rad + 1e-15 * abs(w):
                fail("relu closed form n=%d sw=%g x=%g N=%d: %r vs %r" % (n, sw, x, N, mid, w))
    # arc-cosine (Cho-Saul), arcsine (Williams) and GaussNet kernels
    sw, sb, xs = 1.1, 0.6, [0.3, -0.7, 1.4]
    at = ";".join(map(str, xs))
    k = lambda a, b: sb * sb + sw * sw * a * b
    for act in ("relu", "erf", "gauss"):
        doc = by_key(run_json(["exact", "--activation", act, "--width", "7", "--sw", str(sw),
                               "--sb", str(sb), "--at", at, "--npt", "2"]))
        for i in range(3):
            for j in range(i, 3):
                kaa, kbb, kab = k(xs[i], xs[i]), k(xs[j], xs[j]), k(xs[i], xs[j])
                if act == "relu":
                    c = max(-1.0, min(1.0, kab / math.sqrt(kaa * kbb)))
                    th = math.acos(c)
                    m2 = math.sqrt(kaa * kbb) / (2 * math.pi) * (math.sin(th) + (math.pi - th) * c)
                elif act == "erf":
                    m2 = 2 / math.pi * math.asin(2 * kab / math.sqrt((1 + 2 * kaa) * (1 + 2 * kbb)))
                else:
                    m2 = math.exp(-sw * sw * (xs[i] - xs[j]) ** 2 / 2)
                want = sb * sb + sw * sw * m2
                mid, rad = ball(doc[(2, (i, j))]["full"])
                if abs(mid - want) > rad + 1e-13:
                    fail("%s kernel K(%g,%g): %r vs %r" % (act, xs[i], xs[j], mid, want))


closed_forms()

# ---------------------------------------------------------------- deep nets
def deep():
    x, cw = 0.8, 1.7
    for L in (3, 4):
        doc = by_key(run_json(["sample", "--activation", "relu", "--d-in", "1", "--depth", str(L),
                               "--widths", ",".join(["6"] * (L - 1)), "--cw", str(cw),
                               "--cb", "0", "--at", str(x), "--npt", "2,4",
                               "--models", "200000", "--seed", "3"]))
        want = cw ** L * x * x / 2 ** (L - 1)
        s = doc[(2, (0, 0))]["full"]
        z = (s["mean"] - want) / s["stderr"]
        print("deep relu L=%d: E[z^2] = %.5g +/- %.2g, exact %.5g (%.1f sigma)"
              % (L, s["mean"], s["stderr"], want, z), flush=True)
        if abs(z) > 4:
            fail("deep relu L=%d: E[z^2] %g +/- %g vs %g" % (L, s["mean"], s["stderr"], want))
    # depth 2 with --cw/--cb is the HMS net with sw^2, sb^2: bit-identical
    a = run(["sample", "--activation", "tanh", "--d-in", "1", "--width", "5", "--sw", "1.5",
             "--sb", "0.5", "--at", "0.1;0.9", "--models", "2000", "--seed", "9"])
    b = run(["sample", "--activation", "tanh", "--d-in", "1", "--depth", "2", "--widths", "5",
             "--cw", "2.25", "--cb", "0.25", "--at", "0.1;0.9", "--models", "2000", "--seed", "9"])
    strip = lambda s: "\n".join(l for l in s.splitlines() if not l.startswith("#"))
    if a[0] != 0 or strip(a[1]) != strip(b[1]):
        fail("depth 2 with --cw/--cb differs from --sw/--sb")


deep()

# ---------------------------------------------------------------- reproducibility
done_batches = neftio.checkpoint_models


def reproducible():
    base = ["sample", "--activation", "relu", "--d-in", "1", "--width", "20", "--at",
            "0.2;0.4;0.6;0.8;1.0;1.2", "--npt", "2,4,6", "--seed", "42", "--format", "json"]
    small = base + ["--models", "30000"]
    r1 = run(small + ["--threads", "1"])
    r2 = run(small + ["--threads", "2"])
    if r1[0] != 0 or r1[1] != r2[1]:
        fail("1 vs 2 threads: outputs differ")
    # interrupt + resume: SIGINT once a checkpoint with finished batches is on disk;
    # should the run finish first (a fast machine), retry with more models
    with tempfile.TemporaryDirectory() as d:
        ck = os.path.join(d, "ck")
        for models in ("1000000", "4000000"):
            big = base + ["--models", models]
            if os.path.exists(ck):
                os.remove(ck)
            p = subprocess.Popen([NEFT] + big + ["--threads", "2", "--checkpoint", ck,
                                                 "--checkpoint-interval", "0.02"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            t0 = time.time()
            while done_batches(ck) == 0 and p.poll() is None and time.time() - t0 < 60:
                time.sleep(0.002)
            saved = done_batches(ck)
            p.send_signal(signal.SIGINT)
            out, err = p.communicate(timeout=300)
            if p.returncode == 130:
                break
            if p.returncode != 0:
                fail("interrupted run: status %d, %s" % (p.returncode, err.decode()))
                return
        if p.returncode != 130:
            fail("could not interrupt a run (it always finished first)")
            return
        if out or not os.path.exists(ck) or "resume" not in err.decode():
            fail("interrupted run: expected a saved checkpoint, no output, a message")
        print("interrupt: stopped with %d models saved, then %d (of %s models)"
              % (saved, done_batches(ck), models), flush=True)
        if not 0 < done_batches(ck) < int(models):
            fail("interrupted checkpoint should hold some but not all models")
        ref = run(big + ["--threads", "2"])
        r = run(big + ["--threads", "1", "--checkpoint", ck])
        if r[0] != 0 or r[1] != ref[1]:
            fail("resumed run differs from the uninterrupted one")
        # rerun of a finished run: same answer from the checkpoint
        r = run(big + ["--threads", "2", "--checkpoint", ck])
        if r[0] != 0 or r[1] != ref[1]:
            fail("rerun from a finished checkpoint differs")
        # a checkpoint of another configuration is refused
        other = [a if a != "42" else "43" for a in big]
        rc, out, err = run(other + ["--checkpoint", ck])
        if rc != 2 or out or "different configuration" not in err or "seed" not in err:
            fail("foreign checkpoint: status %d, stderr %r" % (rc, err))
        # truncated and garbage checkpoints
        data = open(ck, "rb").read()
        for name, content in (("trunc", data[: len(data) // 2]), ("garbage", b"\x00\x01hello"),
                              ("empty", b"")):
            path = os.path.join(d, name)
            open(path, "wb").write(content)
            rc, out, err = run(big + ["--checkpoint", path])
            if rc != 2 or out or len(err.splitlines()) != 1:
                fail("bad checkpoint %s: status %d, stderr %r" % (name, rc, err))
        rc, out, err = run(big + ["--checkpoint", d])
        if rc != 2 or out or len(err.splitlines()) != 1:
            fail("directory as checkpoint: status %d, stderr %r" % (rc, err))


reproducible()

# ---------------------------------------------------------------- bad input
def bad_input():
    ok = ["--activation", "relu", "--d-in", "1", "--width", "5", "--at", "0.1;0.2"]
    cases = [
        (["sample"] + ok[:4] + ["--width", "0", "--at", "1", "--models", "1000"], "--width"),
        (["sample", "--activation", "softmax", "--width", "5", "--at", "1", "--models", "1000"],
         "activation"),
        (["sample"] + ok[:6] + ["--at", "0.1;;0.3", "--models", "1000"], "--at"),
        (["sample"] + ok[:6] + ["--at", "0.1;abc", "--models", "1000"], "--at"),
        (["sample"] + ok[:2] + ok[4:6] + ["--at", "0.1,0.2;0.3", "--d-in", "2", "--models", "1000"],
         "--at"),
        (["sample"] + ok[:6] + ["--at", "nan", "--models", "1000"], "--at"),
        (["sample"] + ok + ["--models", "10"], "--models"),
        (["sample"] + ok + ["--models", "1000", "--npt", "3"], "--npt"),
        (["sample"] + ok + ["--models", "1000", "--sw", "-1"], "--sw"),
        (["sample"] + ok + ["--models", "1000", "--bogus", "1"], "--bogus"),
        (["sample"] + ok, "--models"),
        (["sample"] + ok + ["--models", "1000", "--depth", "3", "--widths", "4"], "--widths"),
        (["sample"] + ok + ["--models", "1000", "--checkpoint", "/nonexistent-dir/x/ck"], None),
        (["exact"] + ok[:4] + ["--width", "0", "--at", "1"], "--width"),
        (["exact", "--activation", "nosuch", "--width", "2", "--at", "1"], "activation"),
        (["exact"] + ok[:6] + ["--at", "1;", "--npt", "2"], "--at"),
        (["exact"] + ok + ["--npt", "5"], "--npt"),
    ]
    for args, mention in cases:
        rc, out, err = run(args)
        lines = err.splitlines()
        if mention is None:
            # a checkpoint that cannot be written: runtime failure, status 1
            if rc != 1 or len(lines) != 1:
                fail("neft %s: expected status 1 and one line, got %d %r" % (" ".join(args), rc, err))
            continue
        if rc != 2 or out or len(lines) != 1 or not lines[0].startswith("neft: ") \
                or mention not in lines[0]:
            fail("neft %s: expected status 2, one line mentioning %r; got %d %r %r"
                 % (" ".join(args), mention, rc, out[:80], err))


bad_input()

# ---------------------------------------------------------------- documented examples
def doc_examples():
    for doc in ("../docs/cmd-sample.md", "../docs/cmd-exact.md"):
        text = open(doc).read().split("\n")
        for i, line in enumerate(text):
            if line.startswith("    $ neft "):
                args = line[len("    $ neft "):].split()
                args = [a.strip('"') for a in args]
                rc, out, err = run(args)
                expect = []
                for l in text[i + 1:]:
                    if not l.startswith("    ") or l.startswith("    $ "):
                        break
                    expect.append(l[4:])
                if rc != 0:
                    fail("%s: example `neft %s` failed: %s" % (doc, " ".join(args), err))
                elif expect and out.splitlines()[: len(expect)] != expect:
                    fail("%s: example `neft %s` prints\n%s\nnot\n%s"
                         % (doc, " ".join(args), "\n".join(out.splitlines()[: len(expect)]),
                            "\n".join(expect)))


doc_examples()

if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("all sample/exact tests passed")
