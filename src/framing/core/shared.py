"""One pass over a batch for every head: the work that does not depend on a head, done once.

Heads scored together (``clickbait`` and ``loaded`` on headlines; ``loaded`` and
``technique`` on body sentences) read the same tokens with the same kinds of features. A
:class:`SharedSpace` joins their feature spaces: one :class:`~framing.core.forms.FormTable`
(each distinct word looked up once for all of them), one table of the multi-word n-grams of
every space (matched as integer keys, with each space's feature per row), and shared ids for
the character n-grams. A :class:`SharedPass` is that on one token batch: the batch's word ids,
its word n-grams and the (text, character n-gram) pairs that repeat inside a text are found
once; each head then takes its own from arrays:

* :meth:`SharedPass.hits`: a space's word and lexicon hits (the character n-grams are
  attributed without listing them), equal to
  ``framing.core.encoder.encoder(space).hits(tb, chars=False)``;
* :meth:`SharedPass.char_tokens`: each token's exact share of a space's character block, per
  label (the rule of :func:`framing.core.engine.attribute`), from per-word sums kept in the
  form table and corrections for the repeated pairs only.

:func:`shared_pass` gives the pass of a batch for a list of spaces (their joined space is
built once and kept).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from itertools import chain, repeat

import numpy as np

from framing.core.encoder import Hits, gather, join_hits, ngram_keys, word_lexicon_parts
from framing.core.features import SHAPE_ALLCAPS, FeatureSpace
from framing.core.forms import FormTable
from framing.core.tokens import TokenBatch, clear_form_cache

__all__ = ["SharedPass", "SharedSpace", "clear_caches", "shared_pass", "shared_space"]

_KEY_BITS = 62  # packed sort keys stay below 2**_KEY_BITS
_EMPTY = np.zeros(0, dtype=np.int64)
_KEPT_SPACES = 8  # joined spaces kept per process


def _unique(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values (one plain sort: numpy's hashing unique is slower here)."""
    values = np.sort(values)
    return values[np.concatenate([[True], values[1:] != values[:-1]])] if len(values) else values


def _multi_word(space: FeatureSpace) -> tuple[list[str], np.ndarray, list[str], list]:
    """A space's multi-word word features (terms, feature indices) and lexicon phrases
    (phrases, their entries as (feature, weight) lists)."""
    terms = [t for t in space.word_vocab if " " in t]
    feats = np.fromiter(map(space.word_vocab.__getitem__, terms), np.int64, len(terms))
    lex_off = space.offsets["lex"]
    phrases, values = [], []
    for phrase, found in space.lex_entries.items():
        if 2 <= phrase.count(" ") + 1 <= space.lex_max_len:
            phrases.append(phrase)
            values.append([(lex_off + space.lex_vocab[nm], w) for nm, w in found])
    return terms, feats + space.offsets["word"], phrases, values


