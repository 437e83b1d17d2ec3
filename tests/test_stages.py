"""Each extraction stage on its own, on layouts built in the test (no PDF, no other stage)."""

from __future__ import annotations

import pytest

from layout_builder import PageBuilder, layout
from toolkit.document import Division, Paragraph, plain_text
from toolkit.extract.blocks import BodyBuilder
from toolkit.extract.footnotes import find_footnotes, label_start
from toolkit.extract.markers import MarkerCandidate, MarkerLinks, link_page, marker_labels, next_label, slots_of
from toolkit.extract.pdf import column_of, columns_between, page_gutters, reading_order
from toolkit.extract.rules import RULES, LayoutRules
from toolkit.extract.running import find_running
from toolkit.extract.stats import measure
from toolkit.extract.structure import build_body
from toolkit.extract.tables import mark_table_rows
from toolkit.extract.textbuild import TextBuilder, Vocabulary

BODY = 10.0
NOTE = 8.0
PITCH = 13.0
WORDS = "de autoriteiten publiceerden in de verslagperiode nauwelijks cijfers over het beleid".split()


def prose(n: int, seed: int = 0) -> str:
    """A line of ordinary running text, different for each seed."""
    words = [WORDS[(seed + k) % len(WORDS)] for k in range(n)]
    return " ".join(words).capitalize()


def body_page(number: int, lines: int = 8, top: float = 100.0, markers: dict[int, str] | None = None) -> PageBuilder:
    """A page of body lines; ``markers`` puts a superscript label at the end of line k."""
    page = PageBuilder(number)
    for k in range(lines):
        text = prose(11, seed=number * 31 + k)
        if markers and k in markers:
            page.line(top + k * PITCH, text, (markers[k], 0.6 * BODY, 0.35 * BODY), size=BODY)
        else:
            page.line(top + k * PITCH, text, size=BODY)
    return page


def notes(page: PageBuilder, entries: list[tuple[str | None, str]], top: float = 700.0) -> None:
    """Note lines from ``top``: (label, text); a None label continues the note above."""
    y = top
    for label, text in entries:
        if label is None:
            page.line(y, text, size=NOTE, x=84.0)
        elif not label:
            page.line(y, text, size=NOTE)
        else:
            page.line(y, (label, 0.6 * NOTE, 0.3 * NOTE), " " + text, size=NOTE)
        y += NOTE * 1.25


# -- stats ------------------------------------------------------------------------------------


def test_measure_takes_the_body_from_the_text_itself():
    page = body_page(1, lines=10)
    notes(page, [("1", "Een bron, 2024.")])
    stats = measure(layout(page.page))
    assert stats.body_size == BODY
    assert stats.line_pitch == pytest.approx(PITCH)
    assert stats.left == pytest.approx(72.0, abs=RULES.edge_step * BODY)
    assert stats.leading == pytest.approx(PITCH / BODY)


def test_rules_validate_themselves():
    assert LayoutRules() == RULES
    with pytest.raises(ValueError, match="same_size is a share"):
        LayoutRules(same_size=1.5)
    with pytest.raises(ValueError, match="running_min_pages is a count"):
        LayoutRules(running_min_pages=0)
    with pytest.raises(ValueError, match="rule_min and rule_max"):
        LayoutRules(rule_min=0.8)


# -- running text -----------------------------------------------------------------------------


def _report_with_running(pages: int = 5) -> list[PageBuilder]:
    built = []
    for n in range(1, pages + 1):
        page = PageBuilder(n)
        page.line(40.0, "Thematisch ambtsbericht Fictiland | 3 maart 2025", size=7.0)
        page.line(49.0, f"Pagina {n} van {pages}", size=7.0)  # right under the header, no gap
        for k in range(8):
            page.line(58.0 + k * PITCH, prose(11, seed=n * 7 + k), size=BODY)  # touching the header
        built.append(page)
    return built


