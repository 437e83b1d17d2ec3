"""One regression test per layout problem met in real reports, each on a small PDF built here."""

from __future__ import annotations

import pymupdf
import pytest

from toolkit.extract.pipeline import extract
from notes import numbered
from toolkit.document import ItemList, NoteAnchor, Paragraph, Span, Table, iter_blocks, iter_divisions, plain_text

BODY = 10.0
PITCH = 14.0
LEFT = 72.0


class Page:
    """Write lines the way a word processor does: a font, a size, a baseline."""

    def __init__(self, doc: pymupdf.Document):
        self.page = doc.new_page(width=595, height=842)
        self.page.insert_font(fontname="reg", fontbuffer=pymupdf.Font("notos").buffer)
        self.page.insert_font(fontname="bold", fontbuffer=pymupdf.Font("notosbo").buffer)
        self.y = 90.0

    def line(self, text: str, size: float = BODY, font: str = "reg", x: float = LEFT, step: float = PITCH) -> float:
        self.page.insert_text((x, self.y), text, fontname=font, fontsize=size)
        end = x + pymupdf.Font("notosbo" if font == "bold" else "notos").text_length(text, size)
        self.y += step
        return end

    def gap(self, points: float = 8.0) -> None:
        self.y += points


FILLER = [
    "De autoriteiten publiceerden in de verslagperiode nauwelijks cijfers over de",
    "gevolgen van het beleid voor dienstplichtigen en hun familieleden in de regio.",
    "Volgens verschillende bronnen werden de regels in de praktijk streng toegepast.",
]


def filler(page: Page, lines: int = 3) -> None:
    for i in range(lines):
        page.line(FILLER[i % len(FILLER)])
    page.gap()


def build(path, pages) -> None:
    doc = pymupdf.open()
    for fill in pages:
        fill(Page(doc))
    doc.save(path)


def test_bullet_glyph_before_an_unnumbered_chapter_heading(tmp_path):
    def first(p: Page):
        p.line("• Inleiding", size=16, font="bold", step=26)
        filler(p, 6)
        p.line("1 Militaire dienst", size=16, font="bold", step=26)
        filler(p, 6)

    build(tmp_path / "bullet.pdf", [first])
    doc = extract(tmp_path / "bullet.pdf", languages=False, citations=False)
    heads = [(d.kind, d.n, plain_text(d.head)) for d in iter_divisions(doc.blocks)]
    assert heads == [("chapter", None, "Inleiding"), ("chapter", "1", "Militaire dienst")]
    assert not [b for b in iter_blocks(doc.blocks) if isinstance(b, ItemList)]


@pytest.mark.parametrize("hyphen", ["\u00ad", "\u2010", "-"])
def test_line_end_hyphenation_with_soft_and_unicode_hyphens(tmp_path, hyphen):
    def first(p: Page):
        p.line("1 Militaire dienst", size=16, font="bold", step=26)
        filler(p, 3)
        p.line(f"Het ministerie publiceerde in de verslagperiode geen ver{hyphen}")
        p.line("schillende cijfers over de dienst\u00adplicht en de mobilisatie van reservisten.")
        p.gap()
        filler(p, 3)

    build(tmp_path / "hyphen.pdf", [first])
    doc = extract(tmp_path / "hyphen.pdf", languages=False, citations=False)
    paragraphs = [plain_text(b.content) for b in iter_blocks(doc.blocks) if isinstance(b, Paragraph)]
    assert (
        "Het ministerie publiceerde in de verslagperiode geen verschillende cijfers over de dienstplicht "
        "en de mobilisatie van reservisten." in paragraphs
    )


