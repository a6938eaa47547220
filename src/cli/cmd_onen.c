/* `neft onen`: deep MLPs in the 1/n expansion (docs/cmd-onen.md). */

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/onen.h"
#include "neft/json.h"
#include "cli.h"

#define FMT_TEXT 0
#define FMT_JSON 1
#define FMT_LATEX 2

/* "3", "-1/2", "0.25", "1e-3", "2.5E2" -> exact rational; 0 or -1. */
static int
parse_rational(fmpq_t q, const char * s)
{
    const char * p = s;
    fmpz_t num, den;
    slong exp10 = 0;
    int neg = 0, digits = 0, ok = 1;

    if (strchr(s, '/'))
        return fmpq_set_str(q, s, 10) == 0 && !fmpz_is_zero(fmpq_denref(q))
            && strspn(s, "+-0123456789/") == strlen(s) ? (fmpq_canonicalise(q), 0) : -1;
    fmpz_init(num); fmpz_init(den);
    fmpz_one(den);
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    for (; isdigit((unsigned char) *p); p++, digits++)
    {
        fmpz_mul_ui(num, num, 10);
        fmpz_add_ui(num, num, *p - '0');
    }
    if (*p == '.')
        for (p++; isdigit((unsigned char) *p); p++, digits++)
        {
            fmpz_mul_ui(num, num, 10);
            fmpz_add_ui(num, num, *p - '0');
            exp10--;
        }
    if (*p == 'e' || *p == 'E')
    {
        char * end;
        long e = strtol(p + 1, &end, 10);
        if (end == p + 1 || e > 1000 || e < -1000)
            ok = 0;
        exp10 += e;
        p = end;
    }
    if (*p != '\0' || digits == 0)
        ok = 0;
    if (ok)
    {
        fmpz_t ten;
        fmpz_init_set_ui(ten, 10);
        if (exp10 >= 0)
        {
            fmpz_pow_ui(ten, ten, exp10);
            fmpz_mul(num, num, ten);
        }
        else
        {
            fmpz_pow_ui(ten, ten, -exp10);
            fmpz_set(den, ten);
        }
        if (neg)
            fmpz_neg(num, num);
        fmpq_set_fmpz_frac(q, num, den);
        fmpz_clear(ten);
    }
    fmpz_clear(num); fmpz_clear(den);
    return ok ? 0 : -1;
}

/* The one spelling of balls (neft/json.h), 20 digits. */
static void
print_ball_json(FILE * out, const arb_t x)
{
    neft_json_write_arb(out, x, 20);
}

static void
print_ball_text(FILE * out, const arb_t x, slong digits)
{
    char * s = arb_get_str(x, digits, 0);
    fprintf(out, "%s", s);
    flint_free(s);
}

static const char * const class_names[] = {
    "scale-invariant", "K*=0", "K*=0 (unstable: a1 >= 0)", "K*>0", "none"
};

static const char usage[] =
    "usage: neft onen --activation NAME [--slope A] --cw C --cb C --depth L\n"
    "                 (--k1 K | --at \"x1;..\" --d-in D) [--width n | --widths n1,..]\n"
    "                 [--format text|json] [--prec BITS]\n"
    "       neft onen --formulas [--format text|latex]\n"
    "       neft onen --critical --activation NAME [--format text|json]\n"
    "       neft onen --compare-samples FILE --activation NAME --cw C --cb C\n"
    "                 --depth L --width n [--ignore-digest] [--format text|json]\n"
    "activations: relu leaky-relu linear tanh erf gelu silu sigmoid sin\n";

typedef struct
{
    int have_cw, have_cb, have_k1;
    fmpq_t cw, cb, k1;
    int exact_ok;
}
qpar;

/* ---- --critical ------------------------------------------------------ */

static int
run_critical(FILE * out, const neft_onen_act_t act, int format, slong prec)
{
    neft_onen_crit_t c;
    neft_onen_crit_init(c);
    neft_onen_critical(c, act, 64.0, prec);
    if (format == FMT_JSON)
    {
        fputs("{\"activation\":", out);
        neft_json_write_string(out, neft_onen_act_name(act->kind));
        fputs(",\"class\":", out);
        neft_json_write_string(out, class_names[c->cls]);
        fputs(",\"cw\":", out);
        print_ball_json(out, c->cw);
        fprintf(out, ",\"cb\":");
        print_ball_json(out, c->cb);
        fprintf(out, ",\"kstar\":");
        print_ball_json(out, c->kstar);
        fprintf(out, ",\"a1\":");
        print_ball_json(out, c->a1);
        fprintf(out, ",\"slope\":");
        print_ball_json(out, c->slope);
        fprintf(out, ",\"roots\":%ld}\n", (long) c->nroots);
    }
    else
    {
        fprintf(out, "activation %s: universality class %s\n", neft_onen_act_name(act->kind),
                class_names[c->cls]);
        fprintf(out, "  critical C_W = "); print_ball_text(out, c->cw, 20);
        fprintf(out, "\n  critical C_b = "); print_ball_text(out, c->cb, 20);
        fprintf(out, "\n  K*           = "); print_ball_text(out, c->kstar, 20);
        if (c->cls == NEFT_ONEN_CLASS_SCALE_INVARIANT)
        {
            fprintf(out, "  (every K is a fixed point)\n  V/K^2 = s (l-1) with s = ");
            print_ball_text(out, c->slope, 20);
            fprintf(out, "\n");
        }
        else if (c->cls == NEFT_ONEN_CLASS_K0 || c->cls == NEFT_ONEN_CLASS_K0_UNSTABLE)
        {
            fprintf(out, "\n  a1 = "); print_ball_text(out, c->a1, 20);
            fprintf(out, "  (K^(l+1) = K + a1 K^2 + ...)\n");
            if (c->cls == NEFT_ONEN_CLASS_K0)
                fprintf(out, "  large depth: K ~ 1/(-a1 l), V/K^2 ~ (2/3) l, v6/K^3 ~ (16/15) l^2,"
                        " v8/K^4 ~ (96/35) l^3\n");
        }
        else
            fprintf(out, "\n");
        fprintf(out, "  K* > 0 critical points with C_b >= 0 on (0, 64]: %ld\n", (long) c->nroots);
    }
    neft_onen_crit_clear(c);
    return NEFT_EXIT_OK;
}

