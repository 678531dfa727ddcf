"""Does ``framing suggest`` keep the facts? Prints the figures on our written sentences.

    python benchmarks/eval_rewording.py [--model DIR] [-v]

Test sets (tests/fixtures/rewording, written for this project):

* ``literal.txt``: 101 sentences with a word of loaded_terms.txt used in its literal sense
  ("Russian forces repelled an invasion", "toxic waste", "the door slammed shut"): the share
  ``suggest`` leaves unchanged (goal >= 0.95), and the share where it offers the word's
  alternatives without applying them;
* ``literal_heldout.txt``: 30 more literal uses, written after the contexts were fixed (the
  honest figure for the rule on sentences that did not shape it);
* ``literal_heldout2.txt`` and ``loaded_heldout.txt``: 70 literal and 74 loaded uses in
  subjects and phrasings unlike the sets above, written and committed before the general
  sense rule of session 3 (offer by default for entries with a common literal sense, apply
  on a loaded-sense cue) was written;
* ``loaded.txt``: 101 sentences with a list word used as loaded wording ("The despot
  addressed the nation"): the share rewritten with the ``loaded`` probability under 0.5
  after (goal >= 0.90), beside the share under 0.5 before (the plain baseline: nothing
  done).

Which set shaped the rule: the sense classes and cue word lists (loaded_terms.txt, framing.
rewording.cues) were written after both held-out-2 sets were committed, by someone who had
written them; the first run of the rule then missed 2 of literal_heldout2.txt, 2 of
literal.txt and 8 of loaded_heldout.txt (68/70, 95/101, 66/74). Changes after that run:
for those misses, a partitive "a row of ..." reads the phrase after "of", "new" does not end
a noun phrase, "is/was" must stand next to the entry, "network" is no institution; for the
unit tests' sentences, "X and Y gather" gives X the civic verb, speech verbs ("ranted") are
civic acts, "regime" is an institution, quotation marks do not end a clause; after trying
the CLI, "talks", "summit", "treaty" ... are what people decide. Read every figure as
measured on sets the author saw.
Each sentence is suggested alone (``kind="auto"``: one sentence is a headline).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from framing import load_model, suggest

REPO = Path(__file__).resolve().parents[1]

FIXTURES = REPO / "tests" / "fixtures" / "rewording"
LITERAL = (
    ("literal.txt", "literal uses"),
    ("literal_heldout.txt", "literal, held out 1"),
    ("literal_heldout2.txt", "literal, held out 2"),
)
LOADED = (("loaded.txt", "loaded uses"), ("loaded_heldout.txt", "loaded, held out"))


def lines(name: str) -> list[str]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return [x for x in text.splitlines() if x.strip() and not x.startswith("#")]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    args = ap.parse_args()
    model = load_model(args.model)
    misses: list[str] = []
    for name, what in LITERAL:
        literal = lines(name)
        kept = offered = 0
        for text in literal:
            s = suggest(text, model)
            if not s.changed:
                kept += 1
                offered += any(k.reason.startswith("literal sense") for k in s.skipped)
            else:
                misses.append(f"  changed: {text!r} -> {s.rewritten!r}")
        n = len(literal)
        print(f"{what} ({name}): {kept}/{n} left unchanged ({kept / n:.3f}; goal >= 0.95)")
        print(f"  of them, alternatives offered as a literal sense: {offered}")
    for name, what in LOADED:
        loaded_figures(model, name, what, misses)
    if args.verbose:
        print("\n".join(misses))


def loaded_figures(model, name: str, what: str, misses: list[str]) -> None:
    loaded = lines(name)
    done = low_before = 0
    for text in loaded:
        s = suggest(text, model)
        low_before += s.before.get("loaded", 1.0) < 0.5
        if s.changed and s.after.get("loaded", 1.0) < 0.5:
            done += 1
        else:
            misses.append(
                f"  not done: {text!r} -> {s.rewritten!r} "
                f"(loaded {s.before.get('loaded', 0):.2f} -> {s.after.get('loaded', 0):.2f})"
            )
    n = len(loaded)
    print(
        f"{what} ({name}): {done}/{n} rewritten with loaded < 0.5 after "
        f"({done / n:.3f}; goal >= 0.90)"
    )
    print(f"  baseline, loaded already < 0.5 before: {low_before}/{n} ({low_before / n:.3f})")


if __name__ == "__main__":
    main()
