/* A progress bar with a rate and an ETA on stderr, for long commands whose
   library reports "done of total" (validate's stages). */

#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "cli.h"

static double
_wall(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

void
neft_cli_meter_init(neft_cli_meter_t * m, int on)
{
    memset(m, 0, sizeof *m);
    m->on = on;
    m->start = _wall();     /* the first stage's clock starts with the command */
}

void
neft_cli_meter_draw(neft_cli_meter_t * m, const char * what, double done, double total)
{
    double t = _wall(), frac, el, rate, eta;
    char bar[31];
    int i, filled;

    if (!m->on)
        return;
    /* a new stage (another unit, or a count that went back) restarts the
       clock; the first one keeps the command's, so that a stage drawn only
       once, at its end, still has a rate */
    if (strncmp(m->what, what, sizeof m->what - 1) != 0 || done < m->done)
    {
        if (m->what[0] != '\0')
            m->start = t;
        snprintf(m->what, sizeof m->what, "%s", what);
        m->last = 0;
    }
    m->done = done;
    if (t - m->last < 0.2 && done < total)
        return;     /* at most five redraws a second, and always the last */
    m->last = t;
    frac = total > 0 ? done / total : 1.0;
    frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
    el = t - m->start;
    rate = el > 0 ? done / el : 0;
    eta = rate > 0 ? (total - done) / rate : 0;
    filled = (int) (frac * 30);
    for (i = 0; i < 30; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[30] = '\0';
    if (rate > 0)
        fprintf(stderr, "\r[%s] %5.1f%%  %.3g %s/s  ETA %d:%02d  ", bar, 100 * frac, rate,
                m->what, (int) (eta / 60), (int) eta % 60);
    else
        fprintf(stderr, "\r[%s] %5.1f%%  %s  ", bar, 100 * frac, m->what);
    fflush(stderr);
    m->shown = 1;
}

void
neft_cli_meter_clear(neft_cli_meter_t * m)
{
    if (m->shown)
        fprintf(stderr, "\r%72s\r", "");
    m->shown = 0;
}
