#!/usr/bin/python3
"""Per-net check of the gradient-descent map of docs/train-theory.md ("Any depth")
on depth-3 linear nets (src/train/order1_deep.c iterates its expansion).

A depth-3 linear net f(x) = b3 + w3 . (b2 + W2 (b1 + W1 x)) (hidden widths n,
W_l ~ N(0, C_W / n_{l-1}), b ~ N(0, C_b): the trainer's parametrisation) is a
cubic polynomial in its parameters, so its z, H, M, ddI, ddII are closed forms
(below; every one checked by `selftest`: one exact GD step against the map).
For each net:
  (a) the map iterated from the net's own (z, H, M, ddI, ddII) against the
      net's exact full-batch GD f_T (rates eta lambda_b, eta lambda_W/n_{l-1},
      loss 1/2 sum (f - y)^2), the gap's mean and spread against n;
  (b) the mean over nets of the map's output (Monte Carlo of E[F]) and of
      the exact f_T, against the frozen mean + c/n of the four-term expansion
      (c from build/bench/bench-order1-deep).

Usage: /usr/bin/python3 bench/order1_deep_pernet.py MODE ..., MODE one of
  selftest                       the closed forms against one exact GD step and finite differences
  run NETS WIDTHS T ETA          (a): the map from each net's own values against its exact GD
  terms NETS WIDTHS T ETA        (b): n E[...] of the map's pieces, with control variates
  tensors NETS WIDTHS DUMP       onen's tensors (DUMP: bench-order1-deep ... dump) against nets
  fourterms DUMP ETA T           the four terms by finite differences of the map from DUMP
  gauss DUMP ETA T WIDTHS        the NTK-covariance piece resummed over Gaussian H (convergence in n)
  exact NETS WIDTHS T ETA        n (E f_T - frozen) of exact GD with control variates (large n)
(learn.csv's points, C_W = 1, C_b = 1/10, lambda = 1; WIDTHS comma-separated)
"""

import sys
import numpy as np

X = np.array([[1, 0], [0, 1], [0.6, 0.8], [-0.5, 0.25], [1, 1], [0.5, -0.5]], float)
Y = np.array([1, -1, 0.5, 0.3], float)
NA = 4
CW, CB, LB, LW = 1.0, 0.1, 1.0, 1.0


def draw(rng, N, n, d):
    W1 = rng.standard_normal((N, n, d)) * np.sqrt(CW / d)
    b1 = rng.standard_normal((N, n)) * np.sqrt(CB)
    W2 = rng.standard_normal((N, n, n)) * np.sqrt(CW / n)
    b2 = rng.standard_normal((N, n)) * np.sqrt(CB)
    w3 = rng.standard_normal((N, n)) * np.sqrt(CW / n)
    b3 = rng.standard_normal(N) * np.sqrt(CB)
    return [W1, b1, W2, b2, w3, b3]


def forward(th, x):
    W1, b1, W2, b2, w3, b3 = th
    z1 = np.einsum('Nid,pd->Npi', W1, x) + b1[:, None, :]
    z2 = np.einsum('Nij,Npj->Npi', W2, z1) + b2[:, None, :]
    f = np.einsum('Ni,Npi->Np', w3, z2) + b3[:, None]
    return z1, z2, f


