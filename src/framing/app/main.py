"""The app's frame: the sidebar (page, highlighting) and the chosen page.

A view over the library: the model is loaded once (cached), the pages call
:func:`framing.explain`, :func:`framing.suggest` and the batch path, and render. All user text
is shown through :mod:`framing.app.render`, which HTML-escapes it, or through Streamlit
widgets that never read it as HTML.
"""

from __future__ import annotations

import streamlit as st

from framing.app.analyse import page_analyse
from framing.app.compare import page_compare
from framing.app.files import page_file
from framing.app.model_page import page_model
from framing.app.render import as_text
from framing.app.review import page_review
from framing.app.settings import app_model, sidebar_settings
from framing.errors import FramingError

__all__ = ["PAGES", "main"]

PAGES = {
    "Analyse": page_analyse,
    "Compare headlines": page_compare,
    "Score a file": page_file,
    "Model": page_model,
    "Review": page_review,
}
HIGHLIGHT_MODES = ("words that matter", "every word")


def _sidebar() -> tuple[str, dict]:
    page = st.sidebar.radio("Page", list(PAGES), key="page")
    st.sidebar.caption(
        "Labels are the model's, at each head's threshold (as framing explain gives them)."
    )
    mode = st.sidebar.radio(
        "Highlight in the article",
        HIGHLIGHT_MODES,
        key="highlight_mode",
        help="'words that matter': the three words of each sentence that move its score most "
        "(|contribution| at least 0.1); 'every word': all words above the threshold below.",
    )
    min_abs = st.sidebar.number_input(
        "with |contribution| at least (every word)",
        0.0,
        5.0,
        0.05,
        step=0.05,
        key="min_abs",
    )
    sidebar_settings()
    return page, {"mode": mode, "min_abs": float(min_abs)}


def main() -> None:
    """Run the app (``streamlit run app.py``)."""
    st.set_page_config(page_title="framing", layout="wide")
    page, highlight = _sidebar()
    try:
        model = app_model()
    except FramingError as exc:
        st.error(f"Could not load the model: {as_text(exc)}")
        st.stop()
    PAGES[page](model, highlight)
