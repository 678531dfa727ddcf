"""Can frames be told from a headline alone? Prints the precision of frame labels on headlines.

    python benchmarks/eval_frames.py [--model DIR]

Test set: our 70 headlines with one obvious frame each (tests/fixtures/frames_headlines.tsv,
5 per frame of the 14). A label counts as right when it is the headline's written frame (a
headline can have a second frame, so this is a lower bound). Figures, in one run:

* the model's ``frame`` head (trained on SemEval-2023 articles: headline and body) on the
  headline alone, at its own thresholds: labels shown, precision overall and per frame;
* a headline-only model: TF-IDF word 1-2 grams + one logistic regression per frame
  (scikit-learn, class_weight balanced, C=1), fitted on the titles of the 433 SemEval-2023
  subtask-2 training articles (../shared/data or $FRAMING_DATA_DIR) with their frames,
  labels at probability 0.5;
* the plain baseline: every headline labelled with the training set's most frequent frame.

The rule it supports: a frame is shown on a headline alone only if a headline-only model
reaches precision >= 0.5 for it here (with at least 3 labels shown).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
from collections import Counter
from pathlib import Path

from framing import load_model
from framing.explanation.labels import explain_labels

REPO = Path(__file__).resolve().parents[1]


def rows() -> list[dict]:
    path = REPO / "tests" / "fixtures" / "frames_headlines.tsv"
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def report(name: str, shown: list[tuple[str, str]]) -> None:
    """``shown``: (label given, written frame) pairs."""
    right = sum(a == b for a, b in shown)
    print(f"\n{name}: {len(shown)} labels shown on 70 headlines, {right} right", end="")
    print(f" (precision {right / len(shown):.2f})" if shown else "")
    per = Counter(a for a, _ in shown)
    good = Counter(a for a, b in shown if a == b)
    for label, n in per.most_common():
        flag = "  <- >= 0.5" if n >= 3 and good[label] / n >= 0.5 else ""
        print(
            f"  {label:46} shown {n:3}  right {good[label]:2}  "
            f"precision {good[label] / n:.2f}{flag}"
        )


def semeval_titles() -> tuple[list[str], list[set[str]]] | None:
    env = os.environ.get("FRAMING_DATA_DIR")
    root = Path(env) if env else REPO.parent / "shared" / "data"
    path = root / "semeval2023_task3_en" / "articles_subtask1_2_train.jsonl"
    if not path.exists():
        print("\n(no ../shared/data: the headline-only model is not measured)")
        return None
    titles, frames = [], []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            if obj.get("title", "").strip():
                titles.append(obj["title"])
                frames.append({f.strip() for f in obj.get("frames") or [] if f.strip()})
    return titles, frames


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    args = ap.parse_args()
    model = load_model(args.model)
    head = model["frame"]
    data = rows()
    shown = []
    for r in data:
        for s in explain_labels(head, r["headline"], with_terms=False).labels:
            if s.decision:
                shown.append((s.label, r["frame"]))
    report("the model's frame head on the headline alone", shown)

    found = semeval_titles()
    if found is None:
        return
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    titles, frames = found
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    x = vec.fit_transform(titles)
    test = vec.transform([r["headline"] for r in data])
    shown = []
    for label in head.labels:
        y = [label in f for f in frames]
        if sum(y) < 5 or all(y):
            continue
        clf = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(x, y)
        for r, p in zip(data, clf.predict_proba(test)[:, 1], strict=True):
            if p >= 0.5:
                shown.append((label, r["frame"]))
    print(f"\n(headline-only model fitted on {len(titles)} SemEval-2023 titles)")
    report("headline-only model (TF-IDF 1-2 + LR per frame, titles)", shown)
    common = Counter(f for fs in frames for f in fs).most_common(1)[0][0]
    base = [(common, r["frame"]) for r in data]
    report(f"baseline: every headline labelled {common}", base)


if __name__ == "__main__":
    main()
