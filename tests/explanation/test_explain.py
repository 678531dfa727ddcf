import json

from hypothesis import given, settings
from hypothesis import strategies as st

from framing import explain
from framing.explanation.build import explain_text


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=200))
def test_terms_sum_to_logit_and_offsets_are_exact(tiny_model, text):
    result = explain_text(tiny_model["loaded"], text)
    total = sum(t.contribution for t in result.terms) + result.intercept
    assert abs(total - result.logit) < 1e-9
    assert (
        abs(sum(f.contribution for f in result.features) + result.intercept - result.logit) < 1e-9
    )
    for term in result.terms:
        for span in term.spans:
            from framing.core.text import normalize

            assert normalize(text[span.start : span.end]) == term.term


def test_explain_headline_serialises(tiny_model):
    result = explain("You won't believe this weird trick", model=tiny_model)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["clickbait"]["label"] is True
    top = result.clickbait.top(2)
    assert top and all(t.contribution > 0 for t in top)
    head = data["clickbait"]
    assert (
        abs(sum(t["contribution"] for t in head["terms"]) + head["intercept"] - head["logit"])
        < 1e-9
    )
