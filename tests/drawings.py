#!/usr/bin/env python3
"""The drawings of `neft diagrams` are legible, measured on the coordinates
they emit (no TeX needed).

    python3 drawings.py NEFT_BINARY RULES_DIR      (working directory tests/)

For every diagram of several expansions (φ⁴ 2-, 4- and 6-point functions,
φ³, the single-layer theory with λ and κ of HMS eq. 3.19, vacuum bubbles,
self-loops, double and triple propagators), in each of the three places a
drawing appears -- `--format svg`, `--format tikz` and the pictures beside
the terms of `--format latex --diagrams` -- the test reads back every line
(straight segment or cubic Bezier), dot, vertex marker and label, converts
to points (1/72.27 in) and asserts, with the limits below:

- a label's box keeps LABEL_GAP from every line, every dot or marker and
  every other label;
- a line passes no vertex other than its own ends closer than VERTEX_GAP
  beyond the vertex's marker;
- two vertices are at least VERTEX_SEP apart;
- distinct propagators between the same two vertices are PARALLEL_GAP apart
  at their middles (t = 1/2);
- a self-loop reaches LOOP_FACTOR times the marker radius from its vertex,
  and keeps LOOP_GAP from every line that does not end at its vertex;
- two lines leaving one vertex leave in directions at least MIN_ANGLE
  degrees apart (so that a propagator never merges into another);
- the SVG is well-formed XML, and two runs give the same bytes.

A label's box is estimated from its text (x with a subscript index at
7pt): width 4.3 + 2.6 per digit, height 5.2 points, centred where the
writer puts the label (for TikZ `anchor=A` nodes, the point of the box's
border in direction A is at the node's position).  The limits are absolute
(points), so the drawings must stay legible at the default sizes.
"""

import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

CM = 72.27 / 2.54
LABEL_GAP = 0.8
VERTEX_GAP = 1.0
VERTEX_SEP = 7.0
PARALLEL_GAP = 4.0
MARKER = 2.2            # radius of an internal vertex marker (the TikZ circle is 1.9pt)
LOOP_FACTOR = 3.0
LOOP_GAP = 1.5
MIN_ANGLE = 12.0

failures = []


def fail(msg):
    failures.append(msg)


def run(neft, args):
    p = subprocess.run([neft] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    if p.returncode != 0:
        fail("`neft %s` exited with %d: %s" % (" ".join(args), p.returncode, p.stderr.decode()))
        return None
    return p.stdout.decode("utf-8")


def label_box(cx, cy, digits):
    hw, hh = 0.5 * (4.3 + 2.6 * digits), 2.6
    return (cx - hw, cy - hh, cx + hw, cy + hh)


# --- geometry -------------------------------------------------------------

def bezier(p, t):
    a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t ** 3
    return (a * p[0][0] + b * p[1][0] + c * p[2][0] + d * p[3][0],
            a * p[0][1] + b * p[1][1] + c * p[2][1] + d * p[3][1])


def polyline(curve, k=48):
    if curve["straight"]:
        return [curve["p"][0], curve["p"][3]]
    return [bezier(curve["p"], i / k) for i in range(k + 1)]


def pt_seg(p, a, b):
    dx, dy = b[0] - a[0], b[1] - a[1]
    L = dx * dx + dy * dy
    t = 0 if L == 0 else max(0, min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / L))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def pt_box(p, box):
    dx = max(box[0] - p[0], 0, p[0] - box[2])
    dy = max(box[1] - p[1], 0, p[1] - box[3])
    return math.hypot(dx, dy)


def seg_hits_box(a, b, box):
    """Liang-Barsky: does segment ab meet the box?"""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - box[0]), (dx, box[2] - a[0]), (-dy, a[1] - box[1]), (dy, box[3] - a[1])):
        if p == 0:
            if q < 0:
                return False
        else:
            r = q / p
            if p < 0:
                t0 = max(t0, r)
            else:
                t1 = min(t1, r)
            if t0 > t1:
                return False
    return True


def seg_box(a, b, box):
    if seg_hits_box(a, b, box):
        return 0.0
    corners = [(box[0], box[1]), (box[0], box[3]), (box[2], box[1]), (box[2], box[3])]
    return min([pt_box(a, box), pt_box(b, box)] + [pt_seg(c, a, b) for c in corners])


