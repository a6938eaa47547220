#!/usr/bin/env python3
"""`neft fit` with power counting in 1/N (docs/eft.md, "Power counting").

    python3 fit_order.py NEFT_BINARY

1. Bias-free ReLU, d_in = 1, positive inputs, exact data at two widths and
   two sigma_w: the O(1/N^2) fit of kappa to G6c, with the lambda^2 exchange
   diagrams and lambda from the 4-point fit, gives
       kappa(L) = 371 / (3 N^2 sigma_w^12 L^7)
   (docs/eft.md); the ball must contain it and must not contain the value
   kappa alone would absorb, -154 / (3 N^2 sigma_w^12 L^7).
2. --set lambda=-3/5 is honoured in the 6-point fit: kappa then is
   (576 * 10 lambda^2 c^7 L^10 / 25 - kappa6) * 7 / (720 c^6 L^7),
   c = sigma_w^4 / 2, kappa6 = 165 sigma_w^12 / (2 N^2).
3. --fit lambda,kappa --npt 6 (singular before) is refused with exit 2 and
   a message naming lambda^2; --order 1 --npt 6, --order 3 --npt 6 and a
   file without 4-point correlators are refused with exit 2 too.
4. The output says which diagrams entered (JSON "diagrams", "left_out") and
   holds lambda's value per cutoff; sampled data: kappa's error includes
   lambda's: err(kappa | lambda) + |dkappa/dlambda| err(lambda), the
   derivative from two fits with --set lambda (exact: kappa is quadratic in
   lambda).
"""
import json
import os
import sys
import tempfile
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from neftio import ball_contains, run_expect  # noqa: E402

failures = 0


def check(cond, msg):
    global failures
    if not cond:
        failures += 1
        print("FAIL: " + msg)


def run(neft, *args, expect=0):
    return run_expect(check, neft, *args, expect=expect)


def kappa_of(lam, N, sw, L):
    """kappa from G6c with the exchange diagrams at a given lambda (exact)."""
    c = sw ** 4 / 2
    kappa6 = Fraction(165) * sw ** 12 / (2 * N * N)
    return (Fraction(576 * 10) * lam ** 2 * c ** 7 * L ** 10 / 25 - kappa6) * 7 \
        / (720 * c ** 6 * L ** 7)


