"""How responsive is the app on a 1,000-word article? Prints figures; asserts nothing.

    python benchmarks/bench_app.py [--repeats 20] [--reruns 5]

Reports, with the shipped model:
* the explanation the Analyse page computes (``framing.explain`` on headline + body, plus
  building the page's sentence list), median and max over ``--repeats`` calls;
* a full rerun of the Analyse page after an edit of the article (Streamlit's AppTest runs the
  whole script and renders every element, as a browser session's rerun would, minus the
  network and the browser's drawing), median and max over ``--reruns`` edits.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PARAGRAPHS = [
    "Heavy rain flooded roads across the northern district on Tuesday, and the council closed "
    "two bridges as a precaution. Officials said the water level would be checked again on "
    "Wednesday morning.",
    'Residents of the riverside estate were less measured. "This council is a shameless, '
    'incompetent disgrace," said one shop owner, whose basement filled with water overnight.',
    "The council's leader rejected the criticism and said emergency crews had responded within "
    "an hour. Critics called the response a disastrous failure that left families stranded.",
    "A spokesperson for the weather service said more rain was expected later in the week, and "
    "that river gauges upstream were still rising slowly.",
    "Volunteers handed out sandbags from the library car park. Several schools stayed open, "
    "although buses were diverted around the closed bridges.",
]


def article(words: int = 1000, variant: int = 0) -> str:
    out, n, i = [], 0, 0
    while n < words:
        p = PARAGRAPHS[(i + variant) % len(PARAGRAPHS)]
        out.append(f"{p} (Update {i + 1}.)")
        n += len(out[-1].split())
        i += 1
    return "\n\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--reruns", type=int, default=5)
    args = parser.parse_args()

    import framing
    from framing.app import data as app

    model = framing.load_model()
    headline = "You won't believe how the council handled the chilling flood warnings"
    body = article()
    print(f"article: {len(body.split())} words, {len(body)} characters")

    explain_t, full_t = [], []
    n_sent = 0
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        exp = framing.explain(headline=headline, body=body, model=model)
        t1 = time.perf_counter()
        n_sent = len(app.article_sentences(exp, body))
        t2 = time.perf_counter()
        explain_t.append(t1 - t0)
        full_t.append(t2 - t0)
    print(f"sentences scored: {n_sent}")
    print(
        f"framing.explain(headline, body): median {statistics.median(explain_t) * 1e3:.1f} ms, "
        f"max {max(explain_t) * 1e3:.1f} ms over {args.repeats} calls"
    )
    print(
        "explain + the page's sentence list: "
        f"median {statistics.median(full_t) * 1e3:.1f} ms, max {max(full_t) * 1e3:.1f} ms"
    )

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    t0 = time.perf_counter()
    at.run()
    print(f"first AppTest run (loads the model): {time.perf_counter() - t0:.2f} s")
    at.text_input(key="headline").set_value(headline).run()
    reruns = []
    for k in range(args.reruns):
        at.text_area(key="body").set_value(article(variant=k + 1))
        t0 = time.perf_counter()
        at.run()
        reruns.append(time.perf_counter() - t0)
        if at.exception:
            raise SystemExit(f"the app raised: {[e.value for e in at.exception]}")
    print(
        f"full AppTest rerun after editing the article: median "
        f"{statistics.median(reruns) * 1e3:.0f} ms, max {max(reruns) * 1e3:.0f} ms "
        f"over {args.reruns} edits"
    )


if __name__ == "__main__":
    main()