def gd(th, x, y, nA, eta, T):
    """exact full-batch GD, T steps; f at every point after each step"""
    W1, b1, W2, b2, w3, b3 = [a.copy() for a in th]
    n, d = W1.shape[1], W1.shape[2]
    out = []
    for t in range(T + 1):
        z1, z2, f = forward([W1, b1, W2, b2, w3, b3], x)
        out.append(f)
        if t == T:
            break
        e = f[:, :nA] - y[None, :]
        r = np.einsum('Nij,Ni->Nj', W2, w3)            # df/dz1
        gb3 = e.sum(1)
        gw3 = np.einsum('NA,NAi->Ni', e, z2[:, :nA])
        gb2 = e.sum(1)[:, None] * w3
        gW2 = np.einsum('NA,Ni,NAj->Nij', e, w3, z1[:, :nA])
        gb1 = e.sum(1)[:, None] * r
        gW1 = np.einsum('NA,Ni,Ad->Nid', e, r, x[:nA])
        b3 = b3 - eta * LB * gb3
        w3 = w3 - eta * LW / n * gw3
        b2 = b2 - eta * LB * gb2
        W2 = W2 - eta * LW / n * gW2
        b1 = b1 - eta * LB * gb1
        W1 = W1 - eta * LW / d * gW1
    return np.array(out)          # (T+1, N, P)


def tensors(th, x):
    """z (N,P), H (N,P,P), M (N,P,P,P), ddI, ddII (N,P,P,P,P) of each net"""
    W1, b1, W2, b2, w3, b3 = th
    n, d = W1.shape[1], W1.shape[2]
    z1, z2, f = forward(th, x)
    r = np.einsum('Nij,Ni->Nj', W2, w3)                # W2^T w3
    q = np.einsum('Nij,Nj->Ni', W2, r)                 # W2 r
    ww = np.einsum('Ni,Ni->N', w3, w3)
    rr = np.einsum('Ni,Ni->N', r, r)
    kap = LB + LW * (x @ x.T) / d                       # kappa_ab (P,P)
    g1 = np.einsum('Npi,Nqi->Npq', z1, z1) / n          # z1.z1/n
    g2 = np.einsum('Npi,Nqi->Npq', z2, z2) / n
    H = LB + LW * g2 + LB * ww[:, None, None] + LW * ww[:, None, None] * g1 \
        + rr[:, None, None] * kap[None]
    # dz2_a[u_c] = w3 (LB + LW z1_c.z1_a/n) + kappa_ca q  -> Dz2[N,a,c,i]
    Dz2 = w3[:, None, None, :] * (LB + LW * g1)[:, :, :, None] \
        + kap[None, :, :, None] * q[:, None, None, :]
    z1r = np.einsum('Npi,Ni->Np', z1, r)                # z1_b . r
    # d2z2_a[u_b, u_c] = w3 LW [(z1_b.r) kappa_ca + (z1_c.r) kappa_ba] / n
    P = x.shape[0]
    s2 = np.empty((z1.shape[0], P, P, P))
    for a in range(P):
        for b in range(P):
            for c in range(P):
                s2[:, a, b, c] = LW * (z1r[:, b] * kap[c, a] + z1r[:, c] * kap[b, a]) / n
    # M_abc = d2 f_a[u_b,u_c] = LW z2_b.dz2_a[u_c]/n + LW z2_c.dz2_a[u_b]/n + |w3|^2 s2_abc
    zD = np.einsum('Nbi,Naci->Nabc', z2, Dz2) * LW / n   # zD[a,b,c] = LW z2_b.dz2_a[u_c]/n
    M = zD + zD.transpose(0, 1, 3, 2) + ww[:, None, None, None] * s2
    # ddI_abcd = LW/n (z2_b.d2z2_a[u_c,u_d] + perms); z2_b.w3 factor
    zw = np.einsum('Nbi,Ni->Nb', z2, w3)
    ddI = (LW / n) * (zw[:, None, :, None, None] * s2[:, :, None, :, :]
                      + zw[:, None, None, :, None] * s2[:, :, :, None, :]
                      + zw[:, None, None, None, :] * s2[:, :, :, :, None])
    # ddII_abcd = G_{a,c} Lambda G_{b,d}, G_{a,c} = grad of df_a[u_c] (u_c fixed):
    #   w3: Dz2[a,c]; b2: LW z2_c/n; W2: LW z2_c z1_a^T/n + kappa_ca w3 r^T;
    #   b1: s_c = W2^T dw3 + dW2^T w3 (dw3 = LW z2_c/n, dW2 = LW w3 z1_c^T/n),
    #       s_c = LW (W2^T z2_c + |w3|^2 z1_c)/n; W1: s_c x_a^T
    sc = LW * (np.einsum('Nij,Nci->Ncj', W2, z2) + ww[:, None, None] * z1) / n
    A1 = (LW / n) * np.einsum('Naci,Nbdi->Nabcd', Dz2, Dz2)
    g2cd = g2 * n                                        # z2_c.z2_d
    zwc = zw                                             # z2_c . w3
    z1ra = z1r                                           # z1_a . r
    ddII = A1.copy()
    # b2 term: LB (LW/n)^2 z2_c.z2_d
    ddII += LB * (LW / n) ** 2 * g2cd[:, None, None, :, :]
    # W2 Frobenius times LW/n:
    #   (LW/n)^2 (z2_c.z2_d)(z1_a.z1_b) + (LW/n) kappa_db (z2_c.w3)(z1_a.r)
    #   + (LW/n) kappa_ca (w3.z2_d)(r.z1_b) + kappa_ca kappa_db |w3|^2 |r|^2
    g1ab = g1 * n
    fro = (LW / n) ** 2 * g2cd[:, None, None, :, :] * g1ab[:, :, :, None, None] \
        + (LW / n) * kap.T[None, None, :, None, :] * zwc[:, None, None, :, None] * z1ra[:, :, None, None, None] \
        + (LW / n) * kap.T[None, :, None, :, None] * zwc[:, None, None, None, :] * z1ra[:, None, :, None, None] \
        + kap.T[None, :, None, :, None] * kap.T[None, None, :, None, :] * (ww * rr)[:, None, None, None, None]
    ddII += (LW / n) * fro
    # b1, W1: (s_c . s_d) kappa_ab
    ss = np.einsum('Nci,Ndi->Ncd', sc, sc)
    ddII += ss[:, None, None, :, :] * kap[None, :, :, None, None]
    return f, H, M, ddI, ddII


