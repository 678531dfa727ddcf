"""Readers' marks where they read (Analyse, Compare): under a highlighted headline or
sentence, each highlighted word can be marked "loaded" / "not loaded" and the whole unit
"label wrong".

A mark stores what the page showed: the unit's text as scored, the unit (``headline`` or
``sentence``), the head, the word's span in the text, the answer, the model's fingerprint
(:func:`framing.core.house_style.model_fingerprint`) and its probability then, and the
reader's name and note. It goes to the sidebar's database (:mod:`framing.app.settings`).
"""

from __future__ import annotations

import hashlib

import streamlit as st

from framing.app.render import as_text
from framing.app.review_data import answer_words, word_choices
from framing.app.settings import open_db, user_name
from framing.core.house_style import model_fingerprint
from framing.errors import FramingError
from framing.feedback import Mark

__all__ = ["MESSAGE_KEY", "SESSION_MARKS", "mark_panel", "panel_key", "save_mark"]

MESSAGE_KEY = "mark_message"  # what the last mark did, shown once by the panel that made it
SESSION_MARKS = "marks_of_this_session"  # (id, time) of the marks this session stored


def panel_key(unit: str, head: str, text: str) -> str:
    """A key for the widgets of one (unit, head, text): the same text keeps its panel."""
    digest = hashlib.sha256(f"{unit}\0{head}\0{text}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:12]


def save_mark(mark: Mark, key: str) -> bool:
    """Store ``mark``; the panel ``key`` then shows what was stored (or why not)."""
    try:
        with open_db() as store:
            mark_id = store.add(mark)
            stored = store.get(mark_id)  # its time: a later mark may get a deleted one's id
            st.session_state.setdefault(SESSION_MARKS, []).append((mark_id, stored.created_at))
    except FramingError as exc:
        st.session_state[MESSAGE_KEY] = (key, "error", f"Not stored: {exc}")
        return False
    what = f"“{mark.text[mark.start : mark.end]}”" if mark.start is not None else "the label"
    shown = (
        f"Stored mark #{mark_id}: {what} → {answer_words(mark)} ({mark.head}). See it on Review."
    )
    st.session_state[MESSAGE_KEY] = (key, "success", shown)
    return True


def _mark(model, score, text: str, unit: str, head: str, note: str, **fields) -> Mark:
    return Mark(
        text=text,
        unit=unit,
        head=head,
        model_hash=model_fingerprint(model),
        score=float(score.probability),
        user=user_name(),
        note=note.strip() or None,
        **fields,
    )


def _message(key: str) -> None:
    found = st.session_state.get(MESSAGE_KEY)
    if found and found[0] == key:
        (st.error if found[1] == "error" else st.success)(as_text(found[2]))


def mark_panel(model, score, text: str, unit: str, head: str, offset: int = 0) -> None:
    """The marks of one scored unit: ``score`` (a :class:`~framing.explanation.HeadScore`)
    of ``head`` on ``text``; the term spans + ``offset`` index ``text``."""
    key = panel_key(unit, head, text)
    choices = word_choices(score.terms, text, offset)
    with st.expander(as_text(f"Correct the model: mark words or the label ({head}, this {unit})")):
        note = st.text_input("Note (optional)", key=f"mark-note-{key}", max_chars=2000)
        if choices:
            pick = st.selectbox(
                "Highlighted word",
                range(len(choices)),
                format_func=lambda i: choices[i][0],
                key=f"mark-word-{key}",
            )
            left, right = st.columns(2)
            for col, answer, label in (
                (left, "loaded", "Loaded"),
                (right, "neutral", "Not loaded"),
            ):
                if col.button(label, key=f"mark-{answer}-{key}"):
                    _, a, b = choices[pick]
                    mark = _mark(
                        model, score, text, unit, head, note, start=a, end=b, answer=answer
                    )
                    save_mark(mark, key)
        right_label = "0" if score.label else "1"
        if st.button(
            f"Label wrong (the right label is {right_label})",
            key=f"mark-unit-{key}",
            help=f"The model says {int(bool(score.label))} for this {unit}.",
        ):
            save_mark(_mark(model, score, text, unit, head, note, answer=right_label), key)
        _message(key)
