"""The file formats ``framing`` reads and writes, told from a name or an explicit choice."""

from __future__ import annotations

from pathlib import Path

from framing.errors import InputError

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "OUTPUT_FORMATS",
    "format_of",
    "pyarrow_module",
]

FORMATS = ("csv", "tsv", "jsonl", "parquet", "txt")
OUTPUT_FORMATS = ("csv", "tsv", "jsonl", "parquet")
EXTENSIONS = {
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


def format_of(path: str, explicit: str | None, *, output: bool = False) -> str:
    """The format named by ``explicit``, else by ``path``'s extension (``.gz`` not supported)."""
    allowed = OUTPUT_FORMATS if output else FORMATS
    if explicit:
        if explicit not in allowed:
            raise InputError(f"unknown format {explicit!r}; choose one of {', '.join(allowed)}")
        return explicit
    suffix = Path(path).suffix.lower()
    fmt = EXTENSIONS.get(suffix)
    if fmt is None or fmt not in allowed:
        flag = "--output-format" if output else "--format"
        raise InputError(
            f"cannot tell the format of {path!r} from its extension; "
            f"pass {flag} ({', '.join(allowed)})"
        )
    return fmt


def pyarrow_module():
    """``pyarrow`` (with ``pyarrow.parquet``), or an :class:`InputError` saying how to
    install it."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise InputError(
            "Parquet needs pyarrow: pip install 'framing[parquet]' (or read CSV/JSONL)"
        ) from None
    return pyarrow