def test_running_header_of_two_lines_touching_the_body():
    pages = _report_with_running()
    doc_layout = layout(*(p.page for p in pages))
    keys, records = find_running(doc_layout, measure(doc_layout))
    assert {(r.page, r.kind) for r in records} == {(n, kind) for n in range(1, 6) for kind in ("header", "pageNum")}
    assert keys == {(n, i) for n in range(1, 6) for i in (0, 1)}  # and no body line


SOURCES = ["Human Rights Council, Report of the Special Rapporteur on the situation", "Memorial, Overzicht van",
           "Amnesty International, Silencing dissent in the northern", "Meduza, Как работают военкоматы в",
           "Novaya Gazeta Europe, Reestr voinskogo ucheta en de", "OVD-Info, Repressie tegen critici van de oorlog in"]


def test_a_citation_repeated_at_the_foot_of_a_few_pages_is_not_a_footer():
    pages = _report_with_running(6)
    for n, page in enumerate(pages, start=1):
        second = "para 35" if n in (2, 4, 5) else {1: "regio's, maart", 3: "gebieden", 6: "noorden, mei"}[n]
        notes(page, [("", f"{n + 3} {SOURCES[n - 1]}"), (None, second)], top=760.0)
    doc_layout = layout(*(p.page for p in pages))
    keys, records = find_running(doc_layout, measure(doc_layout))
    assert {r.kind for r in records} == {"header", "pageNum"}
    assert not any("para" in r.text for r in records)


# -- footnotes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pieces, label, form",
    [
        ((("12", 0.6 * NOTE, 0.3 * NOTE), " Bron, 2024."), "12", "raised"),
        (("37. Bron, 2024.",), "37", "dot"),
        (("37) Bron, 2024.",), "37", "paren"),
        (("[37] Bron, 2024.",), "37", "bracket"),
        (("*", " Bron, 2024."), "*", "plain"),
        (("322Ministerie van Justitie",), "322", "plain"),
    ],
)
def test_label_forms(pieces, label, form):
    page = PageBuilder(1)
    start = label_start(page.line(700.0, *pieces, size=NOTE))
    assert start is not None and (start.label, start.form) == (label, form)


def test_label_in_a_font_of_its_own():
    page = PageBuilder(1)
    line = page.line(700.0, "7", size=NOTE, bold=True)
    from toolkit.extract.layout import TextSpan
    from toolkit.extract.pdf import make_line

    line.spans.append(TextSpan(" Bron, 2024.", "Serif", NOTE, 0, line.x1, line.y0, line.x1 + 6 * NOTE, line.y1, line.baseline))
    start = label_start(make_line(1, line.spans))
    assert start.label == "7" and start.strong


def test_label_followed_by_a_tab_and_alone_on_its_line():
    page = PageBuilder(1)
    tab = page.line(700.0, "12", size=NOTE)
    tab.spans.append(type(tab.spans[0])("Bron.", "Serif", NOTE, 0, tab.x1 + 2 * NOTE, tab.y0, tab.x1 + 5 * NOTE, tab.y1, tab.baseline))
    from toolkit.extract.pdf import make_line

    tab = make_line(1, tab.spans)
    assert label_start(tab).gap
    assert label_start(page.line(720.0, "13", size=NOTE)).alone


@pytest.mark.parametrize("text", ["a new law was adopted.", "1st reading of the bill.", "Artikel 5, lid 2."])
def test_words_are_no_labels(text):
    assert label_start(PageBuilder(1).line(700.0, text, size=NOTE)) is None


def test_a_number_and_a_space_is_only_weak_evidence_of_a_label():
    start = label_start(PageBuilder(1).line(700.0, "2023 was een jaar van veel arrestaties.", size=NOTE))
    assert start is not None and start.label == "2023" and not start.strong


def test_notes_numbered_anew_on_each_page_get_their_own_keys():
    first = body_page(1, markers={2: "1", 5: "2"})
    notes(first, [("1", "Eerste bron, 2024."), ("2", "Tweede bron, 2024.")])
    second = body_page(2, markers={3: "1"})
    notes(second, [("1", "Derde bron, 2025.")])
    doc_layout = layout(first.page, second.page)
    result = find_footnotes(doc_layout, measure(doc_layout), set())
    assert [(n.label, n.key, n.pages) for n in result.notes] == [("1", "fn1", [1]), ("2", "fn2", [1]), ("1", "fn1-2", [2])]
    assert result.links.anchored == {"fn1", "fn2", "fn1-2"}
    assert result.warnings == []


