"""Readers' corrections folded into a head: marks as training rows, the time hold-out, the
figures on held-out marks and the model card section.

A *word mark* says that the word ``text[start:end]`` is ``loaded`` or ``neutral``; a *unit
mark* gives a headline's or sentence's right label (``"1"`` / ``"0"``). They enter the head
this way (:func:`mark_rows`):

* a word mark becomes a **word example**: the marked word alone, as a one-word text with
  target 1 (loaded) or 0 (neutral) and weight ``word_weight``, encoded with the word
  n-grams and character n-grams only (no lexicon feature). Its features are exactly the
  features the word brings to any text it appears in, so the correction reaches every text
  holding the word, and the lexicons (which thousands of other words share) stay as the
  data set them;
* a unit mark becomes a **unit example**: its text with the given label and weight
  ``unit_weight``, encoded like the head's own records.

Both are training rows only (like augmented examples): Platt scaling stays fitted on the
head's own records. The marks are read from a feedback store or a marks file
(:func:`load_marks`, through :mod:`framing.feedback`); the newest share by time is held out
to evaluate (:func:`split_by_time`).

Marks can contradict the loaded-terms list: readers may mark "neutral" a word the list
calls loaded. An entry whose word has more ``neutral`` than ``loaded`` word marks is
**corrected** (:func:`corrected_entries`); the retrained head's list of loaded terms is the
list as corrected by the marks (:func:`corrected_space`: the entry leaves the
``loaded_terms`` lexicon, the feature keeps its learned weight, as with a house-style list),
and the held-out entry protocol reports the pairs built on corrected entries apart
(:mod:`framing.training.feedback_protocols`).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from framing import strict
from framing.core.features import FeatureSpace, lexicon_variants
from framing.core.tokens import tokenize_batch
from framing.errors import InputError
from framing.feedback import Mark, mark_problem, open_store, read_marks
from framing.training.design import Design, Rows

__all__ = [
    "HOLDOUT_SHARE",
    "UNIT_WEIGHT",
    "WORD_WEIGHT",
    "MARK_FILE_SUFFIXES",
    "FeedbackSet",
    "TERMS_LEXICON",
    "card_section",
    "corrected_entries",
    "corrected_space",
    "entry_of",
    "heldout_figures",
    "load_marks",
    "mark_rows",
    "marks_fingerprint",
    "split_by_time",
    "word_contribution",
]

TERMS_LEXICON = "loaded_terms"  # the lexicon of the loaded-terms list (feature lex:loaded_terms)

# The weight of one word example, in units of one training sentence (BABE sentences weigh 1).
# It has to outweigh the training sentences that hold the word (up to hundreds for common
# words) and the L2 penalty. Measured on the 100 fixture marks (benchmarks/
# bench_feedback_retrain.py, held-out texts): weights 5, 20 and 60 all move the word and the
# text the marked way in 100/100 texts, weight 1 the text in 98/100; 20 was set before the
# measurement (docs/retraining-from-feedback.md).
WORD_WEIGHT = 20.0
# One unit mark counts as five training sentences of the same text (not measured: the
# benchmark's fixture holds word marks only).
UNIT_WEIGHT = 5.0
HOLDOUT_SHARE = 0.2  # the newest fifth of the marks is held out to evaluate
WORD_TARGETS = {"loaded": 1.0, "neutral": 0.0}
UNIT_TARGETS = {"1": 1.0, "0": 0.0}


MARK_FILE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".parquet")


def load_marks(source: str) -> list[Mark]:
    """The marks of ``source``: a marks file (.csv / .tsv / .jsonl / .parquet, as
    ``framing feedback export`` writes them), else a feedback store (a SQLite path, or a
    ``sqlite:///`` / ``postgresql://`` URL; see :func:`framing.feedback.open_store`)."""
    if Path(str(source)).suffix.lower() in MARK_FILE_SUFFIXES:
        if not Path(source).is_file():
            raise InputError(f"--feedback {source}: no such marks file")
        return read_marks(source)
    with open_store(source) as store:
        return store.list()


def _mark_key(m) -> tuple:
    return (m.created_at or "", m.id if m.id is not None else -1)


def marks_fingerprint(marks: Sequence) -> str:
    """sha256 over the marks' content (text, unit, head, span, answer, time), in time order:
    the same marks give the same fingerprint whatever store or file they come from."""
    h = hashlib.sha256()
    for m in sorted(marks, key=_mark_key):
        fields = [m.text, m.unit, m.head, m.start, m.end, m.answer, m.created_at]
        h.update(strict.dumps(fields, ensure_ascii=False).encode("utf-8", "surrogatepass"))
        h.update(b"\n")
    return h.hexdigest()


def _check(m, i: int) -> None:
    """A clear error for a mark the head cannot learn from (the store's one rule,
    :func:`framing.feedback.mark_problem`)."""
    problem = mark_problem(m)
    if problem is not None:
        where = f"mark {m.id}" if m.id is not None else f"mark {i} (by time)"
        raise InputError(f"{where}: {problem}; fix or delete the mark")


@dataclass
class FeedbackSet:
    """The marks about one head, checked and split by time."""

    head: str
    train: list
    heldout: list
    ignored: int  # marks about other heads
    fingerprint: str  # of all the head's marks (train and held out)

    @property
    def all(self) -> list:
        return self.train + self.heldout


def split_by_time(marks: Sequence, head: str = "loaded", share: float = HOLDOUT_SHARE):
    """The marks about ``head``, checked, with the newest ``share`` of them (by
    ``created_at``, then id; at least one when ``share`` > 0 and there are two or more)
    held out. Marks without a time count as the oldest."""
    if not 0 <= share < 1:
        raise InputError(f"hold-out share {share}: give a number in [0, 1)")
    mine = [m for m in marks if m.head == head]
    ordered = sorted(mine, key=_mark_key)
    for i, m in enumerate(ordered, 1):
        _check(m, i)
    n_out = 0
    if share > 0 and len(ordered) >= 2:
        n_out = max(1, math.floor(share * len(ordered) + 0.5))
    cut = len(ordered) - n_out
    return FeedbackSet(
        head=head,
        train=ordered[:cut],
        heldout=ordered[cut:],
        ignored=len(marks) - len(mine),
        fingerprint=marks_fingerprint(mine),
    )


def mark_rows(
    design: Design,
    marks: Sequence,
    *,
    word_weight: float = WORD_WEIGHT,
    unit_weight: float = UNIT_WEIGHT,
) -> Rows:
    """The marks as training rows of ``design``'s head (see the module docstring)."""
    words = [m for m in marks if m.start is not None]
    units = [m for m in marks if m.start is None]
    parts = []
    if words:
        X = design.encode([m.text[m.start : m.end] for m in words], lexicons=False)
        t = np.array([WORD_TARGETS[m.answer] for m in words])
        parts.append(Rows(X, t, np.full(len(words), float(word_weight))))
    if units:
        X = design.encode([m.text for m in units])
        t = np.array([UNIT_TARGETS[m.answer] for m in units])
        parts.append(Rows(X, t, np.full(len(units), float(unit_weight))))
    if not parts:
        return Rows.empty(design.space.n_features)
    from scipy.sparse import vstack

    return Rows(
        vstack([p.X for p in parts]).tocsr(),
        np.concatenate([p.targets for p in parts]),
        np.concatenate([p.weights for p in parts]),
    )


def entry_of(word: str, keys) -> str | None:
    """The entry of ``keys`` (lexicon keys: token forms joined by a space) that ``word``
    matches as the lexicon feature matches it: its token forms joined, or for one token the
    form or a stem without a simple suffix ("invasions" matches ``invasion``); else None."""
    tb = tokenize_batch([word])
    forms = [tb.forms[f] for f in tb.form_id.tolist()]
    if not forms:
        return None
    joined = " ".join(forms)
    if joined in keys:
        return joined
    if len(forms) == 1:
        for v in lexicon_variants(forms[0]):
            if v in keys:
                return v
    return None


def corrected_entries(marks: Sequence, keys, head: str = "loaded") -> dict[str, tuple[int, int]]:
    """The loaded-terms entries the marks correct: ``{entry: (neutral marks, loaded
    marks)}`` for each entry of ``keys`` whose word has more ``neutral`` than ``loaded``
    word marks about ``head`` (a tie leaves the reviewed list as it is; unit marks say
    nothing about one word). Sorted by entry."""
    counts: dict[str, list[int]] = {}
    for m in marks:
        if m.head != head or m.start is None or m.answer not in WORD_TARGETS:
            continue
        key = entry_of(m.text[m.start : m.end], keys)
        if key is not None:
            counts.setdefault(key, [0, 0])[0 if m.answer == "neutral" else 1] += 1
    return {k: (n, lo) for k, (n, lo) in sorted(counts.items()) if n > lo}


def corrected_space(space: FeatureSpace, entries) -> FeatureSpace:
    """``space`` with ``entries`` left out of its loaded-terms lexicon (the same features:
    the weights keep their meaning); ``space`` itself when it has no such lexicon or none
    of them is in it."""
    lexicons = space.lexicons()
    terms = lexicons.get(TERMS_LEXICON, {})
    if not set(entries) & set(terms):
        return space
    lexicons[TERMS_LEXICON] = {k: v for k, v in terms.items() if k not in set(entries)}
    return space.with_lexicons(lexicons)


def word_contribution(head, text: str, start: int, end: int) -> float:
    """The summed contribution of the tokens of ``text`` overlapping ``[start, end)``."""
    tb = tokenize_batch([text])
    per_token = head.attribute(tb).per_token
    inside = (tb.starts < end) & (tb.ends > start)
    return float(per_token[inside].sum())


def _agrees(mark, before, after) -> tuple[bool, bool]:
    if mark.start is None:
        y = UNIT_TARGETS[mark.answer] >= 0.5
        return (before >= 0.5) == y, (after >= 0.5) == y
    y = mark.answer == "loaded"
    return (before > 0) == y, (after > 0) == y


def heldout_figures(before_head, after_head, marks: Sequence) -> dict:
    """Before/after figures on held-out marks: per kind, the share the model agrees with
    (a word mark: the word's contribution is positive for ``loaded``, not positive for
    ``neutral``; a unit mark: the probability is on the label's side of 0.5) and the share
    that moved the marked way (contribution or probability)."""
    out: dict = {}
    for kind in ("word", "unit"):
        ms = [m for m in marks if (m.start is not None) == (kind == "word")]
        if not ms:
            continue
        agree_b = agree_a = moved = 0
        for m in ms:
            if kind == "word":
                b = word_contribution(before_head, m.text, m.start, m.end)
                a = word_contribution(after_head, m.text, m.start, m.end)
                up = m.answer == "loaded"
            else:
                b = float(before_head.predict_proba([m.text])[0, 0])
                a = float(after_head.predict_proba([m.text])[0, 0])
                up = m.answer == "1"
            ab, aa = _agrees(m, b, a)
            agree_b += ab
            agree_a += aa
            moved += (a > b) if up else (a < b)
        n = len(ms)
        out[kind] = {
            "n": n,
            "agree_before": agree_b / n,
            "agree_after": agree_a / n,
            "moved_marked_way": moved / n,
        }
    return out


def _protocol_lines(protocols: dict) -> list[str]:
    if not protocols:
        return ["Shared protocols: not measured in this run (it ran with --skip-eval)."]
    lines = [
        "| shared protocol | metric | before | after | change | plain |",
        "|---|---|---|---|---|---|",
    ]
    for key, p in protocols.items():
        for metric, (b, a) in p.get("figures", {}).items():
            plain = p.get("plain", {}).get(metric)
            plain_s = f"{plain:.3f}" if plain is not None else ""
            lines.append(f"| {key} | {metric} | {b:.3f} | {a:.3f} | {a - b:+.3f} | {plain_s} |")
        c = p.get("corrected", {})
        for metric, (b, a) in c.get("figures", {}).items():
            where = f"{key}, the {c['n']} pairs on corrected entries"
            plain = c["plain"][metric]
            lines.append(f"| {where} | {metric} | {b:.3f} | {a:.3f} | {a - b:+.3f} | {plain:.3f} |")
    lines.append("")
    lines += [f"- {key}: {p['protocol']}" for key, p in protocols.items()]
    return lines


def card_section(info: dict) -> str:
    """The model card's section on the readers' corrections a head was trained with."""
    lines = [
        f"## Trained with {info['n_marks']} corrections from {info['source']} at "
        f"{info['trained_at']}",
        "",
        f"Head `{info['head']}`: {info['n_word']} word marks (word examples, weight "
        f"{info['word_weight']:g} each) and {info['n_unit']} unit marks (unit examples, weight "
        f"{info['unit_weight']:g} each) added to its training rows; marks fingerprint "
        f"`{info['fingerprint'][:16]}`. {info['ignored']} marks about other heads were not used.",
        "",
    ]
    corrected = info.get("corrected_entries", {})
    if corrected:
        named = ", ".join(f"{k} ({n} neutral, {lo} loaded)" for k, (n, lo) in corrected.items())
        apart = (
            ", and the held-out entry protocol reports the pairs built on them on a line of "
            "their own; its other figures are over every other pair"
            if info.get("protocols")
            else ""
        )
        lines += [
            f"The marks correct {len(corrected)} entries of the loaded-terms list (more "
            f"`neutral` than `loaded` word marks on the entry's word): {named}. They are left "
            f"out of this model's list (the `lex:loaded_terms` feature keeps its weight){apart}.",
            "",
        ]
    held = info.get("heldout", {})
    if held:
        lines += [
            f"Held out to evaluate: the newest {info['n_heldout']} marks (share "
            f"{info['holdout_share']:g}, by time); the evaluation model trained on the other "
            f"{info['n_train']}; the shipped one on all {info['n_marks']}.",
            "",
            "| held-out marks | n | agree before | agree after | moved the marked way |",
            "|---|---|---|---|---|",
        ]
        for kind, f in held.items():
            lines.append(
                f"| {kind} | {f['n']} | {f['agree_before']:.3f} | {f['agree_after']:.3f} | "
                f"{f['moved_marked_way']:.3f} |"
            )
        lines.append("")
    else:
        lines += ["No marks held out (fewer than two, or hold-out share 0).", ""]
    lines += _protocol_lines(info.get("protocols", {}))
    return "\n".join(lines) + "\n"
