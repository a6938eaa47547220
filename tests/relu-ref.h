/* An independent double-precision reference for the relu (sigma_b > 0)
   two-vertex integrals in d_in = 2 over [-L, L]^4 (method SECTOR4 of
   src/integrate/twovtx2_sector.c), sharing no code with src/integrate: used
   by tests/t-twovtx2-relu.c and bench/ref_twovtx2_relu.c.  Header-only;
   include it after gl-ref.h (GLN nodes per panel) and call gl_init() first.

   The textbook kernel (arccos).  The 4-D integral is the product of two
   plane rules, one per coordinate k, over (y_k, z_k) in [-L, L]^2.  The
   integrand is not smooth where y = x_i (legs at y), z = x_j (legs at z)
   or y = z (the link): in plane k these are the lines y_k = x_ik, z_k =
   x_jk, y_k = z_k.  Each plane is cut on the grid of every leg coordinate
   (of both vertices) in (-L, L) and on the diagonal: rectangles off the
   diagonal, two triangles on it (mapped from (delta, sigma) in [0, w] x [0,
   1], z = c + (w - delta) sigma, y = z + delta, or y and z swapped), with
   panels graded geometrically (ratio 4) towards both ends of every
   variable: the kernel's non-smooth part is ~ theta^3 (theta the angle,
   ~ |u - w|), a C^2 cone on those edges, which the graded rule resolves.
   The result is an estimate, not a bound: compare two grading levels. */
#ifndef NEFT_RELU_REF_H
#define NEFT_RELU_REF_H

#include <math.h>
#include <stdlib.h>

typedef struct
{
    int nlegs, vert[4];
    double pt[4][2];
    int links, loop0, loop1;
}
relu_ref_case;

/* the relu kernel K(x, y) at sigma_w^2 = sw2, sigma_b^2 = sb2 */
static double
relu_ref_k(const double * x, const double * y, double sw2, double sb2)
{
    double a = sw2 / 2;
    double kxx = sb2 + a * (x[0] * x[0] + x[1] * x[1]);
    double kyy = sb2 + a * (y[0] * y[0] + y[1] * y[1]);
    double kxy = sb2 + a * (x[0] * y[0] + x[1] * y[1]);
    double q = sqrt(kxx * kyy), c = kxy / q, th;
    c = c > 1 ? 1 : (c < -1 ? -1 : c);
    th = acos(c);
    return sb2 + sw2 / (2 * M_PI) * q * (sin(th) + (M_PI - th) * c);
}

static double
relu_ref_F(const relu_ref_case * I, const double * y, const double * z, double sw2, double sb2)
{
    double f = 1, kl;
    int i;
    for (i = 0; i < I->nlegs; i++)
        f *= relu_ref_k(I->pt[i], I->vert[i] ? z : y, sw2, sb2);
    if (I->links)
    {
        kl = relu_ref_k(y, z, sw2, sb2);
        for (i = 0; i < I->links; i++)
            f *= kl;
    }
    for (i = 0; i < I->loop0; i++)
        f *= relu_ref_k(y, y, sw2, sb2);
    for (i = 0; i < I->loop1; i++)
        f *= relu_ref_k(z, z, sw2, sb2);
    return f;
}

/* 1-D rule on [a, a + w] graded towards both ends: panels with breakpoints
   0, 4^-lev w/2, ..., 4^-1 w/2, w/2 and mirrored, GLN nodes each; returns
   the number of nodes (2 (lev + 1) GLN) */
static int
relu_ref_graded(double * x, double * wt, double a, double w, int lev)
{
    double bp[64];
    int m = 0, n = 0, i, j;
    bp[m++] = 0;
    for (j = lev; j >= 1; j--)
        bp[m++] = ldexp(w / 2, -2 * j);
    bp[m++] = w / 2;
    for (j = 1; j <= lev; j++)
        bp[m++] = w - ldexp(w / 2, -2 * j);
    bp[m++] = w;
    for (j = 0; j + 1 < m; j++)
    {
        double c = (bp[j] + bp[j + 1]) / 2, h = (bp[j + 1] - bp[j]) / 2;
        for (i = 0; i < GLN; i++)
        {
            x[n] = a + c + h * gx[i];
            wt[n] = h * gw[i];
            n++;
        }
    }
    return n;
}

