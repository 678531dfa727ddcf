"""``framing train``: retrain the default model, or train a head on your own labels.

A thin layer over :func:`framing.training.options.train_from_options`, the front door
``training/train.py`` uses too (the same options, the same checks)."""

from __future__ import annotations

import sys

from framing.cli.common import printable
from framing.training.options import add_training_arguments

__all__ = ["add_parser", "run"]


def add_parser(sub, common) -> None:
    """The ``train`` command's options."""
    p = sub.add_parser("train", parents=[common], help="retrain the model or train your own head")
    p.add_argument("--out", required=True, help="folder to write the model into")
    add_training_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    """Run ``framing train``; the exit code."""
    from framing.training.options import train_from_options  # scikit-learn: when training

    trained = train_from_options(args, args.out)
    if trained.report:
        print(trained.report)
    print(f"framing: wrote {printable(str(args.out))}", file=sys.stderr)
    return 0
