#!/usr/bin/env python3
"""Training an ensemble: `neft train --ensemble` against a vectorised torch baseline.

The same task on both sides: M nets z = b2 + W2 relu(b1 + W1 x) (d_in 2, width n,
W ~ N(0, C_W/n_prev), b ~ N(0, C_b), C_W = 2, C_b = 1/10), each trained by T steps
of full-batch gradient descent on the four examples of docs/data/learn.csv with
the RYH rates (eta lambda_b for biases, eta lambda_W / n_prev for weights;
eta = 1/10, lambda = 1), float64, outputs recorded at the two test inputs at
steps 0 and T.  torch: the whole ensemble in batches of B nets, parameters as
(B, n, d) tensors, forward and hand-written backward (no autograd): the
first layer's products with the shared inputs as single matmuls, the
per-net output layer as broadcast products and sums (measured faster than
torch.bmm, which takes 11 ms for (1024, 20, 2) x (1024, 2, 4) in float64
here), torch.set_num_threads(2).  neft:
--threads 2.  Reported: networks per second of each (wall clock: the machine
is shared, so the numbers are noisy), their ratio, and the trained means of
both side by side (they are different draws of the same ensemble: they must
agree within errors).

Usage: python3 bench/train_vs_torch.py [NEFT] [--widths 20,100,500] [--steps 100]
                                       [--models M] [--batch B]
Skips (exit 0 with a message) when torch is not installed.
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "docs", "data", "learn.csv")
XS = [[1, 0], [0, 1], [0.6, 0.8], [-0.5, 0.25]]
YS = [1, -1, 0.5, 0.3]
TEST = [[1, 1], [0.5, -0.5]]


def torch_run(torch, M, n, T, B, eta=0.1, cw=2.0, cb=0.1):
    """(networks/s, mean and stderr of the outputs at the test inputs after T steps)"""
    dt = torch.float64
    X = torch.tensor(XS, dtype=dt)          # (A, d)
    Y = torch.tensor(YS, dtype=dt)          # (A,)
    Xt = torch.tensor(TEST, dtype=dt)
    d = X.shape[1]
    g = torch.Generator().manual_seed(1)
    s1, s2, done = torch.zeros(2, dtype=dt), torch.zeros(2, dtype=dt), 0
    t0 = time.time()
    while done < M:
        b = min(B, M - done)
        W1 = torch.randn(b, n, d, generator=g, dtype=dt) * math.sqrt(cw / d)
        b1 = torch.randn(b, n, 1, generator=g, dtype=dt) * math.sqrt(cb)
        W2 = torch.randn(b, 1, n, generator=g, dtype=dt) * math.sqrt(cw / n)
        b2 = torch.randn(b, 1, 1, generator=g, dtype=dt) * math.sqrt(cb)
        XT = X.t()                                     # (d, A), shared by the nets
        for _ in range(T):
            z1 = torch.matmul(W1, XT) + b1             # (b, n, A): one gemm
            h1 = torch.relu(z1)
            f = (W2.transpose(1, 2) * h1).sum(1, keepdim=True) + b2   # (b, 1, A)
            e = f - Y                                  # (b, 1, A)
            gW2 = (e * h1).sum(2).unsqueeze(1)         # (b, 1, n)
            gb2 = e.sum(2, keepdim=True)
            d1 = (W2.transpose(1, 2) * e) * (z1 > 0)   # (b, n, A)
            gW1 = torch.matmul(d1, X)                  # (b, n, d): one gemm
            gb1 = d1.sum(2, keepdim=True)
            W2 -= eta / n * gW2
            b2 -= eta * gb2
            W1 -= eta / d * gW1
            b1 -= eta * gb1
        ft = torch.matmul(W2, torch.relu(torch.matmul(W1, Xt.t()) + b1)) + b2
        ft = ft[:, 0, :]
        s1 += ft.sum(0)
        s2 += (ft * ft).sum(0)
        done += b
    el = time.time() - t0
    mean = s1 / M
    se = torch.sqrt((s2 / M - mean * mean) / (M - 1))
    return M / el, mean.tolist(), se.tolist()


def neft_run(neft, M, n, T):
    args = [neft, "train", "--ensemble", "--data", DATA, "--at", "1,1;0.5,-0.5",
            "--activation", "relu", "--cw", "2", "--cb", "1/10", "--depth", "2", "--width",
            str(n), "--models", str(M), "--eta", "1/10", "--steps", "0,%d" % T,
            "--threads", "2", "--format", "json", "--max-work", "1e16"]
    t0 = time.time()
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    el = time.time() - t0
    res = json.loads(out)
    last = res["trained"][-1]["mean"]
    return M / el, [m["value"] for m in last], [m["stderr"] for m in last], \
        [float(m["frozen"]["mid"]) for m in last]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("neft", nargs="?", default=os.path.join(HERE, "..", "build", "neft"))
    ap.add_argument("--widths", default="20,100,500")
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--models", type=int, default=20000)
    ap.add_argument("--batch", type=int, default=1024)
    a = ap.parse_args()
    # on a loaded machine, OpenMP's spinning workers make every torch op 30x
    # slower (measured: 16 ms instead of 0.57 ms for relu(A) * A, A 256x100x4,
    # load 16 on 2 cores); sleeping waits are fair to torch there
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import torch
    except ImportError:
        # Debian's python3-torch lives in the system python's dist-packages
        sysp = "/usr/bin/python3"
        if os.path.exists(sysp) and os.path.realpath(sys.executable) != os.path.realpath(sysp) \
                and not os.environ.get("NEFT_BENCH_REEXEC"):
            os.environ["NEFT_BENCH_REEXEC"] = "1"
            os.execv(sysp, [sysp] + sys.argv)
        print("train_vs_torch: torch is not installed (python3-torch); skipped")
        return 0
    torch.set_num_threads(2)
    print("# %d nets per width, %d GD steps, torch %s (2 threads, OMP_WAIT_POLICY=%s, batches "
          "of %d), neft --threads 2; wall clock on a shared machine"
          % (a.models, a.steps, torch.__version__, os.environ["OMP_WAIT_POLICY"], a.batch))
    print("# width  torch nets/s  neft nets/s  ratio   mean(x=(1,1)) torch / neft / frozen")
    for n in map(int, a.widths.split(",")):
        M = a.models if n <= 100 else max(a.models // 5, 1024)
        tr, tm, ts = torch_run(torch, M, n, a.steps, a.batch)
        nr, nm, ns, fz = neft_run(a.neft, M, n, a.steps)
        print("%6d  %12.4g  %11.4g  %5.1fx   %.4f+-%.4f / %.4f+-%.4f / %.4f"
              % (n, tr, nr, nr / tr, tm[0], ts[0], nm[0], ns[0], fz[0]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
