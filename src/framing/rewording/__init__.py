"""Neutral rewording: for each loaded word that drives the ``loaded`` score up, a neutral
alternative, a rewritten text with every replacement applied, and both texts scored exactly.

**What is replaced.** A word or phrase is a candidate when

1. it is an entry of ``resources/loaded_terms.txt`` (a phrase of up to three words, or one
   word), in the entry's own form or an inflection of it: plural or third person (``-s``,
   ``-es``, ``-ies``), possessive (``-'s``), past (``-ed``, ``-d``, a doubled consonant,
   ``-ied``), ``-ing``, or an adverb in ``-ly`` (``-ily``, ``-ically``, ``-ble`` -> ``-bly``);
   a phrase's last word may be plural or possessive ("witch hunts", "hermit nation's"); or
2. it is not in that file but is one of :data:`INTENSIFIERS`, adverbs that intensify or
   judge without stating a fact ("utterly", "brazenly"); their only alternative is to leave
   them out;

**and** its contribution to the ``loaded`` score of its sentence, as :func:`framing.explain`
reports it (the word's per-word contribution, summed over the words of a phrase; a word
that occurs twice in a sentence counts its total, as ``explain()`` lists it), is positive.
Words inside quotation marks are never changed (rewording a quotation would misquote
someone); they are listed in :attr:`Suggestion.skipped`.

**Alternatives** come only from the file's neutral counterparts, in the file's order; the
first one that fits is applied, the others are offered. They are inflected like the word they
replace (plural, possessive, ``-ly``; ``-ed`` and ``-ing`` only for the alternatives that
are verbs, listed in :data:`VERBS` with their irregular forms), and take its capitalisation
("Slams" -> "Criticises", "DESPOT" -> "LEADER"; in a Title Case headline every word of a
longer alternative is capitalised). ``<drop>`` (and every intensifier) means leaving the word
out, which is done only where the sentence stays whole: the word must be followed by another
word on its line (an adjective not by a function word such as "and"; an adverb not by
"and", "or", "but", "nor"); an adverb may also be dropped before a comma or at the end of a
clause ("Shamelessly, he denied" -> "He denied"; "he acted shamelessly." -> "he acted.").
An alternative that is a name (every word capitalised: "North Korea") is applied only when
the text itself names it somewhere ("where the text says so"); otherwise the next one is.
Around a replacement: "the" before a name is absorbed ("the hermit nation" -> "North
Korea"); words before the span that repeat the alternative's first words are absorbed
("the hermit nation" -> "the country", "military junta" -> "military government"); "a" or
"an" before a changed word is corrected when the spelling rule is sure ("an autocrat" ->
"a leader", "a shameless attempt" -> "an attempt", "a bizarre" -> "an unusual"; acronyms
are left alone); a dropped sentence-initial word passes its capital to the next word. An
adverb made from an entry ("ruthlessly" from "ruthless") is left out first, like the file's
own adverbs ("brutally | <drop>"); the adverbs of the entry's counterparts are offered
("harshly"). A past form after "has", "was", ... takes the participle ("has ranted" -> "has
spoken"); an irregular past after "the" does not fit ("the plundered treasury" stays).

When none of a candidate's alternatives fits (a form the file has no counterpart for, such
as "-ed" of a noun: "massacred"; a name the text does not give; an adjective counterpart
where the word is used as a noun: "a sham."; "accused of ..." before a noun; a drop that
would break the sentence), the word is left as it is and listed in
:attr:`Suggestion.skipped` with the reason.

**Literal senses.** Every entry of the list carries a sense class (the file's third field).
An entry with a common literal sense is replaced only where the sentence shows the loaded
sense (said of people in public life or of what they say or do, a label, a complement of
speech, the actor of a civic act) and otherwise offered with its alternatives, not applied
(listed in :attr:`Suggestion.skipped`, reason "literal sense? ..."): "Russian forces
repelled an invasion" and "toxic waste" stay, "the invasion of tourists" and "the toxic
debate" are reworded; see :mod:`framing.rewording.senses`.

**Limits.** The rules read spelling and word classes, not grammar: a loaded use without a
cue ("Invaders are crossing the border") is offered, not applied; reported speech without
quotation marks ("called him a coward") is reworded although someone said it; the
part-of-speech guesses (which counterparts are adjectives, :data:`VERBS`) are lists and
endings, not a tagger. Figures on sentences we wrote: ``python
benchmarks/eval_rewording.py``.

**Headline or body.** ``suggest(text)`` treats ``text`` as a headline when it is one
sentence in one paragraph (as :func:`framing.core.text.split_sentences` splits it) of at most
:data:`framing.explanation.MAX_HEADLINE_CHARS` characters, else as an article body
(``kind="headline"`` / ``"body"`` forces either). A headline is scored as
``explain(headline=...)`` scores it: ``before``/``after`` hold the raw ``clickbait`` and
``loaded`` probabilities. A body is scored as ``explain(body=...)`` scores it: each
sentence by ``loaded`` (``Suggestion.sentences`` has each sentence's probability before and
after), and ``before``/``after`` hold the article score (mean of the 3 most loaded
sentences) under ``"loaded"``. Other binary heads of the model (e.g. one trained with
``framing train``) are scored on the whole text with ``head.predict_proba``, as
:func:`framing.score` does; multi-label heads (``technique``, ``frame``) are not in
``before``/``after``.

**Offsets.** Every :class:`Replacement` has ``start``/``end`` into ``text``
(``text[start:end] == original``) and ``rewritten_start``/``rewritten_end`` into
``rewritten``; outside the replaced spans the two texts are the same, character for
character. A span may be larger than the loaded word: it includes the whitespace a drop
removes, an article it corrects or words it absorbs.
"""

from framing.rewording.results import Replacement, SentenceScores, Skipped, Suggestion
from framing.rewording.suggest import suggest
from framing.rewording.words import INTENSIFIERS, VERBS, inflect

__all__ = [
    "INTENSIFIERS",
    "VERBS",
    "Replacement",
    "SentenceScores",
    "Skipped",
    "Suggestion",
    "inflect",
    "suggest",
]
