#!/usr/bin/env python3
"""neft diagrams against FORM 5's diagrams_ (Kaneko's grcc), side by side.

    python3 bench/form_vs_neft.py NEFT_BINARY [--repeat R] [--cases a,b,...]
                                  [--v9]

The 17 cases of issue 20 (connected diagrams with labelled legs): phi^4
4-point V = 4..8, 1PI V = 6, 7, without self-energies V = 6..8; phi^4 2-point
V = 7..9; phi^3 4-point V = 8, 10; phi^3 2-point V = 10, 12.  Each case runs
FORM and then neft (output discarded, one process each, the same load), R
times (default 3); the least CPU time and the largest peak memory (ru_maxrss)
of each are printed with the ratios FORM/neft (speed) and neft/FORM (memory).
The counts are compared: FORM's number of diagrams against neft's number of
terms; `grown` is the number of graphs neft's generator grew to the end per
diagram kept (NEFT_STATS=1; duplicates and graphs the pruning rules reject
included).  With --v9, phi^4 4-point connected V = 9 is also streamed to a file
(neft alone; the goal is <= 60 s and <= 100 MB).

FORM is built from the form-dev/form sources outside the source tree, in
$NEFT_BENCH_CACHE (default /tmp/neft-bench-form): the sources are taken from
$FORM_SRC (a checkout, or a bare git directory), and the headers of its
extern/zstd submodule from $ZSTD_SRC (facebook/zstd; only zlibWrapper is
used); autoreconf, configure and make must be installed.  Without them the
FORM column is skipped with a message and neft runs alone.  The machine
may be shared: timings are noisy, compare the ratios, not the seconds.
"""
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.environ.get("NEFT_BENCH_CACHE", "/tmp/neft-bench-form")
FORM_SRC = os.environ.get("FORM_SRC", "/work/.mirror/form-dev+form/repo")
ZSTD_SRC = os.environ.get("ZSTD_SRC", "/work/.mirror/facebook+zstd/repo")

# name, model, legs, vertices, neft prune list, FORM options
CASES = [("phi4 4pt V=%d" % v, 4, 4, v, "connected", ()) for v in range(4, 9)] + \
    [("phi4 4pt 1PI V=%d" % v, 4, 4, v, "connected,1pi", ("ONEPI",)) for v in (6, 7)] + \
    [("phi4 4pt nosigma V=%d" % v, 4, 4, v, "connected,self-energy", ("NOSIGMA",))
     for v in (6, 7, 8)] + \
    [("phi4 2pt V=%d" % v, 4, 2, v, "connected", ()) for v in (7, 8, 9)] + \
    [("phi3 4pt V=%d" % v, 3, 4, v, "connected", ()) for v in (8, 10)] + \
    [("phi3 2pt V=%d" % v, 3, 2, v, "connected", ()) for v in (10, 12)]

FRM = r"""Off Statistics;
Vector p1,...,p4,k1,...,k40;
Model PHI3;
  Particle phi,+1;
  Vertex phi,phi,phi: g;
EndModel;
Model PHI4;
  Particle phi,+1;
  Vertex phi,phi,phi,phi: g^2;
EndModel;
#if `LEGS' == 2
  #define IN "phi"
  #define OUT "phi"
#else
  #define IN "phi,phi"
  #define OUT "phi,phi"
#endif
#define OPT "0"
#ifdef `ONEPI'
  #redefine OPT "`OPT'+`ONEPI_'"
#endif
#ifdef `NOSIGMA'
  #redefine OPT "`OPT'+`NOSIGMA_'"
#endif
#$n = 0;
Local F = diagrams_(`MODEL',{`IN'},{`OUT'},{p1,...,p4},{k1,...,k40},`LOOPS',{`OPT'});
$n = $n + 1;
id topo_(?a) = 1;
id node_(?a) = 1;
.sort
#message NDIAG `$n'
.end
"""

RULES = {k: os.path.join(HERE, "..", "rules", f"phi{k}.rules") for k in (3, 4)}


def log(*a):
    print(*a, flush=True)


