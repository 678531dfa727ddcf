"""explain() and explain_many() take a model path, and name what they expect."""

import pytest

from framing.core.model import save_model
from framing.errors import InputError
from framing.explanation import explain, explain_many


def test_explain_takes_a_model_path(tmp_path, tiny_model):
    save_model(tiny_model, tmp_path)
    text = "You won't believe this weird trick"
    by_path = explain(text, model=str(tmp_path)).clickbait.probability
    assert by_path == pytest.approx(explain(text, model=tiny_model).clickbait.probability)
    assert len(explain_many([text, text], model=tmp_path)) == 2


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda m: explain(b"bytes", model=m), "headline must be a string .* decode it first"),
        (lambda m: explain(body=b"bytes", model=m), "body must be a string"),
        (lambda m: explain("text", model=42), "model must be a framing.Model"),
        (lambda m: explain_many(["a"], model=["dir"]), "model must be a framing.Model"),
        (lambda m: explain_many("one string", model=m), "not one string"),
    ],
)
def test_wrong_inputs_say_what_is_expected(tiny_model, call, message):
    with pytest.raises(InputError, match=message):
        call(tiny_model)
