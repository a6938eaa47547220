/* The options of the net that onen, posterior and train share: --activation,
   --slope, --cw, --cb, --depth (cli.h, neft_cli_netopt_t). */

#include <string.h>
#include "neft/act.h"
#include "neft/net.h"
#include "neft/onen.h"
#include "cli.h"

void
neft_cli_netopt_init(neft_cli_netopt_t * n)
{
    memset(n, 0, sizeof *n);
    n->depth = -1;
}

int
neft_cli_netopt(neft_cli_netopt_t * n, const char * o, const char * v, int * bad)
{
    if (!strcmp(o, "--activation")) n->act = v;
    else if (!strcmp(o, "--slope")) n->slope = v;
    else if (!strcmp(o, "--cw")) n->cw = v;
    else if (!strcmp(o, "--cb")) n->cb = v;
    else if (!strcmp(o, "--depth")) *bad = neft_cli_parse_slong(&n->depth, v, o, 1, 100000);
    else
        return 0;
    return 1;
}

int
neft_cli_netopt_activation(neft_net_t net, const neft_cli_netopt_t * n)
{
    char err[512];
    if (n->act == NULL)
    {
        neft_cli_error("--activation is required (%s)", neft_act_names());
        return -1;
    }
    if (neft_net_set_act_name(net, n->act, NULL, err, sizeof err))
    {
        neft_cli_error("%s", err);
        return -1;
    }
    if (n->slope != NULL && neft_net_set_act_name(net, n->act, n->slope, err, sizeof err))
    {
        neft_cli_error("--slope expects a rational number and --activation leaky-relu, "
                       "got '%s'", n->slope);
        return -1;
    }
    return 0;
}

int
neft_cli_netopt_hyper(neft_net_t net, const neft_cli_netopt_t * n)
{
    fmpq_t cw, cb;
    int r = -1;
    fmpq_init(cw);
    fmpq_init(cb);
    if (neft_onen_parse_rational(cw, n->cw) || fmpq_sgn(cw) <= 0)
        neft_cli_error("--cw expects a positive number, got '%s'", n->cw);
    else if (neft_onen_parse_rational(cb, n->cb) || fmpq_sgn(cb) < 0)
        neft_cli_error("--cb expects a non-negative number, got '%s'", n->cb);
    else
    {
        neft_net_set_cw(net, cw);
        neft_net_set_cb(net, cb);
        neft_net_set_depth_recursion(net, n->depth);   /* 1..100000 as parsed */
        r = 0;
    }
    fmpq_clear(cw);
    fmpq_clear(cb);
    return r;
}
