"""Character n-grams as integer keys: the grams of many new words found in a vocabulary
without making a string per gram.

The characters of the joined vocabularies (:class:`GramKeys`) are numbered from 1; a gram of
up to ``cmax`` characters is the integer ``sum(code[t] << (bits * t))``, which is unique as
long as ``bits * cmax`` fits in :data:`KEY_BITS`. A word's grams are cut from the code array
of all new words at once (numpy), and looked up with one ``searchsorted`` in the sorted keys
of the vocabulary. A gram holding a character that no vocabulary gram holds is in no
vocabulary (and is marked so: its key would otherwise equal a shorter gram's).

:meth:`GramKeys.build` returns None when the alphabet is too large for the keys (e.g. a
vocabulary of thousands of CJK characters); :class:`framing.core.forms.FormTable` then
looks the grams up as strings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from framing.core.features import FeatureSpace

__all__ = ["KEY_BITS", "GramKeys"]

KEY_BITS = 62  # a gram's key stays below 2**KEY_BITS


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


class GramKeys:
    """The character n-grams of ``spaces`` (those with a character block) as sorted keys,
    with their *gram id* (the gram's feature in the first space holding it plus that
    space's ``gram_base``) and each space's feature of each gram id."""

    def __init__(self, lut: np.ndarray, bits: int, char_range: tuple[int, int]):
        self.lut, self.bits = lut, bits
        self.cmin, self.cmax = char_range
        self.keys = np.zeros(0, dtype=np.int64)
        self.ids = np.zeros(0, dtype=np.int64)
        self.features: list[tuple[int, np.ndarray, np.ndarray]] = []

    @classmethod
    def build(
        cls, spaces: Sequence[FeatureSpace], gram_base: np.ndarray, char_range: tuple[int, int]
    ) -> GramKeys | None:
        """The keys of the spaces' vocabularies, or None when they do not fit."""
        width = char_range[1]
        per_space = []
        for s, sp in enumerate(spaces):
            if sp.char_ngrams and sp.char_vocab:
                grams = np.array(list(sp.char_vocab), dtype=f"<U{width}")
                j = np.fromiter(sp.char_vocab.values(), np.int64, len(sp.char_vocab))
                per_space.append((s, grams.view(np.uint32).reshape(len(grams), width), j))
        if not per_space:
            return None
        top = max(int(cps.max()) for _, cps, _ in per_space)
        seen = np.zeros(top + 2, dtype=bool)  # the last entry stands for every larger one
        for _, cps, _ in per_space:
            seen[cps] = True
        seen[0] = False  # the padding of grams shorter than ``width``
        lut = np.cumsum(seen) * seen  # character -> its number from 1 (0: in no gram)
        bits = int(lut.max()).bit_length()
        if bits * width > KEY_BITS:
            return None
        out = cls(lut.astype(np.int64), bits, char_range)
        keys = np.concatenate([out._pack(lut[cps]) for _, cps, _ in per_space])
        owner = np.concatenate([np.full(len(j), s) for s, _, j in per_space])
        j = np.concatenate([j for _, _, j in per_space])
        order = np.lexsort((owner, keys))  # per key, the first space holding it first
        keys, owner, j = keys[order], owner[order], j[order]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        gram_id = (j + gram_base[owner])[first]
        out.keys, out.ids = keys[first], gram_id
        of_key = np.cumsum(first) - 1
        out.features = [(s, gram_id[of_key[owner == s]], j[owner == s]) for s, _, _ in per_space]
        return out

    def _pack(self, codes: np.ndarray) -> np.ndarray:
        """Keys of grams given as rows of character numbers (0 after the gram's end)."""
        key = np.zeros(len(codes), dtype=np.int64)
        for t in range(codes.shape[1]):
            key |= codes[:, t] << (self.bits * t)
        return key

    def gram_ids(self, forms: list[str], skip: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per form (``skip``: forms without character n-grams), the number of its grams
        found in some vocabulary; then their gram ids, form by form, each form's by n and
        then position (the order of :meth:`FeatureSpace.analyze`)."""
        n_forms = len(forms)
        sizes = np.fromiter(map(len, forms), np.int64, n_forms) + 2  # padded with spaces
        cps = _code_points("".join([f" {f} " for f in forms]))
        codes = self.lut[np.minimum(cps, len(self.lut) - 1)]
        ns = np.arange(self.cmin, self.cmax + 1)
        per_n = np.maximum(sizes[:, None] - ns[None, :] + 1, 0)  # grams per (form, n)
        per_n[skip] = 0
        flat = per_n.ravel()
        total = int(flat.sum())
        form = np.repeat(np.repeat(np.arange(n_forms), len(ns)), flat)
        n = np.repeat(np.tile(ns, n_forms), flat)
        pos = np.arange(total) - np.repeat(np.cumsum(flat) - flat, flat)
        pos += (np.cumsum(sizes) - sizes)[form]
        codes = np.concatenate([codes, np.zeros(self.cmax, dtype=np.int64)])
        key = np.zeros(total, dtype=np.int64)
        unknown = np.zeros(total, dtype=bool)
        for t in range(self.cmax):
            inside = t < n
            c = codes[pos + t]
            key |= np.where(inside, c << (self.bits * t), 0)
            unknown |= inside & (c == 0)
        at = np.searchsorted(self.keys, key)
        at[at == len(self.keys)] = 0
        gram_id = np.where((self.keys[at] == key) & ~unknown, self.ids[at], -1)
        keep = gram_id >= 0
        return np.bincount(form[keep], minlength=n_forms), gram_id[keep]
