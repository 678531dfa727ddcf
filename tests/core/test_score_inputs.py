"""score() and as_model(): a path where a model is expected, and errors that say what is
expected instead of what broke inside."""

from pathlib import Path

import numpy as np
import pytest

from framing.core.model import as_model, save_model
from framing.core.scoring import score
from framing.errors import InputError, ModelError


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        (b"text", "not bytes: decode it first"),
        (bytearray(b"text"), "not bytes"),
        ("one string", "wrap it in a list"),
        (5, "not int"),
        ([b"x"], "text 0 is bytes, not str: decode it first"),
        (["ok", None], "text 1 is NoneType"),
    ],
)
def test_texts_that_are_not_a_list_of_str_are_named(tiny_model, texts, message):
    with pytest.raises(InputError, match=message):
        score(texts, model=tiny_model)


@pytest.mark.parametrize("kind", [str, Path])
def test_a_model_path_is_loaded_once_and_gives_the_same_scores(tmp_path, tiny_model, kind):
    save_model(tiny_model, tmp_path)
    texts = ["You won't believe this weird trick", "Parliament passes budget"]
    got = score(texts, model=kind(tmp_path))
    assert np.allclose(got, score(texts, model=tiny_model))
    assert as_model(kind(tmp_path)) is as_model(str(tmp_path))  # loaded once


@pytest.mark.parametrize("model", [42, 3.5, ["dir"], {"heads": {}}, b"dir"])
def test_a_wrong_model_says_what_is_expected(tiny_model, model):
    with pytest.raises(InputError, match="model must be a framing.Model .* path .* None"):
        score(["text"], model=model)


def test_a_missing_model_path_is_a_model_error(tmp_path, tiny_model):
    with pytest.raises(ModelError, match="no model artifact"):
        score(["text"], model=str(tmp_path / "none"))
    with pytest.raises(InputError, match="head must be"):
        score(["text"], head=3, model=tiny_model)
