"""Multi-label data as labelled texts: persuasion techniques (PTC, SemEval-2023), news frames
and users' categorical labels.

Same hygiene as :mod:`framing.training.binary.datasets` (``clean_text``); each loader returns
``(rows, log, files)``: the rows, what was dropped or mapped and why, and the files read
(for the manifest's data fingerprints).
"""

from __future__ import annotations

import csv
import html
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from framing import strict
from framing.errors import DataError
from framing.training.binary.datasets import clean_text, dedup_key, read_table_rows
from framing.training.inventory import FRAMES, map_technique

__all__ = [
    "LabelledText",
    "label_matrix",
    "load_frames",
    "load_ptc_techniques",
    "load_semeval2023_techniques",
    "read_user_labels",
]


@dataclass(frozen=True)
class LabelledText:
    """One text with a set of labels (multi-label), its group (never split) and provenance."""

    text: str
    labels: frozenset[str]
    group: str
    dataset: str
    meta: dict = field(default_factory=dict, compare=False, hash=False)


def label_matrix(rows: Sequence[LabelledText], labels: Sequence[str]):
    """0/1 matrix (n_rows, n_labels) of which labels each row carries."""
    import numpy as np

    index = {name: k for k, name in enumerate(labels)}
    Y = np.zeros((len(rows), len(labels)))
    for i, r in enumerate(rows):
        for name in r.labels:
            if name in index:
                Y[i, index[name]] = 1.0
    return Y


