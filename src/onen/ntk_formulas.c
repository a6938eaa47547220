/* The O(1/n) NTK recursions as text and LaTeX, in the notation of
   docs/onen.md ("The NTK at finite width"): the formulas src/onen/ntk_var.c
   evaluates (the same expressions). */

#include "neft/onen.h"

static const char text_formulas[] =
    "Notation: <F>_K = E[F(z)], z ~ N(0, K); c_1 = <sigma^2>, c_2 = Var sigma^2,\n"
    "p = <sigma'^2>, s_4 = <sigma'^4>, x = <sigma^2 sigma'^2>, y = <sigma sigma'^2 sigma''>\n"
    "at K = K^(l); ' = d/dK; r = n_l/n_{l-1}; for the NTK H_ij of layer l, n = n_{l-1}:\n"
    "E[H_ii] = Theta + Theta1/n, Var H_ii = (A + 2B)/n, Cov(H_ii, H_jj) = A/n,\n"
    "E[H_ij^2] = B/n, Cov(H_ii, z_i^2) = (D + 2F)/n, Cov(H_ii, z_j^2) = D/n (i != j);\n"
    "the dNTK dH_ijk = sum_mu lambda_mu dz_i/dmu dH_jk/dmu:\n"
    "E[dH_ijk z_m] = (d_im d_jk P + d_ij d_km Q + d_ik d_jm Q)/n.\n"
    "\n"
    "Theta^(1)    = lambda_b + lambda_W x.x/n_0,   Theta1 = A = B = D = F = P = Q = 0 at layer 1\n"
    "Theta^(l+1)  = lambda_b + lambda_W c_1 + C_W p Theta\n"
    "Theta1^(l+1) = r [lambda_W (c_1' G1 + c_1'' V/2)\n"
    "                  + C_W (p Theta1 + Theta (p' G1 + p'' V/2) + p' (D + 2F))]\n"
    "U            = Theta (x - c_1 p) + r c_1' (p D + Theta p' V),   W = c_2 + r c_1'^2 V\n"
    "A^(l+1)      = lambda_W^2 W + 2 lambda_W C_W U\n"
    "               + C_W^2 [Theta^2 (s_4 - p^2) + r (p^2 A + 2 p Theta p' D + Theta^2 p'^2 V)]\n"
    "B^(l+1)      = C_W^2 [s_4 Theta^2 + r p^2 B]\n"
    "D^(l+1)      = C_W lambda_W W + C_W^2 U\n"
    "F^(l+1)      = C_W^2 [x Theta + r c_1'^2 F]\n"
    "P^(l+1)      = 2 lambda_W F^(l+1)/C_W + C_W^2 [2 y Theta^2 + r c_1' (2 Theta p' F + p P)]\n"
    "Q^(l+1)      = lambda_W F^(l+1)/C_W\n"
    "               + C_W^2 [2 y Theta^2 + r (c_1' (Theta p' F + p Q) + p (c_1' - p) B)]\n"
    "  (Theta, Theta1, A, B, D, F, P, Q, V, G1 of layer l)\n";

static const char latex_formulas[] =
    "\\begin{align*}\n"
    "\\Theta^{(\\ell+1)} &= \\lambda_b + \\lambda_W c_1 + C_W p\\, \\Theta^{(\\ell)},\n"
    "  \\qquad \\Theta^{(1)} = \\lambda_b + \\frac{\\lambda_W}{n_0}\\, x\\cdot x,\\\\\n"
    "\\Theta^{\\{1\\}(\\ell+1)} &= r_\\ell \\Bigl[\\lambda_W \\bigl(c_1' G^{\\{1\\}}\n"
    "  + \\tfrac12 c_1'' V\\bigr) + C_W \\bigl(p\\, \\Theta^{\\{1\\}}\n"
    "  + \\Theta (p' G^{\\{1\\}} + \\tfrac12 p'' V) + p' (D + 2F)\\bigr)\\Bigr],\\\\\n"
    "U &= \\Theta\\, (x - c_1 p) + r_\\ell\\, c_1' (p D + \\Theta p' V), \\qquad\n"
    "  W = c_2 + r_\\ell\\, c_1'^2 V,\\\\\n"
    "A^{(\\ell+1)} &= \\lambda_W^2 W + 2\\lambda_W C_W U + C_W^2 \\bigl[\\Theta^2 (s_4 - p^2)\n"
    "  + r_\\ell (p^2 A + 2 p \\Theta p' D + \\Theta^2 p'^2 V)\\bigr],\\\\\n"
    "B^{(\\ell+1)} &= C_W^2 \\bigl[s_4 \\Theta^2 + r_\\ell\\, p^2 B\\bigr],\\\\\n"
    "D^{(\\ell+1)} &= C_W \\lambda_W W + C_W^2 U,\\\\\n"
    "F^{(\\ell+1)} &= C_W^2 \\bigl[x\\, \\Theta + r_\\ell\\, c_1'^2 F\\bigr],\\\\\n"
    "P^{(\\ell+1)} &= \\frac{2\\lambda_W}{C_W} F^{(\\ell+1)} + C_W^2 \\bigl[2 y\\, \\Theta^2\n"
    "  + r_\\ell\\, c_1' (2\\Theta p' F + p P)\\bigr],\\\\\n"
    "Q^{(\\ell+1)} &= \\frac{\\lambda_W}{C_W} F^{(\\ell+1)} + C_W^2 \\bigl[2 y\\, \\Theta^2\n"
    "  + r_\\ell \\bigl(c_1' (\\Theta p' F + p Q) + p (c_1' - p) B\\bigr)\\bigr]\n"
    "\\end{align*}\n"
    "% c_1 = <sigma^2>, c_2 = Var sigma^2, p = <sigma'^2>, s_4 = <sigma'^4>,\n"
    "% x = <sigma^2 sigma'^2>, y = <sigma sigma'^2 sigma''> at K^{(l)}, primes d/dK;\n"
    "% r_l = n_l/n_{l-1}; right-hand sides of layer l.  E[H] = Theta + Theta^{1}/n,\n"
    "% Var H = (A + 2B)/n, Cov(H, z^2) = (D + 2F)/n; the dNTK\n"
    "% E[dH_{ijk} z_m] = (d_im d_jk P + d_ij d_km Q + d_ik d_jm Q)/n.\n";

int
neft_onen_ntk1_formulas(FILE * out, int style)
{
    const char * s = style == NEFT_ONEN_FORMULA_LATEX ? latex_formulas : text_formulas;
    return fputs(s, out) < 0 ? -1 : 0;
}
