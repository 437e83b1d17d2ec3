"""Translations written into an existing TEI file, beside their originals.

Translations sit beside their original (docs/tei.md, "Translations"):
  <title level="a" xml:lang="ru">…</title><title type="translated" xml:lang="en"
    resp="#coitool-mt" cert="medium">…<term ref="#gloss-povestka">summons</term>…</title>
  <seg xml:lang="ru">…</seg><note type="translation" xml:lang="en" resp="#coitool-mt">…</note>
Without a model only the glossary's terms are rendered; the text stays Russian, and the
element says so: type="glossary-only", subtype the target language, xml:lang the
source's, each rendered term xml:lang the target's:
  <title type="glossary-only" subtype="nl" xml:lang="ru" resp="#coitool-mt" cert="low">Ему
    пришла <term ref="#gloss-povestka" xml:lang="nl">oproep</term> …</title>
The header gets titleStmt/respStmt[@xml:id="coitool-mt"] (engine, model packages,
glossary), encodingDesc/classDecl/taxonomy[@xml:id="coitool-glossary"] with one
category[@xml:id="gloss-…"] per glossary term used, and one revisionDesc/change per run.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from lxml import etree

from toolkit.errors import InputError
from toolkit.tei.write import T, XML_ID, XML_LANG, options_note, xml_text

if TYPE_CHECKING:
    from toolkit.translate.results import Translation


@dataclass(frozen=True)
class GlossaryRecord:
    """The glossary a run used, as the header names it."""

    name: str
    version: str
    checksum: str

    @property
    def label(self) -> str:
        return " ".join(x for x in (self.name, self.version) if x) + f" ({self.checksum})"


@dataclass(frozen=True)
class TermRecord:
    """A glossary term used in the text: its Russian form and its renderings, (lang, target)."""

    entry_id: str
    term: str
    renderings: tuple[tuple[str, str], ...]


SOURCE_LANGUAGE = "ru"
# How sure a reader may be of a translation, by how it was made (TEI @cert).
TRANSLATED_CERT = {"model": "medium", "glossary-only": "low"}
# @type of a fragment in which only the glossary's terms were rendered, no model translated.
GLOSSARY_ONLY_TYPE = "glossary-only"
RESP_ID = "coitool-mt"
TAXONOMY_ID = "coitool-glossary"
# Elements translated as a whole with --what all-ru (their nested notes are units of their own).
UNIT_TAGS = {"p", "head", "item", "note", "title", "seg", "foreign", "q", "quote", "cell", "label", "l", "s", "phr"}
# Elements a translation note goes inside (as last child) rather than after.
INSIDE_TAGS = {"cell"}
# Content that is not part of a unit's own text.
SKIP_TAGS = {"note", "fw", "figure", "pb", "cb", "milestone", "anchor"}


def localname(node) -> str:
    tag = node.tag if isinstance(node.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def refuse_entities(tree, path) -> None:
    """Refuse a file that uses entities: they are never expanded, so their text would be lost.

    The parser leaves ``&name;`` unexpanded (never reading a file or URL an entity
    points to); translating around it would write the reference, and the declaration
    naming what it points to, into the output.
    """
    for node in tree.getroot().iter(etree.Entity):
        raise InputError(
            f"{path}:{node.sourceline}: entity reference {node.text} is not allowed "
            "(coitool does not expand entities; replace it by its text)"
        )


def effective_lang(node) -> str | None:
    while node is not None:
        lang = node.get(XML_LANG)
        if lang:
            return lang.split("-")[0].lower()
        node = node.getparent()
    return None


def is_translation(node) -> bool:
    """A translation coitool wrote: by a model, or glossary terms only (:func:`is_glossary_only`)."""
    return node.get("resp") == f"#{RESP_ID}" and is_translation_element(node)


def is_translation_element(node) -> bool:
    """A translation beside its original, whoever made it: coitool (by a model, or glossary
    terms only) or a translator who post-edited it."""
    name = localname(node)
    return (
        (name == "title" and node.get("type") == "translated") or (name == "note" and node.get("type") == "translation")
        or (name in ("title", "note") and node.get("type") == GLOSSARY_ONLY_TYPE)
    )


def is_glossary_only(node) -> bool:
    """A fragment coitool wrote with only the glossary's terms rendered: no model translated it."""
    return (
        node.get("resp") == f"#{RESP_ID}" and node.get("type") == GLOSSARY_ONLY_TYPE
        and localname(node) in ("title", "note")
    )


