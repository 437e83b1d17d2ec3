"""Asylum-domain glossary: Russian terms with their renderings in English, Dutch and German.

A glossary keeps terminology consistent across a translation: повестка is always a
summons / oproep / Einberufungsbescheid, whatever case the Russian text puts it in.
Terms are matched as sequences of lemmas (pymorphy3), so inflected forms match too.

Two file formats: a TSV people edit by hand (``glossaries/ru-asylum.tsv``) and TBX
(ISO 30042, TBX-Basic v2 ``martif`` and v3 ``tbx``), which CAT tools exchange.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator, Literal, Sequence

from toolkit.errors import GlossaryError
from toolkit.io import safe_xml_parser, write_atomic
from toolkit.text import QUOTE_PAIRS, SOURCE_LANGUAGE, TARGET_LANGUAGES, has_cyrillic, is_acronym

__all__ = [
    "GlossaryEntry",
    "TermMatch",
    "Glossary",
    "read_tsv",
    "write_tsv",
    "read_tbx",
    "write_tbx",
    "read_glossary",
    "write_glossary",
    "check",
    "glossary_dir",
    "DEFAULT_GLOSSARY",
    "REQUIRED_LANGUAGES",
]

DEFAULT_GLOSSARY = "ru-asylum.tsv"
REQUIRED_LANGUAGES = TARGET_LANGUAGES

# Target languages a glossary column may name (ISO 639-1); anything else is a typo.
KNOWN_LANGUAGES = frozenset(
    "ar az be bg ca cs da de el en eo es et fa fi fr ga he hi hu hy id it ja ka kk ko ky lt lv "
    "ms nb nl pl pt ro ru sk sl sq sr sv tg th tk tl tr uk ur uz vi zh".split()
)
GERMAN_CASES = ("nom", "acc", "dat", "gen")
NUMBERS = ("sg", "pl")

TBX_V3_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DO_NOT_TRANSLATE = "doNotTranslate"


# -- the data ------------------------------------------------------------------------------


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
        self._matcher: _Matcher | None = None
        self._checksum: str | None = None

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
        return read_tsv(glossary_dir() / DEFAULT_GLOSSARY)

    @classmethod
    def load(cls, paths: Sequence[Path] | None = None, *, include_default: bool = True) -> "Glossary":
        """The shipped glossary (optionally) merged with the user's files; later files win per term."""
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
            _unique_ids(merged.values()),
            licence="; ".join(dict.fromkeys(p.licence for p in parts if p.licence)),
            sources=tuple(s for p in parts for s in p.sources),
        )

    def get(self, entry_id: str) -> GlossaryEntry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def find(self, term: str) -> GlossaryEntry | None:
        """The entry for a term as written in the glossary (case, ё and spacing ignored)."""
        key = term_key(term)
        return next((e for e in reversed(self.entries) if term_key(e.term) == key), None)

    def match(self, text: str) -> list[TermMatch]:
        """Glossary terms in ``text``: lemma sequences, longest first, non-overlapping, by start."""
        if self._matcher is None:
            self._matcher = _Matcher(self.entries)
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


_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")


def _unique_ids(entries: Iterable[GlossaryEntry]) -> list[GlossaryEntry]:
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
    return " ".join(_plain(term).casefold().split())


def _plain(text: str) -> str:
    return text.replace("ё", "е").replace("Ё", "Е").replace("\u0301", "")


# -- matching -------------------------------------------------------------------------------

# A word: letters (stress marks allowed), parts joined by hyphens (ЛГБТ-пропаганда).
_WORD = re.compile(r"(?:[^\W\d_]|\u0301)+(?:[-\u2010\u2011](?:[^\W\d_]|\u0301)+)*")
_WORD_PLAIN = re.compile(r"[^\W\d_]+(?:[-\u2010\u2011][^\W\d_]+)*")  # faster, for text without stress marks
_HYPHENS = re.compile(r"[\u2010\u2011]")
# What may stand between the words of a multi-word term: spaces and quotation marks.
_GAP = re.compile(r"[\s«»\"'„“”‚‘’]*")
_MAX_COMPOSITE = 16

_morph = None
_morph_lock = threading.Lock()
_token_cache: dict[str, frozenset[str]] = {}
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


def _parses(word: str):
    return morph_analyzer().parse(word)


