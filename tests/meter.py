#!/usr/bin/env python3
"""Progress bars on a terminal (src/cli/meter.c, the one bar of the command line).

Usage: python3 tests/meter.py NEFT_BINARY RULES_DIR

`neft sample` with stderr on a pseudo-terminal draws the meter's bar
("[###...] 100.0%  R networks/s  ETA m:ss") and erases it before it ends;
its stdout is byte-identical to a run without a terminal; with stderr not
a terminal nothing is drawn.  A few seconds.
"""

import os
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import neftio  # noqa: E402

NEFT = os.path.abspath(sys.argv[1])
check = neftio.Checks()


def fail(msg):
    check(False, msg)


def on_terminal(args):
    """Runs neft with stderr on a pseudo-terminal: status, stdout, what the terminal got."""
    master, slave = os.openpty()
    got = []

    def reader():
        while True:
            try:
                b = os.read(master, 4096)
            except OSError:     # EIO: the other side closed
                break
            if not b:
                break
            got.append(b)

    t = threading.Thread(target=reader)
    t.start()
    p = subprocess.run([NEFT] + args, stdout=subprocess.PIPE, stderr=slave, timeout=300)
    os.close(slave)
    t.join(timeout=30)
    os.close(master)
    return p.returncode, p.stdout, b"".join(got).decode(errors="replace")


def sample_bar():
    args = ["sample", "--activation", "relu", "--d-in", "1", "--width", "10", "--at",
            "0.5;1", "--models", "400000", "--threads", "1", "--seed", "3"]
    rc, out, term = on_terminal(args)
    plain = subprocess.run([NEFT] + args, capture_output=True, timeout=300)
    if rc != 0:
        fail("sample on a terminal: status %d, %r" % (rc, term[-300:]))
        return
    if out != plain.stdout:
        fail("sample: stdout differs with stderr on a terminal")
    if plain.stderr:
        fail("sample without a terminal wrote to stderr: %r" % plain.stderr[-200:])
    if "100.0%" not in term or " networks/s  ETA " not in term or "[" + "#" * 30 + "]" \
            not in term:
        fail("sample on a terminal: no meter bar ending at 100%% in networks/s: %r"
             % term[-300:])
    # erased at the end: the last thing on the terminal is a blank line's return
    if not term.endswith("\r"):
        fail("sample on a terminal: the bar is not erased at the end: %r" % term[-120:])
    print("sample: the meter's bar on a terminal, erased at the end", flush=True)


sample_bar()
check.finish("meter: {failed} failure(s)")
