/* The writer of the O(1/n) NTK table (docs/cmd-onen.md, "--ntk --order 1"):
   text blocks or the JSON member "ntk" on the stream it is given; balls as
   neft_json_write_arb with 20 digits, exact rationals as strings. */

#include "neft/onen.h"
#include "neft/json.h"

/* the hidden width n_{l-1} normalising layer l (l >= 2), 0 if not given */
static slong
norm_width(const neft_net_t net, slong l)
{
    return l >= 2 ? neft_net_width_si(net, l - 1) : 0;
}

/* 1 if every hidden width is given */
static int
widths_given(const neft_net_t net)
{
    slong l;
    for (l = 2; l <= net->depth; l++)
        if (norm_width(net, l) <= 0)
            return 0;
    return 1;
}

/* sum = x + 2 y */
static void
plus2(arb_t sum, const arb_t x, const arb_t y, slong prec)
{
    arb_mul_2exp_si(sum, y, 1);
    arb_add(sum, sum, x, prec);
}

static void
text_ball(FILE * out, const char * name, const arb_t x, const fmpq_t q)
{
    char * s = arb_get_str(x, 20, 0);
    fprintf(out, "  %-7s = %s", name, s);
    flint_free(s);
    if (q != NULL)
    {
        s = fmpq_get_str(NULL, 10, q);
        fprintf(out, "  (exact %s)", s);
        flint_free(s);
    }
    fputc('\n', out);
}

static void
json_ball(FILE * out, const char * name, const arb_t x)
{
    fprintf(out, ",\"%s\":", name);
    neft_json_write_arb(out, x, 20);
}

static void
json_q(FILE * out, const char * name, const fmpq_t q, int first)
{
    fprintf(out, "%s\"%s\":", first ? "" : ",", name);
    neft_json_write_fmpq(out, q);
}

void
neft_onen_ntk1_write(FILE * out, const neft_onen_layer_struct * L,
                     const neft_onen_ntk1_struct * T, const neft_onen_ntk1_exact_struct * X,
                     const neft_net_t net, int format)
{
    slong l, depth = net->depth, prec = 256, n;   /* sums of balls: rounding far below their radii */
    int at_width = widths_given(net);
    arb_t var, cov, mean, vn;
    fmpq_t q;

    arb_init(var); arb_init(cov); arb_init(mean); arb_init(vn);
    fmpq_init(q);
    if (format == NEFT_ONEN_FORMAT_JSON)
        fputs("\"ntk\":[", out);
    for (l = 1; l <= depth; l++)
    {
        const neft_onen_ntk1_struct * t = T + l - 1;
        const neft_onen_ntk1_exact_struct * x = X != NULL ? X + l - 1 : NULL;
        plus2(var, t->A, t->B, prec);
        plus2(cov, t->D, t->F, prec);
        n = norm_width(net, l);
        if (at_width && n > 0)
        {
            arb_div_si(mean, t->theta1, n, prec);
            arb_add(mean, mean, t->theta, prec);
            arb_div_si(vn, var, n, prec);
        }
        else if (at_width)
        {
            arb_set(mean, t->theta);   /* layer 1: deterministic */
            arb_zero(vn);
        }
        if (format == NEFT_ONEN_FORMAT_JSON)
        {
            fprintf(out, "%s{\"layer\":%ld", l > 1 ? "," : "", (long) l);
            json_ball(out, "K", L[l - 1].K);
            json_ball(out, "theta", t->theta);
            json_ball(out, "theta1", t->theta1);
            json_ball(out, "A", t->A);
            json_ball(out, "B", t->B);
            json_ball(out, "D", t->D);
            json_ball(out, "F", t->F);
            json_ball(out, "var", var);
            json_ball(out, "cov_z2", cov);
            if (at_width)
            {
                fprintf(out, ",\"width\":%ld", (long) n);
                json_ball(out, "mean_at_width", mean);
                json_ball(out, "var_at_width", vn);
            }
            if (x != NULL)
            {
                fputs(",\"exact\":{", out);
                json_q(out, "theta", x->theta, 1);
                json_q(out, "theta1", x->theta1, 0);
                json_q(out, "A", x->A, 0);
                json_q(out, "B", x->B, 0);
                json_q(out, "D", x->D, 0);
                json_q(out, "F", x->F, 0);
                fmpq_add(q, x->B, x->B);
                fmpq_add(q, q, x->A);
                json_q(out, "var", q, 0);
                fmpq_add(q, x->F, x->F);
                fmpq_add(q, q, x->D);
                json_q(out, "cov_z2", q, 0);
                fputc('}', out);
            }
            fputc('}', out);
            continue;
        }
        fprintf(out, "layer %ld%s\n", (long) l,
                l == 1 ? " (deterministic)" : "  (coefficients of 1/n_{l-1})");
        text_ball(out, "K", L[l - 1].K, NULL);
        text_ball(out, "Theta", t->theta, x != NULL ? x->theta : NULL);
        if (l == 1)
            continue;
        text_ball(out, "Theta1", t->theta1, x != NULL ? x->theta1 : NULL);
        text_ball(out, "A", t->A, x != NULL ? x->A : NULL);
        text_ball(out, "B", t->B, x != NULL ? x->B : NULL);
        if (x != NULL)
        {
            fmpq_add(q, x->B, x->B);
            fmpq_add(q, q, x->A);
        }
        text_ball(out, "A+2B", var, x != NULL ? q : NULL);
        text_ball(out, "D", t->D, x != NULL ? x->D : NULL);
        text_ball(out, "F", t->F, x != NULL ? x->F : NULL);
        if (x != NULL)
        {
            fmpq_add(q, x->F, x->F);
            fmpq_add(q, q, x->D);
        }
        text_ball(out, "D+2F", cov, x != NULL ? q : NULL);
        if (at_width)
        {
            char * s = arb_get_str(mean, 20, 0), * v = arb_get_str(vn, 20, 0);
            fprintf(out, "  at width %ld: E[H] = %s, Var H = %s\n", (long) n, s, v);
            flint_free(s);
            flint_free(v);
        }
    }
    if (format == NEFT_ONEN_FORMAT_JSON)
        fputc(']', out);
    arb_clear(var); arb_clear(cov); arb_clear(mean); arb_clear(vn);
    fmpq_clear(q);
}
