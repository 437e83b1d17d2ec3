"""Hand-built layouts for testing extraction stages on their own, without a PDF.

Text is laid out with a fixed advance of half an em per character, which is all the
stages need: they compare positions and sizes with each other, never with a font.
"""

from __future__ import annotations

from toolkit.document import SourceInfo
from toolkit.extract.layout import Layout, Line, Page, Rule, TextSpan
from toolkit.extract.pdf import make_line

ADVANCE = 0.5  # em per character


def span(text: str, x: float, baseline: float, size: float, *, raised: float = 0.0, bold: bool = False,
         font: str = "Serif") -> TextSpan:
    top = baseline - raised - 0.8 * size
    return TextSpan(
        text=text, font=font + ("-Bold" if bold else ""), size=size, flags=16 if bold else 0,
        x0=x, y0=top, x1=x + ADVANCE * size * len(text), y1=baseline - raised + 0.2 * size,
        baseline=baseline - raised, bold=bold,
    )


class PageBuilder:
    """Lines top to bottom on one page; each call returns the line it made."""

    def __init__(self, number: int, width: float = 595.0, height: float = 842.0):
        self.page = Page(number=number, width=width, height=height)

    def line(self, y: float, *pieces, x: float = 72.0, size: float = 10.0, bold: bool = False, font: str = "Serif") -> Line:
        """``pieces``: strings in the line's size, or (text, size, raised) for small raised text."""
        spans = []
        cursor = x
        for piece in pieces:
            text, piece_size, raised = (piece, size, 0.0) if isinstance(piece, str) else piece
            s = span(text, cursor, y, piece_size, raised=raised, bold=bold, font=font)
            spans.append(s)
            cursor = s.x1
        line = make_line(self.page.number, spans)
        line.index = len(self.page.lines)
        self.page.lines.append(line)
        return line

    def rule(self, y: float, x0: float, x1: float, thickness: float = 0.5) -> None:
        self.page.rules.append(Rule(x0, y, x1, thickness))


def layout(*pages: Page) -> Layout:
    source = SourceInfo(file_name="built.pdf", sha256="0" * 64, page_count=len(pages), size_bytes=0)
    return Layout(source=source, pages=list(pages))
