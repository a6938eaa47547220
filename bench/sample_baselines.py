#!/usr/bin/env python3
"""Sampling benchmark of issue 4, all in one run: ReLU, d_in = 1, N = 20,
6 inputs, 2-, 4- and 6-point functions, 10^5 and 10^6 networks.

  (a) the method of the original nn-qft code: one torch module per network,
      evaluated on the inputs and concatenated onto the outputs one by one
      (torch.cat in a loop: quadratic copying), float32;
  (b) a vectorised torch baseline: all weights of a chunk of 10^5 networks drawn
      as tensors, the forward pass as batched tensor ops, float32;
  neft: bench-sample (float64, jackknife errors, compensated sums), 1 thread and
      all cores, and the time to draw the Gaussians alone.
(a) computes the moments as the original did, for all 6^n index tuples, as
matrix products of outer-product tensors (P_k^T P_k, over chunks of 10^4 models:
the original built the 6-point tensor of all models at once, ~19 GB at 10^6);
(b) only for the sorted tuples (21 + 126 + 462), by gathering columns.  Both
give the full correlators only (no error bars, no connected parts: this
favours them).

(a) copies O(M^2) data; at 10^6 networks it would run for hours, so by default
it is run at 10^4 and 3*10^4 networks (--full: also 10^5) and its time at the
larger sizes is extrapolated with a fit a M + b M^2 through the two largest
measured sizes (printed as such).

Usage: python3 bench/sample_baselines.py BUILD/bench/bench-sample [--full] [--install]
  --install: apt-get install python3-torch when torch is missing (Debian).
"""

import os
import subprocess
import sys
import time

BENCH = sys.argv[1] if len(sys.argv) > 1 else "build/bench/bench-sample"
FULL = "--full" in sys.argv
XS = [0.2, 0.4, 0.6, 0.8, 1.0, 1.2]
N, D_IN, SW, SB = 20, 1, 1.0, 0.0

try:
    import torch
except ImportError:
    # Debian's python3-torch lives in the system interpreter; another python3
    # (pyenv, venv) first on PATH does not see it
    if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3") and \
            subprocess.run(["/usr/bin/python3", "-c", "import torch"],
                           stderr=subprocess.DEVNULL).returncode == 0:
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    if "--install" in sys.argv:
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "python3-torch"],
                       check=False)
        try:
            import torch
        except ImportError:
            torch = None
    else:
        torch = None


def moments(chunks):
    """All-index 2-, 4-, 6-point full moments from an iterable of (m, 6) chunks."""
    G2 = G4 = G6 = None
    total = 0
    for F in chunks:
        m = F.shape[0]
        P2 = (F[:, :, None] * F[:, None, :]).reshape(m, 36)
        P3 = (P2[:, :, None] * F[:, None, :]).reshape(m, 216)
        g2, g4, g6 = F.T @ F, P2.T @ P2, P3.T @ P3
        G2 = g2 if G2 is None else G2 + g2
        G4 = g4 if G4 is None else G4 + g4
        G6 = g6 if G6 is None else G6 + g6
        total += m
    return G2 / total, G4 / total, G6 / total


def sorted_moments(chunks):
    """Full moments of every sorted tuple (n = 2, 4, 6: 21 + 126 + 462) with a
    prefix tree: the products of length k are those of length k - 1 times one
    column (index_select), over sub-chunks of 10^4 models -- the fastest of the
    vectorised forms tried (gathering all columns per tuple: 3-6x slower;
    matrix products over all 6^n tuples: 2x slower)."""
    P = len(XS)
    tup = {1: [(c,) for c in range(P)]}
    par, col = {}, {}
    for k in range(2, 7):
        tup[k] = [t + (c,) for t in tup[k - 1] for c in range(t[-1], P)]
        pos = {t: i for i, t in enumerate(tup[k - 1])}
        par[k] = torch.tensor([pos[t[:-1]] for t in tup[k]])
        col[k] = torch.tensor([t[-1] for t in tup[k]])
    sums = {2: 0, 4: 0, 6: 0}
    total = 0
    for F in chunks:
        for s in range(0, F.shape[0], 10000):
            f = F[s:s + 10000]
            prod = f
            for k in range(2, 7):
                prod = prod.index_select(1, par[k]) * f.index_select(1, col[k])
                if k % 2 == 0:
                    sums[k] = sums[k] + prod.sum(0)
        total += F.shape[0]
    return {n: v / total for n, v in sums.items()}


