"""Glossary terms found in Russian text: words compared as lemmas (pymorphy3), longest match first.

Terms are matched as sequences of lemmas, so inflected forms match too (повестками →
повестка); acronyms match case-sensitively (СК, not ск). pymorphy3 is imported when
the first text is matched, and its analyses are cached per word form.
"""

from __future__ import annotations

import itertools
import re
import threading
from typing import Sequence

from toolkit.errors import GlossaryError
from toolkit.glossary.entries import GlossaryEntry, TermMatch, plain
from toolkit.text import QUOTE_PAIRS, is_acronym

# A word: letters (stress marks allowed), parts joined by hyphens (ЛГБТ-пропаганда).
WORD = re.compile(r"(?:[^\W\d_]|\u0301)+(?:[-\u2010\u2011](?:[^\W\d_]|\u0301)+)*")
_WORD_PLAIN = re.compile(r"[^\W\d_]+(?:[-\u2010\u2011][^\W\d_]+)*")  # faster, for text without stress marks
HYPHENS = re.compile(r"[\u2010\u2011]")
# What may stand between the words of a multi-word term: spaces and quotation marks.
_GAP = re.compile(r"[\s«»\"'„“”‚‘’]*")
# A hyphenated word's keys combine its parts' lemmas; a part may have several, so keep
# the first few combinations (real terms need one or two).
_MAX_COMPOSITE = 16

_morph = None
_morph_lock = threading.Lock()
_token_cache: dict[str, frozenset[str]] = {}
# Word forms whose keys are remembered (tens of MB at most); the cache starts over when full.
_TOKEN_CACHE_LIMIT = 200_000


def morph_analyzer():
    """One pymorphy3 analyser per process (loading the dictionaries takes a few tenths of a second)."""
    global _morph
    if _morph is None:
        with _morph_lock:
            if _morph is None:
                try:
                    import pymorphy3
                except ImportError as error:  # pragma: no cover - a dependency of the package
                    raise GlossaryError(
                        "glossary matching needs pymorphy3: pip install pymorphy3 pymorphy3-dicts-ru"
                    ) from error
                _morph = pymorphy3.MorphAnalyzer(lang="ru")
    return _morph


def parses(word: str):
    """pymorphy3's analyses of a word, most likely first."""
    return morph_analyzer().parse(word)


def _lemmas(word: str) -> set[str]:
    """Every normal form pymorphy3 offers, plus the citation form of participles."""
    found = {word.lower()}
    for parse in parses(word):
        found.add(plain(parse.normal_form))
        if parse.tag.POS == "PRTF":
            citation = parse.inflect({"masc", "sing", "nomn"})
            if citation is not None:
                found.add(plain(citation.word))
    return found


def token_keys(surface: str) -> frozenset[str]:
    """Lemma keys of a word in running text (cached): what glossary terms can match it."""
    keys = _token_cache.get(surface)
    if keys is not None:
        return keys
    word = HYPHENS.sub("-", plain(surface))
    found = _lemmas(word)
    if is_acronym(word):
        found.add("A:" + word.upper())
    if "-" in word:
        part_keys = []
        for part in word.split("-"):
            keys_of_part = _lemmas(part)
            if is_acronym(part):
                keys_of_part.add("A:" + part.upper())
            part_keys.append(sorted(keys_of_part))
        for combination in itertools.islice(itertools.product(*part_keys), _MAX_COMPOSITE):
            found.add("-".join(combination))
    keys = frozenset(found)
    if len(_token_cache) >= _TOKEN_CACHE_LIMIT:
        _token_cache.clear()
    _token_cache[surface] = keys
    return keys


def is_citation_word(word: str) -> bool:
    """The word is a dictionary form: a normal form, or a participle's masculine nominative."""
    low = word.lower()
    for parse in parses(word):
        if "UNKN" in parse.tag:
            continue
        if plain(parse.normal_form) == low:
            return True
        if parse.tag.POS == "PRTF" and {"masc", "sing", "nomn"} <= parse.tag.grammemes:
            return True
    return False


