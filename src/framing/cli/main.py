"""The ``framing`` command: score files, explain a text, show the model, train and evaluate.

framing score headlines.csv -o scored.csv      # CSV, TSV, JSONL, Parquet or .txt; - = stdin
framing explain "You won't believe what happened next"
framing info
framing train --user-data labels.csv --head partisan --out my_model/
framing evaluate --data labelled.csv --head clickbait
"""

from __future__ import annotations

import argparse
import os
import sys

from framing.cli import (
    convert,
    evaluate,
    explain,
    feedback,
    info,
    score,
    serve,
    suggest,
    train,
)
from framing.cli.common import (
    EXIT_BROKEN_PIPE,
    EXIT_FATAL,
    EXIT_INTERRUPTED,
    os_error_message,
    printable,
)
from framing.errors import FramingError

__all__ = ["build_parser", "main"]

HELP = """Score news headlines and articles for sensational and loaded language, and see which
words drove each score.

    framing score headlines.csv -o scored.csv      # CSV, TSV, JSONL, Parquet or .txt; - = stdin
    framing explain "You won't believe what happened next"
    framing suggest "North Korean despot slams talks"
    framing info
    framing serve                                  # an HTTP API on 127.0.0.1
    framing train --user-data labels.csv --head partisan --out my_model/
    framing evaluate --data labelled.csv --head clickbait
    framing feedback add "Despot slams talks" --word despot --label loaded

Run framing COMMAND --help for a command's options."""

COMMANDS = (score, explain, suggest, info, train, evaluate, convert, serve, feedback)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command."""
    parser = argparse.ArgumentParser(
        prog="framing", description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter
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

    A :class:`~framing.errors.FramingError`, an OS error, running out of memory or any other
    unexpected error becomes one ``framing: error:`` line on stderr and exit code 2
    (``FRAMING_TRACEBACK=1`` shows the traceback of an unexpected one); Ctrl-C exit code
    130; a closed pipe on stdout (``framing score big.csv | head``) ends quietly with exit
    code 141, as a process killed by SIGPIPE would."""
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except FramingError as exc:
        _error(str(exc))
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        _error(os_error_message(exc, args))
    except KeyboardInterrupt:
        print("framing: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except MemoryError:
        _error(
            "out of memory; lower --chunk-chars or --chunk-size (framing score), or "
            "--max-chars, or use fewer --workers (see the README's memory figures)"
        )
    except Exception as exc:  # a bug: one line, the traceback on request
        if os.environ.get("FRAMING_TRACEBACK"):
            raise
        _error(
            f"unexpected {type(exc).__name__}: {exc} (a bug in framing: please report it; "
            "FRAMING_TRACEBACK=1 shows where)"
        )
    return EXIT_FATAL


def _error(message: str) -> None:
    print(f"framing: error: {printable(message)}", file=sys.stderr)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit raises nothing more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
