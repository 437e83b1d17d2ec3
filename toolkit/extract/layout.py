"""The layout types: pages of lines of styled spans, plus link rectangles.

What the PDF shows, as plain dataclasses: :mod:`.pdf` fills them from PyMuPDF, and
every later stage works on them, so each can be tested on a layout built by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.document import SourceInfo


@dataclass(slots=True)
class TextSpan:
    text: str
    font: str
    size: float
    flags: int
    x0: float
    y0: float
    x1: float
    y1: float
    baseline: float
    bold: bool = False
    italic: bool = False
    superscript: bool = False  # decided per line, see Line.classify_superscripts
    color: int = 0  # sRGB as 0xRRGGBB

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass(slots=True)
class Line:
    page: int  # 1-based
    spans: list[TextSpan]
    x0: float
    y0: float
    x1: float
    y1: float
    baseline: float = 0.0
    size: float = 0.0  # dominant font size of the line's normal (non-superscript) characters
    index: int = 0  # position on its page, top to bottom
    links: list["LinkArea"] = field(default_factory=list)  # link rectangles that reach into this line

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)

    @property
    def bold(self) -> bool:
        chars = [s for s in self.spans if s.text.strip() and not s.superscript]
        return bool(chars) and all(s.bold for s in chars)

    @property
    def italic(self) -> bool:
        chars = [s for s in self.spans if s.text.strip() and not s.superscript]
        return bool(chars) and all(s.italic for s in chars)

    @property
    def color(self) -> int | None:
        """The colour of all the line's text, or None when it is mixed."""
        colors = {s.color for s in self.spans if s.text.strip() and not s.superscript}
        return colors.pop() if len(colors) == 1 else None

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(slots=True)
class LinkArea:
    x0: float
    y0: float
    x1: float
    y1: float
    uri: str


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    links: list[LinkArea] = field(default_factory=list)


@dataclass
class Layout:
    source: SourceInfo
    pages: list[Page]
    # For spans that a link cuts through, keyed by (page, line index, span index): for each
    # link (by id) the first and last character index it covers, or None if none.
    link_cover: dict[tuple[int, int, int], dict[int, tuple[int, int] | None]] = field(default_factory=dict)
