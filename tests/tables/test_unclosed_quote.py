"""A quote never closed (issue 25, class 4): the record it opens is an error row naming the
line and how far it ran, with a warning; its merged text is never a row to score."""

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from framing.tables.read import ReadStats, read_chunks

WORDS = st.text(alphabet="abc ,\n\"'", min_size=0, max_size=8)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def rows_of(data: str, **kw):
    stats = ReadStats()
    rows = [r for c in read_chunks(io.BytesIO(data.encode()), "csv", stats=stats, **kw) for r in c]
    return rows, stats


@settings(max_examples=150, deadline=None)
@given(
    cells=st.lists(WORDS, min_size=1, max_size=12),
    at=st.integers(0, 11),
    limit=st.sampled_from([None, 40]),
)
def test_an_unclosed_quote_is_one_error_row_where_it_opened(cells, at, limit):
    at = min(at, len(cells) - 1)
    lines = [f"{i},{_quoted(c)}\n" for i, c in enumerate(cells[:at])]
    opened = 2 + sum(line.count("\n") for line in lines)  # the header is line 1
    lines.append(f'{at},"never closed {cells[at].replace(chr(34), "")}\n')  # no " after it:
    lines += [f"{i},{c.replace(chr(34), '')}\n" for i, c in enumerate(cells[at + 1 :], at + 1)]
    rows, stats = rows_of("id,headline\n" + "".join(lines), max_row_chars=limit)
    assert [r.fields["id"] for r in rows[:-1]] == [str(i) for i in range(at)]
    if limit is None:
        assert [r.fields["headline"] for r in rows[:-1]] == cells[:at]
    last = rows[-1]
    assert last.fields == {"id": "", "headline": ""}  # never the merged text
    assert last.line == opened
    assert last.error.startswith(f"unclosed quote: a quoted field opened on line {opened:,}")
    assert "runs to the end of the file" in last.error
    assert stats.warnings == [last.error]


def test_a_stray_quote_closed_by_a_later_line_is_an_error_row_naming_its_lines():
    """Closed by a later line's quote followed by text: the merged record is refused (the csv
    module's strict rule), naming the lines it ran over; the rows after it are read."""
    data = 'id,headline\n1,x\n2,"stray\n3,"headline 3"\n4,"h4"\n5,z\n'
    rows, stats = rows_of(data)
    assert [(r.line, r.fields["headline"]) for r in rows] == [
        (2, "x"),
        (3, ""),
        (5, "h4"),
        (6, "z"),
    ]
    assert "a quoted field opened on line 3 ran to line 4" in rows[1].error
    assert stats.warnings == [rows[1].error]


def test_closed_quotes_at_the_end_of_a_file_are_not_unclosed():
    for data in ('id,h\n1,"closed"', 'id,h\n1,"multi\nline"', 'id,h\n1,"a""b"\n'):
        rows, stats = rows_of(data)
        assert rows[0].error is None and not stats.warnings


def test_a_header_with_a_bad_quote_is_an_input_error():
    import pytest

    from framing.errors import InputError

    with pytest.raises(InputError, match="unclosed quote: a quoted field opened on line 1"):
        rows_of('"headline\nfoo\nbar\n')
    with pytest.raises(InputError, match="malformed CSV header"):
        rows_of('"head"line,id\nfoo,1\n')