def term_word_keys(word: str) -> frozenset[str]:
    """Keys a word of a glossary term accepts: itself if it is a lemma, else its normal forms."""
    word = HYPHENS.sub("-", plain(word))
    if is_acronym(word) and "-" not in word:
        return frozenset({"A:" + word.upper()})
    if "-" in word and any(is_acronym(p) for p in word.split("-")):
        part_keys = [sorted(term_word_keys(part)) for part in word.split("-")]
        return frozenset("-".join(c) for c in itertools.islice(itertools.product(*part_keys), _MAX_COMPOSITE))
    if is_citation_word(word):
        return frozenset({word.lower()})
    normal = {plain(p.normal_form) for p in parses(word) if "UNKN" not in p.tag}
    return frozenset(normal or {word.lower()})


def lemma_sequence(term: str) -> tuple[frozenset[str], ...]:
    """A term as the sequence of lemma-key sets its words accept."""
    return tuple(term_word_keys(m.group()) for m in WORD.finditer(term))


class TermMatcher:
    """Index of terms by the keys of their first word; built once per glossary (see :meth:`Glossary.match`)."""

    def __init__(self, entries: Sequence[GlossaryEntry]) -> None:
        by_sequence: dict[tuple[frozenset[str], ...], GlossaryEntry] = {}
        for entry in entries:
            sequence = lemma_sequence(entry.term)
            if sequence:
                by_sequence.pop(sequence, None)
                by_sequence[sequence] = entry  # a later duplicate wins
        self.index: dict[str, list[tuple[tuple[frozenset[str], ...], GlossaryEntry]]] = {}
        for sequence, entry in by_sequence.items():
            for key in sequence[0]:
                self.index.setdefault(key, []).append((sequence, entry))
        self._candidates: dict[str, tuple] = {}

    def candidates(self, surface: str) -> tuple:
        """Terms whose first word a word form can be (cached per form)."""
        found = self._candidates.get(surface)
        if found is None:
            keys = token_keys(surface)
            seen: dict[int, tuple] = {}
            for key in keys:
                for item in self.index.get(key, ()):
                    seen.setdefault(id(item[1]), item)
            found = tuple(sorted(seen.values(), key=lambda item: -len(item[0])))
            if len(self._candidates) >= _TOKEN_CACHE_LIMIT:
                self._candidates.clear()
            self._candidates[surface] = found
        return found

    def match(self, text: str) -> list[TermMatch]:
        if not self.index or not text:
            return []
        words = (WORD if "\u0301" in text else _WORD_PLAIN).finditer(text)
        tokens = [(m.start(), m.end(), m.group()) for m in words]
        candidates = self.candidates
        found: list[tuple[int, int, int, GlossaryEntry]] = []  # (first token, token count, chars, entry)
        for i, (start, _, surface) in enumerate(tokens):
            for sequence, entry in candidates(surface):
                n = len(sequence)
                if i + n > len(tokens):
                    continue
                k = 1
                while k < n:
                    if not (sequence[k] & token_keys(tokens[i + k][2])):
                        break
                    if not _GAP.fullmatch(text, tokens[i + k - 1][1], tokens[i + k][0]):
                        break
                    k += 1
                if k == n:
                    found.append((i, n, tokens[i + n - 1][1] - start, entry))
        if not found:
            return []
        if len(found) > 1:
            found.sort(key=lambda f: (-f[1], -f[2], f[0]))
        taken = [False] * len(tokens)
        chosen = []
        for i, n, _, entry in found:
            if any(taken[i : i + n]):
                continue
            taken[i : i + n] = [True] * n
            start, end = tokens[i][0], tokens[i + n - 1][1]
            end = _close_quote(text, start, end)
            chosen.append(TermMatch(start, end, entry, text[start:end]))
        chosen.sort(key=lambda m: m.start)
        return chosen


_QUOTE_PAIRS = tuple(pair for pair in QUOTE_PAIRS if pair[0] in "«„“")  # the double marks a Russian name opens


def _close_quote(text: str, start: int, end: int) -> int:
    """Take in the closing quote of a term that opens one inside (Центр «Э»)."""
    span = text[start:end]
    if not any(q in span for q in "«„“"):
        return end
    for opening, closing in _QUOTE_PAIRS:
        if span.count(opening) > span.count(closing) and text.startswith(closing, end):
            return end + len(closing)
    return end

