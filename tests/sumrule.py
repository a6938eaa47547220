#!/usr/bin/env python3
"""The zero-dimensional sum rule for `neft diagrams`.

    python3 sumrule.py NEFT_BINARY RULES_DIR

With K = 1 every integral is 1, so for each coupling monomial g^e the sum of
the coefficients of the generator's terms with that monomial is a
coefficient of an exactly computable zero-dimensional series.  For the
action S = phi^2/2 + sum_c w_c g_c phi^{k_c} and Gaussian moments
E[phi^{2j}] = (2j-1)!! (series in the couplings, truncated at order M; see
zerodim.py):

  none                        Z_n/Z_GP = sum_m prod_c (-w_c g_c)^{m_c}/m_c! (n + sum m_c k_c - 1)!!
  vacuum                      mu_n = Z_n/Z_0
  two-point-component         (Z_0/Z_GP) mu'_n
  vacuum,two-point-component  mu'_n: moments rebuilt from the cumulants with kappa_2 := 1
  connected                   kappa_n (n >= 1), log(Z_0/Z_GP) (n = 0)
  connected,self-energy       n >= 3: kappa_n = G^n sum_terms coef g^e G^I, with G = kappa_2
                              and I the number of internal edges (skeleton expansion);
                              for even theories directly, and for every theory on the
                              tadpole-free diagrams of the shifted theory (below), since
                              with tadpoles the skeleton decomposition is not unique
  connected,one-particle-irreducible
                              derivatives of the Legendre transform Gamma of W = log Z at
                              phi = 0: -Gamma_n (n >= 3), 2 - Gamma_2, -J_0, W(J_0) (n = 0)
  connected,tadpole           n >= 2: kappa_n = tadpole-free connected diagrams of the theory
                              shifted to the exact vev v = kappa_1, i.e. with couplings
                              e_d = sum_c w_c g_c C(k_c, d) v^{k_c - d}, d = 2..max legs

The generator is never used to compute a reference.  Exit status 0 when every
case agrees, 1 otherwise; each disagreement is printed as a `FAIL:` line with
the theory, n, order, prune list and monomial, expected and got.
"""
import os
import sys
import tempfile
import time
from fractions import Fraction
from math import comb, factorial

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zerodim as zd  # noqa: E402
from neftio import run_neft, write_rules  # noqa: E402

# name -> list of (coupling name, legs, weight)
THEORIES = {
    "phi4": [("lam", 4, Fraction(1, 24))],
    "phi3": [("g", 3, Fraction(1, 6))],
    "phi6": [("h", 6, Fraction(1, 720))],
    "mixed": [("g", 3, Fraction(1, 6)), ("lam", 4, Fraction(1, 24)),
              ("h", 6, Fraction(1, 720))],
    # Halverson-Maiti-Stoner normalisation: S contains lambda f^4 + kappa f^6.
    "hms": [("lambda", 4, Fraction(1)), ("kappa", 6, Fraction(1))],
}

NPT = list(range(0, 9))      # n = 0..8

# (theory, prune, orders by n: {n: M}).  The issue asks for n = 0..8 "as far
# as order 4".  The number of labelled diagrams grows like (n + k M - 1)!!, so
# the order is lowered where the output would be megabytes of JSON: theories
# with a six-leg vertex (phi6, mixed, hms) go to order 4 for n <= 4, order 3
# for n = 5, 6 and order 2 for n = 7, 8; the tadpole check, whose shifted
# theory has vertices of every degree 2..K, one order lower again.  With
# --quick (the sanitizer build) every order is one lower, at least 2.
# Each line prints its time.
QUICK = "--quick" in sys.argv[1:]


def orders_for(theory, prune, ns):
    six = theory in ("phi6", "mixed", "hms")
    out = {}
    for n in ns:
        if not six:
            M = 4 if (n <= 6 or prune.startswith("connected")) else 3
        else:
            M = 4 if n <= 4 else 3 if n <= 6 else 2
        if prune == "connected,tadpole" and six:
            M -= 1
        if QUICK:
            M = max(2, M - 1)
        out[n] = M
    return out


