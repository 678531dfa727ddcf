"""``framing evaluate --data FILE --head NAME``: a head's accuracy and calibration on a
labelled file."""

from __future__ import annotations

import sys

from framing import strict, tables
from framing.cli.common import open_input, printable
from framing.cli.terms import add_terms, load_cli_model
from framing.tables.labelled import labelled_texts

__all__ = ["add_parser", "run"]


def add_parser(sub, common) -> None:
    """The ``evaluate`` command's options."""
    p = sub.add_parser("evaluate", parents=[common], help="evaluate a head on your labelled file")
    p.add_argument("--data", required=True, help="CSV/TSV/JSONL/Parquet with text and label")
    p.add_argument(
        "--format",
        choices=tables.OUTPUT_FORMATS,
        help="format of --data (default: from the extension)",
    )
    p.add_argument("--head", required=True, help="head to evaluate, e.g. clickbait")
    p.add_argument("--text-col", default="text")
    p.add_argument("--label-col", default="label")
    p.add_argument("--threshold", type=float, help="label threshold (default: the head's)")
    p.add_argument("--json", action="store_true")
    add_terms(p)
    p.set_defaults(func=run)


def run(args) -> int:
    """Run ``framing evaluate``; the exit code."""
    from framing.training.binary import protocols  # scikit-learn: imported when evaluating only

    model = load_cli_model(args)
    head = model[args.head]
    fmt = tables.format_of(args.data, args.format)
    opener, _ = open_input(args.data)
    with opener as binary:
        stats = tables.ReadStats()
        rows = [r for chunk in tables.read_chunks(binary, fmt, stats=stats) for r in chunk]
    texts, target, empty = labelled_texts(rows, args.text_col, args.label_col, stats.columns)
    if empty:
        print(f"framing: left out {empty} rows with empty text", file=sys.stderr)
    proba = head.predict_proba(texts)[:, 0]
    threshold = head.threshold if args.threshold is None else args.threshold
    metrics = protocols.binary_metrics(proba, target, threshold)
    table = protocols.reliability_table(proba, target)
    if args.json:
        report = {
            "head": args.head,
            "file": str(args.data),
            "threshold": threshold,
            "metrics": metrics,
            "reliability": table,
        }
        print(strict.dumps(report, indent=2))
        return 0
    print(
        printable(f"head {args.head} on {args.data}")
        + f" ({metrics['n']:,} rows, threshold {threshold:.2f})"
    )
    for k in ("accuracy", "macro_f1", "f1", "roc_auc", "mse"):
        print(f"  {k:<9} {metrics[k]:.4f}")
    print("calibration (mean predicted vs observed rate per probability bin):")
    print(f"  {'bin':<9} {'n':>7} {'predicted':>10} {'observed':>9}")
    for r in table:
        print(f"  {r['bin']:<9} {r['n']:>7} {r['mean_predicted']:>10.3f} {r['observed']:>9.3f}")
    return 0