def test_a_bold_table_header_row_is_not_a_heading(tmp_path):
    def first(p: Page):
        p.line("1 Documenten", size=16, font="bold", step=26)
        filler(p, 3)
        p.page.insert_text((LEFT, p.y), "Document", fontname="bold", fontsize=BODY)
        p.page.insert_text((LEFT + 200, p.y), "Afgifte en geldigheid", fontname="bold", fontsize=BODY)
        p.y += PITCH
        p.page.insert_text((LEFT, p.y), "Paspoort", fontname="reg", fontsize=BODY)
        p.page.insert_text((LEFT + 200, p.y), "Districtskantoor, tien jaar", fontname="reg", fontsize=BODY)
        p.y += PITCH
        p.gap()
        filler(p, 3)

    build(tmp_path / "table.pdf", [first])
    doc = extract(tmp_path / "table.pdf", languages=False, citations=False)
    assert [plain_text(d.head) for d in iter_divisions(doc.blocks)] == ["Documenten"]
    tables = [b for b in iter_blocks(doc.blocks) if isinstance(b, Table)]
    assert [[[plain_text(c) for c in row] for row in t.rows] for t in tables] == [
        [["Document", "Afgifte en geldigheid"], ["Paspoort", "Districtskantoor, tien jaar"]]
    ]


NOTE = 8.0


def marker(p: Page, text: str, numbers: str, rest: str = "") -> None:
    """A body line whose text ends in a superscript marker, then optional text."""
    end = p.line(text, step=0)
    p.page.insert_text((end, p.y - 3.5), numbers, fontname="reg", fontsize=5.5)
    if rest:
        x = end + pymupdf.Font("notos").text_length(numbers, 5.5) + 2.5
        p.page.insert_text((x, p.y), rest, fontname="reg", fontsize=BODY)
    p.y += PITCH


def notes(p: Page, lines: list[tuple[float, str]], top: float = 760.0) -> None:
    """Footnote lines in the note size from ``top``: (x, text); plain "N text" numbers, no tab."""
    y = top
    for x, text in lines:
        p.page.insert_text((x, y), text, fontname="reg", fontsize=NOTE)
        y += NOTE * 1.25


def body_with_markers(p: Page, numbers: list[int]) -> None:
    p.line("1 Politieke situatie", size=16, font="bold", step=26)
    for n in numbers:
        marker(p, f"De autoriteiten scherpten de controle aan in regio {n}.", str(n))
        filler(p, 2)


def test_plain_note_numbers_after_a_note_ending_in_a_url(tmp_path):
    """'N text' with an ordinary space, flush left: the previous note ends in a URL, not a full stop."""

    def first(p: Page):
        body_with_markers(p, [1, 2, 3])
        notes(p, [
            (LEFT, "1 Human Rights Watch, Crackdown on critics, 12 maart 2024, https://www.hrw.org/report/2024"),
            (LEFT, "2 Amnesty International, Silencing dissent, 7 maart 2024"),
            (LEFT, "3 Meduza, Report on the trial, 3 juni 2024."),
        ])

    build(tmp_path / "url.pdf", [first])
    doc = extract(tmp_path / "url.pdf", languages=False, citations=False)
    assert {n: plain_text(f.content) for n, f in numbered(doc).items()} == {
        1: "Human Rights Watch, Crackdown on critics, 12 maart 2024, https://www.hrw.org/report/2024",
        2: "Amnesty International, Silencing dissent, 7 maart 2024",
        3: "Meduza, Report on the trial, 3 juni 2024.",
    }
    assert doc.notes_without_marker == [] and doc.markers_without_note == []


