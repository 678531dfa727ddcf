"""Reading row files: CSV, TSV, JSONL, Parquet and plain text, in bounded chunks.

Readers take open binary file objects and yield lists of :class:`Row`; a row that cannot be
read properly (undecodable bytes, a malformed JSON line, a non-object JSON value) is still
yielded, with its ``error`` set, so that nothing is dropped.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from framing.errors import InputError
from framing.tables.formats import FORMATS, pyarrow_module

__all__ = [
    "UNDECODABLE",
    "ReadStats",
    "Row",
    "clean_surrogates",
    "read_chunks",
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


def text_of(value, column: str) -> tuple[str, str | None]:
    """A cell as text to score, and why it cannot be (None when it can): missing cells are
    empty text, numbers are written out, lists, objects, bytes and booleans are refused."""
    if value is None:
        return "", None
    if isinstance(value, str):
        return value, None
    if isinstance(value, (bool, dict, list, bytes)):
        return "", f"field {column!r} is {type(value).__name__}, not text"
    return str(value), None


def _has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def clean_surrogates(value: str) -> str:
    """Undecodable input bytes (kept as surrogate escapes while reading) shown as U+FFFD."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _text_stream(binary: IO[bytes], encoding: str) -> io.TextIOWrapper:
    enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    return io.TextIOWrapper(binary, encoding=enc, errors="surrogateescape", newline="")


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
    stats: ReadStats | None = None,
) -> Iterator[list[Row]]:
    """Rows of ``binary`` in lists of at most ``chunk_size``; ``stats.columns`` is set first."""
    stats = stats if stats is not None else ReadStats()
    if fmt in ("csv", "tsv"):
        yield from _read_delimited(binary, fmt, encoding, chunk_size, stats)
    elif fmt == "jsonl":
        yield from _read_jsonl(binary, encoding, chunk_size, stats)
    elif fmt == "txt":
        yield from _read_text(binary, encoding, chunk_size, stats)
    elif fmt == "parquet":
        yield from _read_parquet(binary, chunk_size, stats)
    else:
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _read_delimited(binary, fmt, encoding, chunk_size, stats):
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    text = _text_stream(binary, encoding)
    reader = csv.reader(text, delimiter="\t" if fmt == "tsv" else ",")
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the input is empty: it has no header row") from None
    except UnicodeDecodeError as exc:  # only for encodings without surrogateescape support
        raise InputError(f"cannot decode the header ({exc}); pass --encoding") from None
    header = [clean_surrogates(h).strip() for h in header]
    if not any(header):
        raise InputError("the header row is empty; the first line must name the columns")
    if len(set(header)) != len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        raise InputError(f"the header repeats column names {dupes}; make them unique")
    stats.columns = header
    chunk: list[Row] = []
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            chunk.append(Row({h: "" for h in header}, f"malformed {fmt.upper()} row ({exc})", line))
            continue
        if not values:  # a blank line: csv yields [], keep it as an empty row
            values = []
        fields = dict(zip(header, values, strict=False))
        error = None
        if len(values) > len(header):
            extra = values[len(header) :]
            error = (
                f"row has {len(values)} fields but the header has {len(header)}; "
                f"extra fields: {json.dumps(extra, ensure_ascii=False)[:200]}"
            )
        for h in header[len(values) :]:
            fields[h] = ""
        decode_error = _decode_check(fields, encoding)
        chunk.append(Row(fields, error or decode_error, line))
        if len(chunk) >= chunk_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _read_jsonl(binary, encoding, chunk_size, stats):
    text = _text_stream(binary, encoding)
    seen: dict[str, None] = {}
    chunk: list[Row] = []
    first_chunk = True
    for lineno, raw in enumerate(text, 1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            chunk.append(Row({}, "empty line (no JSON object)", lineno))
        else:
            try:
                obj = json.loads(line)
            except ValueError as exc:
                if _has_surrogates(line):
                    msg = f"{UNDECODABLE} (not valid {encoding}; try --encoding)"
                else:
                    msg = f"malformed JSON line ({exc})"
                chunk.append(Row({}, msg, lineno))
            else:
                if not isinstance(obj, dict):
                    chunk.append(
                        Row({}, f"JSON line is a {type(obj).__name__}, not an object", lineno)
                    )
                else:
                    error = _decode_check(obj, encoding)
                    for k in obj:
                        if k not in seen:
                            seen[k] = None
                            if not first_chunk:
                                stats.late_columns.append(k)
                    chunk.append(Row(obj, error, lineno))
        if len(chunk) >= chunk_size:
            if first_chunk:
                stats.columns = list(seen)
                first_chunk = False
            yield chunk
            chunk = []
    if first_chunk:
        stats.columns = list(seen)
    if chunk:
        yield chunk


def _read_text(binary, encoding, chunk_size, stats):
    text = _text_stream(binary, encoding)
    stats.columns = ["headline"]
    chunk: list[Row] = []
    for lineno, raw in enumerate(text, 1):
        fields = {"headline": raw.rstrip("\r\n")}
        chunk.append(Row(fields, _decode_check(fields, encoding), lineno))
        if len(chunk) >= chunk_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


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
    for batch in pf.iter_batches(batch_size=chunk_size):
        rows = []
        for rec in batch.to_pylist():
            number += 1
            rows.append(Row(rec, None, number))
        yield rows
