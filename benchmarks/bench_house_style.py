"""House style without retraining (issue 27): prints figures, never asserts them.

    python benchmarks/bench_house_style.py [--terms FILE] [--model DIR] [--per-term 5]

A house-style list (default: examples/house_style_terms.txt, 20 terms none of which is in
the shipped loaded_terms.txt) is applied with ``framing.core.house_style`` and measured:

1. **Written headlines**: two short headlines per term, written for this benchmark after the
   list (``HEADLINES`` below), each holding one term and otherwise plain news wording.
   * *suggest uses it*: ``suggest()`` with the list replaces the term by one of the list's
     alternatives (per term: in at least one of its headlines; and per headline);
   * *flags*: the ``loaded`` probability with the list is >= 0.5 (the head's threshold),
     beside the same headlines without the list (the plain baseline of the same run), and
     the *neutral twins* (each term replaced by its first alternative, by hand).
2. **Swap-in headlines** (when ../shared/data or $FRAMING_DATA_DIR holds Stop Clickbait):
   real neutral headlines holding a term's first alternative, the term swapped in (the
   method of bench_suggest.py), at most ``--per-term`` per term (seed 0); the same figures.

It also prints the weight of the feature ``lex:loaded_terms`` (a fixed lift of the logit per
occurrence, the lexicon norm being ``none``) and, for the headlines that do not flag, how
much more logit they would need: what a stronger weight or a retrain would have to give.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

from framing import load_model, suggest
from framing.core.house_style import read_house_style, with_house_style
from framing.core.wordlists import DROP, loaded_terms

REPO = Path(__file__).resolve().parents[1]

# written for this benchmark: two per term, in the order of the example list
HEADLINES = {
    "barmy": ["Barmy proposal to move the town hall approved", "MPs debate barmy parking rules"],
    "loony": ["Loony plan for new bypass goes to inquiry", "Council backs loony recycling policy"],
    "meddling": [
        "Meddling officials hold up school building work",
        "Minister accused of meddling in court case",
    ],
    "bungling": ["Bungling managers overspend on new trams", "Report blames bungling agency"],
    "diktat": ["Brussels diktat on fishing quotas", "Teachers told to follow new diktat"],
    "fat cats": ["Bank fat cats share bonus pot", "Fat cats at energy firm keep jobs"],
    "jobsworth": ["Jobsworth fines driver for stopping", "Jobsworth bans dog from park bench"],
    "scrounger": ["Benefit scrounger ordered to repay money", "Scrounger lived in council flat"],
    "penpusher": ["Penpusher blocks repair of village bridge", "Penpusher pay rises again"],
    "nanny state": ["Nanny state to limit sweets at tills", "New nanny state rules on salt"],
    "lefty": ["Lefty teachers back strike ballot", "Lefty mayor unveils housing plan"],
    "do-gooders": ["Do-gooders take council to court", "Do-gooders open new food bank"],
    "fiasco": ["Passport fiasco delays holidays", "Exam results fiasco at county schools"],
    "shambolic": ["Shambolic start to ferry service", "Shambolic count delays election result"],
    "dithering": ["Dithering council delays road plan", "Dithering ministers put off decision"],
    "tax grab": ["Tax grab on pensions in budget", "Treasury plans tax grab on cars"],
    "woke": ["Woke council renames street", "Woke museum changes its labels"],
    "hacks": ["Hacks wait for the minister outside", "Hacks travel with the prime minister"],
    "freeloader": ["Freeloader stays in hotel for months", "Freeloader caught on train again"],
    "eco-zealots": ["Eco-zealots glue themselves to road", "Eco-zealots protest at airport"],
}


def _styled(args):
    model = load_model(args.model)
    style = read_house_style(args.terms)
    return model, with_house_style(model, style), style


def _p(model, texts):
    return model["loaded"].predict_proba(texts)[:, 0] if texts else np.zeros(0)


def _uses(styled, style, text: str, term: str) -> bool:
    """Whether suggest() replaces ``term`` in ``text`` by one of the list's alternatives."""
    alts = set(style.alternatives()[term])
    s = suggest(text, model=styled, kind="headline")
    for r in s.replacements:
        # a <drop> entry may take the next word's capital ("Bungling managers" -> "Managers")
        if r.term == term and (DROP in alts or r.replacement.lower() in alts):
            return True
    return False


