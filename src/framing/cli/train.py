"""``framing train``: retrain the default model, or train a head on your own labels."""

from __future__ import annotations

import sys
from pathlib import Path

from framing.cli.common import printable
from framing.errors import InputError
from framing.training.naming import check_output_folder
from framing.training.options import (
    add_feedback_arguments,
    add_training_arguments,
    check_name_penalty,
)

__all__ = ["add_parser", "run"]


def add_parser(sub, common) -> None:
    """The ``train`` command's options."""
    p = sub.add_parser("train", parents=[common], help="retrain the model or train your own head")
    p.add_argument("--out", required=True, help="folder to write the model into")
    add_training_arguments(p)
    p.add_argument("--base-model", help="model to add the user head to (default: --model)")
    add_feedback_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    """Run ``framing train``; the exit code."""
    from framing.training import datasets, runs  # scikit-learn: imported when training only

    out = Path(args.out)
    name_penalty = check_name_penalty(args)
    check_output_folder(out, force=args.force)
    if args.feedback:
        from framing.training.feedback_runs import run_feedback

        run_feedback(args, out, base_model=args.base_model or args.model)
    elif args.user_data:
        if not args.head:
            raise InputError("--user-data needs --head NAME (the new head's name)")
        runs.retrain_user_file(
            Path(args.user_data),
            args.head,
            out,
            text_col=args.text_col,
            label_col=args.label_col,
            base_model=args.base_model or args.model,
            n_jobs=args.jobs,
            name_penalty=name_penalty,
            replace_head=args.replace,
        )
    else:
        if args.head or args.replace:
            raise InputError("--head and --replace go with --user-data")
        runs.retrain_default(
            datasets.resolve_data_dir(args.data_dir),
            out,
            evaluate_heads=not args.skip_eval,
            sample=args.sample,
            n_jobs=args.jobs,
        )
    print(f"framing: wrote {printable(str(out))}", file=sys.stderr)
    return 0
