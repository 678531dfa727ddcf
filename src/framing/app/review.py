"""The Review page: readers' marks listed (filter by head, word, user; undo; delete), counted
per head and per word, the corrected texts scored before (stored in the mark) and after (the
model in use now), and the items of a scored file the model is least sure of, one at a time
(:mod:`framing.app.uncertain`)."""

from __future__ import annotations

import streamlit as st

from framing.app.marking import SESSION_MARKS
from framing.app.render import as_text
from framing.app.review_data import (
    answer_words,
    before_after,
    head_counts,
    marks_table,
    word_counts,
)
from framing.app.settings import open_db, user_name
from framing.app.uncertain import label_least_sure
from framing.core.house_style import model_fingerprint
from framing.errors import FramingError

__all__ = ["ANY", "page_review"]

ANY = "(any)"
_NOTICE = "review_notice"


def _describe(mark) -> str:
    """One mark in words: ``#3 "despot" -> not loaded (loaded, headline, by ana)``."""
    what = f"“{mark.word}”" if mark.start is not None else f"the {mark.unit}"
    by = f", by {mark.user}" if mark.user else ""
    return f"#{mark.id} {what} → {answer_words(mark)} ({mark.head}, {mark.unit}{by})"


def _filters(stats: dict) -> dict:
    heads = sorted(stats.get("per_head") or {})
    cols = st.columns(3)
    head = cols[0].selectbox("Head", [ANY, *heads], key="review_head")
    word = cols[1].text_input("Word", key="review_word", placeholder="any word")
    user = cols[2].text_input("User", key="review_user", placeholder="anyone")
    return {
        "head": None if head == ANY else head,
        "word": word.strip() or None,
        "user": user.strip() or None,
    }


def _undo_mine(who: str | None):
    """Delete the newest mark of ``who`` (the sidebar's name), or with no name the newest
    this session stored (never another reader's mark on a shared database); it or None."""
    with open_db() as store:
        if who:
            return store.undo_last(user=who)
        mine = st.session_state.get(SESSION_MARKS, [])
        while mine:
            mark_id, created_at = mine.pop()
            mark = store.get(mark_id)
            if mark is not None and mark.created_at == created_at and store.delete(mark_id):
                return mark
    return None


def _undo_and_delete(marks) -> None:
    left, right = st.columns(2)
    who = user_name()
    undo_help = (
        f"Removes the newest mark by {who}."
        if who
        else "Removes the newest mark stored in this session (type your name in the sidebar "
        "to undo your marks of other sessions)."
    )
    if left.button("Undo my last mark", key="review_undo", help=undo_help):
        undone = _undo_mine(who)
        st.session_state[_NOTICE] = (
            f"Undid mark #{undone.id} ({undone.head}, {undone.unit}"
            f"{f', by {undone.user}' if undone.user else ''})"
            if undone
            else f"No mark {f'by {who}' if who else 'of this session'} to undo."
        )
        st.rerun()
    ids = [m.id for m in marks]
    if ids:
        chosen = right.selectbox("Mark to delete", ids, key="review_delete_id")
        if right.button("Delete mark", key="review_delete"):
            with open_db() as store:
                gone = store.delete(int(chosen))
            st.session_state[_NOTICE] = f"Deleted mark #{chosen}." if gone else "Already gone."
            st.rerun()


def _counts(stats: dict) -> None:
    st.subheader("Counts")
    left, right = st.columns(2)
    left.caption("Marks per head and answer")
    left.dataframe(head_counts(stats), hide_index=True, width="stretch")
    right.caption("Word marks per word")
    right.dataframe(word_counts(stats), hide_index=True, width="stretch")


def _before_after(marks, model) -> None:
    table = before_after(marks, model)
    if table.empty:
        return
    st.subheader("Corrected texts: score before and after")
    st.caption(
        f"Before: the score stored with the newest mark (and the model then). After: the model "
        f"in use now ({as_text(model_fingerprint(model))}); switch models in the sidebar's "
        "Model folder, e.g. to one retrained with `framing train --feedback`."
    )
    st.dataframe(table, hide_index=True, width="stretch")


def page_review(model, highlight) -> None:
    """The Review page (``highlight`` is not used here)."""
    st.header("Review readers' marks")
    try:
        with open_db() as store:
            stats = store.stats()
            where = store.display
            filters = _filters(stats)
            marks = store.list(**filters)
            everything = store.list() if any(filters.values()) else marks
    except FramingError as exc:
        st.error(as_text(f"The feedback database cannot be used: {exc}"))
        return
    st.caption(f"{stats.get('total', 0)} marks in {as_text(where)}.")
    notice = st.session_state.pop(_NOTICE, None)
    if notice:
        st.info(as_text(notice))
    if marks:
        st.markdown(as_text(f"Newest: {_describe(marks[0])}"))
        st.dataframe(marks_table(marks), hide_index=True, width="stretch")
    else:
        st.info("No marks yet" + (" match these filters." if any(filters.values()) else "."))
    _undo_and_delete(marks)
    _counts(stats)
    _before_after(everything, model)
    label_least_sure(model, everything)
