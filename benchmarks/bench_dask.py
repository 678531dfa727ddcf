"""Throughput of `framing score --engine dask` on a LocalCluster, and Dask's per-task overhead.

    python benchmarks/bench_dask.py                     # 1,000,000 headlines, 1 and 2 workers
    python benchmarks/bench_dask.py --rows 200000 --files 4 --tiny-tasks 100

Prints figures; asserts nothing. Synthetic headlines are generated at run time (random word
sequences over a fixed vocabulary mixing news and clickbait words, about one word in six a
random letter string standing for names and rare words) into Parquet files in a temporary
folder; nothing is written into the repository. Figures, all from the same run:

* in-process: the scorer the CLI uses (framing.batch) on the same rows, no Dask, one process;
* Dask, 1 and 2 worker processes (threads_per_worker=1): read Parquet, score both heads with
  top-3 terms, write Parquet part files; rows/s and the 2-vs-1 ratio. Each cluster is warmed
  up first on small partitions spread over the workers (they import framing and build the
  model), and that time is reported apart;
* per-task overhead: N one-row partitions scored and written on the 2-worker cluster, versus
  one N-row partition: (t_N_tasks - t_1_task) / N.

Only one machine is used; the figures say nothing about network transfer on a real cluster.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

_NEWS = (
    "parliament passes budget after debate central bank holds interest rates steady flooding "
    "closes roads across northern region court rules on appeal in fraud case government "
    "announces new rail investment trade talks resume election officials certify results "
    "company reports quarterly profit minister says report published monday council approves "
    "plan vote committee meets discuss proposal officials release figures third quarter"
)
_HYPE = (
    "you won't believe what happened next shocking weird trick things only kids remember "
    "this will change your life everyone is talking about amazing incredible secret revealed "
    "despot regime shamelessly denied chilling reports radical mob disastrous corrupt sham"
)
NEWS, HYPE = _NEWS.split(), _HYPE.split()
LETTERS = np.array(list("abcdefghijklmnoprstuvwy"))


def synthetic_headlines(n: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    words = np.array(NEWS + HYPE, dtype=object)
    p = np.r_[np.full(len(NEWS), 2.0), np.full(len(HYPE), 1.0)]
    p /= p.sum()
    lengths = rng.integers(4, 14, size=n)
    flat = rng.choice(words, size=int(lengths.sum()), p=p)
    numbers = rng.integers(2, 60, size=n)
    # about one word in six is a made-up word (names, places, rare words: unseen forms)
    rare = rng.random(len(flat)) < 1 / 6
    flat[rare] = ["".join(rng.choice(LETTERS, size=rng.integers(3, 10))) for _ in range(rare.sum())]
    out, pos = [], 0
    for i, k in enumerate(lengths.tolist()):
        ws = flat[pos : pos + k].tolist()
        pos += k
        if i % 5 == 0:
            ws.insert(0, str(numbers[i]))
        out.append(" ".join(ws).capitalize())
    return out


def write_inputs(folder: Path, rows: int, files: int) -> list[Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    paths = []
    per = -(-rows // files)
    for f in range(files):
        n = min(per, rows - f * per)
        ids = np.arange(f * per, f * per + n)
        heads = synthetic_headlines(n, seed=f)
        path = folder / f"headlines-{f:03d}.parquet"
        pq.write_table(pa.table({"id": ids, "headline": heads}), path)
        paths.append(path)
    return paths


def cluster(n_workers: int):
    from distributed import Client, LocalCluster

    c = LocalCluster(
        n_workers=n_workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        silence_logs=logging.ERROR,
    )
    return c, Client(c)


def score_to(source, out: Path, model, client) -> tuple[float, dict]:
    import framing.engines.dask_engine as fdask

    t = time.perf_counter()
    data = fdask.read_dataframe(source)
    scored = fdask.score_dataframe(data, headline_col="headline", model=model, chunk_size=5_000)
    files, summary = fdask.write_partitions(scored, str(out), "parquet", fdask.input_columns(data))
    result = {"files": files, "rows": summary.rows, "errors": summary.errors}
    return time.perf_counter() - t, result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--files", type=int, default=8, help="input Parquet files (partitions)")
    ap.add_argument("--tiny-tasks", type=int, default=200, help="one-row partitions to time")
    ap.add_argument("--model", help="model folder (default: the shipped model)")
    args = ap.parse_args()

    import dask.dataframe as dd
    import pandas as pd

    import framing.engines.dask_engine as fdask
    from framing.batch import ScoreOptions, Scorer, prepare
    from framing.core.model import load_model
    from framing.tables.read import Row

    model = load_model(args.model)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="framing-bench-dask-") as tmp:
        tmp = Path(tmp)
        (tmp / "in").mkdir()
        t = time.perf_counter()
        paths = write_inputs(tmp / "in", args.rows, args.files)
        print(
            f"generated {args.rows:,} headlines in {len(paths)} Parquet files: "
            f"{time.perf_counter() - t:.1f} s"
        )

        # in-process reference: the same scorer, no Dask
        import pyarrow.parquet as pq

        heads = pq.read_table(paths[0]).column("headline").to_pylist()
        scorer = Scorer(model, ScoreOptions(headline_col="headline"))
        rows = [Row({"headline": h}) for h in heads]
        scorer.score_texts(*prepare(rows[:1_000], "headline", None, 100_000))  # build lookup tables
        t = time.perf_counter()
        for s in range(0, len(rows), 5_000):
            scorer.score_texts(*prepare(rows[s : s + 5_000], "headline", None, 100_000))
        local = len(rows) / (time.perf_counter() - t)
        print(f"in-process scorer (no Dask, no I/O, warm), {len(rows):,} rows: {local:,.0f} rows/s")

        rates = {}
        for n in (1, 2):
            t = time.perf_counter()
            c, client = cluster(n)
            started = time.perf_counter() - t
            try:
                # warm-up: small partitions spread over every worker (imports, model build)
                frame = pd.DataFrame({"id": range(4_000), "headline": heads[:4_000]})
                warm_ddf = dd.from_pandas(frame, npartitions=8 * n, sort=False)
                warm, _ = score_to(warm_ddf, tmp / f"warm{n}", model, client)
                client.run(lambda: fdask.WORKER_STATS.clear())
                load0 = os.getloadavg()[0]
                secs, result = score_to(str(tmp / "in"), tmp / f"out{n}", model, client)
                load1 = os.getloadavg()[0]
                stats = client.run(lambda: dict(fdask.WORKER_STATS))
                if n == 2:
                    overhead = tiny_tasks(args.tiny_tasks, heads, model, client, dd, pd, tmp)
            finally:
                client.close()
                c.close()
            assert result["rows"] == args.rows
            rates[n] = args.rows / secs
            print(
                f"dask, {n} worker(s): cluster start {started:.1f} s, warm-up {warm:.1f} s; "
                f"{args.rows:,} rows in {secs:.1f} s = {rates[n]:,.0f} rows/s "
                f"({result['errors']} row errors; load average {load0:.1f} -> {load1:.1f})"
            )
            for addr, s in sorted(stats.items()):
                print(
                    f"    worker {addr}: {s.get('partitions_scored', 0)} partitions; in this "
                    f"run the model was received {s.get('shipments_unpacked', 0)}x and built "
                    f"{s.get('models_built', 0)}x (0: still built from the warm-up)"
                )
        print(f"2 workers / 1 worker: {rates[2] / rates[1]:.2f}x")
        print(f"dask 1 worker / in-process scorer: {rates[1] / local:.2f}x")
        one, many, n = overhead
        print(
            f"per-task overhead (2 workers): {n} one-row partitions {many:.2f} s, one {n}-row "
            f"partition {one:.2f} s -> {(many - one) / n * 1000:.1f} ms per task"
        )
    return 0


def tiny_tasks(n, heads, model, client, dd, pd, tmp) -> tuple[float, float, int]:
    frame = pd.DataFrame({"id": range(n), "headline": heads[:n]})
    timings = []
    for parts, name in ((1, "one"), (n, "many")):
        ddf = dd.from_pandas(frame, npartitions=parts, sort=False)
        secs, result = score_to(ddf, tmp / f"tiny-{name}", model, client)
        assert result["rows"] == n
        timings.append(secs)
    return timings[0], timings[1], n


if __name__ == "__main__":
    sys.exit(main())
