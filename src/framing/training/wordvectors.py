"""Distributional word vectors from the unlabelled text of the data folder (issue 24).

The word model of a word-evidence head knows a word by its form, its character n-grams and
its lexicons; a loaded word that no mark and no list shows it ("fury", "heartbreak",
"henchmen") has no evidence. Words used alike have similar neighbours, so a vector of a
word's neighbours carries what the marks say about the words that stand where it stands.

:func:`corpus` reads every text of the data folder **without its labels** (BABE SG1/SG2 and
MBIC sentences and articles, Anno-lexical sentences, PTC and SemEval-2023 articles, Stop
Clickbait and Webis headlines, GVFC headlines) and WordNet's synsets as text (the synonyms,
the gloss and the examples of each synset). :func:`ppmi_svd` counts word-context pairs in a
window, weighs them by positive pointwise mutual information (context counts smoothed to
the power 0.75) and reduces the matrix by truncated SVD (scikit-learn, fixed seed) to a few
dozen dimensions; rows scaled to unit length, stored as float16
(:class:`framing.core.wordvectors.WordVectors`).

Computing the vectors over all text, the evaluation folds' text included, is transductive
but label-free; ``exclude`` leaves sources out (e.g. ``("babe",)``: BABE and MBIC) to
measure that the figures do not depend on it.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections import Counter
from pathlib import Path

import numpy as np

from framing import strict

__all__ = ["SOURCES", "corpus", "ppmi_svd", "tokens"]

SOURCES = ("babe", "anno_lexical", "ptc", "semeval2023", "clickbait", "gvfc", "wordnet")
_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens (letters, inner hyphens and apostrophes)."""
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def _csv_column(path: Path, column: str, **kw) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    csv.field_size_limit(1 << 26)
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        return [r.get(column) or "" for r in csv.DictReader(fh, **kw)]


def _jsonl(path: Path, *keys: str) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    out = []
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = strict.loads(line)
            for k in keys:
                v = row.get(k)
                out.extend(v if isinstance(v, list) else [v or ""])
    return out


def _source(data_dir: Path, name: str) -> list[str]:
    d = data_dir
    if name == "babe":
        texts = _csv_column(d / "babe" / "final_labels_SG2.csv", "text", delimiter=";")
        texts += _csv_column(d / "babe" / "final_labels_SG1.csv", "text")
        mbic = d / "mbic" / "final_labels_MBIC.csv"
        return texts + _csv_column(mbic, "text") + _csv_column(mbic, "article")
    if name == "anno_lexical":
        import pandas as pd

        return [
            t
            for split in ("train", "dev", "test")
            for t in pd.read_parquet(d / "anno_lexical" / f"anno-lexical-{split}.parquet")["text"]
        ]
    if name == "ptc":
        return _jsonl(d / "ptc_semeval2020_task11" / "articles.jsonl", "title", "text")
    if name == "semeval2023":
        folder = d / "semeval2023_task3_en"
        return [t for f in sorted(folder.glob("articles_*.jsonl")) for t in _jsonl(f, "text")]
    if name == "clickbait":
        sc = _csv_column(d / "stop_clickbait" / "stop_clickbait_headlines.csv.gz", "headline")
        webis = d / "webis_clickbait17" / "validation170630_posttext_clean.jsonl.gz"
        return sc + _jsonl(webis, "postText")
    if name == "gvfc":
        return _csv_column(d / "gvfc" / "GVFC_headlines_and_annotations.csv", "news_title")
    if name == "wordnet":
        from framing.training import wordnet

        words, _ = wordnet.synsets(d / "wordnet")
        gl = wordnet.glossary(d / "wordnet")
        return [
            " ".join(ws) + " : " + gl[sid][1] + " ; " + " ; ".join(gl[sid][2])
            for sid, ws in words.items()
            if sid in gl
        ]
    raise ValueError(f"unknown corpus source {name!r}; known: {', '.join(SOURCES)}")


def corpus(data_dir: Path, exclude=()) -> list[list[str]]:
    """The tokens of every distinct text of the data folder's sources but ``exclude``
    (see the module docs); a source whose files are missing is left out."""
    unknown = set(exclude) - set(SOURCES)
    if unknown:
        raise ValueError(f"unknown corpus sources {sorted(unknown)}; known: {', '.join(SOURCES)}")
    seen: set[str] = set()
    out = []
    for name in SOURCES:
        if name in exclude:
            continue
        try:
            texts = _source(Path(data_dir), name)
        except FileNotFoundError:
            continue
        for t in texts:
            if isinstance(t, str) and t and t not in seen:
                seen.add(t)
                out.append(tokens(t))
    return out


def ppmi_svd(
    docs: list[list[str]],
    *,
    dims: int = 64,
    window: int = 4,
    min_count: int = 5,
    max_words: int = 20_000,
    max_contexts: int = 10_000,
    seed: int = 0,
) -> tuple[list[str], np.ndarray]:
    """(vocabulary, vectors): the ``max_words`` most frequent words seen ``min_count`` times
    or more, each a unit-length float16 vector of ``dims`` from the truncated SVD of its
    PPMI row over the ``max_contexts`` most frequent words within ``window`` tokens."""
    from scipy.sparse import coo_matrix
    from sklearn.decomposition import TruncatedSVD

    counts = Counter(w for d in docs for w in d)
    ranked = [w for w, c in counts.most_common() if c >= min_count]
    vocab = ranked[:max_words]
    widx = {w: i for i, w in enumerate(vocab)}
    cidx = {w: i for i, w in enumerate(ranked[:max_contexts])}
    # one stream of word ids, texts separated by -1
    stream = np.fromiter(
        (widx.get(w, -2) for d in docs for w in (*d, None)), dtype=np.int64
    )  # None -> -2 as well; mark the separators
    lengths = np.array([len(d) + 1 for d in docs], dtype=np.int64)
    stream[np.cumsum(lengths) - 1] = -1
    ctx = np.fromiter((cidx.get(w, -2) for d in docs for w in (*d, None)), dtype=np.int64)
    ctx[np.cumsum(lengths) - 1] = -1
    doc = np.repeat(np.arange(len(docs)), lengths)
    shape = (len(vocab), min(len(cidx), max_contexts))
    M = coo_matrix(shape).tocsr()
    for off in range(1, window + 1):
        for a, b in ((stream[:-off], ctx[off:]), (stream[off:], ctx[:-off])):
            same = doc[:-off] == doc[off:]
            ok = (a >= 0) & (b >= 0) & same
            M = (
                M
                + coo_matrix(
                    (np.ones(int(ok.sum()), dtype=np.float32), (a[ok], b[ok])), shape=shape
                ).tocsr()
            )
    M = M.tocoo()
    total = M.sum()
    row = np.asarray(M.sum(axis=1)).ravel()
    col = np.asarray(M.sum(axis=0)).ravel() ** 0.75
    col = col / col.sum()
    pmi = np.log(M.data * 1.0 / total) - np.log(row[M.row] / total) - np.log(col[M.col])
    keep = pmi > 0
    P = coo_matrix((pmi[keep], (M.row[keep], M.col[keep])), shape=shape).tocsr()
    svd = TruncatedSVD(n_components=dims, algorithm="randomized", n_iter=5, random_state=seed)
    U = svd.fit_transform(P)  # U * S
    U = U / np.sqrt(np.maximum(svd.singular_values_, 1e-12))  # U * S^0.5
    norm = np.linalg.norm(U, axis=1, keepdims=True)
    U = np.where(norm > 0, U / np.maximum(norm, 1e-12), 0.0)
    return vocab, U.astype(np.float16)
