"""One rule for text that cannot be scored (issue 25, classes 2 and 13): explain() refuses
exactly the texts that `framing score` marks as row errors, and the library names what it
expects instead of scoring a mapping's keys."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import InputError, explain, score
from framing.batch import ScoreOptions, Scorer
from framing.explanation import explain_many
from framing.tables.read import Row

TEXTS = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "\n\t", "Budget passes", "bad \ud800 x", "\udc80", "ok \U0001f600"]),
)


@settings(max_examples=60, deadline=None)
@given(headline=TEXTS, body=TEXTS)
def test_explain_refuses_exactly_what_framing_score_marks(tiny_model, headline, body):
    if headline is None and body is None:
        return
    scorer = Scorer(tiny_model, ScoreOptions(headline_col="headline", body_col="body"))
    fields = {k: v for k, v in (("headline", headline), ("body", body)) if v is not None}
    error = scorer.score([Row(fields)])["error"][0]
    try:
        explain(headline, body, model=tiny_model)
    except InputError as exc:
        assert error is not None, exc
        assert ("empty text" in str(exc)) == error.startswith("empty text")
        assert ("lone surrogate" in str(exc)) == ("lone surrogate" in error)
    else:
        assert error is None


def test_empty_text_is_refused_by_explain_as_framing_score_marks_it(tiny_model):
    with pytest.raises(InputError, match=r"empty text \(nothing in the headline\)"):
        explain("", model=tiny_model)
    with pytest.raises(InputError, match="nothing in the headline or the body"):
        explain(" ", "\n", model=tiny_model)
    with pytest.raises(InputError, match="item 1: empty text"):
        explain_many(["Budget passes", "  "], model=tiny_model)
    assert explain("", "The regime fell.", model=tiny_model).overall is not None


@pytest.mark.parametrize("texts", [{"a": "x"}, {"x"}, frozenset({"x"})])
def test_a_mapping_or_a_set_is_not_a_list_of_texts(tiny_model, texts):
    with pytest.raises(InputError, match="not a (dict|set|frozenset)"):
        score(texts, model=tiny_model)
    with pytest.raises(InputError, match="not a (dict|set|frozenset)"):
        explain_many(texts, model=tiny_model)


def test_a_lone_surrogate_is_refused_by_the_library(tiny_model):
    with pytest.raises(InputError, match=r"text 1 is not valid Unicode: a lone surrogate"):
        score(["ok", "bad \ud800"], model=tiny_model)
    with pytest.raises(InputError, match=r"the body is not valid Unicode"):
        explain("ok", "bad \udfff", model=tiny_model)
