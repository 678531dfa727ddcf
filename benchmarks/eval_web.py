"""Extraction quality on the 20 saved news pages of ``tests/web/pages`` (prints; asserts
nothing). The pages are built by ``tests/web/make_pages.py`` with known article text.

    python benchmarks/eval_web.py [--favor recall|precision|balanced] [-v]

Per page and over all pages (characters summed; white space not counted):

* **boilerplate left**: characters of the extracted body that are not article text, over
  the extracted body's characters (goal <= 0.05);
* **article lost**: characters of the article that are not in the extracted body, over the
  article's characters (goal <= 0.02);
* the same two after the plain-text boilerplate rule (``framing.core.boilerplate``), i.e.
  on what is scored;
* headlines read exactly.

Characters are matched with ``difflib.SequenceMatcher`` (no junk heuristic) on the texts
with white space removed.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import time
from pathlib import Path

from framing.core.boilerplate import blank, boilerplate_spans
from framing.web.extract import read_page

PAGES = Path(__file__).resolve().parents[1] / "tests" / "web" / "pages"
_WS = re.compile(r"\s+")


def matched(extracted: str, article: str) -> int:
    a, b = _WS.sub("", extracted), _WS.sub("", article)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(m.size for m in sm.get_matching_blocks())


def chars(text: str) -> int:
    return len(_WS.sub("", text))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    totals = dict.fromkeys(("extracted", "article", "match", "scored", "scored_match"), 0)
    exact = 0
    pages = sorted(PAGES.glob("*.html"))
    t = time.perf_counter()
    for path in pages:
        known = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        article = "\n\n".join(known["paragraphs"])
        page = read_page(path)
        scored = blank(page.body, boilerplate_spans(page.body))
        m, ms = matched(page.body, article), matched(scored, article)
        ext, art, sc = chars(page.body), chars(article), chars(scored)
        for k, v in zip(totals, (ext, art, m, sc, ms), strict=True):
            totals[k] += v
        exact += page.headline == known["headline"]
        if args.verbose:
            print(
                f"{path.name} ({known['style']}): boilerplate left {(ext - m) / max(ext, 1):.3f}, "
                f"article lost {(art - m) / art:.3f}; scored: {(sc - ms) / max(sc, 1):.3f} / "
                f"{(art - ms) / art:.3f}; headline "
                + ("ok" if page.headline == known["headline"] else repr(page.headline))
            )
    elapsed = time.perf_counter() - t
    e, a, m = totals["extracted"], totals["article"], totals["match"]
    s, ms = totals["scored"], totals["scored_match"]
    print(f"{len(pages)} pages ({a:,} article characters), extracted in {elapsed:.2f} s")
    print(
        f"extracted body: boilerplate left {(e - m) / e:.4f} (goal <= 0.05), "
        f"article lost {(a - m) / a:.4f} (goal <= 0.02)"
    )
    print(
        f"as scored (plain-text rule applied too): boilerplate left {(s - ms) / s:.4f}, "
        f"article lost {(a - ms) / a:.4f}"
    )
    print(f"headlines read exactly: {exact}/{len(pages)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
