"""Command line: ``framing score FILE`` scores headlines with the shipped model."""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import sys

from .errors import FramingError


def _read_headlines(path: str) -> tuple[list[dict], str]:
    fh = sys.stdin if path == "-" else open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
    with contextlib.nullcontext(fh) if path == "-" else fh:
        if path.endswith((".csv", ".tsv")):
            rows = list(csv.DictReader(fh, delimiter="\t" if path.endswith(".tsv") else ","))
            if not rows:
                return [], "headline"
            for col in ("headline", "title", "text"):
                if col in rows[0]:
                    return rows, col
            raise FramingError(
                f"{path}: no headline column; columns are {list(rows[0])}. "
                "Name one 'headline', 'title' or 'text'"
            )
        return [{"headline": line.rstrip("\r\n")} for line in fh], "headline"


def _cmd_score(args) -> int:
    from .model import load_model

    model = load_model(args.model)
    rows, col = _read_headlines(args.input)
    heads = [h for h in ("clickbait", "loaded") if h in model.heads]
    texts = [r[col] or "" for r in rows]
    out = sys.stdout if args.output == "-" else open(args.output, "w", newline="")  # noqa: SIM115
    with contextlib.nullcontext(out) if args.output == "-" else out:
        fields = list(rows[0]) if rows else [col]
        fields += [f"{h}_probability" for h in heads]
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        probs = {h: model[h].predict_proba(texts)[:, 0] for h in heads}
        for i, row in enumerate(rows):
            writer.writerow({**row, **{f"{h}_probability": f"{probs[h][i]:.4f}" for h in heads}})
    return 0


def _cmd_info(args) -> int:
    from .model import load_model

    model = load_model(args.model)
    print(json.dumps(model.manifest, indent=2, sort_keys=True))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="framing", description=__doc__)
    parser.add_argument("--model", help="model folder or artifact (default: the shipped model)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("score", help="score a file of headlines (one per line, or CSV)")
    p.add_argument("input", help="a .txt file with one headline per line, a .csv/.tsv, or -")
    p.add_argument("-o", "--output", default="-", help="output CSV (default: stdout)")
    p.set_defaults(func=_cmd_score)
    p = sub.add_parser("info", help="show the model's manifest")
    p.set_defaults(func=_cmd_info)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except FramingError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
        return 2
