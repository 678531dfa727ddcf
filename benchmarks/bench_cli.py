"""Throughput, memory and cold start of `framing score` (prints figures; not a test).

    python benchmarks/bench_cli.py                 # 300,000 rows, RSS on 1,000,000 rows
    python benchmarks/bench_cli.py --rows 50000 --rss-rows 200000 --model DIR

Inputs are generated at run time in a temporary folder from the real headlines in the data
folder (--data-dir, $FRAMING_DATA_DIR or ../shared/data), sampled with replacement; nothing
is written into the repository. Figures:

* bare `head.predict_proba(list)` of our numpy clickbait head (one head, no terms, no I/O);
* an equivalent scikit-learn pipeline (the same feature space through TextVectorizer and a
  LogisticRegression holding the head's weights), `predict_proba(list)`;
* a plain scikit-learn TfidfVectorizer(word 1-2) + LogisticRegression, `predict_proba(list)`;
* `framing score` end to end (read CSV, both heads, top-3 terms with offsets, write CSV), with
  1 and 2 workers; peak RSS on the large CSV; cold start on a one-line file.

The machine is often shared, so every figure is measured ``--repeat`` times in rounds (each
round runs every baseline and `framing score` once, one after the other) and the ratios are
the medians of the rounds' ratios, in wall time and in CPU time (the process's, or the
command's and its children's). The load average is printed beside them.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from common import load_headlines, write_csv


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f} rows/s ({n:,} rows in {seconds:.1f} s)"


def framing_cmd(model: str | None) -> list[str]:
    cmd = [sys.executable, "-m", "framing"]
    return cmd + (["--model", model] if model else [])


def children_cpu() -> float:
    """CPU seconds used so far by this process's finished children (and theirs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_run(cmd: list[str]) -> tuple[float, int]:
    """Wall time and peak RSS (MB, summed over the process and its children) of a command."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        total = 0
        pids = [proc.pid]
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        for pid in pids:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
            except OSError:
                pass
        peak = max(peak, total)
        time.sleep(0.05)
    err = proc.stderr.read().decode()
    if proc.returncode != 0:
        raise SystemExit(f"command failed: {' '.join(cmd)}\n{err}")
    return time.perf_counter() - t0, peak // 1024


def one_round(args, in_process: dict, big: Path, tmp: Path) -> dict:
    """Every figure once: rows/s in wall and CPU time, the load average, peak RSS."""
    out = {"load": os.getloadavg()[0]}
    for name, (fn, rows) in in_process.items():
        t, c = time.perf_counter(), time.process_time()
        fn(rows)
        out[name] = (len(rows) / (time.perf_counter() - t), len(rows) / (time.process_time() - c))
    for workers in (1, 2):
        cmd = framing_cmd(args.model) + ["score", str(big), "-o", str(tmp / f"out{workers}.csv")]
        c = children_cpu()
        seconds, rss = timed_run(cmd + ["--workers", str(workers), "-q"])
        cpu = children_cpu() - c
        out[f"framing score --workers {workers} (end to end)"] = (
            args.rows / seconds,
            args.rows / cpu,
        )
        out[f"rss{workers}"] = rss
    print(f"  (round: load average {out['load']:.1f} at its start)", flush=True)
    return out


def report(rounds: list[dict]) -> None:
    """Each figure's median over the rounds, and the medians of the rounds' ratios."""
    names = [k for k in rounds[0] if isinstance(rounds[0][k], tuple)]
    loads = ", ".join(f"{r['load']:.1f}" for r in rounds)
    print(f"{len(rounds)} rounds (load average at their start: {loads}); medians:")
    for name in names:
        wall = statistics.median(r[name][0] for r in rounds)
        cpu = statistics.median(r[name][1] for r in rounds)
        print(f"{name}: {wall:,.0f} rows/s wall, {cpu:,.0f} rows/s CPU")
    for w in (1, 2):
        print(f"  peak RSS, --workers {w}: {max(r[f'rss{w}'] for r in rounds)} MB")
    one = "framing score --workers 1 (end to end)"

    def ratio(a: str, b: str, k: int) -> str:
        values = [r[a][k] / r[b][k] for r in rounds]
        return f"{statistics.median(values):.2f}x (rounds: {', '.join(f'{v:.2f}' for v in values)})"

    for label, base, goal in (
        ("plain TF-IDF word pipeline", "plain TfidfVectorizer(1-2)+LR predict_proba(list)", 0.25),
        ("equivalent sklearn pipeline", "equivalent sklearn pipeline predict_proba(list)", 1.3),
        ("bare numpy head (one head)", "bare numpy head.predict_proba(list), clickbait", None),
    ):
        aim = f" (goal >= {goal})" if goal else ""
        print(f"  1 worker vs {label}: wall {ratio(one, base, 0)}, CPU {ratio(one, base, 1)}{aim}")
    two = "framing score --workers 2 (end to end)"
    print(f"  2 workers vs 1 (wall): {ratio(two, one, 0)} (goal >= 1.8; needs 2 idle cores)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rows", type=int, default=300_000)
    p.add_argument("--rss-rows", type=int, default=1_000_000)
    p.add_argument("--bare-rows", type=int, default=50_000, help="rows for the in-memory baselines")
    p.add_argument("--repeat", type=int, default=3, help="rounds of every figure (medians)")
    p.add_argument("--model", help="model folder (default: the shipped model)")
    p.add_argument("--data-dir", default=os.environ.get("FRAMING_DATA_DIR", "../shared/data"))
    args = p.parse_args()

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from framing.core.model import load_model
    from framing.training.binary.fit import TextVectorizer

    pool = load_headlines(Path(args.data_dir))
    model = load_model(args.model)
    head = model["clickbait"]
    tmp = Path(tempfile.mkdtemp(prefix="framing-bench-"))
    big = tmp / "headlines.csv"
    texts = write_csv(big, pool, args.rows)
    bare = texts[: args.bare_rows]
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"inputs: {len(pool):,} distinct real headlines sampled to {args.rows:,} rows")

    vec = TextVectorizer()
    vec.space_ = head.space
    vec.n_features_out_ = head.space.n_features
    lr = LogisticRegression()
    lr.coef_, lr.intercept_, lr.classes_ = head.coef, head.intercept, np.array([0, 1])
    pipe = make_pipeline(vec, lr)
    fit_texts = pool[:20_000]
    labels = np.arange(len(fit_texts)) % 2
    plain = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2), LogisticRegression()
    ).fit(fit_texts, labels)
    in_process = {
        "bare numpy head.predict_proba(list), clickbait": (head.predict_proba, bare),
        "equivalent sklearn pipeline predict_proba(list)": (pipe.predict_proba, bare),
        "plain TfidfVectorizer(1-2)+LR predict_proba(list)": (plain.predict_proba, texts),
    }
    rounds = [one_round(args, in_process, big, tmp) for _ in range(args.repeat)]
    report(rounds)

    if args.rss_rows:
        huge = tmp / "huge.csv"
        write_csv(huge, pool, args.rss_rows, seed=1)
        cmd = framing_cmd(args.model) + ["score", str(huge), "-o", str(tmp / "huge_out.csv"), "-q"]
        seconds, rss = timed_run(cmd)
        print(
            f"peak RSS, {args.rss_rows:,}-row CSV, 1 worker: {rss} MB (goal <= 400); "
            f"{rate(args.rss_rows, seconds)}"
        )

    one = tmp / "one.txt"
    one.write_text("You won't believe what happened next\n")
    walls = [timed_run(framing_cmd(args.model) + ["score", str(one), "-q"])[0] for _ in range(5)]
    print(
        f"cold start, framing score on a one-line file: median {statistics.median(walls):.2f} s "
        f"(min {min(walls):.2f}) over 5 runs (goal <= 0.6); load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    for f in tmp.iterdir():
        f.unlink()
    tmp.rmdir()


if __name__ == "__main__":
    main()
