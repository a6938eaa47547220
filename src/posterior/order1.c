/* The O(1/n) correction to the NNGP posterior mean from the four-point
   vertex and the kernel shift (Roberts-Yaida-Hanin ch. 6; docs/cmd-posterior.md,
   "Finite width").

   One output, prior of the outputs z at the P = A + B inputs: covariance
   K + G1/n and fourth cumulant kappa_abcd / n, kappa_abcd = V_(ab)(cd) +
   V_(ac)(bd) + V_(ad)(bc) (n = n_{L-1}).  With w = (y_A, z_B), y = z_A + noise,
   the density to O(1/n) is the Edgeworth series phi_M (1 + (1/24n) kappa_ijkl
   h_ijkl), M = K + s2 I on A.  Integrating z_B out by parts,

     E[z_b | y] = m_b + (1/n) { [G1_bA - K_bA M^-1 G1_AA] M^-1 y
                  + (1/6) sum_{cde in A} [kappa_bcde - sum_{a in A} P_ba kappa_acde] h3_cde }

   with m = K_BA M^-1 y, P = K_BA M^-1, t = M^-1 y and the third Hermite
   polynomial h3_cde = t_c t_d t_e - (Minv_cd t_e + Minv_ce t_d + Minv_de t_c).
   At a test input equal to a noise-free training input the bracket is 0: the
   posterior mean stays the target. */

#include <string.h>
#include "neft/posterior.h"
#include "neft/gaussexp.h"
#include "neft/interrupt.h"

#define IDX4(P, a, b, c, d) ((((a) * (P) + (b)) * (P) + (c)) * (P) + (d))

/* kap4 from the vertex matrix of pairs of P = 2 inputs, V[3 p + q], pair
   (ab) -> a + b */
static void
kappa_from_v2(arb_ptr kap4, arb_srcptr V, slong prec)
{
    slong a, b, c, d;
    for (a = 0; a < 2; a++)
        for (b = 0; b < 2; b++)
            for (c = 0; c < 2; c++)
                for (d = 0; d < 2; d++)
                {
                    arb_ptr k = kap4 + IDX4(2, a, b, c, d);
                    arb_add(k, V + 3 * (a + b) + c + d, V + 3 * (a + c) + b + d, prec);
                    arb_add(k, k, V + 3 * (a + d) + b + c, prec);
                }
}

/* Depth 2, d_in = 1: z_a = sqrt(C_b) xi_1 + sqrt(C_W) x_a xi_2 (rank 2), so
   every <sigma sigma sigma sigma> is a 2-D integral; V^(2)_(ab)(cd) =
   C_W^2 (<s_a s_b s_c s_d> - <s_a s_b><s_c s_d>). */