CASES = []
for _th in ("phi4", "phi3", "phi6", "mixed", "hms"):
    for _pr in ("none", "vacuum", "two-point-component", "vacuum,two-point-component",
                "connected", "connected,one-particle-irreducible"):
        CASES.append((_th, _pr, orders_for(_th, _pr, NPT)))
    CASES.append((_th, "connected,self-energy", orders_for(_th, "connected", range(3, 9))))
    CASES.append((_th, "connected,tadpole", orders_for(_th, "connected,tadpole", range(2, 9))))
# the phi^4 2-point function to order 6
for _pr in ("none", "vacuum", "two-point-component", "vacuum,two-point-component",
            "connected", "connected,one-particle-irreducible", "connected,tadpole"):
    CASES.append(("phi4", _pr, {2: 6}))
# skeleton and tadpole relations checked for phi4 and phi3 at one order higher
CASES.append(("phi4", "connected,self-energy", {4: 6}))
# one-particle-irreducible alone implies connected
CASES.append(("phi3", "one-particle-irreducible", orders_for("phi3", "connected", NPT)))

# Tadpole-free diagrams of the original theory (no shift) are the connected
# ones when every coupling has an even number of legs (a tadpole side would
# have an odd number of leg ends); checked directly as well.
EVEN_TADPOLE = ["phi4", "phi6", "hms"]


class Reference:
    """Every zero-dimensional series a theory needs, to order M."""

    def __init__(self, theory, M, jmax):
        self.r = r = len(theory)
        self.M = M
        self.theory = theory
        cpl = [(k, w) for _, k, w in theory]
        Z = [zd.partition_function(cpl, j, M) for j in range(jmax + 1)]
        self.Z = Z
        z0inv = zd.inv(Z[0], M, r)
        self.mu = [zd.mul(Z[j], z0inv, M) for j in range(jmax + 1)]
        self.kap = zd.cumulants_from_moments(self.mu, jmax, M, r)
        self.W0 = zd.log(Z[0], M, r)
        kp = list(self.kap)
        if jmax >= 2:
            kp[2] = zd.const(1, r)
        self.mup = zd.moments_from_cumulants(kp, jmax, M, r)
        self.jmax = jmax
        self._legendre = None

    def W(self, j):
        return self.W0 if j == 0 else self.kap[j]

    def series(self, prune, n):
        M, r = self.M, self.r
        if prune == "none":
            return self.Z[n]
        if prune == "vacuum":
            return self.mu[n]
        if prune == "two-point-component":
            return zd.mul(self.Z[0], self.mup[n], M)
        if prune == "vacuum,two-point-component":
            return self.mup[n]
        if prune == "connected":
            return self.W0 if n == 0 else self.kap[n]
        if prune in ("connected,one-particle-irreducible", "one-particle-irreducible"):
            return self.one_pi(n)
        raise KeyError(prune)

    def legendre(self, nmax):
        """J_0 with W'(J_0) = 0 and Gamma_k(0) for k = 2..nmax."""
        M, r = self.M, self.r
        W = self.W
        one = zd.const(1, r)
        w2inv = zd.inv(W(2), M, r)
        J0 = {}
        for _ in range(M + 2):
            s = dict(W(1))
            p = dict(J0)                       # J0^(j-1) for j = 2
            for j in range(3, M + 3):
                p = zd.mul(p, J0, M)           # J0^(j-1)
                s = zd.add(s, zd.scale(zd.mul(W(j), p, M), Fraction(1, factorial(j - 1))))
            J0 = zd.scale(zd.mul(s, w2inv, M), -1)
        # Gt(t) = W''(J0 + t) = sum_r t^r sum_{j>=r} W_{j+2} C(j, r) J0^{j-r} / j!
        T = max(nmax - 2, 0)
        J0p = [one]
        for _ in range(M + 1):
            J0p.append(zd.mul(J0p[-1], J0, M))
        Gt = []
        for rr in range(T + 1):
            s = {}
            for j in range(rr, rr + M + 1):
                s = zd.add(s, zd.scale(zd.mul(W(j + 2), J0p[j - rr], M),
                                       Fraction(comb(j, rr), factorial(j))))
            Gt.append(s)
        # Gamma_2(t) = 1/Gt(t) as a power series in t
        a0inv = zd.inv(Gt[0], M, r)
        G2 = [a0inv]
        for rr in range(1, T + 1):
            s = {}
            for i in range(1, rr + 1):
                s = zd.add(s, zd.mul(Gt[i], G2[rr - i], M))
            G2.append(zd.scale(zd.mul(s, a0inv, M), -1))
        gam = {2: G2}
        cur = G2
        for k in range(3, nmax + 1):
            d = [zd.scale(cur[i + 1], i + 1) for i in range(len(cur) - 1)]
            nxt = []
            for rr in range(len(d)):
                s = {}
                for i in range(rr + 1):
                    s = zd.add(s, zd.mul(G2[i], d[rr - i], M))
                nxt.append(s)
            gam[k] = nxt
            cur = nxt
        WJ0 = {}
        for j in range(0, M + 1):
            WJ0 = zd.add(WJ0, zd.scale(zd.mul(W(j), J0p[j], M), Fraction(1, factorial(j))))
        self._legendre = (nmax, J0, {k: v[0] for k, v in gam.items()}, WJ0)

    def one_pi(self, n):
        if self._legendre is None or self._legendre[0] < n:
            self.legendre(max(n, 8))
        _, J0, gam, WJ0 = self._legendre
        r = self.r
        if n == 0:
            return WJ0
        if n == 1:
            return zd.scale(J0, -1)
        if n == 2:
            return zd.sub(zd.const(2, r), gam[2])
        return zd.scale(gam[n], -1)

    def shift_couplings(self, K):
        """e_d = sum_c w_c g_c C(k_c, d) v^{k_c - d}, d = 2..K, v = kappa_1."""
        M, r = self.M, self.r
        v = self.kap[1]
        vp = [zd.const(1, r)]
        for _ in range(K):
            vp.append(zd.mul(vp[-1], v, M))
        e = {}
        for d in range(2, K + 1):
            s = {}
            for c, (_, k, w) in enumerate(self.theory):
                if k >= d:
                    gc = zd.scale(zd.var(c, r), w * comb(k, d))
                    s = zd.add(s, zd.mul(gc, vp[k - d], M))
            e[d] = s
        return e


