"""The TEI writer's own guarantees, on hand-built documents."""

from __future__ import annotations

from lxml import etree

from toolkit.document import Document, Footnote, NoteAnchor, Paragraph, SourceInfo, Span, Text
from toolkit.tei import T, document_to_tei, validate_tei


def one_note_document(note_content) -> Document:
    doc = Document(source=SourceInfo("report.pdf", "0" * 64, 1, 100), title="Rapport")
    doc.footnotes["fn1"] = Footnote(1, note_content, pages=[1], anchored=True)
    doc.blocks = [Paragraph([Text("Tekst."), NoteAnchor("fn1"), Text(" Meer tekst.")])]
    return doc


def test_a_link_over_a_whole_citation_stays_valid():
    """A link annotation that covers title, '(RU)' and pages: <ref> may not hold <textLang>."""
    content = [
        Span("bibl", [
            Text("Kommersant, "),
            Span("ref", [
                Span("title", [Text("Boetes fors verhoogd")], {"level": "a"}),
                Text(" "),
                Span("textLang", [Text("(RU)")], {"mainLang": "ru"}),
                Text(", "),
                Span("citedRange", [Text("p. 3")], {"unit": "page"}),
            ], {"target": "https://www.kommersant.ru/doc/1"}),
        ]),
        Text("."),
    ]
    tree = document_to_tei(one_note_document(content))
    assert validate_tei(tree) == []
    note = tree.getroot().find(f".//{T}text//{T}note")
    assert "".join(note.itertext()) == "Kommersant, Boetes fors verhoogd (RU), p. 3."
    # The documented elements, not typed <seg>s: the link is cut around them and each holds
    # its own piece of it, so every character of the citation is still linked.
    assert not list(note.iter(T + "seg"))
    bibl = note.find(f"{T}bibl")
    assert bibl.find(f"{T}textLang").get("mainLang") == "ru"
    assert bibl.find(f"{T}citedRange").get("unit") == "page"
    assert bibl.find(f"{T}ref/{T}title") is not None
    linked = "".join("".join(r.itertext()) for r in bibl.iter(T + "ref"))
    assert linked == "Boetes fors verhoogd (RU), p. 3"
    assert {r.get("target") for r in bibl.iter(T + "ref")} == {"https://www.kommersant.ru/doc/1"}
    assert [e.tag for e in bibl.find(f"{T}textLang")] == [T + "ref"]


def test_control_characters_and_surrogates_never_reach_the_xml():
    doc = one_note_document([Text("Bron\x07 met \ud800 rommel\x0b.")])
    xml = etree.tostring(document_to_tei(doc), encoding="unicode")
    assert "Bron met  rommel." in xml
    assert validate_tei(document_to_tei(doc)) == []
