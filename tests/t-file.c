/* Atomic output files and report directories (neft/file.h): the target is
   unchanged until the commit, whole after it, and nothing temporary is left
   behind by a commit, an abort, a failure or neft_file_remove_pending. */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "neft/file.h"
#include "neft-test.h"

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
    CHECK(neft_file_open(f, path("a.txt/")) != 0 && errno == ENOTDIR, "a file with a slash");
    CHECK(neft_file_open(f, path("new/")) != 0 && errno == ENOTDIR, "a new name with a slash");
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
        neft_test_write_file(p, "one");
    }
    CHECK(neft_file_dir_commit(f) == 0, "dir_commit: %s", strerror(errno));
    s = slurp(path("rep/report.json"));
    CHECK(s && !strcmp(s, "one"), "report content");

    /* replacing it: the old one untouched until the commit, gone after */
    CHECK(neft_file_dir_open(f, path("rep"), "report.json") == 0, "dir_open 2");
    {
        char p[600];
        snprintf(p, sizeof p, "%s/report.json", f->tmp);
        neft_test_write_file(p, "two");
        snprintf(p, sizeof p, "%s/figure.tex", f->tmp);
        neft_test_write_file(p, "fig");
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
        neft_test_write_file(p, "three");
    }
    neft_file_dir_abort(f);
    s = slurp(path("rep/report.json"));
    CHECK(s && !strcmp(s, "two"), "an abort changed the report");
    CHECK(neft_file_dir_open(f, path("rep"), "report.json") == 0, "dir_open 4");
    {
        char p[600];
        snprintf(p, sizeof p, "%s/report.json", f->tmp);
        neft_test_write_file(p, "four");
    }
    neft_file_remove_pending();
    CHECK(access(f->tmp, F_OK) != 0, "remove_pending left the staging directory");
    neft_file_dir_abort(f);
    CHECK(entries(root) == 2, "left %d entries (a.txt, rep)", entries(root));

    /* never replace what is not a report */
    mkdir(path("mine"), 0777);
    neft_test_write_file(path("mine/thesis.tex"), "keep");
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

/* Targets: symbolic links followed (the link stays), FIFOs written through
   by neft_file_open_output and refused by neft_file_open, the replaced
   file's permissions kept. */