def _twin(text: str, term: str, style) -> str:
    """``text`` with ``term`` replaced by its first alternative (by hand, case kept)."""
    first = style.alternatives()[term][0]
    first = "" if first == DROP else first
    low = text.lower()
    i = low.find(term)
    if i < 0:
        return text
    new = first[:1].upper() + first[1:] if text[i : i + 1].isupper() else first
    out = (text[:i] + new + text[i + len(term) :]).replace("  ", " ").strip()
    return out[:1].upper() + out[1:]


def _report(name, plain, styled_p, twins, used):
    n = len(styled_p)
    print(f"\n{name}: {n} headlines")
    print(f"  flags (loaded >= 0.5) with the list:    {np.mean(styled_p >= 0.5):6.1%}")
    print(f"  flags without the list (plain model):   {np.mean(plain >= 0.5):6.1%}")
    if twins is not None:
        print(f"  neutral twins flagging with the list:   {np.mean(twins >= 0.5):6.1%}")
    print(f"  mean probability: {plain.mean():.3f} -> {styled_p.mean():.3f} with the list")
    print(f"  suggest uses the list's term:           {np.mean(used):6.1%} of headlines")


def _written(model, styled, style):
    texts, terms = [], []
    for term, heads in HEADLINES.items():
        texts += heads
        terms += [term] * len(heads)
    missing = [t for t in style.alternatives() if t not in HEADLINES]
    if missing:
        print(f"  (no written headlines for {missing}: give --terms the example list)")
    used = [_uses(styled, style, t, term) for t, term in zip(texts, terms, strict=True)]
    twins = _p(styled, [_twin(t, term, style) for t, term in zip(texts, terms, strict=True)])
    plain, with_list = _p(model, texts), _p(styled, texts)
    _report("written headlines", plain, with_list, twins, used)
    per_term = {term: False for term in HEADLINES}
    for term, u in zip(terms, used, strict=True):
        per_term[term] |= u
    print(f"  terms suggest uses (any headline):      {sum(per_term.values())}/{len(per_term)}")
    for t, p0, p1, u in zip(texts, plain, with_list, used, strict=True):
        if p1 < 0.5 or not u:
            print(f"    {p0:.2f} -> {p1:.2f} used={u}  {t!r}")
    return with_list, model["loaded"].logits(texts)[:, 0]


def _swapped(model, styled, style, per_term: int):
    data = Path(os.environ.get("FRAMING_DATA_DIR") or REPO.parent / "shared" / "data")
    if not (data / "stop_clickbait" / "non_clickbait_data.gz").is_file():
        print("\nswap-in headlines: skipped (no Stop Clickbait data under ../shared/data)")
        return
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_suggest import Index, neutral_headlines, swap_pairs

    index = Index(neutral_headlines(data))
    pairs = []
    for term, alts in style.alternatives().items():
        if alts[0] != DROP:
            rng = random.Random(f"0:{term}")
            pairs += swap_pairs(index, term, alts[0], term, "", "word", rng, per_term)
    texts = [p.loaded for p in pairs]
    used = [_uses(styled, style, p.loaded, p.entry) for p in pairs]
    reached = sorted({p.entry for p in pairs})
    _report(
        f"swap-in headlines (Stop Clickbait, {len(reached)} terms)",
        _p(model, texts),
        _p(styled, texts),
        _p(styled, [p.neutral for p in pairs]),
        used,
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--terms", default=str(REPO / "examples" / "house_style_terms.txt"))
    ap.add_argument("--model")
    ap.add_argument("--per-term", type=int, default=5)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    model, styled, style = _styled(args)
    shipped = set(loaded_terms())
    print(f"terms: {args.terms}: {len(style)} entries, fingerprint {style.fingerprint[:16]}")
    print(f"  already in the shipped list: {sorted(set(style.alternatives()) & shipped) or 'none'}")
    head = model["loaded"]
    j = head.space.offsets["lex"] + head.space.lex_vocab["loaded_terms"]
    weight = float(head.coef[0, j]) * head.space.lexicon_weight
    print(
        f"lex:loaded_terms lifts the logit by {weight:.3f} per occurrence (norm "
        f"{head.space.lexicon_norm}); the loaded head's intercept is {head.intercept[0]:.3f}"
    )
    with_list, base_logits = _written(model, styled, style)
    need = np.maximum(0.0, -base_logits - weight)[with_list < 0.5]
    if len(need):
        print(f"  the {len(need)} not flagged need {need.min():.3f}-{need.max():.3f} more logit")
    covered = np.mean(base_logits + weight >= 0)
    print(f"  share flagged by the plain logit + the feature weight: {covered:.1%}")
    _swapped(model, styled, style, args.per_term)
    print(f"\n({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
