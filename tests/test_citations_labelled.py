"""Citation parsing measured on hand-labelled invented notes (tests/data/citations_labelled.txt).

The development parts are what the parser was tuned on; the held-out parts were only ever
scored. ``python tests/citation_eval.py`` prints the figures of every part.
"""

from __future__ import annotations

import pytest

from citation_eval import PARTS, load, score
from toolkit.document import Document, Footnote, NoteAnchor, Paragraph, SourceInfo, Span, Text
from toolkit.enrich.citations import parse_note
from toolkit.tei import T, document_to_tei, validate_tei

NOTES = load()
# The targets: what an archivist can rely on, on notes the parser was not tuned on.
F1, TITLES, DATES = 0.95, 0.93, 0.95


def test_the_labelled_set():
    assert len(NOTES) >= 150
    assert {n.part for n in NOTES} == set(PARTS)
    assert sum(len(n.citations) for n in NOTES if n.part.startswith("heldout")) >= 150
    for note in NOTES:  # the labels stand on the note's own characters
        for citation in note.citations:
            assert note.text[citation.start : citation.end].strip() == note.text[citation.start : citation.end]
            for found in (citation.title, citation.source, citation.date, citation.access):
                assert found is None or citation.start <= found.start < found.end <= citation.end


@pytest.mark.parametrize("part", PARTS)
def test_citation_scores_reach_the_targets(part):
    scores = score([n for n in NOTES if n.part == part], parse_note)
    assert scores.f1 >= F1, scores.line(part)
    assert scores.share(scores.titles_right, scores.titles) >= TITLES, scores.line(part)
    assert scores.share(scores.dates_right, scores.dates) >= DATES, scores.line(part)


def test_the_scores_measure_something():
    """A parser that finds nothing, or joins every note into one citation, scores low."""
    nothing = score(NOTES, lambda content: content)
    assert nothing.f1 == 0 and nothing.titles_right == 0

    def one_bibl(content):
        return [Span("bibl", list(content))]

    joined = score(NOTES, one_bibl)
    assert joined.f1 < 0.8


@pytest.mark.parametrize(
    "ident, kind",
    [("h013", "two citations joined by a comma"), ("h002", "an English date with a comma"),
     ("h004", "a date with 'met update'"), ("h005", "a series"), ("h006", "a UN document symbol"),
     ("h024", "an author and a journal"), ("h012", "a link that starts in prose"),
     ("h010", "a bare URL with its access date"), ("h011", "an access date without a title")],
)
def test_each_kind_of_the_held_out_notes(ident, kind):
    [note] = [n for n in NOTES if n.ident == ident]
    result = score([note], parse_note)
    assert (result.matched, result.titles_right, result.dates_right) == (result.gold, result.titles, result.dates), (kind, result.failures)


def test_a_link_over_a_citation_keeps_textlang_in_the_tei():
    """"(RU)" inside a link that covers title and date is the documented textLang, not a seg."""
    link = Span("ref", [Text("Как работает реестр (RU), 3 mei 2024")], {"target": "https://meduza.example/r"})
    doc = Document(source=SourceInfo("r.pdf", "0" * 64, 1, 10), title="R")
    doc.footnotes["fn1"] = Footnote(1, parse_note([Text("Meduza, "), link, Text(".")]), anchored=True)
    doc.blocks = [Paragraph([Text("Tekst."), NoteAnchor("fn1")])]
    tree = document_to_tei(doc)
    assert validate_tei(tree) == []
    bibl = tree.getroot().find(f".//{T}note/{T}bibl")
    assert bibl.find(f"{T}textLang").get("mainLang") == "ru"
    assert bibl.find(f".//{T}date").get("when") == "2024-05-03"
    assert not list(bibl.iter(T + "seg"))
