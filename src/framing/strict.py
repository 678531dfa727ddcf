"""Strict text and strict JSON: one rule for every text and JSON the project reads or writes.

* **Text is valid Unicode**: a string holding a lone surrogate (``"\\ud800"``: a JSON
  escape of half a character, such as an emoji cut by a JavaScript client, or undecodable
  bytes kept while reading) cannot be written as UTF-8. It is never scored nor written as
  it is: :func:`text_problem` says why (a row error in a batch, an ``InputError`` from the
  library) and :func:`replace_surrogates` gives the text to show, each lone surrogate as
  U+FFFD.
* **Written JSON is strict** (RFC 8259): :func:`dumps` never writes ``NaN``, ``Infinity`` or
  ``-Infinity``, which strict parsers (browsers, ``jq``, most languages) refuse. A number
  that is not finite is written as a string: the text it was read from (see below), else
  ``"NaN"``, ``"Infinity"`` or ``"-Infinity"``. Nothing is dropped, and it cannot be
  mistaken for a missing value (``null``).
* **Non-finite numbers read** (:func:`loads`): a number beyond the float range (``1e400``)
  and the non-standard constants ``NaN``, ``Infinity``, ``-Infinity`` are kept as their text,
  a string (``"1e400"``, ``"NaN"``), so that they are written back unchanged and strictly.
* **Nesting is bounded**: a value nested more than :data:`MAX_DEPTH` levels deep (objects
  and lists) is refused by :func:`loads` with a :class:`TooDeep` (a ``ValueError``), never a
  ``RecursionError``: a JSONL line becomes a row error, a ``model.json`` or
  ``manifest.json`` a ``ModelError``. Every value read is therefore shallow enough to be
  written again.
"""

from __future__ import annotations

import codecs
import json
import math
import re

__all__ = [
    "ENCODE_ERRORS",
    "MAX_DEPTH",
    "TooDeep",
    "dumps",
    "dumps_bytes",
    "has_surrogates",
    "loads",
    "replace_surrogates",
    "text_problem",
]

MAX_DEPTH = 200
_NON_FINITE = {math.inf: "Infinity", -math.inf: "-Infinity"}


_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_on_encode(exc: UnicodeError):
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    # bytes: the UTF-8 encoder takes only ASCII text from a handler
    return "\ufffd".encode(exc.encoding, "replace") * (exc.end - exc.start), exc.end


# the ``errors=`` of every text file the project writes: a lone surrogate that reached a
# writer (one that no reader cleaned, e.g. in a Dask DataFrame's column) is written as U+FFFD
ENCODE_ERRORS = "framing.replace"
codecs.register_error(ENCODE_ERRORS, _replace_on_encode)


def has_surrogates(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate (it cannot be encoded as UTF-8)."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def replace_surrogates(text: str) -> str:
    """``text`` with each lone surrogate as U+FFFD (undecodable bytes kept as surrogate
    escapes while reading: one U+FFFD per invalid sequence, as a UTF-8 decoder shows them)."""
    if not has_surrogates(text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be scored as it is (None when it can): a lone surrogate."""
    if not has_surrogates(text):
        return None
    at = _SURROGATE.search(text).start()
    return (
        f"not valid Unicode: a lone surrogate {text[at]!a} at character {at} (half a "
        "character, e.g. a cut emoji); fix the source (it is shown as U+FFFD)"
    )


class TooDeep(ValueError):
    """A JSON value nested more than :data:`MAX_DEPTH` levels deep."""


def _float_or_text(text: str):
    value = float(text)
    return value if math.isfinite(value) else text


# made once (json.loads with hooks builds a decoder per call); the C scanner calls the float
# hook only for numbers with a fraction or an exponent
_DECODER = json.JSONDecoder(parse_float=_float_or_text, parse_constant=str)


def _too_deep(value, limit: int) -> bool:
    """Whether ``value`` holds objects or lists nested more than ``limit`` deep (no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if depth > limit:
            return True
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return False


def loads(text: str | bytes):
    """``json.loads(text)`` with this module's rules: non-finite numbers kept as their text,
    nesting over :data:`MAX_DEPTH` refused with :class:`TooDeep`; malformed JSON raises
    ``json.JSONDecodeError`` (a ``ValueError``) as usual."""
    if isinstance(text, bytes | bytearray):
        text = text.decode("utf-8")
    try:
        value = _DECODER.decode(text)
    except RecursionError:
        raise TooDeep(f"nested more than {MAX_DEPTH} levels deep") from None
    # a value cannot be nested deeper than it has brackets: most lines are not walked
    deep = isinstance(value, dict | list) and text.count("[") + text.count("{") > MAX_DEPTH
    if deep and _too_deep(value, MAX_DEPTH):
        raise TooDeep(f"nested more than {MAX_DEPTH} levels deep")
    return value


def _finite_copy(value):
    """``value`` with every non-finite float replaced by its name (a string)."""
    if isinstance(value, float) and not math.isfinite(value):
        return _NON_FINITE.get(value, "NaN")
    if isinstance(value, dict):
        return {k: _finite_copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite_copy(v) for v in value]
    return value


def dumps(value, **kwargs) -> str:
    """``json.dumps(value, **kwargs)`` as strict JSON: non-finite numbers as strings (see the
    module's rules). ``allow_nan`` cannot be turned on."""
    kwargs["allow_nan"] = False
    try:
        return json.dumps(value, **kwargs)
    except ValueError as exc:
        if "Out of range float" not in str(exc):
            raise
    return json.dumps(_finite_copy(value), **kwargs)


def dumps_bytes(value) -> bytes:
    """Compact strict JSON of ``value`` as UTF-8 bytes (non-ASCII kept, tuples as lists), for
    large responses: orjson when it is installed (several times faster), else :func:`dumps`.
    The same JSON but for non-finite numbers, which orjson writes as ``null``: only pass values
    known to be finite (an explanation of a loaded model, whose logits ``load_model`` bounds)."""
    try:
        import orjson
    except ImportError:
        return dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return orjson.dumps(value, default=list)