static void
targets(void)
{
    neft_file_t f;
    struct stat st;
    char * s, * t, buf[64];
    int rd;
    ssize_t n;

    mkdir(path("tg"), 0777);
    neft_test_write_file(path("tg/real.txt"), "old");
    chmod(path("tg/real.txt"), 0640);
    CHECK(symlink("real.txt", path("tg/link")) == 0, "symlink");
    CHECK(symlink("link", path("tg/link2")) == 0, "symlink 2");
    t = neft_file_target(path("tg/link2"));
    CHECK(t && !strcmp(t, path("tg/real.txt")), "target of a chain: %s", t ? t : "NULL");
    free(t);
    CHECK(neft_file_open(f, path("tg/link2")) == 0, "open through a link: %s", strerror(errno));
    fputs("new", f->fp);
    CHECK(neft_file_commit(f) == 0, "commit through a link");
    CHECK(lstat(path("tg/link2"), &st) == 0 && S_ISLNK(st.st_mode), "the link was replaced");
    CHECK(lstat(path("tg/link"), &st) == 0 && S_ISLNK(st.st_mode), "the inner link was replaced");
    s = slurp(path("tg/real.txt"));
    CHECK(s && !strcmp(s, "new"), "the target's content");
    CHECK(stat(path("tg/real.txt"), &st) == 0 && (st.st_mode & 07777) == 0640,
          "the permissions were not kept: %o", (unsigned) (st.st_mode & 07777));
    /* a dangling link: the target is created, the link stays */
    CHECK(symlink("made.txt", path("tg/dangling")) == 0, "symlink 3");
    CHECK(neft_file_write_atomic(path("tg/dangling"), "x", 1), "write through a dangling link");
    s = slurp(path("tg/made.txt"));
    CHECK(s && !strcmp(s, "x") && lstat(path("tg/dangling"), &st) == 0 && S_ISLNK(st.st_mode),
          "dangling link");
    /* loops, links to directories */
    CHECK(symlink("loop-b", path("tg/loop-a")) == 0 && symlink("loop-a", path("tg/loop-b")) == 0,
          "symlink loop");
    CHECK(neft_file_open(f, path("tg/loop-a")) != 0 && errno == ELOOP, "a loop: errno %d", errno);
    CHECK(symlink(root, path("tg/dirlink")) == 0, "symlink 4");
    CHECK(neft_file_open(f, path("tg/dirlink")) != 0 && errno == EISDIR, "a link to a directory");
    /* a FIFO: refused by neft_file_open, written through by _output */
    CHECK(mkfifo(path("tg/fifo"), 0666) == 0, "mkfifo");
    CHECK(neft_file_kind(path("tg/fifo")) == NEFT_FILE_FIFO, "kind of a FIFO");
    CHECK(neft_file_open(f, path("tg/fifo")) != 0 && errno == EINVAL, "a FIFO accepted");
    rd = open(path("tg/fifo"), O_RDONLY | O_NONBLOCK);
    CHECK(neft_file_open_output(f, path("tg/fifo")) == 0 && f->direct && f->tmp == NULL,
          "open_output of a FIFO: %s", strerror(errno));
    fputs("through", f->fp);
    CHECK(neft_file_commit(f) == 0, "commit into a FIFO");
    n = read(rd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = '\0';
    CHECK(!strcmp(buf, "through"), "read from the FIFO: '%s'", buf);
    CHECK(lstat(path("tg/fifo"), &st) == 0 && S_ISFIFO(st.st_mode), "the FIFO was replaced");
    /* an abort of a write-through output closes it and removes nothing */
    CHECK(neft_file_open_output(f, path("tg/fifo")) == 0, "open_output 2");
    neft_file_abort(f);
    CHECK(lstat(path("tg/fifo"), &st) == 0 && S_ISFIFO(st.st_mode), "an abort removed the FIFO");
    close(rd);
    /* a report directory behind a symbolic link */
    CHECK(symlink("rep-real", path("tg/rep")) == 0, "symlink 5");
    CHECK(neft_file_dir_open(f, path("tg/rep"), "report.json") == 0, "dir_open through a link");
    CHECK(neft_file_dir_commit(f) == 0, "dir_commit through a link");
    CHECK(lstat(path("tg/rep"), &st) == 0 && S_ISLNK(st.st_mode)
          && stat(path("tg/rep-real"), &st) == 0 && S_ISDIR(st.st_mode), "report link");
    CHECK(entries(path("tg/rep-real")) == 0, "the owner record stayed in the report");
    CHECK(neft_file_dir_open(f, path("tg/fifo"), "report.json") != 0 && errno == ENOTDIR,
          "a FIFO as report directory");
    snprintf(buf, sizeof buf, "rm -rf '%s'", path("tg"));
    CHECK(system(buf) == 0, "rm");
}

static int notices = 0;

static void
count_notice(void * arg, const char * msg)
{
    (void) arg;
    (void) msg;
    notices++;
}

/* Temporaries of dead writers removed, of live ones (this process, another
   machine) and look-alikes kept. */
static void
owners(void)
{
    neft_file_t f;
    char live[600], name[700], * rest;
    long pid, dead;
    unsigned long long start;
    unsigned int host;
    char suffix[8];
    pid_t child;
    int removed;

    mkdir(path("ow"), 0777);
    CHECK(neft_file_open(f, path("ow/x.txt")) == 0, "open");
    snprintf(live, sizeof live, "%s", f->tmp);
    rest = live + strlen(path("ow/x.txt.tmp-"));
    CHECK(sscanf(rest, "%ld-%llu-%8x-%6s", &pid, &start, &host, suffix) == 4
          && pid == (long) getpid() && strlen(suffix) == 6,
          "the temporary name %s has no owner record", live);
    child = fork();
    if (child == 0)
        _exit(0);
    waitpid(child, NULL, 0);
    dead = (long) child;
#define FAKE(fmt, ...) (snprintf(name, sizeof name, "%s" fmt, path("ow/"), __VA_ARGS__), name)
    neft_test_write_file(FAKE("x.txt.tmp-%ld-%llu-%08x-aaaaaa", dead, start, host), "dead writer");
    neft_test_write_file(FAKE("x.txt.tmp-%ld-%llu-%08x-bbbbbb", pid, start + 1, host), "pid reused");
    neft_test_write_file(FAKE("x.txt.tmp-%ld-%llu-%08x-cccccc", pid, start, host), "live (this process)");
    neft_test_write_file(FAKE("x.txt.tmp-%ld-%llu-%08x-dddddd", dead, start, host ^ 1u), "another machine");
    neft_test_write_file(FAKE("x.txt.tmp-%s", "abcdef"), "a look-alike");
    neft_test_write_file(FAKE("x.txt.tmp-%ld-%llu-%08x-eeeeee.bak", dead, start, host), "a look-alike 2");
    neft_test_write_file(FAKE("y.txt.tmp-%ld-%llu-%08x-ffffff", dead, start, host), "another target");
    mkdir(FAKE("x.txt.tmp-%ld-%llu-%08x-gggggg", dead, start, host), 0777);      /* empty */
    mkdir(FAKE("x.txt.tmp-%ld-%llu-%08x-hhhhhh", dead, start, host), 0777);
    neft_test_write_file(FAKE("x.txt.tmp-%ld-%llu-%08x-hhhhhh/.neft-staging", dead, start, host), "record");
    neft_test_write_file(FAKE("x.txt.tmp-%ld-%llu-%08x-hhhhhh/report.json", dead, start, host), "{}");
    mkdir(FAKE("x.txt.tmp-%ld-%llu-%08x-iiiiii", dead, start, host), 0777);
    neft_test_write_file(FAKE("x.txt.tmp-%ld-%llu-%08x-iiiiii/thesis.tex", dead, start, host), "a user's");
    mkdir(FAKE("x.txt.old-%ld-%llu-%08x-jjjjjj", dead, start, host), 0777);
    neft_test_write_file(FAKE("x.txt.old-%ld-%llu-%08x-jjjjjj/report.json", dead, start, host), "{}");
    CHECK(entries(path("ow")) == 12, "%d entries", entries(path("ow")));
    neft_file_set_notice(count_notice, NULL);
    removed = neft_file_remove_orphans(path("ow/x.txt"), "report.json");
    neft_file_set_notice(NULL, NULL);
    /* gone: dead writer, reused pid, the empty and the recorded staging
       directories, the previous report moved aside */
    CHECK(removed == 5 && notices == 5, "removed %d, said %d (expected 5)", removed, notices);
    CHECK(access(live, F_OK) == 0, "the live temporary file was removed");
    CHECK(access(FAKE("x.txt.tmp-%ld-%llu-%08x-cccccc", pid, start, host), F_OK) == 0,
          "a live writer's file was removed");
    CHECK(access(FAKE("x.txt.tmp-%ld-%llu-%08x-dddddd", dead, start, host ^ 1u), F_OK) == 0,
          "another machine's file was removed");
    CHECK(access(FAKE("x.txt.tmp-%ld-%llu-%08x-iiiiii/thesis.tex", dead, start, host), F_OK) == 0,
          "a directory without an owner record was removed");
    CHECK(entries(path("ow")) == 7, "%d entries left (7 expected)", entries(path("ow")));
    neft_file_abort(f);
#undef FAKE
    snprintf(name, sizeof name, "rm -rf '%s'", path("ow"));
    CHECK(system(name) == 0, "rm");
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
    targets();
    owners();
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        printf("warning: could not remove %s\n", root);
    return neft_test_finish("t-file");
}
