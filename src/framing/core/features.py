"""The feature space of a head: word n-grams, character n-grams inside words, lexicon features.

Every feature value is built from *occurrences*, and every occurrence knows the tokens it
came from, so a linear score over these features splits exactly into per-token parts:

* ``word`` block: n-grams of token forms, TF-IDF (smooth idf, optional sublinear tf),
  L2-normalised over the block, times ``word_weight``. An occurrence covers its n tokens.
* ``char`` block: character n-grams of ``" " + form + " "`` for each word token, TF-IDF,
  L2-normalised over the block, times ``char_weight``. An occurrence covers its one token.
* ``lex`` block: a token or phrase of up to three tokens found in a lexicon, or a token of a
  given shape (ALL CAPS), emits the lexicon's feature with the entry's weight. The value is
  the sum of occurrence weights times ``lexicon_weight`` (divided by ``sqrt(n_tokens)`` when
  ``lexicon_norm == "sqrt"``). An occurrence covers the tokens it matched.

Attribution rule (exact): a feature's contribution ``coef * value`` is split over its
occurrences in proportion to their weights (equal shares for n-grams); an occurrence's share
is split evenly over the tokens it covers. Summed over tokens this is the feature's
contribution, so per-token contributions plus the intercept equal the logit.

This module defines the features (:meth:`FeatureSpace.analyze`, a plain reference path) and
their values (:meth:`FeatureSpace.values`); :mod:`framing.core.engine` is the fast batched
engine that encodes texts and attributes scores with them. Fitting with scikit-learn lives in
:mod:`framing.training.binary.fit`.
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from framing.core.text import PUNCT_TOKENS, token_spans

__all__ = [
    "BLOCKS",
    "SHAPE_ALLCAPS",
    "Encoded",
    "FeatureSpace",
    "Occurrences",
    "describe_feature",
    "document_frequencies",
    "lexicon_variants",
    "select_vocabulary",
]

BLOCKS = ("word", "char", "lex")
SHAPE_ALLCAPS = "shape:allcaps"
_SUFFIXES = ("'s", "s", "es", "ed", "d", "ing", "ly")


@dataclass(frozen=True, slots=True)
class Occurrences:
    """Features found in one text, before vocabulary lookup (parallel sequences per block)."""

    forms: list[str]
    starts: list[int]
    ends: list[int]
    names: dict[str, list[str]]
    lo: dict[str, list[int]]  # first token index covered
    hi: dict[str, list[int]]  # one past the last token index covered
    lex_weights: list[float]


@dataclass(frozen=True, slots=True)
class Encoded:
    """A batch of texts in the feature space, as CSR arrays, plus what explanations need."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    n_features: int

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.indptr) - 1, self.n_features)

    def to_scipy(self):
        from scipy.sparse import csr_matrix

        return csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)


_FULL_IDF: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _full_idf(space: FeatureSpace) -> np.ndarray:
    """The idf of every feature (1 for lexicon features), built once per space."""
    idf = _FULL_IDF.get(space)
    if idf is None:
        idf = np.concatenate([space.word_idf, space.char_idf, np.ones(len(space.lex_vocab))])
        _FULL_IDF[space] = idf
    return idf


