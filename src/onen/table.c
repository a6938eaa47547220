/* The tables of `neft onen` (docs/cmd-onen.md): the single-input recursion
   at every input, in balls and, for the scale-invariant activations, in
   exact rationals; for several inputs the kernel matrix, for two the
   four-point vertex. */

#include <string.h>
#include "neft/onen.h"
#include "onen_private.h"

void
neft_onen_table_init(neft_onen_table_t t)
{
    memset(t, 0, sizeof(*t));
}

void
neft_onen_table_clear(neft_onen_table_t t)
{
    slong a;
    for (a = 0; a < t->npoints; a++)
    {
        if (t->layers[a] != NULL)
            neft_onen_layers_clear(t->layers[a], t->depth);
        if (t->exact[a] != NULL)
            neft_onen_exact_clear(t->exact[a], t->depth);
    }
    flint_free(t->layers);
    flint_free(t->exact);
    if (t->kernel != NULL)
        _arb_vec_clear(t->kernel, t->depth * t->npoints * t->npoints);
    {
        /* npairs^2 and P^2 balls per layer (2 inputs: 9 and 4) */
        slong P = t->npoints, np = P * (P + 1) / 2;
        if (t->vertex != NULL)
            _arb_vec_clear(t->vertex, (P <= 2 ? 9 : np * np) * t->depth);
        if (t->g1 != NULL)
            _arb_vec_clear(t->g1, (P <= 2 ? 4 : P * P) * t->depth);
    }
    memset(t, 0, sizeof(*t));
}

void
neft_onen_point_k1(fmpq_t k1, const fmpq * x, slong d_in, const neft_net_t net)
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
    fmpq_mul(k1, k1, net->cw);
    fmpq_add(k1, k1, net->cb);
    fmpq_clear(t);
}

void
neft_onen_table_cost(double * ops, double * bytes, double * maxbits,
                     const neft_onen_params_t par, const fmpq_t k1, const fmpq * coords,
                     slong npoints, slong d_in, int format)
{
    double o, b, bits, exact_bytes = 0, text;
    slong a, depth = par->net->depth, P = npoints;
    fmpq_t q;

    *ops = *bytes = *maxbits = 0;
    fmpq_init(q);
    for (a = 0; a < P; a++)
    {
        if (coords != NULL)
            neft_onen_point_k1(q, coords + a * d_in, d_in, par->net);
        else
            fmpq_set(q, k1);
        neft_onen_single_cost(&o, &b, par, fmpq_get_d(q));
        *ops += o;
        *bytes = FLINT_MAX(*bytes, b);
        neft_onen_single_exact_cost(&o, &b, &bits, par->net, q);
        *ops += o;
        exact_bytes = FLINT_MAX(exact_bytes, b);
        *maxbits = FLINT_MAX(*maxbits, bits);
        /* the printed tables: about 40 characters per ball, 2.5 digits per
           stored byte of the rationals */
        text = (double) depth * (format == NEFT_ONEN_FORMAT_JSON ? 700 : 400) + 2.5 * b;
        *bytes += text;
    }
    fmpq_clear(q);
    *bytes += exact_bytes;
    if (P > 1)
    {
        neft_onen_kernel_matrix_cost(&o, &b, par, P, d_in);
        *ops += o;
        *bytes += b + (double) depth * (double) P * (double) P * 80;
        if (par->kernel_only)
            ;
        else if (P == 2)
        {
            neft_onen_vertex2_cost(&o, &b, par, d_in);
            *ops += o;

            *bytes += b + (double) depth * 800;
        }
        else if (P <= 4)
        {
            neft_onen_vertex_cost(&o, &b, par, P);   /* src/onen/vertex4.c */
            *ops += o;
            *bytes += b;
        }
    }
}

