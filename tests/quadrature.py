"""Gauss-Legendre nodes and weights on [-1, 1] for the Python tests' own
double-precision quadratures (independent of neft's integrators)."""
import math


def gl_rule(n):
    """The n-point rule: nodes by Newton's method on P_n, weights 2/((1-z^2) P_n'(z)^2)."""
    xs, ws = [], []
    for i in range(n):
        z = math.cos(math.pi * (i + 0.75) / (n + 0.5))
        while True:
            p1, p2 = 1.0, 0.0
            for j in range(n):
                p3, p2 = p2, p1
                p1 = ((2 * j + 1) * z * p2 - j * p3) / (j + 1)
            pp = n * (z * p1 - p2) / (z * z - 1)
            dz = p1 / pp
            z -= dz
            if abs(dz) < 1e-15:
                break
        xs.append(z)
        ws.append(2 / ((1 - z * z) * pp * pp))
    return xs, ws
