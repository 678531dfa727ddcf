"""House style without retraining (issue 27): a user's list of loaded terms, validated as the
shipped list is, reaches the loaded-terms lexicon feature and suggest() at once, with exact
scores and explanations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing import InputError, explain, load_model, suggest
from framing.core.house_style import (
    MAX_TERMS_BYTES,
    model_fingerprint,
    parse_house_style,
    read_house_style,
    with_house_style,
)
from framing.core.wordlists import RESOURCES, TermListError, is_content_word, parse_terms

TERMS = b"""# my paper's list
barmy | unusual
fat cats | executives
despot | premier
woke | progressive | quality
"""


@pytest.fixture(scope="module")
def shipped():
    return load_model()


@pytest.fixture(scope="module")
def styled(shipped):
    return with_house_style(shipped, parse_house_style(TERMS, "mine.txt"))


def _p(model, text):
    return float(model["loaded"].predict_proba([text])[0, 0])


def test_the_shipped_list_passes_the_one_validation():
    lines = (RESOURCES / "loaded_terms.txt").read_text(encoding="utf-8").splitlines()
    entries = parse_terms(lines, "loaded_terms.txt")
    assert len(entries) > 150 and all(alts for _, alts, _ in entries)


def test_a_list_reads_its_entries_and_fingerprints_them_not_the_layout():
    style = parse_house_style(TERMS, "mine.txt")
    assert len(style) == 4
    assert style.alternatives()["fat cats"] == ["executives"]
    assert style.senses()["woke"] == "quality" and style.senses()["barmy"] == "loaded"
    relaid = b"\xef\xbb\xbf\n# another comment\r\n" + TERMS.replace(b" | ", b"|")
    assert parse_house_style(relaid, "other.txt").fingerprint == style.fingerprint
    changed = TERMS.replace(b"unusual", b"odd")
    assert parse_house_style(changed, "mine.txt").fingerprint != style.fingerprint


def test_the_lexicon_feature_gains_the_entries_and_the_model_is_left_alone(shipped, styled):
    space = styled["loaded"].space
    assert "barmy" in space.lexicons()["loaded_terms"]
    assert "barmy" not in shipped["loaded"].space.lexicons()["loaded_terms"]
    assert styled["clickbait"] is shipped["clickbait"]  # no loaded-terms lexicon there
    assert styled.manifest["house_style"]["heads"] == ["loaded"]
    assert styled.manifest["house_style"]["entries"] == 4
    assert "house_style" not in shipped.manifest
    assert model_fingerprint(styled) != model_fingerprint(shipped)
    assert model_fingerprint(styled).startswith(model_fingerprint(shipped) + "+terms:")


def test_a_new_entry_moves_the_logit_by_exactly_the_feature_weight(shipped, styled):
    text = "Council approves barmy plan for town centre"
    head = shipped["loaded"]
    assert head.space.lex_entries.get("barmy") is None  # in no lexicon of the shipped head
    j = head.space.offsets["lex"] + head.space.lex_vocab["loaded_terms"]
    expected = float(head.coef[0, j]) * head.space.lexicon_weight
    before = float(head.logits([text])[0, 0])
    after = float(styled["loaded"].logits([text])[0, 0])
    assert after - before == pytest.approx(expected, abs=1e-9)
    assert _p(shipped, text) < 0.5 <= _p(styled, text)


@pytest.mark.parametrize(
    "text",
    [
        "Council approves barmy plan for town centre",
        "Fat cats get pay rise at water company",
        "The despot and the woke crowd met the fat cat",
    ],
)
def test_explanations_stay_exact_and_equal_the_direct_logit(shipped, styled, text):
    plain_first = explain(headline=text, model=shipped).loaded_headline
    for model in (styled, shipped):  # the plain model after the styled one: caches apart
        score = explain(headline=text, model=model).loaded_headline
        total = sum(t.contribution for t in score.terms) + score.intercept
        assert math.isclose(total, score.logit, abs_tol=1e-9)
        direct = float(model["loaded"].logits([text])[0, 0])
        assert math.isclose(score.logit, direct, abs_tol=1e-9)
    assert explain(headline=text, model=shipped).loaded_headline.logit == plain_first.logit
    styled_score = explain(headline=text, model=styled).loaded_headline
    assert styled_score.logit > plain_first.logit


def test_suggest_uses_the_users_alternatives_over_the_shipped_ones(styled, shipped):
    s = suggest("North Korean despot slams talks", model=styled)
    assert [r.replacement for r in s.replacements if r.term == "despot"] == ["premier"]
    assert "leader" in suggest("North Korean despot slams talks", model=shipped).rewritten
    s = suggest("Fat cats get pay rise at water company", model=styled)
    assert s.rewritten == "Executives get pay rise at water company"
    assert suggest("Fat cats get pay rise at water company", model=shipped).replacements == ()


def test_the_users_sense_classes_are_read(styled):
    s = suggest("Woke activists storm the council meeting", model=styled)
    assert "Progressive activists" in s.rewritten
    s = suggest("The baby woke at dawn", model=styled)
    assert not s.replacements
    assert any("literal" in k.reason for k in s.skipped)


@pytest.mark.parametrize(
    "data, says",
    [
        (b"barmy\n", "needs a neutral counterpart"),
        (b"barmy | \n", "needs a neutral counterpart"),
        (b"barmy | 42\n", "needs a neutral counterpart"),
        (b"barmy | odd | quality | more\n", "more than three fields"),
        (b"barmy | odd | near: x\n", "sense class"),
        (b"barmy | odd\nBarmy | strange\n", "listed twice (first on line 1)"),
        (b"one two three four | odd\n", "one to three words"),
        (b"123 | odd\n", "one to three words"),
        (b"the | a\n", "a content word"),
        (b"barmy | od\x1b[2Jd\n", "control character"),
        (b"# only a comment\n\n", "lists no terms"),
        (b"", "lists no terms"),
        (b"barmy | \xff\xfe\n", "not UTF-8"),
        (b"x" * (MAX_TERMS_BYTES + 1), "over the"),
    ],
)
def test_bad_lists_get_a_clear_error_naming_the_file_and_line(data, says):
    with pytest.raises(InputError) as err:
        parse_house_style(data, "mine.txt")
    assert says in str(err.value) and "mine.txt" in str(err.value)


def test_reading_a_missing_file_or_a_folder_says_so(tmp_path):
    with pytest.raises(InputError, match="no such terms file"):
        read_house_style(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a folder"):
        read_house_style(tmp_path)
    (tmp_path / "ok.txt").write_bytes(TERMS)
    assert len(read_house_style(tmp_path / "ok.txt")) == 4


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_any_bytes_give_a_valid_list_or_an_input_error(data):
    try:
        style = parse_house_style(data, "fuzz.txt")
    except InputError as exc:
        assert "fuzz.txt" in str(exc)
        return
    assert len(style) >= 1
    for key, alternatives, _ in style.entries:
        assert key and 1 <= len(key.split(" ")) <= 3 and alternatives


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            # a term needs a content word ("her" or "the" alone is refused: tested above)
            st.from_regex(r"[a-z]{3,12}( [a-z]{3,12}){0,2}", fullmatch=True).filter(
                lambda t: any(is_content_word(w) for w in t.split())
            ),
            st.from_regex(r"[a-z]{3,12}", fullmatch=True),
        ),
        min_size=1,
        max_size=20,
        unique_by=lambda e: e[0],
    )
)
def test_well_formed_lists_round_trip(entries):
    data = "\n".join(f"{t} | {a}" for t, a in entries).encode()
    style = parse_house_style(data, "ok.txt")
    assert [k for k, _, _ in style.entries] == [t for t, _ in entries]
    assert style.alternatives() == {t: [a] for t, a in entries}


def test_parse_terms_raises_its_own_error_type():
    with pytest.raises(TermListError, match="src.txt, line 2"):
        parse_terms(["ok | fine", "bad"], "src.txt")


def test_scores_of_many_texts_match_one_at_a_time(styled):
    texts = ["Barmy plan", "Loony barmy scheme", "The council met", "fat cats and woke critics"]
    together = styled["loaded"].predict_proba(texts)[:, 0]
    alone = [_p(styled, t) for t in texts]
    assert np.allclose(together, alone, atol=1e-12)


def _word_head():
    from framing.core.wordhead import WordHead
    from framing.training.binary.fit import TextVectorizer

    words = ["despot", "council", "plan", "barmy", "water", "flood", "said", "regime"]
    vec = TextVectorizer(
        word_ngrams=(1, 1),
        char_ngrams=(2, 4),
        min_df=1,
        lexicons={"loaded_terms": {"despot": 1.0, "regime": 1.0}},
    ).fit(words)
    space = vec.space_
    coef = np.random.default_rng(0).normal(size=(1, space.n_features))
    coef[0, space.offsets["lex"] + space.lex_vocab["loaded_terms"]] = 2.0
    return WordHead(
        name="loaded",
        space=space,
        coef=coef,
        intercept=[-2.5],
        labels=["loaded"],
        calibration=[[1.0, 0.0]],
        word_intercept=-1.0,
        top_weight=1.3,
        sum_weight=0.6,
        margin=1.5,
        mean_weight=4.0,
    )


def test_a_word_evidence_head_gets_caches_of_its_own():
    from framing.core.model import Model

    style = parse_house_style(b"barmy | unusual\n", "mine.txt")
    texts = ["The barmy council plan", "barmy barmy water"]
    used = Model({"loaded": _word_head()})
    plain_before = used["loaded"].logits(texts)  # fills the head's per-word cache
    styled = with_house_style(used, style)
    fresh = with_house_style(Model({"loaded": _word_head()}), style)
    assert np.array_equal(styled["loaded"].logits(texts), fresh["loaded"].logits(texts))
    assert np.all(styled["loaded"].logits(texts) > plain_before)
    assert np.array_equal(used["loaded"].logits(texts), plain_before)
    score = explain(headline=texts[0], model=styled).loaded_headline
    assert math.isclose(
        sum(t.contribution for t in score.terms) + score.intercept, score.logit, abs_tol=1e-9
    )
