"""The reading view (``coitool view``): notes, contents, translations, languages, pages, valid HTML5.

Two inputs: a generated report, extracted and translated (copy models, two languages),
and a hand-built TEI in the shape the extraction is moving to: running headers as
``<fw>`` after ``<pb/>``, printed note labels that are not numbers, note ids that are
not ``fn`` + label, and notes without a marker in ``<back>``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import html5lib
import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.tei import T, XML_ID, XML_LANG
from toolkit.tei.translation import is_translation, localname, unit_text
from toolkit.view import tei_to_html
from toolkit.view.writer import read_tei

HAND_BUILT_TEI = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>Thematisch ambtsbericht Testland</title>
        <respStmt xml:id="coitool-mt">
          <resp>Machine translation of Russian fragments</resp>
          <name type="engine">argostranslate 1.12.1; CTranslate2 4.8.5</name>
          <name type="model">translate-ru_en-1_0 (ru-en, version 1.0)</name>
          <name type="glossary">test-asylum 3 (sha256:0123abcd)</name>
        </respStmt>
      </titleStmt>
      <publicationStmt><publisher>Ministerie van Buitenlandse Zaken</publisher></publicationStmt>
      <sourceDesc><bibl><title>Thematisch ambtsbericht Testland</title><idno type="filename">testland.pdf</idno>
        <extent><measure unit="pages" quantity="5">5 pages</measure></extent></bibl></sourceDesc>
    </fileDesc>
    <encodingDesc>
      <appInfo><application ident="coitool" version="0.1.0"><label>coitool</label></application></appInfo>
      <classDecl><taxonomy xml:id="coitool-glossary"><bibl><title>test-asylum</title><edition>3</edition></bibl>
        <category xml:id="gloss-povestka"><catDesc><term xml:lang="ru">повестка</term> — <gloss xml:lang="en">summons</gloss> · <gloss xml:lang="nl">oproep</gloss></catDesc></category>
      </taxonomy></classDecl>
    </encodingDesc>
    <profileDesc><langUsage><language ident="nl" usage="80">Nederlands</language><language ident="ru" usage="15">Русский</language><language ident="en" usage="5">English</language></langUsage></profileDesc>
    <revisionDesc><change when="2025-03-01">Extracted from testland.pdf by coitool 0.1.0.</change></revisionDesc>
  </teiHeader>
  <text xml:lang="nl">
    <front><div type="titlePage"><pb n="1"/><p rend="title">Thematisch ambtsbericht Testland</p></div></front>
    <body>
      <pb n="2"/><fw type="header">Thematisch ambtsbericht Testland | maart 2025</fw>
      <div type="chapter" n="1">
        <head>Militaire dienst<note place="foot" n="*" xml:id="fn-star">Dit hoofdstuk vervangt hoofdstuk 2 van het vorige bericht.</note></head>
        <p>De dienstplicht duurt twaalf maanden.<note place="foot" n="1" xml:id="fn1-1">Wet op de militaire plicht, art. 3.</note> Wie niet
          verschijnt, riskeert een boete<note place="foot" n="2" xml:id="fn1-2">Zie <ref target="https://example.org/boetes">het overzicht van boetes</ref>.</note>
          van 30.000 roebel. Het register<pb n="3"/><fw type="header">Thematisch ambtsbericht Testland | maart 2025</fw><fw type="pageNum">1</fw>
          bevat persoonsgegevens van 25 m<hi rend="superscript">2</hi> grote kantoren.</p>
        <p>Volgens <ref target="https://meduza.io/feature/2024/x">een overzicht van Meduza<note place="foot" n="a" xml:id="fn-a">Meduza, <title level="a" xml:lang="ru">Военкомат разослал повестки</title><title type="translated" xml:lang="en" resp="#coitool-mt" cert="medium">Enlistment office sent <term ref="#gloss-povestka">summons</term></title>, 12 maart 2024.</note> uit 2024</ref>
          kwamen veel oproepen per post. Een <ref target="javascript:alert(1)">verdachte link</ref> blijft tekst.</p>
        <p xml:lang="ru">Повестка считается врученной через Госуслуги.</p>
        <note type="translation" xml:lang="en" resp="#coitool-mt" cert="medium">The <term ref="#gloss-povestka">summons</term> is deemed served through Gosuslugi.</note>
        <div type="section" n="1.1">
          <head>Strafbepalingen</head>
          <list type="ordered">
            <label>1)</label><item>Artikel 328: ontduiking van de dienstplicht.<note place="foot" n="†" xml:id="fn-dagger">Vertrouwelijke bron d.d. 3 maart 2024.</note></item>
            <pb n="4"/>
            <label>2)</label><item>Artikel 337: eigenmachtig verlaten van een eenheid.</item>
          </list>
          <table>
            <row role="label"><cell>Jaar</cell><cell>Zaken</cell></row>
            <row><cell>2023</cell><cell>3.200<note place="foot" n="3" xml:id="fn1-3">Mediazona, dashboard.</note></cell></row>
            <pb n="5"/><fw type="footer">Pagina 5 van 5</fw>
            <row><cell>2024</cell><cell>7.300</cell></row>
          </table>
          <div type="subsection">
            <head>Gevolgen</head>
            <p>Het nummer begint opnieuw.<note place="foot" n="1" xml:id="fn3-1">Tweede reeks, noot 1.</note></p>
          </div>
        </div>
      </div>
      <div type="chapter" n="2">
        <head>Bijlagen</head>
        <listBibl><head>Meduza</head><bibl><title level="a" xml:lang="ru">Военкомат разослал повестки</title>, 12 maart 2024</bibl></listBibl>
        <list type="gloss"><label>FSB</label><item xml:lang="en">Federal Security Service</item></list>
      </div>
    </body>
    <back>
      <div type="unanchoredNotes">
        <head>Footnotes without a marker in the text</head>
        <p><note place="foot" n="7" xml:id="fn7">Een voetnoot zonder verwijzing.</note><note place="foot" n="‡" xml:id="fn-ddagger">Nog een.</note></p>
      </div>
    </back>
  </text>
</TEI>
"""

