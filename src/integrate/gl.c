/* Gauss-Legendre nodes and weights on [-1, 1] for 4 to 64 nodes, computed
   once per thread (arb_hypgeom_legendre_p_ui_root) and kept as Arb balls
   and as double enclosures; freed by flint_cleanup(). */

#include "gl.h"


static FLINT_TLS_PREFIX _neft_gl_struct * gl_cache[GL_NSIZES];
static FLINT_TLS_PREFIX int gl_registered = 0;

static void
gl_entry_clear(_neft_gl_struct * g)
{
    _arb_vec_clear(g->x, g->n);
    _arb_vec_clear(g->w, g->n);
    flint_free(g->xi);
    flint_free(g->wi);
    flint_free(g);
}

static void
gl_cleanup(void)
{
    slong i;
    for (i = 0; i < GL_NSIZES; i++)
        if (gl_cache[i] != NULL)
        {
            gl_entry_clear(gl_cache[i]);
            gl_cache[i] = NULL;
        }
    gl_registered = 0;
}

slong
_neft_gl_size(slong n)
{
    if (n > GL_NMAX)
        return -1;
    return FLINT_MAX(n, GL_NMIN);
}

const _neft_gl_struct *
_neft_gl(slong n, slong prec)
{
    slong i, q, wp;
    _neft_gl_struct * g;
    if (n < GL_NMIN || n > GL_NMAX)
        return NULL;
    i = n - GL_NMIN;
    wp = FLINT_MAX(prec, 64) + 32;
    if (gl_cache[i] != NULL && gl_cache[i]->prec >= wp)
        return gl_cache[i];
    if (!gl_registered)
    {
        flint_register_cleanup_function(gl_cleanup);
        gl_registered = 1;
    }
    if (gl_cache[i] != NULL)
        gl_entry_clear(gl_cache[i]);
    g = flint_malloc(sizeof(_neft_gl_struct));
    g->n = n;
    g->prec = wp;
    g->x = _arb_vec_init(n);
    g->w = _arb_vec_init(n);
    g->xi = flint_malloc(n * sizeof(ivl));
    g->wi = flint_malloc(n * sizeof(ivl));
    for (q = 0; q < n; q++)
    {
        arb_hypgeom_legendre_p_ui_root(g->x + q, g->w + q, n, q, wp);
        g->xi[q] = _neft_ivl_set_arb(g->x + q);
        g->wi[q] = _neft_ivl_set_arb(g->w + q);
    }
    gl_cache[i] = g;
    return g;
}
