"""Glossary entries and the glossary itself: terms, renderings, inflected forms, ids, checksum.

A glossary keeps terminology consistent across a translation: повестка is always a
summons / oproep / Einberufungsbescheid, whatever case the Russian text puts it in.
Matching the terms in Russian text is :mod:`.russian`'s; reading and writing files is
:mod:`.tsv`'s, :mod:`.tbx`'s and :mod:`.files`'s.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from toolkit.text import TARGET_LANGUAGES

if TYPE_CHECKING:
    from toolkit.glossary.russian import TermMatcher

DEFAULT_GLOSSARY = "ru-asylum.tsv"
REQUIRED_LANGUAGES = TARGET_LANGUAGES

# Target languages a glossary column may name (ISO 639-1); anything else is a typo.
KNOWN_LANGUAGES = frozenset(
    "ar az be bg ca cs da de el en eo es et fa fi fr ga he hi hu hy id it ja ka kk ko ky lt lv "
    "ms nb nl pl pt ro ru sk sl sq sr sv tg th tk tl tr uk ur uz vi zh".split()
)
GERMAN_CASES = ("nom", "acc", "dat", "gen")
NUMBERS = ("sg", "pl")
# An inflected-forms key: language, optionally case and number ("de", "de:dat.pl").
FORM_KEY = re.compile(r"^([a-z]{2})(?::(nom|acc|dat|gen)\.(sg|pl))?$")
NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")


@dataclass(frozen=True)
class GlossaryEntry:
    """One Russian term (lemma form) and how asylum sources render it."""

    id: str
    term: str
    targets: dict[str, str]
    pos: str
    note: str = ""
    do_not_translate: bool = False
    # inflected target forms, keyed by language ("de") or language, case and number ("de:dat.pl")
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __hash__(self) -> int:  # the dict fields would make the generated hash fail
        return hash((self.id, self.term))

    def canonical(self) -> dict:
        """Plain data in a fixed order: the basis of checksums and comparisons."""
        return {
            "id": self.id,
            "term": self.term,
            "pos": self.pos,
            "targets": dict(sorted(self.targets.items())),
            "note": self.note,
            "do_not_translate": self.do_not_translate,
            "forms": {key: list(values) for key, values in sorted(self.forms.items())},
        }


@dataclass(frozen=True)
class TermMatch:
    """A glossary term found in a fragment: ``surface == text[start:end]``."""

    start: int
    end: int
    entry: GlossaryEntry
    surface: str


class Glossary:
    """A named, versioned set of entries; matches its terms in Russian text."""

    def __init__(
        self,
        name: str,
        version: str,
        entries: Iterable[GlossaryEntry],
        *,
        licence: str = "",
        sources: Sequence[str] = (),
    ) -> None:
        self.name = name
        self.version = version
        self.entries: tuple[GlossaryEntry, ...] = tuple(entries)
        self.licence = licence
        self.sources = tuple(sources)
        self._matcher: TermMatcher | None = None
        self._checksum: str | None = None
        self._by_id: dict[str, GlossaryEntry] | None = None

    def __repr__(self) -> str:
        return f"Glossary({self.name!r}, {self.version!r}, {len(self.entries)} entries)"

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[GlossaryEntry]:
        return iter(self.entries)

    @property
    def checksum(self) -> str:
        """``sha256:<hex>`` of the entries, independent of their order in the file."""
        if self._checksum is None:
            rows = sorted(
                (json.dumps(e.canonical(), ensure_ascii=False, sort_keys=True) for e in self.entries)
            )
            digest = hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()
            self._checksum = f"sha256:{digest}"
        return self._checksum

    @property
    def languages(self) -> tuple[str, ...]:
        """Target languages some entry has a rendering for, required ones first."""
        found = {lang for e in self.entries for lang in e.targets}
        return tuple([l for l in REQUIRED_LANGUAGES if l in found] + sorted(found - set(REQUIRED_LANGUAGES)))

    @classmethod
    def default(cls) -> "Glossary":
        """The glossary shipped with coitool (``glossaries/ru-asylum.tsv``)."""
        from toolkit.glossary.tsv import read_tsv

        return read_tsv(glossary_dir() / DEFAULT_GLOSSARY)

    @classmethod
    def load(cls, paths: Sequence[Path] | None = None, *, include_default: bool = True) -> "Glossary":
        """The shipped glossary (optionally) merged with the user's files; later files win per term."""
        from toolkit.glossary.files import read_glossary

        parts: list[Glossary] = []
        if include_default:
            parts.append(cls.default())
        parts.extend(read_glossary(Path(p)) for p in (paths or ()))
        if not parts:
            return cls("empty", "0", ())
        if len(parts) == 1:
            return parts[0]
        merged: dict[str, GlossaryEntry] = {}
        for part in parts:
            for entry in part.entries:
                merged.pop(term_key(entry.term), None)  # a redefined term moves to its new place
                merged[term_key(entry.term)] = entry
        return cls(
            "+".join(p.name for p in parts),
            "+".join(p.version or "-" for p in parts),
            unique_ids(merged.values()),
            licence="; ".join(dict.fromkeys(p.licence for p in parts if p.licence)),
            sources=tuple(s for p in parts for s in p.sources),
        )

    def get(self, entry_id: str) -> GlossaryEntry | None:
        """The entry with this id (the first, should a hand-built glossary repeat one)."""
        if self._by_id is None:
            self._by_id = {}
            for entry in self.entries:
                self._by_id.setdefault(entry.id, entry)
        return self._by_id.get(entry_id)

    def find(self, term: str) -> GlossaryEntry | None:
        """The entry for a term as written in the glossary (case, ё and spacing ignored)."""
        key = term_key(term)
        return next((e for e in reversed(self.entries) if term_key(e.term) == key), None)

    def match(self, text: str) -> list[TermMatch]:
        """Glossary terms in ``text``: lemma sequences, longest first, non-overlapping, by start."""
        if self._matcher is None:
            from toolkit.glossary.russian import TermMatcher

            self._matcher = TermMatcher(self.entries)
        return self._matcher.match(text)

    def target(self, entry: GlossaryEntry, lang: str) -> str:
        """How ``entry`` is rendered in ``lang``.

        Terms not to be translated fall back to their Russian form; otherwise an empty
        string says the glossary has no rendering and the model should translate the term.
        """
        rendering = entry.targets.get(lang, "")
        if not rendering and entry.do_not_translate:
            return entry.term
        return rendering

    def target_forms(self, entry: GlossaryEntry, lang: str) -> tuple[str, ...]:
        """The rendering and its inflected forms: what counts as the term in a translation."""
        found = [self.target(entry, lang)]
        for key, values in entry.forms.items():
            if key == lang or key.startswith(lang + ":"):
                found.extend(values)
        return tuple(dict.fromkeys(f for f in found if f))


