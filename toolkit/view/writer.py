"""TEI → one HTML page for reading: contents, notes beside the text, translations, pages.

A Python writer rather than an XSLT stylesheet, because the page needs what XSLT 1.0 does
awkwardly: footnotes gathered after the block that holds their markers (and markers moved
out of links, which may not nest in HTML), ids kept unique, the glossary and the
translation provenance looked up in the header, colours for whichever languages occur.

What the TEI holds is docs/tei.md; what the page shows is the README's "Reading view".
Notes are keyed by their ``xml:id`` and labelled with their printed ``@n`` (any label:
"12", "*", "a", "†"). Running headers and footers (``<fw>``) are written but hidden until
the reader asks for them. Nothing on the page loads anything: the CSS and JavaScript are
inline and a Content-Security-Policy forbids every other source.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from lxml import etree

from toolkit import __version__
from toolkit.errors import InputError, OutputError
from toolkit.io import safe_xml_parser, write_atomic
from toolkit.tei.translation import is_glossary_only, is_translation_element as is_translation, localname, translation_lang, unit_text
from toolkit.tei.write import LANGUAGE_NAMES, T, XML_ID, XML_LANG

# Link targets a reader may follow from the page; anything else (javascript:, data:, file:)
# is shown as plain text.
SAFE_SCHEMES = ("http://", "https://", "mailto:", "ftp://")
# HTML has six heading levels; deeper divisions keep <h6>.
DEEPEST_HEADING = 6
# Background tints for "colour by language" (light enough for black text, told apart in
# print); the document's main language is never tinted.
LANGUAGE_COLOURS = {
    "ru": "#f8cfcf", "en": "#cde2fa", "de": "#f9e6a6", "nl": "#d3efcf",
    "fr": "#e4d3f5", "und": "#e0e0e0",
}
SPARE_COLOURS = ("#f4d2ea", "#cfeee9", "#f1dcc2", "#d9d9f6", "#e6efc4", "#f7d9c4")
# TEI elements that make a paragraph hold block content (so it becomes a <div>).
BLOCK_ELEMENTS = frozenset({"p", "ab", "list", "table", "listBibl", "lg", "figure", "div", "floatingText"})
# Page starts and running lines: between two rows or items they open the next one.
PAGE_TAGS = ("pb", "fw")
# TEI inline elements with a direct HTML counterpart.
INLINE_TAGS = {"emph": "em", "code": "code", "abbr": "abbr", "mentioned": "i", "soCalled": "span"}
HI_TAGS = {"superscript": "sup", "sup": "sup", "subscript": "sub", "sub": "sub", "italic": "i",
           "bold": "b", "underline": "u", "strikethrough": "s"}
# Readings <choice> shows, best first.
CHOICE_ORDER = ("corr", "reg", "expan", "sic", "orig", "abbr")
RUNNING_LABELS = {"header": "running header", "footer": "running footer", "pageNum": "printed page number"}
DATE_VALUE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?)?)?$")
LANG_PAIR = re.compile(r"\b([a-z]{2,3})-([a-z]{2,3})[,)]")
ASSETS = "toolkit.view"
# The page's own fixed ids (settings, tooltip, contents heading).
UI_IDS = ("opt-lang", "opt-tr", "opt-notes", "opt-fw", "tip", "toc-title", "stray-notes")


def primary(lang: str | None) -> str | None:
    """The primary subtag of a BCP 47 code, lower case ("ru-Latn" -> "ru")."""
    return lang.split("-")[0].lower() if lang else None


def plain(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def safe_href(target: str | None) -> str | None:
    if not target:
        return None
    first = target.split()[0]
    if first.startswith("#") or first.lower().startswith(SAFE_SCHEMES):
        return first
    if first.lower().startswith("www."):
        return "https://" + first
    return None


def h(parent, tag: str, attrs: dict | None = None, text: str | None = None):
    """An HTML element (appended to ``parent`` when given); attributes that are None are left out."""
    node = etree.Element(tag) if parent is None else etree.SubElement(parent, tag)
    for key, value in (attrs or {}).items():
        if value is not None:
            node.set(key, str(value))
    if text:
        node.text = text
    return node


def add_text(parent, text: str | None) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def asset(name: str) -> str:
    return resources.files(ASSETS).joinpath("data", name).read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@dataclass(frozen=True)
class GlossaryEntry:
    """A glossary term of the header's taxonomy, as a tooltip and a list entry show it."""

    xml_id: str
    term: str
    term_lang: str | None
    glosses: tuple[tuple[str, str], ...]

    @property
    def tip(self) -> str:
        renderings = "; ".join(f"{lang}: {text}" for lang, text in self.glosses)
        return f"Glossary: {self.term}" + (f" — {renderings}" if renderings else "")


@dataclass
class Provenance:
    """Who made the translations that point to one ``respStmt`` (engine, models, glossary)."""

    engine: str = ""
    models: list[str] = field(default_factory=list)
    glossary: str = ""
    translator: str = ""  # a person (respStmt/persName): a post-edited translation

    def models_for(self, lang: str) -> list[str]:
        """The model packages on the route into ``lang`` (ru→en, or ru→en + en→nl)."""
        pairs = [(name, LANG_PAIR.search(name)) for name in self.models]
        chosen, targets = [], {lang}
        while True:
            more = [name for name, m in pairs if m and m.group(2) in targets and name not in chosen]
            if not more:
                break
            chosen = more + chosen
            targets = {m.group(1) for name, m in pairs if name in more and m}
        return chosen or list(self.models)

    def tip(self, lang: str | None, cert: str | None, glossary_only: bool = False) -> str:
        name = LANGUAGE_NAMES.get(lang or "", lang or "another language")
        if glossary_only:
            lines = [f"Glossary terms only, rendered into {name}: no model translated this text, the rest is the original"
                     + (f" · certainty: {cert}" if cert else "")]
        elif self.translator:
            return f"Translation into {name} post-edited by {self.translator}" + (f" · certainty: {cert}" if cert else "")
        else:
            lines = [f"Machine translation into {name}" + (f" · certainty: {cert}" if cert else "")]
        if self.engine:
            lines.append(f"Engine: {self.engine}")
        for model in self.models_for(lang or ""):
            lines.append(f"Model: {model}")
        if self.glossary:
            lines.append(f"Glossary: {self.glossary}")
        return "\n".join(lines)


