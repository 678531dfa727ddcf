"""The language rule (framing.core.language): the fast first look, py3langid for the rest, on
headlines we wrote in eight languages (tests/fixtures/languages) and English ones."""

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from framing.core.language import check_language, check_languages

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def foreign_headlines() -> dict[str, list[str]]:
    folder = FIXTURES / "languages"
    return {
        p.stem: [line for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
        for p in sorted(folder.glob("*.txt"))
    }


def english_headlines() -> list[str]:
    """Our English headlines: the frame set (one headline a line, after a tab)."""
    lines = (FIXTURES / "frames_headlines.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t", 1)[1] for line in lines[1:] if line.strip()]


def test_obvious_cases():
    assert check_language("The minister said the budget would be published on Monday").english
    assert check_language("17 Pictures Hot People Will Never Understand").english is not False
    german = check_language("Die Regierung hat am Montag neue Maßnahmen beschlossen")
    assert german.english is False and german.language == "de"
    spanish = check_language("El gobierno anunció nuevas medidas para los precios")
    assert spanish.english is False and spanish.language == "es"
    russian = check_language("Правительство объявило новые меры против инфляции")
    assert russian.english is False and russian.language == "ru"
    assert check_language("Hi there").english is None
    assert check_language("").english is None
    assert check_language("12 34 !!").english is None


def test_a_clear_english_text_is_decided_without_the_library():
    check = check_language("Parliament passes the budget after a lengthy debate")
    assert check.english is True and check.english_probability is None


def test_written_headlines_in_eight_languages_are_judged_not_english():
    found = {
        lang: [c.english is False and c.language is not None for c in check_languages(texts)]
        for lang, texts in foreign_headlines().items()
    }
    assert set(found) == {"de", "es", "fr", "it", "nl", "pt", "ru", "zh"}
    assert all(len(v) >= 30 for v in found.values())
    flagged = sum(sum(v) for v in found.values())
    assert flagged / sum(map(len, found.values())) >= 0.97
    assert all(sum(v) / len(v) >= 0.9 for v in found.values())


def test_written_english_headlines_are_not_judged_foreign():
    texts = english_headlines()
    assert len(texts) >= 60
    checks = check_languages(texts)
    assert [t for t, c in zip(texts, checks, strict=True) if c.english is False] == []


def test_a_foreign_language_is_named():
    check = check_language("Le gouvernement annonce un nouveau budget pour les écoles")
    assert (check.english, check.language) == (False, "fr")
    assert "fr" in check.reason


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60) | st.text(alphabet="aé×÷ßЖж1_ -'’", max_size=60))
def test_letters_are_counted_by_removing_the_rest(text):
    """The Latin share counts letters by deleting the other characters; the same as listing
    them."""
    letters = len(re.findall(r"[^\W\d_]", text))
    latin = len(re.findall(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]", text))
    check = check_language(text)
    if letters and check.words:
        assert check.latin_share == latin / letters
    if check.english is False:
        assert check.language
