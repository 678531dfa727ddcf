"""The language rule (framing.core.language): the fast first look, py3langid for the rest, on
headlines we wrote in eight languages (tests/fixtures/languages) and English ones."""

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.core import language
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
    assert all(sum(v) / len(v) >= 0.97 for v in found.values())
    assert len(found["nl"]) >= 60


def test_written_english_headlines_are_not_judged_foreign():
    texts = english_headlines()
    assert len(texts) >= 60
    checks = check_languages(texts)
    assert [t for t, c in zip(texts, checks, strict=True) if c.english is False] == []


def test_a_foreign_language_is_named():
    check = check_language("Le gouvernement annonce un nouveau budget pour les écoles")
    assert (check.english, check.language) == (False, "fr")
    assert "fr" in check.reason


@pytest.mark.parametrize(
    "text",
    [
        "xmqheom qwjzl pm gem",  # py3langid's top language is English, at under 0.1
        "ᚠᚢᚦᚨᚱᚲ ᚷᚹᚺᚾ ᛁᛃ",  # runes: a script none of its languages is written in
        "𝔗𝔥𝔢 𝔮𝔲𝔦𝔠𝔨 𝔟𝔯𝔬𝔴𝔫 𝔣𝔬𝔵",  # mathematical Fraktur letters (named Korean before)
    ],
)
def test_an_unidentified_language_is_und_and_the_reason_names_none(text):
    check = check_language(text)
    assert (check.english, check.language) == (False, "und")
    assert "identified as" not in check.reason


def test_a_language_is_named_only_when_likely():
    for texts in foreign_headlines().values():
        for check in check_languages(texts):
            if check.language not in (None, "und"):
                assert f"identified as {check.language}" in check.reason or "Latin" in check.reason


def test_function_words_and_the_library_agreeing_decide_a_short_headline():
    """A short Dutch headline py3langid names Dutch with English at 0.1-0.5 (English
    loan words: "brand", "in") is not English when its function words are Dutch."""
    check = check_language("Brand in restaurant bij station")
    assert check.english is False and check.language == "nl"


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


def odd_texts() -> list[str]:
    return [
        "",
        "!!!",
        "ÉCOLE FERMÉE POUR LA JOURNÉE",
        "THE MINISTER SAID THE BUDGET WOULD BE LATE",
        "lone surrogate \ud800 in a headline here",
        "Café crème et croissant au beurre " * 80,  # over the batch walk's 2,000 bytes
        "Ἀθῆναι καὶ Σπάρτη πολεμοῦσιν",
        "x\0y zed quux four words",
    ]


def reference():
    """py3langid's own identifier, restricted to the same languages."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(language.LANGUAGES))
    return ident


def test_the_batched_scoring_is_py3langids():
    """identify_many (the byte walk of many texts at once) gives py3langid's probability of
    English and its top language, exactly, batched and one at a time."""
    texts = [t for v in foreign_headlines().values() for t in v] + english_headlines()
    texts += odd_texts()
    ref = reference()
    batched = language.identify_many(texts)
    single = [language.identify(t) for t in texts[:40] + odd_texts()]
    assert single == batched[:40] + batched[-len(odd_texts()) :]
    for text, (top, p_en) in zip(texts, batched, strict=True):
        ranked = ref.rank(text)
        assert (top, p_en) == (ranked[0][0], dict(ranked)["en"]), text  # to the last bit


def _walked_byte_by_byte(ident, data: list[bytes]) -> tuple[list, list]:
    docs, feats = [], []
    for i, d in enumerate(data):
        found = [ident.out_seq[s] for s in ident._walk_states(d) if ident.out_seq[s] >= 0]
        docs += [i] * len(found)
        feats += found
    return docs, feats


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=40) | st.text(max_size=40).map(language._encode), max_size=8))
def test_the_walk_of_every_position_at_once_is_the_byte_walk(data):
    """The n-grams found by walking each position's window (at once, for all texts) are
    those of py3langid's byte-by-byte walk, in the same order."""
    ident = language.language_model()
    docs, feats = ident._walk(data)
    assert (docs.tolist(), feats.tolist()) == _walked_byte_by_byte(ident, data)


def test_a_window_shorter_than_the_model_s_n_grams_is_caught(monkeypatch):
    """With a window too short for the model, the check refuses the states and the texts are
    walked byte by byte: the same n-grams."""
    ident = language.language_model()
    data = [language._encode(t) for t in odd_texts() + english_headlines()[:20]]
    monkeypatch.setattr(language, "_WALK_WINDOW", 2)
    lengths = np.array([len(d) for d in data])
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    assert ident._states(np.frombuffer(b"".join(data), np.uint8), starts) is None
    docs, feats = ident._walk(data)
    assert (docs.tolist(), feats.tolist()) == _walked_byte_by_byte(ident, data)


