/* Writing evaluations: text (a header, the value, one line per term) and
   JSON (the DESIGN.md contract, balls as {"mid","rad"} decimal strings). */

#include <stdio.h>
#include <string.h>
#include "neft/eval.h"
#include "neft/emit.h"
#include "neft/json.h"

static slong
digits_of(slong prec)
{
    return (slong) (prec * 0.30103) + 1;
}

void
neft_eval_write_ball_json(FILE * out, const arb_t x, slong digits)
{
    neft_json_write_arb(out, x, digits);
}

static void
write_ball_text(FILE * out, const arb_t x, slong digits)
{
    char * s = arb_get_str(x, digits, 0);
    fputs(s, out);
    flint_free(s);
}

static void
write_point(FILE * out, arb_srcptr x, slong d, int json)
{
    slong c;
    if (json)
        fputc('[', out);
    for (c = 0; c < d; c++)
    {
        if (json)
            fprintf(out, "%s%.17g", c ? "," : "", arf_get_d(arb_midref(x + c), ARF_RND_NEAR));
        else
        {
            char * s = arb_get_str(x + c, 17, ARB_STR_NO_RADIUS);
            fprintf(out, "%s%s", c ? "," : "", s);
            flint_free(s);
        }
    }
    if (json)
        fputc(']', out);
}

void
neft_eval_write_text_header(FILE * out, const neft_expansion_t ex,
                            const neft_eval_ctx_t ctx, arb_srcptr pts, slong npts)
{
    const neft_kernel_struct * k = ctx->kernel;
    char prune[256];
    slong i;
    fprintf(out, "# theory: %s\n", ex->theory->name ? ex->theory->name : "(unnamed)");
    neft_prune_format(prune, sizeof(prune), ex->prune);
    fprintf(out, "# %ld-point function to order %ld, prune: %s, %ld terms\n",
            (long) ex->n, (long) ex->order, prune, (long) ex->length);
    fprintf(out, "# kernel %s", k->act->name);
    if (k->act->param_default != NULL)
    {
        /* a row with a user parameter (leaky-relu's slope) */
        fprintf(out, " (%s = ", k->act->param_name);
        write_ball_text(out, k->param, 10);
        fputc(')', out);
    }
    fprintf(out, ", d_in = %ld, sigma_w^2 = ", (long) k->d);
    write_ball_text(out, k->sw2, 10);
    fputs(", sigma_b^2 = ", out);
    write_ball_text(out, k->sb2, 10);
    fprintf(out, "%s, cutoff L = ", k->subtract_bias ? " (subtracted)" : "");
    if (arf_is_pos_inf(ctx->cutoff))
        fputs("inf", out);
    else
    {
        /* into out (not stdout, as arf_printd would) */
        arb_t c;
        arb_init(c);
        arb_set_arf(c, ctx->cutoff);
        write_ball_text(out, c, 17);
        arb_clear(c);
    }
    fprintf(out, ", %ld bits\n# couplings:", (long) ctx->prec);
    for (i = 0; i < ex->theory->length; i++)
    {
        fprintf(out, " %s = ", ex->theory->couplings[i].name);
        write_ball_text(out, ctx->g + i, 17);
    }
    fputs("\n# inputs:", out);
    for (i = 0; i < npts; i++)
    {
        fprintf(out, " %s", i ? "; " : "");
        write_point(out, pts + i * k->d, k->d, 0);
    }
    fputc('\n', out);
}

void
neft_eval_write_text(FILE * out, const neft_expansion_t ex, const neft_eval_ctx_t ctx,
                     const neft_eval_result_t r, const slong * idx, int terms)
{
    slong i, digits = digits_of(ctx->prec);
    if (idx != NULL)
    {
        fputs("tuple ", out);
        for (i = 0; i < ex->n; i++)
            fprintf(out, "%s%ld", i ? "," : "", (long) idx[i]);
        fputs(" value ", out);
    }
    else
        fputs("value ", out);
    write_ball_text(out, r->value, digits);
    if (r->status == NEFT_INTEGRATE_NO_CONVERGENCE)
        fputs("  (not converged to the full precision)", out);
    fputc('\n', out);
    if (!terms)
        return;
    for (i = 0; i < r->length; i++)
    {
        fputs("  term ", out);
        write_ball_text(out, r->term + i, digits);
        fputs("  integral ", out);
        if (neft_eval_term_vanishes(ctx, ex, i))
            fputs("(not computed)", out);
        else
            write_ball_text(out, r->integral + i, digits);
        fputs("  :  ", out);
        neft_emit_term_text(out, ex->terms + i, ex->theory);
        fputc('\n', out);
    }
}

