"""WordNet as word knowledge for the word model: which words have a synonym that is loaded.

Reads the WordNet 3.1 database files of the data folder (``wordnet/data.noun`` ...; format
``wndb(5WN)``): synsets (sets of synonyms) and the similar-to links between adjective
synsets. :func:`synonym_lexicon` turns a set of *seed* words (the list's entries, MPQA's
strongly subjective words) into a lexicon of the words that share a synset with a seed (or
sit in a similar-to synset of one), weighted by the share of the word's synsets that do:
synsets mix senses (``goon``: thug, but also gawk), so the word model learns how much to
trust the link. Used at training time only; the lexicon is stored in the model.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

__all__ = ["synonym_lexicon", "synsets"]

POS_FILES = ("noun", "verb", "adj", "adv")


@lru_cache(maxsize=2)
def synsets(folder: Path) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(synset id -> its words (lower case, spaces for ``_``), synset id -> the synsets it is
    similar to), from the ``data.POS`` files of ``folder``."""
    words: dict[str, tuple[str, ...]] = {}
    similar: dict[str, tuple[str, ...]] = {}
    for pos in POS_FILES:
        path = Path(folder) / f"data.{pos}"
        with open(path, encoding="latin-1") as fh:
            for line in fh:
                if line.startswith("  "):  # the licence header
                    continue
                head = line.split(" | ", 1)[0].split()
                if len(head) < 4:
                    continue
                sid = f"{pos}:{head[0]}"
                n_words = int(head[3], 16)
                ws = []
                for k in range(n_words):
                    w = head[4 + 2 * k].lower()
                    w = w.split("(", 1)[0]  # adjective markers: "big(a)"
                    ws.append(w.replace("_", " "))
                words[sid] = tuple(ws)
                at = 4 + 2 * n_words
                n_ptr = int(head[at])
                links = []
                for k in range(n_ptr):
                    symbol, offset, ptr_pos = head[at + 1 + 4 * k : at + 4 + 4 * k]
                    if symbol == "&":
                        links.append(f"{'adj' if ptr_pos in ('a', 's') else ptr_pos}:{offset}")
                similar[sid] = tuple(links)
    return words, similar


def synonym_lexicon(folder: Path, seeds: Iterable[str], *, similar_to: bool = True):
    """Single words (not seeds themselves) whose synsets hold a seed word, weighted by the
    share of their synsets that do (see the module docs)."""
    seeds = {s for s in seeds if " " not in s}
    words, similar = synsets(Path(folder))
    by_word: dict[str, list[str]] = defaultdict(list)
    for sid, ws in words.items():
        for w in ws:
            if " " not in w and "-" not in w:
                by_word[w].append(sid)
    out: dict[str, float] = {}
    for w, sids in by_word.items():
        if w in seeds:
            continue
        hit = 0
        for sid in sids:
            near = set(words[sid])
            if similar_to:
                for other in similar.get(sid, ()):
                    near.update(words.get(other, ()))
            hit += bool(near & seeds)
        if hit:
            out[w] = hit / len(sids)
    return out
