#!/usr/bin/env python3
"""`neft exact --width N1,N2,..`: one computation of the Gaussian moments,
the correlators of every width (issue 16, item 2).

Usage: python3 tests/exact_widths.py NEFT_BINARY RULES_DIR   (cwd tests/)

For erf with sigma_b = 1 (the shared quadrature rule) and relu (closed
forms): the output of `--width 2,5,20` is, table for table (text) and
document for document (JSON, each with its own digest), exactly the output
of the three runs with one width each; JSON documents follow one another
(json.JSONDecoder.raw_decode reads them) and each digest matches its bytes;
bad lists are refused with status 2 and one line.
"""

import json
import subprocess
import sys

NEFT = sys.argv[1]
failures = []


def fail(what):
    failures.append(what)
    print("FAIL:", what, flush=True)


def run(args, code=0):
    p = subprocess.run([NEFT, "exact"] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=300)
    if p.returncode != code:
        fail("neft exact %s: exit %d (expected %d): %s" % (" ".join(args), p.returncode, code,
                                                           p.stderr.decode().strip()))
    return p


def digest_ok(doc):
    cut = doc.rindex(b', "digest": "')
    h = 0xcbf29ce484222325
    for b in doc[:cut]:
        h = ((h ^ b) * 0x100000001b3) % 2 ** 64
    return doc[cut:].startswith(b', "digest": "fnv1a64:%016x"' % h)


CASES = [
    ["--activation", "erf", "--sb", "1", "--d-in", "1", "--at", "-0.6;0.2;1", "--npt", "2,4,6"],
    ["--activation", "relu", "--sb", "0.5", "--d-in", "1", "--at", "0.5;1", "--npt", "2,4"],
]
WIDTHS = ["2", "5", "20"]

for base in CASES:
    name = base[1]
    # text: the tables one after another, separated by an empty line
    many = run(base + ["--width", ",".join(WIDTHS)]).stdout.decode()
    ones = [run(base + ["--width", w]).stdout.decode() for w in WIDTHS]
    if many != "\n".join(ones):
        fail("%s: text of --width %s differs from the single-width runs" % (name,
                                                                           ",".join(WIDTHS)))
    # JSON: one complete document per width, in the order given
    many = run(base + ["--width", ",".join(WIDTHS), "--format", "json"]).stdout
    ones = [run(base + ["--width", w, "--format", "json"]).stdout for w in WIDTHS]
    if many != b"".join(ones):
        fail("%s: JSON of --width %s differs from the single-width runs" % (name,
                                                                           ",".join(WIDTHS)))
    text = many.decode()
    dec = json.JSONDecoder()
    pos, docs = 0, []
    while pos < len(text):
        obj, end = dec.raw_decode(text, pos)
        docs.append((obj, text[pos:end + 1].encode()))
        pos = end
        while pos < len(text) and text[pos].isspace():
            pos += 1
    if [d[0].get("width") for d in docs] != [int(w) for w in WIDTHS]:
        fail("%s: widths of the JSON documents: %s" % (name, [d[0].get("width") for d in docs]))
    for obj, raw in docs:
        if not digest_ok(raw.rstrip(b"\n")):
            fail("%s: width %s: digest does not match its document" % (name, obj.get("width")))

# bad lists: status 2, one line naming the option
for bad in ["5,", ",5", "5,,6", "5,0", "x", ",".join(["2"] * 65)]:
    p = run(["--activation", "relu", "--d-in", "1", "--at", "1", "--width", bad], 2)
    err = p.stderr.decode()
    if err.count("\n") != 1 or "--width" not in err:
        fail("--width %s: expected one line naming --width, got %r" % (bad, err))

if failures:
    print("exact_widths: FAIL (%d)" % len(failures))
    sys.exit(1)
print("exact_widths: PASS")
