"""Heavier regularisation of name features: which words count as names, the column scales,
and what the fit does with them (exactness kept, a name's weight shrunk)."""

from dataclasses import replace

import numpy as np
import pytest
from conftest import tiny_recipe
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.training.binary.fit import Record, TextVectorizer, fit_head
from framing.training.penalty import feature_scale, name_like_forms, topic_forms


def test_names_are_words_capitalised_inside_sentences():
    texts = [
        "Officials said Smith denied the claims.",
        "The report quoted Smith again.",
        "Critics of Smith were loud.",
        "The vote was close.",  # "The" opens sentences only: not a name
        "Then the vote failed.",
        "And the vote passed. The vote was close.",
    ]
    names = name_like_forms(texts)
    assert "smith" in names
    assert "the" not in names
    assert "vote" not in names


def test_title_case_lines_and_rare_words_are_ignored():
    texts = ["Officials Say The Budget Vote Was Close"] * 5 + ["a budget vote", "the budget"]
    assert name_like_forms(texts) == set()
    assert name_like_forms(["We met Jones.", "We met Jones."]) == set()  # 2 < min_count


def test_feature_scale_word_char_and_lexicon_features():
    texts = ["We met Smith today and Smith smiled, said Smith.", "We met them today."]
    vec = TextVectorizer(
        word_ngrams=(1, 2), char_ngrams=(2, 3), min_df=1, lexicons={"hype": {"smiled": 1.0}}
    ).fit(texts)
    space = vec.space_
    s = feature_scale(space, texts, {"smith"}, 0.25)
    word = space.offsets["word"]
    assert s[word + space.word_vocab["smith"]] == 0.25
    assert s[word + space.word_vocab["met smith"]] == 0.25
    assert s[word + space.word_vocab["met them"]] == 1.0
    char = space.offsets["char"]
    assert s[char + space.char_vocab["mit"]] == 0.25  # only ever inside "smith"
    assert s[char + space.char_vocab[" t"]] == 1.0  # never inside a name
    # "sm" occurs 3 times in "smith" and once in "smiled": 3/4 of it is a name
    assert s[char + space.char_vocab[" sm"]] == pytest.approx(1 - 0.75 * 0.75)
    assert (s[space.offsets["lex"] :] == 1.0).all()
    with pytest.raises(ValueError, match="scale"):
        feature_scale(space, texts, {"smith"}, 0.0)


NAME_DATA = (
    [Record(f"Officials said Smith faced shocking outrage number {i}.", 1.0) for i in range(12)]
    + [Record(f"Officials said Smith attended meeting number {i}.", 1.0) for i in range(6)]
    + [Record(f"Officials said Jones attended meeting number {i}.", 0.0) for i in range(18)]
    + [Record(f"Officials said Jones faced shocking outrage {i}.", 1.0) for i in range(4)]
)


def _head(penalty):
    records = [replace(r, group=str(i)) for i, r in enumerate(NAME_DATA)]
    return fit_head("loaded", records, replace(tiny_recipe(), name_penalty=penalty))


def test_a_penalised_name_weighs_less_than_without_the_penalty():
    from framing.training.binary.protocols import word_contributions

    text = "Officials said Smith attended meeting number 99."
    plain = word_contributions(_head(None), text)["smith"]
    penalised = word_contributions(_head(0.1), text)["smith"]
    assert plain > 0.1
    assert 0 < penalised < plain / 2


def test_the_head_is_the_fit_on_scaled_columns_mapped_back():
    """Platt is affine, so the head's logits must be an increasing affine map of an LR fitted
    on the scaled columns; a scale left off the stored weights would break that."""
    from sklearn.linear_model import LogisticRegression

    records = [replace(r, group=str(i)) for i, r in enumerate(NAME_DATA)]
    texts = [r.text for r in records]
    recipe = replace(tiny_recipe(), name_penalty=0.1)
    head = fit_head("loaded", records, recipe)
    s = feature_scale(head.space, texts, name_like_forms(texts), 0.1)
    assert (s < 1).any()
    X = TextVectorizer(**recipe.features).fit(texts).transform(texts).multiply(s).tocsr()
    clf = LogisticRegression(C=recipe.C, solver="liblinear", max_iter=recipe.max_iter)
    clf.fit(X, [r.target for r in records])
    probe = texts + ["Smith and Jones said nothing.", "shocking outrage"]
    Xp = TextVectorizer(**recipe.features).fit(texts).transform(probe).multiply(s)
    ours, want = head.logits(probe)[:, 0], clf.decision_function(Xp)
    assert np.corrcoef(ours, want)[0, 1] > 1 - 1e-9
    assert not np.allclose(ours, _head(1.0).logits(probe)[:, 0])  # the penalty changed the fit


