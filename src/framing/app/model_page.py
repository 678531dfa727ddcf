"""The Model page: evaluation figures, calibration, how each head weighs words, the card."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from framing.app import render
from framing.app.settings import model_path
from framing.app.widgets import feature_names
from framing.core.features import describe_feature
from framing.core.model import resolve_model_path

__all__ = ["page_model"]


def _evaluation(metrics: dict) -> None:
    st.subheader("Evaluation")
    rows = [
        {
            "protocol": key,
            "test n": m.get("ours", {}).get("n"),
            "metric": name,
            "framing": value,
            "plain baseline": m.get("plain", {}).get(name),
        }
        for key, m in sorted(metrics.items())
        for name, value in m.get("ours", {}).items()
        if name != "n" and isinstance(value, int | float)
    ]
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.info(
            "This model's manifest holds no evaluation figures (it was trained with "
            "--skip-eval); retrain with `python training/train.py` to measure them."
        )
    curves = [
        pd.DataFrame(m["reliability"]).assign(protocol=key)
        for key, m in sorted(metrics.items())
        if m.get("reliability")
    ]
    if curves:
        st.subheader("Calibration (reliability, out-of-fold)")
        data = pd.concat(curves, ignore_index=True)
        diagonal = alt.Chart(pd.DataFrame({"x": [0, 1], "y": [0, 1]})).mark_line(
            strokeDash=[4, 4], color="#999"
        )
        diagonal = diagonal.encode(x="x:Q", y="y:Q")
        points = (
            alt.Chart(data)
            .mark_line(point=True)
            .encode(
                x=alt.X("mean_predicted:Q", scale=alt.Scale(domain=[0, 1]), title="predicted"),
                y=alt.Y("observed:Q", scale=alt.Scale(domain=[0, 1]), title="observed"),
                color="protocol:N",
                tooltip=["protocol", "bin", "n", "mean_predicted", "observed"],
            )
        )
        st.altair_chart(diagonal + points, width="stretch")


def _readable(rows) -> pd.DataFrame:
    return pd.DataFrame([(describe_feature(n), w) for n, w in rows], columns=["feature", "weight"])


def _label_weights(model, name: str, head, k: int, query: str) -> None:
    """One label's weights (label ``k`` of a multi-label head, or a binary head's)."""
    path = model_path()
    if query.strip():
        hits = render.search_weights(feature_names(path, name), head.coef[k], query)
        for hit in hits:
            hit["feature"] = describe_feature(hit["feature"])
        if hits:
            st.dataframe(pd.DataFrame(hits), hide_index=True, width="stretch")
        else:
            shown = render.as_text(repr(query.strip()))
            st.info(f"No feature of {render.as_text(name)} contains {shown}.")
    pos, neg = head.top_features(label=k, k=20)
    up, down = st.columns(2)
    up.caption("Strongest pushing up")
    up.dataframe(_readable(pos), hide_index=True)
    down.caption("Strongest pushing down")
    down.dataframe(_readable(neg), hide_index=True)


def _weights(model) -> None:
    st.subheader("How the model weighs words")
    st.caption(
        "Weights are per feature: a word, two words together, letters inside a word, or a "
        "word list; a word's contribution to a text's score is the sum of its features' "
        "weights times their TF-IDF values (in logits)."
    )
    query = st.text_input("Search a word or phrase (e.g. regime)", key="weight_query")
    warned = model.manifest.get("head_warnings") or {}
    for name, head in model.heads.items():
        st.markdown(f"**{render.as_text(name)}**: {render.as_text(head.description)}")
        for warning in warned.get(name, ()):
            st.warning(f"Trained on your labels: {render.as_text(warning)}")
        labels = list(head.labels) if len(head.labels) > 1 else []
        if not labels:
            _label_weights(model, name, head, 0, query)
            continue
        tabs = st.tabs([render.as_text(x) for x in labels])
        for k, (tab, label) in enumerate(zip(tabs, labels, strict=True)):
            with tab:
                st.caption(
                    f"{render.as_text(name)}: the words behind {render.as_text(repr(label))}"
                )
                _label_weights(model, name, head, k, query)


def page_model(model, highlight) -> None:
    """The Model page."""
    st.header("The model")
    _evaluation(model.manifest.get("metrics") or {})
    _weights(model)
    if model.house_style is not None:
        info = model.manifest.get("house_style") or {}
        st.info(
            f"House-style list in use: {render.as_text(info.get('source'))}, "
            f"{info.get('entries')} entries (fingerprint {str(info.get('fingerprint'))[:12]}), "
            "in the loaded-terms list of: "
            f"{render.as_text(', '.join(info.get('heads') or []) or 'no head (suggest only)')}."
        )
    card = resolve_model_path(model_path()).with_name("MODEL_CARD.md")
    st.subheader("Model card")
    if card.is_file():
        with st.expander("Read the model card", expanded=False):
            st.markdown(card.read_text(encoding="utf-8"))
    else:
        st.info(f"No MODEL_CARD.md beside this model ({render.as_text(Path(card).parent.name)}).")
