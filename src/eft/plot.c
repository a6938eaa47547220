/* Figures for the validation report: standalone pgfplots documents, compiled
 * with pdflatex and rendered with pdftoppm when those are installed. */

#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "neft/eft.h"
#include "neft/file.h"
#include "neft/interrupt.h"

static int
_keep(double x, double y, const neft_eft_plot_t * p)
{
    if (!isfinite(x) || !isfinite(y))
        return 0;
    if ((p->logx && x <= 0) || (p->logy && y <= 0))
        return 0;
    return 1;
}

/* One axis environment for p; below != 0 places it under the previous one
   (named "top"), sharing its width. */
static void
_axis(FILE * m, const neft_eft_plot_t * p, int below)
{
    slong s, i;
    static const char * marks[] = {"*", "square*", "triangle*", "diamond*", "o", "square",
                                   "triangle", "diamond"};
    static const char * colours[] = {"blue", "red", "black", "teal", "orange", "violet",
                                     "brown", "gray"};

    fprintf(m, "\\begin{axis}[%swidth=11cm, height=8cm, %s%s"
               "title={%s}, xlabel={%s}, ylabel={%s}, legend pos=%s,"
               " legend style={font=\\footnotesize}, grid=major]\n",
            below == 0 ? "name=top, " : "at={(top.below south west)}, anchor=north west, "
                                        "yshift=-1.2cm, ",
            p->logx ? "xmode=log, " : "", p->logy ? "ymode=log, " : "",
            p->title ? p->title : "", p->xlabel ? p->xlabel : "",
            p->ylabel ? p->ylabel : "", below ? "south east" : "north east");
    for (s = 0; s < p->nseries && s < NEFT_EFT_PLOT_MAX_SERIES; s++)
    {
        const neft_eft_series_t * c = p->series + s;
        slong kept = 0;
        for (i = 0; i < c->n; i++)
            kept += _keep(c->x[i], c->y[i], p);
        if (kept == 0)
            continue;
        if (c->line)
            fprintf(m, "\\addplot[%s, thick, no marks%s] coordinates {\n", colours[s],
                    c->line == 2 ? ", dashed" : "");
        else
            fprintf(m, "\\addplot[%s, only marks, mark=%s%s] coordinates {\n", colours[s],
                    marks[s], c->yerr ? ", error bars/.cd, y dir=both, y explicit" : "");
        for (i = 0; i < c->n; i++)
        {
            if (!_keep(c->x[i], c->y[i], p))
                continue;
            if (c->yerr && !c->line && isfinite(c->yerr[i]))
            {
                /* on a log axis the lower half of an error bar reaching
                   below zero is clipped to 90% of the value */
                double e = c->yerr[i], lo = e;
                if (p->logy && lo > 0.9 * c->y[i])
                    lo = 0.9 * c->y[i];
                fprintf(m, "  (%.10g, %.10g) += (0, %.10g) -= (0, %.10g)\n", c->x[i], c->y[i],
                        e, lo);
            }
            else
                fprintf(m, "  (%.10g, %.10g)\n", c->x[i], c->y[i]);
        }
        fputs("};\n", m);
        if (c->label)
            fprintf(m, "\\addlegendentry{%s}\n", c->label);
    }
    fputs("\\end{axis}\n", m);
}

/* The document with p, and q (or NULL) under it. */
static int
_write(const char * path, const neft_eft_plot_t * p, const neft_eft_plot_t * q)
{
    char * buf = NULL;
    size_t len = 0;
    FILE * m = open_memstream(&buf, &len);
    int ok;

    if (m == NULL)
        return 0;
    /* article + geometry rather than the standalone class, which Debian
       ships only in the large texlive-latex-extra */
    fprintf(m, "\\documentclass{article}\n"
            "\\usepackage[paperwidth=12.5cm,paperheight=%s,margin=2mm]{geometry}\n"
            "\\usepackage{pgfplots}\n\\pgfplotsset{compat=1.16}\n\\pagestyle{empty}\n"
            "\\begin{document}\n\\centering\n\\begin{tikzpicture}\n",
            q == NULL ? "9cm" : "18.5cm");
    _axis(m, p, 0);
    if (q != NULL)
        _axis(m, q, 1);
    fputs("\\end{tikzpicture}\n\\end{document}\n", m);
    if (fclose(m) != 0)
    {
        free(buf);
        return 0;
    }
    ok = neft_file_write_atomic(path, buf, len);
    free(buf);
    return ok;
}

int
neft_eft_plot_write_tex(const char * path, const neft_eft_plot_t * p)
{
    return _write(path, p, NULL);
}

int
neft_eft_plot_write_tex2(const char * path, const neft_eft_plot_t * top,
                         const neft_eft_plot_t * bottom)
{
    return _write(path, top, bottom);
}

/* Is an executable NAME on PATH? */
static int
_have_tool(const char * name)
{
    const char * path = getenv("PATH");
    char buf[4096];
    const char * p = path;

    if (path == NULL)
        return 0;
    while (*p)
    {
        const char * q = strchr(p, ':');
        size_t n = q ? (size_t) (q - p) : strlen(p);
        if (n > 0 && n + strlen(name) + 2 < sizeof buf)
        {
            memcpy(buf, p, n);
            buf[n] = '/';
            strcpy(buf + n + 1, name);
            if (access(buf, X_OK) == 0)
                return 1;
        }
        if (!q)
            break;
        p = q + 1;
    }
    return 0;
}

/* Runs argv in directory dir with stdout/stderr to /dev/null; exit status or -1. */
static int
_run(const char * dir, char * const argv[])
{
    pid_t pid;
    int st;

    /* the child must not write the parent's unflushed buffers again */
    fflush(NULL);
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0)
    {
        FILE * nul;
        if (chdir(dir) != 0)
            _exit(127);
        nul = freopen("/dev/null", "w", stdout);
        nul = freopen("/dev/null", "w", stderr);
        (void) nul;
        if (freopen("/dev/null", "r", stdin) == NULL)
            _exit(127);
        execvp(argv[0], argv);
        _exit(127);
    }
    /* a stop request (neft/interrupt.h) ends the child too */
    for (;;)
    {
        struct timespec ts = {0, 10000000};
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            return -1;
        if (neft_interrupted())
        {
            kill(pid, SIGKILL);
            while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
                ;
            return -1;
        }
        nanosleep(&ts, NULL);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int
neft_eft_plot_compile(const char * dir, const char * base, char * why, size_t len)
{
    char tex[1024], png[1024];

    if (!_have_tool("pdflatex"))
    {
        snprintf(why, len, "pdflatex not found: figures left as .tex (install texlive-latex-base "
                 "and texlive-pictures)");
        return 1;
    }
    snprintf(tex, sizeof tex, "%s.tex", base);
    {
        char * av[] = {"pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex, NULL};
        if (_run(dir, av) != 0)
        {
            snprintf(why, len, "pdflatex failed on %s/%s (see %s/%s.log)", dir, tex, dir, base);
            return 2;
        }
    }
    if (!_have_tool("pdftoppm"))
    {
        snprintf(why, len, "pdftoppm not found: %s/%s.pdf made, no PNG (install poppler-utils)",
                 dir, base);
        return 1;
    }
    snprintf(tex, sizeof tex, "%s.pdf", base);
    snprintf(png, sizeof png, "%s", base);
    {
        char * av[] = {"pdftoppm", "-png", "-r", "150", "-singlefile", tex, png, NULL};
        if (_run(dir, av) != 0)
        {
            snprintf(why, len, "pdftoppm failed on %s/%s", dir, tex);
            return 2;
        }
    }
    why[0] = '\0';
    return 0;
}
