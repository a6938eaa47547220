#!/usr/bin/env python3
"""Position-weighted and non-local vertices in `neft diagrams` (issue 18 item 2).

    python3 nonlocal.py NEFT_BINARY RULES_DIR

1. The zero-dimensional sum rule extended to them.  In zero dimensions a
   non-local vertex \\int..\\int f(y1)^k1 .. f(yP)^kP (weight function 1) is
   phi^(k1+..+kP), and a position weight |y|^p is a number omega (here 3):
   for each coupling monomial g^e the sum over the generator's terms of
   coef * omega^(e of the weighted couplings) is a coefficient of the exact
   zero-dimensional series of S = phi^2/2 + sum_c w_c omega_c g_c phi^k_c
   (sumrule.Reference, zerodim.py; the generator is never used for a
   reference), for prune none, vacuum, vacuum+two-point-component and
   connected.
2. Every term, by brute force: every Wick pairing of the half-edges (the
   points of a non-local vertex have their own half-edges), each turned into
   a multigraph on the points, pruned by the rules on the fused graph (each
   non-local vertex one vertex; implemented here from docs/rules.md), sorted
   into classes by every relabelling that maps vertices to vertices of the
   same coupling and points to points with as many legs; the coefficient of
   a class is (matchings realising it) * prod_c (-w_c)^m_c / m_c!.  The
   generator's terms must be exactly these classes (no class twice: the
   canonical form) with exactly these coefficients.
3. The shapes the three-operator fit needs: the O(lambdaNL) connected
   4-point terms are the three pairings, -8 each.

Exit status 0 when everything agrees, 1 otherwise (`FAIL:` lines).
"""
import os
import sys
import tempfile
from collections import Counter
from fractions import Fraction
from itertools import permutations, product
from math import factorial

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zerodim as zd  # noqa: E402
from neftio import run_neft  # noqa: E402
from sumrule import Reference  # noqa: E402

OMEGA = Fraction(3)      # |y|^p in zero dimensions

# name -> [(coupling, point legs, weight, position power)]
THEORIES = {
    "three": [("lam", (4,), Fraction(1), 0), ("lam2", (4,), Fraction(1), 2),
              ("nl", (2, 2), Fraction(1), 0)],
    "odd": [("g", (1, 2), Fraction(1, 2), 0), ("h", (1, 1), Fraction(-1, 3), 0),
            ("s", (3, 3), Fraction(1, 36), 0), ("q", (4,), Fraction(1), 1)],
    "three_points": [("t", (2, 1, 1), Fraction(1), 0), ("u", (2,), Fraction(1, 2), 1)],
}

SUMRULE_CASES = [
    ("three", ["none", "vacuum", "vacuum,two-point-component", "connected"], 6, 2),
    ("odd", ["none", "vacuum", "connected"], 5, 2),
    ("three_points", ["none", "connected"], 4, 2),
]

BRUTE_CASES = [  # (theory, prune, n, order), n + legs <= 12
    ("three", "none", 2, 2), ("three", "vacuum,two-point-component", 4, 1),
    ("three", "connected", 4, 2), ("three", "vacuum", 0, 2),
    ("odd", "none", 3, 2), ("odd", "connected", 2, 2),
    ("three_points", "none", 2, 2), ("three_points", "connected", 4, 1),
]

failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL: " + msg)


def write(tmp, name, theory):
    path = os.path.join(tmp, name + ".rules")
    with open(path, "w") as f:
        f.write(f"name {name} (nonlocal.py)\n")
        for c, pl, w, p in theory:
            f.write(f"coupling {c} legs {'+'.join(map(str, pl))} weight {w}"
                    + (f" position |y|^{p}" if p else "") + "\n")
    return path


