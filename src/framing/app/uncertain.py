"""Label what the model is least sure of: given a scored file (the output of ``framing
score``), the Review page proposes its items with the probability nearest the head's
threshold, one at a time, as annotation tools put the most uncertain examples first.

An answer is stored as a whole-unit mark (``label 1`` / ``label 0``) of the headline, with
the score of the model in use now; the next item follows. Items already marked for the head
(in the database) and items skipped in this session are not proposed again.
"""

from __future__ import annotations

import streamlit as st

from framing.app.data import FILE_TYPES, read_table
from framing.app.files import max_upload_mb
from framing.app.marking import MESSAGE_KEY, save_mark
from framing.app.render import as_text
from framing.app.review_data import least_sure, probability_columns
from framing.app.settings import user_name
from framing.core.columns import parse_column
from framing.core.house_style import model_fingerprint
from framing.errors import InputError
from framing.feedback import Mark

__all__ = ["QUEUE_KEY", "label_least_sure"]

QUEUE_KEY = "least_sure"  # the panel key of the proposed item's messages
_SKIPPED = "least_sure_skipped"


def _scored_file():
    uploaded = st.file_uploader(
        "Scored file (the output of framing score)", type=list(FILE_TYPES), key="review_upload"
    )
    if uploaded is None:
        return None
    if uploaded.size > max_upload_mb() * 1024 * 1024:
        st.error(f"{as_text(uploaded.name)} is over the {max_upload_mb():g} MB limit.")
        return None
    try:
        table, _ = read_table(uploaded.getvalue(), uploaded.name)
    except InputError as exc:
        st.error(as_text(exc))
        return None
    frame = table.frame()
    probs = probability_columns(frame.columns)
    if frame.empty or not probs:
        st.error(
            f"{as_text(uploaded.name)} has no score column (…_probability): upload the output "
            "of `framing score`."
        )
        return None
    return uploaded.name, frame, probs


def _choose(frame, probs):
    texts = [str(c) for c in frame.columns if frame[c].map(lambda v: isinstance(v, str)).any()]
    guess = next(
        (c for c in ("headline", "title", "text") if c in texts), texts[0] if texts else None
    )
    if guess is None:
        st.error("The file has no column of text.")
        return None
    left, right = st.columns(2)
    text_col = left.selectbox("Text column", texts, index=texts.index(guess), key="review_text_col")
    default = probs.index("loaded_probability") if "loaded_probability" in probs else 0
    prob_col = right.selectbox("Score", probs, index=default, key="review_prob_col")
    return text_col, prob_col


def _propose(model, name: str, item, head: str, threshold: float, remaining: int) -> None:
    text = str(item["text"])
    st.markdown(
        f"**{remaining} left.** File row {int(item['row']) + 1}, {as_text(head)} "
        f"probability {item['probability']:.3f} (threshold {threshold:.2f}):"
    )
    st.code(text, language=None, wrap_lines=True)
    now = None
    if head in model.heads and model.heads[head].is_binary:
        now = float(model[head].predict_proba([text])[0, 0])
    cols = st.columns(3)
    answers = (("1", f"{head}: yes (label 1)"), ("0", f"{head}: no (label 0)"))
    for col, (answer, label) in zip(cols, answers, strict=False):
        if col.button(label, key=f"least-sure-{answer}"):
            mark = Mark(
                text=text, unit="headline", head=head, answer=answer,
                model_hash=model_fingerprint(model) if now is not None else None,
                score=now if now is not None else float(item["probability"]),
                user=user_name(), note=f"least sure in {name}, row {int(item['row']) + 1}",
            )  # fmt: skip
            if save_mark(mark, QUEUE_KEY):
                st.rerun()
    if cols[2].button("Skip", key="least-sure-skip"):
        st.session_state.setdefault(_SKIPPED, []).append(text)
        st.rerun()


def label_least_sure(model, marks) -> None:
    """The Review page's section: upload a scored file, label its least-sure items."""
    st.subheader("Label what the model is least sure of")
    found = _scored_file()
    if found is None:
        st.caption("Upload a file scored by `framing score` to be shown its least-sure items.")
        return
    name, frame, probs = found
    chosen = _choose(frame, probs)
    if chosen is None:
        return
    text_col, prob_col = chosen
    head = parse_column(prob_col).head
    threshold = float(model.heads[head].threshold) if head in model.heads else 0.5
    done = {m.text for m in marks if m.head == head}
    done |= set(st.session_state.get(_SKIPPED, []))
    queue = least_sure(frame, text_col, prob_col, threshold, done)
    message = st.session_state.get(MESSAGE_KEY)
    if message and message[0] == QUEUE_KEY:
        (st.error if message[1] == "error" else st.success)(as_text(message[2]))
    if queue.empty:
        st.info("Every item of this file is marked or skipped for this head.")
        return
    _propose(model, name, queue.iloc[0], head, threshold, len(queue))
