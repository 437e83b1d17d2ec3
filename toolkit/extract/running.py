"""Running headers, footers and page numbers: text repeated in the page margins.

A line is running text when it sits above all body text or below everything
else on its page, and its shape (digits folded) recurs at about the same
height on a good share of the pages, or it is a bare page number
("12", "Pagina 12 van 83", "12/83", "- 12 -").
"""

from __future__ import annotations

import re
from collections import defaultdict

from toolkit.extract.layout import Layout, Line
from toolkit.extract.stats import LayoutStats
from toolkit.document import RunningText

PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:(?:pagina|page|seite|blz\.?|p\.)\s*)?(\d{1,4})(?:\s*(?:van|of|von|/)\s*\d{1,4})?(?:\s*[-–—])?\s*$",
    re.I,
)


def shape(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split())).lower()


def find_running(layout: Layout, stats: LayoutStats) -> tuple[set[tuple[int, int]], list[RunningText]]:
    """Return the (page, line index) keys of running lines and their record for the TEI."""
    band = 0.15  # share of the page height at top and bottom where running text may sit
    pitch = stats.line_pitch
    candidates: list[tuple[Line, str]] = []  # (line, "top"|"bottom")
    for page in layout.pages:
        if not page.lines:
            continue
        top_limit = page.height * band
        bottom_limit = page.height * (1 - band)
        # Running text is set apart from the body by a gap wider than the line pitch:
        # take the lines of the top (bottom) band up to the first such gap.
        lines = page.lines
        for i, line in enumerate(lines):
            if line.y1 > top_limit:
                break
            following = lines[i + 1] if i + 1 < len(lines) else None
            if following is None or following.y0 - line.y1 > 0.5 * pitch or following.baseline - line.baseline > 1.6 * pitch:
                candidates.extend((l, "top") for l in lines[: i + 1])
                break
        for i in range(len(lines) - 1, -1, -1):
            line = lines[i]
            if line.y0 < bottom_limit:
                break
            before = lines[i - 1] if i > 0 else None
            if before is None or line.y0 - before.y1 > 0.5 * pitch or line.baseline - before.baseline > 1.6 * pitch:
                candidates.extend((l, "bottom") for l in lines[i:])
                break
    pages_total = len(layout.pages)
    # Three pages at the same height suffice: a header may name the chapter and change with it.
    needed = 3 if pages_total >= 6 else 2
    groups: dict[tuple[str, str, int], set[int]] = defaultdict(set)
    for line, where in candidates:
        key = (where, shape(line.text), round(line.baseline / max(pitch, 1.0)))
        groups[key].add(line.page)
    keys: set[tuple[int, int]] = set()
    records: list[RunningText] = []
    for line, where in candidates:
        text = " ".join(line.text.split())
        key = (where, shape(line.text), round(line.baseline / max(pitch, 1.0)))
        # Tolerate a small drift in height between pages: look at the neighbouring buckets too.
        seen = set()
        for d in (-1, 0, 1):
            seen |= groups.get((key[0], key[1], key[2] + d), set())
        repeated = len(seen) >= needed and pages_total > 2
        number = PAGE_NUMBER.match(text)
        if not (repeated or number):
            continue
        if number and not repeated and not near_edge(line, layout, where):
            continue
        keys.add((line.page, line.index))
        kind = "pageNum" if number else ("header" if where == "top" else "footer")
        records.append(RunningText(page=line.page, kind=kind, text=text))
    records.sort(key=lambda r: (r.page, r.kind != "header"))
    return keys, records


def near_edge(line: Line, layout: Layout, where: str) -> bool:
    """A lone number counts as a page number only as the outermost line, in the outer tenth."""
    page = layout.pages[line.page - 1]
    if where == "top":
        return line.index == 0 and line.y1 < page.height * 0.1
    return line.index == len(page.lines) - 1 and line.y0 > page.height * 0.9
