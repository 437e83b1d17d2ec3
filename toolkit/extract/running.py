"""Running headers, footers and page numbers: text that recurs at the same place on many pages.

Running text is found from repetition, not from gaps: a line belongs to a *slot* (top or
bottom of the page, its baseline height, its type size); a slot holds running text when
it is filled on enough pages and its lines mostly repeat from page to page (digits folded,
so "Pagina 12 van 83" repeats as "pagina # van #"). A chapter title in the header changes
with the chapter but repeats within it; odd and even pages and the first page may differ.
Within a running slot, a line with a text of its own (the header of a one-page chapter)
is running too when it is set like the slot's other lines.

Only lines reached from the page edge through running lines are taken, so a repeated
note ("Ibid.") or body sentence in the middle of a page never is; and a slot whose lines
differ from page to page (the last note line, the first body line) is not running.
A bare page number at the outer edge ("12", "- 12 -", "Pagina 12 van 83") is always one.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from toolkit.document import RunningText
from toolkit.extract.layout import Layout, Line
from toolkit.extract.rules import RULES
from toolkit.extract.stats import LayoutStats, same_size, size_key

PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:(?:pagina|page|seite|blz\.?|p\.|s\.)\s*)?(\d{1,4}|[ivxlcdm]{1,6})"
    r"(?:\s*(?:van|of|von|/|de|sur)\s*\d{1,4})?(?:\s*[-–—])?\s*$",
    re.I,
)


def shape(text: str) -> str:
    """The text with digits (and roman page numbers) folded: what repeats from page to page."""
    folded = re.sub(r"\d+", "#", " ".join(text.split())).lower()
    return re.sub(r"(?<![\w])[ivxlc]{1,6}(?![\w])", "#", folded) if PAGE_NUMBER.match(text) else folded


def core(folded: str) -> str:
    """A folded text without its numbers and the punctuation around them: "openbare versie"."""
    return re.sub(r"[#\s\W]+", " ", folded).strip()


@dataclass
class _Candidate:
    line: Line
    where: str  # "top" | "bottom"
    depth: int  # 0 for the outermost line, 1 for the next one in, ...
    slot: tuple[str, int, float]
    shape: str
    glued: bool = False  # set like the line next to it inwards, at its line pitch: one block of text
    page_height: float = 0.0
    home: tuple[str, int, float] | None = None  # the slot it was merged into (see _running_slots)

    @property
    def repeat(self) -> str:
        """What must recur from page to page: the words, whatever the numbers around them and
        where they stand ("2 Militaire dienst" on even pages, "Militaire dienst 3" on odd)."""
        return core(self.shape) or self.shape


def find_running(layout: Layout, stats: LayoutStats) -> tuple[set[tuple[int, int]], list[RunningText]]:
    """The (page, line index) keys of running lines, and their records for the TEI."""
    height_step = RULES.running_height * stats.line_pitch
    candidates: list[_Candidate] = []
    for page in layout.pages:
        candidates.extend(_page_candidates(page, height_step, stats))
    slots = _running_slots(candidates, len(layout.pages))
    # The texts that run on most pages, for a page that sets them elsewhere (a first page).
    everywhere = RULES.running_glued_share * len(layout.pages)
    cores = {
        (key[0], key[2], repeat)
        for key, slot in slots.items() for repeat, n in slot.shapes.items() if n >= 2 and n >= everywhere
    }
    keys: set[tuple[int, int]] = set()
    records: list[RunningText] = []
    by_page: dict[int, list[_Candidate]] = defaultdict(list)
    for c in candidates:
        by_page[c.line.page].append(c)
    for page_number, page_candidates in sorted(by_page.items()):
        for where in ("top", "bottom"):
            edge = [c for c in page_candidates if c.where == where]
            peeling = True
            for depth in range(max((c.depth for c in edge), default=-1) + 1):
                # Peel from the edge inwards: a level of the page is running when a piece of it
                # is; the first level without running text ends the peeling. Deeper in the band
                # only a known running text in its own size is still taken (a first page that
                # sets its footer above a line of its own).
                found = False
                for c in (c for c in edge if c.depth == depth):
                    known = not c.glued and len(core(c.shape)) >= 4 and (c.where, c.slot[2], c.repeat) in cores
                    kind = _running_kind(c, slots, known)
                    if kind is None or not (peeling or known):
                        continue
                    if c.glued and kind != "pageNum" and not _everywhere(c, slots):
                        # One block with the text inside it: the last line of a note repeated
                        # on a few pages ("Ibid.", "para 35"), not a footer.
                        continue
                    found = True
                    keys.add((c.line.page, c.line.index))
                    records.extend(_records(c, kind))
                peeling = peeling and found
    records.sort(key=lambda r: (r.page, r.kind != "header"))
    return keys, records


def _records(c: _Candidate, kind: str) -> list[RunningText]:
    """One record per piece of a running line: "2 … 3 maart 2025" is a page number and a header."""
    pieces: list[list[str]] = [[]]
    previous = None
    for span in c.line.spans:
        wide = span.flags == -1 and span.width > RULES.tab_gap * span.size
        apart = previous is not None and span.x0 - previous.x1 > RULES.tab_gap * span.size
        if (wide or apart) and pieces[-1]:
            pieces.append([])
        if not wide:
            pieces[-1].append(span.text)
        previous = span
    texts = [" ".join("".join(piece).split()) for piece in pieces]
    texts = [t for t in texts if t]
    if len(texts) < 2:
        return [RunningText(page=c.line.page, kind=kind, text=" ".join(c.line.text.split()))]
    place = "header" if c.where == "top" else "footer"
    return [RunningText(page=c.line.page, kind="pageNum" if PAGE_NUMBER.match(t) else place, text=t) for t in texts]


def _running_kind(c: _Candidate, slots: dict, known: bool) -> str | None:
    """"header", "footer" or "pageNum" for a running line; None for any other.

    ``known``: the line's text is a running text of another page, in the same size.
    """
    number = PAGE_NUMBER.match(c.line.text) is not None
    slot = slots.get(c.home)
    if slot is not None and slot.takes(c) or known:
        return "pageNum" if number else ("header" if c.where == "top" else "footer")
    # A bare page number is one without a slot (a document of two pages, a first page),
    # when it stands in the outer part of the band.
    if number and _in_margin(c):
        return "pageNum"
    return None


def _page_candidates(page, height_step: float, stats: LayoutStats) -> list[_Candidate]:
    """The lines in the top and bottom bands of a page, with their depth from the edge."""
    if not page.lines:
        return []
    band = RULES.running_band * page.height
    by_height = sorted(page.lines, key=lambda l: l.baseline)
    out: list[_Candidate] = []
    for where, ordered in (("top", by_height), ("bottom", by_height[::-1])):
        depth, last_baseline = -1, None
        for k, line in enumerate(ordered):
            inside = line.y1 <= band if where == "top" else line.y0 >= page.height - band
            if not inside:
                break
            if last_baseline is None or abs(line.baseline - last_baseline) > RULES.same_baseline * line.size:
                depth += 1  # pieces of one line (left, centre, right) share a depth
            last_baseline = line.baseline
            inner = next((l for l in ordered[k + 1 :] if abs(l.baseline - line.baseline) > RULES.same_baseline * line.size), None)
            slot = (where, round(line.baseline / height_step), size_key(line.size, stats))
            out.append(_Candidate(line, where, depth, slot, shape(line.text), _glued(line, inner, stats.leading), page.height))
    return out


def _everywhere(c: _Candidate, slots: dict) -> bool:
    """Is the line's slot filled with repeated text on most pages (a footer set right under the notes)?"""
    slot = slots.get(c.home)
    return slot is not None and slot.everywhere


