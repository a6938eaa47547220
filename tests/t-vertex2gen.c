/* The integrated two-input vertex and G1 (neft_onen_vertex2_g1,
   src/onen/vertex2_gen.c) for ReLU, against the closed forms: the vertex of
   neft_onen_vertex2 (exact sector integrals) must overlap it ball by ball,
   and G1 against the recursion G1'_P = C_W (1/2) sum_RS H_P,RS V_RS with H the
   second K-derivatives of the Cho-Saul arc-cosine kernel taken here by finite
   differences in double precision (G1^(2) = 0; the diagonal of G1 is 0 for
   ReLU, c_1'' = 0).  Fails before: neft_onen_vertex2_g1 did not exist. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "neft/onen.h"
#include "neft/act.h"

#define PI_D 3.14159265358979323846

static int failures = 0;

static double
relu_pair(const double * k)   /* k = (k00, k01, k11): <relu relu>, or k/2 on the diagonal */
{
    double s = sqrt(k[0] * k[2]), c = k[1] / s, t;
    if (c > 1) c = 1;
    if (c < -1) c = -1;
    t = acos(c);
    return s / (2 * PI_D) * (sin(t) + (PI_D - t) * c);
}

static double
h2(const double * k0, int R, int S)   /* d^2 <relu relu>_01 / dK_R dK_S, Richardson */
{
    double res[2];
    int i;
    for (i = 0; i < 2; i++)
    {
        double h = i == 0 ? 1e-3 : 5e-4, k[3], f[4];
        int a, b;
        for (a = 0; a < 2; a++)
            for (b = 0; b < 2; b++)
            {
                k[0] = k0[0]; k[1] = k0[1]; k[2] = k0[2];
                k[R] += a ? -h : h;
                k[S] += b ? -h : h;
                f[2 * a + b] = relu_pair(k);
            }
        res[i] = (f[0] - f[1] - f[2] + f[3]) / (4 * h * h);
    }
    return (4 * res[1] - res[0]) / 3;
}

static void
check(int ok, const char * what)
{
    if (!ok)
    {
        printf("FAIL: %s\n", what);
        failures++;
    }
}

int
main(void)
{
    neft_onen_params_t par;
    slong depth = 3, i, P, R, S;
    arb_ptr x = _arb_vec_init(2), K = _arb_vec_init(4 * depth), V = _arb_vec_init(9 * depth),
        G = _arb_vec_init(4 * depth), Kc = _arb_vec_init(4 * depth),
        Vc = _arb_vec_init(9 * depth);
    static const int pa[3] = { 0, 0, 1 }, pb[3] = { 0, 1, 1 };
    double k[3], g1[3];
    char msg[200];

    neft_onen_params_init(par);
    par->prec = 64;
    {
        char err[200];
        fmpq_t q;
        fmpq_init(q);
        check(neft_net_set_act_name(par->net, "relu", NULL, err, sizeof err) == NEFT_SUCCESS,
              "relu");
        neft_net_set_depth_recursion(par->net, depth);
        fmpq_set_si(q, 2, 1);
        neft_net_set_cw(par->net, q);
        fmpq_set_si(q, 1, 2);
        neft_net_set_cb(par->net, q);
        fmpq_clear(q);
    }
    arb_set_d(x + 0, 0.6);
    arb_set_d(x + 1, -1.0);
    check(neft_onen_vertex2_g1(K, V, G, par, x, 1) == 0, "relu: integrated vertex");
    check(neft_onen_vertex2(Kc, Vc, par, x, 1) == 0, "relu: closed vertex");
    for (i = 0; i < 9 * depth; i++)
    {
        snprintf(msg, sizeof msg, "relu vertex entry %ld overlaps the closed form", (long) i);
        check(arb_overlaps(V + i, Vc + i) && arb_rel_accuracy_bits(V + 9 * (depth - 1)) > 20,
              msg);
    }
    for (i = 0; i < 4 * depth; i++)
        check(arb_overlaps(K + i, Kc + i), "relu kernel overlaps the closed form");
    /* G1 at layer 3 from layer 2's K and V */
    k[0] = arf_get_d(arb_midref(Kc + 4), ARF_RND_NEAR);
    k[1] = arf_get_d(arb_midref(Kc + 5), ARF_RND_NEAR);
    k[2] = arf_get_d(arb_midref(Kc + 7), ARF_RND_NEAR);
    for (P = 0; P < 3; P++)
    {
        g1[P] = 0;
        if (pa[P] == pb[P])
            continue;   /* relu: c_1'' = 0 */
        for (R = 0; R < 3; R++)
            for (S = 0; S < 3; S++)
                g1[P] += 0.5 * h2(k, R, S)
                         * arf_get_d(arb_midref(Vc + 9 + 3 * R + S), ARF_RND_NEAR);
        g1[P] *= 2;   /* C_W */
    }
    for (P = 0; P < 3; P++)
    {
        arb_srcptr g = G + 8 + 2 * pa[P] + pb[P];
        double mid = arf_get_d(arb_midref(g), ARF_RND_NEAR);
        printf("relu G1^(3)_%d%d: integrated %.12g +/- %.2g, finite differences %.12g\n",
               pa[P], pb[P], mid, mag_get_d(arb_radref(g)), g1[P]);
        snprintf(msg, sizeof msg, "relu G1_%d%d", pa[P], pb[P]);
        check(fabs(mid - g1[P]) <= mag_get_d(arb_radref(g)) + 1e-6 * fabs(g1[P]) + 1e-12, msg);
        check(P == 1 ? fabs(g1[P]) > 1e-3 : arb_contains_zero(g), "relu G1 has teeth / is 0");
    }
    _arb_vec_clear(x, 2); _arb_vec_clear(K, 4 * depth); _arb_vec_clear(V, 9 * depth);
    _arb_vec_clear(G, 4 * depth); _arb_vec_clear(Kc, 4 * depth); _arb_vec_clear(Vc, 9 * depth);
    neft_onen_params_clear(par);
    flint_cleanup();
    if (failures)
        return 1;
    printf("t-vertex2gen: ok\n");
    return 0;
}
