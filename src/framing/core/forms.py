"""What several feature spaces hold for each distinct word, found once per word and kept.

A :class:`FormTable` serves one tuple of feature spaces (the heads scored together). It gives
every distinct token form it meets an integer id, kept across batches (up to
:data:`framing.core.budget.CACHE_BYTES` of forms and arrays, then everything is dropped and
found again: :mod:`framing.core.budget`), and records per id, as arrays:

* per space, the form's word unigram feature (or -1) and its lexicon entries (CSR);
* its id among the words of multi-word entries (word n-grams, lexicon phrases) of any space;
* its character n-grams found in any space's vocabulary, as *gram ids* shared by the spaces
  (CSR, in :meth:`framing.core.features.FeatureSpace.analyze`'s order: by n, then position),
  and, per space, the feature each gram id is there (or -1);
* per space, the sums the character block needs (:meth:`FormTable.char_sums`): per label
  ``sum(coef_j * idf_j)`` and ``sum(idf_j ** 2)`` over the form's n-grams in that space,
  computed when first asked for and then kept.

A batch's words are looked up with one dictionary probe each (:meth:`FormTable.ids`);
everything after that is array indexing, the same for every head. The character n-grams of
new words are cut and looked up as strings for a table's first ``KEYS_AFTER`` new words,
then as integer keys (:mod:`framing.core.grams`), with the same result; the keys are built
sooner when the new words are long (``KEYS_AFTER_CHARS``), and long words are cut into
grams a piece of at most ``PIECE_GRAMS`` grams at a time, so that a batch of long words
(base64, hashes) holds no more than that many grams at once besides the table.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from itertools import chain, repeat

import numpy as np

from framing.core import budget
from framing.core.features import _SUFFIXES, FeatureSpace, lexicon_variants
from framing.core.grams import GramKeys
from framing.core.text import PUNCT_TOKENS

__all__ = ["KEYS_AFTER", "KEYS_AFTER_CHARS", "PIECE_GRAMS", "FormTable"]

# new words whose character n-grams are looked up as strings before the table builds the
# integer keys of its vocabularies (framing.core.grams: about 40 ms, saved on short runs),
# or characters of new words (a string per gram costs about 60 bytes)
KEYS_AFTER = 500
KEYS_AFTER_CHARS = 20_000
PIECE_GRAMS = 1 << 20  # grams of new words cut at once (at most, but for one longer word)
_SLICES_KEPT = 64  # the n-gram slices of words up to this size are kept
_SUMS_KEPT = 16  # weight matrices whose per-form sums are kept per table
_EMPTY = np.zeros(0, dtype=np.int64)


class _Grow:
    """A 1-D or 2-D array that grows at the end (amortised doubling)."""

    def __init__(self, dtype, width: int | None = None, fill=0):
        self.shape_tail = () if width is None else (width,)
        self.fill = fill
        self.data = np.full((64, *self.shape_tail), fill, dtype=dtype)
        self.n = 0

    def reserved_after(self, extra: int) -> int:
        """The bytes reserved once ``extra`` more values are appended."""
        need, rows = self.n + extra, len(self.data)
        rows = rows if need <= rows else max(need, 2 * rows)
        return rows * (self.data.nbytes // max(len(self.data), 1))

    def extend(self, values: np.ndarray) -> None:
        """Append ``values``."""
        need = self.n + len(values)
        if need > len(self.data):
            bigger = np.full(
                (max(need, 2 * len(self.data)), *self.shape_tail), self.fill, dtype=self.data.dtype
            )
            bigger[: self.n] = self.data[: self.n]
            self.data = bigger
        self.data[self.n : need] = values
        self.n = need

    @property
    def view(self) -> np.ndarray:
        """The values so far (a view: valid until the next ``extend``)."""
        return self.data[: self.n]


class _Csr:
    """Growing CSR rows: row ``i`` holds ``values[ptr[i]:ptr[i+1]]`` (one array per field)."""

    def __init__(self, *dtypes):
        self.ptr = _Grow(np.int64)
        self.ptr.extend(np.zeros(1, dtype=np.int64))
        self.fields = [_Grow(dt) for dt in dtypes]

    def extend(self, counts: np.ndarray, *values: np.ndarray) -> None:
        """Append rows of ``counts`` values each (``values``: one array per field)."""
        self.ptr.extend(self.ptr.view[-1] + np.cumsum(counts))
        for f, v in zip(self.fields, values, strict=True):
            f.extend(v)


def _slices(size: int, cmin: int, cmax: int, cache: dict) -> tuple[slice, ...]:
    """Character n-gram slices of a padded word of ``size`` characters (by n, then start),
    kept for words of up to ``_SLICES_KEPT`` characters."""
    key = (size, cmin, cmax)
    out = cache.get(key)
    if out is None:
        out = tuple(
            slice(i, i + n) for n in range(cmin, min(cmax, size) + 1) for i in range(size - n + 1)
        )
        if size <= _SLICES_KEPT:
            cache[key] = out
    return out


def _gram_bound(forms: list[str], char_range: tuple[int, int] | None) -> np.ndarray:
    """Per form, the number of its character n-grams (an upper bound of those found)."""
    sizes = np.fromiter(map(len, forms), np.int64, len(forms)) + 2
    if char_range is None:
        return np.zeros(len(forms), dtype=np.int64)
    ns = np.arange(char_range[0], char_range[1] + 1)
    return np.maximum(sizes[:, None] - ns[None, :] + 1, 0).sum(axis=1)


def _lexicon_entries(space: FeatureSpace, forms: list[str]) -> tuple[np.ndarray, ...]:
    """The lexicon entries each word matches in ``space`` (its first matching variant:
    itself, then without a suffix; see :func:`framing.core.features.lexicon_variants`):
    per word their number, then their features and weights, word by word."""
    entries = space.lex_entries
    found = list(map(entries.get, forms))  # most words: no entry, or their own
    for i in [i for i, f in enumerate(found) if not f and forms[i].endswith(_SUFFIXES)]:
        for variant in lexicon_variants(forms[i])[1:]:
            hit = entries.get(variant)
            if hit:
                found[i] = hit
                break
    counts = np.zeros(len(forms), dtype=np.int64)
    matched = [i for i, f in enumerate(found) if f]
    if not matched:
        return counts, np.zeros(0, dtype=np.int64), np.zeros(0)
    lists = [found[i] for i in matched]
    counts[matched] = list(map(len, lists))
    names, weights = zip(*chain.from_iterable(lists), strict=True)
    vocab = space.lex_vocab
    feats = np.fromiter(map(vocab.__getitem__, names), np.int64, len(names))
    return counts, feats + space.offsets["lex"], np.array(weights, dtype=np.float64)


class FormTable:
    """Per distinct form, what each of ``spaces`` holds for it (see the module docs)."""

    def __init__(self, spaces: Sequence[FeatureSpace], ngram_words: dict[str, int]):
        self.spaces = tuple(spaces)
        self.ngram_words = ngram_words  # word of a multi-word entry -> its id
        ranges = [sp.char_ngrams for sp in self.spaces if sp.char_ngrams]
        self.char_range = (min(r[0] for r in ranges), max(r[1] for r in ranges)) if ranges else None
        # gram ids: the feature index in the first space holding the gram, plus that space's
        # offset here (so ids never clash and need no dictionary of their own)
        sizes = [len(sp.char_vocab) if sp.char_ngrams else 0 for sp in self.spaces]
        self.gram_base = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.n_grams = int(self.gram_base[-1])
        self._slice_cache: dict = {}
        # per space: the feature (within its char block) of each gram id, -1 if absent (or
        # not met yet, when the grams are looked up as strings); kept when the forms go
        self.gram_feature = [np.full(self.n_grams, -1, dtype=np.int32) for _ in self.spaces]
        self._keys: GramKeys | bool | None = None  # see framing.core.grams
        self._new_forms = 0  # forms added so far (the keys are built after KEYS_AFTER)
        self._new_chars = 0  # and their characters (or after KEYS_AFTER_CHARS)
        # one thread at a time adds words or sums (the app serves sessions from threads)
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        """Forget every form (the next batch finds its words again)."""
        self.generation = getattr(self, "generation", -1) + 1  # ids of earlier batches expire
        self.index: dict[str, int] = {}
        self.ngram_id = _Grow(np.int64)
        self.unigram = [_Grow(np.int64) for _ in self.spaces]
        self.chars = _Csr(np.int32)  # gram ids of each form
        self.lexicon = [_Csr(np.int64, np.float64) for _ in self.spaces]
        self._sums: dict = {}  # (space, weights key) -> (weights kept alive, _Grow of sums)
        self._last: tuple = (None, None)
        self._key_bytes = 0  # the forms' bytes as strings in ``index``

    def __len__(self) -> int:
        return len(self.index)

    def _grows(self):
        yield self.ngram_id
        yield from self.unigram
        yield self.chars.ptr
        yield from self.chars.fields
        for lex in self.lexicon:
            yield lex.ptr
            yield from lex.fields
        for _, grow in self._sums.values():
            yield grow

    @property
    def nbytes(self) -> int:
        """The bytes the table holds: its forms as strings, and its arrays' reserved memory
        (the rule of :mod:`framing.core.budget`)."""
        return self._key_bytes + sum(g.data.nbytes for g in self._grows())

    def _bytes_after(self, key_bytes: int, n_new: int, grams: int) -> int:
        """:attr:`nbytes` once ``n_new`` forms of ``key_bytes`` bytes and at most ``grams``
        gram ids are added (and their sums computed)."""
        total = self._key_bytes + key_bytes
        for g in self._grows():
            total += g.reserved_after(grams if g is self.chars.fields[0] else n_new)
        return total

    def ids(self, forms: list[str]) -> np.ndarray:
        """The id of each of ``forms`` (distinct forms of one batch), adding new ones."""
        last = self._last
        if last[0] is forms:  # batches derived with select/regroup share the list
            return last[1]
        with self._lock:
            return self._ids(forms)

    def _ids(self, forms: list[str]) -> np.ndarray:
        index = self.index
        n = len(forms)
        ids = np.fromiter(map(index.get, forms, repeat(-1, n)), dtype=np.int64, count=n)
        miss = np.flatnonzero(ids < 0)
        if len(miss):
            first = len(index)
            new = [forms[i] for i in miss.tolist()]
            key_bytes = budget.str_bytes(new)
            grams = int(_gram_bound(new, self.char_range).sum())
            if first and self._bytes_after(key_bytes, len(new), grams) > budget.CACHE_BYTES:
                self.clear()  # start again with this batch's forms
                return self._ids(forms)
            self._key_bytes += key_bytes
            index.update(zip(new, range(first, first + len(new)), strict=True))
            self._add(new)
            ids[miss] = np.arange(first, first + len(new))
        self._last = (forms, ids)
        return ids

    def _add(self, new: list[str]) -> None:
        n = len(new)
        self.ngram_id.extend(
            np.fromiter(map(self.ngram_words.get, new, repeat(-1, n)), dtype=np.int64, count=n)
        )
        for s, sp in enumerate(self.spaces):
            if sp.word_ngrams[0] <= 1:
                uni = np.fromiter(map(sp.word_vocab.get, new, repeat(-1, n)), np.int64, count=n)
                uni[uni >= 0] += sp.offsets["word"]
            else:
                uni = np.full(n, -1, dtype=np.int64)
            self.unigram[s].extend(uni)
            if sp.lex_entries:
                self.lexicon[s].extend(*_lexicon_entries(sp, new))
            else:
                self.lexicon[s].extend(np.zeros(n, dtype=np.int64), _EMPTY, np.zeros(0))
        self._add_chars(new)

    def _add_chars(self, new: list[str]) -> None:
        """The new forms' character n-grams found in some space, as gram ids."""
        n = len(new)
        if self.char_range is None:
            self.chars.extend(np.zeros(n, dtype=np.int64), np.zeros(0, dtype=np.int32))
            return
        self._new_forms += n
        self._new_chars += sum(map(len, new))
        if self._keys is None and (
            self._new_forms >= KEYS_AFTER or self._new_chars >= KEYS_AFTER_CHARS
        ):  # False: strings, always
            self._keys = GramKeys.build(self.spaces, self.gram_base, self.char_range) or False
            for s, gram_id, feature in self._keys.features if self._keys else ():
                self.gram_feature[s][gram_id] = feature
        if self._keys:
            skip = np.fromiter(map(PUNCT_TOKENS.__contains__, new), bool, n)
            ends = np.cumsum(_gram_bound(new, self.char_range))  # grams up to each form
            a = 0
            while a < n:  # pieces of at most PIECE_GRAMS grams (one word, if longer)
                done = int(ends[a - 1]) if a else 0
                b = max(a + 1, int(np.searchsorted(ends, done + PIECE_GRAMS, side="right")))
                counts, gram_id = self._keys.gram_ids(new[a:b], skip[a:b])
                self.chars.extend(counts, gram_id.astype(np.int32))
                a = b
            return
        cmin, cmax = self.char_range
        grams: list[str] = []
        counts = np.zeros(n, dtype=np.int64)
        for i, form in enumerate(new):
            if form in PUNCT_TOKENS:
                continue
            padded = f" {form} "
            before = len(grams)
            grams += map(padded.__getitem__, _slices(len(padded), cmin, cmax, self._slice_cache))
            counts[i] = len(grams) - before
        # each distinct gram looked up once per space (grams repeat across words)
        distinct = list(dict.fromkeys(grams))
        where = dict(zip(distinct, range(len(distinct)), strict=True))
        occurrence = np.fromiter(map(where.__getitem__, grams), np.int64, len(grams))
        gram_id = self._gram_ids_of(distinct)[occurrence]
        keep = gram_id >= 0
        owner = np.repeat(np.arange(n), counts)
        kept_counts = np.bincount(owner[keep], minlength=n)
        self.chars.extend(kept_counts, gram_id[keep].astype(np.int32))

    def _gram_ids_of(self, grams: list[str]) -> np.ndarray:
        """The gram id of each of ``grams`` (distinct): its feature in the first space that
        has it, plus that space's ``gram_base`` (-1 if no space has it); records the
        gram's feature in every space that has it."""
        total = len(grams)
        gram_id = np.full(total, -1, dtype=np.int64)
        found = []
        for s, sp in enumerate(self.spaces):
            if not sp.char_ngrams:
                continue
            j = np.fromiter(map(sp.char_vocab.get, grams, repeat(-1, total)), np.int64, total)
            hit = j >= 0
            first = hit & (gram_id < 0)
            gram_id[first] = j[first] + self.gram_base[s]
            found.append((s, hit, j))
        for s, hit, j in found:
            self.gram_feature[s][gram_id[hit]] = j[hit]
        return gram_id

    # ---- per-form sums of the character block -------------------------------------------
    def char_sums(self, s: int, weights: np.ndarray | None) -> np.ndarray:
        """Per form, the sums over its character n-grams in space ``s``: with ``weights``
        (labels x features), ``sum(weights[k, j] * idf_j)`` per label (forms x labels);
        without, ``sum(idf_j ** 2)`` (forms,). Computed for new forms only, then kept."""
        with self._lock:
            return self._char_sums(s, weights)

    def _char_sums(self, s: int, weights: np.ndarray | None) -> np.ndarray:
        if weights is None:
            key = (s, None)
        else:
            info = weights.__array_interface__
            key = (s, info["data"][0], weights.shape, info["strides"], weights.dtype.str)
        entry = self._sums.get(key)
        if entry is None:
            if len(self._sums) >= _SUMS_KEPT:
                self._sums.pop(next(iter(self._sums)))
            width = None if weights is None else weights.shape[0]
            entry = self._sums[key] = (weights, _Grow(np.float64, width))
        grow = entry[1]
        done, total = grow.n, len(self.index)
        if done < total:
            grow.extend(self._sums_of(s, weights, done, total))
        return grow.view

    def _sums_of(self, s: int, weights, a: int, b: int) -> np.ndarray:
        sp = self.spaces[s]
        ptr = self.chars.ptr.view
        lo, hi = int(ptr[a]), int(ptr[b])
        feat = self.gram_feature[s][self.chars.fields[0].view[lo:hi]]
        form = np.repeat(np.arange(b - a), np.diff(ptr[a : b + 1]))
        keep = feat >= 0
        feat, form = feat[keep].astype(np.int64), form[keep]
        idf = sp.char_idf[feat]
        if weights is None:
            return np.bincount(form, weights=idf * idf, minlength=b - a)
        cols = weights[:, sp.offsets["char"] + feat]
        out = np.empty((b - a, weights.shape[0]))
        for k in range(weights.shape[0]):
            out[:, k] = np.bincount(form, weights=cols[k] * idf, minlength=b - a)
        return out
