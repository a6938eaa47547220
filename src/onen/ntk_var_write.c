/* The writer of the O(1/n) NTK table (docs/cmd-onen.md, "--ntk --order 1";
   the NTK's columns, then the dNTK's P and Q):
   text blocks or the JSON member "ntk" on the stream it is given; balls as
   neft_json_write_arb with 20 digits, exact rationals as strings. */

#include "neft/onen.h"
#include "neft/json.h"

#define NCOL 11

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
    /* the columns: JSON key, text name; the sums A + 2B and D + 2F after B and F */
    static const char * const key[NCOL] = {"K", "theta", "theta1", "A", "B", "var", "D", "F",
                                           "cov_z2", "P", "Q"};
    static const char * const name[NCOL] = {"K", "Theta", "Theta1", "A", "B", "A+2B", "D", "F",
                                            "D+2F", "P", "Q"};
    slong l, depth = net->depth, prec = 256, n, c;   /* sums of balls: rounding far below
                                                        their radii */
    int at_width = widths_given(net);
    arb_t var, cov, mean, vn;
    fmpq_t qv, qc;

    arb_init(var); arb_init(cov); arb_init(mean); arb_init(vn);
    fmpq_init(qv); fmpq_init(qc);
    if (format == NEFT_ONEN_FORMAT_JSON)
        fputs("\"ntk\":[", out);
    for (l = 1; l <= depth; l++)
    {
        const neft_onen_ntk1_struct * t = T + l - 1;
        const neft_onen_ntk1_exact_struct * x = X != NULL ? X + l - 1 : NULL;
        arb_srcptr ball[NCOL];
        const fmpq * exact[NCOL];
        plus2(var, t->A, t->B, prec);
        plus2(cov, t->D, t->F, prec);
        if (x != NULL)
        {
            fmpq_add(qv, x->B, x->B);
            fmpq_add(qv, qv, x->A);
            fmpq_add(qc, x->F, x->F);
            fmpq_add(qc, qc, x->D);
        }
        ball[0] = L[l - 1].K; ball[1] = t->theta; ball[2] = t->theta1; ball[3] = t->A;
        ball[4] = t->B; ball[5] = var; ball[6] = t->D; ball[7] = t->F; ball[8] = cov;
        ball[9] = t->P; ball[10] = t->Q;
        exact[0] = NULL;
        if (x != NULL)
        {
            exact[1] = x->theta; exact[2] = x->theta1; exact[3] = x->A; exact[4] = x->B;
            exact[5] = qv; exact[6] = x->D; exact[7] = x->F; exact[8] = qc;
            exact[9] = x->P; exact[10] = x->Q;
        }
        else
            for (c = 1; c < NCOL; c++)
                exact[c] = NULL;
        n = norm_width(net, l);
        if (at_width && n > 0)
        {
            arb_div_si(mean, t->theta1, n, prec);
            arb_add(mean, mean, t->theta, prec);
            arb_div_si(vn, var, n, prec);
        }
        if (format == NEFT_ONEN_FORMAT_JSON)
        {
            fprintf(out, "%s{\"layer\":%ld", l > 1 ? "," : "", (long) l);
            for (c = 0; c < NCOL; c++)
                json_ball(out, key[c], ball[c]);
            if (at_width && l > 1)   /* layer 1 is deterministic */
            {
                fprintf(out, ",\"width\":%ld", (long) n);
                json_ball(out, "mean_at_width", mean);
                json_ball(out, "var_at_width", vn);
            }
            if (x != NULL)
            {
                fputs(",\"exact\":{", out);
                for (c = 1; c < NCOL; c++)
                    json_q(out, key[c], exact[c], c == 1);
                fputc('}', out);
            }
            fputc('}', out);
            continue;
        }
        fprintf(out, "layer %ld%s\n", (long) l,
                l == 1 ? " (deterministic)" : "  (coefficients of 1/n_{l-1})");
        for (c = 0; c < (l == 1 ? 2 : NCOL); c++)
            text_ball(out, name[c], ball[c], exact[c]);
        if (at_width && l > 1)
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
    fmpq_clear(qv); fmpq_clear(qc);
}
