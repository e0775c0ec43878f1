#!/usr/bin/env python3
"""Decoy's learned synthesis against SDV 2.0 on the public tables of Tests/Fixtures/learn.

Run through scripts/bench/learn-vs-sdv.sh (it makes the venv with sdv==2.0.0 and builds Decoy in
release mode). Everything here is measured in one run on one machine:

  quality   per table and seed: a 50/50 split made by `decoy fit --holdout 0.5 --split-out`;
            Decoy cart, Decoy gaussian-copula and SDV GaussianCopulaSynthesizer (defaults, the same
            sdtypes as Decoy detected) fitted on the training half, as many rows sampled, all
            scored by scripts/learn/sdmetrics_report.py (SDMetrics 0.32, all pairs, against the
            training half) with DCROverfittingProtection against the holdout half.
  speed     fit + sample of a 10,000-row table (each fixture resampled to 10,000 rows), wall time.
  scale     a 1,000,000 x 20 table (numbers, categories, dates; written by this script, seed 0):
            Decoy fit with --threads 1, wall time and peak memory (SDV is not run at this size).
  evaluate  10,000 x 10,000 rows: `decoy evaluate --privacy basic` against SDMetrics' quality and
            diagnostic reports plus DCRBaselineProtection.

Prints a Markdown report on stdout; --json FILE keeps the raw figures.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures", "learn")
SCORER = os.path.join(ROOT, "scripts", "learn", "sdmetrics_report.py")
TABLES = ["student_placements_real", "anes96", "modechoice", "grunfeld", "iris", "wine"]


def run(cmd, **kw):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    return time.perf_counter() - t


def timed_rss(cmd):
    """Wall seconds and peak RSS (MiB) of one child process (GNU time's %M: per process, unlike
    RUSAGE_CHILDREN, which keeps the largest child so far)."""
    with tempfile.NamedTemporaryFile("r") as f:
        t = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", f.name] + cmd, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
        wall = time.perf_counter() - t
        return wall, int(f.read().strip().splitlines()[-1]) / 1024


def score(real, synthetic, metadata, holdout=None):
    cmd = [sys.executable, SCORER, "--real", real, "--synthetic", synthetic, "--metadata", metadata]
    if holdout:
        cmd += ["--holdout", holdout]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def decoy_metadata(decoy, table, work):
    """SDV metadata of Decoy's detection (the metadata block of an evaluate report)."""
    rep = os.path.join(work, "meta-eval.json")
    run([decoy, "evaluate", "--real", table, "--synthetic", table, "--privacy", "basic", "--json", rep, "-q"])
    meta = json.load(open(rep))["metadata"]
    cols = {}
    for name, m in meta.items():
        c = {"sdtype": m["sdtype"]}
        if "datetime_format" in m:
            c["datetime_format"] = m["datetime_format"]
        cols[name] = c
    path = os.path.join(work, "metadata.json")
    json.dump({"columns": cols}, open(path, "w"))
    return path, cols


def sdv_fit_sample(train_csv, cols, rows, out_csv, seed):
    from sdv.metadata import Metadata
    from sdv.single_table import GaussianCopulaSynthesizer

    df = pd.read_csv(train_csv, float_precision="round_trip")
    md = Metadata.load_from_dict({"tables": {"t": {"columns": cols}}})
    t = time.perf_counter()
    np.random.seed(seed)
    syn = GaussianCopulaSynthesizer(md)
    try:
        syn.fit({"t": df})  # SDV 2.0: a dict of one table
    except TypeError:
        syn.fit(df)
    fit = time.perf_counter() - t
    t = time.perf_counter()
    s = syn.sample(rows)
    if isinstance(s, dict):
        s = s["t"]
    sample = time.perf_counter() - t
    s.to_csv(out_csv, index=False)
    return fit, sample


def quality(decoy, seeds, work):
    rows = []
    for name in TABLES:
        src = os.path.join(FIXTURES, name + ".csv")
        tw = os.path.join(work, name)
        os.makedirs(tw, exist_ok=True)
        meta, cols = decoy_metadata(decoy, src, tw)
        for seed in seeds:
            split = os.path.join(tw, f"split{seed}")
            figures = {"table": name, "seed": seed}
            for synth in ["cart", "gaussian-copula"]:
                model = os.path.join(tw, f"{synth}{seed}.decoymodel")
                fit = run([decoy, "fit", src, "--synthesizer", synth, "--seed", str(seed), "--holdout", "0.5",
                           "--split-out", split, "--out", model, "-q"])
                n = len(pd.read_csv(os.path.join(split, "training.csv")))
                out = os.path.join(tw, f"{synth}{seed}")
                samp = run([decoy, "sample", model, "--rows", str(n), "--seed", str(seed + 1000), "--out", out, "-q"])
                r = score(os.path.join(split, "training.csv"), os.path.join(out, name + ".csv"), meta,
                          os.path.join(split, "holdout.csv"))
                figures[synth] = {"all_pairs": r["quality.all_pairs.score"],
                                  "dcr_overfitting": r["privacy.dcr_overfitting_protection"], "seconds": fit + samp}
            sdv_csv = os.path.join(tw, f"sdv{seed}.csv")
            f, s = sdv_fit_sample(os.path.join(split, "training.csv"), cols, n, sdv_csv, seed)
            r = score(os.path.join(split, "training.csv"), sdv_csv, meta, os.path.join(split, "holdout.csv"))
            figures["sdv-gc"] = {"all_pairs": r["quality.all_pairs.score"],
                                 "dcr_overfitting": r["privacy.dcr_overfitting_protection"], "seconds": f + s}
            # The ceiling: a fresh real sample (the holdout half) scored as if it were synthetic.
            r = score(os.path.join(split, "training.csv"), os.path.join(split, "holdout.csv"), meta)
            figures["holdout_quality"] = r["quality.all_pairs.score"]
            rows.append(figures)
            print(f"  {name} seed {seed}: " + ", ".join(
                f"{k} {v['all_pairs']:.3f}/{v['dcr_overfitting']:.3f}" for k, v in figures.items()
                if isinstance(v, dict)), file=sys.stderr)
    return rows


