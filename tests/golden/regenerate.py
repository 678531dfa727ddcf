"""Regenerate the golden outputs of the shipped model (only when a change is intended).

``python tests/golden/regenerate.py`` writes ``score.csv`` and ``score.jsonl`` (``framing
score`` of ``input.csv``) and ``explain.jsonl.gz`` (``explain().to_dict()`` of every 5th row,
floats rounded to 9 decimals; gzip, as the per-feature lists make it a few MB).
``tests/test_golden.py`` checks that the code still produces them byte for byte.
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
INPUT = HERE / "input.csv"
EXPLAIN_EVERY = 5


def _rounded(value):
    if isinstance(value, float):
        return round(value, 9) + 0.0  # -0.0 -> 0.0
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def explain_lines(model=None) -> str:
    from framing import explain

    with open(INPUT, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    lines = []
    for row in rows[::EXPLAIN_EVERY]:
        headline, body = row["headline"] or None, row["body"] or None
        if headline is None and body is None:
            continue
        result = explain(headline, body=body, model=model).to_dict()
        lines.append(json.dumps(_rounded(result), sort_keys=True, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def score_bytes(out: Path, fmt: str) -> bytes:
    from framing.cli import main

    code = main(["score", str(INPUT), "-o", str(out), "--output-format", fmt, "-q"])
    if code != 0:
        raise SystemExit(f"framing score exited with {code}")
    return out.read_bytes()


def main() -> int:
    for fmt in ("csv", "jsonl"):
        score_bytes(HERE / f"score.{fmt}", fmt)
    data = explain_lines().encode("utf-8")
    (HERE / "explain.jsonl.gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
