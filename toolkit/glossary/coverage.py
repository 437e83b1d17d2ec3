"""How much of the domain a glossary covers: a list of core terms, matched in their inflected forms.

A coverage list (``glossaries/ru-asylum-coverage.tsv``) names the Russian source terms
that COI work on Russia cannot do without, each with the en/nl/de rendering expected
and where that rendering comes from. :func:`coverage` generates the forms a term takes
in running text (:func:`inflected_forms`: the cases of its head noun, singular and
plural, agreeing adjectives with it, ``е`` for ``ё``, a capital at the start of a
sentence) and asks the glossary's matcher for each: a term is covered when every form is
found as one glossary term, and its renderings are compared with the list's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from toolkit.errors import GlossaryError
from toolkit.glossary.entries import REQUIRED_LANGUAGES, Glossary, GlossaryEntry, plain
from toolkit.glossary.files import read_bytes
from toolkit.glossary.russian import WORD, parses
from toolkit.text import is_acronym

DEFAULT_COVERAGE = "ru-asylum-coverage.tsv"
# The shipped glossary must find at least this share of the list's terms in every
# generated form, and render at least this share of the found terms as the list expects.
# A few misses leave room for a term a new pymorphy3 dictionary analyses differently;
# more than 2 in 100 means the glossary lost part of the domain.
COVERAGE_FLOOR = 0.98

# The cases a noun phrase takes in running text besides the nominative:
# genitive, dative, accusative, instrumental, prepositional.
OBLIQUE_CASES = ("gent", "datv", "accs", "ablt", "loct")
# Plural forms checked for a singular term (nominative, genitive, prepositional).
PLURAL_CASES = ("nomn", "gent", "loct")
_ADJECTIVE_POS = {"ADJF", "PRTF"}
_GENDERS = {"masc", "femn", "neut"}
_COLUMNS = ("term", "area", *REQUIRED_LANGUAGES, "source")


@dataclass(frozen=True)
class CoverageTerm:
    """One core term of the domain, the renderings expected and where they come from."""

    term: str
    area: str
    expected: dict[str, str]
    source: str
    line: int = 0


@dataclass
class TermCoverage:
    """How the glossary does on one term of the list."""

    item: CoverageTerm
    forms: tuple[str, ...]
    missed: tuple[str, ...]  # forms the glossary does not find as one term
    entry: GlossaryEntry | None  # the entry found for the term's dictionary form
    differs: dict[str, tuple[str, str]] = field(default_factory=dict)  # lang -> (glossary, list)

    @property
    def covered(self) -> bool:
        return not self.missed and self.entry is not None


@dataclass
class CoverageReport:
    """A glossary measured against a coverage list."""

    list_name: str
    results: list[TermCoverage]

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def covered(self) -> list[TermCoverage]:
        return [r for r in self.results if r.covered]

    @property
    def missed(self) -> list[TermCoverage]:
        return [r for r in self.results if not r.covered]

    @property
    def share(self) -> float:
        return len(self.covered) / self.total if self.total else 1.0

    @property
    def forms(self) -> int:
        return sum(len(r.forms) for r in self.results)

    @property
    def forms_found(self) -> int:
        return sum(len(r.forms) - len(r.missed) for r in self.results)

    @property
    def differing(self) -> list[TermCoverage]:
        return [r for r in self.covered if r.differs]

    @property
    def agreement(self) -> float:
        """Share of the covered terms whose every rendering is the one the list expects."""
        covered = self.covered
        return (len(covered) - len(self.differing)) / len(covered) if covered else 1.0

    @property
    def passes(self) -> bool:
        return self.share >= COVERAGE_FLOOR and self.agreement >= COVERAGE_FLOOR

    def summary(self) -> str:
        return (
            f"coverage {len(self.covered)} of {self.total} terms of {self.list_name} "
            f"({100 * self.share:.1f} %, {self.forms_found} of {self.forms} inflected forms), "
            f"{len(self.differing)} rendered otherwise than the list"
        )

    def problems(self) -> list[str]:
        """One line per term the glossary misses or renders otherwise, for an editor."""
        lines = []
        for r in self.missed:
            if r.entry is None and len(r.missed) == len(r.forms):
                lines.append(f"coverage: {r.item.term!r} ({r.item.area}) is not in the glossary")
            else:
                lines.append(f"coverage: {r.item.term!r} not found in: {', '.join(r.missed)}")
        for r in self.differing:
            for lang, (found, expected) in r.differs.items():
                lines.append(f"coverage: {r.item.term!r} {lang}: glossary {found!r}, list {expected!r} ({r.item.source})")
        return lines


def read_coverage(path) -> list[CoverageTerm]:
    """Read a coverage list: TSV with term, area, en, nl, de and source columns."""
    path = Path(path)
    try:
        text = read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise GlossaryError(f"{path}: not UTF-8 text (byte {error.start})") from None
    columns: list[str] | None = None
    items: list[CoverageTerm] = []
    seen: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in raw.split("\t")]
        where = f"{path}:{lineno}"
        if columns is None:
            columns = [c.lower() for c in cells]
            missing = [c for c in _COLUMNS if c not in columns]
            if missing:
                raise GlossaryError(f"{where}: a coverage list needs the columns {', '.join(_COLUMNS)}; missing {', '.join(missing)}")
            continue
        if len(cells) != len(columns):
            raise GlossaryError(f"{where}: expected {len(columns)} tab-separated columns, found {len(cells)}")
        row = dict(zip(columns, cells))
        term = " ".join(row["term"].split())
        if not WORD.search(term):
            raise GlossaryError(f"{where}: term {term!r} has no words")
        expected = {lang: row[lang] for lang in REQUIRED_LANGUAGES}
        empty = [lang for lang, value in expected.items() if not value]
        if empty or not row["source"]:
            raise GlossaryError(f"{where}: {term!r} needs an en, nl and de rendering and a source")
        key = plain(term).casefold()
        if key in seen:
            raise GlossaryError(f"{where}: {term!r} is already listed on line {seen[key]}")
        seen[key] = lineno
        items.append(CoverageTerm(term, row["area"], expected, row["source"], lineno))
    if columns is None:
        raise GlossaryError(f"{path}: no header line ({', '.join(_COLUMNS)}) found")
    return items


def coverage(glossary: Glossary, items: Sequence[CoverageTerm], list_name: str = "the list") -> CoverageReport:
    """Measure ``glossary`` against a coverage list (see the module docstring)."""
    results = []
    for item in items:
        forms = inflected_forms(item.term)
        missed = tuple(form for form in forms if not _found_whole(glossary, form))
        whole = [m for m in glossary.match(item.term) if (m.start, m.end) == (0, len(item.term))]
        entry = whole[0].entry if whole else None
        differs = {}
        if entry is not None:
            for lang, expected in item.expected.items():
                rendering = glossary.target(entry, lang)
                if not _same_rendering(expected, glossary.target_forms(entry, lang)):
                    differs[lang] = (rendering, expected)
        results.append(TermCoverage(item, forms, missed, entry, differs))
    return CoverageReport(list_name, results)


def _found_whole(glossary: Glossary, form: str) -> bool:
    return any((m.start, m.end) == (0, len(form)) for m in glossary.match(form))


def _same_rendering(expected: str, renderings: Iterable[str]) -> bool:
    wanted = " ".join(expected.split()).casefold()
    return any(" ".join(r.split()).casefold() == wanted for r in renderings)


# -- inflected forms ------------------------------------------------------------------------


def inflected_forms(term: str) -> tuple[str, ...]:
    """The forms a term takes in running text: its own first, then the inflected ones.

    The head of a noun phrase is its first noun in the nominative, after the adjectives
    and participles that agree with it (военный билет, частная военная компания,
    политический заключённый); the head and those words are put in each oblique case,
    and in the plural, while the words after the head (governed: отказ от военной
    службы, Министерство обороны) stay as they are. A term without such a head
    (acronyms, adverbs, fixed phrases) has its own form only. Every form is given with
    ``е`` for ``ё`` too, and a lower-case term with a capital as at a sentence start.
    """
    base = " ".join(term.split())
    forms = [base]
    words = list(WORD.finditer(base))
    phrase = _noun_phrase(words)
    if phrase is not None:
        head, modifiers, number = phrase
        wanted = [(case, number) for case in OBLIQUE_CASES]
        if number == "sing" and "Sgtm" not in head[1][1].tag:
            wanted += [(case, "plur") for case in PLURAL_CASES]
        for case, num in wanted:
            replaced = _inflect_phrase(words, head, modifiers, case, num)
            if replaced is not None:
                forms.append(_replace_words(base, words, replaced))
    more = []
    for form in forms:
        more.append(form)
        if "ё" in form or "Ё" in form:
            more.append(plain(form))
    if base[:1].islower():
        more.append(base[:1].upper() + base[1:])
    return tuple(dict.fromkeys(more))


def _nominative(surface: str, pos: set[str]) -> list[tuple[str, object]]:
    """A word's nominative analyses of the given parts of speech, most likely first.

    Each comes with the part that does not decline: the acronym before the hyphen of a
    hyphenated word (ЛГБТ-пропаганда declines as пропаганда), else nothing.
    """
    prefix, word = "", surface
    head, dash, tail = surface.rpartition("-")
    if dash and all(is_acronym(part) for part in head.split("-")):
        prefix, word = head + dash, tail
    return [
        (prefix, p) for p in parses(word.lower())
        if p.tag.POS in pos and "nomn" in p.tag and "UNKN" not in p.tag
    ]


def _agrees(modifier, other) -> bool:
    """An adjective analysis agrees with a following word's analysis in number (and gender)."""
    if modifier.tag.number != other.tag.number:
        return False
    genders = {modifier.tag.gender, other.tag.gender} & _GENDERS
    return modifier.tag.number == "plur" or len(genders) < 2


