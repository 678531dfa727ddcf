"""Swap-in pairs: the same real text with a neutral wording and with a loaded term.

Each entry of ``resources/loaded_terms.txt`` has neutral counterparts (``despot | leader;
ruler``). A *replace* pair takes a real neutral headline or sentence holding a counterpart
("North Korean leader Kim Jong-un meets Shoigu") and puts the entry in its place ("North
Korean despot Kim Jong-un meets Shoigu"); an *insert* pair (template-free: any neutral text)
puts the entry between two words of the text at a random place ("utterly", "shamelessly",
whose neutral wording is to leave them out, get insert pairs only).

Used two ways (training side only):

* contrast examples for training (:func:`contrast_records`): the neutral text as a negative
  and its loaded twin as a positive, for the entries a head trains with;
* the held-out entry protocol
  (:func:`framing.training.binary.protocols.protocol_heldout_entries`): entries split into
  folds, a model trained without a fold's entries (lexicon and contrast examples), and tested
  on pairs built around them from texts it never trained on.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from framing.core.text import token_spans
from framing.training import lexicons

__all__ = [
    "Entry",
    "Pair",
    "build_pairs",
    "contrast_records",
    "entries",
    "entry_folds",
    "insert_pair",
    "replace_pair",
    "text_half",
]
_DETERMINERS = frozenset(
    "the a an this that these those its his her their our your my whose".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Entry:
    """One entry of the loaded-terms list: its lexicon key and neutral alternatives."""

    key: str  # lexicon key (token forms joined by a space)
    alternatives: tuple[str, ...]  # neutral wordings, DROP excluded
    drop: bool  # leaving the word out is a neutral wording


@dataclass(frozen=True)
class Pair:
    """A neutral text and its loaded twin; ``span`` is the entry's place in ``loaded``."""

    entry: str
    neutral: str
    loaded: str
    span: tuple[int, int]
    kind: str  # "replace" or "insert"
    source: str  # where the neutral text came from (e.g. "headline", "sentence")


def entries() -> list[Entry]:
    """The entries of ``loaded_terms.txt`` in file order."""
    out = []
    for key, alts in lexicons.loaded_term_alternatives().items():
        kept = tuple(a for a in alts if a != lexicons.DROP)
        out.append(Entry(key, kept, lexicons.DROP in alts))
    return out


def entry_folds(keys: Sequence[str], n_folds: int = 5, seed: int = 0) -> list[list[str]]:
    """Entries dealt to ``n_folds`` folds at random (seeded), by entry."""
    keys = list(keys)
    order = np.random.default_rng(seed).permutation(len(keys))
    return [sorted(keys[i] for i in order[f::n_folds]) for f in range(n_folds)]


def text_half(text: str, salt: str = "swapin") -> int:
    """A stable 0/1 split of texts (crc32 of the lowercased text): pools for training contrast
    examples (0) and for testing (1) never share a text."""
    return zlib.crc32(f"{salt}:{text.lower()}".encode()) & 1


def _variants(alt: str) -> list[str]:
    """A counterpart as written and in US spelling (criticise -> criticize)."""
    out = [alt]
    us = re.sub(r"is(e|es|ed|ing)\b", r"iz\1", alt)
    if us != alt:
        out.append(us)
    return out


def _pattern(alts: Sequence[str]) -> re.Pattern | None:
    words = sorted({v for a in alts for v in _variants(a)}, key=len, reverse=True)
    if not words:
        return None
    body = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w'’-])(?:{body})(?![\w'’-])", re.IGNORECASE)


def _surface(entry: str, original: str, title_case: bool) -> str:
    """The entry written as the text it replaces is written (capitals carried over)."""
    words = entry.split(" ")
    if original.isupper() and len(original) > 1:
        return entry.upper()
    if title_case:
        return " ".join(w[:1].upper() + w[1:] for w in words)
    if original[:1].isupper():
        return entry[:1].upper() + entry[1:]
    return entry


def _title_case(text: str) -> bool:
    """A headline in Title Case: its words of four or more letters all start with a capital."""
    forms, starts, _ = token_spans(text)
    long = [text[s] for f, s in zip(forms, starts, strict=True) if len(f) >= 4 and f.isalpha()]
    return len(long) >= 2 and all(c.isupper() for c in long)


def _fix_article(before: str, replacement: str) -> str:
    """``before`` (the text up to the replacement) with a final a/an agreeing with it."""
    m = re.search(r"(?<![\w'’-])(a|an|A|An|AN)(\s+)$", before)
    if not m:
        return before
    vowel = replacement[:1].lower() in "aeiou"
    art = m.group(1)
    new = ("an" if vowel else "a") if art.islower() else ("An" if vowel else "A")
    if art == "AN" or (art == "A" and len(replacement) > 1 and replacement.isupper()):
        new = new.upper()
    return before[: m.start(1)] + new + m.group(2)


