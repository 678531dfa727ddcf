"""Writing scored rows: CSV, TSV, JSONL and Parquet, through a file that replaces the target
only when the run completes (:func:`atomic_output`).

Spreadsheet safety: in CSV/TSV output, a cell that comes from user text and starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` (so spreadsheet
programs show it as text instead of running it as a formula), unless the cell is a plain
number such as ``-3.5``. See :func:`neutralize_formula`.
"""

from __future__ import annotations

import contextlib
import glob
import math
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from framing import strict
from framing.errors import InputError
from framing.tables.formats import pyarrow_module

__all__ = [
    "DelimitedFormat",
    "DelimitedWriter",
    "JsonlWriter",
    "ParquetWriter",
    "atomic_output",
    "neutralize_formula",
    "read_only_file",
    "remove_stale_temporaries",
    "write_rows",
]

# ---- writing ------------------------------------------------------------------------------------
_NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# what a spreadsheet may read as the start of a formula: = + - @, their full-width forms, and a
# tab, carriage return or line feed before them
_FORMULA_RE = re.compile("[\\s\u3000]*[=+\\-@\uff1d\uff0b\uff0d\uff20]|[\t\r\n]")
# every character that some reader takes for the end of a line (csv and spreadsheets: \r and
# \n; str.splitlines and some editors: the rest): a cell holding one is always quoted
LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def neutralize_formula(value: str) -> str:
    """``value`` made safe for a spreadsheet cell: formula-like text gets a leading ``'``.

    Formula-like: it starts with ``=``, ``+``, ``-`` or ``@`` (or their full-width forms),
    possibly after white space, or with a tab, carriage return or line feed. A plain number such as
    ``-3.5`` is left alone. A cell is one cell: text after a line break inside it is not a
    new cell (the writer quotes such cells, see :class:`DelimitedWriter`).
    """
    if value and _FORMULA_RE.match(value) and not _NUMBER_RE.fullmatch(value):
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
        return strict.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and not math.isfinite(value):
        return strict.dumps(value)[1:-1]  # the strict JSON rule's name: NaN, Infinity
    return str(value)


_NUMBER_TYPES = frozenset({int, float, type(None)})


def _cells(values: list) -> list[str]:
    """:func:`_cell` of each value; a column of numbers (and None) in one expression."""
    types = set(map(type, values))
    if types == {str}:
        return values
    if types <= _NUMBER_TYPES and (
        float not in types or all(math.isfinite(v) for v in values if type(v) is float)
    ):
        return ["" if v is None else repr(v) for v in values]  # (not bool) its repr
    return [v if type(v) is str else _cell(v) for v in values]


class DelimitedFormat:
    """How chunks become CSV or TSV text: cells of ``user_columns`` are formula-neutralised
    when ``guard``. No file: it can be sent to a worker process, which then hands back text.

    Each row is one line for every reader: a cell holding any line-break character
    (:data:`LINE_BREAKS`: ``\\r``, ``\\n``, and the ones ``str.splitlines`` knows) is quoted,
    as are cells holding the delimiter or a ``"`` (doubled inside).
    """

    def __init__(self, columns: list[str], fmt: str, user_columns, guard=True):
        self.delimiter = "\t" if fmt == "tsv" else ","
        self.columns = columns
        self.guard = guard
        guarded = set(user_columns) if guard else set()
        self.guard_idx = [i for i, c in enumerate(columns) if c in guarded]
        self.special = re.compile(f'[{re.escape(self.delimiter)}"{LINE_BREAKS}]')

    def header(self) -> str:
        """The header line."""
        header = [neutralize_formula(c) if self.guard else c for c in map(_cell, self.columns)]
        return self._lines([[c] for c in header])

    def render(self, columns: dict[str, list]) -> str:
        """The lines of a chunk given as columns (name -> one value per row; a column missing
        from ``columns`` is empty cells), converted and formula-guarded column by column."""
        n = len(next(iter(columns.values()))) if columns else 0
        if n == 0:
            return ""
        cells = []
        for i, name in enumerate(self.columns):
            values = columns.get(name)
            if values is None:
                cells.append([""] * n)
                continue
            values = _cells(values)
            if i in self.guard_idx:
                values = list(map(neutralize_formula, values))
            cells.append(values)
        return self._lines(cells)

    def _lines(self, cells: list[list[str]]) -> str:
        """Rows given as final cell texts, column by column, as lines. A cell is quoted when
        it holds the delimiter, a ``"`` or a line break (the csv module's rule, plus the line
        breaks it leaves alone), and so is the one cell of a one-column row left empty
        (else the row would read as no row)."""
        special = self.special.search
        one_column = len(cells) == 1
        quoted = []
        for values in cells:
            if special("".join(values)) or (one_column and "" in values):
                values = [
                    '"' + v.replace('"', '""') + '"' if special(v) or (one_column and not v) else v
                    for v in values
                ]
            quoted.append(values)
        return "\n".join(map(self.delimiter.join, zip(*quoted, strict=True))) + "\n"


