"""Helpers shared by the Python tests: writing a rules file, running
`neft diagrams --format json`."""
import json
import os
import subprocess


def write_rules(tmp, name, couplings, origin="test"):
    """Writes TMP/NAME.rules with the couplings [(name, legs, weight)]."""
    path = os.path.join(tmp, name + ".rules")
    with open(path, "w") as f:
        f.write(f"name {name} ({origin})\n")
        for c, k, w in couplings:
            f.write(f"coupling {c} legs {k} weight {w}\n")
    return path


def run_neft(neft, rules, n, order, prune):
    """The parsed JSON expansion; RuntimeError naming the command on failure."""
    cmd = [neft, "diagrams", rules, "-n", str(n), "-o", str(order),
           "--prune", prune, "--format", "json"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd[1:])}` exited {p.returncode}: "
                           f"{p.stderr.strip()[:300]}")
    return json.loads(p.stdout)
