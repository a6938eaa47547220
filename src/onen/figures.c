/* Pictures of the deep-network recursions (neft_onen_figure_phase,
   neft_onen_figure_depth): pgfplots documents through neft/eft.h's figure
   machinery.  The plotted numbers are the midpoints of onen's balls. */

#include <math.h>
#include <stdio.h>
#include "neft/onen.h"
#include "neft/eft.h"
#include "neft/interrupt.h"

static double
mid(const arb_t x)
{
    return arb_is_finite(x) ? arf_get_d(arb_midref(x), ARF_RND_NEAR) : NAN;
}

/* <sigma^2>_K, d/dK <sigma^2>_K and <sigma'^2>_K at the double K (balls at
   prec, their midpoints); -1 when not finite */
static int
moments(double * g, double * dg, double * perp, const neft_net_t net, double K, slong prec)
{
    neft_onen_gauss_t G;
    arb_t k, k1;
    int r;
    neft_onen_gauss_init(G);
    arb_init(k);
    arb_init(k1);
    arb_set_d(k, K);
    arb_set_d(k1, K);
    r = neft_onen_gauss_eval(G, net, k, k1, prec);
    *g = mid(&G->m[1][0]);
    *dg = mid(&G->m[1][1]);
    *perp = mid(&G->perp);
    arb_clear(k);
    arb_clear(k1);
    neft_onen_gauss_clear(G);
    return r == 0 && isfinite(*g) && isfinite(*dg) && isfinite(*perp) ? 0 : -1;
}

int
neft_onen_fixed_point(double * kstar, double * chi_par, double * chi_perp, const neft_net_t net,
                      double cw, double cb, slong prec)
{
    double K = cb + cw, g, dg, perp;
    slong it;
    /* Newton on F(K) = C_b + C_W <sigma^2>_K - K (F' = chi_par - 1 < 0 at a
       stable fixed point), safeguarded to stay positive */
    for (it = 0; it < 60; it++)
    {
        double F, step;
        if (neft_interrupted() || moments(&g, &dg, &perp, net, K, prec) != 0)
            return -1;
        F = cb + cw * g - K;
        step = F / (1.0 - cw * dg);
        if (!isfinite(step))
            return -1;
        if (K + step <= 0)
            step = -0.5 * K;
        K += step;
        if (fabs(step) <= 1e-13 * K)
            break;
    }
    if (moments(&g, &dg, &perp, net, K, prec) != 0)
        return -1;
    *kstar = K;
    *chi_par = cw * dg;
    *chi_perp = cw * perp;
    return 0;
}

