"""The training options shared by ``framing train`` and ``training/train.py``."""

from __future__ import annotations

import argparse

from framing.errors import InputError

__all__ = ["add_feedback_arguments", "add_training_arguments", "check_name_penalty"]


def add_training_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options both training entry points take to ``parser``."""
    parser.add_argument(
        "--data-dir", help="data folder (default $FRAMING_DATA_DIR or ../shared/data)"
    )
    parser.add_argument("--skip-eval", action="store_true", help="train without the evaluation")
    parser.add_argument("--sample", type=int, help="at most N rows per dataset (smoke tests)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel folds (default 2)")
    parser.add_argument("--user-data", help="CSV/TSV/JSONL of your own labels (text,label)")
    parser.add_argument("--head", help="name of the head to train from --user-data")
    parser.add_argument("--text-col", default="text")
    parser.add_argument("--label-col", default="label")
    parser.add_argument(
        "--replace",
        action="store_true",
        help="with --head NAME: replace the base model's head of that name (e.g. clickbait)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite a model already in --out")
    parser.add_argument(
        "--name-penalty",
        type=float,
        metavar="S",
        help="with --user-data: penalise the features of names (words capitalised inside\n"
        "sentences) 1/S^2 times harder, S in (0, 1]; e.g. 0.3 (default: no penalty)",
    )


def add_feedback_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the readers'-corrections options (docs/retraining-from-feedback.md) to ``parser``."""
    g = parser.add_argument_group("readers' corrections (framing.training.feedback)")
    g.add_argument(
        "--feedback",
        metavar="DB_OR_FILE",
        help="fold the marks of a feedback store (path or URL) or of a marks file\n"
        "(.csv/.tsv/.jsonl/.parquet) into the loaded head (with --user-data: into --head)",
    )
    g.add_argument(
        "--feedback-word-weight",
        type=float,
        metavar="W",
        help="weight of one word mark (default 20)",
    )
    g.add_argument(
        "--feedback-unit-weight",
        type=float,
        metavar="W",
        help="weight of one whole-unit mark (default 5)",
    )
    g.add_argument(
        "--feedback-holdout",
        type=float,
        metavar="SHARE",
        help="share of the newest marks held out to evaluate (default 0.2)",
    )
    g.add_argument(
        "--full-refit",
        action="store_true",
        help="refit every weight and the Platt scaling cold with the marks (four full fits;\n"
        "default: the fast refit of the marks' features from the cached optimum)",
    )


def check_name_penalty(args) -> float | None:
    """``--name-penalty``, checked: a number in (0, 1], for --user-data heads only."""
    s = args.name_penalty
    if s is None:
        return None
    if not args.user_data:
        raise InputError("--name-penalty applies to --user-data heads only")
    if not 0 < s <= 1:
        raise InputError(f"--name-penalty {s}: give a number in (0, 1], e.g. 0.3")
    return s
