/* Results of several sampling runs combined into one (neft/merge.h,
   docs/cmd-merge.md). */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/act.h"
#include "neft/json.h"
#include "neft/merge.h"
#include "neft/sample.h"

/* The members that describe the configuration (equal in every run; a row's
   user parameter such as leaky-relu's "slope" is added by name), and those
   of one run (combined).  Other members are neither compared nor kept. */
static const char * const config_keys[] = {
    "inputs", "activation", "d_in", "depth", "width", "widths", "sw", "sb", "cw", "cb",
    "estimator"};

/* Structural equality of two JSON values (numbers by their text). */
static int
json_equal(const neft_json_struct * a, const neft_json_struct * b)
{
    slong i;
    if (a == NULL || b == NULL)
        return a == b;
    if (a->type != b->type)
        return 0;
    switch (a->type)
    {
        case NEFT_JSON_NUMBER:
            return a->num == b->num;
        case NEFT_JSON_STRING:
            return !strcmp(a->str, b->str);
        case NEFT_JSON_ARRAY:
        case NEFT_JSON_OBJECT:
            if (a->len != b->len)
                return 0;
            for (i = 0; i < a->len; i++)
                if ((a->type == NEFT_JSON_OBJECT && strcmp(a->keys[i], b->keys[i]))
                    || !json_equal(a->items + i, b->items + i))
                    return 0;
            return 1;
        default:
            return 1;
    }
}

/* A value as JSON (numbers as their source text). */
static void
json_write(FILE * out, const neft_json_struct * v)
{
    slong i;
    switch (v->type)
    {
        case NEFT_JSON_NULL: fputs("null", out); break;
        case NEFT_JSON_FALSE: fputs("false", out); break;
        case NEFT_JSON_TRUE: fputs("true", out); break;
        case NEFT_JSON_NUMBER: fputs(v->str, out); break;
        case NEFT_JSON_STRING: neft_json_write_string(out, v->str); break;
        case NEFT_JSON_ARRAY:
            fputc('[', out);
            for (i = 0; i < v->len; i++)
            {
                if (i)
                    fputs(", ", out);
                json_write(out, v->items + i);
            }
            fputc(']', out);
            break;
        case NEFT_JSON_OBJECT:
            fputc('{', out);
            for (i = 0; i < v->len; i++)
            {
                if (i)
                    fputs(", ", out);
                neft_json_write_string(out, v->keys[i]);
                fputs(": ", out);
                json_write(out, v->items + i);
            }
            fputc('}', out);
            break;
    }
}

/* The seeds of a result: "seed" (one run) or "seeds" (a merge), appended to
   seeds[*ns..]; 0, or -1 when neither is a list of integers. */
static int
get_seeds(slong ** seeds, slong * ns, const neft_json_struct * v)
{
    const neft_json_struct * one = neft_json_get(v, "seed"), * many = neft_json_get(v, "seeds");
    slong i, k = many != NULL && many->type == NEFT_JSON_ARRAY ? many->len : 1, s;
    if ((one == NULL) == (many == NULL) || (many != NULL && many->type != NEFT_JSON_ARRAY)
        || k < 1)
        return -1;
    *seeds = flint_realloc(*seeds, sizeof(slong) * (size_t) (*ns + k));
    for (i = 0; i < k; i++)
    {
        if (!neft_json_integer(&s, one != NULL ? one : many->items + i, 0, 9.2e18))
            return -1;
        (*seeds)[(*ns)++] = s;
    }
    return 0;
}

/* The estimate {mean, stderr} of member `which` of correlator c. */
static int
get_estimate(double * m, double * s, const neft_json_struct * c, const char * which)
{
    const neft_json_struct * e = neft_json_get(c, which), * mm, * ss;
    mm = neft_json_get(e, "mean");
    ss = neft_json_get(e, "stderr");
    if (mm == NULL || ss == NULL || mm->type != NEFT_JSON_NUMBER || ss->type != NEFT_JSON_NUMBER)
        return -1;
    *m = mm->num;
    *s = ss->num;
    return 0;
}

/* The tail sums of member "full" of correlator c (sum_p, sum_abs_p, sum_p2,
   sum_p4); 0, or -1 when they are missing or not numbers (a result of an
   older neft, or one that did not know them). */