@dataclass
class ViewSummary:
    """What a reading view holds, for the command line's one-line report."""

    notes: int = 0
    headings: int = 0
    pages: int = 0
    translations: int = 0
    terms: int = 0
    running: int = 0  # running headers, footers and printed page numbers (<fw>)
    languages: list[str] = field(default_factory=list)


@dataclass
class PendingNote:
    note: object
    html_id: str
    label: str
    ref_id: str | None  # the marker's id; None for a note without a marker in the text


@dataclass
class TocEntry:
    number: str | None
    title: str
    target: str
    children: list["TocEntry"] = field(default_factory=list)


class ReadingView:
    """Builds the page from a parsed TEI tree; ``html()`` returns it, ``summary`` what it holds."""

    def __init__(self, tree) -> None:
        root = tree.getroot() if hasattr(tree, "getroot") else tree
        self.root = root
        self.text = root.find(T + "text")
        if self.text is None:
            raise InputError("not a TEI document with a <text>")
        self.main_lang = primary(self.text.get(XML_LANG)) or "und"
        self.summary = ViewSummary()
        self.used_ids: set[str] = set(UI_IDS)
        self.reserved = {n.get(XML_ID) for n in root.iter() if isinstance(n.tag, str) and n.get(XML_ID)}
        self.pending: list[PendingNote] | None = None
        self.stray: list[PendingNote] = []  # notes met outside any block (kept, at the end)
        self.deferred: list[tuple] = []  # markers met inside a link, written after it
        self.link_depth = 0
        self.unlabelled = 0
        self.toc: list[TocEntry] = []
        self.toc_stack: list[list[TocEntry]] = [self.toc]
        self.glossary, self.glossary_label = self.read_glossary()
        self.provenance: dict[str, Provenance] = {}
        self.languages: Counter = Counter()

    # -- ids -----------------------------------------------------------------------------
    def new_id(self, wanted: str) -> str:
        """A page-unique id near ``wanted``, never one of the TEI's own xml:ids."""
        base = re.sub(r"\s+", "-", wanted.strip()) or "x"
        candidate, k = base, 1
        while candidate in self.used_ids or candidate in self.reserved:
            k += 1
            candidate = f"{base}-{k}"
        self.used_ids.add(candidate)
        return candidate

    def tei_id(self, node) -> str | None:
        """The element's own xml:id as its HTML id (unique even in a file that repeats one)."""
        value = node.get(XML_ID)
        if not value:
            return None
        if value in self.used_ids:
            return self.new_id(value)
        self.used_ids.add(value)
        return value

    # -- header lookups --------------------------------------------------------------------
    def read_glossary(self) -> tuple[dict[str, GlossaryEntry], str]:
        entries: dict[str, GlossaryEntry] = {}
        label = ""
        for taxonomy in self.root.iter(T + "taxonomy"):
            bibl = taxonomy.find(T + "bibl")
            if bibl is not None and not label:
                parts = [plain(bibl.findtext(T + "title")), plain(bibl.findtext(T + "edition"))]
                label = " ".join(p for p in parts if p) or plain("".join(bibl.itertext()))
            for category in taxonomy.iter(T + "category"):
                xml_id = category.get(XML_ID)
                description = category.find(T + "catDesc")
                if not xml_id or description is None:
                    continue
                term = description.find(T + "term")
                glosses = tuple(
                    (gloss.get(XML_LANG) or "", plain(gloss.text)) for gloss in description.iter(T + "gloss") if plain(gloss.text)
                )
                entries[xml_id] = GlossaryEntry(
                    xml_id,
                    plain("".join(term.itertext())) if term is not None else plain("".join(description.itertext())),
                    term.get(XML_LANG) if term is not None else None,
                    glosses,
                )
        return entries, label

    def provenance_of(self, resp: str | None) -> Provenance:
        key = (resp or "").lstrip("#")
        if key not in self.provenance:
            found = Provenance()
            node = next((n for n in self.root.iter(T + "respStmt") if n.get(XML_ID) == key), None) if key else None
            if node is not None:
                person = node.find(T + "persName")
                found.translator = plain("".join(person.itertext())) if person is not None else ""
                for name in node.iter(T + "name"):
                    kind, value = name.get("type"), plain("".join(name.itertext()))
                    if kind == "engine":
                        found.engine = value
                    elif kind == "model":
                        found.models.append(value)
                    elif kind == "glossary":
                        found.glossary = re.sub(r"\s*\(sha256:[0-9a-f]+\)$", "", value)
            self.provenance[key] = found
        return self.provenance[key]

    def header_text(self, path: str) -> str:
        node = self.root.find(path)
        return plain("".join(node.itertext())) if node is not None else ""

    # -- the page ----------------------------------------------------------------------------
    def html(self) -> bytes:
        main = h(None, "main", {"id": self.new_id("text")})
        for part in self.text:
            if not isinstance(part.tag, str):
                continue
            name = localname(part)
            if name in ("front", "body", "back"):
                self.flow(part, main, 2)
            else:
                self.block(part, main, 2)
        if self.stray:
            self.stray_notes(main)
        if self.glossary:
            self.glossary_section(main)
        for node in self.text.iter():
            if isinstance(node.tag, str) and node.get(XML_LANG):
                self.languages[primary(node.get(XML_LANG))] += 1

        title = self.header_text(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title") or "Untitled report"
        page = h(None, "html", {"lang": self.text.get(XML_LANG) or "und"})
        style = asset("view.css") + self.language_css()
        script = asset("view.js")
        for code in (style, script):
            if "</" in code:
                raise OutputError("the reading view's CSS or script would close its element early")
        head = h(page, "head")
        h(head, "meta", {"charset": "utf-8"})
        h(head, "meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"})
        h(head, "meta", {
            "http-equiv": "Content-Security-Policy",
            "content": f"default-src 'none'; style-src {csp_hash(style)}; script-src {csp_hash(script)}; "
                       "img-src data:; base-uri 'none'; form-action 'none'",
        })
        h(head, "meta", {"name": "generator", "content": f"coitool {__version__}"})
        h(head, "title", None, title)
        h(head, "style", None, style)
        body = h(page, "body")
        h(body, "a", {"class": "skip-link", "href": f"#{main.get('id')}", "lang": "en"}, "Skip to the text")
        self.masthead(body, title)
        layout = h(body, "div", {"class": "layout"})
        self.contents(layout)
        layout.append(main)
        self.footer(body)
        h(body, "div", {"id": "tip", "class": "tip", "role": "tooltip", "hidden": ""})
        h(body, "script", None, script)
        self.summary.languages = [lang for lang, _ in self.language_list()]
        return etree.tostring(page, method="html", encoding="utf-8", doctype="<!DOCTYPE html>")

    def masthead(self, body, title: str) -> None:
        header = h(body, "header", {"class": "masthead"})
        h(header, "h1", None, title)
        bibl = f"{T}teiHeader/{T}fileDesc/{T}sourceDesc/{T}bibl"
        source = self.header_text(f"{bibl}/{T}idno[@type='filename']")
        pages = self.root.find(f"{bibl}/{T}extent/{T}measure[@unit='pages']")
        facts = [f"Source: {source}" if source else None,
                 f"{pages.get('quantity')} pages" if pages is not None and pages.get("quantity") else None]
        application = self.root.find(f"{T}teiHeader/{T}encodingDesc/{T}appInfo/{T}application")
        change = self.root.find(f"{T}teiHeader/{T}revisionDesc//{T}change")
        if application is not None:
            made = f"TEI by {application.get('ident')} {application.get('version') or ''}".strip()
            if change is not None and change.get("when"):
                made += f" on {change.get('when')}"
            facts.append(made)
        h(header, "p", {"class": "facts", "lang": "en"}, " · ".join(f for f in facts if f))

        controls = h(header, "div", {"class": "controls", "role": "group", "aria-label": "View settings", "lang": "en"})
        # A setting is offered only when the file has what it governs (the CSS reads the
        # boxes, so leaving one out is safe only then).
        s = self.summary
        for box_id, label, checked, useful in (
            ("opt-lang", "Colour by language", False, len(self.language_list()) > 1),
            ("opt-tr", "Translations", True, s.translations > 0),
            ("opt-notes", "Show all notes", True, s.notes > 0),
            ("opt-fw", "Running headers and footers", False, s.running > 0),
        ):
            if not useful:
                continue
            wrap = h(controls, "label", {"class": "control"})
            h(wrap, "input", {"type": "checkbox", "id": box_id, "checked": "" if checked else None})
            add_text(wrap, " " + label)
        legend = h(header, "ul", {"class": "legend", "aria-label": "Languages (colour by language)", "lang": "en"})
        for lang, share in self.language_list():
            item = h(legend, "li", {"data-lang": lang})
            h(item, "span", {"class": f"swatch swatch-{lang}", "aria-hidden": "true"})
            h(item, "span", {"lang": lang}, self.language_name(lang))
            note = f" {lang}" + (f" · {share}%" if share is not None else "") + (" · not coloured" if lang == self.main_lang else "")
            h(item, "span", {"class": "muted"}, note)
        self.about(header)

    def about(self, header) -> None:
        details = h(header, "details", {"class": "about", "lang": "en"})
        h(details, "summary", None, "About this file")
        facts = h(details, "dl")
        file_desc = f"{T}teiHeader/{T}fileDesc"
        rows = [
            ("Title", self.header_text(f"{file_desc}/{T}titleStmt/{T}title")),
            ("Author", self.header_text(f"{file_desc}/{T}titleStmt/{T}author")),
            ("Publisher", self.header_text(f"{file_desc}/{T}publicationStmt")),
            ("Source PDF", self.header_text(f"{file_desc}/{T}sourceDesc/{T}bibl/{T}idno[@type='filename']")),
            ("SHA-256", self.header_text(f"{file_desc}/{T}sourceDesc/{T}bibl/{T}idno[@type='sha256']")),
            ("Extraction", self.header_text(f"{file_desc}/{T}notesStmt/{T}note[@type='extraction']")),
        ]
        rows += [("Warning", plain("".join(n.itertext())))
                 for n in self.root.iterfind(f"{file_desc}/{T}notesStmt/{T}note[@type='warning']")]
        for resp in self.root.iterfind(f"{file_desc}/{T}titleStmt/{T}respStmt"):
            for name in resp.iter(T + "name"):
                rows.append((f"Translation {name.get('type') or 'by'}", plain("".join(name.itertext()))))
        rows += [(f"Change {n.get('when') or ''}".strip(), plain("".join(n.itertext())))
                 for n in self.root.iterfind(f"{T}teiHeader/{T}revisionDesc//{T}change")]
        for label, value in rows:
            if value:
                h(facts, "dt", None, label)
                h(facts, "dd", None, value)

    def contents(self, layout) -> None:
        nav = h(layout, "nav", {"class": "toc", "aria-labelledby": "toc-title", "lang": "en"})
        details = h(nav, "details", {"open": ""})
        summary = h(details, "summary")
        h(summary, "h2", {"id": "toc-title"}, "Contents")

        def write(entries, parent) -> None:
            ol = h(parent, "ol")
            for entry in entries:
                li = h(ol, "li")
                a = h(li, "a", {"href": f"#{entry.target}", "lang": self.text.get(XML_LANG)})
                if entry.number:
                    h(a, "span", {"class": "toc-num"}, entry.number)
                    add_text(a, " ")
                h(a, "span", {"class": "toc-title"}, entry.title)
                if entry.children:
                    write(entry.children, li)

        if self.toc:
            write(self.toc, details)
        else:
            h(details, "p", {"class": "muted"}, "This file has no headings.")

    def footer(self, body) -> None:
        footer = h(body, "footer", {"class": "colophon", "lang": "en"})
        s = self.summary
        h(footer, "p", None,
          f"Reading view written by coitool {__version__} from TEI: {s.headings} headings, {s.notes} notes, "
          f"{s.pages} page starts, {s.translations} translations, {s.terms} glossary terms. "
          "Nothing on this page is loaded from the network.")

    # -- languages -----------------------------------------------------------------------------
    def language_list(self) -> list[tuple[str, int | None]]:
        """(language, percentage of the text or None) for every language of the file, main first."""
        shares: dict[str, int | None] = {}
        for node in self.root.iterfind(f"{T}teiHeader/{T}profileDesc/{T}langUsage/{T}language"):
            lang = primary(node.get("ident"))
            if lang:
                usage = node.get("usage")
                shares[lang] = int(usage) if usage and usage.isdigit() else None
        for lang in self.languages:
            shares.setdefault(lang, None)
        shares.setdefault(self.main_lang, None)
        return sorted(shares.items(), key=lambda kv: (kv[0] != self.main_lang, -(kv[1] or 0), kv[0]))

    def language_name(self, lang: str) -> str:
        for node in self.root.iterfind(f"{T}teiHeader/{T}profileDesc/{T}langUsage/{T}language"):
            if primary(node.get("ident")) == lang and plain(node.text) and plain(node.text) != lang:
                return plain(node.text)
        return LANGUAGE_NAMES.get(lang, lang)

    def language_css(self) -> str:
        on = ':root:has(#opt-lang:checked) main'
        rules = ["\n/* colour by language: this file's languages */"]
        spare = iter(SPARE_COLOURS * 4)
        for lang, _ in self.language_list():
            if not re.fullmatch(r"[a-z]{2,8}", lang):
                continue
            if lang == self.main_lang:
                rules.append(f'{on} [lang|="{lang}"]:not(.ui) {{ background-color: var(--paper); }}')
                rules.append(f".swatch-{lang} {{ background-color: var(--paper); }}")
                continue
            colour = LANGUAGE_COLOURS.get(lang) or next(spare, "#e0e0e0")
            rules.append(f'{on} [lang|="{lang}"]:not(.ui) {{ background-color: {colour}; color: #111; }}')
            rules.append(f'{on} [lang|="{lang}"]:not(.ui, .tr)::before {{ content: "{lang}"; }}')
            rules.append(f".swatch-{lang} {{ background-color: {colour}; }}")
        return "\n".join(rules) + "\n"

    # -- flow: divisions and blocks ------------------------------------------------------------
    def flow(self, container, parent, level: int, skip=()) -> None:
        """The block children of a division-like container, each with its notes and translations."""
        children = [c for c in container if isinstance(c.tag, str) and c not in skip]
        if plain(container.text):
            h(parent, "p", None, container.text)
        index = 0
        while index < len(children):
            child = children[index]
            translations = []
            following = index + 1
            while (following < len(children) and localname(children[following]) == "note"
                   and is_translation(children[following]) and not plain(children[following - 1].tail)):
                translations.append(children[following])
                following += 1
            if localname(child) == "div":
                self.division(child, parent, level)
                for translation in translations:
                    self.block(translation, parent, level)
            else:
                self.block(child, parent, level, translations)
            if plain(children[following - 1].tail):
                h(parent, "p", None, children[following - 1].tail)
            index = following

    def block(self, node, parent, level: int, translations=()) -> None:
        """One block with its translations beside it and its notes beside or below it."""

        def render() -> None:
            start = len(parent)
            self.block_element(node, parent, level)
            if translations:
                pair = self.wrap(parent, start, "parallel")
                for translation in translations:
                    self.translation(translation, pair, block=True)

        self.with_notes(parent, render)

    def with_notes(self, parent, render) -> None:
        """Run ``render`` (it appends to ``parent``); what it wrote and the notes it met become one unit."""
        if self.pending is not None:  # inside a block already: its notes go with that block
            render()
            return
        self.pending = []
        start = len(parent)
        try:
            render()
        finally:
            pending, self.pending = self.pending, None
        if pending:
            unit = self.wrap(parent, start, "unit has-notes")
            self.write_notes(h(unit, "div", {"class": "notes"}), pending)

    @staticmethod
    def wrap(parent, start: int, classes: str):
        """Move ``parent``'s children from ``start`` on into a new <div class=classes> in their place."""
        wrapper = etree.Element("div")
        wrapper.set("class", classes)
        for rendered in list(parent[start:]):
            wrapper.append(rendered)
        parent.insert(start, wrapper)
        return wrapper

    def division(self, div, parent, level: int) -> None:
        kind = div.get("type") or ""
        if kind == "unanchoredNotes":
            self.unanchored(div, parent, level)
            return
        section = h(parent, "section", {
            "class": f"div div-{re.sub(r'[^A-Za-z0-9_-]', '', kind) or 'plain'}",
            "lang": div.get(XML_LANG), "id": self.tei_id(div),
        })
        if kind == "titlePage":
            section.set("aria-label", "Title page")
        head = next((c for c in div if isinstance(c.tag, str) and localname(c) == "head"), None)
        entry = None
        if head is not None:
            number = div.get("n")
            target = self.new_id(f"sec-{number}" if number else "sec-" + slug(unit_text(head)))
            entry = TocEntry(number, unit_text(head) or "(untitled)", target)
            self.toc_stack[-1].append(entry)
            section.set("aria-labelledby", target)
            self.heading(head, section, level, number, target)
        skip = [head] + self.translations_after(head) if head is not None else []
        if entry is not None:
            self.toc_stack.append(entry.children)
        self.flow(div, section, level + 1, skip)
        if entry is not None:
            self.toc_stack.pop()

    @staticmethod
    def translations_after(node) -> list:
        """The translations written right after ``node`` (coitool puts them there)."""
        found = []
        following = node.getnext()
        while following is not None and localname(following) == "note" and is_translation(following) and not plain(
                (found[-1] if found else node).tail):
            found.append(following)
            following = following.getnext()
        return found

    def heading(self, head, section, level: int, number: str | None, target: str) -> None:
        self.summary.headings += 1

        def render() -> None:
            node = h(section, f"h{min(level, DEEPEST_HEADING)}", {"id": target, "lang": head.get(XML_LANG)})
            if number:
                h(node, "span", {"class": "secnum"}, number)
                add_text(node, " ")
            self.content(head, node, phrasing=True)
            for translation in self.translations_after(head):
                self.translation(translation, section, block=True)

        self.with_notes(section, render)

    def block_element(self, node, parent, level: int) -> None:
        name = localname(node)
        lang = node.get(XML_LANG)
        if name == "div":
            self.division(node, parent, level)
        elif name in ("p", "ab"):
            rend = node.get("rend")
            classes = {"title": "title-line", "caption": "caption"}.get(rend or "", f"rend-{rend}" if rend else None)
            if self.holds_blocks(node):
                tag, classes = "div", " ".join(c for c in ("p", classes) if c)
            else:
                tag = "p"
            self.filled(node, parent, tag, {"class": classes, "lang": lang, "id": self.tei_id(node)}, phrasing=tag == "p")
        elif name == "head":
            self.filled(node, parent, "p", {"class": "head", "lang": lang}, phrasing=True)
        elif name == "list":
            self.list_block(node, parent)
        elif name == "table":
            self.table_block(node, parent)
        elif name == "listBibl":
            self.bibliography(node, parent)
        elif name == "quote":
            self.filled(node, parent, "blockquote", {"lang": lang}, phrasing=False)
        elif name in ("lg", "figure"):
            element = h(parent, "figure" if name == "figure" else "div", {"class": name, "lang": lang})
            for child in node:
                if isinstance(child.tag, str) and localname(child) == "head" and name == "figure":
                    self.filled(child, element, "figcaption", None, phrasing=True)
                elif isinstance(child.tag, str) and localname(child) == "graphic":
                    h(element, "p", {"class": "muted ui", "lang": "en"}, "[image not included]")
                elif isinstance(child.tag, str):
                    self.block_element(child, element, level)
        elif name == "l":
            self.filled(node, parent, "div", {"class": "l", "lang": lang}, phrasing=True)
        elif name == "pb":
            self.page_break(node, h(parent, "div", {"class": "pb-block"}))
        elif name == "fw":
            self.running(node, parent, block=True)
        elif name == "note":
            if is_translation(node):
                self.translation(node, parent, block=True)
            else:
                self.marker(node, h(parent, "p", {"class": "note-anchor"}))
        elif name in ("milestone", "cb", "lb", "anchor"):
            if node.get(XML_ID):
                h(parent, "span", {"id": self.tei_id(node)})
        elif self.holds_blocks(node):
            self.filled(node, parent, "div", {"class": f"tei-{name}", "lang": lang}, phrasing=False)
        else:
            self.filled(node, parent, "p", {"class": f"tei-{name}", "lang": lang}, phrasing=True)

    @staticmethod
    def holds_blocks(node) -> bool:
        """Does a TEI element hold block content (outside its notes)? Then HTML needs a <div>."""
        stack = list(node)
        while stack:
            child = stack.pop()
            if not isinstance(child.tag, str):
                continue
            name = localname(child)
            if name == "note":
                continue
            if name in BLOCK_ELEMENTS or (name == "quote" and any(localname(c) in BLOCK_ELEMENTS for c in child if isinstance(c.tag, str))):
                return True
            stack.extend(child)
        return False

    def list_block(self, node, parent) -> None:
        kind = node.get("type") or "simple"
        lang = node.get(XML_LANG)
        children = [c for c in node if isinstance(c.tag, str)]
        head = next((c for c in children if localname(c) == "head"), None)
        if head is not None:
            self.filled(head, parent, "p", {"class": "list-head", "lang": head.get(XML_LANG)}, phrasing=True)
        if kind == "gloss":
            dl = h(parent, "dl", {"class": "gloss", "lang": lang, "id": self.tei_id(node)})
            last = None
            carried: list = []
            for child in children:
                name = localname(child)
                if name in ("label", "item"):
                    last = h(dl, "dt" if name == "label" else "dd", {"lang": child.get(XML_LANG)})
                    carried = self.start_with(carried, last)
                    self.content(child, last, phrasing=False)
                elif name == "head":
                    continue
                elif last is not None and name not in PAGE_TAGS:
                    self.inline(child, last, phrasing=False)
                else:
                    carried.append(child)
            self.leftovers(carried, parent)
            return
        labelled = any(localname(c) == "label" for c in children)
        tag = "ol" if kind in ("ordered", "numbered") and not labelled else "ul"
        classes = f"list list-{re.sub(r'[^A-Za-z0-9_-]', '', kind)}" + (" labelled" if labelled else "")
        element = h(parent, tag, {"class": classes, "lang": lang, "id": self.tei_id(node)})
        label, last, carried = None, None, []
        for child in children:
            name = localname(child)
            if name == "label":
                label = child
            elif name == "item":
                last = h(element, "li", {"lang": child.get(XML_LANG), "id": self.tei_id(child)})
                carried = self.start_with(carried, last)
                if label is not None:
                    self.filled(label, last, "span", {"class": "label"}, phrasing=True)
                    add_text(last, " ")
                    label = None
                self.content(child, last, phrasing=False)
            elif name == "head":
                continue
            elif name == "note" and is_translation(child) and last is not None:
                self.translation(child, last, block=True)
            elif last is not None and name not in PAGE_TAGS:
                self.inline(child, last, phrasing=False)
            else:
                carried.append(child)  # a page break before the next item: starts that item
        self.leftovers(carried, parent)

    def start_with(self, carried: list, element) -> list:
        """Write the page starts (and running lines) met between two rows or items at the start
        of the next one, where the new page begins; returns the emptied list."""
        for waiting in carried:
            self.inline(waiting, element, phrasing=False)
        return []

    def leftovers(self, nodes, parent) -> None:
        """Page starts after the last row or item: written after the list or table."""
        if nodes:
            holder = h(parent, "div", {"class": "pb-block"})
            for node in nodes:
                self.inline(node, holder, phrasing=False)

    def table_block(self, node, parent) -> None:
        head = node.find(T + "head")
        # A wide table scrolls sideways on its own; as a focusable region a keyboard can scroll it.
        wrap = h(parent, "div", {"class": "table-wrap", "role": "region", "tabindex": "0",
                                 "aria-label": (unit_text(head) if head is not None else "") or "Table"})
        table = h(wrap, "table", {"lang": node.get(XML_LANG), "id": self.tei_id(node)})
        if head is not None:
            self.filled(head, table, "caption", None, phrasing=True)
        body = h(table, "tbody")
        width = max([sum(span(c.get("cols")) for c in row.iterfind(T + "cell")) for row in node.iterfind(T + "row")] or [1])
        for child, carried in self.members(node, parent):
            if localname(child) != "row":
                cell = h(h(body, "tr"), "td", {"colspan": str(width) if width > 1 else None})
                self.start_with(carried, cell)
                self.inline(child, cell, phrasing=False)
                continue
            tr = h(body, "tr", {"lang": child.get(XML_LANG)})
            label_row = child.get("role") == "label"
            for index, cell in enumerate(c for c in child if isinstance(c.tag, str) and localname(c) == "cell"):
                attrs = {"lang": cell.get(XML_LANG),
                         "colspan": span(cell.get("cols")) if span(cell.get("cols")) > 1 else None,
                         "rowspan": span(cell.get("rows")) if span(cell.get("rows")) > 1 else None}
                out = h(tr, "th" if label_row or cell.get("role") == "label" else "td", attrs)
                if index == 0:
                    self.start_with(carried, out)
                self.content(cell, out, phrasing=False)

    def bibliography(self, node, parent) -> None:
        wrap = h(parent, "div", {"class": "listbibl", "lang": node.get(XML_LANG), "id": self.tei_id(node)})
        head = node.find(T + "head")
        if head is not None:
            self.filled(head, wrap, "p", {"class": "listbibl-head", "lang": head.get(XML_LANG)}, phrasing=True)
        items = None
        for child, carried in self.members(node, wrap):
            if items is None:
                items = h(wrap, "ul")
            li = h(items, "li", {"class": "bibl", "lang": child.get(XML_LANG), "id": self.tei_id(child)})
            self.start_with(carried, li)
            if localname(child) == "listBibl":
                self.bibliography(child, li)
            else:
                self.content(child, li, phrasing=False)

    def members(self, node, parent):
        """(child, page starts before it) for the element children of a table or bibliography
        but its head; page starts after the last one are written after it, into ``parent``."""
        carried: list = []
        for child in node:
            if not isinstance(child.tag, str) or localname(child) == "head":
                continue
            if localname(child) in PAGE_TAGS:
                carried.append(child)
                continue
            yield child, carried
            carried = []
        self.leftovers(carried, parent)

    # -- notes ------------------------------------------------------------------------------------
    def marker(self, note, target) -> None:
        """The clickable note marker; the note itself is written after the block."""
        html_id = self.tei_id(note) or self.new_id("note")
        label = plain(note.get("n"))
        if not label:
            self.unlabelled += 1
            label = f"[{self.unlabelled}]"
        if self.link_depth:
            self.deferred.append((note, html_id, label))
            return
        self.write_marker(note, html_id, label, target)

    def write_marker(self, note, html_id: str, label: str, target) -> None:
        ref_id = self.new_id(f"ref-{html_id}")
        sup = h(target, "sup", {"class": "noteref-wrap"})
        h(sup, "a", {"class": "noteref", "id": ref_id, "href": f"#{html_id}", "role": "doc-noteref",
                     "aria-label": f"Note {label}"}, label)
        waiting = PendingNote(note, html_id, label, ref_id)
        (self.pending if self.pending is not None else self.stray).append(waiting)

    def write_notes(self, container, pending: list[PendingNote]) -> None:
        saved, self.pending = self.pending, pending
        index = 0
        while index < len(pending):  # a note may hold notes: they join the same list
            self.note(pending[index], container)
            index += 1
        self.pending = saved

    def note(self, waiting: PendingNote, container) -> None:
        note = waiting.note
        self.summary.notes += 1
        aside = h(container, "aside", {"class": "note", "id": waiting.html_id, "role": "doc-footnote",
                                       "tabindex": "-1", "aria-label": f"Note {waiting.label}",
                                       "lang": note.get(XML_LANG)})
        if waiting.ref_id:
            h(aside, "a", {"class": "backlink", "href": f"#{waiting.ref_id}", "role": "doc-backlink",
                           "aria-label": f"Back to the text at note {waiting.label}"}, waiting.label)
        else:
            h(aside, "span", {"class": "note-label"}, waiting.label)
        body = h(aside, "div", {"class": "note-body"})
        self.content(note, body, phrasing=False)

    def unanchored(self, div, parent, level: int) -> None:
        """Footnotes whose marker was not found: listed as notes, without a back-link."""
        section = h(parent, "section", {"class": "div div-unanchored", "lang": div.get(XML_LANG), "id": self.tei_id(div)})
        head = div.find(T + "head")
        title = unit_text(head) if head is not None else "Notes without a marker in the text"
        target = self.new_id("unanchored-notes")
        self.toc_stack[-1].append(TocEntry(None, title, target))
        section.set("aria-labelledby", target)
        self.summary.headings += 1
        heading = h(section, f"h{min(level, DEEPEST_HEADING)}", {"id": target, "lang": head.get(XML_LANG) if head is not None else "en"})
        if head is not None:
            self.content(head, heading, phrasing=True)
        else:
            heading.text = title
        h(section, "p", {"class": "muted ui", "lang": "en"},
          "These notes are in the PDF, but their markers were not found in the text.")
        notes = h(section, "div", {"class": "notes notes-list"})
        pending: list[PendingNote] = []
        for child in div:
            if not isinstance(child.tag, str) or child is head:
                continue
            if localname(child) == "note":
                loose = [child]
            elif not plain(child.text) and all(localname(c) == "note" and not plain(c.tail) for c in child):
                loose = list(child)  # a paragraph that only holds the notes
            else:
                self.block(child, section, level + 1)
                continue
            for note in loose:
                label = plain(note.get("n")) or f"[{len(pending) + 1}]"
                pending.append(PendingNote(note, self.tei_id(note) or self.new_id("note"), label, None))
        self.write_notes(notes, pending)

    def stray_notes(self, main) -> None:
        section = h(main, "section", {"class": "div div-stray ui", "aria-labelledby": "stray-notes", "lang": "en"})
        self.toc.append(TocEntry(None, "Further notes", "stray-notes"))
        h(section, "h2", {"id": "stray-notes"}, "Further notes")
        self.summary.headings += 1
        pending, self.stray = self.stray, []
        self.write_notes(h(section, "div", {"class": "notes notes-list"}), pending)

    def glossary_section(self, main) -> None:
        target = self.new_id("glossary")
        section = h(main, "section", {"class": "div div-glossary ui", "aria-labelledby": target, "lang": "en"})
        h(section, "h2", {"id": target}, "Glossary")
        self.toc.append(TocEntry(None, "Glossary", target))
        self.summary.headings += 1
        if self.glossary_label:
            h(section, "p", {"class": "muted"}, f"Terms forced into the translations, from the glossary {self.glossary_label}.")
        dl = h(section, "dl", {"class": "glossary"})
        for entry in sorted(self.glossary.values(), key=lambda e: e.term.lower()):
            h(dl, "dt", {"id": entry.xml_id, "lang": entry.term_lang}, entry.term)
            self.used_ids.add(entry.xml_id)
            dd = h(dl, "dd")
            for index, (lang, text) in enumerate(entry.glosses):
                if index:
                    add_text(dd, " · ")
                h(dd, "span", {"class": "gloss-lang"}, lang)
                add_text(dd, " ")
                h(dd, "span", {"lang": lang or None}, text)

    # -- inline content ------------------------------------------------------------------------------
    def filled(self, node, parent, tag: str, attrs: dict | None, phrasing: bool):
        """A new HTML element holding the content of the TEI ``node``."""
        element = h(parent, tag, attrs)
        self.content(node, element, phrasing)
        return element

    def content(self, node, target, phrasing: bool) -> None:
        """The mixed content of a TEI element (text, children, their tails) into ``target``."""
        add_text(target, node.text)
        for child in node:
            if isinstance(child.tag, str):
                self.inline(child, target, phrasing)
            add_text(target, child.tail)

    def inline(self, node, target, phrasing: bool) -> None:
        name = localname(node)
        lang = node.get(XML_LANG)
        if name == "note":
            if is_translation(node):
                self.translation(node, target, block=False)
            else:
                self.marker(node, target)
        elif name == "title":
            if is_translation(node):
                self.translation(node, target, block=False)
            else:
                self.filled(node, target, "cite", {"class": "title", "lang": lang, "id": self.tei_id(node)}, phrasing=True)
        elif name == "ref":
            self.link(node, target)
        elif name == "term":
            self.term(node, target)
        elif name == "hi":
            rends = (node.get("rend") or "").split()
            tag = next((HI_TAGS[r] for r in rends if r in HI_TAGS), "span")
            self.filled(node, target, tag, {"class": "hi" if tag == "span" else None, "lang": lang}, phrasing=True)
        elif name == "pb":
            self.page_break(node, target)
        elif name == "fw":
            self.running(node, target, block=False)
        elif name == "lb":
            h(target, "br")
        elif name in ("cb", "milestone", "anchor"):
            if node.get(XML_ID):
                h(target, "span", {"id": self.tei_id(node)})
        elif name == "gap":
            h(target, "span", {"class": "gap", "title": node.get("reason")}, "[…]")
        elif name == "date":
            when = node.get("when")
            if when and DATE_VALUE.match(when):
                self.filled(node, target, "time", {"datetime": when, "lang": lang}, phrasing=True)
            else:
                self.filled(node, target, "span", {"class": "date", "lang": lang}, phrasing=True)
        elif name == "choice":
            options = {localname(c): c for c in node if isinstance(c.tag, str)}
            chosen = next((options[o] for o in CHOICE_ORDER if o in options), None)
            if chosen is not None:
                self.inline(chosen, target, phrasing)
        elif name in INLINE_TAGS:
            self.filled(node, target, INLINE_TAGS[name], {"class": name, "lang": lang}, phrasing=True)
        elif name in ("p", "ab", "list", "table", "listBibl", "quote", "lg", "figure", "l") and not phrasing:
            self.block_element(node, target, 3)
        elif name in BLOCK_ELEMENTS or name in ("l", "head"):
            # Block content where HTML allows only phrasing: a block-displayed span.
            self.filled(node, target, "span", {"class": f"block tei-{name}", "lang": lang}, phrasing=True)
        else:
            self.filled(node, target, "span", {"class": re.sub(r"[^A-Za-z0-9_-]", "", name), "lang": lang,
                                               "id": self.tei_id(node)}, phrasing=True)

    def link(self, node, target) -> None:
        href = safe_href(node.get("target"))
        if href is None or self.link_depth:
            self.filled(node, target, "span", {"class": "ref", "lang": node.get(XML_LANG)}, phrasing=True)
            return
        shown = unit_text(node)
        a = h(target, "a", {"class": "ref", "href": href, "lang": node.get(XML_LANG),
                            "data-url": href if not href.startswith("#") and shown not in (href, href.split("//", 1)[-1]) else None})
        self.inside_link(node, a, target)

    def inside_link(self, node, a, target) -> None:
        """Content of a link; note markers met inside it are written right after it."""
        self.link_depth += 1
        try:
            self.content(node, a, phrasing=True)
        finally:
            self.link_depth -= 1
        if not self.link_depth and self.deferred:
            deferred, self.deferred = self.deferred, []
            for note, html_id, label in deferred:
                self.write_marker(note, html_id, label, target)

    def term(self, node, target) -> None:
        self.summary.terms += 1
        xml_id = (node.get("ref") or "").lstrip("#")
        entry = self.glossary.get(xml_id)
        attrs = {"class": "term", "lang": node.get(XML_LANG), "title": entry.tip if entry else None}
        if entry is None or self.link_depth:
            self.filled(node, target, "span", attrs, phrasing=True)
            return
        attrs["href"] = f"#{xml_id}"
        self.inside_link(node, h(target, "a", attrs), target)

    def translation(self, node, target, block: bool) -> None:
        """A translation beside its original: marked, with its provenance on hover or focus."""
        self.summary.translations += 1
        lang = translation_lang(node) or node.get(XML_LANG)
        cert = node.get("cert")
        glossary_only = is_glossary_only(node)
        kind = "tr tr-block" if block else "tr"
        attrs = {"class": kind + (" tr-glossary-only" if glossary_only else ""),
                 # glossary-only text is still in the original's language; its terms carry their own
                 "lang": node.get(XML_LANG) if glossary_only else lang, "data-cert": cert,
                 "data-target-lang": lang if glossary_only else None,
                 "title": self.provenance_of(node.get("resp")).tip(primary(lang), cert, glossary_only)}
        if not self.link_depth:
            attrs["tabindex"] = "0"
        if block:
            element = h(target, "div", attrs)
            inner = h(element, "p")
        else:
            element = inner = h(target, "span", attrs)
        label = (lang or "?").upper() + (" · glossary terms only" if glossary_only else "")
        h(inner, "span", {"class": "tr-lang"}, label)
        add_text(inner, " ")
        if localname(node) == "title":
            inner = h(inner, "cite", {"class": "title"})
        self.content(node, inner, phrasing=True)

    def page_break(self, node, target) -> None:
        """A page start: a small page number in the margin, the running lines in its tooltip."""
        n = plain(node.get("n")) or "?"
        self.summary.pages += 1
        running, between, sibling = [], node.tail, node.getnext()
        while sibling is not None and localname(sibling) == "fw" and not plain(between):
            running.append(sibling)
            between, sibling = sibling.tail, sibling.getnext()
        printed = next((unit_text(fw) for fw in running if fw.get("type") == "pageNum"), None)
        tip = [f"Start of page {n} of the PDF"]
        if printed and printed != n:
            tip.append(f"printed page number: {printed}")
        tip += [f"{RUNNING_LABELS.get(fw.get('type') or '', 'running text')}: {unit_text(fw)}"
                for fw in running if fw.get("type") != "pageNum" and unit_text(fw)]
        span = h(target, "span", {"class": "pb", "id": self.new_id(f"page-{n}"), "role": "doc-pagebreak",
                                  "aria-label": f"Page {n}", "title": "\n".join(tip), "data-page": n})
        h(span, "span", {"class": "pb-n", "aria-hidden": "true"}, f"p. {n}")
        if printed and printed != n:
            h(span, "span", {"class": "pb-printed", "aria-hidden": "true"}, f"({printed})")

    def running(self, node, target, block: bool) -> None:
        self.summary.running += 1
        kind = node.get("type") or "fw"
        self.filled(node, target, "div" if block else "span", {
            "class": f"fw fw-{re.sub(r'[^A-Za-z0-9_-]', '', kind)}", "lang": node.get(XML_LANG),
            "data-label": RUNNING_LABELS.get(kind, "running text"),
        }, phrasing=True)


