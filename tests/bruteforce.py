#!/usr/bin/env python3
"""Brute-force check of `neft diagrams`: every Wick pairing, enumerated.

    python3 bruteforce.py NEFT_BINARY RULES_DIR

For small cases (n external legs plus all vertex legs <= MAX_LEGS, so at most
(MAX_LEGS-1)!! = 135135 pairings) this enumerates every perfect matching of
the legs -- externals x1..xn with one leg each, m_c labelled copies of each
vertex type c with k_c legs -- turns each matching into a multigraph, applies
the pruning rules (implemented here from their definitions in
docs/conventions.md, independently of the C predicates) and sorts the graphs
into isomorphism classes by brute force over every type-preserving
permutation of the internal vertices (externals fixed).  The coefficient of
a class is

    (number of matchings realising it, over all vertex labellings)
        * prod_c (-w_c)^{m_c} / m_c!

which is what expanding exp(-S) and Wick-contracting gives, with no symmetry
factor computed anywhere.  The generator's JSON terms with exactly that
vertex multiset (from a run at order |m|.. max) must be the same set of
classes with the same coefficients.

Also checked: the OEIS counts of phi^4 2-point diagrams per vertex number
(A352173 unpruned, A352174 connected), from the generator and, where
feasible, from the enumeration here.

Exit status 0 when everything agrees, 1 otherwise; failures are printed as
`FAIL: ...` lines naming the theory, n, prune list, vertex multiset and
diagram.
"""
import os
import sys
import tempfile
import time
from collections import Counter
from fractions import Fraction
from itertools import permutations, product
from math import factorial

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from neftio import run_neft, write_rules  # noqa: E402

MAX_LEGS = 14

# name -> list of (coupling name, legs, weight)
THEORIES = {
    "phi4": [("lam", 4, Fraction(1, 24))],
    "phi3": [("g", 3, Fraction(1, 6))],
    "phi6": [("h", 6, Fraction(1, 720))],
    "mixed": [("g", 3, Fraction(1, 6)), ("lam", 4, Fraction(1, 24)),
              ("h", 6, Fraction(1, 720))],
    # Halverson-Maiti-Stoner normalisation: S contains lambda f^4 + kappa f^6.
    "hms": [("lambda", 4, Fraction(1)), ("kappa", 6, Fraction(1))],
}

PRUNES = [
    "none",
    "vacuum",
    "vacuum,two-point-component",
    "two-point-component",
    "connected",
    "self-energy",
    "connected,self-energy",
    "tadpole",
    "connected,tadpole",
    "vacuum,tadpole",
    "one-particle-irreducible",
    "connected,one-particle-irreducible",
]

# (theory, n, max order[, max legs]): every vertex multiset of total <= max
# order whose leg count n + sum m_c k_c is <= max legs (default MAX_LEGS) is
# compared (odd counts included: there both sides must be empty).  Timings
# are printed; the two 16-leg cases (15!! = 2027025 pairings) take about 5 s
# each, everything else about 9 s together.  Left out for time: phi3 n=1
# m=5 and phi6 n=4 m=2 (16 legs), all 18-leg cases.
CASES = [
    ("phi4", 0, 3),
    ("phi4", 2, 3),
    ("phi4", 4, 3, 16),
    ("phi3", 0, 4),
    ("phi3", 1, 3),
    ("phi3", 2, 4),
    ("phi3", 3, 3),
    ("phi3", 4, 4, 16),
    ("phi6", 2, 2),
    ("phi6", 4, 1),
    ("mixed", 1, 3),
    ("mixed", 2, 3),
    ("mixed", 3, 2),
    ("mixed", 4, 2),
    ("hms", 6, 1),
    ("hms", 2, 2),
]

OEIS = {
    # phi^4 2-point function (weight 1/24), labelled diagrams with m vertices
    "none": [1, 2, 7, 23, 85, 340],        # A352173
    "connected": [1, 1, 3, 10, 39, 174],   # A352174
}


# ---------------------------------------------------------------- graphs
# A diagram: n externals (nodes 0..n-1), internal nodes n..n+m-1 with a type
# (coupling index) each, and a list of edges (a, b), a <= b, repeated for
# parallel edges, (v, v) for a self-loop.