def translation_lang(node) -> str | None:
    """The language a translation is into: ``@subtype`` of a glossary-only one, else ``@xml:lang``."""
    if is_glossary_only(node):
        return node.get("subtype") or None
    return node.get(XML_LANG) if is_translation_element(node) else None


def remove_translations(root, lang: str) -> int:
    """Drop coitool's earlier translations into ``lang`` (keeping the text around them)."""
    removed = 0
    for node in list(root.iter()):
        if not isinstance(node.tag, str) or not is_translation(node) or translation_lang(node) != lang:
            continue
        _remove_keep_tail(node)
        removed += 1
    return removed


def _remove_keep_tail(node) -> None:
    parent = node.getparent()
    tail = node.tail or ""
    previous = node.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


def select_units(root, what: str) -> list:
    """The elements to translate: Russian titles, or (``all-ru``) every Russian unit not inside another."""
    text = root.find(T + "text")
    if text is None:
        return []
    tags = {"title"} if what == "titles" else UNIT_TAGS
    candidates = [
        node for node in text.iter()
        if isinstance(node.tag, str) and node.tag.startswith(T)
        and localname(node) in tags and not is_translation_element(node)
        and effective_lang(node) == SOURCE_LANGUAGE
    ]
    chosen = set(candidates)
    units = []
    for node in candidates:
        dominated = False
        ancestor = node.getparent()
        while ancestor is not None and ancestor is not text:
            if ancestor in chosen:
                dominated = True
                break
            if localname(ancestor) == "note":
                break
            ancestor = ancestor.getparent()
        if not dominated:
            units.append(node)
    return units


def unit_text(node) -> str:
    parts: list[str] = []

    def walk(element) -> None:
        if element.text:
            parts.append(element.text)
        for child in element:
            if isinstance(child.tag, str):
                name = localname(child)
                if name in ("lb", "cb"):
                    parts.append(" ")
                elif name not in SKIP_TAGS and not is_translation_element(child):
                    walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(node)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def insert_translation(unit, result: "Translation", lang: str) -> None:
    """Put ``result`` beside ``unit``, its glossary terms marked ``<term ref="#gloss-…">``.

    A glossary-only result is written as what it is: ``type="glossary-only"``,
    ``subtype`` the target language, ``xml:lang`` the source's (the text is still
    Russian), each rendered term ``xml:lang`` the target language.
    """
    is_title = localname(unit) == "title"
    glossary_only = result.mode == GLOSSARY_ONLY_TYPE
    translation = etree.Element(T + ("title" if is_title else "note"))
    if glossary_only:
        translation.set("type", GLOSSARY_ONLY_TYPE)
        translation.set("subtype", lang)
        translation.set(XML_LANG, effective_lang(unit) or SOURCE_LANGUAGE)
    else:
        translation.set("type", "translated" if is_title else "translation")
        translation.set(XML_LANG, lang)
    translation.set("resp", f"#{RESP_ID}")
    translation.set("cert", TRANSLATED_CERT[result.mode])
    fill_translation(translation, result.text, result.terms, term_lang=lang if glossary_only else None)

    if not is_title and localname(unit) in INSIDE_TAGS:
        unit.append(translation)
        return
    # After the original and after translations into other languages already there.
    anchor = unit
    following = unit.getnext()
    while following is not None and isinstance(following.tag, str) and is_translation_element(following) and not (anchor.tail or "").strip():
        anchor, following = following, following.getnext()
    translation.tail = anchor.tail
    anchor.tail = None
    anchor.addnext(translation)
    # lxml's addnext moves the anchor's tail onto the new node only when asked; make sure.
    if translation.tail is None and anchor.tail:
        translation.tail, anchor.tail = anchor.tail, None


