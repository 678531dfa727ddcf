"""One reader rule for text that is not UTF-8 but UTF-16 or UTF-32: refused with the
``--encoding`` to pass, by ``framing score`` and the app alike (both read with
``framing.tables.read_chunks``), instead of rows of NUL-interleaved garbage."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.errors import InputError
from framing.tables.read import read_chunks

WIDE = ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]
BOMS = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff", "utf-32-le": "\ufeff", "utf-32-be": "\ufeff"}


def _file(fmt: str, headlines: list[str]) -> str:
    if fmt == "jsonl":
        return "".join(json.dumps({"headline": h}) + "\n" for h in headlines)
    return (
        "headline\n" + "".join(h + "\n" for h in headlines)
        if fmt != "txt"
        else "\n".join(headlines)
    )


def _read(data: bytes, fmt: str, encoding: str = "utf-8") -> list:
    return [r for c in read_chunks(io.BytesIO(data), fmt, encoding=encoding) for r in c]


headline = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(headline.filter(lambda h: h.strip() and '"' not in h), min_size=1, max_size=5),
    st.sampled_from(WIDE),
    st.sampled_from(["csv", "tsv", "jsonl", "txt"]),
)
def test_text_with_a_utf16_or_utf32_byte_order_mark_is_refused(headlines, encoding, fmt):
    data = (BOMS.get(encoding, "") + _file(fmt, headlines)).encode(encoding)
    for utf8 in ("utf-8", "utf-8-sig", "UTF8"):
        with pytest.raises(InputError, match=r"is UTF-(16|32) text .* --encoding utf-(16|32)"):
            _read(data, fmt, utf8)
    option = encoding.split("-")[0] + "-" + encoding.split("-")[1]
    rows = _read(data, fmt, option)  # the encoding it names reads it
    if fmt == "jsonl":
        assert [r.fields["headline"] for r in rows] == headlines


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_text_of_ascii_without_byte_order_mark_in_utf16_is_refused(encoding):
    data = "headline\nMinister slams plan\n".encode(encoding)
    with pytest.raises(InputError, match="holds NUL bytes .* not UTF-8"):
        _read(data, "csv")


def test_a_stream_is_checked_without_losing_its_first_bytes():
    data = b"headline\nMinister slams plan\n"
    stream = io.BufferedReader(io.BytesIO(data))
    stream.seekable = lambda: False  # like stdin
    rows = [r for c in read_chunks(stream, "csv") for r in c]
    assert [r.fields for r in rows] == [{"headline": "Minister slams plan"}]
    wide = io.BufferedReader(io.BytesIO(data.decode().encode("utf-16")))
    wide.seekable = lambda: False
    with pytest.raises(InputError, match="UTF-16"):
        list(read_chunks(wide, "csv"))


def test_utf8_with_its_byte_order_mark_and_a_stray_nul_is_read():
    data = "\ufeffheadline\nMinister\x00 slams plan\nCouncil approves budget\n".encode()
    rows = _read(data, "csv")
    assert [r.fields["headline"] for r in rows] == [
        "Minister\x00 slams plan",
        "Council approves budget",
    ]
