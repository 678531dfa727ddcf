"""The one rule for what the runtime keeps between batches: every cache counts its bytes.

A cache kept across batches (the form table of the heads scored together,
:class:`framing.core.forms.FormTable`; the forms of raw tokens, :mod:`framing.core.tokens`;
each feature space's per-word entries, :class:`framing.core.encoder.Encoder`; the content
words of each training record, :mod:`framing.training.lexicons`) counts the
bytes it holds: its keys and values as Python objects (:func:`str_bytes`) and the memory
its arrays have reserved. Before a batch whose new entries would take it past
:data:`CACHE_BYTES` it forgets everything and starts again with that batch, so what it holds
is bounded by bytes, whatever the words: a million distinct words of 2,000 letters (base64,
hashes, URLs) cost no more than as many ordinary ones. A cache's entries therefore never
exceed ``CACHE_BYTES`` plus one batch's own (itself bounded by the chunk's characters).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

__all__ = ["CACHE_BYTES", "ENTRY_BYTES", "str_bytes"]

CACHE_BYTES = 32 << 20  # per cache
ENTRY_BYTES = 40  # a dictionary slot (hash, key and value pointers, spare room)


def str_bytes(strings: Iterable[str]) -> int:
    """The bytes of ``strings`` as Python objects (their headers and characters, in the
    width their widest character needs), each with its dictionary slot."""
    total = 0
    count = 0
    for size in map(sys.getsizeof, strings):
        total += size
        count += 1
    return total + ENTRY_BYTES * count
