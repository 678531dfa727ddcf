"""Cost of ``framing score`` without ``--frames --techniques``, before and after a change, in
one run on the same inputs (prints figures; not a test).

    python benchmarks/bench_score_cost.py --before-src ../main/src \
        --before-model ../main/src/framing/resources --after-model src/framing/resources

``before`` and ``after`` are each a source tree (``PYTHONPATH``; the default ``after`` is this
one's ``src``) and a model folder. The runs alternate (before, after, before, ...) so that a
change in the machine's load hits both; each figure is the median of ``--repeat`` runs, as
wall time and as CPU time of the ``framing score`` process (which other processes' load does
not inflate). Two inputs, built from the public data (../shared/data or $FRAMING_DATA_DIR):
headlines only (``--rows``, default 20,000) and articles of about 300 words (``--articles``,
default 1,000).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_cli import load_headlines, write_csv
from bench_explain import article, sentence_pool

HERE = Path(__file__).resolve().parents[1]


def run_once(src: str, model: str, path: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one ``framing score`` run (output to a file)."""
    env = {**os.environ, "PYTHONPATH": src}
    cmd = [sys.executable, "-m", "framing", "--model", model, "score", str(path), "-q"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([*cmd, "-o", str(path.with_suffix(".out.csv"))], check=True, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def compare(label: str, path: Path, n: int, sides: dict, repeat: int) -> None:
    times: dict = {name: [] for name in sides}
    for _ in range(repeat):
        for name, (src, model) in sides.items():
            times[name].append(run_once(src, model, path))
    med = {
        name: (statistics.median(w for w, _ in ts), statistics.median(c for _, c in ts))
        for name, ts in times.items()
    }
    (bw, bc), (aw, ac) = med["before"], med["after"]
    print(
        f"{label} ({n:,} rows): before {n / bw:,.0f} rows/s wall, {bc:.2f} s CPU; "
        f"after {n / aw:,.0f} rows/s wall, {ac:.2f} s CPU; after/before: wall {aw / bw:.3f}x, "
        f"CPU {ac / bc:.3f}x (medians of {repeat})"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--before-src", required=True)
    p.add_argument("--before-model", required=True)
    p.add_argument("--after-src", default=str(HERE / "src"))
    p.add_argument("--after-model", default=str(HERE / "src" / "framing" / "resources"))
    p.add_argument("--rows", type=int, default=20_000)
    p.add_argument("--articles", type=int, default=1_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--data-dir", default=os.environ.get("FRAMING_DATA_DIR", "../shared/data"))
    args = p.parse_args()
    sides = {
        "before": (args.before_src, args.before_model),
        "after": (args.after_src, args.after_model),
    }
    with tempfile.TemporaryDirectory() as tmp:
        heads = Path(tmp) / "headlines.csv"
        write_csv(heads, load_headlines(Path(args.data_dir)), args.rows)
        compare("headlines", heads, args.rows, sides, args.repeat)
        sents, titles = sentence_pool()
        rng = random.Random(0)
        arts = Path(tmp) / "articles.jsonl"
        with open(arts, "w", encoding="utf-8") as fh:
            for i in range(args.articles):
                row = {"headline": titles[i % len(titles)], "body": article(sents, 300, rng)}
                fh.write(json.dumps(row) + "\n")
        compare("articles", arts, args.articles, sides, args.repeat)


if __name__ == "__main__":
    main()