def _noun_phrase(words):
    """(head index and analysis, {index: modifier analysis}, number), or None without a head."""
    modifiers: dict[int, tuple[str, object]] = {}
    for index, match in enumerate(words):
        surface = match.group()
        if "-" not in surface and is_acronym(surface):
            return None  # an acronym does not decline (СК РФ, УК)
        adjectives = _nominative(surface, _ADJECTIVE_POS)
        nouns = _nominative(surface, {"NOUN"})
        if not adjectives and not nouns:
            return None
        following = words[index + 1].group() if index + 1 < len(words) else ""
        after = _nominative(following, _ADJECTIVE_POS | {"NOUN"}) if following else []
        modifier = next((a for a in adjectives for b in after if _agrees(a[1], b[1])), None)
        if modifier is not None:
            modifiers[index] = modifier
            continue
        candidates = nouns or adjectives  # a lone adjective or participle is a noun here (военнослужащий)
        agreeing = [c for c in candidates if all(_agrees(m[1], c[1]) for m in modifiers.values())]
        head = (agreeing or candidates)[0]
        return (index, head), modifiers, head[1].tag.number or "sing"
    return None


def _inflect_phrase(words, head, modifiers, case: str, number: str) -> dict[int, str] | None:
    """The head and its modifiers put in ``case`` and ``number``: {word index: new form}."""
    index, (prefix, analysis) = head
    inflected = analysis.inflect({case, number})
    if inflected is None:
        return None
    out = {index: prefix + inflected.word}
    animate = "anim" in analysis.tag
    for position, (prefix, modifier) in modifiers.items():
        if case == "accs" and (number == "plur" or modifier.tag.gender == "masc"):
            # their accusative is the genitive with a living head, else the nominative
            grammemes = {"gent" if animate else "nomn", number}
        else:
            grammemes = {case, number}
        if number == "sing" and modifier.tag.gender in _GENDERS:
            grammemes.add(modifier.tag.gender)
        form = modifier.inflect(grammemes)
        if form is None:
            return None
        out[position] = prefix + form.word
    return out


def _replace_words(base: str, words, replaced: dict[int, str]) -> str:
    parts, position = [], 0
    for index, match in enumerate(words):
        if index in replaced:
            parts.append(base[position:match.start()])
            parts.append(_same_case(replaced[index], match.group()))
            position = match.end()
    parts.append(base[position:])
    return "".join(parts)


def _same_case(word: str, like: str) -> str:
    """``word`` written with the capitals of ``like`` (Единого for Единый, ЛГБТ-… kept)."""
    if "-" in like and "-" in word:
        return "-".join(_same_case(w, l) for w, l in zip(word.split("-"), like.split("-")))
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
