"""framing: score news text for sensational and loaded language, with exact explanations.

Public API::

    from framing import load_model, score
    model = load_model()                  # the shipped default model, verified
    score(["You won't believe what happened next"], head="clickbait", model=model)
"""

from framing.core.model import Model, load_model
from framing.core.scoring import score
from framing.errors import DataError, FramingError, InputError, ModelError
from framing.explanation.build import explain

__all__ = [
    "DataError",
    "FramingError",
    "InputError",
    "Model",
    "explain",
    "ModelError",
    "load_model",
    "score",
]
__version__ = "0.1.0"