def mapstep(f, H, M, ddI, ddII, y, nA, eta):
    """one step of the map of docs/train-theory.md, every point (H, M full P)"""
    e = f[:, :nA] - y[None, :]
    A = slice(0, nA)
    fn = f - eta * np.einsum('NxA,NA->Nx', H[:, :, A], e) \
        + 0.5 * eta ** 2 * np.einsum('NxAB,NA,NB->Nx', M[:, :, A, A], e, e) \
        - eta ** 3 / 6 * np.einsum('NxABC,NA,NB,NC->Nx', ddI[:, :, A, A, A], e, e, e)
    Hn = H - eta * (np.einsum('NxyB,NB->Nxy', M[:, :, :, A], e)
                    + np.einsum('NyxB,NB->Nxy', M[:, :, :, A], e)) \
        + 0.5 * eta ** 2 * (np.einsum('NxyBC,NB,NC->Nxy', ddI[:, :, :, A, A], e, e)
                            + np.einsum('NyxBC,NB,NC->Nxy', ddI[:, :, :, A, A], e, e)
                            + 2 * np.einsum('NxyBC,NB,NC->Nxy', ddII[:, :, :, A, A], e, e))
    Mn = M - eta * (np.einsum('NxywC,NC->Nxyw', ddI[:, :, :, :, A], e)
                    + np.einsum('NxywC,NC->Nxyw', ddII[:, :, :, :, A], e)
                    + np.einsum('NxwyC,NC->Nxyw', ddII[:, :, :, :, A], e))
    return fn, Hn, Mn


def runmap(f, H, M, ddI, ddII, y, nA, eta, T):
    out = [f]
    for t in range(T):
        f, H, M = mapstep(f, H, M, ddI, ddII, y, nA, eta)
        out.append(f)
    return np.array(out)


