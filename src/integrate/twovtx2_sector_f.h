/* Private to twovtx2_sector.c, included twice: the integrand x Jacobian of
   a sector at its final coordinates, over the arithmetic SF_T (civl: complex
   boxes, for the bounds; ivl: real intervals, for the rule's nodes, about
   three times cheaper).  The including file defines SF_T, the function
   names SF_FN, SF_MONO, SF_POS, SF_DOT, SF_NORM and the operations
   SF_FROM (from an ivl), SF_ADD, SF_SUB, SF_MUL, SF_MULI (by an ivl),
   SF_ADDI (plus an ivl), SF_POWI (civl_pow_ui, ivl_pow_ui), SF_ADDSQR
   (res + z^2), SF_SQRT (certified or non-finite), SF_RELU
   (_neft_civl_relu_from's arguments).

   SF_FN(C, m, v, want): the product of the parts of the integrand that
   want (NULL: all) selects, part 0 the Jacobian, 1 + f the kernel factor f
   (legs, then the link), 1 + nf + k the self-loop at vertex k (see
   part_deps in twovtx2_sector.c for what each part depends on). */

static SF_T
SF_MONO(const SF_T * v, const int * e)
{
    SF_T r = SF_FROM(ivl_pt(1));
    int i;
    for (i = 0; i < NAX; i++)
        if (e[i])
            r = SF_MUL(r, SF_POWI(v[i], e[i]));
    return r;
}

/* sign (al + be q) */
static SF_T
SF_POS(const pform_t * F, SF_T q)
{
    SF_T r = SF_ADDI(SF_MULI(q, F->be), F->al);
    return F->sign < 0 ? SF_SUB(SF_FROM(ivl_pt(0)), r) : r;
}

static SF_T
SF_DOT(const sctx_t * C, const SF_T * u, const SF_T * w)
{
    SF_T d = SF_ADD(SF_MUL(u[0], w[0]), SF_MUL(u[1], w[1]));
    return SF_ADDI(SF_MULI(d, C->ia), C->ib);
}

static SF_T
SF_NORM(const sctx_t * C, const SF_T * u)
{
    SF_T d = SF_ADDSQR(SF_ADDSQR(SF_FROM(ivl_pt(0)), u[0]), u[1]);
    return SF_ADDI(SF_MULI(d, C->ia), C->ib);
}

static SF_T
SF_FN(const sctx_t * C, slong m, const SF_T * v, const unsigned char * want)
{
    const sector_t * S = C->sec + m;
    const neft_vint_struct * V = C->v;
    SF_T u[NAX], y[2], z[2], out, kyy, kzz, sy, sz;
    const ppiece_t * P[2];
    slong f;
    int t, k;
    for (t = 0; t < NAX; t++)
        u[t] = v[t];
    for (t = S->nsub - 1; t >= 0; t--)
        u[S->sub[2 * t + 1]] = SF_MUL(u[S->sub[2 * t]], u[S->sub[2 * t + 1]]);
    out = want == NULL || want[0] ? SF_MONO(v, S->je) : SF_FROM(ivl_pt(1));
    for (k = 0; k < 2; k++)
    {
        const ppiece_t * Q = P[k] = C->pp[k] + S->pp[k];
        SF_T p = u[2 * k], q = u[2 * k + 1];
        SF_T Y = SF_MUL(SF_MUL(SF_POWI(p, Q->Y.e[0]), SF_POWI(q, Q->Y.e[1])), SF_POS(&Q->Y, q));
        SF_T Z = SF_MUL(SF_MUL(SF_POWI(p, Q->Z.e[0]), SF_POWI(q, Q->Z.e[1])), SF_POS(&Q->Z, q));
        y[k] = SF_ADDI(Y, Q->cy);
        z[k] = SF_ADDI(Z, Q->cz);
        if (want == NULL || want[0])
            out = SF_MULI(out, Q->jac);
    }
    kyy = SF_NORM(C, y);
    kzz = SF_NORM(C, z);
    sy = SF_SQRT(kyy);
    sz = SF_SQRT(kzz);
    for (f = 0; f < C->nf; f++)
    {
        const int * e = C->ex + S->ex + 8 * f;
        SF_T r[2], c[2], G, Sg, kuw, rr, K;
        const SF_T * w;
        int M[NAX], d0 = divides(e, e + 4), i;
        if (want != NULL && !want[1 + f])
            continue;
        for (i = 0; i < NAX; i++)
            M[i] = d0 ? e[i] : e[4 + i];
        w = f < V->nlegs && V->vertex[f] ? z : y;
        for (k = 0; k < 2; k++)
        {
            const pform_t * F = factor_form(C, f, k, P[k]);
            if (F == NULL)
            {
                /* direct: u_k - w_k */
                if (f < V->nlegs)
                    r[k] = SF_SUB(w[k], SF_FROM(C->xi[2 * f + k]));
                else
                    r[k] = SF_SUB(y[k], z[k]);
            }
            else
            {
                int ek[NAX];
                for (i = 0; i < NAX; i++)
                    ek[i] = e[4 * k + i] - M[i];
                r[k] = SF_MUL(SF_MONO(v, ek), SF_POS(F, u[2 * k + 1]));
            }
        }
        if (f < V->nlegs)
        {
            c[0] = SF_FROM(C->xi[2 * f]);
            c[1] = SF_FROM(C->xi[2 * f + 1]);
        }
        else
        {
            c[0] = y[0];
            c[1] = y[1];
        }
        G = SF_MULI(SF_ADDSQR(SF_ADDSQR(SF_FROM(ivl_pt(0)), r[0]), r[1]), C->iab);
        G = SF_ADD(G, SF_MULI(SF_ADDSQR(SF_FROM(ivl_pt(0)),
                                        SF_SUB(SF_MUL(c[0], r[1]), SF_MUL(c[1], r[0]))),
                              C->ia2));
        Sg = SF_MUL(SF_MONO(v, M), SF_SQRT(G));
        if (f < V->nlegs)
        {
            kuw = SF_DOT(C, c, w);
            rr = SF_MULI(w == y ? sy : sz, C->xr[f]);
        }
        else
        {
            kuw = SF_DOT(C, y, z);
            rr = SF_MUL(sy, sz);
        }
        K = SF_RELU(Sg, kuw, rr, C->isw2pi, C->ibias);
        if (f >= V->nlegs)
            K = SF_POWI(K, (int) C->r);
        out = SF_MUL(out, K);
    }
    for (k = 0; k < 2; k++)
        if (C->loop[k] && (want == NULL || want[1 + C->nf + k]))
        {
            /* K(u, u) = b' + sigma_w^2/2 k(u, u) (G = 0, theta = 0) */
            SF_T K = SF_ADDI(SF_MULI(k ? kzz : kyy, C->ia), C->ibias);
            out = SF_MUL(out, SF_POWI(K, (int) C->loop[k]));
        }
    return out;
}
