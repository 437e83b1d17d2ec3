"""The translatable fragments of a TEI file as exchange formats see them: ids, text, place, translations.

A fragment is what ``coitool translate`` translates (:func:`toolkit.tei.translation.select_units`):
a Russian title, or with ``all-ru`` any Russian element not inside another. Its id is
its ``xml:id``; a fragment without one gets ``ru<N>``, N its place among all of the
file's Russian titles and units in document order (the same for ``titles`` and
``all-ru``, so the ids of both exports agree). The same file gives the same ids, and
:func:`assign_ids` writes them into the TEI when translations come back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, NamedTuple

from toolkit.errors import InputError

from toolkit.tei.translation import (
    RESP_ID,
    find_glossary_only,
    find_translation,
    localname,
    select_units,
    translation_lang,
    translations_of,
    unit_text,
)
from toolkit.tei.write import T, XML_ID

ID_PREFIX = "ru"
GLOSS_PREFIX = "gloss-"
WHAT_CHOICES = ("titles", "all-ru")
# What a fragment is, in a translator's words (the TEI element otherwise).
KIND_NAMES = {
    "title": "title of a cited source", "p": "paragraph", "head": "heading", "item": "list item",
    "note": "footnote", "seg": "passage", "q": "quotation", "quote": "quotation", "cell": "table cell",
    "label": "label", "l": "verse line", "s": "sentence", "phr": "phrase", "foreign": "foreign words",
}


class Piece(NamedTuple):
    """A run of text, inside a glossary term (``gloss`` = its ``gloss-…`` id) or not (None)."""

    text: str
    gloss: str | None = None


class Term(NamedTuple):
    """A glossary term in a text: ``text[start:end]``, the term ``gloss-…`` id stands for."""

    start: int
    end: int
    entry_id: str  # the part after "gloss-", as toolkit.tei.translation.fill_translation wants it


def compose(pieces: Iterable[Piece]) -> tuple[str, list[Term]]:
    """Join pieces into one text with single spaces (none at the ends) and the terms' places in it."""
    text = ""
    terms: list[Term] = []
    for chunk, gloss in pieces:
        chunk = re.sub(r"\s+", " ", chunk)
        if chunk.startswith(" ") and (not text or text.endswith(" ")):
            chunk = chunk[1:]
        if not chunk:
            continue
        start = len(text)
        text += chunk
        if gloss:
            left = len(chunk) - len(chunk.lstrip())
            right = len(chunk.rstrip())
            if right > left:
                terms.append(Term(start + left, start + right, gloss[len(GLOSS_PREFIX):] if gloss.startswith(GLOSS_PREFIX) else gloss))
    stripped = text.rstrip()
    terms = [t for t in terms if t.start < len(stripped)]
    terms = [Term(t.start, min(t.end, len(stripped)), t.entry_id) for t in terms]
    return stripped, terms


def read_tei(path: Path):
    """A TEI file to read fragments from: well-formed, a TEI document, without entities."""
    from toolkit import tei
    from toolkit.tei.translation import refuse_entities

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    tree = tei.parse_tei(path)
    if tree.getroot().tag != T + "TEI":
        raise InputError(f"{path}: not a TEI document (root element {localname(tree.getroot())})")
    refuse_entities(tree, path)
    return tree


def refuse_overwrite(out_path, inputs, what: str = "an input") -> None:
    """Refuse an output that is one of the inputs: inputs are never modified."""
    out = Path(out_path)
    for path in inputs:
        if path is not None and out.exists() and Path(path).exists() and out.resolve() == Path(path).resolve():
            raise InputError(f"{out}: the output would overwrite {what} ({Path(path).name}); choose another -o")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def same_source(a: str, b: str) -> bool:
    """The same source text, whatever whitespace a CAT tool's segmentation added or dropped."""
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)


@dataclass
class TeiTranslation:
    """A translation written beside a fragment, read back as text with its glossary terms."""

    node: object
    text: str
    terms: list[Term]
    resp: str  # the xml:id its @resp points to
    cert: str | None

    @property
    def by_machine(self) -> bool:
        return self.resp == RESP_ID


@dataclass
class Fragment:
    """One translatable fragment of a TEI file.

    ``translations`` are translations proper, by language; ``glossary_only`` is coitool's
    output without a model (Russian text, only the glossary's terms rendered), by the
    language the terms were rendered into: no translation, but the terms a translator uses.
    """

    id: str
    node: object
    text: str
    location: str
    translations: dict[str, TeiTranslation] = field(default_factory=dict)
    glossary_only: dict[str, TeiTranslation] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return localname(self.node)


def translation_pieces(node) -> list[Piece]:
    """The text of a translation element, its ``<term ref="#gloss-…">`` marked."""
    pieces: list[Piece] = []

    def walk(element, gloss: str | None) -> None:
        if element.text:
            pieces.append(Piece(element.text, gloss))
        for child in element:
            if isinstance(child.tag, str):
                if localname(child) == "term" and (child.get("ref") or "").startswith("#" + GLOSS_PREFIX):
                    walk(child, child.get("ref")[1:])
                elif localname(child) in ("lb", "cb"):
                    pieces.append(Piece(" ", gloss))
                elif localname(child) not in ("note", "fw", "pb", "figure"):
                    walk(child, gloss)
            if child.tail:
                pieces.append(Piece(child.tail, gloss))

    walk(node, None)
    return pieces


