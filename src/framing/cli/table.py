"""``framing score`` on a terminal: a readable table instead of CSV with escaped JSON.

One line per row: its number (or ``--id-col``), each headline head's probability and label,
the article score when there is a body, the overall score, then the text (after "(not
scored: language fr)" when it is judged not English, its labels shown as "?") with the words
that drive a flagged score marked (those of the row's top words that push a head whose label
is yes up by at least :data:`MARK_MIN` on the logit; colour on a terminal, ``[brackets]``
otherwise); an error row shows its reason. User text is shown through
:func:`framing.cli.common.printable`.
"""

from __future__ import annotations

import shutil

from framing import strict
from framing.cli.common import paint, printable
from framing.core.columns import BODY_PREFIX, ERROR, HEADLINE_PREFIX, OVERALL, WARNINGS, column_name

__all__ = ["MARK_MIN", "TableWriter", "mark_words"]

MARK_MIN = 0.5


def mark_words(text: str, spans: list[tuple[int, int]], color: bool) -> str:
    """``text`` (made printable) with ``spans`` marked: red bold on a terminal in colour,
    else in ``[brackets]``."""
    out, pos = [], 0
    for a, b in sorted(set(spans)):
        if a < pos or not 0 <= a < b <= len(text):
            continue
        out.append(printable(text[pos:a]))
        word = printable(text[a:b])
        out.append(paint(word, "1;31", color) if color else f"[{word}]")
        pos = b
    out.append(printable(text[pos:]))
    return "".join(out)


def _not_scored(row: dict) -> str | None:
    """The row's "not scored: language xx" warning (a text judged not English), or None."""
    warnings = row.get(WARNINGS)
    found = strict.loads(warnings) if isinstance(warnings, str) and warnings else warnings or []
    for w in found:
        if w.startswith("not scored: language "):
            return w.split(" (", 1)[0]
    return None


class TableWriter:
    """Writes scored rows as an aligned, human-readable table (see the module docs); it takes
    rows (``takes = "rows"``), as :func:`framing.batch.run_chunks` hands them."""

    takes = "rows"

    def __init__(
        self,
        fh,
        columns: list[str],
        *,
        text_col: str | None,
        heads: list[str],
        body: bool,
        id_col: str | None = None,
        color: bool = False,
        width: int | None = None,
    ):
        self.fh = fh
        self.text_col = text_col
        self.heads = [h for h in heads if column_name(h, "probability") in columns]
        self.body = body and column_name("loaded", "probability", BODY_PREFIX) in columns
        self.id_col = id_col
        self.color = color
        self.width = width or shutil.get_terminal_size((120, 24)).columns
        self.n = 0
        self.fh.write(self._header() + "\n")

    def _cells(self) -> list[tuple[str, int]]:
        cells = [(self.id_col or "#", 6)]
        cells += [(h, max(len(h), 9)) for h in self.heads]
        if self.body:
            cells.append(("article", 9))
        cells.append(("overall", 7))
        return cells

    def _header(self) -> str:
        head = "  ".join(name[:w].ljust(w) for name, w in self._cells())
        return paint(
            f"{head}  {self.text_col or 'text'} (words driving a yes marked)", "1", self.color
        )

    @staticmethod
    def _score(value, label) -> str:
        if value is None or value == "":
            return "-"
        verdict = "yes" if label == 1 else "no" if label == 0 else "?"
        return f"{float(value):.2f} {verdict}"

    def _score_of(self, row: dict, head: str, prefix: str = HEADLINE_PREFIX) -> str:
        return self._score(
            row.get(column_name(head, "probability", prefix)),
            row.get(column_name(head, "label", prefix)),
        )

    def _spans(self, row: dict) -> list[tuple[int, int]]:
        spans = []
        for h in self.heads:
            if row.get(column_name(h, "label")) != 1:
                continue
            terms = row.get(column_name(h, "terms"))
            for t in strict.loads(terms) if isinstance(terms, str) and terms else terms or []:
                if t["contribution"] >= MARK_MIN:
                    spans += [tuple(s) for s in t["spans"]]
        return spans

    def write_chunk(self, rows: list[dict]) -> None:
        """Write one chunk of merged rows."""
        for row in rows:
            self.n += 1
            ident = printable(str(row.get(self.id_col, ""))) if self.id_col else str(self.n)
            cells = [ident]
            cells += [self._score_of(row, h) for h in self.heads]
            if self.body:
                cells.append(self._score_of(row, "loaded", BODY_PREFIX))
            overall = row.get(OVERALL)
            cells.append("-" if overall in (None, "") else f"{float(overall):.2f}")
            line = "  ".join(c[:w].ljust(w) for c, (_, w) in zip(cells, self._cells(), strict=True))
            text = row.get(self.text_col) if self.text_col else None
            if row.get(ERROR):
                shown = paint(f"error: {printable(str(row[ERROR]))}", "33", self.color)
            else:
                text = text if isinstance(text, str) else ""
                room = max(self.width - len(line) - 2, 20)
                cut = text if len(text) <= room else text[: room - 1] + "…"
                shown = mark_words(cut, self._spans(row), self.color)
                note = _not_scored(row)
                if note:
                    shown = paint(f"({note})", "33", self.color) + " " + shown
            self.fh.write(f"{line}  {shown}\n")

    def close(self) -> None:
        """Nothing to finish (the stream is the caller's)."""
        self.fh.flush()