static int
get_sums(double * S, const neft_json_struct * c)
{
    static const char * const names[4] = {"sum_p", "sum_abs_p", "sum_p2", "sum_p4"};
    const neft_json_struct * e = neft_json_get(c, "full"), * x;
    slong j;
    for (j = 0; j < 4; j++)
    {
        x = neft_json_get(e, names[j]);
        if (x == NULL || x->type != NEFT_JSON_NUMBER || !isfinite(x->num))
            return -1;
        S[j] = x->num;
    }
    return 0;
}

/* The flags of member `which` of correlator c (names of neft_sample_flag_name;
   unknown names and a missing list: NEFT_SAMPLE_FLAG_UNKNOWN). */
static unsigned
get_flags(const neft_json_struct * c, const char * which)
{
    const neft_json_struct * f = neft_json_get(neft_json_get(c, which), "flags");
    unsigned flags = 0, bit;
    slong i;
    if (f == NULL || f->type != NEFT_JSON_ARRAY)
        return NEFT_SAMPLE_FLAG_UNKNOWN;
    for (i = 0; i < f->len; i++)
    {
        unsigned found = 0;
        for (bit = 1; bit <= NEFT_SAMPLE_FLAG_UNKNOWN; bit <<= 1)
            if (f->items[i].type == NEFT_JSON_STRING
                && !strcmp(f->items[i].str, neft_sample_flag_name(bit)))
                found = bit;
        flags |= found ? found : NEFT_SAMPLE_FLAG_UNKNOWN;
    }
    return flags;
}

/* A correlator's tuple, for finding sub-tuples. */
typedef struct
{
    slong npt, idx[NEFT_JSON_MAX_NPT], t;
}
tuple_struct;

static int
tuple_cmp(const void * a, const void * b)
{
    const tuple_struct * x = a, * y = b;
    slong k;
    if (x->npt != y->npt)
        return x->npt < y->npt ? -1 : 1;
    for (k = 0; k < x->npt; k++)
        if (x->idx[k] != y->idx[k])
            return x->idx[k] < y->idx[k] ? -1 : 1;
    return 0;
}

/* The flags of a connected correlator as neft sample sets them: those of
   every full moment it is made of (every non-empty even sub-tuple, the
   blocks of its even partitions), from fflags[] of the merged file; -1
   (as unsigned) when one of them is not in the file. */
static unsigned
connected_flags(const tuple_struct * tup, const tuple_struct * sorted, slong ncorr,
                const unsigned * fflags)
{
    unsigned flags = 0, mask;
    for (mask = 1; mask < (1u << tup->npt); mask++)
    {
        tuple_struct key, * hit;
        slong k;
        key.npt = 0;
        for (k = 0; k < tup->npt; k++)
            if (mask & (1u << k))
                key.idx[key.npt++] = tup->idx[k];
        if (key.npt % 2)
            continue;
        hit = bsearch(&key, sorted, (size_t) ncorr, sizeof(tuple_struct), tuple_cmp);
        if (hit == NULL)
            return (unsigned) -1;
        flags |= fflags[hit->t];
    }
    return flags;
}