def selftest():
    rng = np.random.default_rng(1)
    for n in (3, 7):
        th = draw(rng, 3, n, 2)
        f, H, M, ddI, ddII = tensors(th, X)
        # H against finite differences of f along u_b is implied by the one-step test;
        # one exact step vs the map: f exact (cubic), H to O(eta^3), M to O(eta^2)
        for eta in (1e-1, 5e-2, 2.5e-2):
            th1 = gd_params(th, X, Y, NA, eta)
            f1, H1, M1, _, _ = tensors(th1, X)
            fm, Hm, Mm = mapstep(f, H, M, ddI, ddII, Y, NA, eta)
            print("n %d eta %.4f: |df| %.2e |dH| %.2e |dM| %.2e" % (
                n, eta, abs(f1 - fm).max(), abs(H1 - Hm).max(), abs(M1 - Mm).max()))
        # symmetry checks
        print("  M_abc sym in bc: %.1e; ddI sym: %.1e; ddII_abcd = ddII_badc: %.1e" % (
            abs(M - M.transpose(0, 1, 3, 2)).max(),
            abs(ddI - ddI.transpose(0, 1, 3, 2, 4)).max() + abs(ddI - ddI.transpose(0, 1, 2, 4, 3)).max(),
            abs(ddII - ddII.transpose(0, 2, 1, 4, 3)).max()))
        # M and ddI against finite differences of f along u (f is cubic in theta)
        u = udirs(th, X)
        a, b, c, dd = 4, 1, 2, 3
        h = 1e-3
        def fat(s, t, v):
            thp = [th[k] + s * u[b][k] + t * u[c][k] + v * u[dd][k] for k in range(6)]
            return forward(thp, X)[2][:, a]
        # d2 f[u_b,u_c] by central mixed difference (exact for cubic up to h^2 d4=0)
        m_fd = (fat(h, h, 0) - fat(h, -h, 0) - fat(-h, h, 0) + fat(-h, -h, 0)) / (4 * h * h)
        d3_fd = sum(s1 * s2 * s3 * fat(s1 * h, s2 * h, s3 * h)
                    for s1 in (1, -1) for s2 in (1, -1) for s3 in (1, -1)) / (8 * h ** 3)
        print("  M fd %.2e, ddI fd %.2e (rel)" % (
            abs(m_fd - M[:, a, b, c]).max() / abs(M[:, a, b, c]).max(),
            abs(d3_fd - ddI[:, a, b, c, dd]).max() / abs(ddI[:, a, b, c, dd]).max()))
        # H against u
        Hu = np.stack([np.stack([sum((gradf(th, X, p)[k] * u[q][k]).reshape(3, -1).sum(1)
                                     for k in range(6)) for q in range(6)], 1) for p in range(6)], 1)
        print("  H vs grad.Lambda.grad: %.1e" % abs(Hu - H).max())


def gradf(th, x, p):
    W1, b1, W2, b2, w3, b3 = th
    z1, z2, f = forward(th, x)
    r = np.einsum('Nij,Ni->Nj', W2, w3)
    return [np.einsum('Ni,d->Nid', r, x[p]), r, np.einsum('Ni,Nj->Nij', w3, z1[:, p]),
            w3, z2[:, p], np.ones_like(b3)]


def udirs(th, x):
    n, d = th[0].shape[1], th[0].shape[2]
    lam = [LW / d, LB, LW / n, LB, LW / n, LB]
    return [[lam[k] * g for k, g in enumerate(gradf(th, x, p))] for p in range(x.shape[0])]


def gd_params(th, x, y, nA, eta):
    """the parameters after one exact GD step"""
    u = udirs(th, x)
    f = forward(th, x)[2]
    e = f[:, :nA] - y[None, :]
    out = []
    for k in range(6):
        g = sum(e[:, A].reshape((-1,) + (1,) * (th[k].ndim - 1)) * u[A][k] for A in range(nA))
        out.append(th[k] - eta * g)
    return out