def baseline_a(M):
    """nn-qft: a torch module per network, outputs concatenated one by one."""
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin1 = nn.Linear(D_IN, N)
            self.lin2 = nn.Linear(N, 1)
            nn.init.normal_(self.lin1.weight, 0, SW / D_IN ** 0.5)
            nn.init.normal_(self.lin1.bias, 0, SB)
            nn.init.normal_(self.lin2.weight, 0, SW / N ** 0.5)
            nn.init.normal_(self.lin2.bias, 0, SB)

        def forward(self, x):
            return self.lin2(torch.relu(self.lin1(x)))

    xs = torch.tensor(XS).reshape(-1, 1)
    t0 = time.perf_counter()
    outs = None
    with torch.no_grad():
        for _ in range(M):
            o = Net()(xs).T
            outs = o if outs is None else torch.cat((outs, o))
    chunk = 10000
    moments(outs[i:i + chunk] for i in range(0, M, chunk))
    return time.perf_counter() - t0


def baseline_b(M):
    """Vectorised torch: weights as tensors, chunks of 10^5 networks."""
    xs = torch.tensor(XS)
    chunk = 100000
    t0 = time.perf_counter()

    def gen():
        for start in range(0, M, chunk):
            m = min(chunk, M - start)
            W0 = torch.randn(m, N) * (SW / D_IN ** 0.5)
            b0 = torch.randn(m, N) * SB
            W1 = torch.randn(m, N) * (SW / N ** 0.5)
            b1 = torch.randn(m, 1) * SB
            h = torch.relu(W0[:, :, None] * xs[None, None, :] + b0[:, :, None])   # m, N, 6
            yield torch.einsum("mn,mnp->mp", W1, h) + b1

    with torch.no_grad():
        sorted_moments(gen())
    return time.perf_counter() - t0


def main():
    sizes = [100000, 1000000]
    out = subprocess.run([BENCH] + [str(s) for s in sizes], stdout=subprocess.PIPE, check=True,
                         universal_newlines=True).stdout
    neft = {}
    for line in out.splitlines():
        f = line.split()
        neft[int(f[1])] = {"gauss": float(f[3]), "neft-1": float(f[5]), "neft-T": float(f[7])}
    print("neft (bench-sample):\n" + out.rstrip())
    if torch is None:
        print("torch not installed: baselines (a) and (b) not run "
              "(python3 bench/sample_baselines.py BENCH --install)")
        return
    torch.set_num_threads(os.cpu_count() or 1)
    print("torch %s, %d threads" % (torch.__version__, torch.get_num_threads()))

    # (a): measured at small sizes (after a warm-up: the first modules are slow),
    # fitted t = a M + b M^2 through the two largest measured sizes
    baseline_a(300)
    baseline_b(10000)
    meas = {}
    for M in ([10000, 30000] + ([100000] if FULL else [])):
        meas[M] = baseline_a(M)
        print("(a) nn-qft method, %d nets: %.2f s (%.3g nets/s), measured" % (M, meas[M], M / meas[M]))
    (m1, t1), (m2, t2) = sorted(meas.items())[-2:]
    b = (t2 / m2 - t1 / m1) / (m2 - m1)
    a = t1 / m1 - b * m1
    a = max(a, 0.0)
    b = max(b, 0.0)

    print()
    print("%-9s %-14s %-14s %-14s %-14s %-14s %-10s %-10s %-8s" % (
        "nets", "(a) nets/s", "(b) nets/s", "gauss only", "neft 1 thr", "neft all", "vs (a)",
        "vs (b)", "vs gauss"))
    for M in sizes:
        if M in meas:
            ta, how = meas[M], ""
        else:
            ta, how = a * M + b * M * M, "*"
        tb = baseline_b(M)
        r = neft[M]
        best = max(r["neft-1"], r["neft-T"])
        print("%-9d %-14s %-14.4g %-14.4g %-14.4g %-14.4g %-10s %-10.1f %-8.2f" % (
            M, "%.4g%s" % (M / ta, how), M / tb, r["gauss"], r["neft-1"], r["neft-T"],
            "%.0fx%s" % (best * ta / M, how), best * tb / M, r["gauss"] / r["neft-1"]))
    print("* extrapolated from the fit t = %.3g M + %.3g M^2 to the measured sizes of (a)" % (a, b))
    print("vs gauss: time of neft (1 thread) / time of drawing its Gaussians (1 thread)")


main()