def build_form():
    """Path of a FORM binary built in CACHE, or None (with the reason printed)."""
    exe = os.path.join(CACHE, "form", "sources", "vorm")
    for name in ("vorm", "form"):
        p = os.path.join(CACHE, "form", "sources", name)
        if os.access(p, os.X_OK):
            return p
    if not os.path.isdir(FORM_SRC):
        log(f"FORM skipped: no form-dev/form sources at {FORM_SRC} (set FORM_SRC)")
        return None
    for tool in ("autoreconf", "make", "g++"):
        if shutil.which(tool) is None:
            log(f"FORM skipped: {tool} is not installed")
            return None
    src = os.path.join(CACHE, "form")
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(src)
    if os.path.isdir(os.path.join(FORM_SRC, "sources")):
        shutil.copytree(FORM_SRC, src, dirs_exist_ok=True)
    else:   # a bare git directory
        arch = subprocess.run(["git", "--git-dir", FORM_SRC, "archive", "HEAD"],
                              capture_output=True)
        if arch.returncode != 0:
            log(f"FORM skipped: cannot read {FORM_SRC}: {arch.stderr.decode()[:200]}")
            return None
        subprocess.run(["tar", "-x", "-C", src], input=arch.stdout, check=True)
    zdir = os.path.join(src, "extern", "zstd")
    if not os.path.isdir(os.path.join(zdir, "zlibWrapper")):
        os.makedirs(zdir, exist_ok=True)
        if os.path.isdir(os.path.join(ZSTD_SRC, "zlibWrapper")):
            shutil.copytree(ZSTD_SRC, zdir, dirs_exist_ok=True)
        elif os.path.isdir(ZSTD_SRC):
            arch = subprocess.run(["git", "--git-dir", ZSTD_SRC, "archive", "HEAD",
                                   "zlibWrapper", "lib/zstd.h"], capture_output=True)
            if arch.returncode != 0:
                log(f"FORM skipped: cannot read the zstd sources {ZSTD_SRC}")
                return None
            subprocess.run(["tar", "-x", "-C", zdir], input=arch.stdout, check=True)
        else:
            log(f"FORM skipped: no facebook/zstd sources at {ZSTD_SRC} (set ZSTD_SRC)")
            return None
    logf = os.path.join(CACHE, "build.log")
    with open(logf, "w") as fh:
        for cmd in (["autoreconf", "-i"],
                    ["./configure", "--disable-parform", "--disable-threaded",
                     "--enable-scalar", "--without-zstd", "--without-flint",
                     "--disable-float"],
                    ["make", "-j2"]):
            log("FORM build:", " ".join(cmd))
            if subprocess.run(cmd, cwd=src, stdout=fh, stderr=subprocess.STDOUT).returncode:
                log(f"FORM skipped: '{' '.join(cmd)}' failed (see {logf})")
                return None
    for name in ("vorm", "form"):
        p = os.path.join(src, "sources", name)
        if os.access(p, os.X_OK):
            return p
    log(f"FORM skipped: no binary after the build (see {logf})")
    return exe if os.access(exe, os.X_OK) else None


