#!/usr/bin/env python3
"""Halverson-Maiti-Stoner eq. 3.19 (arXiv:2008.08601) from `neft diagrams`.

    python3 hms319.py NEFT_BINARY RULES_DIR     (working directory tests/)

The 6-point function of the single-layer theory (lambda f^4 + kappa f^6,
weight 1, prune vacuum + two-point-component) to first order is exactly

    15 terms  + K K K                       (all pairings of x1..x6)
    15 terms  - 24 lambda  \\int y: four points on y, the other two joined
     1 term   - 720 kappa  \\int y: all six points on y
    15 terms  - 360 kappa  \\int y: K(y,y), four points on y, two joined

The expected set is built here from that list, not from the generator, and
compared with the JSON output as a multiset of (coefficient, coupling
monomial, edge multiset).  Also checked: the JSON schema and key order, that
`neft diagrams` without RULES gives the same result (the built-in default
theory), the text format (46 term lines, the HMS line for x1..x4), and
--group (4 representatives with multiplicities 15, 15, 1, 15 in JSON and
"+ perms (15 terms)" in the text).  Exit status 0 when all hold, 1 otherwise;
each failure is printed as a `FAIL:` line.
"""

import json
import os
import subprocess
import sys
from collections import Counter
from fractions import Fraction
from itertools import combinations

failures = []


def fail(what, detail=""):
    failures.append(what + ("\n    " + detail.replace("\n", "\n    ") if detail else ""))