/* ---- tables ---------------------------------------------------------- */

/* A pull (measured - predicted)/stderr: with a zero stderr it is not a
   number, printed "n/a" (text) or null with the reason (JSON). */
static void
print_pull(FILE * out, double pull, int json)
{
    if (json && isfinite(pull))
        fprintf(out, ",\"pull\":%.6g}", pull);
    else if (json)
        fprintf(out, ",\"pull\":null,\"pull_why\":\"the standard error is 0\"}");
    else if (isfinite(pull))
        fprintf(out, "  %.3f\n", pull);
    else
        fprintf(out, "  n/a\n");
}


static void
ratio(arb_t res, const arb_t a, const arb_t b, slong k, slong prec)
{
    arb_pow_ui(res, b, k, prec);
    arb_div(res, a, res, prec);
}

static void
print_asymptotics(FILE * out, const neft_onen_layer_struct * L, slong depth, int json, slong prec)
{
    const char * names[4] = { "K", "V/K^2", "v6/K^3", "v8/K^4" };
    slong q, l, first = depth >= 4 ? depth - 3 : 1;
    double * y = flint_malloc(sizeof(double) * depth);
    arb_t t;
    arb_init(t);
    if (json)
        fprintf(out, ",\"asymptotics\":{");
    else
        fprintf(out, "large-depth fit (local power law y ~ c l^p from the last two layers):\n");
    for (q = 0; q < 4; q++)
    {
        double p, c;
        slong n = 0;
        for (l = first; l <= depth; l++)
        {
            if (q == 0)
                arb_set(t, L[l - 1].K);
            else
                ratio(t, q == 1 ? L[l - 1].V : q == 2 ? L[l - 1].v6 : L[l - 1].v8,
                      L[l - 1].K, q + 1, prec);
            y[n++] = arf_get_d(arb_midref(t), ARF_RND_NEAR);
        }
        neft_onen_power_fit(&p, &c, y, n, first);
        if (json)
        {
            fputs(q ? "," : "", out);
            neft_json_write_string(out, names[q]);
            fprintf(out, ":{\"exponent\":%.6g,\"coefficient\":%.6g}",
                    isfinite(p) ? p : 0.0, isfinite(c) ? c : 0.0);
        }
        else
            fprintf(out, "  %-7s p = %-10.6g c = %.6g\n", names[q], p, c);
    }
    if (json)
        fprintf(out, "}");
    flint_free(y);
    arb_clear(t);
}

static void
print_layers(FILE * out, const neft_onen_layer_struct * L, const neft_onen_exact_struct * E,
             slong depth, int json, slong prec)
{
    slong l;
    arb_t t;
    arb_init(t);
    if (json)
    {
        fprintf(out, "\"layers\":[");
        for (l = 0; l < depth; l++)
        {
            fprintf(out, "%s{\"layer\":%ld", l ? "," : "", (long) L[l].layer);
            if (L[l].width)
                fprintf(out, ",\"width\":%ld", (long) L[l].width);
            fprintf(out, ",\"K\":"); print_ball_json(out, L[l].K);
            fprintf(out, ",\"chi_par\":"); print_ball_json(out, L[l].chi_par);
            fprintf(out, ",\"chi_perp\":"); print_ball_json(out, L[l].chi_perp);
            fprintf(out, ",\"V\":"); print_ball_json(out, L[l].V);
            ratio(t, L[l].V, L[l].K, 2, prec);
            fprintf(out, ",\"V_over_K2\":"); print_ball_json(out, t);
            fprintf(out, ",\"G1\":"); print_ball_json(out, L[l].G1);
            fprintf(out, ",\"v6\":"); print_ball_json(out, L[l].v6);
            fprintf(out, ",\"v8\":"); print_ball_json(out, L[l].v8);
            if (E != NULL)
            {
                fprintf(out, ",\"exact\":{\"K\":\"");
                fmpq_fprint(out, E[l].K);
                fprintf(out, "\",\"chi_par\":\""); fmpq_fprint(out, E[l].chi_par);
                fprintf(out, "\",\"chi_perp\":\""); fmpq_fprint(out, E[l].chi_perp);
                fprintf(out, "\",\"V\":\""); fmpq_fprint(out, E[l].V);
                fprintf(out, "\",\"G1\":\""); fmpq_fprint(out, E[l].G1);
                fprintf(out, "\",\"v6\":\""); fmpq_fprint(out, E[l].v6);
                fprintf(out, "\",\"v8\":\""); fmpq_fprint(out, E[l].v8);
                fprintf(out, "\"}");
            }
            fprintf(out, "}");
        }
        fprintf(out, "]");
    }
    else if (E != NULL)
    {
        fprintf(out, "%5s  %-14s %-8s %-8s %-14s %-14s %-10s %-16s %s\n", "layer", "K", "chi_par",
                "chi_perp", "V", "V/K^2", "G1", "v6", "v8");
        for (l = 0; l < depth; l++)
        {
            fmpq_t r;
            fmpq_init(r);
            fprintf(out, "%5ld  ", (long) L[l].layer);
            fmpq_fprint(out, E[l].K); fputs("  ", out);
            fmpq_fprint(out, E[l].chi_par); fputs("  ", out);
            fmpq_fprint(out, E[l].chi_perp); fputs("  ", out);
            fmpq_fprint(out, E[l].V); fputs("  ", out);
            fmpq_mul(r, E[l].K, E[l].K);
            if (!fmpq_is_zero(r))
                fmpq_div(r, E[l].V, r);
            fmpq_fprint(out, r); fputs("  ", out);
            fmpq_fprint(out, E[l].G1); fputs("  ", out);
            fmpq_fprint(out, E[l].v6); fputs("  ", out);
            fmpq_fprint(out, E[l].v8); fputs("\n", out);
            fmpq_clear(r);
        }
    }
    else
    {
        fprintf(out, "%5s  %-26s %-20s %-20s %-26s %-20s %-26s %-26s %s\n", "layer", "K", "chi_par",
                "chi_perp", "V", "V/K^2", "G1", "v6", "v8");
        for (l = 0; l < depth; l++)
        {
            fprintf(out, "%5ld  ", (long) L[l].layer);
            print_ball_text(out, L[l].K, 12); fprintf(out, "  ");
            print_ball_text(out, L[l].chi_par, 8); fprintf(out, "  ");
            print_ball_text(out, L[l].chi_perp, 8); fprintf(out, "  ");
            print_ball_text(out, L[l].V, 12); fprintf(out, "  ");
            ratio(t, L[l].V, L[l].K, 2, prec);
            print_ball_text(out, t, 8); fprintf(out, "  ");
            print_ball_text(out, L[l].G1, 12); fprintf(out, "  ");
            print_ball_text(out, L[l].v6, 12); fprintf(out, "  ");
            print_ball_text(out, L[l].v8, 12); fprintf(out, "\n");
        }
    }
    arb_clear(t);
}

