/* t-ntk-pair: the frozen NTK of two inputs for tanh and sigmoid by its two
   library paths, which since stop 33 share the Gaussian expectations of
   the off-diagonal pair (src/onen/ntk2_gauss.c, _neft_onen_ntk2_pair_poly:
   the moments of sigma by one call of the rigorous 2-D rule):
   - neft_onen_ntk_matrix (`neft onen --ntk`, order 0; its diagonal by the
     1-D integrator) against neft_onen_ntk2 (`--ntk --order 1`): K and
     Theta overlap at every layer and pair, and the order-0 radii are at
     most 1.1 times those of order 1 (its moments of degree <= 4 alone come
     out 3 % wider at layer 2; deeper its exact-diagonal inputs make it
     tighter);
   - <sigma_0 sigma_1> and <sigma'_0 sigma'_1> of _neft_onen_ntk2_pair_poly
     against neft_gaussexp_product (the 2-D polar integrator that the order-0
     path used before, a second method) at two kernels. */
#include <string.h>
#include "neft/onen.h"
#include "neft/gaussexp.h"
#include "onen/ntk2.h"
#include "neft-test.h"
#include "ntk-sampler.h"

static void
test_paths(const char * act)
{
    static const char * xs[4] = {"1/2", "3/10", "-1/5", "4/5"};
    slong depth = 4, d = 2, l, P, k;
    static const int pa[3] = {0, 0, 1}, pb[3] = {0, 1, 1};
    neft_onen_params_t par;
    neft_onen_ntk2_struct * T = neft_onen_ntk2_init(depth);
    arb_ptr x = _arb_vec_init(2 * d), K = _arb_vec_init(4 * depth), Th = _arb_vec_init(4 * depth);
    fmpq_t qb, qw, q;
    char err[256];
    fmpq_init(qb); fmpq_init(qw); fmpq_init(q);
    neft_onen_params_init(par);
    ntks_set_net(par, act, "3/2", "1/10", depth, 128);
    neft_onen_parse_rational(qb, "1/2");
    neft_onen_parse_rational(qw, "2");
    for (k = 0; k < 2 * d; k++)
    {
        neft_onen_parse_rational(q, xs[k]);
        arb_set_fmpq(x + k, q, par->prec);
    }
    CHECK(neft_onen_ntk2(T, par, qb, qw, x, d, err, sizeof err) == 0, "%s ntk2: %s", act, err);
    CHECK(neft_onen_ntk_matrix(K, Th, par, qb, qw, x, 2, d) == 0, "%s ntk_matrix", act);
    for (l = 0; l < depth; l++)
        for (P = 0; P < 3; P++)
        {
            arb_srcptr k0 = K + 4 * l + 2 * pa[P] + pb[P], t0 = Th + 4 * l + 2 * pa[P] + pb[P];
            CHECK(arb_overlaps(k0, T[l].K + P) && arb_overlaps(t0, T[l].theta + P),
                  "%s layer %ld pair %ld: K or Theta of the two paths do not overlap", act,
                  (long) l + 1, (long) P);
            CHECK(mag_get_d(arb_radref(k0)) <= 1.1 * mag_get_d(arb_radref(T[l].K + P))
                  && mag_get_d(arb_radref(t0)) <= 1.1 * mag_get_d(arb_radref(T[l].theta + P)),
                  "%s layer %ld pair %ld: order-0 radii %g %g above order 1's %g %g", act,
                  (long) l + 1, (long) P, mag_get_d(arb_radref(k0)), mag_get_d(arb_radref(t0)),
                  mag_get_d(arb_radref(T[l].K + P)), mag_get_d(arb_radref(T[l].theta + P)));
        }
    neft_onen_params_clear(par);
    neft_onen_ntk2_clear(T, depth);
    _arb_vec_clear(x, 2 * d); _arb_vec_clear(K, 4 * depth); _arb_vec_clear(Th, 4 * depth);
    fmpq_clear(qb); fmpq_clear(qw); fmpq_clear(q);
}

/* at the kernel ((k00, k01), (k01, k11)) */
static void
test_pair(const char * act, double k00, double k01, double k11)
{
    neft_onen_params_t par;
    arb_ptr Kv = _arb_vec_init(4), u = _arb_vec_init(4);
    arb_t ss, dd, r0, r1;
    char err[256];
    int st;
    arb_init(ss); arb_init(dd); arb_init(r0); arb_init(r1);
    neft_onen_params_init(par);
    ntks_set_net(par, act, "1", "0", 2, 64);
    arb_set_d(Kv + 0, k00); arb_set_d(Kv + 1, k01); arb_set_d(Kv + 2, k01); arb_set_d(Kv + 3, k11);
    st = _neft_onen_ntk2_pair_poly(ss, dd, par->net, Kv, 64, err, sizeof err);
    CHECK(st == 0 && arb_is_finite(ss) && arb_is_finite(dd), "%s pair_poly: %s", act, err);
    CHECK(mag_cmp_2exp_si(arb_radref(ss), -30) < 0 && mag_cmp_2exp_si(arb_radref(dd), -30) < 0,
          "%s pair_poly: radii %g %g", act, mag_get_d(arb_radref(ss)), mag_get_d(arb_radref(dd)));
    _neft_onen_ntk2_chol(u, Kv, 64);
    st = neft_gaussexp_product(r0, par->net->act, NULL, 0, u, 2, 2, 0, 53, err, sizeof err);
    CHECK(st == NEFT_SUCCESS || st == NEFT_NO_CONVERGENCE, "%s product: %s", act, err);
    st = neft_gaussexp_product(r1, par->net->act, NULL, 1, u, 2, 2, 0, 53, err, sizeof err);
    CHECK(st == NEFT_SUCCESS || st == NEFT_NO_CONVERGENCE, "%s product': %s", act, err);
    CHECK(arb_overlaps(ss, r0) && arb_overlaps(dd, r1),
          "%s at (%g, %g, %g): <s s> %.15g vs %.15g, <s' s'> %.15g vs %.15g", act, k00, k01,
          k11, arf_get_d(arb_midref(ss), ARF_RND_NEAR), arf_get_d(arb_midref(r0), ARF_RND_NEAR),
          arf_get_d(arb_midref(dd), ARF_RND_NEAR), arf_get_d(arb_midref(r1), ARF_RND_NEAR));
    neft_onen_params_clear(par);
    _arb_vec_clear(Kv, 4); _arb_vec_clear(u, 4);
    arb_clear(ss); arb_clear(dd); arb_clear(r0); arb_clear(r1);
}

int
main(void)
{
    test_paths("tanh");
    test_paths("sigmoid");
    test_pair("tanh", 0.7, -0.3, 1.9);
    test_pair("sigmoid", 2.5, 1.2, 0.8);
    flint_cleanup_master();
    return neft_test_finish("t-ntk-pair");
}
