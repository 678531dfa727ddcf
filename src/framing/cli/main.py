"""The ``framing`` command: score files, explain a text, show the model, train and evaluate.

    framing score headlines.csv -o scored.csv      # CSV, TSV, JSONL, Parquet or .txt; - = stdin
    framing explain "You won't believe what happened next"
    framing info
    framing train --user-data labels.csv --head partisan --out my_model/
    framing evaluate --data labelled.csv --head clickbait

A thin layer: one module per command parses its options and calls the library.
"""

from __future__ import annotations

import argparse
import sys

from framing.cli import convert, evaluate, explain, info, score, suggest, train
from framing.cli.common import EXIT_FATAL, EXIT_INTERRUPTED
from framing.errors import FramingError

__all__ = ["build_parser", "main"]

COMMANDS = (score, explain, suggest, info, train, evaluate, convert)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command."""
    parser = argparse.ArgumentParser(
        prog="framing", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    model_help = "model folder or artifact (default: $FRAMING_MODEL, else the shipped model)"
    parser.add_argument("--model", help=model_help)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--model", default=argparse.SUPPRESS, help=model_help)
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command in ``argv`` (default: the process's arguments); the exit code.

    A :class:`~framing.errors.FramingError` or an OS error becomes one ``framing: error:``
    line on stderr and exit code 2; Ctrl-C exit code 130."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except FramingError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
    except OSError as exc:
        print(
            f"framing: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
            file=sys.stderr,
        )
    except KeyboardInterrupt:
        print("framing: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_FATAL
