"""More word marks (issue 24): SemEval-2023 spans mapped onto the PTC-2020 lines of the
articles asked for only, MBIC crowd marks left out for a BABE test fold's sentences."""

from __future__ import annotations

import csv
import json

from framing.training import word_marks, word_protocols, words
from framing.training.binary.datasets import Record

OLD = "Title here\n\nThe vile despot spoke.\nHis cronies cheered loudly."
# 2023 text: the 2020 lines joined by spaces, one more space, the same words
NEW = "Title here\n\nThe vile despot  spoke. His cronies cheered loudly."


def _write_data(root, articles):
    """A data folder with PTC-2020 and SemEval-2023 articles and 2023 spans: ``articles`` is
    [(article id, 2020 split, 2020 text, 2023 text, [(technique, start, end)])]."""
    (root / "ptc_semeval2020_task11").mkdir(parents=True)
    (root / "semeval2023_task3_en").mkdir(parents=True)
    with open(root / "ptc_semeval2020_task11" / "articles.jsonl", "w", encoding="utf-8") as fh:
        for art, split, old, _, _ in articles:
            fh.write(json.dumps({"article_id": art, "split": split, "text": old}) + "\n")
    folder = root / "semeval2023_task3_en"
    with open(folder / "articles_subtask3.jsonl", "w", encoding="utf-8") as fh:
        for art, _, _, new, _ in articles:
            fh.write(json.dumps({"article_id": art, "split": "train", "text": new}) + "\n")
    with open(folder / "spans_subtask3_train.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["article_id", "split", "technique", "start", "end", "span_text"])
        for art, _, _, new, spans in articles:
            for tech, s, e in spans:
                w.writerow([art, "train", tech, s, e, new[s:e]])


def _span(text, phrase):
    i = text.index(phrase)
    return i, i + len(phrase)


def test_2023_spans_land_on_the_2020_text_and_only_the_articles_asked_for(tmp_path):
    spans = [
        ("Loaded_Language", *_span(NEW, "vile despot")),
        ("Name_Calling-Labeling", *_span(NEW, "cronies")),
        ("Doubt", *_span(NEW, "cheered")),  # not a loaded technique: not read
    ]
    _write_data(
        tmp_path,
        [
            ("1", "train", OLD, NEW, spans),
            ("2", "dev", OLD, NEW, spans),  # a PTC dev article: never asked for in evaluation
        ],
    )
    got, log = word_marks.load_semeval23_spans(tmp_path, ["1"])
    assert set(got) == {"1"}
    assert [OLD[s:e] for s, e in got["1"]] == ["vile despot", "cronies"]
    assert "2 spans" in log[0]


def test_a_span_that_does_not_map_is_dropped(tmp_path):
    new = NEW.replace("cronies", "friends")  # the 2023 text has a word 2020 lacks
    spans = [("Loaded_Language", *_span(new, "friends")), ("Loaded_Language", *_span(new, "vile"))]
    _write_data(tmp_path, [("1", "train", OLD, new, spans)])
    got, log = word_marks.load_semeval23_spans(tmp_path, ["1"])
    assert [OLD[s:e] for s, e in got["1"]] == ["vile"]
    assert "1 not mapped" in log[0]


def test_line_spans_are_clipped_to_the_line():
    # line "abc def" at offset 10; a span crossing its start, one inside, one after it
    assert word_marks.line_spans([(8, 13), (14, 17), (30, 35)], 10, 7) == ((0, 3), (4, 7))


def _ptc_line(text, article, start):
    return Record(text, 1.0, dataset="ptc", meta={"article_id": article, "line_start": start})


def test_the_2023_marks_are_a_set_of_their_own_or_united_with_ptc():
    lines = OLD.split("\n")
    recs = [
        _ptc_line(lines[2], "1", OLD.index(lines[2])),
        _ptc_line(lines[3], "1", OLD.index(lines[3])),
        _ptc_line("Another article's line.", "9", 0),  # its article was not read
    ]
    spans = {"1": [_span(OLD, "vile despot"), _span(OLD, "cronies")]}
    base = words.mark_sets_of([], recs, [], [])
    own = word_marks.ExtraMarks(spans, semeval23_weight=0.5).sets(base, recs)
    s23 = next(m for m in own if m.source == "semeval23")
    assert s23.weight == 0.5 and s23.texts == [lines[2], lines[3]]
    assert [[t[a:b] for a, b in p] for t, p in zip(s23.texts, s23.positive, strict=True)] == [
        ["vile despot"],
        ["cronies"],
    ]
    united = word_marks.ExtraMarks(spans, semeval23_union=True).sets(base, recs)
    assert [m.source for m in united] == [m.source for m in base]  # no set added
    ptc = next(m for m in united if m.source == "ptc")
    assert ptc.positive[1] == (_span(lines[3], "cronies"),)


def _mbic(text, marked):
    spans = tuple(_span(text, w) for w in marked)
    return Record(text, 1.0 if marked else 0.0, dataset="mbic", spans=spans)


def test_a_babe_test_fold_sentence_lends_no_mbic_marks():
    babe = [
        Record("The vile despot spoke.", 1.0, dataset="babe", spans=(_span("The vile", "vile"),)),
        Record("The mayor spoke today.", 0.0, dataset="babe"),
        Record("Greedy bosses won again.", 1.0, dataset="babe"),
    ]
    mbic = (
        _mbic("the  VILE despot spoke.", ["VILE"]),  # BABE's first sentence, normalised apart
        _mbic("Greedy bosses won again.", ["Greedy"]),
        _mbic("A sentence only MBIC has.", []),
    )
    data = {
        "babe": babe,
        "ptc_train": [],
        "extra_marks": word_marks.ExtraMarks(mbic=mbic, mbic_weight=1.0),
    }
    recipe = words.WordRecipe()
    sets = word_protocols.fold_mark_sets(data, [1, 2], [0], [], [], recipe)
    got = next(m for m in sets if m.source == "mbic")
    assert got.texts == ["Greedy bosses won again.", "A sentence only MBIC has."]
    assert got.weight == 1.0
    sets = word_protocols.fold_mark_sets(data, [0, 1], [2], [], [], recipe)
    got = next(m for m in sets if m.source == "mbic")
    assert got.texts == ["the  VILE despot spoke.", "A sentence only MBIC has."]
    forms, _, _, label, *_ = words.token_rows(got, recipe)
    assert {f for f, y in zip(forms.tolist(), label.tolist(), strict=True) if y} == {"vile"}


def test_mbic_marks_are_read_as_babe_marks(tmp_path):
    (tmp_path / "mbic").mkdir()
    with open(tmp_path / "mbic" / "final_labels_MBIC.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label_bias", "biased_words"])
        w.writerow(["Greedy bosses won again.", "Biased", "['greedy']"])
        w.writerow(["Greedy  bosses won again.", "Biased", "[]"])  # a duplicate: first kept
        w.writerow(["Officials stifle the plan.", "Non-biased", "['stifle']"])
        w.writerow(["Nobody agreed here.", "No agreement", "['agreed']"])
    rows, log = word_marks.load_mbic_marks(tmp_path)
    assert [(r.text, r.target, r.spans) for r in rows] == [
        ("Greedy bosses won again.", 1.0, ((0, 6),)),
        ("Officials stifle the plan.", 0.0, ((10, 16),)),
    ]
    assert "1 without an agreed label" in log[0]
    # a Non-biased sentence's marks are not positives (as BABE's): every word 0
    sets = word_marks.ExtraMarks(mbic=tuple(rows), mbic_weight=1.0).sets([], [])
    assert sets[0].positive == [((0, 6),), ()]


def test_without_a_weight_nothing_is_added():
    base = words.mark_sets_of([], [], ["The council met"], [])
    mbic = (_mbic("Greedy bosses won again.", ["Greedy"]),)
    assert word_marks.ExtraMarks(mbic=mbic).sets(base, []) == base


def test_real_2023_spans_of_ptc_train_articles_hold_no_dev_article(data_dir):
    """On the data: evaluation runs read the spans of PTC's train articles only, and every
    mapped span holds the words of its 2023 span."""
    from framing.training import recipes

    _, ptc_train, ptc_dev, _, _ = recipes.loaded_data(data_dir)
    train_ids = {r.meta["article_id"] for r in ptc_train}
    dev_ids = {r.meta["article_id"] for r in ptc_dev}
    got, log = word_marks.load_semeval23_spans(data_dir, train_ids)
    assert set(got) <= train_ids and not set(got) & dev_ids
    assert sum(len(v) for v in got.values()) > 2000
    assert "0 not mapped" in log[0]
    mbic, _ = word_marks.load_mbic_marks(data_dir)
    assert len(mbic) > 1000 and any(r.spans for r in mbic)
