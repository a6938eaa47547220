/* The recursions as text and LaTeX, in the notation of docs/onen.md.  These
   are the formulas src/onen/single.c evaluates (the same expressions). */

#include "neft/onen.h"

static const char text_formulas[] =
    "Notation: <F>_K = E[F(z)], z ~ N(0, K); c_k(K) = k-th cumulant of sigma(z)^2;\n"
    "' = d/dK; r_l = n_l/n_{l-1}; E[G^(l)] = K^(l) + G1^(l)/n_{l-1};\n"
    "kappa_k(G^(l)) = v_{2k}^(l)/n_{l-1}^(k-1); E[z^{2k}]_c = (2k-1)!! v_{2k}/n^(k-1).\n"
    "\n"
    "K^(1)        = C_b + C_W x.x/n_0,   V^(1) = G1^(1) = v6^(1) = v8^(1) = 0\n"
    "K^(l+1)      = C_b + C_W <sigma^2>_{K^(l)}\n"
    "chi_par^(l)  = C_W d<sigma^2>_K/dK = C_W <sigma'^2 + sigma sigma''>_K   at K = K^(l)\n"
    "chi_perp^(l) = C_W <sigma'^2>_K\n"
    "V^(l+1)      = C_W^2 [c_2 + r_l c_1'^2 V^(l)]\n"
    "G1^(l+1)     = r_l [chi_par G1^(l) + (C_W/2) c_1'' V^(l)]\n"
    "v6^(l+1)     = C_W^3 [c_3 + 3 r_l c_1' c_2' V + r_l^2 (3 c_1'^2 c_1'' V^2 + c_1'^3 v6)]\n"
    "v8^(l+1)     = C_W^4 [c_4 + r_l (4 c_1' c_3' + 3 c_2'^2) V\n"
    "                + r_l^2 (6 c_1'^2 c_2'' + 12 c_1' c_1'' c_2') V^2\n"
    "                + r_l^3 (4 c_1'^3 c_1''' + 12 c_1'^2 c_1''^2) V^3\n"
    "                + 6 r_l^2 c_1'^2 c_2' v6 + 12 r_l^3 c_1'^3 c_1'' V v6 + r_l^3 c_1'^4 v8]\n"
    "  (c_k and derivatives at K^(l); V, v6, v8 of layer l)\n"
    "\n"
    "Several inputs (a, b, ... index inputs; sums over b1..b4):\n"
    "K^(l+1)_{ab} = C_b + C_W <sigma_a sigma_b>_{K^(l)}\n"
    "V^(l+1)_{(a1a2)(a3a4)} = C_W^2 [<sigma_a1 sigma_a2 sigma_a3 sigma_a4> - <sigma_a1 sigma_a2><sigma_a3 sigma_a4>]\n"
    "    + r_l sum X_{a1a2}^{b1b2} X_{a3a4}^{b3b4} V^(l)_{(b1b2)(b3b4)},\n"
    "X_{a1a2}^{b1b2} = (C_W/2) <d^2(sigma_a1 sigma_a2)/dz_b1 dz_b2>_{K^(l)}\n";

static const char latex_formulas[] =
    "\\begin{align*}\n"
    "K^{(\\ell+1)} &= C_b + C_W \\langle \\sigma^2 \\rangle_{K^{(\\ell)}}, \\qquad\n"
    "  K^{(1)} = C_b + \\frac{C_W}{n_0}\\, x\\cdot x,\\\\\n"
    "\\chi_\\parallel^{(\\ell)} &= C_W \\frac{d}{dK}\\langle \\sigma^2 \\rangle_K\n"
    "  = C_W \\langle \\sigma'^2 + \\sigma\\sigma'' \\rangle_K, \\qquad\n"
    "  \\chi_\\perp^{(\\ell)} = C_W \\langle \\sigma'^2 \\rangle_K \\quad (K = K^{(\\ell)}),\\\\\n"
    "V^{(\\ell+1)} &= C_W^2 \\bigl[c_2 + r_\\ell\\, c_1'^2\\, V^{(\\ell)}\\bigr],\\\\\n"
    "G^{\\{1\\}(\\ell+1)} &= r_\\ell \\Bigl[\\chi_\\parallel^{(\\ell)} G^{\\{1\\}(\\ell)}\n"
    "  + \\frac{C_W}{2}\\, c_1''\\, V^{(\\ell)}\\Bigr],\\\\\n"
    "v_6^{(\\ell+1)} &= C_W^3 \\bigl[c_3 + 3 r_\\ell\\, c_1' c_2' V^{(\\ell)}\n"
    "  + r_\\ell^2 \\bigl(3 c_1'^2 c_1'' (V^{(\\ell)})^2 + c_1'^3 v_6^{(\\ell)}\\bigr)\\bigr],\\\\\n"
    "v_8^{(\\ell+1)} &= C_W^4 \\bigl[c_4 + r_\\ell (4 c_1' c_3' + 3 c_2'^2) V^{(\\ell)}\n"
    "  + r_\\ell^2 (6 c_1'^2 c_2'' + 12 c_1' c_1'' c_2') (V^{(\\ell)})^2\\\\\n"
    "  &\\qquad + r_\\ell^3 (4 c_1'^3 c_1''' + 12 c_1'^2 c_1''^2) (V^{(\\ell)})^3\n"
    "  + 6 r_\\ell^2 c_1'^2 c_2' v_6^{(\\ell)} + 12 r_\\ell^3 c_1'^3 c_1'' V^{(\\ell)} v_6^{(\\ell)}\n"
    "  + r_\\ell^3 c_1'^4 v_8^{(\\ell)}\\bigr],\\\\\n"
    "V^{(\\ell+1)}_{(\\alpha_1\\alpha_2)(\\alpha_3\\alpha_4)} &= C_W^2\\bigl[\n"
    "  \\langle \\sigma_{\\alpha_1}\\sigma_{\\alpha_2}\\sigma_{\\alpha_3}\\sigma_{\\alpha_4}\\rangle\n"
    "  - \\langle \\sigma_{\\alpha_1}\\sigma_{\\alpha_2}\\rangle\n"
    "    \\langle \\sigma_{\\alpha_3}\\sigma_{\\alpha_4}\\rangle\\bigr]\n"
    "  + r_\\ell \\sum_{\\beta} X_{\\alpha_1\\alpha_2}^{\\beta_1\\beta_2}\n"
    "    X_{\\alpha_3\\alpha_4}^{\\beta_3\\beta_4}\n"
    "    V^{(\\ell)}_{(\\beta_1\\beta_2)(\\beta_3\\beta_4)},\\quad\n"
    "  X_{\\alpha_1\\alpha_2}^{\\beta_1\\beta_2} = \\frac{C_W}{2}\\Bigl\\langle\n"
    "    \\frac{\\partial^2 (\\sigma_{\\alpha_1}\\sigma_{\\alpha_2})}\n"
    "         {\\partial z_{\\beta_1}\\partial z_{\\beta_2}}\\Bigr\\rangle\n"
    "\\end{align*}\n"
    "% <F>_K: Gaussian expectation, z ~ N(0,K); c_k: k-th cumulant of sigma(z)^2,\n"
    "% primes d/dK at K^{(l)}; r_l = n_l/n_{l-1};\n"
    "% E[z^2] = K + G^{1}/n, E[z^{2k}]_c = (2k-1)!! v_{2k}/n^{k-1}.\n";

int
neft_onen_formulas(FILE * out, int style)
{
    const char * s = style == NEFT_ONEN_FORMULA_LATEX ? latex_formulas : text_formulas;
    return fputs(s, out) < 0 ? -1 : 0;
}
