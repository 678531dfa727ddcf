"""Adapters from the public datasets (``shared/data``) and from users' files to records.

Each adapter returns ``(records, log)``: the log says what was dropped or merged and why.
Hygiene, the same everywhere: HTML entities unescaped (``&amp;`` -> ``&``), surrounding
white space stripped, empty texts dropped, exact duplicates (after lowercasing and
collapsing white space) merged into one record whose target is the mean of theirs.
"""

from __future__ import annotations

import ast
import csv
import gzip
import hashlib
import html
import io
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from framing import strict
from framing.errors import DataError, InputError
from framing.tables.read import ReadStats, read_chunks
from framing.training.binary.fit import Record

__all__ = [
    "DATA_ENV",
    "LOADED_TECHNIQUES",
    "SPAN_RECALL_TECHNIQUES",
    "clean_text",
    "dedup_key",
    "fingerprint",
    "load_babe",
    "load_ptc",
    "load_stop_clickbait",
    "load_webis",
    "marked_sentence",
    "merge_duplicates",
    "read_table_rows",
    "read_user_file",
    "read_user_path",
    "resolve_data_dir",
]

DATA_ENV = "FRAMING_DATA_DIR"
LOADED_TECHNIQUES = (
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Exaggeration,Minimisation",
    "Appeal_to_fear-prejudice",
)
SPAN_RECALL_TECHNIQUES = ("Loaded_Language", "Name_Calling,Labeling")
_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+(?:['’\-]\w+)*")


def resolve_data_dir(option: str | os.PathLike | None = None) -> Path:
    """The data folder: ``option``, else ``$FRAMING_DATA_DIR``, else ``../shared/data``."""
    candidates = []
    if option:
        candidates = [Path(option)]
    elif os.environ.get(DATA_ENV):
        candidates = [Path(os.environ[DATA_ENV])]
    else:
        here = Path(__file__).resolve()
        candidates = [Path.cwd() / ".." / "shared" / "data"]
        candidates += [p / ".." / "shared" / "data" for p in here.parents[:4]]
    for c in candidates:
        if (c / "README.md").is_file() or (c / "babe").is_dir():
            return c.resolve()
    raise DataError(
        f"training data not found (looked in: {', '.join(str(c) for c in candidates)}); "
        f"pass --data-dir PATH or set ${DATA_ENV} to the folder holding babe/, "
        "stop_clickbait/, webis_clickbait17/ ..."
    )


def fingerprint(paths: Iterable[Path]) -> dict[str, str]:
    """sha256 of each data file used, keyed by its path relative to the data folder."""
    out = {}
    for p in sorted(paths):
        digest = hashlib.sha256(Path(p).read_bytes()).hexdigest()
        out[f"{Path(p).parent.name}/{Path(p).name}"] = digest
    return out


def clean_text(text: str | None) -> str:
    """The text with HTML entities unescaped and surrounding white space stripped ("" for None)."""
    if text is None:
        return ""
    return html.unescape(str(text)).strip()


def dedup_key(text: str) -> str:
    """The key under which two texts count as duplicates: lowercased, white space collapsed."""
    return _WS.sub(" ", text.lower()).strip()


def merge_duplicates(records: list[Record], log: list[str], name: str) -> list[Record]:
    """Merge exact duplicates (case and white space folded): mean target, summed weight."""
    groups: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        groups[dedup_key(r.text)].append(r)
    out = []
    for recs in groups.values():
        if len(recs) == 1:
            out.append(recs[0])
            continue
        target = sum(r.target for r in recs) / len(recs)
        first = recs[0]
        out.append(
            Record(
                first.text,
                target,
                first.weight,
                first.dataset,
                first.group,
                first.spans,
                first.meta,
            )
        )
    merged = len(records) - len(out)
    if merged:
        log.append(f"{name}: merged {merged} exact duplicate texts (mean target kept)")
    return out


def _drop_empty(rows, log, name):
    kept = [r for r in rows if r.text]
    if len(kept) != len(rows):
        log.append(f"{name}: dropped {len(rows) - len(kept)} empty texts")
    return kept


def load_stop_clickbait(data_dir: Path) -> tuple[list[Record], list[str], list[Path]]:
    """Stop Clickbait headlines (label 0/1); duplicates merged, each headline its own group."""
    path = data_dir / "stop_clickbait" / "stop_clickbait_headlines.csv.gz"
    log: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        rows = [
            Record(clean_text(r["headline"]), float(r["label"]), dataset="stop_clickbait")
            for r in csv.DictReader(fh)
        ]
    rows = _drop_empty(rows, log, "stop_clickbait")
    rows = merge_duplicates(rows, log, "stop_clickbait")
    rows = [
        Record(r.text, r.target, dataset=r.dataset, group=f"sc:{i}") for i, r in enumerate(rows)
    ]
    log.append(f"stop_clickbait: {len(rows)} headlines")
    return rows, log, [path]


def load_webis(data_dir: Path) -> tuple[list[Record], list[str], list[Path]]:
    """Webis-Clickbait-17 validation posts with the mean annotator grade in [0, 1] as target."""
    path = data_dir / "webis_clickbait17" / "validation170630_posttext_clean.jsonl.gz"
    log: list[str] = []
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            obj = strict.loads(line)
            rows.append(
                Record(
                    clean_text(obj["postText_clean"]),
                    float(min(max(obj["truthMean"], 0.0), 1.0)),
                    dataset="webis17",
                    meta={"truth_class": 1 if obj["truthClass"] == "clickbait" else 0},
                )
            )
    rows = _drop_empty(rows, log, "webis17")
    n_before = len(rows)
    groups: dict[str, list[Record]] = defaultdict(list)
    for r in rows:
        groups[dedup_key(r.text)].append(r)
    out = []
    for i, recs in enumerate(groups.values()):
        target = sum(r.target for r in recs) / len(recs)
        cls = round(sum(r.meta["truth_class"] for r in recs) / len(recs))
        out.append(
            Record(
                recs[0].text,
                target,
                dataset="webis17",
                group=f"wb:{i}",
                meta={"truth_class": int(cls)},
            )
        )
    if len(out) != n_before:
        log.append(
            f"webis17: merged {n_before - len(out)} duplicate post texts (generic teasers such as "
            "'Quote of the day:'); mean truthMean kept, majority truthClass"
        )
    log.append(f"webis17: {len(out)} posts")
    return out, log, [path]


def _word_spans(text: str, words: Iterable[str]) -> tuple[tuple[int, int], ...]:
    """Character spans of every whole-word occurrence of the given words (case-insensitive)."""
    wanted = {w.lower() for w in words if w and w.strip()}
    return tuple((m.start(), m.end()) for m in _WORD.finditer(text) if m.group().lower() in wanted)


def marked_sentence(row: dict, dataset: str) -> Record | None:
    """A sentence of a BABE-format CSV row (``text``, ``label_bias``, ``biased_words``, as
    BABE and MBIC write them): target 1 for ``Biased``, 0 for ``Non-biased``, the spans of
    its marked words, and the words in ``meta["biased_words"]``; None without an agreed
    label."""
    if row["label_bias"] not in ("Biased", "Non-biased"):
        return None
    text = clean_text(row["text"]).replace("\u00a0", " ")
    try:
        words = [str(w) for w in ast.literal_eval(row["biased_words"] or "[]")]
    except (ValueError, SyntaxError):
        words = []
    target = 1.0 if row["label_bias"] == "Biased" else 0.0
    return Record(
        text,
        target,
        dataset=dataset,
        spans=_word_spans(text, words),
        meta={"biased_words": words},
    )


def load_babe(data_dir: Path) -> tuple[list[Record], list[str], list[Path]]:
    """BABE sentences with an agreed label (biased 1, non-biased 0) and the spans of the
    words annotators marked as biased; grouped by outlet and topic for the splits.
    """
    path = data_dir / "babe" / "final_labels_SG2.csv"
    log: list[str] = []
    rows = []
    no_agreement = 0
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            row = marked_sentence(r, "babe")
            if row is None:
                no_agreement += 1
                continue
            rows.append(replace(row, meta={**row.meta, "topic": r["topic"], "outlet": r["outlet"]}))
    log.append(f"babe: dropped {no_agreement} 'No agreement' sentences")
    rows = _drop_empty(rows, log, "babe")
    rows = merge_duplicates(rows, log, "babe")
    rows = [
        Record(r.text, r.target, r.weight, r.dataset, f"babe:{i}", r.spans, r.meta)
        for i, r in enumerate(rows)
    ]
    log.append(f"babe: {len(rows)} sentences")
    return rows, log, [path]


def load_anno_lexical(
    data_dir: Path, split: str = "train"
) -> tuple[list[Record], list[str], list[Path]]:
    """Anno-lexical (Horych et al. 2025): news sentences of 118 outlets, labelled lexically
    biased (1) or not (0) by an ensemble of language models. ``meta['outlet']`` is the outlet
    (for outlet-disjoint evaluation); each sentence is its own group."""
    import pandas as pd

    path = data_dir / "anno_lexical" / f"anno-lexical-{split}.parquet"
    log: list[str] = []
    df = pd.read_parquet(path, columns=["text", "label", "source_name"])
    rows = [
        Record(
            clean_text(t).replace("\u00a0", " "),
            float(label),
            dataset="anno_lexical",
            meta={"outlet": str(outlet)},
        )
        for t, label, outlet in zip(df["text"], df["label"], df["source_name"], strict=True)
    ]
    rows = _drop_empty(rows, log, f"anno_lexical/{split}")
    rows = merge_duplicates(rows, log, f"anno_lexical/{split}")
    rows = [
        Record(r.text, r.target, r.weight, r.dataset, f"anno:{split}:{i}", r.spans, r.meta)
        for i, r in enumerate(rows)
    ]
    log.append(f"anno_lexical/{split}: {len(rows)} sentences")
    return rows, log, [path]


def load_neutral_headlines(data_dir: Path) -> tuple[list[str], list[str], list[Path]]:
    """The news headlines of Stop Clickbait (label 0: Wikinews, New York Times, The Guardian,
    The Hindu), as unlabelled neutral-register text: hard negatives for topic words and the
    base texts of swap-in pairs. Deduplicated, in a stable order."""
    path = data_dir / "stop_clickbait" / "stop_clickbait_headlines.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        texts = [clean_text(r["headline"]) for r in csv.DictReader(fh) if r["label"] == "0"]
    seen: dict[str, str] = {}
    for t in texts:
        if t:
            seen.setdefault(dedup_key(t), t)
    out = sorted(seen.values())
    return out, [f"stop_clickbait: {len(out)} news (non-clickbait) headlines"], [path]


def load_ptc(data_dir: Path, split: str | None = None):
    """PTC lines as records: target 1 when a loaded-language technique span overlaps the line.

    ``meta`` keeps ``loaded_language`` (a Loaded_Language span overlaps) for the evaluation
    protocol; ``spans`` holds, relative to the line, the parts of loaded-technique spans.
    Records are grouped by article, so splits never cut an article.
    """
    folder = data_dir / "ptc_semeval2020_task11"
    sent_path, span_path = folder / "sentences.csv", folder / "spans.csv"
    log: list[str] = []
    spans: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    with open(span_path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            spans[r["article_id"]].append((r["technique"], int(r["start"]), int(r["end"])))
    rows = []
    with open(sent_path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if split and r["split"] != split:
                continue
            text = r["sentence"]
            if not text.strip():
                continue
            start, end = int(r["start"]), int(r["end"])
            local = []
            gold = []  # Loaded_Language / Name_Calling spans lying inside the line (span recall)
            techniques = set()
            for tech, s, e in spans[r["article_id"]]:
                if s < end and e > start:
                    techniques.add(tech)
                    if tech in LOADED_TECHNIQUES:
                        local.append((max(s, start) - start, min(e, end) - start))
                    if tech in SPAN_RECALL_TECHNIQUES and s >= start and e <= end:
                        gold.append((s - start, e - start))
            loaded = bool(techniques & set(LOADED_TECHNIQUES))
            rows.append(
                Record(
                    text,
                    1.0 if loaded else 0.0,
                    dataset="ptc",
                    group=f"ptc:{r['article_id']}",
                    spans=tuple(sorted(local)),
                    meta={
                        "split": r["split"],
                        "article_id": r["article_id"],
                        "loaded_language": int("Loaded_Language" in techniques),
                        "techniques": sorted(techniques),
                        "line_start": start,
                        "span_recall_gold": sorted(set(gold)),
                    },
                )
            )
    log.append(f"ptc{'/' + split if split else ''}: {len(rows)} lines")
    return rows, log, [sent_path, span_path]


# ---- users' own labels ------------------------------------------------------------------------
def read_user_path(path, text_col: str = "text", label_col: str = "label", log=print) -> list:
    """The records of a user's labelled file at ``path`` (:func:`read_user_file`), each line of
    its report passed to ``log``; a :class:`DataError` when there is no such file."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"no such file: {path}")
    records, lines = read_user_file(path.read_bytes(), path.name, text_col, label_col)
    for line in lines:
        log(line)
    return records


def read_user_file(
    data: bytes, filename: str, text_col: str = "text", label_col: str = "label"
) -> tuple[list[Record], list[str]]:
    """Records from a user's CSV/TSV/JSONL of ``text,label`` (0/1, or a grade in [0, 1]).

    Raises :class:`DataError` with what to fix for missing columns, non-numeric or
    out-of-range labels, one-class data and too few rows.
    """
    rows = read_table_rows(data, filename, text_col, label_col)
    log: list[str] = []
    records = []
    for i, row in enumerate(rows, 1):
        raw = row.get(label_col)
        try:
            target = float(raw)
        except (TypeError, ValueError):
            raise DataError(
                f"{filename}: row {i} has label {raw!r}; labels must be numbers "
                "(0/1, or a grade between 0 and 1)"
            ) from None
        if not 0.0 <= target <= 1.0:
            raise DataError(f"{filename}: row {i} has label {target}; labels must be in [0, 1]")
        records.append(Record(clean_text(row.get(text_col)), target, group=f"user:{i}"))
    records = _drop_empty(records, log, filename)
    records = merge_duplicates(records, log, filename)
    if len(records) < 20:
        raise DataError(f"{filename}: {len(records)} usable rows; at least 20 are needed to train")
    positives = sum(r.target >= 0.5 for r in records)
    if positives == 0 or positives == len(records):
        raise DataError(
            f"{filename}: every row has the same class; a head needs examples of both "
            "(labels >= 0.5 and < 0.5)"
        )
    if min(positives, len(records) - positives) < 5:
        raise DataError(f"{filename}: fewer than 5 rows in one class; add more examples")
    return records, log


def read_table_rows(data: bytes, filename: str, text_col: str, label_col: str) -> list[dict]:
    """The rows of a labelled CSV/TSV/JSONL/Parquet file as dicts, checked to have both columns.

    Read with :func:`framing.tables.read.read_chunks`, the reader of the files to score (BOM,
    CRLF, quoted multi-line fields, encodings alike); the format comes from the extension
    (``.jsonl``, ``.ndjson`` and ``.json`` are JSON lines; ``.tsv``, ``.tab``; ``.parquet``;
    anything else is CSV).

    Raises :class:`DataError` for an unreadable row (naming its line), an empty file or a
    missing column.
    """
    name = filename.lower()
    fmt = "csv"
    if name.endswith((".jsonl", ".ndjson", ".json")):
        fmt = "jsonl"
    elif name.endswith((".tsv", ".tab")):
        fmt = "tsv"
    elif name.endswith(".parquet"):
        fmt = "parquet"
    stats = ReadStats()
    try:
        chunks = list(read_chunks(io.BytesIO(data), fmt, stats=stats))
    except InputError as exc:
        raise DataError(f"{filename}: no rows found ({exc})") from None
    rows = []
    for row in (r for chunk in chunks for r in chunk):
        if row.error:
            raise DataError(f"{filename}: line {row.line}: {row.error}")
        rows.append(row.fields)
    if not rows:
        raise DataError(f"{filename}: no rows found")
    columns = stats.columns or list(rows[0].keys())
    for col in (text_col, label_col):
        if col not in columns:
            raise DataError(
                f"{filename}: no column {col!r}; columns are {columns}. "
                "Name them with --text-col / --label-col"
            )
    return rows