class DelimitedWriter:
    """CSV or TSV rows written to ``fh`` (the header first), as :class:`DelimitedFormat`
    renders them (its ``format``).

    It takes text (``takes = "text"``): ``render`` (picklable, so a worker process can run
    it) turns a chunk's columns into lines, and :meth:`write_chunk` writes them.
    """

    takes = "text"

    def __init__(self, fh: IO[str], columns: list[str], fmt: str, user_columns, guard=True):
        self.fh = fh
        self.format = DelimitedFormat(columns, fmt, user_columns, guard)
        self.render = self.format.render
        self.columns = columns
        fh.write(self.format.header())

    def write_chunk(self, text: str) -> None:
        """Write a chunk's lines, as ``render`` gave them (e.g. in a worker)."""
        self.fh.write(text)

    def close(self) -> None:
        """Nothing to flush (the caller closes the file)."""


class JsonlWriter:
    """One JSON object per line; ``raw_json_columns`` hold JSON text embedded as values.

    It takes rows (``takes = "rows"``): each row's keys are written as they come, so keys
    first seen in a later chunk are kept.
    """

    takes = "rows"

    def __init__(self, fh: IO[str], columns: list[str], raw_json_columns=()):
        self.fh = fh
        self.columns = columns
        self.raw = [c for c in columns if c in set(raw_json_columns)]

    def write_chunk(self, rows: list[dict]) -> None:
        """Write rows (dicts by column name), one JSON object per line."""
        dumps = strict.dumps
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
        """Nothing to flush (the caller closes the file)."""


def _json_text(value):
    """A value of a column without a declared Parquet type: text kept, None kept, anything
    else (numbers, booleans, lists, objects) as its JSON text."""
    if value is None or isinstance(value, str):
        return value
    return strict.dumps(value, ensure_ascii=False, default=str)


class ParquetWriter:
    """Parquet output with a schema fixed before the first row, so that any chunk fits it.

    ``types`` maps columns to their Parquet type (a pyarrow ``DataType`` or a name such as
    ``"float64"``, ``"int64"``, ``"string"``); a column without one is text: strings as they
    are and other values (numbers, booleans, lists, objects, as JSONL gives them) as their
    JSON text. A value of a column with a type is written as that type (an error in any
    chunk, a missing value, a JSONL key whose type changes from row to row: all fit).

    It takes columns (``takes = "columns"``): :meth:`write_chunk` writes a chunk's columns
    as one row group.
    """

    takes = "columns"

    def __init__(self, binary: IO[bytes], columns: list[str], types: dict | None = None):
        pa = self.pa = pyarrow_module()
        self.binary = binary
        self.columns = columns
        types = types or {}
        fields = []
        for c in columns:
            t = types.get(c, "string")
            fields.append(pa.field(c, pa.type_for_alias(t) if isinstance(t, str) else t))
        self.schema = pa.schema(fields)
        self.text = [c not in types or types[c] == "string" for c in columns]
        self.writer = None

    def write_chunk(self, columns: dict[str, list]) -> None:
        """Write a chunk given as columns (name -> one value per row; a column missing
        from ``columns`` is null) as one row group."""
        pa = self.pa
        n = len(next(iter(columns.values()))) if columns else 0
        arrays = []
        for c, field, text in zip(self.columns, self.schema, self.text, strict=True):
            values = columns.get(c)
            if values is None:
                values = [None] * n
            if text:
                values = [_json_text(v) for v in values]
            try:
                arrays.append(pa.array(values, type=field.type))
            except UnicodeEncodeError:  # a lone surrogate no reader cleaned: as U+FFFD
                values = [strict.replace_surrogates(v) if type(v) is str else v for v in values]
                arrays.append(pa.array(values, type=field.type))
        table = pa.Table.from_arrays(arrays, schema=self.schema)
        if self.writer is None:
            self.writer = pa.parquet.ParquetWriter(self.binary, self.schema)
        self.writer.write_table(table)

    def close(self) -> None:
        """Finish the file (an empty table with the schema when no row was written)."""
        if self.writer is None:
            self.writer = self.pa.parquet.ParquetWriter(self.binary, self.schema)
            self.writer.write_table(self.schema.empty_table())
        self.writer.close()


