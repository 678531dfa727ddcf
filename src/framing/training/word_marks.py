"""More word marks for the word model of :mod:`framing.training.words` (issue 24).

Two sources of real word marks beside BABE's and PTC-2020's, each off unless given a weight:

* **SemEval-2023 Task 3** (English, subtask 3, train): the ``Loaded_Language`` and
  ``Name_Calling-Labeling`` spans of the PTC-2020 train + dev articles, re-annotated. Their
  offsets refer to the 2023 article text, which joins 2020's sentence lines into paragraphs
  (a 2020 newline is a 2023 space) and differs in a few more places for some articles. Each
  span is mapped onto the 2020 text by aligning the two texts' white-space-separated tokens
  (:func:`align`); a span whose mapped text differs from its own (white space apart) is
  dropped. The spans then lie on the PTC lines as the 2020 spans do (clipped to each line).
  Only the articles asked for are read (:func:`load_semeval23_spans`): evaluation runs ask
  for PTC's train articles, so that PTC dev stays unseen.
* **MBIC** (crowd marks): the words crowd workers marked in its Biased sentences (1) against
  the other words of those sentences and every word of its Non-biased ones (0), as BABE's
  marks enter (:func:`load_mbic_marks`). MBIC and BABE share sentences: a sentence of a BABE
  test fold must not lend its marks, so the mark set leaves out every MBIC sentence whose
  normalised text (:func:`framing.training.binary.datasets.dedup_key`) is given to exclude.

:class:`ExtraMarks` holds both and adds them to the mark sets of
:func:`framing.training.words.mark_sets_of`: the 2023 spans as a mark set of their own
(``semeval23``, the PTC lines with the 2023 spans) or, with ``semeval23_union``, united with
the 2020 spans of the ``ptc`` mark set.
"""

from __future__ import annotations

import bisect
import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from pathlib import Path

from framing import strict
from framing.training.binary.datasets import Record, dedup_key, marked_sentence
from framing.training.words import MarkSet

__all__ = [
    "SEMEVAL23_TECHNIQUES",
    "ExtraMarks",
    "align",
    "line_spans",
    "load_mbic_marks",
    "load_semeval23_spans",
]

SEMEVAL23_TECHNIQUES = ("Loaded_Language", "Name_Calling-Labeling")
_TOKEN = re.compile(r"\S+")


def align(old: str, new: str):
    """A function mapping a character offset of ``new`` to the same character of ``old``
    (None where ``new``'s token has no counterpart): the two texts' white-space-separated
    tokens aligned (difflib), offsets inside a matched token carried over."""
    a = [(m.start(), m.group()) for m in _TOKEN.finditer(old)]
    b = [(m.start(), m.group()) for m in _TOKEN.finditer(new)]
    matcher = SequenceMatcher(None, [t for _, t in a], [t for _, t in b], autojunk=False)
    token_map = {}
    for i, j, n in matcher.get_matching_blocks():
        for k in range(n):
            token_map[j + k] = i + k
    starts = [s for s, _ in b]

    def to_old(pos: int) -> int | None:
        j = bisect.bisect_right(starts, pos) - 1
        if j < 0 or j not in token_map or pos >= starts[j] + len(b[j][1]):
            return None
        return a[token_map[j]][0] + (pos - starts[j])

    return to_old