static int
kappa_depth2(arb_ptr kap4, const neft_net_t net, slong prec, const fmpq * x, slong P)
{
    slong a, b, c, d, i;
    arb_ptr u = _arb_vec_init(2 * P), v = _arb_vec_init(8), f2 = _arb_vec_init(P * P),
        V = _arb_vec_init(P * P * P * P);
    arb_t cw, sb, par1;
    char err[256];
    int st = 0;

    arb_init(cw); arb_init(sb); arb_init(par1);
    neft_net_cw_arb(cw, net, prec);
    neft_net_cb_arb(sb, net, prec);
    arb_sqrtpos(sb, sb, prec);
    if (net->act->nparams)
        neft_net_param_arb(par1, net, prec);
    for (a = 0; a < P; a++)
    {
        arb_set(u + 2 * a, sb);
        arb_set_fmpq(u + 2 * a + 1, x + a, prec);
        arb_sqrt(v, cw, prec);
        arb_mul(u + 2 * a + 1, u + 2 * a + 1, v, prec);
    }
    for (a = 0; a < P && !st; a++)
        for (b = a; b < P && !st; b++)
        {
            arb_set(v + 0, u + 2 * a); arb_set(v + 1, u + 2 * a + 1);
            arb_set(v + 2, u + 2 * b); arb_set(v + 3, u + 2 * b + 1);
            i = neft_gaussexp_product(f2 + a * P + b, net->act,
                                      net->act->nparams ? par1 : NULL, 0, v, 2, 2, 0,
                                      prec, err, sizeof err);
            st = (i != NEFT_SUCCESS && i != NEFT_NO_CONVERGENCE) || neft_interrupted();
            arb_set(f2 + b * P + a, f2 + a * P + b);
        }
    /* V over sorted index tuples, then symmetrised */
    for (a = 0; a < P && !st; a++)
        for (b = a; b < P && !st; b++)
            for (c = b; c < P && !st; c++)
                for (d = c; d < P && !st; d++)
                {
                    slong idx[4] = { a, b, c, d }, j;
                    arb_t f4;
                    for (j = 0; j < 4; j++)
                    {
                        arb_set(v + 2 * j, u + 2 * idx[j]);
                        arb_set(v + 2 * j + 1, u + 2 * idx[j] + 1);
                    }
                    arb_init(f4);
                    i = neft_gaussexp_product(f4, net->act,
                                              net->act->nparams ? par1 : NULL, 0, v, 4,
                                              2, 0, prec, err, sizeof err);
                    st = (i != NEFT_SUCCESS && i != NEFT_NO_CONVERGENCE) || neft_interrupted();
                    /* the 24 orderings share f4; V_(pq)(rs) = C_W^2 (f4 - f2_pq f2_rs) */
                    {
                        slong perm[24][4], np = 0, p0, p1, p2, p3;
                        for (p0 = 0; p0 < 4; p0++)
                            for (p1 = 0; p1 < 4; p1++)
                                for (p2 = 0; p2 < 4; p2++)
                                    for (p3 = 0; p3 < 4; p3++)
                                        if (p0 != p1 && p0 != p2 && p0 != p3 && p1 != p2
                                            && p1 != p3 && p2 != p3)
                                        {
                                            perm[np][0] = idx[p0]; perm[np][1] = idx[p1];
                                            perm[np][2] = idx[p2]; perm[np][3] = idx[p3];
                                            np++;
                                        }
                        for (j = 0; j < np; j++)
                        {
                            const slong * q = perm[j];
                            arb_ptr t = V + IDX4(P, q[0], q[1], q[2], q[3]);
                            arb_mul(t, f2 + q[0] * P + q[1], f2 + q[2] * P + q[3], prec);
                            arb_sub(t, f4, t, prec);
                            arb_mul(t, t, cw, prec);
                            arb_mul(t, t, cw, prec);
                        }
                    }
                    arb_clear(f4);
                }
    for (a = 0; a < P && !st; a++)
        for (b = 0; b < P; b++)
            for (c = 0; c < P; c++)
                for (d = 0; d < P; d++)
                {
                    arb_ptr k = kap4 + IDX4(P, a, b, c, d);
                    arb_add(k, V + IDX4(P, a, b, c, d), V + IDX4(P, a, c, b, d), prec);
                    arb_add(k, k, V + IDX4(P, a, d, b, c), prec);
                }
    _arb_vec_clear(u, 2 * P); _arb_vec_clear(v, 8); _arb_vec_clear(f2, P * P);
    _arb_vec_clear(V, P * P * P * P);
    arb_clear(cw); arb_clear(sb); arb_clear(par1);
    return st ? -1 : 0;
}

