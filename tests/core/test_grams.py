"""Character n-grams as integer keys (framing.core.grams) find exactly the grams that the
string look-up finds, in the same order, for any words."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import framing.core.forms as forms
import framing.core.grams as grams
from framing.core.forms import FormTable
from framing.core.text import PUNCT_TOKENS

WORDS = st.lists(
    st.one_of(
        st.text(alphabet="abnest'-é0☃日\udcff\U0001f600", min_size=1, max_size=12),
        st.text(min_size=1, max_size=30),
        st.sampled_from(sorted(PUNCT_TOKENS)),
    ),
    max_size=30,
    unique=True,
)


def _table(spaces, use_keys: bool) -> FormTable:
    table = FormTable(spaces, {})
    if not use_keys:
        table._keys = False  # the string look-up, always
    return table


def _csr(table: FormTable):
    ptr = table.chars.ptr.view
    return ptr.copy(), table.chars.fields[0].view.copy()


@pytest.fixture(scope="module")
def spaces(tiny_model):
    return [tiny_model["clickbait"].space, tiny_model["loaded"].space]


@pytest.fixture(autouse=True)
def _keys_at_once(monkeypatch):
    monkeypatch.setattr(forms, "KEYS_AFTER", 0)


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=3))
def test_keys_find_what_strings_find(spaces, batches):
    by_keys, by_strings = _table(spaces, True), _table(spaces, False)
    for words in batches:
        by_keys.ids(words)
        by_strings.ids(words)
    assert by_keys._keys is not False  # (None: no word yet)
    for a, b in zip(_csr(by_keys), _csr(by_strings), strict=True):
        np.testing.assert_array_equal(a, b)
    for s in range(len(spaces)):  # every gram met has its feature in every space
        met = by_strings.chars.fields[0].view
        np.testing.assert_array_equal(by_keys.gram_feature[s][met], by_strings.gram_feature[s][met])


def test_an_alphabet_too_large_for_the_keys_falls_back_to_strings(spaces, monkeypatch):
    monkeypatch.setattr(grams, "KEY_BITS", 4)
    table = FormTable(spaces, {})
    table.ids(["banana", "despot"])
    assert table._keys is False and len(table.chars.fields[0].view) > 0


def test_the_keys_are_built_after_the_first_new_words(spaces, monkeypatch):
    """A short run (a one-line file) looks its few words up as strings; the keys (about
    40 ms to build) come once the table has met ``KEYS_AFTER`` new words."""
    monkeypatch.setattr(forms, "KEYS_AFTER", 5)
    table = FormTable(spaces, {})
    table.ids(["one", "two"])
    assert table._keys is None
    table.ids(["three", "four", "five"])
    assert table._keys
