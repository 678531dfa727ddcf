"""Reading text lines without holding an over-long one in memory.

A line longer than the limit is skipped in pieces: the reader learns its length (and, for
CSV, the characters that decide where the record ends) without ever holding all of it, so a
1 GB line costs no more memory than the limit.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from framing.errors import InputError

__all__ = ["Line", "LineFeed", "capped_lines"]

_PIECE = 1 << 20
SKELETON_CHARS = 1_000_000  # the most a skipped line's skeleton may hold (see LineFeed)
_ENDS = ("\n", "\r")


@dataclass(slots=True)
class Line:
    """One physical line: its text (None when it was too long to keep), its length, and for
    a skipped line its skeleton (see :class:`LineFeed`)."""

    text: str | None
    length: int
    skeleton: str = ""


def capped_lines(text: IO[str], limit: int, skeleton: re.Pattern | None = None) -> Iterator[Line]:
    """The lines of ``text`` (line ends kept), each at most ``limit`` characters before its
    line end; a longer line is read in pieces and given as ``Line(None, length, skeleton)``,
    the skeleton being ``skeleton.sub("x", piece)`` of its pieces (see :class:`LineFeed`)."""
    skip_lf = False
    size = limit + 1 if limit < sys.maxsize else -1
    while True:
        line = text.readline(size)
        if not line:
            return
        if skip_lf and line == "\n":  # the \n of a \r\n cut by the size limit
            skip_lf = False
            continue
        skip_lf = False
        ends = line.endswith(_ENDS)
        if len(line) <= limit or (ends and len(line) == limit + 1):
            skip_lf = ends and line.endswith("\r") and len(line) == limit + 1
            yield Line(line, len(line))
            continue
        length = len(line)
        parts = [skeleton.sub("x", line)] if skeleton else []
        kept = len(parts[0]) if parts else 0
        while not line.endswith(_ENDS):
            line = text.readline(_PIECE)
            if not line:
                break
            length += len(line)
            if skeleton:
                parts.append(skeleton.sub("x", line))
                kept += len(parts[-1])
                if kept > max(limit, SKELETON_CHARS):
                    raise InputError(
                        f"a line of over {kept:,} quotes and separators: it cannot be "
                        "skipped safely; split or fix the file"
                    )
        skip_lf = line.endswith("\r")
        yield Line(None, length, "".join(parts))


class LineFeed:
    """The lines a ``csv.reader`` reads, with a budget of characters per record.

    While a record is within ``limit`` characters its lines are passed as they are; past the
    budget (a long line, or many lines of one quoted field), the rest of the record is passed
    as its *skeleton*: each run of characters other than quotes, the delimiter and line ends
    becomes one ``x``. The csv state machine treats a run of ordinary characters as it treats
    one, so the skeleton ends the record exactly where the text would, without holding it.
    Check :attr:`over` after each record, then call :meth:`next_record`. A record returned
    once :attr:`eof` is set was ended by the end of the text, not of a line: the file ends
    inside a quoted field (a quote never closed).
    """

    def __init__(self, text: IO[str], limit: int, delimiter: str):
        self.text = text
        self.limit = limit
        self.used = 0
        self.over = False
        self.eof = False  # the text has ended (set when the reader asks for a line past it)
        self.pattern = re.compile(f'[^"{re.escape(delimiter)}\r\n]+')

    def next_record(self) -> None:
        """Start counting the next record."""
        self.used = 0
        self.over = False

    def __iter__(self) -> Iterator[str]:
        for line in capped_lines(self.text, self.limit, self.pattern):
            self.used += line.length
            if line.text is not None and not self.over and self.used <= self.limit:
                yield line.text
                continue
            self.over = True
            yield line.skeleton if line.text is None else self.pattern.sub("x", line.text)
        self.eof = True