def test_scale_one_is_no_penalty():
    probe = ["Officials said Smith attended meeting number 99.", "shocking outrage"]
    assert np.allclose(_head(1.0).logits(probe), _head(None).logits(probe))


def test_topic_words_are_concentrated_in_one_topic():
    texts = (
        [f"The climate bill passed, report {i}." for i in range(6)]
        + [f"The tax bill passed, report {i}." for i in range(6)]
        + [f"A shocking climate of fear, report {i}." for i in range(2)]
    )
    topics = ["environment"] * 6 + ["taxes"] * 6 + ["environment", "taxes"]
    words = topic_forms(texts, topics, min_count=5, share=0.6, lift=1.5)
    assert words == {"climate", "tax"}  # "bill", "passed", "report" are in both topics
    with pytest.raises(ValueError):
        topic_forms(texts, topics[:-1])


def test_multilabel_heads_take_the_penalty_too():
    from framing.training.multilabel.fit import fit_multilabel_head

    texts = [r.text for r in NAME_DATA]
    Y = np.array([[r.target, 1 - r.target] for r in NAME_DATA])
    groups = [str(i) for i in range(len(texts))]

    def smith_weight(penalty):
        head = fit_multilabel_head(
            "m",
            texts,
            Y,
            replace(tiny_recipe(), name_penalty=penalty),
            labels=["a", "b"],
            groups=groups,
        )
        return head.coef[0, head.space.word_vocab["smith"]]

    plain, penalised = smith_weight(None), smith_weight(0.1)
    assert plain > 0 and 0 < penalised < plain / 2
    assert smith_weight(1.0) == pytest.approx(plain)


WORDS = ["Smith", "smith", "Jones", "the", "vote", "shocking", "Paris", "paris", "said"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8), min_size=2, max_size=12),
    st.floats(min_value=0.05, max_value=1.0),
)
def test_scales_lie_between_the_penalty_and_one(sentences, s):
    """Word n-grams holding a name get exactly ``s``, the others 1; character n-grams lie in
    [s, 1]; lexicon features are never scaled."""
    texts = [" ".join(words) + "." for words in sentences]
    vec = TextVectorizer(word_ngrams=(1, 2), char_ngrams=(2, 3), min_df=1).fit(texts)
    space = vec.space_
    names = name_like_forms(texts, min_count=1)
    scale = feature_scale(space, texts, names, s)
    for gram, j in space.word_vocab.items():
        want = s if set(gram.split(" ")) & names else 1.0
        assert scale[space.offsets["word"] + j] == want
    char = scale[space.offsets["char"] : space.offsets["lex"]]
    assert ((char >= s - 1e-12) & (char <= 1 + 1e-12)).all()
    assert (scale[space.offsets["lex"] :] == 1.0).all()


def test_scale_is_not_shared_by_spaces_that_differ_only_in_lexicons():
    """The scale is cached by texts and vocabularies: a space with more lexicons (same texts,
    same n-grams) gets a scale of its own length, not the cached one of the other."""
    from framing.core.encoder import encode
    from framing.training.binary.fit import Recipe, TextVectorizer, penalised

    texts = [f"The Senator Smith said a thing on day {i}" for i in range(30)]
    for lexicons in ({"a": {"said": 1.0}}, {"a": {"said": 1.0}, "b": {"thing": 1.0}}):
        space = TextVectorizer(lexicons=lexicons).fit(texts).space_
        X = encode(space, texts).to_scipy()
        Xp, scale = penalised(X, space, texts, Recipe(features={}, name_penalty=0.3))
        assert scale.shape == (space.n_features,)
        assert Xp.shape == X.shape
