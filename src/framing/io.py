"""Reading and writing row files: CSV, TSV, JSONL, Parquet and plain text, in bounded chunks.

Readers take open binary file objects and yield lists of :class:`Row`; a row that cannot be
read properly (undecodable bytes, a malformed JSON line, a non-object JSON value) is still
yielded, with its ``error`` set, so that nothing is dropped. Writers take an output file
object and rows as dicts. :func:`atomic_output` gives a temporary file beside the target that
replaces it only when the run completes.

Spreadsheet safety: in CSV/TSV output, a cell that comes from user text and starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` (so spreadsheet
programs show it as text instead of running it as a formula), unless the cell is a plain
number such as ``-3.5``. See :func:`neutralize_formula`.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .errors import InputError

FORMATS = ("csv", "tsv", "jsonl", "parquet", "txt")
OUTPUT_FORMATS = ("csv", "tsv", "jsonl", "parquet")
_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".txt": "txt",
    ".text": "txt",
}
UNDECODABLE = "undecodable bytes"


@dataclass(slots=True)
class Row:
    """One input record: its fields in input order, and why it is unusable (or None)."""

    fields: dict
    error: str | None = None
    line: int = 0  # 1-based line (text formats) or row number (Parquet) where it starts


@dataclass(slots=True)
class ReadStats:
    columns: list[str] = field(default_factory=list)
    late_columns: list[str] = field(default_factory=list)  # JSONL keys first seen after chunk 1


def format_of(path: str, explicit: str | None, *, output: bool = False) -> str:
    """The format named by ``explicit``, else by ``path``'s extension (``.gz`` not supported)."""
    allowed = OUTPUT_FORMATS if output else FORMATS
    if explicit:
        if explicit not in allowed:
            raise InputError(f"unknown format {explicit!r}; choose one of {', '.join(allowed)}")
        return explicit
    suffix = Path(path).suffix.lower()
    fmt = _EXTENSIONS.get(suffix)
    if fmt is None or fmt not in allowed:
        flag = "--output-format" if output else "--format"
        raise InputError(
            f"cannot tell the format of {path!r} from its extension; "
            f"pass {flag} ({', '.join(allowed)})"
        )
    return fmt


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


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise InputError(
            "Parquet needs pyarrow: pip install 'framing[parquet]' (or read CSV/JSONL)"
        ) from None
    return pyarrow


def _read_parquet(binary, chunk_size, stats):
    pa = _pyarrow()
    if not binary.seekable():  # stdin: Parquet needs random access
        binary = io.BytesIO(binary.read())
    try:
        pf = pa.parquet.ParquetFile(binary)
    except pa.ArrowException as exc:
        raise InputError(f"not a readable Parquet file ({exc})") from None
    stats.columns = list(pf.schema_arrow.names)
    number = 0
    for batch in pf.iter_batches(batch_size=chunk_size):
        rows = []
        for rec in batch.to_pylist():
            number += 1
            rows.append(Row(rec, None, number))
        yield rows


# ---- writing ------------------------------------------------------------------------------------
_NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(value: str) -> str:
    """``value`` made safe for a spreadsheet cell: formula-like text gets a leading ``'``."""
    if value and value.startswith(_FORMULA_START) and not _NUMBER_RE.fullmatch(value):
        return "'" + value
    return value


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class DelimitedWriter:
    """CSV or TSV rows; cells of ``user_columns`` are formula-neutralised when ``guard``."""

    def __init__(self, fh: IO[str], columns: list[str], fmt: str, user_columns, guard=True):
        self.writer = csv.writer(fh, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
        self.columns = columns
        guarded = set(user_columns) if guard else set()
        self.guard_idx = [i for i, c in enumerate(columns) if c in guarded]
        self.writer.writerow([neutralize_formula(c) if guard else c for c in columns])

    def write(self, rows: list[dict]) -> None:
        cols = self.columns
        gidx = self.guard_idx
        out = []
        for row in rows:
            cells = [_cell(row.get(c)) for c in cols]
            for i in gidx:
                v = cells[i]
                if v and v[0] in "=+-@\t\r":
                    cells[i] = neutralize_formula(v)
            out.append(cells)
        self.writer.writerows(out)

    def close(self) -> None:
        pass


class JsonlWriter:
    """One JSON object per line; ``raw_json_columns`` hold JSON text embedded as values."""

    def __init__(self, fh: IO[str], columns: list[str], raw_json_columns=()):
        self.fh = fh
        self.columns = columns
        self.raw = [c for c in columns if c in set(raw_json_columns)]

    def write(self, rows: list[dict]) -> None:
        dumps = json.dumps
        raw = self.raw
        lines = []
        for row in rows:
            if raw:
                row = dict(row)
                embedded = [(c, row.pop(c, None)) for c in raw]
                text = dumps(row, ensure_ascii=False, default=str)
                extra = "".join(
                    f", {dumps(c)}: {v if v is not None else 'null'}" for c, v in embedded
                )
                text = text[:-1] + extra + "}" if len(row) else "{" + extra[2:] + "}"
            else:
                text = dumps(row, ensure_ascii=False, default=str)
            lines.append(text + "\n")
        self.fh.write("".join(lines))

    def close(self) -> None:
        pass


class ParquetWriter:
    """Parquet output; the schema comes from the first chunk (input types kept)."""

    def __init__(self, binary: IO[bytes], columns: list[str]):
        self.pa = _pyarrow()
        self.binary = binary
        self.columns = columns
        self.writer = None
        self.schema = None

    def write(self, rows: list[dict]) -> None:
        pa = self.pa
        data = {c: [r.get(c) for r in rows] for c in self.columns}
        if self.writer is None:
            table = pa.table(data)
            self.schema = table.schema
            self.writer = pa.parquet.ParquetWriter(self.binary, self.schema)
        else:
            table = pa.table(data, schema=self.schema)
        self.writer.write_table(table)

    def close(self) -> None:
        if self.writer is None:
            pa = self.pa
            table = pa.table({c: pa.array([], pa.string()) for c in self.columns})
            self.writer = pa.parquet.ParquetWriter(self.binary, table.schema)
            self.writer.write_table(table)
        self.writer.close()


@contextlib.contextmanager
def atomic_output(path: str, *, binary: bool = False) -> Iterator[IO]:
    """A file to write ``path`` through: a temporary file beside it, renamed over it on success.

    If the block raises (or the process is killed), ``path`` is left as it was; the temporary
    file is removed on exceptions (a SIGKILL can leave a ``.framing-*.tmp`` file behind, never
    a partial ``path``).
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"cannot write {path}: folder {directory} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.framing-", suffix=".tmp", dir=directory)
    try:
        mode = "wb" if binary else "w"
        kwargs = {} if binary else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