int
neft_onen_table(neft_onen_table_t t, const neft_onen_params_t par, const fmpq_t k1,
                const fmpq * coords, slong npoints, slong d_in, slong * bad)
{
    slong a, depth = par->net->depth, prec = par->prec;
    int status = 0;
    fmpq_t q;
    arb_t kk;

    neft_onen_table_clear(t);
    if (neft_onen_check_depth(par->net, NULL) != NEFT_SUCCESS)
        return NEFT_UNSUPPORTED;
    t->depth = depth;
    t->npoints = npoints;
    t->prec = prec;
    t->layers = flint_calloc(npoints, sizeof(*t->layers));
    t->exact = flint_calloc(npoints, sizeof(*t->exact));
    fmpq_init(q);
    arb_init(kk);
    for (a = 0; a < npoints && status == 0; a++)
    {
        neft_onen_layer_struct * L = t->layers[a] = neft_onen_layers_init(depth);
        if (coords != NULL)
            neft_onen_point_k1(q, coords + a * d_in, d_in, par->net);
        else
            fmpq_set(q, k1);
        arb_set_fmpq(kk, q, prec);
        if (neft_onen_single(L, par, kk))
        {
            *bad = a;
            status = arb_is_zero(kk) && !arb_is_finite(L[0].chi_par) ? -1 : -2;
        }
        else if (neft_onen_has(par->net, NEFT_ONEN_CAP_EXACT, NULL))
        {
            t->exact[a] = neft_onen_exact_init(depth);
            neft_onen_single_exact(t->exact[a], par->net, q);
        }
    }
    fmpq_clear(q);
    arb_clear(kk);
    if (status == 0 && npoints > 1)
    {
        arb_ptr x = _arb_vec_init(npoints * d_in);
        for (a = 0; a < npoints * d_in; a++)
            arb_set_fmpq(x + a, coords + a, prec);
        t->kernel = _arb_vec_init(depth * npoints * npoints);
        neft_onen_has(par->net, NEFT_ONEN_CAP_KERNEL, &t->kernel_why);
        if (neft_onen_kernel_matrix(t->kernel, par, x, npoints, d_in))
        {
            _arb_vec_clear(t->kernel, depth * npoints * npoints);
            t->kernel = NULL;
        }
        if (par->kernel_only)
            t->vertex_why = t->g1_why = "not computed (--kernel-only)";
        else if (npoints == 2)
        {
            arb_ptr K = _arb_vec_init(4 * depth), V = _arb_vec_init(9 * depth);
            neft_onen_has(par->net, NEFT_ONEN_CAP_VERTEX2, &t->vertex_why);
            const onen_row_struct * row = _neft_onen_row(par->net);
            t->vertex = _arb_vec_init(9 * depth);
            t->g1 = _arb_vec_init(4 * depth);
            t->g1_why = "the O(1/n) kernel shift of two inputs is computed with the integrated "
                        "vertex (the rows without a closed-form vertex; for the others "
                        "neft_onen_vertex2_g1 in the library)";
            neft_onen_has(par->net, NEFT_ONEN_CAP_VERTEX2, &t->vertex_why);
            if (row != NULL && row->vertex2 == _neft_onen_vertex2_gen)
            {
                /* one integration gives both */
                if (neft_onen_vertex2_g1(K, t->vertex, t->g1, par, x, d_in))
                {
                    _arb_vec_clear(t->vertex, 9 * depth);
                    t->vertex = NULL;
                    _arb_vec_clear(t->g1, 4 * depth);
                    t->g1 = NULL;
                }
            }
            else
            {
                if (neft_onen_vertex2(K, t->vertex, par, x, d_in))
                {
                    _arb_vec_clear(t->vertex, 9 * depth);
                    t->vertex = NULL;
                }
                {
                    _arb_vec_clear(t->g1, 4 * depth);
                    t->g1 = NULL;
                }
            }
            if (t->kernel == NULL && t->vertex != NULL)
            {
                /* the kernel matrix of the vertex's integrals */
                t->kernel = _arb_vec_init(4 * depth);
                _arb_vec_set(t->kernel, K, 4 * depth);
            }
            _arb_vec_clear(K, 4 * depth);
            _arb_vec_clear(V, 9 * depth);
        }
        else if (npoints <= 4)
            _neft_onen_table_vertex4(t, par, x, npoints, d_in);   /* src/onen/vertex4_table.c */
        _arb_vec_clear(x, npoints * d_in);
    }
    return status;
}

void
neft_onen_describe_run(char * how, size_t size, const neft_onen_params_t par, slong npoints,
                       double maxbits)
{
    slong L = par->net->depth;
    int n = snprintf(how, size, "%ld input%s x %ld layer%s of %s at %ld bits", (long) npoints,
                     npoints == 1 ? "" : "s", (long) L, L == 1 ? "" : "s",
                     par->net->act->name, (long) par->prec);
    if (maxbits > 0 && n > 0 && (size_t) n < size)
        snprintf(how + n, size - n, ", exact rationals of up to %.3g bits", maxbits);
}