def replace_pair(entry: Entry, text: str, rng: np.random.Generator, source: str) -> Pair | None:
    """``text`` with one counterpart of ``entry`` replaced by the entry (None: no counterpart)."""
    pat = _pattern(entry.alternatives)
    if pat is None:
        return None
    found = list(pat.finditer(text))
    if not found:
        return None
    m = found[int(rng.integers(len(found)))]
    original = m.group()
    title = _title_case(text)
    word = _surface(entry.key, original, title)
    before, after = text[: m.start()], text[m.end() :]
    # a proper-noun counterpart ("North Korea") for a common-noun phrase ("hermit nation")
    # takes "the" unless a determiner precedes it
    prefix = ""
    if original[:1].isupper() and " " in entry.key:
        prev = re.findall(r"[\w'’]+", before[-20:])
        if not prev or prev[-1].lower() not in _DETERMINERS:
            prefix = "The " if title or not before.strip() else "the "
            if not title:
                word = entry.key
    before = _fix_article(before, prefix + word)
    start = len(before) + len(prefix)
    loaded = before + prefix + word + after
    return Pair(entry.key, text, loaded, (start, start + len(word)), "replace", source)


def insert_pair(entry: Entry, text: str, rng: np.random.Generator, source: str) -> Pair | None:
    """``text`` with ``entry`` put between two of its words at a random place."""
    forms, starts, ends = token_spans(text)
    if not forms:
        return None
    k = int(rng.integers(len(forms) + 1))
    title = _title_case(text)
    if k == 0:
        word = _surface(entry.key, "X", title)
        loaded = word + " " + text
        return Pair(entry.key, text, loaded, (0, len(word)), "insert", source)
    at = ends[k - 1]
    word = _surface(entry.key, "x", title)
    loaded = text[:at] + " " + word + text[at:]
    return Pair(entry.key, text, loaded, (at + 1, at + 1 + len(word)), "insert", source)


def build_pairs(
    chosen: Sequence[Entry],
    pools: dict[str, Sequence[str]],
    *,
    n_replace: int = 8,
    n_insert: int = 4,
    seed: int = 0,
) -> list[Pair]:
    """Up to ``n_replace`` replace pairs and ``n_insert`` insert pairs per entry and pool.

    ``pools`` maps a source name ("headline", "sentence") to real neutral texts. Texts are
    drawn at random (seeded per entry and pool, so a pair does not depend on which other
    entries are chosen)."""
    out: list[Pair] = []
    for entry in chosen:
        pat = _pattern(entry.alternatives)
        for source, texts in pools.items():
            seed_e = zlib.crc32(f"{seed}:{entry.key}:{source}".encode())
            rng = np.random.default_rng(seed_e)
            if pat is not None and n_replace:
                hits = [t for t in texts if pat.search(t)]
                for i in rng.permutation(len(hits))[:n_replace]:
                    p = replace_pair(entry, hits[i], rng, source)
                    if p is not None:
                        out.append(p)
            if n_insert and len(texts):
                for i in rng.choice(len(texts), size=min(n_insert, len(texts)), replace=False):
                    p = insert_pair(entry, texts[i], rng, source)
                    if p is not None:
                        out.append(p)
    return out


def contrast_records(
    chosen: Sequence[Entry],
    pools: dict[str, Sequence[str]],
    *,
    weight: float = 1.0,
    n_replace: int = 4,
    n_insert: int = 2,
    seed: int = 1,
    hide_every: int = 1,
):
    """Contrast examples (Zaidan et al. 2007 style) for training: for each swap-in pair, the
    neutral text as a negative and its loaded twin as a positive, both with ``weight``.

    Every ``hide_every``-th pair (1: all) is marked ``meta['hide_lexicons']``: a recipe's
    ``augment_hidden_lexicons`` are left out when it is encoded (see :class:`Recipe`)."""
    from framing.training.binary.fit import Record

    out = []
    pairs = build_pairs(chosen, pools, n_replace=n_replace, n_insert=n_insert, seed=seed)
    for i, p in enumerate(pairs):
        group = f"contrast:{i}"
        meta = {
            "entry": p.entry,
            "kind": p.kind,
            "source": p.source,
            "hide_lexicons": i % hide_every == 0,
        }
        out.append(Record(p.neutral, 0.0, weight, "contrast", group, meta=meta))
        out.append(Record(p.loaded, 1.0, weight, "contrast", group, spans=(p.span,), meta=meta))
    return out
