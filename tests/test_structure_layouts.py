"""Headings, contents, annexes and metadata on small PDFs built here, one layout problem each."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from toolkit.document import Bibliography, Division, ItemList, iter_blocks, iter_divisions, plain_text
from toolkit.extract.headings import caps_kind, heading_number
from toolkit.extract.pipeline import extract
from toolkit.jsonout import document_to_json
from test_scale_invariance import scaled_copy

BODY = 10.0
PITCH = 14.0
LEFT = 72.0
RIGHT = 523.0
FONTS = {"reg": "notos", "bold": "notosbo", "ital": "notosit"}
PDFS = Path(__file__).parent / "pdfs"


class Page:
    """Lines the way a word processor writes them: pieces of text in a font and size on a baseline."""

    def __init__(self, doc: pymupdf.Document, header: str | None = None, number: int | None = None):
        self.page = doc.new_page(width=595, height=842)
        for name, font in FONTS.items():
            self.page.insert_font(fontname=name, fontbuffer=pymupdf.Font(font).buffer)
        if header:
            self.page.insert_text((LEFT, 40), header, fontname="reg", fontsize=7.5)
        if number is not None:
            self.page.insert_text((290, 815), f"Pagina {number}", fontname="reg", fontsize=7.5)
        self.y = 90.0

    @staticmethod
    def width(text: str, size: float, font: str = "reg") -> float:
        return pymupdf.Font(FONTS[font]).text_length(text, size)

    def pieces(self, pieces: list[tuple[str, float, str]], x: float = LEFT, step: float = PITCH) -> float:
        """(text, size, font) one after the other on the baseline; returns the end."""
        for text, size, font in pieces:
            self.page.insert_text((x, self.y), text, fontname=font, fontsize=size)
            x += self.width(text, size, font)
        self.y += step
        return x

    def line(self, text: str, size: float = BODY, font: str = "reg", x: float = LEFT, step: float = PITCH) -> float:
        return self.pieces([(text, size, font)], x=x, step=step)

    def centred(self, pieces: list[tuple[str, float, str]], step: float = PITCH) -> None:
        width = sum(self.width(t, s, f) for t, s, f in pieces)
        self.pieces(pieces, x=(LEFT + RIGHT - width) / 2, step=step)

    def right(self, text: str, number: str, font: str = "reg", x: float = LEFT) -> None:
        """A contents line: text, then its page number flush right."""
        self.page.insert_text((x, self.y), text, fontname=font, fontsize=BODY)
        self.page.insert_text((RIGHT - self.width(number, BODY, font), self.y), number, fontname=font, fontsize=BODY)
        self.y += PITCH

    def gap(self, points: float = 8.0) -> None:
        self.y += points


FILLER = [
    "De autoriteiten publiceerden in de verslagperiode nauwelijks cijfers over de gevolgen",
    "van het beleid voor dienstplichtigen en hun familieleden in de noordelijke regio's en",
    "de hoofdstad. Volgens verschillende bronnen werd de regel streng toegepast.",
]


def filler(p: Page, lines: int = 3) -> None:
    for i in range(lines):
        p.line(FILLER[i % len(FILLER)])
    p.gap()


def build(path: Path, pages, *, toc: list | None = None, metadata: dict | None = None, header: str | None = None) -> Path:
    doc = pymupdf.open()
    for number, fill in enumerate(pages, start=1):
        fill(Page(doc, header=header, number=number if header else None))
    if toc:
        doc.set_toc(toc)
    doc.set_metadata(metadata or {})
    doc.save(path)
    return path


def heads(doc) -> list[tuple[int, str | None, str]]:
    return [(d.level, d.n, plain_text(d.head)) for d in iter_divisions(doc.blocks)]


def tree(blocks, depth: int = 0) -> list[tuple[int, str]]:
    out = []
    for block in blocks:
        if isinstance(block, Division):
            out.append((depth, plain_text(block.head)))
            out.extend(tree(block.blocks, depth + 1))
    return out


# -- numbers, bookmarks, style -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, number",
    [
        ("1.1.4 Gevolgen", ("1.1.4", "decimal", 3)), ("4.2 Afkortingen", ("4.2", "decimal", 2)),
        ("II.\u2003Defending the Core", ("II", "roman", 1)), ("A. The Fair Use Doctrine", ("A", "upper", 1)),
        ("C. Illustrations", ("C", "upper", 1)), ("b) Wetgeving", ("b", "lower", 1)),
        ("2024 was een jaar", None), ("Inleiding", None),
    ],
)
def test_heading_numbers(text, number):
    found = heading_number(text)
    assert (found.printed, found.scheme, found.depth) == number if number else found is None


def test_the_number_decides_the_level_not_the_font(tmp_path):
    """A word processor's styles may make a section heading larger than its chapter's."""

    def first(p: Page):
        p.line("1 Dienstplicht", size=12, font="bold", step=22)
        filler(p)
        p.line("1.1 Oproepen", size=15, font="bold", step=24)
        filler(p)
        p.line("1.1.1 Uitstel voor studenten", size=17, font="bold", step=26)
        filler(p)
        p.line("1.2 Sancties", size=15, font="bold", step=24)
        filler(p)

    doc = extract(build(tmp_path / "sizes.pdf", [first]), languages=False, citations=False)
    assert heads(doc) == [(1, "1", "Dienstplicht"), (2, "1.1", "Oproepen"), (3, "1.1.1", "Uitstel voor studenten"), (2, "1.2", "Sancties")]
    assert tree(doc.blocks) == [(0, "Dienstplicht"), (1, "Oproepen"), (2, "Uitstel voor studenten"), (1, "Sancties")]


def test_unnumbered_sub_headings_set_like_the_numbered_ones(tmp_path):
    """Bold sub-headings in the style of the numbered sections nest below the numbered
    heading they follow; the next numbered section closes them."""

    def first(p: Page):
        p.line("Inleiding", size=16, font="bold", step=26)
        filler(p)
        p.line("1 Militaire dienst", size=16, font="bold", step=26)
        filler(p)
        p.line("1.1 Oproepen", size=BODY, font="bold")
        filler(p)
        p.line("Studenten", size=BODY, font="bold")
        filler(p)
        p.line("Werkenden", size=BODY, font="bold")
        filler(p)
        p.line("1.2 Sancties", size=BODY, font="bold")
        filler(p)
        p.line("Bijlagen", size=16, font="bold", step=26)
        filler(p)

    doc = extract(build(tmp_path / "sub.pdf", [first]), languages=False, citations=False)
    assert heads(doc) == [
        (1, None, "Inleiding"), (1, "1", "Militaire dienst"), (2, "1.1", "Oproepen"), (3, None, "Studenten"),
        (3, None, "Werkenden"), (2, "1.2", "Sancties"), (1, None, "Bijlagen"),
    ]
    assert tree(doc.blocks) == [
        (0, "Inleiding"), (0, "Militaire dienst"), (1, "Oproepen"), (2, "Studenten"), (2, "Werkenden"), (1, "Sancties"),
        (0, "Bijlagen"),
    ]


def test_a_section_number_closes_the_chapter_it_does_not_continue(tmp_path):
    """"4.2" after "3.9" (chapter 4's own heading not found) is not part of chapter 3."""

    def first(p: Page):
        p.line("3 Critici", size=16, font="bold", step=26)
        filler(p)
        p.line("3.9 Demonstraties", size=12, font="bold", step=20)
        filler(p)
        p.line("4.2 Afkortingen", size=12, font="bold", step=20)
        filler(p)

    doc = extract(build(tmp_path / "close.pdf", [first]), languages=False, citations=False)
    assert tree(doc.blocks) == [(0, "Critici"), (1, "Demonstraties"), (0, "Afkortingen")]
    assert heads(doc)[-1] == (2, "4.2", "Afkortingen")


def same_style_headings(p: Page) -> None:
    for title in ("Achtergrond", "Wetgeving", "Praktijk"):
        p.line(title, size=BODY, font="bold")
        filler(p)
    p.line("Conclusies", size=BODY, font="bold")
    filler(p)


def test_bookmarks_give_the_levels_that_style_cannot(tmp_path):
    outline = [[1, "Achtergrond", 1], [2, "Wetgeving", 1], [2, "Praktijk", 1], [1, "Conclusies", 1]]
    with_toc = extract(build(tmp_path / "toc.pdf", [same_style_headings], toc=outline), languages=False, citations=False)
    assert heads(with_toc) == [(1, None, "Achtergrond"), (2, None, "Wetgeving"), (2, None, "Praktijk"), (1, None, "Conclusies")]
    assert [d.kind for d in iter_divisions(with_toc.blocks)] == ["chapter", "subsection", "subsection", "chapter"]
    # Without bookmarks the four headings look alike: four chapters.
    plain = extract(build(tmp_path / "plain.pdf", [same_style_headings]), languages=False, citations=False)
    assert heads(plain) == [(1, None, t) for t in ("Achtergrond", "Wetgeving", "Praktijk", "Conclusies")]


def test_a_bookmark_finds_a_heading_that_has_no_style_and_one_that_wraps(tmp_path):
    def first(p: Page):
        p.line("Samenvatting")  # body size, regular: only the bookmark says it is a heading
        filler(p)
        p.line("1 De positie van dienstweigeraars en deserteurs in de noordelijke", size=14, font="bold", step=18)
        p.line("regio's", size=14, font="bold", step=24)
        filler(p)

    outline = [[1, "Samenvatting", 1], [1, "1 De positie van dienstweigeraars en deserteurs in de noordelijke regio's", 1]]
    doc = extract(build(tmp_path / "wrap.pdf", [first], toc=outline), languages=False, citations=False)
    assert heads(doc) == [(1, None, "Samenvatting"), (1, "1", "De positie van dienstweigeraars en deserteurs in de noordelijke regio's")]


SMALL = 0.8 * 11


def small_caps(text: str) -> list[tuple[str, float, str]]:
    """Small capitals as Word and LibreOffice print them: capitals in two sizes."""
    pieces = []
    for word in text.split(" "):
        if pieces:
            pieces.append((" ", 11, "reg"))
        if word[:1].isupper() or not word[:1].isalpha():
            pieces.append((word[:1].upper(), 11, "reg"))
            rest = word[1:]
        else:
            rest = word
        if rest:
            pieces.append((rest.upper(), SMALL, "reg"))
    return pieces


def law_page(p: Page) -> None:
    text = [
        "Courts have rarely reviewed the decisions of the conscription offices on the merits of",
        "each case, and the statute leaves the offices a discretion that the ministry has never",
        "defined in any public guidance of its own.",
    ]

    def para() -> None:
        for line in text:
            p.line(line, size=11, step=15)
        p.gap(8)

    p.centred(small_caps("I. The Legal Framework"), step=22)
    para()
    p.centred(small_caps("A. Statutory Duties"), step=22)
    para()
    p.pieces([("1. Registration", 11, "ital")], x=LEFT + 20, step=20)
    para()
    p.centred(small_caps("B. Judicial Review"), step=22)
    para()
    p.centred(small_caps("II. Exit Bans in Practice"), step=22)
    para()
    p.centred(small_caps("Conclusion"), step=22)
    para()


def test_small_caps_headings_with_law_review_numbering(tmp_path):
    doc = extract(build(tmp_path / "law.pdf", [law_page]), languages=False, citations=False)
    assert heads(doc) == [
        (1, "I", "THE LEGAL FRAMEWORK"), (2, "A", "STATUTORY DUTIES"), (3, "1", "Registration"), (2, "B", "JUDICIAL REVIEW"),
        (1, "II", "EXIT BANS IN PRACTICE"), (2, None, "CONCLUSION"),
    ]
    assert tree(doc.blocks)[:4] == [(0, "THE LEGAL FRAMEWORK"), (1, "STATUTORY DUTIES"), (2, "Registration"), (1, "JUDICIAL REVIEW")]
    from toolkit.extract.pdf import read_layout

    lines = read_layout(tmp_path / "law.pdf").pages[0].lines
    assert [caps_kind(line) for line in lines[:2]] == ["small", None]


def test_capitals_on_a_line_of_their_own_are_a_heading(tmp_path):
    def first(p: Page):
        p.line("1 Militaire dienst", size=16, font="bold", step=26)
        filler(p)
        p.centred([("ALTERNATIEVE DIENST", BODY, "reg")], step=20)
        filler(p)
        p.line("De FSB en de MVO werkten samen, aldus het rapport van de OVSE-missie in 2024.")
        filler(p)

    doc = extract(build(tmp_path / "caps.pdf", [first]), languages=False, citations=False)
    assert heads(doc) == [(1, "1", "Militaire dienst"), (2, None, "ALTERNATIEVE DIENST")]


# -- contents ------------------------------------------------------------------------------


def test_contents_page_with_flush_right_page_numbers_is_no_headings(tmp_path):
    """Bold chapter entries, no leaders, the page number flush right: a contents list."""

    def contents(p: Page):
        p.line("Contents", size=16, font="bold", step=28)
        for text, page, bold in [("The judgment", "2", True), ("The facts", "2", False), ("The law", "3", False),
                                 ("The dissent", "4", True), ("Its reasoning", "4", False), ("Annex", "5", True)]:
            p.right(text, page, font="bold" if bold else "reg", x=LEFT if bold else LEFT + 15)

    def body(p: Page):
        for title in ("The judgment", "The facts"):
            p.line(title, size=14, font="bold", step=24)
            filler(p, 6)

    doc = extract(build(tmp_path / "contents.pdf", [contents, body]), languages=False, citations=False)
    lists = [b for b in iter_blocks(doc.front + doc.blocks) if isinstance(b, ItemList) and b.type == "contents"]
    assert [plain_text(b.head) for b in lists] == ["Contents"]
    assert [plain_text(i.content) for i in lists[0].items] == [
        "The judgment 2", "The facts 2", "The law 3", "The dissent 4", "Its reasoning 4", "Annex 5"]
    assert [plain_text(d.head) for d in iter_divisions(doc.blocks)] == ["The judgment", "The facts"]


def test_a_few_lines_ending_in_numbers_are_no_contents(tmp_path):
    def first(p: Page):
        p.line("1 Aantallen", size=16, font="bold", step=26)
        filler(p)
        p.right("Gearresteerd in de hoofdstad", "12")
        p.right("Gearresteerd in de regio's", "30")
        filler(p)

    doc = extract(build(tmp_path / "numbers.pdf", [first]), languages=False, citations=False)
    assert not [b for b in iter_blocks(doc.blocks) if isinstance(b, ItemList) and b.type == "contents"]


# -- annexes by their shape ------------------------------------------------------------------

SOURCES = [
    ("Noordland Monitor", ["Overzicht van vervolgingen wegens dienstweigering in de periode 2022-2024, per regio en per "
                           "artikel van het wetboek van strafrecht, 3 maart 2024;", "Nieuwe boetes voor het negeren van een oproep, 5 mei 2024."]),
    ("Human Rights Watch", ["Noordland: Conscripts Denied Alternative Service, 14 November 2023;",
                            "World Report 2025: Noordland, Events of 2024 and the Treatment of Conscientious Objectors in the "
                            "Northern Regions, 16 januari 2025."]),
    ("Meduza", ["Власти запретили выезд призывникам (RU), 22 oktober 2024."]),
]


def wrapped(text: str, width: float = RIGHT - LEFT) -> list[str]:
    """The text broken into lines the way a word processor does: as many words as fit."""
    lines = [""]
    for word in text.split():
        candidate = f"{lines[-1]} {word}".strip()
        if Page.width(candidate, BODY) > width and lines[-1]:
            lines.append(word)
        else:
            lines[-1] = candidate
    return lines


def sources_pages() -> list:
    """Publisher lines, then "- " entries typed without a hanging indent (they wrap to the
    margin), over two pages, under a heading that does not say "sources"."""

    def group(p: Page, publisher: str, entries: list[str]) -> None:
        p.line(publisher)
        for entry in entries:
            for line in wrapped("- " + entry):
                p.line(line)
        p.gap(6)

    def first(p: Page):
        p.line("Bijlage 2 Overzicht", size=16, font="bold", step=26)
        filler(p)
        for publisher, entries in SOURCES[:2]:
            group(p, publisher, entries)

    def second(p: Page):
        group(p, *SOURCES[2])
        filler(p, 3)

    return [first, second]


def test_sources_list_recognised_by_its_shape(tmp_path):
    doc = extract(build(tmp_path / "sources.pdf", sources_pages()), languages=False, citations=False)
    groups = [b for b in iter_blocks(doc.blocks) if isinstance(b, Bibliography)]
    got = [(plain_text(b.head), [plain_text(e.content) for e in b.entries]) for b in groups]
    assert got == SOURCES
    assert len(wrapped("- " + SOURCES[1][1][1])) == 2  # entries that wrap to the margin
    assert not [b for b in iter_blocks(doc.blocks) if isinstance(b, ItemList)]
    [annex] = list(iter_divisions(doc.blocks))
    assert [type(b).__name__ for b in annex.blocks] == ["Paragraph", "Bibliography", "Bibliography", "PageBreakBlock", "Bibliography", "Paragraph"]


def test_a_bulleted_list_of_dated_events_is_no_sources_list(tmp_path):
    def first(p: Page):
        p.line("1 Ontwikkelingen", size=16, font="bold", step=26)
        filler(p)
        p.line("De belangrijkste gebeurtenissen waren:")
        for line in ["- invoering van het elektronische register, 1 november 2023;", "- verhoging van de boetes, 3 mei 2024."]:
            p.line(line)
        p.gap()
        filler(p)

    doc = extract(build(tmp_path / "events.pdf", [first]), languages=False, citations=False)
    assert not [b for b in iter_blocks(doc.blocks) if isinstance(b, Bibliography)]
    assert [len(b.items) for b in iter_blocks(doc.blocks) if isinstance(b, ItemList)] == [2]


TERMS = [("AIVD", "Algemene Inlichtingen- en Veiligheidsdienst"), ("FSN", "Federale Veiligheidsdienst van Noordland"),
         ("MVO", "Militair Verzamel- en Oproepbureau, het bureau dat de oproepen voor de militaire dienst in de"),
         (None, "regio verstuurt"), ("NGO", "Niet-gouvernementele organisatie"), ("OVD-Info", "Onafhankelijk mensenrechtenproject")]


def test_abbreviations_with_bold_terms_and_no_tab_are_a_gloss_list(tmp_path):
    def first(p: Page):
        p.line("Bijlage 3", size=16, font="bold", step=26)
        for term, meaning in TERMS:
            if term is None:
                p.line(meaning)
            else:
                p.pieces([(term, BODY, "bold"), (" " + meaning, BODY, "reg")])
        p.gap()
        filler(p)

    doc = extract(build(tmp_path / "gloss.pdf", [first]), languages=False, citations=False)
    [gloss] = [b for b in iter_blocks(doc.blocks) if isinstance(b, ItemList)]
    assert gloss.type == "gloss"
    assert [(plain_text(i.label), plain_text(i.content)) for i in gloss.items] == [
        ("AIVD", "Algemene Inlichtingen- en Veiligheidsdienst"), ("FSN", "Federale Veiligheidsdienst van Noordland"),
        ("MVO", "Militair Verzamel- en Oproepbureau, het bureau dat de oproepen voor de militaire dienst in de regio verstuurt"),
        ("NGO", "Niet-gouvernementele organisatie"), ("OVD-Info", "Onafhankelijk mensenrechtenproject")]
    assert [plain_text(d.head) for d in iter_divisions(doc.blocks)] == ["Bijlage 3"]


def test_abbreviations_in_a_column_are_a_gloss_list(tmp_path):
    def first(p: Page):
        p.line("Bijlage 3", size=16, font="bold", step=26)
        for term, meaning in TERMS:
            if term is not None:
                p.page.insert_text((LEFT, p.y), term, fontname="reg", fontsize=BODY)
            p.line(meaning, x=LEFT + 60)
        p.gap()
        filler(p)

    doc = extract(build(tmp_path / "column.pdf", [first]), languages=False, citations=False)
    [gloss] = [b for b in iter_blocks(doc.blocks) if isinstance(b, ItemList)]
    assert gloss.type == "gloss"
    assert [plain_text(i.label) for i in gloss.items] == ["AIVD", "FSN", "MVO", "NGO", "OVD-Info"]
    assert plain_text(gloss.items[2].content).endswith("in de regio verstuurt")


# -- title, date, publisher ------------------------------------------------------------------


def cover(p: Page):
    p.y = 150
    p.line("Ministerie van Buitenlandse Zaken", size=28, font="bold", step=100)  # set larger than the title
    p.line("Thematisch ambtsbericht Noordland:", size=24, font="bold", step=30)
    p.line("militaire dienst en terugkeer", size=24, font="bold", step=50)
    p.line("Den Haag, 14 februari 2025", size=12, step=18)
    p.line("Verslagperiode: 1 januari 2023 tot en met 31 december 2024", size=12)


WORDS = "de regering verlengde het beleid voor dienstplichtigen en reservisten in alle regio's van het land".split()


def text_page(k: int):
    """A page of running text, different on every page (a running header is what repeats)."""

    def fill(p: Page):
        p.line(f"{k} Hoofdstuk {WORDS[k]}", size=16, font="bold", step=26)
        for i in range(9):
            words = [WORDS[(k * 7 + i * 3 + j) % len(WORDS)] for j in range(13)]
            p.line(" ".join(words).capitalize() + ("." if i % 3 == 2 else ""))
    return fill


def test_title_date_and_publisher_from_the_cover(tmp_path):
    path = build(tmp_path / "cover.pdf", [cover, text_page(1), text_page(2), text_page(3)],
                 metadata={"title": "Microsoft Word - ambtsbericht_def.docx", "author": "j.jansen"},
                 header="Thematisch ambtsbericht Noordland | 3 maart 2025")
    doc = extract(path, languages=False, citations=False)
    assert doc.title == "Thematisch ambtsbericht Noordland: militaire dienst en terugkeer"
    assert (doc.date, doc.date_text) == ("2025-02-14", "14 februari 2025")  # the cover, not the header, not the period
    assert doc.publisher == "Ministerie van Buitenlandse Zaken"
    assert doc.metadata_evidence == {"title": "cover page", "publisher": "cover page", "date": "cover page"}


def test_title_and_date_from_the_running_header(tmp_path):
    """No cover, meaningless title metadata, a person as author: the running header tells."""
    path = build(tmp_path / "header.pdf", [text_page(k) for k in range(1, 5)], metadata={"title": "rapport_v3", "author": "Jan Jansen"},
                 header="Thematisch ambtsbericht Noordland | 14 februari 2025")
    doc = extract(path, languages=False, citations=False)
    assert doc.title == "Thematisch ambtsbericht Noordland"
    assert (doc.date, doc.date_text) == ("2025-02-14", "14 februari 2025")
    assert doc.publisher is None
    assert doc.metadata_evidence == {"title": "running header", "date": "running header"}
    from toolkit.tei import T, document_to_tei, validate_tei

    tree = document_to_tei(doc)
    assert validate_tei(tree) == []
    pub = tree.getroot().find(f".//{T}publicationStmt")
    assert pub.find(f"{T}publisher") is None and pub.find(f"{T}p/{T}date").get("when") == "2025-02-14"


def test_title_from_one_top_bookmark_then_from_meaningful_metadata(tmp_path):
    outline = [[1, "Noordland: militaire dienst", 1], [2, "1 Militaire dienst", 1], [2, "2 Terugkeer", 2]]
    path = build(tmp_path / "book.pdf", [text_page(1), text_page(2)], toc=outline, metadata={"title": "Ambtsbericht Noordland"})
    assert extract(path, languages=False, citations=False).title == "Noordland: militaire dienst"
    path = build(tmp_path / "meta.pdf", [text_page(1), text_page(2)], metadata={"title": "Ambtsbericht Noordland"})
    doc = extract(path, languages=False, citations=False)
    assert doc.title == "Ambtsbericht Noordland" and doc.metadata_evidence["title"] == "PDF metadata"


def test_two_headings_on_the_first_page_are_no_title(tmp_path):
    def first(p: Page):
        p.line("Inleiding", size=16, font="bold", step=26)
        filler(p)
        p.line("1 Militaire dienst", size=16, font="bold", step=26)
        filler(p, 6)

    path = build(tmp_path / "notitle.pdf", [first, text_page(2)], metadata={"title": "Thematisch ambtsbericht Noordland"})
    assert extract(path, languages=False, citations=False).title == "Thematisch ambtsbericht Noordland"


# -- scale -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["lo-structure-plain", "lo-structure-lawreview"])
@pytest.mark.parametrize("factor", [0.8, 1.4])
def test_structure_is_the_same_at_any_scale(tmp_path, name, factor):
    source = PDFS / f"{name}.pdf"
    target = tmp_path / f"{name}-{factor}.pdf"
    scaled_copy(source, target, factor)

    def model(path):
        data = document_to_json(extract(path, languages=False, citations=False))
        data.pop("source")
        return data

    assert model(target) == model(source)


def test_title_from_the_subject_line_of_a_letter(tmp_path):
    def letter(p: Page):
        for line in ("De Minister van Justitie en Veiligheid", "Postbus 20301", "2500 EH Den Haag"):
            p.line(line)
        p.gap(20)
        p.line("Datum", size=12)
        p.line("6 augustus 2024")
        p.line("Onderwerp", size=12)
        p.line("Advies over het terugkeerbeleid voor dienstweigeraars")
        p.gap(20)
        for k in range(8):
            p.line(" ".join(WORDS[(k * 5 + j) % len(WORDS)] for j in range(13)).capitalize() + ".")

    doc = extract(build(tmp_path / "letter.pdf", [letter]), languages=False, citations=False)
    assert doc.title == "Advies over het terugkeerbeleid voor dienstweigeraars"
    assert (doc.date, doc.metadata_evidence["title"]) == ("2024-08-06", "subject line")
    assert doc.publisher is None  # the addressee is no publisher


def test_dates_in_running_lines():
    from toolkit.dates import find_dates

    assert find_dates("VerDate Sep<11>2014 16:21 Aug 05, 2020 Jkt 250001") == [(26, 38, "2020-08-05")]
    assert find_dates("Thematisch ambtsbericht | 3 februari 25") == [(26, 39, "2025-02-03")]