int
neft_onen_figure_phase(const char * path, const neft_net_t net, const double * cbs, slong ncb,
                       double cw_min, double cw_max, slong ncw, slong prec)
{
    double * buf, * cw, * chi;
    double crit_cb[64], crit_cw[64];
    neft_eft_plot_t top = {0}, bottom = {0};
    char labels[8][64];
    slong i, j, ncrit = 0;
    int ok;
    if (ncb < 1 || ncb > 3 || ncw < 2)
        return -1;
    buf = flint_malloc(sizeof(double) * (size_t) (ncw * (1 + 2 * ncb)));
    cw = buf;
    chi = buf + ncw;
    for (j = 0; j < ncw; j++)
        cw[j] = cw_min + (cw_max - cw_min) * (double) j / (double) (ncw - 1);
    for (i = 0; i < ncb; i++)
        for (j = 0; j < ncw; j++)
        {
            double ks, cp, cq;
            if (neft_onen_fixed_point(&ks, &cp, &cq, net, cw[j], cbs[i], prec) != 0)
            {
                if (neft_interrupted())
                {
                    flint_free(buf);
                    return -1;
                }
                cp = cq = NAN;
            }
            chi[(2 * i) * ncw + j] = cq;
            chi[(2 * i + 1) * ncw + j] = cp;
        }
    /* the order-to-chaos line chi_perp(K*) = 1, parametrised by K*:
       C_W = 1 / <sigma'^2>_{K*}, C_b = K* - C_W <sigma^2>_{K*} */
    for (i = 0; i < 64; i++)
    {
        double K = 1e-3 * pow(10.0, 4.5 * (double) i / 63.0), g, dg, perp;
        crit_cb[i] = crit_cw[i] = NAN;
        if (neft_interrupted())
            break;
        if (moments(&g, &dg, &perp, net, K, prec) == 0 && perp > 0)
        {
            crit_cw[ncrit] = 1.0 / perp;
            crit_cb[ncrit] = K - crit_cw[ncrit] * g;
            if (crit_cb[ncrit] >= 0)
                ncrit++;
        }
    }
    top.title = "susceptibilities at the fixed point $K^*$";
    top.xlabel = "$C_W$";
    top.ylabel = "$\\chi_\\perp$ (marks), $\\chi_\\parallel$ (lines)";
    for (i = 0; i < ncb; i++)
    {
        snprintf(labels[2 * i], sizeof labels[0], "$\\chi_\\perp$, $C_b = %g$", cbs[i]);
        snprintf(labels[2 * i + 1], sizeof labels[0], "$\\chi_\\parallel$, $C_b = %g$", cbs[i]);
        top.series[2 * i] = (neft_eft_series_t) {labels[2 * i], ncw, cw, chi + 2 * i * ncw,
                                                 NULL, 0};
        top.series[2 * i + 1] = (neft_eft_series_t) {labels[2 * i + 1], ncw, cw,
                                                     chi + (2 * i + 1) * ncw, NULL, 1};
    }
    top.nseries = 2 * ncb;
    bottom.title = "order (below) and chaos (above): $\\chi_\\perp(K^*) = 1$";
    bottom.xlabel = "$C_b$";
    bottom.ylabel = "$C_W$";
    bottom.nseries = 1;
    bottom.series[0] = (neft_eft_series_t) {"order-to-chaos line", ncrit, crit_cb, crit_cw,
                                            NULL, 1};
    ok = !neft_interrupted() && neft_eft_plot_write_tex2(path, &top, &bottom);
    flint_free(buf);
    return ok ? 0 : -1;
}

int
neft_onen_figure_depth(const char * path, const neft_onen_params_t par, const arb_t k1,
                       const fmpq_t lambda_b, const fmpq_t lambda_w)
{
    const slong L = par->net->depth;
    neft_onen_layer_struct * layers = neft_onen_layers_init(L);
    arb_ptr theta = _arb_vec_init(L);
    double * buf = flint_malloc(sizeof(double) * (size_t) (3 * L + 1));
    double * x = buf, * th = buf + L, * vk = buf + 2 * L;
    neft_eft_plot_t top = {0}, bottom = {0};
    slong l;
    int ok = 0;
    if (neft_onen_single(layers, par, k1) == 0
        && neft_onen_ntk_single(theta, layers, par, lambda_b, lambda_w) == 0)
    {
        for (l = 0; l < L; l++)
        {
            double K = mid(layers[l].K), V = mid(layers[l].V);
            x[l] = (double) (l + 1);
            th[l] = mid(theta + l);
            vk[l] = K > 0 ? V / (K * K) : NAN;
        }
        top.title = "the NTK against depth";
        top.xlabel = "layer $\\ell$";
        top.ylabel = "$\\Theta^{(\\ell)}$";
        top.nseries = 1;
        top.series[0] = (neft_eft_series_t) {"$\\Theta^{(\\ell)}$", L, x, th, NULL, 0};
        bottom.title = "the four-point vertex against depth";
        bottom.xlabel = "layer $\\ell$";
        bottom.ylabel = "$V^{(\\ell)}/(K^{(\\ell)})^2$";
        bottom.nseries = 1;
        bottom.series[0] = (neft_eft_series_t) {"$V/K^2$", L, x, vk, NULL, 0};
        ok = neft_eft_plot_write_tex2(path, &top, &bottom);
    }
    neft_onen_layers_clear(layers, L);
    _arb_vec_clear(theta, L);
    flint_free(buf);
    return ok ? 0 : -1;
}