class SharedSpace:
    """Several feature spaces joined (see the module docs); get one with :func:`shared_space`."""

    def __init__(self, spaces: Sequence[FeatureSpace]):
        self.spaces = tuple(spaces)
        multi = [_multi_word(sp) for sp in self.spaces]
        everything = [t for m in multi for t in chain(m[0], m[2])]
        words = dict.fromkeys(" ".join(everything).split(" ")) if everything else {}
        self.words = dict(zip(words, range(len(words)), strict=True))
        self._M = len(self.words) + 1
        longest = max([1] + [max(sp.word_ngrams[1], sp.lex_max_len) for sp in self.spaces])
        if self._M**longest >= 2**62:
            raise ValueError("too many distinct words in n-gram entries for integer keys")
        self.word_tables = self._word_tables([(m[0], m[1]) for m in multi])
        self.lex_tables = [self._lex_table(m[2], m[3]) for m in multi]
        self.ngram_tables = self._ngram_tables()
        self.table = FormTable(self.spaces, self.words)

    def _ngram_tables(self) -> dict[int, tuple[np.ndarray, np.ndarray, list[np.ndarray]]]:
        """Per n: every table's keys in one sorted array (one search per n for all of
        them), with the word table's row of each (-1: none) and each space's lexicon
        table row (-1: none)."""
        ns = set(self.word_tables) | {n for t in self.lex_tables for n in t}
        out = {}
        for n in sorted(ns):
            parts = [self.word_tables[n][0]] if n in self.word_tables else []
            parts += [t[n][0] for t in self.lex_tables if n in t]
            keys = _unique(np.concatenate(parts))

            def rows(table_keys, keys=keys):
                """Each joined key's row in one table (-1: not in it)."""
                out = np.full(len(keys), -1, dtype=np.int64)
                out[np.searchsorted(keys, table_keys)] = np.arange(len(table_keys))
                return out

            word = rows(self.word_tables[n][0]) if n in self.word_tables else None
            lex = [rows(t[n][0]) if n in t else None for t in self.lex_tables]
            out[n] = (keys, word, lex)
        return out

    def _keys(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Words per term and its integer key ``((id1 * M) + id2) * M + ...``."""
        n = np.fromiter(map(str.count, terms, repeat(" ")), np.int64, len(terms)) + 1
        if not terms:
            return n, _EMPTY
        flat = " ".join(terms).split(" ")
        g = np.fromiter(map(self.words.__getitem__, flat), np.int64, len(flat))
        start = np.cumsum(n) - n
        key = np.zeros(len(terms), dtype=np.int64)
        for k in range(int(n.max())):
            has = n > k
            key[has] = key[has] * self._M + g[start[has] + k]
        return n, key

    def _word_tables(self, per_space) -> dict[int, tuple[np.ndarray, list[np.ndarray]]]:
        """Per n: the sorted keys of every space's n-word features, and per space the
        feature of each key (-1 when that space lacks it)."""
        keyed = [self._keys(terms) + (feats,) for terms, feats in per_space]
        out = {}
        for n in sorted({int(x) for ns, _, _ in keyed for x in _unique(ns)}):
            keys = _unique(np.concatenate([k[ns == n] for ns, k, _ in keyed]))
            feats = []
            for ns, k, f in keyed:
                col = np.full(len(keys), -1, dtype=np.int64)
                col[np.searchsorted(keys, k[ns == n])] = f[ns == n]
                feats.append(col)
            out[n] = (keys, feats)
        return out

    def _lex_table(self, phrases: list[str], values: list) -> dict[int, tuple]:
        """Per n: one space's sorted phrase keys and each key's lexicon entries (CSR:
        ``ptr``, features, weights)."""
        ns, keys = self._keys(phrases)
        out = {}
        for n in _unique(ns).tolist():
            rows = np.flatnonzero(ns == n)
            order = rows[np.argsort(keys[rows], kind="stable")]
            entries = [values[i] for i in order.tolist()]
            ptr = np.zeros(len(entries) + 1, dtype=np.int64)
            np.cumsum([len(e) for e in entries], out=ptr[1:])
            flat = np.array([jw for e in entries for jw in e], dtype=np.float64).reshape(-1, 2)
            out[n] = (keys[order], (ptr, flat[:, 0].astype(np.int64), flat[:, 1].copy()))
        return out

    def index(self, space: FeatureSpace) -> int:
        """The position of ``space`` among the joined spaces (``ValueError`` if absent)."""
        for s, sp in enumerate(self.spaces):
            if sp is space:
                return s
        raise ValueError("this feature space is not one of the joined spaces")


_SHARED: dict[tuple[int, ...], tuple[list, SharedSpace]] = {}


def shared_space(spaces: Sequence[FeatureSpace]) -> SharedSpace:
    """The joined space of ``spaces`` (built once per process and kept, the last few)."""
    key = tuple(id(sp) for sp in spaces)
    found = _SHARED.get(key)
    if found is not None and all(r() is sp for r, sp in zip(found[0], spaces, strict=True)):
        return found[1]
    joined = SharedSpace(spaces)
    if len(_SHARED) >= _KEPT_SPACES:
        _SHARED.pop(next(iter(_SHARED)))
    _SHARED[key] = ([weakref.ref(sp) for sp in spaces], joined)
    return joined


def clear_caches() -> None:
    """Forget every word found so far (benchmarks measure a cold start with it)."""
    for _, joined in _SHARED.values():
        joined.table.clear()
    clear_form_cache()


def shared_pass(spaces: Sequence[FeatureSpace], tb: TokenBatch) -> SharedPass:
    """The pass of ``tb`` for the heads of ``spaces`` (see the module docs)."""
    return SharedPass(shared_space(spaces), tb)


class SharedPass:
    """One token batch seen by every head of a :class:`SharedSpace` (see the module docs)."""

    def __init__(self, joined: SharedSpace, tb: TokenBatch):
        self.joined = joined
        self.tb = tb
        self.table = joined.table
        self.doc = tb.doc
        self._generation = None
        self._fresh()

    def _fresh(self) -> None:
        """The batch's form ids (again, if the form table has started again since)."""
        if self._generation == self.table.generation:
            return
        self.ids = self.table.ids(self.tb.forms)
        self.tok = self.ids[self.tb.form_id]  # per token: its form's id in the table
        self._generation = self.table.generation
        self._ngram_tok = None
        self._ngram_keys: dict[int, tuple] = {}
        self._word_hits: dict[int, tuple] = {}
        self._pairs = None

    def covers(self, space: FeatureSpace, tb: TokenBatch) -> bool:
        """Whether this pass can score ``space`` on ``tb``."""
        return tb is self.tb and any(sp is space for sp in self.joined.spaces)

    def _keys(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Positions starting an ``n``-gram inside one text whose words all belong to
        multi-word entries, and its integer key (shared by every table of ``n`` words)."""
        if n not in self._ngram_keys:
            if self._ngram_tok is None:
                self._ngram_tok = self.table.ngram_id.view[self.tok]
            self._ngram_keys[n] = ngram_keys(self.tb, self._ngram_tok, n, self.joined._M)
        return self._ngram_keys[n]

    def _found(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Positions (ascending) of the ``n``-grams in any table, and their rows in the
        joined table of ``n`` words. The keys are searched in sorted order (several times
        faster than in text order)."""
        if n not in self._word_hits:
            keys_sorted = self.joined.ngram_tables[n][0]
            pos, key = self._keys(n)
            if len(keys_sorted) == 0 or len(key) == 0:
                self._word_hits[n] = (_EMPTY, _EMPTY)
                return self._word_hits[n]
            shift = (len(key) - 1).bit_length()
            if int(key.max()) << shift < 1 << _KEY_BITS:
                packed = key << shift
                packed |= np.arange(len(key))
                packed.sort()
                order = packed & ((1 << shift) - 1)
                key = packed >> shift
            else:
                order = np.argsort(key)
                key = key[order]
            row = np.minimum(np.searchsorted(keys_sorted, key), len(keys_sorted) - 1)
            hit = keys_sorted[row] == key
            at = np.sort(order[hit])  # back to text order
            rows = np.empty(len(pos), dtype=np.int64)
            rows[order[hit]] = row[hit]
            self._word_hits[n] = (pos[at], rows[at])
        return self._word_hits[n]

    def _rows(self, n: int, table_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the ``n``-grams found in one table (its rows in the joined one:
        ``table_rows``), and their rows in that table."""
        pos, row = self._found(n)
        mine = table_rows[row]
        keep = mine >= 0
        return pos[keep], mine[keep]

    def hits(self, space: FeatureSpace) -> Hits:
        """``space``'s word and lexicon hits on the batch (no character n-grams), in the
        order of :meth:`framing.core.encoder.Encoder.hits`: the two finders are a pair
        (they share their last steps and assembly, and ``tests/core/test_shared.py`` checks
        with Hypothesis that they find the same hits)."""
        s = self.joined.index(space)
        self._fresh()
        tb, doc = self.tb, self.doc
        n_tok = len(tb.form_id)
        tok = np.arange(n_tok, dtype=np.int64)
        parts: list[tuple] = []  # (doc, feat, weight or None for ones, lo, hi)
        nmin, nmax = space.word_ngrams
        if nmin <= 1 and n_tok:
            hit = self.table.unigram[s].view[self.tok]
            keep = hit >= 0
            parts.append((doc[keep], hit[keep], None, tok[keep], tok[keep] + 1))
        for n in range(max(nmin, 2), nmax + 1):
            if n_tok and n in self.joined.word_tables:
                pos, row = self._rows(n, self.joined.ngram_tables[n][1])
                feats = self.joined.word_tables[n][1][s][row]
                keep = feats >= 0
                pos = pos[keep]
                parts.append((doc[pos], feats[keep], None, pos, pos + n))
        if (space.lex_entries or space.shapes) and n_tok:
            parts += self._lexicon_hits(s, space)
        return join_hits(parts)

    def _lexicon_hits(self, s: int, space: FeatureSpace) -> list[tuple]:
        """Lexicon phrases (the longest match at a position wins), else each word's own
        lexicon entries; then word shapes."""
        tb, doc = self.tb, self.doc
        tok = np.arange(len(tb.form_id), dtype=np.int64)
        parts = []
        single_tok = tok
        tables = self.joined.lex_tables[s]
        if tables:
            taken = np.zeros(len(tok), dtype=bool)
            found = []
            for n in range(space.lex_max_len, 1, -1):
                if n not in tables:
                    continue
                vptr, vfeat, vw = tables[n][1]
                pos, row = self._rows(n, self.joined.ngram_tables[n][2][s])
                fresh = ~taken[pos]
                pos, row = pos[fresh], row[fresh]
                taken[pos] = True
                feat, owner = gather(vptr, vfeat, row)
                w, _ = gather(vptr, vw, row)
                found.append((pos[owner], feat, w, n))
            if any(len(f[0]) for f in found):
                single_tok = tok[~taken]
                mp = np.concatenate([f[0] for f in found])
                width = np.concatenate([np.full(len(f[0]), f[3]) for f in found])
                feat = np.concatenate([f[1] for f in found])
                w = np.concatenate([f[2] for f in found])
                parts.append((doc[mp], feat, w, mp, mp + width))
        lex = self.table.lexicon[s]
        lexicon = (lex.ptr.view, lex.fields[0].view, lex.fields[1].view)
        shape = space.offsets["lex"] + space.lex_vocab[SHAPE_ALLCAPS] if space.shapes else -1
        return parts + word_lexicon_parts(doc, single_tok, self.tok, lexicon, tb.allcaps, shape)

    # ---- the character block ------------------------------------------------------------
    def _repeated(self):
        """The occurrences of (text, gram) pairs that occur more than once in their text:
        (text, gram id, token within its text) of each, sorted, and the bit width of that
        token index. One sort of every occurrence for all heads."""
        if self._pairs is None:
            self._pairs = self._find_repeated()
        return self._pairs

    def _find_repeated(self):
        tb, table = self.tb, self.table
        ptr, gram_ids = table.chars.ptr.view, table.chars.fields[0].view
        first, lens = ptr[self.tok], ptr[self.tok + 1] - ptr[self.tok]
        total = int(lens.sum())
        if total == 0:
            return _EMPTY, _EMPTY, _EMPTY, 0
        local = np.arange(len(self.tok)) - tb.ptr[self.doc]  # token within its text
        shift = int(local.max()).bit_length()
        gbits = max(table.n_grams - 1, 0).bit_length()
        at = np.repeat(first - (np.cumsum(lens) - lens), lens)
        at += np.arange(total)
        grams = gram_ids[at].astype(np.int64)  # every occurrence's gram, token by token
        if tb.n_docs << (gbits + shift) < 1 << _KEY_BITS:
            # (text, gram, token) packed in one integer: one plain sort
            packed = np.repeat(self.doc << (gbits + shift) | local, lens)
            grams <<= shift
            packed |= grams
            packed.sort()
            sk = packed >> shift
            local = packed & ((1 << shift) - 1)
        else:  # too long to pack a token into the key
            key = np.repeat(self.doc << gbits, lens) | grams
            order = np.argsort(key, kind="stable")
            sk, local = key[order], np.repeat(local, lens)[order]
        dup = sk[1:] == sk[:-1]
        in_pair = np.zeros(len(sk), dtype=bool)
        in_pair[1:] = dup
        in_pair[:-1] |= dup
        sk = sk[in_pair]
        return sk >> gbits, sk & ((1 << gbits) - 1), local[in_pair], shift

    def char_tokens(self, space: FeatureSpace, coefs: np.ndarray) -> np.ndarray:
        """Per token and label, the exact contribution of ``space``'s character n-grams:
        ``(n_tokens, n_labels)`` for weights ``coefs`` ``(n_labels, n_features)``.

        The block's value of feature ``j`` in text ``d`` is ``w * tf(c) * idf_j / N_d`` with
        ``c`` its count in ``d``, ``N_d`` the block's L2 norm and ``w`` the block weight;
        each of the ``c`` occurrences gets ``coef_j * value / c``. When every count is 1 a
        token's share is ``w * A_f / N_d`` and ``N_d**2`` is the sum of ``B_f`` over the
        text's tokens, with per-word sums ``A_f = sum(coef_j * idf_j)`` and
        ``B_f = sum(idf_j**2)`` (kept in the form table). Only the pairs that repeat
        inside a text (found once for all heads) need correcting.

        ``coefs`` must not be changed in place afterwards (its per-word sums are kept)."""
        tb = self.tb
        n_tok, n_labels = len(tb.form_id), coefs.shape[0]
        out = np.zeros((n_tok, n_labels))
        if n_tok == 0 or not space.char_ngrams:
            return out
        s = self.joined.index(space)
        self._fresh()
        num = self.table.char_sums(s, coefs)[self.tok]
        sq = np.bincount(
            self.doc, weights=self.table.char_sums(s, None)[self.tok], minlength=tb.n_docs
        )
        g_doc, gram, local, shift = self._repeated()
        feat = self.table.gram_feature[s][gram].astype(np.int64)
        mine = feat >= 0
        if mine.any():
            # the first space's gram ids are its own features: already in its order
            args = (g_doc[mine], feat[mine], local[mine], shift, s == 0)
            self._correct(space, coefs, *args, num, sq)
        norm = np.sqrt(sq)[self.doc][:, None]
        np.divide(num * space.char_weight, norm, out=out, where=norm > 0)
        return out

    def _correct(self, sp, coefs, doc, feat, local, shift, ordered, num, sq) -> None:
        """Corrections of one space's repeated pairs (occurrences: text, feature within the
        char block, token within the text), summed in the order of (text, feature, token)
        (``ordered``: they are in that order already)."""
        nf = sp.n_features
        j = feat + sp.offsets["char"]
        if ordered:
            key = doc * nf + j
        elif (self.tb.n_docs * nf) << shift < 1 << _KEY_BITS:
            packed = doc * nf + j
            packed <<= shift
            packed |= local
            packed.sort()
            key = packed >> shift
            local = packed & ((1 << shift) - 1)
        else:
            key = doc * nf + j
            order = np.lexsort((local, key))
            key, local = key[order], local[order]
        opens = np.ones(len(key), dtype=bool)  # first occurrence of its pair
        opens[1:] = key[1:] != key[:-1]
        group = np.cumsum(opens) - 1
        c = np.bincount(group).astype(np.float64)
        g_doc, g_j = np.divmod(key[opens], nf)
        owner = self.tb.ptr[g_doc][group] + local
        idf = sp.char_idf[g_j - sp.offsets["char"]]
        tf = np.log(c) + 1.0 if sp.sublinear_tf else c
        sq += np.bincount(g_doc, weights=(tf * tf - c) * idf * idf, minlength=len(sq))
        base = idf * (tf / c - 1.0)
        for k in range(coefs.shape[0]):
            ratio = (coefs[k, g_j] * base)[group]
            num[:, k] += np.bincount(owner, weights=ratio, minlength=len(num))
