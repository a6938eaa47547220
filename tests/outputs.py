#!/usr/bin/env python3
"""Outputs go where they were told, and JSON is spelled one way (issue 14,
items 4 and 9).

Usage: python3 tests/outputs.py NEFT_BINARY RULES_DIR

- every command (validate without pdflatex on PATH), run plainly and with
  `--output FILE`: with --output nothing
  reaches stdout and FILE holds exactly what plain stdout held; the plain
  output starts with its header ('# ...' or '{'), so no stray print ran ahead
  of the held output (`neft eval` once began '10.000000000000000# theory:'
  and printed 'cutoff L = , 64 bits');
- the library (src/ outside src/cli) has no call that writes to stdout by
  itself (arf_printd, arb_printd, flint_printf, printf, puts, ...);
- every JSON output parses, and every ball in it is spelled
  {"mid": "M", "rad": "R"} with R in "%.3e" notation (or nan/inf);
- `neft fit` on a data file whose path holds '"', '\\' and a tab prints valid
  JSON with that path as its "data" string.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import neftio

neft, rules = sys.argv[1], sys.argv[2]
src = os.path.join(os.path.dirname(os.path.abspath(rules)), "src")
check = neftio.Checks()


def run(args, cwd=None, env=None):
    return subprocess.run([neft] + args, capture_output=True, timeout=300, cwd=cwd, env=env)


BALL_RE = re.compile(r'\{"mid": "([^"]*)", "rad": "([^"]*)"\}')
RAD_RE = re.compile(r'^\d\.\d{3}e[+-]\d{2,3}$')


def balls(obj, out):
    if isinstance(obj, dict):
        if "mid" in obj or "rad" in obj:
            out.append(obj)
        for v in obj.values():
            balls(v, out)
    elif isinstance(obj, list):
        for v in obj:
            balls(v, out)
    return out


def check_json(name, text):
    try:
        doc = json.loads(text)
    except ValueError as e:
        check(False, "%s: invalid JSON: %s" % (name, e))
        return None
    found = balls(doc, [])
    spelled = BALL_RE.findall(text)
    check(len(found) == len(spelled) == text.count('"mid"'),
          "%s: %d balls parsed, %d spelled {\"mid\": \"..\", \"rad\": \"..\"}, %d \"mid\" keys"
          % (name, len(found), len(spelled), text.count('"mid"')))
    for b in found:
        ok = set(b) == {"mid", "rad"} and isinstance(b["mid"], str) and isinstance(b["rad"], str)
        ok = ok and ((b["mid"], b["rad"]) == ("nan", "inf") or RAD_RE.match(b["rad"]) is not None)
        if not ok:
            check(False, "%s: ball %r not in the one spelling" % (name, b))
            break
    return doc


tmp = tempfile.mkdtemp(prefix="neft-outputs-")
try:
    # data files for fit and onen --compare-samples
    exact_file = os.path.join(tmp, "exact.json")
    r = run(["exact", "--activation", "relu", "--d-in", "1", "--width", "20",
             "--at", "0.2;0.45;0.7", "--npt", "2,4", "--format", "json", "--output", exact_file])
    check(r.returncode == 0, "exact for the data file: %s" % r.stderr.decode())
    sample_file = os.path.join(tmp, "sample.json")
    r = run(["sample", "--activation", "relu", "--d-in", "1", "--width", "8", "--models", "2000",
             "--at", "0.5;1.0", "--npt", "2,4", "--seed", "3", "--format", "json",
             "--output", sample_file])
    check(r.returncode == 0, "sample for the data file: %s" % r.stderr.decode())

    ev = ["eval", os.path.join(rules, "single-layer.rules"), "-n", "4", "-o", "1", "--kernel",
          "relu", "--sb", "0.5", "--cutoff", "10", "--set", "lambda=0.1,kappa=0",
          "--at", "0.25;-0.75;1.5;0.5"]
    cases = [
        ("diagrams text", ["diagrams", "--group"], "text"),
        ("diagrams json", ["diagrams", "--format", "json"], "json"),
        ("diagrams latex", ["diagrams", "--format", "latex"], "latex"),
        ("diagrams tikz", ["diagrams", "--format", "tikz", "-n", "2"], "latex"),
        ("eval text", ev, "text"),
        ("eval json", ev + ["--format", "json"], "json"),
        ("eval all-tuples", ["eval", "-n", "2", "-o", "1", "--kernel", "gauss", "--cutoff", "2",
                             "--set", "lambda=0.1,kappa=0", "--at", "0.1;0.3", "--all-tuples"],
         "text"),
        ("eval all-tuples json", ["eval", "-n", "2", "-o", "1", "--kernel", "gauss", "--cutoff",
                                  "inf", "--set", "lambda=0.1,kappa=0", "--at", "0.1;0.3",
                                  "--all-tuples", "--format", "json"], "json"),
        ("sample text", ["sample", "--activation", "tanh", "--d-in", "1", "--width", "4",
                         "--models", "512", "--at", "0.5", "--npt", "2,4"], "text"),
        ("sample json", ["sample", "--activation", "tanh", "--d-in", "1", "--width", "4",
                         "--models", "512", "--at", "0.5", "--npt", "2,4", "--format", "json"],
         "json"),
        ("exact text", ["exact", "--activation", "erf", "--d-in", "1", "--width", "5",
                        "--at", "0.5;1"], "text"),
        ("exact json", ["exact", "--activation", "erf", "--d-in", "1", "--width", "5",
                        "--at", "0.5;1", "--format", "json"], "json"),
        ("onen text", ["onen", "--activation", "relu", "--cw", "2", "--cb", "0", "--depth", "3",
                       "--k1", "1"], "text"),
        ("onen json", ["onen", "--activation", "tanh", "--cw", "1", "--cb", "0", "--depth", "3",
                       "--k1", "1", "--format", "json"], "json"),
        ("onen critical json", ["onen", "--critical", "--activation", "tanh", "--format", "json"],
         "json"),
        ("onen compare", ["onen", "--compare-samples", sample_file, "--activation", "relu",
                          "--cw", "1", "--cb", "0", "--depth", "2", "--width", "8"], "text"),
        ("onen compare json", ["onen", "--compare-samples", sample_file, "--activation", "relu",
                               "--cw", "1", "--cb", "0", "--depth", "2", "--width", "8",
                               "--format", "json"], "json"),
        ("fit text", ["fit", exact_file, "--cutoff", "1,2"], "text"),
        ("fit json", ["fit", exact_file, "--cutoff", "1,2", "--format", "json"], "json"),
        ("fit sampled json", ["fit", sample_file, "--cutoff", "1", "--format", "json"], "json"),
    ]
    for name, args, kind in cases:
        plain = run(args)
        check(plain.returncode == 0, "%s: status %d: %s" % (name, plain.returncode,
                                                            plain.stderr.decode()[:300]))
        if plain.returncode != 0:
            continue
        text = plain.stdout.decode()
        out = os.path.join(tmp, "out.txt")
        r = run(args + ["--output", out])
        check(r.returncode == 0, "%s --output: status %d" % (name, r.returncode))
        check(r.stdout == b"", "%s --output: %d bytes reached stdout: %r"
              % (name, len(r.stdout), r.stdout[:80]))
        with open(out, "rb") as f:
            check(f.read() == plain.stdout, "%s: the --output file differs from plain stdout"
                  % name)
        first = {"text": "#", "json": "{", "latex": "%"}[kind]
        check(text.startswith(first) or (name.startswith("eval all-tuples") and
                                         text.startswith("tuple")),
              "%s: output begins %r, expected %r" % (name, text[:40], first))
        if kind == "json":
            check_json(name, text)
    # validate (figures left as .tex: no pdflatex on PATH, so that it stays fast)
    empty = os.path.join(tmp, "nobin")
    os.mkdir(empty)
    env = dict(os.environ, PATH=empty)
    va = ["validate", "--quick", "--threads", "1"]
    rep = os.path.join(tmp, "rep")
    plain = run(va + ["--out", rep], env=env)
    report = None
    if plain.returncode == 0:
        with open(os.path.join(rep, "report.json"), encoding="utf-8") as f:
            report = f.read()
    out = os.path.join(tmp, "validate.txt")
    r = run(va + ["--out", rep, "--output", out], env=env)     # (the same report folder)
    check(plain.returncode == 0 and r.returncode == 0, "validate: status %d, %d: %s"
          % (plain.returncode, r.returncode, r.stderr.decode()[-300:]))
    if plain.returncode == 0 and r.returncode == 0:
        check(r.stdout == b"", "validate --output: %d bytes reached stdout" % len(r.stdout))
        check(open(out, "rb").read() == plain.stdout,
              "validate: the --output file differs from plain stdout")
        check(plain.stdout.startswith(b"# neft validate"), "validate: output begins %r"
              % plain.stdout[:40])
        check_json("validate report.json", report)

    # the eval header: the cutoff in its place
    r = run(ev)
    head = r.stdout.decode().splitlines()[:3]
    check(len(head) == 3 and head[0].startswith("# theory: ")
          and "cutoff L = 10.000000000000000, 64 bits" in head[2],
          "eval header: %r" % head)

    # fit: the data path is a JSON string, escaped
    odd = os.path.join(tmp, 'we"ird\\na\tme.json')
    shutil.copy(exact_file, odd)
    r = run(["fit", odd, "--cutoff", "1", "--format", "json"])
    check(r.returncode == 0, "fit on an odd path: %s" % r.stderr.decode())
    doc = check_json("fit odd path", r.stdout.decode()) if r.returncode == 0 else None
    check(doc is not None and doc.get("data") == odd, "fit odd path: data %r"
          % (doc.get("data") if doc else None))

    # the library writes only to the streams it was given (stdout, stderr:
    # never; failed before the message callback of validate)
    bad = re.compile(r'\b(arf_printd|arb_printd|acb_printd|arb_printn|fmpq_print|fmpz_print|'
                     r'fmpq_poly_print|mag_printd|flint_printf|printf|puts|putchar|vprintf)\s*\(|'
                     r'\bstdout\b')
    for root, _, files in os.walk(src):
        if os.path.basename(root) == "cli":
            continue
        for fn in files:
            if not fn.endswith((".c", ".h")):
                continue
            path = os.path.join(root, fn)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            # comments and string literals blanked (a path such as
            # "/dev/stdout" is data, not a stream), line breaks kept
            text = re.sub(r'/\*.*?\*/|//[^\n]*|"(?:[^"\\\n]|\\.)*"',
                          lambda m: re.sub(r'[^\n]', ' ', m.group(0)), text, flags=re.S)
            lines = open(path, encoding="utf-8").read().split("\n")
            for no, code in enumerate(text.split("\n"), 1):
                if "freopen" in code:
                    continue
                if bad.search(code):
                    check(False, "%s:%d writes to stdout: %s" % (os.path.relpath(path, src),
                                                                  no, lines[no - 1].strip()))
                # nor to stderr: progress and warnings go through callbacks
                # (validate's message function); the only exceptions are
                # developers' opt-in diagnostics: the integrators' opt->verbose
                # and the generator's NEFT_STATS=1 (docs/generator.md)
                if (re.search(r'\bstderr\b', code)
                        and os.path.basename(root) not in ("integrate", "expand")):
                    check(False, "%s:%d writes to stderr: %s" % (os.path.relpath(path, src),
                                                                  no, lines[no - 1].strip()))
    check(True, "the source scan ran")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

check.finish("{total} checks, {failed} failures")
