"""Writing scored rows: CSV, TSV, JSONL and Parquet, through a file that replaces the target
only when the run completes (:func:`atomic_output`).

Spreadsheet safety: in CSV/TSV output, a cell that comes from user text and starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` (so spreadsheet
programs show it as text instead of running it as a formula), unless the cell is a plain
number such as ``-3.5``. See :func:`neutralize_formula`.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from framing.errors import InputError
from framing.tables.formats import pyarrow_module

__all__ = [
    "DelimitedWriter",
    "JsonlWriter",
    "ParquetWriter",
    "atomic_output",
    "neutralize_formula",
]

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
            # most cells are text already (input fields, terms JSON): convert only the rest
            cells = [v if type(v) is str else _cell(v) for v in map(row.get, cols)]
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
        self.pa = pyarrow_module()
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
