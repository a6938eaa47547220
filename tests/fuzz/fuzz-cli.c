/* libFuzzer target: the argument parsers of the `neft` subcommands, driven
   through their entry points with fuzzed argv, and the command-line contract
   of every run (contract.h: status 0/1/2, one line on stderr and nothing on
   stdout on a failure).
 *
 * Input: the first byte chooses the command (modulo 7: diagrams, sample,
 * eval, exact, onen, fit, validate); the rest is split at NUL and newline
 * bytes into arguments.  So that every run is fast and harmless the harness
 *   - runs in a fresh temporary directory holding a small rules file
 *     (tiny.rules), the JSON of `neft exact` and of `neft sample` (data.json,
 *     samples.json; for fit and onen --compare-samples), and refuses
 *     arguments with '/' (no path outside it);
 *   - refuses the options that write files or start threads (--checkpoint,
 *     --threads, --out, --models of validate);
 *   - bounds the sizes that drive the running time (table `bounds`: the
 *     length of an option's value, or the option refused), and appends
 *     options that override earlier ones: `--max-terms 200` (diagrams),
 *     `--max-terms 50` (eval), `--threads 1 --models 512` (sample),
 *     `--quick --models 512 --threads 1 --sb 0 --out rep` (validate, with
 *     PATH empty: no pdflatex).
 * These bounds cut inputs that are slow because they are big (eval and
 * exact in d_in >= 3, eval at order 2 with erf, erf/tanh exact with
 * sigma_b != 0, onen at depth 100 and 1000 bits take seconds to minutes by
 * design), not the product's own limits, which stay as they are. */

#include "contract.h"
#include <math.h>
#include "../../src/cli/cli.h"

int LLVMFuzzerInitialize(int * argc, char *** argv);
int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size);

#define MAX_ARGS 64
#define NCOMMANDS 7

static const struct
{
    const char * name;
    int (* run)(int, char **);
}
commands[NCOMMANDS] = {
    {"diagrams", neft_cli_diagrams},
    {"sample", neft_cli_sample},
    {"eval", neft_cli_eval},
    {"exact", neft_cli_exact},
    {"onen", neft_cli_onen},
    {"fit", neft_cli_fit},
    {"validate", neft_cli_validate},
};

/* Per command: an option, the longest value allowed (-1: the option is
   refused), when not NULL the characters the value may have, and when
   positive the largest magnitude of the numbers in it (items separated by
   ',' or ';'; "inf" stays allowed).  The vertex integrals bisect down to
   the scale 1/(sigma_w L): cutoffs or sigma_w of 1e100 take seconds, of
   1e10000 minutes (left to a work budget). */
static const struct
{
    int command;
    const char * option;
    int maxlen;
    const char * chars;
    double maxabs;
}
bounds[] = {
    {1, "--checkpoint", -1, NULL, 0}, {1, "--threads", -1, NULL, 0}, {1, "--width", 2, NULL, 0},
    {1, "--d-in", 2, NULL, 0}, {1, "--widths", 12, NULL, 999}, {1, "--at", 24, NULL, 0},
    /* eval: order 2 brings two-vertex integrals (seconds each with erf) */
    {2, "-n", 1, NULL, 0}, {2, "--points", 1, NULL, 0}, {2, "-o", 1, "01", 0},
    {2, "--order", 1, "01", 0}, {2, "--d-in", -1, NULL, 0}, {2, "--prec", 2, NULL, 0},
    {2, "--at", 16, NULL, 0}, {2, "--cutoff", 64, NULL, 1e6}, {2, "--sw", 64, NULL, 1e6},
    {2, "--sb", 64, NULL, 1e6},
    {3, "--sb", -1, NULL, 0}, {3, "--d-in", 1, NULL, 0}, {3, "--prec", 2, NULL, 0},
    {3, "--at", 12, NULL, 0},
    {4, "--depth", 1, NULL, 0}, {4, "--prec", 2, NULL, 0}, {4, "--at", 12, NULL, 0},
    {4, "--widths", 24, NULL, 0},
    {5, "--prec", 2, NULL, 0}, {5, "--cutoff", 24, NULL, 1e6},
    {6, "--out", -1, NULL, 0}, {6, "--threads", -1, NULL, 0}, {6, "--models", -1, NULL, 0},
    {6, "--d-in", -1, NULL, 0}, {6, "--widths", 12, NULL, 999}, {6, "--at", 12, NULL, 0},
    {6, "--cutoffs", 16, NULL, 1e6}, {6, "--prec", 2, NULL, 0}, {6, "--sw", 64, NULL, 1e6},
};

/* `neft exact --activation relu --d-in 1 --width 20 --at "0.2;0.7"
   --npt 2,4 --format json` and the same of `neft sample` (1024 models). */
