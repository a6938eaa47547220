/* Shared by the fuzz targets that drive `neft` subcommands (fuzz-cli,
 * fuzz-json): a fresh working directory, and a run of one subcommand entry
 * point with stdout and stderr captured in files and the command-line
 * contract checked (DESIGN.md, docs/testing.md):
 *   - the exit status is 0, 1, 2 or 3 (docs/commands.md);
 *   - on 1, 2 or 3 nothing was written on stdout, and stderr ends with one
 *     line (status 2: is exactly one line; status 3: exactly one line,
 *     "neft: unsupported: ...") -- "neft: ..." or "FILE:...".
 * A broken contract aborts, which libFuzzer reports as a crash with the
 * input.  Sanitizer reports do not go through the captured descriptor: they
 * are sent to a duplicate of the original stderr.  Include this first (it
 * asks for _GNU_SOURCE, for nftw). */
#ifndef NEFT_FUZZ_CONTRACT_H
#define NEFT_FUZZ_CONTRACT_H

#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sanitizer/common_interface_defs.h>

static char fuzz_dir[64];
static int fuzz_out_fd = -1, fuzz_err_fd = -1, fuzz_report_fd = -1;

static int
fuzz_rm(const char * path, const struct stat * st, int flag, struct FTW * ftw)
{
    (void) st; (void) flag; (void) ftw;
    return remove(path);
}

static void
fuzz_cleanup(void)
{
    if (chdir("/") == 0)
        nftw(fuzz_dir, fuzz_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* Makes a fresh temporary directory (removed at exit) the working
   directory and opens the capture files. */
static void
fuzz_contract_init(const char * name)
{
    snprintf(fuzz_dir, sizeof(fuzz_dir), "/tmp/neft-%s.XXXXXX", name);
    if (mkdtemp(fuzz_dir) == NULL || chdir(fuzz_dir) != 0)
        abort();
    atexit(fuzz_cleanup);
    fuzz_out_fd = open(".stdout", O_RDWR | O_CREAT | O_TRUNC, 0600);
    fuzz_err_fd = open(".stderr", O_RDWR | O_CREAT | O_TRUNC, 0600);
    /* sanitizer reports to the real stderr even while fd 2 is captured
       (libFuzzer's -close_fd_mask=2 sets its own duplicate later) */
    fuzz_report_fd = dup(2);
    if (fuzz_out_fd < 0 || fuzz_err_fd < 0 || fuzz_report_fd < 0)
        abort();
    __sanitizer_set_report_fd((void *) (intptr_t) fuzz_report_fd);
}

/* Writes text to NAME in the working directory. */
static void __attribute__((unused))
fuzz_write_file(const char * name, const char * text)
{
    FILE * fp = fopen(name, "w");
    if (fp == NULL || fputs(text, fp) < 0 || fclose(fp) != 0)
        abort();
}

static void
fuzz_violation(const char * what, int status, int argc, char ** argv, const char * err)
{
    int i;
    FILE * rep = fdopen(dup(fuzz_report_fd), "w");
    if (rep != NULL)
    {
        fprintf(rep, "neft contract broken: %s (status %d)\n  argv:", what, status);
        for (i = 0; i < argc; i++)
            fprintf(rep, " '%s'", argv[i]);
        fprintf(rep, "\n  stderr: %s\n", err);
        fclose(rep);
    }
    abort();
}

/* Runs cmd(argc, argv) with stdout and stderr captured; checks the
   contract; returns the exit status. */
static int
fuzz_run(int (* cmd)(int, char **), int argc, char ** argv)
{
    static char err[4096];
    int save1, save2, status;
    struct stat st;
    ssize_t n;
    char * nl;

    fflush(stdout);
    fflush(stderr);
    if (ftruncate(fuzz_out_fd, 0) != 0 || ftruncate(fuzz_err_fd, 0) != 0)
        abort();
    lseek(fuzz_out_fd, 0, SEEK_SET);
    lseek(fuzz_err_fd, 0, SEEK_SET);
    save1 = dup(1);
    save2 = dup(2);
    if (save1 < 0 || save2 < 0 || dup2(fuzz_out_fd, 1) < 0 || dup2(fuzz_err_fd, 2) < 0)
        abort();
    status = cmd(argc, argv);
    fflush(stdout);
    fflush(stderr);
    if (dup2(save1, 1) < 0 || dup2(save2, 2) < 0)
        abort();
    close(save1);
    close(save2);
    if (status != 0 && status != 1 && status != 2 && status != 3)
        fuzz_violation("exit status not 0, 1, 2 or 3", status, argc, argv, "");
    if (status == 0)
        return status;
    if (fstat(fuzz_out_fd, &st) != 0)
        abort();
    /* the last 4 KiB of stderr */
    n = pread(fuzz_err_fd, err, sizeof(err) - 1,
              lseek(fuzz_err_fd, 0, SEEK_END) > (off_t) sizeof(err) - 1
              ? lseek(fuzz_err_fd, 0, SEEK_END) - (off_t) sizeof(err) + 1 : 0);
    err[n > 0 ? n : 0] = '\0';
    if (st.st_size != 0)
        fuzz_violation("output on stdout with a failure", status, argc, argv, err);
    if (n <= 1 || err[n - 1] != '\n' || err[n - 2] == '\n')
        fuzz_violation("no message line on stderr", status, argc, argv, err);
    nl = strchr(err, '\n');
    if ((status == 2 || status == 3)
        && (nl != err + n - 1 || lseek(fuzz_err_fd, 0, SEEK_END) != n))
        fuzz_violation("more than one line on stderr for bad input", status, argc, argv, err);
    if (status == 3 && strncmp(err, "neft: unsupported: ", 19) != 0)
        fuzz_violation("status 3 without 'neft: unsupported: '", status, argc, argv, err);
    return status;
}

#endif
