#!/usr/bin/env python3
"""Regenerates docs/img/prune-*.png: for each pruning rule, the diagrams it
removes from a small expansion, drawn by `neft diagrams --format tikz`.

    python3 docs/pictures.py [NEFT_BINARY]     (default build/neft; needs
                                                pdflatex and pdftoppm)

For each rule: the grouped expansion without the rule and with it (JSON);
the terms of the first that are missing from the second are the removed
ones; their pictures are cut out of the `--format tikz --standalone --group`
output, compiled and rendered, and the PNG cropped to the ink.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# rule: (rules file, n, order, the rules applied before)
CASES = {
    "vacuum": ("phi4.rules", 2, 2, "none"),
    "two-point-component": ("phi4.rules", 4, 1, "vacuum"),
    "self-energy": ("phi4.rules", 2, 2, "connected"),
    "tadpole": ("phi3.rules", 2, 2, "connected"),
    "connected": ("phi4.rules", 4, 1, "vacuum"),
    "one-particle-irreducible": ("phi3.rules", 4, 2, "connected"),
}


def neft(binary, args):
    return subprocess.run([binary] + args, check=True, stdout=subprocess.PIPE).stdout.decode()


def key(t):
    return (t["coefficient"], json.dumps(t["couplings"]), json.dumps(t["edges"]))


def removed(binary, rule):
    rules, n, order, before = CASES[rule]
    base = ["diagrams", os.path.join(ROOT, "rules", rules), "-n", str(n), "-o", str(order), "--group"]
    after = rule if before == "none" else before + "," + rule
    full = json.loads(neft(binary, base + ["--prune", before, "--format", "json"]))["terms"]
    kept = {key(t) for t in json.loads(neft(binary, base + ["--prune", after, "--format", "json"]))["terms"]}
    return base + ["--prune", before], [i for i, t in enumerate(full) if key(t) not in kept]


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "neft")
    for rule in CASES:
        args, gone = removed(binary, rule)
        tex = neft(binary, args + ["--format", "tikz", "--standalone"])
        head, _, rest = tex.partition("% term 1:")
        pieces = re.split(r"(?m)^% term \d+:", "% term 1:" + rest)[1:]
        body = "".join("%% term:%s" % pieces[i] for i in gone)
        if pieces and "\\end{document}" not in body:
            body += "\\end{document}\n"
        # --standalone ships each term as a page of its own (\neftpage); here
        # they flow side by side on one page, which is then cropped to the ink
        doc = head.replace("\\begin{document}", "\\pagestyle{empty}\n\\begin{document}\n"
                           "\\renewcommand\\neftpage[1]{\\mbox{#1}\\hspace{1.5em plus 1em}}"
                           "\\raggedright\\noindent\n") + body
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "p.tex"), "w") as f:
                f.write(doc)
            subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "p.tex"],
                           cwd=tmp, check=True, stdout=subprocess.DEVNULL)
            r = 110
            subprocess.run(["pdftoppm", "-gray", "-r", str(r), "-f", "1", "-l", "1",
                            "p.pdf", "p"], cwd=tmp, check=True)
            pgm = [f for f in os.listdir(tmp) if f.endswith(".pgm")][0]
            data = open(os.path.join(tmp, pgm), "rb").read()
            fields = data.split(None, 4)
            w, h, pix = int(fields[1]), int(fields[2]), fields[4]
            ys = [y for y in range(h) if min(pix[y * w:(y + 1) * w]) < 250]
            xs = [x for x in range(w) if min(pix[x::w][:h]) < 250]
            x0, y0 = max(min(xs) - 6, 0), max(min(ys) - 6, 0)
            x1, y1 = min(max(xs) + 6, w), min(max(ys) + 6, h)
            out = os.path.join(ROOT, "docs", "img", "prune-%s" % rule)
            subprocess.run(["pdftoppm", "-png", "-singlefile", "-r", str(r), "-f", "1", "-l", "1",
                            "-x", str(x0), "-y", str(y0), "-W", str(x1 - x0), "-H", str(y1 - y0),
                            os.path.join(tmp, "p.pdf"), out], check=True)
        print("%s: %d diagrams removed from `neft %s` -> %s.png"
              % (rule, len(gone), " ".join(a if "/" not in a else "rules/" + os.path.basename(a)
                                             for a in args), out))


if __name__ == "__main__":
    main()