def test_a_note_goes_on_at_the_top_of_the_next_page_and_no_further():
    first = body_page(1, markers={7: "5"})
    notes(first, [("5", "Een lange noot over de gang van zaken bij de rechtbank, die niet")])
    second = body_page(2, markers={4: "6"})
    notes(second, [(None, "op de pagina past en daar doorgaat."), ("6", "Nog een bron, 2024.")])
    third = body_page(3)
    notes(third, [(None, "Kleine tekst onder aan een pagina zonder noten.")])
    doc_layout = layout(first.page, second.page, third.page)
    result = find_footnotes(doc_layout, measure(doc_layout), set())
    by_label = {n.label: n for n in result.notes}
    assert by_label["5"].pages == [1, 2] and by_label["5"].text().endswith("daar doorgaat.")
    assert by_label["6"].pages == [2]
    assert not any(key[0] == 3 for key in result.area_keys)  # page 3's small text stays body text


def test_a_note_takes_one_continuation_page_not_two():
    """A page whose whole note area continues the note carries it on no further: the
    third page's unlabelled note text does not join it (a missed label costs one page)."""
    first = body_page(1, markers={7: "5"})
    notes(first, [("5", "Een lange noot over de gang van zaken bij de rechtbank, die niet")])
    second = body_page(2)
    notes(second, [(None, "op de pagina past en op de volgende pagina verder gaat, met de bronnen")])
    third = body_page(3, markers={4: "6"})
    notes(third, [(None, "die de rechtbank noemde, zonder einde"), ("6", "Nog een bron, 2024.")])
    doc_layout = layout(first.page, second.page, third.page)
    result = find_footnotes(doc_layout, measure(doc_layout), set())
    by_label = {n.label: n for n in result.notes}
    assert by_label["5"].pages == [1, 2] and by_label["5"].text().endswith("met de bronnen")
    assert by_label["6"].pages == [3]
    assert 3 in result.problem_pages and any(w.startswith("page 3:") and "third page" in w for w in result.warnings)


@pytest.mark.parametrize("rule_end", [200.0, 523.0], ids=["short rule", "rule across the column"])
def test_notes_in_the_body_size_under_a_rule_with_plain_labels_that_markers_name(rule_end):
    """Notes set as large as the body, labels plain ("15 Bron"), under a separator rule:
    the markers above name the labels, so the lines under the rule are the note area."""
    pages = []
    for n in (1, 2):
        page = body_page(n, lines=10, markers={3: str(2 * n - 1), 7: str(2 * n)})
        page.rule(262.0, 72.0, rule_end)
        for k, label in enumerate((str(2 * n - 1), str(2 * n))):
            page.line(275.0 + k * PITCH, f"{label} " + prose(6, seed=40 + 2 * n + k) + ", 2024.", size=BODY)
        pages.append(page)
    doc_layout = layout(*(p.page for p in pages))
    result = find_footnotes(doc_layout, measure(doc_layout), set())
    assert [(n.label, n.pages) for n in result.notes] == [("1", [1]), ("2", [1]), ("3", [2]), ("4", [2])]
    assert result.links.anchored == {"fn1", "fn2", "fn3", "fn4"}
    # Without a marker naming it, a numbered line under a rule stays body text.
    page = body_page(1, lines=10)
    page.rule(262.0, 72.0, rule_end)
    page.line(275.0, "15 " + prose(6, seed=3) + ", 2024.", size=BODY)
    doc_layout = layout(page.page)
    assert find_footnotes(doc_layout, measure(doc_layout), set()).notes == []


