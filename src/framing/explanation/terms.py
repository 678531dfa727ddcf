"""Result objects from the engine's arrays: each text's :class:`HeadScore` with its terms,
built only when asked for (a long body's sentences cost little until they are read)."""

from __future__ import annotations

import weakref

import numpy as np

from framing.core.engine import Attribution
from framing.core.head import Head, sigmoid
from framing.core.tokens import TokenBatch
from framing.explanation.results import (
    FeatureTerm,
    HeadScore,
    Term,
    new_span,
)
from framing.explanation.scores import Scored

__all__ = ["TermTable", "head_scores", "raw_and_outlet"]


_NAMES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _feature_names(space) -> np.ndarray:
    names = _NAMES.get(space)
    if names is None:
        names = _NAMES[space] = space.feature_names()
    return names


class TermTable:
    """Per-text :class:`HeadScore` of one head on a token batch, built when first asked for.

    The arrays (per-word totals grouped and sorted per text, per-feature entries and their
    occurrences) are computed for the whole batch at once; the Python objects of one text
    are made only when :meth:`score` is called for it, so a long body's thousands of
    sentences cost little until they are read."""

    def __init__(
        self,
        head: Head,
        tb: TokenBatch,
        att: Attribution,
        quoted: np.ndarray,
        *,
        with_features: bool,
    ):
        self.head, self.att, self.forms = head, att, tb.forms
        self.with_features = with_features
        self._as_lists = None  # the term arrays as lists (_lists), made when first needed
        n_docs = tb.n_docs
        self.probs = sigmoid(att.logit)
        doc = tb.doc
        if len(tb.form_id):
            n_forms = len(tb.forms)
            key = (doc * n_forms + tb.form_id) * 2 + quoted
            ukey, first, inv = np.unique(key, return_index=True, return_inverse=True)
            total = np.bincount(inv, weights=att.per_token, minlength=len(ukey))
            members = np.argsort(inv, kind="stable")
            kdoc = doc[first]
            order = np.lexsort((-np.abs(total), kdoc))  # per text, largest |total| first
            self.t_order = order
            self.t_ptr = np.searchsorted(kdoc[order], np.arange(n_docs + 1))
            self.t_bounds = np.concatenate([[0], np.cumsum(np.bincount(inv, minlength=len(ukey)))])
            self.t_total, self.t_quoted, self.t_form = total, quoted[first], tb.form_id[first]
            self.t_starts, self.t_ends = tb.starts[members], tb.ends[members]
            self.t_prob = None
            if att.word_logit is not None:  # each word's own probability (its largest)
                z = np.where(np.isnan(att.word_logit), -np.inf, att.word_logit)
                top = np.full(len(ukey), -np.inf)
                np.maximum.at(top, inv, z)
                self.t_prob = np.where(np.isfinite(top), sigmoid(top), np.nan)
        else:
            self.t_ptr = np.zeros(n_docs + 1, dtype=np.int64)
            self.t_order = None  # no token: no term
        hits = att.hits
        self.f_ptr = np.zeros(n_docs + 1, dtype=np.int64)
        if with_features and len(hits.feat):
            self.names = _feature_names(head.space)
            f_order = np.lexsort((-np.abs(att.contrib), att.udoc))
            self.f_order = f_order
            self.f_ptr = np.searchsorted(att.udoc[f_order], np.arange(n_docs + 1))
            occ = np.argsort(att.inverse, kind="stable")
            self.o_bounds = np.concatenate(
                [[0], np.cumsum(np.bincount(att.inverse, minlength=len(att.ufeat)))]
            )
            self.o_starts = tb.starts[hits.lo[occ]]
            self.o_ends = tb.ends[hits.hi[occ] - 1]

    def _terms(self, d: int) -> list[Term]:
        a, z = int(self.t_ptr[d]), int(self.t_ptr[d + 1])
        if a == z:
            return []
        ks = self.t_order[a:z]
        lo, hi = self.t_bounds[ks].tolist(), self.t_bounds[ks + 1].tolist()
        base = min(lo)  # a text's tokens (and so its terms' occurrences) are contiguous here
        top = max(hi)
        spans = list(
            map(
                new_span,
                zip(self.t_starts[base:top].tolist(), self.t_ends[base:top].tolist(), strict=True),
            )
        )
        forms = self.forms
        if self.t_prob is None:
            probs = [None] * len(ks)
        else:
            probs = [None if p != p else p for p in self.t_prob[ks].tolist()]  # NaN: no word
        return [
            Term(forms[f], c, spans[x - base : y - base], q, p)
            for f, c, q, x, y, p in zip(
                self.t_form[ks].tolist(),
                self.t_total[ks].tolist(),
                self.t_quoted[ks].tolist(),
                lo,
                hi,
                probs,
                strict=True,
            )
        ]

    def _lists(self) -> tuple:
        """The term arrays as Python lists in the order the texts' terms are listed (made
        once, on the first :meth:`score_dict`): per text its slice of them, without the
        per-text NumPy calls that cost more than the dicts of a short sentence."""
        lists = self._as_lists
        if lists is None and self.t_order is None:
            lists = self._as_lists = (self.t_ptr.tolist(), *[[]] * 5, None, [], [])
        elif lists is None:
            ks = self.t_order
            prob = self.t_prob[ks].tolist() if self.t_prob is not None else None
            lists = self._as_lists = (
                self.t_ptr.tolist(),
                self.t_form[ks].tolist(),
                self.t_total[ks].tolist(),
                self.t_quoted[ks].tolist(),
                self.t_bounds[ks].tolist(),
                self.t_bounds[ks + 1].tolist(),
                prob,
                self.t_starts.tolist(),
                self.t_ends.tolist(),
            )
        return lists

    def _term_dicts(self, d: int) -> list[dict]:
        """``[t.to_dict() for t in self._terms(d)]``, made from the arrays directly."""
        ptr, form, total, quoted, lo_all, hi_all, prob, starts, ends = self._lists()
        a, z = ptr[d], ptr[d + 1]
        if a == z:
            return []
        lo, hi = lo_all[a:z], hi_all[a:z]
        base, top = min(lo), max(hi)  # a text's term occurrences are contiguous here
        pairs = zip(starts[base:top], ends[base:top], strict=True)
        spans = [{"start": x, "end": y} for x, y in pairs]
        forms = self.forms
        out = [
            {"term": forms[f], "contribution": c, "spans": spans[x - base : y - base], "quoted": q}
            for f, c, q, x, y in zip(form[a:z], total[a:z], quoted[a:z], lo, hi, strict=True)
        ]
        if prob is not None:  # a head made of word evidence: the key is added
            for term, p in zip(out, prob[a:z], strict=True):
                if p == p:  # NaN: no word probability
                    term["probability"] = p
        return out

    def _features(self, d: int) -> list[FeatureTerm]:
        a, z = int(self.f_ptr[d]), int(self.f_ptr[d + 1])
        if a == z:
            return []
        es = self.f_order[a:z]
        att = self.att
        lo, hi = self.o_bounds[es].tolist(), self.o_bounds[es + 1].tolist()
        # a text's entries (and so their occurrences) are contiguous: one block of spans
        base, top = min(lo), max(hi)
        starts, ends = self.o_starts[base:top].tolist(), self.o_ends[base:top].tolist()
        spans = list(map(new_span, zip(starts, ends, strict=True)))
        names = [str(n) for n in self.names[att.ufeat[es]].tolist()]
        return [
            FeatureTerm(n, c, spans[x - base : y - base])
            for n, c, x, y in zip(names, att.contrib[es].tolist(), lo, hi, strict=True)
        ]

    def score(self, d: int) -> HeadScore:
        """Text ``d``'s exact :class:`HeadScore`."""
        head, prob = self.head, float(self.probs[d])
        return HeadScore(
            head=head.name,
            probability=prob,
            logit=float(self.att.logit[d]),
            intercept=self.att.intercept,
            threshold=head.threshold,
            label=bool(prob >= head.threshold),
            terms=self._terms(d),
            features=self._features(d),
        )

    def score_dict(self, d: int) -> dict:
        """``self.score(d).to_dict()`` without the objects in between (the JSON of a long
        body's sentences)."""
        head, prob = self.head, float(self.probs[d])
        return {
            "head": head.name,
            "probability": prob,
            "logit": float(self.att.logit[d]),
            "intercept": self.att.intercept,
            "threshold": head.threshold,
            "label": bool(prob >= head.threshold),
            "terms": self._term_dicts(d),
            "features": [f.to_dict() for f in self._features(d)],
        }


def head_scores(
    head: Head, tb: TokenBatch, att: Attribution, quoted: np.ndarray, *, with_features: bool
) -> list[HeadScore]:
    """One exact :class:`HeadScore` per text of ``tb`` (``quoted``: per token)."""
    table = TermTable(head, tb, att, quoted, with_features=with_features)
    return [table.score(d) for d in range(tb.n_docs)]


def raw_and_outlet(s: Scored, *, with_features: bool) -> tuple[TermTable, TermTable, dict]:
    """Term tables of every text, raw and outlet voice, and the outlet table's row of each
    text that has one (texts with a quoted word)."""
    raw = TermTable(s.head, s.tb, s.raw, s.quoted, with_features=with_features)
    quoted_out = np.zeros(len(s.outlet_tb.form_id), dtype=bool)
    out = TermTable(s.head, s.outlet_tb, s.outlet, quoted_out, with_features=with_features)
    row = {d: i for i, d in enumerate(s.outlet_docs.tolist())}
    return raw, out, row