static const char data_json[] =
    "{\"width\": 20, \"inputs\": [[0.2], [0.7]], \"activation\": \"relu\", \"d_in\": 1, "
    "\"depth\": 2, \"sw\": 1, \"sb\": 0, \"prec\": 64, \"correlators\": [\n"
    "  {\"npt\": 2, \"indices\": [0, 0], \"full\": {\"mid\": \"0.0200000000000000000\", "
    "\"rad\": \"1.920e-20\"}, \"connected\": {\"mid\": \"0.0200000000000000000\", \"rad\": "
    "\"1.920e-20\"}},\n"
    "  {\"npt\": 2, \"indices\": [0, 1], \"full\": {\"mid\": \"0.0700000000000000000\", "
    "\"rad\": \"6.364e-20\"}, \"connected\": {\"mid\": \"0.0700000000000000000\", \"rad\": "
    "\"6.364e-20\"}},\n"
    "  {\"npt\": 2, \"indices\": [1, 1], \"full\": {\"mid\": \"0.245000000000000000\", "
    "\"rad\": \"2.241e-19\"}, \"connected\": {\"mid\": \"0.245000000000000000\", \"rad\": "
    "\"2.241e-19\"}},\n"
    "  {\"npt\": 4, \"indices\": [0, 0, 0, 0], \"full\": {\"mid\": "
    "\"0.00150000000000000000\", \"rad\": \"3.213e-21\"}, \"connected\": {\"mid\": "
    "\"0.000300000000000000000\", \"rad\": \"7.519e-22\"}},\n"
    "  {\"npt\": 4, \"indices\": [0, 0, 0, 1], \"full\": {\"mid\": "
    "\"0.0052500000000000000\", \"rad\": \"1.235e-20\"}, \"connected\": {\"mid\": "
    "\"0.00105000000000000000\", \"rad\": \"2.860e-21\"}},\n"
    "  {\"npt\": 4, \"indices\": [0, 0, 1, 1], \"full\": {\"mid\": "
    "\"0.0183750000000000000\", \"rad\": \"4.232e-20\"}, \"connected\": {\"mid\": "
    "\"0.0036750000000000000\", \"rad\": \"9.961e-21\"}},\n"
    "  {\"npt\": 4, \"indices\": [0, 1, 1, 1], \"full\": {\"mid\": \"0.064312500000000000\", "
    "\"rad\": \"1.338e-19\"}, \"connected\": {\"mid\": \"0.0128625000000000000\", \"rad\": "
    "\"3.090e-20\"}},\n"
    "  {\"npt\": 4, \"indices\": [1, 1, 1, 1], \"full\": {\"mid\": \"0.225093750000000000\", "
    "\"rad\": \"4.685e-19\"}, \"connected\": {\"mid\": \"0.045018750000000000\", \"rad\": "
    "\"1.200e-19\"}}\n"
    "]}\n";
static const char samples_json[] =
    "{\"models\": 1024, \"inputs\": [[0.20000000000000001], [0.69999999999999996]], "
    "\"activation\": \"relu\", \"d_in\": 1, \"depth\": 2, \"width\": 20, \"widths\": [20], "
    "\"sw\": 1, \"sb\": 0, \"cw\": 1, \"cb\": 0, \"seed\": 0, \"batches\": 4, \"stderr\": "
    "\"delete-one-batch jackknife\", \"correlators\": [\n"
    "  {\"npt\": 2, \"indices\": [0, 0], \"full\": {\"mean\": 0.01907226686574446, "
    "\"stderr\": 0.0015357262427222467}, \"connected\": {\"mean\": 0.01907226686574446, "
    "\"stderr\": 0.0015357262427222467}},\n"
    "  {\"npt\": 2, \"indices\": [0, 1], \"full\": {\"mean\": 0.066752934030105598, "
    "\"stderr\": 0.0053750418495278644}, \"connected\": {\"mean\": 0.066752934030105598, "
    "\"stderr\": 0.0053750418495278644}},\n"
    "  {\"npt\": 2, \"indices\": [1, 1], \"full\": {\"mean\": 0.23363526910536958, "
    "\"stderr\": 0.018812646473347541}, \"connected\": {\"mean\": 0.23363526910536958, "
    "\"stderr\": 0.018812646473347541}},\n"
    "  {\"npt\": 4, \"indices\": [0, 0, 0, 0], \"full\": {\"mean\": 0.0013337747310240527, "
    "\"stderr\": 0.00025195866678823155}, \"connected\": {\"mean\": 0.00024252064082953069, "
    "\"stderr\": 8.5602834914830887e-05}},\n"
    "  {\"npt\": 4, \"indices\": [0, 0, 0, 1], \"full\": {\"mean\": 0.0046682115585841844, "
    "\"stderr\": 0.0008818553337588107}, \"connected\": {\"mean\": 0.00084882224290335861, "
    "\"stderr\": 0.00029960992220190842}},\n"
    "  {\"npt\": 4, \"indices\": [0, 0, 1, 1], \"full\": {\"mean\": 0.016338740455044645, "
    "\"stderr\": 0.0030864936681558371}, \"connected\": {\"mean\": 0.0029708778501617555, "
    "\"stderr\": 0.0010486347277066802}},\n"
    "  {\"npt\": 4, \"indices\": [0, 1, 1, 1], \"full\": {\"mean\": 0.057185591592656244, "
    "\"stderr\": 0.010802727838545426}, \"connected\": {\"mean\": 0.010398072475566135, "
    "\"stderr\": 0.0036702215469733676}},\n"
    "  {\"npt\": 4, \"indices\": [1, 1, 1, 1], \"full\": {\"mean\": 0.20014957057429683, "
    "\"stderr\": 0.037809547434908983}, \"connected\": {\"mean\": 0.036393253664481456, "
    "\"stderr\": 0.01284577541440679}}\n"
    "]}\n";

