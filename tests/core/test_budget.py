"""Every cache kept across batches is bounded by bytes, not by entries (issue 25: bodies of
distinct 2,000-letter words grew the form table to gigabytes): the form table, the tokens'
forms and the encoders' entries each hold at most ``CACHE_BYTES`` plus one batch's own."""

from __future__ import annotations

import gc
import random
import string
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import framing.core.budget as budget
import framing.core.forms as forms
import framing.core.shared as shared
import framing.core.tokens as tokens
from framing.core.encoder import Encoder
from framing.core.forms import FormTable
from framing.core.model import load_model
from framing.core.tokens import tokenize_batch

LIMIT = 200_000  # bytes, small enough for a few long words to pass it

word = st.one_of(
    st.text(alphabet="abcdefgh", min_size=1, max_size=12),
    st.text(alphabet=string.ascii_lowercase, min_size=500, max_size=3000),
    st.text(min_size=1, max_size=40),
)


@pytest.fixture(scope="module")
def spaces(tiny_model):
    return [tiny_model["clickbait"].space, tiny_model["loaded"].space]


def _alone(spaces, batch) -> int:
    table = FormTable(spaces, {})
    table.ids(batch)
    return table.nbytes


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(word, min_size=1, max_size=8, unique=True), min_size=1, max_size=8))
def test_the_form_table_holds_at_most_its_bytes_or_one_batch(spaces, batches):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(budget, "CACHE_BYTES", LIMIT)
        mp.setattr(forms, "KEYS_AFTER", 0)
        table = FormTable(spaces, {})
        for batch in batches:
            ids = table.ids(batch)
            assert table.nbytes <= max(LIMIT, _alone(spaces, batch))
            # the batch's ids are valid in the table as it is now
            assert sorted(table.index[f] for f in batch) == sorted(ids.tolist())


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(word, min_size=1, max_size=8), min_size=1, max_size=8))
def test_the_tokens_forms_and_encoder_entries_hold_at_most_their_bytes(spaces, batches):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(budget, "CACHE_BYTES", LIMIT)
        tokens.clear_form_cache()
        enc = Encoder(spaces[0])
        for batch in batches:
            tb = tokenize_batch([" ".join(batch)])
            enc.entries(tb.forms)
            batch_bytes = 2 * budget.str_bytes(tb.forms) + budget.str_bytes(batch)
            assert tokens._HELD[0] <= max(LIMIT, batch_bytes)
            assert enc._cache_bytes <= max(LIMIT, 40 * sum(map(len, tb.forms)) + 10_000)
            assert set(tb.forms) <= set(enc._cache)
        tokens.clear_form_cache()


def test_memory_does_not_grow_with_distinct_long_words(monkeypatch):
    """Batches of new 2,000-letter words through the one pass of the heads: the memory kept
    after 10 batches and after 40 is the same to within the budget (before: it grew by the
    words' grams, about 700 KB a batch here)."""
    monkeypatch.setattr(budget, "CACHE_BYTES", 1 << 20)
    monkeypatch.setattr(shared, "_SHARED", {})
    model = load_model()  # the shipped one: its vocabulary holds most grams of such words
    spaces = [model["clickbait"].space, model["loaded"].space]
    rng = random.Random(0)

    def batch():
        words = ["".join(rng.choices(string.ascii_lowercase, k=2000)) for _ in range(10)]
        return tokenize_batch([" ".join(words)])

    coef = model["clickbait"].coef

    def kept(n: int) -> int:
        for _ in range(n):
            shared.shared_pass(spaces, batch()).char_tokens(spaces[0], coef)
        gc.collect()
        return tracemalloc.get_traced_memory()[0]

    tracemalloc.start()
    try:
        after_10 = kept(10)
        after_40 = kept(30)
    finally:
        tracemalloc.stop()
        tokens.clear_form_cache()
    assert after_40 - after_10 < 3 << 20, (after_10, after_40)


def test_the_training_cache_of_content_words_holds_at_most_its_bytes(monkeypatch):
    """Cross-fitting keeps each record's content words; long texts once filled 200,000
    entries whatever their size."""
    from framing.training import lexicons
    from framing.training.binary.fit import Record

    monkeypatch.setattr(budget, "CACHE_BYTES", LIMIT)
    rng = random.Random(0)
    texts = [
        " ".join("".join(rng.choices(string.ascii_lowercase, k=8)) for _ in range(1000))
        for _ in range(20)
    ]
    records = [Record(t, 1.0, spans=((0, 8),)) for t in texts]
    first = lexicons.rationale_rate(records)
    assert lexicons._WORDS_HELD[0] <= LIMIT and 0 < len(lexicons._WORDS) < len(texts)
    assert lexicons.rationale_rate(records) == first
