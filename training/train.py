"""Retrain the shipped model (its manifest, card and the docs' evaluation page) from the data:
the ``clickbait`` and ``loaded`` heads and the technique and frame heads.

    python training/train.py                       # evaluate + train, write src/framing/resources
    python training/train.py --skip-eval --out DIR # train only
    python training/train.py --user-data my.csv --head partisan --out DIR  # your own labels
    python training/train.py --user-data frames.csv --head gvfc --label-type multiclass --out DIR
    python training/train.py --feedback marks.db --out DIR  # fold readers' corrections in

A thin script over :func:`framing.training.options.train_from_options`, the front door
``framing train`` uses too (the same options). The data folder is --data-dir, else
$FRAMING_DATA_DIR, else ../shared/data.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from framing.core.model import default_model_dir
from framing.errors import FramingError
from framing.training.multilabel.card import technique_and_frame_figures
from framing.training.options import add_training_arguments, train_from_options

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


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--out", default=str(default_model_dir()), help="output folder")
    add_training_arguments(p)  # the options of `framing train`
    args = p.parse_args(argv)
    out = Path(args.out)
    try:
        trained = train_from_options(args, out, shipped_folder=True)
    except (FramingError, OSError) as exc:
        print(f"train: error: {exc}", file=sys.stderr)
        return 2
    shipped = out.resolve() == default_model_dir().resolve()
    if not args.user_data and not args.feedback and shipped and not args.only:
        from framing.training.binary import card

        update_evaluation_page(card.evaluation_table(trained.model.manifest.get("metrics", {})))
        update_evaluation_page(
            technique_and_frame_figures(trained.model), FRAMING_START, FRAMING_END
        )
    if trained.report:
        print(trained.report)
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
