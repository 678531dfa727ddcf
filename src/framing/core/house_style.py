"""House style without retraining: a user's own list of loaded terms, used at once.

A house-style list has the format of ``resources/loaded_terms.txt`` (``term | neutral;
... [| sense class]``) and passes the same validation (:func:`framing.core.wordlists.parse_terms`).
:func:`with_house_style` gives a model whose heads with the ``loaded_terms`` lexicon (the
feature ``lex:loaded_terms``, "in the loaded-terms list") also match the user's entries, at
the weight of the shipped ones; ``framing.rewording.suggest`` offers the user's
alternatives (a user's entry replaces a shipped one with the same term).

Nothing is retrained: the lexicon feature keeps its learned weight, only its entries
change. Each changed head is a copy (:meth:`~framing.core.head.Head.with_space`, the weights
shared) over a new :class:`~framing.core.features.FeatureSpace` (the same vocabularies and
idf, other lexicon entries), so every per-space cache (the encoder's, the shared pass's
joined spaces, the explanation's feature names), all keyed by the space object, and the
head's own caches (a word-evidence head's per-word evidence) start empty for it; scores and
explanations are exact for the new entries (contributions + intercept = logit).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from framing import strict
from framing.core.model import Model
from framing.core.wordlists import TermListError, parse_terms
from framing.errors import InputError

__all__ = [
    "LEXICON",
    "MAX_TERMS_BYTES",
    "HouseStyle",
    "model_fingerprint",
    "parse_house_style",
    "read_house_style",
    "with_house_style",
]

LEXICON = "loaded_terms"  # the lexicon a house-style list adds to
MAX_TERMS_BYTES = 1 << 20  # a list of a megabyte holds some 30,000 entries


@dataclass(frozen=True, eq=False)
class HouseStyle:
    """A validated house-style list.

    Attributes:
        source: where it was read from (a path or an upload's name), for display.
        entries: per entry (lexicon key, alternatives, sense class), in file order.
        fingerprint: sha256 of the entries (not of comments or layout), hex.
    """

    source: str
    entries: tuple[tuple[str, tuple[str, ...], str], ...]
    fingerprint: str = field(default="")

    def __post_init__(self):
        if not self.fingerprint:
            canonical = strict.dumps([list(map(_plain, e)) for e in self.entries])
            digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
            object.__setattr__(self, "fingerprint", digest)

    def __len__(self) -> int:
        return len(self.entries)

    def alternatives(self) -> dict[str, list[str]]:
        """Each entry's lexicon key -> its neutral alternatives."""
        return {key: list(alts) for key, alts, _ in self.entries}

    def senses(self) -> dict[str, str]:
        """Each entry -> its sense class (the third field, ``loaded`` when left out; see
        :data:`framing.core.wordlists.SENSE_CLASSES` and :mod:`framing.rewording.senses`)."""
        return {key: sense for key, _, sense in self.entries}

    def describe(self) -> dict:
        """``{"source", "entries", "fingerprint"}``, as ``framing info`` shows it."""
        return {"source": self.source, "entries": len(self), "fingerprint": self.fingerprint}


def _plain(value):
    return value if isinstance(value, str) else list(value)


def parse_house_style(data: bytes, source: str) -> HouseStyle:
    """A house-style list from a file's bytes (UTF-8, a BOM allowed).

    Args:
        data: the file's content.
        source: its name, used in messages and shown by ``framing info``.

    Returns:
        The validated :class:`HouseStyle`.

    Raises:
        InputError: too large, not UTF-8, a broken line (named with its number), or no entry.
    """
    if len(data) > MAX_TERMS_BYTES:
        raise InputError(
            f"terms list {source} is {len(data):,} bytes, over the {MAX_TERMS_BYTES:,} a "
            "terms list may be: give a list of loaded terms, one 'term | neutral word' a line"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"terms list {source} is not UTF-8 text ({exc}); save it as UTF-8"
        ) from None
    try:
        entries = parse_terms(text.splitlines(), source)
    except TermListError as exc:
        raise InputError(f"terms list {exc}") from None
    if not entries:
        raise InputError(
            f"terms list {source} lists no terms: write one 'loaded term | neutral word' a line "
            "(# starts a comment)"
        )
    return HouseStyle(source, tuple((k, tuple(a), c) for k, a, c in entries))


def read_house_style(path: str | os.PathLike) -> HouseStyle:
    """The house-style list in the file ``path`` (see :func:`parse_house_style`).

    Args:
        path: a UTF-8 text file in the format of ``loaded_terms.txt``.

    Returns:
        The validated :class:`HouseStyle`.

    Raises:
        InputError: no such file, a folder, or what :func:`parse_house_style` refuses.
    """
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{path} is a folder; give a terms file")
    try:
        with open(p, "rb") as fh:
            data = fh.read(MAX_TERMS_BYTES + 1)
    except FileNotFoundError:
        raise InputError(f"no such terms file: {path}") from None
    return parse_house_style(data, str(path))


def with_house_style(model: Model, style: HouseStyle | None) -> Model:
    """``model`` with ``style``'s entries in every head's ``loaded_terms`` lexicon.

    Args:
        model: the model (not changed).
        style: the list; None gives ``model`` back as it is.

    Returns:
        A new :class:`Model` sharing the weights, its ``house_style`` set and its manifest's
        ``house_style`` naming the list and the heads it reached. A head without the
        lexicon is kept as it is (``framing suggest`` still uses the alternatives).
    """
    if style is None:
        return model
    heads, reached = {}, []
    for name, head in model.heads.items():
        space = head.space
        if LEXICON not in space.lexicon_names:
            heads[name] = head
            continue
        lexicons = space.lexicons()
        lexicons[LEXICON] = {**lexicons[LEXICON], **{k: 1.0 for k, _, _ in style.entries}}
        heads[name] = head.with_space(space.with_lexicons(lexicons))
        reached.append(name)
    manifest = dict(model.manifest)
    manifest["house_style"] = {**style.describe(), "heads": reached}
    return Model(heads, manifest, house_style=style)


def model_fingerprint(model: Model) -> str:
    """What identifies the model's scores: its artifact's sha256 (16 hex digits), with
    ``+terms:`` and the house-style list's fingerprint (12) when one is in use."""
    art = model.manifest.get("artifact")
    sha = art.get("sha256") if isinstance(art, dict) else None
    out = str(sha)[:16] if sha else "unsaved"
    style = getattr(model, "house_style", None)
    return f"{out}+terms:{style.fingerprint[:12]}" if style is not None else out