def speed(decoy, work):
    rows = []
    for name in TABLES:
        src = os.path.join(FIXTURES, name + ".csv")
        tw = os.path.join(work, "speed-" + name)
        os.makedirs(tw, exist_ok=True)
        big = os.path.join(tw, name + ".csv")
        pd.read_csv(src).sample(10_000, replace=True, random_state=0).to_csv(big, index=False)
        meta, cols = decoy_metadata(decoy, big, tw)
        figures = {"table": name}
        for synth in ["cart", "gaussian-copula"]:
            model = os.path.join(tw, synth + ".decoymodel")
            fit = run([decoy, "fit", big, "--synthesizer", synth, "--out", model, "-q"])
            samp = run([decoy, "sample", model, "--rows", "10000", "--out", os.path.join(tw, synth), "-q"])
            figures[synth] = fit + samp
        f, s = sdv_fit_sample(big, cols, 10_000, os.path.join(tw, "sdv.csv"), 0)
        figures["sdv-gc"] = f + s
        rows.append(figures)
        print(f"  speed {name}: " + ", ".join(f"{k} {v:.2f}s" for k, v in figures.items() if k != "table"),
              file=sys.stderr)
    return rows


def big_table(path, n=1_000_000, seed=0):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, 6)) @ np.linalg.cholesky(np.full((6, 6), 0.4) + 0.6 * np.eye(6)).T
    df = pd.DataFrame({
        "age": np.clip((40 + 12 * z[:, 0]).round(), 18, 95).astype(int),
        "income": np.exp(10.5 + 0.6 * z[:, 1]).round(2),
        "score": (600 + 80 * z[:, 2]).round(1),
        "balance": (5000 * np.abs(z[:, 3])).round(2),
        "visits": rng.poisson(3 + np.abs(z[:, 4])),
        "ratio": (1 / (1 + np.exp(-z[:, 5]))).round(4),
        "height": (170 + 9 * rng.standard_normal(n)).round(1),
        "weight": (70 + 12 * rng.standard_normal(n)).round(1),
        "tenure": rng.integers(0, 40, n),
        "spend": np.exp(6 + rng.standard_normal(n)).round(2),
        "region": rng.choice([f"R{i}" for i in range(12)], n),
        "segment": rng.choice(["a", "b", "c", "d", "e"], n, p=[0.4, 0.25, 0.15, 0.12, 0.08]),
        "channel": rng.choice(["web", "app", "store", "phone"], n),
        "plan": rng.choice([f"P{i}" for i in range(40)], n),
        "status": np.where(z[:, 0] + rng.standard_normal(n) > 0, "active", "lapsed"),
        "member": rng.choice(["true", "false"], n),
        "tier": rng.choice(["bronze", "silver", "gold"], n, p=[0.6, 0.3, 0.1]),
        "opened": (np.datetime64("2015-01-01") + rng.integers(0, 3650, n).astype("timedelta64[D]")).astype(str),
        "last_seen": (np.datetime64("2024-01-01") + rng.integers(0, 700, n).astype("timedelta64[D]")).astype(str),
        "rating": rng.integers(1, 6, n),
    })
    df.to_csv(path, index=False)


def scale(decoy, work):
    path = os.path.join(work, "wide.csv")
    big_table(path)
    out = {"rows": 1_000_000, "columns": 20, "bytes": os.path.getsize(path)}
    for synth in ["gaussian-copula", "cart"]:
        wall, rss = timed_rss([decoy, "fit", path, "--synthesizer", synth, "--threads", "1",
                               "--out", os.path.join(work, synth + "-wide.decoymodel"), "-q"])
        out[synth] = {"seconds": wall, "peak_mib": rss}
        print(f"  scale {synth}: {wall:.1f}s, {rss:.0f} MiB", file=sys.stderr)
    return out