def sumrule(neft, tmp):
    for name, prunes, nmax, M in SUMRULE_CASES:
        th = THEORIES[name]
        names = [c for c, _, _, _ in th]
        cpl = [(c, sum(pl), w * (OMEGA if p else 1)) for c, pl, w, p in th]
        R = Reference(cpl, M, nmax + 2 * M * 6 + 2)
        path = write(tmp, name, th)
        for prune in prunes:
            for n in range(0, nmax + 1):
                out = run_neft(neft, path, n, M, prune)
                got = {}
                for t in out["terms"]:
                    e = tuple(int(t["couplings"].get(c, 0)) for c in names)
                    c = Fraction(t["coefficient"])
                    for (_, _, _, p), ei in zip(th, e):
                        if p:
                            c *= OMEGA ** ei
                    got[e] = got.get(e, 0) + c
                want = R.series(prune, n)
                got = zd.clean(got)
                if want != got:
                    fail(f"sum rule {name} n={n} order={M} prune={prune}: expected "
                         f"{zd.fmt(want, names)}, got {zd.fmt(got, names)}")


# ---- brute force -------------------------------------------------------

def fused_components(n, points, edges):
    """Components of the fused graph (points of one vertex joined)."""
    N = n + len(points)
    parent = list(range(N))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a
    for a, b in edges:
        parent[find(a)] = find(b)
    for i, (v, _, _) in enumerate(points):
        for j, (w, _, _) in enumerate(points):
            if v == w:
                parent[find(n + i)] = find(n + j)
    comps = {}
    for x in range(N):
        comps.setdefault(find(x), []).append(x)
    return list(comps.values())


def keep(n, points, edges, prune):
    comps = fused_components(n, points, edges)
    rules = set(prune.split(",")) - {"none"}
    for c in comps:
        ext = sum(1 for x in c if x < n)
        vert = sum(1 for x in c if x >= n)
        if "vacuum" in rules and ext == 0:
            return False
        if "two-point-component" in rules and ext == 2 and vert > 0:
            return False
    if "connected" in rules and len(comps) != 1:
        return False
    return True


def canon(n, points, edges, theory):
    """Smallest edge multiset over relabellings of vertices (same coupling)
    and of points within a vertex (same legs)."""
    # vertices renumbered in order of coupling, so that labels mean the same
    # whatever order the term lists its vertices in
    order = sorted({v for v, _, _ in points}, key=lambda v: (points_of(points, v)[0][1], v))
    ren = {v: i for i, v in enumerate(order)}
    points = [(ren[v], c, k) for v, c, k in points]
    verts = sorted({v for v, _, _ in points})
    best = None
    for perm in permutations(verts):
        vmap = dict(zip(verts, perm))
        if any(points_of(points, v)[0][1] != points_of(points, vmap[v])[0][1] for v in verts):
            continue
        # point permutations within each vertex, legs preserved
        per_vertex = []
        for v in verts:
            pts = points_of(points, v)
            opts = []
            for pp in permutations(range(len(pts))):
                if all(pts[i][2] == pts[pp[i]][2] for i in range(len(pts))):
                    opts.append(pp)
            per_vertex.append(opts)
        for choice in product(*per_vertex):
            lab = {}
            for v, pp in zip(verts, choice):
                for i, (pi, _, _) in enumerate(points_of_idx(points, v)):
                    lab[n + pi] = ("y", vmap[v], pp[i])
            for x in range(n):
                lab[x] = ("x", x, 0)
            key = tuple(sorted(tuple(sorted((lab[a], lab[b]))) for a, b in edges))
            key = (tuple(sorted((vmap[v], points_of(points, v)[0][1]) for v in verts)), key)
            if best is None or key < best:
                best = key
    if best is None:
        best = ((), tuple(sorted(tuple(sorted((("x", a, 0), ("x", b, 0)))) for a, b in edges)))
    return best


def points_of(points, v):
    return [p for p in points if p[0] == v]


def points_of_idx(points, v):
    return [(i, p[1], p[2]) for i, p in enumerate(points) if p[0] == v]


