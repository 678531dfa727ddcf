"""Core figures, printed (not asserted): artifact size, load_model time, scoring rates.

    python benchmarks/bench_core.py [--n 20000]

Headlines are synthesised from a fixed vocabulary (seeded), so no data is needed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import numpy as np


def synthetic_headlines(n: int, seed: int = 0) -> list[str]:
    words = [
        "you",
        "won't",
        "believe",
        "what",
        "happened",
        "next",
        "council",
        "budget",
        "minister",
        "warns",
        "chilling",
        "despot",
        "regime",
        "17",
        "things",
        "photos",
        "shocking",
        "report",
        "says",
        "new",
        "plan",
        "after",
        "vote",
        "election",
        "court",
        "rules",
        "police",
        "city",
        "school",
        "storm",
        "market",
        "rates",
        "climate",
        "deal",
        "talks",
        "crisis",
        "fears",
    ]
    rng = np.random.default_rng(seed)
    lengths = rng.integers(5, 14, size=n)
    return [" ".join(rng.choice(words, size=k)).capitalize() for k in lengths]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=20000)
    args = p.parse_args()
    from framing.core.model import load_model, resolve_model_path

    artifact = resolve_model_path()
    print(f"artifact: {artifact.name}, {artifact.stat().st_size / 1e6:.2f} MB")
    loads = []
    for _ in range(5):
        t = time.perf_counter()
        model = load_model()
        loads.append(time.perf_counter() - t)
    print(
        f"load_model(): median {statistics.median(loads):.3f} s over 5 (in-process, warm imports)"
    )
    cold = subprocess.run(
        [
            sys.executable,
            "-c",
            "import time; t=time.perf_counter(); import framing; "
            "framing.load_model(); print(time.perf_counter()-t)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    print(f"import framing + load_model() in a fresh process: {float(cold.stdout):.3f} s")
    texts = synthetic_headlines(args.n)
    for name, head in model.heads.items():
        t = time.perf_counter()
        head.predict_proba(texts)
        batch = args.n / (time.perf_counter() - t)
        few = texts[:2000]
        t = time.perf_counter()
        for text in few:
            head.predict_proba([text])
        single = len(few) / (time.perf_counter() - t)
        print(
            f"{name}: batched predict_proba {batch:,.0f} texts/s; one call per text "
            f"{single:,.0f} texts/s"
        )


if __name__ == "__main__":
    main()
