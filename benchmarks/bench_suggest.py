"""Measurement of framing.suggest on swap-in pairs: prints figures (never asserts them).

    python benchmarks/bench_suggest.py [--model DIR] [--per-entry 5] [--show 20]

Pairs are built from real neutral headlines: the non-clickbait headlines of Stop Clickbait
(New York Times, The Guardian, The Hindu, WikiNews), read at run time from
``../shared/data/stop_clickbait/non_clickbait_data.gz`` (or ``--data`` /
``$FRAMING_DATA_DIR``) and never copied here. For each entry of ``loaded_terms.txt``:

* an entry with a word counterpart: headlines holding the entry's FIRST counterpart as whole
  words ("leader" for ``despot | leader; ruler``; "criticises" for ``slams``), and, for
  single-word noun entries, its plural ("leaders" -> "despots"). The *neutral twin* is the
  headline; the *loaded twin* has the entry swapped in, in the same case ("Leader" ->
  "Despot", "LEADER" -> "DESPOT"; every word capitalised in a Title Case headline), with
  "a"/"an" before it corrected ("a leader" -> "an autocrat");
* a ``<drop>`` entry: the neutral twin is the headline, the loaded twin has the entry
  inserted: an adverb (``-ly``) before a verb of a short list ("says", "denies", ...) that
  follows another word, an adjective right after "the" before a content word.

At most ``--per-entry`` headlines per entry and form (seed 0), occurrences inside
quotation marks left out (suggest never rewords a quotation). Then ``suggest()`` (headline
mode) on each loaded twin, with the given model:

* **below 0.5**: the share whose rewritten text scores below 0.5 on ``loaded``;
* **equals the neutral twin**: the share whose rewritten text is the neutral headline,
  character for character;

overall, per section of ``loaded_terms.txt`` and per kind of pair, beside the loaded and
neutral twins' own scores, and why the others differ.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from framing import load_model
from framing.core.language import ENGLISH_FUNCTION_WORDS
from framing.core.text import quote_spans, token_spans
from framing.core.wordlists import DROP, RESOURCES, loaded_term_alternatives, phrase
from framing.rewording import inflect, suggest

_VERBS_TEXT = """says said denies denied rejects rejected attacks attacked defends defended
blames blamed claims claimed warns warned admits admitted calls called backs backed accuses
accused dismisses dismissed insists insisted vows vowed refuses refused ignores ignored
blocks blocked bans banned orders ordered signs signed cuts raises ends ended seeks sought
pushes pushed urges urged condemns condemned"""
VERBS = frozenset(_VERBS_TEXT.split())


@dataclass
class Pair:
    entry: str
    section: str
    kind: str  # "word", "plural", "drop"
    neutral: str
    loaded: str


def sections() -> dict[str, str]:
    """Entry (lexicon key) -> the title of its section in loaded_terms.txt."""
    out = {}
    section = "?"
    for line in (RESOURCES / "loaded_terms.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].split("(")[0].strip()
            continue
        entry = line.split("|", 1)[0].strip()
        if entry and not entry.startswith("#"):
            out[phrase(entry)] = section
    return out


def neutral_headlines(data: Path) -> list[str]:
    path = data / "stop_clickbait" / "non_clickbait_data.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = [line.strip() for line in fh]
    return sorted({line for line in lines if line})


def title_case(text: str) -> bool:
    words = [w for w in re.findall(r"\w+", text) if len(w) >= 4 and w[0].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def cased(like: str, word: str, title: bool) -> str:
    letters = [c for c in like if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return word.upper()
    if like[:1].isupper():
        if title:
            return " ".join(w[:1].upper() + w[1:] for w in word.split(" "))
        return word[:1].upper() + word[1:]
    return word


def article(word: str) -> str | None:
    first = word[:1].lower()
    if not first.isalpha() or first in "uh" or word.lower().startswith(("eu", "one")):
        return None
    return "an" if first in "aeiou" else "a"


class Index:
    """Headlines by token form, to find the ones holding a word or phrase."""

    def __init__(self, headlines: list[str]):
        self.headlines = headlines
        self.tokens = [token_spans(h) for h in headlines]
        self.quotes = [quote_spans(h) for h in headlines]
        self.by_form: dict[str, list[int]] = defaultdict(list)
        for k, (forms, _, _) in enumerate(self.tokens):
            for f in set(forms):
                self.by_form[f].append(k)

    def find(self, words: list[str]):
        """(headline index, first token, one past the last token) of each occurrence."""
        for k in self.by_form.get(words[0], ()):
            forms, starts, _ = self.tokens[k]
            for i in range(len(forms) - len(words) + 1):
                quoted = any(a <= starts[i] < b for a, b in self.quotes[k])
                if forms[i : i + len(words)] == words and not quoted:
                    yield k, i, i + len(words)


def swap_pairs(index: Index, entry: str, word: str, loaded: str, section, kind, rng, n):
    words = phrase(word).split(" ")
    found = list(index.find(words))
    rng.shuffle(found)
    out = []
    seen = set()
    for k, i, j in found:
        if k in seen:
            continue
        text = index.headlines[k]
        forms, starts, ends = index.tokens[k]
        a, b = starts[i], ends[j - 1]
        title = title_case(text)
        new = cased(text[a:b], loaded, title)
        if all(w[:1].isupper() for w in word.split(" ")):
            # a name ("North Korea") swapped for a description: "the hermit nation"
            new = loaded if i > 0 and forms[i - 1] == "the" else "the " + loaded
            if title:
                new = cased("X", new, True)
            elif a == 0:
                new = new[:1].upper() + new[1:]
        if i > 0 and forms[i - 1] in ("a", "an") and text[ends[i - 1] : a] == " ":
            want = article(loaded)
            if want is None:
                continue
            art = text[starts[i - 1] : ends[i - 1]]
            a = starts[i - 1]
            new = cased(art, want, False) + " " + new
        loaded_text = text[:a] + new + text[b:]
        if loaded_text == text:
            continue
        seen.add(k)
        out.append(Pair(entry, section, kind, text, loaded_text))
        if len(out) >= n:
            break
    return out


def drop_pairs(index: Index, entry: str, section, rng, n):
    adverb = entry.endswith("ly")
    candidates = []
    for k, (forms, starts, ends) in enumerate(index.tokens):
        text = index.headlines[k]
        for i in range(1, len(forms)):
            if adverb:
                ok = forms[i] in VERBS and forms[i - 1] not in ENGLISH_FUNCTION_WORDS
                ok = ok and forms[i - 1].isalpha()
            else:
                ok = (
                    forms[i - 1] == "the"
                    and forms[i].isalpha()
                    and forms[i] not in ENGLISH_FUNCTION_WORDS
                )
            if ok and text[ends[i - 1] : starts[i]] == " ":
                if not any(a <= starts[i] < b for a, b in index.quotes[k]):
                    candidates.append((k, i))
                break
    rng.shuffle(candidates)
    out = []
    for k, i in candidates[:n]:
        text = index.headlines[k]
        forms, starts, ends = index.tokens[k]
        at = starts[i]
        word = cased(text[at:], entry, title_case(text))
        if not text[at:][:1].isupper():
            word = entry
        out.append(Pair(entry, section, "drop", text, text[:at] + word + " " + text[at:]))
    return out


def build_pairs(headlines: list[str], per_entry: int, seed: int) -> list[Pair]:
    index = Index(headlines)
    where = sections()
    pairs = []
    for entry, alts in loaded_term_alternatives().items():
        rng = random.Random(f"{seed}:{entry}")
        section = where.get(entry, "?")
        first = alts[0]
        if first == DROP:
            pairs += drop_pairs(index, entry, section, rng, per_entry)
            continue
        pairs += swap_pairs(index, entry, first, entry, section, "word", rng, per_entry)
        single_noun = (
            " " not in entry
            and not entry.endswith(("s", "ly", "ing", "ed"))
            and "Loaded verbs" not in section
        )
        if single_noun:
            plural_alt = inflect(first, "plural")
            plural_entry = inflect(entry, "plural")
            if plural_alt and plural_entry and plural_alt != first:
                pairs += swap_pairs(
                    index, entry, plural_alt, plural_entry, section, "plural", rng, per_entry
                )
    return pairs


def share(xs) -> str:
    xs = list(xs)
    return f"{sum(xs) / len(xs):6.1%}" if xs else "     -"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None, help="model folder or file (default: shipped)")
    ap.add_argument("--data", default=None, help="data folder (default: ../shared/data)")
    ap.add_argument("--per-entry", type=int, default=5, help="headlines per entry and form")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show", type=int, default=15, help="failing pairs to print")
    args = ap.parse_args(argv)

    from framing.training.binary.datasets import resolve_data_dir

    data = resolve_data_dir(args.data)
    model = load_model(args.model)
    t0 = time.perf_counter()
    headlines = neutral_headlines(data)
    pairs = build_pairs(headlines, args.per_entry, args.seed)
    entries = loaded_term_alternatives()
    covered = {p.entry for p in pairs}
    print(f"model: {args.model or 'shipped'}  heads: {', '.join(model.heads)}")
    print(
        f"{len(headlines):,} neutral headlines; {len(pairs):,} pairs from {len(covered)} of "
        f"{len(entries)} entries (built in {time.perf_counter() - t0:.1f} s)"
    )
    missing = sorted(set(entries) - covered)
    print(f"entries without a pair ({len(missing)}): {', '.join(missing)}")

    rows = []
    t0 = time.perf_counter()
    for p in pairs:
        s = suggest(p.loaded, model=model, kind="headline")
        neutral = suggest(p.neutral, model=model, kind="headline").before["loaded"]
        if s.rewritten == p.neutral:
            why = "equal"
        elif not s.replacements and not s.skipped:
            why = "loaded word not driving the score up (contribution <= 0)"
        elif not s.replacements:
            why = "loaded word left as it is: " + s.skipped[0].reason
        else:
            why = "other wording"
        rows.append((p, s, neutral, why))
    took = time.perf_counter() - t0
    print(
        f"suggest() on {len(pairs):,} loaded twins, and the neutral twins scored: "
        f"{took:.1f} s ({took / max(1, len(pairs)) * 1e3:.1f} ms a pair)"
    )
    print()

    def table(title, key):
        groups = defaultdict(list)
        for r in rows:
            groups[key(r)].append(r)
        print(
            f"{title:<42} {'pairs':>6} {'loaded>=.5':>10} {'neutral<.5':>10} "
            f"{'after<.5':>9} {'(if neutral<.5)':>15} {'equal':>7}"
        )
        for name in sorted(groups, key=lambda g: -len(groups[g])):
            rs = groups[name]
            calm = [r for r in rs if r[2] < 0.5]
            print(
                f"{name[:42]:<42} {len(rs):>6} "
                f"{share(r[1].before['loaded'] >= 0.5 for r in rs):>10} "
                f"{share(r[2] < 0.5 for r in rs):>10} "
                f"{share(r[1].after['loaded'] < 0.5 for r in rs):>9} "
                f"{share(r[1].after['loaded'] < 0.5 for r in calm):>15} "
                f"{share(r[3] == 'equal' for r in rs):>7}"
            )
        print()

    table("overall", lambda r: "all pairs")
    table("per section of loaded_terms.txt", lambda r: r[0].section)
    table("per kind of pair", lambda r: r[0].kind)
    loaded_only = [r for r in rows if r[1].before["loaded"] >= 0.5]
    print(
        f"among the {len(loaded_only)} loaded twins scoring >= 0.5 before: after < 0.5 "
        f"{share(r[1].after['loaded'] < 0.5 for r in loaded_only).strip()}, equal "
        f"{share(r[3] == 'equal' for r in loaded_only).strip()}"
    )
    print()
    print("why the rewritten text differs from the neutral twin:")
    for why, n in Counter(r[3] for r in rows if r[3] != "equal").most_common():
        print(f"  {n:5d}  {why}")
    shown = [r for r in rows if r[3] != "equal"][: args.show]
    if shown:
        print()
        print(f"first {len(shown)} pairs that differ:")
        for p, s, _, why in shown:
            print(f"  [{p.entry}] {why}")
            print(f"     loaded    {p.loaded!r} ({s.before['loaded']:.2f})")
            print(f"     rewritten {s.rewritten!r} ({s.after['loaded']:.2f})")
            print(f"     neutral   {p.neutral!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