def span(value: str | None) -> int:
    """A table cell's @cols or @rows as a number (1 when absent or not a positive number)."""
    return int(value) if value and value.isdigit() and int(value) > 0 else 1


def slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")[:48] or "section"


def tei_to_html(tree) -> bytes:
    """The reading view of a parsed TEI tree (or its root) as a complete HTML5 document."""
    return ReadingView(tree).html()


def read_tei(source: str | os.PathLike | bytes):
    """Parse a TEI file (a path, or the bytes of one) safely; a clear error if it is not TEI."""
    name = "stdin" if isinstance(source, bytes) else str(source)
    try:
        if isinstance(source, bytes):
            tree = etree.ElementTree(etree.fromstring(source, safe_xml_parser()))
        else:
            path = Path(source)
            if path.is_dir():
                raise InputError(f"{name}: is a folder, not a TEI file")
            if not path.is_file():
                raise InputError(f"{name}: no such file")
            tree = etree.parse(str(path), safe_xml_parser())
    except etree.XMLSyntaxError as error:
        raise InputError(f"{name}: not well-formed XML ({error})") from None
    except OSError as error:
        raise InputError(f"{name}: cannot read ({error.strerror or error})") from None
    root = tree.getroot()
    if root is None or root.tag != T + "TEI":
        shown = etree.QName(root).localname if root is not None and isinstance(root.tag, str) else "none"
        raise InputError(f"{name}: not a TEI document (root element <{shown}>, expected <TEI> in the TEI namespace)")
    if root.find(T + "text") is None:
        raise InputError(f"{name}: TEI document without a <text>")
    return tree


def view_file(source: str | os.PathLike | bytes, target: str | os.PathLike | None) -> ViewSummary:
    """Write the reading view of a TEI file to ``target`` (atomically; None: stdout)."""
    view = ReadingView(read_tei(source))
    data = view.html()
    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomic(data, target)
    return view.summary