def matchings(items):
    if not items:
        yield []
        return
    a = items[0]
    for i in range(1, len(items)):
        rest = items[1:i] + items[i + 1:]
        for m in matchings(rest):
            yield [(a, items[i])] + m


def brute(neft, tmp, name, prune, n, order):
    th = THEORIES[name]
    path = write(tmp, name, th)
    out = run_neft(neft, path, n, order, prune)
    names = [c for c, _, _, _ in th]
    # the generator's classes
    gen = Counter()
    for t in out["terms"]:
        vid = {}
        points = []
        for idx, v in enumerate(t["vertices"]):
            head = v.get("vertex", v["name"])
            vid.setdefault(head, len(vid))
            c = names.index(v["coupling"])
            legs = th[c][1][v.get("point", 0)]
            points.append((vid[head], c, legs))
        ids = {f"x{i + 1}": i for i in range(n)}
        for idx, v in enumerate(t["vertices"]):
            ids[v["name"]] = n + idx
        edges = [(ids[a], ids[b]) for a, b in t["edges"]]
        e = tuple(int(t["couplings"].get(c, 0)) for c in names)
        if n + sum(ei * sum(th[c][1]) for c, ei in enumerate(e)) > 12:
            continue                  # beyond the brute force
        k = canon(n, points, edges, th)
        if k in gen:
            fail(f"{name} n={n} order={order} prune={prune}: a class twice: {t}")
        gen[k] += Fraction(t["coefficient"])
    # every vertex multiset up to the order
    want = Counter()
    for ms in product(range(order + 1), repeat=len(th)):
        if sum(ms) > order:
            continue
        points, half = [], [("x", i) for i in range(n)]
        v = 0
        for c, m in enumerate(ms):
            for _ in range(m):
                for j, k in enumerate(th[c][1]):
                    pi = len(points)
                    points.append((v, c, k))
                    half += [("p", pi, h) for h in range(k)]
                v += 1
        if len(half) % 2 or len(half) > 12:
            continue
        w = Fraction(1)
        for c, m in enumerate(ms):
            w *= Fraction(-th[c][2]) ** m / factorial(m)
        for mt in matchings(half):
            edges = []
            for a, b in mt:
                ea = a[1] if a[0] == "x" else n + a[1]
                eb = b[1] if b[0] == "x" else n + b[1]
                edges.append((ea, eb))
            if not keep(n, points, edges, prune):
                continue
            want[canon(n, points, edges, th)] += w
    want = {k: c for k, c in want.items() if c != 0}
    gen = dict(gen)
    for k in set(want) | set(gen):
        if want.get(k, 0) != gen.get(k, 0):
            fail(f"brute force {name} n={n} order={order} prune={prune}: class {k}: "
                 f"expected {want.get(k, 0)}, got {gen.get(k, 0)}")
    return len(gen)