/* ---- --at ----------------------------------------------------------- */

/* Parses "x1;x2;.." (coordinates separated by ','); returns number of points
   or -1.  *coords gets npoints*d_in rationals. */
static slong
parse_points(fmpq ** coords, slong * capp, const char * text, slong d_in)
{
    slong np = 0, nc = 0, cap = 0, dim;
    const char * p = text;
    char buf[256];
    *coords = NULL;
    for (;;)
    {
        dim = 0;
        for (;;)
        {
            size_t n = strcspn(p, ",;");
            if (n == 0 || n >= sizeof buf)
                goto bad;
            memcpy(buf, p, n);
            buf[n] = '\0';
            if (nc == cap)
            {
                slong i;
                cap = 2 * cap + 8;
                *coords = flint_realloc(*coords, cap * sizeof(fmpq));
                for (i = nc; i < cap; i++)
                    fmpq_init(*coords + i);
                *capp = cap;
            }
            if (parse_rational(*coords + nc, buf))
                goto bad;
            nc++;
            dim++;
            p += n;
            if (*p == ',')
            {
                p++;
                continue;
            }
            break;
        }
        if (dim != d_in)
            goto bad;
        np++;
        if (*p == ';')
        {
            p++;
            continue;
        }
        break;
    }
    return np;
bad:
    return -1;
}

/* The two-input four-point vertex (relu, leaky-relu, linear): text rows per
   layer over the pairs (00), (01), (11); JSON "vertex":[{"layer":l,"pairs":..,
   "V":[[..],..]}]. */
static void
print_vertex2(FILE * out, const neft_onen_params_t par, arb_srcptr x, slong d_in, int format)
{
    slong depth = par->depth, l, P, Q;
    arb_ptr K = _arb_vec_init(4 * depth), V = _arb_vec_init(9 * depth);
    if (neft_onen_vertex2(K, V, par, x, d_in))
    {
        if (format == FMT_TEXT)
            fprintf(out, "\n# four-point vertex: needs relu, leaky-relu or linear\n");
    }
    else
    {
        if (format == FMT_JSON)
            fprintf(out, ",\"vertex\":[");
        else
            fprintf(out, "\n# four-point vertex V^(l)_{(ab)(cd)} = lim n Cov(G_ab, G_cd);"
                    " E[z_a z_b z_c z_d]_c = (V_(ab)(cd) + V_(ac)(bd) + V_(ad)(bc))/n\n"
                    "# rows and columns: pairs (00) (01) (11)\n");
        for (l = 0; l < depth; l++)
        {
            if (format == FMT_JSON)
                fprintf(out, "%s{\"layer\":%ld,\"pairs\":[[0,0],[0,1],[1,1]],\"V\":[",
                        l ? "," : "", (long) (l + 1));
            else
                fprintf(out, "layer %ld\n", (long) (l + 1));
            for (P = 0; P < 3; P++)
            {
                if (format == FMT_JSON)
                    fprintf(out, "%s[", P ? "," : "");
                for (Q = 0; Q < 3; Q++)
                {
                    if (format == FMT_JSON)
                    {
                        fprintf(out, Q ? "," : "");
                        print_ball_json(out, V + 9 * l + 3 * P + Q);
                    }
                    else
                    {
                        fprintf(out, "  ");
                        print_ball_text(out, V + 9 * l + 3 * P + Q, 12);
                    }
                }
                fprintf(out, format == FMT_JSON ? "]" : "\n");
            }
            if (format == FMT_JSON)
                fprintf(out, "]}");
        }
        if (format == FMT_JSON)
            fprintf(out, "]");
    }
    _arb_vec_clear(K, 4 * depth);
    _arb_vec_clear(V, 9 * depth);
}

