"""Row files in and out: CSV, TSV, JSONL, Parquet and plain text.

Reading yields bounded chunks of :class:`Row` (a row that cannot be read keeps its place,
with its ``error``); writing goes through :func:`atomic_output`, with the spreadsheet formula
guard on CSV/TSV cells that come from the input.
"""

from framing.tables.formats import (
    EXTENSIONS,
    FORMATS,
    OUTPUT_FORMATS,
    format_of,
    pyarrow_module,
)
from framing.tables.read import UNDECODABLE, ReadStats, Row, clean_surrogates, read_chunks
from framing.tables.write import (
    DelimitedWriter,
    JsonlWriter,
    ParquetWriter,
    atomic_output,
    neutralize_formula,
    write_rows,
)

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "OUTPUT_FORMATS",
    "UNDECODABLE",
    "DelimitedWriter",
    "JsonlWriter",
    "ParquetWriter",
    "ReadStats",
    "Row",
    "atomic_output",
    "clean_surrogates",
    "format_of",
    "neutralize_formula",
    "pyarrow_module",
    "read_chunks",
    "write_rows",
]