def term_exponents(term, names):
    cp = term.get("couplings", {})
    bad = set(cp) - set(names)
    if bad:
        raise ValueError(f"unknown couplings {sorted(bad)} in a term")
    return tuple(int(cp.get(c, 0)) for c in names)


def internal_edges(term):
    internal = {v["name"] for v in term["vertices"]}
    return sum(1 for a, b in term["edges"] if a in internal and b in internal)


def skeleton_sum(out, G, M, r, weight):
    """sum over terms of coef * weight(term) * G^I, I = internal edges."""
    Gp = [zd.const(1, r)]
    s = {}
    for term in out["terms"]:
        I = internal_edges(term)
        while len(Gp) <= I:
            Gp.append(zd.mul(Gp[-1], G, M))
        w = zd.scale(weight(term), Fraction(term["coefficient"]))
        s = zd.add(s, zd.mul(w, Gp[I], M))
    return s


def main():
    args = [a for a in sys.argv[1:] if a != "--quick"]
    if len(args) != 2:
        print("usage: sumrule.py NEFT_BINARY RULES_DIR [--quick]", file=sys.stderr)
        return 2
    neft = args[0]
    failures = 0
    checked = 0
    t_start = time.time()

    def fail(msg):
        nonlocal failures
        failures += 1
        print("FAIL: " + msg)

    def compare(label, want, got, names):
        """Series equality, one FAIL line per differing monomial."""
        nonlocal checked
        checked += 1
        ok = True
        for e in sorted(set(want) | set(got), key=lambda e: (sum(e), e)):
            if want.get(e, 0) != got.get(e, 0):
                fail(f"{label} monomial {zd.mono_str(e, names)}: "
                     f"expected {want.get(e, 0)}, got {got.get(e, 0)}")
                ok = False
        return ok

    refs = {}

    def ref(name, M):
        key = (name, M)
        if key not in refs:
            refs[key] = Reference(THEORIES[name], M, 8 + M + 2)
        return refs[key]

    with tempfile.TemporaryDirectory() as tmp:
        files = {nm: write_rules(tmp, nm, th) for nm, th in THEORIES.items()}
        ext_files = {}
        for nm, th in THEORIES.items():
            K = max(k for _, k, _ in th)
            ext = [(f"e{d}", d, Fraction(1)) for d in range(2, K + 1)]
            ext_files[nm] = (write_rules(tmp, nm + "_shifted", ext), ext, K)

        for name, prune, orders in CASES:
            t0 = time.time()
            theory = THEORIES[name]
            names = [c for c, _, _ in theory]
            ncases = 0
            for n, M in sorted(orders.items()):
                R = ref(name, M)
                label = f"{name} n={n} order={M} prune={prune}"
                if prune == "connected,tadpole":
                    # the shifted theory: e_d vertices of every degree 2..K
                    path, ext, K = ext_files[name]
                    try:
                        out = run_neft(neft, path, n, M, prune)
                    except Exception as e:  # noqa: BLE001
                        fail(f"{label} (shifted theory): {e}")
                        continue
                    e_ser = R.shift_couplings(K)
                    enames = [c for c, _, _ in ext]
                    got = {}
                    for term in out["terms"]:
                        a = term_exponents(term, enames)
                        s = zd.const(Fraction(term["coefficient"]), R.r)
                        for d, ad in zip(range(2, K + 1), a):
                            for _ in range(ad):
                                s = zd.mul(s, e_ser[d], M)
                        got = zd.add(got, s)
                    compare(label + " (shifted theory, e_d substituted)", R.kap[n], got, names)
                    ncases += 1
                    if name in EVEN_TADPOLE:
                        try:
                            out = run_neft(neft, files[name], n, M, prune)
                        except Exception as e:  # noqa: BLE001
                            fail(f"{label}: {e}")
                            continue
                        got = {}
                        for term in out["terms"]:
                            e = term_exponents(term, names)
                            got[e] = got.get(e, 0) + Fraction(term["coefficient"])
                        compare(label + " (even couplings: = connected)", R.kap[n],
                                zd.clean(got), names)
                        ncases += 1
                    continue
                try:
                    out = run_neft(neft, files[name], n, M, prune)
                except Exception as e:  # noqa: BLE001
                    fail(f"{label}: {e}")
                    continue
                if prune == "connected,self-energy":
                    G = R.kap[2]
                    Gn = zd.power(G, n, M, R.r)
                    if name in EVEN_TADPOLE:
                        s = skeleton_sum(out, G, M, R.r,
                                         lambda t: {term_exponents(t, names): 1})
                        compare(label + " (skeleton: kappa_n = G^n sum coef g^e G^I)",
                                R.kap[n], zd.mul(Gn, s, M), names)
                        ncases += 1
                    # With odd vertices the decomposition into skeleton and
                    # self-energy insertions is not unique when tadpoles are
                    # present (a line carrying a vertex with a tadpole is a
                    # self-energy of either neighbouring piece), so the skeleton
                    # relation is checked on tadpole-free diagrams of the theory
                    # shifted to the exact vev, for every theory.
                    path, ext, K = ext_files[name]
                    try:
                        out2 = run_neft(neft, path, n, M, "connected,tadpole,self-energy")
                    except Exception as e:  # noqa: BLE001
                        fail(f"{label} (shifted theory): {e}")
                        continue
                    e_ser = R.shift_couplings(K)
                    enames = [c for c, _, _ in ext]

                    def subst(t):
                        a = term_exponents(t, enames)
                        s = zd.const(1, R.r)
                        for d, ad in zip(range(2, K + 1), a):
                            for _ in range(ad):
                                s = zd.mul(s, e_ser[d], M)
                        return s
                    s = skeleton_sum(out2, G, M, R.r, subst)
                    compare(label + " (shifted theory, tadpole-free skeleton)",
                            R.kap[n], zd.mul(Gn, s, M), names)
                    ncases += 1
                    continue
                got = {}
                for term in out["terms"]:
                    e = term_exponents(term, names)
                    if sum(e) > M:
                        fail(f"{label}: term of order {sum(e)} > {M}")
                    got[e] = got.get(e, 0) + Fraction(term["coefficient"])
                compare(label, R.series(prune, n), zd.clean(got), names)
                ncases += 1
            ns = sorted(orders)
            print(f"{name:5s} {prune:36s} n={ns[0]}..{ns[-1]} order {max(orders.values())}: "
                  f"{ncases} cases, {time.time() - t0:.2f} s")

    print(f"{checked} (theory, n, order, prune) cases checked, {failures} failures, "
          f"{time.time() - t_start:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