def run(nets, widths, T, eta, seed=7, chunk=500):
    rng = np.random.default_rng(seed)
    for n in widths:
        acc = []
        for s in range(0, nets, chunk):
            m = min(chunk, nets - s)
            th = draw(rng, m, n, 2)
            f, H, M, ddI, ddII = tensors(th, X)
            fT = gd(th, X, Y, NA, eta, T)[-1]
            FT = runmap(f, H, M, ddI, ddII, Y, NA, eta, T)[-1]
            acc.append(np.concatenate([fT[:, NA:], FT[:, NA:], (FT - fT)[:, NA:]], 1))
        a = np.concatenate(acc)
        mu = a.mean(0)
        se = a.std(0, ddof=1) / np.sqrt(a.shape[0])
        print("n %3d nets %d T %d eta %g" % (n, a.shape[0], T, eta))
        for j in range(2):
            print("  x%d: E f_T %+.6f +- %.6f | E F_T %+.6f +- %.6f | gap F-f %+.3e +- %.1e (n gap %+.4f, n^2 gap %+.3f)"
                  % (j, mu[j], se[j], mu[2 + j], se[2 + j], mu[4 + j], se[4 + j],
                     n * mu[4 + j], n * n * mu[4 + j]))
        sys.stdout.flush()


def theta_k(x, d=2):
    """the infinite-width NTK and kernel of the depth-3 linear output"""
    g = x @ x.T / d
    K1 = CB + CW * g
    K2 = CB + CW * K1
    T1 = LB + LW * g
    T2 = LB + LW * K1 + CW * T1
    T3 = LB + LW * K2 + CW * T2
    return T3, CB + CW * K2


def frozen_lin(f0, Th, dH, y, nA, eta, T):
    """the map with H = Theta constant from the net's own f0 (F0, mean = the frozen
    mean) and its derivative along dH = H - Theta (mean 0: E f0 dH = 0, E dH = 0)"""
    f = f0.copy()
    df = np.zeros_like(f0)
    A = slice(0, nA)
    for t in range(T):
        e = f[:, A] - y[None, :]
        df = df - eta * (np.einsum('NxA,NA->Nx', dH[:, :, A], e)
                         + np.einsum('xA,NA->Nx', Th[:, A], df[:, A]))
        f = f - eta * np.einsum('xA,NA->Nx', Th[:, A], e)
    return f, df


def terms(nets, widths, T, eta, seed=7, chunk=500):
    """n (E[...]) of the map's pieces with control variates, against the four terms"""
    rng = np.random.default_rng(seed)
    Th, K = theta_k(X)
    names = ["exact-F0-linH", "map-F0-linH", "H only", "M only", "dd only", "cross",
             "exact-map"]
    for n in widths:
        acc = []
        for s in range(0, nets, chunk):
            m = min(chunk, nets - s)
            th = draw(rng, m, n, 2)
            f, H, M, ddI, ddII = tensors(th, X)
            z4 = np.zeros_like(ddI)
            z3 = np.zeros_like(M)
            Thn = np.broadcast_to(Th, H.shape)
            fT = gd(th, X, Y, NA, eta, T)[-1]
            F = runmap(f, H, M, ddI, ddII, Y, NA, eta, T)[-1]
            F0, lin = frozen_lin(f, Th, H - Th[None], Y, NA, eta, T)
            FH = runmap(f, H, z3, z4, z4, Y, NA, eta, T)[-1]
            FM = runmap(f, Thn, M, z4, z4, Y, NA, eta, T)[-1]
            Fd = runmap(f, Thn, z3, ddI, ddII, Y, NA, eta, T)[-1]
            cols = [fT - F0 - lin, F - F0 - lin, FH - F0 - lin, FM - F0, Fd - F0,
                    F - FH - FM - Fd + 2 * F0, fT - F]
            acc.append(np.concatenate([c[:, NA:] for c in cols], 1) * n)
        a = np.concatenate(acc)
        ok = np.all(np.isfinite(a), 1) & np.all(np.abs(a) < 1e6, 1)
        a = a[ok]
        mu = a.mean(0)
        se = a.std(0, ddof=1) / np.sqrt(a.shape[0])
        print("n %3d nets %d (dropped %d) T %d eta %g: n E[...]" % (n, a.shape[0], (~ok).sum(), T, eta))
        for k, nm in enumerate(names):
            print("  %-14s x0 %+.4f +- %.4f   x1 %+.4f +- %.4f" % (
                nm, mu[2 * k], se[2 * k], mu[2 * k + 1], se[2 * k + 1]))
        sys.stdout.flush()