def node_types(mvec):
    """Types of the internal nodes: m_c copies of type c, in coupling order."""
    t = []
    for c, mc in enumerate(mvec):
        t += [c] * mc
    return t


def pairings(n, types, legs):
    """Counter {sorted edge tuple: number of perfect matchings of the legs
    giving that labelled multigraph}.  Every matching is visited once: the
    lowest free leg is paired with each other free leg in turn."""
    owner = list(range(n))
    for i, c in enumerate(types):
        owner += [n + i] * legs[c]
    if len(owner) % 2:
        return Counter()
    if not owner:
        return Counter({(): 1})
    # Counted first by the edge sequence in the order generated (fewer
    # distinct keys than matchings), sorted once per sequence afterwards.
    raw = Counter()

    def rec(rem, edges):
        # owner is non-decreasing and rem sorted, so a <= owner[rem[k]]
        a = owner[rem[0]]
        if len(rem) == 2:
            raw[edges + ((a, owner[rem[1]]),)] += 1
            return
        for k in range(1, len(rem)):
            rec(rem[1:k] + rem[k + 1:], edges + ((a, owner[rem[k]]),))

    rec(tuple(range(len(owner))), ())
    out = Counter()
    for e, c in raw.items():
        out[tuple(sorted(e))] += c
    return out


def canon(n, types, edges):
    """Canonical form under type-preserving permutations of the internal
    nodes: (sorted types, lexicographically smallest sorted edge list).
    Brute force over all prod_c m_c! permutations."""
    groups = {}
    for i, c in enumerate(types):
        groups.setdefault(c, []).append(n + i)
    order = sorted(groups)
    slots = []  # slot ranges per type, in type order
    pos = n
    for c in order:
        slots.append((groups[c], list(range(pos, pos + len(groups[c])))))
        pos += len(groups[c])
    best = None
    for choice in product(*[permutations(s) for _, s in slots]):
        mp = list(range(n + len(types)))
        for (nodes, _), img in zip(slots, choice):
            for v, w in zip(nodes, img):
                mp[v] = w
        e = tuple(sorted((min(mp[a], mp[b]), max(mp[a], mp[b])) for a, b in edges))
        if best is None or e < best:
            best = e
    return (tuple(sorted(types)), best if best is not None else ())


def components(N, edges):
    """comp[v] for v < N, and the number of components."""
    parent = list(range(N))

    def find(v):
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    roots = {}
    comp = [roots.setdefault(find(v), len(roots)) for v in range(N)]
    return comp, len(roots)


def reach(N, edges, start, skip):
    """Nodes reachable from start without using edge number skip."""
    adj = [[] for _ in range(N)]
    for i, (a, b) in enumerate(edges):
        if i != skip:
            adj[a].append(b)
            adj[b].append(a)
    seen = {start}
    stack = [start]
    while stack:
        v = stack.pop()
        for w in adj[v]:
            if w not in seen:
                seen.add(w)
                stack.append(w)
    return seen


def bridges(N, edges):
    """[(edge index, side of a, side of b)] for every bridge (removing one
    copy of the edge separates its ends; parallel edges and loops never do)."""
    out = []
    for i, (a, b) in enumerate(edges):
        if a == b:
            continue
        side_a = reach(N, edges, a, i)
        if b in side_a:
            continue
        side_b = reach(N, edges, b, i)
        out.append((i, side_a, side_b))
    return out


def has_self_energy(n, m, edges, connected):
    """A non-empty set S of internal nodes, connected through edges inside
    S, with exactly two edge-ends leaving S (edges to externals count, a
    self-loop inside S counts nothing); S = all internal nodes is exempt
    for a connected 2-point diagram."""
    for mask in range(1, 1 << m):
        S = {n + i for i in range(m) if mask >> i & 1}
        leaving = sum((a in S) != (b in S) for a, b in edges)
        if leaving != 2:
            continue
        if n == 2 and connected and mask == (1 << m) - 1:
            continue
        # internally connected?
        start = next(iter(S))
        seen = {start}
        stack = [start]
        while stack:
            v = stack.pop()
            for a, b in edges:
                if a in S and b in S:
                    if a == v and b not in seen:
                        seen.add(b)
                        stack.append(b)
                    elif b == v and a not in seen:
                        seen.add(a)
                        stack.append(a)
        if seen == S:
            return True
    return False


