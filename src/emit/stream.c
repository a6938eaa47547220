/* Streaming text and JSON output: header, terms one at a time, end -- the
   bytes neft_emit_text / neft_emit_json write for the same terms in the same
   order (without grouping, which needs the whole list), except that the
   text's "# N terms" line comes last, when N is known. */

#include <stdio.h>
#include "neft/emit.h"
#include "emit-internal.h"

int
neft_emit_stream_init(neft_emit_stream_t s, FILE * out, int format, const neft_emit_opt_t opt)
{
    s->out = out;
    s->format = format;
    s->written = 0;
    if (opt->group || (format != NEFT_EMIT_TEXT && format != NEFT_EMIT_JSON))
        return -1;
    return 0;
}

int
neft_emit_stream_begin(neft_emit_stream_t s, const neft_expansion_t ex)
{
    slong i;
    for (i = 0; i < ex->theory->length; i++)
        neft_emit_coupling_text(s->names[i], sizeof(s->names[i]),
                                ex->theory->couplings[i].name);
    if (s->format == NEFT_EMIT_TEXT)
        _neft_emit_text_header(s->out, ex, -1, 0);
    else
        _neft_emit_json_header(s->out, ex);
    return ferror(s->out) ? -1 : 0;
}

int
neft_emit_stream_term(neft_emit_stream_t s, const neft_expansion_t ex, const neft_diagram_t d)
{
    if (s->format == NEFT_EMIT_TEXT)
    {
        _neft_emit_text_term(s->out, d, ex->theory, s->names);
        putc('\n', s->out);
    }
    else
    {
        fputs(s->written == 0 ? "\n" : ",\n", s->out);
        _neft_emit_json_term(s->out, d, ex->theory, 0);
    }
    s->written++;
    return ferror(s->out) ? -1 : 0;
}

int
neft_emit_stream_end(neft_emit_stream_t s, const neft_expansion_t ex)
{
    (void) ex;
    if (s->format == NEFT_EMIT_TEXT)
        _neft_emit_text_count(s->out, s->written, s->written, 0);
    if (s->format == NEFT_EMIT_JSON)
        fputs(s->written == 0 ? "]}\n" : "\n]}\n", s->out);
    return ferror(s->out) ? -1 : 0;
}
