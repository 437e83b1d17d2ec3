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
    superscript: bool = False  # decided per line, see pdf.classify_superscripts
    color: int = 0  # sRGB as 0xRRGGBB
    # For a span that a link rectangle cuts through: per link of its line (by position in
    # Line.links), the first and last character the link covers, or None. None for the
    # usual span that each link covers wholly or not at all.
    cover: dict[int, tuple[int, int] | None] | None = None

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
    index: int = 0  # position on its page in reading order
    column: int = 0  # the page column it stands in (Page.columns), -1 across columns
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


def vertical_share(link: LinkArea, span: TextSpan) -> float:
    """How much of the span's height a link rectangle covers (0 when they do not meet)."""
    overlap = min(link.y1, span.y1) - max(link.y0, span.y0)
    return max(overlap, 0.0) / max(span.y1 - span.y0, 0.1)


@dataclass(slots=True)
class Rule:
    """A thin horizontal stroke or bar: a footnote separator, a table rule, an underline."""

    x0: float
    y: float  # its middle
    x1: float
    thickness: float


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)  # in reading order
    links: list[LinkArea] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    # (x0, x1) of each text column when the page is set in several; empty for one column.
    columns: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class Layout:
    source: SourceInfo
    pages: list[Page]
    # The PDF's bookmarks as (level, title, page), level 1 at the top and page 1-based
    # (-1 when a bookmark points nowhere): what word processors export from their headings.
    outline: list[tuple[int, str, int]] = field(default_factory=list)