def fill_translation(translation, text: str, terms: Sequence, term_lang: str | None = None) -> None:
    """Put ``text`` into ``translation``, each of ``terms`` (start, end, entry_id) as ``<term ref="#gloss-…">``
    (with ``xml:lang`` ``term_lang`` where the terms are in another language than the text around them)."""
    position, last = 0, None
    for term in sorted(terms, key=lambda t: t.start):
        if term.start < position:
            continue  # overlapping marks: the first one wins
        chunk = xml_text(text[position:term.start])
        if last is None:
            translation.text = (translation.text or "") + chunk
        else:
            last.tail = (last.tail or "") + chunk
        last = etree.SubElement(translation, T + "term", ref=f"#{gloss_xml_id(term.entry_id)}")
        if term_lang:
            last.set(XML_LANG, term_lang)
        last.text = xml_text(text[term.start:term.end])
        position = term.end
    rest = xml_text(text[position:])
    if last is None:
        translation.text = (translation.text or "") + rest
    else:
        last.tail = (last.tail or "") + rest


def gloss_xml_id(entry_id: str) -> str:
    """``gloss-<id>``, made a valid NCName."""
    cleaned = re.sub(r"[^\w.-]", "-", str(entry_id)).strip("-") or "term"
    return f"gloss-{cleaned}"


def ensure_child(parent, name: str, *, before: Sequence[str] = (), create: bool = True):
    """The first ``name`` child of ``parent``, created before the first of ``before``."""
    found = parent.find(T + name)
    if found is not None or not create:
        return found
    node = etree.Element(T + name)
    for sibling_name in before:
        sibling = parent.find(T + sibling_name)
        if sibling is not None:
            sibling.addprevious(node)
            return node
    parent.append(node)
    return node


def record_run(
    root, *, resp: str, names: list[tuple[str, str]], change: str,
    counts: Sequence[tuple[str, int, str]] = (), tool: str | None = None,
    options: dict[str, str] | None = None, source_sha256: str | None = None,
) -> None:
    """Name the engine, models and glossary in ``respStmt[@xml:id='coitool-mt']`` and log the run.

    ``names`` are (type, text) pairs for this run; the model and glossary names of earlier
    runs are kept, so a file translated into several languages names every model used.
    ``counts`` are (type, value, label) triples written after the change's text as
    ``<num type="…" n="…">…</num> label``, so programs can read them.
    """
    header = ensure_child(root, "teiHeader")
    file_desc = ensure_child(header, "fileDesc")
    title_stmt = ensure_child(file_desc, "titleStmt")
    if title_stmt.find(T + "title") is None:
        etree.SubElement(title_stmt, T + "title").text = "Untitled"
    resp_stmt = next((n for n in title_stmt.findall(T + "respStmt") if n.get(XML_ID) == RESP_ID), None)
    old_names: list[tuple[str, str]] = []
    if resp_stmt is None:
        resp_stmt = etree.SubElement(title_stmt, T + "respStmt")
        resp_stmt.set(XML_ID, RESP_ID)
    else:
        old_names = [(n.get("type") or "", n.text or "") for n in resp_stmt.findall(T + "name")]
        for old in list(resp_stmt):
            resp_stmt.remove(old)
    etree.SubElement(resp_stmt, T + "resp").text = resp
    engine = [(kind, text) for kind, text in names if kind == "engine"]
    ordered = engine + [n for n in old_names if n[0] == "model"] + [n for n in names if n[0] == "model"]
    ordered += [n for n in old_names if n[0] == "glossary"] + [n for n in names if n[0] == "glossary"]
    if tool:
        ordered.append(("tool", tool))
    for kind, text in dict.fromkeys(ordered):
        etree.SubElement(resp_stmt, T + "name", type=kind).text = text
    # What this run read and how: the latest run's, so that a batch can tell its output is up to date.
    if options:
        etree.SubElement(resp_stmt, T + "note", type="options").text = options_note(options)
    if source_sha256:
        source = etree.SubElement(resp_stmt, T + "note", type="source")
        source.text = "Translated from the TEI file with SHA-256 "
        etree.SubElement(source, T + "idno", type="sha256").text = source_sha256
        source[-1].tail = "."

    add_change(root, RESP_ID, change, counts)