def load_dump(path):
    """the map's tensors as written by bench-order1-deep ... dump"""
    D = {}
    P = X.shape[0]
    for line in open(path):
        f = line.split()
        if f and f[0] in ("th", "th1", "K", "cov", "dz", "ddi", "ddii"):
            v = np.array([float(t) for t in f[1:]])
            D[f[0]] = v.reshape((P,) * (2 if len(v) == P * P else 4))
    return D


def tensor_check(nets, widths, dump, seed=11, chunk=500):
    """onen's tensors (through the map's index maps) against sampled nets"""
    D = load_dump(dump)
    rng = np.random.default_rng(seed)
    for n in widths:
        s1 = {k: 0 for k in ("th", "cov", "dz", "ddi", "ddii")}
        s2 = {k: 0 for k in s1}
        N = 0
        for s in range(0, nets, chunk):
            m = min(chunk, nets - s)
            th = draw(rng, m, n, 2)
            f, H, M, ddI, ddII = tensors(th, X)
            dH = H - D["th"][None]
            vals = {"th": H, "cov": n * np.einsum('Nab,Ncd->Nabcd', dH, dH),
                    "dz": n * np.einsum('Nabc,Nd->Nabcd', M, f), "ddi": n * ddI,
                    "ddii": n * ddII}
            for k in s1:
                s1[k] = s1[k] + vals[k].sum(0)
                s2[k] = s2[k] + (vals[k] ** 2).sum(0)
            N += m
        print("n %d, %d nets: max |sampled - onen| / error (and the worst entry)" % (n, N))
        for k in s1:
            mu = s1[k] / N
            se = np.sqrt(np.maximum(s2[k] / N - mu ** 2, 1e-300) / (N - 1))
            pull = (mu - D[k]) / se
            i = np.unravel_index(np.argmax(abs(pull)), pull.shape)
            print("  %-5s max pull %+.2f at %s: %.4f +- %.4f vs %.4f; rms pull %.2f" % (
                k, pull[i], i, mu[i], se[i], D[k][i], np.sqrt((pull ** 2).mean())))
        sys.stdout.flush()