static int
run_compare(FILE * out, const char * file, neft_onen_params_t par, int format,
            const neft_cli_budget_t * budget, int flags)
{
    neft_onen_samples_t s;
    char err[512];
    slong a, b, prec = par->prec, n, depth = par->depth, k;
    arb_t t, pred, kk;
    arb_ptr x;
    int first = 1, status = NEFT_EXIT_OK;
    static const int dfact[5] = { 1, 1, 3, 15, 105 };

    neft_onen_samples_init(s);
    if (neft_onen_samples_read_flags(s, file, flags, err, sizeof err)
        || neft_onen_samples_check(s, par, par->widths[0], file, err, sizeof err))
    {
        /* a file of other networks is refused: its pulls would mean nothing */
        neft_cli_error("%s", err);
        neft_onen_samples_clear(s);
        return NEFT_EXIT_USAGE;
    }
    {
        /* the recursion at every input, the two-input vertex for two */
        double ops = 0, bytes = 0, o1, b1, o2 = 0, b2 = 0;
        char how[128];
        for (a = 0; a < s->npoints; a++)
        {
            /* K^(1) = C_b + C_W x.x / d_in */
            double xx = 0;
            for (b = 0; b < s->d_in; b++)
                xx += s->inputs[a * s->d_in + b] * s->inputs[a * s->d_in + b];
            neft_onen_single_cost(&o1, &b1, par, arf_get_d(arb_midref(par->cb), ARF_RND_UP)
                                  + arf_get_d(arb_midref(par->cw), ARF_RND_UP) * xx
                                    / (double) s->d_in);
            ops += o1;
            bytes = FLINT_MAX(bytes, b1);
        }
        if (s->npoints == 2)
            neft_onen_vertex2_cost(&o2, &b2, par, s->d_in);
        snprintf(how, sizeof(how), "%ld input%s x %ld layer%s of %s at %ld bits",
                 (long) s->npoints, s->npoints == 1 ? "" : "s", (long) depth,
                 depth == 1 ? "" : "s", neft_onen_act_name(par->act->kind), (long) prec);
        if (neft_cli_budget_check(budget, ops + o2, how,
                                  bytes + b2 + 200.0 * (double) s->ncorr, NULL))
        {
            neft_onen_samples_clear(s);
            return NEFT_EXIT_USAGE;
        }
    }
    n = par->widths[0];
    arb_init(t); arb_init(pred); arb_init(kk);
    x = _arb_vec_init(s->npoints * s->d_in);
    for (a = 0; a < s->npoints * s->d_in; a++)
        arb_set_d(x + a, s->inputs[a]);   /* the sampler's inputs, as written */
    if (format == FMT_JSON)
        fprintf(out, "{\"models\":%ld,\"width\":%ld,\"depth\":%ld,\"compare\":[",
                (long) s->models, (long) n, (long) depth);
    else
        fprintf(out, "# neft onen --compare-samples %s: %s, C_W, C_b as given, width %ld, depth %ld,"
                " %ld models\n# pull = (measured - predicted)/stderr\n"
                "%-4s %-12s %-28s %-40s %s\n", file, neft_onen_act_name(par->act->kind),
                (long) n, (long) depth, (long) s->models, "npt", "indices", "measured",
                "predicted", "pull");
    for (a = 0; a < s->npoints; a++)
    {
        neft_onen_layer_struct * L = neft_onen_layers_init(depth);
        arb_zero(kk);
        for (b = 0; b < s->d_in; b++)
            arb_addmul(kk, x + a * s->d_in + b, x + a * s->d_in + b, prec);
        arb_div_si(kk, kk, s->d_in, prec);
        arb_mul(kk, kk, par->cw, prec);
        arb_add(kk, kk, par->cb, prec);
        if (neft_onen_single(L, par, kk))
        {
            /* (the caller holds the output: nothing reaches stdout) */
            if (arb_is_zero(kk) && !arb_is_finite(L[0].chi_par))
            {
                neft_cli_error("%s: input %ld gives K^(1) = 0: the Gaussian integrals of %s need "
                               "K > 0 (K = 0 works for relu, leaky-relu, linear and sin)", file,
                               (long) a, neft_onen_act_name(par->act->kind));
                status = NEFT_EXIT_USAGE;
            }
            else
            {
                neft_cli_error("input %ld: the layers could not be certified (a non-finite "
                               "ball: an integral beyond its evaluation limit, or too few "
                               "bits: --prec %ld)", (long) a, (long) prec);
                status = NEFT_EXIT_FAILURE;
            }
            neft_onen_layers_clear(L, depth);
            goto done;
        }
        for (k = 1; k <= 4; k++)
        {
            slong idx[8], j;
            const neft_onen_measured_struct * m;
            double mean, se, pull;
            neft_onen_layer_struct * last = L + depth - 1;
            for (j = 0; j < 2 * k; j++)
                idx[j] = a;
            m = neft_onen_samples_find(s, 2 * k, idx);
            if (m == NULL)
                continue;
            /* E[z^2] = K + G1/n; E[z^{2k}]_c = (2k-1)!! v_{2k}/n^{k-1} */
            if (k == 1)
            {
                arb_div_si(t, last->G1, n, prec);
                arb_add(pred, last->K, t, prec);
                mean = m->full_mean; se = m->full_err;
            }
            else
            {
                arb_set(t, k == 2 ? last->V : k == 3 ? last->v6 : last->v8);
                arb_mul_si(t, t, dfact[k], prec);
                arb_set_si(pred, n);
                arb_pow_ui(pred, pred, k - 1, prec);
                arb_div(pred, t, pred, prec);
                mean = m->conn_mean; se = m->conn_err;
            }
            pull = se > 0 ? (mean - arf_get_d(arb_midref(pred), ARF_RND_NEAR)) / se : NAN;
            if (format == FMT_JSON)
            {
                fprintf(out, "%s{\"npt\":%ld,\"indices\":[", first ? "" : ",", (long) (2 * k));
                for (j = 0; j < 2 * k; j++)
                    fprintf(out, "%s%ld", j ? "," : "", (long) a);
                fprintf(out, "],\"measured\":{\"mean\":%.17g,\"stderr\":%.17g},\"predicted\":",
                        mean, se);
                print_ball_json(out, pred);
                print_pull(out, pull, 1);
            }
            else
            {
                char ib[64], mb[64];
                int off = 0;
                for (j = 0; j < 2 * k && off < 60; j++)
                    off += snprintf(ib + off, sizeof ib - off, "%s%ld", j ? "," : "", (long) a);
                snprintf(mb, sizeof mb, "%.8g +/- %.3g", mean, se);
                fprintf(out, "%-4ld %-12s %-28s ", (long) (2 * k), ib, mb);
                print_ball_text(out, pred, 10);
                print_pull(out, pull, 0);
            }
            first = 0;
        }
        neft_onen_layers_clear(L, depth);
    }
    if (s->npoints == 2)
    {
        /* mixed four-point tuples from the two-input vertex (relu, leaky, linear) */
        static const slong tuples[3][4] = { { 0, 0, 0, 1 }, { 0, 0, 1, 1 }, { 0, 1, 1, 1 } };
        arb_ptr K2 = _arb_vec_init(4 * depth), V2 = _arb_vec_init(9 * depth);
        if (neft_onen_vertex2(K2, V2, par, x, s->d_in) == 0)
            for (k = 0; k < 3; k++)
            {
                const slong * i = tuples[k];
                const neft_onen_measured_struct * m = neft_onen_samples_find(s, 4, i);
                arb_srcptr V = V2 + 9 * (depth - 1);
                double pull;
                if (m == NULL)
                    continue;
                /* pair (ab) -> a + b; (V_(i0i1)(i2i3) + V_(i0i2)(i1i3) + V_(i0i3)(i1i2))/n */
                arb_add(pred, V + 3 * (i[0] + i[1]) + i[2] + i[3],
                        V + 3 * (i[0] + i[2]) + i[1] + i[3], prec);
                arb_add(pred, pred, V + 3 * (i[0] + i[3]) + i[1] + i[2], prec);
                arb_div_si(pred, pred, n, prec);
                pull = m->conn_err > 0 ? (m->conn_mean
                        - arf_get_d(arb_midref(pred), ARF_RND_NEAR)) / m->conn_err : NAN;
                if (format == FMT_JSON)
                {
                    fprintf(out, "%s{\"npt\":4,\"indices\":[%ld,%ld,%ld,%ld],\"measured\":"
                            "{\"mean\":%.17g,\"stderr\":%.17g},\"predicted\":",
                            first ? "" : ",", (long) i[0], (long) i[1], (long) i[2],
                            (long) i[3], m->conn_mean, m->conn_err);
                    print_ball_json(out, pred);
                    print_pull(out, pull, 1);
                }
                else
                {
                    char ib[64], mb[64];
                    snprintf(ib, sizeof ib, "%ld,%ld,%ld,%ld", (long) i[0], (long) i[1],
                             (long) i[2], (long) i[3]);
                    snprintf(mb, sizeof mb, "%.8g +/- %.3g", m->conn_mean, m->conn_err);
                    fprintf(out, "%-4d %-12s %-28s ", 4, ib, mb);
                    print_ball_text(out, pred, 10);
                    print_pull(out, pull, 0);
                }
                first = 0;
            }
        _arb_vec_clear(K2, 4 * depth);
        _arb_vec_clear(V2, 9 * depth);
    }
    if (format == FMT_JSON)
        fprintf(out, "]}\n");
done:
    _arb_vec_clear(x, s->npoints * s->d_in);
    arb_clear(t); arb_clear(pred); arb_clear(kk);
    neft_onen_samples_clear(s);
    return status;
}

