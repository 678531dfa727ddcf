"""framing.suggest: neutral rewording with offsets, inflection, capitals, and exact scores."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import framing
from framing import InputError, explain, load_model, score
from framing.cli.common import printable as escape_control
from framing.cli.suggest import render_suggestion
from framing.core.wordlists import DROP, loaded_term_alternatives
from framing.rewording import INTENSIFIERS, Suggestion, inflect, suggest


@pytest.fixture(scope="module")
def model():
    return load_model()


def rewrite(text: str, model) -> str:
    return suggest(text, model=model).rewritten


def check_offsets(s: Suggestion) -> None:
    """Every span is valid, and outside them the texts are the same."""
    parts, pos = [], 0
    for r in s.replacements:
        assert 0 <= pos <= r.start <= r.end <= len(s.text)
        assert s.text[r.start : r.end] == r.original
        assert s.rewritten[r.rewritten_start : r.rewritten_end] == r.replacement
        assert r.replacement == r.alternatives[0]
        parts += [s.text[pos : r.start], r.replacement]
        pos = r.end
    parts.append(s.text[pos:])
    assert "".join(parts) == s.rewritten
    for k in s.skipped:
        assert s.text[k.start : k.end] == k.original


# ---- the examples of the issue ------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The despot shamelessly denied the reports", "The leader denied the reports"),
        ("Obama Slams Critics Of Health Plan", "Obama Criticises Critics Of Health Plan"),
        ("Senator slammed the plan", "Senator criticised the plan"),
        ("DESPOT SLAMS CRITICS", "LEADER CRITICISES CRITICS"),
        ("Despot meets envoy", "Leader meets envoy"),
        ("The despots and the regimes met", "The leaders and the governments met"),
        ("Dictators and tyrants gather in Geneva", "Leaders and rulers gather in Geneva"),
        ("Strongmen and juntas", "Leaders and juntas"),
        ("The despot's cronies fled", "The leader's associates fled"),
        ("The despot’s aide fled", "The leader’s aide fled"),
        ("Thugs attacked the crusading reporters", "Attackers attacked the crusading reporters"),
        ("He has ranted for hours", "He has spoken for hours"),
        ("The mob ranted for hours", "The crowd spoke for hours"),
        ("He shamelessly denied it", "He denied it"),
        ("Shamelessly, he denied it", "He denied it"),
        ("He acted shamelessly.", "He acted."),
        ("The so-called experts met", "The experts met"),
        ("An autocrat rises", "A leader rises"),
        ("He called it an outrageous plan", "He called it a controversial plan"),
        ("It was a shameless attempt", "It was an attempt"),
        ("In a Bizarre Season, the Jazz Win", "In an Unusual Season, the Jazz Win"),
        (
            "The witch hunt against the mayor continues",
            "The investigation against the mayor continues",
        ),
        ("The Witch Hunts Against Us Continue", "The Investigations Against Us Continue"),
        ("Senator lashed out at critics", "Senator responded at critics"),
        ("The chilling reports came out", "The stark reports came out"),
        ("The junta met the envoy", "The military government met the envoy"),
        ("The plan was utterly absurd and wrong", "The plan was implausible and wrong"),
    ],
)
def test_rewording(model, text, expected):
    s = suggest(text, model=model)
    assert s.rewritten == expected
    check_offsets(s)


def test_replacement_fields(model):
    text = "The despot shamelessly denied the chilling reports"
    s = suggest(text, model=model)
    got = [(r.start, r.end, r.original, r.replacement, r.alternatives) for r in s.replacements]
    assert got == [
        (4, 10, "despot", "leader", ("leader", "ruler")),
        (11, 23, "shamelessly ", "", ("",)),
        (34, 42, "chilling", "stark", ("stark", "grave")),
    ]
    assert [r.term for r in s.replacements] == ["despot", "shamelessly", "chilling"]
    # only words that push the score up are replaced, and explain() says so
    loaded = explain(headline=text, model=model).loaded_headline
    by_word = {t.term: t.contribution for t in loaded.terms}
    for r in s.replacements:
        assert r.contribution == pytest.approx(by_word[r.term]) and r.contribution > 0


def test_name_only_where_the_text_gives_it(model):
    s = suggest("North Korea talks stall as the hermit nation tests a missile", model=model)
    assert s.rewritten == "North Korea talks stall as North Korea tests a missile"
    assert s.replacements[0].original == "the hermit nation"
    assert s.replacements[0].alternatives == ("North Korea", "the country")
    assert rewrite("The hermit nation tests a missile", model) == "The country tests a missile"
    # an apposition would repeat the name
    s = suggest("Kim meets Putin as North Korea, the hermit nation, opens up", model=model)
    assert s.rewritten == "Kim meets Putin as North Korea, the country, opens up"


def test_quotations_are_not_reworded(model):
    s = suggest('Senator slammed the "rogue regime" of Iran', model=model)
    assert s.rewritten == 'Senator criticised the "rogue regime" of Iran'
    assert [(k.original, k.reason) for k in s.skipped] == [
        ("rogue regime", "inside a quotation: not reworded")
    ]


def test_words_left_alone_when_nothing_fits(model):
    # dropping a parenthetical adverb would leave "was, , there"
    s = suggest("He was, shamelessly, there", model=model)
    assert s.rewritten == s.text and not s.replacements
    assert s.skipped[0].original == "shamelessly"
    # a noun use of a word whose counterpart is an adjective: "a sham." is not "a disputed."
    assert rewrite("Critics called the vote a sham", model) == "Critics called the vote a sham"
    # "massacred": the file has no counterpart for the verb form of "massacre"
    s = suggest("Militants massacred villagers", model=model)
    assert "massacred" in [k.original for k in s.skipped]
    assert s.rewritten.startswith("Militants massacred")  # no sign of the loaded sense


def test_intensifier_rule(model):
    assert "truly" in INTENSIFIERS and "allegedly" not in INTENSIFIERS
    s = suggest("He is truly the worst", model=model)
    assert s.rewritten == "He is the worst"
    assert s.replacements[0].source == "intensifier"
    # facts stay: "allegedly", "seriously" are never dropped
    for text in ("He allegedly stole the car", "Two were seriously injured"):
        assert all(r.source != "intensifier" for r in suggest(text, model=model).replacements)


def test_adverb_of_a_judging_adjective_is_dropped_with_its_adverb_offered(model):
    s = suggest("It was a ruthlessly efficient plan", model=model)
    assert s.rewritten == "It was an efficient plan"
    assert s.replacements[0].alternatives == ("an ", "a harshly ")


# ---- inflection and articles -----------------------------------------------------------------
def test_inflect():
    assert inflect("criticise", "past") == "criticised"
    assert inflect("criticise", "ing") == "criticising"
    assert inflect("say", "past") == "said"
    assert inflect("speak", "past") == "spoke"
    assert inflect("speak", "past", participle=True) == "spoken"
    assert inflect("spoke", "", participle=True) == "spoken"
    assert inflect("leader", "plural") == "leaders"
    assert inflect("ally", "plural") == "allies"
    assert inflect("man", "plural") == "men"
    assert inflect("military government", "plural") == "military governments"
    assert inflect("crisis", "plural") == "crises"
    assert inflect("isolated", "plural") is None  # an adjective has no plural
    assert inflect("criticism", "past") is None  # a noun has no past
    assert inflect("harsh", "adverb") == "harshly"
    assert inflect("implausible", "adverb") == "implausibly"
    assert inflect("erratic", "adverb") == "erratically"
    assert inflect("leader", "possessive", apostrophe="’") == "leader’s"
    assert inflect(DROP, "plural") == DROP


def test_spelling_rules():
    from framing.rewording.words import article_for, ing, past

    assert past("slam", False) == "slammed"  # consonant doubling
    assert ing("slam") == "slamming"
    assert past("criticise", False) == "criticised"  # e-drop
    assert past("rely", False) == "relied"
    assert past("respond", False) == "responded"
    assert past("visit", False) == "visited"  # not doubled: two syllables
    assert ing("die") == "dying"
    articles = {"unusual": "an", "union": "a", "hour": "an", "European": "a", "leader": "a"}
    assert {w: article_for(w) for w in articles} == articles
    assert article_for("MP") is None


def test_every_entry_has_an_applicable_counterpart():
    """Each entry's first counterpart is usable in the entry's own form."""
    for entry, alts in loaded_term_alternatives().items():
        assert any(inflect(a, "") is not None for a in alts), entry


# ---- scores --------------------------------------------------------------------------------
def test_headline_scores_are_explains(model):
    text = "Obama Slams Critics As Despot Shamelessly Denies Chilling Report"
    s = suggest(text, model=model)
    assert s.kind == "headline" and s.changed
    for t, scores in ((text, s.before), (s.rewritten, s.after)):
        ex = explain(headline=t, model=model)
        assert scores == {
            "clickbait": ex.clickbait.probability,
            "loaded": ex.loaded_headline.probability,
        }
        for head in ("clickbait", "loaded"):
            assert scores[head] == pytest.approx(score([t], head=head, model=model)[0], abs=1e-12)
    assert s.after["loaded"] < 0.5 < s.before["loaded"]


def test_body_scores_are_explains(model):
    body = (
        "The despot shamelessly denied the chilling reports. Officials met on Monday.\n\n"
        'Critics slammed the brutal crackdown, calling it "a witch hunt".'
    )
    s = suggest(body, model=model)
    assert s.kind == "body"
    check_offsets(s)
    for t, scores, which in ((body, s.before, "before"), (s.rewritten, s.after, "after")):
        ex = explain(body=t, model=model)
        assert scores == {"loaded": ex.article.probability}
        assert [getattr(x, which) for x in s.sentences] == [
            x.loaded.probability for x in ex.sentences
        ]
        spans = [
            (x.start, x.end) if which == "before" else (x.rewritten_start, x.rewritten_end)
            for x in s.sentences
        ]
        assert spans == [(x.start, x.end) for x in ex.sentences]
    assert [x.changed for x in s.sentences] == [True, False, True]
    assert "witch hunt" not in s.rewritten.replace('"a witch hunt"', "")
    assert '"a witch hunt"' in s.rewritten


def test_kind_rule(model):
    assert suggest("One sentence. Another one here.", model=model).kind == "body"
    assert suggest("Line one\nLine two", model=model).kind == "body"
    assert suggest("Mr. Smith slams the plan", model=model).kind == "headline"
    assert suggest("One sentence. Another one.", model=model, kind="headline").kind == "headline"
    assert set(suggest("A plan", model=model, kind="body").before) <= {"loaded"}


def test_no_loaded_words(model):
    text = "The council approved the plan by a vote of six to three"
    s = suggest(text, model=model)
    assert s.rewritten == text and s.replacements == () and not s.changed
    assert s.before == s.after
    ex = explain(headline=text, model=model)
    assert s.before["loaded"] == ex.loaded_headline.probability
    with pytest.raises(InputError, match="empty text"):  # as explain("") and framing score
        suggest("", model=model)


def test_default_model_and_export():
    assert framing.suggest is suggest and "suggest" in framing.__all__
    assert suggest("The despot fled").rewritten == "The leader fled"


@pytest.mark.parametrize("bad", [b"The despot fled", bytearray(b"x"), None, 3, ["text"]])
def test_bad_input(model, bad):
    with pytest.raises(InputError, match="str"):
        suggest(bad, model=model)


def test_bad_kind(model):
    with pytest.raises(InputError, match="kind"):
        suggest("x", model=model, kind="article")


# ---- JSON and terminal text -----------------------------------------------------------------
def test_to_dict(model):
    s = suggest("The despot shamelessly denied it", model=model)
    d = json.loads(json.dumps(s.to_dict()))
    assert {"text", "rewritten", "before", "after", "replacements"} <= set(d)
    assert d["text"] == s.text and d["rewritten"] == "The leader denied it"
    assert d["replacements"][0] == {
        "start": 4,
        "end": 10,
        "original": "despot",
        "replacement": "leader",
        "alternatives": ["leader", "ruler"],
        "term": "despot",
        "source": "loaded_terms",
        "contribution": s.replacements[0].contribution,
        "rewritten_start": 4,
        "rewritten_end": 10,
    }
    assert set(d["before"]) == {"clickbait", "loaded"}


def test_render_escapes_control_characters(model):
    text = "The despot\x1b[2J shamelessly\x00 denied \u202eit\x9b\r"
    s = suggest(text, model=model)
    out = render_suggestion(s)
    assert "[-despot-]" in out and "{+leader+}" in out
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]", out)
    assert "\\x1b" in out and "\\x00" in out and "\\u202e" in out
    assert escape_control("a\nb\tc\x7f") == "a\\nb\\tc\\x7f"
    colour = render_suggestion(s, color=True)
    assert "\x1b[32;1m" in colour and "\x1b[2J" not in colour


def test_render_body_and_nothing_to_do(model):
    s = suggest("Officials met. The despot slammed critics.", model=model)
    out = render_suggestion(s)
    assert "sentence at" in out and "{+leader+}" in out and "Officials met" not in out
    assert "no loaded word" in render_suggestion(suggest("The council met", model=model))


def test_render_says_when_loaded_words_are_left_not_absent(model):
    # "crooked" is loaded but its counterpart does not fit before a noun: the summary must
    # not claim there is no loaded word.
    out = render_suggestion(suggest("Crooked senator caught in bribery scandal", model=model))
    assert "no loaded word" not in out
    assert "no word replaced" in out and "'Crooked'" in out


# ---- properties ------------------------------------------------------------------------------
ENTRIES = sorted(loaded_term_alternatives())
FILLER_TEXT = "the a an The An he denied said plan North Korea , . ! ? \" '"
PLAIN_TEXT = "the a an he denied plan officials report attempt honest"
WORD = st.one_of(
    st.sampled_from(ENTRIES),
    st.sampled_from(ENTRIES).map(str.upper),
    st.sampled_from(ENTRIES).map(str.title),
    st.sampled_from(ENTRIES).map(lambda e: e + "s"),
    st.sampled_from(sorted(INTENSIFIERS)),
    st.sampled_from(
        [
            "the",
            "a",
            "an",
            "The",
            "An",
            "he",
            "denied",
            "said",
            "plan",
            "North",
            "Korea",
            ",",
            ".",
            "!",
            "?",
            '"',
            "'",
        ]
    ),
    st.text(max_size=6),
)
SEP = st.sampled_from([" ", " ", " ", "", "  ", "\n", "\n\n", "\t", ", ", "\x00", "😀"])


@st.composite
def texts(draw):
    words = draw(st.lists(WORD, max_size=30))
    seps = draw(st.lists(SEP, min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps, strict=True))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(texts(), st.text(max_size=300)))
def test_unchanged_outside_replaced_spans(model, text):
    if not text.strip():  # the rule of explain() and framing score: "empty text"
        with pytest.raises(InputError, match="empty text"):
            suggest(text, model=model)
        return
    s = suggest(text, model=model)
    assert s.text == text
    check_offsets(s)
    render_suggestion(s)
    json.dumps(s.to_dict())


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(WORD, min_size=200, max_size=400))
def test_long_text(model, words):
    text = " ".join(words) * 3
    s = suggest(text, model=model)
    check_offsets(s)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    words=st.lists(
        st.one_of(
            st.sampled_from(ENTRIES),
            st.sampled_from(sorted(INTENSIFIERS)),
            st.sampled_from(
                [
                    "the",
                    "a",
                    "an",
                    "he",
                    "denied",
                    "plan",
                    "officials",
                    "report",
                    "attempt",
                    "honest",
                ]
            ),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_spacing_stays_clean(model, words):
    """Single-spaced words stay single-spaced, with no space at either end."""
    text = " ".join(words)
    out = suggest(text, model=model).rewritten
    assert "  " not in out and out == out.strip()


# ---- literal senses: offered, not applied (framing.rewording.senses) ------------------------
FIXTURES = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "rewording"


def _sentences(name: str) -> list[str]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return [x for x in text.splitlines() if x.strip() and not x.startswith("#")]


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("Russian forces repelled an invasion near the border", "no sign here"),
        ("The door slammed shut behind him", "no sign here"),
        ("Survivors of the Srebrenica massacre gathered", "no sign here"),
        ("Workers cleaned up toxic waste from the river", "no sign here"),
        ("The musical Wicked opens in May", "capitalised, as part of a name"),
        ("The Latin motto, translated literally, means much", "end of a clause"),
    ],
)
def test_a_literal_use_is_offered_not_applied(model, text, context):
    s = suggest(text, model=model)
    assert not s.changed and s.rewritten == text
    (skip,) = [k for k in s.skipped if k.reason.startswith("literal sense?")]
    assert context in skip.reason and skip.alternatives
    assert "alternatives: " in render_suggestion(s)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Senator slams the budget plan", "slams"),  # action: its object is a plan
        ("Shareholders scoffed at the apology", "scoffed"),  # action: speech ("at")
        ("The toxic debate continued online", "toxic"),  # quality: what people do
        ("Rabid fans booed the bus", "rabid"),  # quality: said of people
        ("Union leaders are dangerous extremists", "extremists"),  # person: a label
        ("The regime announced a budget", "regime"),  # person: the actor of a civic act
        ("The mayor's war on cyclists continued", "war on"),  # event: about people
        ("The minister utterly rejected the report", "utterly"),  # intensifier
    ],
)
def test_a_loaded_sense_cue_applies_the_counterpart(model, text, word):
    s = suggest(text, model=model)
    assert s.changed and word not in s.rewritten.lower()


def test_every_entry_of_the_list_has_a_sense_class():
    from framing.core.wordlists import SENSE_CLASSES, loaded_term_senses

    senses = loaded_term_senses()
    assert len(senses) >= 200 and set(senses.values()) <= set(SENSE_CLASSES)


def test_the_loaded_use_of_the_same_word_is_rewritten(model):
    s = suggest("An invasion of tourists is ruining the old town", model=model)
    assert s.changed and "invasion" not in s.rewritten.lower()


@pytest.mark.parametrize(
    ("name", "least"),
    [("literal.txt", 100), ("literal_heldout.txt", 30), ("literal_heldout2.txt", 60)],
)
def test_literal_uses_we_wrote_are_left_unchanged(model, name, least):
    texts = _sentences(name)
    assert len(texts) >= least
    kept = sum(not suggest(t, model=model).changed for t in texts)
    assert kept / len(texts) >= 0.95


@pytest.mark.parametrize(("name", "least"), [("loaded.txt", 100), ("loaded_heldout.txt", 60)])
def test_loaded_uses_we_wrote_are_rewritten_below_one_half(model, name, least):
    texts = _sentences(name)
    assert len(texts) >= least
    done = 0
    for t in texts:
        s = suggest(t, model=model)
        done += s.changed and s.after["loaded"] < 0.5
    assert done / len(texts) >= 0.90


def test_every_replacement_shows_its_alternatives_and_the_score_change(model):
    out = render_suggestion(suggest("North Korean despot slams talks", model=model))
    line = next(x for x in out.splitlines() if "'despot' -> 'leader'" in x)
    assert "alternatives: 'leader', 'ruler'" in line and "to the logit" in line
    assert "loaded of its headline" in line and "->" in line.split("headline")[-1]


def test_an_entry_readers_corrected_is_offered_not_applied(model):
    """A model retrained with readers' word marks that left an entry out of its list
    (manifest ``feedback.corrected_entries``) does not reword that entry: it is skipped with
    the readers' counts, its alternatives offered; the other entries are reworded as before."""
    from framing.core.model import Model

    text = "Critics slam the despot over a brutal crackdown"
    plain = suggest(text, model=model)
    assert "despot" in {r.original for r in plain.replacements}
    corrected = Model(
        model.heads, {**model.manifest, "feedback": {"corrected_entries": {"despot": [4, 1]}}}
    )
    s = suggest(text, model=corrected)
    assert "despot" not in {r.original for r in s.replacements}
    assert "brutal" in {r.original for r in s.replacements}
    (skip,) = [k for k in s.skipped if k.original == "despot"]
    assert "readers marked this word neutral (4 neutral, 1 loaded marks)" in skip.reason
    assert skip.alternatives and "leader" in skip.alternatives
    check_offsets(s)


def test_a_house_style_entry_wins_over_the_readers_correction(model):
    from framing.core.house_style import parse_house_style, with_house_style
    from framing.core.model import Model

    corrected = Model(
        model.heads, {**model.manifest, "feedback": {"corrected_entries": {"despot": [4, 1]}}}
    )
    styled = with_house_style(corrected, parse_house_style(b"despot | ruler\n", "ours.txt"))
    assert styled.manifest["feedback"]["corrected_entries"] == {"despot": [4, 1]}
    s = suggest("Critics slam the despot over a brutal crackdown", model=styled)
    assert [r.replacement for r in s.replacements if r.original == "despot"] == ["ruler"]