def fourterms_fd(dump, eta, T, y=Y, nA=NA):
    """the four terms of c recomputed from the dumped tensors by finite
    differences of mapstep (an independent route to src/train/order1_deep.c's jets)"""
    D = load_dump(dump)
    P = X.shape[0]
    Th, K, C, dz, ddi, ddii = D["th"], D["K"], D["cov"], D["dz"], D["ddi"], D["ddii"]

    def F(f0, H, M, dI, dII):
        return runmap(f0, H, M, dI, dII, y, nA, eta, T)[-1]

    # the NTK's covariance: 1/2 sum_{ab,cd} C_abcd d2F/dH_ab dH_cd (entries independent)
    ent = [(a, b) for a in range(P) for b in range(nA)]   # the entries the map reads
    h = 1e-4
    runs = []
    for i in ent:
        for j in ent:
            for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                H = Th.copy()
                H[i] += si * h
                H[j] += sj * h
                runs.append(H)
    Hs = np.array(runs)
    Nr = Hs.shape[0]
    z = np.zeros((Nr, P))
    z3 = np.zeros((Nr, P, P, P))
    z4 = np.zeros((Nr, P, P, P, P))
    out = F(z, Hs, z3, z4, z4).reshape(len(ent), len(ent), 4, P)
    d2 = (out[:, :, 0] - out[:, :, 1] - out[:, :, 2] + out[:, :, 3]) / (4 * h * h)
    cov = 0
    for ii, i in enumerate(ent):
        for jj, j in enumerate(ent):
            cov = cov + 0.5 * C[i[0], i[1], j[0], j[1]] * d2[ii, jj]
    # the dNTK: sum_a sum_m nE[M_m z_a] d2F/dM_m dz_a = d/dh d/dk F(z = k e_a, M = h nE[M z_a])
    dnt = 0
    for a in range(nA):
        vals = []
        for sh, sk in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
            f0 = np.zeros((1, P))
            f0[0, a] = sk * h
            M = (sh * h * dz[:, :, :, a])[None]
            vals.append(F(f0, Th[None], M, z4[:1], z4[:1])[0])
        dnt = dnt + (vals[0] - vals[1] - vals[2] + vals[3]) / (4 * h * h)
    # the ddNTKs: E_z [d/dh F(z, dd = h nE[dd])], z ~ N(0, K_AA) at the training inputs:
    # exact by Gauss-Hermite (the integrand is a polynomial of degree 3 in z)
    w, L = np.linalg.eigh(K[:nA, :nA])
    Lf = L * np.sqrt(np.maximum(w, 0))
    gx, gw = np.polynomial.hermite_e.hermegauss(4)
    gw = gw / gw.sum()
    import itertools
    dd = 0
    for idx in itertools.product(range(4), repeat=nA):
        zz = Lf @ gx[list(idx)]
        wt = np.prod(gw[list(idx)])
        f0 = np.zeros((2, P))
        f0[:, :nA] = zz
        Fp = F(f0[:1], Th[None], z3[:1], (h * ddi)[None], (h * ddii)[None])[0]
        Fm = F(f0[:1], Th[None], z3[:1], (-h * ddi)[None], (-h * ddii)[None])[0]
        dd = dd + wt * (Fp - Fm) / (2 * h)
    for b in range(nA, P):
        print("x%d: cov %+.10f dntk %+.10f ddntk %+.10f sum %+.10f" % (
            b - nA, cov[b], dnt[b], dd[b], cov[b] + dnt[b] + dd[b]))


def exact_cv(nets, widths, T, eta, x=None, nA=NA, y=Y, seed=5, chunk=100):
    """n (E f_T - frozen) of exact GD at large widths, with control variates of
    known mean: the map with H = Theta from the net's own f0 (mean: the frozen
    mean) and its derivative along the net's H - Theta (mean 0), and each net
    paired with its twin of flipped last layer (w3, b3 -> -w3, -b3)"""
    x = X if x is None else x
    d = x.shape[1]
    rng = np.random.default_rng(seed)
    Th, K = theta_k(x, d)
    for n in widths:
        acc = []
        for s in range(0, nets, chunk):
            m = min(chunk, nets - s)
            th = draw(rng, m, n, d)
            tw = th[:4] + [-th[4], -th[5]]
            v = 0
            for t in (th, tw):
                fT = gd(t, x, y, nA, eta, T)[-1]
                z1, z2, f = forward(t, x)
                W1, b1, W2, b2, w3, b3 = t
                r = np.einsum('Nij,Ni->Nj', W2, w3)
                g1 = np.einsum('Npi,Nqi->Npq', z1, z1) / n
                g2 = np.einsum('Npi,Nqi->Npq', z2, z2) / n
                ww = np.einsum('Ni,Ni->N', w3, w3)
                rr = np.einsum('Ni,Ni->N', r, r)
                kap = LB + LW * (x @ x.T) / d
                H = LB + LW * g2 + LB * ww[:, None, None] + LW * ww[:, None, None] * g1 \
                    + rr[:, None, None] * kap[None]
                F0, lin = frozen_lin(f, Th, H - Th[None], y, nA, eta, T)
                v = v + 0.5 * n * (fT - F0 - lin)
            acc.append(v[:, nA:])
        a = np.concatenate(acc)
        mu = a.mean(0)
        se = a.std(0, ddof=1) / np.sqrt(a.shape[0])
        print("n %4d pairs %d: n (E f_T - frozen) " % (n, a.shape[0])
              + "  ".join("x%d %+.4f +- %.4f" % (j, mu[j], se[j]) for j in range(len(mu))))
        sys.stdout.flush()