def _lemmas(word: str) -> set[str]:
    """Every normal form pymorphy3 offers, plus the citation form of participles."""
    found = {word.lower()}
    for parse in _parses(word):
        found.add(_plain(parse.normal_form))
        if parse.tag.POS == "PRTF":
            citation = parse.inflect({"masc", "sing", "nomn"})
            if citation is not None:
                found.add(_plain(citation.word))
    return found


def token_keys(surface: str) -> frozenset[str]:
    """Lemma keys of a word in running text (cached): what glossary terms can match it."""
    keys = _token_cache.get(surface)
    if keys is not None:
        return keys
    word = _HYPHENS.sub("-", _plain(surface))
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


def _is_citation_word(word: str) -> bool:
    """The word is a dictionary form: a normal form, or a participle's masculine nominative."""
    low = word.lower()
    for parse in _parses(word):
        if "UNKN" in parse.tag:
            continue
        if _plain(parse.normal_form) == low:
            return True
        if parse.tag.POS == "PRTF" and {"masc", "sing", "nomn"} <= parse.tag.grammemes:
            return True
    return False


def term_word_keys(word: str) -> frozenset[str]:
    """Keys a word of a glossary term accepts: itself if it is a lemma, else its normal forms."""
    word = _HYPHENS.sub("-", _plain(word))
    if is_acronym(word) and "-" not in word:
        return frozenset({"A:" + word.upper()})
    if "-" in word and any(is_acronym(p) for p in word.split("-")):
        part_keys = [sorted(term_word_keys(part)) for part in word.split("-")]
        return frozenset("-".join(c) for c in itertools.islice(itertools.product(*part_keys), _MAX_COMPOSITE))
    if _is_citation_word(word):
        return frozenset({word.lower()})
    normal = {_plain(p.normal_form) for p in _parses(word) if "UNKN" not in p.tag}
    return frozenset(normal or {word.lower()})


def lemma_sequence(term: str) -> tuple[frozenset[str], ...]:
    """A term as the sequence of lemma-key sets its words accept."""
    return tuple(term_word_keys(m.group()) for m in _WORD.finditer(term))


class _Matcher:
    """Index of terms by the keys of their first word; built once per glossary."""

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
        words = (_WORD if "\u0301" in text else _WORD_PLAIN).finditer(text)
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


# -- checks ---------------------------------------------------------------------------------


def check(g: Glossary) -> list[str]:
    """Problems a glossary editor should fix: duplicates, missing renderings, non-lemma terms."""
    problems: list[str] = []
    seen_sequences: dict[tuple[frozenset[str], ...], GlossaryEntry] = {}
    seen_ids: dict[str, GlossaryEntry] = {}
    for entry in g.entries:
        label = f"{entry.term!r} ({entry.id})"
        if not _NCNAME.match(entry.id):
            problems.append(f"{label}: id is not a valid XML name")
        elif entry.id in seen_ids:
            problems.append(f"{label}: id also used by {seen_ids[entry.id].term!r}")
        seen_ids.setdefault(entry.id, entry)
        words = [m.group() for m in _WORD.finditer(entry.term)]
        if not words:
            problems.append(f"{label}: the term has no words")
            continue
        if not has_cyrillic(entry.term):
            problems.append(f"{label}: not a Russian term (no Cyrillic letters)")
            continue
        sequence = lemma_sequence(entry.term)
        if sequence in seen_sequences:
            problems.append(f"{label}: duplicate of {seen_sequences[sequence].term!r} (same lemmas)")
        seen_sequences.setdefault(sequence, entry)
        for lang in REQUIRED_LANGUAGES:
            if not entry.targets.get(lang) and not entry.do_not_translate:
                problems.append(f"{label}: no {lang} rendering")
        problems.extend(f"{label}: {p}" for p in _lemma_problems(entry, words))
        for key in entry.forms:
            if key.split(":")[0] not in entry.targets:
                problems.append(f"{label}: forms for {key} but no {key.split(':')[0]} rendering")
    return problems


def _lemma_problems(entry: GlossaryEntry, words: list[str]) -> list[str]:
    """Words the matcher cannot rely on: unknown, or (first word) not a dictionary form."""
    problems = []
    for position, word in enumerate(words):
        plain = _HYPHENS.sub("-", _plain(word))
        if all(is_acronym(part) for part in plain.split("-")):
            continue
        parses = [p for p in _parses(plain) if "UNKN" not in p.tag]
        if not parses:
            problems.append(f"{word!r} is unknown to the morphological dictionary")
            continue
        if entry.pos == "name" or position > 0:
            continue  # names keep their form; later words of a phrase may be governed (части, армии)
        if _is_citation_word(plain):
            continue
        if len(words) > 1 and any("nomn" in p.tag or p.tag.POS == "INFN" for p in parses):
            continue  # agreeing adjective of a phrase: нежелательная организация
        problems.append(f"{word!r} is not in lemma form (lemma: {_plain(parses[0].normal_form)!r})")
    return problems