def test_note_continued_after_a_full_sentence_and_a_wrapped_date(tmp_path):
    """A continuation that starts a page's notes after a finished sentence; 'd.d.' + '4 december' inside a note."""
    long = "Fictiland Monitor, Overzicht van strafzaken wegens desertie in 2024, 18 oktober 2024. De organisatie baseert"

    def first(p: Page):
        body_with_markers(p, [1, 2])
        notes(p, [
            (LEFT, "1 Gesprek met een advocaat uit Noordstad over de gang van zaken, vertrouwelijke bron d.d."),
            (LEFT, "3 december 2024."),
            (LEFT, "2 " + long),
            (LEFT, "zich op vonnissen van militaire rechtbanken en op interviews met advocaten."),
        ])

    def second(p: Page):
        marker(p, "Ook in het noorden werden meer mensen vervolgd dan in eerdere jaren.", "3")
        filler(p, 4)
        notes(p, [
            (LEFT, "Omdat rechtbanken veel uitspraken niet meer publiceren, gaat het om minimumaantallen."),
            (LEFT, "3 Vertrouwelijke bron d.d. 12 november 2024."),
        ])

    build(tmp_path / "cont.pdf", [first, second])
    doc = extract(tmp_path / "cont.pdf", languages=False, citations=False)
    texts = {n: plain_text(f.content) for n, f in numbered(doc).items()}
    assert texts[1] == "Gesprek met een advocaat uit Noordstad over de gang van zaken, vertrouwelijke bron d.d. 3 december 2024."
    assert texts[2] == long + " zich op vonnissen van militaire rechtbanken en op interviews met advocaten. Omdat rechtbanken veel uitspraken niet meer publiceren, gaat het om minimumaantallen."
    assert numbered(doc)[2].pages == [1, 2]
    assert texts[3] == "Vertrouwelijke bron d.d. 12 november 2024."
    body = " ".join(plain_text(b.content) for b in iter_blocks(doc.blocks) if isinstance(b, Paragraph))
    assert "minimumaantallen" not in body


def test_exponents_do_not_take_note_markers(tmp_path):
    """m² and 10³ are superscripts too; the notes' own markers come later, in order."""

    def first(p: Page):
        p.line("1 Politieke situatie", size=16, font="bold", step=26)
        end = p.line("Het terrein is 40 m", step=0)
        p.page.insert_text((end, p.y - 3.5), "2", fontname="reg", fontsize=5.5)
        p.y += PITCH
        marker(p, "en de boete bedroeg tot 200 roebel.", "1")
        end = p.line("Het ging om 200 km", step=0)
        p.page.insert_text((end, p.y - 3.5), "2", fontname="reg", fontsize=5.5)
        p.page.insert_text((end + 6, p.y), "in totaal.", fontname="reg", fontsize=BODY)
        p.y += PITCH
        marker(p, "Dat meldden twee bronnen.", "2")
        filler(p, 3)
        notes(p, [(LEFT, "1 Bron een, Rapport, maart 2024."), (LEFT, "2 Bron twee, Rapport, april 2024.")])

    build(tmp_path / "exp.pdf", [first])
    doc = extract(tmp_path / "exp.pdf", languages=False, citations=False)
    content = [node for b in iter_blocks(doc.blocks) if isinstance(b, Paragraph) for node in b.content]
    assert [doc.footnotes[n.key].number for n in content if isinstance(n, NoteAnchor)] == [1, 2]
    text = " ".join(plain_text(b.content) for b in iter_blocks(doc.blocks) if isinstance(b, Paragraph))
    assert "40 m2 en de boete bedroeg tot 200 roebel." in text and "200 km2 in totaal. Dat meldden twee bronnen." in text
    raised = [plain_text(s.children) for s in content if isinstance(s, Span) and s.kind == "hi"]
    assert raised == ["2", "2"]
    assert doc.notes_without_marker == [] and doc.markers_without_note == []


def test_italic_sub_heading_between_paragraphs(tmp_path):
    """A short italic line on its own, upright text after it: an unnumbered sub-heading."""

    def first(p: Page):
        p.page.insert_font(fontname="ital", fontbuffer=pymupdf.Font("notosit").buffer)
        p.line("1 Militaire dienst", size=16, font="bold", step=26)
        filler(p, 3)
        p.page.insert_text((LEFT, p.y), "Dienstweigering", fontname="ital", fontsize=BODY)
        p.y += PITCH
        filler(p, 3)
        end = p.line("Het ministerie noemde de maatregel", step=0)
        p.page.insert_text((end + 2.5, p.y), "tijdelijk", fontname="ital", fontsize=BODY)
        p.y += PITCH
        filler(p, 2)

    build(tmp_path / "italic.pdf", [first])
    doc = extract(tmp_path / "italic.pdf", languages=False, citations=False)
    heads = [(d.kind, plain_text(d.head)) for d in iter_divisions(doc.blocks)]
    assert heads == [("chapter", "Militaire dienst"), ("subsection", "Dienstweigering")]


