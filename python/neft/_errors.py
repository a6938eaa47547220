"""The exceptions of the neft module: one class per exit status of the command
(docs/commands.md), so that `except neft.NeftInputError` catches bad input
only."""


class NeftError(RuntimeError):
    """`neft` failed.  message: its error line(s) (the lines starting with
    `neft:`, else the last line of its stderr); status: its exit status (1
    runtime failure, 2 bad input, 3 unsupported, 129/130 stopped by a
    signal; negative: killed by signal -status); command: the argument list;
    stderr: everything it printed on stderr."""

    def __init__(self, message, status=1, command=None, stderr=""):
        RuntimeError.__init__(self, message)
        self.message = message
        self.status = status
        self.command = command
        self.stderr = stderr

    def __str__(self):
        return self.message


class NeftInputError(NeftError, ValueError):
    """Status 2: a malformed option, file or request, or a run beyond its
    budget (--max-work, --max-memory, --max-terms)."""


class NeftUnsupportedError(NeftError):
    """Status 3: well formed, but not implemented for this input."""


class NeftInterrupted(NeftError):
    """Status 129/130: the command was stopped by SIGHUP/SIGINT/SIGTERM."""


class NeftNotFoundError(NeftError, FileNotFoundError):
    """The neft executable cannot be found (status 127, as a shell says)."""


def error_for_status(status):
    """The exception class for an exit status."""
    return {2: NeftInputError, 3: NeftUnsupportedError, 129: NeftInterrupted,
            130: NeftInterrupted, 127: NeftNotFoundError}.get(status, NeftError)
