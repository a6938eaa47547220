"""Finding the neft executable and running it: one place that turns a failed
run into the exception of its exit status, carrying neft's own message."""

import json
import os
import shutil
import signal
import subprocess

from ._errors import NeftError, NeftNotFoundError, error_for_status

_HERE = os.path.dirname(os.path.abspath(__file__))
_default = None


def set_executable(path):
    """Use path as the neft command from now on (None: search again)."""
    global _default
    if path is not None:
        path = _check(str(path), "set_executable")
    _default = path


def _check(path, how):
    p = shutil.which(path) if os.sep not in path else path
    if p is None or not os.path.isfile(p) or not os.access(p, os.X_OK):
        raise NeftNotFoundError("neft: %s: %s is not an executable file" % (how, path), 127)
    return p


def _installed():
    """The bindir/neft meson installed next to this module (_config.py)."""
    try:
        from . import _config
    except ImportError:
        return None
    return os.path.join(_config.BINDIR, "neft")


def executable(binary=None):
    """The neft command, found as: binary (an argument), set_executable(),
    the environment variable NEFT_EXE (or NEFT), the neft installed with this
    module (meson install), a file `neft` in the module's folder, `neft` on
    PATH.  Raises NeftNotFoundError naming the places tried."""
    if binary is not None:
        return _check(str(binary), "binary=")
    if _default is not None:
        return _default
    for var in ("NEFT_EXE", "NEFT"):
        if os.environ.get(var):
            return _check(os.environ[var], "the environment variable " + var)
    tried = ["NEFT_EXE and NEFT (not set)"]
    for p in (_installed(), os.path.join(_HERE, "neft")):
        if p is None:
            continue
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
        tried.append(p)
    p = shutil.which("neft")
    if p is not None:
        return p
    tried.append("neft on PATH")
    raise NeftNotFoundError("neft: the neft command was not found (tried %s); set NEFT_EXE to "
                            "it or call neft.set_executable(PATH)" % ", ".join(tried), 127)


def _message(stderr):
    lines = [l for l in stderr.splitlines() if l.strip()]
    mine = [l for l in lines if l.startswith("neft:")]
    if mine:
        return "\n".join(mine)
    return lines[-1] if lines else "(no message on stderr)"


def run(args, binary=None, text=True):
    """Runs `neft ARGS` and returns its stdout (str, or bytes with
    text=False).  A failure raises the exception of the exit status with
    neft's message."""
    cmd = [executable(binary)] + [str(a) for a in args]
    try:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as e:
        raise NeftNotFoundError("neft: cannot run %s: %s" % (cmd[0], e.strerror), 127,
                                cmd) from None
    with p:
        try:
            out, err = p.communicate()
        except KeyboardInterrupt:
            _stop(p)
            raise
    err = err.decode("utf-8", "replace")
    if p.returncode != 0:
        if p.returncode < 0:
            msg = "neft: killed by signal %d" % -p.returncode
            if err.strip():
                msg += " (%s)" % _message(err)
            raise NeftError(msg, p.returncode, cmd, err)
        raise error_for_status(p.returncode)(_message(err), p.returncode, cmd, err)
    return out.decode("utf-8") if text else out


def _stop(p):
    """^C in Python (a notebook's interrupt reaches only its own process):
    the command gets SIGINT too, so that it stops as neft stops (within a
    second, its checkpoint saved, its temporary files removed:
    docs/commands.md); killed only if it has not stopped after 10 s or on a
    second ^C."""
    try:
        p.send_signal(signal.SIGINT)
        p.communicate(timeout=10)
    except BaseException:
        p.kill()
        p.wait()


def parse_json(out, args):
    """The JSON object of a command's output."""
    try:
        return json.loads(out)
    except ValueError as e:
        raise NeftError("neft: `neft %s` printed output that is not JSON (%s)"
                        % (" ".join(str(a) for a in args), e), 1) from None


def run_json(args, binary=None):
    """Runs `neft ARGS` (which must ask for --format json) and returns the
    parsed JSON object (balls stay {"mid", "rad"} dicts: see to_balls)."""
    return parse_json(run(args, binary), args)


class Options:
    """Builds an argument list from keyword arguments: each method adds an
    option when its value is not None."""

    def __init__(self, *first):
        self.args = [a for a in first if a is not None]

    def add(self, option, value, conv=str):
        if value is not None:
            self.args += [option, conv(value)]
        return self

    def flag(self, option, on):
        if on:
            self.args.append(option)
        return self
