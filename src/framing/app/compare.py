"""The Compare page: candidate headlines for one story, scored, highlighted and sorted."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from framing.app import render
from framing.app.marking import mark_panel
from framing.app.suggestions import show_suggestion
from framing.app.widgets import label_text, show_html
from framing.explanation import explain
from framing.explanation.heads import head_roles

__all__ = ["EXAMPLE_CANDIDATES", "page_compare"]

EXAMPLE_CANDIDATES = (
    "Council closes two bridges as flood water rises\n"
    "You won't believe what the flood did to this town\n"
    "Shameless council leaves families stranded in disastrous flood"
)


def page_compare(model, highlight) -> None:
    """The Compare page: every headline head of the model, for two to five headlines; the
    words of one head highlighted (``loaded`` by default), on the app's one fixed scale."""
    st.header("Compare candidate headlines")
    raw = st.text_area(
        "Two to five headlines for the same story, one per line",
        value=EXAMPLE_CANDIDATES,
        height=140,
        key="candidates",
    )
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    if len(lines) < 2:
        st.info("Enter at least two headlines, one per line, to compare them.")
        return
    if len(lines) > 5:
        st.error(f"{len(lines)} headlines given: compare at most five at a time.")
        return
    heads = [r.name for r in head_roles(model) if r.on_headline]
    sort_by = st.radio("Sort by", heads, horizontal=True, key="sort_by", format_func=render.as_text)
    shown = st.radio(
        "Highlight words for",
        heads,
        index=heads.index("loaded") if "loaded" in heads else 0,
        horizontal=True,
        key="highlight_head",
        format_func=render.as_text,
    )
    results = [explain(headline=h, model=model) for h in lines]
    results.sort(key=lambda r: r.result(sort_by).headline.probability)
    summary = pd.DataFrame(
        {
            "rank": range(1, len(results) + 1),
            "headline": [r.headline for r in results],
            **{h: [round(r.result(h).headline.probability, 3) for r in results] for h in heads},
        }
    )
    st.dataframe(summary, hide_index=True, width="stretch")
    st.caption(f"Words highlighted for the {render.as_text(shown)} head.")
    st.html(render.CSS + render.legend_html())
    for col, (rank, r) in zip(st.columns(len(results)), enumerate(results, 1), strict=True):
        with col:
            st.markdown(f"**#{rank}**")
            for h in heads:
                st.metric(render.as_text(h), label_text(r.result(h).headline))
            marks = render.marks_from_terms(r.result(shown).headline.terms)
            show_html(render.highlight_html(r.headline, marks))
            if r.result(shown).headline is not None:
                mark_panel(model, r.result(shown).headline, r.headline, "headline", shown)
            if r.not_scored:
                st.caption(f"not scored: {render.as_text(r.not_scored)}")
    if st.toggle("Suggest neutral wording", key="suggest_compare"):
        st.subheader("Neutral wording")
        for rank, r in enumerate(results, 1):
            show_suggestion(model, r.headline, "headline", f"#{rank}")