/* K^(1) = C_b + C_W x.x / d_in of one input (d_in coordinates). */
static void
point_k1(fmpq_t k1, const fmpq * x, slong d_in, const fmpq_t cw, const fmpq_t cb)
{
    slong j;
    fmpq_t t;
    fmpq_init(t);
    fmpq_zero(k1);
    for (j = 0; j < d_in; j++)
    {
        fmpq_mul(t, x + j, x + j);
        fmpq_add(k1, k1, t);
    }
    fmpq_div_fmpz(k1, k1, (fmpz_t) { d_in });
    fmpq_mul(k1, k1, cw);
    fmpq_add(k1, k1, cb);
    fmpq_clear(t);
}

/* The estimate of a run at npoints inputs (coords, or the single k1 when
   coords is NULL): the recursion in balls at every input, in exact
   rationals for the scale-invariant activations, the kernel matrix (and
   the two-input vertex) for several inputs, and the output held in memory
   until the end.  0, or -1 after the refusal. */
static int
budget_check(const neft_cli_budget_t * budget, const neft_onen_params_t par, const fmpq_t cw,
             const fmpq_t cb, const fmpq_t k1, const fmpq * coords, slong npoints, slong d_in,
             int format)
{
    double ops, bytes, o, b, bits, maxbits = 0, exact_bytes = 0, text;
    char how[192];
    slong a, depth = par->depth, P = npoints;
    fmpq_t q;

    ops = bytes = 0;
    fmpq_init(q);
    for (a = 0; a < P; a++)
    {
        if (coords != NULL)
            point_k1(q, coords + a * d_in, d_in, cw, cb);
        else
            fmpq_set(q, k1);
        neft_onen_single_cost(&o, &b, par, fmpq_get_d(q));
        ops += o;
        bytes = FLINT_MAX(bytes, b);
        neft_onen_single_exact_cost(&o, &b, &bits, par->act, cw, cb, q, depth, par->widths);
        ops += o;
        exact_bytes = FLINT_MAX(exact_bytes, b);
        maxbits = FLINT_MAX(maxbits, bits);
        /* the printed tables: about 40 characters per ball, 2.5 digits per
           stored byte of the rationals */
        text = (double) depth * (format == FMT_JSON ? 700 : 400) + 2.5 * b;
        bytes += text;
    }
    fmpq_clear(q);
    bytes += exact_bytes;
    if (P > 1)
    {
        neft_onen_kernel_matrix_cost(&o, &b, par, P, d_in);
        ops += o;
        bytes += b + (double) depth * (double) P * (double) P * 80;
        if (P == 2)
        {
            neft_onen_vertex2_cost(&o, &b, par, d_in);
            ops += o;
            bytes += b + (double) depth * 800;
        }
    }
    if (maxbits > 0)
        snprintf(how, sizeof(how), "%ld input%s x %ld layer%s of %s at %ld bits, exact "
                 "rationals of up to %.3g bits", (long) P, P == 1 ? "" : "s", (long) depth,
                 depth == 1 ? "" : "s", neft_onen_act_name(par->act->kind), (long) par->prec,
                 maxbits);
    else
        snprintf(how, sizeof(how), "%ld input%s x %ld layer%s of %s at %ld bits", (long) P,
                 P == 1 ? "" : "s", (long) depth, depth == 1 ? "" : "s",
                 neft_onen_act_name(par->act->kind), (long) par->prec);
    return neft_cli_budget_check(budget, ops, how, bytes, "the output is held until the end");
}