def run(neft, args):
    p = subprocess.run([neft] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    out = p.stdout.decode("utf-8", "replace")
    if p.returncode != 0:
        fail("`neft %s` exited with %d" % (" ".join(args), p.returncode),
             p.stderr.decode("utf-8", "replace"))
        return None
    return out


def pairings(points):
    """All perfect matchings of a list of points, as lists of pairs."""
    if not points:
        return [[]]
    first, rest = points[0], points[1:]
    result = []
    for i, other in enumerate(rest):
        for tail in pairings(rest[:i] + rest[i + 1:]):
            result.append([(first, other)] + tail)
    return result


def edge(u, v):
    return (u, v) if u <= v else (v, u)


def key(coefficient, monomial, edges):
    """Comparable form of a term: the edge list as a sorted multiset."""
    return (Fraction(coefficient), tuple(sorted(monomial.items())),
            tuple(sorted(edge(u, v) for u, v in edges)))


X = ["x%d" % i for i in range(1, 7)]


def expected_classes():
    """{class name: list of term keys} for HMS eq. 3.19."""
    gp = [key(1, {}, p) for p in pairings(X)]
    quartic, sextic_loop = [], []
    for a, b in combinations(X, 2):
        four = [x for x in X if x not in (a, b)]
        quartic.append(key(-24, {"lambda": 1}, [(a, b)] + [(x, "y1") for x in four]))
        sextic_loop.append(key(-360, {"kappa": 1},
                               [(a, b), ("y1", "y1")] + [(x, "y1") for x in four]))
    sextic = [key(-720, {"kappa": 1}, [(x, "y1") for x in X])]
    return {"GP": gp, "lambda": quartic, "kappa": sextic, "kappa-loop": sextic_loop}


def term_key(t, where):
    """The key of a JSON term, after checking the term's own consistency."""
    if list(t.keys())[:4] != ["coefficient", "couplings", "vertices", "edges"]:
        fail("%s: term keys are %s" % (where, list(t.keys())))
    coupling_of = {v["name"]: v["coupling"] for v in t["vertices"]}
    if Counter(coupling_of.values()) != Counter(t["couplings"]):
        fail("%s: vertices %s do not match couplings %s" % (where, t["vertices"], t["couplings"]))
    if [v["name"] for v in t["vertices"]] != ["y%d" % (i + 1) for i in range(len(t["vertices"]))]:
        fail("%s: vertices not named y1..ym: %s" % (where, t["vertices"]))
    for e in t["edges"]:
        for p in e:
            if p not in X and p not in coupling_of:
                fail("%s: edge %s names an unknown point" % (where, e))
    return key(t["coefficient"], t["couplings"], [tuple(e) for e in t["edges"]])


def check_json(out, label):
    try:
        obj = json.loads(out)
    except ValueError as e:
        fail("%s: output is not JSON (%s)" % (label, e), out[:500])
        return None
    if list(obj.keys()) != ["points", "order", "couplings", "prune", "terms"]:
        fail("%s: top-level keys are %s" % (label, list(obj.keys())))
    if obj.get("points") != 6 or obj.get("order") != 1:
        fail("%s: points/order are %s/%s" % (label, obj.get("points"), obj.get("order")))
    want = [{"name": "lambda", "legs": 4, "weight": "1"},
            {"name": "kappa", "legs": 6, "weight": "1"}]
    if obj.get("couplings") != want:
        fail("%s: couplings are %s" % (label, obj.get("couplings")))
    for c in obj.get("couplings", []):
        if list(c.keys()) != ["name", "legs", "weight"]:
            fail("%s: coupling keys are %s" % (label, list(c.keys())))
    if obj.get("prune") != ["vacuum", "two-point-component"]:
        fail("%s: prune is %s" % (label, obj.get("prune")))
    return obj


def main():
    if len(sys.argv) != 3:
        print("usage: hms319.py NEFT_BINARY RULES_DIR", file=sys.stderr)
        return 2
    neft, rules_dir = sys.argv[1], sys.argv[2]
    rules = os.path.join(rules_dir, "single-layer.rules")
    classes = expected_classes()
    expected = Counter(k for ks in classes.values() for k in ks)
    if sum(expected.values()) != 46 or len(expected) != 46:
        fail("internal: the expected list has %d terms" % sum(expected.values()))
    class_of = {k: name for name, ks in classes.items() for k in ks}

    # The exact set of terms.
    out = run(neft, ["diagrams", rules, "-n", "6", "-o", "1", "--format", "json"])
    obj = check_json(out, "json") if out is not None else None
    if obj is not None:
        got = Counter(term_key(t, "term %d" % i) for i, t in enumerate(obj["terms"]))
        if got != expected:
            missing = expected - got
            extra = got - expected
            fail("json: %d terms differ from HMS eq. 3.19 (expected 46, got %d)"
                 % (sum(missing.values()) + sum(extra.values()), len(obj["terms"])),
                 "missing: %s\nextra: %s" % (sorted(missing)[:5], sorted(extra)[:5]))
        if any("multiplicity" in t for t in obj["terms"]):
            fail("json: \"multiplicity\" present without --group")

    # The built-in default theory is the same as rules/single-layer.rules,
    # and n = 6, order 1 are its defaults.
    for args in (["diagrams", "--format", "json"],
                 ["diagrams", "-n", "6", "-o", "1", "--format", "json"]):
        dout = run(neft, args)
        if dout is not None and obj is not None:
            try:
                same = json.loads(dout) == obj
            except ValueError:
                same = False
            if not same:
                fail("`neft %s` differs from the rules file" % " ".join(args))

    # Text: one line per term, the HMS line present verbatim.
    text = run(neft, ["diagrams", rules, "-n", "6", "-o", "1"])
    if text is not None:
        lines = [l for l in text.splitlines() if l.strip() and not l.startswith("#")]
        if len(lines) != 46:
            fail("text: %d term lines, expected 46" % len(lines), text)
        hms = "- 24 λ ∫ d^d y1 K(x1,y1) K(x2,y1) K(x3,y1) K(x4,y1) K(x5,x6)"
        if hms not in lines:
            fail("text: no line '%s'" % hms, text)
        for want in ("- 720 κ ∫ d^d y1 K(x1,y1) K(x2,y1) K(x3,y1) K(x4,y1) K(x5,y1) K(x6,y1)",
                     "+ 1 K(x1,x2) K(x3,x4) K(x5,x6)"):
            if want not in lines:
                fail("text: no line '%s'" % want, text)
        if sum(1 for l in lines if l.startswith("- 360 κ ") and l.endswith(" K(y1,y1)")) != 15:
            fail("text: not 15 lines '- 360 κ ... K(y1,y1)'", text)

    # Grouped: one representative per permutation class.
    gout = run(neft, ["diagrams", rules, "-n", "6", "-o", "1", "--format", "json", "--group"])
    gobj = check_json(gout, "json --group") if gout is not None else None
    if gobj is not None:
        got = {}
        for i, t in enumerate(gobj["terms"]):
            k = term_key(t, "grouped term %d" % i)
            if list(t.keys()) != ["coefficient", "couplings", "vertices", "edges", "multiplicity"]:
                fail("json --group: term keys are %s" % list(t.keys()))
            if k not in class_of:
                fail("json --group: representative %s is not a term of eq. 3.19" % (k,))
                continue
            if class_of[k] in got:
                fail("json --group: two representatives of class %s" % class_of[k])
            got[class_of[k]] = t.get("multiplicity")
        want = {name: len(ks) for name, ks in classes.items()}
        if got != want:
            fail("json --group: multiplicities %s, expected %s" % (got, want))
        mults = [t.get("multiplicity") for t in gobj["terms"]]
        if sorted(mults) != [1, 15, 15, 15]:
            fail("json --group: multiplicities %s, expected 15, 15, 1, 15" % mults)

    gtext = run(neft, ["diagrams", rules, "-n", "6", "-o", "1", "--group"])
    if gtext is not None:
        lines = [l for l in gtext.splitlines() if l.strip() and not l.startswith("#")]
        if len(lines) != 4:
            fail("text --group: %d term lines, expected 4" % len(lines), gtext)
        if sum(1 for l in lines if l.endswith("  + perms (15 terms)")) != 3:
            fail("text --group: not 3 lines ending in '+ perms (15 terms)'", gtext)
        if sum(1 for l in lines if l.startswith("- 720 κ ") and "perms" not in l) != 1:
            fail("text --group: the -720 κ line should carry no perms", gtext)

    for f in failures:
        print("FAIL: " + f)
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("ok: HMS eq. 3.19 (46 terms, 4 classes), text, json, --group, default theory")
    return 0


if __name__ == "__main__":
    sys.exit(main())