def glossary_dir() -> Path:
    """Where the shipped glossaries live (``COITOOL_GLOSSARY_DIR`` overrides)."""
    override = os.environ.get("COITOOL_GLOSSARY_DIR")
    if override:
        return Path(override)
    source_tree = Path(__file__).resolve().parents[2] / "glossaries"
    if source_tree.is_dir():
        return source_tree
    # A wheel install puts them under <prefix>/share/coitool/glossaries (pyproject data-files).
    import sys

    return Path(sys.prefix) / "share" / "coitool" / "glossaries"


# -- identifiers ----------------------------------------------------------------------------

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i j k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split(),
    )
)


def make_id(term: str) -> str:
    """An NCName-safe ASCII id from a Russian term: ``иностранный агент`` → ``inostrannyj-agent``."""
    out = []
    for char in unicodedata.normalize("NFC", term.lower()):
        if char in _TRANSLIT:
            out.append(_TRANSLIT[char].strip("_"))
        elif char.isascii() and char.isalnum():
            out.append(char)
        else:
            out.append("-")
    ident = re.sub(r"-+", "-", "".join(out)).strip("-") or "term"
    return ident if ident[0].isalpha() else f"t-{ident}"



def unique_ids(entries: Iterable[GlossaryEntry]) -> list[GlossaryEntry]:
    """Entries with distinct ids (``-2``, ``-3`` … appended where two terms share one)."""
    seen: set[str] = set()
    out = []
    for entry in entries:
        ident = entry.id
        n = 2
        while ident in seen:
            ident, n = f"{entry.id}-{n}", n + 1
        seen.add(ident)
        out.append(entry if ident == entry.id else replace(entry, id=ident))
    return out


def term_key(term: str) -> str:
    """What makes two written terms the same term: case, ё/е and spacing do not count."""
    return " ".join(plain(term).casefold().split())


def plain(text: str) -> str:
    return text.replace("ё", "е").replace("Ё", "Е").replace("\u0301", "")