int
neft_cli_onen(int argc, char ** argv)
{
    const char * act_name = NULL, * at = NULL, * widths_text = NULL, * compare = NULL;
    const char * slope_text = NULL, * cw_text = NULL, * cb_text = NULL, * k1_text = NULL;
    slong depth = -1, d_in = -1, width = -1, prec = 128, npoints = 0, ncap = 0, l, a;
    int format = FMT_TEXT, formulas = 0, critical = 0, ignore_digest = 0, i, status = NEFT_EXIT_OK;
    neft_onen_params_t par;
    fmpq_t cw, cb, k1;
    fmpq * coords = NULL;
    neft_cli_budget_t budget;
    neft_cli_out_t held;
    FILE * out;

    neft_cli_budget_init(&budget, NEFT_CLI_WORK_DEFAULT);
    held.fp = NULL;
    neft_cli_seen_t seen = NEFT_CLI_SEEN_INIT;  /* an option given twice is refused */
    for (i = 1; i < argc; i++)
    {
        const char * o = argv[i], * v;
        if (neft_cli_once(&seen, argv[i]))
            return NEFT_EXIT_USAGE;
        if (!strcmp(o, "--help") || !strcmp(o, "-h"))
        {
            fputs(usage, stdout);
            return NEFT_EXIT_OK;
        }
        if (!strcmp(o, "--formulas")) { formulas = 1; continue; }
        if (!strcmp(o, "--critical")) { critical = 1; continue; }
        if (!strcmp(o, "--ignore-digest")) { ignore_digest = 1; continue; }
        if (strncmp(o, "--", 2))
        {
            neft_cli_error("unexpected argument '%s' (see neft onen --help)", o);
            return NEFT_EXIT_USAGE;
        }
        if ((status = neft_cli_budget_option(&budget, argc, argv, &i)) != 0)
        {
            if (status < 0)
                return NEFT_EXIT_USAGE;
            status = NEFT_EXIT_OK;
            continue;
        }
        if (!(v = neft_cli_value(argc, argv, &i)))
            return NEFT_EXIT_USAGE;
        if (!strcmp(o, "--activation")) act_name = v;
        else if (!strcmp(o, "--slope")) slope_text = v;
        else if (!strcmp(o, "--cw")) cw_text = v;
        else if (!strcmp(o, "--cb")) cb_text = v;
        else if (!strcmp(o, "--k1")) k1_text = v;
        else if (!strcmp(o, "--at")) at = v;
        else if (!strcmp(o, "--widths")) widths_text = v;
        else if (!strcmp(o, "--compare-samples")) compare = v;
        else if (!strcmp(o, "--depth"))
        {
            if (neft_cli_parse_slong(&depth, v, o, 1, 100000)) return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(o, "--d-in"))
        {
            if (neft_cli_parse_slong(&d_in, v, o, 1, 1000000)) return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(o, "--width"))
        {
            if (neft_cli_parse_slong(&width, v, o, 1, WORD_MAX / 4)) return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(o, "--prec"))
        {
            if (neft_cli_parse_slong(&prec, v, o, 16, 10000)) return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(o, "--format"))
        {
            if (!strcmp(v, "text")) format = FMT_TEXT;
            else if (!strcmp(v, "json")) format = FMT_JSON;
            else if (!strcmp(v, "latex")) format = FMT_LATEX;
            else
            {
                neft_cli_error("unknown format '%s' (expected text, json or latex)", v);
                return NEFT_EXIT_USAGE;
            }
        }
        else
        {
            neft_cli_error("unknown option '%s' for onen (see neft onen --help)", o);
            return NEFT_EXIT_USAGE;
        }
    }
    if (formulas)
    {
        if (format == FMT_JSON)
        {
            neft_cli_error("--formulas prints text or latex, not json");
            return NEFT_EXIT_USAGE;
        }
        return neft_onen_formulas(stdout, format == FMT_LATEX ? NEFT_ONEN_FORMULA_LATEX
                                  : NEFT_ONEN_FORMULA_TEXT) ? NEFT_EXIT_FAILURE : NEFT_EXIT_OK;
    }
    if (format == FMT_LATEX)
    {
        neft_cli_error("--format latex is for --formulas only");
        return NEFT_EXIT_USAGE;
    }
    neft_onen_params_init(par);
    fmpq_init(cw); fmpq_init(cb); fmpq_init(k1);
    par->prec = prec;
    /* everything below is printed only when the whole run succeeded */
    if ((out = neft_cli_out_open(&held)) == NULL)
    {
        status = NEFT_EXIT_FAILURE;
        goto done;
    }
    if (act_name == NULL)
    {
        neft_cli_error("--activation is required (relu, leaky-relu, linear, tanh, erf, gelu, silu, sigmoid, sin)");
        status = NEFT_EXIT_USAGE;
        goto done;
    }
    if (neft_onen_act_lookup(par->act, act_name))
    {
        neft_cli_error("unknown activation '%s' (expected relu, leaky-relu, linear, tanh, erf, gelu, silu, sigmoid or sin)", act_name);
        status = NEFT_EXIT_USAGE;
        goto done;
    }
    if (slope_text != NULL)
    {
        if (par->act->kind != NEFT_ONEN_LEAKY || parse_rational(par->act->slope, slope_text))
        {
            neft_cli_error("--slope expects a rational number and --activation leaky-relu, got '%s'", slope_text);
            status = NEFT_EXIT_USAGE;
            goto done;
        }
    }
    if (critical)
    {
        status = run_critical(out, par->act, format, prec);
        goto done;
    }
    if (cw_text == NULL || cb_text == NULL || depth < 0)
    {
        neft_cli_error("--cw, --cb and --depth are required (see neft onen --help)");
        status = NEFT_EXIT_USAGE;
        goto done;
    }
    if (parse_rational(cw, cw_text) || fmpq_sgn(cw) <= 0)
    {
        neft_cli_error("--cw expects a positive number, got '%s'", cw_text);
        status = NEFT_EXIT_USAGE;
        goto done;
    }
    if (parse_rational(cb, cb_text) || fmpq_sgn(cb) < 0)
    {
        neft_cli_error("--cb expects a non-negative number, got '%s'", cb_text);
        status = NEFT_EXIT_USAGE;
        goto done;
    }
    arb_set_fmpq(par->cw, cw, prec);
    arb_set_fmpq(par->cb, cb, prec);
    par->depth = depth;
    if (width > 0 && widths_text != NULL)
    {
        neft_cli_error("give --width or --widths, not both");
        status = NEFT_EXIT_USAGE;
        goto done;
    }
    if (width > 0 || widths_text != NULL)
    {
        par->widths = flint_malloc(sizeof(slong) * (depth + 1));
        for (l = 0; l <= depth; l++)
            par->widths[l] = width;
        if (widths_text != NULL)
        {
            const char * p = widths_text;
            char buf[32];
            for (l = 0; l < depth - 1 || (depth == 1 && l == 0); l++)
            {
                size_t n = strcspn(p, ",");
                if (n == 0 || n >= sizeof buf)
                    break;
                memcpy(buf, p, n);
                buf[n] = '\0';
                if (neft_cli_parse_slong(par->widths + l, buf, "--widths", 1, WORD_MAX / 4))
                {
                    status = NEFT_EXIT_USAGE;
                    goto done;
                }
                p += n;
                if (*p == ',')
                    p++;
            }
            if (depth > 1 && (l != depth - 1 || *p != '\0'))
            {
                neft_cli_error("--widths expects %ld comma-separated hidden widths n_1..n_{L-1}", (long) (depth - 1));
                status = NEFT_EXIT_USAGE;
                goto done;
            }
        }
    }
    if (compare != NULL)
    {
        if (width <= 0)
        {
            neft_cli_error("--compare-samples needs --width n (the sampled networks' width)");
            status = NEFT_EXIT_USAGE;
            goto done;
        }
        status = run_compare(out, compare, par, format, &budget,
                             ignore_digest ? NEFT_JSON_IGNORE_DIGEST : 0);
        goto done;
    }
    if ((k1_text != NULL) == (at != NULL))
    {
        neft_cli_error("give exactly one of --k1 K and --at \"x1;..\" (with --d-in D)");
        status = NEFT_EXIT_USAGE;
        goto done;
    }
    if (k1_text != NULL)
    {
        if (parse_rational(k1, k1_text) || fmpq_sgn(k1) < 0)
        {
            neft_cli_error("--k1 expects a non-negative number, got '%s'", k1_text);
            status = NEFT_EXIT_USAGE;
            goto done;
        }
        npoints = 1;
    }
    else
    {
        if (d_in < 0)
        {
            neft_cli_error("--at needs --d-in D");
            status = NEFT_EXIT_USAGE;
            goto done;
        }
        npoints = parse_points(&coords, &ncap, at, d_in);
        if (npoints < 0)
        {
            neft_cli_error("--at expects points \"x1;x2;..\" of %ld comma-separated numbers each, got '%s'", (long) d_in, at);
            status = NEFT_EXIT_USAGE;
            goto done;
        }
    }

    if (budget_check(&budget, par, cw, cb, k1, coords, npoints, d_in, format))
    {
        status = NEFT_EXIT_USAGE;
        goto done;
    }
    if (format == FMT_JSON)
    {
        fputs("{\"activation\":", out);
        neft_json_write_string(out, act_name);
        fputs(",\"cw\":\"", out);
    }
    else
        fprintf(out, "# neft onen: activation %s, C_W = ", act_name);
    fmpq_fprint(out, cw);
    fprintf(out, format == FMT_JSON ? "\",\"cb\":\"" : ", C_b = ");
    fmpq_fprint(out, cb);
    fprintf(out, format == FMT_JSON ? "\",\"depth\":%ld," : ", depth %ld\n", (long) depth);
    if (format == FMT_TEXT)
        fprintf(out, "# E[z^2] = K + G1/n, E[z^4]_c = 3 V/n, E[z^6]_c = 15 v6/n^2,"
                " E[z^8]_c = 105 v8/n^3 (docs/onen.md)\n");

    for (a = 0; a < npoints; a++)
    {
        neft_onen_layer_struct * L = neft_onen_layers_init(depth);
        neft_onen_exact_struct * E = NULL;
        if (coords != NULL)
            point_k1(k1, coords + a * d_in, d_in, cw, cb);
        {
            arb_t kk;
            arb_init(kk);
            arb_set_fmpq(kk, k1, prec);
            if (neft_onen_single(L, par, kk) && status == NEFT_EXIT_OK)
            {
                if (arb_is_zero(kk) && !arb_is_finite(L[0].chi_par))
                {
                    /* bad input, not a failure (found by fuzz-cli) */
                    neft_cli_error("input %ld gives K^(1) = 0: the Gaussian integrals of %s need "
                                   "K > 0 (K = 0 works for relu, leaky-relu, linear and sin)",
                                   (long) a, act_name);
                    status = NEFT_EXIT_USAGE;
                }
                else
                {
                    neft_cli_error("input %ld: the layers could not be certified (a non-finite "
                                   "ball: an integral beyond its evaluation limit, or too few "
                                   "bits: --prec %ld)", (long) a, (long) prec);
                    status = NEFT_EXIT_FAILURE;
                }
            }
            arb_clear(kk);
        }
        if (neft_onen_act_is_scale_invariant(par->act))
        {
            E = neft_onen_exact_init(depth);
            neft_onen_single_exact(E, par->act, cw, cb, k1, depth, par->widths);
        }
        if (format == FMT_JSON)
        {
            if (npoints > 1)
                fprintf(out, "%s\"point%ld\":{", a ? "," : "", (long) a);
            print_layers(out, L, E, depth, 1, prec);
            if (depth >= 3)
                print_asymptotics(out, L, depth, 1, prec);
            if (npoints > 1)
                fprintf(out, "}");
        }
        else
        {
            if (npoints > 1)
                fprintf(out, "\n# input %ld\n", (long) a);
            print_layers(out, L, E, depth, 0, prec);
            if (depth >= 3)
                print_asymptotics(out, L, depth, 0, prec);
        }
        if (E)
            neft_onen_exact_clear(E, depth);
        neft_onen_layers_clear(L, depth);
    }
    if (npoints > 1)
    {
        arb_ptr x = _arb_vec_init(npoints * d_in);
        arb_ptr K = _arb_vec_init(depth * npoints * npoints);
        slong b;
        for (a = 0; a < npoints * d_in; a++)
            arb_set_fmpq(x + a, coords + a, prec);
        if (neft_onen_kernel_matrix(K, par, x, npoints, d_in))
        {
            if (format == FMT_TEXT)
                fprintf(out, "\n# kernel matrix: needs relu, leaky-relu, linear, erf or sin\n");
        }
        else
        {
            if (format == FMT_JSON)
                fprintf(out, ",\"kernel\":[");
            else
                fprintf(out, "\n# kernel matrix K^(l)_{ab}\n");
            for (l = 0; l < depth; l++)
            {
                if (format == FMT_JSON)
                    fprintf(out, "%s{\"layer\":%ld,\"K\":[", l ? "," : "", (long) (l + 1));
                else
                    fprintf(out, "layer %ld\n", (long) (l + 1));
                for (a = 0; a < npoints; a++)
                {
                    if (format == FMT_JSON)
                        fprintf(out, "%s[", a ? "," : "");
                    for (b = 0; b < npoints; b++)
                    {
                        if (format == FMT_JSON)
                        {
                            fprintf(out, b ? "," : "");
                            print_ball_json(out, K + l * npoints * npoints + a * npoints + b);
                        }
                        else
                        {
                            fprintf(out, "  ");
                            print_ball_text(out, K + l * npoints * npoints + a * npoints + b, 12);
                        }
                    }
                    fprintf(out, format == FMT_JSON ? "]" : "\n");
                }
                if (format == FMT_JSON)
                    fprintf(out, "]}");
            }
            if (format == FMT_JSON)
                fprintf(out, "]");
        }
        if (npoints == 2)
            print_vertex2(out, par, x, d_in, format);
        _arb_vec_clear(x, npoints * d_in);
        _arb_vec_clear(K, depth * npoints * npoints);
    }
    if (format == FMT_JSON)
        fprintf(out, "}\n");
done:
    if (neft_cli_out_close(&held, status == NEFT_EXIT_OK) && status == NEFT_EXIT_OK)
        status = NEFT_EXIT_FAILURE;
    if (coords != NULL)
    {
        for (a = 0; a < ncap; a++)
            fmpq_clear(coords + a);
        flint_free(coords);
    }
    flint_free(par->widths);
    par->widths = NULL;
    neft_onen_params_clear(par);
    fmpq_clear(cw); fmpq_clear(cb); fmpq_clear(k1);
    return status;
}
