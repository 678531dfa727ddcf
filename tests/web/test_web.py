"""Web pages in (framing.web: headline and main text of saved news pages) and highlighted
pages out (framing.app.export), through the library and the CLI.

The 20 pages of ``pages/`` are built by ``make_pages.py`` with known article text and the
boilerplate of real sites; ``benchmarks/eval_web.py`` prints the extraction figures.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from framing import explain
from framing.app.export import explanation_page
from framing.cli import main
from framing.core.text import normalize
from framing.errors import InputError

pytest.importorskip("trafilatura", reason='trafilatura is missing: pip install "framing[html]"')

from framing.web import extract_page, read_page  # noqa: E402

PAGES = sorted((Path(__file__).parent / "pages").glob("*.html"))
BOILERPLATE = (
    "We use cookies",
    "Sign up to our daily newsletter",
    "Share on Facebook",
    "Politics",
    "All rights reserved",
    "Typical.",  # every comment ends so
    "Most read",
    "Related stories",
)


def _known(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def test_there_are_twenty_pages_of_five_layouts():
    assert len(PAGES) == 20
    assert len({_known(p)["style"] for p in PAGES}) == 5


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_headline_and_every_article_paragraph_extracted_without_the_site_around_them(path):
    known = _known(path)
    page = read_page(path)
    assert page.headline == known["headline"]
    paragraphs = page.body.split("\n\n")
    for p in known["paragraphs"]:
        assert p in paragraphs
    for text in BOILERPLATE:
        assert text not in page.body, text


def test_odd_pages():
    assert extract_page("") == extract_page("   ")
    assert extract_page("").body == ""
    page = extract_page(
        "<html><head><title>Rates held &amp; more - Example News</title></head><body>"
        "<p>The central bank held interest rates steady on Thursday, citing slowing growth "
        "and uncertainty over trade, and said it would review the decision next month.</p>"
        "</body></html>"
    )
    assert page.headline == "Rates held & more" and page.headline_source == "title"
    latin = "<html><head><meta charset='iso-8859-1'><title>Caf\xe9</title></head></html>"
    assert extract_page(latin.encode("latin-1")).headline == "Café"
    with pytest.raises(InputError, match="str or bytes"):
        extract_page(3)
    with pytest.raises(InputError, match="no such file"):
        read_page(Path(__file__).parent / "missing.html")


def test_explain_html_uses_the_extracted_texts_so_offsets_hold(tmp_path, capsys):
    path = PAGES[0]
    assert main(["explain", "--html", str(path), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    page = read_page(path)
    assert (got["headline"], got["body"]) == (page.headline, page.body)
    for s in got["sentences"]:
        for t in s["loaded"]["terms"] if s.get("loaded") else []:
            for span in t["spans"]:
                assert normalize(page.body[span["start"] : span["end"]]) == t["term"]
    assert got["skipped"], "the READ MORE teaser inside the article is left out"


def test_score_a_folder_of_pages_and_a_column_of_html(tmp_path):
    out = tmp_path / "scored.jsonl"
    assert main(["score", str(PAGES[0].parent), "-o", str(out), "-q"]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["file"] for r in rows] == [p.name for p in PAGES]
    assert all(r["error"] is None for r in rows)
    first = read_page(PAGES[0])
    assert (rows[0]["page_headline"], rows[0]["page_body"]) == (first.headline, first.body)
    ex = explain(first.headline, first.body)
    assert rows[0]["body_loaded_probability"] == round(ex.article.probability, 6)
    src = tmp_path / "pages.csv"
    src.write_text(
        'id,html\n1,"' + PAGES[1].read_text(encoding="utf-8").replace('"', '""') + '"\n2,\n',
        encoding="utf-8",
    )
    out = tmp_path / "scored.csv"
    assert (
        main(["score", str(src), "--html-col", "html", "-o", str(out.with_suffix(".jsonl")), "-q"])
        == 0
    )
    rows = [json.loads(x) for x in out.with_suffix(".jsonl").read_text().splitlines()]
    assert rows[0]["page_headline"] == _known(PAGES[1])["headline"] and rows[0]["error"] is None
    assert rows[1]["error"].startswith("empty text")


INJECTED = '<script>alert(1)</script><img src=x onerror=alert(2)> & "quoted"'


def test_the_standalone_page_escapes_every_text_and_holds_no_script(tmp_path):
    body = f"The despot lied about {INJECTED}.\n\nREAD MORE: {INJECTED}\n\nIt was chilling."
    result = explain(f"Despot {INJECTED}", body)
    page = explanation_page(result, source=INJECTED)
    assert "<script" not in page.lower() and "onerror=" not in page.replace("onerror=alert", "")
    assert "<img" not in page.lower()
    assert html.escape("<script>alert(1)</script>") in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert re.search(r"<(link|iframe|object|embed)\b", page) is None
    for name, r in result.heads.items():
        if r.headline is not None:
            assert f"{name}: {r.headline.probability:.3f}" in page
    assert f"{result.article.probability:.3f}" in page
    assert "Left out of the article score as boilerplate" in page
    out = tmp_path / "page.html"
    assert main(["explain", "Despot slams talks", "--body", body, "--html-out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9-]*)")
OUR_TAGS = {
    "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "div", "span",
    "mark", "table", "tr", "th", "td", "b",
}  # fmt: skip
texts = st.text(alphabet=st.sampled_from(list("<>&\"'/= \nabcSCRIPT!.:") + ["\u202e"]), max_size=80)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(headline=texts, body=texts, words=st.sampled_from(["despot", "READ MORE:", "chilling"]))
def test_the_standalone_page_holds_only_its_own_markup(tiny_model, headline, body, words):
    headline, body = f"{words} {headline}", f"{body}\n\n{words} {body}."
    page = explanation_page(explain(headline, body, model=tiny_model), source=headline)
    assert set(_TAG.findall(page)) <= OUR_TAGS
    assert "<script" not in page.lower()
    assert f"<title>framing: {html.escape(headline)}</title>" in page


def test_a_page_over_the_limit_is_refused_before_it_is_read(tmp_path):
    """Issue 25's rule for files (sizes checked before reading) holds for web pages: a
    sparse file of 1 GB and an endless device are refused without being read whole."""
    from framing.errors import InputError
    from framing.web.extract import read_limited, read_page

    big = tmp_path / "big.html"
    with big.open("wb") as f:
        f.truncate(1 << 30)  # sparse: takes no disk, would take 1 GB of memory if read
    with pytest.raises(InputError, match="over"):
        read_page(big, limit=1 << 20)
    assert read_limited("/dev/zero", 1000) is None  # at most limit + 1 bytes read
    small = tmp_path / "small.html"
    small.write_bytes(b"<html><title>t</title></html>")
    assert read_limited(small, 1000) == small.read_bytes()
