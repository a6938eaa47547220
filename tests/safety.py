#!/usr/bin/env python3
"""Outputs never destroy what neft does not own (issues 14 and 23).

Usage: python3 tests/safety.py NEFT_BINARY RULES_DIR

- `--output` into a FIFO writes through it (the FIFO stays a FIFO); into a
  symbolic link (also a chain, a dangling one, one to /proc/self/fd/1, i.e.
  /dev/stdout) it replaces the link's target and the link stays a link; a
  symbolic link to a directory and a loop are refused (status 2, one line);
  as root, character devices made with mknod in the temporary directory
  (null, full) are written through, never replaced;
- `--checkpoint` that is a FIFO is refused (not read, not replaced); one
  that is a symbolic link keeps the link; `validate --out` that is a symbolic
  link to a previous report keeps the link and replaces the report it names;
- leftovers of a run killed with SIGKILL (`FILE.tmp-*`, `DIR.tmp-*`) are
  removed by the next run on the same target, which says so on stderr; a
  live run's temporary file is never removed by another run; a file that
  merely looks like a temporary file is left alone; a stale temporary file
  of a checkpoint is removed when the checkpoint is resumed;
- a write error (here: RLIMIT_FSIZE, errno EFBIG) names the file and the
  cause in one line, for --output, stdout, the checkpoint and the report.

Only temporary directories are used; no real device node is touched.
"""

import glob
import os
import resource
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

import neftio

neft, rules = sys.argv[1], sys.argv[2]
T0 = time.time()

check = neftio.Checks()


def run(args, timeout=60, **kw):
    try:
        return subprocess.run([neft] + args, capture_output=True, timeout=timeout, **kw)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(args, "timeout", b"", b"timeout")


def one_line(r):
    lines = r.stderr.decode(errors="replace").splitlines()
    return len(lines) == 1 and lines[0].startswith("neft: ")


def leftovers(d):
    return sorted(glob.glob(os.path.join(d, "*.tmp-*")) + glob.glob(os.path.join(d, "*.old-*")))


