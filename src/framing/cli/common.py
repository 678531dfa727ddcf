"""What every command shares: exit codes, opening inputs, and text safe for a terminal."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from pathlib import Path

from framing import strict
from framing.errors import InputError
from framing.explanation.guards import MAX_BODY_CHARS, cut_point

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_FATAL",
    "EXIT_INTERRUPTED",
    "EXIT_STRICT",
    "FILE_ARGS",
    "NamedOutput",
    "open_input",
    "os_error_message",
    "paint",
    "printable",
    "read_text",
    "safe_json",
    "use_color",
]

EXIT_FATAL = 2
EXIT_INTERRUPTED = 130
EXIT_STRICT = 1  # `score --strict`: the run completed, but a row has an error
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: the reader of stdout went away
# C0 and C1 control characters, DEL, and the characters that reorder or hide text (bidi
# marks, overrides and isolates, line and paragraph separators)
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    ch = match.group()
    shown = repr(ch)[1:-1]
    return shown if shown != ch else f"\\u{ord(ch):04x}"


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters (escape sequences, carriage
    returns, newlines, tabs, bells, bidi overrides) shown as escapes such as ``\\x1b`` or
    ``\\n``, so nothing in it can move the cursor, restyle the terminal or fake a line."""
    return _CONTROL_RE.sub(_escape, text)


# what strict.dumps(ensure_ascii=False) leaves raw (it escapes C0 itself, and writes none of
# these outside strings)
_JSON_UNSAFE_RE = re.compile("[\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def safe_json(obj, **kwargs) -> str:
    """``strict.dumps(obj, ensure_ascii=False, **kwargs)`` (strict JSON) safe to print on a
    terminal: the control and bidi characters JSON leaves raw are written as ``\\uXXXX``
    escapes (the same JSON value)."""
    text = strict.dumps(obj, ensure_ascii=False, **kwargs)
    return _JSON_UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def use_color(choice: str = "auto", stream=None) -> bool:
    """Whether to colour output: ``choice`` ``"always"``, ``"never"``, or ``"auto"``: when
    ``stream`` (default stdout) is a terminal and ``NO_COLOR`` is not set (no-color.org)."""
    stream = sys.stdout if stream is None else stream
    return choice == "always" or (
        choice == "auto" and stream.isatty() and not os.environ.get("NO_COLOR")
    )


def paint(text: str, code: str, on: bool) -> str:
    """``text`` in an ANSI colour/style ``code`` when ``on``."""
    return f"\033[{code}m{text}\033[0m" if on else text


# the arguments that name the files a command reads or writes
FILE_ARGS = ("input", "output", "body_file", "data", "user_data", "out", "old", "new")


def os_error_message(exc: OSError, args=None) -> str:
    """One line for an OS error, always naming a file: the one it carries, else the files the
    command reads and writes (an error from reading or writing an open file names none)."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename is not None:
        return f"{reason}: {exc.filename}"
    names = []
    for key in FILE_ARGS:
        value = getattr(args, key, None)
        if isinstance(value, str) and value:
            names.append(value if value != "-" else "stdin" if key == "input" else "stdout")
    return f"{reason} (reading or writing {', '.join(names)})" if names else reason


class NamedOutput:
    """An output file object whose write errors (a full disk) name ``path``."""

    def __init__(self, fh, path: str):
        self._fh = fh
        self._path = path

    def write(self, data):
        try:
            return self._fh.write(data)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror or str(exc), self._path) from None

    def flush(self):
        try:
            return self._fh.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror or str(exc), self._path) from None

    def __getattr__(self, name):
        return getattr(self._fh, name)


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


def read_text(source: str, what: str, limit: int = MAX_BODY_CHARS) -> str:
    """The text of a file (``-``: stdin) given on the command line, read up to ``limit``
    characters (the body limit of :mod:`framing.explanation.guards`) and never further: a
    longer input is cut by the guards' rule, with a warning on stderr that says so, so
    ``/dev/zero`` or a multi-gigabyte file costs no more than the limit."""
    try:
        if source == "-":
            text = sys.stdin.read(limit + 1)
        else:
            with open(source, encoding="utf-8-sig") as fh:
                text = fh.read(limit + 1)
    except FileNotFoundError:
        raise InputError(f"no such file: {source}") from None
    except IsADirectoryError:
        raise InputError(f"{source} is a folder; give a file") from None
    except UnicodeDecodeError as exc:
        name = "stdin" if source == "-" else source
        raise InputError(f"{name} is not UTF-8 text ({exc})") from None
    if len(text) > limit:
        text = text[: cut_point(text, limit)]
        name = "stdin" if source == "-" else printable(source)
        print(
            f"framing: warning: {what} ({name}) holds more than {limit:,} characters, the "
            f"limit: only its first {len(text):,} were read and explained",
            file=sys.stderr,
        )
    return text
