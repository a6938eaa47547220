#!/usr/bin/env python3
"""The examples in the documentation are what the programs print.

    python3 docs.py NEFT_BINARY RULES_DIR      (working directory tests/)

- In docs/commands.md, docs/conventions.md, docs/cmd-action.md, docs/cmd-posterior.md,
  docs/cmd-train.md, docs/cmd-beta.md and docs/cmd-onen.md, every ```console block is a
  series of `$ neft ARGS` lines, each followed by its expected output
  (stdout and stderr together).  Each command is run from the top of the
  source tree with `neft` the binary under test; its output must be exactly
  the text shown.
- Every option in `neft diagrams --help` is documented in docs/commands.md
  and in the man page docs/neft.1.
- docs/commands.md links the pages of the other commands (cmd-eval.md, ...).
- docs/conventions.md: each "What `RULE` removes from `neft diagrams ARGS`
  (K families ...)" is true -- the grouped expansion ARGS loses exactly K
  families when RULE is added -- and its picture docs/img/prune-RULE.png
  (made by docs/pictures.py) exists and is a PNG.
- The `>>>` examples of docs/python.md pass (doctest, from the source root,
  with python/ on the path and NEFT set to the binary under test).
"""

import doctest
import json
import os
import re
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DOCS = ["commands.md", "conventions.md", "cmd-action.md", "cmd-posterior.md", "cmd-train.md",
        "cmd-beta.md", "cmd-onen.md"]

failures = []


def examples(text):
    """(command, expected output) pairs from the ```console blocks."""
    out = []
    for block in re.findall(r"^```console\n(.*?)^```", text, flags=re.S | re.M):
        cmd, lines = None, []
        for line in block.splitlines(keepends=True):
            if line.startswith("$ "):
                if cmd is not None:
                    out.append((cmd, "".join(lines)))
                cmd, lines = line[2:].strip(), []
            else:
                lines.append(line)
        if cmd is not None:
            out.append((cmd, "".join(lines)))
    return out


def main():
    if len(sys.argv) != 3:
        print("usage: docs.py NEFT_BINARY RULES_DIR", file=sys.stderr)
        return 2
    neft = os.path.abspath(sys.argv[1])
    count = 0
    for name in DOCS:
        path = os.path.join(ROOT, "docs", name)
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for cmd, want in examples(text):
            args = shlex.split(cmd)
            if args[0] != "neft":
                failures.append("%s: example `%s` does not run neft" % (name, cmd))
                continue
            p = subprocess.run([neft] + args[1:], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=300)
            got = p.stdout.decode("utf-8", "replace")
            count += 1
            if got != want:
                failures.append("%s: `%s` prints\n%s\n  instead of\n%s" % (name, cmd, got[:1500],
                                                                            want[:1500]))

    with open(os.path.join(ROOT, "docs", "commands.md"), encoding="utf-8") as f:
        commands = f.read()
    with open(os.path.join(ROOT, "docs", "neft.1"), encoding="utf-8") as f:
        man = f.read().replace("\\-", "-")
    usage = subprocess.run([neft, "diagrams", "--help"], stdout=subprocess.PIPE).stdout.decode()
    options = sorted(set(re.findall(r"(--?[a-z][a-z-]*)", usage)))
    if len(options) < 8:
        failures.append("too few options found in `neft diagrams --help`: %r" % options)
    for o in options:
        if "`%s" % o not in commands:
            failures.append("docs/commands.md does not document %s" % o)
        if o not in man:
            failures.append("docs/neft.1 does not mention %s" % o)
    for page in ("cmd-eval.md", "cmd-sample.md", "cmd-exact.md", "cmd-onen.md",
                 "cmd-posterior.md", "cmd-train.md"):
        if "(%s)" % page not in commands:
            failures.append("docs/commands.md does not link %s" % page)

    with open(os.path.join(ROOT, "docs", "conventions.md"), encoding="utf-8") as f:
        conv = f.read()
    claims = re.findall(r"What `([a-z-]+)` removes from `neft diagrams ([^`]+)` \((\d+) famil", conv)
    if len(claims) != 6:
        failures.append("docs/conventions.md: %d pruning pictures, expected 6" % len(claims))
    for rule, args, k in claims:
        base = shlex.split(args)
        before = base[base.index("--prune") + 1]
        after = rule if before == "none" else before + "," + rule

        def terms(prune):
            a = list(base)
            a[a.index("--prune") + 1] = prune
            p = subprocess.run([neft, "diagrams"] + a + ["--format", "json"], cwd=ROOT,
                               stdout=subprocess.PIPE)
            return [(t["coefficient"], str(t["couplings"]), str(t["edges"]))
                    for t in json.loads(p.stdout)["terms"]]
        kept = set(terms(after))
        gone = [t for t in terms(before) if t not in kept]
        if len(gone) != int(k):
            failures.append("docs/conventions.md: %s removes %d families from %s, not %s"
                            % (rule, len(gone), args, k))
        png = os.path.join(ROOT, "docs", "img", "prune-%s.png" % rule)
        if not os.path.isfile(png) or open(png, "rb").read(8) != b"\x89PNG\r\n\x1a\n":
            failures.append("docs/img/prune-%s.png missing or not a PNG" % rule)

    pydoc = os.path.join(ROOT, "docs", "python.md")
    if os.path.isfile(pydoc):
        sys.path.insert(0, os.path.join(ROOT, "python"))
        os.environ["NEFT"] = neft
        cwd = os.getcwd()
        os.chdir(ROOT)
        try:
            res = doctest.testfile(pydoc, module_relative=False)
        finally:
            os.chdir(cwd)
        if res.failed or not res.attempted:
            failures.append("docs/python.md: %d of %d examples failed" % (res.failed, res.attempted))

    for f in failures:
        print("FAIL: " + f)
    if failures:
        return 1
    print("ok: %d documented commands print what the docs show; options documented" % count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
