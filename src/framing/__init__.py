"""framing: score news text for sensational and loaded language, with exact explanations.

Public API::

    from framing import load_model, score
    model = load_model()                  # the shipped default model, verified
    score(["You won't believe what happened next"], head="clickbait", model=model)
"""

from .errors import DataError, FramingError, InputError, ModelError
from .explain import explain
from .model import Model, load_model
from .scoring import score
from .suggest import Suggestion, suggest

__all__ = [
    "DataError",
    "FramingError",
    "InputError",
    "Model",
    "explain",
    "ModelError",
    "load_model",
    "score",
    "suggest",
    "Suggestion",
]
__version__ = "0.1.0"
