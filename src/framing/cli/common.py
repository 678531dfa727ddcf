"""What every command shares: exit codes, opening inputs, and text safe for a terminal."""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path

from framing.errors import InputError

__all__ = ["EXIT_FATAL", "EXIT_INTERRUPTED", "open_input", "paint", "printable"]

EXIT_FATAL = 2
EXIT_INTERRUPTED = 130
# C0 and C1 control characters, DEL, and the characters that reorder or hide text (bidi
# overrides and isolates, line and paragraph separators)
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str, *, newlines: bool = False) -> str:
    """``text`` safe to print on a terminal: control characters (escape sequences, carriage
    returns, bells, bidi overrides) shown escaped, e.g. ``\\x1b``; tabs kept, and newlines
    too when ``newlines`` (else shown as ``\\n``), so text cannot fake another line."""
    if not newlines:
        text = text.replace("\n", "\\n")
    return _CONTROL_RE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def paint(text: str, code: str, on: bool) -> str:
    """``text`` in an ANSI colour/style ``code`` when ``on``."""
    return f"\033[{code}m{text}\033[0m" if on else text


def open_input(path: str):
    """A context manager of the binary input (``-``: stdin) and its size in bytes (or None)."""
    if path == "-":
        return contextlib.nullcontext(sys.stdin.buffer), None
    p = Path(path)
    if not p.exists():
        raise InputError(f"no such file: {path}")
    if p.is_dir():
        raise InputError(f"{path} is a folder; give a file")
    return open(p, "rb"), p.stat().st_size  # noqa: SIM115
