"""Core figures, printed (not asserted): artifact size, load_model time, scoring rates.

    python benchmarks/bench_core.py [--n 20000] [--model DIR]

Artifact size, ``load_model()`` (in-process, warm imports) and ``import framing`` +
``load_model()`` in fresh processes are printed beside their budgets (8 MB, 0.3 s, 0.6 s).

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


BUDGET_MB, BUDGET_LOAD, BUDGET_COLD = 8.0, 0.3, 0.6
COLD = (
    "import sys, time; t=time.perf_counter(); c=time.process_time(); import framing; "
    "framing.load_model(sys.argv[1] if len(sys.argv) > 1 else None); "
    "print(time.perf_counter()-t, time.process_time()-c)"
)


def _within(value: float, budget: float) -> str:
    return f"(budget {budget}: {'within' if value <= budget else 'OVER'})"


def load_figures(model_path: str | None, runs: int = 5):
    """Print the artifact's size, warm ``load_model()`` and cold import + load; the model."""
    from framing.core.model import load_model, resolve_model_path

    artifact = resolve_model_path(model_path)
    mb = artifact.stat().st_size / 1e6
    print(f"artifact: {artifact}, {mb:.2f} MB {_within(mb, BUDGET_MB)}")
    loads, cpus = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        model = load_model(model_path)
        loads.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    warm = statistics.median(loads)
    print(
        f"load_model(): median {warm:.3f} s over {runs} (in-process, warm imports; CPU "
        f"{statistics.median(cpus):.3f} s) {_within(warm, BUDGET_LOAD)}; "
        f"heads {', '.join(model.heads)}"
    )
    cold, cold_cpu = [], []
    for _ in range(runs):
        argv = [sys.executable, "-c", COLD] + ([str(model_path)] if model_path else [])
        out = subprocess.run(argv, capture_output=True, text=True, check=True)
        wall, cpu = map(float, out.stdout.split())
        cold.append(wall)
        cold_cpu.append(cpu)
    med = statistics.median(cold)
    print(
        f"import framing + load_model() in a fresh process: median {med:.3f} s over {runs} "
        f"(min {min(cold):.3f}; CPU {statistics.median(cold_cpu):.3f} s) "
        f"{_within(med, BUDGET_COLD)}"
    )
    print("(wall times count other processes' load; on a busy machine read the CPU times)")
    return model


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=20000)
    p.add_argument("--model", help="model folder (default: $FRAMING_MODEL, else the shipped one)")
    args = p.parse_args()
    model = load_figures(args.model)
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