# -- TSV ------------------------------------------------------------------------------------

_FIELD_ALIASES = {
    "term": "term",
    "ru": "term",
    "id": "id",
    "pos": "pos",
    "note": "note",
    "notes": "note",
    "do_not_translate": "do_not_translate",
    "do-not-translate": "do_not_translate",
    "dnt": "do_not_translate",
    "forms": "forms",
}
_TRUE = {"yes", "y", "true", "1", "x", "dnt"}
_FALSE = {"", "no", "n", "false", "0", "-"}
_FORM_KEY = re.compile(r"^([a-z]{2})(?::(nom|acc|dat|gen)\.(sg|pl))?$")


def read_glossary(path: Path) -> Glossary:
    """A glossary file, TSV or TBX (told apart by the extension, else by the content)."""
    path = Path(path)
    if path.suffix.lower() in (".tbx", ".xml"):
        return read_tbx(path)
    if path.suffix.lower() in (".tsv", ".txt", ".tab"):
        return read_tsv(path)
    head = _read_bytes(path)[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return read_tbx(path) if head.startswith(b"<") else read_tsv(path)


def _read_bytes(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise GlossaryError(f"{path}: glossary file not found") from None
    except OSError as error:
        raise GlossaryError(f"{path}: cannot read glossary ({error.strerror or error})") from None


def read_tsv(path) -> Glossary:
    """Read a hand-edited TSV glossary; any malformed line raises :class:`GlossaryError`."""
    path = Path(path)
    try:
        text = _read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise GlossaryError(f"{path}: not UTF-8 text (byte {error.start})") from None
    meta = {"name": path.stem, "version": "", "licence": ""}
    columns: list[str] | None = None
    header_names: list[str] = []
    entries: list[GlossaryEntry] = []
    ids: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        if line.lstrip().startswith("#"):
            if columns is None:
                found = re.match(r"#\s*(name|version|licen[cs]e)\s*:\s*(.*?)\s*$", line, re.I)
                if found:
                    meta["licence" if found.group(1).lower().startswith("licen") else found.group(1).lower()] = found.group(2)
            continue
        cells = [c.strip() for c in line.split("\t")]
        where = f"{path}:{lineno}"
        if columns is None:
            columns, header_names = _tsv_columns(cells, where), cells
            continue
        if len(cells) != len(columns):
            raise GlossaryError(
                f"{where}: expected {len(columns)} tab-separated columns "
                f"({', '.join(header_names)}), found {len(cells)}"
            )
        row = dict(zip(columns, cells))
        entry = _tsv_entry(row, where)
        if row.get("id"):
            if entry.id in ids:
                raise GlossaryError(f"{where}: id {entry.id!r} already used on line {ids[entry.id]}")
            ids[entry.id] = lineno
        entries.append(entry)
    if columns is None:
        raise GlossaryError(f"{path}: no header line (term, pos, en, nl, de, …) found")
    entries = _unique_ids(entries)  # ids made from terms may collide (СК and ск)
    return Glossary(meta["name"] or path.stem, meta["version"], entries, licence=meta["licence"], sources=(str(path),))


def _tsv_columns(cells: list[str], where: str) -> list[str]:
    columns = []
    for cell in cells:
        name = cell.strip().lower()
        field_name = _FIELD_ALIASES.get(name)
        if field_name is None:
            if name in KNOWN_LANGUAGES and name != SOURCE_LANGUAGE:
                field_name = "lang:" + name
            else:
                raise GlossaryError(
                    f"{where}: unknown column {cell!r}; expected term, pos, note, do_not_translate, "
                    f"forms, id or a target language code (en, nl, de, …)"
                )
        if field_name in columns:
            raise GlossaryError(f"{where}: column {cell!r} appears twice")
        columns.append(field_name)
    if "term" not in columns:
        raise GlossaryError(f"{where}: the header line has no 'term' column")
    return columns


def _tsv_entry(row: dict[str, str], where: str) -> GlossaryEntry:
    term = " ".join(row["term"].split())
    if not term:
        raise GlossaryError(f"{where}: empty term")
    if not _WORD.search(term):
        raise GlossaryError(f"{where}: term {term!r} has no words")
    flag = row.get("do_not_translate", "").lower()
    if flag not in _TRUE | _FALSE:
        raise GlossaryError(f"{where}: do_not_translate must be yes or no, not {row['do_not_translate']!r}")
    targets = {key[5:]: value for key, value in row.items() if key.startswith("lang:") and value}
    ident = row.get("id") or make_id(term)
    if not _NCNAME.match(ident):
        raise GlossaryError(f"{where}: id {ident!r} is not a valid XML name")
    return GlossaryEntry(
        id=ident,
        term=term,
        targets=targets,
        pos=row.get("pos", ""),
        note=row.get("note", ""),
        do_not_translate=flag in _TRUE,
        forms=parse_forms(row.get("forms", ""), where),
    )


def parse_forms(cell: str, where: str = "") -> dict[str, tuple[str, ...]]:
    """``de:gen.sg=Bescheids|Bescheides; de:nom.pl=Bescheide`` → ``{"de:gen.sg": (…), …}``."""
    forms: dict[str, tuple[str, ...]] = {}
    for chunk in filter(None, (c.strip() for c in cell.split(";"))):
        key, sep, values = chunk.partition("=")
        key = key.strip().lower()
        found = _FORM_KEY.match(key)
        if not sep or not found or found.group(1) not in KNOWN_LANGUAGES:
            raise GlossaryError(
                f"{where}: forms must read LANG[:CASE.NUMBER]=FORM|FORM (e.g. de:gen.sg=Bescheids), not {chunk!r}"
            )
        words = tuple(v.strip() for v in values.split("|") if v.strip())
        if not words:
            raise GlossaryError(f"{where}: no forms given for {key!r}")
        forms[key] = forms.get(key, ()) + words
    return forms


def format_forms(forms: dict[str, tuple[str, ...]]) -> str:
    return "; ".join(f"{key}={'|'.join(values)}" for key, values in forms.items())


def _cell(text: str) -> str:
    return " ".join(text.split())


def write_tsv(g: Glossary, path) -> None:
    """Write ``g`` as a TSV glossary (atomically: temporary file, then rename)."""
    languages = list(g.languages) or list(REQUIRED_LANGUAGES)
    columns = ["id", "term", "pos", *languages, "do_not_translate", "forms", "note"]
    lines = [
        f"# name: {g.name}",
        f"# version: {g.version}",
    ]
    if g.licence:
        lines.append(f"# licence: {g.licence}")
    lines += [
        "# columns: id (xml:id suffix, stable), term (Russian, lemma form), pos, one column per target",
        "#   language, do_not_translate (yes/no), forms (LANG[:CASE.NUMBER]=FORM|FORM; …), note (source)",
        "\t".join(columns),
    ]
    for e in g.entries:
        row = [e.id, e.term, e.pos, *(e.targets.get(lang, "") for lang in languages)]
        row += ["yes" if e.do_not_translate else "no", format_forms(e.forms), e.note]
        lines.append("\t".join(_cell(c) for c in row))
    write_atomic(("\n".join(lines) + "\n").encode("utf-8"), path)


# -- TBX ------------------------------------------------------------------------------------

# Our parts of speech ↔ TBX-Basic's partOfSpeech picklist (plus termType for phrases, acronyms).
_POS_TO_TBX = {"noun": "noun", "verb": "verb", "adj": "adjective", "adv": "adverb", "name": "properNoun"}
_POS_FROM_TBX = {v.lower(): k for k, v in _POS_TO_TBX.items()} | {"adjective": "adj", "adverb": "adv", "propernoun": "name"}
_TERMTYPE_TO_POS = {"phrase": "phrase", "abbreviation": "abbr", "acronym": "abbr", "shortform": "abbr"}


def _local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el, *names: str):
    return [c for c in el if _local(c) in names]


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _lang(el) -> str:
    value = el.get(XML_LANG) or el.get("lang") or ""
    return value.split("-")[0].split("_")[0].lower()


def read_tbx(path) -> Glossary:
    """Read TBX-Basic v2 (``martif``) or v3 (``tbx``); parsed without entities, DTDs or network."""
    from lxml import etree

    path = Path(path)
    data = _read_bytes(path)
    parser = safe_xml_parser(dtd_validation=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = error.lineno or "?"
        raise GlossaryError(f"{path}:{line}: not well-formed XML ({error.msg})") from None
    for entity in root.iter(etree.Entity):
        raise GlossaryError(f"{path}:{entity.sourceline}: entity reference {entity.text} is not allowed in a glossary")
    kind = _local(root)
    if kind not in ("martif", "tbx"):
        raise GlossaryError(f"{path}:{root.sourceline}: not a TBX file (root element <{kind}>, expected <martif> or <tbx>)")
    name, version, licence = path.stem, "", ""
    for el in root.iter():
        local = _local(el)
        if local == "title" and name == path.stem and _text(el):
            name = _text(el)
        elif local == "p" and el.get("type") in ("version", "licence", "license"):
            if el.get("type") == "version":
                version = _text(el)
            else:
                licence = _text(el)
    entries = []
    for concept in root.iter():
        if _local(concept) in ("termEntry", "conceptEntry"):
            entries.append(_tbx_entry(concept, path))
    if not entries:
        raise GlossaryError(f"{path}: TBX file has no termEntry/conceptEntry elements")
    return Glossary(name, version, _unique_ids(entries), licence=licence, sources=(str(path),))


def _tbx_terms(lang_set) -> list[dict]:
    """Term groups of a langSet/langSec: tig, ntig/termGrp, termGrp (v2) or termSec (v3)."""
    groups = []
    for group in lang_set:
        local = _local(group)
        if local == "ntig":
            group = next(iter(_children(group, "termGrp")), group)
        elif local not in ("tig", "termSec", "termGrp"):
            continue
        terms = [c for c in group.iter() if _local(c) == "term"]
        if not terms:
            continue
        notes: dict[str, list[str]] = {}
        for el in group.iter():
            if _local(el) in ("termNote", "descrip") and el.get("type"):
                notes.setdefault(el.get("type").lower(), []).append(_text(el))
        free_notes = [_text(el) for el in group.iter() if _local(el) == "note" and _text(el)]
        groups.append({"term": _text(terms[0]), "notes": notes, "free": free_notes, "line": group.sourceline})
    return groups


def _is_dnt(notes: dict[str, list[str]]) -> bool:
    values = notes.get("administrativestatus", []) + notes.get("usagenote", [])
    return any(re.sub(r"[\s_\-]", "", v).lower().startswith("donottranslate") for v in values)


def _tbx_entry(concept, path: Path) -> GlossaryEntry:
    by_lang: dict[str, list[dict]] = {}
    for lang_set in _children(concept, "langSet", "langSec"):
        by_lang.setdefault(_lang(lang_set), []).extend(_tbx_terms(lang_set))
    russian = [g for g in by_lang.get(SOURCE_LANGUAGE, []) if g["term"]]
    if not russian:
        name = f"entry {concept.get('id')!r}" if concept.get("id") else "entry"
        raise GlossaryError(f"{path}:{concept.sourceline}: {name} has no Russian (xml:lang=\"ru\") term")
    ru = russian[0]
    notes = [_text(el) for el in _children(concept, "note") if _text(el)]
    for el in _children(concept, "descrip", "descripGrp"):
        if _local(el) == "descripGrp":
            el = next(iter(_children(el, "descrip")), None)
            if el is None:
                continue
        if _text(el) and (el.get("type") or "").lower() in ("definition", "note", "context", "comment", "source"):
            kind = (el.get("type") or "").lower()
            notes.append(_text(el) if kind in ("definition", "note") else f"{kind}: {_text(el)}")
    notes += ru["free"]
    pos_value = (ru["notes"].get("partofspeech") or [""])[0]
    term_type = (ru["notes"].get("termtype") or [""])[0].lower()
    pos = _TERMTYPE_TO_POS.get(term_type) or _POS_FROM_TBX.get(pos_value.lower(), pos_value)
    if pos == "other":
        pos = "phrase" if len(ru["term"].split()) > 1 else ""
    targets: dict[str, str] = {}
    forms: dict[str, tuple[str, ...]] = {}
    for lang, groups in by_lang.items():
        if lang == SOURCE_LANGUAGE or not lang:
            continue
        groups = [g for g in groups if g["term"]]
        if not groups:
            continue
        preferred = next(
            (g for g in groups if "preferredterm-admn-sts" in [v.lower() for v in g["notes"].get("administrativestatus", [])]),
            groups[0],
        )
        targets[lang] = preferred["term"]
        for g in groups:
            if g is preferred:
                continue
            key = lang
            grammar = (g["notes"].get("x-form") or g["notes"].get("grammaticalform") or [""])[0]
            if _FORM_KEY.match(f"{lang}:{grammar}"):
                key = f"{lang}:{grammar}"
            forms[key] = forms.get(key, ()) + (g["term"],)
    ident = concept.get("id") or ""
    ident = ident if _NCNAME.match(ident) else make_id(ru["term"])
    return GlossaryEntry(
        id=ident,
        term=" ".join(ru["term"].split()),
        targets=targets,
        pos=pos,
        note=" ; ".join(dict.fromkeys(notes)),
        do_not_translate=_is_dnt(ru["notes"]),
        forms=forms,
    )


def write_tbx(g: Glossary, path, version: Literal["v2", "v3"] = "v3") -> None:
    """Write ``g`` as TBX-Basic: v2 (``martif``, TBX 2008) or v3 (``tbx``, ISO 30042:2019 DCA)."""
    from lxml import etree

    if version not in ("v2", "v3"):
        raise GlossaryError(f"unknown TBX version {version!r}; use v2 or v3")
    v3 = version == "v3"
    ns = f"{{{TBX_V3_NS}}}" if v3 else ""

    def sub(parent, tag, text=None, **attrs):
        el = etree.SubElement(parent, ns + tag)
        for key, value in attrs.items():
            el.set(XML_LANG if key == "lang" else key, value)
        if text is not None:
            el.text = text
        return el

    if v3:
        root = etree.Element(ns + "tbx", nsmap={None: TBX_V3_NS})
        root.set("type", "TBX-Basic")
        root.set("style", "dca")
    else:
        root = etree.Element("martif")
        root.set("type", "TBX-Basic")
    root.set(XML_LANG, SOURCE_LANGUAGE)
    header = sub(root, "tbxHeader" if v3 else "martifHeader")
    file_desc = sub(header, "fileDesc")
    sub(sub(file_desc, "titleStmt"), "title", g.name)
    publication = sub(file_desc, "publicationStmt")
    sub(publication, "p", g.version, type="version")
    if g.licence:
        sub(publication, "p", g.licence, type="licence")
    sub(sub(file_desc, "sourceDesc"), "p", "coitool glossary; Russian terms with their renderings in asylum sources")
    if not v3:
        sub(sub(header, "encodingDesc"), "p", "TBXBasicXCSV02.xcs", type="XCSURI")
    body = sub(sub(root, "text"), "body")
    for e in g.entries:
        concept = sub(body, "conceptEntry" if v3 else "termEntry", id=e.id)
        if e.note:
            sub(concept, "note", e.note)
        ru_lang = sub(concept, "langSec" if v3 else "langSet", lang=SOURCE_LANGUAGE)
        group = sub(ru_lang, "termSec" if v3 else "tig")
        sub(group, "term", e.term)
        _write_pos(sub, group, e.pos)
        if e.do_not_translate:
            sub(group, "termNote", DO_NOT_TRANSLATE, type="administrativeStatus")
        for lang in sorted(e.targets, key=lambda l: (REQUIRED_LANGUAGES + (l,)).index(l)):
            lang_set = sub(concept, "langSec" if v3 else "langSet", lang=lang)
            group = sub(lang_set, "termSec" if v3 else "tig")
            sub(group, "term", e.targets[lang])
            _write_pos(sub, group, e.pos)
            sub(group, "termNote", "preferredTerm-admn-sts", type="administrativeStatus")
            for key, values in e.forms.items():
                if key.split(":")[0] != lang:
                    continue
                for value in values:
                    group = sub(lang_set, "termSec" if v3 else "tig")
                    sub(group, "term", value)
                    if ":" in key:
                        sub(group, "termNote", key.split(":")[1], type="x-form")
                    sub(group, "termNote", "admittedTerm-admn-sts", type="administrativeStatus")
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    write_atomic(data, path)


def _write_pos(sub, group, pos: str) -> None:
    if not pos:
        return
    if pos == "phrase":
        sub(group, "termNote", "other", type="partOfSpeech")
        sub(group, "termNote", "phrase", type="termType")
    elif pos == "abbr":
        sub(group, "termNote", "noun", type="partOfSpeech")
        sub(group, "termNote", "abbreviation", type="termType")
    else:
        sub(group, "termNote", _POS_TO_TBX.get(pos, pos), type="partOfSpeech")


def write_glossary(g: Glossary, path, tbx_version: Literal["v2", "v3"] = "v3") -> None:
    """Write TSV or TBX, chosen by the file's extension."""
    path = Path(path)
    if path.suffix.lower() in (".tbx", ".xml"):
        write_tbx(g, path, tbx_version)
    else:
        write_tsv(g, path)
