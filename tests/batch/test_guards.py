"""`framing score` applies explain()'s rule to each text: a long headline or body is cut with
the same warning, a text judged not English is warned about and its labels left empty."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing.batch import ScoreOptions, Scorer
from framing.explanation import MAX_HEADLINE_CHARS, explain
from framing.tables.read import Row

WORDS = ["You", "won't", "believe", "the", "despot", "budget", "shock", "trick", "of", "is"]
FOREIGN = [
    "شاهد ما حدث بعد ذلك لن تصدق",
    "לא תאמינו מה קרה אחר כך",
    "你不会相信接下来发生了什么",
    "次に何が起こったか信じられないでしょう",
    "Вы не поверите что случилось дальше",
    "Die Regierung und die Opposition sind sich über die Reform nicht einig",
]


def score(model, headline=None, body=None, **options):
    fields = {"headline": headline or "", "body": body or ""}
    scorer = Scorer(model, ScoreOptions(headline_col="headline", body_col="body", **options))
    return {k: v[0] for k, v in scorer.score([Row(fields)]).items()}


def agree(model, headline, body=None):
    out = score(model, headline, body)
    res = explain(headline=headline, body=body, model=model)
    assert out["clickbait_probability"] == pytest.approx(res.clickbait.probability, abs=1e-6)
    assert json.loads(out["warnings"] or "[]") == res.warnings
    if body:
        assert out["body_loaded_probability"] == pytest.approx(res.article.probability, abs=1e-6)
    return out, res


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(st.sampled_from(WORDS), min_size=300, max_size=600))
def test_a_long_headline_is_cut_and_warned_in_both(tiny_model, words):
    headline = " ".join(words)
    out, res = agree(tiny_model, headline)
    if len(headline) > MAX_HEADLINE_CHARS:
        assert res.truncated and "over the limit of 2,000" in out["warnings"]
        terms = json.loads(out["clickbait_terms"])
        assert all(e <= MAX_HEADLINE_CHARS for t in terms for _, e in t["spans"])
    else:
        assert out["warnings"] is None


def test_a_long_word_without_spaces_is_cut_at_the_limit(tiny_model):
    out, _ = agree(tiny_model, "x" * 5000)
    assert "only its first 2,000 characters" in out["warnings"]


@pytest.mark.parametrize("headline", FOREIGN)
def test_text_judged_not_english_is_warned_and_not_labelled(tiny_model, headline):
    out, res = agree(tiny_model, headline, body=headline + ". " + headline)
    assert res.language["headline"].english is False
    assert "not scored: language " in out["warnings"]
    assert out["clickbait_label"] is None and out["loaded_label"] is None
    assert out["body_loaded_label"] is None and out["overall_score"] is None
    assert out["clickbait_probability"] is not None  # the model's number is kept
    assert res.overall is None and res.clickbait.label is None and res.not_scored


def test_english_rows_keep_their_labels_and_no_warnings(tiny_model):
    out, _ = agree(tiny_model, "The despot shamelessly denied the chilling reports")
    assert out["warnings"] is None and out["clickbait_label"] in (0, 1)
    mixed = score(tiny_model, "The minister said the budget is ready", FOREIGN[4])
    assert mixed["clickbait_label"] in (0, 1) and mixed["body_loaded_label"] is None
    assert "(the body: " in mixed["warnings"] and mixed["overall_score"] is None


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(FOREIGN),
            st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join),
            st.integers(1995, 2010).map(lambda n: "word " * (n // 5) + "x" * (n % 5)),
            st.text(max_size=40),
        ),
        max_size=6,
    ),
    st.sampled_from(["headline", "body"]),
)
def test_texts_guarded_together_as_one_at_a_time(texts, kind):
    from framing.explanation.guards import guard_text, guard_texts

    assert guard_texts(texts, kind) == [guard_text(t, kind) for t in texts]