def load_ptc_techniques(data_dir: Path) -> tuple[list[LabelledText], list[str], list[Path]]:
    """PTC lines (``sentences.csv``) with the unified techniques whose spans overlap each line.

    ``meta['split']`` is PTC's train/dev split (by article); the group is the article.
    ``meta['technique_spans']`` maps each unified technique on the line to its spans
    (character offsets into the line, clipped to it) for rationale-rate lexicons; it is left
    out for a line whose text HTML unescaping changed (none in the current release).
    """
    folder = data_dir / "ptc_semeval2020_task11"
    path, span_path = folder / "sentences.csv", folder / "spans.csv"
    log: list[str] = []
    rows = []
    unmapped: Counter = Counter()
    article_spans: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    with open(span_path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            mapped = map_technique(r["technique"], 2020)
            if mapped:
                article_spans[r["article_id"]].append((mapped, int(r["start"]), int(r["end"])))
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            raw = r["sentence"]
            text = clean_text(raw)
            if not text:
                continue
            # offsets of the line's spans, made relative to the cleaned text
            lead = len(raw) - len(raw.lstrip()) if html.unescape(raw) == raw else None
            start, end = int(r["start"]) + (lead or 0), int(r["end"])
            local: dict[str, list[tuple[int, int]]] = defaultdict(list)
            if lead is not None:
                for tech, s, e in article_spans[r["article_id"]]:
                    a, b = max(s, start) - start, min(e, end) - start
                    if a < b and a < len(text):
                        local[tech].append((a, min(b, len(text))))
            labels = set()
            for name in filter(None, r["techniques"].split(";")):
                mapped = map_technique(name, 2020)
                if mapped:
                    labels.add(mapped)
                else:
                    unmapped[name] += 1
            rows.append(
                LabelledText(
                    text,
                    frozenset(labels),
                    f"ptc:{r['article_id']}",
                    "ptc2020",
                    {
                        "split": r["split"],
                        "article_id": r["article_id"],
                        # lines whose text HTML unescaping changed get no spans (offsets moved)
                        **(
                            {"technique_spans": {k: tuple(v) for k, v in local.items()}}
                            if lead is not None
                            else {}
                        ),
                    },
                )
            )
    if unmapped:
        log.append(f"ptc techniques: unmapped names ignored {dict(unmapped)}")
    log.append(f"ptc techniques: {len(rows)} lines")
    return rows, log, [path, span_path]


def load_semeval2023_techniques(
    data_dir: Path, split: str = "dev"
) -> tuple[list[LabelledText], list[str], list[Path]]:
    """SemEval-2023 subtask-3 English lines (paragraphs) with their techniques mapped.

    Its ``dev`` articles are not PTC articles (its ``train`` articles are PTC's train + dev
    re-annotated, so they are not independent of PTC). Techniques of the 2023 inventory with
    no 2020 counterpart are dropped from the label sets (counted in the log).
    """
    folder = data_dir / "semeval2023_task3_en"
    art_path = folder / "articles_subtask3.jsonl"
    lab_path = folder / f"{split}-labels-subtask-3.txt"
    texts = {}
    with open(art_path, encoding="utf-8") as fh:
        for line in fh:
            obj = strict.loads(line)
            if obj["split"] == split:
                texts[obj["article_id"]] = obj["text"].split("\n")
    log: list[str] = []
    rows = []
    dropped: Counter = Counter()
    with open(lab_path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2 or not parts[0].strip():
                continue
            article, line_no = parts[0].strip(), int(parts[1])
            lines = texts.get(article)
            if lines is None or not 1 <= line_no <= len(lines):
                dropped["line not found in the article"] += 1
                continue
            text = clean_text(lines[line_no - 1])
            if not text:
                dropped["empty line"] += 1
                continue
            labels = set()
            for name in filter(None, (parts[2] if len(parts) > 2 else "").split(",")):
                mapped = map_technique(name, 2023)
                if mapped:
                    labels.add(mapped)
                else:
                    dropped[f"unmapped technique {name}"] += 1
            rows.append(
                LabelledText(
                    text,
                    frozenset(labels),
                    f"semeval2023:{article}",
                    f"semeval2023_{split}",
                    {"split": split, "article_id": article, "line_no": line_no},
                )
            )
    if dropped:
        log.append(f"semeval2023 {split} techniques: dropped {dict(dropped)}")
    log.append(f"semeval2023 {split} techniques: {len(rows)} lines of {len(texts)} articles")
    return rows, log, [art_path, lab_path]


def load_frames(data_dir: Path) -> tuple[list[LabelledText], list[str], list[Path]]:
    """SemEval-2023 subtask-2 English training articles with their frames (multi-label)."""
    path = data_dir / "semeval2023_task3_en" / "articles_subtask1_2_train.jsonl"
    log: list[str] = []
    rows = []
    unknown: Counter = Counter()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            obj = strict.loads(line)
            text = clean_text(obj["text"])
            frames = {f.strip() for f in obj.get("frames") or [] if f.strip()}
            unknown.update(f for f in frames if f not in FRAMES)
            rows.append(
                LabelledText(
                    text,
                    frozenset(f for f in frames if f in FRAMES),
                    f"frames:{obj['article_id']}",
                    "semeval2023_frames",
                    {"article_id": obj["article_id"], "title": obj.get("title", "")},
                )
            )
    if unknown:
        log.append(f"frames: ignored names outside the 14 frames {dict(unknown)}")
    empty = [r for r in rows if not r.text]
    if empty:
        log.append(f"frames: dropped {len(empty)} empty articles")
    rows = [r for r in rows if r.text]
    log.append(f"frames: {len(rows)} articles")
    return rows, log, [path]


def read_user_labels(
    data: bytes,
    filename: str,
    text_col: str = "text",
    label_col: str = "label",
    *,
    kind: str = "multiclass",
    sep: str = ",",
    min_per_label: int = 5,
) -> tuple[list[LabelledText], list[str], list[str]]:
    """Rows, label names and log from a user's file of texts with categorical labels.

    ``kind="multiclass"``: one label name per row. ``kind="multilabel"``: label names joined by
    ``sep`` (an empty cell means none of the labels). Labels with fewer than
    ``min_per_label`` rows are an error naming them (merge or drop them first).
    """
    if kind not in ("multiclass", "multilabel"):
        raise DataError(f"label kind {kind!r}: use 'multiclass' or 'multilabel'")
    rows = read_table_rows(data, filename, text_col, label_col)
    log: list[str] = []
    out = []
    seen: dict[str, int] = {}
    duplicates = 0
    for i, row in enumerate(rows, 1):
        text = clean_text(row.get(text_col))
        raw = "" if row.get(label_col) is None else str(row.get(label_col)).strip()
        if kind == "multiclass":
            if not raw:
                raise DataError(
                    f"{filename}: row {i} has no label; every row of a multi-class file needs "
                    "one (drop the row, or use --label-type multilabel for rows with none)"
                )
            labels = frozenset([raw])
        else:
            labels = frozenset(p.strip() for p in raw.split(sep) if p.strip())
        if not text:
            continue
        key = dedup_key(text)
        if key in seen:
            duplicates += 1
            prev = out[seen[key]]
            if prev.labels != labels:
                log.append(f"{filename}: row {i} repeats an earlier text with other labels")
            continue
        seen[key] = len(out)
        out.append(LabelledText(text, labels, f"user:{i}", "user"))
    if len(out) != len(rows) - duplicates:
        log.append(f"{filename}: dropped {len(rows) - duplicates - len(out)} empty texts")
    if duplicates:
        log.append(f"{filename}: dropped {duplicates} repeated texts (first kept)")
    counts = Counter(name for r in out for name in r.labels)
    if len(out) < 20:
        raise DataError(f"{filename}: {len(out)} usable rows; at least 20 are needed to train")
    if len(counts) < 2 and kind == "multiclass":
        raise DataError(f"{filename}: one label only ({list(counts)}); a head needs two or more")
    if not counts:
        raise DataError(f"{filename}: no row has a label")
    rare = {k: v for k, v in counts.items() if v < min_per_label}
    if rare:
        raise DataError(
            f"{filename}: labels with fewer than {min_per_label} rows: {rare}; "
            "merge them into other labels or drop those rows"
        )
    if kind == "multilabel":
        always = [k for k, v in counts.items() if v == len(out)]
        if always:
            raise DataError(f"{filename}: labels {always} are on every row; nothing to learn")
    labels = sorted(counts)
    log.append(f"{filename}: {len(out)} rows, labels {dict(sorted(counts.items()))}")
    return out, labels, log