def properties(n, m, edges):
    """Every predicate the pruning rules need, computed once per class."""
    N = n + m
    comp, ncomp = components(N, edges)
    ext = Counter(comp[v] for v in range(n))
    internal = Counter(comp[v] for v in range(n, N))
    br = bridges(N, edges)
    connected = ncomp == 1
    return {
        "vacuum": any(ext[c] == 0 for c in range(ncomp)),
        "two-point-component": any(ext[c] == 2 and internal[c] >= 1 for c in range(ncomp)),
        "connected": connected,
        "tadpole": any(not any(v < n for v in side_a) or not any(v < n for v in side_b)
                       for _, side_a, side_b in br),
        "internal-bridge": any(edges[i][0] >= n and edges[i][1] >= n for i, _, _ in br),
        "self-energy": has_self_energy(n, m, edges, connected),
    }


def keep(props, prune):
    """The rules are a conjunction: a diagram survives if no rule drops it."""
    if prune == "none":
        return True
    for rule in prune.split(","):
        if rule == "vacuum" and props["vacuum"]:
            return False
        if rule == "two-point-component" and props["two-point-component"]:
            return False
        if rule == "connected" and not props["connected"]:
            return False
        if rule == "tadpole" and props["tadpole"]:
            return False
        if rule == "self-energy" and props["self-energy"]:
            return False
        if rule == "one-particle-irreducible" and (not props["connected"]
                                                   or props["internal-bridge"]):
            return False
    return True


def reference_classes(theory, n, mvec):
    """{canonical form: (coefficient, props)} over all matchings with the
    vertex multiset mvec."""
    legs = [k for _, k, _ in theory]
    types = node_types(mvec)
    m = len(types)
    weight = Fraction(1)
    for (_, _, w), mc in zip(theory, mvec):
        weight *= Fraction(-w) ** mc / factorial(mc)
    counts = Counter()
    for edges, cnt in pairings(n, types, legs).items():
        counts[canon(n, types, edges)] += cnt
    out = {}
    for key, cnt in counts.items():
        out[key] = (cnt * weight, properties(n, m, list(key[1])))
    return out


# ---------------------------------------------------------------- neft
def term_graph(theory, n, term):
    """(mvec, types, edges) of a JSON term, internal nodes numbered n.. in
    the order of its vertex list."""
    cindex = {c: i for i, (c, _, _) in enumerate(theory)}
    idx = {f"x{i + 1}": i for i in range(n)}
    types = []
    for v in term["vertices"]:
        idx[v["name"]] = n + len(types)
        types.append(cindex[v["coupling"]])
    edges = [tuple(sorted((idx[a], idx[b]))) for a, b in term["edges"]]
    mvec = [0] * len(theory)
    for t in types:
        mvec[t] += 1
    return tuple(mvec), types, edges


def show(n, key):
    """A canonical form as text: y-vertices with their types, edge list."""
    types, edges = key

    def nm(v):
        return f"x{v + 1}" if v < n else f"y{v - n + 1}"
    return ("types " + str(list(types)) + " edges "
            + " ".join(f"{nm(a)}-{nm(b)}" for a, b in edges))