pytestmark = pytest.mark.usefixtures("no_network")


# -- inputs -----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def translated_report(base: Path, packages: tuple) -> Path:
    """A generated report extracted with languages and citations, translated into en (all-ru) and nl."""
    from toolkit.extract.pipeline import extract
    from toolkit.sample.generator import build_report
    from toolkit.tei import document_to_tei, serialize
    from toolkit.translate.packages import install_package
    from toolkit.translate.pipeline import translate_tei

    folder = base / "view-report"
    folder.mkdir(exist_ok=True)
    build_report(folder / "report.pdf")
    (folder / "report.tei.xml").write_bytes(serialize(document_to_tei(extract(folder / "report.pdf"))))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COITOOL_MODELS_DIR", str(folder / "models"))
        env.setenv("COITOOL_MT_THREADS", "1")
        for archive in packages:
            install_package(Path(archive), folder / "models")
        translate_tei(folder / "report.tei.xml", folder / "report.en.tei.xml", "en", what="all-ru", disk_cache=False)
        translate_tei(folder / "report.en.tei.xml", folder / "report.en.nl.tei.xml", "nl", disk_cache=False)
    return folder / "report.en.nl.tei.xml"


def hand_built(folder: Path) -> Path:
    path = folder / "testland.tei.xml"
    path.write_text(HAND_BUILT_TEI, encoding="utf-8")
    return path


def parse_html(data: bytes):
    """(lxml tree of the page, html5lib's parse errors)."""
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("lxml"), namespaceHTMLElements=False)
    document = parser.parse(data)
    return document, parser.errors


@pytest.fixture(scope="session")
def report_tei(tmp_path_factory, argos_packages):
    return translated_report(tmp_path_factory.getbasetemp(), tuple(str(p) for p in argos_packages.values()))


@pytest.fixture(scope="module", params=["generated", "hand-built"])
def case(request, tmp_path_factory):
    """(TEI root, HTML tree, HTML bytes) for each input."""
    if request.param == "generated":
        path = request.getfixturevalue("report_tei")
    else:
        path = hand_built(tmp_path_factory.mktemp("hand-built"))
    tei = read_tei(path).getroot()
    data = tei_to_html(tei)
    page, errors = parse_html(data)
    assert errors == [], errors[:5]
    return tei, page, data


