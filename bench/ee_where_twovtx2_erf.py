#!/usr/bin/env python3
"""Where the both-far piece I_EE of the Erf two-vertex integrals in d_in = 2
spends its node values (src/integrate/twovtx2_erffar_ee.c; docs/integrate.md
"Stop 36").  Input: the stack's log, one line per rule, from

    build/tests/t-twovtx2-erffar CASE GOAL 2 2> log     (CASE 11-16)

Output: the rule node values (n0 n1 n2 n3 per rule; the bounds' complex
boxes are not in the log) per kind of side pair (same side, adjacent,
opposite), per region of the angles (near the ridge / opposite ray: delta <=
0.25 on the sheared maps; a corner cone of adjacent sides: s, s' within
0.25 of (1, -1) or (-1, 1); the rest) and per shell of w = max(w, w') (the
cone points lie at w = w' = 0, i.e. at the smallest w), the depths, and the
mean node count per axis (weighted by node values; "Stop 37")."""

import collections
import math
import re
import sys

LINE = re.compile(r"map (\d+) depth (\d+) \[(\S+) (\S+)\]x\[(\S+) (\S+)\]x\[(\S+) (\S+)\]"
                  r"x\[(\S+) (\S+)\] n (\d+) (\d+) (\d+) (\d+)")


def maps():
    """the maps of _neft_twovtx2_erffar_ee in its order: (ky, kz, shear)"""
    out = []
    for ky in range(4):
        for kz in range(4):
            if (kz - ky) % 2 == 0:
                out += [(ky, kz, 1), (ky, kz, -1)]
            else:
                out.append((ky, kz, 0))
    return out


def main(path):
    M = maps()
    by_kind = collections.Counter()
    nrules = collections.Counter()
    by_w = collections.Counter()
    depth = collections.Counter()
    axis = [0.0] * 4                # node values times the axis' node count
    total = 0
    for line in open(path):
        m = LINE.search(line)
        if not m:
            continue
        g = m.groups()
        mp, d = int(g[0]), int(g[1])
        lo = [float(g[2]), float(g[4]), float(g[6]), float(g[8])]
        hi = [float(g[3]), float(g[5]), float(g[7]), float(g[9])]
        nv = 1
        for x in g[10:14]:
            nv *= int(x)
        for i in range(4):
            axis[i] += nv * int(g[10 + i])
        ky, kz, sh = M[mp]
        kind = {0: "same side", 1: "adjacent", 2: "opposite", 3: "adjacent"}[(kz - ky) % 4]
        if sh:
            reg = "delta <= 0.25" if hi[1] <= 0.25 else "delta > 0.25"
        else:
            corner = (lo[1] >= 0.75 and hi[3] <= -0.75) or (hi[1] <= -0.75 and lo[3] >= 0.75)
            reg = "corner cone" if corner else "off the corners"
        w = min(lo[0], lo[2])           # the box's smaller w: its dyadic shell
        shell = 2.0 ** math.floor(math.log2(w)) if w > 0 else 0.0
        by_kind[(kind, reg)] += nv
        nrules[(kind, reg)] += 1
        by_w["min(w, w') in [%.4g, %.4g)" % (shell, 2 * shell)] += nv
        depth[d] += 1
        total += nv
    if not total:
        sys.exit("no rules in the log (run the case with a third argument 2)")
    print("rule node values: %d in %d rules" % (total, sum(nrules.values())))
    for k, v in sorted(by_kind.items(), key=lambda x: -x[1]):
        print("  %-10s %-16s %11d  %5.1f%%  (%d rules)" % (k[0], k[1], v, 100.0 * v / total,
                                                          nrules[k]))
    for k, v in sorted(by_w.items(), key=lambda x: -x[1])[:12]:
        print("  %-32s %11d  %5.1f%%" % (k, v, 100.0 * v / total))
    print("  depths: " + ", ".join("%d: %d" % kv for kv in sorted(depth.items())))
    print("  nodes per axis (weighted by node values): w %.1f, angle %.1f, w' %.1f, angle %.1f"
          % tuple(a / total for a in axis))


if __name__ == "__main__":
    main(sys.argv[1])