def main():
    if len(sys.argv) != 3:
        print("usage: bruteforce.py NEFT_BINARY RULES_DIR", file=sys.stderr)
        return 2
    neft = sys.argv[1]
    failures = 0
    checked = 0

    def fail(msg):
        nonlocal failures
        failures += 1
        print("FAIL: " + msg)

    t_start = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        files = {name: write_rules(tmp, name, th) for name, th in THEORIES.items()}
        phi3_counts = []
        for case in CASES:
            name, n, M = case[:3]
            maxlegs = case[3] if len(case) > 3 else MAX_LEGS
            t0 = time.time()
            theory = THEORIES[name]
            legs = [k for _, k, _ in theory]
            r = len(theory)
            mvecs = [mv for mv in product(range(M + 1), repeat=r) if sum(mv) <= M
                     and n + sum(a * k for a, k in zip(mv, legs)) <= maxlegs]
            refs = {mv: reference_classes(theory, n, mv) for mv in mvecs}
            t_ref = time.time() - t0
            for prune in PRUNES:
                try:
                    out = run_neft(neft, files[name], n, M, prune)
                except Exception as e:  # noqa: BLE001 - report and go on
                    fail(f"{name} n={n} order={M} prune={prune}: {e}")
                    continue
                got = {mv: {} for mv in mvecs}
                for term in out["terms"]:
                    mvec, types, edges = term_graph(theory, n, term)
                    want_c = {c: e for c, e in zip([c for c, _, _ in theory], mvec) if e}
                    if term.get("couplings", {}) != want_c:
                        fail(f"{name} n={n} prune={prune}: term couplings "
                             f"{term.get('couplings')} do not match its vertices {want_c}")
                    if mvec not in got:
                        continue
                    key = canon(n, types, edges)
                    c = Fraction(term["coefficient"])
                    if key in got[mvec]:
                        fail(f"{name} n={n} prune={prune} m={list(mvec)}: "
                             f"duplicate term {show(n, key)}")
                        got[mvec][key] += c
                    else:
                        got[mvec][key] = c
                for mv in mvecs:
                    checked += 1
                    want = {k: c for k, (c, p) in refs[mv].items() if keep(p, prune)}
                    g = got[mv]
                    for k in sorted(set(want) | set(g)):
                        if want.get(k) != g.get(k):
                            fail(f"{name} n={n} prune={prune} m={list(mv)}: "
                                 f"{show(n, k)}: expected {want.get(k, 'absent')}, "
                                 f"got {g.get(k, 'absent')}")
                    if name == "phi3" and prune in ("none", "connected") and want:
                        phi3_counts.append((n, mv[0], prune, len(want), len(g)))
            print(f"{name:5s} n={n} order<={M}: {len(mvecs)} vertex multisets x "
                  f"{len(PRUNES)} prune lists, {sum(len(v) for v in refs.values())} "
                  f"classes; enumeration {t_ref:.2f} s, total {time.time() - t0:.2f} s")

        print("phi3 labelled diagram counts verified by enumeration "
              "(n, m, prune: enumeration / neft):")
        for n, m, prune, a, b in phi3_counts:
            print(f"  phi3 n={n} m={m} {prune:9s}: {a} / {b}")

        # OEIS A352173 / A352174: phi^4 2-point diagrams per vertex number.
        t0 = time.time()
        for prune, seq in OEIS.items():
            M = len(seq) - 1
            try:
                out = run_neft(neft, files["phi4"], 2, M, prune)
            except Exception as e:  # noqa: BLE001
                fail(f"OEIS phi4 n=2 order={M} prune={prune}: {e}")
                continue
            cnt = Counter(len(t["vertices"]) for t in out["terms"])
            got = [cnt.get(m, 0) for m in range(M + 1)]
            checked += 1
            print(f"phi4 2-point, prune {prune}: neft {got}, OEIS {seq}")
            if got != seq:
                fail(f"phi4 n=2 order={M} prune={prune}: counts per vertex number "
                     f"{got}, expected {seq}")
            # and the enumeration here, where feasible (2 + 4m <= MAX_LEGS)
            mine = [sum(1 for _, p in reference_classes(THEORIES["phi4"], 2, (m,)).values()
                        if keep(p, prune))
                    for m in range(M + 1) if 2 + 4 * m <= MAX_LEGS]
            if mine != seq[:len(mine)]:
                fail(f"enumeration of phi4 n=2 prune={prune} gives {mine}, OEIS {seq}")
        print(f"OEIS checks: {time.time() - t0:.2f} s")

    print(f"{checked} (theory, n, prune, vertex multiset) comparisons, "
          f"{failures} failures, {time.time() - t_start:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
