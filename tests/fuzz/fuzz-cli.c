/* libFuzzer target: the argument parsers of `neft diagrams` and `neft sample`,
   driven through their entry points with fuzzed argv.
 *
 * Input: the first byte chooses the command (even: diagrams, odd: sample); the
 * rest is split at NUL and newline bytes into arguments.  So that every run is
 * fast and harmless the harness
 *   - runs in a fresh temporary directory holding one small rules file,
 *     tiny.rules, and refuses arguments with '/' (no path outside it);
 *   - refuses --checkpoint (it would write files) and --threads;
 *   - bounds the sizes: values of --width, --d-in at most 2 characters,
 *     --widths 12, --at 24, and appends `--max-terms 200` (diagrams) or
 *     `--threads 1 --models 512` (sample), which override earlier values;
 *   - sends stdout to /dev/null.
 * Every exit status is fine (0, 1, 2); a crash, leak or sanitizer report is
 * not. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../src/cli/cli.h"

int LLVMFuzzerInitialize(int * argc, char *** argv);
int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size);

#define MAX_ARGS 64

static char dir[64];

static void
cleanup(void)
{
    char path[96];
    snprintf(path, sizeof(path), "%s/tiny.rules", dir);
    remove(path);
    rmdir(dir);
}

int
LLVMFuzzerInitialize(int * argc, char *** argv)
{
    FILE * fp;
    (void) argc;
    (void) argv;
    snprintf(dir, sizeof(dir), "/tmp/neft-fuzz-cli.XXXXXX");
    if (mkdtemp(dir) == NULL || chdir(dir) != 0)
        abort();
    fp = fopen("tiny.rules", "w");
    if (fp == NULL)
        abort();
    fputs("name tiny\ncoupling g legs 3\ncoupling lambda legs 4 weight 1/2\n", fp);
    fclose(fp);
    atexit(cleanup);
    if (freopen("/dev/null", "w", stdout) == NULL)
        abort();
    return 0;
}

/* 1 when the value of option `opt` is too big for a fast run. */
static int
too_big(const char * opt, const char * value)
{
    size_t len = strlen(value);
    if (!strcmp(opt, "--width") || !strcmp(opt, "--d-in"))
        return len > 2;
    if (!strcmp(opt, "--widths"))
        return len > 12;
    if (!strcmp(opt, "--at"))
        return len > 24;
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t * data, size_t size)
{
    char * buf, * argv[MAX_ARGS + 6];
    int argc = 0, sample, i;
    size_t k, start;

    if (size < 1)
        return 0;
    sample = data[0] & 1;
    buf = malloc(size);
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = '\0';
    argv[argc++] = sample ? "sample" : "diagrams";
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
    {
        if (strchr(argv[i], '/') != NULL || !strcmp(argv[i], "--checkpoint")
            || !strcmp(argv[i], "--threads"))
            goto skip;
        if (i + 1 < argc && too_big(argv[i], argv[i + 1]))
            goto skip;
    }
    if (sample)
    {
        argv[argc++] = "--threads";
        argv[argc++] = "1";
        argv[argc++] = "--models";
        argv[argc++] = "512";
        neft_cli_sample(argc, argv);
    }
    else
    {
        argv[argc++] = "--max-terms";
        argv[argc++] = "200";
        neft_cli_diagrams(argc, argv);
    }
skip:
    free(buf);
    return 0;
}
