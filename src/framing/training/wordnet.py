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

import numpy as np

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


# ---- word classes (supersenses) and literal senses -------------------------------------------
# WordNet's lexicographer files in number order (lexnames(5WN))
LEXNAMES = [
    "adj.all",
    "adj.pert",
    "adv.all",
    "noun.Tops",
    "noun.act",
    "noun.animal",
    "noun.artifact",
    "noun.attribute",
    "noun.body",
    "noun.cognition",
    "noun.communication",
    "noun.event",
    "noun.feeling",
    "noun.food",
    "noun.group",
    "noun.location",
    "noun.motive",
    "noun.object",
    "noun.person",
    "noun.phenomenon",
    "noun.plant",
    "noun.possession",
    "noun.process",
    "noun.quantity",
    "noun.relation",
    "noun.shape",
    "noun.state",
    "noun.substance",
    "noun.time",
    "verb.body",
    "verb.change",
    "verb.cognition",
    "verb.communication",
    "verb.competition",
    "verb.consumption",
    "verb.contact",
    "verb.creation",
    "verb.emotion",
    "verb.motion",
    "verb.perception",
    "verb.possession",
    "verb.social",
    "verb.stative",
    "verb.weather",
    "adj.ppl",
]  # noqa: SIM905
# lexicographer file -> coarse class of framing.core.wordcontext.CLASSES
COARSE = {
    "noun.person": "person",
    "noun.group": "group",
    "noun.animal": "animal",
    **dict.fromkeys(
        ("noun.artifact", "noun.object", "noun.substance", "noun.food", "noun.plant", "noun.body"),
        "thing",
    ),
    "noun.phenomenon": "phenomenon",
    "noun.location": "place",
    "noun.time": "time",
    **dict.fromkeys(("noun.act", "noun.event", "noun.process"), "event"),
    "noun.quantity": "quantity",
    **dict.fromkeys(
        ("verb.contact", "verb.motion", "verb.body", "verb.weather", "verb.consumption"),
        "verb_physical",
    ),
    "verb.change": "verb_physical",
    **dict.fromkeys(
        ("verb.communication", "verb.social", "verb.competition", "verb.emotion"), "verb_social"
    ),
}
# the senses read as literal (physical things, creatures, natural phenomena and physical
# actions); the senses a loaded word aims at (people, groups, communication, feelings) are
# not among them
LITERAL_LEXFILES = frozenset(
    {
        "noun.animal",
        "noun.artifact",
        "noun.body",
        "noun.food",
        "noun.object",
        "noun.phenomenon",
        "noun.plant",
        "noun.substance",
        "verb.contact",
        "verb.weather",
        "verb.body",
        "verb.consumption",
    }
)
_INDEX_POS = (("noun", "n"), ("verb", "v"), ("adj", "a"))


def _coarse(lexfile: str) -> str:
    if lexfile in COARSE:
        return COARSE[lexfile]
    if lexfile.startswith("noun."):
        return "abstract"
    return "adj" if lexfile.startswith("adj.") else "verb_other"


@lru_cache(maxsize=2)
def glossary(folder: Path) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """synset id -> (lexicographer file, gloss, example sentences)."""
    out = {}
    for pos in POS_FILES:
        with open(Path(folder) / f"data.{pos}", encoding="latin-1") as fh:
            for line in fh:
                if line.startswith("  ") or " | " not in line:
                    continue
                head, gloss = line.rstrip().split(" | ", 1)
                parts = head.split()
                examples = tuple(
                    e.strip().strip('"') for e in gloss.split("; ") if e.startswith('"')
                )
                definition = "; ".join(e for e in gloss.split("; ") if not e.startswith('"'))
                out[f"{pos}:{parts[0]}"] = (LEXNAMES[int(parts[1])], definition.strip(), examples)
    return out


@lru_cache(maxsize=2)
def senses(folder: Path) -> dict[str, list[str]]:
    """lemma (lower case, spaces for ``_``) -> its synset ids, most frequent first (nouns,
    then verbs, then adjectives)."""
    out: dict[str, list[str]] = defaultdict(list)
    for pos, _ in _INDEX_POS:
        with open(Path(folder) / f"index.{pos}", encoding="latin-1") as fh:
            for line in fh:
                if line.startswith("  "):
                    continue
                parts = line.split()
                lemma, n_synsets, n_ptr = parts[0], int(parts[2]), int(parts[3])
                offsets = parts[4 + n_ptr + 2 : 4 + n_ptr + 2 + n_synsets]
                out[lemma.replace("_", " ")].extend(f"{pos}:{o}" for o in offsets)
    return dict(out)


