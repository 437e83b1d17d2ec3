"""TBX (ISO 30042), the termbase format CAT tools exchange: TBX-Basic v2 ``martif`` and v3 ``tbx``.

Files are parsed without entities, DTDs or network; lxml is imported only here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from toolkit.errors import GlossaryError
from toolkit.glossary.entries import FORM_KEY, NCNAME, REQUIRED_LANGUAGES, Glossary, GlossaryEntry, make_id, unique_ids
from toolkit.glossary.files import read_bytes
from toolkit.io import safe_xml_parser, write_atomic
from toolkit.text import SOURCE_LANGUAGE

TBX_V3_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DO_NOT_TRANSLATE = "doNotTranslate"

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
    data = read_bytes(path)
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
    return Glossary(name, version, unique_ids(entries), licence=licence, sources=(str(path),))


@dataclass(frozen=True)
class _TermGroup:
    """One term of a langSet/langSec with its notes (``termNote``/``descrip`` by type) and free notes."""

    term: str
    notes: dict[str, list[str]]
    free: list[str]

    def note(self, kind: str) -> str:
        """The first note of a kind (lower-case type), or ""."""
        return (self.notes.get(kind) or [""])[0]


def _tbx_terms(lang_set) -> list[_TermGroup]:
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
        groups.append(_TermGroup(_text(terms[0]), notes, free_notes))
    return groups


def _is_dnt(notes: dict[str, list[str]]) -> bool:
    values = notes.get("administrativestatus", []) + notes.get("usagenote", [])
    return any(re.sub(r"[\s_\-]", "", v).lower().startswith("donottranslate") for v in values)


def _tbx_entry(concept, path: Path) -> GlossaryEntry:
    by_lang: dict[str, list[_TermGroup]] = {}
    for lang_set in _children(concept, "langSet", "langSec"):
        by_lang.setdefault(_lang(lang_set), []).extend(_tbx_terms(lang_set))
    russian = [g for g in by_lang.get(SOURCE_LANGUAGE, []) if g.term]
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
    notes += ru.free
    pos_value = ru.note("partofspeech")
    term_type = ru.note("termtype").lower()
    pos = _TERMTYPE_TO_POS.get(term_type) or _POS_FROM_TBX.get(pos_value.lower(), pos_value)
    if pos == "other":
        pos = "phrase" if len(ru.term.split()) > 1 else ""
    targets: dict[str, str] = {}
    forms: dict[str, tuple[str, ...]] = {}
    for lang, groups in by_lang.items():
        if lang == SOURCE_LANGUAGE or not lang:
            continue
        groups = [g for g in groups if g.term]
        if not groups:
            continue
        preferred = next(
            (g for g in groups if "preferredterm-admn-sts" in [v.lower() for v in g.notes.get("administrativestatus", [])]),
            groups[0],
        )
        targets[lang] = preferred.term
        for g in groups:
            if g is preferred:
                continue
            key = lang
            grammar = (g.notes.get("x-form") or g.notes.get("grammaticalform") or [""])[0]
            if FORM_KEY.match(f"{lang}:{grammar}"):
                key = f"{lang}:{grammar}"
            forms[key] = forms.get(key, ()) + (g.term,)
    ident = concept.get("id") or ""
    ident = ident if NCNAME.match(ident) else make_id(ru.term)
    return GlossaryEntry(
        id=ident,
        term=" ".join(ru.term.split()),
        targets=targets,
        pos=pos,
        note=" ; ".join(dict.fromkeys(notes)),
        do_not_translate=_is_dnt(ru.notes),
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