def _unique_inverse(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(key, return_inverse=True)`` for non-negative integer keys, with one plain
    sort of the keys packed with their positions (several times faster than numpy's)."""
    n = len(key)
    if n == 0:
        return key.copy(), np.zeros(0, dtype=np.int64)
    shift = (n - 1).bit_length()
    if int(key.max()) < 1 << (62 - shift):
        packed = key << shift
        packed |= np.arange(n)
        packed.sort()
        order = packed & ((1 << shift) - 1)
        sk = packed >> shift
    else:
        order = np.argsort(key, kind="stable")
        sk = key[order]
    opens = np.ones(n, dtype=bool)
    opens[1:] = sk[1:] != sk[:-1]
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.cumsum(opens) - 1
    return sk[opens], inverse


def lexicon_variants(form: str) -> list[str]:
    """``form`` and its stems without a simple suffix (-s, -es, -ed, -d, -ing, -ly, -'s),
    the forms a single-word lexicon entry matches."""
    if not form.endswith(_SUFFIXES):
        return [form]
    out = [form]
    for suffix in _SUFFIXES:
        if form.endswith(suffix) and len(form) - len(suffix) >= 3:
            out.append(form[: -len(suffix)])
    return out


class FeatureSpace:
    """A fitted feature space (vocabularies, idf, lexicons), built by
    :mod:`framing.training.binary.fit`."""

    def __init__(
        self,
        *,
        word_ngrams: tuple[int, int],
        char_ngrams: tuple[int, int] | None,
        sublinear_tf: bool,
        word_weight: float,
        char_weight: float,
        lexicon_weight: float,
        lexicon_norm: str,
        lexicons: Mapping[str, Mapping[str, float]],
        shapes: bool,
        word_vocab: dict[str, int],
        word_idf: np.ndarray,
        char_vocab: dict[str, int],
        char_idf: np.ndarray,
    ):
        self.word_ngrams = tuple(word_ngrams)
        self.char_ngrams = tuple(char_ngrams) if char_ngrams else None
        self.sublinear_tf = sublinear_tf
        self.word_weight = float(word_weight)
        self.char_weight = float(char_weight)
        self.lexicon_weight = float(lexicon_weight)
        self.lexicon_norm = lexicon_norm
        self.shapes = shapes
        self.word_vocab = word_vocab
        self.word_idf = np.asarray(word_idf, dtype=np.float64)
        self.char_vocab = char_vocab
        self.char_idf = np.asarray(char_idf, dtype=np.float64)
        # phrase -> list of (lexicon feature name, weight); one entry per lexicon
        self.lexicon_names = tuple(sorted(lexicons))
        lex_names = sorted(lexicons)
        if shapes:
            lex_names.append(SHAPE_ALLCAPS)
        self.lex_vocab = {name: i for i, name in enumerate(lex_names)}
        entries: dict[str, list[tuple[str, float]]] = {}
        max_len = 1
        for name in sorted(lexicons):
            for phrase, weight in lexicons[name].items():
                if not weight > 0:
                    raise ValueError(
                        f"lexicon {name!r}: entry {phrase!r} has weight {weight}; "
                        "weights must be positive"
                    )
                entries.setdefault(phrase, []).append((name, float(weight)))
                max_len = max(max_len, phrase.count(" ") + 1)
        self.lex_entries = entries
        self.lex_max_len = min(max_len, 3)
        self.offsets = {
            "word": 0,
            "char": len(word_vocab),
            "lex": len(word_vocab) + len(char_vocab),
        }
        self.n_features = self.offsets["lex"] + len(self.lex_vocab)

    def lexicons(self) -> dict[str, dict[str, float]]:
        """The space's lexicons, ``{name: {phrase: weight}}`` (empty lexicons kept)."""
        out: dict[str, dict[str, float]] = {name: {} for name in self.lexicon_names}
        for phrase, found in self.lex_entries.items():
            for name, weight in found:
                out[name][phrase] = float(weight)
        return out

    def with_lexicons(self, lexicons: Mapping[str, Mapping[str, float]]) -> FeatureSpace:
        """The same space (shared vocabularies and idf) with other lexicon entries.

        ``lexicons`` must name the same lexicons, so feature indices are unchanged; used to
        encode training rows with lexicons learned without them (cross-fitting).
        """
        if set(lexicons) != set(self.lexicon_names):
            raise ValueError("with_lexicons must keep the same lexicon names")
        return FeatureSpace(
            word_ngrams=self.word_ngrams,
            char_ngrams=self.char_ngrams,
            sublinear_tf=self.sublinear_tf,
            word_weight=self.word_weight,
            char_weight=self.char_weight,
            lexicon_weight=self.lexicon_weight,
            lexicon_norm=self.lexicon_norm,
            lexicons=lexicons,
            shapes=self.shapes,
            word_vocab=self.word_vocab,
            word_idf=self.word_idf,
            char_vocab=self.char_vocab,
            char_idf=self.char_idf,
        )

    # ---- analysis -------------------------------------------------------------------------
    def analyze(self, text: str) -> Occurrences:
        """All feature occurrences of ``text`` with the tokens they cover."""
        forms, starts, ends = token_spans(text)
        names: dict[str, list[str]] = {b: [] for b in BLOCKS}
        lo: dict[str, list[int]] = {b: [] for b in BLOCKS}
        hi: dict[str, list[int]] = {b: [] for b in BLOCKS}
        n_tok = len(forms)
        nmin, nmax = self.word_ngrams
        wn, wl, wh = names["word"], lo["word"], hi["word"]
        for n in range(nmin, nmax + 1):
            if n == 1:
                wn.extend(forms)
                wl.extend(range(n_tok))
                wh.extend(range(1, n_tok + 1))
                continue
            for i in range(n_tok - n + 1):
                wn.append(" ".join(forms[i : i + n]))
                wl.append(i)
                wh.append(i + n)
        if self.char_ngrams:
            cmin, cmax = self.char_ngrams
            cn, cl, ch = names["char"], lo["char"], hi["char"]
            for i, form in enumerate(forms):
                if form in PUNCT_TOKENS:
                    continue
                padded = f" {form} "
                size = len(padded)
                before = len(cn)
                for n in range(cmin, min(cmax, size) + 1):
                    cn.extend(padded[j : j + n] for j in range(size - n + 1))
                added = len(cn) - before
                cl.extend([i] * added)
                ch.extend([i + 1] * added)
        lex_weights: list[float] = []
        if self.lex_entries or self.shapes:
            ln, ll, lh = names["lex"], lo["lex"], hi["lex"]
            entries = self.lex_entries
            for i in range(n_tok):
                for n in range(self.lex_max_len, 0, -1):
                    if i + n > n_tok:
                        continue
                    if n == 1:
                        found = None
                        for variant in lexicon_variants(forms[i]):
                            found = entries.get(variant)
                            if found:
                                break
                    else:
                        found = entries.get(" ".join(forms[i : i + n]))
                    if found:
                        for name, weight in found:
                            ln.append(name)
                            ll.append(i)
                            lh.append(i + n)
                            lex_weights.append(weight)
                        break  # the longest match at a position wins
                if self.shapes:
                    original = text[starts[i] : ends[i]]
                    if len(original) >= 2 and original.isupper() and original.isalpha():
                        ln.append(SHAPE_ALLCAPS)
                        ll.append(i)
                        lh.append(i + 1)
                        lex_weights.append(1.0)
        return Occurrences(forms, starts, ends, names, lo, hi, lex_weights)

    # ---- encoding -------------------------------------------------------------------------
    def lookup(self, occ: Occurrences) -> tuple[list[int], list[float], list[int]]:
        """Reference path: vocabulary hits of :meth:`analyze`'s occurrences (indices, weights,
        occurrence positions). The batched engine (:mod:`framing.core.encoder`) must find the
        same hits; tests check that."""
        idx: list[int] = []
        wts: list[float] = []
        pos: list[int] = []
        position = 0
        for block, vocab in (("word", self.word_vocab), ("char", self.char_vocab)):
            off = self.offsets[block]
            for name in occ.names[block]:
                j = vocab.get(name)
                if j is not None:
                    idx.append(off + j)
                    wts.append(1.0)
                    pos.append(position)
                position += 1
        off = self.offsets["lex"]
        for name, weight in zip(occ.names["lex"], occ.lex_weights, strict=True):
            idx.append(off + self.lex_vocab[name])
            wts.append(weight)
            pos.append(position)
            position += 1
        return idx, wts, pos

    def values(
        self, doc: np.ndarray, feat: np.ndarray, weight: np.ndarray, n_docs: int, n_tokens
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Aggregate occurrences into (doc, feature, value, occurrence->entry map)."""
        key = doc.astype(np.int64) * self.n_features + feat
        uniq, inverse = _unique_inverse(key)
        mass = np.bincount(inverse, weights=weight, minlength=len(uniq))
        udoc = uniq // self.n_features
        ufeat = uniq % self.n_features
        lex_off = self.offsets["lex"]
        char_off = self.offsets["char"]
        is_lex = ufeat >= lex_off
        block = np.where(is_lex, 2, np.where(ufeat >= char_off, 1, 0))
        tf = np.log(mass) + 1.0 if self.sublinear_tf else mass.copy()
        idf = _full_idf(self)
        val = np.where(is_lex, mass, tf * idf[ufeat])
        # L2 norm per (document, block) for the TF-IDF blocks
        group = udoc * 3 + block
        sq = np.bincount(group, weights=np.where(is_lex, 0.0, val * val), minlength=n_docs * 3)
        norm = np.sqrt(sq)[group]
        scale = np.array([self.word_weight, self.char_weight, self.lexicon_weight])[block]
        tfidf_val = np.divide(val, norm, out=np.zeros_like(val), where=norm > 0)
        lex_val = val
        if self.lexicon_norm == "sqrt":
            lex_val = val / np.sqrt(np.maximum(np.asarray(n_tokens, dtype=np.float64)[udoc], 1.0))
        value = np.where(is_lex, lex_val, tfidf_val) * scale
        return udoc, ufeat, value, inverse, mass

    # ---- names ----------------------------------------------------------------------------
    def feature_names(self) -> np.ndarray:
        names = np.empty(self.n_features, dtype=object)
        for block, vocab in (("word", self.word_vocab), ("char", self.char_vocab)):
            off = self.offsets[block]
            for name, j in vocab.items():
                names[off + j] = f"{block}:{name}" if block == "char" else name
        for name, j in self.lex_vocab.items():
            names[self.offsets["lex"] + j] = name if name.startswith("shape:") else f"lex:{name}"
        return names

    def block_of(self, feature_index: int) -> str:
        if feature_index >= self.offsets["lex"]:
            return "lex"
        return "char" if feature_index >= self.offsets["char"] else "word"


_DIGITS_RE = re.compile(r"0+")


def _token_words(token: str) -> str:
    """A token form for people: a number for digits only ("00"), digits in a word as N."""
    if token and not token.strip("0.,:-/"):
        return "<number>"
    return _DIGITS_RE.sub("N", token)


def describe_feature(name: str) -> str:
    """A feature name (:meth:`FeatureSpace.feature_names`) in words for people: "the word
    'chilling'", "letters 'hermi' inside a word", "in the loaded-terms list", "a number"."""
    if name.startswith("char:"):
        gram = name[5:]
        inner = _token_words(gram.strip())
        if not gram.strip():
            return "a word's edge (counts words)"
        if gram.startswith(" ") and gram.endswith(" "):
            return "a number" if inner == "<number>" else f"the whole word '{inner}'"
        if inner == "<number>":
            return "digits in a word"
        if gram.startswith(" "):
            return f"letters '{inner}' starting a word"
        if gram.endswith(" "):
            return f"letters '{inner}' ending a word"
        return f"letters '{inner}' inside a word"
    if name.startswith("lex:"):
        return f"in the {name[4:].replace('_', '-')} list"
    if name == SHAPE_ALLCAPS:
        return "a word in ALL CAPS"
    tokens = [_token_words(t) for t in name.split(" ")]
    if len(tokens) == 1:
        if tokens[0] == "<number>":
            return "a number"
        return f"the mark '{name}'" if name in ("!", "?") else f"the word '{tokens[0]}'"
    return "the words '" + " ".join(tokens) + "'"


# ---- fitting helpers (pure, numpy only) -----------------------------------------------------
def document_frequencies(space_params: dict, texts: Iterable[str]) -> tuple[Counter, Counter, int]:
    """Document frequencies of word and char n-grams under ``space_params``."""
    probe = FeatureSpace(
        **space_params,
        word_vocab={},
        word_idf=np.zeros(0),
        char_vocab={},
        char_idf=np.zeros(0),
    )
    word_df: Counter = Counter()
    char_df: Counter = Counter()
    n = 0
    for text in texts:
        occ = probe.analyze(text)
        word_df.update(set(occ.names["word"]))
        char_df.update(set(occ.names["char"]))
        n += 1
    return word_df, char_df, n


def select_vocabulary(df: Counter, n_docs: int, min_df: int, max_features: int | None):
    """Vocabulary (sorted, deterministic) and smooth idf, as scikit-learn's TfidfVectorizer."""
    kept = [(t, c) for t, c in df.items() if c >= min_df]
    if max_features is not None and len(kept) > max_features:
        kept.sort(key=lambda tc: (-tc[1], tc[0]))
        kept = kept[:max_features]
    kept.sort(key=lambda tc: tc[0])
    vocab = {t: i for i, (t, _) in enumerate(kept)}
    counts = np.array([c for _, c in kept], dtype=np.float64)
    idf = np.log((1.0 + n_docs) / (1.0 + counts)) + 1.0
    return vocab, idf