def write_rows(writer, rows: list[dict]) -> None:
    """Write ``rows`` (dicts by column name; a missing column is empty) with ``writer``, in
    the form it declares it takes (its ``takes``: ``"rows"``, ``"columns"`` of its
    ``columns``, or ``"text"`` from its ``render``) through its one ``write_chunk``."""
    if writer.takes == "rows":
        writer.write_chunk(rows)
        return
    columns = {c: [r.get(c) for r in rows] for c in writer.columns}
    writer.write_chunk(writer.render(columns) if writer.takes == "text" else columns)


def _open_kwargs(binary: bool) -> tuple[str, dict]:
    if binary:
        return "wb", {}
    return "w", {"encoding": "utf-8", "newline": "", "errors": strict.ENCODE_ERRORS}


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove the temporary files that runs killed while writing ``target`` left beside it
    (``.NAME.framing-PID-*.tmp`` whose process PID is gone); the files removed."""
    removed = []
    for tmp in target.parent.glob(f".{glob.escape(target.name)}.framing-*.tmp"):
        match = re.fullmatch(rf"\.{re.escape(target.name)}\.framing-(\d+)-[^.]*\.tmp", tmp.name)
        if match is None or _alive(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def read_only_file(path: Path) -> bool:
    """Whether ``path`` is an existing file that is read-only: no write permission for us, or
    none for anybody (root may write anything: the file's mode still says it is not to be
    changed). The one rule for outputs and for a feedback database file."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return path.is_file() and (not os.access(path, os.W_OK) or not mode & 0o222)


def _check_target(path: str, target: Path) -> None:
    if target.is_dir():
        raise InputError(f"cannot write {path}: it is a folder")
    if read_only_file(target):
        raise InputError(
            f"cannot write {path}: the file is read-only (make it writable, or choose "
            "another output)"
        )


@contextlib.contextmanager
def atomic_output(path: str, *, binary: bool = False) -> Iterator[IO]:
    """A file to write ``path`` through: a temporary file beside it, renamed over it on success.

    If the block raises (or the process is killed), ``path`` is left as it was; the temporary
    file (``.NAME.framing-PID-XXXX.tmp``) is removed on exceptions. A SIGKILL can leave one
    behind, never a partial ``path``; the next run writing ``path`` removes it
    (:func:`remove_stale_temporaries`). A read-only ``path`` is refused (as a shell's ``>``
    would), not replaced; ``path`` a symbolic link writes the file it points to; ``path`` a
    device or pipe (``/dev/null``, ``/dev/stdout``) is written directly.
    """
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"cannot write {path}: folder {directory} does not exist")
    _check_target(path, target)
    mode, kwargs = _open_kwargs(binary)
    if target.exists() and not target.is_file():  # a device or a pipe: no rename over it
        with open(target, mode, **kwargs) as fh:
            yield fh
        return
    remove_stale_temporaries(target)
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.framing-{os.getpid()}-", suffix=".tmp", dir=directory
        )
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
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
