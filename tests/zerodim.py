"""Exact multivariate power series for the zero-dimensional checks.

A series in the couplings g_1..g_r is a dict {exponent tuple: Fraction},
truncated at total degree M (every coupling counts 1 toward the order, as
the generator's `-o M` counts internal vertices).  Zero coefficients are
dropped so that two equal series compare equal as dicts.  Nothing here
knows about diagrams: these are the references the generator is checked
against.
"""
from fractions import Fraction
from itertools import product
from math import comb, factorial


def dfact(k):
    """k!! for odd k >= -1 ((-1)!! = 1): the Gaussian moment E[x^(k+1)]."""
    r = 1
    while k > 1:
        r *= k
        k -= 2
    return r


def gauss_moment(j):
    """E[x^j] for a standard normal x."""
    return 0 if j % 2 else dfact(j - 1)


def clean(a):
    return {e: c for e, c in a.items() if c != 0}


def const(c, r):
    return clean({(0,) * r: Fraction(c)})


def var(i, r):
    e = [0] * r
    e[i] = 1
    return {tuple(e): Fraction(1)}


def trunc(a, M):
    return {e: c for e, c in a.items() if sum(e) <= M and c != 0}


def add(a, b):
    s = dict(a)
    for e, c in b.items():
        s[e] = s.get(e, 0) + c
    return clean(s)


def sub(a, b):
    return add(a, scale(b, -1))


def scale(a, k):
    k = Fraction(k)
    return clean({e: c * k for e, c in a.items()})


def mul(a, b, M):
    s = {}
    for ea, ca in a.items():
        da = sum(ea)
        if da > M:
            continue
        for eb, cb in b.items():
            if da + sum(eb) > M:
                continue
            e = tuple(x + y for x, y in zip(ea, eb))
            s[e] = s.get(e, 0) + ca * cb
    return clean(s)


def power(a, k, M, r):
    p = const(1, r)
    for _ in range(k):
        p = mul(p, a, M)
    return p


def constant_term(a, r):
    return a.get((0,) * r, Fraction(0))


def inv(a, M, r):
    """1/a for a with a nonzero constant term: a = c (1 + x), 1/a = sum (-x)^k / c."""
    c = constant_term(a, r)
    if c == 0:
        raise ZeroDivisionError("series without constant term")
    x = scale(sub(a, const(c, r)), Fraction(1) / c)
    s = const(1, r)
    p = const(1, r)
    for _ in range(M):
        p = scale(mul(p, x, M), -1)
        s = add(s, p)
    return scale(s, Fraction(1) / c)


def div(a, b, M, r):
    return mul(a, inv(b, M, r), M)


def log(a, M, r):
    """log a for a with constant term 1."""
    if constant_term(a, r) != 1:
        raise ValueError("log of a series with constant term != 1")
    x = sub(a, const(1, r))
    s = {}
    p = const(1, r)
    for k in range(1, M + 1):
        p = mul(p, x, M)
        s = add(s, scale(p, Fraction((-1) ** (k + 1), k)))
    return s


def monomials(r, M):
    """All exponent tuples of r variables with total degree <= M."""
    return [e for e in product(range(M + 1), repeat=r) if sum(e) <= M]


def partition_function(couplings, n, M):
    """Z_n / Z_GP = <phi^n e^{-S_int}>_GP for S_int = sum_c w_c g_c phi^{k_c}:
    sum over m of prod_c (-w_c g_c)^{m_c}/m_c! * E[phi^{n + sum m_c k_c}].
    couplings: list of (legs, weight)."""
    r = len(couplings)
    s = {}
    for m in monomials(r, M):
        total = n + sum(mc * k for mc, (k, _) in zip(m, couplings))
        if total % 2:
            continue
        c = Fraction(dfact(total - 1))
        for mc, (_, w) in zip(m, couplings):
            c *= Fraction(-w) ** mc / factorial(mc)
        s[m] = c
    return clean(s)


def moments_from_cumulants(kap, jmax, M, r):
    """mu_0..mu_jmax from kappa_1..kappa_jmax (kap[0] ignored):
    mu_n = sum_{j=1}^n C(n-1, j-1) kappa_j mu_{n-j}."""
    mu = [const(1, r)]
    for n in range(1, jmax + 1):
        s = {}
        for j in range(1, n + 1):
            s = add(s, scale(mul(kap[j], mu[n - j], M), comb(n - 1, j - 1)))
        mu.append(s)
    return mu


def cumulants_from_moments(mu, jmax, M, r):
    """kappa_1..kappa_jmax (index 0 left as {}):
    kappa_n = mu_n - sum_{j=1}^{n-1} C(n-1, j-1) kappa_j mu_{n-j}."""
    kap = [{}]
    for n in range(1, jmax + 1):
        s = dict(mu[n])
        for j in range(1, n):
            s = sub(s, scale(mul(kap[j], mu[n - j], M), comb(n - 1, j - 1)))
        kap.append(s)
    return kap


def fmt(a, names):
    """Human-readable series, lowest order first."""
    if not a:
        return "0"
    parts = []
    for e in sorted(a, key=lambda e: (sum(e), e)):
        mono = "*".join(f"{nm}^{x}" if x > 1 else nm for nm, x in zip(names, e) if x)
        parts.append(f"({a[e]})" + ("*" + mono if mono else ""))
    return " + ".join(parts)


def mono_str(e, names):
    s = "*".join(f"{nm}^{x}" if x > 1 else nm for nm, x in zip(names, e) if x)
    return s or "1"
