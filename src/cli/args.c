/* Argument helpers of the `neft` command. */

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "neft/act.h"
#include "neft/memory.h"
#include "neft/interrupt.h"
#include "neft/points.h"
#include "cli.h"

/* 1 once the line of a stopped run was printed */
static int interrupt_reported = 0;

void
neft_cli_error(const char * fmt, ...)
{
    va_list ap;
    if (neft_interrupted())
    {
        /* a failure after a stop request is the stop: one line saying so */
        neft_cli_interrupted(NULL);
        return;
    }
    fputs("neft: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int
neft_cli_interrupt_status(void)
{
    return neft_interrupt_signal() == SIGHUP ? NEFT_EXIT_HANGUP : NEFT_EXIT_INTERRUPTED;
}

int
neft_cli_interrupted(const char * why)
{
    int sig = neft_interrupt_signal();
    const char * name = sig == SIGINT ? " (SIGINT)" : sig == SIGTERM ? " (SIGTERM)"
                      : sig == SIGHUP ? " (SIGHUP)" : "";

    if (why != NULL && !strncmp(why, "interrupted", 11))
        why += 11;
    else
        why = "";
    if (!interrupt_reported)
        fprintf(stderr, "neft: interrupted%s%s\n", name, why);
    interrupt_reported = 1;
    return neft_cli_interrupt_status();
}

int
neft_cli_parse_slong(slong * out, const char * text, const char * option,
                     slong lo, slong hi)
{
    char * end;
    long long v;

    errno = 0;
    v = strtoll(text, &end, 10);
    if (text[0] == '\0' || *end != '\0' || errno == ERANGE)
    {
        neft_cli_error("%s expects an integer, got '%s'", option, text);
        return -1;
    }
    if (v < lo || v > hi)
    {
        neft_cli_error("%s must be between %ld and %ld, got %s",
                       option, (long) lo, (long) hi, text);
        return -1;
    }
    *out = (slong) v;
    return 0;
}

char *
neft_cli_strdup(const char * s)
{
    size_t len = strlen(s) + 1;
    return memcpy(flint_malloc(len), s, len);
}

/* options with two spellings: the second of each pair is the name kept */
static const char * const aliases[][2] = {
    {"-n", "--points"}, {"-o", "--order"}, {"-h", "--help"},
};

/* length of the option's name in arg ("--opt=value" -> "--opt") */
static size_t
_option_len(const char * arg)
{
    return arg[0] == '-' && arg[1] == '-' ? strcspn(arg, "=") : strlen(arg);
}

static const char *
_canonical(const char * arg, size_t * len)
{
    size_t k;
    *len = _option_len(arg);
    for (k = 0; k < sizeof(aliases) / sizeof(aliases[0]); k++)
        if (strlen(aliases[k][0]) == *len && !strncmp(arg, aliases[k][0], *len))
        {
            *len = strlen(aliases[k][1]);
            return aliases[k][1];
        }
    return arg;
}

int
neft_cli_once(neft_cli_seen_t * seen, const char * arg)
{
    size_t len, len2;
    const char * name;
    int k;

    if (arg[0] != '-' || arg[1] == '\0')
        return 0;   /* an operand (or "-") */
    name = _canonical(arg, &len);
    for (k = 0; k < seen->n; k++)
    {
        const char * other = _canonical(seen->arg[k], &len2);
        if (len == len2 && !strncmp(name, other, len))
        {
            size_t l1 = _option_len(seen->arg[k]), l2 = _option_len(arg);
            if (l1 == l2 && !strncmp(seen->arg[k], arg, l1))
                neft_cli_error("option %.*s is given twice (give each option once)",
                               (int) l2, arg);
            else
                neft_cli_error("options %.*s and %.*s are the same option, given twice "
                               "(give each option once)", (int) l1, seen->arg[k], (int) l2, arg);
            return -1;
        }
    }
    /* a command has fewer distinct options than this; an unknown one ends
       the parse anyway */
    if (seen->n < NEFT_CLI_MAX_OPTIONS)
        seen->arg[seen->n++] = arg;
    return 0;
}

const char *
neft_cli_value(int argc, char ** argv, int * i)
{
    if (*i + 1 >= argc)
    {
        neft_cli_error("option %s needs a value", argv[*i]);
        return NULL;
    }
    (*i)++;
    return argv[*i];
}

int
neft_cli_next(neft_cli_seen_t * seen, neft_cli_budget_t * budget,
              const char * usage, int argc, char ** argv, int * i)
{
    int s;

    for (; *i < argc; (*i)++)
    {
        if (neft_cli_once(seen, argv[*i]))
            return NEFT_EXIT_USAGE;
        if (!strcmp(argv[*i], "--help") || !strcmp(argv[*i], "-h"))
        {
            fputs(usage, stdout);
            return NEFT_EXIT_OK;
        }
        if (budget == NULL || (s = neft_cli_budget_option(budget, argc, argv, i)) == 0)
            return NEFT_CLI_MORE;
        if (s < 0)
            return NEFT_EXIT_USAGE;
    }
    return NEFT_CLI_END;
}

const char *
neft_cli_option_value(const char * command, int argc, char ** argv, int * i)
{
    if (argv[*i][0] != '-')
    {
        neft_cli_error("unexpected argument '%s' for %s", argv[*i], command);
        return NULL;
    }
    return neft_cli_value(argc, argv, i);
}

int
neft_cli_parse_activation(const char ** name, const char * v)
{
    if (neft_act_lookup(v) == NULL)
    {
        neft_cli_error("unknown activation '%s' (expected one of %s)", v, neft_act_names());
        return -1;
    }
    *name = v;
    return 0;
}

int
neft_cli_unknown(const char * command, const char * a)
{
    neft_cli_error("unknown option '%s' for %s (see neft %s --help)", a, command, command);
    return NEFT_EXIT_USAGE;
}

int
neft_cli_operand(const char * command, const char * a, const char ** first,
                 const char ** second, const char * expected)
{
    if (a[0] == '-' && a[1] != '\0')
        return neft_cli_unknown(command, a);
    if (*first == NULL)
        *first = a;
    else if (second != NULL && *second == NULL)
        *second = a;
    else
    {
        neft_cli_error("unexpected argument '%s' (%s)", a, expected);
        return NEFT_EXIT_USAGE;
    }
    return NEFT_EXIT_OK;
}

int
neft_cli_parse_double(double * out, const char * text, const char * option)
{
    char * end;
    double v;

    errno = 0;
    v = strtod(text, &end);
    if (text[0] == '\0' || *end != '\0' || errno == ERANGE || !isfinite(v))
    {
        neft_cli_error("%s expects a finite number, got '%s'", option, text);
        return -1;
    }
    *out = v;
    return 0;
}

int
neft_cli_parse_points(neft_cli_points_t * pts, const char * text, slong d_in,
                      const char * option)
{
    /* room for the longest message: it quotes one coordinate of text */
    size_t errsize = strlen(text) + strlen(option) + 128;
    char * err = flint_malloc(errsize);
    neft_points_t P;
    slong i, n;

    neft_points_init(P);
    pts->npoints = 0;
    pts->x = NULL;
    pts->text = NULL;
    if (neft_points_parse(P, text, d_in, NEFT_POINTS_DECIMAL, NEFT_CLI_MAX_POINTS, option,
                          err, errsize))
    {
        neft_cli_error("%s", err);
        flint_free(err);
        return -1;
    }
    flint_free(err);
    /* the double view (strtod's value on this grammar) and the texts move
       into pts; the rationals are not needed here */
    n = P->npoints * P->d_in;
    pts->npoints = P->npoints;
    pts->x = P->d;
    pts->text = P->text;
    for (i = 0; i < n; i++)
        fmpq_clear(P->q + i);
    flint_free(P->q);
    return 0;
}

void
neft_cli_points_clear(neft_cli_points_t * pts, slong coords)
{
    slong i;
    for (i = 0; i < coords; i++)
        flint_free(pts->text[i]);
    flint_free(pts->text);
    flint_free(pts->x);
    pts->text = NULL;
    pts->x = NULL;
}

int
neft_cli_parse_npt(unsigned * mask, const char * text, const char * option)
{
    const char * s = text;
    *mask = 0;
    for (;;)
    {
        size_t len = strcspn(s, ",");
        if (len == 1 && (s[0] == '2' || s[0] == '4' || s[0] == '6' || s[0] == '8'))
        {
            if (*mask & (1u << (s[0] - '0')))
            {
                neft_cli_error("%s: %c is given twice in '%s' (give each once)", option, s[0],
                               text);
                return -1;
            }
            *mask |= 1u << (s[0] - '0');
        }
        else
        {
            neft_cli_error("%s expects a list among 2,4,6,8, got '%s'", option, text);
            return -1;
        }
        s += len;
        if (*s == '\0')
            return 0;
        s++;
    }
}

/* ------------------------------------------------------------------ budget */

void
neft_cli_budget_init(neft_cli_budget_t * b, double default_work)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    double mem = 4.0 * 1024 * 1024 * 1024, limit;
    const char * why;

    if (pages > 0 && page > 0)
        mem = 0.5 * (double) pages * (double) page;
    b->max_work = default_work;
    b->max_memory = mem < NEFT_CLI_MEMORY_CAP ? mem : NEFT_CLI_MEMORY_CAP;
    b->memory_why = NULL;
    /* ulimit -v and the cgroup's limit: a run that cannot fit is refused
       up front rather than killed by the allocation-failure handler */
    limit = neft_memory_limit(&why);
    if (limit >= 0 && limit < b->max_memory)
    {
        b->max_memory = limit;
        b->memory_why = why;
    }
}

int
neft_cli_parse_work(double * out, const char * text, const char * option)
{
    char * end;
    double v;
    errno = 0;
    v = strtod(text, &end);
    if (text[0] == '\0' || isspace((unsigned char) text[0]) || *end != '\0'
        || errno == ERANGE || !isfinite(v) || v <= 0)
    {
        neft_cli_error("%s expects a positive number of operations (such as 1e12), got '%s'",
                       option, text);
        return -1;
    }
    *out = v;
    return 0;
}

int
neft_cli_parse_size(double * out, const char * text, const char * option)
{
    static const char units[] = "kmgt";
    char * end;
    const char * u;
    double v;
    errno = 0;
    v = strtod(text, &end);
    if (text[0] != '\0' && !isspace((unsigned char) text[0]) && end != text && errno != ERANGE
        && isfinite(v) && v > 0)
    {
        /* one optional suffix: k, M, G, T (either case), powers of 1024 */
        if (*end != '\0')
        {
            u = end[1] == '\0' ? strchr(units, tolower((unsigned char) *end)) : NULL;
            v = u != NULL ? v * pow(1024.0, (double) (u - units + 1)) : -1;
        }
        if (v > 0 && isfinite(v))
        {
            *out = v;
            return 0;
        }
    }
    neft_cli_error("%s expects a positive size in bytes with an optional k, M, G or T suffix "
                   "(such as 8G), got '%s'", option, text);
    return -1;
}

int
neft_cli_budget_option(neft_cli_budget_t * b, int argc, char ** argv, int * i)
{
    const char * a = argv[*i], * v;
    int work = !strcmp(a, "--max-work");
    if (!work && strcmp(a, "--max-memory"))
        return 0;
    if (!(v = neft_cli_value(argc, argv, i)))
        return -1;
    if (work ? neft_cli_parse_work(&b->max_work, v, a) : neft_cli_parse_size(&b->max_memory, v, a))
        return -1;
    if (!work)
        b->memory_why = NULL;
    return 1;
}

void
neft_cli_format_size(char * buf, size_t size, double bytes, int up)
{
    static const char units[] = " kMGT";
    int u = 0, digits;
    double v = bytes, scale;
    while (v >= 1024 && u < 4)
    {
        v /= 1024;
        u++;
    }
    /* three significant digits (no fraction for bytes) */
    digits = (u == 0 || v >= 100) ? 0 : v >= 10 ? 1 : 2;
    scale = pow(10.0, digits);
    v = up ? ceil(v * scale - 1e-9) / scale : floor(v * scale + 0.5) / scale;
    if (u == 0)
        snprintf(buf, size, "%.0f", v);
    else
    {
        char * p;
        snprintf(buf, size, "%.*f", digits, v);
        /* 1.50 -> 1.5, 2.00 -> 2 */
        if ((p = strchr(buf, '.')) != NULL)
        {
            char * q = buf + strlen(buf) - 1;
            while (q > p && *q == '0')
                *q-- = '\0';
            if (q == p)
                *q = '\0';
        }
        snprintf(buf + strlen(buf), size - strlen(buf), "%c", units[u]);
    }
}

/* ops rounded up to two significant digits, as "%.2g" prints it */
static double
round_up_2(double x)
{
    double e = pow(10.0, floor(log10(x)) - 1), r = ceil(x / e - 1e-9) * e;
    char buf[64];
    snprintf(buf, sizeof(buf), "%.2g", r);
    while (strtod(buf, NULL) < x)
    {
        r += e;
        snprintf(buf, sizeof(buf), "%.2g", r);
    }
    return strtod(buf, NULL);
}

int
neft_cli_budget_check(const neft_cli_budget_t * b, double ops, const char * how_ops,
                      double bytes, const char * how_bytes)
{
    if (!(bytes <= b->max_memory))
    {
        char need[32], have[32], raise[32];
        neft_cli_format_size(need, sizeof(need), bytes, 0);
        neft_cli_format_size(have, sizeof(have), b->max_memory, 0);
        neft_cli_format_size(raise, sizeof(raise), bytes, 1);
        neft_cli_error("this run needs about %sB of memory%s%s%s, beyond the budget of %sB%s%s%s; "
                       "raise it with --max-memory %s", need, how_bytes ? " (" : "",
                       how_bytes ? how_bytes : "", how_bytes ? ")" : "", have,
                       b->memory_why ? " (the memory left under " : "",
                       b->memory_why ? b->memory_why : "", b->memory_why ? ")" : "", raise);
        return -1;
    }
    if (!(ops <= b->max_work))
    {
        neft_cli_error("this run needs about %.2g operations%s%s%s, beyond the budget of %g; "
                       "raise it with --max-work %.2g", ops, how_ops ? " (" : "",
                       how_ops ? how_ops : "", how_ops ? ")" : "", b->max_work,
                       isfinite(ops) ? round_up_2(ops) : HUGE_VAL);
        return -1;
    }
    return 0;
}

int
neft_cli_bits_check(double bits, const char * how)
{
    if (bits <= NEFT_CLI_GMP_MAX_BITS)
        return 0;
    neft_cli_error("the exact rationals of this run would reach about %.3g bits (%s), beyond "
                   "GMP's limit of %.3g bits per number", bits, how, NEFT_CLI_GMP_MAX_BITS);
    return -1;
}

/* ------------------------------------------------------------------ output */

static const char * output_name = NULL;

void
neft_cli_set_output_name(const char * name)
{
    output_name = name;
}

void
neft_cli_write_error(int e)
{
    neft_cli_error("%s: cannot write: %s", output_name ? output_name : "standard output",
                   e != 0 ? strerror(e) : "write error");
}

FILE *
neft_cli_out_open(neft_cli_out_t * o)
{
    o->buf = NULL;
    o->len = 0;
    o->fp = open_memstream(&o->buf, &o->len);
    if (o->fp == NULL)
        neft_cli_error("cannot hold the output in memory: %s", strerror(errno));
    return o->fp;
}

int
neft_cli_out_close(neft_cli_out_t * o, int ok)
{
    int bad = 0;
    if (o->fp == NULL)
        return 0;
    if (fclose(o->fp) != 0)
    {
        neft_cli_error("cannot hold the output in memory");
        bad = 1;
    }
    else if (ok && ((o->len > 0 && fwrite(o->buf, 1, o->len, stdout) != o->len)
                    || fflush(stdout) != 0))
    {
        neft_cli_write_error(errno);
        bad = 1;
    }
    free(o->buf);
    o->fp = NULL;
    o->buf = NULL;
    o->len = 0;
    return bad ? -1 : 0;
}

int
neft_cli_parse_format(int * json, const char * v)
{
    if (!strcmp(v, "json") || !strcmp(v, "text"))
    {
        *json = !strcmp(v, "json");
        return 0;
    }
    neft_cli_error("unknown format '%s' (expected text or json)", v);
    return -1;
}