def main():
    neft = sys.argv[1]
    at = "0.25;0.5;0.75;1.25"
    with tempfile.TemporaryDirectory() as tmp:
        for N, sw in ((20, Fraction(1)), (7, Fraction(3, 2))):
            data = os.path.join(tmp, f"relu{N}.json")
            p = run(neft, "exact", "--activation", "relu", "--d-in", "1", "--width", str(N),
                    "--sw", str(float(sw)), "--at", at, "--npt", "2,4,6", "--format", "json")
            with open(data, "w") as f:
                f.write(p.stdout)
            out = json.loads(run(neft, "fit", data, "--npt", "6", "--cutoff", "1,2",
                                 "--format", "json").stdout)
            check(out["order"] == 2 and out["couplings"] == ["kappa"], f"order {out['order']}")
            dg = {d["couplings"]: d for d in out["diagrams"]}
            check(set(dg) == {"kappa", "lambda^2"} and dg["kappa"]["fitted"]
                  and dg["lambda^2"]["terms"] == 10
                  and dg["lambda^2"]["held"] == {"lambda": "the 4-point fit"},
                  f"diagrams {out['diagrams']}")
            check([d["couplings"] for d in out["left_out"]] == ["lambda kappa", "kappa^2"],
                  f"left out {out['left_out']}")
            # kappa runs like cutoff^-(6 + d_in) for ReLU (before: expected -5, lambda's)
            run_ = out.get("running", {}).get("kappa", {}).get("last_decade", {})
            check(run_.get("expected") == -7, f"kappa's expected running exponent: {run_}")
            for fit, L in zip(out["fits"], (1, 2)):
                want = Fraction(371) / (3 * N * N * sw ** 12 * L ** 7)
                old = Fraction(-154) / (3 * N * N * sw ** 12 * L ** 7)
                got = fit["values"]["kappa"]["value"]
                check(ball_contains(got, want), f"N={N} sw={sw} L={L}: kappa {got}, "
                                                f"closed form {float(want)}")
                check(not ball_contains(got, old), f"N={N} L={L}: kappa absorbs lambda^2")
                lam = Fraction(-25) / (2 * N * sw ** 8 * L ** 5)
                check(ball_contains(fit["held"]["lambda"]["value"], lam)
                      and kappa_of(lam, N, sw, L) == want,
                      f"N={N} L={L}: held lambda {fit['held']['lambda']}")
            # --set lambda is honoured in the 6-point prediction
            s = json.loads(run(neft, "fit", data, "--npt", "6", "--cutoff", "1,2",
                               "--set", "lambda=-0.6", "--format", "json").stdout)
            for fit, L in zip(s["fits"], (1, 2)):
                want = kappa_of(Fraction(-3, 5), N, sw, L)
                got = fit["values"]["kappa"]["value"]
                check(ball_contains(got, want) and fit["held"] == {},
                      f"--set lambda=-0.6 N={N} L={L}: kappa {got}, want {float(want)}")
            check(s["fits"][0]["values"] != out["fits"][0]["values"],
                  "--set lambda does not change the 6-point fit")
            check({d["couplings"]: d["held"] for d in s["diagrams"]}["lambda^2"]
                  == {"lambda": "--set"}, f"--set diagrams {s['diagrams']}")
        data = os.path.join(tmp, "relu20.json")
        # refusals, exit 2, one line
        p = run(neft, "fit", data, "--npt", "6", "--fit", "lambda,kappa", expect=2)
        check("lambda enters the connected 6-point function at O(1/N^2) as lambda^2, not "
              "linearly" in p.stderr and p.stderr.count("\n") == 1,
              f"--fit lambda,kappa: {p.stderr.strip()}")
        p = run(neft, "fit", data, "--npt", "6", "--order", "1", expect=2)
        check("kappa (O(1/N^2)) enters no term of the connected 6-point function at O(1/N)"
              in p.stderr, f"--order 1: {p.stderr.strip()}")
        p = run(neft, "fit", data, "--npt", "6", "--order", "3", expect=2)
        check("its O(1/N^2) correction would enter at O(1/N^3)" in p.stderr,
              f"--order 3: {p.stderr.strip()}")
        p = run(neft, "fit", data, "--npt", "4", "--order", "2", expect=2)
        check("lambda enters the connected 4-point function at O(1/N^2) as lambda^2"
              in p.stderr, f"--npt 4 --order 2: {p.stderr.strip()}")
        no4 = os.path.join(tmp, "no4.json")
        with open(no4, "w") as f:
            f.write(run(neft, "exact", "--activation", "relu", "--d-in", "1", "--width", "5",
                        "--at", at, "--npt", "2,6", "--format", "json").stdout)
        p = run(neft, "fit", no4, "--npt", "6", expect=2)
        check("no 4-point correlators" in p.stderr and "--set lambda=VALUE" in p.stderr,
              f"no G4: {p.stderr.strip()}")
        run(neft, "fit", no4, "--npt", "6", "--set", "lambda=-1")
        # sampled: kappa's error includes lambda's
        samp = os.path.join(tmp, "s.json")
        with open(samp, "w") as f:
            f.write(run(neft, "sample", "--activation", "relu", "--d-in", "1", "--width", "10",
                        "--at", "0.2;0.7;1.2", "--npt", "2,4,6", "--models", "4000",
                        "--seed", "5", "--threads", "1", "--format", "json").stdout)
        a = json.loads(run(neft, "fit", samp, "--npt", "6", "--format", "json").stdout)
        lam = a["fits"][0]["held"]["lambda"]["value"]["mid"]
        b = json.loads(run(neft, "fit", samp, "--npt", "6", "--format", "json",
                           "--set", "lambda=" + lam).stdout)
        ka, kb = a["fits"][0]["values"]["kappa"], b["fits"][0]["values"]["kappa"]
        check(abs(float(ka["value"]["mid"]) - float(kb["value"]["mid"]))
              <= 1e-9 * abs(float(ka["value"]["mid"])), f"same lambda: {ka} {kb}")
        check(float(ka["stderr"]["mid"]) > float(kb["stderr"]["mid"]) > 0,
              f"kappa's error without lambda's: {ka['stderr']} vs {kb['stderr']}")
        check(a["fits"][0]["held"]["lambda"]["stderr"] is not None, "lambda's stderr")
        # the propagated error is exactly err(kappa | lambda) + |dkappa/dlambda| err(lambda)
        # (sum_t |L_t| s_t over the joint data); kappa is quadratic in lambda, so the
        # central difference of two fits with --set gives dkappa/dlambda exactly
        lv, h = Fraction(lam), Fraction(1, 1000)
        kk = []
        for sgn in (1, -1):
            q = json.loads(run(neft, "fit", samp, "--npt", "6", "--format", "json", "--set",
                               "lambda=" + str(float(lv + sgn * h))).stdout)
            kk.append(float(q["fits"][0]["values"]["kappa"]["value"]["mid"]))
        dk = (kk[0] - kk[1]) / (2 * float(h))
        el = float(a["fits"][0]["held"]["lambda"]["stderr"]["mid"])
        want = float(kb["stderr"]["mid"]) + abs(dk) * el
        check(abs(float(ka["stderr"]["mid"]) - want) <= 2e-4 * want,   # (5 digits printed)
              f"kappa's error {ka['stderr']['mid']}, want {want} (dkappa/dlambda {dk})")
    print(f"fit_order: {'FAIL' if failures else 'PASS'} ({failures} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
