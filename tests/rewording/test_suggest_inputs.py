"""suggest() takes a model path, and names what it expects."""

import pytest

from framing.core.model import save_model
from framing.errors import InputError
from framing.rewording import suggest


def test_suggest_takes_a_model_path_and_refuses_other_models(tmp_path, tiny_model):
    save_model(tiny_model, tmp_path)
    text = "The despot shamelessly denied the chilling reports"
    assert suggest(text, model=str(tmp_path)).rewritten == suggest(text, model=tiny_model).rewritten
    with pytest.raises(InputError, match="model must be a framing.Model"):
        suggest(text, model=3.5)
    with pytest.raises(InputError, match="not bytes"):
        suggest(text.encode(), model=tiny_model)
