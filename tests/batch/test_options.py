"""ScoreOptions: the one options object, its checks named by the library's parameters."""

import pytest

from framing.batch import MAX_CHARS, ScoreOptions
from framing.errors import InputError, OptionError


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"max_chars": 0}, "max_chars must be at least 1 (got 0)"),
        ({"chunk_size": -5}, "chunk_size must be at least 1 (got -5)"),
        ({"chunk_chars": 0}, "chunk_chars must be at least 1 (got 0)"),
        ({"workers": 0}, "workers must be at least 1 (got 0)"),
        ({"top_k": -1}, "top_k must be at least 0 (got -1)"),
        ({"threshold": 1.5}, "threshold must be between 0 and 1"),
        ({"all_techniques": True}, "all_techniques goes with techniques"),
    ],
)
def test_a_bad_option_names_the_parameter_and_the_flag(settings, message):
    with pytest.raises(OptionError) as caught:
        ScoreOptions(**settings)
    assert str(caught.value) == message
    flags = str(caught.value.as_flags())
    assert flags.startswith("--") and "_" not in flags.split(" must")[0].split(" goes")[0]


def test_input_errors_are_value_errors_and_the_defaults_are_defined_once():
    with pytest.raises(ValueError):
        ScoreOptions(max_chars=0)
    assert issubclass(InputError, ValueError)
    assert ScoreOptions().max_chars == MAX_CHARS
    assert ScoreOptions(chunk_chars=None).chunk_chars is None
