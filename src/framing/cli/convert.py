"""``framing convert OLD_DIR NEW_DIR``: a model folder of an earlier version (a pickle) written
again in the data-only format. Reading the old file unpickles it once: convert only models
you trust."""

from __future__ import annotations

import sys
import warnings

from framing.cli.common import printable
from framing.core.convert import ConvertWarning, convert_model

__all__ = ["add_parser", "run"]


def add_parser(sub, common) -> None:
    """The ``convert`` command's options."""
    p = sub.add_parser(
        "convert",
        help="convert a model folder of an earlier framing (a pickle) to the data-only format",
        description="Write a model folder of an earlier version (a pickle) again in the "
        "data-only format. Reading the old file unpickles it once: convert only models you "
        "trust.",
    )
    p.add_argument("old", metavar="OLD_DIR", help="the old model folder (model.pkl.zlib)")
    p.add_argument("new", metavar="NEW_DIR", help="the folder to write (new or empty)")
    p.set_defaults(func=run)


def run(args) -> int:
    """Run ``framing convert``; the exit code."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvertWarning)
        model = convert_model(args.old, args.new)
    for w in caught:
        print(f"framing: warning: {printable(str(w.message))}", file=sys.stderr)
    heads = ", ".join(model.heads)
    print(printable(f"framing: wrote {args.new} (heads: {heads})"), file=sys.stderr)
    return 0
