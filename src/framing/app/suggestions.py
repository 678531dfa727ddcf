"""The "Suggest neutral wording" view of the Analyse and Compare pages."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from framing.app import render
from framing.app.widgets import show_html
from framing.rewording import suggest

__all__ = ["show_suggestion"]


def _scores(before: dict, after: dict) -> str:
    shown = (f"{render.as_text(h)} {before[h]:.2f} → {after[h]:.2f}" for h in before if h in after)
    return ", ".join(shown)


def _pair(text: str, rewritten: str, replacements, a=0, b=None, ra=0, rb=None) -> None:
    b = len(text) if b is None else b
    rb = len(rewritten) if rb is None else rb
    inside = [r for r in replacements if r.start < b and r.end > a]
    old = [(max(r.start, a) - a, min(r.end, b) - a) for r in inside]
    new = [(max(r.rewritten_start, ra) - ra, min(r.rewritten_end, rb) - ra) for r in inside]
    before, after = st.columns(2)
    with before:
        st.caption("before")
        show_html(render.rewrite_html(text[a:b], old, "old"))
    with after:
        st.caption("after")
        show_html(render.rewrite_html(rewritten[ra:rb], new, "new"))


def show_suggestion(model, text: str, kind: str, title: str) -> None:
    """The neutral rewording of ``text`` (a headline or a body): the rewritten headline, or
    each rewritten sentence, with the replaced words marked, and the scores before and
    after."""
    s = suggest(text, model=model, kind=kind)
    st.markdown(f"**{title}**: {_scores(s.before, s.after) or 'no score'}")
    for warning in s.warnings:
        st.warning(render.as_text(warning))
    if not s.replacements:
        st.info("No loaded word to replace here.")
    elif s.kind == "headline" or not s.sentences:
        _pair(s.text, s.rewritten, s.replacements)
    else:
        for x in s.sentences:
            if x.changed:
                st.caption(f"sentence: loaded {x.before:.2f} → {x.after:.2f}")
                _pair(
                    s.text,
                    s.rewritten,
                    s.replacements,
                    x.start,
                    x.end,
                    x.rewritten_start,
                    x.rewritten_end,
                )
    if s.replacements:
        rows = [
            {
                "original": r.original,
                "replacement": r.replacement.strip() or "(left out)",
                "alternatives": ", ".join(a.strip() or "(left out)" for a in r.alternatives),
                "word's contribution (logit)": round(r.contribution, 3),
            }
            for r in s.replacements
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if s.skipped:
        st.caption(
            "Left as they are: "
            + "; ".join(
                render.as_text(
                    f"{k.original!r} ({k.reason}"
                    + (
                        f"; alternatives: {', '.join(a or '(left out)' for a in k.alternatives)}"
                        if k.alternatives
                        else ""
                    )
                    + ")"
                )
                for k in s.skipped[:10]
            )
        )