def _glued(line: Line, inner: Line | None, leading: float) -> bool:
    """Is ``inner`` the next line of the same block of text (same type, at its line pitch)?"""
    if inner is None or not line.spans or not inner.spans:
        return False
    same_type = same_size(line.size, inner.size) and line.spans[0].font == inner.spans[0].font
    close = abs(line.baseline - inner.baseline) <= RULES.block_pitch * max(line.size, inner.size) * leading
    return same_type and close and line.x0 < inner.x1 and inner.x0 < line.x1


@dataclass
class _Slot:
    shapes: Counter
    fonts: Counter
    pages: int
    covered: int  # pages with a repeated text in this slot
    coverage: float  # their share of the document's pages
    small: bool = False  # a document of two pages: only the outermost, standalone lines count
    numbered: bool = False  # its lines open with numbers that do not follow the pages: note labels

    def takes(self, c: _Candidate) -> bool:
        """A line of a running slot: a repeated text, or one set like the repeated ones (the
        header of a one-page chapter) when it stands on its own."""
        if self.small and (c.depth > 0 or c.glued):
            return False
        if self.numbered and LEADING_NUMBER.match(c.line.text):
            return False  # "36 Ibid.": a numbered item (a note) whose numbers are no page numbers
        if self.shapes[c.repeat] >= 2 or PAGE_NUMBER.match(c.line.text):
            return True
        font = c.line.spans[0].font if c.line.spans else ""
        standalone = not c.glued or self.everywhere
        return standalone and self.fonts[font] >= 2  # the font of repeated lines (odd and even pages may differ)

    @property
    def everywhere(self) -> bool:
        """Filled with repeated text on most pages (a header or footer set right on the text)."""
        return self.coverage >= RULES.running_glued_share and self.covered >= RULES.running_min_pages


