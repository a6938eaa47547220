#!/usr/bin/env python3
"""MPI scaling of `neft sample`, and networks per core-hour per family
(issue 21; the numbers of docs/cluster.md).

Usage: python3 bench/sample_mpi.py NEFT [--models M] [--width N] [--skip-scaling]
                                         [--skip-families]

(a) Scaling: erf, d_in 1, width 20, the 6 inputs 0.2, 0.4, .., 1.2 of
    `neft validate`, G2, G4, G6; M models (default 10^6).  One process with 1
    and 2 threads (no mpirun), then `mpirun --oversubscribe -np P` with one
    thread per process for P = 1, 2, 4.  Networks/s = M / wall time (best of
    two; mpirun's start, about 0.3 s, included), parallel efficiency
    E(P) = rate(P) / (min(P, cores) * rate(1)) -- per physical core, so the
    oversubscribed P = 4 on 2 cores is compared with 2 cores' worth -- and,
    because a loaded machine makes wall times meaningless, the CPU efficiency:
    CPU time (user + sys) of the one-process run over that of all processes
    of the P run (mpirun's included).  Every output is checked to be
    byte-identical to the one-process output.
(b) Families: relu, erf, gauss at width N (default 20), same inputs, M models
    on all cores.  For G4c and G6c: per tuple, sigma_1 = stderr * sqrt(M) (the
    standard deviation of one network's contribution to the estimate) and the
    exact |G_c| from `neft exact`; the networks needed for relative error r
    are M_r = (sigma_1 / (r |G_c|))^2 (the median over the tuples, and the
    diagonal tuple x1 = .. = xn = 0.2), and the core-hours
    M_r / (3600 * networks per CPU-second).  Extrapolation in the width:
    G4c ~ 1/N and G6c ~ 1/N^2 while sigma_1 = O(1), and a network costs ~ N,
    so M_r ~ N^2 (G4c), N^4 (G6c) and core-hours ~ N^3, N^5.
The machine is shared (2 cores, other jobs running): rates are lower bounds
and the efficiencies noisy; say so when quoting them.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import time

NEFT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
ARGS = sys.argv[2:]


def opt(name, default):
    return type(default)(ARGS[ARGS.index(name) + 1]) if name in ARGS else default


M = opt("--models", 1000000)
WIDTH = opt("--width", 20)
AT = "0.2;0.4;0.6;0.8;1.0;1.2"
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
CORES = os.cpu_count() or 1


def timed(cmd):
    """Best wall time of two runs, the CPU time (user + sys of every process,
    mpirun's included) of that run, and the output."""
    best, cpu, out = None, None, None
    for _ in range(2):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, env=ENV)
        t = time.perf_counter() - t0
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        if p.returncode != 0:
            sys.exit("failed: %s\n%s" % (" ".join(cmd), p.stderr.decode()[-500:]))
        c = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        if best is None or t < best:
            best, cpu = t, c
        out = p.stdout
    return best, cpu, out


def scaling():
    base = [NEFT, "sample", "--activation", "erf", "--d-in", "1", "--width", "20", "--at", AT,
            "--npt", "2,4,6", "--models", str(M), "--seed", "1", "--format", "json"]
    print("(a) scaling: erf, width 20, 6 inputs, G2/G4/G6, %d models, %d cores "
          "(shared machine)" % (M, CORES))
    t1, c1, ref = timed(base + ["--threads", "1"])
    t2, c2, out = timed(base + ["--threads", "2"])
    print("  %-26s %8s %12s %8s %14s %8s" % ("", "wall s", "networks/s", "E wall",
                                              "networks/cpu-s", "E cpu"))
    print("  %-26s %8.3f %12.0f %7.0f%% %14.0f %7.0f%%"
          % ("one process, 1 thread", t1, M / t1, 100, M / c1, 100))
    print("  %-26s %8.3f %12.0f %7.0f%% %14.0f %7.0f%%"
          % ("one process, 2 threads", t2, M / t2, 100 * t1 / (min(2, CORES) * t2), M / c2,
             100 * c1 / c2))
    assert out == ref
    rate1 = None
    for P in (1, 2, 4):
        t, c, out = timed(["mpirun", "--oversubscribe", "-np", str(P)] + base
                          + ["--threads", "1"])
        if out != ref:
            sys.exit("-np %d: the output differs from one process's" % P)
        rate = M / t
        rate1 = rate1 or rate
        print("  %-26s %8.3f %12.0f %7.0f%% %14.0f %7.0f%%"
              % ("mpirun -np %d, 1 thread%s" % (P, " (over)" if P > CORES else ""), t, rate,
                 100 * rate / (min(P, CORES) * rate1), M / c, 100 * c1 / c))
    print("  E wall = rate / (min(P, cores) x rate of -np 1): per physical core;"
          " E cpu = CPU time of one\n  process, 1 thread / CPU time of all processes"
          " (mpirun's too): the cost of sharing the run.\n"
          "  Outputs byte-identical to one process: yes")


def exact_values(act):
    p = subprocess.run([NEFT, "exact", "--activation", act, "--d-in", "1", "--width",
                        str(WIDTH), "--at", AT, "--npt", "2,4,6", "--format", "json"],
                       capture_output=True)
    if p.returncode != 0:
        sys.exit("exact %s: %s" % (act, p.stderr.decode()))
    return {tuple(c["indices"]): abs(float(c["connected"]["mid"]))
            for c in json.loads(p.stdout)["correlators"]}


def families():
    print("\n(b) networks per core-hour: d_in 1, width %d, 6 inputs, %d models, %d threads;"
          "\n  nets/s/core = models / CPU seconds" % (WIDTH, M, CORES))
    print("  %-6s %12s %6s %14s %14s %12s   (r = 10%% relative error)"
          % ("family", "nets/s/core", "npt", "M_r median", "M_r diagonal", "core-h med"))
    for act in ("relu", "erf", "gauss"):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        p = subprocess.run([NEFT, "sample", "--activation", act, "--d-in", "1", "--width",
                            str(WIDTH), "--at", AT, "--npt", "2,4,6", "--models", str(M),
                            "--seed", "5", "--format", "json"], capture_output=True)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        if p.returncode != 0:
            sys.exit("sample %s: %s" % (act, p.stderr.decode()))
        # per core = per CPU-second (user + sys): what a core-hour buys,
        # whatever else the machine is running
        per_core = M / ((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))
        exact = exact_values(act)
        res = json.loads(p.stdout)
        for n in (4, 6):
            need = {}
            for c in res["correlators"]:
                if c["npt"] != n:
                    continue
                g = exact[tuple(c["indices"])]
                if g > 0:
                    s1 = c["connected"]["stderr"] * M ** 0.5
                    need[tuple(c["indices"])] = (s1 / (0.1 * g)) ** 2
            med = statistics.median(need.values())
            diag = need.get(tuple([0] * n), float("nan"))
            print("  %-6s %12.0f %6s %14.3g %14.3g %12.3g"
                  % (act, per_core, "G%dc" % n, med, diag, med / (3600 * per_core)))
    print("  extrapolation: M_r(N) = M_r(%d) (N/%d)^2 for G4c, (N/%d)^4 for G6c; "
          "core-hours ~ N^3, N^5; M_r ~ 1/r^2" % (WIDTH, WIDTH, WIDTH))


if __name__ == "__main__":
    if NEFT is None:
        sys.exit(__doc__)
    if "--skip-scaling" not in ARGS:
        scaling()
    if "--skip-families" not in ARGS:
        families()