def read_translation(node) -> TeiTranslation:
    text, terms = compose(translation_pieces(node))
    resp = (node.get("resp") or "").split()
    return TeiTranslation(node, text, terms, resp[0].lstrip("#") if resp else "", node.get("cert"))


def candidates(root) -> list:
    """Every Russian title and every Russian unit of the text, in document order, each once."""
    chosen = set(select_units(root, "titles")) | set(select_units(root, "all-ru"))
    text = root.find(T + "text")
    if text is None:
        return []
    return [node for node in text.iter() if node in chosen]


def fragment_ids(root) -> dict:
    """The id of every candidate fragment: its ``xml:id``, else ``ru<N>`` (deterministic, never taken)."""
    taken = {node.get(XML_ID) for node in root.iter() if isinstance(node.tag, str) and node.get(XML_ID)}
    ids = {}
    for number, node in enumerate(candidates(root), start=1):
        own = node.get(XML_ID)
        if own:
            ids[node] = own
            continue
        value, suffix = f"{ID_PREFIX}{number}", 2
        while value in taken:
            value, suffix = f"{ID_PREFIX}{number}-{suffix}", suffix + 1
        taken.add(value)
        ids[node] = value
    return ids


def assign_ids(root) -> int:
    """Write the ids of :func:`fragment_ids` into the TEI where a fragment has none; how many were added."""
    added = 0
    for node, value in fragment_ids(root).items():
        if node.get(XML_ID) is None:
            node.set(XML_ID, value)
            added += 1
    return added


def locations(root, nodes: Iterable) -> dict:
    """Where each node stands, for a translator: what it is, its footnote, page of the PDF, section."""
    wanted = set(nodes)
    page = None
    pages = {}
    text = root.find(T + "text")
    if text is None:
        return {}
    for node in text.iter():
        if not isinstance(node.tag, str):
            continue
        if localname(node) == "pb":
            page = node.get("n") or page
        elif node in wanted:
            pages[node] = page
    where = {}
    for node in wanted:
        kind = KIND_NAMES.get(localname(node), localname(node))
        parts = []
        if localname(node) == "note" and node.get("place") == "foot":
            kind = f"footnote {node.get('n') or '?'}"
        else:
            note = next((a for a in node.iterancestors(T + "note") if a.get("place") == "foot"), None)
            if note is not None:
                parts.append(f"in footnote {note.get('n') or '?'}")
        if pages.get(node):
            parts.append(f"p. {pages[node]}")
        division = next((a for a in node.iterancestors(T + "div") if a.find(T + "head") is not None), None)
        if division is not None:
            head = unit_text(division.find(T + "head"))
            parts.append(" ".join(x for x in (division.get("n"), head[:60]) if x))
        where[node] = " · ".join([kind] + parts)
    return where


def fragments(root, what: str, langs: Iterable[str] | None = None) -> list[Fragment]:
    """The fragments ``coitool translate --what WHAT`` would translate, with ids, places and translations.

    ``what="any"`` gives every candidate (titles inside Russian units too); ``langs`` the
    languages whose translations (and glossary-only output) to read (default: every one there is).
    """
    ids = fragment_ids(root)
    chosen = candidates(root) if what == "any" else select_units(root, what)
    units = [unit for unit in chosen if unit_text(unit)]
    places = locations(root, units)
    found = []
    for unit in units:
        fragment = Fragment(ids[unit], unit, unit_text(unit), places.get(unit, localname(unit)))
        there = dict.fromkeys(translation_lang(n) for n in translations_of(unit))
        for lang in langs if langs is not None else [lang for lang in there if lang]:
            node = find_translation(unit, lang)
            if node is not None:
                fragment.translations[lang] = read_translation(node)
            node = find_glossary_only(unit, lang)
            if node is not None:
                fragment.glossary_only[lang] = read_translation(node)
        found.append(fragment)
    return found


def document_checksum(root) -> str | None:
    """The sha256 of the source PDF the TEI names (sourceDesc), to tell one report from another."""
    for idno in root.iter(T + "idno"):
        if idno.get("type") == "sha256" and (idno.text or "").strip():
            return idno.text.strip()
    return None


def glossary_categories(root) -> dict[str, str]:
    """The glossary taxonomy's categories: ``gloss-…`` id -> their description as text."""
    found = {}
    for taxonomy in root.iter(T + "taxonomy"):
        for category in taxonomy.iter(T + "category"):
            if category.get(XML_ID):
                found[category.get(XML_ID)] = normalise("".join(category.itertext()))
    return found


def person_name(root, resp: str) -> str | None:
    """The person or name a ``respStmt`` with this xml:id names."""
    for stmt in root.iter(T + "respStmt"):
        if stmt.get(XML_ID) == resp:
            person = stmt.find(T + "persName")
            if person is not None:
                return normalise("".join(person.itertext()))
            name = stmt.find(T + "name")
            return normalise("".join(name.itertext())) if name is not None else None
    return None


def change_dates(root) -> dict[str, str]:
    """The latest ``revisionDesc/change/@when`` per ``@who`` (without the '#')."""
    latest: dict[str, str] = {}
    for change in root.iter(T + "change"):
        who, when = (change.get("who") or "").lstrip("#"), change.get("when")
        if who and when and when > latest.get(who, ""):
            latest[who] = when
    return latest