def tei_notes(tei):
    text = tei.find(T + "text")
    return [n for n in text.iter(T + "note") if not is_translation(n)]


def html_text(node, skip=("noteref-wrap", "pb-n", "pb-printed", "tr", "fw")) -> str:
    """The visible reading text of an HTML element, without the parts the view adds."""
    parts: list[str] = []

    def walk(element) -> None:
        classes = set((element.get("class") or "").split())
        if classes & set(skip):
            if element.tail:
                parts.append(element.tail)
            return
        if element.tag == "br":
            parts.append(" ")
        if element.text:
            parts.append(element.text)
        for child in element:
            if isinstance(child.tag, str):
                walk(child)
            elif child.tail:
                parts.append(child.tail)
        if element.tail:
            parts.append(element.tail)

    if node.text:
        parts.append(node.text)
    for child in node:
        if isinstance(child.tag, str):
            walk(child)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def by_id(page, value):
    found = page.xpath("//*[@id=$v]", v=value)
    assert len(found) == 1, f"id {value!r}: {len(found)} elements"
    return found[0]


def classed(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# -- the page -----------------------------------------------------------------------------------


def test_page_is_one_self_contained_html5_file(case):
    tei, page, data = case
    assert data.startswith(b"<!DOCTYPE html>")
    root = page.getroot()
    assert root.get("lang") == tei.find(T + "text").get(XML_LANG)
    assert root.xpath("//*[@src] | //link | //iframe | //object | //embed | //base") == []
    policy = root.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in policy
    for tag, directive in (("style", "style-src"), ("script", "script-src")):
        (element,) = root.xpath(f"//{tag}")
        digest = base64.b64encode(hashlib.sha256(element.text.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in policy
    for href in root.xpath("//@href"):
        assert href.startswith(("#", "https://", "http://", "mailto:")), href
    internal = {h[1:] for h in root.xpath("//@href") if h.startswith("#")}
    ids = Counter(root.xpath("//@id"))
    assert [i for i, count in ids.items() if count > 1] == []
    assert sorted(internal - set(ids)) == []
    # landmarks, and the interface in English inside a page in the report's language
    for landmark in ("header", "nav", "main", "footer"):
        assert len(root.xpath(f"//body/{landmark} | //body/div/{landmark}")) == 1, landmark
    assert root.xpath("//nav/@lang") == ["en"]


def test_nothing_of_the_text_is_lost(case):
    """Every word of the TEI text (notes, translations and running lines included) is on the page."""
    tei, page, _ = case

    def words(node) -> Counter:
        return Counter(w for piece in node.itertext() for w in re.findall(r"\w+", piece))

    shown = words(page.getroot().xpath("//main")[0])
    missing = {w: n - shown[w] for w, n in words(tei.find(T + "text")).items() if shown[w] < n}
    assert missing == {}


def test_every_note_is_reachable_and_links_back(case):
    tei, page, _ = case
    root = page.getroot()
    notes = tei_notes(tei)
    assert len(root.xpath(f"//aside[{classed('note')}]")) == len(notes)
    for note in notes:
        label = note.get("n")
        aside = by_id(root, note.get(XML_ID))
        assert aside.tag == "aside" and aside.get("role") == "doc-footnote" and aside.get("tabindex") == "-1"
        assert unit_text(note) in html_text(aside.xpath(f".//*[{classed('note-body')}]")[0])
        anchored = note.xpath("ancestor::t:div[@type='unanchoredNotes']", namespaces={"t": T[1:-1]}) == []
        if not anchored:
            assert aside.xpath(f".//*[{classed('backlink')}]") == []
            assert aside.xpath(f".//*[{classed('note-label')}]/text()") == [label]
            continue
        (marker,) = root.xpath("//a[@href=$h]", h=f"#{note.get(XML_ID)}")
        assert marker.text == label and marker.get("role") == "doc-noteref"
        (back,) = aside.xpath(f".//a[{classed('backlink')}]")
        assert back.text == label and back.get("href") == f"#{marker.get('id')}"
        assert marker.xpath("ancestor::a") == [], "a marker inside a link cannot be clicked"
        # beside or below the block, never inside the sentence
        block = marker.xpath("ancestor::*[self::p or self::li or self::td or self::h2 or self::h3 or self::h4][1]")[0]
        assert aside not in block.iter()


def test_paragraph_text_is_not_interrupted_by_notes(case):
    """A paragraph reads as printed: the note markers' labels are all that the notes leave in it."""
    tei, page, _ = case
    root = page.getroot()
    paragraphs = [p for p in tei.find(T + "text").iter(T + "p") if p.xpath("ancestor::t:note", namespaces={"t": T[1:-1]}) == []
                  and p.find(f".//{T}note") is not None and not p.xpath("ancestor::t:div[@type='unanchoredNotes']", namespaces={"t": T[1:-1]})]
    assert paragraphs
    html_paragraphs = {html_text(p) for p in root.xpath("//main//p")}
    for p in paragraphs:
        assert unit_text(p) in html_paragraphs


def test_every_heading_is_in_the_contents_with_its_number(case):
    tei, page, _ = case
    root = page.getroot()
    ns = {"t": T[1:-1]}

    def tei_tree(parent):
        out = []
        for div in parent.iterfind(T + "div"):
            head = div.find(T + "head")
            children = tei_tree(div)
            if head is not None:
                out.append((div.get("n"), unit_text(head), children))
            else:
                out.extend(children)
        return out

    def toc_tree(ol):
        out = []
        for li in ol.iterfind("li"):
            a = li.find("a")
            number = a.xpath(f"string(span[{classed('toc-num')}])") or None
            nested = li.find("ol")
            out.append((number, a.xpath(f"string(span[{classed('toc-title')}])"), toc_tree(nested) if nested is not None else []))
        return out

    expected = []
    for part in ("front", "body", "back"):
        node = tei.find(f"{T}text/{T}{part}")
        if node is not None:
            expected += tei_tree(node)
    if tei.find(f".//{T}taxonomy/{T}category") is not None:
        expected.append((None, "Glossary", []))
    (toc,) = root.xpath("//nav/details/ol")
    assert toc_tree(toc) == expected
    # every heading of the text is linked from the contents, and shows its number
    linked = {a.get("href")[1:] for a in root.xpath("//nav//a")}
    headings = root.xpath("//main//*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6]")
    assert len(headings) == len(linked) == len(tei.xpath("//t:text//t:div[t:head]", namespaces=ns)) + int(bool(
        tei.find(f".//{T}taxonomy/{T}category") is not None))
    for heading in headings:
        assert heading.get("id") in linked
    for div in tei.xpath("//t:text//t:div[@n][t:head]", namespaces=ns):
        (heading,) = [h for h in headings if h.xpath(f"string(span[{classed('secnum')}])") == div.get("n")]
        depth = len(div.xpath("ancestor::t:div", namespaces=ns))
        assert heading.tag == f"h{min(depth + 2, 6)}"


def test_translations_stand_beside_their_originals_with_provenance(case):
    tei, page, _ = case
    root = page.getroot()
    translations = [n for n in tei.find(T + "text").iter() if isinstance(n.tag, str) and is_translation(n)]
    assert translations
    shown = root.xpath(f"//main//*[{classed('tr')}]")
    assert len(shown) == len(translations)
    for node, element in zip(translations, shown):
        lang = node.get(XML_LANG)
        assert element.get("lang") == lang
        assert html_text(element, skip=("tr-lang",)) == unit_text(node)
        assert element.xpath(f"string(.//*[{classed('tr-lang')}])") == lang.upper()
        tip = element.get("title")
        assert f"certainty: {node.get('cert')}" in tip and "Engine: argostranslate" in tip and "Glossary: " in tip
        assert "Model: " in tip
        # the original right before: a Russian title inline, a Russian block in the same row
        original = node.getprevious()
        while original is not None and is_translation(original):
            original = original.getprevious()
        if "tr-block" in element.get("class"):
            (pair,) = element.xpath(f"ancestor::div[{classed('parallel')}][1]")
            assert html_text(pair[0]) == unit_text(original) and pair[0].get("lang") == original.get(XML_LANG)
        else:
            before = element.getprevious()
            while before is not None and "tr" in (before.get("class") or "").split():
                before = before.getprevious()
            assert html_text(before) == unit_text(original)
            assert original.get(XML_LANG) == "ru" == before.get("lang")
            assert before.tag == ("cite" if localname(original) == "title" else "span")


def test_model_line_names_the_route_into_each_language(case):
    tei, page, _ = case
    for element in page.getroot().xpath(f"//main//*[{classed('tr')}]"):
        models = [line for line in element.get("title").splitlines() if line.startswith("Model: ")]
        pairs = {re.search(r"\((\w+-\w+)", m).group(1) for m in models if "(" in m}
        lang = element.get("lang")
        if tei.xpath("//t:name[@type='model'][contains(., 'en-nl')]", namespaces={"t": T[1:-1]}) and lang == "nl":
            assert pairs == {"ru-en", "en-nl"}
        elif lang == "en":
            assert pairs == {"ru-en"}


def test_glossary_terms_are_highlighted_with_their_entry(case):
    tei, page, _ = case
    root = page.getroot()
    terms = list(tei.find(T + "text").iter(T + "term"))
    assert terms
    shown = root.xpath(f"//main//*[{classed('term')}]")
    assert len(shown) == len(terms)
    for term, element in zip(terms, shown):
        ref = term.get("ref")[1:]
        category = tei.xpath("//t:category[@xml:id=$r]", r=ref, namespaces={"t": T[1:-1]})[0]
        russian = category.findtext(f"{T}catDesc/{T}term")
        assert element.get("title").startswith(f"Glossary: {russian} — ")
        if element.tag == "a":
            entry = by_id(root, ref)
            assert element.get("href") == f"#{ref}" and entry.tag == "dt" and entry.text == russian
        else:
            assert element.xpath("ancestor::a"), "a term is a link unless it stands inside one"


def test_languages_are_marked_and_coloured_on_request(case):
    tei, page, data = case
    root = page.getroot()
    text = tei.find(T + "text")
    tagged = Counter(n.get(XML_LANG) for n in text.iter() if isinstance(n.tag, str) and n.get(XML_LANG) and n is not text)
    on_page = Counter(e.get("lang") for e in root.xpath("//main//*[@lang]"))
    for lang, count in tagged.items():
        assert on_page[lang] >= count, lang
    style = root.xpath("//style")[0].text
    main = text.get(XML_LANG)
    others = {primary for primary in tagged if primary != main}
    for lang in others:
        assert re.search(rf':root:has\(#opt-lang:checked\) main \[lang\|="{lang}"\]:not\(.ui\) {{ background-color: #[0-9a-f]{{6}}', style), lang
    assert f'main [lang|="{main}"]:not(.ui) {{ background-color: var(--paper); }}' in style
    legend = root.xpath(f"//ul[{classed('legend')}]/li/@data-lang")
    assert legend[0] == main and set(others) <= set(legend)
    (switch,) = root.xpath("//input[@id='opt-lang']")
    assert switch.get("type") == "checkbox" and switch.get("checked") is None


def test_links_are_clickable_and_unsafe_ones_are_not(case):
    tei, page, _ = case
    root = page.getroot()
    hrefs = Counter(unquote(h) for h in root.xpath(f"//main//a[{classed('ref')}]/@href"))
    for ref in tei.find(T + "text").iter(T + "ref"):
        target = ref.get("target")
        if target.startswith(("http://", "https://")):
            assert hrefs[unquote(target)] > 0, target
    assert root.xpath("//*[contains(@href, 'javascript')]") == []


def test_page_starts_are_margin_numbers(case):
    tei, page, _ = case
    root = page.getroot()
    numbers = [pb.get("n") for pb in tei.find(T + "text").iter(T + "pb")]
    marks = root.xpath(f"//main//span[{classed('pb')}]")
    assert [m.get("data-page") for m in marks] == numbers
    for mark in marks:
        n = mark.get("data-page")
        assert mark.get("role") == "doc-pagebreak" and mark.get("aria-label") == f"Page {n}"
        assert mark.xpath(f"string(span[{classed('pb-n')}])") == f"p. {n}"
        assert mark.get("id").startswith(f"page-{n}")


# -- the coming TEI: running headers, printed labels, ids, unanchored notes -------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = hand_built(tmp_path_factory.mktemp("hand"))
    page, errors = parse_html(tei_to_html(read_tei(path)))
    assert errors == []
    return page.getroot()


def test_printed_labels_and_ids_are_kept(built):
    markers = [(a.text, a.get("href")) for a in built.xpath(f"//a[{classed('noteref')}]")]
    assert markers == [("*", "#fn-star"), ("1", "#fn1-1"), ("2", "#fn1-2"), ("a", "#fn-a"), ("†", "#fn-dagger"),
                       ("3", "#fn1-3"), ("1", "#fn3-1")]
    assert built.xpath("//aside[@id='fn3-1']//a[@role='doc-backlink']/text()") == ["1"]


def test_a_marker_inside_a_link_follows_the_link(built):
    (link,) = built.xpath("//a[@href='https://meduza.io/feature/2024/x']")
    assert "".join(link.itertext()) == "een overzicht van Meduza uit 2024"
    assert link.getnext().tag == "sup" and link.getnext()[0].get("href") == "#fn-a"


def test_running_headers_are_hidden_but_kept(built):
    running = built.xpath(f"//main//*[{classed('fw')}]")
    assert [(r.get("data-label"), "".join(r.itertext())) for r in running] == [
        ("running header", "Thematisch ambtsbericht Testland | maart 2025"),
        ("running header", "Thematisch ambtsbericht Testland | maart 2025"),
        ("printed page number", "1"),
        ("running footer", "Pagina 5 van 5"),
    ]
    style = built.xpath("//style")[0].text
    assert ".fw { display: none; }" in style and ":root:has(#opt-fw:checked) .fw {" in style
    page3 = by_id(built, "page-3")
    assert page3.get("title").splitlines() == [
        "Start of page 3 of the PDF", "printed page number: 1",
        "running header: Thematisch ambtsbericht Testland | maart 2025"]
    assert page3.xpath(f"string(span[{classed('pb-printed')}])") == "(1)"
    assert by_id(built, "page-5").get("title").splitlines()[-1] == "running footer: Pagina 5 van 5"


def test_page_starts_between_rows_and_items_open_the_next_one(built):
    assert by_id(built, "page-4").xpath("ancestor::li[1]/span[@class='label']/text()") == ["2)"]
    assert by_id(built, "page-5").xpath("ancestor::tr[1]/td[1]/text()") == ["2024"]
    assert built.xpath("//table//tr[1]/th/text()") == ["Jaar", "Zaken"]


def test_unanchored_notes_are_listed_without_back_link(built):
    (section,) = built.xpath(f"//section[{classed('div-unanchored')}]")
    notes = section.xpath(f".//aside[{classed('note')}]")
    assert [(n.get("id"), n.xpath(f"string(*[{classed('note-label')}])")) for n in notes] == [("fn7", "7"), ("fn-ddagger", "‡")]
    assert built.xpath("//nav//a[@href='#unanchored-notes']/span[@class='toc-title']/text()") == [
        "Footnotes without a marker in the text"]


def test_a_heading_note_and_a_translated_paragraph(built):
    (unit,) = built.xpath("//h2[@id='sec-1']/parent::div")
    assert "has-notes" in unit.get("class") and unit.xpath(".//aside/@id") == ["fn-star"]
    (pair,) = built.xpath(f"//div[{classed('parallel')}]")
    assert pair[0].tag == "p" and pair[0].get("lang") == "ru"
    assert pair[1].get("lang") == "en" and "tr-block" in pair[1].get("class")
    assert pair[1].xpath(f".//a[{classed('term')}]/@href") == ["#gloss-povestka"]


def test_lists_keep_printed_labels_and_gloss_lists_become_definitions(built):
    assert built.xpath("//ul[contains(@class, 'labelled')]/li/span[@class='label']/text()") == ["1)", "2)"]
    assert built.xpath("//dl[@class='gloss']/dt/text()") == ["FSB"]
    assert built.xpath("//dl[@class='gloss']/dd/@lang") == ["en"]
    assert built.xpath(f"//div[{classed('listbibl')}]/p[@class='listbibl-head']/text()") == ["Meduza"]


def test_settings_are_offered_when_the_file_has_what_they_change(built, small_pdf, tmp_path):
    assert built.xpath("//input[@type='checkbox']/@id") == ["opt-lang", "opt-tr", "opt-notes", "opt-fw"]
    assert run("extract", str(small_pdf), "--format", "html", "-o", str(tmp_path / "plain.html"), "--no-langid").exit_code == 0
    plain, _ = parse_html((tmp_path / "plain.html").read_bytes())
    assert plain.getroot().xpath("//input") == []  # no notes, translations, running lines or second language


def test_superscripts_stay_superscripts(built):
    assert built.xpath("//main//sup[not(@class)]/text()") == ["2"]


# -- the command line -------------------------------------------------------------------------------


def run(*args, **kwargs):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kwargs)


def test_cli_view_writes_beside_the_input_and_leaves_it_alone(tmp_path):
    source = hand_built(tmp_path)
    before = source.read_bytes()
    result = run("view", str(source))
    assert result.exit_code == 0, result.output
    target = tmp_path / "testland.html"
    assert target.is_file() and source.read_bytes() == before
    assert f"-> {target}" in result.output and "7 notes" not in result.output
    assert "9 notes" in result.output
    _, errors = parse_html(target.read_bytes())
    assert errors == []
    other = tmp_path / "sub" / "page.html"
    assert run("view", str(source), "-o", str(other)).exit_code == 0
    assert other.read_bytes() == target.read_bytes()


def test_cli_view_stdin_and_stdout(tmp_path):
    source = hand_built(tmp_path)
    result = run("view", "-", input=source.read_bytes())
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"<!DOCTYPE html>") and b"fn-dagger" in result.stdout_bytes
    result = run("view", str(source), "-o", "-")
    assert result.exit_code == 0 and result.stdout_bytes.startswith(b"<!DOCTYPE html>")
    assert not (tmp_path / "testland.html").exists()


@pytest.mark.parametrize("content, words", [
    (None, ("no such file",)),
    (b"<TEI><text/>", ("not well-formed",)),
    (b"<html><body/></html>", ("not a TEI document", "<html>")),
    (b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/></TEI>', ("without a <text>",)),
    (b'<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&x;</p></body></text></TEI>', ()),
])
def test_cli_view_bad_input_is_one_line_and_writes_nothing(tmp_path, content, words):
    source = tmp_path / "bad.tei.xml"
    if content is not None:
        source.write_bytes(content)
    result = run("view", str(source), "-o", str(tmp_path / "out.html"))
    if not words:  # an external entity is never resolved
        assert result.exit_code == 0 and b"root:x:" not in (tmp_path / "out.html").read_bytes()
        return
    assert result.exit_code == 1
    lines = [l for l in result.output.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in result.output
    for word in words:
        assert word in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == (["bad.tei.xml"] if content is not None else [])


def test_cli_view_unwritable_output_and_folder_input(tmp_path):
    source = hand_built(tmp_path)
    (tmp_path / "taken").mkdir()
    result = run("view", str(source), "-o", str(tmp_path / "taken"))
    assert result.exit_code == 1 and result.output.startswith("Error: ") and len(result.output.strip().splitlines()) == 1
    result = run("view", str(tmp_path))
    assert result.exit_code == 1 and "is a folder" in result.output
    result = run("view", str(source), "-o", str(source))
    assert result.exit_code == 1 and "overwrite the input" in result.output
    assert source.read_text(encoding="utf-8") == HAND_BUILT_TEI


def test_extract_format_html_writes_the_reading_view(small_pdf, tmp_path):
    result = run("extract", str(small_pdf), "--format", "html", "--out-dir", str(tmp_path / "out"), "--no-langid")
    assert result.exit_code == 0, result.output
    page = tmp_path / "out" / "small.html"
    tree, errors = parse_html(page.read_bytes())
    assert errors == []
    assert "Dit is pagina 2 van een klein verslag." in "".join(tree.getroot().xpath("//main")[0].itertext())
    assert [s.get("data-page") for s in tree.getroot().xpath("//main//span[@role='doc-pagebreak']")] == ["1", "2"]