def add_change(root, who: str, text: str, counts: Sequence[tuple[str, int, str]] = ()) -> None:
    """Log a run in ``revisionDesc``: ``<change when="today" who="#who">text</change>``, with
    ``counts`` (type, value, label) as ``<num>`` elements after the text."""
    header = ensure_child(root, "teiHeader")
    revision = ensure_child(header, "revisionDesc")
    container = revision.find(T + "listChange")
    if container is None:
        container = revision
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    entry = etree.SubElement(container, T + "change", when=today, who=f"#{who}")
    entry.text = text
    for position, (kind, value, label) in enumerate(counts):
        if position == 0:
            entry.text += " "
        number = etree.SubElement(entry, T + "num", type=kind, n=str(value))
        number.text = str(value)
        number.tail = f" {label}" + ("; " if position < len(counts) - 1 else ".")


def update_taxonomy(root, glossary: GlossaryRecord | None, used: Sequence[TermRecord]) -> None:
    """Keep one category per glossary term referenced from the text; drop unreferenced ones."""
    referenced = {
        node.get("ref")[1:] for node in root.iter(T + "term")
        if (node.get("ref") or "").startswith("#gloss-")
    }
    header = ensure_child(root, "teiHeader")
    encoding = header.find(T + "encodingDesc")
    taxonomy = None
    if encoding is not None:
        taxonomy = next((n for n in encoding.iter(T + "taxonomy") if n.get(XML_ID) == TAXONOMY_ID), None)
    if taxonomy is None and not referenced:
        return
    if encoding is None:
        encoding = ensure_child(header, "encodingDesc", before=("profileDesc", "xenoData", "revisionDesc"))
    if taxonomy is None:
        class_decl = ensure_child(encoding, "classDecl")
        taxonomy = etree.SubElement(class_decl, T + "taxonomy")
        taxonomy.set(XML_ID, TAXONOMY_ID)
    bibl = taxonomy.find(T + "bibl")
    if bibl is None:
        bibl = etree.Element(T + "bibl")
        taxonomy.insert(0, bibl)
    if glossary is not None and used:
        for old in list(bibl):
            bibl.remove(old)
        bibl.text = None
        etree.SubElement(bibl, T + "title").text = glossary.name
        etree.SubElement(bibl, T + "edition").text = glossary.version
        etree.SubElement(bibl, T + "idno", type="checksum").text = glossary.checksum
    elif not len(bibl) and not bibl.text:
        bibl.text = "coitool glossary"
    existing = {n.get(XML_ID): n for n in taxonomy.findall(T + "category")}
    for xml_id, node in existing.items():
        if xml_id not in referenced:
            taxonomy.remove(node)
    for record in sorted(used, key=lambda r: r.entry_id):
        xml_id = gloss_xml_id(record.entry_id)
        if xml_id in existing and xml_id in referenced:
            continue
        category = etree.SubElement(taxonomy, T + "category")
        category.set(XML_ID, xml_id)
        description = etree.SubElement(category, T + "catDesc")
        last = etree.SubElement(description, T + "term")
        last.set(XML_LANG, SOURCE_LANGUAGE)
        last.text = record.term
        separator = " — "
        for lang, target in record.renderings:
            if target:
                last.tail = separator
                last = etree.SubElement(description, T + "gloss")
                last.set(XML_LANG, lang)
                last.text = target
                separator = " · "
    if taxonomy.find(T + "category") is None:
        class_decl = taxonomy.getparent()
        class_decl.remove(taxonomy)
        if not len(class_decl):
            encoding.remove(class_decl)
        if not len(encoding):
            header.remove(encoding)


# -- translations by people: post-edited machine translations brought back from CAT tools ------

# How sure a reader may be of a translation a translator has post-edited (TEI @cert).
HUMAN_CERT = "high"
TRANSLATOR_PREFIX = "translator-"


def translations_of(unit) -> list:
    """The translations written beside ``unit`` (by coitool or a translator), in document order."""
    if localname(unit) != "title" and localname(unit) in INSIDE_TAGS:
        return [child for child in unit if isinstance(child.tag, str) and is_translation_element(child)]
    found, anchor, following = [], unit, unit.getnext()
    while (following is not None and isinstance(following.tag, str) and is_translation_element(following)
           and not (anchor.tail or "").strip()):
        found.append(following)
        anchor, following = following, following.getnext()
    return found


