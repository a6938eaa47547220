/* `neft action`: the couplings of the effective action S[f] on a set of
   inputs from connected correlators (library: neft/action.h). */

#include <stdio.h>
#include <string.h>
#include "neft/action.h"
#include "cli.h"

static const char action_usage[] =
    "usage: neft action DATA.json [--order 1|2] [--prec BITS] [--digits D]\n"
    "                   [--format text|json|latex]\n";

int
neft_cli_action(int argc, char ** argv)
{
    const char * data = NULL;
    slong order = 2, prec = 128, digits = 12;
    int ai, type, format = NEFT_ACTION_FORMAT_TEXT, st, sampled = 0;
    char err[1024];
    neft_cli_seen_t seen = NEFT_CLI_SEEN_INIT;
    neft_action_input_t in;
    neft_action_t S;
    neft_cli_out_t held;
    FILE * out;

    for (ai = 1; (type = neft_cli_next(&seen, NULL, action_usage, argc, argv, &ai))
                  == NEFT_CLI_MORE; ai++)
    {
        const char * a = argv[ai], * v;
        if (a[0] != '-' || a[1] == '\0')
        {
            if (neft_cli_operand("action", a, &data, NULL, "one DATA.json"))
                return NEFT_EXIT_USAGE;
            continue;
        }
        if ((v = neft_cli_option_value("action", argc, argv, &ai)) == NULL)
            return NEFT_EXIT_USAGE;
        if (!strcmp(a, "--order"))
        {
            if (neft_cli_parse_slong(&order, v, a, 1, NEFT_ACTION_MAX_ORDER))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--prec"))
        {
            if (neft_cli_parse_slong(&prec, v, a, 32, 4096))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--digits"))
        {
            if (neft_cli_parse_slong(&digits, v, a, 1, 1000))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--format"))
        {
            static const char * const names[3] = {"text", "json", "latex"};
            for (format = 0; format < 3 && strcmp(v, names[format]); format++)
                ;
            if (format == 3)
            {
                neft_cli_error("--format: unknown '%s' (expected text, json or latex)", v);
                return NEFT_EXIT_USAGE;
            }
        }
        else
            return neft_cli_unknown("action", a);
    }
    if (type != NEFT_CLI_END)
        return type;
    if (data == NULL)
    {
        neft_cli_error("action needs a DATA.json file from neft sample or neft exact "
                       "(see neft action --help)");
        return NEFT_EXIT_USAGE;
    }
    if ((st = neft_action_input_read(in, &sampled, data, order, prec, err, sizeof err))
        != NEFT_SUCCESS)
        return neft_cli_exit_status(st, err);
    neft_action_init(S);
    st = neft_action_compute(S, in, order, prec, err, sizeof err);
    neft_action_input_clear(in);
    if (st == NEFT_SUCCESS)
    {
        held.fp = NULL;
        if ((out = neft_cli_out_open(&held)) == NULL)
            st = NEFT_FAILURE;
        else
        {
            neft_action_write(out, S, format, data, digits);
            if (sampled && format == NEFT_ACTION_FORMAT_TEXT)
                fprintf(out, "note: sampled correlators: each ball is the range over the "
                        "one-standard-error box of every correlator, not a standard error\n");
            if (neft_cli_out_close(&held, 1))
                st = NEFT_FAILURE;
        }
        neft_action_clear(S);
        return st == NEFT_SUCCESS ? NEFT_EXIT_OK : NEFT_EXIT_FAILURE;
    }
    neft_action_clear(S);
    return neft_cli_exit_status(st, err);
}
