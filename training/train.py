"""Retrain the shipped model (its manifest, card and the docs' evaluation page) from the data:
the ``clickbait`` and ``loaded`` heads and the framing heads (``technique``, ``frame``).

    python training/train.py                       # evaluate + train, write src/framing/resources
    python training/train.py --skip-eval --out DIR # train only
    python training/train.py --user-data my.csv --head partisan --out DIR  # your own labels
    python training/train.py --user-data frames.csv --head gvfc --label-type multiclass --out DIR

The data folder is --data-dir, else $FRAMING_DATA_DIR, else ../shared/data.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from framing.core.model import default_model_dir
from framing.errors import FramingError
from framing.training import card, datasets, framing_card, label_datasets, label_runs, runs
from framing.training.naming import check_output_folder
from framing.training.options import (
    add_feedback_arguments,
    add_training_arguments,
    check_name_penalty,
)

# The docs site's evaluation page: the tables between its markers are written here (the text
# around them is written by hand); the README is never written by training.
EVALUATION_PAGE = Path(__file__).resolve().parents[1] / "docs" / "evaluation.md"
START, END = "<!-- evaluation:start -->", "<!-- evaluation:end -->"
FRAMING_START, FRAMING_END = "<!-- framing-evaluation:start -->", "<!-- framing-evaluation:end -->"


def update_evaluation_page(table: str, start: str = START, end: str = END) -> None:
    """Replace the evaluation page's text between the markers ``start`` and ``end`` with
    ``table``."""
    if not EVALUATION_PAGE.is_file() or not table.strip():
        return
    text = EVALUATION_PAGE.read_text(encoding="utf-8")
    if start in text and end in text:
        head, rest = text.split(start, 1)
        tail = rest.split(end, 1)[1]
        EVALUATION_PAGE.write_text(f"{head}{start}\n{table}\n{end}{tail}", encoding="utf-8")


def framing_figures(model) -> str:
    """The framing heads' figures for the evaluation page: the summary beside the plain
    baseline, and each technique's precision and recall on PTC dev."""
    metrics = model.manifest.get("metrics", {})
    summary = framing_card.framing_table(metrics)
    per_technique = framing_card.technique_table(model, metrics)
    return f"{summary}\n\n{per_technique}" if summary and per_technique else summary


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--out", default=str(default_model_dir()), help="output folder")
    add_training_arguments(p)
    p.add_argument(
        "--label-type",
        choices=["binary", "multiclass", "multilabel"],
        default="binary",
        help="binary: 0/1 or a grade in [0, 1] (default); multiclass: one label name per row;\n"
        "multilabel: label names joined by --label-sep (empty = none)",
    )
    p.add_argument("--label-sep", default=",", help="separator of multi-label names (default ,)")
    p.add_argument("--base-model", help="model to add the user head to (default: shipped)")
    p.add_argument(
        "--only",
        choices=["clickbait", "loaded"],
        help="train and evaluate one default head, the other taken from the shipped model\n"
        "(development; a release trains both)",
    )
    add_feedback_arguments(p)
    args = p.parse_args(argv)
    out = Path(args.out)
    try:
        name_penalty = check_name_penalty(args)
        if args.user_data or out.resolve() != default_model_dir().resolve():
            check_output_folder(out, force=args.force)
        if args.feedback:
            from framing.training.feedback_runs import run_feedback

            if out.resolve() == default_model_dir().resolve():
                raise FramingError("--feedback writes a new model: give --out DIR")
            run_feedback(args, out, base_model=args.base_model)
            print(f"wrote {out}", file=sys.stderr)
            return 0
        if args.user_data:
            if not args.head:
                raise FramingError("--user-data needs --head NAME (the new head's name)")
            path = Path(args.user_data)
            if args.label_type != "binary":
                rows, labels, log = label_datasets.read_user_labels(
                    path.read_bytes(),
                    path.name,
                    args.text_col,
                    args.label_col,
                    kind=args.label_type,
                    sep=args.label_sep,
                )
                for line in log:
                    print(line, file=sys.stderr)
                model, manifest = label_runs.train_user_labels_head(
                    rows,
                    labels,
                    args.head,
                    kind=args.label_type,
                    base_model=args.base_model,
                    name_penalty=name_penalty,
                    replace_head=args.replace,
                )
                print(label_runs.format_cv(args.head, manifest["metrics"][f"{args.head}/user_cv"]))
                runs.write_model(model, out)
                print(f"wrote {out}", file=sys.stderr)
                return 0
            runs.retrain_user_file(
                path,
                args.head,
                out,
                text_col=args.text_col,
                label_col=args.label_col,
                base_model=args.base_model,
                n_jobs=args.jobs,
                name_penalty=name_penalty,
                replace_head=args.replace,
            )
        else:
            data_dir = datasets.resolve_data_dir(args.data_dir)
            model = runs.retrain_default(
                data_dir,
                out,
                evaluate_heads=not args.skip_eval,
                sample=args.sample,
                n_jobs=args.jobs,
                only=args.only,
            )
            if out.resolve() == default_model_dir().resolve() and not args.only:
                update_evaluation_page(card.evaluation_table(model.manifest.get("metrics", {})))
                update_evaluation_page(framing_figures(model), FRAMING_START, FRAMING_END)
            print(card.evaluation_table(model.manifest.get("metrics", {})))
            print(framing_figures(model))
        print(f"wrote {out}", file=sys.stderr)
        return 0
    except (FramingError, OSError) as exc:
        print(f"train: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
