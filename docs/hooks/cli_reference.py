"""MkDocs hook: the command-line reference, generated from the argument parsers at build time.

The page ``reference/cli.md`` holds the marker ``<!-- cli-reference -->``; this hook replaces
it with the ``--help`` text of ``framing`` and of each of its commands, as
``framing.cli.main.build_parser()`` builds them, so the reference can never drift from the
code. Nothing here is copied by hand.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

MARKER = "<!-- cli-reference -->"
PAGE = "reference/cli.md"
WIDTH = "100"  # the help text's line width, fixed so the page does not depend on the terminal
SRC = Path(__file__).resolve().parents[2] / "src"


def render_reference() -> str:
    """The Markdown of the reference: ``framing --help``, then one section per command."""
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))  # the checkout being documented, not another install
    from framing.cli.main import build_parser

    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = WIDTH
    try:
        parser = build_parser()
        parts = ["## framing", "", _block(parser.format_help())]
        for name, sub in _commands(parser).items():
            parts += [f"## framing {name}", "", _block(sub.format_help())]
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved
    return "\n".join(parts)


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse keeps its sub-commands in this action only
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _block(text: str) -> str:
    return f"```text\n{text.rstrip()}\n```\n"


def on_page_markdown(markdown: str, page, **kwargs) -> str:
    """MkDocs event: fill the marker of the CLI reference page."""
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise ValueError(f"{PAGE} lost its marker {MARKER}")
    return markdown.replace(MARKER, render_reference())
