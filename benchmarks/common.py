"""Helpers the benchmark scripts share: the inputs they build from the public data (or from
a small built-in vocabulary when it is absent). Import it as ``from common import ...``: a
script's own folder is first on ``sys.path`` when it is run as ``python benchmarks/NAME.py``.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import sys
from pathlib import Path

import numpy as np

__all__ = ["FALLBACK", "article", "load_headlines", "sentence_pool", "write_csv"]


def load_headlines(data_dir: Path) -> list[str]:
    """The real headlines of Stop Clickbait and Webis-Clickbait-17 in ``data_dir``."""
    out = []
    with gzip.open(data_dir / "stop_clickbait" / "stop_clickbait_headlines.csv.gz", "rt") as fh:
        out += [r["headline"] for r in csv.DictReader(fh)]
    with gzip.open(
        data_dir / "webis_clickbait17" / "validation170630_posttext_clean.jsonl.gz", "rt"
    ) as fh:
        for line in fh:
            rec = json.loads(line)
            text = rec.get("postText_clean")
            if isinstance(text, str) and text.strip():
                out.append(text)
    return [t for t in out if t.strip()]


def write_csv(path: Path, pool: list[str], n: int, seed: int = 0) -> list[str]:
    """``n`` headlines drawn from ``pool`` with replacement (seeded) written as ``id,headline``."""
    rng = np.random.default_rng(seed)
    picks = [pool[i] for i in rng.integers(0, len(pool), size=n)]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "headline"])
        w.writerows(enumerate(picks))
    return picks


_FALLBACK_TEXT = (
    "the minister said council report budget vote officials regime despot chilling crisis "
    "shocking government plan talks election court ruling protest police city residents"
)
FALLBACK = _FALLBACK_TEXT.split()


def sentence_pool() -> tuple[list[str], list[str]]:
    """Body sentences and headlines to build inputs from."""
    try:
        from framing.training import recipes
        from framing.training.binary import datasets

        data = datasets.resolve_data_dir()
        _, ptc_train, _, _, _ = recipes.loaded_data(data)
        stop, webis, _, _ = recipes.clickbait_data(data)
        return [r.text for r in ptc_train], [r.text for r in stop + webis]
    except Exception as exc:  # noqa: BLE001 - the benchmark runs without the data too
        print(f"(no public data: {exc}; using synthetic text)", file=sys.stderr)
        rng = random.Random(1)
        sents = [
            " ".join(rng.choice(FALLBACK) for _ in range(rng.randint(8, 30))).capitalize() + "."
            for _ in range(3000)
        ]
        return sents, [s[:-1] for s in sents]


def article(pool: list[str], words: int, rng: random.Random) -> str:
    """An article of about ``words`` words: sentences of ``pool``, four a paragraph."""
    out, n = [], 0
    while n < words:
        s = rng.choice(pool)
        out.append(s)
        n += len(s.split())
    paras = [" ".join(out[i : i + 4]) for i in range(0, len(out), 4)]
    return "\n\n".join(paras)
