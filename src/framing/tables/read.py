"""Reading row files: CSV, TSV, JSONL, Parquet and plain text, in bounded chunks.

Readers take open binary file objects and yield lists of :class:`Row`; a row that cannot be
read properly (undecodable bytes, a malformed JSON line, a non-object JSON value) is still
yielded, with its ``error`` set, so that nothing is dropped.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from framing import strict
from framing.errors import InputError, require_at_least
from framing.tables.formats import FORMATS, pyarrow_module
from framing.tables.lines import LineFeed, capped_lines

__all__ = [
    "UNDECODABLE",
    "ReadStats",
    "Row",
    "chunked",
    "clean_surrogates",
    "read_chunks",
    "row_chars",
    "text_of",
]

UNDECODABLE = "undecodable bytes"


@dataclass(slots=True)
class Row:
    """One input record: its fields in input order, and why it is unusable (or None)."""

    fields: dict
    error: str | None = None
    line: int = 0  # 1-based line (text formats) or row number (Parquet) where it starts


@dataclass(slots=True)
class ReadStats:
    """What a reader found: the columns (set before the first chunk), the JSONL keys first seen
    after the first chunk, and the column types of a Parquet input (pyarrow types)."""

    columns: list[str] = field(default_factory=list)
    late_columns: list[str] = field(default_factory=list)  # JSONL keys first seen after chunk 1
    types: dict = field(default_factory=dict)  # Parquet input: column -> pyarrow type
    warnings: list[str] = field(default_factory=list)  # about the whole input (not one row)


def text_of(value, column: str) -> tuple[str, str | None]:
    """A cell as text to score, and why it cannot be (None when it can): missing cells are
    empty text, numbers are written out, lists, objects, bytes and booleans are refused."""
    if value is None:
        return "", None
    if isinstance(value, str):
        problem = strict.text_problem(value)
        return (value, None) if problem is None else ("", f"field {column!r} is {problem}")
    if isinstance(value, (bool, dict, list, bytes)):
        return "", f"field {column!r} is {type(value).__name__}, not text"
    return str(value), None


_has_surrogates = strict.has_surrogates
clean_surrogates = strict.replace_surrogates  # undecodable bytes and lone surrogates as U+FFFD


def _text_stream(binary: IO[bytes], encoding: str) -> io.TextIOWrapper:
    enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    return io.TextIOWrapper(binary, encoding=enc, errors="surrogateescape", newline="")


# byte order marks of the encodings whose text a UTF-8 reader would take as NUL-interleaved
# garbage (UTF-32 first: its little-endian mark starts with UTF-16's)
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32", "utf-32"),
    (codecs.BOM_UTF32_BE, "UTF-32", "utf-32"),
    (codecs.BOM_UTF16_LE, "UTF-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "UTF-16", "utf-16"),
)
_SNIFF_BYTES = 4096


def _head(binary: IO[bytes]) -> bytes:
    """The first bytes of ``binary``, left unread (b"" when it can neither seek nor peek)."""
    try:
        if binary.seekable():
            start = binary.tell()
            head = binary.read(_SNIFF_BYTES)
            binary.seek(start)
            return head
    except (OSError, ValueError):
        pass
    peek = getattr(binary, "peek", None)
    return peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if peek is not None else b""


def _check_encoding(binary: IO[bytes], encoding: str) -> None:
    """Refuse (``InputError``) text in UTF-16 or UTF-32 about to be read as UTF-8: it starts
    with their byte order mark, or a quarter of its first 4,096 bytes are NUL (which text in
    UTF-8 all but never holds, and UTF-16 text of ASCII letters is half made of). Read as
    UTF-8 it would be rows of NUL-interleaved garbage."""
    if codecs.lookup(encoding).name not in ("utf-8", "utf-8-sig"):
        return
    head = _head(binary)
    for bom, name, option in _WIDE_BOMS:
        if head.startswith(bom):
            raise InputError(
                f"the input is {name} text (it starts with the byte order mark "
                f"{bom.hex(' ').upper()}), not UTF-8: save it as UTF-8, or pass "
                f"--encoding {option}"
            )
    nuls = head.count(0)
    if nuls >= 2 and nuls * 4 >= len(head):
        raise InputError(
            f"the input holds NUL bytes ({nuls:,} of its first {len(head):,} bytes): it looks "
            "like UTF-16 or UTF-32 text, not UTF-8; save it as UTF-8, or pass --encoding "
            "utf-16-le, utf-16-be or utf-32"
        )


def _decode_check(fields: dict, encoding: str) -> str | None:
    bad = [k for k, v in fields.items() if isinstance(v, str) and _has_surrogates(v)]
    if not bad:
        return None
    for k in bad:
        fields[k] = clean_surrogates(fields[k])
    return f"{UNDECODABLE} in {', '.join(map(str, bad))} (not valid {encoding}; try --encoding)"


def read_chunks(
    binary: IO[bytes],
    fmt: str,
    *,
    encoding: str = "utf-8",
    chunk_size: int = 10_000,
    chunk_chars: int | None = None,
    max_row_chars: int | None = None,
    stats: ReadStats | None = None,
) -> Iterator[list[Row]]:
    """Rows of ``binary`` in chunks; ``stats.columns`` is set before the first chunk.

    Args:
        binary: the open input (binary mode).
        fmt: ``csv``, ``tsv``, ``jsonl``, ``txt`` or ``parquet``.
        encoding: of text formats (UTF-8 with or without BOM by default).
        chunk_size: at most this many rows per chunk.
        chunk_chars: a chunk ends once its rows hold this many characters (None: no limit),
            so that memory is bounded by the text, not by the rows.
        max_row_chars: a row (a JSONL or text line, a CSV/TSV record) longer than this is a
            row error, skipped without being held in memory (None: no limit; Parquet cells
            are always read whole).
        stats: filled with the columns (a JSONL file that can be read twice is read once
            first for the keys of every line) and the JSONL keys first seen after the first
            chunk (only when reading a stream such as stdin).
    """
    for name, value in (
        ("chunk_size", chunk_size),
        ("chunk_chars", chunk_chars),
        ("max_row_chars", max_row_chars),
    ):
        if value is not None:
            require_at_least(name, value)
    stats = stats if stats is not None else ReadStats()
    if fmt != "parquet":
        try:
            codecs.lookup(encoding)
        except (LookupError, TypeError):
            raise InputError(f"unknown encoding {encoding!r} (--encoding)") from None
        _check_encoding(binary, encoding)
    limit = max_row_chars or sys.maxsize
    on_first = None
    if fmt in ("csv", "tsv"):
        rows = _read_delimited(binary, fmt, encoding, limit, stats)
    elif fmt == "jsonl":
        keys = _KeyStats(stats)
        rows = _read_jsonl(binary, encoding, limit, keys)
        on_first = keys.first_chunk
    elif fmt == "txt":
        rows = _read_text(binary, encoding, limit, stats)
    elif fmt == "parquet":
        rows = _read_parquet(binary, chunk_size, stats)
    else:
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    yield from chunked(rows, chunk_size, chunk_chars, on_first)


def row_chars(row: Row) -> int:
    """The characters of a row's text fields (what a chunk's memory grows with)."""
    return sum(len(v) for v in row.fields.values() if isinstance(v, str))


def chunked(rows, chunk_size: int, chunk_chars: int | None = None, on_first=None):
    """Group ``rows`` (Rows, or ``(Row, characters)`` pairs) into lists of at most
    ``chunk_size`` rows that end once they hold ``chunk_chars`` characters (a row's
    characters: :func:`row_chars` unless given). ``on_first`` is called before the first
    chunk is yielded (or at the end when there is none)."""
    budget = chunk_chars or sys.maxsize
    chunk: list[Row] = []
    chars = 0
    first = True
    for item in rows:
        if isinstance(item, Row):
            row, n = item, (row_chars(item) if chunk_chars else 0)
        else:
            row, n = item
        chunk.append(row)
        chars += n
        if len(chunk) >= chunk_size or chars >= budget:
            if first and on_first is not None:
                on_first()
            first = False
            yield chunk
            chunk, chars = [], 0
    if first and on_first is not None:
        on_first()
    if chunk:
        yield chunk


def _too_long(n: int, limit: int) -> str:
    return (
        f"row too long ({n:,} characters, limit {limit:,}; raise it with --max-chars, "
        "which allows rows of 10 times as many): not read"
    )


def _read_delimited(binary, fmt, encoding, limit, stats):
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    text = _text_stream(binary, encoding)
    delimiter = "\t" if fmt == "tsv" else ","
    feed = LineFeed(text, limit, delimiter)
    reader = csv.reader(feed, delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the input is empty: it has no header row") from None
    except UnicodeDecodeError as exc:  # only for encodings without surrogateescape support
        raise InputError(f"cannot decode the header ({exc}); pass --encoding") from None
    except csv.Error as exc:
        problem = _malformed(fmt, exc, 1, reader.line_num, feed).replace(" row ", " header ")
        raise InputError(problem.removesuffix(": not read")) from None
    if feed.over:
        raise InputError(f"the header row is longer than {limit:,} characters")
    header = [clean_surrogates(h).strip() for h in header]
    if not any(header):
        raise InputError("the header row is empty; the first line must name the columns")
    if len(set(header)) != len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        raise InputError(f"the header repeats column names {dupes}; make them unique")
    stats.columns = header
    while True:
        line = reader.line_num + 1
        feed.next_record()
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # strict: never a field of lines merged by a stray quote
            error = _malformed(fmt, exc, line, reader.line_num, feed)
            if reader.line_num > line or feed.eof:  # lines were read as one field
                stats.warnings.append(error)
            yield Row({h: "" for h in header}, error, line)
            continue
        if feed.over:
            yield Row({h: "" for h in header}, _too_long(feed.used, limit), line), 0
            continue
        yield _delimited_row(header, values, encoding, line), feed.used  # the record's characters


def _malformed(fmt: str, exc: csv.Error, line: int, last: int, feed: LineFeed) -> str:
    """The error of a record the csv module refuses (strict): a quote never closed, or text
    after a closing quote; for a record of several lines, where it began and ended."""
    fix = 'close the quote (a " inside a quoted field is written ""): not read'
    if feed.eof:
        return (
            f"unclosed quote: a quoted field opened on line {line:,} runs to the end of the "
            f"file (line {last:,}, {feed.used:,} characters); {fix}"
        )
    if last > line:
        return (
            f"malformed {fmt.upper()} row ({exc}): a quoted field opened on line {line:,} "
            f"ran to line {last:,}, whose lines were read as one field; {fix}"
        )
    return f"malformed {fmt.upper()} row ({exc}): quote the whole field or none of it"


def _delimited_row(header, values, encoding, line) -> Row:
    fields = dict(zip(header, values, strict=False))
    error = None
    if len(values) > len(header):
        extra = [v if v.isascii() else clean_surrogates(v) for v in values[len(header) :]]
        error = (
            f"row has {len(values)} fields but the header has {len(header)}; "
            f"extra fields: {strict.dumps(extra, ensure_ascii=False)[:200]}"
        )
    for h in header[len(values) :]:
        fields[h] = ""
    # undecodable bytes are kept as surrogates, which are not ASCII: most rows skip the check
    decode_error = None if "".join(values).isascii() else _decode_check(fields, encoding)
    return Row(fields, error or decode_error, line)


def _jsonl_row(line: str, lineno: int, encoding: str) -> Row:
    line = line.rstrip("\r\n")
    if not line.strip():
        return Row({}, "empty line (no JSON object)", lineno)
    try:
        obj = strict.loads(line)
    except strict.TooDeep as exc:
        return Row({}, f"JSON line {exc} (the limit): not read", lineno)
    except ValueError as exc:
        if _has_surrogates(line):
            return Row({}, f"{UNDECODABLE} (not valid {encoding}; try --encoding)", lineno)
        return Row({}, f"malformed JSON line ({exc})", lineno)
    if not isinstance(obj, dict):
        return Row({}, f"JSON line is a {type(obj).__name__}, not an object", lineno)
    if _has_surrogates(line):  # undecodable bytes: in a value, or in a key or nested value
        error = _decode_check(obj, encoding)
        undecodable = f"{UNDECODABLE} (not valid {encoding}; try --encoding)"
        return Row(_clean_deep(obj), error or undecodable, lineno)
    if "\\u" in line and _LONE_SURROGATE.search(line):  # maybe (checked on the values)
        bad = [k for k, v in obj.items() if _holds_surrogates(k) or _holds_surrogates(v)]
        if bad:
            problem = strict.text_problem(_first_bad_text(obj))
            obj = _clean_deep(obj)
            where = ", ".join(repr(clean_surrogates(k)) for k in bad)
            return Row(obj, f"field {where} is {problem}", lineno)
    return Row(obj, None, lineno)


# a JSON escape of a lone surrogate: a high one not followed by a low one, or a low one not
# preceded by a high one (an escaped backslash before "u" can look like one: the values decide)
_HIGH, _LOW = r"\\u[dD][89abAB][0-9a-fA-F]{2}", r"\\u[dD][c-fC-F][0-9a-fA-F]{2}"
_LONE_SURROGATE = re.compile(f"{_HIGH}(?!{_LOW})|(?<!{_HIGH}){_LOW}")


def _holds_surrogates(value) -> bool:
    """Whether a JSON value (at any depth, keys included) holds a lone surrogate."""
    if isinstance(value, str):
        return _has_surrogates(value)
    if isinstance(value, dict):
        return any(_holds_surrogates(k) or _holds_surrogates(v) for k, v in value.items())
    if isinstance(value, list):
        return any(map(_holds_surrogates, value))
    return False


def _clean_deep(value):
    """A JSON value with each lone surrogate of its strings (keys included) as U+FFFD."""
    if isinstance(value, str):
        return clean_surrogates(value)
    if isinstance(value, dict):
        return {clean_surrogates(k): _clean_deep(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_deep(v) for v in value]
    return value


def _first_bad_text(value) -> str | None:
    """The first string of a JSON value (keys included) holding a lone surrogate."""
    if isinstance(value, str):
        return value if _has_surrogates(value) else None
    items = value.items() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        for part in item if isinstance(value, dict) else (item,):
            found = _first_bad_text(part)
            if found is not None:
                return found
    return None


def _jsonl_keys(binary, encoding, limit) -> list[str] | None:
    """Every key of every line of a JSONL file that can be read twice (None: a stream)."""
    try:
        if not binary.seekable():
            return None
        start = binary.tell()
    except (OSError, ValueError):
        return None
    text = _text_stream(binary, encoding)
    seen: dict[str, None] = {}
    for line in capped_lines(text, limit):
        if line.text is None or "{" not in line.text:
            continue
        with contextlib.suppress(ValueError):
            obj = strict.loads(line.text)
            if isinstance(obj, dict):  # the keys as the rows give them (lone surrogates: U+FFFD)
                seen.update(dict.fromkeys(map(clean_surrogates, obj)))
    text.detach()
    binary.seek(start)
    return list(seen)


class _KeyStats:
    """The JSONL columns: every key of a file read twice, or, on a stream, the keys of the
    first chunk (later new keys are ``late_columns``)."""

    def __init__(self, stats: ReadStats):
        self.stats = stats
        self.stream = False
        self.seen: dict[str, None] = {}
        self.done = False

    def add(self, fields: dict) -> None:
        for k in fields:
            if k not in self.seen:
                self.seen[k] = None
                if self.done:
                    self.stats.late_columns.append(k)

    def first_chunk(self) -> None:
        if self.stream:
            self.stats.columns = list(self.seen)
        self.done = True


def _read_jsonl(binary, encoding, limit, tracker: _KeyStats):
    keys = _jsonl_keys(binary, encoding, limit)
    if keys is not None:
        tracker.stats.columns = keys
    tracker.stream = keys is None
    text = _text_stream(binary, encoding)
    for lineno, line in enumerate(capped_lines(text, limit), 1):
        if line.text is None:
            yield Row({}, _too_long(line.length, limit), lineno), 0
            continue
        row = _jsonl_row(line.text, lineno, encoding)
        if tracker.stream:
            tracker.add(row.fields)
        yield row, line.length


def _read_text(binary, encoding, limit, stats):
    text = _text_stream(binary, encoding)
    stats.columns = ["headline"]
    for lineno, line in enumerate(capped_lines(text, limit), 1):
        if line.text is None:
            yield Row({"headline": ""}, _too_long(line.length, limit), lineno), 0
            continue
        fields = {"headline": line.text.rstrip("\r\n")}
        yield Row(fields, _decode_check(fields, encoding), lineno), line.length


def _read_parquet(binary, chunk_size, stats):
    pa = pyarrow_module()
    if not binary.seekable():  # stdin: Parquet needs random access
        binary = io.BytesIO(binary.read())
    try:
        pf = pa.parquet.ParquetFile(binary)
    except pa.ArrowException as exc:
        raise InputError(f"not a readable Parquet file ({exc})") from None
    stats.columns = list(pf.schema_arrow.names)
    stats.types = {f.name: f.type for f in pf.schema_arrow}
    number = 0
    # small batches, regrouped by rows and characters by ``chunked``
    for batch in pf.iter_batches(batch_size=min(chunk_size, 256)):
        for rec in batch.to_pylist():
            number += 1
            yield Row(rec, None, number)
