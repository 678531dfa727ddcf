"""``--terms FILE``: a house-style list of loaded terms used at once (no retraining).

The commands that score or reword (``score``, ``explain``, ``suggest``, ``evaluate``) and
``info`` take it; see :mod:`framing.core.house_style` and docs/house-style-and-review.md.
"""

from __future__ import annotations

from framing.core.house_style import read_house_style, with_house_style
from framing.core.model import Model, load_model

__all__ = ["TERMS_HELP", "add_terms", "load_cli_model"]

TERMS_HELP = (
    "a house-style list of loaded terms, one 'term | neutral word; ...' a line (the format "
    "of the shipped loaded_terms.txt): the loaded-terms feature and suggest use it at once"
)


def add_terms(parser) -> None:
    """Add ``--terms FILE`` to a command's parser."""
    parser.add_argument("--terms", metavar="FILE", help=TERMS_HELP)


def load_cli_model(args) -> Model:
    """The command's model (``--model``), with its ``--terms`` list when given; the list is
    read and validated before the model, so a bad list is one error line at once."""
    path = getattr(args, "terms", None)
    style = read_house_style(path) if path else None
    return with_house_style(load_model(args.model), style)