int
LLVMFuzzerInitialize(int * argc, char *** argv)
{
    (void) argc;
    (void) argv;
    fuzz_contract_init("fuzz-cli");
    fuzz_write_file("tiny.rules",
                    "name tiny\ncoupling g legs 3 weight 1/6\ncoupling lambda legs 4 weight 1/2\n");
    fuzz_write_file("data.json", data_json);
    fuzz_write_file("samples.json", samples_json);
    /* validate: no pdflatex (a warning instead of a child process) */
    setenv("PATH", "", 1);
    return 0;
}

/* 1 when an item of value (separated by ',' or ';') starts with a number
   larger than maxabs in magnitude, or infinite but not written "inf". */
static int
too_large(const char * value, double maxabs)
{
    const char * p = value;
    for (;;)
    {
        size_t n = strcspn(p, ",;");
        double x = strtod(p, NULL);
        if ((isfinite(x) && fabs(x) > maxabs)
            || (!isfinite(x) && !isnan(x) && !(n == 3 && !strncmp(p, "inf", 3))))
            return 1;
        if (p[n] == '\0')
            return 0;
        p += n + 1;
    }
}

/* 1 when option `opt` (with the value `value`, or NULL for the last
   argument) is refused or too big for a fast run of command c. */
static int
too_big(int c, const char * opt, const char * value)
{
    size_t k;
    for (k = 0; k < sizeof(bounds) / sizeof(bounds[0]); k++)
        if (bounds[k].command == c && !strcmp(opt, bounds[k].option))
            return bounds[k].maxlen < 0
                   || (value != NULL && strlen(value) > (size_t) bounds[k].maxlen)
                   || (value != NULL && bounds[k].chars != NULL
                       && strspn(value, bounds[k].chars) != strlen(value))
                   || (value != NULL && bounds[k].maxabs > 0 && too_large(value, bounds[k].maxabs));
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t * data, size_t size)
{
    char * buf, * argv[MAX_ARGS + 12];
    int argc = 0, c, i;
    size_t k, start;

    if (size < 1)
        return 0;
    c = data[0] % NCOMMANDS;
    buf = malloc(size);
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = '\0';
    argv[argc++] = (char *) commands[c].name;
    for (k = start = 0; k < size; k++)
        if (k == size - 1 || buf[k] == '\0' || buf[k] == '\n')
        {
            buf[k] = '\0';
            if (argc == MAX_ARGS)
                goto skip;
            argv[argc++] = buf + start;
            start = k + 1;
        }
    for (i = 1; i < argc; i++)
        if (strchr(argv[i], '/') != NULL || too_big(c, argv[i], i + 1 < argc ? argv[i + 1] : NULL))
            goto skip;
    switch (c)
    {
        case 0:
            argv[argc++] = "--max-terms";
            argv[argc++] = "200";
            break;
        case 1:
            argv[argc++] = "--threads";
            argv[argc++] = "1";
            argv[argc++] = "--models";
            argv[argc++] = "512";
            break;
        case 2:
            argv[argc++] = "--max-terms";
            argv[argc++] = "50";
            break;
        case 6:
            argv[argc++] = "--quick";
            argv[argc++] = "--models";
            argv[argc++] = "512";
            argv[argc++] = "--threads";
            argv[argc++] = "1";
            argv[argc++] = "--sb";
            argv[argc++] = "0";
            argv[argc++] = "--out";
            argv[argc++] = "rep";
            break;
    }
    argv[argc] = NULL;
    fuzz_run(commands[c].run, argc, argv);
skip:
    free(buf);
    return 0;
}
