"""Time of ``suggest()`` against ``explain()`` on the same body, at lengths up to the body
limit (prints figures; not a test). The goal is suggest() within 5x explain() at every
length up to the limit (2,000,000 characters); it was once superlinear (CHANGELOG.md).

    python benchmarks/bench_suggest_speed.py
    python benchmarks/bench_suggest_speed.py --lengths 10000 100000 --repeat 3

Two kinds of body per length:

* ``articles``: PTC articles (--data-dir, $FRAMING_DATA_DIR or ../shared/data) joined until
  they reach the length (a short built-in text repeated without the data);
* ``dense``: sentences that each hold one or more loaded words (the most suggest() does
  per character: every sentence is reworded), drawn at random (seed 0).

Each figure is the best of ``--repeat`` runs of each call, in one process, after one run of
each to warm the caches; suggest() calls explain() twice (the text and its rewording).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from pathlib import Path

from framing import explain, load_model, suggest

DENSE = [
    "The despot shamelessly crushed the protest.",
    "Officials released figures on Monday.",
    "The regime's brutal crackdown stunned observers.",
    'He said "the radical plan is a sham" today.',
    "Council approved the plan by a vote of six to three.",
    "Critics slammed the outrageous scheme.",
]
FALLBACK = (
    "The minister said the report would be published on Monday. Officials released figures "
    "for the third quarter. The council approved the plan by a vote of six to three. "
)


def articles_text(data_dir: Path, length: int) -> str:
    path = data_dir / "ptc_semeval2020_task11" / "articles.jsonl"
    if path.is_file():
        with open(path, encoding="utf-8") as fh:
            pool = [json.loads(line)["text"] for line in fh if line.strip()]
    else:
        pool = [FALLBACK * 20]
    parts, total, i = [], 0, 0
    while total < length:
        parts.append(pool[i % len(pool)])
        total += len(parts[-1]) + 2
        i += 1
    text = "\n\n".join(parts)
    cut = text.rfind(" ", 0, length)
    return text[: cut if cut > 0 else length]


def dense_text(length: int) -> str:
    rng = random.Random(0)
    parts, total = [], 0
    while total < length:
        parts.append(rng.choice(DENSE))
        total += len(parts[-1]) + 1
    return " ".join(parts)[:length].rsplit(" ", 1)[0]


def best(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument(
        "--lengths", nargs="*", type=int, default=[10_000, 124_000, 500_000, 1_000_000, 2_000_000]
    )
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("--kinds", nargs="*", default=["articles", "dense"])
    p.add_argument("--model", help="model folder (default: the shipped model)")
    p.add_argument("--data-dir", default=os.environ.get("FRAMING_DATA_DIR", "../shared/data"))
    args = p.parse_args()
    model = load_model(args.model)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    for kind in args.kinds:
        for length in args.lengths:
            text = (
                articles_text(Path(args.data_dir), length)
                if kind == "articles"
                else (dense_text(length))
            )
            explain(body=text, model=model)  # warm
            s = suggest(text, model=model, kind="body")
            e_time = best(lambda text=text: explain(body=text, model=model), args.repeat)
            s_time = best(lambda text=text: suggest(text, model=model, kind="body"), args.repeat)
            print(
                f"{kind}: {len(text):,} characters, {len(s.sentences):,} sentences, "
                f"{len(s.replacements):,} replacements: explain {e_time:.2f} s, suggest "
                f"{s_time:.2f} s, ratio {s_time / e_time:.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
