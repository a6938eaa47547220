/* t-net: the network value (neft/net.h) and the status names (neft/status.h). */

#include <stdlib.h>
#include <string.h>
#include "neft/net.h"
#include "neft/points.h"
#include "neft-test.h"

int
main(void)
{
    neft_net_t net, copy;
    fmpq_t a, b;
    arb_t x, y;
    char err[256];
    slong i;

    neft_net_init(net);
    neft_net_init(copy);
    fmpq_init(a);
    fmpq_init(b);
    arb_init(x);
    arb_init(y);

    CHECK(neft_net_check(net, err, sizeof(err)) == NEFT_SUCCESS, "default net refused: %s", err);
    CHECK(!strcmp(net->act->name, "relu"), "default activation %s", net->act->name);

    /* Every row can be set by name with its default parameter. */
    for (i = 0; i < neft_act_count(); i++)
    {
        neft_act_srcptr r = neft_act_get(i);
        int s = neft_net_set_act_name(net, r->name, NULL, err, sizeof(err));
        CHECK(s == NEFT_SUCCESS && net->act == r, "%s: %s", r->name, err);
        CHECK(r->param_default == NULL || r->nparams == 1, "%s: default without parameter",
              r->name);
    }
    CHECK(neft_net_set_act_name(net, "leaky-relu", NULL, err, sizeof(err)) == NEFT_SUCCESS,
          "leaky-relu: %s", err);
    fmpq_set_si(a, 1, 100);
    CHECK(fmpq_equal(net->param, a), "leaky-relu default slope is not 1/100");
    CHECK(neft_net_set_act_name(net, "leaky-relu", "-1/3", err, sizeof(err)) == NEFT_SUCCESS,
          "leaky-relu -1/3: %s", err);
    fmpq_set_si(a, -1, 3);
    CHECK(fmpq_equal(net->param, a), "slope -1/3 not kept");
    CHECK(neft_net_set_act_name(net, "leaky-relu", "x", err, sizeof(err)) == NEFT_BAD_INPUT
          && strstr(err, "slope") != NULL, "bad slope accepted or unnamed: %s", err);
    CHECK(neft_net_set_act_name(net, "relu", "2", err, sizeof(err)) == NEFT_BAD_INPUT,
          "a parameter given to relu was accepted");
    CHECK(neft_net_set_act_name(net, "gauss", "2", err, sizeof(err)) == NEFT_BAD_INPUT,
          "GaussNet's k was accepted as a user parameter");
    CHECK(neft_net_set_act_name(net, "softmax", NULL, err, sizeof(err)) == NEFT_BAD_INPUT
          && strstr(err, "softmax") != NULL && strstr(err, "relu") != NULL,
          "unknown activation: %s", err);

    /* sigma -> C exactly; the double views follow the sampler's arithmetic. */
    neft_points_parse_rational(a, "0.2");
    neft_points_parse_rational(b, "0.3");
    neft_net_set_sigma(net, a, b);
    fmpq_mul(a, a, a);
    CHECK(fmpq_equal(net->cw, a), "C_W is not sigma_w^2");
    CHECK(neft_net_sw_d(net) == strtod("0.2", NULL), "sigma_w double");
    CHECK(neft_net_cw_d(net) == strtod("0.2", NULL) * strtod("0.2", NULL), "C_W double");
    CHECK(neft_net_cb_d(net) == strtod("0.3", NULL) * strtod("0.3", NULL), "C_b double");
    neft_net_cw_arb(x, net, 64);
    arb_set_fmpq(y, a, 200);
    CHECK(arb_contains(x, y), "C_W ball");
    neft_points_parse_rational(a, "2");
    neft_net_set_cw(net, a);
    neft_net_sw_arb(x, net, 128);
    arb_sqrt_ui(y, 2, 300);
    CHECK(arb_contains(x, y) && arb_rel_accuracy_bits(x) > 120, "sigma_w = sqrt(C_W) ball");
    CHECK(neft_net_sw_d(net) == sqrt(2.0) && neft_net_cw_d(net) == 2.0, "C_W given: doubles");

    /* Depth and widths; copies. */
    CHECK(neft_net_set_depth(net, 1) == -1 && net->depth == 2, "depth 1 accepted");
    CHECK(neft_net_set_depth(net, 4) == 0, "depth 4 refused");
    neft_net_set_widths_all_si(net, 30);
    neft_net_set_width_si(net, 2, 7);
    CHECK(neft_net_width_si(net, 1) == 30 && neft_net_width_si(net, 2) == 7
          && neft_net_width_si(net, 3) == 30 && neft_net_width_si(net, 4) == 0, "widths");
    neft_net_set(copy, net);
    CHECK(copy->depth == 4 && neft_net_width_si(copy, 2) == 7 && fmpq_equal(copy->cw, net->cw)
          && copy->act == net->act && copy->sw_given == 0, "copy");

    /* Refusals of neft_net_check. */
    fmpq_zero(a);
    neft_net_set_cw(net, a);
    CHECK(neft_net_check(net, err, sizeof(err)) == NEFT_BAD_INPUT && strstr(err, "C_W"),
          "C_W = 0 accepted");
    fmpq_one(a);
    neft_net_set_cw(net, a);
    neft_net_set_width_si(net, 1, -1);
    CHECK(neft_net_check(net, err, sizeof(err)) == NEFT_BAD_INPUT, "negative width accepted");
    neft_net_set_width_si(net, 1, 1);
    net->d_in = 0;
    CHECK(neft_net_check(net, err, sizeof(err)) == NEFT_BAD_INPUT, "d_in = 0 accepted");

    /* Status names. */
    CHECK(!strcmp(neft_status_name(NEFT_UNSUPPORTED), "unsupported")
          && !strcmp(neft_status_name(NEFT_NO_CONVERGENCE), "no convergence")
          && !strcmp(neft_status_name(17), "unknown status"), "status names");

    neft_net_clear(net);
    neft_net_clear(copy);
    fmpq_clear(a);
    fmpq_clear(b);
    arb_clear(x);
    arb_clear(y);
    flint_cleanup();
    return neft_test_finish("t-net");
}