class FifoReader(threading.Thread):
    """Reads a FIFO to its end in the background."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path, self.data = path, None
        self.start()

    def run(self):
        with open(self.path, "rb") as f:
            self.data = f.read()

    def result(self, timeout=10):
        self.join(timeout)
        return self.data


def kill_when(args, pattern, env=None):
    """Starts neft, SIGKILLs it as soon as the glob pattern matches."""
    p = subprocess.Popen([neft] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env=env)
    t0 = time.time()
    while p.poll() is None and not glob.glob(pattern) and time.time() - t0 < 20:
        time.sleep(0.002)
    p.kill()
    p.wait()
    return glob.glob(pattern)


def limited(nbytes):
    def pre():
        resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, nbytes))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return pre


phi4 = os.path.join(rules, "phi4.rules")
onen = ["onen", "--activation", "tanh", "--cw", "1", "--cb", "0", "--depth", "3", "--k1", "1"]
longrun = ["diagrams", phi4, "-n", "4", "-o", "9", "--max-terms", "100000000"]
sample = ["sample", "--activation", "relu", "--width", "20", "--models", "4096",
          "--at", "0.5;1", "--npt", "2,4", "--seed", "5", "--threads", "1"]
# validate, small and without TeX (the figures would take seconds)
quick = ["validate", "--quick", "--widths", "10,20", "--cutoffs", "1,2", "--models", "2000"]
notex = dict(os.environ, PATH="/nonexistent")
ref = run(onen).stdout
check(len(ref) > 200, "reference output")

with tempfile.TemporaryDirectory() as tmp:
    def p(name):
        return os.path.join(tmp, name)

    # 14.1 --output into a FIFO: written through, the FIFO stays
    os.mkfifo(p("fifo"))
    reader = FifoReader(p("fifo"))
    r = run(onen + ["--output", p("fifo")], timeout=20)
    got = reader.result()
    check(r.returncode == 0 and got == ref,
          f"--output FIFO: status {r.returncode}, read {None if got is None else len(got)} bytes")
    check(stat.S_ISFIFO(os.lstat(p("fifo")).st_mode), "--output FIFO: the FIFO was replaced")
    if got is None:     # the old code renamed over the FIFO: free the reader
        try:
            fd = os.open(p("fifo"), os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)
        except OSError:
            pass
    # bad input into a FIFO: status 2, the FIFO stays
    reader = FifoReader(p("fifo"))
    r = run(onen[:-1] + ["nan", "--output", p("fifo")], timeout=20)
    check(r.returncode == 2 and stat.S_ISFIFO(os.lstat(p("fifo")).st_mode),
          f"--output FIFO, bad input: status {r.returncode}")
    reader.result(2)

    # symbolic links: the target is replaced, the link stays
    open(p("real.txt"), "w").write("old\n")
    os.symlink("real.txt", p("link"))
    os.symlink("link", p("link2"))
    for name in ("link", "link2"):
        r = run(onen + ["--output", p(name)])
        check(r.returncode == 0 and os.path.islink(p(name))
              and open(p("real.txt"), "rb").read() == ref,
              f"--output symlink {name}: status {r.returncode}, link kept "
              f"{os.path.islink(p(name))}")
        open(p("real.txt"), "w").write("old\n")
    os.mkdir(p("sub"))
    os.symlink("../sub/new.txt", p("sub-link"))     # relative to the link's folder
    os.symlink("sub/new.txt", p("dangling"))
    r = run(onen + ["--output", p("dangling")])
    check(r.returncode == 0 and os.path.islink(p("dangling"))
          and open(p("sub/new.txt"), "rb").read() == ref,
          f"--output dangling symlink: status {r.returncode}")
    os.symlink(tmp, p("dirlink"))
    os.symlink("loop1", p("loop2"))
    os.symlink("loop2", p("loop1"))
    for name in ("dirlink", "loop1"):
        r = run(onen + ["--output", p(name)])
        check(r.returncode == 2 and one_line(r) and os.path.islink(p(name)),
              f"--output {name}: status {r.returncode}, {r.stderr[-200:]!r}")
    # /dev/stdout is a link to /proc/self/fd/1: a link to it writes to stdout
    os.symlink("/proc/self/fd/1", p("stdout-link"))
    r = run(onen + ["--output", p("stdout-link")])
    check(r.returncode == 0 and r.stdout == ref and os.path.islink(p("stdout-link")),
          f"--output link to /proc/self/fd/1: status {r.returncode}, {len(r.stdout)} bytes")
    # a FIFO behind a symbolic link is written through as well
    os.symlink("fifo", p("fifo-link"))
    reader = FifoReader(p("fifo"))
    r = run(onen + ["--output", p("fifo-link")], timeout=20)
    check(r.returncode == 0 and reader.result() == ref and os.path.islink(p("fifo-link"))
          and stat.S_ISFIFO(os.lstat(p("fifo")).st_mode), "--output symlink to a FIFO")
    check(leftovers(tmp) == [], f"--output: left {leftovers(tmp)}")

    # character devices made here (as root only): written through, kept
    if os.geteuid() == 0:
        os.mknod(p("null"), 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        os.mknod(p("full"), 0o666 | stat.S_IFCHR, os.makedev(1, 7))
        r = run(onen + ["--output", p("null")])
        check(r.returncode == 0 and stat.S_ISCHR(os.lstat(p("null")).st_mode),
              f"--output null device: status {r.returncode}")
        r = run(onen + ["--output", p("full")])
        err = r.stderr.decode(errors="replace")
        check(r.returncode == 1 and one_line(r) and p("full") in err and "No space" in err
              and stat.S_ISCHR(os.lstat(p("full")).st_mode),
              f"--output full device: status {r.returncode}, {err!r}")

    # --checkpoint: a FIFO is refused before anything, a symlink kept
    os.mkfifo(p("ck-fifo"))
    r = run(sample + ["--checkpoint", p("ck-fifo")], timeout=10)
    check(r.returncode == 2 and one_line(r) and stat.S_ISFIFO(os.lstat(p("ck-fifo")).st_mode),
          f"--checkpoint FIFO: status {r.returncode}, {r.stderr[-200:]!r}")
    os.symlink("ck.real", p("ck-link"))
    r = run(sample + ["--checkpoint", p("ck-link")])
    check(r.returncode == 0 and os.path.islink(p("ck-link")) and os.path.isfile(p("ck.real")),
          f"--checkpoint symlink: status {r.returncode}, link kept {os.path.islink(p('ck-link'))}")
    check(leftovers(tmp) == [], f"--checkpoint: left {leftovers(tmp)}")

    # validate --out: a symbolic link to a previous report
    os.mkdir(p("reports"))
    rep = p("reports/r1")
    os.symlink("reports/r1", p("rep-link"))
    r = run(quick + ["--no-resume", "--out", p("rep-link")], env=notex)
    check(r.returncode == 0 and os.path.islink(p("rep-link"))
          and os.path.isfile(os.path.join(rep, "report.json")),
          f"validate --out dangling link: status {r.returncode}, {r.stderr[-200:]!r}")
    if os.path.exists(os.path.join(rep, "report.tex")):
        os.unlink(os.path.join(rep, "report.tex"))
    r = run(quick + ["--no-resume", "--out", p("rep-link")], env=notex)
    check(r.returncode == 0 and os.path.islink(p("rep-link"))
          and os.path.isfile(os.path.join(rep, "report.tex")),
          f"validate --out link to a report: status {r.returncode}, {r.stderr[-200:]!r}")
    check(leftovers(tmp) == [] and leftovers(p("reports")) == [],
          f"validate: left {leftovers(tmp) + leftovers(p('reports'))}")
    r = run(quick + ["--out", p("ck-fifo")], env=notex)
    check(r.returncode == 2 and one_line(r) and stat.S_ISFIFO(os.lstat(p("ck-fifo")).st_mode),
          f"validate --out FIFO: status {r.returncode}")

    # 14.3 / 23.7 leftovers of a SIGKILLed run are removed by the next run
    out = p("out.txt")
    left = kill_when(longrun + ["--output", out], out + ".tmp-*")
    check(len(left) == 1, f"a SIGKILLed run left {left}")
    if left:
        stale = left[0]
        # a live run's temporary file is never removed by another run
        a = subprocess.Popen([neft] + longrun + ["--output", out], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
        t0 = time.time()
        while (os.path.exists(stale) or not glob.glob(out + ".tmp-*")) \
                and time.time() - t0 < 20:
            time.sleep(0.002)
        mine = [f for f in glob.glob(out + ".tmp-*") if f != stale]
        b = subprocess.Popen([neft] + longrun + ["--output", out], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
        while not set(glob.glob(out + ".tmp-*")) - set(mine + [stale]) \
                and time.time() - t0 < 20:
            time.sleep(0.002)
        check(len(mine) == 1 and os.path.exists(mine[0]),
              f"a second live run removed the first one's temporary file ({mine})")
        check(not os.path.exists(stale), f"the stale {stale} was not removed by a new run")
        for q in (a, b):
            q.send_signal(signal.SIGTERM)
        errs = [q.communicate(timeout=20)[1].decode(errors="replace") for q in (a, b)]
        check(sum(os.path.basename(stale) in e for e in errs) == 1,
              f"removing {stale} was not said exactly once: {errs!r}")
        check(leftovers(tmp) == [], f"after the live runs: left {leftovers(tmp)}")

        # the same with a short run, and the checkpoint's temporary file
        left = kill_when(longrun + ["--output", out], out + ".tmp-*")
        r = run(onen + ["--output", out])
        check(r.returncode == 0 and left and os.path.basename(left[0]) in r.stderr.decode()
              and leftovers(tmp) == [] and open(out, "rb").read() == ref,
              f"stale output temporary: status {r.returncode}, {r.stderr!r}, {leftovers(tmp)}")
        left = kill_when(longrun + ["--output", out], out + ".tmp-*")
        ck = p("run.ckpt")
        r = run(sample + ["--checkpoint", ck])
        check(r.returncode == 0 and os.path.exists(ck), "checkpoint written")
        stale = ck + left[0][len(out):] if left else ck + ".tmp-none"
        if left:
            os.rename(left[0], stale)
        lookalike = ck + ".tmp-mine"
        open(lookalike, "w").write("not neft's\n")
        r = run(sample + ["--checkpoint", ck])
        check(r.returncode == 0 and not os.path.exists(stale)
              and os.path.basename(stale) in r.stderr.decode(),
              f"stale checkpoint temporary not removed on resume: {r.stderr[-300:]!r}")
        check(os.path.exists(lookalike), "a file that only looks like a temporary was removed")
        os.unlink(lookalike)

    # a SIGKILLed validate: its staging directory is removed by the next run
    rep = p("rep")
    left = kill_when(quick + ["--out", rep], rep + ".tmp-*", env=notex)
    check(len(left) == 1, f"SIGKILLed validate left {left}")
    r = run(quick + ["--out", rep], env=notex)
    err = r.stderr.decode(errors="replace")
    check(r.returncode == 0 and glob.glob(rep + ".tmp-*") == []
          and all(os.path.basename(os.path.dirname(f)) in err for f in left),
          f"validate after SIGKILL: status {r.returncode}, {glob.glob(rep + '.tmp-*')}, {err[-400:]!r}")
    check(not os.path.exists(rep + ".partial"), "validate: DIR.partial not removed at the end")

    # --out DIR/ (a trailing slash): the checkpoints go to DIR.partial, not into DIR
    kill_when(quick + ["--out", p("rep3") + "/"], p("rep3.partial"), env=notex)
    check(os.path.isdir(p("rep3.partial")) and not os.path.exists(p("rep3/.partial")),
          "validate --out DIR/: the checkpoints are not in DIR.partial")
    r = run(quick + ["--out", p("rep3") + "/"], env=notex)
    check(r.returncode == 0 and os.path.isfile(p("rep3/report.json"))
          and not os.path.exists(p("rep3.partial")), f"validate --out DIR/: {r.stderr[-300:]!r}")

    # 23.6 a write error names the file and its cause
    prev = open(out, "rb").read()
    for args in (onen, ["diagrams", phi4, "-n", "4", "-o", "2"], sample,
                 ["exact", "--activation", "relu", "--width", "5", "--at", "0.5;1", "--npt", "2"]):
        r = run(args + ["--output", out], preexec_fn=limited(64))
        err = r.stderr.decode(errors="replace")
        check(r.returncode == 1 and one_line(r) and out in err and "File too large" in err
              and r.stdout == b"",
              f"{args[0]} --output, write error: status {r.returncode}, {err!r}")
        with open(p("plain"), "wb") as f:
            r = subprocess.run([neft] + args, stdout=f, stderr=subprocess.PIPE,
                               preexec_fn=limited(64), timeout=60)
        err = r.stderr.decode(errors="replace")
        check(r.returncode == 1 and "standard output" in err and "File too large" in err,
              f"{args[0]} > FILE, write error: status {r.returncode}, {err!r}")
    check(open(out, "rb").read() == prev, "a failed --output changed the file")
    r = run(sample + ["--checkpoint", p("big.ckpt")], preexec_fn=limited(64))
    err = r.stderr.decode(errors="replace")
    check(r.returncode == 1 and p("big.ckpt") in err and "File too large" in err,
          f"checkpoint write error: {err!r}")
    r = run(quick + ["--no-resume", "--out", p("rep2")], preexec_fn=limited(256), env=notex)
    err = r.stderr.decode(errors="replace").splitlines()
    check(r.returncode == 1 and err and err[-1].startswith("neft: " + p("rep2") + "/")
          and "File too large" in err[-1] and not os.path.exists(p("rep2")),
          f"report write error: {err[-1:]!r}")
    check(leftovers(tmp) == [], f"left {leftovers(tmp)}")

check.finish(f"safety: {{passed}} of {{total}} checks pass ({time.time() - T0:.1f} s)")