def word_classes(folder: Path) -> dict[str, int]:
    """Single-word lemma -> the index (in ``framing.core.wordcontext.CLASSES``) of the
    coarse class of its most frequent sense."""
    from framing.core.wordcontext import CLASSES

    gl = glossary(Path(folder))
    return {
        lemma: CLASSES.index(_coarse(gl[sids[0]][0]))
        for lemma, sids in senses(Path(folder)).items()
        if " " not in lemma and "-" not in lemma and sids[0] in gl
    }


def literal_uses(folder: Path, forms: Iterable[str]) -> list[tuple[str, tuple[int, int]]]:
    """Texts that use a word of ``forms`` in a literal sense, each with the word's span:
    the example sentences of the word's synsets in :data:`LITERAL_LEXFILES` that hold the
    word (or an inflection of it), and those synsets' glosses written as ``"word: gloss"``."""
    import re

    from framing.core.wordcontext import lemma_candidates

    gl = glossary(Path(folder))
    index = senses(Path(folder))
    out: list[tuple[str, tuple[int, int]]] = []
    seen: set[str] = set()
    for form in sorted(set(forms)):
        lemma = next((c for c in lemma_candidates(form) if c in index), None)
        if lemma is None or " " in lemma or lemma in seen:
            continue
        seen.add(lemma)
        word = re.compile(rf"\b{re.escape(lemma[:-1] if len(lemma) > 4 else lemma)}\w*", re.I)
        for sid in index[lemma]:
            lexfile, definition, examples = gl[sid]
            if lexfile not in LITERAL_LEXFILES:
                continue
            if definition:
                text = f"{lemma.capitalize()}: {definition}"
                out.append((text, (0, len(lemma))))
            for ex in examples:
                m = word.search(ex)
                if m:
                    out.append((ex, m.span()))
    return out


def literal_lexicon(folder: Path, words: Iterable[str]) -> dict[str, float]:
    """The single words of ``words`` with a literal sense (a synset in
    :data:`LITERAL_LEXFILES`), weighted by the share of their synsets that are literal: the
    words whose sense the context form reads (``framing.core.wordcontext.GATE_LEXICON``)."""
    from framing.core.wordcontext import lemma_candidates

    gl = glossary(Path(folder))
    index = senses(Path(folder))
    out = {}
    for w in set(words):
        if " " in w:
            continue
        lemma = next((c for c in lemma_candidates(w) if c in index), None)
        if lemma is None:
            continue
        sids = index[lemma]
        n = sum(gl[s][0] in LITERAL_LEXFILES for s in sids if s in gl)
        if n:
            out[w] = n / len(sids)
    return out


def gloss_lexicon(
    folder: Path, seeds: Iterable[str], *, min_share: float = 0.2
) -> dict[str, float]:
    """Single words whose WordNet glosses use a word of ``seeds`` (e.g. MPQA's strongly
    subjective words), weighted by the share of the word's senses whose gloss (definition and
    examples) does, senses weighted by frequency rank (``1 / rank``, the most frequent first);
    the word itself does not count. Words under ``min_share`` are left out (a small lexicon)."""
    import re

    from framing.core.features import lexicon_variants

    seeds = {s for s in seeds if " " not in s}
    gl = glossary(Path(folder))
    word = re.compile(r"[a-z][a-z'-]*[a-z]")
    hits: dict[str, set[str]] = {}
    for sid, (_, definition, examples) in gl.items():
        toks = word.findall(" ".join((definition, *examples)).lower())
        hits[sid] = {t for t in toks if any(v in seeds for v in lexicon_variants(t))}
    out = {}
    for lemma, sids in senses(Path(folder)).items():
        if " " in lemma or "-" in lemma:
            continue
        rank = 1.0 / np.arange(1, len(sids) + 1)
        hit = np.array([bool(hits.get(s, set()) - {lemma}) for s in sids])
        share = float(rank[hit].sum() / rank.sum()) if len(sids) else 0.0
        if share >= min_share:
            out[lemma] = share
    return out
