#!/usr/bin/env python3
"""Bad-input matrix: every command (diagrams, sample, exact, onen) given
malformed or hostile input -- empty file, binary garbage, huge numbers,
negative widths, NaN/inf points, order 10^9, a huge point list, a missing
path, a directory instead of a file, a truncated or corrupt checkpoint.

Usage: python3 tests/badinput.py NEFT_BINARY RULES_DIR   (working directory tests/)

Each case must end within its timeout with the expected exit status (2 for
bad input, 1 for a runtime failure), no signal, nothing on stdout and exactly
one line on stderr that starts with "neft: " or names the file ("PATH:" or
"PATH:LINE:").  A checkpoint refused on resume must be left byte-identical.
"""

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
        header = data.index(b"\nbatches ") + 1
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
                       ("negative cw", ["--depth", "3", "--k1", "1", "--cw", "-1"])):
        run(["onen"] + base + args, 2, f"onen {name}")
    for name, f in (("empty", empty), ("garbage", garbage), ("missing", missing),
                    ("directory", directory)):
        run(["onen"] + base + ["--depth", "3", "--k1", "1", "--compare-samples", f], 2,
            f"onen compare-samples {name}", prefix=None)

for f in failures:
    print("FAIL:", f)
print(f"badinput: {count - len(failures)} of {count} cases behave")
sys.exit(1 if failures else 0)