def test_notes_numbered_anew_in_a_chapter_that_starts_mid_page():
    """Labels "1." to "3." and again "1.", "2." in one area, each named by a marker of the
    page: the second "1." starts a new numbering run, not a line of note 3."""
    pages = []
    for n in (1, 2):
        page = body_page(n, lines=10, markers={1: "1", 3: "2", 5: "3", 7: "1", 9: "2"})
        notes(page, [("", f"1. Eerste bron, {n} mei 2024."), ("", "2. Tweede bron, 2024."), ("", "3. Derde bron, 2024."),
                     ("", "1. Bron van het volgende hoofdstuk, 2024."), ("", "2. Nog een bron, 2025.")])
        pages.append(page)
    doc_layout = layout(*(p.page for p in pages))
    result = find_footnotes(doc_layout, measure(doc_layout), set())
    assert [(n.label, n.pages) for n in result.notes] == [(label, [page]) for page in (1, 2) for label in "12312"]
    assert len({n.key for n in result.notes}) == 10 and len(result.links.anchored) == 10
    assert result.notes[3].text() == "Bron van het volgende hoofdstuk, 2024."


def test_a_page_set_entirely_in_the_note_size_has_no_notes():
    first = body_page(1, markers={3: "1"})
    notes(first, [("1", "Een bron, 2024")])
    summary = PageBuilder(2)
    for k in range(20):
        summary.line(100.0 + k * 10, f"{k + 2} " + prose(12, seed=k), size=NOTE)
    doc_layout = layout(first.page, summary.page)
    result = find_footnotes(doc_layout, measure(doc_layout), set())
    assert [n.label for n in result.notes] == ["1"]
    assert not any(key[0] == 2 for key in result.area_keys)


def test_a_separator_rule_keeps_small_text_above_it_out_of_the_notes():
    page = body_page(1, markers={2: "1"})
    page.line(680.0, "Bron: Centraal Bureau, tabel 3, bewerking.", size=NOTE)
    page.rule(695.0, 72.0, 200.0)
    notes(page, [("1", "Een bron, 2024.")], top=705.0)
    doc_layout = layout(page.page)
    result = find_footnotes(doc_layout, measure(doc_layout), set())
    assert [n.text() for n in result.notes] == ["Een bron, 2024."]
    assert (1, 8) not in result.area_keys  # the source line above the rule


# -- markers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, labels",
    [("12", ["12"]), ("45 46", ["45", "46"]), ("12, 13", ["12", "13"]), ("12–14", ["12", "13", "14"]),
     ("*", ["*"]), ("†", ["†"]), ("a", ["a"]), ("1632", ["1632"]), ("ab", []), ("12a", []), ("m", ["m"])],
)
def test_marker_labels(text, labels):
    assert marker_labels(text) == labels


def test_symbols_and_letters_follow_on():
    assert [next_label(x) for x in ("9", "*", "†", "§", "a")] == ["10", "†", "‡", "‖", "b"]


def test_an_exponent_gives_way_to_the_real_marker():
    candidates = [
        MarkerCandidate(1, (1, 0, 1), ["2"], exponent_like=True),  # 40 m²
        MarkerCandidate(1, (1, 0, 3), ["1"], exponent_like=False),
        MarkerCandidate(1, (1, 1, 2), ["2"], exponent_like=False),
    ]
    links = MarkerLinks()
    link_page([("fn1", "1"), ("fn2", "2")], slots_of(candidates), links)
    assert links.anchors == {(1, 0, 3): ["fn1"], (1, 1, 2): ["fn2"]}


# -- columns ------------------------------------------------------------------------------------


def test_three_columns_are_read_one_after_the_other_not_across():
    page = PageBuilder(1, width=612, height=792)
    for k in range(20):
        for c, x in enumerate((45.0, 222.0, 399.0)):
            page.line(60.0 + k * 10, prose(6, seed=c * 50 + k)[:30].ljust(30, "x"), x=x, size=9.0)
    gutters = page_gutters(page.page.lines, 612)
    assert len(gutters) == 2
    columns = columns_between(gutters, page.page.lines)
    for line in page.page.lines:
        line.column = column_of(line, columns)
    ordered = reading_order(page.page.lines, len(columns))
    assert [line.column for line in ordered] == [0] * 20 + [1] * 20 + [2] * 20