def emitters(neft, rules):
    """Text, LaTeX, TikZ and SVG print the weight and the tie of the
    O(1/N) 4-point terms: one |y|^2 (lambda2), three non-local terms."""
    import re
    import subprocess

    def out(fmt):
        p = subprocess.run([neft, "diagrams", rules, "-n", "4", "-o", "1", "--prune",
                            "connected", "--format", fmt], capture_output=True, text=True)
        if p.returncode != 0:
            fail(f"diagrams --format {fmt}: exit {p.returncode} {p.stderr[:200]}")
        return p.stdout
    # streamed (each fused term split as it arrives) = held, as multisets
    def lines(extra):
        p = subprocess.run([neft, "diagrams", rules, "-n", "4", "-o", "2", "--prune", "vacuum"]
                           + extra, capture_output=True, text=True)
        return sorted(x for x in p.stdout.splitlines() if not x.startswith("#"))
    held, streamed = lines([]), lines(["--stream"])
    if held != streamed or len(held) != 463:
        fail(f"--stream: {len(streamed)} terms, held {len(held)} (expected 463, the same)")
    p = subprocess.run([neft, "diagrams", rules, "-n", "4", "-o", "1", "--prune", "connected",
                        "--group"], capture_output=True, text=True)
    if "w(y1,y2) K(x1,y1) K(x2,y1) K(x3,y2) K(x4,y2)  + perms (3 terms)" not in p.stdout:
        fail(f"--group: the three pairings not one family:\n{p.stdout}")
    # the term budget bounds the split terms too (672 here)
    p = subprocess.run([neft, "diagrams", rules, "-n", "4", "-o", "2", "--prune", "none",
                        "--max-terms", "400"], capture_output=True, text=True)
    if p.returncode != 2 or "budget exceeded" not in p.stderr:
        fail(f"--max-terms 400 on 672 split terms: exit {p.returncode} {p.stderr[:200]}")
    t = out("text")
    if t.count("|y1|^2") != 1 or t.count("w(y1,y2)") != 3:
        fail(f"text: expected one |y1|^2 and three w(y1,y2):\n{t}")
    if "lambdaNL (2+2 legs, weight 1, non-local, w = 1)" not in t or "position |y|^2" not in t:
        fail(f"text header: {t.splitlines()[1]}")
    t = out("latex")
    if t.count("|y_{1}|^{2}") != 1 or t.count("w(y_{1},y_{2})") != 3:
        fail("latex: expected one |y_{1}|^{2} and three w(y_{1},y_{2})")
    t = out("tikz")
    if t.count("\\draw[dashed]") != 3 or t.count("$|y|^{2}$") != 1:
        fail("tikz: expected three dashed ties and one |y|^{2} label")
    t = out("svg")
    ties = re.findall(r'class="tie"[^>]*d="M ([-0-9.]+) ([-0-9.]+) L ([-0-9.]+) ([-0-9.]+)"', t)
    if len(ties) != 3 or t.count('class="weight"') != 1:
        fail("svg: expected three ties and one weight label")
    for a, b, c, d in ties:
        if abs(float(a) - float(c)) + abs(float(b) - float(d)) < 5:
            fail(f"svg: the two points of a non-local vertex drawn on top of each other {ties}")


def main():
    if len(sys.argv) < 3:
        print("usage: nonlocal.py NEFT RULES_DIR", file=sys.stderr)
        return 2
    neft, rules = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        sumrule(neft, tmp)
        total = 0
        for case in BRUTE_CASES:
            total += brute(neft, tmp, *case)
        # the three-operator file: the shapes of the fit
        out = run_neft(neft, os.path.join(rules, "nnqft-three-operator.rules"), 4, 1,
                       "vacuum,two-point-component")
        # the Python package keeps the points and the weight
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                        "python"))
        from neft._expansion import parse_expansion
        ex = parse_expansion(out)
        cp = {c.name: c for c in ex.couplings}
        if cp["lambdaNL"].points != (2, 2) or cp["lambda2"].position != 2 \
                or cp["lambda"].points != (4,):
            fail(f"python: couplings {ex.couplings}")
        if sorted(len(t.ties) for t in ex.terms) != [0] * (len(ex.terms) - 3) + [2, 2, 2]:
            fail("python: ties of the three non-local terms")
        nl = [t for t in out["terms"] if t["couplings"] == {"lambdaNL": 1}]
        if len(nl) != 3 or any(t["coefficient"] != "-8" for t in nl):
            fail(f"three-operator file: O(lambdaNL) 4-point terms {nl}, expected 3 of -8")
        pairs = sorted(tuple(sorted(a for a, b in t["edges"] if b == "y1")) for t in nl)
        if pairs != [("x1", "x2"), ("x1", "x3"), ("x1", "x4")]:
            fail(f"three-operator file: pairings {pairs}")
        print(f"brute force: {total} classes checked")
        emitters(neft, os.path.join(rules, "nnqft-three-operator.rules"))
    print("nonlocal: %s" % ("FAILED" if failures else "ok"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
