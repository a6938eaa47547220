/* An independent (non-rigorous) reference for the Erf two-vertex integrals
   in d_in = 2 at HMS's sigma_w = sigma_b = 1 and cutoffs where the plan has
   no method yet (issue 17: L = 7, 10): nested adaptive Gauss-Kronrod (G7,
   K15, QUADPACK's nodes, checked on monomials at start) in double
   precision, in true polar coordinates for both vertices, no code shared
   with src/integrate:

     I = \int da \int_0^{L rho(a)} r dr A(y) \int dd \int_0^{L rho(a + d)} r' dr'
           K(y, z)^links B(z),   y = r(cos a, sin a), z = r'(cos(a + d), sin(a + d)),

   rho(a) = 1/max(|cos a|, |sin a|) (the square), A and B the legs and
   self-loops of each vertex.  a is cut at the square's corners, the
   relative angle d in (-pi, pi) at the ridges d = 0, +-pi (y || +-z: there
   the link varies on the angular scale 1/(sigma_w r)) and where a + d is a
   corner; the adaptive rule grades towards the ridge by itself.  Every
   factor is positive at these settings (K in (b - sigma_w^2, b +
   sigma_w^2) = (0, 2)), so per-level relative tolerances do not cancel.
   The result is an estimate, not a bound: run at two tolerances (the
   difference is printed).

     build/bench/ref-twovtx2-erf L TOL SHAPE [SW2]     (SW2: sigma_w^2, default 1; SHAPE 0: the lambda^2
       bubble, legs (-1,-1), (-1,1) at y and (1,-1), (1,1) at z, two links;
       1: the lambda kappa exchange, legs (-1,-1), (-1,1), (1,-1) at y and
       (1,1) at z, one link, a self-loop at each vertex) */

#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <time.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static const double xgk[8] = {
    0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
    0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
    0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
    0.207784955007898467600689403773245, 0.0};
static const double wgk[8] = {
    0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
    0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
    0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
    0.204432940075298892414161999234649, 0.209482141084727828012999174891714};
static const double wg[4] = {
    0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
    0.381830050505118944950369775488975, 0.417959183673469387755102040816327};

typedef double (* fun_t)(double, void *);

static void
gk15(double * K, double * G, fun_t f, void * c, double a, double b)
{
    double m = 0.5 * (a + b), h = 0.5 * (b - a), fc = f(m, c), k = wgk[7] * fc, g = wg[3] * fc;
    int j;
    for (j = 0; j < 7; j++)
    {
        double s = f(m - h * xgk[j], c) + f(m + h * xgk[j], c);
        k += wgk[j] * s;
        if (j & 1)
            g += wg[j / 2] * s;
    }
    *K = k * h;
    *G = g * h;
}

static double
adapt_rec(fun_t f, void * c, double a, double b, double K, double G, double tol, int depth)
{
    double m, K1, G1, K2, G2;
    if (fabs(K - G) <= tol || depth > 40)
        return K;
    m = 0.5 * (a + b);
    gk15(&K1, &G1, f, c, a, m);
    gk15(&K2, &G2, f, c, m, b);
    return adapt_rec(f, c, a, m, K1, G1, 0.5 * tol, depth + 1)
         + adapt_rec(f, c, m, b, K2, G2, 0.5 * tol, depth + 1);
}

/* \int_a^b f, |K15 - G7| below rel x (the K15 value on [a, b]) per piece */
static double
adapt(fun_t f, void * c, double a, double b, double rel)
{
    double K, G;
    if (!(b > a))
        return 0;
    gk15(&K, &G, f, c, a, b);
    return adapt_rec(f, c, a, b, K, G, rel * fabs(K), 0);
}

typedef struct
{
    double a, b, c, L, tol;
    int nly, nlz, links, l0, l1;
    double xy[4][2], xz[4][2];
    /* the current outer point */
    double y[2], al, yy;
    double z0, z1;              /* direction of z */
    double Bd;                  /* unused */
}
ctx_t;

/* K(u, w) in the sum-of-squares form: b + c atan(2k / sqrt(N)) */
static double
K(const ctx_t * C, const double * u, const double * w)
{
    double k = C->b + C->a * (u[0] * w[0] + u[1] * w[1]);
    double d0 = u[0] - w[0], d1 = u[1] - w[1], cr = u[0] * w[1] - u[1] * w[0];
    double N = 1 + 4 * C->b + 2 * C->a * (u[0] * u[0] + u[1] * u[1] + w[0] * w[0] + w[1] * w[1])
             + 4 * C->a * C->b * (d0 * d0 + d1 * d1) + 4 * C->a * C->a * cr * cr;
    return C->b + C->c * atan(2 * k / sqrt(N));
}

static double
rho(double a)
{
    return 1 / fmax(fabs(cos(a)), fabs(sin(a)));
}

static double
ipow(double x, int e)
{
    double r = 1;
    for (; e > 0; e--)
        r *= x;
    return r;
}

