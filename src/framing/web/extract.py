"""The headline and the main text of a news web page, boilerplate dropped.

* **Headline**: the page's ``og:title``, else the first ``h1`` (inside ``article`` or
  ``main`` when there is one), else its ``title`` without the site's name after the last
  `` | ``, `` - `` or `` – ``.
* **Body**: the main text as `trafilatura <https://trafilatura.readthedocs.io>`_ extracts it
  (navigation, comments, link lists, banners and footers left out; its precision setting),
  one paragraph a line in its output, joined here by blank lines so that the paragraphs are
  the scorer's paragraphs.

The extracted headline and body are what is scored: offsets in the results point into them
(they are part of every output). The plain-text boilerplate rule
(:mod:`framing.core.boilerplate`) still applies to the body when it is scored, so a teaser
line the extractor kept is left out of the article score and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from framing.errors import InputError

__all__ = ["Page", "extract_page", "read_page"]

_SITE_SUFFIX_RE = re.compile(r"\s+[|\-–—]\s+[^|\-–—]{1,60}$")
_SPACE_RE = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True, slots=True)
class Page:
    """What was read from a page: the headline and body (either may be empty) and where the
    headline came from (``og:title``, ``h1``, ``title`` or ``""``)."""

    headline: str
    body: str
    headline_source: str = ""

    def to_dict(self) -> dict:
        return {
            "headline": self.headline,
            "body": self.body,
            "headline_source": self.headline_source,
        }


def _libraries():
    try:
        import lxml.html
        import trafilatura
    except ImportError as exc:
        raise InputError(
            f"reading web pages needs trafilatura ({exc.name} is missing): "
            'pip install "framing[html]"'
        ) from None
    return trafilatura, lxml.html


def _clean(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def _headline(tree) -> tuple[str, str]:
    for value in tree.xpath('//meta[@property="og:title" or @name="og:title"]/@content'):
        if _clean(value):
            return _clean(value), "og:title"
    for path in ("//article//h1", "//main//h1", "//h1"):
        for h1 in tree.xpath(path):
            text = _clean(h1.text_content())
            if text:
                return text, "h1"
    for title in tree.xpath("//title"):
        text = _clean(title.text_content())
        if text:
            return _SITE_SUFFIX_RE.sub("", text) or text, "title"
    return "", ""


def extract_page(page: str | bytes) -> Page:
    """The headline and main text of one HTML page (``str``, or ``bytes`` in the encoding
    its markup declares, UTF-8 by default).

    Raises:
        InputError: not HTML text, or trafilatura is not installed.
    """
    if not isinstance(page, str | bytes | bytearray):
        raise InputError(f"a web page must be str or bytes, not {type(page).__name__}")
    trafilatura, lxml_html = _libraries()
    if not page.strip():
        return Page("", "")
    try:
        tree = lxml_html.fromstring(page)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise InputError(f"not an HTML page ({exc})") from None
    headline, source = _headline(tree)
    text = trafilatura.extract(
        page,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
        deduplicate=False,
        output_format="txt",
    )
    lines = [_clean(line) for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    if lines and headline and lines[0] == headline:
        lines = lines[1:]  # the headline repeated as the first line of the text
    return Page(headline, "\n\n".join(lines), source)


MAX_PAGE_BYTES = 64 << 20  # a saved page read for explain: more is refused, never read whole


def read_limited(path: str | Path, limit: int) -> bytes | None:
    """The bytes of the file at ``path``, or None when it holds more than ``limit``: its
    size is checked first, and at most ``limit + 1`` bytes are read (a device or a pipe
    that never ends included)."""
    p = Path(path)
    if p.is_file() and p.stat().st_size > limit:
        return None
    with p.open("rb") as f:
        data = f.read(limit + 1)
    return None if len(data) > limit else data


def read_page(path: str | Path, limit: int = MAX_PAGE_BYTES) -> Page:
    """:func:`extract_page` of a saved HTML file (bytes: its declared encoding is used); a
    file over ``limit`` bytes is refused before it is read."""
    try:
        data = read_limited(path, limit)
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not an HTML file") from None
    if data is None:
        raise InputError(f"{path} is over {limit:,} bytes: save only the article's page")
    return extract_page(data)