def poly_box(pl, box):
    return min(seg_box(pl[i], pl[i + 1], box) for i in range(len(pl) - 1))


def poly_pt(pl, p):
    return min(pt_seg(p, pl[i], pl[i + 1]) for i in range(len(pl) - 1))


def box_box(a, b):
    dx = max(a[0] - b[2], 0, b[0] - a[2])
    dy = max(a[1] - b[3], 0, b[1] - a[3])
    return math.hypot(dx, dy)


# --- readers --------------------------------------------------------------

def read_svg(text, where):
    """Diagrams of an SVG document: lists of curves, vertices, labels."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        fail("%s: not well-formed XML: %s" % (where, e))
        return []
    ns = "{http://www.w3.org/2000/svg}"
    out = []
    for g in root.iter(ns + "g"):
        if g.get("class") != "term":
            continue
        m = re.match(r"translate\(([-\d.]+),([-\d.]+)\)", g.get("transform", ""))
        if m is None:
            fail("%s: a term without translate()" % where)
            continue
        d = {"curves": [], "vertices": [], "labels": [], "name": "%s %s" % (where, g.get("id"))}
        for el in g.iter():
            cls = el.get("class")
            if el.tag == ns + "path" and cls == "line":
                nums = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", el.get("d"))]
                pts = [(nums[i], -nums[i + 1]) for i in range(0, len(nums), 2)]
                if " L " in el.get("d"):
                    a, b = pts
                    d["curves"].append({"straight": True, "p": [a, a, b, b]})
                else:
                    d["curves"].append({"straight": False, "p": pts})
            elif cls == "point":
                d["vertices"].append(((float(el.get("cx")), -float(el.get("cy"))),
                                      float(el.get("r")), True))
            elif cls == "vertex":
                if el.tag == ns + "circle":
                    c = (float(el.get("cx")), -float(el.get("cy")))
                elif el.tag == ns + "rect":
                    c = (float(el.get("x")) + 0.5 * float(el.get("width")),
                         -float(el.get("y")) - 0.5 * float(el.get("height")))
                else:
                    ps = [tuple(float(v) for v in q.split(",")) for q in el.get("points").split()]
                    xs, ys = [q[0] for q in ps], [q[1] for q in ps]
                    c = (0.5 * (min(xs) + max(xs)), -0.5 * (min(ys) + max(ys)))
                d["vertices"].append((c, MARKER, False))
            elif cls == "label":
                digits = len("".join(el.itertext())) - 1
                # the baseline is 0.7pt below the centre of the ink
                d["labels"].append(label_box(float(el.get("x")), -(float(el.get("y")) - 0.7), digits))
        out.append(d)
    return out


NUM = r"(-?\d+(?:\.\d+)?)"
PT = r"\(\s*" + NUM + r"\s*,\s*" + NUM + r"\s*\)"


def read_tikz(text, where):
    """Diagrams of every tikzpicture in text (TikZ of neft, any version)."""
    out = []
    for k, pic in enumerate(re.findall(r"\\begin\{tikzpicture\}(.*?)\\end\{tikzpicture\}", text, re.S)):
        m = re.match(r"\[x=([\d.]+)cm", pic)
        unit = (float(m.group(1)) if m else 1.0) * CM

        def P(x, y):
            return (float(x) * unit, float(y) * unit)

        d = {"curves": [], "vertices": [], "labels": [], "name": "%s picture %d" % (where, k + 1)}
        for cmd in re.split(r";\s*", pic):
            cmd = cmd.strip()
            m = re.match(r"\\draw " + PT + r" -- " + PT + "$", cmd)
            if m:
                a, b = P(m.group(1), m.group(2)), P(m.group(3), m.group(4))
                d["curves"].append({"straight": True, "p": [a, a, b, b]})
                continue
            m = re.match(r"\\draw " + PT + r" \.\. controls " + PT + r"(?: and " + PT + r")? \.\. "
                         + PT + "$", cmd)
            if m:
                g = m.groups()
                a, c1 = P(g[0], g[1]), P(g[2], g[3])
                c2 = P(g[4], g[5]) if g[4] is not None else c1
                d["curves"].append({"straight": False, "p": [a, c1, c2, P(g[6], g[7])]})
                continue
            m = re.match(r"\\fill " + PT + r" circle \(([\d.]+)pt\)(?: node\[anchor=(\d+),inner sep=([\d.]+)pt"
                         r",font=\\scriptsize\] \{\$x_\{(\d+)\}\$\})?$", cmd)
            if m:
                p = P(m.group(1), m.group(2))
                d["vertices"].append((p, float(m.group(3)), True))
                if m.group(4):
                    a, sep, digits = math.radians(float(m.group(4))), float(m.group(5)), len(m.group(6))
                    hw, hh = 0.5 * (4.3 + 2.6 * digits) + sep, 2.6 + sep
                    c, s = math.cos(a), math.sin(a)
                    t = min(hw / abs(c) if abs(c) > 1e-9 else 1e9, hh / abs(s) if abs(s) > 1e-9 else 1e9)
                    d["labels"].append(label_box(p[0] - t * c, p[1] - t * s, digits))
                continue
            m = re.match(r"\\node\[inner sep=0pt,font=\\scriptsize\] at " + PT + r" \{\$x_\{(\d+)\}\$\}$", cmd)
            if m:
                p = P(m.group(1), m.group(2))
                d["labels"].append(label_box(p[0], p[1], len(m.group(3))))
                continue
            m = re.match(r"\\filldraw(?:\[[^]]*\])? " + PT, cmd)
            if m:
                d["vertices"].append((P(m.group(1), m.group(2)), MARKER, False))
                continue
        out.append(d)
    return out


# --- checks ---------------------------------------------------------------

def endpoint(d, p):
    """Index of the vertex at p (within 0.1pt), or None."""
    for i, (c, _, _) in enumerate(d["vertices"]):
        if math.hypot(c[0] - p[0], c[1] - p[1]) < 0.1:
            return i
    return None


def direction(curve, at_start):
    p = curve["p"]
    a, b = (p[0], p[1]) if at_start else (p[3], p[2])
    if math.hypot(b[0] - a[0], b[1] - a[1]) < 1e-6:
        b = p[3] if at_start else p[0]
    return math.atan2(b[1] - a[1], b[0] - a[0])


def check(d, counts):
    name = d["name"]
    polys = [polyline(c) for c in d["curves"]]
    ends = []
    for c in d["curves"]:
        u, w = endpoint(d, c["p"][0]), endpoint(d, c["p"][3])
        if u is None or w is None:
            fail("%s: a line that does not end at a vertex: %s" % (name, c["p"]))
            return
        ends.append((u, w))
    counts["diagrams"] += 1
    for i, box in enumerate(d["labels"]):
        for j, pl in enumerate(polys):
            dist = poly_box(pl, box)
            if dist < LABEL_GAP:
                fail("%s: label %d is %.2fpt from line %d" % (name, i + 1, dist, j))
        for j, (c, r, _) in enumerate(d["vertices"]):
            dist = pt_box(c, box) - r
            if dist < LABEL_GAP:
                fail("%s: label %d is %.2fpt from vertex %d" % (name, i + 1, dist, j))
        for j in range(i + 1, len(d["labels"])):
            dist = box_box(box, d["labels"][j])
            if dist < LABEL_GAP:
                fail("%s: labels %d and %d are %.2fpt apart" % (name, i + 1, j + 1, dist))
        counts["labels"] += 1
    for i, (c, r, _) in enumerate(d["vertices"]):
        for j in range(i + 1, len(d["vertices"])):
            e = d["vertices"][j][0]
            dist = math.hypot(c[0] - e[0], c[1] - e[1])
            if dist < VERTEX_SEP:
                fail("%s: vertices %d and %d are %.2fpt apart" % (name, i, j, dist))
        for j, pl in enumerate(polys):
            if i in ends[j]:
                continue
            dist = poly_pt(pl, c) - r
            if dist < VERTEX_GAP:
                fail("%s: line %d passes %.2fpt from vertex %d" % (name, j, dist, i))
    for i, (u, w) in enumerate(ends):
        if u == w:
            c = d["vertices"][u][0]
            reach = max(math.hypot(q[0] - c[0], q[1] - c[1]) for q in polys[i])
            counts["loops"] += 1
            if reach < LOOP_FACTOR * MARKER:
                fail("%s: a self-loop at vertex %d reaches %.2fpt (< %g x %gpt)"
                     % (name, u, reach, LOOP_FACTOR, MARKER))
            for j, (a, b) in enumerate(ends):
                if j != i and u not in (a, b):
                    dist = min(poly_pt(polys[j], q) for q in polys[i])
                    if dist < LOOP_GAP:
                        fail("%s: the self-loop %d at vertex %d is %.2fpt from line %d"
                             % (name, i, u, dist, j))
            continue
        for j in range(i + 1, len(ends)):
            if set(ends[j]) == {u, w}:
                counts["parallel"] += 1
                a, b = bezier(d["curves"][i]["p"], 0.5), bezier(d["curves"][j]["p"], 0.5)
                dist = math.hypot(a[0] - b[0], a[1] - b[1])
                if dist < PARALLEL_GAP:
                    fail("%s: parallel lines %d and %d between vertices %d, %d are %.2fpt apart"
                         % (name, i, j, u, w, dist))
    # directions in which lines leave each vertex
    for v in range(len(d["vertices"])):
        dirs = []
        for i, (u, w) in enumerate(ends):
            if u == v:
                dirs.append((direction(d["curves"][i], True), i))
            if w == v:
                dirs.append((direction(d["curves"][i], False), i))
        for a in range(len(dirs)):
            for b in range(a + 1, len(dirs)):
                diff = abs(math.degrees(dirs[a][0] - dirs[b][0])) % 360
                diff = min(diff, 360 - diff)
                if diff < MIN_ANGLE:
                    fail("%s: lines %d and %d leave vertex %d %.1f degrees apart"
                         % (name, dirs[a][1], dirs[b][1], v, diff))


def main():
    if len(sys.argv) != 3:
        print("usage: drawings.py NEFT_BINARY RULES_DIR", file=sys.stderr)
        return 2
    neft, rules = sys.argv[1], sys.argv[2]
    phi4, phi3 = rules + "/phi4.rules", rules + "/phi3.rules"
    single, mixed = rules + "/single-layer.rules", rules + "/mixed.rules"
    cases = [
        ("phi4 4pt o2", [phi4, "-n", "4", "-o", "2"]),
        ("phi4 4pt o3 connected", [phi4, "-n", "4", "-o", "3", "--prune", "connected"]),
        ("phi4 2pt o3 none", [phi4, "-n", "2", "-o", "3", "--prune", "none"]),
        ("phi4 6pt o2 grouped", [phi4, "-n", "6", "-o", "2", "--group"]),
        ("phi3 2pt o4 grouped", [phi3, "-n", "2", "-o", "4", "--group", "--prune", "none"]),
        ("phi3 4pt o2", [phi3, "-n", "4", "-o", "2"]),
        ("HMS 3.19", ["-n", "6", "-o", "1", "--group"]),
        ("single-layer 4pt o2 grouped", [single, "-n", "4", "-o", "2", "--group"]),
        ("mixed 3pt o2 grouped", [mixed, "-n", "3", "-o", "2", "--group"]),
    ]
    counts = {"diagrams": 0, "labels": 0, "loops": 0, "parallel": 0}
    for label, args in cases:
        svg = run(neft, ["diagrams"] + args + ["--format", "svg"])
        if svg is not None:
            if run(neft, ["diagrams"] + args + ["--format", "svg"]) != svg:
                fail("%s: --format svg differs between two runs" % label)
            for d in read_svg(svg, label + " svg"):
                check(d, counts)
        for fmt, extra in (("tikz", []), ("latex", ["--diagrams"])):
            tex = run(neft, ["diagrams"] + args + ["--format", fmt] + extra)
            if tex is not None:
                for d in read_tikz(tex, "%s %s" % (label, fmt)):
                    check(d, counts)
    for f in failures[:int(os.environ.get("NEFT_SHOW", "60"))]:
        print("FAIL: " + f)
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    if counts["loops"] == 0 or counts["parallel"] == 0 or counts["labels"] == 0:
        print("FAIL: the cases drew no self-loop, parallel line or label: %s" % counts)
        return 1
    print("ok: %(diagrams)d drawings, %(labels)d labels, %(loops)d self-loops, "
          "%(parallel)d pairs of parallel lines measured" % counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