def _running_slots(candidates: list[_Candidate], pages: int) -> dict[tuple[str, int, float], _Slot]:
    """The slots that hold running text (see the module docstring)."""
    grouped: dict[tuple[str, int, float], list[_Candidate]] = defaultdict(list)
    for c in candidates:
        grouped[c.slot].append(c)
    # Neighbouring heights merge: a header may sit half a pitch lower on some pages; but
    # never two lines of one page (the footer and the last note line above it).
    merged: dict[tuple[str, int, float], list[_Candidate]] = {}
    pages_of: dict[tuple[str, int, float], set[int]] = {}
    for key in sorted(grouped, key=lambda k: -len(grouped[k])):
        mine = {c.line.page for c in grouped[key]}
        home = next((k for k in merged if k[0] == key[0] and k[2] == key[2] and abs(k[1] - key[1]) <= 1
                     and not pages_of[k] & mine), None)
        merged.setdefault(home or key, []).extend(grouped[key])
        pages_of.setdefault(home or key, set()).update(mine)
        for c in grouped[key]:
            c.home = home or key
    # With fewer pages, repetition tells little: a text on both pages of two is running only
    # when it is the outermost line and stands in the page's outer margin.
    small = pages < RULES.running_min_pages
    needed = pages if small else max(RULES.running_min_pages, RULES.running_page_share * pages)
    slots: dict[tuple[str, int, float], _Slot] = {}
    for key, members in merged.items():
        filled = len({c.line.page for c in members})
        if filled < needed:
            continue
        if small:
            members = [c for c in members if c.depth == 0 and not c.glued and _in_margin(c)]
            if len({c.line.page for c in members}) < pages:
                continue
        shapes = Counter()
        for page, repeat in {(c.line.page, c.repeat) for c in members}:
            shapes[repeat] += 1
        repeated = sum(1 for c in members if shapes[c.repeat] >= 2 or PAGE_NUMBER.match(c.line.text))
        if repeated < RULES.running_repeat_share * len(members):
            continue
        fonts = Counter(c.line.spans[0].font for c in members if c.line.spans and shapes[c.repeat] >= 2)
        covered = len({c.line.page for c in members if shapes[c.repeat] >= 2 or PAGE_NUMBER.match(c.line.text)})
        slots[key] = _Slot(shapes, fonts, filled, covered, covered / max(pages, 1), small, _numbered(members))
    return slots


LEADING_NUMBER = re.compile(r"^\s*(\d{1,4})(?!\d)")


def _numbered(members: list[_Candidate]) -> bool:
    """Do the slot's lines open with numbers that are no page numbers (which keep one offset
    to the physical page: "12 | Title" on page 14 of a report with two front pages)?"""
    offsets: Counter[int] = Counter()
    values: Counter[int] = Counter()
    for c in members:
        m = LEADING_NUMBER.match(c.line.text)
        if m and not PAGE_NUMBER.match(c.line.text):
            offsets[int(m.group(1)) - c.line.page] += 1
            values[int(m.group(1))] += 1
    total = sum(offsets.values())
    if total < 2:
        return False
    share = RULES.running_repeat_share * total
    # The same number each time ("3 maart 2025") is text; numbers that keep one offset to the
    # page are page numbers; numbers that do neither are labels.
    return values.most_common(1)[0][1] < share and offsets.most_common(1)[0][1] < share


def _in_margin(c: _Candidate) -> bool:
    """Does the line stand in the outer margin of its page (the outer ``page_number_band``)?"""
    edge = c.line.y1 if c.where == "top" else c.page_height - c.line.y0
    return edge <= RULES.page_number_band * c.page_height
