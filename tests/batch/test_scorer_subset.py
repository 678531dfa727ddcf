"""A subset of the work: some heads only, no outlet voice, no language check. Each gives
the default's values for what it keeps, leaves out the columns (and the work) of the rest,
and refuses a head it does not score with the heads it does."""

import pytest

from framing.batch import ScoreOptions, Scorer
from framing.batch.columns import columns_for
from framing.errors import InputError, OptionError

HEADLINES = [
    "You won't believe this shocking trick",
    'Minister says the plan is "a disgrace"',
    "Le président de la République parle aux journalistes de la réforme",
    "",
]
BODIES = [
    "The despot lied. It was chilling.",
    'Officials called it "a shameful farce". The vote is on Monday.',
    "",
    "The regime's thugs attacked the crowd.",
]


def scored(model, **options):
    scorer = Scorer(model, ScoreOptions(headline_col="h", body_col="b", **options))
    out = scorer.score_texts(list(HEADLINES), list(BODIES), [None] * len(HEADLINES))
    assert list(out) == scorer.columns == columns_for(model, scorer.options)
    return out


def test_a_subset_of_heads_gives_their_default_columns_and_values(tiny_model):
    full = scored(tiny_model)
    for heads in (("clickbait",), ("loaded",)):
        part = scored(tiny_model, heads=heads)
        kept = [c for c in full if c.removeprefix("body_").split("_")[0] in heads]
        assert list(part) == [*kept, "warnings", "error"]
        assert {c: part[c] for c in kept} == {c: full[c] for c in kept}
        assert part["warnings"] == full["warnings"]
    # every head the overall score counts: the default output, overall score included
    assert scored(tiny_model, heads=["loaded", "clickbait", "loaded"]) == full


def test_without_outlet_voice_the_raw_columns_are_unchanged(tiny_model):
    full = scored(tiny_model)
    raw = scored(tiny_model, outlet_voice=False)
    assert list(raw) == [c for c in full if "outlet" not in c and c != "overall_score"]
    assert raw == {c: full[c] for c in raw}
    # the quoted texts really had a different outlet-voice score
    assert full["loaded_outlet_probability"][1] != full["loaded_probability"][1]


def test_without_the_language_check_every_text_is_labelled(tiny_model):
    full = scored(tiny_model)
    assert full["clickbait_label"][2] is None and "language fr" in full["warnings"][2]
    unchecked = scored(tiny_model, check_language=False)
    assert unchecked["clickbait_label"][2] in (0, 1) and unchecked["warnings"][2] is None
    assert unchecked["overall_score"][2] is not None
    for c in full:
        if c.endswith(("_probability", "_terms")):
            assert unchecked[c] == full[c]
    english = [0, 1, 3]
    assert [unchecked["overall_score"][i] for i in english] == [
        full["overall_score"][i] for i in english
    ]


def test_a_head_that_is_not_scored_is_refused_with_the_ones_that_are(tiny_model):
    with pytest.raises(InputError, match="no head 'frame' to score among heads .*'clickbait'"):
        Scorer(tiny_model, ScoreOptions(headline_col="h", heads=("frame",)))
    with pytest.raises(OptionError, match="heads must name at least one head"):
        ScoreOptions(heads=())
    with pytest.raises(OptionError, match="heads must be a list of heads' names"):
        ScoreOptions(heads="clickbait")


def test_heads_that_read_none_of_the_texts_given_are_refused(tiny_model):
    with pytest.raises(InputError, match=r"score none of the texts given \(bodies\): clickbait"):
        Scorer(tiny_model, ScoreOptions(body_col="b", heads=("clickbait",)))
    body_only = Scorer(tiny_model, ScoreOptions(body_col="b", heads=("loaded",)))
    assert body_only.columns[0] == "body_loaded_probability"
