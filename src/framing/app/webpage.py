"""The Analyse page's web-page pieces: a saved news page read into the headline and article
boxes (:func:`framing.web.extract_page`), and the analysis downloaded as one standalone HTML
page (:func:`framing.app.export.explanation_page`)."""

from __future__ import annotations

import hashlib

import streamlit as st

from framing.app.export import explanation_page
from framing.app.render import as_text
from framing.errors import FramingError

__all__ = ["offer_download", "read_uploaded_page"]

MAX_PAGE_BYTES = 20_000_000


def read_uploaded_page() -> None:
    """An upload box for a saved web page; a new page fills the headline and article boxes
    (call before they are drawn)."""
    uploaded = st.file_uploader(
        "Or read a saved web page (.html): its headline and main text, boilerplate dropped",
        type=["html", "htm"],
        key="page_upload",
    )
    if uploaded is None:
        return
    data = uploaded.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    if st.session_state.get("page_digest") == digest:
        return  # already read: the boxes may have been edited since
    st.session_state["page_digest"] = digest
    if len(data) > MAX_PAGE_BYTES:
        st.error(f"That page is over {MAX_PAGE_BYTES // 1_000_000} MB: save the article alone.")
        return
    from framing.web import extract_page

    try:
        page = extract_page(data)
    except FramingError as exc:
        st.error(f"Could not read the page: {as_text(exc)}")
        return
    if not page.headline and not page.body:
        st.warning("No headline or article text was found in that page.")
        return
    st.session_state["headline"] = page.headline
    st.session_state["body"] = page.body


def offer_download(explanation, highlight) -> None:
    """A button downloading the analysis as one HTML page (no script; text escaped)."""
    st.download_button(
        "Download this analysis as a web page (HTML)",
        data=explanation_page(explanation, highlight=highlight),
        file_name="framing-analysis.html",
        mime="text/html",
        key="download_page",
    )