def gauss_toy(dump, eta, T, widths, samples=200000, reps=10, seed=3):
    """the NTK-covariance piece alone, resummed: E over Gaussian H = Theta + dH,
    n Cov(dH) = onen's A + B + B' (from the dump), of the frozen map with H
    held fixed and z = 0, as n (E F - F(Theta)) against n; its limit is the
    four-term expansion's cov term, and how fast it gets there shows the
    size of the O(1/n^2) terms (antithetic pairs +dH, -dH)"""
    D = load_dump(dump)
    P = X.shape[0]
    Th, C = D["th"], D["cov"]
    pairs = [(a, b) for a in range(P) for b in range(a, P)]
    Cm = np.array([[C[a, b, c, d] for (c, d) in pairs] for (a, b) in pairs])
    w, V = np.linalg.eigh(Cm)
    Lc = V * np.sqrt(np.maximum(w, 0))
    rng = np.random.default_rng(seed)

    def Fh(Hs):
        f = np.zeros((Hs.shape[0], P))
        for t in range(T):
            e = f[:, :NA] - Y[None]
            f = f - eta * np.einsum('NxA,NA->Nx', Hs[:, :, :NA], e)
        return f
    F0 = Fh(Th[None])[0]
    print("eta lambda_max(Theta_AA) = %.4f" % (eta * np.linalg.eigvalsh(Th[:NA, :NA]).max()))
    for n in widths:
        acc = []
        for s in range(reps):
            g = rng.standard_normal((samples, len(pairs))) @ Lc.T / np.sqrt(n)
            dH = np.zeros((samples, P, P))
            for k, (a, b) in enumerate(pairs):
                dH[:, a, b] = g[:, k]
                dH[:, b, a] = g[:, k]
            acc.append(0.5 * (Fh(Th[None] + dH) + Fh(Th[None] - dH)) - F0)
        a = np.concatenate(acc) * n
        print("n %5d: n (E F - F(Theta)) " % n + "  ".join(
            "x%d %+.4f +- %.4f" % (j - NA, a[:, j].mean(), a[:, j].std() / np.sqrt(len(a)))
            for j in range(NA, P)))
        sys.stdout.flush()


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] == "selftest":
        selftest()
    elif sys.argv[1] == "tensors":
        tensor_check(int(sys.argv[2]), [int(w) for w in sys.argv[3].split(",")], sys.argv[4])
    elif sys.argv[1] == "fourterms":
        fourterms_fd(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]))
    elif sys.argv[1] == "gauss":
        gauss_toy(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]),
                  [int(w) for w in sys.argv[5].split(",")])
    elif sys.argv[1] == "exact":
        exact_cv(int(sys.argv[2]), [int(w) for w in sys.argv[3].split(",")], int(sys.argv[4]),
                 float(sys.argv[5]))
    elif sys.argv[1] == "terms":
        terms(int(sys.argv[2]), [int(w) for w in sys.argv[3].split(",")], int(sys.argv[4]),
              float(sys.argv[5]), int(sys.argv[6]) if len(sys.argv) > 6 else 7)
    else:
        run(int(sys.argv[2]), [int(w) for w in sys.argv[3].split(",")], int(sys.argv[4]),
            float(sys.argv[5]), int(sys.argv[6]) if len(sys.argv) > 6 else 7)
