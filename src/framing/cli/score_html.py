"""``framing score`` on web pages: a saved ``.html`` file, a folder of them, or a column of
HTML (``--html-col``). Each page becomes a row whose ``page_headline`` and ``page_body``
(extracted by :func:`framing.web.extract_page`) are scored; they are written with the scores,
so the offsets of the terms columns point into them. A page that cannot be read keeps its
row, with the error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from framing.errors import FramingError, InputError
from framing.tables import ReadStats, Row
from framing.web.extract import read_limited

__all__ = ["HEADLINE", "BODY", "FILE", "html_column", "is_pages", "page_chunks"]

FILE, HEADLINE, BODY = "file", "page_headline", "page_body"
SUFFIXES = (".html", ".htm", ".xhtml")


def is_pages(path: str, folders: bool = True) -> bool:
    """Whether ``framing score``'s INPUT is web pages: a file named ``.html`` (``.htm``,
    ``.xhtml``), or a folder (with ``folders``: the local engine reads a folder's pages;
    the Dask engine reads a folder of tables)."""
    if path == "-":
        return False
    p = Path(path)
    return (folders and p.is_dir()) or p.suffix.lower() in SUFFIXES


def _extract():
    from framing.web import extract_page

    extract_page("")  # a missing trafilatura is one error line, before any row
    return extract_page


def _page_row(extract, data: bytes | str, fields: dict, max_bytes: int, line: int) -> Row:
    if len(data) > max_bytes:
        error = f"page too large ({len(data):,} bytes, limit {max_bytes:,}: 10 x --max-chars)"
        return Row({**fields, HEADLINE: "", BODY: ""}, error, line)
    try:
        page = extract(data)
    except FramingError as exc:
        return Row({**fields, HEADLINE: "", BODY: ""}, str(exc), line)
    return Row({**fields, HEADLINE: page.headline, BODY: page.body}, None, line)


def page_files(path: str) -> list[Path]:
    """The pages to score: the file, or the folder's ``.html``/``.htm`` files (sorted, the
    sub-folders too)."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"no such file or folder: {path}")
    if p.is_file():
        return [p]
    files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
    if not files:
        raise InputError(f"{path} holds no .html or .htm files")
    return files


def page_chunks(
    path: str, chunk_size: int, max_bytes: int, stats: ReadStats
) -> Iterator[list[Row]]:
    """Rows ``file``, ``page_headline``, ``page_body`` of the pages at ``path``, in chunks."""
    files = page_files(path)
    root = Path(path) if Path(path).is_dir() else Path(path).parent
    extract = _extract()
    stats.columns = [FILE, HEADLINE, BODY]
    chunk: list[Row] = []
    for line, f in enumerate(files, 1):
        name = f.relative_to(root).as_posix()
        try:  # never more than the limit read: a larger file is its error row
            data = read_limited(f, max_bytes)
        except OSError as exc:
            chunk.append(Row({FILE: name, HEADLINE: "", BODY: ""}, f"unreadable: {exc}", line))
        else:
            if data is None:
                error = f"page too large (over {max_bytes:,} bytes: 10 x --max-chars)"
                chunk.append(Row({FILE: name, HEADLINE: "", BODY: ""}, error, line))
            else:
                chunk.append(_page_row(extract, data, {FILE: name}, max_bytes, line))
        if len(chunk) >= chunk_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def html_column(
    chunks: Iterator[list[Row]], column: str, max_bytes: int, stats: ReadStats
) -> Iterator[list[Row]]:
    """The rows of ``chunks`` with ``page_headline`` and ``page_body`` extracted from the
    HTML in ``column`` (an empty cell gives empty texts: the row's error says so)."""
    extract = _extract()
    first = True
    for chunk in chunks:
        if first:
            if column not in stats.columns:
                shown = ", ".join(repr(c) for c in stats.columns) or "none"
                raise InputError(
                    f"no column {column!r} (--html-col); the input's columns are: {shown}"
                )
            clash = [c for c in (HEADLINE, BODY) if c in stats.columns]
            if clash:
                raise InputError(
                    f"the input already has column(s) {clash}; rename them to use --html-col"
                )
            stats.columns = [*stats.columns, HEADLINE, BODY]
            first = False
        out = []
        for row in chunk:
            value = row.fields.get(column)
            if row.error is not None or not isinstance(value, str) or not value.strip():
                out.append(Row({**row.fields, HEADLINE: "", BODY: ""}, row.error, row.line))
            else:
                out.append(_page_row(extract, value, row.fields, max_bytes, row.line))
        yield out
