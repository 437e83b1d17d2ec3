"""Text cut into the pieces a model translates: sentences, and the gaps kept between them.

We split ourselves: Argos's own splitters (stanza, MiniSBD) fetch models at run time.
Sentence ends come from :func:`toolkit.text.sentence_ends` (``.!?…`` plus closing
quotes before a capital or digit, not after an abbreviation or an initial); lines are
never joined, and a sentence longer than a model input should be is cut at ``;``,
``,`` or a space. Joining the pieces always gives back the text exactly.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from toolkit.text import looks_like_url, sentence_ends

# Longest piece sent to a model, in characters: Argos packages are trained on sentences,
# and a CTranslate2 model's output degrades (and its cost grows) far beyond that length.
MAX_SEGMENT_CHARS = 400

_LINE_BREAKS = re.compile(r"(\n+)")


class Piece(NamedTuple):
    """A piece of a text: a sentence to translate (``translate``) or a gap to keep."""

    text: str
    translate: bool


def split_sentences(text: str) -> list[Piece]:
    """Cut text into pieces: ``(sentence, True)`` to translate, ``(gap, False)`` to keep."""
    pieces: list[Piece] = []
    for line in _LINE_BREAKS.split(text):
        if not line:
            continue
        if line.startswith("\n"):
            pieces.append(Piece(line, False))
            continue
        start = 0
        for match in sentence_ends(line):
            _add_sentence(pieces, line[start : match.start("space")])
            pieces.append(Piece(match.group("space"), False))
            start = match.end("space")
        _add_sentence(pieces, line[start:])
    return pieces


def needs_model(sentence: str) -> bool:
    """Whether a sentence goes to a model: numbers, punctuation and bare URLs go through unchanged."""
    if looks_like_url(sentence):
        return False
    return any(ch.isalpha() for ch in sentence)


def _add_sentence(pieces: list[Piece], sentence: str) -> None:
    stripped = sentence.strip()
    if not stripped:
        if sentence:
            pieces.append(Piece(sentence, False))
        return
    lead = sentence[: len(sentence) - len(sentence.lstrip())]
    trail = sentence[len(sentence.rstrip()):]
    if lead:
        pieces.append(Piece(lead, False))
    pieces.extend(_split_long(stripped))
    if trail:
        pieces.append(Piece(trail, False))


def _split_long(sentence: str) -> list[Piece]:
    """Keep each model input short: cut an over-long sentence at ``;``, ``,`` or a space."""
    if len(sentence) <= MAX_SEGMENT_CHARS:
        return [Piece(sentence, True)]
    middle = len(sentence) // 2
    for separator in ("; ", ", ", " "):
        cut = sentence.rfind(separator, 0, middle + MAX_SEGMENT_CHARS // 2)
        if cut > 0:
            cut += len(separator) - 1
            return _split_long(sentence[:cut]) + [Piece(" ", False)] + _split_long(sentence[cut + 1:])
    return [Piece(sentence, True)]
