"""Write tests/golden/input.csv: 300 rows of headlines and bodies written for the golden test.

Deterministic (seed 0) combinations of phrases we wrote, so the file can be regenerated and
holds no text from any dataset. Run: ``python tests/golden/make_input.py``.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

SUBJECTS = [
    "The council",
    "Ministers",
    "The despot",
    "Kim Jong-un",
    "The hermit nation",
    "Police",
    "The regime",
    "Scientists",
    "Local residents",
    "The central bank",
    "Opposition leaders",
    "The mayor",
    "Doctors",
    "A court",
    "Farmers",
    "The senator",
    "Teachers",
    "Rebels",
]
VERBS = [
    "approves",
    "slams",
    "rejects",
    "announces",
    "blasted",
    "considers",
    "denies",
    "shamelessly denied",
    "welcomes",
    "warns about",
    "delays",
    "questions",
    "defends",
]
OBJECTS = [
    "the budget",
    "a chilling new law",
    "the flood defences",
    "two bridges",
    "rail plans",
    "the so-called reform",
    "a brutal crackdown",
    "interest rates",
    "the election result",
    "a disastrous policy",
    "new school funding",
    "the missile test",
    "tax cuts",
]
CLICKBAIT = [
    "You won't believe what {s} did next",
    "{n} things {s} doesn't want you to know",
    "This is why {s} {v} {o}",
    "What happened when {s} {v} {o} will shock you",
    "{n} photos that prove {o} is a disaster",
]
SENTENCES = [
    "{s} {v} {o} on Monday.",
    "Critics said the decision was {adj}.",
    "\u201cThis is {adj},\u201d said a spokesperson for {s}.",
    "The plan will cost {n} million pounds over {n2} years.",
    "{s} said it would publish the figures next week.",
    "Officials described the situation as {adj} and called for calm.",
    "Residents told reporters that \u2018nothing had changed\u2019.",
    "The vote passed by {n} to {n2}.",
]
ADJECTIVES = ["stable", "chilling", "outrageous", "unchanged", "devastating", "routine", "absurd"]
ODD = [
    ("", "A body without a headline. It has two sentences."),
    ("Headline without a body", ""),
    ("", ""),
    ("=1+1 formula-looking headline", "@SUM(A1) body that starts with an at sign."),
    (
        "Caf\u00e9 owners \u2014 na\u00efve or brave? \U0001f600",
        "Na\u00efve r\u00e9sum\u00e9s. Emoji \U0001f4a5 body.",
    ),
    ("\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645", ""),
    ("\u5317\u671d\u9c9c\u53d1\u5c04\u5bfc\u5f39", ""),
    ("ALL CAPS HEADLINE ABOUT THE DESPOT", "SHOUTING BODY. VERY LOUD."),
    ('Quote: "rogue regime" says minister', 'He called it a "witch hunt". Others disagreed.'),
    ("Tabs\tand  double  spaces", "Line one.\n\nLine two after a blank line.\nLine three."),
]


def rows(n: int = 300, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i, (headline, body) in enumerate(ODD):
        out.append({"id": f"odd{i}", "headline": headline, "body": body, "outlet": "odd"})
    while len(out) < n:
        fill = {
            "s": rng.choice(SUBJECTS),
            "v": rng.choice(VERBS),
            "o": rng.choice(OBJECTS),
            "n": rng.randint(2, 40),
            "n2": rng.randint(2, 40),
        }
        if rng.random() < 0.3:
            headline = rng.choice(CLICKBAIT).format(**fill)
        else:
            headline = "{s} {v} {o}".format(**fill)
        parts = []
        for _ in range(rng.randint(0, 6)):
            fill.update(
                s=rng.choice(SUBJECTS),
                v=rng.choice(VERBS),
                o=rng.choice(OBJECTS),
                adj=rng.choice(ADJECTIVES),
            )
            parts.append(rng.choice(SENTENCES).format(**fill))
        body = " ".join(parts) if rng.random() < 0.8 else "\n\n".join(parts)
        outlet = rng.choice(["north", "south", "east", "west"])
        out.append({"id": f"r{len(out)}", "headline": headline, "body": body, "outlet": outlet})
    return out


def main() -> None:
    with open(HERE / "input.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "headline", "body", "outlet"])
        writer.writeheader()
        writer.writerows(rows())


if __name__ == "__main__":
    main()