void
neft_eval_write_json_begin(FILE * out, const neft_expansion_t ex,
                           const neft_eval_ctx_t ctx, arb_srcptr pts, slong npts, int tuples)
{
    const neft_kernel_struct * k = ctx->kernel;
    slong i, digits = digits_of(ctx->prec);
    fprintf(out, "{\"points\":%ld,\"order\":%ld,\"kernel\":{\"name\":", (long) ex->n,
            (long) ex->order);
    neft_json_write_string(out, k->act->name);
    if (k->act->param_default != NULL)
    {
        fputs(",", out);
        neft_json_write_string(out, k->act->param_name);
        fputs(":", out);
        neft_json_write_arb(out, k->param, digits);
    }
    fprintf(out, ",\"d_in\":%ld,\"sigma_w2\":", (long) k->d);
    neft_json_write_arb(out, k->sw2, digits);
    fputs(",\"sigma_b2\":", out);
    neft_json_write_arb(out, k->sb2, digits);
    fprintf(out, ",\"subtract_bias\":%s},\"cutoff\":", k->subtract_bias ? "true" : "false");
    if (arf_is_pos_inf(ctx->cutoff))
        fputs("\"inf\"", out);
    else
        fprintf(out, "%.17g", arf_get_d(ctx->cutoff, ARF_RND_NEAR));
    fprintf(out, ",\"prec\":%ld,\"couplings\":{", (long) ctx->prec);
    for (i = 0; i < ex->theory->length; i++)
    {
        fputs(i ? "," : "", out);
        neft_json_write_string(out, ex->theory->couplings[i].name);
        fputc(':', out);
        neft_json_write_arb(out, ctx->g + i, digits);
    }
    fputs("},\"inputs\":[", out);
    for (i = 0; i < npts; i++)
    {
        if (i)
            fputc(',', out);
        write_point(out, pts + i * k->d, k->d, 1);
    }
    fputs("],\n", out);
    if (tuples)
        fputs("\"tuples\":[\n", out);
}

void
neft_eval_write_json(FILE * out, const neft_expansion_t ex, const neft_eval_ctx_t ctx,
                     const neft_eval_result_t r, const slong * idx, int first)
{
    slong i, c, digits = digits_of(ctx->prec);
    slong e[NEFT_THEORY_COUPLINGS_MAX];
    if (idx != NULL)
    {
        fprintf(out, "%s{\"indices\":[", first ? "" : ",\n");
        for (i = 0; i < ex->n; i++)
            fprintf(out, "%s%ld", i ? "," : "", (long) idx[i]);
        fputs("],", out);
    }
    fputs("\"value\":", out);
    neft_json_write_arb(out, r->value, digits);
    fprintf(out, ",\"converged\":%s,\"terms\":[",
            r->status == NEFT_INTEGRATE_SUCCESS ? "true" : "false");
    for (i = 0; i < r->length; i++)
    {
        const neft_diagram_struct * d = ex->terms + i;
        char * q = fmpq_get_str(NULL, 10, d->coeff);
        int firstc = 1;
        fprintf(out, "%s\n {\"coefficient\":\"%s\",\"couplings\":{", i ? "," : "", q);
        flint_free(q);
        neft_diagram_powers(e, d, ex->theory->length);
        for (c = 0; c < ex->theory->length; c++)
            if (e[c])
            {
                fputs(firstc ? "" : ",", out);
                neft_json_write_string(out, ex->theory->couplings[c].name);
                fprintf(out, ":%ld", (long) e[c]);
                firstc = 0;
            }
        fputs("},\"integral\":", out);
        if (neft_eval_term_vanishes(ctx, ex, i))
            fputs("null", out);     /* (not computed: the term is an exact 0) */
        else
            neft_json_write_arb(out, r->integral + i, digits);
        fputs(",\"value\":", out);
        neft_json_write_arb(out, r->term + i, digits);
        fputc('}', out);
    }
    fputc(']', out);
    if (idx != NULL)
        fputc('}', out);
}

void
neft_eval_write_json_end(FILE * out, int tuples)
{
    fputs(tuples ? "\n]}\n" : "}\n", out);
}