def test_a_table_is_no_set_of_columns():
    page = PageBuilder(1)
    for k in range(12):
        page.line(100.0 + k * PITCH, prose(12, seed=k), size=BODY)
    for k in range(6):
        page.line(300.0 + k * PITCH, f"Regio {k}", size=BODY)
        page.line(300.0 + k * PITCH, f"{k * 7} zaken", x=300.0, size=BODY)
    assert page_gutters(page.page.lines, 595) == []


# -- body: blocks, tables, structure -----------------------------------------------------------


def test_paragraphs_and_headings_nest():
    page = PageBuilder(1)
    page.line(100.0, "1 Militaire dienst", size=16.0, bold=True)
    for k in range(3):
        page.line(130.0 + k * PITCH, prose(11, seed=k), size=BODY)
    page.line(190.0, "1.1 Oproep", size=12.5, bold=True)
    for k in range(2):
        page.line(215.0 + k * PITCH, prose(11, seed=10 + k), size=BODY)
    doc_layout = layout(page.page)
    stats = measure(doc_layout)
    builder = BodyBuilder(stats, MarkerLinks(), Vocabulary.of(page.page.lines))
    blocks = build_body(builder, page.page.lines, pages=1)
    [chapter] = [b for b in blocks if isinstance(b, Division)]
    assert (chapter.n, plain_text(chapter.head)) == ("1", "Militaire dienst")
    [section] = [b for b in chapter.blocks if isinstance(b, Division)]
    assert (section.n, section.level, plain_text(section.head)) == ("1.1", 2, "Oproep")
    assert len([b for b in chapter.blocks if isinstance(b, Paragraph)]) == 1


def test_lines_in_aligned_columns_are_table_rows():
    from toolkit.extract.blocks import LineInfo

    page = PageBuilder(1)
    rows = [page.line(100.0 + k * PITCH, f"Regio {k}", size=BODY) for k in range(3)]
    for k, line in enumerate(rows):
        cell = page.line(line.baseline, f"{k * 7} zaken", x=300.0, size=BODY)
        line.spans.extend(cell.spans)
    from toolkit.extract.pdf import make_line

    lines = [make_line(1, line.spans) for line in rows]
    infos = [LineInfo(line) for line in lines]
    mark_table_rows(infos, measure(layout(page.page)))
    assert [info.kind for info in infos] == ["row", "row", "row"]


def test_line_end_hyphens_follow_the_document_vocabulary():
    page = PageBuilder(1)
    a = page.line(100.0, "De rechtbank en de ver-", size=BODY)
    b = page.line(113.0, "schillende rechters; niet-", size=BODY)
    c = page.line(126.0, "opvolgen van de oproep en verschillende gevolgen.", size=BODY)
    vocab = Vocabulary.of([a, b, c])
    builder = TextBuilder(vocab)
    for line in (a, b, c):
        builder.begin_line(line, line.spans[0].text)
        for k, s in enumerate(line.spans):
            builder.add_span(line, k, s)
    text = plain_text(builder.build())
    assert "verschillende rechters" in text and "niet-opvolgen" in text


def test_line_end_hyphen_between_clashing_vowels_is_kept_in_a_hyphenating_document():
    from toolkit.extract.textbuild import keeps_hyphen

    vocab = Vocabulary(hyphenates=True)
    # Dutch writes these hyphens; no hyphenation program breaks a word there.
    assert keeps_hyphen("defensie", "uitgaven", vocab)
    assert keeps_hyphen("zee", "egel", vocab)
    # Plain syllable breaks are joined: between consonants, before English "-ing", a short rest.
    assert not keeps_hyphen("ver", "schillende", vocab)
    assert not keeps_hyphen("see", "ing", vocab)
    assert not keeps_hyphen("muse", "um", vocab)
    # The document's own spelling wins: the joined word stands elsewhere in it.
    assert not keeps_hyphen("zee", "egel", Vocabulary(words={"zeeegel"}, hyphenates=True))