int
neft_posterior_vertex(arb_ptr kap4, arb_mat_t G1, const neft_onen_params_t par,
                      const fmpq * x, slong P, slong d_in, const char ** why)
{
    const neft_net_struct * net = par->net;
    slong depth = net->depth, prec = par->prec, a, b;
    char err[256];
    int r;

    _arb_vec_zero(kap4, P * P * P * P);
    arb_mat_zero(G1);
    *why = NULL;
    if (depth == 1)
        return 0;   /* Gaussian at every width */
    if (P == 2)
    {
        arb_ptr xb = _arb_vec_init(2 * d_in), K = _arb_vec_init(4 * depth),
            V = _arb_vec_init(9 * depth), G = _arb_vec_init(4 * depth);
        for (a = 0; a < 2 * d_in; a++)
            arb_set_fmpq(xb + a, x + a, prec);
        if (neft_gaussexp_supported(net->act, 0, err, sizeof err))
            r = neft_onen_vertex2_g1(K, V, G, par, xb, d_in);
        else if (depth == 2)
            r = neft_onen_vertex2(K, V, par, xb, d_in);   /* G1^(2) = 0 */
        else
            r = NEFT_UNSUPPORTED;
        if (r == 0)
        {
            kappa_from_v2(kap4, V + 9 * (depth - 1), prec);
            for (a = 0; a < 2; a++)
                for (b = 0; b < 2; b++)
                    arb_set(arb_mat_entry(G1, a, b), G + 4 * (depth - 1) + 2 * a + b);
        }
        else if (r == NEFT_UNSUPPORTED)
            *why = "the vertex of two inputs is not available for this activation at this depth";
        _arb_vec_clear(xb, 2 * d_in); _arb_vec_clear(K, 4 * depth);
        _arb_vec_clear(V, 9 * depth); _arb_vec_clear(G, 4 * depth);
        return r;
    }
    if (depth == 2 && d_in == 1 && neft_gaussexp_supported(net->act, 0, err, sizeof err))
        return kappa_depth2(kap4, par->net, par->prec, x, P);
    /* any number of inputs at any depth: the multi-input vertex of onen (GaussNet,
       which the integrator cannot bound, in closed form there: src/onen/gaussnet.c) */
    {
        static char msg[512];
        slong P2 = P * P, P4 = P2 * P2, c, d, l = depth - 1;
        arb_ptr xb = _arb_vec_init(P * d_in), K = _arb_vec_init(depth * P2),
            V = _arb_vec_init(depth * P4), G = _arb_vec_init(depth * P2);
        for (a = 0; a < P * d_in; a++)
            arb_set_fmpq(xb + a, x + a, prec);
        r = neft_onen_vertex_g1(K, V, G, par, xb, P, d_in, err, sizeof err);
        if (r == NEFT_SUCCESS)
        {
            arb_srcptr Vl = V + l * P4;
            for (a = 0; a < P; a++)
                for (b = 0; b < P; b++)
                {
                    arb_set(arb_mat_entry(G1, a, b), G + l * P2 + a * P + b);
                    for (c = 0; c < P; c++)
                        for (d = 0; d < P; d++)
                        {
                            arb_ptr k = kap4 + IDX4(P, a, b, c, d);
                            arb_add(k, Vl + IDX4(P, a, b, c, d), Vl + IDX4(P, a, c, b, d),
                                    prec);
                            arb_add(k, k, Vl + IDX4(P, a, d, b, c), prec);
                        }
                }
        }
        else
        {
            snprintf(msg, sizeof msg, "the four-point vertex of %ld inputs: %s", (long) P, err);
            *why = msg;
        }
        _arb_vec_clear(xb, P * d_in); _arb_vec_clear(K, depth * P2);
        _arb_vec_clear(V, depth * P4); _arb_vec_clear(G, depth * P2);
        return r;
    }
}

