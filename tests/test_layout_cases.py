"""One regression test per layout problem met in real reports, each on a small PDF built here."""

from __future__ import annotations

import pymupdf
import pytest

from toolkit.core import extract
from toolkit.model import Division, ItemList, Paragraph, iter_blocks, iter_divisions, plain_text

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
    text = " ".join(plain_text(b.content) for b in iter_blocks(doc.blocks) if isinstance(b, Paragraph))
    assert "Document Afgifte en geldigheid" in text and "Paspoort Districtskantoor, tien jaar" in text