/* the plane rule over [-L, L]^2 cut at cuts[0..nc-1] (increasing, in
   (-L, L)): nodes (Y, Z) and weights W, malloc'ed; returns their number */
static long
relu_ref_plane(double ** Y, double ** Z, double ** W, const double * cuts, int nc, double L,
               int lev)
{
    double bp[16], x1[512], w1[512], x2[512], w2[512];
    int nb = 0, i, j, a, b, n1, n2, tri;
    long n = 0, alloc;
    bp[nb++] = -L;
    for (i = 0; i < nc; i++)
        bp[nb++] = cuts[i];
    bp[nb++] = L;
    n1 = 2 * (lev + 1) * GLN;
    alloc = (long) (nb - 1) * (nb - 1) * n1 * n1 * 2;
    *Y = malloc(alloc * sizeof(double));
    *Z = malloc(alloc * sizeof(double));
    *W = malloc(alloc * sizeof(double));
    for (a = 0; a + 1 < nb; a++)
        for (b = 0; b + 1 < nb; b++)
        {
            double wa = bp[a + 1] - bp[a], wb = bp[b + 1] - bp[b];
            if (a != b)
            {
                n1 = relu_ref_graded(x1, w1, bp[a], wa, lev);
                n2 = relu_ref_graded(x2, w2, bp[b], wb, lev);
                for (i = 0; i < n1; i++)
                    for (j = 0; j < n2; j++)
                    {
                        (*Y)[n] = x1[i];
                        (*Z)[n] = x2[j];
                        (*W)[n] = w1[i] * w2[j];
                        n++;
                    }
                continue;
            }
            n1 = relu_ref_graded(x1, w1, 0, wa, lev);
            n2 = relu_ref_graded(x2, w2, 0, 1, lev);
            for (tri = 0; tri < 2; tri++)
                for (i = 0; i < n1; i++)
                    for (j = 0; j < n2; j++)
                    {
                        double d = x1[i], s = bp[a] + (wa - d) * x2[j];
                        (*Y)[n] = tri ? s : s + d;
                        (*Z)[n] = tri ? s + d : s;
                        (*W)[n] = w1[i] * w2[j] * (wa - d);
                        n++;
                    }
        }
    return n;
}

/* the cuts of coordinate k: every leg's coordinate in (-L, L), sorted,
   equal ones merged */
static int
relu_ref_cuts(double * cuts, const relu_ref_case * I, int k, double L)
{
    int n = 0, i, j;
    for (i = 0; i < I->nlegs; i++)
    {
        double c = I->pt[i][k];
        if (c > -L && c < L)
        {
            for (j = 0; j < n && cuts[j] != c; j++)
                ;
            if (j == n)
                cuts[n++] = c;
        }
    }
    for (i = 1; i < n; i++)
        for (j = i; j > 0 && cuts[j - 1] > cuts[j]; j--)
        {
            double t = cuts[j];
            cuts[j] = cuts[j - 1];
            cuts[j - 1] = t;
        }
    return n;
}

/* the integral of case I over [-L, L]^4 at grading level lev (an
   estimate: compare lev and lev + 1) */
static double
relu_ref_value(const relu_ref_case * I, double L, double sw2, double sb2, int lev)
{
    double * Y[2], * Z[2], * W[2], cuts[8], sum = 0;
    long n[2], i, j;
    int k;
    for (k = 0; k < 2; k++)
    {
        int nc = relu_ref_cuts(cuts, I, k, L);
        n[k] = relu_ref_plane(Y + k, Z + k, W + k, cuts, nc, L, lev);
    }
    for (i = 0; i < n[0]; i++)
    {
        double part = 0;
        for (j = 0; j < n[1]; j++)
        {
            double y[2] = {Y[0][i], Y[1][j]}, z[2] = {Z[0][i], Z[1][j]};
            part += W[1][j] * relu_ref_F(I, y, z, sw2, sb2);
        }
        sum += W[0][i] * part;
    }
    for (k = 0; k < 2; k++)
    {
        free(Y[k]);
        free(Z[k]);
        free(W[k]);
    }
    return sum;
}

#endif
