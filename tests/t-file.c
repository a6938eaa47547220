/* Atomic output files and report directories (neft/file.h): the target is
   unchanged until the commit, whole after it, and nothing temporary is left
   behind by a commit, an abort, a failure or neft_file_remove_pending. */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "neft/file.h"

static int failures = 0;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); \
    printf(__VA_ARGS__); printf("\n"); } } while (0)

static char root[] = "/tmp/neft-t-file-XXXXXX";

static char *
path(const char * name)
{
    static char buf[8][512];
    static int k = 0;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", root, name);
    return buf[k];
}

static char *
slurp(const char * p)
{
    static char buf[4096];
    FILE * f = fopen(p, "rb");
    size_t n;
    if (f == NULL)
        return NULL;
    n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void
spit(const char * p, const char * text)
{
    FILE * f = fopen(p, "wb");
    fputs(text, f);
    fclose(f);
}

/* number of entries of dir (without . and ..) */
static int
entries(const char * dir)
{
    DIR * d = opendir(dir);
    struct dirent * e;
    int n = 0;
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void
files(void)
{
    neft_file_t f;
    char * s;

    /* a new file: absent until the commit */
    CHECK(neft_file_open(f, path("a.txt")) == 0, "open: %s", strerror(errno));
    fputs("new text\n", f->fp);
    fflush(f->fp);
    CHECK(access(path("a.txt"), F_OK) != 0, "the target exists before the commit");
    CHECK(entries(root) == 1, "one temporary file while pending");
    CHECK(neft_file_commit(f) == 0, "commit");
    s = slurp(path("a.txt"));
    CHECK(s && !strcmp(s, "new text\n"), "content after the commit");
    CHECK(entries(root) == 1, "temporary file left after the commit");

    /* an existing file: unchanged until the commit, unchanged by an abort */
    CHECK(neft_file_open(f, path("a.txt")) == 0, "open 2");
    fputs("second version\n", f->fp);
    fflush(f->fp);
    s = slurp(path("a.txt"));
    CHECK(s && !strcmp(s, "new text\n"), "the target changed before the commit");
    neft_file_abort(f);
    neft_file_abort(f);     /* a second abort is a no-op */
    s = slurp(path("a.txt"));
    CHECK(s && !strcmp(s, "new text\n"), "the target changed by an abort");
    CHECK(entries(root) == 1, "temporary file left after an abort");

    /* pending files removed by the signal-handler cleanup */
    CHECK(neft_file_open(f, path("b.txt")) == 0, "open 3");
    CHECK(entries(root) == 2, "pending temporary file");
    neft_file_remove_pending();
    CHECK(entries(root) == 1, "remove_pending left the temporary file");
    neft_file_abort(f);

    /* whole-buffer writes; failures leave nothing */
    CHECK(neft_file_write_atomic(path("a.txt"), "xyz", 3), "write_atomic");
    s = slurp(path("a.txt"));
    CHECK(s && !strcmp(s, "xyz"), "write_atomic content");
    CHECK(!neft_file_write_atomic(path("no/such/dir.txt"), "x", 1) && errno == ENOENT,
          "write into a missing directory: errno %d", errno);
    CHECK(neft_file_open(f, root) != 0 && errno == EISDIR, "a directory as target");
    CHECK(entries(root) == 1, "a failure left something");
}

static void
dirs(void)
{
    neft_file_t f;
    char * s;

    /* a new report directory */
    CHECK(neft_file_dir_open(f, path("rep"), "report.json") == 0, "dir_open: %s", strerror(errno));
    CHECK(access(path("rep"), F_OK) != 0, "the report exists before the commit");
    {
        char p[600];
        snprintf(p, sizeof p, "%s/report.json", f->tmp);
        spit(p, "one");
    }
    CHECK(neft_file_dir_commit(f) == 0, "dir_commit: %s", strerror(errno));
    s = slurp(path("rep/report.json"));
    CHECK(s && !strcmp(s, "one"), "report content");

    /* replacing it: the old one untouched until the commit, gone after */
    CHECK(neft_file_dir_open(f, path("rep"), "report.json") == 0, "dir_open 2");
    {
        char p[600];
        snprintf(p, sizeof p, "%s/report.json", f->tmp);
        spit(p, "two");
        snprintf(p, sizeof p, "%s/figure.tex", f->tmp);
        spit(p, "fig");
    }
    s = slurp(path("rep/report.json"));
    CHECK(s && !strcmp(s, "one"), "the report changed before the commit");
    CHECK(neft_file_dir_commit(f) == 0, "dir_commit 2");
    s = slurp(path("rep/report.json"));
    CHECK(s && !strcmp(s, "two"), "replaced report content");
    CHECK(entries(path("rep")) == 2, "the replaced report has %d files", entries(path("rep")));

    /* an abort, and the signal-handler cleanup of a staging directory with files */
    CHECK(neft_file_dir_open(f, path("rep"), "report.json") == 0, "dir_open 3");
    {
        char p[600];
        snprintf(p, sizeof p, "%s/report.json", f->tmp);
        spit(p, "three");
    }
    neft_file_dir_abort(f);
    s = slurp(path("rep/report.json"));
    CHECK(s && !strcmp(s, "two"), "an abort changed the report");
    CHECK(neft_file_dir_open(f, path("rep"), "report.json") == 0, "dir_open 4");
    {
        char p[600];
        snprintf(p, sizeof p, "%s/report.json", f->tmp);
        spit(p, "four");
    }
    neft_file_remove_pending();
    CHECK(access(f->tmp, F_OK) != 0, "remove_pending left the staging directory");
    neft_file_dir_abort(f);
    CHECK(entries(root) == 2, "left %d entries (a.txt, rep)", entries(root));

    /* never replace what is not a report */
    mkdir(path("mine"), 0777);
    spit(path("mine/thesis.tex"), "keep");
    CHECK(neft_file_dir_open(f, path("mine"), "report.json") != 0 && errno == EEXIST,
          "a user's directory accepted");
    CHECK(neft_file_dir_open(f, path("a.txt"), "report.json") != 0 && errno == ENOTDIR,
          "a file accepted as report directory");
    mkdir(path("empty"), 0777);
    CHECK(neft_file_dir_open(f, path("empty"), "report.json") == 0, "an empty directory refused");
    CHECK(neft_file_dir_commit(f) == 0, "dir_commit into an empty directory");
    s = slurp(path("mine/thesis.tex"));
    CHECK(s && !strcmp(s, "keep"), "the user's file changed");
    CHECK(entries(root) == 4, "left %d entries", entries(root));
}

int
main(void)
{
    char cmd[600];

    if (mkdtemp(root) == NULL)
    {
        perror("mkdtemp");
        return 1;
    }
    files();
    dirs();
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        printf("warning: could not remove %s\n", root);
    printf("t-file: %s\n", failures ? "FAIL" : "PASS");
    return failures != 0;
}
