"""framing: score news text for sensational and loaded language, with exact explanations.

Public API::

    from framing import explain, load_model, score, suggest
    model = load_model()                  # the shipped default model, verified
    score(["You won't believe what happened next"], head="clickbait", model=model)
    explain("The despot shamelessly denied the chilling reports", model=model)
    suggest("North Korean despot slams talks", model=model).rewritten
"""

from framing.core.model import Model, load_model
from framing.core.scoring import score
from framing.errors import DataError, FramingError, InputError, ModelError
from framing.explanation import explain
from framing.rewording import Suggestion, suggest

__all__ = [
    "DataError",
    "FramingError",
    "InputError",
    "Model",
    "ModelError",
    "Suggestion",
    "explain",
    "load_model",
    "score",
    "suggest",
]
__version__ = "0.1.0"
