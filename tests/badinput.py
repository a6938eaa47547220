#!/usr/bin/env python3
"""Bad-input matrix: every command (diagrams, sample, exact, onen, eval, fit,
validate; train's --c-rtol) given malformed or hostile input -- empty file, binary garbage,
huge numbers, negative widths, NaN/inf points and cutoffs, order 10^9, a huge
point list, a missing or unreadable path, a directory instead of a file,
JSON data of the wrong shape or truncated, a truncated or corrupt
checkpoint, a report directory that cannot be written.

Usage: python3 tests/badinput.py NEFT_BINARY RULES_DIR   (working directory tests/)

Each case must end within its timeout with the expected exit status (2 for
bad input, 1 for a runtime failure), no signal, nothing on stdout and exactly
one line on stderr that starts with "neft: " or names the file ("PATH:" or
"PATH:LINE:").  A checkpoint refused on resume must be left byte-identical.
"""

import json
import os
import subprocess
import sys
import tempfile

neft = sys.argv[1]
TIMEOUT = 120           # the sanitizer build is several times slower
failures = []
count = 0


def run(args, status, name, prefix=None):
    global count
    count += 1
    try:
        p = subprocess.run([neft] + args, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        failures.append(f"{name}: no answer within {TIMEOUT} s (hang)")
        return
    err = p.stderr.decode("utf-8", "replace")
    lines = err.splitlines()
    if p.returncode < 0:
        failures.append(f"{name}: killed by signal {-p.returncode}: {err[-400:]}")
    elif p.returncode != status:
        failures.append(f"{name}: exit status {p.returncode}, expected {status}: {err[-300:]}")
    elif p.stdout:
        failures.append(f"{name}: printed on stdout: {p.stdout[:100]!r}")
    elif len(lines) != 1:
        failures.append(f"{name}: expected one line on stderr, got {len(lines)}: {err[-300:]}")
    elif not lines[0].startswith(prefix or "neft: "):
        failures.append(f"{name}: message does not start with {prefix or 'neft: '!r}: {lines[0]}")


with tempfile.TemporaryDirectory() as tmp:
    def path(name, data):
        p = os.path.join(tmp, name)
        with open(p, "wb") as fh:
            fh.write(data)
        return p

    empty = path("empty", b"")
    garbage = path("garbage", bytes((i * 167 + 13) % 256 for i in range(4096)))
    missing = os.path.join(tmp, "no-such-file")
    directory = os.path.join(tmp, "adir")
    os.mkdir(directory)
    huge = "9" * 40

    # --- diagrams
    for name, f in (("empty", empty), ("garbage", garbage), ("missing", missing),
                    ("directory", directory)):
        run(["diagrams", f, "-n", "2", "-o", "1"], 2, f"diagrams {name} rules", prefix=f + ":")
    for name, args in (("huge -n", ["-n", huge, "-o", "1"]),
                       ("negative -n", ["-n", "-2", "-o", "1"]),
                       ("order 1e9", ["-n", "2", "-o", "1000000000"]),
                       ("order not a number", ["-n", "2", "-o", "1e3"]),
                       ("max-terms 0", ["-n", "4", "-o", "1", "--max-terms", "0"]),
                       # odd n, even couplings: Bell(17) groupings, no diagram
                       ("n 17 budget", ["-n", "17", "-o", "1", "--max-terms", "100"]),
                       ("n 30 budget", ["-n", "30", "-o", "1"]),
                       ("unknown format", ["-n", "2", "-o", "1", "--format", "\x01"])):
        run(["diagrams"] + args, 2, f"diagrams {name}")

    # --- sample
    base = ["--activation", "relu", "--width", "2", "--models", "512", "--threads", "1"]
    many = ";".join(["0.5"] * 30000)      # one argument stays below 128 KiB
    for name, args, st in (
            ("negative width", ["--width", "-3", "--at", "1"], 2),
            ("huge width", ["--width", huge, "--at", "1"], 2),
            ("nan point", ["--at", "nan"], 2),
            ("inf point", ["--at", "0.5;inf"], 2),
            ("huge point", ["--at", "1e999"], 2),
            ("empty point", ["--at", "0.5;;1"], 2),
            ("many points", ["--at", many], 2),
            ("models 1e18", ["--at", "1", "--models", "1000000000000000000"], 2),
            ("depth 1e9", ["--at", "1", "--depth", "1000000000"], 2),
            ("d-in 0", ["--at", "1", "--d-in", "0"], 2),
            ("nan sw", ["--at", "1", "--sw", "nan"], 2),
            ("checkpoint directory", ["--at", "1", "--checkpoint", directory], 2),
            ("checkpoint empty", ["--at", "1", "--checkpoint", empty], 2),
            ("checkpoint garbage", ["--at", "1", "--checkpoint", garbage], 2),
            ("checkpoint unwritable", ["--at", "1", "--checkpoint",
                                       os.path.join(missing, "ckpt")], 1)):
        run(["sample"] + base + args, st, f"sample {name}")

    # a real checkpoint, then truncated and corrupted copies: refused, untouched
    good = os.path.join(tmp, "good.ckpt")
    spec = ["sample"] + base + ["--at", "0.5;-1", "--npt", "2,4", "--seed", "3"]
    p = subprocess.run([neft] + spec + ["--checkpoint", good], capture_output=True,
                       timeout=TIMEOUT)
    if p.returncode != 0 or not os.path.exists(good):
        failures.append(f"sample: the reference run failed: {p.stderr[-300:]!r}")
    else:
        data = open(good, "rb").read()
        # (format 2: after the crc32c line; format 1: after the batches line)
        header = data.index(b"\ncrc32c " if b"\ncrc32c " in data else b"\nbatches ") + 1
        header = data.index(b"\n", header) + 1      # first batch record
        variants = {
            "truncated": data[:len(data) // 2],
            "no end marker": data[:-4],
            "trailing junk": data + b"x",
            # a finished batch claiming fewer models (found by fuzz-checkpoint)
            "short count": data[:header + 1] + (1).to_bytes(8, sys.byteorder)
                           + data[header + 9:],
            "done byte 7": data[:header] + b"\x07" + data[header + 1:],
        }
        for name, d in variants.items():
            f = path("ckpt-" + name.replace(" ", "-"), d)
            run(spec + ["--checkpoint", f], 2, f"sample checkpoint {name}")
            if open(f, "rb").read() != d:
                failures.append(f"sample checkpoint {name}: the refused checkpoint was changed")

    # --- exact
    base = ["--activation", "erf", "--width", "3"]
    for name, args in (("negative width", ["--width", "-1", "--at", "1"]),
                       ("huge width", ["--width", huge, "--at", "1"]),
                       ("nan point", ["--at", "nan"]),
                       ("inf point", ["--at", "inf"]),
                       ("many points", ["--at", many]),
                       ("prec 1e9", ["--at", "1", "--prec", "1000000000"]),
                       ("d-in huge", ["--at", "1", "--d-in", huge])):
        run(["exact"] + base + args, 2, f"exact {name}")

    # --- onen
    base = ["--activation", "tanh", "--cw", "1", "--cb", "0", "--width", "10"]
    for name, args in (("depth 1e9", ["--depth", "1000000000", "--k1", "1"]),
                       ("negative width", ["--depth", "3", "--k1", "1", "--width", "-5"]),
                       ("nan k1", ["--depth", "3", "--k1", "nan"]),
                       ("inf point", ["--depth", "3", "--at", "inf", "--d-in", "1"]),
                       # 1e999 is a valid exact rational for onen; 10^(10^9) is not
                       ("huge cw", ["--depth", "3", "--k1", "1", "--cw", "1e999999999"]),
                       ("negative cw", ["--depth", "3", "--k1", "1", "--cw", "-1"]),
                       ("ddntk without ntk", ["--depth", "2", "--k1", "1", "--ddntk"]),
                       ("ddntk without order", ["--depth", "2", "--k1", "1", "--ntk",
                                                "--ddntk"])):
        run(["onen"] + base + args, 2, f"onen {name}")
    # --ddntk where it is not computed: exit 3 before any output
    for name, args in (("ddntk gelu", ["--activation", "gelu"] + base[2:] + ["--depth", "2",
                                                                             "--k1", "1"]),
                       ("ddntk five tanh inputs", base + ["--depth", "2", "--at", "1;2;3;4;5",
                                                          "--d-in", "1"])):
        run(["onen", "--ntk", "--order", "1", "--ddntk"] + args, 3, f"onen {name}")
    for name, f in (("empty", empty), ("garbage", garbage), ("missing", missing),
                    ("directory", directory)):
        run(["onen"] + base + ["--depth", "3", "--k1", "1", "--compare-samples", f], 2,
            f"onen compare-samples {name}", prefix=None)

    # unreadable paths that stay unreadable as root: a path through a regular
    # file (ENOTDIR) and a file that opens but fails to read (EIO)
    notdir = os.path.join(empty, "child")
    unreadable = [("not a directory", notdir)]
    if os.path.exists("/proc/self/mem"):
        unreadable.append(("read error", "/proc/self/mem"))
    if os.geteuid() != 0:
        locked = path("locked", b"name x\n")
        os.chmod(locked, 0)
        unreadable.append(("mode 000", locked))
    files = [("empty", empty), ("garbage", garbage), ("missing", missing),
             ("directory", directory)] + unreadable
    points = ";".join(["0.5"] * 30000)          # one argument stays below 128 KiB

    # --- eval
    base = ["-n", "2", "-o", "0", "--kernel", "relu", "--cutoff", "1", "--at", "0.5;1"]
    for name, f in files:
        run(["eval", f] + base, 2, f"eval {name} rules", prefix=f + ":")
    for name, args in (("huge -n", ["-n", huge]),
                       ("negative -n", ["-n", "-2"]),
                       ("order 1e9", ["-o", "1000000000"]),
                       ("huge d-in", ["--d-in", huge]),
                       ("negative d-in", ["--d-in", "-1"]),
                       ("prec 1e9", ["--prec", "1000000000"]),
                       ("nan point", ["--at", "nan;1"]),
                       ("inf point", ["--at", "0.5;inf"]),
                       ("empty point", ["--at", "0.5;"]),
                       ("many points", ["--at", points]),
                       ("nan cutoff", ["--cutoff", "nan"]),
                       ("-inf cutoff", ["--cutoff", "-inf"]),
                       ("negative cutoff", ["--cutoff", "-1"]),
                       ("zero cutoff", ["--cutoff", "0"]),
                       ("cutoff beyond a double", ["--cutoff", "1e99999999999"]),
                       ("cutoff below a double", ["--cutoff", "1e-99999999999"]),
                       ("nan sw", ["--sw", "nan"]),
                       ("inf sb", ["--sb", "inf"]),
                       ("nan coupling", ["-o", "1", "--set", "lambda=nan,kappa=0"]),
                       ("unknown kernel", ["--kernel", "\x01"])):
        run(["eval"] + base + args, 2, f"eval {name}")
    # the term budget exceeded while vacuum pieces were being collected (their
    # list leaked; found by fuzz-cli; the ASan build's leak check fails it)
    tiny = path("tiny.rules", b"name tiny\ncoupling g legs 3 weight 1/6\n"
                b"coupling lambda legs 4 weight 1/2\n")
    run(["eval", tiny, "-n", "1", "-o", "4", "--kernel", "erf", "--cutoff", "2", "--set",
         "g=1,lambda=0", "--at", "0.5", "--max-terms", "50"], 2, "eval vacuum pieces over budget")

    # --- fit: data files from neft exact and neft sample, then broken copies
    exact_json = path("exact.json", subprocess.run(
        [neft, "exact", "--activation", "relu", "--d-in", "1", "--width", "20", "--at",
         "0.2;0.7;1.2", "--npt", "2,4", "--format", "json"],
        capture_output=True, timeout=TIMEOUT).stdout)
    sample_json = path("sample.json", subprocess.run(
        [neft, "sample", "--activation", "relu", "--d-in", "1", "--width", "20", "--at",
         "0.2;0.7", "--npt", "2,4", "--models", "1024", "--threads", "1", "--format", "json"],
        capture_output=True, timeout=TIMEOUT).stdout)
    p = subprocess.run([neft, "fit", exact_json], capture_output=True, timeout=TIMEOUT)
    if p.returncode != 0:
        failures.append(f"fit: the reference fit failed: {p.stderr[-300:]!r}")
    count += 1
    good = open(exact_json, "rb").read()
    sampled = open(sample_json, "rb").read()

    def edit(data, fn, keep_digest=False):
        """The JSON document data changed by fn (on the parsed value), as bytes;
        a hand edit, so without neft's digest unless keep_digest."""
        doc = json.loads(data)
        if not keep_digest:
            doc.pop("digest", None)
        fn(doc)
        return json.dumps(doc).encode()

    def c4(doc):
        """The first 4-point correlator of a data document."""
        return next(c for c in doc["correlators"] if c["npt"] == 4)

    def setitem(get, key, value):
        return lambda doc: get(doc).__setitem__(key, value)

    big = {"inputs": [[0.5]] * 100000, "correlators": [
        {"npt": 4, "indices": [0, 0, 0, 100000], "connected": {"mid": "1", "rad": "0"}}]}
    shapes = {
        "array": b"[]",
        "object": b"{}",
        "string": b'"neft"',
        "truncated": good[:len(good) // 2],
        "trailing comma": good.rstrip()[:-2] + b",]}",
        "bad escape": good.replace(b'"relu"', b'"re\\\nlu"'),
        "control character": good.replace(b'"relu"', b'"re\x01lu"'),
        "deep nesting": b"[" * 100000 + b"]" * 100000,
        "inputs not an array": edit(good, setitem(lambda d: d, "inputs", 5)),
        "inputs ragged": edit(good, setitem(lambda d: d, "inputs", [[0.2], [0.7, 1], [1.2]])),
        "inputs empty points": edit(good, setitem(lambda d: d, "inputs", [[], [], []])),
        "input a string": edit(good, setitem(lambda d: d["inputs"], 0, ["0.2"])),
        "input nan": edit(good, setitem(lambda d: d["inputs"], 0, [{"mid": "nan", "rad": "0"}])),
        "d_in mismatch": edit(good, setitem(lambda d: d, "d_in", 2)),
        "no correlators": edit(good, lambda d: d.pop("correlators")),
        "correlators an object": edit(good, setitem(lambda d: d, "correlators", {})),
        "no 4-point": edit(good, lambda d: [c.__setitem__("npt", 6) for c in d["correlators"]]),
        "indices too few": edit(good, setitem(c4, "indices", [0, 0, 0])),
        "indices out of range": edit(good, setitem(c4, "indices", [0, 0, 0, 3])),
        "indices unsorted": edit(good, setitem(c4, "indices", [0, 0, 1, 0])),
        "indices negative": edit(good, setitem(c4, "indices", [0, 0, 0, -1])),
        "indices fractional": edit(good, setitem(c4, "indices", [0, 0, 0, 0.5])),
        "indices huge": edit(good, setitem(c4, "indices", [0, 0, 0, 1e300])),
        "indices strings": edit(good, setitem(c4, "indices", ["0", "0", "0", "0"])),
        "value missing": edit(good, lambda d: c4(d).pop("connected")),
        "value nan": edit(good, setitem(c4, "connected", {"mid": "nan", "rad": "0"})),
        "value inf": edit(good, setitem(c4, "connected", {"mid": "inf", "rad": "0"})),
        "radius negative": edit(good, setitem(c4, "connected", {"mid": "1", "rad": "-1"})),
        "radius not a number": edit(good, setitem(c4, "connected", {"mid": "1", "rad": "x"})),
        "sw nan": edit(good, setitem(lambda d: d, "sw", {"mid": "nan", "rad": "0"})),
        "sw negative": edit(good, setitem(lambda d: d, "sw", -1)),
        "sw a string": edit(good, setitem(lambda d: d, "sw", "one")),
        "sb negative": edit(good, setitem(lambda d: d, "sb", -1)),
        "activation not a string": edit(good, setitem(lambda d: d, "activation", 5)),
        "activation with a newline": edit(good, setitem(lambda d: d, "activation", "re\nlu")),
        "mixed sampled and exact": edit(good, setitem(c4, "connected", {"mean": 1, "stderr": 1})),
        "stderr zero": edit(sampled, lambda d: c4(d)["connected"].__setitem__("stderr", 0)),
        "stderr negative": edit(sampled, lambda d: c4(d)["connected"].__setitem__("stderr", -1)),
        "stderr missing": edit(sampled, lambda d: c4(d)["connected"].pop("stderr")),
        "mean a string": edit(sampled, lambda d: c4(d)["connected"].__setitem__("mean", "1")),
        "many points": json.dumps(big).encode(),
        # issue 23.4: entries that do not add up, and a digest that does not match
        "npt 2 with 4 indices": edit(good, lambda d: d["correlators"][0].__setitem__(
            "indices", [0, 0, 0, 0])),
        "tuple twice": edit(good, lambda d: d["correlators"].append(dict(c4(d)))),
        "tuple missing": edit(good, lambda d: d["correlators"].remove(c4(d))),
        "2-point tuple missing": edit(good, lambda d: d["correlators"].pop(0)),
        "npt 0": edit(good, lambda d: d["correlators"][0].__setitem__("npt", 0)),
        "mean inf": edit(sampled, lambda d: c4(d)["connected"].__setitem__("mean", 1e999)),
        "full stderr negative": edit(sampled, lambda d: c4(d)["full"].__setitem__("stderr", -1)),
        "digest mismatch": edit(good, setitem(c4, "connected", {"mid": "1", "rad": "0"}),
                                keep_digest=True),
        "digest malformed": edit(good, setitem(lambda d: d, "digest", "fnv1a64:xyz"),
                                 keep_digest=True),
        "digest not neft's place": edit(good, lambda d: None, keep_digest=True),
    }
    for name, d in shapes.items():
        if d in (good, sampled):
            failures.append(f"fit data {name}: the test did not change the file")
        f = path("fit-" + name.replace(" ", "-") + ".json", d)
        run(["fit", f], 2, f"fit data {name}", prefix="neft: " + f + ":")
    # huge exponents are exact decimals (as in neft eval): a fit, quickly
    # (a hand edit: the digest no longer matches, --ignore-digest reads it; a
    # hand-edited file without a digest is read as it is)
    for name, d, extra in (("input huge", good.replace(b"[0.2]", b"[1e999999999]"),
                            ["--ignore-digest"]),
                           ("sw huge", good.replace(b'"sw": 1', b'"sw": 1e999999999'),
                            ["--ignore-digest"]),
                           ("without digest", edit(good, lambda d: None), []),
                           ("digest mismatch ignored",
                            edit(good, setitem(c4, "connected", {"mid": "1", "rad": "0"}),
                                 keep_digest=True), ["--ignore-digest"])):
        f = path("fit-" + name.replace(" ", "-") + ".json", d)
        count += 1
        try:
            p = subprocess.run([neft, "fit", f] + extra, capture_output=True, timeout=TIMEOUT)
            if p.returncode != 0:
                failures.append(f"fit data {name}: exit status {p.returncode}: {p.stderr[-300:]!r}")
        except subprocess.TimeoutExpired:
            failures.append(f"fit data {name}: no answer within {TIMEOUT} s (hang)")
    for name, f in files:
        run(["fit", f], 2, f"fit {name} data", prefix="neft: " + f + ":")
        run(["fit", exact_json, f], 2, f"fit {name} rules", prefix=f + ":")
    for name, args in (("nan cutoff", ["--cutoff", "nan"]),
                       ("inf and nan cutoffs", ["--cutoff", "1,inf,nan"]),
                       ("cutoff 1e999999999", ["--cutoff", "1,1e999999999x"]),
                       ("cutoff beyond a double", ["--cutoff", "1,1e99999999999"]),
                       ("negative cutoff", ["--cutoff", "-1"]),
                       ("empty cutoffs", ["--cutoff", ",,"]),
                       ("65 cutoffs", ["--cutoff", ",".join(["1"] * 65)]),
                       ("npt 9", ["--npt", "9"]),
                       ("npt huge", ["--npt", huge]),
                       ("prec 1e9", ["--prec", "1000000000"]),
                       ("nan coupling", ["--set", "lambda=nan"]),
                       ("unknown coupling", ["--fit", "nosuch"]),
                       ("unknown kernel", ["--kernel", "\x01"])):
        run(["fit", exact_json] + args, 2, f"fit {name}")
    # an integral neft cannot do (relu, infinite cutoff): a runtime failure
    # after the first cutoff worked, and still nothing on stdout
    run(["fit", exact_json, "--cutoff", "1,inf"], 1, "fit relu at cutoff inf")

    # --- validate (bad input is refused before any progress line)
    out = os.path.join(tmp, "report")
    base = ["--quick", "--models", "512", "--threads", "1", "--out", out]
    for name, args in (("nan point", ["--at", "nan"]),
                       ("inf point", ["--at", "0.5;inf"]),
                       ("huge point", ["--at", "1e999"]),
                       ("many points", ["--at", points]),
                       ("33 points", ["--at", ";".join(["0.5"] * 33)]),
                       ("d-in 5", ["--d-in", "5"]),
                       # d_in 1 to 3 have the families' points (docs/cmd-validate.md)
                       ("d-in 4 without points", ["--d-in", "4"]),
                       ("d-in 2 with 1-D points", ["--d-in", "2", "--at", "0.5;1"]),
                       ("negative width", ["--widths", "-3"]),
                       ("huge width", ["--widths", huge]),
                       ("zero width", ["--widths", "0,5"]),
                       ("33 widths", ["--widths", ",".join(["5"] * 33)]),
                       ("fit width not among widths", ["--widths", "5", "--fit-width", "7"]),
                       ("negative models", ["--models", "-1"]),
                       ("models 100", ["--models", "100"]),
                       ("huge models", ["--models", huge]),
                       ("nan cutoff", ["--cutoffs", "1,nan"]),
                       ("inf cutoff", ["--cutoffs", "inf"]),
                       ("negative cutoff", ["--cutoffs", "-1"]),
                       ("nan sw", ["--sw", "nan"]),
                       ("negative sb", ["--sb", "-1"]),
                       ("prec 1e9", ["--prec", "1000000000"]),
                       ("negative threads", ["--threads", "-1"]),
                       ("stray argument", ["x"])):
        run(["validate"] + base + args, 2, f"validate {name}")
    # an activation without a closed-form GP kernel: unsupported (issue 15)
    run(["validate"] + base + ["--activation", "tanh"], 3, "validate tanh")
    for name, f in (("file", empty), ("missing parent", os.path.join(missing, "r")),
                    ("through a file", notdir)):
        run(["validate"] + base[:-1] + [f], 2, f"validate --out {name}")
    if os.path.exists(out):
        failures.append("validate: a refused run created its report directory")

    # --- onen --compare-samples: JSON of the wrong shape (the reader was a
    # second, lenient JSON parser: a stack overflow on deep nesting, NaN and
    # out-of-range indices read as numbers)
    cbase = ["onen", "--activation", "relu", "--cw", "1", "--cb", "0", "--depth", "2",
             "--width", "20", "--compare-samples"]
    for name, d in (("deep nesting", b'{"x": ' + b"[" * 1000000 + b"]" * 1000000 + b"}"),
                    ("nan", sampled.replace(b"[0.20000000000000001]", b"[nan]")),
                    ("input huge", sampled.replace(b"[0.20000000000000001]", b"[1e999]")),
                    ("models huge", edit(sampled, setitem(lambda d: d, "models", 1e300))),
                    ("inputs ragged", edit(sampled, setitem(lambda d: d, "inputs",
                                                            [[0.2], [0.7, 1]]))),
                    ("indices huge", edit(sampled, setitem(c4, "indices", [0, 0, 0, 1e300]))),
                    ("indices unsorted", edit(sampled, setitem(c4, "indices", [0, 1, 0, 1]))),
                    ("npt 9", edit(sampled, setitem(c4, "npt", 9))),
                    ("stderr missing", edit(sampled,
                                            lambda d: c4(d)["connected"].pop("stderr"))),
                    ("truncated", sampled[:len(sampled) // 2]),
                    ("nul byte", sampled.replace(b"[0.20000000000000001]", b"[0.2\0]")),
                    # issue 23.4: the same checks as neft fit
                    ("tuple twice", edit(sampled, lambda d: d["correlators"].append(c4(d)))),
                    ("tuple missing", edit(sampled, lambda d: d["correlators"].remove(c4(d)))),
                    ("npt 4 with 2 indices", edit(sampled, setitem(c4, "indices", [0, 0]))),
                    ("stderr negative", edit(sampled, lambda d: c4(d)["connected"].__setitem__(
                        "stderr", -1))),
                    ("digest mismatch", edit(sampled, lambda d: c4(d)["connected"].__setitem__(
                        "mean", 7), keep_digest=True)),
                    # issue 14.8: samples of other networks than the prediction's
                    ("activation tanh", edit(sampled, setitem(lambda d: d, "activation", "tanh"))),
                    ("cw 2", edit(sampled, setitem(lambda d: d, "cw", 2))),
                    ("sw only, 2", edit(sampled, lambda d: (d.pop("cw"), d.__setitem__("sw", 2)))),
                    ("cb 0.5", edit(sampled, setitem(lambda d: d, "cb", 0.5))),
                    ("depth 3", edit(sampled, setitem(lambda d: d, "depth", 3))),
                    ("width 21", edit(sampled, setitem(lambda d: d, "width", 21))),
                    ("widths 21", edit(sampled, setitem(lambda d: d, "widths", [21]))),
                    ("inputs of another dimension", edit(sampled, setitem(lambda d: d, "d_in", 2)))):
        if d == sampled:
            failures.append(f"onen compare-samples {name}: the test did not change the file")
        f = path("onen-" + name.replace(" ", "-") + ".json", d)
        run(cbase + [f], 2, f"onen compare-samples {name}", prefix="neft: " + f + ":")

    # issue 14.8 as reported: a ReLU file against --activation tanh (was a pull
    # of 232 and exit 0)
    tanh = ["onen", "--activation", "tanh", "--cw", "1", "--cb", "0", "--depth", "2",
            "--width", "20", "--compare-samples", sample_json]
    run(tanh, 2, "onen compare-samples relu file, --activation tanh",
        prefix="neft: " + sample_json + ": the samples are of relu networks")
    # the same networks are accepted: neft's file, a hand-edited one without a
    # digest, and an edited one with --ignore-digest
    for name, d, extra in (("as written", sampled, []),
                           ("without digest", edit(sampled, lambda d: None), []),
                           ("digest ignored", edit(sampled, lambda d: c4(d)["connected"].__setitem__(
                               "mean", 7), keep_digest=True), ["--ignore-digest"])):
        f = path("onen-ok-" + name.replace(" ", "-") + ".json", d)
        count += 1
        p = subprocess.run([neft] + cbase + [f] + extra, capture_output=True, timeout=TIMEOUT)
        if p.returncode != 0 or not p.stdout:
            failures.append(f"onen compare-samples {name}: exit status {p.returncode}: "
                            f"{p.stderr[-300:]!r}")

    # --- onen: K^(1) = 0 for a smooth activation (was: nan tables, exit 1, no
    # message; found by fuzz-cli) and a recursion that loses its precision
    base = ["onen", "--activation", "tanh", "--cw", "1", "--cb", "0", "--width", "10"]
    run(base + ["--depth", "3", "--k1", "0"], 2, "onen tanh k1 0")
    run(base + ["--depth", "3", "--d-in", "1", "--at", "1;0"], 2, "onen tanh input 0")
    run(base + ["--depth", "1000", "--k1", "1", "--prec", "16"], 1, "onen tanh depth 1000 prec 16")
    zero = path("onen-zero.json", b'{"models": 10, "inputs": [[0.0]], "correlators": '
                b'[{"npt": 2, "indices": [0, 0], "full": {"mean": 1, "stderr": 0.1}}]}')
    run(base + ["--depth", "2", "--compare-samples", zero], 2, "onen compare-samples input 0",
        prefix="neft: " + zero + ":")

    # --- train --order 1 --c-rtol (stop 34): a relative radius in (0, 1), for
    # the ball only (refused before any kernel is computed)
    learn = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "data",
                         "learn.csv")
    train = ["train", "--order", "1", "--data", learn, "--at", "1,1", "--cw", "2", "--cb",
             "1/10", "--depth", "2", "--width", "50", "--eta", "1/10", "--steps", "2"]
    for value in ("0", "-0.1", "1", "nan", "inf", "1e-2x", "lots"):
        run(train + ["--activation", "tanh", "--c-rtol", value], 2, f"train --c-rtol {value}")
    run(train + ["--activation", "tanh", "--c-rtol"], 2, "train --c-rtol without a value")
    for act, extra in (("tanh", ["--c-rule", "estimate"]), ("linear", []), ("relu", [])):
        run(train + ["--activation", act, "--c-rtol", "0.01"] + extra, 2,
            f"train --c-rtol {act} {' '.join(extra)} (no ball)")
    run(["train", "--ensemble"] + train[3:] + ["--activation", "tanh", "--models", "512",
                                                "--c-rtol", "0.01"],
        2, "train --c-rtol without --order 1")

    # --- an option given twice is refused, naming it (not silently resolved),
    # and so is a value given twice in a list where a repeat means nothing
    exact_data = path("exact-dup.json", subprocess.run(
        [neft, "exact", "--activation", "relu", "--width", "20", "--at", "0.2;0.45;0.7",
         "--npt", "2,4", "--format", "json"], capture_output=True, timeout=TIMEOUT).stdout)
    twice = "neft: option {} is given twice"
    for name, args, prefix in (
            ("diagrams -n twice", ["diagrams", "-n", "4", "-n", "6"], twice.format("-n")),
            ("diagrams -n and --points", ["diagrams", "-n", "4", "--points", "4"],
             "neft: options -n and --points are the same option, given twice"),
            ("diagrams --group twice", ["diagrams", "--group", "--group"],
             twice.format("--group")),
            ("eval --cutoff twice", ["eval", "-n", "2", "-o", "0", "--kernel", "relu", "--set",
                                     "lambda=0,kappa=0", "--at", "1;2", "--cutoff", "1",
                                     "--cutoff", "2"], twice.format("--cutoff")),
            ("sample --width twice", ["sample", "--activation", "relu", "--at", "1", "--models",
                                      "512", "--width", "5", "--width", "20"],
             twice.format("--width")),
            ("sample --npt 4,2,4", ["sample", "--activation", "relu", "--at", "1", "--models",
                                    "512", "--width", "5", "--npt", "4,2,4"],
             "neft: --npt: 4 is given twice"),
            ("exact --width twice", ["exact", "--activation", "relu", "--at", "1", "--width", "3",
                                     "--width", "4"], twice.format("--width")),
            ("exact --npt 2,2", ["exact", "--activation", "relu", "--at", "1", "--width", "3",
                                 "--npt", "2,2"], "neft: --npt: 2 is given twice"),
            ("onen --width twice", ["onen", "--activation", "tanh", "--cw", "1", "--cb", "0",
                                    "--depth", "3", "--k1", "1", "--width", "5", "--width", "20"],
             twice.format("--width")),
            ("onen --max-work twice", ["onen", "--activation", "tanh", "--cw", "1", "--cb", "0",
                                       "--depth", "3", "--k1", "1", "--max-work", "1e9",
                                       "--max-work", "1e10"], twice.format("--max-work")),
            ("fit --cutoff twice", ["fit", exact_data, "--cutoff", "1", "--cutoff", "2"],
             twice.format("--cutoff")),
            ("fit --cutoff 2,2.0", ["fit", exact_data, "--cutoff", "2,2.0"],
             "neft: --cutoff: 2 = 2.0 is given twice"),
            ("fit --cutoff 2,3,2", ["fit", exact_data, "--cutoff", "2,3,2"],
             "neft: --cutoff: 2 is given twice"),
            ("fit --fit lambda,lambda", ["fit", exact_data, "--fit", "lambda,lambda"],
             "neft: --fit: coupling 'lambda' is given twice"),
            ("fit --set lambda twice", ["fit", exact_data, "--set", "lambda=1,lambda=2"],
             "neft: --set: coupling 'lambda' given twice"),
            ("diagrams --output twice", ["diagrams", "--output", os.path.join(tmp, "out-a.txt"),
                                         "--output=" + os.path.join(tmp, "out-b.txt")],
             twice.format("--output")),
            ("validate --quick twice", ["validate", "--quick", "--quick"],
             twice.format("--quick")),
            ("validate --widths twice", ["validate", "--widths", "50", "--widths", "60"],
             twice.format("--widths")),
            ("validate --widths 50,50", ["validate", "--widths", "50,50"],
             "neft: --widths: 50 is given twice"),
            ("validate --cutoffs 2,2.0", ["validate", "--cutoffs", "2,2.0"],
             "neft: --cutoffs: 2.0 is given twice")):
        if args[0] == "validate":
            args = args + ["--out", os.path.join(tmp, "report-twice")]
        run(args, 2, f"twice: {name}", prefix=prefix)
    if os.path.exists(os.path.join(tmp, "report-twice")):
        failures.append("twice: a refused validate created its report folder")

    # --- resource limits (--max-work, --max-memory): refused before anything
    # runs, with what the run needs and how to raise it (docs/commands.md)
    sample = ["sample", "--activation", "relu", "--at", "1", "--threads", "1"]
    onen = ["onen", "--activation", "tanh", "--cw", "1", "--cb", "0", "--width", "10"]
    eval4 = ["eval", "-n", "4", "-o", "1", "--kernel", "erf", "--sb", "0.5",
             "--set", "lambda=0.1,kappa=0"]
    p200 = ";".join(str(round(0.01 * i + 0.1, 2)) for i in range(200))
    p300 = ";".join(str(round(i / 150 - 1, 4)) for i in range(300))
    p10 = ";".join(str(0.1 * i) for i in range(1, 11))
    data = path("exact.json", subprocess.run(
        [neft, "exact", "--activation", "relu", "--width", "20", "--at", "0.2;0.45;0.7",
         "--npt", "2,4", "--format", "json"], capture_output=True, timeout=TIMEOUT).stdout)
    for name, args in (
            # 10^13 doubles of work space per thread: refused by memory, not by malloc
            ("sample huge net", sample + ["--width", "100000", "--depth", "3", "--models", "1024"]),
            ("sample 2^50 models", sample + ["--width", "10", "--models", str(2 ** 50)]),
            ("sample small budget", sample + ["--width", "10", "--models", "1024",
                                              "--max-work", "1e4"]),
            ("sample small memory", sample + ["--width", "10", "--models", "1024",
                                              "--max-memory", "64k"]),
            # about 10 minutes of tanh integrals: with a budget of one
            ("onen depth 1e5", onen + ["--depth", "100000", "--k1", "1", "--max-work", "1e11"]),
            ("onen 200 inputs", onen + ["--depth", "10", "--d-in", "1", "--at", p200,
                                        "--max-work", "1e9"]),
            # exact rationals of 1.6e6 bits at the last layer
            ("onen exact rationals", ["onen", "--activation", "relu", "--cw", "3/2", "--cb",
                                      "1/3", "--depth", "100000", "--k1", "1/7"]),
            ("onen silu K 1e10", ["onen", "--activation", "silu", "--cw", "1", "--cb", "0",
                                  "--depth", "30", "--k1", "1e10", "--max-work", "1e11"]),
            ("eval 300 inputs all tuples", eval4 + ["--cutoff", "10", "--at", p300,
                                                    "--all-tuples"]),
            ("eval 3-D at 1000 bits", eval4 + ["--d-in", "3", "--prec", "1000", "--cutoff",
                                               "100", "--at", "1,0,0;0,1,0;0,0,1;1,1,1"]),
            # 2-D Gaussian integrals of erf for 5000 tuples, one per moment at 200
            # bits (at 64 bits the shared rule of issue 16 does them in seconds)
            ("exact erf 10 inputs", ["exact", "--activation", "erf", "--sb", "1", "--width",
                                     "3", "--prec", "200", "--at", p10]),
            ("fit at 4000 bits", ["fit", data, "--kernel", "erf", "--prec", "4000",
                                  "--cutoff", "1e6,2e6,4e6"]),
            # its exact moments at 200 bits, one integral each (issue 16)
            ("validate erf", ["validate", "--activation", "erf", "--prec", "200", "--out",
                              os.path.join(tmp, "report")])):
        run(args, 2, f"budget: {name}")
    if os.path.exists(os.path.join(tmp, "report")):
        failures.append("budget: validate erf: the refused run created its report folder")
    # a failure after the first results were computed: nothing on stdout
    run(["fit", data, "--cutoff", "1,inf"], 1, "fit: cutoff inf after a finite one")
    run(["onen", "--activation", "tanh", "--cw", "1", "--cb", "0", "--depth", "3",
         "--width", "10", "--d-in", "1", "--at", "1;0"], 2,
        "onen: K = 0 at the second input (bad input, found after the first input's results)")
    # bad values of the options themselves, on every command that has them
    base = {"sample": sample + ["--width", "2", "--models", "512"],
            "exact": ["exact", "--activation", "relu", "--width", "3", "--at", "1"],
            "onen": onen + ["--depth", "3", "--k1", "1"],
            "eval": eval4 + ["--cutoff", "1", "--at", "1;2;3;4"],
            "fit": ["fit", data],
            "validate": ["validate", "--quick", "--out", os.path.join(tmp, "report")]}
    for cmd, args in base.items():
        for opt, value in (("--max-work", "0"), ("--max-work", "-1"), ("--max-work", "1e999"),
                           ("--max-work", "lots"), ("--max-work", "1e12x"),
                           ("--max-memory", "0"), ("--max-memory", "8X"),
                           ("--max-memory", "8GB"), ("--max-memory", "nan"),
                           ("--max-memory", "-1G")):
            run(args + [opt, value], 2, f"{cmd} {opt} {value}")
        run(args + ["--max-work"], 2, f"{cmd} --max-work without a value")

for f in failures:
    print("FAIL:", f)
print(f"badinput: {count - len(failures)} of {count} cases behave")
sys.exit(1 if failures else 0)