def _mapped(old: str, new: str, to_old, start: int, end: int) -> tuple[int, int] | None:
    while start < end and new[start].isspace():
        start += 1
    while end > start and new[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    a, b = to_old(start), to_old(end - 1)
    if a is None or b is None or b < a:
        return None
    if old[a : b + 1].split() != new[start:end].split():
        return None
    return a, b + 1


def load_semeval23_spans(
    data_dir: Path, articles: Iterable[str]
) -> tuple[dict[str, list[tuple[int, int]]], list[str]]:
    """The SemEval-2023 subtask-3 train spans of :data:`SEMEVAL23_TECHNIQUES` of the given
    ``articles`` only (PTC-2020 article ids), as character spans of the **2020** article text
    (see the module docs); and a log of what was read and dropped."""
    wanted = set(articles)
    ptc_texts, new_texts = {}, {}
    with open(data_dir / "ptc_semeval2020_task11" / "articles.jsonl", encoding="utf-8") as fh:
        for line in fh:
            obj = strict.loads(line)
            if obj["article_id"] in wanted:
                ptc_texts[obj["article_id"]] = obj["text"]
    folder = data_dir / "semeval2023_task3_en"
    with open(folder / "articles_subtask3.jsonl", encoding="utf-8") as fh:
        for line in fh:
            obj = strict.loads(line)
            if obj["split"] == "train" and obj["article_id"] in ptc_texts:
                new_texts[obj["article_id"]] = obj["text"]
    # every article read has an entry (no span: its words are all unmarked)
    out: dict[str, list[tuple[int, int]]] = {art: [] for art in new_texts}
    maps: dict = {}
    dropped = 0
    with open(folder / "spans_subtask3_train.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            art = r["article_id"]
            if r["technique"] not in SEMEVAL23_TECHNIQUES or art not in new_texts:
                continue
            old, new = ptc_texts[art], new_texts[art]
            if art not in maps:
                maps[art] = align(old, new)
            span = _mapped(old, new, maps[art], int(r["start"]), int(r["end"]))
            if span is None:
                dropped += 1
            else:
                out[art].append(span)
    n = sum(len(v) for v in out.values())
    log = [f"semeval2023 marks: {n} spans in {len(out)} articles ({dropped} not mapped, dropped)"]
    return {k: sorted(set(v)) for k, v in out.items()}, log


def line_spans(article_spans: Sequence[tuple[int, int]], line_start: int, line_len: int):
    """The parts of ``article_spans`` (article offsets) on the line at ``line_start`` of
    ``line_len`` characters, relative to the line."""
    end = line_start + line_len
    return tuple(
        sorted(
            (max(s, line_start) - line_start, min(e, end) - line_start)
            for s, e in article_spans
            if s < end and e > line_start
        )
    )


def load_mbic_marks(data_dir: Path) -> tuple[list[Record], list[str]]:
    """MBIC's sentences with an agreed label (Biased 1, Non-biased 0) and the spans of their
    crowd-marked words, cleaned as BABE's are; the first of duplicate texts kept."""
    path = data_dir / "mbic" / "final_labels_MBIC.csv"
    rows: dict[str, Record] = {}
    skipped = 0
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            row = marked_sentence(r, "mbic")
            if row is None or not row.text:
                skipped += 1
                continue
            rows.setdefault(dedup_key(row.text), replace(row, meta={}))
    out = list(rows.values())
    return out, [f"mbic marks: {len(out)} sentences ({skipped} without an agreed label)"]


@dataclass(frozen=True)
class ExtraMarks:
    """The extra marks of a run (see the module docs); weight 0 leaves a source out."""

    semeval23: dict = field(default_factory=dict)  # article id -> spans (2020 offsets)
    semeval23_weight: float = 0.0
    semeval23_union: bool = False
    mbic: tuple = ()  # Records of load_mbic_marks
    mbic_weight: float = 0.0

    def texts(self) -> set[str]:
        """The normalised texts whose marks these are (MBIC's; the 2023 spans lie on PTC
        lines): texts a protocol must not test on."""
        return {dedup_key(r.text) for r in self.mbic} if self.mbic_weight else set()

    def sets(self, sets: Sequence[MarkSet], ptc, exclude_texts: Iterable[str] = ()):
        """``sets`` (of :func:`framing.training.words.mark_sets_of`, whose ``ptc`` set holds
        the lines of the PTC records ``ptc``) with the extra marks: the 2023 spans of the
        lines of ``ptc`` (a ``semeval23`` set, or united with the ``ptc`` set's spans), and
        the MBIC marks of every sentence whose normalised text is not in ``exclude_texts``."""
        out = list(sets)
        if self.semeval23_weight or self.semeval23_union:
            extra = [self._line(r) for r in ptc]
            if self.semeval23_union:
                out = [self._united(m, extra) if m.source == "ptc" else m for m in out]
            else:
                keep = [i for i, r in enumerate(ptc) if r.meta.get("article_id") in self.semeval23]
                out.append(
                    MarkSet(
                        "semeval23",
                        [ptc[i].text for i in keep],
                        [extra[i] for i in keep],
                        weight=self.semeval23_weight,
                    )
                )
        if self.mbic_weight:
            skip = {dedup_key(t) for t in exclude_texts}
            rows = [
                r
                for r in self.mbic
                if dedup_key(r.text) not in skip and (r.target < 0.5 or r.spans)
            ]
            out.append(
                MarkSet(
                    "mbic",
                    [r.text for r in rows],
                    [r.spans if r.target >= 0.5 else () for r in rows],
                    weight=self.mbic_weight,
                )
            )
        return out

    def _line(self, record) -> tuple:
        spans = self.semeval23.get(record.meta.get("article_id"), ())
        return line_spans(spans, int(record.meta.get("line_start", 0)), len(record.text))

    @staticmethod
    def _united(marks: MarkSet, extra: list[tuple]) -> MarkSet:
        if len(extra) != len(marks.texts):
            raise ValueError("the ptc mark set and the PTC records differ in length")
        positive = [
            tuple(sorted(set(a) | set(b))) for a, b in zip(marks.positive, extra, strict=True)
        ]
        return replace(marks, positive=positive)