def find_translation(unit, lang: str):
    """The translation of ``unit`` into ``lang`` written beside it, or None.

    Glossary-only output is no translation (:func:`find_glossary_only` finds it).
    """
    return next(
        (node for node in translations_of(unit)
         if node.get(XML_LANG) == lang and node.get("type") != GLOSSARY_ONLY_TYPE),
        None,
    )


def find_glossary_only(unit, lang: str):
    """coitool's glossary-only output for ``unit`` into ``lang`` (:func:`is_glossary_only`), or None."""
    return next(
        (node for node in translations_of(unit) if is_glossary_only(node) and translation_lang(node) == lang),
        None,
    )


def replace_glossary_only(node, text: str, terms: Sequence, *, resp: str, cert: str = HUMAN_CERT) -> None:
    """Make glossary-only output a translation by a person: the same element in the same place,
    ``type="translated"`` (title) or ``"translation"`` (note), ``xml:lang`` its ``@subtype``,
    ``text`` with ``terms`` (as in :func:`fill_translation`, in the text's own language),
    ``@resp`` and ``@cert``."""
    lang = translation_lang(node) if is_glossary_only(node) else None
    if not lang:
        raise ValueError("not glossary-only output of coitool into a language (type and subtype)")
    node.set("type", "translated" if localname(node) == "title" else "translation")
    del node.attrib["subtype"]
    node.set(XML_LANG, lang)
    replace_translation(node, text, terms, resp=resp, cert=cert)


def remove_glossary_only(unit, lang: str) -> int:
    """Drop coitool's glossary-only output for ``unit`` into ``lang`` (a translation has taken its place)."""
    stale = [node for node in translations_of(unit) if is_glossary_only(node) and translation_lang(node) == lang]
    for node in stale:
        _remove_keep_tail(node)
    return len(stale)


def replace_translation(translation, text: str, terms: Sequence, *, resp: str, cert: str = HUMAN_CERT) -> None:
    """Give an existing translation new text (terms as in :func:`fill_translation`), ``@resp`` and ``@cert``."""
    tail = translation.tail
    for child in list(translation):
        translation.remove(child)
    translation.text = None
    fill_translation(translation, text, terms)
    translation.tail = tail
    translation.set("resp", f"#{resp}")
    translation.set("cert", cert)


def add_translation(unit, lang: str, text: str, terms: Sequence, *, resp: str, cert: str = HUMAN_CERT):
    """A new translation of ``unit`` into ``lang`` where there was none, placed as coitool places its own."""
    from toolkit.translate.results import MODEL, Translation

    insert_translation(unit, Translation(source=unit_text(unit), text=text, lang=lang, mode=MODEL), lang)
    translation = find_translation(unit, lang)
    replace_translation(translation, text, terms, resp=resp, cert=cert)
    return translation


def record_translator(root, name: str, resp: str) -> str:
    """The ``xml:id`` of the ``respStmt`` naming translator ``name`` (added to titleStmt when new)."""
    header = ensure_child(root, "teiHeader")
    title_stmt = ensure_child(ensure_child(header, "fileDesc"), "titleStmt")
    if title_stmt.find(T + "title") is None:
        etree.SubElement(title_stmt, T + "title").text = "Untitled"
    for stmt in title_stmt.findall(T + "respStmt"):
        person = stmt.find(T + "persName")
        if (stmt.get(XML_ID) or "").startswith(TRANSLATOR_PREFIX) and person is not None and person.text == name:
            return stmt.get(XML_ID)
    taken = {node.get(XML_ID) for node in root.iter() if node.get(XML_ID)}
    base = TRANSLATOR_PREFIX + (re.sub(r"[^\w.-]+", "-", name.lower()).strip("-.") or "anonymous")
    xml_id, n = base, 2
    while xml_id in taken:
        xml_id, n = f"{base}-{n}", n + 1
    stmt = etree.SubElement(title_stmt, T + "respStmt")
    stmt.set(XML_ID, xml_id)
    etree.SubElement(stmt, T + "resp").text = resp
    etree.SubElement(stmt, T + "persName").text = xml_text(name)
    return xml_id
