"""What the plain-text boilerplate rule (``framing.core.boilerplate``) skips in real news
articles: prints counts and every distinct skipped range, to read for false positives
(asserts nothing).

    python benchmarks/eval_boilerplate.py [--data DIR]

Reads the article texts of the public data (``../shared/data`` or ``$FRAMING_DATA_DIR``):
PTC (``ptc_semeval2020_task11/articles.jsonl``) and SemEval-2023 Task 3
(``semeval2023_task3_en/articles_*.jsonl``; it shares articles with PTC, counted again).
"""

from __future__ import annotations

import argparse
import json

from framing.core.boilerplate import boilerplate_spans
from framing.training.binary.datasets import resolve_data_dir

FILES = (
    "ptc_semeval2020_task11/articles.jsonl",
    "semeval2023_task3_en/articles_subtask1_2_train.jsonl",
    "semeval2023_task3_en/articles_subtask3.jsonl",
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", help="the data folder (default ../shared/data)")
    args = ap.parse_args()
    data = resolve_data_dir(args.data)
    articles = flagged = chars = skipped = 0
    ranges: list[str] = []
    for name in FILES:
        path = data / name
        if not path.is_file():
            print(f"(missing: {name})")
            continue
        for line in path.open(encoding="utf-8"):
            text = json.loads(line).get("text")
            if not isinstance(text, str):
                continue
            articles += 1
            chars += len(text)
            spans = boilerplate_spans(text)
            flagged += bool(spans)
            for a, b in spans:
                skipped += b - a
                ranges.append(" / ".join(text[a:b].split("\n"))[:110])
    print(
        f"{articles:,} articles: {flagged} with skipped ranges, {len(ranges)} ranges, "
        f"{skipped:,} of {chars:,} characters ({skipped / max(chars, 1):.4%})"
    )
    print("distinct ranges (read them for false positives):")
    for r in sorted(set(ranges)):
        print(f"  {r}")


if __name__ == "__main__":
    main()
