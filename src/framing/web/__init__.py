"""Web pages in and out: the headline and main text of a saved news page
(:mod:`framing.web.extract`, with trafilatura: ``pip install "framing[html]"``), and one
standalone HTML page of an explanation (:mod:`framing.web.page`, no dependency)."""

from framing.web.extract import Page, extract_page, read_page

__all__ = ["Page", "extract_page", "read_page"]