def test_wrapped_dash_number_range_and_real_hyphens_in_running_text(tmp_path):
    """Ragged text without hyphenation: a dash wrapped to a line start stays in its sentence,
    a range broken after its dash joins, and a line-end hyphen is a real one."""
    full = "De regering verlengde in de verslagperiode het beleid van de vorige jaren voor dit"

    def first(p: Page):
        p.line("1 Militaire dienst", size=16, font="bold", step=26)
        filler(p, 3)
        p.line(full)
        p.line("– en daarmee ook de controles – in alle regio's van het land, zie de pagina's 395-")
        p.line("418 van het verslag over vreemdelingen-")
        p.line("detentie in de noordelijke regio.")
        p.gap()
        filler(p, 3)

    build(tmp_path / "dash.pdf", [first])
    doc = extract(tmp_path / "dash.pdf", languages=False, citations=False)
    assert not [b for b in iter_blocks(doc.blocks) if isinstance(b, ItemList)]
    paragraphs = [plain_text(b.content) for b in iter_blocks(doc.blocks) if isinstance(b, Paragraph)]
    assert (
        full + " – en daarmee ook de controles – in alle regio's van het land, zie de pagina's 395-418 van het"
        " verslag over vreemdelingen-detentie in de noordelijke regio."
    ) in paragraphs


def test_text_after_an_indented_list_is_no_part_of_its_last_item(tmp_path):
    """An item that runs to the right edge and a paragraph that goes on at the margin, left
    of the bullets, without a gap: the paragraph is no continuation of the item."""
    def first(p: Page):
        p.line("1 Militaire dienst", size=16, font="bold", step=26)
        filler(p, 3)
        p.line("De sancties omvatten:")
        p.line("• een verbod om het land te verlaten;", x=LEFT + 14)
        p.line("• " + FILLER[1], x=LEFT + 14)
        for text in FILLER:
            p.line(text)
        p.gap()

    build(tmp_path / "list.pdf", [first])
    doc = extract(tmp_path / "list.pdf", languages=False, citations=False)
    [listing] = [b for b in iter_blocks(doc.blocks) if isinstance(b, ItemList)]
    assert [plain_text(item.content) for item in listing.items] == ["een verbod om het land te verlaten;", FILLER[1]]
    paragraphs = [plain_text(b.content) for b in iter_blocks(doc.blocks) if isinstance(b, Paragraph)]
    assert paragraphs[-1] == " ".join(FILLER)


def test_numbered_sources_in_the_note_size_on_an_annex_page_are_a_list(tmp_path):
    """An annex page of sources numbered "1.", "2.", ... in the note size, under a heading,
    with no marker naming them, in a report whose notes have markers: a list, not notes."""
    def chapter(first: int):
        def fill(p: Page):
            body_with_markers(p, [first, first + 1, first + 2])
            notes(p, [(LEFT, f"{n}. Human Rights Watch, Crackdown on critics, {n} maart 2024.") for n in range(first, first + 3)])
        return fill

    sources = [f"{n}. Meduza, Report on the trial number {n}, {n} juni 2024, https://meduza.io/news/{n}" for n in range(1, 9)]

    def annex(p: Page):
        p.line("Bijlage: geraadpleegde bronnen", size=14, font="bold", step=24)
        p.line("Voor dit ambtsbericht zijn de volgende openbare bronnen geraadpleegd, in de volgorde")
        p.line("waarin zij in de tekst voor het eerst worden genoemd.")
        p.gap(20)
        for text in sources:
            p.line(text, size=NOTE, step=NOTE * 1.25)

    build(tmp_path / "annex.pdf", [chapter(1), chapter(4), annex])
    doc = extract(tmp_path / "annex.pdf", languages=False, citations=False)
    assert sorted(numbered(doc)) == [1, 2, 3, 4, 5, 6]
    assert all(3 not in note.pages for note in doc.footnotes.values())
    [listing] = [b for b in iter_blocks(doc.blocks) if isinstance(b, ItemList)]
    assert listing.type == "ordered"
    assert [plain_text(item.content) for item in listing.items] == [text.split(". ", 1)[1] for text in sources]
