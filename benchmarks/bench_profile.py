"""Where the time of `framing score` goes: CPU time per stage (prints a table; not a test).

    python benchmarks/bench_profile.py                  # 40,000 headlines, shipped model
    python benchmarks/bench_profile.py --rows 20000 --model DIR

The rows are sampled from the real headlines of the data folder (``common.load_headlines``) and
scored in process as `framing score` does (2,000-row chunks: read CSV, score every headline
head with top-3 terms, merge, write CSV), after one warm-up pass (the word caches are warm,
as they are after the first chunks of a large file). Each stage's CPU time is measured by
wrapping the function that does it; the figure is the minimum over ``--repeat`` runs, per row.
Stages nest: "char n-grams" includes "repeated pairs" and "corrections per head".
"""

from __future__ import annotations

import argparse
import collections
import functools
import io
import os
import tempfile
import time
from pathlib import Path

from common import load_headlines, write_csv

import framing.batch.scorer as scorer
import framing.core.engine as engine
import framing.core.features as features
import framing.core.shared as shared
import framing.explanation.scores as scores
from framing.batch import merge_columns, output_columns
from framing.core.model import load_model
from framing.tables.read import read_chunks
from framing.tables.write import DelimitedWriter

STAGES = [  # (owner, function, label)
    (scores, "tokenize_batch", "tokenise (one pass)"),
    (scores, "quote_spans_many", "quotations"),
    (shared.SharedPass, "__init__", "form ids of the batch (one pass)"),
    (shared.SharedPass, "hits", "word and lexicon hits (per head)"),
    (shared.SharedPass, "char_tokens", "char n-grams (per head, incl. the next two)"),
    (shared.SharedPass, "_find_repeated", "  repeated (text, n-gram) pairs (one pass)"),
    (shared.SharedPass, "_correct", "  corrections (per head)"),
    (features.FeatureSpace, "values", "TF-IDF values of words and lexicons (per head)"),
    (engine, "_from_hits", "contributions (per head, incl. TF-IDF values)"),
    (scorer, "WordGroups", "words of each text grouped (one pass)"),
    (scorer, "terms_json_column", "top-3 terms as JSON (per head)"),
    (scorer.Scorer, "_put", "columns: rounding, labels (per head)"),
    (scorer, "prepare", "row texts and errors"),
    (scorer, "guard_texts", "length limits and language checks"),
]


def wrap(acc: collections.Counter, owner, name: str, label: str) -> None:
    f = getattr(owner, name)

    @functools.wraps(f)
    def timed(*a, **k):
        t = time.process_time()
        try:
            return f(*a, **k)
        finally:
            acc[label] += time.process_time() - t

    setattr(owner, name, timed)


def run_once(path: Path, model, acc: collections.Counter) -> int:
    options = scorer.ScoreOptions(headline_col="headline")
    sc = scorer.Scorer(model, options)
    cols = ["id", "headline"]
    writer = DelimitedWriter(
        io.StringIO(), cols + output_columns(model, "headline", None, 3), "csv", cols
    )
    n = 0
    with open(path, "rb") as fh:
        chunks = read_chunks(fh, "csv", chunk_size=2000)
        while True:
            t = time.process_time()
            chunk = next(chunks, None)
            acc["read CSV"] += time.process_time() - t
            if chunk is None:
                return n
            n += len(chunk)
            t = time.process_time()
            columns = sc.score(chunk)
            acc["score (all of the above)"] += time.process_time() - t
            t = time.process_time()
            rows = merge_columns(chunk, columns, cols)
            acc["merge rows"] += time.process_time() - t
            t = time.process_time()
            writer.write_chunk(writer.render(rows))
            acc["write CSV"] += time.process_time() - t


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rows", type=int, default=40_000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--model", help="model folder (default: the shipped model)")
    p.add_argument("--data-dir", default=os.environ.get("FRAMING_DATA_DIR", "../shared/data"))
    args = p.parse_args()
    model = load_model(args.model)
    acc: collections.Counter = collections.Counter()
    for owner, name, label in STAGES:
        wrap(acc, owner, name, label)
    with tempfile.TemporaryDirectory(prefix="framing-profile-") as tmp:
        path = Path(tmp) / "headlines.csv"
        write_csv(path, load_headlines(Path(args.data_dir)), args.rows)
        run_once(path, model, acc)  # warm-up
        best: dict[str, float] = {}
        for _ in range(args.repeat):
            acc.clear()
            n = run_once(path, model, acc)
            for k, v in acc.items():
                best[k] = min(best.get(k, v), v)
    total = best["read CSV"] + best["score (all of the above)"]
    total += best["merge rows"] + best["write CSV"]
    print(
        f"{args.rows:,} headlines, heads {', '.join(model.heads)}; load average "
        f"{os.getloadavg()[0]:.1f}; CPU per row (min of {args.repeat} runs):"
    )
    print("| stage | µs per row | share |")
    print("|---|---|---|")
    for _, _, label in STAGES:
        v = best.get(label, 0.0)
        print(f"| {label} | {v / n * 1e6:.1f} | {v / total:.0%} |")
    for label in ("score (all of the above)", "read CSV", "merge rows", "write CSV"):
        v = best[label]
        print(f"| {label} | {v / n * 1e6:.1f} | {v / total:.0%} |")
    print(f"| total | {total / n * 1e6:.1f} ({n / total:,.0f} rows/s CPU) | 100% |")


if __name__ == "__main__":
    main()