_WORDS_AND_MARKS = sorted(language.FIRST_LOOK_WORDS | language.FOREIGN_FUNCTION_WORDS) + [
    " ",
    "’",
    "'",
    "“",
    "—",
    "A",
    "É",
    "Ⅰ",
    "Ⓐ",
    "İ",
    "\u212a",
]


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=80)
    | st.text(alphabet="aé×÷ßЖжK1_ -'’\x00\x7fZ“”—", max_size=60)
    | st.lists(st.sampled_from(_WORDS_AND_MARKS), max_size=30).map("".join)
)
def test_the_counts_are_those_of_the_expressions_on_the_whole_text(text):
    """_counts counts the ASCII letters on the bytes, runs the expressions on the other
    characters only, and finds the words of a text whose letters are ASCII on its bytes:
    the counts of the expressions on the whole text."""
    letters = len(language._NOT_LETTER_RE.sub("", text))
    latin = len(language._NOT_LATIN_RE.sub("", text)) / letters if letters else 0.0
    words = language._WORD_RE.findall(text.lower())
    english = len(language.FIRST_LOOK_WORDS.intersection(words))
    foreign = sum(w in language.FOREIGN_FUNCTION_WORDS for w in words)
    only = len(language.FIRST_LOOK_WORDS.intersection(words) - language.SHARED_WORDS)
    assert language._counts(text) == (latin, english, foreign, len(words), only)


def test_words_other_languages_share_with_english_do_not_decide_english():
    # "over" and "in" are Dutch words too: the first look must not call this English
    for text in ["Nieuwe film over Ajax in première", "Nieuwe film over Ajax in premiere"]:
        check = check_language(text)
        assert check.english is False and check.language == "nl", check
    # an English headline of the same shape still reads as English (here by the library)
    assert check_language("Man in court over death of toddler").english is True
    # the same counts on the ASCII fast path and on the general one
    text = "new film over ajax in the cinema"
    (n, eng, foreign, only) = language._ascii_counts([text])[0]
    assert (eng, only) == (4, 2)  # new, over, in, the; of them new and the are English only
    assert language._counts(text) == (1.0, eng, foreign, n, only)


def test_checked_together_or_one_at_a_time_the_same():
    texts = [t for v in foreign_headlines().values() for t in v] + english_headlines()
    texts += odd_texts()
    together = check_languages(texts)
    alone = [check_language(t) for t in texts]
    for a, b in zip(together, alone, strict=True):
        assert (a.english, a.language, a.reason) == (b.english, b.language, b.reason)
        assert a.english_probability == b.english_probability or (
            abs(a.english_probability - b.english_probability) < 1e-6
        )


def test_the_restricted_model_is_cached_and_memory_mapped(tmp_path, monkeypatch):
    monkeypatch.setenv(language.CACHE_ENV, str(tmp_path / "cache"))
    built = language._load_identifier()
    folders = list((tmp_path / "cache").iterdir())
    assert len(folders) == 1 and folders[0].name.startswith("py3langid-")
    assert {p.name for p in folders[0].iterdir()} == {
        "ptc.npy",
        "pc.npy",
        "nextmove.npy",
        "row.npy",
        "out.npy",
    }
    cached = language._load_identifier()
    assert isinstance(cached.ptc.base, np.memmap)
    texts = [t for v in foreign_headlines().values() for t in v]
    assert np.array_equal(built.probabilities(texts), cached.probabilities(texts))


def test_a_cache_folder_that_cannot_be_written_is_skipped(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv(language.CACHE_ENV, str(blocker))
    ident = language._load_identifier()
    assert ident.probabilities(["Le gouvernement annonce un nouveau budget"]).shape == (1, 29)


def test_a_damaged_cache_is_rebuilt_not_trusted(tmp_path, monkeypatch):
    monkeypatch.setenv(language.CACHE_ENV, str(tmp_path))
    language._load_identifier()
    (folder,) = tmp_path.iterdir()
    (folder / "ptc.npy").write_bytes(b"not numpy")
    ident = language._load_identifier()
    assert ident.classes[ident.probabilities(["Die Regierung hat neue Maßnahmen"]).argmax()] == "de"
    assert isinstance(language._load_identifier().ptc.base, np.memmap)  # written again
