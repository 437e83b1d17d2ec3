"""Running headers, footers and page numbers of a laid-out page: what is printed where.

One function decides them; the renderer draws exactly these items and the ground truth
records them, so the truth cannot drift from the PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.sample.content import HEADER_TEXT, REPORT_DATE, TITLE
from toolkit.sample.layout import PageState
from toolkit.sample.lines import Metrics
from toolkit.sample.styles import ReportStyle

# A format that prints nothing but the page number ("12", "Pagina 12 van 83", "- 12 -").
PAGE_NUMBER_ONLY = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:(?:pagina|page|p\.)\s*)?\{n\}(?:\s*(?:van|of|/)\s*\{m\})?\s*(?:[-–—])?\s*$", re.I)
HEADER_PITCH = 1.3  # line pitch of a two-line header, times its size
DESCENT = 0.3  # room under a header baseline, times its size


@dataclass(frozen=True)
class RunningItem:
    kind: str  # "header" | "footer" | "pageNum"
    text: str
    x: float
    pdf_y: float  # baseline, from the bottom of the page as PDF counts
    size: float
    role: str = "body"


def _kind(template: str, where: str) -> str:
    return "pageNum" if PAGE_NUMBER_ONLY.match(template) else where


def running_items(style: ReportStyle, page: PageState, total: int, metrics: Metrics) -> list[RunningItem]:
    """The running text of ``page`` of ``total`` pages, top to bottom, left to right."""
    n = page.number
    if n == 1 and style.title_page:
        return []  # the title page carries none
    size = style.running_size
    height = style.page_height
    left, right = style.margin_left, style.page_width - style.margin_right

    def at_right(text: str, role: str = "body") -> float:
        return right - metrics.text_width(text, role, size)

    items: list[RunningItem] = []
    if n > 1 and style.header != "none":
        lines = 2 if style.header == "two-line" else 1
        if style.header_gap is None:
            base = height - style.margin_top * 0.55
        else:
            base = height - (style.margin_top - style.header_gap - size * DESCENT)
        top = base + (lines - 1) * size * HEADER_PITCH
        number = str(n)
        if style.header == "title":
            items.append(RunningItem("header", HEADER_TEXT, left, top, size))
        elif style.header == "two-line":
            page_line = style.page_format.format(n=n, m=total)
            items.append(RunningItem("header", HEADER_TEXT, left, top, size))
            items.append(RunningItem(_kind(style.page_format, "header"), page_line, left, base, size))
        elif style.header == "odd-even":
            if n % 2:
                items += [RunningItem("header", TITLE, left, top, size),
                          RunningItem("pageNum", number, at_right(number), top, size)]
            else:
                items += [RunningItem("pageNum", number, left, top, size),
                          RunningItem("header", REPORT_DATE, at_right(REPORT_DATE), top, size)]
        else:  # chapter: the report title on even pages, the running chapter on odd pages
            if n % 2:
                chapter = page.chapter or TITLE
                items += [RunningItem("header", chapter, left, top, size, "italic"),
                          RunningItem("pageNum", number, at_right(number), top, size)]
            else:
                items += [RunningItem("pageNum", number, left, top, size),
                          RunningItem("header", TITLE, at_right(TITLE, "italic"), top, size, "italic")]
    if style.footer_format:
        footer = style.footer_format.format(n=n, m=total)
        width = metrics.text_width(footer, "body", size)
        align = style.footer_align
        if align == "outside":
            align = "right" if n % 2 else "left"
        x = {"right": right - width, "center": (left + right - width) / 2, "left": left}[align]
        if style.footer_position == "margin":
            y = style.margin_bottom * 0.45
        else:  # the next line after the note area, at the notes' pitch
            y = style.margin_bottom - size * 0.95
        items.append(RunningItem(_kind(style.footer_format, "footer"), footer, x, y, size))
    return items
