"""Glossary targets inflected to fit where they land: Russian number, German case.

A glossary gives one rendering per language and, optionally, inflected forms keyed
``"<lang>:<case>.<number>"`` (``"de:dat.pl"``). The number comes from the Russian term
as it stood in the source (повестками is plural), the German case from the words just
before the term in the translation (``mit den`` asks for the dative). Without a clue,
or without forms, the base rendering is used.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from toolkit.errors import CoitoolError

if TYPE_CHECKING:
    from toolkit.glossary import Glossary, GlossaryEntry

# German words that tell the case of the noun after them: word -> (case, number or None).
_GERMAN_CASE_WORDS = {
    "dem": ("dat", "sg"), "einem": ("dat", "sg"), "zum": ("dat", "sg"), "im": ("dat", "sg"),
    "vom": ("dat", "sg"), "beim": ("dat", "sg"), "am": ("dat", "sg"), "zur": ("dat", "sg"),
    "des": ("gen", "sg"), "eines": ("gen", "sg"), "einen": ("acc", "sg"),
    "das": ("nom", "sg"), "ein": ("nom", "sg"), "eine": ("nom", "sg"), "die": ("nom", None),
    "mit": ("dat", None), "von": ("dat", None), "bei": ("dat", None), "nach": ("dat", None),
    "aus": ("dat", None), "seit": ("dat", None), "zu": ("dat", None), "gegenüber": ("dat", None),
    "für": ("acc", None), "durch": ("acc", None), "gegen": ("acc", None), "ohne": ("acc", None),
    "um": ("acc", None), "wegen": ("gen", None), "während": ("gen", None), "trotz": ("gen", None),
    "aufgrund": ("gen", None), "infolge": ("gen", None),
}
_DATIVE_PREPOSITIONS = {"mit", "von", "bei", "nach", "aus", "seit", "zu", "gegenüber"}
# How many words before a German noun may tell its case (article, adjectives).
_GERMAN_CONTEXT_WORDS = 3

_LETTERS = re.compile(r"[^\W\d_]+")
_WORDS = re.compile(r"\w+")
_INFLECTED_ADJECTIVE = re.compile(r"\w+(e|en|em|er|es)")
_NEXT_WORD = re.compile(r"\s*([^\W\d_]+)")


def russian_number(surface: str, after: str = "") -> str:
    """``"pl"`` when the matched Russian noun is plural (повестками), else ``"sg"``.

    An ambiguous form (повестки: genitive singular or nominative plural) counts as
    plural when a plural verb follows it (повестки пришли).
    """
    words = _LETTERS.findall(surface)
    if not words or all(sum(c.isupper() for c in w) >= 2 for w in words):
        return "sg"  # acronyms (ФСБ) do not inflect
    try:
        from toolkit.glossary.russian import morph_analyzer

        morph = morph_analyzer()
    except (ImportError, CoitoolError):
        return "sg"
    parses = next((p for p in (morph.parse(w) for w in words) if p[0].tag.POS == "NOUN"), morph.parse(words[-1]))
    numbers = {"plur" if "plur" in p.tag else "sing" for p in parses if p.tag.POS == parses[0].tag.POS}
    if numbers == {"plur"} or "plur" in parses[0].tag:
        return "pl"
    if "plur" in numbers:
        following = _NEXT_WORD.match(after)
        if following:
            if any(p.tag.POS == "VERB" and "plur" in p.tag for p in morph.parse(following.group(1))):
                return "pl"
    return "sg"


def german_case(before: str, number: str) -> str | None:
    """The case the German words just before a noun ask for, when they tell it."""
    words = _WORDS.findall(before.lower())[-_GERMAN_CONTEXT_WORDS:]
    for position in range(len(words) - 1, -1, -1):
        word = words[position]
        previous = words[position - 1] if position else ""
        if word == "den":
            return "dat" if number == "pl" else "acc"
        if word == "der":
            if previous in _DATIVE_PREPOSITIONS:
                return "dat"
            return "gen" if number == "pl" else None
        if word in _GERMAN_CASE_WORDS:
            return _GERMAN_CASE_WORDS[word][0]
        if not _INFLECTED_ADJECTIVE.fullmatch(word):  # not an inflected adjective: stop looking
            break
    return None


def target_form(
    glossary: "Glossary", entry: "GlossaryEntry", lang: str, before: str = "", surface: str = "", after: str = ""
) -> str:
    """The glossary target of ``entry`` in ``lang``, inflected when the forms and the context tell how.

    ``before`` is the translation just before the term, ``surface`` the Russian term as
    it stood in the source and ``after`` the source text right after it.
    """
    base = glossary.target(entry, lang)
    forms = entry.forms
    if not base or not any(key.startswith(f"{lang}:") for key in forms):
        return base
    number = russian_number(surface, after) if surface else "sg"
    candidates = []
    if lang == "de":
        case = german_case(before, number)
        if case:
            candidates.append(f"de:{case}.{number}")
    if number == "pl":
        candidates.append(f"{lang}:nom.pl")
    for key in candidates:
        if forms.get(key):
            return forms[key][0]
    return base
