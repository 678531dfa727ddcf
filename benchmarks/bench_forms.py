"""The first look-up of new words: a cold form table, character n-grams found as integer keys
(framing.core.grams) or as strings (prints figures; not a test).

    python benchmarks/bench_forms.py                  # 150,000 headlines, shipped model
    python benchmarks/bench_forms.py --rows 50000 --model DIR

The headlines are sampled from the data folder (``common.load_headlines``), tokenised in 2,000-row
batches, and each batch's forms are given to a fresh FormTable of the clickbait and loaded
spaces (the headline heads) with their per-form sums: CPU time, minimum of ``--repeat`` runs,
with the keys built at once and with the string look-up only. This is the work every new word
costs once per process (a worker of ``framing score --workers N`` pays it again).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
from common import load_headlines

import framing.core.forms as forms
from framing.core.model import load_model
from framing.core.shared import shared_space
from framing.core.tokens import tokenize_batch


def cold_table(spaces, words, batches, strings: bool) -> tuple[float, int]:
    table = forms.FormTable(spaces, words)
    if strings:
        table._keys = False  # the string look-up, always
    t = time.process_time()
    for batch in batches:
        table.ids(batch)
        for s in range(len(spaces)):
            table.char_sums(s, None)
    return time.process_time() - t, len(table)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rows", type=int, default=150_000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--model", help="model folder (default: the shipped model)")
    p.add_argument("--data-dir", default=os.environ.get("FRAMING_DATA_DIR", "../shared/data"))
    args = p.parse_args()
    model = load_model(args.model)
    spaces = [model[h].space for h in ("clickbait", "loaded") if h in model.heads]
    words = shared_space(spaces).words
    pool = load_headlines(Path(args.data_dir))
    rng = np.random.default_rng(0)
    texts = [pool[i] for i in rng.integers(0, len(pool), args.rows)]
    batches = [list(tokenize_batch(texts[i : i + 2000]).forms) for i in range(0, len(texts), 2000)]
    forms.KEYS_AFTER = 0  # keys from the first batch (the string run ignores them)
    print(
        f"{args.rows:,} headlines, spaces of {len(spaces)} heads, load average "
        f"{os.getloadavg()[0]:.1f}; CPU, minimum of {args.repeat} runs:"
    )
    for label, strings in (("integer keys", False), ("strings", True)):
        best, n = min(cold_table(spaces, words, batches, strings) for _ in range(args.repeat))
        print(
            f"  {label}: {best * 1000:.0f} ms for {n:,} new words ({best / n * 1e6:.1f} µs "
            f"per word, {best / args.rows * 1e6:.2f} µs per row)"
        )


if __name__ == "__main__":
    main()
