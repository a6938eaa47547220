#!/usr/bin/env python3
"""`meson install` gives a usable neft: library, headers, rules, man page,
neft.pc; a program outside the source tree builds against it.

    python3 install.py NEFT_BINARY RULES_DIR BUILD_DIR EXAMPLE_SOURCE [--sanitize]

Installs BUILD_DIR with `meson install --destdir TMP --no-rebuild`, then
checks that TMP holds the `neft` command, libneft, every public header of
include/neft, every rules file, neft.1 and neft.pc; copies EXAMPLE_SOURCE
(examples/diagrams.c) into another temporary directory, compiles it with the
C compiler and `pkg-config --cflags --libs neft` (PKG_CONFIG_PATH and
PKG_CONFIG_SYSROOT_DIR pointing into TMP), runs it against the installed
library and rules, and compares its output with `neft diagrams`.  The
installed `neft` must print the same as the one in the build tree.
--sanitize: the library was built with ASan/UBSan, so the example is too.
Exit 77 (skip) if meson, pkg-config or a C compiler is missing.
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile

failures = []


def fail(what):
    failures.append(what)


def run(args, env=None, cwd=None):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd,
                       timeout=300)
    if p.returncode != 0:
        fail("`%s` exited with %d:\n    %s" % (" ".join(args), p.returncode,
                                               p.stderr.decode("utf-8", "replace")[-2000:]))
        return None
    return p.stdout.decode("utf-8")


def one(pattern, what):
    hits = glob.glob(pattern, recursive=True)
    if len(hits) != 1:
        fail("%s: expected one match of %s, found %r" % (what, pattern, hits))
        return None
    return hits[0]


def main():
    args = [a for a in sys.argv[1:] if a != "--sanitize"]
    sanitize = "--sanitize" in sys.argv[1:]
    if len(args) != 4:
        print("usage: install.py NEFT_BINARY RULES_DIR BUILD_DIR EXAMPLE_SOURCE [--sanitize]",
              file=sys.stderr)
        return 2
    neft, rules_dir, build, example = args
    meson = shutil.which("meson")
    pkgconfig = shutil.which("pkg-config")
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if meson is None or pkgconfig is None or cc is None:
        print("SKIP: needs meson, pkg-config and a C compiler")
        return 77
    source = os.path.dirname(os.path.dirname(os.path.abspath(example)))

    with tempfile.TemporaryDirectory(prefix="neft-install-") as dest, \
         tempfile.TemporaryDirectory(prefix="neft-outside-") as outside:
        if run([meson, "install", "-C", build, "--destdir", dest, "--no-rebuild", "--quiet"]) is None:
            return report()
        bin_neft = one(dest + "/**/bin/neft", "the command")
        lib = one(dest + "/**/libneft.so", "the library")
        pc = one(dest + "/**/pkgconfig/neft.pc", "neft.pc")
        man = one(dest + "/**/man1/neft.1", "the man page")
        incdir = one(dest + "/**/include/neft", "the headers")
        rules = one(dest + "/**/share/neft/rules", "the rules")
        if None in (bin_neft, lib, pc, man, incdir, rules):
            return report()
        for h in os.listdir(os.path.join(source, "include", "neft")):
            if not os.path.isfile(os.path.join(incdir, h)):
                fail("header %s not installed" % h)
        for r in os.listdir(rules_dir):
            if r.endswith(".rules") and not os.path.isfile(os.path.join(rules, r)):
                fail("rules file %s not installed" % r)
        with open(man, encoding="utf-8") as f:
            if not f.read().startswith(".TH NEFT 1"):
                fail("neft.1 is not the man page")

        env = dict(os.environ, PKG_CONFIG_PATH=os.path.dirname(pc), PKG_CONFIG_SYSROOT_DIR=dest)
        flags = run([pkgconfig, "--cflags", "--libs", "neft"], env=env)
        if flags is None:
            return report()
        if dest not in flags:
            fail("pkg-config flags do not point into the install tree: %s" % flags.strip())
        # Nothing from the source or build tree may be used from here on.
        shutil.copy(example, os.path.join(outside, "diagrams.c"))
        cflags = ["-fsanitize=address,undefined"] if sanitize else []
        if run([cc] + cflags + ["-o", "diagrams", "diagrams.c"] + flags.split(),
               cwd=outside) is None:
            return report()
        runenv = dict(os.environ, LD_LIBRARY_PATH=os.path.dirname(lib))
        phi4 = os.path.join(rules, "phi4.rules")
        out = run([os.path.join(outside, "diagrams"), phi4, "4", "2"], env=runenv)
        want = run([neft, "diagrams", phi4, "-n", "4", "-o", "2", "--prune", "connected"])
        if out is not None and want is not None and not out.startswith(want):
            fail("the example built outside the tree prints something else than neft diagrams")
        got = run([bin_neft, "diagrams", "--format", "json"], env=runenv)
        ref = run([neft, "diagrams", "--format", "json"])
        if got is not None and got != ref:
            fail("the installed neft prints something else than the built one")
    return report()


def report():
    for f in failures:
        print("FAIL: " + f)
    if failures:
        return 1
    print("ok: installed library, headers, rules, man page and neft.pc; example built outside")
    return 0


if __name__ == "__main__":
    sys.exit(main())