def measure(args, cwd=None, stdout=subprocess.DEVNULL):
    """(CPU seconds, peak bytes, status, stdout text or None) of one process
    (CPU = user + system, which a loaded machine distorts less than the wall
    clock; its children included).  The
    peak is read by /usr/bin/time when present: a child forked from this
    Python process would otherwise report at least Python's own size."""
    timef = os.path.join(CACHE, "time.out")
    wrap = ["/usr/bin/time", "-o", timef, "-f", "%M"] if os.access("/usr/bin/time", os.X_OK) \
        else []
    t = time.perf_counter()
    out = subprocess.PIPE if stdout is None else stdout
    p = subprocess.Popen(wrap + args, cwd=cwd, stdout=out, stderr=subprocess.PIPE)
    text = p.stdout.read().decode() if out == subprocess.PIPE else None
    p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    elapsed = ru.ru_utime + ru.ru_stime
    del t
    peak = ru.ru_maxrss * 1024
    if wrap:
        with open(timef) as fh:
            lines = fh.read().split()
        peak = int(lines[-1]) * 1024 if lines and lines[-1].isdigit() else peak
    return elapsed, peak, os.waitstatus_to_exitcode(status), text


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    neft = os.path.abspath(sys.argv[1])
    repeat = 3
    only = None
    v9 = "--v9" in sys.argv
    if "--repeat" in sys.argv:
        repeat = int(sys.argv[sys.argv.index("--repeat") + 1])
    if "--cases" in sys.argv:
        only = sys.argv[sys.argv.index("--cases") + 1].split(",")
    form = build_form()
    work = os.path.join(CACHE, "run")
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "dia.frm"), "w") as fh:
        fh.write(FRM)
    log(f"best of {repeat} (CPU s, user + system), peak memory (MB); FORM then neft in "
        f"each round; speed = FORM s / neft s, mem = neft MB / FORM MB, grown = graphs "
        f"grown to the end per diagram")
    log(f"{'case':24} {'diagrams':>9} {'FORM s':>8} {'neft s':>8} {'speed':>6} "
        f"{'FORM MB':>8} {'neft MB':>8} {'mem':>6} {'grown':>7}")
    for name, model, legs, v, prune, opts in CASES:
        if only and not any(o in name for o in only):
            continue
        # internal lines I = (model V - legs) / 2, loops L = I - V + 1
        loops = (model * v - legs) // 2 - v + 1
        fargs = [form, "-D", f"MODEL=PHI{model}", "-D", f"LEGS={legs}", "-D", f"LOOPS={loops}"]
        for o in opts:
            fargs += ["-D", o]
        fargs.append("dia.frm")
        nargs = [neft, "diagrams", RULES[model], "-n", str(legs), "-o", f"{v}..{v}",
                 "--prune", prune, "--stream", "--max-terms", "1000000000"]
        ft, fm, nt, nm = [], [], [], []
        fcount = ncount = None
        for _ in range(repeat):
            if form:
                t, m, s, text = measure(fargs, cwd=work, stdout=None)
                found = re.search(r"NDIAG\s+(\d+)", text or "")
                if s != 0 or not found:
                    log(f"{name}: FORM failed (status {s})")
                else:
                    fcount = int(found.group(1))
                    ft.append(t)
                    fm.append(m)
            t, m, s, _ = measure(nargs)
            if s != 0:
                log(f"{name}: neft failed (status {s})")
                break
            nt.append(t)
            nm.append(m)
        if not nt:
            continue
        ncount, grown = count_neft(nargs)
        row = f"{name:24} {ncount:>9} "
        # graphs grown to the end per diagram (a ratio only when both exist)
        row_grown = f" {grown / ncount:7.2f}" if grown is not None and ncount > 0 else f" {'-':>7}"
        if ft:
            row += (f"{min(ft):8.3f} {min(nt):8.3f} {min(ft) / min(nt):6.2f} "
                    f"{max(fm) / 2**20:8.1f} {max(nm) / 2**20:8.1f} {max(nm) / max(fm):6.2f}")
            row += row_grown
            if fcount != ncount:
                row += f"  COUNTS DIFFER: FORM {fcount}"
        else:
            row += f"{'-':>8} {min(nt):8.3f} {'-':>6} {'-':>8} {max(nm) / 2**20:8.1f} {'-':>6}"
            row += row_grown
        log(row)
    if v9:
        out = os.path.join(work, "v9.txt")
        args = [neft, "diagrams", RULES[4], "-n", "4", "-o", "9",
                "--prune", "connected", "--stream", "--max-terms", "1000000000"]
        with open(out, "w") as fh:
            t, m, s, _ = measure(args, stdout=fh)
        log(f"phi4 4pt V<=9 streamed to a file: status {s}, {t:.1f} s, {m / 2**20:.1f} MB, "
            f"{os.path.getsize(out) / 2**20:.0f} MB written")
        os.remove(out)


def count_neft(nargs):
    """neft's number of terms (the header of the text output) and the graphs
    its generator grew to the end (NEFT_STATS=1, leaves; None if absent)."""
    p = subprocess.run(nargs, capture_output=True, text=True,
                       env=dict(os.environ, NEFT_STATS="1"))
    m = re.search(r"^# (\d+) terms?", p.stdout, re.M)
    leaves = [int(x) for x in re.findall(r"leaves (\d+)", p.stderr)]
    return (int(m.group(1)) if m else -1), (sum(leaves) if leaves else None)


if __name__ == "__main__":
    main()