int
neft_merge_results(FILE * dest, const char * const * paths, slong n, char * err,
                   size_t errsize)
{
    neft_json_struct * v = flint_calloc((size_t) FLINT_MAX(n, 1), sizeof(neft_json_struct));
    slong * seeds = NULL, * models = flint_calloc((size_t) FLINT_MAX(n, 1), sizeof(slong));
    slong ns = 0, i, j, k, t, ncorr = 0, batches = 0;
    const char * keys[sizeof(config_keys) / sizeof(config_keys[0]) + 1];
    slong nkeys = 0;
    int status = NEFT_BAD_INPUT;
    double N = 0;
    neft_json_held_t held;
    FILE * out = NULL;

    for (i = 0; i < n; i++)
        neft_json_init(v + i);
    for (i = 0; i < n; i++)
    {
        const neft_json_struct * st, * corr, * a;
        slong b;
        if (!neft_json_read_correlators(v + i, paths[i], 0, err, errsize))
            goto out;
        st = neft_json_get(v + i, "stderr");
        corr = neft_json_get(v + i, "correlators");
        if (st == NULL || st->type != NEFT_JSON_STRING
            || strncmp(st->str, "delete-one-batch jackknife", 26)
            || !neft_json_integer(models + i, neft_json_get(v + i, "models"), 1, 9.2e18)
            || !neft_json_integer(&b, neft_json_get(v + i, "batches"), 1, 9.2e18)
            || get_seeds(&seeds, &ns, v + i) != 0)
        {
            snprintf(err, errsize, "%s: not a result of neft sample (expected the members "
                     "models, seed, batches and stderr of docs/cmd-sample.md)", paths[i]);
            goto out;
        }
        batches += b;
        N += (double) models[i];
        for (k = 0; k < corr->len; k++)
        {
            double m, s;
            if (get_estimate(&m, &s, corr->items + k, "full")
                || get_estimate(&m, &s, corr->items + k, "connected"))
            {
                snprintf(err, errsize, "%s:%ld: correlator %ld: expected full and connected "
                         "{\"mean\", \"stderr\"} (a sampled estimate)", paths[i],
                         (long) corr->items[k].line, (long) k);
                goto out;
            }
        }
        if (i == 0)
        {
            /* the configuration members, with the activation's parameter */
            neft_act_srcptr act;
            ncorr = corr->len;
            for (k = 0; k < (slong) (sizeof(config_keys) / sizeof(config_keys[0])); k++)
                keys[nkeys++] = config_keys[k];
            a = neft_json_get(v, "activation");
            act = a != NULL && a->type == NEFT_JSON_STRING ? neft_act_lookup(a->str) : NULL;
            if (act != NULL && act->param_default != NULL)
                keys[nkeys++] = act->param_name;
            continue;
        }
        for (k = 0; k < nkeys; k++)
            if (!json_equal(neft_json_get(v, keys[k]), neft_json_get(v + i, keys[k])))
            {
                snprintf(err, errsize, "%s: a different configuration from %s (member \"%s\" "
                         "differs); only runs of one configuration merge", paths[i], paths[0],
                         keys[k]);
                goto out;
            }
        if (corr->len != ncorr)
        {
            snprintf(err, errsize, "%s: a different configuration from %s (%ld correlators, "
                     "not %ld: other --npt); only runs of one configuration merge", paths[i],
                     paths[0], (long) corr->len, (long) ncorr);
            goto out;
        }
        for (k = 0; k < ncorr; k++)
        {
            const neft_json_struct * c0 = neft_json_get(v, "correlators")->items + k;
            if (!json_equal(neft_json_get(c0, "npt"), neft_json_get(corr->items + k, "npt"))
                || !json_equal(neft_json_get(c0, "indices"),
                               neft_json_get(corr->items + k, "indices")))
            {
                snprintf(err, errsize, "%s:%ld: correlator %ld is not that of %s (other "
                         "--npt); only runs of one configuration merge", paths[i],
                         (long) corr->items[k].line, (long) k, paths[0]);
                goto out;
            }
        }
    }
    for (i = 0; i < ns; i++)
        for (j = 0; j < i; j++)
            if (seeds[i] == seeds[j])
            {
                snprintf(err, errsize, "seed %ld comes twice: runs with one seed draw the same "
                         "nets and are not independent; merge runs of different --seed",
                         (long) seeds[i]);
                goto out;
            }

    status = NEFT_FAILURE;
    out = neft_json_held_open(&held);
    if (out == NULL)
    {
        snprintf(err, errsize, "out of memory");
        goto out;
    }
    /* per correlator: the combined estimates, the tail diagnostics from the
       summed tail sums (those of one run over all the models), the flags */
    {
        neft_sample_estimate_struct * est = flint_calloc((size_t) (2 * ncorr + 1),
                                                         sizeof(neft_sample_estimate_struct));
        neft_sample_tails_struct * tails = flint_calloc((size_t) ncorr + 1,
                                                        sizeof(neft_sample_tails_struct));
        unsigned * fflags = flint_calloc((size_t) ncorr + 1, sizeof(unsigned));
        tuple_struct * tup = flint_calloc((size_t) ncorr + 1, sizeof(tuple_struct));
        tuple_struct * sorted = flint_calloc((size_t) ncorr + 1, sizeof(tuple_struct));
        slong unreliable = 0;
        for (t = 0; t < ncorr; t++)
        {
            const neft_json_struct * c0 = neft_json_get(v, "correlators")->items + t;
            const neft_json_struct * ind = neft_json_get(c0, "indices");
            double S[4] = {0, 0, 0, 0}, Si[4];
            int missing = 0;
            neft_json_integer(&tup[t].npt, neft_json_get(c0, "npt"), 1, NEFT_JSON_MAX_NPT);
            for (k = 0; k < tup[t].npt; k++)
                neft_json_integer(tup[t].idx + k, ind->items + k, 0, 9.2e18);
            tup[t].t = t;
            for (j = 0; j < 2; j++)
            {
                const char * which = j ? "connected" : "full";
                double sm = 0, ss = 0, m, sd;
                for (i = 0; i < n; i++)
                {
                    double w = (double) models[i] / N;
                    get_estimate(&m, &sd, neft_json_get(v + i, "correlators")->items + t, which);
                    sm += (double) models[i] * m;
                    ss += w * w * sd * sd;
                }
                est[2 * t + j].mean = sm / N;
                est[2 * t + j].stderr_ = sqrt(ss);
            }
            for (i = 0; i < n && !missing; i++)
            {
                missing = get_sums(Si, neft_json_get(v + i, "correlators")->items + t) != 0;
                for (k = 0; k < 4 && !missing; k++)
                    S[k] += Si[k];
            }
            fflags[t] = neft_sample_tails(tails + t, S[0], S[1], S[2], S[3], (uint64_t) N,
                                          est[2 * t].stderr_, missing);
            est[2 * t].flags = fflags[t];
        }
        memcpy(sorted, tup, sizeof(tuple_struct) * (size_t) ncorr);
        qsort(sorted, (size_t) ncorr, sizeof(tuple_struct), tuple_cmp);
        for (t = 0; t < ncorr; t++)
        {
            unsigned f = connected_flags(tup + t, sorted, ncorr, fflags);
            if (f == (unsigned) -1)
            {
                /* a sub-moment not in the files: the parts' flags together */
                f = 0;
                for (i = 0; i < n; i++)
                    f |= get_flags(neft_json_get(v + i, "correlators")->items + t, "connected");
            }
            est[2 * t + 1].flags = f;
            unreliable += (est[2 * t].flags | f) != 0;
        }

        fprintf(out, "{\"models\": %.0f", N);
        for (k = 0; k < v->len; k++)
            for (j = 0; j < nkeys; j++)
                if (!strcmp(v->keys[k], keys[j]))
                {
                    fputs(", ", out);
                    neft_json_write_string(out, keys[j]);
                    fputs(": ", out);
                    json_write(out, v->items + k);
                }
        fputs(", \"seeds\": [", out);
        for (i = 0; i < ns; i++)
            fprintf(out, "%s%ld", i ? ", " : "", (long) seeds[i]);
        fprintf(out, "], \"batches\": %ld, \"stderr\": \"delete-one-batch jackknife, runs "
                "combined: mean = sum n_i m_i / N, stderr = sqrt(sum (n_i/N)^2 s_i^2)\", "
                "\"unreliable\": %ld, \"min_ess_var\": %g, \"max_stderr_ratio\": %g, "
                "\"correlators\": [", (long) batches, (long) unreliable,
                NEFT_SAMPLE_MIN_ESS_VAR, NEFT_SAMPLE_MAX_SE_RATIO);
        for (t = 0; t < ncorr; t++)
        {
            neft_sample_corr_struct c;
            c.npt = tup[t].npt;
            memcpy(c.idx, tup[t].idx, sizeof(slong) * (size_t) tup[t].npt);
            c.full = est[2 * t];
            c.connected = est[2 * t + 1];
            c.tails = tails[t];
            neft_sample_corr_write_json(out, t, &c);
        }
        flint_free(est);
        flint_free(tails);
        flint_free(fflags);
        flint_free(tup);
        flint_free(sorted);
    }
    fputs("\n]", out);
    if (neft_json_held_write(&held, dest) != 0)
        snprintf(err, errsize, "cannot write the merged result");
    else
        status = NEFT_SUCCESS;
out:
    for (i = 0; i < n; i++)
        neft_json_clear(v + i);
    flint_free(v);
    flint_free(seeds);
    flint_free(models);
    return status;
}