int
neft_posterior_gp_order1(arb_ptr mean1, const arb_mat_t K, const arb_mat_t G1,
                         arb_srcptr kap4, slong ntrain, arb_srcptr y, const arb_t noise,
                         slong prec)
{
    slong nA = ntrain, P = arb_mat_nrows(K), nB = P - ntrain, i, j, a, c, d, e;
    arb_mat_t M, Minv, Pm, g;
    arb_ptr t = _arb_vec_init(nA), u = _arb_vec_init(nA), h3 = _arb_vec_init(nA * nA * nA);
    arb_t s, w;
    int ok;

    arb_mat_init(M, nA, nA); arb_mat_init(Minv, nA, nA);
    arb_mat_init(Pm, nB, nA); arb_mat_init(g, nB, nA);
    arb_init(s); arb_init(w);
    for (i = 0; i < nA; i++)
    {
        for (j = 0; j < nA; j++)
            arb_set(arb_mat_entry(M, i, j), arb_mat_entry(K, i, j));
        arb_add(arb_mat_entry(M, i, i), arb_mat_entry(M, i, i), noise, prec);
    }
    ok = arb_mat_spd_inv(Minv, M, prec) || arb_mat_inv(Minv, M, prec);
    if (!ok)
        goto out;
    /* t = M^-1 y; P = K_BA M^-1 */
    for (i = 0; i < nA; i++)
    {
        arb_zero(t + i);
        for (j = 0; j < nA; j++)
            arb_addmul(t + i, arb_mat_entry(Minv, i, j), y + j, prec);
    }
    for (i = 0; i < nB; i++)
        for (j = 0; j < nA; j++)
        {
            arb_ptr p = arb_mat_entry(Pm, i, j);
            arb_zero(p);
            for (a = 0; a < nA; a++)
                arb_addmul(p, arb_mat_entry(K, nA + i, a), arb_mat_entry(Minv, a, j), prec);
        }
    /* h3_cde */
    for (c = 0; c < nA; c++)
        for (d = 0; d < nA; d++)
            for (e = 0; e < nA; e++)
            {
                arb_ptr h = h3 + (c * nA + d) * nA + e;
                arb_mul(h, t + c, t + d, prec);
                arb_mul(h, h, t + e, prec);
                arb_submul(h, arb_mat_entry(Minv, c, d), t + e, prec);
                arb_submul(h, arb_mat_entry(Minv, c, e), t + d, prec);
                arb_submul(h, arb_mat_entry(Minv, d, e), t + c, prec);
            }
    for (i = 0; i < nB; i++)
    {
        slong b = nA + i;
        /* [G1_bA - P_bA G1_AA] t */
        arb_zero(mean1 + i);
        for (j = 0; j < nA; j++)
        {
            arb_set(s, arb_mat_entry(G1, b, j));
            for (a = 0; a < nA; a++)
                arb_submul(s, arb_mat_entry(Pm, i, a), arb_mat_entry(G1, a, j), prec);
            arb_addmul(mean1 + i, s, t + j, prec);
        }
        /* (1/6) sum_cde [kappa_bcde - sum_a P_ba kappa_acde] h3_cde */
        arb_zero(w);
        for (c = 0; c < nA; c++)
            for (d = 0; d < nA; d++)
                for (e = 0; e < nA; e++)
                {
                    arb_set(s, kap4 + IDX4(P, b, c, d, e));
                    for (a = 0; a < nA; a++)
                        arb_submul(s, arb_mat_entry(Pm, i, a), kap4 + IDX4(P, a, c, d, e),
                                   prec);
                    arb_addmul(w, s, h3 + (c * nA + d) * nA + e, prec);
                }
        arb_div_ui(w, w, 6, prec);
        arb_add(mean1 + i, mean1 + i, w, prec);
    }
out:
    if (!ok)
        _arb_vec_indeterminate(mean1, nB);
    arb_mat_clear(M); arb_mat_clear(Minv); arb_mat_clear(Pm); arb_mat_clear(g);
    arb_clear(s); arb_clear(w);
    _arb_vec_clear(t, nA); _arb_vec_clear(u, nA); _arb_vec_clear(h3, nA * nA * nA);
    return ok ? 0 : -1;
}

void
neft_posterior_vertex_cost(double * ops, double * bytes, const neft_onen_params_t par, slong P)
{
    neft_onen_vertex_cost(ops, bytes, par, P);
}
