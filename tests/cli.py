#!/usr/bin/env python3
"""End-to-end tests of `neft diagrams` input handling: rules files (good and
malformed), command-line errors, --prune overriding the file, and the
examples of docs/rules.md.

Usage: python3 tests/cli.py NEFT_BINARY RULES_DIR   (working directory tests/)

Contract checked (DESIGN.md, docs/rules.md): bad input exits with status 2,
prints nothing on stdout and one line on stderr; a malformed rules file
gives `PATH:LINE: message` as that line, PATH as passed.  The expected
messages are in rules-bad/EXPECTED; the couplings and prune lists of good
files are computed here by an independent reader of the format.
"""

import errno
import json
import os
import re
import subprocess
import sys
import tempfile
from fractions import Fraction

PRUNE_NAMES = ["vacuum", "two-point-component", "self-energy", "tadpole",
               "connected", "one-particle-irreducible"]

failures = []


def fail(what, detail=""):
    failures.append(what + ("\n    " + detail.replace("\n", "\n    ") if detail else ""))


def run(neft, args, timeout=120):
    p = subprocess.run([neft] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def show(args, rc, out, err):
    return "neft %s\n  status %d\n  stdout %r\n  stderr %r" % (
        " ".join(args), rc, out[:300], err[:500])


def expect_usage_error(neft, args, mention=None):
    """Status 2, empty stdout, exactly one line on stderr (mentioning
    `mention`, when given); returns that line."""
    rc, out, err = run(neft, args)
    lines = err.splitlines()
    if rc != 2:
        fail("expected status 2", show(args, rc, out, err))
    elif out != "":
        fail("expected nothing on stdout", show(args, rc, out, err))
    elif len(lines) != 1 or not err.endswith("\n"):
        fail("expected exactly one line on stderr", show(args, rc, out, err))
    elif mention is not None and not any(m in lines[0] for m in
                                         (mention if isinstance(mention, list) else [mention])):
        fail("stderr should mention %r" % (mention,), show(args, rc, out, err))
    return lines[0] if lines else ""


def reference_read(text):
    """Independent reader of a *valid* rules file: (couplings, prune list)
    with couplings as [(name, legs, weight string)]."""
    couplings, prune = [], set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        word = line.split()[0]
        rest = line[len(word):].strip()
        if word == "coupling":
            w = rest.split()
            # (a non-local vertex: legs K1+K2; a position weight: position |y|^P)
            assert len(w) in (5, 7) and w[1] == "legs" and w[3] == "weight", line
            assert len(w) == 5 or w[5] == "position", line
            couplings.append((w[0], sum(int(k) for k in w[2].split("+")), str(Fraction(w[4]))))
        elif word == "prune":
            for r in rest.split(","):
                r = r.strip()
                r = "one-particle-irreducible" if r == "1pi" else r
                if r != "none":
                    assert r in PRUNE_NAMES, r
                    prune.add(r)
        else:
            assert word == "name", line
    return couplings, [r for r in PRUNE_NAMES if r in prune]


def json_run(neft, args, what):
    rc, out, err = run(neft, args)
    if rc != 0:
        fail(what + ": expected status 0", show(args, rc, out, err))
        return None
    try:
        return json.loads(out)
    except ValueError as e:
        fail(what + ": output is not JSON (%s)" % e, show(args, rc, out, err))
        return None


def check_theory_json(obj, couplings, prune, what):
    got = [(c.get("name"), c.get("legs"), c.get("weight")) for c in obj.get("couplings", [])]
    if got != couplings:
        fail(what + ": couplings", "got      %r\nexpected %r" % (got, couplings))
    if obj.get("prune") != prune:
        fail(what + ": prune", "got      %r\nexpected %r" % (obj.get("prune"), prune))


def read_expected():
    cases = []
    with open("rules-bad/EXPECTED", encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            name, rest = line.split("\t", 1)
            cases.append((name, rest))
    return cases


def test_bad_files(neft):
    cases = read_expected()
    listed = {name for name, _ in cases}
    present = {f for f in os.listdir("rules-bad") if f.endswith(".rules")}
    if listed != present:
        fail("rules-bad/ and EXPECTED disagree", "not listed: %s\nmissing: %s"
             % (sorted(present - listed), sorted(listed - present)))
    if len(cases) < 20:
        fail("fewer than 20 malformed files")
    for name, rest in cases:
        path = "rules-bad/" + name
        args = ["diagrams", path, "-n", "2", "-o", "1"]
        line = expect_usage_error(neft, args)
        if line != path + ":" + rest:
            fail("message for " + path, "got      %r\nexpected %r" % (line, path + ":" + rest))
        # The same file named through an absolute path keeps that path.
        if name == "legs-999.rules":
            ab = os.path.abspath(path)
            line = expect_usage_error(neft, ["diagrams", ab, "-n", "2", "-o", "1"])
            if line != ab + ":" + rest:
                fail("message for the absolute path", "got %r" % line)

    # Unreadable paths.
    for path, reason in (("rules-bad/no-such-file.rules", os.strerror(errno.ENOENT)),
                         ("rules-bad", os.strerror(errno.EISDIR)),
                         ("rules-bad/", os.strerror(errno.EISDIR))):
        args = ["diagrams", path, "-n", "2", "-o", "1"]
        line = expect_usage_error(neft, args)
        if line != "%s: cannot read: %s" % (path, reason):
            fail("message for " + path, "got %r" % line)


def test_bad_arguments(neft, rules_dir):
    sl = os.path.join(rules_dir, "single-layer.rules")
    cases = [
        (["diagrams", sl, "-n", "-1", "-o", "1"], ["-n", "-1"]),
        (["diagrams", sl, "-n", "abc", "-o", "1"], ["abc"]),
        (["diagrams", sl, "-n", "", "-o", "1"], ["-n"]),
        (["diagrams", sl, "-n", "4x", "-o", "1"], ["4x"]),
        (["diagrams", sl, "-n", "99999999999999999999999", "-o", "1"], ["-n"]),
        (["diagrams", sl, "-n", "4", "-o", "1000000000"], ["-o", "1000000000"]),
        (["diagrams", sl, "-n", "4", "-o", "-2"], ["-o"]),
        (["diagrams", sl, "-n", "4", "-o", "1", "--prune", "foo"], ["foo"]),
        (["diagrams", sl, "-n", "4", "-o", "1", "--prune", "vacuum,,tadpole"], ["vacuum,,tadpole"]),
        (["diagrams", sl, "-n", "4", "-o", "1", "--prune", ""], ["prune"]),
        (["diagrams", sl, "-n", "4", "-o", "1", "--format", "tikz2"], ["tikz2"]),
        (["diagrams", sl, "-n", "4", "-o", "1", "--frobnicate"], ["--frobnicate"]),
        (["diagrams", sl, "-n", "4", "-o", "1", "-x"], ["-x"]),
        (["diagrams", sl, "-n", "4", "-o"], ["-o"]),
        (["diagrams", sl, "-o", "1", "-n"], ["-n"]),
        (["diagrams", sl, "-n", "4", "-o", "1", "--prune"], ["--prune"]),
        (["diagrams", sl, "-n", "4", "-o", "1", "--format"], ["--format"]),
        (["diagrams", sl, "-n", "4", "-o", "1", "--max-terms"], ["--max-terms"]),
        (["diagrams", sl, "-n", "4", "-o", "1", "--max-terms", "0"], ["--max-terms"]),
        (["diagrams", sl, sl, "-n", "4", "-o", "1"], None),
        (["diagrams", sl], None),                 # a file needs -n and -o
        (["frobnicate"], ["frobnicate"]),
    ]
    for args, mention in cases:
        expect_usage_error(neft, args, mention)

    # The output-size guard: 6 points to order 2 has far more than 10 terms.
    expect_usage_error(neft, ["diagrams", sl, "--max-terms", "10", "-n", "6", "-o", "2"],
                       "--max-terms")
    expect_usage_error(neft, ["diagrams", "--max-terms", "10", "-n", "6", "-o", "2"],
                       "--max-terms")


def test_good_files(neft, rules_dir):
    files = sorted(f for f in os.listdir(rules_dir) if f.endswith(".rules"))
    for want in ("single-layer.rules", "phi4.rules", "phi3.rules", "mixed.rules"):
        if want not in files:
            fail("rules/%s is missing" % want)
    for f in files:
        path = os.path.join(rules_dir, f)
        with open(path, encoding="utf-8") as fh:
            couplings, prune = reference_read(fh.read())
        obj = json_run(neft, ["diagrams", path, "-n", "2", "-o", "1", "--format", "json"], f)
        if obj is not None:
            check_theory_json(obj, couplings, prune, f)
            if obj.get("points") != 2 or obj.get("order") != 1:
                fail(f + ": points/order", repr((obj.get("points"), obj.get("order"))))

    # The built-in default is rules/single-layer.rules, with n = 6, o = 1.
    with open(os.path.join(rules_dir, "single-layer.rules"), encoding="utf-8") as fh:
        sl = reference_read(fh.read())
    obj = json_run(neft, ["diagrams", "--format", "json"], "default theory")
    if obj is not None:
        check_theory_json(obj, sl[0], sl[1], "default theory")
        if obj.get("points") != 6 or obj.get("order") != 1:
            fail("default theory: n = 6, o = 1", repr((obj.get("points"), obj.get("order"))))

    # The conventions stated in docs/rules.md: the O(lambda) 4-point vertex
    # term is -24 with weight 1 and -1 with weight 1/24.
    star = [["x%d" % i, "y1"] for i in range(1, 5)]
    for f, coeff in (("single-layer.rules", "-24"), ("phi4.rules", "-1")):
        obj = json_run(neft, ["diagrams", os.path.join(rules_dir, f), "-n", "4", "-o", "1",
                              "--format", "json"], f + " 4-point")
        if obj is None:
            continue
        hits = [t for t in obj.get("terms", []) if t.get("couplings") == {"lambda": 1}
                and sorted(map(sorted, t.get("edges", []))) == sorted(map(sorted, star))]
        if len(hits) != 1 or hits[0].get("coefficient") != coeff:
            fail(f + ": the lambda vertex on x1..x4", "expected one term with coefficient %s, "
                 "got %r" % (coeff, [h.get("coefficient") for h in hits]))


def test_prune_override(neft, rules_dir):
    sl = os.path.join(rules_dir, "single-layer.rules")
    for arg, prune in (("none", []), (" none ", []),
                       ("1pi", ["one-particle-irreducible"]),
                       ("tadpole,vacuum", ["vacuum", "tadpole"]),
                       (" connected , self-energy ", ["self-energy", "connected"]),
                       (",".join(reversed(PRUNE_NAMES)), PRUNE_NAMES)):
        obj = json_run(neft, ["diagrams", sl, "-n", "2", "-o", "1", "--prune", arg,
                              "--format", "json"], "--prune %r" % arg)
        if obj is not None and obj.get("prune") != prune:
            fail("--prune %r replaces the file's list" % arg,
                 "got %r, expected %r" % (obj.get("prune"), prune))


def test_doc(neft):
    path = os.path.join("..", "docs", "rules.md")
    try:
        with open(path, encoding="utf-8") as fh:
            doc = fh.read()
    except OSError as e:
        fail("cannot read docs/rules.md: %s" % e)
        return
    blocks = re.findall(r"^```rules\n(.*?)^```", doc, re.S | re.M)
    if len(blocks) < 1:
        fail("docs/rules.md has no ```rules example")
    with tempfile.TemporaryDirectory() as tmp:
        for i, text in enumerate(blocks):
            f = os.path.join(tmp, "doc%d.rules" % i)
            with open(f, "w", encoding="utf-8") as fh:
                fh.write(text)
            couplings, prune = reference_read(text)
            obj = json_run(neft, ["diagrams", f, "-n", "2", "-o", "1", "--format", "json"],
                           "docs/rules.md example %d" % (i + 1))
            if obj is not None:
                check_theory_json(obj, couplings, prune, "docs/rules.md example %d" % (i + 1))

    # Every documented error message is the real one for its corpus file.
    expected = dict(read_expected())
    errors = re.findall(r"^```errors\n(.*?)^```", doc, re.S | re.M)
    if not errors:
        fail("docs/rules.md has no ```errors block")
    for block in errors:
        for line in block.splitlines():
            m = re.match(r"rules-bad/([^:]+):(.*)$", line)
            if m is None or m.group(1) not in expected:
                fail("docs/rules.md: error example not from the corpus", line)
            elif expected[m.group(1)] != m.group(2):
                fail("docs/rules.md: error example differs from rules-bad/EXPECTED",
                     "doc      %r\nEXPECTED %r" % (m.group(2), expected[m.group(1)]))
            else:
                args = ["diagrams", "rules-bad/" + m.group(1), "-n", "2", "-o", "1"]
                got = expect_usage_error(neft, args)
                if got != line:
                    fail("docs/rules.md: error example is not what neft prints",
                         "doc  %r\nneft %r" % (line, got))


def main():
    if len(sys.argv) != 3:
        print("usage: cli.py NEFT_BINARY RULES_DIR  (cwd tests/)", file=sys.stderr)
        return 2
    neft, rules_dir = os.path.abspath(sys.argv[1]), sys.argv[2]
    if not os.path.isfile("rules-bad/EXPECTED"):
        print("cli.py: run me from tests/ (rules-bad/EXPECTED not found)", file=sys.stderr)
        return 2
    test_bad_files(neft)
    test_bad_arguments(neft, rules_dir)
    test_good_files(neft, rules_dir)
    test_prune_override(neft, rules_dir)
    test_doc(neft)
    for f in failures:
        print("FAIL: " + f)
    print("cli: %s (%d failure%s)" % ("FAIL" if failures else "PASS", len(failures),
                                      "" if len(failures) == 1 else "s"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
