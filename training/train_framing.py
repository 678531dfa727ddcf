"""Evaluate and train the framing heads (``technique`` per sentence, ``frame`` per article)
and add them to a copy of a model. ``training/train.py`` trains them into the shipped model;
this script adds them (again) to another model, e.g. after a change of their recipe.

    python training/train_framing.py --out DIR             # evaluate + train, write DIR
    python training/train_framing.py --skip-eval --out DIR # train only
    python training/train_framing.py --sample 40 --out DIR # smoke run on 40 articles per source

The base model is --base-model, else the shipped one. The data folder is --data-dir, else
$FRAMING_DATA_DIR, else ../shared/data. Prints the evaluation report (ours beside the plain
baseline of the same run) on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from framing.core.model import ARTIFACT_NAME, load_model
from framing.errors import FramingError
from framing.training.binary import datasets, runs
from framing.training.multilabel import runs as label_runs


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument(
        "--data-dir", help=f"data folder (default ${datasets.DATA_ENV} or ../shared/data)"
    )
    p.add_argument("--out", required=True, help="output model folder")
    p.add_argument("--base-model", help="model to add the heads to (default: the shipped one)")
    p.add_argument("--skip-eval", action="store_true", help="train without the evaluation")
    p.add_argument("--sample", type=int, help="at most N articles per source (smoke runs)")
    p.add_argument("--jobs", type=int, default=2, help="labels fitted at once (default 2)")
    args = p.parse_args(argv)
    out = Path(args.out)
    try:
        data_dir = datasets.resolve_data_dir(args.data_dir)
        heads, fragment = label_runs.train_technique_and_frame_heads(
            data_dir,
            evaluate_heads=not args.skip_eval,
            sample_articles=args.sample,
            n_jobs=args.jobs,
        )
        if fragment["metrics"]:
            print(label_runs.format_report(fragment["metrics"]))
        model = label_runs.add_heads(load_model(args.base_model), heads, fragment)
        runs.write_model_and_card(model, out)
        size = (out / ARTIFACT_NAME).stat().st_size
        print(f"wrote {out} (artifact {size / 1e6:.1f} MB)", file=sys.stderr)
        return 0
    except (FramingError, OSError) as exc:
        print(f"train_framing: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
