"""The launcher the MPI tests share (tests/mpi.py, tests/train_mpi.py).

run(args, np) runs neft alone (np None) or under `mpirun --oversubscribe -np
np`, with Open MPI allowed to run as root and, under --sanitize, ASan's leak
check off (Open MPI's allocations still held at exit are not neft's leaks).
skip_reason() names why the MPI tests cannot run here, or None: mpirun
missing, or neft built without MPI (a small sample under -np 2 says so).
"""

import os
import shutil
import subprocess
import sys

NEFT = os.path.abspath(sys.argv[1])
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_rmaps_base_oversubscribe="1")
if "--sanitize" in sys.argv:
    ENV["ASAN_OPTIONS"] = (ENV.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")


def command(args, np=None):
    return ([NEFT] if np is None else
            ["mpirun", "--oversubscribe", "-np", str(np), NEFT]) + args


def run(args, np=None, timeout=300):
    """(status, stdout bytes, stderr text) of neft args, under mpirun -np np if np."""
    p = subprocess.run(command(args, np), capture_output=True, env=ENV, timeout=timeout)
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


PROBE = ["sample", "--activation", "relu", "--d-in", "1", "--width", "2", "--models", "512",
         "--at", "1"]


def skip_reason():
    """Why these tests cannot run here (a sentence), or None."""
    if shutil.which("mpirun") is None:
        return "mpirun not found (install openmpi-bin libopenmpi-dev; .ci/run does)"
    err = run(PROBE, np=2, timeout=120)[2]
    if "built without MPI" in err:
        return "this neft was built without MPI (meson found no MPI)"
    return None
