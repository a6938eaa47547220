/* Pieces shared by every emitter: grouping by external permutations, LaTeX
   comment text. */

#include "emit-internal.h"

slong
_neft_emit_groups(slong ** rep, slong ** count, const neft_expansion_t ex,
                  const neft_emit_opt_t opt)
{
    slong i, shown = 0;
    *rep = *count = NULL;
    if (opt->group && ex->length > 0)
    {
        *rep = flint_malloc(sizeof(slong) * ex->length);
        *count = flint_malloc(sizeof(slong) * ex->length);
        neft_expansion_group(*rep, *count, ex);
    }
    for (i = 0; i < ex->length; i++)
        shown += (*rep == NULL || (*rep)[i] == i);
    return shown;
}

void
_neft_emit_latex_comment(FILE * out, const char * s)
{
    for (; *s != '\0'; s++)
        fputc(((unsigned char) *s < 0x20 || *s == 0x7f) ? ' ' : *s, out);
}

void
_neft_emit_crop_preamble(FILE * out)
{
    fputs("\\pagestyle{empty}\n"
          "% \\neftpage{...}: a page of its own, cropped to what it holds (pdfTeX)\n"
          "\\newsavebox\\neftbox\n"
          "\\newlength\\neftmargin\\setlength\\neftmargin{2pt}\n"
          "\\newcommand\\neftpage[1]{\\sbox\\neftbox{#1}%\n"
          "  \\pdfpagewidth=\\dimexpr\\wd\\neftbox+2\\neftmargin\\relax\n"
          "  \\pdfpageheight=\\dimexpr\\ht\\neftbox+\\dp\\neftbox+2\\neftmargin\\relax\n"
          "  \\pdfhorigin=\\neftmargin\\relax\\pdfvorigin=\\neftmargin\\relax\n"
          "  \\shipout\\hbox{\\usebox\\neftbox}}\n", out);
}
