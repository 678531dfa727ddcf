"""Cost of the framing heads (``technique``, ``frame``): prints figures (never asserts them).

    python benchmarks/bench_framing.py [--model DIR]   # default: the shipped model

Figures, in one run on the same inputs:

* ``framing score`` on articles (headline + body, about 300 words each) with the model's
  binary heads only, and with ``--frames --techniques`` added;
* ``explain()`` of a 1,000-word article and of a ~1 MB body with the framing model, beside
  the same calls with its binary heads only.

Articles are built from sentences of the public data (../shared/data or $FRAMING_DATA_DIR).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import article, sentence_pool

from framing import explain, load_model
from framing.core.model import Model, resolve_model_path


def cpu(fn):
    t = time.process_time()
    out = fn()
    return time.process_time() - t, out


def score_rate(model_dir: str, path: Path, extra: list[str], n: int) -> float:
    cmd = [sys.executable, "-m", "framing", "--model", model_dir, "score", str(path)]
    t0 = time.perf_counter()
    subprocess.run([*cmd, "-o", str(path.with_suffix(".out.jsonl")), "-q", *extra], check=True)
    return n / (time.perf_counter() - t0)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--model", help="a model folder with the framing heads (default: shipped)")
    p.add_argument("--articles", type=int, default=2_000, help="articles for framing score")
    args = p.parse_args()
    full = load_model(args.model)
    args.model = args.model or str(resolve_model_path().parent)
    missing = [h for h in ("technique", "frame") if h not in full.heads]
    if missing:
        raise SystemExit(f"the model has no {missing} head(s); retrain with training/train.py")
    binary = Model({n: h for n, h in full.heads.items() if h.is_binary}, full.manifest)
    sents, heads = sentence_pool()
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for i in range(args.articles):
                row = {"headline": heads[i % len(heads)], "body": article(sents, 300, rng)}
                fh.write(json.dumps(row) + "\n")
        plain = score_rate(args.model, path, [], args.articles)
        framed = score_rate(args.model, path, ["--frames", "--techniques"], args.articles)
    print(
        f"framing score, {args.articles:,} articles of ~300 words: {plain:,.0f} rows/s without, "
        f"{framed:,.0f} rows/s with --frames --techniques ({framed / plain:.2f}x)"
    )
    for label, model in (("binary heads only", binary), ("with the framing heads", full)):
        explain(heads[0], article(sents, 300, rng), model=model)  # warm caches
        times = []
        for i in range(15):
            body = article(sents, 1000, rng)
            dt, _ = cpu(lambda body=body, i=i, m=model: explain(heads[i], body, model=m))
            times.append(dt)
        big = article(sents, 200_000, rng).encode()[: 1 << 20].decode(errors="ignore")
        explain(heads[1], big, model=model)
        dt_big, _ = cpu(lambda model=model, big=big: explain(heads[1], big, model=model))
        print(
            f"explain(), {label}: 1,000-word article median {statistics.median(times) * 1000:.1f}"
            f" ms CPU; ~1 MB body {dt_big:.2f} s CPU (warm)"
        )


if __name__ == "__main__":
    main()