/* level 4: r' */
static double
f4(double rp, void * v)
{
    ctx_t * C = v;
    double z[2] = {rp * C->z0, rp * C->z1}, f = rp;
    int i;
    for (i = 0; i < C->nlz; i++)
        f *= K(C, C->xz[i], z);
    if (C->l1)
        f *= ipow(K(C, z, z), C->l1);
    return f * ipow(K(C, C->y, z), C->links);
}

/* level 3: the relative angle d */
static double
f3(double d, void * v)
{
    ctx_t * C = v;
    double be = C->al + d;
    C->z0 = cos(be);
    C->z1 = sin(be);
    return adapt(f4, C, 0, C->L * rho(be), C->tol);
}

static int
cmpd(const void * p, const void * q)
{
    double a = *(const double *) p, b = *(const double *) q;
    return (a > b) - (a < b);
}

/* level 2: r (the z integral at y, times r A(y)) */
static double
f2(double r, void * v)
{
    ctx_t * C = v;
    double f = r, br[8], s = 0;
    int i, nb = 0;
    C->y[0] = r * cos(C->al);
    C->y[1] = r * sin(C->al);
    for (i = 0; i < C->nly; i++)
        f *= K(C, C->xy[i], C->y);
    if (C->l0)
        f *= ipow(K(C, C->y, C->y), C->l0);
    br[nb++] = -M_PI;
    br[nb++] = 0;
    br[nb++] = M_PI;
    for (i = 0; i < 4; i++)
    {
        double d = M_PI / 4 + i * M_PI / 2 - C->al;
        d = remainder(d, 2 * M_PI);
        if (fabs(d) < M_PI && fabs(d) > 1e-15)
            br[nb++] = d;
    }
    qsort(br, nb, sizeof(double), cmpd);
    for (i = 0; i + 1 < nb; i++)
        s += adapt(f3, C, br[i], br[i + 1], C->tol);
    return f * s;
}

static double
f1(double al, void * v)
{
    ctx_t * C = v;
    C->al = al;
    return adapt(f2, C, 0, C->L * rho(al), C->tol);
}

int
main(int argc, char ** argv)
{
    ctx_t C = {0};
    double I = 0, c0;
    int i, shape;
    struct timespec ts;
    if (argc < 4)
    {
        fprintf(stderr, "usage: ref-twovtx2-erf L TOL SHAPE [SW2]\n");
        return 2;
    }
    /* the rule's self-check: K15 exact to degree 22, G7 to 13 */
    for (i = 0; i <= 22; i += 2)
    {
        double k = wgk[7] * (i == 0), g = wg[3] * (i == 0);
        int j;
        for (j = 0; j < 7; j++)
        {
            k += 2 * wgk[j] * pow(xgk[j], i);
            if (j & 1)
                g += 2 * wg[j / 2] * pow(xgk[j], i);
        }
        if (fabs(k - 2.0 / (i + 1)) > 1e-15 || (i <= 12 && fabs(g - 2.0 / (i + 1)) > 1e-15))
        {
            fprintf(stderr, "bad Gauss-Kronrod constants at degree %d\n", i);
            return 1;
        }
    }
    C.L = atof(argv[1]);
    C.tol = atof(argv[2]);
    shape = atoi(argv[3]);
    {
        double sw2 = argc > 4 ? atof(argv[4]) : 1;
        C.a = sw2 / 2;          /* sigma_w^2 / d_in */
        C.b = 1;                /* sigma_b^2 */
        C.c = 2 * sw2 / M_PI;   /* 2 sigma_w^2 / pi */
    }
    {
        static const double P[4][2] = {{-1, -1}, {-1, 1}, {1, -1}, {1, 1}};
        if (shape == 0)
        {
            C.nly = 2; C.nlz = 2; C.links = 2;
            for (i = 0; i < 2; i++)
            {
                C.xy[i][0] = P[i][0]; C.xy[i][1] = P[i][1];
                C.xz[i][0] = P[i + 2][0]; C.xz[i][1] = P[i + 2][1];
            }
        }
        else
        {
            C.nly = 3; C.nlz = 1; C.links = 1; C.l0 = C.l1 = 1;
            for (i = 0; i < 3; i++)
            {
                C.xy[i][0] = P[i][0]; C.xy[i][1] = P[i][1];
            }
            C.xz[0][0] = P[3][0]; C.xz[0][1] = P[3][1];
        }
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    c0 = ts.tv_sec + 1e-9 * ts.tv_nsec;
    for (i = 0; i < 4; i++)
        I += adapt(f1, &C, -M_PI / 4 + i * M_PI / 2, M_PI / 4 + i * M_PI / 2, C.tol);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    printf("L %g tol %g shape %d: %.17g  (%.1f s CPU)\n", C.L, C.tol, shape, I,
           ts.tv_sec + 1e-9 * ts.tv_nsec - c0);
    return 0;
}
