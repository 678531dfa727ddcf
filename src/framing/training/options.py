"""The one front door of training: the options ``framing train`` and ``training/train.py``
both take, and what they do with them (:func:`train_from_options`)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from framing.core.model import Model
from framing.errors import InputError

__all__ = [
    "Trained",
    "add_feedback_arguments",
    "add_training_arguments",
    "check_name_penalty",
    "train_from_options",
]


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
        "--label-type",
        choices=["binary", "multiclass", "multilabel"],
        default="binary",
        help="with --user-data: binary: 0/1 or a grade in [0, 1] (default); multiclass: one\n"
        "label name per row; multilabel: label names joined by --label-sep (empty = none)",
    )
    parser.add_argument(
        "--label-sep", default=",", help="separator of multi-label names (default ,)"
    )
    parser.add_argument(
        "--base-model", help="model to add the user head to (default: --model, else shipped)"
    )
    parser.add_argument(
        "--only",
        choices=["clickbait", "loaded"],
        help="without --user-data: train and evaluate one default head, the other taken from\n"
        "the shipped model (development; a release trains both)",
    )
    parser.add_argument(
        "--name-penalty",
        type=float,
        metavar="S",
        help="with --user-data: penalise the features of names (words capitalised inside\n"
        "sentences) 1/S^2 times harder, S in (0, 1]; e.g. 0.3 (default: no penalty)",
    )
    add_feedback_arguments(parser)


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
    g.add_argument(
        "--feedback-keep-list",
        action="store_true",
        help="keep every loaded-terms entry (default: an entry whose word has more\n"
        "'neutral' than 'loaded' word marks leaves the new model's list)",
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


@dataclass
class Trained:
    """What :func:`train_from_options` made.

    Attributes:
        model: the model written to the output folder.
        report: the figures to show (the user head's cross-validation, or the default
            model's evaluation tables); empty when there are none.
    """

    model: Model
    report: str = ""


def _log(line: str) -> None:
    print(line, file=sys.stderr)


def train_from_options(args, out: str | Path, *, shipped_folder: bool = False, log=_log) -> Trained:
    """Train what the options ``args`` (:func:`add_training_arguments`) ask for into ``out``:
    a head on the user's labels (``--user-data``: binary, multiclass or multilabel), or the
    default model. ``shipped_folder``: ``out`` may be the shipped model's folder without
    ``--force`` (the training script's default). An :class:`InputError` for a mistake in
    the options."""
    from framing.core.model import default_model_dir
    from framing.training.naming import check_output_folder

    out = Path(out)
    name_penalty = check_name_penalty(args)
    into_shipped = shipped_folder and out.resolve() == default_model_dir().resolve()
    if args.feedback and into_shipped:
        raise InputError("--feedback writes a new model: give --out DIR")
    if args.user_data or args.feedback or not into_shipped:
        check_output_folder(out, force=args.force)
    if args.feedback:
        from framing.training.feedback_runs import run_feedback

        base_model = args.base_model or getattr(args, "model", None)
        return Trained(run_feedback(args, out, base_model=base_model, log=log))
    if args.user_data:
        if not args.head:
            raise InputError("--user-data needs --head NAME (the new head's name)")
        return _train_user_head(args, out, name_penalty, log)
    if args.head or args.replace:
        raise InputError("--head and --replace go with --user-data")
    from framing.training.binary import card, datasets, runs
    from framing.training.multilabel import card as framing_card

    model = runs.retrain_default(
        datasets.resolve_data_dir(args.data_dir),
        out,
        evaluate_heads=not args.skip_eval,
        sample=args.sample,
        n_jobs=args.jobs,
        only=args.only,
    )
    metrics = model.manifest.get("metrics", {})
    report = "\n".join(
        t
        for t in (card.evaluation_table(metrics), framing_card.technique_and_frame_figures(model))
        if t
    )
    return Trained(model, report)


def _train_user_head(args, out: Path, name_penalty, log) -> Trained:
    from framing.training.binary import runs
    from framing.training.multilabel import datasets as label_datasets
    from framing.training.multilabel import runs as label_runs

    path = Path(args.user_data)
    base_model = args.base_model or getattr(args, "model", None)
    if args.label_type == "binary":
        model = runs.retrain_user_file(
            path,
            args.head,
            out,
            text_col=args.text_col,
            label_col=args.label_col,
            base_model=base_model,
            n_jobs=args.jobs,
            log=log,
            name_penalty=name_penalty,
            replace_head=args.replace,
        )
        return Trained(model)
    rows, labels, lines = label_datasets.read_user_labels(
        path.read_bytes(),
        path.name,
        args.text_col,
        args.label_col,
        kind=args.label_type,
        sep=args.label_sep,
    )
    for line in lines:
        log(line)
    model, manifest = label_runs.train_user_labels_head(
        rows,
        labels,
        args.head,
        kind=args.label_type,
        base_model=base_model,
        log=log,
        name_penalty=name_penalty,
        replace_head=args.replace,
    )
    runs.write_model(model, out)
    return Trained(
        model, label_runs.format_cv(args.head, manifest["metrics"][f"{args.head}/user_cv"])
    )