def evaluate(decoy, work):
    src = os.path.join(FIXTURES, "anes96.csv")
    real = os.path.join(work, "eval-real.csv")
    syn = os.path.join(work, "eval-syn.csv")
    pd.read_csv(src).sample(10_000, replace=True, random_state=1).to_csv(real, index=False)
    model = os.path.join(work, "eval.decoymodel")
    run([decoy, "fit", real, "--out", model, "-q"])
    run([decoy, "sample", model, "--rows", "10000", "--out", os.path.join(work, "eval-out"), "-q"])
    out = [f for f in os.listdir(os.path.join(work, "eval-out")) if f.endswith(".csv")]
    os.replace(os.path.join(work, "eval-out", out[0]), syn)
    meta, _ = decoy_metadata(decoy, real, work)
    d = run([decoy, "evaluate", "--real", real, "--synthetic", syn, "--metadata", meta, "--privacy", "basic",
             "--json", os.path.join(work, "e.json"), "-q"])
    da = run([decoy, "evaluate", "--real", real, "--synthetic", syn, "--metadata", meta, "--privacy", "attacks",
              "--json", os.path.join(work, "ea.json"), "-q"])
    t = time.perf_counter()
    score(real, syn, meta)
    s = time.perf_counter() - t
    print(f"  evaluate 10k x 10k: decoy {d:.2f}s (attacks {da:.2f}s), sdmetrics {s:.2f}s", file=sys.stderr)
    return {"decoy_basic": d, "decoy_attacks": da, "sdmetrics": s}


def cpu():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--decoy", required=True)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--only", default="quality,speed,scale,evaluate")
    ap.add_argument("--json")
    a = ap.parse_args()
    seeds = [int(s) for s in a.seeds.split(",")]
    parts = a.only.split(",")
    import sdv

    res = {"cpu": cpu(), "cores": os.cpu_count(), "sdv": sdv.__version__}
    with tempfile.TemporaryDirectory() as work:
        if "quality" in parts:
            res["quality"] = quality(a.decoy, seeds, work)
        if "speed" in parts:
            res["speed"] = speed(a.decoy, work)
        if "evaluate" in parts:
            res["evaluate"] = evaluate(a.decoy, work)
        if "scale" in parts:
            res["scale"] = scale(a.decoy, work)
    if a.json:
        json.dump(res, open(a.json, "w"), indent=2)
    print(f"CPU: {res['cpu']} ({res['cores']} cores), SDV {res['sdv']}\n")
    if "quality" in res:
        print("| table | Decoy cart | Decoy GC | SDV GC | cart − SDV | GC − SDV | holdout (ceiling) | "
              "DCR overfit cart / GC / SDV (mean) | (min) |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name in TABLES:
            rs = [r for r in res["quality"] if r["table"] == name]
            m = {k: np.mean([r[k]["all_pairs"] for r in rs]) for k in ["cart", "gaussian-copula", "sdv-gc"]}
            d = {k: min(r[k]["dcr_overfitting"] for r in rs) for k in ["cart", "gaussian-copula", "sdv-gc"]}
            dm = {k: np.mean([r[k]["dcr_overfitting"] for r in rs]) for k in ["cart", "gaussian-copula", "sdv-gc"]}
            ceiling = np.mean([r["holdout_quality"] for r in rs])
            print(f"| {name} | {m['cart']:.3f} | {m['gaussian-copula']:.3f} | {m['sdv-gc']:.3f} | "
                  f"{m['cart'] - m['sdv-gc']:+.3f} | {m['gaussian-copula'] - m['sdv-gc']:+.3f} | {ceiling:.3f} | "
                  f"{dm['cart']:.3f} / {dm['gaussian-copula']:.3f} / {dm['sdv-gc']:.3f} | "
                  f"{d['cart']:.3f} / {d['gaussian-copula']:.3f} / {d['sdv-gc']:.3f} |")
        print(f"\n(mean all-pairs quality over seeds {a.seeds}; holdout: the real holdout half scored as if it were "
              "synthetic; DCR: mean and lowest over the seeds)\n")
    if "speed" in res:
        print("| 10,000 rows | Decoy cart s | Decoy GC s | SDV GC s | SDV / Decoy GC |")
        print("|---|---|---|---|---|")
        for r in res["speed"]:
            print(f"| {r['table']} | {r['cart']:.2f} | {r['gaussian-copula']:.2f} | {r['sdv-gc']:.2f} | "
                  f"{r['sdv-gc'] / r['gaussian-copula']:.1f}x |")
        print()
    if "evaluate" in res:
        e = res["evaluate"]
        print(f"evaluate 10,000 x 10,000: Decoy {e['decoy_basic']:.2f} s (with attacks {e['decoy_attacks']:.2f} s), "
              f"SDMetrics {e['sdmetrics']:.2f} s: {e['sdmetrics'] / e['decoy_basic']:.1f}x\n")
    if "scale" in res:
        s = res["scale"]
        print(f"1,000,000 x 20 ({s['bytes'] / 1e6:.0f} MB CSV), one thread: gaussian-copula "
              f"{s['gaussian-copula']['seconds']:.1f} s / {s['gaussian-copula']['peak_mib']:.0f} MiB, cart "
              f"{s['cart']['seconds']:.1f} s / {s['cart']['peak_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
