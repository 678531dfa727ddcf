"""The sidebar's settings: which model (a folder, a house-style terms list) and where readers'
marks go (the feedback database, the reader's name).

The model folder defaults to ``$FRAMING_MODEL``, else the shipped model; switching to a
folder retrained with ``framing train --feedback`` rescores every page with it. The database
defaults to ``$FRAMING_DB``, else the store's per-user default file; it is typed in a
password box and shown only with its password masked (``Location.display``).
"""

from __future__ import annotations

import os

import streamlit as st

from framing.app.render import as_text
from framing.app.widgets import get_model
from framing.core.house_style import parse_house_style, with_house_style
from framing.core.model import MODEL_ENV, Model
from framing.errors import InputError
from framing.feedback import open_store, resolve_location

__all__ = [
    "DB_KEY",
    "MODEL_KEY",
    "TERMS_KEY",
    "USER_KEY",
    "app_model",
    "db_url",
    "model_path",
    "open_db",
    "sidebar_settings",
    "user_name",
]

MODEL_KEY = "model_dir"
TERMS_KEY = "terms_upload"
DB_KEY = "feedback_db"
USER_KEY = "feedback_user"


def db_url() -> str | None:
    """The database typed in the sidebar, else None (``$FRAMING_DB``, else the default)."""
    value = (st.session_state.get(DB_KEY) or "").strip()
    return value or None


def user_name() -> str | None:
    """The reader's name typed in the sidebar, else None."""
    value = (st.session_state.get(USER_KEY) or "").strip()
    return value or None


def open_db():
    """A store for one action (opened, used, closed: a store is not shared between the
    threads Streamlit runs sessions on)."""
    return open_store(db_url())


@st.cache_resource(show_spinner="Applying the house-style list...", max_entries=4)
def _styled(path: str | None, data: bytes, name: str) -> Model:
    """The model of ``path`` with the uploaded list (built once per model and list)."""
    return with_house_style(get_model(path), parse_house_style(data, name))


def model_path() -> str | None:
    """The model folder in use: the sidebar's, else ``$FRAMING_MODEL``, else None (shipped)."""
    return (st.session_state.get(MODEL_KEY) or "").strip() or os.environ.get(MODEL_ENV) or None


def app_model() -> Model:
    """The model the pages use: :func:`model_path`'s, with the uploaded house-style list; a
    :class:`FramingError` if either cannot be used."""
    upload = st.session_state.get(TERMS_KEY)
    if upload is None:
        return get_model(model_path())
    return _styled(model_path(), upload.getvalue(), upload.name)


def _database_caption() -> None:
    try:
        location = resolve_location(db_url())
    except InputError as exc:
        st.sidebar.error(as_text(exc))
        return
    st.sidebar.caption(f"Marks go to: {as_text(location.display)} ({as_text(location.source)})")


def sidebar_settings() -> None:
    """The sidebar's model and feedback settings (their values live in the session)."""
    st.sidebar.divider()
    st.sidebar.text_input(
        "Model folder",
        key=MODEL_KEY,
        placeholder="$FRAMING_MODEL, else the shipped model",
        help="A model folder, e.g. one retrained with `framing train --feedback`; every page "
        "then scores with it, and Review shows the corrected texts' scores before and after.",
    )
    st.sidebar.file_uploader(
        "House-style terms (optional)",
        type=["txt"],
        key=TERMS_KEY,
        help="Your list of loaded terms, one 'term | neutral word; ...' a line (the format "
        "of framing's loaded_terms.txt): used at once by the loaded-terms feature and by "
        "neutral wording, without retraining.",
    )
    st.sidebar.text_input(
        "Feedback database",
        key=DB_KEY,
        type="password",
        placeholder="$FRAMING_DB, else the default file",
        help="A file path, sqlite:///FILE or postgresql://USER:PASSWORD@HOST/DB; "
        "shown only with its password masked.",
    )
    st.sidebar.text_input("Your name (optional)", key=USER_KEY, max_chars=200)
    _database_caption()
