/* The conditional estimator: the last layer integrated exactly.  Given the
   layers below, the output f = b + sum_j W_j h_j (W_j ~ N(0, C_W/n), b ~ N(0,
   C_b)) is a centred Gaussian with covariance
       G^(x_a, x_b) = C_b + (C_W/n) sum_j h_j(x_a) h_j(x_b)
   (Del Debbio's G^), so E[f(x_i1)..f(x_in) | layers below] is the Wick sum
   of G^ over the pairings of the tuple, computed here for every tuple of
   even length along the recursion
       W(i1..in) = sum_{k=2..n} G^(i1, ik) W(the tuple without i1 and ik),
   one multiply-add per term from the tuples two shorter (n - 1 terms: 3
   pairings for 4 points, 15 for 6, 105 for 8 in 3, 5, 7 operations).  The
   average of W over the nets is an unbiased estimator of the correlator
   whose variance is never larger than that of the plain product (it is the
   plain product's conditional expectation: Rao-Blackwell). */

#include <stdlib.h>
#include <string.h>
#include "neft/sample.h"
#include "run.h"

#define CHUNK NEFT_SAMPLE_CHUNK

const char *
neft_sample_estimator_name(int estimator)
{
    return estimator == NEFT_SAMPLE_ESTIMATOR_PLAIN ? "plain"
         : estimator == NEFT_SAMPLE_ESTIMATOR_CONDITIONAL ? "conditional" : NULL;
}

int
neft_sample_estimator_from_name(const char * name)
{
    int e;
    for (e = 0; e <= 1; e++)
        if (!strcmp(name, neft_sample_estimator_name(e)))
            return e;
    return -1;
}

/* The plan: the nodes of even length >= 2 by length, each with its terms
   (pair of points, node of the tuple two shorter). */
typedef struct
{
    slong nnodes, nterms;
    slong * node, * start;     /* node[i], terms start[i]..start[i + 1] - 1 */
    slong * pair, * sub;
}
wick_plan_t;

void
_neft_sample_wick_clear(void * plan)
{
    wick_plan_t * p = plan;
    if (p == NULL)
        return;
    free(p->node);
    free(p->start);
    free(p->pair);
    free(p->sub);
    free(p);
}

void *
_neft_sample_wick_init(const _neft_tuples_struct * tree)
{
    wick_plan_t * p = calloc(1, sizeof(wick_plan_t));
    slong node, len, k, nn = 0, nt = 0, idx[NEFT_SAMPLE_MAX_NPT];
    if (p == NULL)
        return NULL;
    for (node = 1; node < tree->length; node++)
        if (tree->len[node] % 2 == 0)
        {
            nn++;
            nt += tree->len[node] - 1;
        }
    p->node = malloc(sizeof(slong) * (size_t) (nn + 1));
    p->start = malloc(sizeof(slong) * (size_t) (nn + 1));
    p->pair = malloc(sizeof(slong) * (size_t) (nt + 1));
    p->sub = malloc(sizeof(slong) * (size_t) (nt + 1));
    if (!p->node || !p->start || !p->pair || !p->sub)
    {
        _neft_sample_wick_clear(p);
        return NULL;
    }
    for (len = 2; len <= tree->maxlen; len += 2)
        for (node = 1; node < tree->length; node++)
        {
            unsigned all;
            if (tree->len[node] != len)
                continue;
            _neft_tuples_get(idx, tree, node);
            p->node[p->nnodes] = node;
            p->start[p->nnodes++] = p->nterms;
            all = (1u << len) - 1;
            for (k = 1; k < len; k++)
            {
                /* idx is sorted: idx[0] <= idx[k] */
                p->pair[p->nterms] = idx[k] * (idx[k] + 1) / 2 + idx[0];
                p->sub[p->nterms++] = _neft_tuples_sub(tree, idx, len,
                                                       all & ~1u & ~(1u << k));
            }
        }
    p->start[p->nnodes] = p->nterms;
    return p;
}

#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("O3")))
#endif
void
_neft_sample_ghat(double * ghat, const double * h, slong n, slong P, double cw,
                  double cb, slong count)
{
    const double c = cw / (double) n;
    slong a, b, k, m;
    for (b = 0; b < P; b++)
        for (a = 0; a <= b; a++)
        {
            double * restrict g = ghat + (b * (b + 1) / 2 + a) * CHUNK;
            for (m = 0; m < CHUNK; m++)
                g[m] = 0.0;
            for (k = 0; k < n; k++)
            {
                const double * restrict ha = h + (k * P + a) * CHUNK;
                const double * restrict hb = h + (k * P + b) * CHUNK;
                for (m = 0; m < CHUNK; m++)
                    g[m] += ha[m] * hb[m];
            }
            for (m = 0; m < count; m++)
                g[m] = cb + c * g[m];
            for (; m < CHUNK; m++)
                g[m] = 0.0;
        }
}

#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("O3")))
#endif
void
_neft_sample_wick(double * val, const double * ghat, const void * plan)
{
    const wick_plan_t * p = plan;
    slong i, t, m;
    for (m = 0; m < CHUNK; m++)
        val[m] = 1.0;
    for (i = 0; i < p->nnodes; i++)
    {
        double * restrict v = val + p->node[i] * CHUNK;
        for (m = 0; m < CHUNK; m++)
            v[m] = 0.0;
        for (t = p->start[i]; t < p->start[i + 1]; t++)
        {
            const double * restrict g = ghat + p->pair[t] * CHUNK;
            const double * restrict w = val + p->sub[t] * CHUNK;
            for (m = 0; m < CHUNK; m++)
                v[m] += g[m] * w[m];
        }
    }
}
